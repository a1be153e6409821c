"""corpus_search: full-text search for British political text."""

from __future__ import annotations

__version__ = "0.1.0"
