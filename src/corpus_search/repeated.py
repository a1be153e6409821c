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
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from corpus_search.ingest.boilerplate import body_lines, removed_lines, strip_boilerplate
from corpus_search.ingest.model import Document, FileResult, text_problem
from corpus_search.ingest.signatures import content_digest, same_stat
from corpus_search.store.parallel import auto_procs, map_forked

__all__ = ["FolderLines", "boilerplate_record", "folder_boilerplate", "min_documents",
           "read_resting", "recorded_lines", "removed_from"]

#: a file of a folder as a scan holds it: (relative name, signature, its documents)
Item = tuple[str, str, list[Document]]
#: what a folder's record keeps a file's lines under (:func:`boilerplate_record`), and their
#: version: bump it when the lines counted (``body_lines``) or their digests change, so that
#: a record's lines of another version are not used (the files are read once for them)
LINES_KEY, LINES_VERSION = "repeated_lines", 1
_DIGEST = 8  # bytes of a line's or a body's digest


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=_DIGEST).digest()


class FolderLines:
    """The lines counted in a folder's documents (each distinct body's ``body_lines``, by
    digest) and, for its record, each counted file's entry: its signature and, for each of
    its documents, the digests of its body and its lines."""

    def __init__(self) -> None:
        self.counts: Counter[bytes] = Counter()
        self.texts: dict[bytes, str] = {}  # digest -> line, for the lines read
        self.bodies = 0
        self.entries: dict[str, str] = {}
        self._seen: set[bytes] = set()

    def add_file(self, rel: str, sig: str, bodies: list[str],
                 lines: list[frozenset[str]] | None = None) -> None:
        """Count the documents of a file read (their ``bodies``; ``lines``: the
        ``body_lines`` of each, if worked out already)."""
        out = bytearray()
        for n, body in enumerate(bodies):
            digests = [self._text(line) for line in (body_lines(body) if lines is None
                                                     else lines[n])]
            out += _digest(body) + len(digests).to_bytes(4, "big") + b"".join(digests)
            self._count(_digest(body), digests)
        self.bodies += len(bodies)
        self.entries[rel] = f"{sig} {base64.b64encode(bytes(out)).decode('ascii')}"

    def add_entry(self, rel: str, sig: str, entry: str) -> set[bytes]:
        """Count the documents of a file (its signature now ``sig``) from its record's
        ``entry``; its lines' digests."""
        data = entry.partition(" ")[2]
        raw, at, held = base64.b64decode(data), 0, set()
        while at < len(raw):
            body, n = raw[at:at + _DIGEST], int.from_bytes(raw[at + _DIGEST:at + _DIGEST + 4])
            at += _DIGEST + 4  # (int.from_bytes: big-endian, as to_bytes wrote it)
            digests = [raw[at + i * _DIGEST:at + (i + 1) * _DIGEST] for i in range(n)]
            at += n * _DIGEST
            self._count(body, digests)
            held.update(digests)
            self.bodies += 1
        self.entries[rel] = f"{sig} {data}"  # (a file touched since: its signature now)
        return held

    def add_texts(self, bodies: Iterable[str]) -> None:
        """Learn the lines of ``bodies`` (counted already, from their record)."""
        for body in bodies:
            for line in body_lines(body):
                self._text(line)

    def common(self, min_docs: int) -> set[bytes]:
        """The digests of the lines counted in at least ``min_docs`` distinct bodies."""
        return {digest for digest, n in self.counts.items() if n >= min_docs}

    def _text(self, line: str) -> bytes:
        digest = _digest(line)
        self.texts[digest] = line
        return digest

    def _count(self, body: bytes, digests: list[bytes]) -> None:
        if body not in self._seen:  # (identical bodies count once, as find_boilerplate's)
            self._seen.add(body)
            self.counts.update(digests)


def recorded_lines(record: dict[str, Any]) -> dict[str, str]:
    """The files' entries a folder's ``record`` keeps (:class:`FolderLines`), if of this
    version."""
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
    found = lines.common(min_documents(lines.bodies))
    was = {_digest(line): line for line in before}
    moved = found ^ set(was)
    if not moved:
        return before, {}
    read += _read_for_lines(reader([(path, rel, sig) for path, rel, sig in resting
                                    if rel in held and not held[rel].isdisjoint(moved)]),
                            lines, count=False)
    texts = {**was, **lines.texts}
    now = frozenset(texts[digest] for digest in found if digest in texts)
    again = [(item, warnings) for item, warnings in read if any(
        strip_boilerplate(doc.body, now) != strip_boilerplate(doc.body, before)
        for doc in item[2])]
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
            lines.add_texts(doc.body for doc in docs)
        out.append(((rel, sig, docs), list(result.warnings)))
    return out


def removed_from(items: Iterable[Item], boilerplate: frozenset[str]) -> list[tuple[str, int]]:
    """Each boilerplate line removed from the documents of ``items`` (normalised) and from
    how many of them, the most frequent first: what the run's report names."""
    if not boilerplate:
        return []
    counts: Counter[str] = Counter()
    for _rel, _sig, docs in items:
        for doc in docs:
            counts.update(removed_lines(doc.body, boilerplate))
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
