"""What every page of results is made with, whatever ranks it (search, browsing, similar,
literal search): the page and sort checked, the order by date, the documents the filters
keep, the facets counted, and the hits with their snippets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query

from corpus_search.errors import QueryError
from corpus_search.search.budget import check_budget
from corpus_search.search.copies import PageCopies
from corpus_search.search.date_order import DATE_SORTS, SORTS, date_order
from corpus_search.search.filters import SearchFilters, dated_years
from corpus_search.search.highlight import make_snippet
from corpus_search.search.hits import Hit, hit_parts
from corpus_search.search.query_places import AmongMarks
from corpus_search.search.ranking import FACET_FIELDS, MAX_PAGE_SIZE, page_number, whole
from corpus_search.search.results import FacetCounts
from corpus_search.search.state import SearchSource
from corpus_search.store.columns import document_body

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.engine import QueryEngine


__all__ = ["by_date", "check_page", "check_sort", "counted_facets", "hits_of", "kept_masks",
           "sort_notes"]


def check_sort(sort: object) -> None:
    """A :class:`QueryError` for a ``sort`` that is not one of :data:`SORTS` (``"relevance"``,
    ``"date"``: newest first, ``"oldest"``: oldest first)."""
    if sort not in SORTS:
        raise QueryError(f"sort must be 'relevance', 'date' (newest first) or 'oldest' (oldest "
                         f"first), not {sort!r}.")


def check_page(limit: object, page: object) -> tuple[int, int]:
    """The page size and page number as ``int``; a :class:`QueryError` for one that is not a
    whole number in range."""
    size = whole(limit)
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}, not {limit!r}.")
    return size, page_number(page)


#: the note of a sort by date of an index none of whose documents has a date
UNDATED_SORT = ("No document in this index has a date, so sorting by date left the results in "
                "order of relevance.")


def sort_notes(index: SearchSource, sort: str) -> list[str]:
    """What to know of the order: sorting by date on an index with no dated document
    leaves the results in relevance order."""
    if sort in DATE_SORTS and not dated_years(index):
        return [UNDATED_SORT]
    return []


def by_date(
    engine: QueryEngine, ranked: Sequence[tuple[int, float]], sort: str = "date"
) -> list[tuple[int, float]]:
    """``ranked`` (document number, score) in the order of a search sorted by date: newest
    first (a month after its days: :func:`date_order`), or oldest first for ``"oldest"``,
    undated last, then by score and index order."""
    key = date_order(engine, sort)
    return sorted(ranked, key=lambda pair: (-int(key[pair[0]]), -pair[1], pair[0]))


def kept_masks(
    index: SearchSource, engine: QueryEngine, flt: SearchFilters
) -> tuple[np.ndarray, np.ndarray | None]:
    """The mask of the live documents ``flt`` keeps, and of those its date range leaves out
    for having no date, the other filters applied (``None``: it leaves none out for that)."""
    live = engine.docs(query.Every())
    filter_q, undated_q = flt.to_query(index), flt.undated_query(index)
    kept = live & engine.docs(filter_q) if filter_q is not None else live
    return kept, None if undated_q is None else live & engine.docs(undated_q)


def counted_facets(engine: QueryEngine, mask: np.ndarray) -> FacetCounts:
    """The documents of ``mask`` (the matches) counted by source, party and year, and how many
    name no party (:attr:`SearchResults.without_party`): what ``--facets`` lists."""
    return engine.facet_counts(mask, FACET_FIELDS), _without_value(engine.values("party"), mask)


def _without_value(values: Sequence[tuple[Any, np.ndarray]], mask: np.ndarray) -> int:
    """How many documents of ``mask`` hold none of ``values`` (each a value and the document
    numbers holding it, as :meth:`QueryEngine.values` gives a field's)."""
    held = np.zeros(len(mask), dtype=bool)
    for _value, docs in values:
        held[docs] = True
    return int((mask & ~held).sum())


def hits_of(
    searcher: Searcher,
    ranked: Sequence[tuple[int, float | None]],
    first: int,
    words: frozenset[str] | None,
    like: tuple[int, str, str] | None = None,
    places: AmongMarks | None = None,
) -> list[Hit]:
    """The hits of ``ranked`` (document number, score), ranked from ``first`` on, with snippets
    marking ``words`` (none when None; or ``places``, see make_snippet) and each copy of a hit
    above it on the page marked ``same_as`` (copies score alike, so they come together), or of
    the document ``like`` (number, id, title) that similar's hits are like."""
    parts = hit_parts(searcher)
    copies = PageCopies(searcher, like)
    hits = []
    for rank, (docnum, score) in enumerate(ranked, first):
        check_budget()
        snippet = (
            make_snippet(searcher, document_body(searcher, docnum), words, docnum, places)
            if words is not None
            else None
        )
        hit = Hit.from_parts(parts(docnum), rank, score, snippet)
        hit.same_as = copies.first_with_text_of(docnum, hit)
        hits.append(hit)
    return hits
