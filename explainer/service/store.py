"""The persistent job store: SQLite by default, PostgreSQL (or any SQLAlchemy URL) by choice.

Many service processes may share one database. A worker claims a job in one transaction: the
oldest queued job (or one whose lease ran out) is selected ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so concurrent claimers pass over each other's rows instead of queueing on them,
and taken by a conditional UPDATE, so even without row locks (SQLite) no job is taken twice.
The worker holds the job for ``lease_s`` and renews the lease while it works (a heartbeat);
a job whose process died is claimed again once its lease runs out, by any process, exactly
once, and resumes from its cached shots. Finishing is conditional on still holding the job,
so a worker that lost its lease can never mark a job done a second time.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from contextlib import contextmanager
from functools import cached_property
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import and_, create_engine, event, func, make_url, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import InputError
from .limits import QuotaExceeded, Quotas
from .models import AuditEntry, Job, Token, now
from .outbox import WebhookOutbox

ROLES = ("requester", "editor", "admin")
#: An organisation names a folder of brand kits, so it is kept to a safe file name.
ORGANISATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,119}$")
ACTIVE = ("planning", "rendering")
#: Jobs that count against a requester's concurrent quota: waiting for or using a worker
#: (a script awaiting review waits for an editor, not for the machine).
BUSY = ("fetching", "queued", "planning", "rendering")
#: How long a claimed job is held without a heartbeat before another process may take it.
LEASE_S = 30.0


def database_url(url: str) -> str:
    """A database URL as SQLAlchemy needs it: ``postgresql://`` means the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def script_sha256(text: str) -> str:
    """sha256 of a stored script (its YAML, UTF-8), hex: what an approval names."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _audit(s: Session, who: Token, action: str, job_id: str | None, **detail: Any) -> None:
    s.add(AuditEntry(actor=who.public_id, actor_name=who.name, role=who.role, action=action, job_id=job_id, detail=detail or None))


def hash_token(token: str) -> str:
    """sha256 of a token (tokens are 256 random bits, so a plain hash is enough)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Store(WebhookOutbox):
    """Jobs and tokens in a database, with migrations applied on open."""

    def __init__(self, url: str, lease_s: float = LEASE_S) -> None:
        given = url
        url = database_url(url)
        self.url = url
        self.lease_s = lease_s
        sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30} if sqlite else {},
                                    pool_pre_ping=not sqlite)
        if sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(connection, _record):  # WAL: readers never wait for the writer
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA busy_timeout=30000")
                cursor.close()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._quota_lock = threading.Lock()
        try:
            self.migrate()
        except OperationalError as e:
            shown = make_url(given).render_as_string(hide_password=True)
            reason = str(e.orig or e).strip().splitlines()[0] if (e.orig or e) else "no answer"
            raise InputError(f"cannot open the job store at {shown}: {reason}; check --database "
                             "(postgresql://user@host:port/db) and that the server is running") from e

    @cached_property
    def repository(self):
        """The service's manifest repository, in this database (tables from migration 0004)."""
        from provenance.repository import SqlRepository

        return SqlRepository(self.url, engine=self.engine, create=False, location="the newsroom service's repository")

    @classmethod
    def in_folder(cls, data: Path, url: str | None = None, lease_s: float = LEASE_S) -> "Store":
        """The store of a data folder (``DATA/explainer.db``) unless a URL is given."""
        data.mkdir(parents=True, exist_ok=True)
        return cls(url or f"sqlite:///{data / 'explainer.db'}", lease_s)

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
            _audit(s, who, action, job_id, **detail)

    def audit_log(self, job_id: str | None = None, limit: int = 500) -> list[AuditEntry]:
        """Audit entries, oldest first, of one job or all."""
        query = select(AuditEntry).order_by(AuditEntry.id).limit(limit)
        if job_id:
            query = query.where(AuditEntry.job_id == job_id)
        with self.session() as s:
            return list(s.scalars(query))

    # -- jobs --------------------------------------------------------------------------------

    def create_job(self, owner: Token, title: str, text: str, options: dict[str, Any], review: bool, webhook_url: str | None,
                   waived_by: str | None = None, idempotency_key: str | None = None, request_sha256: str | None = None,
                   video_s: float = 0.0, quotas: Quotas | None = None, status: str = "queued") -> tuple[Job, bool]:
        """A queued job of ``owner`` (by its identity, never its name), and True; or, when
        ``owner`` already sent ``idempotency_key``, that job and False (even if the two
        submissions race: the database lets only one of them in). With ``quotas``, raises
        ``QuotaExceeded`` when the job would take its owner or their organisation over one,
        counted and inserted in one transaction. A job whose article page is still to be
        fetched starts as ``fetching``."""
        job = Job(id=uuid.uuid4().hex, owner=owner.public_id, owner_name=owner.name, status=status, title=title, text=text,
                  options=options, review=review, waived_by=waived_by, webhook_url=webhook_url, timings={}, progress=0.0,
                  attempts=0, idempotency_key=idempotency_key, request_sha256=request_sha256, video_s=video_s,
                  organisation=owner.organisation, script_version=0)
        try:
            with self._quota_lock, self.session() as s:
                if quotas is not None and owner.role != "admin":
                    # Held until the insert commits: on PostgreSQL the requester's token row
                    # (and so their concurrent submissions) waits here; one process on SQLite
                    # is serialised by the lock.
                    s.execute(select(Token.id).where(Token.public_id == owner.public_id).with_for_update())
                    self._check_quotas(s, owner, video_s, quotas)
                s.add(job)
            return job, True
        except IntegrityError:
            earlier = self.by_idempotency_key(owner, idempotency_key) if idempotency_key else None
            if earlier is None:
                raise
            return earlier, False

    def _check_quotas(self, s: Session, owner: Token, video_s: float, quotas: Quotas) -> None:
        """Raise ``QuotaExceeded`` if one more job of ``video_s`` would pass a quota."""
        limits = [("you have", Job.owner == owner.public_id, quotas.jobs, quotas.minutes)]
        if owner.organisation:
            limits.append((f"{owner.organisation} has", Job.organisation == owner.organisation, quotas.org_jobs, quotas.org_minutes))
        since = now() - timedelta(days=1)
        for who, mine, jobs, minutes in limits:
            busy = s.scalar(select(func.count()).select_from(Job).where(mine, Job.status.in_(BUSY))) or 0
            if jobs and busy >= jobs:
                raise QuotaExceeded(f"quota: {who} {busy} requests queued or in the works, the most at once; "
                                    "try again when one is done", 60)
            recent = s.execute(select(Job.created_at, Job.video_s).where(mine, Job.created_at >= since, Job.status != "cancelled")
                               .order_by(Job.created_at)).all()
            used = sum(v for _, v in recent)
            if minutes and used + video_s > minutes * 60:
                # Until enough of the day's requests leave the 24-hour window to fit this one.
                freed, wait = 0.0, 24 * 3600
                for created, length in recent:
                    freed += length
                    if used - freed + video_s <= minutes * 60:
                        created = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
                        wait = int((created + timedelta(days=1) - now()).total_seconds()) + 1
                        break
                raise QuotaExceeded(f"quota: {who} asked for {used / 60:.0f} of {minutes:g} minutes of video in the last 24 hours; "
                                    f"this request's {video_s / 60:.1f} would pass it", max(1, wait))

    def by_idempotency_key(self, owner: Token, key: str) -> Job | None:
        """The job ``owner`` submitted with ``key``, if any."""
        with self.session() as s:
            return s.scalar(select(Job).where(Job.owner == owner.public_id, Job.idempotency_key == key))

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

    def transition(self, job_id: str, from_status: tuple[str, ...], held_by: str | None = None, notify: bool = False,
                   **values: Any) -> bool:
        """Change a job only if it is in one of ``from_status`` (and, with ``held_by``, that
        worker still holds it); True if it was. With ``notify``, its webhook (if it has one)
        joins the outbox in the same transaction."""
        with self.changing(job_id, from_status, held_by, notify, **values) as changed:
            return changed

    @contextmanager
    def changing(self, job_id: str, from_status: tuple[str, ...], held_by: str | None = None, notify: bool = False,
                 **values: Any) -> Iterator[bool]:
        """``transition`` held open: the job is changed first (False if it is not in
        ``from_status`` or ``held_by`` no longer holds it), and the change commits when the
        block ends, or is undone if it raises. Meanwhile the row stays locked (PostgreSQL; the
        whole database on SQLite), so what the block does, moving a job's files into place, is
        done by one holder only and only together with the job's new status."""
        where = [Job.id == job_id, Job.status.in_(from_status)] + ([Job.worker == held_by] if held_by else [])
        with self.session() as s:
            result = s.execute(update(Job).where(*where).values(updated_at=now(), **values))
            if notify and result.rowcount == 1:
                self._enqueue_webhook(s, job_id, str(values.get("status")))
            yield result.rowcount == 1

    # -- the script and its approval -------------------------------------------------------
    def edit_script(self, job_id: str, who: Token, text: str, based_on: int | None = None) -> int | None:
        """Replace the script of a job awaiting review (and, with ``based_on``, still at that
        version) and audit it, in one transaction; the new version, or None when the job has
        moved on (approved, cancelled) or the script changed meanwhile."""
        where = [Job.id == job_id, Job.status == "awaiting_review"] + ([Job.script_version == based_on] if based_on else [])
        with self.session() as s:
            result = s.execute(update(Job).where(*where).values(
                shotlist=text, script_version=Job.script_version + 1, script_sha256=script_sha256(text), edited_by=who.name,
                updated_at=now()))
            if result.rowcount != 1:
                return None
            version = s.scalar(select(Job.script_version).where(Job.id == job_id))
            _audit(s, who, "edit", job_id, version=version, sha256=script_sha256(text))
            return version

    def approve(self, job_id: str, who: Token, version: int, sha256: str) -> bool:
        """Approve exactly the script ``version`` whose YAML hashes to ``sha256``, only while the
        job awaits review and holds that script, and audit it, in one transaction: an edit that
        lands first makes this approval fail, and one that comes after finds the job queued."""
        with self.session() as s:
            result = s.execute(update(Job).where(
                Job.id == job_id, Job.status == "awaiting_review", Job.script_version == version, Job.script_sha256 == sha256,
            ).values(status="queued", stage="approved", approved_by=who.name, approved_version=version, approved_sha256=sha256,
                     updated_at=now()))
            if result.rowcount != 1:
                return False
            _audit(s, who, "approve", job_id, version=version, sha256=sha256)
            return True

    def _lease(self) -> datetime:
        return now() + timedelta(seconds=self.lease_s)

    def claim(self, worker: str) -> Job | None:
        """Take the oldest queued job, or one whose worker stopped renewing its lease, for
        ``worker`` (a name unique across processes); None when there is none."""
        claimable = or_(Job.status == "queued", and_(Job.status.in_(ACTIVE), or_(Job.lease_expires_at.is_(None),
                                                                                Job.lease_expires_at < now())))
        for _ in range(5):
            with self.session() as s:
                job = s.scalar(select(Job).where(claimable).order_by(Job.created_at).limit(1).with_for_update(skip_locked=True))
                if job is None:
                    return None
                next_status = "rendering" if job.shotlist and (job.approved_by or not job.review) else "planning"
                # An attempt is a start of work: the first claim, or taking over from a process
                # that died; rendering after review continues the first.
                attempts = job.attempts + 1 if job.attempts == 0 or job.status in ACTIVE else job.attempts
                # Conditional on the row being as it was read: SQLite takes no row locks.
                result = s.execute(
                    update(Job)
                    .where(Job.id == job.id, Job.status == job.status, Job.attempts == job.attempts)
                    .values(status=next_status, worker=worker, attempts=attempts, lease_expires_at=self._lease(),
                            updated_at=now())
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    s.expire(job)
                    s.refresh(job)
                    return job
        return None

    def heartbeat(self, job_id: str, worker: str) -> bool:
        """Renew ``worker``'s lease on a job; False when it no longer holds it (the lease ran
        out and another process took the job, or it was cancelled)."""
        with self.session() as s:
            result = s.execute(update(Job).where(Job.id == job_id, Job.worker == worker, Job.status.in_(ACTIVE))
                               .values(lease_expires_at=self._lease()))
            return result.rowcount == 1

    def recover(self) -> int:
        """Free the jobs that processes of this host which no longer run were holding, so they
        are claimed now rather than when their leases run out; returns how many. Jobs held
        by live processes (here or on other hosts) are left alone: their leases say when."""
        from ..cache import orphaned

        with self.session() as s:
            held = s.execute(select(Job.id, Job.worker).where(Job.status.in_(ACTIVE))).all()
            dead = [job_id for job_id, worker in held if worker is None or orphaned(worker)]
            if dead:
                s.execute(update(Job).where(Job.id.in_(dead), Job.status.in_(ACTIVE)).values(lease_expires_at=None))
            return len(dead)
