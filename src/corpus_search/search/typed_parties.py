"""A party's name typed in a query: the party, not the word its letters also spell.

The lexicon says which words name a party only in one capitalisation (``=Labour``,
``=Conservatives``, ``=Liberal``, ``=Greens``, ``=Plaid``, ``?=Respect``): "Labour MPs" is the
party, "the labour market" is work. A query typing such a word so (or in capitals, which the
lexicon reads the same) asks for the party: ``Labour`` finds the documents that name Labour,
as the party facet counts them, not the labour market, the US Labor Department or the
International Labour Organisation, which the texts write with the same word (the last two are
lexicon terms of their own, so the index holds no party there). It had read the word as well,
the party only as a lighter form of it: on the BBC corpus ``count Labour`` counted 247
documents where 210 are tagged Labour, and ``Conservative`` 249 where 233 are tagged.

- Typed in lower case, the word is the word, in every sense and case, as ``commons`` and
  ``lady`` are (a searcher typing in lower case has not said which sense is meant, and the
  party's documents are among those writing it): ``labour`` finds the labour market and the party.
  A note says so, and that the capitalised word is the party (:meth:`TypedParties.lower_case`).
- A word that is a party's name in any case (``Tory``, ``Tories``, ``SNP``, ``UKIP``) is the
  party wherever the texts write it: its reading is left as it is.
- A word that is a party's name and also begins the longer name of another party names
  either: ``Liberal`` is the old Liberal Party (as ``Liberals`` is) or the Liberal Democrats,
  so it reads as both parties, the one it names whole first and the other as a lighter form
  (read as the Liberal Party alone, it found the 2 BBC documents on the 1974 election, not
  the 147 naming the Liberal Democrats). Which names a word begins
  is the lexicon's forms' (``Liberal Democrats``); the party's own longer names (``Labour
  Party``) and the names of foreign parties (``Israel's Labour Party``, which tag no party)
  do not count.
- A word that is no party's name alone is a word, whatever names it begins: the lexicon has
  no ``=Green`` (the BBC texts write Green of Damian Green, Bethnal Green, Green Paper and
  Green Day, and of the party only in "Green Party"), nor ``Scottish``, ``Democrat``.
- An American spelling typed so is the British word typed so: ``Labor`` is Labour, as
  ``--party Labor`` is (the texts write "Labor" of the US and Australia, which no party tag
  reads either).

The rule is read where a query's words are read (:func:`~.phrases.read`), so a word alone, a
quoted phrase (``"Labour MPs"``) and a query with operators (``Labour AND unions``) read it
alike. The words of a multi-word lexicon term or of an ordinary use the lexicon lists
("Labour market", "International Labour Organisation") are that term's words, not a party of
their own (:meth:`TypedParties.as_word`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from corpus_search.analysis.lexicon import Lexicon, form_markers
from corpus_search.analysis.text import WORD_RE, normalise_word
from corpus_search.search.lexicon_spans import (
    query_lexicon_spans,
    query_ordinary_spans,
    query_term_spans,
)

__all__ = ["TypedParties", "lower_case_notes", "respelt_notes", "typed_parties"]

#: the typed words whose reading is kept (emptied when full)
_MEMO_SIZE = 4096


class TypedParties:
    """What a word typed in a query names of the parties of ``analyzer``'s lexicon (see the
    module's rules). Made once per lexicon (:func:`typed_parties`); answers are kept."""

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        self.lexicon: Lexicon = analyzer.lexicon
        #: the first word of each longer name of a party -> the party concepts it begins
        #: (caseless keys, and case-sensitive ones for the ``=`` forms)
        self._begun = _first_words(self.lexicon)
        self._memo: dict[str, tuple[tuple[tuple[str, bool], ...], frozenset[str]]] = {}

    def parties(self, word: str) -> tuple[str, ...]:
        """The party concepts ``word``, typed as it is, names (``"Labour"``:
        ``("labour_party",)``; ``"Liberal"``: ``("liberal_party", "lib_dem")``), or ``()``
        when it is read as it is read without this rule (a word in lower case, ``Tories``,
        ``Green``)."""
        return tuple(party for party, _begun in self._read(word)[0])

    def at(self, word: str, terms: frozenset[str]) -> list[tuple[str, bool]]:
        """The alternatives of ``word`` where a text read it as ``terms``, if it names
        parties (:meth:`parties`) and those are the terms it is read as alone: the parties
        whose name it is, as the word typed, and those whose longer names it begins, as
        lighter forms of it (an expansion; ``Liberal``: the Liberal Party, and the Liberal
        Democrats). Else none: the words around it made it something else ("Labour" of
        "Labour market", an ordinary use the lexicon lists, is no party)."""
        parties, alone = self._read(word)
        return list(parties) if parties and terms == alone else []

    def _read(self, word: str) -> tuple[tuple[tuple[str, bool], ...], frozenset[str]]:
        found = self._memo.get(word)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:  # (a server reads any word it is sent)
                self._memo.clear()
            terms = frozenset(t.text for t in self.analyzer(word, mode="query"))
            found = self._memo[word] = (self._parties(word), terms)
        return found

    def _parties(self, word: str) -> tuple[tuple[str, bool], ...]:
        """``(party concept, begun)`` for each party ``word`` names (see :meth:`at`)."""
        cased = self._british(word)
        if cased is None:
            return ()
        own = self._named(cased)
        if not own or own <= self._named(cased.lower()):
            return ()  # no party's name, or one in any case (Tories): nothing to part
        names = {self.lexicon.parties[c] for c in own}
        surface, key = normalise_word(cased)
        begun = self._begun[0].get(key, set()) | self._begun[1].get(surface, set())
        return (*((c, False) for c in sorted(own)),
                *((c, True) for c in sorted(begun) if self.lexicon.parties[c] not in names))

    def _british(self, word: str) -> str | None:
        """``word`` as one capitalised (or capital) word, in British spelling (``Labor``:
        ``Labour``; ``LABOR``: ``LABOUR``); None for a word in lower case or in mixed case,
        or for more than one word."""
        if len(WORD_RE.findall(word)) != 1:
            return None
        surface, key = normalise_word(word)
        if not key or surface == key:
            return None
        british = self.lexicon.respell(key)
        if surface.isupper():
            return british.upper()
        if surface == key.capitalize():
            return british.capitalize()
        return None

    def _named(self, word: str) -> frozenset[str]:
        """The party concepts the analyzer reads ``word`` as, by their forms: not those
        another of its concepts implies (``Momentum`` is a group, which implies Labour)."""
        terms = {t.text for t in self.analyzer(word, mode="query")}
        implied = self.lexicon.implied
        broader = {c for term in terms for c in implied.get(term, ())}
        return frozenset(t for t in terms - broader if t in self.lexicon.parties)

    def lower_case(self, word: str) -> str | None:
        """The note for ``word`` typed in lower case when, capitalised, it is read as a
        party (``labour``: "labour, in lower case, is the word in any sense; Labour,
        capitalised, names the party Labour."); else None."""
        if not word.isalpha() or not word.islower():
            return None
        names = self.names(word.capitalize())
        if not names:
            return None
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        party = "party" if len(names) == 1 else "parties"
        return (f"{word}, in lower case, is the word in any sense; {word.capitalize()}, "
                f"capitalised, names the {party} {listed}.")

    def respelt(self, word: str) -> str | None:
        """The note for ``word`` typed capitalised in another spelling than the party's
        (``Labor``: "Labor, capitalised, names the party Labour ..."), which the rule reads
        as the party, though the texts write the word so only of something else (the US
        Labor Department, Australia's Labor, "Labor said" of either); else None."""
        cased = self._british(word)
        if cased is None or cased == word or not word.isalpha():
            return None
        names = self.names(word)
        if not names:
            return None
        how, shown = "in capitals" if word.isupper() else "capitalised", word.capitalize()
        return (f"{word}, {how}, names the party {names[0]}, as British texts spell it; a "
                f"text writing {shown} (the US {shown} Department, Australia's {shown}) is "
                f"not found for it: {word.lower()}, in lower case, is the word in any sense "
                "and spelling.")

    def as_word(self, word: str) -> str:
        """``word`` as a word of a longer lexicon term or ordinary use is read: in lower case
        if it would be read as a party alone ("Labour" of "Labour market", of "International
        Labour Organisation"), else as typed."""
        return word.lower() if self.parties(word) else word

    def phrase_words(self, phrase: str, words: tuple[str, ...]) -> tuple[str, ...]:
        """``words``, the readable words of ``phrase`` in order, each inside an ordinary use
        the lexicon lists read :meth:`as_word`, as the phrase itself reads them: the words of
        "Respect the law" apart are respect and law, not the party. (Those of a lexicon term
        stay as typed: "New Labour" apart is new and the party.)"""
        spans = query_ordinary_spans(phrase, self.lexicon)
        if not spans or not words:
            return words
        out, n = [], 0
        for m in re.finditer(r"\S+", phrase):
            if n < len(words) and m.group() == words[n]:
                inside = any(s <= m.start() and m.end() <= e for s, e in spans)
                out.append(self.as_word(words[n]) if inside else words[n])
                n += 1
        return tuple(out)

    def names(self, word: str) -> list[str]:
        """The display names of the parties ``word`` names (``Liberal``: Liberal, Liberal
        Democrat), in the order :meth:`parties` gives them."""
        parties = self.lexicon.parties
        return list(dict.fromkeys(parties[c] for c in self.parties(word)))


#: a word typed in lower case, on its own: not a field's value (``party:labour``), nor a
#: wildcard's or a fuzzy term's (``labour*``, ``labour~``)
_LOWER_WORD = re.compile(r"(?<![\w:*?~'\u2019-])[a-z]+(?![\w:*?~^'\u2019-])")
#: a word typed capitalised (or in capitals), on its own, as :data:`_LOWER_WORD` one in lower case
_CAPITALISED_WORD = re.compile(r"(?<![\w:*?~'\u2019-])[A-Z][A-Za-z]*(?![\w:*?~^'\u2019-])")


def lower_case_notes(text: str, analyzer: Any) -> list[str]:
    """The notes for the words of the query ``text`` typed in lower case that, capitalised,
    name a party (:meth:`TypedParties.lower_case`), outside the multi-word lexicon terms and
    ordinary uses it types ("labour market" says which it means)."""
    typed = typed_parties(analyzer)
    if typed is None:
        return []
    lexicon = typed.lexicon
    return _notes_outside(text, _LOWER_WORD, typed.lower_case, lambda: query_lexicon_spans(
        text, lexicon))


def respelt_notes(text: str, analyzer: Any) -> list[str]:
    """The notes for the words of the query ``text`` typed capitalised in another spelling
    than a party's that the rule reads as the party (:meth:`TypedParties.respelt`), outside
    the multi-word lexicon terms it types ("Labor Department" is the department)."""
    typed = typed_parties(analyzer)
    if typed is None:
        return []
    return _notes_outside(text, _CAPITALISED_WORD, typed.respelt,
                          lambda: query_term_spans(text, typed.lexicon))


def _notes_outside(text: str, words: re.Pattern[str], note_of: Callable[[str], str | None],
                   taken: Callable[[], list[tuple[int, int]]]) -> list[str]:
    """The notes ``note_of`` gives for the ``words`` of ``text``, once each, but for those
    inside a span of ``taken`` (worked out only when a word has a note)."""
    found = [(m.span(), note) for m in words.finditer(text)
             if (note := note_of(m.group())) is not None]
    if not found:
        return []
    spans = taken()
    notes = [note for (start, end), note in found
             if not any(s < end and start < e for s, e in spans)]
    return list(dict.fromkeys(notes))


def _first_words(lexicon: Lexicon) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The first words of the parties' names of two or more words (``Liberal`` of "Liberal
    Democrats"), each with the party concepts it begins: by caseless key, and by the word as
    written (and in capitals) for a case-sensitive (``=``) form."""
    caseless: dict[str, set[str]] = {}
    cased: dict[str, set[str]] = {}
    parties: Mapping[str, str] = lexicon.parties
    for entry in lexicon.entries:
        if entry.concept not in parties:
            continue
        for form in entry.forms:
            markers, body = form_markers(form)
            words = WORD_RE.findall(body)
            if len(words) < 2:
                continue
            surface, key = normalise_word(words[0])
            if "=" in markers:
                for written in (surface, surface.upper()):
                    cased.setdefault(written, set()).add(entry.concept)
            else:
                caseless.setdefault(key, set()).add(entry.concept)
    return caseless, cased


@functools.lru_cache(maxsize=8)
def typed_parties(analyzer: Any) -> TypedParties | None:
    """The :class:`TypedParties` of ``analyzer``'s lexicon; None for an analyzer without one."""
    return TypedParties(analyzer) if getattr(analyzer, "lexicon", None) is not None else None
