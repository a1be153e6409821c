"""CSV rows numbered by the file line they start on, read past malformed rows: one reading
for the CSV files ingest indexes and the dates files users give, so both report a bad row by
its line and go on."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

__all__ = ["numbered_rows"]


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
