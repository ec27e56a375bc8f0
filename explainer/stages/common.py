"""What the stages pass each other: one shot's made parts, and the time each stage took."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from voices import Narration

from ..rendering import Renderer
from ..shotlist import Shot


@dataclass
class ShotResult:
    """One shot, narrated and rendered: its narration, length in frames, clip, cache keys
    (and whether each came from the cache), the renderer that drew it and its watermark id."""

    shot: Shot
    narration: Narration
    frames: int
    clip: Path
    audio_key: str
    video_key: str
    audio_cached: bool
    video_cached: bool
    renderer: Renderer
    mark: bytes | None = None


@dataclass
class Timer:
    """Seconds spent per stage, added to from any thread."""

    seconds: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, stage: str, elapsed: float) -> None:
        """Count ``elapsed`` seconds more for ``stage``."""
        with self.lock:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed
