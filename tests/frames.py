"""Frames of a video as a player shows them.

Cards are written with a variable frame rate: a picture that holds is one coded frame shown
until the next. A test that looks at frame ``i`` of a ``fps`` video means the picture on
screen at ``i / fps`` seconds, which is what ``shown`` gives, however the file codes it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def shown(path: Path, fps: int | None = None, fmt: str = "rgb24") -> list[np.ndarray]:
    """The picture on screen at every 1/fps of the video stream, from its first to its end
    (``fps`` by default: the rate the stream's times are counted in, 30 for ours)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = fps or round(float(stream.guessed_rate))
        coded = [(float(f.time or 0.0), f.to_ndarray(format=fmt)) for f in container.decode(stream)]
        end = float(stream.duration * stream.time_base) if stream.duration else float(container.duration) / 1e6
    out: list[np.ndarray] = []
    at = 0
    for i in range(round(end * fps)):
        # The last coded frame at or before this time (half a frame's grace for rounding).
        while at + 1 < len(coded) and coded[at + 1][0] <= (i + 0.5) / fps:
            at += 1
        out.append(coded[at][1])
    return out


def shown_count(path: Path, fps: int) -> int:
    """How many frames a player shows at ``fps``: the stream's duration in frames."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return round(float(stream.duration * stream.time_base) * fps)
