"""The methods :mod:`dataclasses` writes for a class, compiled once and kept in the user's
cache folder for the next command.

A dataclass's ``__init__``, ``__repr__`` and ``__eq__`` (a frozen one's ``__setattr__``,
``__delattr__`` and ``__hash__`` too) are written as source text and compiled, each by an
``exec`` of the text, when the class is made: ~0.8M instructions a method. The library's
modules a search imports make 32 dataclasses with 151 methods: ~115M of the ~1,070M
instructions of a cold ``corpus-search search`` (callgrind), ~14 ms, compiling the same
texts in every process.

A command (:func:`corpus_search.cli.main`) calls :func:`install`, which gives
:mod:`dataclasses` an ``exec`` of its own (:func:`_exec`): for a text it has seen, it runs the
code compiled from it before, read from the cache file ``dataclass-methods``; for another, it
compiles the text as ``exec`` does (file name ``<string>``, no ``__future__`` flags) and saves
the file again when the process ends. The methods made are the same functions: what is left
out is compiling. The file is keyed on the Python build (a code object is its interpreter's
own); a missing or damaged file, or one of another build, is ignored, as every cache file is
(:mod:`corpus_search.analysis.cachefiles`). A program importing the library is left alone.
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

#: the most method texts kept (a process that makes more compiles the rest each time)
_MAX_TEXTS = 20_000

#: method text -> its compiled code; None until first asked (then read from the cache file)
_compiled: dict[str, CodeType] | None = None

#: whether a text was compiled in this process (the file is then written when it ends)
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
        source = _code_of(source)
    builtins.exec(source, globals, locals)


def _code_of(text: str) -> CodeType:
    global _learned
    compiled = _compiled if _compiled is not None else _read()
    code = compiled.get(text)
    if code is None:
        code = compile(text, "<string>", "exec", dont_inherit=True)
        if len(compiled) < _MAX_TEXTS:
            compiled[text] = code
            _learned = True
    return code


def _key() -> str:
    import hashlib

    build = f"{sys.version}|{sys.implementation.cache_tag}|{marshal.version}|1"
    return hashlib.sha256(build.encode()).hexdigest()[:32]


def _read() -> dict[str, CodeType]:
    """The compiled texts of the cache file (empty if there is none fit to read), and the
    file written again at exit if this process compiles more."""
    global _compiled
    import atexit

    from corpus_search.analysis.cachefiles import read_cached

    _compiled = {}
    atexit.register(_save)
    payload = read_cached(CACHE_FILE, _key())
    try:
        found = marshal.loads(payload) if payload else None
    except (EOFError, TypeError, ValueError):
        found = None
    if isinstance(found, dict):
        _compiled.update(
            (text, code) for text, code in found.items()
            if type(text) is str and type(code) is CodeType
        )
    return _compiled


def _save() -> None:
    """Write the cache file again, if this process compiled a text and there is a folder."""
    from corpus_search.analysis.cachefiles import cache_dir, write_cached

    if _learned and _compiled and cache_dir() is not None:
        write_cached(CACHE_FILE, _key(), marshal.dumps(_compiled))
