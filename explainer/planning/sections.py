"""Sections: where a sectioned essay or explainer starts each part, and the agenda it shows.

A source's sub-headings are kept as sentences with the role ``heading``. A section is a
heading and the sentences up to the next one; the text before the first heading is the
opening, section 0. A story with at least ``MIN_SECTIONS`` sections that have something to
narrate is *sectioned*: the planner visits each section (``section_of`` tells it where a
sentence belongs), and ``mark_sections`` gives the first shot of each visited section the
agenda (every visited section's heading, the current one highlighted), which the renderer
shows as the section's title card as the narration reaches it. The headings are the source's
own words, shown without their numbering ("3. Why it failed" is part 3 anyway).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..shotlist import Agenda, ShotList, Source
from .filler import filler_reason

#: Fewer sections than this is not a structure worth an agenda.
MIN_SECTIONS = 3
#: Most sections an agenda lists (and a video visits): more would not read on one card.
MAX_SECTIONS = 8

_NUMBERING = re.compile(
    r"^(?:(?:part|chapter|section|step)\s+)?(?:\d{1,2}|[ivx]{1,4}|[a-h])(?:[.):]|\s+[\u2014\u2013-])\s+(?=\S)", re.IGNORECASE
)
# Reference matter has no story to tell, whatever prose sits under it.
_BACK_MATTER = re.compile(
    r"^(?:references?|notes?|footnotes|sources?|see also|external links|further reading|bibliography|"
    r"related(?: \w+)?|comments?|about the authors?|acknowledg(?:e)?ments?|share this|tags?|more about (?:the |this )?\w+|"
    r"citations|works cited|sources and further reading|referencias|v\u00e9ase tambi\u00e9n|enlaces externos|notas|bibliograf\u00eda)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Section:
    """One heading and the sentences under it."""

    heading: str
    """As shown: the source's heading without its numbering."""
    sid: str
    """The heading's own sentence id."""
    members: tuple[str, ...]


def shown_heading(text: str) -> str:
    """A heading as an agenda shows it: its words, without the numbering in front."""
    shown = _NUMBERING.sub("", text.strip()).strip() or text.strip()
    return shown[:-3].rstrip() if shown.endswith("...") else shown.rstrip("\u2026 ")


def _usable(heading: str) -> bool:
    return not _BACK_MATTER.match(heading.rstrip(":")) and filler_reason(heading) is None


def sections(source: Source) -> list[Section]:
    """The source's sections in order (not the opening before the first heading), each with
    the sentences under it; back matter ("References", "See also") is not a section."""
    found: list[Section] = []
    current: list | None = None  # [sid, heading, members] of the open section; None under back matter
    for sid, text in source.sentences.items():
        if source.roles.get(sid) == "heading":
            if current is not None:
                found.append(Section(current[1], current[0], tuple(current[2])))
            shown = shown_heading(text)
            current = [sid, shown, []] if _usable(shown) else None
        elif current is not None:
            current[2].append(sid)
    if current is not None:
        found.append(Section(current[1], current[0], tuple(current[2])))
    return found


def section_of(source: Source) -> dict[str, int]:
    """Each sentence's section number: 1 for the first section, 0 for the opening before the
    first heading; sentences under back matter are left out."""
    number: dict[str, int] = {}
    first = next((sid for sid in source.sentences if source.roles.get(sid) == "heading"), None)
    for sid in source.sentences:
        if first is None or int(sid[1:]) < int(first[1:]):
            number[sid] = 0
    for index, section in enumerate(sections(source), start=1):
        number.update({sid: index for sid in section.members})
    return number


def is_sectioned(source: Source, narratable: set[str]) -> bool:
    """Whether enough sections have something to narrate for the story to be told by its parts."""
    return sum(1 for s in sections(source) if narratable & set(s.members)) >= MIN_SECTIONS


def mark_sections(shotlist: ShotList) -> ShotList:
    """The first shot of each section the video visits opens with the agenda, that section
    current; a story with fewer than ``MIN_SECTIONS`` visited sections gets none. A shot
    whose agenda an editor set is left as it is."""
    source = shotlist.source
    if source is None or any(shot.agenda for shot in shotlist.shots):
        return shotlist
    parts = sections(source)
    number = {sid: i for i, part in enumerate(parts, start=1) for sid in part.members}
    opens: dict[int, int] = {}  # section number -> index of the shot that reaches it first
    for index, shot in enumerate(shotlist.shots):
        reached = next((number[r] for r in shot.source_refs if number.get(r)), 0)
        if reached > max(opens, default=0):  # told in order; a shot that goes back opens nothing
            opens[reached] = index
    if len(opens) < MIN_SECTIONS:
        return shotlist
    visited = sorted(opens)[:MAX_SECTIONS]
    headings = [parts[n - 1].heading for n in visited]
    shots = list(shotlist.shots)
    for position, n in enumerate(visited, start=1):
        shot = shots[opens[n]]
        shots[opens[n]] = shot.model_copy(update={"agenda": Agenda(sections=headings, current=position)})
    return shotlist.model_copy(update={"shots": shots})


__all__ = ["MAX_SECTIONS", "MIN_SECTIONS", "Section", "is_sectioned", "mark_sections", "section_of", "sections", "shown_heading"]
