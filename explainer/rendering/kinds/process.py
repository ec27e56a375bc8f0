"""A process: numbered steps joined by arrows, each step and its arrow drawn in turn.

Across the frame when it is wide (up to five steps in a row), down it when it is tall or square.
"""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit

#: Seconds between one step appearing and the next.
STAGGER_S = 0.45


def _cells(count: int, box: Box, wide: bool, gap: int) -> list[Box]:
    """Where each step goes: equal cells in a row (wide) or a column in the box's middle,
    ``gap`` apart for the arrows."""
    if wide:
        width = (box.width - gap * (count - 1)) // count
        return [Box(box.left + i * (width + gap), box.top, box.left + i * (width + gap) + width, box.bottom) for i in range(count)]
    height = min((box.height - gap * (count - 1)) // count, int(box.width * 0.3))
    top = box.top + max(0, (box.height - count * height - (count - 1) * gap) // 2)  # the column in the middle
    return [Box(box.left, top + i * (height + gap), box.right, top + i * (height + gap) + height) for i in range(count)]


def _arrow(pen, start: tuple[int, int], end: tuple[int, int], width: int, colour: tuple) -> None:
    """A straight arrow from ``start`` to ``end`` with its head at ``end``."""
    pen.line((start, end), fill=colour, width=width)
    (x0, y0), (x1, y1) = start, end
    size = width * 3
    if y0 == y1:  # across
        pen.polygon([(x1, y1), (x1 - size, y1 - size), (x1 - size, y1 + size)], fill=colour)
    else:  # down
        pen.polygon([(x1, y1), (x1 - size, y1 - size), (x1 + size, y1 - size)], fill=colour)


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """Each step in turn (its number in an accent disc, its words under or beside it) with the
    arrow that leads to it; the steps are the headline, so no other is drawn."""
    box, u = safe_box(job), unit(job)
    wide = job.width > job.height * 1.2
    gap = int(u * 0.1)
    disc = int(u * 0.09)
    size = int(u * 0.062)
    # A row across the middle of the box when wide; a column from the top otherwise.
    area = Box(box.left, box.top + int(box.height * 0.22), box.right, box.bottom) if wide else box
    cells = _cells(len(shot.steps), area, wide, gap)
    line = max(3, int(u * 0.007))
    out: list[Layer] = []
    for i, (step, cell) in enumerate(zip(shot.steps, cells)):
        layer, pen = canvas(job)
        pen.ellipse((cell.left, cell.top, cell.left + disc, cell.top + disc), fill=palette.accent + (255,))
        face = font("RobotoBold", disc * 0.55)
        pen.text((cell.left + disc / 2, cell.top + disc / 2), str(i + 1), font=face, fill=palette.bottom + (255,), anchor="mm")
        words = Box(cell.left, cell.top + disc + int(u * 0.03), cell.right, cell.bottom) if wide else \
            Box(cell.left + disc + int(u * 0.04), cell.top + int(disc * 0.1), cell.right, cell.bottom)
        text_block(pen, step, words, size, int(u * 0.045), palette.text + (255,), weight="RobotoMedium")
        if i:
            before = cells[i - 1]
            if wide:  # from past the step before's disc to this one's, along the discs' middle
                y = cell.top + disc // 2
                _arrow(pen, (before.left + disc + int(u * 0.03), y), (cell.left - int(u * 0.03), y), line, palette.muted + (255,))
            else:
                x = cell.left + disc // 2
                _arrow(pen, (x, before.top + disc + int(u * 0.015)), (x, cell.top - int(u * 0.015)), line, palette.muted + (255,))
        out.append(save_layer(layer, folder / f"step{i}.png", 0.3 + i * STAGGER_S, rise=False))
    return out
