"""The file formats: ``.txt``/``.md`` (front matter, a URL line), ``.jsonl`` and ``.csv``,
each read into documents of a :class:`~corpus_search.ingest.model.FileResult`.
"""

from __future__ import annotations

import csv
import json
import os
import re

from corpus_search.ingest.boilerplate import strip_boilerplate
from corpus_search.ingest.columns import record_columns
from corpus_search.ingest.csv_rows import header_reader, numbered_rows, open_quote
from corpus_search.ingest.date_forms import date_and_precision, unrecognised_date
from corpus_search.ingest.menus import menu_reading, title_of_line
from corpus_search.ingest.model import Document, FileResult
from corpus_search.ingest.record_problems import (
    TEXT_FIELDS,
    RecordProblems,
    columns_hint,
    field_names,
    text_columns,
)
from corpus_search.ingest.sources import detect_source, publisher_named

__all__ = ["HEAD_LINES", "read_csv", "read_jsonl", "text_document", "text_file"]

HEAD_LINES = 40  # a URL line is looked for in this many lines at the top of a document


_HEAD_CHARS = 8000  # and in at most this many characters of them


_URL_LINE = re.compile(r"^\s*(?:(?:url|link|source)\s*:\s*)?(https?://\S+)\s*$", re.IGNORECASE)


_FRONT_KEY = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$")


def _head(text: str, lines: int = HEAD_LINES) -> str:
    return "\n".join(text[: _HEAD_CHARS * 2].splitlines()[:lines])[:_HEAD_CHARS]


def _find_url(text: str) -> str | None:
    for line in _head(text).splitlines():
        m = _URL_LINE.match(line)
        if m:
            return m.group(1)
    return None


_FRONT_KEYS = frozenset({"title", "date", "source", "url"})


def _front_matter(text: str, *, strict: bool = False) -> tuple[dict[str, str], str]:
    """Split YAML-ish front matter (``---`` ... ``---``) off a Markdown or text file.

    ``strict`` (text files, where a leading ``---`` may be a plain rule): only a block whose
    every line is ``key: value`` and that names ``title``, ``date``, ``source`` or ``url``.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for i in range(1, min(len(lines), 60)):
        if lines[i].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:i]:
                m = _FRONT_KEY.match(line)
                if m:
                    meta[m.group(1).lower()] = _unquote(m.group(2).strip())
                elif strict and line.strip():
                    return {}, text
            if strict and not _FRONT_KEYS & set(meta):
                return {}, text
            return meta, "\n".join(lines[i + 1 :])
    return {}, text


def _unquote(value: str) -> str:
    """A front-matter value as YAML reads a scalar: a value quoted whole (``'...'``, in which
    ``''`` is a quote; ``"..."``, in which ``\\"`` and ``\\\\`` are escapes) without its
    quotes, any other as it stands. Quotes that only end it belong to it: ``Crisis 'ahead in
    social sciences'`` keeps its closing quote (stripping every end quote took it off), and
    so does ``'Errors' doomed first Dome 'sale'``, which is no quoted scalar."""
    inner = value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'" and "'" not in inner.replace("''", ""):
        return inner.replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"' and _DOUBLE_QUOTED.fullmatch(inner):
        return re.sub(r'\\(["\\])', r"\1", inner)
    return value


#: the inside of a double-quoted value: no quote but an escaped one
_DOUBLE_QUOTED = re.compile(r'(?:[^"\\]|\\.)*')


def text_document(
    text: str, rel: str, id_prefix: str, *, markdown: bool, result: FileResult,
    source: str | None = None,
) -> Document | None:
    """The document of a ``.txt``/``.md`` file's text (front matter, title, URL line);
    problems go to ``result``. The title is the front matter's, else the first line; the
    first line is the body's too unless it is the title. First lines shaped like a site's
    menu are passed over for the title until the folder's reading settles it
    (``Document.menu_reading``, :mod:`corpus_search.ingest.menus`). ``source`` is its folder's
    publisher: the file's own (front matter) wins over it, and it over the publisher
    recognised from the text."""
    meta, text = _front_matter(text, strict=not markdown)
    cleaned = strip_boilerplate(text, frozenset())
    lines = cleaned.splitlines()
    menus = None if meta.get("title") else menu_reading(lines, markdown)
    if menus is not None:  # (the title its folder may take back: boilerplate.settled)
        return _document(meta, text, rel, id_prefix, result, source, menus)
    title = ""
    rest: list[str] = lines
    for i, line in enumerate(lines):
        if line.strip():
            title = title_of_line(line, markdown)
            # (a front matter title is the title: the first line is the title only when it
            # repeats it, as a heading or an export's title line does; else it is the
            # story's first paragraph, which was dropped)
            if not meta.get("title") or _same_words(title, meta["title"]):
                rest = lines[i + 1 :]
            break
    if meta.get("title"):
        title = meta["title"]
    body = "\n".join(rest).strip()
    if not title and not body:
        return None
    return _document(meta, text, rel, id_prefix, result, source, (title, body, None))


def _document(
    meta: dict[str, str], text: str, rel: str, id_prefix: str, result: FileResult,
    source: str | None, reading: tuple[str, str, tuple[int, str, bool] | None],
) -> Document:
    """The document of a text file: ``reading`` its title, body and menu reading (see
    :func:`text_document`)."""
    title, body, menus = reading
    date, precision = date_and_precision(meta.get("date"))
    if meta.get("date") and date is None:
        result.warnings.append(f"{rel}: {unrecognised_date(meta['date'])}")
    return Document(
        id=id_prefix + os.path.splitext(rel)[0],
        title=title,
        body=body,
        date=date,
        source=publisher_named(meta.get("source") or "") or source or detect_source(text, rel),
        url=meta.get("url") or _find_url(text),
        path=rel,
        date_source="front-matter" if date else None,
        date_precision=precision,
        menu_reading=menus,
    )


def _same_words(line: str, title: str) -> bool:
    """Whether a first line repeats a front matter title (spacing and capitals aside)."""
    return " ".join(line.split()).casefold() == " ".join(title.split()).casefold()


def _front_value(value: str) -> str | None:
    """``value`` as a front-matter line holds it (in single quotes when :func:`_unquote`
    would take its own end quotes off), or ``None`` when no line can (a line break, spaces
    at its ends, which a line's reading strips)."""
    if not value or len(value.splitlines()) > 1 or value != value.strip():
        return None
    if _unquote(value) != value:
        return "'" + value.replace("'", "''") + "'"
    return value


def text_file(doc_id: str, title: str, body: str, *, date: str | None = None,
              source: str | None = None, url: str | None = None) -> str:
    """The text of a ``.txt`` file that :func:`text_document` reads back as this document:
    front matter (``id``, ``title``, ``date``, ``source``, ``url``), the title as the first
    line, then the body.

    The front matter always names ``title`` (so a strict reading takes it as front matter),
    empty when the value cannot be held there: the title line holds it, its line breaks as
    spaces. Another value front matter cannot hold is left out. ``id`` is for the reader:
    the id of a file's document is its path without the extension.
    """
    meta = {"id": doc_id, "title": title, "date": date, "source": source, "url": url}
    lines = ["---"]
    for key, value in meta.items():
        held = _front_value(value or "")
        if held is not None or key == "title":
            lines.append(f"{key}: {held or ''}".rstrip())
    lines += ["---", " ".join(title.splitlines()).strip(), "", body]
    return "\n".join(lines) + "\n"


def _record_document(
    record: dict, rel: str, line: int, id_prefix: str, result: FileResult, seen: set[str],
    source: str | None,
    problems: RecordProblems,
) -> None:
    where = f"{rel} line {line}"
    columns = problems.columns(record)
    title = problems.text_of(record, columns["title"], line, " ") or ""
    body = problems.text_of(record, columns["text"], line, "\n") or ""
    if not title and not body:
        problems.no_text(line, record)
        return
    if not body:
        problems.no_body(line, record, columns)
    if not title:
        problems.lacks("title", line, record, columns)
    rid = problems.text_of(record, columns["id"], line, None) or f"{rel}#{line}"
    doc_id = id_prefix + rid
    if doc_id in seen:
        result.warnings.append(f"{where}: duplicate id {rid!r}, skipped")
        return
    seen.add(doc_id)
    body = strip_boilerplate(body, frozenset())
    raw_date = problems.text_of(record, columns["date"], line, None)
    date, precision = date_and_precision(raw_date)
    if raw_date and date is None:
        problems.unread_date(line, raw_date)
    elif date is not None:
        problems.read_date(line, raw_date, date)
    if not raw_date:
        problems.lacks("date", line, record, columns)
    url = problems.text_of(record, columns["url"], line, None)
    # (named as the table of publishers names it: "the Guardian" in one export, The Guardian
    # in another and on the saved pages made three sources of a count by source)
    stated = publisher_named(problems.text_of(record, columns["source"], line, None) or "")
    if not stated and not source:  # (a folder's --source names it)
        problems.lacks("source", line, record, columns)
    source = stated or source or detect_source(
        "\n".join(filter(None, (title, body, url))), rel
    )
    result.documents.append(
        Document(
            id=doc_id, title=title, body=body, date=date, source=source, url=url, path=rel,
            date_source="metadata" if date else None, date_precision=precision,
        )
    )


def read_jsonl(
    text: str, rel: str, id_prefix: str, result: FileResult, source: str | None = None,
    columns: dict[str, str] | None = None,
) -> None:
    """Read a ``.jsonl`` file's text, one document per line, into ``result``. ``columns``
    (see :func:`~corpus_search.ingest.columns.column_mapping`) says which fields hold what:
    the fields it names that no record has are noted in ``result.columns_missing``."""
    seen: set[str] = set()
    problems = RecordProblems(rel, columns)
    names: dict[str, None] = {}  # the fields of the records, first seen first
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            msg = (f"{exc.msg}: column {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                   else type(exc).__name__)
            result.warnings.append(f"{rel} line {lineno}: invalid JSON ({msg}), skipped")
            continue
        if not isinstance(record, dict):
            result.warnings.append(f"{rel} line {lineno}: not a JSON object, skipped")
            continue
        repaired = _repair_lone_surrogates(record)
        if repaired:
            result.warnings.append(
                f"{rel} line {lineno}: {', '.join(repaired)} held an escaped lone surrogate "
                "(not Unicode text), replaced with U+FFFD"
            )
        record = _folded(record)
        names.update(dict.fromkeys(map(str, record)))
        _record_document(record, rel, lineno, id_prefix, result, seen, source, problems)
    _check_columns(columns, list(names), "fields", result)
    problems.warn(result)


def _folded(record: dict) -> dict:
    """A JSON record with its field names in lower case, as a CSV header's are read
    (``{"Title": ..., "Body": ...}`` was skipped as having no title or body); a name
    written in lower case wins over the same name in other capitals."""
    folded = {name.strip().lower(): value for name, value in record.items()}
    folded.update((name, value) for name, value in record.items()
                  if name == name.strip().lower())
    return folded


#: UTF-16 surrogates; after json.loads only lone ones remain (escaped pairs become one
#: character), and they cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def _repair_lone_surrogates(record: dict) -> list[str]:
    """Replace lone surrogates (``"\\udc80"`` escapes) in the record's text values with
    U+FFFD, in place; return the names of the fields repaired."""
    repaired = []
    for name, value in record.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            record[name] = _SURROGATE.sub("\ufffd", value)
            repaired.append(_SURROGATE.sub("\ufffd", str(name)))
    return sorted(repaired)


def _check_columns(
    columns: dict[str, str] | None, names: list[str], kind: str, result: FileResult
) -> None:
    """Note in ``result`` which columns that ``columns`` maps a field to a file lacks whose
    columns (or records' fields: ``kind``) are ``names``."""
    if not columns:
        return
    result.columns_missing = [f"{field}={column}" for field, column in columns.items()
                              if column not in names]
    if result.columns_missing:
        result.columns_error = (
            f"{result.path}: no {kind[:-1]} for {', '.join(result.columns_missing)} of the "
            f"column mapping (its {kind}: {field_names(names)})")
        result.columns_read = _read_instead(columns, names)


def _read_instead(columns: dict[str, str], names: list[str]) -> str:
    """How a file whose columns are ``names``, lacking some that ``columns`` names, is read:
    by its own columns for those fields (:func:`record_columns`), else without them."""
    read = record_columns(columns, names)
    lacked = [(field, column) for field, column in columns.items() if column not in names]
    own = [f"{field}={read[field]}" for field, column in lacked if read[field] != column]
    lost = [f"{field}={column}" for field, column in lacked if read[field] == column]
    if not own:
        return f"read without {'it' if len(lost) == 1 else 'them'}"
    return (f"read by its own columns instead: {', '.join(own)}"
            + (f"; without {', '.join(lost)}" if lost else ""))


def read_csv(
    text: str, rel: str, id_prefix: str, result: FileResult, max_bytes: int,
    source: str | None = None, columns: dict[str, str] | None = None,
) -> None:
    """Read a ``.csv`` file's text (header row), one document per row, into ``result``.
    ``columns`` (see :func:`~corpus_search.ingest.columns.column_mapping`) says which columns
    hold what: those it names that the header lacks are noted in ``result.columns_missing``."""
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    reader = header_reader(text)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.skipped_reason = "CSV file has no header row"
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    _check_columns(columns, [n for n in names if n], "columns", result)
    fields = record_columns(columns or {}, names)
    if not any(fields[name] in names for name in TEXT_FIELDS):
        result.skipped_reason = (
            f"CSV header has no title or body column (its columns: "
            f"{field_names([n for n in names if n])}; the text is read from "
            f"{text_columns(columns or {})}: {columns_hint(TEXT_FIELDS, names)})"
        )
        return
    seen: set[str] = set()
    problems = RecordProblems(rel, columns, names)
    records = 0  # rows that are not blank, well-formed or not
    rows = list(numbered_rows(reader))
    for n, (line, row) in enumerate(rows, 1):
        why = None if isinstance(row, csv.Error) else open_quote(
            text, line, row, len(names), reader.dialect.delimiter, n == len(rows))
        if why:  # (nothing of the file read: what was indexed from it is kept)
            result.documents.clear()
            result.skipped_reason, result.unreadable = f"{why}; close it and index again", True
            return
        if isinstance(row, csv.Error):
            result.warnings.append(f"{rel} line {line}: malformed CSV row ({row}), skipped")
            records += 1
            continue
        if not any(cell.strip() for cell in row):
            continue
        records += 1
        if len(row) > len(names):
            result.warnings.append(
                f"{rel} line {line}: {len(row)} fields but the header has {len(names)}, skipped"
            )
            continue
        if len(row) < len(names):  # (read: what it has may be all a document needs)
            problems.short_row(line, len(row), names)
        record = dict(zip(names, row, strict=False))
        _record_document(record, rel, line, id_prefix, result, seen, source, problems)
    problems.warn(result)
    if not records:
        result.skipped_reason = "CSV file has a header row but no records"
