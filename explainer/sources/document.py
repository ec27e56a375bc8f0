"""What every input kind is read into before sentences are numbered: a title, metadata, blocks.

Text, Markdown and HTML parsers all produce a ``Document``; ``to_source`` numbers the
sentences of its readable blocks. Keeping the block's role (prose, quote, list item) lets the
planner narrate prose and leave list items and the like to the graphics. A sub-heading is kept
whole as one sentence with the role ``heading``: never narrated, it marks where a section
starts (``planning.sections``); a deeper one (an h3 under h2s) has the role ``subheading``. Bylines, captions and tables stay out of the sentences.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError
from ..grounding.injection import find_injections
from ..shotlist import Source
from .language import guess_language
from .sentences import split_sentences

Role = Literal["prose", "quote", "list", "heading", "subheading"]

#: Fewer words of readable text than this is a stub (a paywall, a teaser), not an article.
MIN_ARTICLE_WORDS = 40

_BYLINE = re.compile(
    r"^(?:by|written by|words by|reporting by|von|par|por)\s+[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'\-]+(?:\s+[A-Z][\w.'\-]+){0,3})*\s*[,|]?[^.!?]{0,60}$",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:published|updated|posted|last (?:updated|modified)|first published)\b[^.!?]{0,80}$", re.IGNORECASE
)
_WS = re.compile(r"\s+")
# A paragraph that ends with a picture credit is the picture's caption: "... before impact.
# NASA/Johns Hopkins APL", "... at the ceremony. Credit: Lithuanian Innovation Agency".
_CREDIT_END = re.compile(
    r"(?:\b(?:Image |Photo |Video )?Credits?:\s*[^.]{2,80}|[.!?]\s+[A-Z][\w.&'\-]*(?:\s[A-Z][\w.&'\-]*)*/\s?[A-Z][\w.&' \-]{1,60})\.?$"
)
# Encyclopedia citation marks ("[3]", "[citation needed]") are not words to speak.
_CITATION = re.compile(r"\[(?:\d{1,3}|[a-z]|n \d+|citation needed|note \d+|clarification needed|when\?|who\?|update|needs update|dubious)\]", re.IGNORECASE)
# Pronunciations in brackets ("Aotearoa [aɔˈtɛaɾɔa]") are not read aloud.
_IPA = re.compile(r"\s?\[[^\]]*[\u02c8\u02cc\u02d0\u0259\u0254\u025b\u026a\u028a\u0283\u0292\u03b8\u00f0\u014b\u027e][^\]]*\]")
# A dateline opens a wire story ("LONDON \u2014 ", "Feb. 23, 2015 -- "): place and date, not narration.
_DATELINE_LEAD = re.compile(
    r"^(?:[A-Z][A-Z.'\- ]{2,40}(?:,\s[A-Z][\w.]+)?(?:\s\([^)]{1,30}\))?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4})"
    r"\s*(?:\u2014|\u2013|--|-)\s+(?=[A-Z\"\u201c])"
)


@dataclass(frozen=True)
class Block:
    """One block of readable text and what kind of block it is."""

    role: Role
    text: str
    level: int = 0
    """For a heading, its depth (2 for an h2 or ``##``; 0 where the format does not say)."""


@dataclass
class Document:
    """An input after parsing: title, metadata and the readable blocks in order."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    body_from: str | None = None
    """Where a page's text was read from: its visible text, or its JSON-LD ``articleBody``."""


def clean(text: str) -> str:
    """Whitespace folded, invisible characters out, Unicode in NFC form."""
    text = _IPA.sub("", _CITATION.sub("", unicodedata.normalize("NFC", text)))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\n\t")
    return _WS.sub(" ", text).strip()


def is_byline(text: str) -> bool:
    """Whether a short block is a byline or a date line ("By Jane Doe, Staff", "Updated 3 May")."""
    text = clean(text)
    return len(text.split()) <= 14 and bool(_BYLINE.match(text) or _DATELINE.match(text))


#: Lowercase words a list of names may hold: particles ("Ludwig van Beethoven") and joiners.
_NAME_PARTICLES = frozenset("van von der den de del della di da du la le bin ibn al and und y et".split())


def reads_as_names(text: str) -> bool:
    """Whether text reads as people's or an organisation's names: every word capitalised but
    particles and joiners (metadata extractors sometimes take a navigation heading for the
    author: "Authority control" on a Wikipedia page)."""
    words = [w for w in re.split(r"[\s,;/&]+", text) if any(c.isalpha() for c in w)]
    return 0 < len(words) <= 12 and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def byline_author(text: str) -> str | None:
    """The name(s) in a byline, without the leading "By"."""
    match = re.match(r"^(?:by|written by|words by|reporting by|von|par|por)\s+(.*)$", clean(text), re.IGNORECASE)
    if not match:
        return None
    first, *more = [part.strip() for part in _AUTHORS_SPLIT.split(match.group(1).split("|")[0]) if part.strip()] or [""]
    # Co-authors are kept ("Brian Deese, Sameera Fazili, and Bharat Ramamurti"); what follows a
    # name that is not another person's name is a role or a desk ("Jane Roe, Staff Writer").
    names = [first] + [m for m in more if 2 <= len(m.split()) <= 4 and reads_as_names(m) and not _NOT_A_PERSON & set(m.lower().split())]
    if len(names) > 1 and len(names) == len(more) + 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return first or None


_AUTHORS_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
#: Words of a role or a desk written after a name in a byline: no co-author's name.
_NOT_A_PERSON = frozenset("writer reporter correspondent editor staff contributor columnist producer bureau chief "
                          "photographer press news times post agency service desk".split())


def _strip_title(sentence: str, title: str | None) -> str:
    # Extractors and hand-made text files sometimes repeat the headline as the first words
    # of the body: the title is never part of a sentence.
    if not title:
        return sentence
    t = clean(title).rstrip(".")
    rest = sentence[len(t):].lstrip(" :\u2014-")
    # Only a headline run into a new sentence ("...Will Change Everything Imagine a world"):
    # "Mozilla is a free-software community" starts with its one-word title and is prose.
    if len(t.split()) >= 3 and sentence.startswith(t) and rest[:1].isupper() and sentence[len(t):len(t) + 1] in " :\u2014-":
        return rest
    return sentence


_WHOLE_SENTENCE = re.compile(r"^[A-Z\u00c0-\u00de\u2018\u201c\"](?:\S+\s+){5,}\S*[.!]['\u2019\u201d\"]?$")
"""A list item that reads as a sentence: a capital, six words or more, a full stop at the end."""



_WORDLIKE = re.compile(r"\w", re.UNICODE)


def _word_count(sentence: str) -> int:
    """Words that have a letter or digit in them: "!!! ... ???" is no text at all."""
    return sum(1 for token in sentence.split() if _WORDLIKE.search(token))


def _numbered(document: Document, title: str) -> tuple[dict[str, str], dict[str, str], str | None]:
    """The document's readable blocks as numbered sentences (``s1``...), the roles of those
    that are not prose (headings, list items, quotes...), and the author a byline names."""
    sentences: dict[str, str] = {}
    roles: dict[str, str] = {}
    author = document.author
    # Sections are the shallowest headings under the title; deeper ones are parts of them.
    top = min((b.level for b in document.blocks if b.role == "heading"), default=0)
    for index, block in enumerate(document.blocks):
        body = clean(block.text)
        if not body:
            continue
        if is_byline(body):
            author = author or byline_author(body)
            continue
        if index == 0 and body.rstrip(".") == title.rstrip("."):
            continue  # the headline repeated as the first paragraph
        if block.role == "prose" and _CREDIT_END.search(body):
            continue  # a picture's caption with its credit, left as text by a copy-paste
        if block.role == "heading":
            # A heading is one line however it is punctuated ("1. Why? A history").
            sentences[f"s{len(sentences) + 1}"] = body
            roles[f"s{len(sentences)}"] = "heading" if block.level <= top else "subheading"
            continue
        if len(sentences) < 3:
            body = _DATELINE_LEAD.sub("", body)
        for number, sentence in enumerate(split_sentences(body)):
            if index == 0 and number == 0:
                sentence = _strip_title(sentence, title)
            if not sentence:
                continue
            sid = f"s{len(sentences) + 1}"
            sentences[sid] = sentence
            if block.role != "prose":
                roles[sid] = block.role
    return sentences, roles, author


def _bullets_as_prose(sentences: dict[str, str], roles: dict[str, str], min_words: int) -> tuple[dict[str, str], int]:
    """The roles, with list items read as prose when the page is written as bullet points (a
    weekly roundup, release notes) and its prose alone is too short; and the prose's words."""
    words = sum(_word_count(s) for sid, s in sentences.items() if sid not in roles)
    if words < min_words:
        # List items that are whole sentences are the story.
        whole = {sid for sid, role in roles.items() if role == "list" and _WHOLE_SENTENCE.match(sentences[sid])}
        if sum(_word_count(sentences[sid]) for sid in whole) + words >= min_words:
            roles = {sid: role for sid, role in roles.items() if sid not in whole}
            words = sum(_word_count(s) for sid, s in sentences.items() if sid not in roles)
    return roles, words


def to_source(
    document: Document,
    raw: bytes,
    *,
    name: str,
    media_type: str,
    text: str,
    fallback_title: str,
    url: str | None = None,
    language: str | None = None,
    retrieved_at: str | None = None,
    min_words: int = MIN_ARTICLE_WORDS,
) -> Source:
    """Number the sentences of the document's readable blocks and build the Source."""
    title = clean(document.title or "") or fallback_title
    sentences, roles, author = _numbered(document, title)
    roles, words = _bullets_as_prose(sentences, roles, min_words)
    if not sentences:
        raise InputError(f"{name}: no article text found (only a title, navigation or media); give the article itself")
    if words < min_words:
        raise InputError(
            f"{name}: has only {words} words of article text (a paywall, a teaser or a page of links?);"
            " give the full article"
        )
    return Source(
        kind="article",
        title=title,
        url=url or document.url,
        language=language or document.language or guess_language(s for sid, s in sentences.items() if sid not in roles),
        sha256=hashlib.sha256(raw).hexdigest(),
        sentences=sentences,
        roles=roles,
        injections=find_injections(sentences),
        text=text,
        media_type=media_type,
        author=clean(author) if author else None,
        publisher=clean(document.publisher) if document.publisher else None,
        published=document.published,
        retrieved_at=retrieved_at,
        body_from=document.body_from,
    )
