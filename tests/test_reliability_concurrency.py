"""Concurrent use: searches during re-indexing, a second writer, and locks left by crashes.

Whoosh allows any number of readers and one writer per index, serialised by an ``fcntl.flock``
on ``MAIN_WRITELOCK``. A writer waits up to ``lock_timeout`` seconds (default 10) and then
raises :class:`IndexLockedError`. The kernel drops a flock when the process holding it dies,
so a crashed writer never blocks the index for longer than its own life.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, corpus_search_command, writer_holding_the_lock
from corpus_search import CorpusIndex, Document, IndexLockedError
from reliability_helpers import Child, assert_readable, fork_child, index_state

_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
GENERATION_DOCS = 20
_GENERATION = re.compile(r"^Generation (\d+) report \d+$")


def generation(g: int) -> list[Document]:
    """Every document of the index, as generation ``g`` writes it (same ids each time)."""
    return [
        Document(
            id=f"doc{i:02d}",
            title=f"Generation {g} report {i}",
            body=f"Parliament debated generation {g}.\n{_TEXTS[(g + i) % len(_TEXTS)]}",
        )
        for i in range(GENERATION_DOCS)
    ]


#: how many generations the writer commits while the readers search
GENERATIONS = 12


def _reader(
    path: Path, done: Any, newest: Any, slot: int, fresh: bool,
) -> Callable[[Callable[[str], None]], None]:
    """Search repeatedly until ``done`` is set, noting in ``newest[slot]`` the newest
    generation seen; report what went wrong as it happens, and at the end the generations
    seen and how many searches (a line a search could fill the pipe, and stop the reader,
    before the parent reads it)."""

    def target(report: Callable[[str], None]) -> None:
        warm = None if fresh else CorpusIndex.open(path)
        seen: set[str] = set()
        searches = 0
        while not done.value:
            searches += 1
            try:
                ix = CorpusIndex.open(path) if fresh else warm
                assert ix is not None
                results = ix.search("parliament", limit=100, highlight=False)
                gens = set()
                for hit in results.hits:
                    m = _GENERATION.match(hit.title)
                    gens.add(m.group(1) if m else f"?{hit.title!r}")
                if results.total != GENERATION_DOCS or len(gens) != 1:
                    report(f"MIXED total={results.total} generations={sorted(gens)}")
                else:
                    one = gens.pop()
                    seen.add(one)
                    newest[slot] = max(newest[slot], int(one))
                if fresh:
                    ix.close()
            except Exception as exc:
                report(f"ERROR {type(exc).__name__}: {exc}".replace("\n", " "))
        report(f"searched {searches}")
        report(f"saw {' '.join(sorted(seen, key=int))}")

    return target


def _rewriter(path: Path, done: Any, newest: Any) -> Callable[[Callable[[str], None]], None]:
    """Re-index every document, generation after generation, each once every reader has
    seen the one before (so that they search during every commit, however loaded the
    machine), and then set ``done``."""

    def target(report: Callable[[str], None]) -> None:
        try:
            with CorpusIndex(path, lock_timeout=60) as ix:
                for g in range(1, GENERATIONS + 1):
                    hang = time.monotonic() + 120  # (a reader that stopped: fail, not hang)
                    while min(newest) < g - 1:
                        assert time.monotonic() < hang, f"the readers never saw generation {g - 1}"
                        time.sleep(0.01)
                    ix.add_documents(generation(g))
                    report(f"committed {g}")
                hang = time.monotonic() + 120
                while min(newest) < GENERATIONS and time.monotonic() < hang:
                    time.sleep(0.01)  # (each reader searches the last generation too)
        finally:
            done.value = 1

    return target


def test_searches_while_another_process_reindexes_never_fail_and_see_one_generation(
    tmp_path: Path,
):
    """Readers in other processes (opening the index afresh for every search, or keeping a
    warm searcher) never get an error, and every search sees all documents of exactly one
    generation: the old one or the new one, never a mixture or a gap. The writer commits a
    generation once both readers have seen the one before, so each reader searches while
    each commit is made, and sees every generation."""
    import multiprocessing

    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents(generation(0))
    done, newest = multiprocessing.RawValue("b", 0), multiprocessing.RawArray("q", [-1, -1])
    readers = [fork_child(_reader(path, done, newest, slot, fresh))
               for slot, fresh in enumerate((True, False))]
    writer = fork_child(_rewriter(path, done, newest))
    for child in (writer, *readers):
        assert child.join(timeout=300) == 0, child.lines[-5:]
    commits = [line for line in writer.lines if line.startswith("committed")]
    problems = [line for r in readers for line in r.lines
                if not line.startswith(("searched ", "saw "))]
    seen = [{int(g) for line in r.lines if line.startswith("saw ") for g in line.split()[1:]}
            for r in readers]
    searches = sum(int(line.split()[1]) for r in readers for line in r.lines
                   if line.startswith("searched "))
    print(f"\n{len(commits)} commits, {searches} searches")
    assert not problems, f"{len(problems)} of {searches} searches failed: {problems[:5]}"
    assert len(commits) == GENERATIONS
    assert seen == [set(range(GENERATIONS + 1))] * 2, "a reader missed a generation"
    final = index_state(path)
    assert len(final) == GENERATION_DOCS


def _lock_holder(path: Path, hold: float | None, doc_id: str = "holder") -> Callable:
    """Open a writer (taking the lock), report ``locked``, then hold it ``hold`` seconds and
    commit one document (or hold it until killed when ``hold`` is ``None``)."""

    def target(report: Callable[[str], None]) -> None:
        ix = CorpusIndex(path)
        writer = writer_holding_the_lock(path)
        report("locked")
        if hold is None:
            while True:
                time.sleep(1)
        time.sleep(hold)
        held = Document(id=doc_id, title="Held", body="Lock holder.")
        writer.add_document(**ix.document_fields(held))
        writer.commit()
        report(f"released {time.monotonic()}")  # (one clock for every process: CLOCK_MONOTONIC)

    return target


@pytest.fixture
def empty_index(tmp_path: Path) -> Path:
    CorpusIndex(tmp_path / "ix").close()
    return tmp_path / "ix"


def test_a_second_writer_gets_a_clear_error_after_the_lock_timeout(empty_index: Path):
    """While another process writes, adding, deleting and indexing wait ``lock_timeout``
    seconds and then raise IndexLockedError saying the index is being written by another
    process; searching is never blocked."""
    holder = fork_child(_lock_holder(empty_index, None))
    try:
        holder.wait_for("locked")
        second = CorpusIndex(empty_index, lock_timeout=0.5)
        operations = {
            "add_documents": lambda: second.add_documents([Document("x", "X", "Some text.")]),
            "delete": lambda: second.delete("x"),
            "index_directory": lambda: second.index_directory(SEEDS),
        }
        for name, operation in operations.items():
            started = time.perf_counter()
            with pytest.raises(IndexLockedError) as info:
                operation()
            waited = time.perf_counter() - started
            assert waited >= 0.4, f"{name} waited {waited:.2f} s"
            message = str(info.value)
            assert "being written by another process (waited 0.5 s)" in message
            assert str(empty_index) in message
            assert_readable(message)
        # a search that waited for the lock would wait for ever (or fail as locked): it
        # returns, however slowly a loaded machine runs it, while the lock is still held
        searching = threading.Thread(target=second.search, args=("anything at all",))
        searching.start()
        searching.join(120)
        assert not searching.is_alive(), "a search waited for the write lock"
        assert holder.poll() is None
        second.close()
    finally:
        holder.kill()


def test_a_second_writer_waits_for_the_lock_and_then_succeeds(empty_index: Path):
    """A writer that finds the index locked waits (up to its timeout) and then writes; both
    writers' documents are in the index."""
    holder = fork_child(_lock_holder(empty_index, 1.0, doc_id="first"))
    holder.wait_for("locked")
    with CorpusIndex(empty_index, lock_timeout=60) as second:
        second.add_documents([Document(id="second", title="Second", body="Waited its turn.")])
        committed = time.monotonic()
    assert holder.join() == 0
    (released,) = [float(line.split()[1]) for line in holder.lines if line.startswith("released")]
    assert committed > released, "the second writer committed while the first held the lock"
    assert set(index_state(empty_index)) == {"first", "second"}


def test_two_writers_racing_interleave_without_losing_documents(empty_index: Path):
    """Two processes committing batches as fast as they can both finish, and every document
    of both is in the index."""

    def writer(name: str) -> Callable[[Callable[[str], None]], None]:
        def target(report: Callable[[str], None]) -> None:
            with CorpusIndex(empty_index, lock_timeout=60) as ix:
                for k in range(8):
                    ix.add_documents(
                        [Document(f"{name}{k}-{i}", f"{name} {k}", _TEXTS[i]) for i in range(3)]
                    )
            report("done")

        return target

    children = [fork_child(writer(name)) for name in ("a", "b")]
    for child in children:
        assert child.join() == 0
    assert len(index_state(empty_index)) == 2 * 8 * 3


def test_a_lock_left_by_a_killed_writer_does_not_block_the_next_writer(empty_index: Path):
    """A writer SIGKILLed while holding the lock (leaving its lock file behind) blocks
    nobody: the kernel releases the flock, and the next writer gets it at once (a lock held
    on would make it wait its timeout and fail, however fast or slow the machine)."""
    holder = fork_child(_lock_holder(empty_index, None))
    holder.wait_for("locked")
    holder.kill()
    assert (empty_index / "MAIN_WRITELOCK").exists()
    with CorpusIndex(empty_index, lock_timeout=0) as ix:
        ix.add_documents([Document(id="after", title="After", body="The crash is over.")])
    assert set(index_state(empty_index)) == {"after"}


def test_a_killed_multiprocess_writer_does_not_leave_the_index_locked(empty_index: Path):
    """With several writer processes (used automatically for large ingests), killing the
    parent must not leave its helpers holding the inherited lock: the next writer gets the
    lock (once the helpers have run: each closes its copy of the lock as it starts, and leaves
    as soon as it finds its parent gone, which a loaded machine may take seconds to let it
    do) and the index holds only committed documents."""
    docs = [
        Document(id=f"m{i}", title=f"Many {i}", body=_TEXTS[i % len(_TEXTS)]) for i in range(400)
    ]

    def target(report: Callable[[str], None]) -> None:
        import multiprocessing

        from corpus_search.store import bulk_workers

        def reporting_start(self: multiprocessing.Process) -> None:
            multiprocessing.Process.start(self)
            report(f"helper {self.pid}")

        bulk_workers.BulkTask.start = reporting_start
        with CorpusIndex(empty_index) as ix:
            ix.add_documents(iter(docs), procs=2)
        report("done")

    child = fork_child(target)
    helpers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len([x for x in child.lines if x.startswith("helper")]) < 2:
            assert time.monotonic() < deadline, child.lines
            child.read_lines(0.05)
        time.sleep(0.3)
        helpers = [int(x.split()[1]) for x in child.lines if x.startswith("helper")]
        child.kill()
        with CorpusIndex(empty_index, lock_timeout=60) as ix:  # (held on: locked, at 60 s)
            ix.add_documents([Document(id="after", title="After", body="Writable again.")])
        state = index_state(empty_index)
    finally:
        _reap(child, helpers)
    assert set(state) in ({"after"}, {"after", *(d.id for d in docs)})


def _reap(child: Child, helpers: list[int]) -> None:
    """Kill the forked child and any helper process it started (by pid) that outlived it."""
    with contextlib.suppress(OSError):
        child.kill()
    for pid in helpers:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_the_index_command_reports_a_locked_index_in_one_line(
    empty_index: Path, cli_env: dict[str, str]
):
    """``corpus-search index`` against an index another process is writing waits the default
    10 s and exits with code 2 and a one-line message, not a traceback (``-m slow``: the
    command has no option to shorten the wait)."""
    holder = fork_child(_lock_holder(empty_index, None))
    try:
        holder.wait_for("locked")
        result = subprocess.run(
            [*corpus_search_command(), "index", str(SEEDS), "--index", str(empty_index)],
            env=cli_env, capture_output=True, text=True, timeout=60,
        )
    finally:
        holder.kill()
    assert result.returncode == 2
    assert "being written by another process" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_long_lived_index_sees_another_process_s_updates_and_deletions_exactly(
    tmp_path: Path,
):
    """An open CorpusIndex whose warm searcher predates another process's commits (updates,
    deletions and the merges they trigger) afterwards sees exactly the new generation: no
    replaced document, deleted document or merged-away segment lingers."""
    path = tmp_path / "ix"
    with CorpusIndex(path) as warm:
        warm.add_documents(generation(0))
        assert len(warm) == GENERATION_DOCS and warm.get("doc05") is not None

        def target(report: Callable[[str], None]) -> None:
            with CorpusIndex(path) as other:
                for g in range(1, 4):
                    other.add_documents(generation(g))
                other.delete("doc05")
            report("done")

        assert fork_child(target).join() == 0
        assert len(warm) == GENERATION_DOCS - 1
        assert warm.get("doc05") is None
        assert warm.get("doc06").title == "Generation 3 report 6"
        hits = warm.search("parliament", limit=100, highlight=False).hits
        assert sorted(h.title for h in hits) == sorted(
            d.title for d in generation(3) if d.id != "doc05"
        )


def test_two_open_indexes_writing_different_folders_keep_both_folder_records(tmp_path: Path):
    """Two CorpusIndex objects (as in two processes) opened before either wrote: each
    records its folder without erasing the other's, so stats and the rebuild command name
    both folders and both keep their boilerplate records."""
    from conftest import write_corpus

    first = write_corpus(tmp_path / "first", {"a.txt": "Alpha\n\nThe SNP gained seats.\n"})
    second = write_corpus(tmp_path / "second", {"b.txt": "Beta\n\nPlaid Cymru held on.\n"})
    path = tmp_path / "ix"
    CorpusIndex(path).close()
    one, two = CorpusIndex(path), CorpusIndex(path)
    one.index_directory(first)
    two.index_directory(second)
    one.add_documents([Document(id="loose", title="Loose", body="Added by hand.")])
    one.close()
    two.close()
    with CorpusIndex.open(path) as ix:
        assert ix.stats().roots == sorted([str(first.resolve()), str(second.resolve())])
        assert len(ix) == 3


# -- threads sharing one opened index ------------------------------------------------------


def test_a_thread_searching_while_another_replaces_the_stale_searcher_gets_its_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
):
    """Two threads share one opened index. While the first checks that its searcher is still
    the newest, a commit makes it stale and the second thread replaces it (slowly, as opening
    a large index is): the first thread's search still returns its results, not a
    ``TypeError`` from the moment there was no searcher at all."""
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents(generation(0))
        ix.search("parliament")
        pool = ix._searchers
        real_open, real_is_newest = pool._open, pool._is_newest
        checking, replacing = threading.Event(), threading.Event()

        def is_newest(searcher: Any) -> bool:
            if threading.current_thread().name == "checker" and not checking.is_set():
                checking.set()
                replacing.wait(0.5)  # (never set while the checker holds the pool)
                time.sleep(0.05)
                return True
            if threading.current_thread().name == "replacer" and not replacing.is_set():
                return False  # a commit made it stale
            return real_is_newest(searcher)

        def slow_open(ranking: Any) -> Any:
            replacing.set()
            time.sleep(0.3)
            return real_open(ranking)

        monkeypatch.setattr(pool, "_is_newest", is_newest)
        monkeypatch.setattr(pool, "_open", slow_open)
        outcomes: dict[str, object] = {}

        def search(name: str) -> None:
            try:
                outcomes[name] = ix.search("parliament", limit=100, highlight=False).total
            except Exception as exc:  # (what the thread met, for the assertion below)
                outcomes[name] = exc

        checker = threading.Thread(target=search, args=("checker",), name="checker")
        checker.start()
        assert checking.wait(5)
        replacer = threading.Thread(target=search, args=("replacer",), name="replacer")
        replacer.start()
        checker.join(10)
        replacer.join(10)
        assert outcomes == {"checker": GENERATION_DOCS, "replacer": GENERATION_DOCS}


@pytest.mark.parametrize("several", [False, True], ids=["CorpusIndex", "MultiIndex"])
def test_threads_sharing_an_index_search_while_another_thread_writes_to_it(
    tmp_path: Path, several: bool,
):
    """Threads may share one opened index (a notebook's thread pool): searches, counts and
    concordances in three threads while a fourth adds and deletes documents through the same
    object never fail, and each sees the index as it was at one commit or the next."""
    from corpus_search import MultiIndex

    path = tmp_path / "ix"
    with CorpusIndex(path) as writer_ix:
        writer_ix.add_documents(generation(0))
    other = tmp_path / "other"
    with CorpusIndex(other) as ix:
        ix.add_documents(Document(id="other", title="Other", body="Parliament sat late."))
    shared: Any = MultiIndex([path, other]) if several else CorpusIndex(path)
    writer_ix = shared.indexes[0] if several else shared
    stop = threading.Event()
    failures: list[str] = []
    totals: set[int] = set()

    def read() -> None:
        while not stop.is_set():
            try:
                totals.add(shared.search("parliament", limit=50).total)
                shared.count("parliament", by="party")
                shared.concordance("parliament", limit=5)
            except Exception as exc:  # (collected: the assertion names them)
                failures.append(f"{type(exc).__name__}: {exc}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    try:
        for thread in readers:
            thread.start()
        for n in range(15):
            writer_ix.add_documents(Document(id=f"new{n}", title="New", body="Parliament met."))
        for n in range(15):
            writer_ix.delete(f"new{n}")
    finally:
        stop.set()
        for thread in readers:
            thread.join(30)
        shared.close()
    assert not failures, failures[:3]
    base = GENERATION_DOCS + (1 if several else 0)
    assert totals <= set(range(base, base + 16))


def test_a_concordance_reads_on_while_another_thread_commits_and_searches_between_its_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
):
    """A concordance reads its documents one at a time, each inside the index's guard, and
    another thread sharing the index may commit and search between two of those reads. Each
    of those searches replaces the stale searcher, and a few replacements later the replaced
    one is closed: the concordance went on reading the document it found first through that
    searcher, and failed with ``ReaderClosed`` (seen once in four threads sharing an index
    under load). It now reads each document through the index's current searcher, and
    returns its lines."""
    from corpus_search.search import concordance as concordance_module

    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(generation(0))
        real_place_finder = concordance_module.place_finder
        between: list[str] = []

        def commits_and_searches() -> None:
            for n in range(8):  # (more replacements than the index keeps replaced searchers)
                ix.add_documents(Document(id=f"new{n}", title="New", body="Parliament met."))
                between.append(f"{ix.search('parliament', limit=1, highlight=False).total}")

        def place_finder(*args: Any) -> Any:
            spans = real_place_finder(*args)

            def places(body: str) -> Any:  # (the concordance, between two documents' reads)
                if not between:
                    other = threading.Thread(target=commits_and_searches)
                    other.start()
                    other.join(30)
                return spans(body)

            return places

        monkeypatch.setattr(concordance_module, "place_finder", place_finder)
        result = ix.concordance("parliament", limit=1000)
    assert between == [str(GENERATION_DOCS + n) for n in range(1, 9)]
    assert {line.id for line in result.lines} == {f"doc{i:02d}" for i in range(GENERATION_DOCS)}


@contextlib.contextmanager
def _another_thread_inside(ix: CorpusIndex) -> Any:
    """Another thread inside ``ix``'s guard for as long as the block runs."""
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ix.guard():
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join(5)


def _waits_for_the_other_thread(ix: CorpusIndex, read: Callable[[], object]) -> object:
    """What ``read`` returns, run in a thread while another thread is inside ``ix``, after
    checking that it waited for that thread to leave."""
    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(read()))
    with _another_thread_inside(ix):
        reader.start()
        reader.join(0.3)
        assert reader.is_alive(), "the read did not wait for the other thread"
    reader.join(10)
    return got[0]


def test_a_thread_reading_a_shared_index_waits_while_another_thread_reads_it(tmp_path: Path):
    """Whoosh's readers share file positions, so two reads of one opened index at once read
    each other's bytes (on BBC, four threads mixing searches and concordances failed with
    ``UnpicklingError``, and then ``ReaderClosed`` when that looked like damage). A search
    waits while another thread is inside the index, and then returns its results."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(generation(0))
        assert _waits_for_the_other_thread(ix, lambda: ix.search("parliament").total) == (
            GENERATION_DOCS)


def test_a_total_counted_later_waits_while_another_thread_reads_the_index(tmp_path: Path):
    """A result's total and facets are counted when first asked for, after the search
    returned: by then another thread may be reading the index, and the count waits for it."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(generation(0))
        results = ix.search("parliament", limit=1, highlight=False)
        assert _waits_for_the_other_thread(ix, lambda: results.total) == GENERATION_DOCS
        browsed = ix.search("*", limit=1)
        assert _waits_for_the_other_thread(ix, lambda: browsed.facets["source"]) == {}


@pytest.mark.parametrize("create", [True, "on_write"])  # (on_write: as the command opens it)
def test_a_run_that_waited_for_another_indexing_the_same_folder_writes_only_what_is_left(
    tmp_path: Path, create: Any,
):
    """Two runs on one folder at once: the second reads the folder (its plan) before the
    first commits, then waits for the lock. It wrote every document again (of a folder new
    to the index, each a second time) and reported them indexed; it now checks its plan
    under the lock, plans again, and reports what it did: nothing new."""
    from conftest import write_corpus

    folder = write_corpus(tmp_path / "articles", {
        f"{n}.txt": f"Story {n}\n\nLabour and the SNP debated bill {n}.\n" for n in range(6)})
    path = tmp_path / "ix"
    first, second = CorpusIndex(path, create=create), CorpusIndex(path, create=create)
    firsts: list[Any] = []

    def meanwhile(phase: str, _done: int, _total: int, _item: str) -> None:
        if phase == "writing" and not firsts:  # (planned, not yet holding the lock)
            firsts.append(first.index_directory(folder))

    report = second.index_directory(folder, progress=meanwhile)
    assert (firsts[0].indexed, firsts[0].documents) == (6, 6)
    assert (report.indexed, report.unchanged, report.documents) == (0, 6, 0)
    assert len(second) == 6
    (folder / "0.txt").write_text("Story 0\n\nRewritten at last.\n")
    firsts.clear()
    report = second.index_directory(folder, progress=meanwhile)
    assert (firsts[0].updated, firsts[0].documents) == (1, 1)
    assert (report.updated, report.unchanged, report.documents) == (0, 6, 0)
    assert len(second) == 6 and second.get("0").body == "Rewritten at last."
    first.close()
    second.close()


def test_an_index_opened_before_another_indexed_the_folder_plans_on_what_it_holds_now(
    tmp_path: Path,
):
    """A long-lived CorpusIndex whose copy of the folders' records predates another's run
    on the folder plans on the index as it is now (not its copy: the plan would never
    hold under the lock, and the run would give up as locked)."""
    from conftest import write_corpus

    folder = write_corpus(tmp_path / "articles", {"a.txt": "Alpha\n\nThe SNP won.\n"})
    path = tmp_path / "ix"
    early, other = CorpusIndex(path), CorpusIndex(path)
    other.index_directory(folder)
    (folder / "b.txt").write_text("Beta\n\nPlaid Cymru held on.\n")
    report = early.index_directory(folder)
    assert (report.indexed, report.unchanged) == (1, 1) and len(early) == 2
    early.close()
    other.close()
