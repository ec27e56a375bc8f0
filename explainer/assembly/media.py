"""ffmpeg and probing: where the binary is, how to run it, what a media file holds."""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..children import dying_with_parent
from ..errors import AssemblyError

log = logging.getLogger(__name__)

#: Video encoding shared by every renderer, so shot clips can be joined without re-encoding.
VIDEO_CODEC_ARGS: dict[str, str | int] = {
    "vcodec": "libx264",
    # ultrafast: 2.5 ms a 720p frame here against 4.8 at veryfast; the clips are ~3x larger
    # (about 0.75 Mbit/s for graphics at this quality), which a web video carries easily.
    "preset": "ultrafast",
    # One encoder thread per shot: shots already run side by side, one per core.
    "threads": 1,
    "crf": 22,
    "pix_fmt": "yuv420p",
    "profile:v": "high",
    "g": 60,
}


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """A system ffmpeg on PATH when present, else the one imageio-ffmpeg ships."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@lru_cache(maxsize=1)
def ffmpeg_version() -> str:
    """First line of ``ffmpeg -version``."""
    out = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0] if out.stdout else "unknown"


def run_ffmpeg(args: Sequence[str], what: str, error: type[Exception] = AssemblyError, feed: bytes | None = None) -> None:
    """Run ffmpeg with ``args`` (no binary name), raising ``error`` with its last message;
    ``feed`` is written to its standard input (for a ``pipe:`` input)."""
    cmd = [ffmpeg_exe(), "-hide_banner", *([] if feed is not None else ["-nostdin"]), "-loglevel", "error", "-y", *args]
    log.debug("ffmpeg: %s", " ".join(cmd))
    # Dies with the thread that runs it: a killed server leaves no ffmpeg running.
    result = subprocess.run(dying_with_parent(cmd), input=feed, capture_output=True, check=False)
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.decode(errors="replace").strip().splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit code {result.returncode}"
        raise error(f"ffmpeg failed while {what}: {detail}")


@dataclass(frozen=True)
class StreamInfo:
    """One stream of a media file."""

    kind: str
    codec: str
    language: str | None
    frames: int | None
    duration_s: float | None
    sample_rate: int | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds."""

    duration_s: float
    streams: list[StreamInfo]

    def codecs(self) -> list[str]:
        """Codec names in stream order."""
        return [s.codec for s in self.streams]

    def first(self, kind: str) -> StreamInfo | None:
        """The first stream of a kind (video, audio, subtitle)."""
        return next((s for s in self.streams if s.kind == kind), None)


def probe(path: Path) -> MediaInfo:
    """Read stream list, codecs and durations with PyAV (FFmpeg's libraries)."""
    import av

    with av.open(str(path)) as container:
        streams: list[StreamInfo] = []
        for s in container.streams:
            duration = float(s.duration * s.time_base) if s.duration is not None and s.time_base else None
            ctx = s.codec_context
            streams.append(
                StreamInfo(
                    kind=s.type,
                    codec=ctx.name if ctx is not None else "unknown",
                    language=s.metadata.get("language"),
                    frames=s.frames or None,
                    duration_s=duration,
                    sample_rate=getattr(ctx, "sample_rate", None) if s.type == "audio" else None,
                    width=getattr(ctx, "width", None) if s.type == "video" else None,
                    height=getattr(ctx, "height", None) if s.type == "video" else None,
                )
            )
        total = container.duration / 1_000_000 if container.duration else 0.0
    return MediaInfo(duration_s=total, streams=streams)
