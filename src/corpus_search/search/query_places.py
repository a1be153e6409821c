"""The places of a query in a document's text: its marked words, neighbours joined into one,
less those that are only part of a quoted phrase, a name or a multi-word lexicon term typed
unquoted (:class:`_Places`). A concordance's lines, the places ``show --mark`` and the web's
document page mark, and a search's snippets in a document holding a quoted phrase of the
query (:func:`snippet_places`) are these places, from this one rule.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.analysis import Token

from corpus_search.errors import Unsupported
from corpus_search.search.concepts import Concept, quoted_phrases, related_terms
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.groups import word_groups
from corpus_search.search.highlight import marked_tokens
from corpus_search.search.parsing import query_cache
from corpus_search.search.phrases import implied_by, read, readings
from corpus_search.search.ranking import Ranking
from corpus_search.search.state import SearchSource

__all__ = ["AmongMarks", "place_finder", "snippet_places"]

#: what may stand between two marked words for them to make one match: spaces, hyphens and
#: apostrophes ("Lib-Dem", "Prime Minister's"), not a comma or a sentence's end
_JOINER = re.compile(r"[\s\-\u2010-\u2015'\u2019/]{0,3}")


#: what may stand between two words of a quoted phrase, beside what joins any two marked
#: words: punctuation the index passes over, as the phrase matches there ("Gordon Brown, who",
#: 'slogan "Britain is Working"'); no word
_IN_PHRASE = re.compile(r"[^\w]{0,8}")

#: what stands between two words of one hyphenated compound: no space
_IN_COMPOUND = re.compile(r"\S*")

#: what finds a query's places among the marked tokens of a text (the text, its tokens, the
#: number of the document whose body it is, if any)
AmongMarks = Callable[[str, Sequence[Token], "int | None"], list[tuple[int, int]]]


def place_finder(index: SearchSource, text: str, words: frozenset[str],
                 ranking: Ranking) -> Callable[[str], Iterator[tuple[int, int]]]:
    """What finds the places of the query ``text`` (whose marked ``words`` are given) in a
    document's body: the character spans, in text order."""
    analyzer = index.schema["body"].analyzer
    found = _places_of(index, text, ranking)
    return lambda body: _matches(body, marked_tokens(analyzer, body, words), found)


def snippet_places(index: SearchSource, text: str, words: frozenset[str] | None,
                   concepts: Sequence[Concept] | None, ranking: Ranking,
                   fields: Sequence[tuple[str, float]] = ()) -> AmongMarks | None:
    """What finds, among the words a search's snippet marks (``words``; the query ``text`` as
    searched, ``concepts`` its concepts, ``fields`` with their boosts), the places to mark
    instead when the query holds a quoted phrase: in a document holding the phrase (as a
    count counts it), the phrase where it stands, as a concordance shows it, not its words
    alone elsewhere ("fee refugees", not a lone "fees" further on); a document holding only
    its words apart has none, and its snippet marks the words ("election - widely" is no
    place of "election is widely"). None for a query with no quoted phrase (its snippets
    mark its words), or with no ``words`` to mark. (Only the snippet's own marks are read
    again: finding the places in the whole text made a page of "New Labour" 45% slower.)"""
    phrases = _QUOTED.findall(_NEAR.sub(" ", text))
    if not words or not any(len(phrase.split()) > 1 for phrase in phrases):
        return None
    searcher = index.searcher(ranking)
    cache = query_cache(searcher)  # (kept as the parse is, by the searcher)
    found = cache.get(("places", text, ranking))
    if found is None:
        found = cache[("places", text, ranking)] = _places_of(index, text, ranking)
    kept = words - related_terms(concepts)
    holding = _phrase_holders(searcher, ranking, quoted_phrases(concepts), tuple(fields))

    def among(body: str, marks: Sequence[Token], docnum: int | None) -> list[tuple[int, int]]:
        if docnum is not None and not holding(docnum):
            return []
        return list(_matches(body, [t for t in marks if t.text in kept], found))

    return among


def _phrase_holders(searcher: Any, ranking: Ranking, phrases: list[list[Concept]],
                    fields: tuple[tuple[str, float], ...]) -> Callable[[int], bool]:
    """Per document number: does it hold one of the quoted ``phrases`` (the top tier of a
    search, as a count counts it: :func:`~.matching.matching_documents`)? Worked out when
    first asked. Every document does for a query with no concepts (one with operators,
    whose phrases are strict), or that the array engine cannot read."""
    held: list[Any] = []

    def holds(docnum: int) -> bool:
        if not held:
            try:
                engine = engine_for_ranking(searcher, ranking)
            except Unsupported:
                engine = None
            held.append(None if engine is None or not phrases else _held(engine, phrases, fields))
        return held[0] is None or bool(held[0][docnum])

    return holds


def _held(engine: Any, phrases: list[list[Concept]],
          fields: tuple[tuple[str, float], ...]) -> np.ndarray:
    mask = np.zeros(engine.size, dtype=bool)
    for group in phrases:
        scored = engine.score_concepts(group, fields)
        if scored.tier is not None:  # (2: the phrase held; 1: its words apart)
            mask[scored.all_docs()[scored.tier == 2]] = True
    return mask


def _places_of(index: SearchSource, text: str, ranking: Ranking) -> _Places:
    names, terms, spelt = _units_typed(index, text, ranking)
    return _Places(index.schema["body"].analyzer, index.lexicon.implied, text, names, terms,
                   spelt)


@dataclass(frozen=True)
class _Unit:
    """A span of the query that is one place, not each of its words: a quoted phrase or a
    name. A run of marked words made only of its terms (``every``) is a place of a phrase
    when, for each place of one of its ``ways`` of being written (as typed; with two
    neighbouring words closed up, "filesharing"), it holds a term standing there: a word of
    the phrase or its lexicon forms, not a broader term the lexicon says one implies ("Labour
    Party" is no place of "New Labour", "Conservatives" alone none of "Tory leader"). It is a
    place of a name when it holds one of its ``own`` concepts or every one of its
    ``required`` terms (its last word, so "Mr Blair" is a place of Tony Blair and "Tony
    Blackburn" is not), written with a capital when ``capital`` ("Mrs May" is a place of
    Theresa May, "may be" is not). ``gaps`` holds how many words the analyzer drops between
    two words of the phrase (1 for "election is widely"): as many words, any words, may stand
    between two marked words of it, as the index matches the phrase ("election was
    widely")."""

    every: frozenset[str]
    own: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    ways: tuple[tuple[frozenset[str], ...], ...] = ()
    gaps: frozenset[int] = frozenset()
    capital: bool = False

    @property
    def words(self) -> int:
        """How many words a place of its longest way of being written holds (0: no phrase)."""
        return max((len(way) for way in self.ways), default=0)

    def holds(self, terms: set[str], capitals: set[str]) -> bool:
        if self.required and self.required <= (capitals if self.capital else terms):
            return True
        return bool(terms & self.own) or any(
            all(terms & place for place in way) for way in self.ways)


def _units_typed(index: SearchSource, text: str, ranking: Ranking
                 ) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The names of the query ("Tony Blair", "Lady Thatcher"), its multi-word lexicon
    terms typed unquoted ("council tax") and its words also read as two words, each with
    them (Duncan-Smith: "Duncan Smith"; headteachers: "head teachers"; a name's last word:
    Mr Duncan-Smith), as
    :func:`~.groups.word_groups` reads them."""
    with index.guard():
        groups = word_groups(text, index, ranking)
    names = [group.chunk for group in groups if group.name]
    terms = [group.chunk for group in groups
             if group.words and not (group.quoted or group.name or group.joined or group.spaced)]
    spelt = [(group.chunk, group.spaced) for group in groups if group.spaced is not None]
    return names, terms, spelt




class _Places:
    """The query's quoted phrases, names and multi-word lexicon terms, for telling their
    places from one of their words alone; a term the query also has outside them is a place
    anyway. A term's place is where it stands, in any of its forms, as ``count`` counts it:
    "council tax" is no place of its "councils" alone."""

    def __init__(self, analyzer: Any, implied: Mapping[str, frozenset[str]], text: str,
                 names: Sequence[str], terms: Sequence[str] = (),
                 spelt: Sequence[tuple[str, str]] = ()) -> None:
        self.analyzer, self.implied = analyzer, implied
        # (a phrase's words within N of each other, "Howard immigration"~10, stand apart: each
        # is a place in the documents it matches, where none had been, the words never
        # side by side)
        text = _NEAR.sub(lambda near: f" {near.group(1)} ", text)
        self.units = [self._phrase(phrase) for phrase in _QUOTED.findall(text)]
        loose = _QUOTED.sub(" ", text)
        for slashed in _SLASHED.findall(loose):
            # words a slash joins are searched side by side, a phrase ("9/11"): not each
            # word wherever it stands
            self.units.append(self._phrase(slashed))
            loose = loose.replace(slashed, " ")
        for word, apart in spelt:
            # a word also read as two (Duncan-Smith, "Duncan Smith") stands where the word
            # does or the two do side by side, not where either does alone ("Smith")
            self.units.append(self._phrase(apart))
            loose = loose.replace(word, " ")
        for term in terms:
            read_as = [(t.text, t.kind) for t in analyzer(term, mode="query")]
            own = self._own(read_as)
            if own:  # (an ordinary use the lexicon lists names no concept: its words count)
                every = {t for t, _kind in read_as} | {t for t, _kind in self._terms(term)}
                self.units.append(_Unit(every=frozenset(every), own=own))
                loose = loose.replace(term, " ")
        for name in names:
            read_as = self._terms(name)
            last = self._terms(name.split()[-1])
            # (a double-barrelled surname, Kilroy-Silk, is searched closed up: that is its place)
            joined = frozenset(t for t, kind in last if kind == "joined")
            self.units.append(_Unit(
                every=frozenset(term for term, _kind in read_as), own=self._own(read_as),
                required=joined or frozenset(t for t, kind in last if kind == "word"),
                capital=True))
            loose = loose.replace(name, " ")
        self.loose = frozenset(term for term, _kind in self._terms(loose))
        self.gaps = frozenset().union(*(unit.gaps for unit in self.units))

    def _terms(self, text: str) -> list[tuple[str, str]]:
        # (a Whoosh analyzer yields one token object, changed in place: read each now)
        return [(t.text, t.kind) for t in self.analyzer(text, mode="index")]

    def _own(self, terms: list[tuple[str, str]]) -> frozenset[str]:
        """The concepts of ``terms`` that none of them implies."""
        implied = implied_by((term for term, _kind in terms), self.implied)
        return frozenset(term for term, kind in terms if kind == "concept") - implied

    def _phrase(self, phrase: str) -> _Unit:
        """A quoted phrase's unit: its places as a search reads them, in each way of writing
        it (:func:`~.phrases.readings`; any closed-up pair, which a run holds only where
        the text writes it), each place the terms standing there less those another
        implies."""
        reading = read(self.analyzer, self.implied, phrase)
        ways = tuple(
            tuple(self._standing(place) for place in way.places)
            for way in readings(reading, lambda _term: True)
        )
        return _Unit(
            every=frozenset(term for term, _kind in self._terms(phrase)).union(
                *(place for way in ways for place in way)),
            ways=ways,
            gaps=frozenset(b - a - 1 for a, b in itertools.pairwise(reading.offsets) if b > a + 1),
        )

    def _standing(self, place: list[tuple[str, bool]]) -> frozenset[str]:
        terms = frozenset(term for term, _expansion in place)
        implied = implied_by(terms, self.implied)
        return terms - implied or terms

    def bridges(self, gap: str) -> bool:
        """Do only words stand in ``gap``, as many as a quoted phrase drops between two of
        its words ("is" in "election is widely": any one word)?"""
        if not self.gaps:  # (no phrase drops a word: most queries)
            return False
        words = gap.split()
        return len(words) in self.gaps and all(_WORD.fullmatch(w) for w in words)

    def continues_phrase(self, terms: set[str], words: int) -> bool:
        """May a run of ``words`` marked words holding ``terms`` (the next word's included)
        go on across punctuation? Only as part of a quoted phrase it does not yet fill."""
        return any(words < unit.words and terms <= unit.every for unit in self.units)

    def is_place(self, terms: set[str], capitals: set[str]) -> bool:
        """Is a run of marked words holding ``terms`` (as the index holds them there, lexicon
        forms included; ``capitals`` those of words written with a capital) a place of the
        query?"""
        if not self.units or terms & self.loose:
            return True
        inside = [unit for unit in self.units if terms <= unit.every]
        return not inside or any(unit.holds(terms, capitals) for unit in inside)


_QUOTED = re.compile(r'"([^"]+)"')
#: words a slash joins, unquoted ("9/11")
_SLASHED = re.compile(r"(?<![^\s(])[^\W_]+(?:/[^\W_]+)+(?![^\s)])")
#: a quoted phrase with a proximity (``"Howard immigration"~10``: its words within 10)
_NEAR = re.compile(r'"([^"]+)"~\d+')
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def _matches(body: str, marks: Iterable[Token], places: _Places) -> Iterator[tuple[int, int]]:
    """The character spans of the marked tokens of ``body`` (``marks``, in text order),
    neighbours joined into one, that are places of the query (:class:`_Places`). Two words
    of one hyphenated compound at one position are neighbours whatever stands between them:
    the index holds the compound at its one place ("back-to-basics", whose dropped "to" the
    joiners do not cross, is a place of "back to basics", as a count counts it). A quoted
    phrase's words are neighbours across punctuation too, as the index passes over it
    ("Gordon Brown, who"), until the run holds as many words as the phrase."""
    span: tuple[int, int] | None = None
    pos = None  # (the last token's position)
    words = 0  # (how many positions the run holds)
    terms: set[str] = set()
    capitals: set[str] = set()
    for token in marks:
        if span is not None and (token.startchar <= span[1]  # inside the last one
                                 or (token.pos == pos and _IN_COMPOUND.fullmatch(
                                     body, span[1], token.startchar))
                                 or _JOINER.fullmatch(body, span[1], token.startchar)
                                 or places.bridges(body[span[1]:token.startchar])
                                 or (_IN_PHRASE.fullmatch(body, span[1], token.startchar)
                                     and places.continues_phrase(terms | {token.text}, words))):
            span = (span[0], max(span[1], token.endchar))
        else:
            if span is not None and places.is_place(terms, capitals):
                yield span
            span, terms, capitals, words = (token.startchar, token.endchar), set(), set(), 0
        terms.add(token.text)
        words += token.pos != pos
        pos = token.pos
        if body[token.startchar:token.startchar + 1].isupper():
            capitals.add(token.text)
    if span is not None and places.is_place(terms, capitals):
        yield span
