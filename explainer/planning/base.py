"""The planner seam: a Source and settings in, a ShotList out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from ..shotlist import Aspect, MediaItem, ShotList, Source


@dataclass(frozen=True)
class PlanSettings:
    """What the video should be: how long, how many shots, in what shape and voice."""

    length_s: float = 60.0
    """Target length of the finished video in seconds."""
    max_shots: int = 20
    """Upper bound on the number of shots."""
    aspect: Aspect = "16:9"
    voice: str = "joe"
    kind: Literal["news", "lesson"] = "news"
    words_per_second: float = 3.0
    """Speaking rate used to estimate length before any audio exists (the bundled voice's)."""
    sentence_pause_s: float = 0.3
    """Estimated pause the narrator adds after each sentence."""
    shot_pause_s: float = 0.6
    """Estimated lead-in plus breath the narrator adds around each shot."""
    media: tuple[MediaItem, ...] = ()
    """The newsroom's photos and clips, placed on the shots their captions match."""
    footage: bool = False
    """A renderer that generates footage is configured: shots with no graphic of their own
    become ``generated`` instead of text cards."""
    icons: bool = False
    """Give headlines and following phrases an icon where the embedding model finds a close one."""
    must_include: tuple[str, ...] = ()
    """Source sentence ids that must be narrated whatever the length (a lesson's objectives):
    the length is then a target, not a cap."""
    objectives: tuple[tuple[str, str], ...] = ()
    """A lesson's objectives as (the id of the objective's own sentence in the source, the id
    of the sentence that teaches it): the video opens with those it teaches and closes with a
    recap of their lines."""


@runtime_checkable
class Planner(Protocol):
    """Writes a shot list. Implementations register a factory in ``registry``."""

    name: str
    version: str

    def plan(self, source: Source, settings: PlanSettings) -> ShotList:
        """The shot list for ``source``; every narrated line linked to its source sentences."""
        ...
