"""Publication dates: where a document's date comes from (the dating rules).

A document's date is its publication date or nothing: it comes from what the document or the
user states about the document (see :class:`DateRules` for the order), never from a date
mentioned in the story, because an obituary's birth date or a profile's "11 September 2001"
is worse than no date at all. The forms a date may take are read by
:mod:`~corpus_search.ingest.date_forms`; datelines, path dates and the dates file each have
their module (:mod:`~corpus_search.ingest.datelines`, :mod:`~corpus_search.ingest.path_dates`,
:mod:`~corpus_search.ingest.dates_file`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.errors import CorpusSearchError, DateOptionsError
from corpus_search.ingest.date_forms import DateSpan
from corpus_search.ingest.date_statements import Stated, disagreement
from corpus_search.ingest.datelines import find_dateline
from corpus_search.ingest.dates_file import Sidecar, read_sidecar
from corpus_search.ingest.month_first import LINES_SHOWN
from corpus_search.ingest.path_dates import compile_path_pattern, path_date_span, path_key

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document, FileResult


__all__ = [
    "DATE_SOURCES",
    "DEFAULT_GUESSES",
    "GUESSES",
    "DateOptions",
    "DateRules",
]


#: Where a document's date can come from, as recorded in its ``date_source``.
DATE_SOURCES = ("sidecar", "metadata", "front-matter", "path", "dateline", "mtime",
                "properties", "user")


#: The guesses a folder may allow, tried in the order given (see :class:`DateOptions`).
GUESSES = ("dateline", "path", "mtime")


DEFAULT_GUESSES = ("dateline", "path")


@dataclass(frozen=True)
class DateOptions:
    """How a folder's documents get their dates; recorded per folder in the index.

    ``sidecar``: a dates file (see :func:`read_sidecar`). ``path_pattern``: a
    ``--date-from-path`` pattern (see :func:`compile_path_pattern`). ``guesses``: the guesses
    allowed when nothing is stated, in order: ``"dateline"``, ``"path"`` (the built-in file and
    folder name shapes), ``"mtime"`` (the file's modification time); empty for none.
    """

    sidecar: str | None = None
    path_pattern: str | None = None
    guesses: tuple[str, ...] = DEFAULT_GUESSES

    def __post_init__(self) -> None:
        unknown = [g for g in self.guesses if g not in GUESSES]
        if unknown:
            raise DateOptionsError(
                f"Unknown date source {', '.join(map(repr, unknown))}; "
                f"choose from {', '.join(GUESSES)}, or none."
            )
        if len(set(self.guesses)) != len(self.guesses):
            raise DateOptionsError("A date source is named twice.")
        if self.path_pattern is not None:
            compile_path_pattern(self.path_pattern)

    @staticmethod
    def guesses_from(value: str | Iterable[str] | None) -> tuple[str, ...]:
        """Read ``"dateline,path"``, ``["mtime"]``, ``"none"`` or ``None`` (the default)."""
        if value is None:
            return DEFAULT_GUESSES
        items = value.split(",") if isinstance(value, str) else list(value)
        names = tuple(n.strip().lower() for item in items for n in str(item).split(","))
        names = tuple(n for n in names if n)
        return () if names in ((), ("none",)) else names

    def updated(
        self,
        *,
        sidecar: str | os.PathLike[str] | None = None,
        path_pattern: str | None = None,
        guesses: str | Iterable[str] | None = None,
    ) -> DateOptions:
        """These options with those given replaced (``None`` keeps one; ``""`` clears the
        sidecar or the pattern)."""
        changes: dict[str, Any] = {}
        if sidecar is not None:
            changes["sidecar"] = str(Path(sidecar).expanduser().resolve()) if sidecar else None
        if path_pattern is not None:
            changes["path_pattern"] = path_pattern or None
        if guesses is not None:
            changes["guesses"] = self.guesses_from(guesses)
        return replace(self, **changes)

    def as_arguments(self) -> dict[str, Any]:
        """These options as arguments of ``CorpusIndex.index_directory``, which then uses
        exactly them (not what the folder's last run recorded)."""
        return {
            "dates": self.sidecar or "",
            "date_from_path": self.path_pattern or "",
            "date_from": list(self.guesses) or "none",
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "sidecar": self.sidecar,
            "path_pattern": self.path_pattern,
            "guesses": list(self.guesses),
        }

    @classmethod
    def from_dict(cls, data: object) -> DateOptions:
        """Options recorded by :meth:`to_dict`; anything unreadable gives the defaults."""
        if not isinstance(data, dict):
            return cls()
        try:
            return cls(
                sidecar=data.get("sidecar") or None,
                path_pattern=data.get("path_pattern") or None,
                guesses=tuple(data.get("guesses", DEFAULT_GUESSES)),
            )
        except (CorpusSearchError, TypeError):
            return cls()

    def rules(self) -> DateRules:
        """The rules these options describe (reads the sidecar file)."""
        return DateRules(self)


@dataclass(frozen=True)
class DateRules:
    """The date rules of one folder, ready to apply to its documents.

    A document's date comes from the first of these that gives one:

    1. the sidecar file, by document id (with or without the id prefix) or by file path;
    2. what the document states about itself: a record's ``date`` field or a web page's
       published time (``metadata``), or a Markdown or text file's front matter
       (``front-matter``), set by the readers;
    3. the folder's ``--date-from-path`` pattern;
    4. the allowed guesses, in their order: a dateline near the top (``dateline``), a date in
       the file or folder name (``path``), the file's modification time (``mtime``). Names and
       modification times describe a whole file, so they date text, Markdown, web page, PDF
       and Word files only, never the records of a JSONL or CSV file;
    5. the date a PDF or Word file says it was made (``properties``, set by the reader):
       when the file was written or saved, which may be long after the text was published
       (a saved article), so only when nothing above dates it, and not with no guesses.
    """

    options: DateOptions = field(default_factory=DateOptions)
    _sidecar: Sidecar | None = field(default=None, init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    #: the sidecar file's real path (see :meth:`is_dates_file`), found once
    _sidecar_path: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.options.sidecar:
            object.__setattr__(self, "_sidecar", read_sidecar(self.options.sidecar))
            object.__setattr__(self, "_sidecar_path", os.path.realpath(self.options.sidecar))
        if self.options.path_pattern:
            object.__setattr__(self, "_pattern", compile_path_pattern(self.options.path_pattern))

    def is_dates_file(self, path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` is the dates file: kept in the folder it dates, it is no article
        (it was read as one: skipped with advice to map its columns, or, with a title column,
        indexed as a document a row)."""
        return self._sidecar_path is not None and os.path.realpath(path) == self._sidecar_path

    @property
    def warnings(self) -> list[str]:
        """Problems found in the sidecar file (rows whose date could not be read)."""
        return list(self._sidecar.warnings) if self._sidecar else []

    def unmatched(
        self,
        documents: Mapping[str, Collection[str]],
        id_prefix: str = "",
        renamed: Mapping[str, tuple[str, Collection[str], Sequence[str]]] | None = None,
    ) -> list[str]:
        """The warnings on the dates file's rows that date no document of the folder, else
        none: one naming a few of them, and one for each that names a file since renamed.
        ``documents``: each file of the folder holding documents -> their natural ids;
        ``renamed``: a new file -> (the gone file whose text it holds, that file's ids, its
        own ids).

        Such rows date nothing: a dates file written with ids or paths from another folder
        (``politics/001`` for a folder whose ids are ``001``) left every document undated,
        and a file renamed lost its date, and nothing said why."""
        sidecar = self._sidecar
        if sidecar is None or not (sidecar.rows_by_id or sidecar.rows_by_path):
            return []
        ids: set[str] = set()
        for doc_ids in documents.values():
            ids.update(doc_ids)
            if id_prefix:
                ids.update(i[len(id_prefix) :] for i in doc_ids if i.startswith(id_prefix))
        paths = {path_key(rel): rel for rel in documents}
        missed = [*((k, k, rows) for k, rows in sidecar.rows_by_id.items() if k not in ids),
                  *((sidecar.written.get(k, k), None, rows)
                    for k, rows in sidecar.rows_by_path.items() if k not in paths)]
        if not missed:
            return []
        name = Path(self.options.sidecar or "").name
        return [_unmatched_rows(name, sidecar, missed, ids, paths),
                *_renames(name, missed, renamed or {}, id_prefix)]

    @property
    def fingerprint(self) -> str:
        """Changes when the options or the sidecar's content change: documents then need
        dating afresh."""
        digest = self._sidecar.digest if self._sidecar else None
        data = {**self.options.to_dict(), "sidecar": digest}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]

    def date(
        self,
        doc: Document,
        rel: str,
        *,
        id_prefix: str = "",
        whole_file: bool = True,
        mtime: float | None = None,
    ) -> Document:
        """``doc`` with its date and ``date_source`` set by these rules."""
        stated, _ = self._stated_by_user(doc.id, rel, id_prefix, "it")
        return self._dated(doc, rel, stated, whole_file, mtime)

    def dated(
        self, result: FileResult, rel: str, *, id_prefix: str = "", whole_file: bool = True,
        mtime: float | None = None,
    ) -> FileResult:
        """``result`` (the file ``rel`` read) with its documents dated as :meth:`date` dates
        them, and a warning on those the dates file gives different dates under different
        ids or paths (dated by none of them)."""
        disputed: list[str] = []
        documents = []
        for doc in result.documents:
            stated, dispute = self._stated_by_user(doc.id, rel, id_prefix,
                                                   "it" if whole_file else doc.id)
            documents.append(self._dated(doc, rel, stated, whole_file, mtime))
            disputed += [dispute] if dispute else []
        result.documents = documents
        result.warnings += [f"{rel}: {said}" for said in disputed[:LINES_SHOWN]]
        if len(disputed) > LINES_SHOWN:
            result.warnings.append(f"{rel}: {len(disputed) - LINES_SHOWN} more of its documents "
                                   "are given different dates, so they are dated by neither")
        return result

    def _dated(self, doc: Document, rel: str, stated: DateSpan | None, whole_file: bool,
               mtime: float | None) -> Document:
        if stated is not None:
            return replace(doc, date=stated.first, date_source="sidecar",
                           date_precision=stated.precision)
        made = doc.date if doc.date_source == "properties" else None
        if made is not None:  # the file's own date comes last (5.)
            doc = replace(doc, date=None, date_source=None)
        if doc.date is not None:
            return doc if doc.date_source else replace(doc, date_source="metadata")
        doc = replace(doc, date_precision=None)
        if self._pattern is not None:
            in_path = path_date_span(rel, self._pattern)
            if in_path is not None:
                return replace(doc, date=in_path[0], date_source="path",
                               date_precision=in_path[1])
        for guess in self.options.guesses:
            found = None
            if guess == "dateline":
                found = find_dateline(f"{doc.title}\n{doc.body}")
            elif not whole_file:
                continue
            elif guess == "path":
                in_path = path_date_span(rel)
                found, doc = (in_path[0], replace(doc, date_precision=in_path[1])
                              ) if in_path else (None, doc)
            elif mtime is not None:
                found = dt.datetime.fromtimestamp(mtime).date()
            if found is not None:
                return replace(doc, date=found, date_source=guess)
        if made is not None and self.options.guesses:
            return replace(doc, date=made, date_source="properties")
        return doc if doc.date_source is None else replace(doc, date_source=None)

    def _stated_by_user(self, doc_id: str, rel: str, id_prefix: str, whom: str
                        ) -> tuple[DateSpan | None, str | None]:
        """The date the dates file gives the document ``doc_id`` of the file ``rel``, by its
        id (with or without ``id_prefix``) or its path, when its rows agree; and the warning
        when rows naming it under different ids or paths disagree (``whom``: the document,
        in the warning)."""
        sidecar = self._sidecar
        if sidecar is None:
            return None, None
        keys = [doc_id, doc_id[len(id_prefix) :] if id_prefix and doc_id.startswith(id_prefix)
                else doc_id]
        found = [(f"id {k}", sidecar.rows_by_id[k]) for k in dict.fromkeys(keys)
                 if k in sidecar.rows_by_id]
        key = path_key(rel)
        if key in sidecar.rows_by_path:
            found.append((f"path {sidecar.written.get(key, key)}", sidecar.rows_by_path[key]))
        dates = {s.date for _, rows in found for s in rows}
        if len(dates) == 1:
            return dates.pop(), None
        name = Path(self.options.sidecar or "").name
        return None, disagreement(name, whom, found)


def _unmatched_rows(
    name: str, sidecar: Sidecar, missed: list[tuple[str, str | None, Sequence[Stated]]],
    ids: Collection[str], paths: Mapping[str, str],
) -> str:
    """The warning counting the rows of ``missed`` (the ids and paths that date nothing, as
    written, with their rows) and naming a few."""
    rows = sum(map(len, [*sidecar.rows_by_id.values(), *sidecar.rows_by_path.values()]))
    unmatched = sum(len(stated) for _, _, stated in missed)
    named = [written for written, _, _ in missed]
    shown = ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")
    example = (f"; ids are written as in {min(ids)}, paths relative to the folder as in "
               f"{paths[min(paths)]}" if ids and paths else "")
    if unmatched == rows:
        what = (f"none of its {rows} dated rows names a document" if rows > 1
                else "its one dated row names no document")
        return f"{name}: {what} of this folder, so the file dates nothing ({shown}){example}"
    one = unmatched == 1
    return (f"{name}: {unmatched} of its {rows} dated rows name{'s' if one else ''} no "
            f"document of this folder, so {'it dates' if one else 'they date'} nothing "
            f"({shown}){example}")


def _renames(
    name: str, missed: list[tuple[str, str | None, Sequence[Stated]]],
    renamed: Mapping[str, tuple[str, Collection[str], Sequence[str]]], id_prefix: str,
) -> list[str]:
    """A warning for each row of ``missed`` (as written, its id if it is an id, its rows)
    that names a file gone since the last run whose text a new file holds (``renamed``):
    renaming a file took its date away."""
    if not renamed:
        return []
    said = []
    for new, (old, old_ids, new_ids) in renamed.items():
        short = {i[len(id_prefix) :] if id_prefix and i.startswith(id_prefix) else i
                 for i in old_ids}
        for written, key_id, rows in missed:
            if key_id is None and path_key(written.removeprefix("./")) == path_key(old):
                what, instead = "path", new
            elif key_id is not None and (key_id in old_ids or key_id in short):
                what, instead = "id", (new_ids[0] if len(new_ids) == 1 else f"the ids of {new}")
            else:
                continue
            said.append(f"{name} line {rows[0].line}: {written} is the {what} of {old}, renamed "
                        f"{new} since it was last indexed (the same text), which this line no "
                        f"longer dates: write {instead} in its place")
    return said
