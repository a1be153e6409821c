"""The on-disk index: create or open it, ingest folders incrementally, rebuild, delete, stats.

:class:`CorpusIndex` is the library's front door. It owns a Whoosh index directory plus a small
metadata file (``corpus_search.json``) that records which analyzer and lexicon built the index
(the user lexicon files with a digest of their content), which folders were ingested and which
boilerplate lines were found in them.

The metadata names the first generation (table of contents) it describes. A rebuild writes the
new generation beside the old one and its metadata before the commit, keeping the old metadata
inside it as ``previous``; a reader pairs the generation it opened with the metadata that
describes it, so it never searches one generation with another's lexicon. Only the index's own
files (:mod:`corpus_search.store.files`) are ever written or removed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.query import Every
from whoosh.searching import Searcher
from whoosh.util.filelock import try_for

from corpus_search.analysis.analyzer import ANALYZER_VERSION, document_parties
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.analysis.surface import WORDS_FIELD, surface_terms
from corpus_search.errors import (
    CorpusSearchError,
    DocumentIndexError,
    IndexBuildError,
    IndexCorruptError,
    IndexExistsError,
    IndexLocationError,
    IndexLockedError,
    IndexNotFoundError,
    IndexReadError,
    IndexVersionError,
    IndexWriteError,
    LexiconMissingError,
    WorkerError,
)
from corpus_search.ingest.boilerplate import strip_boilerplate
from corpus_search.ingest.dates import DateOptions, DateRules
from corpus_search.ingest.files import bundled_seeds_path, is_bundled_seeds
from corpus_search.ingest.model import Document
from corpus_search.ingesting import (
    IndexReport,
    ProgressCallback,
    Scan,
    assign_ids,
    auto_procs,
    check_location,
    check_sources,
    first_document,
    held_by_another_folder,
    holds_index,
    identity,
    offset,
    printable,
    reading_only,
    replace_body,
    scan_folder,
    text_problem,
    uncreatable,
    writing_progress,
)
from corpus_search.search import execute
from corpus_search.search.filters import SearchFilters
from corpus_search.search.ranking import RANKING, Ranking
from corpus_search.search.results import Hit, SearchResults
from corpus_search.search.state import SearchState
from corpus_search.store import meta as store_meta
from corpus_search.store.check import check_index
from corpus_search.store.columns import document_body, facet_counts, folder_counts
from corpus_search.store.files import (
    INDEX_NAME,
    META_FILENAME,
    folder_contents,
    is_own_file,
    is_write_failure,
    latest_generation,
    remove_index_files,
    remove_uncommitted,
    write_failure_message,
)
from corpus_search.store.generations import (
    CorpusFileIndex,
    NextGeneration,
    WriterStorage,
    close_all,
    committed_segments,
    default_index_path,
    demo_index_path,
    read_toc,
    stable_read,
)
from corpus_search.store.meta import (
    INDEX_FORMAT,
    as_path_list,
    changed_lexicon_files,
    current_meta,
    date_options_of,
    date_record,
    identity_of,
    lexicon_record,
    meta_for_generation,
    missing_lexicon_message,
    read_bytes,
    read_json,
    rebuild_command,
    recorded_ids,
    recorded_lexicon,
    root_record,
    set_recorded_ids,
    utc_now,
)
from corpus_search.store.schema import build_schema, document_from_fields, to_datetime
from corpus_search.store.writer import BulkSegmentWriter

__all__ = [
    "CorpusIndex",
    "IndexStats",
    "ReadableIndex",
    "open_demo_index",
    "rebuild_index",
    "remove_index",
]


#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_LOCK_TIMEOUT = 10.0


#: Attempts at opening a searcher while other processes commit (see _open_searcher).
_OPEN_RETRIES = 8


#: Errors that mean the index files on disk may be damaged or missing (a check decides).
_DAMAGE_ERRORS = (OSError, EOFError, struct.error, zlib.error, ValueError, KeyError, IndexError)


_T = TypeVar("_T")


def open_demo_index(notify: Callable[[str], None] | None = None) -> CorpusIndex:
    """The demo index of the bundled seed articles, built on first use, and built again when
    it cannot be searched as it is (made by another version, damaged, or of another
    installation's seeds). It is never your default index: ``corpus-search index FOLDER``
    builds that one, without the seeds. ``notify(message)`` is told when it is (re)built."""
    path = demo_index_path()
    seeds = bundled_seeds_path().resolve()
    try:
        ix = CorpusIndex.open(path)
    except IndexNotFoundError:
        why = f"No index yet: indexing the bundled seed articles into the demo index at {path}."
    except CorpusSearchError:
        why = f"The demo index at {path} is from another version: rebuilding it."
    else:
        if sorted(ix._meta.get("roots", {})) == [str(seeds)]:
            return ix
        ix.close()
        why = f"The demo index at {path} holds other articles: rebuilding it."
    if notify is not None:
        notify(why)
    rebuild_index(path, [seeds], id_prefix="", lexicon=[], date_from_path="", dates="")
    return CorpusIndex.open(path)


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
    #: each folder's documents and files: {folder: {"documents": n, "files": n}}
    folders: dict[str, dict[str, int]] = field(default_factory=dict)
    #: what a reader should know about the index, in sentences (the bundled seed articles
    #: beside your own folders, and how to drop them)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class ReadableIndex:
    """What every searchable index offers: search, browse, fetch and compare documents.

    :class:`CorpusIndex` (one index) and :class:`MultiIndex` (several searched as one) provide
    ``searcher()`` (a Whoosh searcher on the current documents), ``guard()`` (turning damage
    into the library's errors), ``lexicon``, ``schema`` and ``path``; everything below is built
    on them.
    """

    lexicon: Lexicon
    path: Any

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        raise NotImplementedError

    def guard(self) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    @property
    def search_state(self) -> SearchState:
        """The caches searches keep for this index (query parsers); a reload drops them."""
        state = self.__dict__.get("_search_state")
        if state is None:
            state = self._search_state = SearchState()
        return state

    def __len__(self) -> int:
        with self.guard():
            return self.searcher().doc_count()

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or ``None``."""
        fields = self.stored_fields(doc_id)
        return document_from_fields(fields) if fields else None

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
        """Search the index; see :func:`corpus_search.search.execute.search` for the details."""
        return execute.search(
            self, query, limit=limit, page=page, filters=filters, sort=sort,
            highlight=highlight, correct=correct,
        )

    def similar(self, doc_id: str, limit: int = 10) -> SearchResults:
        """Documents most like the document ``doc_id``."""
        return execute.similar(self, doc_id, limit=limit)


#: the attributes a CorpusIndex keeps across a reload (anything else is a cache)
_INSTANCE_STATE = frozenset({
    "path", "lock_timeout", "_searcher", "_retired", "_ranking", "_meta_path", "_meta",
    "_requested_lexicon", "lexicon", "_ix",
})


class CorpusIndex(ReadableIndex):
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
        self._setup(
            Path(path) if path is not None else default_index_path(),
            None if lexicon is None else as_path_list(lexicon),
            lock_timeout,
        )
        if self._exists() and not self._unfinished_creation():
            self._load()
        elif create:
            self.lexicon = load_lexicon(self._requested_lexicon or None)
            self._create()
        else:
            raise IndexNotFoundError(
                f"No corpus_search index at {self.path}. "
                f"Create one with: corpus-search index DIR --index {self.path}",
                self.path,
            )

    def _setup(self, path: Path, lexicon: list[str] | None, lock_timeout: float) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self._searcher: Searcher | None = None
        #: searchers replaced by newer ones, still open for searches that hold them
        self._retired: list[Searcher] = []
        self._ranking: Ranking | None = None
        self._meta_path = self.path / META_FILENAME
        self._meta: dict[str, Any] = {}
        #: the user lexicon files asked for (``None``: those the index records)
        self._requested_lexicon = lexicon

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
        """Create a new empty index; with ``overwrite`` replace whatever index is there.

        Replacing commits an empty generation beside the old one (see :func:`rebuild_index`):
        only the index's own files go, and a failure leaves the old index as it was.
        """
        target = Path(path) if path is not None else default_index_path()
        if holds_index(target):
            if not overwrite:
                raise IndexExistsError(
                    f"An index already exists at {target}; "
                    "pass overwrite=True (--rebuild) to replace it.",
                    target,
                )
            rebuild_index(
                target, [], lexicon=as_path_list(lexicon),
                lock_timeout=kwargs.get("lock_timeout", DEFAULT_LOCK_TIMEOUT),
            )
            return cls(target, lexicon=lexicon, create=False, **kwargs)
        return cls(target, lexicon=lexicon, create=True, **kwargs)

    @classmethod
    def _builder(cls, path: Path, lexicon: Lexicon, lock_timeout: float) -> CorpusIndex:
        """An instance that writes a whole new generation of the index at ``path``, built with
        ``lexicon``, whatever the current generation holds (see :func:`rebuild_index`)."""
        self = cls.__new__(cls)
        self._setup(path, list(lexicon.extra_paths), lock_timeout)
        self.lexicon = lexicon
        self._ix = NextGeneration(WriterStorage(str(path)), build_schema(lexicon))
        return self

    def _exists(self) -> bool:
        return holds_index(self.path)

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
                meta = read_json(self._meta_path)
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
            return not read_toc(self.path).segments
        except Exception:  # unreadable: not an interrupted creation but damage, reported later
            return False

    def _create(self) -> None:
        check_location(self.path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if is_write_failure(exc):  # no permission, read-only, full: IndexWriteError says so
                raise IndexWriteError(
                    write_failure_message(exc, self.path, creating=True), self.path
                ) from None
            raise IndexLocationError(uncreatable(self.path, exc), self.path) from None
        now = utc_now()
        self._meta = {
            "format": INDEX_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            **lexicon_record(self.lexicon),
            "created": now,
            "modified": now,
            "roots": {},
            "generation": 0,
        }
        schema = build_schema(self.lexicon)
        try:
            whoosh_index.create_in(str(self.path), schema, INDEX_NAME)
            self._ix = CorpusFileIndex(WriterStorage(str(self.path)), schema, INDEX_NAME)
            store_meta.atomic_write_json(self._meta_path, self._meta)
        except OSError as exc:
            raise IndexWriteError(
                write_failure_message(exc, self.path, creating=True), self.path
            ) from None

    def _load(self) -> None:
        """Read the metadata that describes the newest generation, load the lexicon it names,
        check that this version can search it, and open it."""
        generation = -1
        for attempt in range(_OPEN_RETRIES):
            generation = latest_generation(self.path)
            meta = self._meta_for(generation)
            if meta is not None:
                break
            time.sleep(0.01 * (attempt + 1))  # a rebuild is committing: its TOC comes next
        else:
            self._meta = self._read_meta()
            raise IndexCorruptError(
                f"The index at {self.path} is damaged: its {META_FILENAME} does not describe "
                f"its newest table of contents (generation {generation}). "
                f"{self._rebuild_hint()}",
                self.path,
            )
        self._meta = meta
        self.lexicon = self._lexicon_for(meta)
        self._check_version()
        self._ix = self._open_whoosh()

    def _reload(self) -> None:
        """Follow another process's rebuild: the new generation has another lexicon. What
        other modules cached on this instance (query parsers hold the old analyzer) goes."""
        self._retire_searcher()
        for name in [n for n in vars(self) if n not in _INSTANCE_STATE]:
            delattr(self, name)
        self._load()

    def _read_meta(self) -> dict[str, Any]:
        try:
            meta = read_json(self._meta_path)
        except FileNotFoundError:
            raise IndexCorruptError(
                f"The index at {self.path} has no {META_FILENAME}: it was not made by "
                f"corpus_search or is damaged. {self._rebuild_hint()}",
                self.path,
            ) from None
        except ValueError as exc:
            raise IndexCorruptError(
                f"Cannot read {self._meta_path}: {exc}. {self._rebuild_hint()}", self.path
            ) from None
        except OSError as exc:
            raise IndexReadError(
                f"Cannot read {self._meta_path} ({exc.strerror or exc}).", self.path
            ) from None
        if not isinstance(meta, dict):
            raise IndexCorruptError(
                f"{self._meta_path} is malformed. {self._rebuild_hint()}", self.path
            )
        return meta

    def _meta_for(self, generation: int) -> dict[str, Any] | None:
        return meta_for_generation(self._read_meta(), generation)

    def _lexicon_for(self, meta: dict[str, Any]) -> Lexicon:
        """The lexicon asked for, else the one the index records (a recorded user file that
        is gone gets a message saying what to do)."""
        if self._requested_lexicon is not None:
            return load_lexicon(self._requested_lexicon or None)
        recorded = recorded_lexicon(meta)
        for p in recorded:
            if not os.path.isfile(p):
                raise LexiconMissingError(missing_lexicon_message(self.path, meta, p), self.path)
        return load_lexicon(recorded or None)

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
            changed = changed_lexicon_files(meta, self.lexicon)
            since = f"; {', '.join(changed)} changed since" if changed else ""
            problems.append(
                f"lexicon {str(meta.get('lexicon_fingerprint'))[:12]} "
                f"(the current lexicon is {self.lexicon.fingerprint[:12]}{since})"
            )
        if problems:
            raise IndexVersionError(
                f"The index at {self.path} was built with {'; '.join(problems)}. "
                f"This version cannot search it as it is. {self._rebuild_hint()}",
                self.path,
            )

    def _rebuild_hint(self) -> str:
        return f"Rebuild it with: {self.rebuild_command()}"

    def rebuild_command(self) -> str:
        """The command that rebuilds this index with every folder, id prefix and lexicon file
        it was built with (or the lexicon files this instance was opened with)."""
        return rebuild_command(self.path, self._meta, self._requested_lexicon)

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
            raise IndexCorruptError(
                f"The index at {self.path} has no table of contents (a segment or TOC file is "
                f"missing). {self._rebuild_hint()}",
                self.path,
            ) from None
        except CorpusSearchError:
            raise
        except Exception as exc:  # unpickling or reading damaged files can raise anything
            raise self._diagnose(exc) from None

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Translate low-level errors from reading the index into the library's errors: damage
        (:class:`IndexCorruptError`) only when a check of the index confirms it."""
        try:
            yield
        except CorpusSearchError:
            raise
        except whoosh_index.LockError:
            raise self._locked_error() from None
        except Exception as exc:
            # Whoosh's readers report unreadable data with bare Exception ("Block tag error")
            # or their own classes as well as the usual OSError/struct/zlib family.
            if not _looks_like_damage(exc):
                raise
            self._drop_searcher()
            failure = self._diagnose(exc)
            if failure is exc:
                raise
            raise failure from None

    def _diagnose(self, exc: BaseException, *, writing: bool = False) -> BaseException:
        """What ``exc``, raised while using the index, means: :class:`IndexCorruptError` if a
        check of the index finds damage; otherwise a read (or write) error for an OS error,
        and ``exc`` itself for anything else (a bug, not the index's fault)."""
        try:
            report = check_index(self.path, lexicon=self.lexicon)
        except CorpusSearchError as err:
            return err
        if report.status == "damaged":
            return IndexCorruptError(
                f"The index at {self.path} is damaged: {report.summary()} "
                f"{self._rebuild_hint()}",
                self.path,
            )
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
        :data:`corpus_search.search.ranking.RANKING`). Asking for another ranking re-weights the
        same searcher, so a searcher handed out earlier in the same search stays open.
        """
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

    @property
    def schema(self) -> Schema:
        """The Whoosh schema of the index (its analyzer is built from the index's lexicon)."""
        return self._ix.schema

    @property
    def is_demo(self) -> bool:
        """Whether this is the demo index of the bundled seed articles
        (:func:`open_demo_index`)."""
        return self.path.absolute() == demo_index_path().absolute()

    def _open_searcher(self, ranking: Ranking) -> Searcher:
        """Open a searcher on the newest generation, riding out a commit in another process.

        Between listing the newest table of contents and opening it (or its segments), a
        concurrent commit can delete those files; the next attempt finds the newer generation.
        Files still missing after the retries really are gone, and guard() reports damage.
        A generation that another process rebuilt with another lexicon is opened with that
        lexicon (the metadata says which generation it describes).
        """
        for attempt in range(_OPEN_RETRIES):
            try:
                searcher = self._ix.searcher(weighting=ranking.weighting())
            except FileNotFoundError:
                if attempt == _OPEN_RETRIES - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            if self._follows(searcher.reader().generation()):
                return searcher
            searcher.close()
        raise IndexLockedError(
            f"The index at {self.path} keeps being rebuilt by another process. Try again when "
            "it has finished.",
            self.path,
        )

    def _follows(self, generation: int) -> bool:
        """Whether this instance reads ``generation`` as it was built; if it was built another
        way (another process rebuilt the index), reload and say no."""
        meta = self._meta_for(generation)
        if meta is not None and identity_of(meta) == identity_of(self._meta):
            # the same lexicon: take the folders other processes recorded meanwhile
            meta.update(lexicon_record(self.lexicon))
            self._meta = meta
            return True
        self._reload()
        return False

    # -- writing -------------------------------------------------------------------------

    def _lock(self) -> Any:
        """The index's write lock, acquired (waiting up to ``lock_timeout`` seconds)."""
        lock = FileStorage(str(self.path)).lock(f"{INDEX_NAME}_WRITELOCK")
        try:
            acquired = try_for(lock.acquire, timeout=self.lock_timeout, delay=0.05)
        except OSError as exc:
            raise IndexWriteError(write_failure_message(exc, self.path), self.path) from None
        if not acquired:
            raise self._locked_error()
        return lock

    def _writer(self, procs: int = 1, **kwargs: Any) -> BulkSegmentWriter:
        """The bulk writer (see ``writer.py``), holding the write lock; ``procs`` is the
        number of processes its :meth:`~BulkSegmentWriter.add_many` uses.

        If another process rebuilt the index with another lexicon since this instance read
        it, the instance reloads first: documents are always analysed as the generation they
        join was.
        """
        for _attempt in range(3):
            writer = self._new_writer(procs, **kwargs)
            if isinstance(self._ix, NextGeneration):
                return writer
            try:
                meta = self._meta_for(writer.generation - 1)
            except BaseException:
                self._abandon(writer)
                raise
            if meta is not None and identity_of(meta) == identity_of(self._meta):
                return writer
            self._abandon(writer)
            self._reload()
        raise IndexLockedError(
            f"The index at {self.path} keeps being rebuilt by another process. Try again when "
            "it has finished.",
            self.path,
        )

    def _new_writer(self, procs: int, **kwargs: Any) -> BulkSegmentWriter:
        lock = self._lock()
        storage = self._ix.storage
        if isinstance(storage, WriterStorage):
            storage.created = []  # until the transaction ends (a writer opens files at once)
        try:
            writer = self._ix.writer(procs=procs, _lk=False, freeze_gc=True, **kwargs)
        except BaseException as exc:
            try:
                if isinstance(storage, WriterStorage):
                    close_all(storage.created or ())
                    storage.created = None
                freed = self._tidy()
            finally:
                with contextlib.suppress(Exception):
                    lock.release()
            failure = self._write_failure(exc, freed)
            if failure is exc:
                raise
            raise failure from None
        writer.writelock = lock
        return writer

    def _transaction(self, procs: int, work: Callable[[BulkSegmentWriter], _T]) -> _T:
        """Run ``work(writer)`` and commit, holding the write lock.

        If anything fails (or the process is interrupted), the files of the unfinished write
        are removed before the lock is released and the index keeps its last commit; the
        error says what went wrong: a write the system refused (:class:`IndexWriteError`,
        naming the disk), a bad document (:class:`DocumentIndexError`), or damage that a
        check of the index confirms (:class:`IndexCorruptError`).
        """
        writer = self._writer(procs)
        meta_before = read_bytes(self._meta_path)  # under the lock: the committed record
        storage = writer.storage
        opened = (storage.created if isinstance(storage, WriterStorage) else None) or []
        try:
            result = work(writer)
            writer.commit()
        except BaseException as exc:
            # (a failure after the new table of contents is in place keeps its segments)
            freed = self._abandon(writer, meta_before, opened)
            failure = self._write_failure(exc, freed)
            if failure is exc:
                raise
            raise failure from None
        finally:
            if isinstance(storage, WriterStorage):
                storage.created = None
        return result

    def _abandon(
        self, writer: BulkSegmentWriter, meta_before: bytes | None = None,
        opened: Sequence[Any] = (),
    ) -> int:
        """Cancel ``writer``, close the files it ``opened`` (a cancel cut short by a full disk
        leaves some open, and a deleted file still open keeps its space), remove the files
        of its unfinished write, put back the metadata it replaced (``meta_before``) unless
        it committed, release the lock; return the bytes freed. Never raises."""
        lock, writer.writelock = writer.writelock, None
        try:
            if not writer.is_closed:
                with contextlib.suppress(Exception):
                    writer.cancel()
            close_all(opened)
            freed = self._tidy()
            if meta_before is not None and not writer.committed and \
                    read_bytes(self._meta_path) != meta_before:
                # (if this fails too, readers still pair the old generation with its record)
                with contextlib.suppress(OSError):
                    store_meta.atomic_write_bytes(self._meta_path, meta_before)
            return freed
        except Exception:
            return 0
        finally:
            if lock is not None:
                with contextlib.suppress(Exception):
                    lock.release()

    def _tidy(self) -> int:
        """Remove what unfinished writes left in the folder (call holding the write lock)."""
        return remove_uncommitted(self.path, committed_segments(self.path))

    def _write_failure(self, exc: BaseException, freed: int) -> BaseException:
        """The error to report for ``exc``, raised while writing (see :meth:`_transaction`)."""
        if isinstance(exc, CorpusSearchError):
            return exc
        if isinstance(exc, whoosh_index.LockError):
            return self._locked_error()
        if isinstance(exc, WorkerError):
            return IndexBuildError(_worker_failure_message(exc, self.path), self.path)
        if is_write_failure(exc):
            assert isinstance(exc, OSError)
            return IndexWriteError(
                write_failure_message(exc, self.path, freed=freed), self.path
            )
        if isinstance(exc, Exception) and _looks_like_damage(exc):
            return self._diagnose(exc, writing=True)
        return exc

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

    @property
    def whoosh_index(self) -> CorpusFileIndex:
        """The Whoosh index underneath, for tools and tests that read or write segments
        directly (what they write bypasses this index's metadata and checks)."""
        return self._ix

    def document_fields(self, doc: Document, root: str = "", sig: str = "") -> dict[str, Any]:
        """The fields ``doc`` is written with (what the writer's ``add_document`` takes):
        ``root`` and ``sig`` record the folder and file signature it was read from. Raises
        :class:`~corpus_search.errors.DocumentIndexError` for text that cannot be indexed."""
        problem = text_problem(doc)
        if problem:
            raise DocumentIndexError(
                f"Document {printable(str(doc.id))!r} cannot be indexed: {problem}. Nothing of "
                "this write was committed; the index keeps its last commit."
            )
        date = to_datetime(doc.date)
        parties = document_parties(doc.title, doc.body, self.lexicon)
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

    def _field_maker(self, scan: Scan) -> Callable[[tuple[Document, str]], dict[str, Any]]:
        """``to_fields`` for the items of a folder scan: boilerplate stripped, root recorded."""
        boilerplate, root_key = scan.boilerplate, scan.root_key

        def to_fields(item: tuple[Document, str]) -> dict[str, Any]:
            doc, sig = item
            if boilerplate:
                body = strip_boilerplate(doc.body, boilerplate)
                if body is not doc.body:
                    doc = replace_body(doc, body)
            return self.document_fields(doc, root_key, sig)

        return to_fields

    def add_documents(
        self, documents: Iterable[Document], *, procs: int | None = 1
    ) -> int:
        """Add or replace documents (matched by id); return how many were written.

        ``procs`` processes build the new segments (``None``: chosen for the batch, see
        :func:`auto_procs`); with more than one, ``documents`` is read into a list first.
        A document that cannot be indexed raises :class:`DocumentIndexError` and nothing of
        the batch is committed.
        """
        if procs is None:
            documents = documents if isinstance(documents, Sequence) else list(documents)
            procs = auto_procs(len(documents))
        use_procs = procs

        def work(writer: BulkSegmentWriter) -> int:
            count = self._write_all(
                writer, documents, self.document_fields, use_procs, replace=True, doc_of=identity
            )
            self._save_meta(writer.generation - 1)
            return count

        return self._transaction(procs, work)

    def delete(self, ids: str | Iterable[str]) -> int:
        """Delete documents by id; return how many were deleted."""
        if isinstance(ids, str):
            ids = [ids]
        wanted = list(ids)

        def work(writer: BulkSegmentWriter) -> int:
            deleted = sum(writer.delete_by_term("id", i) for i in wanted)
            self._save_meta(writer.generation - 1)
            return deleted

        return self._transaction(1, work)

    def _save_meta(self, base_generation: int, root_key: str | None = None) -> None:
        """Write the metadata, merged with whatever other processes recorded since we read it.

        Writers call this while they hold the write lock, just before the Whoosh commit: two
        writers then never overwrite each other's folder records (each instance's copy of the
        metadata is as old as its opening), and a crash right after the commit cannot lose the
        folder's record or its boilerplate lines. A record written just before a crash that
        stopped the commit is harmless: the next run re-reads the folder anyway.
        ``base_generation`` is the generation the write builds on (what the metadata on disk
        is read for: a rebuild that never committed left its own record there).
        """
        try:
            disk = meta_for_generation(read_json(self._meta_path), base_generation)
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
        self._meta.update(lexicon_record(self.lexicon))
        self._meta["modified"] = utc_now()
        store_meta.atomic_write_json(self._meta_path, self._meta)

    def _update_meta(self, root_key: str | None = None) -> bool:
        """Save the metadata alone (no documents changed), under the write lock; if another
        process rebuilt the index another way meanwhile, reload instead (this record belongs
        to the generation it replaced) and return False."""
        lock = self._lock()
        try:
            generation = latest_generation(self.path)
            current = self._meta_for(generation)
            if current is None or identity_of(current) != identity_of(self._meta):
                self._reload()
                return False
            self._save_meta(generation, root_key)
            return True
        except OSError as exc:
            raise IndexWriteError(write_failure_message(exc, self.path), self.path) from None
        finally:
            with contextlib.suppress(Exception):
                lock.release()

    def index_directory(
        self,
        root: str | os.PathLike[str],
        *,
        id_prefix: str | None = None,
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

        Ids (see docs/ingest.md, "Ids"): a document's id is ``id_prefix`` and its path (or
        record id) relative to ``root``, unless a document of another folder already holds
        that id: then it is ``<folder name>/<id>``, kept on later runs. Indexing one folder
        never replaces another folder's documents. ``id_prefix`` is recorded for the folder:
        ``None`` keeps the recorded one (none at first), and a new one re-ids every document
        of the folder.

        Dates (see docs/ingest.md): ``dates`` is a sidecar file mapping ids or paths to dates,
        ``date_from_path`` a pattern such as ``"%Y/%m/%d"`` for dates in file and folder
        names, ``date_from`` the guesses allowed (``"dateline"``, ``"path"``, ``"mtime"``, in
        order; ``"none"`` for none). They are recorded for the folder: ``None`` keeps what the
        last run used, ``""`` clears a sidecar or pattern. When they change, every file of the
        folder is dated afresh.
        """
        started = time.perf_counter()
        root_path = check_sources([root], self.path)[0]
        root_key = str(root_path)
        known = self._known_files(root_key)  # file -> (signature, [ids])
        before = dict(self._meta.get("roots", {}).get(root_key) or {})
        recorded_prefix = before.get("id_prefix", "")
        prefix = recorded_prefix if id_prefix is None else id_prefix
        date_rules = DateOptions.from_dict(before.get("dates")).updated(
            sidecar=dates, path_pattern=date_from_path, guesses=date_from
        ).rules()
        # documents dated under other rules, or named with another prefix, are read again,
        # even if their files are unchanged
        redate = before.get("dates_fingerprint", date_rules.fingerprint) != date_rules.fingerprint
        scan = scan_folder(
            root_path, prefix, known, frozenset(before.get("boilerplate", [])), progress,
            date_rules, redate or prefix != recorded_prefix,
        )
        report = scan.report
        reserved = recorded_ids(before) if prefix == recorded_prefix else {}
        rewritten = {rel for rel, _sig, _docs in scan.changed} | set(scan.gone)
        kept = {i for rel, (_sig, ids) in known.items() if rel not in rewritten for i in ids}
        record = {**before, "id_prefix": prefix, "boilerplate": sorted(scan.boilerplate),
                  **date_record(date_rules)}
        set_recorded_ids(record, {n: i for n, i in reserved.items() if i in kept})

        if scan.changed or scan.gone:
            items = scan.items()
            use_procs = procs if procs is not None else auto_procs(len(items))

            def work(writer: BulkSegmentWriter) -> None:
                # ids are chosen under the write lock, against what the index holds now
                with self._ix.searcher() as searcher:
                    ids = assign_ids(
                        scan, held_by_another_folder(searcher, root_key), reserved, kept
                    )
                set_recorded_ids(record, ids)
                items[:] = scan.items()
                for rel in scan.gone:
                    for doc_id in known[rel][1]:
                        writer.delete_by_term("id", doc_id)
                for rel, _sig, _docs in scan.changed:
                    if rel in known:
                        for doc_id in known[rel][1]:
                            writer.delete_by_term("id", doc_id)
                report.documents += self._write_all(
                    writer, items, self._field_maker(scan), use_procs, replace=bool(known),
                    doc_of=first_document, progress=writing_progress(progress, len(items)),
                )
                self._meta.setdefault("roots", {})[root_key] = {**record, "indexed": utc_now()}
                self._save_meta(writer.generation - 1, root_key)
                if progress:
                    progress("committing", 0, 0, "")

            self._transaction(use_procs, work)
        elif record != before or recorded_lexicon(self._meta) != list(self.lexicon.extra_paths):
            # a new (or empty) folder, new boilerplate or date options, or a lexicon file given
            # a new place
            self._meta.setdefault("roots", {})[root_key] = {**record, "indexed": utc_now()}
            self._update_meta(root_key)
        report.seconds = time.perf_counter() - started
        return report

    def _rebuild(
        self,
        roots: Sequence[Path],
        prefixes: Sequence[str],
        reserved_ids: Sequence[dict[str, str]],
        procs: int | None,
        progress: ProgressCallback | None,
        date_rules: Sequence[DateRules],
    ) -> list[IndexReport]:
        """Write every folder (with its id prefix, dated by its ``date_rules``) into a new
        generation and commit it in one go (a builder's part of :func:`rebuild_index`).
        ``reserved_ids`` are the ids each folder gave its documents before (see
        :func:`assign_ids`), kept so that a rebuild does not rename documents."""
        started = time.perf_counter()
        reading = reading_only(progress)  # the writing phase counts every folder's documents
        scans = [
            scan_folder(root, prefix, {}, frozenset(), reading, rules)
            for root, prefix, rules in zip(roots, prefixes, date_rules, strict=True)
        ]
        taken: set[str] = set()
        for scan, reserved in zip(scans, reserved_ids, strict=True):
            scan.ids = assign_ids(scan, taken.__contains__, reserved, set())
            taken.update(doc.id for doc, _sig in scan.items())
        total = sum(len(scan.items()) for scan in scans)
        use_procs = procs if procs is not None else auto_procs(total)
        if progress and total:
            progress("writing", 0, total, "")
        written = writing_progress(progress, total)

        def work(writer: BulkSegmentWriter) -> None:
            done_before = 0
            for scan in scans:
                items = scan.items()
                scan.report.documents += self._write_all(
                    writer, items, self._field_maker(scan), use_procs, replace=False,
                    doc_of=first_document,
                    progress=None if written is None else offset(written, done_before),
                )
                done_before += len(items)
            self._meta = self._next_meta(scans, writer.generation)
            store_meta.atomic_write_json(self._meta_path, self._meta)
            if progress:
                progress("committing", 0, 0, "")

        self._transaction(use_procs, work)
        seconds = time.perf_counter() - started
        for scan in scans:
            scan.report.seconds = seconds
        return [scan.report for scan in scans]

    def _next_meta(self, scans: Sequence[Scan], generation: int) -> dict[str, Any]:
        """The metadata of a rebuilt generation; it keeps the record of the generation before
        it until it is committed (read under the write lock, so it is the current one)."""
        try:
            previous = meta_for_generation(read_json(self._meta_path), generation - 1)
        except (OSError, ValueError):
            previous = None
        now = utc_now()
        meta: dict[str, Any] = {
            "format": INDEX_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            **lexicon_record(self.lexicon),
            "created": now,
            "modified": now,
            "roots": {
                scan.root_key: set_recorded_ids({
                    "id_prefix": scan.id_prefix,
                    "boilerplate": sorted(scan.boilerplate),
                    **date_record(scan.date_rules),
                    "indexed": now,
                }, scan.ids)
                for scan in scans
            },
            "generation": generation,
        }
        if previous is not None:
            meta["previous"] = previous
        return meta

    def _known_files(self, root_key: str) -> dict[str, tuple[str, list[str]]]:
        known: dict[str, tuple[str, list[str]]] = {}
        with self.guard(), self._ix.searcher() as searcher:
            for fields in searcher.documents(root=root_key):
                rel = fields.get("file", "")
                sig, ids = known.get(rel, (fields.get("file_sig", ""), []))
                ids.append(fields["id"])
                known[rel] = (sig, ids)
        return known

    # -- reading (and the reading methods of ReadableIndex) -----------------------------

    def stats(self) -> IndexStats:
        """Counts, size on disk and provenance of the index."""
        with self.guard():
            searcher = self.searcher()
            groups = facet_counts(searcher, Every())
            folders = folder_counts(searcher.reader())
            documents = searcher.doc_count()
        size = sum(
            p.stat().st_size for p in self.path.iterdir() if p.is_file() and is_own_file(p.name)
        )  # the index's files, not what else the user keeps in the folder
        roots = sorted(self._meta.get("roots", {}))
        return IndexStats(
            path=str(self.path),
            documents=documents,
            files=sum(counts["files"] for counts in folders.values()),
            size_bytes=size,
            analyzer_version=self._meta.get("analyzer_version", ""),
            lexicon_fingerprint=self._meta.get("lexicon_fingerprint", ""),
            roots=roots,
            sources=groups["source"],
            parties=groups["party"],
            years=dict(sorted(groups["year"].items())),
            last_modified=self._meta.get("modified"),
            folders={root: folders.get(root, {"documents": 0, "files": 0}) for root in roots},
            notes=self._seed_notes(roots),
        )

    def _seed_notes(self, roots: Sequence[str]) -> list[str]:
        """A note when the bundled seed articles sit beside your own folders (an index made
        by a version that added them to the default index on the first search)."""
        seeds = [root for root in roots if is_bundled_seeds(root)]
        if not seeds or len(seeds) == len(roots):
            return []
        meta = dict(self._meta)
        meta["roots"] = {k: v for k, v in self._meta.get("roots", {}).items() if k not in seeds}
        return [
            "This index holds the bundled seed articles (a demo) beside your own folders; "
            f"to drop them, rebuild it without them: {rebuild_command(self.path, meta)}"
        ]


def rebuild_index(
    path: str | os.PathLike[str] | None,
    folders: Sequence[str | os.PathLike[str]],
    *,
    id_prefix: str | None = None,
    lexicon: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    procs: int | None = None,
    progress: ProgressCallback | None = None,
    dates: str | os.PathLike[str] | None = None,
    date_from_path: str | None = None,
    date_from: str | Sequence[str] | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> list[IndexReport]:
    """Build the index at ``path`` again from ``folders``; return a report per folder.

    Each folder is dated as :meth:`CorpusIndex.index_directory` dates it: the date options
    given here replace, and ``None`` keeps, what the index records for that folder, so a
    rebuild dates every folder as before unless told otherwise. ``id_prefix`` likewise: given,
    it is every folder's prefix; ``None`` keeps each folder's recorded prefix (none for a new
    folder). Documents keep the ids the index gave them (see docs/ingest.md, "Ids"), as long as
    their folder keeps its prefix.

    Everything is checked before the old index is touched: the index path can hold an index,
    every folder exists and can be read, none holds the index or lies inside it, the lexicon
    files and dates files load. The new generation is then written beside the old one, under
    the write lock, and replaces it in one commit: until then searches (in any process) use
    the old index, from then on the new one, and a failure or a kill on the way leaves the old
    index as it was. This works on a damaged index too: the old generation is never read.

    ``lexicon=None`` keeps the user lexicon files the index records; ``[]`` drops them.
    Only the index's own files are ever removed (what the old generation leaves behind).
    """
    target = Path(path).expanduser() if path is not None else default_index_path()
    check_location(target)
    roots = check_sources(folders, target)
    old = current_meta(target)
    recorded_dates = date_options_of(old)
    date_rules = [
        recorded_dates.get(str(root), DateOptions()).updated(
            sidecar=dates, path_pattern=date_from_path, guesses=date_from
        ).rules()
        for root in roots
    ]
    records = [root_record(old, str(root)) for root in roots]
    prefixes = [
        record.get("id_prefix", "") if id_prefix is None else id_prefix for record in records
    ]
    reserved = [
        recorded_ids(record) if record.get("id_prefix", "") == prefix else {}
        for record, prefix in zip(records, prefixes, strict=True)
    ]
    if lexicon is None:
        extras = recorded_lexicon(old)
        for p in extras:
            if not os.path.isfile(p):
                raise LexiconMissingError(
                    f"The index at {target} was built with the lexicon file {p}, which is "
                    "missing (moved or deleted): put it back, give its new place with "
                    "--lexicon, or rebuild without it with --no-lexicon.",
                    target,
                )
    else:
        extras = as_path_list(lexicon)
    lex = load_lexicon(extras or None)
    if latest_generation(target) < 0:
        # nothing committed yet: start from an empty index, so that a kill during the build
        # leaves one (a folder of segments without a table of contents stays as it is)
        with contextlib.suppress(IndexCorruptError):
            CorpusIndex(target, lexicon=extras).close()
    return CorpusIndex._builder(target, lex, lock_timeout)._rebuild(
        roots, prefixes, reserved, procs, progress, date_rules
    )


def _looks_like_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is the kind of error that reading damaged index files raises."""
    return (
        isinstance(exc, _DAMAGE_ERRORS)
        or type(exc) is Exception
        or type(exc).__module__.startswith("whoosh.")
    )



def remove_index(path: str | os.PathLike[str]) -> None:
    """Delete the index at ``path``: its own files only (see :mod:`corpus_search.store.files`),
    and the folder if nothing else is left in it. Refuses a folder that holds other files but
    no index, and waits for the write lock like any writer."""
    target = Path(path)
    if not target.exists():
        return
    if not target.is_dir():
        raise IndexLocationError(f"Refusing to delete {target}: it is a file, not an index.")
    try:
        contents = folder_contents(target)
    except OSError as exc:
        raise IndexReadError(f"Cannot read the folder {target} ({exc.strerror}).") from None
    if contents.foreign and not contents.holds_index:
        raise IndexLocationError(
            f"Refusing to delete {target}: it is not empty and does not look like an index.",
            target,
        )
    lock = FileStorage(str(target)).lock(f"{INDEX_NAME}_WRITELOCK")
    try:
        if not try_for(lock.acquire, timeout=DEFAULT_LOCK_TIMEOUT, delay=0.05):
            raise IndexLockedError(
                f"The index at {target} is being written by another process. Try again when "
                "it has finished.",
                target,
            )
        remove_index_files(target)
    except OSError as exc:
        raise IndexWriteError(write_failure_message(exc, target), target) from None
    finally:
        with contextlib.suppress(Exception):
            lock.release()


def _worker_failure_message(exc: WorkerError, path: Path) -> str:
    """One line for a parallel build whose worker process died or failed."""
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
        why = f"failed ({_one_line(str(exc))})"
    return (
        f"Indexing into {path} stopped: a process building the index {why}. Nothing of this "
        "run was committed: the index keeps its last commit. Run the command again, with "
        "--procs 1 (or procs=1) to use less memory."
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
