"""Searchers replaced while an operation still reads through them.

An opened index keeps one warm searcher and opens a new one when another process's (or
thread's) commit makes it stale; the one replaced is set aside, not closed, for the reads
that still hold it. It used to be closed a few replacements later whoever held it: an
operation that asked for the searcher again after other commits, or an export read a page
at a time while other searches ran, failed with ``ReaderClosed``. A searcher is now closed
only once nothing holds it: not while a guard that was handed it is open, nor while an
export reads through it (:meth:`CorpusIndex.keep_open`).

The commits here are made by another opened index on the same folder, as another process
makes them; the tests are deterministic (no sleeps): each places the commits between two of
the operation's requests for the searcher.
"""

from __future__ import annotations

import gc
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh.reading import ReaderClosed

from corpus_search import CorpusIndex, Document, MultiIndex

#: more replacements than an index keeps replaced searchers it no longer knows to be held
REPLACEMENTS = 8
DOCS = 12


def _documents() -> list[Document]:
    topics = ["the budget and the Finance Bill", "hospital waiting lists in the NHS"]
    return [Document(id=f"doc{i:02d}", title=f"Report {i}",
                     body=f"Parliament debated {topics[i % 2]} in session {i}. Labour and "
                          "the Conservatives voted.")
            for i in range(DOCS)]


def _opened(tmp_path: Path, several: bool) -> Any:
    """The index ``ix`` of :func:`_documents` opened (``several``: with the index ``more``
    of one document, searched as one)."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(_documents())
    if not several:
        return CorpusIndex(tmp_path / "ix")
    with CorpusIndex(tmp_path / "more") as more:
        more.add_documents(Document(id="more", title="More", body="Parliament rose."))
    return MultiIndex([tmp_path / "ix", tmp_path / "more"])


def _commit(other: CorpusIndex, n: int) -> None:
    """A commit by another opened index (as another process commits)."""
    other.add_documents(Document(id=f"new{n:03d}", title="New", body="Parliament met."))


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[CorpusIndex, CorpusIndex]]:
    """The index as a reader has it open, and the same index opened by a writer."""
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix, CorpusIndex(path) as other:
        ix.add_documents(_documents())
        yield ix, other


def test_a_searcher_handed_out_in_a_guard_stays_open_however_many_commits_replace_it(
    pair: tuple[CorpusIndex, CorpusIndex],
):
    """One operation may ask for the searcher several times (parsing, filters, facets): one
    handed out earlier in it is still read after commits made the index hand out new ones."""
    ix, other = pair
    with ix.guard():
        first = ix.searcher()
        for n in range(REPLACEMENTS):
            _commit(other, n)
            assert ix.searcher() is not first
        assert first.doc_count() == DOCS
        assert first.stored_fields(first.document_number(id="doc03"))["title"] == "Report 3"
    assert len(ix) == DOCS + REPLACEMENTS


def test_a_searcher_kept_open_stays_open_until_released_and_is_closed_then(
    pair: tuple[CorpusIndex, CorpusIndex],
):
    ix, other = pair
    with ix.guard():
        kept = ix.searcher()
        release = ix.keep_open(kept)
    for n in range(REPLACEMENTS):
        _commit(other, n)
        assert ix.search("parliament", highlight=False).total == DOCS + n + 1
    assert kept.doc_count() == DOCS
    release()
    release()  # (once is enough: a second call changes nothing)
    with pytest.raises(ReaderClosed):
        kept.stored_fields(0)


@pytest.mark.parametrize("several", [False, True], ids=["CorpusIndex", "MultiIndex"])
def test_an_export_read_a_page_at_a_time_outlives_commits_and_searches_between_its_reads(
    tmp_path: Path, several: bool,
):
    """An export reads its documents through the searcher its first page was searched
    with (every page from one generation), a page at a time as its text is taken; a
    notebook or a web page searching the same opened index meanwhile, while another process
    commits, made new searchers, and the export's was closed under it: ``ReaderClosed``
    partway through the file. It now writes every document it found."""
    path = tmp_path / "ix"
    shared = _opened(tmp_path, several)
    with shared, CorpusIndex(path) as other:
        report, text = shared.export_text("parliament", format="jsonl")
        for n in range(REPLACEMENTS):
            _commit(other, n)
            shared.search("parliament", highlight=False)
        lines = list(text)
    expected = {f"doc{i:02d}" for i in range(DOCS)} | ({"more"} if several else set())
    assert {json.loads(line)["id"] for line in lines} == expected
    assert report.documents == len(expected)


#: every public operation that reads through the searcher, as a reader calls it
OPERATIONS: dict[str, Callable[[Any], object]] = {
    "search": lambda ix: ix.search("parliament budget", filters={"party": "Labour"}).total,
    "search by date": lambda ix: ix.search("parliament", sort="date").facets,
    "browse": lambda ix: ix.search("*", filters={"party": "Labour"}).facets,
    "misspelt": lambda ix: ix.search("parliment").suggestion,
    "count": lambda ix: ix.count("parliament", by="party").total,
    "trends": lambda ix: ix.trends(["parliament", "budget"], by="party").rows,
    "concordance": lambda ix: ix.concordance("parliament", limit=50).lines,
    "export": lambda ix: ix.export("parliament", io.StringIO(), format="csv").documents,
    "key-terms": lambda ix: ix.key_terms("budget", min_documents=1).terms,
    "similar": lambda ix: ix.similar("doc01").total,
    "get": lambda ix: ix.describe("doc02"),
}


@pytest.mark.parametrize("several", [False, True], ids=["CorpusIndex", "MultiIndex"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_operation_finishes_when_another_process_commits_before_each_searcher_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: str, several: bool,
):
    """Another process commits before every request the operation makes for the index's
    searcher, so each request is handed a new one: the operation still finishes, and never
    reads through a closed searcher."""
    path = tmp_path / "ix"
    shared = _opened(tmp_path, several)
    reader = shared.indexes[0] if several else shared
    with shared, CorpusIndex(path) as other:
        OPERATIONS[operation](shared)  # (warm: what a reader's later requests are)
        pool = reader._searchers
        real = pool.searcher
        commits: list[int] = []

        def searcher(ranking: Any = None) -> Any:
            _commit(other, len(commits))
            commits.append(1)
            return real(ranking)

        monkeypatch.setattr(pool, "searcher", searcher)
        for _ in range(2):  # (a second time: the caches the first filled, stale)
            OPERATIONS[operation](shared)
    assert commits


# -- several indexes searched as one ---------------------------------------------------------


def _renumbered(path: Path) -> None:
    """Another process replaces the index at ``path`` with the same documents in the other
    order (a rebuild): each id is another document number in the new generation."""
    with CorpusIndex.create(path, overwrite=True) as ix:
        ix.add_documents(list(reversed(_documents())))


@pytest.fixture
def both(tmp_path: Path) -> Iterator[MultiIndex]:
    with _opened(tmp_path, several=True) as multi:
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


@pytest.mark.parametrize("several", [False, True], ids=["CorpusIndex", "MultiIndex"])
def test_a_searcher_asked_for_outside_any_guard_is_read_after_commits_and_closed_once_dropped(
    tmp_path: Path, several: bool,
):
    """A library user who takes ``ix.searcher()`` (no guard around) to read with Whoosh
    keeps it however many commits and searches replace it: it was closed four replacements
    later under them (``ReaderClosed``). Once they drop it, its files are closed."""
    shared = _opened(tmp_path, several)
    with shared, CorpusIndex(tmp_path / "ix") as other:
        mine = shared.searcher()
        for n in range(REPLACEMENTS):
            _commit(other, n)
            shared.search("parliament", highlight=False)
        assert mine.doc_count() == DOCS + several
        assert mine.stored_fields(mine.document_number(id="doc03"))["title"] == "Report 3"
        parts = getattr(mine, "parts", [mine])
        readers = [part.reader() for part in parts]
        del mine, parts
        gc.collect()
        with pytest.raises(ReaderClosed):
            readers[0].stored_fields(0)


@pytest.mark.parametrize("several", [False, True], ids=["CorpusIndex", "MultiIndex"])
def test_what_a_result_counts_on_first_use_is_counted_after_other_commits_and_searches(
    tmp_path: Path, several: bool,
):
    """A result's total, facets and notes are counted when first asked for, through the
    index's guard: asked for after the index was written and searched many times, they are
    still what the search found."""
    shared = _opened(tmp_path, several)
    with shared, CorpusIndex(tmp_path / "ix") as other:
        found = [shared.search(query, **how) for query, how in [
            ("parliament", {}), ("parliament", {"sort": "date"}), ("Parliam*", {}),
            ("parliment", {}), ('"Finance Bill"', {}), ("*", {"filters": {"party": "Labour"}}),
        ]]
        for n in range(REPLACEMENTS):
            _commit(other, n)
            shared.search("budget", highlight=False)
        assert [r.total for r in found] == [DOCS + several, DOCS + several, DOCS + several,
                                            DOCS + several, DOCS // 2, DOCS]
        assert all(r.facets and r.parsed_query and r.why_empty == [] for r in found)
