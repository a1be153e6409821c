"""Ranges in a query as a person types them: an end left open with a space
(``date:[2004 TO ]``), the excluded ends of a date range (``date:>2005``), a date
searched by the rule of ``--since``/``--until`` (a month holding any day of it is in it),
and a range of words held to the cap on a wildcard's words (``[a TO z]``)."""

from __future__ import annotations

import re
from typing import Any

from whoosh import query
from whoosh.fields import DATETIME
from whoosh.qparser import Plugin, RangePlugin
from whoosh.qparser import syntax as qsyntax
from whoosh.util.times import long_to_datetime

from corpus_search.errors import PatternTooBroad
from corpus_search.search import spelling
from corpus_search.search.field_held import BoostScored
from corpus_search.search.filters import dated_within

__all__ = [
    "DateNode", "DateRangeNode", "DateRangesPlugin", "DatedDays", "OpenRangePlugin",
    "WordRangeNode",
]


class OpenRangePlugin(RangePlugin):
    """Ranges as Whoosh reads them, except that an end left open with a space
    (``date:[2004 TO ]``, ``[ TO 2005]``) is open, as without the space; Whoosh kept the
    space as the end's value, failed to read it as a date and searched the range's words."""

    class RangeTagger(RangePlugin.RangeTagger):
        def create(self, parser: Any, match: re.Match[str]) -> Any:
            node = super().create(parser, match)
            node.start = node.start.strip() or None if node.start else None
            node.end = node.end.strip() or None if node.end else None
            return node


class DateRangeNode(qsyntax.RangeNode):
    """A range over a date field with its excluded ends excluded. Whoosh's date field ignores
    them, so ``date:>2005`` searched 2005 itself and ``date:<2005-03`` March: a period left
    out ends (or starts) where the excluded date's whole year, month or day does."""

    def query(self, parser: Any) -> query.Query:
        q = super().query(parser)
        if type(q) is not query.NumericRange or not (self.startexcl or self.endexcl):
            return _as_dates(q)
        field, start, end = parser.schema[self.fieldname], q.start, q.end
        if self.startexcl and self.start is not None:
            start = field.parse_query(self.fieldname, self.start).end + 1
        if self.endexcl and self.end is not None:
            end = field.parse_query(self.fieldname, self.end).start - 1
        return _as_dates(query.NumericRange(self.fieldname, start, end, boost=q.boost))


class WordRangeNode(qsyntax.RangeNode):
    """A range over a field of words (``[a TO c]``, ``title:[budget TO cut]``): the indexed
    words between its ends, each searched, so refused past
    :data:`~corpus_search.search.spelling.MAX_PATTERN_WORDS` words as a wildcard is.
    Whoosh searched them all: ``[a TO z]``, every word of the index, took 6 s on BBC."""

    def query(self, parser: Any) -> query.Query:
        q = super().query(parser)
        if type(q) is not query.TermRange or not parser.schema[q.fieldname].scorable:
            return q  # (ids and other unscored fields: a range of them costs a mask)
        limit = spelling.MAX_PATTERN_WORDS
        count = sum(1 for _ in q.expanded_terms(parser.index.searcher().reader()))
        if count > limit:
            typed = f"{'{' if self.startexcl else '['}{self.start or ''} TO {self.end or ''}" \
                    f"{'}' if self.endexcl else ']'}"
            raise PatternTooBroad(typed, count, limit, "Make the range narrower.")
        return q


class DateNode(qsyntax.WordNode):
    """One date of the date field (``date:2005-02-15``), searched as the range of its days
    is (:func:`_as_dates`)."""

    def query(self, parser: Any) -> query.Query:
        return _as_dates(super().query(parser))


def _as_dates(q: query.Query) -> query.Query:
    """A range of the ``date`` field as ``--since``/``--until`` keep documents
    (:func:`~corpus_search.search.filters.dated_within`): ``date:2005-02-15`` finds the
    document dated February 2005, as ``--since 2005-02-15 --until 2005-02-15`` does; the
    range's documents all score its boost, as they did before (one clause, not three)."""
    if type(q) is not query.NumericRange or q.fieldname != "date":
        return q
    start, end = (None if n is None else long_to_datetime(n) for n in (q.start, q.end))
    dated = dated_within(start, end)
    return q if type(dated) is not query.Or else DatedDays(dated, q.boost)


class DatedDays(BoostScored):
    """The documents of a date range (its days, and the months and years holding them),
    each scoring the range's boost: a constant-score query with Whoosh's ``boost``, which a
    boosted group pushes down onto its clauses (``(date:2005-02 OR Labour)^3`` raised in
    Whoosh's ``normalize`` and was read as words, "date" and "2005" among them)."""


class DateRangesPlugin(Plugin):
    """Ranges over date fields read by :class:`DateRangeNode` (``>``, ``<``, ``{``, ``}``),
    dates by :class:`DateNode`, and other ranges by :class:`WordRangeNode`, once field
    names are in place (after Whoosh's fields filter, priority 100)."""

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self._dated, 110)]

    def _dated(self, parser: Any, group: Any) -> Any:
        for node in group:
            if isinstance(node, qsyntax.GroupNode):
                self._dated(parser, node)
            elif (type(node) is qsyntax.RangeNode and node.fieldname in parser.schema
                  and isinstance(parser.schema[node.fieldname], DATETIME)):
                node.__class__ = DateRangeNode
            elif type(node) is qsyntax.RangeNode:
                node.__class__ = WordRangeNode
            elif type(node) is qsyntax.WordNode and node.fieldname == "date":
                node.__class__ = DateNode
        return group
