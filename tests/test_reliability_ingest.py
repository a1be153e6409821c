"""Reliability of reading a folder while it changes: a subfolder swapped for a symbolic link
during a run never makes ingest read outside the folder.

Each trial indexes a folder while another process swaps its subfolder ``sub`` for a link to a
folder outside, as fast as it can, and back. The outside files have the same names as the
inside ones, so any path checked while ``sub`` is a folder and opened while it is a link
would read outside text. A leak is a document of the index holding outside text.
``CORPUS_SEARCH_SWAP_TRIALS`` sets the number of trials (default 10; ``-m stress`` runs 100).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from corpus_search import CorpusIndex
from reliability_helpers import env_int

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

