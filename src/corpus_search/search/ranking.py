"""Ranking parameters (:class:`Ranking`), the searched fields and limits.

It imports no part of the engine (nor NumPy): an index's searcher is opened with a ranking's
weighting by commands that never search (``index``, ``show``); the engine of a searcher for
a ranking is :func:`corpus_search.search.engine.engine_for_ranking`.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import scoring

__all__ = ["RANKING", "Ranking"]


TEXT_FIELDS = ("title", "body")


#: longer queries are refused: Whoosh's parser takes seconds on a query of thousands of terms
MAX_QUERY_CHARS = 1_000


MAX_PAGE_SIZE = 1_000


def whole(value: object) -> int | None:
    """``value`` as an ``int`` when it is a whole number of any integer type (NumPy's too: a
    count read from a data frame is an ``int64``, which the checks of limits and pages
    refused as "not a whole number"), else ``None``; ``True`` and ``False`` are no numbers."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        return None


def page_number(page: object) -> int:
    """``page`` as an ``int``; a :class:`~corpus_search.errors.QueryError` for one that is
    not a whole number from 1 up (a search's page, a concordance's on the web page)."""
    number = whole(page)
    if number is None or number < 1:
        from corpus_search.errors import QueryError

        raise QueryError(f"page must be a whole number from 1 up, not {page!r}.")
    return number


def every_document(text: object) -> bool:
    """Whether the query ``text`` is ``*``: every document the filters keep, the one reading
    of it in every tool (search, count, trends, key terms, export) and mode. Read as written
    (``literal``) it had been the few texts holding an asterisk (3 in the BBC corpus), so
    ``count --literal '*'`` counted 3 where ``key-terms --literal '*'`` took all 2,225; a
    concordance, which shows words, refuses it."""
    return isinstance(text, str) and text.strip() == "*"


def printable_query(text: object) -> str:
    """The query ``text`` (checked by :func:`check_query_text`) with what is not printable
    a space, trimmed; refused if nothing is left, or more than :data:`MAX_QUERY_CHARS`."""
    check_query_text(text)
    assert isinstance(text, str)  # (check_query_text refused anything else)
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    if not cleaned or len(cleaned) > MAX_QUERY_CHARS:
        from corpus_search.errors import QueryError

        raise QueryError(
            "The query is empty: type one or more words to search for." if not cleaned else
            f"The query is {len(cleaned):,} characters long; the limit is {MAX_QUERY_CHARS:,}.")
    return cleaned


def check_query_text(text: object) -> None:
    """Refuse a query that is not text, naming what it is (and, for a list of queries, the
    method that takes several): a list reached a cache as its key and raised "unhashable
    type: 'list'", or was told that counting "needs a query". Refuse too a query holding
    bytes that were not UTF-8, or U+FFFD, which had been searched as a space
    (:func:`~corpus_search.search.refusals.why_unreadable`)."""
    if not isinstance(text, str):
        from corpus_search.errors import QueryError

        several = (" (several queries side by side: trends([...]))"
                   if isinstance(text, (list, tuple)) else "")
        raise QueryError(f"A query must be text, not {type(text).__name__}{several}.")
    if not text.isascii():  # (both are outside ASCII: most queries are asked nothing more)
        from corpus_search.search.refusals import why_unreadable

        if why := why_unreadable(text):
            from corpus_search.errors import QueryError

            raise QueryError(why)


#: how many top hits the proximity bonus re-ranks
RERANK_DEPTH = 100


#: the fields where concepts standing close together earn the proximity bonus: a title's few
#: words are all close, and the title boost already rewards concepts found there
PROXIMITY_FIELDS = ("body",)


#: two adjacent query words also match their closed-up form when that form occurs in at least
#: this share of the documents that the rarer of the two words occurs in; and the other way
#: round, a word its two-word spelling, when the two words stand together in this share
COMPOUND_SHARE = 0.03


#: the shortest part a query word is split into for its two-word spelling (see
#: ``groups.spaced_spelling``: "headteachers" also matches head teachers)
MIN_SPLIT_PART = 3


#: two adjacent capitalised query words are one name (sharing one place in the query, as a
#: typed multi-word term's words do) when the texts write them side by side in at least this
#: share of the documents holding the rarer word: "Gordon Brown", not "Blair Brown"
NAME_SHARE = 0.5


#: the fields counted in ``SearchResults.facets``: facet name -> indexed field
FACET_FIELDS = {"source": "source", "party": "party", "year": "year"}


@dataclass(frozen=True)
class Ranking:
    """Ranking parameters. A query of plain words and quoted phrases is ranked by its
    concepts (see :meth:`corpus_search.search.engine.QueryEngine.score_concepts`): BM25F with
    ``k1``, ``b`` (``title_b`` for titles) and the field boosts, times the coverage factor,
    plus the proximity bonus. A query with other syntax (operators, ``field:``, wildcards,
    fuzzy terms, boosts) is scored by Whoosh's BM25F of its query tree, field by field, with
    ``syntax_title_boost``. The defaults are chosen by cross-validation on the public topics
    (``corpus-search eval --cross-validate``; see docs/relevance.md).
    """

    k1: float = 2.0
    b: float = 0.5
    title_b: float = 0.5
    #: a title occurrence counts this many body occurrences (before saturation)
    title_boost: float = 4.0
    body_boost: float = 1.0
    #: Whoosh's title boost for queries with syntax (a title match's own BM25 score times this)
    syntax_title_boost: float = 1.25
    #: weight of the lexicon's other forms of a word ("Conservatives" for "Tories")
    expansion_weight: float = 0.6
    #: weight of the broader concepts a lexicon term implies (weak forms: Labour for "PLP")
    surface_weight: float = 0.1
    #: weight of a name's word (Cable of "Vince Cable") in a document that writes it in lower
    #: case and neither only capitalised nor beside the name's other words: "a power cable"
    #: is hardly evidence of the man (set so, as ``surface_weight`` is, not by the grid; with
    #: ``expansion_weight``'s 0.6 the BBC's Xbox cable recall still outranked Mr Cable)
    name_case_weight: float = 0.1
    #: part of a typed multi-word lexicon term's place in the query held by the term (its
    #: concept and all its forms); its words, each still counting as itself, hold the rest
    term_share: float = 0.5
    #: part of a name's place held by an honorific before it (Lady in "Lady Thatcher"); the
    #: name's words share the rest, so a text saying only "ladies" cannot rank as one naming
    #: Thatcher
    honorific_share: float = 0.1
    #: exponent of the coverage factor (0: none beyond BM25F's saturation)
    coverage: float = 0.25
    #: weight of the term-pair proximity bonus (0: none)
    proximity_boost: float = 0.25
    #: positions within which two concepts count as close: one sentence (the analyzer
    #: leaves 100 positions, ``SENTENCE_GAP``, between sentences, so concepts of two
    #: sentences are never within 99), their closeness decaying with the distance
    proximity_slop: int = 99

    def weighting(self) -> scoring.WeightingModel:
        """The Whoosh BM25F weighting of these ``k1``, ``b`` and ``title_b``."""
        return scoring.BM25F(B=self.b, K1=self.k1, title_B=self.title_b)

    def syntax_boosts(self) -> dict[str, float]:
        """Each field's weight where a query with syntax reads a word over the fields
        (``title:w^1.25 OR body:w``), by field name."""
        return {"title": self.syntax_title_boost, "body": self.body_boost}

    def field_boosts(self, fields: Iterable[str]) -> tuple[tuple[str, float], ...]:
        """(field, boost) of ``fields`` for concept ranking."""
        boosts = {"title": self.title_boost, "body": self.body_boost}
        return tuple((f, boosts.get(f, 1.0)) for f in fields)


#: The ranking used by :func:`search`.
RANKING = Ranking()

