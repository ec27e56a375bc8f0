"""A definition: the term large in the accent colour, a rule, then what it is."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, save_layer
from ..palette import Palette
from .layout import Box, canvas, safe_box, text_block, unit


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The term rises in; the rule and the meaning follow half a second later."""
    definition = shot.definition
    assert definition is not None
    box, u = safe_box(job), unit(job)
    term, pen = canvas(job)
    term_bottom = text_block(pen, definition.term, Box(box.left, box.top, box.right, box.top + int(box.height * 0.4)),
                             int(u * 0.11), int(u * 0.06), palette.accent + (255,))
    meaning, pen = canvas(job)
    rule_y = term_bottom + int(u * 0.02)
    pen.rectangle((box.left, rule_y, box.left + int(u * 0.12), rule_y + max(3, int(u * 0.005))), fill=palette.muted + (255,))
    text = definition.meaning[:1].upper() + definition.meaning[1:]
    text_block(pen, text, Box(box.left, rule_y + int(u * 0.04), box.right, box.bottom), int(u * 0.06), int(u * 0.04),
               palette.text + (255,), weight="RobotoMedium")
    return [save_layer(term, folder / "term.png"), save_layer(meaning, folder / "meaning.png", 0.7)]
