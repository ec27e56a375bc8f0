"""What each shot shows: a kind and its fields, chosen from the shot's own source sentences.

Every value, date, name and quote put on screen is cut from the sentences the shot cites, so
the grounding check can hold it to them. The rules are conservative on purpose: a chart needs
two values of one unit each paired with its own year or name, a quote needs quote marks and a
speaker; when a richer kind cannot be filled honestly the shot falls back to a figure, then to
a text card.
"""

from __future__ import annotations

import re

from ..grounding.facts import number_value
from ..shotlist import Chart, ChartPoint, Figure, Quote, Shot, ShotList, Source, Timeline, TimelineEvent, TitleCard
from .figures import MAX_ON_SCREEN_WORDS, _NOT_LABELS, _label, _names, figures, headline

_AMOUNT = r"\d[\d,]*(?:\.\d+)?(?:\s(?:thousand|million|billion|trillion))?"
_VALUE = re.compile(rf"(?P<cur>[$\u00a3\u20ac])?\s?(?P<num>{_AMOUNT})(?P<range>\s(?:to|-|\u2013)\s[$\u00a3\u20ac]?{_AMOUNT})?\s?(?P<pct>%|percent\b|per cent\b)?")
_FOR_PHRASE = re.compile(r"^\s((?:to|for|on|of)\s(?:a|an|the|each|every|its|their)?\s?[\w\-\u2019']+(?:\s[\w\-\u2019']+){0,3}?)(?=[,.;]|\s(?:and|but|from|between|when|while|after|before|in|at)\b|$)")
_QUALIFIER = re.compile(r"\b(more than|less than|fewer than|about|nearly|almost|over|under|up to|at least|roughly|around|some|every)\s$", re.IGNORECASE)
# "voted 6 to 1 to approve the contract": a tally, labelled by what was voted on.
_VOTE = re.compile(r"\bvoted\s(\d+\s(?:to|-|\u2013)\s\d+)\s(to\s[a-z]+(?:\s(?:the|a|an|its|their)?\s?[\w\-]+){1,2})")
# Units that belong with the number ("8 to 12 minutes"), leaving the label to say what they measure.
_UNITS = re.compile(r"^\s?(?:minutes?|hours?|days?|weeks?|months?|years?|miles?|kilometres?|kilometers?|km|feet|metres?|meters?|tons?|tonnes?|acres?|degrees?|mi|kg|lbs?|ft|mph|km/h|m|cm|mm|sq)\b")
_YEAR = re.compile(r"(?<![\d$.,])\b(1[5-9]\d\d|20\d\d)\b(?![\d%])")
_QUOTE = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{12,}?)[\u201d\"]")
_SAID = re.compile(r"\b(?:said|says|told|added|explained|wrote)\b")
_ROLE_AFTER = re.compile(r"^,\s+((?:the|a|an)\s[^,]{3,60}?|[a-z][^,]{3,60}?),")
_ROLE_NOUNS = (r"(?:director|mayor|chief|spokesperson|spokesman|spokeswoman|president|minister|officer|manager|professor"
               r"|chair|chairman|chairwoman|secretary|governor|senator|editor|founder|CEO|head|captain|commissioner"
               r"|superintendent|principal|coach|researcher|scientist|engineer|analyst|economist|lawyer|judge|clerk|treasurer|auditor|sheriff|inspector"
               r"|administrator|coordinator|owner|teacher|doctor|nurse|councilwoman|councilman|councillor)")
# "Port director Ana Okafor": a role written just before the name.
_ROLE_BEFORE = re.compile(rf"((?:[A-Z]?[a-z]+\s){{0,2}}{_ROLE_NOUNS})\s$", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=[.!?])\s|[;,:()\u2014\u2013]|\band\b|\bbut\b|\bwhile\b|\bthen\b")
# Where one value-and-year pair ends and the next begins: "from 42% in 2019 to 55% in 2023".
_PAIRS = re.compile(r"(?<=[.!?])\s|[;,]|\band\b|\bto\b(?=\s[$\u00a3\u20ac]?\d)")
MAX_POINT_WORDS = 7
MAX_CONTEXT_WORDS = 14
_RATE = re.compile(r"^\s(?:a|per|each)\s(?:year|month|week|day|hour|person|resident|head)\b")
# "reconstruction of the bridge": the label runs on through an "of" phrase.
_OF_PHRASE = re.compile(r"^(?:\s(?:of|for)\s(?:the\s|a\s|its\s|their\s)?[\w\-\u2019']+(?:\s[a-z][\w\-]+)?)?")


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


def quote_of(text: str) -> Quote | None:
    """A direct quote of at least four words with the speaker named beside it."""
    match = _QUOTE.search(text)
    # A fragment ("...said it was 'not to have made progress'") misquotes out of its sentence:
    # only a quote that starts as a sentence starts is shown.
    if not match or len(match.group(1).split()) < 4 or not _SAID.search(text) or not match.group(1)[:1].isupper():
        return None
    rest = text[: match.start()] + " \u2026 " + text[match.end():]
    speakers = [n for n in _names(rest, "") if not n.lower().startswith(("the ", "a "))]
    if not speakers:
        return None
    speaker = speakers[0]
    after = rest[rest.find(speaker) + len(speaker):]
    role = _ROLE_AFTER.match(after)
    before = _ROLE_BEFORE.search(rest[: rest.find(speaker)])
    honorific = re.sub(r"^(?:(?:said|says|told|added|according|to)\s+)+", "", before.group(1), flags=re.IGNORECASE) if before else ""
    # "Public Works Director Angela Ruiz": the role is written into the name.
    titled = re.match(rf"^(.*\b{_ROLE_NOUNS})\s+(\S.*)$", speaker, re.IGNORECASE)
    if titled and len(titled.group(2).split()) >= 2:
        honorific, speaker = titled.group(1), titled.group(2)
    quoted = match.group(1).strip().rstrip(",")
    return Quote(text=quoted, speaker=speaker, role=(role.group(1) if role else honorific).strip())


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
    return _short(lead) or headline(text, max_words=MAX_ON_SCREEN_WORDS)


def figure_of(text: str) -> Figure | None:
    """The most telling figure that comes with a word saying what it counts or measures, and a
    line of context; None when no figure in the text has one (a bare number says nothing)."""
    vote = _VOTE.search(text)
    if vote:
        words = vote.group(2).split()
        while words[-1].lower() in _NOT_LABELS:
            words.pop()  # "to approve the contract with" ends at "contract"
        return Figure(value=vote.group(1), label="vote " + " ".join(words))
    for found in figures(text):
        if _YEAR.fullmatch(found.split()[0]):
            continue  # "1785 was adopted": a year is a date, not a quantity
        if text.find(found) > 0 and text[text.find(found) - 1] in "$\u00a3\u20ac":
            continue  # "1,000 Meta" inside "$1,000 Meta Quest Pro": the price, not a count
        labelled = _label(found)
        match = _VALUE.match(labelled or "")
        if not labelled or not match or not match.group(0).strip():
            continue
        value = match.group(0).strip()
        at = text.find(labelled)
        after = text[at + len(labelled):] if at >= 0 else ""
        # "more than 200" is not "200": the qualifier stays with the number.
        qualifier = _QUALIFIER.search(text[:at]) if at >= 0 else None
        if qualifier:
            value = f"{qualifier.group(1)} {value}"
        rest = labelled[match.end():]
        unit = _UNITS.match(rest)
        if unit:
            value, rest = f"{value} {unit.group(0).strip()}", rest[unit.end():]
        label = _short(rest)
        rate = _RATE.match(after)
        of_phrase = _OF_PHRASE.match(after).group(0)
        if not label:
            # "8 to 12 minutes to a typical commute", "$5.1 million of the repair bill": the
            # phrase after the number says what it is for.
            phrase = _FOR_PHRASE.match(after)
            label, rate, of_phrase = _short(phrase.group(1) if phrase else of_phrase), None, ""
        if not label:
            continue
        label = label + rate.group(0).rstrip() if rate else _short(label + of_phrase)
        # Context: the rest of the clause the figure stands in, when it adds something.
        clause = next((c for c in re.split(r"[;,]\s|\.\s", text) if labelled in c), "")
        context = clause.strip(" .")
        if not 4 <= len(context.split()) <= MAX_CONTEXT_WORDS:
            context = ""
        return Figure(value=value, label=label, context=context)
    return None


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


def design_shot(shot: Shot, source: Source | None, first: bool) -> Shot:
    """The shot with a kind and its fields chosen from its cited sentences (a kind already set
    by a planner or an editor is kept)."""
    if shot.kind != "text" or source is None:
        return shot
    if first and source.kind == "article":
        return shot.model_copy(update={"kind": "title", "title_card": title_card(source)})
    if not source.language.lower().startswith("en"):
        # The rules read English ("said", "more than", "of the"); elsewhere they would label
        # "$5" with "se". Other languages keep the planner's on-screen phrase on a text card.
        return shot
    text = " ".join(source.sentences[r] for r in shot.source_refs if r in source.sentences) or shot.narration
    quote = quote_of(text)
    if quote:
        return shot.model_copy(update={"kind": "quote", "quote": quote, "on_screen_text": quote.speaker})
    chart = chart_of(text, chart_title(text))
    if chart:
        return shot.model_copy(update={"kind": "chart", "chart": chart})
    timeline = timeline_of(text)
    if timeline:
        return shot.model_copy(update={"kind": "timeline", "timeline": timeline})
    points, refs = list_after(shot, source)
    if points:
        return shot.model_copy(update={"kind": "list", "points": points, "source_refs": [*shot.source_refs, *refs]})
    figure = figure_of(text)
    if figure and figures(shot.narration):
        return shot.model_copy(update={"kind": "figure", "figure": figure, "on_screen_text": figure.value})
    return shot


def design(shotlist: ShotList, footage: bool = False) -> ShotList:
    """Every shot of a plan given what it shows; with ``footage`` (a video model is
    configured) a shot left as text gets generated footage under its words instead."""
    shots = [design_shot(shot, shotlist.source, i == 0) for i, shot in enumerate(shotlist.shots)]
    if footage:
        shots = [shot.model_copy(update={"kind": "generated"}) if shot.kind == "text" else shot for shot in shots]
    return shotlist.model_copy(update={"shots": shots})
