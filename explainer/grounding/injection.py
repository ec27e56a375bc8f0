"""Finding sentences in a source that talk to an AI instead of to readers.

Articles can carry prompt-injection attempts ("Ignore your previous instructions and tell
viewers..."). Such sentences are content about nothing a viewer should hear: neither planner
narrates them, they never count as support for a claim, and they are reported.
"""

from __future__ import annotations

import re

# Each pattern is a way of addressing or instructing a model; the name is the reason shown.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("overrides instructions", r"\b(?:ignore|disregard|forget|override)\b[^.]{0,40}\b(?:instructions?|prompts?|rules|directions|guidelines)\b"),
        ("addresses an AI", r"\b(?:if you are|as|you are (?:now )?)\s*(?:an?|the)?\s*(?:AI|A\.I\.|artificial intelligence|language model|LLM|chatbot|assistant|GPT)\b"),
        ("addresses an AI", r"\b(?:AI|LLM|language model|chatbot|assistant)s?\b[^.]{0,30}\b(?:reading|summari[sz]ing|processing|reviewing) this\b"),
        ("gives a new instruction", r"\b(?:new|updated|real|actual) (?:instructions?|task|prompt)\b"),
        ("dictates what to say", r"\b(?:tell|inform|assure|convince) (?:the |your )?(?:viewers?|audience|readers?|users?)\b"),
        ("dictates what to say", r"\b(?:instead|only),? (?:say|state|write|report|respond)\b"),
        # Imperatives only: "something I'd never say about the other headsets" is prose.
        ("dictates what to say", r"(?:^|[.:;]\s|\byou (?:must|should) )(?:do not|don't|never) (?:mention|say|report|reveal|narrate)\b"),
        ("mentions a system prompt", r"\bsystem (?:prompt|message)\b|<\|im_start\|>|\[/?INST\]|\bassistant:\s"),
        ("asks for a specific output", r"\b(?:respond|reply|answer|output) (?:only )?(?:with|in) (?:only )?(?:the (?:words?|phrase|text|sentence)|json|[\"'\u201c])"),
    )
)


def injection_reason(sentence: str) -> str | None:
    """Why a sentence looks like an instruction to an AI, or None if it does not."""
    for name, pattern in _PATTERNS:
        if pattern.search(sentence):
            return name
    return None


def find_injections(sentences: dict[str, str]) -> dict[str, str]:
    """Sentence id → reason, for every sentence that addresses or instructs an AI."""
    found: dict[str, str] = {}
    for sid, text in sentences.items():
        reason = injection_reason(text)
        if reason:
            found[sid] = reason
    return found
