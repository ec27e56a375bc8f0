"""A chronology told across shots, summed up on a timeline.

A lesson on Galileo narrates one dated event a shot ("... in 1609", "In 1610 ...", "In 1616
..."); each shot alone holds one year, so none is a timeline. When three or more text shots
in a row each say one year (a different one each), the last of them becomes a timeline of
the run: each event dated as the source writes the year and labelled by its own shot's
headline (a whole phrase of its sentence), citing every sentence it shows.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..shotlist import Shot, Source, Timeline, TimelineEvent

#: Fewest dated shots in a row that make a chronology worth a timeline.
MIN_EVENTS = 3
#: Most events a timeline holds (the schema's limit): the latest of a longer run.
MAX_EVENTS = 5
_YEAR = re.compile(r"(?<![\d$.,])\b(1[5-9]\d\d|20\d\d)\b(?![\d%])")


def _year(shot: Shot, source: Source) -> str | None:
    """The one year a text shot's cited sentences say, or None (none, or several)."""
    if shot.kind != "text":
        return None
    text = " ".join(source.sentences[r] for r in shot.source_refs if r in source.sentences)
    years = set(_YEAR.findall(text))
    return years.pop() if len(years) == 1 else None


def with_chronology(shots: Sequence[Shot], source: Source) -> list[Shot]:
    """The shots with each run of ``MIN_EVENTS`` or more dated text shots summed up on a
    timeline at its last shot (the others stay as they are)."""
    out = list(shots)
    run: list[tuple[int, str]] = []

    def close() -> None:
        if len(run) < MIN_EVENTS:
            return
        shown = run[-MAX_EVENTS:]
        events = sorted((TimelineEvent(date=year, label=out[i].on_screen_text) for i, year in shown), key=lambda e: e.date)
        refs = list(dict.fromkeys(r for i, _ in shown for r in out[i].source_refs))
        last = run[-1][0]
        out[last] = out[last].model_copy(update={"kind": "timeline", "timeline": Timeline(events=events), "source_refs": refs})

    for i, shot in enumerate(out):
        year = _year(shot, source)
        if year is not None and all(year != y for _, y in run) and shot.on_screen_text.strip():
            run.append((i, year))
            continue
        close()
        run = [(i, year)] if year is not None and shot.on_screen_text.strip() else []
    close()
    return out
