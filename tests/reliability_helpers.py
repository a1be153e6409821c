"""Shared machinery for the reliability tests: child processes that can be SIGKILLed, a
deterministic batched workload whose committed states are all known in advance, and checks.

Child processes are made with ``os.fork()`` from the test process, which already has
corpus_search imported, so a child starts in a millisecond and a kill can land anywhere in
its work (including before the index folder exists). The child reports progress as lines on a
pipe; the parent reads them with a timeout and kills the child with SIGKILL whenever it likes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import SEEDS

#: Environment variables that scale the trials (defaults keep the suite fast).
CRASH_TRIALS_ENV = "CORPUS_SEARCH_CRASH_TRIALS"
CRASH_SEED_ENV = "CORPUS_SEARCH_CRASH_SEED"
FUZZ_EXAMPLES_ENV = "CORPUS_SEARCH_FUZZ_EXAMPLES"


def env_int(name: str, default: int) -> int:
    """An integer from the environment, or ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# -- the batched workload ---------------------------------------------------------------------

BATCHES = 12
DOCS_PER_BATCH = 5
#: short bodies keep a full run of the workload near a second, so many trials stay cheap
_SEED_TEXTS = [p.read_text(encoding="utf-8")[:600] for p in sorted(SEEDS.glob("*.txt"))]


def batch_documents(k: int) -> list:
    """Documents of batch ``k``: new ones, plus a revision of one document of batch ``k - 1``.

    The revision makes every commit also delete a document, so merges have deletions to drop.
    """
    from corpus_search import Document

    docs = []
    for i in range(DOCS_PER_BATCH):
        text = _SEED_TEXTS[(k * DOCS_PER_BATCH + i) % len(_SEED_TEXTS)]
        docs.append(
            Document(
                id=f"b{k:02d}-{i}",
                title=f"Batch {k} item {i} on parliament",
                body=f"Parliament batch {k} item {i}.\n{text}",
            )
        )
    if k > 0:
        docs.append(
            Document(
                id=f"b{k - 1:02d}-0",
                title=f"Batch {k - 1} item 0 on parliament, revised in batch {k}",
                body=f"A revised parliament report.\n{_SEED_TEXTS[k % len(_SEED_TEXTS)]}",
            )
        )
    return docs


def expected_state(k: int) -> dict[str, str]:
    """``{id: title}`` of the index after batches ``0..k`` committed (``k = -1``: none)."""
    state: dict[str, str] = {}
    for n in range(k + 1):
        for doc in batch_documents(n):
            state[doc.id] = doc.title
    return state


def index_state(path: Path) -> dict[str, str]:
    """``{id: title}`` of every document in the index at ``path`` (opening or creating it)."""
    from corpus_search import CorpusIndex

    with CorpusIndex(path) as ix:
        return {f["id"]: f["title"] for f in ix.searcher().all_stored_fields()}


def which_commit(state: dict[str, str]) -> int | None:
    """The ``k`` whose committed state ``state`` is exactly, or ``None`` if it is none of them."""
    for k in range(-1, BATCHES):
        if state == expected_state(k):
            return k
    return None


def write_batches(path: Path, report: Callable[[str], None], procs: int = 1) -> None:
    """Open (or create) the index and commit every batch, reporting ``"<k>"`` after each."""
    from corpus_search import CorpusIndex

    with CorpusIndex(path) as ix:
        report("open")
        for k in range(BATCHES):
            ix.add_documents(batch_documents(k), procs=procs)
            report(str(k))
    report("done")


# -- forked children ------------------------------------------------------------------------


@dataclass
class Child:
    """A forked child process with a line-oriented report pipe."""

    pid: int
    fd: int
    lines: list[str] = field(default_factory=list)
    _buffer: bytes = b""
    status: int | None = None

    def read_lines(self, timeout: float) -> list[str]:
        """Lines reported within ``timeout`` seconds (returns early at end of pipe)."""
        deadline = time.monotonic() + timeout
        new: list[str] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            # poll, not select: a test process can hold more than FD_SETSIZE (1024)
            # descriptors (file objects of closed indexes waiting for the cyclic collector)
            poller = select.poll()
            poller.register(self.fd, select.POLLIN | select.POLLHUP)
            if not poller.poll(left * 1000):
                break
            chunk = os.read(self.fd, 65536)
            if not chunk:
                break
            self._buffer += chunk
            *complete, self._buffer = self._buffer.split(b"\n")
            new.extend(line.decode() for line in complete)
        self.lines.extend(new)
        return new

    def wait_for(self, line: str, timeout: float = 30.0) -> None:
        """Block until the child reports ``line``; fail if it dies or times out first."""
        deadline = time.monotonic() + timeout
        while line not in self.lines:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"child did not report {line!r} in {timeout} s: {self.lines}")
            before = len(self.lines)
            self.read_lines(min(left, 0.2))
            if len(self.lines) == before and self.poll() is not None:
                self.read_lines(0.1)
                if line not in self.lines:
                    raise AssertionError(f"child exited ({self.status}) before {line!r}")

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def kill(self) -> None:
        """SIGKILL the child (if alive), reap it and collect whatever it had reported."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        self.read_lines(0.05)
        os.close(self.fd)

    def join(self, timeout: float = 60.0) -> int:
        """Wait for a normal exit; return the exit code (SIGKILL it and fail on timeout)."""
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            self.read_lines(0.05)
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"child {self.pid} still running after {timeout} s")
        self.read_lines(0.05)
        os.close(self.fd)
        assert self.status is not None
        return os.waitstatus_to_exitcode(self.status)

    @property
    def last_reported_batch(self) -> int:
        done = [int(x) for x in self.lines if x.isdigit()]
        return max(done, default=-1)


def fork_child(target: Callable[[Callable[[str], None]], None]) -> Child:
    """Run ``target(report)`` in a forked child; ``report(line)`` sends a line to the parent.

    The child leaves with ``os._exit`` (no cleanup of the parent's state): code 0 on success,
    70 after printing the traceback of an exception.
    """
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            os.close(read_fd)

            def report(line: str) -> None:
                os.write(write_fd, f"{line}\n".encode())

            target(report)
        except BaseException:
            traceback.print_exc()
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    return Child(pid, read_fd)


def become_nobody() -> None:
    """Drop a forked child to the user nobody (as root, file modes do not stop reading).

    First import what the product imports lazily and look up every codec it decodes with,
    by indexing and searching files of each kind: nobody cannot read the interpreter's own
    files on a machine where Python lives under /root, and a lazy import (``utf-8-sig``
    from the first file with a byte-order mark, say) would then fail only in test orders
    where no earlier test in this process had needed it.
    """
    if os.geteuid() != 0:
        return
    import codecs
    import importlib
    import pkgutil
    import shutil
    import tempfile

    import corpus_search
    from corpus_search import CorpusIndex

    for module in pkgutil.walk_packages(corpus_search.__path__, "corpus_search."):
        with contextlib.suppress(ImportError):  # an optional extra that is not installed
            importlib.import_module(module.name)
    for name in ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "ascii"):
        codecs.lookup(name)
    warm = Path(tempfile.mkdtemp(prefix="cs-warm-"))
    try:
        corpus = warm / "corpus"
        shutil.copytree(SEEDS, corpus)
        text = "Warm up\n\nThe Liberal Democrats won the by-election on 5 May 2005.\n"
        (corpus / "bom.txt").write_bytes(text.encode("utf-8-sig"))
        (corpus / "wide.txt").write_bytes(text.encode("utf-16"))
        (corpus / "windows.txt").write_bytes(text.replace("won", "won \u2013").encode("cp1252"))
        (corpus / "page.html").write_text(
            f"<html><head><title>Warm up</title></head><body><p>{text}</p></body></html>",
            encoding="utf-8")
        with CorpusIndex(warm / "ix") as ix:
            ix.index_directory(corpus)
            hit = ix.search("Lib Dems by-election").hits[0]
            ix.similar(hit.id)
            ix.stats()
    finally:
        shutil.rmtree(warm)
    os.setgid(65534)
    os.setuid(65534)


def self_kill() -> None:
    """SIGKILL the calling process: a crash at exactly this line."""
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(60)  # pragma: no cover - never reached


@contextlib.contextmanager
def patched(obj: object, name: str, replacement: object) -> Iterator[None]:
    """Temporarily replace ``obj.name`` (used inside forked children to place a crash)."""
    original = getattr(obj, name)
    setattr(obj, name, replacement)
    try:
        yield
    finally:
        setattr(obj, name, original)


def kill_on_call(obj: object, name: str, *, after: bool = False, nth: int = 1) -> None:
    """Make the ``nth`` call of ``obj.name`` SIGKILL the process (before or after it runs)."""
    original = getattr(obj, name)
    calls = [0]

    def wrapper(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == nth and not after:
            self_kill()
        result = original(*args, **kwargs)
        if calls[0] == nth and after:
            self_kill()
        return result

    setattr(obj, name, wrapper)


# -- readable errors --------------------------------------------------------------------------

_INTERNAL_MARKERS = (
    "Traceback (most recent call last)",
    'File "',
    " object at 0x",
    "<whoosh.",
    "<corpus_search.",
    "whoosh.query.",
)


def assert_readable(message: str) -> None:
    """A message meant for a person: non-empty, no traceback, no raw repr of internals."""
    assert message.strip(), "the error message is empty"
    for marker in _INTERNAL_MARKERS:
        assert marker not in message, f"error message shows internals ({marker!r}): {message!r}"


# -- a full disk, injected at the write layer -------------------------------------------------


class DiskBudget:
    """Free space of a pretend disk holding one folder: writes use it up, and past it a write
    fails with ENOSPC (the part that still fits is written first); deleting or replacing a
    file in the folder gives its bytes back, as on a real disk. ``peak`` is the most space
    used at any moment: a limit under it fails the write somewhere."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0
        self.peak = 0

    def take(self, size: int) -> int:
        """Room for ``size`` more bytes (all of it, or what is left)."""
        if self.limit is None:
            return size
        return max(min(size, self.limit - self.used), 0)


class _BudgetedFile:
    """A file opened for writing whose writes draw on a :class:`DiskBudget`."""

    def __init__(self, raw: Any, budget: DiskBudget) -> None:
        self._raw = raw
        self._budget = budget

    def write(self, data: Any) -> int:
        budget = self._budget
        room = budget.take(len(data))
        if room < len(data):
            if room:
                self._raw.write(data[:room])
                budget.used += room
            raise OSError(errno.ENOSPC, "No space left on device")
        budget.used += len(data)
        budget.peak = max(budget.peak, budget.used)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __enter__(self) -> _BudgetedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._raw)


def limit_disk(folder: Path, limit: int | None) -> DiskBudget:
    """From now on in this process, the folder ``folder`` behaves as if its disk had
    ``limit`` bytes free (``None``: unlimited, only counted). Every file the library writes
    (segments, tables of contents, metadata) is opened with the built-in ``open`` and
    removed or replaced with ``os.remove``, ``os.unlink`` or ``os.replace``/``os.rename``."""
    import builtins

    budget = DiskBudget(limit)
    prefix = os.path.abspath(folder) + os.sep

    def inside(path: Any) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.path.abspath(path).startswith(prefix)

    def size(path: Any) -> int:
        try:
            return os.lstat(path).st_size if inside(path) else 0
        except OSError:
            return 0

    real_open = builtins.open

    def budgeted_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        writing = any(flag in mode for flag in "wax+")
        freed = size(file) if writing and "w" in mode else 0  # truncating gives space back
        handle = real_open(file, mode, *args, **kwargs)
        if writing and inside(file):
            budget.used -= freed
            return _BudgetedFile(handle, budget)
        return handle

    def freeing(op: Callable[..., Any], argument: int) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            freed = size(args[argument]) if "dir_fd" not in kwargs else 0
            result = op(*args, **kwargs)
            budget.used -= freed
            return result

        return wrapper

    builtins.open = budgeted_open
    os.remove = freeing(os.remove, 0)
    os.unlink = freeing(os.unlink, 0)
    os.replace = freeing(os.replace, 1)
    os.rename = freeing(os.rename, 1)
    return budget
