"""Very long documents: a body longer than Whoosh's one-byte field length can hold.

Whoosh records a field's length in one byte, and every length from 106,374 tokens up (about
600 KB of text: a book, a day of Hansard, a file of many articles pasted together) comes
back as 106,374. BM25 then takes such a body for a fraction of its length, its thousands of
occurrences of any word look dense, and it topped most searches of the collection it was in.
The index keeps the exact length of such a body in a column of its own (``body_length``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from whoosh.writing import SegmentWriter

from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search.engine import QueryEngine
from corpus_search.search.ranking import RANKING
from corpus_search.store.w3 import LONGEST_LENGTH, exact_length_field

ARTICLES = [
    Document("a/1", "Blair names election date", "Tony Blair said the election would be in May."),
    Document("a/2", "Blair and Brown", "Mr Blair and Gordon Brown spoke about the economy."),
    Document("a/3", "Tories attack Blair", "The Tories said Mr Blair had broken his promises."),
    Document("a/4", "Schools plan", "Ministers set out plans for schools and hospitals."),
    Document("a/5", "Budget day", "Gordon Brown's Budget raised spending on health."),
]

_SUBJECTS = (
    "council housing transport railway farmers weather football cricket theatre museum "
    "river bridge airport hospital nurses teachers police village market harvest music "
    "film festival shares profits bank energy prices water coast island garden library"
)
_WORDS = _SUBJECTS.split()


def _others(n: int) -> list[Document]:
    """``n`` articles on other subjects, of 60 words each."""
    return [
        Document(
            f"other/{i}",
            f"{_WORDS[i % len(_WORDS)].title()} news",
            " ".join(_WORDS[(i * 7 + j * 3) % len(_WORDS)] for j in range(60)),
        )
        for i in range(n)
    ]


def pasted_together(docs: list[Document], tokens: int) -> Document:
    """One document of ``docs``'s titles and bodies, repeated to about ``tokens`` words."""
    text = "\n\n".join(f"{d.title}\n{d.body}" for d in docs)
    copies = 1 + tokens // len(text.split())
    return Document("dump", "Collected articles", "\n\n".join([text] * copies))


def engine(ix: CorpusIndex) -> QueryEngine:
    return QueryEngine(ix.searcher(), RANKING.k1, RANKING.b, {"title": RANKING.title_b})


def docnum(ix: CorpusIndex, doc_id: str) -> int:
    found = ix.searcher().document_number(id=doc_id)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    """The articles and 200 others, and a file of all of them pasted together many times
    over: four times the longest length the byte holds, so recorded as a quarter of it."""
    ix = CorpusIndex(tmp_path_factory.mktemp("long") / "ix")
    collection = [*ARTICLES, *_others(200)]
    ix.add_documents([*collection, pasted_together(collection, 4 * LONGEST_LENGTH)])
    yield ix
    ix.close()


def test_a_body_longer_than_the_length_byte_holds_keeps_its_exact_length(index):
    lengths = engine(index).field_lengths("body")
    long_body = lengths[docnum(index, "dump")]
    assert long_body > LONGEST_LENGTH * 3
    # the short bodies keep the length Whoosh records (the byte's rounding included)
    reader = index.searcher().reader()
    for doc in ARTICLES:
        n = docnum(index, doc.id)
        assert lengths[n] == reader.doc_field_length(n, "body")


def test_the_exact_length_is_the_one_the_field_total_counts(index):
    """The average body length (the field's total over the documents) already counted the
    exact length; the length the ranking divides by is now the same one."""
    searcher = index.searcher()
    lengths = engine(index).field_lengths("body")
    assert lengths.sum() == pytest.approx(searcher.field_length("body"), rel=0.02)


def test_a_file_of_many_articles_does_not_outrank_the_articles_it_repeats(index):
    """It holds each name thousands of times, in text mostly about other things: the
    articles about the name come first, and it matches after them."""
    for query in ("Blair", "Gordon Brown", "Blair election date", "schools hospitals"):
        ids = [hit.id for hit in index.search(query).hits]
        assert "dump" in ids, query
        assert ids[0].startswith("a/"), (query, ids)


def test_merging_segments_keeps_the_exact_length(tmp_path: Path):
    ix = CorpusIndex(tmp_path / "ix")
    try:
        ix.add_documents([pasted_together(ARTICLES, 2 * LONGEST_LENGTH), *ARTICLES[:2]])
        before = engine(ix).field_lengths("body")[docnum(ix, "dump")]
        total = ix.searcher().field_length("body")
        writer = ix.whoosh_index.writer()
        for doc in ARTICLES[2:]:
            writer.add_document(**ix.document_fields(doc))
        writer.commit(optimize=True)  # one segment: the long document's is merged into it
        assert len(list(ix.searcher().reader().leaf_readers())) == 1
        assert engine(ix).field_lengths("body")[docnum(ix, "dump")] == before
        added = sum(ix.searcher().reader().doc_field_length(docnum(ix, d.id), "body")
                    for d in ARTICLES[2:])
        assert ix.searcher().field_length("body") == total + added
    finally:
        ix.close()


def test_an_index_without_the_column_ranks_with_the_length_whoosh_recorded(tmp_path: Path):
    """An index written before the column (or by Whoosh's own writer) holds no exact
    lengths: the long body is ranked as before, at the length its byte records."""
    ix = CorpusIndex(tmp_path / "ix")
    try:
        writer = SegmentWriter(ix.whoosh_index)
        for doc in [*ARTICLES, pasted_together(ARTICLES, 2 * LONGEST_LENGTH)]:
            writer.add_document(**ix.document_fields(doc))
        writer.commit()
        reader = ix.searcher().reader()
        assert not any(
            leaf.has_column(exact_length_field("body")) for leaf, _ in reader.leaf_readers()
        )
        lengths = engine(ix).field_lengths("body")
        assert lengths[docnum(ix, "dump")] == LONGEST_LENGTH
        assert np.all(lengths > 0)
    finally:
        ix.close()


def test_an_index_holding_long_documents_measured_short_says_to_rebuild(tmp_path: Path):
    """An index built before the exact lengths were kept ranks its very long documents
    high; its stats, and each ``index`` run, say so with the command that rebuilds it."""
    ix = CorpusIndex(tmp_path / "ix")
    try:
        ix.add_documents(ARTICLES)
        assert not [n for n in ix.notes() if "longer than this index recorded" in n]
        writer = SegmentWriter(ix.whoosh_index)  # writes no exact lengths, as before
        writer.add_document(**ix.document_fields(pasted_together(ARTICLES, 2 * LONGEST_LENGTH)))
        writer.commit()
        for notes in (ix.notes(), ix.stats().notes):
            (note,) = [n for n in notes if "longer than this index recorded" in n]
            assert note.startswith("1 document is longer")
            assert "rank it above articles more about the query" in note
            # (the library's call; the command's command line, as its stats say it)
            assert f"rebuild_index({str(ix.path)!r}, " in note
            assert "corpus-search index" in note.cli_message and "--rebuild" in note.cli_message
        ix.delete("dump")
        assert not [n for n in ix.notes() if "longer than this index recorded" in n]
    finally:
        ix.close()
