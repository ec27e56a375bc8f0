"""Settings, resolved once at the edge: flags > environment > explainer.toml > defaults."""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


def default_data_dir() -> Path:
    """The user's data folder for Explainer (it holds the local manifest repository)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("explainer"))


class Settings(BaseModel):
    """Every knob of a run. Built by ``load_settings`` and passed down; never global."""

    model_config = ConfigDict(extra="forbid")

    length: float = Field(default=60.0, gt=0, le=3600, description="target video length, seconds")
    max_shots: int | None = Field(default=None, ge=1, le=500, description="[default: one per 5 s, at least 20]")
    aspect: Aspect = "16:9"
    fps: int = Field(default=30, ge=1, le=60)
    voice: str = "joe"
    planner: str = "extractive"
    renderer: str = "cards"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    workers: int = Field(default=2, ge=1, le=16, description="shots rendered at once")
    config_dir: Path = Field(default_factory=default_config_dir, description="holds keys/, the local signing identity")
    sign: bool = Field(default=True, description="attach C2PA Content Credentials")
    sidecar: bool = Field(default=False, description="keep the Content Credentials beside the video (OUT.c2pa), not inside it")
    sign_cert: Path | None = Field(default=None, description="your signer certificate chain (PEM), signer first")
    sign_key: Path | None = Field(default=None, description="its private key (PEM)")
    sign_key_password: str | None = Field(default=None, description="password of an encrypted private key")
    tsa_url: str | None = Field(default=None, description="RFC 3161 timestamp authority URL")
    training_mining: Literal["notAllowed", "allowed"] = Field(
        default="notAllowed", description="what the signed video says of AI training, inference and data mining on it")
    watermark_strength: int = Field(
        default=36, description="invisible watermark in the frames, for finding the credentials of a stripped copy "
        "(0: none; 36 keeps PSNR near 41 dB, 48 survives more, 24 shows less)")
    data_dir: Path = Field(default_factory=default_data_dir, description="holds repository.sqlite, the local manifest repository")
    repository: str | None = Field(
        default=None, description="where signed manifests are filed and looked up: an SQLite file, a database URL, "
        "a service URL (its /sbr), or 'off' [default: <data_dir>/repository.sqlite]")
    repository_token: str | None = Field(default=None, description="token for filing manifests in a service repository")
    ray_address: str | None = Field(
        default=None, description="run each shot's narration and render as Ray tasks: a cluster address "
        "(host:port, ray://host:port, auto) or 'local' to start one here [default: in-process]")
    ray_gpus: float = Field(default=1.0, ge=0, le=8, description="GPUs a diffusion shot asks Ray for (0: run it on CPUs)")
    ray_shared_cache: bool = Field(
        default=False, description="cache_dir is a folder every Ray node mounts: tasks write into it instead of "
        "returning files through the object store")
    allow_unsupported: bool = Field(default=False, description="render news with lines the source does not support")
    llm: Literal["openai", "local"] | None = Field(default=None, description="which chat model the llm planner uses")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint (also OPENAI_BASE_URL)")
    llm_model: str | None = Field(default=None, description="model name at that endpoint")
    llm_model_path: Path | None = Field(default=None, description="a GGUF file for --llm local")
    llm_api_key: str | None = Field(default=None, description="API key (from OPENAI_API_KEY)")
    llm_temperature: float = Field(default=0.2, ge=0, le=2)
    llm_max_tokens: int = Field(default=2048, ge=64, le=65536)
    llm_timeout: float = Field(default=120.0, gt=0)
    llm_retries: int = Field(default=2, ge=0, le=10)
    llm_source_chars: int = Field(default=12000, ge=500, description="most source characters put in a prompt")
    audience: str | None = Field(default=None, description="who lessons are for, e.g. grade 8")
    model: str | None = Field(default=None, description="diffusers pipeline id or local folder")
    model_revision: str | None = Field(default=None, description="hub revision of --model")
    steps: int | None = Field(default=None, ge=1, le=500, description="denoising steps [default: the family's]")
    guidance: float | None = Field(default=None, ge=0, le=50)
    negative_prompt: str = ""
    gen_size: str | None = Field(default=None, description="generation size WIDTHxHEIGHT [default: the family's]")
    gen_fps: int | None = Field(default=None, ge=1, le=60)
    dtype: Literal["bf16", "fp16", "fp32"] | None = None
    device: Literal["cuda", "cpu", "mps"] | None = None
    offload: bool = False
    vae_tiling: bool = False
    seed: int | None = Field(default=None, ge=0, description="one seed for every shot [default: per-shot seeds]")
    media: Path | None = Field(default=None, description="a folder of the newsroom's photos and clips (with media.yaml/.csv captions)")
    brand: Path | None = Field(default=None, description="a brand kit (brand.toml): logo, colours, fonts, intro and outro")
    icons: bool = Field(default=False, description="a Tabler icon beside each headline the embedding model matches "
                        "(needs the embeddings extra; loading its model adds a few seconds to planning)")

    @field_validator("watermark_strength")
    @classmethod
    def _known_strength(cls, value: int) -> int:
        # The detector tries each strength the mark may use; any other could never be read.
        if value not in (0, 24, 36, 48):
            raise ValueError("should be 0 (no watermark), 24, 36 or 48")
        return value

    def shot_limit(self) -> int:
        """--max-shots, or enough shots for the length: one per 5 s, at least 20."""
        return self.max_shots or max(20, math.ceil(self.length / 5))


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise InputError(f"{path}: cannot be read as TOML ({e}); fix or remove it") from e
    section = data.get("explainer", data)
    return {k.replace("-", "_"): v for k, v in section.items() if not isinstance(v, dict)}


#: Variables other tools already use, read as if they were EXPLAINER_ ones.
_STANDARD_ENV = {"OPENAI_API_KEY": "llm_api_key", "OPENAI_BASE_URL": "llm_base_url"}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: env[key] for key, name in _STANDARD_ENV.items() if env.get(key)}
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
