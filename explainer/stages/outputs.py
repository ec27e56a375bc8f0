"""The assemble stage: the shots' clips and the soundtrack into one MP4 with its caption and
description tracks, and the caption, description and shot-list files beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..assembly.assemble import ShotMedia, assemble
from ..assembly.captions import to_srt, to_vtt
from ..outputs import OutputPaths
from ..shotlist import dump_shotlist
from .captions import Timed
from .shots import Made


def write_outputs(made: Made, timed: Timed, temp: Mapping[Path, Path], paths: OutputPaths, assembled: Path, fps: int) -> None:
    """Assemble into ``assembled`` and write the side files under their ``temp`` names."""
    shotlist = timed.shotlist
    clips = [ShotMedia(r.clip, r.narration.path, r.frames) for r in made.results]
    assemble([b for b in (made.intro,) if b] + clips + [b for b in (made.outro,) if b], fps, timed.cues, assembled,
             language=shotlist.language, title=shotlist.title, descriptions=timed.described, soundtrack=made.sound)
    temp[paths.vtt].write_text(to_vtt(timed.cues), encoding="utf-8")
    temp[paths.descriptions].write_text(to_vtt(timed.described, header="Audio description"), encoding="utf-8")
    temp[paths.srt].write_text(to_srt(timed.cues), encoding="utf-8")
    temp[paths.shots].write_text(dump_shotlist(shotlist), encoding="utf-8")
