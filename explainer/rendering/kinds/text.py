"""The plain card: the on-screen phrase as a headline, with its icon when it has one. The last
resort among the kinds."""

from __future__ import annotations

from pathlib import Path

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import HEADLINE_MIDDLE, Layer, headline_layer, save_layer, title_safe
from ..palette import Palette
from ..pictograms import pictogram
from .layout import canvas, unit

#: The icon's size, as a share of the frame's short side.
ICON_SIZE = 0.26


def layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The headline, easing up and fading in; its icon, if any, a moment later (beside it in a
    wide frame, above it in a tall or square one)."""
    icon = shot.icons.get(shot.on_screen_text)
    if not icon:
        return [save_layer(headline_layer(shot.on_screen_text, job, palette), folder / "headline.png")]
    u = unit(job)
    size = int(u * ICON_SIZE)
    margin = title_safe(job.width, u * 0.08)
    wide = job.width > job.height
    headline = headline_layer(shot.on_screen_text, job, palette, reserve=size + int(u * 0.06) if wide else 0)
    out = [save_layer(headline, folder / "headline.png")]
    image, _ = canvas(job)
    if wide:  # beside the headline, at the right
        at = (job.width - margin - size, int(job.height * HEADLINE_MIDDLE - size / 2))
    else:  # above it, where a tall frame has room
        top = (headline.getbbox() or (0, int(job.height * HEADLINE_MIDDLE), 0, 0))[1]
        at = (margin, max(0, top - size - int(u * 0.06)))
    image.alpha_composite(pictogram(icon, size, palette.accent), at)
    out.append(save_layer(image, folder / "icon.png", 0.5, rise=False))
    return out
