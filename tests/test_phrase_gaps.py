"""A removed stop word leaves a gap in positions, in the index and in a query alike (Lucene's
StopFilter with position increments): a quoted phrase matches where its words stand as
they stand in it. '"election widely"' does not find "election is widely" (the audit of 150
random BBC word pairs found stop words between the two words in 26% of the documents a
quoted pair found beyond grep); '"election is widely"' finds it, and, as in Lucene, any one
word in the gap ("election was widely"), but not the two words side by side. Multi-word
lexicon terms ("Chancellor of the Exchequer", "confidence and supply") hold their stop
words at their one position and match as before."""

from __future__ import annotations

import pytest

from conftest import index_of, phrase_holders
from corpus_search import CorpusIndex, Document
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.phrases_gapped import GappedPhrase, GappedSequence
from corpus_search.search.ranking import RANKING

#: each text by its id
TEXTS = {
    "gap": "The election is widely expected in May.",
    "together": "They called the election widely seen.",
    "other": "The election was widely expected then.",
    "far": "The election of the widely known candidate.",
    "chancellor": "Gordon Brown, Chancellor of the Exchequer, spoke.",
    "grassroots": "The rank and file rebelled.",
    "deal": "A confidence and supply deal was signed.",
    "pmqs": "At Prime Minister's Questions he was asked.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    docs = [Document(id=key, title="Poll" if "election" in text else "Politics", body=text)
            for key, text in TEXTS.items()]
    yield from index_of(tmp_path_factory, "phrase-gaps-ix", docs)


def test_a_quoted_pair_does_not_find_a_text_with_a_stop_word_between_its_words(
        index: CorpusIndex):
    assert phrase_holders(index, '"election widely"') == {"together"}


def test_a_quoted_phrase_with_a_stop_word_finds_its_text_and_any_word_in_the_gap(
        index: CorpusIndex):
    assert phrase_holders(index, '"election is widely"') == {"gap", "other"}
    assert phrase_holders(index, '"the election is widely"') == {"gap", "other"}


def test_the_gap_keeps_its_size(index: CorpusIndex):
    assert phrase_holders(index, '"election of the widely"') == {"far"}
    # the size of the gap, not its word: "of" stands where "is" and "was" do
    assert phrase_holders(index, '"election of widely"') == {"gap", "other"}


@pytest.mark.parametrize(("text", "holder"), [
    ('"Chancellor of the Exchequer"', "chancellor"),
    ('"rank and file"', "grassroots"),
    ('"confidence and supply"', "deal"),
    ('"Prime Minister\'s Questions"', "pmqs"),
])
def test_a_quoted_lexicon_term_with_stop_words_finds_its_text(index: CorpusIndex, text: str,
                                                              holder: str):
    assert holder in phrase_holders(index, text)
    assert index.count(text, by="source").total == 1


def test_a_count_of_a_quoted_pair_counts_only_where_the_words_stand_together(
        index: CorpusIndex):
    assert index.count('"election widely"', by="source").total == 1
    assert index.count('"election is widely"', by="source").total == 2


def test_a_concordance_shows_the_phrase_where_the_index_matches_it(index: CorpusIndex):
    assert {line.id: line.match for line in index.concordance('"election widely"').lines} == {
        "together": "election widely"}
    assert {line.id: line.match
            for line in index.concordance('"election is widely"').lines} == {
        "gap": "election is widely", "other": "election was widely"}


def test_a_query_with_syntax_keeps_the_gap(index: CorpusIndex):
    assert {hit.id for hit in index.search('"election widely" AND title:poll')} == {"together"}
    assert {hit.id for hit in index.search('"election is widely" AND title:poll')} == {
        "gap", "other"}


def test_whoosh_runs_a_gapped_phrase_as_the_engine_does(index: CorpusIndex):
    searcher = index.searcher()
    engine = engine_for_ranking(searcher, RANKING)
    for q in (GappedPhrase("body", ["elect", "wide"], offsets=(0, 2)),
              GappedPhrase("body", ["elect", "wide"], offsets=(0, 3), slop=2),
              GappedSequence([GappedPhrase("body", ["elect"]).normalize(),
                              GappedPhrase("body", ["wide"]).normalize()], offsets=(0, 3))):
        engine_docs = set(engine.docs(q).nonzero()[0].tolist())
        assert engine_docs == {hit.docnum for hit in searcher.search(q, limit=None)}, q
        assert engine_docs


def test_a_gapped_phrase_shows_its_empty_positions():
    assert str(GappedPhrase("body", ["elect", "wide"], offsets=(0, 2))) == 'body:"elect ? wide"'


def test_unquoted_words_rank_higher_side_by_side_than_with_a_stop_word_between(
        tmp_path_factory: pytest.TempPathFactory):
    # the same words and lengths: only the proximity bonus tells them apart, and it counts
    # the gap the stop word leaves (the text with the gap is indexed first)
    docs = [Document(id="apart", title="One", body="alpha election is widely beta gamma"),
            Document(id="close", title="Two", body="alpha election widely beta gamma")]
    for ix in index_of(tmp_path_factory, "phrase-gaps-proximity", docs):
        assert [hit.id for hit in ix.search("election widely")] == ["close", "apart"]
