"""Pacing: a long shot gets a second visual from when its words are spoken."""

from __future__ import annotations

import av
import numpy as np
import pytest

from explainer.planning import PlanSettings, get_planner
from explainer.planning.pacing import MAX_BEAT_S, estimated_seconds, pace, refresh, second_beat
from explainer.planning.visuals import design
from explainer.rendering import RenderJob, get_renderer
from explainer.shotlist import Shot, parse_shotlist
from explainer.sources import load_source

from .conftest import SAMPLE

LONG = ("Council members voted 6 to 1 to approve the contract with Halvorsen Construction after a three-hour"
        " meeting that drew more than 200 residents.")


@pytest.mark.parametrize(("narration", "then"), [
    (LONG, "after a three-hour meeting that drew more than 200 residents"),
    ("Riverside Transit will add a free shuttle bus that crosses the Route 9 bridge every 15 minutes from 6 a.m."
     " to 10 p.m. on weekdays.", "bridge every 15 minutes from 6 a.m. to 10 p.m. on weekdays"),
    # Half a quotation would misquote: the phrase stops before the quote mark.
    ('Obama told the BBC that he had been unable to have made progress on the issue "even with the support'
     ' of most Americans".', "to have made progress on the issue"),
])
def test_the_second_visual_is_the_second_half_of_the_sentence(narration, then):
    assert second_beat(narration) == then


def test_every_long_shot_of_the_sample_gets_a_second_visual():
    settings = PlanSettings(length_s=60)
    shotlist = pace(design(get_planner("extractive").plan(load_source(str(SAMPLE)), settings)), settings)
    long = [s for s in shotlist.shots if estimated_seconds(s.narration, settings) > MAX_BEAT_S and s.kind != "quote"]
    assert long, "the sample has long sentences"
    for shot in long:
        assert shot.then and shot.then.lower() in shot.narration.lower(), shot.id


def test_a_second_visual_left_stale_by_an_edit_is_recut_from_the_new_narration():
    text = ("title: T\nvoice: joe\nplanner: {name: x, version: '1'}\nshots:\n"
            "- {id: a, narration: The bridge closes in March for repairs., then: opens in May}\n"
            f"- {{id: b, narration: '{LONG}', then: the contract with Halvorsen}}\n")
    shots = refresh(parse_shotlist(text)).shots
    assert shots[0].then == "" and shots[1].then == "the contract with Halvorsen"
    edited = parse_shotlist(text.replace("Council members voted", "The council voted"))
    assert refresh(edited).shots[1].then == "the contract with Halvorsen"
    moved = parse_shotlist(text.replace("the contract with Halvorsen}", "a contract nobody signed}"))
    assert refresh(moved).shots[1].then == "after a three-hour meeting that drew more than 200 residents"


def test_a_long_shot_changes_visual_when_its_words_are_spoken(tmp_path):
    job = RenderJob(frames=300, fps=30, width=640, height=360, title="Bridge closes")
    shot = Shot(id="a", narration=LONG, on_screen_text="6 to 1", then=second_beat(LONG))
    out = tmp_path / "long.mp4"
    get_renderer("cards").render(shot, job, out)
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]
    assert len(frames) == 300
    band = (slice(110, 250), slice(40, 600))  # where headlines sit
    # Steady within each visual, different between them: the first gives way to the second.
    assert np.abs(frames[120][band] - frames[100][band]).mean() < 3
    assert np.abs(frames[260][band] - frames[120][band]).mean() > 8
