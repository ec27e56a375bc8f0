"""Errors of the voices package (a leaf: it knows nothing of the rest of the project)."""

from __future__ import annotations


class VoiceError(Exception):
    """A voice cannot be found, loaded or used. The message says what to do."""
