"""Ids across folders: the ids a folder's documents are given when another folder's documents
already hold their natural ones (docs/ingest.md, "Ids"), kept from run to run and through
rebuilds. Apart from :mod:`corpus_search.ingesting`'s scan, which reads what a folder holds:
this decides what its documents are called, under the write lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace as dataclass_replace
from itertools import chain
from typing import TYPE_CHECKING

from corpus_search.ingest.files import disambiguated_ids, folder_label, printable
from corpus_search.ingesting import exact_copies

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.ingesting import Scan

__all__ = ["assign_ids", "held_by_another_folder"]


def held_by_another_folder(
    searcher: Searcher, root_key: str, moved_from: str | None = None
) -> Callable[[str], bool]:
    """Whether a document not of the folder ``root_key`` (nor ``moved_from``) has an id given."""
    if not searcher.doc_count_all():
        return lambda _doc_id: False  # (a new index: no look-up for each document)

    def held(doc_id: str) -> bool:
        return any(
            searcher.stored_fields(docnum).get("root", "") not in (root_key, moved_from)
            for docnum in searcher.document_numbers(id=doc_id)
        )

    return held


def assign_ids(
    scan: Scan,
    held_elsewhere: Callable[[str], bool],
    reserved: dict[str, str],
    kept: set[str],
) -> dict[str, str]:
    """Give the documents ``scan`` read their ids; return the folder's new record of the ids
    that differ from the natural ones (natural id -> id).

    The report's ``duplicates`` (:func:`exact_copies` among the documents read) name the
    documents by these ids.

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
    # named by the ids just given: a copy's natural id may be another folder's document's
    scan.report.duplicates = exact_copies([doc for doc, _sig in scan.items()], scan.item_keys())
    if renamed:
        scan.report.warnings.append(
            (f"{len(renamed)} documents would have ids that documents of another folder have, "
             "so their ids start" if len(renamed) > 1 else
             "1 document would have an id that a document of another folder has, so its id "
             "starts") + f" with this folder's name (e.g. {printable(renamed[0])}); "
            "--id-prefix gives the folder a prefix of your choice"
        )
    return ids
