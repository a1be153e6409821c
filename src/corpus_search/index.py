"""The on-disk index: create or open it, ingest folders incrementally, delete, report stats.

:class:`CorpusIndex` is the library's front door. It owns a Whoosh index directory plus a small
metadata file (``corpus_search.json``) that records which analyzer and lexicon built the index,
which folders were ingested and which boilerplate lines were found in them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import shutil
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from whoosh import index as whoosh_index
from whoosh.codec import base as whoosh_codec_base
from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Every
from whoosh.sorting import Count, FieldFacet

from corpus_search.analysis import ANALYZER_VERSION, parties_in, political_analyzer
from corpus_search.dates import DateOptions
from corpus_search.documents import (
    SUPPORTED_EXTENSIONS,
    Document,
    file_signature,
    find_boilerplate,
    iter_source_files,
    read_file,
    strip_boilerplate,
)
from corpus_search.errors import (
    CorpusSearchError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
)
from corpus_search.lexicon import Lexicon, load_lexicon
from corpus_search.spelling import WORDS_FIELD, surface_terms
from corpus_search.writer import BulkSegmentWriter

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search import Ranking, SearchFilters, SearchResults

__all__ = [
    "INDEX_FORMAT",
    "CorpusIndex",
    "IndexReport",
    "IndexStats",
    "default_index_path",
    "recorded_date_options",
    "remove_index",
]

#: Version of the schema and metadata layout; bumped when they change incompatibly.
#: 3: documents record where their date came from (``date_source``).
#: 4: the ``words`` field (the words of each document as written, for spelling and wildcards).
INDEX_FORMAT = 4
META_FILENAME = "corpus_search.json"
INDEX_NAME = "MAIN"

#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_LOCK_TIMEOUT = 10.0

#: Attempts at opening a searcher while other processes commit (see _open_searcher).
_OPEN_RETRIES = 8

#: Errors that mean the index files on disk are damaged or missing.
_DAMAGE_ERRORS = (OSError, EOFError, struct.error, zlib.error, ValueError, KeyError, IndexError)

#: ``progress(phase, done, total, item)`` while a folder is indexed. Phases, in order:
#: ``"reading"`` (files: ``item`` is the file), ``"writing"`` (documents analysed and written
#: to new segments) and ``"committing"`` (``total`` 0: no count, it ends when the call does).
ProgressCallback = Callable[[str, int, int, str], None]
PROGRESS_PHASES = ("reading", "writing", "committing")


def default_index_path() -> Path:
    """The index location used when none is given: the user data folder of corpus-search."""
    return Path(platformdirs.user_data_dir("corpus-search", appauthor=False)) / "index"


def build_schema(lexicon: Lexicon) -> Schema:
    """The Whoosh schema of a corpus_search index."""
    analyzer = political_analyzer(lexicon)
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, phrase=True),
        # the body's text lives in its own compressed column, not among the stored fields:
        # a page of hits then unpickles a few small fields per document, not every body
        body=TEXT(analyzer=analyzer, stored=False, phrase=True),
        body_text=COLUMN(CompressedBytesColumn()),
        date=DATETIME(stored=True, sortable=True),
        date_source=ID(stored=True),
        year=ID(stored=False, sortable=True),
        source=ID(stored=True, sortable=True),
        party=KEYWORD(stored=True, commas=True, scorable=False),
        url=STORED,
        root=ID(stored=True),
        file=ID(stored=True),
        file_sig=STORED,
        # each document's distinct words as written, unscored and without positions: the
        # vocabulary of spelling suggestions and wildcards (see corpus_search.spelling)
        words=ID(stored=False),
    )


@dataclass
class IndexReport:
    """What one ingest run did: counts of files by outcome, skips and warnings with reasons."""

    root: str
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    boilerplate_lines: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "indexed": self.indexed,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "documents": self.documents,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "warnings": list(self.warnings),
            "boilerplate_lines": self.boilerplate_lines,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class IndexStats:
    """A summary of an index: size, provenance and what it holds."""

    path: str
    documents: int
    files: int
    size_bytes: int
    analyzer_version: str
    lexicon_fingerprint: str
    roots: list[str]
    sources: dict[str, int]
    parties: dict[str, int]
    years: dict[str, int]
    last_modified: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _to_datetime(value: dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


class CorpusIndex:
    """A searchable index of documents stored in a folder.

    ``CorpusIndex(path)`` opens the index at ``path`` or creates an empty one there;
    :meth:`open` insists that it already exists. ``lexicon`` names extra lexicon files that
    extend the bundled vocabulary; they are recorded in the index, so later opens reuse them.

    >>> with CorpusIndex("my-index") as ix:                  # doctest: +SKIP
    ...     ix.index_directory("articles/")
    ...     for hit in ix.search("Lib Dems").hits:
    ...         print(hit.id, hit.title)
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        lexicon: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
        create: bool = True,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        self.path = Path(path) if path is not None else default_index_path()
        self.lock_timeout = lock_timeout
        self._searcher: Searcher | None = None
        #: searchers replaced by newer ones, still open for searches that hold them
        self._retired: list[Searcher] = []
        self._ranking: Ranking | None = None
        self._meta_path = self.path / META_FILENAME
        if self._exists() and not self._unfinished_creation():
            self._meta = self._read_meta()
            extra = self._meta.get("lexicon_extra") or []
            if lexicon is not None:
                extra = _as_path_list(lexicon)
            self.lexicon = load_lexicon(extra or None)
            self._check_version()
            self._ix = self._open_whoosh()
        elif create:
            self.lexicon = load_lexicon(_as_path_list(lexicon) or None)
            self._create()
        else:
            raise IndexNotFoundError(
                f"No corpus_search index at {self.path}. "
                f"Create one with: corpus-search index DIR --index {self.path}",
                self.path,
            )

    # -- construction -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> CorpusIndex:
        """Open an existing index; raise :class:`IndexNotFoundError` if there is none."""
        return cls(path, create=False, **kwargs)

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        lexicon: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
        overwrite: bool = False,
        **kwargs: Any,
    ) -> CorpusIndex:
        """Create a new empty index; with ``overwrite`` replace whatever index is there."""
        target = Path(path) if path is not None else default_index_path()
        if overwrite and target.exists():
            remove_index(target)
        elif (target / META_FILENAME).exists() or _has_whoosh_files(target):
            raise CorpusSearchError(
                f"An index already exists at {target}; "
                "pass overwrite=True (--rebuild) to replace it."
            )
        return cls(target, lexicon=lexicon, create=True, **kwargs)

    def _exists(self) -> bool:
        return self._meta_path.exists() or _has_whoosh_files(self.path)

    def _unfinished_creation(self) -> bool:
        """Whether a process died while creating this index, before anything was indexed.

        Creating writes the empty Whoosh index, then the metadata file; a crash in between
        leaves one without the other. With no segment written nothing can be lost, so such a
        folder is treated as no index at all (and created afresh) rather than as damage.
        """
        try:
            names = [p.name for p in self.path.iterdir()]
        except OSError:
            return False
        if any(name.endswith(".seg") for name in names):
            return False
        prefix = f"_{INDEX_NAME}_"
        has_toc = any(name.startswith(prefix) and name.endswith(".toc") for name in names)
        if META_FILENAME in names:
            if has_toc:
                return False
            try:
                with open(self._meta_path, encoding="utf-8") as fh:
                    meta = json.load(fh)
            except (OSError, ValueError):
                return False
            return (
                isinstance(meta, dict)
                and not meta.get("roots")
                and meta.get("modified") == meta.get("created")
            )
        if not has_toc:
            return False
        try:
            return bool(whoosh_index.open_dir(str(self.path), INDEX_NAME).is_empty())
        except Exception:  # unreadable: not an interrupted creation but damage, reported later
            return False

    def _create(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusSearchError(_uncreatable(self.path, exc)) from None
        now = _now()
        self._meta = {
            "format": INDEX_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            "lexicon_fingerprint": self.lexicon.fingerprint,
            "lexicon_extra": [str(p) for p in self.lexicon.extra_paths],
            "created": now,
            "modified": now,
            "roots": {},
        }
        schema = build_schema(self.lexicon)
        whoosh_index.create_in(str(self.path), schema, INDEX_NAME)
        self._ix = _CorpusFileIndex(FileStorage(str(self.path)), schema, INDEX_NAME)
        _atomic_write_json(self._meta_path, self._meta)

    def _read_meta(self) -> dict[str, Any]:
        try:
            with open(self._meta_path, encoding="utf-8") as fh:
                meta = json.load(fh)
        except FileNotFoundError:
            raise IndexCorruptError(
                f"The index at {self.path} has no {META_FILENAME}: it was not made by "
                f"corpus_search or is damaged. {self._rebuild_hint()}",
                self.path,
            ) from None
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(
                f"Cannot read {self._meta_path}: {exc}. {self._rebuild_hint()}", self.path
            ) from None
        if not isinstance(meta, dict):
            raise IndexCorruptError(
                f"{self._meta_path} is malformed. {self._rebuild_hint()}", self.path
            )
        return meta

    def _check_version(self) -> None:
        meta = self._meta
        problems = []
        if meta.get("format") != INDEX_FORMAT:
            problems.append(f"index format {meta.get('format')} (this version uses {INDEX_FORMAT})")
        if meta.get("analyzer_version") != ANALYZER_VERSION:
            problems.append(
                f"analyzer version {meta.get('analyzer_version')} "
                f"(this version uses {ANALYZER_VERSION})"
            )
        if meta.get("lexicon_fingerprint") != self.lexicon.fingerprint:
            problems.append(
                f"lexicon {str(meta.get('lexicon_fingerprint'))[:12]} "
                f"(the current lexicon is {self.lexicon.fingerprint[:12]})"
            )
        if problems:
            raise IndexVersionError(
                f"The index at {self.path} was built with {'; '.join(problems)}. "
                f"This version cannot search it as it is. {self._rebuild_hint()}",
                self.path,
            )

    def _rebuild_hint(self) -> str:
        roots = list(getattr(self, "_meta", {}).get("roots", {}) or [])
        folders = " ".join(_shell_quote(r) for r in roots) if roots else "DIR"
        return (
            f"Rebuild it with: corpus-search index {folders} "
            f"--index {_shell_quote(str(self.path))} --rebuild"
        )

    def _open_whoosh(self) -> whoosh_index.Index:
        try:
            # Pin the schema: unpinned, every use of ``ix.schema`` re-reads the newest table of
            # contents, which a concurrent writer's commit may delete between Whoosh listing
            # and opening it; readers then failed with a false "index is damaged".
            schema = _stable_read(lambda: whoosh_index.open_dir(str(self.path), INDEX_NAME).schema)
            # FileIndex() reads the newest TOC too, without Whoosh's retry
            ix = _stable_read(
                lambda: _CorpusFileIndex(FileStorage(str(self.path)), schema, INDEX_NAME)
            )
            with ix.reader() as reader:
                reader.doc_count_all()
            return ix
        except whoosh_index.EmptyIndexError:
            raise IndexCorruptError(
                f"The index at {self.path} has no table of contents (a segment or TOC file is "
                f"missing). {self._rebuild_hint()}",
                self.path,
            ) from None
        except CorpusSearchError:
            raise
        except Exception as exc:  # unpickling or reading damaged files can raise anything
            raise IndexCorruptError(
                f"The index at {self.path} is damaged ({type(exc).__name__}: {exc}). "
                f"{self._rebuild_hint()}",
                self.path,
            ) from None

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Translate low-level errors from damaged index files into :class:`IndexCorruptError`."""
        try:
            yield
        except CorpusSearchError:
            raise
        except whoosh_index.LockError:
            raise self._locked_error() from None
        except Exception as exc:
            # Whoosh's readers report unreadable data with bare Exception ("Block tag error")
            # or their own classes as well as the usual OSError/struct/zlib family.
            if not (
                isinstance(exc, _DAMAGE_ERRORS)
                or type(exc) is Exception
                or type(exc).__module__.startswith("whoosh.")
            ):
                raise
            self._drop_searcher()
            raise IndexCorruptError(
                f"The index at {self.path} is damaged ({type(exc).__name__}: {exc}). "
                f"{self._rebuild_hint()}",
                self.path,
            ) from None

    def _locked_error(self) -> IndexLockedError:
        return IndexLockedError(
            f"The index at {self.path} is being written by another process "
            f"(waited {self.lock_timeout:g} s). Try again when it has finished.",
            self.path,
        )

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Release the searcher and file handles."""
        self._drop_searcher()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CorpusIndex({str(self.path)!r})"

    def _drop_searcher(self) -> None:
        for old in [*self._retired, self._searcher]:
            if old is not None:
                with contextlib.suppress(Exception):
                    old.close()
        self._retired = []
        self._searcher = None

    def _retire_searcher(self) -> None:
        """Set the warm searcher aside without closing it.

        One search asks for the searcher several times (parsing, filters, facets, spelling);
        closing the old one when another process's commit made it stale in between failed the
        search in progress with ReaderClosed. Retired searchers are closed a few
        replacements later, or by :meth:`close`.
        """
        if self._searcher is not None:
            self._retired.append(self._searcher)
            self._searcher = None
        while len(self._retired) > 4:
            with contextlib.suppress(Exception):
                self._retired.pop(0).close()

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        """A warm Whoosh searcher on the newest committed generation of the index.

        The searcher scores with ``ranking``; ``None`` keeps the ranking it has (at first
        :data:`corpus_search.search.RANKING`). Asking for another ranking re-weights the same
        searcher, so a searcher handed out earlier in the same search stays open.
        """
        from corpus_search.search import RANKING

        ranking = ranking or self._ranking or RANKING
        with self.guard():
            if self._searcher is not None and self._ranking != ranking:
                self._searcher.weighting = ranking.weighting()
                self._ranking = ranking
            if self._searcher is None or not self._searcher.up_to_date():
                # Never Searcher.refresh(): Whoosh's reader reuse keeps segments that a merge
                # removed and keys reused readers by segment id, so deletions made since (by
                # update_document or delete) stay invisible: a refreshed searcher sees old and
                # new documents side by side. Opening a new searcher is always exact.
                self._retire_searcher()
                self._searcher = self._open_searcher(ranking)
                self._ranking = ranking
            return self._searcher

    def _open_searcher(self, ranking: Ranking) -> Searcher:
        """Open a searcher on the newest generation, riding out a commit in another process.

        Between listing the newest table of contents and opening it (or its segments), a
        concurrent commit can delete those files; the next attempt finds the newer generation.
        Files still missing after the retries really are gone, and guard() reports damage.
        """
        for attempt in range(_OPEN_RETRIES):
            try:
                return self._ix.searcher(weighting=ranking.weighting())
            except FileNotFoundError:
                if attempt == _OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    # -- writing -------------------------------------------------------------------------

    def _writer(self, procs: int = 1, **kwargs: Any) -> BulkSegmentWriter:
        """The bulk writer (see ``writer.py``), holding the write lock; ``procs`` is the
        number of processes its :meth:`~BulkSegmentWriter.add_many` uses."""
        try:
            return self._ix.writer(
                procs=procs, timeout=self.lock_timeout, delay=0.05, freeze_gc=True, **kwargs
            )
        except whoosh_index.LockError:
            raise self._locked_error() from None

    def _write_all(
        self,
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
                costs = [len(d.title) + len(d.body) for d in map(doc_of, items)]
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

    def _fields(self, doc: Document, root: str = "", sig: str = "") -> dict[str, Any]:
        date = _to_datetime(doc.date)
        parties = parties_in(f"{doc.title}\n{doc.body}", self.lexicon)
        fields: dict[str, Any] = {
            "id": doc.id,
            "title": doc.title,
            "body": doc.body,
            "body_text": doc.body.encode("utf-8"),
            "root": root,
            "file": doc.path or "",
            "file_sig": sig,
            "url": doc.url or "",
            WORDS_FIELD: surface_terms(f"{doc.title}\n{doc.body}", self.lexicon.stopwords),
        }
        if date is not None:
            fields["date"] = date
            fields["year"] = str(date.year)
            fields["date_source"] = doc.date_source or "user"
        if doc.source:
            fields["source"] = doc.source
        if parties:
            fields["party"] = ",".join(parties)
        return fields

    def add_documents(
        self, documents: Iterable[Document], *, procs: int | None = 1
    ) -> int:
        """Add or replace documents (matched by id); return how many were written.

        ``procs`` processes build the new segments (``None``: chosen for the batch, see
        :func:`_auto_procs`); with more than one, ``documents`` is read into a list first.
        """
        if procs is None:
            documents = documents if isinstance(documents, Sequence) else list(documents)
            procs = _auto_procs(len(documents))
        with self.guard():
            writer = self._writer(procs)
            try:
                count = self._write_all(
                    writer, documents, self._fields, procs, replace=True, doc_of=_identity
                )
            except BaseException:
                writer.cancel()
                raise
            self._save_meta()
            self._commit(writer)
        return count

    def delete(self, ids: str | Iterable[str]) -> int:
        """Delete documents by id; return how many were deleted."""
        if isinstance(ids, str):
            ids = [ids]
        with self.guard():
            writer = self._writer()
            try:
                deleted = sum(writer.delete_by_term("id", i) for i in ids)
            except BaseException:
                writer.cancel()
                raise
            self._save_meta()
            self._commit(writer)
        return deleted

    def _commit(self, writer: Any) -> None:
        """Commit ``writer``; if that fails, release the write lock before raising.

        Whoosh leaves the lock held when ``commit()`` raises (a full disk, say), so every later
        write from this process failed with "being written by another process" until it
        exited. A failed write is reported as such, not as a damaged index: a commit becomes
        visible only when its table of contents is renamed into place, so the index holds
        its previous state or the new one, never a mixture.
        """
        try:
            writer.commit()
        except BaseException as exc:
            with contextlib.suppress(Exception):
                writer.cancel()
            with contextlib.suppress(Exception):
                writer.writelock.release()
            if isinstance(exc, OSError):
                raise CorpusSearchError(
                    f"Could not write to the index at {self.path} "
                    f"({exc.strerror or type(exc).__name__}). The index holds its last "
                    "completed commit; fix the cause and run the same command again."
                ) from None
            raise

    def _save_meta(self, root_key: str | None = None) -> None:
        """Write the metadata, merged with whatever other processes recorded since we read it.

        Writers call this while they hold the write lock, just before the Whoosh commit: two
        writers then never overwrite each other's folder records (each instance's copy of the
        metadata is as old as its opening), and a crash right after the commit cannot lose the
        folder's record or its boilerplate lines. A record written just before a crash that
        stopped the commit is harmless: the next run re-reads the folder anyway.
        """
        try:
            with open(self._meta_path, encoding="utf-8") as fh:
                disk = json.load(fh)
        except (OSError, ValueError):
            disk = None
        roots: dict[str, Any] = dict(self._meta.get("roots") or {})
        if isinstance(disk, dict) and isinstance(disk.get("roots"), dict):
            roots = dict(disk["roots"])
            if root_key is not None:
                ours = dict(self._meta["roots"][root_key])
                theirs = roots.get(root_key) or {}
                ours["boilerplate"] = sorted(
                    set(ours.get("boilerplate", [])) | set(theirs.get("boilerplate", []))
                )
                roots[root_key] = ours
        self._meta["roots"] = roots
        self._meta["modified"] = _now()
        with contextlib.suppress(OSError):
            _atomic_write_json(self._meta_path, self._meta)

    def index_directory(
        self,
        root: str | os.PathLike[str],
        *,
        id_prefix: str = "",
        progress: ProgressCallback | None = None,
        procs: int | None = None,
        dates: str | os.PathLike[str] | None = None,
        date_from_path: str | None = None,
        date_from: str | Sequence[str] | None = None,
    ) -> IndexReport:
        """Index every supported file under ``root``, incrementally.

        Files unchanged since the last run (same size and modification time) are left alone,
        new and changed files are (re)indexed and files that disappeared are removed. One bad
        file never stops the run: it is skipped and its reason is in the report.

        Dates (see docs/ingest.md): ``dates`` is a sidecar file mapping ids or paths to dates,
        ``date_from_path`` a pattern such as ``"%Y/%m/%d"`` for dates in file and folder
        names, ``date_from`` the guesses allowed (``"dateline"``, ``"path"``, ``"mtime"``, in
        order; ``"none"`` for none). They are recorded for the folder: ``None`` keeps what the
        last run used, ``""`` clears a sidecar or pattern. When they change, every file of the
        folder is dated afresh.
        """
        started = time.perf_counter()
        root_path = Path(root).expanduser()
        if not root_path.is_dir():
            raise CorpusSearchError(f"{root_path} is not a folder that can be indexed.")
        root_path = root_path.resolve()
        root_key = str(root_path)
        report = IndexReport(root=root_key)
        recorded = (self._meta.get("roots", {}).get(root_key) or {}).get("dates")
        date_rules = DateOptions.from_dict(recorded).updated(
            sidecar=dates, path_pattern=date_from_path, guesses=date_from
        ).rules()
        report.warnings.extend(date_rules.warnings)
        # documents dated under other rules are read again, even if their files are unchanged
        redate = (self._meta.get("roots", {}).get(root_key) or {}).get(
            "dates_fingerprint", date_rules.fingerprint
        ) != date_rules.fingerprint

        known = self._known_files(root_key)  # file -> (signature, [ids])
        files = list(iter_source_files(root_path))
        total = len(files)
        if not files:
            report.warnings.append(_nothing_to_read(root_path))
        seen: set[str] = set()
        changed: list[tuple[str, str, list[Document]]] = []
        for n, path in enumerate(files, 1):
            rel = path.relative_to(root_path).as_posix()
            seen.add(rel)
            if progress:
                progress("reading", n, total, rel)
            try:
                sig = file_signature(path)
            except OSError as exc:  # broken link, vanished file: let read_file say why
                reason = read_file(
                    path, root_path, id_prefix=id_prefix, dates=date_rules
                ).skipped_reason
                report.skipped.append(
                    (_printable(rel), reason or f"cannot read: {exc.strerror or exc}")
                )
                continue
            previous = known.get(rel)
            if previous is not None and previous[0] == sig and not redate:
                report.unchanged += 1
                continue
            result = read_file(path, root_path, id_prefix=id_prefix, dates=date_rules)
            report.warnings.extend(result.warnings)
            if result.skipped_reason:
                report.skipped.append((_printable(rel), result.skipped_reason))
                continue
            changed.append((rel, sig, result.documents))
            if previous is None:
                report.indexed += 1
            else:
                report.updated += 1
        gone = [f for f in known if f not in seen]
        report.deleted = len(gone)
        if progress and changed:  # from here on the bar counts documents, from 0
            progress("writing", 0, sum(len(docs) for _, _, docs in changed), "")

        root_meta = self._meta.setdefault("roots", {}).setdefault(root_key, {})
        root_meta["id_prefix"] = id_prefix
        root_meta["dates"] = date_rules.options.to_dict()
        root_meta["dates_fingerprint"] = date_rules.fingerprint
        bodies = [doc.body for _, _, docs in changed for doc in docs]
        # a line must recur in 3 documents, or in 0.5% of a large corpus, to count as a blurb:
        # in a big news corpus a few genuine lines (team sheets, bylines) recur a handful of times
        boilerplate = frozenset(root_meta.get("boilerplate", [])) | find_boilerplate(
            bodies, min_docs=max(3, len(bodies) // 200)
        )
        report.boilerplate_lines = len(boilerplate)

        if changed or gone:
            doc_count = sum(len(d) for _, _, d in changed)
            use_procs = procs if procs is not None else _auto_procs(doc_count)
            fresh = not known
            with self.guard():
                writer = self._writer(use_procs)
                try:
                    for rel in gone:
                        for doc_id in known[rel][1]:
                            writer.delete_by_term("id", doc_id)
                    for rel, _sig, _docs in changed:
                        if rel in known:
                            for doc_id in known[rel][1]:
                                writer.delete_by_term("id", doc_id)

                    def to_fields(item: tuple[Document, str]) -> dict[str, Any]:
                        doc, sig = item
                        if boilerplate:
                            body = strip_boilerplate(doc.body, boilerplate)
                            if body is not doc.body:
                                doc = _replace_body(doc, body)
                        return self._fields(doc, root_key, sig)

                    items = [(doc, sig) for _, sig, docs in changed for doc in docs]
                    report.documents += self._write_all(
                        writer, items, to_fields, use_procs, replace=not fresh,
                        doc_of=_first, progress=_writing_progress(progress, len(items)),
                    )
                    root_meta["boilerplate"] = sorted(boilerplate)
                    root_meta["indexed"] = _now()
                    self._save_meta(root_key)
                except BaseException:
                    writer.cancel()
                    raise
                if progress:
                    progress("committing", 0, 0, "")
                self._commit(writer)
        else:
            root_meta["boilerplate"] = sorted(boilerplate)
            root_meta["indexed"] = _now()
            self._save_meta(root_key)
        report.seconds = time.perf_counter() - started
        return report

    def _known_files(self, root_key: str) -> dict[str, tuple[str, list[str]]]:
        known: dict[str, tuple[str, list[str]]] = {}
        with self.guard(), self._ix.searcher() as searcher:
            for fields in searcher.documents(root=root_key):
                rel = fields.get("file", "")
                sig, ids = known.get(rel, (fields.get("file_sig", ""), []))
                ids.append(fields["id"])
                known[rel] = (sig, ids)
        return known

    # -- reading -------------------------------------------------------------------------

    def __len__(self) -> int:
        with self.guard():
            return self.searcher().doc_count()

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or ``None``."""
        fields = self.stored_fields(doc_id)
        return _document_from_fields(fields) if fields else None

    def stored_fields(self, doc_id: str) -> dict[str, Any] | None:
        """All stored fields of a document (including ``body``, ``party`` and ``file``), or
        ``None``."""
        with self.guard():
            searcher = self.searcher()
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return None
            fields = dict(searcher.stored_fields(docnum))
            fields["body"] = document_body(searcher, docnum)
            return fields

    def describe(self, doc_id: str) -> dict[str, Any] | None:
        """A document as JSON-ready data, or ``None`` when there is no such id: the fields of
        a search hit that describe a document (``id``, ``title``, ``date``, ``date_source``,
        ``source``, ``parties``, ``url``, as :meth:`Hit.to_dict` writes them), then ``file``
        and ``body``."""
        from corpus_search.search import Hit

        fields = self.stored_fields(doc_id)
        if fields is None:
            return None
        record = Hit.from_stored(fields).to_dict()
        for ranking_only in ("rank", "score", "snippet", "snippet_html"):
            del record[ranking_only]
        record["file"] = fields.get("file") or None
        record["body"] = fields.get("body", "")
        return record

    def list_documents(
        self,
        filters: SearchFilters | dict[str, Any] | None = None,
        limit: int = 100,
        page: int = 1,
    ) -> SearchResults:
        """The documents ``filters`` keep, one page at a time, newest first and undated last.

        This is browsing (``search("*")``) without snippets: hits carry ids, titles, dates,
        sources and parties and no score; ``total`` counts every document kept, and a date
        range reports in ``undated_left_out`` how many it left out for having no date.
        """
        return self.search("*", limit=limit, page=page, filters=filters, highlight=False)

    def stats(self) -> IndexStats:
        """Counts, size on disk and provenance of the index."""
        with self.guard():
            searcher = self.searcher()
            groups = facet_counts(searcher, Every())
            files = sum(1 for _ in searcher.reader().lexicon("file"))
            documents = searcher.doc_count()
        size = sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return IndexStats(
            path=str(self.path),
            documents=documents,
            files=files,
            size_bytes=size,
            analyzer_version=self._meta.get("analyzer_version", ""),
            lexicon_fingerprint=self._meta.get("lexicon_fingerprint", ""),
            roots=sorted(self._meta.get("roots", {})),
            sources=groups["source"],
            parties=groups["party"],
            years=dict(sorted(groups["year"].items())),
            last_modified=self._meta.get("modified"),
        )

    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        filters: SearchFilters | dict[str, Any] | None = None,
        sort: str = "relevance",
        highlight: bool = True,
        correct: bool = True,
    ) -> SearchResults:
        """Search the index; see :func:`corpus_search.search.search` for the details."""
        from corpus_search.search import search

        return search(
            self, query, limit=limit, page=page, filters=filters, sort=sort,
            highlight=highlight, correct=correct,
        )

    def similar(self, doc_id: str, limit: int = 10) -> SearchResults:
        """Documents most like the document ``doc_id``."""
        from corpus_search.search import similar

        return similar(self, doc_id, limit=limit)


def _segment_id(cls: type, size: int = 16) -> str:
    """A segment id from the operating system's randomness.

    Whoosh draws segment ids from the ``random`` module's shared generator, so a program that
    calls ``random.seed()`` (a reproducible experiment, a property-based test) before each
    run draws the same ids again: the new segment's files collide with a live segment's and
    the commit fails in ``create_compound_file``.
    """
    return "".join(_SYSTEM_RANDOM.choice("0123456789abcdefghijklmnopqrstuvwxyz")
                   for _ in range(size))


_SYSTEM_RANDOM = random.SystemRandom()
whoosh_codec_base.Segment._random_id = classmethod(_segment_id)


class _CorpusFileIndex(whoosh_index.FileIndex):
    """Whoosh's on-disk index with two reliability fixes: a pinned schema, and helper writer
    processes that cannot outlive their parent.

    Whoosh's ``FileIndex.schema`` re-reads the newest table of contents on every access (the
    query parser asks for it on every search) without the retry its ``reader()`` has, so a
    search racing another process's commit failed when that commit deleted the file just
    listed. The schema of a corpus_search index never changes (the metadata's version check
    guarantees it), so reading it once is exact, and it spares unpickling it every search.
    """

    def _current_schema(self) -> Schema:
        return self._schema

    def writer(self, procs: int = 1, **kwargs: Any) -> BulkSegmentWriter:
        """A :class:`~corpus_search.writer.BulkSegmentWriter` (the same index content as
        Whoosh's writer, built faster); with ``procs > 1`` its ``add_many`` forks workers
        (which leave when this process dies) instead of Whoosh's multiprocess writer."""
        writer = BulkSegmentWriter(self, **kwargs)
        writer.procs = procs
        return writer


def _writing_progress(
    progress: ProgressCallback | None, total: int
) -> Callable[[int], None] | None:
    """The writer's ``progress(done)`` as phases of ``progress``: ``"writing"`` at most
    every 0.1 s, then ``"committing"`` once every document is in (the writer still finishes
    its segments, and the commit follows)."""
    if progress is None:
        return None
    last = 0.0

    def written(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if last < 0:  # already committing
            return
        if done >= total:
            last = -1.0
            progress("writing", total, total, "")
            progress("committing", 0, 0, "")
        elif now - last >= 0.1:
            last = now
            progress("writing", done, total, "")

    return written


def _nothing_to_read(root: Path) -> str:
    kinds = ", ".join(sorted(SUPPORTED_EXTENSIONS))
    return f"{root} holds no file that can be indexed (supported: {kinds}); nothing to index."


def _uncreatable(path: Path, exc: OSError) -> str:
    """Why the index folder ``path`` cannot be made, in one line."""
    parent = path
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent != path and not parent.is_dir():
        return f"Cannot create the index folder {path}: {parent} is a file, not a folder."
    return f"Cannot create the index folder {path}: {exc.strerror or exc}."


def _printable(rel: str) -> str:
    """A file name fit for reports: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become U+FFFD, so the report can be printed and written as JSON."""
    return os.fsencode(rel).decode("utf-8", "replace")


def _stable_read(read: Callable[[], Any], attempts: int = 50) -> Any:
    """``read()``, retried while a concurrent commit removes the files it was opening.

    A commit renames a new table of contents into place and then deletes the previous one; a
    reader that listed the folder just before can find its file gone. The next attempt reads
    the newer generation. A file that stays missing is real damage and is raised.
    """
    for attempt in range(attempts):
        try:
            return read()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02)
    raise AssertionError("unreachable")  # pragma: no cover


def document_body(searcher: Searcher, docnum: int) -> str:
    """The body text of document ``docnum`` (kept in the ``body_text`` column).

    Read from the document's own segment: Whoosh's multi-segment column reader misnumbers
    documents when a segment has no file for the column. The column readers are opened once
    per searcher (opening one reads the column's offsets).
    """
    columns = searcher.__dict__.get("_corpus_search_body_columns")
    if columns is None:
        columns = [
            (base, leaf.column_reader("body_text", translate=False))
            if leaf.has_column("body_text")
            else (base, None)
            for leaf, base in searcher.reader().leaf_readers()
        ]
        searcher.__dict__["_corpus_search_body_columns"] = columns
    for base, column in reversed(columns):
        if docnum >= base:
            raw = column[docnum - base] if column is not None else b""
            return raw.decode("utf-8") if raw else ""
    return ""


def facet_counts(
    searcher: Searcher, q: Any, filter_q: Any = None
) -> dict[str, dict[str, int]]:
    """Counts of the documents matching ``q`` by source, party and year, largest first."""
    facets = {
        "source": FieldFacet("source", maptype=Count),
        "party": FieldFacet("party", allow_overlap=True, maptype=Count),
        "year": FieldFacet("year", maptype=Count),
    }
    results = searcher.search(q, filter=filter_q, limit=None, groupedby=facets, scored=False)
    return {name: _clean_counts(results.groups(name)) for name in facets}


def _clean_counts(groups: dict[Any, Any]) -> dict[str, int]:
    counts = Counter({str(k): int(v) for k, v in groups.items() if k not in (None, "", b"")})
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _auto_procs(doc_count: int) -> int:
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


def _identity(doc: Document) -> Document:
    return doc


def _first(item: tuple[Document, str]) -> Document:
    return item[0]


def _replace_body(doc: Document, body: str) -> Document:
    from dataclasses import replace

    return replace(doc, body=body)


def _document_from_fields(fields: dict[str, Any]) -> Document:
    date = fields.get("date")
    return Document(
        id=fields["id"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        date=date.date() if isinstance(date, dt.datetime) else date,
        source=fields.get("source") or None,
        url=fields.get("url") or None,
        path=fields.get("file") or None,
        date_source=fields.get("date_source") or None,
    )


def _as_path_list(
    value: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [str(Path(value).expanduser().resolve())]
    return [str(Path(v).expanduser().resolve()) for v in value]


def _has_whoosh_files(path: Path) -> bool:
    return path.is_dir() and any(p.suffix in (".toc", ".seg") for p in path.iterdir())


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def recorded_date_options(path: str | os.PathLike[str]) -> dict[str, DateOptions]:
    """The date options each folder of the index at ``path`` was last indexed with (empty when
    there is no readable index), so that a rebuild can date the folders as before."""
    try:
        with open(Path(path) / META_FILENAME, encoding="utf-8") as fh:
            roots = json.load(fh).get("roots") or {}
        return {
            str(root): DateOptions.from_dict(info.get("dates"))
            for root, info in roots.items()
            if isinstance(info, dict) and info.get("dates")
        }
    except (OSError, ValueError, AttributeError):
        return {}


def remove_index(path: str | os.PathLike[str]) -> None:
    """Delete an index folder, refusing folders that do not look like an index."""
    target = Path(path)
    if not target.exists():
        return
    if not ((target / META_FILENAME).exists() or _has_whoosh_files(target)) and any(
        target.iterdir()
    ):
        raise CorpusSearchError(
            f"Refusing to delete {target}: it is not empty and does not look like an index."
        )
    shutil.rmtree(target)
