"""Quotes with the right speaker, read from the parse.

The speaker is the subject of the speech verb (said, says, told, added, wrote, ...) outside
the quotation marks, or the object of "according to", in the quote's own sentence or, when
that sentence has none, the one just before it that introduces the quote. A pronoun subject
("he said") is the last person named before it. The speaker must be a person or a named
organisation (never a possessive, a product, a place or a common noun); the role comes from
an apposition ("Li Di, chief scientist of FAST") or a title written before the name
("Executive Director Jane Roe"). No speaker found, no quote card.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from ..shotlist import Quote
from .phrases import _trim, noun_phrase
from .wholeness import SPEECH

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_QUOTE = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{12,}?)[\u201d\"]")
_SPEAKERS = ("PERSON", "ORG")
_PERSONAL = frozenset({"he", "she", "him", "her"})
MIN_QUOTE_WORDS = 4
MAX_ROLE_WORDS = 8


def _outside(doc: "Doc", start: int, end: int) -> list["Token"]:
    return [t for t in doc if not start <= t.idx < end]


def _entity(token: "Token") -> "Span | None":
    """The person or organisation entity ``token`` is part of, if it is not a possessive."""
    for entity in token.doc.ents:
        if entity.start <= token.i < entity.end and entity.label_ in _SPEAKERS:
            after = token.doc[entity.end] if entity.end < len(token.doc) else None
            if any(t.tag_ == "POS" for t in entity) or after is not None and after.tag_ == "POS":
                return None  # "Mayschoss-Altenahr's": a possessive names an owner, not a speaker
            return entity
    return None


def _last_person(docs: Sequence["Doc"], before: int | None = None) -> "Span | None":
    for doc in reversed(docs):
        people = [
            e for e in doc.ents
            if e.label_ == "PERSON" and _entity(e.root) is not None and (before is None or doc is not docs[-1] or e.end <= before)
        ]
        if people:
            return people[-1]
    return None


def _role(speaker: "Span", subject: "Token") -> str:
    """The speaker's role: an apposition after the name, or a title written before it."""
    for child in speaker.root.children:
        if child.dep_ == "appos" and child.i >= speaker.end:
            tokens = _trim([t for t in child.subtree if t.i >= speaker.end])
            if len(tokens) > MAX_ROLE_WORDS:
                # "acting chief of NASA's Balloon Program Office at the agency's ...": the role
                # noun with its modifiers and its "of" phrase.
                tokens = _trim(noun_phrase(child, MAX_ROLE_WORDS))
            if 0 < len(tokens) <= MAX_ROLE_WORDS and not any(t.text in "\"\u201c\u201d" for t in tokens):
                return "".join(t.text_with_ws for t in tokens).strip()
    doc = speaker.doc
    # "Executive Director Jane Roe", "Google CEO Sundar Pichai": title words written into the
    # subject just before the name.
    start = speaker.start
    while start > 0 and doc[start - 1].pos_ in ("NOUN", "PROPN", "ADJ") and start <= doc[start - 1].head.i < speaker.end \
            and doc[start - 1].dep_ in ("compound", "amod", "nmod") and doc[start - 1] in set(subject.subtree):
        start -= 1
    if start < speaker.start and speaker.start - start <= MAX_ROLE_WORDS:
        return doc[start : speaker.start].text.strip()
    # "the mayor, Jane Roe,": the subject is the role, the name its apposition.
    if subject.i < speaker.start and subject.pos_ == "NOUN":
        return "".join(t.text_with_ws for t in _trim([t for t in subject.subtree if t.i < speaker.start])).strip(" ,")
    return ""


def _speaker_of(doc: "Doc", start: int, end: int, before: Sequence["Doc"]) -> tuple["Span", str] | None:
    """Who speaks the quote at characters ``start``..``end`` of ``doc``, with their role."""
    for token in _outside(doc, start, end):
        if token.lemma_.lower() == "accord" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
            found = _entity(obj) if obj is not None else None
            if found is not None:
                return found, _role(found, obj)
        if token.pos_ != "VERB" or token.lemma_.lower() not in SPEECH:
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and not start <= c.idx < end), None)
        if subject is None:
            continue
        if subject.lower_ in _PERSONAL:
            person = _last_person([*before, doc], before=subject.i)
            return (person, "") if person is not None else None
        found = _entity(subject)
        if found is None:
            # "the mayor, Jane Roe, said": the name stands in apposition to the subject.
            appos = next((c for c in subject.children if c.dep_ == "appos"), None)
            found = _entity(appos) if appos is not None else None
        if found is not None:
            return found, _role(found, subject)
        return None  # a common noun ("officials said") or a possessive: no named speaker
    return None


def _full_name(speaker: "Span", role: str, before: Sequence["Doc"]) -> tuple["Span", str]:
    """A person named by surname alone ("Stephens said") as first introduced earlier in the
    story ("said Graeme Stephens, the mission's principal investigator"), with that role."""
    if speaker.label_ != "PERSON" or len(speaker) > 1:
        return speaker, role
    for doc in before:
        for entity in doc.ents:
            # The tagger may take a name it has not seen for an organisation ("Aušrinė Armonaitė,
            # Lithuanian Minister of ...": ORG); ending in the speaker's surname, it is the speaker.
            if entity.label_ in ("PERSON", "ORG") and len(entity) > 1 and entity[-1].text == speaker.text \
                    and _entity(entity.root) is not None:
                subject = entity.root.head if entity.root.dep_ == "appos" else entity.root
                return entity, role or _role(entity, subject)
    return speaker, role


def quote_in(doc: "Doc", before: Sequence["Doc"] = ()) -> Quote | None:
    """A direct quote of a whole sentence or more in ``doc`` with its named speaker, or None.
    ``before``: the sentences before it, nearest last (for "he said" and lead-ins)."""
    match = _QUOTE.search(doc.text)
    if not match or len(match.group(1).split()) < MIN_QUOTE_WORDS or not match.group(1)[:1].isupper():
        return None  # a quoted fragment misquotes out of its sentence
    found = _speaker_of(doc, match.start(), match.end(), before)
    if found is None and before and before[-1].text.rstrip().endswith(":") and match.start() <= 1:
        previous = before[-1]
        found = _speaker_of(previous, len(previous.text), len(previous.text), before[:-1])
    if found is None and before and match.start() <= 1 and match.end() >= len(doc.text.rstrip()) - 1:
        # A quote that runs on into a sentence of its own ("…,” Armonaitė said. “The Accords
        # mark a new chapter…”): the speaker of the quote it continues.
        earlier = quote_in(before[-1], before[:-1])
        if earlier is not None and before[-1].text.rstrip()[-1:] in ".!?" and not _QUOTE.search(before[-1].text[-3:]):
            return Quote(text=match.group(1).strip().rstrip(","), speaker=earlier.speaker, role=earlier.role)
    if found is None:
        return None
    speaker, role = found
    speaker, role = _full_name(speaker, role, before)
    return Quote(text=match.group(1).strip().rstrip(","), speaker=speaker.text.strip(), role=role)


__all__ = ["quote_in"]
