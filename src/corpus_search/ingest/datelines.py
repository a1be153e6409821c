"""Datelines: a publication date stated on a short line near the top of a text.

A date inside a sentence is never one: an obituary's birth date or a profile's "11 September
2001" is worse than no date at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from corpus_search.ingest.date_forms import MONTH_NAME, WEEKDAY, parse_date_span

__all__ = ["DATELINE_LINES", "find_dateline"]


#: A dateline is looked for in this many non-empty lines at the top (title included).
DATELINE_LINES = 10


#: A dateline is a short line; longer lines are sentences.
_DATELINE_CHARS = 100


_LABEL = (
    r"^\s*(?:(?:first\s+|last\s+)?(?:posted|published|updated|modified|filed)|dated?)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*"
)


#: a capitalised name that is not a month or a weekday
_NAME = rf"(?!(?i:{MONTH_NAME}|{WEEKDAY})\b)[A-Z][\w.'’-]*"


_NAMES = rf"[Bb]y\s+{_NAME}(?:\s+(?:{_NAME}|and|&|de|van|von|der|la|le))*"


_SEPARATOR = r"\s*[|,·•–—/-]+\s*|\s+"


@functools.cache
def _dateline_parts() -> tuple[re.Pattern[str], ...]:
    """What a dateline may hold around its date, removed in this order: a byline before it
    and after it, a label (``Posted On:``), a place in capitals (``LONDON,``), then the
    separators left at either end."""
    return (
        re.compile(rf"^\s*{_NAMES}(?:{_SEPARATOR})"),
        re.compile(rf"(?:{_SEPARATOR}){_NAMES}\s*$"),
        re.compile(_LABEL, re.IGNORECASE),
        re.compile(r"^\s*[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+){0,2}\s*[,:–—-]\s*"),
        re.compile(r"^[\s|·•–—-]+|[\s|·•–—-]+$"),
    )


#: Markdown's emphasis marks, outside words: a dateline set in italics or bold
#: (``*By Jane Smith | 16 March 2005*``, ``**Posted On:** 13th March 2017``) is one
_EMPHASIS = re.compile(r"(?<![\w*])[*_]+|[*_]+(?![\w*])")


def _dateline_date(line: str) -> dt.date | None:
    """The date of a dateline-shaped line: a date (with weekday and time) and nothing else but
    a label (``Posted On:``, ``Published``), a byline (``By Jane Smith |``) or a place in
    capitals (``LONDON,``). A date inside a sentence is not a dateline."""
    if len(line) > _DATELINE_CHARS or not any(ch.isdigit() for ch in line):
        return None
    byline_before, byline_after, label, place, trim = _dateline_parts()
    line = _EMPHASIS.sub("", line)
    rest = byline_after.sub("", byline_before.sub("", line))
    rest = place.sub("", label.sub("", rest))
    span = parse_date_span(trim.sub("", rest))
    return span.first if span is not None and span.precision == "day" else None


def find_dateline(text: str, lines: int = DATELINE_LINES) -> dt.date | None:
    """The date of the first dateline among the first ``lines`` non-empty lines of ``text``."""
    if not isinstance(text, str):
        return None
    seen = 0
    for line in text[:20_000].splitlines():
        if not line.strip():
            continue
        date = _dateline_date(line)
        if date is not None:
            return date
        seen += 1
        if seen >= lines:
            break
    return None
