"""Which columns of a CSV file, or fields of a JSON Lines record, hold a document's text,
title, date, source, id and address: a spreadsheet export rarely names them as we do
(``headline``, ``content``, ``published``). One mapping for a folder, given as a mapping
(``{"text": "content", "title": "headline"}``) or as the command line writes it
(``text=content,title=headline``)."""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any

from corpus_search.errors import ColumnsError
from corpus_search.ingest.model import type_name

__all__ = ["COLUMN_FIELDS", "DEFAULT_COLUMNS", "FALLBACK_COLUMNS", "column_mapping",
           "columns_argument", "columns_record", "default_column", "record_columns",
           "recorded_columns"]

#: each field a column can hold, and the column that holds it when no mapping says otherwise
#: (``text`` is a document's body)
DEFAULT_COLUMNS = {"text": "body", "title": "title", "date": "date", "source": "source",
                   "id": "id", "url": "url"}

#: the column a field no mapping names is read from when a file (a CSV file's header, a JSON
#: record's fields) lacks its default column but has this one and no mapping reads it: a CSV
#: of ``title,text`` columns, as many exports are, was indexed with its titles alone
FALLBACK_COLUMNS = {"text": "text"}

#: the fields a mapping may name, in the order a message lists them
COLUMN_FIELDS = tuple(DEFAULT_COLUMNS)

_EXAMPLE = "e.g. text=content,title=headline,date=published"


def _column(name: str) -> str:
    """A column's name as a file's header is read: spaces at its ends and capitals aside."""
    return name.strip().lstrip("\ufeff").lower()


def column_mapping(columns: Mapping[str, str] | str | None) -> dict[str, str]:
    """``columns`` checked and made plain: field -> column, the column as a header is read
    (:func:`_column`), only the fields mapped to another column than their own (so
    ``{"text": "body"}`` is ``{}``), sorted; ``body`` is another name of the field ``text``.
    A string is ``field=column`` pairs joined by
    commas (``""``: none). Raises :class:`~corpus_search.errors.ColumnsError` for an unknown
    field, a field given twice or a column without a name."""
    if columns is None:
        return {}
    if not isinstance(columns, (str, Mapping)):  # (a list had raised AttributeError: items)
        raise ColumnsError(f"The column mapping is {type_name(columns)}, not a dict "
                           "({'title': 'headline'}) or text ('title=headline,text=story').")
    pairs = _pairs(columns) if isinstance(columns, str) else list(columns.items())
    mapping: dict[str, str] = {}
    for field, column in pairs:
        key = field.strip().lower() if isinstance(field, str) else field
        key = "text" if key == "body" else key  # (the name a record's own column has)
        if key not in DEFAULT_COLUMNS:
            raise ColumnsError(f"Unknown field {field!r} in the column mapping: the fields "
                               f"are {', '.join(COLUMN_FIELDS)} ({_EXAMPLE}).")
        if key in mapping:
            raise ColumnsError(f"The field {key!r} is given two columns in the column mapping.")
        if not isinstance(column, str) or not _column(column):
            raise ColumnsError(f"The field {key!r} is given no column name in the column "
                               f"mapping ({_EXAMPLE}).")
        mapping[key] = _column(column)
    return {f: c for f, c in sorted(mapping.items()) if c != DEFAULT_COLUMNS[f]}


def _pairs(text: str) -> list[tuple[str, str]]:
    """``field=column`` pairs of a command line's ``--columns`` value."""
    pairs = []
    for part in filter(str.strip, text.split(",")):
        field, equals, column = part.partition("=")
        if not equals:
            raise ColumnsError(f"{part.strip()!r} in the column mapping is not field=column "
                               f"({_EXAMPLE}).")
        pairs.append((field, column))
    return pairs


def columns_argument(mapping: Mapping[str, str]) -> str:
    """``mapping`` (as :func:`column_mapping` makes it) as ``--columns`` takes it."""
    return ",".join(f"{field}={column}" for field, column in mapping.items())


def columns_record(mapping: dict[str, str]) -> dict[str, Any]:
    """How a folder's record in the index keeps its column mapping (``--columns``): none
    kept for none, so the records of indexes made before the option stay as they were."""
    return {"columns": dict(mapping)} if mapping else {}


def recorded_columns(record: object) -> dict[str, str]:
    """The column mapping a folder's ``record`` keeps (none if it keeps none it can use)."""
    mapping = record.get("columns") if isinstance(record, dict) else None
    try:
        return column_mapping(mapping) if isinstance(mapping, dict) else {}
    except ColumnsError:
        return {}


def record_columns(
    mapping: Mapping[str, str], names: Container[str] = ()
) -> dict[str, str]:
    """The column of each field under ``mapping`` in a file whose columns (or a record whose
    fields) are ``names``: the default where it names none, or the fallback
    (:data:`FALLBACK_COLUMNS`) where ``names`` lack the default and hold the fallback, which
    ``mapping`` does not read (so ``body`` wins over ``text``, and ``title=text`` leaves the
    body empty). A column ``mapping`` names that ``names`` lack gives way to the field's own
    (its default, else its fallback) that ``names`` hold and ``mapping`` reads for no field:
    a folder's ``title,body`` export beside its ``Headline,Story`` ones, read by a mapping
    for those, had been skipped (a new mapping refused) for want of their columns."""
    columns = {**DEFAULT_COLUMNS, **mapping}
    for field, column in columns.items():
        if column in names or (field not in mapping and field not in FALLBACK_COLUMNS):
            continue
        own = [DEFAULT_COLUMNS[field]] if field in mapping else []
        own += [FALLBACK_COLUMNS[field]] if field in FALLBACK_COLUMNS else []
        columns[field] = next((name for name in own
                               if name in names and name not in mapping.values()), column)
    return columns


def default_column(mapping: Mapping[str, str], field: str) -> str:
    """Where ``field`` is read from under ``mapping``, for a message: its column, or the
    default with its fallback (``body (or text)``)."""
    if field in mapping:
        return mapping[field]
    fallback = FALLBACK_COLUMNS.get(field)
    return f"{DEFAULT_COLUMNS[field]} (or {fallback})" if fallback else DEFAULT_COLUMNS[field]
