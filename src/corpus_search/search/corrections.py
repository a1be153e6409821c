"""Spelling corrections applied to a query: unknown words, suggestions, and the search run
again with the corrected words when the typed ones find little.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query

from corpus_search.analysis.analyzer import multiword_spans
from corpus_search.analysis.text import WORD_RE, normalise_word
from corpus_search.search.budget import check_budget
from corpus_search.search.concepts import Alternative, Concept
from corpus_search.search.parsing import parsed_query, walk
from corpus_search.search.ranking import TEXT_FIELDS, Ranking, engine_for_ranking
from corpus_search.search.spelling import (
    Correction,
    correct_word,
    is_acronym_shaped,
    lexicon_knows,
    vocabulary,
)
from corpus_search.search.state import SearchSource

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.engine import QueryEngine




def with_corrections(
    concepts: tuple[Concept, ...] | None, q: query.Query, phrases: Sequence[Concept] = ()
) -> tuple[Concept, ...] | None:
    """``concepts`` with the text-field terms of ``q`` they lack (spelling corrections):
    each joins the concept of a term beside it in the same ``Or`` (weighted by its boost
    relative to that term's), or else becomes a concept of its own. ``phrases`` are the
    quoted phrases of the corrected query (:func:`corrected_phrases`), in order: each quoted
    phrase of ``concepts`` also matches as its correction reads, so a document holding the
    corrected phrase ranks as one holding the phrase."""
    if concepts is None:
        return None
    firsts = [i for i, c in enumerate(concepts) if c.first]
    fixed = dict(zip(firsts, phrases, strict=True)) if len(firsts) == len(phrases) else {}
    singles = [
        (i, a) for i, c in enumerate(concepts) for a in c.alternatives
        if len(a.slots) == 1 and not a.rarity_only
    ]
    owner = {a.slots[0][0]: i for i, a in singles}
    weight_of = {a.slots[0][0]: a.weight for _, a in singles}
    extra: dict[int, list[Alternative]] = {
        i: [a for a in p.alternatives
            if not (a.weak or a.rarity_only) and a not in concepts[i].alternatives]
        for i, p in fixed.items()
    }
    alone: dict[str, float] = {}
    for node in walk(q):
        if not isinstance(node, query.Or):
            continue
        terms = [
            t for t in node.subqueries
            if isinstance(t, query.Term) and t.fieldname in TEXT_FIELDS
        ]
        known = [t for t in terms if t.text in owner]
        for t in terms:
            if t.text in owner:
                continue
            if known:
                k = known[0]
                weight = weight_of[k.text] * (t.boost / k.boost if k.boost else 1.0)
                extra.setdefault(owner[k.text], []).append(Alternative.term(t.text, weight))
            else:
                alone.setdefault(t.text, 1.0)
            owner.setdefault(t.text, owner[k.text] if known else -1)
    for leaf in q.leaves():
        if (
            isinstance(leaf, query.Term)
            and leaf.fieldname in TEXT_FIELDS
            and leaf.text not in owner
        ):
            alone.setdefault(leaf.text, 1.0)
    if not any(extra.values()) and not alone:
        return concepts
    out = [
        dataclasses.replace(c, alternatives=c.alternatives + tuple(dict.fromkeys(extra.get(i, ()))))
        for i, c in enumerate(concepts)
    ]
    out += [Concept((Alternative.term(text, w),), text) for text, w in alone.items()]
    return tuple(out)


def corrected_phrases(
    index: SearchSource, searcher: Searcher, concepts: tuple[Concept, ...] | None,
    spelling: _Spelling, ranking: Ranking,
) -> tuple[Concept, ...]:
    """The quoted phrases (``first`` concepts) of the query as corrected, read from its
    suggestion, when the correction is searched and the query quotes a phrase; else none.

    A quoted phrase with a corrected word is read again whole, not word for word: the
    lexicon may know the corrected phrase as one term ("general election", indexed at one
    position with its words), which the typed words put side by side never match."""
    if not (spelling.applied and spelling.suggestion and concepts
            and any(c.first for c in concepts)):
        return ()
    corrected = parsed_query(index, searcher, spelling.suggestion, ranking=ranking).concepts
    return tuple(c for c in corrected or () if c.first)


@dataclass(frozen=True)
class _Spelling:
    """What spelling help made of a query: the suggestion in the user's words, whether its
    corrections are searched too, the typed words no document holds, and the corrections
    (typed term -> [(replacement term, weight)]) to add to the query."""

    suggestion: str | None = None
    applied: bool = False
    not_found: tuple[str, ...] = ()
    replacements: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def rewrite(self, q: query.Query | None) -> query.Query | None:
        """``q`` with each corrected term also matching its replacements."""
        if q is None or not self.replacements:
            return q
        replacements = self.replacements

        def alternatives(fieldname: str, text: str, boost: float) -> query.Query:
            extra = [
                query.Term(fieldname, t, boost=boost * w) for t, w in replacements[text]
            ]
            return query.Or([query.Term(fieldname, text, boost=boost), *extra])

        def expand(node: query.Query) -> query.Query:
            if isinstance(node, query.Term) and node.fieldname in TEXT_FIELDS:
                if node.text in replacements:
                    return alternatives(node.fieldname, node.text, node.boost)
                return node
            if isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
                if not any(w in replacements for w in node.words):
                    return node
                parts = [
                    alternatives(node.fieldname, w, 1.0) if w in replacements
                    else query.Term(node.fieldname, w)
                    for w in node.words
                ]
                return query.Sequence(parts, slop=node.slop, boost=node.boost)
            return node if node.is_leaf() else node.apply(expand)

        return expand(q)


def _typed_words(
    index: SearchSource, q: query.Query, text: str, spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """The words of ``text`` that became terms or phrase words of ``q``, in order: not
    operators, field names, wildcard or fuzzy terms, nor words of a multi-word lexicon term
    at ``spans`` ("Lib" of "Lib Dems", which the lexicon knows whatever the index holds)."""
    read = set()
    for node in walk(q):
        if isinstance(node, query.Term) and node.fieldname in TEXT_FIELDS:
            read.add(node.text)
        elif isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
            read.update(node.words)
    analyzer = index.schema["body"].analyzer
    out = []
    for m in WORD_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before in ("*", "?") or after in ("*", "?", "~"):
            continue
        own = {t.text for t in analyzer(m.group(), mode="query")
               if not getattr(t, "expansion", False)}
        if own & read:
            out.append(m)
    return out


def _absent_lexicon_terms(
    searcher: Searcher, index: SearchSource, text: str, spans: list[tuple[int, int]]
) -> list[str]:
    """The multi-word lexicon terms typed in ``text`` at ``spans`` (Sinn Fein) that no
    document names in any of their forms: their words may still match ("Sinn", an
    economist), so the reader is told the term itself is nowhere."""
    analyzer = index.schema["body"].analyzer
    absent = []
    for start, end in spans:
        typed = text[start:end]
        terms = {t.text for t in analyzer(typed, mode="query")}
        if terms and not any(
            searcher.doc_frequency(f, t) for f in TEXT_FIELDS for t in terms
        ) and typed not in absent:
            absent.append(typed)
    return absent


def _own_terms(analyzer: Any, word: str) -> set[str]:
    """The index terms of ``word`` itself (its stem), not the lexicon's expansions."""
    return {t.text for t in analyzer(word, mode="query") if not getattr(t, "expansion", False)}


def _documents_holding(engine: QueryEngine, analyzer: Any, word: str, enough: int) -> int:
    """How many live documents hold the most widely held of ``word``'s own terms (not the
    lexicon's expansions), in any text field: exactly up to ``enough``, beyond it some
    number above it.

    Whoosh's document frequencies count deleted documents until their segment is merged,
    so a term's postings are read to count the live ones only when its frequency, less the
    deleted documents, is not above ``enough``: reading a common term's postings for this
    (every word of every query) took seconds on a million documents, and a loaded machine's
    eval-topic queries past their time budget."""
    reader = engine.reader
    deleted = reader.doc_count_all() - reader.doc_count()
    terms = _own_terms(analyzer, word)
    most = 0
    for fieldname in TEXT_FIELDS:
        for term in terms:
            frequency = reader.doc_frequency(fieldname, term)
            if frequency - deleted > enough:
                return frequency - deleted
            if frequency:
                most = max(most, len(engine.term(fieldname, term)))
    return most


def check_spelling(
    searcher: Searcher, index: SearchSource, q: query.Query, text: str,
    ranking: Ranking, apply: bool,
) -> _Spelling:
    """Spelling help for the words of ``text``, which ``index`` read as ``q`` (see
    :func:`corpus_search.search.spelling.correct_word`).

    A word the lexicon knows is left alone; one shaped like an acronym is never corrected,
    only reported when no document holds it. A word no document holds is corrected and,
    with ``apply``, its correction searched too; a rare word with a far likelier spelling
    gets that spelling suggested only.
    """
    engine = engine_for_ranking(searcher, ranking)
    vocab = vocabulary(engine)
    analyzer = index.schema["body"].analyzer
    spans = multiword_spans(text, index.lexicon)  # "Lib Dems": one lexicon term
    typed = _typed_words(index, q, text, spans)
    checked: dict[str, int] = {}  # word -> documents holding it
    questioned: list[str] = []
    not_found = _absent_lexicon_terms(searcher, index, text, spans)
    for m in typed:
        word = m.group()
        if word in checked or lexicon_knows(word, analyzer):
            continue
        surface, key = normalise_word(word)
        # the vocabulary leaves out words with digits ("80m", "2005"), and holds words as
        # written: "lobbyists" is in no text, yet its stem finds the one saying "lobbyist"
        stems = _documents_holding(engine, analyzer, word, vocab.rare_limit)
        surfaced = 0 if any(c.isdigit() for c in word) else vocab.frequency(key, surface)
        docs = checked[word] = max(stems, surfaced)
        if is_acronym_shaped(word):
            if not docs:
                not_found.append(word)
        elif docs <= vocab.rare_limit:
            questioned.append(word)
    if not questioned:
        return _Spelling(not_found=tuple(not_found))

    corrections: dict[str, Correction] = {}
    for word in questioned:
        check_budget()
        context = None  # the documents holding all the other words the index holds
        for other, n in checked.items():
            if n and other != word:
                docs = vocab.docs(normalise_word(other)[1])
                context = docs if context is None else np.intersect1d(context, docs)
        found = correct_word(vocab, word, context)
        if found is not None and checked[word]:
            # the index holds the word, maybe in another form ("lobbyists": "lobbyist"):
            # a better spelling is only suggested, never searched too; one of the same
            # stem finds nothing new, so it is offered only for a name ("Blaire": Blair)
            same = _own_terms(analyzer, found.replacement) == _own_terms(analyzer, word)
            if same and not word[:1].isupper():
                found = None
            elif found.missing:
                found = dataclasses.replace(found, missing=False, searched=False)
        if found is not None:
            corrections[word] = found
        elif not checked[word]:
            not_found.append(word)
    if not corrections:
        return _Spelling(not_found=tuple(not_found))

    out, last = [], 0
    for m in typed:
        if m.group() in corrections:
            out += (text[last : m.start()], corrections[m.group()].replacement)
            last = m.end()
    out.append(text[last:])
    replacements: dict[str, list[tuple[str, float]]] = {}
    for c in corrections.values():
        if not c.missing:
            continue
        not_found.append(c.word)  # its correction may be searched, but it is in no document
        if not apply or not c.searched:
            continue
        alts = [
            (t.text, ranking.expansion_weight if getattr(t, "expansion", False) else 1.0)
            for t in analyzer(c.replacement, mode="query")
        ]
        for t in analyzer(c.word, mode="query"):
            if not getattr(t, "expansion", False):
                replacements.setdefault(t.text, []).extend(
                    (alt, w * ranking.fuzzy_weight) for alt, w in alts if alt != t.text
                )
    return _Spelling(
        suggestion="".join(out),
        applied=apply and any(c.searched for c in corrections.values()),
        not_found=tuple(not_found),
        replacements=replacements,
    )
