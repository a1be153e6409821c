"""One document of a page of results: :class:`Hit`, its :class:`Snippet`, and what a hit
holds of a document's stored fields (:func:`stored_parts`, kept per searcher: :data:`hit_parts`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from corpus_search.ingest.shown_dates import shown_date
from corpus_search.store.columns import STORED_KEPT, stored_fields
from corpus_search.store.memo import PerSearcher
from corpus_search.terminal import strip_unprintable

if TYPE_CHECKING:
    from whoosh.searching import Searcher


__all__ = ["Hit", "Snippet", "hit_parts", "squash", "stored_parts"]

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """``text`` with each run of white space one space, as a snippet shows it."""
    return _SPACE.sub(" ", text)


@dataclass(frozen=True)
class Snippet:
    """Passages of a document around the matched words.

    ``fragments`` is a list of passages, each a list of ``(text, matched)`` pieces; render it
    as :attr:`plain` text (matches in ``**double asterisks**``), :attr:`ansi` (bold yellow on a
    terminal) or :attr:`html` (document text escaped, matches in ``<mark>``).
    """

    fragments: tuple[tuple[tuple[str, bool], ...], ...]
    separator: str = " … "

    def _render(self, text_fn: Callable[[str], str], mark_fn: Callable[[str], str]) -> str:
        return self.separator.join(
            "".join(mark_fn(t) if m else text_fn(t) for t, m in frag) for frag in self.fragments
        )

    @property
    def plain(self) -> str:
        """The passages as text, matches in ``**double asterisks**``, passages joined by
        ``separator`` (what ``Hit.to_dict()["snippet"]`` holds)."""
        return self._render(squash, lambda t: f"**{squash(t)}**")

    @property
    def ansi(self) -> str:
        """For a terminal: matches in bold yellow, and no control character or bidirectional
        override of the document's (see :mod:`corpus_search.terminal`)."""
        def text(t: str) -> str:
            return strip_unprintable(squash(t))

        return self._render(text, lambda t: f"\x1b[1;33m{text(t)}\x1b[0m")

    @property
    def html(self) -> str:
        """The passages as HTML: the document's text escaped, matches in ``<mark>`` (what
        ``Hit.to_dict()["snippet_html"]`` holds)."""
        from html import escape  # (only JSON and the web page ask: html imports its entities)

        return self._render(
            lambda t: escape(squash(t)), lambda t: f"<mark>{escape(squash(t))}</mark>"
        )

    @property
    def matches(self) -> list[str]:
        """The matched pieces of text, in order, as the document writes them."""
        return [t for frag in self.fragments for t, m in frag if m]

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Snippet({self.plain!r})"


@dataclass
class Hit:
    """One search result.

    ``id`` is the document's id (what :meth:`CorpusIndex.get`, ``similar`` and ``cite``
    take), ``rank`` its place in the whole ranking (from 1, counting earlier pages).
    ``score`` is the relevance score (also when sorted by date), or ``None`` when browsing
    with no query (``"*"``), where there is no relevance. ``date`` is a ``datetime.date`` or
    ``None``, ``date_source`` where it came from, ``date_precision`` ``"day"``, ``"month"``
    or ``"year"`` (a month's date is its first day: :attr:`shown_date` writes it as the month;
    see docs/ingest.md). ``parties`` are the
    parties it mentions (what the ``party`` filter keeps), ``source`` its publisher,
    ``snippet`` its passages around the matches (``None`` with ``highlight=False``).
    :meth:`to_dict` gives it as JSON-ready data."""

    id: str
    title: str
    score: float | None
    rank: int
    date: dt.date | None = None
    source: str | None = None
    parties: list[str] = field(default_factory=list)
    url: str | None = None
    snippet: Snippet | None = None
    date_source: str | None = None
    #: the id of a hit ranked above it on the page whose title and body it repeats word for
    #: word, spacing aside (an archive's second copy of a story), else None
    same_as: str | None = None
    date_precision: str | None = None

    @property
    def shown_date(self) -> str | None:
        """The date to show a person, no more precisely than it is known: ``2005-02-14``,
        ``2005-02`` for a document dated only to February 2005 (whose ``date`` is the 1st,
        which printed as the date), ``2005``; ``None`` when undated (one rule for every
        ``shown_date``: :func:`~corpus_search.ingest.shown_dates.shown_date`)."""
        return shown_date(self.date, self.date_precision)

    @classmethod
    def from_stored(
        cls,
        fields: Mapping[str, Any],
        rank: int = 0,
        score: float | None = None,
        snippet: Snippet | None = None,
    ) -> Hit:
        """The hit for a document's stored fields (one reading of them for search, browsing
        and ``CorpusIndex.describe``)."""
        return cls.from_parts(stored_parts(fields), rank, score, snippet)

    @classmethod
    def from_parts(
        cls, parts: tuple, rank: int, score: float | None, snippet: Snippet | None
    ) -> Hit:
        """The hit for a document's :func:`stored_parts` (kept per searcher by a search:
        reading them from the stored fields cost as much as making the rest of a hit)."""
        doc_id, title, date, source, parties, url, date_source, precision = parts
        return cls(doc_id, title, float(score) if score is not None else None, rank, date,
                   source, list(parties), url, snippet, date_source, date_precision=precision)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the fields, ``date`` as ``YYYY-MM-DD`` (see ``date_precision``) and
        ``shown_date`` at its precision, ``score`` rounded to 4 places, the snippet as
        ``snippet`` and ``snippet_html``."""
        return {
            "id": self.id,
            "rank": self.rank,
            "title": self.title,
            "score": round(self.score, 4) if self.score is not None else None,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "date_precision": self.date_precision,
            "shown_date": self.shown_date,
            "source": self.source,
            "parties": list(self.parties),
            "url": self.url,
            "snippet": self.snippet.plain if self.snippet else None,
            "snippet_html": self.snippet.html if self.snippet else None,
            "same_as": self.same_as,
        }


def stored_parts(fields: Mapping[str, Any]) -> tuple:
    """What a :class:`Hit` holds of a document, read from its stored fields: id, title, date,
    source, parties, url, where the date came from and its precision (``"day"`` when none)."""
    get = fields.get
    date, party = get("date"), get("party")
    return (fields["id"], get("title", ""), date.date() if isinstance(date, dt.datetime) else None,
            get("source") or None, tuple(p for p in party.split(",") if p) if party else (),
            get("url") or None, get("date_source") or None,
            (get("date_precision") or "day") if date else None)


def _parts_of(searcher: Searcher) -> Callable[[int], tuple]:
    stored = stored_fields(searcher)
    return lru_cache(maxsize=STORED_KEPT)(lambda docnum: stored_parts(stored[docnum]))


#: ``hit_parts(searcher)(docnum)``: the document's :func:`stored_parts`, the last
#: :data:`~corpus_search.store.columns.STORED_KEPT` read kept per searcher (a page of hits
#: had read them from the stored fields afresh, a tenth of a warm search)
hit_parts: PerSearcher[Searcher, Callable[[int], tuple]] = PerSearcher(_parts_of)
