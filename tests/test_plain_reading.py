"""Syntax that changes nothing ranks as the plain words (``search.plain_reading``): a boost of 1,
a word OR-ed or AND-ed with itself, brackets around it, and OR between words (the plain
query's operator) rank the documents as the plain words do, with the same scores. ``Blair^1``
and ``Blair OR Blair`` had been scored by Whoosh's BM25F of their tree, ranking the BBC
documents naming Blair in another order than ``Blair``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.search.plain_reading import plain_words

TEXTS = {
    "often": "Blair spoke. Blair said the war was right. Mr Blair left for Iraq.",
    "once": "The prime minister, Tony Blair, met the chancellor, Gordon Brown, about Iraq.",
    "long": "Blair spoke once in a very long report about schools, hospitals, taxes, the "
            "budget, the police, pensions, transport, housing and the economy at large.",
    "brown": "Gordon Brown set out the budget. Brown said taxes would not rise.",
    "title": "Nothing here names him.",
    "other": "Rain is expected on Monday.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of_texts(tmp_path_factory, "plain-reading-ix", TEXTS, "Story")


def ranked(index: CorpusIndex, query: str) -> list[tuple[str, float]]:
    return [(hit.id, round(hit.score, 9)) for hit in index.search(query, correct=False)]


@pytest.mark.parametrize("query", ["Blair^1", "Blair^1.0", "Blair OR Blair", "(Blair)",
                                   "Blair AND Blair", "(Blair OR Blair)^1"])
def test_syntax_that_changes_nothing_ranks_as_the_bare_word(index: CorpusIndex, query: str):
    assert ranked(index, query) == ranked(index, "Blair")


@pytest.mark.parametrize("query", ["Blair^2", "Blair^0.5", "(Blair)^3", "(Blair OR Blair)^2"])
def test_a_boost_on_the_whole_query_ranks_and_scores_as_the_bare_word(
        index: CorpusIndex, query: str):
    # (it scales every score alike: Blair^2 had ranked BBC's politics/149 first, Blair 295)
    assert ranked(index, query) == ranked(index, "Blair")


def test_a_boost_on_every_word_of_the_query_ranks_as_the_words(index: CorpusIndex):
    assert ranked(index, "(Blair Brown)^2") == ranked(index, "Blair Brown")
    assert ranked(index, "Blair^2 Brown^2") == ranked(index, "Blair Brown")


def test_or_between_words_ranks_as_the_words_without_it(index: CorpusIndex):
    assert ranked(index, "Blair OR Brown") == ranked(index, "Blair Brown")


def test_syntax_that_changes_the_query_keeps_its_own_ranking(index: CorpusIndex):
    # AND needs both words; a boost of 2 weighs a word more than the other
    assert {d for d, _ in ranked(index, "Blair AND Brown")} == {"once"}
    assert ranked(index, "Blair^2 Brown") != ranked(index, "Blair Brown")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["Blair", "Brown", "Iraq", "budget"]), min_size=1, max_size=4),
       st.sampled_from([" ", " OR "]), st.booleans())
def test_words_repeated_or_joined_by_or_rank_as_the_plain_words_once(
        index: CorpusIndex, words: list[str], joiner: str, boosted: bool):
    typed = joiner.join(w + ("^1" if boosted else "") for w in words + words)
    assert ranked(index, typed) == ranked(index, " ".join(dict.fromkeys(words)))


def test_the_plain_words_leave_out_boosts_brackets_and_joining_operators_only():
    assert plain_words("(Blair OR Blair)^1") == "Blair"
    assert plain_words('"Lib Dems" AND Iraq NOT war') == '"Lib Dems" Iraq NOT war'
