"""The sign stage: the C2PA manifest of the assembled video (AI-generated, made from what, by
which renderers and voice, its soft binding), signed into the final file, and the signed
store filed in the manifest repository before the video appears."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from provenance import sign_file

from ..record import ProductionRecord
from ..rendering.cards import CardsRenderer
from ..signing import ShotParts, manifest_spec, soft_binding
from .captions import Timed
from .shots import Made

if TYPE_CHECKING:
    from ..pipeline import Pipeline
    from ..signing import Correction


def renderer_label(renderer) -> str:
    """How a renderer is named in the manifest: name, version and model."""
    return f"{renderer.name} {renderer.version}" + (f" ({renderer.model})" if renderer.model else "")


def _parts(made: Made) -> list[ShotParts]:
    parts = [ShotParts(r.shot.id, r.clip, r.narration.path, r.renderer.digital_source_type, renderer_label(r.renderer))
             for r in made.results]
    cards = CardsRenderer()
    return parts + [ShotParts(name, b.clip, None, CardsRenderer.digital_source_type, renderer_label(cards))
                    for name, b in (("intro", made.intro), ("outro", made.outro)) if b]


def sign_video(pipeline: "Pipeline", made: Made, timed: Timed, record: ProductionRecord, assembled: Path, target: Path,
               sidecar: Path | None, correction: "Correction | None") -> bytes | None:
    """Sign ``assembled`` into ``target`` (and ``sidecar`` when the manifest goes beside it),
    and note in ``record`` that and by whom it was signed. Returns the manifest store to file
    in the repository (None without one): the caller files it when the video is committed,
    so a render that is not (a worker that lost its job) files nothing."""
    narrator, fps = pipeline.narrator, pipeline.fps
    spec = manifest_spec(
        timed.shotlist, _parts(made),
        record=record.model_dump(mode="json", by_alias=True, exclude={"shotlist", "outputs", "timings_s"}),
        narrator_source_type=narrator.digital_source_type,
        renderer_label=" + ".join(dict.fromkeys(renderer_label(r.renderer) for r in made.results)),
        voice_label=f"{narrator.name} {narrator.version}, voice {narrator.voice.name}",
        correction=correction,
        training_mining=pipeline.training_mining,
        soft_binding=soft_binding([(start, r.frames / fps, r.mark) for r, start in zip(made.results, timed.starts)]),
    )
    signed = sign_file(assembled, target, spec, pipeline.signer, sidecar=sidecar)
    record.signed = True
    record.signer = pipeline.signer.describe()
    if pipeline.repository is None:
        return None
    record.repository = {"location": pipeline.repository.location, "manifest_id": signed.manifest_id}
    return signed.store
