"""The language of a text whose file or page does not declare one, by py3langid."""

from __future__ import annotations

import threading
from typing import Iterable

#: Fewer words than this say too little to tell a language by; such texts are taken as English.
MIN_WORDS = 20
#: How much of the text is read: the opening is enough and keeps a 5 MB article fast.
SAMPLE_CHARS = 4000


def guess_language(sentences: Iterable[str], default: str = "en") -> str:
    """The ISO 639-1 code of the language the sentences are written in (``default`` when short)."""
    sample = ""
    for sentence in sentences:
        sample += sentence + " "
        if len(sample) >= SAMPLE_CHARS:
            break
    if len(sample.split()) < MIN_WORDS:
        return default
    code, _ = _classify(sample)
    return code


_LOCK = threading.Lock()


def _classify(sample: str) -> tuple[str, float]:
    import py3langid

    with _LOCK:  # the model is loaded once, by whichever thread comes first
        return py3langid.classify(sample)


def prepare() -> None:
    """Load the identifier's model (an xz-compressed table: ~0.4 s on this machine) on a
    background thread while the command starts, so that an article declaring no language is
    not kept waiting for it."""
    threading.Thread(target=_classify, args=("prepare",), name="language-load", daemon=True).start()
