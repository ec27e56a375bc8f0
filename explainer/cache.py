"""A content-addressed cache for per-shot work (narration audio, rendered clips).

An entry's key is the sha256 of the canonical JSON of everything that went into it, so an
edit to one shot changes only that shot's keys, and a run that was interrupted finds the
shots it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import uuid
from pathlib import Path
from typing import Any


def content_key(payload: Any) -> str:
    """sha256 of the canonical JSON of ``payload``."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:6]
#: A writer's tag inside a temporary name: ``.<name>.<host>-<pid>.``
_TAG = re.compile(r"[.-]([0-9a-f]{6})-(\d+)[.-]")


def writer_tag() -> str:
    """This process, as temporary names carry it: host (hashed) and pid, so a cleanup can
    tell a dead writer's leftovers from a live one's work, even in a cache shared by hosts."""
    return f"{_HOST}-{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned(name: str) -> bool:
    """Whether a name carrying a writer tag was made by a process of this host that no longer runs."""
    tag = _TAG.search(name)
    return tag is not None and tag.group(1) == _HOST and not _alive(int(tag.group(2)))


def remove_orphans(root: Path, pattern: str = ".*.*", recursive: bool = True) -> int:
    """Remove the temporary files and folders under ``root`` (or directly in it) whose writer
    was a process of this host that no longer runs (killed mid-write); returns how many."""
    import fnmatch
    import shutil

    removed = 0
    if not root.is_dir():
        return 0
    # os.walk ignores folders that vanish under it: other processes are working here too.
    found = [Path(folder) / name for folder, dirs, files in (os.walk(root) if recursive else [next(os.walk(root))])
             for name in dirs + files if fnmatch.fnmatch(name, pattern)]
    for path in found:
        if not orphaned(path.name):
            continue
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
            removed += 1
        except OSError:
            continue
    return removed


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
        return final.with_name(f".{final.stem}.{writer_tag()}.{uuid.uuid4().hex[:12]}.tmp{suffix}")

    def commit(self, temp: Path, kind: str, key: str, suffix: str) -> Path:
        """Atomically publish a finished temporary file as the entry."""
        final = self.path(kind, key, suffix)
        os.replace(temp, final)
        return final

    def clean_partials(self) -> int:
        """Remove temporary files that processes which died left behind; returns how many."""
        return remove_orphans(self.root)

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
