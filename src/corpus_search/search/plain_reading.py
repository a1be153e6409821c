"""Syntax that changes nothing ranks as the plain words: a query Whoosh's parser reads into the
very tree the plain words make is the plain query, ranked by its concepts.

A plain query is ranked by its concepts (coverage and proximity,
:meth:`~corpus_search.search.engine.QueryEngine.score_concepts`), a parsed one by its tree as
it is; so ``Blair^1`` and ``Blair OR Blair``, which Whoosh reads into the tree of ``Blair`` (a
boost of 1 is none, and a repeated clause of an OR or AND is the clause once), had ranked the
181 BBC documents naming Blair in another order than ``Blair`` (its first, politics/295, 4th).
As in Lucene, where ``a OR a`` and ``a^1`` score as ``a``, the order is the same now; so is
``Blair OR Brown`` ranked as ``Blair Brown``, OR being the plain query's operator, and
``Blair^2`` as ``Blair``: a boost on the whole query scales every score alike.
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
    if plain is None or not _scaled(q.normalize(), plain[0].normalize()):
        return None
    return plain if all(not c.part_of for c in plain[1] or ()) else None


def _scaled(q: query.Query, plain: query.Query) -> bool:
    """Is ``q`` the tree ``plain``, its every boost times one factor? A boost on the whole
    query (``Blair^2``, ``(Blair Brown)^2``: each clause's boosts doubled) scales every
    document's score alike, and so changes nothing: as ``Blair^1``, it ranks and scores as
    the plain words (``Blair^2`` had ranked politics/149 first at 29.61, ``Blair``
    politics/295)."""
    if _unboosted(q) != _unboosted(plain):
        return False
    factors = {round(a / b, 9) for a, b in zip(_leaf_boosts(q), _leaf_boosts(plain),
                                                  strict=True) if b}
    return len(factors) <= 1 and 0 not in factors  # (^0 scores every document 0)


def _leaf_boosts(q: query.Query, scale: float = 1.0) -> list[float]:
    """The boost of each leaf of ``q``, depth first, times those of the queries holding it."""
    scale *= q.boost
    if q.is_leaf():
        return [scale]
    return [boost for child in q.children() for boost in _leaf_boosts(child, scale)]


def _unboosted(q: query.Query) -> query.Query:
    """``q`` with every boost 1."""
    return q.accept(lambda node: node.with_boost(1.0))
