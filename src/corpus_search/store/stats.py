"""What ``corpus-search stats`` reports of an index (:class:`IndexStats`): counts from its
columns and postings, its size on disk, and its provenance from the metadata.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.query import Every
from whoosh.searching import Searcher

from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.errors import CorpusSearchError, Note
from corpus_search.ingest.files import is_bundled_seeds
from corpus_search.store.columns import facet_counts, folder_counts
from corpus_search.store.files import META_FILENAME, is_own_file, latest_generation
from corpus_search.store.generations import read_only_searcher
from corpus_search.store.meta import (
    INDEX_FORMAT,
    gone_roots,
    meta_for_generation,
    read_json,
    rebuild_call,
    rebuild_call_without,
    rebuild_command,
    rebuild_without,
    recorded_lexicon,
    update_command,
    version_problems,
)
from corpus_search.store.schema import build_schema
from corpus_search.store.versions import built_by_a_newer_version, version_message
from corpus_search.store.w3 import unmeasured_lengths
from corpus_search.terminal import counted

__all__ = [
    "Contents",
    "IndexStats",
    "count_contents",
    "count_folders",
    "gone_folders_note",
    "index_notes",
    "index_stats",
    "stats_as_built",
    "unmeasured_documents",
    "unmeasured_folders",
]


@dataclass
class IndexStats:
    """A summary of an index: size, provenance and what it holds."""

    path: str
    documents: int
    files: int
    size_bytes: int
    analyzer_version: str
    lexicon_fingerprint: str
    roots: list[str]
    sources: dict[str, int]
    parties: dict[str, int]
    years: dict[str, int]
    last_modified: str | None
    #: the documents that name no party (the party counts need not add up: a document names
    #: any number)
    without_party: int = 0
    #: each folder's documents and files: {folder: {"documents": n, "files": n}}
    folders: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the extra lexicon files (``--lexicon``) the index was built with, as it records them
    lexicon_files: list[str] = field(default_factory=list)
    #: what a reader should know about the index, in sentences: the bundled seed articles
    #: beside your own folders, a folder it was built from that is no folder any more; each
    #: with the :func:`corpus_search.rebuild_index` call that rebuilds the index without them
    #: (:class:`~corpus_search.errors.Note`\ s: their ``cli_message``, the command line)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``stats --json`` prints it: every field, by its name."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Contents:
    """What an index holds, counted through one searcher (:func:`count_contents`)."""

    documents: int
    #: documents per value of ``source``, ``party`` and ``year``
    groups: dict[str, dict[str, int]]
    #: each folder's documents and files
    folders: dict[str, dict[str, int]]
    #: the folder of each document whose body is longer than the index recorded
    #: (:func:`unmeasured_folders`)
    unmeasured: tuple[str, ...] = ()
    #: the documents that name no party
    without_party: int = 0


def count_contents(searcher: Searcher) -> Contents:
    """Count what the index of ``searcher`` holds (call it inside the index's guard)."""
    groups = facet_counts(searcher, Every())
    folders = count_folders(searcher)
    documents = searcher.doc_count()
    return Contents(
        documents=documents,
        groups=groups,
        folders=folders,
        unmeasured=unmeasured_folders(searcher),
        without_party=documents - sum(1 for _ in searcher.docs_for_query(Every("party"))),
    )


def unmeasured_folders(searcher: Searcher) -> tuple[str, ...]:
    """The folder ("": added otherwise) of each document of the index of ``searcher`` whose
    body passes the longest length Whoosh's length byte holds and whose exact length the
    index lacks: written by a version before it kept them (call it inside the index's
    guard)."""
    return tuple(searcher.stored_fields(d).get("root", "") for d in unmeasured_documents(searcher))


def unmeasured_documents(searcher: Searcher) -> list[int]:
    """The numbers of the documents :func:`unmeasured_folders` names the folders of:
    ``index`` writes their files again, with their exact lengths."""
    return [
        base + d
        for leaf, base in searcher.reader().leaf_readers()
        for d in unmeasured_lengths(leaf, "body")
    ]


def index_stats(contents: Contents, path: Path, meta: dict[str, Any]) -> IndexStats:
    """The stats of the index at ``path`` that holds ``contents``, described by its record
    ``meta``."""
    groups, folders = contents.groups, contents.folders
    size = sum(
        p.stat().st_size for p in path.iterdir() if p.is_file() and is_own_file(p.name)
    )  # the index's files, not what else the user keeps in the folder
    roots = sorted(meta.get("roots", {}))
    held = {root: folders.get(root, {"documents": 0, "files": 0}) for root in roots}
    return IndexStats(
        path=str(path),
        documents=contents.documents,
        files=sum(counts["files"] for counts in folders.values()),
        size_bytes=size,
        analyzer_version=meta.get("analyzer_version", ""),
        lexicon_fingerprint=meta.get("lexicon_fingerprint", ""),
        roots=roots,
        sources=groups["source"],
        parties=groups["party"],
        years=dict(sorted(groups["year"].items())),
        last_modified=meta.get("modified"),
        without_party=contents.without_party,
        folders=held,
        lexicon_files=recorded_lexicon(meta),
        notes=index_notes(path, meta, lambda: held, lambda: contents.unmeasured),
    )


def stats_as_built(path: Path) -> IndexStats | None:
    """The stats of the index at ``path`` that this version will not search, built with
    another analyzer version or lexicon, read as it is, without writing: what it holds is
    counted from stored columns, which neither changes. Its first note says why it must be
    rebuilt, with the command, as opening it says. ``None`` when it cannot be read so (another
    index format, a newer version, a lexicon file of its gone, a record or file unreadable):
    opening it says why."""
    try:
        meta = meta_for_generation(read_json(path / META_FILENAME), latest_generation(path))
        if meta is None or meta.get("format") != INDEX_FORMAT or built_by_a_newer_version(meta):
            return None
        lexicon = load_lexicon(recorded_lexicon(meta) or None)
        if not version_problems(meta, lexicon):
            return None
        with read_only_searcher(path, build_schema(lexicon)) as searcher:
            contents = count_contents(searcher)
    except (CorpusSearchError, OSError, ValueError):
        return None
    stats = index_stats(contents, path, meta)
    stats.notes.insert(0, Note(
        version_message(path, meta, lexicon, rebuild_call(path, meta), asked=False),
        version_message(path, meta, lexicon, rebuild_command(path, meta), asked=False)))
    return stats


def index_notes(
    path: Path,
    meta: dict[str, Any],
    held: Callable[[], dict[str, dict[str, int]]],
    unmeasured: Callable[[], Sequence[str]] = tuple,
) -> list[str]:
    """What a reader should know about the index at ``path`` described by ``meta``
    (:attr:`IndexStats.notes`); ``held`` counts each folder's documents and files
    (:func:`count_folders`), called only when a note needs them; ``unmeasured`` names the
    folders of the documents longer than the index recorded (:func:`unmeasured_folders`)."""
    roots = sorted(meta.get("roots", {}))
    gone = gone_roots(roots)
    return [
        *_seed_notes(path, meta, roots),
        *([gone_folders_note(path, gone, held(), meta)] if gone else []),
        *_unmeasured_notes(path, meta, unmeasured()),
    ]


def _unmeasured_notes(path: Path, meta: dict[str, Any], folders: Sequence[str]) -> list[str]:
    """A note when the index holds very long documents (over ~600 KB of text) measured
    short by an earlier version: they rank above the articles more about a query. Those read
    from folders still there are measured by the next ``index`` run of their folders (it
    writes their files again); others (added otherwise, their folder gone) by a rebuild."""
    if not folders:
        return []
    n = len(folders)
    which, them, their = (
        ("document is", "it", "its") if n == 1 else ("documents are", "them", "their")
    )
    if all(folder and not gone_roots([folder]) for folder in folders):
        held = "its folder" if len(set(folders)) == 1 else "their folders"
        how, command = f"index {held} again", update_command(path, set(folders))
        call = " and ".join(f"index_directory({folder!r})" for folder in sorted(set(folders)))
    else:
        how, command = "rebuild the index", rebuild_command(path, meta)
        call = rebuild_call(path, meta)
    said = (f"{n:,} {which} longer than this index recorded (it was built by an earlier "
            f"version), so searches rank {them} above articles more about the query; {how} to "
            f"rank {them} by {their} length: ")
    return [Note(said + call, said + command)]


def count_folders(searcher: Searcher) -> dict[str, dict[str, int]]:
    """Each folder's documents and files in the index of ``searcher`` (call it inside the
    index's guard)."""
    return folder_counts(searcher.reader())


def _seed_notes(path: Path, meta: dict[str, Any], roots: Sequence[str]) -> list[str]:
    """A note when the bundled seed articles sit beside your own folders (an index made
    by a version that added them to the default index on the first search)."""
    seeds = [root for root in roots if is_bundled_seeds(root)]
    if not seeds or len(seeds) == len(roots):
        return []
    without = dict(meta)
    without["roots"] = {k: v for k, v in meta.get("roots", {}).items() if k not in seeds}
    said = ("This index holds the bundled seed articles (a demo) beside your own folders; "
            "to drop them, rebuild it without them: ")
    return [Note(said + rebuild_call(path, without, folders=list(without["roots"])),
                 said + rebuild_command(path, without))]


def gone_folders_note(
    path: str | os.PathLike[str],
    gone: Sequence[str],
    held: dict[str, dict[str, int]],
    meta: dict[str, Any] | None = None,
) -> str:
    """What to tell the user of the ``gone`` folders (:func:`~corpus_search.store.meta.gone_roots`)
    of the index at ``path`` (``held``: the documents and files it holds of each folder, as
    :attr:`IndexStats.folders` counts them; ``meta``: its record, by default the one on disk):
    their documents are still searched, and how to rebuild the index without them (the
    :func:`corpus_search.rebuild_index` call; as ``cli_message``, the command line)."""
    documents = sum(held.get(folder, {}).get("documents", 0) for folder in gone)
    which = "which is no folder" if len(gone) == 1 else "which are no folders"
    said = (
        f"the index holds {counted(documents, 'document')} of "
        f"{', '.join(folder for folder in gone)}, {which} any more (moved, renamed "
        "or deleted?): they are searched with the rest until the index is rebuilt without "
        f"{'it' if len(gone) == 1 else 'them'}: "
    )
    return Note(said + rebuild_call_without(path, gone, meta),
                said + rebuild_without(path, gone, meta))


def unnamed_folders_note(
    path: str | os.PathLike[str], unnamed: Sequence[str], meta: dict[str, Any] | None
) -> str:
    """What to tell the user after a rebuild of the index at ``path`` left out the
    ``unnamed`` folders (:func:`unnamed_folders`) its record ``meta`` before the rebuild
    holds: their documents are gone from the index, and the command that adds them back,
    each folder with the options it was indexed with."""
    roots = (meta or {}).get("roots")
    kept = {k: v for k, v in roots.items() if k in set(unnamed)} if isinstance(roots, dict) else {}
    return (
        f"the rebuilt index no longer holds the documents of {', '.join(unnamed)}, which it "
        "held: --rebuild builds it from the folders named only. To add them back as they were "
        f"indexed: {rebuild_command(path, {**(meta or {}), 'roots': kept}, rebuild=False)}"
    )
