"""What documents can be counted by: an index's (the BBC corpus has no dates and no
sources, so its first ``count``, by year, names ``--by party``, the one count that makes it
a table), and a count's matches that its table places in no row (an undated document by
month is in no count by year either: only the counts that place it are named).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from corpus_search.search.filters import held_fields
from corpus_search.search.state import SearchSource

if TYPE_CHECKING:
    from corpus_search.search.engine import QueryEngine

__all__ = ["COUNT_BY", "LACKING", "OTHERWISE", "countable_by", "lacked_by_all",
           "no_dates_line", "placing"]

#: what documents can be counted by
COUNT_BY = ("year", "month", "source", "party")
#: what a document left out of a count by each lacks, as a message says it: by month, a date
#: known only to the year (``2005``) is in no month's row, not in January's
LACKING = {"year": "a date", "month": "a month", "source": "a source", "party": "a party"}
#: the counts that place the documents a count by year or month cannot, as a program asks
#: for them and as the command line does
OTHERWISE = {"library": "by='source' or by='party'", "cli": "--by source or --by party"}


def lacked_by_all(by: str, way: str, *, one: bool = False,
                  others: Sequence[str] | None = None) -> tuple[str, str]:
    """What every document of a count ``by`` lacks when none is in its table, to follow
    "None of them" (``one``: "It"), and the counts that place them (``way``, a key of
    :data:`OTHERWISE`; "" by source or party): ``("has a date", "--by source or --by party
    counts them otherwise")``, or ``("has no date", "... counts it otherwise")``. The
    command, its chart and ``repr`` say it in these words. ``others``: what they can be
    counted by (:func:`placing`; the index's, :func:`countable_by`), if known: the counts
    named are among them, so the BBC corpus by year or by source is told of ``--by party``
    alone, and an undated document by month is not sent to ``--by year``."""
    lacks = f"has no {LACKING[by][2:]}" if one else f"has {LACKING[by]}"
    if others is None:
        if by not in ("year", "month"):
            return lacks, ""
        return lacks, f"{OTHERWISE[way]} counts {'it' if one else 'them'} otherwise"
    named = [b for b in ("year", "source", "party") if b in others and b != by]
    if not named:
        return lacks, ""
    ways = " or ".join(f"--by {b}" if way == "cli" else f"by={b!r}" for b in named)
    return lacks, f"{ways} counts {'it' if one else 'them'} otherwise"



def placing(engine: QueryEngine, docs: np.ndarray, by: str) -> tuple[str, ...]:
    """The counts (year, source, party; not ``by``) that place in a row at least one of
    ``docs`` (per document number), the matches a count ``by`` places in none: a document
    with no date is in no count by year, one dated only to a year is."""
    out = []
    for other in ("year", "source", "party"):
        if other == by:
            continue
        held = np.zeros(engine.size, dtype=bool)
        if other == "year":
            held = engine.sort_key("date") >= 0
        else:
            for value, where in engine.values(other):
                if value:
                    held[where] = True
        if (held & docs).any():
            out.append(other)
    return tuple(out)


def countable_by(index: SearchSource) -> tuple[str, ...]:
    """What the documents of ``index`` can be counted by (of :data:`COUNT_BY`): by year and
    month where some document has a date, by source or party where some has one (the BBC
    corpus: by party alone)."""
    held = held_fields(index)
    return tuple(by for by in COUNT_BY if ("year" if by == "month" else by) in held)


def no_dates_line(by: str, others: Sequence[str], way: str) -> str:
    """The one line a count ``by`` year or month of an index none of whose documents has a
    date (the BBC corpus) says for its table: why there is none, and the counts
    (``others``, :func:`countable_by`) that make one. (Its note, :data:`UNDATED_INDEX`,
    says at length where dates come from.)"""
    otherwise = lacked_by_all(by, way, others=others)[1]
    return (f"No document in this index has a date, so there is no table by {by} (dates: "
            f"ingest.md, Dates)" + (f"; {otherwise}." if otherwise else "."))

