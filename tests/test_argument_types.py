"""Arguments of the wrong type given to the public API: one line of the library's error class
naming the argument and what it may be, raised before anything is read or written.

Each had been taken for its truth or passed down to fail deep inside: ``overwrite="no"``
replaced the file it was to keep, ``procs=0`` ran without a word, ``CorpusIndex(123)`` and
``dates=5`` raised a bare TypeError, ``since=2005.0`` said "there is no month 0".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SEEDS, index_seeds_with
from corpus_search import (
    CorpusIndex,
    DateOptionsError,
    DatesFileError,
    Document,
    DocumentIndexError,
    ExportError,
    IndexLocationError,
    IndexStateError,
    MultiIndex,
    QueryError,
    SearchFilters,
    rebuild_index,
)
from corpus_search.cli import cli
from corpus_search.ingest.arguments import MAX_PROCS

ARTICLES = Path(__file__).parent / "fixtures" / "articles"

#: values that are true or false to Python but are no bool: each was read for its truth
NOT_BOOLS = ["no", "false", "", 0, 1, None, [], 1.0]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("types") / "ix")
    ix.index_directory(ARTICLES)
    yield ix
    ix.close()


@pytest.mark.parametrize("value", ["no", "false", 0, None])
def test_export_with_overwrite_no_refuses_and_leaves_the_existing_file_as_it_was(
        index: CorpusIndex, tmp_path: Path, value: object):
    kept = tmp_path / "kept.csv"
    kept.write_text("my notes\n", encoding="utf-8")
    with pytest.raises(ExportError, match=r"^overwrite must be True or False, not "):
        index.export("Labour", kept, overwrite=value)
    assert kept.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]


@pytest.mark.parametrize(("flag", "call"), [
    ("highlight", lambda ix, v: ix.search("Labour", highlight=v)),
    ("correct", lambda ix, v: ix.search("Labour", correct=v)),
    ("correct", lambda ix, v: ix.concordance("Labour", correct=v)),
    ("correct", lambda ix, v: ix.count("Labour", correct=v)),
    ("correct", lambda ix, v: ix.trends(["Labour", "NHS"], correct=v)),
    ("correct", lambda ix, v: ix.key_terms("Labour", correct=v)),
    ("include_undated", lambda ix, v: ix.search("Labour", include_undated=v)),
    ("include_undated", lambda ix, v: ix.list_documents(include_undated=v)),
    ("include_undated", lambda ix, v: SearchFilters(include_undated=v)),
])
@pytest.mark.parametrize("value", ["no", 1])
def test_a_reading_method_given_a_flag_that_is_no_bool_is_one_query_error_naming_it(
        index: CorpusIndex, flag: str, call, value: object):
    with pytest.raises(QueryError) as caught:
        call(index, value)
    assert str(caught.value) == (f"{flag} must be True or False, not "
                                 f"{'a str' if value == 'no' else 'an int'} ({value!r}).")


@pytest.mark.parametrize(("flag", "call"), [
    ("correct", lambda ix, out, v: ix.export("Labour", out, correct=v)),
    ("counted", lambda ix, out, v: ix.export("Labour", out, counted=v)),
    ("bom", lambda ix, out, v: ix.export_text("Labour", bom=v)),
    ("counted", lambda ix, out, v: ix.export_text("Labour", counted=v)),
])
@pytest.mark.parametrize("value", NOT_BOOLS)
def test_an_export_flag_that_is_no_bool_is_an_export_error_and_nothing_is_written(
        index: CorpusIndex, tmp_path: Path, flag: str, call, value: object):
    with pytest.raises(ExportError, match=rf"^{flag} must be True or False, not "):
        call(index, tmp_path / "out.csv", value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_an_index_opened_with_create_neither_a_bool_nor_on_write_is_refused_and_not_made(
        tmp_path: Path, value: object):
    with pytest.raises(IndexStateError, match=r"^create must be True, False or 'on_write', not"):
        CorpusIndex(tmp_path / "ix", create=value)
    assert not (tmp_path / "ix").exists()


def test_create_with_overwrite_no_keeps_the_index_that_is_there(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="kept", title="Kept", body="Kept text.")])
    with pytest.raises(IndexStateError, match=r"^overwrite must be True or False, not a str"):
        CorpusIndex.create(tmp_path / "ix", overwrite="no")
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert ix.get("kept") is not None


@pytest.mark.parametrize("procs", [0, -1, 65, "2", 2.0, True])
def test_procs_out_of_one_to_sixty_four_is_one_line_and_nothing_is_indexed(
        tmp_path: Path, procs: object):
    message = r"^procs must be a whole number from 1 to 64 \(None: chosen for the run\), not "
    with pytest.raises(DocumentIndexError, match=message), CorpusIndex(
            tmp_path / "ix", create="on_write") as ix:
        ix.index_directory(SEEDS, procs=procs)
    with pytest.raises(DocumentIndexError, match=message):
        rebuild_index(tmp_path / "ix", [SEEDS], procs=procs)
    assert not (tmp_path / "ix").exists()
    with CorpusIndex(tmp_path / "added") as ix, pytest.raises(DocumentIndexError,
                                                               match=message):
        ix.add_documents([Document(id="a", title="A", body="Text.")], procs=procs)
    with CorpusIndex.open(tmp_path / "added") as ix:
        assert len(ix) == 0


def test_procs_names_the_number_given_when_it_is_a_number(tmp_path: Path):
    with pytest.raises(DocumentIndexError, match=r"not 0; nothing was written\.$"), \
            CorpusIndex(tmp_path / "ix", create="on_write") as ix:
        ix.index_directory(SEEDS, procs=0)


@pytest.mark.parametrize("path", [123, 1.5, b"ix", object()])
def test_an_index_path_that_is_no_path_is_one_line_saying_what_a_path_may_be(path: object):
    message = (r"^The index path must be text or a path \(a pathlib\.Path; None for the default "
               r"index\), not a")
    for call in (CorpusIndex, CorpusIndex.open, CorpusIndex.create, MultiIndex,
                 lambda p: MultiIndex([ARTICLES, p])):
        with pytest.raises(IndexLocationError, match=message):
            call(path)


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"dates": 5}, DatesFileError,
     r"^dates is a dates file's path \(text or a pathlib\.Path; '' for none\), not an int "
     r"\(5\); nothing was written\.$"),
    ({"date_from_path": 5}, DateOptionsError,
     r"^date_from_path is a pattern like '%Y/%m/%d' \(''"),
    ({"date_from": 5}, DateOptionsError,
     r"^date_from is the date sources to try, 'dateline', 'path', 'mtime' \(text, or a list "
     r"of them; 'none' for none\), not an int \(5\)"),
    ({"date_from": ["path", 5]}, DateOptionsError, r"^date_from is the date sources to try"),
])
@pytest.mark.parametrize("rebuild", [False, True])
def test_a_dating_option_of_the_wrong_type_is_one_line_naming_it_and_nothing_is_indexed(
        tmp_path: Path, options: dict, error: type, message: str, rebuild: bool):
    # (each raised TypeError from ingest/dates.py)
    with pytest.raises(error, match=message):
        index_seeds_with(tmp_path / "ix", rebuild, **options)
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("value", [2005.0, True, ["2005"], b"2005", {"year": 2005}])
@pytest.mark.parametrize("name", ["since", "until"])
def test_a_date_bound_that_is_neither_a_date_nor_text_names_the_bound_and_what_it_may_be(
        index: CorpusIndex, name: str, value: object):
    # (2005.0 was read as text: "since=2005.0 is no date: there is no month 0")
    with pytest.raises(QueryError, match=rf"^{name} must be a date \(a datetime\.date\) or "
                       r"text like '2005', 'March 2005' or '2005-03-21', not a"):
        index.search("Labour", **{name: value})


def test_a_date_bound_given_as_a_date_a_year_or_text_still_reads(index: CorpusIndex):
    totals = {index.search("Labour", since=since).total
              for since in (dt.date(2005, 1, 1), 2005, "2005")}
    assert len(totals) == 1


@given(st.one_of(st.text(max_size=3), st.integers(), st.floats(), st.none(),
                 st.lists(st.booleans(), max_size=1)))
def test_no_value_but_a_bool_is_taken_for_a_flag(value: object):
    with pytest.raises(QueryError, match="include_undated must be True or False"):
        SearchFilters(include_undated=value)


def test_the_commands_procs_range_is_the_librarys():
    # (written out in cli/indexing.py so that the command's start imports nothing of the write side)
    procs = next(p for p in cli.commands["index"].params if p.name == "procs")
    assert (procs.type.min, procs.type.max) == (1, MAX_PROCS)
