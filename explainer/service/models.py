"""The job store's tables (SQLAlchemy 2): requests and API tokens."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of the service's tables."""


class Token(Base):
    """An API token: only its hash is stored. ``public_id`` is the holder's identity: jobs
    belong to it, and it survives rotation; the name is for people to read."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    organisation: Mapped[str | None] = mapped_column(String(120), nullable=True)
    """The newsroom the holder works for: its brand kit dresses their requests' videos."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def state(self, at: datetime | None = None) -> str:
        """``active``, ``revoked`` or ``expired``."""
        if self.revoked_at is not None:
            return "revoked"
        expires = self.expires_at
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=timezone.utc)  # SQLite gives naive datetimes back
        return "expired" if expires is not None and expires <= (at or now()) else "active"


class Job(Base):
    """One explainer request and where it stands."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("owner", "idempotency_key", name="uq_jobs_owner_idempotency_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(120), index=True)
    """The public id of the token that submitted it."""
    owner_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str | None] = mapped_column(String(40), nullable=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    review: Mapped[bool] = mapped_column(default=True)
    approved_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    waived_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    """The editor or admin who sent it without review, when the policy requires one."""
    edited_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    shotlist: Mapped[str | None] = mapped_column(Text, nullable=True)
    script_version: Mapped[int] = mapped_column(Integer, default=0)
    """1 as planned, one more per edit; 0 before planning."""
    script_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """sha256 of ``shotlist`` as stored (its YAML's UTF-8 bytes)."""
    approved_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The script version and sha256 the editor approved; only that script is rendered."""
    video_s: Mapped[float] = mapped_column(Float, default=0.0)
    """The length asked for, seconds: what the request counts against its quotas."""
    organisation: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    timings: Mapped[dict] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    """Until when ``worker`` holds the job; it renews the lease while it works, and a job whose
    lease ran out (its process died) is claimed again by any process."""
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The client's ``Idempotency-Key``: a retry with the same key returns this job."""
    request_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """What was asked, hashed, so a key reused for a different request is refused."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


class AuditEntry(Base):
    """One state change or download: who, when, what, on which job."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    actor: Mapped[str] = mapped_column(String(24))
    actor_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20), index=True)
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    detail: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class Webhook(Base):
    """One completion notice waiting in the outbox, or sent: delivered by any process, retried
    with backoff, after a restart too."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    url: Mapped[str] = mapped_column(String(500))
    receiver: Mapped[str] = mapped_column(String(300), index=True)
    """The receiving host and port: one slow receiver holds up only its own deliveries."""
    payload: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), index=True)
    """``pending``, ``delivered`` or ``failed`` (gave up after the last attempt, or refused)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(80), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
