"""The document model: :class:`Document`, :class:`FileResult`, the supported file
extensions and the size limit.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_EXTENSIONS",
    "WEB_PAGE_EXTENSIONS",
    "Document",
    "FileResult",
    "text_key",
]


#: a saved web page's (:mod:`corpus_search.ingest.webpages`)
WEB_PAGE_EXTENSIONS = frozenset({".html", ".htm"})

SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".jsonl", ".csv", *WEB_PAGE_EXTENSIONS})


DEFAULT_MAX_BYTES = 32 * 2**20


def text_key(title: str, body: str) -> bytes:
    """What a document shares with another that repeats it word for word (spacing aside):
    news archives hold the same story under two files, which indexing reports and search
    results mark as copies."""
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: the characters of a document's body its repr shows
REPR_BODY_CHARS = 200


@dataclass(frozen=True)
class Document:
    """One searchable document. ``path`` is the source file relative to the indexed root."""

    id: str
    title: str
    body: str
    date: datetime.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    #: where ``date`` came from: one of :data:`corpus_search.ingest.dates.DATE_SOURCES`
    date_source: str | None = None

    def __repr__(self) -> str:
        # (a long body shortened: ix.get(id) at a prompt printed a whole article)
        shown = {name: repr(getattr(self, name)) for name in self.__dataclass_fields__}
        if isinstance(self.body, str) and len(self.body) > REPR_BODY_CHARS:
            shown["body"] = f"{self.body[:REPR_BODY_CHARS]!r}… ({len(self.body):,} characters)"
        return f"Document({', '.join(f'{name}={value}' for name, value in shown.items())})"


@dataclass
class FileResult:
    """What reading one file produced: documents, warnings, or why the whole file was skipped."""

    path: str
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_reason: str | None = None
    #: the file exists but could not be read now (no permission, an I/O error): unlike a file
    #: that became empty or binary, it may still hold what was indexed from it
    unreadable: bool = False
    #: :func:`~corpus_search.ingest.signatures.read_signature` of the file as it was read (from the
    #: opened file: size, modification time, content digest)
    signature: str | None = None
    #: the file holds what was indexed from it (the digest ``read_file`` was given): it was
    #: not read into documents again
    same_as_indexed: bool = False
