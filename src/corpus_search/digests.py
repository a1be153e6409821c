"""The hash functions the library computes as a search runs (SHA-256 for its cache keys and
fingerprints, MD5 for the index's term table, BLAKE2b for a text's copies), from the standard
library's own implementations of them, the ones :mod:`hashlib` falls back on, rather than from
``hashlib``, whose import loads OpenSSL's library for them (callgrind, "search Blair" on the
BBC index: ~11M instructions of ~604M). The digests are the same. A Python built without
those modules gets ``hashlib``'s. Imports only the standard library.

Code that hashes much (indexing's content digests) keeps ``hashlib``: OpenSSL's SHA-256 is the
faster one on a CPU with SHA instructions.
"""

from __future__ import annotations

__all__ = ["blake2b", "md5", "sha256"]

try:
    from _blake2 import blake2b
    from _md5 import md5
    from _sha256 import sha256
except ImportError:  # pragma: no cover  (a Python without them, or one that renamed them)
    from hashlib import blake2b, md5, sha256
