"""Placing the newsroom's photos and clips on the shots they belong to.

A photo goes where its caption talks about what the shot's source sentences talk about:
shared content words, names counting double. Only shots that would otherwise be a plain
text card (or generated footage) take a photo; a figure, chart, quote or timeline keeps its
graphic. A photo that matches no shot stays in the shot list's ``media``, unplaced, for an
editor to place by hand (kind: media, media: its id).
"""

from __future__ import annotations

import re
from typing import Sequence

from ..shotlist import MediaItem, Shot, ShotList
from .textrank import tokens

#: Kinds a photo may replace: the ones that show no fact of their own.
REPLACEABLE = frozenset({"text", "generated"})
#: Least match score (shared content words, names counting double) to place a photo.
MIN_SCORE = 2

_NAME = re.compile(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]+")


def match_score(caption: str, text: str) -> int:
    """How strongly a caption and a shot's text speak of the same things."""
    words = set(tokens(text))
    names = set(tokens(" ".join(_NAME.findall(caption))))
    return sum(2 if w in names else 1 for w in set(tokens(caption)) & words)


def shot_text(shot: Shot, shotlist: ShotList) -> str:
    """The words a photo is matched against: the shot's cited sentences and its narration."""
    source = shotlist.source
    cited = [source.sentences[r] for r in shot.source_refs if source and r in source.sentences]
    return " ".join([*cited, shot.narration])


def place_media(shotlist: ShotList, items: Sequence[MediaItem]) -> ShotList:
    """The shot list with ``items`` listed in its media and placed on the shots they match best."""
    listed = {item.id: item for item in shotlist.media}
    for item in items:
        listed.setdefault(item.id, item)
    used = {shot.media for shot in shotlist.shots if shot.kind == "media"}
    pairs = []
    for item in listed.values():
        if item.id in used or not item.caption:
            continue
        for index, shot in enumerate(shotlist.shots):
            if shot.kind in REPLACEABLE:
                score = match_score(item.caption, shot_text(shot, shotlist))
                if score >= MIN_SCORE:
                    pairs.append((score, -index, item.id, index))
    shots = list(shotlist.shots)
    taken: set[int] = set()
    for _, _, item_id, index in sorted(pairs, reverse=True):
        if item_id in used or index in taken:
            continue
        used.add(item_id)
        taken.add(index)
        shots[index] = shots[index].model_copy(update={"kind": "media", "media": item_id})
    return shotlist.model_copy(update={"shots": shots, "media": list(listed.values())})


def unplaced(shotlist: ShotList) -> list[MediaItem]:
    """The listed photos and clips no shot shows."""
    shown = {shot.media for shot in shotlist.shots if shot.kind == "media"}
    return [item for item in shotlist.media if item.id not in shown]
