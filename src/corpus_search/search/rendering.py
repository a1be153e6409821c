"""The query as the engine understood it, in a form a reader can check ("understood as")."""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import DATETIME, Schema
from whoosh.util.times import long_to_datetime

from corpus_search.search.expansions import ExpandedTerm

#: a range of a numeric field as Whoosh prints it: ``date:[63240134400000000 TO ]``
_NUMERIC_RANGE = re.compile(r"\b(\w+):([\[{])(\d*) TO (\d*)([\]}])")


def render_query(q: query.Query, schema: Schema) -> str:
    """A compact, readable form of a body-only query: no ``body:`` prefixes, no boosts of
    one, a phrase's distance as typed (``"hung parliament"~3``: Whoosh prints none) and a
    date range in dates (Whoosh prints the numbers it stores for them)."""
    text = str(q.accept(_slop_shown)).replace("body:", "")
    text = re.sub(r"\^1\.0\b", "", text)

    def dates(match: re.Match[str]) -> str:
        name, opening, start, end, closing = match.groups()
        if not (name in schema and isinstance(schema[name], DATETIME)):
            return match.group(0)
        first = _day(start) if start else ""
        last = _day(end) if end else ""
        return f"{name}:{opening}{first} TO {last}{closing}"

    return _NUMERIC_RANGE.sub(dates, text)


def _day(number: str) -> str:
    """The day a stored date number falls on (a range's ends are a day's first or last
    instant), or the number itself if it is none."""
    try:
        return long_to_datetime(int(number)).date().isoformat()
    except (OverflowError, ValueError):
        return number


class _Shown(query.Query):
    """A query node as :func:`render_query` prints it (only printed, never searched)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    __unicode__ = __str__

    def is_leaf(self) -> bool:
        return True


def _slop_shown(q: query.Query) -> query.Query:
    """A phrase or sequence whose words may stand apart (``~N``: a slop above 1) printed with
    its distance; a wildcard's terms, unweighted, as one list of the words they stand for
    (``fee*``: ``(fee OR fees OR feed OR feeding ...)``, not each stem's words bracketed)."""
    slop = getattr(q, "slop", 1)
    if isinstance(q, query.Phrase | query.Sequence) and slop > 1:
        return _Shown(f"{q}~{slop}")
    subs = getattr(q, "subqueries", None)
    if type(q) is query.Or and q.boost == 1 and subs and all(
            isinstance(t, ExpandedTerm) and t.boost == 1 for t in subs):
        words = [str(query.Term(t.fieldname, w)) for t in subs for w in t.shown or (t.text,)]
        return _Shown(f"({' OR '.join(words)})")
    return q

