"""The repeated lines a document lost as boilerplate, so that ``show`` can say so.

A folder's repeated lines are removed from the start and end of its documents (docs/ingest.md,
"Boilerplate"): a user comparing ``show``'s text with the file finds the masthead or the
"Click here to subscribe" line missing. The folder's record keeps the lines, and each file's
lines by digest (:mod:`corpus_search.repeated`), so which of them a document lost is known
without reading its file again: those its file held that its text no longer holds.
"""

from __future__ import annotations

from typing import Any

from corpus_search.boilerplate_words import folder_records
from corpus_search.ingest.boilerplate import line_digest, normalise_line
from corpus_search.repeated import FolderLines, recorded_lines
from corpus_search.store.lines_file import with_kept_lines
from corpus_search.terminal import counted

__all__ = ["removed_from", "removed_note"]


def removed_from(index: Any, doc_id: str, body: str | None = None) -> list[str]:
    """The repeated lines (normalised: in lower case) removed as boilerplate from the text of
    the document ``doc_id`` of ``index`` (a :class:`~corpus_search.index.CorpusIndex`, or a
    :class:`~corpus_search.multi_index.MultiIndex` of them): the folder's lines its file held
    and its text does not. Empty for a document of a file holding several (a CSV's rows,
    whose lines the record keeps together, so one row's cannot be told from another's), for
    one a program added, or for no such id. ``body``: the document's text, if read already
    (``show``'s: it is not read again)."""
    fields = index.stored_fields(doc_id, body=body is None)
    if not fields or not fields.get("root") or not fields.get("file"):
        return []
    for path, root, record in folder_records(index):
        if root != fields["root"]:
            continue
        entry = recorded_lines(with_kept_lines(path, record)).get(fields["file"])
        if isinstance(entry, str):
            return _lost(record, entry, (fields.get("body") or "") if body is None else body)
    return []


def _lost(record: dict[str, Any], entry: str, body: str) -> list[str]:
    """The lines of the folder's ``record`` that its file's ``entry`` holds and ``body`` does
    not (none if the file holds several documents)."""
    lines = [line for line in record.get("boilerplate") or [] if isinstance(line, str)]
    if not lines:
        return []
    held = FolderLines()
    digests = held.add_entry("", "", entry)
    if held.bodies != 1:
        return []
    kept = {normalise_line(line) for line in body.splitlines()}
    return [line for line in lines if line not in kept and line_digest(line) in digests]


def removed_note(lines: list[str]) -> str | None:
    """The note ``show`` prints above a text that lost ``lines`` (:func:`removed_from`),
    so that the text is not taken for the file's whole; ``None`` for none."""
    if not lines:
        return None
    return (f"{counted(len(lines), 'repeated line')} of the file "
            f"{'was' if len(lines) == 1 else 'were'} removed from the start or end of this "
            "text as boilerplate (not searched; see Boilerplate in docs/ingest.md).")
