"""Ranked search over a :class:`~corpus_search.index.CorpusIndex`.

The query language is Whoosh's (``AND``/``OR``/``NOT``, ``"phrases"``, ``field:term``,
wildcards, ``fuzzy~``), read through the political analyzer so that lexicon terms typed in any
form ("Lib Dems", "byelection", "labor") find the forms the texts use. Plain words typed by a
person are combined with OR, so documents matching more of the words rank first, and a
proximity bonus lifts documents where the words stand together.

This module runs a search (:func:`search`, browsing) over an opened searcher; parsing,
filters, ranking, the making of a page (:mod:`~corpus_search.search.paging`), snippets and
results live beside it in this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from whoosh import collectors, query

from corpus_search.search.budget import check_budget, query_budget
from corpus_search.search.concepts import Concept, document_mask
from corpus_search.search.corrections import checked_query
from corpus_search.search.date_order import DATE_SORTS, date_order
from corpus_search.search.empty import why_nothing_matched
from corpus_search.search.engine import Unsupported, engine_for_ranking
from corpus_search.search.filters import SearchFilters
from corpus_search.search.highlight import highlight_words
from corpus_search.search.other_terms import phrase_inside
from corpus_search.search.paging import (
    by_date,
    check_page,
    check_sort,
    counted_facets,
    hits_of,
    kept_masks,
    sort_notes,
)
from corpus_search.search.parsing import parsed_query
from corpus_search.search.query_places import snippet_places
from corpus_search.search.ranking import (
    PROXIMITY_FIELDS,
    RANKING,
    RERANK_DEPTH,
    Ranking,
    every_document,
)
from corpus_search.search.rendering import body_only, render_query
from corpus_search.search.results import FacetCounts, SearchResults
from corpus_search.search.state import SearchSource

if TYPE_CHECKING:
    from whoosh.searching import Searcher



__all__ = ["budgeted", "search"]


#: Seconds one query may take (``None``: no limit). The engine, the wildcard and fuzzy
#: expansions, the spelling check, Whoosh's own searcher and the snippets check the clock as
#: they go, and past it the query stops with :class:`~corpus_search.errors.QueryBudgetError`
#: (no partial result). Counting a result's total and facets, done on first use, has a
#: budget of its own. Queries on the 2,225 BBC articles take well under a second; bounded
#: wildcards (:data:`~corpus_search.search.spelling.MAX_PATTERN_WORDS`) joined by the dozen
#: once took 10 s there, and grow with the index.
QUERY_TIME_LIMIT: float | None = 10.0


def search(
    index: SearchSource,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    filters: SearchFilters | dict[str, Any] | None = None,
    sort: str = "relevance",
    highlight: bool = True,
    ranking: Ranking = RANKING,
    correct: bool = True,
) -> SearchResults:
    """Run ``text`` against ``index`` and return one page of ranked results.

    ``filters`` restricts by party, source or date; ``sort`` is ``"relevance"``, ``"date"``
    (newest first) or ``"oldest"`` (oldest first; undated documents last either way);
    ``highlight`` adds snippets with the matched words
    marked. A query Whoosh cannot parse is read as plain words. ``"*"`` (or an empty query with
    filters) browses: every document the filters keep, newest first (``"oldest"``: oldest
    first), with no score. An empty
    query without filters raises :class:`QueryError`.

    A word no document holds is corrected (``results.suggestion``) and, unless ``correct``
    is False, its correction is searched too (``results.suggestion_applied``); words found
    nowhere, corrected or not, are in ``results.not_found``.
    """
    limit, page = check_page(limit, page)
    check_sort(sort)
    flt = SearchFilters.coerce(filters)
    if _is_browse(text, flt):
        return _browse(index, flt, limit=limit, page=page, highlight=highlight, ranking=ranking,
                       oldest=sort == "oldest")
    with query_budget(QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        parsed = parsed_query(index, searcher, text, ranking=ranking)
        spelling, q, concepts = checked_query(index, searcher, parsed, text, ranking, correct)
        filter_q = flt.to_query(index)
        start = (page - 1) * limit
        fields = ranking.field_boosts(parsed.fields)
        request = _Request(searcher, q, filter_q, sort, start, limit, concepts, fields, ranking)
        try:
            page_hits, count, facets, phrase_count, related_count, below = _search_arrays(request)
        except Unsupported:
            page_hits, count, facets = _search_whoosh(index, request)
            phrase_count = related_count = below = None
        undated = _undated_counter(index, q, flt.undated_query(index), ranking)
        words = highlight_words(searcher, q, ranking) if highlight else None
        places = snippet_places(index, spelling.searched or text, words, concepts, ranking,
                                fields)
        hits = hits_of(searcher, page_hits, start + 1, words, places=places)

    def rendered() -> str:  # the query searched (its correction's, when one was searched)
        return render_query(body_only(q, ranking.syntax_boosts()), index.schema)

    return SearchResults(
        query=text, page=page, limit=limit, hits=hits, suggestion=spelling.suggestion,
        suggestion_applied=spelling.applied, not_found=list(spelling.not_found),
        partly_found={term: list(words) for term, words in spelling.partly_found},
        notes=[*parsed.notes, *sort_notes(index, sort)], _count=budgeted(index, count),
        _parsed=budgeted(index, rendered), _facets=budgeted(index, facets),
        _undated=budgeted(index, undated), _phrase_count=budgeted(index, phrase_count),
        _related_count=budgeted(index, related_count),
        _phrase_inside=budgeted(index, below and partial(phrase_inside, index.lexicon, searcher,
                                                         ranking, concepts, below)),
        _nothing_matched=lambda: why_nothing_matched(
            index, spelling.searched or text, flt,  # the query as searched: "Blair", not "Blare"
            lambda: search(index, text, limit=1, highlight=False, ranking=ranking,
                           correct=correct).total,
            lambda within: search(index, text, limit=1, filters=within, highlight=False,
                                  ranking=ranking, correct=correct).total))


_T = TypeVar("_T")


def budgeted(index: SearchSource, fn: Callable[[], _T] | None) -> Callable[[], _T] | None:
    """``fn``, run when a result's total or facets are first asked for: with a time budget of
    its own (:data:`QUERY_TIME_LIMIT`), inside the index's guard (another thread may read it)."""
    return None if fn is None else partial(_within_budget, index, fn)


def _within_budget(index: SearchSource, fn: Callable[[], _T]) -> _T:
    with query_budget(QUERY_TIME_LIMIT), index.guard():
        return fn()


def _is_browse(text: object, flt: SearchFilters) -> bool:
    """``"*"``, or no query but filters: list documents rather than rank them."""
    if not isinstance(text, str):
        return False
    return every_document(text) or (not text.strip() and not flt.is_empty())


def _browse(
    index: SearchSource,
    flt: SearchFilters,
    *,
    limit: int,
    page: int,
    highlight: bool,
    ranking: Ranking,
    oldest: bool = False,
) -> SearchResults:
    """Every document the filters keep, newest first (or ``oldest`` first), undated last
    (then in index order).

    There is no query, so there is no relevance: hits have no score and snippets show the
    opening of each document."""
    start = (page - 1) * limit
    with index.guard():
        searcher = index.searcher(ranking)
        engine = engine_for_ranking(searcher, ranking)
        mask, left_out = kept_masks(index, engine, flt)
        undated = None if left_out is None else int(left_out.sum())
        docs = np.flatnonzero(mask)
        order = date_order(engine, "oldest" if oldest else "date")
        shown = docs[np.lexsort((docs, -order[docs]))][start : start + limit]
        words = frozenset() if highlight else None
        hits = hits_of(searcher, [(docnum, None) for docnum in shown.tolist()], start + 1, words)
    total = int(mask.sum())
    return SearchResults(
        query="*", page=page, limit=limit, hits=hits,
        _count=lambda: total, _parsed=lambda: "*",
        _nothing_matched=lambda: why_nothing_matched(index, "*", flt, lambda: 0),
        _facets=budgeted(index, lambda: counted_facets(engine, mask)),
        _undated=(lambda: undated) if undated is not None else None,
    )


def _undated_counter(
    index: SearchSource, q: query.Query, undated_q: query.Query | None, ranking: Ranking
) -> Callable[[], int] | None:
    """Counts, on demand, the documents matching ``q`` that the date range left out for
    having no date; ``None`` when it left none out for that reason."""
    if undated_q is None:
        return None

    def count() -> int:
        with index.guard():
            searcher = index.searcher(ranking)
            engine = engine_for_ranking(searcher, ranking)
            try:
                return int((engine.evaluate(q).mask & engine.docs(undated_q)).sum())
            except Unsupported:
                return len(searcher.search(q, filter=undated_q, limit=1))

    return count


Ranked = list[tuple[int, float]]


#: a page of (document number, score), the total, the facets (the last two computed on use)
Page = tuple[Ranked, Callable[[], int], Callable[[], FacetCounts]]


#: a Page, how many matches hold every quoted phrase (None: no phrase fell back to its words),
#: how many match only through a related term (None: none can), and the matches ranked after
#: those holding every phrase (None: no phrase), computed on use
PhrasePage = tuple[Ranked, Callable[[], int], Callable[[], FacetCounts],
                   Callable[[], int] | None, Callable[[], int] | None,
                   Callable[[], np.ndarray] | None]


@dataclass(frozen=True)
class _Request:
    """One page of one parsed query, as both search paths take it."""

    searcher: Searcher
    q: query.Query
    filter_q: query.Query | None
    sort: str
    start: int
    limit: int
    #: the query's concepts when it is plain words (ranked by coverage and proximity), else None
    concepts: tuple[Concept, ...] | None
    #: (field, boost) of the fields searched
    fields: tuple[tuple[str, float], ...]
    ranking: Ranking

    @property
    def reranked(self) -> bool:
        return (
            self.sort == "relevance"
            and self.concepts is not None
            and len(self.concepts) > 1
            and self.ranking.proximity_boost > 0
        )

    @property
    def depth(self) -> int:
        """How many top hits to fetch: the page, or all the proximity bonus re-ranks."""
        end = self.start + self.limit
        return max(end, RERANK_DEPTH) if self.reranked else end


def _search_arrays(req: _Request) -> PhrasePage:
    """One page of hits, the count, the facets, the count of exact phrase matches and that of
    matches only through a related term, from :class:`QueryEngine` arrays.

    A plain query is ranked by its concepts (:meth:`QueryEngine.score_concepts`, then the
    proximity bonus on the top :data:`RERANK_DEPTH`); any other by the BM25F of its query
    tree. Raises :class:`Unsupported` for a query it cannot evaluate (Whoosh runs those).
    """
    engine = engine_for_ranking(req.searcher, req.ranking)
    idf: list[float] = []
    tier = None  # per match, in the order of match.docs
    scored = None
    if req.concepts is not None:
        # the best of all matches only: only those that can rank among them need scores
        depth = req.depth if req.filter_q is None and req.sort == "relevance" else None
        scored = engine.score_concepts(req.concepts, req.fields, req.ranking.coverage, depth=depth)
        match, idf, tier = scored.match, scored.idf, scored.tier
    else:
        match = engine.evaluate(req.q).sparse()
    if req.filter_q is not None:
        keep = engine.docs_among(req.filter_q, match.docs)
        match = match.take(keep)
        tier = None if tier is None else tier[keep]
        if scored is not None:
            scored = replace(
                scored, match=match, direct=None if scored.direct is None else scored.direct[keep]
            )
    matches = scored.all_docs() if scored is not None else match.docs
    order = date_order(engine, req.sort) if req.sort in DATE_SORTS else None
    docs, scores = engine.top(match, req.depth, order=order, tier=tier)
    if req.reranked and len(docs) > 1:
        assert req.concepts is not None
        fields = [(f, boost) for f, boost in req.fields if f in PROXIMITY_FIELDS]
        boost = req.ranking.proximity_boost
        # only documents within the largest possible bonus of the page's last score can
        # move into the page: the bonus is computed for those (at most RERANK_DEPTH; all of
        # those when a quoted phrase orders the documents by tier first)
        end = req.start + req.limit
        n = min(len(docs), RERANK_DEPTH)
        if n > end and tier is None:
            floor = scores[end - 1] - boost * engine.proximity_bound(req.concepts, idf, fields)
            n = max(end, int((-scores[:n]).searchsorted(-floor, side="right")))
        extra = engine.proximity(req.concepts, idf, docs[:n], fields, req.ranking.proximity_slop)
        tiers = tier[match.docs.searchsorted(docs[:n])] if tier is not None else None
        docs, scores = _rerank(docs, scores, extra * boost, tiers)
    page = slice(req.start, req.start + req.limit)
    ranked = list(zip(docs[page].tolist(), scores[page].tolist(), strict=True))
    related_count = scored.related_only if scored is not None else None

    def total() -> int:
        return len(matches)

    def facets() -> FacetCounts:
        return counted_facets(engine, document_mask(matches, engine.size))

    if tier is None:
        return ranked, total, facets, None, related_count, None
    exact = 2 * sum(c.first for c in req.concepts or ())  # the tier of every phrase held
    tiers_held = tier

    def phrase_count() -> int:
        return int((tiers_held == exact).sum())

    def below() -> np.ndarray:  # (the matches ranked after those holding every phrase)
        return match.docs[tiers_held < exact]
    return ranked, total, facets, phrase_count, related_count, below


def _rerank(docs: Any, scores: Any, extra: Any, tiers: Any = None) -> tuple[Any, Any]:
    """Add ``extra`` to the scores of the first ``len(extra)`` hits and re-sort those (ties
    keep their order), within their ``tiers`` when given. The bonus is never negative, so
    they stay above the rest."""
    n = len(extra)
    new = scores[:n] + extra
    keys = (np.arange(n), -new) if tiers is None else (np.arange(n), -new, -tiers)
    order = np.lexsort(keys)
    return (
        np.concatenate([docs[:n][order], docs[n:]]),
        np.concatenate([new[order], scores[n:]]),
    )


def _search_whoosh(index: SearchSource, req: _Request) -> Page:
    """The same through Whoosh's own searcher, for queries the engine does not evaluate,
    ranked by Whoosh's BM25F of the query tree. A plain query (one with concepts) never
    comes here: every node it is built of is one the engine evaluates (the tests check it
    on generated queries)."""
    q, filter_q, ranking = req.q, req.filter_q, req.ranking
    # by date: every match with its relevance score, ordered as the engine orders them (Whoosh's
    # sorted search reports the sort key as the score, and puts undated documents first)
    depth = None if req.sort in DATE_SORTS else req.depth
    results = _whoosh_search(req.searcher, q, limit=depth, filter=filter_q)
    ranked = [(results[i].docnum, results[i].score or 0.0) for i in range(results.scored_length())]
    if req.sort in DATE_SORTS:
        ranked = by_date(engine_for_ranking(req.searcher, ranking), ranked, req.sort)

    def count() -> int:
        with index.guard():
            try:
                return len(results)
            except Exception:  # the index changed and that searcher closed: count afresh
                return len(_whoosh_search(index.searcher(ranking), q, filter=filter_q, limit=1))

    def facets() -> FacetCounts:
        with index.guard():
            searcher = index.searcher(ranking)
            engine = engine_for_ranking(searcher, ranking)
            matched = searcher.search(q, filter=filter_q, limit=None, scored=False).docs()
            return counted_facets(engine, document_mask(
                np.fromiter(sorted(matched), dtype=np.int64), engine.size))

    return ranked[req.start : req.start + req.limit], count, facets


#: Whoosh's own searcher checks the time budget once every this many documents it collects
_BUDGET_EVERY = 256


class _BudgetedCollector(collectors.WrappingCollector):
    """A collector that checks the running query's time budget every :data:`_BUDGET_EVERY`
    matches it reads from the one it wraps (Whoosh's ``TimeLimitCollector`` needs a timer
    thread or SIGALRM)."""

    def computes_count(self) -> bool:
        return bool(self.child.computes_count())

    def matches(self) -> Iterator[int]:
        for n, sub_docnum in enumerate(self.child.matches()):
            if not n % _BUDGET_EVERY:
                check_budget()
            yield sub_docnum


def _whoosh_search(
    searcher: Searcher, q: query.Query, *, limit: int | None, filter: query.Query | None
) -> Any:
    """``searcher.search(q, limit=limit, filter=filter)`` within the running query's time
    budget: the collector ``searcher.search`` would use, with the budget checked between it
    and the filter's (which reads the matches first)."""
    collector: collectors.Collector = _BudgetedCollector(searcher.collector(limit=limit))
    if filter is not None:
        collector = collectors.FilterCollector(collector, allow=filter)
    searcher.search_with_collector(q, collector)
    return collector.results()
