"""A saved page's furniture that is no ``<nav>``, ``<aside>`` nor ``<footer>``: the menus,
related-link boxes, share buttons and cookie notices a site writes as ``<div>`` and ``<ul>``
(:class:`Blocks`, which :class:`~corpus_search.ingest.webpages.WebPage` keeps as it reads).

Decided as the article extractors decide, on what a page as read in one pass can tell:

- by **name**, as readability's "unlikely candidates": a block whose ``class`` or ``id``
  has a word of :data:`FURNITURE_WORDS` (``site-menu``, ``story-related``, ``shareTools``),
  or whose ``role`` is one of :data:`FURNITURE_ROLES` (``navigation``); not a class that
  only says what the page has (``has-sidebar``, ``no-comments``: :data:`_STATES`);
- by **link density**, as trafilatura's and jusText's: a block most of whose text is the
  text of links (:func:`link_dense`: a list of links is a menu; "Related: Lib Dems pledge
  to scrap fees" is another story's headline).

A block that holds the story (its ``<article>``, ``<main>``, ``role="main"`` or first-level
heading ``<h1>``) is never dropped, whatever its name says (a page's ``<div
class="with-sidebar">`` around everything, a Guardian opinion piece's ``tone-comment``).
A table inside the story's ``<article>`` or ``<main>`` is data, not a layout's column of
links: it is not dropped for its links, nor its rows, cells or what they hold (an
election's results whose parties' names are links), only for a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FURNITURE_ROLES", "FURNITURE_WORDS", "Blocks", "is_furniture_named", "link_dense"]

#: the words of a class or id that name a site's furniture (each word of the name, in any
#: capitals: ``nav``, ``site-nav``, ``navBar``)
FURNITURE_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "menubar", "menus", "related", "share", "shares",
    "sharing", "sharetools", "social", "breadcrumb", "breadcrumbs", "promo", "promos",
    "promotion", "promotions", "cookie", "cookies", "footer", "sidebar", "comments",
    "disqus", "newsletter", "subscribe", "advert", "advertisement", "sponsored",
})  # fmt: skip

#: the ARIA roles of a site's furniture (W3C's landmarks around the story)
FURNITURE_ROLES = frozenset({
    "navigation", "menu", "menubar", "complementary", "contentinfo", "banner", "search",
})  # fmt: skip

#: a class's first word that makes it say what the page has or shows, not what it is
_STATES = frozenset({"has", "with", "no", "without", "show", "hide", "js", "is"})

#: the words of a class or id: "storyRelated" and "story-related" alike
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")

#: the blocks that hold the story: never furniture
_STORY = frozenset({"article", "main", "h1"})

#: headings: a headline or subheading that is one link is the story's, not a menu
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

#: the elements whose whole is the story (its <h1> is, of the story, a part)
_STORY_WHOLE = frozenset({"article", "main"})

#: a table's blocks: inside the story's whole, data (a layout's tables hold the story)
_TABLE_PARTS = frozenset({"table", "tr", "td", "th"})


#: what a name holding a word of FURNITURE_WORDS holds (most names, holding none, are
#: passed over with one search)
_MAYBE = re.compile("|".join(sorted(FURNITURE_WORDS)), re.IGNORECASE)


def is_furniture_named(values: dict[str, str]) -> bool:
    """Whether an element's attributes (``values``) name it furniture: its ``role``, or a
    word of a class or of its id (:data:`FURNITURE_WORDS`)."""
    if "role" in values and FURNITURE_ROLES.intersection(values["role"].lower().split()):
        return True
    names = f"{values.get('class', '')} {values.get('id', '')}"
    if not _MAYBE.search(names):
        return False
    for name in names.split():
        words = [word.lower() for word in _WORDS.findall(name)]
        if words and words[0] not in _STATES and FURNITURE_WORDS.intersection(words):
            return True
    return False


def link_dense(text: int, linked: int, links: int) -> bool:
    """Whether a block of ``text`` characters, ``linked`` of them in its ``links`` links, is
    mostly links: a short one (under 100 characters, as trafilatura tests short elements)
    with 60% of its text linked, a longer one with 80%, or half of it in 3 links or more (a
    list of links). An article's paragraph links a few words (jusText calls a paragraph
    with more than 20% bad; readability a block with over half, if it has few words)."""
    if not links or not text:
        return False
    share = linked / text
    return share >= 0.6 if text < 100 else share >= 0.8 or (links >= 3 and share >= 0.5)


@dataclass(slots=True)
class _Block:
    tag: str
    line: int  # the page's lines read before it opened
    time: int  # the page's <time> dates read before it opened
    named: bool  # its name says furniture
    story: bool  # it holds the story
    in_link: int  # links open around it (one left open ends with the block it opened in)
    whole: bool = False  # in (or is) the story's <article> or <main>
    data: bool = False  # in (or is) a table's part inside the story's <article> or <main>
    text: int = 0
    linked: int = 0
    links: int = 0


class Blocks:
    """The open blocks of a page as it is read, and what each holds (characters of text,
    of link text, links); closing one says where the page's lines are cut back to when it
    is furniture. Blocks left open are closed as HTML closes them: a ``<p>`` by the next
    block, an ``<li>`` by the next item, the rest by the end tag of an element around
    them."""

    def __init__(self) -> None:
        self._open: list[_Block] = []
        self._names: dict[str, int] = {}  # (an end tag's block found open in O(1))
        self._in_link = 0

    def implied_end(self, tag: str) -> tuple[int, int] | None:
        """A block ``tag`` is about to open: the ``<p>`` (or, for an ``<li>``, the item) left
        open that it closes, and where the page is cut back to if that was furniture (before
        :meth:`start`, so that the new block opens after the cut)."""
        top = self._open[-1].tag if self._open else None
        return self._close() if top == "p" or (top == "li" and tag == "li") else None

    def start(self, tag: str, values: dict[str, str], line: int, time: int) -> None:
        """A block ``tag`` with the attributes ``values`` opens after ``line`` lines and
        ``time`` dates."""
        main = values.get("role", "").lower() == "main"
        story = tag in _STORY or main
        outer = self._open[-1] if self._open else None
        whole = tag in _STORY_WHOLE or main or (outer is not None and outer.whole)
        data = whole and (tag in _TABLE_PARTS or (outer is not None and outer.data))
        self._open.append(_Block(tag, line, time, not story and is_furniture_named(values),
                                 story, self._in_link, whole, data))
        self._names[tag] = self._names.get(tag, 0) + 1

    def end(self, tag: str) -> tuple[int, int] | None:
        """The end tag of ``tag``: it closes the blocks up to the innermost ``tag`` open (none
        if none is); where the page is cut back to, if one of them was furniture."""
        if not self._names.get(tag):
            return None
        cut = None
        while True:
            closed = self._open[-1].tag
            cut = self._close() or cut
            if closed == tag:
                return cut

    def close_all(self) -> tuple[int, int] | None:
        """The page has ended: its open blocks close; the cut of the outermost furniture."""
        cut = None
        while self._open:
            cut = self._close() or cut
        return cut

    def link(self, opened: bool) -> None:
        """An ``<a href>`` opens (``opened``) or closes."""
        if opened:
            self._in_link += 1
            if self._open:
                self._open[-1].links += 1
        elif self._in_link:
            self._in_link -= 1

    def text(self, chars: int) -> None:
        """``chars`` characters of the story's text read (in a link or not)."""
        if self._open:
            self._open[-1].text += chars
            if self._in_link:
                self._open[-1].linked += chars

    def _close(self) -> tuple[int, int] | None:
        block = self._open.pop()
        self._names[block.tag] -= 1
        self._in_link = min(self._in_link, block.in_link)
        if self._open:  # (what it holds counts in the block around it, dropped or not: a
            outer = self._open[-1]  # heading over a list of links dropped is one with it)
            outer.text += block.text
            if not block.data:  # (a data table's links make no menu of the block around it)
                outer.linked += block.linked
                outer.links += block.links
            outer.story = outer.story or block.story
        if not block.story and (block.named or (
                block.tag not in _HEADINGS and not block.data
                and link_dense(block.text, block.linked, block.links))):
            return block.line, block.time
        return None
