"""NumPy, loaded by a command without the modules no command uses.

A command calls :func:`install` before anything imports NumPy; NumPy then loads without

- the modules that attach the docstrings of its compiled functions and types, one call at a
  time (:data:`NUMPY_DOCSTRING_MODULES`: ~50M instructions, ~6 ms of a cold search, for text
  only ``help()`` shows), each a :class:`~corpus_search.stand_ins.StandIn` in ``sys.modules``;
- ``numpy.linalg`` (:data:`NUMPY_LINALG`), which NumPy's own modules import as they load for
  four functions (:data:`LINALG_NAMES`: the matrix class's ``matrix_power``, the polynomial
  fit's ``eigvals``, ``inv`` and ``lstsq``), and which imports ``numpy._typing``, whose type
  aliases are built as it loads: ~48M instructions of a cold search's ~820M (callgrind,
  "search Blair" on the BBC index). The array engine solves no linear system. A stand-in is
  loaded in its place (by a finder, so NumPy's ``linalg`` attribute is the stand-in, as it
  would be the module) that holds those four names, each loading the real module when
  called;
- :mod:`ctypes` (:data:`CTYPES`), which ``numpy._core._internal`` imports as it loads, for
  the ``ctypes`` attribute of an array and NumPy's C integer type, neither of which a command
  reads: loading it (with its shared library) was ~6M instructions of a cold search's ~680M.
  While NumPy loads, ``import ctypes`` gives a stand-in, taken out of ``sys.modules`` as soon
  as NumPy asks for ``numpy.linalg`` (later in its load), so that any other importer gets
  the real module; NumPy's reference loads the real module when first read;
- the modules of ``numpy.lib`` that only ``numpy.lib`` and NumPy's own ``__init__`` import,
  for names no command uses (:data:`NUMPY_LIB_UNUSED`: reading and writing ``.npy`` and
  text files, with the modules they import, ``numpy.lib.format``, ``_iotools`` and
  ``_datasource``; padding; the NaN-skipping reductions; histograms; ``info`` and
  ``get_include``; ``scimath``; the operator mixin): ~11M instructions of a cold search's
  ~630M. Each is a stand-in in ``sys.modules`` holding the functions NumPy's ``__init__``
  takes from it (each importing the real module when called) and the ``__all__`` it reads.
  The rest of ``numpy.lib`` is imported by modules a command uses or holds classes and
  objects (``poly1d``, ``r_``), which a function cannot stand in for.

Any other name asked of a stand-in is the real module's, loaded then, so code that uses
``numpy.linalg`` (or a docstring) still works. Nothing is changed when NumPy is already
loaded: a program that imports the library keeps NumPy whole.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from corpus_search.stand_ins import StandIn, when_called

__all__ = [
    "CTYPES", "LINALG_NAMES", "NUMPY_DOCSTRING_MODULES", "NUMPY_LIB_UNUSED", "NUMPY_LINALG",
    "install",
]

#: NumPy's modules that attach the docstrings of its compiled functions and types
NUMPY_DOCSTRING_MODULES = ("numpy._core._add_newdocs", "numpy._core._add_newdocs_scalars")

#: modules of ``numpy.lib`` no command uses, each with the names NumPy's ``__init__`` takes
#: from it (its ``__all__``; tests/test_startup.py checks them against NumPy's)
NUMPY_LIB_UNUSED: dict[str, tuple[str, ...]] = {
    "numpy.lib._npyio_impl": (
        "fromregex", "genfromtxt", "load", "loadtxt", "packbits", "save", "savetxt", "savez",
        "savez_compressed", "unpackbits"),
    "numpy.lib.npyio": (),
    "numpy.lib.format": (),
    "numpy.lib._arraypad_impl": ("pad",),
    "numpy.lib._nanfunctions_impl": (
        "nanargmax", "nanargmin", "nancumprod", "nancumsum", "nanmax", "nanmean", "nanmedian",
        "nanmin", "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum", "nanvar"),
    "numpy.lib._histograms_impl": ("histogram", "histogram_bin_edges", "histogramdd"),
    "numpy.lib._utils_impl": ("get_include", "info", "show_runtime"),
    "numpy.lib.scimath": (),
    "numpy.lib.mixins": (),
}

#: NumPy's linear algebra, and the names NumPy's own modules import from it as they load
NUMPY_LINALG = "numpy.linalg"
LINALG_NAMES = ("matrix_power", "eigvals", "inv", "lstsq")

#: the module NumPy imports as it loads for what no command reads (see the module notes)
CTYPES = "ctypes"


class _StandInFinder:
    """Finds :data:`NUMPY_LINALG`, once, as its stand-in, then leaves ``sys.meta_path``,
    taking :data:`CTYPES`'s stand-in out of ``sys.modules``; and :data:`CTYPES` as its
    stand-in while NumPy loads before that. (A stand-in put in ``sys.modules`` beforehand
    would not become NumPy's ``linalg`` attribute, and NumPy's ``__getattr__`` for it would
    import it again and again.)"""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: Any = None
                  ) -> ModuleSpec | None:
        if fullname == CTYPES and "numpy" in sys.modules:  # (NumPy is loading)
            return ModuleSpec(fullname, self)
        if fullname != NUMPY_LINALG:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        if isinstance(sys.modules.get(CTYPES), StandIn):
            del sys.modules[CTYPES]
        return ModuleSpec(fullname, self)

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        if spec.name == CTYPES:
            return StandIn(spec.name)
        return StandIn(spec.name, **{n: when_called(spec.name, n) for n in LINALG_NAMES})

    def exec_module(self, module: ModuleType) -> None:
        pass


def install() -> None:
    """Let NumPy, when this process loads it, skip the modules above."""
    if "numpy" in sys.modules:
        return
    for name in NUMPY_DOCSTRING_MODULES:
        sys.modules.setdefault(name, StandIn(name))
    for name, names in NUMPY_LIB_UNUSED.items():
        if name not in sys.modules:
            sys.modules[name] = StandIn(name, __all__=list(names),
                                        **{n: when_called(name, n) for n in names})
    if NUMPY_LINALG not in sys.modules and \
            not any(isinstance(f, _StandInFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _StandInFinder())
