"""The term dictionary read straight from a segment's file (``store.w3.field_terms`` and
``field_frequencies``) gives what Whoosh's own reader gives: every term of a field, in order,
and how many documents hold it (deleted ones included, as Whoosh counts them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.store import w3

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=30)


def leaves(ix: CorpusIndex):
    return [leaf for leaf, _base in ix.searcher().reader().leaf_readers()]


def whooshs(leaf, field: str) -> list[tuple[bytes, int]]:
    return [(term, leaf.doc_frequency(field, term)) for term in leaf.lexicon(field)]


@pytest.mark.parametrize("chunk", [1 << 20, 64, 7])  # (entries across chunks, larger than one)
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=8))
def test_every_term_and_its_documents_are_whooshs(tmp_path_factory, monkeypatch, chunk, bodies):
    monkeypatch.setattr(w3, "_TERMS_CHUNK", chunk)
    path = tmp_path_factory.mktemp("terms") / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents([Document(id=f"d{n}", title=f"story {n}", body=" ".join(words))
                          for n, words in enumerate(bodies)])
        for leaf in leaves(ix):
            for field in ("body", "words", "title", "id"):
                expected = whooshs(leaf, field)
                assert w3.field_frequencies(leaf, field) == expected
                assert w3.field_terms(leaf, field) == [term for term, _ in expected]
            assert w3.field_terms(leaf, "no such field") == []


@pytest.mark.parametrize("chunk", [1 << 20, 7])
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=8),
       prefix=st.text(alphabet="abcé", max_size=3))
def test_the_terms_from_a_prefix_are_whooshs_terms_starting_with_it(
    tmp_path_factory, monkeypatch, chunk, bodies, prefix
):
    monkeypatch.setattr(w3, "_TERMS_CHUNK", chunk)
    start = prefix.encode("utf-8")
    path = tmp_path_factory.mktemp("prefix") / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents([Document(id=f"d{n}", title=f"story {n}", body=" ".join(words))
                          for n, words in enumerate(bodies)])
        for leaf in leaves(ix):
            for field in ("body", "words", "title"):
                expected = [t for t in leaf.lexicon(field) if t.startswith(start)]
                assert w3.field_terms(leaf, field, start) == expected


def test_a_deleted_document_still_counts_until_its_segment_is_merged(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="one", body="budget"),
                          Document(id="b", title="two", body="budget")])
        ix.delete("a")
        frequencies = {term: n for leaf in leaves(ix)
                       for term, n in w3.field_frequencies(leaf, "words")}
        assert frequencies[b"budget"] == sum(leaf.doc_frequency("words", "budget")
                                             for leaf in leaves(ix))
