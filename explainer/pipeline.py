"""The orchestrator: plan → narrate → render → assemble, with caching and atomic output.

It receives its planner, narrator and renderer as instances and never branches on their
names; new backends register in their registries and need no change here.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager

import numpy as np

from provenance import ClaimSigner, sign_file
from provenance.repository import Repository
from provenance.watermark import ALGORITHM as WATERMARK_ALGORITHM, ID_BYTES as WATERMARK_ID_BYTES
from voices import Narration, PiperNarrator, Segment, VoiceError, write_wav

from .assembly.assemble import ShotMedia, assemble, encode_soundtrack
from .cache import Cache, content_key
from .assembly.captions import Cue, TimedPhrase, build_cues, to_srt, to_vtt
from .assembly.descriptions import description_cues
from .errors import InputError, NarrationError, UnsupportedClaimsError
from .execution import Executor, InProcess
from .grounding import Embedder, Grounder, unsupported_shots
from .assembly.media import ffmpeg_version
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
from .record import ProductionRecord, ShotRecord, software_versions
from .rendering import RenderJob, Renderer
from .rendering.brand import Brand
from .rendering.cards import CardsRenderer
from .rendering.watermark import PLACEMENT
from .sources.sentences import split_sentences
from .signing import Correction, ShotParts, manifest_spec, soft_binding
from .shotlist import Shot, ShotList, Source, TitleCard, dump_shotlist
from .assembly.timing import frames_for, shot_starts

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


@dataclass
class _ShotResult:
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
class _Timer:
    seconds: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, stage: str, elapsed: float) -> None:
        with self.lock:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed


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
        """Narrate, render, assemble and sign a shot list into ``paths`` (all or nothing).

        A news shot list whose lines the source does not support is refused before any work,
        unless ``allow_unsupported`` (which the record and the manifest then state). ``commit``
        is entered around moving the files to their final names (see ``atomic_outputs``).
        """
        started = time.perf_counter()
        shotlist = self.check_claims(refresh(shotlist), allow_unsupported)
        shotlist = current_media(shotlist)
        media = {item.id: item for item in shotlist.media}
        timer = _Timer()
        if plan_seconds:
            timer.add("plan", plan_seconds)
        width, height = shotlist.size
        total = len(shotlist.shots)
        done = {"narrate": 0, "render": 0}
        done_lock = threading.Lock()

        def tick(stage: str) -> None:
            with done_lock:
                done[stage] += 1
                self.progress(stage, done[stage], total)

        # The first failure anywhere (an error, or a progress callback that raises because the
        # job was cancelled): shots not yet started do not start, even on a worker thread that
        # picks one up before the caller has heard of it.
        failed: list[BaseException] = []

        def noted(work: Callable) -> Callable:
            def run(shot: Shot):
                try:
                    return work(shot)
                except BaseException as e:
                    failed.append(e)
                    raise
            return run

        @noted
        def speak(shot: Shot) -> tuple[Narration, str, bool]:
            result = self._narrate(shot, timer)
            tick("narrate")
            return result

        # One voice speaks the shots in order without pause while the shot workers draw and
        # encode each shot as soon as its narration (which sets its length) is ready: speech
        # is the longest chain of work, so it never waits for a free worker.
        voice = ThreadPoolExecutor(max_workers=self.executor.voices, thread_name_prefix="voice")
        spoken = {shot.id: voice.submit(speak, shot) for shot in shotlist.shots}

        @noted
        def make_shot(shot: Shot) -> _ShotResult:
            narration, audio_key, audio_cached = spoken[shot.id].result()
            if failed:
                raise failed[0]
            frames = self._spoken(narration)[1]
            job = RenderJob(
                frames=frames, fps=self.fps, width=width, height=height, title=shotlist.title,
                language=shotlist.language, style=shotlist.style,
                media=media.get(shot.media) if shot.kind == "media" else None, brand=self.brand,
            )
            renderer = self.renderer_for(shot)
            clip, video_key, video_cached, mark = self._render_clip(shot, job, timer, renderer)
            tick("render")
            return _ShotResult(shot, narration, frames, clip, audio_key, video_key, audio_cached, video_cached, renderer, mark)

        self.progress("narrate", 0, total)
        self.progress("render", 0, total)
        pool = ThreadPoolExecutor(max_workers=self.executor.workers or self.workers, thread_name_prefix="shot")
        bumper_job = RenderJob(frames=1, fps=self.fps, width=width, height=height, title=shotlist.title,
                               language=shotlist.language, brand=self.brand)
        # The brand's cards first: they fill the workers while the first shot is spoken.
        bumpers = [pool.submit(self._bumper, which, bumper_job, timer) for which in ("intro", "outro")]
        shots = [pool.submit(make_shot, shot) for shot in shotlist.shots]

        def soundtrack() -> Path:
            # Queued behind every shot's speech on the same thread, so all of it is done.
            spoken = [self._spoken(future.result()[0]) for future in spoken_futures]
            intro, outro = (future.result() for future in bumpers)
            parts = [(b.audio, b.frames) for b in (intro,) if b] + spoken + [(b.audio, b.frames) for b in (outro,) if b]
            return self._soundtrack(parts, timer)

        spoken_futures = list(spoken.values())
        track = voice.submit(soundtrack)
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

        # Each shot now lasts exactly its frames; the shot list records that.
        timed_shots = [r.shot.model_copy(update={"duration_s": r.frames / self.fps}) for r in results]
        final_list = shotlist.model_copy(update={"shots": timed_shots})
        lead_s = intro.frames / self.fps if intro else 0.0
        # Captions and descriptions start after the intro card, if the brand has one.
        starts = [lead_s + s for s in shot_starts([r.frames for r in results], self.fps)]
        cues = self._captions(results, starts)
        described = description_cues(timed_shots, starts, [r.frames / self.fps for r in results], final_list.media)

        self.progress("assemble", 0, 1)
        t0 = time.perf_counter()
        with atomic_outputs(paths.all(), commit) as temp:
            # Signed output goes through a second file: the signer reads the assembled one.
            assembled = temp[paths.video] if self.signer is None else temp[paths.video].with_suffix(".unsigned.mp4")
            try:
                assemble(
                    ([intro] if intro else []) + [ShotMedia(r.clip, r.narration.path, r.frames) for r in results] + ([outro] if outro else []),
                    self.fps,
                    cues,
                    assembled,
                    language=shotlist.language,
                    title=shotlist.title,
                    descriptions=described,
                    soundtrack=sound,
                )
                temp[paths.vtt].write_text(to_vtt(cues), encoding="utf-8")
                temp[paths.descriptions].write_text(to_vtt(described, header="Audio description"), encoding="utf-8")
                temp[paths.srt].write_text(to_srt(cues), encoding="utf-8")
                temp[paths.shots].write_text(dump_shotlist(final_list), encoding="utf-8")
                timer.add("assemble", time.perf_counter() - t0)
                self.progress("assemble", 1, 1)
                record = self._record(final_list, results, timer, paths, settings or {}, correction, starts)
                record.duration_s += sum(b.frames for b in (intro, outro) if b) / self.fps
                record.grounding = grounding_summary(final_list, self.embedder, allow_unsupported)
                if review:
                    record.review = review
                if self.signer is not None:
                    self.progress("sign", 0, 1)
                    t1 = time.perf_counter()
                    spec = manifest_spec(
                        final_list,
                        [ShotParts(r.shot.id, r.clip, r.narration.path, r.renderer.digital_source_type, renderer_label(r.renderer)) for r in results]
                        + [ShotParts(name, b.clip, None, CardsRenderer.digital_source_type, renderer_label(CardsRenderer()))
                           for name, b in (("intro", intro), ("outro", outro)) if b],
                        record=record.model_dump(mode="json", by_alias=True, exclude={"shotlist", "outputs", "timings_s"}),
                        narrator_source_type=self.narrator.digital_source_type,
                        renderer_label=" + ".join(dict.fromkeys(renderer_label(r.renderer) for r in results)),
                        voice_label=f"{self.narrator.name} {self.narrator.version}, voice {self.narrator.voice.name}",
                        correction=correction,
                        training_mining=self.training_mining,
                        soft_binding=soft_binding([(start, r.frames / self.fps, r.mark) for r, start in zip(results, starts)]),
                    )
                    sidecar = temp[paths.credentials] if paths.credentials else None
                    signed = sign_file(assembled, temp[paths.video], spec, self.signer, sidecar=sidecar)
                    if self.repository is not None:
                        # Filed before the video appears, so no published copy is ever unknown to it.
                        self.repository.add(signed.store)
                        record.repository = {"location": self.repository.location, "manifest_id": signed.manifest_id}
                    timer.add("sign", time.perf_counter() - t1)
                    record.signed = True
                    record.signer = self.signer.describe()
                    self.progress("sign", 1, 1)
            finally:
                if assembled != temp[paths.video]:
                    assembled.unlink(missing_ok=True)
            timer.seconds["total"] = time.perf_counter() - started + plan_seconds
            record.timings_s = {k: round(v, 3) for k, v in timer.seconds.items()}
            temp[paths.record].write_text(record.to_json(), encoding="utf-8")
        return Production(paths=paths, shotlist=final_list, record=record, cues=cues)

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

    def _bumper(self, which: str, job: RenderJob, timer: _Timer) -> ShotMedia | None:
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

    def _spoken(self, narration: Narration) -> tuple[Path, int]:
        return narration.path, frames_for(narration.duration_s, self.fps)

    def _soundtrack(self, parts: list[tuple[Path, int]], timer: _Timer) -> Path:
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

    def _narrate(self, shot: Shot, timer: _Timer) -> tuple[Narration, str, bool]:
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

    def _render_clip(self, shot: Shot, job: RenderJob, timer: _Timer, renderer: Renderer | None = None,
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

    def _captions(self, results: list[_ShotResult], starts: list[float]) -> list[Cue]:
        phrases = [
            TimedPhrase(seg.text, start + seg.start_s, start + seg.end_s)
            for r, start in zip(results, starts)
            for seg in r.narration.segments
        ]
        return build_cues(phrases)

    def _record(
        self,
        shotlist: ShotList,
        results: list[_ShotResult],
        timer: _Timer,
        paths: OutputPaths,
        settings: dict,
        correction: Correction | None,
        starts: list[float],
    ) -> ProductionRecord:
        source = shotlist.source
        listing = shotlist.model_dump(mode="json", exclude={"source": {"text"}})
        # What was asked may not be what ran (a voice an edit named, a planner that fell back):
        # the recorded settings say what ran.
        ran = {"voice": self.narrator.voice.name, "renderer": self.renderer.name, "planner": shotlist.planner.name,
               "aspect": shotlist.aspect}
        settings = {**settings, **{k: v for k, v in ran.items() if k in settings}}
        return ProductionRecord(
            software=software_versions(ffmpeg_version(), self.narrator.version),
            source=None
            if source is None
            else source_summary(source),
            planner=shotlist.planner.model_dump(),
            renderer={
                "name": self.renderer.name,
                "version": self.renderer.version,
                "model": self.renderer.model,
                "digital_source_type": self.renderer.digital_source_type,
                "fps": self.fps,
                "size": list(shotlist.size),
                **self.renderer.describe(),
                **({"brand": {"name": self.brand.name, "sha256": self.brand.fingerprint}} if self.brand else {}),
            },
            voice={
                "name": self.narrator.voice.name,  # the voice that spoke, whatever the script asked for
                "model_sha256": self.narrator.voice.model_sha256,
                "narrator": self.narrator.name,
                "settings": self.narrator.cache_key()["settings"],
            },
            settings=settings,
            shots=[
                ShotRecord(
                    id=r.shot.id,
                    start_s=round(start, 3),
                    duration_s=r.frames / self.fps,
                    frames=r.frames,
                    narration_s=r.narration.duration_s,
                    seed=r.shot.seed,
                    audio_key=r.audio_key,
                    video_key=r.video_key,
                    audio_cached=r.audio_cached,
                    video_cached=r.video_cached,
                    renderer=r.renderer.name,
                    watermark=None if r.mark is None else base64.b64encode(r.mark).decode("ascii"),
                )
                for r, start in zip(results, starts)
            ],
            duration_s=sum(r.frames for r in results) / self.fps,
            timings_s={k: round(v, 3) for k, v in timer.seconds.items()},
            outputs={name: str(getattr(paths, name)) for name in ("video", "vtt", "srt", "descriptions", "shots", "record")},
            correction=None if correction is None else {"parent": str(correction.parent), "note": correction.note},
            shotlist=listing,
        )


def makes(renderer: Renderer | None) -> frozenset[str] | None:
    """The shot kinds a renderer makes; None for all (a renderer that does not say makes all)."""
    return getattr(renderer, "kinds", None)


def renderer_label(renderer: Renderer) -> str:
    """How a renderer is named in the manifest: name, version and model."""
    return f"{renderer.name} {renderer.version}" + (f" ({renderer.model})" if renderer.model else "")


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


def source_summary(source: Source) -> dict:
    """What the record and the manifest say about a source (not its text)."""
    return {
        "kind": source.kind,
        "title": source.title,
        "url": source.url,
        "author": source.author,
        "publisher": source.publisher,
        "published": source.published,
        "retrieved_at": source.retrieved_at,
        "language": source.language,
        "media_type": source.media_type,
        "body_from": source.body_from,
        "sha256": source.sha256,
        "sentences": len(source.sentences),
    }


def grounding_summary(shotlist: ShotList, embedder: Embedder | None, allow_unsupported: bool) -> dict:
    """What the record and manifest say about grounding."""
    source = shotlist.source
    grounded = source is not None and bool(source.sentences)
    return {
        "grounded": grounded,
        "method": (Grounder(source, embedder).method if grounded else None),
        "allow_unsupported": allow_unsupported,
        "unsupported": {shot.id: shot.issues for shot in shotlist.shots if shot.unsupported},
        "injections": dict(source.injections) if source else {},
    }
