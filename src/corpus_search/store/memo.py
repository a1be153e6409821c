"""What is worked out from a Whoosh searcher (or a query engine), kept as long as it lives.

A searcher reads one generation of the index, so what is worked out from it never goes stale:
query engines, body column readers, stored fields read lately, parsed queries, text keys,
vocabularies. Each such cache is a :class:`PerSearcher` kept by the module that owns it, keyed
weakly by its owner (docs/architecture.md): no module stores attributes on Whoosh's objects,
and a closed searcher's caches go with it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["PerSearcher"]

K = TypeVar("K")
V = TypeVar("V")


class PerSearcher(Generic[K, V]):
    """``make(owner)``, made once per owner (a searcher, an engine) and kept while it lives.

    Keyed weakly, so the value must not hold its owner strongly (a weak proxy will do): a value
    holding its key keeps both alive for good, and with them the searcher's segment files."""

    def __init__(self, make: Callable[[K], V]) -> None:
        self._make = make
        self._kept: weakref.WeakKeyDictionary[K, V] = weakref.WeakKeyDictionary()

    def __call__(self, owner: K) -> V:
        found = self._kept.get(owner)
        if found is None:
            found = self._kept[owner] = self._make(owner)
        return found
