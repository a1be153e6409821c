"""A date shown no more precisely than it is known: a document dated ``Feb 2005`` is held as
1 February 2005 with the precision ``"month"`` (see ``Document.date_precision``), and every
place that shows, cites or exports its date writes February 2005 or ``2005-02``, never the
first day, which a researcher quoting it would publish as the date."""

from __future__ import annotations

import datetime
from typing import Any

__all__ = ["DATE_ORIGINS", "GUESSED_DATES", "date_at_precision", "iso_at_precision",
           "row_at_precision", "shown_date"]

#: Where a date came from (its ``date_source``), in the words a reader is shown beside it:
#: ``show``, the web page's document, a citation's guess. One wording, so the page and the
#: command do not say "(sidecar)" and "(from a dates file)" of one date.
DATE_ORIGINS = {
    "sidecar": "from a dates file",
    "metadata": "as the file states it",
    "front-matter": "from its front matter",
    "path": "from its file's path",
    "dateline": "guessed from its dateline",
    "mtime": "guessed from its file's modification time",
    "properties": "from the file's properties: when it was made",
    "user": "given when it was added",
}
#: the sources that are guesses, not what the document or its file states (a citation says so)
GUESSED_DATES = ("dateline", "mtime")

#: the ISO text's characters kept for each precision (``2005``, ``2005-02``, ``2005-02-14``)
_ISO_CHARS = {"year": 4, "month": 7, "day": 10}


def date_at_precision(date: datetime.date, precision: str | None) -> str:
    """``date`` written out as in British copy: ``14 March 2024``, ``February 2005``
    (precision ``"month"``), ``2005`` (``"year"``); ``"day"`` (or ``None``) the day."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"


def iso_at_precision(date: datetime.date | str, precision: str | None) -> str:
    """``date`` (or its ISO text, as JSON holds it) in ISO 8601 form: ``2024-03-14``,
    ``2005-02`` (precision ``"month"``), ``2005`` (``"year"``)."""
    return str(date)[:_ISO_CHARS.get(precision or "day", 10)]


def shown_date(date: datetime.date | str | None, precision: str | None) -> str | None:
    """The date to show a person, no more precisely than it is known: ``2005-02-14``,
    ``2005-02`` for a document dated only to February 2005 (whose ``date`` is the 1st, which
    printed as the date), ``2005``; ``None`` when undated. The one rule of every
    ``shown_date``: a Document's, a Hit's, a ConcordanceLine's and their records'."""
    return iso_at_precision(date, precision) if date else None


def row_at_precision(row: dict[str, Any]) -> dict[str, Any]:
    """A record of plain data (``date`` ISO text, ``date_precision``) as a spreadsheet row
    writes it (an export, ``concordance --csv``): its date only as precise as it is known, a
    cell a reader takes as it reads (``2005-02``, not ``2005-02-01``)."""
    if row.get("date"):
        row["date"] = iso_at_precision(row["date"], row.get("date_precision"))
    return row
