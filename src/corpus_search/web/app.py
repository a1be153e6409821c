"""The web page: a Flask application over one opened index (a ``CorpusIndex`` or a
``MultiIndex``). Each page is a few lines over a public method of the index
(:meth:`search`, :meth:`describe`, :meth:`similar`, :meth:`concordance`, :meth:`count`); the
templates autoescape every document text, and snippets come as :attr:`Snippet.html`, whose
document text is escaped and whose only markup is ``<mark>``.

A bad query or filter is the page again with the library's one-line message (status 400), an
unknown id a 404 page; nothing reaches the browser as a traceback.
"""

from __future__ import annotations

import signal
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.simple_server import make_server as wsgiref_server

from flask import Flask, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from corpus_search.errors import CorpusSearchError, DocumentNotFoundError
from corpus_search.search.counting import COUNT_BY
from corpus_search.search.filters import SearchFilters

__all__ = ["PAGE_SIZE", "create_app", "make_server", "serve_until_stopped"]

#: results on a page
PAGE_SIZE = 10
#: places a concordance page shows
CONCORDANCE_LINES = 200
#: facet values listed before the rest are folded away under "more"
FACET_SHOWN = 12
#: the filters the pages take, as query-string names
FILTERS = ("party", "source", "since", "until")


def create_app(index: Any) -> Flask:
    """The web application over ``index`` (opened by the caller, who closes it)."""
    app = Flask(__name__)
    app.config["INDEX"] = index
    app.context_processor(lambda: {"form": _form(), "index_name": str(index.path),
                                   "url_with": _url_with, "count_by": COUNT_BY,
                                   "asking": _asking(_form())})
    app.add_url_rule("/", "search_page", search_page)
    app.add_url_rule("/doc/<path:doc_id>", "document_page", document_page)
    app.add_url_rule("/concordance", "concordance_page", concordance_page)
    app.add_url_rule("/count", "count_page", count_page)
    app.register_error_handler(
        404, lambda exc: (render_template("message.html", message=exc.description), 404))
    return app


def _index() -> Any:
    return current_app.config["INDEX"]


def search_page() -> Any:
    """Search: the hits of a page with their snippets, the facets as links."""
    form = _form()
    asked = _asked(form)
    if asked is None:
        return render_template("search.html", results=None, error=None)
    try:
        results = _index().search(asked, limit=_or(form["limit"], PAGE_SIZE), page=form["page"],
                                  filters=_filters(form), sort=form["sort"],
                                  correct=not form["exact"])
        facets = results.facets
        kept = _described(form) if asked == "*" and not results.total else None
    except CorpusSearchError as exc:
        return render_template("search.html", results=None, error=str(exc)), 400
    return render_template("search.html", results=results, facets=facets, error=None,
                           kept=kept, facet_shown=FACET_SHOWN,
                           snippet=lambda hit: Markup(hit.snippet.html) if hit.snippet else "")


def document_page(doc_id: str) -> Any:
    """One document, its paragraphs and metadata, and the documents like it."""
    index = _index()
    try:
        data = index.describe(doc_id)
    except CorpusSearchError as exc:
        return render_template("message.html", message=str(exc)), 400
    if data is None:
        abort(404, description=str(index.unknown_id(doc_id)))
    try:
        alike = index.similar(doc_id, limit=5).hits
    except DocumentNotFoundError:
        alike = []
    paragraphs = [p for p in (data.get("body") or "").split("\n\n") if p.strip()]
    return render_template("document.html", doc=data, paragraphs=paragraphs, alike=alike,
                           link=_web_address(data.get("url")))


def _web_address(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a page may link; ``None`` for any other scheme.
    A document's url comes from its file (front matter, a JSON record) as written, and
    autoescaping does not stop ``javascript:`` in an href, which runs in this page."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def concordance_page() -> Any:
    """Every place the query matches, in its context."""
    form = _form()
    if not form["q"]:  # (a concordance needs words: filters alone are the intro, not "*")
        return render_template("concordance.html", result=None, error=None)
    try:
        result = _index().concordance(form["q"], limit=_or(form["limit"], CONCORDANCE_LINES),
                                      width=70,
                                      filters=_filters(form), sort=form["sort"],
                                      correct=not form["exact"])
    except CorpusSearchError as exc:
        return render_template("concordance.html", result=None, error=str(exc)), 400
    return render_template("concordance.html", result=result, error=None)


def count_page() -> Any:
    """The matching documents per year, month, source or party, with bars."""
    form = _form()
    asked = _asked(form)
    if asked is None:
        return render_template("count.html", counts=None, error=None)
    try:
        counts = _index().count(asked, by=form["by"], filters=_filters(form),
                                correct=not form["exact"])
    except CorpusSearchError as exc:
        return render_template("count.html", counts=None, error=str(exc)), 400
    most = max((row.matching for row in counts.rows), default=0) or 1
    return render_template("count.html", counts=counts, most=most, error=None)


def _form() -> dict[str, Any]:
    """The query string, read once the same way by every page. A value the page cannot use
    (``page=abc``, ``sort=oldest``) goes to the library as typed, whose check answers with
    its one-line message (status 400), as for a bad query: the page's own links never make
    one, so it was typed, and quietly showing page 1 or relevance would hide the typo."""
    args = request.args
    form: dict[str, Any] = {
        "q": args.get("q", "").strip(),
        "page": _whole(args.get("page"), 1),
        "limit": _whole(args.get("limit"), None),  # (None: the page's own)
        "sort": args.get("sort") or "relevance",
        "by": args.get("by") or "year",
        "exact": args.get("exact") == "1",
        "undated": args.get("undated") == "1",
    }
    for name in FILTERS:
        form[name] = args.get(name, "").strip()
    return form


def _whole(value: str | None, default: int | None) -> int | str | None:
    """A query-string number as an int; ``default`` when absent or empty; else the text as
    typed, for the library's check to name."""
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        return value


def _or(value: int | str | None, default: int) -> int | str:
    return default if value is None else value


def _asked(form: dict[str, Any]) -> str | None:
    """What the search and count pages ask the index: the query; ``"*"`` (every document)
    when only filters are given, so a filters-only search is the documents they keep; and
    ``None`` for an empty form (the page's introduction)."""
    if form["q"]:
        return form["q"]
    return "*" if any(form[name] for name in FILTERS) else None


def _asking(form: dict[str, Any]) -> str:
    """What a page asks, short, for its title: the query, else the filters given
    ("party UKIP, since 2004")."""
    return form["q"] or ", ".join(f"{name} {form[name]}" for name in FILTERS if form[name])


def _described(form: dict[str, Any]) -> str:
    """The filters in words, the end of a sentence that starts "No document"."""
    return SearchFilters.coerce(_filters(form)).describe(_index())


def _filters(form: dict[str, Any]) -> dict[str, Any]:
    chosen: dict[str, Any] = {name: form[name] for name in FILTERS if form[name]}
    if form["undated"]:
        chosen["include_undated"] = True
    return chosen


def _url_with(endpoint: str, **changes: Any) -> str:
    """The URL of ``endpoint`` with this page's query string, ``changes`` applied (a value of
    None or "" drops the parameter): facet links and page links keep the other filters. The
    page number goes unless given, and ``limit`` too on the way to another page, where it
    counts something else (results, places)."""
    dropped = {"page"} if endpoint == request.endpoint else {"page", "limit"}
    args = {k: v for k, v in request.args.items() if k not in dropped}
    args.update(changes)
    return url_for(endpoint, **{k: v for k, v in args.items() if v not in (None, "")})


class _QuietHandler(WSGIRequestHandler):
    """The standard library's request handler without a log line per request on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 8000) -> WSGIServer:
    """A server for ``app`` on ``host``:``port`` (0: a free port), one request at a time (an
    index's searcher is not shared between threads): the standard library's, which a local
    page for one reader needs, and which raises ``OSError`` for a port in use (Werkzeug's
    development server prints a paragraph and exits 1 instead)."""
    return wsgiref_server(host, port, app, handler_class=_QuietHandler)


def serve_until_stopped(server: WSGIServer) -> None:
    """Serve until Ctrl-C (SIGINT) or kill's SIGTERM (a page started with ``&`` ignores
    Ctrl-C), then return. The signal asks the serving loop to stop between requests: raised
    as ``KeyboardInterrupt`` inside one, it would be swallowed by the standard library's
    handler (which logs any error of a request and serves on), and the page would not stop."""

    def stop(_signum: int, _frame: Any) -> None:
        # (shutdown waits for the loop, so it cannot run in the loop's own thread)
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
