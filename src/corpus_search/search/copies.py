"""Copies on a page of results: a corpus often holds the same article saved twice (100 pairs
in the BBC corpus), and a reader should not have to find out by reading both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_search.ingest.model import text_key
from corpus_search.store.columns import document_body
from corpus_search.store.memo import PerSearcher

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.results import Hit

__all__ = ["PageCopies"]


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
        keys = _TEXT_KEYS(self._searcher)
        found = keys.get(docnum)
        if found is None:
            if len(keys) >= _KEYS_KEPT:
                keys.clear()
            found = keys[docnum] = text_key(title, document_body(self._searcher, docnum))
        return found


#: searcher -> document number -> its text key, kept while the searcher lives: a search
#: repeated on the BBC corpus read and hashed ~1.2 bodies a page again (~0.12 ms of ~0.45)
_TEXT_KEYS: PerSearcher[Searcher, dict[int, bytes]] = PerSearcher(lambda _: {})

#: text keys kept per searcher at most (16 bytes each; cleared when full)
_KEYS_KEPT = 100_000
