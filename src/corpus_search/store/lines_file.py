"""The folders' repeated-line records kept in a file of their own (``corpus_search_lines.json``)
beside the metadata file.

A folder's record keeps each of its files' line digests (:class:`corpus_search.repeated.
FolderLines`), ~280 KB for the BBC corpus: kept in ``corpus_search.json``, every search parsed
them as it opened the index, though only an indexing run and the note on a word removed as
boilerplate read them. :func:`write_meta` writes them here, each folder's under the digest of
its entries, and the record only that digest (``{"version": 1, "digest": ...}``);
:func:`with_kept_lines` puts them back in a record. An index made before keeps them in its record
(``"files"``): read as they are, and moved here by the next write of its metadata.

The lines file is written first, then the metadata (each atomically): a crash in between
leaves the old metadata, whose digests the lines file still holds (it keeps those of the
metadata on disk as well as the new ones). A digest the file lacks (the file lost, or
damaged) costs only time: the next run reads the folder's files once for their lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus_search.digests import sha256
from corpus_search.store import meta as store_meta
from corpus_search.store.files import LINES_FILENAME, META_FILENAME
from corpus_search.store.meta import read_json
from corpus_search.store.meta_file import read_kept

__all__ = ["LINES_KEY", "kept_lines", "lines_notes", "with_kept_lines", "write_meta"]

#: the key of a folder's record that keeps its files' lines (a dict: ``version``, and
#: ``files`` in memory and in old metadata, ``digest`` in the metadata written since)
LINES_KEY = "repeated_lines"


def write_meta(folder: Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Write ``meta`` (not changed) as the metadata of the index at ``folder``: its folders'
    files' lines into the lines file, the rest, naming them by digest, into the metadata
    file; return what the metadata file now holds."""
    held = _held(folder)
    kept: dict[str, Any] = {}
    small = _split(meta, held, kept)
    for digest in _referenced(_disk_meta(folder)):  # (the metadata a crash would leave)
        if digest in held:
            kept.setdefault(digest, held[digest])
    if kept != held:
        data = json.dumps({"version": 1, "lines": kept}, sort_keys=True, separators=(",", ":"))
        store_meta.atomic_write_bytes(folder / LINES_FILENAME, data.encode("utf-8"))
    store_meta.atomic_write_json(folder / META_FILENAME, small)
    return small


def kept_lines(folder: Path, lines: dict[str, Any]) -> Any:
    """The files' entries that a folder's record's ``lines`` (its :data:`LINES_KEY` value)
    keeps, in the record (old metadata) or the lines file of the index at ``folder``;
    ``None`` where neither holds them."""
    if "files" in lines:
        return lines["files"]
    digest = lines.get("digest")
    return _held(folder).get(digest) if isinstance(digest, str) else None


def with_kept_lines(folder: Path, record: dict[str, Any]) -> dict[str, Any]:
    """A folder's ``record`` (in the index at ``folder``) with its files' lines in it, as an
    indexing run compares and updates it (as it is where the lines file lacks them). Those
    of a record of the old layout are marked (``in_metadata``): a run that changes nothing
    finds the record changed, and writes it, moving them to the lines file."""
    lines = record.get(LINES_KEY)
    files = kept_lines(folder, lines) if isinstance(lines, dict) else None
    if files is None:
        return record
    if "files" in lines:
        return {**record, LINES_KEY: {**lines, "in_metadata": True}}
    return {**record, LINES_KEY: {**{k: v for k, v in lines.items() if k != "digest"},
                                  "files": files}}


def lines_notes(folder: Path, meta: dict[str, Any]) -> list[str]:
    """What a check of the index at ``folder`` says of its lines file, given ``meta`` (the
    newest generation's record): the folders whose files' lines it lacks (harmless)."""
    roots = meta.get("roots") if isinstance(meta.get("roots"), dict) else {}
    held = _held(folder)
    lacking = [key for key, record in roots.items() if isinstance(record, dict)
               and isinstance(record.get(LINES_KEY), dict)
               and kept_lines(folder, record[LINES_KEY]) is None]
    if not lacking:
        return []
    how = "is missing" if not (folder / LINES_FILENAME).exists() else (
        "lacks them" if held else "cannot be read")
    return [f"{LINES_FILENAME}, which keeps the repeated lines of each file of "
            f"{', '.join(lacking)}, {how}: the next indexing run of a folder reads its "
            "files once to count them again (nothing is lost)"]


def _held(folder: Path) -> dict[str, Any]:
    """The entries the lines file of the index at ``folder`` holds, by digest (none when it
    is missing or unreadable)."""
    try:
        held = read_kept(folder / LINES_FILENAME)
    except (OSError, ValueError):
        return {}
    lines = held.get("lines") if isinstance(held, dict) and held.get("version") == 1 else None
    return lines if isinstance(lines, dict) else {}


def _disk_meta(folder: Path) -> Any:
    try:
        return read_json(folder / META_FILENAME)
    except (OSError, ValueError):
        return None


def _split(meta: Any, held: dict[str, Any], kept: dict[str, Any]) -> Any:
    """A copy of ``meta`` (a record, with the records before it as ``previous``) whose
    folders' records name their files' lines by digest, those lines put in ``kept`` (taken
    from ``held`` where a record names them already)."""
    if not isinstance(meta, dict):
        return meta
    out = dict(meta)
    if isinstance(meta.get("roots"), dict):
        out["roots"] = {key: _split_record(record, held, kept)
                        for key, record in meta["roots"].items()}
    if "previous" in meta:
        out["previous"] = _split(meta["previous"], held, kept)
    return out


def _split_record(record: Any, held: dict[str, Any], kept: dict[str, Any]) -> Any:
    lines = record.get(LINES_KEY) if isinstance(record, dict) else None
    if not isinstance(lines, dict):
        return record
    if "files" in lines:
        text = json.dumps(lines["files"], sort_keys=True, separators=(",", ":"))
        digest = sha256(text.encode("utf-8")).hexdigest()[:32]
        kept[digest] = lines["files"]
        rest = {k: v for k, v in lines.items() if k != "files"}
        return {**record, LINES_KEY: {**rest, "digest": digest}}
    digest = lines.get("digest")
    if isinstance(digest, str) and digest in held:
        kept[digest] = held[digest]
    return record


def _referenced(meta: Any) -> list[str]:
    """The digests the records of ``meta`` (and those before it) name."""
    if not isinstance(meta, dict):
        return []
    roots = meta.get("roots") if isinstance(meta.get("roots"), dict) else {}
    found = [record[LINES_KEY].get("digest") for record in roots.values()
             if isinstance(record, dict) and isinstance(record.get(LINES_KEY), dict)]
    return [d for d in found if isinstance(d, str)] + _referenced(meta.get("previous"))
