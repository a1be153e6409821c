"""A word the lexicon reads as a concept, written inside another concept's term: that term.

``Chancellor`` typed in a query is the word and the Chancellor of the Exchequer (the
lexicon's ``=Chancellor``). The BBC texts write it also in "German Chancellor Gerhard
Schroeder", "Lord Chancellor" and "Shadow Chancellor", which the analyzer reads, by the
longest match, as terms of their own (``german_chancellor``, ``lord_chancellor``,
``shadow_chancellor``) that neither are nor imply the Chancellor of the Exchequer; the index
still holds the word at their place, so a count of ``Chancellor`` counted 9 stories about
Germany's chancellor. The rule, for a count: a word typed that the lexicon reads as a concept
does not count a document where every place holding the word is a place of another concept's
term (one that is not the query's concept and does not imply it), and which names the
query's concept nowhere. A document that also writes the word alone ("the chancellor said")
counts, as does one naming the Chancellor of the Exchequer. A word the lexicon reads as no
concept of its own (``election``, in "general election") and a word typed in lower case (the
word in every sense, as ``labour`` is) are left as they are, and so is a word whose reading
as a concept is an ambiguous form's (``Democrats``, the US party only in a text about the
United States: typed alone it is the word, and counts the Liberal Democrats too). A search
lists those documents still (it ranks by the word); the count's note says how many it left
out and in which terms.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query

from corpus_search.analysis.lexicon import bare_form
from corpus_search.analysis.lexicon_model import form_body, form_words
from corpus_search.analysis.stemming import stem_word
from corpus_search.analysis.text import normalise_word
from corpus_search.search.concepts import strong_terms
from corpus_search.search.ranking import TEXT_FIELDS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from corpus_search.analysis.lexicon import Lexicon
    from corpus_search.search.concepts import Concept
    from corpus_search.search.engine import QueryEngine

__all__ = ["OtherTerms", "in_other_terms_only"]


class OtherTerms:
    """The documents :func:`in_other_terms_only` left out (``docs``), the other concepts
    whose terms they hold the word in, most held first (``held``), and the words as typed
    (``words``)."""

    def __init__(self, docs: np.ndarray, held: list[str], words: list[str]) -> None:
        self.docs = docs
        self.held = held
        self.words = words


@functools.lru_cache(maxsize=256)
def _terms_holding(lexicon: Lexicon, word: str) -> frozenset[str]:
    """The concepts with a form of two or more words one of which is ``word`` (a stem)."""
    found = set()
    for entry in lexicon.entries:
        if entry.concept == "-" or entry.concept in found:
            continue
        for form in entry.forms:
            words = [normalise_word(raw)[1] for raw, _hyphen in form_words(bare_form(form))]
            if len(words) > 1 and any(stem_word(w, lexicon) == word for w in words if w):
                found.add(entry.concept)
                break
    return frozenset(found)


@functools.lru_cache(maxsize=256)
def _read_as(lexicon: Lexicon, word: str) -> frozenset[str]:
    """The concepts a form of ``word`` (a stem) alone gives wherever it is written: not an
    ambiguous form, which counts only in a context (``Democrats`` are the US party only in
    a text about the United States: typed alone, the word is the word)."""
    found = set()
    for entry in lexicon.entries:
        for form in entry.forms:
            ambiguous, _cased, body = form_body(form)
            words = [normalise_word(raw)[1] for raw, _hyphen in form_words(body)]
            if not ambiguous and len(words) == 1 and stem_word(words[0], lexicon) == word:
                found.add(entry.concept)
    return frozenset(found)


def in_other_terms_only(lexicon: Lexicon, engine: QueryEngine,
                        concepts: Sequence[Concept] | None, found: np.ndarray) -> OtherTerms:
    """The documents of ``found`` that hold a concept of the query only as its word written
    inside other concepts' terms (see the module's rule)."""
    left_out = np.zeros(engine.size, dtype=bool)
    held: dict[str, int] = {}
    typed = []
    for concept in concepts or ():
        if concept.part_of or concept.name_word or concept.honorific:
            continue
        terms = strong_terms(concept)
        words = [t for t in terms if "_" not in t]
        own = [t for t in terms if "_" in t]
        own = [t for t in own if t in _read_as(lexicon, words[0])] if len(words) == 1 else []
        if not own:
            continue
        others = sorted(
            c for c in _terms_holding(lexicon, words[0])
            if c not in own and not lexicon.implied.get(c, frozenset()) & set(own))
        if others:  # (a document matching another concept of the query counts for that)
            rest = set().union(*(strong_terms(c) for c in concepts or () if c is not concept))
            kept = found & ~_holding(engine, sorted(rest)) if rest else found
            _leave_out(engine, words[0], own, others, kept, left_out, held)
            typed.append(concept.label or words[0])
    return OtherTerms(left_out, sorted(held, key=lambda c: (-held[c], c)), typed)


def _holding(engine: QueryEngine, terms: Sequence[str]) -> np.ndarray:
    return engine.docs(query.Or([query.Term(f, t) for f in TEXT_FIELDS for t in terms]))


def _leave_out(engine: QueryEngine, word: str, own: list[str],
               others: list[str], found: np.ndarray, left_out: np.ndarray,
               held: dict[str, int]) -> None:
    """Mark in ``left_out`` the documents of ``found`` holding ``word`` only at places of
    the ``others``' terms and none of ``own``; count per other concept in ``held``."""
    candidates = found & _holding(engine, [word]) & _holding(engine, others)
    candidates &= ~_holding(engine, own)
    for doc in np.flatnonzero(candidates):
        places = {f: _places(engine, f, word, doc) for f in TEXT_FIELDS}
        inside: dict[str, set[int]] = {f: set() for f in TEXT_FIELDS}
        holding = set()
        for other in others:
            for f in TEXT_FIELDS:
                shared = places[f] & _places(engine, f, other, doc)
                if shared:
                    inside[f] |= shared
                    holding.add(other)
        if all(places[f] <= inside[f] for f in TEXT_FIELDS):
            left_out[doc] = True
            for other in holding:
                held[other] = held.get(other, 0) + 1


def _places(engine: QueryEngine, fieldname: str, term: str, doc: int) -> set[int]:
    """The positions of ``term`` in field ``fieldname`` of document ``doc``, from the
    engine's postings (decoded once a term, and kept with it)."""
    postings = engine.term(fieldname, term)
    at = int(np.searchsorted(postings.docs, doc))
    if at == len(postings.docs) or postings.docs[at] != doc:
        return set()
    flat, starts = engine.positions(fieldname, postings)
    return set(flat[starts[at]:starts[at + 1]].tolist())
