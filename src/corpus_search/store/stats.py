"""What ``corpus-search stats`` reports of an index (:class:`IndexStats`): counts from its
columns and postings, its size on disk, and its provenance from the metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.query import Every
from whoosh.searching import Searcher

from corpus_search.ingest.files import is_bundled_seeds
from corpus_search.store.columns import facet_counts, folder_counts
from corpus_search.store.files import is_own_file
from corpus_search.store.meta import rebuild_command

__all__ = ["Contents", "IndexStats", "count_contents", "index_stats"]


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
    #: each folder's documents and files: {folder: {"documents": n, "files": n}}
    folders: dict[str, dict[str, int]] = field(default_factory=dict)
    #: what a reader should know about the index, in sentences (the bundled seed articles
    #: beside your own folders, and how to drop them)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Contents:
    """What an index holds, counted through one searcher (:func:`count_contents`)."""

    documents: int
    #: documents per value of ``source``, ``party`` and ``year``
    groups: dict[str, dict[str, int]]
    #: each folder's documents and files
    folders: dict[str, dict[str, int]]


def count_contents(searcher: Searcher) -> Contents:
    """Count what the index of ``searcher`` holds (call it inside the index's guard)."""
    groups = facet_counts(searcher, Every())
    folders = folder_counts(searcher.reader())
    return Contents(documents=searcher.doc_count(), groups=groups, folders=folders)


def index_stats(contents: Contents, path: Path, meta: dict[str, Any]) -> IndexStats:
    """The stats of the index at ``path`` that holds ``contents``, described by its record
    ``meta``."""
    groups, folders = contents.groups, contents.folders
    size = sum(
        p.stat().st_size for p in path.iterdir() if p.is_file() and is_own_file(p.name)
    )  # the index's files, not what else the user keeps in the folder
    roots = sorted(meta.get("roots", {}))
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
        folders={root: folders.get(root, {"documents": 0, "files": 0}) for root in roots},
        notes=_seed_notes(path, meta, roots),
    )


def _seed_notes(path: Path, meta: dict[str, Any], roots: Sequence[str]) -> list[str]:
    """A note when the bundled seed articles sit beside your own folders (an index made
    by a version that added them to the default index on the first search)."""
    seeds = [root for root in roots if is_bundled_seeds(root)]
    if not seeds or len(seeds) == len(roots):
        return []
    without = dict(meta)
    without["roots"] = {k: v for k, v in meta.get("roots", {}).items() if k not in seeds}
    return [
        "This index holds the bundled seed articles (a demo) beside your own folders; "
        f"to drop them, rebuild it without them: {rebuild_command(path, without)}"
    ]
