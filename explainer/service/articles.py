"""Reading a request's article: text sent with it, checked at the door, or a page fetched in
the background (never on the request path), checked the same way when it arrives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..sources import fetch, parse_source

MAX_ARTICLE_CHARS = 200_000
#: The longest a page fetch for a request may take, however slowly the page arrives.
FETCH_DEADLINE_S = 30.0


@dataclass(frozen=True)
class Article:
    """What a request's article is: its text as kept, a title, and what to record of its origin."""

    text: str
    title: str
    options: dict[str, Any] = field(default_factory=dict)


def read_text(text: str, title: str | None) -> Article:
    """An article sent as text: refused (``InputError``) when it is too long or has too few words."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"article is longer than {MAX_ARTICLE_CHARS} characters; send a shorter one")
    # Named without a suffix, so it is sniffed: a text with "# Title" lines is Markdown.
    source = parse_source(text.encode("utf-8"), "article")
    return Article(text, title or _title(source))


def fetch_page(url: str, title: str | None, allow_private: bool) -> Article:
    """An article page, fetched within ``FETCH_DEADLINE_S`` from the address that passed the
    check, and read as a submitted text is; ``InputError`` says what is wrong with it."""
    page = fetch(url, allow_private=allow_private, deadline_s=FETCH_DEADLINE_S)
    if len(page.data) > MAX_ARTICLE_CHARS * 4:
        raise InputError(f"{url}: the article is longer than {MAX_ARTICLE_CHARS} characters; send a shorter one as text")
    source = parse_source(page.data, url, media_type=page.media_type, url=page.url)
    return Article(page.data.decode("utf-8", errors="replace"), title or _title(source),
                   {"url": page.url, "media_type": page.media_type, "retrieved_at": page.retrieved_at})


def _title(source) -> str:
    """The article's own title, or its first words when it has none."""
    first = next(iter(source.sentences.values()))
    return (source.title if source.title != "Article" else " ".join(first.split()[:10]))[:300]
