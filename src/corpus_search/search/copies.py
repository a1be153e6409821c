"""Copies on a page of results: a corpus often holds the same article saved twice (100 pairs
in the BBC corpus), and a reader should not have to find out by reading both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_search.store.columns import document_body

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.results import Hit

__all__ = ["PageCopies"]


class PageCopies:
    """The hits of a page so far, to find a document whose title and body are word for
    word those of one above it (a corpus holds the same article saved twice: 100 pairs in
    the BBC corpus). Both stay listed, as both files exist; the reader is told. Bodies are
    compared only between hits of the same title, so a page without copies reads no body
    for this (and costs a search a dictionary look-up per hit)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        #: title -> the hits so far with it: (document number, id)
        self._seen: dict[str, list[tuple[int, str]]] = {}

    def first_with_text_of(self, docnum: int, hit: Hit) -> str | None:
        """The id of the first hit so far with ``docnum``'s title and body, else None (and
        ``docnum``, as ``hit``, is remembered)."""
        earlier = self._seen.setdefault(hit.title, [])
        if earlier:
            body = document_body(self._searcher, docnum)
            for other, other_id in earlier:
                if document_body(self._searcher, other) == body:
                    return other_id
        earlier.append((docnum, hit.id))
        return None
