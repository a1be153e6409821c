"""The index-wide tables key terms read (how many documents hold each word, the forms of the
concepts' words, each concept's documents): kept in the cache folder per generation of the
index, read back as they were worked out, and never those of another generation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corpus_search import CorpusIndex, Document
from corpus_search.analysis import cachefiles
from corpus_search.search import keyterm_tables
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.keyterm_tables import KeyTables, key_tables
from corpus_search.search.ranking import RANKING


def stories() -> list[Document]:
    lib_dem = [Document(id=f"ld{n}", title=f"Lib Dem story {n}",
                        body=f"Charles Kennedy and the Liberal Democrats on tuition fees {n}. "
                             "The Tories and the Conservatives disagreed.")
               for n in range(6)]
    others = [Document(id=f"o{n}", title=f"Story {n}",
                       body=f"The weather and LABOUR markets, item {n}; the Prime Minister spoke.")
              for n in range(12)]
    return lib_dem + others


def tables_of(ix: CorpusIndex) -> KeyTables:
    """The tables of the index's current generation, for a new searcher's engine."""
    return key_tables(engine_for_ranking(ix.searcher(), RANKING))


def same(a: KeyTables, b: KeyTables) -> bool:
    return (a.holding == b.holding and a.concept_word_forms == b.concept_word_forms
            and a.concepts == b.concepts and a.forms == b.forms and np.array_equal(a.docs, b.docs)
            and np.array_equal(a.starts, b.starts))


def table_files() -> list[Path]:
    folder = cachefiles.cache_dir()
    return sorted(folder.glob("key-terms-*")) if folder and folder.exists() else []


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cachefiles.CACHE_ENV, str(folder))
    return folder


def test_tables_read_back_from_the_cache_are_those_worked_out(tmp_path: Path, cache: Path,
                                                              monkeypatch):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories())
        kept = tables_of(ix)  # worked out, and the file written
        assert len(table_files()) == 1
        read_back = tables_of(ix)
        monkeypatch.setenv(cachefiles.CACHE_ENV, "")
        worked_out = tables_of(ix)
    assert same(kept, worked_out) and same(read_back, worked_out)
    assert worked_out.holding["labour"] == 12 and worked_out.holding["kennedy"] == 6
    assert worked_out.concepts == ["top_up_fees", "conservative_party", "lib_dem"]
    assert worked_out.concept_word_forms["labour"] == ["LABOUR"]  # (as written: capitals)


def test_a_new_generation_never_reads_the_tables_of_the_one_before(tmp_path: Path, cache):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories())
        before = tables_of(ix)
        ix.delete(["ld0", "ld1"])  # the same segment, two of its documents deleted
        after = tables_of(ix)
        ix.add_documents([Document(id="n1", title="Kennedy", body="Kennedy again")])
        added = tables_of(ix)
    assert len(table_files()) == 3
    # (deleted documents stay in the term dictionary's counts; their concepts' documents go)
    assert after.holding == before.holding and len(after.docs) < len(before.docs)
    assert added.holding["kennedy"] == before.holding["kennedy"] + 1


def test_a_damaged_cache_file_is_worked_out_again(tmp_path: Path, cache: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories())
        worked_out = tables_of(ix)
        (path,) = table_files()
        data = bytearray(path.read_bytes())
        data[-3] ^= 0xFF  # (the checksum no longer matches)
        path.write_bytes(bytes(data))
        assert same(tables_of(ix), worked_out)


def test_only_the_latest_files_are_kept(tmp_path: Path, cache: Path, monkeypatch):
    monkeypatch.setattr(keyterm_tables, "KEPT_FILES", 2)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories()[:4])
        for n in range(3):
            ix.add_documents([Document(id=f"x{n}", title="More", body=f"Another story {n}")])
            tables_of(ix)
        assert len(table_files()) == 2
        newest = table_files()
        assert same(tables_of(ix), key_tables(engine_for_ranking(ix.searcher(), RANKING)))
        assert table_files() == newest


def test_key_terms_are_the_same_with_and_without_the_cache(tmp_path: Path, cache,
                                                           monkeypatch):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories())
        ix.delete(["o3"])
        first = ix.key_terms("Kennedy").to_dict()
    with CorpusIndex(tmp_path / "ix") as ix:  # (a new searcher: the tables from the file)
        assert table_files() and ix.key_terms("Kennedy").to_dict() == first
    monkeypatch.setenv(cachefiles.CACHE_ENV, "")
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.key_terms("Kennedy").to_dict() == first
    assert first["terms"]
