"""What the pages show of documents: a document's paragraphs with the places of a query
marked in them and the address it may link to (its page), a hit's snippet as markup, and how
many of a facet's values are listed before the rest are folded away (the lists of results:
a search's, the documents like one)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from corpus_search.search.citing import paragraphs
from corpus_search.search.results import facet_rest

__all__ = ["FACET_FOLDED", "FACET_SHOWN", "facet_cut", "facets_shown", "marked_paragraphs",
           "snippet_markup", "web_address"]

#: facet values listed before the rest are folded away under "N more"
FACET_SHOWN = 12
#: the fewest values a fold hides ("1 more" takes the room of the value it hides)
FACET_FOLDED = 4


def facet_cut(values: int) -> int:
    """How many of a facet's ``values`` are listed before the rest are folded away."""
    return FACET_SHOWN if values >= FACET_SHOWN + FACET_FOLDED else values


def facets_shown(
    facets: dict[str, dict[str, int]], total: int, without_party: int | None = None
) -> list[tuple[str, list[tuple[str, int]], tuple[str, int] | None]]:
    """The facets a list of results shows: each one's name, its values (each a link that
    narrows the results) and the line for the ``total`` matches none of them counts
    (``without_party`` of them name no party:
    :func:`~corpus_search.search.results.facet_rest`), as ``search --facets`` lists them."""
    shown = []
    for name, values in facets.items():
        rest = facet_rest(name, values, total, without_party)
        if values or rest:
            shown.append((name, list(values.items()), rest))
    return shown


def snippet_markup(hit: Any) -> Any:
    """A hit's snippet as markup (its document text escaped, its matches ``<mark>``)."""
    return Markup(hit.snippet.html) if hit.snippet else ""


def marked_paragraphs(
    body: str, places: list[tuple[int, int]]
) -> list[tuple[int, list[tuple[str, int | None]]]]:
    """The body's paragraphs (as :func:`~corpus_search.search.citing.paragraphs` finds them,
    so that a paragraph's quote link quotes the paragraph shown), each ``(start, pieces)``:
    its offset in the body, and its text as pieces ``(text, start)``, where ``start`` is the
    offset of a piece that is one of ``places`` (in order), ``None`` for the text between."""
    shown: list[tuple[int, list[tuple[str, int | None]]]] = []
    for start, end in paragraphs(body):
        pieces: list[tuple[str, int | None]] = []
        at = start
        for first, last in places:
            first, last = max(first, start), min(last, end)
            if first >= last:
                continue
            if first > at:
                pieces.append((body[at:first], None))
            pieces.append((body[first:last], first))
            at = last
        if at < end:
            pieces.append((body[at:end], None))
        shown.append((start, pieces))
    return shown


def web_address(url: str | None) -> str | None:
    """``url`` if it is an http(s) address a page may link; ``None`` for any other scheme.
    A document's url comes from its file (front matter, a JSON record) as written, and
    autoescaping does not stop ``javascript:`` in an href, which runs in this page."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None
