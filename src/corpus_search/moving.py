"""A folder the index holds found at a new place (moved or renamed): its documents keep
their ids.

A researcher cites a document by its id (``politics/047``). When the folder it was read from
moves (``mv ~/articles ~/research/articles``), the index still records the old place, which
is no folder any more, and indexing the new place read every file as a document of a folder
of its own: the ids the old place's documents held were taken, so each came back under a new
one (``articles/politics/047``), every result twice, until a rebuild without the old place.

:func:`moved_here` tells such a folder from another that holds files of the same names (a
corpus laid out the same way, ``politics/001.txt``...): the folder gone must be found whole
at the new place, each of its files at the same place within it, and most of its documents
(:data:`MOVED_SHARE`) with the very content that was indexed (the content digest the index
keeps of each file, :func:`~corpus_search.ingest.signatures.file_since_indexed`). Indexing
the new place then takes up the old place's record (its id prefix, publisher, dates, column
mapping and the ids it gave) and writes its documents again under the same ids, recording the
new place (:func:`~corpus_search.indexing.index_folder`), in one commit: a failure leaves the
index as it was.

Versions before this one indexed the new place as a folder of its own: the index holds each
of its files twice, under the old place's ids and new ones (``articles/politics/047``).
Such a new place is the old folder moved too, when its documents include some of the old
place's files: indexing it again keeps each file's documents once, under the old place's
ids, and removes the copies (:attr:`FolderMove.copies`); a rebuild naming it does the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.errors import CorpusSearchError
from corpus_search.ingest.signatures import MOVED_SHARE, moved_to
from corpus_search.planning import known_files
from corpus_search.store.collection import with_warnings
from corpus_search.store.files import DEFAULT_LOCK_TIMEOUT
from corpus_search.store.generations import index_location
from corpus_search.store.handle import IndexHandle
from corpus_search.store.meta import (
    current_meta,
    gone_roots,
    recorded_folders,
    recorded_ids,
    recorded_touched,
    set_recorded_ids,
    set_recorded_touched,
)

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = ["MOVED_SHARE", "FolderMove", "moved_folders", "moved_here", "record_taken_up",
           "unnamed_folders"]

@dataclass(frozen=True)
class FolderMove:
    """A folder the index records, no folder any more, found at a new place."""

    #: the folder as the index records it (its old place)
    old: str
    #: what the index holds of it: file -> (signature, ids), as :func:`known_files` gives it
    known: dict[str, tuple[str, list[str]]]
    #: how many of its documents are at the new place as they were indexed
    unchanged: int
    #: what the index holds of the new place itself: nothing for a folder moved, its files
    #: for one an earlier version indexed at its new place as a new folder (the old place's
    #: files held twice)
    here: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def held(self) -> dict[str, tuple[str, list[str]]]:
        """What the index holds of the folder at both places: each file's signature (the new
        place's, where it holds it there too) and the ids of its documents at either."""
        held = dict(self.known)
        for rel, (sig, ids) in self.here.items():
            held[rel] = (sig, [*self.known.get(rel, ("", []))[1], *ids])
        return held

    @property
    def copies(self) -> frozenset[str]:
        """The ids of the new place's documents of files the old place holds too: the copies
        an earlier version made, which indexing the new place again removes."""
        return frozenset(i for rel, (_sig, ids) in self.here.items() if rel in self.known
                         for i in ids)


def moved_here(
    searcher: Searcher, roots: Iterable[str], root_path: Path,
    here: dict[str, tuple[str, list[str]]] | None = None,
) -> FolderMove | None:
    """The folder of ``roots`` (the folders the index of ``searcher`` records) that
    ``root_path`` is, moved or renamed (see the module), or ``None``: one that is no folder
    any more, every file of which the index holds ``root_path`` holds at the same place, in a
    kind it can read, and more than :data:`MOVED_SHARE` of whose documents it holds as
    indexed (:func:`~corpus_search.ingest.signatures.moved_to`); of several, the one with the
    most. The folders its documents were read from
    count too: a move cut short between its record and its commit (a kill) recorded the new
    place alone, and the next run finishes it. ``here``: what the index holds of
    ``root_path`` itself (:func:`known_files`); when it holds something, only a folder some
    of whose files it holds twice (there and here) is one."""
    held = {term.decode("utf-8") for term in searcher.reader().lexicon("root")}
    found: FolderMove | None = None
    for old in gone_roots(sorted((set(roots) | held) - {"", str(root_path)})):
        if here and not _held_there(searcher, old, here):
            continue  # (read no more of it: a run of a folder held is made often)
        known = known_files(searcher, old)
        unchanged = moved_to(known, root_path)
        if unchanged is not None and (found is None or unchanged > found.unchanged):
            found = FolderMove(old, known, unchanged, dict(here or {}))
    return found


def _held_there(searcher: Searcher, old: str, here: dict[str, tuple[str, list[str]]]) -> bool:
    """Whether the first document of the folder ``old`` is of a file the index holds of
    the folder whose files are ``here`` too (a folder moved holds every file of its old
    place: so does the new place an earlier version indexed as a new folder)."""
    first = next(iter(searcher.documents(root=old)), None)
    return first is not None and first.get("file", "") in here


def record_taken_up(roots: dict[str, Any], move: FolderMove, root_key: str) -> dict[str, Any]:
    """The record of the folder ``root_key`` that ``move`` found moved there: its old
    place's (id prefix, publisher, dates, column mapping, the ids it gave), or the new
    place's when a move cut short recorded that alone. Where an earlier version indexed the
    new place as a new folder, what its record keeps of the files that are its own (not the
    old place's) stays too: the ids given them, the files touched, their warnings."""
    record = dict(roots.get(move.old) or roots.get(root_key) or {})
    new = roots.get(root_key)
    if not move.here or not isinstance(new, dict) or move.old not in roots:
        return record
    own = set(move.here) - set(move.known)
    set_recorded_ids(record, {**_own_ids(record, new, move, own), **recorded_ids(record)})
    set_recorded_touched(record, {**{f: sig for f, sig in recorded_touched(new).items()
                                     if f in own}, **recorded_touched(record)})
    warned = {rel: said for rel, said in _warnings(new).items() if rel in own}
    return with_warnings(record, {**warned, **_warnings(record)})


def _own_ids(old: dict[str, Any], new: dict[str, Any], move: FolderMove,
             own: set[str]) -> dict[str, str]:
    """The ids of the documents of the ``own`` files of a new place (record ``new``), by
    their natural ids under the id prefix of the old place's record ``old``: they keep the
    ids they have, though the old place's prefix is another."""
    natural = {i: n for n, i in recorded_ids(new).items()}  # (id given -> natural id)
    old_prefix, new_prefix = str(old.get("id_prefix", "")), str(new.get("id_prefix", ""))
    ids = {}
    for rel in own:
        for doc_id in move.here[rel][1]:
            name = natural.get(doc_id, doc_id).removeprefix(new_prefix)
            if old_prefix + name != doc_id:
                ids[old_prefix + name] = doc_id
    return ids


def _warnings(record: dict[str, Any]) -> dict[str, list[str]]:
    warned = record.get("warnings")
    return warned if isinstance(warned, dict) else {}


def moved_folders(
    target: Path, meta: dict[str, Any] | None, roots: Sequence[Path], lock_timeout: float
) -> dict[str, FolderMove]:
    """Of ``roots`` (a rebuild's folders), those that are a folder the index at ``target``
    (its record ``meta``) holds and that moved there since (:func:`moved_here`; or that an
    earlier version indexed there too, the old place's files held twice), each with its
    move, whose record (id prefix, publisher, dates, ids) it takes up: named at its new place,
    as the refusal of a gone folder advises, a folder moved keeps its documents' ids. None
    when no folder the index records is gone, or the index cannot be read (a damaged index is
    rebuilt from its files)."""
    recorded = list((meta or {}).get("roots") or {})
    if not roots or not gone_roots(recorded):  # (the index is read only for a folder moved)
        return {}
    handle = IndexHandle(target, None, lock_timeout)
    moves: dict[str, FolderMove] = {}
    try:
        handle.open(create=False)
        with handle.ix.searcher() as searcher:
            for root in roots:
                taken = {move.old for move in moves.values()}
                move = moved_here(searcher, set(recorded) - taken, root,
                                  known_files(searcher, str(root)))
                if move is not None and move.old not in taken:
                    moves[str(root)] = move
    except (CorpusSearchError, OSError, ValueError):
        return {}
    return moves


def unnamed_folders(
    path: str | os.PathLike[str], folders: Sequence[str | os.PathLike[str]]
) -> list[str]:
    """The folders the index at ``path`` records that are not among ``folders``: those a
    rebuild from ``folders`` (:func:`corpus_search.rebuild_index`) leaves out of the new
    index, with their documents (ask before the rebuild, which records ``folders`` only). A
    folder moved to one of ``folders`` is not one: the rebuild takes it up there, its
    documents keeping their ids (:func:`moved_folders`). None for no ``folders``: a rebuild
    from the folders the index records."""
    named = [Path(folder).expanduser().resolve() for folder in folders]
    if not named:
        return []
    target = index_location(path)
    moved = {move.old for move in moved_folders(
        target, current_meta(target), named, DEFAULT_LOCK_TIMEOUT).values()}
    return [str(root) for root in recorded_folders(target)
            if root.resolve() not in set(named) and str(root) not in moved]
