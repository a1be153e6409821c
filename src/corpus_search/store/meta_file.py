"""An index's metadata file (``corpus_search.json``) read once while it stays the same.

A search reads the file as it opens the index and again as it opens a searcher (to see that
no other process rebuilt the index in between). When each folder's record kept its files'
repeated-line digests (now in :mod:`.lines_file`'s file, as old indexes keep them until
their next run), the file of the BBC index was ~300 KB: parsing it was ~8M instructions of
a cold search's ~640M (callgrind), each time. :func:`read_kept` parses it again only when
it is another file (another inode, size or modification time: every write replaces it), and
hands each caller a copy of its own, which the caller may change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["json_copy", "read_kept"]

#: path -> (the signature of the file last parsed there, what it held)
_KEPT: dict[Path, tuple[tuple[int, int, int], Any]] = {}


def read_kept(path: Path) -> Any:
    """The contents of the JSON file at ``path``, as ``json.load`` of it would give them (a
    copy of the last reading's while the file is unchanged); ``OSError`` or ``ValueError``
    as it raises them."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        kept = _KEPT.get(path)
        if kept is None or kept[0] != signature:
            _KEPT.pop(path, None)
            kept = _KEPT[path] = (signature, json.loads(fh.read().decode("utf-8")))
    return json_copy(kept[1])


def json_copy(value: Any) -> Any:
    """A copy of parsed JSON ``value`` that shares no dict or list with it."""
    if type(value) is dict:
        return {k: v if type(v) is str else json_copy(v) for k, v in value.items()}
    if type(value) is list:
        return [v if type(v) is str else json_copy(v) for v in value]
    return value
