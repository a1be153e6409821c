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

__all__ = ["PAGE_SIZE", "create_app", "make_server", "serve_until_stopped"]

#: results on a page
PAGE_SIZE = 10
#: places a concordance page shows
CONCORDANCE_LINES = 200
#: the filters the pages take, as query-string names
FILTERS = ("party", "source", "since", "until")


def create_app(index: Any) -> Flask:
    """The web application over ``index`` (opened by the caller, who closes it)."""
    app = Flask(__name__)
    app.config["INDEX"] = index
    app.context_processor(lambda: {"form": _form(), "index_name": str(index.path),
                                   "url_with": _url_with, "count_by": COUNT_BY})
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
    if not form["q"] and not any(form[f] for f in FILTERS):
        return render_template("search.html", results=None, error=None)
    try:
        results = _index().search(form["q"] or "*", limit=PAGE_SIZE, page=form["page"],
                                  filters=_filters(form), sort=form["sort"],
                                  correct=not form["exact"])
        facets = results.facets
    except CorpusSearchError as exc:
        return render_template("search.html", results=None, error=str(exc)), 400
    return render_template("search.html", results=results, facets=facets, error=None,
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
    if not form["q"]:
        return render_template("concordance.html", result=None, error=None)
    try:
        result = _index().concordance(form["q"], limit=CONCORDANCE_LINES, width=70,
                                      filters=_filters(form), sort=form["sort"],
                                      correct=not form["exact"])
    except CorpusSearchError as exc:
        return render_template("concordance.html", result=None, error=str(exc)), 400
    return render_template("concordance.html", result=result, error=None)


def count_page() -> Any:
    """The matching documents per year, month, source or party, with bars."""
    form = _form()
    if not form["q"]:
        return render_template("count.html", counts=None, error=None)
    try:
        counts = _index().count(form["q"], by=form["by"], filters=_filters(form),
                                correct=not form["exact"])
    except CorpusSearchError as exc:
        return render_template("count.html", counts=None, error=str(exc)), 400
    most = max((row.matching for row in counts.rows), default=0) or 1
    return render_template("count.html", counts=counts, most=most, error=None)


def _form() -> dict[str, Any]:
    """The query string, read once the same way by every page."""
    args = request.args
    try:
        page = max(1, int(args.get("page", "1")))
    except ValueError:
        page = 1
    form: dict[str, Any] = {
        "q": args.get("q", "").strip(),
        "page": page,
        "sort": "date" if args.get("sort") == "date" else "relevance",
        "by": args.get("by") or "year",  # (another is the library's one-line message, 400)
        "exact": args.get("exact") == "1",
        "undated": args.get("undated") == "1",
    }
    for name in FILTERS:
        form[name] = args.get(name, "").strip()
    return form


def _filters(form: dict[str, Any]) -> dict[str, Any]:
    chosen: dict[str, Any] = {name: form[name] for name in FILTERS if form[name]}
    if form["undated"]:
        chosen["include_undated"] = True
    return chosen


def _url_with(endpoint: str, **changes: Any) -> str:
    """The URL of ``endpoint`` with this page's query string, ``changes`` applied (a value of
    None or "" drops the parameter): facet links and page links keep the other filters."""
    args = {k: v for k, v in request.args.items() if k != "page"}
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
