"""Publisher detection: which outlet a document comes from, by the furniture of its text
or its path.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

__all__ = ["SOURCE_PATTERNS", "detect_source", "known_publisher", "publisher_named"]


# (publisher, keyword, pattern, weight). A pattern is tried only when its keyword (a lowercase
# literal, cheap to look for) occurs in the text. A publisher is recognised when the weights of
# its distinct matching patterns add up to at least _SOURCE_THRESHOLD; the highest total wins,
# ties go to the earlier row. Weight 3: the publisher's own furniture (self-promotion blurbs,
# URLs, the "Posted On:" dateline); weight 1: hints such as "told LabourList", which a
# publisher writes about itself but also about a rival it quotes, so a hint alone never decides.
SOURCE_PATTERNS: tuple[tuple[str, str, str, int], ...] = (
    ("PoliticsHome", "posted", r"^Posted On:\s*$", 3),
    ("PoliticsHome", "politicshome", r"politicshome\.com", 3),
    ("PoliticsHome", "politicshome", r"\btold PoliticsHome\b", 1),
    ("PoliticsHome", "politicshome", r"\bPoliticsHome\b", 1),
    ("The Independent", "independent", r"notifications from The Independent", 3),
    ("The Independent", "independent", r"follow other Independent readers", 3),
    ("The Independent", "independent", r"The Independent is on the ground", 3),
    ("The Independent", "independent", r"independent\.co\.uk", 3),
    ("The Independent", "independent", r"\btold The Independent\b", 1),
    ("HuffPost", "huff", r"huffingtonpost\.co\.uk|huffpost\.com", 3),
    ("HuffPost", "huff", r"\btold (?:HuffPost( UK)?|the Huffington Post( UK)?)\b", 1),
    ("HuffPost", "hot", r"^What's Hot\s*$", 1),
    ("LabourList", "labourlist", r"^More from LabourList", 3),
    ("LabourList", "labourlist", r"labourlist\.org", 3),
    ("LabourList", "labourlist", r"\btold LabourList\b", 1),
    ("The Guardian", "guardian", r"theguardian\.com|guardian\.co\.uk", 3),
    ("The Guardian", "guardian", r"\bsupport the Guardian\b", 3),
    ("The Guardian", "guardian", r"\btold the Guardian\b", 1),
    ("BBC News", "bbc", r"bbc\.co\.uk/news|bbc\.com/news", 3),
    ("BBC News", "bbc", r"\bBBC News website\b", 1),
    ("BBC News", "bbc", r"\btold (?:the )?BBC\b(?! News website)", 1),  # one phrase, one hint
    ("The Telegraph", "telegraph", r"telegraph\.co\.uk", 3),
    ("The Telegraph", "telegraph", r"\btold the (?:Daily )?Telegraph\b", 1),
    ("The Times", "times", r"thetimes\.co\.uk", 3),
    ("The Times", "times", r"\btold The Times\b", 1),
    ("New Statesman", "statesman", r"newstatesman\.com", 3),
    ("New Statesman", "statesman", r"\btold the New Statesman\b", 1),
    ("The Spectator", "spectator", r"spectator\.co\.uk", 3),
    ("The Spectator", "spectator", r"\btold The Spectator\b", 1),
    ("Sky News", "sky", r"news\.sky\.com", 3),
    ("Sky News", "sky", r"\btold Sky News\b", 1),
    ("ConservativeHome", "conservativehome", r"conservativehome\.com", 3),
    ("ConservativeHome", "conservativehome", r"\btold ConservativeHome\b", 1),
)


_SOURCE_THRESHOLD = 2

#: the other names a publisher of :data:`SOURCE_PATTERNS` goes by in exports and front matter
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
#: the keyword is before the pattern is tried (a text with "bbc" seldom has "told" or "web";
#: the ignore-case search over the whole text is what costs). They hold no "i" or "s": every
#: other letter a pattern matches, ignoring case, lower-cases to that letter, but "ı" and
#: "ſ" match "i" and "s" and lower-case to themselves, so a text the pattern matches may lack
#: a literal with one of them.
_ALSO_NEEDED: dict[str, tuple[str, ...]] = {
    r"bbc\.co\.uk/news|bbc\.com/news": ("bbc.co",),
    r"\bBBC News website\b": ("web",),
    r"follow other Independent readers": ("follow",),
    r"thetimes\.co\.uk": (".co.uk",),
}


def _needed(pattern: str) -> tuple[str, ...]:
    """What :data:`_ALSO_NEEDED` gives for ``pattern``, and "told" for a "told X" hint."""
    told = ("told",) if pattern.startswith(r"\btold ") else ()
    return told + _ALSO_NEEDED.get(pattern, ())


@functools.cache
def _source_res() -> tuple[tuple[str, str, tuple[str, ...], re.Pattern[str], int], ...]:
    """SOURCE_PATTERNS compiled, when first needed (a search imports this module, through the
    ingest readers its index's folders are checked with, and never detects a source), each
    with the literals it needs beside its keyword."""
    return tuple(
        (
            name, keyword, _needed(pattern),
            compile_pattern(pattern, re.MULTILINE | re.IGNORECASE), weight,
        )
        for name, keyword, pattern, weight in SOURCE_PATTERNS
    )

_SOURCE_KEYWORDS = tuple(dict.fromkeys(keyword for _, keyword, _, _ in SOURCE_PATTERNS))
#: publisher -> its first row (ties go to the earlier row)
_SOURCE_ORDER: dict[str, int] = {}
for _i, (_name, *_rest) in enumerate(SOURCE_PATTERNS):
    _SOURCE_ORDER.setdefault(_name, _i)


def _publisher_key(name: str) -> str:
    """``name`` as :func:`publisher_named` compares it: casefolded, without a leading "the"
    and a trailing "UK"."""
    key = " ".join(name.casefold().split())
    key = key[4:] if key.startswith("the ") else key
    return key[:-3] if key.endswith(" uk") else key


def publisher_named(name: str) -> str | None:
    """The publisher a document names itself (a saved page's ``og:site_name``): one of
    :data:`SOURCE_PATTERNS` by the name they give it, as ``detect_source`` gives it ("the
    Guardian" and "HuffPost UK" are The Guardian and HuffPost, so a count by source does not
    split them), else ``name`` as it is; ``None`` for no name."""
    if not name.strip():
        return None
    return _publishers_by_key().get(_publisher_key(name), name.strip())


def known_publisher(name: str) -> str | None:
    """The publisher of :data:`SOURCE_PATTERNS` that ``name`` names ("BBC NEWS", "the
    Guardian"), as :func:`publisher_named` names it; ``None`` for any other name."""
    return _publishers_by_key().get(_publisher_key(name)) if name.strip() else None


@functools.cache
def _publishers_by_key() -> dict[str, str]:
    """Each publisher of :data:`SOURCE_PATTERNS` by its :func:`_publisher_key` (the first
    listed where two share one), made once rather than for every page."""
    known: dict[str, str] = {}
    for name in _SOURCE_ORDER:
        known.setdefault(_publisher_key(name), name)
    return {**PUBLISHER_ALIASES, **known}


def detect_source(text: str, path: str | None = None) -> str | None:
    """The publisher a text comes from, recognised from its bylines, blurbs and URLs.

    ``path`` is accepted for future path-based rules and currently unused.
    """
    if not isinstance(text, str) or not text:
        return None
    text = text[:200_000]
    lowered = text.lower()
    present = {keyword for keyword in _SOURCE_KEYWORDS if keyword in lowered}
    if not present:
        return None
    scores: Counter[str] = Counter()
    for name, keyword, needed, regex, weight in _source_res():
        if keyword in present and all(map(lowered.__contains__, needed)) and regex.search(text):
            scores[name] += weight
    best = [(score, -_SOURCE_ORDER[name], name) for name, score in scores.items()]
    if not best:
        return None
    score, _, name = max(best)
    return name if score >= _SOURCE_THRESHOLD else None
