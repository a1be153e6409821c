"""The terms a wildcard, prefix or fuzzy word stands for, scored as one word (Lucene's way).

Whoosh scores each term of an expansion with its own idf, so the rarest term wins: ``Brit*``
ranked a story naming Britannia once above stories about Britain, and ``Howard~2`` ranked
stories saying "hard" among those about Michael Howard. Lucene's fuzzy queries
(``TopTermsBlendedFreqScoringRewrite``, a ``BlendedTermQuery``) give the terms of one
expansion one blended document frequency, the largest of theirs, so rarity no longer favours
a near miss; and a fuzzy query weighs each term by its similarity to the typed word,
``1 - edits / min(len(typed), len(term))``, so the word itself counts most.

:class:`ExpandedTerm` is one such term: a Whoosh ``Term`` that knows the other terms of its
expansion (its ``group``, in its field). The engine scores it with the group's idf
(:func:`blended_idf`); Whoosh, where a query is left to it, does the same through
:meth:`ExpandedTerm.matcher`. Which documents match is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from whoosh import query

from corpus_search.search.budget import check_budget
from corpus_search.store.memo import PerSearcher

if TYPE_CHECKING:
    from whoosh.searching import Searcher

__all__ = [
    "ExpandedTerm", "SharedIdfs", "blended_idf", "expansion_query", "fuzzy_similarity",
    "shared_idf",
]


#: the least weight a fuzzy match keeps: Lucene drops terms whose similarity is not above
#: zero (two edits from a one-letter word), but the matches stay Whoosh's, so they count a little
MIN_SIMILARITY = 0.1


def fuzzy_similarity(typed: str, word: str, edits: int) -> float:
    """Lucene's ``FuzzyQuery`` weight of ``word``, ``edits`` edits from ``typed``:
    ``1 - edits / min(len(typed), len(word))`` (1 for the typed word itself), never below
    :data:`MIN_SIMILARITY`."""
    if not edits:
        return 1.0
    shortest = min(len(typed), len(word))
    if shortest <= 0:
        return MIN_SIMILARITY
    return max(1.0 - edits / shortest, MIN_SIMILARITY)


def osa_distance(a: str, b: str) -> int:
    """Edits between ``a`` and ``b``: letters replaced, added or dropped, and two neighbouring
    letters swapped, each one edit (the distance fuzzy terms are expanded by)."""
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))


class ExpandedTerm(query.Term):
    """One term of an expansion: scored by BM25F with the idf of ``group`` (every term of the
    expansion in this field; see :func:`blended_idf`) times its ``boost``."""

    def __init__(
        self, fieldname: str, text: Any, boost: float = 1.0, group: Iterable[Any] = (),
        shown: Iterable[str] = (),
    ) -> None:
        super().__init__(fieldname, text, boost)
        self.group = tuple(group)
        #: the words of the texts the term stands for, as the query as understood shows it
        #: (a reader typed ``fee*``, and "feeli" is a stem: "feeling, feelings, feely" are
        #: words); printed only, never compared
        self.shown = tuple(shown)
        # a tuple does not keep its hash, and Whoosh hashes every subquery each time it
        # normalises an Or: n terms hashing their group of n texts cost n^2 per pass
        self._group_hash = hash(self.group)

    def __eq__(self, other: object) -> bool:
        if not super().__eq__(other):
            return False
        group = getattr(other, "group", None)
        return group is self.group or group == self.group

    def __hash__(self) -> int:
        return super().__hash__() ^ self._group_hash

    def __deepcopy__(self, memo: dict[int, Any]) -> ExpandedTerm:
        # Whoosh copies query trees deeply as it normalises them; every attribute is
        # immutable (the group a tuple of texts), so a shallow copy is a deep one, and copying
        # each term's group of n terms made n terms cost n^2 (`*?` took 11 s to parse);
        # made directly, not through copy.copy's reduce protocol (a tenth of the time)
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        return twin

    def __repr__(self) -> str:
        return f"ExpandedTerm({self.fieldname!r}, {self.text!r}, boost={self.boost:.4g})"

    def __str__(self) -> str:
        words = self.shown or (self.text,)
        text = " OR ".join(str(query.Term(self.fieldname, w)) for w in words)
        text = text if len(words) == 1 else f"({text})"
        return text if self.boost == 1 else f"{text}^{self.boost:.3g}"

    __unicode__ = __str__

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        """Whoosh's matcher of the term, its scores scaled from the term's own idf to the
        group's (BM25F is proportional to idf). Whoosh asks for a matcher per segment; the
        idfs are the whole index's, as Whoosh's scorers take them from the parent searcher."""
        check_budget()
        whole = searcher.get_parent()
        own = _idf(whole, self.fieldname, self.text)
        if own is None:
            return query.Term(self.fieldname, self.text).matcher(searcher, context)
        shared = _shared_idf(whole, self.fieldname, self.group) or own
        plain = query.Term(self.fieldname, self.text, self.boost * shared / own, self.minquality)
        return plain.matcher(searcher, context)


def _idf(searcher: Searcher, fieldname: str, text: Any) -> float | None:
    """Whoosh's idf of a term the index holds (None for one it does not)."""
    if fieldname not in searcher.schema:
        return None
    try:
        btext = text if isinstance(text, bytes) else searcher.schema[fieldname].to_bytes(text)
    except ValueError:
        return None
    if not searcher.doc_frequency(fieldname, btext):
        return None
    return float(searcher.idf(fieldname, btext))


#: what :func:`shared_idf` keeps: (field, id of the group) -> (the group, its shared idf)
SharedIdfs = dict[tuple[str, int], tuple[Any, float | None]]


#: per searcher, each expansion's shared idf by (field, the identity of its group), with the
#: group kept so that its identity stays its own: Whoosh asks each of the n terms for its
#: matcher, and working the group's idf out for each took n^2 idf look-ups (11 s for a
#: wildcard of a few thousand terms, past the query's time budget)
_SHARED: PerSearcher[Searcher, SharedIdfs] = PerSearcher(lambda _: {})
_SHARED_MAX = 256


def _shared_idf(searcher: Searcher, fieldname: str, group: tuple[Any, ...]) -> float | None:
    """:func:`blended_idf` of ``group``, worked out once per searcher for all its terms."""
    return shared_idf(_SHARED(searcher), searcher, fieldname, group)


def shared_idf(
    known: SharedIdfs, searcher: Any, fieldname: str, group: tuple[Any, ...]
) -> float | None:
    """:func:`blended_idf` of ``group``, kept in ``known`` (its owner's, per searcher) and
    found again by the group's identity: all n terms of an expansion share one group, and
    hashing its n texts for each term cost n^2 once more."""
    found = known.get((fieldname, id(group)))
    if found is None or found[0] is not group:
        if len(known) >= _SHARED_MAX:  # a long-lived searcher: keep the groups of late queries
            known.clear()
        found = known[fieldname, id(group)] = (group, blended_idf(searcher, fieldname, group))
    return found[1]


def blended_idf(searcher: Searcher, fieldname: str, group: Iterable[Any]) -> float | None:
    """The idf the terms of an expansion share: that of the most frequent of them (Lucene's
    blended document frequency, the largest of theirs); None if the index holds none."""
    found = [i for i in (_idf(searcher, fieldname, t) for t in group) if i is not None]
    return min(found) if found else None


def expansion_query(
    fieldname: str, weights: Mapping[Any, float], boost: float,
    shown: Mapping[Any, Iterable[str]] | None = None,
) -> query.Query:
    """The query of an expansion's terms (term -> its weight, 1 for a wildcard's terms, the
    similarity for a fuzzy word's), each at ``boost`` times its weight, sharing one idf;
    ``shown``, the words of the texts each term stands for (see :attr:`ExpandedTerm.shown`)."""
    if len(weights) == 1 and not shown:
        [(text, weight)] = weights.items()
        return query.Term(fieldname, text, boost=boost * weight)
    group, shown = tuple(weights), shown or {}
    terms = [ExpandedTerm(fieldname, t, boost=boost * w, group=group, shown=shown.get(t, ()))
             for t, w in weights.items()]
    return terms[0] if len(terms) == 1 else query.Or(terms)
