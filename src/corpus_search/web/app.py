"""The web page: a Flask application over one opened index (a ``CorpusIndex`` or a
``MultiIndex``). Each page is a few lines over a public method of the index
(:meth:`search`, :meth:`describe`, :meth:`similar`, :meth:`concordance`, :meth:`count`,
:meth:`trends`); the templates autoescape every document text, and snippets come as
:attr:`Snippet.html`, whose document text is escaped and whose only markup is ``<mark>``.

A bad query or filter is the page again with the library's one-line message (status 400), an
unknown id a 404 page; nothing reaches the browser as a traceback.

Requests are answered each in a thread of its own, each on an index of its own
(:mod:`corpus_search.web.serving`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from corpus_search.boilerplate_removed import removed_lines, removed_note
from corpus_search.errors import CorpusSearchError, DocumentNotFoundError, page_message
from corpus_search.search.citing import DATE_ORIGINS, cite
from corpus_search.search.concordance import MAX_LINES
from corpus_search.search.count_by import countable_by
from corpus_search.search.counting import COUNT_BY, LACKING, command_note
from corpus_search.search.filters import SearchFilters
from corpus_search.search.held import how_counted, how_held, no_place, no_places_where
from corpus_search.search.keyterms import DEFAULT_LIMIT as KEY_TERMS_SHOWN
from corpus_search.search.ranking import page_number
from corpus_search.search.trends import MAX_QUERIES
from corpus_search.terminal import UNPRINTABLE, not_found_line
from corpus_search.web.files import COUNT_COLUMNS, attachment, cell, csv_file, why_empty
from corpus_search.web.form import (
    DEFAULTS,
    FILTERS,
    asking,
    chosen_filters,
    named,
    named_filters,
    once_each,
    or_default,
    query_of,
    read_as,
    read_form,
    short,
)
from corpus_search.web.serving import COPIES, IndexCopies, make_server, serve_until_stopped
from corpus_search.web.shown import (
    facet_cut,
    facets_shown,
    marked_paragraphs,
    snippet_markup,
    web_address,
)

__all__ = ["COPIES", "PAGE_SIZE", "IndexCopies", "create_app", "make_server",
           "serve_until_stopped"]

#: results on a page
PAGE_SIZE = 10
#: places a concordance page shows
CONCORDANCE_LINES = 200
#: how many times more places the "show more" link of a cut concordance asks for
MORE_PLACES = 5
#: the documents like it a document's page lists (the rest are on its "like it" page)
ALIKE_SHOWN = 5
#: the query boxes the trends page shows (more come as the queries asked fill them, up to the
#: library's most: ``/trends?q=NHS&q=immigration&q=...``)
TREND_BOXES = 4


def create_app(index: Any) -> Flask:
    """The web application over ``index`` (opened by the caller, who closes it)."""
    app = Flask(__name__)
    app.extensions["corpus_search.copies"] = IndexCopies(index)
    app.context_processor(lambda: _page_context(index))
    app.add_template_filter(command_note, "said")  # (a note as the command says it)
    app.add_template_global(snippet_markup, "snippet")
    app.add_template_global(DATE_ORIGINS, "date_origins")  # (where a date came from, in words)
    for shared in (facet_cut, facets_shown, not_found_line, how_held):
        app.add_template_global(shared)
    app.add_url_rule("/", "search_page", search_page)
    app.add_url_rule("/doc/<path:doc_id>", "document_page", document_page)
    app.add_url_rule("/like/<path:doc_id>", "like_page", like_page)
    app.add_url_rule("/concordance", "concordance_page", concordance_page)
    app.add_url_rule("/count", "count_page", count_page)
    app.add_url_rule("/count.csv", "count_csv", count_csv)
    app.add_url_rule("/trends", "trends_page", trends_page)
    app.add_url_rule("/trends.csv", "trends_csv", trends_csv)
    app.add_url_rule("/terms", "key_terms_page", key_terms_page)
    app.add_url_rule("/export.<any(csv, jsonl):fmt>", "export_download", export_download)
    app.register_error_handler(
        404, lambda exc: (render_template("message.html", message=exc.description), 404))
    app.before_request(_refuse_unprintable)
    app.before_request(_clean_address)
    app.teardown_request(_give_back)
    return app


#: the pages that answer with a file (CSV, JSON Lines): their errors are plain text
FILE_PAGES = ("count_csv", "trends_csv", "export_download")


def _refuse_unprintable() -> Any:
    """A query or filter holding a control character (``/?q=Blair%00x``; the terminal rule of
    :data:`~corpus_search.terminal.UNPRINTABLE`, which a command line cannot even be given
    for NUL) is refused with one message (400), as the CLI's one-line error would be; the
    pages never echo such a character, whose value
    :func:`~corpus_search.web.form.read_form` reads without it."""
    if request.endpoint in (None, "static"):
        return None
    for name, value in request.args.items(multi=True):
        found = UNPRINTABLE.search(value)
        if found is None:
            continue
        what = ("query" if name in ("q", "against") else
                f"{name} filter" if name in FILTERS else f"value of {name}")
        message = (f"The {what} holds a control character (U+{ord(found.group()):04X}), "
                   "which cannot be searched for: type it again without it.")
        if request.endpoint in FILE_PAGES:
            return Response(f"{message}\n", status=400, mimetype="text/plain")
        return render_template("message.html", message=message), 400
    return None


def _page_context(index: Any) -> dict[str, Any]:
    """What every page's template is given: the form, read once."""
    form = read_form()
    return {
        "form": form, "index_name": str(index.path), "here": _here, "url_with": _url_with,
        "count_by": COUNT_BY, "lacking": LACKING, "asking": short(asking(form)),
        "trend_boxes": _boxes(form["queries"]),
        # (a filter given: a query matching none of the documents it keeps may match others)
        "filtered": any(form[name] for name in FILTERS),
        # (a document's link from a literal search or concordance: its places as written,
        # in the case typed with match case)
        "literally": "1" if form["literal"] or form["match_case"] else None,
        "cased": "1" if form["match_case"] else None}


def _clean_address() -> Any:
    """A form's empty fields dropped from the address (a redirect), and with them the choices
    it sends as they were (``sort=relevance``, ``by=year``): the search form sends every
    field, so a search for Lib Dems was ``/?q=Lib+Dems&party=&source=&since=&until=&sort=
    relevance``, a link longer and less clear to share or bookmark than the page's own
    links, and the tabs carried ``sort=relevance`` on to Count, which has no order."""
    given = list(request.args.items(multi=True))
    if request.endpoint in (None, "static") or all(value for _, value in given):
        return None
    place = dict(request.view_args or {})
    kept: dict[str, list[str]] = {}
    for name, value in given:  # (url_for's own names, _anchor and the like, are no field)
        if (value and value != DEFAULTS.get(name) and name not in place
                and not name.startswith("_")):
            kept.setdefault(name, []).append(value)
    return redirect(url_for(request.endpoint, **place, **kept), code=302)


def _index() -> Any:
    """The index this request borrowed (on its first call), given back when it ends."""
    if "index" not in g:
        g.lent = current_app.extensions["corpus_search.copies"].borrowed()
        g.index = g.lent.__enter__()
    return g.index


def _give_back(_exc: BaseException | None) -> None:
    lent = g.pop("lent", None)
    if lent is not None:
        g.pop("index", None)
        lent.__exit__(None, None, None)


def search_page() -> Any:
    """Search: the hits of a page with their snippets, the facets as links."""
    form = read_form()
    asked = query_of(form)
    if asked is None:
        return render_template("search.html", results=None, error=None)
    try:
        results = _index().search(asked, limit=or_default(form["limit"], PAGE_SIZE),
                                  page=form["page"], filters=chosen_filters(form),
                                  sort=form["sort"], **read_as(form))
        facets = results.facets
        kept = _described(form) if asked == "*" and not results.total else None
        # (from a count's or trends' row: how many of these that row counted, and why not all)
        counted = (how_counted(results, _index().count(asked, by="source",
                                                       filters=chosen_filters(form),
                                                       **once_each(form)))
                   if form["counted"] and results.total else [])
    except CorpusSearchError as exc:
        return render_template("search.html", results=None, error=page_message(exc)), 400
    return render_template("search.html", results=results, facets=facets, error=None,
                           kept=kept, counted=counted)


def document_page(doc_id: str) -> Any:
    """One document, its paragraphs and metadata, and the documents like it; with ``q`` (a
    search's or a concordance's link), the places of that query marked in its text."""
    index = _index()
    try:
        data = index.describe(doc_id)
    except CorpusSearchError as exc:
        return render_template("message.html", message=page_message(exc)), 400
    if data is None:
        abort(404, description=str(index.unknown_id(doc_id)))
    try:
        alike = index.similar(doc_id, limit=ALIKE_SHOWN)
    except DocumentNotFoundError:
        alike = None
    body, form = data.get("body") or "", read_form()
    asked = form["q"]
    marks = None
    unmarked = None
    if asked:
        try:
            marks = index.marks(asked, body, literal=form["literal"],
                                match_case=form["match_case"])
        except CorpusSearchError as exc:
            unmarked = page_message(exc)
    places = marks.places if marks is not None else []
    try:  # (quote=N: the paragraph holding character N, quoted with the reference)
        quoted = cite(data, form["quote"]) if form["quote"] is not None else None
    except CorpusSearchError as exc:
        return render_template("message.html", message=page_message(exc)), 400
    shown = marked_paragraphs(body, places)
    return render_template("document.html", doc=data, paragraphs=shown, alike=alike,
                           link=web_address(data.get("url")), asked=asked,
                           marked=len(places), unmarked=unmarked, marks=marks,
                           cited=cite(data), quoted=quoted, file_note=index.file_note(doc_id),
                           # (the lines its file holds that its text lost, as show says)
                           removed=removed_note(removed_lines(index, doc_id, body)))


def like_page(doc_id: str) -> Any:
    """The documents like one, as the search page lists a search's results: a page at a
    time, in the order asked, among those the filters keep, their facets as links that
    narrow them. A query typed in its form is a search (the search page, with the filters)."""
    form = read_form()
    if form["q"]:
        return redirect(_url_with("search_page"), code=302)
    index, doc = _index(), None
    try:
        doc = index.describe(doc_id)
        if doc is None:
            abort(404, description=str(index.unknown_id(doc_id)))
        results = index.similar(doc_id, limit=or_default(form["limit"], PAGE_SIZE),
                                page=form["page"], filters=chosen_filters(form),
                                sort=form["sort"])
        facets = results.facets
    except CorpusSearchError as exc:
        return render_template("like.html", doc=doc or {"id": doc_id}, results=None,
                               error=page_message(exc)), 400
    return render_template("like.html", doc=doc, results=results, facets=facets, error=None)


def concordance_page() -> Any:
    """Every place the query matches, in its context."""
    form = read_form()
    if not form["q"]:  # (a concordance needs words: filters alone are the intro, not "*")
        return render_template("concordance.html", result=None, error=None)
    try:
        limit, page = or_default(form["limit"], CONCORDANCE_LINES), page_number(form["page"])
        # (page N of L places: the first N x L places, the last L of them shown)
        reach = (min(limit * page, MAX_LINES) if isinstance(limit, int) and 0 < limit <= MAX_LINES
                 else limit)  # (what the library refuses, as asked)
        result = _index().concordance(form["q"], limit=reach, width=70,
                                      filters=(filters := chosen_filters(form)),
                                      sort=form["sort"], **once_each(form))
    except CorpusSearchError as exc:
        return render_template("concordance.html", result=None, error=page_message(exc)), 400
    first = (page - 1) * int(limit)
    later = result.truncated and reach < MAX_LINES  # (places after this page to show)
    # (more places on one page, from page 1: a concordance is read by scrolling)
    more = (min(len(result.lines) * MORE_PLACES, MAX_LINES)
            if result.truncated and page == 1 else None)
    return render_template("concordance.html", result=result, more=more, error=None, page=page,
                           first=first, shown=result.lines[first:first + int(limit)], later=later,
                           no_place=no_place,
                           no_places=no_places_where(  # (include_undated keeps more)
                               result, bool(filters.keys() - {"include_undated"})))


def count_page() -> Any:
    """The matching documents per year, month, source or party, with bars."""
    form = read_form()
    asked = query_of(form)
    if asked is None:
        return render_template("count.html", counts=None, error=None)
    try:
        counts = _index().count(asked, by=form["by"], filters=chosen_filters(form),
                                **once_each(form))
    except CorpusSearchError as exc:
        return render_template("count.html", counts=None, error=page_message(exc)), 400
    return render_template("count.html", counts=counts, error=None,  # (what places them)
                           otherwise=[] if counts.rows else list(counts.otherwise))


def key_terms_page() -> Any:
    """The words that set the matching documents apart from the rest of the index (or from
    those the ``against`` query matches), each a link to a search of the matches for it (which
    reads the word as search does, its other forms and synonyms too: "Tory" finds the
    stories saying "Conservatives" as well, more than the count of the word as written; with
    "as written" ticked, the word as written)."""
    form = read_form()
    asked = query_of(form)
    if asked is None and form["against"]:
        return render_template(
            "keyterms.html", found=None, error="Key terms need a query too: the documents "
            f"whose words to compare with those matching {form['against']}."), 400
    if asked is None:
        return render_template("keyterms.html", found=None, error=None)
    try:
        found = _index().key_terms(asked, limit=or_default(form["limit"], KEY_TERMS_SHOWN),
                                   filters=chosen_filters(form), against=form["against"] or None,
                                   **once_each(form))
    except CorpusSearchError as exc:
        return render_template("keyterms.html", found=None, error=page_message(exc)), 400
    searched = found.suggestion if found.suggestion_applied else asked
    # (a literal query holds every phrase it is given: the word is one more)
    both = "{} \"{}\"" if form["literal"] or form["match_case"] else "({}) AND \"{}\""
    return render_template(
        "keyterms.html", found=found, error=None,
        # (a word's documents among the matches: the query and the word, as a phrase so
        # that a word of the query syntax, "NOT", is a word)
        holding=lambda word: f'"{word}"' if searched == "*" else both.format(searched, word))


def count_csv() -> Any:
    """The count page's rows as CSV, to open in a spreadsheet: every period (no run joined),
    the columns of ``corpus-search count --csv``. A value a spreadsheet would read as a
    formula (a source named ``=HYPERLINK(...)`` in a file's front matter) starts with ``'``."""
    form = read_form()
    try:
        counts = _index().count(query_of(form) or "*", by=form["by"], filters=chosen_filters(form),
                                **once_each(form))
    except CorpusSearchError as exc:
        return Response(f"{page_message(exc)}\n", status=400, mimetype="text/plain")
    rows = [COUNT_COLUMNS, *([cell(r.to_dict()[c]) for c in COUNT_COLUMNS] for r in counts.rows)]
    return csv_file(rows, attachment("count", [named(form)], "csv", counts.by,
                                      named_filters(form)), why_empty(counts))


def trends_page() -> Any:
    """Several queries counted side by side per year, month, source or party: each one's
    share of each period's documents, a link to the search for the documents it counts."""
    form = read_form()
    if not form["queries"]:  # (what to compare is the queries: filters alone are the intro)
        return render_template("trends.html", found=None, error=None)
    try:
        found = _index().trends(form["queries"], by=form["by"], filters=chosen_filters(form),
                                **once_each(form))
    except CorpusSearchError as exc:
        return render_template("trends.html", found=None, error=page_message(exc)), 400
    return render_template("trends.html", found=found, error=None,
                           otherwise=_counted_otherwise(found.by, bool(found.rows)))


def trends_csv() -> Any:
    """The trends page's rows as CSV: every period, the columns of ``corpus-search trends
    --csv`` (value, documents, then each query's matching and share)."""
    form = read_form()
    try:
        found = _index().trends(form["queries"], by=form["by"], filters=chosen_filters(form),
                                **once_each(form))
    except CorpusSearchError as exc:
        return Response(f"{page_message(exc)}\n", status=400, mimetype="text/plain")
    names = [" ".join(query.split()) for query in found.searched]  # (as counted)
    header = [cell(column) for column in ("value", "documents", *(
        f"{name} {figure}" for name in names for figure in ("matching", "share")))]
    return csv_file([header, *([cell(row.value), row.documents,
                                 *(one.to_dict()[figure] for one in row.counts
                                   for figure in ("matching", "share"))]
                                for row in found.rows)],
                    attachment("trends", names, "csv", found.by, named_filters(form)),
                    why_empty(found))


def export_download(fmt: str) -> Any:
    """Every document the search matches, text and metadata, as ``corpus-search export``
    writes it (CSV with a byte order mark, which Excel needs to read UTF-8, or JSON Lines):
    what was found, to keep or to work on elsewhere. Sent as it is read, a page of documents
    at a time (an export of a whole corpus is never held in memory), on an index borrowed
    until the download ends; a bad query or filter is the one-line answer before any of it."""
    form = read_form()
    asked = query_of(form)
    if asked is None:
        return Response("Exporting needs a query, or filters.\n", status=400,
                        mimetype="text/plain")
    lent = contextlib.ExitStack()  # (closed once, by whichever comes first below)
    index = lent.enter_context(current_app.extensions["corpus_search.copies"].borrowed())
    try:
        report, text = index.export_text(asked, format=fmt, filters=chosen_filters(form),
                                          sort=form["sort"], **once_each(form),
                                          bom=fmt == "csv", counted=form["counted"])
    except BaseException as exc:
        lent.close()
        if isinstance(exc, CorpusSearchError):
            return Response(f"{page_message(exc)}\n", status=400, mimetype="text/plain")
        raise

    def sent() -> Iterator[str]:
        try:
            yield from text
        finally:  # (all sent, or the reader gone: the index is another request's again)
            lent.close()

    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    response = Response(sent(), mimetype=mimetype, headers=[
        ("Content-Disposition", attachment("export", [named(form)], fmt,
                                           filters=named_filters(form))),
        *why_empty(report)])
    response.call_on_close(lent.close)  # (closed before its first piece was asked for)
    return response


def _boxes(asked: list[str]) -> list[str]:
    """The trends page's query boxes: the queries ``asked``, then empty ones up to
    :data:`TREND_BOXES` (up to the library's most, so one more can be added)."""
    return [*asked, *[""] * (min(MAX_QUERIES, max(TREND_BOXES, len(asked) + 1)) - len(asked))]


def _counted_otherwise(by: str, placed: bool) -> list[str]:
    """What else the matches a count ``by`` places in no row can be counted by, when its
    table has none (not ``placed``): the counts the index can give (:func:`countable_by`),
    as the command names them. The BBC corpus, which has neither dates nor sources, was
    sent from by year to "by source", a table as empty, and by source to none."""
    if placed:
        return []
    return [other for other in countable_by(_index())
            if other in ("year", "source", "party") and other != by]


def _described(form: dict[str, Any]) -> str:
    """The filters in words, the end of a sentence that starts "No document"."""
    return SearchFilters.coerce(chosen_filters(form)).describe(_index())


def _here(**changes: Any) -> str:
    """The URL of this page (its place too: the document a "like it" page is of) with
    ``changes`` applied, as :func:`_url_with` applies them."""
    return _url_with(request.endpoint or "search_page", **{**(request.view_args or {}),
                                                           **changes})


def _url_with(endpoint: str, **changes: Any) -> str:
    """The URL of ``endpoint`` with this page's query string, ``changes`` applied (a value of
    None or "" drops the parameter): facet links and page links keep the other filters. The
    page number goes unless given, and ``limit`` too on the way to another page, where it
    counts something else (results, places), as do ``against``, which only key terms take,
    and ``quote``, which only a document page takes. A repeated parameter (the trends page's
    ``q``) keeps every value; the other pages read the first."""
    dropped = ({"page"} if endpoint == request.endpoint
               else {"page", "limit", "against", "quote", "counted"})
    args: dict[str, Any] = {k: v if len(v) > 1 else v[0] for k, v in request.args.lists()
                            if k not in dropped}
    args.update(changes)
    kept = {k: [x for x in v if x] if isinstance(v, list) else v for k, v in args.items()}
    return url_for(endpoint, **{k: v for k, v in kept.items() if v not in (None, "", [])})
