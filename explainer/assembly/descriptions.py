"""Text audio description (WCAG 2.1, 1.2.5): what each shot shows that the narration does not say.

One WebVTT cue per shot, over the whole shot, ``kind="descriptions"`` in a player: the chart's
values, who is quoted, the figure's label, the timeline's dates, a list's points. A shot that
only shows words the narration speaks gets no cue.
"""

from __future__ import annotations

from typing import Sequence

from .captions import Cue
from ..shotlist import MediaItem, Shot


def shot_description(shot: Shot, media: MediaItem | None = None) -> str | None:
    """What a sighted viewer sees in ``shot`` and a listener does not hear, or None.
    ``media`` is the photo or clip a media shot shows."""
    spoken = shot.narration.lower()
    if shot.kind == "media" and media is not None:
        what = "Photo" if media.type == "photo" else "Video"
        said = f"{what}: {media.caption}" if media.caption else f"{what} {media.id}"
        return said.rstrip(".") + "." + (f" {media.credit}." if media.credit else "")
    if shot.kind == "title" and shot.title_card:
        card = shot.title_card
        by = ", ".join(x for x in (card.source_line, card.date) if x)
        return f"Title: {card.headline}" + (f". {by}." if by else ".")
    if shot.kind == "chart" and shot.chart:
        chart = shot.chart
        values = "; ".join(f"{p.label}: {p.shown}" for p in chart.points)
        return f"{'Bar' if chart.type == 'bar' else 'Line'} chart, {chart.title}: {values}."
    if shot.kind == "timeline" and shot.timeline:
        return "Timeline: " + "; ".join(f"{e.date}, {e.label}" for e in shot.timeline.events) + "."
    if shot.kind == "quote" and shot.quote:
        who = shot.quote.speaker + (f", {shot.quote.role}" if shot.quote.role else "")
        return f"Quote from {who}."
    if shot.kind == "figure" and shot.figure:
        figure = shot.figure
        return f"On screen: {figure.value}, {figure.label}."
    if shot.kind == "process" and shot.steps:
        return "Steps: " + "; ".join(f"{i}. {step}" for i, step in enumerate(shot.steps, start=1)) + "."
    if shot.kind == "definition" and shot.definition:
        return f"Definition: {shot.definition.term}, {shot.definition.meaning}."
    if shot.kind == "map" and shot.place:
        place = shot.place
        where = place.name if place.type == "country" else f"{place.name}, {place.country}"
        return f"Map: {where}."
    if shot.kind == "list" and shot.points:
        return "On screen, a list: " + "; ".join(shot.points) + "."
    text = shot.on_screen_text.strip()
    if text and text.lower() not in spoken:
        return f"On screen: {text}."
    return None


def description_cues(shots: Sequence[Shot], starts: Sequence[float], durations: Sequence[float],
                     media: Sequence[MediaItem] = ()) -> list[Cue]:
    """One cue per described shot, spanning the shot."""
    items = {item.id: item for item in media}
    cues: list[Cue] = []
    for shot, start, duration in zip(shots, starts, durations):
        text = shot_description(shot, items.get(shot.media))
        if text:
            cues.append(Cue(start, start + duration, (text,)))
    return cues
