"""Crash safety: an indexing process killed with SIGKILL at any moment leaves an index that opens
and holds exactly the documents of its last completed commit; re-running the indexing finishes.

Three kinds of evidence:

* random kills: a child commits :data:`BATCHES` batches (each a commit that adds documents and
  revises one, so merges drop deletions) and reports each commit on a pipe; it is SIGKILLed
  after a random delay. The surviving index must equal one committed prefix of the batches and
  be at least as new as the last commit the child reported. ``CORPUS_SEARCH_CRASH_TRIALS``
  (default 20) and ``CORPUS_SEARCH_CRASH_SEED`` scale and vary the run; ``-m stress`` runs 200.
* placed kills: the child SIGKILLs itself at a named point of a commit (before the folder
  exists, between the Whoosh commit and the metadata write, while merging segments ...).
* the command line: ``corpus-search index`` killed at random, then run again.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SEEDS, corpus_search_command
from corpus_search import CorpusIndex
from corpus_search.store.files import META_FILENAME, holds_index
from corpus_search.store.generations import default_index_path, nothing_committed
from reliability_helpers import (
    BATCHES,
    CRASH_SEED_ENV,
    CRASH_TRIALS_ENV,
    batch_documents,
    env_int,
    expected_state,
    fork_child,
    index_state,
    kill_on_call,
    self_kill,
    which_commit,
    write_batches,
)

TRIALS = env_int(CRASH_TRIALS_ENV, 20)
STRESS_TRIALS = env_int(CRASH_TRIALS_ENV, 200)
SEED = env_int(CRASH_SEED_ENV, 1_234_567)


def _complete_run(path: Path) -> None:
    """Re-run the whole indexing job in this process and check it finishes the index."""
    write_batches(path, lambda line: None)
    final = index_state(path)
    assert final == expected_state(BATCHES - 1)
    with CorpusIndex.open(path) as ix:
        assert ix.search("parliament", limit=1000).total == len(final)


def _assert_committed_prefix(path: Path, last_reported: int) -> int:
    """The index opens, equals a committed prefix of the batches, and is >= the last report."""
    state = index_state(path)
    k = which_commit(state)
    assert k is not None, (
        f"the index holds {len(state)} documents that match no committed batch prefix "
        f"(last commit reported: {last_reported})"
    )
    assert k >= last_reported, f"commit {last_reported} was reported but the index is at {k}"
    if state:  # the postings, not only the stored fields, are readable
        with CorpusIndex.open(path) as ix:
            assert ix.search("parliament", limit=1000).total == len(state)
    return k


# -- random kills ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_run_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long an uninterrupted child takes to commit every batch (to spread the kills)."""
    # warm this process first (lexicon and analyzer caches) so children inherit what the
    # trials' children will inherit, else the calibration overestimates a run
    write_batches(tmp_path_factory.mktemp("warm-up") / "ix", lambda line: None)
    path = tmp_path_factory.mktemp("calibration") / "ix"
    started = time.perf_counter()
    child = fork_child(lambda report: write_batches(path, report))
    assert child.join() == 0
    assert which_commit(index_state(path)) == BATCHES - 1
    return time.perf_counter() - started


def _random_kill_trials(tmp_path: Path, trials: int, seconds: float, seed: int) -> Counter[str]:
    """``trials`` kills at random delays, and up to as many more while fewer than a third
    have landed mid-run: on a loaded machine the children run slower than the calibration
    said, more kills land before the first commit, and a fixed number left the test
    checking too few mid-run states (5 of 20 in one loaded run)."""
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    trial = -1
    while (trial := trial + 1) < trials or (
        outcomes["mid-run"] < trials // 3 and trial < 2 * trials
    ):
        path = tmp_path / f"trial{trial}" / "ix"
        delay = rng.uniform(0.0, seconds * 1.1)
        child = fork_child(lambda report, path=path: write_batches(path, report))
        child.read_lines(delay)
        child.kill()
        try:
            k = _assert_committed_prefix(path, child.last_reported_batch)
            _complete_run(path)
        except AssertionError as exc:
            where = f"trial {trial} (seed {seed}, delay {delay:.3f} s)"
            raise AssertionError(f"{where}: {exc}") from exc
        finished = "done" in child.lines
        outcomes["finished" if finished else "before any commit" if k < 0 else "mid-run"] += 1
        shutil.rmtree(path.parent)
    return outcomes


def test_an_indexer_killed_at_random_moments_leaves_exactly_a_committed_state(
    tmp_path: Path, full_run_seconds: float
):
    """SIGKILL at random delays: the index always opens and equals the documents of some
    completed commit (never a half-written one), at least the last commit the child reported;
    re-running the indexing completes it."""
    outcomes = _random_kill_trials(tmp_path, TRIALS, full_run_seconds, SEED)
    print(f"\n{sum(outcomes.values())} kill trials over {full_run_seconds:.2f} s runs: "
          f"{dict(outcomes)}")
    assert outcomes["mid-run"] >= TRIALS // 3, f"too few kills landed mid-run: {dict(outcomes)}"


@pytest.mark.stress
def test_many_random_kills_leave_exactly_a_committed_state(
    tmp_path: Path, full_run_seconds: float
):
    """The same property over many more trials (``-m stress``; ``CORPUS_SEARCH_CRASH_TRIALS``)."""
    outcomes = _random_kill_trials(tmp_path, STRESS_TRIALS, full_run_seconds, SEED + 1)
    print(f"\n{sum(outcomes.values())} kill trials: {dict(outcomes)}")
    assert outcomes["mid-run"] >= STRESS_TRIALS // 3


# -- kills placed at named points of a commit -------------------------------------------------

#: batches committed normally before the crash point is armed (the crash hits batch 4)
ARMED_AFTER = 3


def _arm(point: str) -> None:
    """Install, in a child, a SIGKILL at ``point`` of the next operation."""
    import whoosh.index
    import whoosh.writing
    from whoosh.filedb.filestore import FileStorage

    from corpus_search.store import meta as store_meta
    from corpus_search.store.handle import IndexHandle

    if point == "before the index folder is created":
        kill_on_call(IndexHandle, "create")
    elif point == "after the Whoosh files are created, before the metadata file":
        kill_on_call(store_meta, "atomic_write_json")
    elif point == "while the compound segment file is assembled":
        kill_on_call(whoosh.writing.SegmentWriter, "_assemble_segment")
    elif point == "after new segments are written, before the table of contents":
        kill_on_call(whoosh.index.TOC, "write")
    elif point == "before the new table of contents is renamed into place":
        kill_on_call(FileStorage, "rename_file")
    elif point == "after the table of contents, before old segments are deleted":
        kill_on_call(whoosh.index, "clean_files")
    elif point == "between the Whoosh commit and the metadata write":
        kill_on_call(whoosh.writing.SegmentWriter, "commit", after=True)
    elif point == "while the metadata file is half written":

        def half_written(path: Path, data: dict) -> None:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data)[:40], encoding="utf-8")
            self_kill()

        store_meta.atomic_write_json = half_written
    elif point == "while segments are being merged":
        kill_on_call(whoosh.writing.SegmentWriter, "add_reader")
    else:  # pragma: no cover
        raise ValueError(point)


#: crash point → the last batch whose commit must survive it
CRASH_POINTS = {
    "before the index folder is created": -1,
    "after the Whoosh files are created, before the metadata file": -1,
    "while the compound segment file is assembled": ARMED_AFTER,
    "after new segments are written, before the table of contents": ARMED_AFTER,
    "before the new table of contents is renamed into place": ARMED_AFTER,
    "after the table of contents, before old segments are deleted": ARMED_AFTER + 1,
    "between the Whoosh commit and the metadata write": ARMED_AFTER + 1,
    # the metadata is written under the write lock just before the Whoosh commit
    "while the metadata file is half written": ARMED_AFTER,
    "while segments are being merged": None,  # wherever the first merge happens
}


def _crashing_writer(path: Path, point: str) -> Callable[[Callable[[str], None]], None]:
    def target(report: Callable[[str], None]) -> None:
        at_creation = CRASH_POINTS[point] == -1
        if at_creation or CRASH_POINTS[point] is None:
            _arm(point)
        with CorpusIndex(path) as ix:
            report("open")
            for k in range(BATCHES):
                if k == ARMED_AFTER + 1 and not at_creation and CRASH_POINTS[point] is not None:
                    _arm(point)
                ix.add_documents(batch_documents(k))
                report(str(k))
        report("done")

    return target


@pytest.mark.parametrize("point", list(CRASH_POINTS))
def test_a_kill_at_a_named_point_of_a_commit_loses_nothing_and_can_be_resumed(
    tmp_path: Path, point: str
):
    """Killed at each delicate point of creating or committing, the index opens with the
    documents of the last completed commit, and re-running the indexing completes it."""
    path = tmp_path / "ix"
    child = fork_child(_crashing_writer(path, point))
    child.read_lines(30)
    child.kill()
    assert child.status is not None and os.WIFSIGNALED(child.status), "the crash point was not hit"
    assert os.WTERMSIG(child.status) == signal.SIGKILL
    k = _assert_committed_prefix(path, child.last_reported_batch)
    if CRASH_POINTS[point] is not None:
        assert k == CRASH_POINTS[point]
    else:
        assert 0 < k < BATCHES - 1
    _complete_run(path)


def test_merging_happens_in_the_workload_so_the_merge_crash_point_is_real(tmp_path: Path):
    """The batched workload does trigger segment merges (else that crash point proves nothing)."""
    import whoosh.writing

    calls = []
    original = whoosh.writing.SegmentWriter.add_reader

    def counting(self: object, reader: object) -> None:
        calls.append(1)
        original(self, reader)

    whoosh.writing.SegmentWriter.add_reader = counting
    try:
        write_batches(tmp_path / "ix", lambda line: None)
    finally:
        whoosh.writing.SegmentWriter.add_reader = original
    assert calls


# -- before the first commit, and stale files -------------------------------------------------


def test_an_index_folder_with_only_the_whoosh_files_is_completed_on_the_next_run(
    tmp_path: Path,
):
    """Killed after Whoosh made its empty index but before the metadata existed: opening the
    folder again is not an error, and indexing fills it."""
    path = tmp_path / "ix"
    CorpusIndex(path).close()
    (path / META_FILENAME).unlink()
    assert index_state(path) == {}
    _complete_run(path)


def test_an_index_folder_with_only_the_metadata_file_is_completed_on_the_next_run(
    tmp_path: Path,
):
    """An index whose metadata was written but whose Whoosh files never were (nothing was
    ever indexed) is created afresh rather than refused."""
    path = tmp_path / "ix"
    CorpusIndex(path).close()
    for item in path.iterdir():
        if item.name != META_FILENAME:
            shutil.rmtree(item) if item.is_dir() else item.unlink()
    assert index_state(path) == {}
    _complete_run(path)


def test_an_empty_index_folder_is_simply_used(tmp_path: Path):
    """Killed right after making the folder: the next run creates the index in it."""
    path = tmp_path / "ix"
    path.mkdir()
    assert index_state(path) == {}
    _complete_run(path)


def test_an_indexing_run_killed_before_it_writes_leaves_no_index_made_on_write(tmp_path: Path):
    """``corpus-search index`` opens its index with ``create="on_write"``: killed while it
    reads the folder (before any document is written) it leaves no index and no folder."""
    path = tmp_path / "data" / "ix"

    def target(report: Callable[[str], None]) -> None:
        def progress(phase: str, done: int, total: int, item: str) -> None:
            if phase == "reading" and done:
                self_kill()

        with CorpusIndex(path, create="on_write") as ix:
            report("open")
            ix.index_directory(SEEDS, progress=progress, procs=1)
        report("done")

    child = fork_child(target)
    child.read_lines(30)
    child.kill()
    assert child.lines == ["open"]
    assert child.status is not None and os.WTERMSIG(child.status) == signal.SIGKILL
    assert not (tmp_path / "data").exists()


def test_stale_temporary_files_left_by_killed_writers_break_nothing(tmp_path: Path):
    """Half-written metadata temp files, an abandoned Whoosh temp folder, a temp table of
    contents, an orphan segment and a stale lock file are all ignored."""
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        for k in range(3):
            ix.add_documents(batch_documents(k))
    (path / f".{META_FILENAME}.99999.tmp").write_text('{"format": 1, "ro', encoding="utf-8")
    (path / "MAIN.tmp").mkdir(exist_ok=True)
    (path / "MAIN.tmp" / "abc123.run").write_bytes(b"\x00garbage" * 100)
    (path / "_MAIN_99.toc.1700000000.5").write_bytes(b"half a table of contents")
    (path / "MAIN_zzzzzzzzzzzz.seg").write_bytes(b"orphan segment never referenced")
    (path / "MAIN_WRITELOCK").touch()
    assert index_state(path) == expected_state(2)
    with CorpusIndex(path) as ix:
        assert ix.search("parliament", limit=100).total == len(expected_state(2))
        assert ix.stats().documents == len(expected_state(2))
    _complete_run(path)
    assert not (path / "MAIN_zzzzzzzzzzzz.seg").exists(), "orphan segments are cleaned up"


# -- index_directory and the command line ---------------------------------------------------

BLURB = "Sign up to our free weekly politics newsletter for the best analysis every Friday"
SHARED_LINE = "This article was produced by the Westminster desk of the Tribune Gazette."


def _folder_with_boilerplate(root: Path, files: int = 6) -> Path:
    texts = sorted(SEEDS.glob("*.txt"))
    for n in range(files):
        body = texts[n % len(texts)].read_text(encoding="utf-8")
        (root / f"article{n}.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / f"article{n}.txt").write_text(
            f"Article {n}\n\n{SHARED_LINE}\n{body}\n{SHARED_LINE}\n", encoding="utf-8"
        )
    return root


def test_boilerplate_found_before_a_crash_is_remembered_for_later_runs(tmp_path: Path):
    """Killed between the Whoosh commit and the metadata write of index_directory, the
    documents are kept, and the folder's boilerplate lines are still on record: a file
    changed later is cleaned of them like the others were."""
    import whoosh.writing

    corpus = _folder_with_boilerplate(tmp_path / "corpus")
    path = tmp_path / "ix"

    def target(report: Callable[[str], None]) -> None:
        kill_on_call(whoosh.writing.SegmentWriter, "commit", after=True)
        with CorpusIndex(path) as ix:
            ix.index_directory(corpus)
        report("done")

    child = fork_child(target)
    child.read_lines(30)
    child.kill()
    assert os.WIFSIGNALED(child.status)
    with CorpusIndex(path) as ix:
        assert len(ix) == 6
        assert SHARED_LINE not in ix.get("article0").body
        again = ix.index_directory(corpus)
        assert again.unchanged == 6
        changed = corpus / "article1.txt"
        changed.write_text(changed.read_text() + "\nA new closing paragraph.\n", encoding="utf-8")
        os.utime(changed, ns=(10**9, 10**9))
        ix.index_directory(corpus)
        body = ix.get("article1").body
    assert "A new closing paragraph." in body
    assert SHARED_LINE not in body, "boilerplate recorded before the crash was forgotten"


def _cli_corpus(root: Path, copies: int) -> Path:
    texts = sorted(SEEDS.glob("*.txt"))
    for n in range(copies):
        src = texts[n % len(texts)]
        (root / f"part{n % 4}").mkdir(parents=True, exist_ok=True)
        (root / f"part{n % 4}" / f"{n:03d}_{src.name}").write_text(
            src.read_text(encoding="utf-8") + f"\nCopy number {n}.\n", encoding="utf-8"
        )
    return root


CLI_TRIALS = 3


def test_the_index_command_killed_at_random_can_simply_be_run_again(
    tmp_path: Path, cli_env: dict[str, str]
):
    """``corpus-search index`` SIGKILLed at random moments: the folder is left with either no
    documents or all of them (one commit), and running the same command again exits 0 with
    the complete index."""
    corpus = _cli_corpus(tmp_path / "corpus", 60)
    rng = random.Random(SEED)
    command = [*corpus_search_command(), "index", str(corpus), "--json"]

    started = time.perf_counter()
    full = subprocess.run(
        [*command, "--index", str(tmp_path / "full")], env=cli_env, capture_output=True,
        text=True, timeout=120,
    )
    seconds = time.perf_counter() - started
    assert full.returncode == 0, full.stderr
    counts = Counter()
    for trial in range(CLI_TRIALS):
        path = tmp_path / f"ix{trial}"
        proc = subprocess.Popen(
            [*command, "--index", str(path)], env=cli_env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(seconds * 0.2, seconds * 0.95))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        docs = len(index_state(path))
        assert docs in (0, 60), f"trial {trial}: a half-written commit with {docs} documents"
        counts[docs] += 1
        again = subprocess.run(
            [*command, "--index", str(path)], env=cli_env, capture_output=True, text=True,
            timeout=120,
        )
        assert again.returncode == 0, again.stderr
        assert "Traceback" not in again.stderr
        assert len(index_state(path)) == 60
    print(f"\nCLI kill trials ({seconds:.2f} s per full run): documents left {dict(counts)}")


# -- failed writes ----------------------------------------------------------------------------


def test_indexing_after_reseeding_random_does_not_reuse_segment_names(tmp_path: Path):
    """A program that calls random.seed() before each write (reproducible experiments,
    property-based tests) still gets fresh segment names, so commits never collide."""
    with CorpusIndex(tmp_path / "ix") as ix:
        for k in range(3):
            random.seed(42)
            ix.add_documents(batch_documents(k))
        assert len(ix) == len(expected_state(2))


def test_a_commit_that_fails_releases_the_lock_and_says_the_write_failed(tmp_path: Path):
    """A commit failing with an OS error (here a simulated full disk while the segment is
    assembled) raises a clear 'could not write' error, leaves the last commit intact and
    does not keep the index locked: the next write from the same process succeeds."""
    import errno

    import whoosh.codec.base

    from corpus_search import CorpusSearchError

    path = tmp_path / "ix"
    with CorpusIndex(path, lock_timeout=1) as ix:
        ix.add_documents(batch_documents(0))
        original = whoosh.codec.base.Segment.create_compound_file

        def disk_full(self: object, storage: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        whoosh.codec.base.Segment.create_compound_file = disk_full
        try:
            with pytest.raises(CorpusSearchError, match="Could not write") as info:
                ix.add_documents(batch_documents(1))
        finally:
            whoosh.codec.base.Segment.create_compound_file = original
        assert "No space left on device" in str(info.value)
        assert "Traceback" not in str(info.value)
        assert index_state(path) == expected_state(0)
        ix.add_documents(batch_documents(1))
    assert index_state(path) == expected_state(1)


def _index_interrupted(monkeypatch: pytest.MonkeyPatch, args: list[str],
                       when: Callable[[Path], bool] = lambda folder: True):
    """``corpus-search index ARGS`` with Ctrl-C pressed while indexing a folder ``when``
    says (or rebuilding)."""
    from click.testing import CliRunner

    import corpus_search.index as index_module
    from corpus_search.cli import cli

    indexing = CorpusIndex.index_directory

    def index_directory(self, folder, *args, **kwargs):
        if when(Path(folder)):
            raise KeyboardInterrupt
        return indexing(self, folder, *args, **kwargs)

    def rebuild_index(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(CorpusIndex, "index_directory", index_directory)
    monkeypatch.setattr(index_module, "rebuild_index", rebuild_index)
    return CliRunner().invoke(cli, ["index", *args])


def test_ctrl_c_while_indexing_says_in_one_line_what_the_index_holds(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    # (it said "interrupted", and a user could not tell a damaged or half-written index
    # from one as it was)
    ix = tmp_path / "ix"
    first = _index_interrupted(monkeypatch, [str(small_corpus), "--index", str(ix)])
    assert (first.exit_code, first.stderr) == (
        130, f"interrupted: nothing was indexed, so no index was made at {ix}; run the same "
             "command again to finish.\n")
    monkeypatch.undo()
    with CorpusIndex(ix) as made:
        made.index_directory(small_corpus)
    again = _index_interrupted(monkeypatch, [str(small_corpus), "--index", str(ix)])
    assert again.stderr == (f"interrupted: the index at {ix} is as it was before this run; run "
                            "the same command again to finish.\n")
    rebuilt = _index_interrupted(monkeypatch, ["--rebuild", "--index", str(ix)])
    assert (rebuilt.exit_code, rebuilt.stderr) == (
        130, "interrupted: the rebuild stopped before it replaced the index, so the index at "
             f"{ix} is as it was; run the same command again to finish.\n")


def test_ctrl_c_at_the_second_folder_says_the_first_was_indexed(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("Budget\n\nThe Chancellor spoke.\n")
    ix = tmp_path / "ix"
    result = _index_interrupted(
        monkeypatch, [str(small_corpus), str(other), "--index", str(ix)],
        when=lambda folder: folder.name == "other")
    assert result.stderr == (
        f"interrupted: the index at {ix} holds what this run indexed of {small_corpus}, and of "
        f"{other} what it held before; run the same command again to finish.\n")
    monkeypatch.undo()
    with CorpusIndex.open(ix) as kept:
        assert len(kept) == len(list(small_corpus.rglob("*.txt")))


def test_a_first_run_into_the_default_index_killed_before_its_commit_leaves_the_demo_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_env: dict[str, str]
):
    """``corpus-search index FOLDER`` (no --index) killed while it writes its first commit
    leaves an index folder with nothing committed. It holds nothing to lose and nothing to
    search: ``corpus-search search`` says so, names the command that builds the index, and
    searches the demo index of the seed articles as before; the next run builds it."""
    monkeypatch.setenv("XDG_DATA_HOME", cli_env["XDG_DATA_HOME"])

    def target(report: Callable[[str], None]) -> None:
        def progress(phase: str, done: int, total: int, item: str) -> None:
            if phase == "committing":
                self_kill()

        with CorpusIndex(create="on_write") as ix:
            ix.index_directory(SEEDS, progress=progress, procs=1)
        report("done")

    child = fork_child(target)
    child.read_lines(60)
    child.kill()
    assert child.lines == []
    default = default_index_path()
    assert holds_index(default) and nothing_committed(default)

    run = subprocess.run([*corpus_search_command(), "search", "by-election"], env=cli_env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Independent Group" in run.stdout  # a seed article, from the demo index
    said = " ".join(run.stderr.split())
    assert f"Your index at {default} holds nothing yet" in said
    assert "corpus-search index FOLDER builds yours (nothing was lost)" in said

    index = subprocess.run([*corpus_search_command(), "index", str(SEEDS)], env=cli_env,
                           capture_output=True, text=True, timeout=120)
    assert index.returncode == 0, index.stderr
    mine = subprocess.run([*corpus_search_command(), "search", "by-election"], env=cli_env,
                          capture_output=True, text=True, timeout=120)
    assert mine.returncode == 0 and "demo index" not in mine.stderr
    assert "holds nothing yet" not in mine.stderr
