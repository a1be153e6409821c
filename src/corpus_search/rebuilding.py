"""Rebuilding: every folder of an index written again into a new generation, which replaces
the old one in one commit (:func:`~corpus_search.index.rebuild_index`). Folders are read as
:mod:`corpus_search.ingesting` reads them and written as :mod:`corpus_search.indexing` writes
them; the old generation is read only for what a rebuild keeps of it (ids, folder records) and
never needed: a damaged index is rebuilt from its files."""

from __future__ import annotations

import contextlib
import os
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.errors import (
    DocumentIndexError,
    IndexCorruptError,
    LexiconMissingError,
    SourceFolderError,
)
from corpus_search.folder_ids import assign_ids
from corpus_search.indexing import (
    FolderNaming,
    document_fields,
    field_maker,
    folder_naming,
    moved_dates_file,
)
from corpus_search.ingest.arguments import check_run_arguments
from corpus_search.ingest.columns import columns_record, recorded_columns
from corpus_search.ingest.dates import DateOptions, DateRules
from corpus_search.ingest.files import printable
from corpus_search.ingest.folders import check_sources
from corpus_search.ingest.model import (
    DOCUMENT_EXTENSIONS,
    DOCUMENTS_EXTRA,
    Document,
    readable_extensions,
)
from corpus_search.ingest.report import KEPT_CAUSES, REBUILD_STOPS, emptied_subfolders
from corpus_search.ingesting import (
    IndexReport,
    ProgressCallback,
    Scan,
    auto_procs,
    first_document,
    offset,
    reading_only,
    scan_folder,
    writing_progress,
)
from corpus_search.moving import moved_folders, record_taken_up
from corpus_search.repeated import boilerplate_record
from corpus_search.store.collection import check_index_place, with_warnings
from corpus_search.store.columns import document_body
from corpus_search.store.files import latest_generation
from corpus_search.store.generations import index_location, read_only_searcher
from corpus_search.store.handle import IndexHandle
from corpus_search.store.meta import (
    as_path_list,
    current_meta,
    date_options_of,
    date_record,
    gone_folders_message,
    gone_roots,
    reading_record,
    rebuild_without,
    recorded_folders,
    recorded_lexicon,
    root_record,
    set_recorded_ids,
    source_record,
    utc_now,
)
from corpus_search.store.schema import document_from_fields, structural_schema
from corpus_search.store.writer import BulkSegmentWriter
from corpus_search.store.writing import add_all, transaction
from corpus_search.terminal import counted

__all__ = ["folders_to_rebuild", "rebuild_folders"]


def rebuild_folders(
    path: str | os.PathLike[str] | None,
    folders: Sequence[str | os.PathLike[str]],
    *,
    id_prefix: str | None,
    lexicon: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
    procs: int | None,
    progress: ProgressCallback | None,
    dates: str | os.PathLike[str] | None,
    date_from_path: str | None,
    date_from: str | Sequence[str] | None,
    lock_timeout: float,
    source: str | None = None,
    columns: Mapping[str, str] | str | None = None,
) -> list[IndexReport]:
    """:func:`~corpus_search.index.rebuild_index`: check everything, then :func:`_rebuild`."""
    check_run_arguments(procs, dates, date_from_path, date_from)
    target = index_location(path)
    check_index_place(target)
    roots = check_sources(folders, target)
    old = current_meta(target)
    moves = moved_folders(target, old, roots, lock_timeout)
    moved = {new: move.old for new, move in moves.items()}
    if moves:  # (each takes up its old place's record; see record_taken_up)
        held = dict((old or {}).get("roots") or {})
        old = {**(old or {}), "roots": {**held, **{move.old: record_taken_up(held, move, new)
                                                   for new, move in moves.items()}}}
    key = {root: moved.get(str(root), str(root)) for root in roots}  # (its record's)
    recorded_dates = date_options_of(old)
    date_rules = [
        recorded_dates.get(key[root], DateOptions()).updated(
            sidecar=dates if dates is not None or key[root] == str(root)
            else moved_dates_file(root_record(old, key[root]), key[root], root),
            path_pattern=date_from_path, guesses=date_from,
        ).rules()
        for root in roots
    ]
    namings = [folder_naming(root_record(old, key[root]), id_prefix, source, columns)
               for root in roots]
    if lexicon is None:
        extras = recorded_lexicon(old)
        for p in extras:
            if not os.path.isfile(p):
                missing = (f"The index at {target} was built with the lexicon file {p}, "
                           "which is missing (moved or deleted): put it back, give its new "
                           "place with")
                raise LexiconMissingError(
                    f"{missing} lexicon=[...], or rebuild without it with lexicon=[].", target,
                ).for_cli(f"{missing} --lexicon, or rebuild without it with --no-lexicon.")
    else:
        extras = as_path_list(lexicon)
    lex = load_lexicon(extras or None)
    remapped = [key[root] for root, naming in zip(roots, namings, strict=True)
                if naming.columns != recorded_columns(root_record(old, key[root]))]
    # the documents a program added (read from no folder) are part of the collection: a
    # rebuild from folders carries them over (none when the index is replaced by an empty one)
    before = _held(target) if roots else Held({}, [])
    files = [before.files.get(key[root], {}) for root in roots]
    held = [frozenset(its) if key[root] in remapped else frozenset()
            for root, its in zip(roots, files, strict=True)]
    added = before.added
    if latest_generation(target) < 0:
        # nothing committed yet: start from an empty index, so that a kill during the build
        # leaves one (a folder of segments without a table of contents stays as it is)
        with contextlib.suppress(IndexCorruptError):
            IndexHandle(target, as_path_list(extras), lock_timeout).open(create=True)
    store = IndexHandle.next_generation(target, lex, lock_timeout)
    reports = _rebuild(store, roots, namings, procs, progress, date_rules, held, added, files)
    for report in reports:
        report.moved_from = moved.get(report.root, "")
        report.copies = sorted(moves[report.root].copies) if report.root in moves else []
    return reports


def folders_to_rebuild(target: Path) -> list[Path]:
    """The folders the index at ``target`` records, to rebuild it from when none are named;
    a :class:`~corpus_search.errors.SourceFolderError` if it records none or one is gone."""
    folders = recorded_folders(target)
    if not folders:
        problem = (f"No folders to rebuild from: the index at {target} records none (there is "
                   "no index there, or its documents were added by a program). Name them")
        raise SourceFolderError(f"{problem}: rebuild_index(path, [folder, ...]).").for_cli(
            f"{problem}: corpus-search index FOLDER... --rebuild")
    gone = gone_roots(folders)
    if gone:  # (check_sources would refuse it as "not a folder", and say no more)
        raise SourceFolderError(
            gone_folders_message(target, gone, command=False),
            rebuild_command=rebuild_without(target, gone),
        ).for_cli(gone_folders_message(target, gone))
    return folders


class Held(NamedTuple):
    """What the index a rebuild replaces holds: per folder (its record's key), each file's
    number of documents; and the documents a program added (:func:`_held`)."""

    files: dict[str, dict[str, int]]
    added: list[Document]


def _held(target: Path) -> Held:
    """What the index at ``target`` holds (:class:`Held`), read once from its stored fields,
    whatever lexicon built it (a lexicon file since gone included). The documents a program
    added (:meth:`~corpus_search.index.CorpusIndex.add_documents`, of no folder) come whole:
    every field a document states is stored (its body in its own column), so each is written
    again as it was added, analysed anew. Nothing if the index cannot be read (a damaged
    index is rebuilt from its files)."""
    if latest_generation(target) < 0:
        return Held({}, [])
    files: dict[str, dict[str, int]] = {}
    added = []
    try:
        with read_only_searcher(target, structural_schema()) as searcher:
            for docnum, fields in searcher.reader().iter_docs():
                if root := fields.get("root"):
                    files.setdefault(root, Counter())[fields.get("file", "")] += 1
                else:
                    added.append(document_from_fields(
                        {**fields, "body": document_body(searcher, docnum)}))
    except Exception:  # (damage shows as any error of Whoosh's readers: struct, EOF, pickle)
        return Held({}, [])
    return Held(files, added)


#: how a file whose documents a rebuild would lose is made readable, by cause
_READABLE = {"unreadable": "make it readable", "folder_unreadable": "make its folder readable",
             "unclosed_quote": "close the quote",
             "needs_extra": f"install the documents extra ({DOCUMENTS_EXTRA})"}

#: what an unclosed quote's reason ends with (an incremental run's advice)
_CLOSE_IT = "; close it and index again"


def _unread_held(scan: Scan, files: Mapping[str, int], target: Path) -> None:
    """Check what the rebuild's ``scan`` of a folder leaves out of the documents the old index
    held of its ``files`` (file -> documents): a file that may still hold its text (it cannot
    be read now, a CSV quote never closed, its folder cannot be read, a PDF without the
    documents extra: :data:`~corpus_search.ingest.report.REBUILD_STOPS`) stops the rebuild
    with a :class:`~corpus_search.errors.SourceFolderError`, the index as it was; the others
    a rebuild is for dropping (written over, emptied, in a folder emptied or gone) are
    counted in the report's ``dropped_for``. A file deleted is dropped as an update drops it."""
    read = {rel for rel, _sig, _docs in scan.changed}
    unreadable_kinds = set(DOCUMENT_EXTENSIONS) - readable_extensions()
    present = read | set(scan.unread) | {rel for rel, _why in scan.report.skipped}
    emptied = (["./"] if files and not present and not scan.unread_folders else
               [sub for sub, _why in emptied_subfolders(Path(scan.root_key), files, present,
                                                        scan.unread_folders)])
    causes: dict[str, str] = {}
    for rel in files:
        if rel in read:
            continue
        if rel in scan.unread:
            causes[rel] = scan.unread[rel]
        elif any(folder == "./" or rel.startswith(folder) for folder in scan.unread_folders):
            causes[rel] = "folder_unreadable"
        elif os.path.splitext(rel)[1].lower() in unreadable_kinds:
            causes[rel] = "needs_extra"
        elif any(folder == "./" or rel.startswith(folder) for folder in emptied):
            causes[rel] = "folder_emptied"
    stops = sorted((rel, cause) for rel, cause in causes.items() if cause in REBUILD_STOPS)
    if stops:
        rel, cause = stops[0]
        why = dict(scan.report.skipped).get(printable(rel), "")
        for folder in scan.unread_folders:
            if folder == "./" or rel.startswith(folder):
                why = f"{printable(folder)}: {dict(scan.report.skipped).get(printable(folder))}"
        why = why.removesuffix(_CLOSE_IT) or KEPT_CAUSES[cause][0]
        more = f", and of {counted(len(stops) - 1, 'other file')}," if len(stops) > 1 else ""
        raise SourceFolderError(
            f"Cannot rebuild the index at {target}: the {counted(files[rel], 'document')} it "
            f"holds of {printable(rel)} in {scan.root_key}{more} would be lost, as a rebuild "
            f"reads only what files hold now and it cannot be read now ({why}); the index is "
            f"unchanged: {_READABLE[cause]} (or delete the file to drop its documents) and "
            "rebuild again")
    for cause in causes.values():
        scan.report.dropped_for[cause] = scan.report.dropped_for.get(cause, 0) + 1


def _carried_over(
    added: Sequence[Document], scans: Sequence[Scan], target: Path
) -> list[tuple[Document, str]]:
    """``added`` (:func:`_added_documents`) as items to write, none of them under an id a
    folder's document now holds: that would replace it (or it the folder's), so the rebuild
    stops, the index as it was, naming them (a program can delete them first)."""
    ids = {doc.id for scan in scans for doc, _sig in scan.items()}
    clashing = [doc.id for doc in added if doc.id in ids]
    if clashing:
        more = f" (and {len(clashing) - 1} more)" if len(clashing) > 1 else ""
        raise DocumentIndexError(
            f"Cannot rebuild the index at {target}: the document {clashing[0]!r}{more}, added "
            "by a program, has the id of a document read from a folder, which would replace "
            "it; the index is unchanged: delete it first (CorpusIndex.delete) to keep the "
            "folder's, or give it another id")
    return [(doc, "") for doc in added]


def _rebuild(
    store: IndexHandle,
    roots: Sequence[Path],
    namings: Sequence[FolderNaming],
    procs: int | None,
    progress: ProgressCallback | None,
    date_rules: Sequence[DateRules],
    held: Sequence[frozenset[str]],
    added: Sequence[Document] = (),
    files: Sequence[Mapping[str, int]] = (),
) -> list[IndexReport]:
    """Write every folder (with its id prefix and publisher, dated by its ``date_rules``) into
    a new generation (``store`` is a :meth:`~IndexHandle.next_generation` handle) and commit it
    in one go. The ids each folder gave its documents before (``reserved`` of its naming, see
    :func:`~corpus_search.folder_ids.assign_ids`) are kept, so that a rebuild does not rename
    documents. ``held``: for each folder given a new column mapping, the files the old index
    held of it (the mapping must leave those of them that are CSV or JSON Lines files
    something to read). ``added``: the documents a program added, carried over (counted in
    the first folder's report, :attr:`~corpus_search.ingest.report.IndexReport.carried`).
    ``files``: for each folder, the old index's documents per file, which the rebuild drops
    only saying so, and never those of a file that may still hold them (:func:`_unread_held`)."""
    started = time.perf_counter()
    reading = reading_only(progress)  # the writing phase counts every folder's documents
    scans = [
        scan_folder(root, naming.prefix, {}, frozenset(), reading, rules, procs=procs,
                    source=naming.publisher, columns=naming.columns, check_columns=True,
                    held=its_files)
        for root, naming, rules, its_files in zip(roots, namings, date_rules, held, strict=True)
    ]
    for scan, its_files in zip(scans, files, strict=True):
        _unread_held(scan, its_files, store.path)
    taken: set[str] = set()
    for scan, naming in zip(scans, namings, strict=True):
        scan.ids = assign_ids(scan, taken.__contains__, naming.reserved, set())
        taken.update(doc.id for doc, _sig in scan.items())
    carried = _carried_over(added, scans, store.path)
    total = sum(len(scan.items()) for scan in scans) + len(carried)
    use_procs = procs if procs is not None else auto_procs(total)
    if progress and total:
        progress("writing", 0, total, "")
    written = writing_progress(progress, total)

    def work(writer: BulkSegmentWriter) -> None:
        done_before = 0
        for scan in scans:
            items = scan.items()
            scan.report.documents += add_all(
                writer, items, field_maker(scan, store.lexicon), use_procs, replace=False,
                doc_of=first_document,
                progress=None if written is None else offset(written, done_before),
            )
            done_before += len(items)
        if carried:  # (as a program adds them: from no folder, of no file)
            scans[0].report.carried = add_all(
                writer, carried, lambda item: document_fields(item[0], store.lexicon),
                use_procs, replace=False, doc_of=first_document,
                progress=None if written is None else offset(written, done_before),
            )
        now = utc_now()
        store.save_generation_meta({
            scan.root_key: with_warnings(set_recorded_ids({
                "id_prefix": scan.id_prefix,
                **boilerplate_record(scan.boilerplate, scan.lines),
                **date_record(scan.date_rules),
                **source_record(scan.source),
                **columns_record(scan.columns),
                **reading_record(now),
            }, scan.ids), scan.report.warned)
            for scan in scans
        }, writer.generation, now)
        if progress and not total:  # (else the writer said so when its last one was in)
            progress("committing", 0, 0, "")

    transaction(store, use_procs, work)
    seconds = time.perf_counter() - started
    for scan in scans:
        scan.report.seconds = seconds
    return [scan.report for scan in scans]
