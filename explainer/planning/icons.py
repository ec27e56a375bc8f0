"""A pictogram beside a headline: a Tabler icon chosen by the sentence-embedding model.

pytablericons ships Tabler's outline icons as SVG files, each with its tags and category in a
comment. The icons that stand for things a story is about (buildings, vehicles, health,
weather, nature, food, money, sport..., and the uncategorised ones such as "rocket" or
"telescope"; not arrows, letters or interface glyphs, nor the "-off", "-plus" variants) are
described by their name, category and tags ("building bank (buildings): architecture, city,
money, credit, loan") and embedded once. A visual's phrase gets an icon two ways:

- **named**: the parse finds the noun the phrase is about (its head, or the verb's object,
  with the nouns compounded with it: "SpaceX Falcon 9 rocket" is about a rocket) and an icon
  has that word in its name; the embedding model then checks the sense. The word itself
  says nothing of its sense, so the check is on the rest of the sentence: with the word left
  out, it must still be within ``CONTEXT_THRESHOLD`` of the icon's description ("the ___
  ran under the kitchen table" is not about a computer's mouse; "the satellite launched
  aboard a SpaceX Falcon 9 ___" is about a rocket), and the phrase within ``NAMED_THRESHOLD``;
- **near**: otherwise the icon closest to both the phrase and its sentence, when that
  similarity clears ``THRESHOLD`` and beats the best icon of another family by ``MARGIN``.

A doubtful match gets none. The sentence is what tells a river's bank from a lender.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..rendering.pictograms import icon_folder
from ..shotlist import Shot, ShotList

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..grounding.check import Embedder

#: Cosine similarity a phrase needs to its icon's description.
THRESHOLD = 0.47
#: The same for an icon whose name is the noun the phrase is about...
NAMED_THRESHOLD = 0.3
#: ...and what its sentence needs to the icon's description without that noun (the sense
#: check). Over 28 test pairs, no wrong sense scored above 0.13, and 10 of 16 right ones 0.2
#: or more ("public radio" 0.07: shown without its icon).
CONTEXT_THRESHOLD = 0.2
#: How far the best icon must lead the best icon of another family (its name's first word).
MARGIN = 0.02
#: Tabler's categories of things a story is about.
_CATEGORIES = frozenset({"Animals", "Buildings", "Charts", "Computers", "Currencies", "Devices", "E-commerce", "Electrical",
                         "Food", "Health", "Map", "Media", "Nature", "Photography", "Sport", "Vehicles", "Weather", ""})
#: A last word that makes a variant of another icon ("car-off", "bus-stop" stays).
_VARIANTS = frozenset("off plus minus x check up down left right exclamation question cancel pause share search cog code "
                      "dollar bolt heart star pin spark edit lock dots filled circle square 2 3 4 exclamation alt "
                      "minimal shield pause play stop forbid".split())
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
#: Uncategorised names that are interface glyphs or numbered drawings of another icon.
_GLYPH = re.compile(r"(^|-)(input|arrow|arrows|sort|text|list|\d+|ai|badge|square|circle|hexagon|rosette|pentagon|octagon|box|layout|align|toggle|mood|letter|number)(-|$)")
#: Dependencies of the noun a phrase is about: itself (the root), or the object a verb phrase acts on.
_ABOUT = frozenset({"ROOT", "dobj", "pobj", "attr", "nsubj", "nsubjpass", "appos"})


class Icon(NamedTuple):
    """A usable icon: the words the embedding model matches it by, and whether Tabler gives it
    a category (an uncategorised one is matched only when a phrase names it)."""

    description: str
    categorised: bool


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, "Icon"]:
    """Each usable icon's name, the description it is matched by and whether it has a category."""
    out: dict[str, Icon] = {}
    for path in sorted(icon_folder().glob("*.svg")):
        name = path.stem
        if name.split("-")[-1] in _VARIANTS:
            continue
        comment = _COMMENT.search(path.read_text(encoding="utf-8"))
        meta = comment.group(1) if comment else ""
        found = re.search(r"category:\s*(\S+)", meta)
        category = found.group(1) if found else ""
        if category not in _CATEGORIES or _GLYPH.search(name):
            continue
        tags = re.search(r"tags:\s*\[(.*?)\]", meta)
        words = ", ".join(t.strip() for t in tags.group(1).split(",")) if tags else ""
        # The category names the sense: "mouse (devices)" is not the animal.
        out[name] = Icon(f"{name.replace('-', ' ')}{f' ({category.lower()})' if category else ''}: {words}", bool(category))
    return out


class IconChooser:
    """Icons for phrases, by one embedding model (the icons' vectors computed once)."""

    def __init__(self, embedder: "Embedder") -> None:
        self.embedder = embedder
        self.names = list(vocabulary())
        self._vectors = embedder.encode([vocabulary()[n].description for n in self.names])
        # Only icons of a category are matched by meaning alone; an uncategorised one (Tabler
        # leaves interface glyphs among them) only when the phrase names it.
        self._near = np.array([vocabulary()[n].categorised for n in self.names])
        self._named: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for word in name.split("-"):
                self._named.setdefault(word, []).append(i)

    def choose(self, phrase: str, sentence: str = "", doc: "Doc | None" = None) -> str | None:
        """The icon for ``phrase`` read in ``sentence`` (``doc``: the phrase's parse, for the
        icon it names), or None when none is close enough. An icon must be close to the
        phrase and to its sentence both: "crane" is near the crane icon, "A crane waded in
        the marsh" is not."""
        phrase_vector, sentence_vector = self.embedder.encode([phrase, sentence or phrase])
        named = self._named_icon(sentence or phrase, about(doc), phrase_vector) if doc is not None else None
        if named:
            return named
        scores = np.where(self._near, np.minimum(self._vectors @ phrase_vector, self._vectors @ sentence_vector), -1.0)
        order = np.argsort(-scores)
        best = self.names[order[0]]
        family = best.split("-")[0]
        rival = next((scores[i] for i in order[1:] if self.names[i].split("-")[0] != family), 0.0)
        if scores[order[0]] < THRESHOLD or scores[order[0]] - rival < MARGIN:
            return None
        return best

    def _named_icon(self, sentence: str, words: list[str], phrase_vector: np.ndarray) -> str | None:
        """The icon a word of ``words`` names, when the sentence without that word still
        speaks of the icon's sense."""
        for word in words:
            close = [i for i in self._named.get(word, []) if self._vectors[i] @ phrase_vector >= NAMED_THRESHOLD]
            if not close:
                continue
            rest = re.sub(rf"\b{re.escape(word)}\w*", "", sentence, flags=re.I)
            context = self.embedder.encode([rest])[0]
            best = max(close, key=lambda i: self._vectors[i] @ context)
            if self._vectors[best] @ context >= CONTEXT_THRESHOLD:
                return self.names[best]
        return None


def about(doc: "Doc") -> list[str]:
    """The lemmas of the nouns a phrase is about: the noun at its root, or the nouns its verb
    acts on, each with the nouns compounded with it ("rocket", "falcon" of "SpaceX Falcon 9
    rocket"); not what modifies them ("progress of women" is about progress)."""
    heads = [t for t in doc if t.dep_ in _ABOUT and t.pos_ in ("NOUN", "PROPN") and (t.dep_ == "ROOT" or t.head.pos_ in ("VERB", "AUX", "ADP"))]
    # A preposition's object counts only under the root verb ("launched aboard a rocket"), not under a noun.
    heads = [t for t in heads if t.dep_ != "pobj" or t.head.head.pos_ in ("VERB", "AUX")]
    words = [t.lemma_.lower() for h in heads for t in [h, *(c for c in h.children if c.dep_ == "compound")]]
    return list(dict.fromkeys(words))


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
    from ..parsing import parser_for

    parser = parser_for(shotlist.source.language) if shotlist.source is not None else None
    shots: list[Shot] = []
    for shot in shotlist.shots:
        phrases = ([shot.on_screen_text] if shot.kind == "text" and shot.on_screen_text else []) + list(shot.then)
        docs = dict(zip(phrases, parser.parse(phrases))) if parser is not None and phrases else {}
        icons = dict(shot.icons)
        for phrase in phrases:
            if phrase not in icons:
                icon = chooser.choose(phrase, _sentence_of(phrase, shot.narration), docs.get(phrase))
                if icon:
                    icons[phrase] = icon
        shots.append(shot.model_copy(update={"icons": icons}))
    return shotlist.model_copy(update={"shots": shots})


__all__ = ["Icon", "IconChooser", "about", "icon_chooser", "vocabulary", "with_icons"]
