"""Shared drawing for the shot kinds: the frame's safe box, fonts, wrapped text blocks.

Every kind lays its content inside the title-safe box (5% in from each edge, the lower fifth
left to the captions) so nothing is cut on 16:9, 9:16 or 1:1.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ..base import RenderJob
from ..overlay import _font, fit_headline, title_safe

RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Box:
    """A rectangle of the frame, in pixels."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        """Width in pixels."""
        return self.right - self.left

    @property
    def height(self) -> int:
        """Height in pixels."""
        return self.bottom - self.top


def safe_box(job: RenderJob) -> Box:
    """Where content goes: inside the margins, below the kicker, above the captions."""
    unit = min(job.width, job.height)
    margin = title_safe(job.width, unit * 0.08)
    return Box(margin, title_safe(job.height, unit * 0.06) + int(unit * 0.09), job.width - margin, int(job.height * 0.8))


def unit(job: RenderJob) -> int:
    """The frame's short side: type sizes are fractions of it."""
    return min(job.width, job.height)


def canvas(job: RenderJob) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A transparent full-frame layer and a pen for it."""
    image = Image.new("RGBA", (job.width, job.height), (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """A Roboto face (Roboto, RobotoMedium, RobotoBold, RobotoItalic...) at ``size`` px."""
    return _font(weight, max(10, int(size)))


def text_block(draw: ImageDraw.ImageDraw, text: str, box: Box, largest: int, smallest: int, fill: RGBA,
               weight: str = "RobotoBold", top: int | None = None) -> int:
    """Draw ``text`` wrapped into ``box`` at the largest size that fits; returns the bottom y."""
    face, lines = fit_headline(text, box.width, box.height, largest, smallest)
    if weight != "RobotoBold":
        face = font(weight, face.size)
    line_h = int(face.size * 1.2)
    y = box.top if top is None else top
    for line in lines:
        draw.text((box.left, y), line, font=face, fill=fill)
        y += line_h
    return y
