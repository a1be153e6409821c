"""Text primitives shared by the lexicon and the analyzer, so a form in a data file is
normalised exactly like a word in a document: hyphens, the word pattern, normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["HYPHENS", "LONG_CHUNK", "MAX_WORD_LENGTH", "WORD_RE", "long_words", "normalise_word"]


#: Characters that join the parts of a compound ("by-election"); other dashes separate words.
HYPHENS = frozenset("-\u2010\u2011")


_APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4\u2032"


#: One word of text: a run of letters/digits, possibly joined by apostrophes ("Corbyn's"),
#: with an optional tail: decimals after a digit ("3.5", "1,400") or, after a one-letter word,
#: dotted initials ("U.S."). ``_`` is never part of a word (``[^\W_]``), so text can never
#: yield a concept token like ``lib_dem``. (The common case is tried first: it is fastest.)
WORD_RE = re.compile(
    rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*"
    r"(?:(?<=\d)(?:[.,]\d+)+(?![^\W_])"
    r"|(?<![^\W_][^\W_])(?:\.[^\W\d_](?![^\W_]))+\.?)?"
)


#: The longest word the analyzer indexes, in characters (Lucene's ``maxTokenLength``): a
#: longer run of letters (a pasted hash, a broken file) is dropped as a stop word is, so
#: analysis costs the same per character however long the run.
MAX_WORD_LENGTH = 255

_APOS_TABLE = str.maketrans(dict.fromkeys(_APOSTROPHES[1:], "'"))


def _fold(raw: str) -> str:
    """NFKC-normalise, unify apostrophes and strip accents (non-ASCII input only)."""
    s = unicodedata.normalize("NFKC", raw).translate(_APOS_TABLE)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    # NFKC can expand a character into punctuation or spaces; keep word characters only.
    return "".join(c for c in s if c.isalnum() or c == "'" or c == ".")


@lru_cache(maxsize=200_000)
def normalise_word(raw: str) -> tuple[str, str]:
    """Map one word as written to ``(surface, key)``.

    ``surface`` keeps the case (for case-sensitive lexicon forms such as ``=Labour``), ``key``
    is lower case. Both are NFKC-normalised and accent-folded, possessives are dropped
    ("Corbyn's" -> "Corbyn", "MPs'" never reaches here with its apostrophe), apostrophes, dots
    and number separators removed, and an acronym plural loses its ``s`` ("MPs" -> "MP").
    Returns ``("", "")`` when nothing word-like is left.
    """
    s = raw.replace("`", "'") if raw.isascii() else _fold(raw)
    if "'" in s:
        if s.endswith(("'s", "'S")):
            s = s[:-2]
        s = s.replace("'", "")
    if "." in s and not s[0].isdigit():  # dotted initials (U.S.), not decimals (3.5)
        s = s.replace(".", "")
    if "," in s:
        s = s.replace(",", "")
    if len(s) >= 3 and s[-1] == "s" and s[:-1].isupper():
        s = s[:-1]  # acronym plural: MPs, MEPs, QCs, PMQs
    low = s.lower()
    if low == s:
        return low, low  # same object: the analyzer uses an identity test as its fast path
    return s, low


#: a whitespace-free run long enough to hold a word the tokenizer drops
LONG_CHUNK = re.compile(rf"\S{{{MAX_WORD_LENGTH + 1}}}")


def long_words(text: str) -> int:
    """How many words of ``text`` are longer than
    :data:`~corpus_search.analysis.text.MAX_WORD_LENGTH` characters: the analyzer drops them."""
    if LONG_CHUNK.search(text) is None:
        return 0
    return sum(
        1
        for chunk in text.split()
        if len(chunk) > MAX_WORD_LENGTH
        for m in WORD_RE.finditer(chunk)
        if m.end() - m.start() > MAX_WORD_LENGTH
    )
