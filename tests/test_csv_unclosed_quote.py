"""One stray quote in a CSV file loses nothing: a quote that opens a field and is never closed
(it would read the rows after it, or the rest of the file, into one field) skips the file with
one line naming the line where it opens, and the documents indexed from the file before are
kept; a field quoted over several lines as it should be is read as ever. A JSON Lines record
that is not JSON is named with the column where reading failed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.ingest.files import read_file

HEADER = "id,title,date,body\n"
ROWS = ["a1,Budget,2005-01-01,The Chancellor set out the Budget.\n",
        "a3,Lib Dem plans,2005-01-03,The Lib Dems set out plans.\n",
        "a4,Tory plans,2005-01-04,The Conservatives replied.\n",
        "a5,Labour plans,2005-01-05,Labour answered.\n"]


def _folder(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "news"
    folder.mkdir(exist_ok=True)
    (folder / "arts.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return folder


def test_a_stray_quote_in_a_title_keeps_the_rows_indexed_before(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ROWS)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        _folder(tmp_path, [ROWS[0], ROWS[1].replace("Lib Dem", '"Lib Dem', 1), *ROWS[2:]])
        report = ix.index_directory(folder)
        assert (report.deleted, report.updated, report.kept) == (0, 0, 1)
        assert report.skipped == [("arts.csv", "unclosed quote on line 3: it reads the rows "
                                   "after it into one field; close it and index again; what "
                                   "was indexed from it is kept")]
        assert len(ix) == 4 and all(f"a{n}" in ix for n in (1, 3, 4, 5))
        assert ix.get("a3").title == "Lib Dem plans"  # type: ignore[union-attr]


def test_a_stray_quote_opening_the_last_field_is_told_by_running_to_the_end(
        tmp_path: Path) -> None:
    folder = _folder(tmp_path, [ROWS[0], ROWS[1].replace("The Lib", '"The Lib'), *ROWS[2:]])
    result = read_file(folder / "arts.csv", folder)
    assert (result.documents, result.skipped_reason) == (
        [], "unclosed quote on line 3: it runs to the end of the file; close it and index again")


_CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n,\""),
                min_size=1, max_size=40).filter(lambda s: any(c.isalnum() for c in s))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=6))
def test_a_file_any_csv_writer_writes_is_read_whole(
        tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "title", "body"])
    writer.writerows([f"r{n}", title, body] for n, (title, body) in enumerate(rows))
    path = tmp_path_factory.mktemp("written") / "w.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = read_file(path, path.parent)
    assert result.skipped_reason is None
    assert [doc.id for doc in result.documents] == [f"r{n}" for n in range(len(rows))]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(ROWS) - 2), st.integers(1, 3))
def test_a_quote_opened_in_any_row_but_the_last_and_never_closed_skips_the_file(
        tmp_path_factory: pytest.TempPathFactory, row: int, column: int) -> None:
    cells = ROWS[row].rstrip("\n").split(",")
    cells[column] = '"' + cells[column]
    rows = [*ROWS[:row], ",".join(cells) + "\n", *ROWS[row + 1:]]
    path = tmp_path_factory.mktemp("quoted") / "q.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    result = read_file(path, path.parent)
    assert result.documents == []
    assert (result.skipped_reason or "").startswith(f"unclosed quote on line {row + 2}: ")


def test_an_unterminated_json_string_is_named_with_its_column(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text('{"id": "j1", "title": "T", "body": "B"}\n'
                                      '{"id": "j2", "title": "Lib Dem\n', encoding="utf-8")
    result = read_file(tmp_path / "f.jsonl", tmp_path)
    assert result.warnings == ["f.jsonl line 2: invalid JSON (Unterminated string starting "
                               "at: column 23), skipped"]

