"""An index that an earlier version doubled: a folder it held was moved, and indexing the new
place (before :mod:`corpus_search.moving`) read it as a folder of its own, so the index holds
each file twice, under the old place's ids (``politics/001``) and new ones
(``articles/politics/001``), every result twice.

``corpus-search check`` says so and gives the command that keeps each file's documents once,
under the ids they had first: indexing the new place again (a rebuild naming it does the
same). No file loses its document: a file changed since is read as it is now, and the new
place's own files keep theirs as they are."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex, check_index, rebuild_index
from corpus_search import moving as moving_module
from corpus_search.cli import cli
from corpus_search.index import gone_folders, unnamed_folders
from corpus_search.store.meta import recorded_folders

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def ids_and_titles(ix: CorpusIndex) -> list[tuple[str, str]]:
    return sorted((hit.id, hit.title) for hit in ix.list_documents(limit=1000).hits)


def _as_an_earlier_version(monkeypatch: pytest.MonkeyPatch, index: Path, folder: Path) -> None:
    """Index ``folder`` as versions before moving.py did: no folder is found moved."""
    with monkeypatch.context() as patched:
        patched.setattr(moving_module, "moved_here", lambda *args, **kwargs: None)
        with CorpusIndex.open(index) as ix:
            ix.index_directory(folder)


@pytest.fixture
def doubled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An index of ``articles`` (9 files) moved to ``research/articles``, which an earlier
    version indexed as a new folder, one file edited and one added there since: (the index,
    the old place, the new place, the ids and titles before the move)."""
    old, index = tmp_path / "articles", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    with CorpusIndex(index) as ix:
        ix.index_directory(old)
        before = ids_and_titles(ix)
    new = tmp_path / "research" / "articles"
    new.parent.mkdir()
    old.rename(new)
    _as_an_earlier_version(monkeypatch, index, new)
    edited = new / "politics" / "001.txt"
    edited.write_text("Edited since\n\nLabour MPs returned to Westminster.\n", encoding="utf-8")
    (new / "politics" / "own.txt").write_text("Its own file\n\nThe SNP met in Perth.\n",
                                              encoding="utf-8")
    _as_an_earlier_version(monkeypatch, index, new)
    with CorpusIndex.open(index) as ix:
        assert len(ix) == 2 * 9 + 1  # (the earlier version's doubling)
        assert ix.get("articles/politics/001") is not None
    return index, old, new, before


def _expected(before: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each file once, under its first id, as it is now."""
    now = dict(before) | {"politics/001": "Edited since", "politics/own": "Its own file"}
    return sorted(now.items())


def test_check_says_the_index_holds_a_moved_folder_s_files_twice_and_how_to_fix_it(doubled):
    index, old, new, _before = doubled
    report = check_index(index)
    assert report.status == "healthy"
    (note,) = report.notes
    assert note == (
        f"the index holds 9 files of {old} twice: that folder, which is no folder any more, "
        f"moved to {new}, which an earlier version indexed as a new folder ('business/001' is "
        "also 'articles/business/001'); to keep each file's documents once, under the ids they "
        f"had first, index that folder again: CorpusIndex({str(index)!r}).index_directory("
        f"{str(new)!r})")
    assert not any("exist only in this index" in line for line in report.recoverable)


def test_the_command_check_advises_keeps_each_file_once_under_its_first_id(doubled):
    index, _old, _new, before = doubled
    checked = CliRunner().invoke(cli, ["check", "--index", str(index)])
    assert checked.exit_code == 0, checked.output
    (note,) = [line for line in checked.stdout.splitlines() if line.startswith("  note ")]
    command = shlex.split(note.split("index that folder again: ", 1)[1])
    assert command[:2] == ["corpus-search", "index"]
    result = CliRunner().invoke(cli, command[1:])
    assert result.exit_code == 0, result.output
    assert "9 copies under other ids removed (articles/business/001, articles/politics/001, " \
        "articles/politics/002, ...)" in result.stdout
    with CorpusIndex.open(index) as ix:
        assert ids_and_titles(ix) == _expected(before)
    assert check_index(index).notes == []


def test_indexing_the_new_place_again_keeps_each_file_once_and_loses_none(doubled):
    index, old, new, before = doubled
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(new)
        # (the file edited since was indexed so at the new place: as indexed there, it moved)
        assert (report.moved_from, report.moved, report.updated) == (str(old), 9, 0)
        assert (report.indexed, report.unchanged, report.deleted) == (0, 1, 0)  # (its own)
        assert report.copies == sorted(f"articles/{doc_id}" for doc_id, _ in before)
        assert ids_and_titles(ix) == _expected(before)
        assert len(ix) == 10
        assert ix.describe("politics/001")["path"] == str(new / "politics" / "001.txt")
        assert "Westminster" in ix.get("politics/001").body  # (as the file is now)
        assert ix.notes() == []
        again = ix.index_directory(new)
        assert (again.unchanged, again.documents, again.moved_from) == (10, 0, "")
    assert recorded_folders(index) == [new] and gone_folders(index) == []


def test_a_rebuild_naming_the_new_place_keeps_each_file_once_under_its_first_id(doubled):
    """The rebuild the gone folder's note advised kept the new place's ids (every document
    cited before the move renamed) and then advised adding back the folder that is gone."""
    index, old, new, before = doubled
    assert unnamed_folders(index, [new]) == []  # (no folder left out: the old place moved)
    (report,) = rebuild_index(index, [new])
    assert report.moved_from == str(old) and len(report.copies) == 9
    with CorpusIndex.open(index) as ix:
        assert ids_and_titles(ix) == _expected(before)
    assert recorded_folders(index) == [new]


def test_another_folder_of_the_same_file_names_beside_a_gone_folder_is_not_held_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
):
    """A corpus laid out the same way (the same file names, other texts) beside a folder that
    is gone is no copy of it: nothing is said of it, and its documents and the gone folder's
    stay."""
    old, other, index = tmp_path / "articles", tmp_path / "other", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    with CorpusIndex(index) as ix:
        ix.index_directory(old)
    for path in sorted(old.rglob("*.txt")):
        place = other / path.relative_to(old)
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_text(f"Another text\n\nThe Greens met about {path.stem}.\n",
                         encoding="utf-8")
    shutil.rmtree(old)
    _as_an_earlier_version(monkeypatch, index, other)
    assert check_index(index).notes == []
    with CorpusIndex.open(index) as ix:
        report = ix.index_directory(other)
        assert (report.moved_from, report.copies, report.unchanged) == ("", [], 9)
        assert len(ix) == 18


def test_a_folder_moved_and_not_indexed_since_is_not_one_a_rebuild_naming_it_leaves_out(
    tmp_path: Path,
):
    """``unnamed_folders`` (asked before a rebuild, for the note on the folders it leaves
    out) named a folder moved to one of the folders named, which the rebuild takes up."""
    old, kept, index = tmp_path / "articles", tmp_path / "kept", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    shutil.copytree(ARTICLES / "tech", kept)
    with CorpusIndex(index) as ix:
        ix.index_directory(old)
        ix.index_directory(kept, id_prefix="kept/")
    new = tmp_path / "moved"
    old.rename(new)
    assert unnamed_folders(index, [new]) == [str(kept)]
    assert unnamed_folders(index, [kept]) == [str(old)]  # (gone, and not named: left out)
    assert unnamed_folders(index, []) == []


def test_the_new_place_s_own_files_keep_their_ids_though_the_old_place_had_a_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
):
    """The old place's record is taken up, its id prefix with it (``news/``); a file only
    the new place held was indexed there without it (``politics/own``), and keeps that id,
    also once it changes."""
    old, index = tmp_path / "articles", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    with CorpusIndex(index) as ix:
        ix.index_directory(old, id_prefix="news/")
        before = ids_and_titles(ix)
    new = tmp_path / "moved"
    old.rename(new)
    own = new / "politics" / "own.txt"
    own.write_text("Its own file\n\nThe SNP met in Perth.\n", encoding="utf-8")
    _as_an_earlier_version(monkeypatch, index, new)
    with CorpusIndex.open(index) as ix:
        assert ix.get("politics/001") is not None and len(ix) == 19  # (the copies: no prefix)
        report = ix.index_directory(new)
        assert (report.moved, report.unchanged, len(report.copies)) == (9, 1, 9)
        assert ids_and_titles(ix) == sorted([*before, ("politics/own", "Its own file")])
        own.write_text("Its own file, edited\n\nThe SNP met in Perth.\n", encoding="utf-8")
        assert ix.index_directory(new).updated == 1
        assert ix.get("politics/own").title == "Its own file, edited"
        assert ix.get("news/politics/own") is None and len(ix) == 10
