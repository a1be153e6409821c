"""Columns and facet counts: a document's body text (its compressed column) and the
counts of sources, parties and years.
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import TYPE_CHECKING, Any

from whoosh.searching import Searcher
from whoosh.sorting import Count, FieldFacet

if TYPE_CHECKING:
    pass



#: searcher -> its segments' body column readers, (document base, reader or None) each
_BODY_COLUMNS: weakref.WeakKeyDictionary[Searcher, list[tuple[int, Any]]] = (
    weakref.WeakKeyDictionary()
)


def document_body(searcher: Searcher, docnum: int) -> str:
    """The body text of document ``docnum`` (kept in the ``body_text`` column).

    Read from the document's own segment: Whoosh's multi-segment column reader misnumbers
    documents when a segment has no file for the column. The column readers are opened once
    per searcher (opening one reads the column's offsets).
    """
    columns = _BODY_COLUMNS.get(searcher)
    if columns is None:
        columns = [
            (base, leaf.column_reader("body_text", translate=False))
            if leaf.has_column("body_text")
            else (base, None)
            for leaf, base in searcher.reader().leaf_readers()
        ]
        _BODY_COLUMNS[searcher] = columns
    for base, column in reversed(columns):
        if docnum >= base:
            raw = column[docnum - base] if column is not None else b""
            return raw.decode("utf-8") if raw else ""
    return ""


def folder_counts(reader: Any) -> dict[str, dict[str, int]]:
    """Each folder's live documents and files, from the postings of the ``root`` and ``file``
    fields: a file name counts once per folder that holds it (``collA/x.txt`` and
    ``collB/x.txt`` are two files)."""
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
    return {
        root: {"documents": documents[n], "files": files[n]} for n, root in enumerate(roots)
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
