"""Publisher detection: which outlet a document comes from, by what the outlet prints about
itself (its furniture, its masthead or byline, the address of the page), never by what the
story says of an outlet ("told the BBC News website" is an interview, not a masthead).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

__all__ = [
    "PUBLISHERS", "SOURCE_PATTERNS", "SOURCE_SITES", "detect_source", "known_publisher",
    "publisher_named",
]


#: The publishers recognised, in the order that breaks a tie between two of them.
PUBLISHERS: tuple[str, ...] = (
    "PoliticsHome", "The Independent", "HuffPost", "LabourList", "The Guardian", "BBC News",
    "The Telegraph", "The Times", "New Statesman", "The Spectator", "Sky News",
    "ConservativeHome",
)

# (publisher, keyword, pattern, named): a publisher's own furniture. A pattern is tried only
# when its keyword (a lowercase literal, cheap to look for) occurs in the text. A line other
# sites print too (HuffPost's "What's Hot") counts only where the text also matches
# ``named``, the publisher's name: it says whose furniture the line is. Phrases an article
# writes about an outlet ("told HuffPost UK", "on the BBC News website") are no furniture: a
# story writes them of any outlet it quotes, its rivals too, so alone they never name the
# publisher, however many a story holds (four BBC stories "told the BBC News website" had
# been BBC News by that alone).
SOURCE_PATTERNS: tuple[tuple[str, str, str, str], ...] = (
    ("PoliticsHome", "posted", r"^Posted On:\s*$", ""),
    ("The Independent", "independent", r"notifications from The Independent", ""),
    ("The Independent", "independent", r"follow other Independent readers", ""),
    ("The Independent", "independent", r"The Independent is on the ground", ""),
    ("HuffPost", "hot", r"^What's Hot\s*$", r"\bHuff(?:ington )?Post\b"),
    ("LabourList", "labourlist", r"^More from LabourList", ""),
    ("The Guardian", "guardian", r"\bsupport the Guardian\b", ""),
)

#: (publisher, host, path): a page at ``host`` (or a host ending ``.host``) whose path starts
#: with ``path`` is the publisher's. A document's address is a line that is only a link (see
#: :func:`detect_source`), never a link inside a sentence.
SOURCE_SITES: tuple[tuple[str, str, str], ...] = (
    ("PoliticsHome", "politicshome.com", ""),
    ("The Independent", "independent.co.uk", ""),
    ("HuffPost", "huffingtonpost.co.uk", ""),
    ("HuffPost", "huffingtonpost.com", ""),
    ("HuffPost", "huffpost.com", ""),
    ("LabourList", "labourlist.org", ""),
    ("The Guardian", "theguardian.com", ""),
    ("The Guardian", "guardian.co.uk", ""),
    ("BBC News", "news.bbc.co.uk", ""),
    ("BBC News", "bbc.co.uk", "/news"),
    ("BBC News", "bbc.com", "/news"),
    ("The Telegraph", "telegraph.co.uk", ""),
    ("The Times", "thetimes.co.uk", ""),
    ("The Times", "thetimes.com", ""),
    ("New Statesman", "newstatesman.com", ""),
    ("The Spectator", "spectator.co.uk", ""),
    ("Sky News", "news.sky.com", ""),
    ("ConservativeHome", "conservativehome.com", ""),
)

#: a document's masthead, byline and address are looked for in this many non-empty lines at
#: its top (and its address on its last line too, where a saved page or an export puts it)
HEAD_LINES = 10


#: the other names a publisher of :data:`PUBLISHERS` goes by in exports and front matter
#: (as :func:`_publisher_key` reads them): "BBC" in a spreadsheet beside saved pages of BBC
#: News had made two sources of one outlet in a count by source
PUBLISHER_ALIASES = {
    "bbc": "BBC News", "bbc online": "BBC News", "bbc news online": "BBC News",
    "daily telegraph": "The Telegraph", "huffington post": "HuffPost",
}


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a data pattern; its spaces match any run of spaces (scraped text has NBSPs)."""
    return re.compile(pattern.replace(" ", r"\s+"), flags)


#: Lowercase literals a pattern needs beside its keyword, looked for in the lowered text as
#: the keyword is before the pattern is tried (many texts say "independent"; few "follow").
#: They hold no "i" or "s": every other letter a pattern matches, ignoring case, lower-cases
#: to that letter, but "ı" and "ſ" match "i" and "s" and lower-case to themselves, so a text
#: the pattern matches may lack a literal with one of them.
_ALSO_NEEDED: dict[str, tuple[str, ...]] = {
    r"follow other Independent readers": ("follow",),
}


@functools.cache
def _source_res() -> tuple[
    tuple[str, str, tuple[str, ...], re.Pattern[str], re.Pattern[str] | None], ...
]:
    """SOURCE_PATTERNS compiled, when first needed (a search imports this module, through the
    ingest readers its index's folders are checked with, and never detects a source), each
    with the literals it needs beside its keyword."""
    return tuple(
        (
            name, keyword, _ALSO_NEEDED.get(pattern, ()),
            compile_pattern(pattern, re.MULTILINE | re.IGNORECASE),
            compile_pattern(named, re.IGNORECASE) if named else None,
        )
        for name, keyword, pattern, named in SOURCE_PATTERNS
    )

_SOURCE_KEYWORDS = tuple(dict.fromkeys(keyword for _, keyword, _, _ in SOURCE_PATTERNS))
_SOURCE_ORDER = {name: i for i, name in enumerate(PUBLISHERS)}

#: a line that is only a link, after an optional label ("URL:", "Source:", "Read more at")
_LINK_LINE = re.compile(
    r"(?:(?:url|link|source|read more(?: at)?)\s*:?\s*)?(?:https?://)?"
    r"([a-z0-9.-]+\.[a-z]{2,})(?::\d+)?(/\S*)?",
    re.IGNORECASE,
)
#: a head line naming its publisher after a label ("Source: BBC News")
_LABELLED = re.compile(r"(?:source|publisher|publication)\s*:\s*(.+)", re.IGNORECASE)
#: what parts a byline ("By Jane Smith, Political Editor | The Guardian")
_BYLINE_PARTS = re.compile(r"[,|\u2013\u2014]|\s-\s")


def _publisher_key(name: str) -> str:
    """``name`` as :func:`publisher_named` compares it: casefolded, without a leading "the"
    and a trailing "UK"."""
    key = " ".join(name.casefold().split())
    key = key[4:] if key.startswith("the ") else key
    return key[:-3] if key.endswith(" uk") else key


def publisher_named(name: str) -> str | None:
    """The publisher a document names itself (a saved page's ``og:site_name``): one of
    :data:`PUBLISHERS` by the name they give it, as ``detect_source`` gives it ("the
    Guardian" and "HuffPost UK" are The Guardian and HuffPost, so a count by source does not
    split them), else ``name`` as it is; ``None`` for no name."""
    if not name.strip():
        return None
    return _publishers_by_key().get(_publisher_key(name), name.strip())


def known_publisher(name: str) -> str | None:
    """The publisher of :data:`PUBLISHERS` that ``name`` names ("BBC NEWS", "the
    Guardian"), as :func:`publisher_named` names it; ``None`` for any other name."""
    return _publishers_by_key().get(_publisher_key(name)) if name.strip() else None


@functools.cache
def _publishers_by_key() -> dict[str, str]:
    """Each publisher of :data:`PUBLISHERS` by its :func:`_publisher_key` (the first
    listed where two share one), made once rather than for every page."""
    known: dict[str, str] = {}
    for name in PUBLISHERS:
        known.setdefault(_publisher_key(name), name)
    return {**PUBLISHER_ALIASES, **known}


def _site_publisher(line: str) -> str | None:
    """The publisher whose site the link ``line`` is (alone on its line, after an optional
    label: ``https://www.bbc.co.uk/news/uk-1``, ``URL: theguardian.com/politics``), else
    ``None`` (a line with anything else beside the link is prose that mentions it)."""
    m = _LINK_LINE.fullmatch(line.strip())
    if m is None:
        return None
    host, path = m.group(1).casefold().rstrip("."), (m.group(2) or "").casefold()
    for name, site, under in SOURCE_SITES:
        if (host == site or host.endswith("." + site)) and path.startswith(under):
            return name
    return None


def _masthead_publisher(line: str) -> str | None:
    """The publisher a head line names as a masthead ("BBC NEWS"), a label ("Source: The
    Guardian") or a byline's last part ("By Jane Smith, The Times"); ``None`` otherwise."""
    line = line.strip()
    if len(line) > 200:
        return None
    labelled = _LABELLED.fullmatch(line)
    if labelled:
        return known_publisher(labelled.group(1))
    if line[:3].casefold() == "by ":
        parts = _BYLINE_PARTS.split(line)
        return known_publisher(parts[-1]) if len(parts) > 1 else None
    return known_publisher(line)


def _ends(text: str) -> tuple[list[str], str]:
    """The first :data:`HEAD_LINES` non-empty lines of ``text``, and its last one."""
    head = [line for line in text[:20_000].splitlines() if line.strip()][:HEAD_LINES]
    tail = [line for line in text[-2_000:].splitlines() if line.strip()]
    return head, tail[-1] if tail else ""


def detect_source(text: str, path: str | None = None) -> str | None:
    """The publisher a text comes from, by what the publisher prints about itself: its
    furniture (:data:`SOURCE_PATTERNS`), a masthead, label or byline among the first
    :data:`HEAD_LINES` non-empty lines, or a link to its site alone on a line there or on the
    last line. What the story says of an outlet never counts. The publisher with most
    such signs wins, a tie going to the earlier of :data:`PUBLISHERS`.

    ``path`` is accepted for future path-based rules and currently unused.
    """
    if not isinstance(text, str) or not text:
        return None
    text = text[:200_000]
    signs: set[tuple[str, str]] = set()
    lowered = text.lower()
    present = {keyword for keyword in _SOURCE_KEYWORDS if keyword in lowered}
    for name, keyword, needed, regex, named in _source_res():
        if (keyword in present and all(map(lowered.__contains__, needed))
                and regex.search(text) and (named is None or named.search(text))):
            signs.add((name, regex.pattern))
    head, last = _ends(text)
    for line in (*head, last):
        site = _site_publisher(line)
        if site:
            signs.add((site, "site " + line.strip()))
    for line in head:
        masthead = _masthead_publisher(line)
        if masthead:
            signs.add((masthead, "masthead " + line.strip()))
    counts = Counter(name for name, _ in signs)
    best = max(counts, key=lambda name: (counts[name], -_SOURCE_ORDER[name]), default=None)
    return best
