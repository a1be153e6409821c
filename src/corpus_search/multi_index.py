"""Several indexes searched as one (:class:`MultiIndex`), and the choice of what to search
(:func:`open_for_search`: the paths given, the default index, or the demo index).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import corpus_search.lean_whoosh  # noqa: F401  (before Whoosh: see there)

from whoosh.fields import Schema
from whoosh.reading import EmptyReader, MultiReader
from whoosh.searching import Searcher

from corpus_search.boilerplate_words import removed_words
from corpus_search.errors import (
    IndexVersionError,
    NoIndexGivenError,
    Note,
    QueryError,
)
from corpus_search.index import (
    DEFAULT_LOCK_TIMEOUT,
    CorpusIndex,
    IndexStats,
    ReadableIndex,
    open_demo_index,
)
from corpus_search.search.ids import document_number
from corpus_search.store.files import holds_index
from corpus_search.store.generations import (
    default_index_path,
    index_location,
    nothing_committed,
)
from corpus_search.store.meta import current_meta, rebuild_call, rebuild_command

if TYPE_CHECKING:
    from corpus_search.search.ranking import Ranking


__all__ = ["MultiIndex", "open_for_search", "open_indexes"]


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
        paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        unique = _unique_paths(paths)
        if not unique:
            raise NoIndexGivenError("MultiIndex needs at least one index path.")
        #: held while the merged searcher is checked or replaced (threads may share the index)
        self._lock = threading.RLock()
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

    removed_words = removed_words  # (ReadableIndex.removed_words: every index's folders')

    @property
    def schema(self) -> Schema:
        """The Whoosh schema of the indexes (the first's: they share the lexicon)."""
        return self.indexes[0].schema

    def __enter__(self) -> MultiIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"MultiIndex({[str(ix.path) for ix in self.indexes]!r})"

    def close(self) -> None:
        """Release every index's searcher and file handles."""
        with self._lock:
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
        with self._lock:
            parts = [ix.searcher(ranking) for ix in self.indexes]
            merged = self._merged
            if merged is None or any(
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
                whole = (_MergedReader(leaves, self, ranges, parts) if leaves
                         else EmptyReader(self.schema))
                merged = self._merged = _MergedSearcher(whole, parts[0].weighting, self, parts)
                self._parts = parts
            merged.weighting = parts[0].weighting
            return merged

    def keep_open(self, searcher: Searcher) -> Callable[[], None]:
        """Keep ``searcher`` (one :meth:`searcher` handed out) open until the function
        returned is called: each index keeps open the searcher of it that ``searcher`` reads
        (:meth:`CorpusIndex.keep_open`)."""
        parts = searcher.parts if isinstance(searcher, _MergedSearcher) else []
        releases = [ix.keep_open(part) for ix, part in zip(self.indexes, parts, strict=True)]

        def release() -> None:
            for one in releases:
                one()

        return release

    def stats(self) -> list[IndexStats]:
        """Each index's :meth:`CorpusIndex.stats`, in the order given."""
        return [ix.stats() for ix in self.indexes]

    def _resolve(self, searcher: _MergedSearcher, doc_id: str) -> int | None:
        """The merged document number of ``doc_id`` (bare, or ``<label>:<id>``) in
        ``searcher``: found in the searchers of the indexes that it reads (the index's
        newest may number its documents otherwise: a merge since, or a rebuild)."""
        found = _which(searcher.parts, doc_id)
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
            docnum = document_number(searcher.parts[n], rest)
            if docnum is None:
                return None
            found = [(n, docnum)]
        n, docnum = found[0]
        return searcher.merged_number(n, docnum)

    def _shown_id(self, parts: Sequence[Searcher], n: int, doc_id: str) -> str:
        """The id a document of index ``n`` is shown with, of the indexes as the searchers
        ``parts`` read them: qualified when another index holds the same id."""
        if any(m != n for m, _ in _which(parts, doc_id)):
            return f"{self.labels[n]}:{doc_id}"
        return doc_id


def _which(parts: Sequence[Searcher], doc_id: str) -> list[tuple[int, int]]:
    """(index number, its document number) of every live document with this id, in the
    searchers ``parts`` of the indexes."""
    found = []
    for n, part in enumerate(parts):
        docnum = document_number(part, doc_id)
        if docnum is not None:
            found.append((n, docnum))
    return found


def _unique_paths(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
) -> list[Path]:
    """The index paths given, each once, in order; one path alone (a ``str`` or a ``Path``)
    is one, not a sequence of paths (``MultiIndex("news")`` read each letter as an index
    folder and refused ``/`` for holding other files). A path that is no path (a number) is
    :func:`index_location`'s one-line error."""
    if isinstance(paths, (str, os.PathLike)) or not isinstance(paths, Iterable):
        paths = [paths]
    return list(dict.fromkeys(index_location(p).absolute() for p in paths))


def open_indexes(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str], **kwargs: Any
) -> CorpusIndex | MultiIndex:
    """The index at ``paths[0]`` when there is one path (or the same path repeated, or one
    path alone), else a :class:`MultiIndex` over them all."""
    unique = _unique_paths(paths)
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
            meta, files = current_meta(other.path), first.lexicon.extra_paths
            refused = (
                f"The indexes at {first.path} and {other.path} were built with different "
                f"lexicons ({first.lexicon.fingerprint[:12]} and "
                f"{other.lexicon.fingerprint[:12]}), so they cannot be searched together. "
                "Search them one at a time, or rebuild one with the other's lexicon files: "
            )
            command = rebuild_command(other.path, meta, files)
            raise IndexVersionError(
                refused + rebuild_call(other.path, meta, files), other.path,
                rebuild_command=command,
            ).for_cli(refused + command)


class _MergedReader(MultiReader):
    """The segments of several indexes as one reader; a document's stored ``id`` is the id
    :class:`MultiIndex` shows (qualified when two indexes hold it)."""

    def __init__(
        self, leaves: list[Any], owner: MultiIndex, ranges: list[tuple[int, int]],
        parts: Sequence[Searcher],
    ) -> None:
        super().__init__(leaves)
        self._owner = owner
        #: the merged document numbers of each index: [start, end)
        self.ranges = ranges
        #: each index's searcher whose segments this reads
        self.parts = list(parts)

    def index_of(self, docnum: int) -> tuple[int, int]:
        """(index number, document number within that index) of a merged document number."""
        for n, (start, end) in enumerate(self.ranges):
            if start <= docnum < end:
                return n, docnum - start
        raise IndexError(docnum)

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        fields = dict(super().stored_fields(docnum))
        if "id" in fields:
            fields["id"] = self._owner._shown_id(self.parts, self.index_of(docnum)[0],
                                                 fields["id"])
        return fields


class _MergedSearcher(Searcher):
    """A searcher over a :class:`_MergedReader` that finds documents by their shown ids, and
    leaves the indexes' own readers open when it goes (their indexes close them)."""

    def __init__(
        self, reader: Any, weighting: Any, owner: MultiIndex, parts: Sequence[Searcher]
    ) -> None:
        super().__init__(reader, weighting=weighting, closereader=False)
        self._owner = owner
        #: each index's searcher whose segments it reads (as it numbers their documents)
        self.parts = list(parts)

    def _subsearcher(self, reader: Any) -> Searcher:
        return Searcher(reader, weighting=self.weighting, closereader=False, parent=self)

    def merged_number(self, n: int, docnum: int) -> int:
        """The merged document number of document ``docnum`` of index ``n``."""
        return self.ixreader.ranges[n][0] + docnum

    def document_number(self, **kw: Any) -> int | None:
        if set(kw) == {"id"}:
            return self._owner._resolve(self, kw["id"])
        return super().document_number(**kw)


def open_for_search(
    paths: Sequence[str | os.PathLike[str]] = (),
    notify: Callable[[str], None] | None = None,
) -> CorpusIndex | MultiIndex:
    """The index to search: the ``paths`` given (:func:`open_indexes`); else the default
    index if anything was ever committed to it; else the demo index of the bundled seed
    articles (:func:`open_demo_index`, which tells ``notify`` when it builds it). A default
    index a first indexing run made but never committed to (killed, or still writing) holds
    nothing: ``notify`` is told so, and the demo is searched meanwhile."""
    if paths:
        return open_indexes(paths)
    default = default_index_path()
    if holds_index(default):
        if not nothing_committed(default):
            return CorpusIndex.open()
        if notify is not None:
            notify(unfinished_default_note(default))
    return open_demo_index(notify)


def unfinished_default_note(path: Path) -> Note:
    """What a search says of a default index at ``path`` nothing was ever committed to."""
    said = (f"Your index at {path} holds nothing yet: the first indexing run into it stopped "
            "before it wrote a document, or is writing now. Searching the demo index "
            "meanwhile; ")
    return Note(said + "CorpusIndex().index_directory(FOLDER) builds yours (nothing was lost).",
                said + "corpus-search index FOLDER builds yours (nothing was lost).")
