"""Text from documents and file names, made safe to reach a terminal.

One rule, :data:`UNPRINTABLE`: the C0 and C1 control characters other than tab and newline
(escape sequences can retitle, clear or reprogram a terminal; U+009B is a one-character
CSI) and the bidirectional embeddings, overrides and isolates (which reorder what is shown,
U+202A-U+202E and U+2066-U+2069). Text output drops them (:func:`strip_unprintable`); JSON
keeps them as ``\\uXXXX`` escapes (:func:`json_dumps`), so the data is unchanged once parsed.
And the wordings every layer's messages share: a count in words (:func:`counted`), the typed
words no document holds (:func:`not_found_line`).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["NOT_FOUND", "UNPRINTABLE", "as_written", "counted", "json_dumps", "not_found_line",
           "partly_found_line",
           "strip_unprintable", "tolerant_streams", "utf8_streams", "whole_writes"]

UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def counted(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``, ``0 documents``: a count with its noun in the right
    number (the noun's plural adds an s), never ``document(s)``, which a reader has to undo."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: the words before the typed words no document holds (the command line colours them alone)
NOT_FOUND = "Not found in any document:"


def not_found_line(words: Sequence[str],
                   partly_found: Mapping[str, Sequence[str]] | None = None) -> str:
    """The sentence naming the typed words no document holds, as the command line, a
    result's repr, the web pages and a download's header all say it; a lexicon term of them
    some of whose words documents hold (``partly_found``) is said apart,
    :func:`partly_found_line`: "Not found in any document: Sinn Féin" over a result holding
    "Sinn" read as a contradiction."""
    partly = partly_found or {}
    whole = [word for word in words if not partly.get(word)]
    return " ".join([*([f"{NOT_FOUND} {', '.join(whole)}"] if whole else []),
                     *(partly_found_line(word, partly[word]) for word in words
                       if partly.get(word))])


def partly_found_line(term: str, held: Sequence[str]) -> str:
    """The sentence on a lexicon ``term`` no document names in any form, of whose words
    documents hold those ``held``: what a search for it matches instead."""
    words = " and ".join(held)
    which = f"its word {words} is" if len(held) == 1 else f"its words {words} are"
    return (f"No document names {term}; only {which} found, so a search result for it "
            f"holds {'that word' if len(held) == 1 else 'those words'}, not the term.")


def strip_unprintable(text: str) -> str:
    """``text`` without the characters of :data:`UNPRINTABLE`."""
    return UNPRINTABLE.sub("", text)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **kwargs)`` (unless told otherwise) with every
    character of :data:`UNPRINTABLE` written as a ``\\uXXXX`` escape: other text stays readable, and
    parsing gives back exactly ``data``. (Outside strings JSON holds none of them: its own
    whitespace is spaces and newlines.)"""
    kwargs.setdefault("ensure_ascii", False)
    return UNPRINTABLE.sub(_escape, json.dumps(data, **kwargs))


def utf8_streams() -> bool:
    """Whether standard output and error write UTF-8, as they do under every UTF-8 locale
    and under the C locale (PEP 538/540); ``PYTHONIOENCODING`` or a legacy locale can make
    them ASCII or Latin-1."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            if codecs.lookup(encoding).name != "utf-8":
                return False
        except LookupError:
            return False
    return True


def as_written(text: str) -> str:
    """``text`` as standard output writes it: unchanged in UTF-8, else with what its encoding
    lacks as the backslash escapes :func:`tolerant_streams` makes (``\\u2019``), so output
    that pads or cuts text to a width (a concordance's columns) measures what is shown."""
    if utf8_streams():
        return text
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    return text.encode(encoding, "backslashreplace").decode(encoding)


def whole_writes() -> None:
    """Standard output that writes all it is given, or fails. Unbuffered (``python -u``,
    PYTHONUNBUFFERED=1, which many container images set) its text layer writes straight to
    the raw file, whose write takes only what fits when the disk fills (a short write), and
    drops the rest without an error: ``search --json > out.json`` on a disk that filled part
    way left a cut-off file and exit 0. A buffered writer writes the rest, or raises the
    disk's error; flushed at each line, the output still goes out as it is printed."""
    stream = sys.stdout
    if not (isinstance(stream, io.TextIOWrapper) and isinstance(stream.buffer, io.RawIOBase)):
        return
    encoding, errors = stream.encoding, stream.errors
    whole = io.TextIOWrapper(io.BufferedWriter(stream.detach()), encoding=encoding,
                             errors=errors, line_buffering=True)
    if sys.__stdout__ is stream:
        sys.__stdout__ = whole
    sys.stdout = whole


def tolerant_streams() -> None:
    """Let standard output and error that cannot write UTF-8 write what their encoding lacks
    as backslash escapes (``Kennedy\\u2019s``) rather than end the command with a
    ``UnicodeEncodeError``: documents hold curly quotes and pound signs whatever the
    terminal. (``--json`` output is then written all ASCII, with JSON's own escapes.)"""
    if utf8_streams():
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
