"""Why a query cannot run, in the user's terms: the reasons :func:`build_query
<corpus_search.search.parsing.build_query>` gives when it refuses a query that parsed to nothing
or that excludes every document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from whoosh import query

from corpus_search.search.operators import OPERATORS

__all__ = ["empty_value", "excludes_everything", "why_empty", "why_unreadable"]

#: a field given an empty quoted or bracketed value (``title:""``, ``party:()``), or a quoted
#: phrase (whose text it is, as in ``"party:()"``)
_EMPTY_VALUE = re.compile(r'(?<![\w:])\w+:(?:""|\(\s*\))|"[^"]*"')


def empty_value(text: str) -> str | None:
    """Why the query ``text`` cannot run when it gives a field an empty value (``party:()``,
    ``title:""``; not inside a quoted phrase), or ``None``. Alone or beside other words alike:
    ``Blair party:()`` had searched Blair alone without a word, where ``party:()`` alone was
    refused."""
    for empty in _EMPTY_VALUE.finditer(text):
        if not empty.group().startswith('"'):
            marks = "quotes" if empty.group().endswith('"') else "brackets"
            return (f"{empty.group()} has an empty value: put the words to search for between "
                    f"the {marks}.")
    return None


def why_empty(words: Sequence[str]) -> str:
    """Why a query of these plain ``words`` (its text without syntax characters) has
    nothing to search for."""
    words = [w for w in words if any(ch.isalnum() for ch in w)]
    if not words:
        return "it has no words, only symbols or punctuation. Type a word to search for."
    if all(w in OPERATORS for w in words):
        return ("it has only operators (AND, OR, NOT), which join words. "
                "Type the words to search for.")
    return ("its words are all too common to be indexed (like 'the' or 'of'). "
            "Add a more specific word.")


def excludes_everything(q: query.Query) -> bool:
    """Whether ``q`` leaves out every document (``x NOT *``). Whoosh's own counting gets
    that wrong (it still counts x's documents), so such a query is refused before it runs."""
    excluded = (q.b if isinstance(q, query.AndNot)
                else q.query if isinstance(q, query.Not) else None)
    if excluded is not None:
        alternatives = excluded.subqueries if isinstance(excluded, query.Or) else [excluded]
        if any(isinstance(e, query.Every) and not e.fieldname for e in alternatives):
            return True
    return not q.is_leaf() and any(excludes_everything(child) for child in q.children())


def why_unreadable(text: str) -> str | None:
    """Why the query ``text`` cannot be searched as given (``None``: it can): it holds bytes
    that were not UTF-8 (a terminal in Latin-1: Python keeps each as a lone surrogate), or
    U+FFFD, which a decoder leaves where it could not read a character. Either had been read
    as a space, so that ``caf\\xe9`` counted the documents holding "caf"."""
    lost = [ch for ch in text if "\ud800" <= ch <= "\udfff"]
    if lost:
        shown = "".join(_as_byte(ch) if "\ud800" <= ch <= "\udfff" else ch for ch in text)
        named = ", ".join(dict.fromkeys(_as_byte(ch) for ch in lost))
        return (f"The query '{shown}' holds bytes that are not UTF-8 text ({named}), so it "
                "cannot be searched as typed: set the terminal (or the file it came from) to "
                "UTF-8 and type it again.")
    if "\ufffd" in text:
        return (f"The query '{text}' holds U+FFFD (\ufffd), the mark a decoder leaves where it "
                "could not read a character: the character is lost, so type the query again "
                "with it.")
    return None


def _as_byte(ch: str) -> str:
    """A lone surrogate as the byte it stands for (``\\xe9``: Python's surrogateescape), or
    as its code point when it is none."""
    code = ord(ch)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
