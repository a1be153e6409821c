"""What an index's documents can be counted by, and what a count says when none of them
has a date: the BBC corpus has no dates and no sources, so its first ``count`` (by year)
names ``--by party``, the one count that makes it a table."""

from __future__ import annotations

from collections.abc import Sequence

from corpus_search.search.counting import COUNT_BY, lacked_by_all
from corpus_search.search.filters import held_fields
from corpus_search.search.state import SearchSource

__all__ = ["countable_by", "no_dates_line"]


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

