"""What each shot shows: a kind and its fields, chosen from the shot's own source sentences.

Every value, date, name and quote put on screen is cut from the sentences the shot cites, so
the grounding check can hold it to them. The rules are conservative on purpose: a chart needs
two values of one unit each paired with its own year or name, a quote needs quote marks and a
speaker; when a richer kind cannot be filled honestly the shot falls back to a figure, then to
a text card.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING, Sequence

from ..grounding.facts import number_value
from ..parsing import parse_source
from ..shotlist import Chart, ChartPoint, Place, Quote, Shot, ShotList, Source, Timeline, TimelineEvent, TitleCard
from .comparisons import comparison_in
from .definitions import definition_in
from .steps import steps_in
from .places import place_in, story_places
from . import checks
from .chronology import with_chronology
from .figures import MAX_ON_SCREEN_WORDS, _NOT_LABELS, headline as _regex_headline
from .phrases import any_headline
from .wholeness import is_whole, says_something
from .quantities import bare_amount, figure_in
from .quotes import quote_in
from .textrank import document_idf

if TYPE_CHECKING:
    from ..parsing import Parse

_AMOUNT = r"\d[\d,]*(?:\.\d+)?(?:\s(?:thousand|million|billion|trillion))?"
_VALUE = re.compile(rf"(?P<cur>[$\u00a3\u20ac])?\s?(?P<num>{_AMOUNT})(?P<range>\s(?:to|-|\u2013)\s[$\u00a3\u20ac]?{_AMOUNT})?\s?(?P<pct>%|percent\b|per cent\b)?")
_YEAR = re.compile(r"(?<![\d$.,])\b(1[5-9]\d\d|20\d\d)\b(?![\d%])")
_CLAUSE = re.compile(r"(?<=[.!?])\s|[;,:()\u2014\u2013]|\band\b|\bbut\b|\bwhile\b|\bthen\b")
# Where one value-and-year pair ends and the next begins: "from 42% in 2019 to 55% in 2023".
_PAIRS = re.compile(r"(?<=[.!?])\s|[;,]|\band\b|\bto\b(?=\s[$\u00a3\u20ac]?\d)")
MAX_POINT_WORDS = 7
#: How far back a quote's speaker may have been named in full ("Stephens said").
QUOTE_LOOKBACK = 40


def _short(text: str, words: int = MAX_ON_SCREEN_WORDS) -> str:
    cut = text.strip(" ,;:.").split()
    while cut and cut[-1].lower().strip(".,;:") in _NOT_LABELS:
        cut.pop()
    while cut and cut[0].lower().strip(".,;:") in _NOT_LABELS:
        cut.pop(0)
    return " ".join(cut[:words]).strip(" ,;:.")


def title_card(source: Source) -> TitleCard:
    """The opening card of a video from ``source``."""
    by = [x for x in (source.publisher, source.author) if x]
    return TitleCard(headline=source.title, source_line=" \u00b7 ".join(by), date=(source.published or "")[:10])


def timeline_of(text: str) -> Timeline | None:
    """Two or more distinct years, each with the words of its own clause as its label."""
    events: list[TimelineEvent] = []
    for clause in _CLAUSE.split(text):
        years = _YEAR.findall(clause)
        if len(years) != 1 or any(e.date == years[0] for e in events):
            continue
        label = _short(_YEAR.sub("", re.sub(r"\b(?:in|since|by|until|from|of)\s+(?=\d{4})", "", clause)))
        if label:
            events.append(TimelineEvent(date=years[0], label=label[:1].upper() + label[1:]))
    if len(events) < 2:
        return None
    return Timeline(events=sorted(events, key=lambda e: e.date)[:5])


def chart_of(text: str, title: str) -> Chart | None:
    """Two or more values of one unit, each paired with its own year or name in its clause."""
    points: list[ChartPoint] = []
    units: set[str] = set()
    for clause in _PAIRS.split(text):
        years = _YEAR.findall(clause)
        values = [m for m in _VALUE.finditer(clause) if not _YEAR.fullmatch(m.group("num"))]
        if len(values) != 1 or len(years) != 1:
            continue
        value = values[0]
        unit = value.group("cur") or ("%" if value.group("pct") else "")
        if not unit:
            continue  # counts of different things are not comparable without a unit
        number = number_value(value.group("num"))
        if number is None:
            continue
        units.add(unit)
        points.append(ChartPoint(label=years[0], value=number, shown=value.group(0).strip()))
    if len(points) < 2 or len(units) != 1 or len({p.label for p in points}) != len(points):
        return None
    points.sort(key=lambda p: p.label)
    return Chart(type="line" if len(points) > 3 else "bar", title=title, unit=units.pop(), points=points)


_CHANGE = re.compile(r"\b(?:rose|fell|grew|dropped|increased|decreased|climbed|jumped|declined|reached|went|was|were|is|are|from|between)\b")


def chart_title(text: str) -> str:
    """What a chart's numbers are: the words before the first of them, up to the verb."""
    first = _VALUE.search(text)
    lead = text[: first.start()] if first else text
    lead = _CHANGE.split(lead)[0]
    return _short(lead) or _regex_headline(text, max_words=MAX_ON_SCREEN_WORDS)


#: How many sentences after a shot's own may complete a comparison.
NEIGHBOURS = 2


def neighbours(shot: Shot, source: Source, cited: set[str]) -> list[str]:
    """The running-prose sentences right after the shot's last, up to ``NEIGHBOURS``, before
    the next heading or a sentence another shot cites."""
    ids = list(source.sentences)
    if not shot.source_refs or shot.source_refs[-1] not in ids:
        return []
    out: list[str] = []
    for sid in ids[ids.index(shot.source_refs[-1]) + 1:][:NEIGHBOURS]:
        if sid in cited or source.roles.get(sid):
            break
        out.append(sid)
    return out


def list_after(shot: Shot, source: Source) -> tuple[list[str], list[str]]:
    """The list items that follow the shot's last sentence in the source (2 to 4), shortened."""
    if not shot.source_refs:
        return [], []
    ids = list(source.sentences)
    at = ids.index(shot.source_refs[-1]) + 1 if shot.source_refs[-1] in ids else len(ids)
    items: list[str] = []
    refs: list[str] = []
    while at < len(ids) and source.roles.get(ids[at]) == "list" and len(items) < 4:
        point = source.sentences[ids[at]].strip(" .;,")
        if len(point.split()) > MAX_POINT_WORDS:
            return [], []  # long items are prose set as a list: cut short they would mislead
        items.append(point)
        refs.append(ids[at])
        at += 1
    return (items, refs) if len(items) >= 2 else ([], [])


def _cited(shot: Shot, source: Source, parsed: "Parse | None") -> list:
    """The parse of the sentences a shot cites; of its narration when it cites none yet (a
    model's plan is linked to its sentences by the grounding check, after design)."""
    if parsed is None:
        return []
    docs = [d for d in (parsed.doc(r) for r in shot.source_refs) if d is not None]
    return docs or parsed.parser.parse([shot.narration])


def design_shot(shot: Shot, source: Source | None, first: bool, parsed: "Parse | None" = None,
                idf: dict[str, float] | None = None, used: Sequence[str] = (), neighbours: Sequence[str] = ()) -> Shot:
    """The shot with a kind and its fields chosen from its cited sentences (a kind already set
    by a planner or an editor is kept), and a whole phrase of them as its headline. A
    comparison may be completed by the ``neighbours`` (sentences after the shot's, cited by no
    other shot)."""
    if source is None:
        return shot
    if shot.kind == "text" and parsed is not None:
        shot = with_headline(shot, _cited(shot, source, parsed), idf, used)
    if shot.kind != "text":
        return shot
    if first and source.kind == "article":
        return shot.model_copy(update={"kind": "title", "title_card": title_card(source)})
    if parsed is None:
        # The rules read the parse; a language without a parser keeps the planner's on-screen
        # phrase on a text card.
        return shot
    text = " ".join(source.sentences[r] for r in shot.source_refs if r in source.sentences) or shot.narration
    for ref in shot.source_refs:
        doc = parsed.doc(ref)
        quote = quote_in(doc, parsed.before(ref, QUOTE_LOOKBACK)) if doc is not None else None
        if quote:
            refs = [*shot.source_refs, *_introducing(quote, source, ref, shot.source_refs)]
            return shot.model_copy(update={"kind": "quote", "quote": quote, "on_screen_text": quote.speaker, "source_refs": refs})
    docs = _cited(shot, source, parsed)  # parsed once, read by every rule below
    richer = _across_sentences(shot, source, parsed, docs, text, neighbours)
    if richer is not None:
        return richer
    timeline = timeline_of(text)
    if timeline:
        return shot.model_copy(update={"kind": "timeline", "timeline": timeline})
    points, refs = list_after(shot, source)
    if points:
        return shot.model_copy(update={"kind": "list", "points": points, "source_refs": [*shot.source_refs, *refs]})
    figure = figure_in(docs)
    # A number an earlier card showed is not a new figure ("3 million river segments" twice,
    # once as "about 3 million").
    if figure and not _shown_before(figure.value, used):
        return shot.model_copy(update={"kind": "figure", "figure": figure, "on_screen_text": figure.value})
    definition = definition_in(docs[0])
    if definition:
        return shot.model_copy(update={"kind": "definition", "definition": definition})
    return shot


def _introducing(quote: Quote, source: Source, ref: str, cited: Sequence[str]) -> list[str]:
    """The earlier sentence that names a quote's speaker as the card does ("Aušrinė Armonaitė,
    Lithuanian Minister of ...") when the cited ones do not ("Armonaitė said"): the card shows
    its words, so the shot cites it."""
    said = " ".join(source.sentences.get(r, "") for r in cited)
    wanted = [w for w in (quote.speaker, quote.role) if w]
    if all(w in said for w in wanted):
        return []
    ids = list(source.sentences)
    earlier = ids[max(0, ids.index(ref) - QUOTE_LOOKBACK) : ids.index(ref)] if ref in ids else []
    return next(([sid] for sid in reversed(earlier) if all(w in source.sentences[sid] for w in wanted)), [])


def _shown_before(value: str, used: Sequence[str]) -> bool:
    """Whether an earlier card showed this amount, hedged or not ("about 3 million" and
    "3 million" are one number to a viewer)."""
    return any(bare_amount(u) == bare_amount(value) for u in used)


def _across_sentences(shot: Shot, source: Source, parsed: "Parse", docs: list, text: str,
                      neighbours: Sequence[str]) -> Shot | None:
    """The shot as a chart or a process, from its own sentences or completed by the next ones
    (which it then cites); None when neither fits."""
    chart = comparison_in(docs, shot.on_screen_text) or chart_of(text, chart_title(text))
    if chart:
        return shot.model_copy(update={"kind": "chart", "chart": chart})
    nearby = [r for r in neighbours if parsed.doc(r) is not None]
    extended = docs + [parsed.doc(r) for r in nearby]
    chart = comparison_in(extended, shot.on_screen_text)
    if chart:
        # The numbers of the next sentences complete the comparison; the shot cites them.
        more = [r for r in nearby if any(p.shown in source.sentences[r] for p in chart.points)]
        return shot.model_copy(update={"kind": "chart", "chart": chart, "source_refs": [*shot.source_refs, *more]})
    process = steps_in(extended)
    if process:
        labels, used_count = process
        more = nearby[: max(0, used_count - len(docs))]
        return shot.model_copy(update={"kind": "process", "steps": labels, "source_refs": [*shot.source_refs, *more]})
    return None


def with_map(shots: list[Shot], source: Source, parsed: "Parse") -> list[Shot]:
    """The shots with one locator map: on the first text shot that names a city the gazetteer
    places (given the story's other places), else the first that names a country; unchanged
    when none does."""
    context = story_places([d for d in (parsed.doc(sid) for sid in parsed.ids) if d is not None])
    chosen: tuple[int, Place] | None = None
    for i, shot in enumerate(shots):
        if shot.kind != "text" or i == 0:
            continue
        place = place_in(_cited(shot, source, parsed), context)
        if place is not None and (chosen is None or place.type == "city"):
            chosen = (i, place)
            if place.type == "city":
                break
    if chosen is None:
        return shots
    at, place = chosen
    shots = list(shots)
    shots[at] = shots[at].model_copy(update={"kind": "map", "place": place})
    return shots


def with_headline(shot: Shot, docs: list, idf: dict[str, float] | None = None, used: Sequence[str] = ()) -> Shot:
    """The shot with a headline that is a whole phrase of its cited sentences and not one an
    earlier shot shows (``used``): the planner's own when it is one, else the best the parse
    finds (kept as it is when there is none)."""
    repeated = shot.on_screen_text.lower() in {u.lower() for u in used}
    # A whole clause can still be too long to read at a glance (the plan checks refuse it).
    long = len(shot.on_screen_text.split()) > checks.MAX_ON_SCREEN_WORDS
    if docs and (repeated or long or not is_whole_phrase(shot.on_screen_text, docs)):
        found = any_headline(docs, idf, avoid=used, lenient=True)
        if found:
            return shot.model_copy(update={"on_screen_text": found})
    return shot


def is_whole_phrase(text: str, docs: list, lenient: bool = False) -> bool:
    # Public: the tests hold every headline of the corpus to it.
    """Whether ``text`` is a run of one of ``docs`` that reads whole (see ``wholeness.is_whole``;
    ``lenient``: whole, if leaving out context its sentence gives)."""
    wanted = text.strip().lower()
    if not wanted:
        return False
    for doc in docs:
        at = doc.text.lower().find(wanted)
        span = doc.char_span(at, at + len(wanted), alignment_mode="strict") if at >= 0 else None
        if span is not None and is_whole(list(span), lenient=lenient) and says_something(list(span)):
            return True
        if wanted == doc.text.strip().lower().rstrip("."):
            return True  # a sentence is whole
    return False


def design(shotlist: ShotList, footage: bool = False) -> ShotList:
    """Every shot of a plan given what it shows; with ``footage`` (a video model is
    configured) a shot left as text gets generated footage under its words instead."""
    source = shotlist.source
    parsed = parse_source(source) if source is not None and source.sentences else None
    idf = document_idf(source) if parsed is not None else None
    shots: list[Shot] = []
    cited = {r for shot in shotlist.shots for r in shot.source_refs}
    for i, shot in enumerate(shotlist.shots):
        near = neighbours(shot, source, cited) if source is not None else []
        shots.append(design_shot(shot, source, i == 0, parsed, idf, [s.on_screen_text for s in shots], near))
    if parsed is not None and not any(shot.kind == "map" for shot in shots):
        shots = with_map(shots, source, parsed)
    if source is not None and not any(shot.kind == "timeline" for shot in shots):
        shots = with_chronology(shots, source)
    if footage:
        shots = [shot.model_copy(update={"kind": "generated"}) if shot.kind == "text" else shot for shot in shots]
    return shotlist.model_copy(update={"shots": shots})
