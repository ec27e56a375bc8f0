"""Explainer: narrated, captioned explainer videos from articles, marked as AI-generated."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

# The library never configures logging; the CLI does.
logging.getLogger(__name__).addHandler(logging.NullHandler())
