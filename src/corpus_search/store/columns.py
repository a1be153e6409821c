"""Columns and facet counts: a document's stored fields and body text (compressed
columns) and the counts of sources, parties and years.
"""

from __future__ import annotations

import functools
import weakref
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from whoosh.searching import Searcher
from whoosh.sorting import Count, FieldFacet

from corpus_search.store.memo import PerSearcher

if TYPE_CHECKING:
    pass



def _body_columns(searcher: Searcher) -> list[tuple[int, Any]]:
    """``searcher``'s segments' body column readers, (document base, reader or None) each."""
    return [
        (base, leaf.column_reader("body_text", translate=False))
        if leaf.has_column("body_text")
        else (base, None)
        for leaf, base in searcher.reader().leaf_readers()
    ]


#: searcher -> its segments' body column readers
_BODY_COLUMNS: PerSearcher[Searcher, list[tuple[int, Any]]] = PerSearcher(_body_columns)


def document_body(searcher: Searcher, docnum: int) -> str:
    """The body text of document ``docnum`` (kept in the ``body_text`` column).

    Read from the document's own segment: Whoosh's multi-segment column reader misnumbers
    documents when a segment has no file for the column. The column readers are opened once
    per searcher (opening one reads the column's offsets).
    """
    for base, column in reversed(_BODY_COLUMNS(searcher)):
        if docnum >= base:
            raw = column[docnum - base] if column is not None else b""
            return raw.decode("utf-8") if raw else ""
    return ""


#: documents whose stored fields a searcher keeps read (the pages shown lately)
STORED_KEPT = 1024


class StoredFields:
    """A searcher's stored fields by document number (``searcher.stored_fields``), those of
    the last :data:`STORED_KEPT` documents read kept decoded: each document's record is
    compressed on its own, and reading one (decompressing, unpickling, checking its fields
    against the schema) costs more than the rest of showing it as a hit. The searcher reads
    one generation of the index, so what it reads never changes. The records are read-only
    views."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = weakref.proxy(searcher)  # a strong one would keep it alive
        self._read = functools.lru_cache(maxsize=STORED_KEPT)(self._read_one)

    def _read_one(self, docnum: int) -> Mapping[str, Any]:
        return MappingProxyType(self._searcher.stored_fields(docnum))

    def __getitem__(self, docnum: int) -> Mapping[str, Any]:
        return self._read(docnum)


#: searcher -> its StoredFields
_STORED: PerSearcher[Searcher, StoredFields] = PerSearcher(StoredFields)


def stored_fields(searcher: Searcher) -> StoredFields:
    """The stored fields of ``searcher``'s documents, the recently read ones kept for as long
    as the searcher lives (see :class:`StoredFields`)."""
    return _STORED(searcher)


def folder_counts(reader: Any) -> dict[str, dict[str, int]]:
    """Each folder's live documents and files, from the postings of the ``root`` and ``file``
    fields: a file name counts once per folder that holds it (``collA/x.txt`` and
    ``collB/x.txt`` are two files). Documents a program added belong to no folder."""
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
    # (documents a program added have no folder and no file: counted as a folder "" of one
    # file "", they made stats say "6 documents from 4 files" of 3 files and 3 such documents)
    return {
        root: {"documents": documents[n], "files": files[n]}
        for n, root in enumerate(roots) if root
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
