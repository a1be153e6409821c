"""What a search needs of an index, and the caches it keeps for one.

:func:`~corpus_search.search.execute.search` and the parsing, filter and spelling code are
handed a :class:`SearchSource`: an opened index as searching sees it (its current searcher,
the guard that turns damaged files into clear errors, its lexicon and schema), never the index
class itself, so this package does not import :mod:`corpus_search.index`. The source keeps
one :class:`SearchState` (its caches) that searching fills; the index drops it on reload.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from whoosh.fields import Schema
from whoosh.searching import Searcher

from corpus_search.analysis.lexicon import Lexicon

if TYPE_CHECKING:
    from collections.abc import Callable

    from corpus_search.search.ranking import Ranking

__all__ = ["SearchSource", "SearchState"]


@dataclass
class SearchState:
    """Caches of searches over one index: the query parsers, one per (fields, ranking)
    (building one costs ~1 ms). They hold the index's analyzer, so an index that reloads
    (another lexicon) starts a new state."""

    parsers: dict[tuple[Any, ...], Any] = field(default_factory=dict)


class SearchSource(Protocol):
    """An opened index as searching sees it (:class:`~corpus_search.index.CorpusIndex` and
    :class:`~corpus_search.multi_index.MultiIndex` are ones)."""

    lexicon: Lexicon
    path: Any

    @property
    def schema(self) -> Schema: ...

    @property
    def search_state(self) -> SearchState: ...

    def searcher(self, ranking: Ranking | None = None) -> Searcher: ...

    def keep_open(self, searcher: Searcher) -> Callable[[], None]: ...

    def guard(self) -> contextlib.AbstractContextManager[None]: ...
