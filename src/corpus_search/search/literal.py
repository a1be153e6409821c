"""Literal mode: words and phrases matched exactly as written, for quote checks and wording
studies, where a search's stemming, lexicon forms and stop-word gaps would count what the
text does not say ("make his mark" for "make their mark", every Conservative story for
"Tory party").

One rule, :func:`literal_pattern`, says what a phrase matches: its words in order, in any
case, separated by any run of white space (line breaks too), each word whole: not joined to a
letter or digit before or after it, directly or through an apostrophe, point or comma
(``O'Brien``, ``don't``, ``U.S``, ``3.5bn`` are single words, so ``Brien`` is no place in
``O'Brien``), but for a possessive ``'s`` after the last word (``Labour's`` holds
``Labour``, ``the Tory party's plan`` holds "Tory party", as the analyzer reads them; ``grep
-w`` differs only there: it finds ``Brien`` in ``O'Brien``). Text and query are read through
:func:`fold` first, as the tokenizer folds them: typographic apostrophes as ``'``, quotation
marks as ``"``, the hyphens that join compounds (U+2010, U+2011) as ``-`` and the other dashes
as an en dash; nothing else (no stemming, no accents dropped, a hyphen is no space: "back to basics"
is no place in "back-to-basics").

"In any case" but for the acronyms of the lexicon whose capitals are their meaning, as a
search reads them (its case-sensitive acronyms, ``=US``, ``=NICE``, ``=IT``): such a word
typed as the lexicon writes it, or in capitals, matches that spelling or its capitals alone, so
literal ``IT`` is information technology and not the pronoun, ``US`` the country and not
"us". A text is read as the analyzer reads it (:meth:`~corpus_search.analysis.fastpath.
FastPaths.read_as`): IT in a shouted heading, "HOW IT ALL STARTED", is the pronoun there too.

The candidates come from the index: the documents holding every word the analyzer makes of
each phrase, or else each of its words as written (the ``words`` field: "eat" inside
"dog-eat-dog", which the index holds as "dogeatdog" alone), a superset, since a text
holding the phrase holds its words; each is confirmed against its stored title and body. A
query in literal mode is one or more phrases, each in double or single quotes, or a bare
word; a document matches when it holds every one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query

from corpus_search.analysis.sentence_case import shouted_reading, shouted_words
from corpus_search.analysis.surface import surface_terms
from corpus_search.errors import Note, QueryError
from corpus_search.search.budget import check_budget
from corpus_search.search.engine import QueryEngine, engine_for_ranking
from corpus_search.search.quoted_patterns import pattern_word
from corpus_search.search.ranking import TEXT_FIELDS, every_document
from corpus_search.search.vocabulary import vocabulary
from corpus_search.store.columns import document_body

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator

    from whoosh.searching import Searcher

    from corpus_search.analysis.lexicon import Lexicon
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.state import SearchSource

__all__ = ["LiteralQuery", "as_characters", "case_rules", "characters_note", "fold",
           "idiom_holds", "index_literal", "literal_found", "literal_pattern", "literal_query",
           "literal_tree", "written_keys"]


_APOSTROPHES = "\u2019\u2018\u02bc\u0060\u00b4\u2032\u201b"
_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
_JOINING = "\u2010\u2011"
_DASHES = "\u2012\u2014\u2015\u2212"

#: one character for one, so that a folded text's offsets are the text's own
_FOLD = str.maketrans({
    **dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_QUOTES, '"'),
    **dict.fromkeys(_JOINING, "-"), **dict.fromkeys(_DASHES, "\u2013"),
})


def fold(text: str) -> str:
    """``text`` with its typographic apostrophes, quotation marks and dashes written as the
    tokenizer reads them (see the module notes): the same length, each character in place."""
    return text.translate(_FOLD)


#: a letter or digit (``_`` is none, as for the tokenizer)
_W = r"[^\W_]"
#: a phrase's first word is not joined to one before it ...
_BEFORE = rf"(?<!{_W})(?<!{_W}['.,])"
#: ... nor its last to one after it, but for a possessive 's ("Labour's" holds "Labour"), itself
#: joined to nothing after it ("Labour's's" is one word of its own, as the tokenizer reads it)
_AFTER = rf"(?!{_W})(?![.,]{_W})(?!'(?!s(?!{_W})(?!['.,]{_W})){_W})"


def literal_pattern(phrase: str, acronyms: frozenset[str] = frozenset(),
                    match_case: bool = False) -> re.Pattern[str]:
    """The pattern of ``phrase``'s places in a :func:`fold`-ed text: its words as written, in
    any case (but for ``acronyms``: see the module notes; with ``match_case``, in the case
    typed: "May" the name, not the verb), any white space between them, the first and last
    whole."""
    words = fold(phrase).split()
    if not words:
        raise QueryError("A literal phrase needs words: this one is empty.")
    body = r"\s+".join(_as_written(w, acronyms) for w in words)
    before = _BEFORE if re.match(_W, words[0]) else ""
    after = _AFTER if re.search(rf"{_W}$", words[-1]) else ""
    return re.compile(before + body + after, 0 if match_case else re.IGNORECASE)


_LETTERS = re.compile(rf"{_W}+")


def _as_written(chunk: str, acronyms: frozenset[str]) -> str:
    """The pattern of one white-space-free piece of a phrase: escaped, each of its words
    that is one of ``acronyms`` matched in its own case or in capitals."""
    out, last = [], 0
    for m in _LETTERS.finditer(chunk):
        if m.group() in acronyms:
            word = m.group()
            out += (re.escape(chunk[last:m.start()]),
                    f"(?-i:{re.escape(word)}|{re.escape(word.upper())})")
            last = m.end()
    out.append(re.escape(chunk[last:]))
    return "".join(out)


def case_rules(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """What literal mode takes of ``lexicon`` (:func:`literal_query`): its case-sensitive
    acronyms and the capitals of each, and the acronyms shouted text loses."""
    acronyms = frozenset(w for a in lexicon.cased_acronyms for w in (a, a.upper()))
    return acronyms, shouted_words(lexicon)


#: a quoted phrase ("..." or '...'), or a bare word
_PARTS = re.compile(r'"([^"]*)"|\'([^\']*)\'|(\S+)')


@dataclass(frozen=True)
class LiteralQuery:
    """A query read literally: its phrases (white space squashed) and their patterns."""

    text: str
    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    #: the acronyms shouted text loses (sentence_case.shouted_words): a text is read without
    shouted: frozenset[str] = frozenset()

    def _read(self, text: str) -> str:
        """``text`` folded, and read as the analyzer reads it (shouted_reading)."""
        folded = fold(text)
        return (shouted_reading(folded, self.shouted) or folded) if self.shouted else folded

    def places(self, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` spans of ``text`` where any of the phrases stands, in order
        (overlaps merged)."""
        folded = self._read(text)
        spans = sorted(m.span() for p in self.patterns for m in p.finditer(folded))
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def holds(self, *texts: str) -> bool:
        """Whether every phrase stands in one of ``texts`` (a document's title and body)."""
        folded = [self._read(t) for t in texts]
        return all(any(p.search(t) for t in folded) for p in self.patterns)

    def occurrences(self, text: str) -> list[int]:
        """How many times each phrase stands in ``text``."""
        folded = self._read(text)
        return [sum(1 for _ in p.finditer(folded)) for p in self.patterns]


@lru_cache(maxsize=256)
def literal_query(text: str, rules: tuple[frozenset[str], frozenset[str]] = (frozenset(),
                                                                            frozenset()),
                  match_case: bool = False) -> LiteralQuery:
    """``text`` read as a literal query (see the module notes) under the ``rules`` of a
    lexicon (:func:`case_rules`: none, every word in any case, by default; ``match_case``:
    every word in the case typed, a shouted text read as written); one with no words is a
    :class:`QueryError`."""
    folded = fold(text)
    phrases = tuple(" ".join(next(g for g in m.groups() if g is not None).split())
                    for m in _PARTS.finditer(folded))
    phrases = tuple(dict.fromkeys(p for p in phrases if p))
    if not phrases:
        raise QueryError(f"A literal query needs words to match as written, not {text!r}.")
    acronyms, shouted = rules
    if match_case:  # (as written: no reading of shouted text, whose case is its own)
        return LiteralQuery(text, phrases, tuple(literal_pattern(p, match_case=True)
                                                 for p in phrases))
    read = tuple((shouted_reading(p, shouted) or p) if shouted else p for p in phrases)
    return LiteralQuery(text, phrases, tuple(literal_pattern(p, acronyms) for p in read),
                        shouted)


def index_literal(index: SearchSource, text: str, match_case: bool = False) -> LiteralQuery:
    """``text`` read as a literal query under the rules of ``index``'s lexicon
    (:func:`case_rules`; ``match_case``: see :func:`literal_query`): how every tool of an
    index reads a query as written."""
    return literal_query(text, case_rules(index.lexicon), match_case)


def literal_tree(text: str, match_case: bool = False) -> query.Query:
    """The literal query ``text`` as a query tree, each phrase's words as written in order
    (in their case, with ``match_case``): what tells two literal queries apart (trends
    refuses the same query twice)."""
    return query.And([query.Phrase("literal", (phrase if match_case else phrase.lower()).split())
                      for phrase in literal_query(text).phrases])


def as_characters(text: str) -> list[str]:
    """The words of the literal query ``text`` that a search reads as wildcards (``rat*``,
    ``ele?tion``: :func:`~.quoted_patterns.pattern_word`), which literal mode looks for as
    written, ``*`` and ``?`` being characters there: what :func:`characters_note` names.
    None for ``"*"``, every document (:func:`~.ranking.every_document`)."""
    if every_document(text):
        return []
    return list(dict.fromkeys(word for phrase in literal_query(text).phrases
                              for word in phrase.split() if pattern_word(word)))


def characters_note(words: list[str]) -> Note | None:
    """The note on a literal query's ``words`` that a search reads as wildcards
    (:func:`as_characters`; ``None`` for none): counted as written, ``count 'rat*' --literal``
    had said nothing of counting the string "rat*", not the words starting "rat"."""
    if not words:
        return None
    named = " and ".join(words)
    told = (f"{named} {'is' if len(words) == 1 else 'are'} looked for as written: literal "
            "mode reads * and ? as characters, not wildcards; for the wildcard, search without ")
    return Note(told + "literal=True or match_case=True.",
                told + "--literal or --match-case (on the web page, \"as written\" or \"match "
                "case\").")


def candidate_terms(analyzer: object, phrase: str) -> frozenset[str]:
    """The index terms every text holding ``phrase`` holds: the words (not the lexicon's
    expansions) the analyzer makes of the phrase. (Stop words make none: a phrase of stop
    words alone has no candidates but every document.)"""
    tokens = analyzer(fold(phrase), mode="index")  # type: ignore[operator]
    return frozenset(t.text for t in tokens if not getattr(t, "expansion", False))


def idiom_holds(term: str, joined: str) -> bool:
    """May the index term ``joined`` be the joined form of a reduplicated compound that holds
    the word whose term is ``term``? The analyzer indexes "mark-mark" and "peer-to-peer" as
    "markmark" and "peertop" (stemmed) alone, not their words (an idiom: see
    :class:`~corpus_search.analysis.stages.CompoundFilter`), yet each holds "mark" and
    "peer" as written. Read from the joined form alone, which begins with its first word,
    and is about twice as long (its stem a few letters shorter): a superset of such forms,
    since candidates are confirmed against the text."""
    start = _written_start(term)
    return (joined != term and len(start) > 1 and joined.startswith(start)
            and len(joined) >= 2 * len(term) - 2)


def _written_start(term: str) -> str:
    """What the word whose stem is ``term`` begins with: the stem, less an ``i`` a stem's
    y -> i made (polici, of policy)."""
    return term[:-1] if term.endswith("i") else term


def written_keys(phrase: str, stopwords: Collection[str]) -> frozenset[str]:
    """The words of ``phrase`` that the ``words`` field of a text holding it holds, in lower
    case (:func:`~corpus_search.analysis.surface.surface_terms`: no stop words, no words with
    digits): each a key of the index's :class:`~corpus_search.search.vocabulary.Vocabulary`."""
    return frozenset(term.lower() for term in surface_terms(fold(phrase), stopwords))


def _candidates(index: SearchSource, searcher: Searcher, ranking: Ranking,
                literal: LiteralQuery) -> np.ndarray:
    """The documents that may hold every phrase: for each, those holding every index term
    its words make, or else every word of it as written (:func:`written_keys`): a word
    written inside a longer reduplicated compound ("eat" in "dog-eat-dog", "basics" in
    "back-to-basics-back") is in no index term but the compound's joined form, which no
    prefix of it finds (:func:`idiom_holds`)."""
    engine = engine_for_ranking(searcher, ranking)
    found = engine.docs(query.Every())
    analyzer = index.schema["body"].analyzer
    for phrase in literal.phrases:
        by_terms = engine.docs(query.Every())
        for term in candidate_terms(analyzer, phrase):
            terms = [query.Term(field, t) for field in TEXT_FIELDS
                     for t in (term, *_idioms_holding(engine, field, term))]
            by_terms = by_terms & engine.docs(query.Or(terms))
        found = found & (by_terms | _holding_as_written(engine, index, phrase))
    return found


def _holding_as_written(engine: QueryEngine, index: SearchSource, phrase: str) -> np.ndarray:
    """The documents whose ``words`` field holds every one of :func:`written_keys` of
    ``phrase``, in any of its forms (none when the phrase has no such word)."""
    keys = written_keys(phrase, index.lexicon.stopwords)
    found = np.full(engine.size, bool(keys))
    words = vocabulary(engine)
    for key in keys:
        holding = np.zeros(engine.size, dtype=bool)
        holding[words.docs(key)] = True
        found &= holding
    return found


def _idioms_holding(engine: QueryEngine, field: str, term: str) -> list[str]:
    """The terms of ``field`` that may be a reduplicated compound holding ``term``
    (:func:`idiom_holds`), read by the prefix they share with it."""
    start = _written_start(term)
    if len(start) < 2:
        return []
    return [t for t in (b.decode("utf-8") for b in engine.lexicon(field, start.encode("utf-8")))
            if idiom_holds(term, t)]


def confirmed(searcher: Searcher, literal: LiteralQuery,
              docnums: np.ndarray) -> Iterator[tuple[int, str, str]]:
    """Each of ``docnums`` whose stored title or body holds every phrase, with them."""
    for docnum in docnums.tolist():
        check_budget()  # (a phrase of stop words alone reads every document)
        title = searcher.stored_fields(docnum).get("title", "") or ""
        body = document_body(searcher, docnum)
        if literal.holds(title, body):
            yield docnum, title, body


def literal_found(index: SearchSource, searcher: Searcher, ranking: Ranking,
                  text: str, match_case: bool = False) -> np.ndarray:
    """Per document of ``searcher``: does its title or body hold every phrase of the literal
    query ``text`` (whatever the filters; ``match_case``: each word in the case typed)?"""
    literal = index_literal(index, text, match_case)
    engine = engine_for_ranking(searcher, ranking)
    candidates = _candidates(index, searcher, ranking, literal) & engine.docs(query.Every())
    found = np.zeros(len(candidates), dtype=bool)
    for docnum, _title, _body in confirmed(searcher, literal, np.flatnonzero(candidates)):
        found[docnum] = True
    return found
