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
every chunk and offset of the text. A document's index terms are read through it where the
text names the party nowhere else (:meth:`FastPaths.read_document`: the words of the parties
the reading loses), so a query for the party does not find "Labour is too costly in
Germany"; where the party is named elsewhere the sentence's first word keeps its concept.

Capitals say nothing in shouted text either ("HOW IT ALL STARTED", a heading in capitals).
There, an acronym of the lexicon whose letters are a function word (a stop word, a pronoun or
a form of "be": ``=IT`` against "it", ``=US`` against "us", ``=WHO`` against "who", ``?=AM``
against "am") is that word: :func:`shouted_reading` writes it as at a sentence's start ("It",
"Us") where every word beside it in its clause is in capitals too, and the analyzer reads
every text, index and query alike, through it. "IT IS TIME", "TELL US WHAT YOU THINK" and
"rushed out. WHO SITS IN JUDGEMENT?" are the pronouns; "the NHS IT system" and "IT is
changing" are the acronyms (a word beside it is not in capitals). Even shouted, it stays the
acronym where the pronoun cannot stand: after an article ("THE US ELECTION", "THE IT
DEPARTMENT"), joined by a hyphen ("US-LED FORCES"), and, for an object pronoun (us), where a
clause starts, since "us" never begins one: "US TROOPS LEAVE", a title, is the country. The
loss: the acronym after a word in capitals at a text's end or amid other capitals ("spending
on NHS IT", "UK AND US TROOPS").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from corpus_search.analysis.lexicon import Lexicon, form_markers

__all__ = [
    "FUNCTION_WORDS",
    "common_noun_reading",
    "sentence_case_party_words",
    "shouted_reading",
    "shouted_words",
]

#: Where any word is capitalised: the text's or a line's start, after a sentence's end
#: (. ! ? or a colon, before any closing quotes and brackets, then spaces), or just after an
#: opening quote or bracket.
_START = r"(?:^[ \t]*|[.!?:][\"'\u2019\u201d\u00bb)\]]*\s+|[\"'\u2018\u201c\u00ab(\[])"


def sentence_case_party_words(lexicon: Lexicon) -> frozenset[str]:
    """The single-word, case-sensitive party forms in sentence case, with their ``-s``
    plurals (as the lexicon adds them): ``{"Labour", "Labours", "Conservative", ...}``."""
    return frozenset(_party_words(lexicon))


@lru_cache(maxsize=8)
def _party_words(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """:func:`sentence_case_party_words`, each mapped to the display names of its parties."""
    parties = lexicon.parties
    out: dict[str, set[str]] = {}
    for e in lexicon.entries:
        named = {parties[c] for c in (e.concept, *e.also) if c in parties}
        if not named:
            continue
        for form in e.forms:
            markers, word = form_markers(form)
            if "=" not in markers or "!" in markers or " " in word:
                continue
            if len(word) > 1 and word[0].isupper() and word[1:].islower():
                for w in (word, word + "s") if not word.endswith("s") else (word,):
                    out.setdefault(w, set()).update(named)
    return {w: frozenset(p) for w, p in out.items()}


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

    def reading(self, text: str, only: frozenset[str] | None = None) -> str | None:
        if not any(n in text for n in self.needles):
            return None
        lower = set(self.lower.findall(text))
        if only is not None:
            lower &= only
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


def common_noun_reading(
    text: str, lexicon: Lexicon, parties: Collection[str] | None = None
) -> str | None:
    """``text`` with each sentence-case party word (:func:`sentence_case_party_words`) that
    starts a sentence, a line or a quotation written in lower case, if the text also writes
    that word in lower case elsewhere; None when that changes nothing. Only a first letter
    changes: the reading has the text's chunks, lengths and offsets. ``parties``, if given,
    are the display names whose words alone it lowers (the words of other parties stay)."""
    rule = _rule(lexicon)
    if rule is None:
        return None
    if parties is None:
        return rule.reading(text)
    words = _party_words(lexicon)
    only = frozenset(w.lower() for w, named in words.items() if named & set(parties))
    return rule.reading(text, only) if only else None


#: Function words the stop list leaves in (closed classes, so the lists are whole): the
#: personal and relative pronouns and the forms of "be". With the stop words, the words an
#: acronym's letters may spell in shouted text (:func:`shouted_words`).
FUNCTION_WORDS = frozenset({
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
    "who", "whom", "whose", "what", "am", "is", "are", "was", "were", "be", "been", "being",
})
#: The object pronouns, which never begin a clause ("US TROOPS" is the country there)
_OBJECT_PRONOUNS = frozenset({"me", "us", "him", "them", "whom"})
#: A pronoun never follows an article ("THE US", "A WHO report")
_ARTICLES = frozenset({"THE", "A", "AN"})
#: Between a word and the next, what starts a clause: a sentence's end or a colon, a line
#: break, or an opening quote or bracket just before the next word
_CLAUSE_BREAK = re.compile(r"[.!?:\n]|[\"'\u2018\u201c\u00ab(\[]\s*\Z")


def shouted_words(lexicon: Lexicon) -> frozenset[str]:
    """The lexicon's acronyms whose letters in lower case are a stop word or a function word
    (``{"IT", "US", "WHO", "AM"}``): the words whose capitals alone tell them from that word,
    so shouted text loses them."""
    words = lexicon.stopwords | FUNCTION_WORDS
    return frozenset(a for a in lexicon.cased_acronyms if a.isupper() and a.lower() in words)


@lru_cache(maxsize=8)
def _shouted_pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(?:" + alternatives + r")(?![^\W_])")


_WORD = re.compile(r"[^\W_]+")


def _shouted_at(text: str, start: int, end: int) -> bool:
    """Is the acronym at ``text[start:end]`` its function word? Every word beside it in its
    clause (the one before, the one after, those there are) is in capitals, and the word may
    stand there."""
    before = next(reversed([*_WORD.finditer(text, max(0, start - 64), start)]), None)
    if before is not None and _CLAUSE_BREAK.search(text, before.end(), start):
        before = None  # (another sentence's: "rushed out. WHO SITS IN JUDGEMENT?")
    after = _WORD.search(text, end)
    beside = ([before.group()] if before else []) + ([after.group()] if after else [])
    if not beside or not all(w.isupper() for w in beside):
        return False
    if before is not None and before.group() in _ARTICLES:
        return False
    if text[end : end + 1] == "-" and after is not None and after.start() == end + 1:
        return False
    if text[start:end].lower() in _OBJECT_PRONOUNS:
        return before is not None
    return True


def shouted_reading(text: str, words: frozenset[str]) -> str | None:
    """``text`` with each of ``words`` (:func:`shouted_words`) written as at a sentence's
    start ("It") where it is its function word in shouted text (see the module notes); None
    when that changes nothing. Only the case of letters after the first changes: the reading
    has the text's chunks, offsets and sentences."""
    if not words or not any(w in text for w in words):
        return None
    places = [m.span() for m in _shouted_pattern(words).finditer(text)
              if _shouted_at(text, *m.span())]
    if not places:
        return None
    out, last = [], 0
    for start, end in places:
        out += (text[last:start], text[start:end].capitalize())
        last = end
    out.append(text[last:])
    return "".join(out)
