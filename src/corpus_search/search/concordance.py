"""Concordance (keyword in context): every place a query matches in the documents' text,
with the words on either side, one line each.

The places are the ones a search's snippets mark (:func:`~.highlight.marked_tokens` on the
words :func:`matched_words` gives), so a concordance of ``Lib Dems`` shows
"Liberal Democrats" and "Lib Dem" where the texts write them, and one of ``privatiz*`` shows
"privatisation". Matches next to each other (the words of a phrase, a name) make one line,
and a quoted phrase's places are where the phrase stands, not each of its words alone
(search also ranks documents holding the words apart, after those holding the phrase), as
a name's are where its surname stands, written with a capital, not its first name alone,
and a multi-word lexicon term's where it stands in one of its forms (:class:`_Places`). A
broader term the lexicon relates to a word of the query (Labour for "PLP") ranks a search's
documents but is no place of the query: "Labour's" is not a place of PLP.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus_search.errors import QueryError
from corpus_search.search import execute
from corpus_search.search.budget import query_budget
from corpus_search.search.concepts import related_terms
from corpus_search.search.contexts import left_context, right_context
from corpus_search.search.corrections import checked_query
from corpus_search.search.defaults import CONTEXT_WIDTH, MAX_CONTEXT_WIDTH, MIN_CONTEXT_WIDTH
from corpus_search.search.filters import SearchFilters
from corpus_search.search.groups import word_groups
from corpus_search.search.highlight import highlight_words, marked_tokens, sought_leaves
from corpus_search.search.ids import document_number
from corpus_search.search.lines import ConcordanceLine
from corpus_search.search.literal import literal_query
from corpus_search.search.matching import matching_documents
from corpus_search.search.parsing import parsed_query
from corpus_search.search.phrases import implied_by, read, readings
from corpus_search.search.ranking import MAX_PAGE_SIZE, RANKING, Ranking, check_query_text, whole
from corpus_search.search.results import ListLike, QueryTold, listed, squash
from corpus_search.search.state import SearchSource
from corpus_search.store.columns import document_body
from corpus_search.terminal import counted

__all__ = ["DEFAULT_WIDTH", "MAX_LINES", "Concordance", "ConcordanceLine", "Marks",
           "checked_shape", "concordance", "marks", "places"]

#: characters of context shown on each side of a match
DEFAULT_WIDTH = CONTEXT_WIDTH
#: the most lines one concordance gathers
MAX_LINES = 100_000
#: what may stand between two marked words for them to make one match: spaces, hyphens and
#: apostrophes ("Lib-Dem", "Prime Minister's"), not a comma or a sentence's end
_JOINER = re.compile(r"[\s\-\u2010-\u2015'\u2019]{0,3}")


@dataclass
class Concordance(QueryTold, ListLike[ConcordanceLine]):
    """The lines of a query's matches, document by document in the order ``sort`` ranks
    them, and in text order within each document.

    ``documents`` counts the documents the query matches, ``documents_read`` those the lines
    come from (fewer when ``limit`` lines were reached first, or some match only in their
    titles). A document that matches only in its title, through a word its body does not
    hold, or with a quoted phrase's words apart, gives no line. ``notes``,
    ``undated_left_out`` and ``why_empty`` are the search's (:class:`~.results.SearchResults`):
    how the query was read, the undated matches a date range left out, and why no document
    matched, so a concordance with no line says why as a search would.
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
) -> Concordance:
    """The matches of the query ``text`` in context: up to ``limit`` lines, ``width``
    characters of context on each side, from the documents a search for ``text`` finds
    (``filters``, ``sort`` and ``correct`` as for :func:`~.execute.search`). ``width`` is
    from :data:`~.defaults.MIN_CONTEXT_WIDTH` (10: fewer characters are a word or two, too
    little to tell one use of the match from another) to
    :data:`~.defaults.MAX_CONTEXT_WIDTH` (1,000), as ``concordance --width`` takes it."""
    limit, width = checked_shape(limit, width)
    check_query_text(text)
    if text.strip() in ("", "*"):
        raise QueryError("A concordance needs a query: the words whose places it shows.")
    _need_words(index, text, ranking, "A concordance needs words to show",
                "the words whose places it shows")
    first = execute.search(index, text, limit=MAX_PAGE_SIZE, filters=filters, sort=sort,
                           highlight=False, correct=correct)
    result = Concordance(query=text, documents=first.total, width=width,
                         related_only=first.related_only,
                         suggestion=first.suggestion,
                         suggestion_applied=first.suggestion_applied,
                         not_found=list(first.not_found), notes=list(first.notes),
                         undated_left_out=first.undated_left_out,
                         why_empty=list(first.why_empty))
    words = matched_words(index, text, ranking=ranking, correct=correct)
    if not words:
        return result
    searched = first.suggestion if first.suggestion_applied else text
    spans = _place_finder(index, searched, words, ranking)
    body_of = _bodies(index, text, filters, ranking, correct, first.total)
    page, results = 1, first
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
        results = execute.search(index, text, limit=MAX_PAGE_SIZE, page=page, filters=filters,
                                 sort=sort, highlight=False, correct=correct)


def checked_shape(limit: object, width: object) -> tuple[int, int]:
    """A concordance's ``limit`` and ``width`` as whole numbers, or the error saying why not."""
    if (lines := whole(limit)) is None or not 1 <= lines <= MAX_LINES:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LINES:,}, not {limit!r}.")
    if (chars := whole(width)) is None or not MIN_CONTEXT_WIDTH <= chars <= MAX_CONTEXT_WIDTH:
        raise QueryError(f"width must be a whole number from {MIN_CONTEXT_WIDTH} to "
                         f"{MAX_CONTEXT_WIDTH:,}, not {width!r}.")
    return lines, chars


def _bodies(index: SearchSource, text: str, filters: SearchFilters | dict[str, Any] | None,
            ranking: Ranking, correct: bool, total: int) -> Callable[[str], str | None]:
    """The body of a document a search for the query found, by id, or None when it is not
    among those a count of the query counts (:func:`~.matching.matching_documents`). A
    name's places are where its surname stands, but in the documents naming it in full, not
    the film director Ron Howard's; the US Democrats are no places of the Liberal Democrats.
    Each document is found by its id once, and only its body read (not its stored fields).

    Each body is read through the index's current searcher, inside a guard of its own: a
    searcher kept from one guard to the next is closed once other threads' searches have
    replaced it a few times. After a commit the documents counted are matched afresh (the
    new searcher numbers them its own way)."""
    flt = SearchFilters.coerce(filters)

    def counted_by(searcher: Any) -> Any:  # (a document mask, or None: every one it finds)
        with query_budget(execute.QUERY_TIME_LIMIT):
            return matching_documents(index, searcher, text, flt, ranking, correct).matching

    with index.guard():
        searcher = index.searcher(ranking)
        found = counted_by(searcher)
    #: the searcher the mask numbers documents by (the search's, at first) and the mask
    numbered = [searcher, None if int(found.sum()) == total else found]

    def body(doc_id: str) -> str | None:
        with index.guard():
            searcher = index.searcher(ranking)
            if searcher is not numbered[0]:
                numbered[:] = [searcher, counted_by(searcher)]
            counted = numbered[1]
            number = document_number(searcher, doc_id)
            if counted is not None and (number is None or not counted[number]):
                return None
            return document_body(searcher, number) if number is not None else ""

    return body


@dataclass(frozen=True)
class Marks:
    """The places of a query in one text (:attr:`places`: character spans, in order), and
    the spelling help a search would give the query: the ``suggestion`` it would search (or
    only suggest) and the typed words no document holds (``not_found``), so that a text
    showing no place of a misspelt query can say why, and what to mark instead."""

    query: str
    places: list[tuple[int, int]] = field(default_factory=list)
    suggestion: str | None = None
    not_found: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields, each place a ``[start, end]`` pair."""
        return {"query": self.query, "places": [list(place) for place in self.places],
                "suggestion": self.suggestion, "not_found": list(self.not_found)}


def marks(index: SearchSource, text: str, body: str, *, ranking: Ranking = RANKING,
          literal: bool = False) -> Marks:
    """The places of the query ``text`` in ``body`` (see :func:`places`), with the spelling
    help a search would give it. A query made only of exclusions (``NOT Labour``) is the
    :class:`QueryError` a concordance gives it, as is a ``body`` that is not text.
    ``literal``: the places of its words as written, as a literal concordance shows them
    (:mod:`~.literal`; a literal query has no spelling help)."""
    if not isinstance(body, str):
        what = "Document: its text is .body" if hasattr(body, "body") else type(body).__name__
        raise QueryError("The text to mark the query's places in is text (a document's body: "
                         f"ix.get(id).body), not {what}.")
    if literal:
        check_query_text(text)
        return Marks(query=text, places=literal_query(text).places(body))
    _need_words(index, text, ranking, "Marking needs words to mark",
                "the words whose places to mark")
    with query_budget(execute.QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        parsed = parsed_query(index, searcher, text, ranking=ranking)
        spelling, _q, _concepts = checked_query(index, searcher, parsed, text, ranking, True)
    words = matched_words(index, text, ranking=ranking, correct=False)
    return Marks(query=text, suggestion=spelling.suggestion, not_found=spelling.not_found,
                 places=list(_place_finder(index, text, words, ranking)(body)) if words else [])


def places(index: SearchSource, text: str, body: str, *,
           ranking: Ranking = RANKING) -> list[tuple[int, int]]:
    """The character spans of ``body`` that are places of the query ``text``, as a
    concordance finds them (each way the texts write its words and concepts; its quoted
    phrases and names whole): for marking the query in a document's text. ``text`` is read
    as written, with no spelling correction: give the query a search ran. A query made only
    of exclusions is a :class:`QueryError` (see :func:`marks`)."""
    return marks(index, text, body, ranking=ranking).places


def _place_finder(index: SearchSource, text: str, words: frozenset[str],
                  ranking: Ranking) -> Callable[[str], Iterator[tuple[int, int]]]:
    """What finds the places of the query ``text`` (whose marked ``words`` are given) in a
    document's body."""
    analyzer = index.schema["body"].analyzer
    names, terms, spelt = _units_typed(index, text, ranking)
    found = _Places(analyzer, index.lexicon.implied, text, names, terms, spelt)
    return lambda body: _matches(analyzer, body, words, found)


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



@dataclass(frozen=True)
class _Unit:
    """A span of the query that is one place, not each of its words: a quoted phrase or a
    name. A run of marked words made only of its terms (``every``) is a place of a phrase
    when, for each place of one of its ``ways`` of being written (as typed; with two
    neighbouring words closed up, "filesharing"), it holds a term standing there: a word of
    the phrase or its lexicon forms, not a broader term the lexicon says one implies ("Labour
    Party" is no place of "New Labour", "Conservatives" alone none of "Tory leader"). It is a
    place of a name when it holds one of its ``own`` concepts or every one of its
    ``required`` terms (its last word, so "Mr Blair" is a place of Tony Blair and "Tony
    Blackburn" is not), written with a capital when ``capital`` ("Mrs May" is a place of
    Theresa May, "may be" is not). ``gaps`` holds how many words the analyzer drops between
    two words of the phrase (1 for "election is widely"): as many words, any words, may stand
    between two marked words of it, as the index matches the phrase ("election was
    widely")."""

    every: frozenset[str]
    own: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    ways: tuple[tuple[frozenset[str], ...], ...] = ()
    gaps: frozenset[int] = frozenset()
    capital: bool = False

    def holds(self, terms: set[str], capitals: set[str]) -> bool:
        if self.required and self.required <= (capitals if self.capital else terms):
            return True
        return bool(terms & self.own) or any(
            all(terms & place for place in way) for way in self.ways)


def _units_typed(index: SearchSource, text: str, ranking: Ranking
                 ) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The names of the query ("Tony Blair", "Lady Thatcher"), its multi-word lexicon
    terms typed unquoted ("council tax") and its words also read as two words, each with
    them (Duncan-Smith: "Duncan Smith"; headteachers: "head teachers"; a name's last word:
    Mr Duncan-Smith), as
    :func:`~.groups.word_groups` reads them."""
    with index.guard():
        groups = word_groups(text, index, ranking)
    names = [group.chunk for group in groups if group.name]
    terms = [group.chunk for group in groups
             if group.words and not (group.quoted or group.name or group.joined or group.spaced)]
    spelt = [(group.chunk, group.spaced) for group in groups if group.spaced is not None]
    return names, terms, spelt




class _Places:
    """The query's quoted phrases, names and multi-word lexicon terms, for telling their
    places from one of their words alone; a term the query also has outside them is a place
    anyway. A term's place is where it stands, in any of its forms, as ``count`` counts it:
    "council tax" is no place of its "councils" alone."""

    def __init__(self, analyzer: Any, implied: Mapping[str, frozenset[str]], text: str,
                 names: Sequence[str], terms: Sequence[str] = (),
                 spelt: Sequence[tuple[str, str]] = ()) -> None:
        self.analyzer, self.implied = analyzer, implied
        # (a phrase's words within N of each other, "Howard immigration"~10, stand apart: each
        # is a place in the documents it matches, where none had been, the words never
        # side by side)
        text = _NEAR.sub(lambda near: f" {near.group(1)} ", text)
        self.units = [self._phrase(phrase) for phrase in _QUOTED.findall(text)]
        loose = _QUOTED.sub(" ", text)
        for word, apart in spelt:
            # a word also read as two (Duncan-Smith, "Duncan Smith") stands where the word
            # does or the two do side by side, not where either does alone ("Smith")
            self.units.append(self._phrase(apart))
            loose = loose.replace(word, " ")
        for term in terms:
            read_as = [(t.text, t.kind) for t in analyzer(term, mode="query")]
            own = self._own(read_as)
            if own:  # (an ordinary use the lexicon lists names no concept: its words count)
                every = {t for t, _kind in read_as} | {t for t, _kind in self._terms(term)}
                self.units.append(_Unit(every=frozenset(every), own=own))
                loose = loose.replace(term, " ")
        for name in names:
            read_as = self._terms(name)
            last = self._terms(name.split()[-1])
            # (a double-barrelled surname, Kilroy-Silk, is searched closed up: that is its place)
            joined = frozenset(t for t, kind in last if kind == "joined")
            self.units.append(_Unit(
                every=frozenset(term for term, _kind in read_as), own=self._own(read_as),
                required=joined or frozenset(t for t, kind in last if kind == "word"),
                capital=True))
            loose = loose.replace(name, " ")
        self.loose = frozenset(term for term, _kind in self._terms(loose))

    def _terms(self, text: str) -> list[tuple[str, str]]:
        # (a Whoosh analyzer yields one token object, changed in place: read each now)
        return [(t.text, t.kind) for t in self.analyzer(text, mode="index")]

    def _own(self, terms: list[tuple[str, str]]) -> frozenset[str]:
        """The concepts of ``terms`` that none of them implies."""
        implied = implied_by((term for term, _kind in terms), self.implied)
        return frozenset(term for term, kind in terms if kind == "concept") - implied

    def _phrase(self, phrase: str) -> _Unit:
        """A quoted phrase's unit: its places as a search reads them, in each way of writing
        it (:func:`~.phrases.readings`; any closed-up pair, which a run holds only where
        the text writes it), each place the terms standing there less those another
        implies."""
        reading = read(self.analyzer, self.implied, phrase)
        ways = tuple(
            tuple(self._standing(place) for place in way.places)
            for way in readings(reading, lambda _term: True)
        )
        return _Unit(
            every=frozenset(term for term, _kind in self._terms(phrase)).union(
                *(place for way in ways for place in way)),
            ways=ways,
            gaps=frozenset(b - a - 1 for a, b in itertools.pairwise(reading.offsets) if b > a + 1),
        )

    def _standing(self, place: list[tuple[str, bool]]) -> frozenset[str]:
        terms = frozenset(term for term, _expansion in place)
        implied = implied_by(terms, self.implied)
        return terms - implied or terms

    def bridges(self, gap: str) -> bool:
        """Do only words stand in ``gap``, as many as a quoted phrase drops between two of
        its words ("is" in "election is widely": any one word)?"""
        words = gap.split()
        return bool(words) and all(_WORD.fullmatch(w) for w in words) and any(
            len(words) in unit.gaps for unit in self.units)

    def is_place(self, terms: set[str], capitals: set[str]) -> bool:
        """Is a run of marked words holding ``terms`` (as the index holds them there, lexicon
        forms included; ``capitals`` those of words written with a capital) a place of the
        query?"""
        if not self.units or terms & self.loose:
            return True
        inside = [unit for unit in self.units if terms <= unit.every]
        return not inside or any(unit.holds(terms, capitals) for unit in inside)


_QUOTED = re.compile(r'"([^"]+)"')
#: a quoted phrase with a proximity (``"Howard immigration"~10``: its words within 10)
_NEAR = re.compile(r'"([^"]+)"~\d+')
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _matches(analyzer: Any, body: str, words: frozenset[str],
             places: _Places) -> Iterator[tuple[int, int]]:
    """The character spans of the marked words of ``body``, neighbours joined into one,
    that are places of the query (:class:`_Places`)."""
    span: tuple[int, int] | None = None
    terms: set[str] = set()
    capitals: set[str] = set()
    for token in marked_tokens(analyzer, body, words):
        if span is not None and (token.startchar <= span[1]  # inside the last one
                                 or _JOINER.fullmatch(body, span[1], token.startchar)
                                 or places.bridges(body[span[1]:token.startchar])):
            span = (span[0], max(span[1], token.endchar))
        else:
            if span is not None and places.is_place(terms, capitals):
                yield span
            span, terms, capitals = (token.startchar, token.endchar), set(), set()
        terms.add(token.text)
        if body[token.startchar:token.startchar + 1].isupper():
            capitals.add(token.text)
    if span is not None and places.is_place(terms, capitals):
        yield span
