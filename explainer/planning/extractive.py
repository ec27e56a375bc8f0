"""The built-in planner: the article's own most central sentences, in article order.

No model is involved, so every narrated word is the source's and every shot's
``source_refs`` is exact. Sentences are ranked by TextRank with a lead-position prior
(news puts what matters first), picked until the target length is filled at the voice's
speaking rate, and grouped one or two to a shot.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from .. import __version__
from ..errors import PlanError
from ..shotlist import PlannerInfo, Shot, ShotList, Source
from .base import PlanSettings
from .figures import on_screen_text, visual_prompt
from .textrank import textrank

#: Sentences ranked at most: a 5 MB source has ~50,000 and the lead prior makes the tail moot.
MAX_CANDIDATES = 400
MIN_WORDS = 5
MAX_WORDS = 60
#: Two sentences share a shot only when together they stay under this many words.
MAX_WORDS_PER_SHOT = 42
LEAD_WEIGHT = 0.35


# A sentence opening with one of these leans on the one before it ("He said...").
_DANGLING = re.compile(r"^[\"\u201c]?(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its)\b")


@dataclass(frozen=True)
class _Candidate:
    sid: str
    text: str
    order: int
    words: int
    score: float

    @property
    def dangling(self) -> bool:
        """Whether the sentence needs its predecessor to make sense."""
        return bool(_DANGLING.match(self.text))


class ExtractivePlanner:
    """Extractive planning: narration is the source's own sentences."""

    name = "extractive"
    version = __version__

    def plan(self, source: Source, settings: PlanSettings) -> ShotList:
        """Pick, order and group sentences into shots that fill ``settings.length_s``."""
        candidates = self._rank(source)
        if not candidates:
            raise PlanError(
                f"{source.title}: no sentence of {MIN_WORDS} to {MAX_WORDS} words to narrate; give a longer article"
            )
        chosen = self._select(candidates, settings)
        groups = self._group(chosen, settings)
        topic = source.title
        shots = []
        for number, group in enumerate(groups, start=1):
            narration = " ".join(c.text for c in group)
            shots.append(
                Shot(
                    id=f"shot-{number:02d}",
                    narration=narration,
                    on_screen_text=on_screen_text(narration),
                    visual_prompt=visual_prompt(narration, topic),
                    source_refs=[c.sid for c in group],
                    # Seeds come from the content, not the position, so inserting a shot
                    # does not change the look of the others.
                    seed=zlib.crc32(narration.encode("utf-8")) & 0x7FFFFFFF,
                )
            )
        return ShotList(
            title=source.title,
            kind=settings.kind,
            language=source.language,
            aspect=settings.aspect,
            voice=settings.voice,
            planner=PlannerInfo(name=self.name, version=self.version),
            shots=shots,
            source=source,
        )

    def _rank(self, source: Source) -> list[_Candidate]:
        items = list(source.sentences.items())[:MAX_CANDIDATES]
        usable = [
            (i, sid, text)
            for i, (sid, text) in enumerate(items)
            # Sentences that instruct an AI are never narrated.
            if MIN_WORDS <= len(text.split()) <= MAX_WORDS and sid not in source.injections
        ]
        if not usable:
            return []
        central = textrank([text for _, _, text in usable])
        central = central / central.max()
        lead = np.array([1.0 / (1.0 + i / 4.0) for i, _, _ in usable])
        scores = (1 - LEAD_WEIGHT) * central + LEAD_WEIGHT * lead
        return [
            _Candidate(sid, text, i, len(text.split()), float(score))
            for (i, sid, text), score in zip(usable, scores)
        ]

    @staticmethod
    def _seconds(words: int, settings: PlanSettings) -> float:
        return words / settings.words_per_second + settings.sentence_pause_s

    def _select(self, candidates: list[_Candidate], settings: PlanSettings) -> list[_Candidate]:
        budget = settings.length_s
        # Each shot adds a lead-in and a breath; expect about 1.5 sentences per shot.
        per_sentence_overhead = settings.shot_pause_s / 1.5
        ranked = sorted(candidates, key=lambda c: (-c.score, c.order))
        chosen: list[_Candidate] = []
        used = 0.0
        limit = settings.max_shots * 2
        for candidate in ranked:
            if candidate.dangling and not any(c.order == candidate.order - 1 for c in chosen):
                continue  # without the sentence before, "he" or "it" would point at nothing
            cost = self._seconds(candidate.words, settings) + per_sentence_overhead
            if used + cost <= budget * 1.05 and len(chosen) < limit:
                chosen.append(candidate)
                used += cost
        if not chosen:
            # Even the best sentence is longer than the target: narrate it alone.
            chosen = [ranked[0]]
        return sorted(chosen, key=lambda c: c.order)

    def _group(self, chosen: list[_Candidate], settings: PlanSettings) -> list[list[_Candidate]]:
        groups: list[list[_Candidate]] = []
        for candidate in chosen:
            last = groups[-1] if groups else None
            adjacent = last is not None and len(last) == 1 and candidate.order == last[0].order + 1
            if adjacent and last[0].words + candidate.words <= MAX_WORDS_PER_SHOT:
                last.append(candidate)
            else:
                groups.append([candidate])
        # Over the shot limit: pair neighbours that are still single, shortest pairs first.
        while len(groups) > settings.max_shots:
            pairs = [
                (groups[i][0].words + groups[i + 1][0].words, i)
                for i in range(len(groups) - 1)
                if len(groups[i]) == 1 and len(groups[i + 1]) == 1
            ]
            if not pairs:
                groups = groups[: settings.max_shots]
                break
            _, i = min(pairs)
            groups[i : i + 2] = [groups[i] + groups[i + 1]]
        return groups
