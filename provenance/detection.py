"""Watermarks read from a file: its frames sampled, each read for a mark, marks confirmed.

Frames are sampled through the whole file (a held frame of a variable-frame-rate file at every
time it is on screen), black bars a padded copy added are cut away, a cropped copy is read at
the share of the frame it kept, and an identifier is reported only when two windows of
neighbouring samples agree on it (``watermark`` reads one frame).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .watermark import CROP_KEPT, STRENGTHS, bit_scores, block_values, identifier_of, read_bits, read_bits_cropped

class _Identified:
    """Something that carries a watermark identifier."""

    identifier: bytes

    @property
    def value(self) -> str:
        """The identifier as the soft-binding value is queried (base64)."""
        import base64

        return base64.b64encode(self.identifier).decode("ascii")


@dataclass(frozen=True)
class Detection(_Identified):
    """A watermark found in a file."""

    identifier: bytes
    at_s: float
    """Where in the file it was first read."""
    windows: int
    """How many windows of frames read it (two are needed)."""
    frames_read: int


def _samples(path: Path, every_s: float, max_s: float) -> Iterator[tuple[float, np.ndarray]]:
    """Frames of a file's first ``max_s`` seconds, one every ``every_s``, as BGR arrays."""
    import av

    with av.open(str(path)) as container:
        if not container.streams.video:
            return
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        next_at = 0.0
        # A file of variable frame rate (ours) keeps a still picture as one frame shown until
        # the next: the times in between are sampled on that frame, as a player shows it.
        shown = None
        for frame in container.decode(stream):
            at = float(frame.time or 0.0)
            while shown is not None and next_at < at - 1e-6 and next_at <= max_s:
                yield next_at, shown.to_ndarray(format="bgr24")
                next_at += every_s
            if at > max_s:
                break
            if at + 1e-6 >= next_at:
                next_at = at + every_s
                yield at, frame.to_ndarray(format="bgr24")
            shown = frame


#: How dark (0-255) and how even a frame's edge rows or columns must be to be taken for bars
#: (padding is black, 0 once decoded; our darkest backgrounds are well above it).
_BAR_LEVEL, _BAR_SPREAD = 8, 3.0


def _bars(bgr: np.ndarray) -> tuple[int, int, int, int]:
    """Top, bottom, left, right widths of the black bars a copy padded (centred) to another
    shape (letterbox, pillarbox), 0 where there are none (under 2% of the side)."""
    grey = bgr.mean(axis=2)

    def run(lines: np.ndarray) -> int:
        n = 0
        for line in lines:
            if line.mean() > _BAR_LEVEL or line.std() > _BAR_SPREAD:
                break
            n += 1
        return n

    height, width = grey.shape
    top, bottom, left, right = run(grey), run(grey[::-1]), run(grey.T), run(grey.T[::-1])
    # Padding is centred, give or take a row of rounding; where the two sides differ more, a
    # near-black picture edge ran on into one of them and the smaller is the bar.
    if abs(top - bottom) > 4:
        top = bottom = min(top, bottom)
    if abs(left - right) > 4:
        left = right = min(left, right)
    top, bottom = (top, bottom) if min(top, bottom) > height * 0.02 else (0, 0)
    left, right = (left, right) if min(left, right) > width * 0.02 else (0, 0)
    return top, bottom, left, right


def _confirmed(path: Path, every_s: float, max_s: float, windows: tuple[int, ...],
               flip: bool = False, kept: float = 1.0) -> Iterator[tuple[bytes, float, float, int, int]]:
    """Each time a window of samples decodes to an identifier already read by a window that
    shares no sample with it: (identifier, where its first window starts, where this one
    ends, how many independent windows read it, samples read so far). A copy cropped to
    ``kept`` of each side is read where it sat in its frame."""
    times: list[float] = []
    reads: dict[int, list[np.ndarray]] = {strength: [] for strength in STRENGTHS}
    found: dict[bytes, list[set[int]]] = {}
    bars: tuple[int, int, int, int] | None = None
    for at, bgr in _samples(path, every_s, max_s):
        # Bars a padded copy added are measured once, on its first frame, and cut away: the
        # mark lives on the picture's own grid. A mirrored copy is read mirrored back.
        bars = _bars(bgr) if bars is None else bars
        top, bottom, left, right = bars
        bgr = bgr[top : bgr.shape[0] - bottom, left : bgr.shape[1] - right]
        if flip:
            bgr = np.ascontiguousarray(bgr[:, ::-1])
        times.append(at)
        end = len(times)
        for strength, read in (read_bits(bgr) if kept == 1.0 else read_bits_cropped(bgr, kept)).items():
            bits = reads[strength]
            bits.append(read)
            for size in windows:
                if end < size:
                    continue
                identifier = identifier_of((np.mean(bits[end - size:], axis=0) > 0.5).astype(np.uint8))
                if identifier is None:
                    continue
                span = set(range(end - size, end))
                spans = found.setdefault(identifier, [])
                if all(span.isdisjoint(other) for other in spans):
                    spans.append(span)  # windows that share no sample are independent reads
                if len(spans) >= 2:
                    yield identifier, times[min(spans[0])], times[end - 1], len(spans), end


def detect(path: Path, *, every_s: float = 1 / 3, max_s: float = 20.0, windows: tuple[int, ...] = (1, 3, 9)) -> Detection | None:
    """The first identifier watermarked into a video's frames, or None.

    Each sample's bits are read, and bits are voted over 1, 3 and 9 neighbouring samples (one
    shot carries one identifier, and a re-encode's errors differ from frame to frame); an identifier counts once two windows that share no sample
    decode to it, so a single lucky read of unmarked content is never reported.
    """
    import av

    try:
        for identifier, first_s, _, count, read in _confirmed(path, every_s, max_s, windows):
            return Detection(identifier, round(first_s, 3), count, read)
        return None
    except av.FFmpegError:  # a file that cannot be decoded has no readable watermark
        return None


@dataclass(frozen=True)
class Mark(_Identified):
    """One identifier read from a file, and the stretch of it where it was read."""

    identifier: bytes
    first_s: float
    last_s: float
    corrected: bool = False
    """Read only after shifting the quantisation or flipping the least certain bits of its one
    read (a JPEG screenshot): believed only when a repository knows the identifier."""


def detect_all(path: Path, *, every_s: float = 1 / 3, max_s: float = 600.0, windows: tuple[int, ...] = (1, 3, 9)) -> list[Mark]:
    """Every identifier watermarked into a file's frames (each shot carries its own), in the
    order they first appear, with where each was read; [] when none is. A copy padded to
    another shape has its bars cut away first; a mirrored copy is read mirrored back."""
    import av

    marks: dict[bytes, Mark] = {}
    try:
        # Read as it is, then (only if nothing was found) mirrored: at most twice the work.
        for flip in (False, True):
            _gather(marks, _confirmed(path, every_s, max_s, windows, flip))
            if marks:
                break
        kept = _crop_kept(path) if not marks else None
        if kept is not None:
            _gather(marks, _confirmed(path, every_s, max_s, windows, kept=kept))
        if not marks:
            marks = _still(path)
    except av.FFmpegError:  # what was read before a broken stretch still counts
        pass
    return sorted(marks.values(), key=lambda m: m.first_s)


def _gather(marks: dict[bytes, Mark], confirmed: Iterator[tuple[bytes, float, float, int, int]]) -> None:
    """Each identifier ``_confirmed`` yields into ``marks``: where it was first and last read."""
    for identifier, first_s, last_s, _, _ in confirmed:
        known = marks.get(identifier)
        marks[identifier] = Mark(identifier, round(first_s, 3), round(max(last_s, known.last_s if known else 0.0), 3))


def _crop_kept(path: Path, every_s: float = 1 / 3, samples: int = 3, groups: int = 3, apart_s: float = 4.0) -> float | None:
    """How much of each side a cropped copy kept, found by reading ``groups`` runs of
    ``samples`` neighbouring frames (``apart_s`` apart, from the start) at each crop of
    ``CROP_KEPT`` until one run votes a payload; None when no crop reads one (the copy is not
    cropped, not ours, or cropped unevenly or by more than 10%)."""
    step = max(samples, round(apart_s / every_s))
    runs: dict[int, list[np.ndarray]] = {}
    for index, (_, bgr) in enumerate(_samples(path, every_s, groups * apart_s)):
        if index % step < samples:  # only the frames read are kept
            runs.setdefault(index // step, []).append(bgr)
    for group in runs.values():
        if len(group) < 2:
            continue
        for kept in CROP_KEPT:
            reads = [read_bits_cropped(bgr, kept) for bgr in group]
            for strength in STRENGTHS:
                votes = (np.mean([r[strength] for r in reads], axis=0) > 0.5).astype(np.uint8)
                if identifier_of(votes) is not None:
                    return kept
    return None


def _still(path: Path) -> dict[bytes, Mark]:
    """The identifier of a file that is one picture (a screenshot of a frame): one read is all
    there is. A random read passes the magic byte and the Reed-Solomon check about once in
    10^5 tries, and it must then name an identifier a repository has filed. A picture saved as
    JPEG has its chroma requantised and shifted by a level or two, which moves every block's
    value by a fraction of the step: the read is tried at each shift (24 per step) and, where
    that is not enough, with its least certain bits flipped one or two at a time (soft-decision
    decoding). What only a shift or a flip reads is ``corrected``: believed only when a
    repository knows it."""
    frames = list(_samples(path, 1.0, 1.0))
    if len(frames) != 1:
        return {}
    values = block_values(frames[0][1])
    weights = np.ones(values.size)
    tries: list[tuple[float, np.ndarray, tuple[int, ...]]] = []
    flips: list[tuple[float, np.ndarray, tuple[int, ...]]] = []
    for strength in STRENGTHS:
        reads = [(float(shift), bit_scores(values, weights, strength, shift))
                 for shift in [0.0, *np.arange(-strength / 2, strength / 2, strength / 24)]]
        tries += [(shift, score, ()) for shift, score in reads]
        # The flips at the shifts whose blocks agree most.
        for shift, score in sorted(reads, key=lambda r: -np.abs(r[1] - 0.5).mean())[:3]:
            unsure = [int(i) for i in np.argsort(np.abs(score - 0.5))[:8]]
            flips += [(shift, score, (i,)) for i in unsure]
            flips += [(shift, score, (i, j)) for n, i in enumerate(unsure[:6]) for j in unsure[n + 1 : 6]]
    # The read as it is at every strength first, then shifted, then flipped: the first that decodes.
    for shift, score, flip in sorted(tries, key=lambda t: t[0] != 0.0) + flips:
        bits = (score > 0.5).astype(np.uint8)
        bits[list(flip)] ^= 1
        identifier = identifier_of(bits)
        if identifier is not None:
            return {identifier: Mark(identifier, 0.0, 0.0, corrected=bool(flip) or shift != 0.0)}
    return {}
