"""Where a query types its multi-word lexicon terms ("Lib Dems") and the ordinary uses the
lexicon lists ("labour market"): the analyzer's spans, less those a field cuts.

The analyzer reads a query's words as it reads a text's, and a colon parts no words, so in
``Labour party:Conservative`` it found the term "Labour Party": the query became
``(labour_party OR conservative_party)`` and lost its party filter (284 BBC documents, none
of them for being tagged Conservative), and ``source:Labour party:Conservative`` became
``source:Labour party``. Whoosh's parser reads ``name:`` as a field before any word group is
formed, so a term's span must respect it: a word carrying a field prefix is never a word of a
term, and a term is wholly inside a field's value (``party:"Lib Dems"``,
``title:(Labour Party conference)``), starts it (``party:Lib Dems``) or is wholly outside
it. Every caller finding a query's terms asks here (the one place this rule is kept).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from whoosh.qparser import RangePlugin

from corpus_search.analysis.analyzer import multiword_spans, ordinary_spans
from corpus_search.analysis.lexicon import Lexicon, bare_form
from corpus_search.analysis.text import PERCENT
from corpus_search.analysis.tokens import WORD

__all__ = ["field_regions", "percent_units", "phrase_units", "query_lexicon_spans",
           "query_ordinary_spans",
           "query_percent_spans",
           "query_term_spans", "quoted_regions", "range_regions", "terms_across"]

#: a field prefix as Whoosh's parser reads one (its ``FieldsPlugin``): a word starting with a
#: letter, not inside another field's value (``id:news:x``), right before a value (not a space:
#: ``Labour: the vote`` is words; not a web address's ``//``)
_FIELD_NAME = re.compile(r"(?<![\w:])[^\W\d]\w*:(?=[^\s/]|/(?!/))")

#: a field's value after its prefix: a quoted phrase (an unclosed one runs to the end), a
#: range, a bracketed group (see :func:`_bracketed_end`) or a word, up to a space or bracket
_VALUE = re.compile(r'"[^"]*(?:"|$)|\[[^\]]*(?:\]|$)|\{[^}]*(?:\}|$)|[^\s()"]*')


def field_regions(text: str) -> list[tuple[int, int, int]]:
    """The fields ``text`` names, outside quotes: ``(start, value_start, end)`` of each, from
    its name to the end of its value."""
    regions: list[tuple[int, int, int]] = []
    quoted = quoted_regions(text)
    for m in _FIELD_NAME.finditer(text):
        if any(s <= m.start() < e for s, e in quoted) or (regions and m.start() < regions[-1][2]):
            continue
        value = m.end()
        if text.startswith("(", value):
            end = _bracketed_end(text, value)
        else:
            found = _VALUE.match(text, value)
            end = found.end() if found else value
        regions.append((m.start(), value, end))
    return regions


def query_term_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the multi-word lexicon terms the query ``text`` types
    (:func:`~corpus_search.analysis.analyzer.multiword_spans`), none across a field."""
    return _within_fields(text, multiword_spans(text, lexicon))


def query_percent_spans(text: str, analyzer: Any) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the percentages the query ``text`` writes in more than
    one word ("2.5 per cent", "3 percent"), as the analyzer reads them (one token, "2.5%":
    its AmountFilter), none across a field: each is one unit of the query, as a term is."""
    return _within_fields(text, [
        (t.startchar, t.endchar)
        for t in analyzer(text, mode="query", chars=True)
        if t.kind is WORD and t.text[-1:] == PERCENT and " " in " ".join(
            text[t.startchar : t.endchar].split())
    ])


def percent_units(phrase: str, units: tuple[str, ...], analyzer: Any) -> tuple[str, ...]:
    """``units`` (:func:`phrase_units` of the quoted ``phrase``) with each percentage the
    phrase writes in words one unit ("2.5 per cent", which a document may write "2.5%": its
    number and "per cent" apart are no reading of it); none when that leaves fewer than two."""
    spans = [phrase[s:e] for s, e in query_percent_spans(phrase, analyzer)]
    if not spans:
        return units
    inside = {word for span in spans for word in span.split()}
    out = tuple(spans) + tuple(u for u in units if not set(u.split()) <= inside)
    return out if len(out) > 1 else ()


def query_lexicon_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """The spans of the multi-word lexicon terms and the listed ordinary uses ("labour
    market") the query ``text`` types: where its words are read as the lexicon reads them,
    not each on its own (the words of "Home Office" get no note of their own)."""
    return query_term_spans(text, lexicon) + query_ordinary_spans(text, lexicon)


def query_ordinary_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the ordinary uses the lexicon lists that the query
    ``text`` types (:func:`~corpus_search.analysis.analyzer.ordinary_spans`), none across a
    field."""
    return _within_fields(text, ordinary_spans(text, lexicon))


def phrase_units(phrase: str, words: tuple[str, ...], lexicon: Lexicon | None = None
                 ) -> tuple[str, ...]:
    """The units of the quoted ``phrase`` whose ``words`` (its readable words, in order) a
    document may hold apart: each multi-word lexicon term inside it is one unit, the term in
    any form the lexicon lists, so that the forms of one concept find the same documents
    ("Lib Dem leader" apart is the party and leader, as "Liberal Democrat leader" is: read
    word by word, the two had found 54 and 72 BBC documents). A phrase that is one term
    keeps its words ("New Labour" apart is new and the party), as one of fewer than two
    units has nothing to hold apart. So does a term implying a broader one ("Scottish
    Conservative Party" implies the Conservatives): as a unit it would match the broader
    term too, and a story on the Tory leader would hold "Scottish Conservative Party leader"
    apart."""
    units: list[str] = []
    spans, n = query_term_spans(phrase, lexicon), 0
    implying = _implying_forms(lexicon) if lexicon is not None else frozenset()
    for m in re.finditer(r"\S+", phrase):
        if n == len(words) or m.group().lower() != words[n].lower():
            continue  # (a stop word)
        n += 1
        span = next(((s, e) for s, e in spans if s <= m.start() and m.end() <= e), None)
        if span is None or phrase[span[0]:span[1]].lower() in implying:
            units.append(words[n - 1])
        elif not units or units[-1] != phrase[span[0]:span[1]]:
            units.append(phrase[span[0]:span[1]])
    return tuple(units) if len(units) > 1 and n == len(words) else words


@functools.lru_cache(maxsize=4)
def _implying_forms(lexicon: Lexicon) -> frozenset[str]:
    """The forms (lower case) of the lexicon's terms that imply a broader term."""
    return frozenset(bare_form(form).lower() for entry in lexicon.entries
                     if lexicon.implied.get(entry.concept) for form in entry.forms)


def _within_fields(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` less those that take in a field's name, or run into its value from words
    before it: ``Labour party:Conservative`` is Labour and the field, not "Labour Party". A
    term that starts a field's unquoted value is the field's value (``party:Lib Dems`` is
    the party Liberal Democrat, ``title:Lib Dems`` the term in titles), as it was before
    this rule, and what a reader typing it means."""
    if ":" not in text:
        return spans
    regions = field_regions(text)
    return [(s, e) for s, e in spans
            if all(e <= start or end <= s or s == value or (value <= s and e <= end)
                   for start, value, end in regions)]


def _bracketed_end(text: str, start: int) -> int:
    """Where the bracketed group opening at ``start`` closes (past its bracket), quotes
    inside it skipped; the text's end if it never does."""
    depth, quoted = 0, False
    for i in range(start, len(text)):
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
            if depth == 0:
                return i + 1
    return len(text)


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the double-quoted parts of ``text``, quotes included (an
    unclosed one runs to the end)."""
    return [m.span() for m in re.finditer(r'"[^"]*(?:"|$)', text)]


def range_regions(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the ranges ``text`` types outside quotes (``[a TO b]``,
    ``{2004 TO 2005]``), as Whoosh's parser reads them: its ends are values the parser
    compares as they are, never words to group (``party:[a TO z]`` had been rewritten
    ``party:[("a TO " OR aTO) z]``)."""
    if "[" not in text and "{" not in text:
        return []
    quoted = quoted_regions(text)
    return [m.span() for m in RangePlugin.expr.finditer(text)
            if not any(s <= m.start() < e for s, e in quoted)]


def terms_across(texts: list[str] | tuple[str, ...], lexicon: Lexicon | None = None
                 ) -> list[tuple[int, int]]:
    """The ``(first, last)`` indices of each run of two or more of ``texts`` (queries given
    apart, as a shell parts unquoted words) that together type a multi-word lexicon term,
    from the start of the first to the end of the last: ``["Lib", "Dems", "Labour"]`` gives
    ``[(0, 1)]``, "Lib Dems" typed unquoted where one query was meant."""
    if len(texts) < 2:
        return []
    starts, ends, at = {}, {}, 0
    for n, text in enumerate(texts):
        word = " ".join(text.split())
        starts[at], ends[at + len(word)] = n, n
        at += len(word) + 1
    joined = " ".join(" ".join(t.split()) for t in texts)
    return [(starts[s], ends[e]) for s, e in query_term_spans(joined, lexicon)
            if s in starts and e in ends and ends[e] > starts[s]]
