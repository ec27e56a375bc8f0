"""Renderers: make each shot's footage. ``RENDERERS`` maps a CLI name to a factory."""

from __future__ import annotations

from ..registry import Registry
from .base import RenderJob, Renderer
from .cards import CardsRenderer

RENDERERS: Registry[Renderer] = Registry("renderer")
RENDERERS.register("cards", lambda settings: CardsRenderer())


def _diffusers(settings) -> Renderer:
    # Imported on demand: torch and diffusers load only when this renderer is asked for.
    from .diffusion import DiffusersRenderer

    return DiffusersRenderer.from_settings(settings)


RENDERERS.register("diffusers", _diffusers)


def get_renderer(name: str, settings=None) -> Renderer:
    """A new renderer by its registered name, configured from the run's settings."""
    return RENDERERS.create(name, settings)


__all__ = ["CardsRenderer", "RENDERERS", "RenderJob", "Renderer", "get_renderer"]
