"""What the index holds of a folder (:func:`known_files`), which a run on it is planned on,
and the check of that plan once the run holds the write lock (:class:`Planned`): a run
reads the folder before it takes the lock, so that reading waits for no other writer, and
plans again (:class:`PlanOutdated`) if another run indexed the folder meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from corpus_search.store.handle import IndexHandle
from corpus_search.store.meta import identity_of
from corpus_search.store.stats import unmeasured_documents

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = ["PLANS", "UNMEASURED", "PlanOutdated", "Planned", "follows_folders", "known_files"]


def follows_folders(store: IndexHandle, generation: int) -> bool:
    """Whether ``store`` reads ``generation`` as it was built, taking the folders' records of
    it (what other processes recorded meanwhile) for a run to be planned on; nothing else of
    its record (the lexicon files it was opened with stay the ones it records, so a run with
    a lexicon file at a new place records it). Built another way: it reloads, and says no
    (:meth:`~corpus_search.store.handle.IndexHandle.follows`)."""
    meta = store.meta_for(generation)
    if meta is not None and identity_of(meta) == identity_of(store.meta):
        store.meta["roots"] = meta.get("roots") or {}
        return True
    store.reload()
    return False


#: the signature :func:`known_files` gives a file whose documents must be written again
#: (one longer than the index recorded): it matches no file, so the file is read and written
UNMEASURED = "unmeasured"


def known_files(searcher: Searcher, root_key: str) -> dict[str, tuple[str, list[str]]]:
    """What the index holds of the folder ``root_key``: file -> (signature, [ids]). A file
    holding a document whose exact length the index lacks (a body longer than Whoosh's
    length byte, written by a version before ``body_length``) has the signature
    :data:`UNMEASURED`, so the run writes it again with its length, rather than the whole
    index wait for a rebuild."""
    unmeasured = set()
    for docnum in unmeasured_documents(searcher):
        fields = searcher.stored_fields(docnum)
        if fields.get("root") == root_key:
            unmeasured.add(fields.get("file", ""))
    known: dict[str, tuple[str, list[str]]] = {}
    for fields in searcher.documents(root=root_key):
        rel = fields.get("file", "")
        sig, ids = known.get(rel, (fields.get("file_sig", ""), []))
        ids.append(fields["id"])
        known[rel] = (UNMEASURED if rel in unmeasured else sig, ids)
    return known


#: how many times a run plans its work on a folder before it gives up: each time but the
#: first, another process wrote the folder between the plan and the write lock
PLANS = 5


class PlanOutdated(Exception):
    """Raised under the write lock by :func:`index_folder` when the index no longer holds of
    the folder what the run was planned on (:class:`Planned`): another process indexed it
    meanwhile. Nothing is written; the run plans again against what the index holds now."""


@dataclass(frozen=True)
class Planned:
    """What a run on a folder was planned on, read before the write lock is taken, for
    :func:`index_folder` to check once it holds the lock (:meth:`holds`)."""

    #: the generation the plan read (``None``: the index was not made yet)
    generation: int | None
    #: what the index held of the folder then (:func:`known_files`; of its old place when
    #: it moved)
    known: dict[str, tuple[str, list[str]]]
    #: when it moved: what the index held of its new place then (an earlier version's
    #: copies of the old place's files, see :mod:`corpus_search.moving`; mostly nothing)
    here: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def holds(
        self, store: IndexHandle, searcher: Searcher, generation: int, *, root_key: str,
        records: dict[str, Any], moved_from: str | None,
    ) -> bool:
        """Whether the index of ``searcher`` (its ``generation``, read under the write lock)
        holds of the folder ``root_key`` what the plan read: the same generation, or (another
        process committed since) the same files, ids and folder ``records`` (the records
        the plan read of ``root_key`` and ``moved_from``), as when it wrote other folders.
        Otherwise the plan would write again what another run has just written (and, of a
        folder the index held nothing of, every document twice)."""
        if generation == self.generation:
            return True
        roots = (store.meta_for(generation) or {}).get("roots") or {}
        if any(roots.get(key) != record for key, record in records.items()):
            return False
        if moved_from is not None and _sorted(known_files(searcher, root_key)) != _sorted(
                self.here):
            return False
        return _sorted(known_files(searcher, moved_from or root_key)) == _sorted(self.known)


def _sorted(known: dict[str, tuple[str, list[str]]]) -> dict[str, tuple[str, list[str]]]:
    return {rel: (sig, sorted(ids)) for rel, (sig, ids) in known.items()}
