"""The opening card: headline, publisher and date."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, font, safe_box, text_block, unit


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The headline (rises in), then the source line under an accent rule."""
    card = shot.title_card
    assert card is not None
    box, u = safe_box(job), unit(job)
    head, draw = canvas(job)
    bottom = text_block(draw, card.headline, Box(box.left, box.top + int(box.height * 0.12), box.right, box.top + int(box.height * 0.72)),
                        int(u * 0.1), int(u * 0.045), palette.text + (255,))
    line, pen = canvas(job)
    rule_y = bottom + int(u * 0.03)
    pen.rectangle((box.left, rule_y, box.left + int(u * 0.12), rule_y + max(4, int(u * 0.008))), fill=palette.accent + (255,))
    byline = " \u00b7 ".join(x for x in (card.source_line, card.date) if x)
    if byline:
        pen.text((box.left, rule_y + int(u * 0.03)), byline, font=font("RobotoMedium", u * 0.035), fill=palette.muted + (255,))
    return [save_layer(head, folder / "headline.png"), save_layer(line, folder / "byline.png", 0.7, rise=False)]
