"""A long-running process keeps a bounded number of files open: commits and searches close
what they open as they go, without waiting for the garbage collector.

Each commit opens the segments it merges and a searcher for its deletions; each new
generation gets a new searcher. Reference cycles around those objects once kept every
segment file mapped until a full garbage collection: a process that indexed and searched
240 times held 2,400 descriptors (past the usual limit of 1,024). The tests turn the
collector off, so only files closed by the code itself count as closed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import open_descriptors
from corpus_search import CorpusIndex
from reliability_helpers import BATCHES, batch_documents, write_batches

#: searchers a CorpusIndex keeps (the current one and a few retired ones) times the segments
#: each may have open: far below what a leak of a few files per commit reaches
OPEN_WHILE_WORKING = 60


@pytest.fixture
def no_garbage_collector() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_committing_and_searching_for_a_long_time_keeps_few_files_open(
    tmp_path: Path, no_garbage_collector: None
):
    before = open_descriptors()
    with CorpusIndex(tmp_path / "ix") as ix:
        for k in range(4 * BATCHES):
            ix.add_documents(batch_documents(k % BATCHES))
            assert ix.search("parliament").total > 0
            assert ix.search("parliment").suggestion == "parliament"  # reads the vocabulary
            assert open_descriptors() - before <= OPEN_WHILE_WORKING, f"after commit {k}"
    assert open_descriptors() == before


def test_closing_an_index_closes_every_file_its_commits_and_merges_opened(
    tmp_path: Path, no_garbage_collector: None
):
    before = open_descriptors()
    for run in range(3):
        write_batches(tmp_path / f"ix{run}", lambda line: None)
        assert open_descriptors() == before, f"after run {run}"


def test_an_index_used_after_it_is_closed_opens_its_files_again_and_a_result_keeps_its_own(
    tmp_path: Path, no_garbage_collector: None
):
    """A result counts its total and facets when first asked (a second pass), so it keeps the
    files it reads until it is dropped, after the ``with`` block too; the index closed still
    searches, and closing it again closes what that opened."""
    before = open_descriptors()
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(batch_documents(0))
        results = ix.search("parliament")
    assert results.total > 0 and isinstance(results.facets["party"], dict)  # read after close
    del results
    assert open_descriptors() == before
    assert ix.search("parliament").total > 0
    ix.close()
    assert open_descriptors() == before



def test_a_commit_holds_none_of_its_caller_s_files_for_the_garbage_collector_to_close(
    tmp_path: Path, no_garbage_collector: None
):
    """Each commit makes the writer's scratch folder (``MAIN.tmp``) twice; Whoosh's storage
    kept the "already exists" error it ignores the second time in a local variable, a
    reference cycle through every frame that led to the commit. The caller's frames and what
    they held (a searcher and its mapped segment files) stayed until a full collection:
    228 commits made between the reads of a concordance held 585 descriptors."""
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents(batch_documents(0))
    before = open_descriptors()

    def read_and_commit(k: int) -> None:
        with CorpusIndex(path) as reader, CorpusIndex(path) as writer:
            searcher = reader.searcher()  # (open in this frame while the commit runs)
            writer.add_documents(batch_documents(k))
            assert searcher.doc_count() > 0

    for k in range(1, BATCHES):
        read_and_commit(k)
    assert open_descriptors() == before
