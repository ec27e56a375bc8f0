"""One module per shot kind: each draws its content as timed transparent layers.

``layers(shot, job, palette, folder)`` is the whole interface; the renderer lays the result
over its background with the chrome. A kind without its own module (``generated`` on a
renderer that cannot generate) is drawn as a text card.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from ...shotlist import Shot
from ..base import RenderJob
from ..overlay import Layer
from ..palette import Palette
from .layout import safe_box
from . import chart, definition, figure, map as locator, media, points, process, quote, text, timeline, title

KINDS: dict[str, Callable[[Shot, RenderJob, Palette, Path], list[Layer]]] = {
    "title": title.layers,
    "figure": figure.layers,
    "chart": chart.layers,
    "timeline": timeline.layers,
    "quote": quote.layers,
    "list": points.layers,
    "map": locator.layers,
    "process": process.layers,
    "definition": definition.layers,
    "media": media.layers,
    "text": text.layers,
}


#: Kinds whose content is a block of type, centred as a whole in the safe box (charts and
#: timelines fill the box and text cards place their own headline).
CENTRED = frozenset({"title", "figure", "quote", "list", "definition"})


def content_layers(shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
    """The shot's content layers, drawn by its kind's module."""
    layers = KINDS.get(shot.kind, text.layers)(shot, job, palette, folder)
    return centred(layers, job) if shot.kind in CENTRED else layers


def centred(layers: list[Layer], job: RenderJob) -> list[Layer]:
    """The layers moved up or down together so their block sits in the middle of the safe box."""
    from PIL import Image

    if not layers:
        return layers
    spans = []
    for layer in layers:
        with Image.open(layer.path) as image:
            spans.append((layer.at[1], layer.at[1] + image.height))
    top, bottom = min(a for a, _ in spans), max(b for _, b in spans)
    box = safe_box(job)
    shift = (box.top + (box.height - (bottom - top)) // 2 - top) // 2 * 2
    return [replace(layer, at=(layer.at[0], layer.at[1] + shift)) for layer in layers]


__all__ = ["KINDS", "content_layers"]
