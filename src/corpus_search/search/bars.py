"""How long a table's bars are (``count``'s, the web page's count and trends tables): one
rule, and the scale a table states beside them.

A full bar is a round share at or above the table's largest (1, 2 or 5 times a power of ten,
all the documents at most), and the table says which. Bars scaled to the largest share itself
had drawn a query matching 3 of 210 documents (1.4%) as long as one matching every document:
a full bar read as "all of them". On a scale of 0 to 2%, stated, the same bar is 71% long,
and a table whose largest share is 100% is drawn on 0 to 100%, its bars the shares
themselves. A round scale still leaves a rare query's bars long enough to compare.
"""

from __future__ import annotations

import math

__all__ = ["bar_length", "bar_scale", "full_bar_note"]

#: the round shares a full bar can stand for, times a power of ten
STEPS = (1, 2, 5, 10)


def bar_scale(largest: float) -> float:
    """The share (0 to 1) a full bar stands for in a table whose largest share is
    ``largest``: the least of 1, 2 or 5 times a power of ten not below it, 1 (every
    document) at most; 0 where no share is above 0 (a table with no bar)."""
    if not largest > 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(largest))
    # (the tolerance: 0.05 over a power of 0.01 is 5.000000000000001 steps, not over 5)
    step = next(step for step in STEPS if largest <= step * power * (1 + 1e-9))
    return min(1.0, float(f"{step * power:.3g}"))


def bar_length(share: float | None, scale: float) -> float:
    """How long the bar of ``share`` is (0 to 1) in a table whose full bar is ``scale``
    (:func:`bar_scale` of its largest share): the one rule of a count's bars and a
    comparison's (``Counts.bar``, ``Trends.bar``). No share (a period holding no
    document), no bar."""
    return min(1.0, (share or 0.0) / scale) if scale else 0.0


def full_bar_note(scale: float, by: str) -> str | None:
    """What a table of bars says of its scale (``a full bar is 2% of a year's documents``):
    the command and the web page say it in these words. None for a table with no bar."""
    if not scale:
        return None
    percent = f"{100 * scale:.8f}".rstrip("0").rstrip(".")  # (0.005%, never 5e-03%)
    return f"a full bar is {percent}% of {'an' if by[0] in 'aeiou' else 'a'} {by}'s documents"
