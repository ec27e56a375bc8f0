"""A lesson's opening and recap: what the learner will be able to do, then the key facts again.

A lesson video opens by saying what the learner will be able to do (its objectives, as the
syllabus states them) and closes with a recap of the lines that teach them. Both are made from
the source like any shot: the opening cites the objectives' own sentences (kept in the lesson
source with the role ``objective``, never narrated by the planner), the recap the teaching
sentences the video already narrated. An objective is promised in the opening only when the
video teaches it: its line is narrated and every subject term of it is said (``aims``).
"""

from __future__ import annotations

from ..shotlist import Shot, ShotList, Source
from .aims import unsaid
from .base import PlanSettings

#: How the opening and the recap begin: the lesson build knows them by these words.
OPENING = "In this lesson, you will learn to"
RECAP = "To recap:"
#: The most teaching lines a recap repeats, and the most words it spends on them.
RECAP_LINES, RECAP_WORDS = 3, 60
#: The most of a lesson's time its opening and recap may take together.
FRAMING_SHARE = 0.25


def is_framing(narration: str) -> bool:
    """Whether a narrated line is a lesson's opening or recap (not a fact to ask about)."""
    return narration.startswith((OPENING, RECAP))


def _point(text: str, words: int = 12) -> str:
    said = text.strip().rstrip(".").split()
    # Never cut a name in two: "Johannes…" for "Johannes Kepler".
    while words < len(said) and words < 15 and said[words][:1].isupper():
        words += 1
    return " ".join(said[:words]) + ("…" if len(said) > words else "")


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _opening_line(aims: list[str]) -> str:
    return f"{OPENING} {_listed([a[:1].lower() + a[1:] for a in aims])}."


def frame_lesson(shotlist: ShotList, source: Source, settings: PlanSettings) -> ShotList:
    """The lesson's shots with an opening and a recap around them, shots numbered again;
    unchanged when the source carries no objectives or nothing teaches them."""
    if settings.kind != "lesson" or not settings.objectives or not shotlist.shots:
        return shotlist
    said = {ref for shot in shotlist.shots for ref in shot.source_refs}
    taught = [(aim, line) for aim, line in settings.objectives if line in said and aim in source.sentences]
    # "Describe the three stages" is not promised by a video that never names a stage.
    unsaid_terms = unsaid([source.sentences[aim] for aim, _ in taught], [shot.narration for shot in shotlist.shots], source.language)
    taught = [(aim, line) for aim, line in taught if not unsaid_terms[source.sentences[aim]]]
    if not taught:
        return shotlist
    aims = [source.sentences[aim].strip().rstrip(".") for aim, _ in taught]
    # Opening and recap together take at most a quarter of the lesson (counted in words, which
    # is how long they take to say): a short lesson promises fewer aims and recaps less.
    budget = FRAMING_SHARE / (1 - FRAMING_SHARE) * sum(len(shot.narration.split()) for shot in shotlist.shots)
    while aims and len(_opening_line(aims).split()) > budget and len(aims) > 1:
        aims, taught = aims[:-1], taught[:-1]
    if len(_opening_line(aims).split()) > budget:
        return shotlist  # too short a lesson to spend any of it on saying what it will say
    opening = Shot(
        id="opening", kind="list", on_screen_text="You will learn to", points=[_point(a) for a in aims[:4]],
        narration=_opening_line(aims), source_refs=[aim for aim, _ in taught],
    )
    left = budget - len(opening.narration.split()) - len(RECAP.split())
    lines: list[str] = []
    told = [ref for shot in shotlist.shots for ref in shot.source_refs]
    # In the order the video told them.
    for line in sorted({line for _, line in taught}, key=told.index)[:RECAP_LINES]:
        if sum(len(source.sentences[x].split()) for x in [*lines, line]) <= min(RECAP_WORDS, left):
            lines.append(line)
    shots = [opening, *shotlist.shots]
    # A recap of a lesson of one or two shots would only say it all again.
    if lines and len(shotlist.shots) >= 3:
        shots.append(Shot(
            id="recap", kind="list", on_screen_text="Recap", points=[_point(source.sentences[x]) for x in lines],
            narration=f"{RECAP} " + " ".join(source.sentences[x].strip() for x in lines), source_refs=lines,
        ))
    numbered = [shot.model_copy(update={"id": f"shot-{n:02d}"}) for n, shot in enumerate(shots, start=1)]
    return shotlist.model_copy(update={"shots": numbered})
