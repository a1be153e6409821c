"""What a search returns: :class:`SearchResults` (a page of :class:`~.hits.Hit`, with totals,
facets and what it tells of the query) with its JSON form, and what every result of a query
shares (:class:`ListLike`, :class:`QueryTold`, :func:`listed`): a concordance's, a count's,
key terms', an export's (:class:`ExportReport`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

# (Hit and Snippet are importable from here too, as they were before hits.py held them)
from corpus_search.search.hits import Hit, Snippet
from corpus_search.terminal import counted, json_dumps, not_found_line

if TYPE_CHECKING:
    from pathlib import Path


__all__ = ["REPR_ITEMS", "ExportReport", "FacetCounts", "Hit", "ListLike", "QueryTold",
           "SearchResults", "Snippet", "facet_rest", "listed"]

#: how many hits, lines or rows the repr of a result shows (a REPL or notebook prints it)
REPR_ITEMS = 10


def listed(head: str, items: Sequence[Any], line: Callable[[Any], str],
           told: QueryTold | SearchResults | None = None, said: Sequence[str] = ()) -> str:
    """The repr of a result: ``head``, then its first :data:`REPR_ITEMS` items a line each
    (how many more after them), the sentences ``said`` of them, then what ``told`` tells of
    the query (words no document holds, notes, why nothing matched). A dataclass's own repr
    printed every field of every item, a snippet as tuples of pieces: a wall of text for one
    search."""
    shown = [f"  {line(item)}" for item in items[:REPR_ITEMS]]
    if len(items) > REPR_ITEMS:
        shown.append(f"  ... and {len(items) - REPR_ITEMS} more")
    shown += [f"  ({sentence})" for sentence in said]
    if told is not None:
        if told.not_found:
            shown.append(f"  ({not_found_line(told.not_found, told.partly_found)})")
        shown += [f"  ({note})" for note in [*told.notes, *told.why_empty]]
    return "\n".join([head, *shown])


_Item = TypeVar("_Item")


class ListLike(Generic[_Item]):
    """A result that is, to Python, the list it holds (:meth:`_listed`: a search's hits, a
    concordance's lines, the rows of counts and trends, key terms): ``len()``, ``for``, and
    ``result[0]``, ``result[:3]`` as a list is indexed."""

    def _listed(self) -> list[_Item]:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._listed())

    def __iter__(self) -> Iterator[_Item]:
        return iter(self._listed())

    @overload
    def __getitem__(self, index: int) -> _Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[_Item]: ...

    def __getitem__(self, index: int | slice) -> _Item | list[_Item]:
        return self._listed()[index]


@dataclass(kw_only=True)
class QueryTold:
    """What a result made from a query's matches (a concordance, counts, key terms, an
    export) tells of the query, as a search's results do: the spelling help (the correction
    suggested, whether it was searched, the typed words no document holds), ``notes`` on how
    the query was read, the matches a date range left out for having no date (``None`` when
    no date range could: none set, or undated ones included), ``why_empty``: why no
    document matched, and ``related_only``: how many documents hold only a broader term the
    lexicon relates to a word of the query (Labour for "PLP"; ``None``: none), which a search
    ranks after the rest, but which hold no place of the query: a concordance gives them no
    line, counts and key terms leave them out, an export writes them (what search finds).

    The rest are the figures of the notes a count's matches give (a concordance's and key
    terms' too: :meth:`left_out` gives them as ``--json`` does), each note's sentence still
    among ``notes``: ``related_terms`` (the terms the ``related_only`` hold), the documents
    left out for writing a quoted phrase only inside another lexicon term
    (``phrase_inside``, in ``phrase_inside_terms``) or holding its words apart
    (``phrase_apart``), both ``None`` when no phrase is quoted, as a search's are; for
    writing a word or typed term only inside other terms (``word_inside``, in
    ``word_inside_terms``: Chancellor in "Lord Chancellor"), for holding only part of a
    name or multi-word term (``part_only``, of ``part_only_of``), for holding only what a
    fuzzy query's unmarked words leave out (``fuzzy_left_out``), for repeating another
    match's text (``copies_left_out``, with ``distinct``); the documents counted through
    narrower terms alone (``narrower_only``, in ``narrower_terms``: the NHS as "foundation
    hospitals"); the documents counted holding a word of the query only in other forms of
    its stem (``other_forms_only``, in ``other_forms``: governing, governance for
    "government"); a query of several plain words counting any of them (``any_words``: how
    many documents ``any`` of them, the ``phrase`` and ``all`` of them match); the words of
    a literal query a search reads as wildcards, looked for as written (``as_characters``:
    ``rat*``, :func:`~.literal.as_characters`); an index
    with no date to count by or sort by (``undated_index``); and the ``partly_found`` and
    ``boilerplate_words``, as a search's. A count of matches is ``None`` when none was left
    out."""

    suggestion: str | None = None
    suggestion_applied: bool = False
    not_found: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    undated_left_out: int | None = None
    why_empty: list[str] = field(default_factory=list)
    related_only: int | None = None
    related_terms: list[str] = field(default_factory=list)
    phrase_inside: int | None = None
    phrase_inside_terms: list[str] = field(default_factory=list)
    phrase_apart: int | None = None
    word_inside: int | None = None
    word_inside_terms: list[str] = field(default_factory=list)
    part_only: int | None = None
    part_only_of: list[str] = field(default_factory=list)
    fuzzy_left_out: int | None = None
    copies_left_out: int | None = None
    narrower_only: int | None = None
    narrower_terms: list[str] = field(default_factory=list)
    other_forms_only: int | None = None
    other_forms: list[str] = field(default_factory=list)
    any_words: dict[str, int] | None = None
    as_characters: list[str] = field(default_factory=list)
    undated_index: bool = False
    boilerplate_words: list[Any] = field(default_factory=list)
    partly_found: dict[str, list[str]] = field(default_factory=dict)

    def told(self) -> dict[str, Any]:
        """These as ``--json`` gives them: why nothing matched among the ``notes``."""
        return {"suggestion": self.suggestion, "suggestion_applied": self.suggestion_applied,
                "not_found": list(self.not_found), "notes": [*self.notes, *self.why_empty],
                "undated_left_out": self.undated_left_out, "related_only": self.related_only}

    def left_out(self) -> dict[str, Any]:
        """The notes' figures as ``count``, ``concordance`` and ``key-terms --json`` give
        them (after :meth:`told`'s fields), and ``why_empty`` apart, as a search's JSON."""
        return {name: _json_ready(getattr(self, name)) for name in _FIGURES}


@dataclass
class SearchResults(ListLike["Hit"]):
    """The outcome of a search: a page of hits plus totals, facets and a suggestion."""

    query: str
    page: int
    limit: int
    hits: list[Hit]
    #: the query with its misspelled words corrected, in the user's words and case
    suggestion: str | None = None
    #: whether the corrections are searched too (a corrected word was in no document)
    suggestion_applied: bool = False
    #: typed words no document holds, corrected or not ("Blare" of "Tony Blare", searched as
    #: Tony Blair; acronyms among them)
    not_found: list[str] = field(default_factory=list)
    #: what to know of how the query was read, one line each (``Blair~9`` searched with 2 edits)
    notes: list[str] = field(default_factory=list)
    #: of ``not_found``, the lexicon terms some of whose words documents hold, with those
    #: words as typed (``{"Sinn Féin": ["Sinn"]}``): what the hits match instead
    partly_found: dict[str, list[str]] = field(default_factory=dict)
    #: the words of a literal query a search reads as wildcards, looked for as written
    #: (``rat*``: :func:`~.literal.as_characters`), which a note names
    as_characters: list[str] = field(default_factory=list)
    _count: Callable[[], int] | None = field(default=None, repr=False)
    _parsed: Callable[[], str] | None = field(default=None, repr=False)
    _facets: Callable[[], FacetCounts] | None = field(default=None, repr=False)
    _undated: Callable[[], int] | None = field(default=None, repr=False)
    _phrase_count: Callable[[], int] | None = field(default=None, repr=False)
    _related_count: Callable[[], int] | None = field(default=None, repr=False)
    _phrase_inside: Callable[[], tuple[int, list[str]]] | None = field(default=None, repr=False)
    _nothing_matched: Callable[[], list[str]] | None = field(default=None, repr=False)
    _removed: Callable[[Sequence[str]], list[Any]] | None = field(default=None, repr=False)

    @cached_property
    def total(self) -> int:
        """How many documents match (counted on first use: counting costs a second pass)."""
        return self._count() if self._count else len(self.hits)

    @property
    def searched(self) -> str:
        """The query searched: the correction when it was searched in place of the query."""
        return self.suggestion if self.suggestion_applied and self.suggestion else self.query

    @property
    def pages(self) -> int:
        """How many pages of ``limit`` hits the matches fill (at least 1)."""
        return max(1, math.ceil(self.total / self.limit)) if self.limit else 1

    @cached_property
    def parsed_query(self) -> str:
        """The query as the engine understood it, after analysis."""
        return self._parsed() if self._parsed else ""

    @cached_property
    def facets(self) -> dict[str, dict[str, int]]:
        """Counts of all matching documents by ``source`` and ``party``, the most first, and
        by ``year``, in date order as :attr:`IndexStats.years` (by count, a chart of them put
        2024 before 2003)."""
        found = self._facet_counts[0]
        return {**found, "year": dict(sorted(found["year"].items()))}

    @cached_property
    def without_party(self) -> int:
        """How many of the matching documents name no party: the party facet's line for
        them (``no party``), since a document names any number of parties and the party
        counts add up to the total only by chance. 0 when none was counted (no facets)."""
        return self._facet_counts[1]

    @cached_property
    def _facet_counts(self) -> FacetCounts:
        return self._facets() if self._facets else ({"source": {}, "party": {}, "year": {}}, 0)

    @cached_property
    def undated_left_out(self) -> int | None:
        """How many documents matched but were left out by the date range for having no date;
        ``None`` when no date range left any out for that reason (none set, or
        ``include_undated``)."""
        return self._undated() if self._undated else None

    @cached_property
    def phrase_matches(self) -> int | None:
        """How many matches hold every quoted phrase of the query: the first that many in
        the ranking (the documents holding all the words of a phrase, not as the phrase,
        follow them); ``None`` for a query that quotes no phrase of two or more words, or
        whose syntax makes its phrases strict (operators, fields, slop)."""
        return self._phrase_count() if self._phrase_count else None

    @cached_property
    def phrase_inside(self) -> int:
        """How many matches ranked after those holding every quoted phrase write a phrase's
        words only inside another lexicon term ("home secretary" only in "Shadow Home
        Secretary"), not apart: a count leaves them out with a note of its own."""
        return self._inside_found[0]

    @cached_property
    def phrase_inside_terms(self) -> list[str]:
        """The lexicon terms the :attr:`phrase_inside` matches write a phrase's words inside,
        most held first, each in the form that holds them (``["Shadow Home Secretary"]``):
        what a count's note names."""
        return self._inside_found[1]

    @cached_property
    def _inside_found(self) -> tuple[int, list[str]]:
        return self._phrase_inside() if self._phrase_inside else (0, [])

    @property
    def phrase_apart(self) -> int | None:
        """How many matches ranked after those holding every quoted phrase hold its words
        apart: neither only inside another lexicon term (:attr:`phrase_inside`) nor only a
        related term (:attr:`related_only`); ``None`` when :attr:`phrase_matches` is. The
        three and :attr:`phrase_matches` add up to :attr:`total` (the query's other words
        alone, outside its quotes, count as apart)."""
        below = self._phrase_below()
        return None if below is None else below[1]

    def _phrase_below(self) -> tuple[int, int] | None:
        """Of the matches ranked after those holding every quoted phrase, less the
        :attr:`related_only`: how many write a phrase only inside another lexicon term, and
        how many hold its words apart (``None`` without :attr:`phrase_matches`)."""
        if self.phrase_matches is None:
            return None
        below = self.total - self.phrase_matches - (self.related_only or 0)
        inside = min(self.phrase_inside, below)
        return inside, below - inside

    @cached_property
    def boilerplate_words(self) -> list[Any]:
        """Of :attr:`not_found`, the words that stand in a line the index's folders removed
        from their documents as repeated boilerplate (a masthead, a footer), each a
        :class:`~corpus_search.boilerplate_words.RemovedWord` (the word, the line, how many
        documents had it, how many more such lines hold it): ``grep`` finds them in the
        files, and no document holds them. Empty when none is, or for results that are not
        an index's search (:meth:`ReadableIndex.search` tells its index's)."""
        return self._removed(self.not_found) if self._removed and self.not_found else []

    @cached_property
    def related_only(self) -> int | None:
        """How many matches hold none of the query's words nor their lexicon forms, only a
        broader term the lexicon relates to one of them (Blair for "Blairites": such
        documents rank, below those naming the Blairites, but do not name them); ``None``
        when no match is of that kind or the query has operators or other syntax."""
        found = self._related_count() if self._related_count else 0
        return found or None

    @cached_property
    def why_empty(self) -> list[str]:
        """Why this page has no hits, a sentence each: it is past the end, a filter keeps no
        document, the filters together keep none of the query's matches ("181 documents
        match Blair with no filter, but not one that is from the source BBC News"), or the
        query names dates in an index without any. Empty when there are hits."""
        if self.hits:
            return []
        if self.total:
            pages = counted(self.pages, "page")
            what = "documents" if self.query.strip() == "*" else "results"  # a listing
            return [f"Page {self.page} is past the end: {self.total} {what} fill {pages} "
                    f"of {self.limit}."]
        return self._nothing_matched() if self._nothing_matched else []

    def __getstate__(self) -> dict[str, Any]:
        """Everything counted now and the counting left behind, so that results pickle (sent
        from a worker process, kept by a cache): the counting holds the searcher, and raised
        "Can't pickle local object"."""
        for name in _COUNTED:
            getattr(self, name)
        return {name: (None if name.startswith("_") else value)
                for name, value in self.__dict__.items()}

    def _listed(self) -> list[Hit]:
        return self.hits

    def __repr__(self) -> str:
        searched = f" searched as {self.searched!r}" if self.searched != self.query else ""
        head = (f"SearchResults({self.query!r}{searched}: "
                f"{counted(self.total, 'document')}, page {self.page} of {self.pages})")

        def line(hit: Hit) -> str:
            date = f" {hit.shown_date}" if hit.date else ""
            score = f" ({hit.score:.2f})" if hit.score is not None else ""
            return f"{hit.rank}. {hit.id}{date} {hit.title!r}{score}"

        left_out = self.undated_left_out
        said = [] if not left_out else [
            f"{left_out} matching document{'s have' if left_out != 1 else ' has'} no date and "
            f"{'were' if left_out != 1 else 'was'} left out; include_undated=True keeps "
            f"{'them' if left_out != 1 else 'it'}"]
        return listed(head, self.hits, line, self, said)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON schema (see docs/user-guide.md, "JSON output")."""
        below = self._phrase_below()
        return {
            "schema": "corpus-search/results/v1",
            "query": self.query,
            "parsed_query": self.parsed_query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "suggestion": self.suggestion,
            "suggestion_applied": self.suggestion_applied,
            "not_found": list(self.not_found),
            "partly_found": {term: list(words) for term, words in self.partly_found.items()},
            "boilerplate_words": [asdict(found) for found in self.boilerplate_words],
            "notes": [*self.notes, *self.why_empty],
            "why_empty": list(self.why_empty),
            "undated_left_out": self.undated_left_out,
            "phrase_matches": self.phrase_matches,
            "phrase_inside": None if below is None else below[0],
            "phrase_inside_terms": list(self.phrase_inside_terms),
            "phrase_apart": self.phrase_apart,
            "related_only": self.related_only,
            "as_characters": list(self.as_characters),
            "facets": self.facets,
            "without_party": self.without_party,
            "hits": [h.to_dict() for h in self.hits],
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON; control characters and bidirectional overrides from the
        documents are ``\\uXXXX`` escapes (see
        :func:`corpus_search.terminal.json_dumps`)."""
        return json_dumps(self.to_dict(), **kwargs)


#: the fields :meth:`QueryTold.left_out` gives, in order
_FIGURES = ("why_empty", "partly_found", "boilerplate_words", "related_terms", "phrase_inside",
            "phrase_inside_terms", "phrase_apart", "word_inside", "word_inside_terms",
            "part_only", "part_only_of", "narrower_only", "narrower_terms", "other_forms_only",
            "other_forms", "fuzzy_left_out", "copies_left_out", "any_words", "as_characters",
            "undated_index")


def _json_ready(value: Any) -> Any:
    """A figure of :meth:`QueryTold.left_out` as JSON holds it: a list copied (a removed
    boilerplate word as its fields, as a search's JSON gives it), a mapping copied."""
    if isinstance(value, list):
        return [asdict(one) if is_dataclass(one) else one for one in value]
    return dict(value) if isinstance(value, dict) else value


#: what :class:`SearchResults` counts when first asked
_COUNTED = ("total", "parsed_query", "facets", "without_party", "undated_left_out",
            "phrase_matches", "phrase_inside", "phrase_inside_terms", "related_only",
            "why_empty", "boilerplate_words")

#: what a search's facets count: each facet's values (``{"source": {...}, "party": {...},
#: "year": {...}}``), and how many of the matches name no party
FacetCounts = tuple[dict[str, dict[str, int]], int]


def facet_rest(name: str, values: Mapping[str, int], total: int,
               without_party: int | None = None) -> tuple[str, int] | None:
    """The line under a facet's ``values`` for the ``total`` documents none of them counts,
    or None: ``("no date", n)`` under the years (even when no document has a date: on the BBC
    corpus the years alone were no line at all), ``("no source", n)`` under the sources once
    some have one (BBC: "BBC News 4" alone read as if the other 2,221 were someone else's),
    ``("no party", without_party)`` under the parties once some are named (a document names
    any number of parties, so that count is no sum's rest: :attr:`SearchResults.without_party`
    counts it; the party lines of 4 results had been "Labour 2, Conservative 1, Liberal
    Democrat 1", the fourth result naming none). What ``stats``, ``search --facets`` and the
    web's lists of results show."""
    if name == "party":
        return ("no party", without_party) if without_party and values else None
    rest = total - sum(values.values())
    if rest <= 0 or (name == "source" and not values) or name not in ("year", "source"):
        return None
    return ("no date" if name == "year" else "no source", rest)


@dataclass
class ExportReport(QueryTold):
    """What an export wrote: ``documents`` of them, in ``format``, to ``path`` (``None`` for a
    stream). The spelling fields, ``notes``, ``undated_left_out`` and ``why_empty`` are the
    search's (:class:`SearchResults`). ``uncounted`` is how many of the documents
    a count of the query leaves out (``None``: none), which the export writes as search
    finds them: those holding only a quoted phrase's words apart, some words of a name or a
    multi-word lexicon term, or only a term the lexicon relates to the query (the
    ``related_only``, among them); with ``counted``, the export left them out. ``matching``
    is how many it writes, known before any is (the search's total; with ``counted``, the
    count's), ``documents`` fewer with ``distinct``: none, and the spelling help and
    ``why_empty`` say why (what a download's headers say before its rows)."""

    query: str
    format: str
    path: Path | None
    documents: int = 0
    matching: int = 0
    uncounted: int | None = None
    counted: bool = False

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "a stream"
        head = (f"ExportReport({self.query!r}: "
                f"{counted(self.documents, 'document')} to {where} as {self.format})")
        return listed(head, [], str, self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields (``path`` as text), with the spelling help and notes."""
        return {"query": self.query, "format": self.format,
                "path": str(self.path) if self.path is not None else None,
                "documents": self.documents, "matching": self.matching, **self.told(),
                "uncounted": self.uncounted,
                "counted": self.counted}
