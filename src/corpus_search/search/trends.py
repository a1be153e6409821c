"""Several queries counted side by side by year, month, source or party: how the coverage of
one subject rose as another's fell ("the NHS, immigration and tuition fees, month by month").

Each query's column is exactly what :func:`~.counting.count_matches` counts for it (same
filters, same spelling help, same notes): every query is counted by
:func:`~.counting.counted` over one searcher, so the rows are of the same documents, and the
table lines them up on the same years, months, sources or parties. Compare shares rather
than counts: a month with twice the articles has twice the matches of anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from corpus_search.errors import QueryError
from corpus_search.search.bars import bar_length, bar_scale, full_bar_note
from corpus_search.search.counting import (
    CountRow,
    Counts,
    chart,
    check_by,
    counted,
    joined,
    nothing_to_draw,
    period_ticks,
    undated_notes,
)
from corpus_search.search.filters import SearchFilters
from corpus_search.search.lexicon_spans import terms_across
from corpus_search.search.matching import Matches
from corpus_search.search.ranking import RANKING, Ranking
from corpus_search.search.results import ListLike, listed
from corpus_search.search.state import SearchSource
from corpus_search.terminal import counted as in_words  # (counted: counting's)

__all__ = ["MAX_QUERIES", "TrendRow", "Trends", "trends"]

#: the most queries one table compares (beyond it, a terminal's columns and a chart's
#: colours run out)
MAX_QUERIES = 8

@dataclass(frozen=True)
class TrendRow:
    """One year, month, source or party: all its documents (those the filters keep) and each
    query's :class:`~.counting.CountRow` for it, in the order of the queries."""

    value: str
    documents: int
    counts: tuple[CountRow, ...]

    @property
    def matching(self) -> tuple[int, ...]:
        """How many of the value's documents each query matches."""
        return tuple(row.matching for row in self.counts)

    @property
    def shares(self) -> tuple[float, ...]:
        """The share of the value's documents each query matches, 0 for a period that holds
        no document (for a chart's scale; each query's :attr:`CountRow.share
        <.counting.CountRow.share>`, and the CSV and JSON, say ``None`` there)."""
        return tuple(row.share or 0.0 for row in self.counts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``value``, ``documents``, and ``matching`` and ``share`` as lists in
        the order of the queries (``share`` as :meth:`CountRow.to_dict <.counting.CountRow.
        to_dict>` gives it: ``None`` for a period that holds no document). :meth:`Trends.
        to_dict` keys them by query."""
        return {"value": self.value, "documents": self.documents,
                "matching": list(self.matching),
                "share": [row.to_dict()["share"] for row in self.counts]}


@dataclass
class Trends(ListLike[TrendRow]):
    """The queries' counts (:attr:`counts`, one :class:`~.counting.Counts` each, with what it
    tells of its query: spelling help, notes, why nothing matched) and :attr:`rows`, lined up:
    years and months in date order, every one from the first to the last that holds a
    document; sources and parties most matches of all the queries first. :attr:`notes` say
    which queries, read differently, match the same documents (their columns are the same)."""

    by: str
    counts: list[Counts] = field(default_factory=list)
    rows: list[TrendRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def queries(self) -> list[str]:
        """The queries, as typed, in the order given (the order of each row's counts)."""
        return [one.query for one in self.counts]

    @property
    def searched(self) -> list[str]:
        """Each query as counted: its spelling correction when that was counted, as typed
        otherwise (what a table's column is headed with)."""
        return [one.suggestion if one.suggestion_applied and one.suggestion else one.query
                for one in self.counts]

    @property
    def matched(self) -> bool:
        """Whether any query matched a document."""
        return any(one.total for one in self.counts)

    def unmatched(self) -> list[tuple[list[str], tuple[str, ...]]]:
        """The queries that match nothing (as :attr:`searched`) with why, those with the same
        reasons together: a filter that keeps no document is why for every query, to be
        said once, not once a query."""
        told: dict[tuple[str, ...], list[str]] = {}
        for one, searched in zip(self.counts, self.searched, strict=True):
            if not one.total:
                told.setdefault(tuple(one.why_empty), []).append(searched)
        return [(queries, reasons) for reasons, queries in told.items()]

    def joined(self) -> list[tuple[str, TrendRow | None]]:
        """The rows to show a reader: a run of periods holding no document at all is one
        ``("2006 - 2016", None)``, as :meth:`Counts.joined` shows them."""
        return joined(self.rows)

    def bar(self, one: CountRow) -> float:
        """How long one query's bar in a row (``one``, of :attr:`TrendRow.counts`) is, as a
        part of a full bar (0 to 1), by the rule of :meth:`Counts.bar`, every query on one
        :attr:`scale`: a query twice as common as another has bars twice as long."""
        return bar_length(one.share, self.scale)

    @cached_property
    def scale(self) -> float:
        """The share a full bar stands for: :func:`~.bars.bar_scale` of the largest share of
        any query (worked out once: a table's every bar asks it)."""
        return bar_scale(max((share for row in self.rows for share in row.shares),
                             default=0.0))

    def full_bar(self) -> str | None:
        """The table's scale in words (``a full bar is 2% of a party's documents``)."""
        return full_bar_note(self.scale, self.by)

    def _listed(self) -> list[TrendRow]:
        return self.rows

    def __repr__(self) -> str:
        totals = ", ".join(f"{query!r} {one.total}"
                           for query, one in zip(self.searched, self.counts, strict=True))
        head = f"Trends(by {self.by}: matching documents {totals})"

        def line(joined: tuple[str, TrendRow | None]) -> str:
            value, row = joined
            if row is None:
                return f"{value}: no documents"
            cells = ", ".join(
                f"{query} {one.matching} ({100 * one.share:.1f}%)"
                for query, one in zip(self.searched, row.counts, strict=True))
            documents = in_words(row.documents, "document")
            return f"{value} ({documents}): {cells}"

        unmatched = [f"  (No documents match {', '.join(queries)}"
                     f"{': ' + ' '.join(reasons) if reasons else '.'})"
                     for queries, reasons in self.unmatched()]
        return "\n".join([listed(head, self.joined(), line), *unmatched])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``queries`` (each as ``count --json`` gives it, without its rows) and
        ``rows``, each with ``matching`` and ``share`` keyed by query."""
        return {
            "by": self.by,
            "notes": list(self.notes),
            "queries": [{key: value for key, value in one.to_dict().items()
                         if key not in ("by", "rows")} for one in self.counts],
            "rows": [{**data, "matching": dict(zip(self.queries, data["matching"], strict=True)),
                      "share": dict(zip(self.queries, data["share"], strict=True))}
                     for data in (row.to_dict() for row in self.rows)],
        }

    def plot(self, path: str | Path) -> Path:
        """Draw the shares into ``path`` (PNG, SVG or PDF, by its suffix) with matplotlib
        (the ``plot`` extra): for years and months a line per query of the share of each
        period's documents it matches (a gap where a period holds none), for sources and
        parties a group of bars per value."""
        if not self.rows:
            raise nothing_to_draw(path, self.by, [b for one in self.counts for b in one.otherwise])
        labels = [row.value for row in self.rows]
        queries = self.queries
        # (a bar per query and value, down the side: a 15 parties by 4 queries chart was 21
        # inches wide and 4 tall, its 60 bars a few pixels each)
        down = 0 if self.by in ("year", "month") else len(labels) * len(queries)
        with chart(path, len(labels), f"{', '.join(queries)} by {self.by}",
                   bars_down=down) as axes:
            if self.by in ("year", "month"):
                for n, query in enumerate(queries):
                    axes.plot(labels, [100 * row.shares[n] if row.documents else math.nan
                                       for row in self.rows], label=query,
                              marker="o", markersize=5 if len(labels) < 40 else 2)
                period_ticks(axes, labels)
                axes.set_ylabel("% of the period's documents")
                axes.set_ylim(bottom=0)
            else:
                height = 0.8 / len(queries)
                places = range(len(labels))[::-1]  # (the first value at the top)
                for n, query in enumerate(queries):
                    axes.barh([place + 0.4 - height * (n + 0.5) for place in places],
                              [100 * row.shares[n] for row in self.rows], height=height,
                              label=query)
                axes.set_yticks(list(places), labels)
                axes.set_xlabel(f"% of the {self.by}'s documents")
            axes.legend(loc="upper left", bbox_to_anchor=(1, 1))  # (beside, not over)
        return Path(path).expanduser()


def trends(
    index: SearchSource,
    queries: list[str] | tuple[str, ...],
    *,
    by: str = "year",
    filters: SearchFilters | dict[str, Any] | None = None,
    correct: bool = True,
    literal: bool = False,
    ranking: Ranking = RANKING,
    distinct: bool = False,
    match_case: bool = False,
) -> Trends:
    """Count each of ``queries`` (1 to :data:`MAX_QUERIES`, each once; ``"*"``: every
    document the filters keep) by ``by`` (one of :data:`~.counting.COUNT_BY`), lined up.
    One query gives what :func:`~.counting.count_matches` gives. ``filters`` and ``correct``
    are those of :func:`~.execute.search`; each query has a time budget of its own;
    ``distinct`` counts each text once, and ``match_case`` each word in the case typed
    (literal), as :func:`~.counting.count_matches` does.

    Two queries read as the same query (``Labor`` and ``labour``, or ``Blare`` counted as
    ``Blair`` beside ``Blair``) are a :class:`QueryError`: their columns could only be the
    same. Two read differently that match the same documents (``Labour``, which also looks
    for the party's full name, and ``labour``) are counted, with a note saying so."""
    texts = _checked(queries)
    check_by(by)
    with index.guard():
        flt = SearchFilters.coerce(filters)
        searcher = index.searcher(ranking)
        found = [counted(index, searcher, text, by, flt, ranking, correct,
                         literal or match_case, distinct, match_case) for text in texts]
        counts = [one for one, _matches in found]
        undated = undated_notes(index, by, sum(one.total for one in counts))
    return Trends(by=by, counts=counts, rows=_lined_up(by, counts),
                  notes=[*_terms_apart(texts, index), *_same_documents(
                      counts, [matches for _counts, matches in found]), *undated])


def _terms_apart(texts: list[str], index: SearchSource) -> list[str]:
    """A note for each run of queries that together type a lexicon term: ``trends Lib Dems
    Labour`` typed unquoted compared "Lib", "Dems" and "Labour", and nothing said so."""
    notes = []
    for first, last in terms_across(texts, index.lexicon):
        parts = [" ".join(t.split()) for t in texts[first:last + 1]]
        term = " ".join(parts)
        notes.append(f"{', '.join(parts[:-1])} and {parts[-1]} are counted as "
                     f"{len(parts)} queries; together they are the term {term}: to count it "
                     f"as one, give it as one query (quoted: '{term}').")
    return notes


def _checked(queries: object) -> list[str]:
    """``queries`` as a list, or the :class:`QueryError` saying what is wrong with them."""
    if isinstance(queries, str) or not isinstance(queries, list | tuple):
        raise QueryError(f"queries must be a list of queries (one query: [{queries!r}]), not "
                         f"{queries!r}.")
    if not queries:
        raise QueryError("Trends need a query, or several to compare.")
    if len(queries) > MAX_QUERIES:
        raise QueryError(f"Trends compare at most {MAX_QUERIES} queries at once, not "
                         f"{len(queries)}.")
    seen: dict[str, str] = {}
    for n, text in enumerate(queries, 1):
        if not isinstance(text, str):
            raise QueryError(f"Each query must be text, not {text!r}.")
        if not text.strip():
            raise QueryError(f"Query {n} of {len(queries)} is empty: each query needs words, "
                             "or * for every document.")
        same = " ".join(text.split())
        if same in seen:
            raise QueryError(f"{same} is given twice: each query is one column, so "
                             "give it once.")
        seen[same] = text
    return list(queries)


def _same_documents(counts: list[Counts], found: list[Matches]) -> list[str]:
    """A note for each query matching the same documents as one before it (none for
    queries matching nothing: why is told for each); a :class:`QueryError` for a query
    read as the same query as one before it (after its spelling correction)."""
    earlier = list(zip(counts, found, strict=True))
    for n, (one, matches) in enumerate(earlier):
        for other, before in earlier[:n]:
            if matches.query == before.query:
                raise QueryError(f"{_as_counted(one)} is the same query as "
                                 f"{_as_counted(other)}: each query is one column, so "
                                 "give it once.")
    notes = []
    for n, (one, matches) in enumerate(earlier):
        same = next((other for other, before in earlier[:n]
                     if one.total and np.array_equal(matches.matching, before.matching)), None)
        if same is not None:
            notes.append(f"{one.query} matches the same {one.total} "
                         f"{'document' if one.total == 1 else 'documents'} as "
                         f"{same.query}: their columns are the same.")
    return notes


def _as_counted(one: Counts) -> str:
    """A query as typed, and as counted when its spelling correction was."""
    if one.suggestion_applied and one.suggestion:
        return f"{one.query} (counted as {one.suggestion})"
    return one.query


def _lined_up(by: str, counts: list[Counts]) -> list[TrendRow]:
    """The queries' rows, one per value: the same values for every query (they are the
    values holding a document the filters keep); years and months in count's order,
    sources and parties most matches of all first (then most documents, then by name)."""
    each = [{row.value: row for row in one.rows} for one in counts]
    rows = [TrendRow(row.value, row.documents, tuple(of[row.value] for of in each))
            for row in counts[0].rows]
    if by not in ("year", "month"):
        rows.sort(key=lambda r: (-sum(r.matching), -r.documents, r.value))
    return rows
