"""Dates written month first in a file read day first (:class:`MonthFirst`): one warning for
a CSV or JSON Lines file of records and for a dates file alike.

An export from an American tool writes 03/21/2005 for 21 March, which is no date day first,
and 03/04/2005 for 4 March, which is read as 3 April without a word. Where one date of a file
can only be month first, the dates that read as another day month first are likely misread:
the warning names them (they are read day first all the same, as in Britain)."""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["LINES_SHOWN", "MonthFirst", "line_list", "reads_either_way"]

#: a warning about many records names this many of their lines
LINES_SHOWN = 3

#: a date of two numbers up to 31 and a year (03/04/2005, 03.04.2005, 03-04-2005, 03/04/05)
_EITHER_WAY = re.compile(r"\s*(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?:\d{2}){1,2}\s*$")


def reads_either_way(raw: str) -> bool:
    """Whether ``raw`` (03/04/2005) names another day read month first than day first."""
    m = _EITHER_WAY.match(raw)
    return bool(m and m["a"] != m["b"] and int(m["a"]) <= 12 and int(m["b"]) <= 12)


def line_list(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:LINES_SHOWN]))
    more = len(lines) - LINES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


class MonthFirst:
    """The dates of one file as they are read, for the warning (:meth:`warning`) on those read
    day first when another can only be month first."""

    def __init__(self, name: str) -> None:
        self.name = name
        #: the first date of the file that is a day only month first: line, text, the day
        self.written: tuple[int, str, dt.date] | None = None
        #: the dates read day first where month first reads another day: line, text, the day
        self.either_way: list[tuple[int, str, dt.date]] = []

    def read(self, line: int, raw: str, date: dt.date) -> None:
        """Note ``raw``, at ``line``, read as ``date``."""
        if reads_either_way(raw):
            self.either_way.append((line, raw, date))

    def unread(self, line: int, raw: str, month_first: dt.date | None) -> None:
        """Note ``raw``, at ``line``, not read: ``month_first`` is the day it names read
        month first (``dates.month_first_date``), if any."""
        if month_first is not None and self.written is None:
            self.written = (line, raw, month_first)

    def warning(self) -> str | None:
        """The warning on the dates likely misread, if any."""
        if self.written is None or not self.either_way:
            return None
        line, raw, day = self.written
        _, first, read_as = self.either_way[0]
        count = len(self.either_way)
        dates = "the date" if count == 1 else f"the {count} dates"
        return (f"{self.name}: a date is written month first (line {line}: {raw!r}), so {dates} "
                f"read day first, as in Britain, may be wrong (line{'s' * (count > 1)} "
                f"{line_list([n for n, _, _ in self.either_way])}: {first!r} read as "
                f"{read_as.day} {read_as:%B %Y}): write the dates year first ({day.isoformat()})")
