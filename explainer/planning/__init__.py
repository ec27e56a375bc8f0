"""Planners: write a ShotList from a Source. Registry maps a CLI name to a factory."""

from __future__ import annotations

from typing import Callable

from ..errors import InputError
from .base import PlanSettings, Planner
from .extractive import ExtractivePlanner

PLANNERS: dict[str, Callable[[], Planner]] = {
    "extractive": ExtractivePlanner,
}


def register_planner(name: str, factory: Callable[[], Planner]) -> None:
    """Make a planner available by name (to the CLI and settings)."""
    PLANNERS[name] = factory


def get_planner(name: str) -> Planner:
    """A new planner by its registered name."""
    try:
        return PLANNERS[name]()
    except KeyError:
        known = ", ".join(sorted(PLANNERS))
        raise InputError(f"unknown planner {name!r}; use one of: {known}") from None


__all__ = ["ExtractivePlanner", "PLANNERS", "PlanSettings", "Planner", "get_planner", "register_planner"]
