"""A manifest repository: signed manifest stores kept by manifest id and by soft binding.

When a copy of a video has lost its manifest (a platform stripped it, or re-encoded the
video), the watermark in its frames still carries the soft-binding value, and the repository
finds the manifest again. Two kinds, one interface:

- ``SqlRepository``: a SQL database through SQLAlchemy (an SQLite file in the user's data
  folder by default; the newsroom service keeps its repository in its own database);
- ``HttpRepository``: a service that speaks C2PA's Soft Binding Resolution API
  (``GET /matches/byBinding``, ``GET /manifests/{id}``); writes need a token.

What a store is bound to is read from the store itself (its ``c2pa.soft-binding``
assertion), so a repository never files a manifest under a value it does not state.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa

from .errors import ProvenanceError
from .manifest import SOFT_BINDING_LABEL

log = logging.getLogger(__name__)
METADATA = sa.MetaData()

MANIFESTS = sa.Table(
    "c2pa_manifests", METADATA,
    sa.Column("manifest_id", sa.String(200), primary_key=True),
    sa.Column("title", sa.Text, nullable=False, default=""),
    sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("store", sa.LargeBinary, nullable=False),
)

BINDINGS = sa.Table(
    "c2pa_soft_bindings", METADATA,
    sa.Column("alg", sa.String(200), primary_key=True),
    sa.Column("value", sa.String(400), primary_key=True),
    sa.Column("manifest_id", sa.String(200), sa.ForeignKey("c2pa_manifests.manifest_id"), primary_key=True),
)


class RepositoryError(ProvenanceError):
    """A repository that cannot be read or written."""


@dataclass(frozen=True)
class StoreFacts:
    """What a manifest store says about where it belongs in a repository."""

    manifest_id: str
    title: str
    bindings: list[tuple[str, str]]
    """(algorithm, base64 value) of every soft-binding block."""
    spans: list[tuple[str, float, float]] = field(default_factory=list)
    """(base64 value, start, end in seconds) of every soft-binding block that says where it is."""


def store_facts(store: bytes) -> StoreFacts:
    """The active manifest's id, title and soft bindings, read from the store's bytes."""
    import c2pa

    try:
        with c2pa.Reader("application/c2pa", io.BytesIO(store)) as reader:
            report = json.loads(reader.json())
    except c2pa.C2paError as e:
        raise RepositoryError(f"not a C2PA manifest store ({e})") from e
    active = report.get("active_manifest") or ""
    manifest = report.get("manifests", {}).get(active, {})
    bindings: list[tuple[str, str]] = []
    spans: list[tuple[str, float, float]] = []
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") != SOFT_BINDING_LABEL:
            continue
        data = assertion.get("data") or {}
        for block in data.get("blocks") or []:
            if isinstance(block, dict) and isinstance(block.get("value"), str) and data.get("alg"):
                bindings.append((str(data["alg"]), block["value"]))
                timespan = (block.get("scope") or {}).get("timespan") or {}
                if isinstance(timespan.get("start"), (int, float)) and isinstance(timespan.get("end"), (int, float)):
                    spans.append((block["value"], timespan["start"] / 1000, timespan["end"] / 1000))
    return StoreFacts(active, str(manifest.get("title") or ""), list(dict.fromkeys(bindings)), spans)


class Repository(Protocol):
    """Where manifests are kept and found again."""

    location: str
    """Where it is, as a user would name it (a path or a URL)."""

    def add(self, store: bytes) -> StoreFacts:
        """Keep a manifest store, filed under its id and its soft bindings."""
        ...

    def matches(self, alg: str, value: str, limit: int = 10) -> list[str]:
        """Manifest ids bound to ``value`` (base64) under ``alg``, newest first."""
        ...

    def manifest(self, manifest_id: str) -> bytes | None:
        """The manifest store of ``manifest_id``, or None."""
        ...

    def remove(self, manifest_id: str) -> None:
        """Take back a manifest filed for a video that was then not published."""
        ...


class SqlRepository:
    """A repository in a SQL database (SQLite by default). Nothing is created on disk until
    it is first used, so a run refused early leaves no file behind."""

    def __init__(self, url: str, *, engine: sa.Engine | None = None, create: bool = True, location: str | None = None,
                 folder: Path | None = None) -> None:
        self.location = location or url
        self.engine = engine or sa.create_engine(url)
        self._create = create
        self._folder = folder
        self._ready = False

    @classmethod
    def at(cls, path: Path) -> "SqlRepository":
        """The SQLite repository in ``path`` (created with its folder on first use)."""
        return cls(f"sqlite:///{path}", location=str(path), folder=path.parent)

    def _engine(self) -> sa.Engine:
        if not self._ready:
            if self._folder is not None:
                self._folder.mkdir(parents=True, exist_ok=True)
            if self._create:
                METADATA.create_all(self.engine)
            self._ready = True
        return self.engine

    def add(self, store: bytes) -> StoreFacts:
        facts = store_facts(store)
        with self._engine().begin() as db:
            if db.execute(sa.select(MANIFESTS.c.manifest_id).where(MANIFESTS.c.manifest_id == facts.manifest_id)).first():
                return facts  # the same manifest again: already filed
            db.execute(MANIFESTS.insert().values(manifest_id=facts.manifest_id, title=facts.title,
                                                 stored_at=datetime.now(timezone.utc), store=store))
            for alg, value in facts.bindings:
                db.execute(BINDINGS.insert().values(alg=alg, value=value, manifest_id=facts.manifest_id))
        return facts

    def matches(self, alg: str, value: str, limit: int = 10) -> list[str]:
        query = (sa.select(BINDINGS.c.manifest_id).join(MANIFESTS, MANIFESTS.c.manifest_id == BINDINGS.c.manifest_id)
                 .where(BINDINGS.c.alg == alg, BINDINGS.c.value == value)
                 .order_by(MANIFESTS.c.stored_at.desc()).limit(limit))
        with self._engine().connect() as db:
            return [row[0] for row in db.execute(query)]

    def manifest(self, manifest_id: str) -> bytes | None:
        with self._engine().connect() as db:
            row = db.execute(sa.select(MANIFESTS.c.store).where(MANIFESTS.c.manifest_id == manifest_id)).first()
        return bytes(row[0]) if row else None

    def remove(self, manifest_id: str) -> None:
        with self._engine().begin() as db:
            db.execute(BINDINGS.delete().where(BINDINGS.c.manifest_id == manifest_id))
            db.execute(MANIFESTS.delete().where(MANIFESTS.c.manifest_id == manifest_id))


class HttpRepository:
    """A repository behind the Soft Binding Resolution API (the newsroom service's)."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0) -> None:
        self.location = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _call(self, method: str, path: str, **request: Any):
        import httpx

        try:
            return httpx.request(method, self.location + path, timeout=self.timeout, **request)
        except httpx.HTTPError as e:
            raise RepositoryError(f"the repository at {self.location} cannot be reached ({e})") from e

    def add(self, store: bytes) -> StoreFacts:
        if not self.token:
            raise RepositoryError(f"writing to {self.location} needs a token (repository_token)")
        response = self._call("POST", "/manifests", content=store,
                              headers={"Content-Type": "application/c2pa", "Authorization": f"Bearer {self.token}"})
        if response.status_code >= 300:
            raise RepositoryError(f"the repository at {self.location} refused the manifest: {response.status_code} {response.text[:200]}")
        return store_facts(store)

    def matches(self, alg: str, value: str, limit: int = 10) -> list[str]:
        response = self._call("GET", "/matches/byBinding", params={"alg": alg, "value": value, "maxResults": limit})
        if response.status_code != 200:
            raise RepositoryError(f"the repository at {self.location} answered {response.status_code} to a lookup")
        return [m["manifestId"] for m in response.json().get("matches", []) if m.get("manifestId")]

    def manifest(self, manifest_id: str) -> bytes | None:
        from urllib.parse import quote

        response = self._call("GET", "/manifests/" + quote(manifest_id, safe=""))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RepositoryError(f"the repository at {self.location} answered {response.status_code} for {manifest_id}")
        return response.content

    def remove(self, manifest_id: str) -> None:
        # The Soft Binding Resolution API has no way to take a manifest back: it stays filed
        # (a lookup finds a manifest no published video carries, and names no video by it).
        log.warning("the repository at %s keeps manifest %s of a video that was not published", self.location, manifest_id)


def open_repository(where: str | Path, token: str | None = None) -> Repository:
    """The repository at ``where``: an http(s) URL (a service), a database URL, or a file path
    (an SQLite file)."""
    text = str(where)
    if text.startswith(("http://", "https://")):
        return HttpRepository(text, token)
    if "://" in text:
        return SqlRepository(text)
    return SqlRepository.at(Path(text).expanduser())
