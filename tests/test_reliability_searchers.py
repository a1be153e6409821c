"""Several indexes searched as one, read through a searcher that an index's newer one has
replaced: its documents are found, by id, as that searcher numbers them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus_search import CorpusIndex, Document, MultiIndex

DOCS = 12


def _documents() -> list[Document]:
    topics = ["the budget and the Finance Bill", "hospital waiting lists in the NHS"]
    return [Document(id=f"doc{i:02d}", title=f"Report {i}",
                     body=f"Parliament debated {topics[i % 2]} in session {i}. Labour and "
                          "the Conservatives voted.")
            for i in range(DOCS)]


# -- several indexes searched as one ---------------------------------------------------------


def _renumbered(path: Path) -> None:
    """Another process replaces the index at ``path`` with the same documents in the other
    order (a rebuild): each id is another document number in the new generation."""
    with CorpusIndex.create(path, overwrite=True) as ix:
        ix.add_documents(list(reversed(_documents())))


@pytest.fixture
def both(tmp_path: Path) -> Iterator[MultiIndex]:
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(_documents())
    with CorpusIndex(tmp_path / "more") as more:
        more.add_documents(Document(id="more", title="More", body="Parliament rose."))
    with MultiIndex([tmp_path / "ix", tmp_path / "more"]) as multi:
        yield multi


def test_a_searcher_of_several_indexes_finds_each_id_as_it_numbers_its_documents(
    both: MultiIndex,
):
    """A searcher of several indexes looked ids up in the indexes' newest searchers, though
    it reads (and numbers documents as) those it was made of: once another process had
    rebuilt an index, and a later request had made a new searcher, an id found the document
    holding that number in the new generation, another document."""
    first = both.searcher()
    _renumbered(both.indexes[0].path)
    assert both.searcher() is not first
    for i in range(DOCS):
        docnum = first.document_number(id=f"doc{i:02d}")
        assert first.stored_fields(docnum)["title"] == f"Report {i}"
    assert first.stored_fields(first.document_number(id="more"))["id"] == "more"


def test_an_export_of_several_indexes_writes_the_documents_it_found_in_their_order(
    both: MultiIndex,
):
    """The export searched its first page through one searcher and read its documents, by
    id, through the newest: with an index rebuilt meanwhile (and searched), each row held
    another document than the hit it stood for (on the BBC corpus, another article)."""
    ranked = [hit.id for hit in both.search("parliament", limit=100, highlight=False).hits]
    report, text = both.export_text("parliament", format="jsonl")
    _renumbered(both.indexes[0].path)
    both.search("parliament")
    rows = [json.loads(line) for line in text]
    assert [row["id"] for row in rows] == ranked
    assert [row["rank"] for row in rows] == list(range(1, DOCS + 2))
    assert report.documents == DOCS + 1
