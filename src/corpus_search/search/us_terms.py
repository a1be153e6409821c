"""A multi-word lexicon term typed in American spelling ("defense secretary", "honors list").

A single word is folded British by the analyzer (``defense`` searches as ``defence``), but a
multi-word lexicon term is matched on its words as typed, before that folding: "honors list"
found the 260 BBC documents saying "honours" or "list", where "honours list" finds the 5
naming the honours list. A span of the query that, respelled British word by word
(:meth:`~corpus_search.analysis.lexicon.Lexicon.respell`), is a multi-word lexicon term is
written so, in the case it was typed, before the query is read; every other word is left as
typed (the analyzer folds it anyway, and a wildcard or a note shows it as typed).
"""

from __future__ import annotations

from corpus_search.analysis.lexicon import Lexicon
from corpus_search.analysis.text import WORD_RE, in_typed_case
from corpus_search.search.lexicon_spans import query_lexicon_spans

__all__ = ["british_terms"]


def british_terms(text: str, lexicon: Lexicon) -> str:
    """``text`` with each span that is a multi-word lexicon term or listed ordinary use in
    British spelling (and not as typed) respelled: "Defense Secretary Hoon" -> "Defence
    Secretary Hoon", "labor market" -> "labour market"."""
    pieces: list[tuple[int, int, str]] = []  # (start, end, British word) of each respelled
    for m in WORD_RE.finditer(text):
        word = m.group()
        british = lexicon.respell(word.lower())
        if british != word.lower():
            pieces.append((m.start(), m.end(), in_typed_case(british, word)))
    if not pieces:
        return text
    respelled, shift, last = [], 0, 0
    moved: list[tuple[int, int, int, int, str]] = []  # (start, end, new start, new end, word)
    for start, end, british in pieces:
        respelled += [text[last:start], british]
        moved.append((start, end, start + shift, start + shift + len(british), british))
        shift += len(british) - (end - start)
        last = end
    respelled.append(text[last:])
    spans = query_lexicon_spans("".join(respelled), lexicon)
    typed_spans = set(query_lexicon_spans(text, lexicon))
    out, last = [], 0
    for start, end, new_start, new_end, british in moved:
        if any(s <= new_start and new_end <= e and (s, e) not in typed_spans for s, e in spans):
            out += [text[last:start], british]
            last = end
    out.append(text[last:])
    return "".join(out)
