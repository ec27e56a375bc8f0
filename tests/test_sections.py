"""Sectioned essays: headings kept, every part visited, an agenda card per part, drawn and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer.grounding.check import Grounder
from explainer.planning import PlanSettings
from explainer.planning.extractive import ExtractivePlanner
from explainer.planning.sections import section_of, sections, shown_heading
from explainer.pipeline import plan_checked
from explainer.rendering.base import RenderJob
from explainer.rendering.cards import AGENDA_S, CardsRenderer, agenda_seconds
from explainer.shotlist import Agenda, Shot
from explainer.sources import load_source, parse_source

CORPUS = Path(__file__).parent / "data" / "corpus"
ESSAY = CORPUS / "18f-not-as-agile.md"
PARTS = [
    "You’re agile now, but nothing has changed",
    "You go months without building anything",
    "Your user research is not focused on users",
    "You're trying to “do Agile,” instead of being agile",
    "You’re not producing high-quality, working code",
]


@pytest.fixture(scope="module")
def essay_plan():
    return plan_checked(ExtractivePlanner(), load_source(str(ESSAY)), PlanSettings(), None)


@pytest.mark.parametrize(("name", "text"), [
    ("a.md", "# Title\n\nThe opening paragraph says what the essay is about today.\n\n## 2. The second part\n\nIt goes on here."),
    ("a.txt", "Title\n\nThe opening paragraph says what the essay is about today.\n\n2. The Second Part\n\nIt goes on here\nwith a second line."),
    ("a.html", "<html><head><title>Title</title></head><body><article><h1>Title</h1>"
               "<p>The opening paragraph says what the essay is about today and more words follow it here.</p>"
               "<h2>2. The second part[edit]</h2><p>It goes on here with enough words to be read as text.</p></article></body></html>"),
])
def test_a_sub_heading_is_one_sentence_with_the_role_heading(name, text):
    source = parse_source(text.encode(), name, min_words=5)
    headings = [source.sentences[sid] for sid, role in source.roles.items() if role == "heading"]
    assert [shown_heading(h).lower() for h in headings] == ["the second part"]


def test_deeper_headings_are_parts_of_their_section_not_sections():
    text = ("# T\n\nThe opening paragraph says what the essay is about today.\n\n## First part\n\nIt starts here.\n\n"
            "### A detail\n\nMore of the first part.\n\n## Second part\n\nIt goes on here.")
    source = parse_source(text.encode(), "a.md", min_words=5)
    assert [s.heading for s in sections(source)] == ["First part", "Second part"]
    assert "subheading" in source.roles.values()
    assert section_of(source)[next(sid for sid, t in source.sentences.items() if t == "More of the first part.")] == 1


def test_a_caption_with_its_credit_is_not_narrated():
    text = ("Title\n\nThe asteroid was captured two seconds before the spacecraft struck. Observations suggest a rubble pile."
            " NASA/Johns Hopkins APL\n\nA JPL-led study has shown that the shape of the asteroid has changed and its orbit shrank.")
    source = parse_source(text.encode(), "a.txt", min_words=5)
    assert list(source.sentences.values()) == ["A JPL-led study has shown that the shape of the asteroid has changed and its orbit shrank."]


def test_a_bold_run_in_label_is_not_narrated():
    source = parse_source(b"# T\n\n**Surfacing potential harms.** Carefully thinking through harms to groups matters.", "a.md", min_words=5)
    assert list(source.sentences.values()) == ["Carefully thinking through harms to groups matters."]


def test_the_essay_has_its_five_parts_and_back_matter_is_none():
    source = load_source(str(ESSAY))
    assert [s.heading for s in sections(source)] == PARTS
    wiki = load_source(str(CORPUS / "wikipedia-3.html"))
    names = [s.heading for s in sections(wiki)]
    assert "Applications" in names and "References" not in names and "External links" not in names
    assert not any(section_of(wiki).get(sid) for sid, text in wiki.sentences.items() if "Retrieved" in text)


def test_a_sectioned_essay_visits_every_part_in_order_each_opened_by_its_agenda(essay_plan):
    opened = [(shot.agenda.current, shot) for shot in essay_plan.shots if shot.agenda]
    assert [n for n, _ in opened] == [1, 2, 3, 4, 5]
    assert all(shot.agenda.sections == PARTS for _, shot in opened)
    part = section_of(essay_plan.source)
    # Each agenda opens a shot that narrates its own part.
    assert [part[shot.source_refs[0]] for _, shot in opened] == [1, 2, 3, 4, 5]
    # The part told in bullet points only is told by one of its whole items, with a full stop.
    second = opened[1][1]
    assert essay_plan.source.roles[second.source_refs[0]] == "list" and second.narration.endswith(".")


def test_a_story_with_more_parts_than_an_agenda_holds_tells_the_best_eight():
    plan = plan_checked(ExtractivePlanner(), load_source(str(CORPUS / "wikipedia-2.html")), PlanSettings(), None)
    agendas = [shot.agenda for shot in plan.shots if shot.agenda]
    assert 3 <= len(agendas) <= 8 and all(a.sections == agendas[0].sections for a in agendas)
    # No shot narrates a part the agenda does not list.
    part, listed = section_of(plan.source), len(agendas)
    assert max(part.get(r, 0) for shot in plan.shots for r in shot.source_refs) >= listed
    told = {part[r] for shot in plan.shots for r in shot.source_refs if part.get(r)}
    assert len(told) == listed


def test_an_article_without_sections_gets_no_agenda():
    plan = plan_checked(ExtractivePlanner(), load_source(str(CORPUS / "nasa-gusto-balloon-record.txt")), PlanSettings(), None)
    assert not any(shot.agenda for shot in plan.shots)


def test_an_agenda_part_the_source_does_not_head_is_flagged(essay_plan):
    shot = next(s for s in essay_plan.shots if s.agenda)
    wrong = shot.model_copy(update={"agenda": Agenda(sections=[*PARTS[:4], "Agile is dead"], current=1)})
    checked = Grounder(essay_plan.source).check_shot(wrong)
    assert checked.unsupported and any("'Agile is dead' is not a heading of the source" in i for i in checked.issues)
    assert not Grounder(essay_plan.source).check_shot(shot).issues


def test_the_agenda_holds_then_hands_over_to_the_shots_own_visual(tmp_path):
    shot = Shot(id="s", narration="Agile requires a mindset shift and continuous commitment.", on_screen_text="Continuous commitment",
                agenda=Agenda(sections=PARTS, current=3))
    job = RenderJob(width=640, height=360, fps=10, frames=80, title="T")
    layers = CardsRenderer()._beats(shot, job, job.palette, tmp_path)
    agenda = [layer for layer in layers if layer.path.name.startswith("agenda")]
    content = [layer for layer in layers if layer.path.name == "headline.png"]
    assert len(agenda) == 1 + len(PARTS)  # the kicker and each part
    assert all(layer.end_s is not None and layer.end_s < AGENDA_S + 1 for layer in agenda)
    assert content and content[0].start_s >= AGENDA_S
    # Too short a shot keeps 2.5 s for its own visual; the first part's card has time to build.
    assert agenda_seconds(shot, 4.0) == 1.5
    first = shot.model_copy(update={"agenda": Agenda(sections=PARTS, current=1)})
    assert agenda_seconds(first, 20.0) > agenda_seconds(shot, 20.0) == AGENDA_S
