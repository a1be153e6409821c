"""Operators with nothing to join: ``Blair NOT``, ``AND Brown``, ``NOT NOT Blair``.

Whoosh's parser reads a dangling operator as a word (``Blair NOT`` searched for "not" too,
1,396 results instead of 181) or fails on a doubled one (``NOT NOT Blair``). Read as a person
means them: an operator with no word on the side it needs is left out, two NOTs in a row
cancel, and the results say so in a note.
"""

from __future__ import annotations

import re

__all__ = ["OPERATORS", "tidy_operators"]

#: operators joining the words on both sides
BINARY = frozenset({"AND", "OR", "ANDNOT", "ANDMAYBE"})

#: words the query syntax reads as operators (Whoosh's, in capitals), not as words to search for
OPERATORS = BINARY | {"NOT"}

#: a quoted phrase (kept whole) or a run of other non-space characters
_TOKEN = re.compile(r'"[^"]*"?|[^\s"]+')


def tidy_operators(text: str) -> tuple[str, list[str]]:
    """``text`` without its dangling or doubled operators, and a note for each kind left out.

    An operator counts only as a whole upper-case word outside quotes (``(NOT`` and
    ``AND)`` are left to the parser); a query with none left out is returned as typed.
    """
    tokens = _TOKEN.findall(text)
    notes: list[str] = []
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
        if t in BINARY and (not kept or _is_operator(kept[-1])):
            notes.append(f"{t} has no word before it to join, so it was left out.")
        elif _is_operator(t) and after is None:
            notes.append(f"{t} has no word after it, so it was left out.")
        else:
            kept.append(t)
        i += 1
    return kept, notes


def _is_operator(token: str) -> bool:
    return token in OPERATORS
