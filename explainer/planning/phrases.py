"""Whole phrases from the parse: headlines, beats and the clause boundaries between them.

A phrase on screen is a unit of the sentence it comes from, cut along the parse: a noun phrase
(with its modifiers and its "of" phrase), or a clause (subject, verb and object), or a verb
phrase with its object. Which cuts read whole is ``wholeness.is_whole``; this module builds
the candidates and chooses among them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .textrank import tokens as content_words
from .wholeness import _CLAUSE_DEPS, _CONDITIONS, _CONTENT, _NAMES, _NOUN_DEPS, _words, is_whole, says_something

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


def _trim(tokens: list["Token"], articles: bool = True) -> list["Token"]:
    """Punctuation (and with ``articles`` a leading "the", "a", "an") off the ends."""
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ in ("CCONJ", "DET")):
        tokens = tokens[:-1]
    while tokens and (tokens[0].is_punct or articles and tokens[0].pos_ == "DET" and tokens[0].lower_ in ("the", "a", "an")
                      or len(tokens) > 2 and (tokens[0].dep_ == "cc" or tokens[0].dep_ == "mark" and tokens[0].lower_ not in _CONDITIONS
                                              or tokens[0].lower_ == "to" and tokens[0].dep_ == "aux")
                      and tokens[0].head.pos_ in ("VERB", "AUX")):
        tokens = tokens[1:]  # "to assess a product" reads as "assess a product"
    return tokens


def noun_phrase(head: "Token", max_words: int = 8) -> list["Token"]:
    """The noun ``head`` with its left modifiers and, when short enough, its "of" phrase."""
    left = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss", "nummod", "det", "npadvmod")]
    start = min([head.i] + [min(t.subtree, key=lambda x: x.i).i for t in left])
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "for", "in", "on") and child.i == end + 1:
            stop = max(t.i for t in child.subtree)
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if stop - start + 1 > max_words and obj is not None and obj.i == child.i + 1 + sum(1 for _ in obj.lefts):
                # "total volume of water in Earth's rivers from 1980 to 2009": of its own
                # noun phrase, the "of" phrase keeps the noun and what stands before it.
                stop = obj.i
            if stop - start + 1 <= max_words:
                end = stop
            break
        if child.dep_ in ("compound", "case") and child.i == end + 1:
            end = child.i
    return list(head.doc[start : end + 1])


def _core(token: "Token", max_words: int) -> list["Token"] | None:
    """The heart of a verb's complement: a noun phrase, an adjective, or a verb with its own;
    None when it cannot be cut short without changing what it says ("unable to ...")."""
    if token.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        subtree = list(token.subtree)
        return subtree if len(subtree) <= max_words // 2 else noun_phrase(token, max_words // 2)
    if token.pos_ in ("VERB", "AUX"):
        return complement(token, max_words)
    subtree = list(token.subtree)
    # An adjective's phrase is whole with all its words ("as close to your code as possible").
    return subtree if len(subtree) <= 3 or token.pos_ == "ADJ" and len(subtree) < max_words and \
        not any(t.pos_ in ("VERB", "AUX") for t in subtree) else None


def complement(verb: "Token", max_words: int) -> list["Token"]:
    """A verb with its particles and the heart of its first object or complement."""
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "prt") and c.i < verb.i + 3]
    for child in verb.rights:
        if child.dep_ == "dative" and any(c.dep_ == "dobj" for c in verb.rights):
            parts.append(child)  # "give you feedback": the object follows
            continue
        if child.dep_ in ("dobj", "attr", "acomp", "oprd", "xcomp", "dative", "ccomp") or \
                child.dep_ == "npadvmod" and any(g.dep_ == "nummod" for g in child.children):
            core = _core(child, max_words)
            if core is None:
                return []
            parts += core
            break
        if child.dep_ == "prep":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            core = _core(obj, max_words) if obj is not None else None
            if core is not None:
                parts += [child, *core]
            break
    return parts


def clause(verb: "Token", max_words: int = 10) -> list["Token"]:
    """The verb with its subject and the heart of its object or complement, as one run."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None and verb.dep_ in ("xcomp", "pcomp"):
        return []  # its meaning hangs on its head: "unable to have made progress" is not "made progress"
    parts = complement(verb, max_words)
    if not parts:
        return []
    if subject is not None:
        subtree = list(subject.subtree)
        parts += subtree if len(subtree) <= max_words - 2 else noun_phrase(subject, max_words - 2)
    return as_run(parts)


def as_run(parts: Sequence["Token"]) -> list["Token"]:
    """The tokens as one run of their sentence, or [] when words that are not theirs (an
    aside, another clause) stand between them and would garble it."""
    if not parts:
        return []
    start, end = min(t.i for t in parts), max(t.i for t in parts)
    run = list(parts[0].doc[start : end + 1])
    chosen = {t.i for t in parts}
    if any(t.i not in chosen and not t.is_punct and t.pos_ not in ("ADV", "AUX", "PART") for t in run):
        return []
    return run


@dataclass(frozen=True)
class Candidate:
    """A whole phrase and how much it says."""

    tokens: tuple["Token", ...]
    score: float

    @property
    def text(self) -> str:
        """The phrase as written (trailing space dropped)."""
        return "".join(t.text_with_ws for t in self.tokens).strip()


def _loose_runs(token: "Token") -> list[list["Token"]]:
    """Phrases a long narration may show when nothing tighter fits: the noun chunk a noun heads
    ("design styles"), and a relative clause without its relative pronoun ("works both
    in-browser and with nodejs" of "a library that works ...")."""
    runs = []
    if token.pos_ in ("NOUN", "PROPN"):
        # Without a relative determiner: "design styles" of "which design styles they favored".
        runs += [[t for t in c if not (t.tag_ == "WDT" and t.i == c.start)] for c in token.doc.noun_chunks if c.root == token]
    if token.ent_iob_ == "B" and token.ent_type_ in _NAMES:
        # A name of two words or more, as the parse finds it ("Kristina Cors", "Bug 1676296").
        runs += [list(e) for e in token.doc.ents if e.start == token.i and len(e) >= 2]
    if token.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ in ("WDT", "WP") for c in token.children):
        subtree = [t for t in token.subtree if not (t.head == token and t.dep_ in ("nsubj", "nsubjpass"))]
        runs.append(subtree)
    return runs


def _verb_runs(token: "Token", max_words: int) -> list[list["Token"]]:
    """The clause a verb heads, its verb phrase ("work with your team"), and that phrase without
    the auxiliaries before it, which hang on a subject it does not show ("kept as close to your
    code as possible" of "ADRs should be kept ..."): only for a passive, or where the clause
    with its subject is too long to show ("Users will seek relevant information" says more
    than "Seek relevant information")."""
    # Not an xcomp: "unable to have made progress" must not show "Made progress".
    phrase = token.pos_ == "VERB" and token.dep_ in ("conj", "advcl", "relcl", "acl", "ROOT", "ccomp") \
        and not any(c.dep_ == "neg" for c in token.head.children)
    heads_clause = token.pos_ in ("VERB", "AUX") and token.dep_ in _CLAUSE_DEPS
    if not (phrase or heads_clause):
        return []
    whole = clause(token, max_words)
    runs = [whole] if heads_clause else []
    if phrase:
        parts = complement(token, max_words)
        runs.append(as_run(parts))
        trimmed = _trim(whole)
        if any(c.dep_ == "auxpass" for c in token.children) or not (trimmed and is_whole(trimmed)):
            runs.append(as_run([t for t in parts if not (t.dep_ in ("aux", "auxpass") and t.i < token.i)]))
    return runs


def candidates(span: "Span | Doc", idf: dict[str, float] | None = None, max_words: int = 8,
               loose: bool = False, lenient: bool = False) -> list[Candidate]:
    """Every whole phrase of at most ``max_words`` inside ``span``, best first; with ``loose``
    the plainer ones too (``_loose_runs``)."""
    lo, hi = span[0].i, span[-1].i
    found: dict[tuple[int, int], Candidate] = {}
    for token in span:
        runs = _loose_runs(token) if loose else []
        runs += _verb_runs(token, max_words)
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in _NOUN_DEPS:
            runs.append(noun_phrase(token, max_words))
        for run in runs:
            run = _trim(run)
            if not run or run[0].i < lo or run[-1].i > hi or _words(run) > max_words or not is_whole(run, lenient=lenient) \
                    or not says_something(run):
                continue
            found[(run[0].i, run[-1].i)] = Candidate(tuple(run), _score(run, idf or {}))
    return sorted(found.values(), key=lambda c: (-c.score, c.tokens[0].i))


def _score(tokens: Sequence["Token"], idf: dict[str, float]) -> float:
    content = [t for t in tokens if t.pos_ in _CONTENT and not t.is_stop]
    said = sum(idf.get(next(iter(content_words(t.text)), t.lower_), 2.0) for t in content)
    # A phrase of four to seven words reads at a glance; a pronoun says nothing on its own.
    fit = 1.0 if 3 <= _words(tokens) <= 7 else 0.75
    pronoun = 0.5 if tokens[0].pos_ == "PRON" else 1.0
    verb = 1.1 if any(t.pos_ == "VERB" for t in tokens) else 1.0
    return said * fit * pronoun * verb / math.sqrt(max(1, _words(tokens)))


def headline(spans: Iterable["Span | Doc"], idf: dict[str, float] | None = None, max_words: int = 6,
             avoid: Sequence[str] = ()) -> str:
    """The best whole phrase across ``spans`` (each a sentence), capitalised, that is not one of
    ``avoid`` (headlines already used); '' if none."""
    best: Candidate | None = None
    used = {a.lower() for a in avoid}
    for span in spans:
        for found in [c for c in candidates(span, idf, max_words) if c.text.lower() not in used][:1]:
            if best is None or found.score > best.score:
                best = found
    if best is None:
        return ""
    text = best.text
    return text[:1].upper() + text[1:]


def any_headline(spans: Sequence["Span | Doc"], idf: dict[str, float] | None = None, avoid: Sequence[str] = (),
                 lenient: bool = False) -> str:
    """A headline of up to six words, else eight, else a sentence of eight words or fewer whole, else the
    sentences' first whole noun phrase of two words or more ('' when they have none)."""
    found = headline(spans, idf, avoid=avoid) or headline(spans, idf, max_words=8, avoid=avoid)
    if found:
        return found
    for span in spans:
        tokens = list(span)
        while tokens and tokens[-1].is_punct:
            tokens = tokens[:-1]  # the sentence whole: "If this sounds like you" is not "this sounds like you"
        text = "".join(t.text_with_ws for t in tokens).strip()
        # Eight words as written ("you're" is one), what the plan checks allow on screen.
        if tokens and len(text.split()) <= 8 and says_something(tokens) and not any(t.is_quote for t in tokens):
            return text[:1].upper() + text[1:]
    for span in spans:
        for chunk in span.noun_chunks:
            tokens = _trim(list(chunk))
            if tokens and is_whole(tokens) and says_something(tokens):
                text = "".join(t.text_with_ws for t in tokens).strip()
                return text[:1].upper() + text[1:]
    # The plainer phrases a beat may use (a noun chunk without "which", a relative clause's verb phrase).
    for span in spans:
        for found in candidates(span, idf, 8, loose=True)[:1]:
            return found.text[:1].upper() + found.text[1:]
    # A name of two words or more: who or what the sentence is about, whatever it says of them.
    names = [e for span in spans for e in span.ents if e.label_ in _NAMES and len(e) >= 2 and len(e) <= 6]
    if names:
        text = max(names, key=len).text
        return text[:1].upper() + text[1:]
    # Last, with ``lenient``, for a sentence that must be told: a phrase that may leave out its
    # context, but nothing that qualifies it.
    for span in spans if lenient else []:
        for found in candidates(span, idf, 8, loose=True, lenient=True)[:1]:
            return found.text[:1].upper() + found.text[1:]
    return ""



def boundaries(doc: "Doc", fine: bool = False) -> list[int]:
    """Token indexes where a clause starts (with the comma or conjunction before it kept on the
    clause before); with ``fine``, where any phrase hanging off a verb or noun starts too (a
    long clause with no clause inside it)."""
    cuts: set[int] = set()
    if fine:
        for token in doc:
            if token.dep_ in ("prep", "dobj", "acl", "relcl", "advcl", "xcomp", "agent", "dative", "appos", "nsubj", "nsubjpass") and token.i > 2:
                start = min(t.i for t in token.subtree)
                while start < len(doc) and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
                    start += 1
                if 2 < start < len(doc) - 2:
                    cuts.add(start)
            # "..., will close to traffic": where the verb group starts after a long subject.
            if token.dep_ in ("aux", "auxpass") and token.i > 2 and token.i < token.head.i and token.head.dep_ in ("ROOT", "ccomp", "conj"):
                if not any(t.dep_ in ("aux", "auxpass") and t.i < token.i for t in token.head.children):
                    cuts.add(token.i)
    for token in doc:
        if token.dep_ in ("conj", "advcl", "ccomp", "relcl", "parataxis") and token.pos_ in ("VERB", "AUX"):
            start = min(t.i for t in token.subtree)
            # The conjunction or punctuation that joins the clause stays with what came before.
            while start < len(doc) and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
                start += 1
            if 0 < start < len(doc) - 1:
                cuts.add(start)
        elif token.dep_ == "prep" and token.head.dep_ == "ROOT" and token.i > token.head.i and token.i > 2:
            cuts.add(token.i)
    return sorted(cuts)
