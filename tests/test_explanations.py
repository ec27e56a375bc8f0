"""Teaching visuals from the parse: a term and its definition, a process in its steps."""

from __future__ import annotations

import pytest

from explainer.grounding import Grounder
from explainer.parsing import parser_for
from explainer.planning.definitions import definition_in
from explainer.planning.steps import steps_in
from explainer.planning.visuals import design
from explainer.rendering.kinds.process import layers as process_layers
from explainer.rendering import RenderJob
from explainer.rendering.palette import palette_for
from explainer.shotlist import Shot, ShotList
from explainer.sources import parse_source


def doc(text: str):
    return parser_for("en").parse([text])[0]


@pytest.mark.parametrize(("text", "term", "meaning"), [
    ("Photosynthesis is the process by which green plants use sunlight to make sugar from carbon dioxide and water.",
     "Photosynthesis", "the process by which green plants use sunlight to make sugar from carbon dioxide and water"),
    ("The Artemis Accords are a set of principles for the exploration of space.", "Artemis Accords",
     "a set of principles for the exploration of space"),
    ("Firefox is a web browser made by Mozilla.", "Firefox", "a web browser made by Mozilla"),
    # A name given in the passive: the name is the term (OpenStax Astronomy 2e, 2.1).
    ("The top of that dome, the point directly above your head, is called the zenith, and where the dome meets Earth "
     "is called the horizon.", "zenith", "The top of that dome, the point directly above your head"),
    ("Water that seeps into the ground is called groundwater.", "groundwater", "Water that seeps into the ground"),
])
def test_a_term_and_what_the_sentence_says_it_is(text, term, meaning):
    found = definition_in(doc(text))
    assert (found.term, found.meaning) == (term, meaning)


@pytest.mark.parametrize("text", [
    "The ferry is a lifeline for the island.",  # one ferry, described
    "It is a new kind of battery.",  # a pronoun defines nothing on screen
    "Lee's victory is a product of years of effort.",  # one person's, not a term
    "A whale is not a fish.",  # what it is not
    "HyTEC is a key component of NASA's Sustainable Flight National Partnership.",  # how it relates, not what it is
    "The new bridge is called a lifeline by residents.",  # what some call it, not what it is
])
def test_a_description_is_not_a_definition(text):
    assert definition_in(doc(text)) is None


def test_sentences_that_say_their_order_are_steps_each_a_whole_phrase():
    docs = parser_for("en").parse(["First, water evaporates from the ocean.", "Then the vapour condenses into clouds.",
                                   "Finally, rain falls back to the ground.", "Rivers carry it to the sea."])
    assert steps_in(docs) == (["Water evaporates from the ocean", "Vapour condenses", "Rain falls"], 3)


def test_one_transition_is_not_a_process():
    docs = parser_for("en").parse(["The council met on Tuesday.", "Then it voted to close the bridge."])
    assert steps_in(docs) is None


STORY = """# How rain forms

The water cycle moves water between the ocean, the air and the land. First, the sun heats the ocean and water
evaporates into the air. Then the vapour cools and condenses into clouds. Finally, rain falls back to the ground.
"""


def test_a_process_goes_on_in_the_next_sentences_and_passes_the_grounding_check(tmp_path):
    source = parse_source(STORY.encode(), "rain.md", min_words=5)
    ids = list(source.sentences)
    first = next(sid for sid in ids if source.sentences[sid].startswith("First"))
    shots = [Shot(id="a", narration=source.sentences[ids[1]], source_refs=[ids[1]]),
             Shot(id="b", narration=source.sentences[first], source_refs=[first])]
    plan = design(ShotList(title="How rain forms", voice="joe", planner={"name": "x", "version": "1"}, shots=shots, source=source))
    process = plan.shots[1]
    assert process.kind == "process" and process.steps[0] == "Sun heats the ocean" and len(process.steps) == 3
    assert Grounder(source).check_shot(process).issues == []
    # Drawn in order, one layer a step, each later than the one before.
    built = process_layers(process, RenderJob(frames=50, fps=25, width=1280, height=720, title="How rain forms"),
                           palette_for("How rain forms"), tmp_path)
    assert [layer.path.name for layer in built] == ["step0.png", "step1.png", "step2.png"]
    assert [layer.start_s for layer in built] == sorted(layer.start_s for layer in built)
    assert built[0].at[0] < built[1].at[0] < built[2].at[0]  # left to right across a wide frame
