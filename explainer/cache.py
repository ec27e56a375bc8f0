"""A content-addressed cache for per-shot work (narration audio, rendered clips).

An entry's key is the sha256 of the canonical JSON of everything that went into it, so an
edit to one shot changes only that shot's keys, and a run that was interrupted finds the
shots it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any


def content_key(payload: Any) -> str:
    """sha256 of the canonical JSON of ``payload``."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """Files under ``root/<kind>/<key[:2]>/<key><suffix>``, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, kind: str, key: str, suffix: str) -> Path:
        """Where an entry lives (whether or not it exists yet)."""
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def get(self, kind: str, key: str, suffix: str) -> Path | None:
        """The entry's path if it is complete, else None."""
        path = self.path(kind, key, suffix)
        return path if path.is_file() and path.stat().st_size > 0 else None

    def temp_path(self, kind: str, key: str, suffix: str) -> Path:
        """A private temporary name next to the entry; ``commit`` moves it into place."""
        final = self.path(kind, key, suffix)
        final.parent.mkdir(parents=True, exist_ok=True)
        # Unique per writer: two jobs may make the same shot at once; the last rename wins,
        # and both wrote the same bytes.
        return final.with_name(f".{final.stem}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp{suffix}")

    def commit(self, temp: Path, kind: str, key: str, suffix: str) -> Path:
        """Atomically publish a finished temporary file as the entry."""
        final = self.path(kind, key, suffix)
        os.replace(temp, final)
        return final

    def clean_partials(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files a killed process left behind; returns how many."""
        import time

        if not self.root.is_dir():
            return 0
        cutoff = time.time() - older_than_s
        removed = 0
        for path in self.root.rglob(".*.tmp*"):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def read_json(self, kind: str, key: str) -> Any | None:
        """A JSON entry, or None if absent or unreadable."""
        path = self.get(kind, key, ".json")
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def write_json(self, kind: str, key: str, data: Any) -> Path:
        """Write a JSON entry atomically."""
        temp = self.temp_path(kind, key, ".json")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return self.commit(temp, kind, key, ".json")
