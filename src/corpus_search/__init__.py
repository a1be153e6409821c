"""corpus_search: full-text search for British political text.

Index a folder of articles (.txt, .md, .html, .csv, .jsonl), then search it and study the
matches:

>>> from corpus_search import CorpusIndex                        # doctest: +SKIP
>>> with CorpusIndex("my-index") as ix:                          # opens, or creates
...     report = ix.index_directory("articles/")                 # IndexReport; again: updates
...     results = ix.search("Lib Dems by-election", filters={"since": "2004"}, page=1)
...     results.total, results.facets, results.hits              # hits: Hit (id, title, snippet...)
...     ix.concordance("Lib Dems")                               # every place, in context
...     ix.count("Lib Dems", by="year")                          # or month, source, party
...     ix.trends(["Lib Dems", "Tories"], by="party")            # several queries side by side
...     ix.key_terms("Lib Dems")                                 # the words that set them apart
...     ix.similar(results.hits[0].id)                           # documents like one
...     ix.export("Lib Dems", "lib_dems.csv")                    # every match, full text
...     ix.get(results.hits[0].id)                               # a Document

Every result prints as a summary and gives its data with ``to_dict()``. :class:`MultiIndex`
searches several indexes as one. Every error raised on purpose is a
:class:`CorpusSearchError`. The user guide (docs/user-guide.md) tells the rest.
"""

from __future__ import annotations

import importlib

from corpus_search.errors import (
    ColumnsError,
    CorpusSearchError,
    DateOptionsError,
    DatesFileError,
    DocumentIndexError,
    DocumentNotFoundError,
    ExportError,
    FolderOverlapError,
    IndexBuildError,
    IndexCorruptError,
    IndexExistsError,
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
    NoIndexGivenError,
    PassageError,
    PatternTooBroad,
    PlotError,
    QueryBudgetError,
    QueryError,
    SourceFolderError,
)

#: (not ``typing.TYPE_CHECKING``: importing ``typing`` costs every command's entry point
#: ~5 ms, a tenth of a served search; type checkers treat this name the same)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

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
    from corpus_search.search.citing import Citation
    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.hits import Hit, Snippet
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.results import SearchResults
    from corpus_search.store.check import CheckReport, check_index
    from corpus_search.store.generations import default_index_path, demo_index_path

__all__ = [
    "CheckReport",
    "Citation",
    "ColumnsError",
    "Concordance",
    "ConcordanceLine",
    "CorpusIndex",
    "CorpusSearchError",
    "CountRow",
    "Counts",
    "DateOptionsError",
    "DatesFileError",
    "Document",
    "DocumentIndexError",
    "DocumentNotFoundError",
    "ExportError",
    "ExportReport",
    "FolderOverlapError",
    "Hit",
    "IndexBuildError",
    "IndexCorruptError",
    "IndexExistsError",
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
    "KeyTerm",
    "KeyTerms",
    "LexiconError",
    "LexiconMissingError",
    "Marks",
    "MultiIndex",
    "NoIndexGivenError",
    "PassageError",
    "PatternTooBroad",
    "PlotError",
    "QueryBudgetError",
    "QueryError",
    "Ranking",
    "SearchFilters",
    "SearchResults",
    "Snippet",
    "SourceFolderError",
    "TrendRow",
    "Trends",
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
    "CheckReport": "store.check",
    "check_index": "store.check",
    "Document": "ingest.model",
    "CorpusIndex": "index",
    "IndexStats": "index",
    "open_demo_index": "index",
    "rebuild_index": "index",
    "remove_index": "index",
    "IndexReport": "ingesting",
    "MultiIndex": "multi_index",
    "open_indexes": "multi_index",
    "default_index_path": "store.generations",
    "demo_index_path": "store.generations",
    "Hit": "search.hits",
    "SearchResults": "search.results",
    "Snippet": "search.hits",
    "Ranking": "search.ranking",
    "SearchFilters": "search.filters",
    "Concordance": "search.concordance",
    "ConcordanceLine": "search.lines",
    "Marks": "search.concordance",
    "Counts": "search.counting",
    "CountRow": "search.counting",
    "KeyTerm": "search.keyterms",
    "KeyTerms": "search.keyterms",
    "Trends": "search.trends",
    "TrendRow": "search.trends",
    "ExportReport": "search.export",
    "Citation": "search.citing",
}


#: the distribution whose installed metadata gives ``__version__``
_DISTRIBUTION = "corpus-search"


def _installed_version() -> str:
    """The version of corpus-search installed, as its metadata (pyproject.toml's, when it
    was installed) says; ``"0+unknown"`` when the package is run from a folder that was
    never installed (a source checkout on ``PYTHONPATH``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        # (looked up on first use, not at import: importlib.metadata costs a command's
        # start-up some 50 ms; a constant here had said 0.1.0 whatever was installed)
        globals()[name] = value = _installed_version()
        return value
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'corpus_search' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"corpus_search.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, the module's own (``__version__``, ``__doc__``...) and its submodules
    loaded so far: not what the lazy loading uses (``importlib``, ``TYPE_CHECKING``,
    ``_HOME``), which ``dir(corpus_search)`` listed among them."""
    submodules = {
        name
        for name, value in globals().items()
        if isinstance(value, type(importlib)) and value.__name__.startswith(f"{__name__}.")
    }
    return sorted(set(__all__) | submodules | {name for name in globals() if name.startswith("__")})
