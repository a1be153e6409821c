"""Relevance evaluation (the ``eval`` extra): comparison engines, runs, reports and the
party-tag check, behind ``corpus-search eval``. See docs/architecture.md.
"""

import corpus_search.lean_whoosh  # noqa: F401  (before any module here imports Whoosh)
