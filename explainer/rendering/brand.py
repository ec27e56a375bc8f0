"""A newsroom's brand kit: logo, colours, fonts, caption style, intro and outro cards.

Read from a ``brand.toml`` (paths in it are relative to the file) and checked when it is
loaded, before any rendering: every text colour must reach WCAG AA contrast (4.5:1) on both
ends of the background, the fonts must be TrueType/OpenType files and the logo a PNG or SVG.
Without a brand kit the neutral house style is used (a palette chosen from the title).

    name = "Riverside Ledger"
    logo = "logo.svg"
    [colours]
    background = "#0c203a"
    background_end = "#06101e"   # optional: the gradient's other end
    accent = "#ffc43d"
    text = "#fafaf7"
    muted = "#b2c6de"
    [fonts]
    headline = "fonts/Headline-Bold.ttf"
    body = "fonts/Body-Regular.ttf"
    [lower_third]
    style = "bar"                # caption panels: "panel" (default) or "bar" (an accent bar)
    [intro]
    text = "Riverside Ledger explains"
    seconds = 2.0
    [outro]
    text = "Read the full story at riverside-ledger.example"
    seconds = 2.5
"""

from __future__ import annotations

import hashlib
import io
import re
import tomllib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import InputError
from .palette import RGB, Palette, contrast_ratio

#: WCAG 2.1 AA for normal text.
MIN_CONTRAST = 4.5
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Colours(_Strict):
    background: str
    background_end: str | None = None
    accent: str
    text: str = "#ffffff"
    muted: str | None = None

    @field_validator("background", "background_end", "accent", "text", "muted")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is not None and not _HEX.match(value.strip()):
            raise ValueError(f"{value!r} is not a colour; write it as #rrggbb")
        return value


class _Fonts(_Strict):
    headline: str | None = None
    body: str | None = None


class _Card(_Strict):
    text: str = Field(min_length=1)
    seconds: float = Field(default=2.0, ge=1.0, le=8.0)


class _LowerThird(_Strict):
    style: Literal["panel", "bar"] = "panel"


class _BrandFile(_Strict):
    name: str = Field(min_length=1)
    logo: str | None = None
    colours: _Colours
    fonts: _Fonts = _Fonts()
    lower_third: _LowerThird = _LowerThird()
    intro: _Card | None = None
    outro: _Card | None = None


@dataclass(frozen=True)
class BrandCard:
    """An intro or outro card: one line of text, the logo, for a few seconds."""

    text: str
    seconds: float


@dataclass(frozen=True)
class Brand:
    """A checked brand kit, ready to draw with."""

    name: str
    palette: Palette
    logo: bytes | None = None
    """The logo as PNG bytes (an SVG is rasterised once, when the kit is loaded)."""
    headline_font: Path | None = None
    body_font: Path | None = None
    lower_third: str = "panel"
    intro: BrandCard | None = None
    outro: BrandCard | None = None
    fingerprint: str = field(default="", compare=False)
    """sha256 over the kit's file and every file it names (part of every cache key)."""

    def font_for(self, weight: str) -> Path | None:
        """The brand's font file for a house weight name (Bold/Medium → headline, else body)."""
        if weight in ("RobotoBold", "RobotoMedium", "RobotoBlack"):
            return self.headline_font or self.body_font
        return self.body_font or self.headline_font


def _rgb(value: str) -> RGB:
    digits = _HEX.match(value.strip()).group(1)  # type: ignore[union-attr]
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, int(c * factor))) for c in colour)  # type: ignore[return-value]


def load_brand(path: Path) -> Brand:
    """Read and check a brand.toml; InputError names the file, the field and the fix."""
    if not path.is_file():
        raise InputError(f"--brand {path}: no such file; give a brand.toml (see docs/rendering.md, 'Brand kit')")
    raw = path.read_bytes()
    try:
        data = _BrandFile.model_validate(tomllib.loads(raw.decode("utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path.name}: not valid TOML ({e}); fix the syntax") from e
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        message = "missing; add it" if first["type"] == "missing" else "is not a known field; check its spelling" if first["type"] == "extra_forbidden" else first["msg"]
        raise InputError(f"{path.name}: {where}: {message}") from e
    folder = path.parent
    digest = hashlib.sha256(raw)
    colours = data.colours
    top = _rgb(colours.background)
    bottom = _rgb(colours.background_end) if colours.background_end else _shade(top, 0.5)
    text = _rgb(colours.text)
    accent = _rgb(colours.accent)
    muted = _rgb(colours.muted) if colours.muted else text
    for name, colour in (("text", text), ("accent", accent), ("muted", muted)):
        for ground_name, ground in (("background", top), ("background_end", bottom)):
            ratio = contrast_ratio(colour, ground)
            if ratio < MIN_CONTRAST:
                raise InputError(
                    f"{path.name}: colours.{name} on colours.{ground_name} has a contrast of {ratio:.1f}:1; text needs at"
                    f" least {MIN_CONTRAST}:1 (WCAG AA): darken the background or lighten colours.{name}"
                )
    fonts: dict[str, Path | None] = {}
    for role in ("headline", "body"):
        name = getattr(data.fonts, role)
        fonts[role] = _checked_font(folder / name, path.name, role, digest) if name else None
    logo = _logo_png(folder / data.logo, path.name, digest) if data.logo else None
    glow = _shade(top, 1.8) if sum(top) < 300 else _shade(top, 0.8)
    return Brand(
        name=data.name,
        palette=Palette(f"brand:{data.name}", top, bottom, glow, accent, text, muted),
        logo=logo,
        headline_font=fonts["headline"],
        body_font=fonts["body"],
        lower_third=data.lower_third.style,
        intro=BrandCard(data.intro.text, data.intro.seconds) if data.intro else None,
        outro=BrandCard(data.outro.text, data.outro.seconds) if data.outro else None,
        fingerprint=digest.hexdigest(),
    )


def _checked_font(path: Path, origin: str, role: str, digest) -> Path:
    from PIL import ImageFont

    if not path.is_file():
        raise InputError(f"{origin}: fonts.{role}: {path} is missing; give a .ttf or .otf file next to the brand kit")
    try:
        ImageFont.truetype(str(path), 20)
    except OSError as e:
        raise InputError(f"{origin}: fonts.{role}: {path.name} is not a TrueType or OpenType font; give a .ttf or .otf") from e
    digest.update(path.read_bytes())
    return path.resolve()


def _logo_png(path: Path, origin: str, digest) -> bytes:
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise InputError(f"{origin}: logo: {path} is missing; give a PNG or SVG file next to the brand kit")
    data = path.read_bytes()
    digest.update(data)
    if path.suffix.lower() == ".svg":
        import resvg_py

        try:
            # Rendered tall enough for any chrome size; scaled down when drawn.
            data = bytes(resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), height=256))
        except (ValueError, UnicodeDecodeError) as e:
            raise InputError(f"{origin}: logo: {path.name} is not a readable SVG ({e}); give a PNG or SVG") from e
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (UnidentifiedImageError, OSError) as e:
        raise InputError(f"{origin}: logo: {path.name} is not a PNG or SVG image; give a PNG or SVG") from e
    return data


# The kinds draw type through one font lookup; a brand swaps its files in for a render.
_CURRENT: ContextVar[Brand | None] = ContextVar("explainer_brand", default=None)


@contextmanager
def drawing_with(brand: Brand | None) -> Iterator[None]:
    """Draw with ``brand``'s fonts inside the block (each render thread sets its own)."""
    token = _CURRENT.set(brand)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_font_file(weight: str) -> Path | None:
    """The brand font for ``weight`` in the render under way, if a brand sets one."""
    brand = _CURRENT.get()
    return brand.font_for(weight) if brand else None
