"""The on-screen layer of every article in the corpus, as a picture editor audits it.

``python -m tests.corpus_report [FOLDER] [--write FILE]`` plans each article in the corpus
(tests/data/corpus by default) with the built-in planner, as ``explainer plan`` does (with
``--icons``, as ``explainer plan --icons``), and
prints per article each shot's kind, what it shows (figure value and label, quote speaker and
role, headline, beats) and the estimated time each visual is on screen; then the totals: pages
that made a plan, kinds, visual lengths. ``--write`` saves the on-screen layer as YAML (the
audit's starting point: tests/data/corpus-audit.yaml holds it checked by hand).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from explainer.errors import ExplainerError
from explainer.planning.base import PlanSettings
from explainer.planning.extractive import ExtractivePlanner
from explainer.planning.pacing import estimated_seconds
from explainer.pipeline import plan_checked
from explainer.rendering.cards import agenda_seconds, beat_times
from explainer.sources import load_source

CORPUS = Path(__file__).parent / "data" / "corpus"
SUFFIXES = (".html", ".htm", ".txt", ".md")


def visual_lengths(shot, settings: PlanSettings) -> list[float]:
    """Estimated seconds each visual of a shot is on screen (its agenda card, its own visual,
    then each following visual), scheduled as the renderer schedules them."""
    total = estimated_seconds(shot.narration, settings)
    agenda = agenda_seconds(shot, total)
    starts = [0.0] + ([agenda] if agenda else []) + [at for _, at in beat_times(shot, total)]
    ends = starts[1:] + [total]
    return [round(e - s, 1) for s, e in zip(starts, ends)]


def shown(shot) -> dict:
    """What a shot puts on screen, for the audit."""
    item: dict = {"shot": shot.id, "kind": shot.kind}
    if shot.kind == "figure":
        item["figure"] = {"value": shot.figure.value, "label": shot.figure.label}
    elif shot.kind == "quote":
        item["quote"] = {"speaker": shot.quote.speaker, "role": shot.quote.role, "text": shot.quote.text}
    elif shot.kind == "chart":
        item["chart"] = {"title": shot.chart.title, "points": [f"{p.label}: {p.shown}" for p in shot.chart.points]}
    elif shot.kind == "definition":
        item["definition"] = {"term": shot.definition.term, "meaning": shot.definition.meaning}
    elif shot.kind == "process":
        item["steps"] = list(shot.steps)
    elif shot.kind == "map":
        item["place"] = f"{shot.place.name} ({shot.place.type}: {shot.place.latitude:.2f}, {shot.place.longitude:.2f}, {shot.place.country})"
        item["headline"] = shot.on_screen_text
    elif shot.kind == "title":
        item["headline"] = shot.title_card.headline
    else:
        item["headline"] = shot.on_screen_text
    if shot.then:
        item["then"] = list(shot.then)
    if shot.icons:
        item["icons"] = dict(shot.icons)
    return item


def report(folder: Path = CORPUS, settings: PlanSettings = PlanSettings()) -> tuple[dict, dict]:
    """Per article its on-screen layer (or its error), and the totals (with ``settings.icons``,
    the embedding model chooses icons)."""
    from explainer.grounding import default_embedder

    embedder = default_embedder() if settings.icons else None
    articles: dict = {}
    kinds: Counter = Counter()
    visuals: Counter = Counter()
    kinds_per_video: list[int] = []
    lengths: list[float] = []
    seconds: list[float] = []
    for path in sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES):
        started = time.perf_counter()
        try:
            source = load_source(str(path))
            plan = plan_checked(ExtractivePlanner(), source, settings, embedder, ExtractivePlanner())
        except ExplainerError as e:
            articles[path.name] = {"error": str(e)}
            continue
        seconds.append(time.perf_counter() - started)
        articles[path.name] = {"title": plan.title, "shots": [shown(s) for s in plan.shots]}
        for shot in plan.shots:
            kinds[shot.kind] += 1
            lengths += visual_lengths(shot, settings)
            # Every visual on screen: the shot's own, its agenda card, each following phrase (a text card).
            visuals[shot.kind] += 1
            visuals["agenda"] += 1 if shot.agenda else 0
            # The following phrases the renderer shows (a phrase it cannot give its own time is left out).
            following = [p for p, _ in beat_times(shot, estimated_seconds(shot.narration, settings))]
            visuals["text"] += len(following)
            shown_phrases = following + ([shot.on_screen_text] if shot.kind == "text" else [])
            visuals["icon"] += sum(p in shot.icons for p in shown_phrases)  # text visuals with an icon beside them
        kinds_per_video.append(len({s.kind for s in plan.shots} | ({"agenda"} if any(s.agenda for s in plan.shots) else set())))
    totals = {
        "articles": len(articles), "planned": sum("shots" in a for a in articles.values()),
        "kinds": dict(kinds.most_common()),
        "visuals": dict(visuals.most_common()),
        # A text visual with an icon beside it counts as an icon, not as plain text.
        "text_share_of_visuals": round((visuals["text"] - visuals["icon"]) / max(1, sum(visuals.values()) - visuals["icon"]), 3),
        "median_kinds_per_video": statistics.median(kinds_per_video) if kinds_per_video else 0,
        "visual_s": {"median": statistics.median(lengths) if lengths else 0, "max": max(lengths, default=0),
                     "over_8": sum(v > 8 for v in lengths), "under_3": sum(v < 3 for v in lengths), "count": len(lengths)},
        "plan_s": {"median": round(statistics.median(seconds), 3) if seconds else 0, "max": round(max(seconds, default=0), 3)},
    }
    return articles, totals


def main(argv: list[str]) -> None:
    folder = Path(argv[0]) if argv and not argv[0].startswith("--") else CORPUS
    articles, totals = report(folder, PlanSettings(icons="--icons" in argv))
    text = yaml.safe_dump(articles, sort_keys=False, allow_unicode=True, width=120)
    if "--write" in argv:
        Path(argv[argv.index("--write") + 1]).write_text(text, encoding="utf-8")
    else:
        print(text)
    print(yaml.safe_dump({"totals": totals}, sort_keys=False))


if __name__ == "__main__":
    main(sys.argv[1:])
