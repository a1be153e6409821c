"""Operators as a person means them: ``Blair -Brown``, ``Blair NOT``, ``NOT NOT Blair``.

A minus sign before a word excludes it, as in web search engines and Lucene (``Blair -Brown``
is ``Blair NOT Brown``); Whoosh's parser read the sign as punctuation and searched for Brown
too.

Whoosh's parser reads a dangling operator as a word (``Blair NOT`` searched for "not" too,
1,396 results instead of 181) or fails on a doubled one (``NOT NOT Blair``). Read as a person
means them: an operator with no word on the side it needs is left out, two NOTs in a row
cancel, and the results say so in a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["OPERATORS", "QUERY_TOKEN", "field_either_note", "lower_case_operator_notes",
           "minus_as_not", "symbols_as_operators", "tidy_operators"]

#: operators joining the words on both sides
BINARY = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})

#: words the query syntax reads as operators (Whoosh's, in capitals), not as words to search for
OPERATORS = BINARY | {"NOT"}

#: Lucene's symbols for AND and OR (see :func:`symbols_as_operators`), tidied as the words
#: are, each note naming what was typed: ``Blair &&`` says "&& has no word after it"
_SYMBOL_WORDS = frozenset({"&&", "||"})

#: a quoted phrase (its closing quote may be missing): text, never operators
_QUOTED = re.compile(r'"[^"]*"?')

#: a quoted phrase (kept whole) or a run of other non-space characters: the pieces of a query
#: its clean-ups read one at a time (operators, question marks, commas)
QUERY_TOKEN = re.compile(_QUOTED.pattern + r'|[^\s"]+')


#: a minus sign that starts a word outside quotes (after a space or an opening bracket) and is
#: followed by something to exclude, or Lucene's ``!`` there, before the word or standing
#: apart before a word, a quote or a bracket (``Blair !Brown``, ``Blair ! Brown``); a hyphen
#: inside a word (by-election), a dash standing alone (Blair - Brown) or an exclamation mark
#: ending a word (Yahoo!) or before punctuation (``!?``) is text
_MINUS = re.compile(r'(?:(?<=^)|(?<=[\s(]))(?:-(?=[^\s\-)])|!\s*(?=[\w"(]))')


#: Lucene's symbols for AND and OR, standing apart (``Blair && Brown``)
_SYMBOLS = re.compile(r"(?<!\S)(&&|\|\|)(?!\S)")


def symbols_as_operators(text: str) -> str:
    """``text`` with each ``&&`` and ``||`` standing apart outside quotes written ``AND`` and
    ``OR``, as Lucene's query syntax reads them: Whoosh's parser read them as punctuation,
    and ``Blair && Brown`` found the 255 BBC documents naming either (56 name both)."""
    if "&&" not in text and "||" not in text:
        return text
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    return _SYMBOLS.sub(
        lambda m: m.group() if any(a <= m.start() < b for a, b in quoted)
        else "AND" if m.group() == "&&" else "OR", text)


def minus_as_not(text: str) -> str:
    """``text`` with each ``-word`` (or ``-"a phrase"``, ``-(a OR b)``, Lucene's ``!word``)
    outside quotes written ``NOT word``, the query syntax's exclusion: Whoosh's parser read
    ``!`` as punctuation, so ``Blair !Brown`` found the 255 BBC documents naming either."""
    if "-" not in text and "!" not in text:
        return text
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    out, start = [], 0
    for match in _MINUS.finditer(text):
        if any(a <= match.start() < b for a, b in quoted):
            continue  # a minus inside a phrase is text
        out += [text[start:match.start()], "NOT "]
        start = match.end()
    return "".join(out) + text[start:]


def tidy_operators(text: str) -> tuple[str, list[str]]:
    """``text`` without its dangling or doubled operators, and a note for each kind left out.

    An operator counts only as a whole upper-case word (or ``&&``, ``||``) outside quotes
    (``(NOT`` and ``AND)`` are left to the parser); a query with none left out is returned as typed.
    """
    tokens = QUERY_TOKEN.findall(text)
    notes: list[str] = []
    # a plus sign requires a word: before an operator (+NOT Blair) it requires nothing, and
    # NOT had been read as the word "not", required (1,367 BBC documents, not the 2,044 NOT
    # Blair finds)
    for i, t in enumerate(tokens):
        if t[:1] == "+" and _is_operator(t[1:]):
            tokens[i] = t[1:]
            note = f"+{t[1:]}: a plus sign requires a word, and {t[1:]} is an operator, so " \
                   "the plus sign was left out."
            notes.extend([note] if note not in notes else [])
    while any(_is_operator(t) for t in tokens):  # until nothing more is left out
        tokens, left_out = _one_pass(tokens)
        if not left_out:
            break
        notes.extend(n for n in left_out if n not in notes)
    if not notes:
        return text, []
    return " ".join(tokens), notes


def _one_pass(tokens: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    notes: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if t == "NOT" and after == "NOT":
            notes.append("NOT NOT: two NOTs in a row cancel out, so both were left out.")
            i += 2
            continue
        if (t in BINARY or t in _SYMBOL_WORDS) and (not kept or _is_operator(kept[-1])):
            notes.append(f"{t} has no word before it to join, so it was left out.")
        elif _is_operator(t) and after is None:
            notes.append(f"{t} has no word after it, so it was left out.")
        else:
            kept.append(t)
        i += 1
    return kept, notes


def _is_operator(token: str) -> bool:
    return token in OPERATORS or token in _SYMBOL_WORDS


#: the words that are operators typed in capitals and often meant as them typed otherwise
#: ("or" searches as OR does: a plain query finds either word)
_MEANT_AS_OPERATORS = frozenset({"and", "not"})


def lower_case_operator_notes(
    text: str, spans: Callable[[], list[tuple[int, int]]], searched: Callable[[str], bool]
) -> list[str]:
    """A note for each of "and" and "not" typed other than in capitals between two words of
    ``text`` outside quotes and the lexicon's multi-word terms (``spans()``, asked only when
    there is such a word: "Science and Technology Committee"): a word (``searched`` or not:
    too common), not the operator. ``Blair not Brown`` searched the 1,366 BBC documents
    saying "not", and nothing said why; ``Blair and Brown`` finds either name, as ``Blair
    Brown`` does. In a query with operators too: ``Blair AND Brown and Howard`` is read
    ``(Blair AND Brown) OR Howard``, as Whoosh joins words typed apart (177 BBC documents,
    where ``Blair AND Brown AND Howard`` finds 18), a slip nothing had pointed at."""
    tokens = [(m.group(), m.start()) for m in QUERY_TOKEN.finditer(text)]
    if not any(t.lower() in _MEANT_AS_OPERATORS for t, _ in tokens[1:-1]):
        return []
    quoted = [m.span() for m in _QUOTED.finditer(text)] + spans()
    # (beside operators, words typed with none between them are either/or, as Whoosh reads
    # them: Blair AND Brown and Howard is (Blair AND Brown) OR Howard)
    either = "; words with no operator between them are either/or" if any(
        _is_operator(t) for t, _ in tokens) else ""
    notes: list[str] = []
    for (before, _), (word, at), (after, _) in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            word.lower() not in _MEANT_AS_OPERATORS
            or word.isupper()
            or _is_operator(before) or _is_operator(after)
            or any(a <= at < b for a, b in quoted)
        ):
            continue
        kind = "searched as one" if searched(word) else "too common to be searched"
        operator = word.upper()
        note = (f"{word}, in lower case, is a word ({kind}), not the operator {operator}: "
                f"operators are written in capitals ({before} {operator} {after}){either}.")
        if note not in notes:
            notes.append(note)
    return notes


#: a term of a document's metadata typed in a query (``party:Labour``, ``source:"BBC News"``,
#: ``date:[2005 TO 2006]``), which most who type it beside words mean as a filter
_FIELD_TERM = re.compile(r'(?<![^\s(])(?:party|source|year|date):'
                         r'(?:"[^"]*"|\[[^\]]*\]|\{[^}]*\}|[^\s()"\[{][^\s()"]*)')


#: the rest of a word from where a field's value was found to end
_GLUED = re.compile(r'[^\s()"]*')


def field_either_note(text: str, terms: Sequence[tuple[int, int]] = ()) -> str | None:
    """A note when ``text`` types a metadata field's term beside other words or terms with
    no operator, brackets or sign between them: each is enough, as words typed apart are.
    ``party:Labour NHS`` found the 223 BBC documents naming Labour or the NHS (the first
    of them on Blair and Labour MPs, no word of the NHS) where ``party:Labour AND NHS``
    finds the 16 doing both, and nothing said so. ``terms``: the spans of the lexicon terms
    the query types; one starting a field's value is that value (``party:Lib Dems``)."""
    # (a term's last word as typed: the * of party:Lib Dem* is of the value)
    spans = [(m.start(), _GLUED.match(text, max(
                 [e for s, e in terms if s == text.index(":", m.start()) + 1],
                 default=m.end())).end())  # type: ignore[union-attr]
             for m in _FIELD_TERM.finditer(text)]
    if not spans:
        return None
    fields = [text[s:e] for s, e in spans]
    rest = QUERY_TOKEN.findall(" ".join(text[e:s] for e, s in zip(
        [0] + [e for _, e in spans], [s for s, _ in spans] + [len(text)], strict=True)))
    if any(_is_operator(t) or t.startswith(("+", "-")) or "(" in t or ")" in t for t in rest):
        return None
    items = fields + ([f"({' '.join(rest)})" if len(rest) > 1 else rest[0]] if rest else [])
    if len(items) < 2:
        return None
    one, every = ("either", "both") if len(items) == 2 else ("any one", "all")
    return (f"{' '.join(text.split())} finds the documents matching {' or '.join(items)} "
            f"(with no operator between them, {one} is enough); {' AND '.join(items)} finds "
            f"those matching {every}.")
