"""A concordance's line: one match in its context, and the line as plain data (``--json``,
``--csv``), its date shown at its precision by the one rule every record takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from corpus_search.ingest.shown_dates import shown_date

__all__ = ["ConcordanceLine"]


@dataclass(frozen=True)
class ConcordanceLine:
    """One match in its context. ``start`` and ``end`` are the match's character offsets in
    the document's body; ``left`` and ``right`` are at most the concordance's width, cut at
    a word boundary, with runs of white space shown as one space."""

    id: str
    title: str
    date: dt.date | None
    left: str
    match: str
    right: str
    start: int
    end: int
    #: how much of ``date`` is known (``"day"``, ``"month"``, ``"year"``; see Hit)
    date_precision: str | None = None

    @property
    def shown_date(self) -> str | None:
        """The date at its precision (``2005-02`` for a month), as a Hit's."""
        return shown_date(self.date, self.date_precision)

    def to_dict(self) -> dict[str, Any]:
        """The line as plain data (the date as ISO text: ``date_precision`` says how much of it
        is known, ``shown_date`` is it at that precision), as ``--json`` and ``--csv`` print
        it."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["shown_date"] = self.shown_date
        return data
