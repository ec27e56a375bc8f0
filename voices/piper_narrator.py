"""Narration with Piper: deterministic speech, phrase timings, web loudness."""

from __future__ import annotations

import json
import os
import threading
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from .catalog import VoiceInfo
from .errors import VoiceError
from .loudness import WEB_TARGET_LUFS, normalize_loudness


@dataclass(frozen=True)
class Segment:
    """One spoken phrase and where it sits in the narration audio."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Narration:
    """A synthesized narration track."""

    path: Path
    """Mono 16-bit WAV."""
    duration_s: float
    """Exact length of the audio, pauses included."""
    sample_rate: int
    segments: list[Segment] = field(default_factory=list)
    """Phrase timings, in order, relative to the start of the track."""


@dataclass(frozen=True)
class SpeechSettings:
    """How the voice speaks. Zero noise scales make the output byte-for-byte repeatable."""

    length_scale: float | None = None
    """Speaking slowness (>1 slower); None keeps the voice's own."""
    noise_scale: float = 0.0
    """Voice variation; any value above 0 makes every run sound (and hash) different."""
    noise_w_scale: float = 0.0
    """Timing variation; any value above 0 makes every run different."""
    lead_s: float = 0.15
    """Silence before the first phrase."""
    gap_s: float = 0.3
    """Silence between phrases."""
    tail_s: float = 0.45
    """Silence after the last phrase: the breath before the next shot."""
    target_lufs: float = WEB_TARGET_LUFS
    """Integrated loudness of every track."""


class PiperNarrator:
    """Speaks text with one Piper voice. The model loads on first use, once per process."""

    name = "piper"
    #: IPTC digital source type of what this narrator makes: speech from a trained model.
    digital_source_type = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"

    def __init__(self, voice: VoiceInfo, settings: SpeechSettings | None = None) -> None:
        self.voice = voice
        self.settings = settings or SpeechSettings()

    @property
    def version(self) -> str:
        """Version of the piper-tts package doing the synthesis."""
        from importlib.metadata import version

        return version("piper-tts")

    def cache_key(self) -> dict:
        """Everything about this narrator that changes the audio it makes."""
        return {
            "narrator": self.name,
            "piper": self.version,
            "voice_sha256": self.voice.model_sha256,
            "settings": asdict(self.settings),
        }

    def warm(self) -> None:
        """Load the voice on a background thread now, so it is ready when speech starts
        (reading the article and planning leave a core free meanwhile)."""
        # Not a daemon: a run that ends first (every shot cached) waits for the load to finish
        # rather than tearing down onnxruntime under it.
        threading.Thread(target=_warm, args=(self.voice,), name="voice-load").start()

    def _speak(self, text: str) -> np.ndarray:
        from piper import SynthesisConfig

        piper, speaking = load_voice(self.voice)
        config = SynthesisConfig(
            length_scale=self.settings.length_scale,
            noise_scale=self.settings.noise_scale,
            noise_w_scale=self.settings.noise_w_scale,
        )
        # One phrase at a time in the whole process: Piper's phonemizer is not thread-safe.
        with speaking:
            chunks = [chunk.audio_float_array for chunk in piper.synthesize(text, config)]
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        # Piper splits long phrases itself; a short pause keeps its sentence rhythm.
        pause = np.zeros(int(0.12 * self.voice.sample_rate), dtype=np.float32)
        joined: list[np.ndarray] = []
        for i, chunk in enumerate(chunks):
            if i:
                joined.append(pause)
            joined.append(chunk)
        return np.concatenate(joined)

    def synthesize(self, phrases: Sequence[str], out_path: Path) -> Narration:
        """Speak the phrases in order into a WAV file, with their timings.

        Raises VoiceError when there is nothing speakable or the model fails.
        """
        rate = self.voice.sample_rate
        s = self.settings
        pieces: list[np.ndarray] = [np.zeros(int(s.lead_s * rate), dtype=np.float32)]
        cursor = len(pieces[0])
        timings: list[tuple[str, int, int]] = []
        for i, phrase in enumerate(p.strip() for p in phrases):
            if not phrase:
                continue
            if timings:
                gap = np.zeros(int(s.gap_s * rate), dtype=np.float32)
                pieces.append(gap)
                cursor += len(gap)
            audio = self._speak(phrase)
            if len(audio) == 0:
                continue
            pieces.append(audio)
            timings.append((phrase, cursor, cursor + len(audio)))
            cursor += len(audio)
        if not timings:
            raise VoiceError("nothing speakable in the narration; write words, not only symbols")
        pieces.append(np.zeros(int(s.tail_s * rate), dtype=np.float32))
        audio = normalize_loudness(np.concatenate(pieces), rate, s.target_lufs)
        write_wav(out_path, audio, rate)
        return Narration(
            path=out_path,
            duration_s=len(audio) / rate,
            sample_rate=rate,
            segments=[Segment(text, a / rate, b / rate) for text, a, b in timings],
        )


#: Loaded voices by model file, with the lock that keeps their speech one phrase at a time.
#: A service runs many jobs in one process; each job's pipeline reuses the loaded voice.
_LOADED: dict[Path, tuple[object, threading.Lock]] = {}
_LOADING = threading.Lock()


def load_voice(voice: VoiceInfo) -> tuple[object, threading.Lock]:
    """The voice's PiperVoice, loaded once per process, and its speech lock."""
    with _LOADING:
        if voice.model_path not in _LOADED:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig

            options = onnxruntime.SessionOptions()
            # Measured on 2 cores (make bench): without the memory arena speech is ~45%
            # slower, and spinning worker threads steal the cores the shot encoders run
            # on; so the arena stays on and idle threads sleep.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # Memory patterns plan a run's buffers from the shapes seen before: with a phrase
            # of a new length each run they only add to the arena. Without them the process
            # keeps ~180 MB less after a video's long sentences (725 -> 549 MB over 16 of the
            # demo's phrases), at the same speed.
            options.enable_mem_pattern = False
            try:
                config = PiperConfig.from_dict(json.loads(voice.config_path.read_text(encoding="utf-8")))
                session = onnxruntime.InferenceSession(str(voice.model_path), sess_options=options, providers=["CPUExecutionProvider"])
            except Exception as e:  # onnxruntime raises its own, untyped errors
                raise VoiceError(f"voice {voice.name}: model cannot be loaded ({e}); check the .onnx file") from e
            _LOADED[voice.model_path] = (PiperVoice(session=_Shrinking(session), config=config), threading.Lock())
        return _LOADED[voice.model_path]


class _Shrinking:
    """The voice's onnxruntime session, whose memory arena gives back after each phrase what
    the phrase needed beyond the arena's first block. A long sentence's run takes hundreds of
    MB (the text encoder's attention grows with the square of its length) and the arena
    otherwise keeps them for the life of the process: the demo's first shot alone grew the
    process by ~300 MB. piper calls ``run`` without run options; these are added."""

    def __init__(self, session) -> None:
        import onnxruntime

        self._session = session
        self._options = onnxruntime.RunOptions()
        self._options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, output_names, input_feed, run_options=None):
        """The session's run, with the arena's shrinkage."""
        return self._session.run(output_names, input_feed, run_options or self._options)

    def __getattr__(self, name: str):
        return getattr(self._session, name)


def prepare_voice(voice: VoiceInfo) -> None:
    """Everything the first narration would otherwise wait for: the voice's model, and the
    loudness meter's modules (scipy.signal: ~1.5 s of imports, measured on 2 cores)."""
    import pyloudnorm  # noqa: F401

    load_voice(voice)


def _warm(voice: VoiceInfo) -> None:
    try:
        prepare_voice(voice)
    except VoiceError:
        pass  # said again, properly, when the voice is first used


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    """Write mono float samples as 16-bit PCM, atomically (temp name, then rename)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    os.replace(tmp, path)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono 16-bit WAV as float samples and its sample rate."""
    with wave.open(str(path), "rb") as wav:
        rate = wav.getframerate()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32767, rate
