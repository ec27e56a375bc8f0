"""Settings, resolved once at the edge: flags > environment > explainer.toml > defaults."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError
from .shotlist import Aspect

ENV_PREFIX = "EXPLAINER_"
CONFIG_FILE = "explainer.toml"


def default_cache_dir() -> Path:
    """The user's cache folder for Explainer."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("explainer"))


def default_config_dir() -> Path:
    """The user's config folder for Explainer (it holds the local signing identity)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("explainer"))


class Settings(BaseModel):
    """Every knob of a run. Built by ``load_settings`` and passed down; never global."""

    model_config = ConfigDict(extra="forbid")

    length: float = Field(default=60.0, gt=0, le=3600, description="target video length, seconds")
    max_shots: int = Field(default=20, ge=1, le=500)
    aspect: Aspect = "16:9"
    fps: int = Field(default=30, ge=1, le=60)
    voice: str = "joe"
    planner: str = "extractive"
    renderer: str = "cards"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    workers: int = Field(default=2, ge=1, le=16, description="shots rendered at once")
    config_dir: Path = Field(default_factory=default_config_dir, description="holds keys/, the local signing identity")
    sign: bool = Field(default=True, description="attach C2PA Content Credentials")
    sign_cert: Path | None = Field(default=None, description="your signer certificate chain (PEM), signer first")
    sign_key: Path | None = Field(default=None, description="its private key (PEM)")
    sign_key_password: str | None = Field(default=None, description="password of an encrypted private key")
    tsa_url: str | None = Field(default=None, description="RFC 3161 timestamp authority URL")


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"{path}: cannot be read as TOML ({e}); fix or remove it") from e
    section = data.get("explainer", data)
    return {k.replace("-", "_"): v for k, v in section.items() if not isinstance(v, dict)}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in env and env[key] != "":
            values[name] = env[key]
    return values


def load_settings(
    flags: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Merge the layers and validate; a bad value names the setting and where it came from."""
    env = os.environ if env is None else env
    if config_path is None:
        named = env.get(ENV_PREFIX + "CONFIG")
        config_path = Path(named) if named else Path(CONFIG_FILE)
    layers: list[tuple[str, dict[str, Any]]] = []
    if config_path.is_file():
        layers.append((str(config_path), _from_file(config_path)))
    layers.append(("environment", _from_env(env)))
    layers.append(("command line", {k: v for k, v in (flags or {}).items() if v is not None}))
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for where, values in layers:
        for key, value in values.items():
            merged[key] = value
            origin[key] = where
    try:
        return Settings.model_validate(merged)
    except ValidationError as e:
        first = e.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else "?"
        where = origin.get(key, "settings")
        if first["type"] == "extra_forbidden":
            raise InputError(f"unknown setting {key!r} in {where}; see 'explainer make --help'") from e
        raise InputError(f"setting {key!r} from {where}: {first['msg']}") from e
