"""The caption stage: where each shot starts in the finished video, the captions spoken over
it and the audio description cues, once every shot's length is known."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..assembly.captions import Cue, TimedPhrase, build_cues
from ..assembly.descriptions import description_cues
from ..assembly.timing import shot_starts
from ..shotlist import ShotList
from .common import ShotResult


@dataclass
class Timed:
    """The shot list with each shot's real length, the shots' starts (seconds, after any
    intro card), the captions and the description cues."""

    shotlist: ShotList
    starts: list[float]
    cues: list[Cue]
    described: list[Cue]


def time_shots(shotlist: ShotList, results: Sequence[ShotResult], fps: int, lead_s: float = 0.0) -> Timed:
    """Each shot lasts exactly its frames; captions follow the narration's phrase timings and
    start ``lead_s`` in (the brand's intro card)."""
    timed_shots = [r.shot.model_copy(update={"duration_s": r.frames / fps}) for r in results]
    final = shotlist.model_copy(update={"shots": timed_shots})
    starts = [lead_s + s for s in shot_starts([r.frames for r in results], fps)]
    phrases = [TimedPhrase(seg.text, start + seg.start_s, start + seg.end_s)
               for r, start in zip(results, starts) for seg in r.narration.segments]
    described = description_cues(timed_shots, starts, [r.frames / fps for r in results], final.media)
    return Timed(final, starts, build_cues(phrases), described)
