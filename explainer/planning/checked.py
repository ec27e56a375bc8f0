"""Planning under the plan checks: check, repair once, fall back, and say so.

A plan that fails its checks goes back once to a planner that can repair (the LLM planner
sends the failures to the model). If the repaired plan fails too, or the planner gives up,
the fallback planner (the extractive one) writes the plan instead, and the shot list's
``planner`` field records what was replaced and why, so the record and the manifest say it.
"""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from ..errors import PlanError
from ..shotlist import ShotList, Source
from .base import PlanSettings, Planner
from .checks import CheckFailure, check_plan, source_capacity

log = logging.getLogger(__name__)


@runtime_checkable
class RepairablePlanner(Protocol):
    """A planner that can be told what was wrong with its plan and try once more."""

    def repair(self, source: Source, settings: PlanSettings, shotlist: ShotList, failures: list[CheckFailure]) -> ShotList:
        """A new plan that fixes ``failures``."""
        ...


def _label(planner: Planner) -> str:
    model = getattr(planner, "model_label", None)
    return f"{planner.name} ({model})" if model else planner.name


def _checks(planner: Planner, shotlist: ShotList, source: Source, settings: PlanSettings) -> list[CheckFailure]:
    return check_plan(shotlist, settings, capacity=source_capacity(source, settings), instructions=getattr(planner, "instructions", ""))


#: Failures a planner that narrates only the source's own sentences cannot fix by writing:
#: the source is shorter (or its shortest sentence longer) than the target. Its plan is taken
#: as it is, with one warning, rather than refused.
LENGTH_CODES = frozenset({"length-off", "too-few-shots"})


def _accepted(planner: Planner, shotlist: ShotList, failures: list[CheckFailure]) -> ShotList | None:
    """The plan, with a warning recorded, when its only failures are of length and its planner
    takes the length the source gives (``accepts_length``); else None."""
    if not failures or not getattr(planner, "accepts_length", False) or any(f.code not in LENGTH_CODES for f in failures):
        return None
    note = f"accepted as it is: {_summary(failures)} (the source gives no more, or no less)"
    log.info("%s", note)  # the CLI and the record say it, once
    return shotlist.model_copy(update={"planner": shotlist.planner.model_copy(update={"repaired": [note]})})


def _summary(failures: list[CheckFailure]) -> str:
    more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
    return "; ".join(str(f) for f in failures[:3]) + more


def plan_with_checks(planner: Planner, source: Source, settings: PlanSettings, fallback: Planner | None = None) -> ShotList:
    """A plan that passes the checks: the planner's, its repair, or the fallback's."""
    try:
        shotlist = planner.plan(source, settings)
        failures = _checks(planner, shotlist, source, settings)
        if failures and isinstance(planner, RepairablePlanner):
            log.info("plan failed its checks (%s); asking for a repair", _summary(failures))
            first = failures
            shotlist = planner.repair(source, settings, shotlist, failures)
            failures = _checks(planner, shotlist, source, settings)
            if not failures:
                info = shotlist.planner.model_copy(update={"repaired": [str(f) for f in first]})
                return shotlist.model_copy(update={"planner": info})
        accepted = _accepted(planner, shotlist, failures)
        if accepted is not None:
            return accepted
        reason = f"its plan failed the plan checks{' twice' if isinstance(planner, RepairablePlanner) else ''}: {_summary(failures)}" if failures else ""
    except PlanError as e:
        failures, reason = [CheckFailure("planner-failed", str(e))], f"it could not write a plan: {e}"
    if not failures:
        return shotlist
    if fallback is None or not source.sentences:
        advice = "" if planner.name == "extractive" else "; try again, or use --planner extractive"
        raise PlanError(f"the {_label(planner)} plan cannot be used: {reason}{advice}")
    replacement = fallback.plan(source, settings)
    remaining = _checks(fallback, replacement, source, settings)
    accepted = _accepted(fallback, replacement, remaining)
    if accepted is not None:
        replacement, remaining = accepted, []
    if remaining:
        raise PlanError(f"no usable plan: the {_label(planner)} planner {reason}, and the {fallback.name} plan too: {_summary(remaining)}")
    info = replacement.planner.model_copy(update={"fallback_from": _label(planner), "fallback_reason": reason})
    return replacement.model_copy(update={"planner": info})
