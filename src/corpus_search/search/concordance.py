"""Concordance (keyword in context): every place a query matches in the documents' text,
with the words on either side, one line each.

The places are the ones a search's snippets mark (:func:`~.highlight.marked_tokens` on the
words :func:`matched_words` gives), so a concordance of ``Lib Dems`` shows
"Liberal Democrats" and "Lib Dem" where the texts write them, and one of ``privatiz*`` shows
"privatisation". Matches next to each other (the words of a phrase, a name) make one line,
and a quoted phrase's places are where the phrase stands, not each of its words alone
(search also ranks documents holding the words apart, after those holding the phrase), as
a name's are where its surname stands, written with a capital, not its first name alone,
and a multi-word lexicon term's where it stands in one of its forms (:mod:`.query_places`,
whose rule a search's snippets of a quoted phrase follow too). A
broader term the lexicon relates to a word of the query (Labour for "PLP") ranks a search's
documents but is no place of the query: "Labour's" is not a place of PLP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from corpus_search.errors import QueryError
from corpus_search.search import execute
from corpus_search.search.any_words import tell_any_words
from corpus_search.search.budget import query_budget
from corpus_search.search.concepts import related_terms
from corpus_search.search.contexts import left_context, right_context
from corpus_search.search.corrections import checked_query
from corpus_search.search.defaults import CONTEXT_WIDTH, MAX_CONTEXT_WIDTH, MIN_CONTEXT_WIDTH
from corpus_search.search.filters import SearchFilters
from corpus_search.search.highlight import highlight_words, sought_leaves
from corpus_search.search.hits import squash
from corpus_search.search.ids import document_number
from corpus_search.search.lines import ConcordanceLine
from corpus_search.search.literal import index_literal
from corpus_search.search.matching import (
    Matches,
    each_text_once,
    matching_documents,
    reported,
)
from corpus_search.search.paging import UNDATED_SORT
from corpus_search.search.parsing import parsed_query
from corpus_search.search.query_places import place_finder
from corpus_search.search.ranking import (
    MAX_PAGE_SIZE,
    RANKING,
    Ranking,
    check_query_text,
    every_document,
    whole,
)
from corpus_search.search.results import ListLike, QueryTold, listed
from corpus_search.search.state import SearchSource
from corpus_search.search.word_forms import tell_other_forms
from corpus_search.store.columns import document_body
from corpus_search.terminal import counted

__all__ = ["DEFAULT_WIDTH", "MAX_LINES", "Concordance", "ConcordanceLine", "Marks",
           "check_words_asked", "checked_shape", "concordance", "counted_bodies",
           "counted_concordance", "marks", "places"]

#: characters of context shown on each side of a match
DEFAULT_WIDTH = CONTEXT_WIDTH
#: the most lines one concordance gathers
MAX_LINES = 100_000


@dataclass
class Concordance(QueryTold, ListLike[ConcordanceLine]):
    """The lines of a query's matches, document by document in the order ``sort`` ranks
    them, and in text order within each document.

    ``documents`` counts the documents a count of the query counts (a search's matches less
    those holding only a quoted phrase's words apart, part of a name or a term, or a term the
    lexicon only relates to the query: :func:`~.matching.matching_documents`), and
    ``documents_read`` those the lines come from (fewer when ``limit`` lines were reached
    first, or some match only in their titles). Only the documents counted give lines.
    ``notes``, ``undated_left_out``, ``related_only`` and ``why_empty`` are the count's
    (:class:`~.counting.Counts`): how the query was read and which matches it leaves out, the
    undated matches a date range left out, and why no document matched, so a concordance
    says what a count of its query says.
    """

    query: str
    lines: list[ConcordanceLine] = field(default_factory=list)
    documents: int = 0
    documents_read: int = 0
    width: int = DEFAULT_WIDTH
    #: True when there were more lines than ``limit``
    truncated: bool = False

    def _listed(self) -> list[ConcordanceLine]:
        return self.lines

    def __repr__(self) -> str:
        more = ", and more past the limit" if self.truncated else ""
        head = (f"Concordance({self.query!r}: {counted(len(self.lines), 'line')} from "
                f"{self.documents_read} of the "
                f"{self.documents} documents it matches{more})")
        return listed(head, self.lines,
                      lambda line: f"{line.id}  {line.left}**{line.match}**{line.right}",
                      self)

    def add_places(self, hit: Any, body: str, places: Iterable[tuple[int, int]],
                   limit: int) -> bool:
        """A line for each of ``places`` (start, end) in ``hit``'s ``body``, in context
        :attr:`width` wide; False, and :attr:`truncated`, once ``limit`` lines are full."""
        read = False
        for start, end in places:
            if len(self.lines) == limit:
                self.truncated = True
                return False
            if not read:
                self.documents_read, read = self.documents_read + 1, True
            self.lines.append(ConcordanceLine(
                id=hit.id, title=hit.title, date=hit.date,
                left=left_context(body, start, self.width), match=squash(body[start:end]),
                right=right_context(body, end, self.width), start=start, end=end,
                date_precision=hit.date_precision))
        return True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``concordance --json`` prints it: the query, its spelling help and
        notes, and ``lines`` (each :meth:`ConcordanceLine.to_dict`)."""
        return {
            "query": self.query,
            "documents": self.documents,
            "documents_read": self.documents_read,
            "width": self.width,
            "truncated": self.truncated,
            **self.told(),
            **self.left_out(),
            "lines": [line.to_dict() for line in self.lines],
        }


def concordance(
    index: SearchSource,
    text: str,
    *,
    limit: int = 100,
    width: int = DEFAULT_WIDTH,
    filters: SearchFilters | dict[str, Any] | None = None,
    sort: str = "relevance",
    correct: bool = True,
    ranking: Ranking = RANKING,
    distinct: bool = False,
) -> Concordance:
    """The matches of the query ``text`` in context: up to ``limit`` lines, ``width``
    characters of context on each side, from the documents a count of ``text`` counts, in
    the order a search ranks them (``filters``, ``sort`` and ``correct`` as for
    :func:`~.execute.search`). ``width`` is from :data:`~.defaults.MIN_CONTEXT_WIDTH` (10:
    fewer characters are a word or two, too little to tell one use of the match from another) to
    :data:`~.defaults.MAX_CONTEXT_WIDTH` (1,000), as ``concordance --width`` takes it.
    ``distinct``: each text once, as a count with it counts them (a text saved twice gives
    the lines of its first copy the filters keep, :func:`~.matching.each_text_once`)."""
    limit, width = checked_shape(limit, width)
    check_words_asked(text)
    _need_words(index, text, ranking, "A concordance needs words to show",
                "the words whose places it shows")
    flt = SearchFilters.coerce(filters)
    results = execute.search(index, text, limit=MAX_PAGE_SIZE, filters=flt, sort=sort,
                             highlight=False, correct=correct)
    found, body_of = counted_bodies(index, text, flt, ranking, (correct, False, distinct))
    result = counted_concordance(index, text, found, flt, (ranking, False, distinct), width,
                                 execute.sort_notes(index, sort))
    words = matched_words(index, text, ranking=ranking, correct=correct)
    if not words or not result.documents:
        return result
    searched = result.suggestion if result.suggestion_applied else text
    spans = place_finder(index, searched, words, ranking)
    page = 1
    while True:
        for hit in results.hits:
            body = body_of(hit.id)
            if body is None:
                continue  # (Ron Howard's "Howard" is no place of Michael Howard)
            if not result.add_places(hit, body, spans(body), limit):
                return result
        if page >= results.pages:
            return result
        page += 1
        results = execute.search(index, text, limit=MAX_PAGE_SIZE, page=page, filters=flt,
                                 sort=sort, highlight=False, correct=correct)


def check_words_asked(text: object) -> None:
    """Refuse a concordance of no words: none, or ``*`` (every document, in any mode:
    :func:`~.ranking.every_document`), whose places there are none to show."""
    check_query_text(text)
    assert isinstance(text, str)  # (check_query_text refused anything else)
    if not text.strip() or every_document(text):
        raise QueryError("A concordance needs a query: the words whose places it shows.")


def counted_concordance(index: SearchSource, text: str, found: Matches, flt: SearchFilters,
                        how: tuple[Ranking, bool, bool], width: int,
                        notes: list[str]) -> Concordance:
    """A concordance of ``text`` (no line yet) from the documents a count counts (``found``;
    ``how``: the ranking, and whether it was ``literal`` and ``distinct``): what the count
    says of its query (:func:`~.matching.reported`), the notes of a count of several plain
    words (:func:`~.any_words.tell_any_words`) and of a word's other forms
    (:func:`~.word_forms.tell_other_forms`), then ``notes`` (the order's: an index with
    no date to sort by, ``undated_index``)."""
    ranking, literal, distinct = how
    if not literal and found.matching.any():
        with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
            tell_any_words(index, index.searcher(ranking), found, flt, ranking, distinct)
            tell_other_forms(index, found)
    told = reported(index, flt, found)
    return Concordance(query=text, documents=int(found.matching.sum()), width=width, **{
        **told, "notes": list(dict.fromkeys([*told["notes"], *notes])),  # (a literal
        # search's notes, "rat*" as written, are its count's too)
        "undated_index": UNDATED_SORT in notes})


def checked_shape(limit: object, width: object) -> tuple[int, int]:
    """A concordance's ``limit`` and ``width`` as whole numbers, or the error saying why not."""
    if (lines := whole(limit)) is None or not 1 <= lines <= MAX_LINES:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LINES:,}, not {limit!r}.")
    if (chars := whole(width)) is None or not MIN_CONTEXT_WIDTH <= chars <= MAX_CONTEXT_WIDTH:
        raise QueryError(f"width must be a whole number from {MIN_CONTEXT_WIDTH} to "
                         f"{MAX_CONTEXT_WIDTH:,}, not {width!r}.")
    return lines, chars


#: how a concordance reads its query: (correct, literal, distinct), and match_case (literal,
#: each word in its case) when given
_How = tuple[bool, ...]


def counted_bodies(index: SearchSource, text: str, flt: SearchFilters, ranking: Ranking,
                   how: _How) -> tuple[Matches, Callable[[str], str | None]]:
    """The documents a count of the query counts (``how``: read with ``correct``, as
    written with ``literal``, each text once with ``distinct``), and the body of a document
    a search for it found, by id, or None when it is not among them: a concordance's
    documents, and what it says of those it leaves out, are the count's."""
    counted = _counted(index, text, flt, ranking, how)
    return counted[1], _bodies(index, text, flt, ranking, how, counted)


def _counted(index: SearchSource, text: str, flt: SearchFilters, ranking: Ranking,
             how: _How) -> tuple[Any, Matches]:
    """The documents a count of the query counts (:func:`~.matching.matching_documents`,
    :func:`~.matching.each_text_once` with ``distinct``), with the searcher that numbers
    them."""
    correct, literal, distinct, *cased = how
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        found = matching_documents(index, searcher, text, flt, ranking, correct, literal,
                                   any(cased))
        if distinct:
            each_text_once(searcher, found)
        return searcher, found


def _bodies(index: SearchSource, text: str, flt: SearchFilters, ranking: Ranking,
            how: _How, counted: tuple[Any, Matches]) -> Callable[[str], str | None]:
    """The body of a document a search for the query found, by id, or None when it is not
    among those a count of the query counts (``counted``: :func:`_counted`'s). A name's
    places are where its surname stands, but in the documents naming it in full, not the
    film director Ron Howard's; the US Democrats are no places of the Liberal Democrats; a
    quoted phrase's, in the documents holding it, not its words apart; with ``distinct``,
    a text's first copy alone. Each document is found by its id once, and only its body
    read (not its stored fields).

    Each body is read through the index's current searcher, inside a guard of its own: a
    searcher kept from one guard to the next is closed once other threads' searches have
    replaced it a few times. After a commit the documents counted are matched afresh (the
    new searcher numbers them its own way)."""
    #: the searcher the mask numbers documents by, and the mask
    numbered = [counted[0], counted[1].matching]

    def body(doc_id: str) -> str | None:
        with index.guard():
            searcher = index.searcher(ranking)
            if searcher is not numbered[0]:
                fresh, found = _counted(index, text, flt, ranking, how)
                numbered[:] = [fresh, found.matching]
            number = document_number(searcher, doc_id)
            if number is None or not numbered[1][number]:
                return None
            return document_body(searcher, number)

    return body


@dataclass(frozen=True)
class Marks:
    """The places of a query in one text (:attr:`places`: character spans, in order), and
    the spelling help a search would give the query: the ``suggestion`` it would search (or
    only suggest) and the typed words no document holds (``not_found``), so that a text
    showing no place of a misspelt query can say why, and what to mark instead
    (``partly_found``: as a search's)."""

    query: str
    places: list[tuple[int, int]] = field(default_factory=list)
    suggestion: str | None = None
    not_found: tuple[str, ...] = ()
    partly_found: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields, each place a ``[start, end]`` pair."""
        return {"query": self.query, "places": [list(place) for place in self.places],
                "suggestion": self.suggestion, "not_found": list(self.not_found)}


def marks(index: SearchSource, text: str, body: str, *, ranking: Ranking = RANKING,
          literal: bool = False, match_case: bool = False) -> Marks:
    """The places of the query ``text`` in ``body`` (see :func:`places`), with the spelling
    help a search would give it. A query made only of exclusions (``NOT Labour``) is the
    :class:`QueryError` a concordance gives it, as is a ``body`` that is not text.
    ``literal``: the places of its words as written, as a literal concordance shows them
    (:mod:`~.literal`; a literal query has no spelling help); ``match_case``: so, each word
    in the case typed (literal), as a concordance with it shows them."""
    if not isinstance(body, str):
        what = "Document: its text is .body" if hasattr(body, "body") else type(body).__name__
        raise QueryError("The text to mark the query's places in is text (a document's body: "
                         f"ix.get(id).body), not {what}.")
    if literal or match_case:
        check_query_text(text)
        return Marks(query=text, places=index_literal(index, text, match_case).places(body))
    _need_words(index, text, ranking, "Marking needs words to mark",
                "the words whose places to mark")
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        parsed = parsed_query(index, searcher, text, ranking=ranking)
        spelling, _q, _concepts = checked_query(index, searcher, parsed, text, ranking, True)
    words = matched_words(index, text, ranking=ranking, correct=False)
    return Marks(query=text, suggestion=spelling.suggestion, not_found=spelling.not_found,
                 partly_found={term: list(words) for term, words in spelling.partly_found},
                 places=list(place_finder(index, text, words, ranking)(body)) if words else [])


def places(index: SearchSource, text: str, body: str, *,
           ranking: Ranking = RANKING) -> list[tuple[int, int]]:
    """The character spans of ``body`` that are places of the query ``text``, as a
    concordance finds them (each way the texts write its words and concepts; its quoted
    phrases and names whole): for marking the query in a document's text. ``text`` is read
    as written, with no spelling correction: give the query a search ran. A query made only
    of exclusions is a :class:`QueryError` (see :func:`marks`)."""
    return marks(index, text, body, ranking=ranking).places


def _need_words(index: SearchSource, text: str, ranking: Ranking, needs: str,
                add: str) -> None:
    """Refuse a query made only of exclusions (``NOT Labour``, ``-Brown -Blair``): it matches
    documents, but holds no words whose places could be shown or marked. ``needs`` and
    ``add`` word the one-line error for the caller (concordance, marks)."""
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        q = parsed_query(index, index.searcher(ranking), text, ranking=ranking).query
    if next(sought_leaves(q), None) is None:
        raise QueryError(f"{needs}: {text.strip()!r} only leaves documents out. Add {add} "
                         "(e.g. 'Blair NOT Labour').")


def matched_words(index: SearchSource, text: str, *, ranking: Ranking = RANKING,
                  correct: bool = True) -> frozenset[str]:
    """The body terms that are places of the query ``text`` (its correction's, when one is
    searched): those a search marks in its snippets, less the broader terms the lexicon only
    relates to its words (``labour_party`` for "PLP", :func:`related_terms`); what
    :func:`~.highlight.marked_tokens` finds in a document's body."""
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        parsed = parsed_query(index, searcher, text, ranking=ranking)
        _spelling, q, concepts = checked_query(index, searcher, parsed, text, ranking, correct)
        return highlight_words(searcher, q, ranking) - related_terms(concepts)
