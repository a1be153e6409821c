"""``title:*`` and ``body:*`` are the documents whose field holds a word, as Lucene and
Elasticsearch read ``field:*`` (the field exists): ``title:*`` had been every document, a
document with no title too, and ``Blair NOT title:*`` was refused as excluding everything.
A bare ``*`` is still every document."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.errors import QueryError

DOCS = [
    Document(id="titled", title="Blair on schools", body="Tony Blair visited a school."),
    Document(id="budget", title="Budget day", body="Gordon Brown set out the budget."),
    Document(id="untitled", title="", body="Blair spoke about the budget in Brussels."),
    Document(id="bare", title="", body="Rain is expected on Monday."),
]
TITLED = {"titled", "budget"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of(tmp_path_factory, "field-held-ix", DOCS)


def found(index: CorpusIndex, query: str) -> set[str]:
    return {hit.id for hit in index.search(query, limit=100, correct=False)}


def test_a_text_fields_star_is_the_documents_holding_a_word_of_it(index: CorpusIndex):
    assert found(index, "title:*") == TITLED
    assert index.count("title:*", by="source").total == 2
    assert found(index, "body:*") == {doc.id for doc in DOCS}


def test_a_bare_star_is_still_every_document_and_excluding_it_is_refused(index: CorpusIndex):
    assert found(index, "*") == {doc.id for doc in DOCS}
    with pytest.raises(QueryError, match="excludes every document"):
        index.search("Blair NOT *")


def test_not_title_star_finds_the_documents_with_no_title(index: CorpusIndex):
    assert found(index, "Blair NOT title:*") == {"untitled"}
    assert str(index.search("Blair NOT title:*").parsed_query).endswith("ANDNOT title:*)")


def test_title_star_beside_a_title_word_keeps_the_word(index: CorpusIndex):
    # (Whoosh's normalize drops an AND's clauses of the field a bare Every(field) names)
    assert found(index, "title:Blair AND title:*") == found(index, "title:Blair") == {"titled"}


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["Blair", "budget", "Brown", "school", "Monday", "Brussels"]))
def test_a_word_and_title_star_is_the_words_documents_that_have_a_title(
        index: CorpusIndex, word: str):
    assert found(index, f"{word} AND title:*") == found(index, word) & TITLED
    assert found(index, f"{word} NOT title:*") == found(index, word) - TITLED
