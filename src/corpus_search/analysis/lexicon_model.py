"""What a lexicon is made of, shared by the modules that read, compile and use it: a
``[terms]`` line (:class:`Entry`), a form's markers and words, a term a longer form begins
(:class:`BegunTerm`), and the word trie's nodes (:data:`LOWER`, :data:`CASED`,
:data:`OUTPUT`), with the copy of a trie given more forms (:func:`with_paths`).

A search imports this with :mod:`.lexicon` (the compiled lexicon it reads from the cache
holds these); the parser and the compiler, which only a lexicon not yet compiled needs, are
:mod:`.lexicon_parse` and :mod:`.lexicon_compile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from corpus_search.analysis.text import HYPHENS, WORD_RE

__all__ = [
    "BUILTIN_SOURCE", "CASED", "LOWER", "OUTPUT", "BegunTerm", "Entry", "bare_form", "form_body",
    "form_markers", "form_words", "new_node", "with_paths", "word_nodes",
]


#: How a built-in lexicon file's name begins (an :class:`Entry`'s ``source``); a user's file
#: is named by its path. A user's line overrides the built-in meaning of its forms.
BUILTIN_SOURCE = "data/lexicon/"


def form_words(form: str) -> list[tuple[str, bool]]:
    """Split a lexicon form into ``(raw word, joined_by_hyphen_to_previous)`` pairs."""
    out: list[tuple[str, bool]] = []
    prev_end = -1
    for m in WORD_RE.finditer(form):
        hyphen = prev_end >= 0 and m.start() == prev_end + 1 and form[prev_end] in HYPHENS
        out.append((m.group(), hyphen))
        prev_end = m.end()
    return out


class Entry(NamedTuple):
    """One ``[terms]`` line: a concept, its surface forms and attributes.

    A form starting with ``?`` is ambiguous: it stands for the concept only in a text whose
    context confirms it (see :attr:`Lexicon.context`). A form starting with ``!`` is a
    query's only: what a searcher types for the concept ("by election"), which a document
    writing it means otherwise (no context confirms it).

    A named tuple, not a dataclass: the compiled lexicon's cache keeps its ~1,400 lines as
    plain tuples, which become entries again in C (callgrind, ``search Blair``: unpickling
    them as dataclasses was ~18M instructions; their tuples and this ~4M).
    """

    concept: str
    forms: tuple[str, ...]
    party: str | None
    also: tuple[str, ...]
    source: str
    line: int
    #: the concepts its forms do not imply though they begin with one of their forms (the
    #: ``also`` column's ``-free_schools``: free school meals are not free schools); see
    #: :func:`.lexicon_compile._begun_terms`
    unlike: tuple[str, ...] = ()


class BegunTerm(str):
    """A concept in the output of a longer form that begins with one of its forms
    ("general_election" for "general election campaign"): ``words`` is how many of the
    longer form's words name it, which its token's offsets span (a highlight or a
    concordance marks "general election", not the campaign)."""

    words: int

    @classmethod
    def of(cls, concept: str, words: int) -> BegunTerm:
        term = cls(concept)
        term.words = words
        return term


#: The slots of a lexicon trie node, a list ``[lower, cased, output]`` (plain indices: the trie
#: is read per token, and a list index is the cheapest access). ``node[LOWER]`` maps a
#: caseless word key to the next node and ``node[CASED]`` a case-sensitive key (a key starting
#: with "-" is a word hyphen-linked to the one before); ``node[OUTPUT]`` is None, or the
#: concepts a form ending at this node yields. The trie's root is such a node.
LOWER, CASED, OUTPUT = 0, 1, 2


def new_node() -> list:
    return [{}, {}, None]


def word_nodes(trie: list, surf: str, low: str) -> tuple[list | None, list | None]:
    """The nodes below ``trie`` of the word ``normalise_word`` gives as ``(surf, low)``: its
    caseless key's and its case-sensitive key's (None where there is none; a word whose surface
    is its lower-case form, ``surf is low``, has no case-sensitive key)."""
    return trie[LOWER].get(low), trie[CASED].get(surf) if surf is not low else None


def form_markers(form: str) -> tuple[str, str]:
    """A lexicon form's markers and its words: ``?=NEC`` is ("?=", "NEC"), ``!by election``
    ("!", "by election"), ``Labour`` ("", "Labour"). ``?`` marks an ambiguous form, ``=`` a
    case-sensitive one, ``!`` a query's only; a space may follow each. The one reading of
    them: every module that takes a form's words or markers asks this."""
    markers = ""
    while form[:1] in ("?", "=", "!"):
        markers += form[0]
        form = form[1:].strip()
    return markers, form


def bare_form(form: str) -> str:
    """A lexicon form's words, its markers left out (:func:`form_markers`): ``?=NEC`` is
    ``NEC``."""
    return form_markers(form)[1]


def form_body(form: str) -> tuple[bool, bool, str]:
    """``(ambiguous, cased, words)`` of a form: ``?=NEC`` is (True, True, "NEC"); a query's
    only form (``!by election``) is ambiguous too (see :func:`.lexicon_compile._query_only`)."""
    markers, words = form_markers(form)
    return "?" in markers or "!" in markers, "=" in markers, words


def _copy_node(node: list) -> list:
    return [dict(node[LOWER]), dict(node[CASED]), node[OUTPUT]]


def with_paths(root: list, items: Sequence[tuple]) -> list:
    """A copy of the frozen trie ``root`` with more ``(path, outputs)``, or ``(path, outputs,
    refused)``: the path's node then gives none of ``refused``; only the nodes along the new
    paths are copied, the rest is shared."""
    new_root = _copy_node(root)
    owned = {id(new_root)}
    for path, outputs, *refused in items:
        node = new_root
        for key, cased, hyphen in path:
            k = "-" + key if hyphen else key
            children = node[CASED] if cased else node[LOWER]
            old = children.get(k)
            if old is not None and id(old) in owned:
                node = old
                continue
            child = new_node() if old is None else _copy_node(old)
            owned.add(id(child))
            children[k] = child
            if cased and key.upper() != key:  # the ALL-CAPS alias shares the node
                up = ("-" if hyphen else "") + key.upper()
                if children.get(up, old) is old:
                    children[up] = child
            node = child
        outs = [c for c in node[OUTPUT] or () if not refused or c not in refused[0]]
        outs += [c for c in outputs if c not in outs]
        node[OUTPUT] = tuple(outs)
    return new_root
