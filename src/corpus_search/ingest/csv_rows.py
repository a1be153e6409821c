"""CSV rows numbered by the file line they start on, read past malformed rows, and the
delimiter a file's header uses: one reading for the CSV files ingest indexes and the dates
files users give, so both report a bad row by its line and go on, and both read a file
separated by semicolons or tabs, or one that names its delimiter on a first line of its own
(Excel's ``sep=;``). A quote never closed, which reads the rows after it into one field, is
told apart (:func:`open_quote`)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

__all__ = ["DELIMITERS", "delimiter", "header_reader", "numbered_rows", "open_quote"]


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


#: the line Excel writes (and reads) above a CSV file's header to name its delimiter:
#: ``sep=;``, quoted or not
_SEP_LINE = re.compile(r'\ufeff?"?sep=(.)"?\r?', re.IGNORECASE)


def header_reader(text: str, tabs: bool = False) -> Any:
    """A :func:`csv.reader` of ``text`` whose next row is the file's header, its delimiter
    the one Excel's first line ``sep=X`` names, else :func:`delimiter`'s. Such a file had
    been read with the header ``sep=``, and skipped for having no title or body column, with
    advice to map columns that no mapping could give."""
    first = text.split("\n", 1)[0]
    named = _SEP_LINE.fullmatch(first)
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter=named.group(1) if named else delimiter(text, tabs))
    if named:
        next(reader)  # (the sep= line; line_num now counts it, as the rows' lines do)
    return reader


def open_quote(text: str, line: int, row: list[str], width: int, delimiter: str,
               last: bool) -> str | None:
    """Why the ``row`` read from ``line`` of ``text`` is a quote never closed (one stray ``"``
    reads every line after it, to the next quote or the end of the file, into one field),
    else ``None``: the field runs over lines that read as rows of the header's ``width`` (the
    row itself has another number of fields), or it runs to the end of the file (``last``:
    no row was read after it). A field quoted over lines as it should be is neither."""
    spanning = next((n for n, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
    if spanning is None:
        return None
    opens = line + sum(len(cell.splitlines()) - 1 for cell in row[:spanning])
    where = f"unclosed quote on line {opens}"
    if len(row) != width:
        rows = csv.reader(row[spanning].splitlines()[1:], delimiter=delimiter)
        if any(len(cells) == width for cells in rows):
            return f"{where}: it reads the rows after it into one field"
    if last:
        tail = "".join(io.StringIO(text, newline="").readlines()[line - 1:])
        try:
            for _cells in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter,
                                     strict=True):
                pass
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                return f"{where}: it runs to the end of the file"
    return None
