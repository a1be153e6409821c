"""Why a run kept documents it could not read from their files, cause by cause: a CSV file
whose quote is never closed, a text file written over with binary data, a subfolder emptied or
gone (and, in test_reliability_ingest.py, files and folders that cannot be read). The report
counts each cause in one line of its own (``kept_for`` in JSON), where one loose phrase, "N kept
(cannot be read now)", covered them all. A rebuild reads only what the files hold now: it
stops, the index unchanged, rather than lose the documents of a file that may still hold them
(a quote never closed), and says which documents it dropped of the files it is for dropping
(written over, emptied, in a folder gone)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex, SourceFolderError, rebuild_index
from corpus_search.cli import cli
from document_files import needs_documents_extra, pdf_bytes

_CSV = ("id,title,body\n"
        "a1,Budget,The Chancellor set out the Budget.\n"
        "a2,Lib Dem plans,The Lib Dems set out plans.\n"
        "a3,Tory plans,The Conservatives replied.\n")


def _folder(root: Path) -> Path:
    (root / "wales").mkdir(parents=True)
    (root / "arts.csv").write_text(_CSV, encoding="utf-8")
    (root / "one.txt").write_text("One\n\nLabour won the vote.\n", encoding="utf-8")
    (root / "two.txt").write_text("Two\n\nThe SNP held on.\n", encoding="utf-8")
    (root / "wales" / "three.txt").write_text("Three\n\nPlaid Cymru gained.\n", encoding="utf-8")
    return root


def _quote_left_open(root: Path) -> None:
    (root / "arts.csv").write_text(_CSV.replace("a2,Lib", 'a2,"Lib'), encoding="utf-8")


def _index(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["index", *args])
    return result.exit_code, result.stdout, result.stderr


def test_each_cause_of_keeping_documents_has_a_counted_line_and_a_json_field(
        tmp_path: Path) -> None:
    folder, index = _folder(tmp_path / "news"), str(tmp_path / "ix")
    _index(str(folder), "--index", index)
    _quote_left_open(folder)
    (folder / "two.txt").write_bytes(bytes(range(256)) * 4)
    shutil.rmtree(folder / "wales")
    code, out, _ = _index(str(folder), "--index", index)
    assert code == 0
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "1 unchanged, 0 deleted, 3 kept, 3 skipped" in lines[0]
    assert lines[1:4] == [
        "kept 1 file that is a CSV file with a quote never closed (it would read the rows after "
        "it into one field): what was indexed from it stays until the quote is closed",
        "kept 1 file that was written over with binary data (by mistake?): what was indexed "
        "from it stays until it is deleted (or the index rebuilt)",
        "kept 1 file that lies in a folder now empty or gone (a drive not mounted, a sync not "
        "finished?): what was indexed from it stays until the folder is back (a rebuild drops "
        "it)",
    ]
    code, out, _ = _index(str(folder), "--index", index, "--json")
    (report,) = json.loads(out)["reports"]
    assert (report["kept"], report["kept_for"]) == (
        3, {"unclosed_quote": 1, "written_over": 1, "folder_emptied": 1})
    with CorpusIndex(index) as ix:
        assert len(ix) == 6


def test_a_rebuild_stops_rather_than_lose_the_rows_of_a_csv_whose_quote_is_never_closed(
        tmp_path: Path) -> None:
    folder, index = _folder(tmp_path / "news"), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
    _quote_left_open(folder)
    with pytest.raises(SourceFolderError) as caught:
        rebuild_index(index, [folder])
    assert str(caught.value) == (
        f"Cannot rebuild the index at {index}: the 3 documents it holds of arts.csv in "
        f"{folder} would be lost, as a rebuild reads only what files hold now and it cannot be "
        "read now (unclosed quote on line 3: it reads the rows after it into one field); the "
        "index is unchanged: close the quote (or delete the file to drop its documents) and "
        "rebuild again")
    with CorpusIndex(index) as ix:
        assert sorted(ix.get(f"a{n}").title for n in (1, 2, 3)) == [  # type: ignore[union-attr]
            "Budget", "Lib Dem plans", "Tory plans"]
        assert len(ix) == 6
    code, out, err = _index(str(folder), "--index", str(index), "--rebuild")
    assert (code, out, len(err.splitlines())) == (2, "", 1)
    (folder / "arts.csv").unlink()  # (as the line says: deleted, its documents go)
    rebuild_index(index, [folder])
    with CorpusIndex(index) as ix:
        assert len(ix) == 3 and "a1" not in ix


def test_a_rebuild_says_it_dropped_what_was_written_over_emptied_or_in_a_folder_gone(
        tmp_path: Path) -> None:
    folder, index = _folder(tmp_path / "news"), str(tmp_path / "ix")
    _index(str(folder), "--index", index)
    (folder / "two.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "one.txt").write_text("")
    shutil.rmtree(folder / "wales")
    (folder / "three.txt").unlink(missing_ok=True)
    code, out, _ = _index(str(folder), "--index", index, "--rebuild", "--json")
    assert code == 0
    (report,) = json.loads(out)["reports"]
    assert report["dropped_for"] == {"written_over": 1, "emptied": 1, "folder_emptied": 1}
    with CorpusIndex(index) as ix:
        assert sorted(hit.id for hit in ix.list_documents(limit=10)) == ["a1", "a2", "a3"]
    (folder / "two.txt").write_text("Two\n\nThe SNP held on.\n", encoding="utf-8")
    (folder / "wales").mkdir()
    (folder / "wales" / "three.txt").write_text("Three\n\nPlaid Cymru.\n", encoding="utf-8")
    _index(str(folder), "--index", index)
    (folder / "two.txt").write_bytes(bytes(range(256)) * 4)
    shutil.rmtree(folder / "wales")
    code, out, _ = _index(str(folder), "--index", index, "--rebuild")
    assert [" ".join(line.split()) for line in out.splitlines()][1:3] == [
        "dropped the documents of 1 file that was written over with binary data (by mistake?): "
        "the rebuild keeps only what the files hold now",
        "dropped the documents of 1 file that lies in a folder now empty or gone (a drive not "
        "mounted, a sync not finished?): the rebuild keeps only what the files hold now",
    ]


def test_a_rebuild_drops_a_deleted_file_as_an_update_does_with_no_cause(tmp_path: Path) -> None:
    folder, index = _folder(tmp_path / "news"), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
    (folder / "one.txt").unlink()
    (report,) = rebuild_index(index, [folder])
    assert (report.dropped_for, report.dropped_lines) == ({}, [])


@needs_documents_extra
def test_a_rebuild_without_the_documents_extra_stops_rather_than_drop_what_pdfs_gave(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, index = _folder(tmp_path / "news"), tmp_path / "ix"
    (folder / "a.pdf").write_bytes(pdf_bytes([["Budget statement", "The Chancellor rose."]]))
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
    monkeypatch.setitem(sys.modules, "pypdf", None)
    with CorpusIndex(index) as ix:
        (folder / "one.txt").write_text("One\n\nLabour lost the vote.\n", encoding="utf-8")
        assert ix.index_directory(folder).kept_for == {"needs_extra": 1}
    with pytest.raises(SourceFolderError, match=r"of a\.pdf in .* install the documents extra"):
        rebuild_index(index, [folder])
    with CorpusIndex(index) as ix:
        assert "a" in ix and len(ix) == 7
