"""Definitions read from the parse: "Photosynthesis is the process by which plants ...".

A sentence defines a term when its subject is the term (a name, or a noun with no article:
"Blanket.js", "Photosynthesis", "An architecture decision record") and its verb is "be" with an indefinite or
generic complement ("a JavaScript library", "the process by which ..."), or "refer to",
"mean" or "describe"; or when it names a thing in the passive ("The path of a planet around the
Sun is called an orbit": the term is the name). The card shows the term and the complement as the sentence words them,
cut at a whole phrase when long. "The ferry is a lifeline" is a description of one ferry, not
a definition, and a pronoun ("It is a ...") defines nothing on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..shotlist import Definition
from .phrases import _trim, noun_phrase
from .wholeness import is_whole

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_TERM_WORDS = 4
MAX_MEANING_WORDS = 18
_DEFINING_VERBS = {"refer": "to", "mean": None, "describe": None, "denote": None}
#: Complements that relate the term to something else rather than say what it is: "a key
#: component of NASA's partnership", "a product of years of effort".
_RELATIONAL = frozenset("component part member piece product example result element feature aspect source cause symbol sign "
                        "reminder step milestone partner priority success victory".split())
#: A definite complement that still defines: "X is the process by which ...".
_GENERIC_HEADS = frozenset("process way method practice study science art name term system act state".split())


def _text(tokens: Sequence["Token"]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _term(subject: "Token") -> list["Token"] | None:
    """The subject as a term: a name, or a noun without an article; None for "the ferry"."""
    tokens = _trim(list(subject.subtree), articles=False)
    if not tokens or len([t for t in tokens if not t.is_punct]) > MAX_TERM_WORDS + 1 or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ == "poss" for c in subject.children):
        return None  # "Lee's victory": one person's, not a term
    first = tokens[0]
    generic = first.lower_ in ("a", "an")  # "An architecture decision record is ...": any one of them
    if first.pos_ in ("DET", "PRON") and not generic and not (first.lower_ == "the" and subject.pos_ == "PROPN"):
        return None  # "The ferry", "This plan", "Its budget": one thing, not a term
    if first.lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    return tokens if is_whole(tokens) or len(tokens) == 1 else None


def _meaning(head: "Token") -> list["Token"] | None:
    """The complement as the sentence words it, or its core when that is too long to read."""
    tokens = _trim(list(head.subtree), articles=False)
    if len([t for t in tokens if not t.is_punct]) > MAX_MEANING_WORDS:
        tokens = _trim(noun_phrase(head, MAX_MEANING_WORDS), articles=False)
        determiner = next((c for c in head.lefts if c.dep_ == "det"), None)
        if determiner is not None and tokens and tokens[0].i > determiner.i:
            tokens = list(head.doc[determiner.i : tokens[-1].i + 1])
    if sum(1 for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ", "VERB")) < 2:
        # "the process" of "the process by which ...": the meaning was in what was cut; "Mozilla
        # is the project": a name for it, not what it is.
        return None
    return tokens if tokens and is_whole(tokens) else None


def _complement(verb: "Token") -> "Token | None":
    """What a defining verb says the subject is (its "attr", or what it refers to or means)."""
    lemma = verb.lemma_.lower()
    if lemma == "be":
        attr = next((c for c in verb.children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")), None)
        if attr is None:
            return None
        article = next((c.lower_ for c in attr.children if c.dep_ == "det"), "")
        if attr.lemma_.lower() in _RELATIONAL:
            return None
        return attr if article in ("a", "an") or article == "the" and attr.lemma_.lower() in _GENERIC_HEADS else None
    if lemma in _DEFINING_VERBS:
        prep = _DEFINING_VERBS[lemma]
        for child in verb.children:
            if prep and child.dep_ == "prep" and child.lower_ == prep:
                return next((g for g in child.children if g.dep_ == "pobj"), None)
            if not prep and child.dep_ == "dobj":
                return child
    return None


#: Verbs that give a thing its name in the passive: "X is called Y", "X is known as Y".
_NAMING = {"call": None, "name": None, "term": None, "know": "as"}


def _named(verb: "Token") -> Definition | None:
    """"The path of a planet around the Sun is called an orbit": the term is the name given
    (orbit), its meaning the subject as the sentence words it; None for any other sentence."""
    lemma = verb.lemma_.lower()
    if lemma not in _NAMING or not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    if any(c.dep_ == "agent" for c in verb.children):
        return None  # "is called a lifeline by residents": what some call it, not what it is
    # "Where the dome meets Earth is called the horizon": a clause can be what is named.
    subject = next((c for c in verb.children if c.dep_ in ("nsubjpass", "csubjpass")), None)
    if _NAMING[lemma]:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == _NAMING[lemma]), None)
        name = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    else:
        name = next((c for c in verb.children if c.dep_ == "oprd"), None)
    if subject is None or name is None or name.pos_ not in ("NOUN", "PROPN"):
        return None
    if subject.dep_ == "nsubjpass" and subject.pos_ not in ("NOUN", "PROPN"):
        return None
    term = _trim(list(name.subtree), articles=False)
    if term and term[0].lower_ in ("the", "a", "an"):
        term = term[1:]
    if subject.dep_ == "csubjpass":  # a whole clause ("Where the dome meets Earth"), as it is said
        meaning = [t for t in subject.subtree if not t.is_punct]
        meaning = meaning if len(meaning) <= MAX_MEANING_WORDS else None
    else:
        meaning = _meaning(subject)
    if not term or len(term) > MAX_TERM_WORDS or not meaning:
        return None
    return Definition(term=_text(term), meaning=_text(meaning))


def definition_in(doc: "Doc") -> Definition | None:
    """The term a sentence defines and what it is, or None."""
    for sentence in doc.sents:
        verb = sentence.root
        if any(c.dep_ == "neg" for c in verb.children):
            return None  # "X is not a ..." says what it is not
        named = _named(verb)
        if named:
            return named
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        complement = _complement(verb)
        if subject is None or complement is None:
            continue
        term, meaning = _term(subject), _meaning(complement)
        if term and meaning:
            return Definition(term=_text(term), meaning=_text(meaning))
    return None


__all__ = ["definition_in"]
