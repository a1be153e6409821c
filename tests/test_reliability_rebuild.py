"""Rebuilding an index never leaves it empty or broken: ``rebuild_index`` (``corpus-search index
--rebuild``) writes the new generation beside the old one and switches at its commit.

* random kills: a child rebuilds an index of corpus OLD (bundled lexicon) from corpus NEW with
  a user lexicon, and is SIGKILLed after a random delay. The index must then open and hold
  exactly OLD with the bundled lexicon or exactly NEW with the user lexicon (never empty, never
  a mixture, never one generation read with the other's lexicon), be healthy by check_index,
  and running the rebuild again must finish it. ``CORPUS_SEARCH_REBUILD_TRIALS`` sets the
  number (default 12; ``-m stress`` runs 100); ``CORPUS_SEARCH_CRASH_SEED`` varies the delays.
* placed kills at each delicate point of a rebuild, each with the generation that must survive.
* searches in other processes while the index is rebuilt back and forth, with different
  lexicons: every search succeeds and sees all of OLD or all of NEW.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, corpus_search_command
from corpus_search import CorpusIndex, rebuild_index
from corpus_search.store.check import check_index
from reliability_helpers import CRASH_SEED_ENV, env_int, fork_child, kill_on_call

TRIALS = env_int("CORPUS_SEARCH_REBUILD_TRIALS", 12)
STRESS_TRIALS = env_int("CORPUS_SEARCH_REBUILD_TRIALS", 100)
SEED = env_int(CRASH_SEED_ENV, 7_654_321)
_TEXTS = [p.read_text(encoding="utf-8")[:800] for p in sorted(SEEDS.glob("*.txt"))]
OLD_FILES, NEW_FILES = 30, 150
LEXICON = "[terms]\nzorblax_party\tZorblax Party | Zorblaxers\n"


def _corpus(root: Path, files: int, tag: str) -> Path:
    for n in range(files):
        (root / f"{tag}{n % 5}").mkdir(parents=True, exist_ok=True)
        (root / f"{tag}{n % 5}" / f"{n:03d}.txt").write_text(
            f"{tag.title()} report {n}\n\nParliament and the Zorblax Party, report {n}.\n"
            f"{_TEXTS[n % len(_TEXTS)]}",
            encoding="utf-8",
        )
    return root


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("rebuild")
    lexicon = base / "zorblax.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    old = _corpus(base / "old", OLD_FILES, "old")
    template = base / "template"
    with CorpusIndex(template) as ix:
        ix.index_directory(old, procs=1)
    return {"old": old, "new": _corpus(base / "new", NEW_FILES, "new"), "lexicon": lexicon,
            "template": template}


def _generation(path: Path) -> str:
    """Which corpus the index holds, checked against the lexicon it opens with: "old" (all of
    OLD, bundled lexicon) or "new" (all of NEW, the user lexicon); fails otherwise."""
    with CorpusIndex.open(path) as ix:
        titles = [f["title"] for f in ix.searcher().all_stored_fields()]
        kinds = {t.split()[0] for t in titles}
        assert len(kinds) == 1, f"a mixture of generations: {sorted(kinds)}"
        kind = kinds.pop().lower()
        expected = {"old": OLD_FILES, "new": NEW_FILES}[kind]
        assert len(titles) == expected, f"{len(titles)} {kind} documents, not {expected}"
        user_lexicon = bool(ix.lexicon.extra_paths)
        assert user_lexicon == (kind == "new"), (
            f"the {kind} generation opened {'with' if user_lexicon else 'without'} the user "
            "lexicon"
        )
        assert ix.search("parliament", limit=1).total == expected  # postings answer too
        if kind == "new":  # the user lexicon's term reaches the documents it built
            assert ix.search('"Zorblaxers"', limit=1).total == expected
    return kind


def _rebuilder(path: Path, corpora: dict[str, Path]) -> Callable[[Callable[[str], None]], None]:
    def target(report: Callable[[str], None]) -> None:
        report("start")
        rebuild_index(path, [corpora["new"]], lexicon=[corpora["lexicon"]], procs=1)
        report("done")

    return target


def _finish(path: Path, corpora: dict[str, Path]) -> None:
    """Running the same rebuild again completes it."""
    rebuild_index(path, [corpora["new"]], lexicon=[corpora["lexicon"]], procs=1)
    assert _generation(path) == "new"


@pytest.fixture(scope="module")
def rebuild_seconds(corpora: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long a child takes to rebuild (to spread the kills over it): the shortest of three
    runs, as one run slowed by a busy machine spread the kills past the switch (2 of 12
    landed before it, with the suite beside a benchmark)."""
    times = []
    for run in range(3):
        path = tmp_path_factory.mktemp(f"calibration{run}") / "ix"
        shutil.copytree(corpora["template"], path)
        started = time.perf_counter()
        child = fork_child(_rebuilder(path, corpora))
        assert child.join() == 0, child.lines
        assert _generation(path) == "new"
        times.append(time.perf_counter() - started)
    return min(times)


def _kill_trials(
    tmp_path: Path, corpora: dict[str, Path], trials: int, seconds: float, seed: int
) -> Counter[str]:
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    for trial in range(trials):
        path = tmp_path / f"t{trial}" / "ix"
        shutil.copytree(corpora["template"], path)
        delay = rng.uniform(0.0, seconds * 1.1)
        child = fork_child(_rebuilder(path, corpora))
        child.read_lines(delay)
        child.kill()
        try:
            kind = _generation(path)
            if "done" in child.lines:
                assert kind == "new", "the rebuild reported done but the old index is there"
            report = check_index(path)
            assert report.healthy, report.all_problems()
            _finish(path, corpora)
        except AssertionError as exc:
            raise AssertionError(f"trial {trial} (seed {seed}, delay {delay:.3f} s): {exc}") \
                from exc
        outcomes[kind] += 1
        shutil.rmtree(path.parent)
    return outcomes


def test_a_rebuild_killed_at_random_leaves_the_old_index_or_the_new_one(
    tmp_path: Path, corpora: dict[str, Path], rebuild_seconds: float
):
    """SIGKILL at random moments of a rebuild that also changes the lexicon: the index is
    always exactly the old one (with its lexicon) or exactly the new one (with its own),
    healthy, never empty; running the rebuild again finishes it."""
    outcomes = _kill_trials(tmp_path, corpora, TRIALS, rebuild_seconds, SEED)
    print(f"\n{TRIALS} rebuild kill trials over {rebuild_seconds:.2f} s rebuilds: {dict(outcomes)}")
    assert outcomes["old"] >= TRIALS // 4, f"too few kills landed before the switch: {outcomes}"


@pytest.mark.stress
def test_many_rebuild_kills_leave_the_old_index_or_the_new_one(
    tmp_path: Path, corpora: dict[str, Path], rebuild_seconds: float
):
    """The same property over many more trials (``-m stress``)."""
    outcomes = _kill_trials(tmp_path, corpora, STRESS_TRIALS, rebuild_seconds, SEED + 1)
    print(f"\n{STRESS_TRIALS} rebuild kill trials: {dict(outcomes)}")
    assert outcomes["old"] >= STRESS_TRIALS // 4


def _arm(point: str) -> None:
    """Install, in a child, a SIGKILL at ``point`` of the rebuild."""
    import whoosh.index
    import whoosh.writing
    from whoosh.filedb.filestore import FileStorage

    from corpus_search import ingesting
    from corpus_search.store import meta as store_meta
    from corpus_search.store.writer import BulkSegmentWriter

    if point == "while the folders are read":
        kill_on_call(ingesting, "read_file", nth=40)
    elif point == "while the new segments are written":
        kill_on_call(BulkSegmentWriter, "add_document", nth=100)
    elif point == "while the new metadata is written":
        kill_on_call(store_meta, "atomic_write_bytes")
    elif point == "after the new metadata, before the table of contents":
        kill_on_call(whoosh.index.TOC, "write")
    elif point == "before the new table of contents is renamed into place":
        kill_on_call(FileStorage, "rename_file")
    elif point == "after the table of contents, before the old files are deleted":
        kill_on_call(whoosh.index, "clean_files")
    elif point == "right after the commit":
        kill_on_call(whoosh.writing.SegmentWriter, "commit", after=True)
    else:  # pragma: no cover
        raise ValueError(point)


#: where a rebuild is killed → the generation that must be there afterwards
REBUILD_POINTS = {
    "while the folders are read": "old",
    "while the new segments are written": "old",
    "while the new metadata is written": "old",
    "after the new metadata, before the table of contents": "old",
    "before the new table of contents is renamed into place": "old",
    "after the table of contents, before the old files are deleted": "new",
    "right after the commit": "new",
}


@pytest.mark.parametrize("point", list(REBUILD_POINTS))
def test_a_rebuild_killed_at_a_named_point_keeps_a_whole_generation(
    tmp_path: Path, corpora: dict[str, Path], point: str
):
    """Killed at each delicate point, the index holds the generation that point implies
    (the old one until the new table of contents is renamed into place), opens with that
    generation's lexicon, and the rebuild can be run again."""
    path = tmp_path / "ix"
    shutil.copytree(corpora["template"], path)

    def target(report: Callable[[str], None]) -> None:
        _arm(point)
        _rebuilder(path, corpora)(report)

    child = fork_child(target)
    child.read_lines(60)
    child.kill()
    assert child.status is not None and os.WIFSIGNALED(child.status), "the kill point was hit"
    assert os.WTERMSIG(child.status) == signal.SIGKILL
    assert _generation(path) == REBUILD_POINTS[point]
    assert check_index(path).healthy
    _finish(path, corpora)


def test_a_rebuild_that_fails_midway_leaves_the_old_index_and_no_files(
    tmp_path: Path, corpora: dict[str, Path], monkeypatch: pytest.MonkeyPatch
):
    """An error in the middle of a rebuild (here a bug in the writer) propagates as itself,
    not as damage; the old index, its metadata and its files are exactly as they were."""
    from corpus_search.store.writer import BulkSegmentWriter

    path = tmp_path / "ix"
    shutil.copytree(corpora["template"], path)
    before = {p.name: p.read_bytes() for p in path.iterdir() if p.name != "MAIN_WRITELOCK"}
    original = BulkSegmentWriter.add_document
    calls = []

    def failing(self: BulkSegmentWriter, **fields: object) -> None:
        calls.append(1)
        if len(calls) == 50:
            raise RuntimeError("a bug in the writer")
        original(self, **fields)

    monkeypatch.setattr(BulkSegmentWriter, "add_document", failing)
    with pytest.raises(RuntimeError, match="a bug in the writer"):
        rebuild_index(path, [corpora["new"]], lexicon=[corpora["lexicon"]], procs=1)
    after = {p.name: p.read_bytes() for p in path.iterdir() if p.name != "MAIN_WRITELOCK"}
    assert after == before
    assert _generation(path) == "old"


# -- searches in other processes during rebuilds ---------------------------------------------


def _kind_after(n: int) -> str:
    """The corpus the index holds after ``n`` rebuilds by :func:`_flipper` (first: old)."""
    return "New" if n % 2 else "Old"


def _searcher(path: Path, shared: Any, slot: int, fresh: bool
              ) -> Callable[[Callable[[str], None]], None]:
    """Search until the flipper is done, noting in ``shared.seen[slot]`` the newest rebuild
    whose corpus a search began after and saw; report problems as they come, and at the end
    how many searches saw each corpus (a line a search could fill the pipe, and stop the
    reader, before the parent reads it)."""

    def target(report: Callable[[str], None]) -> None:
        warm = None if fresh else CorpusIndex.open(path)
        seen: Counter[str] = Counter()
        while not shared.done.value:
            rebuilt = shared.rebuilt.value
            try:
                ix = CorpusIndex.open(path) if fresh else warm
                assert ix is not None
                results = ix.search("parliament", limit=200, highlight=False)
                kinds = {hit.title.split()[0] for hit in results.hits}
                expected = {"Old": OLD_FILES, "New": NEW_FILES}
                kind = kinds.pop() if len(kinds) == 1 else None
                # the searcher the index hands out is paired with the lexicon it reports
                searcher = ix.searcher()
                paired = next(searcher.all_stored_fields())["title"].split()[0]
                if kind is None or results.total != expected[kind]:
                    report(f"BAD total={results.total} kinds={sorted(kinds)}")
                elif (paired == "New") != bool(ix.lexicon.extra_paths):
                    report(f"BAD the {paired} generation paired with the wrong lexicon")
                else:
                    seen[f"ok {kind}"] += 1
                    if kind == _kind_after(rebuilt):
                        shared.seen[slot] = max(shared.seen[slot], rebuilt)
                if fresh:
                    ix.close()
            except Exception as exc:
                report(f"ERROR {type(exc).__name__}: {exc}".replace("\n", " "))
        for line, n in seen.items():
            report(f"{line} {n}")

    return target


def _flipper(path: Path, corpora: dict[str, Path], shared: Any, seconds: float, least: int):
    """Rebuild the index back and forth for ``seconds`` and at least ``least`` times, each
    rebuild once both readers have seen the one before (so that they search during each,
    however loaded the machine), and then say it is done."""

    def target(report: Callable[[str], None]) -> None:
        deadline = time.monotonic() + seconds
        n = 0
        try:
            while n < least or time.monotonic() < deadline:
                hang = time.monotonic() + 120  # (a reader that stopped: fail, not hang)
                while min(shared.seen) < n:
                    assert time.monotonic() < hang, f"the readers never saw rebuild {n}"
                    time.sleep(0.01)
                if n % 2 == 0:
                    rebuild_index(path, [corpora["new"]], lexicon=[corpora["lexicon"]], procs=1,
                                  lock_timeout=60)
                else:
                    rebuild_index(path, [corpora["old"]], lexicon=[], procs=1, lock_timeout=60)
                n += 1
                shared.rebuilt.value = n
                report(f"rebuilt {n}")
            hang = time.monotonic() + 120
            while min(shared.seen) < n and time.monotonic() < hang:
                time.sleep(0.01)  # (each reader searches the last rebuild's corpus too)
        finally:
            shared.done.value = 1

    return target


def _search_during_rebuilds(tmp_path: Path, corpora: dict[str, Path], seconds: float) -> None:
    import multiprocessing
    from types import SimpleNamespace

    path = tmp_path / "ix"
    shutil.copytree(corpora["template"], path)
    shared = SimpleNamespace(done=multiprocessing.RawValue("b", 0),
                             rebuilt=multiprocessing.RawValue("q", 0),
                             seen=multiprocessing.RawArray("q", [0, 0]))
    readers = [fork_child(_searcher(path, shared, slot, fresh))
               for slot, fresh in enumerate((True, False))]
    writer = fork_child(_flipper(path, corpora, shared, seconds, least=3))
    assert writer.join(seconds + 600) == 0, writer.lines
    seen: Counter[str] = Counter()
    for reader in readers:
        assert reader.join(120) == 0
        problems = [line for line in reader.lines if not line.startswith("ok ")]
        assert not problems, problems[:5]
        seen.update({line.rsplit(" ", 1)[0]: int(line.rsplit(" ", 1)[1]) for line in reader.lines})
    rebuilds = sum(line.startswith("rebuilt") for line in writer.lines)
    print(f"\n{rebuilds} rebuilds, {sum(seen.values())} searches in other processes: "
          f"{dict(seen)}")
    assert rebuilds >= 3 and list(shared.seen) == [rebuilds] * 2, (rebuilds, dict(seen))
    assert seen["ok Old"] and seen["ok New"], dict(seen)


def test_searches_in_other_processes_see_the_old_index_or_the_new_one_never_an_empty_one(
    tmp_path: Path, corpora: dict[str, Path]
):
    """While one process rebuilds the index back and forth between two corpora built with
    different lexicons, processes searching it (a fresh CorpusIndex per search, and a
    long-lived one) always succeed, and each search sees all of one corpus, with the lexicon
    that built it."""
    _search_during_rebuilds(tmp_path, corpora, 6.0)


@pytest.mark.stress
def test_searches_during_many_rebuilds_never_fail(tmp_path: Path, corpora: dict[str, Path]):
    """The same over 40 s (``-m stress``)."""
    _search_during_rebuilds(tmp_path, corpora, 40.0)


def test_the_rebuild_command_killed_at_random_leaves_a_searchable_index(
    tmp_path: Path, corpora: dict[str, Path], cli_env: dict[str, str]
):
    """``corpus-search index NEW --index IX --rebuild`` SIGKILLed at random moments: the index
    is the old one or the new one, and the same command then exits 0 with the new one."""
    rng = random.Random(SEED)
    command = [*corpus_search_command(), "index", str(corpora["new"]), "--lexicon",
               str(corpora["lexicon"]), "--rebuild", "--json", "--procs", "1"]
    started = time.perf_counter()
    full = tmp_path / "full"
    shutil.copytree(corpora["template"], full)
    done = subprocess.run([*command, "--index", str(full)], env=cli_env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seconds = time.perf_counter() - started
    outcomes: Counter[str] = Counter()
    for trial in range(3):
        path = tmp_path / f"ix{trial}"
        shutil.copytree(corpora["template"], path)
        proc = subprocess.Popen([*command, "--index", str(path)], env=cli_env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(seconds * 0.3, seconds * 0.95))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcomes[_generation(path)] += 1
        again = subprocess.run([*command, "--index", str(path)], env=cli_env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
        assert _generation(path) == "new"
    print(f"\nCLI rebuild kill trials ({seconds:.2f} s per rebuild): {dict(outcomes)}")


def test_a_long_lived_index_follows_a_rebuild_with_another_lexicon(
    tmp_path: Path, corpora: dict[str, Path]
):
    """An instance opened before another process's rebuild (with another lexicon) searches
    the new index with the new lexicon, writes new documents analysed with it, and never
    writes its old lexicon's record over the new generation's."""
    from corpus_search import Document

    path = tmp_path / "ix"
    shutil.copytree(corpora["template"], path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with CorpusIndex(path) as searching, CorpusIndex(path) as recording:
        assert searching.search("parliament").total == OLD_FILES
        child = fork_child(_rebuilder(path, corpora))
        assert child.join() == 0, child.lines
        assert searching.search("parliament").total == NEW_FILES
        assert searching.lexicon.extra_paths, "still searching with the old lexicon"
        searching.add_documents([Document(id="late", title="Late", body="The Zorblaxers.")])
        assert "late" in {h.id for h in searching.search('"Zorblax Party"', limit=500).hits}
        recording.index_directory(empty)  # a folder record only: nothing to write
    searching.delete("late")
    assert _generation(path) == "new"
