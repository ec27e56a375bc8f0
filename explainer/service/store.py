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
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from .models import Job, Token, now

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

    def create_token(self, name: str, role: str, organisation: str | None = None) -> str:
        """A new token for ``name`` with ``role`` (working for ``organisation``); returned
        once, stored hashed."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        if organisation is not None and not ORGANISATION.match(organisation):
            raise ValueError(f"organisation {organisation!r}: use letters, digits, spaces, dots, dashes or underscores (it names the brand kit's folder)")
        token = "ex_" + secrets.token_urlsafe(32)
        with self.session() as s:
            s.add(Token(name=name, role=role, token_hash=hash_token(token), organisation=organisation))
        return token

    def token(self, token: str) -> Token | None:
        """The token record for a presented token, if any."""
        with self.session() as s:
            return s.scalar(select(Token).where(Token.token_hash == hash_token(token)))

    # -- jobs --------------------------------------------------------------------------------

    def create_job(self, owner: str, title: str, text: str, options: dict[str, Any], review: bool, webhook_url: str | None) -> Job:
        """A queued job."""
        job = Job(id=uuid.uuid4().hex, owner=owner, status="queued", title=title, text=text, options=options,
                  review=review, webhook_url=webhook_url, timings={}, progress=0.0, attempts=0)
        with self.session() as s:
            s.add(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job by id."""
        with self.session() as s:
            return s.get(Job, job_id)

    def list(self, owner: str | None = None, status: str | None = None, limit: int = 200) -> list[Job]:
        """Jobs, newest first, optionally of one owner or status."""
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
