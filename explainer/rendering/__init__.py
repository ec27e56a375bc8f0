"""Renderers: make each shot's footage. Registry maps a CLI name to a factory."""

from __future__ import annotations

from typing import Callable

from ..errors import InputError
from .base import RenderJob, Renderer
from .cards import CardsRenderer

RENDERERS: dict[str, Callable[[], Renderer]] = {
    "cards": CardsRenderer,
}


def register_renderer(name: str, factory: Callable[[], Renderer]) -> None:
    """Make a renderer available by name (to the CLI and settings)."""
    RENDERERS[name] = factory


def get_renderer(name: str) -> Renderer:
    """A new renderer by its registered name."""
    try:
        return RENDERERS[name]()
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise InputError(f"unknown renderer {name!r}; use one of: {known}") from None


__all__ = ["CardsRenderer", "RENDERERS", "RenderJob", "Renderer", "get_renderer", "register_renderer"]
