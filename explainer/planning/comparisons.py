"""Comparisons read from the parse: numbers of one unit about different things, as one chart.

"Prices for beef have risen by 14.0%, pork by 12.1%, and poultry by 6.6%" is three bars
(beef, pork, poultry) under "Rise in prices"; "Coal's share fell to 19%. Gas's share rose to
40%" across a shot's sentences is two. Each reading is a statistic of the parse
(``quantities.is_statistic``) with the label the parse gives it (``quantities.label_for``), its
value as the source writes it and its unit; readings compare when they share a unit and a
direction (all rises, all drops, or all plain amounts) and each names something different.
A conversion in brackets ("(1,189 meters)") is the same number again, not a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..grounding.facts import number_value
from ..shotlist import Chart, ChartPoint
from .phrases import _trim, noun_phrase
from .quantities import _FALL, _RISE, _text, _value, is_statistic, label_for

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Quantities that compare by their unit (a bare count's unit is what it counts: left out).
_COMPARABLE = frozenset({"PERCENT", "MONEY", "QUANTITY"})
_CURRENCY = {"$": "$", "\u00a3": "\u00a3", "\u20ac": "\u20ac", "dollar": "$", "euro": "\u20ac", "pound": "\u00a3"}
_SCALE = frozenset("thousand million billion trillion".split())
MAX_POINTS = 6
MAX_POINT_LABEL_WORDS = 5


@dataclass(frozen=True)
class Reading:
    """One number of the source with what it measures."""

    label: str
    value: float
    shown: str
    unit: str
    direction: str  # "rise", "drop" or "" (an amount or a share)
    title: str = ""  # what the readings of its sentence are, when the parse says ("rise in prices")


def unit_of(entity: "Span") -> str:
    """The unit a quantity is in: "%", a currency sign, or the measure's words ("cubic miles")."""
    if entity.label_ == "PERCENT":
        return "%"
    if entity.label_ == "MONEY":
        for token in entity:
            sign = _CURRENCY.get(token.text) or _CURRENCY.get(token.lemma_.lower())
            if sign:
                return sign
        return ""
    last = max((t.i for t in entity if t.like_num), default=entity.start)
    return " ".join(t.lower_ for t in entity if t.i > last and t.lower_ not in _SCALE and not t.is_punct)


def _in_brackets(entity: "Span") -> bool:
    """Whether a quantity stands inside brackets: a conversion of the number before it."""
    before = entity.doc[entity.sent.start : entity.start].text
    return before.count("(") > before.count(")")


def _gapped_noun(entity: "Span") -> "Token | None":
    """The noun a number belongs to in a gapped list: "pork" of "..., pork by 12.1%"."""
    root = entity.root
    prep = root.head
    if root.dep_ == "pobj" and prep.lower_ in ("by", "to") and prep.head.pos_ in ("NOUN", "PROPN") \
            and prep.head.dep_ in ("npadvmod", "conj", "appos", "dobj"):
        return prep.head
    return None


def _direction(verb: "Token") -> str:
    lemma = verb.lemma_.lower()
    return "drop" if lemma in _FALL else "rise" if lemma in _RISE else ""


def _gapped(doc: "Doc", entities: Sequence["Span"]) -> list[Reading]:
    """A sentence that gaps its verb ("prices for beef have risen by 14.0%, pork by 12.1%"):
    the first reading is labelled by what its subject is for ("beef"), the others by their
    nouns, and all of them are titled by the change ("rise in prices")."""
    gapped = [(e, n) for e in entities if (n := _gapped_noun(e)) is not None]
    if not gapped:
        return []
    verb = gapped[0][1]
    while verb.dep_ in ("npadvmod", "conj", "appos", "dobj") and verb.pos_ != "VERB":
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    kind = _direction(verb)
    first = next((e for e in entities if e.root.head.head == verb and e.root.head.lower_ in ("by", "to")), None)
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ in ("for", "of")), None) if subject is not None else None
    obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if not kind or first is None or obj is None:
        return []
    head = _text(_trim([t for t in noun_phrase(subject, 6) if t.i < of.i]))
    title = f"{kind} in {head}"
    pairs = [(first, obj)] + gapped
    return [Reading(_text(_trim(noun_phrase(noun, MAX_POINT_LABEL_WORDS))), number_value(e.text) or 0.0, _value(e),
                    unit_of(e), kind, title) for e, noun in pairs if number_value(e.text) is not None]


def readings(doc: "Doc") -> list[Reading]:
    """The comparable numbers of a sentence, each with its label, value, unit and direction."""
    entities = [e for e in doc.ents if e.label_ in _COMPARABLE and is_statistic(e) and not _in_brackets(e)]
    gapped = _gapped(doc, entities)
    if gapped:
        return gapped
    out = []
    for entity in entities:
        label, value = label_for(entity), number_value(entity.text)
        if not label or value is None:
            continue
        direction = next((d for d in ("rise", "drop") if label.startswith(f"{d} in ")), "")
        out.append(Reading(label, value, _value(entity), unit_of(entity), direction))
    return out


def _common_tail(labels: Sequence[str]) -> int:
    """How many last words every label shares ("coal's share of power", "gas's share of power": 3)."""
    split = [label.lower().split() for label in labels]
    n = 0
    while all(len(words) > n + 1 for words in split) and len({tuple(words[len(words) - n - 1:]) for words in split}) == 1:
        n += 1
    return n


def _titled(group: list[Reading], fallback: str) -> tuple[str, list[str]]:
    """The chart's title and each bar's own label: the sentence's title, else what each rose or
    fell by, else the words every label ends with ("share of electricity" over "coal", "gas"),
    else ``fallback`` over the whole labels."""
    if group[0].title and all(r.title == group[0].title for r in group):
        return group[0].title, [r.label for r in group]
    kind = group[0].direction
    if kind and all(r.direction == kind and r.label.startswith(f"{kind} in ") for r in group):
        # "drop in coal consumption", "drop in emissions": bars of what fell, by how much.
        return f"how much each {'fell' if kind == 'drop' else 'rose'}", [r.label[len(kind) + 4:] for r in group]
    tail = _common_tail([r.label for r in group])
    if tail:
        words = group[0].label.split()
        title = " ".join(words[len(words) - tail:])
        owners = [" ".join(r.label.split()[: len(r.label.split()) - tail]) for r in group]
        # Only whose share or amount it is ("coal's"): "all fresh" of "all fresh water" is no owner.
        if all(o.endswith(("'s", "\u2019s", "s'", "s\u2019")) for o in owners):
            return title, [o.removesuffix("s").rstrip("'\u2019") if o.endswith(("'s", "\u2019s")) else o.rstrip("'\u2019") for o in owners]
    return fallback, [r.label for r in group]


def comparison_in(docs: Sequence["Doc"], fallback_title: str) -> Chart | None:
    """A bar chart of two or more readings of one unit and direction about different things in
    the sentences, or None."""
    found = [r for doc in docs for r in readings(doc)]
    groups: dict[tuple[str, str], list[Reading]] = {}
    for reading in found:
        if reading.unit:
            groups.setdefault((reading.unit, reading.direction), []).append(reading)
    best = max(groups.values(), key=len, default=[])
    labels = [r.label.lower() for r in best]
    if len(best) < 2 or len(set(labels)) != len(labels) or len(best) > MAX_POINTS:
        return None
    title, own = _titled(best, fallback_title)
    if best[0].unit == "%" and not best[0].direction and title == fallback_title:
        return None  # shares of different wholes ("0.006% of all fresh water", "2.5% of the water") do not compare
    if any(len(label.split()) > MAX_POINT_LABEL_WORDS + 2 for label in own):
        return None  # bars labelled by whole clauses do not read
    points = [ChartPoint(label=label[:1].upper() + label[1:], value=r.value, shown=r.shown) for label, r in zip(own, best)]
    return Chart(type="bar", title=title[:1].upper() + title[1:], unit=best[0].unit, points=points)


__all__ = ["Reading", "comparison_in", "readings", "unit_of"]
