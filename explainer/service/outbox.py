"""The webhook outbox of the job store: deliveries written in the transaction that changes a
job's status, claimed with a lease by the sender threads, one receiver at a time.

``Store`` has these methods; they use its sessions.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .models import AuditEntry, Job, Webhook, now


class WebhookOutbox:
    """The outbox's part of ``Store``."""

    def _enqueue_webhook(self, s: Session, job_id: str, status: str) -> None:
        url = s.scalar(select(Job.webhook_url).where(Job.id == job_id))
        if url:
            s.add(Webhook(job_id=job_id, url=url, receiver=urlsplit(url).netloc.lower()[:300], payload={"status": status},
                          state="pending", attempts=0, next_attempt_at=now(), created_at=now()))

    def claim_webhook(self, worker: str, lease_s: float) -> Webhook | None:
        """The oldest delivery that is due, for ``worker``, held for ``lease_s``; never one
        for a receiver another delivery is waiting on (one slow receiver delays only its own)."""
        t = now()
        in_flight = select(Webhook.receiver).where(Webhook.state == "pending", Webhook.lease_expires_at > t)
        with self.session() as s:
            row = s.scalar(select(Webhook).where(Webhook.state == "pending", Webhook.next_attempt_at <= t,
                                                 or_(Webhook.lease_expires_at.is_(None), Webhook.lease_expires_at <= t),
                                                 Webhook.receiver.not_in(in_flight))
                           .order_by(Webhook.next_attempt_at).limit(1).with_for_update(skip_locked=True))
            if row is None:
                return None
            taken = s.execute(update(Webhook).where(Webhook.id == row.id, Webhook.attempts == row.attempts, Webhook.state == "pending")
                              .values(worker=worker, lease_expires_at=t + timedelta(seconds=lease_s), attempts=row.attempts + 1)
                              .execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                return None
            s.expire(row)
            s.refresh(row)
            return row

    def webhook_tried(self, webhook_id: int, worker: str, state: str, error: str | None = None,
                      retry_at: datetime | None = None) -> None:
        """Record a delivery attempt: ``delivered``, ``failed`` for good, or ``pending`` again at
        ``retry_at``; the final outcome goes in the audit log."""
        with self.session() as s:
            row = s.get(Webhook, webhook_id)
            if row is None or row.worker != worker:
                return
            row.state, row.last_error, row.lease_expires_at = state, error, None
            row.next_attempt_at = retry_at or row.next_attempt_at
            row.delivered_at = now() if state == "delivered" else None
            if state != "pending":
                s.add(AuditEntry(actor="service", actor_name="service", role="system", action="webhook", job_id=row.job_id,
                                 detail={"state": state, "receiver": row.receiver, "attempts": row.attempts, "error": error}))

    def webhooks(self, job_id: str) -> list[Webhook]:
        """A job's deliveries, oldest first."""
        with self.session() as s:
            return list(s.scalars(select(Webhook).where(Webhook.job_id == job_id).order_by(Webhook.id)))
