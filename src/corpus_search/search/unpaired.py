"""Quotes and brackets left open, or closing nothing: left out of a query, with a note.

Whoosh's parser reads ``"marginal seats`` and ``(Blair OR Brown`` without a word of it: the
lone quote or bracket is dropped or closed where the query ends, and the query, no longer
plain words, was scored as Whoosh's query tree rather than by its concepts. Here such a
character is left out before the query is read, and the results say which one and what was
searched: ``"marginal seats`` is the plain words ``marginal seats``, ranked as they are.
"""

from __future__ import annotations

import re

__all__ = ["without_unpaired"]

#: a word of the query, to say where a character stands
_WORD = re.compile(r"[^\s\"()]+")

_NAMES = {'"': "quote", "(": "bracket", ")": "bracket"}


def without_unpaired(text: str) -> tuple[str, str | None]:
    """``text`` without its unpaired quotes and brackets, and the note that says which were
    left out and what is searched instead (``None``, and ``text`` as it is, when all pair).

    Quotes pair from the left, so with an odd number the last one is alone. Brackets pair
    outside quoted phrases (a bracket inside one is text): a ``(`` with no ``)`` after it is
    alone, and so is a ``)`` with no ``(`` before it."""
    quotes = [i for i, ch in enumerate(text) if ch == '"']
    alone = [quotes[-1]] if len(quotes) % 2 else []
    phrases = list(zip(quotes[0::2], quotes[1::2], strict=False))
    opened: list[int] = []
    at = 0
    for i, ch in enumerate(text):
        while at < len(phrases) and phrases[at][1] < i:
            at += 1
        if ch not in "()" or (at < len(phrases) and phrases[at][0] < i):
            continue
        if ch == "(":
            opened.append(i)
        elif opened:
            opened.pop()
        else:
            alone.append(i)
    alone = sorted(alone + opened)
    if not alone:
        return text, None
    kept = " ".join("".join(ch for i, ch in enumerate(text) if i not in alone).split())
    counted: dict[tuple[str, str, str], int] = {}
    for i in alone:
        place = _place(text, i)
        counted[place] = counted.get(place, 0) + 1
    places = [
        f"the {name}{where} has no {lacks} {name}" if n == 1
        else f"{n} {name}s{where} have no {lacks} {name}"
        for (name, where, lacks), n in counted.items()
    ]
    which = places[0] if len(places) == 1 else f"{', '.join(places[:-1])} and {places[-1]}"
    it = "it was" if len(alone) == 1 else "they were"
    searched = f": searched as {kept}." if kept else "."
    return kept, f"{which[0].upper()}{which[1:]}, so {it} left out{searched}"


def _place(text: str, i: int) -> tuple[str, str, str]:
    """The quote or bracket at ``i``: its name, where it stands and what it lacks
    (``("quote", " before marginal", "closing")``). A quote right after a word, with a space
    or the end after it, closes; any other opens."""
    ch = text[i]
    name = _NAMES[ch]
    before = _WORD.findall(text[:i])
    after = _WORD.findall(text[i + 1 :])
    if ch == '"':
        closing = i > 0 and not text[i - 1].isspace() and text[i + 1 : i + 2].strip() == ""
    else:
        closing = ch == ")"
    if closing:
        where = f" after {before[-1]}" if before else f" before {after[0]}" if after else ""
        return name, where, "opening"
    where = f" before {after[0]}" if after else f" after {before[-1]}" if before else ""
    return name, where, "closing"
