"""On-screen text and visual prompts from narration (pure, rule-based).

A shot's on-screen text is its key figure when it has one (an amount, a share, a count, a
date), because that is what a viewer wants to see written; otherwise a short headline cut
from the narration's main clause.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .textrank import STOPWORDS

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_SCALE = r"(?:\s(?:thousand|million|billion|trillion))?"
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
_GLUE = r"(?:a|an|the|of|to|and|or|in|on|at|for|by|from|with)\b"

# In order of how much a viewer wants each on screen.
_FIGURES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"[$£€]\s?{_NUMBER}{_SCALE}(?:\s(?!{_GLUE})[a-z][a-z\-]+)?"),
    re.compile(rf"{_NUMBER}{_SCALE}\s?(?:%|percent\b|per cent\b)"),
    re.compile(rf"\b{_NUMBER}\s(?:to|-)\s{_NUMBER}\b(?:\s(?!{_GLUE})[a-z][a-z\-]+)?"),
    re.compile(rf"\b{_NUMBER}{_SCALE}\s(?!{_GLUE})[A-Za-z][A-Za-z\-]+(?:\s(?!{_GLUE})[a-z][a-z\-]+)?"),
    re.compile(rf"\b{_MONTHS}\s\d{{1,2}}(?:,\s\d{{4}})?\b"),
    re.compile(r"\b(?:1[89]|20)\d\d\b"),
)
_ATTRIBUTION_TAIL = re.compile(r",\s+[\w .'\-]*?\b(?:said|says|told|according to)\b.*$", re.IGNORECASE)
_ATTRIBUTION_HEAD = re.compile(
    r"^(?:According to [^,]+,\s*|(?:[A-Z][\w.'\-]*\s){1,4}(?:said|says|told \w+)\s(?:that\s)?)"
)
# "15 de febrero", "21 de julio", "3 mars", "12. Mai": dates in the other languages of the corpus.
_FOREIGN_DATE = (r"^\d{1,2}\.?\s(?:de\s)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
                 r"|janeiro|fevereiro|mar\u00e7o|maio|junho|julho|setembro|outubro|novembro|dezembro"
                 r"|janvier|f\u00e9vrier|mars|avril|mai|juin|juillet|ao\u00fbt|septembre|octobre|novembre|d\u00e9cembre"
                 r"|januar|februar|m\u00e4rz|juni|juli|oktober|dezember|de)\b")
_QUOTES = str.maketrans("", "", "\"\u201c\u201d")

MAX_HEADLINE_WORDS = 8


_YEAR = re.compile(r"^(?:1[89]|20)\d\d\b")
_NAME_BEFORE = re.compile(r"\b[A-Z][A-Za-z]+\s$")


def _is_figure(text: str, match: re.Match[str], pattern_index: int) -> bool:
    # "12:00 PM" is a time; "3D" a name.
    if match.start() > 0 and text[match.start() - 1] in ":.":
        return False
    # "Route 9 bridge" and "Apollo 11" are names, not figures.
    if text[: match.start()].endswith(" ") and _NAME_BEFORE.search(text[: match.start()]):
        sentence_start = re.search(r"(?:^|[.!?]\s)([A-Z][a-z]+\s)$", text[: match.start()])
        if not sentence_start:
            return False
    # A year followed by a noun ("1958 steel") is a date, left to the year rule.
    if pattern_index == 3 and _YEAR.match(match.group(0)):
        return False
    return True


def figures(text: str) -> list[str]:
    """The figures in a text, most telling first, each with the words after it."""
    found: list[str] = []
    for index, pattern in enumerate(_FIGURES):
        for match in pattern.finditer(text):
            if _is_figure(text, match, index) and match.group(0).strip() not in found:
                found.append(match.group(0).strip())
    return found


def key_figure(text: str) -> str | None:
    """The most telling figure in a text, with the word it counts where there is one."""
    found = figures(text)
    return found[0] if found else None


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


# Words that cannot label a figure: "9 were", "15 of" say nothing on their own.
_NOT_LABELS = STOPWORDS | frozenset(
    """is are was were be been being has have had will would can could may might shall should must
    did do does said says told than more less over under about around nearly almost per each every
    such other another same while since when where which who whom whose what therefore however thus
    also still even just only really very much""".split()
)
_NAME_RUN = re.compile(r"(?<![\w\u2019'])(?:[A-Z][\w\u2019'\-]*\.?)(?:\s+(?:(?:of|de|la|van|von|der|the|and|for|&)\s+)?(?:[A-Z][\w\u2019'\-]*\.?|\d{1,3}\b(?![,.]\d)))*")
_HONORIFICS = frozenset("Mr Mrs Ms Dr Prof Sir Dame Lord Lady President Governor Mayor Senator Judge".split())
# Capitalised at a sentence start without being a name.
_COMMON_STARTS = frozenset(
    """even amid among despite although though still yet seven several many most some after before during
    using while when where once under over across along around within without according""".split()
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u2019'\-]*")

MAX_ON_SCREEN_WORDS = 6


def _labelled_figure(text: str) -> str | None:
    for figure in figures(text):
        labelled = _label(figure)
        if labelled:
            return labelled
    return None


def _label(figure: str) -> str | None:
    if _YEAR.fullmatch(figure.strip()) or re.search(rf"\b{_MONTHS}|\b(?:{_MONTH_NAMES})\b|{_FOREIGN_DATE}", figure, re.IGNORECASE):
        return None  # a bare year or a date says little on its own; a name or term says more
    words = figure.split()
    # The number itself may be a range ("8 to 12"); its label comes after it.
    first_label = 1
    while first_label + 1 < len(words) and words[first_label] in ("to", "-", "and") and words[first_label + 1][:1].isdigit():
        first_label += 2
    # A label starts with a word that labels ("21, was taken" and "9 were" label nothing).
    if len(words) > first_label and (words[first_label - 1].endswith(",") or words[first_label].lower().strip(".,;:") in _NOT_LABELS):
        words = words[:first_label]
    while len(words) > 1 and words[-1].lower().strip(".,;:") in _NOT_LABELS:
        words.pop()
    words[0] = words[0].rstrip(",;:")
    label_needed = not re.search(r"[$\u00a3\u20ac%]|percent|per cent|thousand|million|billion|trillion|\b(?:1[89]|20)\d\d\b", figure)
    if label_needed and len(words) < 2:
        return None
    return " ".join(words)


def _names(text: str, title: str) -> list[str]:
    """Multi-word proper names in ``text`` (not at a sentence start unless two words long)."""
    found: list[str] = []
    for match in _NAME_RUN.finditer(text):
        phrase = match.group(0).strip()
        words = phrase.split()
        while words and words[0].rstrip(".") not in _HONORIFICS and (words[0].lower() in _NOT_LABELS or words[0].lower() in _COMMON_STARTS or words[0].lower().endswith(("ly", "ing"))):
            words.pop(0)
        if len(words) < 2 or len(words) > MAX_ON_SCREEN_WORDS:
            continue
        phrase = " ".join(words).rstrip(".,;:")
        if phrase.lower() != title.lower() and phrase not in found:
            found.append(phrase)
    return found


@lru_cache(maxsize=8)
def function_words(language: str) -> frozenset[str]:
    """Words that cannot end or make a term in ``language``: ours for English, spaCy's stop list
    (shipped with spaCy, no model needed) for another language ("por", "fue", "los")."""
    code = (language or "en").lower()[:2]
    if code == "en":
        return _NOT_LABELS
    try:
        from spacy.util import get_lang_class

        return _NOT_LABELS | frozenset(get_lang_class(code).Defaults.stop_words)
    except ImportError:  # a language spaCy does not know: ours only
        return _NOT_LABELS


def _key_term(text: str, idf: dict[str, float], language: str = "en") -> str | None:
    """The run of content words that says most (by IDF), outside each sentence's first words."""
    stop = function_words(language)
    best: tuple[float, str] | None = None
    # Clauses, not sentences: a term does not run across a comma or a quote mark.
    for sentence in re.split(r"(?<=[.!?])\s+|[,;:()\"\u201c\u201d\u2014\u2013]", text):
        words = _WORD.findall(sentence)
        run: list[str] = []
        for index, word in enumerate(words + ["the"]):
            lowered = word.lower().strip("'\u2019")
            content = index >= 2 and len(lowered) > 2 and lowered not in stop and not (language[:2] == "en" and lowered.endswith("ly"))
            if content and len(run) < 4:
                run.append(word)
                continue
            if run:
                score = sum(idf.get(_stem(w), 1.0) for w in run) * (1 + 0.3 * (len(run) - 1))
                if best is None or score > best[0]:
                    best = (score, " ".join(run))
            run = [word] if content else []
    return best[1] if best else None


def _stem(word: str) -> str:
    word = word.lower().strip("'\u2019-")
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 else word


def on_screen_text(narration: str, idf: dict[str, float] | None = None, title: str = "", language: str = "en") -> str:
    """A short, meaningful phrase from the narration: a figure with its label, else a name,
    else a key term; never the sentence's opening words."""
    figure = _labelled_figure(narration)
    if figure:
        return figure
    names = _names(narration, title)
    if names:
        return names[0]  # the first name is most often the subject
    term = _key_term(narration, idf or {}, language)
    if term:
        return term[:1].upper() + term[1:]
    return headline(narration, max_words=MAX_ON_SCREEN_WORDS)


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
