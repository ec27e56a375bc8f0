"""Pacing: every visual on screen three to seven seconds, none past eight.

A shot whose narration runs longer than ``MAX_BEAT_S`` gets more visuals (``then``): its
narration is cut at sentence and clause boundaries from the parse into runs of three to seven
seconds, and each run after the first shows a whole phrase of its own words (a noun phrase or
a clause: ``phrases.candidates``) from the moment they are spoken. The words are the
narration's own, so they are as grounded as the narration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..parsing import parser_for
from ..shotlist import Shot, ShotList
from .base import PlanSettings
from .phrases import boundaries, candidates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Longest a visual should stay on screen, seconds.
MAX_BEAT_S = 7.0
#: Shortest a visual should stay on screen, seconds.
MIN_BEAT_S = 3.0
#: Most words in a beat's phrase.
MAX_WORDS = 8
#: A beat's phrase starts in the first part of its run, so it is up for most of the run.
EARLY = 0.45


def estimated_seconds(narration: str, settings: PlanSettings) -> float:
    """How long the narrator will take, before any audio exists."""
    return len(narration.split()) / settings.words_per_second + settings.shot_pause_s


def _seconds(tokens: Sequence["Token"], settings: PlanSettings) -> float:
    words = sum(1 for t in tokens if not t.is_punct)
    ends = sum(1 for t in tokens if t.is_sent_end)
    return words / settings.words_per_second + ends * settings.sentence_pause_s


def runs(doc: "Doc", settings: PlanSettings) -> list[tuple[int, int]]:
    """The narration cut into runs of tokens ``[start, end)`` of three to seven seconds where
    its sentences and clauses allow; sentence starts are preferred to clause starts."""
    sentence_starts = {s.start for s in doc.sents}
    cuts = sorted(sentence_starts | {s.start + c for s in doc.sents for c in boundaries(s.as_doc())})
    out: list[tuple[int, int]] = []
    start = 0
    while _seconds(doc[start:], settings) > MAX_BEAT_S:
        fits = [c for c in cuts if c > start and MIN_BEAT_S <= _seconds(doc[start:c], settings) <= MAX_BEAT_S
                and _seconds(doc[c:], settings) >= MIN_BEAT_S * 0.8]
        if not fits:
            # No boundary gives a run of three to seven seconds: the nearest under eight.
            fits = [c for c in cuts if c > start and 2.0 <= _seconds(doc[start:c], settings) <= MAX_BEAT_S + 1
                    and _seconds(doc[c:], settings) >= 2.0]
            if not fits:
                break
        # A sentence start if one fits, else the cut that leaves the longest run in range.
        cut = max(fits, key=lambda c: (c in sentence_starts, c))
        out.append((start, cut))
        start = cut
    out.append((start, len(doc)))
    return out


def beats(doc: "Doc", settings: PlanSettings, idf: dict[str, float] | None = None, shown: Sequence[str] = ()) -> list[str]:
    """The phrases a long narration shows after its first visual, one per run past the first
    (none that repeats what is already ``shown``)."""
    phrases: list[str] = []
    seen = " ".join(shown).lower()
    for start, end in runs(doc, settings)[1:]:
        span = doc[start:end]
        words = [t for t in span if not t.is_punct]
        early = span[0].i + max(1, int(len(words) * EARLY)) + 1
        found = [c for c in candidates(span, idf, MAX_WORDS) if c.tokens[0].i <= early]
        found = [c for c in found if c.text.lower() not in seen]
        if found and found[0].text.lower() not in (p.lower() for p in phrases):
            phrases.append(found[0].text[:1].upper() + found[0].text[1:])
    return phrases


def _beats_for(shot: Shot, settings: PlanSettings) -> list[str]:
    parser = parser_for("en")
    if parser is None:
        return []
    return beats(parser.parse([shot.narration])[0], settings, shown=shot.shown_text())


def pace(shotlist: ShotList, settings: PlanSettings) -> ShotList:
    """Every shot expected to run past ``MAX_BEAT_S`` given its following visuals (unless an
    editor or planner already set them); English narration only (the cuts read its parse)."""
    if not shotlist.language.lower().startswith("en"):
        return shotlist
    shots = []
    for shot in shotlist.shots:
        if not shot.then and estimated_seconds(shot.narration, settings) > MAX_BEAT_S:
            shot = shot.model_copy(update={"then": _beats_for(shot, settings)})
        shots.append(shot)
    return shotlist.model_copy(update={"shots": shots})


def refresh(shotlist: ShotList, settings: PlanSettings | None = None) -> ShotList:
    """Following visuals recut where an edit to the narration left them saying words no longer
    spoken (an editor changes the narration and need not touch ``then``)."""
    shots = []
    for shot in shotlist.shots:
        if any(phrase.lower() not in shot.narration.lower() for phrase in shot.then):
            english = shotlist.language.lower().startswith("en")
            shot = shot.model_copy(update={"then": _beats_for(shot, settings or PlanSettings()) if english else []})
        shots.append(shot)
    return shotlist.model_copy(update={"shots": shots})
