"""The input stage: an article from a file, stdin or a URL (text, Markdown or HTML) into a Source.

Every input kind is parsed into a ``Document`` (title, metadata, readable blocks) and then
numbered into sentences the same way, so a saved page and the same page fetched from its URL
give the same Source.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from ..errors import InputError
from ..shotlist import Source
from .decode import decode_page, decode_text, sniff_media_type
from .document import MIN_ARTICLE_WORDS, Block, Document, to_source
from .fetch import Fetched, fetch, is_url
from .html import parse_html
from .markdown import parse_markdown, parse_text
from .sentences import paragraphs, split_sentences

_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".xhtml": "text/html", ".md": "text/markdown",
             ".markdown": "text/markdown", ".txt": "text/plain", ".text": "text/plain"}


def read_source_bytes(path: str) -> tuple[bytes, str]:
    """Bytes of a source file, or of stdin for ``-``, plus a display name."""
    if path == "-":
        return sys.stdin.buffer.read(), "stdin"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file; check the path (or give an http(s) URL)")
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give an article file (.txt, .md, .html) or a URL")
    try:
        return p.read_bytes(), p.name
    except OSError as e:
        raise InputError(f"{path}: cannot be read ({e.strerror}); check its permissions") from e


def _fallback_title(name: str) -> str:
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Explainer"


def parse_source(
    data: bytes,
    name: str,
    *,
    media_type: str | None = None,
    url: str | None = None,
    language: str | None = None,
    charset: str | None = None,
    retrieved_at: str | None = None,
    min_words: int = MIN_ARTICLE_WORDS,
) -> Source:
    """Turn article bytes (text, Markdown or HTML) into a Source with sentence ids s1, s2, ..."""
    media_type = media_type or _SUFFIXES.get(Path(name).suffix.lower()) or sniff_media_type(data, name)
    if media_type == "text/html":
        text = decode_page(data, name, charset)
        document = parse_html(data, url)
    else:
        text = decode_text(data, name)
        document = parse_markdown(text) if media_type == "text/markdown" else parse_text(text)
    return to_source(
        document, data, name=name, media_type=media_type, text=text, fallback_title=_fallback_title(name),
        url=url, language=language, retrieved_at=retrieved_at, min_words=min_words,
    )


def load_source(location: str, *, url: str | None = None, language: str | None = None,
                min_words: int = MIN_ARTICLE_WORDS) -> Source:
    """Read, check and parse an article from a path, ``-`` for stdin, or an http(s) URL
    (``min_words``: the fewest words it may have, as for ``parse_source``)."""
    if is_url(location):
        page = fetch(location)
        source = parse_source(page.data, location, media_type=page.media_type, url=url, language=language,
                              charset=page.charset, retrieved_at=page.retrieved_at, min_words=min_words)
        # The page's canonical address where it states one, else where it was fetched from.
        return source if source.url else source.model_copy(update={"url": page.url})
    data, name = read_source_bytes(location)
    return parse_source(data, name, url=url, language=language, min_words=min_words)


def topic_source(topic: str, language: str = "en") -> Source:
    """A Source for topic mode: a title and no sentences, so nothing can be grounded."""
    topic = " ".join(topic.split())
    if not topic:
        raise InputError("--topic is empty; say what the video should explain")
    return Source(
        kind="topic",
        title=topic,
        language=language,
        sha256=hashlib.sha256(topic.encode("utf-8")).hexdigest(),
        text=topic,
    )


__all__ = [
    "Block", "Document", "Fetched", "MIN_ARTICLE_WORDS", "decode_text", "fetch", "is_url", "load_source",
    "paragraphs", "parse_html", "parse_markdown", "parse_source", "parse_text", "read_source_bytes",
    "split_sentences", "topic_source",
]
