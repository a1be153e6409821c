"""The defaults of the research tools' options, apart from the tools: the signatures of
:class:`~corpus_search.search.readable.ReadableIndex` show them, and a search, which imports
that class, imports none of the tools (:mod:`corpus_search.search.concordance`,
:mod:`corpus_search.search.keyterms`), each of which reads its defaults from here."""

from __future__ import annotations

__all__ = ["CONTEXT_WIDTH", "KEY_TERMS_LIMIT", "KEY_TERMS_MIN_DOCUMENTS", "MAX_CONTEXT_WIDTH",
           "MIN_CONTEXT_WIDTH"]

#: characters of context a concordance shows on each side of a match
CONTEXT_WIDTH = 60
#: the narrowest context a concordance takes: fewer than 10 characters a side is a word or
#: two, too little to tell one use of a match from another, which is what a concordance is
#: read for (the library took 1 and the command 10: one rule for both, the command's)
MIN_CONTEXT_WIDTH = 10
#: the widest: a paragraph or two a side (a line wider is no line to read down a column)
MAX_CONTEXT_WIDTH = 1_000
#: how many key terms are given unless asked otherwise
KEY_TERMS_LIMIT = 30
#: the fewest matching documents a key term stands in (fewer when fewer match)
KEY_TERMS_MIN_DOCUMENTS = 3
