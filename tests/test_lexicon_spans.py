"""Specification: a field prefix bounds a query's lexicon terms. Whoosh's parser reads
``name:`` as a field, so a word carrying one is never a word of a multi-word term, and a term
is wholly inside a field's value or wholly outside it (``Labour party:Conservative`` once
became the term "Labour Party" and lost its party filter)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.search.lexicon_spans import field_regions, query_term_spans
from corpus_search.search.parsing import build_query, walk


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of(tmp_path_factory, "fields", [
        Document(id="scots", title="Perth", body="The Scottish Conservatives met in Perth."),
        Document(id="release", title="Schools", body="A press release on schools.",
                 source="Labour"),
        Document(id="conference", title="Brighton", body="The Labour Party conference opened."),
        Document(id="weather", title="Weather", body="The weather was fine all week."),
    ])


def ids(ix: CorpusIndex, text: str) -> set[str]:
    return {hit.id for hit in ix.search(text, limit=20)}


def field_terms(ix: CorpusIndex, text: str) -> set[tuple[str, str]]:
    q = build_query(ix, text).query
    return {(t.fieldname, t.text) for t in walk(q)
            if isinstance(t, query.Term) and t.fieldname in ("party", "source")}


def test_a_party_field_after_labour_keeps_its_filter(ix: CorpusIndex):
    """Labour party:Conservative finds the documents tagged Conservative (the Scottish
    Conservatives' one, which names no "Conservative Party") and those that say Labour."""
    assert ("party", "Conservative") in field_terms(ix, "Labour party:Conservative")
    assert ids(ix, "Labour party:Conservative") == {"scots", "conference"}


def test_source_labour_then_party_conservative_is_the_source_and_the_party(ix: CorpusIndex):
    assert field_terms(ix, "source:Labour party:Conservative") == {
        ("source", "Labour"), ("party", "Conservative")}
    assert ids(ix, "source:Labour party:Conservative") == {"release", "scots"}


@pytest.mark.parametrize("text", ["Labour Party", "Labour Party conference",
                                  '"Labour Party" conference', "source:Labour Labour Party",
                                  'source:"BBC News" Labour Party', "Labour Party title:Perth"])
def test_a_term_away_from_any_field_is_still_the_term(ix: CorpusIndex, text: str):
    assert "conference" in ids(ix, text)
    start = text.rindex("Labour Party")
    assert any(s <= start and start + len("Labour Party") <= e
               for s, e in query_term_spans(text, ix.lexicon))


@pytest.mark.parametrize("text", ['party:"Lib Dems"', 'title:"Labour Party"',
                                  "title:(Labour Party conference)"])
def test_a_term_inside_a_quoted_or_bracketed_value_is_the_term(ix: CorpusIndex, text: str):
    start = text.index(":") + 2
    assert any(s == start for s, _ in query_term_spans(text, ix.lexicon))


def test_a_term_starting_a_fields_unquoted_value_is_the_fields_value(ix: CorpusIndex):
    # (party:Lib Dems is what a reader types for the party filter: the term, as the quoted
    # value would be, not party:Lib and "Dems" anywhere)
    assert field_terms(ix, "party:Lib Dems") == field_terms(ix, 'party:"Lib Dems"')
    assert ids(ix, "title:Labour Party") == ids(ix, 'title:"Labour Party"')


@given(st.sampled_from(["title", "body", "party", "source", "id", "year", "date"]),
       st.sampled_from(["Labour", "Lib", "Tony", "general", "Conservative"]),
       st.sampled_from(["Party", "Dems", "Blair", "election", "party"]))
def test_no_term_takes_in_a_field_name_or_runs_into_a_value_from_before_it(
    ix: CorpusIndex, name: str, before: str, after: str
):
    for text in (f"{before} {name}:{after}", f"{name}:{before} {after}",
                 f"{before} {name}:{before} {after}"):
        regions = field_regions(text)
        assert regions
        for s, e in query_term_spans(text, ix.lexicon):
            assert all(e <= start or end <= s or s == value
                       for start, value, end in regions), (text, s, e)
