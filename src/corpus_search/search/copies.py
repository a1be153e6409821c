"""Copies: a corpus often holds the same article saved twice (100 pairs in the BBC corpus).
A reader of a page of results should not have to find out by reading both
(:class:`PageCopies`), and a count asked to count each text once (``distinct``) must know
which documents are one text (:func:`first_copies`, :func:`same_texts`). The rule is
:func:`~corpus_search.ingest.model.text_key`'s, the index's duplicate report's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from corpus_search.ingest.model import text_key
from corpus_search.store.columns import document_body
from corpus_search.store.memo import PerSearcher

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.engine import QueryEngine
    from corpus_search.search.hits import Hit

__all__ = ["PageCopies", "copies_note", "first_copies", "same_texts", "text_groups"]


class PageCopies:
    """The hits of a page so far, to find a document whose title and body repeat one above
    it word for word (:func:`~corpus_search.ingest.model.text_key`, the rule of the index's
    duplicate report: a corpus holds the same article saved twice, 100 pairs in the BBC
    corpus). Both stay listed, as both files exist; the reader is told. Bodies are read only
    for hits whose title another hit has, so a page without copies reads none for this (and
    costs a search a dictionary look-up per hit)."""

    def __init__(self, searcher: Searcher, above: tuple[int, str, str] | None = None) -> None:
        """``above``: a document (number, id, title) taken as one above the page's hits
        (``similar``'s: a copy of the document given, listed first as the most alike, was
        not said to be one)."""
        self._searcher = searcher
        #: title (spacing aside) -> the hits so far with it: (document number, id)
        self._seen: dict[str, list[tuple[int, str]]] = {}
        if above is not None:
            docnum, doc_id, title = above
            self._seen[" ".join(title.split())] = [(docnum, doc_id)]

    def first_with_text_of(self, docnum: int, hit: Hit) -> str | None:
        """The id of the first hit so far with ``docnum``'s title and body, else None (and
        ``docnum``, as ``hit``, is remembered)."""
        earlier = self._seen.setdefault(" ".join(hit.title.split()), [])
        if earlier:
            key = self._key(docnum, hit.title)
            for other, other_id in earlier:
                if self._key(other, hit.title) == key:
                    return other_id
        earlier.append((docnum, hit.id))
        return None

    def _key(self, docnum: int, title: str) -> bytes:
        return _text_key(self._searcher, docnum, title)


def _text_key(searcher: Searcher, docnum: int, title: str) -> bytes:
    """Document ``docnum``'s :func:`~corpus_search.ingest.model.text_key` (``title`` its
    title), kept for the searcher."""
    keys = _TEXT_KEYS(searcher)
    found = keys.get(docnum)
    if found is None:
        if len(keys) >= _KEYS_KEPT:
            keys.clear()
        found = keys[docnum] = text_key(title, document_body(searcher, docnum))
    return found


def text_groups(searcher: Searcher, engine: QueryEngine) -> np.ndarray:
    """Per document number of ``searcher``'s index (``engine`` its query engine): the first
    live document (the lowest number) with its text word for word
    (:func:`~corpus_search.ingest.model.text_key`), the document itself where none comes
    before it. Worked out once per searcher: only documents
    whose title and body are as long as another live document's are read (on the BBC corpus
    nearly all, one-byte lengths being coarse: ~0.1 s for 2,225 articles)."""
    kept = _GROUPS(searcher)
    if "groups" not in kept:
        groups = np.arange(engine.size, dtype=np.int64)
        live = np.flatnonzero(engine.live)
        lengths = np.stack([engine.field_lengths("title")[live],
                            engine.field_lengths("body")[live]], axis=1)
        _, which, many = np.unique(lengths, axis=0, return_inverse=True, return_counts=True)
        first: dict[bytes, int] = {}
        for doc in live[many[which.ravel()] > 1].tolist():  # (in order: the first comes first)
            title = searcher.stored_fields(doc).get("title") or ""
            groups[doc] = first.setdefault(_text_key(searcher, doc, title), doc)
        kept["groups"] = groups
    return kept["groups"]


def first_copies(searcher: Searcher, engine: QueryEngine, among: np.ndarray) -> np.ndarray:
    """Per document: is it the first (lowest numbered) of ``among`` with its text? Each
    text of ``among`` once."""
    docs = np.flatnonzero(among)
    _, first = np.unique(text_groups(searcher, engine)[docs], return_index=True)
    once = np.zeros(len(among), dtype=bool)
    once[docs[first]] = True
    return once


def same_texts(searcher: Searcher, engine: QueryEngine, docs: np.ndarray) -> np.ndarray:
    """Per document: does one of ``docs`` (a mask) have its text? ``docs`` and their
    copies."""
    groups = text_groups(searcher, engine)
    held = np.zeros(len(docs), dtype=bool)
    held[groups[docs]] = True
    return held[groups]


#: searcher -> document number -> its text key, kept while the searcher lives: a search
#: repeated on the BBC corpus read and hashed ~1.2 bodies a page again (~0.12 ms of ~0.45)
_TEXT_KEYS: PerSearcher[Searcher, dict[int, bytes]] = PerSearcher(lambda _: {})

#: text keys kept per searcher at most (16 bytes each; cleared when full)
_KEYS_KEPT = 100_000

#: searcher -> {"groups": :func:`text_groups`}, once worked out
_GROUPS: PerSearcher[Searcher, dict[str, np.ndarray]] = PerSearcher(lambda _: {})


def copies_note(copies: int, of: str, done: str) -> str:
    """The note on the ``copies`` documents each-text-once left out, each repeating the text
    ``of`` another word for word ("a match", in a count: ``done`` "counted"; "a document
    written before it", in an export: "written")."""
    repeat = "document repeats" if copies == 1 else "documents repeat"
    return (f"{copies} more {repeat} the text of {of} word for word: left out (each text "
            f"{done} once)")
