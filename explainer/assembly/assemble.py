"""Assembly: shot clips, narration and captions into one MP4 (H.264 + AAC 48 kHz + mov_text).

Clips are joined without re-encoding (every renderer encodes with ``media.VIDEO_CODEC_ARGS``),
and each shot's narration is padded with silence to its clip's exact length, so sound and
picture stay in step across any number of shots.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from voices import read_wav, write_wav

from .captions import Cue, to_srt
from ..cache import writer_tag
from ..errors import AssemblyError
from .media import run_ffmpeg

AUDIO_RATE = 48_000
AUDIO_BITRATE = "128k"

# ISO 639-1 to the ISO 639-2 codes MP4 language tags use.
_ISO639_2 = {
    "en": "eng", "es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por", "nl": "nld",
    "pl": "pol", "ru": "rus", "uk": "ukr", "tr": "tur", "ar": "ara", "zh": "zho", "ja": "jpn",
    "ko": "kor", "hi": "hin", "sv": "swe", "da": "dan", "fi": "fin", "no": "nor", "cs": "ces",
}


def language_tag(language: str) -> str:
    """The ISO 639-2 tag for a language code like ``en`` or ``en_US`` (``und`` if unknown)."""
    return _ISO639_2.get(language.replace("-", "_").split("_")[0].lower(), "und")


@dataclass(frozen=True)
class ShotMedia:
    """One finished shot: its clip, its narration, and its exact length in frames."""

    clip: Path
    audio: Path
    frames: int


def narration_track(shots: Sequence[Spoken], fps: int, out_wav: Path) -> float:
    """Join the shots' narration, each padded to its clip's length; returns the duration."""
    pieces: list[np.ndarray] = []
    rate: int | None = None
    for audio, frames in shots:
        samples, shot_rate = read_wav(audio)
        if rate is None:
            rate = shot_rate
        elif shot_rate != rate:
            raise AssemblyError("shots were narrated at different sample rates; use one voice for the whole video")
        length = round(frames * rate / fps)
        if len(samples) > length:
            # Frame rounding is upward, so this only trims float noise, never speech.
            samples = samples[:length]
        pieces.append(np.pad(samples, (0, length - len(samples))))
    if rate is None:
        raise AssemblyError("no shots to assemble")
    audio = np.concatenate(pieces)
    write_wav(out_wav, audio, rate)
    return len(audio) / rate


#: A shot's narration WAV and the number of frames its clip lasts.
Spoken = tuple[Path, int]


def encode_soundtrack(shots: Sequence[Spoken], fps: int, out_path: Path) -> Path:
    """The whole video's sound as AAC in an M4A: every shot's narration padded to its clip.

    It needs only the narration and the frame counts, so the pipeline encodes it while the
    last shots are still being drawn; assembly then copies it.
    """
    with tempfile.TemporaryDirectory(prefix=f"explainer-sound-{writer_tag()}-") as tmp:
        wav = Path(tmp) / "narration.wav"
        narration_track(shots, fps, wav)
        # The fast coder: half the time of the default search, no audible difference on speech.
        run_ffmpeg(["-i", str(wav), "-c:a", "aac", "-aac_coder", "fast", "-b:a", AUDIO_BITRATE,
                    "-ar", str(AUDIO_RATE), "-f", "mp4", str(out_path)], "encoding the narration")
    return out_path


def assemble(
    shots: Sequence[ShotMedia],
    fps: int,
    cues: Sequence[Cue],
    out_path: Path,
    *,
    language: str = "en",
    title: str = "",
    descriptions: Sequence[Cue] = (),
    soundtrack: Path | None = None,
) -> None:
    """Write the finished MP4 to ``out_path``: clips copied, audio encoded (or ``soundtrack``
    copied, as ``encode_soundtrack`` made it from the same shots), captions muxed, and the text
    audio description as a second text track when there is one."""
    import ffmpeg

    with tempfile.TemporaryDirectory(prefix=f"explainer-assemble-{writer_tag()}-") as tmp:
        folder = Path(tmp)
        listing = folder / "clips.txt"
        listing.write_text("".join(f"file '{_concat_escape(s.clip)}'\n" for s in shots), encoding="utf-8")
        if soundtrack is None:
            soundtrack = encode_soundtrack([(s.audio, s.frames) for s in shots], fps, folder / "narration.m4a")
        srt = folder / "captions.srt"
        srt.write_text(to_srt(cues), encoding="utf-8")

        video = ffmpeg.input(str(listing), f="concat", safe=0)
        audio = ffmpeg.input(str(soundtrack))
        subtitles = ffmpeg.input(str(srt))
        streams = [video.video, audio.audio, subtitles["s"]]
        tag = language_tag(language)
        extra: list[str] = []
        if descriptions:
            described = folder / "descriptions.srt"
            described.write_text(to_srt(descriptions), encoding="utf-8")
            streams.append(ffmpeg.input(str(described))["s"])
            # Players list text tracks by title and handler: this one says what it is.
            extra = ["-metadata:s:s:1", f"language={tag}", "-metadata:s:s:1", "title=Audio description",
                     "-metadata:s:s:1", "handler_name=descriptions", "-metadata:s:s:0", "handler_name=captions"]
        output = ffmpeg.output(
            *streams,
            str(out_path),
            f="mp4",
            vcodec="copy",
            acodec="copy",
            scodec="mov_text",
            movflags="+faststart",
            **{
                "metadata:s:s:0": f"language={tag}",
                "metadata:s:a:0": f"language={tag}",
                "metadata": f"title={title}",
            },
        )
        args = output.get_args()
        # ffmpeg-python keeps one value per option; repeated per-stream metadata goes in by hand.
        at = args.index(str(out_path))
        run_ffmpeg(args[:at] + extra + args[at:], "assembling the video")


def _concat_escape(path: Path) -> str:
    # The concat demuxer's list format quotes with single quotes.
    return str(path.resolve()).replace("'", "'\\''")
