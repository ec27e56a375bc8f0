"""Pacing: a long shot gets following visuals, whole phrases shown from when their words are spoken."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.planning import PlanSettings, get_planner
from explainer.parsing import parser_for
from explainer.planning.pacing import beats, pace, refresh
from tests.corpus_report import visual_lengths
from tests.frames import shown
from explainer.planning.visuals import design
from explainer.rendering import RenderJob, get_renderer
from explainer.shotlist import Shot, parse_shotlist
from explainer.sources import load_source

from .conftest import SAMPLE

LONG = ("Council members voted 6 to 1 to approve the contract with Halvorsen Construction after a three-hour"
        " meeting that drew more than 200 residents.")


def _beats(narration: str) -> list[str]:
    return beats(parser_for("en").parse([narration])[0], PlanSettings())


@pytest.mark.parametrize(("narration", "then"), [
    (LONG, ["Drew more than 200 residents"]),
    ("Riverside Transit will add a free shuttle bus that crosses the Route 9 bridge every 15 minutes from 6 a.m."
     " to 10 p.m. on weekdays.", ["Crosses the Route 9 bridge"]),
    # Two clauses past the first: a visual for each, cut where each starts, and "to assess" read
    # as the verb phrase it heads.
    ("The Center of Humane Technology's humane design guide is an activity to assess a product or feature across six"
     " categories of human vulnerabilities and to identify actions to protect or support your users.",
     ["Assess a product or feature", "Identify actions"]),
    # Inside a quotation, or a verb cut from "unable to": no phrase at all rather than a misquote.
    ('Obama told the BBC that he had been unable to have made progress on the issue "even with the support'
     ' of most Americans".', []),
])
def test_each_following_visual_is_a_whole_phrase_from_where_its_run_starts(narration, then):
    assert _beats(narration) == then


def test_every_visual_of_the_sample_is_up_three_to_eight_seconds():
    settings = PlanSettings(length_s=60)
    shotlist = pace(design(get_planner("extractive").plan(load_source(str(SAMPLE)), settings)), settings)
    lengths = [v for shot in shotlist.shots for v in visual_lengths(shot, settings)]
    assert any(shot.then for shot in shotlist.shots), "the sample has long sentences"
    assert max(lengths) <= 8.0, lengths
    for shot in shotlist.shots:
        for phrase in shot.then:
            assert phrase.lower() in shot.narration.lower() and len(phrase.split()) >= 2, (shot.id, phrase)


def test_when_only_the_first_visual_fits_a_relative_clause_shows_its_verb_phrase():
    # The library's noun phrase is the shot's own headline; without the relative clause read
    # without its "that", nothing else could be shown and the headline would hold 8.6 s.
    narration = ("Blanket.js is an easy to install, easy to configure, and easy to use JavaScript code coverage"
                 " library that works both in-browser and with nodejs.")
    doc = parser_for("en").parse([narration])[0]
    assert beats(doc, PlanSettings(), shown=["JavaScript code coverage library"]) == [
        "Works both in-browser and with nodejs"]


def test_following_visuals_left_stale_by_an_edit_are_recut_from_the_new_narration():
    text = ("title: T\nvoice: joe\nplanner: {name: x, version: '1'}\nshots:\n"
            "- {id: a, narration: The bridge closes in March for repairs., then: opens in May}\n"
            f"- {{id: b, narration: '{LONG}', then: [the contract with Halvorsen]}}\n")
    shots = refresh(parse_shotlist(text)).shots
    # A shot list from before several beats holds one string: it is read as a list of one.
    assert shots[0].then == [] and shots[1].then == ["the contract with Halvorsen"]
    edited = parse_shotlist(text.replace("Council members voted", "The council voted"))
    assert refresh(edited).shots[1].then == ["the contract with Halvorsen"]
    moved = parse_shotlist(text.replace("[the contract with Halvorsen]", "[a contract nobody signed]"))
    assert refresh(moved).shots[1].then == ["Drew more than 200 residents"]


def test_a_long_shot_changes_visual_when_its_words_are_spoken(tmp_path):
    job = RenderJob(frames=300, fps=30, width=640, height=360, title="Bridge closes")
    shot = Shot(id="a", narration=LONG, on_screen_text="6 to 1", then=_beats(LONG))
    out = tmp_path / "long.mp4"
    get_renderer("cards").render(shot, job, out)
    frames = [f.astype(int) for f in shown(out, job.fps)]
    assert len(frames) == 300
    band = (slice(110, 250), slice(40, 600))  # where headlines sit
    # Steady within each visual, different between them: the first gives way to the second.
    assert np.abs(frames[120][band] - frames[100][band]).mean() < 3
    assert np.abs(frames[260][band] - frames[120][band]).mean() > 8


@pytest.mark.parametrize(("text", "words"), [
    ("1,140 billion tons", 5),  # one thousand one hundred forty billion tons
    ("in 2006", 4),  # in two thousand six
    ("11 hours and 55 minutes", 6),  # eleven hours and fifty-five minutes
    ("$18.6 million", 5),  # eighteen point six million dollars
    ("20,235 people", 7),  # twenty thousand two hundred thirty-five people
    ("The bridge closes in March.", 5),
])
def test_a_shot_is_timed_by_its_words_as_spoken_numbers_read_out(text, words):
    from explainer.planning.speech import spoken_words

    assert spoken_words(text) == words


def test_a_phrase_said_soon_after_the_visual_before_waits_its_turn_rather_than_being_left_out(tmp_path):
    from explainer.rendering.cards import MIN_VISUAL_S, beat_times

    narration = ("The Greenland Ice Sheet has shed about one-fifth more ice mass in the past four decades than previously "
                 "estimated, researchers at NASA's Jet Propulsion Laboratory in Southern California reported in a new paper.")
    shot = Shot(id="a", narration=narration, on_screen_text="NASA's Jet Propulsion Laboratory",
                then=["About one-fifth more ice mass", "Reported in a new paper"])
    times = beat_times(shot, 11.5)
    # Its words come 2.2 s in: it appears at 2.5 s, not never (it was left out, the headline held 9.4 s).
    assert [p for p, _ in times] == shot.then and times[0][1] == MIN_VISUAL_S and 9.0 < times[1][1] < 9.6
    job = RenderJob(frames=345, fps=30, width=640, height=360, title="Greenland")
    out = tmp_path / "beats.mp4"
    get_renderer("cards").render(shot, job, out)
    frames = [f.astype(int) for f in shown(out, job.fps)]
    band = (slice(110, 250), slice(40, 600))
    assert np.abs(frames[150][band] - frames[60][band]).mean() > 8  # 5 s: the first following phrase, not the headline
