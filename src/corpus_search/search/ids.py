"""An id no document has, and the ids that were probably meant.

A person asking for a document by id often gives what they have at hand instead: the file
name (``politics/111.txt``), the file's full path, the id in other capitals, or the id without
the folder prefix the index gives it. :func:`unknown_id` names the index's ids such a text
stands for, so the error says which id to type rather than only that this one is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from whoosh.searching import Searcher

from corpus_search.errors import DocumentNotFoundError, QueryError

__all__ = ["check_id", "document_number", "holds", "ids_of_file", "meant_ids", "names_a_document",
           "unknown_id"]

#: at most this many ids are named; more are counted
MAX_SUGGESTED = 3
#: at most this many ids ending in the text given (``047``: ``politics/047``,
#: ``business/047``...) are named, every one of them for a corpus of a few folders
MAX_ENDING = 10

#: the extensions of the files whose id is their path without it (records have ids of their
#: own): ingest/files.py, text_document
_TEXT_FILE = re.compile(r"\.(txt|md)$", re.IGNORECASE)
#: a run of digits (a number in an id)
_NUMBER = re.compile(r"\d+")


def meant_ids(doc_id: str, ids: Iterable[str]) -> list[str]:
    """The ids of ``ids`` that ``doc_id`` (which names none of them) probably stands for,
    most likely first: the same id once a text file's extension, a leading ``./`` and
    Windows separators are taken off; else the same in other capitals; else, for a file's
    name or path, the ids that end it (the longest first: the file's full path names
    ``politics/111``); else the ids that end with it (``politics/111`` for
    ``news/politics/111``, whose folder has a prefix); else, for a file of records (a CSV or
    JSON Lines file, whose records' ids are the file's name, ``#`` and a line), the ids of its
    records, in their order; else the ids whose numbers it gives without their leading zeros
    (``politics/001`` for ``politics/1``)."""
    given = doc_id.strip().replace("\\", "/").removeprefix("./")
    wanted = _TEXT_FILE.sub("", given)
    if not wanted:
        return []
    # only a file's name or path may hold more folders than the id: business/001 does not
    # stand for 001 of an index of the politics folder
    a_file = wanted != given or given.startswith(("/", "~"))
    folded = wanted.casefold()
    unpadded = _unpadded(folded)
    exact, caseless, within, around, records, padded = [], [], [], [], [], []
    for one in ids:
        if one == doc_id:
            continue
        if one == wanted:
            exact.append(one)
        elif one.casefold() == folded:
            caseless.append(one)
        elif a_file and wanted.endswith("/" + one):
            within.append(one)
        elif one.endswith("/" + wanted):
            around.append(one)
        elif _of_records_file(one, wanted, a_file):
            records.append(one)
        elif _unpadded(one.casefold()) == unpadded:
            padded.append(one)
    within.sort(key=lambda one: (-len(one), one))
    around.sort(key=lambda one: (len(one), one))
    # (as within and around: a file's path names the longest first, a name the shortest)
    records.sort(key=lambda one: _record_order(one, -1 if a_file else 1))
    return exact or sorted(caseless) or within or around or records or sorted(padded)


def _of_records_file(one: str, wanted: str, a_file: bool) -> bool:
    """Whether ``one`` is the id of a record of the file ``wanted`` names (``feed.jsonl#2``
    for ``feed.jsonl``, its path, or the name without its folder's prefix)."""
    head, sep, _line = one.partition("#")
    return bool(sep) and (head == wanted or head.endswith("/" + wanted)
                          or (a_file and wanted.endswith("/" + head)))


def _record_order(one: str, longer: int) -> tuple[int, str, int, str]:
    """Records' ids by file (by the length of its name times ``longer``), then line as a
    number (``#2`` before ``#10``)."""
    head, _sep, line = one.rpartition("#")
    return (longer * len(head), head, int(line) if line.isdigit() else -1, line)


def _unpadded(doc_id: str) -> str:
    """``doc_id`` with its numbers' leading zeros dropped: ``politics/1`` typed, or read off
    a printed list, for ``politics/001``."""
    return _NUMBER.sub(lambda number: str(int(number.group())), doc_id)


def unknown_id(searcher: Searcher, doc_id: str, where: object) -> DocumentNotFoundError:
    """The error for ``doc_id``, which no document of the index at ``where`` has, naming the
    ids it probably stands for (:func:`meant_ids`). Reads every id: for errors only."""
    ids = (term.decode("utf-8") for term in searcher.lexicon("id"))
    meant = ([one for one in meant_ids(doc_id, ids) if holds(searcher, one)]
             or ids_of_file(searcher, doc_id))
    message = f"No document with id {doc_id!r} in {where}"
    if not meant:
        return DocumentNotFoundError(message + ".")
    ending = "/" + doc_id.strip()
    if all(one.endswith(ending) for one in meant):
        # (the ids a number or name ends: all of them, for what they are, never one picked
        # as if meant: "047" after politics/047 was deleted suggested business/047 alone)
        listed = _listed(meant, MAX_ENDING, "and")
        return DocumentNotFoundError(
            f"{message}; the only id ending in {ending} is {listed}." if len(meant) == 1
            else f"{message}; the ids ending in {ending} are {listed}.")
    return DocumentNotFoundError(f"{message}; did you mean {_listed(meant, MAX_SUGGESTED)}?")


def ids_of_file(searcher: Searcher, name: str) -> list[str]:
    """The ids of the documents read from the file ``name`` gives (its path in its folder,
    its full path, or its name alone when one file of the index has it), in the order they
    were read: a CSV or JSON Lines file whose records have ids of their own (``1``, ``2``),
    or a text file whose front matter gives its id, which no id's text names. Reads every
    file's name: for errors only."""
    given = name.strip().replace("\\", "/").removeprefix("./")
    if not given:
        return []
    files = [term.decode("utf-8") for term in searcher.lexicon("file")]
    held = ([file for file in files if file == given]
            or [file for file in files if given.endswith("/" + file)]
            or [file for file in files if file.endswith("/" + given)])
    if len(set(held)) != 1:  # (a name that several folders hold names no one file)
        return []
    return [fields["id"] for fields in searcher.documents(file=held[0])]


def _listed(ids: list[str], most: int, last: str = "or") -> str:
    """``ids`` in a phrase, the first ``most`` named and the others counted."""
    shown = ids[:most]
    if len(ids) > len(shown):
        shown.append(f"{len(ids) - len(shown)} more")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {last} {shown[-1]}"


def names_a_document(searcher: Searcher, text: str) -> bool:
    """Whether ``text`` is the id of a document of the index (a search for it finds nothing:
    ``politics/223`` is read as the words "politics" and "223")."""
    return bool(text) and not any(ch.isspace() for ch in text) and holds(searcher, text)


def check_id(doc_id: object) -> str:
    """``doc_id`` if it is text; else a :class:`QueryError` saying an id is text (a CSV
    record's id 5 is ``"5"``), where Whoosh's lookup raised ``AttributeError`` on ``encode``."""
    if isinstance(doc_id, str):
        return doc_id
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        raise QueryError(f"A document's id is text: {str(doc_id)!r}, not the number {doc_id}.")
    held = getattr(doc_id, "id", None)
    if isinstance(held, str):  # (a Hit, a Document, a concordance line)
        raise QueryError(
            f"A document's id is text, not a {type(doc_id).__name__}: give its .id ({held!r})."
        )
    given = "None" if doc_id is None else f"a {type(doc_id).__name__} ({doc_id!r:.40})"
    raise QueryError(f"A document's id is text, not {given}.")


def document_number(searcher: Searcher, doc_id: str) -> int | None:
    """The number of the live document with this id in ``searcher``, or None. Every lookup
    of an id goes through here: a text that is no Unicode (a shell argument's undecodable
    bytes, held as surrogates) is no document's id, where Whoosh's lookup raised
    ``UnicodeEncodeError`` encoding it; one that is not text is a :class:`QueryError`."""
    check_id(doc_id)
    try:
        doc_id.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return searcher.document_number(id=doc_id)


def holds(searcher: Searcher, doc_id: object) -> bool:
    """Whether a document has this id (an id's term outlives its deleted documents until
    their segment is merged); an id several indexes hold is one. One that is not text is a
    :class:`QueryError` (:func:`check_id`)."""
    doc_id = check_id(doc_id)
    try:
        return document_number(searcher, doc_id) is not None
    except QueryError:
        return True
