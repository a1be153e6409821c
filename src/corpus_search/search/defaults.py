"""The defaults of the research tools' options, apart from the tools: the signatures of
:class:`~corpus_search.search.readable.ReadableIndex` show them, and a search, which imports
that class, imports none of the tools (:mod:`corpus_search.search.concordance`,
:mod:`corpus_search.search.keyterms`), each of which reads its defaults from here."""

from __future__ import annotations

__all__ = ["CONTEXT_WIDTH", "KEY_TERMS_LIMIT", "KEY_TERMS_MIN_DOCUMENTS"]

#: characters of context a concordance shows on each side of a match
CONTEXT_WIDTH = 60
#: how many key terms are given unless asked otherwise
KEY_TERMS_LIMIT = 30
#: the fewest matching documents a key term stands in (fewer when fewer match)
KEY_TERMS_MIN_DOCUMENTS = 3
