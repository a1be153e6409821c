"""The order of documents by date (``sort="date"``: newest first; ``sort="oldest"``: oldest
first) when some dates are known only to the month or year: such a date stands as day 0 of
its month (or month 0 of its year), as Zotero and CSL processors sort a date without a day,
so that newest first puts February 2005 after every day of February, 1 February included,
and 2005 after every day and month of 2005, and oldest first puts them before. Held as its
first day alone, it tied with that day, and the tie fell to score or index order. Undated
documents come last either way."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from corpus_search.search.engine import QueryEngine

__all__ = ["DATE_SORTS", "SORTS", "date_order"]

#: the orders by date a search, listing, concordance, export or ``similar`` can be asked for
#: (what ``--sort`` offers besides relevance), each with what its note calls it
DATE_SORTS = {"date": "newest first", "oldest": "oldest first"}

#: every ``sort`` the library takes
SORTS = ("relevance", *DATE_SORTS)

#: how far a date of each precision stands after the others of its first day, newest first
_BEFORE = {"month": 1, "year": 2}


def date_order(engine: QueryEngine, sort: str = "date") -> np.ndarray:
    """Each document's sort key by date, larger first in a descending sort (undated:
    negative, last): newer first for ``"date"``, the stored day, then a day before its month,
    a month before its year; the reverse for ``"oldest"`` (a year before its months, a month
    before its days), undated last still."""
    key = engine.sort_key("date")
    order = np.where(key >= 0, key * 4 + 3, key)
    for precision, docs in engine.values("date_precision"):
        order[docs] -= _BEFORE.get(precision, 0)
    if sort == "oldest":
        order = np.where(order >= 0, order.max(initial=0) + 1 - order, order)
    return order
