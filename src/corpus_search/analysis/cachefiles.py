"""The user's cache folder's files, as the analysis modules name them: see
:mod:`corpus_search.cache_folder`."""

from __future__ import annotations

from corpus_search.cache_folder import CACHE_ENV, cache_dir, read_cached, write_cached

__all__ = ["CACHE_ENV", "cache_dir", "read_cached", "write_cached"]
