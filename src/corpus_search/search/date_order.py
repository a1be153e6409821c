"""The order of documents by date (``sort="date"``: newest first) when some dates are known
only to the month or year: such a date stands as day 0 of its month (or month 0 of its
year), as Zotero and CSL processors sort a date without a day, so that newest first puts
February 2005 after every day of February, 1 February included, and 2005 after every day
and month of 2005. Held as its first day alone, it tied with that day, and the tie fell to
score or index order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from corpus_search.search.engine import QueryEngine

__all__ = ["date_order"]

#: how far a date of each precision stands after the others of its first day, newest first
_BEFORE = {"month": 1, "year": 2}


def date_order(engine: QueryEngine) -> np.ndarray:
    """Each document's sort key by date, larger for newer (undated: negative, last in a
    descending sort): the stored day, then a day before its month, a month before its year."""
    key = engine.sort_key("date")
    order = np.where(key >= 0, key * 4 + 3, key)
    for precision, docs in engine.values("date_precision"):
        order[docs] -= _BEFORE.get(precision, 0)
    return order
