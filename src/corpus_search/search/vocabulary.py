"""The words of the texts as written, the vocabulary spelling help and wildcards work on.

The ``title`` and ``body`` fields hold stems ("immigr", "economi"): no good to show a person,
nor to match a wildcard the way it is typed. So the index also keeps, per document, the
distinct words of its text as written (:data:`WORDS_FIELD`, one term per word, no positions,
never scored; :mod:`corpus_search.analysis.surface` makes them), folded as the analyzer folds
a word before its lexicon and stemming stages (:func:`corpus_search.analysis.text.normalise_word`:
accents, apostrophes, possessives; lower case). A word that the document writes only with
capitals ("Blair", "NHS", "McDonald") is kept in that form instead, so the vocabulary knows
which words are names and how they are written. Whoosh keeps the field's terms and document
frequencies per segment, so the vocabulary follows additions and deletions like the rest of
the index; frequencies are counted over live documents only (:class:`Vocabulary`).

:mod:`corpus_search.search.spelling` corrects words and expands wildcards over it.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.analysis.text import normalise_word
from corpus_search.search.budget import check_budget
from corpus_search.store.memo import PerSearcher

if TYPE_CHECKING:
    from corpus_search.search.engine import QueryEngine


__all__ = ["CASE_SHARE", "RARE_WORD_DOCS", "RARE_WORD_SHARE", "Vocabulary", "starting_with",
           "vocabulary"]


#: A word the index holds is only questioned (by spelling.correct_word) when it occurs in at
#: most this many documents (or :data:`RARE_WORD_SHARE` of them): Vocabulary.rare_limit
RARE_WORD_DOCS = 3


RARE_WORD_SHARE = 0.0001


#: A word typed capitalised prefers the documents that write it capitalised (the others count
#: it ``expansion_weight`` of itself) when the texts write it only capitalised in at least this
#: share of the documents holding it: "Commons" (BBC 0.98: the House, not "an online
#: commons"), "Fox" (0.93); not "Labour" (0.89, which the lexicon reads by its case) or
#: "Budget" (0.21)
CASE_SHARE = 0.9


class Vocabulary:
    """The words of one generation of an index as written, with document frequencies over
    its live documents (so deleted documents never count).

    A word is looked up by its key, the lower-case folded form (``"blair"``); its *forms*
    are the terms of :data:`WORDS_FIELD` it appears as: the key itself for documents that
    write it in lower case, a capitalised form ("Blair", "McDonald") for documents that
    never do. Common lookups probe a few likely forms; a rare word's forms, or a wildcard
    starting with letters, read the words with its first letter alone; the whole vocabulary
    is read from the index only when a lookup needs it (a correction, a leading wildcard).
    """

    def __init__(self, engine: QueryEngine) -> None:
        # weakly: the vocabulary is the value of its engine in _VOCABULARIES, and a value
        # holding its key keeps both, and the engine's segment files, open for good
        self._engine = weakref.proxy(engine)
        #: key -> its forms, once the whole vocabulary is read
        self._forms: dict[str, tuple[str, ...]] | None = None
        #: first letter of a key -> (key -> its forms) for the keys with that letter, each
        #: read on its own while the whole vocabulary is not (see keys_starting)
        self._forms_by_letter: dict[str, dict[str, tuple[str, ...]]] = {}
        self._sorted_by_letter: dict[str, list[str]] = {}
        #: (first letter, length) -> keys, for keys_within
        self._by_start: dict[tuple[str, int], list[str]] | None = None
        self._sorted: list[str] | None = None
        self.size = int(engine.live.sum())
        #: whether some documents are deleted (their words linger in the lexicon until
        #: their segment is merged away)
        self.has_deletions = self.size < len(engine.live)

    # -- reading ---------------------------------------------------------------------------

    def _all_forms(self) -> dict[str, tuple[str, ...]]:
        if self._forms is None:
            self._forms = _forms_of_terms(self._engine.lexicon(WORDS_FIELD))
        return self._forms

    def _letter_forms(self, letter: str) -> dict[str, tuple[str, ...]]:
        """The keys starting with ``letter`` (one character, lower case) and their forms:
        the terms starting with any character whose lower case starts with it, read alone."""
        found = self._forms_by_letter.get(letter)
        if found is None:
            lexicon = self._engine.lexicon
            terms = [t for c in _initials(letter) for t in lexicon(WORDS_FIELD, c.encode("utf-8"))]
            found = _forms_of_terms(sorted(terms), letter)
            self._forms_by_letter[letter] = found
        return found

    def _forms_of(self, key: str) -> tuple[str, ...]:
        """The forms of ``key`` (deleted documents' too), from the keys of its first letter
        while the whole vocabulary is not read."""
        if self._forms is not None:
            return self._forms.get(key, ())
        if not key:
            return ()
        return self._letter_forms(key[0]).get(key, ())

    def _docs_of_form(self, form: str) -> np.ndarray:
        return self._engine.term(WORDS_FIELD, form).docs

    def forms(self, key: str) -> dict[str, int]:
        """The forms of ``key`` in live documents, with how many documents use each."""
        out = {}
        for form in self._forms_of(key):
            n = len(self._docs_of_form(form))
            if n:
                out[form] = n
        return out

    def holding(self, forms: Iterable[str]) -> np.ndarray:
        """Per document of the index: does it hold one of ``forms`` as written (the words
        field; deleted documents too, as each form's postings hold them)?"""
        held = np.zeros(self._engine.size, dtype=bool)
        for form in forms:
            held[self._docs_of_form(form)] = True
        return held

    def docs(self, key: str) -> np.ndarray:
        """The live documents holding ``key`` in any form (sorted document numbers)."""
        found = [self._docs_of_form(form) for form in self._forms_of(key)]
        found = [d for d in found if len(d)]
        if not found:
            return np.zeros(0, dtype=np.int32)
        return found[0] if len(found) == 1 else np.unique(np.concatenate(found))

    def frequency(self, key: str, typed: str = "") -> int:
        """How many live documents hold ``key``; ``typed`` (the word as written in a query)
        lets a common word be found without reading the whole vocabulary."""
        if self._forms is None:
            probes = dict.fromkeys((key, typed, key.capitalize(), key.upper()))
            found = sum(len(self._docs_of_form(f)) for f in probes if f and f.lower() == key)
            if found > self.rare_limit:
                return found  # at least this many, all that matters for a common word
        return len(self.docs(key))

    @property
    def rare_limit(self) -> int:
        """Documents a word may occur in and still be questioned (see RARE_WORD_DOCS)."""
        return max(RARE_WORD_DOCS, int(RARE_WORD_SHARE * self.size))

    def written(self, key: str) -> str:
        """How the texts write ``key`` when they capitalise it (its most common capitalised
        form, else ``key`` with a capital)."""
        capitalised = {f: n for f, n in self.forms(key).items() if f != key}
        if not capitalised:
            return key[:1].upper() + key[1:]
        return max(capitalised, key=lambda f: (capitalised[f], f == key.capitalize()))

    def capitalised_share(self, key: str) -> float:
        """The share of documents holding ``key`` that only ever write it capitalised."""
        forms = self.forms(key)
        total = sum(forms.values())
        capitalised = total - forms.get(key, 0)
        return (capitalised + 0.5) / (total + 1.0)

    def capitalised_form(self, word: str, share: float = CASE_SHARE) -> str | None:
        """``word`` as typed, when it is typed capitalised ("Commons") and the texts write it
        only so in at least ``share`` of the documents holding it (and in one at least);
        else None. Two probes of the words field (the typed form, the key), never the whole
        vocabulary."""
        if not (word.isalpha() and word[:1].isupper() and word[1:].islower()):
            return None
        surface, key = normalise_word(word)
        if not key or surface == key:
            return None
        capitalised = len(self._docs_of_form(surface))
        lower = len(self._docs_of_form(key))
        if not capitalised or capitalised < share * (capitalised + lower):
            return None
        return surface

    def keys(self) -> list[str]:
        """Every key of the vocabulary, sorted (words of deleted documents included)."""
        if self._sorted is None:
            self._sorted = sorted(self._all_forms())
        return self._sorted

    def keys_starting(self, letter: str) -> list[str]:
        """The keys starting with ``letter`` (one lower-case character), sorted: a slice of
        :meth:`keys` once the whole vocabulary is read, else the terms of the words field
        that can start such a key alone (on the BBC corpus, ``b`` reads 1,950 words of 31,440)."""
        if self._forms is not None:
            return starting_with(self.keys(), letter)
        found = self._sorted_by_letter.get(letter)
        if found is None:
            found = self._sorted_by_letter[letter] = sorted(self._letter_forms(letter))
        return found

    def keys_within(self, key: str, maxdist: int, prefix: int = 0) -> list[str]:
        """Keys within ``maxdist`` edits of ``key`` (optimal string alignment: a swap of two
        neighbouring letters is one edit) that share its first ``prefix`` letters."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if self._by_start is None:
            by_start: dict[tuple[str, int], list[str]] = {}
            for k in self._all_forms():
                by_start.setdefault((k[:1], len(k)), []).append(k)
            self._by_start = by_start
        start = key[:prefix]
        firsts = [start[:1]] if start else sorted({f for f, _ in self._by_start})
        found = []
        for length in range(max(len(key) - maxdist, 1), len(key) + maxdist + 1):
            check_budget()
            for first in firsts:
                words = self._by_start.get((first, length))
                if not words:
                    continue
                dist = process.cdist(
                    [key], words, scorer=OSA.distance, score_cutoff=maxdist, dtype=np.int32
                )[0]
                found.extend(
                    w for w in (words[i] for i in np.flatnonzero(dist <= maxdist).tolist())
                    if w.startswith(start) and w != key
                )
        return sorted(found)


_VOCABULARIES: PerSearcher[QueryEngine, Vocabulary] = PerSearcher(Vocabulary)


#: the greatest character: the keys starting with a letter ``c`` sort from ``c`` up to
#: ``c + _LAST_CHARACTER``
_LAST_CHARACTER = "\U0010ffff"


#: the characters whose lower case starts with a letter that is neither their upper nor their
#: title case (Unicode's case mapping: dotted capital I, the Kelvin, Angstrom and Ohm signs,
#: the capital sharp s, the capital theta symbol); test_pattern_expansion checks every
#: character against it
_ODD_CAPITALS = {
    "i": "\u0130", "k": "\u212a", "\u00e5": "\u212b", "\u00df": "\u1e9e", "\u03b8": "\u03f4",
    "\u03c9": "\u2126",
}


def _initials(letter: str) -> list[str]:
    """Every character whose lower case starts with ``letter`` (the first characters of the
    terms of a key starting with it), in order."""
    found = {letter, *_ODD_CAPITALS.get(letter, "")}
    found.update(c for c in (letter.upper(), letter.title()) if len(c) == 1)
    return sorted(c for c in found if c.lower()[:1] == letter)


def _forms_of_terms(terms: Iterable[bytes], letter: str = "") -> dict[str, tuple[str, ...]]:
    """Key -> its forms (in the order of ``terms``, sorted terms of the words field); with
    ``letter``, only the keys starting with it."""
    forms: dict[str, tuple[str, ...]] = {}
    last = letter + _LAST_CHARACTER
    for btext in terms:
        form = btext.decode("utf-8")
        key = form.lower()
        if letter and not letter <= key < last:
            continue
        forms[key] = (*forms.get(key, ()), form)
    return forms


def vocabulary(engine: QueryEngine) -> Vocabulary:
    """The vocabulary of the index generation ``engine`` reads (made once per engine)."""
    return _VOCABULARIES(engine)


def starting_with(keys: list[str], start: str) -> list[str]:
    """The keys of ``keys`` (sorted) starting with ``start``."""
    return keys[bisect_left(keys, start):bisect_left(keys, start + _LAST_CHARACTER)]
