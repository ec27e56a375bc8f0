"""Shot kinds: chosen from the shot's sentences, drawn at every aspect, grounded on screen."""

from __future__ import annotations

import av
import numpy as np
import pytest
import yaml
from PIL import Image

from explainer.errors import ShotListError
from explainer.grounding import Grounder
from explainer.assembly.media import probe
from explainer.parsing import parser_for
from explainer.planning.quantities import figure_in
from explainer.planning.quotes import quote_in
from explainer.planning.visuals import chart_of, timeline_of
from explainer.rendering import RenderJob, get_renderer
from explainer.rendering.palette import PALETTES, contrast_ratio
from tests.frames import shown, shown_count
from explainer.shotlist import ASPECT_SIZES, Chart, ChartPoint, Definition, Figure, Place, Quote, Shot, Timeline, TimelineEvent, TitleCard, parse_shotlist
from explainer.sources import parse_source

from .conftest import SAMPLE

STORY = """# Turnout climbs in Millbrook

Millbrook voters are turning out in numbers the town has not seen in decades, and officials credit mail ballots.

Turnout in Millbrook's city elections rose from 42% in 2019 to 55% in 2023, the county clerk said on Monday.

"More people voted by mail than ever before," said county clerk Rosa Lind. She said mail ballots made up half of all votes.

The town hall opened in 1931, was rebuilt in 1978 and became a polling place in 2004.

The county will spend $2.3 million on new voting machines before the next election, a plan the board approved on Thursday.
"""

SHOTS = {
    "title": Shot(id="t", narration="A story.", kind="title",
                  title_card=TitleCard(headline="Turnout climbs in Millbrook", source_line="Millbrook Gazette", date="2024-05-02")),
    "figure": Shot(id="f", narration="A story.", kind="figure", figure=Figure(value="$2.3 million", label="new voting machines")),
    "chart": Shot(id="c", narration="A story.", kind="chart", chart=Chart(title="Turnout", unit="%", points=[
        ChartPoint(label="2019", value=42, shown="42%"), ChartPoint(label="2023", value=55, shown="55%")])),
    "timeline": Shot(id="m", narration="A story.", kind="timeline", timeline=Timeline(events=[
        TimelineEvent(date="1931", label="Town hall opened"), TimelineEvent(date="1978", label="Rebuilt")])),
    "quote": Shot(id="q", narration="A story.", kind="quote",
                  quote=Quote(text="More people voted by mail than ever before", speaker="Rosa Lind", role="county clerk")),
    "list": Shot(id="p", narration="A story.", kind="list", points=["Mail ballots", "New machines", "Longer hours"]),
    "map": Shot(id="g", narration="A story.", kind="map", on_screen_text="Millbrook votes", place=Place(
        name="Springfield", country="United States", country_code=840, latitude=39.8, longitude=-89.64)),
    "process": Shot(id="s", narration="A story.", kind="process", steps=["Register online", "Get a ballot", "Mail it back"]),
    "definition": Shot(id="d", narration="A story.", kind="definition",
                       definition=Definition(term="Mail ballot", meaning="a ballot voters fill in at home")),
    "text": Shot(id="x", narration="A story.", on_screen_text="Millbrook votes"),
}


def quote_of(text: str):
    return quote_in(parser_for("en").parse([text])[0])


def figure_of(text: str):
    return figure_in(parser_for("en").parse([text]))


def test_each_rule_cuts_its_fields_from_the_sentence():
    chart = chart_of("Turnout rose from 42% in 2019 to 55% in 2023, the clerk said.", "Turnout")
    assert chart is not None and chart.unit == "%"
    assert [(p.label, p.value, p.shown) for p in chart.points] == [("2019", 42.0, "42%"), ("2023", 55.0, "55%")]
    timeline = timeline_of("The town hall opened in 1931, was rebuilt in 1978 and became a polling place in 2004.")
    assert timeline is not None and [e.date for e in timeline.events] == ["1931", "1978", "2004"]
    assert timeline.events[0].label == "Town hall opened"
    quote = quote_of('"We have patched this bridge for twenty years," said Public Works Director Angela Ruiz.')
    assert quote is not None and (quote.speaker, quote.role) == ("Angela Ruiz", "Public Works Director")
    figure = figure_of("Council members voted after a meeting that drew more than 200 residents.")
    assert figure is not None and (figure.value, figure.label) == ("more than 200", "residents")
    # Numbers of different units are not a chart; one year is not a timeline; no speaker, no quote.
    assert chart_of("It costs $4 in 2019 and 5% more in 2023.", "x") is None
    assert timeline_of("The bridge opened in 1958 and is busy.") is None
    assert quote_of('"This is a long enough quote to show," the sign read.') is None


def test_a_story_gets_at_least_three_kinds_and_every_fact_shown_is_grounded(cli, tmp_path):
    article = tmp_path / "turnout.md"
    article.write_text(STORY)
    shots = tmp_path / "turnout.shots.yaml"
    run = cli("plan", str(article), "-o", str(shots), "--length", "40")
    assert run.code == 0, run.stderr
    data = yaml.safe_load(shots.read_text())
    kinds = [s["kind"] for s in data["shots"]]
    assert kinds[0] == "title" and len(set(kinds)) >= 3, kinds
    chart = next(s for s in data["shots"] if s["kind"] == "chart")
    assert [(p["label"], p["shown"]) for p in chart["chart"]["points"]] == [("2019", "42%"), ("2023", "55%")]
    quote = next(s for s in data["shots"] if s["kind"] == "quote")["quote"]
    assert quote["speaker"] == "Rosa Lind" and quote["text"] == "More people voted by mail than ever before"
    assert all(not s["issues"] for s in data["shots"]), [s["issues"] for s in data["shots"]]
    # The sample article: a title, figures and the director's quote.
    run = cli("plan", str(SAMPLE), "-o", str(tmp_path / "sample.shots.yaml"))
    sample = yaml.safe_load((tmp_path / "sample.shots.yaml").read_text())
    assert {"title", "figure", "quote"} <= {s["kind"] for s in sample["shots"]}


def test_with_a_video_model_plain_shots_become_generated_and_graphics_stay():
    from explainer.pipeline import plan_checked
    from explainer.planning import PlanSettings, get_planner

    from explainer.sources import load_source

    source = load_source(str(SAMPLE))
    cards = plan_checked(get_planner("extractive"), source, PlanSettings(), None)
    footage = plan_checked(get_planner("extractive"), source, PlanSettings(footage=True), None)
    before, after = [s.kind for s in cards.shots], [s.kind for s in footage.shots]
    assert "text" in before and "text" not in after
    # Only the last-resort text cards change; a chart, a quote or the title stays graphics.
    assert [b if b != "text" else "generated" for b in before] == after


def test_an_edited_chart_value_is_refused(cli, tmp_path):
    article = tmp_path / "turnout.md"
    article.write_text(STORY)
    shots = tmp_path / "turnout.shots.yaml"
    assert cli("plan", str(article), "-o", str(shots), "--length", "40").code == 0
    text = shots.read_text().replace("shown: 55%", "shown: 65%").replace("value: 55.0", "value: 65.0")
    assert "65%" in text
    shots.write_text(text)
    run = cli("render", str(shots), "-o", str(tmp_path / "v.mp4"), "--no-sign")
    assert run.code != 0
    assert "shot-02: on screen: the figure 65 is not in the source sentences (s2)" in run.stderr, run.stderr
    assert not (tmp_path / "v.mp4").exists()


def test_grounder_checks_every_field_on_screen():
    source = parse_source(STORY.encode(), "turnout.md")
    grounder = Grounder(source)
    sid = next(sid for sid, text in source.sentences.items() if "by mail than ever" in text)
    good = SHOTS["quote"].model_copy(update={"narration": source.sentences[sid], "source_refs": [sid]})
    assert grounder.check_shot(good).issues == []
    invented = good.model_copy(update={"quote": Quote(text="Nobody voted by mail", speaker="Rosa Lind")})
    assert "is not word for word" in grounder.check_shot(invented).issues[0]
    wrong_speaker = good.model_copy(update={"quote": Quote(text="More people voted by mail than ever before", speaker="Tom Hale")})
    assert any("Hale" in issue for issue in grounder.check_shot(wrong_speaker).issues)


def test_a_kind_without_its_fields_is_a_clear_error():
    with pytest.raises(ShotListError, match=r"shot 1 \(a\).*kind is chart but 'chart' is missing; add it, or set kind: text"):
        parse_shotlist("title: T\nvoice: joe\nplanner: {name: x, version: '1'}\nshots:\n- {id: a, narration: Hello there you all., kind: chart}\n")


@pytest.mark.parametrize("aspect", list(ASPECT_SIZES))
@pytest.mark.parametrize("kind", list(SHOTS))
def test_every_kind_renders_at_every_aspect(tmp_path, kind, aspect):
    width, height = ASPECT_SIZES[aspect]
    job = RenderJob(frames=60, fps=25, width=width, height=height, title="Turnout climbs in Millbrook")
    out = tmp_path / "clip.mp4"
    get_renderer("cards").render(SHOTS[kind], job, out)
    video = probe(out).first("video")
    assert (video.width, video.height, shown_count(out, job.fps)) == (width, height, 60)
    frames = shown(out, job.fps)
    # Content builds in: the frame after the build differs clearly from the first...
    changed = np.abs(frames[45].astype(int) - frames[0].astype(int)).max(axis=2) > 40
    assert changed.mean() > 0.005, changed.mean()
    # ...and then holds: between two frames after it nothing moves beyond the encoder's noise.
    moved = np.abs(frames[50].astype(int) - frames[45].astype(int)).max(axis=2) > 8
    assert moved.mean() < 0.001, moved.mean()


def test_chart_builds_over_several_frames(tmp_path):
    job = RenderJob(frames=75, fps=25, width=1280, height=720, title="Turnout")
    out = tmp_path / "chart.mp4"
    get_renderer("cards").render(SHOTS["chart"], job, out)
    frames = shown(out, job.fps)
    box = (slice(300, 560), slice(100, 1180))  # the bars' area
    levels = [frames[i][box].mean() for i in (12, 20, 28, 40)]
    # Brighter (more bar) as it builds, stage by stage.
    assert levels[0] < levels[1] < levels[2] <= levels[3] + 0.5, levels


def test_every_palette_colour_used_as_text_reads_at_aa_contrast():
    for palette in PALETTES:
        for colour in (palette.text, palette.muted, palette.accent):
            for ground in (palette.top, palette.bottom):
                assert contrast_ratio(colour, ground) >= 4.5, (palette.name, colour, ground)


def test_preview_draws_a_contact_sheet(cli, tmp_path):
    shots = tmp_path / "sample.shots.yaml"
    assert cli("plan", str(SAMPLE), "-o", str(shots)).code == 0
    plan = yaml.safe_load(shots.read_text())["shots"]
    # Every visual: each shot's own, its agenda card, its following visuals.
    count = sum(1 + bool(s.get("agenda")) + len(s.get("then", [])) for s in plan)
    assert count > len(plan)
    run = cli("preview", str(shots), "-o", str(tmp_path / "sheet.png"))
    assert run.code == 0, run.stderr
    with Image.open(tmp_path / "sheet.png") as sheet:
        rows = -(-count // 3)
        assert sheet.width == 3 * (480 + 12) + 12 and sheet.height == rows * (270 + 30 + 12) + 12
    bad = cli("preview", str(shots), "-o", str(tmp_path / "sheet.gif"))
    assert bad.code == 2 and "a contact sheet is a .png or .jpg" in bad.stderr


def test_audio_description_track_and_sidecar(cli, tmp_path):
    article = tmp_path / "turnout.md"
    article.write_text(STORY)
    video = tmp_path / "turnout.mp4"
    run = cli("make", str(article), "-o", str(video), "--length", "40", "-q")
    assert run.code == 0, run.stderr
    with av.open(str(video)) as container:
        texts = [dict(s.metadata) for s in container.streams if s.type == "subtitle"]
    assert [t.get("handler_name") for t in texts] == ["captions", "descriptions"]
    assert texts[1].get("name") == "Audio description" and texts[1].get("language") == "eng"
    vtt = (tmp_path / "turnout.descriptions.vtt").read_text()
    assert vtt.startswith("WEBVTT - Audio description")
    # What the narration does not say: the chart's values, who is quoted.
    assert "Bar chart, Turnout in Millbrook's city elections: 2019: 42%; 2023: 55%." in vtt
    assert "Quote from Rosa Lind, county clerk." in vtt
