"""Comparisons: numbers of one unit about different things, read from the parse, as one chart."""

from __future__ import annotations

import pytest

from explainer.grounding import Grounder
from explainer.parsing import parser_for
from explainer.planning.comparisons import comparison_in
from explainer.planning.quantities import figure_in
from explainer.planning.visuals import design
from explainer.shotlist import Shot, ShotList
from explainer.sources import parse_source


def docs(*texts: str):
    return parser_for("en").parse(list(texts))


def bars(chart) -> list[tuple[str, float, str]]:
    return [(p.label, p.value, p.shown) for p in chart.points]


def test_a_gapped_list_of_changes_is_one_bar_each_under_what_changed():
    chart = comparison_in(docs("Since that time, prices for beef have risen by 14.0%, pork by 12.1%, and poultry by 6.6%."), "x")
    assert chart.title == "Rise in prices" and chart.unit == "%"
    assert bars(chart) == [("Beef", 14.0, "14.0%"), ("Pork", 12.1, "12.1%"), ("Poultry", 6.6, "6.6%")]


def test_shares_of_one_whole_across_sentences_are_labelled_by_whose_share():
    chart = comparison_in(docs("Coal's share of U.S. electricity fell to 19% last year.",
                               "Natural gas's share of U.S. electricity rose to 40%."), "x")
    assert chart.title == "Share of U.S. electricity"
    # "fell to 19%" is where the share stands, not how far it fell.
    assert bars(chart) == [("Coal", 19.0, "19%"), ("Natural gas", 40.0, "40%")]


def test_drops_compare_as_how_much_each_fell_and_a_misparsed_subject_gets_no_bar():
    chart = comparison_in(docs("U.S. energy-related carbon emissions dropped 2 percent in 2019, as coal consumption fell"
                               " 15 percent and emissions from coal declined 18 percent."), "x")
    assert chart.title == "How much each fell"
    # The parser makes "emissions" an object of "percent": the 18 percent is not coal consumption's.
    assert bars(chart) == [("U.S. energy-related carbon emissions", 2.0, "2 percent"), ("Coal consumption", 15.0, "15 percent")]


def test_a_number_in_a_clause_of_its_own_does_not_borrow_the_first_clauses_subject():
    from explainer.planning.comparisons import readings

    # Parsed with "aged" as the youth rate's verb: the 15.6% is not the general rate's.
    doc = docs("In the December 2014 quarter, the general unemployment rate was around 5.8%, while the "
               "unemployment rate for youth aged 15 to 21 was 15.6%.")[0]
    assert [(r.label, r.shown) for r in readings(doc)] == [("general unemployment rate", "around 5.8%")]
    # A second verb of the same subject still has it.
    assert [r.label for r in readings(docs("Coal's share fell to 19% and rose to 40% by 2030.")[0])] == ["Coal's share"] * 2


@pytest.mark.parametrize("text", [
    # Shares of different wholes.
    "Rivers hold about 0.006% of all fresh water. Fresh water is 2.5% of the global volume of water.",
    # One number and its conversion in brackets.
    "The ice sheet had lost 5,390 billion tons (4,890 billion metric tons) between 1992 and 2020.",
    # A rise and a drop do not stand as bars of one chart.
    "Sales of electric cars rose 40 percent. Sales of diesel cars fell 12 percent.",
])
def test_numbers_that_do_not_compare_make_no_chart(text):
    assert comparison_in(docs(*text.split(". ")), "x") is None


def test_a_fall_to_a_level_is_labelled_as_the_level():
    figure = figure_in(docs("Coal's share of U.S. electricity fell to 19% last year."))
    assert (figure.value, figure.label) == ("19%", "Coal's share of U.S. electricity")


STORY = """# Meat prices climb

The White House said on Wednesday that four companies control most of the market. Since that time,
prices for beef have risen by 14.0%. Pork rose by 12.1%, the data show.

Officials plan new rules for the industry.
"""


def test_a_chart_completed_by_the_next_sentence_cites_it_and_passes_the_grounding_check():
    source = parse_source(STORY.encode(), "meat.md", min_words=5)
    first = next(sid for sid, text in source.sentences.items() if "four companies" in text)
    beef = next(sid for sid, text in source.sentences.items() if "beef" in text)
    pork = next(sid for sid, text in source.sentences.items() if "Pork" in text)
    shots = [Shot(id="a", narration=source.sentences[first], source_refs=[first]),
             Shot(id="b", narration=source.sentences[beef], source_refs=[beef], on_screen_text="Prices for beef")]
    plan = design(ShotList(title="Meat prices climb", voice="joe", planner={"name": "x", "version": "1"}, shots=shots, source=source))
    chart = plan.shots[1]
    assert chart.kind == "chart" and chart.source_refs == [beef, pork]
    assert [(p.label, p.shown) for p in chart.chart.points] == [("Prices for beef", "14.0%"), ("Pork", "12.1%")]
    checked = Grounder(source).check_shot(chart)
    assert checked.issues == [] and pork in checked.source_refs
