"""Completion webhooks from a durable outbox: a job that finishes puts its delivery in the
database in the same transaction, and sender threads of any service process deliver it,
signed, retried with backoff, one at a time per receiver, after a restart too.

A webhook may only call a public address: the service must not be a way into the network it
runs in. The address is checked when the request is made, and at each delivery it is resolved
once, checked, and connected to at that address (a name that answers differently a moment
later is never asked again: DNS rebinding). An admin can allow named hosts (an intranet CMS).
Each delivery carries ``X-Explainer-Signature: t=<unix time>,sha256=<hex>``, an HMAC-SHA256
of ``<t>.<body>`` under the service's webhook secret, so a receiver can check it came from us
and is fresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from datetime import timedelta
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from ..errors import InputError
from ..sources.fetch import internal_address, pinned, pinned_address
from .models import now

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Explainer-Signature"


def _form_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "use an http:// or https:// address"
    if parts.username or parts.password:
        return "leave credentials out of the address; check the signature header instead"
    return None


def webhook_problem(url: str, allowed_hosts: Iterable[str] = ()) -> str | None:
    """Why the service will not call ``url``, or None."""
    if problem := _form_problem(url):
        return problem
    host = urlsplit(url).hostname or ""
    if host.lower() in {h.lower() for h in allowed_hosts}:
        return None
    try:
        internal = internal_address(host)
    except (socket.gaierror, UnicodeError):
        return f"the host {host!r} is not known"
    if internal:
        return f"{host} is an internal address ({internal}); webhooks go to public addresses only"
    return None


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The value of the signature header for a body sent at ``timestamp``."""
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},sha256={digest}"


class WebhookOutbox:
    """Sender threads over the store's outbox. ``payload_for(job_id)`` is the JSON sent (the
    job as it stands); up to ``attempts`` tries, the wait doubling from ``first_delay_s``."""

    def __init__(self, store, payload_for: Callable[[str], dict[str, Any]], secret: bytes, allowed_hosts: Iterable[str] = (),
                 senders: int = 4, attempts: int = 8, first_delay_s: float = 1.0, timeout_s: float = 10.0, poll_s: float = 0.2) -> None:
        self.store, self.payload_for, self.secret = store, payload_for, secret
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.attempts, self.first_delay_s, self.timeout_s, self.poll_s = attempts, first_delay_s, timeout_s, poll_s
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, name=f"webhooks.{n}", daemon=True) for n in range(senders)]

    def start(self) -> None:
        """Start delivering (what a stopped process left in the outbox too)."""
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        """Stop after the deliveries under way; the rest wait in the outbox."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout_s + 5)

    def _loop(self) -> None:
        from ..cache import writer_tag

        name = f"{writer_tag()}.{threading.current_thread().name}"
        while not self._stop.is_set():
            try:
                row = self.store.claim_webhook(name, lease_s=self.timeout_s * 2 + 5)
            except Exception:  # the database is briefly away: try again
                log.warning("could not read the webhook outbox", exc_info=True)
                row = None
            if row is None:
                self._stop.wait(self.poll_s)
                continue
            try:
                state, error = self._deliver(row.url, row.job_id)
            except Exception as e:  # a bug: keep the sender alive, keep the delivery, say why
                log.exception("webhook delivery for job %s failed", row.job_id)
                state, error = "retry", f"internal error: {e}"
            retry_at = None
            if state == "retry":
                state = "failed" if row.attempts >= self.attempts else "pending"
                retry_at = now() + timedelta(seconds=min(3600.0, self.first_delay_s * 2 ** (row.attempts - 1)))
            self.store.webhook_tried(row.id, name, state, error, retry_at)

    def _deliver(self, url: str, job_id: str) -> tuple[str, str | None]:
        """One attempt: ``delivered``, ``failed`` (refused for good) or ``retry``, and why."""
        import httpx

        if problem := _form_problem(url):
            return "failed", problem
        host = urlsplit(url).hostname or ""
        try:
            target, headers, extensions = pinned(url, pinned_address(url, host, host.lower() in self.allowed_hosts))
        except InputError as e:
            return "failed", str(e)
        body = json.dumps(self.payload_for(job_id)).encode()
        headers |= {"Content-Type": "application/json", SIGNATURE_HEADER: signature(self.secret, int(time.time()), body)}
        try:
            # Redirects are not followed: they could lead anywhere.
            with httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client:
                response = client.post(target, content=body, headers=headers, extensions=extensions)
        except httpx.HTTPError as e:
            return "retry", f"{type(e).__name__}: {str(e)[:200]}"
        if response.status_code < 300:
            return "delivered", None
        if response.status_code < 500:
            return "failed", f"the receiver answered {response.status_code}"
        return "retry", f"the receiver answered {response.status_code}"
