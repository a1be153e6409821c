"""The document model: :class:`Document`, :class:`FileResult`, the supported file
extensions and the size limit; what makes documents a program gives fit to index
(:func:`only_documents`, :func:`text_problem`).
"""

from __future__ import annotations

import datetime
import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from corpus_search.digests import blake2b
from corpus_search.errors import DocumentIndexError, install_extra
from corpus_search.ingest.shown_dates import shown_date

__all__ = [
    "DATE_PRECISIONS",
    "DEFAULT_MAX_BYTES",
    "DOCUMENTS_EXTRA",
    "DOCUMENT_EXTENSIONS",
    "EMPTY_FILE",
    "SUPPORTED_EXTENSIONS",
    "WEB_PAGE_EXTENSIONS",
    "Document",
    "FileResult",
    "only_documents",
    "readable_extensions",
    "text_key",
    "text_problem",
    "true_or_false",
    "type_name",
]


#: a saved web page's (:mod:`corpus_search.ingest.webpages`)
WEB_PAGE_EXTENSIONS = frozenset({".html", ".htm"})

#: the kinds read with the standard library alone
SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".jsonl", ".csv", *WEB_PAGE_EXTENSIONS})

#: PDF and Word files (:mod:`corpus_search.ingest.documents`), each read when the library
#: that reads it is installed (the ``documents`` extra), else counted with the other kinds
DOCUMENT_EXTENSIONS = {".pdf": "pypdf", ".docx": "docx"}

#: what installs them, as a report says it (in a source checkout, as the README installs, and
#: from a package index)
DOCUMENTS_EXTRA = install_extra("documents")


def readable_extensions() -> frozenset[str]:
    """The extensions read here: :data:`SUPPORTED_EXTENSIONS`, and ``.pdf`` and ``.docx``
    where their library is installed. Asked of the import system, not imported (a folder
    without such files never loads pypdf), and asked each time: one run's answer holds for
    the next only while nothing is installed meanwhile."""
    return SUPPORTED_EXTENSIONS | {
        ext for ext, module in DOCUMENT_EXTENSIONS.items() if _installed(module)
    }


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a module set to None in sys.modules, a broken one
        return False


DEFAULT_MAX_BYTES = 32 * 2**20

#: why a file of no bytes, or only whitespace, is skipped (one indexed before keeps its
#: documents: emptied by mistake, its text may be left nowhere else: ingesting.scan_folder)
EMPTY_FILE = "empty file"


def text_key(title: str, body: str) -> bytes:
    """What a document shares with another that repeats it word for word (spacing aside):
    news archives hold the same story under two files, which indexing reports and search
    results mark as copies."""
    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


#: how much of a date is known: the day, only the month (``Feb 2005``), only the year
#: (``2005``); a month or year is held as its first day, with its precision beside it
DATE_PRECISIONS = ("day", "month", "year")


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
    #: how much of ``date`` is known (:data:`DATE_PRECISIONS`): ``"month"`` for a document
    #: dated ``Feb 2005``, whose ``date`` is 1 February 2005, ``"day"`` for a day's (given
    #: none, a dated document's); ``None`` only when undated, as ``Hit.date_precision``
    date_precision: str | None = None
    #: a reading not yet settled (never a written document's): the text's first lines look
    #: like a site's menu and were passed over for the title (:mod:`corpus_search.ingest.menus`):
    #: the body's first so many lines hold them, then came the title's own line; whether it
    #: stands waits for the folder's repeated lines (``boilerplate.settled``). Not shown.
    menu_reading: tuple[int, str, bool] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # (one vocabulary with Hit and the JSON: it had been None here for the day a hit
        # called "day")
        if self.date is not None and self.date_precision is None:
            object.__setattr__(self, "date_precision", "day")

    def __repr__(self) -> str:
        # (a long body shortened: ix.get(id) at a prompt printed a whole article)
        shown = {name: repr(getattr(self, name)) for name in _SHOWN_FIELDS}
        if isinstance(self.body, str) and len(self.body) > REPR_BODY_CHARS:
            shown["body"] = f"{self.body[:REPR_BODY_CHARS]!r}… ({len(self.body):,} characters)"
        return f"Document({', '.join(f'{name}={value}' for name, value in shown.items())})"

    @property
    def shown_date(self) -> str | None:
        """The date at its precision (``2005-02`` for a month), as a Hit's: see
        :func:`~corpus_search.ingest.shown_dates.shown_date`."""
        return shown_date(self.date, self.date_precision)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as the results' ``to_dict`` are: every field by its name, ``date`` as
        ``YYYY-MM-DD`` text (``None`` when it has none; a month's or year's first day, its
        ``date_precision`` saying so: ``"day"``, ``"month"`` or ``"year"``), and
        ``shown_date``, the date at its precision."""
        data = {name: getattr(self, name) for name in _SHOWN_FIELDS}
        data["date"] = self.date.isoformat() if self.date else None
        data["date_precision"] = self.date_precision if self.date else None
        data["shown_date"] = self.shown_date
        return data


#: the fields of a Document its repr and to_dict show (not a reading's note)
_SHOWN_FIELDS = tuple(name for name in Document.__dataclass_fields__ if name != "menu_reading")


@dataclass
class FileResult:
    """What reading one file produced: documents, warnings, or why the whole file was skipped."""

    path: str
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_reason: str | None = None
    #: the file exists but could not be read now (no permission, an I/O error, a CSV quote
    #: never closed): it may still hold what was indexed from it, which is kept
    unreadable: bool = False
    #: :func:`~corpus_search.ingest.signatures.read_signature` of the file as it was read (from the
    #: opened file: size, modification time, content digest)
    signature: str | None = None
    #: the file holds what was indexed from it (the digest ``read_file`` was given): it was
    #: not read into documents again
    same_as_indexed: bool = False
    #: the entries (``field=column``) of the folder's column mapping whose column the file
    #: lacks (a CSV file's header, every record of a JSON Lines file); ``None``: the file
    #: was not read as a table by a mapping
    columns_missing: list[str] | None = None
    #: what a message says of them, naming the columns the file has
    columns_error: str | None = None
    #: how the file was read without them: by its own columns for those fields (its
    #: ``title`` column, where the mapping's ``headline`` is not), or without the fields
    columns_read: str | None = None


#: the fields of a Document that must be text (the others may be None)
_REQUIRED_TEXT = frozenset({"id", "title", "body"})


def type_name(value: object) -> str:
    """``value``'s type for a message: ``None``, or ``an int (5)``, ``a list (['x'])``."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name} ({value!r:.40})"


def true_or_false(error: type[Exception], **flags: object) -> None:
    """Refuse, in one line of ``error`` naming it, a flag of the public API that is not
    ``True`` or ``False``: any value was read for its truth, so ``overwrite="no"`` replaced
    the file it was to keep and ``highlight="false"`` highlighted. (One rule for every
    method's flags; call it before anything is read or written.)"""
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise error(f"{name} must be True or False, not {type_name(value)}.")


def only_documents(items: Iterable[object]) -> Iterator[Document]:
    """``items``, each a :class:`Document`; else a :class:`DocumentIndexError` naming what it
    is (a record's dict raised ``AttributeError: 'dict' object has no attribute 'id'``)."""
    if isinstance(items, (str, bytes, dict)) or not isinstance(items, Iterable):
        raise DocumentIndexError(f"Documents to add are Document objects, in a list or any "
                                 f"iterable, not {type_name(items)}.")

    def checked() -> Iterator[Document]:
        for item in items:
            if not isinstance(item, Document):
                made = (" (Document(**record) makes one of a dict with its keys)"
                        if isinstance(item, dict) else "")
                raise DocumentIndexError(
                    f"Documents to add are Document objects, not {type_name(item)}{made}. "
                    "Nothing of this write was committed; the index keeps its last commit.")
            yield item

    return checked()


def text_problem(doc: Document) -> str | None:
    """Why the text of ``doc`` cannot be indexed (``None``: it can). Lone surrogates (from
    JSON escapes like ``"\\udc80"``, or bytes Python could not decode) are not Unicode text
    and cannot be written as UTF-8. Fields of the wrong type (a number, a list, ``None``
    where text is expected; a date that is not a ``datetime.date``) are named too, and so is
    a blank id."""
    for name in ("id", "title", "body", "source", "url", "path", "date_source"):
        value = getattr(doc, name)
        if not isinstance(value, str) and (value is not None or name in _REQUIRED_TEXT):
            return f"its {name} is {type_name(value)}, not text"
    if doc.date is not None and not isinstance(doc.date, datetime.date):
        return f"its date is {type_name(doc.date)}, not a datetime.date"
    if doc.date_precision is not None and doc.date_precision not in DATE_PRECISIONS:
        return (f"its date_precision is {type_name(doc.date_precision)}, not one of "
                f"{', '.join(DATE_PRECISIONS)}")
    if not doc.id.strip():  # (a blank id was indexed, a document no command could name)
        return "its id is empty: get, delete and show find a document by its id, so give it one"
    for name in ("id", "title", "body", "source", "url", "path"):
        value = getattr(doc, name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return (
                    f"its {name} is not valid Unicode text (a lone surrogate "
                    f"U+{ord(value[exc.start]):04X} at character {exc.start})"
                )
    return None
