"""Palettes for motion cards: one per video, chosen from the title, all with AA contrast."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """Colours of one video's cards."""

    name: str
    top: RGB
    bottom: RGB
    glow: RGB
    accent: RGB
    text: RGB
    muted: RGB


# Dark grounds with light type: every text colour here has a contrast ratio of at least
# 4.5:1 against both gradient ends (tests check it), so cards stay readable on any screen.
PALETTES: tuple[Palette, ...] = (
    Palette("harbor", (12, 32, 58), (6, 16, 30), (40, 110, 170), (255, 196, 61), (250, 250, 247), (178, 198, 222)),
    Palette("forest", (14, 44, 36), (6, 20, 17), (46, 125, 95), (240, 200, 90), (248, 250, 245), (170, 210, 190)),
    Palette("ember", (58, 20, 24), (26, 8, 12), (160, 60, 50), (255, 183, 77), (255, 248, 240), (230, 186, 176)),
    Palette("slate", (30, 34, 44), (12, 14, 20), (90, 100, 130), (120, 200, 255), (245, 247, 250), (190, 198, 214)),
    Palette("plum", (44, 22, 56), (18, 8, 26), (120, 70, 150), (120, 230, 200), (250, 246, 252), (210, 190, 224)),
)


def palette_for(title: str) -> Palette:
    """The palette of a video: stable for a title, varied across titles."""
    index = int(hashlib.sha256(title.encode("utf-8")).hexdigest(), 16) % len(PALETTES)
    return PALETTES[index]


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2.1 contrast ratio between two sRGB colours."""

    def luminance(c: RGB) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        r, g, bl = (channel(v) for v in c)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
