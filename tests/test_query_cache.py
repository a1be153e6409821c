"""Specification: a query asked again is not parsed again, and a cached parse never outlives
what it was parsed against (the index's documents, its lexicon, the ranking)."""

from __future__ import annotations

import dataclasses
import gc
import os
import time
import weakref
from pathlib import Path

import pytest
from whoosh.searching import Searcher

import corpus_search.search.corrections as corrections_module
import corpus_search.search.execute as execute_module
import corpus_search.search.parsing as parsing_module
from conftest import write_corpus
from corpus_search import CorpusIndex, Document, Ranking, rebuild_index
from corpus_search.store.columns import stored_fields
from corpus_search.store.files import SETTLED_NS
from corpus_search.store.memo import PerSearcher

LEXICON = "[terms]\nreform_club\tReform Club | Blue Lodge\n"


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory):
    """An index of the small corpus of this module's own: no other test's queries are in
    its searcher's cache."""
    root = tmp_path_factory.mktemp("query-cache")
    with CorpusIndex(root / "ix") as ix:
        ix.index_directory(write_corpus(root / "corpus"))
        yield ix


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The query texts build_query parsed, in order."""
    seen: list[str] = []
    real = parsing_module.build_query

    def counting(index, text, **kwargs):
        seen.append(text)
        return real(index, text, **kwargs)

    monkeypatch.setattr(parsing_module, "build_query", counting)
    return seen


@pytest.fixture
def spelling_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The query texts whose spelling was checked, in order."""
    seen: list[str] = []
    real = corrections_module.check_spelling

    def counting(searcher, parser, q, text, *args, **kwargs):
        seen.append(text)
        return real(searcher, parser, q, text, *args, **kwargs)

    monkeypatch.setattr(corrections_module, "check_spelling", counting)
    return seen


def _page(results) -> list[tuple[str, float | None]]:
    return [(h.id, h.score) for h in results.hits]


def test_the_same_query_twice_is_parsed_once_and_answers_the_same(
    small_index: CorpusIndex, parses: list[str]
):
    first = small_index.search("Lib Dems by-election", highlight=False)
    again = small_index.search("Lib Dems by-election", highlight=False)
    assert parses == ["Lib Dems by-election"]
    assert _page(again) == _page(first) and again.total == first.total
    assert again.parsed_query == first.parsed_query
    assert again.suggestion == first.suggestion


def test_a_misspelt_query_asked_again_is_corrected_the_same_without_checking_again(
    small_index: CorpusIndex, spelling_checks: list[str]
):
    first = small_index.search("Conservatve budget", highlight=False)
    again = small_index.search("Conservatve budget", highlight=False)
    exact = small_index.search("Conservatve budget", highlight=False, correct=False)
    assert spelling_checks == ["Conservatve budget", "Conservatve budget"]  # correct=False
    assert first.suggestion and again.suggestion == first.suggestion
    assert again.suggestion_applied and not exact.suggestion_applied
    assert _page(again) == _page(first)


def test_other_text_or_another_ranking_is_parsed_afresh(
    small_index: CorpusIndex, parses: list[str]
):
    small_index.search("Tories", highlight=False)
    small_index.search("tories", highlight=False)  # the text as given is the key
    execute_module.search(small_index, "Tories", highlight=False, ranking=Ranking(title_boost=1.0))
    assert parses == ["Tories", "tories", "Tories"]


def test_documents_added_after_a_query_are_found_when_it_is_asked_again(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Budget\n\nThe budget was read.\n"})
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        before = ix.search("zebra crossing", highlight=False)
        assert before.total == 0 and before.not_found
        ix.add_documents(
            [Document(id="z", title="Zebra crossing", body="A zebra crossing was painted.")]
        )
        found = ix.search("zebra crossing", highlight=False)
    assert [h.id for h in found.hits] == ["z"] and not found.not_found


def test_a_rebuild_with_another_lexicon_is_searched_with_that_lexicon(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c", {"club.txt": "Club news\n\nThe Reform Club met.\n"})
    lexicon = tmp_path / "terms.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(corpus)
        assert ix.search('"Blue Lodge"', highlight=False).total == 0
        rebuild_index(index, [corpus], lexicon=[lexicon])
        assert ix.search('"Blue Lodge"', highlight=False).total == 1


def test_the_cache_keeps_one_immutable_parsed_query_per_text_fields_and_ranking(
    small_index: CorpusIndex,
):
    searcher = small_index.searcher()  # (a text no other test of this module asks)
    both = parsing_module.parsed_query(small_index, searcher, "Lib Dems Commons")
    assert parsing_module.parsed_query(small_index, searcher, "Lib Dems Commons") is both
    assert both.fields == ("title", "body") and both.concepts
    body = parsing_module.parsed_query(
        small_index, searcher, "Lib Dems Commons", fields=("body",)
    )
    assert body is not both and body.fields == ("body",) and "title:" not in str(body.query)
    flat = parsing_module.parsed_query(
        small_index, searcher, "Lib Dems Commons", ranking=Ranking(title_boost=1.0)
    )
    assert flat is not both
    with pytest.raises(dataclasses.FrozenInstanceError):
        both.concepts = None  # type: ignore[misc]


def test_the_stored_fields_of_documents_shown_are_kept_read_only_as_the_searcher_reads_them(
    small_index: CorpusIndex,
):
    first = small_index.search("budget election", highlight=False)
    again = small_index.search("budget election", highlight=False)
    assert again.hits == first.hits and first.hits
    searcher = small_index.searcher()
    kept = stored_fields(searcher)
    for docnum in range(searcher.doc_count_all()):
        assert dict(kept[docnum]) == searcher.stored_fields(docnum)
        assert kept[docnum] is kept[docnum]
    with pytest.raises(TypeError):
        kept[0]["title"] = "changed"  # type: ignore[index]


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per listing of an index folder made to know whether a searcher is newest."""
    seen: list[int] = []
    real = Searcher.up_to_date

    def counting(self: Searcher) -> bool:
        seen.append(1)
        return real(self)

    monkeypatch.setattr(Searcher, "up_to_date", counting)
    return seen


def _commit_elsewhere(path: Path, doc_id: str) -> None:
    with CorpusIndex(path) as other:
        other.add_documents([Document(id=doc_id, title="Zebra", body="A zebra crossing.")])


def _ids(ix: CorpusIndex) -> list[str]:
    return sorted(h.id for h in ix.search("zebra", highlight=False).hits)


def test_a_folder_unchanged_since_a_settled_listing_is_not_listed_again_and_a_commit_is_seen(
    tmp_path: Path, listings: list[int]
):
    with CorpusIndex(tmp_path / "ix") as ix:
        _commit_elsewhere(tmp_path / "ix", "a")
        long_ago = time.time() - 3600
        os.utime(tmp_path / "ix", (long_ago, long_ago))
        assert _ids(ix) == ["a"]  # opens the searcher
        assert _ids(ix) == ["a"] and len(listings) == 1  # lists: the folder's time is settled
        assert _ids(ix) == ["a"] and len(listings) == 1  # no listing: nothing changed
        _commit_elsewhere(tmp_path / "ix", "b")  # another handle: this one is not told
        assert _ids(ix) == ["a", "b"]


def test_a_commit_leaving_the_folder_time_as_a_recent_listing_saw_it_is_seen(tmp_path: Path):
    # a change within the clock tick of a listing can leave the folder's time as it was: a
    # time not yet settled at the listing is not trusted
    folder = tmp_path / "ix"
    with CorpusIndex(folder) as ix:
        _commit_elsewhere(folder, "a")
        assert _ids(ix) == ["a"] and _ids(ix) == ["a"]  # opens the searcher, then lists
        stamp = os.stat(folder).st_mtime_ns
        assert time.time_ns() - stamp < SETTLED_NS
        _commit_elsewhere(folder, "b")
        os.utime(folder, ns=(stamp, stamp))
        assert _ids(ix) == ["a", "b"]


class _Owner:
    """Stands for a searcher: an object that can be referred to weakly."""


class _Value:
    def __init__(self, owner: _Owner) -> None:
        self.owner = weakref.proxy(owner)


def test_a_per_searcher_value_is_made_once_and_goes_when_its_searcher_does():
    made: list[int] = []

    def make(owner: _Owner) -> _Value:
        made.append(1)
        return _Value(owner)

    kept: PerSearcher[_Owner, _Value] = PerSearcher(make)
    owner, other = _Owner(), _Owner()
    value = kept(owner)
    assert kept(owner) is value and kept(other) is not value and len(made) == 2
    gone = weakref.ref(value)
    del owner, value
    gc.collect()
    assert gone() is None

