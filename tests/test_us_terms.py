"""A multi-word lexicon term typed in American spelling (``search.us_terms``): "defense
secretary" and "honors list" find what "defence secretary" and "honours list" find, as a
single word typed in American spelling already finds its British one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import index_of_texts, needs_shared
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.search.us_terms import british_terms

TEXTS = {
    "hoon": "The defence secretary, Geoff Hoon, visited the troops in Basra.",
    "budget": "The defence budget and the home secretary's plans were debated.",
    "honours": "The new year honours list named two football managers.",
    "lists": "Party lists were drawn up; honours were not mentioned.",
    "market": "The labour market tightened as unemployment fell.",
    "party": "Labour MPs met the chancellor.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of_texts(tmp_path_factory, "us_terms", TEXTS, "Story")


def found(ix: CorpusIndex, query: str) -> set[str]:
    return {hit.id for hit in ix.search(query, limit=50, correct=False).hits}


@pytest.mark.parametrize(("american", "british"), [
    ("defense secretary", "defence secretary"),
    ("Defense Secretary", "defence secretary"),
    ('"defense secretary"', '"defence secretary"'),
    ("honors list", "honours list"),
    ("labor market", "labour market"),
])
def test_a_lexicon_term_typed_in_american_spelling_finds_what_its_british_spelling_finds(
        index, american, british):
    # "honors list" was its words apart: 260 BBC documents saying honours or list, where
    # "honours list" counts 5; "defense secretary" 272 where "defence secretary" counts 9
    assert found(index, american) == found(index, british)
    assert index.count(american).total == index.count(british).total
    assert index.search(american, correct=False).hits[0].id == \
        index.search(british, correct=False).hits[0].id


def test_the_term_counts_the_documents_naming_it_not_those_holding_its_words_apart(index):
    assert index.count("defense secretary").total == 1  # not the defence budget
    assert index.count("honors list").total == 1  # not "lists" and "honours" apart
    assert index.count("labor market").total == 1  # not the Labour party


def test_only_a_span_that_is_a_term_in_british_spelling_is_respelled_in_the_case_typed():
    lexicon = political_analyzer().lexicon
    assert british_terms("Defense Secretary Hoon", lexicon) == "Defence Secretary Hoon"
    assert british_terms("DEFENSE SECRETARY", lexicon) == "DEFENCE SECRETARY"
    assert british_terms("Ministry of Defense", lexicon) == "Ministry of Defence"
    # a word that makes no term stays as typed: the analyzer folds it anyway
    assert british_terms("defense spending in the organization", lexicon) == \
        "defense spending in the organization"
    assert british_terms("defens* secretary", lexicon) == "defens* secretary"


@given(st.lists(st.sampled_from(
    ["defense", "honors", "list", "secretary", "labor", "market", "color", "Iraq", "the",
     "Defense", "AND", "title:honors", '"', "organization", "center", "of", "Ministry"]),
    max_size=8))
def test_respelling_changes_only_words_the_analyzer_folds_to_the_same_terms(words):
    text = " ".join(words)
    analyzer = political_analyzer()
    respelled = british_terms(text, analyzer.lexicon)
    assert len(respelled.split()) == len(text.split())
    for typed, british in zip(text.split(), respelled.split(), strict=True):
        if typed != british:
            assert [t.text for t in analyzer(typed, mode="query") if not t.expansion] == \
                [t.text for t in analyzer(british, mode="query") if not t.expansion]


@needs_shared
@pytest.mark.parametrize(("american", "british", "total"), [
    ("honors list", "honours list", 5), ("defense secretary", "defence secretary", 6)])
def test_on_bbc_an_american_spelling_of_a_term_counts_what_the_british_counts(
        bbc_index, american, british, total):
    assert bbc_index.count(american).total == bbc_index.count(british).total == total
