"""The bulk writer's buffers: postings accumulated in memory until a segment is written.

:class:`PostingBuffers` is the part of :class:`~corpus_search.store.writer.BulkSegmentWriter`
that keeps, per field, what its documents added: flat arrays per Positions field
(:class:`_PositionPostings`), parallel arrays per field of word lists (:class:`WordPostings`),
a buffer per term of any other field, and each document's length byte. How a field is
buffered is decided once (:class:`FieldPlan`). Writing them out is
:mod:`~corpus_search.store.segment_postings`'s.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import chain, count, pairwise, repeat
from typing import Any

from whoosh import formats
from whoosh.analysis import IDTokenizer
from whoosh.fields import FieldType
from whoosh.system import emptybytes

from corpus_search.store.w3 import decode_positions, position_values

__all__ = ["FieldPlan", "PostingBuffers", "WordPostings"]


#: estimated bytes of a new term's buffers (a tuple of three arrays, a dict slot, the key)
_TERM_COST = 320

#: about how many postings' values a Positions field's writing makes at a time
_VALUES_BATCH = 1 << 16


class FieldPlan:
    """How postings of one field are buffered (decided once per field and writer)."""

    __slots__ = (
        "fb", "field", "index_terms", "name", "positions", "scorable", "whole", "words",
    )

    def __init__(self, name: str, field: FieldType) -> None:
        self.name = name
        self.field = field
        self.scorable = bool(field.scorable)
        fmt = field.format
        # the compact path needs Whoosh's own Positions encoding and FieldType.index
        self.positions = (
            type(fmt) is formats.Positions and type(field).index is FieldType.index
        )
        self.fb = float(fmt.field_boost) if fmt is not None else 1.0
        analyzer = getattr(field, "analyzer", None)
        self.index_terms = getattr(analyzer, "index_terms", None) if self.positions else None
        # an Existence field (ID, say) whose value is a list of words: its postings are the
        # distinct words, each of weight field boost x document boosts, no value
        self.words = type(fmt) is formats.Existence and type(field).index is FieldType.index
        # an ID field (Whoosh's IDTokenizer alone): a text value is its one term, of weight
        # the format's field boost (None: any other field)
        self.whole = fmt.field_boost if self.words and type(analyzer) is IDTokenizer else None


class PostingBuffers:
    """The bulk writer's buffers and the adding of a document's postings to them (a part of
    :class:`~corpus_search.store.writer.BulkSegmentWriter`, whose ``__init__`` makes them)."""

    # -- buffers ---------------------------------------------------------------------------

    def _reset_buffers(self) -> None:
        #: fieldname -> {term (bytes) -> buffer tuple}, for fields without positions
        self._buffers: dict[str, dict[Any, tuple]] = {}
        #: fieldname -> the postings of a Positions field (plan.positions)
        self._positions: dict[str, _PositionPostings] = {}
        #: (fieldname, key) of other terms whose postings arrived out of document order
        self._unsorted: set[tuple[str, Any]] = set()
        #: fieldname -> length byte of each document of the current segment
        self._lbytes: dict[str, bytearray] = {}
        #: fieldname -> postings of documents whose value was a list of words (plan.words),
        #: moved into _buffers when the segment is written
        self._words: dict[str, WordPostings] = {}
        self._bufsize = 0

    def _plan(self, fieldname: str, field: FieldType) -> FieldPlan:
        plan = self._plans.get(fieldname)
        if plan is None:
            plan = self._plans[fieldname] = FieldPlan(fieldname, field)
        return plan

    def _record_lengths(self, lengths: dict[str, int]) -> None:
        """Remember the length byte of the document just added, per field (0: none)."""
        lbytes = self._lbytes
        for name, arr in lbytes.items():
            arr.append(lengths.pop(name, 0))
        for name, lb in lengths.items():
            arr = lbytes[name] = bytearray(self.docnum)
            arr.append(lb)

    def _index_items(
        self, plan: FieldPlan, value: Any, fieldboost: float
    ) -> tuple[list[tuple[bytes, float, bytes]], int]:
        """(btext, weight, value) of each posting ``FieldType.index`` gives for ``value`` of a
        field without positions, and the field's length (the frequencies, if scorable).

        The text of an ID field is its one term, made here: Whoosh's analyzer and format
        make it through three generators and a token (~3 µs), and a document of the
        corpus_search schema has six such fields."""
        if plan.whole is not None and isinstance(value, str):
            item = (value.encode("utf-8"), plan.whole * fieldboost, emptybytes)
            return [item], 1 if plan.scorable else 0
        items = []
        length = 0
        for tbytes, freq, weight, vbytes in plan.field.index(value):
            if plan.scorable:
                length += freq
            items.append((tbytes, weight * fieldboost, vbytes))
        return items, length

    def _invert_positions(
        self, plan: FieldPlan, value: Any, fieldboost: float
    ) -> tuple[dict[str, Any], dict[str, float] | None, int]:
        """``{term: positions}``, explicit weights (``None``: frequency x format boost),
        and the number of positions, for one value of a Positions field."""
        weights = None
        if plan.index_terms is not None and isinstance(value, str):
            terms = plan.index_terms(value)
            if fieldboost != 1.0:
                fb = plan.fb
                weights = {t: (float(len(p)) * fb) * fieldboost for t, p in terms.items()}
        else:
            terms = {}
            fb = plan.fb
            field = plan.field
            for text, freq, weight, vbytes in field.format.word_values(
                value, field.analyzer, mode="index"
            ):
                terms[text] = decode_positions(vbytes)
                weight = weight * fieldboost
                if weight != float(freq) * fb:
                    if weights is None:
                        weights = {}
                    weights[text] = weight
        return terms, weights, sum(map(len, terms.values()))

    def _add_positions(
        self, plan: FieldPlan, docnum: int, terms: dict[str, Any],
        weights: dict[str, float] | None, total: int,
    ) -> None:
        postings = self._positions.get(plan.name)
        if postings is None:
            postings = self._positions[plan.name] = _PositionPostings(plan.fb)
        self._bufsize += postings.add(docnum, terms, weights, total)

    def _add_postings(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, float, bytes]]
    ) -> None:
        bufs = self._buffers.get(fieldname)
        if bufs is None:
            bufs = self._buffers[fieldname] = {}
        size = 0
        for tbytes, weight, vbytes in items:
            buf = bufs.get(tbytes)
            if buf is None:
                buf = bufs[tbytes] = (tbytes, array("I"), array("d"), [])
                size += _TERM_COST
            docs = buf[1]
            if docs and docnum <= docs[-1]:
                self._unsorted.add((fieldname, tbytes))
            docs.append(docnum)
            buf[2].append(weight)
            buf[3].append(vbytes or emptybytes)
            size += 40 + len(vbytes or b"")
        self._bufsize += size


class WordPostings:
    """The postings of one field's word lists in a segment, as parallel arrays (word number,
    document number, weight), inverted only when the segment is written: adding a document's
    words is a few calls in compiled code, not a Python loop over them."""

    __slots__ = ("docs", "ids", "weight", "weights", "words")

    def __init__(self, weight: float) -> None:
        #: word -> its number, given in order of first use
        self.words: defaultdict[str, int] = defaultdict(count().__next__)
        self.ids = array("I")
        self.docs = array("I")
        #: the usual weight (the format's field boost) ...
        self.weight = weight
        #: ... and each posting's weight, once one differs from it
        self.weights: array | None = None

    def add(self, docnum: int, words: Collection[str], weight: float) -> int:
        """Add a posting of ``weight`` for each of the distinct ``words``; return the
        estimated bytes this held."""
        known = len(self.words)
        before = len(self.ids)
        self.ids.extend(map(self.words.__getitem__, words))
        n = len(self.ids) - before
        self.docs.extend(repeat(docnum, n))
        if self.weights is None and weight != self.weight:
            self.weights = array("d", repeat(self.weight, before))
        if self.weights is not None:
            self.weights.extend(repeat(weight, n))
        return (8 if self.weights is None else 16) * n + _TERM_COST * (len(self.words) - known)

    def sorted_rows(self) -> Iterable[tuple[bytes, array]]:
        """(btext, document numbers) of each word in term order, documents in order (for
        postings of one weight)."""
        import numpy as np

        if not self.ids:
            return
        ids = np.frombuffer(self.ids, dtype=f"u{self.ids.itemsize}")
        docs = np.frombuffer(self.docs, dtype=f"u{self.docs.itemsize}")
        order = np.lexsort((docs, ids))
        # every word number has postings: word n's are the n-th run of equal numbers
        bounds = [0, *(np.flatnonzero(np.diff(ids[order])) + 1).tolist(), len(ids)]
        all_docs = array("I", docs[order].tobytes())
        names = [(word.encode("utf-8"), n) for word, n in self.words.items()]
        names.sort()
        for btext, n in names:
            yield btext, all_docs[bounds[n] : bounds[n + 1]]

    def rows(self) -> Iterable[tuple[bytes, array, array | None]]:
        """(btext, document numbers, weights) of each word, documents in order; weights
        ``None``: all 1.0."""
        import numpy as np

        if not self.ids:
            return
        ids = np.frombuffer(self.ids, dtype=f"u{self.ids.itemsize}")
        docs = np.frombuffer(self.docs, dtype=f"u{self.docs.itemsize}")
        order = np.lexsort((docs, ids))
        ids = ids[order]
        starts = (np.flatnonzero(np.diff(ids)) + 1).tolist()
        firsts = ids[[0, *starts]].tolist()
        all_docs = array("I", docs[order].tobytes())
        all_weights = None if self.weights is None else array(
            "d", np.frombuffer(self.weights)[order].tobytes()
        )
        one = array("d", [self.weight])
        words = list(self.words)
        for number, (a, b) in zip(firsts, pairwise([0, *starts, len(ids)]), strict=True):
            if all_weights is not None:
                weights: array | None = all_weights[a:b]
            elif self.weight == 1.0:
                weights = None
            else:
                weights = one * (b - a)
            yield words[number].encode("utf-8"), all_docs[a:b], weights


class _PositionPostings:
    """The postings of one Positions field in a segment, as flat arrays: per posting its
    term number, document number and frequency, and every posting's positions one after
    the other. Adding a document's terms is a few calls in compiled code, not a Python loop
    over its terms; the postings are grouped by term (NumPy) only when the segment is
    written."""

    __slots__ = ("counts", "docs", "explicit", "fb", "ids", "poses", "terms", "weights")

    def __init__(self, fb: float) -> None:
        #: the field's format boost: a posting's weight is frequency x fb unless explicit
        self.fb = fb
        #: term -> its number, given in order of first use
        self.terms: defaultdict[str, int] = defaultdict(count().__next__)
        self.ids = array("I")
        self.docs = array("I")
        self.counts = array("I")
        self.poses = array("I")
        #: each posting's weight, once a posting had an explicit one ...
        self.weights: array | None = None
        #: ... and the numbers of the terms that had one
        self.explicit: set[int] = set()

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, docnum: int, terms: dict[str, Any], weights: dict[str, float] | None, total: int
    ) -> int:
        """Add a document's ``{term: positions}`` (``total`` positions in all) and explicit
        ``weights`` (None: frequency x fb); return the estimated bytes this held."""
        "\n".join(terms).encode("utf-8")  # raises on unencodable text, as Whoosh does
        known = len(self.terms)
        before = len(self.ids)
        self.ids.extend(map(self.terms.__getitem__, terms))
        n = len(self.ids) - before
        self.docs.extend(repeat(docnum, n))
        self.counts.extend(map(len, terms.values()))
        self.poses.extend(chain.from_iterable(terms.values()))
        if weights is not None and self.weights is None:
            fb = self.fb
            self.weights = array("d", [float(c) * fb for c in self.counts[:before]])
        if self.weights is not None:
            fb = self.fb
            own = weights or {}
            self.weights.extend(
                [own.get(t, float(len(p)) * fb) for t, p in terms.items()]
            )
            self.explicit.update(map(self.terms.__getitem__, own))
        return 12 * n + 4 * total + _TERM_COST * (len(self.terms) - known)

    def rows(self) -> Iterable[tuple[bytes, array, array, array | None, list[bytes]]]:
        """(btext, document numbers, frequencies, explicit weights or None, the postings'
        ``Positions`` values) of each term in term order, postings in the order they were
        added."""
        import numpy as np

        if not self.ids:
            return
        u = f"u{self.ids.itemsize}"  # array("I")
        names = [(term.encode("utf-8"), t) for term, t in self.terms.items()]
        names.sort()
        # the postings in term order (each term's in the order added), by the terms' ranks
        rank = np.empty(len(names), dtype=np.int64)
        rank[[t for _, t in names]] = np.arange(len(names))
        ranks = rank[np.frombuffer(self.ids, dtype=u)]
        counts = np.frombuffer(self.counts, dtype=u).astype(np.int64)
        order = np.argsort(ranks, kind="stable")
        # the positions of the postings in that order: posting k's run starts where its
        # positions are in `poses` (starts), and goes where the runs before it end (ends)
        ends = np.cumsum(counts)
        sorted_counts = counts[order]
        out_ends = np.cumsum(sorted_counts)
        shift = np.repeat((ends - counts)[order] - (out_ends - sorted_counts), sorted_counts)
        poses = np.frombuffer(self.poses, dtype=u)[np.arange(len(self.poses)) + shift]
        all_docs = array("I", np.frombuffer(self.docs, dtype=u)[order].tobytes())
        all_counts = array("I", sorted_counts.astype(u).tobytes())
        weights = self.weights
        all_weights = None if weights is None else array(
            "d", np.frombuffer(weights)[order].tobytes()
        )
        # every term has postings: the term of rank r has the r-th run of equal ranks
        bounds = [0, *(np.flatnonzero(np.diff(ranks[order])) + 1).tolist(), len(order)]
        explicit = self.explicit
        # the values are made a batch of terms at a time (a list of all of them would take
        # ~56 bytes a posting: ~450 MB for a full segment)
        values: list[bytes] = []
        base = stop = 0
        for r, (btext, t) in enumerate(names):
            a, b = bounds[r], bounds[r + 1]
            if b > stop:
                base = a
                stop = bounds[min(bisect_left(bounds, a + _VALUES_BATCH), len(names))]
                stop = max(stop, b)
                at = out_ends[a - 1] if a else 0
                values = _position_values(
                    sorted_counts[a:stop], out_ends[a:stop] - at, poses[at : out_ends[stop - 1]]
                )
            yield (
                btext, all_docs[a:b], all_counts[a:b],
                all_weights[a:b] if t in explicit else None, values[a - base : b - base],
            )


def _position_values(counts: Any, ends: Any, poses: Any) -> list[bytes]:
    """The ``Positions`` value of each posting (:func:`w3.position_values
    <corpus_search.store.w3.position_values>`), from the NumPy arrays of the postings'
    frequencies, where their positions end, and their positions one after the other."""
    import numpy as np

    starts = ends - counts
    firsts = poses[starts]
    several = np.flatnonzero(counts != 1)
    if not len(several):
        return position_values(firsts.tolist(), ())
    deltas = np.diff(poses.astype(np.int64), prepend=0)
    deltas[starts] = firsts
    dl = deltas.tolist()
    return position_values(firsts.tolist(), (
        (k, dl[a : a + c])
        for k, a, c in zip(several.tolist(), starts[several].tolist(),
                           counts[several].tolist(), strict=True)
    ))
