"""CSV rows numbered by the file line they start on, read past malformed rows, and the
delimiter a file's header uses: one reading for the CSV files ingest indexes and the dates
files users give, so both report a bad row by its line and go on, and both read a file
separated by semicolons or tabs."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

__all__ = ["DELIMITERS", "delimiter", "numbered_rows"]


def numbered_rows(reader: Any) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """``(line, row)`` for each row after the header that ``reader`` (a :func:`csv.reader`)
    has read, ``line`` being where
    the row starts (a quoted field may span lines); a malformed row comes as its
    :class:`csv.Error` in place of the row, and reading goes on after it."""
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, exc
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        yield line, row


#: the delimiters a CSV file may use: commas, or the semicolons a spreadsheet writes where the
#: comma is the decimal mark (Excel in much of Europe), or tabs
DELIMITERS = (",", ";", "\t")


def delimiter(text: str, tabs: bool = False) -> str:
    """The delimiter of a CSV file whose text is ``text``: the one of :data:`DELIMITERS` its
    first line holds most of (a comma on a tie; a tab with ``tabs``, a file named ``.tsv``).
    A header "id;title;body" was read as one column named so, and the file skipped."""
    if tabs:
        return "\t"
    first = text.split("\n", 1)[0]
    return max(DELIMITERS, key=lambda d: (first.count(d), d == ","))
