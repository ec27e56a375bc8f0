"""Tabler icons (pytablericons' outline SVGs) drawn in a palette colour with resvg."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from PIL import Image

from ..errors import RenderError


def icon_folder() -> Path:
    """Where pytablericons keeps the outline SVGs."""
    import pytablericons

    return Path(pytablericons.__file__).parent / "icons" / "outline"


@lru_cache(maxsize=64)
def pictogram(name: str, size: int, colour: tuple[int, int, int]) -> Image.Image:
    """The icon ``name`` as a ``size``-pixel RGBA image, its strokes in ``colour``."""
    import io

    import resvg_py

    path = icon_folder() / f"{name}.svg"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise RenderError(f"icon {name!r} is not a Tabler outline icon; fix its name in the shot list's icons or remove it")
    svg = path.read_text(encoding="utf-8").replace("currentColor", "#%02x%02x%02x" % colour)
    # Thinner strokes at this size read as drawn, not as bold type.
    svg = svg.replace('stroke-width="2"', 'stroke-width="1.5"')
    data = bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size))
    return Image.open(io.BytesIO(data)).convert("RGBA")


__all__ = ["icon_folder", "pictogram"]
