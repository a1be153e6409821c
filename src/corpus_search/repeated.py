"""A folder's repeated lines (its boilerplate, :mod:`corpus_search.ingest.boilerplate`),
counted over every document of the folder, so that the same files give the same index
however they were added: all at once, one by one in incremental runs, or rebuilt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from corpus_search.ingest.boilerplate import LineCounts, removed_lines, strip_boilerplate
from corpus_search.ingest.model import Document, FileResult, text_problem
from corpus_search.store.parallel import auto_procs, map_forked

__all__ = ["folder_boilerplate", "min_documents", "read_resting", "removed_from"]

#: a file of a folder as a scan holds it: (relative name, signature, its documents)
Item = tuple[str, str, list[Document]]


def min_documents(bodies: int) -> int:
    """In how many of a folder's ``bodies`` documents a line must recur to be boilerplate: 3,
    or 1 in 200 of a large corpus (in a big news corpus a few genuine lines, team sheets and
    bylines, recur a handful of times). Counted over the whole folder, not a run's share."""
    return max(3, bodies // 200)


def folder_boilerplate(
    lines: LineCounts, bodies: int, before: frozenset[str],
    resting: Iterable[tuple[str, str, FileResult]] | None, changed: list[Item],
) -> tuple[frozenset[str], dict[str, list[str]]]:
    """The folder's boilerplate lines; the files not read for this run whose documents they
    now change are added to the files to write (``changed``), and returned by name with
    their warnings (re-read).

    ``lines`` and ``bodies``: the lines counted and the number of documents of the files
    read; ``resting``: the folder's other files, read now for their lines (``None``: nothing
    changed, so its boilerplate ``before`` stands; every file was read: empty). A line
    repeated in fewer documents since a file was changed or deleted is no longer boilerplate,
    and the documents it was removed from get it back."""
    if resting is None:
        return before, {}
    read = [((rel, sig, [doc for doc in result.documents if not text_problem(doc)]),
             result.warnings) for rel, sig, result in resting]
    for (_rel, _sig, docs), _warnings in read:
        for doc in docs:
            lines.add(doc.body)
        bodies += len(docs)
    found = lines.common(min_documents(bodies))
    if found == before:
        return found, {}
    again = [(item, warnings) for item, warnings in read if any(
        strip_boilerplate(doc.body, found) != strip_boilerplate(doc.body, before)
        for doc in item[2])]
    changed += [item for item, _warnings in again]
    return found, {item[0]: list(warnings) for item, warnings in again}


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
    procs = auto_procs(len(files)) if procs is None else procs
    results = map_forked(read, [(path, None) for path, _rel, _sig in files], procs)
    for (_path, rel, sig), result in zip(files, results, strict=True):
        yield rel, sig, result
