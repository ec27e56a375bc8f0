"""The record stage: what was made, from what source, by which planner, renderer and voice,
with which settings (as they ran, not as they were asked for), shot by shot."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Sequence

from ..assembly.media import ffmpeg_version
from ..grounding import Embedder, Grounder
from ..outputs import OutputPaths
from ..record import ProductionRecord, ShotRecord, software_versions
from ..shotlist import ShotList, Source
from .common import ShotResult, Timer

if TYPE_CHECKING:
    from ..pipeline import Pipeline
    from ..signing import Correction


def source_summary(source: Source) -> dict:
    """What the record and the manifest say about a source (not its text)."""
    return {
        "kind": source.kind, "title": source.title, "url": source.url, "author": source.author,
        "publisher": source.publisher, "published": source.published, "retrieved_at": source.retrieved_at,
        "language": source.language, "media_type": source.media_type, "body_from": source.body_from,
        "sha256": source.sha256, "sentences": len(source.sentences),
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


def _shot_records(results: Sequence[ShotResult], starts: Sequence[float], fps: int) -> list[ShotRecord]:
    return [
        ShotRecord(id=r.shot.id, start_s=round(start, 3), duration_s=r.frames / fps, frames=r.frames,
                   narration_s=r.narration.duration_s, seed=r.shot.seed, audio_key=r.audio_key, video_key=r.video_key,
                   audio_cached=r.audio_cached, video_cached=r.video_cached, renderer=r.renderer.name,
                   watermark=None if r.mark is None else base64.b64encode(r.mark).decode("ascii"))
        for r, start in zip(results, starts)
    ]


def production_record(pipeline: "Pipeline", shotlist: ShotList, results: Sequence[ShotResult], starts: Sequence[float],
                      timer: Timer, paths: OutputPaths, settings: dict, correction: "Correction | None") -> ProductionRecord:
    """The production record of a render by ``pipeline`` (its narrator, renderer, brand)."""
    narrator, renderer, fps = pipeline.narrator, pipeline.renderer, pipeline.fps
    # What was asked may not be what ran (a voice an edit named, a planner that fell back):
    # the recorded settings say what ran.
    ran = {"voice": narrator.voice.name, "renderer": renderer.name, "planner": shotlist.planner.name, "aspect": shotlist.aspect}
    settings = {**settings, **{k: v for k, v in ran.items() if k in settings}}
    brand = {"brand": {"name": pipeline.brand.name, "sha256": pipeline.brand.fingerprint}} if pipeline.brand else {}
    return ProductionRecord(
        software=software_versions(ffmpeg_version(), narrator.version),
        source=None if shotlist.source is None else source_summary(shotlist.source),
        planner=shotlist.planner.model_dump(),
        renderer={"name": renderer.name, "version": renderer.version, "model": renderer.model,
                  "digital_source_type": renderer.digital_source_type, "fps": fps, "size": list(shotlist.size),
                  **renderer.describe(), **brand},
        voice={"name": narrator.voice.name,  # the voice that spoke, whatever the script asked for
               "model_sha256": narrator.voice.model_sha256, "narrator": narrator.name,
               "settings": narrator.cache_key()["settings"]},
        settings=settings,
        shots=_shot_records(results, starts, fps),
        duration_s=sum(r.frames for r in results) / fps,
        timings_s={k: round(v, 3) for k, v in timer.seconds.items()},
        outputs={name: str(getattr(paths, name)) for name in ("video", "vtt", "srt", "descriptions", "shots", "record")},
        correction=None if correction is None else {"parent": str(correction.parent), "note": correction.note},
        shotlist=shotlist.model_dump(mode="json", exclude={"source": {"text"}}),
    )
