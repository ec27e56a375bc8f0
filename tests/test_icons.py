"""Icons beside headlines: chosen by the real embedding model, none when the sense is doubtful."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.errors import InputError, RenderError
from explainer.grounding import default_embedder
from explainer.planning.icons import icon_chooser, vocabulary, with_icons
from explainer.rendering import RenderJob, get_renderer
from explainer.rendering.pictograms import pictogram
from explainer.shotlist import Shot, ShotList

pytestmark = pytest.mark.skipif(default_embedder() is None, reason="the embeddings extra is not installed")


@pytest.fixture(scope="module")
def chooser():
    return icon_chooser(default_embedder())


@pytest.mark.parametrize(("phrase", "sentence", "icon"), [
    ("Electric delivery vans", "Amazon ordered 100,000 electric delivery vans.", "truck-delivery"),
    ("Hospital beds", "The hospital added 40 beds for flu patients.", "building-hospital"),
    ("Crane", "A crane lifted the steel beam onto the bridge.", "crane"),
])
def test_a_phrase_gets_the_icon_of_what_it_names(chooser, phrase, sentence, icon):
    assert chooser.choose(phrase, sentence) == icon


@pytest.fixture(scope="module")
def parse():
    from explainer.parsing import parser_for

    return lambda phrase: parser_for("en").parse([phrase])[0]


@pytest.mark.parametrize(("phrase", "sentence", "icon"), [
    # By meaning alone the jetpack came closest; the phrase is about a rocket.
    ("SpaceX Falcon 9 rocket", "The satellite launched aboard a SpaceX Falcon 9 rocket.", "rocket"),
    ("Mission's Cloud Profiling Radar", "In 2006 the mission's Cloud Profiling Radar was the first 94 GHz radar in space.", "radar"),
])
def test_the_noun_a_phrase_is_about_names_its_icon(chooser, parse, phrase, sentence, icon):
    assert chooser.choose(phrase, sentence) != icon  # meaning alone does not find it
    assert chooser.choose(phrase, sentence, parse(phrase)) == icon


@pytest.mark.parametrize(("phrase", "sentence"), [
    ("River bank", "The river bank flooded after the storm."),  # "bank" names the lender's building
    ("Mouse", "The mouse ran under the kitchen table."),  # and "mouse" the device
    ("Crane", "A crane waded through the marsh at dawn."),
    ("Progress of women", "We celebrate the achievements and progress of women."),  # about progress, not a woman
    ("White House Gender Policy Council", "An order established the White House Gender Policy Council."),
])
def test_a_named_icon_of_another_sense_or_a_modifier_is_not_shown(chooser, parse, phrase, sentence):
    assert chooser.choose(phrase, sentence, parse(phrase)) is None


@pytest.mark.parametrize(("phrase", "sentence"), [
    ("River bank", "The river bank flooded after the storm."),  # not a lender
    ("Crane", "A crane waded through the marsh at dawn."),  # the bird, not the machine
    ("Mouse", "The mouse ran under the kitchen table."),  # the animal, not the device
    ("Bass", "He caught a bass in the lake."),
    ("Pitch", "The pitch was waterlogged before kick-off."),  # a football ground, not a baseball
    ("Key bottleneck point", "Meat processing is a key bottleneck point."),  # nothing to draw
])
def test_a_wrong_or_doubtful_sense_gets_no_icon(chooser, phrase, sentence):
    assert chooser.choose(phrase, sentence) is None


def test_only_things_a_story_is_about_are_candidates():
    names = vocabulary()
    assert "building-hospital" in names and "truck-delivery" in names
    assert not any(n.startswith("arrow") or n.endswith("-off") for n in names)


def test_icons_are_recorded_by_phrase_and_drawn_in_the_accent_colour(chooser):
    shot = Shot(id="a", narration="The hospital added 40 beds for flu patients.", on_screen_text="Hospital beds")
    plan = with_icons(ShotList(title="Flu", voice="joe", planner={"name": "x", "version": "1"}, shots=[shot]), chooser)
    assert plan.shots[0].icons == {"Hospital beds": "building-hospital"}
    job = RenderJob(frames=25, fps=25, width=1280, height=720, title="Flu")
    frame = np.asarray(get_renderer("cards").still(plan.shots[0], job)).astype(int)
    from explainer.rendering.palette import palette_for

    accent = np.array(palette_for("Flu").accent)
    right = frame[:, 900:]  # the icon stands right of the headline
    assert (np.abs(right - accent).max(axis=2) < 30).sum() > 500


def test_an_unknown_icon_and_a_missing_model_are_one_line_errors():
    with pytest.raises(RenderError, match="'rocket-launcher' is not a Tabler outline icon"):
        pictogram("rocket-launcher", 64, (255, 255, 255))
    with pytest.raises(InputError, match=r"--icons needs the sentence-embedding model"):
        icon_chooser(None)
