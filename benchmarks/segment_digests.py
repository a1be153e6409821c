"""Print the length and MD5 of each file inside each compound segment of an index, named
without its segment's id, one line each, sorted: two builds of the same documents whose
outputs are the same wrote the same postings, term dictionary (with its hash tables),
stored fields, lengths and columns (the ids and the table of contents differ by build).

    python benchmarks/segment_digests.py /tmp/ix-a > a.txt
    python benchmarks/segment_digests.py /tmp/ix-b > b.txt && diff a.txt b.txt
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage


def segment_digests(folder: str) -> list[str]:
    """``"<file> <length> <md5>"`` of each file inside the folder's compound segments."""
    storage = FileStorage(folder)
    lines = []
    for seg in Path(folder).glob("*.seg"):
        inner = CompoundStorage(storage.open_file(seg.name), use_mmap=False)
        for name in inner.list():
            data = inner.open_file(name).read()
            lines.append(f"{name.split('.', 1)[-1]} {len(data)} {hashlib.md5(data).hexdigest()}")
    return sorted(lines)


if __name__ == "__main__":
    print("\n".join(segment_digests(sys.argv[1])))
