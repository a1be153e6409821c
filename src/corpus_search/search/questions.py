"""Question marks that end a word: punctuation, not a wildcard, with a note.

People type questions ("What did Blair say about Iraq?"). Whoosh reads a ``?`` as a wildcard
for one letter, so ``Iraq?`` matched "Iraqi" and never "Iraq" (12 BBC documents instead of
the 178 about Iraq, an Iraqi story first), and ``Lib Dems?`` lost the Lib Dems. A ``?`` that
ends a word (its letters before it, a space, a closing bracket or the end after it) is left
out before the query is read, and a note says so and how to write a wildcard; a ``?`` inside
a word (``ele?tion``), in a word holding another wildcard (``ele?tio?``) or in a quoted phrase
stays as it is. A ``?`` with no word to end (``?``, ``??``, ``!?`` typed alone) is punctuation
too, left out without a note: read as a wildcard, ``?`` alone matched every one-letter word
(365 BBC documents, a rugby team sheet first) and ``??`` every two-letter one (2,184), and a
query of such marks alone is now refused as any query of punctuation is ("it has no words").
"""

from __future__ import annotations

import re

from corpus_search.search.operators import QUERY_TOKEN

__all__ = ["without_question_marks"]

#: a run of characters holding a ? but no letter, digit or other wildcard: a ? ending no word
_LONE_MARKS = re.compile(r"[^\w*?]*\?[^\w*]*")


def without_question_marks(text: str) -> tuple[str, str | None]:
    """``text`` without the question marks that end its words, and the note that says which
    (``None`` when none does), and without those that end no word (no note: they are
    punctuation, as ``!`` is); ``text`` as it is when it holds neither."""
    ended: list[str] = []

    def plain(match: re.Match[str]) -> str:
        token = match.group()
        if _LONE_MARKS.fullmatch(token):  # a ? ending no word: no wildcard, no word either
            return token.replace("?", "")
        core = token.rstrip(")")
        word = core.rstrip("?")
        if token.startswith('"') or word == core or not word[-1:].isalnum() or (
            "*" in word or "?" in word
        ):
            return token
        ended.append(word.lstrip("(-+"))
        return word + token[len(core) :]

    kept = QUERY_TOKEN.sub(plain, text)
    if not ended:
        return (text if kept == text else kept.strip()), None
    words = " and ".join(dict.fromkeys(w.rsplit(":", 1)[-1] for w in ended))  # not title:
    marks = "The ? after" if len(ended) == 1 else "Each ? after"
    return kept, (
        f"{marks} {words} is read as a question mark, not a wildcard (for any ending, write "
        f"{ended[0]}*; ? stands for one letter inside a word, as in ele?tion)."
    )
