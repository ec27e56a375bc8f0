"""Plan checks: what every shot list must pass before it can render, whoever wrote it.

A plan fails when it has too few shots for its length, narration that is not natural
language (JSON, markup, schema names, the prompt's own words), the same line twice, filler an
editor would cut, a length off the target by more than 15%, or on-screen text too long to
read. Each failure has a code, the shot it is in, and a message a model or a person can act on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ..shotlist import ShotList, Source
from ..sources.sentences import split_sentences
from .base import PlanSettings
from .filler import filler_reason
from .speech import spoken_words

#: Allowed distance of the estimated length from the target, as a share of the target, but
#: never less than about one short sentence (a 10 s video cannot be cut to the second).
LENGTH_TOLERANCE = 0.15
MIN_LENGTH_TOLERANCE_S = 3.0
#: One shot per this many seconds of target length, at least.
SECONDS_PER_SHOT_MIN = 20.0
MAX_ON_SCREEN_WORDS = 8
MAX_ON_SCREEN_CHARS = 60
#: Shared runs of this many words with the prompt's instructions mean the prompt was echoed.
ECHO_WORDS = 6

_MARKUP = re.compile(
    r"[{}<>`]|#/|\$(?:defs|ref|schema)\b|\"\s*:|\b(?:on_screen_text|visual_prompt|source_refs|narration|ShotDraft|PlanDraft)\b"
)
_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*", re.UNICODE)


@dataclass(frozen=True)
class CheckFailure:
    """One reason a plan cannot render as it is."""

    code: str
    message: str
    shot: str | None = None

    def __str__(self) -> str:
        return f"{self.shot}: {self.message}" if self.shot else self.message


@dataclass(frozen=True)
class Capacity:
    """How much a source can fill: the longest plan of what is narratable in it, and the
    shortest (one sentence, or a sentence with the one it leans on)."""

    seconds: float
    shots: int
    shortest: float = 0.0


def source_capacity(source: Source | None, settings: PlanSettings) -> Capacity | None:
    """What the extractive planner would narrate given all the time in the world (None when
    there is no source, in topic mode): a short article cannot fill a long target."""
    from ..errors import PlanError
    from .extractive import ExtractivePlanner

    if source is None or not source.sentences:
        return None
    unlimited = PlanSettings(length_s=10**6, max_shots=10**4, kind=settings.kind, words_per_second=settings.words_per_second)
    tiny = replace(unlimited, length_s=0.01)
    try:
        longest, shortest = ExtractivePlanner().plan(source, unlimited), ExtractivePlanner().plan(source, tiny)
    except PlanError:
        return Capacity(0.0, 0)
    return Capacity(estimated_seconds(longest, settings), len(longest.shots), estimated_seconds(shortest, settings))


def estimated_seconds(shotlist: ShotList, settings: PlanSettings) -> float:
    """How long the narration will take, before any audio exists."""
    total = 0.0
    for shot in shotlist.shots:
        words = spoken_words(shot.narration)
        sentences = max(1, len(split_sentences(shot.narration)))
        total += words / settings.words_per_second + sentences * settings.sentence_pause_s + settings.shot_pause_s
    return total


def natural_language_problem(text: str) -> str | None:
    """Why a narration is not something to speak aloud, or None."""
    if _MARKUP.search(text):
        return "is JSON, markup or schema text, not spoken language"
    words = _WORD.findall(text)
    tokens = text.split()
    if len(words) < 4:
        return f"has {len(words)} word{'s' if len(words) != 1 else ''}; write a full spoken sentence"
    if len(words) / max(1, len(tokens)) < 0.6:
        return "is mostly symbols or numbers, not spoken language"
    return None


def line_key(sentence: str) -> str:
    """What makes two narrated lines the same line (figures count: "1 mile" is not "17 miles")."""
    return " ".join(re.findall(r"\w+", sentence.lower()))


def _ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def check_plan(
    shotlist: ShotList,
    settings: PlanSettings | None = None,
    *,
    capacity: Capacity | None = None,
    instructions: str = "",
) -> list[CheckFailure]:
    """Every failure of a plan. ``settings`` enables the length checks; ``capacity`` (what the
    source can fill) caps the length a short source can reach; ``instructions`` (the prompt a
    model was given) catches narration that repeats it."""
    failures: list[CheckFailure] = []
    echo = _ngrams(instructions, ECHO_WORDS) if instructions else set()
    seen: dict[str, str] = {}
    for shot in shotlist.shots:
        problem = natural_language_problem(shot.narration)
        if problem:
            failures.append(CheckFailure("not-language", f"the narration {problem}: {shot.narration[:60]!r}", shot.id))
            continue
        if echo and _ngrams(shot.narration, ECHO_WORDS) & echo:
            failures.append(CheckFailure("prompt-echo", "the narration repeats the instructions instead of telling the story", shot.id))
        for sentence in split_sentences(shot.narration):
            key = line_key(sentence)
            if key in seen:
                failures.append(CheckFailure("duplicate-line", f"says {sentence[:60]!r} again (also in {seen[key]})", shot.id))
            elif key:
                seen[key] = shot.id
            reason = filler_reason(sentence)
            if reason:
                failures.append(CheckFailure("filler", f"narrates {reason}: {sentence[:60]!r}; tell the story instead", shot.id))
        on_screen = shot.on_screen_text.strip()
        if len(on_screen.split()) > MAX_ON_SCREEN_WORDS or len(on_screen) > MAX_ON_SCREEN_CHARS:
            failures.append(
                CheckFailure("long-on-screen", f"on-screen text has {len(on_screen.split())} words; keep it to {MAX_ON_SCREEN_WORDS} or fewer", shot.id)
            )
    if settings is not None:
        failures += _length_failures(shotlist, settings, capacity)
    return failures


def _length_failures(shotlist: ShotList, settings: PlanSettings, capacity: Capacity | None) -> list[CheckFailure]:
    failures: list[CheckFailure] = []
    target = settings.length_s
    # A short source cannot fill a long target, and no plan is shorter than one sentence.
    expected = max(min(target, capacity.seconds), capacity.shortest) if capacity is not None else target
    needed = max(1, math.ceil(expected / SECONDS_PER_SHOT_MIN))
    if capacity is not None:
        needed = min(needed, max(1, capacity.shots))
    count = len(shotlist.shots)
    if count < needed:
        failures.append(CheckFailure("too-few-shots", f"{count} shot{'s' if count != 1 else ''} for {target:.0f} s; write at least {needed}"))
    if count > settings.max_shots:
        failures.append(CheckFailure("too-many-shots", f"{count} shots; write at most {settings.max_shots}"))
    estimate = estimated_seconds(shotlist, settings)
    tolerance = max(LENGTH_TOLERANCE * expected, MIN_LENGTH_TOLERANCE_S)
    # Sentences that must be told may run past the target, by as long as they take to say.
    sentences = shotlist.source.sentences if shotlist.source else {}
    required = [sentences[sid] for sid in settings.must_include if sid in sentences]
    over = sum(spoken_words(t) / settings.words_per_second + settings.sentence_pause_s + settings.shot_pause_s for t in required)
    if expected > 0 and not -tolerance <= estimate - expected <= tolerance + over:
        words = int(expected * settings.words_per_second * 0.85)
        failures.append(
            CheckFailure("length-off", f"the narration runs about {estimate:.0f} s, not {expected:.0f} s; write about {words} words in all")
        )
    return failures
