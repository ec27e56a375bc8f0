"""Which lines of a lesson teach each of its objectives.

An objective ("Explain what drives evaporation") is taught by the sentence of the lesson's
material that shares the most of its subject words, weighted by how rare each word is in the
lesson; the instruction verbs of objectives (describe, explain, name ...) do not count. The
planner is told to narrate those sentences whatever the length; after the video is made, each
objective is *taught* (the narration says every subject term of it, see
``explainer.planning.aims``), *partly taught* (some), *not narrated* (the material has it but
the plan left it out) or *not in the material* (nothing in the notes or readings supports it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Literal, Mapping

from pydantic import BaseModel

from explainer.planning.aims import INSTRUCTION as _INSTRUCTION
from explainer.planning.aims import heard as _heard
from explainer.planning.aims import plain_words, terms_of
from explainer.planning.textrank import tokens


class ObjectiveStatus(BaseModel):
    """How one objective is covered by the lesson's video."""

    objective: str
    status: Literal["taught", "partly taught", "not narrated", "not in the material"]
    line: str = ""
    """The narrated (or, when not narrated, the supporting) sentence."""
    missing: list[str] = []
    """The objective's subject words the video never says (for "partly taught")."""


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
    words = {sid: plain_words(text) for sid, text in sentences.items()}
    df = Counter(w for ws in words.values() for w in ws)
    n = len(words) or 1
    found: dict[str, str | None] = {}
    for objective in objectives:
        wanted = plain_words(objective)
        scored = [(sum(math.log((1 + n) / (1 + df[w])) + 1 for w in wanted & ws), -i, sid)
                  for i, (sid, ws) in enumerate(words.items())]
        best = max(scored, default=(0.0, 0, None))
        found[objective] = best[2] if best[0] > 0 else None
    return found


def coverage(support: Mapping[str, str | None], narrated: set[str], sentences: Mapping[str, str],
             language: str = "en") -> list[ObjectiveStatus]:
    """Each objective's status once the plan is known: ``narrated`` holds the source sentence
    ids the shots cite. An objective is *taught* only when every one of its subject terms (by
    the parse: its nouns and adjectives) is said in the narration ("Compare aerobic
    respiration with lactic acid fermentation" is not taught by a video that never says
    "lactic"), *partly taught* when some are, and the terms it never says are listed."""
    ids = [sid for sid in sentences if sid in narrated]
    said = dict(zip(ids, _heard([sentences[sid] for sid in ids], language)))
    heard = set().union(*said.values()) if said else set()
    objectives = list(support)
    wanted_of = dict(zip(objectives, terms_of(objectives, language)))
    out = []
    for objective, sid in support.items():
        wanted = wanted_of[objective]
        spoken = wanted & heard
        if sid is None and not spoken:
            out.append(ObjectiveStatus(objective=objective, status="not in the material"))
            continue
        best = max(said, key=lambda s: (len(wanted & said[s]), s == sid), default=None)
        line = sentences[best] if best is not None and wanted & said[best] else (sentences[sid] if sid else "")
        missing = sorted(wanted - heard)
        status = "taught" if wanted and not missing else "partly taught" if spoken else "not narrated"
        out.append(ObjectiveStatus(objective=objective, status=status, line=line, missing=missing))
    return out
