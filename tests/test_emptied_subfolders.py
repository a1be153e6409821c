"""A subfolder that held indexed files and now holds none (an unmounted mount point, a sync not
finished) keeps its documents, as the indexed folder itself does, with one line saying how to
drop them on purpose; so does a subfolder gone (as a folder of the index that is gone is
refused, nothing lost). A file deleted from a subfolder that still holds others is deleted from
the index as before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, rebuild_index
from corpus_search.cli import cli
from corpus_search.ingest.report import emptied_subfolders

_TEXT = "Title {n}\n\nThe Commons debated motion {n} on Tuesday.\n"


def _corpus(root: Path) -> Path:
    for rel in ("politics/a.txt", "politics/b.txt", "tech/c.txt", "tech/d.txt", "tech/old/e.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(_TEXT.format(n=rel), encoding="utf-8")
    return root


def test_a_subfolder_emptied_keeps_its_documents_and_says_how_to_drop_them(
        tmp_path: Path) -> None:
    folder, index = _corpus(tmp_path / "news"), tmp_path / "ix"
    runner = CliRunner()
    runner.invoke(cli, ["index", str(folder), "--index", str(index)])
    shutil.rmtree(folder / "tech")
    (folder / "tech").mkdir()  # (a mount point, its drive not mounted)
    result = runner.invoke(cli, ["index", str(folder), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "2 unchanged, 0 deleted, 3 kept" in result.output
    assert (f"skipped tech/: it holds no file that can be indexed now (a drive not mounted, a "
            "sync not finished?); the documents of its 3 indexed files are kept; if it was "
            f"emptied for good, drop them with: corpus-search index {folder} --index {index} "
            "--rebuild") in " ".join(result.output.split())
    with CorpusIndex(index) as ix:
        assert len(ix) == 5


def test_a_subfolder_gone_keeps_its_documents_until_a_rebuild(tmp_path: Path) -> None:
    folder, index = _corpus(tmp_path / "news"), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
        shutil.rmtree(folder / "tech")
        report = ix.index_directory(folder)
        assert (report.deleted, report.kept) == (0, 3)
        ((where, why),) = report.skipped
        assert where == "tech/" and why.startswith("it is no longer there")
        assert "if it was removed for good, drop them with:" in why
    rebuild_index(index, [])
    with CorpusIndex(index) as ix:
        assert len(ix) == 2


def test_only_the_outermost_empty_subfolder_is_named(tmp_path: Path) -> None:
    folder, index = _corpus(tmp_path / "news"), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
        (folder / "tech" / "old" / "e.txt").unlink()
        report = ix.index_directory(folder)
        assert [where for where, _ in report.skipped] == ["tech/old/"]
        assert (report.deleted, report.kept) == (0, 1)


def test_a_file_deleted_beside_others_is_deleted_from_the_index(tmp_path: Path) -> None:
    folder, index = _corpus(tmp_path / "news"), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
        (folder / "tech" / "c.txt").unlink()
        report = ix.index_directory(folder)
        assert (report.deleted, report.kept, report.skipped) == (1, 0, [])


_FOLDER = st.sampled_from(["a", "b", "a/x", "a/y", "b/x/z"])


@settings(max_examples=200, deadline=None)
@given(known=st.lists(_FOLDER, min_size=1, max_size=6), present=st.lists(_FOLDER, max_size=6))
def test_each_folder_that_held_files_and_holds_none_now_is_named_once_under_no_other(
        tmp_path_factory: pytest.TempPathFactory, known: list[str], present: list[str]) -> None:
    root = tmp_path_factory.mktemp("tree")
    named = dict(emptied_subfolders(root, [f"{d}/f{n}.txt" for n, d in enumerate(known)],
                                    [f"{d}/g.txt" for d in present], []))
    for sub in {d + "/" for d in known}:
        holds_none = not any((p + "/").startswith(sub) for p in present)
        covered = any(sub.startswith(other) for other in named)
        assert covered == holds_none  # (it, or a folder around it, is named)
    assert not any(a != b and a.startswith(b) for a in named for b in named)
