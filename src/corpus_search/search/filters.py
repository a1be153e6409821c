"""Search filters (:class:`SearchFilters`): dates, parties, sources, years, as Whoosh
queries; party and source names matched to the values the index holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import Any

from whoosh import query

from corpus_search.analysis.analyzer import parties_in
from corpus_search.analysis.lexicon import bare_form
from corpus_search.errors import QueryError
from corpus_search.ingest.model import true_or_false, type_name
from corpus_search.ingest.shown_dates import iso_at_precision
from corpus_search.search.state import SearchSource

__all__ = ["SearchFilters", "dated_within", "held_fields", "parties_meant", "party_known_as",
           "values_begun", "values_matching"]


#: the filters meant by names a hit's fields or a query's syntax suggest ("parties", as
#: ``Hit.parties``; "year", as ``year:2005``): the unknown filter's error names them
_MEANT = {
    "parties": "a party: party='Labour'", "sources": "a source: source='BBC News'",
    "year": "a year: since='2005', until='2005'", "date": "dates: since=..., until=...",
    "from": "dates: since=..., until=...", "to": "dates: since=..., until=...",
}


@dataclass(frozen=True)
class SearchFilters:
    """Restrict results by party mentioned, source, or date range (inclusive).

    ``since`` and ``until`` take dates or the text forms documents may state (``2005-03-21``,
    ``21/03/2005``, ``21 March 2005``, ``March 2005``, ``2005``); a month or year means its
    first day for ``since`` and its last for ``until``. A date range leaves out documents with
    no date unless ``include_undated`` is set.
    """

    party: str | None = None
    source: str | None = None
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    include_undated: bool = False

    def __post_init__(self) -> None:
        for name, example in (("party", "Labour"), ("source", "BBC")):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise QueryError(
                    f"The {name} filter must be text (a name like {example!r}), not "
                    f"{type(value).__name__} {value!r:.40}."
                )
        true_or_false(QueryError, include_undated=self.include_undated)  # (bool("no") is True)
        since, until = _as_date(self.since, "since"), _as_date(self.until, "until")
        if since and until and since > until:
            raise QueryError(
                f"since ({since}) is after until ({until}): no date is in between.").for_cli(
                f"--since {str(self.since)!r} ({since}) is after --until {str(self.until)!r} "
                f"({until}): no date is in between.").for_web(
                f"The since field, {str(self.since)!r} ({since}), is after the until field, "
                f"{str(self.until)!r} ({until}): no date is in between.")
        object.__setattr__(self, "since", since)
        object.__setattr__(self, "until", until)

    @classmethod
    def coerce(
        cls, value: SearchFilters | dict[str, Any] | None, *,
        since: dt.date | str | None = None, until: dt.date | str | None = None,
        include_undated: bool | None = None,
    ) -> SearchFilters:
        """Accept a SearchFilters, a dict with the same keys (dates may be text), or None;
        ``since``, ``until`` and ``include_undated`` (a method's keywords:
        ``search("NHS", since="2005", include_undated=True)``) join them, read as the
        filters' own are. A bound given both ways is an error, and so is an
        ``include_undated`` that says otherwise than the filters' (``None``: theirs)."""
        filters = cls._coerce(value)
        given: dict[str, Any] = {name: bound for name, bound in (("since", since), ("until", until))
                                 if bound is not None}
        twice = [name for name in given if getattr(filters, name) is not None]
        if include_undated is not None:
            if filters.include_undated and include_undated is not True:
                twice.append("include_undated")
            given["include_undated"] = include_undated
        if twice:
            raise QueryError(f"{twice[0]} is given twice, as {twice[0]}= and in filters: "
                             "give it once.")
        return dataclass_replace(filters, **given) if given else filters

    @classmethod
    def _coerce(cls, value: SearchFilters | dict[str, Any] | None) -> SearchFilters:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict):
            raise QueryError(f"filters must be a dict or SearchFilters, not {type(value).__name__}")
        unknown = set(value) - {"party", "source", "since", "until", "include_undated"}
        if unknown:
            meant = sorted({_MEANT[key] for key in unknown if key in _MEANT})
            raise QueryError(
                f"Unknown filter {', '.join(sorted(map(str, unknown)))}; "
                "use party, source, since, until, include_undated"
                + (f" ({'; '.join(meant)})." if meant else ".")
            )
        undated = value.get("include_undated")
        return cls(
            party=value.get("party") or None,
            source=value.get("source") or None,
            since=value.get("since"),
            until=value.get("until"),
            include_undated=False if undated is None else undated,
        )

    def is_empty(self) -> bool:
        """Whether these filters keep every document (no party, source or date range)."""
        return not (self.party or self.source or self.since or self.until)

    @property
    def has_dates(self) -> bool:
        """Whether a date range is set."""
        return bool(self.since or self.until)

    def to_query(self, index: SearchSource) -> query.Query | None:
        """The Whoosh query of the documents of ``index`` these filters keep (party and
        source named as the index holds them), or ``None`` when they keep every one."""
        clauses = self._other_clauses(index)
        if self.has_dates:
            in_range = self.date_range()
            if self.include_undated:
                in_range = query.Or([in_range, query.Not(_DATED)])
            clauses.append(in_range)
        return _all_of(clauses)

    def date_range(self) -> query.Query:
        """The documents dated in the range ``since`` to ``until`` (see :func:`dated_within`)."""
        start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
        end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
        return dated_within(start, end)

    def describe(self, index: SearchSource | None = None) -> str:
        """What a document must be to pass these filters, as the end of a sentence ("none of
        them mentions the party Labour and is from the source BBC News"); with ``index``, the
        party and source named as it holds them."""
        parts = []
        if self.party:
            party = canonical_party(self.party, index) if index is not None else self.party
            parts.append(f"mentions the party {party}")
        if self.source:
            source = canonical_source(self.source, index) if index is not None else self.source
            parts.append(f"is from the source {source}")
        if self.has_dates:
            parts.append(f"is dated {self._span()}"
                         + (" (or undated)" if self.include_undated else ""))
        return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)

    def _span(self) -> str:
        return (f"from {self.since} to {self.until}" if self.since and self.until
                else f"on or after {self.since}" if self.since
                else f"on or before {self.until}")

    def undated_query(self, index: SearchSource) -> query.Query | None:
        """The documents this filter's date range leaves out for having no date (the other
        filters applied), or ``None`` when it leaves none out for that reason."""
        if not self.has_dates or self.include_undated:
            return None
        return _all_of([*self._other_clauses(index), query.Not(_DATED)])

    def _other_clauses(self, index: SearchSource) -> list[query.Query]:
        clauses: list[query.Query] = []
        if self.party:
            clauses.append(query.Term("party", canonical_party(self.party, index)))
        if self.source:
            clauses.append(query.Term("source", canonical_source(self.source, index)))
        return clauses

    def unmatched(self, index: SearchSource) -> list[str]:
        """Why these filters keep nothing: each filter that on its own keeps no document of
        ``index``, as a sentence naming it and the values that would keep some."""
        reasons: list[str] = []
        with index.guard():
            searcher = index.searcher()

            def keeps_some(q: query.Query) -> bool:
                return not searcher.search(q, limit=1, scored=False).is_empty()

            if self.party and (why := value_not_held("party", self.party, index)):
                reasons.append(f"{why[0].upper()}{why[1:]}{_begun('party', self.party, index)}.")
            named = sources_named(self.source, index) if self.source else []
            if len(named) > 1:  # a word several sources share: it stands for none of them
                either = f"{', '.join(named[:-1])} or {named[-1]}"
                reasons.append(f"The source {self.source!r} is a word of several sources "
                               f"({either}): name the one meant.")
            elif self.source and (why := value_not_held("source", self.source, index)):
                reasons.append(f"{why[0].upper()}{why[1:]}{_begun('source', self.source, index)}.")
            if self.has_dates:
                start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
                end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
                if not keeps_some(self.date_range()):
                    years = dated_years(index)
                    reasons.append(f"No document is dated {self._span()}" + (
                        f": {_nearest_dates(searcher, start, end)} (dated documents are "
                        f"from {_and_last(years)})." if years
                        else "; no document in this index has a date."))
        return reasons


def _begun(fieldname: str, typed: str, index: SearchSource) -> str:
    """The end of the note on a party or source filter's value no document holds that begins
    the names of some ("; 'Cons' begins Conservative, a name the filter takes whole"), else
    nothing (``--party Cons`` had listed every party, leaving the reader to guess why
    Conservative did not match; ``party:Cons`` in a query suggests ``party:Cons*``)."""
    begun = values_begun(fieldname, typed, index)
    if not begun:
        return ""
    names = "a name" if len(begun) == 1 else "names"
    return f"; {typed.strip()!r} begins {', '.join(begun)}, {names} the filter takes whole"


def value_not_held(fieldname: str, typed: str, index: SearchSource) -> str | None:
    """Why the party or source ``typed`` (a ``fieldname`` value, in any form the filters
    read) keeps no document of ``index``, naming the values that would keep some ("no
    document mentions the party 'xyz'; parties in this index: ..."); ``None`` when the index
    holds it. The one wording of the ``--party``/``--source`` filters and of ``party:xyz``
    typed in a query. A party the lexicon knows is named as the lexicon names it ("no
    document mentions the party Sinn Fein" for ``sinn féin``)."""
    value = (canonical_party if fieldname == "party" else canonical_source)(typed, index)
    held = held_values(index, fieldname)
    if value in held:
        return None
    what, kind = ("mentions the party", "parties") if fieldname == "party" else (
        "is from the source", "sources")
    # a party the lexicon knows by its own name ("sinn féin": Sinn Fein), as the party
    # tables and the other notes name it; a name it does not know, as typed
    named = value if value != typed.strip() else repr(typed)
    return f"no document {what} {named}; {_meant(typed, held, kind)}"


def held_values(index: SearchSource, fieldname: str) -> list[str]:
    """The values of the ``party`` or ``source`` field ``index`` holds, most documents first."""
    reader = index.searcher().reader()
    return sorted(_field_values(index, fieldname),
                  key=lambda v: (-reader.doc_frequency(fieldname, v), v))


def _meant(typed: str, names: list[str], what: str) -> str:
    """The names of the index's parties or sources, after the one ``typed`` most likely meant
    when a slip of a letter or two ("Lbour": Labour) is close to one: the list alone left the
    reader to spot it among 15 parties."""
    import difflib

    none = "none" if what == "parties" else "none recognised"
    listed = f"{what} in this index: {', '.join(names) or none}"
    folded = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(typed.strip().casefold(), folded, n=1, cutoff=0.8)
    return f"did you mean {folded[close[0]]}? {listed[0].upper()}{listed[1:]}" if close else listed


def _nearest_dates(searcher: Any, start: dt.datetime | None, end: dt.datetime | None) -> str:
    """The dates of the documents nearest a range that holds none, before and after it: the
    years alone had answered a range a day past the last document with the year it is in."""
    def nearest(q: query.Query | None, latest: bool) -> str | None:
        hits = searcher.search(q, sortedby="date", reverse=latest, limit=1) if q else []
        return iso_at_precision(f"{hits[0]['date']:%Y-%m-%d}", hits[0].get(
            "date_precision")) if len(hits) else None  # (the nearest, a month: 2005-02)

    before = nearest(query.DateRange("date", None, start) if start else None, latest=True)
    after = nearest(query.DateRange("date", end, None) if end else None, latest=False)
    # (plainly, as "the newest dated document is from 2005-03": "the latest is dated
    # 2005-03" read as if a date were missing its day)
    if before and after:
        return (f"the nearest dated documents are from {before}, before it, and {after}, "
                "after it")
    return (f"the newest dated document is from {before}" if before
            else f"the oldest dated document is from {after}")


def _and_last(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def dated_within(start: dt.datetime | None, end: dt.datetime | None) -> query.Query:
    """The documents whose date may fall from ``start`` to ``end`` (either open): the one rule
    of ``--since``/``--until`` and the query's ``date:`` field. A date known only to the
    month or year (held as its first day) is in the range when any day of its month or year
    is, so that ``since=2005-02-15`` and ``date:2005-02-15`` keep a document dated February
    2005 (it may be of the 15th) and ``until=2005-02-10`` keeps it too: a range never leaves
    out a document that may be in it, and its date is shown as the month it is."""
    in_range: query.Query = query.DateRange("date", start, end)
    if start is None:  # (a month's or year's first day is in it when any of its days is)
        return in_range
    wider = [query.And([query.Term("date_precision", precision),
                        query.DateRange("date", begun, end)])
             for precision, begun in (("month", dt.datetime(start.year, start.month, 1)),
                                      ("year", dt.datetime(start.year, 1, 1)))
             if begun < start]
    return query.Or([in_range, *wider]) if wider else in_range


#: every document with a date
_DATED = query.DateRange("date", None, None)


def _all_of(clauses: list[query.Query]) -> query.Query | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else query.And(clauses)


def _as_date(value: Any, name: str) -> dt.date | None:
    """A ``since`` (first day) or ``until`` (last day) bound from a date or its text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):  # (2005.0: "no month 0")
        raise QueryError(f"{name} must be a date (a datetime.date) or text like '2005', 'March "
                         f"2005' or '2005-03-21', not {type_name(value)}.")
    # (the date forms are read only for a date typed: a search without one imports none)
    from corpus_search.ingest.date_forms import parse_date_span, why_no_such_date

    span = parse_date_span(str(value).strip())
    if span is None:
        why = why_no_such_date(str(value).strip())
        if why:  # the form is right, the day is not: the forms would not help
            raise QueryError(f"{name}={value!r} is no date: {why}.").for_cli(
                f"--{name} {value!r} is no date: {why}.").for_web(
                f"The {name} field, {value!r}, is no date: {why}.")
        forms = "write it like 2005-03-21, 21/03/2005, 21 March 2005, March 2005 or 2005."
        raise QueryError(f"Cannot read {name}={value!r} as a date; {forms}").for_cli(
            f"Cannot read --{name} {value!r} as a date; {forms}").for_web(
            f"Cannot read the {name} field, {value!r}, as a date; {forms}")
    return span.last if name == "until" else span.first


def dated_years(index: SearchSource) -> list[str]:
    """The years the index's dated documents are from (none: no document has a date)."""
    with index.guard():
        return sorted(_field_values(index, "year"))


def held_fields(index: SearchSource) -> frozenset[str]:
    """Which of a year, a source and a party some document of ``index`` has: what its
    documents can be counted by (the BBC corpus: a party alone)."""
    with index.guard():
        return frozenset(name for name in ("year", "source", "party")
                         if any(_field_values(index, name)))


def _field_values(index: SearchSource, fieldname: str) -> list[str]:
    reader = index.searcher().reader()
    return [
        t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(fieldname)
    ]


def canonical_party(name: str, index: SearchSource) -> str:
    """The stored party name matching ``name`` ("lib dems" → "Liberal Democrat"): a stored
    name in any case, a name or form of a party in the lexicon (:meth:`Lexicon.party_named`:
    "veritas", "Labor"), or the party a phrase names ("the Tory party").

    A phrase naming several parties ("Labour,Conservative") is refused with a
    :class:`QueryError`: it had silently kept the documents of the first in alphabetical
    order (Conservative), as if the user had asked for that one."""
    known = _field_values(index, "party")
    for value in known:
        if value.lower() == name.strip().lower():
            return value
    named = index.lexicon.party_named(name)
    if named is not None:
        return named
    found = parties_in(name, index.lexicon) or parties_in(name.title(), index.lexicon)
    if len(found) > 1:
        both = " AND ".join(f'party:"{p}"' if " " in p else f"party:{p}" for p in found)
        raise QueryError(
            f"A party filter names one party, and {name.strip()!r} names {len(found)} "
            f"({', '.join(found)}): filter by one, or search for the documents that mention "
            f"each with: {both}"
        )
    return found[0] if found else name


def parties_meant(name: str, index: SearchSource) -> list[str]:
    """The parties of ``index`` (display names, most documents first) that a party filter
    of ``name`` may have meant instead of the one it names: those whose display name has
    ``name``'s words as words of its own ("Liberal", the old Liberal Party, is a word of
    "Liberal Democrat"). A search that the filter empties, yet which matches documents
    without it, suggests those of them that keep some (:func:`~corpus_search.search.empty.
    why_nothing_matched`)."""
    words = name.strip().lower().split()
    if not words:
        return []
    named = canonical_party(name, index).lower()
    with index.guard():
        reader = index.searcher().reader()
        values = _field_values(index, "party")
        meant = [v for v in values if v.lower() != named and set(words) <= set(v.lower().split())]
        return sorted(meant, key=lambda v: (-reader.doc_frequency("party", v), v))


def party_known_as(party: str, index: SearchSource) -> str | None:
    """A longer name of the ``party`` (a display name) that tells it from others sharing
    its words: the first form of its lexicon line with more words than it ("Liberal
    Party" for Liberal), or None."""
    lexicon = index.lexicon
    wanted = party.lower()
    for entry in lexicon.entries:
        forms = [bare_form(form) for form in entry.forms]
        if lexicon.parties.get(entry.concept) != party or wanted not in (
                form.lower() for form in forms):
            continue
        for form in forms:
            if len(form.split()) > len(party.split()):
                return form
    return None


def canonical_source(name: str, index: SearchSource) -> str:
    """The stored source matching ``name`` case-insensitively, else the one source that has
    ``name``'s words as words of its own (``bbc`` for "BBC News"), else ``name``."""
    found = sources_named(name, index)
    return found[0] if len(found) == 1 else name


def sources_named(name: str, index: SearchSource) -> list[str]:
    """The stored sources ``name`` may stand for: the one it is, case aside; else every one
    that has its words as words of its own (``news``: "BBC News" and "Sky News")."""
    wanted = name.strip().lower()
    values = _field_values(index, "source")
    for value in values:
        if value.lower() == wanted:
            return [value]
    words = wanted.split()
    return [v for v in values if words and set(words) <= set(v.lower().split())]


def values_matching(fieldname: str, pattern: str, index: SearchSource) -> list[str]:
    """The ``party`` or ``source`` values of ``index`` that a wildcard ``pattern`` (``*`` any
    letters, ``?`` one) matches, case aside, as Lucene applies a wildcard typed in a field to
    the field's terms: ``party:Con*`` is the Conservatives (Whoosh's parser had dropped the
    ``*``, and ``party:Con`` kept no document). A party matches by its display name or any
    name the lexicon gives it, as ``party:Tory`` names the Conservatives (``party:Tor*``); a
    source by its name or a word of it, as ``source:bbc`` names "BBC News"."""
    from corpus_search.search.spelling import wildcard_regex

    regex = wildcard_regex(pattern.lower())
    return _values_named(fieldname, index, lambda name: regex.fullmatch(name) is not None)


def values_begun(fieldname: str, typed: str, index: SearchSource) -> list[str]:
    """The ``party`` or ``source`` values of ``index`` whose names ``typed`` begins (as
    ``typed*`` matches them: ``Cons`` begins Conservative); none for a blank value. What the
    notes on a value that matched nothing offer, a name being matched whole."""
    return values_matching(fieldname, f"{typed.strip()}*", index) if typed.strip() else []


def values_near(fieldname: str, text: str, maxdist: int, prefix: int, index: SearchSource
                ) -> list[str]:
    """The ``party`` or ``source`` values of ``index`` named (as :func:`values_matching`
    names them) within ``maxdist`` edits of ``text`` that share its first ``prefix``
    letters, case aside, as Lucene applies a fuzzy term typed in a field to the field's
    terms: ``party:Labur~`` is Labour, ``party:Torys~`` the Conservatives."""
    from corpus_search.search.expansions import osa_distance

    typed = text.lower()
    return _values_named(fieldname, index, lambda name: name[:prefix] == typed[:prefix]
                         and osa_distance(name, typed) <= maxdist)


def _values_named(fieldname: str, index: SearchSource, named: Any) -> list[str]:
    """The values of ``fieldname`` one of whose names (lower case) is ``named``."""
    held = _field_values(index, fieldname)
    if fieldname == "source":
        return [v for v in held if any(named(n) for n in (v.lower(), *v.lower().split()))]
    lexicon = index.lexicon
    names = [(v.lower(), v) for v in held] + [
        (bare_form(form).lower(), lexicon.parties[e.concept])
        for e in lexicon.entries if e.concept in lexicon.parties for form in e.forms]
    matched = {party for name, party in names if named(name)}
    return [v for v in held if v in matched]
