"""A labelled set of (claim, source, supported?) pairs and the precision and recall of grounding.

Two kinds of pairs:

- hand-labelled pairs (``data/grounding_pairs.yaml``): the ways real prose trips a fact check
  (capitalised sentence starts, title words, possessives, hyphenations, curly quotes, numbers
  as words, currencies, percentages, abbreviations) and real unsupported names and numbers;
- pairs derived from any article's own sentences by fixed rewrites: the same fact written
  another way (supported) or one figure or name changed (not supported). Over a corpus of
  real pages this measures the check on real prose.

"Positive" means flagged as unsupported: precision is the share of flags that are right,
recall the share of unsupported claims that are flagged.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from explainer.grounding import Grounder
from explainer.grounding.facts import names
from explainer.planning.extractive import skip_reason
from explainer.shotlist import Source

PAIRS = Path(__file__).parent / "data" / "grounding_pairs.yaml"
_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
_INVENTED_NAMES = ("Hendricks", "Okonkwo", "Vasquez", "Lindqvist", "Abernathy")


@dataclass(frozen=True)
class Pair:
    """One labelled claim about a source."""

    claim: str
    supported: bool
    kind: str


@dataclass
class Score:
    """Confusion counts, with the flag (unsupported) as the positive class."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, flagged: bool, supported: bool) -> None:
        if flagged and not supported:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif not supported:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def hand_labelled() -> list[tuple[str, list[Pair]]]:
    """(source text, pairs) from the YAML file."""
    data = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    return [(item["source"], [Pair(p["claim"], p["supported"], p.get("kind", "hand")) for p in item["pairs"]]) for item in data]


def _reworded(sentence: str) -> str | None:
    """The same fact written another way, or None when no rewrite applies."""
    out = sentence
    out = re.sub(r"(\d+(?:\.\d+)?) percent\b", r"\1%", out)
    out = re.sub(r"(?<![\d.,:$\u00a3\u20ac])\b(\d{1,2})\b(?![.,:]\d|%)", lambda m: _WORDS.get(int(m.group(1)), m.group(1)), out, count=1)
    out = out.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if out == sentence:
        first = sentence.split()[0]
        if first in ("The", "A", "An", "In", "On", "At", "For", "By", "After", "During"):
            out = "According to the article, " + sentence[0].lower() + sentence[1:]
    return out if out != sentence else None


def _changed_number(sentence: str, rng: random.Random) -> str | None:
    numbers = [m for m in re.finditer(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?", sentence)]
    if not numbers:
        return None
    m = rng.choice(numbers)
    value = m.group(0).replace(",", "")
    new = str(int(float(value) * 3 + 7)) if "." not in value else f"{float(value) * 3 + 7:.1f}"
    return sentence[: m.start()] + new + sentence[m.end():]


def _changed_name(sentence: str, source: Source, rng: random.Random) -> str | None:
    found = sorted(n for n in names(sentence) if len(n) > 3 and n.isalpha() and n[0].isupper() and not n.isupper())
    if not found:
        return None
    name = rng.choice(found)
    invented = next(n for n in _INVENTED_NAMES if n not in source.text)
    return re.sub(rf"\b{re.escape(name)}\b", invented, sentence, count=1)


def derived(source: Source, limit: int = 12, seed: int = 0) -> list[Pair]:
    """Labelled pairs derived from a source's own running prose (see the module docstring)."""
    rng = random.Random(seed)
    prose = [s for sid, s in source.sentences.items() if sid not in source.roles and skip_reason(s) is None]
    midsentence = {w for text in source.sentences.values() for w in names(text)}
    pairs: list[Pair] = []
    for a, b in zip(prose, prose[1:]):
        if len(pairs) >= limit * 4:
            break
        reworded = _reworded(a)
        if reworded:
            pairs.append(Pair(reworded, True, "reworded"))
        if len(a.split()) + len(b.split()) < 45:
            first = b.split()[0]
            # Lower-case the second sentence's first word unless the article writes it as a name.
            joined_b = b if first in midsentence else b[0].lower() + b[1:]
            pairs.append(Pair(a.rstrip(".") + ", and " + joined_b, True, "joined"))
        number = _changed_number(a, rng)
        if number:
            pairs.append(Pair(number, False, "changed figure"))
        name = _changed_name(a, source, rng)
        if name:
            pairs.append(Pair(name, False, "changed name"))
    return pairs


def score(source: Source, pairs: list[Pair], embedder=None, scores: dict[str, Score] | None = None) -> Score:
    """Check every claim against the source; count per kind into ``scores`` too."""
    grounder = Grounder(source, embedder)
    total = Score()
    for pair in pairs:
        flagged = not grounder.check_sentence(pair.claim).supported
        total.add(flagged, pair.supported)
        if scores is not None:
            scores.setdefault(pair.kind, Score()).add(flagged, pair.supported)
    return total
