"""Where an ambiguous form can take a place in a text the plain reader reads.

The plain reader (the lexicon without ambiguous forms) marks each word that begins an
ambiguous form ("Democrats", of the US parties). Only a text with such a word where the form
could take the place needs its context worked out: in a reading that has the form, a word a
longer match holds after its first ("Democrats" of "Liberal Democrats") is never where a
form starts, since the walks from the words before it are the same in every reading (only
the nodes of an ambiguous form's first word differ), so the same match takes it. Its last
word differs in one way: a form that begins on it and goes on may overlap the match
(``LexiconFilter._overlap``), so it counts unless no form of the whole lexicon goes on from
it. A text with no such place reads the same in every context, and so does a text read
alone in which no ambiguous form is whole (:func:`whole_forms`: "rate" of "interest rate"
begins "rate-setting committee", which the text does not go on to).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from corpus_search.analysis.lexicon import CASED, LOWER, OUTPUT, word_nodes
from corpus_search.analysis.text import MAX_WORD_LENGTH, WORD_RE, normalise_word
from corpus_search.analysis.tokens import CONCEPT

__all__ = ["open_ambiguous", "tap_covers", "whole_forms"]


def tap_covers(tokens: Iterator, covers: list[tuple[int, int]]) -> Iterator:
    """Pass the lexicon stage's ``tokens`` (word numbers as offsets) on, adding to
    ``covers`` the first and last word of each multi-word match with concepts: its concept
    tokens span them (one spanning fewer of its words only makes the match look shorter,
    which counts more places, never fewer)."""
    for t in tokens:
        if t.kind is CONCEPT and t.group > 1 and t.endchar > t.startchar:
            covers.append((t.startchar, t.endchar))
        yield t


def open_ambiguous(
    words: tuple[str, ...],
    covers: list[tuple[int, int]],
    starts: tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]],
    trie: list,
) -> frozenset[str]:
    """The ambiguous concepts whose forms may take a place among ``words`` (a window, a
    hyphen-linked word ending in "-"), read by the plain reader with multi-word matches over
    ``covers``: those of the words that begin one (``starts``: Lexicon.ambiguous_starts) but
    a match holds (see the module notes; ``trie``: the whole lexicon's, every ambiguous form
    in it)."""
    lower, cased = starts
    out: frozenset[str] = frozenset()
    for i, w in enumerate(words):
        surf, low = normalise_word(w[:-1] if w[-1] == "-" else w)
        found = lower.get(low) or frozenset()
        if surf is not low:
            found = found | cased.get(surf, frozenset())
        if not found or found <= out:
            continue
        for a, b in covers:
            if a < i < b or (a < i == b and not _goes_on(trie, surf, low)):
                break
        else:
            out = out | found
    return out


def _goes_on(trie: list, surf: str, low: str) -> bool:
    """Does a form of ``trie`` go on from the word ``(surf, low)``?"""
    return any(n is not None and (n[LOWER] or n[CASED]) for n in word_nodes(trie, surf, low))


def whole_forms(chunks: list[str], concepts: frozenset[str], trie: list) -> frozenset[str]:
    """The ``concepts`` (ambiguous ones) a form of which the text of ``chunks`` holds whole,
    read alone: a walk of ``trie`` (the whole lexicon's) from one of its words reaches a node
    giving it. Only such a form can take a place. The walk is a superset of the lexicon
    stage's (hyphen keys always tried, dropped and over-long words passed over), so it never
    misses a form the reading finds."""
    words = [
        normalise_word(w) for c in chunks for w in WORD_RE.findall(c) if len(w) <= MAX_WORD_LENGTH
    ]
    words = [w for w in words if w[1]]
    out: set[str] = set()
    for i, (surf, low) in enumerate(words):
        states = [n for n in word_nodes(trie, surf, low) if n is not None]
        for nxt in words[i + 1 :]:
            out.update(c for n in states if n[OUTPUT] for c in n[OUTPUT] if c in concepts)
            states = _below(states, nxt)
            if not states:
                break
        out.update(c for n in states if n[OUTPUT] for c in n[OUTPUT] if c in concepts)
    return frozenset(out)


def _below(states: list, word: tuple[str, str]) -> list:
    """The trie nodes below ``states`` that ``word`` leads to, with or without a hyphen."""
    surf, low = word
    return [
        child
        for x in states
        for children, key in ((x[LOWER], low), (x[CASED], surf))
        for k in (key, "-" + key)
        if (child := children.get(k)) is not None
    ]
