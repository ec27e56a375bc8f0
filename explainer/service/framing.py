"""HTTP framing the service refuses: a request head with bare line feeds (a proxy in front may
split it differently: request smuggling), and a body that stops short of its Content-Length.
Each gets 400 and a closed connection, and no traceback in the log."""

from __future__ import annotations

import asyncio
import logging
import re

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

#: How long a request body may pause before the request is refused.
BODY_IDLE_S = 10.0
_BARE_LF = re.compile(rb"(?<!\r)\n")
_HEAD_END = re.compile(rb"\r?\n\r?\n")


class StrictH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, refusing a request head whose lines end in a bare LF (RFC 9112
    lets a server accept them; a server behind a proxy should not)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._head = b""

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._head += data
            end = _HEAD_END.search(self._head)
            head = self._head[: end.end()] if end else self._head
            if _BARE_LF.search(head.rstrip(b"\n") if not end else head):
                self._head = b""
                log.info("refused a request whose head ends lines with a bare LF")
                self.send_400_response("Invalid HTTP request: lines must end with CRLF.")
                return
            if end:
                self._head = b""
        super().data_received(data)


async def idle_limited(receive, idle_s: float = BODY_IDLE_S):
    """``receive`` that gives up when the body pauses for ``idle_s``: a client that sent less
    than its Content-Length holds a worker no longer."""
    try:
        return await asyncio.wait_for(receive(), idle_s)
    except asyncio.TimeoutError:
        from fastapi import HTTPException

        raise HTTPException(status_code=400, detail=f"the body stopped before its Content-Length ({idle_s:g} s without data); "
                                                    "send the whole body") from None
