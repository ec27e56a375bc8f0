"""Country shapes for locator maps: Natural Earth 1:50m, as world-atlas 2.0.2 ships it.

``data/countries-50m.json`` is world-atlas's TopoJSON (Natural Earth, public domain; the
package's ISC licence beside it), copied into our package so a map needs no download. A
TopoJSON file stores each border once, as quantised, delta-encoded arcs shared by the two
countries it divides; ``countries()`` decodes them once per process into rings of
(longitude, latitude) per country, keyed by ISO 3166 numeric code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "countries-50m.json"
#: Where the shapes come from, for the map's credit line and the docs.
CREDIT = "Natural Earth"

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Country:
    """A country's name (as Natural Earth writes it) and outline: one list of rings per polygon,
    the outer ring first."""

    code: int
    name: str
    polygons: tuple[tuple[Ring, ...], ...]

    def bounds(self, near: tuple[float, float] | None = None) -> tuple[float, float, float, float]:
        """West, south, east, north of the country; with ``near`` (lon, lat), of its polygon
        that holds or is closest to that point (the mainland, not Alaska or Réunion)."""
        polygons = self.polygons
        if near is not None:
            polygons = (min(polygons, key=lambda p: _distance(p[0], near)),)
        points = [pt for polygon in polygons for pt in polygon[0]]
        return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _distance(ring: Ring, point: tuple[float, float]) -> float:
    """0 when ``point`` is inside the ring's box, else how far its box is (degrees)."""
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    south, north = min(p[1] for p in ring), max(p[1] for p in ring)
    dx = max(west - point[0], 0.0, point[0] - east)
    dy = max(south - point[1], 0.0, point[1] - north)
    return dx + dy


def _decode_arcs(topology: dict) -> list[Ring]:
    """Every arc as absolute (lon, lat) points: undo the delta encoding and the quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A ring from arc indexes (~i is arc i reversed); arcs share their end points."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _sides(ring: Ring) -> list[Ring]:
    """A ring that crosses the date line (Russia's, Fiji's) as one ring per side of it: drawn
    whole, it would be joined across the map by a band along the line's latitude."""
    pieces: list[Ring] = [[ring[0]]]
    for point in ring[1:]:
        if abs(point[0] - pieces[-1][-1][0]) > 180:
            pieces.append([])
        pieces[-1].append(point)
    if len(pieces) == 1:
        return [ring]
    east = [p for piece in pieces if sum(x for x, _ in piece) >= 0 for p in piece]
    west = [p for piece in pieces if sum(x for x, _ in piece) < 0 for p in piece]
    return [side for side in (east, west) if len(side) > 2]


@lru_cache(maxsize=1)
def countries() -> dict[int, Country]:
    """Every country of the atlas by ISO 3166 numeric code (decoded once per process)."""
    topology = json.loads(DATA.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    out: dict[int, Country] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or not geometry.get("arcs"):
            continue  # a disputed area without a code of its own
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        polygons = []
        for polygon in parts:
            rings = [_ring(ring, arcs) for ring in polygon]
            # Holes (lakes, enclaves) stay with the first side; a map at their scale never shows the date line.
            polygons += [(side, *rings[1:]) for side in _sides(rings[0])]
        polygons = tuple(polygons)
        code = int(geometry["id"])
        out[code] = Country(code, geometry["properties"]["name"], polygons)
    return out


__all__ = ["CREDIT", "Country", "countries"]
