"""A file's signature: how incremental indexing tells a changed file from one it indexed.

A document records the signature of the file it was read from (``file_sig``). The cheap test
comes first: the file's size and modification time (:func:`file_signature`), compared without
reading it. Copying, syncing or checking out a folder changes every modification time, so a
file whose size or time differs is read, and its content digest (:func:`read_signature`)
decides whether it holds what was indexed from it (:func:`same_content`).
"""

from __future__ import annotations

import os
from pathlib import Path

from corpus_search.ingest.encodings import name_on_disk
from corpus_search.ingest.model import DOCUMENT_EXTENSIONS, FileResult, readable_extensions

__all__ = ["MOVED_SHARE", "content_digest", "file_signature", "file_since_indexed", "moved_to",
           "read_signature", "same_content", "same_stat"]


def file_signature(path: Path) -> str:
    """A cheap change detector for incremental indexing: ``"<size>:<mtime_ns>"``.

    Follows symbolic links; returns ``"missing"`` when the file cannot be stat'ed.
    """
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


def read_signature(st: os.stat_result, data: bytes) -> str:
    """The signature of a file read whole (``data``, found as ``st``):
    ``"<size>:<mtime_ns>:<digest>"``, the :func:`file_signature` with a digest of the content,
    so that a file touched (copied, synced, checked out) but the same can be told from one
    that changed."""
    import hashlib  # (here: a search loads this module and never calls this)

    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return f"{st.st_size}:{st.st_mtime_ns}:{digest}"


def same_stat(recorded: str, signature: str) -> bool:
    """Whether two signatures (:func:`file_signature` or :func:`read_signature`) record the
    same size and modification time: the cheap test, made first."""
    return recorded.split(":", 2)[:2] == signature.split(":", 2)[:2]


def file_since_indexed(recorded: str, path: str | os.PathLike[str]) -> str | None:
    """What became of the file at ``path`` since it was indexed with the signature
    ``recorded``: ``"gone"`` (it cannot be found or read), ``"changed"`` (other content; or,
    where ``recorded`` keeps no digest, another size or modification time), or ``None`` (the
    file indexed: untouched, or touched with the same content; or no signature recorded)."""
    if not recorded:
        return None
    if not os.path.lexists(path):  # (a name that is not UTF-8, as the index stores it)
        path = name_on_disk(os.fspath(path))
    try:
        st = os.stat(path)
        if same_stat(recorded, f"{st.st_size}:{st.st_mtime_ns}"):
            return None
        digest = content_digest(recorded)
        if digest is None:
            return "changed"
        data = Path(path).read_bytes()
    except OSError:
        return "gone"
    return None if content_digest(read_signature(st, data)) == digest else "changed"


#: the share of a gone folder's documents that must be found unchanged at a new place for it
#: to be that folder moved (the rest may have changed since; every file must be there)
MOVED_SHARE = 0.5


def moved_to(
    known: dict[str, tuple[str, list[str]]], root_path: str | os.PathLike[str]
) -> int | None:
    """Whether the folder ``root_path`` is the folder of ``known`` (its files as an index
    holds them: file -> (signature, ids)), moved or renamed: it holds every one of the files
    at the same place within it, of a kind that can be read here, and more than
    :data:`MOVED_SHARE` of their documents as they were indexed (:func:`file_since_indexed`).
    How many documents it holds so, or ``None`` when it is not that folder. How a folder
    moved is told (:mod:`corpus_search.moving`, and the index check)."""
    unread = set(DOCUMENT_EXTENSIONS) - readable_extensions()
    unchanged = 0
    for rel, (sig, ids) in known.items():
        place = Path(root_path) / rel
        if os.path.splitext(rel)[1].lower() in unread or not (
                place.is_file() and os.access(place, os.R_OK)):
            return None  # (its documents would stay the old place's: not that folder)
        if file_since_indexed(sig, place) is None:
            unchanged += len(ids)
    documents = sum(len(ids) for _sig, ids in known.values())
    return unchanged if documents and unchanged > MOVED_SHARE * documents else None


def content_digest(signature: str) -> str | None:
    """The content digest a :func:`read_signature` records (``None``: it records none, as
    the signatures of versions before it and of files not read whole do not)."""
    parts = signature.split(":")
    return parts[2] if len(parts) == 3 and parts[2] else None


def same_content(recorded: str, result: FileResult) -> bool:
    """Whether a file read again because its size or modification time is not the one
    ``recorded`` (a touched file: copied, synced, checked out) holds what was indexed from
    it: the same content digest (found by :func:`~corpus_search.ingest.files.read_file` when
    given it: ``same_as_indexed``), and no document dated by the modification time. Records
    without a digest (of earlier versions) never match: such a file is indexed again, once."""
    if result.same_as_indexed:
        return True
    digest = content_digest(recorded)
    return (
        digest is not None
        and not result.skipped_reason
        and content_digest(result.signature or "") == digest
        and not any(doc.date_source == "mtime" for doc in result.documents)
    )
