"""A contact sheet: every visual of every shot, in order, labelled, so an editor can look first.

A shot that opens a section shows its agenda card first; a long shot's following visuals
(``then``) come after its own, so the sheet shows everything the video will put on screen."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageDraw

from ..shotlist import ShotList
from .base import RenderJob
from .brand import Brand
from .cards import CardsRenderer
from .kinds.layout import font

#: Width of one frame on the sheet, pixels.
THUMB_WIDTH = 480


def visuals(shotlist: ShotList) -> list[tuple[int, str | int, str]]:
    """Every visual in order: (shot index, which visual for ``CardsRenderer.still``, its caption)."""
    out: list[tuple[int, str | int, str]] = []
    for index, shot in enumerate(shotlist.shots):
        flag = "  \u26a0 unsupported" if shot.unsupported else ""
        if shot.agenda is not None:
            out.append((index, "agenda", f"{shot.id} \u00b7 part {shot.agenda.current} of {len(shot.agenda.sections)}"))
        out.append((index, "main", f"{shot.id} \u00b7 {shot.kind}{flag}"))
        out += [(index, n, f"{shot.id} \u00b7 then {n + 1}") for n in range(len(shot.then))]
    return out


def contact_sheet(shotlist: ShotList, columns: int = 3, brand: Brand | None = None) -> Image.Image:
    """Every visual's built frame, scaled down and tiled with its shot id and what it is beneath."""
    width, height = shotlist.size
    job = RenderJob(frames=1, fps=25, width=width, height=height, title=shotlist.title, language=shotlist.language, brand=brand)
    media = {item.id: item for item in shotlist.media}
    renderer = CardsRenderer()
    thumb_h = round(THUMB_WIDTH * height / width)
    caption_h = 30
    tiles = visuals(shotlist)
    columns = min(columns, len(tiles))
    rows = math.ceil(len(tiles) / columns)
    gap = 12
    sheet = Image.new("RGB", (columns * (THUMB_WIDTH + gap) + gap, rows * (thumb_h + caption_h + gap) + gap), (245, 245, 242))
    draw = ImageDraw.Draw(sheet)
    for i, (index, visual, caption) in enumerate(tiles):
        shot = shotlist.shots[index]
        x = gap + (i % columns) * (THUMB_WIDTH + gap)
        y = gap + (i // columns) * (thumb_h + caption_h + gap)
        shot_job = replace(job, media=media.get(shot.media)) if shot.kind == "media" else job
        sheet.paste(renderer.still(shot, shot_job, visual).resize((THUMB_WIDTH, thumb_h), Image.LANCZOS), (x, y))
        draw.text((x, y + thumb_h + 6), caption, font=font("RobotoMedium", 16), fill=(30, 30, 30))
    return sheet


def write_contact_sheet(shotlist: ShotList, path: Path, brand: Brand | None = None) -> Path:
    """Save the contact sheet as PNG (or JPEG by the file's suffix)."""
    contact_sheet(shotlist, brand=brand).save(path)
    return path
