"""Syntax that changes nothing ranks as the plain words: a query Whoosh's parser reads into the
very tree the plain words make is the plain query, ranked by its concepts.

A plain query is ranked by its concepts (coverage and proximity,
:meth:`~corpus_search.search.engine.QueryEngine.score_concepts`), a parsed one by its tree as
it is; so ``Blair^1`` and ``Blair OR Blair``, which Whoosh reads into the tree of ``Blair`` (a
boost of 1 is none, and a repeated clause of an OR or AND is the clause once), had ranked the
181 BBC documents naming Blair in another order than ``Blair`` (its first, politics/295, 4th).
As in Lucene, where ``a OR a`` and ``a^1`` score as ``a``, the order is the same now; so is
``Blair OR Brown`` ranked as ``Blair Brown``, OR being the plain query's operator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from whoosh import query

__all__ = ["plain_words", "same_as_plain"]

#: a boost's mark and what follows it (``^1``, ``^2.5``, ``^abc``, which the parser leaves
#: out: the tree tells which); a quoted phrase, or a run of characters outside brackets
_BOOST = re.compile(r"\^[^\s()]*")
_CHUNK = re.compile(r'"[^"]*"|[^\s()]+')

#: the operators that join what a plain query joins already (OR) or, repeated, join nothing
#: (AND): left out of the plain words; the tree tells whether that changed the query
_JOINING = frozenset({"OR", "AND"})


def plain_words(text: str) -> str:
    """``text``'s words and quoted phrases without its boosts, brackets, ORs and ANDs, each
    once, in the order typed: the plain query ``text`` may read as (``Blair OR Blair``:
    ``Blair``)."""
    chunks = [c for c in _CHUNK.findall(_BOOST.sub("", text)) if c not in _JOINING]
    return " ".join(dict.fromkeys(chunks))


def same_as_plain(
    q: query.Query, text: str, build: Callable[[str], tuple[query.Query, Any] | None]
) -> tuple[query.Query, Any] | None:
    """What ``build`` (a plain query's builder) makes of :func:`plain_words` of ``text``, when
    its tree is the parsed tree ``q`` and its concepts are words apart, each matching as its
    clauses do: the same query, ranked by its concepts; else None. (The concepts of a term,
    a name or a phrase match otherwise than the tree: "Mr Gordon" is the name, where "Mr OR
    Gordon", of the same tree, finds every "Mr".)"""
    words = plain_words(text)
    if not words or words == text:
        return None
    plain = build(words)
    if plain is None or plain[0].normalize() != q.normalize():
        return None
    return plain if all(not c.part_of for c in plain[1] or ()) else None
