"""The on-disk index as one process holds it open (:class:`IndexHandle`).

An index folder holds Whoosh's generations (tables of contents) and a metadata file
(``corpus_search.json``) that records which analyzer and lexicon built each generation, which
folders were ingested and which boilerplate lines were found in them. The metadata names the
first generation it describes; a rebuild writes the new generation beside the old one and its
record before the commit, keeping the old record inside it as ``previous``. A handle pairs the
generation it reads with the record that describes it, so it never searches one generation
with another's lexicon, and follows another process's rebuild by loading again.

The handle is what :class:`~corpus_search.index.CorpusIndex` stands on: opening, creating and
checking an index, its metadata, its write lock, and what an error raised while using it means
(damage only when a check of the index confirms it). Writing goes through
:mod:`corpus_search.store.writing`, searchers through :mod:`corpus_search.search.pool`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shlex
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from whoosh import index as whoosh_index

from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.errors import (
    CorpusSearchError,
    IndexCorruptError,
    IndexLockedError,
    IndexReadError,
    IndexWriteError,
    LexiconError,
)
from corpus_search.store.collection import check_index_place, with_articles_advice
from corpus_search.store.files import (
    INDEX_NAME,
    META_FILENAME,
    acquire_write_lock,
    holds_index,
    latest_generation,
    make_index_folder,
    missing_folders,
    no_index_error,
    release_lock,
    write_failure_message,
)
from corpus_search.store.generations import (
    CorpusFileIndex,
    NextGeneration,
    WriterStorage,
    interrupted_creation,
    remove_empty_creation,
    stable_read,
)
from corpus_search.store.lines_file import write_meta
from corpus_search.store.meta import (
    fresh_meta,
    identity_of,
    lexicon_record,
    meta_for_generation,
    read_json,
    rebuild_call,
    rebuild_command,
    recorded_lexicon,
    utc_now,
    version_problems,
)
from corpus_search.store.meta_file import read_kept
from corpus_search.store.schema import build_schema
from corpus_search.store.versions import missing_lexicon_error, version_error

__all__ = ["OPEN_RETRIES", "IndexHandle", "looks_like_damage"]

#: Attempts at pairing the newest generation with its record, or opening a searcher on it,
#: while other processes commit.
OPEN_RETRIES = 8


#: Errors that mean the index files on disk may be damaged or missing (a check decides).
_DAMAGE_ERRORS = (
    OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError, KeyError,
    IndexError,
)


def looks_like_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is the kind of error that reading damaged index files raises: the
    OSError/struct/zlib/pickle family (posting blocks are pickled), or what Whoosh's
    readers raise for unreadable data (a bare ``Exception("Block tag error")`` or their
    own classes)."""
    return (
        isinstance(exc, _DAMAGE_ERRORS)
        or type(exc) is Exception
        or type(exc).__module__.startswith("whoosh.")
    )


class IndexHandle:
    """One opened index folder: its path, the record (``meta``) and ``lexicon`` of the
    generation it reads, the Whoosh index (``ix``) and how long a writer waits for the lock.

    ``lexicon`` names the user lexicon files asked for (``None``: those the index records).
    ``on_reload`` is called when the handle follows another process's rebuild to a generation
    built another way, before it loads that generation: what its owner built on the old one
    (searchers, query parsers holding the old analyzer) must go then. Construct it, then
    :meth:`open` it, or make one with :meth:`next_generation`.
    """

    def __init__(
        self,
        path: Path,
        lexicon: list[str] | None,
        lock_timeout: float,
        on_reload: Callable[[], None] | None = None,
    ) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.requested_lexicon = lexicon
        self.on_reload = on_reload
        self.meta_path = path / META_FILENAME
        #: the record of the generation this handle reads (folders recorded since merged in)
        self.meta: dict[str, Any] = {}
        self.lexicon: Lexicon
        self._ix: CorpusFileIndex | None = None
        #: whether the index is on disk (not: opened with ``create="on_write"``, not made yet)
        self.exists = True
        #: the folders :meth:`make` created (deepest first), for :meth:`unmake`
        self._made_folders: list[Path] = []

    @classmethod
    def next_generation(cls, path: Path, lexicon: Lexicon, lock_timeout: float) -> IndexHandle:
        """A handle that writes a whole new generation of the index at ``path``, built with
        ``lexicon``, whatever the current generation holds (it is never read: a rebuild works
        on a damaged index too)."""
        handle = cls(path, list(lexicon.extra_paths), lock_timeout)
        handle.lexicon = lexicon
        handle.ix = NextGeneration(WriterStorage(str(path)), build_schema(lexicon))
        return handle

    @property
    def ix(self) -> CorpusFileIndex:
        """The Whoosh index (a pending index is made first: see :meth:`make`)."""
        if self._ix is None:
            self.make()
        assert self._ix is not None
        return self._ix

    @ix.setter
    def ix(self, ix: CorpusFileIndex) -> None:
        self._ix = ix

    @property
    def writes_next_generation(self) -> bool:
        """Whether this handle is a rebuild's (:meth:`next_generation`)."""
        return isinstance(self.ix, NextGeneration)

    # -- opening ---------------------------------------------------------------------------

    def open(self, create: bool | Literal["on_write"]) -> None:
        """Load the index at the path; if there is none, create an empty one (``create``),
        or make ready to create it when first needed (``"on_write"``: see :meth:`make`), or
        raise :class:`IndexNotFoundError`."""
        if holds_index(self.path) and not interrupted_creation(self.path):
            self.load()
        elif create:
            self.lexicon = load_lexicon(self.requested_lexicon or None)
            if create == "on_write":
                check_index_place(self.path)  # a place that cannot hold an index fails now
                self.meta = fresh_meta(self.lexicon, {}, 0)
                self.exists = False
            else:
                self.create()
        else:
            raise with_articles_advice(no_index_error(self.path), self.path)

    def create(self) -> None:
        """Create an empty index at the path (the folder too), built with ``lexicon``: the
        Whoosh index, then its metadata file."""
        check_index_place(self.path)
        make_index_folder(self.path)
        self.meta = fresh_meta(self.lexicon, {}, 0)
        schema = build_schema(self.lexicon)
        try:
            whoosh_index.create_in(str(self.path), schema, INDEX_NAME)
            self.ix = CorpusFileIndex(WriterStorage(str(self.path)), schema, INDEX_NAME)
            self.meta = write_meta(self.path, self.meta)
        except OSError as exc:
            raise IndexWriteError(
                write_failure_message(exc, self.path, creating=True), self.path
            ) from None

    def make(self) -> bool:
        """Create the pending index (opened with ``create="on_write"``) now that something
        needs it on disk (a write, a searcher, the lock); return whether this call made it.

        Deferring creation to the first write means that an indexing run with nothing to
        write (an empty or mistyped folder), or one killed before it writes, leaves no empty
        index behind (as the default index, one would hide the demo index)."""
        if self.exists:
            return False
        if holds_index(self.path) and not interrupted_creation(self.path):
            self.load()  # another process made it meanwhile
            self.exists = True
            return False
        missing = missing_folders(self.path)
        self.create()
        self.exists = True
        self._made_folders = missing
        return True

    def unmake(self) -> None:
        """Take away the index :meth:`make` made if nothing was ever committed to it (its
        first write failed or was interrupted), and the folders made for it, so that the
        index is pending again; an index anything was committed to stays. Never raises."""
        if not remove_empty_creation(self.path, self._made_folders):
            return
        self._made_folders = []
        self._ix = None
        self.meta = fresh_meta(self.lexicon, {}, 0)
        self.exists = False

    def load(self) -> None:
        """Read the record that describes the newest generation, load the lexicon it names,
        check that this version can search it, and open it."""
        generation = -1
        for attempt in range(OPEN_RETRIES):
            generation = latest_generation(self.path)
            meta = self.meta_for(generation)
            if meta is not None:
                break
            time.sleep(0.01 * (attempt + 1))  # a rebuild is committing: its TOC comes next
        else:
            self.meta = self.read_meta()
            raise self.damaged(
                f"its {META_FILENAME} does not describe its newest table of contents "
                f"(generation {generation})"
            )
        self.meta = meta
        self.lexicon = self._lexicon_for(meta)
        self._check_version()
        self.ix = self._open_whoosh()

    def reload(self) -> None:
        """Follow another process's rebuild: tell the owner (``on_reload``), then load the
        newest generation, which has another lexicon."""
        if self.on_reload is not None:
            self.on_reload()
        self.load()

    def follows(self, generation: int) -> bool:
        """Whether this handle reads ``generation`` as it was built; if it was built another
        way (another process rebuilt the index), reload and say no."""
        meta = self.meta_for(generation)
        if meta is not None and identity_of(meta) == identity_of(self.meta):
            # the same lexicon: take the folders other processes recorded meanwhile
            meta.update(lexicon_record(self.lexicon))
            self.meta = meta
            return True
        self.reload()
        return False

    def read_meta(self) -> dict[str, Any]:
        """The metadata file's contents (every generation's record); a missing or unreadable
        file is an :class:`IndexCorruptError` or :class:`IndexReadError` saying so."""
        try:
            meta = read_kept(self.meta_path)  # (parsed again only once the file changes)
        except FileNotFoundError:
            raise self.damaged(
                f"it has no {META_FILENAME} (or it was not made by corpus_search)"
            ) from None
        except ValueError as exc:
            raise self.damaged(f"its {META_FILENAME} cannot be read ({exc})") from None
        except OSError as exc:
            raise IndexReadError(
                f"Cannot read {self.meta_path} ({exc.strerror or exc}).", self.path
            ) from None
        if not isinstance(meta, dict):
            raise self.damaged(f"its {META_FILENAME} is malformed")
        return meta

    def meta_for(self, generation: int) -> dict[str, Any] | None:
        """The record that describes ``generation`` (``None``: none does)."""
        return meta_for_generation(self.read_meta(), generation)

    def _lexicon_for(self, meta: dict[str, Any]) -> Lexicon:
        """The lexicon asked for, else the one the index records (a recorded user file that
        is gone gets a message saying what to do)."""
        if self.requested_lexicon is not None:
            return load_lexicon(self.requested_lexicon or None)
        recorded = recorded_lexicon(meta)
        for p in recorded:
            if not os.path.isfile(p):
                raise missing_lexicon_error(self.path, meta, p)
        try:  # (a file broken while extending it: its line alone said nothing of the index)
            return load_lexicon(recorded or None)
        except LexiconError as exc:
            raise LexiconError(f"{str(exc).rstrip('.')}. The index at {self.path} was built "
                               "with this file, so it cannot be opened until the file loads "
                               "again; the index is unchanged.") from None

    def _check_version(self) -> None:
        problems = version_problems(self.meta, self.lexicon)
        if problems:
            raise version_error(self.path, self.meta, self.lexicon, self.requested_lexicon,
                                asked=self.requested_lexicon is not None)

    def damaged(self, what: str) -> IndexCorruptError:
        """The error for damage to this index (``what``: the part, in a phrase): every
        damage message names the index, how to see all of it and how to rebuild it, in one
        line: the library's the functions (:func:`~corpus_search.check_index`,
        :func:`~corpus_search.rebuild_index`), the command's its commands (the rebuild's
        also the error's ``rebuild_command``)."""
        damaged = f"The index at {self.path} is damaged: {what}."
        command = self.rebuild_command()
        return IndexCorruptError(
            f"{damaged} See what is damaged with: check_index({str(self.path)!r}). Rebuild it "
            f"with: {rebuild_call(self.path, self.meta, self.requested_lexicon)}",
            self.path, rebuild_command=command,
        ).for_cli(
            f"{damaged} See what is damaged with: corpus-search check --index "
            f"{shlex.quote(str(self.path))}. Rebuild it with: {command}"
        )

    def rebuild_command(self) -> str:
        """The command that rebuilds this index with every folder, id prefix and lexicon file
        it was built with (or the lexicon files this handle was opened with)."""
        return rebuild_command(self.path, self.meta, self.requested_lexicon)

    def _open_whoosh(self) -> CorpusFileIndex:
        # The schema is built from the lexicon, not unpickled from the table of contents:
        # unpickling re-reads the user lexicon files by the paths recorded there (a moved file
        # made the index unopenable), and Whoosh re-reads the newest TOC on every use of an
        # unpinned ``ix.schema``, which a concurrent commit may delete meanwhile.
        schema = build_schema(self.lexicon)
        try:
            ix = stable_read(
                lambda: CorpusFileIndex(WriterStorage(str(self.path)), schema, INDEX_NAME)
            )
            with ix.reader() as reader:
                reader.doc_count_all()
            return ix
        except whoosh_index.EmptyIndexError:
            raise self.damaged(
                "it has no table of contents (a segment or TOC file is missing)"
            ) from None
        except CorpusSearchError:
            raise
        except Exception as exc:  # unpickling or reading damaged files can raise anything
            raise self.diagnose(exc) from None

    # -- what a failure means --------------------------------------------------------------

    @contextlib.contextmanager
    def guard(self, on_damage: Callable[[], None]) -> Iterator[None]:
        """Translate low-level errors from reading the index into the library's errors: damage
        (:class:`IndexCorruptError`) only when a check of the index confirms it. What looks
        like damage first calls ``on_damage`` (its owner drops the searchers that read it)."""
        try:
            yield
        except CorpusSearchError:
            raise
        except whoosh_index.LockError:
            raise self.locked_error() from None
        except Exception as exc:
            if not looks_like_damage(exc):
                raise
            on_damage()
            failure = self.diagnose(exc)
            if failure is exc:
                raise
            raise failure from None

    def diagnose(self, exc: BaseException, *, writing: bool = False) -> BaseException:
        """What ``exc``, raised while using the index, means: :class:`IndexCorruptError` if a
        check of the index finds damage; otherwise a read (or write) error for an OS error,
        and ``exc`` itself for anything else (a bug, not the index's fault)."""
        from corpus_search.store.check import check_index  # (only when something failed)

        try:
            report = check_index(self.path, lexicon=self.lexicon)
        except CorpusSearchError as err:
            return err
        if report.status == "damaged":
            return self.damaged(report.summary().removesuffix("."))
        if isinstance(exc, OSError):
            what = f"{exc.strerror or type(exc).__name__}" + (
                f": {exc.filename}" if exc.filename else ""
            )
            if writing:
                return IndexWriteError(
                    f"Could not write to the index at {self.path} ({what}). The index keeps "
                    "its last completed commit; run the same command again.",
                    self.path,
                )
            return IndexReadError(
                f"Could not read the index at {self.path} ({what}); a check of the index "
                "finds no damage, so try again.",
                self.path,
            )
        return exc

    def locked_error(self) -> IndexLockedError:
        return IndexLockedError(
            f"The index at {self.path} is being written by another process "
            f"(waited {self.lock_timeout:g} s). Try again when it has finished.",
            self.path,
        )

    def rebuilt_meanwhile_error(self) -> IndexLockedError:
        """For a reader or writer that keeps finding a generation built another way."""
        return IndexLockedError(
            f"The index at {self.path} keeps being rebuilt by another process. Try again when "
            "it has finished.",
            self.path,
        )

    # -- the lock and the metadata ---------------------------------------------------------

    def lock(self) -> Any:
        """The index's write lock, acquired (waiting up to ``lock_timeout`` seconds); it
        lives in the index folder, so a pending index is made first."""
        self.make()
        try:
            lock = acquire_write_lock(self.path, self.lock_timeout)
        except OSError as exc:
            raise IndexWriteError(write_failure_message(exc, self.path), self.path) from None
        if lock is None:
            raise self.locked_error()
        return lock

    def save_meta(
        self, base_generation: int, root_key: str | None = None, dropped: str | None = None
    ) -> None:
        """Write the metadata, merged with whatever other processes recorded since we read it.

        Writers call this while they hold the write lock, just before the Whoosh commit: two
        writers then never overwrite each other's folder records (each handle's copy of the
        metadata is as old as its opening), and a crash right after the commit cannot lose the
        folder's record or its boilerplate lines. A record written just before a crash that
        stopped the commit is harmless: the next run re-reads the folder anyway.
        ``base_generation`` is the generation the write builds on (what the metadata on disk
        is read for: a rebuild that never committed left its own record there).
        ``dropped``: a folder moved to ``root_key``, whose record goes."""
        try:
            disk = meta_for_generation(read_json(self.meta_path), base_generation)
        except (OSError, ValueError):
            disk = None
        roots: dict[str, Any] = dict(self.meta.get("roots") or {})
        if isinstance(disk, dict) and isinstance(disk.get("roots"), dict):
            roots = dict(disk["roots"])
            if root_key is not None:
                ours = dict(self.meta["roots"][root_key])
                theirs = roots.get(root_key) or {}
                ours["boilerplate"] = sorted(
                    set(ours.get("boilerplate", [])) | set(theirs.get("boilerplate", []))
                )
                roots[root_key] = ours
        self.meta["roots"] = {key: record for key, record in roots.items() if key != dropped}
        self.meta.update(lexicon_record(self.lexicon))
        self.meta["modified"] = utc_now()
        self.meta = write_meta(self.path, self.meta)

    def save_meta_alone(self, root_key: str | None = None) -> bool:
        """Save the metadata when no documents changed, under the write lock; if another
        process rebuilt the index another way meanwhile, reload instead (this record belongs
        to the generation it replaced) and return False."""
        lock = self.lock()
        try:
            generation = latest_generation(self.path)
            current = self.meta_for(generation)
            if current is None or identity_of(current) != identity_of(self.meta):
                self.reload()
                return False
            self.save_meta(generation, root_key)
            return True
        except OSError as exc:
            raise IndexWriteError(write_failure_message(exc, self.path), self.path) from None
        finally:
            release_lock(lock)

    def save_generation_meta(self, roots: dict[str, Any], generation: int, now: str) -> None:
        """Write the record of a rebuilt ``generation`` holding the folders' ``roots``
        records, made ``now``; it keeps the record of the generation before it until it is
        committed (read under the write lock, so it is the current one)."""
        try:
            previous = meta_for_generation(read_json(self.meta_path), generation - 1)
        except (OSError, ValueError):
            previous = None
        meta = fresh_meta(self.lexicon, roots, generation, now)
        if previous is not None:
            meta["previous"] = previous
        self.meta = meta
        self.meta = write_meta(self.path, meta)
