"""A list: up to four short points, each appearing in turn."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, safe_box, text_block, unit

#: Seconds between one point appearing and the next.
STAGGER_S = 0.45


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """One layer per point, staggered, each with an accent marker."""
    box, u = safe_box(job), unit(job)
    top = box.top + (int(u * 0.1) if shot.on_screen_text else 0)
    out: list[Layer] = []
    if shot.on_screen_text:
        head, draw = canvas(job)
        text_block(draw, shot.on_screen_text, Box(box.left, box.top, box.right, top), int(u * 0.06), int(u * 0.035), palette.muted + (255,), weight="RobotoMedium")
        out.append(save_layer(head, folder / "heading.png", rise=False))
    row = min((box.bottom - top) // max(1, len(shot.points)), int(u * 0.16))
    for i, point in enumerate(shot.points):
        layer, draw = canvas(job)
        y = top + i * row
        dot = int(u * 0.022)
        draw.ellipse((box.left, y + dot // 2, box.left + dot, y + dot + dot // 2), fill=palette.accent + (255,))
        text_block(draw, point, Box(box.left + dot * 2, y, box.right, y + row - int(u * 0.01)), int(u * 0.055), int(u * 0.032), palette.text + (255,), weight="RobotoMedium")
        out.append(save_layer(layer, folder / f"point{i}.png", 0.3 + i * STAGGER_S))
    return out
