"""The American parties: "Democrats" or "Republicans" alone are the US parties where the text
is about the United States (an ambiguous ``?=`` form of ``us_parties``, its context the US),
never the Liberal Democrats, whose longer name wins. "US Democrats" had found no BBC document
as a term ("Not found in any document") and ranked Liberal Democrat stories first, for the
word "Democrats" in "Liberal Democrats"; the stories on the US budget, whose texts write
"But Democrats have accused the president", rank first now."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer

ANALYZER = political_analyzer()

TEXTS = {
    "budget": "The US budget deficit will grow. But Democrats have accused the president of "
              "hiding the cost of the war.",
    "libdems": "The Liberal Democrats said the Liberal Democrats would win. Liberal Democrats "
               "in the US were not asked.",
    "social": "The Social Democrats split from Labour.",
    "weather": "Rain is expected on Monday.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of_texts(tmp_path_factory, "us-parties-ix", TEXTS, "Story")


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


def test_democrats_in_a_story_about_the_us_are_the_us_parties():
    assert "us_parties" in terms(TEXTS["budget"])
    assert "us_parties" in terms("Republicans in the US Senate blocked the bill.")


def test_democrats_with_nothing_american_beside_them_are_only_the_word():
    assert "us_parties" not in terms("The Democrats met in Stockholm.")


@given(st.sampled_from(["Liberal Democrats", "Liberal Democrat", "Lib Dems",
                        "English Democrats", "Christian Democrats"]),
       st.sampled_from(["the US", "America", "Washington", "the White House"]))
def test_a_longer_name_ending_in_democrats_is_never_the_us_parties(name: str, place: str):
    text = f"The {name} criticised {place} on Tuesday."
    assert "us_parties" not in terms(text), text


def test_a_search_for_us_democrats_ranks_the_american_story_first(index: CorpusIndex):
    results = index.search("US Democrats")
    assert results.hits[0].id == "budget"
    assert not results.not_found  # ("US Democrats" is found: the term, in the budget story)
    assert index.count('"US Democrats"', by="source").total == 1
