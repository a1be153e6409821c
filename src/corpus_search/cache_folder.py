"""Files in the user's cache folder that spare later processes work done before: the compiled
lexicon (see :func:`~corpus_search.analysis.lexicon.load_lexicon`), the Snowball stems of
words already stemmed (see :mod:`~corpus_search.analysis.stemming`), the dataclass methods and
regular expressions a command compiles (:mod:`~corpus_search.method_cache`,
:mod:`~corpus_search.regex_cache`), where its modules lie (:mod:`~corpus_search.module_places`),
and the tables key terms read of a generation of an index
(:mod:`~corpus_search.search.keyterm_tables`).

Each file is one header line, ``corpus-search-cache 2 <key> <CRC-32 of the payload>``, then the
payload. A file that is missing, unreadable, or whose key or checksum does not match what the
caller asks for is ignored: the caller computes the data afresh, as without a cache, and writes
it again. The checksum finds a damaged file (a bit flipped, a file cut short); it guards
against nothing else, as the SHA-256 of earlier releases did not either (it sat in the file it
checked). A search reads ~1.8 MB of these files (the lexicon, the stems, the methods, the
regular expressions): under callgrind, whose CPU lacks the SHA instructions OpenSSL uses,
their SHA-256 was ~50M instructions of its ~680M and their CRC-32 is ~7M; on this machine's
CPU, ~1.8 ms against ~1.0 ms. A file of the earlier form (``corpus-search-cache 1``, checked
by its SHA-256) is still read, and written again in this one. Files are written whole to a
temporary name in the same folder, then renamed over the old one, so a reader never sees half
a file; a failure to write (read-only home, full disk) is ignored too. Nothing in these files
is needed: deleting the folder only costs time.

The folder is ``$CORPUS_SEARCH_CACHE`` if set (empty: no cache files at all), else the user's
cache folder for ``corpus-search`` (``platformdirs``: ``~/.cache/corpus-search`` on Linux).

This module imports only the standard library (not :mod:`corpus_search.analysis`, which
imports Whoosh), so a command can read its caches before it imports anything else.
"""

from __future__ import annotations

import contextlib
import os
import sys
import zlib
from pathlib import Path

__all__ = ["build_key", "cache_dir", "read_cached", "write_cached"]

_MAGIC = b"corpus-search-cache 2 "

#: the header of a file an earlier release wrote (its checksum a SHA-256)
_EARLIER_MAGIC = b"corpus-search-cache 1 "

#: the environment variable naming the cache folder ("" turns the cache off)
CACHE_ENV = "CORPUS_SEARCH_CACHE"


def cache_dir() -> Path | None:
    """The cache folder (not created here), or None when caching is turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen else None
    if sys.platform == "linux":
        # platformdirs' answer where it is plain, without importing it (~2 ms of a ~0.18 s
        # cold search): $XDG_CACHE_HOME if absolute, else ~/.cache with $HOME absolute
        xdg, home = os.environ.get("XDG_CACHE_HOME", ""), os.environ.get("HOME", "")
        if os.path.isabs(xdg):
            return Path(xdg, "corpus-search")
        if os.path.isabs(home):
            return Path(os.path.expanduser("~/.cache"), "corpus-search")
    import platformdirs

    return Path(platformdirs.user_cache_dir("corpus-search", appauthor=False))


def build_key(*parts: object) -> str:
    """A cache file's key made of ``parts`` (the interpreter's version, its formats): the
    parts themselves, hex-encoded (a header holds no whitespace). Their SHA-256, as before,
    imported ``hashlib`` and with it OpenSSL, which no search uses otherwise (callgrind, ~11M
    instructions of a cold search's ~605M)."""
    return "|".join(map(str, parts)).encode("utf-8", "replace").hex()


def read_cached(name: str, key: str) -> bytes | None:
    """The payload of cache file ``name`` if it was written for ``key`` and is intact."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    head, sep, payload = data.partition(b"\n")
    earlier = head.startswith(_EARLIER_MAGIC)
    if not sep or not (earlier or head.startswith(_MAGIC)):
        return None
    fields = head[len(_MAGIC):].split(b" ")
    if len(fields) != 2 or fields[0] != key.encode("ascii", "replace"):
        return None
    if (_sha256(payload) if earlier else _checksum(payload)) != fields[1]:
        return None
    if earlier:  # (read as fast as the others from now on)
        write_cached(name, key, payload)
    return payload


def _checksum(payload: bytes) -> bytes:
    return b"%08x" % zlib.crc32(payload)


def _sha256(payload: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(payload).hexdigest().encode()


def write_cached(name: str, key: str, payload: bytes) -> bool:
    """Replace cache file ``name`` with ``payload`` for ``key``; False if it could not be
    written (never raises for that: the cache is optional)."""
    folder = cache_dir()
    if folder is None or not key or any(c.isspace() for c in key):
        return False
    head = _MAGIC + key.encode("ascii", "replace") + b" "
    head += _checksum(payload) + b"\n"
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = _new_file(folder, name)
        with os.fdopen(fd, "wb") as f:
            f.write(head)
            f.write(payload)
        os.replace(tmp, folder / name)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def _new_file(folder: Path, name: str) -> tuple[int, str]:
    """A new file of this user's alone in ``folder`` for ``name``'s next payload, open for
    writing, and its path: made as ``tempfile.mkstemp`` makes one (a random name, created only
    if it is not there), without importing ``tempfile`` (nor ``shutil`` and ``random``, which
    it imports), which no reading command needs otherwise (a first key-terms on an index
    writes its tables)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) \
        | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no new file name for {name} in {folder}")
