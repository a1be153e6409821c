"""The query shown as understood (``results.parsed_query``) is the query searched, its body's
part: read from it, never parsed again."""

from __future__ import annotations

import pytest

import corpus_search.search.parsing as parsing
from corpus_search import CorpusIndex


@pytest.mark.parametrize("text", ["Commons pensions", "Lib Dems AND tuition fees",
                                  "title:Teather OR Commons^2", "party:Labour",
                                  "corbin~ NOT pensions"])
def test_showing_how_a_query_was_understood_parses_nothing_again(
    small_index: CorpusIndex, text: str, monkeypatch: pytest.MonkeyPatch
):
    results = small_index.search(text, highlight=False)
    # (every parse takes a parser of parsing._parser: it had parsed the query again, for the
    # body alone, to show it)
    monkeypatch.setattr(parsing, "_parser", lambda *a, **k: pytest.fail("parsed again"))
    assert results.parsed_query


def test_a_word_read_over_the_fields_is_shown_once_and_a_field_typed_is_kept(
    small_index: CorpusIndex,
):
    assert small_index.search("wages^2 OR pensions").parsed_query == "(wage^2.0 OR pension)"
    # title:Teather typed beside Teather is no twin of the body's: both are shown
    assert small_index.search("title:Teather OR Teather").parsed_query == \
        "(title:teather OR teather)"


def test_a_party_field_shows_the_mentions_it_ranks_by_in_the_body_as_words_are_shown(
    small_index: CorpusIndex,
):
    # (its title clauses had been shown, the one place the body's part had not been)
    shown = small_index.search("party:Labour").parsed_query
    assert shown.startswith("(party:Labour ANDMAYBE (") and "labour_party" in shown
    assert "title:" not in shown


def test_the_query_shown_for_a_corrected_word_is_the_correction_searched(
    small_index: CorpusIndex,
):
    results = small_index.search("Teathr")
    assert results.suggestion_applied
    assert results.parsed_query == small_index.search(results.suggestion).parsed_query


@pytest.mark.parametrize("text", ["**", "(*)", "Commons OR *"])
def test_a_query_matching_every_document_is_shown_as_a_star(small_index: CorpusIndex, text: str):
    # (it was shown "None:*", Whoosh's printing of a match-all with no field; title:* is
    # shown as typed: the documents with a title, test_field_held)
    assert small_index.search(text).parsed_query == "*"
