"""Amounts in the analyzer: currency amounts ("£1bn") and percentages ("2.5%", "2.5 per
cent"), each one word that also holds its bare number in a document (:class:`AmountFilter`;
what an amount's word is, :data:`~corpus_search.analysis.text.TOKEN_RE` and
:func:`~corpus_search.analysis.text.bare_amount`).
"""

from __future__ import annotations

from whoosh.analysis import Filter
from whoosh.analysis.acore import Token

from corpus_search.analysis.text import PERCENT, bare_amount, is_number
from corpus_search.analysis.tokens import AMOUNT, CONCEPT, WORD, load, snap

__all__ = ["PER_CENT", "AmountFilter"]


#: The lexicon's concept of "per cent", "percent" and "per-cent" (data/lexicon/compounds.tsv):
#: a number just before it is a percentage (AmountFilter).
PER_CENT = "per_cent"


class AmountFilter(Filter):
    """Amounts: currency amounts ("£1bn", "$1.13bn": a word that begins with a currency
    symbol) and percentages ("2.5%", "2.5pc": a word that ends in a percent sign, see
    :data:`~corpus_search.analysis.text.TOKEN_RE`; and a number just before the lexicon's
    :data:`PER_CENT`, "2.5 per cent", "2.5 percent", read as "2.5%" at the number's position,
    covering both, the positions after it one nearer).

    In a document an amount also holds its bare number ("1bn", "2.5": ``kind="amount"``,
    ``expansion=True``) at its position and offsets, so "£1bn" finds the pounds, "$1bn" the
    dollars and "1bn" either; "2.5%" finds every way of writing the percentage, not "2.5
    million", and "2.5" both. The words of "per cent" stay in a document, at the number's
    position (a search for "percent" finds it still); a query keeps the amount as typed,
    "2.5 per cent" as "2.5%" alone.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        it = iter(tokens)
        t = next(it, None)
        if t is None:
            return
        shift = 0  # positions taken out by percentages read from two
        held: list[tuple] | None = None  # a position holding a number, until the next shows
        for group in _by_position(t, it):
            if held is not None:
                if group[0][2] == held[0][2] + 1 and any(
                    s[6] is CONCEPT and s[0] == PER_CENT for s in group
                ):
                    yield from self._percent(t, held, group, shift)
                    shift += 1
                    held = None
                    continue
                yield from self._emit(t, held, shift)
                held = None
            if any(s[6] is WORD and s[0][-1:].isdigit() and is_number(s[0]) for s in group):
                held = group
                continue
            yield from self._emit(t, group, shift)
        if held is not None:
            yield from self._emit(t, held, shift)

    def _emit(self, t: Token, group: list[tuple], shift: int):
        """The tokens of one position, ``shift`` nearer, each currency amount and
        percentage with its bare number."""
        for s in group:
            load(t, s)
            t.pos -= shift
            if t.kind is WORD and bare_amount(t.text) is not None:
                yield from _amount(t, t.text)
            else:
                yield t

    def _percent(self, t: Token, held: list[tuple], group: list[tuple], shift: int):
        """The tokens of a number's position (``held``) with its last number a percentage
        covering the "per cent" of the next position (``group``): in a document the words
        and concept of that too, at the number's position."""
        number = max(i for i, s in enumerate(held) if s[6] is WORD and is_number(s[0]))
        end = max(s[4] for s in group)
        pos = held[0][2] - shift
        for i, s in enumerate(held):
            load(t, s)
            t.pos = pos
            if i == number:
                t.endchar = end
                yield from _amount(t, t.text + PERCENT)
            elif t.kind is WORD and bare_amount(t.text) is not None:
                yield from _amount(t, t.text)
            else:
                yield t
        if t.mode == "query":  # (a query's "2.5 per cent" is "2.5%" alone)
            return
        for s in group:
            load(t, s)
            t.pos = pos
            yield t


def _by_position(t: Token, tokens):
    """The stream (``t`` its first token, ``tokens`` the rest) as lists of snapshots, one
    list per position, in order."""
    group = [snap(t)]
    for t in tokens:
        s = snap(t)  # (before the group before is used: the stream shares one token)
        if s[2] != group[0][2]:
            yield group
            group = []
        group.append(s)
    yield group


def _amount(t: Token, text: str):
    """The amount ``text`` at ``t``'s place, and in a document its bare number there too."""
    t.text = t.surface = text
    t.kind = WORD
    t.expansion = False
    yield t
    if t.mode != "query":
        t.text = t.surface = bare_amount(text)
        t.kind = AMOUNT
        t.expansion = True
        yield t
