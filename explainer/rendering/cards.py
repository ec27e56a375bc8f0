"""The built-in CPU renderer: designed motion graphics, no model.

Each shot is a still background, the shot kind's content layers (a title, a figure with
its label, a chart, a timeline, a quote, a list or a headline: see ``kinds``) and the chrome
with the "AI-generated" label, all drawn once as stills that ffmpeg animates: content builds
in on its own schedule (within a second), holds still until the next visual, and fades out
before the cut. Nothing moves while a visual holds: the eye rests on what is said, and the
encoder spends almost nothing on frames that repeat the one before.
"""

from __future__ import annotations

import random
from dataclasses import replace
import tempfile
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw, ImageFilter

from ..cache import writer_tag
from ..errors import RenderError
from ..assembly.media import VIDEO_CODEC_ARGS, ffmpeg_version, run_ffmpeg
from ..planning.speech import spoken_words
from ..shotlist import Shot
from .base import RenderJob
from .kinds import agenda, content_layers
from .kinds.media import fills_frame, photo_background
from .overlay import FADE_OUT_S, Layer, chrome, compose, held, looped
from .brand import drawing_with
from .palette import Palette
from .watermark import watermarked

#: How long a section's agenda card holds before the shot's own visual, seconds.
AGENDA_S = 3.0


class CardsRenderer:
    """Motion cards: readable type, gentle motion, one palette per video, an AI label."""

    name = "cards"
    version = "8"  # 8: held frames written once (variable frame rate), builds timed on a 1/fps grid
    #: Drawn by a fixed algorithm, not by a trained model.
    digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
    model: str | None = None
    kinds: frozenset[str] | None = None

    def cache_key(self, shot: Shot, job: RenderJob) -> dict:
        """Cards show the shot's kind and its fields and the title; narration and prompt do not
        change pixels."""
        return {
            "renderer": self.name,
            "version": self.version,
            "text": shot.on_screen_text,
            "shows": shot.model_dump(mode="json", include={"kind", "title_card", "figure", "chart", "timeline", "quote", "points", "place", "steps", "definition", "icons", "then", "agenda"}),
            "narration": shot.narration if shot.then else None,  # it times the following visuals
            "duration": job.duration_s if shot.agenda else None,  # it times the agenda
            "title": job.title,
            "brand": job.brand.fingerprint if job.brand else None,
            "media": None if job.media is None else job.media.model_dump(mode="json", exclude={"path", "caption_from", "credentials"}),
            "seed": shot.seed,
            "frames": job.frames,
            "fps": job.fps,
            "size": [job.width, job.height],
            "encode": VIDEO_CODEC_ARGS,
            "ffmpeg": ffmpeg_version(),
        }

    def describe(self) -> dict:
        """Settings for the production record (cards have none beyond their version)."""
        return {}

    def render(self, shot: Shot, job: RenderJob, out_path: Path, progress: Callable[[int, int], None] | None = None) -> None:
        """Draw the layers and let ffmpeg animate and encode them."""
        palette = job.palette
        with drawing_with(job.brand), tempfile.TemporaryDirectory(prefix=f"explainer-card-{writer_tag()}-") as tmp:
            folder = Path(tmp)
            clip = _clip_of(shot, job)
            bg = folder / "bg.png"
            if clip is None:
                self._background(job, palette, shot.seed, shot).save(bg, compress_level=1)
            layers = [*self._beats(shot, job, palette, folder), chrome(folder, job, palette, scrim=shot.kind == "media")]
            self._animate(job, clip or bg, layers, out_path, folder, moving=clip is not None)

    def still(self, shot: Shot, job: RenderJob, visual: str | int = "main") -> Image.Image:
        """One of the shot's visuals, fully built, as a picture (for previews): its own
        (``main``), its section's ``agenda``, or following visual number ``visual`` (from 0)."""
        palette = job.palette
        clip = _clip_of(shot, job)
        background = _first_frame(clip, job) if clip else self._background(job, palette, shot.seed, shot)
        frame = background.convert("RGBA")
        with drawing_with(job.brand), tempfile.TemporaryDirectory(prefix=f"explainer-still-{writer_tag()}-") as tmp:
            folder = Path(tmp)
            if visual == "agenda":
                content = agenda.layers(shot, job, palette, folder)
            else:
                content = content_layers(shot if visual == "main" else following(shot, shot.then[int(visual)]), job, palette, folder)
            for layer in [*content, chrome(folder, job, palette, scrim=shot.kind == "media")]:
                with Image.open(layer.path) as image:
                    frame.alpha_composite(image.convert("RGBA"), layer.at)
        return frame.convert("RGB")

    # --- layers ---------------------------------------------------------------------------

    def _beats(self, shot: Shot, job: RenderJob, palette: Palette, folder: Path) -> list[Layer]:
        """The shot's content (after the agenda, for the first shot of a section), and for a
        long shot each following visual from when its words are said (a beat too close to the
        one before or to the end is left out)."""
        shown: list[tuple[float, list[Layer]]] = []
        starts = [agenda_seconds(shot, job.duration_s)]
        if starts[0] > 0:
            opening = folder / "agenda"
            opening.mkdir()
            shown.append((0.0, agenda.layers(shot, job, palette, opening)))
        shown.append((starts[0], content_layers(shot, job, palette, folder)))
        for number, (phrase, at) in enumerate(beat_times(shot, job.duration_s), start=1):
            beat = folder / f"then-{number}"
            beat.mkdir()
            shown.append((at, content_layers(following(shot, phrase), job, palette, beat)))
        out: list[Layer] = []
        for index, (at, group) in enumerate(shown):
            end = shown[index + 1][0] + FADE_OUT_S if index + 1 < len(shown) else None
            for layer in group:
                layer = replace(layer, start_s=at + layer.start_s) if at else layer
                out.append(replace(layer, end_s=end) if end is not None else layer)
        return out

    def _background(self, job: RenderJob, p: Palette, seed: int, shot: Shot | None = None) -> Image.Image:
        w, h = job.width, job.height
        if shot is not None and shot.kind == "media" and job.media is not None:
            return photo_background(job.media, (w, h), job)
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

    # --- motion ---------------------------------------------------------------------------

    def _animate(self, job: RenderJob, bg: Path, layers: list[Layer], out_path: Path, folder: Path,
                 moving: bool = False) -> None:
        import ffmpeg

        if moving:
            video = compose(watermarked(clip_base(bg, job), job, folder), layers, job)
            stream = ffmpeg.output(video, str(out_path), vframes=job.frames, r=job.fps, f="mp4", an=None, **VIDEO_CODEC_ARGS)
            run_ffmpeg(stream.get_args(), f"rendering a clip shot ({out_path.name})", error=RenderError)
            return

        # The background holds still; only the frames where a layer moves are encoded.
        base = looped(ffmpeg.input(str(bg)).filter("format", "yuv420p"), job.fps)
        reference = None
        if job.mark is not None:  # the background is the footage at every time, without an ffmpeg run
            with Image.open(bg) as picture:
                reference = picture.convert("RGB")
        video = compose(watermarked(held(base, layers, job), job, folder, reference=reference), layers, job)
        stream = ffmpeg.output(video, str(out_path), f="mp4", fps_mode="vfr", enc_time_base=f"1/{job.fps}", **VIDEO_CODEC_ARGS)
        run_ffmpeg(stream.get_args(), f"rendering a card ({out_path.name})", error=RenderError)


def following(shot: Shot, phrase: str) -> Shot:
    """A following visual as a shot of its own: the phrase as a headline, as spoken, with a capital to start."""
    return shot.model_copy(update={"kind": "text", "on_screen_text": phrase[:1].upper() + phrase[1:], "then": [], "agenda": None})


def agenda_seconds(shot: Shot, duration_s: float) -> float:
    """How long a section's agenda card holds before the shot's own visual: long enough to
    read (the first section's builds its list), leaving the shot's visual 2.5 s at least; 0
    for a shot that opens no section."""
    if shot.agenda is None:
        return 0.0
    wanted = AGENDA_S + (len(shot.agenda.sections) * agenda.STAGGER_S if shot.agenda.current == 1 else 0.0)
    return max(0.0, min(wanted, duration_s - 2.5))


#: Seconds a visual stays before the next may replace it, and the least a visual is shown.
MIN_VISUAL_S = 2.5
MIN_LAST_S = 2.0


def beat_times(shot: Shot, duration_s: float) -> list[tuple[str, float]]:
    """When each of the shot's following visuals appears: when its words are said, but never
    sooner than ``MIN_VISUAL_S`` after the visual before (a phrase said early waits for its
    turn rather than being left out), and only with ``MIN_LAST_S`` left to read it."""
    times: list[tuple[str, float]] = []
    last = agenda_seconds(shot, duration_s)
    for phrase in shot.then:
        at = max(beat_start(shot.narration, phrase, duration_s), last + MIN_VISUAL_S)
        if duration_s - at < MIN_LAST_S:
            continue  # too close to the end to read as its own
        times.append((phrase, at))
        last = at
    return times


def beat_start(narration: str, then: str, duration_s: float, lead_s: float = 0.25) -> float:
    """When one of a long shot's following visuals appears: when its words are spoken, estimated from
    how many words (as spoken: numbers read out) come before them in the narration."""
    at = max(0, narration.lower().find(then.lower()))
    share = spoken_words(narration[:at]) / max(1, spoken_words(narration))
    return lead_s + share * max(0.0, duration_s - lead_s - 0.5)


def _clip_of(shot: Shot, job: RenderJob) -> Path | None:
    """The supplied video clip a media shot shows, if it is a clip."""
    if shot.kind == "media" and job.media is not None and job.media.type == "clip":
        return Path(job.media.path)
    return None


def clip_base(path: Path, job: RenderJob):
    """A supplied clip as the shot's footage: looped to the shot's length, at the video's rate,
    filling the frame when its shape is close, else whole over a blurred copy of itself."""
    import ffmpeg

    from ..assembly.media import probe

    w, h = job.width, job.height
    info = next((s for s in probe(path).streams if s.kind == "video"), None)
    src = ffmpeg.input(str(path), stream_loop=-1).video.filter("fps", job.fps).filter("setpts", "PTS-STARTPTS")
    cover = src.filter("scale", w, h, force_original_aspect_ratio="increase").filter("crop", w, h)
    if info is None or not info.width or not info.height or fills_frame(info.width, info.height, job):
        return cover.filter("setsar", 1).filter("format", "yuv420p")
    split = src.filter_multi_output("split")
    blurred = (split[0].filter("scale", w // 8, h // 8, force_original_aspect_ratio="increase").filter("crop", w // 8, h // 8)
               .filter("boxblur", 4).filter("scale", w, h).filter("eq", brightness=-0.2))
    whole = split[1].filter("scale", int(w / 1.08) // 2 * 2, int(h / 1.08) // 2 * 2, force_original_aspect_ratio="decrease")
    return ffmpeg.overlay(blurred, whole, x="(W-w)/2", y="(H-h)/2").filter("setsar", 1).filter("format", "yuv420p")


def _first_frame(path: Path, job: RenderJob) -> Image.Image:
    """A clip's first frame, sized like a drawn background (for previews)."""
    import av

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).to_image().convert("RGB")
    from PIL import ImageOps

    return ImageOps.fit(frame, (job.width, job.height), Image.LANCZOS)
