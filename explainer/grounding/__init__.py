"""Grounding: every narrated line checked against its source; prompt injections found."""

from .check import Embedder, Grounder, LineCheck, MiniLMEmbedder, default_embedder, unsupported_shots
from .injection import find_injections, injection_reason

__all__ = [
    "Embedder", "Grounder", "LineCheck", "MiniLMEmbedder", "default_embedder", "find_injections",
    "injection_reason", "unsupported_shots",
]
