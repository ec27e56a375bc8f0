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
    status: Literal["taught", "partly taught", "not narrated", "not in the material"]
    line: str = ""
    """The narrated (or, when not narrated, the supporting) sentence."""
    missing: list[str] = []
    """The objective's subject words the video never says (for "partly taught")."""


#: Counts an objective names ("the three main stages"): a video that names the stages teaches it.
_COUNTS = frozenset("two three four five six seven eight nine ten several many".split())


def _words(text: str) -> set[str]:
    return {w for w in tokens(text) if w not in _INSTRUCTION and w not in _COUNTS}


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


def _terms_of(texts: list[str], language: str) -> list[set[str]] | None:
    """The subject terms of each text by the parse: lemmas of its nouns, proper nouns and
    adjectives ("Explain what drives evaporation" → evaporation); None without a parser."""
    from explainer.parsing import parser_for

    parser = parser_for(language)
    if parser is None or not texts:
        return None
    return [{t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lemma_.lower() not in _INSTRUCTION
             and t.lemma_.lower() not in _COUNTS and len(t.text) > 2} for doc in parser.parse(texts)]


def _heard(texts: list[str], language: str) -> list[set[str]]:
    """Every word of each text, by lemma (what a term is matched against)."""
    from explainer.parsing import parser_for

    parser = parser_for(language)
    if parser is None:
        return [_words(t) for t in texts]
    return [{t.lemma_.lower() for t in doc} for doc in parser.parse(texts)]


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
    parsed = _terms_of(objectives, language)
    wanted_of = dict(zip(objectives, parsed)) if parsed is not None else {o: _words(o) for o in objectives}
    out = []
    for objective, sid in support.items():
        wanted = wanted_of[objective] or _words(objective)
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
