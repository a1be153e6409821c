"""Searching and concordances in literal mode (:mod:`~corpus_search.search.literal`): the
documents holding a query's words as written, ranked by how often and where they hold them,
with only the literal places marked.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from corpus_search.search import execute, paging
from corpus_search.search.budget import check_budget, query_budget
from corpus_search.search.concordance import (
    DEFAULT_WIDTH,
    Concordance,
    check_words_asked,
    checked_shape,
    counted_bodies,
    counted_concordance,
)
from corpus_search.search.date_order import DATE_SORTS
from corpus_search.search.empty import why_nothing_matched
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.filters import SearchFilters
from corpus_search.search.highlight import opening_snippet
from corpus_search.search.hits import Snippet
from corpus_search.search.literal import (
    LiteralQuery,
    as_characters,
    characters_note,
    confirmed,
    index_literal,
    literal_found,
)
from corpus_search.search.ranking import MAX_PAGE_SIZE, RANKING, Ranking, every_document
from corpus_search.search.results import SearchResults
from corpus_search.store.columns import document_body

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.state import SearchSource

__all__ = ["literal_concordance", "literal_search", "literal_snippet"]


#: a title's place counts as much as this many of the body's
TITLE_WEIGHT = 2.0

#: characters of context either side of a snippet's places
SNIPPET_REACH = 70


def _ranked(searcher: Searcher, literal: LiteralQuery,
            docnums: np.ndarray) -> tuple[list[tuple[int, float]], np.ndarray]:
    """The documents of ``docnums`` holding the literal query, scored as BM25 scores a word
    (k1 1.2, b 0.75, lengths in characters), each phrase's occurrences being the word's (a
    title's weighing :data:`TITLE_WEIGHT`); and the mask of them over the index."""
    held = []
    for docnum, title, body in confirmed(searcher, literal, docnums):
        check_budget()
        in_title, in_body = literal.occurrences(title), literal.occurrences(body)
        held.append((docnum, len(body), [TITLE_WEIGHT * t + b for t, b in
                                         zip(in_title, in_body, strict=True)]))
    found = np.zeros(searcher.doc_count_all(), dtype=bool)
    if not held:
        return [], found
    found[[docnum for docnum, _, _ in held]] = True
    mean = sum(length for _, length, _ in held) / len(held) or 1.0
    idf = math.log(1 + searcher.doc_count() / len(held))
    ranked = []
    for docnum, length, tfs in held:
        norm = 1.2 * (0.25 + 0.75 * length / mean)
        ranked.append((docnum, round(sum(idf * tf * 2.2 / (tf + norm) for tf in tfs), 6)))
    ranked.sort(key=lambda pair: (-pair[1], pair[0]))
    return ranked, found


def literal_snippet(literal: LiteralQuery, text: str, most: int = 2) -> Snippet:
    """Up to ``most`` passages of ``text`` around the places of the literal query, only they
    marked; the opening of the text when it holds none (a match in the title alone)."""
    places = literal.places(text)
    if not places:
        return opening_snippet(text)
    passages: list[list[tuple[int, int]]] = []
    for start, end in places:
        if passages and start - passages[-1][-1][1] <= 2 * SNIPPET_REACH:
            passages[-1].append((start, end))
        elif len(passages) < most:
            passages.append([(start, end)])
    fragments = []
    for group in passages:
        at = max(0, group[0][0] - SNIPPET_REACH)
        pieces: list[tuple[str, bool]] = []
        for start, end in group:
            pieces += [(text[at:start], False), (text[start:end], True)]
            at = end
        pieces.append((text[at:group[-1][1] + SNIPPET_REACH], False))
        fragments.append(tuple(p for p in pieces if p[0]))
    return Snippet(tuple(fragments))


def literal_search(index: SearchSource, text: str, *, limit: int = 10, page: int = 1,
                   filters: SearchFilters | dict[str, Any] | None = None,
                   sort: str = "relevance", highlight: bool = True,
                   ranking: Ranking = RANKING, match_case: bool = False) -> SearchResults:
    """One page of the documents whose title or body holds every phrase of ``text`` read
    literally (:func:`~.literal.literal_query`; ``match_case``: each word in the case typed),
    most relevant first (or by date, as
    :func:`~.execute.search` sorts), each snippet marking only the literal places. ``"*"`` lists
    every document the filters keep, as a search does (:func:`~.ranking.every_document`)."""
    if every_document(text):
        return execute.search(index, text, limit=limit, page=page, filters=filters, sort=sort,
                              highlight=highlight, ranking=ranking)
    limit, page = paging.check_page(limit, page)
    paging.check_sort(sort)
    flt = SearchFilters.coerce(filters)
    literal = index_literal(index, text, match_case)
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        engine = engine_for_ranking(searcher, ranking)
        kept, undated = paging.kept_masks(index, engine, flt)
        every = literal_found(index, searcher, ranking, text, match_case)
        ranked, found = _ranked(searcher, literal, np.flatnonzero(every & kept))
        if sort in DATE_SORTS:
            ranked = paging.by_date(engine, ranked, sort)
        start = (page - 1) * limit
        hits = paging.hits_of(searcher, ranked[start:start + limit], start + 1, None)
        if highlight:
            hits = [replace(hit, snippet=literal_snippet(literal, document_body(searcher, n)))
                    for hit, (n, _) in zip(hits, ranked[start:start + limit], strict=True)]
    total, unfiltered = int(found.sum()), int(every.sum())
    left_out = None if undated is None else int((every & undated).sum())
    characters = as_characters(text)  # ("rat*": the string, which a note says)
    return SearchResults(
        query=text, page=page, limit=limit, hits=hits, as_characters=characters,
        notes=[note for note in [characters_note(characters)] if note]
        + paging.sort_notes(index, sort),
        _count=lambda: total, _parsed=lambda: " ".join(f'"{p}"' for p in literal.phrases),
        _facets=lambda: paging.counted_facets(engine, found),
        _undated=(lambda: left_out) if left_out is not None else None,
        _nothing_matched=lambda: why_nothing_matched(index, text, flt, lambda: unfiltered),
    )


def literal_concordance(index: SearchSource, text: str, *, limit: int = 100,
                        width: int = DEFAULT_WIDTH,
                        filters: SearchFilters | dict[str, Any] | None = None,
                        sort: str = "relevance", ranking: Ranking = RANKING,
                        distinct: bool = False, match_case: bool = False) -> Concordance:
    """Every literal place of ``text`` in the bodies of the documents :func:`literal_search`
    finds, in its order, with ``width`` characters of context each side (as
    :func:`~.concordance.concordance` shows them), from those a literal count counts
    (``distinct``: each text once, as there; ``match_case``: each word in the case typed)."""
    limit, width = checked_shape(limit, width)
    check_words_asked(text)
    literal = index_literal(index, text, match_case)
    flt = SearchFilters.coerce(filters)
    results = literal_search(index, text, limit=MAX_PAGE_SIZE, filters=flt, sort=sort,
                             highlight=False, ranking=ranking, match_case=match_case)
    found, body_of = counted_bodies(index, text, flt, ranking,
                                    (False, True, distinct, match_case))
    result = counted_concordance(index, text, found, flt, (ranking, True, distinct), width,
                                 list(results.notes))
    page = 1
    while True:
        for hit in results.hits:
            body = body_of(hit.id)
            if body is not None and not result.add_places(hit, body, literal.places(body),
                                                          limit):
                return result
        if page >= results.pages:
            return result
        page += 1
        results = literal_search(index, text, limit=MAX_PAGE_SIZE, page=page, filters=flt,
                                 sort=sort, highlight=False, ranking=ranking,
                                 match_case=match_case)
