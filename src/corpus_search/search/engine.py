"""Whole-array evaluation of Whoosh queries: BM25F over postings held as NumPy arrays.

Whoosh scores a query by walking a tree of matcher objects one document at a time in Python,
and counts the matches by walking it again. :class:`QueryEngine` reads each term's postings
once per searcher into arrays (document numbers, weights, and for phrase and proximity
queries, positions), precomputes the term's BM25F score per document, and evaluates the query
tree with array operations: a union is an addition, an intersection a mask, a phrase a search
over sorted ``(document, position)`` keys. The scores are Whoosh's own (its ``bm25`` formula,
``idf``, average field lengths and one-byte field lengths), so rankings match
``searcher.search(q)``; the tests compare the two on generated queries. The one deliberate
difference: the terms of a wildcard, prefix or fuzzy expansion share one idf (Lucene's
blended frequencies; :mod:`corpus_search.search.expansions`), where Whoosh gives each its own.

A query holding a node type this module does not evaluate raises :class:`Unsupported`; the
caller then lets Whoosh run it.

A warm query's arrays are small, so its cost is mostly the number of array operations: on
the paths every plain query takes, arrays' own methods (``a.searchsorted``, ``a.repeat``)
are called rather than NumPy's functions of the same name, which wrap them in Python (about
a microsecond more a call).
"""

from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query
from whoosh.fields import DATETIME
from whoosh.util.numeric import byte_to_length

from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.errors import Unsupported
from corpus_search.search.budget import check_budget
from corpus_search.search.closeness import STRIDE as _STRIDE
from corpus_search.search.closeness import KeyRanges, closeness, shifted
from corpus_search.search.concepts import (
    Alternative,
    Concept,
    ConceptScores,
    Match,
    SparseMatch,
    bm25_idf,
    concept_places,
    shares,
)
from corpus_search.search.expansions import (
    ExpandedTerm,
    SharedIdfs,
    expansion_query,
    fuzzy_similarity,
    osa_distance,
    shared_idf,
)
from corpus_search.search.phrases_gapped import GappedPhrase, GappedSequence
from corpus_search.search.phrases_gapped import gaps as phrase_gaps
from corpus_search.search.ranking import RANKING
from corpus_search.store.memo import PerSearcher
from corpus_search.store.postings import exact_lengths, length_codes, segment_postings
from corpus_search.store.w3 import field_frequencies, field_terms

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.ranking import Ranking


__all__ = ["QueryEngine", "any_engine", "distinct", "engine_for", "engine_for_ranking"]



#: a term's positions are decoded for the documents asked only when they are fewer than
#: one in this many of its postings; otherwise all of them, once, and kept
_FEW_POSTINGS = 8


#: bytes of postings, scores and positions kept per engine before the least recently used
#: terms are dropped (read again if needed)
DEFAULT_CACHE_BYTES = 256 * 2**20


#: bytes per posting held: document number, weight, score
_POSTING_BYTES = 4 + 4 + 8


#: bytes of concept scores and concept position keys kept per engine before the least
#: recently used are dropped (computed again if needed): at least this many, and
#: :data:`CONCEPT_CACHE_BYTES_PER_DOCUMENT` per document of the index
DEFAULT_CONCEPT_CACHE_BYTES = 64 * 2**20

#: a concept's scores take about 21 bytes per document holding it (document, score, credit,
#: strong flag): this much per document of the index keeps a dozen concepts held by most
#: documents, the working set of a few queries of common words. At a million documents
#: 64 MB kept about three, and queries that took turns recomputed theirs each time (several
#: words p95 116 ms; 58 ms with 256 MB)
CONCEPT_CACHE_BYTES_PER_DOCUMENT = 256




_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class _Term:
    """One term's postings over the whole index, deleted documents left out.

    Positions are decoded on first need (phrases, proximity) from a second read of the
    posting blocks, so terms only ever scored cost no memory for them.
    """

    __slots__ = ("btext", "docs", "positions", "scores", "starts", "weights")

    def __init__(self, btext: bytes, docs: np.ndarray, weights: np.ndarray) -> None:
        self.btext = btext
        self.docs = docs
        self.weights = weights
        self.scores: np.ndarray | None = None
        self.positions: np.ndarray | None = None
        self.starts: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.docs)


_EMPTY_TERM = _Term(b"", np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class _ConceptPart:
    """One concept's score, credit and strong flag (see :meth:`QueryEngine._score_concept`)
    on the documents holding it (``docs``, ascending: those of its strong and weak
    alternatives), and its idf. They depend on the concept, the fields and the index only,
    so the engine keeps them for the queries that ask for the concept again; a query spreads
    them over its own candidates (every other document scores zero, has no credit and is not
    strong)."""

    __slots__ = ("credit", "credited", "docs", "idf", "score", "strong", "top", "whole")

    def __init__(
        self,
        docs: np.ndarray,
        part: tuple[np.ndarray, np.ndarray, np.ndarray],
        idf: float,
    ) -> None:
        self.docs = docs
        self.score, self.credit, self.strong = part
        self.idf = idf
        #: its largest score in any document: what it can add to one (MaxScore's bound)
        self.top = float(self.score.max()) if len(self.score) else 0.0
        #: does each of its documents hold some of it (a credit), and all of it (strong)?
        self.credited = bool((self.credit > 0).all())
        self.whole = bool(self.strong.all())

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.score.nbytes + self.credit.nbytes + self.strong.nbytes


class _Rows:
    """A query's concepts' scores, credits and strong flags spread over its candidates
    (:func:`_spread`), kept read-only for the query asking again."""

    __slots__ = ("nbytes", "rows")

    def __init__(self, rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        self.rows = tuple(_read_only(row) for row in rows)
        self.nbytes = sum(row.nbytes for row in rows)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _spread(
    parts: Sequence[_ConceptPart], cands: _Candidates
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The concepts' scores, credits and strong flags per document of ``cands``, a row per
    concept, new for the query to change. A complete ``cands`` holds the documents of every
    part; else only those of a part's documents among them are looked up."""
    shape = (len(parts), len(cands.docs))
    score, credit, strong = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=bool)
    # row by row: indexing a row is about twice as quick as indexing the array by (row, at)
    for part, score_row, credit_row, strong_row in zip(parts, score, credit, strong, strict=True):
        if cands.complete:
            at = cands.slots(part.docs)
            score_row[at] = part.score
            credit_row[at] = part.credit
            strong_row[at] = part.strong
        else:
            at, of = cands.among(part.docs)
            score_row[at] = part.score[of]
            credit_row[at] = part.credit[of]
            strong_row[at] = part.strong[of]
    return score, credit, strong


class QueryEngine:
    """Evaluates queries against one Whoosh searcher (one generation of the index).

    ``k1``, ``b`` and ``field_b`` must be those of the searcher's ``BM25F`` weighting.
    ``cache_bytes`` bounds the terms' postings kept, ``concept_cache_bytes`` the concepts'
    scores and position keys (None: by the size of the index, see
    :data:`CONCEPT_CACHE_BYTES_PER_DOCUMENT`).
    """

    def __init__(
        self,
        searcher: Searcher,
        k1: float,
        b: float,
        field_b: dict[str, float] | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        concept_cache_bytes: int | None = None,
    ) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.k1 = k1
        self.b = b
        self.field_b = dict(field_b or {})
        self.size = searcher.doc_count_all()
        self._leaves = []
        for leaf, base in self.reader.leaf_readers():
            if not leaf.doc_count_all():
                continue  # an empty index has an EmptyReader: nothing to read
            if not (hasattr(leaf, "_terms") and hasattr(leaf, "_perdoc")):
                raise Unsupported(f"segment reader {type(leaf).__name__}")
            self._leaves.append((leaf, base))
        self._terms: OrderedDict[tuple[str, bytes], _Term] = OrderedDict()
        self._cached = 0
        self._cache_limit = cache_bytes
        #: per concept and fields, its scores (a _ConceptPart), and per concept and field,
        #: its position keys (_concept_keys); least recently used first
        self._concepts: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._concepts_held = 0
        if concept_cache_bytes is None:
            concept_cache_bytes = max(
                DEFAULT_CONCEPT_CACHE_BYTES, CONCEPT_CACHE_BYTES_PER_DOCUMENT * self.size
            )
        self._concepts_limit = concept_cache_bytes
        self._lengths: dict[str, np.ndarray] = {}
        self._norms: dict[str, np.ndarray] = {}
        live = np.ones(self.size, dtype=bool)
        for leaf, base in self._leaves:
            deleted = list(leaf.deleted_docs_set) if leaf.has_deletions() else []
            if deleted:
                live[np.asarray(deleted, dtype=np.int64) + base] = False
        self.live = live
        #: how many documents are live (not deleted)
        self.live_count = int(live.sum())
        self._within: np.ndarray | None = None
        self._facets: dict[str, list[tuple[str, np.ndarray]]] = {}
        self._sort_keys: dict[str, np.ndarray] = {}
        self._vocab: dict[str, dict[int, list[str]]] = {}
        self._blended: SharedIdfs = {}

    # -- postings ----------------------------------------------------------------------

    def term(self, fieldname: str, text: str | bytes) -> _Term:
        """The postings of ``fieldname:text`` (empty when the term is not indexed)."""
        check_budget()
        if fieldname not in self.schema:
            return _EMPTY_TERM
        field = self.schema[fieldname]
        if isinstance(text, bytes):
            btext = text
        else:
            try:
                btext = field.to_bytes(text)
            except ValueError:
                return _EMPTY_TERM
        key = (fieldname, btext)
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        found = self._read_term(fieldname, btext)
        self._terms[key] = found
        self._account(len(found) * _POSTING_BYTES + 64)
        return found

    def _account(self, nbytes: int) -> None:
        """Count ``nbytes`` more held; drop the least recently used terms over the budget."""
        self._cached += nbytes
        while self._cached > self._cache_limit and len(self._terms) > 1:
            _, old = self._terms.popitem(last=False)
            self._cached -= len(old) * _POSTING_BYTES + 64
            if old.positions is not None:
                self._cached -= old.positions.nbytes + old.starts.nbytes

    def _blocks(self, fieldname: str, btext: bytes) -> Iterable[tuple[np.ndarray, Any, Any]]:
        """Each posting block of the term over all segments: (global document numbers,
        weights, values), deleted documents included."""
        for leaf, base in self._leaves:
            for ids, ws, vs in segment_postings(leaf, fieldname, btext):
                yield ids + base, ws, vs

    def _read_term(self, fieldname: str, btext: bytes) -> _Term:
        docs: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        live = self.live
        for ids, ws, _vs in self._blocks(fieldname, btext):
            keep = live[ids]
            if keep.all():
                docs.append(ids)
                weights.append(ws)
            else:
                docs.append(ids[keep])
                weights.append(ws[keep])
        if not docs:
            return _EMPTY_TERM
        return _Term(
            btext,
            np.concatenate(docs).astype(np.int32),
            np.concatenate(weights).astype(np.float32),
        )

    def _values(self, fieldname: str, t: _Term) -> list[Any]:
        """The posting values (encoded positions) of ``t``'s live postings, in order."""
        live = self.live
        values: list[Any] = []
        for ids, _ws, vs in self._blocks(fieldname, t.btext):
            keep = live[ids]
            if keep.all():
                values.extend(vs)
            else:
                values.extend(v for v, k in zip(vs, keep.tolist(), strict=True) if k)
        return values

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in ``fieldname`` as Whoosh scores it (one-byte encoded),
        but where that byte is full: there the exact length the index holds, if it does
        (:func:`~corpus_search.store.postings.exact_lengths`), so that a body of a million words is
        not ranked as one of a hundred thousand."""
        found = self._lengths.get(fieldname)
        if found is None:
            parts = [
                exact_lengths(leaf, fieldname, _LENGTH_TABLE[length_codes(leaf, fieldname)])
                for leaf, _base in self._leaves
            ]
            found = self._lengths[fieldname] = (
                np.concatenate(parts) if parts else np.zeros(0, dtype=np.float64)
            )
        return found

    def term_scores(self, fieldname: str, t: _Term) -> np.ndarray:
        """BM25F score of each posting of ``t``, computed exactly as Whoosh's scorer does."""
        if t.scores is None:
            field = self.schema[fieldname]
            if not field.scorable:
                t.scores = t.weights.astype(np.float64)
            else:
                s = self.searcher
                idf = s.idf(fieldname, t.btext)
                avgfl = s.avg_field_length(fieldname) or 1
                b = self.field_b.get(fieldname, self.b)
                k1 = self.k1
                tf = t.weights.astype(np.float64)
                fl = self.field_lengths(fieldname)[t.docs]
                t.scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        return t.scores

    def positions(self, fieldname: str, t: _Term) -> tuple[np.ndarray, np.ndarray]:
        """All positions of ``t``: a flat array and each posting's start in it."""
        if t.positions is None:
            flat, starts = self._decoded(fieldname, self._values(fieldname, t))
            t.positions, t.starts = flat, starts
            if self._terms.get((fieldname, t.btext)) is t:
                self._account(flat.nbytes + starts.nbytes)
        return t.positions, t.starts

    def _some_positions(
        self, fieldname: str, t: _Term, docs: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The positions of ``t`` in ``docs`` (ascending, each holding ``t``) alone, as
        :meth:`positions` gives all of them, posting ``i`` being that of ``docs[i]``.

        Only the posting blocks holding them are read and only their postings decoded (a
        Python call each): a few documents of a frequent word cost what they hold, not
        what the word's whole postings list does; nothing is kept."""
        values: list[Any] = []
        for leaf, base in self._leaves:
            lo, hi = docs.searchsorted([base, base + leaf.doc_count_all()])
            if lo == hi:
                continue
            wanted = docs[lo:hi].astype(np.int64) - base
            for ids, _ws, vs in segment_postings(leaf, fieldname, t.btext, wanted):
                at = np.minimum(ids.searchsorted(wanted), len(ids) - 1)
                values.extend(vs[i] for i in at[ids[at] == wanted].tolist())
        if len(values) != len(docs):
            raise ValueError(f"{len(docs)} postings of {t.btext!r} asked, {len(values)} read")
        return self._decoded(fieldname, values)

    def _decoded(self, fieldname: str, values: list[Any]) -> tuple[np.ndarray, np.ndarray]:
        """The positions in encoded posting ``values``: a flat array and each posting's
        start in it."""
        fmt = self.schema[fieldname].format
        if not (fmt and fmt.supports("positions") and fmt.fixed_value_size() is None):
            raise Unsupported(f"{fieldname} holds no positions")
        decode = fmt.decoder("positions")
        lists = [decode(v) for v in values]
        lens = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
        starts = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lens, out=starts[1:])
        flat = np.fromiter((p for ps in lists for p in ps), dtype=np.int32, count=int(starts[-1]))
        return flat, starts

    def sort_key(self, fieldname: str) -> np.ndarray:
        """Each document's raw column value of a sortable numeric field as a sort key (dates:
        newer is larger). Documents without a value (the column's out-of-range default) get a
        negative key, so they come last in a descending sort."""
        found = self._sort_keys.get(fieldname)
        if found is None:
            # per segment: Whoosh's MultiReader.column_reader skips segments without the
            # column file and so misnumbers the documents of the others
            found = np.full(self.size, -1, dtype=np.int64)
            for leaf, base in self._leaves:
                if not leaf.has_column(fieldname):
                    continue
                column = leaf.column_reader(fieldname, translate=False)
                count = leaf.doc_count_all()
                raw = np.fromiter(column, dtype=np.uint64, count=count)
                found[base : base + count] = raw.astype(np.int64)  # defaults wrap negative
            self._sort_keys[fieldname] = found
        return found

    def values(self, fieldname: str) -> list[tuple[Any, np.ndarray]]:
        """Each value of the field ``fieldname`` (a source, a party, a year) that a live
        document holds, with those documents; kept for the next call."""
        values = self._facets.get(fieldname)
        if values is None:
            values = []
            if fieldname in self.schema:
                field = self.schema[fieldname]
                for btext in self.lexicon(fieldname):
                    t = self.term(fieldname, btext)
                    if len(t):
                        values.append((field.from_bytes(btext), t.docs))
            self._facets[fieldname] = values
        return values

    def facet_counts(self, mask: np.ndarray, fields: dict[str, str]) -> dict[str, dict[str, int]]:
        """For each facet, how many documents of ``mask`` hold each value of its field,
        largest count first (ties by value)."""
        out = {}
        for name, fieldname in fields.items():
            counts = {value: int(mask[docs].sum()) for value, docs in self.values(fieldname)
                      if value}
            out[name] = dict(
                sorted(((v, c) for v, c in counts.items() if c), key=lambda kv: (-kv[1], kv[0]))
            )
        return out

    def frequencies(self, fieldname: str) -> dict[bytes, int]:
        """Each term of ``fieldname`` and how many documents hold it, deleted documents
        included until their segment is merged away (the term dictionaries' own counts, read
        at once by :func:`~corpus_search.store.w3.field_frequencies`, no posting read)."""
        found: dict[bytes, int] = {}
        for leaf, _base in self._leaves:
            for btext, documents in field_frequencies(leaf, fieldname):
                found[btext] = found.get(btext, 0) + documents
        return found

    def lexicon(self, fieldname: str, prefix: bytes = b"") -> list[bytes]:
        """The terms of ``fieldname`` in any segment, sorted (as Whoosh's ``lexicon``; a
        deleted document's terms linger until its segment is merged away), read from each
        segment's term dictionary at once (:func:`~corpus_search.store.w3.field_terms`);
        with ``prefix``, only those starting with it (the others are never read)."""
        per_leaf = [field_terms(leaf, fieldname, prefix) for leaf, _base in self._leaves]
        if len(per_leaf) == 1:
            return per_leaf[0]
        return sorted(set().union(*per_leaf))

    def vocabulary(self, fieldname: str) -> dict[int, list[str]]:
        """The indexed words of ``fieldname``, grouped by length."""
        found = self._vocab.get(fieldname)
        if found is None:
            found = {}
            if fieldname in self.schema:
                field = self.schema[fieldname]
                for btext in self.lexicon(fieldname):
                    word = field.from_bytes(btext)
                    found.setdefault(len(word), []).append(word)
            self._vocab[fieldname] = found
        return found

    def words_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Indexed words within ``maxdist`` Damerau-Levenshtein edits of ``text`` (a swap of
        two neighbouring letters is one edit) that share its first ``prefix`` characters.

        That is how Whoosh documents ``IndexReader.terms_within`` (and implements it in
        ``whoosh.support.levenshtein``); its faster automaton walk counts a swap as two
        edits and now and then yields a word beyond the distance. Found here by comparing
        the words of a possible length in compiled code (``rapidfuzz``).
        """
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        vocab = self.vocabulary(fieldname)
        start = text[:prefix]
        found = []
        for length in range(max(len(text) - maxdist, 0), len(text) + maxdist + 1):
            words = vocab.get(length)
            if not words:
                continue
            dist = process.cdist(
                [text], words, scorer=OSA.distance, score_cutoff=maxdist, dtype=np.int32
            )[0]
            for i in np.flatnonzero(dist <= maxdist).tolist():
                if words[i].startswith(start):
                    found.append(words[i])
        return sorted(found)

    def suggest(
        self, fieldname: str, text: str, limit: int, maxdist: int, prefix: int = 0
    ) -> list[str]:
        """Up to ``limit`` indexed words within ``maxdist`` edits of ``text`` (see
        :meth:`words_within`), most frequent first, ties alphabetical (Whoosh's
        ``ReaderCorrector`` ranks by frequency too)."""
        frequency = self.reader.frequency
        words = self.words_within(fieldname, text, maxdist, prefix)
        return sorted(words, key=lambda w: (-(frequency(fieldname, w) or 1), w))[:limit]

    def expand(self, q: query.MultiTerm) -> list[bytes]:
        """The indexed terms a multi-term query (prefix, wildcard, fuzzy, range) stands for."""
        if type(q) is query.FuzzyTerm:
            if q.fieldname not in self.schema:
                return []
            field = self.schema[q.fieldname]
            words = self.words_within(q.fieldname, q.text, q.maxdist, q.prefixlength)
            return [field.to_bytes(w) for w in words if w]
        return [w for _, w in q.expanded_terms(self.reader) if w]

    # -- evaluation --------------------------------------------------------------------

    def empty(self) -> Match:
        return Match(np.zeros(self.size), np.zeros(self.size, dtype=bool))

    def evaluate(self, q: query.Query, within: np.ndarray | None = None) -> Match:
        """Scores and matches of ``q``, as Whoosh's matchers would give them.

        ``within`` (a boolean mask) limits phrase and proximity matching to those
        documents, which spares reading positions elsewhere; other matches are unaffected.
        """
        if within is None:
            return self._evaluate(q)
        saved, self._within = self._within, within
        try:
            return self._evaluate(q)
        finally:
            self._within = saved

    def _evaluate(self, q: query.Query) -> Match:
        check_budget()
        handler = _HANDLERS.get(type(q))
        if handler is None:
            if isinstance(q, query.MultiTerm) and not isinstance(q, query.Variations):
                return self._multiterm(q)
            if isinstance(q, query.ConstantScoreQuery):  # (a date's days: ranges.DatedDays)
                return self._constant(q)
            raise Unsupported(type(q).__name__)
        return handler(self, q)

    def docs(self, q: query.Query) -> np.ndarray:
        """The boolean mask of documents matching ``q`` (scores ignored)."""
        if isinstance(q, query.NumericRange) and self._date_column(q.fieldname):
            return self._range_mask(q)
        if isinstance(q, query.NumericRange):
            return self.docs(q.simplify(self.reader))  # the terms of the range's tiers
        if isinstance(q, query.ConstantScoreQuery):
            return self.docs(q.child)
        if isinstance(q, query.MultiTerm) and not isinstance(q, query.Variations):
            mask = np.zeros(self.size, dtype=bool)
            for word in self.expand(q):
                mask[self.term(q.field(), word).docs] = True
            return mask
        if isinstance(q, query.Every) and not q.fieldname:
            return self.live.copy()
        if isinstance(q, query.Every):  # (title:*: the documents holding a word of it)
            return self.live & (self.field_lengths(q.fieldname) > 0)
        if isinstance(q, query.And):
            mask = self.live.copy()
            for sub in q.subqueries:
                mask &= self.docs(sub)
            return mask
        if isinstance(q, query.Or):
            mask = np.zeros(self.size, dtype=bool)
            for sub in q.subqueries:
                mask |= self.docs(sub)
            return mask
        if isinstance(q, query.Not):
            return self.live & ~self.docs(q.query)
        return self._evaluate(q).mask

    def _date_column(self, fieldname: str) -> bool:
        """Is ``fieldname`` a sortable DATETIME field (its column holds the range's units)?"""
        try:
            field = self.schema[fieldname]
        except KeyError:
            return False
        return isinstance(field, DATETIME) and field.column_type is not None

    def docs_among(self, q: query.Query, docs: np.ndarray) -> np.ndarray:
        """Per document of ``docs``: does it match ``q``? ``self.docs(q)[docs]``, at the
        cost of ``docs`` rather than of the index for what filters are made of (terms, date
        ranges, and, or, not)."""
        if type(q) in (query.Term, ExpandedTerm):
            return _among(self.term(q.fieldname, q.text).docs, docs)
        if isinstance(q, query.NumericRange) and self._date_column(q.fieldname):
            return self._range_mask(q, docs)
        if isinstance(q, query.ConstantScoreQuery):
            return self.docs_among(q.child, docs)
        if isinstance(q, query.Every) and not q.fieldname:
            return self.live[docs]
        if isinstance(q, query.And):
            keep = self.live[docs]
            for sub in q.subqueries:
                keep &= self.docs_among(sub, docs)
            return keep
        if isinstance(q, query.Or):
            keep = np.zeros(len(docs), dtype=bool)
            for sub in q.subqueries:
                keep |= self.docs_among(sub, docs)
            return keep
        if isinstance(q, query.Not):
            return self.live[docs] & ~self.docs_among(q.query, docs)
        return self.docs(q)[docs]

    def _range_mask(self, q: query.NumericRange, docs: np.ndarray | None = None) -> np.ndarray:
        """Which documents (of ``docs``, or of the index) have a date in the range."""
        key = self.sort_key(q.fieldname)
        live = self.live
        if docs is not None:
            key, live = key[docs], live[docs]
        mask = live & (key >= 0)
        if q.start is not None:
            mask &= key > q.start if q.startexcl else key >= q.start
        if q.end is not None:
            mask &= key < q.end if q.endexcl else key <= q.end
        return mask

    def top(
        self,
        match: Match | SparseMatch,
        k: int,
        order: np.ndarray | None = None,
        tier: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The best ``k`` matches as (documents, scores): by score, ties by document number.

        With ``order`` (a sort key per document of the index), by that key descending
        instead, ties by score and then document number. With ``tier`` (a rank per match,
        in the order of the sparse match's documents), by tier descending before anything
        else.
        """
        if isinstance(match, Match):
            match = match.sparse()
        docs, scores = match.docs, match.scores
        if order is not None or tier is not None:
            keys = [docs, -scores]
            if order is not None:
                keys.append(-order[docs])
            if tier is not None:
                keys.append(-tier)
            pick = np.lexsort(keys)[:k]
            return docs[pick], scores[pick]
        if len(docs) > k:
            # the k-th best score; everything above it is in, ties at it by document number
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            keep = (scores >= kth).nonzero()[0]
            if len(keep) > k:  # more than one at the k-th score
                above = scores > kth
                at = (scores == kth).nonzero()[0][: k - int(above.sum())]
                keep = np.concatenate([above.nonzero()[0], at])
            docs, scores = docs[keep], scores[keep]
        pick = np.lexsort((docs, -scores))
        return docs[pick], scores[pick]

    # -- concept ranking ---------------------------------------------------------------

    def _length_norm(self, fieldname: str) -> np.ndarray:
        """BM25's per-document length normalisation ``1 - b + b * length / average``."""
        found = self._norms.get(fieldname)
        if found is None:
            b = self.field_b.get(fieldname, self.b)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            found = self._norms[fieldname] = (1 - b) + b * self.field_lengths(fieldname) / avgfl
        return found

    def _occurrences(self, fieldname: str, alt: Alternative) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding ``alt`` in ``fieldname`` and how often (sorted documents)."""
        if len(alt.slots) == 1:
            found = [t for t in (self.term(fieldname, w) for w in alt.slots[0]) if len(t)]
            if not found:
                return _NO_DOCS, _NO_TF
            if len(found) == 1:
                return found[0].docs, found[0].weights.astype(np.float64)
            docs = np.concatenate([t.docs for t in found])
            tf = np.concatenate([t.weights for t in found]).astype(np.float64)
            order = np.lexsort((-tf, docs))  # each document's largest frequency first
            docs, tf = docs[order], tf[order]
            first = np.ones(len(docs), dtype=bool)
            first[1:] = docs[1:] != docs[:-1]
            return docs[first], tf[first]
        ends = self._phrase_ends(fieldname, alt)
        if not len(ends):
            return _NO_DOCS, _NO_TF
        docs, counts = distinct(ends // _STRIDE, counts=True)
        return docs.astype(np.int32), counts.astype(np.float64)

    def written(self, forms: Sequence[Sequence[Sequence[str]]], cands: np.ndarray) -> np.ndarray:
        """Per document of ``cands``: does it write one of ``forms``, all the words of one
        (each word held in the ``words`` field as one of its terms)? A proxy for the form
        itself: that field records each document's distinct words, not where they stand."""
        mask = np.zeros(len(cands), dtype=bool)
        for form in forms:
            held = None
            for probes in form:
                word = np.zeros(len(cands), dtype=bool)
                for probe in probes:
                    word |= _among(self.term(WORDS_FIELD, probe).docs, cands)
                held = word if held is None else held & word
            if held is not None:
                mask |= held
        return mask

    def _phrase_ends(
        self, fieldname: str, alt: Alternative, among: np.ndarray | None = None
    ) -> np.ndarray:
        """The ends of ``alt``'s phrase (see :meth:`_near_ends`), in the documents ``among``
        (ascending) if given."""
        parts = [
            [t for t in (self.term(fieldname, w) for w in slot) if len(t)] for slot in alt.slots
        ]
        if not all(parts):
            return np.zeros(0, dtype=np.int64)
        inside = [t for t in (self.term(fieldname, w) for w in alt.inside) if len(t)]
        return self._near_ends(fieldname, parts, 1, among, same_place=alt.within_terms,
                               gaps=phrase_gaps(alt.offsets, len(parts)),
                               inside=inside if alt.inside else None)

    def score_concepts(
        self,
        concepts: Sequence[Concept],
        fields: Sequence[tuple[str, float]],
        coverage: float = 0.0,
        depth: int | None = None,
    ) -> ConceptScores:
        """BM25F of each concept as one pseudo-term, times the query's coverage.

        A concept's frequency in a field is the largest of its strong alternatives' (each
        times its weight): the forms of a concept share positions in the index ("Tories" is
        indexed as ``tori`` and ``conservative_party``), so adding them would count one
        mention twice. Its document frequency is that of the union of those alternatives (and
        of its ``rarity_only`` ones), so a frequent concept weighs little however rare each of
        its spellings is. The fields
        combine as in BM25F proper (Robertson and Zaragoza): frequencies, each divided by its
        field's length normalisation and times the field boost, are added before one
        saturation ``tf (k1 + 1) / (tf + k1)`` times the concept's :func:`bm25_idf`.

        Weak alternatives are scored each as its own term, with its own idf, times its
        weight; the concept scores the larger of its strong and its weak part.

        Every concept's score, and its idf in the coverage, count times its :func:`shares`:
        a multi-word term the user typed and its words (the concepts with its ``part_of``)
        together count as one concept.

        ``coverage`` is the exponent of a coordination factor: the share of the query's
        places, weighted by idf, that a document holds (a weak alternative alone holds its
        weight's share; a multi-word term's place is held by the term or by all its words,
        see :meth:`_place_credit`). Zero leaves BM25F alone; one multiplies by the share, so
        a document with both of two equally rare concepts scores twice one that repeats one
        of them.

        Only the candidates are scored: the documents holding a strong or weak alternative
        of some concept (no other can match), so a query of rare words costs what their
        postings cost, whatever the size of the index. Each concept is scored on its own
        documents once per searcher and kept (:meth:`_concept_part`): a query asking for it
        again only spreads those scores over its candidates.

        With ``depth``, when only the best ``depth`` documents are wanted, fewer may be
        scored: those that can rank among them (:meth:`_pruned`). ``match`` then holds
        those, and the result's ``every_match`` all the matches.
        """
        fields = tuple(fields)
        held = [self._concept_part(c, fields) for c in concepts]
        idfs = [part.idf for part in held]
        parts = shares(concepts, idfs)
        # a document holding only an honorific ("Mr") is no match: the candidates are the
        # documents of the other concepts (of all, for a query of honorifics alone)
        matching = [part for c, part in zip(concepts, held, strict=True) if not c.honorific]
        complete = len(matching) in (0, len(held))
        matching = matching or list(held)
        key = (tuple(concepts), fields)  # (a query's candidates and scores on them are kept)
        cands = matching[0].docs if len(matching) == 1 else self._remembered(
            ("cands", *key),
            lambda: _read_only(_sorted_union([part.docs for part in matching], self.size)))
        if depth is not None and complete and not any(c.first or c.together for c in concepts):
            pruned = self._pruned(concepts, held, idfs, parts, coverage, depth, cands)
            if pruned is not None:
                return pruned
        rows = self._remembered(
            ("spread", *key), lambda: _Rows(_spread(held, _Candidates(cands, self.size, complete))))
        match, tier, direct = self._score_on(concepts, held, parts, coverage, cands, complete, rows)
        return ConceptScores(match, idfs, parts, tier, direct)

    def _score_on(
        self,
        concepts: Sequence[Concept],
        held: Sequence[_ConceptPart],
        parts: Sequence[float],
        coverage: float,
        cands: np.ndarray,
        complete: bool = True,
        rows: _Rows | None = None,
    ) -> tuple[SparseMatch, np.ndarray | None, np.ndarray | None]:
        """The matches among ``cands`` (holding every concept's documents if ``complete``)
        with their scores (see :meth:`score_concepts`), their tiers and whether each holds
        a concept itself (None when all do); ``rows``: the concepts' scores spread over
        ``cands`` already."""
        if rows is None:
            score, credit, strong = _spread(held, _Candidates(cands, self.size, complete))
        else:  # (kept, so read-only: _tiers clears the rows of a quoted phrase's words)
            together = any(c.together for c in concepts)
            score, credit, strong = (r.copy() if together else r for r in rows.rows)
        scored = list(zip(score, credit, strong, strict=True))  # rows: changed in place
        idfs = [part.idf for part in held]
        tier = self._tiers(concepts, scored)
        live = [i for i, idf in enumerate(idfs) if idf]
        total = np.zeros(len(cands))
        for i in live:
            total += parts[i] * score[i]
        # each candidate holds some concept (its documents are those of the concepts'), so
        # all match unless a quoted phrase's words cleared some; all hold a concept itself
        # when no concept's documents include some holding only a related term
        if not any(c.together for c in concepts) and all(held[i].credited for i in live):
            matched = slice(None)
        else:
            matched = (credit[live] > 0).any(axis=0)
        direct = None if all(held[i].whole for i in live) else strong[live].any(axis=0)
        if coverage:
            covered = np.zeros(len(cands))
            weight = 0.0
            for members in concept_places(concepts, idfs):
                place = sum(parts[i] * idfs[i] for i in members)
                covered += place * self._place_credit(concepts, idfs, scored, members)
                weight += place
            if weight:
                total *= (covered / weight) ** coverage
        if direct is not None:
            direct = direct[matched]
        return (
            SparseMatch(cands[matched], total[matched], self.size),
            None if tier is None else tier[matched],
            direct if direct is not None and not direct.all() else None,
        )

    def _pruned(
        self,
        concepts: Sequence[Concept],
        held: Sequence[_ConceptPart],
        idfs: Sequence[float],
        parts: Sequence[float],
        coverage: float,
        depth: int,
        matches: np.ndarray,
    ) -> ConceptScores | None:
        """The scores of only the documents of ``matches`` (every one holding a concept)
        that can rank among the best ``depth``, or None when most of them may.

        MaxScore (Turtle and Flood, 1995): a document holding only concepts of a set ``N``
        scores at most the sum of their largest scores (:attr:`_ConceptPart.top`) times the
        coverage factor of all of ``N``'s places held. The documents of the concept that can
        add the most are scored first (those holding every concept when they are most of
        the matches); the ``depth``-th best of their scores is a floor the best ``depth`` of
        all reach (fewer documents would give a lower one). The concepts
        are taken by what they can add, least first, while the bound of those taken stays
        below the floor: a document holding only those cannot rank, so only the documents of
        the others can (often just those first scored). Of these, a document whose scores
        of those concepts, plus all the concepts taken can add, are below the floor cannot
        rank either; the rest are scored. The ranking of the best ``depth`` is the one
        scoring every match gives.
        """
        live = [i for i, idf in enumerate(idfs) if idf]
        if len(live) < 2:
            return None
        adds = {i: parts[i] * held[i].top for i in live}
        order = sorted(live, key=adds.__getitem__)
        probe = held[order[-1]].docs
        if len(probe) < depth:
            return None
        if len(probe) * 2 > len(matches):  # too many to score twice: those holding every
            # concept, fewer, give a lower floor
            probe = _common([held[i].docs for i in order], self.size)
            if len(probe) < depth:
                return None
        found, _, _ = self._score_on(concepts, held, parts, coverage, probe, complete=False)
        n = len(found.scores)
        if n < depth:
            return None
        floor = np.partition(found.scores, n - depth)[n - depth]
        places = concept_places(concepts, idfs)
        place_weight = [sum(parts[i] * idfs[i] for i in members) for members in places]
        weight = sum(place_weight)
        if not (floor > 0 and weight > 0):
            return None
        taken: set[int] = set()
        can_add = 0.0
        skipped = 0
        for i in order[:-1]:
            taken.add(i)
            can_add += adds[i]
            share = sum(w for w, members in zip(place_weight, places, strict=True)
                        if taken.intersection(members)) / weight
            bound = can_add * min(1.0, share) ** coverage if coverage else can_add
            if bound * (1 + 1e-9) >= floor:  # (rounding: the scores add in another order)
                break
            skipped += 1
        kept = order[skipped:]
        cands = _sorted_union([held[i].docs for i in kept], self.size) if skipped else matches
        match = found
        if len(cands) > len(probe):  # (else they are the documents first scored)
            # a document's score is at most its kept concepts' plus all the others can add
            # (the coverage factor is at most one): only those that can reach the floor
            reach = np.full(len(cands), float(sum(adds[i] for i in order[:skipped])))
            slots = _Candidates(cands, self.size)
            for i in kept:
                reach[slots.slots(held[i].docs)] += parts[i] * held[i].score
            cands = cands[reach * (1 + 1e-9) >= floor]
            match, _, _ = self._score_on(concepts, held, parts, coverage, cands, complete=False)
        size = self.size

        def related() -> int:
            direct = _sorted_union([held[i].docs[held[i].strong] for i in live], size)
            return len(matches) - len(direct)

        return ConceptScores(match, list(idfs), list(parts), None, None, matches, related)

    def _concept_part(
        self, concept: Concept, fields: tuple[tuple[str, float], ...]
    ) -> _ConceptPart:
        """``concept``'s scores on the documents holding it in ``fields``, kept for the
        queries that ask for it again (:meth:`_remembered`)."""

        def score() -> _ConceptPart:
            alts = [
                (alt, self._alternative_occurrences(alt, fields)) for alt in concept.alternatives
            ]
            docs = _sorted_union(
                [d for alt, occ in alts if not alt.rarity_only for d, _ in occ], self.size
            )
            norms = [self._length_norm(name)[docs] for name, _ in fields]
            boosts = [boost for _, boost in fields]
            part, idf = self._score_concept(alts, _Candidates(docs, self.size), norms, boosts)
            return _ConceptPart(docs, part, idf)

        return self._remembered(("scores", concept, fields), score)

    def _remembered(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """What ``make`` makes for ``key`` (a concept's scores or position keys), made once
        and kept while the concepts' share of the cache allows (least recently used dropped
        first)."""
        found = self._concepts.get(key)
        if found is not None:
            self._concepts.move_to_end(key)
            return found
        found = self._concepts[key] = make()
        self._concepts_held += found.nbytes
        while self._concepts_held > self._concepts_limit and len(self._concepts) > 1:
            _, old = self._concepts.popitem(last=False)
            self._concepts_held -= old.nbytes
        return found

    def _alternative_occurrences(
        self, alt: Alternative, fields: Sequence[tuple[str, float]]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """The documents holding ``alt`` and how often, per field of ``fields``."""
        check_budget()
        return [self._occurrences(name, alt) for name, _ in fields]

    def _score_concept(
        self,
        alts: list[tuple[Alternative, list[tuple[np.ndarray, np.ndarray]]]],
        cands: _Candidates,
        norms: list[np.ndarray],
        boosts: list[float],
    ) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], float]:
        """One concept's score, credit (the share of it held) and whether a strong
        alternative holds it, per document of ``cands``, from its alternatives' occurrences
        per field; and its idf (zero when no document holds it)."""
        size = len(cands.docs)
        tf = [np.zeros(size) for _ in norms]
        strong = np.zeros(size, dtype=bool)
        weak_score = np.zeros(size)
        credit = np.zeros(size)
        weak_docs = 0
        widened: list[np.ndarray] = []
        for alt, occ in alts:
            if alt.rarity_only:
                widened.extend(docs for docs, _ in occ)
                continue
            if alt.weak:
                alt_tf = [np.zeros(size) for _ in norms]
                present = np.zeros(size, dtype=bool)
                for field_tf, (docs, freq) in zip(alt_tf, occ, strict=True):
                    at = cands.slots(docs)
                    field_tf[at] = freq
                    present[at] = True
                n = int(present.sum())
                if n:
                    idf = bm25_idf(self.live_count, n)
                    weak_score += alt.weight * self._bm25f(idf, alt_tf, norms, boosts)
                    credit[present] = np.maximum(credit[present], alt.weight)
                    weak_docs = max(weak_docs, n)
                continue
            written = self.written(alt.verbatim, cands.docs) if alt.verbatim else None
            for field_tf, (docs, freq) in zip(tf, occ, strict=True):
                if len(docs):
                    at = cands.slots(docs)
                    weight = alt.weight
                    if written is not None:
                        weight = np.where(written[at], alt.weight, alt.others * alt.weight)
                    field_tf[at] = np.maximum(field_tf[at], weight * freq)
                    strong[at] = True
        n = int(strong.sum())
        if not (n or weak_docs):
            return (np.zeros(size), credit, strong), 0.0
        if n and widened:
            n = len(_sorted_union([cands.docs[strong], *widened], self.size))
        idf = bm25_idf(self.live_count, n or weak_docs)
        score = self._bm25f(idf, tf, norms, boosts) if n else weak_score
        credit[strong] = 1.0
        if weak_docs:  # else weak_score is all zeros, and no score is below zero
            score = np.maximum(score, weak_score)
        return (score, credit, strong), idf

    @staticmethod
    def _place_credit(
        concepts: Sequence[Concept],
        idfs: Sequence[float],
        scored: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
        members: list[int],
    ) -> np.ndarray:
        """How much of one place of the query each document holds: a concept's credit, or
        for a multi-word term or quoted phrase the larger of the whole's credit and the
        share of its words held, each word weighted by its idf times its part of the place
        (the place is held by the term or by all its words; an honorific before a name holds
        little of it)."""
        whole = [i for i in members if concepts[i].label == concepts[i].part_of]
        words = [i for i in members if i not in whole]
        credits = [scored[i][1] for i in whole]  # none below zero
        if words:
            weight = sum(idfs[i] * concepts[i].weight for i in words)
            held = functools.reduce(
                np.add, [idfs[i] * concepts[i].weight * scored[i][1] for i in words]
            )
            credits.append(held / weight)
        return functools.reduce(np.maximum, credits)

    @staticmethod
    def _tiers(
        concepts: Sequence[Concept], scored: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    ) -> np.ndarray | None:
        """Each document's tier (see :attr:`ConceptScores.tier`), or None without a quoted
        phrase. The ``together`` concepts' scores and credits are cleared in place where a
        document lacks one of their group and the phrase too: one writing the phrase in
        another lexicon form ("swing seats" for "marginal seats") keeps the words it holds."""
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(concepts):
            if c.together:
                groups.setdefault(c.part_of, []).append(i)
        every: dict[str, np.ndarray] = {}
        held = {c.part_of: scored[i][2] for i, c in enumerate(concepts) if c.first}
        for part_of, members in groups.items():
            every[part_of] = np.logical_and.reduce([scored[i][1] > 0 for i in members])
            lost = ~(every[part_of] | held[part_of]) if part_of in held else ~every[part_of]
            for i in members:
                scored[i][0][lost], scored[i][1][lost], scored[i][2][lost] = 0.0, 0.0, False
        firsts = [i for i, c in enumerate(concepts) if c.first]
        if not firsts:
            return None
        tier = np.zeros(len(scored[0][0]), dtype=np.int8)
        for i in firsts:
            phrase = scored[i][2]
            tier += 2 * phrase
            words = every.get(concepts[i].part_of)
            if words is not None:
                tier += words & ~phrase
        return tier

    def _bm25f(
        self, idf: float, tf: list[np.ndarray], norms: list[np.ndarray], boosts: list[float]
    ) -> np.ndarray:
        """BM25F of frequencies ``tf`` per field, with those fields' length ``norms`` (for
        the same documents) and ``boosts``."""
        acc = np.zeros(len(tf[0]) if tf else 0)
        for field_tf, norm, boost in zip(tf, norms, boosts, strict=True):
            acc += boost * field_tf / norm
        return idf * acc * (self.k1 + 1) / (acc + self.k1)

    def proximity(
        self,
        concepts: Sequence[Concept],
        idf: Sequence[float],
        docs: np.ndarray,
        fields: Sequence[tuple[str, float]],
        window: int,
    ) -> np.ndarray:
        """A bonus for each of ``docs`` where the query's concepts stand close together.

        Term-pair proximity after Rasolofo and Savoy (2003): for each pair of concepts and
        field, every occurrence of one concept within ``window`` positions of the nearest
        occurrence of the other adds ``1 / sqrt(distance)`` (counted from both sides and
        halved, so an adjacent pair adds 1; the paper's ``1 / distance**2`` all but ignores
        two concepts of one sentence a few words apart, see :func:`~.closeness.closeness_weights`);
        the sum is saturated like a term frequency
        (``acc (k1 + 1) / (acc + k1)``), weighted by the rarer concept's idf, the pair's
        :func:`shares` and the field boost, and the pairs' bonuses added. A concept's
        positions are those of its strong alternatives (a phrase at its last word). Two
        concepts at one position (the words of a multi-word term, which the index puts at
        one position, or the term itself) count as adjacent.
        """
        bonus = np.zeros(len(docs))
        weights = self._pair_weights(concepts, idf)
        if not weights or not len(docs):
            return bonus
        cands = np.sort(docs)
        slot = cands.searchsorted(docs)  # where each of docs sits in cands
        within = KeyRanges(cands)
        k1 = self.k1
        live = sorted({i for pair in weights for i in pair})
        for name, boost in fields:
            check_budget()
            keys = {i: self._concept_keys(name, concepts[i], within) for i in live}
            pairs = [(a, b) for a, b in weights if len(keys[a]) and len(keys[b])]
            if not pairs:
                continue
            # every pair at once, from both sides (pair (a, b) then pair (b, a)): each
            # pair's keys shifted past the previous pair's, as if they were the next
            # len(cands) + 1 documents'
            span = (len(cands) + 1) * _STRIDE
            ones = [keys[a] for a, _ in pairs]
            others = [keys[b] for _, b in pairs]
            both = closeness(shifted(ones + others, span), shifted(others + ones, span),
                              window, span, 2 * len(pairs))
            acc = (both[: len(pairs)] + both[len(pairs) :]) / 2
            weight = np.array([weights[pair] for pair in pairs])[:, None]
            for gain in (boost * weight * acc * (k1 + 1) / (acc + k1))[:, slot]:
                bonus += gain  # pair by pair
        return bonus

    def proximity_bound(
        self,
        concepts: Sequence[Concept],
        idf: Sequence[float],
        fields: Sequence[tuple[str, float]],
    ) -> float:
        """The largest bonus :meth:`proximity` can give any document (each pair's saturated
        closeness stays below ``k1 + 1``)."""
        pairs = sum(self._pair_weights(concepts, idf).values())
        return (self.k1 + 1) * pairs * sum(boost for _, boost in fields)

    @staticmethod
    def _pair_weights(
        concepts: Sequence[Concept], idf: Sequence[float]
    ) -> dict[tuple[int, int], float]:
        """Each pair of concepts the index holds: the rarer one's idf times both shares."""
        part = shares(concepts, idf)
        live = [i for i, value in enumerate(idf) if value > 0]
        return {
            (a, b): min(idf[a], idf[b]) * part[a] * part[b]
            for n, a in enumerate(live)
            for b in live[n + 1 :]
        }

    def _concept_keys(self, fieldname: str, concept: Concept, within: KeyRanges) -> np.ndarray:
        """Sorted position keys of ``concept``'s strong alternatives in the documents
        ``within`` ranges, numbered by place (:meth:`KeyRanges.keys`), kept
        (:meth:`_remembered`) for a query asking again.

        Only the candidates' positions are read: the bonus re-ranks at most
        :data:`RERANK_DEPTH` documents, and decoding a frequent word's positions in every
        document costs seconds on a million documents."""
        return self._remembered(
            ("keys", concept, fieldname, within.key),
            lambda: within.keys(self._candidate_concept_keys(fieldname, concept, within.cands)),
        )

    def _candidate_concept_keys(
        self, fieldname: str, concept: Concept, cands: np.ndarray
    ) -> np.ndarray:
        """Sorted position keys of ``concept``'s strong alternatives in the documents
        ``cands``."""
        parts = []
        for alt in concept.alternatives:
            if alt.weak or alt.rarity_only:
                continue
            if len(alt.slots) == 1:
                for w in alt.slots[0]:
                    t = self.term(fieldname, w)
                    if len(t):
                        parts.append(self._keys(fieldname, t, cands))
            else:
                parts.append(self._phrase_ends(fieldname, alt, cands))
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return distinct(parts[0] if len(parts) == 1 else np.concatenate(parts))

    # -- node handlers -----------------------------------------------------------------

    def _term(self, q: query.Term) -> Match:
        fieldname = q.fieldname
        t = self.term(fieldname, q.text)
        m = self.empty()
        if len(t):
            s = self.term_scores(fieldname, t)
            m.scores[t.docs] = s * q.boost if q.boost != 1.0 else s
            m.mask[t.docs] = True
        return m

    def _compound(self, q: query.CompoundQuery, combine: Callable[..., Match]) -> Match:
        subs = q.subqueries
        if not subs:
            return self.empty()
        if len(subs) == 1:  # Whoosh uses the lone sub-query's matcher, boost and all
            return self._evaluate(subs[0])
        m = combine([self._evaluate(s) for s in subs])
        if q.boost != 1.0:
            m.scores *= q.boost
        return m

    def _or(self, q: query.Or) -> Match:
        if getattr(q, "scale", None) or getattr(q, "minmatch", 0):
            raise Unsupported("Or with coordination")
        return self._compound(q, _union)

    def _and(self, q: query.And) -> Match:
        return self._compound(q, _intersection)

    def _and_not(self, q: query.AndNot) -> Match:
        a = self._evaluate(q.a)
        a.mask &= ~self.docs(q.b)
        a.scores[~a.mask] = 0.0
        return a

    def _and_maybe(self, q: query.AndMaybe) -> Match:
        a = self._evaluate(q.a)
        b = self._evaluate(q.b)
        a.scores += np.where(a.mask, b.scores, 0.0)
        return a

    def _require(self, q: query.Require) -> Match:
        a = self._evaluate(q.a)
        a.mask &= self.docs(q.b)
        a.scores[~a.mask] = 0.0
        return a

    def _otherwise(self, q: query.Otherwise) -> Match:
        a = self._evaluate(q.a)
        return a if a.mask.any() else self._evaluate(q.b)

    def _not(self, q: query.Not) -> Match:
        mask = self.live & ~self.docs(q.query)
        return Match(mask.astype(np.float64), mask)

    def _null(self, q: query.Query) -> Match:
        return self.empty()

    def _numeric_range(self, q: query.NumericRange) -> Match:
        if not (q.constantscore and self._date_column(q.fieldname)):
            raise Unsupported("numeric range scored by its terms")
        mask = self._range_mask(q)
        return Match(mask * float(q.boost), mask)

    def _constant(self, q: query.ConstantScoreQuery) -> Match:
        mask = self.docs(q.child)
        return Match(mask * float(q.score), mask)

    def expansion(self, q: query.MultiTerm) -> query.Query:
        """The terms a multi-term query (prefix, wildcard, fuzzy, range) stands for, as a
        query that scores them as one word (:mod:`corpus_search.search.expansions`): one
        shared idf, and a fuzzy term's words weighted by their similarity to it."""
        fieldname = q.field()
        words = self.expand(q)
        if not words:
            return query.NullQuery
        weights = {w: 1.0 for w in words}
        if type(q) is query.FuzzyTerm:
            field = self.schema[fieldname]
            for w in words:
                word = field.from_bytes(w)
                weights[w] = fuzzy_similarity(q.text, word, osa_distance(q.text, word))
        if len(words) == 1:  # Whoosh drops the multi-term query's boost here
            return query.Term(fieldname, words[0], boost=weights[words[0]])
        return expansion_query(fieldname, weights, q.boost)

    def _multiterm(self, q: query.MultiTerm) -> Match:
        if getattr(q, "text", None) in ("", "*") and isinstance(q, query.Prefix | query.Wildcard):
            raise Unsupported("match-all pattern")
        return self._evaluate(self.expansion(q))

    def _expanded_term(self, q: ExpandedTerm) -> Match:
        """A term of an expansion: its BM25F scores with the idf its group shares."""
        fieldname = q.fieldname
        t = self.term(fieldname, q.text)
        m = self.empty()
        if len(t):
            own = self.searcher.idf(fieldname, t.btext)
            shared = shared_idf(self._blended, self.searcher, fieldname, q.group)
            m.scores[t.docs] = self.term_scores(fieldname, t) * (q.boost * (shared or own) / own)
            m.mask[t.docs] = True
        return m

    # -- positional queries ------------------------------------------------------------

    def _phrase(self, q: query.Phrase) -> Match:
        fieldname = q.fieldname
        if fieldname not in self.schema:
            return self.empty()
        field = self.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise Unsupported("phrase on a field without positions")
        parts = []
        for word in q.words:
            t = self.term(fieldname, word)
            if not len(t):
                return self.empty()
            parts.append([t])
        return self._near(fieldname, parts, q.slop, q.boost,
                          gaps=phrase_gaps(getattr(q, "offsets", ()), len(parts)))

    def _sequence(self, q: query.Sequence) -> Match:
        subs = q.subqueries
        if not subs:
            return self.empty()
        if len(subs) == 1:
            return self._evaluate(subs[0])
        fieldname = None
        parts = []
        boosts: list[list[float]] = []
        for sub in subs:
            terms = sub.subqueries if isinstance(sub, query.Or) else [sub]
            if not all(type(t) is query.Term for t in terms):
                raise Unsupported("sequence of non-term parts")
            if isinstance(sub, query.Or) and (sub.boost != 1.0 or len(terms) < 2):
                raise Unsupported("boosted alternatives in a sequence")
            names = {t.fieldname for t in terms}
            if len(names) != 1 or (fieldname is not None and names != {fieldname}):
                raise Unsupported("sequence across fields")
            fieldname = names.pop()
            alts, weights = [], []
            for t in terms:
                found = self.term(fieldname, t.text)
                if len(found):
                    alts.append(found)
                    weights.append(t.boost)
            if not alts:
                return self.empty()
            parts.append(alts)
            boosts.append(weights)
        return self._near(fieldname, parts, q.slop, q.boost, boosts,
                          phrase_gaps(getattr(q, "offsets", ()), len(parts)))

    def _near(
        self,
        fieldname: str,
        parts: list[list[_Term]],
        slop: int,
        boost: float,
        boosts: list[list[float]] | None = None,
        gaps: list[int] | None = None,
    ) -> Match:
        """Documents where one alternative of each part follows the previous part's match
        within 1..``slop`` positions (Whoosh's ordered ``SpanNear2``; ``gap``..``gap + slop -
        1`` with the part's ``gaps``, a phrase's stop words: :mod:`.phrases_gapped`), scored
        as the sum of
        the parts' term scores, each times its boost in ``boosts`` (one per alternative of each
        part: a title word of a sequence the parser made, ``title:blair^1.25``, or a lexicon
        form, ``^0.6``, as Whoosh's ``Term`` matcher scores them)."""
        ends = self._near_ends(fieldname, parts, slop, gaps=gaps)
        if not len(ends):
            return self.empty()
        found = distinct(ends // _STRIDE)
        m = self.empty()
        m.mask[found] = True
        total = np.zeros(self.size)
        for n, alts in enumerate(parts):
            for t, weight in zip(alts, boosts[n] if boosts else [1.0] * len(alts), strict=True):
                total[t.docs] += self.term_scores(fieldname, t) * weight
        m.scores[found] = total[found] * boost if boost != 1.0 else total[found]
        return m

    def _near_ends(
        self,
        fieldname: str,
        parts: list[list[_Term]],
        slop: int,
        among: np.ndarray | None = None,
        same_place: bool = False,
        gaps: list[int] | None = None,
        inside: list[_Term] | None = None,
    ) -> np.ndarray:
        """The sorted ``document * _STRIDE + position`` keys where a match of the ordered
        ``parts`` (see :meth:`_near`) ends, in the documents ``among`` (ascending) if given;
        empty when none. Part ``i + 1`` stands ``gaps[i]`` (default 1) to ``gaps[i] + slop
        - 1`` positions after part ``i``. With ``same_place`` a part may also stand where
        the one before does (words inside one lexicon term): right after it, only at a
        place of one of the terms ``inside`` when given (:attr:`Alternative.inside`)."""
        none = np.zeros(0, dtype=np.int64)
        cands = None
        for alts in parts:
            if not alts:
                return none
            if len(alts) == 1:
                docs = alts[0].docs
            else:
                docs = distinct(np.concatenate([a.docs for a in alts]))
            cands = docs if cands is None else np.intersect1d(cands, docs, assume_unique=True)
            if not len(cands):
                return none
        assert cands is not None
        if among is not None:
            cands = np.intersect1d(cands, among, assume_unique=True)
        if self._within is not None:
            cands = cands[self._within[cands]]
        if not len(cands):
            return none
        ends = None
        held = None if inside is None else distinct(np.concatenate(
            [np.zeros(0, dtype=np.int64)] + [self._keys(fieldname, t, cands) for t in inside]))
        for n, alts in enumerate(parts):
            keys = distinct(np.concatenate([self._keys(fieldname, t, cands) for t in alts]))
            if ends is None:
                ends = keys
                continue
            gap = gaps[n - 1] if gaps else 1
            shared = same_place and gap == 1 and held is None
            nearest = keys if shared else keys - gap
            before = np.searchsorted(ends, nearest, side="right") - 1
            ok = before >= 0
            ok[ok] = keys[ok] - ends[before[ok]] <= gap + slop - 1
            if same_place and not shared:  # (or at the very place of the part before)
                at = np.minimum(np.searchsorted(ends, keys), len(ends) - 1)
                same = ends[at] == keys
                ok |= same if gap > 1 or held is None else same & np.isin(keys, held)
            ends = keys[ok]
            if not len(ends):
                return none
        assert ends is not None
        return ends

    def _keys(self, fieldname: str, t: _Term, cands: np.ndarray) -> np.ndarray:
        """Sorted ``document * _STRIDE + position`` keys of ``t`` in the documents ``cands``."""
        check_budget()
        if not len(t.docs):
            return np.zeros(0, dtype=np.int64)
        idx = np.minimum(np.searchsorted(t.docs, cands), len(t.docs) - 1)
        held = t.docs[idx] == cands
        docs, idx = cands[held], idx[held]
        if not len(docs):
            return np.zeros(0, dtype=np.int64)
        if t.positions is None and len(idx) * _FEW_POSTINGS < len(t.docs):
            flat, starts = self._some_positions(fieldname, t, docs)
            idx = np.arange(len(docs))
        else:
            flat, starts = self.positions(fieldname, t)
        lens = starts[idx + 1] - starts[idx]
        total = int(lens.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        run_starts = np.repeat(starts[idx] - (np.cumsum(lens) - lens), lens)
        pos = flat[np.arange(total) + run_starts]
        return np.repeat(docs, lens) * _STRIDE + pos


_NO_DOCS = np.zeros(0, dtype=np.int32)


_NO_TF = np.zeros(0, dtype=np.float64)


def distinct(a: np.ndarray, counts: bool = False) -> Any:
    """``np.unique(a, return_counts=counts)`` for 1-D integer arrays, without a
    sort when ``a`` is ascending already (a phrase's end positions, one term's position keys).

    Sorted and flagged here rather than by ``np.unique``, which asks ``numpy.ma`` whether
    ``a`` is masked: that imports ``numpy.ma`` (~10 ms) the first time, in every command."""
    if len(a) > 1 and not (a[1:] >= a[:-1]).all():
        a = np.sort(a)
    first = np.empty(len(a), dtype=bool)
    first[:1] = True
    np.not_equal(a[1:], a[:-1], out=first[1:])
    if not counts:
        return a[first]
    starts = np.flatnonzero(first)
    return a[starts], np.diff(starts, append=len(a))


def _sorted_union(arrays: Sequence[np.ndarray], size: int) -> np.ndarray:
    """The distinct document numbers (below ``size``) of ``arrays``, ascending: by sorting
    them when they are few, by flagging them in one flag per document when they are many."""
    if not arrays:
        return _NO_DOCS
    total = sum(len(a) for a in arrays)
    if total * 16 < size:
        return distinct(np.concatenate(arrays)).astype(np.int32, copy=False)
    mask = np.zeros(size, dtype=bool)
    for a in arrays:
        mask[a] = True
    return mask.nonzero()[0].astype(np.int32)


def _common(arrays: Sequence[np.ndarray], size: int) -> np.ndarray:
    """The document numbers (below ``size``) in every one of ``arrays`` (each ascending and
    distinct), ascending: by searching when they are few, by counting per document when
    they are many."""
    if sum(len(a) for a in arrays) * 16 < size or len(arrays) > 255:
        found = arrays[0]
        for a in arrays[1:]:
            found = found[_among(a, found)]
        return found
    count = np.zeros(size, dtype=np.uint8)
    for a in arrays:
        count[a] += 1
    return (count == len(arrays)).nonzero()[0].astype(np.int32)


class _Candidates:
    """The documents a query's concepts are scored on (``docs``, ascending), and where
    documents of theirs sit among them."""

    __slots__ = ("_slot", "complete", "docs")

    def __init__(self, docs: np.ndarray, size: int, complete: bool = True) -> None:
        """``complete``: only documents among ``docs`` will be looked up (:meth:`slots`),
        else any (:meth:`among`)."""
        self.docs = docs
        self.complete = complete
        self._slot: np.ndarray | None = None
        if len(docs) * 16 >= size:  # many: a slot per document is cheaper than searching
            if complete:
                self._slot = np.empty(size, dtype=np.int32)
            else:  # -1: not among them
                self._slot = np.full(size, -1, dtype=np.int32)
            self._slot[docs] = np.arange(len(docs), dtype=np.int32)

    def slots(self, docs: np.ndarray) -> np.ndarray:
        """The position in :attr:`docs` of each of ``docs`` (all of them among those)."""
        if self._slot is None:
            return self.docs.searchsorted(docs)
        return self._slot[docs]

    def among(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the documents of ``docs`` (ascending) that are among :attr:`docs` sit: their
        positions in :attr:`docs` and in ``docs``. Costs what the fewer of the two costs."""
        mine = self.docs
        if not (len(docs) and len(mine)):
            return _NO_DOCS, _NO_DOCS
        if self._slot is not None and not self.complete:
            at = self._slot[docs]
            found = (at >= 0).nonzero()[0]
            return at[found], found
        if len(docs) <= len(mine):
            at = np.minimum(mine.searchsorted(docs), len(mine) - 1)
            found = (mine[at] == docs).nonzero()[0]
            return at[found], found
        of = np.minimum(docs.searchsorted(mine), len(docs) - 1)
        found = (docs[of] == mine).nonzero()[0]
        return found, of[found]


def _among(docs: np.ndarray, cands: np.ndarray) -> np.ndarray:
    """Per document of ``cands``: is it one of ``docs`` (ascending)?"""
    if not len(docs):
        return np.zeros(len(cands), dtype=bool)
    at = np.minimum(docs.searchsorted(cands), len(docs) - 1)
    return docs[at] == cands


def _union(ms: list[Match]) -> Match:
    out = ms[0]
    for m in ms[1:]:
        out.scores += m.scores
        out.mask |= m.mask
    return out


def _intersection(ms: list[Match]) -> Match:
    out = ms[0]
    for m in ms[1:]:
        out.scores += m.scores
        out.mask &= m.mask
    out.scores[~out.mask] = 0.0
    return out


_HANDLERS: dict[type, Callable[[QueryEngine, Any], Match]] = {
    query.Term: QueryEngine._term,
    ExpandedTerm: QueryEngine._expanded_term,
    query.Or: QueryEngine._or,
    query.And: QueryEngine._and,
    query.AndNot: QueryEngine._and_not,
    query.AndMaybe: QueryEngine._and_maybe,
    query.Require: QueryEngine._require,
    query.Otherwise: QueryEngine._otherwise,
    query.Not: QueryEngine._not,
    query.Phrase: QueryEngine._phrase,
    query.Sequence: QueryEngine._sequence,
    GappedPhrase: QueryEngine._phrase,
    GappedSequence: QueryEngine._sequence,
    type(query.NullQuery): QueryEngine._null,
    query.NumericRange: QueryEngine._numeric_range,
    query.DateRange: QueryEngine._numeric_range,
    query.ConstantScoreQuery: QueryEngine._constant,
}


#: searcher -> its engines by BM25F parameters (kept here, not on Whoosh's searcher object)
_ENGINES: PerSearcher[Searcher, dict[tuple[Any, ...], QueryEngine]] = PerSearcher(lambda _: {})


def engine_for(searcher: Searcher, k1: float, b: float, field_b: dict[str, float]) -> QueryEngine:
    """The engine of ``searcher`` for these BM25F parameters (one per searcher and ranking).

    The engines of a searcher live as long as it does (:data:`_ENGINES`, keyed weakly by the
    searcher); an engine refers back to its searcher weakly: a reference cycle would keep
    a closed searcher's segment files open until a full garbage collection.
    """
    engines = _ENGINES(searcher)
    key = (k1, b, tuple(sorted(field_b.items())))
    engine = engines.get(key)
    if engine is None:
        engine = engines[key] = QueryEngine(weakref.proxy(searcher), k1, b, field_b)
    return engine


def any_engine(searcher: Searcher) -> QueryEngine:
    """An engine of ``searcher`` (the first made: any of them reads its postings, and the
    search just made has those of its terms), else the default ranking's."""
    engines = _ENGINES(searcher)
    if engines:
        return next(iter(engines.values()))
    return engine_for_ranking(searcher, RANKING)


def engine_for_ranking(searcher: Searcher, ranking: Ranking) -> QueryEngine:
    """The engine of ``searcher`` for ``ranking``'s BM25F parameters (see :func:`engine_for`)."""
    return engine_for(searcher, ranking.k1, ranking.b, {"title": ranking.title_b})
