"""Captions from narration timing: cue splitting, line wrapping, WebVTT and SRT (pure).

Rules: a cue has at most ``MAX_LINES`` lines of at most ``MAX_CHARS`` characters, lasts at
least ``MIN_CUE_S``, never overlaps the next, and the cues' words are exactly the words spoken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

MAX_CHARS = 42
MAX_LINES = 2
MIN_CUE_S = 1.0


@dataclass(frozen=True)
class TimedPhrase:
    """A phrase of narration and when it is spoken in the video."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Cue:
    """One caption on screen."""

    start_s: float
    end_s: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's words on one line."""
        return " ".join(self.lines)


def wrap_lines(words: Sequence[str], max_chars: int = MAX_CHARS) -> list[str] | None:
    """Wrap words into at most two balanced lines, or None if they do not fit."""
    text = " ".join(words)
    if len(text) <= max_chars:
        return [text]
    best: list[str] | None = None
    best_width = math.inf
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        width = max(len(first), len(second))
        if width <= max_chars and width < best_width:
            best, best_width = [first, second], width
    return best


def _fits(words: Sequence[str], max_chars: int) -> bool:
    return wrap_lines(words, max_chars) is not None


def split_words(words: Sequence[str], max_chars: int = MAX_CHARS) -> list[list[str]]:
    """Split a phrase's words into as few cues as fit, with balanced lengths."""
    greedy: list[list[str]] = []
    for word in words:
        if greedy and _fits(greedy[-1] + [word], max_chars):
            greedy[-1].append(word)
        else:
            greedy.append([word])
    if len(greedy) <= 1:
        return greedy
    # Balance: fill each cue only up to the average length so the last one is not a stub.
    target = sum(len(w) + 1 for w in words) / len(greedy)
    balanced: list[list[str]] = []
    for word in words:
        current = balanced[-1] if balanced else None
        if current is not None and (
            sum(len(w) + 1 for w in current) + len(word) / 2 <= target or len(balanced) == len(greedy)
        ) and _fits(current + [word], max_chars):
            current.append(word)
        else:
            balanced.append([word])
    return balanced if len(balanced) == len(greedy) else greedy


def build_cues(phrases: Iterable[TimedPhrase], max_chars: int = MAX_CHARS) -> list[Cue]:
    """Cues for timed phrases: split to fit, timed by character share, at least MIN_CUE_S."""
    raw: list[tuple[float, float, list[str]]] = []
    for phrase in phrases:
        words = phrase.text.split()
        if not words:
            continue
        groups = split_words(words, max_chars)
        weights = [len(" ".join(g)) + 1 for g in groups]
        span = phrase.end_s - phrase.start_s
        cursor = phrase.start_s
        for group, weight in zip(groups, weights):
            length = span * weight / sum(weights)
            raw.append((cursor, cursor + length, group))
            cursor += length
    return _enforce_minimum(raw, max_chars)


def _enforce_minimum(raw: list[tuple[float, float, list[str]]], max_chars: int) -> list[Cue]:
    cues = [[start, end, words] for start, end, words in raw]
    i = 0
    while i < len(cues):
        start, end, words = cues[i]
        if end - start < MIN_CUE_S:
            # First borrow the silence after the cue, then the silence before it.
            limit = cues[i + 1][0] if i + 1 < len(cues) else math.inf
            end = min(limit, start + MIN_CUE_S)
            floor = cues[i - 1][1] if i > 0 else 0.0
            start = max(floor, min(start, end - MIN_CUE_S))
            cues[i][0], cues[i][1] = start, end
        if end - start < MIN_CUE_S - 1e-9:
            # Still too short: merge with a neighbour when the words fit on two lines.
            if i + 1 < len(cues) and _fits(words + cues[i + 1][2], max_chars):
                cues[i + 1] = [start, cues[i + 1][1], words + cues[i + 1][2]]
                del cues[i]
                continue
            if i > 0 and _fits(cues[i - 1][2] + words, max_chars):
                cues[i - 1] = [cues[i - 1][0], end, cues[i - 1][2] + words]
                del cues[i]
                i -= 1
                continue
        i += 1
    return [Cue(start, end, tuple(wrap_lines(words, max_chars) or [" ".join(words)])) for start, end, words in cues]


def _timestamp(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def to_vtt(cues: Sequence[Cue], header: str = "") -> str:
    """WebVTT text for the cues (``header`` names the file's content after ``WEBVTT``)."""
    blocks = [f"WEBVTT - {header}" if header else "WEBVTT", ""]
    for cue in cues:
        blocks.append(f"{_timestamp(cue.start_s, '.')} --> {_timestamp(cue.end_s, '.')}")
        blocks.extend(cue.lines)
        blocks.append("")
    return "\n".join(blocks)


def to_srt(cues: Sequence[Cue]) -> str:
    """SubRip text for the cues."""
    blocks: list[str] = []
    for number, cue in enumerate(cues, start=1):
        blocks.append(str(number))
        blocks.append(f"{_timestamp(cue.start_s, ',')} --> {_timestamp(cue.end_s, ',')}")
        blocks.extend(cue.lines)
        blocks.append("")
    return "\n".join(blocks)
