"""A locator map: where the story happens, on Natural Earth's country shapes.

The shot's headline sits above the map. A city gets a marker and its name (with the country
the gazetteer puts it in) in a tag beside the marker, on the side with more room, so the tag
never covers it. The frame is the place's country (the part of it that holds the place: the
mainland, not Alaska) with a margin of its neighbours, 6 to 30 degrees of latitude high around a
city; the country is filled in the accent colour. The
map fades in, then the marker drops in, then the tag: a build of about a second, then it holds.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from ...shotlist import Place, Shot
from ..atlas import CREDIT, countries
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit

#: Degrees of latitude a city's map spans at least and at most.
MIN_SPAN_DEG, MAX_SPAN_DEG = 6.0, 30.0
#: Drawn this many times larger, then scaled down: Pillow's polygons have no antialiasing.
SUPERSAMPLE = 2


def extent(place: Place, box: Box) -> tuple[float, float, float, float]:
    """West, south, east, north of the map, shaped like ``box`` (degrees of longitude shrink
    by the cosine of the latitude)."""
    if place.country_code in countries():
        # The country (its part that holds the place) frames the map: a locator shows where
        # in its country a city is, and the country among its neighbours.
        west, south, east, north = countries()[place.country_code].bounds(near=(place.longitude, place.latitude))
        pad_x, pad_y = (east - west) * 0.25 + 1.0, (north - south) * 0.25 + 1.0
        west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    else:
        west = east = place.longitude
        south = north = place.latitude
    if place.type == "city":
        # Never so close that the region is lost, nor so far that the city is a dot in a continent.
        middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
        half = min(max((north - south) / 2, MIN_SPAN_DEG / 2), MAX_SPAN_DEG / 2)
        south, north = middle_lat - half, middle_lat + half
        if not south + 1 < place.latitude < north - 1:  # a city at the edge of a big country
            south, north = place.latitude - half, place.latitude + half
        half_lon = max((east - west) / 2, half)
        west, east = middle_lon - half_lon, middle_lon + half_lon
        if not west + 1 < place.longitude < east - 1:
            west, east = place.longitude - half_lon, place.longitude + half_lon
    lat0 = math.radians(max(-70.0, min(70.0, (south + north) / 2)))
    width, height = (east - west) * math.cos(lat0), north - south
    cx, cy = (west + east) / 2, (south + north) / 2
    # Widen the short side so the map fills the box without stretching.
    if width / height < box.width / box.height:
        width = height * box.width / box.height
    else:
        height = width * box.height / box.width
    half_lon = width / math.cos(lat0) / 2
    return cx - half_lon, cy - height / 2, cx + half_lon, cy + height / 2


def project(lon: float, lat: float, bounds: tuple[float, float, float, float], box: Box) -> tuple[float, float]:
    """Where a point falls in ``box`` (equirectangular around the map's middle)."""
    west, south, east, north = bounds
    return box.left + (lon - west) / (east - west) * box.width, box.top + (north - lat) / (north - south) * box.height


def _map_image(place: Place, box: Box, bounds: tuple[float, float, float, float], palette: Palette) -> Image.Image:
    """The land, borders and the place's country, drawn large and scaled to the box."""
    s = SUPERSAMPLE
    big = Image.new("RGBA", (box.width * s, box.height * s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(big)
    local = Box(0, 0, box.width * s, box.height * s)
    west, south, east, north = bounds
    # A country the story is about is filled; around a city it is only tinted, so a large
    # country does not read as a block and the marker stands out.
    land, border = palette.muted + (70,), palette.muted + (150,)
    home = palette.accent + (110 if place.type == "country" else 45,)
    for country in countries().values():
        for polygon in country.polygons:
            ring = polygon[0]
            if min(p[1] for p in ring) > north or max(p[1] for p in ring) < south \
                    or min(p[0] for p in ring) > east or max(p[0] for p in ring) < west:
                continue  # off the map
            points = [project(lon, lat, bounds, local) for lon, lat in ring]
            is_home = country.code == place.country_code
            draw.polygon(points, fill=home if is_home else land, outline=palette.accent + (200,) if is_home else border,
                         width=s * (2 if is_home else 1))
    image = big.resize((box.width, box.height), Image.LANCZOS)
    # Feathered edges: land cut square at the frame's edge reads as a broken picture.
    feather = max(4, min(box.width, box.height) // 14)
    edge = Image.new("L", image.size, 0)
    ImageDraw.Draw(edge).rounded_rectangle((feather, feather, box.width - feather, box.height - feather), radius=feather, fill=255)
    edge = edge.filter(ImageFilter.GaussianBlur(feather / 2))
    image.putalpha(ImageChops.multiply(image.getchannel("A"), edge))
    return image


def _tag(place: Place, at: tuple[float, float], area: Box, job: RenderJob, palette: Palette) -> Image.Image:
    """The place's name (and its country) in a tag beside the marker, on the side with room."""
    u = unit(job)
    image, draw = canvas(job)
    name_face, country_face = font("RobotoBold", u * 0.055), font("Roboto", u * 0.04)
    lines = [(place.name, name_face, palette.text)] + ([(place.country, country_face, palette.muted)] if place.type == "city" else [])
    width = int(max(draw.textlength(text, font=face) for text, face, _ in lines))
    height = sum(int(face.size * 1.25) for _, face, _ in lines)
    pad, gap = int(u * 0.02), int(u * 0.035)
    x, y = at
    left = x + gap if x + gap + width + 2 * pad <= area.right or x - area.left < area.right - x else x - gap - width - 2 * pad
    top = max(area.top, min(area.bottom - height - 2 * pad, int(y - height / 2 - pad)))
    draw.rounded_rectangle((left, top, left + width + 2 * pad, top + height + 2 * pad), radius=pad, fill=palette.bottom + (225,))
    line_y = top + pad
    for text, face, colour in lines:
        draw.text((left + pad, line_y), text, font=face, fill=colour + (255,))
        line_y += int(face.size * 1.25)
    return image


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The headline, the map fading in, the marker, then the place's tag."""
    place = shot.place
    assert place is not None
    box, u = safe_box(job), unit(job)
    head, pen = canvas(job)
    title_bottom = text_block(pen, shot.on_screen_text or place.name, Box(box.left, box.top, box.right, box.top + int(u * 0.14)),
                              int(u * 0.06), int(u * 0.04), palette.text + (255,))
    area = Box(box.left, title_bottom + int(u * 0.02), box.right, box.bottom)
    bounds = extent(place, area)
    map_layer, pen = canvas(job)
    map_layer.alpha_composite(_map_image(place, area, bounds, palette), (area.left, area.top))
    pen.text((area.right, area.bottom), f"Map: {CREDIT}", font=font("Roboto", u * 0.028), fill=palette.muted + (200,), anchor="rd")
    out = [save_layer(head, folder / "title.png"), save_layer(map_layer, folder / "map.png", 0.3, rise=False)]
    if place.type == "city":
        x, y = project(place.longitude, place.latitude, bounds, area)
        marker, pen = canvas(job)
        r = u * 0.016
        pen.ellipse((x - 2.2 * r, y - 2.2 * r, x + 2.2 * r, y + 2.2 * r), outline=palette.accent + (160,), width=max(2, int(r * 0.35)))
        pen.ellipse((x - r, y - r, x + r, y + r), fill=palette.accent + (255,), outline=palette.text + (255,), width=max(2, int(r * 0.3)))
        out.append(save_layer(marker, folder / "marker.png", 0.8, rise=True, fade_in_s=0.3))
        at = (x, y)
    else:  # the tag in the middle of the country's mainland
        west, south, east, north = countries()[place.country_code].bounds(near=(place.longitude, place.latitude))
        at = project((west + east) / 2, (south + north) / 2, bounds, area)
    out.append(save_layer(_tag(place, at, area, job, palette), folder / "tag.png", 1.05, rise=False, fade_in_s=0.3))
    return out
