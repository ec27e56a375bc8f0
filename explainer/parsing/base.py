"""The parser seam: a language's parser, and each source's parse kept once per process."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..shotlist import Source

#: Sentences parsed at most: the planner ranks no more than its first 400 (a 5 MB page has
#: ~50,000), so the rest would be parsed for nothing.
MAX_SENTENCES = 400
#: Parses kept per process (a course builds a few dozen lessons; the service many requests).
KEEP = 64


class Parser(Protocol):
    """Reads sentences into spaCy Docs (tokens, tags, dependencies, lemmas, entities)."""

    language: str
    name: str
    """The model and its version, for the record: 'spacy en_core_web_sm 3.8.0'."""

    def parse(self, texts: Sequence[str]) -> list["Doc"]:
        """One Doc per text, in order."""
        ...


_FACTORIES: dict[str, Callable[[], Parser]] = {}
_LOADED: dict[str, Parser] = {}
_LOCK = threading.Lock()


def register(language: str, factory: Callable[[], Parser]) -> None:
    """Make ``factory`` the parser for ``language`` (a two-letter code)."""
    _FACTORIES[language] = factory


def parser_for(language: str) -> Parser | None:
    """The parser for a language ('en', 'en-GB'...), loaded once; None when none is registered."""
    code = (language or "").lower()[:2]
    if code not in _FACTORIES:
        return None
    with _LOCK:
        if code not in _LOADED:
            _LOADED[code] = _FACTORIES[code]()
        return _LOADED[code]


class Parse:
    """A source's sentences, parsed: the Doc of each sentence id."""

    def __init__(self, parser: Parser, ids: Sequence[str], docs: Sequence["Doc"]) -> None:
        self.parser = parser
        self.ids = list(ids)
        self._docs = dict(zip(ids, docs))
        self._order = {sid: i for i, sid in enumerate(self.ids)}

    def doc(self, sid: str) -> "Doc | None":
        """The parse of sentence ``sid``."""
        return self._docs.get(sid)

    def before(self, sid: str, count: int) -> list["Doc"]:
        """Up to ``count`` sentences just before ``sid``, nearest last."""
        at = self._order.get(sid, 0)
        return [self._docs[s] for s in self.ids[max(0, at - count) : at]]


_PARSES: OrderedDict[tuple[str, str], Parse] = OrderedDict()


def parse_source(source: "Source") -> Parse | None:
    """The parse of the sentences of ``source`` (the first ``MAX_SENTENCES``; kept per process by
    the sentences' hash), or None when its language has no parser."""
    parser = parser_for(source.language)
    if parser is None:
        return None
    digest = hashlib.sha256("\x00".join(f"{k}\x01{v}" for k, v in source.sentences.items()).encode()).hexdigest()
    key = (parser.name, digest)
    with _LOCK:
        if key in _PARSES:
            _PARSES.move_to_end(key)
            return _PARSES[key]
    items = list(source.sentences.items())[:MAX_SENTENCES]
    parsed = Parse(parser, [sid for sid, _ in items], parser.parse([text for _, text in items]))
    with _LOCK:
        _PARSES[key] = parsed
        while len(_PARSES) > KEEP:
            _PARSES.popitem(last=False)
    return parsed


def _english() -> Parser:
    from .spacy_parser import SpacyParser

    return SpacyParser()


register("en", _english)
