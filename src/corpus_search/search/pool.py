"""The warm searcher of one opened index (:class:`SearcherPool`).

Opening a Whoosh searcher reads every segment's tables, and the engine's caches live as long
as their searcher (see :mod:`corpus_search.search.engine`), so an index keeps one searcher
for as long as its generation is current. The pool replaces it when another commit makes it
stale, pairs every searcher it opens with the record of the generation it reads (through the
:class:`~corpus_search.store.handle.IndexHandle`, which reloads when another process rebuilt
the index another way), and keeps replaced searchers open for the reads that still hold
them.

A replaced searcher is closed only once nothing holds it: not while the operation it was
handed to runs (:meth:`SearcherPool.operation`: the index's outermost guard), nor while a
read that outlives one guard keeps it (:meth:`SearcherPool.keep_open`: an export, a page at a
time), nor while a caller that asked for it with no guard around (a library user's
``ix.searcher()``, read from later) still has it: such a searcher is closed once it is
dropped (when the garbage collector takes it), or with the index. Those nothing holds are
closed a few replacements later (:data:`_RETIRED_KEPT`). Closing the replaced searcher a few
replacements later, held or not, failed an operation that asked for the searcher again
after other commits, an export read while other searches ran, and a searcher a library
user kept while the index was written five times, with ``ReaderClosed``.

Threads may share an index, so the pool is one lock's business: a thread that finds the
searcher stale replaces it while the others wait, and each is handed a searcher (the new one),
never the gap between the old one's retirement and the new one's opening.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.searching import Searcher

from corpus_search.search.ranking import RANKING, Ranking
from corpus_search.store.files import SETTLED_NS, folder_stamp
from corpus_search.store.handle import OPEN_RETRIES, IndexHandle

__all__ = ["SearcherPool"]


#: replaced searchers that nothing is known to hold kept open at most (older ones are closed)
_RETIRED_KEPT = 4


class SearcherPool:
    """The current searcher on ``store``'s newest generation, its ranking, and the searchers
    it replaced."""

    def __init__(self, store: IndexHandle) -> None:
        self.store = store
        self._current: Searcher | None = None
        self._ranking: Ranking | None = None
        #: searchers replaced by newer ones, still open for searches that hold them
        self._retired: list[Searcher] = []
        #: how deep the running operation's guards are nested (0: none runs)
        self._depth = 0
        #: the searchers handed out in the running operation, by id: held until it ends
        self._in_use: dict[int, Searcher] = {}
        #: each searcher kept open (:meth:`keep_open`), by id, and how many times
        self._kept: dict[int, tuple[Searcher, int]] = {}
        #: the searchers handed out with no operation around the call (its own guard aside):
        #: their caller may read them at any time, so once replaced each is closed only when
        #: it is dropped (:func:`_close_reader`, at its collection) or with the pool
        self._loose: weakref.WeakSet[Searcher] = weakref.WeakSet()
        #: the index folder's modification time when a listing last found the current
        #: searcher newest, if that time was settled then (see _is_newest)
        self._listed_at: int | None = None
        #: held while the current searcher is checked, re-weighted or replaced (re-entrant:
        #: opening one can reload the handle, whose ``on_reload`` retires the current one)
        self._lock = threading.RLock()

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        """A warm searcher on the newest committed generation, scoring with ``ranking``
        (``None`` keeps the ranking it has: at first
        :data:`corpus_search.search.ranking.RANKING`). Asking for another ranking re-weights
        the same searcher, so a searcher handed out earlier in the same search stays open.
        Call it inside the index's guard: errors are raised as Whoosh raises them."""
        with self._lock:
            ranking = ranking or self._ranking or RANKING
            current = self._current
            if current is not None and self._ranking != ranking:
                current.weighting = ranking.weighting()
                self._ranking = ranking
            if current is None or not self._is_newest(current):
                # Never Searcher.refresh(): Whoosh's reader reuse keeps segments that a merge
                # removed and keys reused readers by segment id, so deletions made since (by
                # update_document or delete) stay invisible: a refreshed searcher sees old and
                # new documents side by side. Opening a new searcher is always exact.
                self.retire()
                current = self._current = self._open(ranking)
                self._ranking = ranking
            if self._depth:
                self._in_use[id(current)] = current
            if self._depth <= 1 and current not in self._loose:
                # (an index's searcher() takes a guard of its own: one guard deep, the caller
                # holds none, and the searcher outlives every operation)
                self._loose.add(current)
                weakref.finalize(current, _close_reader, current.reader())
            return current

    @contextlib.contextmanager
    def operation(self) -> Iterator[None]:
        """One operation on the index (its outermost guard; nested ones join it): every
        searcher handed out within it stays open until it ends, however many commits replace
        it meanwhile. The index's guard lets one thread in at a time, so one operation runs
        at a time."""
        with self._lock:
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if not self._depth:
                    self._in_use.clear()
                    self._close_unheld()

    def keep_open(self, searcher: Searcher) -> Callable[[], None]:
        """Keep ``searcher`` (one this pool handed out) open, however many commits replace
        it, until the function returned is called (once is enough; more change nothing)."""
        key = id(searcher)
        with self._lock:
            self._kept[key] = (searcher, self._kept.get(key, (searcher, 0))[1] + 1)
        released = threading.Event()

        def release() -> None:
            with self._lock:
                if released.is_set():
                    return
                released.set()
                held, times = self._kept.get(key, (None, 0))
                if held is not searcher:  # (the pool was closed meanwhile)
                    return
                if times > 1:
                    self._kept[key] = (searcher, times - 1)
                else:
                    del self._kept[key]
                self._close_unheld()

        return release

    def _held(self, searcher: Searcher) -> bool:
        return id(searcher) in self._in_use or id(searcher) in self._kept

    def _close_unheld(self) -> None:
        """Close the replaced searchers that nothing holds, past the newest
        :data:`_RETIRED_KEPT` replaced (call it holding the lock); a loose one (handed out
        with no operation around) is let go instead, to be closed when its caller drops it."""
        past = len(self._retired) - _RETIRED_KEPT
        kept = []
        for n, old in enumerate(self._retired):
            if n < past and not self._held(old):
                if old not in self._loose:
                    with contextlib.suppress(Exception):
                        old.close()
            else:
                kept.append(old)
        self._retired = kept

    def _is_newest(self, searcher: Searcher) -> bool:
        """Does ``searcher`` read the newest generation? Whoosh lists the index folder to
        know (a commit adds a table of contents). The listing is skipped while the folder's
        modification time is the one a listing that found ``searcher`` newest saw, provided
        that time was :data:`~corpus_search.store.files.SETTLED_NS` old by the end of that
        listing: an entry added or removed since then has set a later time."""
        stamp = folder_stamp(self.store.path)  # read before listing: a change after it shows
        if stamp is not None and stamp == self._listed_at:
            return True
        newest = bool(searcher.up_to_date())
        settled = stamp is not None and time.time_ns() - stamp > SETTLED_NS
        self._listed_at = stamp if newest and settled else None
        return newest

    def _open(self, ranking: Ranking) -> Searcher:
        """Open a searcher on the newest generation, riding out a commit in another process.

        Between listing the newest table of contents and opening it (or its segments), a
        concurrent commit can delete those files; the next attempt finds the newer generation.
        Files still missing after the retries really are gone, and the guard reports damage.
        A generation that another process rebuilt with another lexicon is opened with that
        lexicon (the handle reloads: the metadata says which generation it describes).
        """
        for attempt in range(OPEN_RETRIES):
            try:
                searcher = self.store.ix.searcher(weighting=ranking.weighting())
            except FileNotFoundError:
                if attempt == OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            if self.store.follows(searcher.reader().generation()):
                return searcher
            searcher.close()
        raise self.store.rebuilt_meanwhile_error()

    def retire(self) -> None:
        """Set the current searcher aside without closing it.

        One search asks for the searcher several times (parsing, filters, facets, spelling);
        closing the old one when another process's commit made it stale in between failed the
        search in progress with ReaderClosed. Retired searchers are closed once nothing holds
        them, a few replacements later (see the module), or by :meth:`close`.
        """
        with self._lock:
            if self._current is not None:
                self._retired.append(self._current)
                self._current = None
            self._close_unheld()

    def close(self) -> None:
        """Close every searcher (the current one, the retired ones and those handed out
        loose, held or not)."""
        with self._lock:
            for old in [*self._retired, self._current, *self._loose]:
                if old is not None:
                    with contextlib.suppress(Exception):
                        old.close()
            self._retired = []
            self._current = None
            self._in_use.clear()
            self._kept.clear()
            self._loose = weakref.WeakSet()


def _close_reader(reader: Any) -> None:
    """Close ``reader``, the files of a loose searcher, once the searcher is dropped (a
    finalizer's call: it must not hold the searcher, which it would keep alive); closing
    twice (the pool closed it first) changes nothing."""
    with contextlib.suppress(Exception):
        reader.close()
