"""Fetching an article page over HTTP(S), with limits and one-line errors.

Only the address the user gives is fetched (no scripts, images or other pages). The body is
read as it streams so that a page over the size limit is refused before it is all in memory.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit

from .. import __version__
from ..errors import InputError

#: Largest page accepted, in bytes (the longest real articles are a few MB of HTML).
MAX_PAGE_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 20.0
#: The longest a whole fetch may take, however slowly the page arrives.
DEADLINE_S = 60.0
MAX_REDIRECTS = 5
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
    return next((ip for ip in addresses(host) if not _public(ip)), None)


def addresses(host: str) -> list[str]:
    """Every address ``host`` resolves to, IPv4 first. Raises ``socket.gaierror``."""
    found = {info[4][0].split("%")[0]: info[0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    return sorted(found, key=lambda ip: found[ip] != socket.AF_INET)


def _public(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    return address.is_global and not address.is_multicast


def pinned_address(url: str, host: str, allow_private: bool) -> str:
    """The address to connect to for ``host``, resolved once: when private addresses are not
    allowed, every address it resolves to must be public. The connection goes to this
    address and no other (a name that resolves again later, to somewhere inside, is never
    asked: DNS rebinding)."""
    try:
        found = addresses(host)
    except (socket.gaierror, UnicodeError) as e:
        raise InputError(f"{url}: the host {host!r} is not known; check the address") from e
    internal = next((ip for ip in found if not _public(ip)), None)
    if internal and not allow_private:
        raise InputError(f"{url}: points to an internal address ({internal}); only public pages can be fetched here")
    return found[0]


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` with its host replaced by ``address``, the Host header and the TLS server name
    that keep the request what it was."""
    import httpx

    parts = httpx.URL(url)
    host_header = parts.host + (f":{parts.port}" if parts.port else "")
    return str(parts.copy_with(host=address)), {"Host": host_header}, {"sni_hostname": parts.host}


def fetch(url: str, *, timeout_s: float = TIMEOUT_S, max_bytes: int = MAX_PAGE_BYTES, allow_private: bool = True,
          deadline_s: float = DEADLINE_S) -> Fetched:
    """GET one page with the project's HTTP client (httpx); refuse what is not an article page.

    Each hop (the address and every redirect) is resolved once and connected to at that
    address; a service fetching for others passes ``allow_private=False``, and every address
    must then be public. ``deadline_s`` bounds the whole fetch, however slowly a server sends.
    """
    import httpx

    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not an http(s) address; give a page URL or a file path")
    end = time.monotonic() + deadline_s
    try:
        with httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
            current = url
            for _ in range(MAX_REDIRECTS + 1):
                host = urlsplit(current).hostname or ""
                target, headers, extensions = pinned(current, pinned_address(current, host, allow_private))
                timeout = httpx.Timeout(max(0.1, min(timeout_s, end - time.monotonic())))
                with client.stream("GET", target, headers=headers, extensions=extensions, timeout=timeout) as response:
                    if response.is_redirect and response.headers.get("location"):
                        current = str(httpx.URL(current).join(response.headers["location"]))
                        continue
                    return _page(url, current, response, max_bytes, end, deadline_s)
            raise InputError(f"{url}: too many redirects; give the article's final address")
    except httpx.TimeoutException as e:
        raise InputError(f"{url}: no answer within {min(timeout_s, deadline_s):.0f} s; check the address or try again later") from e
    except httpx.HTTPError as e:
        raise InputError(f"{url}: could not be fetched ({type(e).__name__}: {str(e)[:120]}); check the address and your connection") from e


def _page(url: str, final: str, response, max_bytes: int, end: float, deadline_s: float) -> Fetched:
    """The page a response carries, read as it streams, within the size limit and the deadline."""
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        hint = "check the address" if response.status_code < 500 else "the site has a problem; try again later"
        raise InputError(f"{url}: the server answered {response.status_code} {reason}; {hint}")
    kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if kind not in PAGE_TYPES:
        raise InputError(f"{url}: is {kind}, not a web page; give the article's HTML page, or save its text to a file")
    declared = int(response.headers.get("content-length") or 0)
    if declared > max_bytes:
        raise InputError(f"{url}: the page is {declared // 1_048_576} MB, over the {max_bytes // 1_048_576} MB limit")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(f"{url}: the page is over the {max_bytes // 1_048_576} MB limit; save the article text to a file")
        if time.monotonic() > end:
            # A server that sends a byte now and then never trips a read timeout.
            raise InputError(f"{url}: the page took more than {deadline_s:.0f} s to arrive; try again later or save it to a file")
    return Fetched(data=bytes(body), media_type=PAGE_TYPES[kind], url=final, charset=response.charset_encoding,
                   retrieved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
