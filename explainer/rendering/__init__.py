"""Renderers: make each shot's footage. ``RENDERERS`` maps a CLI name to a factory."""

from __future__ import annotations

from ..registry import Registry
from .base import RenderJob, Renderer
from .cards import CardsRenderer

RENDERERS: Registry[Renderer] = Registry("renderer")
RENDERERS.register("cards", CardsRenderer)


def get_renderer(name: str) -> Renderer:
    """A new renderer by its registered name."""
    return RENDERERS.create(name)


__all__ = ["CardsRenderer", "RENDERERS", "RenderJob", "Renderer", "get_renderer"]
