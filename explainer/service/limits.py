"""What the service accepts, in one place: the bounds and text rules a request meets at the
door and a script meets at every edit, with the same words for the same rule."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Iterator

MIN_LENGTH_S = 3.0
#: The longest video a request may ask for, and the longest an edited script may run.
MAX_LENGTH_S = 600.0
MAX_SHOTS = 120
MAX_SHOT_S = 60.0
MAX_NARRATION_CHARS = 2_000
MAX_SEED = 2**32 - 1
#: Control characters a multi-line text may hold; none elsewhere.
_LINE_BREAKS = frozenset("\n\r\t")


def control_problem(field: str, value: str, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be accepted for ``field``: it holds a NUL or another control
    character (a line break only where text runs over lines)."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs") and not (multiline and char in _LINE_BREAKS):
            return f"{field}: contains the control character U+{ord(char):04X}; send plain text"
    return None


def length_problem(field: str, seconds: float) -> str | None:
    """Why a video of ``seconds`` cannot be asked for."""
    if not MIN_LENGTH_S <= seconds <= MAX_LENGTH_S:
        return f"{field}: {seconds:g} s is outside {MIN_LENGTH_S:g} to {MAX_LENGTH_S:g} s; ask for a length in that range"
    return None


def voice_problem(field: str, name: str) -> str | None:
    """Why ``name`` is not a voice this server speaks with (only its catalogue, never a path)."""
    from voices.catalog import list_voices

    names = [v.name for v in list_voices()]
    if name not in names:
        return f"{field}: unknown voice; use one of: {', '.join(names)}"
    return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, f"{where}.{n}")


def script_problem(shotlist) -> str | None:
    """Why an edited script cannot be accepted: the bounds of a request and its text rules,
    checked on what the editor sent (the first problem, as a one-line 422 message)."""
    if len(shotlist.shots) > MAX_SHOTS:
        return f"shotlist.shots: {len(shotlist.shots)} shots is more than {MAX_SHOTS}; split the story or drop shots"
    for n, shot in enumerate(shotlist.shots):
        where = f"shotlist.shots.{n}"
        if shot.duration_s is not None and shot.duration_s > MAX_SHOT_S:
            return f"{where}.duration_s: {shot.duration_s:g} s is more than the {MAX_SHOT_S:g} s a shot may hold; split it"
        if len(shot.narration) > MAX_NARRATION_CHARS:
            return f"{where}.narration: {len(shot.narration)} characters is more than {MAX_NARRATION_CHARS}; split the shot"
        if shot.seed > MAX_SEED:
            return f"{where}.seed: should be at most {MAX_SEED}"
    if shotlist.target_s is not None and (problem := length_problem("shotlist.target_s", shotlist.target_s)):
        return problem
    planned = sum(shot.duration_s or 0.0 for shot in shotlist.shots)
    if planned > MAX_LENGTH_S:
        return f"shotlist.shots: their durations add up to {planned:g} s, more than the {MAX_LENGTH_S:g} s a video may run"
    if problem := voice_problem("shotlist.voice", shotlist.voice):
        return problem
    dumped = shotlist.model_dump(mode="json", exclude={"source"})
    return next((p for where, text in _strings(dumped, "shotlist") if (p := control_problem(where, text, multiline=True))), None)


@dataclass(frozen=True)
class Quotas:
    """How much one requester, and one organisation together, may ask of the service: jobs
    queued or in the works at once, and minutes of video asked for in any 24 hours. Admins are
    not counted. Zero turns a limit off."""

    jobs: int = 10
    minutes: float = 60.0
    org_jobs: int = 40
    org_minutes: float = 240.0


class QuotaExceeded(Exception):
    """A request over a quota: the message says which, ``retry_after_s`` when to try again."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
