"""Citing a document: the reference that goes under a quotation from it (title, source,
date, address, and the id and file that find it again), and a paragraph of its text quoted
with that reference, ready to paste into a story or notes.

A reporter quoting a story must say where it came from; writing that out by hand from a
page of metadata is where a wrong date or a missing source creeps in. A date the index
guessed (from a dateline or a file's time) is said to be a guess, and an unknown source or
date is said to be unknown, so that the reference never claims more than the index knows.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from corpus_search.errors import PassageError
from corpus_search.ingest.shown_dates import (  # (DATE_ORIGINS: for the pages, too)
    DATE_ORIGINS,
    GUESSED_DATES,
    date_at_precision,
)
from corpus_search.search.ranking import whole
from corpus_search.terminal import counted

__all__ = ["DATE_ORIGINS", "Citation", "cite", "cited_file", "paragraphs", "reference"]


#: what separates a document's paragraphs: a blank line (spaces on it allowed)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Citation:
    """A document's reference and, when a place of its text was asked for, the paragraph
    holding it (``passage``, at ``start``:``end`` of its body); ``file`` is the file the
    reference names (under the name of the folder indexed: ``bbc/politics/001.txt``),
    ``path`` its full path on this computer (left out of the reference, which is pasted
    where others read it), both ``None`` for a document a program added."""

    id: str
    reference: str
    passage: str | None = None
    start: int | None = None
    end: int | None = None
    file: str | None = None
    path: str | None = None

    @property
    def text(self) -> str:
        """What to paste: the passage in quotation marks (its line breaks as spaces), then
        the reference on a line of its own; the reference alone when no passage was asked."""
        if self.passage is None:
            return self.reference
        return f"\u201c{' '.join(self.passage.split())}\u201d\n\u2014 {self.reference}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields and :attr:`text` (the quoted passage and reference)."""
        return {"id": self.id, "reference": self.reference, "passage": self.passage,
                "start": self.start, "end": self.end, "text": self.text, "file": self.file,
                "path": self.path}


def reference(record: Mapping[str, Any]) -> str:
    """The reference of a document described as :meth:`describe` gives it: ``"Title",
    Source, 14 March 2024, https://... [id politics/001; file bbc/politics/001.txt]``
    (``February 2005`` for a date known only to the month, never its first day): the
    file under the name of the folder indexed (:func:`cited_file`), not its full path, which
    would put the user's home folder into every quotation pasted into a story."""
    title = (record.get("title") or "").strip()
    parts = [f'"{title}"' if title else "(no title)",
             (record.get("source") or "").strip() or "source not known",
             _date(record.get("date"), record.get("date_source"), record.get("date_precision"))]
    url = (record.get("url") or "").strip()
    if url:
        parts.append(url)
    file = cited_file(record)
    found = f"id {record['id']}" + (f"; file {file}" if file else "")
    return f"{', '.join(parts)} [{found}]"


def cited_file(record: Mapping[str, Any]) -> str | None:
    """The file a reference names: the record's ``file``, its path inside the folder it was
    indexed from after that folder's name (``bbc/politics/001.txt``; the one rule,
    :func:`~corpus_search.search.records.indexed_file`, that ``describe``, ``show --json``
    and an export write too), or the name of its ``path`` when a record gives no ``file``;
    ``None`` without either."""
    file, path = record.get("file"), record.get("path")
    if file:
        return str(file).replace(os.sep, "/")
    return os.path.basename(path) if path else None


def _date(value: Any, source: str | None, precision: str | None) -> str:
    """A date written out as in British copy (14 March 2024), no more precisely than it is
    known (February 2005, 2005: never the first day a month or year is held as), a guess
    said to be one."""
    if not value:
        return "undated"
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    written = date_at_precision(day, precision)
    return f"{written} (date {DATE_ORIGINS[source]})" if source in GUESSED_DATES else written


def paragraphs(body: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the body's paragraphs (text between blank lines), each
    without the spaces and line breaks around it; empty ones are left out."""
    spans = []
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = brk.start() if brk else len(body)
        text = body[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            spans.append((start + lead, start + len(text.rstrip())))
        start = brk.end() if brk else end
    return spans


def cite(record: Mapping[str, Any], at: int | str | None = None) -> Citation:
    """The citation of a document described as :meth:`describe` gives it; with ``at`` (a
    character offset in its body, such as a marked place's), the paragraph holding it is
    quoted. An ``at`` in no paragraph (past the text's end, between paragraphs), or not a
    whole number (a web address's ``quote=abc``), is a :class:`PassageError` saying so."""
    ref = reference(record)
    found = {"file": cited_file(record), "path": record.get("path")}
    if at is None:
        return Citation(record["id"], ref, **found)
    place = whole(at)  # (any integer: a concordance line's start read from a data frame)
    if place is None:
        raise PassageError(f"The place to quote must be a whole number, a character of the "
                           f"text counted from 0, not {at!r}.")
    at = place
    body = record.get("body") or ""
    for start, end in paragraphs(body):
        if start <= at < end:
            return Citation(record["id"], ref, body[start:end], start, end, **found)
    held = counted(len(paragraphs(body)), "paragraph")
    raise PassageError(f"No paragraph of {record['id']} is at character {at}: its text has "
                       f"{len(body):,} characters in {held}.")
