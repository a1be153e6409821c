"""What a check of an index says can be recovered (:func:`~corpus_search.store.check.
check_index`): the folders it was built from, those gone (their documents exist only in the
index) and those moved, which an earlier version indexed again at their new place as new
folders (each file's documents twice), and how many documents can still be read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from corpus_search.errors import Note
from corpus_search.ingest.signatures import moved_to
from corpus_search.store.meta import gone_roots, update_command

__all__ = ["HeldFiles", "held_twice", "lexicon_part", "recorded_roots", "recoverable_lines"]

#: the files of each folder as an index holds them: folder -> file -> (signature, ids)
HeldFiles = dict[str, dict[str, tuple[str, list[str]]]]


def held_twice(path: Path, files: HeldFiles, notes: list[str]) -> set[str]:
    """The folders of ``files`` that are no folder any more and were moved to another folder
    the index holds documents of too, with some of the same files (what versions before
    :mod:`corpus_search.moving` made of a folder moved and indexed at its new place: each
    file's documents twice, under the old place's ids and new ones), each noted with the
    command that keeps them once; return them."""
    moved = set()
    for old in gone_roots(sorted(root for root in files if root)):
        for new in sorted(root for root in files if root and root != old):
            shared = sorted(set(files[old]) & set(files[new]))
            if not shared or moved_to(files[old], new) is None:
                continue
            moved.add(old)
            was, now = files[old][shared[0]][1][0], files[new][shared[0]][1][0]
            said = (f"the index holds {len(shared)} files of {old} twice: that folder, which is "
                    f"no folder any more, moved to {new}, which an earlier version indexed as "
                    f"a new folder ({was!r} is also {now!r}); to keep each file's documents "
                    "once, under the ids they had first, index that folder again: ")
            call = f"CorpusIndex({str(path)!r}).index_directory({new!r})"
            notes.append(Note(said + call, said + update_command(path, [new])))
            break
    return moved


def recorded_roots(meta: dict[str, Any] | None, stored_roots: Counter[str]) -> dict[str, Any]:
    """The folders the index was built from: as recorded, else as its documents say."""
    roots = (meta or {}).get("roots")
    if isinstance(roots, dict) and roots:
        return roots
    return {root: {} for root in stored_roots if root}


def lexicon_part(meta: dict[str, Any] | None) -> dict[str, Any]:
    extra = (meta or {}).get("lexicon_extra")
    return {"lexicon_extra": extra} if isinstance(extra, list) else {}


def recoverable_lines(
    damaged: bool, documents: int, readable: int, roots: dict[str, Any],
    stored_roots: Counter[str], meta: dict[str, Any] | None, moved: set[str],
) -> list[str]:
    """What survives of the index: how many of its ``documents`` can be read (of a
    ``damaged`` one), whether every folder of ``roots`` is still there to rebuild from, the
    documents that exist only in it (of each folder gone, but those ``moved``: their files
    are elsewhere), and a word on lost metadata."""
    lines = []
    if damaged:
        lines.append(f"{readable} of {documents} documents can still be read from the index")
    missing = gone_roots(roots)
    present = [root for root in roots if root not in missing]
    if present and not missing:
        lines.append(
            "every folder the index was built from is still there: a rebuild restores "
            "everything"
        )
    for root in missing:
        if root in moved:  # (its files are elsewhere: noted)
            continue
        said = (f"the folder {root} is gone: its {stored_roots.get(root, 0)} documents exist "
                "only in this index (do not rebuild it without them; ")
        lines.append(Note(f"{said}get(ID) returns one)",
                          f"{said}corpus-search show ID prints one)"))
    if meta is None and roots:
        lines.append("the metadata is lost but the documents name their folders: the rebuild "
                     "command below uses them")
    return lines
