"""Phrases whose words stand at given offsets from the first: the gaps the stop words of a
quoted phrase leave ("election is widely": its two words two positions apart).

The analyzer drops stop words and leaves their positions empty, in the index and in a query
alike (Lucene's ``StopFilter`` with position increments), so a phrase holding stop words is
its other words at the offsets they have in it. Whoosh's ``Phrase`` and ``Sequence`` take
their words as consecutive: :class:`GappedPhrase` and :class:`GappedSequence` are the same
with each word's ``offsets``, matched by the array engine (:mod:`.engine`) and, when Whoosh
runs a query, by :class:`GappedNearMatcher`. As in Lucene, any word may stand in a gap
("election was widely" is a place of "election is widely"), but the gap keeps its size
("election widely" is not). The phrase's words are consecutive when it has no gap: such a
phrase is built as Whoosh's own ``Phrase`` or ``Sequence``.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from typing import Any

from whoosh import matching, query
from whoosh.query.spans import SpanNear2

from corpus_search.analysis.text import SENTENCE_GAP

__all__ = ["GappedNearMatcher", "GappedPhrase", "GappedSequence", "gapped", "gaps",
           "phrase_at", "sequence_at"]


def gaps(offsets: Sequence[int], words: int) -> list[int]:
    """How far each word of a phrase of ``words`` words stands after the one before: 1 for
    consecutive words (no ``offsets``)."""
    if not offsets:
        return [1] * (words - 1)
    return [b - a for a, b in itertools.pairwise(offsets)]


def gapped(offsets: Sequence[int]) -> bool:
    """Do ``offsets`` leave a position empty between two words?"""
    return bool(offsets) and offsets[-1] != len(offsets) - 1


def phrase_at(fieldname: str, words: list[str], slop: int, boost: float,
              offsets: Sequence[int]) -> query.Phrase:
    """The phrase of ``words`` at ``offsets``: Whoosh's own ``Phrase`` when they leave no
    gap, else a :class:`GappedPhrase`."""
    if gapped(offsets):
        return GappedPhrase(fieldname, words, slop=slop, boost=boost, offsets=offsets)
    return query.Phrase(fieldname, words, slop=slop, boost=boost)


def sequence_at(parts: list[query.Query], slop: int, boost: float,
                offsets: Sequence[int]) -> query.Sequence:
    """The sequence of ``parts`` at ``offsets``: Whoosh's own ``Sequence`` when they leave
    no gap, else a :class:`GappedSequence`."""
    if gapped(offsets):
        return GappedSequence(parts, slop=slop, boost=boost, offsets=offsets)
    return query.Sequence(parts, slop=slop, boost=boost)


def _with_holes(parts: list[str], offsets: Sequence[int]) -> list[str]:
    """``parts`` with a "?" at each empty position between them (as Lucene prints a phrase
    with holes), and a sentence's end (the :data:`~corpus_search.analysis.text.SENTENCE_GAP`
    positions it leaves empty) as a full stop after the part before it: a phrase typed
    across an end ("the election. Labour") reads ``elect. labour_party``."""
    out = parts[:1]
    for part, gap in zip(parts[1:], gaps(offsets, len(parts)), strict=True):
        ends, holes = divmod(gap - 1, SENTENCE_GAP)
        out[-1] += "." * ends
        out.extend(["?"] * holes)
        out.append(part)
    return out


class _WithOffsets:
    """A query equal to another of its class with the same ``offsets`` as well."""

    offsets: tuple[int, ...]

    def __eq__(self, other: object) -> bool:
        return bool(super().__eq__(other)) and self.offsets == other.offsets  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(self.offsets)


class GappedPhrase(_WithOffsets, query.Phrase):
    """Whoosh's ``Phrase`` with each word's position after the first's (``offsets``, the
    first 0). ``slop`` widens each gap as it widens Whoosh's: a word may stand up to
    ``slop - 1`` positions further than its offset says."""

    def __init__(self, fieldname: str, words: list[str], slop: int = 1, boost: float = 1.0,
                 char_ranges: Any = None, offsets: Sequence[int] = ()) -> None:
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.offsets = tuple(offsets)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.fieldname!r}, {self.words!r}, "
                f"offsets={self.offsets!r}, slop={self.slop}, boost={self.boost:f})")

    def __unicode__(self) -> str:
        return f'{self.fieldname}:"{" ".join(_with_holes(list(self.words), self.offsets))}"'

    __str__ = __unicode__

    def normalize(self) -> query.Query:
        if len(self.words) < 2:
            return super().normalize()
        return copy.copy(self)

    def replace(self, fieldname: str, oldtext: str, newtext: str) -> query.Query:
        q = copy.copy(self)
        if q.fieldname == fieldname:
            q.words = [newtext if w == oldtext else w for w in q.words]
        return q

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise query.QueryError(f"Phrase search: {fieldname!r} field has no positions")
        reader = searcher.reader()
        ms = []
        for word in self.words:
            try:
                btext = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, btext) not in reader:
                return matching.NullMatcher()
            ms.append(query.Term(fieldname, btext).matcher(searcher, context))
        m = GappedNearMatcher(ms, gaps(self.offsets, len(ms)), self.slop)
        return matching.WrappingMatcher(m, self.boost) if self.boost != 1.0 else m


class GappedSequence(_WithOffsets, query.Sequence):
    """Whoosh's ``Sequence`` (its parts: terms, or alternative terms at one position) with
    each part's position after the first's (``offsets``)."""

    def __init__(self, subqueries: list[query.Query], slop: int = 1, ordered: bool = True,
                 boost: float = 1.0, offsets: Sequence[int] = ()) -> None:
        super().__init__(subqueries, slop=slop, ordered=ordered, boost=boost)
        self.offsets = tuple(offsets)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.subqueries!r}, offsets={self.offsets!r}, "
                f"slop={self.slop}, boost={self.boost:f})")

    def __unicode__(self) -> str:
        parts = _with_holes([str(q) for q in self.subqueries], self.offsets)
        return "(" + self.JOINT.join(parts) + ")"

    __str__ = __unicode__

    def normalize(self) -> query.Query:
        return self.apply(lambda q: q.normalize())

    def apply(self, fn: Any) -> query.Query:
        return type(self)([fn(q) for q in self.subqueries], self.slop, self.ordered,
                          self.boost, self.offsets)

    def _matcher(self, subs: list[query.Query], searcher: Any, context: Any) -> Any:
        context = context.set(needs_current=True) if context else context
        ms = [q.matcher(searcher, context) for q in subs]
        m = GappedNearMatcher(ms, gaps(self.offsets, len(ms)), self.slop)
        return matching.WrappingMatcher(m, self.boost) if self.boost != 1.0 else m


class GappedNearMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's ordered ``SpanNear2`` matcher with a distance of its own for each matcher
    after the first: matcher ``i + 1`` starts ``gaps[i]`` to ``gaps[i] + slop - 1``
    positions after the span of those before it ends."""

    def __init__(self, ms: list[Any], gaps_: Sequence[int], slop: int = 1) -> None:
        self.gaps = list(gaps_)
        super().__init__(ms, slop=slop, ordered=True, mindist=1)

    def copy(self) -> GappedNearMatcher:
        return type(self)([m.copy() for m in self.ms], self.gaps, self.slop)

    def _get_spans(self) -> list[Any]:
        spans = self.ms[0].spans()
        widen = self.slop - 1
        for m, gap in zip(self.ms[1:], self.gaps, strict=True):
            if not spans:
                return []
            following = m.spans()
            spans = sorted({a.to(b) for a in spans for b in following
                            if gap <= b.start - a.end <= gap + widen})
        return spans
