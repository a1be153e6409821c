"""Checking an index, in the spirit of Lucene's CheckIndex: is it damaged, what is recoverable?

:func:`check_index` reads everything and writes nothing: the metadata file, the newest table
of contents, and every segment it names (the stored fields of every document, the body column,
the postings of every term, positions included), and cross-checks them: document counts
against the table of contents, postings against the segment's documents, the ``id`` postings
against the stored ids. The library runs it before it ever calls an index damaged;
``corpus-search check`` prints its report.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import operator
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from corpus_search.analysis.analyzer import ANALYZER_VERSION
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.errors import IndexLockedError, IndexNotFoundError, Note
from corpus_search.store.files import (
    INDEX_NAME,
    LINES_FILENAME,
    META_FILENAME,
    committed_segment_names,
    folder_contents,
    is_own_file,
    latest_generation,
    tree_usage,
)
from corpus_search.store.generations import index_location
from corpus_search.store.lines_file import lines_notes
from corpus_search.store.meta import INDEX_FORMAT, gone_roots, meta_for_generation, rebuild_command
from corpus_search.store.recovery import (
    HeldFiles,
    held_twice,
    lexicon_part,
    recorded_roots,
    recoverable_lines,
)
from corpus_search.store.schema import build_schema

__all__ = ["CHECK_ATTEMPTS", "CheckReport", "SegmentCheck", "check_index"]


#: problems listed per segment before the rest are only counted
_MAX_LISTED = 10
#: checks of an index made at most while other processes' commits replace what they read
CHECK_ATTEMPTS = 5


@dataclass
class SegmentCheck:
    """What checking one segment found."""

    name: str
    documents: int = 0
    deleted: int = 0
    terms: int = 0
    postings: int = 0
    readable_documents: int = 0
    problems: list[str] = field(default_factory=list)
    unlisted_problems: int = 0

    def problem(self, text: str) -> None:
        """Record ``text``, a problem of this segment (past the first few, only counted)."""
        if len(self.problems) < _MAX_LISTED:
            self.problems.append(text)
        else:
            self.unlisted_problems += 1


@dataclass
class CheckReport:
    """The outcome of :func:`check_index`.

    ``status`` is ``"healthy"``, ``"damaged"`` (``problems`` says what is wrong) or
    ``"outdated"`` (intact, but built by another version or lexicon: ``notes`` says which;
    a rebuild makes it searchable again). ``notes`` also lists what is harmless (leftovers of
    interrupted writes, other files in the folder); ``recoverable`` says what survives.
    """

    path: str
    status: str
    generation: int
    documents: int
    segments: list[SegmentCheck]
    problems: list[str]
    notes: list[str]
    recoverable: list[str]
    rebuild_command: str

    @property
    def healthy(self) -> bool:
        """Whether the check found nothing wrong (``status`` is ``"healthy"``)."""
        return self.status == "healthy"

    def summary(self) -> str:
        """The first problem and how many there are, in one sentence."""
        problems = self.all_problems()
        if not problems:
            return "no problems found."
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        return f"{problems[0]}{more}."

    def all_problems(self) -> list[str]:
        """Every problem found, the index's own first, then each segment's named after it
        (``"segment NAME: ..."`` for each one a segment found but did not list)."""
        listed = list(self.problems)
        for seg in self.segments:
            listed += [f"segment {seg.name}: {p}" for p in seg.problems]
            listed += [f"segment {seg.name}: ..."] * seg.unlisted_problems
        return listed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``check --json`` prints it: every field (each segment's as a dict),
        then ``healthy``."""
        data = asdict(self)
        data["healthy"] = self.healthy
        return data


def check_index(
    path: str | os.PathLike[str] | None = None, *, lexicon: Lexicon | None = None
) -> CheckReport:
    """Check the index at ``path`` (default: the user's default index) without changing it.

    ``lexicon`` is the lexicon the caller searches with (default: the one the index records,
    or the bundled one if a recorded file is missing); it only decides whether the index is
    ``"outdated"``. Raises :class:`IndexNotFoundError` if there is no index at ``path``.

    Another process may commit while the check reads (a commit removes the files of the
    generations before it): what the check found amiss is damage only if the generation it
    read is still the newest when it ends, and the check is made again otherwise. An index
    still changing after :data:`CHECK_ATTEMPTS` checks raises :class:`IndexLockedError`.
    (Every check made while another process committed used to call the index damaged, and
    the library, checking before it says so, called it damaged and to be rebuilt.)
    """
    target = index_location(path).absolute()
    try:
        contents = folder_contents(target)
    except OSError:
        contents = None
    if contents is None or not contents.holds_index:
        raise IndexNotFoundError(f"No corpus_search index at {target}.", target)
    for _attempt in range(CHECK_ATTEMPTS):
        report = _check_newest(target, contents, lexicon)
        if report.status != "damaged" or latest_generation(target) == report.generation:
            return report
    raise IndexLockedError(
        f"The index at {target} changed {CHECK_ATTEMPTS} times while it was checked: another "
        "process is writing it. Try again when that has finished.", target)


def _check_newest(target: Path, contents: Any, lexicon: Lexicon | None) -> CheckReport:
    """:func:`check_index` of the newest generation of the index at ``target`` (its folder
    holding ``contents``), once."""
    problems: list[str] = []
    notes: list[str] = []
    generation = latest_generation(target)
    meta = _check_meta(target, generation, problems)
    if meta is not None:
        _check_identity(meta, lexicon, notes)
        notes += lines_notes(target, meta)
    storage = FileStorage(str(target))
    schema = build_schema(load_lexicon())  # reading files needs no user lexicon
    segments: list[SegmentCheck] = []
    toc = _read_toc(storage, schema, generation, problems)
    stored_roots: Counter[str] = Counter()
    live_ids: Counter[str] = Counter()
    # (the files of each folder, kept only when a folder the index records is gone: moved?)
    files: HeldFiles | None = {} if gone_roots((meta or {}).get("roots") or {}) else None
    if toc is not None:
        for segment in toc.segments:
            segments.append(_check_segment(storage, schema, segment, stored_roots, live_ids,
                                           files))
        duplicates = [i for i, n in live_ids.items() if n > 1]
        if duplicates:
            notes.append(
                f"{len(duplicates)} ids belong to more than one document (e.g. "
                f"{duplicates[0]!r}); searches show each of them"
            )
        _note_leftovers(target, toc, notes)
    if contents.foreign:
        notes.append(
            f"{len(contents.foreign)} other files in the folder are not the index's and are "
            f"left alone: {', '.join(contents.foreign[:5])}"
        )
    damaged = bool(problems) or any(seg.problems for seg in segments)
    documents = sum(seg.documents - seg.deleted for seg in segments)
    readable = sum(seg.readable_documents for seg in segments)
    roots = recorded_roots(meta, stored_roots)
    command = rebuild_command(target, {"roots": roots, **lexicon_part(meta)})
    moved = held_twice(target, files or {}, notes)
    recoverable = recoverable_lines(damaged, documents, readable, roots, stored_roots, meta, moved)
    status = "damaged" if damaged else "outdated" if any(
        n.startswith("built with") for n in notes
    ) else "healthy"
    return CheckReport(
        path=str(target),
        status=status,
        generation=generation,
        documents=documents,
        segments=segments,
        problems=problems,
        notes=notes,
        recoverable=recoverable,
        rebuild_command=command,
    )


def _read_toc(storage: FileStorage, schema: Any, generation: int, problems: list[str]) -> Any:
    """The table of contents of ``generation``, or None (with the problem) when there is
    none or it cannot be read."""
    if generation < 0:
        problems.append(f"there is no table of contents (_{INDEX_NAME}_<n>.toc)")
        return None
    toc = f"the table of contents _{INDEX_NAME}_{generation}.toc"
    try:
        return TOC.read(storage, INDEX_NAME, generation, schema=schema)
    except OSError as exc:
        problems.append(f"{toc} cannot be read ({_describe(exc)})")
    except Exception:
        # Whoosh's words for bytes that are no table of contents mislead: "Index was created
        # on different architecture: saved int = 103" is what any garbage starts with
        problems.append(f"{toc} is garbled or cut short (its bytes do not read as one)")
    return None


def _check_meta(path: Path, generation: int, problems: list[str]) -> dict[str, Any] | None:
    """The metadata describing ``generation``, or ``None`` (with the problem recorded)."""
    try:
        with open(path / META_FILENAME, encoding="utf-8") as fh:
            raw = json.load(fh)
    except FileNotFoundError:
        problems.append(f"the metadata file {META_FILENAME} is missing")
        return None
    except ValueError as exc:
        problems.append(f"the metadata file {META_FILENAME} is not valid JSON ({exc})")
        return None
    except OSError as exc:
        problems.append(f"the metadata file {META_FILENAME} cannot be read ({exc.strerror})")
        return None
    if not isinstance(raw, dict):
        problems.append(f"the metadata file {META_FILENAME} is not a JSON object")
        return None
    meta = meta_for_generation(raw, generation)
    if meta is None:
        problems.append(
            f"the metadata file {META_FILENAME} does not describe the newest table of "
            f"contents (generation {generation})"
        )
        return None
    for key, kind in (("roots", dict), ("lexicon_extra", list)):
        if key in meta and not isinstance(meta[key], kind):
            problems.append(f"the metadata's {key!r} is a {type(meta[key]).__name__}")
    return meta


def _check_identity(meta: dict[str, Any], lexicon: Lexicon | None, notes: list[str]) -> None:
    """Notes on how the index was built, if this version would build it otherwise."""
    extra = meta.get("lexicon_extra") if isinstance(meta.get("lexicon_extra"), list) else []
    missing = [p for p in extra if isinstance(p, str) and not os.path.isfile(p)]
    for p in missing:
        said = f"the user lexicon file {p} it was built with is missing (put it back or give its "
        notes.append(Note(f"{said}new place in lexicon=[...])",
                          f"{said}new place with --lexicon)"))
    if lexicon is None and not missing:
        try:
            lexicon = load_lexicon([p for p in extra if isinstance(p, str)] or None)
        except Exception as exc:
            notes.append(f"its user lexicon files cannot be loaded ({_describe(exc)})")
    if meta.get("format") != INDEX_FORMAT:
        notes.append(f"built with index format {meta.get('format')} (this version: "
                     f"{INDEX_FORMAT})")
    if meta.get("analyzer_version") != ANALYZER_VERSION:
        notes.append(f"built with analyzer version {meta.get('analyzer_version')} (this "
                     f"version: {ANALYZER_VERSION})")
    if lexicon is not None and meta.get("lexicon_fingerprint") != lexicon.fingerprint:
        notes.append(f"built with lexicon {str(meta.get('lexicon_fingerprint'))[:12]} (the "
                     f"current lexicon is {lexicon.fingerprint[:12]})")


def _check_segment(
    storage: FileStorage, schema: Any, segment: Any, stored_roots: Counter[str],
    live_ids: Counter[str], files: HeldFiles | None = None,
) -> SegmentCheck:
    seg = SegmentCheck(name=segment.segment_id())
    try:
        seg.documents = segment.doc_count_all()
        seg.deleted = segment.deleted_count() if segment.has_deletions() else 0
    except Exception as exc:
        seg.problem(f"its entry in the table of contents is unreadable ({_describe(exc)})")
        return seg
    if segment.is_compound() and not storage.file_exists(segment.make_filename(".seg")):
        seg.problem(f"its file {segment.make_filename('.seg')} is missing")
        return seg
    try:
        reader = SegmentReader(storage, schema, segment)
    except Exception as exc:
        seg.problem(f"it cannot be opened ({_describe(exc)})")
        return seg
    try:
        if reader.doc_count_all() != seg.documents:
            seg.problem(f"it holds {reader.doc_count_all()} documents; the table of contents "
                        f"says {seg.documents}")
        stored_ids = _check_documents(reader, seg, stored_roots, live_ids, files)
        _check_postings(reader, seg, stored_ids)
    except Exception as exc:  # whatever reading damaged data raises
        seg.problem(f"reading it failed ({_describe(exc)})")
    finally:
        try:
            reader.close()
        except Exception as exc:
            seg.problem(f"it cannot be closed ({_describe(exc)})")
    return seg


def _check_documents(
    reader: SegmentReader, seg: SegmentCheck, stored_roots: Counter[str],
    live_ids: Counter[str], files: HeldFiles | None = None,
) -> dict[int, str]:
    """Read every document's stored fields and body; return the stored id of each (and
    note each live one's file in ``files``, if given)."""
    count = reader.doc_count_all()
    column = None
    if reader.has_column("body_text"):
        try:
            column = reader.column_reader("body_text", translate=False)
            if len(column) != count:
                seg.problem(f"its body column holds {len(column)} values for {count} documents")
                column = None
        except Exception as exc:
            seg.problem(f"its body column cannot be read ({_describe(exc)})")
    elif count:
        seg.problem("it has no body column")
    ids: dict[int, str] = {}
    for docnum in range(count):
        try:
            fields = reader.stored_fields(docnum)
            if column is not None:
                column[docnum].decode("utf-8")
        except Exception as exc:
            seg.problem(f"document {docnum} cannot be read ({_describe(exc)})")
            continue
        doc_id = fields.get("id")
        if not isinstance(doc_id, str):
            seg.problem(f"document {docnum} has no id")
            continue
        ids[docnum] = doc_id
        if not reader.is_deleted(docnum):
            seg.readable_documents += 1
            live_ids[doc_id] += 1
            stored_roots[str(fields.get("root", ""))] += 1
            if files is not None:
                held = files.setdefault(str(fields.get("root", "")), {})
                rel = str(fields.get("file", ""))
                held.setdefault(rel, (str(fields.get("file_sig", "")), []))[1].append(doc_id)
    return ids


def _check_postings(reader: SegmentReader, seg: SegmentCheck, stored_ids: dict[int, str]) -> None:
    """Read every posting of every term: document numbers in range and increasing, as many
    as the term's statistics say, values (positions) readable; ``id`` postings point at the
    documents with that id.

    Each term is looked up once and its postings read a block at a time
    (:func:`_sound_postings`); a term whose postings that finds anything amiss with (or
    cannot read) is read again posting by posting (:func:`_term_problems`), which says what
    is wrong, so that a problem is found and worded one way. (Reading every term's postings
    one by one, looked up twice, took 1.6 s of the 1.8 s of checking the BBC index.)"""
    count = reader.doc_count_all()
    deletions = reader.has_deletions()
    deleted = reader.deleted_docs_set  # (those reader.postings leaves out)
    for fieldname, btext in reader.all_terms():
        seg.terms += 1
        try:
            info = reader.term_info(fieldname, btext)
            seen = _sound_postings(reader, fieldname, btext, info, count,
                                   (deleted, deletions), stored_ids)
        except Exception:
            seen = None
        if seen is None:
            seen = _term_problems(reader, seg, fieldname, btext, count, deletions, stored_ids)
        seg.postings += seen


def _sound_postings(reader: SegmentReader, fieldname: str, btext: bytes, info: Any, count: int,
                    deletions: tuple[frozenset[int], bool],
                    stored_ids: dict[int, str]) -> int | None:
    """How many postings of the term (its term info ``info``) name live documents, or None
    if anything about them is not as :func:`_term_problems` would accept it: each block's
    document numbers and values read whole, every number checked at once. ``deletions``:
    the documents the segment's postings leave out, and whether it says it has any."""
    deleted, has_deletions = deletions
    terms = reader._terms
    matcher = terms._codec.postings_reader(terms._postfile, info,
                                           reader.schema[fieldname].format,
                                           term=(fieldname, btext))
    if isinstance(matcher, W3LeafMatcher):
        ids: list[int] = []
        while not matcher._atend:
            matcher._read_ids()
            matcher._read_values()
            length = matcher._blocklength
            if length <= 0 or len(matcher._ids) != length or len(matcher._values) < length:
                return None
            ids += matcher._ids
            matcher._next_block()
    else:  # (postings kept in the term's own record)
        ids, values = matcher._ids, matcher._values
        if values and (len(values) < len(ids) or any(isinstance(v, list) for v in values)):
            return None
    if not ids or ids[0] < 0 or ids[-1] >= count or \
            not all(map(operator.lt, ids, itertools.islice(ids, 1, None))):
        return None
    live = len(ids) - len(deleted.intersection(ids)) if deleted else len(ids)
    if fieldname == "id":
        stored = (stored_ids.get(docnum) for docnum in ids if docnum not in deleted)
        if any(doc_id is not None and doc_id.encode("utf-8") != btext for doc_id in stored):
            return None
    if live != info.doc_frequency() and not (has_deletions and live < info.doc_frequency()):
        return None
    return live


def _term_problems(reader: SegmentReader, seg: SegmentCheck, fieldname: str, btext: bytes,
                   count: int, deletions: bool, stored_ids: dict[int, str]) -> int:
    """Read the term's postings one by one as a search would, noting each problem they have;
    return how many were read."""
    where = f"the postings of {fieldname}:{btext[:40]!r}"
    seen = 0
    try:
        frequency = reader.term_info(fieldname, btext).doc_frequency()
        matcher = reader.postings(fieldname, btext)
        last = -1
        while matcher.is_active():
            docnum = matcher.id()
            matcher.value()
            if not last < docnum < count:
                seg.problem(f"{where} name document {docnum} (out of order or range)")
                break
            if fieldname == "id" and docnum in stored_ids and \
                    stored_ids[docnum].encode("utf-8") != btext:
                seg.problem(f"{where} point at document {docnum}, whose id is "
                            f"{stored_ids[docnum]!r}")
            last = docnum
            seen += 1
            matcher.next()
    except Exception as exc:
        seg.problem(f"{where} cannot be read ({_describe(exc)})")
        return 0
    if seen != frequency and not (deletions and seen < frequency):
        seg.problem(f"{where} list {seen} documents; its statistics say {frequency}")
    return seen


def _note_leftovers(path: Path, toc: TOC, notes: list[str]) -> None:
    """Note the files of writes that never committed (harmless; the next write removes
    them)."""
    committed = tuple(f"{name}." for name in committed_segment_names(toc))
    kept = (META_FILENAME, LINES_FILENAME, f"{INDEX_NAME}_WRITELOCK")
    leftovers, size = 0, 0
    for name in os.listdir(path):
        if not is_own_file(name) or name in kept or name.endswith(".toc") or \
                name.startswith(committed):
            continue
        item = path / name
        if item.is_dir() and not item.is_symlink():  # a writer's scratch folder
            files, size_inside = tree_usage(item)
            leftovers += files
            size += size_inside
            continue
        leftovers += 1
        with contextlib.suppress(OSError):
            size += item.stat().st_size
    if leftovers:
        said = (f"{leftovers} files ({size:,} bytes) are left from interrupted writes; they "
                "are not part of the index, and the next indexing run that changes the index "
                "(or ")
        notes.append(Note(f"{said}a rebuild, rebuild_index({str(path)!r}, [])) removes them",
                          f"{said}`corpus-search index --rebuild`) removes them"))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
