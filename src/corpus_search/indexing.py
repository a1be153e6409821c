"""Indexing runs: writing what folder scans read into an index.

:mod:`corpus_search.ingesting` reads a folder against what the index holds (nothing written);
this module writes it, in one transaction under the write lock (:mod:`corpus_search.store.writing`):
:func:`index_folder` brings one folder up to date (the phases of
:meth:`~corpus_search.index.CorpusIndex.index_directory`), and :func:`document_fields` is what a
document is written as; :mod:`corpus_search.rebuilding` writes every folder into a new
generation with them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.analysis.analyzer import document_parties, text_chunks
from corpus_search.analysis.lexicon import Lexicon
from corpus_search.analysis.surface import WORDS_FIELD, surface_terms_of
from corpus_search.errors import (
    DocumentIndexError,
)
from corpus_search.folder_ids import assign_ids, held_by_another_folder
from corpus_search.ingest.arguments import check_run_arguments
from corpus_search.ingest.columns import column_mapping, columns_record, recorded_columns
from corpus_search.ingest.dates import DateOptions
from corpus_search.ingest.files import printable
from corpus_search.ingest.model import Document, text_key, text_problem, type_name
from corpus_search.ingest.report import emptied_for_good
from corpus_search.ingest.signatures import content_digest, same_stat
from corpus_search.ingesting import (
    IndexReport,
    ProgressCallback,
    Scan,
    auto_procs,
    first_document,
    scan_folder,
    writing_progress,
)
from corpus_search.moving import FolderMove, record_taken_up
from corpus_search.planning import UNMEASURED, Planned, PlanOutdated
from corpus_search.repeated import boilerplate_record, recorded_lines
from corpus_search.store.collection import record_warnings
from corpus_search.store.columns import document_body
from corpus_search.store.handle import IndexHandle
from corpus_search.store.lines_file import with_kept_lines
from corpus_search.store.meta import (
    date_record,
    read_by_older_readers,
    reading_record,
    rebuild_command,
    rebuild_without,
    recorded_ids,
    recorded_lexicon,
    recorded_touched,
    set_recorded_ids,
    set_recorded_touched,
    source_record,
    utc_now,
)
from corpus_search.store.schema import period_start, to_datetime
from corpus_search.store.writer import BulkSegmentWriter
from corpus_search.store.writing import add_all, transaction
from corpus_search.terminal import counted

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = [
    "FolderNaming",
    "document_fields",
    "field_maker",
    "folder_naming",
    "index_folder",
    "moved_dates_file",
]


def document_fields(
    doc: Document, lexicon: Lexicon, root: str = "", sig: str = ""
) -> dict[str, Any]:
    """The fields ``doc`` is written with (what the writer's ``add_document`` takes), its
    parties and words found with ``lexicon``: ``root`` and ``sig`` record the folder and file
    signature it was read from. Raises :class:`~corpus_search.errors.DocumentIndexError` for
    text that cannot be indexed."""
    problem = text_problem(doc)
    if problem:
        raise DocumentIndexError(
            f"Document {printable(str(doc.id))!r} cannot be indexed: {problem}. Nothing of "
            "this write was committed; the index keeps its last commit."
        )
    fields = _stated_fields(doc, root, sig)
    fields["body"] = doc.body
    # split once: the chunks (and the hashes they keep) serve both readings of the text (the
    # analyzer's chunks, with its sentence ends, which hold no word)
    chunks = text_chunks(doc.title), text_chunks(doc.body)
    fields[WORDS_FIELD] = surface_terms_of(chain(*chunks), lexicon.stopwords)
    parties = document_parties(doc.title, doc.body, lexicon, chunks=chunks)
    if parties:
        fields["party"] = ",".join(parties)
    return fields


def _stated_fields(doc: Document, root: str, sig: str) -> dict[str, Any]:
    """The fields of ``doc`` that are what it states, not what analysis makes of it (the
    parties and words follow from the title and body with the index's lexicon)."""
    date = to_datetime(period_start(doc.date, doc.date_precision))
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": doc.title,
        "body_text": doc.body.encode("utf-8"),
        "root": root,
        "file": doc.path or "",
        "file_sig": sig,
        "url": doc.url or "",
    }
    if date is not None:
        fields["date"] = date
        fields["year"] = str(date.year)
        fields["date_source"] = doc.date_source or "user"
        if doc.date_precision not in (None, "day"):  # (a day's is left out: most dates are)
            fields["date_precision"] = doc.date_precision
    if doc.source:
        fields["source"] = doc.source
    return fields


#: the stored fields a document read again must hold as they are to be left as indexed
_STATED = ("title", "root", "file", "url", "date", "date_source", "date_precision", "source")


def _keep_read_the_same(
    store: IndexHandle,
    scan: Scan,
    known: dict[str, tuple[str, list[str]]],
    reserved: dict[str, str],
) -> None:
    """Leave out of ``scan`` the unchanged files read again only because the run reads every
    file (read by older readers, under other date rules) whose documents came out as the
    index holds them: written anew they cost what a rebuild costs (every document analysed
    and written) and leave the index as it was. They count as unchanged, not re-read."""
    same: set[int] = set()
    with store.ix.searcher() as searcher:
        for n, (rel, sig, docs) in enumerate(scan.changed):
            held = known.get(rel)
            if held is None or not same_stat(held[0], sig):
                continue
            given = {reserved.get(doc.id, doc.id): doc for doc in docs}
            if sorted(given) == sorted(held[1]) and all(
                _holds(searcher, doc_id, doc, scan) for doc_id, doc in given.items()
            ):
                same.add(n)
    if same:
        scan.changed[:] = [item for n, item in enumerate(scan.changed) if n not in same]
        scan.report.reread -= len(same)
        scan.report.unchanged += len(same)
        scan.report.read_the_same += len(same)


def _holds(searcher: Searcher, doc_id: str, doc: Document, scan: Scan) -> bool:
    """Whether the index of ``searcher`` holds ``doc`` of ``scan`` as ``doc_id``, as it would
    be written now (its folder's boilerplate taken out)."""
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        return False
    stated = _stated_fields(doc, scan.root_key, "")
    stored = searcher.stored_fields(docnum)
    return all((stored.get(k) or None) == (stated.get(k) or None) for k in _STATED) and (
        document_body(searcher, docnum).encode("utf-8") == stated["body_text"]
    )


def field_maker(
    scan: Scan, lexicon: Lexicon
) -> Callable[[tuple[Document, str]], dict[str, Any]]:
    """``to_fields`` for the items of a folder scan (stripped of its boilerplate by the scan),
    root recorded."""
    root_key = scan.root_key

    def to_fields(item: tuple[Document, str]) -> dict[str, Any]:
        doc, sig = item
        return document_fields(doc, lexicon, root_key, sig)

    return to_fields


@dataclass(frozen=True)
class FolderNaming:
    """How a folder's documents are named and attributed in a run (:func:`folder_naming`)."""

    #: the id prefix of its documents
    prefix: str
    #: its publisher, for its documents that name none ("": none)
    publisher: str
    #: natural id -> the id given instead, as recorded (none once the prefix changes: every
    #: document is named afresh)
    reserved: dict[str, str]
    #: whether the prefix, publisher or column mapping is not the recorded one: every file
    #: is read again
    renamed: bool
    #: the columns its CSV and JSON Lines files hold each field in (:func:`column_mapping`)
    columns: dict[str, str] = field(default_factory=dict)


def folder_naming(
    record: dict[str, Any], id_prefix: str | None, source: str | None,
    columns: Mapping[str, str] | str | None = None,
) -> FolderNaming:
    """The id prefix, publisher and column mapping a folder is read with: those given, else
    (``None``) those its ``record`` keeps ("" or none when it keeps none); a publisher given
    is stripped, a mapping checked (:func:`column_mapping`). One rule for an incremental run
    (:func:`index_folder`) and a rebuild (:func:`rebuild_folders`)."""
    for name, value, example in (("id_prefix", id_prefix, "a prefix like 'news/'"),
                                 ("source", source, "a publisher like 'The Guardian'")):
        if value is not None and not isinstance(value, str):
            raise DocumentIndexError(f"{name} is {type_name(value)}, not text ({example}, '' "
                                     "for none); nothing was indexed.")
    recorded_prefix = record.get("id_prefix", "")
    recorded_source = record.get("source", "")
    recorded = recorded_columns(record)
    prefix = recorded_prefix if id_prefix is None else id_prefix
    publisher = recorded_source if source is None else source.strip()
    mapping = recorded if columns is None else column_mapping(columns)
    return FolderNaming(
        prefix,
        publisher,
        recorded_ids(record) if prefix == recorded_prefix else {},
        prefix != recorded_prefix or publisher != recorded_source or mapping != recorded,
        mapping,
    )


# -- one folder, incrementally --------------------------------------------------------------

def index_folder(
    store: IndexHandle,
    root_path: Path,
    known: dict[str, tuple[str, list[str]]],
    *,
    id_prefix: str | None,
    progress: ProgressCallback | None,
    procs: int | None,
    dates: str | os.PathLike[str] | None,
    date_from_path: str | None,
    date_from: str | Sequence[str] | None,
    source: str | None = None,
    columns: Mapping[str, str] | str | None = None,
    move: FolderMove | None = None,
    planned_on: int | None = None,
) -> IndexReport:
    """Bring the folder ``root_path`` up to date in the index of ``store``, which holds
    ``known`` of it (see :func:`known_files`; ``planned_on``: in the generation it was read
    from, ``None`` when the index was not made): read new and changed files, then write them,
    delete what is gone and record the folder, in one transaction; with no file changed,
    record the folder alone if its record changed (a folder the index holds nothing of is
    not recorded). The options are those of
    :meth:`~corpus_search.index.CorpusIndex.index_directory` (``None`` keeps what the folder's
    record says). An index not made yet (``store.exists`` false) is made only if the folder
    has a document to write. ``move``: the folder the index records that ``root_path`` is,
    moved (:func:`~corpus_search.moving.moved_here`; ``known`` is what the index holds of
    it): its record is taken up, and every file written again under its documents' ids (the
    copies an earlier version made of them at the new place removed).

    The plan (what is new, changed and gone) is made before the write lock is taken, so that
    reading the files waits for no other writer; under the lock it is checked
    (:meth:`Planned.holds`), and if another process indexed the folder meanwhile,
    :class:`PlanOutdated` is raised and nothing written: the caller plans again, against
    what the index now holds (:meth:`~corpus_search.index.CorpusIndex.index_directory`)."""
    check_run_arguments(procs, dates, date_from_path, date_from)
    root_key, moved_from = str(root_path), move.old if move else None
    roots = store.meta.get("roots", {})
    records = {key: roots.get(key) for key in (root_key, moved_from) if key is not None}
    planned = Planned(planned_on, known, move.here if move else {})
    before = _record_before(store, roots, move, root_key)
    known = move.held if move else known
    if moved_from is not None and dates is None:  # (a dates file in the folder moved with it)
        dates = moved_dates_file(before, moved_from, root_path)
    naming = folder_naming(before, id_prefix, source, columns)
    prefix, publisher, reserved = naming.prefix, naming.publisher, naming.reserved
    date_rules = DateOptions.from_dict(before.get("dates")).updated(
        sidecar=dates, path_pattern=date_from_path, guesses=date_from).rules()
    touched = _touched_since_written(known, recorded_touched(before))
    known = {rel: (touched.get(rel, sig), ids) for rel, (sig, ids) in known.items()}
    # documents dated under other rules, named with another prefix, given another publisher,
    # read by older readers or of a folder moved (its new place) are read again, unchanged too
    redate = before.get("dates_fingerprint", date_rules.fingerprint) != date_rules.fingerprint
    reread = bool(known) and read_by_older_readers(before)
    scan = scan_folder(
        root_path, prefix, known, frozenset(before.get("boilerplate", [])), progress,
        date_rules, redate or naming.renamed or reread or moved_from is not None, procs=procs,
        source=publisher, columns=naming.columns, recorded_lines=recorded_lines(before),
        check_columns=naming.columns != recorded_columns(before), given=reserved,
    )
    if known and root_key in store.meta.get("roots", {}):  # (a folder emptied: its command)
        scan.report.skipped = emptied_for_good(scan.report.skipped, *_dropping(store, root_key))
    scan.report.read_by_older_readers = reread
    scan.report.measured = sum(known.get(rel, ("",))[0] == UNMEASURED for rel, _, _ in scan.changed)
    if move is not None:
        _count_moved(scan, move, known)
    elif (redate or reread) and not naming.renamed and store.exists:
        _keep_read_the_same(store, scan, known, reserved)
    rewritten = {rel for rel, _sig, _docs in scan.changed} | set(scan.gone)
    kept = {i for rel, (_sig, ids) in known.items() if rel not in rewritten for i in ids}
    record = {**{k: v for k, v in before.items() if k != "columns"}, "id_prefix": prefix,
              **boilerplate_record(scan.boilerplate, scan.lines), **date_record(date_rules),
              **source_record(publisher), **columns_record(naming.columns)}
    set_recorded_ids(record, {n: i for n, i in reserved.items() if i in kept})
    set_recorded_touched(record, {
        rel: sig for rel, sig in touched.items() if rel not in rewritten
    } | scan.touched)
    scan.report.earlier_warnings = record_warnings(record, before, known, rewritten,
                                                   scan.report.warned)

    # a pending index (``create="on_write"``) is made only for a document to write
    if scan.items() if not store.exists else scan.changed or scan.gone:
        _write_folder(store, scan, known, record, reserved, kept, procs, progress, move,
                      partial(planned.holds, store, root_key=root_key, records=records,
                              moved_from=moved_from))
    elif (known or root_key in store.meta.get("roots", {})) and (
        record != before or reread
        or recorded_lexicon(store.meta) != list(store.lexicon.extra_paths)
    ):
        # new boilerplate or date options, files read by today's readers, or a lexicon file
        # given a new place (a folder the index holds nothing of is not recorded: a rebuild
        # would read it again and again)
        store.meta.setdefault("roots", {})[root_key] = {**record, **reading_record(utc_now())}
        store.save_meta_alone(root_key)
    return scan.report


def _record_before(
    store: IndexHandle, roots: dict[str, Any], move: FolderMove | None, root_key: str
) -> dict[str, Any]:
    """The record of the folder ``root_key`` before the run (of the folder it was, moved),
    with its files' lines (kept in the lines file of the index)."""
    record = record_taken_up(roots, move, root_key) if move else dict(roots.get(root_key) or {})
    return with_kept_lines(store.path, record)


def _count_moved(scan: Scan, move: FolderMove, known: dict[str, tuple[str, list[str]]]) -> None:
    """The report of a folder found moved (every file read again): the old place's files read
    the same are the files that moved. The new place's own files, where an earlier version
    indexed it as a new folder, read the same are left as they are (unchanged, not written
    again), and the copies it made of the old place's files are removed (named)."""
    own = set(move.here) - set(move.known)
    same = {n for n, (rel, sig, _docs) in enumerate(scan.changed)
            if rel in own and _read_the_same(known[rel][0], sig)}
    if same:
        scan.changed[:] = [item for n, item in enumerate(scan.changed) if n not in same]
        scan.report.reread -= len(same)
        scan.report.unchanged += len(same)
    scan.report.moved_from, scan.report.moved = move.old, scan.report.reread
    scan.report.reread = 0
    scan.report.copies = sorted(move.copies)


def _read_the_same(recorded: str, signature: str) -> bool:
    """Whether a file read again (its ``signature`` now) is the one indexed (``recorded``):
    the same size and time, or the same content digest."""
    digest = content_digest(recorded)
    return same_stat(recorded, signature) or (
        digest is not None and digest == content_digest(signature))


def moved_dates_file(record: dict[str, Any], old: str, new: Path) -> str | None:
    """The dates file of a folder's ``record`` at its new place, when it lay in the folder
    (``old``, now ``new``); ``None`` when it lies elsewhere or there is none (the record's
    stands)."""
    sidecar = DateOptions.from_dict(record.get("dates")).sidecar
    if not sidecar or not Path(sidecar).is_relative_to(old):
        return None
    return str(new / Path(sidecar).relative_to(old))


def _dropping(store: IndexHandle, root_key: str) -> tuple[str, str]:
    """The commands that drop the documents of the folder ``root_key`` from the index of
    ``store``: a rebuild from its other folders, each as it was indexed, or from the folder
    alone (an empty index) when it is the only one; and those of one of its subfolders, a
    rebuild of every folder (which reads only what the files hold now)."""
    roots = store.meta.get("roots", {})
    every = rebuild_command(store.path, store.meta)
    if set(roots) - {root_key}:
        return rebuild_without(store.path, [root_key], store.meta), every
    return every, every


def _touched_since_written(
    known: dict[str, tuple[str, list[str]]], touched: dict[str, str]
) -> dict[str, str]:
    """The signatures a folder's record keeps of touched files (``touched``) that still
    describe what the index holds of them (``known``: the same content digest), so a file
    written again since (by another process) is compared with what it was written from."""
    return {
        rel: sig for rel, sig in touched.items()
        if rel in known and content_digest(sig) is not None
        and content_digest(sig) == content_digest(known[rel][0])
    }


def _moved_records(
    searcher: Searcher, scan: Scan, known: dict[str, tuple[str, list[str]]]
) -> list[str]:
    """A warning for each file read again whose records without an id field moved to other
    lines: their ids number the lines, so an id that named one record now names another
    (a row deleted above them), and a citation or an export of it points elsewhere."""
    warnings = []
    for rel, _sig, docs in scan.changed:
        if rel not in known or not any("#" in doc_id for doc_id in known[rel][1]):
            continue  # (a text file's id is its name; a record's with an id field stays)
        before: dict[str, tuple[bytes, str]] = {}  # id -> (its text's key, its title)
        for doc_id in known[rel][1]:
            for docnum in searcher.document_numbers(id=doc_id):
                title = searcher.stored_fields(docnum).get("title", "")
                body = document_body(searcher, docnum)
                before[doc_id] = (text_key(title, body), _called(title, body))
        was = {key: doc_id for doc_id, (key, _title) in before.items()}
        # an id that named one record and now names another record that had another id
        moved = [(doc.id, _called(doc.title, doc.body)) for doc in docs
                 if "#" in doc.id and doc.id in before
                 and was.get(text_key(doc.title, doc.body), doc.id) != doc.id]
        if moved:
            (first, title), n = moved[0], len(moved)
            ids = ("their ids (their lines) named other records" if n != 1 else
                   "its id (its line) named another record")
            warnings.append(printable(
                f"{rel}: {counted(n, 'record')} without an id moved to other "
                f"lines, so {ids} before ({first} was {before[first][1]}, now {title}): "
                "give the file an id column to keep each record's id (--columns id=COLUMN)"))
    return warnings


def _called(title: str, body: str) -> str:
    """A record as a warning names it: its title, or the first words of an untitled one."""
    if title:
        return repr(title)
    words = body.split()
    return repr(" ".join(words[:6]) + (" …" if len(words) > 6 else "")) + " (no title)"


def _write_folder(
    store: IndexHandle,
    scan: Scan,
    known: dict[str, tuple[str, list[str]]],
    record: dict[str, Any],
    reserved: dict[str, str],
    kept: set[str],
    procs: int | None,
    progress: ProgressCallback | None,
    move: FolderMove | None = None,
    as_planned: Callable[[Searcher, int], bool] = lambda _searcher, _generation: True,
) -> None:
    """The writing phase of :func:`index_folder`: ids, deletions, documents, the folder's
    ``record``, then the commit. ``move``: the folder's old place, whose documents these
    are (their ids its own), and whose record goes once none of them is left there.
    ``as_planned(searcher, generation)``: whether the index still holds of the folder what
    ``scan`` was planned on, asked under the write lock (no: :class:`PlanOutdated`)."""
    root_key, moved_from = scan.root_key, move.old if move else None
    items = scan.items()
    use_procs = procs if procs is not None else auto_procs(len(items))
    # (the old place's record goes once none of its documents is left there)
    left = kept & {i for _sig, ids in move.known.values() for i in ids} if move else kept

    def work(writer: BulkSegmentWriter) -> None:
        # ids are chosen under the write lock, against what the index holds now
        with store.ix.searcher() as searcher:
            if not as_planned(searcher, writer.generation - 1):
                raise PlanOutdated(root_key)
            ids = assign_ids(scan, held_by_another_folder(searcher, root_key, moved_from),
                             reserved, kept)
            scan.report.warnings.extend(_moved_records(searcher, scan, known))
        set_recorded_ids(record, ids)
        items[:] = scan.items()
        for rel in scan.gone:
            for doc_id in known[rel][1]:
                writer.delete_by_term("id", doc_id)
        for rel, _sig, _docs in scan.changed:
            if rel in known:
                for doc_id in known[rel][1]:
                    writer.delete_by_term("id", doc_id)
        scan.report.documents += add_all(
            writer, items, field_maker(scan, store.lexicon), use_procs, replace=bool(known),
            doc_of=first_document, progress=writing_progress(progress, len(items)),
        )
        store.meta.setdefault("roots", {})[root_key] = {**record, **reading_record(utc_now())}
        store.save_meta(writer.generation - 1, root_key, dropped=None if left else moved_from)
        if progress and not items:  # (else the writer said so when its last one was in)
            progress("committing", 0, 0, "")

    transaction(store, use_procs, work)
