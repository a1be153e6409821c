"""The bulk writer's parallel building: forked workers, each writing its own segments.

:class:`ParallelBuilding` is the part of
:class:`~corpus_search.store.writer.BulkSegmentWriter` behind ``add_many``: it splits the
items into shares, runs a :class:`BulkTask` (a forked worker running a writer of the same
class) over each, and takes their segments into the writer's commit.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from pickle import dumps, loads
from typing import Any

from whoosh.multiproc import SubWriterTask

from corpus_search.analysis.stemming import add_learned_stems, learned_stems
from corpus_search.errors import WorkerError
from corpus_search.store.parallel import can_fork, report_until_done, split_shares, watch_parent
from corpus_search.store.w3 import identity

__all__ = ["BulkTask", "ParallelBuilding", "delete_segment_files"]


class ParallelBuilding:
    """``add_many`` over forked workers (a part of
    :class:`~corpus_search.store.writer.BulkSegmentWriter`)."""

    # -- parallel building -------------------------------------------------------------------

    def add_many(
        self,
        items: Sequence[Any],
        to_fields: Callable[[Any], dict[str, Any]] | None = None,
        *,
        procs: int | None = None,
        costs: Sequence[int] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Add one document per item, ``to_fields(item)`` giving its fields (default: the
        item is the fields dict); return how many were added.

        With ``procs > 1`` (default: the writer's ``procs``) the items are split into
        ``procs`` contiguous shares (of about equal ``costs``; default: equal counts), each
        indexed by a forked worker process into its own segments; this writer commits them,
        in input order, with its own. Workers leave when this process dies and never hold
        the write lock on their own. Where processes cannot be forked, the items are added
        here. ``progress(done)`` is called now and then with how many items have been added
        so far (workers count in shared memory, read by this process while it waits).
        """
        self._check_state()
        convert = to_fields or identity
        procs = min(self.procs if procs is None else procs, len(items))
        if procs <= 1 or self._grouping or not can_fork():  # a group stays in one segment
            for n, item in enumerate(items, 1):
                self.add_document(**convert(item))
                if progress is not None:
                    progress(n)
            return len(items)
        shares = split_shares(len(items), procs, costs)
        # documents added so far come first; lazy work (lexicon, stemmer) is done once,
        # here, and inherited by every worker
        self.flush()
        self._warm_up(convert(items[0]))
        before = set(self.storage.list())
        tasks = []
        # one slot per worker: how many of its items it has added (inherited by fork)
        counts = multiprocessing.RawArray("q", len(shares)) if progress is not None else None
        try:
            for slot, (start, end) in enumerate(shares):
                tasks.append(BulkTask(self, items, start, end, convert, counts, slot))
            for task in tasks:
                task.launch()
            if progress is not None:
                report_until_done(tasks, counts, progress)
            results = [task.result() for task in tasks]
        except BaseException:
            for task in tasks:
                task.stop()
            self._remove_worker_files(before)
            raise
        for segments, docs, stems in results:
            self._done.extend(segments)
            self._done_docs += docs
            add_learned_stems(stems)  # saved with ours when this writer commits
        self._any_added = True
        return len(items)

    def _remove_worker_files(self, before: set[str]) -> None:
        """Delete the segment files that appeared since ``before`` (we hold the lock, so
        they are our workers'), except this writer's own."""
        from whoosh.index import TOC

        pattern = TOC._segment_pattern(self.indexname)
        ours = {s.segment_id() for s in [*self._done, self.newsegment]}
        for name in set(self.storage.list()) - before:
            m = pattern.match(name)
            if m and m.group(1) not in ours:
                with contextlib.suppress(OSError):
                    self.storage.delete_file(name)

    def _warm_up(self, fields: dict[str, Any]) -> None:
        """Analyse one document's fields once (results discarded), so lazily loaded data
        is loaded before workers fork rather than in each of them."""
        for fieldname, value in fields.items():
            if fieldname.startswith("_") or fieldname not in self.schema:
                continue
            field = self.schema[fieldname]
            if field.indexed and isinstance(value, str):
                plan = self._plan(fieldname, field)
                if plan.positions:
                    self._invert_positions(plan, value, 1.0)

    def _worker_segments(self) -> tuple[list[Any], int]:
        """In a worker: finish the current segment, return every segment written and the
        number of documents; the temporary folder is shared, so it is left to the parent."""
        if self._added:
            self._done.append(self._finalize_segment())
            self._done_docs += self.docnum - self.docbase
        else:
            self._close_segment()
            delete_segment_files(self.storage, self.newsegment)
        if self._searcher is not None:
            self._searcher._orig_close()
            self._searcher = None
        self.is_closed = True
        return self._done, self._done_docs


def delete_segment_files(storage: Any, segment: Any) -> None:
    """Remove every file of an uncommitted segment (they would be cleaned up at the next
    commit anyway)."""
    prefix = segment.make_filename(".")
    for name in list(storage.list()):
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                storage.delete_file(name)


class BulkTask(SubWriterTask):  # type: ignore[misc]
    """A forked worker indexing ``items[start:end]`` into its own segments.

    It subclasses Whoosh's ``SubWriterTask`` (the multiprocess writer's helper process) so
    that code watching Whoosh's helper processes sees these too; nothing of its job queue
    protocol is used. The worker inherits the items by fork (nothing is pickled on the way
    in), closes its copy of the write lock's descriptor (the lock dies with the parent) and
    exits as soon as it is orphaned.
    """

    _Popen = staticmethod(multiprocessing.get_context("fork").Process._Popen) if (
        "fork" in multiprocessing.get_all_start_methods()
    ) else None

    def __init__(
        self, parent: ParallelBuilding, items: Sequence[Any], start: int, end: int,
        to_fields: Callable[[Any], dict[str, Any]],
        counts: Any = None,
        slot: int = 0,
    ) -> None:
        multiprocessing.Process.__init__(self, daemon=True)
        self._parent_writer = parent
        self._items = items
        self._range = (start, end)
        self._to_fields = to_fields
        self._counts = counts
        self._slot = slot
        self._receiver, self._sender = multiprocessing.Pipe(duplex=False)
        self.segments: list[Any] = []

    def launch(self) -> None:
        self.start()
        self._sender.close()

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides, and stops us
        self._receiver.close()
        parent = self._parent_writer
        lock = parent.writelock
        if lock is not None and getattr(lock, "fd", None) is not None:
            with contextlib.suppress(OSError):
                os.close(lock.fd)
        watch_parent()
        try:
            ix = _WorkerIndex(parent)
            gc.freeze()  # what we inherited: never walked by our collections, nor copied
            writer = type(parent)(  # BulkSegmentWriter, whose module imports this one
                ix, _lk=False, limitmb=parent._limitmb, codec=parent.codec,
                compound=parent._compound_arg, exact=parent.exact,
            )
            writer._gc_frozen = True  # our own process: freeze as we go
            start, end = self._range
            items = self._items
            convert = self._to_fields
            add = writer.add_document
            counts, slot = self._counts, self._slot
            for i in range(start, end):
                add(**convert(items[i]))
                if counts is not None:
                    counts[slot] = i - start + 1
            segments, docs = writer._worker_segments()
            self._sender.send_bytes(dumps(("ok", (segments, docs, learned_stems())), -1))
        except BaseException as exc:
            described = f"{type(exc).__name__}: {exc}"
            try:
                payload = dumps(exc, -1)
            except Exception:
                payload = None
            self._sender.send_bytes(dumps(("error", (payload, described)), -1))
        finally:
            self._sender.close()

    def result(self) -> tuple[list[Any], int, dict[str, str]]:
        """Wait for the worker; its segments, document count and the stems it computed (see
        :mod:`~corpus_search.analysis.stemming`), or raise its error."""
        try:
            status, payload = loads(self._receiver.recv_bytes())
        except EOFError:
            self.join()
            raise WorkerError(
                f"a writer process died (exit code {self.exitcode})", self.exitcode
            ) from None
        finally:
            self._receiver.close()
        self.join()
        if status != "ok":
            pickled, described = payload
            try:
                exc = loads(pickled) if pickled is not None else None
            except Exception:
                exc = None
            if not isinstance(exc, BaseException):
                exc = WorkerError(described)
            raise exc
        self.segments = payload[0]
        return payload

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            if self.is_alive():
                self.terminate()
            self.join(5)
        with contextlib.suppress(Exception):
            self._receiver.close()


class _WorkerIndex:
    """What SegmentWriter needs of an index, taken from the parent writer: the worker
    writes new segments only, so the committed ones it would read are irrelevant."""

    def __init__(self, parent: ParallelBuilding) -> None:
        self.storage = parent.storage
        self.indexname = parent.indexname
        self._info = _TocInfo(parent.generation - 1, parent.schema)

    def _read_toc(self) -> Any:
        return self._info


class _TocInfo:
    def __init__(self, generation: int, schema: Any) -> None:
        self.generation = generation
        self.schema = schema
        self.segments: list[Any] = []
