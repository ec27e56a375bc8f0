"""Questions across narrated sentences: the steps of a process or events by year to put in
order, and the lesson's terms to match with the sentences that define them."""

from __future__ import annotations

import random
import re
from typing import Sequence

from .recall import _NUMBER, number_kind


# A sentence that opens with one of these is a step of a process the narration walks through.
_STEP = re.compile(r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next|after that|afterwards|later|"
                   r"finally|lastly|eventually|in the end)\b,?\s*", re.IGNORECASE)
_YEAR_PHRASE = r"(?:\b(?:in|by|from|since|until|during|around|about|of)\s+)?{year}\b,?\s*"


def _item(text: str) -> str:
    """A sentence cut to an item a learner can read at a glance."""
    text = re.sub(r"\s+([,.;:])", r"\1", " ".join(text.split())).rstrip(".").strip()
    words = text.split()
    text = " ".join(words[:14]) + "…" if len(words) > 16 else text
    return text[:1].upper() + text[1:]


def _shuffled(count: int, rng: random.Random) -> list[int]:
    """A display order that is not already the right one."""
    order = list(range(count))
    while order == sorted(order):
        rng.shuffle(order)
    return order


def ordering_question(sentences: Sequence[str], rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    """A put-in-order question when the narration walks through a process (sentences opening
    "First", "Then", "Finally"...: three or more steps, the sentence before the first marked
    step counted when the run opens with "Then" or "Next") or tells events of three or more different years.
    Returns (prompt, the items in the right order, their sentences)."""
    steps = [i for i, s in enumerate(sentences) if _STEP.match(s)]
    if steps and steps[0] > 0 and not re.match(r"first", sentences[steps[0]], re.IGNORECASE):
        steps.insert(0, steps[0] - 1)  # "Then..." continues the sentence before it: that is step one
    if len(steps) >= 3:
        chosen = steps[:5]
        items = [_item(_STEP.sub("", sentences[i])) for i in chosen]
        prompt = "Put these steps in the order the video gives them."
    else:
        dated = []
        for i, s in enumerate(sentences):
            years = {n for n in _NUMBER.findall(s) if number_kind(s, n) == "year"}
            if len(years) == 1:
                dated.append((int(next(iter(years))), i))
        dated = sorted(dict(sorted(dated, reverse=True)).items())  # one sentence per year
        if len(dated) < 3:
            return None
        chosen = [i for _, i in dated[:5]]
        # The year is the answer: it is taken out of the item.
        items = [_item(re.sub(_YEAR_PHRASE.format(year=year), "", sentences[i], count=1, flags=re.IGNORECASE))
                 for year, i in dated[:5]]
        prompt = "Put these events in the order they happened, earliest first."
    if len(set(items)) < len(items) or min(len(i.split()) for i in items) < 3:
        return None
    return prompt, items, [sentences[i] for i in chosen]


def defines(sentence: str, term: str) -> bool:
    """Whether a sentence says what a term is: "is called the zenith", "an orbit is..."."""
    t = re.escape(term)
    return bool(re.search(rf"\b(?:called|known as|named|termed)\s+(?:the\s+|an?\s+)?{t}(?:s|es)?\b", sentence, re.IGNORECASE)
                or re.search(rf"\b{t}(?:s|es)?\s*(?:\([^)]*\)\s*)?(?:is|are|means|refers to|describes)\s+(?:the|an?|what|how|when)\b",
                             sentence, re.IGNORECASE))


def matching_question(sentences: Sequence[str], terms: Sequence[str], extra_terms: Sequence[str],
                      rng: random.Random) -> tuple[list[str], list[str], list[int], list[str]] | None:
    """Match terms to what the narration says they are, when it defines three or more of the
    lesson's terms, each in its own sentence (the term blanked in its definition). Returns
    (options, prompts, the right option per prompt, the sentences); an extra term of the course
    joins the options, so the last match is not given by elimination."""
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for term in dict.fromkeys(terms):
        sentence = next((s for s in sentences if s not in used and defines(s, term)), None)
        if sentence and not any(other.lower() in term.lower() or term.lower() in other.lower() for other, _ in pairs):
            pairs.append((term, sentence))
            used.add(sentence)
    if len(pairs) < 3:
        return None
    pairs = pairs[:4]
    prompts = [_item(re.sub(rf"\b{re.escape(term)}(?:s|es)?\b", "_____", s, flags=re.IGNORECASE)) for term, s in pairs]
    options = [term for term, _ in pairs]
    spare = [t for t in extra_terms if t.lower() not in {o.lower() for o in options}
             and not any(t.lower() in s.lower() for _, s in pairs)]
    if spare:
        options.append(rng.choice(spare))
    shown = _shuffled(len(options), rng)
    display = [options[i] for i in shown]
    return display, prompts, [shown.index(i) for i in range(len(pairs))], [s for _, s in pairs]
