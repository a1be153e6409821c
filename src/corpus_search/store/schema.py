"""The index schema: fields of a document, and stored fields back to a
:class:`~corpus_search.ingest.model.Document`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from whoosh.columns import CompressedBytesColumn, NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.ingest.model import Document

if TYPE_CHECKING:
    pass



def build_schema(lexicon: Lexicon) -> Schema:
    """The Whoosh schema of a corpus_search index."""
    analyzer = political_analyzer(lexicon)
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, phrase=True),
        # the body's text lives in its own compressed column, not among the stored fields:
        # a page of hits then unpickles a few small fields per document, not every body
        body=TEXT(analyzer=analyzer, stored=False, phrase=True),
        body_text=COLUMN(CompressedBytesColumn()),
        # the body's exact length in tokens where Whoosh's one-byte field length cannot hold
        # it (store.w3.LONGEST_LENGTH and more: a book, a day of Hansard, a dump of articles),
        # 0 elsewhere, so that ranking does not take such a body for a fraction of its length
        # (named by store.w3.exact_length_field; written by store.writer, read by the engine)
        body_length=COLUMN(NumericColumn("I", default=0)),
        date=DATETIME(stored=True, sortable=True),
        date_source=ID(stored=True),
        # "month" or "year" where the date is only known to the month or year (the date is
        # then its first day); absent for a day. Indexed, so a date filter finds the month
        # or year a day falls in (search.filters)
        date_precision=ID(stored=True),
        year=ID(stored=False, sortable=True),
        source=ID(stored=True, sortable=True),
        party=KEYWORD(stored=True, commas=True, scorable=False),
        url=STORED,
        root=ID(stored=True),
        file=ID(stored=True),
        file_sig=STORED,
        # each document's distinct words as written, unscored and without positions: the
        # vocabulary of spelling suggestions and wildcards (see corpus_search.search.spelling)
        words=ID(stored=False),
    )


def period_start(value: dt.date | None, precision: str | None) -> dt.date | None:
    """The first day of the month or year a date of that ``precision`` stands for, as the
    index holds it (a program's ``date(2005, 2, 14)`` with precision ``"month"``: 1 February),
    so that a date filter and a trend place it in its month or year."""
    if value is None or precision not in ("month", "year"):
        return value
    return value.replace(month=1 if precision == "year" else value.month, day=1)


def to_datetime(value: dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def structural_schema() -> Schema:
    """The schema of every index with the bundled lexicon: enough to read its files (the
    lexicon only matters to analysis)."""
    return build_schema(load_lexicon())


def document_from_fields(fields: dict[str, Any]) -> Document:
    date = fields.get("date")
    return Document(
        id=fields["id"],
        title=fields.get("title", ""),
        body=fields.get("body", ""),
        date=date.date() if isinstance(date, dt.datetime) else date,
        source=fields.get("source") or None,
        url=fields.get("url") or None,
        path=fields.get("file") or None,
        date_source=fields.get("date_source") or None,
        date_precision=fields.get("date_precision") or None,
    )
