"""corpus_search: full-text search for British political text.

>>> from corpus_search import CorpusIndex              # doctest: +SKIP
>>> with CorpusIndex("my-index") as ix:
...     ix.index_directory("articles/")
...     results = ix.search("Lib Dems by-election", filters={"since": "2004"})
"""

from __future__ import annotations

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from corpus_search.check import CheckReport, check_index
    from corpus_search.documents import Document
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

#: where each public name lives: imported on first use (PEP 562), so that ``import
#: corpus_search`` (and ``corpus-search --help``) does not load Whoosh, NumPy and the analyzer
_HOME = {
    "CheckReport": "check",
    "check_index": "check",
    "Document": "documents",
    "CorpusIndex": "index",
    "IndexReport": "index",
    "IndexStats": "index",
    "MultiIndex": "index",
    "default_index_path": "index",
    "demo_index_path": "index",
    "open_demo_index": "index",
    "open_indexes": "index",
    "rebuild_index": "index",
    "remove_index": "index",
    "DocumentNotFoundError": "search",
    "Hit": "search",
    "Ranking": "search",
    "SearchFilters": "search",
    "SearchResults": "search",
    "Snippet": "search",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'corpus_search' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"corpus_search.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
