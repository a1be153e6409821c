"""The on-disk index: create or open it, ingest folders incrementally, rebuild, delete, stats.

:class:`CorpusIndex` is the library's front door. It owns a Whoosh index directory plus a small
metadata file (``corpus_search.json``) that records which analyzer and lexicon built the index
(the user lexicon files with a digest of their content), which folders were ingested and which
boilerplate lines were found in them.

The metadata names the first generation (table of contents) it describes. A rebuild writes the
new generation beside the old one and its metadata before the commit, keeping the old metadata
inside it as ``previous``; a reader pairs the generation it opened with the metadata that
describes it, so it never searches one generation with another's lexicon. Only the index's own
files (:mod:`corpus_search.index_files`) are ever written or removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import signal
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import platformdirs
from whoosh import index as whoosh_index
from whoosh.codec import base as whoosh_codec_base
from whoosh.columns import CompressedBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.query import Every
from whoosh.reading import EmptyReader, MultiReader
from whoosh.searching import Searcher
from whoosh.sorting import Count, FieldFacet
from whoosh.util.filelock import try_for

from corpus_search.analysis import ANALYZER_VERSION, long_words, parties_in, political_analyzer
from corpus_search.dates import DateOptions, DateRules
from corpus_search.documents import (
    SUPPORTED_EXTENSIONS,
    Document,
    bundled_seeds_path,
    disambiguated_ids,
    file_signature,
    find_boilerplate,
    folder_label,
    is_bundled_seeds,
    iter_source_files,
    read_file,
    strip_boilerplate,
)
from corpus_search.errors import (
    CorpusSearchError,
    DocumentIndexError,
    IndexBuildError,
    IndexCorruptError,
    IndexLocationError,
    IndexLockedError,
    IndexNotFoundError,
    IndexReadError,
    IndexVersionError,
    IndexWriteError,
    IngestError,
    LexiconMissingError,
    QueryError,
)
from corpus_search.index_files import (
    INDEX_NAME,
    META_FILENAME,
    committed_segment_names,
    folder_contents,
    is_own_file,
    is_write_failure,
    latest_generation,
    remove_index_files,
    remove_uncommitted,
    write_failure_message,
)
from corpus_search.lexicon import MAX_WORD_LENGTH, Lexicon, load_lexicon
from corpus_search.spelling import WORDS_FIELD, surface_terms
from corpus_search.writer import BulkSegmentWriter, WorkerError

if TYPE_CHECKING:
    from corpus_search.search import Ranking, SearchFilters, SearchResults

__all__ = [
    "INDEX_FORMAT",
    "CorpusIndex",
    "IndexReport",
    "IndexStats",
    "MultiIndex",
    "ReadableIndex",
    "check_sources",
    "default_index_path",
    "demo_index_path",
    "meta_for_generation",
    "open_demo_index",
    "open_for_search",
    "open_indexes",
    "rebuild_command",
    "rebuild_index",
    "recorded_date_options",
    "remove_index",
]

#: Version of the schema and metadata layout; bumped when they change incompatibly. (The
#: ``generation``, ``previous`` and ``lexicon_files`` keys are additions older indexes lack.)
#: 3: documents record where their date came from (``date_source``).
#: 4: the ``words`` field (the words of each document as written, for spelling and wildcards).
INDEX_FORMAT = 4

#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_LOCK_TIMEOUT = 10.0

#: Attempts at opening a searcher while other processes commit (see _open_searcher).
_OPEN_RETRIES = 8

#: Errors that mean the index files on disk may be damaged or missing (a check decides).
_DAMAGE_ERRORS = (OSError, EOFError, struct.error, zlib.error, ValueError, KeyError, IndexError)

#: ``progress(phase, done, total, item)`` while a folder is indexed. Phases, in order:
#: ``"reading"`` (files: ``item`` is the file), ``"writing"`` (documents analysed and written
#: to new segments) and ``"committing"`` (``total`` 0: no count, it ends when the call does).
ProgressCallback = Callable[[str, int, int, str], None]
PROGRESS_PHASES = ("reading", "writing", "committing")
_T = TypeVar("_T")


def default_index_path() -> Path:
    """The index location used when none is given: the user data folder of corpus-search."""
    return Path(platformdirs.user_data_dir("corpus-search", appauthor=False)) / "index"


def demo_index_path() -> Path:
    """The demo index's location, beside the default index: the bundled seed articles, which
    ``corpus-search search`` shows before you have indexed anything."""
    return default_index_path().with_name("demo-index")


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


def open_for_search(
    paths: Sequence[str | os.PathLike[str]] = (),
    notify: Callable[[str], None] | None = None,
) -> CorpusIndex | MultiIndex:
    """The index to search: the ``paths`` given (:func:`open_indexes`); else the default
    index if it exists; else the demo index of the bundled seed articles
    (:func:`open_demo_index`, which tells ``notify`` when it builds it)."""
    if paths:
        return open_indexes(paths)
    if _holds_index(default_index_path()):
        return CorpusIndex.open()
    return open_demo_index(notify)


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
    #: files indexed before that cannot be read now (their folder or the file itself): their
    #: documents are kept, and ``skipped`` says why
    kept: int = 0
    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    boilerplate_lines: int = 0
    #: words longer than :data:`~corpus_search.lexicon.MAX_WORD_LENGTH` characters, which
    #: the analyzer drops (each file holding some gets a warning)
    long_words: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "indexed": self.indexed,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "kept": self.kept,
            "documents": self.documents,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "warnings": list(self.warnings),
            "boilerplate_lines": self.boilerplate_lines,
            "long_words": self.long_words,
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
    #: each folder's documents and files: {folder: {"documents": n, "files": n}}
    folders: dict[str, dict[str, int]] = field(default_factory=dict)
    #: what a reader should know about the index, in sentences (the bundled seed articles
    #: beside your own folders, and how to drop them)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON over ``path`` atomically (see :func:`_atomic_write_bytes`)."""
    _atomic_write_bytes(path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file, fsync it and rename it over ``path``; a failed
    write (a full disk) removes the temporary file and leaves ``path`` as it was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def meta_for_generation(meta: Any, generation: int) -> dict[str, Any] | None:
    """The metadata that describes table-of-contents ``generation`` of an index, from the
    contents of its metadata file; ``None`` if none does.

    Each metadata record names the first generation it describes (``generation``; 0 when
    absent, as in indexes made before rebuilds kept records). A rebuild keeps the record of
    the generations before it as ``previous`` until its own generation is committed.
    """
    entry = meta
    while isinstance(entry, dict):
        start = entry.get("generation", 0)
        if generation < 0 or not isinstance(start, int) or start <= generation:
            return {k: v for k, v in entry.items() if k != "previous"}
        entry = entry.get("previous")
    return None


def _identity_of(meta: dict[str, Any]) -> tuple[Any, ...]:
    """What decides how documents were analysed: a reader or writer must use the same."""
    return (meta.get("format"), meta.get("analyzer_version"), meta.get("lexicon_fingerprint"))


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return None


def _lexicon_record(lexicon: Lexicon) -> dict[str, Any]:
    """How the metadata records a lexicon: its fingerprint and each user file, with a digest of
    its content (so a moved file can be recognised and a changed one named)."""
    return {
        "lexicon_fingerprint": lexicon.fingerprint,
        "lexicon_extra": list(lexicon.extra_paths),
        "lexicon_files": [{"path": p, "sha256": _file_digest(p)} for p in lexicon.extra_paths],
    }


def _recorded_lexicon(meta: dict[str, Any] | None) -> list[str]:
    extra = (meta or {}).get("lexicon_extra")
    return [p for p in extra if isinstance(p, str)] if isinstance(extra, list) else []


def _changed_lexicon_files(meta: dict[str, Any], lexicon: Lexicon) -> list[str]:
    """User lexicon files whose content differs from what the index was built with."""
    records = meta.get("lexicon_files")
    if not isinstance(records, list):
        return []
    changed = []
    for record in records:
        if not isinstance(record, dict) or record.get("path") not in lexicon.extra_paths:
            continue
        if record.get("sha256") and _file_digest(record["path"]) != record["sha256"]:
            changed.append(record["path"])
    return changed


def _missing_lexicon_message(path: Path, meta: dict[str, Any], missing: str) -> str:
    recorded = _recorded_lexicon(meta)
    roots = meta.get("roots")
    first = next(iter(roots.items()), None) if isinstance(roots, dict) else None
    folder = _shell_quote(first[0]) if first else "DIR"
    prefix = first[1].get("id_prefix") if first and isinstance(first[1], dict) else ""
    lexicons = " ".join(
        f"--lexicon {'NEW-PLACE' if p == missing else _shell_quote(p)}" for p in recorded
    )
    command = " ".join(filter(None, [
        f"corpus-search index {folder} --index {_shell_quote(os.path.abspath(path))}",
        f"--id-prefix {_shell_quote(prefix)}" if prefix else "",
        lexicons,
    ]))
    return (
        f"The index at {path} was built with the lexicon file {missing}, which is missing "
        f"(moved or deleted). Put it back, or record its new place with: {command} (the same "
        "content keeps the index as it is; to drop the file instead, rebuild with "
        "--no-lexicon)."
    )


def rebuild_command(
    path: str | os.PathLike[str],
    meta: dict[str, Any] | None,
    lexicon: Sequence[str] | None = None,
) -> str:
    """The shell command that rebuilds the index at ``path`` as its metadata ``meta`` says it
    was built: every folder, each folder's ``--id-prefix`` and date options, and every user
    lexicon file (``lexicon`` overrides the recorded files). Folders with different prefixes
    or date options need one run each: the first rebuilds, the others add their folder."""
    roots = (meta or {}).get("roots")
    date_options = _date_options_of(meta)
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for root, record in (roots.items() if isinstance(roots, dict) else []):
        prefix = record.get("id_prefix", "") if isinstance(record, dict) else ""
        dating = _date_arguments(date_options.get(str(root), DateOptions()))
        groups.setdefault((prefix if isinstance(prefix, str) else "", dating), []).append(root)
    lexicon_paths = list(lexicon) if lexicon is not None else _recorded_lexicon(meta)
    commands = []
    for n, ((prefix, dating), folders) in enumerate(groups.items() or [(("", ()), [])]):
        parts = ["corpus-search", "index", *(map(_shell_quote, folders) if folders else ["DIR"]),
                 "--index", _shell_quote(os.path.abspath(path))]
        if prefix:
            parts += ["--id-prefix", _shell_quote(prefix)]
        parts += map(_shell_quote, dating)
        if n == 0:
            for p in lexicon_paths:
                parts += ["--lexicon", _shell_quote(p)]
            parts.append("--rebuild")
        commands.append(" ".join(parts))
    return " && ".join(commands)


def _date_arguments(options: DateOptions) -> tuple[str, ...]:
    """The ``corpus-search index`` options that date a folder as ``options`` do (none for the
    defaults)."""
    arguments: list[str] = []
    if options.sidecar:
        arguments += ["--dates", options.sidecar]
    if options.path_pattern:
        arguments += ["--date-from-path", options.path_pattern]
    if options.guesses != DateOptions().guesses:
        arguments += ["--date-from", ",".join(options.guesses) or "none"]
    return tuple(arguments)


def _holds_index(path: Path) -> bool:
    """Whether ``path`` is a folder holding an index (or what a crash left of one)."""
    try:
        return path.is_dir() and folder_contents(path).holds_index
    except OSError:
        return False


def _check_location(path: Path) -> None:
    """Refuse an index path that is a file, or a folder of other files with no index."""
    if path.exists() and not path.is_dir():
        raise IndexLocationError(
            f"{path} is a file, not a folder: choose another place for the index.", path
        )
    if not path.is_dir():
        return
    try:
        contents = folder_contents(path)
    except OSError as exc:
        raise IndexReadError(
            f"Cannot read the folder {path} ({exc.strerror or exc}).", path
        ) from None
    if contents.foreign and not contents.holds_index:
        shown = ", ".join(_printable(name) for name in contents.foreign[:3])
        more = f" and {len(contents.foreign) - 3} more" if len(contents.foreign) > 3 else ""
        raise IndexLocationError(
            f"Refusing to create an index in {path}: the folder holds other files ({shown}"
            f"{more}). Choose an empty or new folder for the index.",
            path,
        )


def check_sources(
    folders: Iterable[str | os.PathLike[str]],
    index_path: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """The folders to index, resolved, once each is known to be a folder that can be read and
    none holds the index folder or lies inside it.

    An index inside a folder being indexed would be read by ingest, and a folder inside the
    index folder would share it with the index's own files. An index inside a hidden
    subfolder (``~/.local/share/...`` of ``~``) is allowed: ingest skips hidden folders.
    """
    index_real = (
        Path(os.path.realpath(Path(index_path).expanduser())) if index_path is not None else None
    )
    resolved = []
    for folder in folders:
        given = Path(folder).expanduser()
        if not given.is_dir():
            why = (
                "it is a file" if given.exists()
                else "it is a broken link" if given.is_symlink()
                else "it does not exist"
            )
            raise IngestError(f"{given} is not a folder that can be indexed ({why}).")
        try:
            with os.scandir(given) as entries:
                next(entries, None)
        except OSError as exc:
            raise IngestError(
                f"{given} is not a folder that can be indexed (cannot read it: "
                f"{exc.strerror or exc})."
            ) from None
        real = given.resolve()
        if index_real is not None:
            if index_real == real or real in index_real.parents:
                inside = index_real.relative_to(real).parts
                if not any(part.startswith(".") for part in inside):
                    raise IndexLocationError(
                        f"The index folder {index_real} is inside the folder being indexed "
                        f"({given}): choose an --index folder outside it.",
                        index_real,
                    )
            elif index_real in real.parents:
                raise IndexLocationError(
                    f"The folder {given} lies inside the index folder {index_real}: keep the "
                    "documents and the index in separate folders.",
                    index_real,
                )
        resolved.append(real)
    return resolved


def _to_datetime(value: dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)




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
            None if lexicon is None else _as_path_list(lexicon),
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
        if _holds_index(target):
            if not overwrite:
                raise CorpusSearchError(
                    f"An index already exists at {target}; "
                    "pass overwrite=True (--rebuild) to replace it."
                )
            rebuild_index(
                target, [], lexicon=_as_path_list(lexicon),
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
        self._ix = _NextGeneration(_WriterStorage(str(path)), build_schema(lexicon))
        return self

    def _exists(self) -> bool:
        return _holds_index(self.path)

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
                meta = _read_json(self._meta_path)
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
            return not _read_toc(self.path).segments
        except Exception:  # unreadable: not an interrupted creation but damage, reported later
            return False

    def _create(self) -> None:
        _check_location(self.path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if is_write_failure(exc):  # no permission, read-only, full: IndexWriteError says so
                raise IndexWriteError(
                    write_failure_message(exc, self.path, creating=True), self.path
                ) from None
            raise CorpusSearchError(_uncreatable(self.path, exc)) from None
        now = _now()
        self._meta = {
            "format": INDEX_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            **_lexicon_record(self.lexicon),
            "created": now,
            "modified": now,
            "roots": {},
            "generation": 0,
        }
        schema = build_schema(self.lexicon)
        try:
            whoosh_index.create_in(str(self.path), schema, INDEX_NAME)
            self._ix = _CorpusFileIndex(_WriterStorage(str(self.path)), schema, INDEX_NAME)
            _atomic_write_json(self._meta_path, self._meta)
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
            meta = _read_json(self._meta_path)
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
        recorded = _recorded_lexicon(meta)
        for p in recorded:
            if not os.path.isfile(p):
                raise LexiconMissingError(_missing_lexicon_message(self.path, meta, p), self.path)
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
            changed = _changed_lexicon_files(meta, self.lexicon)
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

    def _open_whoosh(self) -> _CorpusFileIndex:
        # The schema is built from the lexicon, not unpickled from the table of contents:
        # unpickling re-reads the user lexicon files by the paths recorded there (a moved file
        # made the index unopenable), and Whoosh re-reads the newest TOC on every use of an
        # unpinned ``ix.schema``, which a concurrent commit may delete meanwhile.
        schema = build_schema(self.lexicon)
        try:
            ix = _stable_read(
                lambda: _CorpusFileIndex(_WriterStorage(str(self.path)), schema, INDEX_NAME)
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
        from corpus_search.check import check_index

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
        if meta is not None and _identity_of(meta) == _identity_of(self._meta):
            # the same lexicon: take the folders other processes recorded meanwhile
            meta.update(_lexicon_record(self.lexicon))
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
            if isinstance(self._ix, _NextGeneration):
                return writer
            try:
                meta = self._meta_for(writer.generation - 1)
            except BaseException:
                self._abandon(writer)
                raise
            if meta is not None and _identity_of(meta) == _identity_of(self._meta):
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
        if isinstance(storage, _WriterStorage):
            storage.created = []  # until the transaction ends (a writer opens files at once)
        try:
            writer = self._ix.writer(procs=procs, _lk=False, freeze_gc=True, **kwargs)
        except BaseException as exc:
            try:
                if isinstance(storage, _WriterStorage):
                    _close_all(storage.created or ())
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
        meta_before = _read_bytes(self._meta_path)  # under the lock: the committed record
        storage = writer.storage
        opened = (storage.created if isinstance(storage, _WriterStorage) else None) or []
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
            if isinstance(storage, _WriterStorage):
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
            _close_all(opened)
            freed = self._tidy()
            if meta_before is not None and not writer.committed and \
                    _read_bytes(self._meta_path) != meta_before:
                # (if this fails too, readers still pair the old generation with its record)
                with contextlib.suppress(OSError):
                    _atomic_write_bytes(self._meta_path, meta_before)
            return freed
        except Exception:
            return 0
        finally:
            if lock is not None:
                with contextlib.suppress(Exception):
                    lock.release()

    def _tidy(self) -> int:
        """Remove what unfinished writes left in the folder (call holding the write lock)."""
        return remove_uncommitted(self.path, _committed_segments(self.path))

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

    def _fields(self, doc: Document, root: str = "", sig: str = "") -> dict[str, Any]:
        problem = _text_problem(doc)
        if problem:
            raise DocumentIndexError(
                f"Document {_printable(str(doc.id))!r} cannot be indexed: {problem}. Nothing of "
                "this write was committed; the index keeps its last commit."
            )
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

    def _field_maker(self, scan: _Scan) -> Callable[[tuple[Document, str]], dict[str, Any]]:
        """``to_fields`` for the items of a folder scan: boilerplate stripped, root recorded."""
        boilerplate, root_key = scan.boilerplate, scan.root_key

        def to_fields(item: tuple[Document, str]) -> dict[str, Any]:
            doc, sig = item
            if boilerplate:
                body = strip_boilerplate(doc.body, boilerplate)
                if body is not doc.body:
                    doc = _replace_body(doc, body)
            return self._fields(doc, root_key, sig)

        return to_fields

    def add_documents(
        self, documents: Iterable[Document], *, procs: int | None = 1
    ) -> int:
        """Add or replace documents (matched by id); return how many were written.

        ``procs`` processes build the new segments (``None``: chosen for the batch, see
        :func:`_auto_procs`); with more than one, ``documents`` is read into a list first.
        A document that cannot be indexed raises :class:`DocumentIndexError` and nothing of
        the batch is committed.
        """
        if procs is None:
            documents = documents if isinstance(documents, Sequence) else list(documents)
            procs = _auto_procs(len(documents))
        use_procs = procs

        def work(writer: BulkSegmentWriter) -> int:
            count = self._write_all(
                writer, documents, self._fields, use_procs, replace=True, doc_of=_identity
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
            disk = meta_for_generation(_read_json(self._meta_path), base_generation)
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
        self._meta.update(_lexicon_record(self.lexicon))
        self._meta["modified"] = _now()
        _atomic_write_json(self._meta_path, self._meta)

    def _update_meta(self, root_key: str | None = None) -> bool:
        """Save the metadata alone (no documents changed), under the write lock; if another
        process rebuilt the index another way meanwhile, reload instead (this record belongs
        to the generation it replaced) and return False."""
        lock = self._lock()
        try:
            generation = latest_generation(self.path)
            current = self._meta_for(generation)
            if current is None or _identity_of(current) != _identity_of(self._meta):
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
        scan = _scan_folder(
            root_path, prefix, known, frozenset(before.get("boilerplate", [])), progress,
            date_rules, redate or prefix != recorded_prefix,
        )
        report = scan.report
        reserved = _recorded_ids(before) if prefix == recorded_prefix else {}
        rewritten = {rel for rel, _sig, _docs in scan.changed} | set(scan.gone)
        kept = {i for rel, (_sig, ids) in known.items() if rel not in rewritten for i in ids}
        record = {**before, "id_prefix": prefix, "boilerplate": sorted(scan.boilerplate),
                  **_date_record(date_rules)}
        _set_recorded_ids(record, {n: i for n, i in reserved.items() if i in kept})

        if scan.changed or scan.gone:
            items = scan.items()
            use_procs = procs if procs is not None else _auto_procs(len(items))

            def work(writer: BulkSegmentWriter) -> None:
                # ids are chosen under the write lock, against what the index holds now
                with self._ix.searcher() as searcher:
                    ids = _assign_ids(
                        scan, _held_by_another_folder(searcher, root_key), reserved, kept
                    )
                _set_recorded_ids(record, ids)
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
                    doc_of=_first, progress=_writing_progress(progress, len(items)),
                )
                self._meta.setdefault("roots", {})[root_key] = {**record, "indexed": _now()}
                self._save_meta(writer.generation - 1, root_key)
                if progress:
                    progress("committing", 0, 0, "")

            self._transaction(use_procs, work)
        elif record != before or _recorded_lexicon(self._meta) != list(self.lexicon.extra_paths):
            # a new (or empty) folder, new boilerplate or date options, or a lexicon file given
            # a new place
            self._meta.setdefault("roots", {})[root_key] = {**record, "indexed": _now()}
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
        :func:`_assign_ids`), kept so that a rebuild does not rename documents."""
        started = time.perf_counter()
        reading = _reading_only(progress)  # the writing phase counts every folder's documents
        scans = [
            _scan_folder(root, prefix, {}, frozenset(), reading, rules)
            for root, prefix, rules in zip(roots, prefixes, date_rules, strict=True)
        ]
        taken: set[str] = set()
        for scan, reserved in zip(scans, reserved_ids, strict=True):
            scan.ids = _assign_ids(scan, taken.__contains__, reserved, set())
            taken.update(doc.id for doc, _sig in scan.items())
        total = sum(len(scan.items()) for scan in scans)
        use_procs = procs if procs is not None else _auto_procs(total)
        if progress and total:
            progress("writing", 0, total, "")
        written = _writing_progress(progress, total)

        def work(writer: BulkSegmentWriter) -> None:
            done_before = 0
            for scan in scans:
                items = scan.items()
                scan.report.documents += self._write_all(
                    writer, items, self._field_maker(scan), use_procs, replace=False,
                    doc_of=_first,
                    progress=None if written is None else _offset(written, done_before),
                )
                done_before += len(items)
            self._meta = self._next_meta(scans, writer.generation)
            _atomic_write_json(self._meta_path, self._meta)
            if progress:
                progress("committing", 0, 0, "")

        self._transaction(use_procs, work)
        seconds = time.perf_counter() - started
        for scan in scans:
            scan.report.seconds = seconds
        return [scan.report for scan in scans]

    def _next_meta(self, scans: Sequence[_Scan], generation: int) -> dict[str, Any]:
        """The metadata of a rebuilt generation; it keeps the record of the generation before
        it until it is committed (read under the write lock, so it is the current one)."""
        try:
            previous = meta_for_generation(_read_json(self._meta_path), generation - 1)
        except (OSError, ValueError):
            previous = None
        now = _now()
        meta: dict[str, Any] = {
            "format": INDEX_FORMAT,
            "analyzer_version": ANALYZER_VERSION,
            **_lexicon_record(self.lexicon),
            "created": now,
            "modified": now,
            "roots": {
                scan.root_key: _set_recorded_ids({
                    "id_prefix": scan.id_prefix,
                    "boilerplate": sorted(scan.boilerplate),
                    **_date_record(scan.date_rules),
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
            folders = _folder_counts(searcher.reader())
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



class MultiIndex(ReadableIndex):
    """Several indexes searched as one: one ranking over the documents of all of them.

    The indexes' segments are read through one Whoosh reader, so a search counts document
    frequencies and field lengths over every document, exactly as one index holding them all
    would: scores can be compared across indexes. The indexes must have been built with the
    same lexicon (the analyzer and format are checked when each is opened), else
    :class:`IndexVersionError` names the difference.

    A document keeps its id unless another of the indexes holds the same id: then its id is
    ``<label>:<id>``, where ``label`` is its index folder's name (``news:politics/001``; see
    :attr:`labels`). :meth:`get`, :meth:`describe` and :meth:`similar` take either form; a bare
    id that several indexes hold raises :class:`QueryError` naming the qualified ids.

    >>> with MultiIndex(["news-index", "statements-index"]) as both:   # doctest: +SKIP
    ...     for hit in both.search("Lib Dems").hits:
    ...         print(hit.id, hit.title)
    """

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        unique = list(dict.fromkeys(Path(p).expanduser().absolute() for p in paths))
        if not unique:
            raise CorpusSearchError("MultiIndex needs at least one index path.")
        self.indexes: list[CorpusIndex] = []
        try:
            for index_path in unique:
                self.indexes.append(CorpusIndex.open(index_path, lock_timeout=lock_timeout))
            _check_searchable_together(self.indexes)
        except BaseException:
            self.close()
            raise
        #: each index's label, in the order given: its folder's name, numbered if two match
        self.labels = _index_labels(unique)
        self.lexicon = self.indexes[0].lexicon
        self.path = " + ".join(str(ix.path) for ix in self.indexes)
        self._merged: _MergedSearcher | None = None
        #: the searchers of the indexes that ``_merged`` reads
        self._parts: list[Searcher] = []

    @property
    def schema(self) -> Schema:
        return self.indexes[0].schema

    def __enter__(self) -> MultiIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MultiIndex({[str(ix.path) for ix in self.indexes]!r})"

    def close(self) -> None:
        """Release every index's searcher and file handles."""
        self._merged, self._parts = None, []
        for ix in self.indexes:
            ix.close()

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Each index's :meth:`CorpusIndex.guard`: damage is reported for the index that has it."""
        with contextlib.ExitStack() as stack:
            for ix in self.indexes:
                stack.enter_context(ix.guard())
            yield

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        """A Whoosh searcher over the segments of every index (the newest generation of each),
        scoring with ``ranking`` as :meth:`CorpusIndex.searcher` does."""
        parts = [ix.searcher(ranking) for ix in self.indexes]
        if self._merged is None or any(
            a is not b for a, b in zip(parts, self._parts, strict=True)
        ):
            leaves: list[Any] = []
            ranges: list[tuple[int, int]] = []
            start = 0
            for part in parts:
                reader = part.reader()
                leaves += [leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]
                ranges.append((start, start + reader.doc_count_all()))
                start += reader.doc_count_all()
            merged = _MergedReader(leaves, self, ranges) if leaves else EmptyReader(self.schema)
            self._merged = _MergedSearcher(merged, parts[0].weighting, self)
            self._parts = parts
        self._merged.weighting = parts[0].weighting
        return self._merged

    def stats(self) -> list[IndexStats]:
        """Each index's :meth:`CorpusIndex.stats`, in the order given."""
        return [ix.stats() for ix in self.indexes]

    def _which(self, doc_id: str) -> list[tuple[int, int]]:
        """(index number, its document number) of every live document with this id."""
        if not self._parts:
            self.searcher()
        found = []
        for n, part in enumerate(self._parts):
            docnum = part.document_number(id=doc_id)
            if docnum is not None:
                found.append((n, docnum))
        return found

    def _resolve(self, searcher: _MergedSearcher, doc_id: str) -> int | None:
        """The merged document number of ``doc_id`` (bare, or ``<label>:<id>``)."""
        found = self._which(doc_id)
        if len(found) > 1:
            qualified = ", ".join(f"{self.labels[n]}:{doc_id}" for n, _ in found)
            raise QueryError(
                f"The id {doc_id!r} is in more than one of the indexes: give one of "
                f"{qualified}."
            )
        if not found:
            label, sep, rest = doc_id.partition(":")
            if not sep or label not in self.labels:
                return None
            n = self.labels.index(label)
            docnum = self._parts[n].document_number(id=rest)
            if docnum is None:
                return None
            found = [(n, docnum)]
        n, docnum = found[0]
        return searcher.merged_number(n, docnum)

    def _shown_id(self, n: int, doc_id: str) -> str:
        """The id a document of index ``n`` is shown with: qualified when another index holds
        the same id."""
        if any(m != n for m, _ in self._which(doc_id)):
            return f"{self.labels[n]}:{doc_id}"
        return doc_id


def open_indexes(
    paths: Sequence[str | os.PathLike[str]], **kwargs: Any
) -> CorpusIndex | MultiIndex:
    """The index at ``paths[0]`` when there is one path (or the same path repeated), else a
    :class:`MultiIndex` over them all."""
    unique = list(dict.fromkeys(Path(p).expanduser().absolute() for p in paths))
    if len(unique) == 1:
        return CorpusIndex.open(unique[0], **kwargs)
    return MultiIndex(unique, **kwargs)


def _index_labels(paths: Sequence[Path]) -> list[str]:
    """Each index folder's name; names that two folders share get ``~1``, ``~2``... by
    position (``index~1``, ``index~2``)."""
    names = [p.name or str(p) for p in paths]
    counts = Counter(names)
    return [name if counts[name] == 1 else f"{name}~{n}" for n, name in enumerate(names, 1)]


def _check_searchable_together(indexes: Sequence[CorpusIndex]) -> None:
    """Refuse indexes whose documents were analysed differently: their terms do not match."""
    first = indexes[0]
    for other in indexes[1:]:
        if other.lexicon.fingerprint != first.lexicon.fingerprint:
            raise IndexVersionError(
                f"The indexes at {first.path} and {other.path} were built with different "
                f"lexicons ({first.lexicon.fingerprint[:12]} and "
                f"{other.lexicon.fingerprint[:12]}), so they cannot be searched together. "
                "Search them one at a time, or rebuild one with the other's lexicon files: "
                f"{rebuild_command(other.path, other._meta, first.lexicon.extra_paths)}",
                other.path,
            )


class _MergedReader(MultiReader):
    """The segments of several indexes as one reader; a document's stored ``id`` is the id
    :class:`MultiIndex` shows (qualified when two indexes hold it)."""

    def __init__(
        self, leaves: list[Any], owner: MultiIndex, ranges: list[tuple[int, int]]
    ) -> None:
        super().__init__(leaves)
        self._owner = owner
        #: the merged document numbers of each index: [start, end)
        self.ranges = ranges

    def index_of(self, docnum: int) -> tuple[int, int]:
        """(index number, document number within that index) of a merged document number."""
        for n, (start, end) in enumerate(self.ranges):
            if start <= docnum < end:
                return n, docnum - start
        raise IndexError(docnum)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        fields = dict(super().stored_fields(docnum))
        if "id" in fields:
            fields["id"] = self._owner._shown_id(self.index_of(docnum)[0], fields["id"])
        return fields


class _MergedSearcher(Searcher):
    """A searcher over a :class:`_MergedReader` that finds documents by their shown ids, and
    leaves the indexes' own readers open when it goes (their indexes close them)."""

    def __init__(self, reader: Any, weighting: Any, owner: MultiIndex) -> None:
        super().__init__(reader, weighting=weighting, closereader=False)
        self._owner = owner

    def _subsearcher(self, reader: Any) -> Searcher:
        return Searcher(reader, weighting=self.weighting, closereader=False, parent=self)

    def merged_number(self, n: int, docnum: int) -> int:
        """The merged document number of document ``docnum`` of index ``n``."""
        return self.ixreader.ranges[n][0] + docnum

    def document_number(self, **kw: Any) -> int | None:
        if set(kw) == {"id"}:
            return self._owner._resolve(self, kw["id"])
        return super().document_number(**kw)



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
    _check_location(target)
    roots = check_sources(folders, target)
    old = _current_meta(target)
    recorded_dates = _date_options_of(old)
    date_rules = [
        recorded_dates.get(str(root), DateOptions()).updated(
            sidecar=dates, path_pattern=date_from_path, guesses=date_from
        ).rules()
        for root in roots
    ]
    records = [_root_record(old, str(root)) for root in roots]
    prefixes = [
        record.get("id_prefix", "") if id_prefix is None else id_prefix for record in records
    ]
    reserved = [
        _recorded_ids(record) if record.get("id_prefix", "") == prefix else {}
        for record, prefix in zip(records, prefixes, strict=True)
    ]
    if lexicon is None:
        extras = _recorded_lexicon(old)
        for p in extras:
            if not os.path.isfile(p):
                raise LexiconMissingError(
                    f"The index at {target} was built with the lexicon file {p}, which is "
                    "missing (moved or deleted): put it back, give its new place with "
                    "--lexicon, or rebuild without it with --no-lexicon.",
                    target,
                )
    else:
        extras = _as_path_list(lexicon)
    lex = load_lexicon(extras or None)
    if latest_generation(target) < 0:
        # nothing committed yet: start from an empty index, so that a kill during the build
        # leaves one (a folder of segments without a table of contents stays as it is)
        with contextlib.suppress(IndexCorruptError):
            CorpusIndex(target, lexicon=extras).close()
    return CorpusIndex._builder(target, lex, lock_timeout)._rebuild(
        roots, prefixes, reserved, procs, progress, date_rules
    )


def _current_meta(path: Path) -> dict[str, Any] | None:
    """The metadata of the newest generation at ``path``, or ``None`` if it cannot be read."""
    try:
        return meta_for_generation(_read_json(path / META_FILENAME), latest_generation(path))
    except (OSError, ValueError):
        return None


@dataclass
class _Scan:
    """What reading one folder found: the files to (re)index and those gone."""

    root_key: str
    id_prefix: str
    report: IndexReport
    #: (relative file name, signature, its documents) of new and changed files
    changed: list[tuple[str, str, list[Document]]]
    gone: list[str]
    boilerplate: frozenset[str]
    date_rules: DateRules
    #: natural id -> the id given instead (see :func:`_assign_ids`)
    ids: dict[str, str] = field(default_factory=dict)

    def items(self) -> list[tuple[Document, str]]:
        return [(doc, sig) for _, sig, docs in self.changed for doc in docs]


def _scan_folder(
    root_path: Path,
    id_prefix: str,
    known: dict[str, tuple[str, list[str]]],
    boilerplate_before: frozenset[str],
    progress: ProgressCallback | None,
    date_rules: DateRules,
    redate: bool = False,
) -> _Scan:
    """Read the new and changed files under ``root_path`` (``known``: what the index holds of
    it; ``redate``: read unchanged files too, their dates may differ), dating them by
    ``date_rules``, and find the folder's boilerplate lines; nothing is written."""
    report = IndexReport(root=str(root_path))
    report.warnings.extend(date_rules.warnings)
    unread_folders: list[tuple[str, str]] = []  # (folder + "/", why), see iter_source_files
    files = list(iter_source_files(root_path, problems=unread_folders))
    total = len(files)
    if not files and not unread_folders:
        report.warnings.append(_nothing_to_read(root_path))
    seen: set[str] = set()
    changed: list[tuple[str, str, list[Document]]] = []
    removed: list[str] = []  # indexed files that no longer hold a document
    for n, path in enumerate(files, 1):
        rel = path.relative_to(root_path).as_posix()
        seen.add(rel)
        if progress:
            progress("reading", n, total, rel)
        sig = file_signature(path)
        previous = known.get(rel)
        if previous is not None and previous[0] == sig and not redate:
            report.unchanged += 1
            continue
        result = read_file(path, root_path, id_prefix=id_prefix, dates=date_rules)
        report.warnings.extend(result.warnings)
        reason = result.skipped_reason
        documents = []
        for doc in result.documents:
            problem = _text_problem(doc)
            if problem:
                report.warnings.append(
                    f"{_printable(rel)}: {_printable(str(doc.id))!r} skipped: {problem}"
                )
            else:
                documents.append(doc)
        dropped = sum(long_words(doc.title) + long_words(doc.body) for doc in documents)
        if dropped:
            report.long_words += dropped
            report.warnings.append(
                f"{_printable(rel)}: {dropped} word{'s' if dropped != 1 else ''} longer than "
                f"{MAX_WORD_LENGTH} characters not indexed"
            )
        if not reason and not documents:
            reason = "no document that can be indexed"
        if reason:
            if previous is not None and result.unreadable:
                # it may still hold what was indexed: keep that, and say so
                report.kept += 1
                reason += "; what was indexed from it is kept"
            elif previous is not None:
                # it no longer holds that text (empty, binary, a link leading out, ...)
                removed.append(rel)
                reason += f"; {_its_documents(len(previous[1]))} removed from the index"
            report.skipped.append((_printable(rel), reason))
            continue
        changed.append((rel, result.signature or sig, documents))
        if previous is None:
            report.indexed += 1
        else:
            report.updated += 1
    # the files of a folder that cannot be read now are kept, not deleted
    unread = [folder for folder, _ in unread_folders]
    kept_unread = {f for f in known if f not in seen and _under_any(f, unread)}
    gone = [f for f in known if f not in seen and f not in kept_unread] + removed
    report.deleted = len(gone)
    report.kept += len(kept_unread)
    for folder, why in unread_folders:
        held = sum(_under_any(f, [folder]) for f in kept_unread)
        if held:
            why += f"; the documents of its {held} indexed file{'s' if held != 1 else ''} are kept"
        report.skipped.append((_printable(folder), why))
    if progress and changed:  # from here on the bar counts documents, from 0
        progress("writing", 0, sum(len(docs) for _, _, docs in changed), "")
    bodies = [doc.body for _, _, docs in changed for doc in docs]
    # a line must recur in 3 documents, or in 0.5% of a large corpus, to count as a blurb:
    # in a big news corpus a few genuine lines (team sheets, bylines) recur a handful of times
    boilerplate = boilerplate_before | find_boilerplate(
        bodies, min_docs=max(3, len(bodies) // 200)
    )
    report.boilerplate_lines = len(boilerplate)
    return _Scan(str(root_path), id_prefix, report, changed, gone, boilerplate, date_rules)


def _date_record(date_rules: DateRules) -> dict[str, Any]:
    """How a folder's record in the metadata keeps its date options (and what they gave)."""
    return {"dates": date_rules.options.to_dict(), "dates_fingerprint": date_rules.fingerprint}


def _date_options_of(meta: dict[str, Any] | None) -> dict[str, DateOptions]:
    """The date options recorded for each folder in ``meta``."""
    roots = (meta or {}).get("roots")
    return {
        str(root): DateOptions.from_dict(info.get("dates"))
        for root, info in (roots.items() if isinstance(roots, dict) else [])
        if isinstance(info, dict) and info.get("dates")
    }


def _reading_only(progress: ProgressCallback | None) -> ProgressCallback | None:
    """``progress`` told only of the reading phase."""
    if progress is None:
        return None

    def reading(phase: str, done: int, total: int, item: str) -> None:
        if phase == "reading":
            progress(phase, done, total, item)

    return reading


def _offset(written: Callable[[int], None], before: int) -> Callable[[int], None]:
    """A writer's ``progress(done)`` counted on from the ``before`` documents written first."""
    return lambda done: written(before + done)


def _root_record(meta: dict[str, Any] | None, root_key: str) -> dict[str, Any]:
    """What ``meta`` records of the folder ``root_key`` (empty if nothing)."""
    roots = (meta or {}).get("roots")
    record = roots.get(root_key) if isinstance(roots, dict) else None
    return record if isinstance(record, dict) else {}


def _recorded_ids(record: dict[str, Any]) -> dict[str, str]:
    """The ids a folder's record says its documents were given instead of their natural ids."""
    ids = record.get("ids")
    if not isinstance(ids, dict):
        return {}
    return {n: i for n, i in ids.items() if isinstance(n, str) and isinstance(i, str)}


def _set_recorded_ids(record: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """Record ``ids`` in a folder's ``record`` (no key when there are none); return it."""
    if ids:
        record["ids"] = dict(sorted(ids.items()))
    else:
        record.pop("ids", None)
    return record


def _held_by_another_folder(searcher: Searcher, root_key: str) -> Callable[[str], bool]:
    """Whether a document that is not of the folder ``root_key`` has a given id."""

    def held(doc_id: str) -> bool:
        return any(
            searcher.stored_fields(docnum).get("root", "") != root_key
            for docnum in searcher.document_numbers(id=doc_id)
        )

    return held


def _assign_ids(
    scan: _Scan,
    held_elsewhere: Callable[[str], bool],
    reserved: dict[str, str],
    kept: set[str],
) -> dict[str, str]:
    """Give the documents ``scan`` read their ids; return the folder's new record of the ids
    that differ from the natural ones (natural id -> id).

    The rule (docs/ingest.md, "Ids"): a document keeps the id it was given before
    (``reserved``) and otherwise takes its natural id (prefix and relative path, or record id)
    unless ``held_elsewhere``: then the first of :func:`disambiguated_ids` that is free and
    is no natural id of this folder. So a document of one folder never replaces another
    folder's, and ids never change while their documents stay. ``kept``: the ids of the
    folder's documents that stay as they are (their records are kept).
    """
    label = folder_label(scan.root_key)
    own = {doc.id for doc, _sig in scan.items()} | kept
    ids = {n: i for n, i in reserved.items() if i in kept}
    chosen: dict[str, str] = {}

    def choose(natural: str) -> str:
        prior = reserved.get(natural)
        for candidate in chain([prior] if prior else [], [natural],
                               disambiguated_ids(natural, label)):
            if candidate not in (natural, prior) and candidate in own:
                continue
            if not held_elsewhere(candidate):
                return candidate
        raise AssertionError("unreachable: disambiguated_ids never ends")  # pragma: no cover

    changed = []
    renamed: list[str] = []
    for rel, sig, docs in scan.changed:
        named = []
        for doc in docs:
            if doc.id not in chosen:
                chosen[doc.id] = choose(doc.id)
                if chosen[doc.id] not in (doc.id, reserved.get(doc.id)):
                    renamed.append(chosen[doc.id])
            if chosen[doc.id] != doc.id:
                ids[doc.id] = chosen[doc.id]
                doc = dataclass_replace(doc, id=chosen[doc.id])
            named.append(doc)
        changed.append((rel, sig, named))
    scan.changed = changed
    if renamed:
        scan.report.warnings.append(
            f"{len(renamed)} document(s) would have ids that documents of another folder "
            f"have, so their ids start with this folder's name (e.g. {_printable(renamed[0])}); "
            "--id-prefix gives the folder a prefix of your choice"
        )
    return ids


#: the fields of a Document that must be text (the others may be None)
_REQUIRED_TEXT = frozenset({"id", "title", "body"})


def _type_name(value: object) -> str:
    """``value``'s type for a message: ``None``, or ``an int (5)``, ``a list (['x'])``."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name} ({value!r:.40})"


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


def _text_problem(doc: Document) -> str | None:
    """Why the text of ``doc`` cannot be indexed (``None``: it can). Lone surrogates (from
    JSON escapes like ``"\\udc80"``, or bytes Python could not decode) are not Unicode text
    and cannot be written as UTF-8. Fields of the wrong type (a number, a list, ``None``
    where text is expected; a date that is not a ``datetime.date``) are named too."""
    for name in ("id", "title", "body", "source", "url", "path", "date_source"):
        value = getattr(doc, name)
        if not isinstance(value, str) and (value is not None or name in _REQUIRED_TEXT):
            return f"its {name} is {_type_name(value)}, not text"
    if doc.date is not None and not isinstance(doc.date, dt.date):
        return f"its date is {_type_name(doc.date)}, not a datetime.date"
    for name in ("id", "title", "body", "source", "url", "path"):
        value = getattr(doc, name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return (
                    f"its {name} is not valid Unicode text (a lone surrogate "
                    f"U+{ord(value[exc.start]):04X} at character {exc.start})"
                )
    return None


def _looks_like_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is the kind of error that reading damaged index files raises."""
    return (
        isinstance(exc, _DAMAGE_ERRORS)
        or type(exc) is Exception
        or type(exc).__module__.startswith("whoosh.")
    )


def _structural_schema() -> Schema:
    """The schema of every index with the bundled lexicon: enough to read its files (the
    lexicon only matters to analysis)."""
    return build_schema(load_lexicon())


def _read_toc(path: Path, generation: int | None = None) -> TOC:
    """A table of contents of the index at ``path`` (default: the newest), read without
    unpickling its schema (which would re-read the user lexicon files)."""
    return TOC.read(FileStorage(str(path)), INDEX_NAME, generation, schema=_structural_schema())


def _committed_segments(path: Path) -> set[str] | None:
    """The segments of the newest committed generation; ``None`` if it cannot be read."""
    if latest_generation(path) < 0:
        return set()
    try:
        return committed_segment_names(_read_toc(path))
    except Exception:
        return None


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

    @classmethod
    def _reader(
        cls, storage: Any, schema: Schema, segments: list[Any], generation: int,
        reuse: Any = None,
    ) -> Any:
        if not segments:  # Whoosh's EmptyReader forgets the generation: never up to date
            return _EmptyGenerationReader(schema, generation)
        return super()._reader(storage, schema, segments, generation, reuse=reuse)


class _WriterStorage(FileStorage):
    """Whoosh's file storage, noting the files it opens while ``created`` is a list (during a
    write, see ``CorpusIndex._transaction``) so that a failed write can close them all: Whoosh
    leaves files open when a write fails (assembling a compound segment, for one), and a
    deleted file that is still open keeps its space on a full disk."""

    created: list[Any] | None = None

    def create_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().create_file(name, **kwargs)
        if self.created is not None:
            self.created.append(handle)
        return handle

    def open_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().open_file(name, **kwargs)
        if self.created is not None:
            self.created.append(handle)
        return handle

    def temp_storage(self, name: str | None = None) -> FileStorage:
        temp = super().temp_storage(name)  # a scratch folder (column data, posting runs)
        tracked = _WriterStorage(temp.folder)
        tracked.created = self.created
        return tracked


def _close_all(handles: Iterable[Any]) -> None:
    """Close Whoosh files (StructFile) that are still open, whatever fails."""
    for handle in handles:
        if not handle.is_closed:
            with contextlib.suppress(Exception):
                handle.close()
            with contextlib.suppress(Exception):
                handle.file.close()  # StructFile.close stops if its callback fails


class _EmptyGenerationReader(EmptyReader):
    """The reader of a generation with no segments, knowing which generation it is."""

    def __init__(self, schema: Schema, generation: int) -> None:
        super().__init__(schema)
        self._generation = generation

    def generation(self) -> int:
        return self._generation


class _NextGeneration(_CorpusFileIndex):
    """The index folder seen as if it held no segments: a writer on it commits a table of
    contents that holds only the writer's own segments, as the next generation, whatever the
    current generation holds (even if it is damaged: it is never read). Its schema is the new
    generation's."""

    def __init__(self, storage: FileStorage, schema: Schema) -> None:  # no TOC to read
        self.storage = storage
        self._schema = schema
        self.indexname = INDEX_NAME

    def _read_toc(self) -> TOC:
        return TOC(self._schema, [], latest_generation(Path(self.storage.folder)))


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


def _under_any(rel: str, folders: Sequence[str]) -> bool:
    """Whether the file ``rel`` lies in one of ``folders`` (``"sub/"``; ``"./"`` is all)."""
    return any(folder == "./" or rel.startswith(folder) for folder in folders)


def _its_documents(n: int) -> str:
    return "its document" if n == 1 else f"its {n} documents"


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
    try:
        return os.fsencode(rel).decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no file name decoding makes (a JSON escape)
        return rel.encode("utf-8", "replace").decode("utf-8")


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


def _folder_counts(reader: Any) -> dict[str, dict[str, int]]:
    """Each folder's live documents and files, from the postings of the ``root`` and ``file``
    fields: a file name counts once per folder that holds it (``collA/x.txt`` and
    ``collB/x.txt`` are two files)."""
    root_of = [-1] * reader.doc_count_all()
    roots = [_text(t) for t in reader.lexicon("root")]
    documents = [0] * len(roots)
    files = [0] * len(roots)
    for n, term in enumerate(reader.lexicon("root")):
        for docnum in reader.postings("root", term).all_ids():
            root_of[docnum] = n
            documents[n] += 1
    for term in reader.lexicon("file"):
        for n in {root_of[docnum] for docnum in reader.postings("file", term).all_ids()}:
            if n >= 0:
                files[n] += 1
    return {
        root: {"documents": documents[n], "files": files[n]} for n, root in enumerate(roots)
    }


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


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
    return dataclass_replace(doc, body=body)


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


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def recorded_date_options(path: str | os.PathLike[str]) -> dict[str, DateOptions]:
    """The date options each folder of the index at ``path`` was last indexed with (empty when
    there is no readable index), so that a rebuild can date the folders as before."""
    return _date_options_of(_current_meta(Path(path).expanduser()))


def remove_index(path: str | os.PathLike[str]) -> None:
    """Delete the index at ``path``: its own files only (see :mod:`corpus_search.index_files`),
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
