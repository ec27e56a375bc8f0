"""Planners: write a ShotList from a Source. ``PLANNERS`` maps a CLI name to a factory."""

from __future__ import annotations

from ..registry import Registry
from .base import PlanSettings, Planner
from .extractive import ExtractivePlanner

PLANNERS: Registry[Planner] = Registry("planner")
PLANNERS.register("extractive", ExtractivePlanner)


def get_planner(name: str) -> Planner:
    """A new planner by its registered name."""
    return PLANNERS.create(name)


__all__ = ["ExtractivePlanner", "PLANNERS", "PlanSettings", "Planner", "get_planner"]
