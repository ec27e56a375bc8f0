"""Recall questions about one narrated sentence: a fill-in-the-blank (a key term, a number or
a word its objective names blanked, with wrong options of the answer's own kind) or the
sentence made false by changing its number."""

from __future__ import annotations

import random
import re
from typing import Sequence

from .wording import FRACTION, Kinds


# Small counts are written out in running text ("raises two bulges"); "one" is left out because
# it is as often a pronoun ("one of the reservoirs") as a number.
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "two three four five six seven eight nine ten eleven twelve".split(), start=2)}
_WORD_FOR = {n: w for w, n in _NUMBER_WORDS.items()}
_NUMBER = re.compile(rf"\b(?:\d[\d,]*(?:\.\d+)?|{'|'.join(_NUMBER_WORDS)})\b", re.IGNORECASE)


def _value(number: str) -> float:
    """The value of a number as written: "1,200" → 1200, "Three" → 3."""
    return float(_NUMBER_WORDS.get(number.lower(), 0) or number.replace(",", ""))
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]{3,}")


def _blank_candidates(sentence: str, key_terms: Sequence[str], named: Sequence[str] = ()) -> list[str]:
    """What may be blanked in a sentence: its key terms, its numbers (not a count of
    fractions: "two thirds"), and the words its objective names ("drives" is no blank)."""
    lowered = sentence.lower()
    terms = [t for t in key_terms if t and t.lower() in lowered]
    numbers = [m.group(0) for m in _NUMBER.finditer(sentence) if not FRACTION.match(sentence[m.end():])]
    return terms + numbers + [w for w in named if _says(sentence, w)]


_PERCENT_AFTER = re.compile(r"^\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:1[0-9]{3}|20[0-9]{2})$")


def number_kind(sentence: str, number: str) -> str:
    """What a number in a sentence is: a ``percent``, a ``year`` or a ``count``; wrong
    answers must be of the same kind and in its range."""
    at = sentence.find(number)
    if at >= 0 and _PERCENT_AFTER.match(sentence[at + len(number):]):
        return "percent"
    return "year" if _YEARLIKE.match(number) else "count"


def numeric_distractors(answer: str, kind: str, others: Sequence[float], rng: random.Random, n: int = 3) -> list[str]:
    """``n`` wrong values of the answer's kind: other numbers of that kind from the lesson
    first, then near values; a percentage stays within 0-100, a year within ten of the right
    one, a count above zero and whole when the answer is."""
    value = _value(answer)
    spelled = answer.lower() in _NUMBER_WORDS
    whole = "." not in answer
    if kind == "year":
        near = [value + d for d in (-10, -5, -3, -2, -1, 1, 2, 3, 5, 10)]
        pool = [v for v in others if abs(v - value) <= 10]
    elif kind == "percent":
        near = [value + d for d in (-30, -20, -10, -5, 5, 10, 20, 30)] + [value / 2, 100 - value]
        pool = list(others)
    else:
        near = [value * 2, value / 2, value * 1.5, value + 10, value * 3, value * 0.75, value + 1, value - 1, value + 2]
        pool = list(others)

    def valid(v: float) -> bool:
        if v == value or v <= 0 or (kind == "percent" and v >= 100) or (spelled and v not in _WORD_FOR):
            return False
        return not whole or float(v).is_integer()

    rng.shuffle(near)
    picked: list[float] = []
    for v in [*pool, *near]:
        if valid(v) and v not in picked:
            picked.append(v)
    if spelled:  # a spelled-out answer gets spelled-out options, in the answer's case
        fmt = lambda v: _WORD_FOR[int(v)].capitalize() if answer[0].isupper() else _WORD_FOR[int(v)]  # noqa: E731
    else:
        fmt = (lambda v: f"{v:,.0f}") if "," in answer else (lambda v: f"{v:g}")
    return [fmt(v) for v in picked[:n]]


def _lesson_numbers(sentences: Sequence[str]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"percent": [], "year": [], "count": []}
    for sentence in sentences:
        for number in _NUMBER.findall(sentence):
            found[number_kind(sentence, number)].append(_value(number))
    return found


def _distractors(answer: str, sentence: str, terms: Sequence[str], words: Sequence[str], numbers: dict[str, list[float]],
                 rng: random.Random, kinds: Kinds | None = None) -> list[str]:
    """Up to three wrong options of the answer's own kind: for a number, other numbers of its
    kind and size, never one the sentence already holds ("between 1783 and 1783"); for a term
    or word, whole terms of the course then words of the lesson that the parse reads as the
    same kind (a person for a person, a plural noun for a plural noun)."""
    if _NUMBER.fullmatch(answer):
        kind = number_kind(sentence, answer)
        stated = {_value(n) for n in _NUMBER.findall(sentence)}
        return [v for v in numeric_distractors(answer, kind, [v for v in numbers[kind] if v not in stated], rng, n=6)
                if _value(v) not in stated][:3]

    def usable(pool: Sequence[str]) -> list[str]:
        # Case-blind: "Tables" and "tables" are one option.
        out = [p for p in {p.lower(): p for p in reversed(pool)}.values() if p.lower() != answer.lower() and not _NUMBER.fullmatch(p)]
        rng.shuffle(out)
        return out

    if kinds is None:
        return usable(terms)[:3]
    picked = kinds.same_kind(answer, sentence, usable(terms))[:3]
    fill = kinds.same_kind(answer, sentence, [w for w in usable(words) if w.lower() not in {p.lower() for p in picked}])
    return (picked + fill)[:3]


def _falsify(sentence: str, terms: Sequence[str], numbers: dict[str, list[float]], rng: random.Random,
             swap_terms: bool = False) -> str | None:
    """The sentence made false by changing its number (or, when ``swap_terms``, by putting
    another key term in place of its own; without a model that knows what kind of thing each
    term is, that mostly gives nonsense an eye spots at once, so the quizzes do not)."""
    number = next((m for m in _NUMBER.finditer(sentence) if not FRACTION.match(sentence[m.end():])), None)
    if number:
        kind = number_kind(sentence, number.group(0))
        stated = {_value(n) for n in _NUMBER.findall(sentence)}
        wrong = [v for v in numeric_distractors(number.group(0), kind, [v for v in numbers[kind] if v not in stated], rng, n=6)
                 if _value(v) not in stated]
        return sentence[: number.start()] + wrong[0] + sentence[number.end():] if wrong else None
    if not swap_terms:
        return None
    lowered = sentence.lower()
    for term in terms:
        # The term as a whole word, or its plural: "computers" is the term "computer".
        found = re.search(rf"\b{re.escape(term)}(s|es)?\b", sentence, flags=re.IGNORECASE) if term else None
        if found:
            others = [p for p in terms if p.lower() != term.lower() and p.lower() not in lowered]
            if others:
                other = rng.choice(others)
                swap = _plural(other) if found.group(1) else other
                return sentence[: found.start()] + swap + sentence[found.end():]
    return None


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + ("es" if re.search(r"(?:s|x|z|ch|sh)$", word) else "s")


def _candidates(sentence: str, terms: Sequence[str], words: Sequence[str], key_terms: Sequence[str],
                numbers: dict[str, list[float]], rng: random.Random, asked: set[str] = frozenset(),
                named: Sequence[str] = (), kinds: Kinds | None = None) -> list[tuple[str, list[str], int, str]]:
    """The questions one sentence could give, best first: a fill-in-the-blank, then the
    sentence made false. Never the sentence itself as "true": that tests recall of wording."""
    found: list[tuple[str, list[str], int, str]] = []
    for answer in dict.fromkeys(_blank_candidates(sentence, key_terms, named)):
        if answer.lower() in asked:
            continue
        # A wrong option that the sentence itself contains would give the answer away.
        wrong = _distractors(answer, sentence, [t for t in terms if not _says(sentence, t)],
                             [w for w in words if not _says(sentence, w)], numbers, rng, kinds)
        prompt = re.sub(rf"\b{re.escape(answer)}\b", "_____", sentence, count=1)
        if len(wrong) >= 2 and prompt != sentence:
            options = [answer, *wrong]
            rng.shuffle(options)
            found.append(("choice", options, options.index(answer), f"Fill in the blank: {prompt}"))
            break
    false = _falsify(sentence, terms, numbers, rng)
    if false and false != sentence:
        found.append(("truefalse", ["True", "False"], 1, f"True or false: {false}"))
    return found


def _says(text: str, answer: str) -> bool:
    """Whether ``text`` holds ``answer`` as whole words (case aside)."""
    return bool(answer.strip()) and re.search(rf"(?<!\w){re.escape(answer.strip())}(?!\w)", text, re.IGNORECASE) is not None
