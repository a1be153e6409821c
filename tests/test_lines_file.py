"""The folders' files' repeated lines live in their own file (store/lines_file.py): a search
parses a small metadata file, an index made when the metadata kept them still works and is
moved over by its next run with nothing lost, and a write cut short leaves a usable index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import files_read
from corpus_search import CorpusIndex, check_index
from corpus_search.boilerplate_words import RemovedWord, removed_words
from corpus_search.errors import IndexWriteError
from corpus_search.repeated import LINES_VERSION
from corpus_search.store import lines_file, writing
from corpus_search.store import meta as store_meta

SUBSCRIBE = "Click here to subscribe to the Gazette for daily updates"


def _story(n: int) -> str:
    return (f"Story number {n}\n\nThe council met on day {n} to discuss the budget for its "
            f"schools.\n\nA last paragraph on libraries, number {n}.\n\n{SUBSCRIBE}\n")


def _folder(path: Path, count: int) -> Path:
    path.mkdir()
    for n in range(count):
        (path / f"g{n}.txt").write_text(_story(n), encoding="utf-8")
    return path


def _meta(ix_path: Path) -> dict:
    return json.loads((ix_path / "corpus_search.json").read_text(encoding="utf-8"))


def _entries(ix_path: Path) -> dict[str, str]:
    """The files' entries the index keeps of its one folder, wherever it keeps them."""
    (record,) = _meta(ix_path)["roots"].values()
    return lines_file.kept_lines(ix_path, record["repeated_lines"])


def _as_old_layout(ix_path: Path) -> None:
    """Make the index at ``ix_path`` as the versions before the lines file wrote it: each
    folder's files' lines inside its record in corpus_search.json, no lines file."""
    meta = _meta(ix_path)
    for record in meta["roots"].values():
        record["repeated_lines"] = {"version": LINES_VERSION, "files": _entries(ix_path)}
    (ix_path / "corpus_search.json").write_text(json.dumps(meta), encoding="utf-8")
    (ix_path / "corpus_search_lines.json").unlink()


def _old_layout_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                      ) -> tuple[Path, Path, dict[str, str], list[str]]:
    """A folder of four stories indexed, then set back to the old layout
    (:func:`_as_old_layout`): the folder, the index's path, the files' entries it kept, and
    the files read from now on (:func:`~conftest.files_read`)."""
    folder = _folder(tmp_path / "gazette", 4)
    ix_path = tmp_path / "ix"
    with CorpusIndex(ix_path) as ix:
        ix.index_directory(folder)
    entries = _entries(ix_path)
    _as_old_layout(ix_path)
    return folder, ix_path, entries, files_read(monkeypatch)


def test_the_metadata_names_the_lines_by_digest_and_the_lines_file_holds_them(tmp_path: Path):
    folder = _folder(tmp_path / "gazette", 4)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
    (record,) = _meta(tmp_path / "ix")["roots"].values()
    assert set(record["repeated_lines"]) == {"version", "digest"}
    assert _entries(tmp_path / "ix").keys() == {f"g{n}.txt" for n in range(4)}
    assert "g0.txt" not in (tmp_path / "ix" / "corpus_search.json").read_text(encoding="utf-8")


def test_an_index_of_the_old_layout_is_searched_and_moved_over_by_its_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Its lines are read from the metadata as before (no file read again for them), and
    its next run writes them to the lines file, all of them."""
    folder, ix_path, entries, read = _old_layout_index(tmp_path, monkeypatch)
    with CorpusIndex(ix_path) as ix:
        assert ix.search("libraries").total == 4
        assert removed_words(ix, ["subscribe"]) == [
            RemovedWord("subscribe", SUBSCRIBE.casefold(), 4)]
        (folder / "g4.txt").write_text(_story(4), encoding="utf-8")
        ix.index_directory(folder)
        assert read == ["g4.txt"]
        assert ix.search("libraries").total == 5
    (record,) = _meta(ix_path)["roots"].values()
    assert "files" not in record["repeated_lines"]
    lines = {rel: entry.partition(" ")[2] for rel, entry in _entries(ix_path).items()}
    assert lines == {**{rel: entry.partition(" ")[2] for rel, entry in entries.items()},
                     "g4.txt": lines["g4.txt"]}  # (the signatures may say more since)


def test_a_run_cut_short_between_the_two_files_leaves_a_usable_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The lines file is written, the metadata is not, and nothing is put back (as a kill
    leaves them): the index holds what it held, and its next run still counts the unchanged
    files from the lines kept (the lines file kept those the metadata on disk names)."""
    folder = _folder(tmp_path / "gazette", 4)
    ix_path = tmp_path / "ix"
    with CorpusIndex(ix_path) as ix:
        ix.index_directory(folder)
    (folder / "g4.txt").write_text(_story(4), encoding="utf-8")

    def full_disk(path: Path, data: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(store_meta, "atomic_write_json", full_disk)
        patch.setattr(writing, "_put_back", lambda path, data: None)
        with CorpusIndex(ix_path) as ix, pytest.raises(IndexWriteError):
            ix.index_directory(folder)
    read = files_read(monkeypatch)
    with CorpusIndex(ix_path) as ix:
        assert ix.search("libraries").total == 4
        assert check_index(ix_path).status == "healthy"
        ix.index_directory(folder)
        assert read == ["g4.txt"]
        assert ix.search("libraries").total == 5


def test_a_lost_lines_file_costs_one_reading_of_the_files_and_the_check_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = _folder(tmp_path / "gazette", 4)
    ix_path = tmp_path / "ix"
    with CorpusIndex(ix_path) as ix:
        ix.index_directory(folder)
    (ix_path / "corpus_search_lines.json").unlink()
    report = check_index(ix_path)
    assert report.status == "healthy"
    assert any("corpus_search_lines.json" in note and "is missing" in note
               for note in report.notes)
    read = files_read(monkeypatch)
    with CorpusIndex(ix_path) as ix:
        assert ix.search("libraries").total == 4
        (folder / "g4.txt").write_text(_story(4), encoding="utf-8")
        ix.index_directory(folder)
        assert sorted(read) == [f"g{n}.txt" for n in range(5)]
    assert _entries(ix_path).keys() == {f"g{n}.txt" for n in range(5)}
    assert not any("corpus_search_lines" in note for note in check_index(ix_path).notes)


def test_a_run_that_changes_nothing_writes_neither_file(tmp_path: Path):
    """The run compares the folder's record, its files' lines put back in it, with what it
    would write: the same, so nothing is written (not a new record each run)."""
    folder = _folder(tmp_path / "gazette", 4)
    ix_path = tmp_path / "ix"
    with CorpusIndex(ix_path) as ix:
        ix.index_directory(folder)
    names = ("corpus_search.json", "corpus_search_lines.json")
    before = [(ix_path / name).read_bytes() for name in names]
    with CorpusIndex(ix_path) as ix:
        report = ix.index_directory(folder)
    assert (report.indexed, report.reread) == (0, 0)
    assert [(ix_path / name).read_bytes() for name in names] == before


def test_an_index_of_the_old_layout_is_moved_over_by_a_run_that_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder, ix_path, entries, read = _old_layout_index(tmp_path, monkeypatch)
    with CorpusIndex(ix_path) as ix:
        assert ix.index_directory(folder).indexed == 0
    assert read == []
    (record,) = _meta(ix_path)["roots"].values()
    assert set(record["repeated_lines"]) == {"version", "digest"}
    assert _entries(ix_path) == entries
