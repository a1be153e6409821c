"""A dates file never gives a wrong date, or loses one, without a word: rows that give one
document different dates date it by none of them, and rows that date no document of the
folder (a file renamed since) are said at every run (docs/ingest.md, "A dates file")."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from corpus_search import CorpusIndex
from corpus_search.ingest.dates_file import read_sidecar

_FOLDER = {
    "001.txt": "Budget day\n\nThe Chancellor spoke.\n",
    "002.txt": "Poll day\n\nVoters went to the polls.\n",
    "tech/010.txt": "Broadband\n\nMore homes are online.\n",
}


def _index(tmp_path: Path, rows: str | None = None) -> tuple[CorpusIndex, list[str]]:
    """The folder indexed with the dates file ``rows`` (written first, when given)."""
    root = write_corpus(tmp_path / "articles", _FOLDER) if rows is not None else (
        tmp_path / "articles")
    sidecar = tmp_path / "dates.csv"
    if rows is not None:
        sidecar.write_text(rows)
    ix = CorpusIndex(tmp_path / "ix")
    return ix, ix.index_directory(root, dates=str(sidecar)).warnings


# -- one document, different dates -----------------------------------------------------------

def test_an_id_given_two_dates_is_dated_by_neither_and_the_warning_names_both_rows(
    tmp_path: Path,
):
    # a merged spreadsheet: the last row won, 2004-06-06, without a word
    ix, warnings = _index(tmp_path, "id,date\n001,2005-01-01\n002,2005-02-02\n001,2004-06-06\n")
    with ix:
        assert warnings == [
            "dates.csv: 001 is given different dates, '2005-01-01' (line 2) and '2004-06-06' "
            "(line 4), so it is dated by neither: keep the right date and delete the other row"]
        assert ix.get("001").date is None
        assert ix.get("002").date == dt.date(2005, 2, 2)


def test_the_same_date_twice_however_written_is_no_disagreement(tmp_path: Path):
    ix, warnings = _index(tmp_path, "id,path,date\n001,,2005-01-15\n001,,15/01/2005\n"
                                    ",001.txt,15 January 2005\n")
    with ix:
        assert warnings == []
        assert ix.get("001").date == dt.date(2005, 1, 15)


def test_a_path_given_two_dates_however_written_is_dated_by_neither(tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("path,date\ntech/010.txt,2005-03-01\n./tech/010,March 2005\n")
    read = read_sidecar(sidecar)
    assert read.by_path == {}
    assert read.warnings == (
        "dates.csv: tech/010.txt is given different dates, '2005-03-01' (line 2) and "
        "'March 2005' (line 3), so it is dated by neither: keep the right date and delete "
        "the other row",)


def test_an_id_and_a_path_giving_one_document_different_dates_date_it_by_neither(
    tmp_path: Path,
):
    ix, warnings = _index(tmp_path, "id,path,date\ntech/010,,2005-01-01\n"
                                    ",tech/010.txt,2004-06-06\n,001.txt,2005-03-01\n")
    with ix:
        assert warnings == [
            "tech/010.txt: dates.csv gives it different dates, '2005-01-01' (line 2, id "
            "tech/010) and '2004-06-06' (line 3, path tech/010.txt), so it is dated by "
            "neither: keep the right date and delete the other row"]
        assert ix.get("tech/010").date is None
        assert ix.get("001").date == dt.date(2005, 3, 1)
    # the file unchanged, the next run says it again, as long as the rows disagree
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(tmp_path / "articles")
        assert again.unchanged == 3
        assert [w for w in again.earlier_warnings if "different dates" in w] == warnings[:1]


def test_an_id_with_and_without_the_folders_prefix_giving_different_dates_dates_nothing(
    tmp_path: Path,
):
    root = write_corpus(tmp_path / "articles", _FOLDER)
    (tmp_path / "dates.csv").write_text("id,date\nbbc-001,2005-01-01\n001,2005-01-02\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        warnings = ix.index_directory(root, dates=str(tmp_path / "dates.csv"),
                                      id_prefix="bbc-").warnings
        assert ix.get("bbc-001").date is None
    assert warnings == [
        "001.txt: dates.csv gives it different dates, '2005-01-01' (line 2, id bbc-001) and "
        "'2005-01-02' (line 3, id 001), so it is dated by neither: keep the right date and "
        "delete the other row"]


def test_many_ids_given_different_dates_are_one_warning_counting_them(tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n" + "".join(f"d{n},2005-01-0{n}\nd{n},2005-02-0{n}\n"
                                             for n in range(1, 6)))
    assert read_sidecar(sidecar).warnings == (
        "dates.csv: 5 ids or paths are given different dates on different rows, so none of "
        "them is dated (d1, d2, d3 and 2 more; lines 2, 3, 4 and 7 more): keep one date for "
        "each",)


_DATES = st.sampled_from(["2005-01-01", "01/01/2005", "2005-01-02", "2005", "March 2005"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), _DATES), max_size=8))
def test_an_id_is_dated_exactly_when_every_row_naming_it_gives_one_date(
    tmp_path_factory, rows: list[tuple[str, str]],
):
    sidecar = tmp_path_factory.mktemp("rows") / "dates.csv"
    sidecar.write_text("id,date\n" + "".join(f"{key},{date}\n" for key, date in rows))
    read = read_sidecar(sidecar)
    one_day = {"2005-01-01": "2005-01-01", "01/01/2005": "2005-01-01"}
    given_dates = {key: {one_day.get(d, d) for k, d in rows if k == key} for key, _ in rows}
    assert set(read.by_id) == {key for key, dates in given_dates.items() if len(dates) == 1}
    disputed = sorted(key for key, dates in given_dates.items() if len(dates) > 1)
    assert sorted(w.split()[1] for w in read.warnings) == disputed


# -- rows that date no document ----------------------------------------------------------------

def test_a_row_dating_no_document_is_said_at_every_run_not_only_when_the_file_changes(
    tmp_path: Path,
):
    ix, first = _index(tmp_path, "id,date\n001,2005-01-01\nspeech-7,2004\n")
    ix.close()
    said = ("dates.csv: 1 of its 2 dated rows names no document of this folder, so it dates "
            "nothing (speech-7); ids are written as in 001, paths relative to the folder as in "
            "001.txt")
    assert first == [said]
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(tmp_path / "articles")
        assert (again.unchanged, again.warnings) == (3, [said])


def test_a_dates_file_whose_rows_all_date_documents_stays_quiet_at_later_runs(tmp_path: Path):
    ix, first = _index(tmp_path, "id,path,date\n001,,2005-01-01\n,tech/010.txt,2004\n")
    ix.close()
    (tmp_path / "articles" / "002.txt").write_text("Poll day\n\nVoters stayed at home.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(tmp_path / "articles")
        assert (first, again.updated, again.warnings) == ([], 1, [])


def test_a_file_renamed_since_is_named_by_the_row_that_dated_it_under_its_old_name(
    tmp_path: Path,
):
    # mv tech/010.txt tech/010-renamed.txt: "1 indexed, 1 deleted", the document undated,
    # and the row naming tech/010 was said to date nothing only once the dates file changed
    ix, first = _index(tmp_path, "id,date\n001,2005-01-01\ntech/010,2004-06-06\n")
    ix.close()
    old, new = tmp_path / "articles/tech/010.txt", tmp_path / "articles/tech/010-renamed.txt"
    os.rename(old, new)
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(tmp_path / "articles")
        assert (first, report.indexed, report.deleted) == ([], 1, 1)
        assert ix.get("tech/010-renamed").date is None
    assert report.warnings == [
        "dates.csv: 1 of its 2 dated rows names no document of this folder, so it dates "
        "nothing (tech/010); ids are written as in 001, paths relative to the folder as in "
        "001.txt",
        "dates.csv line 3: tech/010 is the id of tech/010.txt, renamed tech/010-renamed.txt "
        "since it was last indexed (the same text), which this line no longer dates: write "
        "tech/010-renamed in its place",
    ]


def test_a_path_row_naming_a_renamed_file_says_its_new_path(tmp_path: Path):
    ix, _ = _index(tmp_path, "path,date\n001.txt,2005-01-01\n")
    ix.close()
    os.rename(tmp_path / "articles/001.txt", tmp_path / "articles/budget.txt")
    with CorpusIndex(tmp_path / "ix") as ix:
        warnings = ix.index_directory(tmp_path / "articles").warnings
    assert warnings[1:] == [
        "dates.csv line 2: 001.txt is the path of 001.txt, renamed budget.txt since it was "
        "last indexed (the same text), which this line no longer dates: write budget.txt in "
        "its place"]


def test_the_rows_dating_nothing_are_counted_as_rows_though_one_id_is_on_two(tmp_path: Path):
    _, warnings = _index(tmp_path, "id,date\n001,2005-01-01\nspeech-7,2004\nspeech-7,2004\n")
    assert warnings == [
        "dates.csv: 2 of its 3 dated rows name no document of this folder, so they date "
        "nothing (speech-7); ids are written as in 001, paths relative to the folder as in "
        "001.txt"]


def test_a_row_naming_a_natural_id_another_folder_holds_still_dates_its_document_later_on(
    tmp_path: Path,
):
    # the second folder's 001 is given another id (the first's holds 001): the row naming
    # 001 dates it, and an unchanged run finds it still does
    first = write_corpus(tmp_path / "first", {"001.txt": "Other\n\nAnother story.\n"})
    second = write_corpus(tmp_path / "second", _FOLDER)
    (tmp_path / "dates.csv").write_text("id,date\n001,2005-01-01\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(first)
        said = ix.index_directory(second, dates=str(tmp_path / "dates.csv")).warnings
        again = ix.index_directory(second)
        dated = [h.date for h in ix.search("Chancellor").hits]
    assert [w for w in said + again.warnings if "dates.csv" in w] == []
    assert (again.unchanged, dated) == (3, [dt.date(2005, 1, 1)])


def test_three_rows_of_which_two_agree_still_date_nothing_and_are_all_named(tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n001,2005-01-01\n001,2005-01-01\n001,2005-01-02\n")
    read = read_sidecar(sidecar)
    assert (read.by_id, read.warnings) == ({}, (
        "dates.csv: 001 is given different dates, '2005-01-01' (line 2), '2005-01-01' (line 3) "
        "and '2005-01-02' (line 4), so it is dated by none of them: keep the right date and "
        "delete the other rows",))
