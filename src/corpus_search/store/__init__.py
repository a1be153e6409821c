"""The index on disk: schema, metadata, files and generations, columns, the W3 posting
format and the bulk writer. The only package that touches Whoosh's internals.

Imports :mod:`corpus_search.analysis`, :mod:`corpus_search.ingest` and
:mod:`corpus_search.errors`. See docs/architecture.md for the package contract.
"""

import corpus_search.lean_whoosh  # noqa: F401  (before any module here imports Whoosh)
