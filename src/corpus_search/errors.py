"""Exceptions raised by corpus_search.

Every error the library raises on purpose derives from :class:`CorpusSearchError`, so callers
can catch one class. Each carries a message written for a person, not a traceback.
"""

from __future__ import annotations


class CorpusSearchError(Exception):
    """Base class of every error corpus_search raises on purpose."""


class QueryError(CorpusSearchError, ValueError):
    """A query could not be understood (for example an unknown field or an empty query)."""


class IndexStateError(CorpusSearchError):
    """Base class of problems with an index on disk."""

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class IndexNotFoundError(IndexStateError):
    """No index exists at the given location."""


class IndexLockedError(IndexStateError):
    """Another process is writing to the index."""


class IndexCorruptError(IndexStateError):
    """The index files are damaged or incomplete; rebuild the index."""


class IndexVersionError(IndexStateError):
    """The index was built by another analyzer or lexicon version; rebuild it."""


class LexiconError(CorpusSearchError, ValueError):
    """A lexicon data file is malformed (the message names the file and line)."""


class IngestError(CorpusSearchError):
    """A document or folder could not be read."""
