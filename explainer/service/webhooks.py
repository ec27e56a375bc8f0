"""Completion webhooks: sent from their own thread, retried with backoff, never blocking a worker."""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

log = logging.getLogger(__name__)


class WebhookSender:
    """Posts job JSON to the request's URL; up to ``attempts`` tries, doubling the wait."""

    def __init__(self, attempts: int = 5, first_delay_s: float = 0.5, timeout_s: float = 10.0) -> None:
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
            delay = self.first_delay_s
            for attempt in range(1, self.attempts + 1):
                try:
                    response = httpx.post(url, json=payload, timeout=self.timeout_s)
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
