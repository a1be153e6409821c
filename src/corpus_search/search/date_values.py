"""The values a query gives the ``date:`` and ``year:`` fields, checked before Whoosh reads
them: Whoosh drops a value it cannot read as a date and searches the words instead
(``date:notadate`` found every document saying "date"), and searches a range that ends
before it starts, finding nothing, silently."""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import DATETIME

from corpus_search.errors import QueryError
from corpus_search.search.modifiers import BoundedBoostPlugin

__all__ = ["check_date_values", "names_a_date_field"]

#: ``date:`` or ``year:`` as a field's name (not inside a word or after another colon)
_DATE_FIELD = r"(?<![\w:])(date|year):"
#: ``date:value`` or ``year:value`` as typed: a quoted value, a range or one word
_DATE_VALUE = re.compile(_DATE_FIELD + r"""("[^"]*"|[\[{][^\]}]*[\]}]|[^\s()]+)""")
#: a boost after a word, as the parser reads it (``date:2005^2``: the date 2005, boosted)
_BOOST = re.compile(BoundedBoostPlugin.expr)
#: a range's two ends (either may be left open)
_RANGE = re.compile(r"[\[{]\s*(.*?)\s*\bTO\b\s*(.*?)\s*[\]}]")
#: the one-line errors for a value that is no date
_DATE_FORMS = {
    "date": "{typed} is not a date the index can search: write a year (date:2005), a month "
            "(date:2005-03), a day (date:2005-03-14) or a range (date:[2005-01 TO 2005-06]); "
            "the since and until filters (--since, --until) read dates in more forms.",
    "year": "{typed} is not a year: write year:2005 (or a range, year:[2004 TO 2005]).",
}


def names_a_date_field(text: str) -> bool:
    """Does the query ``text`` search the ``date:`` or ``year:`` field?"""
    return re.search(_DATE_FIELD, text) is not None


def check_date_values(text: str, date_field: DATETIME) -> None:
    """Raise :class:`QueryError` for a ``date:`` or ``year:`` value of ``text`` that is no
    date (``date_field`` reads them), or a range of them that ends before it starts. A boost
    after a value (``date:2005^2``) is the parser's to read, not part of the date."""
    for match in _DATE_VALUE.finditer(text):
        name, value = match.group(1), match.group(2)
        boost = _BOOST.search(value) if value[:1] not in '"[{' else None
        value = value[:boost.start()] if boost else value
        bounds = _RANGE.fullmatch(value)
        if value[:1] in "[{" and bounds is None:
            continue  # an unclosed range is malformed syntax: read as its words
        parts = ([b for b in bounds.group(1, 2) if b] if bounds
                 else [value.lstrip("<>=").strip('"')])
        if name == "year":
            ok = all(re.fullmatch(r"[0-9*?]+", p) for p in parts)
            reversed_range = (bounds is not None and len(parts) == 2
                              and all(p.isdigit() for p in parts)
                              and int(parts[0]) > int(parts[1]))
        else:
            dates = [_date_query(date_field, p) for p in parts]
            ok = all(d is not None for d in dates)
            reversed_range = (ok and bounds is not None and len(parts) == 2
                              and _ends_before_it_starts(dates[0], dates[1]))
        if not ok or not parts:
            raise QueryError(_DATE_FORMS[name].format(typed=match.group(0)))
        if reversed_range:
            raise QueryError(
                f"{match.group(0)} ends before it starts: no {name} is in between. Write the "
                f"earlier {name} first."
            )


def _date_query(date_field: DATETIME, value: str) -> query.Query | None:
    """``date:value`` as the date field reads it, or None if it is no date."""
    try:
        parsed = date_field.parse_query("date", value)
    except Exception:  # Whoosh raises bare Exception for some unreadable dates
        return None
    return None if getattr(parsed, "error", None) else parsed


def _ends_before_it_starts(first: query.Query | None, last: query.Query | None) -> bool:
    """Does a range from the date ``first`` reads as to the one ``last`` reads as (each a
    year, month or day: a range of the stored numbers) end before it starts?"""
    begins, ends = getattr(first, "start", None), getattr(last, "end", None)
    return begins is not None and ends is not None and begins > ends
