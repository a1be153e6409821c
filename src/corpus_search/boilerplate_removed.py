"""The repeated lines a document lost as boilerplate, and where they stood, so that ``show``
can say so.

A folder's repeated lines are removed from the start and end of its documents (docs/ingest.md,
"Boilerplate"), a CSV's rows and a JSON Lines file's records as much as a text file's: a user
comparing ``show``'s text with the file finds the masthead or the "Click here to subscribe"
line missing. The folder's record keeps the lines, and each file's lines by digest
(:mod:`corpus_search.repeated`), so which of them a file held is known without reading it
again. Where they stood, and which of a file's several records held them, the digests do not
keep: the file is read again for it (only a file as it was indexed, and only one that held a
removed line), and where it cannot be, a one-document file's note says "the start or end".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_search.boilerplate_words import folder_records
from corpus_search.ingest.boilerplate import (
    edge_places,
    line_digest,
    normalise_line,
    strip_boilerplate,
)
from corpus_search.ingest.columns import recorded_columns
from corpus_search.ingest.files import read_file
from corpus_search.ingest.signatures import file_since_indexed
from corpus_search.repeated import FolderLines, recorded_lines
from corpus_search.store.lines_file import with_kept_lines
from corpus_search.terminal import counted

__all__ = ["PLACES", "RemovedLines", "removed_from", "removed_lines", "removed_note"]

#: where a removed line stood in the document's text, in the order a note names them: the
#: rule (:func:`~corpus_search.ingest.boilerplate.edge_places`) removes lines at the start
#: and end; "within" (between lines of the text's own) is a place a note can name too
PLACES = ("start", "end", "within")


@dataclass(frozen=True)
class RemovedLines:
    """The repeated lines (normalised: in lower case) removed from a document's text as
    boilerplate; ``places``, where each stood (one of :data:`PLACES`), or empty where that
    is not known (its file changed or gone since it was indexed); ``in_record``: the
    document is one record of a file holding several (a CSV's row, a JSON Lines record)."""

    lines: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    in_record: bool = False


def removed_from(index: Any, doc_id: str, body: str | None = None) -> list[str]:
    """The lines of :func:`removed_lines`, as a list."""
    return list(removed_lines(index, doc_id, body).lines)


def removed_lines(index: Any, doc_id: str, body: str | None = None) -> RemovedLines:
    """The repeated lines removed as boilerplate from the text of the document ``doc_id``
    of ``index`` (a :class:`~corpus_search.index.CorpusIndex`, or a
    :class:`~corpus_search.multi_index.MultiIndex` of them), and where they stood: the
    folder's lines its file held and its text does not. None for a document a program
    added, for no such id, or for a record of a file of several that cannot be read as it
    was indexed (which record held a line is not known). ``body``: the document's text, if
    read already (``show``'s: it is not read again)."""
    fields = index.stored_fields(doc_id, body=body is None)
    if not fields or not fields.get("root") or not fields.get("file"):
        return RemovedLines()
    text = (fields.get("body") or "") if body is None else body
    for path, root, record in folder_records(index):
        if root == fields["root"] and record.get("boilerplate"):  # (else no lines to read)
            entry = recorded_lines(with_kept_lines(path, record)).get(fields["file"])
            if isinstance(entry, str):
                return _lost(fields, record, entry, text)
    return RemovedLines()


def _lost(fields: dict[str, Any], record: dict[str, Any], entry: str,
          text: str) -> RemovedLines:
    """What the document of ``fields`` (its text ``text``) lost of the folder's ``record``'s
    lines, its file's ``entry`` holding them."""
    lines = [line for line in record.get("boilerplate") or [] if isinstance(line, str)]
    held = FolderLines()
    digests = held.add_entry("", "", entry)
    kept = {normalise_line(line) for line in text.splitlines()}
    lost = [line for line in lines if line not in kept and line_digest(line) in digests]
    if not lost:
        return RemovedLines()
    several, folder_lines = held.bodies != 1, frozenset(lines)
    raw = _as_read(fields, record, text, folder_lines, several)
    if raw is None:  # (a record of several: whose lines they were is not known)
        return RemovedLines() if several else RemovedLines(tuple(lost))
    places = edge_places(raw, folder_lines)
    lost = [line for line in lost if line in places]  # (a record's own, of the file's)
    if not lost:
        return RemovedLines()
    return RemovedLines(tuple(lost), tuple(places[line] for line in lost), several)


def _as_read(fields: dict[str, Any], record: dict[str, Any], text: str,
             lines: frozenset[str], several: bool) -> str | None:
    """The document's text as its file gives it, before its repeated lines were removed;
    None if the file is not as indexed, or no record of it is the document."""
    path = os.path.join(fields["root"], fields["file"])
    if file_since_indexed(fields.get("file_sig") or "", path) is not None:
        return None
    read = read_file(Path(path), Path(fields["root"]), id_prefix=record.get("id_prefix") or "",
                     source=record.get("source") or None,
                     columns=recorded_columns(record) or None)
    documents = read.documents
    if not several:
        return documents[0].body if len(documents) == 1 else None
    named = [doc for doc in documents if doc.id == fields.get("id")]
    # (an id as the reader gives it, else the record whose text, stripped, is the document's)
    return next((doc.body for doc in [*named, *documents]
                 if strip_boilerplate(doc.body, lines) == text), None)


def removed_note(lines: RemovedLines | list[str]) -> str | None:
    """The note ``show`` prints above a text that lost ``lines`` (:func:`removed_lines`; or
    :func:`removed_from`'s list, where they stood not known), so that the text is not taken
    for the file's whole; ``None`` for none."""
    removed = lines if isinstance(lines, RemovedLines) else RemovedLines(tuple(lines))
    if not removed.lines:
        return None
    n = len(removed.lines)
    whose = "this record in the file" if removed.in_record else "the file"
    head = f"{counted(n, 'repeated line')} of {whose} {'was' if n == 1 else 'were'} removed"
    tail = "(not searched; see Boilerplate in docs/ingest.md)."
    if not removed.places:
        return f"{head} from the start or end of this text as boilerplate {tail}"
    each = [(place, removed.places.count(place)) for place in PLACES if place in removed.places]
    if len(each) == 1:
        return f"{head} from {_where(each[0][0])} as boilerplate {tail}"
    # ("1 from the start of this text and 2 from its end")
    said = [f"{many} from {_where(place, first=k == 0)}" for k, (place, many) in enumerate(each)]
    return f"{head} as boilerplate, {', '.join(said[:-1])} and {said[-1]} {tail}"


def _where(place: str, first: bool = True) -> str:
    """A place of :data:`PLACES` as a note says it: ``the start of this text`` (first
    named), ``its end`` (after another), ``within this text`` / ``within it``."""
    if place == "within":
        return "within this text" if first else "within it"
    return f"the {place} of this text" if first else f"its {place}"
