"""The compiled lexicon, kept in the user's cache folder (see :mod:`.cachefiles`).

Compiling the lexicon (parsing the data files, building the word trie, the spelling tables and
the context rules) takes about a tenth of a second, every process, before the first word is
analysed. The result depends on nothing but the files' text, their names, the code that
compiles them and the analyzer it serves, so it is saved under a key made of exactly those:

- the digest of every lexicon file's name (or, for a user file, its place) and text, and the
  paths of the user files (recorded in the lexicon); the built-in files, which change only
  with the package, are known by their names, sizes and modification times instead
  (:func:`stamped_key`), as Python knows a module's source for its bytecode;
- the source of the modules that compile and read it (``lexicon.py``, ``text.py``) and of
  ``analyzer.py``, which sets ``ANALYZER_VERSION``: any change to them, a version bump
  included, makes another key;
- the Python version (the pickle of the compiled tables is the interpreter's own).

A file for another key, or damaged (its checksum does not match), or whose content is not a
lexicon's fields is ignored, and the lexicon is compiled as without a cache, then saved.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corpus_search.analysis import cachefiles

__all__ = ["compiled_key", "read_compiled", "stamped_key", "write_compiled"]


#: the modules whose source the key covers (they sit beside this one)
CODE_MODULES = ("lexicon.py", "text.py", "analyzer.py")

_HERE = Path(__file__).resolve().parent

_code_digest_memo: dict[tuple[Path, ...], str | None] = {}


def code_digest(paths: Sequence[Path] | None = None) -> str | None:
    """The digest of the source of ``paths`` (default: :data:`CODE_MODULES`), once per
    process; None if one cannot be read (then nothing is cached)."""
    files = tuple(paths) if paths is not None else tuple(_HERE / m for m in CODE_MODULES)
    if files not in _code_digest_memo:
        digest = hashlib.sha256()
        try:
            for path in files:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            _code_digest_memo[files] = None
        else:
            _code_digest_memo[files] = digest.hexdigest()
    return _code_digest_memo[files]


def compiled_key(
    files_digest: str, extra_paths: Sequence[str], names: Sequence[str]
) -> str | None:
    """The cache key of the lexicon compiled from files of digest ``files_digest``, with user
    files ``extra_paths`` and sources ``names``; None when no key can be made."""
    code = code_digest()
    if code is None:
        return None
    digest = hashlib.sha256()
    for part in (files_digest, code, sys.version, *extra_paths, "\0", *names):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:40]


def stamped_key(
    folder: Path, extra_paths: Sequence[str], extra_texts: Sequence[str]
) -> str | None:
    """The cache key of the lexicon compiled from the built-in files in ``folder`` and the
    user files ``extra_paths`` of text ``extra_texts``, the built-in files known by their
    names, sizes and modification times, as Python knows a module's source for its bytecode
    cache: reading and digesting their text was ~1 ms of every cold search. None when the
    files cannot be listed (a package not installed as files): key them by their text."""
    code = code_digest()
    if code is None:
        return None
    try:
        with os.scandir(folder) as entries:
            stats = sorted((e.name, e.stat()) for e in entries if e.name.endswith(".tsv"))
    except OSError:
        return None
    digest = hashlib.sha256(b"stamps\0")
    for name, st in stats:
        digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    for part in (code, sys.version, *extra_paths, "\0", *extra_texts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:40]


class _Proxy:
    """A read-only mapping as pickled (MappingProxyType itself does not pickle)."""

    __slots__ = ("data",)

    def __init__(self, data: dict) -> None:
        self.data = data


def _freeze(value: Any) -> Any:
    if isinstance(value, MappingProxyType):
        return _Proxy(dict(value))
    if type(value) is tuple and any(isinstance(v, MappingProxyType) for v in value):
        return tuple(map(_freeze, value))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, _Proxy):
        return MappingProxyType(value.data)
    if type(value) is tuple and any(isinstance(v, _Proxy) for v in value):
        return tuple(map(_thaw, value))
    return value


def _file_name(extra_paths: Sequence[str]) -> str:
    """One cache file per set of user files (the built-in lexicon alone has its own)."""
    if not extra_paths:
        return "lexicon"
    digest = hashlib.sha256("\0".join(extra_paths).encode("utf-8", "surrogatepass"))
    return f"lexicon-{digest.hexdigest()[:12]}"


def read_compiled(key: str | None, extra_paths: Sequence[str]) -> dict[str, Any] | None:
    """The fields of the compiled lexicon with user files ``extra_paths`` saved for ``key``,
    or None."""
    if key is None:
        return None
    payload = cachefiles.read_cached(_file_name(extra_paths), key)
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # the trie is many small containers: collections while loading triple the time
    try:
        fields = pickle.loads(payload)
    except Exception:  # a damaged pickle can raise nearly anything
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(fields, dict):
        return None
    return {name: _thaw(value) for name, value in fields.items()}


def write_compiled(key: str | None, extra_paths: Sequence[str], fields: dict[str, Any]) -> None:
    """Save the fields of the compiled lexicon with user files ``extra_paths`` for ``key``
    (quietly nothing if that fails)."""
    if key is None:
        return
    try:
        payload = pickle.dumps(
            {name: _freeze(value) for name, value in fields.items()}, pickle.HIGHEST_PROTOCOL
        )
    except Exception:
        return
    cachefiles.write_cached(_file_name(extra_paths), key, payload)
