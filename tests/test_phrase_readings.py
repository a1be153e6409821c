"""A quoted phrase finds the texts that write two of its neighbouring words hyphenated or
closed up: '"file sharing"' finds "file-sharing" and "filesharing", which the index holds at
one place (39 BBC articles write "file-sharing", 2 "file sharing"), as grep would; and a
phrase of plain words finds them inside a longer lexicon term, whose words the index holds at
the term's one place ('"international development"' in "the Department for International
Development")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.search.phrases import MAX_READINGS, read, readings

ANALYZER = political_analyzer()
IMPLIED = load_lexicon().implied


def ways(text: str, indexed=lambda term: True) -> list[list[list[str]]]:
    reading = read(ANALYZER, IMPLIED, text)
    return [[[t for t, _ in place] for place in way.places]
            for way in readings(reading, indexed)]


def test_a_stop_word_in_a_phrase_leaves_its_position_empty_between_the_places():
    assert read(ANALYZER, IMPLIED, "election is widely").offsets == (0, 2)
    assert read(ANALYZER, IMPLIED, "the election is widely").offsets == (0, 2)
    assert read(ANALYZER, IMPLIED, "file sharing").offsets == (0, 1)


def test_a_closed_up_pair_brings_the_places_after_it_one_position_nearer():
    reading = read(ANALYZER, IMPLIED, "file sharing of sites")
    assert [(len(way.places), way.offsets) for way in readings(reading, lambda term: True)] == [
        (3, (0, 1, 3)), (2, (0, 2))]


def test_a_phrase_is_also_read_with_its_neighbouring_words_closed_up():
    assert ways("file sharing") == [[["file"], ["share"]], [["fileshar"]]]


def test_each_pair_is_closed_up_in_turn_and_together_where_they_do_not_overlap():
    assert ways("illegal file sharing sites") == [
        [["illeg"], ["file"], ["share"], ["site"]],
        [["illegalfil"], ["share"], ["site"]],
        [["illeg"], ["fileshar"], ["site"]],
        [["illeg"], ["file"], ["sharingsit"]],
        [["illegalfil"], ["sharingsit"]],  # (never two pairs sharing a word)
    ]


def test_a_pair_the_index_does_not_hold_closed_up_stays_two_places():
    assert ways("file sharing", indexed=lambda term: False) == [[["file"], ["share"]]]


def test_words_with_a_dropped_word_between_are_no_compound():
    assert all(len(places) == 2 for places in ways("life of nation"))


def test_a_lexicon_term_in_a_phrase_is_not_closed_up_with_its_neighbour():
    # "Lib Dems" is one place already: its concept, not a word to join
    assert ways("Lib Dems leader") == [[["lib_dem"], ["leader"]]]


@given(st.lists(st.sampled_from(["file", "sharing", "high", "level", "of", "Labour", "Lib",
                                 "Dems", "re", "election"]), min_size=1, max_size=7))
def test_the_first_reading_is_the_phrase_as_typed_and_the_others_are_shorter(words):
    text = " ".join(words)
    found = ways(text)
    assert found[0] == [[t for t, _ in place] for place in read(ANALYZER, IMPLIED, text).places]
    assert all(len(places) < len(found[0]) for places in found[1:])
    assert len(found) <= MAX_READINGS


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    docs = [
        Document(id="hyphen", title="Napster", body="The first file-sharing network closed."),
        Document(id="spaced", title="Music", body="Illegal file sharing is rising."),
        Document(id="closed", title="Courts", body="A filesharing case went to court."),
        Document(id="apart", title="Office", body="Sharing an office file is allowed."),
        Document(id="dfid", title="Aid",
                 body="The Department for International Development pledged more aid."),
        Document(id="shadow", title="Davis", body="The shadow home secretary spoke."),
        Document(id="legal", title="Advice",
                 body="The war could be illegal without a second UN resolution sanctioning it."),
        Document(id="very", title="Good", body="It was very good."),
        Document(id="other", title="Weather", body="Rain is expected on Monday."),
    ]
    yield from index_of(tmp_path_factory, "phrase-readings-ix", docs)


def test_a_quoted_phrase_finds_its_words_hyphenated_or_closed_up(index: CorpusIndex):
    results = index.search('"file sharing"')
    assert results.phrase_matches == 3
    assert {hit.id for hit in results[:3]} == {"hyphen", "spaced", "closed"}
    assert results[3].id == "apart"  # its words apart, ranked after


def test_a_count_of_the_phrase_counts_every_way_of_writing_it(index: CorpusIndex):
    assert index.count('"file sharing"', by="source").total == 3


def test_a_concordance_of_the_phrase_shows_the_hyphenated_compound(index: CorpusIndex):
    matches = {line.id: line.match for line in index.concordance('"file sharing"').lines}
    assert matches == {"hyphen": "file-sharing", "spaced": "file sharing",
                       "closed": "filesharing"}


def test_a_phrase_of_plain_words_finds_them_inside_a_longer_lexicon_term(index: CorpusIndex):
    results = index.search('"international development"')
    assert results.phrase_matches == 1 and results[0].id == "dfid"
    assert index.count('"international development"', by="source").total == 1
    [line] = index.concordance('"international development"').lines
    assert line.match == "International Development"


def test_a_phrase_that_is_a_lexicon_term_keeps_its_meaning_inside_a_longer_one(
        index: CorpusIndex):
    # a shadow home secretary is not the Home Secretary (see test_begun_terms)
    assert index.count('"home secretary"', by="source").total == 0


def test_a_phrase_may_begin_inside_a_longer_lexicon_term_and_go_on_past_it(index: CorpusIndex):
    # "second UN resolution" is a form of legality_of_war: its words stand at one place
    assert index.count('"UN resolution sanctioning"', by="source").total == 1


def test_a_word_repeated_in_a_phrase_is_not_found_by_one_mention(index: CorpusIndex):
    assert index.count('"very very"', by="source").total == 0
