"""Stand-in modules: a module put in ``sys.modules`` in place of one a command has no use for,
so that importing it by name costs nothing, and the real module is imported the moment
anything is asked of it.

:mod:`corpus_search.lean_whoosh` uses them while Whoosh imports (for the standard library
modules Whoosh imports and no search uses) and :mod:`corpus_search.lean_numpy` while NumPy
does (its docstrings and its linear algebra). Imports nothing of ours, so that either can use
it before anything else is imported.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any

__all__ = ["StandIn", "real_module", "standing_in", "when_called"]


class StandIn(ModuleType):
    """A module in ``sys.modules`` in place of ``name``: the names given, and any other name
    read from the real module (imported when first asked)."""

    def __init__(self, name: str, **names: Any) -> None:
        super().__init__(name)
        self.__dict__.update(names)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # the import system's questions (__path__, __spec__...)
            raise AttributeError(attr)
        return getattr(real_module(self.__name__), attr)


def real_module(name: str) -> ModuleType:
    """The module ``name`` itself, imported now if a stand-in is in its place."""
    module = sys.modules.get(name)
    if isinstance(module, StandIn):
        del sys.modules[name]
        module = None
    return module if module is not None else importlib.import_module(name)


@contextmanager
def standing_in(stand_ins: Mapping[str, Callable[[], ModuleType]]) -> Iterator[None]:
    """Within the block, each module named in ``stand_ins`` that is not imported yet has the
    stand-in its function makes in ``sys.modules``; those still there after the block are
    taken out, so that no later import finds one (only another thread importing one of them
    meanwhile could)."""
    placed = {}
    for name, make in stand_ins.items():
        if name not in sys.modules:
            placed[name] = sys.modules[name] = make()
    try:
        yield
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


def when_called(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, importing ``module`` only when first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(real_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when first called."
    return call
