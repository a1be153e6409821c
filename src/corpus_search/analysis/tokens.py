"""Tokens of the political analyzer: :class:`PoliticalToken` and its kinds (word, concept,
joined compound, the bare amount of a currency amount).
"""

from __future__ import annotations

from whoosh.analysis.acore import Token

# token.kind values (interned strings, compared by identity in the hot loops)
WORD = "word"


CONCEPT = "concept"


JOINED = "joined"


AMOUNT = "amount"


def snap(t: Token) -> tuple:
    return (t.text, t.surface, t.pos, t.startchar, t.endchar, t.hyphen_next, t.kind,
            t.expansion, t.original)  # fmt: skip


def load(t: Token, s: tuple) -> Token:
    (t.text, t.surface, t.pos, t.startchar, t.endchar, t.hyphen_next, t.kind, t.expansion,
     t.original) = s  # fmt: skip
    return t


_SLOTS = (
    "text", "pos", "startchar", "endchar", "boost", "stopped", "expansion", "original",
    "positions", "chars", "removestops", "mode", "surface", "hyphen_next", "kind", "group",
)  # fmt: skip


_UNSET = object()


class PoliticalToken(Token):
    """A Whoosh ``Token`` whose attributes live in slots (several times faster to set).

    Besides Whoosh's attributes and ``expansion`` it carries ``surface`` (the normalised word
    with its case), ``hyphen_next``, ``kind`` (``"word"``, ``"concept"`` or ``"joined"``) and
    ``group`` (number of words in a multi-word match). Anything else a consumer sets (e.g.
    the highlighter's ``matched``) goes to ``__dict__`` as usual; :meth:`copy` keeps both.
    """

    __slots__ = _SLOTS

    def copy(self) -> PoliticalToken:
        t = PoliticalToken.__new__(PoliticalToken)
        t.__dict__.update(self.__dict__)
        for name in _SLOTS:
            value = getattr(self, name, _UNSET)
            if value is not _UNSET:
                setattr(t, name, value)
        return t

    def __repr__(self) -> str:
        fields = {n: getattr(self, n) for n in _SLOTS if hasattr(self, n)} | self.__dict__
        return "Token(" + ", ".join(f"{k}={v!r}" for k, v in fields.items()) + ")"
