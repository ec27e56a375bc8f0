"""The plain card: the on-screen phrase as a headline. The last resort among the kinds."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer, headline_layer, save_layer
from ..palette import Palette


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The headline, easing up and fading in."""
    return [save_layer(headline_layer(shot.on_screen_text, job, palette), folder / "headline.png")]
