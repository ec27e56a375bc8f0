"""The stages of a render, each with one job, which ``Pipeline.render`` runs in order:

1. ``shots.ShotWork``: narrate every shot (one voice, in order) and render each as soon as
   its narration sets its length (the shot workers), plus the brand's cards and the
   soundtrack;
2. ``captions.time_shots``: each shot's start in the video, the captions and the audio
   description cues;
3. ``outputs.write_outputs``: the assembled MP4 and its caption, description and shot-list
   files;
4. ``record.production_record``: what was made, from what, by what;
5. ``sign.sign_video``: the C2PA manifest, signed, and filed in the repository.
"""

from .captions import Timed, time_shots
from .common import ShotResult, Timer
from .shots import Made, ShotWork

__all__ = ["Made", "ShotResult", "ShotWork", "Timed", "Timer", "time_shots"]
