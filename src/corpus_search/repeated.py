"""A folder's repeated lines (its boilerplate, :mod:`corpus_search.ingest.boilerplate`),
counted over every document of the folder, so that the same files give the same index
however they were added: all at once, one by one in incremental runs, or rebuilt.

The folder's record keeps each counted file's lines (digests, :class:`FolderLines`), so a run
counts the files it did not read without reading them again: it reads only those whose text
the run's new or lost repeated lines change (and, once, those of an index made before the
record kept them).
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import Any

from corpus_search.ingest.boilerplate import (
    DIGEST_SIZE,
    LineCounts,
    line_digest,
    settled,
    strip_boilerplate,
    without_boilerplate,
)
from corpus_search.ingest.model import Document, FileResult, text_problem
from corpus_search.ingest.signatures import content_digest, same_stat
from corpus_search.store.lines_file import LINES_KEY
from corpus_search.store.parallel import auto_procs, map_forked

__all__ = ["FolderLines", "boilerplate_record", "folder_boilerplate", "folder_reading",
           "min_documents", "read_resting", "recorded_lines", "strip_items"]

#: a file of a folder as a scan holds it: (relative name, signature, its documents)
Item = tuple[str, str, list[Document]]
#: the version of a folder's record of its files' lines (:func:`boilerplate_record`, kept
#: under :data:`~corpus_search.store.lines_file.LINES_KEY`): bump it when the lines counted
#: (``body_lines``) or their digests (``line_digest``) change, so that a record's lines of
#: another version are not used (the files are read once for them)
LINES_VERSION = 2  # (2: a line shaped like a menu is counted however short, ingest.menus)


class FolderLines(LineCounts):
    """The lines counted in a folder's documents and, for its record, each counted file's
    entry: its signature and, for each of its documents, the digests of its body and its
    lines."""

    def __init__(self) -> None:
        super().__init__()
        self.bodies = 0
        self.entries: dict[str, str] = {}

    def add_file(self, rel: str, sig: str, bodies: list[str],
                 lines: list[frozenset[str]] | None = None) -> None:
        """Count the documents of a file read (their ``bodies``; ``lines``: the
        ``body_lines`` of each, if worked out already)."""
        out = bytearray()
        for n, body in enumerate(bodies):
            key = line_digest(body)
            digests = self.learn(body, None if lines is None else lines[n])
            out += key + len(digests).to_bytes(4, "big") + b"".join(digests)
            self.count(key, digests)
        self.bodies += len(bodies)
        self.entries[rel] = f"{sig} {base64.b64encode(bytes(out)).decode('ascii')}"

    def add_entry(self, rel: str, sig: str, entry: str) -> set[bytes]:
        """Count the documents of a file (its signature now ``sig``) from its record's
        ``entry``; its lines' digests."""
        data = entry.partition(" ")[2]
        raw, at, held = base64.b64decode(data), 0, set()
        while at < len(raw):
            body = raw[at:at + DIGEST_SIZE]
            n = int.from_bytes(raw[at + DIGEST_SIZE:at + DIGEST_SIZE + 4])
            at += DIGEST_SIZE + 4  # (int.from_bytes: big-endian, as to_bytes wrote it)
            digests = [raw[at + i * DIGEST_SIZE:at + (i + 1) * DIGEST_SIZE] for i in range(n)]
            at += n * DIGEST_SIZE
            self.count(body, digests)
            held.update(digests)
            self.bodies += 1
        self.entries[rel] = f"{sig} {data}"  # (a file touched since: its signature now)
        return held


def recorded_lines(record: dict[str, Any]) -> dict[str, str]:
    """The files' entries a folder's ``record`` keeps (:class:`FolderLines`; put in it by
    :func:`~corpus_search.store.lines_file.with_kept_lines`), if of this version."""
    kept = record.get(LINES_KEY)
    if isinstance(kept, dict) and kept.get("version") == LINES_VERSION:
        files = kept.get("files")
        return files if isinstance(files, dict) else {}
    return {}


def boilerplate_record(lines: frozenset[str], entries: dict[str, str]) -> dict[str, Any]:
    """The part of a folder's record that keeps its boilerplate ``lines`` and its files'
    lines (``entries``, :class:`FolderLines`)."""
    return {"boilerplate": sorted(lines),
            LINES_KEY: {"version": LINES_VERSION, "files": entries}}


def _vouched(entry: object, sig: str) -> bool:
    """Whether a record's ``entry`` describes the file as it is (its signature ``sig``)."""
    if not isinstance(entry, str):
        return False
    recorded = entry.partition(" ")[0]
    digest = content_digest(recorded)
    return same_stat(recorded, sig) or (digest is not None and digest == content_digest(sig))


def min_documents(bodies: int) -> int:
    """In how many of a folder's ``bodies`` documents a line must recur to be boilerplate: 3,
    or 1 in 200 of a large corpus (in a big news corpus a few genuine lines, team sheets and
    bylines, recur a handful of times). Counted over the whole folder, not a run's share."""
    return max(3, bodies // 200)


#: reads a folder's files (path, relative name, signature): (relative name, signature, result)
Reader = Callable[[list[tuple[Path, str, str]]], Iterable[tuple[str, str, FileResult]]]


def folder_boilerplate(
    lines: FolderLines, before: frozenset[str], resting: list[tuple[Path, str, str]] | None,
    recorded: dict[str, str], reader: Reader, changed: list[Item],
) -> tuple[frozenset[str], dict[str, list[str]]]:
    """The folder's boilerplate lines; the files not read for this run whose documents they
    now change are added to the files to write (``changed``), and returned by name with
    their warnings (re-read).

    ``lines``: the lines counted of the files read; ``resting``: the folder's other files
    (path, name, signature; ``None``: nothing changed, so its boilerplate ``before`` stands),
    counted from their ``recorded`` entries, or read by ``reader`` where they have none. A
    line repeated in fewer documents since a file was changed or deleted is no longer
    boilerplate, and the documents it was removed from get it back: only files holding a
    line that became or ceased to be boilerplate are read."""
    if resting is None:
        lines.entries = dict(recorded)
        return before, {}
    held: dict[str, set[bytes]] = {}
    unrecorded = []
    for path, rel, sig in resting:
        if _vouched(recorded.get(rel), sig):
            held[rel] = lines.add_entry(rel, sig, recorded[rel])
        else:
            unrecorded.append((path, rel, sig))
    read = _read_for_lines(reader(unrecorded), lines, count=True)
    found = lines.common_digests(min_documents(lines.bodies))
    was = {line_digest(line): line for line in before}
    moved = found ^ set(was)
    if not moved:
        return before, {}
    read += _read_for_lines(reader([(path, rel, sig) for path, rel, sig in resting
                                    if rel in held and not held[rel].isdisjoint(moved)]),
                            lines, count=False)
    texts = {**was, **lines.texts}
    now = frozenset(texts[digest] for digest in found if digest in texts)
    again = [(item, warnings) for item, warnings in read if any(
        folder_reading(doc, now) != folder_reading(doc, before) for doc in item[2])]
    changed += [item for item, _warnings in again]
    return now, {item[0]: list(warnings) for item, warnings in again}


def _read_for_lines(
    results: Iterable[tuple[str, str, FileResult]], lines: FolderLines, *, count: bool
) -> list[tuple[Item, list[str]]]:
    """The files of ``results`` as items with their warnings, their lines counted in
    ``lines`` (``count``), or only learnt (counted from their record already)."""
    out = []
    for rel, sig, result in results:
        docs = [doc for doc in result.documents if not text_problem(doc)]
        if count:
            lines.add_file(rel, sig, [doc.body for doc in docs])
        else:
            for doc in docs:
                lines.learn(doc.body)
        out.append(((rel, sig, docs), list(result.warnings)))
    return out


def folder_reading(doc: Document, boilerplate: frozenset[str]) -> tuple[str, str]:
    """The title and body of ``doc`` as its folder reads it, its repeated lines
    ``boilerplate`` known (a menu line passed over for the title, ``settled``, and the lines
    taken out, ``strip_boilerplate``): what a file read again is compared by."""
    doc = settled(doc, boilerplate)
    return doc.title, strip_boilerplate(doc.body, boilerplate)


def strip_items(items: list[Item], boilerplate: frozenset[str]) -> list[tuple[str, int]]:
    """Take the folder's ``boilerplate`` out of the documents of ``items`` (in place: the
    documents as they are written), their titles settled (``settled``: a repeated menu line
    is no title), and return each line removed (normalised) and from how many of them, the
    most frequent first: what the run's report names."""
    counts: Counter[str] = Counter()
    for _rel, _sig, docs in items:
        for n, doc in enumerate(docs):
            doc = settled(doc, boilerplate)
            if boilerplate:
                body, removed = without_boilerplate(doc.body, boilerplate)
                counts.update(removed)
                doc = dataclass_replace(doc, body=body)
            docs[n] = doc
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def read_resting(
    files: list[tuple[Path, str, str]], read: Callable[[tuple[Path, None]], FileResult],
    procs: int | None,
) -> Iterator[tuple[str, str, FileResult]]:
    """The folder's files not read for a run (``files``: path, relative name, signature),
    each read by ``read`` (``procs`` processes; ``None``: as many as they pay for) for its
    lines."""
    if not files:
        return
    procs = auto_procs(len(files)) if procs is None else procs
    results = map_forked(read, [(path, None) for path, _rel, _sig in files], procs)
    for (_path, rel, sig), result in zip(files, results, strict=True):
        yield rel, sig, result
