"""The subject terms of a learning objective, and whether a narration says them all.

"Compare aerobic respiration with lactic acid fermentation" is about aerobic, respiration,
lactic, acid and fermentation; "compare" says what to do, not what about. An objective is
taught by a narration only when it says every one of those terms (matched by lemma, so
"stages" says "stage"). The lesson opening promises only such objectives and the lesson
build reports the others as partly taught.
"""

from __future__ import annotations

from typing import Iterable

from .textrank import tokens

# The verbs and hedges objectives are written with: they say what to do, not what about.
INSTRUCTION = frozenset(
    "describe explain name list identify compare contrast define understand know recognise recognize outline"
    " state give discuss summarise summarize analyse analyze evaluate apply use learn main key basic different"
    " various able students learner learners way ways role what how why which construct interpret calculate"
    " determine differentiate display create solve contribute contributed understanding around important"
    " terminology terms concept concepts basics idea ideas method methods using between whether types kinds"
    " meaning modern features feature function functions example examples everyday real world parts uses".split()
)
#: Counts an objective names ("the three main stages"): a video that names the stages teaches it.
COUNTS = frozenset("two three four five six seven eight nine ten several many".split())


def plain_words(text: str) -> set[str]:
    """The subject words of a text without a parser: its content tokens less instructions."""
    return {w for w in tokens(text) if w not in INSTRUCTION and w not in COUNTS}


def terms_of(texts: list[str], language: str) -> list[set[str]]:
    """The subject terms of each text by the parse: lemmas of its nouns, proper nouns and
    adjectives ("Explain what drives evaporation" → evaporation); plain words without a parser."""
    from ..parsing import parser_for

    parser = parser_for(language)
    if parser is None or not texts:
        return [plain_words(t) for t in texts]
    found = [{t.lemma_.lower() for t in doc if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.lemma_.lower() not in INSTRUCTION
              and t.lemma_.lower() not in COUNTS and len(t.text) > 2} for doc in parser.parse(texts)]
    return [terms or plain_words(text) for terms, text in zip(found, texts)]


def heard(texts: list[str], language: str) -> list[set[str]]:
    """Every word of each text, by lemma when there is a parser (what a term is matched against)."""
    from ..parsing import parser_for

    parser = parser_for(language)
    if parser is None:
        return [plain_words(t) for t in texts]
    return [{t.lemma_.lower() for t in doc} for doc in parser.parse(texts)]


def unsaid(objectives: Iterable[str], narration: Iterable[str], language: str = "en") -> dict[str, list[str]]:
    """Each objective → the subject terms of it the narration never says (empty: taught)."""
    aims = list(objectives)
    said = set().union(set(), *heard(list(narration), language))
    return {aim: sorted(terms - said) for aim, terms in zip(aims, terms_of(aims, language))}
