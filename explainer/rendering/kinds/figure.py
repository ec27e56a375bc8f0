"""A figure: the number, big, with what it measures and a line of context."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, fit_headline, save_layer
from ..palette import Palette
from .layout import Box, canvas, safe_box, text_block, unit


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The value rises in first; its label and context follow half a second later."""
    figure = shot.figure
    assert figure is not None
    box, u = safe_box(job), unit(job)
    value, draw = canvas(job)
    face, lines = fit_headline(figure.value, box.width, int(box.height * 0.45), int(u * 0.2), int(u * 0.08))
    top = box.top + int(box.height * 0.08)
    for i, line in enumerate(lines):
        draw.text((box.left, top + i * int(face.size * 1.1)), line, font=face, fill=palette.accent + (255,))
    below = top + len(lines) * int(face.size * 1.1) + int(u * 0.02)
    words, pen = canvas(job)
    label_bottom = text_block(pen, figure.label[:1].upper() + figure.label[1:], Box(box.left, below, box.right, below + int(box.height * 0.25)),
                              int(u * 0.065), int(u * 0.04), palette.text + (255,))
    if figure.context:
        text_block(pen, figure.context, Box(box.left, label_bottom + int(u * 0.015), box.right, box.bottom),
                   int(u * 0.04), int(u * 0.03), palette.muted + (255,), weight="Roboto")
    return [save_layer(value, folder / "value.png"), save_layer(words, folder / "label.png", 0.75)]
