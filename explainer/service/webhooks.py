"""Completion webhooks: checked when the request comes in, sent from their own thread, signed,
retried with backoff, never blocking a worker.

A webhook may only call a public address: the service must not be a way into the network it
runs in. The address is checked when the request is made and again before each delivery (a
name can resolve differently later). An admin can allow named hosts (an intranet CMS).
Each delivery carries ``X-Explainer-Signature: t=<unix time>,sha256=<hex>``, an HMAC-SHA256
of ``<t>.<body>`` under the service's webhook secret, so a receiver can check it came from us
and is fresh.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import socket
import threading
import time
from typing import Any, Iterable
from urllib.parse import urlsplit

from ..sources.fetch import internal_address

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Explainer-Signature"


def webhook_problem(url: str, allowed_hosts: Iterable[str] = ()) -> str | None:
    """Why the service will not call ``url``, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "use an http:// or https:// address"
    if parts.username or parts.password:
        return "leave credentials out of the address; check the signature header instead"
    if parts.hostname.lower() in {h.lower() for h in allowed_hosts}:
        return None
    try:
        internal = internal_address(parts.hostname)
    except (socket.gaierror, UnicodeError):
        return f"the host {parts.hostname!r} is not known"
    if internal:
        return f"{parts.hostname} is an internal address ({internal}); webhooks go to public addresses only"
    return None


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The value of the signature header for a body sent at ``timestamp``."""
    digest = hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},sha256={digest}"


class WebhookSender:
    """Posts job JSON to the request's URL; up to ``attempts`` tries, doubling the wait."""

    def __init__(self, secret: bytes, allowed_hosts: Iterable[str] = (), attempts: int = 5, first_delay_s: float = 0.5,
                 timeout_s: float = 10.0) -> None:
        self.secret = secret
        self.allowed_hosts = tuple(allowed_hosts)
        self.attempts = attempts
        self.first_delay_s = first_delay_s
        self.timeout_s = timeout_s
        self._queue: queue.Queue[tuple[str, dict[str, Any]] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def send(self, url: str, payload: dict[str, Any]) -> None:
        """Queue a delivery and return at once."""
        self._queue.put((url, payload))

    def _run(self) -> None:
        import httpx

        while True:
            item = self._queue.get()
            if item is None:
                return
            url, payload = item
            problem = webhook_problem(url, self.allowed_hosts)
            if problem:
                log.warning("webhook %s not sent: %s", url, problem)
                continue
            body = json.dumps(payload).encode()
            delay = self.first_delay_s
            for attempt in range(1, self.attempts + 1):
                headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(self.secret, int(time.time()), body)}
                try:
                    # Redirects are not followed: they could lead anywhere.
                    response = httpx.post(url, content=body, headers=headers, timeout=self.timeout_s, follow_redirects=False)
                    if response.status_code < 500:
                        break
                except httpx.HTTPError as e:
                    log.info("webhook %s attempt %d failed: %s", url, attempt, e)
                time.sleep(delay)
                delay *= 2

    def close(self) -> None:
        """Stop after the deliveries already queued."""
        self._queue.put(None)
        self._thread.join(timeout=30)
