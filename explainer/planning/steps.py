"""Processes read from the text: sentences that say their order ("First, ... Then, ...
Finally, ..." or "Step 1: ...") become steps, each labelled by a whole phrase of its sentence.

Two marked sentences in a row, the first of them opening the sequence ("First", "Step 1"), or
three marked sentences in a row, make a process; one marked sentence is only a transition.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from .phrases import any_headline

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Words that open a step, and whether they open the first.
_MARKER = re.compile(r"^\s*(?:(?P<first>first(?:ly)?|to (?:begin|start)|step (?:1|one))|second(?:ly)?|third(?:ly)?|then|next|"
                     r"after that|afterwards?|finally|lastly|step (?:\d+|two|three|four|five))\b[,:]?\s*", re.IGNORECASE)
MAX_STEPS = 5
MAX_STEP_WORDS = 6


def _marked(doc: "Doc") -> tuple[bool, bool]:
    """Whether a sentence opens with a sequence marker, and whether that marker opens a sequence."""
    match = _MARKER.match(doc.text)
    return (match is not None, bool(match and match.group("first")))


def _label(doc: "Doc") -> str:
    """A whole phrase of the sentence after its marker."""
    match = _MARKER.match(doc.text)
    span = doc.char_span(match.end() if match else 0, len(doc.text.rstrip()), alignment_mode="expand")
    return any_headline([span if span is not None and len(span) else doc])


def steps_in(docs: Sequence["Doc"]) -> tuple[list[str], int] | None:
    """The steps of the first process the sentences tell, and how many sentences it takes
    (from the first), or None."""
    for start in range(len(docs)):
        run = []
        for doc in docs[start:]:
            if not _marked(doc)[0] or len(run) == MAX_STEPS:
                break
            run.append(doc)
        opens = _marked(docs[start])[1] if run else False
        if len(run) >= 3 or len(run) >= 2 and opens:
            labels = [_label(doc) for doc in run]
            if all(labels) and all(len(label.split()) <= MAX_STEP_WORDS + 2 for label in labels) and len(set(labels)) == len(labels):
                return labels, start + len(run)
    return None


__all__ = ["steps_in"]
