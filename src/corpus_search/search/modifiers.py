"""A term's modifiers as a person types them: a boost (``Blair^2``), a fuzzy term's distance
and prefix (``Blair~2/1``), a phrase's distance (``"Tony Blair"~3``) and a field's range sign
(``date:>2005``).

Whoosh's parser took a boost of any size (``Blair^999999999999`` scored the hits 10^13) and
read only the modifiers it expected, the rest as words: ``Blair~-1`` searched ``Blair~`` and
the word "1", ``Blair~x`` the word "x" too, ``Blair^0`` scored every hit 0, ``Blair^-1``
searched "Blair" followed by "1" (nothing). Here a modifier is read whole, up to the next
space or bracket: a boost above :data:`MAX_BOOST` is lowered to it, and a modifier that is no
number in range is left out (the default applies), each with a note, as a fuzzy term's edits
are lowered (:meth:`~corpus_search.search.parser.PoliticalQueryParser.fuzzy_query`) and as
Elasticsearch refuses a negative boost.
"""

from __future__ import annotations

import math
import re
from typing import Any

from whoosh import query
from whoosh.qparser import BoostPlugin, FuzzyTermPlugin, GtLtPlugin, OperatorsPlugin
from whoosh.qparser import syntax as qsyntax

__all__ = ["MAX_BOOST", "MAX_FUZZY_EDITS", "PHRASE_EXPR", "BoostKeepingOperatorsPlugin",
           "BoundedBoostPlugin", "BoundedFuzzyTermPlugin", "FieldRangeSignPlugin",
           "fuzzy_edits_allowed", "phrase_slop"]

#: The largest boost a query may give a term (``Blair^100``): enough to put one word's
#: matches first however rare the others are, while scores stay readable. A larger one is
#: lowered to it, with a note.
MAX_BOOST = 100

#: a quoted phrase and what follows its ``~``, whole (see :func:`phrase_slop`)
PHRASE_EXPR = r'"(?P<text>.*?)"(~(?P<slop>[^\s()^~]*))?'

#: Largest edit distance a ``word~N`` query may ask for: beyond 2 a fuzzy term matches much of
#: the vocabulary, and Whoosh's Levenshtein automaton (still used when Whoosh runs a query)
#: explodes with N: ``ANDMAYBEfuzzy~9`` ran for minutes, a one-query denial of service. A
#: larger N is lowered to it, with a note, as Lucene's query parsers and Elasticsearch's
#: ``fuzziness`` lower it (silently) to their largest, also 2.
MAX_FUZZY_EDITS = 2


def fuzzy_edits_allowed(letters: int) -> int:
    """The most edits a fuzzy word of this many letters and digits allows: none up to 2, one
    up to 5, two beyond, as Elasticsearch's ``fuzziness: AUTO`` allows. More matches most
    short words of the texts: ``a~`` matched 1,104 BBC documents, ``Blair~2`` put "Nair" and
    "Plaid" above Blair."""
    return 0 if letters <= 2 else 1 if letters <= 5 else MAX_FUZZY_EDITS


_NUMBER = re.compile(r"[0-9]+")


def _note(parser: Any, text: str) -> None:
    if text not in parser.notes:
        parser.notes.append(text)


def _term_before(match: re.Match[str]) -> str:
    """The term a modifier follows, as typed: the quoted phrase, bracketed group or word just
    before it ("" when it follows a space, an opening bracket or nothing: a caret there is
    text). A group's boost had been read as a word, ``(Blair OR Brown)^2`` searching "2"."""
    before = match.string[: match.start()]
    if before.endswith('"'):
        start = before.rfind('"', 0, len(before) - 1)
        return before[start:] if start >= 0 else before
    if before.endswith(")"):  # a bracketed group: (Blair OR Brown)^2 boosts it whole
        depth = 0
        for i in range(len(before) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(before[i], 0)
            if depth == 0:
                return before[i:]
        return before
    found = re.search(r"[^\s()]*$", before)
    return found.group(0) if found else ""


class _KeptBoost(qsyntax.SyntaxNode):
    """A boost node that Whoosh's clean-up of boosts must leave as it is."""

    def __init__(self, node: Any) -> None:
        self.node = node


class BoundedBoostPlugin(BoostPlugin):
    """``term^N`` with ``0 < N <=`` :data:`MAX_BOOST`: a larger N is lowered to it, and what
    is no number above 0 (``^0``, ``^-1``, ``^abc``, ``^2^3``) is left out; a note says
    which. A caret after nothing, or followed by nothing, is text, as in Whoosh."""

    expr = r"\^+(?P<boost>[^\s()]*)(?=$|[\s)])"

    def clean_boost(self, parser: Any, group: Any) -> Any:
        """Whoosh's, except that a boost after a fuzzy mark (``Blair~^2``, ``Blair~2^3``)
        boosts the fuzzy term it ends: it was read as a word, and searched ("3")."""
        for i, node in enumerate(group):
            if isinstance(node, self.BoostNode) and i and isinstance(
                    group[i - 1], FuzzyTermPlugin.FuzzinessNode):
                group[i] = _KeptBoost(node)
        group = super().clean_boost(parser, group)
        for i, node in enumerate(group):
            if isinstance(node, _KeptBoost):
                group[i] = node.node
        return group

    def create(self, parser: Any, match: re.Match[str]) -> Any:
        original, text = match.group(0), match.group("boost")
        term = _term_before(match)
        if not text or not term:
            return qsyntax.WordNode(original)
        try:
            boost = float(text)
        except ValueError:
            boost = math.nan
        if boost > MAX_BOOST:
            _note(parser, f"{term}^{text}: a boost is at most {MAX_BOOST}, so this searched "
                          f"{term}^{MAX_BOOST}.")
            return self.BoostNode(original, float(MAX_BOOST))
        if not boost > 0:  # (NaN too)
            _note(parser, f"{term}^{text}: a boost is a number above 0 and at most "
                          f"{MAX_BOOST} (as in {term}^2), so this searched {term}.")
            return self.BoostNode(original, 1.0)
        return self.BoostNode(original, boost)


class _BoostKeepingInfix(qsyntax.InfixOperator):
    """A binary operator that never merges its other side into a boosted group of its own
    kind: Whoosh's appended ``Brown`` to the group of ``Blair^2 OR Brown`` (each word is a
    group of its fields), so the boost of Blair weighed Brown too, and ``(Blair OR Brown)^2
    OR Howard`` boosted Howard."""

    def replace_self(self, parser: Any, group: Any, position: int) -> int:
        if 0 < position < len(group) - 1:
            left, right = group[position - 1], group[position + 1]
            strong = left if self.leftassoc else right
            if isinstance(strong, self.grouptype) and getattr(strong, "boost", 1.0) != 1.0:
                group[position - 1 : position + 2] = [self.grouptype([left, right])]
                return position
        return int(super().replace_self(parser, group, position))


class BoostKeepingOperatorsPlugin(OperatorsPlugin):
    """Whoosh's operators, each keeping a boost to the node it was typed after
    (:class:`_BoostKeepingInfix`)."""

    class OpTagger(OperatorsPlugin.OpTagger):
        def __init__(self, expr: str, grouptype: Any, optype: Any = _BoostKeepingInfix,
                     leftassoc: bool = True, memo: str = "") -> None:
            super().__init__(expr, grouptype, optype, leftassoc, memo)


class BoundedFuzzyTermPlugin(FuzzyTermPlugin):
    """``word~N/P`` matched against the words of the texts as written (see
    :meth:`~corpus_search.search.parser.PoliticalQueryParser.fuzzy_query`, which bounds N).
    N and P are read whole (Whoosh read one digit of N): one that is no number is left out
    (N is then 1, P 0), with a note."""

    expr = re.compile(r"(?<=\S)~(?P<maxdist>[^\s()/^~]*)(/(?P<prefix>[^\s()^~]*))?")

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def __init__(self, wordnode: Any, maxdist: int, prefixlength: int) -> None:
            super().__init__(wordnode, maxdist, prefixlength)
            self.mark = getattr(wordnode, "fuzzy_mark", "~")  # (as typed: ~, ~1, ~/2)

        def query(self, parser: Any) -> query.Query:
            fieldname = self.fieldname or parser.fieldname
            q = parser.fuzzy_query(
                fieldname, self.text, self.maxdist, self.prefixlength, self.boost, self.mark
            )
            return qsyntax.attach(q, self)

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self._typed_marks, -1), *super().filters(parser)]

    def _typed_marks(self, parser: Any, group: Any) -> Any:
        """Each word before a fuzzy mark keeps the mark as typed, for a note to name what was
        typed (Whoosh's node keeps only its numbers: ``party:Con~`` was named ``party:Con~1``)."""
        for node, after in zip(group.nodes, [*group.nodes[1:], None], strict=True):
            if isinstance(node, qsyntax.GroupNode):
                self._typed_marks(parser, node)
            elif isinstance(node, qsyntax.WordNode) and isinstance(after, self.FuzzinessNode):
                node.fuzzy_mark = after.original
        return group

    def create(self, parser: Any, match: re.Match[str]) -> Any:
        term, text, prefix = _term_before(match), match.group("maxdist"), match.group("prefix")
        maxdist = int(text) if _NUMBER.fullmatch(text) else 1
        if text and not _NUMBER.fullmatch(text):
            _note(parser, f"{term}~{text}: the number after ~ is how many edits a word may "
                          f"differ by (as in {term}~2), so this searched {term}~ (1 edit).")
        prefixlength = int(prefix) if prefix and _NUMBER.fullmatch(prefix) else 0
        if prefix and not _NUMBER.fullmatch(prefix):
            _note(parser, f"{term}~{text}/{prefix}: the number after / is how many first "
                          f"letters must match (as in {term}~{text or 1}/1), so this searched "
                          f"{term}~{text}.")
        return self.FuzzinessNode(maxdist, prefixlength, match.group(0))


def phrase_slop(parser: Any, match: re.Match[str]) -> int:
    """The distance of a phrase matched by :data:`PHRASE_EXPR` (``"a b"~N``): N from 1 (1 by
    default); what is no such number (``~0``, ``~-1``, ``~x``) is left out, with a note."""
    text = match.group("slop")
    if not text:
        return 1
    if _NUMBER.fullmatch(text) and int(text) >= 1:
        return int(text)
    phrase = f'"{match.group("text")}"'
    _note(parser, f"{phrase}~{text}: the number after a phrase's ~ is how many words apart "
                  f"its words may be (as in {phrase}~3), so this searched {phrase}.")
    return 1


class FieldRangeSignPlugin(GtLtPlugin):
    """Whoosh's ``field:>value`` ranges, except that a ``<`` or ``>`` that starts a group
    (``<b>``, a query typed as HTML, or ``(<NHS)``) is left out, as Whoosh leaves out any
    other that follows no field name: Whoosh's filter looked at the node before it, found
    none, and the query failed with "list index out of range"."""

    def do_gtlt(self, parser: Any, group: Any) -> Any:
        first = 0
        while first < len(group) and isinstance(group[first], self.GtLtNode):
            first += 1
        if first:
            rest = group.empty_copy()
            for node in group[first:]:
                rest.append(node)
            group = rest
        return super().do_gtlt(parser, group)
