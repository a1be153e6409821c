"""The library's front door: :class:`CorpusIndex`, one searchable index stored in a folder.

:class:`CorpusIndex` is a façade. It keeps the public methods (open, create, search, add,
delete, index a folder, stats) and hands each to the collaborator that owns the concern:

- :class:`~corpus_search.store.handle.IndexHandle`: the folder on disk: opening, creating and
  checking the index, the metadata record and lexicon of the generation it reads, the write
  lock, and the guard that turns damaged files into clear errors;
- :class:`~corpus_search.search.pool.SearcherPool`: the warm searcher, replaced when a commit
  makes it stale;
- :mod:`corpus_search.store.writing`: the write transaction (commit, or clean up and explain);
- :mod:`corpus_search.indexing`: indexing a folder; :mod:`corpus_search.rebuilding`: every
  folder into a new generation;
- :class:`~corpus_search.search.readable.ReadableIndex`, its base: searching, browsing and
  fetching documents through :mod:`corpus_search.search.execute`.

Only the index's own files (:mod:`corpus_search.store.files`) are ever written or removed.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from corpus_search.analysis.lexicon import Lexicon
from corpus_search.boilerplate_words import removed_words
from corpus_search.errors import (
    CorpusSearchError,
    IndexExistsError,
    IndexNotFoundError,
    IndexStateError,
)
from corpus_search.ingest.model import true_or_false, type_name
from corpus_search.moving import unnamed_folders
from corpus_search.search.pool import SearcherPool
from corpus_search.search.ranking import Ranking
from corpus_search.search.readable import ReadableIndex
from corpus_search.store.files import DEFAULT_LOCK_TIMEOUT, holds_index, remove_index
from corpus_search.store.generations import CorpusFileIndex, index_location, is_demo_index
from corpus_search.store.handle import IndexHandle
from corpus_search.store.meta import (
    as_path_list,
    gone_folders,
    gone_folders_message,
    rebuild_without,
    recorded_folders,
)
from corpus_search.store.stats import (
    IndexStats,
    count_contents,
    count_folders,
    gone_folders_note,
    index_notes,
    index_stats,
    unmeasured_folders,
    unnamed_folders_note,
)

if TYPE_CHECKING:
    from whoosh.fields import Schema
    from whoosh.searching import Searcher

    from corpus_search.ingest.model import Document
    from corpus_search.ingesting import IndexReport, ProgressCallback
    from corpus_search.store.writer import BulkSegmentWriter

# The write side (corpus_search.indexing, corpus_search.ingesting, corpus_search.store.writer
# and corpus_search.store.writing, and through them the ingest readers) is imported by the
# methods that write, so that opening an index to search does not load it
# (tests/test_startup.py; docs/benchmarks.md, "what users feel").


__all__ = ["CorpusIndex", "IndexStats", "ReadableIndex", "gone_folders", "gone_folders_message",
           "gone_folders_note", "open_demo_index", "rebuild_index", "rebuild_without",
           "remove_index", "unnamed_folders", "unnamed_folders_note"]


def open_demo_index(notify: Callable[[str], None] | None = None) -> CorpusIndex:
    """The demo index of the bundled seed articles, built on first use, and built again when
    it cannot be searched as it is (made by another version, damaged, or of another
    installation's seeds). It is never your default index: ``corpus-search index FOLDER``
    builds that one, without the seeds. ``notify(message)`` is told when it is (re)built."""
    from corpus_search.ingest.files import bundled_seeds_path
    from corpus_search.store.generations import demo_index_path

    path = demo_index_path()
    seeds = bundled_seeds_path().resolve()
    try:
        ix = CorpusIndex.open(path)
    except IndexNotFoundError:
        why = f"No index yet: indexing the bundled seed articles into the demo index at {path}."
    except CorpusSearchError:
        why = f"The demo index at {path} is from another version: rebuilding it."
    else:
        roots = sorted(ix._store.meta.get("roots", {}))
        if roots == [str(seeds)]:
            return ix
        ix.close()
        why = (
            f"The demo index at {path} was built from {', '.join(roots) or 'no folder'}, "
            f"not from this installation's seed articles: rebuilding it from {seeds}."
        )
    if notify is not None:
        notify(why)
    rebuild_index(path, [seeds], id_prefix="", lexicon=[], date_from_path="", dates="")
    return CorpusIndex.open(path)


class CorpusIndex(ReadableIndex):
    """A searchable index of documents stored in a folder.

    ``CorpusIndex(path)`` opens the index at ``path`` or creates an empty one there;
    :meth:`open` insists that it already exists. With ``create="on_write"`` a missing index
    is made only when first needed: by the first write of a document (an indexing run that
    writes nothing, or is killed before it writes, leaves no index, and a first write that
    fails takes away the index it made) or by a read; ``exists`` says whether it is made.
    ``lexicon`` names extra lexicon files that extend the bundled vocabulary; they are
    recorded in the index, so later opens reuse them.

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
        create: bool | Literal["on_write"] = True,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        if create is not True and create is not False and create != "on_write":  # ("no" made one)
            raise IndexStateError(f"create must be True, False or 'on_write', not "
                                  f"{type_name(create)}.", path)
        self._store = IndexHandle(
            index_location(path),
            None if lexicon is None else as_path_list(lexicon),
            lock_timeout,
            on_reload=self._forget_searches,
        )
        self._searchers = SearcherPool(self._store)
        #: held by each thread reading the index (see :meth:`guard`)
        self._turns = threading.RLock()
        self._store.open(create)

    def _forget_searches(self) -> None:
        """The handle follows another process's rebuild (another lexicon): the searcher and
        the search state (query parsers hold the old analyzer) go."""
        self._searchers.retire()
        self._drop_search_state()

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
        target = index_location(path)
        true_or_false(IndexStateError, overwrite=overwrite)  # ("no" replaced the index)
        if holds_index(target):
            if not overwrite:
                raise IndexExistsError(
                    f"An index already exists at {target}; pass overwrite=True to replace it.",
                    target)
            from corpus_search.rebuilding import rebuild_folders

            rebuild_folders(  # (from no folder: rebuild_index would take the recorded ones)
                target, [], id_prefix=None, lexicon=as_path_list(lexicon), procs=None,
                progress=None, dates=None, date_from_path=None, date_from=None,
                lock_timeout=kwargs.get("lock_timeout", DEFAULT_LOCK_TIMEOUT),
            )
            return cls(target, lexicon=lexicon, create=False, **kwargs)
        return cls(target, lexicon=lexicon, create=True, **kwargs)

    # -- what it is ----------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The index folder."""
        return self._store.path

    @property
    def exists(self) -> bool:
        """Whether the index is on disk: ``False`` only for one opened with
        ``create="on_write"`` that nothing has needed yet."""
        return self._store.exists

    @property
    def lock_timeout(self) -> float:
        """Seconds a write waits for another process's write lock."""
        return self._store.lock_timeout

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon the index's current generation was built with."""
        return self._store.lexicon

    @property
    def schema(self) -> Schema:
        """The Whoosh schema of the index (its analyzer is built from the index's lexicon)."""
        return self._store.ix.schema

    @property
    def is_demo(self) -> bool:
        """Whether this is the demo index of the bundled seed articles
        (:func:`open_demo_index`)."""
        return is_demo_index(self.path)

    @property
    def whoosh_index(self) -> CorpusFileIndex:
        """The Whoosh index underneath, for tools and tests that read or write segments
        directly (what they write bypasses this index's metadata and checks)."""
        return self._store.ix

    removed_words = removed_words  # (ReadableIndex.removed_words: this index's folders')

    def rebuild_command(self) -> str:
        """The command that rebuilds this index with every folder, id prefix and lexicon file
        it was built with (or the lexicon files this instance was opened with)."""
        return self._store.rebuild_command()

    def __repr__(self) -> str:
        return f"CorpusIndex({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Translate low-level errors from reading the index into the library's errors: damage
        (:class:`IndexCorruptError`) only when a check of the index confirms it.

        Threads sharing the index take turns inside it: Whoosh's readers share file
        positions, so two reads at once (a concordance looking up a document while a search
        reads its hits) read each other's bytes, and the damage that seemed to show closed the
        searchers the other threads held. Re-entrant, so one thread's guards may nest: the
        outermost is one operation, which the searchers handed out within it outlive."""
        with self._turns, self._searchers.operation(), self._store.guard(self._searchers.close):
            yield

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        """A warm Whoosh searcher on the newest committed generation of the index.

        The searcher scores with ``ranking``; ``None`` keeps the ranking it has (at first
        :data:`corpus_search.search.ranking.RANKING`). Asking for another ranking re-weights the
        same searcher, so one handed out earlier in the same search stays open. Inside :meth:`guard`
        it stays open until the outermost guard exits (later, see :meth:`keep_open`); outside any
        guard, until dropped or the index closes, however many commits replace it."""
        with self.guard():
            return self._searchers.searcher(ranking)

    def keep_open(self, searcher: Searcher) -> Callable[[], None]:
        """Keep ``searcher`` open, whatever replaces it, until the function returned is called."""
        return self._searchers.keep_open(searcher)

    def stats(self) -> IndexStats:
        """Counts, size on disk and provenance of the index."""
        with self.guard():
            contents = count_contents(self.searcher())
        return index_stats(contents, self.path, self._store.meta)

    def notes(self) -> list[str]:
        """What :meth:`stats` notes of the index (:attr:`IndexStats.notes`: a folder it was
        built from that is gone, ...), counting what it holds only when a note needs it."""

        def held() -> dict[str, dict[str, int]]:
            with self.guard():
                return count_folders(self.searcher())

        def unmeasured() -> tuple[str, ...]:
            with self.guard():
                return unmeasured_folders(self.searcher())

        return index_notes(self.path, self._store.meta, held, unmeasured)

    def close(self) -> None:
        """Release the searcher and file handles."""
        self._searchers.close()

    def __enter__(self) -> CorpusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def document_fields(self, doc: Document, root: str = "", sig: str = "") -> dict[str, Any]:
        """The fields ``doc`` is written with (what the writer's ``add_document`` takes):
        ``root`` and ``sig`` record the folder and file signature it was read from. Raises
        :class:`~corpus_search.errors.DocumentIndexError` for text that cannot be indexed."""
        from corpus_search.indexing import document_fields

        return document_fields(doc, self.lexicon, root, sig)

    def add_documents(
        self, documents: Document | Iterable[Document], *, procs: int | None = 1
    ) -> int:
        """Add or replace documents (matched by id), or one; return how many were written.

        ``procs`` processes build the new segments (``None``: chosen for the batch, see
        :func:`auto_procs`); with more than one, ``documents`` is read into a list first.
        A document that cannot be indexed raises :class:`DocumentIndexError` and nothing of
        the batch is committed.
        """
        from corpus_search.ingest.model import Document, only_documents
        from corpus_search.ingesting import auto_procs, identity
        from corpus_search.store.writing import add_all, transaction

        documents = only_documents([documents] if isinstance(documents, Document) else documents)
        if procs is None:
            documents = documents if isinstance(documents, Sequence) else list(documents)
            procs = auto_procs(len(documents))
        use_procs = procs

        def work(writer: BulkSegmentWriter) -> int:
            count = add_all(
                writer, documents, self.document_fields, use_procs, replace=True, doc_of=identity
            )
            self._store.save_meta(writer.generation - 1)
            return count

        return transaction(self._store, procs, work)

    def delete(self, ids: str | Iterable[str]) -> int:
        """Delete documents by id, or one; return how many were deleted."""
        from corpus_search.search.ids import check_id
        from corpus_search.store.writing import transaction

        if isinstance(ids, str):
            ids = [ids]
        wanted = [check_id(one) for one in (ids if isinstance(ids, Iterable) else [ids])]

        def work(writer: BulkSegmentWriter) -> int:
            deleted = sum(writer.delete_by_term("id", i) for i in wanted)
            self._store.save_meta(writer.generation - 1)
            return deleted

        return transaction(self._store, 1, work)

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
        source: str | None = None,
        columns: Mapping[str, str] | str | None = None,
    ) -> IndexReport:
        """Index every supported file under ``root``, incrementally.

        Files unchanged since the last run (same size and modification time) are left alone,
        new and changed files are (re)indexed and files that disappeared are removed. One bad
        file never stops the run: it is skipped and its reason is in the report. A folder
        another run indexed meanwhile is read again (:mod:`corpus_search.planning`).

        Ids (see docs/ingest.md, "Ids"): a document's id is ``id_prefix`` and its path (or
        record id) relative to ``root``, unless a document of another folder already holds
        that id: then it is ``<folder name>/<id>``, kept on later runs. Indexing one folder
        never replaces another folder's documents. A folder the index holds that moved (or was
        renamed) keeps its documents' ids at its new place: ``root`` holding every file of a
        folder the index records that is no folder any more, most of them as indexed, is that
        folder (its record, options and ids taken up; the report's ``moved_from``, see
        :mod:`corpus_search.moving`), also when an earlier version indexed it there as a new
        folder: the copies it made go (``copies``). A folder inside, or holding, a folder the
        index holds is refused (:class:`~corpus_search.errors.FolderOverlapError`, nothing
        written): its files would be indexed twice. ``id_prefix`` is recorded for the folder:
        ``None`` keeps the recorded one (none at first), and a new one re-ids every document
        of the folder.

        Dates (see docs/ingest.md): ``dates`` is a sidecar file mapping ids or paths to dates,
        ``date_from_path`` a pattern such as ``"%Y/%m/%d"`` for dates in file and folder
        names, ``date_from`` the guesses allowed (``"dateline"``, ``"path"``, ``"mtime"``, in
        order; ``"none"`` for none). They are recorded for the folder: ``None`` keeps what the
        last run used, ``""`` clears a sidecar or pattern. When they change, every file of the
        folder is dated afresh.

        ``source`` is the folder's publisher ("The Guardian"), for its documents that name
        none themselves (a record's ``source`` field, front matter), in place of the one their
        text suggests (see docs/ingest.md, "Publishers"). It is recorded for the folder too:
        ``None`` keeps the recorded one (none at first), ``""`` stops using it; a new one
        re-reads every file of the folder.

        ``columns`` says which columns of its CSV files (fields of its JSON Lines records)
        hold a document's ``text``, ``title``, ``date``, ``source``, ``id`` and ``url``, where
        they are not so named: ``{"text": "content", "title": "headline"}``, or
        ``"text=content,title=headline"`` (see docs/ingest.md, "Column names"). It is
        recorded for the folder: ``None`` keeps the recorded mapping, ``{}`` or ``""`` drops
        it; a new one re-reads every file of the folder. An unknown field, or a column that
        a file lacks, raises :class:`~corpus_search.errors.ColumnsError` (naming the file's
        columns) and nothing is written.
        """
        from corpus_search.indexing import index_folder
        from corpus_search.ingest.folders import check_sources
        from corpus_search.moving import moved_here
        from corpus_search.planning import PLANS, PlanOutdated, follows_folders, known_files

        started = time.perf_counter()
        root_path = check_sources([root], self.path, held=recorded_folders(self.path))[0]
        for _plan in range(PLANS):  # (planned without the lock, checked under it)
            known: dict[str, tuple[str, list[str]]] = {}
            move, generation = None, None
            if self.exists:  # (a pending index holds nothing, and is not made to be read)
                with self.guard(), self._store.ix.searcher() as searcher:
                    generation = searcher.reader().generation()
                    if not follows_folders(self._store, generation):
                        continue
                    known = known_files(searcher, str(root_path))
                    move = moved_here(searcher, self._store.meta.get("roots", {}), root_path,
                                      known)  # (moved here, or held twice by an old version)
            try:
                report = index_folder(
                    self._store, root_path, move.known if move else known,
                    id_prefix=id_prefix, progress=progress, procs=procs, dates=dates,
                    date_from_path=date_from_path, date_from=date_from, source=source,
                    columns=columns, move=move, planned_on=generation,
                )
            except PlanOutdated:
                continue
            report.seconds = time.perf_counter() - started
            return report
        raise self._store.locked_error()


def rebuild_index(
    path: str | os.PathLike[str] | None,
    folders: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    id_prefix: str | None = None,
    lexicon: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    procs: int | None = None,
    progress: ProgressCallback | None = None,
    dates: str | os.PathLike[str] | None = None,
    date_from_path: str | None = None,
    date_from: str | Sequence[str] | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    source: str | None = None,
    columns: Mapping[str, str] | str | None = None,
) -> list[IndexReport]:
    """Build the index at ``path`` again from ``folders``; return a report per folder.

    No folders (an empty list) means the folders the index records, as ``corpus-search index
    --rebuild`` without FOLDERS: an index that records none (its documents were added by a
    program), or one of whose folders is gone, raises
    :class:`~corpus_search.errors.SourceFolderError` and stays as it is.

    Each folder is dated as :meth:`CorpusIndex.index_directory` dates it: the date options
    given here replace, and ``None`` keeps, what the index records for that folder, so a
    rebuild dates every folder as before unless told otherwise. ``id_prefix`` likewise: given,
    it is every folder's prefix; ``None`` keeps each folder's recorded prefix (none for a new
    folder). Documents keep the ids the index gave them (see docs/ingest.md, "Ids"), as long as
    their folder keeps its prefix. ``source`` (a publisher) and ``columns`` (a column mapping)
    likewise: given, every folder's; ``None`` keeps each folder's recorded one.

    Everything is checked before the old index is touched: the index path can hold an index,
    every folder exists and can be read, none holds the index or lies inside it, the lexicon
    files and dates files load. The new generation is then written beside the old one, under
    the write lock, and replaces it in one commit: until then searches (in any process) use
    the old index, from then on the new one, and a failure or a kill on the way leaves the old
    index as it was. Documents a program added (from no folder) are carried over from what the
    old generation stored, analysed anew (``carried``: first report). ``lexicon=None`` keeps
    the user lexicon files the index records; ``[]`` drops them. Only the index's own files
    are ever removed (what the old generation leaves behind).
    """
    from corpus_search.rebuilding import folders_to_rebuild, rebuild_folders

    if isinstance(folders, (str, os.PathLike)):  # (one folder, not a sequence of letters)
        folders = [folders]
    if not folders:  # (an empty list, from a glob that matched nothing, made an empty index)
        folders = folders_to_rebuild(index_location(path))
    return rebuild_folders(
        path, folders, id_prefix=id_prefix, lexicon=lexicon, procs=procs, progress=progress,
        dates=dates, date_from_path=date_from_path, date_from=date_from,
        lock_timeout=lock_timeout, source=source, columns=columns,
    )
