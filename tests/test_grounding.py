"""Grounding on real prose: no false positives on the ways articles write facts, and real
unsupported figures and names still flagged (precision and recall over labelled pairs)."""

from __future__ import annotations

import pytest

from explainer.grounding import Grounder
from explainer.grounding.facts import missing_facts, names, numbers
from explainer.sources import load_source, parse_source

from .conftest import SAMPLE
from .grounding_set import Score, derived, hand_labelled, score
from .test_sources import FERRY, _real_pages


def test_numbers_are_normalised():
    assert numbers("$18.6 million") == {"18600000"}
    assert numbers("$18.6 million", mantissas=True) == {"18600000", "18.6"}
    assert numbers("six to two, twenty-five, 21,000, 18%, 18 percent, 3.0") == {"6", "2", "25", "21000", "18", "3"}
    assert numbers("one of the most") == set()  # "one" as a word is rarely a figure


def test_names_skip_sentence_and_quote_starts():
    assert names("\u201cMan\u2019s greed is hurting the whales,\u201d says Parata.") == {"Parata"}
    assert names("The U.S. Army came. Then NASA said so.") == {"US", "Army", "NASA"}
    assert missing_facts("Patel\u2019s team met Jean-Luc in Oakdale.", "Jean-Luc Picard met Sam Patel's team in Oakdale.") == []


def test_hand_labelled_pairs():
    total = Score()
    for text, pairs in hand_labelled():
        source = parse_source(text.encode(), "pairs.txt")
        grounder = Grounder(source)
        for pair in pairs:
            verdict = grounder.check_sentence(pair.claim)
            total.add(not verdict.supported, pair.supported)
            assert verdict.supported == pair.supported, (pair.kind, pair.claim, verdict.issues)
    assert total.total >= 30 and total.precision == 1.0 and total.recall == 1.0


#: Pages where a derived claim swaps the sentence's first word for a name ("Hendricks requires a
#: mindset shift" for "Agile requires ..."): the word rules read a capital there as the
#: sentence's, so the swap passes. A known gap, kept visible here until grounding asks the parse.
OPENING_NAME_GAP = {"18f-not-as-agile.md"}


def _with_known_gaps(pages):
    return [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="a name swapped in as the first word is not caught"))
            if p.name in OPENING_NAME_GAP else p for p in pages]


@pytest.mark.parametrize("page", _with_known_gaps([SAMPLE, FERRY, *_real_pages()]), ids=lambda p: p.name)
def test_derived_pairs_precision_and_recall(page):
    source = load_source(str(page))
    pairs = derived(source)
    # A page of navigation (a portal) has few sentences to derive pairs from.
    prose = [sid for sid in source.sentences if sid not in source.roles]
    assert len(pairs) >= min(5, len(prose) // 8), len(prose)
    result = score(source, pairs)
    assert result.precision >= 0.95 and result.recall >= 0.9, result
