"""A quote: the words in quote marks, the speaker and role beneath."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """A large opening mark, the quote (rises in), then the attribution."""
    quote = shot.quote
    assert quote is not None
    box, u = safe_box(job), unit(job)
    words, draw = canvas(job)
    draw.text((box.left, box.top - int(u * 0.04)), "\u201c", font=font("RobotoBold", u * 0.16), fill=palette.accent + (255,))
    inner = Box(box.left + int(u * 0.02), box.top + int(u * 0.1), box.right, box.top + int(box.height * 0.78))
    bottom = text_block(draw, f"{quote.text}\u201d", inner, int(u * 0.072), int(u * 0.034), palette.text + (255,), weight="RobotoMedium")
    who, pen = canvas(job)
    y = bottom + int(u * 0.03)
    pen.text((inner.left, y), "\u2014 " + quote.speaker, font=font("RobotoBold", u * 0.042), fill=palette.accent + (255,))
    if quote.role:
        pen.text((inner.left, y + int(u * 0.055)), quote.role, font=font("Roboto", u * 0.034), fill=palette.muted + (255,))
    return [save_layer(words, folder / "quote.png"), save_layer(who, folder / "speaker.png", 0.8, rise=False)]
