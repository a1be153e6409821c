"""A place's context as a concordance line shows it: so many characters either side, cut at
a word's edge, white space squashed (the concordance's, literal or not).
"""

from __future__ import annotations

from corpus_search.search.hits import squash

__all__ = ["left_context", "right_context"]


def left_context(body: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, from a word's beginning."""
    before = squash(body[max(0, start - width - 40):start])
    if len(before) <= width:
        return before
    cut = before[-width:]
    space = cut.find(" ")
    return cut[space + 1:] if 0 <= space < width // 2 else cut


def right_context(body: str, end: int, width: int) -> str:
    """Up to ``width`` characters after ``end``, to a word's end."""
    after = squash(body[end:end + width + 40])
    if len(after) <= width:
        return after
    cut = after[:width]
    space = cut.rfind(" ")
    return cut[:space] if space > width // 2 else cut
