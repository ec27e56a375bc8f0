"""On-screen text and visual prompts from narration (pure, rule-based).

A shot's on-screen text is its key figure when it has one (an amount, a share, a count, a
date), because that is what a viewer wants to see written; otherwise a short headline cut
from the narration's main clause.
"""

from __future__ import annotations

import re

from .textrank import STOPWORDS

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_SCALE = r"(?:\s(?:thousand|million|billion|trillion))?"
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_GLUE = r"(?:a|an|the|of|to|and|or|in|on|at|for|by|from|with)\b"

# In order of how much a viewer wants each on screen.
_FIGURES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[$£€]\s?{_NUMBER}{_SCALE}(?:\s(?!{_GLUE})[a-z][a-z\-]+)?"),
    re.compile(rf"{_NUMBER}{_SCALE}\s?(?:%|percent\b|per cent\b)"),
    re.compile(rf"\b{_NUMBER}\s(?:to|-)\s{_NUMBER}\b(?:\s(?!{_GLUE})[a-z][a-z\-]+)?"),
    re.compile(rf"\b{_NUMBER}{_SCALE}\s(?!{_GLUE})[A-Za-z][A-Za-z\-]+"),
    re.compile(rf"\b{_MONTHS}\s\d{{1,2}}(?:,\s\d{{4}})?\b"),
    re.compile(r"\b(?:1[89]|20)\d\d\b"),
)
_ATTRIBUTION_TAIL = re.compile(r",\s+[\w .'\-]*?\b(?:said|says|told|according to)\b.*$", re.IGNORECASE)
_ATTRIBUTION_HEAD = re.compile(
    r"^(?:According to [^,]+,\s*|(?:[A-Z][\w.'\-]*\s){1,4}(?:said|says|told \w+)\s(?:that\s)?)"
)
_QUOTES = str.maketrans("", "", "\"\u201c\u201d\u2018\u2019")

MAX_HEADLINE_WORDS = 8


_YEAR = re.compile(r"^(?:1[89]|20)\d\d\b")
_NAME_BEFORE = re.compile(r"\b[A-Z][a-z]+\s$")


def _is_figure(text: str, match: re.Match[str], pattern_index: int) -> bool:
    # "Route 9 bridge" and "Apollo 11" are names, not figures.
    if text[: match.start()].endswith(" ") and _NAME_BEFORE.search(text[: match.start()]):
        sentence_start = re.search(r"(?:^|[.!?]\s)([A-Z][a-z]+\s)$", text[: match.start()])
        if not sentence_start:
            return False
    # A year followed by a noun ("1958 steel") is a date, left to the year rule.
    if pattern_index == 3 and _YEAR.match(match.group(0)):
        return False
    return True


def key_figure(text: str) -> str | None:
    """The most telling figure in a text, with the word it counts where there is one."""
    for index, pattern in enumerate(_FIGURES):
        for match in pattern.finditer(text):
            if _is_figure(text, match, index):
                return match.group(0).strip()
    return None


def headline(text: str, max_words: int = MAX_HEADLINE_WORDS) -> str:
    """A short headline from the main clause of the first sentence of ``text``."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    clause = _ATTRIBUTION_HEAD.sub("", first.translate(_QUOTES)).strip()
    clause = _ATTRIBUTION_TAIL.sub("", clause) or clause
    clause = clause.rstrip(".!?;:, ")
    parts = [p.strip() for p in clause.split(", ") if p.strip()]
    # Prefer the first comma part if it says enough on its own.
    if parts and len(parts[0].split()) >= 4:
        clause = parts[0]
    words = clause.split()[:max_words]
    while words and words[-1].lower().strip(".,;:") in STOPWORDS:
        words.pop()
    result = " ".join(words) or first
    return result[:1].upper() + result[1:]


def on_screen_text(narration: str) -> str:
    """The key figure if the narration has one, else a short headline."""
    return key_figure(narration) or headline(narration)


def keywords(text: str, limit: int = 4) -> list[str]:
    """The first distinct content words of a text, in order."""
    seen: list[str] = []
    for raw in re.findall(r"[A-Za-z][A-Za-z\-]{3,}", text):
        word = raw.lower()
        if word not in seen and word not in STOPWORDS:
            seen.append(word)
    return seen[:limit]


def visual_prompt(narration: str, topic: str) -> str:
    """A concrete description a text-to-video model can render for a news shot."""
    subjects = ", ".join(keywords(narration)) or ", ".join(keywords(topic))
    scene = headline(narration, max_words=14)
    return (
        f"Documentary news b-roll illustrating: {scene}. "
        f"Show {subjects} in a real, local setting related to {topic}. "
        "Natural light, steady slow camera move, realistic, no text, no logos, no faces in close-up."
    )
