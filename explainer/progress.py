"""Progress reporting: the pipeline calls a callback; the CLI turns it into bars."""

from __future__ import annotations

from typing import Callable

#: ``progress(stage, done, total)``: called when a stage starts (done=0) and as it advances.
ProgressFn = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""
