"""A quoted phrase holding a lexicon term finds the same documents whichever of the term's
forms it types, and ranks them alike: '"Lib Dem leader"' and '"Liberal Democrat leader"'
both find the documents writing the phrase in any form first, then those holding the party
(in any form) and "leader" apart. Read word by word, the fallback of "Liberal Democrat leader"
had needed "Liberal" and "Democrat" and that of "Lib Dem leader" "Lib" and "Dem": 72 and 54
BBC documents."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.search.lexicon_spans import phrase_units

LEXICON = load_lexicon()

#: multi-word forms the lexicon lists for the Liberal Democrats
LIB_DEM = ["Lib Dem", "Liberal Democrat", "Lib Dems", "Liberal Democrats", "Lib-Dem",
           "Liberal Democrat Party"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    docs = [
        Document(id="short", title="Tour", body="Lib Dem leader Charles Kennedy toured Wales."),
        Document(id="long", title="Speech", body="The Liberal Democrat leader spoke on tax."),
        Document(id="apart-short", title="Debt",
                 body="The Lib Dems want a cap on debt. The Tory leader disagreed."),
        Document(id="apart-long", title="Schools",
                 body="The Liberal Democrats promised teachers. The Labour leader did not."),
        Document(id="democrat", title="Congress",
                 body="A Democrat leader in Congress spoke of liberal values."),
        Document(id="other", title="Weather", body="Rain is expected on Monday."),
    ]
    yield from index_of(tmp_path_factory, "phrase-units-ix", docs)


def ranked(index: CorpusIndex, query: str) -> list[tuple[str, float]]:
    return [(hit.id, round(hit.score, 9)) for hit in index.search(query, limit=100)]


def test_each_form_of_the_term_in_a_phrase_finds_the_same_documents_ranked_alike(
        index: CorpusIndex):
    short, long = ranked(index, '"Lib Dem leader"'), ranked(index, '"Liberal Democrat leader"')
    assert short == long
    assert {d for d, _ in short[:2]} == {"short", "long"}  # the phrase, in either form, first
    assert {d for d, _ in short[2:]} == {"apart-short", "apart-long"}  # the party and leader apart


def test_the_words_of_the_term_apart_are_not_the_term(index: CorpusIndex):
    # "Democrat" and "liberal" apart, in an American story, are not the Liberal Democrats
    assert "democrat" not in {hit.id for hit in index.search('"Liberal Democrat leader"')}


def test_a_count_and_an_export_agree_whichever_form_the_phrase_types(index: CorpusIndex):
    for query in ('"Lib Dem leader"', '"Liberal Democrat leader"'):
        counted = index.count(query, by="source")
        assert counted.total == 2
        assert any("2 more documents hold the words" in note for note in counted.notes)
        report, text = index.export_text(query)
        rows = io.StringIO("".join(text)).read().splitlines()
        assert len(rows) - 1 == index.search(query).total == 4
        assert (report.documents, report.uncounted) == (4, 2)


def test_a_phrase_that_is_one_term_keeps_its_words():
    assert phrase_units("New Labour", ("New", "Labour"), LEXICON) == ("New", "Labour")
    assert phrase_units("the Lib Dems", ("Lib", "Dems"), LEXICON) == ("Lib", "Dems")


def test_each_term_inside_a_longer_phrase_is_one_unit_and_stop_words_none():
    assert phrase_units("leader of the Lib Dems", ("leader", "Lib", "Dems"), LEXICON) == (
        "leader", "Lib Dems")
    assert phrase_units("Liberal Democrat leader", ("Liberal", "Democrat", "leader"),
                        LEXICON) == ("Liberal Democrat", "leader")


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(LIB_DEM), st.sampled_from(["leader", "MPs", "policy", "spokesman"]),
       st.booleans())
def test_any_form_of_a_term_before_or_after_a_word_ranks_as_any_other_form(
        index: CorpusIndex, form: str, word: str, before: bool):
    def phrase(f: str) -> str:
        return f'"{word} {f}"' if before else f'"{f} {word}"'

    assert ranked(index, phrase(form)) == ranked(index, phrase(LIB_DEM[0]))
