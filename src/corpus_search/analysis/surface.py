"""The ``words`` field: each document's distinct words as written (folded as the analyzer
folds them, capitalised only when the document only ever capitalises them).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from itertools import compress, repeat
from operator import is_
from typing import TYPE_CHECKING

from corpus_search.analysis.text import MAX_WORD_LENGTH, WORD_RE, normalise_word

if TYPE_CHECKING:
    pass


__all__ = ["WORDS_FIELD", "surface_terms", "surface_terms_of"]


#: The index field holding each document's distinct words as written (see the module notes).
WORDS_FIELD = "words"


#: whitespace-separated chunks already read; bounded
_CHUNK_CACHE_MAX = 200_000


_DIGIT = re.compile(r"\d")


#: punctuation around a word that WORD_RE leaves out anyway ("(Blair," reads as "Blair")
_AROUND = "\"'()[]{},.;:!?\u2018\u2019\u201c\u201d"


class _ChunkTerms:
    """Whitespace-separated chunks read so far and the terms of their words.

    :attr:`term` maps a chunk to the term of its one word ("" for none); a chunk of several
    words ("by-election", "U.S.-led") maps to "" too, its terms are in :attr:`several`.
    :attr:`cased` holds every capitalised form given so far. A document's chunks are looked
    up, and its multi-word chunks and capitalised words found, by set operations rather
    than a loop over its words.
    """

    def __init__(self) -> None:
        self.term: dict[str, str] = {}
        self.several: dict[str, tuple[str, ...]] = {}
        self.several_chunks: set[str] = set()  # the keys of several, as a set
        self.cased: set[str] = set()

    def _word(self, word: str) -> str:
        surface, key = normalise_word(word)
        if key and surface != key:
            self.cased.add(surface)
            return surface
        return key

    def read(self, chunk: str) -> None:
        bare = chunk.strip(_AROUND)
        if bare.isalpha():  # the common case: one word, which WORD_RE would find whole
            self.term[chunk] = self._word(bare) if len(bare) <= MAX_WORD_LENGTH else ""
            return
        words = [
            w for w in WORD_RE.findall(chunk)
            if not _DIGIT.search(w) and len(w) <= MAX_WORD_LENGTH  # as the analyzer drops
        ]
        terms = tuple(t for t in map(self._word, words) if t)
        if len(terms) > 1:
            self.several[chunk] = terms
            self.several_chunks.add(chunk)
        self.term[chunk] = terms[0] if len(terms) == 1 else ""


_CHUNKS = _ChunkTerms()


def _fewest_capitals(form: str) -> tuple[int, str]:
    return sum(map(str.isupper, form)), form


def surface_terms(text: str, stopwords: Collection[str] = frozenset()) -> list[str]:
    """The terms :data:`WORDS_FIELD` holds for a document of ``text``: each distinct word
    (:data:`~corpus_search.analysis.text.WORD_RE`, folded by
    :func:`~corpus_search.analysis.text.normalise_word`) in lower case, or, when the text never
    writes it in lower case, in its capitalised form (the one with the fewest capitals if
    there are several: "Blair" rather than "BLAIR").

    Words with digits ("2005", "3.5bn") and ``stopwords`` are left out: they are never
    corrected nor suggested (the analyzer does not index stop words at all), and a
    wildcard with a digit matches the indexed terms themselves.
    """
    return surface_terms_of(text.split(), stopwords)


def surface_terms_of(
    text_chunks: Iterable[str], stopwords: Collection[str] = frozenset()
) -> list[str]:
    """:func:`surface_terms` of the text whose whitespace-separated chunks are ``text_chunks``
    (the indexer splits a document's text once, for this and its index terms)."""
    global _CHUNKS
    chunks = _CHUNKS
    if len(chunks.term) > _CHUNK_CACHE_MAX:
        chunks = _CHUNKS = _ChunkTerms()
    pieces = set(text_chunks)
    found = list(map(chunks.term.get, pieces))  # one look-up per chunk, None if unread
    terms = set(found)
    if None in terms:
        for chunk in compress(pieces, map(is_, found, repeat(None))):
            chunks.read(chunk)
            terms.add(chunks.term[chunk])
        terms.discard(None)
    terms.discard("")
    if chunks.several:
        for chunk in pieces & chunks.several_chunks:
            terms.update(chunks.several[chunk])
    terms.difference_update(stopwords)
    cased = terms & chunks.cased
    if cased:
        kept: dict[str, str] = {}
        for form in cased:
            key = form.lower()
            if key in terms or key in stopwords:
                terms.discard(form)
                continue
            other = kept.get(key)
            if other is None:
                kept[key] = form
                continue
            keep = min(other, form, key=_fewest_capitals)
            terms.discard(form if keep is other else other)
            kept[key] = keep
    return list(terms)
