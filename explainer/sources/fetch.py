"""Fetching an article page over HTTP(S), with limits and one-line errors.

Only the address the user gives is fetched (no scripts, images or other pages). The body is
read as it streams so that a page over the size limit is refused before it is all in memory.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from .. import __version__
from ..errors import InputError

#: Largest page accepted, in bytes (the longest real articles are a few MB of HTML).
MAX_PAGE_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 20.0
USER_AGENT = f"Explainer/{__version__} (article to explainer video; fetches one page on the user's request)"

#: Media types read as pages; anything else (PDF, images, video, JSON) is refused.
PAGE_TYPES = {"text/html": "text/html", "application/xhtml+xml": "text/html",
              "text/plain": "text/plain", "text/markdown": "text/markdown"}


@dataclass(frozen=True)
class Fetched:
    """A fetched page: its bytes, its media type, where it ended up and when it was read."""

    data: bytes
    media_type: str
    url: str
    charset: str | None
    retrieved_at: str


def is_url(value: str) -> bool:
    """Whether a command-line source is a web address rather than a path."""
    return urlsplit(value).scheme.lower() in ("http", "https")


def internal_address(host: str) -> str | None:
    """The first address ``host`` resolves to that is loopback, private, link-local, multicast
    or otherwise not public; None when every one is public. Raises ``socket.gaierror`` for an
    unknown host."""
    for info in socket.getaddrinfo(host, None):
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not ip.is_global or ip.is_multicast:
            return str(ip)
    return None


def _check_public(url: str, host: str) -> None:
    """Refuse a host that resolves to loopback, private, link-local or other internal space."""
    try:
        internal = internal_address(host)
    except socket.gaierror as e:
        raise InputError(f"{url}: the host {host!r} is not known; check the address") from e
    if internal:
        raise InputError(f"{url}: points to an internal address ({internal}); only public pages can be fetched here")


def fetch(url: str, *, timeout_s: float = TIMEOUT_S, max_bytes: int = MAX_PAGE_BYTES, allow_private: bool = True) -> Fetched:
    """GET one page with the project's HTTP client (httpx); refuse what is not an article page.

    A service fetching for others passes ``allow_private=False``: every address the page and
    its redirects resolve to must then be public.
    """
    import httpx

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not an http(s) address; give a page URL or a file path")
    if not allow_private:
        _check_public(url, parts.hostname)

    def checked_redirect(response) -> None:
        target = response.next_request.url if response.next_request is not None else None
        if target is not None and not allow_private:
            _check_public(str(target), target.host)
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout_s, headers={"User-Agent": USER_AGENT},
                          event_hooks={"response": [checked_redirect]}) as client:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    reason = response.reason_phrase or "error"
                    hint = "check the address" if response.status_code < 500 else "the site has a problem; try again later"
                    raise InputError(f"{url}: the server answered {response.status_code} {reason}; {hint}")
                kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
                if kind not in PAGE_TYPES:
                    raise InputError(
                        f"{url}: is {kind}, not a web page; give the article's HTML page, or save its text to a file"
                    )
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise InputError(f"{url}: the page is {declared // 1_048_576} MB, over the {max_bytes // 1_048_576} MB limit")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise InputError(f"{url}: the page is over the {max_bytes // 1_048_576} MB limit; save the article text to a file")
                return Fetched(
                    data=bytes(body),
                    media_type=PAGE_TYPES[kind],
                    url=str(response.url),
                    charset=response.charset_encoding,
                    retrieved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                )
    except httpx.TimeoutException as e:
        raise InputError(f"{url}: no answer within {timeout_s:.0f} s; check the address or try again later") from e
    except httpx.TooManyRedirects as e:
        raise InputError(f"{url}: too many redirects; give the article's final address") from e
    except httpx.HTTPError as e:
        raise InputError(f"{url}: could not be fetched ({type(e).__name__}: {str(e)[:120]}); check the address and your connection") from e
