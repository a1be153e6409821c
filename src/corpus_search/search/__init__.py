"""Searching an opened index: query parsing, filters, the array engine, ranking, snippets,
spelling corrections and results. Handed a searcher, a lexicon and a schema, never an index.

Imports :mod:`corpus_search.store`, :mod:`corpus_search.analysis`,
:mod:`corpus_search.ingest` and :mod:`corpus_search.errors`. See docs/architecture.md.
"""

import corpus_search.lean_whoosh  # noqa: F401  (before any module here imports Whoosh)
