"""Text analysis: the lexicon, the token pipeline and the analyzer's fast paths.

Imports only :mod:`corpus_search.errors`. See docs/architecture.md for the package contract.
"""

import corpus_search.lean_whoosh  # noqa: F401  (before any module here imports Whoosh)
