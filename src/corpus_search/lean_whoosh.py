"""Whoosh, imported without the parts of the standard library no search uses.

Whoosh's modules import, for a name that neither this library nor Whoosh's search
path ever calls, far more than they use:

- ``whoosh.compat`` binds ``urllib.request.urlretrieve``, and ``urllib.request`` imports
  ``http.client``, ``ssl``, ``email``, ``socket``, ``tempfile``...;
- ``whoosh.reading`` takes its one ``@cached_property`` from the PyPI package
  ``cached_property``, which imports ``asyncio`` (and with it ``concurrent.futures``,
  ``logging``, ``subprocess``) to tell coroutine functions apart;
- ``whoosh.query.terms`` imports Whoosh's English morphology tables
  (``whoosh.lang.morph_en``) for the ``Variations`` query alone;
- ``whoosh.compat`` also binds ``html.escape`` (for its highlighter's HTML formatter), and
  ``html`` imports its table of HTML entities (~1 ms);
- ``whoosh.analysis`` (through ``whoosh.reading``) imports Double Metaphone
  (``whoosh.lang.dmetaphone``) for a filter this library's analyzer does not use, and
  ``whoosh.util.times`` the ``calendar``. (Its Porter stemmer stays: a Whoosh ``StemFilter``
  holds ``stem`` itself, and pickles it with its schema.)
- ``whoosh.filedb.filetables`` imports ``hashlib`` for the ``md5`` of its hashed tables, and
  ``hashlib`` loads OpenSSL's library (~11M instructions of a cold search's ~604M:
  :mod:`corpus_search.digests`).
- ``whoosh.util`` imports ``random`` for the names of new files and segments, which a search
  never makes, and ``whoosh.classify`` (which ``whoosh.searching`` imports) for its
  clustering (~2M instructions of a cold search's ~593M, with its ``_sha512``).
- ``whoosh.filedb.filestore`` imports ``tempfile`` for the folder of a temporary storage, and
  ``whoosh.filedb.compound`` ``shutil`` for the ``copyfileobj`` that assembles a compound
  file: ``shutil`` imports ``bz2`` and ``lzma`` for its archives (~7M instructions of a cold
  search's ~750M). Neither is used by a search.

Together ~40 ms, a seventh of a ``corpus-search search`` process. Importing this module imports
those Whoosh modules (:data:`WHOOSH_MODULES`) with a small stand-in in ``sys.modules`` for
each of the modules they ask for above (only for one not yet imported: Whoosh is otherwise
given the real one), and takes the stand-ins out again as soon as Whoosh's modules are
imported, so no later import finds one (only another thread importing one of them in those
milliseconds could):

- ``urllib.request``: its ``urlretrieve`` imports the real module when it is called;
- ``cached_property``: its ``cached_property`` is the standard library's
  ``functools.cached_property``, which does the same for a plain method (Whoosh's one use,
  ``SegmentReader.deleted_docs_set``);
- ``whoosh.lang.morph_en``: its ``variations`` imports the real module when it is called;
- ``html``: its ``escape`` imports the real module when it is called;
- ``whoosh.lang.dmetaphone``: its ``double_metaphone`` imports the real module when it is
  called; ``calendar``, ``tempfile`` and ``random``: any name asked of it;
- ``shutil``: its ``copyfileobj`` imports the real module when it is called;
- ``hashlib``: its ``md5`` is the standard library's own (:mod:`corpus_search.digests`), the
  same digests.

Any other name asked of a stand-in is the real module's, imported then, so code that did get
hold of a stand-in still works. Whoosh is imported through this module wherever the library
uses it: the ``__init__`` of each package that uses Whoosh (``analysis``, ``store``,
``search``, ``evaluation``) imports it before any of their modules can import Whoosh, and
:mod:`corpus_search.multi_index`, the one other module that imports Whoosh as it loads, first.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from types import ModuleType

from corpus_search.digests import md5
from corpus_search.stand_ins import StandIn, standing_in, when_called

__all__ = ["STAND_INS", "WHOOSH_MODULES"]


#: module name -> what Whoosh is given in its place while it imports
STAND_INS: dict[str, Callable[[], ModuleType]] = {
    "urllib.request": lambda: StandIn(
        "urllib.request", urlretrieve=when_called("urllib.request", "urlretrieve")
    ),
    "cached_property": lambda: StandIn(
        "cached_property", cached_property=functools.cached_property
    ),
    "whoosh.lang.morph_en": lambda: StandIn(
        "whoosh.lang.morph_en", variations=when_called("whoosh.lang.morph_en", "variations")
    ),
    "html": lambda: StandIn("html", escape=when_called("html", "escape")),
    "whoosh.lang.dmetaphone": lambda: StandIn(
        "whoosh.lang.dmetaphone",
        double_metaphone=when_called("whoosh.lang.dmetaphone", "double_metaphone"),
    ),
    "calendar": lambda: StandIn("calendar"),
    "tempfile": lambda: StandIn("tempfile"),
    "random": lambda: StandIn("random"),
    "shutil": lambda: StandIn("shutil", copyfileobj=when_called("shutil", "copyfileobj")),
    "hashlib": lambda: StandIn("hashlib", md5=md5),
}


#: the Whoosh modules that import a name of a stand-in (the rest of Whoosh they import too)
WHOOSH_MODULES = (
    "whoosh.compat", "whoosh.query.terms", "whoosh.reading", "whoosh.filedb.compound",
    "whoosh.filedb.filetables", "whoosh.classify",
)

with standing_in(STAND_INS):
    for _module in WHOOSH_MODULES:
        importlib.import_module(_module)
