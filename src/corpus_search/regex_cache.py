"""The regular expressions a command's modules compile as they load, compiled once and kept in
the user's cache folder for the next command.

A ``corpus-search search`` process compiles ~120 patterns (click's, rich's, Whoosh's, the
standard library's and ~50 of the library's own: the analyzer's sentence ends alone ~2 ms),
the same texts in every process: ~8-12 ms of its start. Compiling one is parsing it and
writing its program for the regex engine (:mod:`re._compiler`), both in Python; the engine
then takes the program (``_sre.compile``) and checks it.

The console script (:func:`corpus_search.launch.main`) calls :func:`install`, which hands
:mod:`re` a compile of its own (:func:`_compile`): for a pattern and flags it has seen, it
gives the engine the program kept from before; for another it compiles as :mod:`re` does,
and keeps the program to save when the process ends. The file is written again when the
process compiled a pattern it lacks as a module loaded (a module's own, the same in every
process), or :data:`_LATER_TO_SAVE` compiled later, not for the one or two a search builds
from its query's words. The pattern objects made are the same. The file ``regex-programs``
is keyed on the Python build and the engine's version (a program is its engine's own); a
missing or damaged file, one of another build, or a program the engine refuses is ignored,
as every cache file is (:mod:`corpus_search.cache_folder`). Each program is kept in the file
marshalled on its own and read when its pattern is first compiled: the file holds the
patterns of every command the user ran (an index's, a concordance's), up to
:data:`_MAX_PATTERNS`, and decoding them all (~77k instructions a pattern) cost a search
~7M instructions for the ~100 patterns ``corpus-search index`` adds. A program importing the
library is left alone.
What is left out for a kept pattern: the warnings a few patterns give when parsed
(``FutureWarning: Possible nested set``), given the first time only.
"""

from __future__ import annotations

import marshal
import sys
from typing import Any

__all__ = ["CACHE_FILE", "install"]

#: the cache file's name in the user's cache folder
CACHE_FILE = "regex-programs"

#: the most patterns kept (beyond them, only those the last process to save used)
_MAX_PATTERNS = 500

#: (pattern, flags) -> (flags, program, groups, group index, index group) as given to
#: ``_sre.compile``: learned by this process, or read from the file (kept marshalled, as
#: bytes, until the pattern is compiled)
_programs: dict[tuple[Any, int], tuple | bytes | None] = {}

#: the patterns this process compiled or used from the file
_used: set[tuple[Any, int]] = set()
#: whether this process compiled a pattern as a module loaded that the file lacks
_learned = False
#: how many it compiled later (in a function) that the file lacks
_learned_later = 0

#: the patterns compiled later it takes to save the file (a search compiles one or two
#: patterns of its query's words, new to the file: the file is not written again for them)
_LATER_TO_SAVE = 3
_installed = False


def install() -> None:
    """Have :mod:`re` compile each pattern a module compiles as it loads once (see the module
    notes); nothing if this Python's :mod:`re` is not the one this was written for."""
    global _installed
    if _installed:
        return
    try:
        from re import _compiler  # (Python 3.11 on; 3.10's is sre_compile: left alone)
    except ImportError:
        return
    if not callable(getattr(_compiler, "compile", None)) or not hasattr(_compiler, "_sre"):
        return
    _installed = True
    global _real, _sre
    _real = _compiler.compile
    _sre = _compiler._sre
    _read()
    _compiler.compile = _compile


_real: Any = None
_sre: Any = None


def _compile(p: Any, flags: int = 0) -> Any:
    """:func:`re._compiler.compile`, with the program compiled before when there is one."""
    if type(p) not in (str, bytes) or flags & 128:  # (a parsed pattern; re.DEBUG)
        return _real(p, flags)
    key = (p, flags)
    kept = _programs.get(key)
    if type(kept) is bytes:
        kept = _programs[key] = _decoded(kept)
    if kept is not None:
        try:
            compiled = _sre.compile(p, *kept)
        except Exception:  # (a program the engine refuses: compiled afresh)
            del _programs[key]
        else:
            _used.add(key)
            return compiled
    try:  # (as re._compiler.compile does, keeping the program)
        from re import _compiler, _parser

        parsed = _parser.parse(p, flags)
        state = parsed.state
        index: list[str | None] = [None] * state.groups
        for name, i in state.groupdict.items():
            index[i] = name
        # (plain ints: the flags may be re.RegexFlag, the opcodes named constants, and
        # marshal takes neither)
        program = (int(flags | state.flags), list(map(int, _compiler._code(parsed, flags))),
                   state.groups - 1, dict(state.groupdict), tuple(index))
        compiled = _sre.compile(p, *program)
    except Exception:  # (a bad pattern: re's own compile says so, as without this)
        return _real(p, flags)
    global _learned, _learned_later
    key = (p, int(flags))
    _programs[key] = program
    _used.add(key)
    if _while_loading():
        _learned = True
    else:
        _learned_later += 1
    return compiled


def _decoded(payload: bytes) -> Any:
    """A program as the file keeps it, read (None: one not fit to give the engine)."""
    try:
        program = marshal.loads(payload)
    except (EOFError, TypeError, ValueError):
        return None
    return program if type(program) is tuple and len(program) == 5 else None


def _while_loading() -> bool:
    """Whether the pattern is compiled by a module's code as it loads (a frame of a module's
    body, not the program's own ``__main__``, is among the callers)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") != "__main__":
            return True
        frame = frame.f_back
    return False


def _key() -> str:
    from corpus_search.cache_folder import build_key

    return build_key(sys.version, _sre.MAGIC, _sre.CODESIZE, marshal.version, 2)


def _read() -> None:
    """The programs the cache file keeps; saved again at exit if this process learns one."""
    import atexit

    from corpus_search.cache_folder import read_cached

    atexit.register(_save)
    payload = read_cached(CACHE_FILE, _key())
    try:
        found = marshal.loads(payload) if payload else None
    except (EOFError, TypeError, ValueError):
        found = None
    if isinstance(found, dict):
        _programs.update(
            (k, v) for k, v in found.items()
            if type(k) is tuple and len(k) == 2 and type(v) is bytes
        )


def _save() -> None:
    """Write the cache file again, if this process learned a program and there is a folder."""
    from corpus_search.cache_folder import cache_dir, write_cached

    if not (_learned or _learned_later >= _LATER_TO_SAVE) or cache_dir() is None:
        return
    programs = _programs
    if len(programs) > _MAX_PATTERNS:
        programs = {k: v for k, v in programs.items() if k in _used}
    try:
        payload = marshal.dumps({k: v if type(v) is bytes else marshal.dumps(v)
                                 for k, v in programs.items() if v is not None})
    except ValueError:
        return
    write_cached(CACHE_FILE, _key(), payload)
