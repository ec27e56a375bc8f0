"""The renderer seam: a shot in, a video clip of an exact frame count out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

from ..shotlist import MediaItem, Shot
from .brand import Brand
from .palette import Palette, palette_for


@dataclass(frozen=True)
class RenderJob:
    """What a renderer must produce for one shot."""

    frames: int
    """Exact number of frames: the narration's length rounded up to a frame."""
    fps: int
    width: int
    height: int
    title: str
    """The video's title (cards show it as a kicker; it also picks the palette)."""
    language: str = "en"
    style: str = ""
    """One look for the whole video, appended to every visual prompt (the ShotList's style)."""
    media: MediaItem | None = None
    """A media shot's photo or clip (from the ShotList's media)."""
    brand: "Brand | None" = None
    """The newsroom's brand kit (colours, fonts, logo); None for the neutral house style."""
    mark: bytes | None = None
    """The soft-binding identifier to watermark into every frame (7 bytes); None for none."""
    mark_strength: int = 36
    """The watermark's quantisation step (higher survives more, shows more)."""

    @property
    def palette(self) -> Palette:
        """The colours to draw with: the brand's, or the house palette chosen by the title."""
        return self.brand.palette if self.brand is not None else palette_for(self.title)

    @property
    def duration_s(self) -> float:
        """Length of the clip in seconds."""
        return self.frames / self.fps


@runtime_checkable
class Renderer(Protocol):
    """Makes one shot's footage. Implementations register a factory in ``registry``."""

    name: str
    version: str
    digital_source_type: str
    """IPTC digital source type IRI of the footage it makes (stated in the C2PA manifest)."""
    model: str | None
    """The model id (and revision) behind the footage, if any."""
    kinds: frozenset[str] | None
    """The shot kinds it makes; None for every kind. The pipeline has the built-in graphics
    draw the others (a video model makes ``generated`` shots, never a chart)."""

    def cache_key(self, shot: Shot, job: RenderJob) -> dict:
        """Everything that changes the pixels of this shot (and nothing that does not)."""
        ...

    def describe(self) -> dict:
        """Settings that shaped the footage (model, steps, guidance...), for the record."""
        ...

    def render(
        self, shot: Shot, job: RenderJob, out_path: Path, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Write an H.264 MP4 of exactly ``job.frames`` frames to ``out_path``.

        ``progress(done, total)`` may be called as the work advances (per denoising step).
        """
        ...
