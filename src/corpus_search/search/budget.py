"""The time budget of one query.

:func:`corpus_search.search.execute.search` runs each query inside :func:`query_budget`; the places
where a query's work grows with the index or the query (reading a term's postings, each node
of the query tree, each word of a wildcard or fuzzy expansion, each document Whoosh's own
searcher collects, each snippet) call :func:`check_budget`, which raises
:class:`~corpus_search.errors.QueryBudgetError` once the deadline has passed. Outside a
budget :func:`check_budget` does nothing, so the engine can be used on its own.

The deadline is a context variable: each thread (and each asyncio task) has its own.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from corpus_search.errors import QueryBudgetError

__all__ = ["check_budget", "query_budget"]

#: (deadline on the monotonic clock, the budget in seconds), or None outside a budget
_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("corpus_search_deadline",
                                                               default=None)


@contextlib.contextmanager
def query_budget(seconds: float | None) -> Iterator[None]:
    """Run the block with a budget of ``seconds`` (``None``: no budget). A budget already
    running (a search inside a search) is kept if it ends sooner."""
    if seconds is None:
        yield
        return
    deadline = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None and outer[0] <= deadline:
        yield
        return
    token = _DEADLINE.set((deadline, seconds))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_budget() -> None:
    """Raise :class:`QueryBudgetError` if the running query's budget is spent."""
    running = _DEADLINE.get()
    if running is not None and time.monotonic() > running[0]:
        raise QueryBudgetError(
            f"The query was stopped after {running[1]:g} s, its time limit: it asks for too "
            "much work. Make it narrower: fewer wildcards or fuzzy~ terms, more letters "
            "before a *, fewer words joined by OR, or a filter.",
            running[1],
        )
