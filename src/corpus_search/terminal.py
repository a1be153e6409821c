"""Text from documents and file names, made safe to reach a terminal.

One rule, :data:`UNPRINTABLE`: the C0 and C1 control characters other than tab and newline
(escape sequences can retitle, clear or reprogram a terminal; U+009B is a one-character
CSI) and the bidirectional embeddings, overrides and isolates (which reorder what is shown,
U+202A-U+202E and U+2066-U+2069). Text output drops them (:func:`strip_unprintable`); JSON
keeps them as ``\\uXXXX`` escapes (:func:`json_dumps`), so the data is unchanged once parsed.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["UNPRINTABLE", "json_dumps", "strip_unprintable"]

UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_unprintable(text: str) -> str:
    """``text`` without the characters of :data:`UNPRINTABLE`."""
    return UNPRINTABLE.sub("", text)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **kwargs)`` with every character of
    :data:`UNPRINTABLE` written as a ``\\uXXXX`` escape: other text stays readable, and
    parsing gives back exactly ``data``. (Outside strings JSON holds none of them: its own
    whitespace is spaces and newlines.)"""
    return UNPRINTABLE.sub(_escape, json.dumps(data, ensure_ascii=False, **kwargs))
