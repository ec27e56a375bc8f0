"""Text layers shared by every renderer: the AI label, the kicker and the animated headline.

They are drawn once with Pillow as transparent stills and laid over the footage by ffmpeg
after it is scaled to the output size, so type stays crisp whatever made the pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .base import RenderJob
from .palette import Palette

AI_LABEL = "AI-generated"
FADE_IN_START_S = 0.2
FADE_IN_S = 0.6
FADE_OUT_S = 0.35
RISE_PX_FRACTION = 0.05
#: Where a headline card's block is centred, as a share of the frame's height.
HEADLINE_MIDDLE = 0.42


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """The face for a house weight (Roboto, RobotoMedium, RobotoBold...) at ``size`` px, or the
    brand's own font file for it when a brand kit is drawing."""
    from .brand import current_font_file

    branded = current_font_file(weight)
    return _face(str(branded) if branded else weight, size)


@lru_cache(maxsize=64)
def _face(name: str, size: int) -> ImageFont.FreeTypeFont:
    import font_roboto

    return ImageFont.truetype(font_roboto.font_files.get(name, name), size)

def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str] | None:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        elif draw.textlength(word, font=font) <= width:
            lines.append(word)
        else:
            return None  # a single word wider than the box: the font is too big
    return lines


def fit_headline(text: str, width: int, height: int, largest: int, smallest: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest bold font (and its line breaks) at which ``text`` fits the box."""
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    size = largest
    while True:
        font = _font("RobotoBold", size)
        lines = _wrap(probe, text, font, width)
        if lines is not None and len(lines) * size * 1.18 <= height:
            return font, lines
        if size <= smallest:
            # Too long for the card even at the smallest size: cut at a word with an ellipsis.
            lines = lines or [text]
            max_lines = max(1, int(height / (size * 1.18)))
            return font, lines[:max_lines - 1] + [lines[max_lines - 1] + "\u2026"] if len(lines) > max_lines else lines
        size = max(smallest, int(size * 0.9))


def save_cropped(layer: Image.Image, path: Path) -> tuple[int, int]:
    """Save only the drawn part of a layer (overlaying less is faster); returns its offset."""
    box = layer.getbbox() or (0, 0, 2, 2)
    # Even offsets and sizes: the layers are overlaid in 4:2:0 chroma.
    left, top = box[0] // 2 * 2, box[1] // 2 * 2
    right, bottom = min(layer.width, (box[2] + 1) // 2 * 2), min(layer.height, (box[3] + 1) // 2 * 2)
    layer.crop((left, top, right, bottom)).save(path, compress_level=1)
    return left, top


def title_safe(side: int, wanted: float) -> int:
    """A margin of at least ``wanted`` px and at least 5% of ``side`` (the title-safe area)."""
    return max(int(wanted), -(-side * 5 // 100))


def chrome_layer(job: RenderJob, p: Palette, scrim: bool = False) -> Image.Image:
    """The static layer: the AI label (top right) and the title as a kicker (top left).
    ``scrim`` darkens the top of the frame behind them, for photos and footage."""
    w, h = job.width, job.height
    unit = min(w, h)
    # Inside the title-safe area (5% in from each edge) on every shape of frame.
    margin, top = title_safe(w, unit * 0.06), title_safe(h, unit * 0.06)
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    if scrim:
        # Black fading to clear over the top band: the kicker keeps its contrast on a white sky.
        band = int(top * 2 + unit * 0.08)
        fade = Image.linear_gradient("L").resize((1, band)).point(lambda v: int((255 - v) * 0.7)).resize((w, band))
        layer.paste(Image.new("RGBA", (w, band), (0, 0, 0, 255)), (0, 0), fade)
    draw = ImageDraw.Draw(layer)
    # The AI label: always on screen, top right, on a solid pill so it reads on anything.
    label_font = _font("RobotoMedium", max(14, int(unit * 0.028)))
    tw = draw.textlength(AI_LABEL, font=label_font)
    pad = int(unit * 0.012)
    ascent, descent = label_font.getmetrics()
    box = (w - margin - tw - 2 * pad, top, w - margin, top + ascent + descent + 2 * pad)
    draw.rounded_rectangle(box, radius=(box[3] - box[1]) // 2, fill=(0, 0, 0, 170))
    draw.text((box[0] + pad, box[1] + pad), AI_LABEL, font=label_font, fill=(255, 255, 255, 255))
    # The kicker: the video's title, small, top left, clear of the label (after the logo).
    kicker_font = _font("RobotoMedium", max(14, int(unit * 0.03)))
    left = margin
    if job.brand is not None and job.brand.logo:
        import io

        with Image.open(io.BytesIO(job.brand.logo)) as opened:
            logo = opened.convert("RGBA")
        logo = logo.crop(logo.getbbox() or (0, 0, logo.width, logo.height))  # no empty margins
        logo_h = box[3] - box[1]
        logo = logo.resize((max(1, round(logo.width * logo_h / logo.height)), logo_h), Image.LANCZOS)
        logo = logo.crop((0, 0, min(logo.width, int(w * 0.3)), logo_h))
        layer.alpha_composite(logo, (margin, top))
        left = margin + logo.width + pad * 2
    room = box[0] - left - pad * 2
    words = job.title.upper().split()
    kicker = " ".join(words)
    # Cut at a word, never inside one: "...FOOD PRICES FOR\u2026", not "...FOR A\u2026" of "AMERICAN".
    while len(words) > 1 and draw.textlength(kicker, font=kicker_font) > room:
        words = words[:-1]
        kicker = " ".join(words).rstrip(",:;\u2013\u2014-") + "\u2026"
    draw.text((left, top + pad), kicker, font=kicker_font, fill=(p.text if scrim else p.muted) + (255,))
    return layer

def headline_layer(text: str, job: RenderJob, p: Palette, backdrop: bool = False, reserve: int = 0) -> Image.Image:
    """The headline with its accent bar; ``backdrop`` adds a dark panel for use over footage;
    ``reserve`` keeps that many pixels clear at the right (for an icon)."""
    w, h = job.width, job.height
    unit = min(w, h)
    margin = title_safe(w, unit * 0.08)
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    if not text.strip():
        return layer
    bar = max(6, int(unit * 0.012))
    left = margin + bar * 3
    # The lower fifth stays clear: players draw the captions there.
    box_w, box_h = w - left - margin - reserve, int(h * 0.5)
    font, lines = fit_headline(text.strip(), box_w, box_h, int(unit * 0.11), int(unit * 0.05))
    line_h = int(font.size * 1.18)
    block_h = line_h * len(lines)
    top = int(h * HEADLINE_MIDDLE - block_h / 2)
    draw = ImageDraw.Draw(layer)
    if backdrop:
        # Over generated footage the palette ground is gone: a dark panel keeps 4.5:1 contrast.
        widest = max(draw.textlength(line, font=font) for line in lines)
        pad = int(font.size * 0.35)
        draw.rounded_rectangle(
            (margin - pad, top - pad, left + widest + pad, top + block_h + pad), radius=pad, fill=(0, 0, 0, 185)
        )
    draw.rectangle((margin, top + int(font.size * 0.12), margin + bar, top + block_h - int(font.size * 0.1)), fill=p.accent + (255,))
    for i, line in enumerate(lines):
        draw.text((left, top + i * line_h), line, font=font, fill=p.text + (255,))
    return layer


@dataclass(frozen=True)
class Layer:
    """One transparent still laid over the footage: where, from when, and how it moves."""

    path: Path
    at: tuple[int, int]
    start_s: float = FADE_IN_START_S
    """When it fades in."""
    rise: bool = True
    """Eases up into place as it fades in (headlines); builds and chrome stay put."""
    fade_in_s: float = FADE_IN_S
    fade_out: bool = True
    """Fades out before the cut (content does; the chrome stays to the last frame)."""
    end_s: float | None = None
    """When it is gone, if before the cut (a long shot's first visual gives way to its second)."""


def save_layer(image: Image.Image, path: Path, start_s: float = FADE_IN_START_S, *, rise: bool = True,
               fade_in_s: float = FADE_IN_S, fade_out: bool = True) -> Layer:
    """Save a full-frame layer cropped to what is drawn, as a Layer."""
    return Layer(path, save_cropped(image, path), start_s, rise, fade_in_s, fade_out)


def write_layers(folder: Path, text: str, job: RenderJob, palette: Palette, backdrop: bool = False) -> list[Layer]:
    """The headline and chrome layers of a text shot, saved into ``folder``."""
    return [
        save_layer(headline_layer(text, job, palette, backdrop), folder / "headline.png"),
        chrome(folder, job, palette, scrim=backdrop),
    ]


def chrome(folder: Path, job: RenderJob, palette: Palette, scrim: bool = False) -> Layer:
    """The chrome layer (AI label, kicker): on from the first frame to the last; ``scrim``
    over pictures."""
    return save_layer(chrome_layer(job, palette, scrim), folder / "chrome.png", 0.0, rise=False, fade_in_s=0.0, fade_out=False)


def looped(still, fps: int):
    """A single picture repeated as a stream of ``fps`` frames a second. The time base is set
    first: a picture's own is 1/25 s, and frame times rounded to it moved the builds of a
    30 fps video on a 25 fps grid (every fifth frame repeated while anything moved)."""
    return still.filter("loop", loop=-1, size=1, start=0).filter("settb", f"1/{fps}").filter("setpts", "N")


def _fade_out_at(layer: Layer, duration_s: float) -> float | None:
    """When a layer starts to fade out before its cut, or None when it stays (the chrome, or a
    layer gone before it was fully in)."""
    at = (layer.end_s if layer.end_s is not None else duration_s) - FADE_OUT_S
    return at if layer.fade_out and at > layer.start_s + layer.fade_in_s else None


def motion(layers: list[Layer], job: RenderJob) -> list[tuple[float, float]]:
    """When anything on screen moves, in seconds: each layer's fade in (and rise), and its
    fade out. Between these spans every frame repeats the one before."""
    spans: list[tuple[float, float]] = []
    for layer in layers:
        if layer.fade_in_s > 0:
            spans.append((layer.start_s, layer.start_s + layer.fade_in_s))
        fade_out_at = _fade_out_at(layer, job.duration_s)
        if fade_out_at is not None:
            spans.append((fade_out_at, fade_out_at + FADE_OUT_S))
    return spans


def held(video, layers: list[Layer], job: RenderJob):
    """Of a still background, only the frames under which something moves: those of
    ``motion``'s spans (a frame to spare each side), the first and the last. The layers are
    then laid over those frames alone, and written with their times (variable frame rate) a
    held picture is one frame however long it holds: x264 encodes a 60 s explainer's ~1,800
    frames as a few hundred, and the overlays run as often; a player shows each frame until
    the next."""
    margin = 1 / job.fps
    terms = [f"between(t,{a - margin:.4f},{b + margin:.4f})" for a, b in motion(layers, job)]
    terms += ["eq(n,0)", f"eq(n,{job.frames - 1})"]
    return video.filter("trim", end_frame=job.frames).filter("select", "+".join(terms))


def compose(base, layers: list[Layer], job: RenderJob):
    """Lay each layer over ``base``: faded in at its time (easing up if it rises), faded out
    before the cut unless it is chrome."""
    import ffmpeg

    fps, dur, h = job.fps, job.duration_s, job.height
    rise = int(h * RISE_PX_FRACTION)
    video = base
    for layer in layers:
        still = ffmpeg.input(str(layer.path)).filter("format", "yuva420p")
        moving = layer.fade_in_s > 0 or layer.fade_out
        if moving:
            still = looped(still, fps)
        if layer.fade_in_s > 0:
            still = still.filter("fade", type="in", start_time=round(layer.start_s, 4), duration=layer.fade_in_s, alpha=1)
        fade_out_at = _fade_out_at(layer, dur)
        if fade_out_at is not None:
            still = still.filter("fade", type="out", start_time=round(fade_out_at, 4), duration=FADE_OUT_S, alpha=1)
        x, y = layer.at
        # A looped layer never ends: the footage under it says when the shot does.
        until = {"shortest": 1} if moving else {}
        if layer.rise and layer.fade_in_s > 0:
            ease = f"pow(1-min(max(t-{layer.start_s:.3f},0)/{layer.fade_in_s},1),3)"
            video = ffmpeg.overlay(video, still, x=x, y=f"{y}+{rise}*{ease}", format="yuv420", **until)
        else:
            video = ffmpeg.overlay(video, still, x=x, y=y, format="yuv420", **until)
    return video
