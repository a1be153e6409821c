"""The compiled lexicon, kept in the user's cache folder (see :mod:`.cachefiles`).

Compiling the lexicon (parsing the data files, building the word trie, the spelling tables and
the context rules) takes about a tenth of a second, every process, before the first word is
analysed. The result depends on nothing but the files' text, their names, the code that
compiles them and the analyzer it serves, so it is saved under a key made of exactly those:

- the digest of every lexicon file's name (or, for a user file, its place) and text, and the
  paths of the user files (recorded in the lexicon); the built-in files, which change only
  with the package, are known by their names, sizes and modification times instead
  (:func:`stamped_key`), as Python knows a module's source for its bytecode;
- the source of the modules that compile and read it (``lexicon.py`` and its parts,
  ``lexicon_model.py``, ``lexicon_parse.py`` and ``lexicon_compile.py``, and ``text.py``) and
  of ``analyzer.py``, which sets ``ANALYZER_VERSION``: any change to them, a version bump
  included, makes another key (:func:`stamped_key` knows them by their sizes and modification
  times too);
- the Python version (the marshal and pickle of the compiled tables are the interpreter's own).

The tables are plain lists, dicts, tuples and strings, which :mod:`marshal` reads in about
half the time :mod:`pickle` takes (the word trie alone: ~2.3 against ~3.7 ms; callgrind,
``search Blair`` on the BBC index: ~52M instructions unpickling the lexicon). So the payload
is a marshal (:data:`_FORMAT`) of the fields marshal takes (read-only mappings as dicts,
named in ``proxied``; the tries with each term a longer form begins, a ``BegunTerm``, as a
string, and where it was: ``begun``; the entries, named tuples, as plain tuples, named in
``records``), with a pickle of any others inside it; :func:`read_compiled` puts them back as
they were.

A file for another key, or damaged (its checksum does not match), or whose content is not a
lexicon's fields is ignored, and the lexicon is compiled as without a cache, then saved.
"""

from __future__ import annotations

import gc
import marshal
import os
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corpus_search.analysis import cachefiles
from corpus_search.digests import sha256

__all__ = ["compiled_key", "read_compiled", "stamped_key", "write_compiled"]


#: the modules whose source the key covers (they sit beside this one)
CODE_MODULES = (
    "lexicon.py", "lexicon_model.py", "lexicon_parse.py", "lexicon_compile.py", "text.py",
    "analyzer.py",
)

_HERE = Path(__file__).resolve().parent

_code_digest_memo: dict[tuple[Path, ...], str | None] = {}


def code_digest(paths: Sequence[Path] | None = None) -> str | None:
    """The digest of the source of ``paths`` (default: :data:`CODE_MODULES`), once per
    process; None if one cannot be read (then nothing is cached)."""
    files = tuple(paths) if paths is not None else tuple(_HERE / m for m in CODE_MODULES)
    if files not in _code_digest_memo:
        digest = sha256()
        try:
            for path in files:
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            _code_digest_memo[files] = None
        else:
            _code_digest_memo[files] = digest.hexdigest()
    return _code_digest_memo[files]


def code_stamps(paths: Sequence[Path] | None = None) -> str | None:
    """The names, sizes and modification times of ``paths`` (default: :data:`CODE_MODULES`),
    as :func:`stamped_key` knows the code; None if one cannot be found."""
    files = paths if paths is not None else [_HERE / m for m in CODE_MODULES]
    try:
        stats = [(path.name, os.stat(path)) for path in files]
    except OSError:
        return None
    return "\0".join(f"{name}\0{st.st_size}\0{st.st_mtime_ns}" for name, st in stats)


def compiled_key(
    files_digest: str, extra_paths: Sequence[str], names: Sequence[str]
) -> str | None:
    """The cache key of the lexicon compiled from files of digest ``files_digest``, with user
    files ``extra_paths`` and sources ``names``; None when no key can be made."""
    code = code_digest()
    if code is None:
        return None
    digest = sha256()
    for part in (files_digest, code, sys.version, *extra_paths, "\0", *names):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:40]


def stamped_key(
    folder: Path, extra_paths: Sequence[str], extra_texts: Sequence[str]
) -> str | None:
    """The cache key of the lexicon compiled from the built-in files in ``folder`` and the
    user files ``extra_paths`` of text ``extra_texts``, the built-in files known by their
    names, sizes and modification times, as Python knows a module's source for its bytecode
    cache: reading and digesting their text was ~1 ms of every cold search; so are the modules
    that compile it (:func:`code_stamps`: digesting their ~77 KB of source was ~4M
    instructions of a cold search's ~596M). None when the files cannot be listed (a package
    not installed as files): key them by their text."""
    code = code_stamps()
    if code is None:
        return None
    try:
        with os.scandir(folder) as entries:
            stats = sorted((e.name, e.stat()) for e in entries if e.name.endswith(".tsv"))
    except OSError:
        return None
    digest = sha256(b"stamps\0")
    for name, st in stats:
        digest.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    for part in (code, sys.version, *extra_paths, "\0", *extra_texts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:40]


#: the payload's layout (a marshal of a dict with this "format"; another is not read)
_FORMAT = "lexicon-marshal-2"

#: the fields that are word tries (nodes ``[children, children, output]``, sharing nodes)
_TRIES = ("trie", "_strict_trie")


def _records(value: Any) -> type | None:
    """The named-tuple class of every item of the tuple ``value`` (the lexicon's entries),
    or None: such a field is saved as plain tuples."""
    if type(value) is not tuple or not value:
        return None
    kind = type(value[0])
    if not (issubclass(kind, tuple) and hasattr(kind, "_fields")):
        return None
    return kind if all(type(v) is kind for v in value) else None


def _unproxied(value: Any) -> tuple[Any, int | None]:
    """``value`` without read-only mappings, and where they were (-1: itself, N: the Nth
    of a tuple holding them all; None: none)."""
    if isinstance(value, MappingProxyType):
        return dict(value), -1
    if type(value) is tuple and value and all(isinstance(v, MappingProxyType) for v in value):
        return tuple(dict(v) for v in value), len(value)
    return value, None


def _proxied(value: Any, where: int) -> Any:
    if where == -1:
        return MappingProxyType(value)
    return tuple(MappingProxyType(v) for v in value)


def _plain_tries(fields: dict[str, Any]) -> tuple[dict[str, list], list[tuple]]:
    """The tries of ``fields`` with each output's terms as plain strings (nodes shared as
    before), and where a term was another kind of string: ``(trie, path, [(index, words)])``
    for each node once, its path the slots and keys leading to it."""
    copies: dict[int, Any] = {}
    begun: list[tuple] = []

    def copy(node: list, name: str, path: tuple) -> list:
        done = copies.get(id(node))
        if done is not None:
            return done
        new = copies[id(node)] = list(node)
        for slot, item in enumerate(node):
            if type(item) is dict:
                children = copies.get(id(item))
                if children is None:
                    children = copies[id(item)] = {}
                    for key, child in item.items():
                        children[key] = copy(child, name, (*path, slot, key))
                new[slot] = children
            elif type(item) is tuple and any(type(t) is not str for t in item):
                plain = copies.get(id(item))  # (an output nodes share, shared as before)
                if plain is None:
                    plain = copies[id(item)] = tuple(map(str, item))
                new[slot] = plain
                begun.append((name, path, slot, [(i, t.words) for i, t in enumerate(item)
                                                 if type(t) is not str]))
        return new

    return {name: copy(fields[name], name, ()) for name in _TRIES}, begun


def _put_back_begun(fields: dict[str, Any], begun: list, make: Callable[[str, int], str]
                    ) -> None:
    """The terms :func:`_plain_tries` wrote as strings made again (``make(term, words)``),
    an output that nodes shared made once, for them all."""
    made: dict[int, tuple[tuple, tuple]] = {}  # id of a plain output -> (it, its terms made)
    for name, path, slot, terms in begun:
        node = fields[name]
        for i in range(0, len(path), 2):
            node = node[path[i]][path[i + 1]]
        plain = node[slot]
        done = made.get(id(plain))
        if done is None:
            output = list(plain)
            for i, words in terms:
                output[i] = make(output[i], words)
            done = made[id(plain)] = (plain, tuple(output))
        node[slot] = done[1]


def _file_name(extra_paths: Sequence[str]) -> str:
    """One cache file per set of user files (the built-in lexicon alone has its own)."""
    if not extra_paths:
        return "lexicon"
    digest = sha256("\0".join(extra_paths).encode("utf-8", "surrogatepass"))
    return f"lexicon-{digest.hexdigest()[:12]}"


def read_compiled(key: str | None, extra_paths: Sequence[str],
                  begun: Callable[[str, int], str], records: Mapping[str, type] | None = None
                  ) -> dict[str, Any] | None:
    """The fields of the compiled lexicon with user files ``extra_paths`` saved for ``key``,
    or None; ``begun(term, words)`` makes a term a longer form begins (``BegunTerm.of``),
    and ``records`` names the named-tuple class of the items of a field saved as plain
    tuples (``{"entries": Entry}``: another class, or none, and the file is not read)."""
    if key is None:
        return None
    payload = cachefiles.read_cached(_file_name(extra_paths), key)
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # the trie is many small containers: collections while loading triple the time
    try:
        saved = marshal.loads(payload)
        if saved["format"] != _FORMAT:
            return None
        fields = {**saved["marshalled"], **pickle.loads(saved["pickled"])}
        _put_back_begun(fields, saved["begun"], begun)
        for name, kind in saved["records"].items():
            if records is None or records.get(name) is None or records[name].__name__ != kind:
                return None
            # (tuple.__new__ in C, as the named tuple's own _make does in Python)
            fields[name] = tuple(map(partial(tuple.__new__, records[name]), fields[name]))
        for name, where in saved["proxied"].items():
            fields[name] = _proxied(fields[name], where)
    except Exception:  # a damaged payload can raise nearly anything
        return None
    finally:
        if collecting:
            gc.enable()
    return fields


def write_compiled(key: str | None, extra_paths: Sequence[str], fields: dict[str, Any]) -> None:
    """Save the fields of the compiled lexicon with user files ``extra_paths`` for ``key``
    (quietly nothing if that fails)."""
    if key is None:
        return
    try:
        tries, begun = _plain_tries(fields)
        marshalled: dict[str, Any] = {}
        pickled: dict[str, Any] = {}
        proxied: dict[str, int] = {}
        records: dict[str, str] = {}
        for name, value in fields.items():
            if name in tries:
                marshalled[name] = tries[name]
                continue
            kind = _records(value)
            if kind is not None:
                value = tuple(map(tuple, value))
                records[name] = kind.__name__
            plain, where = _unproxied(value)
            try:
                marshal.dumps(plain)
            except ValueError:  # (not plain data: pickled)
                pickled[name] = value
                continue
            marshalled[name] = plain
            if where is not None:
                proxied[name] = where
        payload = marshal.dumps({
            "format": _FORMAT, "marshalled": marshalled, "proxied": proxied, "begun": begun,
            "records": records,
            "pickled": pickle.dumps(pickled, pickle.HIGHEST_PROTOCOL),
        })
    except Exception:
        return
    cachefiles.write_cached(_file_name(extra_paths), key, payload)
