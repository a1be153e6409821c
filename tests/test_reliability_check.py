"""A check of an index that another process commits to while it reads.

A commit removes the files of the generations before it that the new one does not keep (a
merge, a rebuild), and a check reads the newest generation's files one segment at a time:
what it had listed could be gone by the time it read it. Every check made while another
process committed called the index damaged (``corpus-search check`` exited 1 with the rebuild
command; the library, which checks before it says an index is damaged, said so too). A check
now calls an index damaged only if the generation it read is still the newest when it ends,
and checks again otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex, Document, IndexLockedError, check_index
from corpus_search.cli import cli
from corpus_search.store import check as check_module


def _documents(tag: str) -> list[Document]:
    return [Document(id=f"{tag}{i}", title=f"{tag} {i}", body=f"Parliament met about {tag}.")
            for i in range(6)]


def _rebuilt_by_another_process(path: Path, tag: str) -> None:
    """Another process replaces the index at ``path`` (its old segments removed)."""
    with CorpusIndex.create(path, overwrite=True) as ix:
        ix.add_documents(_documents(tag))


def _commits_while_checked(monkeypatch: pytest.MonkeyPatch, path: Path,
                           times: int) -> list[int]:
    """Another process rebuilds the index each time a check starts reading a segment, the
    first ``times`` times; the list counts them."""
    real: Callable[..., Any] = check_module._check_segment
    done: list[int] = []

    def check_segment(*args: Any) -> Any:
        if len(done) < times:
            done.append(1)
            _rebuilt_by_another_process(path, f"gen{len(done)}")
        return real(*args)

    monkeypatch.setattr(check_module, "_check_segment", check_segment)
    return done


@pytest.fixture
def index(tmp_path: Path) -> Path:
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents(_documents("first"))
    return path


def test_a_check_while_another_process_rebuilds_the_index_finds_it_healthy(
    index: Path, monkeypatch: pytest.MonkeyPatch,
):
    done = _commits_while_checked(monkeypatch, index, times=1)
    report = check_index(index)
    assert done == [1]
    assert report.status == "healthy", report.all_problems()
    assert report.documents == 6 and report.problems == []


def test_the_command_checks_again_and_says_healthy_not_damaged(
    index: Path, monkeypatch: pytest.MonkeyPatch,
):
    _commits_while_checked(monkeypatch, index, times=2)
    result = CliRunner().invoke(cli, ["check", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert ": healthy (" in result.stdout.splitlines()[0]
    assert "rebuild with" not in result.stdout


def test_an_index_changing_through_every_check_is_said_to_be_being_written(
    index: Path, monkeypatch: pytest.MonkeyPatch,
):
    _commits_while_checked(monkeypatch, index, times=check_module.CHECK_ATTEMPTS)
    with pytest.raises(IndexLockedError, match=(
            rf"^The index at .*ix changed {check_module.CHECK_ATTEMPTS} times while it was "
            r"checked: another process is writing it\. Try again when that has "
            r"finished\.$")):
        check_index(index)
    assert check_index(index).status == "healthy"  # (once it is left alone)


def test_damage_that_stays_is_still_damage(index: Path):
    (segment,) = index.glob("MAIN_*.seg")
    segment.write_bytes(segment.read_bytes()[:100])
    assert check_index(index).status == "damaged"
