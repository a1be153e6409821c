"""A page's query string, read once the same way by every page (:func:`read_form`), and what
the pages make of it: what they ask the index (:func:`query_of`, :func:`chosen_filters`,
:func:`read_as`), and what they call it in titles and file names (:func:`asking`,
:func:`named`, :func:`short`)."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.datastructures import MultiDict

from corpus_search.terminal import strip_unprintable

__all__ = ["DEFAULTS", "FILTERS", "TITLE_CHARS", "asking", "chosen_filters", "named",
           "named_filters", "once_each", "or_default", "query_of", "read_as", "read_form",
           "short", "whole"]

#: the longest query or filters a page's title and heading name in full
TITLE_CHARS = 80
#: the filters the pages take, as query-string names
FILTERS = ("party", "source", "since", "until")
#: what a page reads when a choice of the form is not given: the values the form sends unless
#: changed, which an address need not hold
DEFAULTS = {"sort": "relevance", "by": "year"}


def read_form() -> dict[str, Any]:
    """The query string, read once the same way by every page. A value the page cannot use
    (``page=abc``, ``sort=oldest``) goes to the library as typed, whose check answers with
    its one-line message (status 400), as for a bad query: the page's own links never make
    one, so it was typed, and quietly showing page 1 or relevance would hide the typo."""
    # (without control characters: a page refused for one still shows its form and title,
    # and echoes none; the app's _refuse_unprintable)
    args = MultiDict((k, strip_unprintable(v)) for k, v in request.args.items(multi=True))
    form: dict[str, Any] = {
        "q": args.get("q", "").strip(),
        # (the trends page's boxes: those left empty are not queries)
        "queries": [q.strip() for q in args.getlist("q") if q.strip()],
        "page": whole(args.get("page"), 1),
        "limit": whole(args.get("limit"), None),  # (None: the page's own)
        "sort": args.get("sort") or DEFAULTS["sort"],
        "by": args.get("by") or DEFAULTS["by"],
        "against": args.get("against", "").strip(),
        "exact": args.get("exact") == "1",
        "literal": args.get("literal") == "1",  # (the box; read_as says when it applies)
        "match_case": args.get("match_case") == "1",  # (the box: as written, in its case)
        "counted": args.get("counted") == "1",  # (a count's export; a search from its rows)
        "distinct": args.get("distinct") == "1",  # (the box: each text once; once_each says)
        "undated": args.get("undated") == "1",
        # (a document page's paragraph to quote: a character of its text)
        "quote": whole(args.get("quote"), None),
    }
    for name in FILTERS:
        form[name] = args.get(name, "").strip()
    return form


def read_as(form: dict[str, Any]) -> dict[str, bool]:
    """How the query is read, as the library's keywords: ``correct`` unless "exact" is
    ticked; ``literal`` (its words as written, ``--literal``) when "as written" is ticked (a
    page of filters alone asks for ``"*"``, every document they keep, as written too);
    ``match_case`` (so, each word in the case typed, ``--match-case``: May the name, not the
    verb) when "match case" is ticked, as written then whether or not that box is."""
    return {"correct": not form["exact"], "literal": form["literal"],
            "match_case": form["match_case"]}


def once_each(form: dict[str, Any]) -> dict[str, bool]:
    """:func:`read_as`, and ``distinct`` (each text once, ``--distinct``) when "each text
    once" is ticked: how the pages that count documents (count, trends, key terms, in
    context, a count's download) read the query."""
    return {**read_as(form), "distinct": form["distinct"]}


def whole(value: str | None, default: int | None) -> int | str | None:
    """A query-string number as an int; ``default`` when absent or empty; else the text as
    typed, for the library's check to name."""
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        return value


def or_default(value: int | str | None, default: int) -> int | str:
    """A number of the form (:func:`whole`), or the page's own when none was given."""
    return default if value is None else value


def query_of(form: dict[str, Any]) -> str | None:
    """What the search and count pages ask the index: the query; ``"*"`` (every document)
    when only filters are given, so a filters-only search is the documents they keep; and
    ``None`` for an empty form (the page's introduction)."""
    if form["q"]:
        return form["q"]
    return "*" if any(form[name] for name in FILTERS) else None


def asking(form: dict[str, Any]) -> str:
    """What a page asks, short, for its title: the query (the trends page's queries), else
    the filters given ("party UKIP, since 2004"); on the trends page, only its queries: its
    filters alone compare nothing (the page's introduction, not "party UKIP compared")."""
    if request.endpoint == "trends_page":
        return ", ".join(form["queries"])
    return form["q"] or ", ".join(f"{name} {form[name]}" for name in FILTERS if form[name])


def named(form: dict[str, Any]) -> str:
    """What a download of the search or count page asks, for its file's name beside its
    :func:`named_filters`: the query; none for filters alone; ``all`` for every document
    (no query, or ``*``, and no filter)."""
    if form["q"].strip("* "):
        return form["q"]
    return "" if named_filters(form) else "all"


def named_filters(form: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters given, each name and value, for a download's name: a count of one query
    by party and by source are two files."""
    return [(name, form[name]) for name in FILTERS if form[name]]


def short(shown: str) -> str:
    """What a page asks, cut for its title and heading at :data:`TITLE_CHARS` (a query may
    run to 1,000 characters, all of which a screen reader read out as the page's title)."""
    return shown if len(shown) <= TITLE_CHARS else shown[:TITLE_CHARS - 1].rstrip() + "\u2026"


def chosen_filters(form: dict[str, Any]) -> dict[str, Any]:
    """The filters given, as the library's ``filters`` (``undated``: ``include_undated``)."""
    chosen: dict[str, Any] = {name: form[name] for name in FILTERS if form[name]}
    if form["undated"]:
        chosen["include_undated"] = True
    return chosen
