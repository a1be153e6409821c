"""``title:*`` and ``body:*``: the documents whose field holds a word, as Lucene and
Elasticsearch read ``field:*`` (the field exists), not every document.

A text field's bare ``*`` had been Whoosh's unfielded :class:`~whoosh.query.Every`: every
document, whatever the field, so ``title:*`` told nothing, ``Blair NOT title:*`` was refused
as excluding everything, and a document with no title matched. It is :class:`FieldHeld`
now, ``Every(field)`` scoring its boost, which the engine evaluates from the field's lengths
(a document holds a word of it when its length there is above 0), at no cost of vocabulary.
(A bare ``Every(field)`` beside other clauses is not kept: Whoosh's ``normalize`` drops the
clauses of its field from an AND or OR holding it, so ``title:Blair AND title:*`` had been
``title:*``.) A bare ``*`` with no field stays every
document; ``party:*`` and ``source:*`` keep their own reading (the documents tagged with one).
"""

from __future__ import annotations

from typing import Any

from whoosh import query
from whoosh.qparser import syntax
from whoosh.qparser.plugins import WildcardPlugin

__all__ = ["FIELDS_HELD", "BoostScored", "FieldHeld", "FieldHeldNode", "fields_held"]

#: the text fields whose ``*`` is the documents holding a word of them
FIELDS_HELD = frozenset({"title", "body"})


class BoostScored(query.ConstantScoreQuery):
    """A constant-score query whose score is Whoosh's ``boost``: a boosted group pushes its
    boost down onto its clauses, and Whoosh's own constant-score query, having none, raised
    in ``normalize`` (the date ranges of :mod:`~corpus_search.search.ranges` too)."""

    @property
    def boost(self) -> float:  # type: ignore[override]
        return self.score

    @boost.setter
    def boost(self, value: float) -> None:
        self.score = value


class FieldHeld(BoostScored):
    """The documents holding a word of a text field (``title:*``), each scoring the boost."""

    def __str__(self) -> str:
        return f"{self.child.fieldname}:*" + ("" if self.score == 1 else f"^{self.score:g}")

    __unicode__ = __str__


class FieldHeldNode(syntax.SyntaxNode):
    """A text field's ``*`` in the parser's tree: :class:`FieldHeld`."""

    has_fieldname = True
    has_boost = True

    def __init__(self, fieldname: str, boost: float = 1.0) -> None:
        self.fieldname, self.boost = fieldname, boost

    def r(self) -> str:
        return f"{self.fieldname}:*"

    def query(self, parser: Any) -> query.Query:
        return syntax.attach(FieldHeld(query.Every(self.fieldname), self.boost), self)


def fields_held(group: Any) -> Any:
    """``group`` (a parser's tree, its field names applied) with each ``*`` naming a text
    field (``title:*``) a :class:`FieldHeldNode`, in brackets too (``title:(Blair OR *)``)."""
    for i, node in enumerate(group):
        if isinstance(node, syntax.GroupNode):
            fields_held(node)
        elif (isinstance(node, WildcardPlugin.WildcardNode) and node.fieldname in FIELDS_HELD
              and node.text and not node.text.strip("*")):
            held = FieldHeldNode(node.fieldname, node.boost)
            held.startchar, held.endchar = node.startchar, node.endchar
            group[i] = held
    return group
