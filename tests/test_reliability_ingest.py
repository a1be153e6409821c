"""Reliability of reading a folder, and of reading it again after it changed: nothing outside
the folder is ever read, nothing that cannot be read is passed over in silence, and what the
index holds follows what the files hold.

Swapping a subfolder for a symbolic link during a run never makes ingest read outside the
folder.

Each trial indexes a folder while another process swaps its subfolder ``sub`` for a link to a
folder outside, as fast as it can, and back. The outside files have the same names as the
inside ones, so any path checked while ``sub`` is a folder and opened while it is a link
would read outside text. A leak is a document of the index holding outside text.
``CORPUS_SEARCH_SWAP_TRIALS`` sets the number of trials (default 10; ``-m stress`` runs 100).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpus_search import CorpusIndex, IndexReport, SourceFolderError, rebuild_index
from corpus_search.ingest.files import iter_source_files, read_file
from reliability_helpers import become_nobody, env_int, fork_child

TRIALS = env_int("CORPUS_SEARCH_SWAP_TRIALS", 10)
STRESS_TRIALS = env_int("CORPUS_SEARCH_SWAP_TRIALS", 100)
OUTSIDE_WORD = "Zanzibarian"
FILES = 60


def _swap_folders(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "top.txt").write_text("Top\n\nAn article about the Commons.\n", encoding="utf-8")
    for i in range(FILES):
        (root / "sub" / f"a{i:02d}.txt").write_text(
            f"Inside {i}\n\nAn ordinary article about Labour number {i}.\n", encoding="utf-8"
        )
        (outside / f"a{i:02d}.txt").write_text(
            f"Outside {i}\n\n{OUTSIDE_WORD} secret ballot papers {i}.\n", encoding="utf-8"
        )
    return root, outside


def _start_swapper(root: Path, outside: Path) -> int:
    """Fork a child that swaps ``root/sub`` for a link to ``outside`` and back until killed."""
    sub, parked = root / "sub", root / ".sub-parked"
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            while True:
                time.sleep(0.0002)
                os.rename(sub, parked)
                os.symlink(outside, sub)
                time.sleep(0.0002)
                os.unlink(sub)
                os.rename(parked, sub)
        finally:
            os._exit(0)
    return pid


def _stop_swapper(pid: int, root: Path) -> None:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sub, parked = root / "sub", root / ".sub-parked"
    if parked.is_dir():  # killed mid-swap: put the real folder back
        if sub.is_symlink():
            sub.unlink()
        os.rename(parked, sub)
    assert sub.is_dir() and not sub.is_symlink()


def _swap_trials(tmp_path: Path, trials: int) -> tuple[int, int]:
    """(leaks, runs in which the swap disturbed the reading at all)."""
    root, outside = _swap_folders(tmp_path)
    leaks = disturbed = 0
    for trial in range(trials):
        pid = _start_swapper(root, outside)
        try:
            time.sleep(0.01)
            with CorpusIndex(tmp_path / f"ix{trial}") as ix:
                report = ix.index_directory(root)
                ids = [f["id"] for f in ix.searcher().all_stored_fields()]
                bodies = [ix.stored_fields(i)["body"] for i in ids]
        finally:
            _stop_swapper(pid, root)
        leaks += any(OUTSIDE_WORD in body for body in bodies)
        disturbed += report.indexed != FILES + 1
    return leaks, disturbed


def test_swapping_a_subfolder_for_a_link_while_indexing_never_reads_outside(tmp_path: Path):
    leaks, disturbed = _swap_trials(tmp_path, TRIALS)
    print(f"\n{TRIALS} swap trials: {leaks} leaked outside text, {disturbed} disturbed")
    assert leaks == 0, f"{leaks} of {TRIALS} runs read files outside the folder"


@pytest.mark.stress
def test_swapping_a_subfolder_for_a_link_never_reads_outside_stress(tmp_path: Path):
    """The same over many more trials (``-m stress``)."""
    leaks, disturbed = _swap_trials(tmp_path, STRESS_TRIALS)
    print(f"\n{STRESS_TRIALS} swap trials: {leaks} leaked outside text, {disturbed} disturbed")
    assert leaks == 0, f"{leaks} of {STRESS_TRIALS} runs read files outside the folder"



def test_a_folder_swapped_for_a_link_after_the_walk_listed_it_is_never_read(tmp_path: Path):
    """The same swap at the worst moment, placed: the walk lists ``sub``'s files, then ``sub``
    becomes a link to a folder of the same names outside. Every file is refused."""
    root, outside = _swap_folders(tmp_path)
    files = list(iter_source_files(root))
    (root / "sub").rename(root / ".sub-parked")
    (root / "sub").symlink_to(outside, target_is_directory=True)
    results = [read_file(path, root) for path in files]
    inside = [r for r in results if r.path.startswith("sub/")]
    assert len(inside) == FILES
    assert {r.skipped_reason for r in inside} == {"outside the indexed folder"}
    assert not any(OUTSIDE_WORD in d.body for r in results for d in r.documents)


# -- folders that cannot be read ----------------------------------------------------------------

GOOD = "Good article\n\nThe Liberal Democrats won the by-election.\n"


@pytest.fixture
def shared_base() -> Iterator[Path]:
    """A folder every user may write (pytest's are root-only), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="cs-ingest-"))
    os.chmod(base, 0o777)
    yield base
    for path in base.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o777)
    shutil.rmtree(base)


def _index_as_nobody(corpus: Path, index: Path, then: Callable[[CorpusIndex], object] = len
                     ) -> tuple[dict, object]:
    """Index ``corpus`` in a child process running as an unprivileged user (as root, chmod
    000 does not stop reading); returns the report and ``then(ix)``."""

    def target(report) -> None:
        become_nobody()
        with CorpusIndex(index) as ix:
            result = ix.index_directory(corpus)
            report(json.dumps([result.to_dict(), then(ix)]))

    child = fork_child(target)
    assert child.join() == 0, "the indexing run failed"
    report, extra = json.loads(child.lines[0])
    return report, extra


def _corpus_with_a_closed_folder(base: Path) -> Path:
    corpus = base / "corpus"
    (corpus / "closed").mkdir(parents=True)
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "closed" / "one.txt").write_text("One\n\nFirst closed article.\n")
    (corpus / "closed" / "two.txt").write_text("Two\n\nSecond closed article.\n")
    os.chmod(base / "corpus", 0o777)
    os.chmod(corpus / "closed", 0o777)
    return corpus


def test_a_folder_that_cannot_be_read_is_reported(shared_base: Path):
    corpus = _corpus_with_a_closed_folder(shared_base)
    (corpus / "closed").chmod(0o000)
    report, _ = _index_as_nobody(corpus, shared_base / "ix")
    assert {"path": "closed/", "reason": "folder cannot be read: permission denied"} in (
        report["skipped"]
    )
    assert report["indexed"] == 1


def test_a_folder_that_becomes_unreadable_keeps_its_documents_and_says_so(shared_base: Path):
    corpus = _corpus_with_a_closed_folder(shared_base)

    def ids(ix: CorpusIndex) -> list[str]:
        return sorted(f["id"] for f in ix.searcher().all_stored_fields())

    first, before = _index_as_nobody(corpus, shared_base / "ix", ids)
    assert first["indexed"] == 3 and before == ["closed/one", "closed/two", "good"]
    (corpus / "closed").chmod(0o000)
    report, after = _index_as_nobody(corpus, shared_base / "ix", ids)
    assert after == before
    assert report["deleted"] == 0 and report["kept"] == 2 and report["unchanged"] == 1
    assert report["kept_for"] == {"folder_unreadable": 2}
    assert {
        "path": "closed/",
        "reason": "folder cannot be read: permission denied; the documents of its 2 indexed "
        "files are kept",
    } in report["skipped"]
    (corpus / "closed").chmod(0o777)
    (corpus / "closed" / "two.txt").unlink()  # readable again: what is gone goes
    report, after = _index_as_nobody(corpus, shared_base / "ix", ids)
    assert report["deleted"] == 1 and report["kept"] == 0 and after == ["closed/one", "good"]


def test_a_file_that_becomes_unreadable_keeps_its_document_and_says_so(shared_base: Path):
    corpus = _corpus_with_a_closed_folder(shared_base)
    _index_as_nobody(corpus, shared_base / "ix")
    (corpus / "good.txt").write_text(GOOD + "More.\n", encoding="utf-8")  # changed
    (corpus / "good.txt").chmod(0o000)
    report, count = _index_as_nobody(corpus, shared_base / "ix")
    assert count == 3 and report["kept"] == 1 and report["deleted"] == 0
    assert report["kept_for"] == {"unreadable": 1}
    reason = "permission denied; what was indexed from it is kept"
    assert {"path": "good.txt", "reason": reason} in report["skipped"]


@pytest.mark.parametrize("closed", ["good.txt", "closed"])
def test_a_rebuild_stops_rather_than_lose_what_a_file_or_folder_it_cannot_read_gave(
        shared_base: Path, closed: str):
    """A rebuild reads only what the files hold now: a file (or folder) that cannot be read
    now would lose its documents, so it stops, in one line, the index as it was."""
    corpus, index = _corpus_with_a_closed_folder(shared_base), shared_base / "ix"
    _index_as_nobody(corpus, index)
    (corpus / closed).chmod(0o000)

    def target(report) -> None:
        become_nobody()
        try:
            rebuild_index(index, [corpus])
        except SourceFolderError as exc:
            report(str(exc))
        with CorpusIndex(index) as ix:
            report(str(len(ix)))

    child = fork_child(target)
    assert child.join() == 0
    message, count = child.lines
    held, why = (("the 1 document it holds of good.txt", "permission denied")
                 if closed == "good.txt" else
                 ("the 1 document it holds of closed/one.txt", "closed/: folder cannot be read: "
                  "permission denied"))
    assert message.startswith(f"Cannot rebuild the index at {index}: {held} in {corpus}")
    assert f"cannot be read now ({why}); the index is unchanged" in message
    assert count == "3"


def _deep_folder(root: Path, depth_bytes: int) -> str:
    """Folders nested under ``root`` until the path is longer than ``depth_bytes``, made
    relative to descriptors (a path that long cannot be opened whole); a file at the bottom.
    Returns the relative path of the first folder beyond the limit."""
    name = "d" * 200
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    length = len(os.fsencode(str(root)))
    first_beyond = None
    parts = []
    try:
        while length < depth_bytes + 400:
            os.mkdir(name, dir_fd=fd)
            sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = sub
            parts.append(name)
            length += len(name) + 1
            if first_beyond is None and length >= depth_bytes:
                first_beyond = "/".join(parts) + "/"
        out = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, b"Deep\n\nAn article too deep to open by its path.\n")
        os.close(out)
    finally:
        os.close(fd)
    assert first_beyond is not None
    return first_beyond


def test_folders_deeper_than_the_path_limit_are_reported(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    limit = os.pathconf("/", "PC_PATH_MAX")
    beyond = _deep_folder(root, limit)
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root)
    assert report.indexed == 1
    assert (beyond, f"path longer than the system limit ({limit} bytes)") in report.skipped


# -- files whose text is gone ------------------------------------------------------------------


def _make_empty(path: Path, outside: Path) -> None:
    path.write_bytes(b"")


def _make_outside_link(path: Path, outside: Path) -> None:
    path.unlink()
    path.symlink_to(outside)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_make_outside_link, "outside the indexed folder"),
    ],
    ids=["outside-link"],  # (one now binary keeps it: tests/test_damaged_text_files.py)
)
def test_a_file_that_no_longer_holds_its_text_loses_its_document(
    tmp_path: Path, change: Callable[[Path, Path], None], reason: str
):
    """The old document is removed (the file no longer holds that text) and the report
    says why; before, it stayed in the index."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "gone.txt").write_text("Gone\n\nAn article about the Commons.\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n\nZanzibarian papers.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        assert ix.get("gone") is not None
        change(root / "gone.txt", outside)
        report: IndexReport = ix.index_directory(root)
        assert ix.get("gone") is None
        assert ix.search("Commons").total == 0 and ix.search("Zanzibarian").total == 0
    assert report.deleted == 1 and report.unchanged == 1 and report.kept == 0
    assert report.skipped == [("gone.txt", f"{reason}; its document removed from the index")]


@pytest.mark.parametrize("emptied", [b"", b"  \n\t\r\n "], ids=["zero-bytes", "whitespace"])
def test_a_file_emptied_by_mistake_keeps_its_document_until_the_file_is_deleted(
    tmp_path: Path, emptied: bytes
):
    """A file truncated to nothing (a bad save, a sync that lost it) may leave the index
    holding the only copy of its text: the document stays, the report names the file in
    one line saying how to drop it, and deleting the file drops it."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "notes.txt").write_text("Notes\n\nAn article about the Commons.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        (root / "notes.txt").write_bytes(emptied)
        for _run in range(2):  # (said again each run while the file stays empty)
            report: IndexReport = ix.index_directory(root)
            assert ix.get("notes") is not None and ix.search("Commons").total == 1
            assert report.emptied == ["notes.txt"] and report.deleted == 0
            ((path, reason),) = report.skipped
            assert path == "notes.txt" and "\n" not in reason
            assert reason.startswith("empty file; its document kept")
            assert "delete the file to drop it" in reason and "--rebuild drops it too" in reason
            assert report.to_dict()["emptied"] == ["notes.txt"]
        (root / "notes.txt").unlink()
        report = ix.index_directory(root)
        assert ix.get("notes") is None and report.deleted == 1 and report.emptied == []


def test_a_file_empty_from_the_start_and_an_emptied_one_after_a_rebuild_are_only_skipped(
    tmp_path: Path,
):
    """Nothing was indexed from a file empty when first seen; a rebuild reads the files as
    they are, so it cannot keep the text an emptied file no longer holds."""
    root = tmp_path / "root"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "blank.txt").write_bytes(b"")
    (root / "notes.txt").write_text("Notes\n\nAn article about the Commons.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root)
        assert ("blank.txt", "empty file") in report.skipped and report.emptied == []
    (root / "notes.txt").write_bytes(b"")
    (rebuilt,) = rebuild_index(tmp_path / "ix", [root])
    assert sorted(rebuilt.skipped) == [("blank.txt", "empty file"), ("notes.txt", "empty file")]
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.get("notes") is None


def test_a_csv_with_only_a_header_row_is_reported(tmp_path: Path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "header.csv").write_text("id,title,body\n")
    assert read_file(root / "header.csv", root).skipped_reason == (
        "CSV file has a header row but no records"
    )
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root)
    assert report.skipped == [("header.csv", "CSV file has a header row but no records")]
