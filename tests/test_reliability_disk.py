"""A full disk or a folder that cannot be written: the write fails with one clear line that
names the disk or folder (never "damaged"), the files of the unfinished write are removed (they
would keep the disk full), and the index keeps its last commit, intact and searchable.

Two ways to fill a disk:

* injected (default suite): a forked child makes every file written into the index folder draw
  on a byte budget (``reliability_helpers.limit_disk``) and fail with ENOSPC once it is spent;
  budgets are spread over the whole write (segments, compound files, table of contents,
  metadata), with the index command and with a rebuild. ``CORPUS_SEARCH_DISK_TRIALS`` sets the
  number of budgets (default 8 each; ``-m stress`` runs 60).
* real (``-m stress``, needs root): a small tmpfs really fills up.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SEEDS
from corpus_search import CorpusIndex, IndexWriteError
from corpus_search.index import rebuild_index
from corpus_search.store.check import check_index
from reliability_helpers import assert_readable, become_nobody, env_int, fork_child, limit_disk

TRIALS = env_int("CORPUS_SEARCH_DISK_TRIALS", 8)
STRESS_TRIALS = env_int("CORPUS_SEARCH_DISK_TRIALS", 60)
_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _corpus(root: Path, files: int, tag: str) -> Path:
    for n in range(files):
        (root / f"part{n % 3}").mkdir(parents=True, exist_ok=True)
        (root / f"part{n % 3}" / f"{tag}{n:03d}.txt").write_text(
            f"{tag.title()} report {n}\n\nParliament heard report {n}.\n{_TEXTS[n % len(_TEXTS)]}",
            encoding="utf-8",
        )
    return root


def _state(path: Path) -> dict[str, str]:
    with CorpusIndex.open(path) as ix:
        return {f["id"]: f["title"] for f in ix.searcher().all_stored_fields()}


def _listing(path: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in path.iterdir() if p.name != "MAIN_WRITELOCK"}


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """An index holding corpus ``old`` (its last commit), and a larger corpus ``new``."""
    base = tmp_path_factory.mktemp("disk")
    old = _corpus(base / "old", 12, "old")
    new = _corpus(base / "new", 60, "new")
    template = base / "template"
    with CorpusIndex(template) as ix:
        ix.index_directory(old, procs=1)
    return template, old, new


def _counted_run(template: Path, where: Path, job: Callable[[Path], None]) -> tuple[int, dict]:
    """The most disk space ``job`` uses at once on a copy of the index when the disk has room
    (measured in a child, as the trials run), and the index it leaves."""
    index = where / "ix"
    shutil.copytree(template, index)

    def target(report: Callable[[str], None]) -> None:
        budget = limit_disk(index, None)
        job(index)
        report(str(budget.peak))

    child = fork_child(target)
    assert child.join() == 0, child.lines
    state = _state(index)
    shutil.rmtree(where)
    return int(child.lines[-1]), state


def _trial(template: Path, where: Path, budget: int, job: Callable[[Path], None]) -> str | None:
    """Run ``job`` on a copy of the index with ``budget`` bytes of disk; return the error."""
    index = where / "ix"
    shutil.copytree(template, index)

    def target(report: Callable[[str], None]) -> None:
        limit_disk(index, budget)
        error = None
        try:
            job(index)
        except IndexWriteError as exc:
            error = str(exc)
        report(json.dumps({"error": error, "held": _deleted_but_open(index)}))

    child = fork_child(target)
    assert child.join() == 0, f"budget {budget}: the child failed: {child.lines}"
    outcome = json.loads(child.lines[-1])
    assert not outcome["held"], (
        f"budget {budget}: deleted files still open (their space is not given back): "
        f"{outcome['held']}"
    )
    return outcome["error"]


def _deleted_but_open(folder: Path) -> list[str]:
    """Files in ``folder`` that were deleted but that this process still holds open (Linux;
    elsewhere none are found). On a full disk their space stays used."""
    held = []
    with contextlib.suppress(OSError):
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/self/fd/{fd}")
                if target.startswith(str(folder)) and target.endswith(" (deleted)"):
                    held.append(target)
    return held


def _assert_failed_cleanly(
    template: Path, index: Path, message: str | None, budget: int
) -> None:
    assert message is not None, f"budget {budget}: the write did not fail"
    assert_readable(message)
    assert "\n" not in message
    assert "Could not write" in message and str(index) in message, message
    assert "disk" in message and "is full" in message and "No space left" in message, message
    assert "damaged" not in message.lower() and "rebuild" not in message.lower(), message
    assert _state(index) == _state(template), f"budget {budget}: the last commit changed"
    assert _listing(index) == _listing(template), (
        f"budget {budget}: files of the failed write were left: "
        f"{sorted(set(_listing(index)) - set(_listing(template)))}"
    )
    assert check_index(index).healthy


def _budgets(total: int, trials: int) -> list[int]:
    """``trials`` budgets of free space spread below the ``total`` a write needs (the first
    is 0)."""
    return sorted({total * k // trials for k in range(trials)})


def _disk_trials(
    committed: tuple[Path, Path, Path], tmp_path: Path, trials: int,
    job_for: Callable[[Path], Callable[[Path], None]],
) -> int:
    template, _old, new = committed
    job = job_for(new)
    total, complete = _counted_run(template, tmp_path / "count", job)
    budgets = _budgets(total, trials)
    for n, budget in enumerate(budgets):
        where = tmp_path / f"t{n}"
        message = _trial(template, where, budget, job)
        _assert_failed_cleanly(template, where / "ix", message, budget)
        job(where / "ix")  # with room again, the same command completes
        assert _state(where / "ix") == complete
        shutil.rmtree(where)
    print(f"\n{len(budgets)} full-disk trials below the {total} bytes the write needs: all "
          "failed cleanly")
    return len(budgets)


def _incremental(new: Path) -> Callable[[Path], None]:
    def job(index: Path) -> None:
        with CorpusIndex(index) as ix:
            ix.index_directory(new, procs=1)

    return job


def _rebuild(new: Path) -> Callable[[Path], None]:
    def job(index: Path) -> None:
        rebuild_index(index, [new], procs=1)

    return job


def test_a_full_disk_while_indexing_a_folder_is_a_write_failure_that_keeps_the_last_commit(
    committed: tuple[Path, Path, Path], tmp_path: Path
):
    """Whatever write the disk fills up on: IndexWriteError naming the disk and saying it is
    full, the index exactly at its last commit (and healthy by check_index), no file of the
    failed write left behind; with room again the same indexing completes."""
    _disk_trials(committed, tmp_path, TRIALS, _incremental)


def test_a_full_disk_during_a_rebuild_keeps_the_old_index(
    committed: tuple[Path, Path, Path], tmp_path: Path
):
    """The same for a rebuild: the old index stays, whole, and nothing of the new one."""
    _disk_trials(committed, tmp_path, TRIALS, _rebuild)


@pytest.mark.stress
@pytest.mark.parametrize("job_for", [_incremental, _rebuild], ids=["index", "rebuild"])
def test_many_full_disk_points_fail_cleanly(
    committed: tuple[Path, Path, Path], tmp_path: Path,
    job_for: Callable[[Path], Callable[[Path], None]],
):
    """The same properties over many more budgets (``-m stress``)."""
    _disk_trials(committed, tmp_path, STRESS_TRIALS, job_for)


_CLI_WITH_BUDGET = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from reliability_helpers import limit_disk
limit_disk(Path({index!r}), {budget})
from corpus_search.cli import main
sys.argv = ["corpus-search", *{args!r}]
main()
"""


def test_the_index_command_on_a_full_disk_prints_one_line_and_exits_2(
    committed: tuple[Path, Path, Path], tmp_path: Path, cli_env: dict[str, str]
):
    """``corpus-search index`` (and ``--rebuild``) on a full disk: exit 2, one line on stderr
    naming the disk, no traceback, the index as it was."""
    template, _old, new = committed
    for n, extra in enumerate(([], ["--rebuild"])):
        index = tmp_path / f"ix{n}"
        shutil.copytree(template, index)
        args = ["index", str(new), "--index", str(index), "--procs", "1", *extra]
        script = _CLI_WITH_BUDGET.format(tests=str(Path(__file__).parent), index=str(index),
                                         budget=20_000, args=args)
        result = subprocess.run([sys.executable, "-c", script], env=cli_env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: Could not write"), lines
        assert "is full" in lines[0] and str(index) in lines[0]
        assert "Traceback" not in result.stderr
        assert _state(index) == _state(template)
        assert _listing(index) == _listing(template)


def test_a_new_index_that_a_full_disk_stops_is_not_made_and_the_error_does_not_say_it_is_kept(
    committed: tuple[Path, Path, Path], tmp_path: Path
):
    """The first write into a new index fails: the index it made is taken away, and the
    line says the index could not be created. ("The index keeps its last completed commit"
    told of an index, and a commit, that were not there.)"""
    _template, old, _new = committed
    index = tmp_path / "new-ix"

    def target(report: Callable[[str], None]) -> None:
        limit_disk(index, 10_000)
        with CorpusIndex(index, create="on_write") as ix:
            try:
                ix.index_directory(old, procs=1)
            except IndexWriteError as exc:
                report(str(exc))

    child = fork_child(target)
    assert child.join() == 0, child.lines
    message = child.lines[-1]
    assert message.startswith(f"Could not create an index at {index}: the disk holding "
                              f"{index} is full (No space left on device; "), message
    assert message.endswith("; free some space there and run the same command again."), message
    assert "keeps" not in message and "commit" not in message
    assert not index.exists()


# -- output to a disk that fills ------------------------------------------------------------

#: a command run with standard output as ``python -u`` or PYTHONUNBUFFERED=1 (set in many
#: container images) makes it, the raw file under the text layer, a file (descriptor 1) on a
#: disk with ``room`` bytes free: a write takes what fits (a short write, as the kernel's),
#: then ENOSPC; once descriptor 1 is another file (/dev/null), writes go there
_CLI_ON_A_FILLING_DISK = """
import errno, io, os, sys, tempfile
class FillingDisk(io.RawIOBase):
    def __init__(self, room):
        self.room, self.data = room, bytearray()
        self.kept = tempfile.TemporaryFile()
        os.dup2(self.kept.fileno(), 1)
        self.file = os.fstat(1).st_ino
    def writable(self):
        return True
    def fileno(self):
        return 1
    def write(self, b):
        if os.fstat(1).st_ino != self.file:
            return len(b)
        if not self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        taken = bytes(b[:self.room])
        self.data += taken
        self.room -= len(taken)
        return len(taken)
disk = FillingDisk({room})
sys.stdout = io.TextIOWrapper(disk, encoding="utf-8", write_through=True)
sys.argv = ["corpus-search", *{args!r}]
from corpus_search.cli import main
try:
    main()
finally:
    sys.stderr.write(f"written: {{len(disk.data)}}\\n")
"""


@pytest.mark.parametrize("args", [["search", "*", "--json"], ["list", "--json"],
                                  ["search", "*", "--limit", "100"]])
def test_output_cut_short_by_a_full_disk_is_an_error_not_a_short_file_and_exit_0(
    args: list[str], small_index, cli_env: dict[str, str]
):
    """``search --json > out.json`` on a disk that fills part way: exit 2 and one line
    saying so. Unbuffered (PYTHONUNBUFFERED=1), Python's text layer dropped what a short
    write left over without an error, so that the command left a cut-off file and exited 0
    (a script went on to read half a JSON document)."""
    script = _CLI_ON_A_FILLING_DISK.format(room=1000, args=[*args, "--index",
                                                            str(small_index.path)])
    result = subprocess.run([sys.executable, "-c", script], env=cli_env,
                            capture_output=True, text=True, timeout=120)
    assert result.stderr.splitlines() == ["error: No space left on device", "written: 1000"]
    assert result.returncode == 2


# -- a folder that cannot be written ---------------------------------------------------------


@pytest.mark.parametrize("lock", ["absent", "writable"])
def test_an_index_folder_that_cannot_be_written_is_a_cannot_write_error_not_damage(
    committed: tuple[Path, Path, Path], lock: str
):
    """A user who may read the index but not write its folder: indexing and rebuilding raise
    IndexWriteError ("no permission to write"), searching still works, nothing changes
    (whether the lock file can be taken or not). As root the user is played by a child that
    drops to ``nobody``."""
    import tempfile

    template, _old, new = committed
    base = Path(tempfile.mkdtemp(prefix="cs-readonly-"))  # outside root-only pytest folders
    try:
        index = shutil.copytree(template, base / "ix")
        new_copy = shutil.copytree(new, base / "new")
        for path in [base, *base.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (index / "MAIN_WRITELOCK").unlink(missing_ok=True)
        if lock == "writable":
            (index / "MAIN_WRITELOCK").touch()
            (index / "MAIN_WRITELOCK").chmod(0o666)
        before = _listing(index)

        def target(report: Callable[[str], None]) -> None:
            become_nobody()
            with CorpusIndex.open(index) as ix:
                report(f"search {ix.search('parliament').total}")
            for name, job in (("index", _incremental(new_copy)), ("rebuild", _rebuild(new_copy))):
                try:
                    job(index)
                    report(f"{name} succeeded")
                except IndexWriteError as exc:
                    report(f"{name} {exc}")

        child = fork_child(target)
        assert child.join() == 0, child.lines
        assert child.lines[0] == f"search {len(_state(template))}"
        assert len(child.lines) == 3
        for line in child.lines[1:]:
            assert "Could not write" in line and "no permission to write" in line, line
            assert "damaged" not in line
        assert _state(index) == _state(template)
        assert _listing(index) == before
    finally:
        shutil.rmtree(base)


def test_creating_an_index_where_the_user_may_not_write_is_a_one_line_error():
    """No permission to create the index folder: IndexWriteError ("Could not create an
    index at …: no permission …"), not a traceback, and nothing is created."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="cs-nocreate-"))
    try:
        base.chmod(0o755)

        def target(report: Callable[[str], None]) -> None:
            warm = Path(tempfile.mkdtemp(prefix="cs-warm-"))
            CorpusIndex(warm / "ix").close()  # lazy imports and data, read while still root
            shutil.rmtree(warm)
            become_nobody()
            try:
                CorpusIndex(base / "sub" / "ix")
                report("created")
            except IndexWriteError as exc:
                report(str(exc))

        child = fork_child(target)
        assert child.join() == 0, child.lines
        message = child.lines[-1]
        assert message.startswith(f"Could not create an index at {base / 'sub' / 'ix'}")
        assert "no permission to write" in message
        assert_readable(message)
        assert list(base.iterdir()) == []
    finally:
        shutil.rmtree(base)


# -- a real full disk (root only) ------------------------------------------------------------


@pytest.mark.stress
def test_a_real_full_disk_reports_the_disk_frees_the_space_and_keeps_the_last_commit(
    committed: tuple[Path, Path, Path], tmp_path: Path
):
    """On small tmpfs disks (12 sizes, so the disk fills at different points of the write):
    indexing a corpus that does not fit fails with IndexWriteError naming the mount point,
    the space the failed write took is given back, and the index keeps its last commit."""
    import gc

    template, _old, _new = committed
    big = _corpus(tmp_path / "big", 400, "big")
    template_size = sum(p.stat().st_size for p in template.iterdir())
    trials = 0
    for n in range(12):
        size_kb = template_size // 1024 + 32 + 48 * n
        mount = tmp_path / f"disk{n}"
        mount.mkdir()
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mount)],
            capture_output=True, text=True,
        )
        if made.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {made.stderr.strip()}")
        try:
            index = mount / "ix"
            shutil.copytree(template, index)
            free_before = shutil.disk_usage(mount).free
            with pytest.raises(IndexWriteError) as info, CorpusIndex(index) as ix:
                ix.index_directory(big, procs=1)
            message = str(info.value)
            assert f"mounted at {mount}" in message and "is full" in message, message
            assert shutil.disk_usage(mount).free >= free_before - 8192, "space not given back"
            assert _state(index) == _state(template)
            assert _listing(index) == _listing(template)
            assert check_index(index).healthy
            trials += 1
        finally:
            gc.collect()  # closed indexes' file objects wait in reference cycles
            if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
                subprocess.run(["umount", "-l", str(mount)], check=False)
    print(f"\n{trials} real full-disk trials (tmpfs): all failed cleanly")
