"""A site's navigation menu saved as a text's first line, not taken for its title.

Text copied or saved from a website often opens with the site's menu (``Skip to content |
Home | News | Politics | Sport``): as the first line, it became every document's title, its
party names tagged every document. A first line is passed over for the title when it is
both (docs/ingest.md, "Titles and menus"):

- **shaped like a menu** (:func:`looks_like_menu`): several short items parted by one
  separator, or a skip link's words; and
- **repeated across the folder** (a repeated line of :mod:`corpus_search.ingest.boilerplate`),
  which only the folder's reading knows.

So a file is read titled by the first line after its menu lines, those lines left at its
body's start (counted with the folder's lines, removed with its boilerplate) and the
reading noted (``Document.menu_reading``); once the folder's repeated lines are known,
:func:`~corpus_search.ingest.boilerplate.settled` keeps that reading if they are repeated,
else gives back the first line's
(a page's own title written ``Budget day | Politics | The Guardian`` is in one file only).
A title that is no menu stays a title however often it is repeated (``Prime Minister's
Questions``).
"""

from __future__ import annotations

import re

__all__ = ["MIN_ITEMS", "looks_like_menu", "menu_reading", "title_of_line"]

#: the fewest items a line parted by a separator holds to be a menu (``Home | News`` is no
#: menu; ``Home > News > Politics``, a breadcrumb, is)
MIN_ITEMS = 3
#: the most words and characters of a menu's item (``Culture, Media & Sport``)
_ITEM_WORDS, _ITEM_CHARS = 4, 32
#: the characters that part a menu's items (a slash or backslash only with spaces around
#: it: ``9/11``, ``and/or`` and web addresses part nothing)
_SEPARATORS = re.compile(r"[|¦•·»›>◦▪▸►→]|\s[/\\]\s")
#: a skip link's words, or a menu's button: what only a page's navigation says
_SKIP_LINK = re.compile(
    r"\b(?:skip|jump) to (?:the )?(?:main |page |primary )?"
    r"(?:content|navigation|nav|menu|search|article|footer)\b"
    r"|\btoggle (?:navigation|menu)\b",
    re.IGNORECASE,
)
#: an item ending a sentence is text, not a menu's link
_SENTENCE_END = re.compile(r"[.!?:;,]$")


def looks_like_menu(line: str) -> bool:
    """Whether ``line`` is shaped like a site's navigation: a skip link's words (``Skip to
    content``, ``Jump to navigation``, ``Toggle navigation``), or at least :data:`MIN_ITEMS`
    items parted by one separator (``|``, ``•``, ``·``, ``»``, ``›``, ``>``, a spaced ``/``),
    each of at most 4 words and 32 characters, holding a letter and ending no sentence."""
    if _SKIP_LINK.search(line):
        return True
    separators = {match.group().strip() for match in _SEPARATORS.finditer(line)}
    return any(_menu_items(line, separator) for separator in separators)


def _menu_items(line: str, separator: str) -> bool:
    """Whether ``line`` parted at ``separator`` gives the items of a menu."""
    pattern = rf"\s{re.escape(separator)}\s" if separator in "/\\" else re.escape(separator)
    items = [item.strip() for item in re.split(pattern, line)]
    items = [item for item in items if item]
    return len(items) >= MIN_ITEMS and all(
        len(item.split()) <= _ITEM_WORDS and len(item) <= _ITEM_CHARS
        and any(c.isalpha() for c in item) and not _SENTENCE_END.search(item)
        for item in items)


def title_of_line(line: str, markdown: bool) -> str:
    """A text's line as its title: trimmed, a Markdown heading's ``#`` taken off."""
    title = line.strip()
    return re.sub(r"^#+\s*", "", title).rstrip("#").strip() if markdown else title


def menu_reading(lines: list[str], markdown: bool
                 ) -> tuple[str, str, tuple[int, str, bool]] | None:
    """The reading of a text's ``lines`` if its first non-empty line looks like a menu: the
    title (the first non-empty line that does not), the body (the lines before it, menus,
    then those after it) and the note :func:`~corpus_search.ingest.boilerplate.settled`
    reads (``Document.menu_reading``); ``None`` for another text, or one of menus alone."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not looks_like_menu(lines[first]):
        return None
    at = next((i for i in range(first, len(lines))
               if lines[i].strip() and not looks_like_menu(lines[i])), None)
    if at is None:
        return None
    # (its menu lines kept as they stand, blank lines after them too: settled gives them back)
    body = "\n".join([*lines[first:at], "\n".join(lines[at + 1:]).rstrip()]).lstrip()
    return title_of_line(lines[at], markdown), body, (at - first, lines[at], markdown)
