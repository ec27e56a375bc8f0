"""A timeline: dates in order along a line, a label each, appearing one after another."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit

STAGGER_S = 0.5


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The line first, then each event; across the frame when wide, down it when tall."""
    timeline = shot.timeline
    assert timeline is not None
    box, u = safe_box(job), unit(job)
    events = timeline.events
    wide = job.width > job.height
    line, draw = canvas(job)
    thick = max(4, int(u * 0.007))
    if wide:
        y = box.top + int(box.height * 0.45)
        draw.rectangle((box.left, y, box.right, y + thick), fill=palette.muted + (255,))
    else:
        x = box.left + int(u * 0.03)
        draw.rectangle((x, box.top, x + thick, box.bottom), fill=palette.muted + (255,))
    out = [save_layer(line, folder / "line.png", 0.1, rise=False)]
    dot = int(u * 0.035)
    for i, event in enumerate(events):
        layer, pen = canvas(job)
        if wide:
            step = box.width // len(events)
            cx = box.left + step * i + step // 2
            pen.ellipse((cx - dot // 2, y - dot // 2 + thick // 2, cx + dot // 2, y + dot // 2 + thick // 2), fill=palette.accent + (255,))
            date_font = font("RobotoBold", u * 0.06)
            width = pen.textlength(event.date, font=date_font)
            pen.text((cx - width / 2, y - dot - int(u * 0.07)), event.date, font=date_font, fill=palette.accent + (255,))
            cell = Box(cx - step // 2 + int(u * 0.01), y + dot, cx + step // 2 - int(u * 0.01), box.bottom)
            text_block(pen, event.label, cell, int(u * 0.04), int(u * 0.026), palette.text + (255,), weight="RobotoMedium")
        else:
            step = box.height // len(events)
            cy = box.top + step * i + int(u * 0.02)
            pen.ellipse((x - dot // 2 + thick // 2, cy, x + dot // 2 + thick // 2, cy + dot), fill=palette.accent + (255,))
            pen.text((x + dot * 2, cy - int(u * 0.012)), event.date, font=font("RobotoBold", u * 0.06), fill=palette.accent + (255,))
            cell = Box(x + dot * 2, cy + int(u * 0.07), box.right, cy + step - int(u * 0.01))
            text_block(pen, event.label, cell, int(u * 0.045), int(u * 0.028), palette.text + (255,), weight="RobotoMedium")
        out.append(save_layer(layer, folder / f"event{i}.png", 0.4 + i * STAGGER_S, rise=False))
    return out
