"""Planners: write a ShotList from a Source. ``PLANNERS`` maps a CLI name to a factory."""

from __future__ import annotations

from ..registry import Registry
from .base import PlanSettings, Planner
from .extractive import ExtractivePlanner

PLANNERS: Registry[Planner] = Registry("planner")
PLANNERS.register("extractive", lambda settings: ExtractivePlanner())


def _llm_planner(settings) -> Planner:
    # Imported on demand: LangChain is only loaded when the LLM planner is asked for.
    from .llm import LLMPlanner

    return LLMPlanner.from_settings(settings)


PLANNERS.register("llm", _llm_planner)


def get_planner(name: str, settings=None) -> Planner:
    """A new planner by its registered name, configured from the run's settings."""
    return PLANNERS.create(name, settings)


__all__ = ["ExtractivePlanner", "PLANNERS", "PlanSettings", "Planner", "get_planner"]
