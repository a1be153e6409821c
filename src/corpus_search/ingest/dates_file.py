"""The dates file (``--dates FILE``): the user's own dates for a folder's documents, by id or
path, read from CSV or TSV."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_search.errors import DatesFileError
from corpus_search.ingest.csv_rows import header_reader, numbered_rows, open_quote
from corpus_search.ingest.date_forms import (
    DateSpan,
    month_first_date,
    parse_date_span,
    unrecognised_dates,
)
from corpus_search.ingest.date_statements import Stated, agreed, disputes
from corpus_search.ingest.month_first import LINES_SHOWN, MonthFirst, line_list
from corpus_search.ingest.path_dates import path_key

__all__ = ["Sidecar", "read_sidecar"]


@dataclass(frozen=True)
class Sidecar:
    """A dates file as read: its dates by document id and by path (see :func:`path_key`;
    those whose rows agree), its warnings, and a digest of its bytes (documents are dated
    afresh when it changes)."""

    by_id: Mapping[str, DateSpan]
    by_path: Mapping[str, DateSpan]
    warnings: tuple[str, ...]
    digest: str
    #: each ``by_path`` key as the file writes it (``politics/001.txt``), for messages
    written: Mapping[str, str] = field(default_factory=dict)
    #: every row's date by id and by path, the keys whose rows disagree too (``by_id`` and
    #: ``by_path`` leave those out: see :mod:`~corpus_search.ingest.date_statements`)
    rows_by_id: Mapping[str, Sequence[Stated]] = field(default_factory=dict)
    rows_by_path: Mapping[str, Sequence[Stated]] = field(default_factory=dict)


def read_sidecar(path: str | os.PathLike[str]) -> Sidecar:
    """Read a dates file: CSV (or TSV by its extension; semicolons or tabs when the header
    holds more of them than commas: :func:`~corpus_search.ingest.csv_rows.delimiter`) with a
    header row naming a ``date`` column and an ``id`` or ``path`` column (or both: a row with
    an id uses it, else its path). Rows with a date that cannot be read become warnings, and
    so do dates read day first when another can only be month first
    (:class:`~corpus_search.ingest.month_first.MonthFirst`), and so does an id or path given
    different dates on two rows, which dates nothing (a merged spreadsheet's, where either
    date may be the wrong one); a file that cannot be used at all raises
    :class:`~corpus_search.errors.DatesFileError`."""
    path = Path(path)
    data, text, reader, col, width = _sidecar_rows(path)
    by_id: dict[str, list[Stated]] = {}
    by_path: dict[str, list[Stated]] = {}
    written: dict[str, str] = {}
    warnings: list[str] = []
    unread: list[tuple[int, str]] = []
    blank: list[int] = []
    month_first = MonthFirst(path.name)
    rows = list(numbered_rows(reader))
    for n, (row_line, row) in enumerate(rows, 1):
        quote = None if isinstance(row, csv.Error) else open_quote(
            text, row_line, row, width, reader.dialect.delimiter, n == len(rows))
        if quote:  # (the rows after it read as one date: refused whole, as a CSV document is)
            raise DatesFileError(f"The dates file {path} has an {quote}; the index is "
                                 "unchanged: close the quote and index again.")
        if isinstance(row, csv.Error):
            warnings.append(f"{path.name} line {row_line}: malformed row ({row}), skipped")
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        key_id, key_path, raw = cell("id"), cell("path"), cell("date")
        if not (key_id or key_path or raw):
            continue
        if not raw:  # (a row naming a document whose date is still to be filled in)
            blank.append(row_line)
            continue
        date = parse_date_span(raw)
        if date is None:
            unread.append((row_line, raw))
            month_first.unread(row_line, raw, month_first_date(raw))
            continue
        month_first.read(row_line, raw, date.first)
        if key_id:
            by_id.setdefault(key_id, []).append(Stated(row_line, raw, date))
        elif key_path:
            key = path_key(key_path.removeprefix("./"))
            by_path.setdefault(key, []).append(Stated(row_line, raw, date))
            written.setdefault(key, key_path)
        else:
            warnings.append(f"{path.name} line {row_line}: no id or path, skipped")
    if blank:  # (said apart: nothing in them was misread)
        warnings.append(f"{path.name} line {blank[0]}: no date, dating nothing" if len(blank) == 1
                        else f"{path.name}: {len(blank)} rows have no date, dating nothing "
                        f"(lines {line_list(blank)})")
    warnings += unrecognised_dates(path.name, unread, "rows", "dating nothing", LINES_SHOWN)
    warnings.extend(filter(None, [month_first.warning()]))
    warnings += disputes(path.name, by_id, {}) + disputes(path.name, by_path, written)
    return Sidecar(agreed(by_id), agreed(by_path), tuple(warnings),
                   hashlib.sha256(data).hexdigest(), written, by_id, by_path)


def _sidecar_rows(path: Path) -> tuple[bytes, str, Any, dict[str, int], int]:
    """A dates file's bytes and text, a reader of its rows after the header, the column of
    each of ``id``, ``path`` and ``date`` it has, and how many columns its header names; a
    file that cannot be used raises."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        cannot = f"Cannot read the dates file {path}: {exc.strerror or exc}."
        raise DatesFileError(
            f"{cannot} Give another (dates=FILE), or index without one (dates='')."
        ).for_cli(f"{cannot} Give another with --dates FILE, or index without one with "
                  "--dates ''.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DatesFileError(f"The dates file {path} is not UTF-8 text.") from None
    reader = header_reader(text, tabs=path.suffix.lower() == ".tsv")
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    if "date" not in header or not ({"id", "path"} & set(header)):
        held = ", ".join(name for name in header if name)
        raise DatesFileError(
            f"The dates file {path} needs a header row naming a date column and an id or path "
            "column, such as: id,date "
            + (f"(its first row holds: {held[:200]})" if held else "(it has no header row)")
        )
    return data, text, reader, {name: header.index(name) for name in ("id", "path", "date")
                                if name in header}, len(header)
