"""Process helpers of parallel builds: how many processes, whether they can fork, shares of
equal cost, progress summed from workers, workers leaving with their parent, and a map over a
list whose later shares forked processes compute meanwhile.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from pickle import dumps, loads
from typing import Any, TypeVar

from whoosh.multiproc import SubWriterTask


def can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    # a daemonic process (a multiprocessing pool worker, say) may not have children
    return not multiprocessing.current_process().daemon


def auto_procs(doc_count: int) -> int:
    """Writer processes for a batch of ``doc_count`` documents: one per core (at most 4)
    for large batches, else one. Each bulk-writer worker analyses, finds parties and writes
    its own segments, so workers pay off on 2 cores as well (BBC, 2,225 documents: see
    docs/architecture.md); below ~500 documents forking costs more than it saves."""
    cores = _available_cores()
    if doc_count < 500 or cores < 2:
        return 1
    return min(cores, 4)


def _available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def split_shares(n: int, parts: int, costs: Sequence[int] | None) -> list[tuple[int, int]]:
    """``parts`` contiguous (start, end) ranges of ``range(n)`` of about equal cost."""
    if costs is None:
        bounds = [round(n * k / parts) for k in range(parts + 1)]
    else:
        cumulative = list(_accumulate(costs))
        total = cumulative[-1] if cumulative else 0
        bounds = [0]
        for k in range(1, parts):
            bounds.append(max(bounds[-1] + 1, bisect_right(cumulative, total * k / parts)))
        bounds.append(n)
        bounds = [min(b, n) for b in bounds]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def _accumulate(values: Iterable[int]) -> Iterable[int]:
    total = 0
    for v in values:
        total += max(int(v), 1)
        yield total


def report_until_done(
    tasks: Sequence[SubWriterTask], counts: Any, progress: Callable[[int], None]
) -> None:
    """Call ``progress`` with the workers' total count about every 0.1 s until each worker
    has sent its result (which the task's ``result()`` then reads)."""
    from multiprocessing.connection import wait

    pending = [task._receiver for task in tasks]
    while pending:
        ready = wait(pending, timeout=0.1)
        pending = [r for r in pending if r not in ready]
        progress(sum(counts))


def watch_parent() -> None:
    """Exit this (worker) process as soon as its parent has died."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


_T = TypeVar("_T")
_R = TypeVar("_R")


def map_forked(fn: Callable[[_T], _R], items: Sequence[_T], procs: int) -> Iterator[_R]:
    """``fn(item)`` of each of ``items``, in order, lazily.

    With ``procs > 1`` the items are split into ``procs`` contiguous shares; forked processes
    compute every share but the first meanwhile (their results pickled back), this process
    the first, as the results are asked for. ``fn`` must not raise and its results must
    pickle; a share whose process failed is computed here instead.
    """
    if procs <= 1 or len(items) < 2 or not can_fork():
        yield from map(fn, items)
        return
    shares = split_shares(len(items), procs, None)
    others = [_ForkedShare(fn, items[a:b]) for a, b in shares[1:]]
    try:
        a, b = shares[0]
        yield from map(fn, items[a:b])
        for share in others:
            yield from share.results()
    finally:
        for share in others:
            share.stop()


class _ForkedShare:
    """``fn`` over ``items`` in a forked process, the results sent back through a pipe."""

    def __init__(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> None:
        self.fn = fn
        self.items = items
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(sender,), daemon=True)
        self.process.start()
        sender.close()

    def _run(self, sender: Any) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides, and stops us
        self.receiver.close()
        watch_parent()
        try:
            payload = dumps([self.fn(item) for item in self.items], -1)
        except BaseException:
            payload = b""  # the parent computes the share itself
        sender.send_bytes(payload)
        sender.close()

    def results(self) -> list[Any]:
        """The share's results: the process's, or computed here if it failed."""
        try:
            payload = self.receiver.recv_bytes()
            out = loads(payload) if payload else None
        except Exception:  # (EOFError: the process died)
            out = None
        with contextlib.suppress(Exception):
            self.process.join(5)
        self.stop()
        return out if out is not None else [self.fn(item) for item in self.items]

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.receiver.close()
        with contextlib.suppress(Exception):
            if self.process.is_alive():
                self.process.terminate()
            self.process.join(5)
