"""Pacing: no visual stays on screen longer than about seven seconds.

A shot whose narration runs longer gets a second visual (``then``): the words of its second
half, cut at the clause nearest the middle, shown as a headline from the moment they are
spoken. The words are the narration's own, so they are as grounded as the narration.
"""

from __future__ import annotations

import re

from ..shotlist import ShotList
from .base import PlanSettings
from .textrank import STOPWORDS

#: Longest a visual should stay on screen, seconds (the issue's 3-7 s pace).
MAX_BEAT_S = 7.0
#: Most words shown in a second visual (a remainder up to ``WHOLE_WORDS`` is shown whole).
MAX_WORDS = 9
WHOLE_WORDS = 12
#: Kinds whose own content is long enough to read through the whole shot.
KEEP = frozenset({"quote"})

_CLAUSE = re.compile(r"(?:[,;:\u2014]\s+|\s+(?=(?:and|but|while|which|who|after|before|because|with|when|where|to)\s))")
_LEADING = frozenset({"and", "but", "while", "which", "who", "so", "then", "with"})


def estimated_seconds(narration: str, settings: PlanSettings) -> float:
    """How long the narrator will take, before any audio exists."""
    return len(narration.split()) / settings.words_per_second + settings.shot_pause_s


def second_beat(narration: str) -> str:
    """The phrase a long shot shows second: its second half from the clause boundary nearest
    the middle, at most ``MAX_WORDS`` words, ending on a content word."""
    middle = len(narration) / 2
    cuts = [m.end() for m in _CLAUSE.finditer(narration) if len(narration) * 0.3 < m.end() < len(narration) * 0.7]
    if cuts:
        words = narration[min(cuts, key=lambda c: abs(c - middle)):].split()
    else:
        # No clause to cut at: the sentence's last words, from a plain word (not inside a
        # name or a number) past the middle.
        words = narration[int(middle):].split()[1:]
        while words and not (words[0][:1].islower() and words[0].isalpha()):
            words = words[1:]
        words = words[-WHOLE_WORDS:]
    while words and words[0].lower().strip(",;:") in _LEADING:
        words = words[1:]
    if len(words) > WHOLE_WORDS:
        words = words[:MAX_WORDS]
    while words and (words[-1].lower().strip(".,;:!?\"'\u201d") in STOPWORDS or not words[-1].strip(".,;:!?\"'\u201d")):
        words = words[:-1]
    phrase = _balanced(" ".join(words).rstrip(".,;:!?\"'\u201d"))
    return phrase if len(phrase.split()) >= 3 else ""


def _balanced(phrase: str) -> str:
    """The phrase cut before a quote mark or bracket it opens and does not close (or closes
    without opening): half a quotation on screen misquotes."""
    for mark, close in (('"', '"'), ("\u201c", "\u201d"), ("(", ")")):
        opens, closes = phrase.count(mark), phrase.count(close)
        if (mark == close and opens % 2) or (mark != close and opens != closes):
            cut = min(i for i in (phrase.find(mark), phrase.find(close)) if i >= 0)
            phrase = phrase[:cut].rstrip(" ,;:")
    return phrase


def pace(shotlist: ShotList, settings: PlanSettings) -> ShotList:
    """Every shot expected to run past ``MAX_BEAT_S`` given a second visual (unless it has one)."""
    shots = []
    for shot in shotlist.shots:
        if not shot.then and shot.kind not in KEEP and estimated_seconds(shot.narration, settings) > MAX_BEAT_S:
            phrase = second_beat(shot.narration)
            if phrase:
                shot = shot.model_copy(update={"then": phrase})
        shots.append(shot)
    return shotlist.model_copy(update={"shots": shots})



def refresh(shotlist: ShotList) -> ShotList:
    """Second visuals recut where an edit to the narration left them saying words no longer
    spoken (an editor changes the narration and need not touch ``then``)."""
    shots = []
    for shot in shotlist.shots:
        if shot.then and shot.then.lower() not in shot.narration.lower():
            shot = shot.model_copy(update={"then": second_beat(shot.narration)})
        shots.append(shot)
    return shotlist.model_copy(update={"shots": shots})
