"""corpus_search: full-text search for British political text.

>>> from corpus_search import CorpusIndex              # doctest: +SKIP
>>> with CorpusIndex("my-index") as ix:
...     ix.index_directory("articles/")
...     results = ix.search("Lib Dems by-election", filters={"since": "2004"})
"""

from __future__ import annotations

__version__ = "0.1.0"

from corpus_search.errors import (
    CorpusSearchError,
    DocumentIndexError,
    DocumentNotFoundError,
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
    IndexStats,
    open_demo_index,
    rebuild_index,
    remove_index,
)
from corpus_search.ingest.model import Document
from corpus_search.ingesting import IndexReport
from corpus_search.multi_index import MultiIndex, open_indexes
from corpus_search.search.filters import SearchFilters
from corpus_search.search.ranking import Ranking
from corpus_search.search.results import Hit, SearchResults, Snippet
from corpus_search.store.check import CheckReport, check_index
from corpus_search.store.generations import default_index_path, demo_index_path

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
