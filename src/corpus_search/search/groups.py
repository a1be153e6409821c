"""The word groups of a query's text (:func:`word_groups`, :func:`quoted_phrases`): spans read
as one unit, a multi-word lexicon term, an ordinary use the lexicon lists, two words that also
match closed up, a two-word name, or a quoted phrase.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from whoosh import query

from corpus_search.analysis.stemming import misspelt_names
from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.analysis.text import normalise_word
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.hyphens import HYPHENATED, closed_up, written_apart
from corpus_search.search.lexicon_spans import (
    percent_units,
    phrase_units,
    query_ordinary_spans,
    query_percent_spans,
    query_term_spans,
    quoted_regions,
)
from corpus_search.search.operators import OPERATORS
from corpus_search.search.ranking import (
    COMPOUND_SHARE,
    MIN_SPLIT_PART,
    NAME_SHARE,
    Ranking,
)
from corpus_search.search.state import SearchSource
from corpus_search.search.typed_parties import typed_parties
from corpus_search.search.vocabulary import vocabulary

__all__ = ["OPERATOR", "PARSER_CHARS", "PLAIN_WORD", "Group", "quoted_phrases", "spaced_spelling",
           "word_groups"]


SYNTAX_CHARS = re.compile(r'["():^~*?\[\]{}]')


OPERATOR = re.compile(r"\b(" + "|".join(sorted(OPERATORS, key=len, reverse=True)) + r")\b")


PLAIN_WORD = re.compile(r"[^\s\"():^~*?\[\]{}+\-]+")


#: a span in single quotes, as Whoosh's parser finds one (its ``SingleQuotePlugin``)
_SINGLE_QUOTED = re.compile(r"(^|(?<=\W))'(?P<text>.*?)'(?=\s|\]|[)}]|$)")

#: syntax that binds to the word it touches: a wildcard or fuzzy mark after it (``Dem*``,
#: ``Dems~``), a wildcard before it (``*Dems``); a boost (``Dems^2``) boosts the whole group
BOUND_AFTER = re.compile(r"[*?~]|\^(?![\d.]*\d)")
BOUND_BEFORE = frozenset("*?")


#: characters Whoosh's parser reads as syntax; a query without them (and without operators or
#: words in single quotes) is built directly instead of parsed (see parsing._direct_query)
PARSER_CHARS = re.compile(r"""["():^~*?\[\]{}<>\\]""")


@dataclass(frozen=True)
class Group:
    """A span of the query read as one unit: a multi-word lexicon term or an ordinary use the
    lexicon lists (``words`` holds its words, each still a word of the query), a quoted
    phrase (``quoted``; ``words``, when it has two or more, the words its fallback needs all
    of), two words that also match closed up (``joined``), a word that also matches written
    as two (``spaced``) or a two-word name (``name``)."""

    start: int
    end: int
    chunk: str
    words: tuple[str, ...] = ()
    joined: str | None = None
    #: the word written as two words ("head teachers" for "headteachers", "Duncan Smith"
    #: for Duncan-Smith); of a name, its last word's (Mr Duncan-Smith)
    spaced: str | None = None
    quoted: bool = False
    #: two capitalised words the texts write together (Gordon Brown): its words share one
    #: place in the query (there is no term to match as a whole)
    name: bool = False
    #: a name whose first word is an honorific (Lady Thatcher, Sir John Bourn): a weak part
    #: of the name's place (``Ranking.honorific_share``), so the name decides
    honorific: bool = False

    def render(self, whole: bool = False) -> str:
        """The group in Whoosh's query syntax; ``whole``, as a query with operators reads it,
        matching what a plain query's count counts (``concepts.typed_terms``, ``name_words``):
        a lexicon term is the term in any form the lexicon lists, not its words apart, and a
        name is all its words. "Lib Dems AND tuition fees" counted 19 BBC documents, 7 of
        them saying only "speaking fees" or "licence fee"; "Michael Howard AND Blair" read
        Michael OR (Howard AND Blair), 227."""
        if self.honorific:
            # a document holding only the honorific is no match, as where the query is
            # built directly (Concept.honorific): "Mr Kilroy-Silk" found 791 BBC documents,
            # every one saying "Mr", where Kilroy-Silk alone finds 13
            named = list(self.words[1:]) if whole else [self.chunk[len(self.words[0]):].strip()]
            if self.spaced is not None:  # (its last word also read as two)
                named[-1] = f'({named[-1]} OR "{self.spaced}")' if whole else \
                    f'{named[-1]} OR "{self.spaced}"'
            return f"(({' AND '.join(named)}) ANDMAYBE {self.words[0]})"
        if self.name:
            return f"({' AND '.join(self.words)})" if whole else self.chunk
        if self.joined is not None:
            return f'("{self.chunk}" OR {self.joined})'
        if self.spaced is not None:
            return f'({self.chunk} OR "{self.spaced}")'
        if self.words and self.quoted:
            units = (f'"{w}"' if " " in w else w for w in self.words)  # (a term: phrase_units)
            return f'("{self.chunk}" OR ({" AND ".join(units)}))'
        if self.words and whole:
            return f'"{self.chunk}"'
        if self.words:
            return f'("{self.chunk}" OR {" OR ".join(self.words)})'
        return f'"{self.chunk}"'


def _readable_words(chunk: str, analyzer: Any) -> tuple[str, ...]:
    """The words of ``chunk`` that the analyzer reads as something (not stop words), when
    there are two or more; else none."""
    words = tuple(w for w in chunk.split() if any(True for _ in analyzer(w, mode="query")))
    return words if len(words) > 1 else ()


def _term_words(chunk: str, analyzer: Any) -> tuple[str, ...]:
    """The readable words of the multi-word lexicon term or ordinary use ``chunk``
    (:func:`_readable_words`), each as a word of it: "Labour" of "Labour market" or of
    "International Labour Organisation" is the word, not the party its capital names alone
    (:meth:`~.typed_parties.TypedParties.as_word`)."""
    typed = typed_parties(analyzer)
    words = _readable_words(chunk, analyzer)
    return words if typed is None else tuple(typed.as_word(w) for w in words)


def _ambiguous(chunk: str, analyzer: Any) -> bool:
    """Is the multi-word lexicon term ``chunk`` one only a text's context confirms (a ``?``
    form: a document reading it alone finds no multi-word term)?"""
    query_terms = {t.text for t in analyzer(chunk, mode="query")}
    return not query_terms & {t.text for t in analyzer(chunk)}


def word_groups(text: str, index: SearchSource, ranking: Ranking) -> list[Group]:
    """The word groups of the unquoted parts of a query, in order.

    - A multi-word lexicon term ("Lib Dems", "postal vote") is one more way to match its
      span: as a quoted phrase, which the analyzer reads as its concept, or as its words,
      which stay words of the query (like a multi-word synonym in Lucene's query graph).
    - An ordinary use the lexicon lists ("labour market": the economy, not the party) is
      read the same way: "labour" alone would find every story about the Labour party.
    - Two adjacent words whose closed-up form is in the index ("turn out" → turnout,
      "super casino" → supercasino) match either spelling.
    - A word the texts write as two words at least as often ("headteachers" → head
      teachers) matches either spelling (:func:`spaced_spelling`).
    - Two adjacent capitalised words the texts write together (Gordon Brown) are one name.
    - An honorific before a capitalised word or a name (Lady Thatcher, Sir John Bourn) is a
      weak part of the name's place.
    - A percentage in words ("2.5 per cent") is read whole, as the analyzer reads it: 2.5%.
    """
    # a span in single quotes is one literal term to Whoosh's parser: rendered as a group
    # inside them, 'general election' became ('("general election" OR general OR election)'),
    # read as one phrase of its three readings side by side, which no document holds
    quoted = quoted_regions(text) + [m.span() for m in _SINGLE_QUOTED.finditer(text)]

    def free(start: int, end: int) -> bool:
        # a span whose first or last word carries a wildcard or fuzzy mark is left to the
        # parser: rendered as a group, "Lib Dem*" became ("Lib Dem" OR Lib OR Dem)*, whose
        # bare * matched every document ("Lib Dems^2" is the group boosted)
        chunk = text[start:end]
        return not (
            any(s < end and start < e for s, e in quoted)
            or SYNTAX_CHARS.search(chunk)
            or OPERATOR.search(chunk)
            or BOUND_AFTER.match(text, end)
            or (text[start - 1 : start] in BOUND_BEFORE and start > 0)
        )

    analyzer = index.schema["body"].analyzer
    groups = _term_groups(text, index, ranking, analyzer, free)
    taken = [(g.start, g.end) for g in groups]
    for group in _hyphenated(text, index, ranking, analyzer, free, taken):
        groups.append(group)
        taken.append((group.start, group.end))
    words = [m for m in PLAIN_WORD.finditer(text) if free(m.start(), m.end())]
    for pair_group in (_compound, _name):  # compounds first: a name takes what is left
        for left, right in itertools.pairwise(words):
            if text[left.end() : right.start()].strip() or any(
                s < right.end() and left.start() < e for s, e in taken
            ):
                continue
            group = pair_group(text, index, ranking, analyzer, left, right)
            if group is not None:
                groups.append(group)
                taken.append((group.start, group.end))
    for m in words:
        if not any(s < m.end() and m.start() < e for s, e in taken):
            spaced = spaced_spelling(m.group(), index, ranking)
            if spaced is not None:
                groups.append(Group(m.start(), m.end(), m.group(), spaced=spaced))
    return _titled(text, words, groups, index.lexicon.honorifics, analyzer)


def _term_groups(
    text: str, index: SearchSource, ranking: Ranking, analyzer: Any, free: Any
) -> list[Group]:
    """The percentages in words, multi-word lexicon terms and listed ordinary uses of ``text`` (see
    :func:`word_groups`), in order. A hyphenated lexicon term (e-mail) is also its
    closed-up word where that finds texts the term's forms do not
    (:func:`~.hyphens.closed_up`)."""
    groups = [Group(s, e, text[s:e]) for s, e in query_percent_spans(text, analyzer) if free(s, e)]
    for start, end in query_term_spans(text, index.lexicon):
        if any(start < g.end and g.start < end for g in groups) or not free(start, end):
            continue
        chunk = text[start:end]
        words = _term_words(chunk, analyzer)
        if not words and _ambiguous(chunk, analyzer):
            # "by election(s)" is also ordinary English: its one readable word keeps a share
            words = tuple(w for w in chunk.split() if any(True for _ in analyzer(w, mode="query")))
        joined = closed_up(chunk, index, ranking, analyzer) if not words else None
        groups.append(Group(start, end, chunk, words, joined=joined))
    terms = [(g.start, g.end) for g in groups]
    for start, end in query_ordinary_spans(text, index.lexicon):
        # one of one readable word ("Respect the") too: alone, Respect was the party
        chunk = text[start:end]
        if free(start, end) and not any(s < end and start < e for s, e in terms):
            groups.append(Group(start, end, chunk, _term_words(chunk, analyzer)))
    return sorted(groups, key=lambda g: g.start)


def _hyphenated(
    text: str,
    index: SearchSource,
    ranking: Ranking,
    analyzer: Any,
    free: Any,
    taken: list[tuple[int, int]],
) -> list[Group]:
    """The hyphenated words of ``text`` that also match their words written apart ("Duncan
    Smith" for Duncan-Smith: :func:`~.hyphens.written_apart`), each a group: the mirror of a
    closed-up word's two-word spelling (:func:`spaced_spelling`)."""
    groups = []
    for m in HYPHENATED.finditer(text):
        start, end = m.span()
        if free(start, end) and not any(s < end and start < e for s, e in taken):
            apart = written_apart(m.group(), index, ranking, analyzer)
            if apart is not None:
                groups.append(Group(start, end, m.group(), spaced=apart))
    return groups


def _compound(
    text: str,
    index: SearchSource,
    ranking: Ranking,
    analyzer: Any,
    left: re.Match[str],
    right: re.Match[str],
) -> Group | None:
    """The two words as a group that also matches their closed-up form, if that form is an
    established one in the index (see :func:`_common_compound`); else None."""
    joined = [t.text for t in analyzer(left.group() + right.group(), mode="query")]
    reader = index.searcher().reader()
    if len(joined) != 1 or not _common_compound(reader, analyzer, left, right, joined[0]):
        return None
    pair = text[left.start() : right.end()]
    return Group(left.start(), right.end(), pair, joined=left.group() + right.group())


def _common_compound(
    reader: Any, analyzer: Any, left: re.Match[str], right: re.Match[str], joined: str
) -> bool:
    """Is ``joined`` an established closed-up form of the two words, not a rare accident?

    "turnout" is common next to "turn" and "out"; "blairbrown" (once, in a URL-like string)
    is not a way of writing "Blair Brown". The texts must write it closed up: the index also
    holds the closed-up form of every hyphenated pair ("Blair-Brown rivalry"), which the two
    words as a phrase find anyway, and one such article had made "Blair Brown" a compound,
    searched as that phrase alone (1 of a small corpus's 3 documents naming Blair or Brown).
    """
    freq = reader.doc_frequency("body", joined)
    if not freq or not _written_closed_up(reader, left.group() + right.group()):
        return False
    parts = [
        reader.doc_frequency("body", t.text)
        for word in (left.group(), right.group())
        for t in analyzer(word, mode="query")
    ]
    rarest = min((p for p in parts if p), default=0)
    return freq >= COMPOUND_SHARE * rarest


def _written_closed_up(reader: Any, closed: str) -> bool:
    """Does a text write ``closed`` as one word (:data:`WORDS_FIELD` holds a word in lower
    case, or capitalised where a document only ever capitalises it: "Turnout" opening a
    sentence)?"""
    surface, key = normalise_word(closed)
    return any(reader.doc_frequency(WORDS_FIELD, form) for form in {key, key.capitalize(),
                                                                     surface} if form)


def spaced_spelling(word: str, index: SearchSource, ranking: Ranking) -> str | None:
    """``word`` written as two words, when the index shows that spelling established: the
    texts write it apart in at least as many documents as closed up ("everyone" is not
    "every one"), and its two words stand side by side in at least :data:`COMPOUND_SHARE`
    of the documents holding the rarer of them ("headteachers": 0 documents, "head
    teachers" 3). The mirror of the closed-up rule (:func:`_common_compound`); the split
    found in the most documents wins. None for a word the lexicon reads (it has its own
    forms: "foxhunting"), or with no such spelling."""
    analyzer = index.schema["body"].analyzer
    if len(word) < 2 * MIN_SPLIT_PART or not word.isalpha():
        return None
    own = _single_term(analyzer, word)
    if own is None:
        return None
    reader = index.searcher().reader()
    closed = reader.doc_frequency("body", own)
    best, best_docs = None, 0
    for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
        terms = [_single_term(analyzer, part) for part in (word[:cut], word[cut:])]
        if None in terms:
            continue
        rarest = min(reader.doc_frequency("body", t) for t in terms)
        if rarest < max(closed, 1, best_docs):  # too rare to beat the closed-up form
            continue
        engine = engine_for_ranking(index.searcher(), ranking)
        together = int(engine.docs(query.Phrase("body", terms)).sum())
        if together >= max(closed, 1, best_docs + 1) and together >= COMPOUND_SHARE * rarest:
            best, best_docs = f"{word[:cut]} {word[cut:]}", together
    return best


def _single_term(analyzer: Any, word: str) -> str | None:
    """The one index term of ``word``, when the analyzer reads it as one plain word (no
    lexicon concept, no expansion, not a stop word)."""
    tokens = list(analyzer(word, mode="query"))
    if len(tokens) != 1 or getattr(tokens[0], "expansion", False):
        return None
    if getattr(tokens[0], "kind", "word") != "word":
        return None
    return tokens[0].text


def _name(
    text: str,
    index: SearchSource,
    ranking: Ranking,
    analyzer: Any,
    left: re.Match[str],
    right: re.Match[str],
) -> Group | None:
    """The two words as one name, if both are capitalised as names are and the texts write
    them side by side in at least :data:`NAME_SHARE` of the documents holding the rarer of
    them as a word ("Gordon Brown", not "Blair Brown"); else None. (Counted by stems, "Robin
    Cook" was no name on the BBC corpus: 7 documents say it, 15 hold "cook", "cooking" too.)
    A name misspelt as a leader's (:func:`~corpus_search.analysis.stemming.misspelt_names`)
    that the texts do not write so is the leader's where they write that one: "Gordon
    Browne" is the name Gordon Brown, its words ``("Gordon", "Brown")``."""
    if not (_capitalised(left.group()) and _capitalised(right.group())):
        return None
    if normalise_word(left.group())[1] in index.lexicon.honorifics:
        return None  # "Mr Blair": the honorific joins the name after it (see _titled)
    engine = engine_for_ranking(index.searcher(), ranking)
    held = vocabulary(engine)  # (each word as written, not its stem: "cook" is also "cooking")
    typed, slips = (left.group(), right.group()), misspelt_names(index.lexicon)
    mended = tuple(slips[w.lower()].capitalize() if w.lower() in slips else w for w in typed)
    for words in dict.fromkeys((typed, mended)):
        terms = [[t.text for t in analyzer(w, mode="query") if not getattr(t, "expansion", False)]
                 for w in words]
        if any(len(own) != 1 for own in terms):
            continue
        rarest = min(held.frequency(normalise_word(w)[1], w) for w in words)
        if rarest and engine.docs(query.Phrase("body", [own[0] for own in terms])).sum() >= (
                NAME_SHARE * rarest):
            return Group(left.start(), right.end(), text[left.start() : right.end()], words,
                         name=True)
    return None


def _titled(
    text: str,
    words: list[re.Match[str]],
    groups: list[Group],
    honorifics: frozenset[str],
    analyzer: Any,
) -> list[Group]:
    """``groups`` with each honorific (Lady, Sir, Mr: the lexicon's ``[honorifics]``) that
    stands right before a word it titles (:func:`_titles`: a capitalised word after a
    capitalised honorific, any word after an abbreviated one) or a name, joined to it as
    one name, the honorific first (see :attr:`Group.honorific`), in order. The name's last
    word is the whole of it as typed: double-barrelled (Mr Kilroy-Silk), or with a wildcard,
    fuzzy mark or boost (Mr Blair*, which leaves the group to the parser).

    "Lady Thatcher" read as two places let a sports report on the Essex Ladies, which says
    "ladies" three times and never Thatcher, rank first: a title says who is meant only with
    the name after it."""
    by_start = {g.start: g for g in groups}
    taken = [(g.start, g.end) for g in groups]
    for left in words:
        gap = _SPACE.match(text, left.end())
        right = PLAIN_WORD.match(text, gap.end()) if gap is not None else None
        if (
            right is None
            or right.group() in OPERATORS  # ("Mr NOT Gordon": NOT is no name)
            or normalise_word(left.group())[1] not in honorifics
            or not _titles(left.group(), right.group(), analyzer)
            or not _starts_word(text, left.start())  # ("title:Mr": left to the parser)
            or any(s < left.end() and left.start() < e for s, e in taken)
            or not any(True for _ in analyzer(left.group(), mode="query"))
        ):
            continue
        name = by_start.get(right.start())
        # a word also read as two (Duncan-Smith: "Duncan Smith") is the name, read so
        word = name if name is not None and name.spaced is not None else None
        if name is None or word is not None:
            end, named = right.end(), (right.group(),)
        elif name.name and not name.honorific:
            end, named = name.end, name.words
        else:  # the word after it starts a lexicon term or a compound ("Lord Chancellor")
            continue
        rest = _WORD_REST.match(text, end)  # ("-Silk" of Kilroy-Silk, "*" of Blair*)
        if rest is None or any(s < rest.end() and right.start() < e
                               for s, e in taken if s != right.start()):
            continue
        if name is not None:
            groups.remove(name)
        end, named = rest.end(), (*named[:-1], named[-1] + rest.group())
        group = Group(
            left.start(), end, text[left.start() : end], (left.group(), *named),
            spaced=word.spaced if word is not None and word.end == end else None, name=True,
            honorific=True,
        )
        groups.append(group)
        by_start[group.start] = group
        taken.append((group.start, group.end))
    return sorted(groups, key=lambda g: g.start)


def _titles(honorific: str, word: str, analyzer: Any) -> bool:
    """Does ``honorific`` (one of the lexicon's) title the ``word`` typed after it? Typed
    capitalised both, as names are written; or, whatever the case, where the honorific is an
    abbreviation, written without a vowel (Mr, Mrs, Ms, Mx, Dr), which is no word of its own
    and so titles a word typed in lower case too ("mr blair" counted the 818 BBC documents
    saying "mr", where "Mr Blair" counts the 181 naming Blair). A lower-case "lady" or
    "lord" may be the word (lady luck, the lord of the manor), and a stop word is named by
    no one ("mr and mrs")."""
    if _capitalised(honorific) and _capitalised(word):
        return True
    return not any(c in "aeiouy" for c in honorific.lower()) and any(
        True for _ in analyzer(word, mode="query"))


_SPACE = re.compile(r"\s+")


#: the rest of a word from where a word of PLAIN_WORD ends to the space, closing bracket or
#: end of the query after it: a hyphen and the name's other parts ("-Silk" of Kilroy-Silk),
#: a wildcard, fuzzy mark or boost; None where a quote, bracket or field name is glued on
_WORD_REST = re.compile(r"[^\s()\"\[\]{}:]*(?=[\s)]|$)")


def _starts_word(text: str, start: int) -> bool:
    """Does a word of ``text`` that starts at ``start`` start there (the query's start, a
    space, an opening bracket or a plus sign requiring it before it)?"""
    return start == 0 or text[start - 1].isspace() or text[start - 1] in "(+"


def _capitalised(word: str) -> bool:
    """Is ``word`` written as a name is (Gordon, Browne), not in capitals (BBC, MPs)?"""
    return word[:1].isupper() and word[1:].islower()


def quoted_phrases(text: str, analyzer: Any) -> list[Group] | None:
    """The double-quoted phrases of ``text`` as word groups, when each is closed, stands
    apart from its neighbours (space or the text's ends either side), has no slop and holds
    no other query syntax; else None (the parser reads such text). A slash parts words."""
    phrases = []
    for start, end in quoted_regions(text):
        chunk = text[start + 1 : end - 1]
        closed = end - start >= 2 and text[end - 1] == '"'
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if (
            not closed
            or not chunk.strip()
            or PARSER_CHARS.search(chunk)
            or not (before.isspace() and after.isspace())
        ):
            return None
        words, typed = _readable_words(chunk.replace("/", " "), analyzer), typed_parties(analyzer)
        words = words if typed is None else typed.phrase_words(chunk, words)  # as it reads them
        words = phrase_units(chunk, words, typed.lexicon) if typed is not None else words
        words = percent_units(chunk, words, analyzer)  # ("2.5 per cent" is one unit)
        phrases.append(Group(start, end, chunk, words, quoted=True))
    return phrases
