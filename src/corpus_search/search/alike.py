"""What makes one document like another (:func:`similar`): its key terms, and how many of them
another document must share.

As Elasticsearch's ``more_like_this`` (and Lucene's ``MoreLikeThis`` under it), a document is
summed up by its most telling terms (:data:`KEY_TERMS` of them, as ``max_query_terms``
defaults to 25), each weighed by how often the document uses it and how few documents hold it
(tf-idf, as ``MoreLikeThis`` weighs them: the log of the count, ``1 + ln tf``, so that a
word used ten times does not outweigh ten words used once, and Lucene's idf,
``1 + ln(N / (df + 1))``), and the documents alike are found with those terms; as
Elasticsearch, a document counts as alike only if it shares :data:`MIN_SHARED` of them (its
``minimum_should_match`` default, 30%, rounded down). Without it every document sharing one
word counted: 589 of the BBC's 2,225 articles were "like" a story on Blair's Middle East
visit, the median over 200 articles 945.

Terms no other document holds are left out, as Elasticsearch leaves out terms under
``min_doc_freq``: no document could share them, and they would raise the share the others
must reach (its default of 5 documents would leave a small collection with no key terms at
all). Terms held by more than half the documents (:data:`MAX_HELD`) are left out too, as
``max_doc_freq`` would: a word most documents hold tells none apart (its Robertson-Sparck
Jones weight is below zero), and in a small collection it is the common run of words
("said", "would", "say") or the collection's one subject ("Labour" in the five seed
articles), which Whoosh's Bo1 weighing, used before, put among the key terms of short
documents and of small collections. Measured on 300 BBC articles, the share of a document's
ten most alike that are of its own section rose from 0.80 to 0.83, and key terms held by a
quarter of the documents or more fell from 63 of 7,500 to 12. Words that carry no topic
(pronouns, question words, auxiliaries: Whoosh's English stop list; "Mr", "Ms":
:data:`NO_TOPIC`) are left out too, as Elasticsearch's ``stop_words`` would leave them: the
index keeps them for phrases ("what", "you" and "him" are no stop words of the lexicon), and
a story quoting someone at length had them among its key terms ("you" in 7 of the 417 BBC
politics articles', "him" in 8), marked in every snippet and counted as shared.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from whoosh import query
from whoosh.lang.stopwords import stoplists
from whoosh.searching import Searcher

from corpus_search.search.date_order import DATE_SORTS
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.execute import budgeted
from corpus_search.search.filters import SearchFilters
from corpus_search.search.ids import document_number, unknown_id
from corpus_search.search.paging import (
    by_date,
    check_page,
    check_sort,
    counted_facets,
    hits_of,
    kept_masks,
    sort_notes,
)
from corpus_search.search.ranking import RANKING
from corpus_search.search.results import SearchResults
from corpus_search.search.state import SearchSource
from corpus_search.store.columns import document_body
from corpus_search.store.memo import PerSearcher

__all__ = ["KEY_TERMS", "MAX_HELD", "MIN_SHARED", "NO_TOPIC", "key_terms", "shared_counts",
           "shared_needed", "similar"]

#: how many terms sum a document up (Elasticsearch's ``max_query_terms`` default)
KEY_TERMS = 25

#: the largest share of the documents a key term may be held by (more, and it tells none apart)
MAX_HELD = 0.5

#: the share of those another document must hold to be like it (Elasticsearch's
#: ``minimum_should_match`` default for ``more_like_this``)
MIN_SHARED = 0.3

#: the field the key terms are taken from and looked for in
FIELD = "body"

#: words that are never key terms: they say nothing of what a document is about (Whoosh's
#: English stop list, Snowball's: pronouns, question words, auxiliaries, "very", "just"), nor
#: do the forms of address every story about a person repeats ("Mr" was a key term of 19 of
#: 445 BBC articles sampled; titles that name an office or a house, "Lord", "Prince", stay)
NO_TOPIC: frozenset[str] = frozenset(stoplists["en"]) | {"mr", "mrs", "ms", "miss", "mx", "dr"}


def _no_topic_terms(searcher: Searcher) -> frozenset[str]:
    """The index terms :data:`NO_TOPIC` words are indexed as ("yours" as "your", "why" as
    "whi"), by the analyzer of the index of ``searcher``."""
    analyzer = searcher.schema[FIELD].analyzer
    return frozenset(
        token.text
        for word in NO_TOPIC
        for token in analyzer(word, mode="index")
        if not getattr(token, "expansion", False)
    )


_NO_TOPIC_TERMS: PerSearcher[Searcher, frozenset[str]] = PerSearcher(_no_topic_terms)


def key_terms(searcher: Searcher, text: str) -> list[tuple[str, float]]:
    """The :data:`KEY_TERMS` most telling terms of ``text`` (a document's title and body):
    those that carry a topic (no :data:`NO_TOPIC` word) and that some other document of the
    index holds too, but no more than :data:`MAX_HELD` of its documents, by their tf-idf
    weight (see the module), each with its weight over the first's."""
    reader = searcher.reader()
    documents = reader.doc_count_all()
    no_topic = _NO_TOPIC_TERMS(searcher)
    weighed = []
    for term, count in term_counts(searcher, text).items():
        held = reader.doc_frequency(FIELD, term) if term not in no_topic else 0
        if 1 < held <= max(2, MAX_HELD * documents):
            weighed.append(((1 + math.log(count)) * (1 + math.log(documents / (held + 1))),
                            term))
    weighed.sort(key=lambda pair: (-pair[0], pair[1]))
    top = weighed[:KEY_TERMS]
    return [(term, weight / top[0][0]) for weight, term in top]


def term_counts(searcher: Searcher, text: str) -> dict[str, int]:
    """How many times ``text`` holds each term of the index's body field: counted by the
    analyzer's ``index_terms``, which is exactly the token stream's, many times faster (the
    token stream took 20 s for a 12 MB document)."""
    field = searcher.schema[FIELD]
    index_terms = getattr(field.analyzer, "index_terms", None)
    if index_terms is not None:
        return {term: len(positions) for term, positions in index_terms(text).items()}
    return {field.from_bytes(term): count for term, count, _weight, _value in field.index(text)}


def shared_needed(terms: int) -> int:
    """How many of a document's ``terms`` key terms another must share to be like it."""
    return max(1, math.floor(MIN_SHARED * terms))


def shared_counts(searcher: Searcher, terms: list[str]) -> np.ndarray:
    """How many of ``terms`` each document of the index holds (by document number)."""
    reader = searcher.reader()
    counts = np.zeros(reader.doc_count_all(), dtype=np.int32)
    for term in terms:
        postings = reader.postings(FIELD, term)
        counts[np.fromiter(postings.all_ids(), dtype=np.int64)] += 1
    return counts


def similar(
    index: SearchSource, doc_id: str, *, limit: int = 10, page: int = 1,
    filters: SearchFilters | dict[str, Any] | None = None, sort: str = "relevance",
) -> SearchResults:
    """Documents like ``doc_id``, most alike first (``sort="date"``: newest first,
    ``"oldest"``: oldest first, undated last, as :func:`~.execute.search` sorts), one page
    of ``limit`` at a time: those sharing :data:`MIN_SHARED` of its key terms, as
    Elasticsearch's ``more_like_this`` asks (see the module), among
    the documents ``filters`` keep (as :func:`~.execute.search`'s: party, source, dates); ``total``
    counts them, ``facets`` count them by source, party and year, a note says how many share
    fewer, and ``undated_left_out`` how many alike a date range left out for having no
    date."""
    limit, page = check_page(limit, page)
    check_sort(sort)
    flt = SearchFilters.coerce(filters)
    start = (page - 1) * limit
    with index.guard():
        searcher = index.searcher()
        docnum = document_number(searcher, doc_id)
        if docnum is None:
            raise unknown_id(searcher, doc_id, index.path)
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('title', '')}\n{document_body(searcher, docnum)}"
        # the key terms are kept to mark in each hit's snippet: the words a document shares
        # with this one show why it is alike
        terms = key_terms(searcher, text)
        needed = shared_needed(len(terms))
        counts = shared_counts(searcher, [term for term, _ in terms])
        counts[docnum] = 0
        engine = engine_for_ranking(searcher, RANKING)  # (for facets, as a search counts them)
        kept, left_out = kept_masks(index, engine, flt)  # (the filters, as a search applies them)
        sharing = kept & (counts > 0)
        # (the document itself is no match: its count is 0, and ``needed`` at least 1)
        alike_mask = sharing & (counts >= needed)
        alike = set(np.flatnonzero(alike_mask).tolist())
        undated = None if left_out is None else int((left_out & (counts >= needed)).sum())
        closest = int(counts[sharing].max()) if sharing.any() else 0
        fewer = int(sharing.sum()) - len(alike)
        q = query.Or([query.Term(FIELD, term, boost=w) for term, w in terms])
        # (an empty filter is no filter to Whoosh; by date, every alike is ranked)
        depth = start + limit if sort == "relevance" else None
        results = searcher.search(q, limit=depth, filter=alike, mask={docnum}) if alike else []
        ranked = [(h.docnum, h.score or 0.0) for h in results]
        if sort != "relevance":
            ranked = by_date(engine, ranked, sort)
        page_hits = ranked[start : start + limit]
        hits = hits_of(searcher, page_hits, start + 1, frozenset(term for term, _ in terms),
                     like=(docnum, doc_id, fields.get("title", "")))
    what = f"{needed} or more of the {len(terms)} key terms of {doc_id}"
    undated_index = sort_notes(index, sort)  # (by date with no date: most alike first)
    order = "most alike first" if sort == "relevance" or undated_index else DATE_SORTS[sort]
    notes = [f"Alike: the documents sharing {what} (the words most telling of it), {order}; "
             f"{fewer} more share fewer.", *undated_index] if alike else []
    among = "" if flt.is_empty() else f" that {flt.describe(index)}"
    nothing = [f"No document{among} shares {what}; the closest shares {closest}."] if terms \
        else [f"{doc_id} has no key terms to be like another by: no other document holds its "
              "words, or more than half of all documents hold each."]
    return SearchResults(
        query=f"similar:{doc_id}", page=page, limit=limit, hits=hits, notes=notes,
        _count=lambda: len(alike),
        _nothing_matched=lambda: (flt.unmatched(index) if not flt.is_empty() else []) or nothing,
        _facets=budgeted(index, lambda: counted_facets(engine, alike_mask)),
        _undated=(lambda: undated) if undated is not None else None,
    )
