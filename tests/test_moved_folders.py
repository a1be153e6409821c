"""A folder the index holds, moved or renamed, indexed at its new place: its documents keep
the ids a researcher cites them by, and the index holds each once.

Before, indexing the new place read every file as a document of a folder of its own: the
ids were the old place's documents', so each came back under another (``moved/politics/001``),
every result twice, until a rebuild without the old place (and with an id prefix, a rebuild
from the new place alone renamed every document all the same)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex, rebuild_index
from corpus_search.cli import cli
from corpus_search.index import gone_folders
from corpus_search.store.files import META_FILENAME
from corpus_search.store.meta import recorded_folders

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def ids_and_titles(ix: CorpusIndex) -> list[tuple[str, str]]:
    return sorted((hit.id, hit.title) for hit in ix.list_documents(limit=1000).hits)


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path, list[tuple[str, str]]]:
    """An index of a folder with an id prefix and a publisher: (the index, the folder, its
    documents' ids and titles)."""
    old, index = tmp_path / "articles", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    with CorpusIndex(index) as ix:
        ix.index_directory(old, id_prefix="news/", source="Press Association")
        before = ids_and_titles(ix)
    return index, old, before


def test_a_folder_moved_keeps_its_documents_ids_and_its_options_at_its_new_place(indexed):
    index, old, before = indexed
    new = old.parent / "research" / "articles-2005"
    new.parent.mkdir()
    old.rename(new)
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(new)
        assert (report.moved_from, report.moved) == (str(old), 9)
        assert (report.indexed, report.updated, report.unchanged, report.deleted) == (0, 0, 0, 0)
        assert report.moved_note == (f"9 files moved here from {old}, which is no folder any "
                                     "more: their documents keep their ids")
        assert ids_and_titles(ix) == before and len(ix) == 9  # (each once)
        assert before[0][0].startswith("news/")  # (its id prefix, taken up with its record)
        first = ix.describe(before[0][0])
        assert first["source"] == "Press Association"
        assert first["path"].startswith(f"{new}{os.sep}")  # (show and cite name the new place)
        assert ix.notes() == [] and ix.file_note(before[0][0]) is None
        again = ix.index_directory(new)  # (and the folder is up to date there)
        assert (again.unchanged, again.documents, again.moved_from) == (9, 0, "")
    assert recorded_folders(index) == [new] and gone_folders(index) == []


def test_a_folder_copied_elsewhere_with_new_times_then_deleted_is_found_by_its_content(
    indexed,
):
    index, old, before = indexed
    new = old.parent / "copy"
    shutil.copytree(old, new)
    for path in new.rglob("*.txt"):  # (a copy or a sync gives every file a new time)
        os.utime(path, (1_000_000_000, 1_000_000_000))
    shutil.rmtree(old)
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(new)
        assert (report.moved_from, report.moved) == (str(old), 9)
        assert ids_and_titles(ix) == before


def test_a_moved_folder_s_changed_and_new_files_are_read_and_its_ids_kept(indexed):
    index, old, before = indexed
    new = old.parent / "moved"
    old.rename(new)
    changed = new / "politics" / "001.txt"
    changed.write_text("Budget revised\n\nThe Chancellor revised the budget.\n",
                       encoding="utf-8")
    (new / "politics" / "099.txt").write_text("A new story\n\nThe Commons sat late.\n",
                                              encoding="utf-8")
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(new)
        assert (report.moved, report.updated, report.indexed) == (8, 1, 1)
        assert report.moved_note == (
            f"8 files moved here from {old}, which is no folder any more (1 changed since, "
            "and read again): their documents keep their ids")
        assert ix.get("news/politics/001").title == "Budget revised"
        assert ix.get("news/politics/099").title == "A new story"
        assert {i for i, _ in ids_and_titles(ix)} == {i for i, _ in before} | {
            "news/politics/099"}


def test_a_dates_file_in_the_moved_folder_dates_its_documents_from_the_new_place(tmp_path):
    old, index = tmp_path / "articles", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    (old / "dates.csv").write_text("id,date\npolitics/001,2005-05-05\n", encoding="utf-8")
    with CorpusIndex(index) as ix:
        ix.index_directory(old, dates=old / "dates.csv")
    new = tmp_path / "moved"
    old.rename(new)
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(new)  # (the old place's dates file is gone with it)
        assert report.moved == 9 and str(ix.get("politics/001").date) == "2005-05-05"
    meta = json.loads((index / META_FILENAME).read_text(encoding="utf-8"))
    assert meta["roots"][str(new)]["dates"]["sidecar"] == str(new / "dates.csv")


def test_another_folder_laid_out_the_same_is_no_move_and_takes_ids_of_its_own(indexed):
    """Files of the same names (a corpus laid out as the BBC's, politics/001.txt...) holding
    other texts are another folder, not the old one moved; so is a folder that lacks some
    of the old one's files (a part of it copied while the drive holding it is unplugged):
    the old place's documents stay as they were, as before this change."""
    index, old, before = indexed
    other = old.parent / "other"
    for path in ARTICLES.rglob("*.txt"):
        target = other / path.relative_to(ARTICLES)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"Another story {path.stem}\n\nThe Lords met.\n", encoding="utf-8")
    part = old.parent / "part"
    shutil.copytree(old, part)
    (part / "tech" / "001.txt").unlink()
    old.rename(old.parent / "gone")
    with CorpusIndex.open(index) as ix:
        for folder in (other, part):
            report = ix.index_directory(folder)
            assert (report.moved_from, report.moved) == ("", 0), folder
        assert set(before) <= set(ids_and_titles(ix)) and len(ix) == 9 + 9 + 8
        assert "other/news/politics/001" not in {i for i, _ in ids_and_titles(ix)}
        assert ix.notes()[0].startswith(f"the index holds 9 documents of {old}, which is no ")
    assert str(old) in gone_folders(index)


def test_a_move_that_fails_on_its_way_leaves_the_index_as_it_was(
    indexed, monkeypatch: pytest.MonkeyPatch
):
    index, old, before = indexed
    new = old.parent / "moved"
    old.rename(new)
    files = snapshot(new)

    def fail(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    with CorpusIndex.open(index) as ix:
        monkeypatch.setattr("corpus_search.indexing.add_all", fail)
        with pytest.raises(KeyboardInterrupt):
            ix.index_directory(new)
    with CorpusIndex.open(index) as ix:
        assert ids_and_titles(ix) == before
        assert ix.describe(before[0][0])["path"].startswith(f"{old}{os.sep}")
    assert recorded_folders(index) == [old] and snapshot(new) == files
    monkeypatch.undo()
    with CorpusIndex.open(index) as ix:  # (the same run again finishes it)
        assert ix.index_directory(new).moved == 9 and ids_and_titles(ix) == before


def test_a_move_killed_between_its_record_and_its_commit_is_finished_by_the_next_run(
    indexed, tmp_path: Path
):
    """The record of a write goes to disk just before its commit: killed between the two,
    the index holds the old place's documents under a record naming the new place alone.
    Its documents are all there, under their ids; the next run finishes the move rather
    than read the folder as a new one beside them."""
    index, old, before = indexed
    kept = tmp_path / "before-the-move"
    shutil.copytree(index, kept)
    new = old.parent / "moved"
    old.rename(new)
    with CorpusIndex.open(index) as ix:
        ix.index_directory(new)
    # the segments of before the move, under the record the move wrote before its commit
    shutil.copy(index / META_FILENAME, kept / META_FILENAME)
    with CorpusIndex.open(kept) as ix:
        assert ids_and_titles(ix) == before and recorded_folders(kept) == [new]
        report = ix.index_directory(new)
        assert (report.moved_from, report.moved) == (str(old), 9)
        assert ids_and_titles(ix) == before and len(ix) == 9
        assert ix.describe(before[0][0])["path"].startswith(f"{new}{os.sep}")


def test_the_command_says_the_folder_moved_and_its_ids_are_unchanged(indexed):
    index, old, before = indexed
    new = old.parent / "moved"
    old.rename(new)
    result = CliRunner().invoke(cli, ["index", str(new), "--index", str(index)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"{re.escape(str(new))}: 0 indexed, 0 updated, 9 moved, 0 unchanged, "
                        r"0 deleted, 0 skipped \(9 documents written in [\d.]+ s\)", lines[0])
    assert lines[1] == (f"  note 9 files moved here from {old}, which is no folder any more: "
                        "their documents keep their ids")
    assert "(moved, renamed or deleted?)" not in result.stdout  # (the old place's note)
    listed = CliRunner().invoke(cli, ["list", "--index", str(index)]).stdout.splitlines()[1:]
    assert sorted(line.split()[0] for line in listed) == [i for i, _ in before]
    newer = old.parent / "moved-again"
    new.rename(newer)
    data = json.loads(CliRunner().invoke(cli, ["index", str(newer), "--index", str(index),
                                               "--json"]).stdout)
    (report,) = data["reports"]
    assert (report["moved_from"], report["moved"], report["indexed"]) == (str(new), 9, 0)
    assert data["notes"] == []


def test_a_rebuild_naming_a_moved_folder_at_its_new_place_keeps_its_ids_and_options(indexed):
    """The refusal of a rebuild from a gone folder says to name a folder moved at its new
    place: so named, it was a folder new to the index, its id prefix and publisher lost,
    every document renamed (news/politics/001 became politics/001)."""
    index, old, before = indexed
    new = old.parent / "moved"
    old.rename(new)
    (report,) = rebuild_index(index, [new])
    assert (report.moved_from, report.indexed) == (str(old), 9)
    assert report.moved_note == (f"moved here from {old}, which is no folder any more: its "
                                 "documents keep their ids")
    with CorpusIndex.open(index) as ix:
        assert ids_and_titles(ix) == before
        assert ix.get(before[0][0]).source == "Press Association"
    assert recorded_folders(index) == [new]
    new.rename(old.parent / "again")  # (the command: no note of the old place's as dropped)
    result = CliRunner().invoke(cli, ["index", str(old.parent / "again"), "--rebuild",
                                      "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert f"  note moved here from {new}, which is no folder any more: its documents keep " \
        "their ids" in result.stdout.splitlines()
    assert "no longer holds" not in result.stdout
