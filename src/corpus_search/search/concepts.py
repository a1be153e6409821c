"""Concepts of a query for ranking: each word or lexicon term with its alternatives and
weights, their shares of the query, and BM25's idf.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

__all__ = ["Alternative", "Concept", "ConceptScores", "Match", "SparseMatch", "bm25_idf",
           "name_words", "quoted_phrases", "related_terms", "strong_terms", "typed_terms"]


@dataclass(frozen=True)
class Alternative:
    """One way a query concept occurs in a text: a single term, or an ordered phrase of
    ``slots`` (each slot a term or several alternative terms at one position, consecutive
    slots adjacent, as Whoosh's ``Sequence`` with slop 1 matches them, or at the same
    position too when ``within_terms``; at their ``offsets`` when the phrase's stop words
    leave gaps between them).

    ``weight`` scales the alternative's term frequency. A ``weak`` alternative (a broader
    concept the lexicon implies) counts towards coverage only ``weight`` of the concept, and
    neither towards its document frequency nor proximity. A ``rarity_only`` alternative
    counts only towards the concept's document frequency (a multi-word term, for each of its
    words: a word is never rarer than the term it is part of, however the texts write it).
    """

    slots: tuple[tuple[str, ...], ...]
    weight: float = 1.0
    weak: bool = False
    rarity_only: bool = False
    #: for a term that is a lexicon concept narrower concepts imply (``nhs``: the index holds
    #: "strategic health authority" under it too), the concept's own forms as the ``words``
    #: field holds them (per form, per word, the terms it may be written as): in a document
    #: that writes none of them, the term's frequency counts ``others`` of itself
    verbatim: tuple[tuple[tuple[str, ...], ...], ...] = ()
    others: float = 1.0
    #: consecutive slots may also stand at the same place: a phrase's words inside a longer
    #: lexicon term ("national party" in "Scottish National Party", "UN resolution
    #: sanctioning" in "a second UN resolution sanctioning"), whose words the index holds
    #: at the term's one place (its slots are distinct terms)
    within_terms: bool = False
    #: with ``within_terms``, the terms that must stand at such a shared place: the lexicon
    #: terms whose forms hold two neighbouring slots in a row, and the slots' words closed up
    #: ("9/11" inside "9/11 attacks" or "9-11", not the rugby score "11-9", whose compound
    #: holds both words at one place too); none: any shared place
    inside: tuple[str, ...] = ()
    #: each slot's position after the first's, when the phrase leaves positions empty
    #: between them (its stop words: "election is widely" is ``(0, 2)``); none: consecutive
    offsets: tuple[int, ...] = ()

    @classmethod
    def term(cls, text: str, weight: float = 1.0, weak: bool = False) -> Alternative:
        return cls(((text,),), weight, weak)


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for (a word, or a lexicon term with all its forms), scored
    as a single pseudo-term: see :meth:`QueryEngine.score_concepts`.

    ``part_of`` names (by its label) the multi-word lexicon term or quoted phrase of the
    query that this concept is the whole of (``label == part_of``), or a word of ("Lib
    Dems": the term ``lib_dem``, and the words "Lib" and "Dems"): the two readings of the
    span, the whole and its words, share its single place in the query, ``weight`` being
    this concept's nominal part of it (see :func:`shares`).
    """

    alternatives: tuple[Alternative, ...]
    label: str = ""
    part_of: str = ""
    weight: float = 1.0
    #: the documents holding it (by a strong alternative) rank above all others: a quoted
    #: phrase
    first: bool = False
    #: it matches a document only together with every other ``together`` concept of its
    #: ``part_of``: the words of a quoted phrase, whose documents rank after the phrase's
    together: bool = False
    #: a word of a name the query types (Michael and Howard in "Michael Howard"; not the
    #: honorific of "Lady Thatcher"): a search ranks documents holding some of the name's
    #: words, but a count counts those holding all of them (:func:`name_words`)
    name_word: bool = False
    #: the honorific before a name (Mr of "Mr Blair"): it adds to the documents holding
    #: another concept of the query, but a document holding it alone is no match (818 BBC
    #: documents say "Mr", 181 name Blair)
    honorific: bool = False

    def __hash__(self) -> int:
        """The hash of its fields, worked out once: the engine looks a query's concepts up
        in its caches several times a search, and hashing the nested alternatives afresh
        cost about 2 us a concept each time."""
        found = self.__dict__.get("_hash")
        if found is None:
            found = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", found)
        return found

    def __getstate__(self) -> dict[str, Any]:
        # (a string's hash differs from one process to the next: never pickle it)
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}


def concept_places(concepts: Sequence[Concept], idf: Sequence[float]) -> list[list[int]]:
    """The concepts the index holds grouped by their place in the query: each alone, or
    the whole and the words of one multi-word term or quoted phrase together."""
    places: dict[str, list[int]] = {}
    for i, (c, value) in enumerate(zip(concepts, idf, strict=True)):
        if value > 0:
            places.setdefault(c.part_of or f"\0{i}", []).append(i)
    return list(places.values())


def shares(concepts: Sequence[Concept], idf: Sequence[float]) -> list[float]:
    """How much of one query concept each concept stands for: 1 for a concept of its own;
    for the concepts of one multi-word term (same ``part_of``), their ``weight`` divided by
    the weights of those the index holds (idf above zero), so a term and its words together
    weigh as one concept; 0 for a concept no document holds."""
    held: dict[str, float] = {}
    for c, value in zip(concepts, idf, strict=True):
        if c.part_of and value > 0:
            held[c.part_of] = held.get(c.part_of, 0.0) + c.weight
    return [
        0.0 if value <= 0
        else (c.weight / held[c.part_of] if held[c.part_of] else 0.0) if c.part_of
        else 1.0
        for c, value in zip(concepts, idf, strict=True)
    ]


def related_terms(concepts: Sequence[Concept] | None) -> frozenset[str]:
    """The terms the query's ``concepts`` hold only as weak alternatives: broader concepts
    the lexicon relates to a word of the query (``labour_party`` for "PLP"), and not a form
    of any word the query has itself ("PLP Labour" keeps ``labour_party``). A query with
    operators or other syntax has no concepts, and no such terms."""
    strong: set[str] = set()
    weak: set[str] = set()
    for concept in concepts or ():
        for alternative in concept.alternatives:
            terms = weak if alternative.weak else strong
            terms.update(term for slot in alternative.slots for term in slot)
    return frozenset(weak - strong)


def name_words(concepts: Sequence[Concept] | None) -> list[list[Concept]]:
    """The words of each name the query types (``name_word`` concepts, by their name): a
    document names Michael Howard when it holds both words, not when it names any Michael."""
    names: dict[str, list[Concept]] = {}
    for concept in concepts or ():
        if concept.name_word:
            names.setdefault(concept.part_of, []).append(concept)
    return list(names.values())


def typed_terms(concepts: Sequence[Concept] | None) -> list[tuple[Concept, list[Concept]]]:
    """Each multi-word lexicon term the query types unquoted ("Liberal Democrats", "Prime
    Minister's Questions"): its whole concept and its words' concepts, which share its place
    (a search ranks a document holding only one of the words lower; a count counts one
    holding the term, in any form the lexicon lists, not "Democrats" alone). A quoted
    phrase's words are needed together already (``together``). A query with operators has
    no concepts: the parser builds its typed terms whole instead
    (:meth:`~corpus_search.search.groups.Group.render`), so its count counts the same."""
    groups: dict[str, list[Concept]] = {}
    for concept in concepts or ():
        if concept.part_of and not (concept.first or concept.together or concept.name_word):
            groups.setdefault(concept.part_of, []).append(concept)
    terms = []
    for part_of, members in groups.items():
        whole = next((c for c in members if c.label == part_of), None)
        if whole is not None:
            terms.append((whole, [c for c in members if c is not whole]))
    return terms


def quoted_phrases(concepts: Sequence[Concept] | None) -> list[list[Concept]]:
    """The concepts of each phrase the query quotes (a plain query's; one with operators or
    other syntax has no concepts, and its phrases are strict already): the phrase's whole
    (``first``) and its words (``together``), which share its place. A search ranks a
    document holding the words apart after those holding the phrase; a count counts only
    the latter (quotes ask for the phrase)."""
    quoted = {concept.part_of for concept in concepts or () if concept.first}
    groups: dict[str, list[Concept]] = {}
    for concept in concepts or ():
        if concept.part_of in quoted:
            groups.setdefault(concept.part_of, []).append(concept)
    return list(groups.values())


def strong_terms(concept: Concept) -> frozenset[str]:
    """The terms of ``concept``'s strong single-term alternatives (its own word and lexicon
    forms), which a document holds when it holds the concept."""
    return frozenset(
        alt.slots[0][0] for alt in concept.alternatives
        if not alt.weak and not alt.rarity_only and len(alt.slots) == 1 and len(alt.slots[0]) == 1
    )


@dataclass
class ConceptScores:
    """The result of :meth:`QueryEngine.score_concepts`: the documents matching any concept
    with their scores, each concept's idf (zero for a concept no document holds) and its
    share of one query concept (:func:`shares`).

    ``tier`` and ``direct`` hold one value per matching document, in the order of
    ``match.docs``.

    Asked for the best ``depth`` only, ``match`` may hold just the documents that can rank
    among them (see :meth:`QueryEngine.score_concepts`); ``every_match`` then holds every
    matching document and ``related`` counts, when called, how many of them match only
    through a related term."""

    match: SparseMatch
    idf: list[float]
    shares: list[float]
    #: per matching document, when the query quotes a phrase: 2 for each quoted phrase it
    #: holds, 1 for each it holds all the words of but not the phrase (the order of rank
    #: before the score)
    tier: np.ndarray | None = None
    #: per matching document, when a broader term the lexicon relates to a query word (a weak
    #: alternative) matched some: does it hold a concept itself (a strong alternative)? A
    #: match without is one only through the related term ("Blairites" in a text naming Blair)
    direct: np.ndarray | None = None
    #: every matching document (ascending), when ``match`` holds only those that can rank
    #: among the best asked for; None when ``match`` holds them all
    every_match: np.ndarray | None = None
    #: with ``every_match``: how many matches hold only a related term (see ``direct``)
    related: Callable[[], int] | None = None

    def all_docs(self) -> np.ndarray:
        """Every matching document, ascending."""
        return self.match.docs if self.every_match is None else self.every_match

    def related_only(self) -> int:
        """How many matches hold only a related term, none of the concepts themselves."""
        if self.every_match is not None:
            return self.related() if self.related is not None else 0
        return 0 if self.direct is None else int((~self.direct).sum())


def bm25_idf(doc_count: int, doc_frequency: int) -> float:
    """Robertson-Sparck Jones idf as Lucene's BM25 computes it: never negative."""
    return float(np.log(1.0 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5)))


@dataclass
class Match:
    """The documents a query matches (``mask``) and their scores (zero elsewhere), one value
    per document of the index."""

    scores: np.ndarray
    mask: np.ndarray

    def sparse(self) -> SparseMatch:
        docs = np.flatnonzero(self.mask)
        return SparseMatch(docs, self.scores[docs], len(self.mask))


@dataclass
class SparseMatch:
    """The documents a query matches (``docs``, ascending) and their scores, of an index of
    ``size`` documents: a :class:`Match` that costs what the matches cost, not the index."""

    docs: np.ndarray
    scores: np.ndarray
    size: int

    def take(self, keep: np.ndarray) -> SparseMatch:
        """The matches where ``keep`` (one flag per match) is true."""
        return SparseMatch(self.docs[keep], self.scores[keep], self.size)

    def dense(self) -> Match:
        """The same as one value per document of the index."""
        scores = np.zeros(self.size)
        scores[self.docs] = self.scores
        return Match(scores, self.mask())

    def mask(self) -> np.ndarray:
        """One flag per document of the index: does it match?"""
        return document_mask(self.docs, self.size)


def document_mask(docs: np.ndarray, size: int) -> np.ndarray:
    """One flag per document of an index of ``size`` documents: is it one of ``docs``?"""
    mask = np.zeros(size, dtype=bool)
    mask[docs] = True
    return mask
