"""A document as plain data, the one description of it that ``describe``, ``show --json``, an
export and a citation share: the fields of a hit that describe a document, then where its
file is (``file`` under the name of the folder indexed, ``path`` in full) and its text.

An export had written ``file`` as ``politics/001.txt`` while a citation of the same document
named ``bbc/politics/001.txt``: two values under one name. :func:`indexed_file` is the rule
both take.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from corpus_search.search.hits import Hit

__all__ = ["RANKING_KEYS", "document_record", "indexed_file"]

#: what :meth:`Hit.to_dict` holds of a ranking, not of the document
RANKING_KEYS = ("rank", "score", "snippet", "snippet_html", "same_as")


def indexed_file(root: str | None, file: str | None) -> str | None:
    """A document's file as every record names it: its path inside the folder it was
    indexed from, after that folder's name, with ``/`` between the parts
    (``bbc/politics/001.txt`` of ``politics/001.txt`` under ``/home/me/corpora/bbc``): the
    folder says which of an index's folders holds it, without putting the user's home
    folder into a quotation. ``None`` for a document a program added (no file)."""
    if not file:
        return None
    folder = os.path.basename(root.rstrip("/" + os.sep)) if root else ""
    return "/".join(part for part in (folder, file.replace(os.sep, "/")) if part)


def document_record(fields: Mapping[str, Any], body: str) -> dict[str, Any]:
    """A document as JSON-ready data, from its stored fields and body: the fields of a hit
    that describe a document (``id``, ``title``, ``date``, ``date_precision``,
    ``date_source``, ``source``, ``parties``, ``url``, as :meth:`Hit.to_dict` writes them),
    then ``file`` (:func:`indexed_file`), ``path`` (the file's full path) and ``body``:
    what ``show --json`` prints, an export writes and a citation names. ``file`` and
    ``path`` are ``None`` for a document a program added."""
    record = Hit.from_stored(fields).to_dict()
    for ranking_only in RANKING_KEYS:
        del record[ranking_only]
    file, root = fields.get("file") or None, fields.get("root") or None
    record["file"] = indexed_file(root, file)
    # where to open it: the file under the folder it was indexed from (a relative file
    # name alone does not say which of an index's folders holds it)
    record["path"] = os.path.join(root, file) if file and root else None
    record["body"] = body
    return record
