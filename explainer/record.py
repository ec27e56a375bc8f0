"""The production record: everything that went into one video, written beside it as JSON."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, Field

from . import __version__

SCHEMA = "explainer.production/1"


class ShotRecord(BaseModel):
    """How one shot was made."""

    id: str
    start_s: float = 0.0
    """When the shot begins in the finished video (after any intro card)."""
    duration_s: float
    frames: int
    narration_s: float = Field(description="length of the speech audio before padding to a frame")
    seed: int
    audio_key: str
    video_key: str
    audio_cached: bool
    video_cached: bool
    renderer: str = ""
    """Which renderer made the footage (a video model makes only generated shots)."""
    watermark: str | None = None
    """The soft-binding identifier watermarked into the shot's frames (base64), if any."""


class ProductionRecord(BaseModel):
    """Inputs, settings, versions and timings of one render."""

    schema_: str = Field(default=SCHEMA, alias="schema")
    created_at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    software: dict[str, str] = Field(default_factory=dict)
    source: dict[str, Any] | None = None
    planner: dict[str, Any]
    renderer: dict[str, Any]
    voice: dict[str, Any]
    settings: dict[str, Any]
    shots: list[ShotRecord]
    duration_s: float
    timings_s: dict[str, float]
    review: dict[str, Any] = Field(default_factory=lambda: {"state": "not reviewed"})
    repository: dict[str, Any] | None = None
    """Where the signed manifest was filed (``location``, ``manifest_id``), if anywhere."""
    signed: bool = False
    signer: dict[str, Any] | None = None
    correction: dict[str, str] | None = None
    grounding: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, str] = Field(default_factory=dict)
    shotlist: dict[str, Any]

    model_config = {"populate_by_name": True}

    def to_json(self) -> str:
        """Pretty JSON, with ``schema`` under its real name."""
        return json.dumps(self.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"


def software_versions(ffmpeg: str, piper: str) -> dict[str, str]:
    """Versions of the parts that shaped the output."""
    return {"explainer": __version__, "python": platform.python_version(), "ffmpeg": ffmpeg, "piper-tts": piper}
