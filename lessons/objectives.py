"""Which lines of a lesson teach each of its objectives.

An objective ("Explain what drives evaporation") is taught by the sentence of the lesson's
material that shares the most of its subject words, weighted by how rare each word is in the
lesson; the instruction verbs of objectives (describe, explain, name ...) do not count. The
planner is told to narrate those sentences whatever the length; after the video is made, each
objective is *taught* (its sentence is narrated), *not narrated* (the material has it but the
plan left it out) or *not in the material* (nothing in the notes or readings supports it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Literal, Mapping

from pydantic import BaseModel

from explainer.planning.textrank import tokens

# The verbs and hedges objectives are written with: they say what to do, not what about.
_INSTRUCTION = frozenset(
    "describe explain name list identify compare contrast define understand know recognise recognize outline"
    " state give discuss summarise summarize analyse analyze evaluate apply use learn main key basic different"
    " various able students learner learners way ways role what how why which construct interpret calculate"
    " determine differentiate display create solve contribute contributed understanding around important"
    " terminology terms concept concepts basics idea ideas method methods using between whether types kinds"
    " meaning modern features feature function functions example examples everyday real world parts uses".split()
)


class ObjectiveStatus(BaseModel):
    """How one objective is covered by the lesson's video."""

    objective: str
    status: Literal["taught", "not narrated", "not in the material"]
    line: str = ""
    """The narrated (or, when not narrated, the supporting) sentence."""


def _words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in _INSTRUCTION}


def subject_terms(objectives: Iterable[str]) -> list[str]:
    """The subject words of objectives ("Understand the terminology of probability" →
    "probability"): a lesson's terms when its syllabus names none."""
    found: dict[str, str] = {}
    for objective in objectives:
        for match in re.finditer(r"[A-Za-z][A-Za-z\-]{4,}", objective.strip()):
            word = match.group(0)
            # The first word is the verb ("Describe ...", "Construct ..."), never the subject.
            if match.start() == 0 or word.lower() in _INSTRUCTION or not tokens(word):
                continue
            found.setdefault(word.lower(), word)
    return list(found.values())


def supporting_sentences(objectives: Iterable[str], sentences: Mapping[str, str]) -> dict[str, str | None]:
    """Objective → the id of the sentence that best teaches it, or None when no sentence shares
    a subject word with it. ``sentences`` are the ones the planner may narrate, by id."""
    words = {sid: _words(text) for sid, text in sentences.items()}
    df = Counter(w for ws in words.values() for w in ws)
    n = len(words) or 1
    found: dict[str, str | None] = {}
    for objective in objectives:
        wanted = _words(objective)
        scored = [(sum(math.log((1 + n) / (1 + df[w])) + 1 for w in wanted & ws), -i, sid)
                  for i, (sid, ws) in enumerate(words.items())]
        best = max(scored, default=(0.0, 0, None))
        found[objective] = best[2] if best[0] > 0 else None
    return found


def coverage(support: Mapping[str, str | None], narrated: set[str], sentences: Mapping[str, str]) -> list[ObjectiveStatus]:
    """Each objective's status once the plan is known: ``narrated`` holds the source sentence
    ids the shots cite."""
    out = []
    for objective, sid in support.items():
        if sid is None:
            out.append(ObjectiveStatus(objective=objective, status="not in the material"))
        else:
            status = "taught" if sid in narrated else "not narrated"
            out.append(ObjectiveStatus(objective=objective, status=status, line=sentences[sid]))
    return out
