"""What is wrong with the records of a CSV or JSON Lines file (:class:`RecordProblems`), said
a warning each kind a file, and how a record's field is read as text (:func:`str_field`):
the warnings :mod:`corpus_search.ingest.formats` gives as it reads records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from corpus_search.ingest.columns import default_column, record_columns
from corpus_search.ingest.date_forms import month_first_date, unrecognised_dates
from corpus_search.ingest.model import FileResult
from corpus_search.ingest.month_first import LINES_SHOWN, MonthFirst, line_list

__all__ = ["FIELD_NAMES_SHOWN", "LIKELY_COLUMNS", "LINES_SHOWN", "TEXT_FIELDS", "RecordProblems",
           "columns_hint", "field_names", "line_list", "str_field", "text_columns"]


def str_field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = str(value).strip()
        return value or None
    return None


#: the fields of a record that hold its text
TEXT_FIELDS = ("title", "text")

#: a warning about many records names this many field names (and LINES_SHOWN of their lines)
FIELD_NAMES_SHOWN = 10


class RecordProblems:
    """What is wrong with many records of one file, a warning each kind when the file is
    read, not a warning a record: a file exported with other names for the text fields
    (``headline``, ``story``) has no title or body in any record, and one whose dates are in
    a form not read (Unix times) none dated; a warning a line buried the report under
    thousands. One record's problem keeps its line's own warning."""

    def __init__(self, rel: str, mapping: dict[str, str] | None = None,
                 names: list[str] | None = None) -> None:
        self.rel = rel
        #: the column mapping the file is read by (its fields are read from their defaults)
        self.mapping = mapping or {}
        #: the columns of each field in a file whose columns are ``names`` (a CSV file's
        #: header), else (None) in each record by its own fields (a JSON Lines file's)
        self.file_columns = None if names is None else record_columns(self.mapping, names)
        self.untitled: list[int] = []
        self.fields: dict[str, None] = {}  # the names those records use, first seen first
        self.undated: list[tuple[int, str]] = []
        #: the dates read day first where one can only be month first (03/21/2005)
        self.month_first = MonthFirst(rel)
        #: records with a title, no text field at all, and a field not read that holds some
        #: text (a CSV of ``title,story`` columns): indexed with their titles alone
        self.textless: list[int] = []
        self.textless_fields: dict[str, None] = {}
        #: title, date or source -> the lines of the records without that field at all but
        #: with a field not read named as exports name it (a Nexis CSV's ``Headline``,
        #: ``Publication``, a feed's ``published``), and the fields those records have
        self.elsewhere: dict[str, list[int]] = {}
        self.elsewhere_fields: dict[str, dict[str, None]] = {}
        #: (column, what its value is, whether its items were read) -> the lines of the
        #: records whose field holds no text but a list, an object, true or false
        self.not_text: dict[tuple[str, str, bool], list[int]] = {}
        #: the lines of the CSV rows with fewer fields than the header, and the first's
        #: fields, the header's and the columns it lacks
        self.short: list[int] = []
        self.short_of: tuple[int, int, list[str]] = (0, 0, [])

    def columns(self, record: dict) -> dict[str, str]:
        """The column of each field in ``record``."""
        return self.file_columns or record_columns(self.mapping, record)

    def no_text(self, line: int, record: dict) -> None:
        self.untitled.append(line)
        self.fields.update(dict.fromkeys(map(str, record)))

    def no_body(self, line: int, record: dict, columns: dict[str, str]) -> None:
        """Note ``record`` (with a title), whose fields are read from ``columns``, if it lacks
        the text field and another field it has, not read, holds text: its text is likely
        there."""
        read = set(columns.values())
        if columns["text"] in record or not any(
            name not in read and isinstance(value, str) and value.strip()
            for name, value in record.items()
        ):
            return
        self.textless.append(line)
        self.textless_fields.update(dict.fromkeys(map(str, record)))

    def lacks(self, field: str, line: int, record: dict, columns: dict[str, str]) -> None:
        """Note ``record``, whose fields are read from ``columns``, if it lacks ``field``
        (``title``, ``date`` or ``source``) and has a field not read, holding text, named as
        exports name that one (:data:`LIKELY_COLUMNS`): its title, date or publisher is
        likely there, and the file read without it."""
        read = set(columns.values())
        if columns[field] in record or not any(
            name not in read and str(name).strip().lower() in LIKELY_COLUMNS[field]
            and isinstance(value, str) and value.strip()
            for name, value in record.items()
        ):
            return
        self.elsewhere.setdefault(field, []).append(line)
        self.elsewhere_fields.setdefault(field, {}).update(dict.fromkeys(map(str, record)))

    def unread_date(self, line: int, raw: str) -> None:
        self.undated.append((line, raw[:40]))
        self.month_first.unread(line, raw, month_first_date(raw))

    def read_date(self, line: int, raw: str, date: dt.date) -> None:
        """Note the date ``raw`` of the record at ``line``, read as ``date``: one that month
        first would read as another day is wrong if the file writes its dates month first."""
        self.month_first.read(line, raw, date)

    def _say(self, result: FileResult, lines: list[int], one: str, many: str) -> None:
        """The warning on the records at ``lines``: ``one`` of the line of one record, else
        ``many`` of them counted."""
        result.warnings.append(f"{self.rel} line {lines[0]}: {one}" if len(lines) == 1
                               else f"{self.rel}: {len(lines)} {many}")

    def text_of(self, record: dict, column: str, line: int, joiner: str | None) -> str | None:
        """The text of ``record``'s ``column`` (:func:`str_field`); a value that is no text
        is noted: a list of texts or numbers is read as one text, its items joined by
        ``joiner`` (``None``: it is not, a list of ids or dates is no id or date), and
        anything else is left out."""
        value = record.get(column)
        text = str_field(record, column)
        if text is not None or value is None or value == "" or isinstance(value, str):
            return text
        joined = joiner is not None and isinstance(value, list) and all(
            isinstance(item, (str, int, float)) and not isinstance(item, bool)
            for item in value)
        kind = ("a list" if isinstance(value, list) else "an object"
                if isinstance(value, dict) else "true or false" if isinstance(value, bool)
                else f"a {type(value).__name__}")
        self.not_text.setdefault((str(column), kind, joined), []).append(line)
        if not joined:
            return None
        return joiner.join(" ".join(str(item).split()) for item in value).strip() or None

    def short_row(self, line: int, fields: int, names: list[str]) -> None:
        """Note the CSV row at ``line`` of ``fields`` fields, fewer than the header's
        ``names``: it is read, without the columns it lacks."""
        if not self.short:
            self.short_of = (fields, len(names), [n for n in names[fields:] if n])
        self.short.append(line)

    def warn(self, result: FileResult) -> None:
        """Each kind of problem some records had, in one warning."""
        if self.untitled:
            fields = field_names(list(self.fields))
            why = f"the text is read from {text_columns(self.mapping)}"
            if not result.documents:  # (no record was read: the file names them otherwise)
                why += f": {columns_hint(TEXT_FIELDS, list(self.fields))}"
            self._say(result, self.untitled,
                      f"no title or body, skipped (its fields: {fields}; {why})",
                      f"records have no title or body, skipped (lines {line_list(self.untitled)}; "
                      f"their fields: {fields}; {why})")
        if self.textless:
            fields = field_names(list(self.textless_fields))
            why = (f"the text is read from {default_column(self.mapping, 'text')}: "
                   f"{columns_hint(('text',), list(self.textless_fields))}")
            self._say(result, self.textless,
                      f"a title but no text, indexed with its title alone (its fields: "
                      f"{fields}; {why})",
                      f"records have a title but no text, indexed with their titles alone "
                      f"(lines {line_list(self.textless)}; their fields: {fields}; {why})")
        if self.elsewhere:
            lacked = [field for field in LACKED_FIELDS if field in self.elsewhere]
            lines = sorted({line for field in lacked for line in self.elsewhere[field]})
            names = list({name: None for field in lacked
                          for name in self.elsewhere_fields[field]})
            what = _listed(lacked, "or")
            them, are = ("it", "it is") if len(lacked) == 1 else ("them", "they are")
            why = (f"{are} read from {_listed([default_column(self.mapping, f) for f in lacked])}"
                   f": {columns_hint(tuple(lacked), names)}")
            self._say(result, lines,
                      f"no {what}: read without {them} (its fields: {field_names(names)}; {why})",
                      f"records have no {what}: read without {them} (lines {line_list(lines)}; "
                      f"their fields: {field_names(names)}; {why})")
        for (column, kind, joined), lines in self.not_text.items():
            read, name = "items read as one text" if joined else "left out", field_names([column])
            self._say(result, lines,
                      f"the {name} field holds {kind}, not text: {'its ' * joined}{read}",
                      f"records have a {name} field that holds {kind}, not text: "
                      f"{'their ' * joined}{read} (lines {line_list(lines)})")
        if self.short:
            fields, header, lacks = self.short_of
            self._say(result, self.short,
                      f"{fields} fields but the header has {header}, read without "
                      f"{field_names(lacks) if lacks else 'the last'}",
                      f"rows have fewer fields than the header, read without the columns they "
                      f"lack (lines {line_list(self.short)}; line {self.short[0]} has {fields} of "
                      f"{header})")
        result.warnings += unrecognised_dates(self.rel, self.undated, "records",
                                              "indexed undated")
        month_first = self.month_first.warning()
        if month_first:
            result.warnings.append(month_first)


#: the names exports give the columns of a title, a text, a date and a publisher, most likely
#: first: what a message offers to map (``--columns title=headline,text=story``) where a file
#: has one
LIKELY_COLUMNS = {
    "title": ("headline", "heading", "header", "subject", "name"),
    "text": ("content", "story", "article", "article_text", "body_text", "full_text",
             "fulltext", "main_text", "maintext", "description", "summary", "abstract",
             "message"),
    "date": ("published", "publication_date", "published_date", "date_published", "pubdate",
             "pub_date", "publish_date", "published_at", "load-date", "datetime", "created_at"),
    "source": ("publication", "publisher", "outlet", "newspaper", "publication_name",
               "source_name", "media", "site_name"),
}

#: the fields :meth:`RecordProblems.lacks` looks for in a column not read, in the order a
#: warning names them
LACKED_FIELDS = ("title", "date", "source")


def _listed(names: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``a, b or c``)."""
    return f"{', '.join(names[:-1])} {last} {names[-1]}" if len(names) > 1 else names[0]


def columns_hint(fields: Sequence[str], names: Sequence[str]) -> str:
    """The column mapping that reads ``fields`` from a file whose columns (or records'
    fields) are ``names``, for a message: each field's likeliest column of ``names``
    (:data:`LIKELY_COLUMNS`), else ``COLUMN`` (``--columns title=headline,text=COLUMN, or
    columns= in Python, names the ones that hold it``)."""
    written = {str(name).lower(): str(name) for name in reversed(names)}
    mapped = ",".join(
        f"{field}={next((written[c] for c in LIKELY_COLUMNS[field] if c in written), 'COLUMN')}"
        for field in fields)
    ones = "the ones that hold it" if len(fields) > 1 else "the one that holds it"
    return f"--columns {mapped}, or columns= in Python, names {ones}"


def text_columns(mapping: dict[str, str]) -> str:
    """The columns that hold a record's title and text under ``mapping``, for a message."""
    return " and ".join(dict.fromkeys(default_column(mapping, field) for field in TEXT_FIELDS))


def field_names(names: list[str]) -> str:
    """Field or column names for a warning: the first :data:`FIELD_NAMES_SHOWN`, counted
    beyond, each cut to 40 characters (a lone surrogate, which JSON can escape, as ?)."""
    shown = ", ".join(
        n[:40].encode("utf-8", "replace").decode("utf-8") for n in names[:FIELD_NAMES_SHOWN]
    ) or "none"
    more = len(names) - FIELD_NAMES_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown
