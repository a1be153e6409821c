"""Exceptions raised by corpus_search.

Every error the library raises on purpose derives from :class:`CorpusSearchError`, so callers
can catch one class. Each carries a message written for a person, not a traceback.
"""

from __future__ import annotations

#: (not ``typing.TYPE_CHECKING``: the entry point imports this module, and ``typing`` costs it
#: ~5 ms; type checkers treat this name the same)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import TypeVar

    _E = TypeVar("_E", bound="CorpusSearchError")

__all__ = [
    "ColumnsError",
    "CorpusSearchError",
    "DateOptionsError",
    "DatesFileError",
    "DocumentIndexError",
    "DocumentNotFoundError",
    "EngineUnavailableError",
    "ExportError",
    "FolderOverlapError",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexLocationError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReadError",
    "IndexStateError",
    "IndexVersionError",
    "IndexWriteError",
    "IngestError",
    "LexiconError",
    "LexiconMissingError",
    "MissingExtraError",
    "NoIndexGivenError",
    "Note",
    "PatternTooBroad",
    "PlotError",
    "QueryError",
    "SourceFolderError",
    "Unsupported",
    "WorkerError",
]


#: The ``corpus-search`` command's exit codes (its module notes say when each is used), here so
#: that the entry point can report an interrupt before it has imported the command itself.
EXIT_OK, EXIT_NO_RESULTS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
#: the reader of the output went away (``| head -1``): 128 + SIGPIPE, as a shell reports a
#: program the signal stopped, so ``set -o pipefail`` scripts never read it as "no results"
EXIT_BROKEN_PIPE = 141


class CorpusSearchError(Exception):
    """Base class of every error corpus_search raises on purpose.

    Its message speaks of the library (methods, their arguments); where the ``corpus-search``
    command would advise otherwise (a command and its options), :attr:`cli_message` is what
    the command says instead (set with :meth:`for_cli`), and :attr:`web_message` what its
    web page says where the page's form differs from both (a field, not an option)."""

    #: what the ``corpus-search`` command says of the error (``None``: the message)
    cli_message: str | None = None
    #: what the web page says of the error (``None``: the command's message)
    web_message: str | None = None

    def for_cli(self: _E, message: str) -> _E:
        """This error, with ``message`` for the command to say in place of its own."""
        self.cli_message = message
        return self

    def for_web(self: _E, message: str) -> _E:
        """This error, with ``message`` for the web page to say: where the command's names
        an option (``--since``), the page names its form's field."""
        self.web_message = message
        return self


def command_message(exc: BaseException | str) -> str:
    """What the ``corpus-search`` command (and its web page) says of ``exc``: its
    :attr:`~CorpusSearchError.cli_message` where it has one, else its message (of a
    :class:`Note`: its :attr:`~Note.cli_message`, else the note)."""
    return getattr(exc, "cli_message", None) or str(exc)


def page_message(exc: BaseException | str) -> str:
    """What the web page says of ``exc``: its :attr:`~CorpusSearchError.web_message` where
    it has one, else what the command says (:func:`command_message`)."""
    return getattr(exc, "web_message", None) or command_message(exc)


class Note(str):
    """A note to the user (an index's, a result's) in the library's words, a function and
    its arguments, that carries as :attr:`cli_message` what the ``corpus-search`` command
    and its web page say instead, a command line (as :class:`CorpusSearchError` does;
    :func:`command_message` gives it). It is the library's sentence wherever a string is."""

    #: the note as the command says it (``None``: the note itself)
    cli_message: str | None

    def __new__(cls, text: str, cli_message: str | None = None) -> Note:
        note = super().__new__(cls, text)
        note.cli_message = cli_message
        return note


class QueryError(CorpusSearchError, ValueError):
    """A query could not be understood (for example an unknown field or an empty query)."""


class QueryBudgetError(QueryError):
    """A query took longer than its time budget (``corpus_search.search.execute.QUERY_TIME_LIMIT``
    seconds) and was stopped; no partial result is returned. The message says how to make
    the query cheaper."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class IndexStateError(CorpusSearchError):
    """Base class of problems with an index on disk.

    ``path`` is the index's folder. Where rebuilding the index is the fix (its message says
    how: :func:`corpus_search.rebuild_index`), :attr:`rebuild_command` is the same rebuild as
    a ``corpus-search`` command line (what the command's own message gives; for a script)."""

    #: the ``corpus-search index ... --rebuild`` command line that fixes it (``None``: no
    #: rebuild does)
    rebuild_command: str | None = None

    def __init__(
        self, message: str, path: object = None, *, rebuild_command: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.rebuild_command = rebuild_command


class IndexNotFoundError(IndexStateError):
    """No index exists at the given location."""


class IndexLockedError(IndexStateError):
    """Another process is writing to the index."""


class IndexCorruptError(IndexStateError):
    """The index files are damaged or incomplete; rebuild the index."""


class IndexVersionError(IndexStateError):
    """The index was built by another analyzer or lexicon version; rebuild it."""


class IndexLocationError(IndexStateError):
    """The index path cannot hold an index without risking the user's files: it is a file, a
    folder of other files, or lies inside a folder being indexed (or holds one)."""


class IndexWriteError(IndexStateError):
    """The index could not be written (a full disk, a read-only or forbidden folder). The
    index keeps its last completed commit; the message names the folder and the cause."""


class IndexBuildError(IndexWriteError):
    """A worker process of a parallel build died (killed by a signal, such as the system's
    out-of-memory killer) or failed. Nothing of that write was committed: the index keeps its
    last completed commit."""


class IndexReadError(IndexStateError):
    """The index files could not be read (permissions, an I/O error), though a check of the
    index finds no damage."""


class LexiconError(CorpusSearchError, ValueError):
    """A lexicon data file is malformed (the message names the file and line)."""


class LexiconMissingError(IndexStateError, LexiconError):
    """A user lexicon file that the index was built with is missing or unreadable; the
    message says how to put it back or rebuild without it."""


class IngestError(CorpusSearchError):
    """A document or folder could not be read."""


class DocumentIndexError(IngestError):
    """A document could not be added to the index (for example, its text is not valid
    Unicode). Nothing of the write it belonged to was committed; the index is not damaged."""


class PassageError(CorpusSearchError, ValueError):
    """A place asked for in a document's text (to quote the paragraph holding it) is in no
    paragraph of it: past its end, or between two paragraphs."""


class DocumentNotFoundError(CorpusSearchError, KeyError):
    """No document with the given id is in the index."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class IndexExistsError(IndexStateError):
    """An index already exists where :meth:`CorpusIndex.create` was asked to make one
    (without ``overwrite=True``)."""


class NoIndexGivenError(CorpusSearchError, ValueError):
    """Several indexes were to be searched as one, but none was named."""


class SourceFolderError(IngestError):
    """A folder to index is not a readable folder (missing, a file, a broken link,
    unreadable), or a rebuild cannot find the folders it would read.

    Where rebuilding from other folders is the fix, :attr:`rebuild_command` is that rebuild
    as a ``corpus-search`` command line, as on :class:`IndexStateError`."""

    #: the ``corpus-search index ... --rebuild`` command line that fixes it (``None``: none)
    rebuild_command: str | None = None

    def __init__(self, message: str, *, rebuild_command: str | None = None) -> None:
        super().__init__(message)
        self.rebuild_command = rebuild_command


class FolderOverlapError(SourceFolderError):
    """A folder to index lies inside, or holds, a folder the index already holds or another
    folder of the same run: its files would be indexed twice, under two ids each."""


class DatesFileError(IngestError):
    """A dates file (``--dates``) cannot be read or lacks the columns it needs."""


class ColumnsError(IngestError, ValueError):
    """A column mapping (``columns=``, ``--columns``) cannot be used: it names an unknown
    field, or a column that a CSV or JSON Lines file of the folder lacks (the message names
    the file and the columns it has). Nothing is written to the index."""


class DateOptionsError(CorpusSearchError):
    """A dating option cannot be used: a path date pattern (``--date-from-path``) or the list
    of date sources (``--date-from``)."""


class PatternTooBroad(QueryError):
    """A wildcard, fuzzy term or range of words matches more words than can be searched."""

    def __init__(
        self, pattern: str, count: int, limit: int,
        hint: str = "Make it more specific (more letters before the * or ?).",
    ) -> None:
        super().__init__(
            f"The pattern {pattern!r} matches {count:,} words; at most {limit:,} "
            f"can be searched. {hint}"
        )
        self.pattern = pattern
        self.count = count


class MissingExtraError(CorpusSearchError, ImportError):
    """A feature's optional extra is not installed (the message names the pip command)."""


def install_extra(extra: str) -> str:
    """How to install the optional ``extra``, in a source checkout (as the README installs
    corpus_search) and from a package index: the second alone sent a reader of the README
    to a package index for a package it may not hold, or another's of the same name."""
    return (f"pip install '.[{extra}]' in a source checkout (pip install "
            f"'corpus-search[{extra}]' from a package index)")


class PlotError(CorpusSearchError):
    """A chart cannot be drawn: matplotlib (the ``plot`` extra) is missing, or the file
    cannot be written."""


class ExportError(CorpusSearchError):
    """An export cannot be written where it was asked to be: the file or a folder that is not
    empty is there (without ``overwrite``), the format is unknown or cannot go to a stream,
    or the place cannot be written (a missing folder, no permission, a full disk). Nothing
    is left of the export, and what was there is as it was."""


class EngineUnavailableError(CorpusSearchError, ImportError):
    """A comparison engine's optional package is not installed."""


class WorkerError(RuntimeError):
    """A worker process of a parallel build died (``exitcode``: minus the signal that killed
    it, as :attr:`multiprocessing.Process.exitcode` gives it) or failed without a picklable
    exception (``exitcode`` None). (The parent raises it; the caller cancels the write.)"""

    def __init__(self, message: str, exitcode: int | None = None) -> None:
        super().__init__(message)
        self.exitcode = exitcode


class Unsupported(Exception):
    """The query holds a node the array engine does not evaluate (Whoosh must run it).
    Raised by :mod:`corpus_search.search.engine` and caught by
    :mod:`corpus_search.search.execute`; it never reaches a caller."""
