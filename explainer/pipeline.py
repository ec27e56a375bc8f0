"""The orchestrator: plan → narrate → render → assemble, with caching and atomic output.

It receives its planner, narrator and renderer as instances and never branches on their
names; new backends register in their registries and need no change here.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, ContextManager

import numpy as np

from provenance import ClaimSigner
from provenance.repository import Repository
from provenance.watermark import ALGORITHM as WATERMARK_ALGORITHM, ID_BYTES as WATERMARK_ID_BYTES
from voices import Narration, PiperNarrator, Segment, VoiceError, write_wav

from .assembly.assemble import ShotMedia, encode_soundtrack
from .assembly.captions import Cue
from .assembly.media import ffmpeg_version
from .assembly.timing import frames_for
from .cache import Cache, content_key
from .errors import InputError, NarrationError, UnsupportedClaimsError
from .execution import Executor, InProcess
from .grounding import Embedder, Grounder, unsupported_shots
from .outputs import OutputPaths, atomic_outputs
from .planning import PlanSettings, Planner
from .planning.checked import plan_with_checks
from .planning.framing import frame_lesson
from .planning.icons import icon_chooser, with_icons
from .planning.media import place_media
from .planning.pacing import pace, refresh
from .planning.sections import mark_sections
from .planning.visuals import design
from .progress import ProgressFn, no_progress
from .record import ProductionRecord
from .rendering import RenderJob, Renderer
from .rendering.brand import Brand
from .rendering.cards import CardsRenderer
from .rendering.watermark import PLACEMENT
from .shotlist import Shot, ShotList, Source, TitleCard
from .signing import Correction
from .sources.sentences import split_sentences
from .stages import ShotWork, Timer, time_shots
from .stages.outputs import write_outputs
from .stages.record import grounding_summary, production_record
from .stages.sign import sign_video

log = logging.getLogger(__name__)


@dataclass
class Production:
    """The result of a render: where everything went, and how it was made."""

    paths: OutputPaths
    shotlist: ShotList
    record: ProductionRecord
    cues: list[Cue]

    @property
    def video(self) -> Path:
        """The finished MP4."""
        return self.paths.video


class Pipeline:
    """Turns sources into shot lists and shot lists into finished videos."""

    def __init__(
        self,
        *,
        planner: Planner,
        narrator: PiperNarrator,
        renderer: Renderer,
        cache: Cache,
        fps: int = 30,
        workers: int = 2,
        signer: ClaimSigner | None = None,
        embedder: Embedder | None = None,
        fallback_planner: Planner | None = None,
        progress: ProgressFn = no_progress,
        brand: Brand | None = None,
        training_mining: str = "notAllowed",
        watermark_strength: int = 0,
        repository: Repository | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.planner = planner
        self.executor = executor or InProcess()
        self.watermark_strength = watermark_strength
        self.repository = repository
        self.training_mining = training_mining
        self.fallback_planner = fallback_planner
        self.narrator = narrator
        self.renderer = renderer
        self.cache = cache
        self.fps = fps
        self.workers = max(1, workers)
        self.signer = signer
        self.embedder = embedder
        self.progress = progress
        self.brand = brand
        # What the configured renderer does not make (a video model makes only footage) the
        # built-in graphics draw.
        self.graphics = renderer if makes(renderer) is None else CardsRenderer()

    # -- planning ---------------------------------------------------------------------------

    def plan(self, source: Source, settings: PlanSettings) -> ShotList:
        """Write the shot list for a source and check every line against it."""
        self.progress("plan", 0, 1)
        settings = replace(settings, footage="generated" in (makes(self.renderer) or ()))
        shotlist = plan_checked(self.planner, source, settings, self.embedder, self.fallback_planner)
        self.progress("plan", 1, 1)
        return shotlist

    # -- rendering --------------------------------------------------------------------------

    def render(
        self,
        shotlist: ShotList,
        paths: OutputPaths,
        *,
        settings: dict | None = None,
        plan_seconds: float = 0.0,
        correction: Correction | None = None,
        allow_unsupported: bool = False,
        review: dict | None = None,
        commit: Callable[[], ContextManager] | None = None,
    ) -> Production:
        """Narrate, render, assemble and sign a shot list into ``paths`` (all or nothing), one
        stage after another (see ``explainer.stages``).

        A news shot list whose lines the source does not support is refused before any work,
        unless ``allow_unsupported`` (which the record and the manifest then state). ``commit``
        is entered around moving the files to their final names (see ``atomic_outputs``).
        """
        started = time.perf_counter()
        shotlist = current_media(self.check_claims(refresh(shotlist), allow_unsupported))
        timer = Timer()
        if plan_seconds:
            timer.add("plan", plan_seconds)
        made = ShotWork(self, shotlist, timer).run()
        # Captions and descriptions start after the intro card, if the brand has one.
        timed = time_shots(shotlist, made.results, self.fps, made.intro.frames / self.fps if made.intro else 0.0)
        self.progress("assemble", 0, 1)
        t0 = time.perf_counter()
        to_file: list[bytes] = []
        with atomic_outputs(paths.all(), self._filing(to_file, commit)) as temp:
            # Signed output goes through a second file: the signer reads the assembled one.
            assembled = temp[paths.video] if self.signer is None else temp[paths.video].with_suffix(".unsigned.mp4")
            try:
                write_outputs(made, timed, temp, paths, assembled, self.fps)
                timer.add("assemble", time.perf_counter() - t0)
                self.progress("assemble", 1, 1)
                record = production_record(self, timed.shotlist, made.results, timed.starts, timer, paths, settings or {}, correction)
                record.duration_s += sum(b.frames for b in (made.intro, made.outro) if b) / self.fps
                record.grounding = grounding_summary(timed.shotlist, self.embedder, allow_unsupported)
                if review:
                    record.review = review
                if self.signer is not None:
                    self.progress("sign", 0, 1)
                    t1 = time.perf_counter()
                    sidecar = temp[paths.credentials] if paths.credentials else None
                    store = sign_video(self, made, timed, record, assembled, temp[paths.video], sidecar, correction)
                    to_file += [store] if store is not None else []
                    timer.add("sign", time.perf_counter() - t1)
                    self.progress("sign", 1, 1)
            finally:
                if assembled != temp[paths.video]:
                    assembled.unlink(missing_ok=True)
            timer.seconds["total"] = time.perf_counter() - started + plan_seconds
            record.timings_s = {k: round(v, 3) for k, v in timer.seconds.items()}
            temp[paths.record].write_text(record.to_json(), encoding="utf-8")
        return Production(paths=paths, shotlist=timed.shotlist, record=record, cues=timed.cues)

    def _filing(self, stores: list[bytes], commit: Callable[[], ContextManager] | None) -> Callable[[], ContextManager]:
        """The guard around committing a render's files: the signed stores are filed in the
        repository first, so no published copy is ever unknown to it, and taken back when the
        files do not take their names (a worker that lost its job leaves nothing filed). Not
        inside ``commit``: on SQLite the service's job store and its repository share one writer."""
        @contextmanager
        def guarded():
            filed = [self.repository.add(store).manifest_id for store in stores]
            try:
                with commit() if commit else nullcontext():
                    yield
            except BaseException:
                for manifest_id in filed:
                    self.repository.remove(manifest_id)
                raise
        return guarded

    def check_claims(self, shotlist: ShotList, allow_unsupported: bool) -> ShotList:
        """Re-check a shot list against its source; refuse unsupported news lines."""
        source = shotlist.source
        if source is None or not source.sentences:
            return shotlist  # topic mode: nothing to check against, and the manifest says so
        checked = Grounder(source, self.embedder).check(shotlist)
        bad = unsupported_shots(checked)
        if bad and shotlist.kind == "news" and not allow_unsupported:
            first = bad[0]
            more = f" (and {len(bad) - 1} more shot{'s' if len(bad) > 2 else ''})" if len(bad) > 1 else ""
            raise UnsupportedClaimsError(
                f"{first.id}: {first.issues[0]}{more}; edit the line in the shot list or pass --allow-unsupported"
            )
        return checked

    def _bumper(self, which: str, job: RenderJob, timer: Timer) -> ShotMedia | None:
        """The brand's intro or outro card as a silent clip (cached like any shot), or None."""
        card = getattr(self.brand, which, None) if self.brand else None
        if card is None:
            return None
        frames = frames_for(card.seconds, self.fps)
        shot = Shot(id=which, narration=card.text, kind="title",
                    title_card=TitleCard(headline=card.text, source_line=self.brand.name if which == "intro" and self.brand.name not in card.text else ""))
        # Brand cards are graphics whatever renders the shots.
        # A brand's cards are the same in every video: unmarked, so the shots' marks are the video's.
        clip, *_ = self._render_clip(shot, replace(job, frames=frames), timer, CardsRenderer(), mark=False)
        silence = self.cache.get("audio", f"silence-{self.narrator.voice.sample_rate}", ".wav")
        if silence is None:
            temp = self.cache.temp_path("audio", f"silence-{self.narrator.voice.sample_rate}", ".wav")
            write_wav(temp, np.zeros(1, dtype=np.float32), self.narrator.voice.sample_rate)
            silence = self.cache.commit(temp, "audio", f"silence-{self.narrator.voice.sample_rate}", ".wav")
        return ShotMedia(clip, silence, frames)

    def _soundtrack(self, parts: list[tuple[Path, int]], timer: Timer) -> Path:
        """The video's encoded sound, cached by what it is made of (an edit of the pictures
        alone reuses it)."""
        key = content_key({"soundtrack": [[p.name, frames] for p, frames in parts], "fps": self.fps, "ffmpeg": ffmpeg_version()})
        cached = self.cache.get("audio", key, ".m4a")
        if cached is not None:
            return cached
        t0 = time.perf_counter()
        temp = self.cache.temp_path("audio", key, ".m4a")
        try:
            encode_soundtrack(parts, self.fps, temp)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        timer.add("assemble", time.perf_counter() - t0)
        return self.cache.commit(temp, "audio", key, ".m4a")

    def _narrate(self, shot: Shot, timer: Timer) -> tuple[Narration, str, bool]:
        phrases = split_sentences(shot.narration)
        key = content_key({"narrator": self.narrator.cache_key(), "phrases": phrases})
        meta = self.cache.read_json("audio", key)
        wav = self.cache.get("audio", key, ".wav")
        if meta is not None and wav is not None:
            segments = [Segment(**s) for s in meta["segments"]]
            return Narration(wav, meta["duration_s"], meta["sample_rate"], segments), key, True
        temp = self.cache.temp_path("audio", key, ".wav")
        try:
            t0 = time.perf_counter()
            narration = self.executor.narrate(self.narrator, phrases, temp, key)
        except VoiceError as e:
            temp.unlink(missing_ok=True)
            raise NarrationError(f"shot {shot.id}: {e}") from e
        wav = self.cache.commit(temp, "audio", key, ".wav")
        self.cache.write_json(
            "audio",
            key,
            {
                "duration_s": narration.duration_s,
                "sample_rate": narration.sample_rate,
                "segments": [s.__dict__ for s in narration.segments],
            },
        )
        timer.add("narrate", time.perf_counter() - t0)
        log.debug("narrated %s in %.2fs", shot.id, time.perf_counter() - t0)
        return Narration(wav, narration.duration_s, narration.sample_rate, narration.segments), key, False

    def renderer_for(self, shot: Shot) -> Renderer:
        """The renderer that makes this shot: the configured one if it makes the shot's kind,
        else the built-in graphics."""
        kinds = makes(self.renderer)
        return self.renderer if kinds is None or shot.kind in kinds else self.graphics

    def _render_clip(self, shot: Shot, job: RenderJob, timer: Timer, renderer: Renderer | None = None,
                     mark: bool = True) -> tuple[Path, str, bool, bytes | None]:
        """The shot's clip from the cache or the renderer: path, cache key, whether cached, and
        the watermark identifier in its frames (derived from the key: the same pixels, the same id)."""
        renderer = renderer or self.renderer
        wanted = renderer.cache_key(shot, job)
        marking = mark and self.signer is not None and self.watermark_strength > 0
        if marking:
            wanted = {**wanted, "watermark": {"alg": WATERMARK_ALGORITHM, "strength": self.watermark_strength, "placement": PLACEMENT}}
        key = content_key(wanted)
        identifier = bytes.fromhex(key)[:WATERMARK_ID_BYTES] if marking else None
        cached = self.cache.get("video", key, ".mp4")
        if cached is not None:
            return cached, key, True, identifier
        t0 = time.perf_counter()
        temp = self.cache.temp_path("video", key, ".mp4")
        job = replace(job, mark=identifier, mark_strength=self.watermark_strength)
        try:
            self.executor.render(renderer, shot, job, temp, key, lambda done, total: self.progress(shot.id, done, total))
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        timer.add("render", time.perf_counter() - t0)
        return self.cache.commit(temp, "video", key, ".mp4"), key, False, identifier


def makes(renderer: Renderer | None) -> frozenset[str] | None:
    """The shot kinds a renderer makes; None for all (a renderer that does not say makes all)."""
    return getattr(renderer, "kinds", None)


def plan_checked(
    planner: Planner, source: Source, settings: PlanSettings, embedder: Embedder | None, fallback: Planner | None = None
) -> ShotList:
    """Plan with any planner under the plan checks (repair, then ``fallback``), then check
    every narrated line and every fact on screen against the source."""
    shotlist = mark_sections(design(plan_with_checks(planner, source, settings, fallback), footage=settings.footage))
    if settings.media:
        shotlist = place_media(shotlist, settings.media)
    # A lesson's opening and recap are lists: their points are the beats, no second visual.
    shotlist = frame_lesson(pace(shotlist, settings), source, settings)
    if settings.icons:
        shotlist = with_icons(shotlist, icon_chooser(embedder))
    if source.sentences:
        shotlist = Grounder(source, embedder).check(shotlist)
    return shotlist


def current_media(shotlist: ShotList) -> ShotList:
    """The shot list with each shown photo or clip checked and hashed as it is now on disk
    (an editor may have replaced a file since planning); a missing file is refused."""
    shown = {shot.media for shot in shotlist.shots if shot.kind == "media"}
    items = []
    for item in shotlist.media:
        path = Path(item.path)
        if item.id in shown:
            if not path.is_file():
                raise InputError(f"media {item.id}: {path} is missing; put the file back or change the shots that show it")
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            item = item if digest == item.sha256 else item.model_copy(update={"sha256": digest})
        items.append(item)
    return shotlist.model_copy(update={"media": items})
