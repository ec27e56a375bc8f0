"""Questions beyond recall, where the narration allows them: cause and effect, and compare.

- **Cause → effect**, from a narrated sentence that gives a reason ("Ice floats because it is
  less dense than liquid water"; "The air cools as it rises, so the vapour condenses"): the
  effect is shown and the learner picks the reason the video gives, among other whole clauses
  the video says (which are true, but not the reason for that).
- **Compare**, from a sentence that sets two things against each other ("Aerobic respiration
  needs oxygen, whereas fermentation does not"; "Unlike X, Y ..."): true or false with the two
  swapped, which is false, so only a learner who knows which is which gets it right.

Clauses and subjects come from the parse (spaCy's dependencies), never from cutting words at
a fixed place; a sentence the parse does not read cleanly gives no question.
"""

from __future__ import annotations

import random
import re
from typing import Sequence

from explainer.planning.aims import plain_words

from .wording import Kinds

#: At most this many words in a clause shown as an option: longer ones are read, not compared.
MAX_CLAUSE_WORDS = 14
_SO = re.compile(r",\s+(?:and\s+)?(?:so|therefore|thus|as a result,?)\s+", re.IGNORECASE)


def _clean(text: str) -> str:
    """A clause without spaces before punctuation, or a dangling conjunction at its end."""
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).strip(" ,;.")
    return re.sub(r"(?:,?\s+(?:and|but|or|so|then))+$", "", text, flags=re.IGNORECASE).strip(" ,;")


#: A sentence adverb before a comma ("Technically, a program is ..."): not part of the clause.
_LEAD = re.compile(r"^(?:[A-Z][a-z]+ly|However|Therefore|Also|Still|Indeed|Today|Finally|Instead),\s+")
#: "One reason why Python is popular is because ...": the effect is "Python is popular".
_REASON = re.compile(r"^(?:one|the|a|another|the main|a key)\s+(?:main\s+)?reasons?\s+(?:why|that)?\s*(.+?)\s+(?:is|was)$", re.IGNORECASE)


def _as_option(span_text: str, first_token) -> str:
    """A clause as an option after "because": lower case unless it opens with a name."""
    text = _clean(span_text)
    if _LEAD.match(text):
        return _LEAD.sub("", text)
    return text if not text or first_token.pos_ == "PROPN" or first_token.text == "I" else text[0].lower() + text[1:]


def _effect(text: str) -> str:
    """The effect clause, without "One reason why ... is" around it."""
    text = _clean(text)
    reason = _REASON.match(text)
    return reason.group(1) if reason else text


def cause_and_effect(sentence: str, kinds: Kinds) -> tuple[str, str] | None:
    """(effect, cause) of a sentence that gives a reason, as whole clauses (the cause cased
    as an option after "because"); None otherwise."""
    doc = kinds.docs.get(sentence)
    if doc is None:
        return None
    for token in doc:
        if token.lower_ == "because" and token.dep_ == "mark" and token.head.dep_ == "advcl":
            clause = token.head
            cause = _as_option(doc[token.i + 1: clause.right_edge.i + 1].text, doc[token.i + 1])
            if clause.left_edge.i == 0:  # "Because X, Y"
                effect = _effect(doc[clause.right_edge.i + 1:].text)
            else:
                effect = _effect(doc[: clause.left_edge.i].text + " " + doc[clause.right_edge.i + 1:].text)
            dangling = re.search(r"\b(?:is|was|are|were|be|of|to|that)$", effect, re.IGNORECASE)
            return (effect, cause) if _whole(effect, 2) and _whole(cause) and not dangling else None
    match = _SO.search(sentence)
    if match:
        head = doc.char_span(0, match.start(), alignment_mode="contract")
        if head is None or not len(head):
            return None
        cause, effect = _as_option(head.text, head[0]), _effect(sentence[match.end():])
        return (effect, cause) if _whole(effect, 2) and _whole(cause) else None
    return None


def _whole(clause: str, least: int = 3) -> bool:
    words = clause.split()
    return least <= len(words) <= MAX_CLAUSE_WORDS


def clauses(sentence: str, kinds: Kinds) -> list[str]:
    """The main clause of a narrated sentence, whole and cased as an option after "because",
    when it is short enough to be one."""
    doc = kinds.docs.get(sentence)
    if doc is None:
        return []
    root = doc[:].root
    if root.pos_ not in ("VERB", "AUX") or not any(t.dep_ in ("nsubj", "nsubjpass") for t in root.children):
        return []
    # The root's clause without its subordinate clauses and the conjuncts after it.
    cut = [c for c in root.children if c.dep_ in ("advcl", "conj", "ccomp", "parataxis") and c.i > root.i]
    end = min((c.left_edge.i for c in cut), default=len(doc))
    text = _as_option(doc[:end].text, doc[0])
    return [text] if _whole(text) else []


def cause_question(sentence: str, others: Sequence[str], kinds: Kinds, rng: random.Random) -> tuple[str, list[str], int] | None:
    """(prompt, options, answer) asking for the reason the video gives; None without one or
    without two other whole clauses to offer beside it."""
    found = cause_and_effect(sentence, kinds)
    if found is None:
        return None
    effect, cause = found
    pool = []
    about = plain_words(effect)
    for other in others:
        if other == sentence:
            continue
        theirs = cause_and_effect(other, kinds)
        # A clause about the effect's own things might pass for a reason too: not offered.
        pool += [c for c in ([theirs[1]] if theirs else clauses(other, kinds)) if not plain_words(c) & about]
    wrong = [c for c in dict.fromkeys(pool) if c.lower() != cause.lower()]
    rng.shuffle(wrong)
    if len(wrong) < 2:
        return None
    options = [cause, *wrong[:3]]
    rng.shuffle(options)
    return f"Why, as the video explains it? {effect[:1].upper() + effect[1:]} because …", options, options.index(cause)


def swapped_comparison(sentence: str, kinds: Kinds) -> str | None:
    """The sentence with the two things it compares swapped (false by construction), or None
    when it compares nothing or the parse does not find two plain noun phrases to swap."""
    doc = kinds.docs.get(sentence)
    if doc is None:
        return None
    root = doc[:].root
    subject = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    other = None
    for token in doc:
        if token.lower_ in ("whereas", "while") and token.dep_ == "mark" and token.head.dep_ == "advcl" and token.head.head == root \
                and token.i > 0 and doc[token.i - 1].text == ",":
            other = next((t for t in token.head.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        elif token.lower_ == "unlike" and token.dep_ == "prep" and token.head == root:
            other = next((t for t in token.children if t.dep_ == "pobj"), None)
    if subject is None or other is None or subject.pos_ not in ("NOUN", "PROPN") or other.pos_ not in ("NOUN", "PROPN"):
        return None
    a = doc[subject.left_edge.i: subject.i + 1]
    b = doc[other.left_edge.i: other.i + 1]
    if a.text.lower() == b.text.lower() or any(t.pos_ == "PRON" for t in (*a, *b)):
        return None
    first, second = sorted((a, b), key=lambda span: span.start)
    text = (doc[: first.start].text_with_ws + _match_case(second, first) + doc[first.end - 1].whitespace_
            + doc[first.end: second.start].text_with_ws + _match_case(first, second) + doc[second.end - 1].whitespace_
            + doc[second.end:].text)
    return text if text != sentence else None


def _match_case(span, place) -> str:
    """``span``'s text in ``place``'s position: capitalised at the start of the sentence,
    lower case elsewhere unless it is a name."""
    text = span.text
    if place.start == 0:
        return text[:1].upper() + text[1:]
    return text if span[0].pos_ == "PROPN" else text[:1].lower() + text[1:]
