"""How a query reads the words it is given: the terms at each of their places, for a
phrase the other ways the texts may write it, and a lexicon form as the ``words`` field
holds it (:func:`written_forms`).

The analyzer gives a hyphenated compound ("file-sharing") one place in the index, holding
its words and their closed-up form, so a phrase typed with a space ("file sharing"), whose
two words take two places, would never meet it: 39 BBC articles write "file-sharing", 2
"file sharing". A phrase is therefore also read with each pair of neighbouring words the
index holds closed up at one place (:func:`readings`).

A stop word the analyzer drops leaves its position empty, in the index as in a query: a
phrase's places stand at their ``offsets`` ("election is widely": 0 and 2), and a reading
keeps them (:class:`Way`; see :mod:`.phrases_gapped`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from corpus_search.analysis.lexicon import bare_form
from corpus_search.analysis.surface import surface_terms
from corpus_search.analysis.text import WORD_RE, normalise_word
from corpus_search.analysis.tokens import JOINED, WORD
from corpus_search.search.lexicon_spans import query_ordinary_spans
from corpus_search.search.phrases_gapped import gapped
from corpus_search.search.typed_parties import typed_parties

__all__ = ["Place", "Reading", "Way", "common_words_note", "implied_by", "read", "readings",
           "written_forms"]

#: one place of a reading: its alternative terms, each with whether it is a lexicon
#: expansion (a concept, a closed-up form) rather than the word as typed
Place = list[tuple[str, bool]]

#: readings of a phrase kept at most (its neighbouring pairs closed up in turn)
MAX_READINGS = 8


@dataclass(frozen=True)
class Reading:
    """The analyzer's query-mode reading of a text: its ``places`` in order, and the term a
    pair of neighbouring words closed up would be ("fileshar" for "file sharing"), by the
    place of the pair's first word (see :func:`readings`)."""

    places: list[Place]
    closed_up: dict[int, str]
    #: each place's position after the first's (the gaps of the stop words between them)
    offsets: tuple[int, ...] = ()

    def way(self) -> Way:
        """The places as typed, at their offsets."""
        return Way(self.places, self.offsets or tuple(range(len(self.places))))


@dataclass(frozen=True)
class Way:
    """One way the texts may write a phrase: its ``places`` in order, each at its position
    after the first's (``offsets``; a stop word between two places leaves one empty)."""

    places: list[Place]
    offsets: tuple[int, ...]

    @property
    def gapped(self) -> bool:
        """Does a stop word leave a position empty between two of the places?"""
        return gapped(self.offsets)


def implied_by(terms: Iterable[str], implied: Mapping[str, frozenset[str]]) -> set[str]:
    """The broader terms that some of ``terms`` imply (``implied``: the lexicon's, as
    :attr:`~corpus_search.analysis.lexicon.Lexicon.implied` has them): ``labour_party`` among
    ``plp`` and ``labour_party``."""
    return {broader for term in terms for broader in implied.get(term, ())}


def read(analyzer: Any, implied: Mapping[str, frozenset[str]], text: str) -> Reading:
    """``text`` read as a query: the alternatives at each place.

    A word typed as a party's name ("Labour", not "labour") holds the party alone, not the
    word its letters also spell (:mod:`.typed_parties`).

    In a sequence of places ("Scottish Conservative Party leader") a place holds the term
    typed, not the broader terms it implies: "Tory leader" is no such phrase. (A term alone
    keeps them, weakly: see PoliticalQueryParser.concept_alternatives.)"""
    places: dict[int, Place] = {}
    spans: dict[int, list[tuple[int, int, str]]] = {}
    for tok in analyzer(text, mode="query", positions=True, chars=True):
        alts = places.setdefault(tok.pos, [])
        item = (tok.text, bool(getattr(tok, "expansion", False)))
        if item[0] not in (a for a, _ in alts):
            alts.append(item)
        spans.setdefault(tok.pos, []).append((tok.startchar, tok.endchar, tok.kind))
    typed = typed_parties(analyzer)
    for pos, alts in places.items():
        word = _one_word(spans[pos])
        if typed is not None and word is not None:
            parties = typed.at(text[word[0]:word[1]], frozenset(t for t, _ in alts))
            if parties:
                alts[:] = parties
    if len(places) > 1:
        for alts in places.values():
            broader = implied_by((t for t, _ in alts), implied)
            if broader:
                alts[:] = [a for a in alts if a[0] not in broader] or alts
    order = sorted(places)
    return Reading([places[p] for p in order],
                   _closed_up(analyzer, text, [_one_word(spans[p]) for p in order]),
                   tuple(p - order[0] for p in order))


def _closed_up(analyzer: Any, text: str, words: list[tuple[int, int] | None]) -> dict[int, str]:
    """The closed-up term of each pair of neighbouring places of ``text`` that are one word
    each (``words``: the span of each place's word, None for a place that is more) with
    nothing but spaces between them (a dropped word between, "life of the nation", is no
    compound), by the first's place."""
    out: dict[int, str] = {}
    for i, (left, right) in enumerate(itertools.pairwise(words)):
        if left is None or right is None or text[left[1]:right[0]].strip():
            continue
        compound = text[left[0]:left[1]] + "-" + text[right[0]:right[1]]
        tokens = [(t.text, t.kind) for t in analyzer(compound, mode="query")]
        if len(tokens) == 1 and tokens[0][1] is JOINED:
            out[i] = tokens[0][0]
    return out


def _one_word(spans: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The span of a place's word, if the place is one word (with any concepts of it)."""
    first = spans[0][:2]
    if any(kind is JOINED or (kind is WORD and (s, e) != first) for s, e, kind in spans):
        return None
    if not any(kind is WORD for _s, _e, kind in spans):
        return None
    return first


def readings(reading: Reading, indexed: Callable[[str], bool]) -> list[Way]:
    """The ways a text may write the phrase ``reading`` reads: its places, then the same
    with neighbouring words written closed up or hyphenated ("file-sharing" for "file
    sharing") at one place, where the index holds that closed-up term (``indexed``); the
    places after a closed-up pair one position nearer."""
    places = reading.places
    out = [reading.way()]
    for i, term in reading.closed_up.items():  # each pair closed up, then with later pairs
        if not indexed(term):
            continue
        for earlier in list(out):
            if len(out) >= MAX_READINGS:
                break
            merged = _close_up(earlier, places, i, term)
            if merged is not None:
                out.append(merged)
    return out


def _close_up(way: Way, places: list[Place], i: int, term: str) -> Way | None:
    """``way`` with places ``i`` and ``i + 1`` of ``places`` as the one place ``term``;
    None if an earlier pair already took one of them."""
    reading, offsets = way.places, way.offsets
    offset = len(places) - len(reading)  # places the earlier pairs took
    k = i - offset
    if k < 0 or reading[k] is not places[i] or reading[k + 1] is not places[i + 1]:
        return None
    return Way([*reading[:k], [(term, True)], *reading[k + 2:]],
               (*offsets[:k + 1], *(o - 1 for o in offsets[k + 2:])))


def written_forms(forms: Iterable[str], stopwords: Collection[str] | None = None,
                  ) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Lexicon forms as the ``words`` field may hold them (see
    :mod:`corpus_search.analysis.surface`): per form, per word, its probes (lower case, or
    capitalised as written). Given the index's ``stopwords``, a word that field never holds
    (a stop word, a word with a digit) is no probe: "Bank of England" asked for "of", so a
    count said the 25 BBC documents writing it wrote none of its forms. (Ranking's probes,
    :mod:`.parser`, still ask for every word: a form with a stop word is never written there,
    and the relevance evaluation measured the probes without them lower: ECHR ruling 0.879
    to 0.842.)"""
    out = []
    for form in forms:
        words = []
        for raw in WORD_RE.findall(bare_form(form)):
            surface, key = normalise_word(raw)
            if key and (stopwords is None or surface_terms(raw, stopwords)):
                words.append(tuple(dict.fromkeys((key, surface, key.capitalize(), key.upper()))))
        if words:
            out.append(tuple(words))
    return tuple(dict.fromkeys(out))


def common_words_note(phrase: str, analyzer: Any) -> str | None:
    """What to say when the quoted ``phrase`` of several words is searched as one word, or
    none, its other words being too common to be indexed (``None``: nothing to say): '"to
    be or not to be"' found the 1,366 BBC documents saying "not", and nothing said why."""
    words = phrase.split()
    common = [w for w in words if not any(True for _ in analyzer(w, mode="query"))]
    if len(words) < 2 or not common:
        return None
    kept = [w for w in words if w not in common]
    quoted = [f"'{w}'" for w in dict.fromkeys(common)]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
    verb = "is" if len(quoted) == 1 else "are"
    # (an ordinary use the lexicon lists, "Respect the", is searched as the word, not the party)
    ordinary = query_ordinary_spans(phrase, analyzer.lexicon) == [(0, len(phrase))]
    searched = (f"is searched as {kept[0].lower() if ordinary else kept[0]}" if kept
                else "is left out")
    return f'"{phrase}" {searched}: {listed} {verb} too common to be indexed.'
