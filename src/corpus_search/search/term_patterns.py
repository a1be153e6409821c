"""A multi-word lexicon term whose last word is typed as a wildcard pattern (``Lib Dem*``)
or with a fuzzy mark (``Lib Dems~``).

Whoosh's parser reads ``Lib Dem*`` as two words, Lib and any word starting Dem: 78 BBC
documents, those saying "Lib" (of Lib Dem or not) and "demand", where ``Lib Dems`` finds the
147 that name the Liberal Democrats in any form the lexicon lists. Read as a reader means it,
as Elasticsearch's ``match_phrase_prefix`` does, it is the phrase whose last word is the
pattern; where the phrases it completes are lexicon terms ("Lib Dem", "Lib Dems",
"Lib Democrats"), it is those terms, each read whole as a typed term is (its concept). A
pattern that completes no term with the words before it is left to the parser.

A fuzzy mark after a term (:func:`without_fuzzy_terms`) is left out, with a note: a term is
already matched in every form the lexicon lists, and the mark made its last word alone fuzzy,
the others plain words (``Lib Dems~`` found the 104 BBC documents saying "Lib" or a word an
edit from "Dems", ``Lib Dems~ AND tuition fees`` 77 where ``Lib Dems AND tuition fees`` finds
12). Elasticsearch's ``match`` query likewise applies its ``fuzziness`` to words, never to a
synonym of several words. A word the lexicon reads as a concept (``Tories~``) is such a term
too: its forms are matched already, and its edits' neighbours ("stories", "tries", and
"trying" through the stem of "tries") are no form of it (:func:`names_concept`).

A fuzzy mark after a name the query groups as one (:func:`fuzzy_names`: ``Gordon Brown~``)
applies to each of its words, the name held whole as a query with operators holds it (all
its words): a name has no lexicon forms to fall back on, and the mark had made its last word
alone fuzzy, parting it from the name (``Tony Blair~ AND Iraq`` read ``Tony OR (Blair~ AND
Iraq)``, 189 BBC documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from corpus_search.analysis.lexicon import Lexicon, bare_form
from corpus_search.analysis.text import in_typed_case
from corpus_search.analysis.tokens import CONCEPT
from corpus_search.errors import PatternTooBroad
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.groups import OPERATOR, PLAIN_WORD, word_groups
from corpus_search.search.lexicon_spans import query_term_spans, quoted_regions
from corpus_search.search.modifiers import BoundedFuzzyTermPlugin
from corpus_search.search.ranking import TEXT_FIELDS, Ranking
from corpus_search.search.spelling import MAX_PATTERN_WORDS, expand_pattern, wildcard_regex
from corpus_search.search.state import SearchSource
from corpus_search.search.vocabulary import Vocabulary, vocabulary

__all__ = ["FuzzyName", "TermPattern", "forms_matching", "fuzzy_names", "names_concept",
           "term_patterns", "unfuzzed", "without_fuzzy_terms"]

#: a word holding a wildcard, standing apart (a space, a bracket or the text's ends around it)
_LETTERS = r"[^\s\"():^~\[\]{}+\-]*"
_PATTERN_WORD = re.compile(rf"(?<![^\s(]){_LETTERS}[*?]{_LETTERS}(?=[\s)]|$)")

#: the most words before the pattern that a term is looked for with
_MAX_BEFORE = 3


@dataclass(frozen=True)
class TermPattern:
    """The span ``start:end`` of a query (``Lib Dem*``) read as the lexicon ``terms`` its
    pattern completes."""

    start: int
    end: int
    terms: tuple[str, ...]

    def render(self, whole: bool = False) -> str:
        """The terms in Whoosh's syntax, each a phrase the analyzer reads as its concept."""
        return "(" + " OR ".join(f'"{t}"' for t in self.terms) + ")"


def term_patterns(
    text: str, index: SearchSource, ranking: Ranking, quoted: list[tuple[int, int]]
) -> list[TermPattern]:
    """The lexicon terms typed with a wildcard in their last word in ``text`` (outside the
    ``quoted`` spans), in order."""
    found = []
    for m in _PATTERN_WORD.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in quoted):
            continue
        before = _words_before(text, m.start())
        if not before or not any(c.isalpha() for c in m.group()):
            continue
        try:
            words = expand_pattern(_vocabulary(index, ranking), m.group(), index.lexicon)
        except PatternTooBroad:
            continue  # (the parser says so)
        got = _completed_terms(index, [s for s, _ in before], m.group(), words)
        if got is not None:
            n, terms = got
            found.append(TermPattern(before[-n][1], m.end(), terms))
    return found


def forms_matching(pattern: str, lexicon: Lexicon) -> list[str]:
    """The forms of the lexicon's terms of one word (``PMQs``, ``by-election``) that the
    wildcard ``pattern`` matches, case aside, in the lexicon's order; at most
    :data:`~corpus_search.search.spelling.MAX_PATTERN_WORDS`."""
    regex = wildcard_regex(pattern.lower())
    found = dict.fromkeys(form for entry in lexicon.entries for form in map(bare_form, entry.forms)
                          if " " not in form and regex.fullmatch(form.lower()))
    return list(found)[:MAX_PATTERN_WORDS]


def _vocabulary(index: SearchSource, ranking: Ranking) -> Vocabulary:
    return vocabulary(engine_for_ranking(index.searcher(), ranking))


#: what may open the first word of a term: a field's name, brackets opening a group
_OPENING = re.compile(r"(?:[^\W\d]\w*:)?\(*")


def _words_before(text: str, end: int) -> list[tuple[str, int]]:
    """The plain words (and where each starts) just before ``end``, spaces apart, nearest
    last: at most :data:`_MAX_BEFORE`, none past an operator or other syntax. The first may
    open a field's value or a group (``party:Lib Dem*``, ``(Lib Dem* OR Tories)``): had it
    not, the pattern was the words apart, ``party:Lib`` or any word starting "Dem" (489
    BBC documents)."""
    out: list[tuple[str, int]] = []
    for m in reversed(list(re.finditer(r"\S+", text[:end]))):
        lead = _OPENING.match(m.group()).end()  # type: ignore[union-attr]
        word = m.group()[lead:]
        if len(out) == _MAX_BEFORE or not PLAIN_WORD.fullmatch(word) or \
                OPERATOR.fullmatch(word) or not text[m.end():end].isspace():
            break
        out.insert(0, (word, m.start() + lead))
        end = m.start()
        if lead:
            break
    return out


def _completed_terms(
    index: SearchSource, before: list[str], pattern: str, words: list[str]
) -> tuple[int, tuple[str, ...]] | None:
    """How many of the words ``before`` begin the terms the pattern's ``words`` complete, and
    those terms (one of each reading), the most words first; None if they complete none."""
    analyzer = index.schema["body"].analyzer
    letters = pattern.replace("*", "").replace("?", "")
    cased = [in_typed_case(w, letters) for w in words]
    for n in range(len(before), 0, -1):
        terms: dict[tuple[str, ...], str] = {}
        for word in cased:
            term = " ".join([*before[-n:], word])
            if query_term_spans(term, index.lexicon) == [(0, len(term))]:
                reading = tuple(t.text for t in analyzer(term, mode="query"))
                terms.setdefault(reading, term)
        if terms:
            return n, tuple(terms.values())
    return None



def without_fuzzy_terms(text: str, lexicon: Lexicon, analyzer: Any = None
                        ) -> tuple[str, list[str]]:
    """``text`` without the fuzzy marks (``~``, ``~2``, ``~1/2``) that follow a lexicon term
    outside quotes ("Lib Dems~" -> "Lib Dems"; with ``analyzer``, a word it reads as a
    concept too, "Tories~" -> "Tories": :func:`names_concept`) or a wildcard pattern
    ("Blair*~" -> "Blair*"), and a note for each so read; a mark on another word, or inside a
    term ("Lib~ Dems"), stays where it is.

    A word is a pattern or fuzzy, not both: Lucene's parser reads ``Blair*~`` as the prefix
    and ignores the mark, and ours had searched the literal pattern ``blair*~`` (no word
    ends in ~: nothing found, no note)."""
    quoted = quoted_regions(text)
    ends = {e: s for s, e in query_term_spans(text, lexicon)}
    kept, notes, last = [], [], 0
    for m in BoundedFuzzyTermPlugin.expr.finditer(text):
        word = _WORD_BEFORE.search(text, 0, m.start()).group()  # type: ignore[union-attr]
        field, _colon, bare = word.rpartition(":")  # (title:Tories~ is the word's, but
        if field and field not in TEXT_FIELDS:  # party:Labour~ a fuzzy value: see fields)
            bare = word
        start = m.start() - len(word) if "*" in word or "?" in word else ends.get(
            m.start(), m.start() - len(bare) if names_concept(bare, analyzer) else None)
        if start is None or "~" in text[start : m.start()] or any(
                s < m.end() and start < e for s, e in quoted):
            continue
        term = text[start : m.start()]
        kept += [text[last : m.start()]]
        last = m.end()
        note = (f"{term}{m.group()}: a word is a wildcard pattern or fuzzy, not both, so this "
                f"searched the pattern {term}." if "*" in term or "?" in term else
                f"{term}{m.group()}: {term} is a lexicon term, already matched in every form "
                f"the lexicon lists (a ~ makes another word fuzzy), so this searched {term}.")
        if note not in notes:
            notes.append(note)
    return "".join([*kept, text[last:]]), notes


#: the word a fuzzy mark follows, field name and all (``party:Con*``)
_WORD_BEFORE = re.compile(r'[^\s()"]*$')


def names_concept(word: str, analyzer: Any) -> bool:
    """Does ``analyzer`` read the plain ``word`` as a lexicon concept other than the word
    itself (Tories: the Conservative Party; Commons: the House of Commons)? Its ``~`` is
    then left out (:func:`without_fuzzy_terms`): its forms are matched already, and the
    mark had added its edits' neighbours, whose stems reach further ("Tories~" marked
    "trying", through "tries", in BBC snippets)."""
    if analyzer is None or not word.isalpha():
        return False
    return any(t.kind == CONCEPT for t in analyzer(word, mode="query"))


def unfuzzed(text: str) -> str | None:
    """``text`` without the fuzzy marks typed after its words outside quotes (``Gordon
    Brown~`` -> ``Gordon Brown``, ``Tory~2`` -> ``Tory``), or ``None`` when it has none: the
    query a fuzzy query must find at least what it finds. A mark after a quote (a phrase's
    slop) or a bracket, or on a field's value, is not a word's and stays."""
    quoted = quoted_regions(text)
    marks = [m for m in BoundedFuzzyTermPlugin.expr.finditer(text)
             if text[m.start() - 1].isalnum() and not any(s <= m.start() < e for s, e in quoted)
             and ":" not in _WORD_BEFORE.search(text, 0, m.start()).group()]  # type: ignore[union-attr]
    if not marks:
        return None
    kept, last = [], 0
    for m in marks:
        kept.append(text[last : m.start()])
        last = m.end()
    return "".join([*kept, text[last:]])


@dataclass(frozen=True)
class FuzzyName:
    """The span ``start:end`` of a query (``Gordon Brown~``): a name's ``words`` (without an
    honorific before them, ``honorific``), each typed with the fuzzy ``mark``."""

    start: int
    end: int
    words: tuple[str, ...]
    mark: str
    honorific: str | None = None

    def render(self, whole: bool = False) -> str:
        """Every word of the name, each fuzzy; an honorific a weak part, as in a name typed
        without the mark (:meth:`~corpus_search.search.groups.Group.render`)."""
        fuzzy = f"({' AND '.join(w + self.mark for w in self.words)})"
        return f"({fuzzy} ANDMAYBE {self.honorific})" if self.honorific else fuzzy

    @property
    def note(self) -> str:
        typed = " ".join(self.words)
        return (f"{typed}{self.mark}: the {self.mark} applies to each word of the name {typed}, "
                f"so this searched {' AND '.join(w + self.mark for w in self.words)}, besides "
                f"what {typed} finds.")


def fuzzy_names(text: str, index: SearchSource, ranking: Ranking) -> list[FuzzyName]:
    """The names of ``text`` (outside quotes) typed with a fuzzy mark after them, each a name
    of ``text`` without its marks (:func:`~corpus_search.search.groups.word_groups`, read
    with each mark blanked out, so that the spans stay where they are), in order."""
    quoted = quoted_regions(text)
    marks = [m for m in BoundedFuzzyTermPlugin.expr.finditer(text)
             if not any(s <= m.start() < e for s, e in quoted)]
    if not marks:
        return []
    blanked = list(text)
    for m in marks:
        blanked[m.start() : m.end()] = " " * (m.end() - m.start())
    names = {g.end: g for g in word_groups("".join(blanked), index, ranking)
             if g.name and g.spaced is None}
    found = []
    for m in marks:
        name = names.get(m.start())
        if name is not None:
            words = name.words[1:] if name.honorific else name.words
            honorific = name.words[0] if name.honorific else None
            found.append(FuzzyName(name.start, m.end(), words, m.group(), honorific))
    return found
