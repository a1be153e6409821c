"""The date forms corpus_search reads: one reader, :func:`parse_date_span`, for all dates.

It serves documents (``date`` fields, front matter, sidecar files, datelines) and search
filters (``since``/``until``), so a form a document may state is a form a filter accepts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from corpus_search.ingest.month_first import LINES_SHOWN, line_list

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTHS",
    "MONTH_NAME",
    "TWO_DIGIT_PIVOT",
    "WEEKDAY",
    "DateSpan",
    "date_and_precision",
    "month_first_date",
    "parse_date",
    "parse_date_span",
    "unrecognised_date",
    "unrecognised_dates",
    "why_no_such_date",
]


MIN_YEAR, MAX_YEAR = 1000, 2999


#: a month's number by the first three letters of its name
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


#: a month's name, whole or short (``March``, ``Mar.``), as a regular expression
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


#: a weekday's name, whole or short (``Thursday``, ``Thu``), as a regular expression
WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\.?"
)


_ORDINAL = r"(?:st|nd|rd|th)?"


_ZONE = r"(?:gmt|bst|utc|ut|est|edt|cst|cdt|mst|mdt|pst|pdt|cet|cest|z|[+-]\d{2}:?\d{2})"


_TIME = (
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?(?:\s*\(?" + _ZONE + r"\)?)?"
    r"|\d{1,2}\s*[ap]\.?m\.?(?:\s*\(?" + _ZONE + r"\)?)?"
)


#: every form, most precise first; the group names say which parts a form has
_FORMS = (
    # 2019-02-21, 2019/02/21, 2019.02.21 (year first: always year, month, day)
    r"(?P<iso_y>\d{4})(?P<iso_s>[-/.])(?P<iso_m>\d{1,2})(?P=iso_s)(?P<iso_d>\d{1,2})",
    # 20190221
    r"(?P<c_y>\d{4})(?P<c_m>\d{2})(?P<c_d>\d{2})",
    # 21/02/2019, 21.02.2019, 21-02-2019: day first, as in Britain
    r"(?P<n_d>\d{1,2})(?P<n_s>[-/.])(?P<n_m>\d{1,2})(?P=n_s)(?P<n_y>\d{4})",
    # 21/02/19, 21-02-19 (Excel's short dates): day first, a two-digit year (see _full_year)
    r"(?P<s_d>\d{1,2})(?P<s_s>[-/])(?P<s_m>\d{1,2})(?P=s_s)(?P<s_y>\d{2})",
    # 13th March 2017, 1st of May 2020, 21 Feb, 2019, 4 Mar 05; Excel's 4-Mar-2005, 04-Mar-05
    rf"(?P<dm_d>\d{{1,2}}){_ORDINAL}(?:(?:\s+of)?\s+|(?P<dm_s>[-/]))(?P<dm_m>{MONTH_NAME})"
    r"(?(dm_s)(?P=dm_s)|\s*,?\s*)(?P<dm_y>\d{4}|\d{2})",
    # March 13, 2017; Aug 10 2016
    rf"(?P<md_m>{MONTH_NAME})\s+(?P<md_d>\d{{1,2}}){_ORDINAL}\s*,?\s*(?P<md_y>\d{{4}})",
    # 2005-03, 2005/03
    r"(?P<ym_y>\d{4})[-/.](?P<ym_m>\d{1,2})",
    # 03/2005
    r"(?P<my_m>\d{1,2})[-/.](?P<my_y>\d{4})",
    # March 2005, Mar. 2005
    rf"(?P<nm_m>{MONTH_NAME})\s*,?\s*(?P<nm_y>\d{{4}})",
    # 2005
    r"(?P<y_y>\d{4})",
)


# The patterns are compiled when first used, not on import: a search imports this module for
# its date filters and its index's date options, and most searches read no date.


@functools.cache
def _whole() -> re.Pattern[str]:
    """A date and nothing else, in any of the forms (see parse_date_span)."""
    return re.compile(
        rf"^\s*(?:(?:{_TIME})\s*,?\s*)?(?:{WEEKDAY}\s*,?\s*)?"
        rf"(?:{'|'.join(f'(?:{f})' for f in _FORMS)})"
        # (a weekday after a day, as LexisNexis writes it: March 14, 2005 Monday 8:00 AM GMT)
        rf"(?:\s*,?\s*(?P<late_weekday>{WEEKDAY})(?!\w))?"
        rf"(?:(?:t|\s*,?\s*(?:at\s+)?)(?:{_TIME}))?\s*\.?\s*$",
        re.IGNORECASE,
    )


_FORM_PREFIXES = ("iso", "c", "n", "s", "dm", "md", "ym", "my", "nm", "y")


@dataclass(frozen=True)
class DateSpan:
    """The days a written date covers: one day, a month or a year (``first`` to ``last``)."""

    first: dt.date
    last: dt.date

    @property
    def precision(self) -> str:
        """``"day"``, ``"month"`` or ``"year"``."""
        if self.first == self.last:
            return "day"
        return "month" if self.first.month == self.last.month else "year"


def parse_date_span(text: object) -> DateSpan | None:
    """The span of days that ``text``, written as a date and nothing else, stands for.

    Understands ISO dates and times (``2019-02-21``, ``2019-02-21T10:30:00Z``, ``2019/02/21``,
    ``20190221``), day-first numeric dates as written in Britain (``21/02/2019``,
    ``21.02.2019``: ``05/03/2005`` is 5 March; with a two-digit year as Excel writes them,
    ``05/03/05``, see :data:`TWO_DIGIT_PIVOT`), written-out dates (``13th March 2017``,
    ``4-Mar-2005``, ``04-Mar-05``, ``4 Mar 05``,
    ``Thursday 21 February 2019 10:30 EST``, ``March 13, 2017``, ``March 13, 2017 Monday 8:00
    AM GMT`` as LexisNexis writes it), months (``2005-03``,
    ``03/2005``, ``March 2005``) and years (``2005``); years 1000 to 2999. Text around the date
    (``the budget of 21 March 2005``) is not a date. Never raises.
    """
    read = _read_date(text)
    return read if isinstance(read, DateSpan) else None


def why_no_such_date(text: object) -> str | None:
    """Why ``text``, written in one of the forms :func:`parse_date_span` reads, names no day
    (``31/02/2017``: "February 2017 has no day 31"; ``2017-13``: "there is no month 13");
    ``None`` when it is a date or not written as one."""
    read = _read_date(text)
    return read if isinstance(read, str) else None


def unrecognised_date(raw: str) -> str:
    """The warning's words for a date not read: ``unrecognised date '31/02/2017': February
    2017 has no day 31``, with why when it is written as a date (:func:`why_no_such_date`)."""
    why = why_no_such_date(raw)
    return f"unrecognised date {raw[:40]!r}" + (f": {why}" if why else "")


def unrecognised_dates(name: str, unread: list[tuple[int, str]], rows: str, fate: str,
                       each: int = 1) -> list[str]:
    """The warnings on the dates of the file ``name`` not read (``unread``: line, text): a
    line each, saying why, for up to ``each`` of them, else one line for all, counting its
    ``rows`` (``records``) and saying their ``fate``: a dates file with a column of blank or
    mistyped dates was a warning a row, 414 of them for one folder, at every run."""
    if len(unread) <= each:
        return [f"{name} line {line}: {unrecognised_date(raw)}" for line, raw in unread]
    examples = ", ".join(list(dict.fromkeys(repr(raw[:40]) for _, raw in unread))[:LINES_SHOWN])
    return [f"{name}: {len(unread)} {rows} have an unrecognised date, {fate} (lines "
            f"{line_list([line for line, _ in unread])}: {examples})"]


def _read_date(text: object) -> DateSpan | str | None:
    """The span ``text`` stands for; why it is none, when it has a date's form; else None."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    m = _whole().match(text)
    if m is None:
        return None
    g = m.groupdict()
    prefix = next(p for p in _FORM_PREFIXES if g.get(f"{p}_y"))
    year = _full_year(g[f"{prefix}_y"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"years run from {MIN_YEAR} to {MAX_YEAR}"
    raw_month = g.get(f"{prefix}_m")
    if raw_month is None:
        if g.get("late_weekday"):  # (2005 Monday)
            return None
        return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31))
    month = int(raw_month) if raw_month.isdigit() else MONTHS[raw_month.lower()[:3]]
    raw_day = g.get(f"{prefix}_d")
    if raw_day is None and g.get("late_weekday"):  # (March 2005 Monday: no day of a month)
        return None
    if not 1 <= month <= 12:
        if prefix in ("n", "s") and 1 <= int(raw_day) <= 12:  # 05/13/2005, month first
            sep = g[f"{prefix}_s"]
            return (f"there is no month {month} (the day comes first, as in "
                    f"{month}{sep}{raw_day}{sep}{g[f'{prefix}_y']})")
        return f"there is no month {month}"
    if raw_day is None:
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return DateSpan(first, after - dt.timedelta(days=1))
    try:
        day = dt.date(year, month, int(raw_day))
    except ValueError:
        return f"{dt.date(year, month, 1):%B %Y} has no day {int(raw_day)}"
    return DateSpan(day, day)


#: A two-digit year (``05``) below this is in the 2000s, else in the 1900s, as Python's
#: ``strptime`` reads ``%y``: ``3/4/05`` is 3 April 2005, ``3/4/69`` 3 April 1969.
TWO_DIGIT_PIVOT = 69


def _full_year(written: str) -> int:
    """The year ``written`` with four digits, or two (see :data:`TWO_DIGIT_PIVOT`)."""
    year = int(written)
    if len(written) != 2:
        return year
    return year + (2000 if year < TWO_DIGIT_PIVOT else 1900)


def month_first_date(text: object) -> dt.date | None:
    """The day ``text`` names read month first (``03/21/2005``: 21 March 2005) when it names
    none day first, as numeric dates are read: a date written by an American tool."""
    m = re.fullmatch(r"\s*(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})\s*", text) if (
        isinstance(text, str) and len(text) < 40) else None
    if m is None or parse_date_span(text) is not None:
        return None
    return parse_date(f"{m[3]}{m[2]}{m[1]}{m[2]}{m[4]}")


def date_and_precision(text: object) -> tuple[dt.date | None, str | None]:
    """The date ``text`` states (:func:`parse_date`) and its precision as a
    :class:`~corpus_search.ingest.model.Document` holds it: ``"day"``, ``"month"``
    (``Feb 2005``), ``"year"`` (``2005``); ``(None, None)`` when ``text`` is no date."""
    span = parse_date_span(text)
    return (span.first, span.precision) if span else (None, None)


def parse_date(text: object) -> dt.date | None:
    """The date ``text`` states (see :func:`parse_date_span`); a month or year gives its
    first day. ``None`` when ``text`` is not a date."""
    span = parse_date_span(text)
    return span.first if span else None
