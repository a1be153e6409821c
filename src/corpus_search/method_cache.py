"""The methods :mod:`dataclasses` writes for a class, compiled once and kept in the user's
cache folder for the next command.

A dataclass's ``__init__``, ``__repr__`` and ``__eq__`` (a frozen one's ``__setattr__``,
``__delattr__`` and ``__hash__`` too) are written as source text and compiled, each by an
``exec`` of the text, when the class is made: ~0.8M instructions a method. The library's
modules a search imports make 32 dataclasses with 151 methods: compiling them took ~80M of
the ~1,070M instructions of a cold ``corpus-search search`` (callgrind), ~10 ms, the same
texts in every process.

A command (:func:`corpus_search.cli.main`) calls :func:`install`, which gives
:mod:`dataclasses` an ``exec`` of its own (:func:`_exec`): for a text it has seen, it runs the
code compiled from it before, read from the cache file ``dataclass-methods``; for another, it
compiles the text as ``exec`` does (file name ``<string>``, no ``__future__`` flags) and saves
the file again when the process ends. The methods made are the same functions: what is left
out is compiling. The file keeps each module's texts apart (the module whose class is made),
read only for a module a command makes classes of, and at most :data:`_MAX_TEXTS` of a
module's (then only those of the last process that made its classes: an upgrade's old texts
go). It is keyed on the Python build (a code object is its interpreter's own); a missing or
damaged file, or one of another build, is ignored, as every cache file is
(:mod:`corpus_search.cache_folder`). A program importing the library is left alone.
"""

from __future__ import annotations

import builtins
import marshal
import sys
from types import CodeType
from typing import Any

__all__ = ["CACHE_FILE", "install"]

#: the cache file's name in the user's cache folder
CACHE_FILE = "dataclass-methods"

#: the most method texts kept for one module
_MAX_TEXTS = 500

#: module name -> its texts and their code, marshalled as read from the file (None: not read)
_stored: dict[str, bytes] | None = None

#: module name -> method text -> its compiled code, for the modules this process made
#: classes of
_modules: dict[str, dict[str, CodeType]] = {}

#: module name -> the texts this process compiled or used (the file is written again when
#: it compiled one)
_used: dict[str, set[str]] = {}
_learned = False


def install() -> None:
    """Have :mod:`dataclasses` compile each method text once (see the module notes)."""
    import dataclasses

    dataclasses.exec = _exec  # type: ignore[attr-defined]  # (a global shadowing the builtin)


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec``, with the code of a source text compiled before when there is one."""
    if globals is None:  # (the caller's, as exec takes them)
        caller = sys._getframe(1)
        globals = caller.f_globals
        if locals is None:
            locals = caller.f_locals
    if type(source) is str:
        module = globals.get("__name__") if isinstance(globals, dict) else None
        source = _code_of(source, module if type(module) is str else "")
    builtins.exec(source, globals, locals)


def _code_of(text: str, module: str) -> CodeType:
    global _learned
    codes = _modules.get(module)
    if codes is None:
        codes = _modules[module] = _read(module)
    code = codes.get(text)
    if code is None:
        code = codes[text] = compile(text, "<string>", "exec", dont_inherit=True)
        _learned = True
    _used.setdefault(module, set()).add(text)
    return code


def _key() -> str:
    from corpus_search.cache_folder import build_key

    return build_key(sys.version, sys.implementation.cache_tag, marshal.version, 2)


def _read(module: str) -> dict[str, CodeType]:
    """The compiled texts the cache file keeps for ``module`` (none if it keeps none fit to
    read); the file is read the first time, and written again at exit if this process
    compiles a text."""
    global _stored
    if _stored is None:
        import atexit

        from corpus_search.cache_folder import read_cached

        atexit.register(_save)
        _stored = {}
        found = _loaded(read_cached(CACHE_FILE, _key()))
        if isinstance(found, dict):
            _stored = {m: b for m, b in found.items() if type(m) is str and type(b) is bytes}
    found = _loaded(_stored.get(module))
    if not isinstance(found, dict):
        return {}
    return {t: c for t, c in found.items() if type(t) is str and type(c) is CodeType}


def _loaded(payload: bytes | None) -> Any:
    try:
        return marshal.loads(payload) if payload else None
    except (EOFError, TypeError, ValueError):
        return None


def _save() -> None:
    """Write the cache file again, if this process compiled a text and there is a folder:
    the modules' texts as read, those of the modules this process made classes of as now
    (only those it used, for a module over :data:`_MAX_TEXTS`)."""
    from corpus_search.cache_folder import cache_dir, write_cached

    if not _learned or _stored is None or cache_dir() is None:
        return
    stored = dict(_stored)
    for module, codes in _modules.items():
        if len(codes) > _MAX_TEXTS:
            codes = {t: c for t, c in codes.items() if t in _used.get(module, ())}
        stored[module] = marshal.dumps(codes)
    write_cached(CACHE_FILE, _key(), marshal.dumps(stored))
