"""The query as the engine understood it, in a form a reader can check ("understood as")."""

from __future__ import annotations

import re
from collections.abc import Mapping

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


def body_only(q: query.Query, boosts: Mapping[str, float]) -> query.Query:
    """What of ``q``, a query searched over several fields, :func:`render_query` shows: the
    body's part. A clause of another field is left out where the same clause of the body
    stands beside it, each at its field's weight (``boosts``: ``title:w^1.25 OR w``, a word
    read over the fields); a field typed (``title:budget``) has no such twin, and stays.

    The query shown is the query searched: it had been parsed again, for the body alone
    (a second parse of the whole query, on first asking)."""
    if q.is_leaf():
        return q
    if type(q) not in (query.Or, query.And):
        return q.apply(lambda sub: body_only(sub, boosts))
    subs = q.subqueries
    twins = {_shape(s, boosts) for s in subs if _fields(s) == {"body"}}
    kept = [body_only(s, boosts) for s in subs if not (_other_field(s, boosts)
                                                       and _shape(s, boosts) in twins)]
    return type(q)(kept, boost=q.boost).normalize()


def _other_field(q: query.Query, boosts: Mapping[str, float]) -> bool:
    """Are ``q``'s clauses all of fields a word is read over (``boosts``), none the body?"""
    fields = _fields(q)
    return "body" not in fields and fields <= set(boosts)


def _fields(q: query.Query) -> set[str | None]:
    if q.is_leaf():
        return {getattr(q, "fieldname", None)}
    return {f for sub in q.children() for f in _fields(sub)}


def _shape(q: query.Query, boosts: Mapping[str, float]) -> tuple[object, ...]:
    """``q`` whatever field its clauses search, each weight taken as a share of its field's."""
    if not q.is_leaf():
        return (type(q).__name__, q.boost, tuple(_shape(sub, boosts) for sub in q.children()))
    field = getattr(q, "fieldname", None)
    text = str(q.with_boost(1.0))
    if field:
        text = text.replace(f"{field}:", "")
    return (type(q).__name__, text, round(q.boost / boosts.get(field, 1.0), 9))


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
    """Every document as ``*``; a phrase or sequence whose words may stand apart (``~N``: a
    slop above 1) printed with its distance; a wildcard's terms, unweighted, as one list of
    the words they stand for (``fee*``: ``(fee OR fees OR feed OR feeding ...)``, not each
    stem's words bracketed); a date range as the days it covers (``date:2005-02-15``:
    ``date:[2005-02-15 TO 2005-02-15]``), not the clauses that keep a month holding one of
    them (search.ranges, the only maker of a constant score in a parsed query)."""
    if isinstance(q, query.Every) and q.fieldname is None:  # ("**": Whoosh prints None:*)
        return _Shown("*" if q.boost == 1 else f"*^{q.boost}")
    if isinstance(q, query.ConstantScoreQuery) and type(q.child) is query.Or:
        days = q.child.subqueries[0].with_boost(q.score)
        return _Shown(str(days)) if isinstance(days, query.NumericRange) else q
    slop = getattr(q, "slop", 1)
    if isinstance(q, query.Phrase | query.Sequence) and slop > 1:
        return _Shown(f"{q}~{slop}")
    subs = getattr(q, "subqueries", None)
    if type(q) is query.Or and q.boost == 1 and subs and all(
            isinstance(t, ExpandedTerm) and t.boost == 1 for t in subs):
        words = [str(query.Term(t.fieldname, w)) for t in subs for w in t.shown or (t.text,)]
        return _Shown(f"({' OR '.join(words)})")
    return q

