"""The narrate and render stages, run together: one voice speaks the shots in order without
pause while the shot workers draw and encode each shot as soon as its narration (which sets
its length) is ready. Speech is the longest chain of work, so it never waits for a worker.

The first failure anywhere (an error, or a progress callback that raises because the job was
cancelled) stops shots not yet started, even on a worker thread that picks one up before the
caller has heard of it; the shots under way finish (they are cached).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from voices import Narration

from ..assembly.assemble import ShotMedia
from ..assembly.timing import frames_for
from ..rendering import RenderJob
from ..shotlist import Shot, ShotList
from .common import ShotResult, Timer

if TYPE_CHECKING:
    from ..pipeline import Pipeline


@dataclass
class Made:
    """Every shot made, the brand's cards (None without), and the encoded soundtrack."""

    results: list[ShotResult]
    intro: ShotMedia | None
    outro: ShotMedia | None
    sound: Path


class ShotWork:
    """Narrates and renders one shot list's shots with ``pipeline``'s narrator and renderers."""

    def __init__(self, pipeline: "Pipeline", shotlist: ShotList, timer: Timer) -> None:
        self.pipeline, self.shotlist, self.timer = pipeline, shotlist, timer
        self.media = {item.id: item for item in shotlist.media}
        self.total = len(shotlist.shots)
        self.done = {"narrate": 0, "render": 0}
        self.lock = threading.Lock()
        self.failed: list[BaseException] = []

    def _tick(self, stage: str) -> None:
        with self.lock:
            self.done[stage] += 1
            self.pipeline.progress(stage, self.done[stage], self.total)

    def _noted(self, work: Callable, *args):
        """``work(*args)``, its failure kept so that no shot starts after it."""
        try:
            return work(*args)
        except BaseException as e:
            self.failed.append(e)
            raise

    def _speak(self, shot: Shot) -> tuple[Narration, str, bool]:
        result = self.pipeline._narrate(shot, self.timer)
        self._tick("narrate")
        return result

    def _job(self, frames: int, shot: Shot | None = None) -> RenderJob:
        width, height = self.shotlist.size
        media = self.media.get(shot.media) if shot is not None and shot.kind == "media" else None
        return RenderJob(frames=frames, fps=self.pipeline.fps, width=width, height=height, title=self.shotlist.title,
                         language=self.shotlist.language, style=self.shotlist.style if shot is not None else "",
                         media=media, brand=self.pipeline.brand)

    def _make(self, shot: Shot, spoken: Future) -> ShotResult:
        narration, audio_key, audio_cached = spoken.result()
        if self.failed:
            raise self.failed[0]
        frames = self._frames(narration)
        renderer = self.pipeline.renderer_for(shot)
        clip, video_key, video_cached, mark = self.pipeline._render_clip(shot, self._job(frames, shot), self.timer, renderer)
        self._tick("render")
        return ShotResult(shot, narration, frames, clip, audio_key, video_key, audio_cached, video_cached, renderer, mark)

    def _frames(self, narration: Narration) -> int:
        """A shot lasts as long as its narration, in whole frames."""
        return frames_for(narration.duration_s, self.pipeline.fps)

    def _soundtrack(self, spoken: list[Future], bumpers: list[Future]) -> Path:
        # Queued behind every shot's speech on the same thread, so all of it is done.
        narrations = [f.result()[0] for f in spoken]
        parts = [(n.path, self._frames(n)) for n in narrations]
        intro, outro = (b.result() for b in bumpers)
        parts = [(b.audio, b.frames) for b in (intro,) if b] + parts + [(b.audio, b.frames) for b in (outro,) if b]
        return self.pipeline._soundtrack(parts, self.timer)

    def run(self) -> Made:
        """Every shot narrated and rendered (from the cache where it can), with the brand's
        cards and the soundtrack; the first failure is raised once the shots under way end."""
        pipeline = self.pipeline
        voice = ThreadPoolExecutor(max_workers=pipeline.executor.voices, thread_name_prefix="voice")
        pool = ThreadPoolExecutor(max_workers=pipeline.executor.workers or pipeline.workers, thread_name_prefix="shot")
        spoken = [voice.submit(self._noted, self._speak, shot) for shot in self.shotlist.shots]
        pipeline.progress("narrate", 0, self.total)
        pipeline.progress("render", 0, self.total)
        # The brand's cards first: they fill the workers while the first shot is spoken.
        bumpers = [pool.submit(pipeline._bumper, which, self._job(1), self.timer) for which in ("intro", "outro")]
        shots = [pool.submit(self._noted, self._make, shot, said) for shot, said in zip(self.shotlist.shots, spoken)]
        track = voice.submit(self._soundtrack, spoken, bumpers)
        try:
            results = [future.result() for future in shots]
            intro, outro = (future.result() for future in bumpers)
            sound = track.result()
        except BaseException:
            # A failed shot or Ctrl-C: finish the shots under way (they are cached), skip the rest.
            voice.shutdown(wait=False, cancel_futures=True)
            pool.shutdown(wait=True, cancel_futures=True)
            voice.shutdown(wait=True)
            raise
        pool.shutdown()
        voice.shutdown()
        return Made(results, intro, outro, sound)
