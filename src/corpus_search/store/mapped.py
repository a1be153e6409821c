"""Segment files read through the memory map instead of copies of them.

Whoosh maps a compound segment file into memory and then hands each of its parts (the term
dictionary, the postings, the columns) to a ``BufferFile``, which wraps it in an
``io.BytesIO``: that copies the whole part. Every searcher opened so held a private copy of
every segment's terms and postings, about the size of the index itself (15 MB for the BBC
corpus, gigabytes at a million documents), and paid for the copy on every open. A
:class:`MappedFile` reads the same bytes through the map: a read copies only what it returns,
and the pages are the operating system's file cache, shared between processes and released
under memory pressure.
"""

from __future__ import annotations

from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class ViewStream:
    """A read-only file over a memoryview (what ``StructFile`` reads, seeks and unpickles
    through): each read copies only the bytes it returns."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        total = len(self._view)
        end = total if size is None or size < 0 else min(total, self._pos + size)
        data = self._view[self._pos : end].tobytes()
        self._pos = max(self._pos, end)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        total = len(self._view)
        limit = total if size is None or size < 0 else min(total, self._pos + size)
        start = end = self._pos
        while end < limit:  # look for the newline a piece at a time: no copy of the rest
            piece = self._view[end : min(limit, end + 256)].tobytes()
            cut = piece.find(b"\n")
            if cut >= 0:
                end += cut + 1
                break
            end += len(piece)
        self._pos = max(self._pos, end)
        return self._view[start:end].tobytes()

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence not in (0, 1, 2):
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        if whence == 0 and offset < 0:
            raise ValueError(f"negative seek position {offset}")
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)  # as io.BytesIO: from here or the end, clamped at 0
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")  # the map is released when no reader holds a view of it


class MappedFile(BufferFile):
    """Whoosh's ``BufferFile`` without its copy: reads go through a :class:`ViewStream` over
    the same buffer (``get``, ``get_array`` and the rest of ``BufferFile`` already slice the
    buffer itself)."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = ViewStream(memoryview(buf))
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position: int, length: int, name: str | None = None) -> MappedFile:
        view = memoryview(self._buf)[position : position + length]
        return MappedFile(view, name=name or self._name)


def use_mapped_segment_files() -> None:
    """Make Whoosh open the parts of compound segment files as :class:`MappedFile`. Whoosh
    has no setting for it, so this rebinds the name its compound storage builds them with,
    for the process; it is done when an index is opened (as
    :func:`~corpus_search.store.generations.use_system_random_segment_ids` is), never on
    import. Doing it again changes nothing."""
    compound.BufferFile = MappedFile
