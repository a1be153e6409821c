"""Party names that are also common nouns, read where their capital says nothing.

A form such as ``=Labour`` or ``=Conservatives`` is the party only when capitalised: "the
labour market" and "religious conservatives" are not parties. At the start of a sentence
(or of a line, or after an opening quote or bracket) every word is capitalised, so there the
capital is no evidence: "Labour is too costly in Germany" is work and "Conservatives in
parliament say" (of Iran's religious conservatives) are not the Tories. The rule: in a text
that also writes such a word in lower case, as the common noun, the word where a sentence
starts is that common noun too. A text that never writes it in lower case keeps reading it
as the party, as British political reporting does ("Labour has pledged..."), and a text
that names the party elsewhere (mid-sentence, "Labour Party", "the Tories") is tagged with
it by those mentions anyway.

The words are the lexicon's own: each single-word, case-sensitive form in sentence case
(``=Labour``, ``=Conservatives``, ``=Greens``, ``=Plaid``, ``?=Respect``...) of a party's
concept or of a concept that implies a party (``?=Momentum``). The party facet applies the
rule (:meth:`FastPaths._parties`); a reading that lowers those words' first letter keeps
every chunk and offset of the text. The index terms are not read through it: the concept
stays at such a place (the search side weighs concepts as expansions of the word).

Capitals say nothing in shouted text either ("HOW IT ALL STARTED", a heading in capitals).
There, an acronym of the lexicon whose letters are a stop word (``=IT``, information
technology, against the pronoun "it") is the stop word: :func:`shouted_reading` writes it
as at a sentence's start ("It") where every word beside it is in capitals too, and the
analyzer reads every text, index and query alike, through it. "IT IS TIME" is the pronoun;
"the NHS IT system" and "IT is changing" are the acronym (a word beside it is not in
capitals). The one loss: IT after a word in capitals at a text's end ("spending on NHS IT").
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus_search.analysis.lexicon import Lexicon, form_markers

__all__ = ["common_noun_reading", "sentence_case_party_words", "shouted_reading", "shouted_words"]

#: Where any word is capitalised: the text's or a line's start, after a sentence's end
#: (. ! ? or a colon, before any closing quotes and brackets, then spaces), or just after an
#: opening quote or bracket.
_START = r"(?:^[ \t]*|[.!?:][\"'\u2019\u201d\u00bb)\]]*\s+|[\"'\u2018\u201c\u00ab(\[])"


def sentence_case_party_words(lexicon: Lexicon) -> frozenset[str]:
    """The single-word, case-sensitive party forms in sentence case, with their ``-s``
    plurals (as the lexicon adds them): ``{"Labour", "Labours", "Conservative", ...}``."""
    parties = lexicon.parties
    out: set[str] = set()
    for e in lexicon.entries:
        if e.concept not in parties and not any(c in parties for c in e.also):
            continue
        for form in e.forms:
            markers, word = form_markers(form)
            if "=" not in markers or "!" in markers or " " in word:
                continue
            if len(word) > 1 and word[0].isupper() and word[1:].islower():
                out.add(word)
                if not word.endswith("s"):
                    out.add(word + "s")
    return frozenset(out)


class _Rule:
    """The compiled rule for one lexicon (see :func:`common_noun_reading`)."""

    __slots__ = ("lower", "needles", "starts")

    def __init__(self, words: frozenset[str]) -> None:
        alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        self.lower = re.compile(r"\b(" + alternatives.lower() + r")\b")
        self.starts = re.compile("(?m)(" + _START + r")(" + alternatives + r")\b")
        # a plain substring test first: most texts hold none of the words in lower case
        low = {w.lower() for w in words}
        self.needles = tuple(sorted(w for w in low if not (w[-1] == "s" and w[:-1] in low)))

    def reading(self, text: str) -> str | None:
        if not any(n in text for n in self.needles):
            return None
        lower = set(self.lower.findall(text))
        if not lower:
            return None
        changed = False

        def common(m: re.Match) -> str:
            nonlocal changed
            word = m.group(2)
            if word.lower() not in lower:
                return m.group(0)
            changed = True
            return m.group(1) + word.lower()

        out = self.starts.sub(common, text)
        return out if changed else None


@lru_cache(maxsize=8)
def _rule(lexicon: Lexicon) -> _Rule | None:
    words = sentence_case_party_words(lexicon)
    return _Rule(words) if words else None


def common_noun_reading(text: str, lexicon: Lexicon) -> str | None:
    """``text`` with each sentence-case party word (:func:`sentence_case_party_words`) that
    starts a sentence, a line or a quotation written in lower case, if the text also writes
    that word in lower case elsewhere; None when that changes nothing. Only a first letter
    changes: the reading has the text's chunks, lengths and offsets."""
    rule = _rule(lexicon)
    return rule.reading(text) if rule is not None else None


def shouted_words(lexicon: Lexicon) -> frozenset[str]:
    """The lexicon's acronyms whose letters in lower case are a stop word (``{"IT"}``): the
    words whose capitals alone tell them from the stop word, so shouted text loses them."""
    return frozenset(a for a in lexicon.cased_acronyms
                     if a.isupper() and a.lower() in lexicon.stopwords)


@lru_cache(maxsize=8)
def _shouted_pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(?:" + alternatives + r")(?![^\W_])")


_WORD = re.compile(r"[^\W_]+")


def shouted_reading(text: str, words: frozenset[str]) -> str | None:
    """``text`` with each of ``words`` (:func:`shouted_words`) written as at a sentence's
    start ("It") where the words beside it (the one before, the one after, those there are)
    are all in capitals; None when that changes nothing. Only the case of letters after the
    first changes: the reading has the text's chunks, offsets and sentences."""
    if not words or not any(w in text for w in words):
        return None
    places = []
    for m in _shouted_pattern(words).finditer(text):
        start, end = m.span()
        before = _WORD.findall(text, max(0, start - 64), start)[-1:]
        after = _WORD.search(text, end)
        beside = before + ([after.group()] if after else [])
        if beside and all(w.isupper() for w in beside):
            places.append((start, end))
    if not places:
        return None
    out, last = [], 0
    for start, end in places:
        out += (text[last:start], text[start:end].capitalize())
        last = end
    out.append(text[last:])
    return "".join(out)
