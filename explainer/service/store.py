"""The persistent job store: SQLite by default, any SQLAlchemy URL (PostgreSQL) by choice.

Claiming a job is one conditional UPDATE, so two workers (or two servers) never take the
same job; a restart puts jobs that were being worked on back in the queue, where they resume
from their cached shots.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from contextlib import contextmanager
from functools import cached_property
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from .models import AuditEntry, Job, Token, now

ROLES = ("requester", "editor", "admin")
#: An organisation names a folder of brand kits, so it is kept to a safe file name.
ORGANISATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,119}$")
ACTIVE = ("planning", "rendering")


def hash_token(token: str) -> str:
    """sha256 of a token (tokens are 256 random bits, so a plain hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    """Jobs and tokens in a database, with migrations applied on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {})
        if sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(connection, _record):  # WAL: readers never wait for the writer
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.migrate()

    @cached_property
    def repository(self):
        """The service's manifest repository, in this database (tables from migration 0004)."""
        from provenance.repository import SqlRepository

        return SqlRepository(self.url, engine=self.engine, create=False, location="the newsroom service's repository")

    @classmethod
    def in_folder(cls, data: Path, url: str | None = None) -> "Store":
        """The store of a data folder (``DATA/explainer.db``) unless a URL is given."""
        data.mkdir(parents=True, exist_ok=True)
        return cls(url or f"sqlite:///{data / 'explainer.db'}")

    def migrate(self) -> None:
        """Bring the schema up to date (Alembic, scripts inside the package)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success."""
        with self._sessions() as session, session.begin():
            yield session

    # -- tokens ------------------------------------------------------------------------------

    def create_token(self, name: str, role: str, organisation: str | None = None, expires_at: datetime | None = None) -> str:
        """A new token for ``name`` with ``role`` (working for ``organisation``, valid until
        ``expires_at``); returned once, stored hashed. Its identity is a new public id."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if organisation is not None and not ORGANISATION.match(organisation):
            raise ValueError(f"organisation {organisation!r}: use letters, digits, spaces, dots, dashes or underscores (it names the brand kit's folder)")
        token = "ex_" + secrets.token_urlsafe(32)
        with self.session() as s:
            s.add(Token(public_id="tok_" + secrets.token_hex(8), name=name, role=role, token_hash=hash_token(token),
                        organisation=organisation, expires_at=expires_at))
        return token

    def token(self, token: str) -> Token | None:
        """The record of a presented token, if it is known, not revoked and not expired."""
        with self.session() as s:
            record = s.scalar(select(Token).where(Token.token_hash == hash_token(token)))
        return record if record is not None and record.state() == "active" else None

    def tokens(self) -> list[Token]:
        """Every token, oldest first (the hashes, never the tokens)."""
        with self.session() as s:
            return list(s.scalars(select(Token).order_by(Token.id)))

    def _token_by_id(self, s: Session, public_id: str) -> Token:
        record = s.scalar(select(Token).where(Token.public_id == public_id))
        if record is None:
            raise KeyError(f"no token {public_id!r}; `explainer tokens list` shows the ids")
        return record

    def revoke_token(self, public_id: str) -> Token:
        """Stop a token from working, at once; its jobs stay."""
        with self.session() as s:
            record = self._token_by_id(s, public_id)
            record.revoked_at = record.revoked_at or now()
            return record

    def rotate_token(self, public_id: str) -> str:
        """A new secret for the same identity (its jobs stay its own); the old one stops working."""
        token = "ex_" + secrets.token_urlsafe(32)
        with self.session() as s:
            record = self._token_by_id(s, public_id)
            if record.revoked_at is not None:
                raise KeyError(f"token {public_id} is revoked; create a new one")
            record.token_hash = hash_token(token)
        return token

    # -- audit -------------------------------------------------------------------------------

    def audit(self, who: Token, action: str, job_id: str | None = None, **detail: Any) -> None:
        """Record that ``who`` did ``action`` (submit, edit, approve, waive, cancel, download)."""
        with self.session() as s:
            s.add(AuditEntry(actor=who.public_id, actor_name=who.name, role=who.role, action=action, job_id=job_id,
                             detail=detail or None))

    def audit_log(self, job_id: str | None = None, limit: int = 500) -> list[AuditEntry]:
        """Audit entries, oldest first, of one job or all."""
        query = select(AuditEntry).order_by(AuditEntry.id).limit(limit)
        if job_id:
            query = query.where(AuditEntry.job_id == job_id)
        with self.session() as s:
            return list(s.scalars(query))

    # -- jobs --------------------------------------------------------------------------------

    def create_job(self, owner: Token, title: str, text: str, options: dict[str, Any], review: bool, webhook_url: str | None,
                   waived_by: str | None = None) -> Job:
        """A queued job of ``owner`` (by its identity, never its name)."""
        job = Job(id=uuid.uuid4().hex, owner=owner.public_id, owner_name=owner.name, status="queued", title=title, text=text,
                  options=options, review=review, waived_by=waived_by, webhook_url=webhook_url, timings={}, progress=0.0,
                  attempts=0)
        with self.session() as s:
            s.add(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id."""
        with self.session() as s:
            return s.get(Job, job_id)

    def list(self, owner: str | None = None, status: str | None = None, limit: int = 200) -> list[Job]:
        """Jobs, newest first, optionally of one owner (a token's public id) or status."""
        query = select(Job).order_by(Job.created_at.desc()).limit(limit)
        if owner:
            query = query.where(Job.owner == owner)
        if status:
            query = query.where(Job.status == status)
        with self.session() as s:
            return list(s.scalars(query))

    def update(self, job_id: str, **values: Any) -> None:
        """Set fields of a job."""
        with self.session() as s:
            s.execute(update(Job).where(Job.id == job_id).values(updated_at=now(), **values))

    def transition(self, job_id: str, from_status: tuple[str, ...], **values: Any) -> bool:
        """Change a job only if it is in one of ``from_status``; True if it was."""
        with self.session() as s:
            result = s.execute(
                update(Job).where(Job.id == job_id, Job.status.in_(from_status)).values(updated_at=now(), **values)
            )
            return result.rowcount == 1

    def claim(self, worker: str) -> Job | None:
        """Take the oldest queued job for ``worker`` (atomic: a job is never taken twice)."""
        for _ in range(5):
            with self.session() as s:
                job_id = s.scalar(select(Job.id).where(Job.status == "queued").order_by(Job.created_at).limit(1))
            if job_id is None:
                return None
            with self.session() as s:
                job = s.get(Job, job_id)
                next_status = "rendering" if job and job.shotlist and (job.approved_by or not job.review) else "planning"
                result = s.execute(
                    update(Job)
                    .where(Job.id == job_id, Job.status == "queued")
                    .values(status=next_status, worker=worker, attempts=Job.attempts + 1, updated_at=now())
                )
                if result.rowcount == 1:
                    return s.get(Job, job_id)
        return None

    def recover(self) -> int:
        """Put jobs a stopped server was working on back in the queue; returns how many."""
        with self.session() as s:
            result = s.execute(update(Job).where(Job.status.in_(ACTIVE)).values(status="queued", worker=None, updated_at=now()))
            return result.rowcount
