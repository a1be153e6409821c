"""Export: every document a query matches, text and metadata, written to a file that other
tools read (pandas, R, a spreadsheet, AntConc, NVivo).

The documents are exactly those a search for the same query counts (``total``), in its order
(``sort``), read through one searcher from first to last: a commit by another process
meanwhile changes nothing of the export. Three formats:

- ``csv``: one row per document, the columns of :data:`COLUMNS`, ``body`` the full text with
  its line breaks (quoted, as RFC 4180 has them); UTF-8 with a byte order mark, which Excel
  needs to read the file as UTF-8 (pandas, readr and corpus_search skip it), and rows ending
  in CRLF; parties joined by ``"; "``.
- ``jsonl``: one JSON object per line, the same keys (``parties`` a list); U+2028, U+2029
  and U+0085 escaped too, so a reader splitting lines anywhere Unicode breaks them reads one
  document a line.
- ``txt``: a folder of ``.txt`` files, one per document, named after its id, with front
  matter as corpus_search reads it (:func:`~corpus_search.ingest.formats.text_file`), so
  ``corpus-search index`` of the folder gives the same documents back.

CSV and JSON Lines files are themselves files ``corpus-search index`` reads (``id``,
``title``, ``body``, ``date``, ``source``, ``url``).

Nothing is lost: the export is written beside its target under a hidden name and renamed
into place when complete, so an error or an interrupt leaves no part of it, and a file or a
folder that is not empty is replaced only when asked (``overwrite``), a folder only if an
export wrote it (:data:`EXPORT_MARK` in it) and it holds nothing but what an export writes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import reprlib
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from whoosh.fields import Schema
from whoosh.searching import Searcher

from corpus_search.analysis.lexicon import Lexicon
from corpus_search.errors import ExportError, QueryError
from corpus_search.ingest.formats import text_file
from corpus_search.ingest.shown_dates import row_at_precision
from corpus_search.search import execute
from corpus_search.search.budget import query_budget
from corpus_search.search.copies import PageCopies, copies_note
from corpus_search.search.filters import SearchFilters
from corpus_search.search.ids import document_number
from corpus_search.search.literal_search import literal_search
from corpus_search.search.matching import matching_documents
from corpus_search.search.publishing import (
    EXPORT_MARK,
    check_target,
    publish_file,
    publish_folder,
)
from corpus_search.search.ranking import (
    MAX_PAGE_SIZE,
    RANKING,
    Ranking,
    check_query_text,
    every_document,
)
from corpus_search.search.records import document_record
from corpus_search.search.results import ExportReport, SearchResults
from corpus_search.search.state import SearchSource, SearchState
from corpus_search.store.collection import export_place_note
from corpus_search.store.columns import document_body

if TYPE_CHECKING:
    import numpy as np

__all__ = ["COLUMNS", "EXPORT_MARK", "FORMATS", "ExportReport", "Output", "export", "export_format",
           "export_text"]

#: the formats, by name
FORMATS = ("csv", "jsonl", "txt")
#: a file's suffix -> its format (a name with no suffix, or a folder, is ``txt``)
SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: each format as a message names it
_FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines", "txt": "text files"}
#: suffixes of files export cannot write: given as a whole name (".json"), one is a slip for
#: a file's name, not the hidden folder of text files such a name would make
OTHER_SUFFIXES = frozenset({".json", ".txt", ".tsv", ".xlsx", ".xls", ".ods", ".xml", ".html",
                            ".htm", ".md", ".parquet"})
#: the fields of each document, in the order of the CSV columns; ``date`` is written no more
#: precisely than it is known (``2005-02`` for a month, :func:`row_at_precision`), which a
#: spreadsheet reads as a date and indexing the export reads back as that month
COLUMNS = ("rank", "score", "id", "title", "date", "date_precision", "shown_date", "date_source",
           "source", "parties", "url", "file", "path", "same_as", "counted", "body")
#: what joins a document's parties in a CSV cell
PARTY_JOINER = "; "
#: the longest file or folder name written for an id, in bytes (most systems allow 255)
MAX_NAME_BYTES = 200

#: where an export goes: a file or folder, or a text stream (CSV and JSON Lines only)
Output = str | os.PathLike | TextIO


def export_format(out: Output, format: str | None = None) -> str:
    """The format of an export to ``out``: ``format`` when given, else told by the name (a
    ``.csv`` or ``.jsonl`` file; a folder, or a name without a suffix, is ``txt``); a stream
    is CSV unless told otherwise."""
    if format is not None:
        if format not in FORMATS:
            raise ExportError(f"Unknown export format {format!r}: use csv, jsonl or txt.")
        named = (SUFFIXES.get(Path(out).suffix.lower())
                 if isinstance(out, (str, os.PathLike)) else None)
        if named not in (None, format) and not Path(out).is_dir():
            # (export Iraq iraq.csv --format txt made a folder named iraq.csv, and --format
            # jsonl a "CSV" file that a spreadsheet opened as one column of JSON)
            path = Path(out)
            wanted = (f"a folder ({path.with_suffix('').name}) for text files" if format == "txt"
                      else f"a .{format} file ({path.with_suffix('.' + format).name})")
            raise ExportError(f"Cannot write {_FORMAT_NAMES[format]} to {path}: its name says "
                              f"{_FORMAT_NAMES[named]}. Name {wanted}, or leave the format to "
                              "the name.")
        return format
    if not isinstance(out, (str, os.PathLike)):
        return "csv"
    path = Path(out)
    if path.name.lower() in SUFFIXES and not path.is_dir():
        # (".csv" has no suffix to Python: a hidden folder of text files named ".csv")
        raise ExportError(f"{path} has a format's suffix but no name: name the file, e.g. "
                          f"export{path.name.lower()}.")
    if path.name.lower() in OTHER_SUFFIXES and not path.is_dir():
        raise ExportError(f"{path} is a file's suffix with no name, and not one export "
                          "writes: name a .csv or .jsonl file (export.csv), or a folder (no "
                          "suffix) for text files.")
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if not suffix or path.is_dir():
        return "txt"
    # (a .json name: JSON is written as JSON Lines, which a new user did not know .jsonl was)
    json_lines = (" (JSON is written as JSON Lines, an object a line: "
                  f"{path.with_suffix('.jsonl').name})" if suffix == ".json" else "")
    raise ExportError(f"Cannot tell the format of {path} from its name: name a .csv or .jsonl "
                      f"file{json_lines}, or a folder (no suffix) for text files, or give the "
                      "format (csv, jsonl, txt).")


def check_output(out: object) -> None:
    """Refuse, in one line, an ``out`` that is neither a path nor a text stream open for
    writing: ``None``, a number or a list had raised AttributeError ("no attribute
    'writelines'") and a binary file TypeError, from deep in the writing, after the search."""
    if isinstance(out, (str, os.PathLike)):
        return
    if isinstance(out, (bytes, bytearray)) or not callable(getattr(out, "writelines", None)):
        raise ExportError(f"Cannot export to {reprlib.repr(out)}: OUT is a path (a .csv or "
                          ".jsonl file, or a folder) or a text stream, not "
                          f"{type(out).__name__}.")
    if getattr(out, "closed", False):
        raise ExportError("The stream to export to is closed.")
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(out, "mode", "")):
        raise ExportError("A binary stream cannot take an export: open it for text (open(path, "
                          "'w', newline='')), or give the path.")


def export(
    index: SearchSource,
    text: str,
    out: Output,
    *,
    format: str | None = None,
    filters: SearchFilters | dict[str, Any] | None = None,
    sort: str = "relevance",
    correct: bool = True,
    overwrite: bool = False,
    ranking: Ranking = RANKING,
    counted: bool = False,
    literal: bool = False,
    distinct: bool = False,
    match_case: bool = False,
) -> ExportReport:
    """Write every document the query ``text`` matches (``"*"``: every document the filters
    keep, newest first) to ``out`` in ``format`` (:func:`export_format`), in the order of a
    search with ``sort``; ``filters`` and ``correct`` are those of :func:`~.execute.search`.
    ``counted``: only the documents a count of the query counts
    (:func:`~.matching.matching_documents`), with the ranks search gives them: not those
    holding only a quoted phrase's words apart, part of a name or lexicon term, or a term the
    lexicon relates to the query (the report's ``uncounted``). ``literal``: the documents
    holding the query's words as written (:mod:`~.literal`), as a literal search ranks them
    (``match_case``: so, each word in the case typed, as a count with it counts them).
    ``distinct``: each text once: a document whose title and body repeat a row's before it
    word for word (the row's ``same_as``: a corpus holds an article saved twice, 100 pairs
    in the BBC corpus) is left out, and a note says how many were; with ``counted``, the
    rows are as many as a count with ``distinct`` counts.

    ``out`` is a file or folder (replaced only with ``overwrite``; a folder must hold nothing
    but ``.txt`` files for that) or a text stream (CSV, without a byte order mark, or JSON
    Lines). Raises :class:`~corpus_search.errors.ExportError` when it cannot be written.
    """
    check_query_text(text)
    if not text.strip():
        raise QueryError("Exporting needs a query, or * for every document.")
    if isinstance(out, str) and not out:
        # (Path("") is the current folder: an unset shell variable, export Labour "$OUT",
        # would be refused as "." that is not empty, or with --force written there)
        raise ExportError("The file or folder to write (OUT) is empty: name a .csv or .jsonl "
                          "file or a folder (or - : standard output).")
    check_output(out)
    fmt = export_format(out, format)
    # (~ expanded, as the folders to index are: "~/out.csv" was "the folder ~ does not exist")
    target = Path(out).expanduser() if isinstance(out, (str, os.PathLike)) else None
    inside = [] if target is None else export_place_note(target, index)
    if target is not None:
        check_target(target, fmt, overwrite)
    how = (correct, literal or match_case, match_case)
    report, records = _matching(index, text, fmt, target, filters, sort, how, ranking,
                                (counted, distinct))
    report.notes += inside
    if fmt == "txt":
        assert target is not None
        publish_folder(target, lambda folder: _write_folder(folder, records), overwrite)
    elif target is None:
        out.writelines(_TEXT[fmt](records, bom=False))  # type: ignore[union-attr]
    else:
        publish_file(target, lambda stream: stream.writelines(
            _TEXT[fmt](records, bom=fmt == "csv")), overwrite)
    return report


def export_text(
    index: SearchSource,
    text: str,
    *,
    format: str = "csv",
    filters: SearchFilters | dict[str, Any] | None = None,
    sort: str = "relevance",
    correct: bool = True,
    bom: bool = False,
    ranking: Ranking = RANKING,
    counted: bool = False,
    literal: bool = False,
    distinct: bool = False,
    match_case: bool = False,
) -> tuple[ExportReport, Iterator[str]]:
    """What :func:`export` writes as a CSV (``bom``: with a byte order mark) or JSON Lines
    file, in pieces made as the documents are read (a web download sends them on without
    holding the file); a bad query or filter is raised before this returns."""
    check_query_text(text)
    if not text.strip():
        raise QueryError("Exporting needs a query, or * for every document.")
    fmt = export_format(None, format)  # type: ignore[arg-type]
    how = (correct, literal or match_case, match_case)
    report, records = _matching(index, text, fmt, None, filters, sort, how, ranking,
                                (counted, distinct))
    return report, _TEXT[fmt](records, bom=bom)


#: how an export reads its query: (correct, literal, match_case), as :func:`export` takes
#: them (literal with match_case)
_How = tuple[bool, bool, bool]


def _searched(index: SearchSource, text: str, how: _How, **page: Any) -> SearchResults:
    """A page of the search an export writes, without snippets: literal (in the case typed
    with ``match_case``), or as typed (corrected unless ``correct`` is off)."""
    correct, literal, match_case = how
    if literal:
        return literal_search(index, text, highlight=False, match_case=match_case, **page)
    return execute.search(index, text, highlight=False, correct=correct, **page)


def _matching(index: SearchSource, text: str, fmt: str, target: Path | None,
              filters: SearchFilters | dict[str, Any] | None, sort: str, how: _How,
              ranking: Ranking, which: tuple[bool, bool],
              ) -> tuple[ExportReport, Iterator[dict[str, Any]]]:
    """The export's report and its records (the report counting them as they are read;
    ``which``: (counted, distinct), only those a count counts, each text once), the first
    page searched now, so that a bad query or filter is raised here."""
    counted, distinct = which
    if target is None and fmt == "txt":
        raise ExportError("A folder of text files cannot be written to a stream: name a "
                          "folder, or choose csv or jsonl.")
    pinned = _Pinned(index, ranking)
    try:
        first = _searched(pinned, text, how, limit=MAX_PAGE_SIZE, filters=filters, sort=sort,
                          ranking=ranking)
        report = ExportReport(
            query=text, format=fmt, path=target, suggestion=first.suggestion,
            suggestion_applied=first.suggestion_applied, notes=list(first.notes),
            not_found=list(first.not_found), partly_found=dict(first.partly_found),
            undated_left_out=first.undated_left_out,
            why_empty=list(first.why_empty), related_only=first.related_only, counted=counted,
            as_characters=list(first.as_characters))
        counts = _counted(pinned, first, text, filters, ranking, how)
    except BaseException:
        pinned.done()
        raise
    report.matching = int(counts.sum()) if counted and counts is not None else first.total
    if counts is not None:
        report.uncounted = first.total - int(counts.sum()) or None

    def records() -> Iterator[dict[str, Any]]:
        keep = counts if counted and report.uncounted else None
        copies = 0
        try:
            for record in _records(pinned, first, text, filters, sort, ranking, how, keep,
                                   counts):
                if distinct and record["same_as"] is not None:
                    copies += 1
                    continue
                report.documents += 1
                yield record
        finally:
            pinned.done()
        if copies:
            report.notes.append(copies_note(copies, "a document written before it", "written"))

    return report, records()


def _counted(index: _Pinned, first: SearchResults, text: str,
             filters: SearchFilters | dict[str, Any] | None, ranking: Ranking,
             how: _How) -> np.ndarray | None:
    """Per document number, whether a count of ``text`` counts it
    (:func:`~.matching.matching_documents`), of the documents search finds (``first``: its
    first page); ``None`` when it finds none, and for browsing (``*``, or filters with no
    query), which counts every document."""
    if not first.total or not text.strip() or every_document(text):
        return None
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        return matching_documents(index, index.searcher(ranking), text,
                                  SearchFilters.coerce(filters), ranking, *how).matching


class _Pinned:
    """``index`` as one searcher sees it: every page of an export reads the same documents,
    though another process commits while it runs. Its search state is its own: the query
    parsers kept there hold the source they were made for (this one, and its searcher),
    which the index's own searches must not be handed.

    The index keeps the searcher open until :meth:`done` (the export read to its end, or
    given up), or until this is dropped: searches between two of its pages, made
    stale by other commits, replace the index's searcher, and used to close this one under
    the export."""

    def __init__(self, index: SearchSource, ranking: Ranking) -> None:
        with index.guard():
            self._searcher = index.searcher(ranking)
            #: lets the index close the searcher (once; again does nothing)
            self.release = weakref.finalize(self, index.keep_open(self._searcher))
        self._index = index
        self.lexicon: Lexicon = index.lexicon
        self.path = index.path
        self.search_state = SearchState()

    @property
    def schema(self) -> Schema:
        return self._index.schema

    def done(self) -> None:
        """The export is read (or given up): the index may close the searcher, and the
        query parsers, which hold this source (a reference cycle), go."""
        self.release()
        self.search_state = SearchState()

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        return self._searcher

    def keep_open(self, searcher: Searcher) -> Callable[[], None]:
        return self._index.keep_open(searcher)

    def guard(self) -> contextlib.AbstractContextManager[None]:
        return self._index.guard()


def _records(index: _Pinned, first: SearchResults, text: str,
             filters: SearchFilters | dict[str, Any] | None, sort: str, ranking: Ranking,
             how: _How, keep: np.ndarray | None = None,
             counts: np.ndarray | None = None) -> Iterator[dict[str, Any]]:
    """Each matching document (``keep``: of those it marks by document number), ranked as
    the search ranks it, as :data:`COLUMNS` name its fields, one page of
    :data:`MAX_PAGE_SIZE` searched at a time. ``same_as`` is the id of a
    document before it in the export whose title and body it repeats word for word (a
    corpus holds an article saved twice: 100 pairs in the BBC corpus), else None;
    ``counted`` whether a count of the query counts it (``counts``, by document number;
    every document when ``None``), so that a reader of the file can leave out, as a count
    does, those holding only part of the query without exporting again."""
    results, page = first, 1
    with index.guard():
        copies = PageCopies(index.searcher(ranking))  # (one "page": the whole export)
    while True:
        records = []  # (read inside the guard, a page at a time; written outside it)
        with index.guard():
            searcher = index.searcher(ranking)
            for hit in results.hits:
                docnum = document_number(searcher, hit.id)
                if docnum is None:  # (the one searcher reads them all: never)
                    raise ExportError(f"The document {hit.id} went missing during the export.")
                if keep is not None and not keep[docnum]:
                    continue
                record = document_record(searcher.stored_fields(docnum),
                                         document_body(searcher, docnum))
                score = round(hit.score, 4) if hit.score is not None else None
                records.append({"rank": hit.rank, "score": score, **row_at_precision(record),
                                "same_as": copies.first_with_text_of(docnum, hit),
                                "counted": counts is None or bool(counts[docnum])})
        yield from records
        if page >= results.pages:
            return
        page += 1
        results = _searched(index, text, how, limit=MAX_PAGE_SIZE, page=page, filters=filters,
                            sort=sort, ranking=ranking)


# -- the formats ------------------------------------------------------------------------------


class _Echo:
    """A file whose ``write`` gives back what it is given: a CSV writer's row as text."""

    @staticmethod
    def write(text: str) -> str:
        return text


def _csv_text(records: Iterable[dict[str, Any]], *, bom: bool) -> Iterator[str]:
    """A header row, then a row per document (None as an empty cell)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield ("\ufeff" if bom else "") + writer.writerow(COLUMNS)
    for record in records:
        record["parties"] = PARTY_JOINER.join(record["parties"])
        yield writer.writerow(["" if record[c] is None else record[c] for c in COLUMNS])


#: what JSON may hold unescaped that some readers take for a line break
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _jsonl_text(records: Iterable[dict[str, Any]], *, bom: bool) -> Iterator[str]:
    """An object per line, keys in the order of :data:`COLUMNS`."""
    for record in records:
        line = json.dumps({c: record[c] for c in COLUMNS}, ensure_ascii=False)
        yield line.translate(_LINE_BREAKS) + "\n"


def _write_folder(folder: Path, records: Iterable[dict[str, Any]]) -> None:
    """A ``.txt`` file per document, named after its id, and :data:`EXPORT_MARK`."""
    (folder / EXPORT_MARK).write_text(
        "corpus_search wrote this folder (an export); another export with overwrite=True, "
        "or corpus-search export --force, replaces it only while this file is here.\n",
        encoding="utf-8")
    names = _FileNames()
    for record in records:
        path = folder / names.of(record["id"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text_file(record["id"], record["title"], record["body"], url=record["url"],
                                   date=record["date"], source=record["source"]))


#: each file format's text, a piece a row
_TEXT: dict[str, Callable[..., Iterator[str]]] = {"csv": _csv_text, "jsonl": _jsonl_text}

#: what a file name may not hold on some system (Windows: <>:"\|?*; control characters)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"\\|?*]')


class _FileNames:
    """The file of each id: its ``/``-separated parts as folders and a name, ``.txt`` added,
    so that indexing the folder gives the id back; a part no system's file name can hold as
    it is (``..``, ``.hidden``, which indexing skips, ``a:b``, over :data:`MAX_NAME_BYTES`)
    made one that can, and a name taken already (in any capitals: some systems do not tell
    them apart) numbered ``~2``, ``~3``..."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def of(self, doc_id: str) -> str:
        stem = "/".join(_safe_part(part) for part in doc_id.split("/"))
        name, n = f"{stem}.txt", 1
        while name.casefold() in self._taken:
            n += 1
            name = f"{stem}~{n}.txt"
        self._taken.add(name.casefold())
        return name


def _safe_part(part: str) -> str:
    part = _UNSAFE.sub("_", part).rstrip(" ")
    if not part or part.startswith("."):
        part = "_" + part
    while len(part.encode("utf-8")) > MAX_NAME_BYTES:
        part = part[:-1]
    return part
