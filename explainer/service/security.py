"""What every answer of the service carries and leaves out: security headers on every
response (a content security policy with a per-request nonce on the desk pages), and no server
path in any message."""

from __future__ import annotations

import re
import secrets

#: Pages a browser renders: the desk. Their scripts run only with the page's nonce.
_PAGES = re.compile(r"^/($|desk/|login$|logout$)")
_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
_ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    """ASGI middleware: nosniff, no referrer and no framing on every response, and on the desk
    pages a CSP whose nonce the templates read from ``request.state.csp_nonce``."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        page = bool(_PAGES.match(scope.get("path", "")))

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + _ALWAYS
                if page:
                    headers.append((b"content-security-policy", _CSP.format(nonce=nonce).encode()))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, with_headers)


#: An absolute path of two or more parts that is not part of a URL (no "scheme://" before it).
_PATH = re.compile(r"(?<![\w:/.])/(?:[\w.@+-]+/)+([\w.@+-]+)")


def public_message(message: str) -> str:
    """``message`` with every server path cut to its file name: a caller learns which file,
    never where the server keeps it."""
    return _PATH.sub(r"\1", message)
