"""Text-to-speech for Explainer: the voice catalog and Piper synthesis with phrase timings.

A leaf package: it imports nothing else of the project and can be used on its own.
"""

from .catalog import DEFAULT_VOICE, VoiceInfo, list_voices, resolve_voice
from .errors import VoiceError
from .loudness import WEB_TARGET_LUFS, normalize_loudness
from .piper_narrator import Narration, PiperNarrator, Segment, SpeechSettings, read_wav, write_wav

__all__ = [
    "DEFAULT_VOICE",
    "Narration",
    "PiperNarrator",
    "Segment",
    "SpeechSettings",
    "VoiceError",
    "VoiceInfo",
    "WEB_TARGET_LUFS",
    "list_voices",
    "normalize_loudness",
    "read_wav",
    "resolve_voice",
    "write_wav",
]
