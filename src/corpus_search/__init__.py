"""corpus_search: full-text search for British political text.

>>> from corpus_search import CorpusIndex              # doctest: +SKIP
>>> with CorpusIndex("my-index") as ix:
...     ix.index_directory("articles/")
...     results = ix.search("Lib Dems by-election", filters={"since": "2004"})
"""

from __future__ import annotations

__version__ = "0.1.0"

from corpus_search.check import CheckReport, check_index
from corpus_search.documents import Document
from corpus_search.errors import (
    CorpusSearchError,
    DocumentIndexError,
    IndexBuildError,
    IndexCorruptError,
    IndexLocationError,
    IndexLockedError,
    IndexNotFoundError,
    IndexReadError,
    IndexStateError,
    IndexVersionError,
    IndexWriteError,
    IngestError,
    LexiconError,
    LexiconMissingError,
    QueryBudgetError,
    QueryError,
)
from corpus_search.index import (
    CorpusIndex,
    IndexReport,
    IndexStats,
    MultiIndex,
    default_index_path,
    demo_index_path,
    open_demo_index,
    open_indexes,
    rebuild_index,
    remove_index,
)
from corpus_search.search import (
    DocumentNotFoundError,
    Hit,
    Ranking,
    SearchFilters,
    SearchResults,
    Snippet,
)

__all__ = [
    "CheckReport",
    "CorpusIndex",
    "CorpusSearchError",
    "Document",
    "DocumentIndexError",
    "DocumentNotFoundError",
    "Hit",
    "IndexBuildError",
    "IndexCorruptError",
    "IndexLocationError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexReadError",
    "IndexReport",
    "IndexStateError",
    "IndexStats",
    "IndexVersionError",
    "IndexWriteError",
    "IngestError",
    "LexiconError",
    "LexiconMissingError",
    "MultiIndex",
    "QueryBudgetError",
    "QueryError",
    "Ranking",
    "SearchFilters",
    "SearchResults",
    "Snippet",
    "__version__",
    "check_index",
    "default_index_path",
    "demo_index_path",
    "open_demo_index",
    "open_indexes",
    "rebuild_index",
    "remove_index",
]
