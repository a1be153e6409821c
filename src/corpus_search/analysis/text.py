"""Text primitives shared by the lexicon and the analyzer, so a form in a data file is
normalised exactly like a word in a document: hyphens, the word pattern, normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ABBREVIATIONS",
    "CURRENCY",
    "HYPHENS",
    "LONG_CHUNK",
    "MAX_WORD_LENGTH",
    "PERCENT",
    "SENTENCE_GAP",
    "TOKEN_RE",
    "WORD_RE",
    "bare_amount",
    "clock_reading",
    "in_typed_case",
    "is_number",
    "long_words",
    "normalise_word",
    "sentence_cuts",
    "with_typed_apostrophes",
]


#: Characters that join the parts of a compound ("by-election"); other dashes separate words.
HYPHENS = frozenset("-\u2010\u2011")


_APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4\u2032"


#: One word of text: a run of letters/digits, possibly joined by apostrophes ("Corbyn's"),
#: with an optional tail: decimals after a digit, with any letters after them ("3.5",
#: "1,400", "1.13bn", "10.30am"), a clock time's am/pm after a colon ("5:30pm", "5:pm": a
#: time, as "5.30pm" is, never the words "5" and "pm", the Prime Minister's acronym) or,
#: after a one-letter word, dotted initials ("U.S."). ``_`` is never part of a word
#: (``[^\W_]``), so text can never yield a concept token like ``lib_dem``. (The common case
#: is tried first: it is fastest.)
WORD_RE = re.compile(
    rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*"
    r"(?:(?:(?<=(?<![^\W_])\d)|(?<=(?<![^\W_])\d\d))"
    r"(?:[.:][0-5]\d)?:?[aApP](?:[mM]|\.[mM]\.?)(?![^\W_])"
    r"|(?<=\d)(?:[.,]\d+)+[^\W\d_]*(?![^\W_])"
    r"|(?<![^\W_][^\W_])(?:\.[^\W\d_](?![^\W_]))+\.?)?"
)

#: A clock time's word (WORD_RE's first tail), each way of writing it ("5:30pm", "5.30:pm",
#: "11:p.m.", "5:pm") read as one ("5.30pm", "11pm", "5pm"): hour, minutes, a or p, m
_CLOCK = re.compile(r"(\d{1,2})(?:[.:]([0-5]\d))?:?([aApP])\.?([mM])\.?")

#: A clock time written with a space before its am/pm ("5 pm", "5.30 PM", "11 p.m."): an
#: hour of one or two digits, not part of a longer number or amount
_SPACED_CLOCK = re.compile(
    r"(?<![^\W_]|[.,:\d])(?<![$\u00a3\u20ac])\d{1,2}(?:[.:][0-5]\d)?"
    r"([ \t\u00a0])[aApP](?:[mM]|\.[mM]\.?)(?![^\W_])"
)

#: What every spaced clock time holds: a digit, the space, and am or pm
_CLOCK_HINT = re.compile(r"\d[ \t\u00a0][aApP]\.?[mM]")


def clock_reading(text: str) -> str | None:
    """``text`` with the space of each clock time written with one ("5 pm", "11 p.m.")
    read as the colon of one written without ("5:pm", a word of :data:`WORD_RE`), so "5 PM"
    is the time "5pm" and never the Prime Minister's acronym, whatever the text is about;
    None when there is none. Only that character changes: the reading has the text's length,
    offsets and sentences (its chunks join the time's two)."""
    if not _CLOCK_HINT.search(text):  # (a fifth of _SPACED_CLOCK's time, led by lookbehinds)
        return None
    spans = [m.start(1) for m in _SPACED_CLOCK.finditer(text)]
    if not spans:
        return None
    out, last = [], 0
    for at in spans:
        out += (text[last:at], ":")
        last = at + 1
    out.append(text[last:])
    return "".join(out)


#: Currency symbols: one written just before a number is part of the amount ("£1bn",
#: "$1.13bn", "US$5m", "€3m"). (Each is its own NFKC form, but for the full-width ones,
#: whose forms are in the set too.)
CURRENCY = (
    "$\u00a3\u00a5\u20ac\u20a4\u20a6\u20a9\u20aa\u20ab\u20b1\u20b4\u20b8\u20b9\u20ba\u20bd\u20bf"
)
_CURRENCY_WIDE = "\uff04\uffe1\uffe5\uffe6"
_CURRENCY_SET = frozenset(CURRENCY + _CURRENCY_WIDE)

#: A percentage's sign: written just after a number it is part of the amount ("2.5%",
#: full-width "2.5％" too); "2.5pc" is the same amount (see :func:`normalise_word`).
PERCENT = "%"
_PERCENT_SET = frozenset("%\uff05")

#: A word as the analyzer reads it: :data:`WORD_RE`, with a currency symbol written just
#: before a number ("£1bn") and a percent sign just after one ("2.5%") as part of it.
TOKEN_RE = re.compile(
    rf"(?:[{CURRENCY}{_CURRENCY_WIDE}](?=\d))?" + WORD_RE.pattern + r"(?:(?<=\d)[%\uff05])?"
)

#: a normalised number: digits, with decimals ("2.5"; separators "1,400" are gone)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)*")


def is_number(key: str) -> bool:
    """Is ``key`` (a normalised word) a plain number ("2.5", "1400")? One written before
    "per cent" or "percent" is a percentage (the analyzer's AmountFilter)."""
    return _NUMBER.fullmatch(key) is not None


def bare_amount(key: str) -> str | None:
    """The bare number of an amount (a normalised word): "1bn" of a currency amount
    "£1bn", "2.5" of a percentage "2.5%"; None for any other word. A document holds both,
    so the bare number finds every currency and percentage that writes it."""
    if key[:1] in _CURRENCY_SET:
        return key[1:]
    if key[-1:] == PERCENT and len(key) > 1:
        return key[:-1]
    return None


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
    return "".join(c for c in s if c.isalnum() or c in "'.:")


def in_typed_case(word: str, typed: str) -> str:
    """``word`` (in lower case) in the case ``typed`` was written in: capitals (``DEM*``,
    ``DEFENSE``), a capital first (``Dem*``, ``Defense``) or lower case. A query's words the
    search rewrites (a wildcard's completions, a British respelling) keep the reader's case,
    which decides how names and parties are read."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def with_typed_apostrophes(word: str, typed: str) -> str:
    """``word``, a word of the texts put for the word ``typed`` (a correction, folded as
    :func:`normalise_word` folds: no apostrophe, no possessive), with the apostrophes and
    possessive ending ``typed`` wrote: ``chancelor's`` is corrected to "chancellor's", not
    "chancellor", and ``o'brein`` to "o'brien", not "obrien". An apostrophe inside the word
    is put back where the letters before it are the same in both."""
    ending = ""
    if len(typed) > 1 and typed[-2] in _APOSTROPHES and typed[-1] in "sS":
        typed, ending = typed[:-2], typed[-2:]
    elif typed and typed[-1] in _APOSTROPHES:
        typed, ending = typed[:-1], typed[-1]
    out, last = [], 0
    for i, ch in enumerate(typed):
        if ch in _APOSTROPHES and i:
            before = normalise_word(typed[:i])[1]
            n = len(before)
            if last < n < len(word) and word[:n].lower() == before:
                out += (word[last:n], ch)
                last = n
    out.append(word[last:])
    return "".join(out) + ending


_PC = frozenset(("pc", "PC"))


@lru_cache(maxsize=200_000)
def normalise_word(raw: str) -> tuple[str, str]:
    """Map one word as written to ``(surface, key)``.

    ``surface`` keeps the case (for case-sensitive lexicon forms such as ``=Labour``), ``key``
    is lower case. Both are NFKC-normalised and accent-folded, possessives are dropped
    ("Corbyn's" -> "Corbyn", "MPs'" never reaches here with its apostrophe), apostrophes, dots
    and number separators removed, and an acronym plural loses its ``s`` ("MPs" -> "MP").
    Returns ``("", "")`` when nothing word-like is left. A currency symbol before a number
    (:data:`TOKEN_RE`) stays, in its NFKC form: ``"£1bn"``, ``"$1.13bn"``; so does a
    percent sign after one, and a number's "pc" is one: ``"2.5%"`` (of "2.5pc", "2.5％").
    """
    if raw[-1:] in _PERCENT_SET and raw[-2:-1].isdigit():
        surface, key = normalise_word(raw[:-1])
        return (surface + PERCENT, key + PERCENT) if key else ("", "")
    if raw[-2:] in _PC and raw[-3:-2].isdigit():  # "2.5pc", the newspapers' per cent
        surface, key = normalise_word(raw[:-2])
        if is_number(key):
            return key + PERCENT, key + PERCENT
    if raw[:1] in _CURRENCY_SET and raw[1:2].isdigit():
        surface, key = normalise_word(raw[1:])
        if not key:
            return "", ""
        symbol = unicodedata.normalize("NFKC", raw[0])
        key = symbol + key
        return (key, key) if surface == key[1:] else (symbol + surface, key)
    s = raw.replace("`", "'") if raw.isascii() else _fold(raw)
    if "'" in s:
        if s.endswith(("'s", "'S")):
            s = s[:-2]
        s = s.replace("'", "")
    if s[:1].isdigit() and (clock := _CLOCK.fullmatch(s)):  # "5:30pm" is "5.30pm"
        hour, minutes, half, m = clock.groups()
        s = hour + ("." + minutes if minutes else "") + half + m
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
    :data:`~corpus_search.analysis.text.MAX_WORD_LENGTH` characters: the analyzer drops them.

    (The longest whitespace-separated chunk decides whether any is: a quarter cheaper than
    :data:`LONG_CHUNK`'s search, which counts each chunk's characters from each of them.)"""
    chunks = text.split()
    if max(map(len, chunks), default=0) <= MAX_WORD_LENGTH:
        return 0
    return sum(
        1
        for chunk in chunks
        if len(chunk) > MAX_WORD_LENGTH
        for m in TOKEN_RE.finditer(chunk)
        if m.end() - m.start() > MAX_WORD_LENGTH
    )


#: Positions left empty where a sentence ends (see :func:`sentence_cuts`): as many as
#: Elasticsearch's ``position_increment_gap`` leaves between the values of a field, more than
#: any phrase's stop words or its ``~`` distance and the proximity bonus's reach, so neither a
#: phrase nor closeness joins the words of two sentences.
SENTENCE_GAP = 100


#: Abbreviations that end in a full stop before a name ("Mr. Blair", "Dr. Reid", "St. Ives",
#: "Gen. Jackson"): their stop ends no sentence. (A single letter, "J. K. Rowling", "U.S.",
#: ends none either; "No. 10" and "Jan. 5" need no entry: a digit follows them.)
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "mx", "messrs", "dr", "prof", "rev", "revd", "fr", "st", "gen", "lt",
    "col", "maj", "capt", "cdr", "cmdr", "sgt", "cpl", "pte", "adm", "brig", "gov", "sen",
    "rep", "supt", "insp", "det", "cllr", "hon", "rt", "mme", "mlle", "vs", "cf", "approx",
))  # fmt: skip

_NEWLINE_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # str.splitlines() breaks
_LINE_BREAK = r"(?:\r\n|\r(?!\n)|[\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])"  # \r\n is one
_SPACE = rf"[^\S{_NEWLINE_CHARS}]"  # whitespace within a line
_CLOSERS = "\"'\u2019\u201d\u00bb)\\]"
_OPENERS = "\"'\u2018\u201c\u00ab(\\["

_NEWLINE_SET = frozenset(_NEWLINE_CHARS)

def _not_after(words: frozenset[str] | None) -> str:
    """Look-behinds (fixed width, one per length) refusing a full stop right after one of
    ``words`` (any case), or after one letter when ``words`` is None, that starts the text or
    follows neither a letter or digit nor an apostrophe ("don't." ends, "U.S." does not)."""
    apostrophes = _APOSTROPHES.replace("\u2018", "") + "\u2018"
    if words is None:
        groups = [r"[^\W\d_]"]
    else:
        by_length: dict[int, list[str]] = {}
        for w in sorted(words):
            by_length.setdefault(len(w), []).append(w)
        groups = [f"(?i:{'|'.join(ws)})" for _n, ws in sorted(by_length.items())]
    return "".join(rf"(?<!(?:_|[^\w{apostrophes}]){g}\.)(?<!^{g}\.)" for g in groups)


_MARKS = ".!?\u2026"
_AFTER_MARKS = (
    rf"[{_MARKS}]*[{_CLOSERS}]*"
    rf"(?:{_SPACE}*{_LINE_BREAK}\s*"
    rf"|{_SPACE}+(?=[{_OPENERS}]*(?:[A-Z]|[{CURRENCY}{_CURRENCY_WIDE}]\d|(?P<next>[^\W\d_a-z]))))"
)

#: Where a sentence may end, right after a word: its mark (. ! ? or an ellipsis, after up
#: to two closing quotes or brackets and before any; a full stop, not an ellipsis, right
#: after one letter or an abbreviation is none), then a line break, or spaces before any
#: opening quotes or brackets and a capital (group "next" for one outside ASCII, whose case
#: is read after) or a currency amount ("£1bn was spent"); or a line break and the
#: whitespace after it (a blank line?). A match ends where the next text begins. (The
#: pattern starts with a set of single characters, which the regex engine scans for fast:
#: one starting with a look-behind was tried at every character, and took a quarter of the
#: index build's analysis.)
_ENDS = re.compile(
    rf"[{_MARKS}{_NEWLINE_CHARS}](?:(?<=[{_MARKS}])(?:"
    rf"(?<=[^\W_].)(?:(?=\.)|{_not_after(None)}{_not_after(ABBREVIATIONS)})"
    rf"|(?<=[^\W_][{_CLOSERS}].)|(?<=[^\W_][{_CLOSERS}][{_CLOSERS}].))"
    rf"{_AFTER_MARKS}"
    rf"|(?<=[{_NEWLINE_CHARS}])\s*)"
)

#: a line break (\r\n is one)
_BREAK = re.compile(_LINE_BREAK)


def sentence_cuts(text: str) -> list[int]:
    """The offsets in ``text`` where a sentence ends, in order: the start of what follows
    the end, after its whitespace. A sentence ends, after a word, at

    - a full stop, ``!``, ``?`` or an ellipsis (with closing quotes or brackets, up to two
      before it, any after it) before a line break, or before spaces and a capital letter
      or a currency amount (after any opening quote or bracket): "won. Labour", "rose. £1bn
      was", 'said." The', "over? (Yes"; not "won. labour", '"Go!" he said', "Mr. Blair",
      "J. K. Rowling", "the U.S. Senate", "No. 10", "1.5": no full stop after one letter or
      an abbreviation of :data:`ABBREVIATIONS` (an apostrophe before the letter makes it
      part of a word: "don't." ends a sentence);
    - a blank line (a paragraph's end, a heading's), whatever else comes before it;
    - a line break before a line that starts a block, or after a heading ("- Cut",
      "• Cut", "## Results", "=====": :data:`_BLOCK_START`).

    Any other single line break is no end (text wrapped at a width breaks sentences in
    their middle). The analyzer leaves :data:`SENTENCE_GAP` positions empty at each cut.
    """
    cuts = []
    newline = _NEWLINE_SET
    lines = _LineStarts(text)
    for m in _ENDS.finditer(text):
        start = m.start()
        if text[start] in newline:  # (a line break and the whitespace after it)
            if (_blank(m.group()) or _block_edge(text, start, m.end(), lines)) and _after_word(
                    text, start):
                cuts.append(m.end())
            continue
        nxt = m.group("next")
        if nxt is None or nxt.isupper():
            cuts.append(m.end())
    return cuts


#: A line that starts a block of its own, which no wrapped paragraph's line continues
#: (CommonMark's block starts that interrupt a paragraph): a list item after its bullet and a
#: space ("- Pledged", "• Cut"), a heading after its "#"s ("## Results"), a rule or a heading's
#: underline ("-----", "=====").
_BLOCK_START = re.compile(
    r"[-*+\u2022\u2023\u2043\u25aa\u25e6\u25cf][^\S\n]"
    r"|#{1,6}(?:[^\S\n]|$)"
    r"|(?:[=-][^\S\n]*){3,}$|(?:[*_][^\S\n]*){3,}$",
    re.MULTILINE,
)


class _LineStarts:
    """Where the line holding an offset of ``text`` starts, for offsets asked in increasing
    order: one pass over the text's line breaks in all, where a search back from each break
    for the one before read the text from its start again (quadratic: 2 s for a 2 MB text of
    wrapped lines)."""

    def __init__(self, text: str) -> None:
        self._breaks = _LINE_BREAK_RE.finditer(text)
        self._next = next(self._breaks, None)
        self._start = 0

    def of(self, offset: int) -> int:
        """The start of the line holding ``offset`` (after the last line break before it)."""
        while self._next is not None and self._next.start() < offset:
            self._start = self._next.end()
            self._next = next(self._breaks, None)
        return self._start


_LINE_BREAK_RE = re.compile(_LINE_BREAK)


def _block_edge(text: str, start: int, end: int, lines: _LineStarts) -> bool:
    """Does the line break at ``start`` (the next line's text at ``end``) end a block: the
    next line starts one (:data:`_BLOCK_START`), or the line before is a heading ("## Results")
    or a heading's underline?"""
    if _BLOCK_START.match(text, end):
        return True
    line = lines.of(start)
    while line < start and text[line] in " \t":
        line += 1
    return text.startswith("#", line) and _BLOCK_START.match(text, line) is not None


def _blank(space: str) -> bool:
    """Does ``space`` (a match of _ENDS: whitespace from a mark or a line break on) hold a
    blank line, two line breaks?"""
    return space.count("\n") >= 2 or len(_BREAK.findall(space)) >= 2  # (\r\n is one)


def _after_word(text: str, i: int) -> bool:
    """Is there a word before offset ``i``, with nothing but marks, quotes, brackets and
    spaces (no line break, no "_") between?"""
    while i and not text[i - 1].isalnum() and text[i - 1] not in _AFTER:
        i -= 1
    return i > 0 and text[i - 1].isalnum()


#: what stops the look back for a word before a blank line (see _after_word)
_AFTER = frozenset("_" + _NEWLINE_CHARS)
