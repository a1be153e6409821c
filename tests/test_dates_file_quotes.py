"""A dates file (``--dates``) gets the check a CSV document gets: a quote that opens a field and
is never closed read every row after it into one field, so their dates were lost without a word
(only the row that opened it was named, as a date it could not read). Such a file is now
refused in one line naming the line where the quote opens, before anything is written: no date
is dropped or changed. A field quoted as it should be is read as ever."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, DatesFileError
from corpus_search.cli import cli
from corpus_search.ingest.dates_file import read_sidecar

_ROWS = ["a1,2005-01-01", "a2,2005-01-02", "a3,2005-01-03", "a4,2005-01-04"]


def _dates(path: Path, rows: list[str]) -> Path:
    path.write_text("id,date\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_a_stray_quote_in_a_dates_file_is_one_line_and_swallows_no_dates(tmp_path: Path) -> None:
    rows = [_ROWS[0], _ROWS[1].replace("a2,", 'a2,"'), *_ROWS[2:]]
    path = _dates(tmp_path / "dates.csv", rows)
    with pytest.raises(DatesFileError) as caught:
        read_sidecar(path)
    assert str(caught.value) == (
        f"The dates file {path} has an unclosed quote on line 3: it runs to the end of the "
        "file; the index is unchanged: close the quote and index again.")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(_ROWS) - 1), st.integers(0, 1))
def test_a_quote_opened_in_any_row_and_never_closed_refuses_the_file(
        tmp_path_factory: pytest.TempPathFactory, row: int, column: int) -> None:
    cells = _ROWS[row].split(",")
    cells[column] = '"' + cells[column]
    rows = [*_ROWS[:row], ",".join(cells), *_ROWS[row + 1:]]
    path = _dates(tmp_path_factory.mktemp("dates") / "dates.csv", rows)
    with pytest.raises(DatesFileError, match=f"unclosed quote on line {row + 2}: "):
        read_sidecar(path)


_CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n,\""),
                min_size=1, max_size=30).filter(lambda s: any(c.isalnum() for c in s))


@settings(max_examples=100, deadline=None)
# (ids distinct as read: an id given two different dates dates nothing, dates29's rule)
@given(st.lists(_CELL, min_size=1, max_size=6, unique_by=str.strip))
def test_a_dates_file_any_csv_writer_writes_is_read_whole(
        tmp_path_factory: pytest.TempPathFactory, ids: list[str]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "date"])
    writer.writerows([name, f"2005-01-{n + 1:02d}"] for n, name in enumerate(ids))
    path = tmp_path_factory.mktemp("written") / "dates.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    sidecar = read_sidecar(path)
    expected = {name.strip(): dt.date(2005, 1, n + 1) for n, name in enumerate(ids)}
    assert {key: span.first for key, span in sidecar.by_id.items()} == expected


def test_an_index_dated_by_a_file_keeps_its_dates_when_the_file_gains_a_stray_quote(
        tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(1, 5):
        (folder / f"a{n}.txt").write_text(f"Story {n}\n\nThe Commons sat.\n", encoding="utf-8")
    dates, index = _dates(tmp_path / "dates.csv", _ROWS), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder, dates=dates)
    _dates(dates, [_ROWS[0], _ROWS[1].replace("a2,", 'a2,"'), *_ROWS[2:]])
    result = CliRunner().invoke(cli, ["index", str(folder), "--index", str(index),
                                      "--dates", str(dates)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        f"error: The dates file {dates} has an unclosed quote on line 3: it runs to the end of "
        "the file; the index is unchanged: close the quote and index again."]
    with CorpusIndex(index) as ix:
        assert [ix.get(f"a{n}").date for n in range(1, 5)] == [  # type: ignore[union-attr]
            dt.date(2005, 1, n) for n in range(1, 5)]
