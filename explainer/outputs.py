"""Where a render writes, and writing it so that no half-made file has a final name."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from .errors import OutputError


@dataclass(frozen=True)
class OutputPaths:
    """The files one video consists of."""

    video: Path
    vtt: Path
    srt: Path
    descriptions: Path
    shots: Path
    record: Path
    credentials: Path | None = None
    """OUT.c2pa: the Content Credentials kept beside the video rather than inside it."""

    @classmethod
    def for_video(cls, video: Path, sidecar: bool = False) -> "OutputPaths":
        """Sidecar names next to ``video``: OUT.vtt, OUT.srt, OUT.descriptions.vtt,
        OUT.shots.yaml, OUT.record.json, and with ``sidecar`` OUT.c2pa."""
        if video.suffix.lower() != ".mp4":
            video = video.with_name(video.name + ".mp4")
        stem = video.with_suffix("")
        return cls(
            video=video,
            vtt=stem.with_name(stem.name + ".vtt"),
            srt=stem.with_name(stem.name + ".srt"),
            descriptions=stem.with_name(stem.name + ".descriptions.vtt"),
            shots=stem.with_name(stem.name + ".shots.yaml"),
            record=stem.with_name(stem.name + ".record.json"),
            credentials=stem.with_name(stem.name + ".c2pa") if sidecar else None,
        )

    def all(self) -> list[Path]:
        """Every path, video last."""
        paths = [getattr(self, f.name) for f in fields(self) if f.name != "video" and getattr(self, f.name) is not None]
        return paths + [self.video]


def slug(text: str, fallback: str = "explainer") -> str:
    """A file-name-safe version of a title."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:60].rstrip("-") or fallback


def check_writable(path: Path) -> None:
    """Fail early, before any work, if ``path`` cannot be created."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{folder}: output folder does not exist; create it or choose another -o")
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'explainer.mp4'}")
    # Try it: permission bits say little to root or on read-only and network filesystems.
    probe = folder / f".explainer-write-test-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise OutputError(f"{folder}: output folder is not writable ({e.strerror}); choose another -o") from e


def _temp_name(path: Path) -> Path:
    from .cache import writer_tag

    return path.with_name(f".{path.name}.{writer_tag()}.partial{path.suffix}")


@contextmanager
def atomic_outputs(paths: list[Path], guard: Callable[[], ContextManager] | None = None) -> Iterator[dict[Path, Path]]:
    """Temporary paths to write to; on success they are renamed to their final names.

    On any error or interrupt, the temporaries are removed and nothing appears under a
    final name. ``guard``, when given, is entered around the renames: it may refuse them by
    raising (a service worker that no longer holds its job), or keep others out meanwhile.
    """
    temps = {path: _temp_name(path) for path in paths}
    try:
        yield temps
        missing = [str(final) for final, temp in temps.items() if not temp.exists()]
        if missing:
            raise OutputError(f"internal error: {', '.join(missing)} was not produced")
        with guard() if guard else nullcontext():
            for final, temp in temps.items():
                os.replace(temp, final)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise
