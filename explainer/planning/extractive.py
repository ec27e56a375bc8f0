"""The built-in planner: the article's own sentences that carry the story, in article order.

No model is involved, so every narrated word is the source's and every shot's
``source_refs`` is exact. What is narrated is what an editor would keep:

- news opens with the lede (the first sentence of running prose that can stand alone);
- sentences are ranked by TextRank centrality, a lead-position prior, and the facts they
  carry (figures, names, dates, quotes with a speaker, causes and consequences);
- filler (``filler.py``), questions to the reader, list items and block-quote furniture are
  never narrated;
- a sentence that leans on the one before it ("However, ...", "He said ...") is narrated only
  together with that sentence, in the same shot, or not at all.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, replace
from typing import Callable

from .. import __version__
from ..errors import PlanError
from ..grounding.facts import names, numbers
from ..shotlist import PlannerInfo, Shot, ShotList, Source
from .base import PlanSettings
from .figures import on_screen_text, visual_prompt
from .checks import line_key, natural_language_problem
from .filler import filler_reason
from .textrank import document_idf, textrank
from .phrases import any_headline
from .sections import MAX_SECTIONS, is_sectioned, section_of
from .speech import spoken_words
from ..parsing import Parse, parse_source

#: Sentences ranked at most: a 5 MB source has ~50,000 and the lead prior makes the tail moot.
MAX_CANDIDATES = 400
MIN_WORDS = 5
MAX_WORDS = 60
#: Two sentences share a shot only when together they stay under this many words.
MAX_WORDS_PER_SHOT = 22
CENTRALITY_WEIGHT = 0.45
LEAD_WEIGHT = 0.25
FACT_WEIGHT = 0.30
#: How far back a leaning sentence may reach for what it leans on.
MAX_CHAIN = 2
#: How far below a section's best score a shorter sentence may be and still tell the section.
HEAD_MARGIN = 0.3
SHORTEST_AMONG = 3
"""When no sentence fits the target, the shortest of this many best is narrated."""

# A sentence opening with one of these leans on the one before it.
_DANGLING = re.compile(
    r"^[\"\u201c\u2018']?(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|Such|Both|"
    r"However|But|And|Or|So|Yet|Still|Also|Meanwhile|Moreover|Furthermore|Instead|Otherwise|"
    r"Nevertheless|Nonetheless|Therefore|Thus|Hence|Then|Later|Likewise|Similarly|Indeed|"
    r"In addition|As a result|For example|For instance|In contrast|On the other hand|At the same time|"
    r"The (?:move|decision|change|plan|measure|company|firm|group|agency|report|study|researchers|"
    r"official|spokesman|spokeswoman|spokesperson|former|latter|same))\b"
)
_ENUMERATION = re.compile(r"\bas follows\b|:\s*\d{1,2}\.?$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_ASIDE = re.compile(r"^\(.*\)[.!?]?$")
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)]*$")
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]{12,}[\"\u201d]")
_SPEAKER = re.compile(r"\b(?:said|says|told|added|explained|according to|asked|wrote|argued|warned|noted)\b", re.IGNORECASE)
_CAUSAL = re.compile(
    r"\b(?:because|due to|as a result|led to|leads to|caused|causes|so that|in order to|after|following|"
    r"means that|which means|resulting in|thanks to|driven by)\b",
    re.IGNORECASE,
)


def _is_furniture(text: str) -> bool:
    return len(text.split()) < 4 or filler_reason(text) in ("advertisement", "page furniture", "photo credit", "link list")


def fact_score(text: str) -> float:
    """How much a sentence tells: figures, names, a quote with its speaker, a cause (0..1)."""
    score = 0.0
    score += min(len(numbers(text)), 2) * 0.35
    score += min(len(names(text)), 3) * 0.15
    if _QUOTED.search(text) and _SPEAKER.search(text):
        score += 0.4
    if _CAUSAL.search(text):
        score += 0.25
    return min(score, 1.0)


def skip_reason(text: str) -> str | None:
    """Why a sentence is not narrated on its own merits, or None."""
    words = len(text.split())
    if words < MIN_WORDS:
        return "too short to stand alone"
    if words > MAX_WORDS:
        return "too long for one breath"
    if _QUESTION.search(text) and not _QUOTED.search(text):
        return "a question, not a statement"
    if text.rstrip().endswith(":") or _ENUMERATION.search(text):
        return "introduces a list or quote that is not narrated"
    if _ASIDE.match(text):
        return "an aside in parentheses"
    if not _ENDS_SENTENCE.search(text):
        return "not a finished sentence (a heading or a lead-in)"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
        return "written in capitals (page furniture)"
    return filler_reason(text)


@dataclass(frozen=True)
class _Unit:
    """One sentence, or a leaning sentence with what it leans on: chosen or left out together."""

    sids: tuple[str, ...]
    texts: tuple[str, ...]
    order: int
    score: float
    section: int = 0
    """Which section of a sectioned story it belongs to (``sections.section_of``); 0 otherwise."""

    @property
    def words(self) -> int:
        """Words as spoken (numbers read out), which is what the unit's time depends on."""
        return sum(spoken_words(t) for t in self.texts)


#: Added to the lede's score: a news story starts where it starts, and the lede is told
#: whatever it shows.
LEDE_BONUS = 10.0


class ExtractivePlanner:
    """Extractive planning: narration is the source's own sentences."""

    name = "extractive"
    version = __version__
    #: The source's own sentences are all it can say: a plan shorter or longer than the target
    #: is taken with a warning (``checked.LENGTH_CODES``).
    accepts_length = True

    def plan(self, source: Source, settings: PlanSettings) -> ShotList:
        """Pick, order and group sentences into shots that fill ``settings.length_s``."""
        units = self._units(source, settings)
        if not units:
            raise PlanError(
                f"{source.title}: no sentence of the article can be narrated on its own"
                " (all are lists, questions, captions or too short); give the article's running text"
            )
        idf = document_idf(source)
        parsed = parse_source(source)
        # A sentence with nothing whole to show (every phrase of it negated, hedged or
        # conditional, or cut from what it needs) is passed over for the next best, unless it must
        # be told: a card would otherwise show a fragment or change what the sentence says.
        # (A lesson's sentences are chosen by its objectives, and a process or a definition shows
        # more than a headline.)
        showable = (lambda unit: bool(_headline(parsed, list(unit.sids), idf, lenient=False))) \
            if parsed is not None and settings.kind == "news" else None
        chosen = self._select(units, settings, showable)
        groups = self._group(chosen, settings)
        shots = []
        for number, group in enumerate(groups, start=1):
            texts = [t for unit in group for t in unit.texts]
            narration = " ".join(texts)
            shots.append(
                Shot(
                    id=f"shot-{number:02d}",
                    narration=narration,
                    on_screen_text=_headline(parsed, [sid for unit in group for sid in unit.sids], idf) or on_screen_text(narration, idf, source.title, source.language),
                    visual_prompt=visual_prompt(narration, source.title),
                    source_refs=[sid for unit in group for sid in unit.sids],
                    # Seeds come from the content, not the position, so inserting a shot
                    # does not change the look of the others.
                    seed=zlib.crc32(narration.encode("utf-8")) & 0x7FFFFFFF,
                )
            )
        return ShotList(
            title=source.title,
            kind=settings.kind,
            language=source.language,
            aspect=settings.aspect,
            voice=settings.voice,
            planner=PlannerInfo(name=self.name, version=self.version),
            shots=shots,
            source=source,
            target_s=settings.length_s,
        )

    def _units(self, source: Source, settings: PlanSettings) -> list[_Unit]:
        items = list(source.sentences.items())[:MAX_CANDIDATES]
        usable = narratable(source)
        part: dict[str, int] = {}
        if settings.kind == "news":
            listed = told_by_lists(source, usable)
            if is_sectioned(source, set(usable) | set(listed)):
                part = section_of(source)
                usable = dict(sorted({**usable, **listed}.items(), key=lambda item: int(item[0][1:])))
        if not usable:
            return []
        ids = list(usable)
        central = textrank([usable[sid] for sid in ids])
        central = central / central.max() if central.max() > 0 else central
        position = {sid: i for i, (sid, _) in enumerate(items)}
        scores: dict[str, float] = {}
        for rank, sid in enumerate(ids):
            # A sectioned story's parts each open with their own lead.
            place = sum(1 for other in ids[:rank] if part.get(other) == part.get(sid)) if part else rank
            lead = 1.0 / (1.0 + place / 4.0)
            scores[sid] = CENTRALITY_WEIGHT * central[rank] + LEAD_WEIGHT * lead + FACT_WEIGHT * fact_score(usable[sid])
        units: list[_Unit] = []
        for sid in ids:
            chain = [sid]
            # A leaning sentence brings what it leans on, as long as that is narratable too.
            while _DANGLING.match(usable[chain[0]]) and len(chain) <= MAX_CHAIN:
                before = position[chain[0]] - 1
                # Page furniture left between two sentences ("Advertisement") is looked past.
                while before >= 0 and items[before][0] not in usable and _is_furniture(items[before][1]):
                    before -= 1
                previous = items[before][0] if before >= 0 else None
                if previous is None or previous not in usable:
                    chain = []
                    break
                chain.insert(0, previous)
            if not chain or _DANGLING.match(usable[chain[0]]):
                continue
            score = sum(scores[s] for s in chain) / len(chain)
            units.append(_Unit(tuple(chain), tuple(usable[s] for s in chain), position[chain[0]], score))
        if settings.kind == "news" and units:
            # The lede comes first whatever its rank: it is where a news story starts.
            first = min(units, key=lambda u: u.order)
            units = [u if u is not first else replace(u, score=u.score + LEDE_BONUS) for u in units]
        if part:
            units = [replace(u, section=part.get(u.sids[0], -1)) for u in units]
            units = [u for u in units if u.section >= 0]  # nothing from under "References"
            # An agenda lists at most MAX_SECTIONS parts: the video tells the best of them.
            parts = sorted((g for g in _by_section(units) if g[0].section), key=lambda g: -_head(g).score)
            told = {0} | {g[0].section for g in parts[:MAX_SECTIONS]}
            units = [u for u in units if u.section in told]
        return units

    @staticmethod
    def _seconds(words: int, settings: PlanSettings, sentences: int) -> float:
        return words / settings.words_per_second + settings.sentence_pause_s * sentences

    def _select(self, units: list[_Unit], settings: PlanSettings,
                showable: Callable[[_Unit], bool] | None = None) -> list[_Unit]:
        budget = settings.length_s
        # Each shot adds a lead-in and a breath; expect about 1.5 sentences per shot.
        per_sentence_overhead = settings.shot_pause_s / 1.5
        # Sentences that must be told go first, whatever they cost; the rest fill what is left.
        required = set(settings.must_include)
        # A sectioned story visits every part: each section's best sentence comes before the
        # rest (the shortest of those near the best, so more parts fit), best sections first.
        heads = {_head(group) for group in _by_section(units)}
        ranked = sorted(units, key=lambda u: (not required & set(u.sids), u not in heads, -u.score, u.order))
        chosen: list[_Unit] = []
        taken: set[str] = set()
        used = 0.0
        limit = settings.max_shots * 2
        for unit in ranked:
            if taken & set(unit.sids):
                continue  # a chain overlapping one already chosen would say a sentence twice
            cost = self._seconds(unit.words, settings, len(unit.sids)) + per_sentence_overhead * len(unit.sids)
            fits = used + cost <= budget * 1.05 and len(taken) + len(unit.sids) <= limit
            if required & set(unit.sids) or fits and (showable is None or unit.score >= LEDE_BONUS or showable(unit)):
                chosen.append(unit)
                taken |= set(unit.sids)
                used += cost
        if not chosen:
            # Even the best sentence is longer than the target: narrate the shortest of the
            # few best alone, as near the target as the source allows.
            chosen = [min(ranked[:SHORTEST_AMONG], key=lambda u: (u.words, -u.score))]
        return sorted(chosen, key=lambda u: u.order)

    def _group(self, chosen: list[_Unit], settings: PlanSettings) -> list[list[_Unit]]:
        groups: list[list[_Unit]] = []
        for unit in chosen:
            last = groups[-1] if groups else None
            # Neighbouring single sentences share a shot when short enough; a chain is one shot.
            adjacent = (
                last is not None and len(last) == 1 and len(last[0].sids) == 1 and len(unit.sids) == 1
                and unit.order == last[0].order + 1
            )
            if adjacent and last[0].section == unit.section and last[0].words + unit.words <= MAX_WORDS_PER_SHOT:
                last.append(unit)
            else:
                groups.append([unit])
        # Over the shot limit: join neighbouring shots, shortest joins first.
        while len(groups) > settings.max_shots:
            # Within a section first: a shot that spans two would hide where the second starts.
            pairs = [
                (groups[i][-1].section != groups[i + 1][0].section, sum(u.words for u in groups[i] + groups[i + 1]), i)
                for i in range(len(groups) - 1)
            ]
            *_, i = min(pairs)
            groups[i : i + 2] = [groups[i] + groups[i + 1]]
        return groups


def told_by_lists(source: Source, usable: dict[str, str]) -> dict[str, str]:
    """For each section with no prose to narrate, its first list item that reads as a
    sentence ("You spend two years collecting user stories"), with a full stop: a section told
    in bullet points is still visited."""
    part = section_of(source)
    with_prose = {number for sid, number in part.items() if sid in usable}
    found: dict[str, str] = {}
    for sid, number in part.items():
        if int(sid[1:]) > MAX_CANDIDATES or number in with_prose or number == 0 or source.roles.get(sid) != "list" or sid in source.injections:
            continue
        text = source.sentences[sid].rstrip(" ;,")
        text = text if _ENDS_SENTENCE.search(text) else text + "."
        if len(text.split()) >= 6 and text[:1].isupper() and skip_reason(text) is None and not natural_language_problem(text):
            found[sid] = text
            with_prose.add(number)
    return found


def _head(section: list[_Unit]) -> _Unit:
    """The unit that tells a section: the shortest of those scoring near its best."""
    best = max(unit.score for unit in section)
    return min((u for u in section if u.score >= best - HEAD_MARGIN), key=lambda u: (u.words, u.order))


def _by_section(units: list[_Unit]) -> list[list[_Unit]]:
    groups: dict[int, list[_Unit]] = {}
    for unit in units:
        groups.setdefault(unit.section, []).append(unit)
    return list(groups.values())


def _headline(parsed: Parse | None, refs: list[str], idf: dict[str, float], lenient: bool = True) -> str:
    """A whole phrase of the shot's sentences ('' without a parser for the language; with
    ``lenient``, one that may leave out context for a sentence that must be told)."""
    if parsed is None:
        return ""
    return any_headline([d for d in (parsed.doc(r) for r in refs) if d is not None], idf, lenient=lenient)


def narratable(source: Source) -> dict[str, str]:
    """The sentences the planner may narrate, by id: running prose only (list items and block
    quotes are left to the graphics), no injected instructions, no filler or fragments, nothing
    the plan checks would refuse (markup, a sentence said before): the plan passes its own
    checks by construction."""
    items = list(source.sentences.items())[:MAX_CANDIDATES]
    said: set[str] = set()
    usable: dict[str, str] = {}
    for sid, text in items:
        if sid in source.injections or source.roles.get(sid) is not None or skip_reason(text) is not None:
            continue
        if natural_language_problem(text):
            continue
        key = line_key(text)
        if key in said:
            continue  # a page that repeats a paragraph (a teaser, a pull quote) says it once
        said.add(key)
        usable[sid] = text
    return usable


__all__ = ["ExtractivePlanner", "fact_score", "skip_reason"]
