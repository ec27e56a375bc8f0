"""Where a shot's work runs: the executor seam.

The pipeline decides *what* to make (cache keys, jobs, the order of the video) and hands each
shot's two pieces of work, speaking its narration and rendering its clip, to an executor. It
never knows where they run. ``InProcess`` (the default) calls the narrator and renderer on the
pipeline's own threads; ``RayExecutor`` (``--ray``) runs each piece as a Ray task on a
cluster. Assembly, signing and the cache's bookkeeping stay with the caller.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

if TYPE_CHECKING:
    from voices import Narration, PiperNarrator

    from ..rendering import RenderJob, Renderer
    from ..settings import Settings
    from ..shotlist import Shot


class Executor(Protocol):
    """Runs a shot's narration and render; both write ``out_path`` and return when it is whole."""

    name: str
    voices: int
    """How many shots may be spoken at once (one in-process: Piper holds one core)."""
    workers: int | None
    """How many shots may be rendered at once; None: the pipeline's own setting."""

    def narrate(self, narrator: "PiperNarrator", phrases: Sequence[str], out_path: Path, key: str) -> "Narration":
        """Speak ``phrases`` into ``out_path`` (a WAV); ``key`` names the work (its content hash)."""
        ...

    def render(self, renderer: "Renderer", shot: "Shot", job: "RenderJob", out_path: Path, key: str,
               progress: Callable[[int, int], None] | None = None) -> None:
        """Render ``shot`` into ``out_path`` (an MP4); ``key`` names the work (its content hash)."""
        ...

    def prepare(self, narrator: "PiperNarrator") -> None:
        """Get ready to speak with ``narrator`` while the caller plans (load the voice)."""
        ...



class InProcess:
    """The shots' work on the calling thread: the embedded default, nothing to start."""

    name = "in-process"
    voices = 1
    workers = None

    def narrate(self, narrator: "PiperNarrator", phrases: Sequence[str], out_path: Path, key: str) -> "Narration":
        """Speak with the narrator in this process."""
        return narrator.synthesize(phrases, out_path)

    def render(self, renderer: "Renderer", shot: "Shot", job: "RenderJob", out_path: Path, key: str,
               progress: Callable[[int, int], None] | None = None) -> None:
        """Render with the renderer in this process."""
        renderer.render(shot, job, out_path, progress)

    def prepare(self, narrator: "PiperNarrator") -> None:
        """Nothing: the CLI starts loading the voice in this process before it plans."""


#: Ray executors already started in this process, by what they were started with.
_STARTED: dict[tuple, Executor] = {}
_STARTING = threading.Lock()


def executor_for(settings: "Settings") -> Executor:
    """The executor the settings ask for: Ray when ``ray_address`` is set (an address, or
    "local" to start one), else in-process. Ray is imported only then.

    A process joins a cluster once: every pipeline it builds (a course's lessons, a service's
    jobs) shares one Ray executor and so the voices it started there."""
    if not settings.ray_address:
        return InProcess()
    key = (settings.ray_address, settings.ray_gpus, settings.ray_shared_cache)
    with _STARTING:
        if key not in _STARTED:
            from .ray_executor import RayExecutor

            _STARTED[key] = RayExecutor(settings.ray_address, num_gpus=settings.ray_gpus, shared_cache=settings.ray_shared_cache)
        return _STARTED[key]
