"""Why a page of results is empty, as sentences a reader can act on.

A search that finds nothing is a dead end unless it says why: the page is past the end, a
filter keeps no document, the filters together keep none of the documents the query
matches, or the query names dates in an index that has none. The library gives the reasons
(:attr:`SearchResults.why_empty <corpus_search.search.results.SearchResults.why_empty>`);
the CLI prints them and its JSON keeps them among the ``notes``.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace

from corpus_search.errors import Note
from corpus_search.search.date_values import names_a_date_field
from corpus_search.search.filters import (
    SearchFilters,
    canonical_party,
    dated_years,
    parties_meant,
    party_known_as,
)
from corpus_search.search.ids import names_a_document
from corpus_search.search.ranking import every_document
from corpus_search.search.state import SearchSource
from corpus_search.store.collection import indexes_within

__all__ = ["why_nothing_matched"]


def why_nothing_matched(
    index: SearchSource,
    query: str,
    filters: SearchFilters,
    count_unfiltered: Callable[[], int],
    count_within: Callable[[SearchFilters], int] | None = None,
) -> list[str]:
    """Why ``query`` (``"*"``: browsing) with ``filters`` matched no document of ``index``;
    ``count_unfiltered`` counts the query's matches with no filter (asked only when each
    filter on its own keeps some documents), ``count_within`` those within other filters:
    with it, a party filter that keeps none of the matches is told the parties it may have
    meant that keep some (:func:`~corpus_search.search.filters.parties_meant`: "did you mean
    Liberal Democrat?" for Liberal). An index that holds no document at all says so first:
    ``CorpusIndex(path)`` makes an empty one at a mistyped path, which only said that no
    document holds the words."""
    if not index.searcher().doc_count():
        return [_holds_nothing(index)]
    if names_a_date_field(query) and not dated_years(index):
        return ["No document in this index has a date, so date: and year: match none "
                "(ingest.md says where dates come from)."]
    typed = query.strip()
    if filters.is_empty() and names_a_document(index.searcher(), typed):
        told = f"{typed} is the id of a document: "
        found = f", or search for it with id:{typed}."
        return [Note(f"{told}get it with get({typed!r}){found}",
                     f"{told}show it with corpus-search show {shlex.quote(typed)}{found}")]
    if filters.is_empty():
        return []
    reasons = filters.unmatched(index)
    if reasons:
        return reasons
    if not query.strip() or every_document(query):
        return [f"Each filter keeps some documents, but no document {filters.describe(index)}."]
    unfiltered = count_unfiltered()
    if not unfiltered:
        return []
    documents, verb = ("document", "matches") if unfiltered == 1 else ("documents", "match")
    meant = _parties_meant(index, filters, count_within) if count_within is not None else "."
    return [f"{unfiltered} {documents} {verb} {query} with no filter, but not one "
            f"that {filters.describe(index)}{meant}"]


def _holds_nothing(index: SearchSource) -> str:
    """The sentence on an index (or every index of a ``MultiIndex``) that holds nothing."""
    paths = [str(one.path) for one in indexes_within(index)]
    if len(paths) > 1:
        return (f"None of the indexes at {', '.join(paths)} holds a document: nothing has been "
                "indexed into them. Are they the indexes you meant?")
    said = f"The index at {paths[0]} holds no documents: nothing has been indexed into it ("
    meant = "). Is it the index you meant?"
    return Note(f"{said}index_directory(FOLDER){meant}",
                f"{said}corpus-search index FOLDER --index {shlex.quote(paths[0])}{meant}")


def _parties_meant(index: SearchSource, filters: SearchFilters,
                   count_within: Callable[[SearchFilters], int]) -> str:
    """The end of the sentence on a party filter that keeps none of a query's matches: the
    party it keeps told apart, and the parties it may have meant that keep some, with how
    many of the matches each keeps ("." when there is none)."""
    if not filters.party:
        return "."
    keeping = [(party, n) for party in parties_meant(filters.party, index)
               if (n := count_within(replace(filters, party=party)))]
    if not keeping:
        return "."
    party = canonical_party(filters.party, index)
    kept_as = party_known_as(party, index)
    told = f"; {party} is the {kept_as}:" if kept_as else ";"
    named = [f"{meant} ({n} of them)" for meant, n in keeping]
    either = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} or {named[-1]}"
    return f"{told} did you mean {either}?"
