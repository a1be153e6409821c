"""Where each module a command imports lies, kept in the user's cache folder, so that the next
command finds its modules without searching ``sys.path`` for each.

A ``corpus-search search`` process imports ~300 modules after its start. Python's path finder
looks for each in every folder of ``sys.path`` in turn (a top-level module) or of its
package, trying each file suffix: ~26M instructions of a cold search's ~630M (callgrind,
"search Blair" on the BBC index), besides the folders it lists. The console script
(:func:`corpus_search.launch.main`) calls :func:`install`, which puts a finder first in
``sys.meta_path`` that answers, for a module it has a place for, the spec the path finder
would give (the same loader, file and package folder: loading, and checking the compiled
file against the source, are Python's, as before); for any other module it answers nothing
and Python's finders search as they do. At exit the modules that Python's path finder found
(from a source or an extension file) are saved when the file lacks one.

The places hold while ``sys.path`` and the folders they were found in hold the same files:
the file ``module-places`` keeps them with ``sys.path`` and the modification time of each of
those folders and of each folder of ``sys.path`` (a file added, removed or renamed in a
folder changes its time: an upgrade of a package, a module newly shadowing another). When
one differs, or ``sys.path`` or the Python build does, none is used, and the file is written
again at exit. A missing or damaged file is ignored, as every cache file is
(:mod:`corpus_search.cache_folder`). A program importing the library is left alone.
"""

from __future__ import annotations

import marshal
import os
import sys
from importlib.machinery import (
    EXTENSION_SUFFIXES,
    ExtensionFileLoader,
    ModuleSpec,
    SourceFileLoader,
)
from importlib.util import spec_from_file_location
from typing import Any

__all__ = ["CACHE_FILE", "install"]

#: the cache file's name in the user's cache folder
CACHE_FILE = "module-places"

#: the most places kept
_MAX_PLACES = 2000

_EXTENSIONS = tuple(EXTENSION_SUFFIXES)

#: module name -> (its file, whether it is a package's ``__init__``), as read from the file
_places: dict[str, tuple[str, bool]] = {}
_installed = False


class _Finder:
    """The spec of a module whose place is kept (see the module notes), else nothing."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        place = _places.get(name)
        if place is None:
            return None
        origin, package = place
        if origin.endswith(_EXTENSIONS):
            loader: Any = ExtensionFileLoader(name, origin)
        else:
            loader = SourceFileLoader(name, origin)
        return spec_from_file_location(
            name, origin, loader=loader,
            submodule_search_locations=[os.path.dirname(origin)] if package else None,
        )


def install() -> None:
    """Find this process's modules at their kept places; learn the others' for next time."""
    global _installed
    if _installed:
        return
    _installed = True
    import atexit

    atexit.register(_save)
    _places.update(_read())
    if _places:
        sys.meta_path.insert(0, _Finder)


def _key() -> str:
    import zlib

    build = f"{sys.version}|{sys.implementation.cache_tag}|{marshal.version}|1"
    return f"{zlib.crc32(build.encode('utf-8', 'surrogatepass')):08x}"


def _stamps(folders: Any) -> dict[str, int]:
    """Each folder's modification time (-1: none there)."""
    stamps = {}
    for folder in folders:
        try:
            stamps[folder] = os.stat(folder or ".").st_mtime_ns
        except OSError:
            stamps[folder] = -1
    return stamps


def _read() -> dict[str, tuple[str, bool]]:
    """The places the cache file keeps, if they still hold (see the module notes)."""
    from corpus_search.cache_folder import read_cached

    payload = read_cached(CACHE_FILE, _key())
    try:
        found = marshal.loads(payload) if payload else None
    except (EOFError, TypeError, ValueError):
        return {}
    if not (type(found) is tuple and len(found) == 3 and found[0] == list(sys.path)):
        return {}
    _, stamps, places = found
    if type(stamps) is not dict or type(places) is not dict or _stamps(stamps) != stamps:
        return {}
    return places


def _found_here() -> dict[str, tuple[str, bool]]:
    """The modules of this process that Python's path finder (or this module's) found in a
    source or extension file, with their places."""
    places = {}
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None)
        if type(loader) not in (SourceFileLoader, ExtensionFileLoader):
            continue
        origin = spec.origin
        if not isinstance(origin, str) or getattr(spec, "name", None) != name:
            continue
        package = spec.submodule_search_locations is not None
        if package and list(spec.submodule_search_locations) != [os.path.dirname(origin)]:
            continue  # (a package with a path of its own making: left to Python's finders)
        places[name] = (origin, package)
    return places


def _save() -> None:
    """Write the cache file again if this process found a module at a place it lacks."""
    from corpus_search.cache_folder import cache_dir, write_cached

    found = _found_here()
    if all(_places.get(name) == place for name, place in found.items()):
        return
    if cache_dir() is None:
        return
    places = {**_places, **found} if len(_places) + len(found) <= _MAX_PLACES else found
    folders = {*sys.path, *(os.path.dirname(origin) for origin, _ in places.values())}
    folders |= {os.path.dirname(os.path.dirname(o)) for o, package in places.values() if package}
    try:
        payload = marshal.dumps((list(sys.path), _stamps(sorted(folders)), places))
    except ValueError:
        return
    write_cached(CACHE_FILE, _key(), payload)
