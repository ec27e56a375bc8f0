"""The built-in CPU renderer: designed motion cards, no model.

Each card is three still layers drawn once with Pillow (a drifting background, the static
chrome with the "AI-generated" label, and the headline) that ffmpeg animates: the background
pans slowly, the headline eases up and fades in, and fades out before the cut. Drawing stills
and letting ffmpeg move them keeps a 60 s explainer to a few seconds of CPU.
"""

from __future__ import annotations

import random
import tempfile
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..errors import RenderError
from ..media import VIDEO_CODEC_ARGS, ffmpeg_exe, run_ffmpeg
from ..shotlist import Shot
from .base import RenderJob
from .palette import Palette, palette_for

AI_LABEL = "AI-generated"
#: How much larger than the frame the background is drawn, to leave room for the pan.
OVERSCAN = 1.08
FADE_IN_START_S = 0.2
FADE_IN_S = 0.6
FADE_OUT_S = 0.35
RISE_PX_FRACTION = 0.05


@lru_cache(maxsize=32)
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    import font_roboto

    return ImageFont.truetype(font_roboto.font_files[weight], size)


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


def _save_cropped(layer: Image.Image, path: Path) -> tuple[int, int]:
    """Save only the drawn part of a layer (overlaying less is faster); returns its offset."""
    box = layer.getbbox() or (0, 0, 2, 2)
    # Even offsets and sizes: the layers are overlaid in 4:2:0 chroma.
    left, top = box[0] // 2 * 2, box[1] // 2 * 2
    right, bottom = min(layer.width, (box[2] + 1) // 2 * 2), min(layer.height, (box[3] + 1) // 2 * 2)
    layer.crop((left, top, right, bottom)).save(path, compress_level=1)
    return left, top


class CardsRenderer:
    """Motion cards: readable type, gentle motion, one palette per video, an AI label."""

    name = "cards"
    version = "1"
    #: Drawn by a fixed algorithm, not by a trained model.
    digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
    model: str | None = None

    def cache_key(self, shot: Shot, job: RenderJob) -> dict:
        """Cards show the on-screen text and title; narration and prompt do not change pixels."""
        return {
            "renderer": self.name,
            "version": self.version,
            "text": shot.on_screen_text,
            "title": job.title,
            "seed": shot.seed,
            "frames": job.frames,
            "fps": job.fps,
            "size": [job.width, job.height],
            "encode": VIDEO_CODEC_ARGS,
            "ffmpeg": ffmpeg_exe(),
        }

    def render(self, shot: Shot, job: RenderJob, out_path: Path) -> None:
        """Draw the layers and let ffmpeg animate and encode them."""
        palette = palette_for(job.title)
        with tempfile.TemporaryDirectory(prefix="explainer-card-") as tmp:
            folder = Path(tmp)
            bg = folder / "bg.png"
            chrome = folder / "chrome.png"
            headline = folder / "headline.png"
            self._background(job, palette, shot.seed).save(bg, compress_level=1)
            chrome_at = _save_cropped(self._chrome(job, palette), chrome)
            headline_at = _save_cropped(self._headline(shot.on_screen_text, job, palette), headline)
            self._animate(job, shot.seed, bg, (chrome, chrome_at), (headline, headline_at), out_path)

    # --- layers ---------------------------------------------------------------------------

    def _background(self, job: RenderJob, p: Palette, seed: int) -> Image.Image:
        w, h = int(job.width * OVERSCAN) // 2 * 2, int(job.height * OVERSCAN) // 2 * 2
        gradient = Image.linear_gradient("L").resize((w, h))
        bg = Image.composite(Image.new("RGB", (w, h), p.bottom), Image.new("RGB", (w, h), p.top), gradient)
        # Soft light blooms, drawn small and blurred, then scaled up: cheap and smooth.
        rng = random.Random(seed)
        small = Image.new("L", (w // 8, h // 8), 0)
        draw = ImageDraw.Draw(small)
        for _ in range(3):
            r = rng.uniform(0.18, 0.38) * min(small.size)
            cx, cy = rng.uniform(0, small.width), rng.uniform(0, small.height)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=rng.randint(50, 95))
        mask = small.filter(ImageFilter.GaussianBlur(min(small.size) / 10)).resize((w, h), Image.BICUBIC)
        return Image.composite(Image.new("RGB", (w, h), p.glow), bg, mask)

    def _chrome(self, job: RenderJob, p: Palette) -> Image.Image:
        w, h = job.width, job.height
        unit = min(w, h)
        margin = int(unit * 0.06)
        layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        # The AI label: always on screen, top right, on a solid pill so it reads on anything.
        label_font = _font("RobotoMedium", max(14, int(unit * 0.028)))
        tw = draw.textlength(AI_LABEL, font=label_font)
        pad = int(unit * 0.012)
        ascent, descent = label_font.getmetrics()
        box = (w - margin - tw - 2 * pad, margin, w - margin, margin + ascent + descent + 2 * pad)
        draw.rounded_rectangle(box, radius=(box[3] - box[1]) // 2, fill=(0, 0, 0, 170))
        draw.text((box[0] + pad, box[1] + pad), AI_LABEL, font=label_font, fill=(255, 255, 255, 255))
        # The kicker: the video's title, small, top left, clear of the label.
        kicker_font = _font("RobotoMedium", max(14, int(unit * 0.03)))
        room = box[0] - margin - pad * 2
        kicker = job.title.upper()
        while kicker and draw.textlength(kicker, font=kicker_font) > room:
            kicker = kicker[: max(0, len(kicker) - 4)].rstrip() + "\u2026" if len(kicker) > 4 else ""
            if kicker.endswith("\u2026\u2026"):
                kicker = kicker[:-1]
        draw.text((margin, margin + pad), kicker, font=kicker_font, fill=p.muted + (255,))
        return layer

    def _headline(self, text: str, job: RenderJob, p: Palette) -> Image.Image:
        w, h = job.width, job.height
        unit = min(w, h)
        margin = int(unit * 0.08)
        layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        if not text.strip():
            return layer
        bar = max(6, int(unit * 0.012))
        left = margin + bar * 3
        # The lower fifth stays clear: players draw the captions there.
        box_w, box_h = w - left - margin, int(h * 0.5)
        font, lines = fit_headline(text.strip(), box_w, box_h, int(unit * 0.11), int(unit * 0.05))
        line_h = int(font.size * 1.18)
        block_h = line_h * len(lines)
        top = int(h * 0.42 - block_h / 2)
        draw = ImageDraw.Draw(layer)
        draw.rectangle((margin, top + int(font.size * 0.12), margin + bar, top + block_h - int(font.size * 0.1)), fill=p.accent + (255,))
        for i, line in enumerate(lines):
            draw.text((left, top + i * line_h), line, font=font, fill=p.text + (255,))
        return layer

    # --- motion ---------------------------------------------------------------------------

    def _animate(
        self,
        job: RenderJob,
        seed: int,
        bg: Path,
        chrome: tuple[Path, tuple[int, int]],
        headline: tuple[Path, tuple[int, int]],
        out_path: Path,
    ) -> None:
        import ffmpeg

        fps, frames, dur = job.fps, job.frames, job.duration_s
        w, h = job.width, job.height
        slack_x = int(w * OVERSCAN) // 2 * 2 - w
        slack_y = int(h * OVERSCAN) // 2 * 2 - h
        # Drift across the overscan over the shot, in a direction chosen by the seed.
        rng = random.Random(seed)
        x0, y0 = (0, slack_x) if rng.random() < 0.5 else (slack_x, 0), (0, slack_y) if rng.random() < 0.5 else (slack_y, 0)
        x_expr = f"{x0[0]}+({x0[1]}-{x0[0]})*t/{dur:.4f}"
        y_expr = f"{y0[0]}+({y0[1]}-{y0[0]})*t/{dur:.4f}"
        rise = int(h * RISE_PX_FRACTION)
        # Ease-out cubic rise while the headline fades in.
        ease = f"pow(1-min(max(t-{FADE_IN_START_S},0)/{FADE_IN_S},1),3)"

        base = (
            ffmpeg.input(str(bg))
            .filter("format", "yuv420p")
            .filter("loop", loop=-1, size=1, start=0)
            .filter("setpts", f"N/{fps}/TB")
            .crop(x_expr, y_expr, w, h)
        )
        title_layer = (
            ffmpeg.input(str(headline[0]))
            .filter("format", "yuva420p")
            .filter("loop", loop=-1, size=1, start=0)
            .filter("setpts", f"N/{fps}/TB")
            .filter("fade", type="in", start_time=FADE_IN_START_S, duration=FADE_IN_S, alpha=1)
        )
        fade_out_at = dur - FADE_OUT_S
        if fade_out_at > FADE_IN_START_S + FADE_IN_S:
            title_layer = title_layer.filter("fade", type="out", start_time=round(fade_out_at, 4), duration=FADE_OUT_S, alpha=1)
        hx, hy = headline[1]
        video = ffmpeg.overlay(base, title_layer, x=hx, y=f"{hy}+{rise}*{ease}", format="yuv420")
        cx, cy = chrome[1]
        video = ffmpeg.overlay(video, ffmpeg.input(str(chrome[0])).filter("format", "yuva420p"), x=cx, y=cy, format="yuv420")
        stream = ffmpeg.output(video, str(out_path), vframes=frames, r=fps, f="mp4", **VIDEO_CODEC_ARGS)
        args = stream.get_args()
        run_ffmpeg(args, f"rendering a card ({out_path.name})", error=RenderError)
