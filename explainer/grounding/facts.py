"""Facts a narrated sentence states: numbers, names and dates, normalised for comparison."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*")
# Capitalised words that are not names.
_NOT_NAMES = frozenset(
    """The A An This That These Those It Its He She They We I You His Her Their Our Your In On At For By With
    From To Of And But Or If When While After Before Since During Under Over About As So Yet Also Then Now
    Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)


def numbers(text: str) -> set[str]:
    """Numbers in a text as plain digit strings ("21,000" → "21000", "six" → "6")."""
    found = {m.group(0).replace(",", "").rstrip(".") for m in _DIGITS.finditer(text)}
    found |= {str(_NUMBER_WORDS[w.lower()]) for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return {n[:-2] if n.endswith(".0") else n for n in found}


def names(text: str) -> set[str]:
    """Capitalised words past the start of a sentence: names, places, months, organisations."""
    out: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        for word in match.group(0).split():
            if word not in _NOT_NAMES:
                out.add(word)
    return out


def missing_facts(claim: str, support: str) -> list[str]:
    """The numbers and names of ``claim`` that ``support`` does not contain."""
    problems = [f"the figure {n}" for n in sorted(numbers(claim) - numbers(support))]
    support_words = set(_WORD.findall(support))
    problems += [f"the name {n}" for n in sorted(names(claim)) if n not in support_words]
    return problems
