"""Pacing: every visual on screen three to seven seconds, none past eight.

A shot whose narration runs longer than ``MAX_BEAT_S`` gets more visuals (``then``): its
narration is cut at sentence and clause boundaries from the parse into runs of three to seven
seconds, and each run after the first shows a whole phrase of its own words (a noun phrase or
a clause: ``phrases.candidates``) from the moment they are spoken. The words are the
narration's own, so they are as grounded as the narration.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from ..parsing import parser_for
from ..shotlist import Shot, ShotList
from .base import PlanSettings
from .phrases import boundaries, candidates
from .speech import spoken_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Longest a visual should stay on screen, seconds.
MAX_BEAT_S = 7.0
#: Shortest a visual should stay on screen, seconds.
MIN_BEAT_S = 3.0
#: Most words in a beat's phrase.
MAX_WORDS = 8
#: A beat's phrase starts within this many words of its run, so it is up for most of the run.
LEAD_WORDS = 3
_QUOTED = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")


def estimated_seconds(narration: str, settings: PlanSettings) -> float:
    """How long the narrator will take, before any audio exists."""
    return spoken_words(narration) / settings.words_per_second + settings.shot_pause_s


def _seconds(tokens: Sequence["Token"], settings: PlanSettings) -> float:
    words = sum(spoken_words(t.text) for t in tokens if not t.is_punct)
    ends = sum(1 for t in tokens if t.is_sent_end)
    return words / settings.words_per_second + ends * settings.sentence_pause_s


def _cuts(doc: "Doc", fine: bool) -> list[int]:
    return sorted({s.start for s in doc.sents} | {s.start + c for s in doc.sents for c in boundaries(s.as_doc(), fine)})


def _quoted(doc: "Doc") -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(doc.text)]


def _phrase_at(doc: "Doc", cut: int, idf: dict[str, float] | None, avoid: str, quoted: bool, earlier: str = "",
               loose: bool = False, lead: int = LEAD_WORDS) -> str:
    """The best whole phrase that starts within the first words after ``cut`` (in its own
    sentence, not said before it, not already on screen, and unless ``quoted`` not inside
    quotation marks: a piece of a quotation shown alone misquotes), or ''."""
    end = doc[cut].sent.end
    text = doc.text.lower()
    inside = [] if quoted else _quoted(doc)
    for found in candidates(doc[cut:end], idf, MAX_WORDS, loose):
        phrase = found.text.lower()
        at = found.tokens[0].idx
        if any(a <= at < b for a, b in inside):
            continue
        # Not what is on screen already, in either direction ("Shed about 1,140 billion tons"
        # is in "Greenland Ice Sheet shed about 1,140 billion tons").
        # A one-word label ("ice") is no repeat of "Greenland Ice Sheet".
        repeats = phrase in avoid or any(len(part.split()) > 1 and part in phrase for part in avoid.split("\n"))
        repeats = repeats or phrase in earlier  # shown whole by an earlier shot
        if found.tokens[0].i <= cut + lead and not repeats and text.find(phrase) >= doc[cut].idx:
            return found.text[:1].upper() + found.text[1:]
    return ""


def beats(doc: "Doc", settings: PlanSettings, idf: dict[str, float] | None = None, shown: Sequence[str] = (),
          quoted: bool = False, earlier: Sequence[str] = ()) -> list[str]:
    """The phrases a long narration shows after its first visual. The narration is cut where a
    sentence, then a clause, then a phrase starts, into runs of three to seven seconds (two to
    eight where nothing else fits); each run past the first shows a whole phrase that starts
    with it (``phrases.candidates``), none that repeats what is already ``shown`` or that an
    ``earlier`` shot showed whole. Where no
    such cut has a whole phrase, the cut is where one starts."""
    phrases: list[str] = []
    start = 0
    while _seconds(doc[start:], settings) > MAX_BEAT_S:
        said = "\n".join([*shown, *phrases]).lower()
        before = "\n".join(earlier).lower()
        options = _options(doc, start, _cuts(doc, True), settings, idf, said, quoted, before)
        if not options:
            anywhere = sorted({c.tokens[0].i for c in candidates(doc[start:], idf, MAX_WORDS)})
            options = _options(doc, start, anywhere, settings, idf, said, quoted, before)
        if not options:
            # Plainer phrases (a noun chunk, a relative clause's verb phrase) before a long wait;
            # failing those, the same read a little later than said, with a shorter run after.
            anywhere = sorted({c.tokens[0].i for c in candidates(doc[start:], idf, MAX_WORDS, loose=True)})
            options = _options(doc, start, anywhere, settings, idf, said, quoted, before, loose=True) or \
                _options(doc, start, anywhere, settings, idf, said, quoted, before, loose=True, lead=2 * LEAD_WORDS, rest=1.0)
        if not options:
            # Nothing to show within eight seconds: the first phrase after, so the wait is shortest.
            later = _options(doc, start, _cuts(doc, True), settings, idf, said, quoted, before, longest=float("inf"))
            options = [max(later, key=lambda o: -o[1])] if later else []
        if not options:
            break
        _, start, phrase = max(options)
        phrases.append(phrase)
    return phrases


def _options(doc: "Doc", start: int, cuts: Sequence[int], settings: PlanSettings, idf: dict[str, float] | None,
             said: str, quoted: bool, earlier: str, longest: float = MAX_BEAT_S + 1,
             loose: bool = False, lead: int = LEAD_WORDS, rest: float = 2.0) -> list[tuple[tuple, int, str]]:
    """Each cut after ``start`` that leaves runs of two to ``longest`` (eight) seconds before
    it and two or more after, and has a whole phrase to show, ranked: runs of three to seven
    seconds, then sentence, then clause cuts."""
    sentence_starts = {s.start for s in doc.sents}
    coarse = set(_cuts(doc, False))
    options = []
    for cut in cuts:
        # The first visual is up through the narrator's lead-in as well.
        pause = settings.shot_pause_s if start == 0 else 0.0
        run, after = _seconds(doc[start:cut], settings) + pause, _seconds(doc[cut:], settings)
        if cut <= start or not 2.0 <= run <= longest or after < rest:
            continue
        phrase = _phrase_at(doc, cut, idf, said, quoted, earlier, loose, lead)
        if phrase:
            in_range = MIN_BEAT_S <= run <= MAX_BEAT_S and after >= MIN_BEAT_S * 0.8
            options.append(((in_range, cut in sentence_starts, cut in coarse, cut), cut, phrase))
    return options


def _beats_for(shot: Shot, settings: PlanSettings, before: Sequence[str] = ()) -> list[str]:
    parser = parser_for("en")
    if parser is None:
        return []
    # A quote card may hand over to a phrase of its own quote (a pull-quote); other cards show
    # something new, and nothing an earlier shot showed.
    shown = [t for t in shot.shown_text() if not (shot.quote and t == shot.quote.text)]
    return beats(parser.parse([shot.narration])[0], settings, shown=shown, quoted=shot.kind == "quote", earlier=before)


def pace(shotlist: ShotList, settings: PlanSettings) -> ShotList:
    """Every shot expected to run past ``MAX_BEAT_S`` given its following visuals (unless an
    editor or planner already set them); English narration only (the cuts read its parse)."""
    if not shotlist.language.lower().startswith("en"):
        return shotlist
    shots: list[Shot] = []
    for shot in shotlist.shots:
        if not shot.then and estimated_seconds(shot.narration, settings) > MAX_BEAT_S:
            before = [t for s in shots for t in s.shown_text()]
            shot = shot.model_copy(update={"then": _beats_for(shot, settings, before)})
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
