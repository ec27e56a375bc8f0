"""Frame arithmetic: narration lengths to frame counts and shot start times (pure)."""

from __future__ import annotations

import math
from typing import Sequence


def frames_for(duration_s: float, fps: int) -> int:
    """Whole frames that cover a narration of ``duration_s`` (never cuts it short)."""
    if duration_s <= 0:
        raise ValueError(f"duration must be positive, got {duration_s}")
    # The small epsilon keeps float noise (3.0000000001 s) from adding a frame.
    return max(1, math.ceil(duration_s * fps - 1e-6))


def shot_starts(frame_counts: Sequence[int], fps: int) -> list[float]:
    """Start time in seconds of each shot when the shots play back to back."""
    starts: list[float] = []
    total = 0
    for frames in frame_counts:
        starts.append(total / fps)
        total += frames
    return starts
