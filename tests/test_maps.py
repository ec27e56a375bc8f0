"""Locator maps: places from the parse, resolved by the shipped gazetteer, drawn where they are."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.grounding import Grounder
from explainer.parsing import parser_for
from explainer.planning.places import place_in, story_places
from explainer.planning.visuals import design
from explainer.rendering import RenderJob, get_renderer
from explainer.rendering.atlas import countries
from explainer.rendering.kinds.layout import safe_box
from explainer.rendering.kinds.map import extent, project
from explainer.shotlist import ASPECT_SIZES, Shot, ShotList
from explainer.sources import parse_source


def place(text: str, story: str = ""):
    parser = parser_for("en")
    docs = parser.parse([text])
    return place_in(docs, story_places(parser.parse([story]) if story else docs))


@pytest.mark.parametrize(("text", "story", "expected"), [
    # A city several places share is the one in the story's state or country...
    ("Springfield officials met on Monday.", "The vote was in Illinois.", ("Springfield", "United States", 39.8, -89.6)),
    # ...a capital or a far larger namesake stands alone...
    ("The quake struck near Wellington on Tuesday.", "", ("Wellington", "New Zealand", -41.3, 174.8)),
    ("Officials in Paris said the plan would go ahead.", "", ("Paris", "France", 48.9, 2.3)),
    # ...and a city is more telling than the country around it.
    ("The agreement was signed in Vilnius, Lithuania, on Wednesday.", "", ("Vilnius", "Lithuania", 54.7, 25.3)),
])
def test_a_place_is_resolved_by_the_gazetteer_and_the_story(text, story, expected):
    found = place(text, story)
    assert (found.name, found.country, round(found.latitude, 1), round(found.longitude, 1)) == expected


@pytest.mark.parametrize(("text", "story"), [
    ("Springfield officials met on Monday.", ""),  # five Springfields, no clue which
    ("The Colorado River is shrinking.", ""),  # a state and a river, not Colorado, Paraná
    ("Researchers in Antarctica measured the ice.", ""),  # no capital to place it by
    ("Springfield officials met on Monday.", "The vote was in France."),  # no Springfield in the story's country
    # A planet, not Jupiter, Florida (a LOC is no city; a town of 60,000 alone is not the one meant).
    ("In 1610 he published The Starry Messenger, describing the moons of Jupiter.", ""),
    # Rivers listed with their basins, not Orange, New South Wales (a story naming Australia).
    ("The study found intense water use in parts of the Colorado, Amazon, Orange, and Murray-Darling river basins.",
     "The Murray-Darling basin is in southeastern Australia."),
])
def test_a_place_the_gazetteer_cannot_be_sure_of_makes_no_map(text, story):
    assert place(text, story) is None


def test_a_country_is_framed_as_its_mainland():
    found = place("The United States signed the accords.")
    west, south, east, north = countries()[found.country_code].bounds(near=(found.longitude, found.latitude))
    assert (found.type, round(west), round(east)) == ("country", -125, -67)  # not Alaska, not Guam
    assert 24 < south < 26 and 49 < north < 50


@pytest.mark.parametrize("aspect", list(ASPECT_SIZES))
def test_the_marker_is_drawn_where_the_city_is_and_its_tag_beside_it(tmp_path, aspect):
    width, height = ASPECT_SIZES[aspect]
    job = RenderJob(frames=50, fps=25, width=width, height=height, title="Quake")
    where = place("The quake struck near Wellington on Tuesday.")
    shot = Shot(id="a", narration="The quake struck near Wellington on Tuesday.", kind="map", place=where,
                on_screen_text="Quake near Wellington")
    frame = np.asarray(get_renderer("cards").still(shot, job)).astype(int)
    from explainer.rendering.kinds.map import layers
    from explainer.rendering.palette import palette_for

    palette = palette_for("Quake")
    built = layers(shot, job, palette, tmp_path)
    assert [layer.path.name for layer in built] == ["title.png", "map.png", "marker.png", "tag.png"]
    area_top = built[1].at[1]
    box = safe_box(job)
    # Where the map puts Wellington: the marker's accent colour is there...
    from PIL import Image

    with Image.open(built[2].path) as marker:
        mx, my = built[2].at[0] + marker.width / 2, built[2].at[1] + marker.height / 2
    bounds = extent(where, type(box)(box.left, area_top, box.right, box.bottom))
    assert abs(frame[int(my), int(mx)] - np.array(palette.accent)).max() < 40
    # ...and the tag with the name does not cover it.
    with Image.open(built[3].path) as tag:
        left, top = built[3].at
        assert not (left <= mx <= left + tag.width and top <= my <= top + tag.height)
    assert bounds[0] < where.longitude < bounds[2] and bounds[1] < where.latitude < bounds[3]


def test_a_projected_point_lands_in_proportion_inside_the_box():
    from explainer.rendering.kinds.layout import Box

    box = Box(0, 0, 400, 200)
    assert project(10.0, 5.0, (0.0, 0.0, 20.0, 10.0), box) == (200.0, 100.0)
    assert project(0.0, 10.0, (0.0, 0.0, 20.0, 10.0), box) == (0.0, 0.0)


STORY = """# Ferry returns to Wellington

The city council voted on Tuesday to restore the harbour ferry, which stopped running in 2019.
The ferry will sail from Wellington to Eastbourne every hour on weekdays.
Tickets will cost the same as the bus.
"""


def test_one_shot_of_a_story_becomes_a_map_that_passes_the_grounding_check():
    source = parse_source(STORY.encode(), "ferry.md", min_words=5)
    ids = list(source.sentences)
    shots = [Shot(id=f"s{i}", narration=source.sentences[sid], source_refs=[sid]) for i, sid in enumerate(ids)]
    plan = design(ShotList(title="Ferry returns to Wellington", voice="joe", planner={"name": "x", "version": "1"},
                           shots=shots, source=source))
    maps = [s for s in plan.shots if s.kind == "map"]
    assert len(maps) == 1 and maps[0].place.name == "Wellington" and "Wellington to Eastbourne" in maps[0].narration
    assert Grounder(source).check_shot(maps[0]).issues == []
