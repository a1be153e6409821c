"""Reading folders for an index: the scan of a folder against what the index holds, exact
copies, progress phases (the checks on folders before indexing are
:func:`corpus_search.ingest.folders.check_sources`; the ids the documents read are given,
:mod:`corpus_search.folder_ids`).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from corpus_search.analysis.text import MAX_WORD_LENGTH, long_words
from corpus_search.errors import ColumnsError
from corpus_search.ingest.boilerplate import body_lines
from corpus_search.ingest.dates import DateRules
from corpus_search.ingest.dates_unmatched import rows_dating_nothing
from corpus_search.ingest.encodings import stored_name
from corpus_search.ingest.files import (
    iter_source_files,
    printable,
    read_file,
)
from corpus_search.ingest.model import (
    DOCUMENT_EXTENSIONS,
    DOCUMENTS_EXTRA,
    EMPTY_FILE,
    Document,
    FileResult,
    readable_extensions,
    text_key,
    text_problem,
)
from corpus_search.ingest.report import (
    NOW_EMPTY,
    NOW_GONE,
    IndexReport,
    emptied_subfolders,
    ids_taken,
    nothing_to_read,
)
from corpus_search.ingest.signatures import content_digest, file_signature, same_content, same_stat
from corpus_search.repeated import FolderLines, folder_boilerplate, read_resting, strip_items
from corpus_search.store.parallel import auto_procs, map_forked
from corpus_search.terminal import counted

__all__ = ["IndexReport"]


@dataclass
class Scan:
    """What reading one folder found: the files to (re)index and those gone."""

    root_key: str
    id_prefix: str
    report: IndexReport
    #: (relative file name, signature, its documents as written: without the folder's
    #: boilerplate) of new and changed files
    changed: list[tuple[str, str, list[Document]]]
    gone: list[str]
    boilerplate: frozenset[str]
    date_rules: DateRules
    #: natural id -> the id given instead (see :func:`~corpus_search.folder_ids.assign_ids`)
    ids: dict[str, str] = field(default_factory=dict)
    #: the folder's publisher, for its documents that name none ("": none)
    source: str = ""
    #: the folder's column mapping (:func:`~corpus_search.ingest.columns.column_mapping`)
    columns: dict[str, str] = field(default_factory=dict)
    #: relative file name -> its new signature, for the files touched but holding what was
    #: indexed from them (:func:`~corpus_search.ingest.signatures.same_content`): not written
    touched: dict[str, str] = field(default_factory=dict)
    #: relative file name -> the :func:`~corpus_search.ingest.model.text_key` of each of its
    #: documents in ``changed``, worked out as the file was read
    text_keys: dict[str, list[bytes]] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)  # for the record: FolderLines
    #: the files found but not read into documents, whose documents an index would keep
    #: (:func:`_kept_cause`): file -> its cause (a key of :data:`KEPT_CAUSES`, or "emptied")
    unread: dict[str, str] = field(default_factory=dict)
    #: the folders not read ("sub/"; "./": all), with the reason in the report's ``skipped``
    unread_folders: list[str] = field(default_factory=list)

    def items(self) -> list[tuple[Document, str]]:
        return [(doc, sig) for _, sig, docs in self.changed for doc in docs]

    def item_keys(self) -> Iterator[bytes]:
        """The :func:`~corpus_search.ingest.model.text_key` of each of :meth:`items`."""
        for rel, _sig, docs in self.changed:
            keys = self.text_keys.get(rel)
            if keys is not None and len(keys) == len(docs):
                yield from keys
            else:
                yield from (text_key(doc.title, doc.body) for doc in docs)


#: files to read below which a folder is read by this process alone (forking costs more)
_FORKED_READ_MIN = 500


def scan_folder(
    root_path: Path,
    id_prefix: str,
    known: dict[str, tuple[str, list[str]]],
    boilerplate_before: frozenset[str],
    progress: ProgressCallback | None,
    date_rules: DateRules,
    redate: bool = False,
    procs: int | None = 1,
    source: str = "",
    columns: dict[str, str] | None = None,
    check_columns: bool = False,
    held: Collection[str] = (),
    recorded_lines: dict[str, str] | None = None,
    given: Mapping[str, str] | None = None,
) -> Scan:
    """Read the new and changed files under ``root_path`` (``known``: what the index holds of
    it, file -> (signature, ids); ``redate``: read unchanged files too, their dates or
    publisher may differ), dating them by ``date_rules``, giving those that name no publisher
    ``source`` (if not ""), reading CSV and JSON Lines files by ``columns`` (see
    :func:`_mapped_columns`; ``check_columns``: the mapping is new; ``held``: the files an
    index being rebuilt held, as ``known`` is then empty), and find the folder's boilerplate
    lines (``recorded_lines``: those its record keeps of its files, :class:`FolderLines`;
    ``given``: the ids its documents were given instead of their natural ones); nothing is
    written. A file touched but holding what was indexed from it is left as it is
    (``Scan.touched``).
    With ``procs > 1`` (``None``: :func:`auto_procs`) and many files to read, forked
    processes read shares of them meanwhile (the writers cannot start before every file is
    read; the results are the same)."""
    report = IndexReport(root=str(root_path))
    report.warnings.extend(date_rules.warnings)
    unread_folders: list[tuple[str, str]] = []  # (folder + "/", why), see iter_source_files
    others: Counter[str] = Counter()
    files = list(iter_source_files(root_path, problems=unread_folders, others=others))
    files = [path for path in files if not date_rules.is_dates_file(path)]
    total = len(files)
    report.other_files = dict(others.most_common())
    if not files and not unread_folders and known:
        # a folder emptied all at once is more likely not there yet than emptied for good:
        # its documents are kept, as those of a folder that cannot be read are
        unread_folders.append(("./", NOW_EMPTY))
    elif not files and not unread_folders:
        report.warnings.append(nothing_to_read(root_path, report.other_files))
    elif known:  # (so is a subfolder's, emptied or gone)
        unread_folders.extend(emptied_subfolders(
            root_path, known, (stored_name(p.relative_to(root_path).as_posix()) for p in files),
            [folder for folder, _ in unread_folders]))
    seen: set[str] = set()
    changed: list[tuple[str, str, list[Document]]] = []
    touched: dict[str, str] = {}
    removed: list[str] = []  # indexed files that no longer hold a document
    tables: list[FileResult] = []  # the files read by the column mapping
    emptied: list[str] = []  # indexed tables a new column mapping leaves nothing to read in
    rels = [stored_name(path.relative_to(root_path).as_posix()) for path in files]
    sigs = list(map(file_signature, files))

    def unchanged(rel: str, sig: str) -> bool:  # (then it is not read again)
        previous = known.get(rel)
        return previous is not None and same_stat(previous[0], sig) and not redate

    # a touched file holding what was indexed from it is not read into documents again,
    # unless they are dated afresh or may be dated by its modification time
    vouched = not redate and "mtime" not in date_rules.options.guesses
    wanted = [
        (path, content_digest(known[rel][0]) if vouched and rel in known else None)
        for path, rel, sig in zip(files, rels, sigs, strict=True) if not unchanged(rel, sig)
    ]
    read = partial(_read, root=root_path, id_prefix=id_prefix, dates=date_rules,
                   source=source or None, columns=columns or None)
    asked = procs  # (None: as many as the files to read pay for, :func:`auto_procs`)
    if procs is None:
        procs = auto_procs(len(wanted))
    results = map_forked(read, wanted, procs if len(wanted) >= _FORKED_READ_MIN else 1)
    lines = FolderLines()  # (the lines of the bodies to write, for the boilerplate)
    # which file of the folder each id belongs to: the file that held it (and is still
    # there), else the first, by name, read with it; another file's document with that id is
    # left out (a second document under one id could not be told apart; an update by id
    # would replace the first's)
    present = set(rels)
    owners = {doc_id: rel for rel, (_sig, ids) in known.items() if rel in present
              for doc_id in ids}
    text_keys: dict[str, list[bytes]] = {}
    resting: list[tuple[Path, str, str]] = []  # the files not read, for their lines
    scan_causes: dict[str, str] = {}  # file -> why it was not read (KEPT_CAUSES), if kept
    for n, (path, rel, sig) in enumerate(zip(files, rels, sigs, strict=True), 1):
        seen.add(rel)
        if progress:
            progress("reading", n, total, rel)
        previous = known.get(rel)
        if unchanged(rel, sig):
            report.unchanged += 1
            resting.append((path, rel, sig))
            continue
        result = next(results)
        if result.columns_missing is not None:
            tables.append(result)
        if previous is not None and not redate and same_content(previous[0], result):
            report.unchanged += 1
            report.touched += 1
            touched[rel] = result.signature or sig
            resting.append((path, rel, touched[rel]))  # (read again if the lines are counted)
            continue
        its_warnings = len(report.warnings)
        report.warnings.extend(result.warnings)
        reason = result.skipped_reason
        documents = []
        dropped = 0
        its_lines = []
        its_keys = []
        taken: list[tuple[str, str]] = []  # (id, the file it belongs to) of those left out
        for doc in result.documents:
            problem, long, doc_lines, key = _checks(doc)
            if problem:
                report.warnings.append(
                    f"{printable(rel)}: {printable(str(doc.id))!r} skipped: {problem}"
                )
            elif owners.setdefault(doc.id, rel) != rel:
                taken.append((doc.id, owners[doc.id]))
            else:
                documents.append(doc)
                dropped += long
                its_lines.append(doc_lines)
                its_keys.append(key)
        if dropped:
            report.long_words += dropped
            report.warnings.append(
                f"{printable(rel)}: {counted(dropped, 'word')} longer than "
                f"{MAX_WORD_LENGTH} characters not indexed"
            )
        if taken:
            clash = ids_taken(taken, len(documents))
            if documents:
                report.warnings.append(f"{printable(rel)}: {clash}")
            elif not reason:
                reason = clash
        if not reason and not documents:
            reason = "no document that can be indexed"
        if reason:
            indexed = previous is not None or rel in held
            if check_columns and indexed and rel.lower().endswith(_TABLES):
                emptied.append(f"{printable(rel)}: {reason}")
            cause = _kept_cause(result, reason)
            if cause:
                scan_causes[rel] = cause
            if previous is not None and result.unreadable:
                # it may still hold what was indexed: keep that, and say so
                report.keep(cause)
                reason += "; what was indexed from it is kept"
            elif previous is not None and reason == EMPTY_FILE:
                # emptied (by mistake?): the index may hold its only copy of the text
                report.emptied.append(printable(rel))
                resting.append((path, rel, previous[0]))  # (its lines counted as they were)
                reason += f"; {_its_documents(len(previous[1]))} {_EMPTIED_KEPT}"
            elif previous is not None and reason.startswith(BINARY_FILE):
                # text written over (random bytes, an image saved under its name): the index
                # may hold its only copy of the text, kept as an emptied file's is
                report.keep(cause)
                resting.append((path, rel, previous[0]))
                reason += f"; {_its_documents(len(previous[1]))} {_OVERWRITTEN_KEPT}"
            elif previous is not None:
                # it no longer holds that text (a link leading out, ...)
                removed.append(rel)
                reason += f"; {_its_documents(len(previous[1]))} removed from the index"
            report.skipped.append((printable(rel), reason))
            continue
        changed.append((rel, result.signature or sig, documents))
        lines.add_file(rel, result.signature or sig, [d.body for d in documents], its_lines)
        text_keys[rel] = its_keys
        report.warned[rel] = report.warnings[its_warnings:]
        if previous is None:
            report.indexed += 1
        elif same_stat(previous[0], sig) or same_content(previous[0], result):
            report.reread += 1  # (unchanged, read again by redate: not an update)
        else:
            report.updated += 1
    report.warnings.extend(_mapped_columns(tables, check_columns))
    if emptied:  # (before anything is written: the index keeps what it held)
        more = f" (and {len(emptied) - 1} more)" if len(emptied) > 1 else ""
        raise ColumnsError(f"The new column mapping leaves nothing to read in {emptied[0]}"
                           f"{more}; the index is unchanged: give the mapping that names its "
                           "text")
    # the files of a folder that cannot be read now are kept, not deleted; so are PDF and
    # Word files indexed before, now that their reader is not installed
    unread = [folder for folder, _ in unread_folders]
    kept_unread = {f for f in known if f not in seen and _under_any(f, unread)}
    unreadable_kinds = set(DOCUMENT_EXTENSIONS) - readable_extensions()
    kept_documents = [f for f in known if f not in seen and f not in kept_unread
                      and os.path.splitext(f)[1].lower() in unreadable_kinds]
    if kept_documents:
        n = len(kept_documents)
        report.warnings.append(
            f"{counted(n, 'PDF or Word file')} indexed before cannot be read "
            f"without the documents extra: what was indexed from {'them' if n != 1 else 'it'} "
            f"is kept; to read {'them' if n != 1 else 'it'}: {DOCUMENTS_EXTRA}")
        kept_unread.update(kept_documents)
    gone = [f for f in known if f not in seen and f not in kept_unread] + removed
    report.deleted = len(gone)
    emptied_folders = [folder for folder, why in unread_folders
                       if why.startswith((NOW_EMPTY, NOW_GONE))]
    for f in kept_unread:
        report.keep("needs_extra" if f in kept_documents else
                    "folder_emptied" if _under_any(f, emptied_folders) else "folder_unreadable")
    for folder, why in unread_folders:
        held = sum(_under_any(f, [folder]) for f in kept_unread)
        if held:
            why += f"; the documents of its {counted(held, 'indexed file')} are kept"
        report.skipped.append((printable(folder), why))
    report.warnings.extend(rows_dating_nothing(date_rules, changed, known, gone, id_prefix, given))
    # the folder's repeated lines, counted over all of it (its other files read if some went)
    rest = None if known and not changed and not gone else resting
    boilerplate, reread = folder_boilerplate(lines, boilerplate_before, rest, recorded_lines or {},
                                             partial(read_resting, read=read, procs=asked), changed)
    if boilerplate:  # (copies are told by the text as read: keys before it is stripped)
        for rel, _sig, docs in changed:
            if rel not in text_keys:
                text_keys[rel] = [text_key(doc.title, doc.body) for doc in docs]
    report.note_boilerplate(boilerplate, strip_items(changed, boilerplate), reread)
    if progress and changed:  # from here on the bar counts documents, from 0
        progress("writing", 0, sum(len(docs) for _, _, docs in changed), "")
    return Scan(str(root_path), id_prefix, report, changed, gone, boilerplate, date_rules,
                source=source, columns=dict(columns or {}), touched=touched,
                text_keys=text_keys, lines=lines.entries, unread=scan_causes,
                unread_folders=[folder for folder, _ in unread_folders])


#: the files a column mapping reads (CSV, JSON Lines)
_TABLES = (".csv", ".jsonl")


def _mapped_columns(tables: list[FileResult], check: bool) -> list[str]:
    """The warnings on the CSV and JSON Lines files read by a column mapping (``tables``)
    that lack a column it names (read without it: a file may lack a column its folder's
    others hold). ``check`` (a mapping given anew): a column that none of them holds is
    a mistake (a misspelt name), a :class:`~corpus_search.errors.ColumnsError` naming the
    columns of the first."""
    absent = set.intersection(*(set(t.columns_missing or ()) for t in tables)) if tables else ()
    if check and absent:
        others = ("; nor has any other CSV or JSON Lines file of the folder"
                  if len(tables) > 1 else "")
        raise ColumnsError(printable(f"{tables[0].columns_error}{others}"))
    return [printable(f"{t.columns_error}; {t.columns_read}") for t in tables if t.columns_error]


def _read(item: tuple[Path, str | None], **options: Any) -> FileResult:
    """:func:`read_file` of ``item``'s path, given the digest of what was indexed from it."""
    path, digest = item
    return read_file(path, indexed_digest=digest, **options)


#: what is worked out of each document read, as its file's result comes in: why it cannot
#: be indexed (``None``: it can), how many of its words are too long to index, the
#: :func:`~corpus_search.ingest.boilerplate.body_lines` of its body and its
#: :func:`~corpus_search.ingest.model.text_key` (of a document that can be indexed). (Worked
#: out by the forked process reading a share of the files, they cost more CPU than they saved
#: wall time: pickled back, and unpickled here, with the documents.)
DocumentChecks = tuple[str | None, int, frozenset[str], bytes]


def _checks(doc: Document) -> DocumentChecks:
    problem = text_problem(doc)
    if problem:
        return problem, 0, frozenset(), b""
    return (None, long_words(doc.title) + long_words(doc.body), body_lines(doc.body),
            text_key(doc.title, doc.body))


def exact_copies(
    documents: Iterable[Document], keys: Iterable[bytes] | None = None
) -> list[tuple[str, str]]:
    """``(id, id of the first)`` for each document whose title and body are those of one
    before it, word for word (spacing aside): news archives hold the same story under two
    files, and counts and results show it twice. ``keys``: each document's
    :func:`~corpus_search.ingest.model.text_key`, if worked out already."""
    first: dict[bytes, str] = {}
    copies: list[tuple[str, str]] = []
    pairs = (zip(documents, keys, strict=True) if keys is not None
             else ((doc, text_key(doc.title, doc.body)) for doc in documents))
    for doc, key in pairs:
        original = first.setdefault(key, doc.id)
        if original != doc.id:
            copies.append((doc.id, original))
    return copies


def reading_only(progress: ProgressCallback | None) -> ProgressCallback | None:
    """``progress`` told only of the reading phase."""
    if progress is None:
        return None

    def reading(phase: str, done: int, total: int, item: str) -> None:
        if phase == "reading":
            progress(phase, done, total, item)

    return reading


def offset(written: Callable[[int], None], before: int) -> Callable[[int], None]:
    """A writer's ``progress(done)`` counted on from the ``before`` documents written first."""
    return lambda done: written(before + done)


def writing_progress(
    progress: ProgressCallback | None, total: int
) -> Callable[[int], None] | None:
    """The writer's ``progress(done)`` as phases of ``progress``: ``"writing"`` at most
    every 0.1 s, then ``"committing"`` once every document is in (the writer still finishes
    its segments, and the commit follows)."""
    if progress is None:
        return None
    last = 0.0

    def written(done: int) -> None:
        nonlocal last
        now = time.monotonic()
        if last < 0:  # already committing
            return
        if done >= total:
            last = -1.0
            progress("writing", total, total, "")
            progress("committing", 0, 0, "")
        elif now - last >= 0.1:
            last = now
            progress("writing", done, total, "")

    return written


def _under_any(rel: str, folders: Sequence[str]) -> bool:
    """Whether the file ``rel`` lies in one of ``folders`` (``"sub/"``; ``"./"`` is all)."""
    return any(folder == "./" or rel.startswith(folder) for folder in folders)


#: what the report says of an emptied file whose documents are kept, after "its document"
_EMPTIED_KEPT = ("kept (emptied by mistake? its text is still in the index); delete the file to "
                "drop it (--rebuild drops it too: a rebuild keeps only what the files hold now)")


#: what the report says of a text file now binary whose documents are kept
_OVERWRITTEN_KEPT = ("kept (written over by mistake? its text is still in the index); delete "
                     "the file to drop it (--rebuild drops it too)")

#: how the reason for skipping a binary file begins (:func:`decode`)
BINARY_FILE = "binary file"


#: how the reason for skipping a CSV file with a quote never closed begins (:func:`open_quote`)
UNCLOSED_QUOTE = "unclosed quote"


def _kept_cause(result: FileResult, reason: str) -> str:
    """Why the documents indexed from the file of ``result``, skipped for ``reason``, are
    kept (a key of :data:`~corpus_search.ingest.report.KEPT_CAUSES`, or "emptied": an empty
    file's); "" if they are not (the file no longer holds them: a link leading out, ...)."""
    if result.unreadable:
        return "unclosed_quote" if reason.startswith(UNCLOSED_QUOTE) else "unreadable"
    if reason == EMPTY_FILE:
        return "emptied"
    return "written_over" if reason.startswith(BINARY_FILE) else ""


def _its_documents(n: int) -> str:
    return "its document" if n == 1 else f"its {n} documents"


def identity(doc: Document) -> Document:
    return doc


def first_document(item: tuple[Document, str]) -> Document:
    return item[0]


#: ``progress(phase, done, total, item)`` while a folder is indexed. Phases, in order:
#: ``"reading"`` (files: ``item`` is the file), ``"writing"`` (documents analysed and written
#: to new segments) and ``"committing"`` (``total`` 0: no count, it ends when the call does).
#: A run that finds, under the write lock, that another process indexed the folder meanwhile
#: reads it again: ``"reading"`` comes again after ``"writing"`` began.
ProgressCallback = Callable[[str, int, int, str], None]


PROGRESS_PHASES = ("reading", "writing", "committing")
