"""A quoted phrase whose words a longer lexicon term holds ("9/11" in "the 9/11 attacks",
which the lexicon reads as the September 11 attacks, its words at the term's one place) is
found there, as grep finds it; a place holding the words only as another compound ("11-9",
a rugby score, whose hyphen puts both numbers at one place too) is not. A concordance marks
each place of the phrase once, slash and all."""

from __future__ import annotations

import pytest

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer


@pytest.fixture(scope="module")
def attacks(tmp_path_factory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("inside-terms") / "ix")
    ix.add_documents([
        Document(id="attacks", title="Airlines",
                 body="Airlines have struggled since the 9/11 attacks in 2001, the union said."),
        Document(id="film", title="Cinema",
                 body="Michael Moore's documentary Fahrenheit 9/11 won the top award."),
        Document(id="commission", title="Books",
                 body="The 9-11 Commission Report was shortlisted for the book prize."),
        Document(id="rugby", title="Six Nations",
                 body="Wales were 11-9 winners over England in Cardiff on Saturday."),
        Document(id="apart", title="Budget",
                 body="Spending rose 9% in the year to 11 March, the Treasury said."),
        Document(id="plp", title="Rebels",
                 body="The Parliamentary Labour Party met on Monday to discuss the rebellion."),
    ])
    yield ix
    ix.close()


def test_the_lexicon_term_holds_the_words_of_9_11_at_its_one_place():
    """(Why the phrase needs the rule: the term's words share its place in the index.)"""
    tokens = [(t.pos, t.text) for t in political_analyzer()("after the 9/11 attacks")]
    assert (2, "september_11_attacks") in tokens and (2, "9") in tokens and (2, "11") in tokens


def test_a_quoted_slashed_phrase_is_found_inside_the_term_that_holds_it(attacks: CorpusIndex):
    counts = attacks.count('"9/11"')
    assert {hit.id for hit in attacks.search('"9/11"', limit=10)} >= {"attacks", "film"}
    # the attacks, the film and "9-11" closed up by a hyphen; not the score nor the words apart
    assert counts.total == 3
    assert attacks.count('"9/11"', literal=True).total == 2


def test_a_score_holding_the_words_the_other_way_round_is_not_the_phrase(attacks: CorpusIndex):
    """"11-9" holds 11 and 9 at one place, as "9/11 attacks" does: the phrase "9 11" stood
    there too (4 BBC rugby reports counted for "9 11")."""
    results = attacks.search('"9 11"', limit=10)
    holding = {hit.id for hit in list(results)[: results.phrase_matches]}
    assert holding == {"attacks", "film", "commission"}
    assert attacks.count('"9 11"').total == 3


def test_a_phrase_inside_a_longer_term_is_still_found(attacks: CorpusIndex):
    assert attacks.count('"Parliamentary Labour"').total == 1


def test_a_concordance_marks_the_slashed_phrase_once_a_place(attacks: CorpusIndex):
    quoted = attacks.concordance('"9/11"')
    assert sorted((line.id, line.match) for line in quoted.lines) == [
        ("attacks", "9/11"), ("commission", "9-11"), ("film", "9/11")]
    assert not any("only in a title" in note for note in quoted.notes)
    unquoted = attacks.concordance("9/11")
    assert sorted((line.id, line.match) for line in unquoted.lines) == [("film", "9/11")]
