"""Saved web pages (``.html``, ``.htm``): a page's title, readable text, date and address, read
with the standard library's :mod:`html.parser` (lenient: it reads any text, however malformed,
and never recurses, so no page is too deeply nested for it).

What a journalist keeps of a story is most often the page saved from the browser. Its title is
the story's headline (:attr:`WebPage.headline`: ``og:title``, else the ``<title>`` without the
site's name after it, else the first ``<h1>``); its body the text of the page without what is no
part of the story (scripts, styles, and the site's navigation, header, footer and asides), a
paragraph (or heading, list item, table row) a line, character references decoded, and with
the page's first ``<h1>`` even in a ``<header>`` (where a story's headline stands) unless it
repeats the title (:func:`page_document`: a heading that differs from the title is searchable
text the title does not hold); its date what
the page states of its publication (``<meta property="article:published_time">``, then the
``datePublished`` of its JSON-LD (:func:`linked_data_date`), then ``<meta
name="OriginalPublicationDate">`` as the BBC's pages wrote it, then ``<meta name="date">``,
then the first ``<time datetime>`` of the story: not in the site's navigation, footer,
asides, or header outside an ``<article>`` or ``<main>``), read as a record's ``date`` field
is (``date_source`` ``metadata``); its address the canonical link, ``og:url`` or the ``saved
from url`` comment a browser writes. Its text is UTF-8 or the character set the page
declares (:func:`declared_charset`).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from html.parser import HTMLParser

from corpus_search.ingest.boilerplate import strip_boilerplate
from corpus_search.ingest.date_forms import date_and_precision, unrecognised_date
from corpus_search.ingest.furniture import Blocks
from corpus_search.ingest.model import Document, FileResult
from corpus_search.ingest.sources import detect_source, known_publisher, publisher_named

__all__ = ["WebPage", "declared_charset", "linked_data_date", "page_document", "page_text",
           "read_page"]

#: elements whose text is no part of the story: code, styles, the page's head, and the
#: site's furniture around the story
_LEFT_OUT = frozenset({
    "script", "style", "noscript", "template", "head", "title", "nav", "header", "footer",
    "aside",
})  # fmt: skip

#: of those, the furniture: a <time> in it dates another story, or the day the page was saved
_FURNITURE = frozenset({"nav", "footer", "aside"})

#: elements that hold the story: a <header> in one is the story's (its headline, byline, date)
_STORY = frozenset({"article", "main"})

#: elements that begin and end a line of text
_BLOCKS = frozenset({
    "address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
})  # fmt: skip

#: of those, the elements without content (a line break, a rule), which close nothing
_VOID = frozenset({"br", "hr"})

#: what stands between a headline and the site's name in a page's <title>
_SITE_SEPARATORS = (" - ", " | ", " \u2013 ", " \u2014 ", " :: ")

#: the <meta> tags that state a page's publication date, most telling first
#: (OriginalPublicationDate: the BBC News pages of the 2000s, which have no og: tags), and
#: where the datePublished of the page's JSON-LD stands among them (the structured data a
#: publisher writes for search engines: after the Open Graph tag, which was read first
#: before it, so that no date already read changes, and before the older and looser tags)
_DATE_METAS = ("article:published_time", "json-ld", "originalpublicationdate", "date")

#: the ``type`` of a <script> holding JSON-LD (schema.org's structured data)
_JSON_LD = "application/ld+json"

_SPACES = re.compile(r"\s+")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(https?://\S+)", re.IGNORECASE)


class WebPage(HTMLParser):
    """What a page says of itself, fed its text (:func:`read_page`): ``title``, ``heading``
    (its first ``<h1>``), ``lines`` (the story's text, a block a line), ``dates`` (the
    publication dates it states, most telling first) and ``url``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.heading = ""
        self.lines: list[str] = []
        self.url: str | None = None
        self._metas: dict[str, str] = {}
        self._times: list[str] = []  # the story's <time datetime> values
        self._blocks = Blocks()  # the open blocks, to drop those that are furniture
        self._canonical: str | None = None
        self._saved_from: str | None = None
        self._line: list[str] = []
        self._open: list[str] = []  # the open elements left out, innermost last
        self._reading: str | None = None  # "title" or "h1" while its text is read
        self._read: list[str] = []
        self._pre = 0  # <pre> elements open
        self._story = 0  # <article> and <main> elements open
        self._linked_data: list[str] | None = None  # a JSON-LD script's text while it is read
        self._linked_dates: list[tuple[bool, str]] = []  # (of an article?, datePublished)

    @property
    def headline(self) -> str:
        """The story's headline: the page's ``og:title``; else its ``<title>`` without the
        site's name a browser tab shows after it ("... - BBC News": the page's
        ``og:site_name``, or what follows the ``<h1>`` the title starts with); else the
        ``<h1>``."""
        stated = " ".join(self._metas.get("og:title", "").split())
        if stated:
            return stated
        site = " ".join(self._metas.get("og:site_name", "").split())
        for separator in _SITE_SEPARATORS:
            if site and self.title.endswith(separator + site):
                return self.title[: -len(separator + site)].strip()
            if self.heading and self.title.startswith(self.heading + separator):
                return self.heading
        titled = self._titled_site()
        if titled:
            return titled[1]
        return self.title or self.heading

    def _titled_site(self) -> tuple[str, str] | None:
        """The publisher a ``<title>`` names at one end, beyond a separator, as the table of
        known publishers names it, and the headline at the other end: "Budget day | The
        Guardian", and "BBC NEWS | UK | Politics | Budget day" as the BBC's pages of 2005
        wrote it (a page with no ``og:`` tags: its title was the headline, site and all)."""
        splits = [(separator, [part.strip() for part in self.title.split(separator)])
                  for separator in _SITE_SEPARATORS if separator in self.title]
        for separator, parts in splits:  # (the site last, as most pages name it)
            named = known_publisher(parts[-1])
            if named and separator.join(parts[:-1]):
                return named, separator.join(parts[:-1])
        for separator, parts in splits:
            # (the site first, by its whole name: "BBC News - Budget - what it means", not
            # "Independent - the new group"; between bars, sections before the headline, the
            # last part: "BBC NEWS | UK | Politics | Budget day")
            named = known_publisher(parts[0])
            named = named if named and named.casefold() == parts[0].casefold() else None
            headline = parts[-1] if separator == " | " else separator.join(parts[1:])
            if named and headline and (separator == " | " or not any(
                    other in headline for other in _SITE_SEPARATORS if other != separator)):
                return named, headline
        return None

    @property
    def site(self) -> str | None:
        """The publisher the page names itself (its ``og:site_name``), as
        :func:`~corpus_search.ingest.sources.publisher_named` reads it; else a known one its
        ``<title>`` names at one end (:meth:`_titled_site`); else ``None``."""
        stated = publisher_named(" ".join(self._metas.get("og:site_name", "").split()))
        if stated:
            return stated
        titled = self._titled_site()
        return titled[0] if titled else None

    @property
    def dates(self) -> list[str]:
        """The publication dates the page states, most telling first."""
        stated = dict(self._metas)
        # (an article's datePublished before another item's: a WebPage's, a WebSite's)
        for _article, date in sorted(self._linked_dates, key=lambda found: not found[0])[:1]:
            stated["json-ld"] = date
        found = [stated[name] for name in _DATE_METAS if name in stated]
        return found + self._times[:1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self._reading is not None and (tag == "body" or tag in _BLOCKS):
            self.handle_endtag(self._reading)  # a <title> or <h1> left open ends here
        if tag == "body":  # the head ends here, closed or not (HTML lets </head> out)
            self._open = [t for t in self._open if t not in ("head", "title")]
        if tag in _BLOCKS:
            self._end_line()
            if tag not in _VOID:
                self._cut(self._blocks.implied_end(tag))
                self._blocks.start(tag, values, len(self.lines), len(self._times))
        elif tag == "a" and "href" in values:
            self._blocks.link(opened=True)
        if tag == "meta":
            self._meta(values)
        elif tag == "script" and values.get("type", "").strip().lower() == _JSON_LD:
            self._linked_data = []
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self._canonical = self._canonical or values.get("href")
        elif tag == "time" and values.get("datetime") and not (
            _FURNITURE & set(self._open) or ("header" in self._open and not self._story)
        ):  # the story's, not the site's (a story's own header holds its byline and date)
            self._times.append(values["datetime"].strip())
        elif tag in ("title", "h1") and self._reading is None and not (
            self.title if tag == "title" else self.heading
        ):
            self._reading, self._read = tag, []
        if tag in _LEFT_OUT:
            self._open.append(tag)
        elif tag == "pre":
            self._pre += 1
        elif tag in _STORY:
            self._story += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <meta ... />: an element without content (<nav/> leaves nothing open)
        self.handle_starttag(tag, attrs)
        if tag in _LEFT_OUT:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._linked_data is not None:
            found = linked_data_date("".join(self._linked_data))
            self._linked_data = None
            if found:
                self._linked_dates.append(found)
        if tag == self._reading:
            text = " ".join("".join(self._read).split())
            if tag == "title":
                self.title = text
            else:
                self.heading = text
            self._reading = None
        if tag in _LEFT_OUT and tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]
        elif tag == "pre" and self._pre:
            self._pre -= 1
        elif tag in _STORY and self._story:
            self._story -= 1
        if tag in _BLOCKS:
            self._end_line()
            self._cut(self._blocks.end(tag))
        elif tag == "a":
            self._blocks.link(opened=False)

    def handle_data(self, data: str) -> None:
        if self._linked_data is not None:
            self._linked_data.append(data)
        if self._reading is not None:
            self._read.append(data)
        if self._open and not (self._reading == "h1" and set(self._open) == {"header"}):
            return  # (the page's heading is the story's, even in a header: see page_document)
        self._blocks.text(len(data.strip()))
        if self._pre:  # preformatted text keeps its lines
            first, *rest = data.split("\n")
            self._line.append(first)
            for line in rest:
                self._end_line()
                self._line.append(line)
        else:
            self._line.append(data)

    def handle_comment(self, data: str) -> None:
        found = _SAVED_FROM.search(data)
        if found and self._saved_from is None:
            self._saved_from = found.group(1)

    def close(self) -> None:
        super().close()
        self._end_line()
        self._cut(self._blocks.close_all())
        if self._reading is not None:  # a <title> or <h1> never closed
            self.handle_endtag(self._reading)
        url = self._canonical or self._metas.get("og:url") or self._saved_from
        self.url = url.strip() if url and url.strip().startswith(("http://", "https://")) else None

    def _meta(self, values: dict[str, str]) -> None:
        name = (values.get("property") or values.get("name") or "").strip().lower()
        content = values.get("content", "").strip()
        if name and content:
            self._metas.setdefault(name, content)

    def _cut(self, cut: tuple[int, int] | None) -> None:
        """Drop the lines and dates read since a block of furniture opened (``cut``)."""
        if cut is not None:
            del self.lines[cut[0]:]
            del self._times[cut[1]:]

    def _end_line(self) -> None:
        line = _SPACES.sub(" ", "".join(self._line)).strip()
        self._line = []
        if line:
            self.lines.append(line)


#: what a page's JSON-LD may be wrapped in, left from the days of browsers without scripts
_LD_WRAPPING = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[)|(?:-->|//\s*\]\]>)\s*$")


def linked_data_date(text: str) -> tuple[bool, str] | None:
    """The ``datePublished`` the JSON-LD ``text`` (a ``<script type="application/ld+json">``)
    states, and whether it is an article's (a schema.org ``NewsArticle``, ``Article``,
    ``BlogPosting``, ``Report``...: the story's date, not the site's), or ``None``. An
    article's comes first: one among the items, in an ``@graph``, or the ``mainEntity`` of a
    ``WebPage``; else the first item's that states one. Text that is no JSON states none (a
    page is read whatever its scripts hold)."""
    try:
        data = json.loads(_LD_WRAPPING.sub("", text))
    except (ValueError, RecursionError):
        return None
    items = _objects(data)
    items += [graphed for item in items for graphed in _objects(item.get("@graph"))]
    items += [main for item in items for main in _objects(item.get("mainEntity"))]
    dated = [(_is_article(item), date.strip()) for item in items
             for date in _as_list(item.get("datePublished"))[:1]
             if isinstance(date, str) and date.strip()]
    return next((found for found in dated if found[0]), dated[0] if dated else None)


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value] if value is not None else []


def _objects(value: object) -> list[dict[str, object]]:
    """The JSON objects ``value`` is or lists (JSON-LD writes one thing or a list alike)."""
    return [item for item in _as_list(value) if isinstance(item, dict)]


def _is_article(item: dict[str, object]) -> bool:
    """Whether the JSON-LD ``item`` is a story: its ``@type`` an ``Article`` or a kind of one
    (``NewsArticle``, ``ReportageNewsArticle``), a ``BlogPosting`` or a ``Report``."""
    return any(isinstance(kind, str) and kind.rsplit("/", 1)[-1].endswith(
        ("Article", "Posting", "Report")) for kind in _as_list(item.get("@type")))


#: a < whose next bracket is another <: it opens no tag ("a < b", "<p<p<p")
_STRAY = re.compile(r"<(?=[^<>]*<)")

#: a marked section's mark (Internet Explorer's <![if !IE]>, <![endif]>), which holds no text
#: (the standard library's parser raises on those it does not know: <![if-]>)
_MARKED = re.compile(r"<!\[(?!CDATA\[)[^>]*>?")


def read_page(text: str) -> WebPage:
    """The page whose HTML is ``text``, read.

    A ``<`` that opens no tag (no ``>`` before the next ``<``) is read as the character it
    is: the parser looked for the end of such a tag to the end of the text, once for each
    (a file of 500,000 bytes of ``<p<p<p…`` took 261 s; read in one pass, what a page
    holds costs what its length costs)."""
    page = WebPage()
    page.feed(_MARKED.sub("", _STRAY.sub("&lt;", text)))
    page.close()
    return page


def page_document(
    text: str, rel: str, id_prefix: str, result: FileResult, source: str | None = None
) -> Document | None:
    """The document of a saved web page's HTML ``text`` (``None`` when it has no text to
    read); a date it states that cannot be read goes to ``result`` as a warning. Its publisher
    is the one the page names itself (``og:site_name``, as a record's ``source`` field is),
    else ``source``, its folder's, else the one recognised from the text."""
    page = read_page(text)
    lines = page.lines
    title = page.headline
    if not title and lines:
        title, lines = lines[0], lines[1:]
    else:
        lines = _without_title(lines, title, page.heading)
    body = strip_boilerplate("\n".join(lines), frozenset())
    if not title and not body:
        return None
    date, precision = next(
        (read for read in map(date_and_precision, page.dates) if read[0]), (None, None))
    if date is None and page.dates:
        result.warnings.append(f"{rel}: {unrecognised_date(page.dates[0])}")
    return Document(
        id=id_prefix + os.path.splitext(rel)[0],
        title=title,
        body=body,
        date=date,
        source=page.site or source
        or detect_source("\n".join(filter(None, (title, body, page.url))), rel),
        url=page.url,
        path=rel,
        date_source="metadata" if date else None,
        date_precision=precision,
    )


def _without_title(lines: list[str], title: str, heading: str) -> list[str]:
    """A page's ``lines`` without those that only repeat its ``title``: a first line that is
    the title (the headline above the story), and the line of its first ``<h1>``
    (``heading``) where the title holds all of it (the headline, or the site's name of a
    ``<title>`` such as "Budget day - The Bugle"). A heading that says more than the title is
    kept: its words are in no other field."""
    if lines and lines[0] == title:
        lines = lines[1:]
    if heading and heading in title and heading in lines:
        lines = lines[:]
        lines.remove(heading)
    return lines


#: a character set declared near the top of a page: <meta charset="...">, or the
#: http-equiv Content-Type's charset=
_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

#: how far into a page its character set is looked for (HTML asks for it in the first 1,024
#: bytes; saved pages put a comment or two before it)
_CHARSET_BYTES = 4096


def declared_charset(data: bytes) -> str | None:
    """The codec of the character set the page ``data`` declares, if Python knows it."""
    found = _CHARSET.search(data[:_CHARSET_BYTES])
    if found is None:
        return None
    try:
        return codecs.lookup(found.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


#: the character sets a page not in UTF-8 is read in as Windows-1252 (as browsers read them)
_READ_AS_CP1252 = frozenset({"cp1252", "iso8859-1", "ascii"})


def page_text(data: bytes, text: str | None, warning: str) -> tuple[str | None, str | None]:
    """The page ``data`` that is not UTF-8 (``text`` and ``warning``: what reading it as
    any file gave), read in the character set it declares without a warning, else as
    before."""
    charset = declared_charset(data)
    if charset is None or charset == "utf-8":
        return text, warning
    if charset in _READ_AS_CP1252:
        return text, None
    return data.decode(charset, "replace"), None
