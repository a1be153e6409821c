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

The same rule holds for a multi-word lexicon term, typed or quoted, whose words stand in a
row inside another concept's term (:func:`inside_other_terms`): "Shadow Home Secretary" is not
the Home Secretary, "Office of the Deputy Prime Minister" not the Prime Minister. The index
holds a term's words at the term's one place, so such a document held the words of "home
secretary" and was said to hold them apart; grep finds the phrase there. Its note names the
form holding the words, and search's line on the phrase counts them apart from the words
apart (:func:`phrase_inside`).

The other way round, a concept that narrower concepts imply is held at their places too
(the NHS where a text names foundation hospitals, Blair where it says "Blairite"): a count
counts such a document, the narrower concept being part of the broader one as the lexicon
reads it, and names those it counted through them alone (:func:`narrower_only`), as grep for
the concept's own forms does not find them.
"""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query

from corpus_search.analysis.lexicon import bare_form
from corpus_search.analysis.lexicon_model import form_body, form_words
from corpus_search.analysis.stemming import stem_word
from corpus_search.analysis.text import WORD_RE, normalise_word
from corpus_search.analysis.tokens import JOINED, WORD
from corpus_search.search.concepts import quoted_phrases, strong_terms
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.phrases import written_forms
from corpus_search.search.ranking import TEXT_FIELDS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from whoosh.searching import Searcher

    from corpus_search.analysis.lexicon import Lexicon
    from corpus_search.search.concepts import Concept
    from corpus_search.search.engine import QueryEngine
    from corpus_search.search.ranking import Ranking

__all__ = ["OtherTerms", "in_other_terms_only", "inside_note", "inside_other_terms",
           "inside_terms", "inside_wholes", "listed_names", "narrower_note", "narrower_only",
           "phrase_inside", "phrase_wholes", "terms_holding"]


class OtherTerms:
    """The documents :func:`in_other_terms_only` left out (``docs``), the other concepts
    whose terms they hold the words in, most held first (``held``), each as the form of it
    that holds them ("Shadow Home Secretary", "Lord Chancellor's Department": ``named``),
    and the words as typed (``words``)."""

    def __init__(self, docs: np.ndarray, held: list[str], words: list[str],
                 named: list[str] | None = None) -> None:
        self.docs = docs
        self.held = held
        self.words = words
        self.named = named if named is not None else list(held)


def _stems(lexicon: Lexicon, form: str) -> list[str]:
    """The words of a lexicon form as the index holds them, stop words left out."""
    words = [normalise_word(raw)[1] for raw, _hyphen in form_words(bare_form(form))]
    return [stem_word(w, lexicon) for w in words if w and w not in lexicon.stopwords]


@functools.lru_cache(maxsize=256)
def terms_holding(lexicon: Lexicon, run: tuple[str, ...]) -> dict[str, str]:
    """The concepts with a form of more words than ``run`` (stems) that holds them in a row,
    each with the first such form: "Shadow Home Secretary" holds "home secretary"."""
    found: dict[str, str] = {}
    for entry in lexicon.entries:
        if entry.concept == "-" or entry.concept in found:
            continue
        for form in entry.forms:
            words = _stems(lexicon, form)
            if len(words) > len(run) and any(tuple(words[i:i + len(run)]) == run
                                             for i in range(len(words) - len(run) + 1)):
                found[entry.concept] = bare_form(form)
                break
    return found


def inside_terms(lexicon: Lexicon, analyzer: Any, phrase: str) -> tuple[str, ...]:
    """The terms at whose one place the words of ``phrase`` may stand together in a text:
    the lexicon terms whose forms hold two of them in a row ("9/11 attacks" holds 9 and 11)
    and two neighbouring words closed up as a hyphen joins them ("9-11"). Not any place
    holding both words: the score "11-9" holds 11 and 9 at one place too, the other way
    round (:attr:`~.concepts.Alternative.inside`)."""
    stems = [t.text for t in analyzer(phrase, mode="query") if t.kind is WORD]
    inside = {c for pair in itertools.pairwise(stems) for c in terms_holding(lexicon, pair)}
    for left, right in itertools.pairwise(WORD_RE.findall(phrase)):
        inside.update(t.text for t in analyzer(f"{left}-{right}", mode="query")
                      if t.kind is JOINED)
    return tuple(sorted(inside))


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


class _LeftOut:
    """What :func:`in_other_terms_only` and :func:`inside_other_terms` gather: per document,
    left out or not; per other concept, how many left-out documents hold it; its forms."""

    def __init__(self, size: int) -> None:
        self.docs = np.zeros(size, dtype=bool)
        self.held: dict[str, int] = {}
        self.forms: dict[str, str] = {}
        self.words: list[str] = []

    def result(self) -> OtherTerms:
        held = sorted(self.held, key=lambda c: (-self.held[c], c))
        return OtherTerms(self.docs, held, self.words, [self.forms[c] for c in held])


def in_other_terms_only(lexicon: Lexicon, engine: QueryEngine,
                        concepts: Sequence[Concept] | None, found: np.ndarray) -> OtherTerms:
    """The documents of ``found`` that hold a concept of the query only as its word written
    inside other concepts' terms (see the module's rule)."""
    gathered = _LeftOut(engine.size)
    for concept in concepts or ():
        if concept.part_of or concept.name_word or concept.honorific:
            continue
        terms = strong_terms(concept)
        words = [t for t in terms if "_" not in t]
        own = [t for t in terms if "_" in t]
        own = [t for t in own if t in _read_as(lexicon, words[0])] if len(words) == 1 else []
        if not own:
            continue
        others = _others(lexicon, (words[0],), own)
        if others:  # (a document matching another concept of the query counts for that)
            rest = set().union(*(strong_terms(c) for c in concepts or () if c is not concept))
            kept = found & ~_holding(engine, sorted(rest)) if rest else found
            _leave_out(engine, [words[0]], own, others, kept, gathered)
            gathered.words.append(concept.label or words[0])
    return gathered.result()


def inside_other_terms(lexicon: Lexicon, engine: QueryEngine, whole: Concept,
                       words: Sequence[Concept], found: np.ndarray) -> OtherTerms:
    """The documents of ``found`` that write the words of ``whole`` (a multi-word lexicon
    term typed or quoted, ``words`` its words' concepts) in a row only inside other concepts'
    terms that do not imply it, and hold it nowhere: "home secretary" only in "Shadow Home
    Secretary", "Prime Minister" only in "Office of the Deputy Prime Minister" (the module's
    rule, for a run of words). The index holds a term's words at the term's one place: a
    document holding them there holds the run as grep finds it, not its words apart."""
    gathered = _LeftOut(engine.size)
    run = [min(t for t in strong_terms(w) if "_" not in t) for w in words
           if any("_" not in t for t in strong_terms(w))]
    own = sorted(strong_terms(whole))
    if len(run) == len(words) > 1 and own:
        others = _others(lexicon, tuple(run), own)
        if others:
            _leave_out(engine, run, own, others, found, gathered)
    gathered.words.append(whole.label)
    return gathered.result()


def _others(lexicon: Lexicon, run: tuple[str, ...], own: Sequence[str]) -> dict[str, str]:
    """The concepts whose forms hold ``run`` and that neither are nor imply ``own``."""
    return {c: form for c, form in sorted(terms_holding(lexicon, run).items())
            if c not in own and not lexicon.implied.get(c, frozenset()) & set(own)}


def _holding(engine: QueryEngine, terms: Sequence[str]) -> np.ndarray:
    return engine.docs(query.Or([query.Term(f, t) for f in TEXT_FIELDS for t in terms]))


def _leave_out(engine: QueryEngine, run: list[str], own: Sequence[str],
               others: dict[str, str], found: np.ndarray, gathered: _LeftOut) -> None:
    """Mark in ``gathered`` the documents of ``found`` holding the words of ``run`` together
    (at one place, or the one word's places) only at places of the ``others``' terms, and
    none of ``own``; count per other concept."""
    candidates = found & _holding(engine, list(others)) & ~_holding(engine, list(own))
    for word in run:
        candidates &= _holding(engine, [word])
    for doc in np.flatnonzero(candidates):
        together = {f: set.intersection(*(_places(engine, f, w, doc) for w in run))
                    for f in TEXT_FIELDS}
        inside: dict[str, set[int]] = {f: set() for f in TEXT_FIELDS}
        holding = set()
        for other in others:
            for f in TEXT_FIELDS:
                shared = together[f] & _places(engine, f, other, doc)
                if shared:
                    inside[f] |= shared
                    holding.add(other)
        if holding and all(together[f] <= inside[f] for f in TEXT_FIELDS):
            gathered.docs[doc] = True
            for other in holding:
                gathered.held[other] = gathered.held.get(other, 0) + 1
                gathered.forms[other] = others[other]


def _places(engine: QueryEngine, fieldname: str, term: str, doc: int) -> set[int]:
    """The positions of ``term`` in field ``fieldname`` of document ``doc``, from the
    engine's postings (decoded once a term, and kept with it)."""
    postings = engine.term(fieldname, term)
    at = int(np.searchsorted(postings.docs, doc))
    if at == len(postings.docs) or postings.docs[at] != doc:
        return set()
    flat, starts = engine.positions(fieldname, postings)
    return set(flat[starts[at]:starts[at + 1]].tolist())


def phrase_inside(lexicon: Lexicon, searcher: Searcher, ranking: Ranking,
                  concepts: Sequence[Concept] | None,
                  below: Callable[[], np.ndarray]) -> tuple[int, list[str]]:
    """How many of a search's matches ranked ``below`` those holding every quoted phrase
    (document numbers) write a phrase's words only inside other concepts' terms, and those
    terms, most held first, each in the form that holds them ("Shadow Home Secretary"):
    what a search says of them, as a count's note does (:func:`inside_other_terms`)."""
    engine = engine_for_ranking(searcher, ranking)
    docs = np.zeros(engine.size, dtype=bool)
    docs[below()] = True
    found = inside_wholes(lexicon, engine, phrase_wholes(quoted_phrases(concepts)), docs)
    named = [name for other in found if other.docs.any() for name in other.named]
    return sum(int(other.docs.sum()) for other in found), list(dict.fromkeys(named))


def phrase_wholes(phrases: Sequence[Sequence[Concept]]) -> list[tuple[Concept, list[Concept]]]:
    """Each quoted phrase of ``phrases`` (:func:`~.concepts.quoted_phrases`) as its whole
    concept and its words' concepts, as :func:`inside_other_terms` takes them."""
    return [(next(c for c in group if c.first), [c for c in group if c.together])
            for group in phrases]


def inside_wholes(lexicon: Lexicon, engine: QueryEngine,
                  groups: Sequence[tuple[Concept, Sequence[Concept]]],
                  found: np.ndarray) -> list[OtherTerms]:
    """:func:`inside_other_terms` of each of ``groups`` (a whole and its words), each over
    the documents of ``found`` that no group before it took: their ``docs`` are apart."""
    taken = np.zeros(engine.size, dtype=bool)
    out = []
    for whole, words in groups:
        other = inside_other_terms(lexicon, engine, whole, words, found & ~taken)
        taken |= other.docs
        out.append(other)
    return out


def narrower_only(lexicon: Lexicon, engine: QueryEngine, concepts: Sequence[Concept] | None,
                  found: np.ndarray) -> OtherTerms:
    """The documents of ``found`` that hold a concept of the query that narrower concepts
    imply (the NHS, which NHS trusts and strategic health authorities imply: the index holds
    its term at their places) only through those: they write none of its own forms ("NHS",
    "National Health Service", "health service"; else the word as typed: Blair, not only
    "Blairite"), only "foundation hospitals". A count
    counts them (a foundation hospital is the NHS, a Blairite Blair's), and a note names
    them, as grep for the concept's forms does not find them; a search ranks them lower."""
    gathered = _LeftOut(engine.size)
    for concept in concepts or ():
        for alt in concept.alternatives:
            if alt.weak or alt.rarity_only or len(alt.slots) != 1 or len(alt.slots[0]) != 1:
                continue
            term = alt.slots[0][0]
            own = alt.verbatim or written_forms(_forms(lexicon, term) or [concept.label or term],
                                                 lexicon.stopwords)
            narrower = sorted(c for c, implied in lexicon.implied.items() if term in implied)
            if not narrower:
                continue
            docs = np.flatnonzero(found & _holding(engine, [term]) & _holding(engine, narrower))
            only = docs[~engine.written(own, docs)]
            if not len(only):
                continue
            gathered.docs[only] = True
            gathered.words.append(f'"{concept.part_of}"' if concept.first else
                                  concept.label or term)
            for c in narrower:
                held = np.intersect1d(only, np.flatnonzero(_holding(engine, [c])))
                if len(held):
                    gathered.held[c] = len(held)
                    gathered.forms[c] = _written_form(lexicon, engine, c, held)
    return gathered.result()


def _forms(lexicon: Lexicon, concept: str) -> list[str]:
    """The forms the lexicon lists for ``concept`` (none for a word that is no concept)."""
    return [form for entry in lexicon.entries if entry.concept == concept
            for form in entry.forms]


def _written_form(lexicon: Lexicon, engine: QueryEngine, concept: str, docs: np.ndarray) -> str:
    """The first form of ``concept`` that one of ``docs`` writes (its first form if none)."""
    forms = _forms(lexicon, concept)
    for form in forms:
        if engine.written(written_forms([form], lexicon.stopwords), docs).any():
            return bare_form(form)
    return bare_form(forms[0])


def inside_note(other: OtherTerms, docs: np.ndarray, ranked: str) -> str | None:
    """The note on the documents ``docs`` of ``other`` (those left out of a count for writing
    the query's words only inside other concepts' terms), ``ranked`` saying what a search
    does with them ("search lists {them}"); ``None`` when there are none."""
    left_out = int(docs.sum())
    if not left_out:
        return None
    which = "document writes" if left_out == 1 else "documents write"
    listed = listed_names(other.named, most=None)
    ranked = ranked.format(them="it" if left_out == 1 else "them")
    return (f"{left_out} {which} {' or '.join(other.words)} only inside another term the "
            f"lexicon reads as a concept of its own ({listed}): left out ({ranked})")


def narrower_note(other: OtherTerms) -> str | None:
    """The note on the documents of ``other`` (:func:`narrower_only`: counted for holding a
    concept of the query only through narrower concepts), naming those: a grep for the
    concept's forms does not find them. ``None`` when there are none."""
    counted = int(other.docs.sum())
    if not counted:
        return None
    which = "document names" if counted == 1 else "documents name"
    listed = listed_names(other.named)
    return (f"{counted} {which} {' or '.join(other.words)} only through a narrower term the "
            f"lexicon counts as part of it ({listed}), in none of its own forms: counted "
            f"(search ranks {'it' if counted == 1 else 'them'} lower)")


#: how many terms a note names before "N more"
_NAMED = 3


def listed_names(names: Sequence[str], most: int | None = _NAMED) -> str:
    """``names`` as a note lists them, "A, B or C": the first ``most`` (all, if ``None``)
    and "N more" for the rest, unless only one is left, which is named."""
    shown = list(names)
    if most is not None and len(shown) > most + 1:
        shown = [*shown[:most], f"{len(shown) - most} more"]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
