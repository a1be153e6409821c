"""Dates from a file's path: ``--date-from-path`` patterns and the built-in name and folder
shapes (``2019-02-21-title.txt``, ``2005/03/``)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

from corpus_search.errors import DateOptionsError
from corpus_search.ingest.date_forms import MONTH_NAME, MONTHS

__all__ = ["compile_path_pattern", "path_date", "path_date_span", "path_key"]


_BOUND_BEFORE, _BOUND_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"


_YEAR = r"(?P<y>(?:19|20)\d{2})"


_MONTH_NUMBER = r"(?P<m>0[1-9]|1[0-2])"


@functools.cache
def _path_forms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A year-month-day in a name, and a year and month as folders."""
    return (
        re.compile(
            _BOUND_BEFORE + _YEAR + r"(?P<s>[-_/.]?)" + _MONTH_NUMBER + r"(?P=s)"
            r"(?P<d>0[1-9]|[12]\d|3[01])" + _BOUND_AFTER
        ),
        re.compile(_BOUND_BEFORE + _YEAR + r"[-_/]" + _MONTH_NUMBER + r"(?=/|$)"),
    )


_DIRECTIVES = {
    "Y": r"(?P<year>\d{4})",
    "m": r"(?P<month>1[0-2]|0?[1-9])",
    "d": r"(?P<day>3[01]|[12]\d|0?[1-9])",
    "b": rf"(?P<month_name>{MONTH_NAME})",
    "B": rf"(?P<month_name>{MONTH_NAME})",
}


def compile_path_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression of a ``--date-from-path`` pattern.

    Patterns are written like ``strftime`` formats: ``%Y`` a four-digit year, ``%m`` a month
    number, ``%d`` a day, ``%b``/``%B`` a month name, ``%%`` a percent sign; everything else
    stands for itself. ``%Y`` is required; without ``%d`` the date is the month (held as its
    first day, with the precision ``"month"``), without ``%m`` too the year. Raises
    :class:`~corpus_search.errors.DateOptionsError` for a pattern
    it cannot use.
    """
    parts: list[str] = []
    used: set[str] = set()
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch != "%":
            parts.append(re.escape(ch))
            i += 1
            continue
        code = pattern[i + 1 : i + 2]
        if code == "%":
            parts.append("%")
        elif code in _DIRECTIVES:
            group = "month" if code in "bBm" else code
            if group in used:
                raise DateOptionsError(
                    f"The date pattern {pattern!r} uses %{code} twice (or %m and %b together)."
                )
            used.add(group)
            parts.append(_DIRECTIVES[code])
        else:
            raise DateOptionsError(
                f"The date pattern {pattern!r} has %{code or ''}, which is not understood; "
                "use %Y (year), %m (month), %d (day), %b (month name) and %%."
            )
        i += 2
    if "Y" not in used:
        raise DateOptionsError(f"The date pattern {pattern!r} needs %Y (the year).")
    if "d" in used and "month" not in used:
        raise DateOptionsError(f"The date pattern {pattern!r} has %d (a day) but no month.")
    return re.compile(r"(?<!\d)" + "".join(parts) + r"(?!\d)", re.IGNORECASE)


def path_key(rel: str) -> str:
    """``rel`` as a dates file's path column and the path dates read it: ``/`` between
    folders, no extension (``politics/001.txt`` and ``politics/001`` name one file)."""
    return os.path.splitext(rel.replace(os.sep, "/"))[0]


def path_date(rel: str, pattern: re.Pattern[str] | str | None = None) -> dt.date | None:
    """The date a file's path (relative to the indexed folder) states.

    Without ``pattern``: a year-month-day in a file or folder name (``2019-02-21-title.txt``,
    ``20050321_x.txt``, ``2005/03/21/x.txt``, ``2005_03_21.md``), else a year and month as
    folders (``2005/03/x.txt``, ``2005-03/x.txt``: the first of the month); years 1900-2099,
    the innermost date wins. With ``pattern`` (see :func:`compile_path_pattern`), only what the
    pattern matches (the first match in the path).
    """
    found = path_date_span(rel, pattern)
    return found[0] if found else None


def path_date_span(
    rel: str, pattern: re.Pattern[str] | str | None = None
) -> tuple[dt.date, str] | None:
    """:func:`path_date` and its precision (``"day"``, ``"month"``, ``"year"``): a pattern
    without ``%d``, or a year and month as folders, date a month, not its first day."""
    key = path_key(rel)
    if pattern is not None:
        regex = compile_path_pattern(pattern) if isinstance(pattern, str) else pattern
        m = regex.search(key)
        if m is None:
            return None
        g = m.groupdict()
        month: str | int | None = g.get("month")
        if g.get("month_name"):
            month = MONTHS[g["month_name"].lower()[:3]]
        precision = "day" if g.get("day") else "month" if month else "year"
        return _safe_date(g["year"], month or 1, g.get("day") or 1, precision)
    path_day, path_month = _path_forms()
    days = [_safe_date(m["y"], m["m"], m["d"], "day") for m in path_day.finditer(key)]
    days = [d for d in days if d is not None]
    if days:
        return days[-1]
    months = [_safe_date(m["y"], m["m"], 1, "month") for m in path_month.finditer(key)]
    return months[-1] if months else None


def _safe_date(
    year: str | int, month: str | int, day: str | int, precision: str
) -> tuple[dt.date, str] | None:
    try:
        return dt.date(int(year), int(month), int(day)), precision
    except ValueError:
        return None
