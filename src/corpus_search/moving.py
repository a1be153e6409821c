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
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_search.ingest.model import DOCUMENT_EXTENSIONS, readable_extensions
from corpus_search.ingest.signatures import file_since_indexed
from corpus_search.planning import known_files
from corpus_search.store.meta import gone_roots

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = ["MOVED_SHARE", "FolderMove", "moved_here"]

#: the share of a gone folder's documents that must be found unchanged at a new place for it
#: to be that folder moved (the rest may have changed since; every file must be there)
MOVED_SHARE = 0.5


@dataclass(frozen=True)
class FolderMove:
    """A folder the index records, no folder any more, found at a new place."""

    #: the folder as the index records it (its old place)
    old: str
    #: what the index holds of it: file -> (signature, ids), as :func:`known_files` gives it
    known: dict[str, tuple[str, list[str]]]
    #: how many of its documents are at the new place as they were indexed
    unchanged: int


def moved_here(searcher: Searcher, roots: Iterable[str], root_path: Path) -> FolderMove | None:
    """The folder of ``roots`` (the folders the index of ``searcher`` records) that
    ``root_path`` is, moved or renamed (see the module), or ``None``: one that is no folder
    any more, every file of which the index holds ``root_path`` holds at the same place, in a
    kind it can read, and more than :data:`MOVED_SHARE` of whose documents it holds as
    indexed; of several, the one with the most. The folders its documents were read from
    count too: a move cut short between its record and its commit (a kill) recorded the new
    place alone, and the next run finishes it."""
    unread = set(DOCUMENT_EXTENSIONS) - readable_extensions()
    held = {term.decode("utf-8") for term in searcher.reader().lexicon("root")}
    found: FolderMove | None = None
    for old in gone_roots(sorted((set(roots) | held) - {"", str(root_path)})):
        known = known_files(searcher, old)
        unchanged = 0
        for rel, (sig, ids) in known.items():
            place = root_path / rel
            if os.path.splitext(rel)[1].lower() in unread or not (
                    place.is_file() and os.access(place, os.R_OK)):
                break  # (its documents would stay as the old place's: not that folder)
            if file_since_indexed(sig, place) is None:
                unchanged += len(ids)
        else:
            documents = sum(len(ids) for _sig, ids in known.values())
            if documents and unchanged > MOVED_SHARE * documents and (
                    found is None or unchanged > found.unchanged):
                found = FolderMove(old, known, unchanged)
    return found

