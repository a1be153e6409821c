"""Writing to an index: one transaction under the write lock, and batches of documents.

:func:`transaction` runs a piece of work on a :class:`~corpus_search.store.writer.BulkSegmentWriter`
and commits it, holding the index's write lock. Whatever fails (or interrupts the process) on
the way, the files of the unfinished write are removed before the lock is released, the
metadata it replaced is put back, and the index keeps its last commit; the error raised says
what went wrong in the library's terms. :func:`add_all` adds a batch of documents to a writer
on one or several processes.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index

from corpus_search.errors import (
    CorpusSearchError,
    IndexBuildError,
    IndexWriteError,
    WorkerError,
)
from corpus_search.ingest.arguments import check_procs
from corpus_search.ingest.model import Document
from corpus_search.store import meta as store_meta
from corpus_search.store.files import (
    LINES_FILENAME,
    is_write_failure,
    release_lock,
    remove_uncommitted,
    write_failure_message,
)
from corpus_search.store.generations import WriterStorage, close_all, committed_segments
from corpus_search.store.handle import IndexHandle, looks_like_damage
from corpus_search.store.meta import identity_of, read_bytes
from corpus_search.store.writer import BulkSegmentWriter

__all__ = ["add_all", "open_writer", "share_costs", "transaction"]


_T = TypeVar("_T")


def transaction(
    store: IndexHandle, procs: int, work: Callable[[BulkSegmentWriter], _T]
) -> _T:
    """Run ``work(writer)`` and commit, holding the write lock; ``procs`` is the number of
    processes the writer's :meth:`~BulkSegmentWriter.add_many` uses.

    If anything fails (or the process is interrupted), the files of the unfinished write
    are removed before the lock is released and the index keeps its last commit; the
    error says what went wrong: a write the system refused (:class:`IndexWriteError`,
    naming the disk), a bad document (:class:`DocumentIndexError`), or damage that a
    check of the index confirms (:class:`IndexCorruptError`). The first write into an
    index opened with ``create="on_write"`` makes it, and takes it away again if it fails
    (:meth:`IndexHandle.unmake`): nothing was written, so no index is left, and a write the
    system refused says it could not create the index (not that it keeps its last commit).
    A ``procs`` out of 1 to 64 is refused first (:func:`check_procs`), nothing written.
    """
    check_procs(procs)
    made = store.make()
    try:
        return _committed(store, procs, work)
    except BaseException as exc:
        if not made:
            raise
        store.unmake()
        refused = _refused_by_system(exc)
        if store.exists or refused is None or isinstance(exc, IndexBuildError):
            raise
        raise IndexWriteError(write_failure_message(refused, store.path, creating=True),
                              store.path) from None


def _refused_by_system(exc: BaseException) -> OSError | None:
    """The system's error behind ``exc``, an :class:`IndexWriteError` (the one it was made
    from, raised ``from None``: its context), or None."""
    if not isinstance(exc, IndexWriteError):
        return None
    seen: BaseException | None = exc.__context__
    while seen is not None:
        if isinstance(seen, OSError) and not isinstance(seen, CorpusSearchError):
            return seen
        seen = seen.__context__
    return None


def _committed(
    store: IndexHandle, procs: int, work: Callable[[BulkSegmentWriter], _T]
) -> _T:
    """:func:`transaction` on an index that exists."""
    writer = open_writer(store, procs)
    # under the lock: the committed record, and its files' lines
    meta_before = (read_bytes(store.meta_path), read_bytes(store.path / LINES_FILENAME))
    storage = writer.storage
    opened = (storage.created if isinstance(storage, WriterStorage) else None) or []
    try:
        result = work(writer)
        writer.commit()
    except BaseException as exc:
        # (a failure after the new table of contents is in place keeps its segments)
        freed = _abandon(store, writer, meta_before, opened)
        failure = _write_failure(store, exc, freed)
        if failure is exc:
            raise
        raise failure from None
    finally:
        if isinstance(storage, WriterStorage):
            storage.created = None
    return result


def open_writer(store: IndexHandle, procs: int = 1) -> BulkSegmentWriter:
    """A bulk writer on ``store``, holding its write lock (released by the writer's commit or
    cancel); ``procs`` is the number of processes its ``add_many`` uses.

    If another process rebuilt the index with another lexicon since ``store`` read it, the
    handle reloads first: documents are always analysed as the generation they join was.
    (Tests use it to hold the lock as another process's write would.)
    """
    for _attempt in range(3):
        writer = _new_writer(store, procs)
        if store.writes_next_generation:
            return writer
        try:
            meta = store.meta_for(writer.generation - 1)
        except BaseException:
            _abandon(store, writer)
            raise
        if meta is not None and identity_of(meta) == identity_of(store.meta):
            return writer
        _abandon(store, writer)
        store.reload()
    raise store.rebuilt_meanwhile_error()


def _new_writer(store: IndexHandle, procs: int) -> BulkSegmentWriter:
    lock = store.lock()
    storage = store.ix.storage
    if isinstance(storage, WriterStorage):
        storage.created = []  # until the transaction ends (a writer opens files at once)
    try:
        writer = store.ix.writer(procs=procs, _lk=False, freeze_gc=True)
    except BaseException as exc:
        try:
            if isinstance(storage, WriterStorage):
                close_all(storage.created or ())
                storage.created = None
            freed = _tidy(store.path)
        finally:
            release_lock(lock)
        failure = _write_failure(store, exc, freed)
        if failure is exc:
            raise
        raise failure from None
    writer.writelock = lock
    return writer


def _abandon(
    store: IndexHandle, writer: BulkSegmentWriter,
    meta_before: tuple[bytes | None, bytes | None] | None = None,
    opened: Sequence[Any] = (),
) -> int:
    """Cancel ``writer``, close the files it ``opened`` (a cancel cut short by a full disk
    leaves some open, and a deleted file still open keeps its space), remove the files
    of its unfinished write, put back the metadata and lines files it replaced
    (``meta_before``: their bytes, ``None`` for a lines file there was not) unless
    it committed, release the lock; return the bytes freed. Never raises."""
    lock, writer.writelock = writer.writelock, None
    try:
        if not writer.is_closed:
            with contextlib.suppress(Exception):
                writer.cancel()
        close_all(opened)
        freed = _tidy(store.path)
        if meta_before is not None and not writer.committed and meta_before[0] is not None:
            # (if this fails too, readers still pair the old generation with its record)
            with contextlib.suppress(OSError):
                _put_back(store.meta_path, meta_before[0])
                _put_back(store.path / LINES_FILENAME, meta_before[1])
        return freed
    except Exception:
        return 0
    finally:
        if lock is not None:
            release_lock(lock)


def _put_back(path: Path, data: bytes | None) -> None:
    """Make the file at ``path`` hold ``data`` again (``None``: be no file) if it does not."""
    if read_bytes(path) == data:
        return
    if data is None:
        path.unlink()
    else:
        store_meta.atomic_write_bytes(path, data)


def _tidy(path: Path) -> int:
    """Remove what unfinished writes left in the folder (call holding the write lock)."""
    return remove_uncommitted(path, committed_segments(path))


def _write_failure(store: IndexHandle, exc: BaseException, freed: int) -> BaseException:
    """The error to report for ``exc``, raised while writing (see :func:`transaction`)."""
    if isinstance(exc, CorpusSearchError):
        return exc
    if isinstance(exc, whoosh_index.LockError):
        return store.locked_error()
    if isinstance(exc, WorkerError):
        return IndexBuildError(_worker_failure_message(exc, store.path, "it again with procs=1"),
                               store.path).for_cli(
            _worker_failure_message(exc, store.path, "the command again with --procs 1"))
    if is_write_failure(exc):
        assert isinstance(exc, OSError)
        return IndexWriteError(
            write_failure_message(exc, store.path, freed=freed), store.path
        )
    if isinstance(exc, Exception) and looks_like_damage(exc):
        return store.diagnose(exc, writing=True)
    return exc


def _worker_failure_message(exc: WorkerError, path: Path, again: str) -> str:
    """One line for a parallel build whose worker process died or failed, ending with how
    to run it ``again`` with one process (``procs=1``; the command's option)."""
    code = exc.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = f"was killed ({name}"
        why += (": the system's out-of-memory killer sends it when memory runs out)"
                if -code == signal.SIGKILL else ")")
    elif code is not None:
        why = f"stopped unexpectedly (exit code {code})"
    else:
        why = f"failed ({' '.join(str(exc).split())})"
    return (
        f"Indexing into {path} stopped: a process building the index {why}. Nothing of this "
        f"run was committed: the index keeps its last commit. Run {again} to use less memory."
    )


def share_costs(lengths: Sequence[int]) -> list[int]:
    """What each of documents of text ``lengths`` (characters) costs a writer process, for
    splitting them into shares of equal cost: its length plus the mean length. A document
    costs per character (analysis, postings) and per document (its stored fields, the
    per-document writer, and words new to a process that starts with empty caches: a
    share of the BBC corpus split by length alone, business and entertainment first, cost
    its process 10-12% more CPU than the other share, ~0.2 s of its ~1.7 s; split by this
    cost, 2-3%)."""
    mean = sum(lengths) // len(lengths) if lengths else 0
    return [n + mean for n in lengths]


def add_all(
    writer: BulkSegmentWriter,
    items: Iterable[Any],
    to_fields: Callable[[Any], dict[str, Any]],
    procs: int,
    *,
    replace: bool,
    doc_of: Callable[[Any], Document],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add a document for each item (``to_fields(item)``), on ``procs`` processes;
    return how many (``progress(done)`` is told now and then how many so far).

    With ``replace``, committed documents with the same id go first, as
    ``update_document`` does (only committed ones: two documents of one batch with the
    same id are both kept, as Whoosh keeps them). One process reads ``items`` lazily;
    several need them all first (each worker takes a contiguous share).
    """
    if procs > 1:
        items = items if isinstance(items, Sequence) else list(items)
        if len(items) > 1:
            if replace and writer.segments:
                for item in items:
                    writer.delete_by_term("id", doc_of(item).id)
            costs = share_costs([len(d.title) + len(d.body) for d in map(doc_of, items)])
            return writer.add_many(items, to_fields, procs=procs, costs=costs,
                                   progress=progress)
    add = writer.update_document if replace else writer.add_document
    count = 0
    for item in items:
        add(**to_fields(item))
        count += 1
        if progress is not None:
            progress(count)
    return count
