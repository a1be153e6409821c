"""corpus_search: full-text search for British political text.

>>> from corpus_search import CorpusIndex              # doctest: +SKIP
>>> with CorpusIndex("my-index") as ix:
...     ix.index_directory("articles/")
...     results = ix.search("Lib Dems by-election", filters={"since": "2004"})
"""

from __future__ import annotations

__version__ = "0.1.0"

from corpus_search.documents import Document
from corpus_search.errors import (
    CorpusSearchError,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexStateError,
    IndexVersionError,
    IngestError,
    LexiconError,
    QueryError,
)
from corpus_search.index import CorpusIndex, IndexReport, IndexStats, default_index_path
from corpus_search.search import (
    DocumentNotFoundError,
    Hit,
    Ranking,
    SearchFilters,
    SearchResults,
    Snippet,
)

__all__ = [
    "CorpusIndex",
    "CorpusSearchError",
    "Document",
    "DocumentNotFoundError",
    "Hit",
    "IndexCorruptError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReport",
    "IndexStateError",
    "IndexStats",
    "IndexVersionError",
    "IngestError",
    "LexiconError",
    "QueryError",
    "Ranking",
    "SearchFilters",
    "SearchResults",
    "Snippet",
    "__version__",
    "default_index_path",
]
