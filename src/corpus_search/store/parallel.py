"""Process helpers of parallel builds: whether processes can fork, shares of equal cost,
progress summed from workers, and workers leaving with their parent.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Any

from whoosh.multiproc import SubWriterTask


def can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    # a daemonic process (a multiprocessing pool worker, say) may not have children
    return not multiprocessing.current_process().daemon


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
