"""The parse under every card: sentences read once by a real parser, asked by the planners.

A :class:`Parser` turns a source's sentences into spaCy ``Doc`` objects (tokens with their
part of speech, dependency head and label, lemma, and named entities). Everything the planning
stage needs to know about meaning (what a number counts, who spoke, where a phrase ends, which
entity is a place) is read from those, not from regular expressions over the text.

One parser per language, registered by language code; only English ships (spaCy's
``en_core_web_sm`` 3.8.0, whose weights come in its wheel). A source is parsed once per process
and the result kept (``parse_source``), so the planner, the visual design and pacing share it.
"""

from __future__ import annotations

from .base import Parse, Parser, parse_source, parser_for, register

__all__ = ["Parse", "Parser", "parse_source", "parser_for", "register"]
