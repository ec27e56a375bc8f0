"""Facts a narrated sentence states: numbers, names and dates, normalised for comparison.

Real prose writes the same fact many ways, and a check that flags them cries wolf: "six" is 6,
"$18.6 million" is 18,600,000, "18%" is "18 percent", "Patel's" names Patel, "Jean-Luc" is one
name, "U.S." is "US", and a word at the start of a sentence (or of a quote in it) is capitalised
because of where it stands, not because it is a name. Names the title states count as support.
"""

from __future__ import annotations

import re

_UNITS = {
    # "one" is left out: "one of", "one day" are rarely a figure.
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12,
           "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "tn": 10**12}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(hundred|thousand|million|billion|trillion)\b|(k|m|mn|bn|tn)\b)?",
    re.IGNORECASE,
)
_NUMBER_WORDS = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:[-\s]({'|'.join(k for k in _UNITS if _UNITS[k] < 10)}|one))?|({'|'.join(_UNITS)}))"
    r"(?:\s(hundred|thousand|million|billion|trillion))?\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\-]*")
#: A capitalised word, or a run of them; all-capital acronyms (NASA, EU) too.
_CAPITALISED = re.compile(r"\b(?:[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+|[A-Z]{2,})(?:\s(?:[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]+|[A-Z]{2,}))*\b")
#: Where a sentence (or a quote, or a clause after a colon) starts: capitals there are not names.
_START = re.compile(r"(?:^|[.!?:;]\s+|\u2014\s*)[\"'\u201c\u2018(\[]*\s*$")
# Capitalised words that are not names.
_NOT_NAMES = frozenset(
    """The A An This That These Those It Its He She They We I You His Her Their Our Your In On At For By With
    From To Of And But Or If When While After Before Since During Under Over About As So Yet Also Then Now
    Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mr Mrs Ms Dr Prof Sir
    Madam Mx St Rev Gen Sen Rep Gov Lt Sgt Capt Col OK TV AM PM""".split()
)


def _plain(text: str) -> str:
    """Curly quotes straight, dotted abbreviations closed up ("U.S." -> "US")."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\b((?:[A-Z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)


def _canonical(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def numbers(text: str, mantissas: bool = False) -> set[str]:
    """Numbers in a text, as values ("21,000" -> "21000", "six" -> "6", "$1.5 million" ->
    "1500000"); with ``mantissas``, a scaled figure also counts as its mantissa ("1.5"), so a
    claim that writes the figure out in full or in short is supported either way."""
    found: set[str] = set()
    for match in _NUMBER.finditer(_plain(text)):
        whole, fraction, scale, short = match.groups()
        value = float(whole.replace(",", "") + (fraction or ""))
        factor = _SCALES.get((scale or short or "").lower(), 1)
        found.add(_canonical(value * factor))
        if factor != 1 and mantissas:
            found.add(_canonical(value))
    for match in _NUMBER_WORDS.finditer(text):
        tens, unit, single, scale = match.groups()
        value = (_TENS[tens.lower()] + (_UNITS.get(unit.lower(), 1) if unit else 0)) if tens else _UNITS[single.lower()]
        found.add(_canonical(value * (_SCALES[scale.lower()] if scale else 1)))
    return found


def number_value(text: str) -> float | None:
    """The value of the one figure a short text writes ("$4.2 million" -> 4200000.0, "42%" ->
    42.0), or None when it writes none or several."""
    found = numbers(text)
    return float(next(iter(found))) if len(found) == 1 else None


def names(text: str) -> set[str]:
    """Capitalised words not at the start of a sentence, quote or clause: names, places,
    organisations, acronyms."""
    text = _plain(text)
    out: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        if _START.search(text[: match.start()]):
            words = words[1:]  # the first word is capitalised by position
        out.update(w for w in words if w not in _NOT_NAMES)
    return out


def _vocabulary(text: str) -> set[str]:
    """Every word of a text, lower-cased, with possessives and hyphenated parts as words too."""
    words: set[str] = set()
    for raw in _WORD.findall(_plain(text)):
        word = raw.lower().strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        words.add(word.rstrip("'"))
        # "Jean-Luc", "D'Alema", "l'Assemblée": each part is a word too.
        words.update(part for part in re.split(r"[-']", word) if part)
    return words


def missing_facts(claim: str, support: str, title: str = "") -> list[str]:
    """The numbers and names of ``claim`` that neither ``support`` nor the ``title`` contains."""
    backing = f"{support} {title}"
    problems = [f"the figure {n}" for n in sorted(numbers(claim) - numbers(backing, mantissas=True))]
    vocabulary = _vocabulary(backing)
    problems += [f"the name {n}" for n in sorted(names(claim)) if n.lower().removesuffix("'s") not in vocabulary]
    return problems
