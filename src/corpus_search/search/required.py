"""A plus sign before a word makes it required, as in Lucene and web search engines: ``+Blair
+Howard`` finds the documents naming both, ``+Blair Howard`` those naming Blair, Howard
ranking them. Whoosh's parser read the sign as punctuation: ``+Blair +Howard`` found the 249
BBC documents naming either, as ``Blair Howard`` does.

The sign counts where it starts a word outside quotes (after a space or an opening bracket)
and something to require follows it: a word, a quoted phrase, a bracketed group or a field's
value (``+party:Labour``). A plus inside a word (``C++``, ``1+1``) or standing alone
(``Blair + Brown``) is text. Within a group of words joined by spaces, the required parts
must all match and the others rank the matches (Whoosh's ``ANDMAYBE``); a part excluded
(``NOT``, ``-word``) stays excluded. Joined by ``AND``, a part is required already; beside
``OR``, ``ANDMAYBE`` or ``NOT`` the sign requires it within its group as above.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import query
from whoosh.qparser import Plugin
from whoosh.qparser import syntax as qsyntax
from whoosh.qparser.taggers import FnTagger

__all__ = ["REQUIRED", "RequiredPlugin"]

#: a plus sign that makes what follows it required (see the module's docstring)
REQUIRED = re.compile(r"(?<![^\s(])\+(?=[^\s+)\-])")


class _Plus(qsyntax.MarkerNode):
    """The sign, before the node it requires is known."""


class _Required(qsyntax.Wrapper):
    """A node the query requires, until its group is arranged (:meth:`RequiredPlugin.arrange`)."""

    def query(self, parser: Any) -> query.Query | None:
        return self.nodes[0].query(parser)


class _Kept(qsyntax.Wrapper):
    """A bracketed group holding a required node, kept whole: an operator beside it joins it
    as a whole, not its nodes."""

    def query(self, parser: Any) -> query.Query | None:
        return self.nodes[0].query(parser)


class RequiredPlugin(Plugin):
    """``+word``: the word required within its group of words (see the module)."""

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        return [(FnTagger(REQUIRED, _Plus, "plus"), 0)]

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        # after the spaces are gone (500) and boosts bound (510), before operators (600);
        # then, with the operators in place, each group arranged
        return [(self.attach, 520), (self.arrange, 610)]

    def attach(self, parser: Any, group: Any) -> Any:
        """``group`` with each sign and the node after it one required node; a sign with
        nothing to require after it (the end, an operator) is left out."""
        nodes, required = [], False
        for node in group:
            if isinstance(node, _Plus):
                required = True
                continue
            if isinstance(node, qsyntax.GroupNode):
                node = self.attach(parser, node)
                if any(isinstance(n, _Required) for n in node):
                    # ((+Blair Howard) OR Brown: an OR would merge Brown into the brackets)
                    node = _Kept([node])
            if required and not isinstance(node, qsyntax.Operator):
                node = _Required([node])
            nodes.append(node)
            required = False
        group.nodes = nodes
        return group

    def arrange(self, parser: Any, group: Any) -> Any:
        """``group`` with its required nodes and the rest arranged: in a group of words or
        ``OR``, ``(required AND NOT excluded) ANDMAYBE (the rest)``; in any other group the
        node as it is (``AND`` requires it already)."""
        for i, node in enumerate(group):
            if isinstance(node, qsyntax.GroupNode):
                group[i] = self.arrange(parser, node)
        if not any(isinstance(node, _Required) for node in group):
            return group
        if type(group) is _Required or not isinstance(group, qsyntax.OrGroup):
            for i, node in enumerate(group):
                if isinstance(node, _Required):
                    group[i] = node.nodes[0]
            return group
        required = [n.nodes[0] for n in group if isinstance(n, _Required)]
        excluded = [n for n in group if isinstance(n, qsyntax.NotGroup)]
        optional = [n for n in group if not isinstance(n, (_Required, qsyntax.NotGroup))]
        must = required[0] if len(required) == 1 and not excluded else qsyntax.AndGroup(
            required + excluded)
        if not optional:
            return must
        return qsyntax.AndMaybeGroup([must, qsyntax.OrGroup(optional)])
