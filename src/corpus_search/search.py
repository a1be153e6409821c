"""Ranked search over a :class:`~corpus_search.index.CorpusIndex`.

The query language is Whoosh's (``AND``/``OR``/``NOT``, ``"phrases"``, ``field:term``,
wildcards, ``fuzzy~``), read through the political analyzer so that lexicon terms typed in any
form ("Lib Dems", "byelection", "labor") find the forms the texts use. Plain words typed by a
person are combined with OR, so documents matching more of the words rank first, and a
proximity bonus lifts documents where the words stand together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from whoosh import collectors, highlight, query, scoring
from whoosh.analysis import Token
from whoosh.qparser import (
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldPlugin,
    OrGroup,
    PhrasePlugin,
    QueryParser,
)
from whoosh.qparser import syntax as qsyntax

from corpus_search.analysis import multiword_spans, parties_in
from corpus_search.budget import check_budget, query_budget
from corpus_search.dates import parse_date_span
from corpus_search.engine import (
    Alternative,
    Concept,
    QueryEngine,
    Unsupported,
    engine_for,
)
from corpus_search.errors import CorpusSearchError, QueryError
from corpus_search.index import document_body
from corpus_search.lexicon import WORD_RE, normalise_word
from corpus_search.spelling import (
    Correction,
    Vocabulary,
    correct_word,
    expand_fuzzy,
    expand_pattern,
    fold_pattern,
    is_acronym_shaped,
    lexicon_knows,
    vocabulary,
)
from corpus_search.terminal import json_dumps, strip_unprintable

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.index import CorpusIndex

__all__ = [
    "RANKING",
    "DocumentNotFoundError",
    "Hit",
    "Ranking",
    "SearchFilters",
    "SearchResults",
    "Snippet",
    "build_query",
    "search",
    "similar",
]

TEXT_FIELDS = ("title", "body")
#: longer queries are refused: Whoosh's parser takes seconds on a query of thousands of terms
MAX_QUERY_CHARS = 1_000
MAX_PAGE_SIZE = 1_000
#: how many top hits the proximity bonus re-ranks
RERANK_DEPTH = 100
#: the fields where concepts standing close together earn the proximity bonus: a title's few
#: words are all close, and the title boost already rewards concepts found there
PROXIMITY_FIELDS = ("body",)
#: two adjacent query words also match their closed-up form when that form occurs in at least
#: this share of the documents that the rarer of the two words occurs in
COMPOUND_SHARE = 0.03
#: Seconds one query may take (``None``: no limit). The engine, the wildcard and fuzzy
#: expansions, the spelling check, Whoosh's own searcher and the snippets check the clock as
#: they go, and past it the query stops with :class:`~corpus_search.errors.QueryBudgetError`
#: (no partial result). Counting a result's total and facets, done on first use, has a
#: budget of its own. Queries on the 2,225 BBC articles take well under a second; bounded
#: wildcards (:data:`~corpus_search.spelling.MAX_PATTERN_WORDS`) joined by the dozen once
#: took 10 s there, and grow with the index.
QUERY_TIME_LIMIT: float | None = 10.0
#: the fields counted in ``SearchResults.facets``: facet name -> indexed field
FACET_FIELDS = {"source": "source", "party": "party", "year": "year"}


class DocumentNotFoundError(CorpusSearchError, KeyError):
    """No document with the given id is in the index."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Ranking:
    """Ranking parameters. A query of plain words and quoted phrases is ranked by its
    concepts (see :meth:`corpus_search.engine.QueryEngine.score_concepts`): BM25F with
    ``k1``, ``b`` (``title_b`` for titles) and the field boosts, times the coverage factor,
    plus the proximity bonus. A query with other syntax (operators, ``field:``, wildcards,
    fuzzy terms, boosts) is scored by Whoosh's BM25F of its query tree, field by field, with
    ``syntax_title_boost``. The defaults are chosen by cross-validation on the public topics
    (``corpus-search eval --cross-validate``; see docs/relevance.md).
    """

    k1: float = 2.0
    b: float = 0.5
    title_b: float = 0.5
    #: a title occurrence counts this many body occurrences (before saturation)
    title_boost: float = 4.0
    body_boost: float = 1.0
    #: Whoosh's title boost for queries with syntax (a title match's own BM25 score times this)
    syntax_title_boost: float = 1.25
    #: weight of the lexicon's other forms of a word ("Conservatives" for "Tories")
    expansion_weight: float = 0.6
    #: weight of the broader concepts a lexicon term implies (weak forms: Labour for "PLP")
    surface_weight: float = 0.1
    #: part of a typed multi-word lexicon term's place in the query held by the term (its
    #: concept and all its forms); its words, each still counting as itself, hold the rest
    term_share: float = 0.5
    #: exponent of the coverage factor (0: none beyond BM25F's saturation)
    coverage: float = 0.25
    #: weight of the term-pair proximity bonus (0: none)
    proximity_boost: float = 0.05
    #: positions within which two concepts count as close
    proximity_slop: int = 4
    fuzzy_weight: float = 1.0

    def weighting(self) -> scoring.WeightingModel:
        return scoring.BM25F(B=self.b, K1=self.k1, title_B=self.title_b)

    def field_boosts(self, fields: Iterable[str]) -> tuple[tuple[str, float], ...]:
        """(field, boost) of ``fields`` for concept ranking."""
        boosts = {"title": self.title_boost, "body": self.body_boost}
        return tuple((f, boosts.get(f, 1.0)) for f in fields)


#: The ranking used by :func:`search`.
RANKING = Ranking()


# -- filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """Restrict results by party mentioned, source, or date range (inclusive).

    ``since`` and ``until`` take dates or the text forms documents may state (``2005-03-21``,
    ``21/03/2005``, ``21 March 2005``, ``March 2005``, ``2005``); a month or year means its
    first day for ``since`` and its last for ``until``. A date range leaves out documents with
    no date unless ``include_undated`` is set.
    """

    party: str | None = None
    source: str | None = None
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    include_undated: bool = False

    def __post_init__(self) -> None:
        for name, example in (("party", "Labour"), ("source", "BBC")):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise QueryError(
                    f"The {name} filter must be text (a name like {example!r}), not "
                    f"{type(value).__name__} {value!r:.40}."
                )
        since, until = _as_date(self.since, "since"), _as_date(self.until, "until")
        if since and until and since > until:
            raise QueryError(f"since ({since}) is after until ({until}): no date is in between.")
        object.__setattr__(self, "since", since)
        object.__setattr__(self, "until", until)

    @classmethod
    def coerce(cls, value: SearchFilters | dict[str, Any] | None) -> SearchFilters:
        """Accept a SearchFilters, a dict with the same keys (dates may be text), or None."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict):
            raise QueryError(f"filters must be a dict or SearchFilters, not {type(value).__name__}")
        unknown = set(value) - {"party", "source", "since", "until", "include_undated"}
        if unknown:
            raise QueryError(
                f"Unknown filter {', '.join(sorted(unknown))}; "
                "use party, source, since, until, include_undated."
            )
        return cls(
            party=value.get("party") or None,
            source=value.get("source") or None,
            since=value.get("since"),
            until=value.get("until"),
            include_undated=bool(value.get("include_undated")),
        )

    def is_empty(self) -> bool:
        return not (self.party or self.source or self.since or self.until)

    @property
    def has_dates(self) -> bool:
        """Whether a date range is set."""
        return bool(self.since or self.until)

    def to_query(self, index: CorpusIndex) -> query.Query | None:
        clauses = self._other_clauses(index)
        if self.has_dates:
            start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
            end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
            in_range: query.Query = query.DateRange("date", start, end)
            if self.include_undated:
                in_range = query.Or([in_range, query.Not(_DATED)])
            clauses.append(in_range)
        return _all_of(clauses)

    def undated_query(self, index: CorpusIndex) -> query.Query | None:
        """The documents this filter's date range leaves out for having no date (the other
        filters applied), or ``None`` when it leaves none out for that reason."""
        if not self.has_dates or self.include_undated:
            return None
        return _all_of([*self._other_clauses(index), query.Not(_DATED)])

    def _other_clauses(self, index: CorpusIndex) -> list[query.Query]:
        clauses: list[query.Query] = []
        if self.party:
            clauses.append(query.Term("party", canonical_party(self.party, index)))
        if self.source:
            clauses.append(query.Term("source", canonical_source(self.source, index)))
        return clauses

    def unmatched(self, index: CorpusIndex) -> list[str]:
        """Why these filters keep nothing: each filter that on its own keeps no document of
        ``index``, as a sentence naming it and the values that would keep some."""
        reasons: list[str] = []
        with index.guard():
            searcher = index.searcher()
            reader = searcher.reader()

            def known(fieldname: str) -> list[str]:  # most documents first
                values = _field_values(index, fieldname)
                return sorted(values, key=lambda v: (-reader.doc_frequency(fieldname, v), v))

            def keeps_some(q: query.Query) -> bool:
                return not searcher.search(q, limit=1, scored=False).is_empty()

            if self.party and canonical_party(self.party, index) not in (parties := known("party")):
                reasons.append(f"No document mentions the party {self.party!r}; parties in this "
                               f"index: {', '.join(parties) or 'none'}.")
            if self.source and canonical_source(self.source, index) not in (
                sources := known("source")
            ):
                reasons.append(f"No document is from the source {self.source!r}; sources in "
                               f"this index: {', '.join(sources) or 'none recognised'}.")
            if self.has_dates:
                start = dt.datetime.combine(self.since, dt.time.min) if self.since else None
                end = dt.datetime.combine(self.until, dt.time.max) if self.until else None
                if not keeps_some(query.DateRange("date", start, end)):
                    years = sorted(_field_values(index, "year"))
                    span = (f"from {self.since} to {self.until}" if self.since and self.until
                            else f"on or after {self.since}" if self.since
                            else f"on or before {self.until}")
                    reasons.append(f"No document is dated {span}; "
                                   + (f"dated documents are from {', '.join(years)}."
                                      if years else "no document in this index has a date."))
        return reasons


#: every document with a date
_DATED = query.DateRange("date", None, None)


def _all_of(clauses: list[query.Query]) -> query.Query | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else query.And(clauses)


def _as_date(value: Any, name: str) -> dt.date | None:
    """A ``since`` (first day) or ``until`` (last day) bound from a date or its text."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    span = parse_date_span(str(value).strip())
    if span is None:
        raise QueryError(
            f"Cannot read {name}={value!r} as a date; write it like 2005-03-21, 21/03/2005, "
            "21 March 2005, March 2005 or 2005."
        )
    return span.last if name == "until" else span.first


def _field_values(index: CorpusIndex, fieldname: str) -> list[str]:
    reader = index.searcher().reader()
    return [
        t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(fieldname)
    ]


def canonical_party(name: str, index: CorpusIndex) -> str:
    """The stored party name matching ``name`` ("lib dems" → "Liberal Democrat"): a stored
    name in any case, a name or form of a party in the lexicon (:meth:`Lexicon.party_named`:
    "veritas", "Labor"), or the party a phrase names ("the Tory party")."""
    known = _field_values(index, "party")
    for value in known:
        if value.lower() == name.strip().lower():
            return value
    named = index.lexicon.party_named(name)
    if named is not None:
        return named
    found = parties_in(name, index.lexicon) or parties_in(name.title(), index.lexicon)
    return found[0] if found else name


def canonical_source(name: str, index: CorpusIndex) -> str:
    """The stored source matching ``name`` case-insensitively."""
    for value in _field_values(index, "source"):
        if value.lower() == name.strip().lower():
            return value
    return name


# -- query parsing --------------------------------------------------------------------------


#: Largest edit distance a ``word~N`` query may ask for: beyond 2 a fuzzy term matches much of
#: the vocabulary, and Whoosh's Levenshtein automaton (still used when Whoosh runs a query)
#: explodes with N: ``ANDMAYBEfuzzy~9`` ran for minutes, a one-query denial of service.
MAX_FUZZY_EDITS = 2


class _BoundedFuzzyTermPlugin(FuzzyTermPlugin):
    """``word~N`` with N capped at :data:`MAX_FUZZY_EDITS`, matched against the words of
    the texts as written (see :meth:`PoliticalQueryParser.fuzzy_query`)."""

    def create(self, parser: Any, match: re.Match[str]) -> Any:
        node = super().create(parser, match)
        node.maxdist = min(node.maxdist, MAX_FUZZY_EDITS)
        return node

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser: Any) -> query.Query:
            fieldname = self.fieldname or parser.fieldname
            q = parser.fuzzy_query(
                fieldname, self.text, self.maxdist, self.prefixlength, self.boost
            )
            return qsyntax.attach(q, self)


class _ConceptPhrasePlugin(PhrasePlugin):
    """Quoted phrases analyzed with positions, so lexicon alternatives stay one phrase slot."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: Any) -> query.Query | None:
            fieldname = self.fieldname or parser.fieldname
            q = parser.phrase_query(fieldname, self.text, self.slop, self.boost)
            return qsyntax.attach(q, self) if q is not None else None

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: Any, match: re.Match[str]) -> Any:
            slop = int(match.group("slop")) if match.group("slop") else 1
            return _ConceptPhrasePlugin.PhraseNode(match.group("text"), match.start("text"), slop)


class PoliticalQueryParser(QueryParser):
    """Whoosh's multifield parser, taught to build queries from the analyzer's alternatives."""

    def __init__(self, index: CorpusIndex, fields: Iterable[str], ranking: Ranking) -> None:
        fields = list(fields)
        boosts = {"title": ranking.syntax_title_boost, "body": ranking.body_boost}
        super().__init__(None, index.schema, group=OrGroup)
        self.add_plugin(MultifieldPlugin(fields, {f: boosts.get(f, 1.0) for f in fields}))
        #: (field, boost) in the order the multifield plugin expands a word
        self.field_boosts = [(f, boosts.get(f, 1.0)) for f in fields]
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugin(_ConceptPhrasePlugin())
        self.add_plugin(_BoundedFuzzyTermPlugin())
        self.add_plugin(GtLtPlugin())
        self.index = index
        self.ranking = ranking
        self.analyzer = index.schema["body"].analyzer
        #: (the words the user typed, the terms they were read as), for did-you-mean
        self.readings: list[tuple[str, list[str]]] = []
        #: the concepts of the last query parsed, when it was plain words (see _direct_query)
        self.concepts: tuple[Concept, ...] | None = None
        self._group_memo: dict[str, list[list[tuple[str, bool]]]] = {}
        implied: dict[str, set[str]] = {}
        for entry in index.lexicon.entries:
            implied.setdefault(entry.concept, set()).update(entry.also)
        #: concept -> the broader concepts the lexicon says it implies (plp -> labour_party)
        self.implied = implied

    def _groups(self, text: str) -> list[list[tuple[str, bool]]]:
        """The analyzer's query-mode reading of ``text``: alternatives per position.

        Remembered for the query being parsed (each word is read once per field)."""
        found = self._group_memo.get(text)
        if found is None:
            found = self._group_memo[text] = self._read_groups(text)
        return found

    def _read_groups(self, text: str) -> list[list[tuple[str, bool]]]:
        groups: dict[int, list[tuple[str, bool]]] = {}
        for tok in self.analyzer(text, mode="query", positions=True):
            alts = groups.setdefault(tok.pos, [])
            item = (tok.text, bool(getattr(tok, "expansion", False)))
            if item[0] not in (a for a, _ in alts):
                alts.append(item)
        return [groups[p] for p in sorted(groups)]

    def _alternatives(
        self, fieldname: str, alts: list[tuple[str, bool]], boost: float, source: str
    ) -> query.Query:
        """One query slot: the word's own term at full weight, lexicon expansions lighter.

        A slot with only expansions (a multi-word term the user typed, read as its concept)
        is the user's own meaning, so it keeps full weight.
        """
        self.readings.append((source, [text for text, _ in alts]))
        own = any(not expansion for _, expansion in alts)
        terms = []
        for text, expansion in alts:
            weight = boost * (self.ranking.expansion_weight if expansion and own else 1.0)
            terms.append(query.Term(fieldname, text, boost=weight))
        return terms[0] if len(terms) == 1 else query.Or(terms)

    def concept_alternatives(self, text: str) -> list[Alternative]:
        """The alternatives of ``text`` (a word, or a multi-word term read as one), weighted as
        :meth:`_alternatives` weights the terms; a broader concept that another alternative
        implies ("PLP" also yields ``labour_party``) is weak, at ``surface_weight``."""
        groups = self._groups(text)
        if not groups:
            return []
        if len(groups) > 1:
            return [Alternative(tuple(tuple(t for t, _ in g) for g in groups))]
        alts = groups[0]
        own = any(not expansion for _, expansion in alts)
        broader = {b for t, _ in alts for b in self.implied.get(t, ())}
        out = []
        for text_, expansion in alts:
            if text_ in broader:
                out.append(Alternative.term(text_, self.ranking.surface_weight, weak=True))
            else:
                weight = self.ranking.expansion_weight if expansion and own else 1.0
                out.append(Alternative.term(text_, weight))
        return out

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        if fieldname == "party":
            return query.Term("party", canonical_party(text, self.index), boost=boost)
        if fieldname == "source":
            return query.Term("source", canonical_source(text, self.index), boost=boost)
        if fieldname not in TEXT_FIELDS:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if termclass is query.Prefix:
            return self.pattern_query(fieldname, text + "*", boost)
        if termclass is query.Wildcard:
            return self.pattern_query(fieldname, text, boost)
        if termclass is not query.Term:
            return self.fuzzy_query(fieldname, text, 1, 0, boost)
        groups = self._groups(text)
        if not groups:
            return None
        parts = [self._alternatives(fieldname, g, boost, text) for g in groups]
        if len(parts) == 1:
            return parts[0]
        return query.Sequence(parts, slop=1, boost=1.0)

    # -- wildcards and fuzzy terms: over the words of the texts as written -------------------

    def _vocabulary(self) -> Vocabulary:
        return vocabulary(_engine(self.index.searcher(), self.ranking))

    def pattern_query(self, fieldname: str, pattern: str, boost: float) -> query.Query:
        """A wildcard pattern (``privatiz*``, ``ele?tion``): the indexed terms of the words
        of the texts it matches, folded as whole words are (see
        :func:`corpus_search.spelling.expand_pattern`). A pattern of wildcards only (``*``)
        matches every document; one with a digit matches the indexed terms directly (the
        words field holds no numbers, which the index keeps as written)."""
        pattern = pattern.replace("\u2019", "'")
        if not pattern.strip("*"):
            return query.Every()
        if any(c.isdigit() for c in pattern):
            word = pattern.lower()
            if "?" in word or word.count("*") != 1 or not word.endswith("*"):
                return query.Wildcard(fieldname, word, boost=boost)
            return query.Prefix(fieldname, word[:-1], boost=boost)
        # raises PatternTooBroad, a QueryError, past MAX_PATTERN_WORDS words
        words = expand_pattern(self._vocabulary(), pattern, self.index.lexicon)
        return self._words_query(fieldname, words, boost, fold_pattern(pattern))

    def fuzzy_query(
        self, fieldname: str, text: str, maxdist: int, prefix: int, boost: float
    ) -> query.Query:
        """``word~N/P``: the indexed terms of the words of the texts within N edits of
        ``word`` (respelled British, as the analyzer would) sharing its first P letters."""
        if fieldname not in TEXT_FIELDS:
            q = self.term_query(fieldname, text, query.FuzzyTerm, boost)
            if isinstance(q, query.FuzzyTerm):
                q.maxdist, q.prefixlength = maxdist, prefix
            return q
        words = expand_fuzzy(self._vocabulary(), text, maxdist, prefix, self.index.lexicon)
        if not words:
            return query.NullQuery
        key = words[0]
        return self._words_query(fieldname, words, boost, f"{key}~{maxdist}")

    def _words_query(
        self, fieldname: str, words: list[str], boost: float, label: str
    ) -> query.Query:
        """The own (unexpanded) indexed terms of ``words``, each a clause at ``boost``.

        Words found only in deleted documents are left out; no word at all gives a term
        that can match nothing, shown as ``label``."""
        vocab = self._vocabulary()
        terms: dict[str, None] = {}
        for word in words:
            if vocab.has_deletions and not vocab.frequency(word):
                continue
            for tok in self.analyzer(word, mode="query"):
                if not getattr(tok, "expansion", False):
                    terms.setdefault(tok.text)
        if not terms:
            return query.Term(fieldname, label, boost=boost)
        clauses = [query.Term(fieldname, t, boost=boost) for t in terms]
        return clauses[0] if len(clauses) == 1 else query.Or(clauses)

    def phrase_query(
        self, fieldname: str, text: str, slop: int, boost: float
    ) -> query.Query | None:
        if fieldname not in TEXT_FIELDS:
            return self.term_query(fieldname, text, query.Term, boost)
        groups = self._groups(text)
        if not groups:
            return None
        if len(groups) == 1:
            return self._alternatives(fieldname, groups[0], boost, text)
        if all(len(g) == 1 for g in groups):
            words = [g[0][0] for g in groups]
            return query.Phrase(fieldname, words, slop=slop, boost=boost)
        parts = [self._alternatives(fieldname, g, 1.0, text) for g in groups]
        return query.Sequence(parts, slop=slop, boost=boost)


_SYNTAX_CHARS = re.compile(r'["():^~*?\[\]{}]')
_OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_PLAIN_WORD = re.compile(r"[^\s\"():^~*?\[\]{}+\-]+")


@dataclass(frozen=True)
class _Edit:
    """A span of the query read as one unit: a multi-word lexicon term (``words`` holds its
    words, each still a word of the query), a quoted phrase (``quoted``; ``words``, when it
    has two or more, the words its fallback needs all of) or two words that also match
    closed up (``joined``)."""

    start: int
    end: int
    chunk: str
    words: tuple[str, ...] = ()
    joined: str | None = None
    quoted: bool = False

    def render(self, ranking: Ranking) -> str:
        if self.joined is not None:
            return f'("{self.chunk}" OR {self.joined})'
        if self.words and self.quoted:
            return f'("{self.chunk}" OR ({" AND ".join(self.words)}))'
        if self.words:
            return f'("{self.chunk}" OR {" OR ".join(self.words)})'
        return f'"{self.chunk}"'


def _readable_words(chunk: str, analyzer: Any) -> tuple[str, ...]:
    """The words of ``chunk`` that the analyzer reads as something (not stop words), when
    there are two or more; else none."""
    words = tuple(w for w in chunk.split() if any(True for _ in analyzer(w, mode="query")))
    return words if len(words) > 1 else ()


def _edits(text: str, index: CorpusIndex, ranking: Ranking) -> list[_Edit]:
    """The word groups of the unquoted parts of a query, in order.

    - A multi-word lexicon term ("Lib Dems", "postal vote") is one more way to match its
      span: as a quoted phrase, which the analyzer reads as its concept, or as its words,
      which stay words of the query (like a multi-word synonym in Lucene's query graph).
    - Two adjacent words whose closed-up form is in the index ("turn out" → turnout,
      "super casino" → supercasino) match either spelling.
    """
    quoted = _quoted_regions(text)

    def free(start: int, end: int) -> bool:
        chunk = text[start:end]
        return not (
            any(s < end and start < e for s, e in quoted)
            or _SYNTAX_CHARS.search(chunk)
            or _OPERATOR.search(chunk)
        )

    reader = index.searcher().reader()
    analyzer = index.schema["body"].analyzer

    edits: list[_Edit] = []
    for start, end in multiword_spans(text, index.lexicon):
        if (edits and start < edits[-1].end) or not free(start, end):
            continue
        chunk = text[start:end]
        edits.append(_Edit(start, end, chunk, _readable_words(chunk, analyzer)))

    taken = [(e.start, e.end) for e in edits]
    words = [m for m in _PLAIN_WORD.finditer(text) if free(m.start(), m.end())]
    for left, right in itertools.pairwise(words):
        if text[left.end() : right.start()].strip() or any(
            s < right.end() and left.start() < e for s, e in taken
        ):
            continue
        joined = [t.text for t in analyzer(left.group() + right.group(), mode="query")]
        if len(joined) != 1 or not _common_compound(reader, analyzer, left, right, joined[0]):
            continue
        pair = text[left.start() : right.end()]
        edits.append(
            _Edit(left.start(), right.end(), pair, joined=left.group() + right.group())
        )
        taken.append((left.start(), right.end()))
    return sorted(edits, key=lambda e: e.start)


def _prepare(
    text: str, index: CorpusIndex, ranking: Ranking, phrase_fallback: bool = False
) -> str:
    """The query with its word groups (see :func:`_edits`) written in Whoosh's syntax; with
    ``phrase_fallback``, its quoted phrases too (each ``("a b" OR (a AND b))``), as a plain
    query is built (see :func:`_direct_query`)."""
    edits = _edits(text, index, ranking)
    if phrase_fallback:
        analyzer = index.schema["body"].analyzer
        edits = sorted(edits + (_quoted_phrases(text, analyzer) or []), key=lambda e: e.start)
    out, last = [], 0
    for edit in edits:
        out.append(text[last : edit.start])
        out.append(edit.render(ranking))
        last = edit.end
    out.append(text[last:])
    return "".join(out)


#: characters Whoosh's parser reads as syntax; a query without them (and without operators or
#: words in single quotes) is built directly instead of parsed (see _direct_query)
_PARSER_CHARS = re.compile(r"""["():^~*?\[\]{}<>\\]""")


def _direct_query(
    parser: PoliticalQueryParser, text: str, index: CorpusIndex, ranking: Ranking
) -> query.Query | None:
    """The query Whoosh's parser would make of plain ``text`` (words and quoted phrases)
    and its word groups, built directly from the parser's own term and phrase methods; None
    if ``text`` is not plain enough to be sure of that (the tests compare the two on
    generated queries). Records the query's concepts in ``parser.concepts``.

    A quoted phrase of two or more words also matches the documents holding all its words
    (anywhere): its concept ranks the documents holding the phrase first (see
    :attr:`~corpus_search.engine.Concept.first`), then those holding all its words."""
    quoted = _quoted_phrases(text, parser.analyzer)
    if quoted is None:
        return None
    unquoted = list(text)
    for edit in quoted:
        unquoted[edit.start : edit.end] = " " * (edit.end - edit.start)
    tokens = "".join(unquoted).split()
    if (
        not text.split()
        or _PARSER_CHARS.search("".join(unquoted))
        or _OPERATOR.search(text)
        or any(t.startswith("'") or t.endswith("'") for t in tokens)
    ):
        return None
    boosts = parser.field_boosts
    parts: list[query.Query] = []

    def add(q: query.Query | None) -> None:
        if q is None or q is query.NullQuery:
            return
        if type(q) is query.Or and q.boost == 1.0:
            parts.extend(q.subqueries)
        else:
            parts.append(q)

    def word(w: str) -> None:
        for fieldname, fb in boosts:
            add(parser.term_query(fieldname, w, query.Term, boost=fb))

    def all_of(words: tuple[str, ...]) -> None:
        # like Whoosh's parser: each word the fields' queries in one group, the groups AND-ed
        groups = []
        for w in words:
            group = [parser.term_query(f, w, query.Term, boost=fb) for f, fb in boosts]
            groups.append(query.Or([g for g in group if g is not None]))
        add(query.And(groups))

    def phrase(chunk: str) -> None:
        for fieldname, fb in boosts:
            add(parser.phrase_query(fieldname, chunk, 1, fb))

    edits = sorted(_edits(text, index, ranking) + quoted, key=lambda e: e.start)
    for edit in edits:
        # a group that ends or starts inside a whitespace-separated word ("Party .'-") is
        # glued to the rest of that word in the parser's syntax: leave such text to it
        before = text[edit.start - 1] if edit.start else " "
        after = text[edit.end] if edit.end < len(text) else " "
        if not (before.isspace() and after.isspace()):
            return None
    concepts: dict[tuple[Any, ...], Concept] = {}

    def concept(label: str, alternatives: list[Alternative], **group: Any) -> None:
        if alternatives:
            c = Concept(tuple(alternatives), label, **group)
            concepts.setdefault((c.alternatives, c.part_of, c.together), c)

    last = 0
    for edit in edits:
        for w in text[last : edit.start].split():
            word(w)
            concept(w, parser.concept_alternatives(w))
        phrase(edit.chunk)
        alternatives = parser.concept_alternatives(edit.chunk)
        if edit.joined is not None:
            word(edit.joined)
            alternatives += parser.concept_alternatives(edit.joined)
        if not edit.words:
            concept(edit.chunk, alternatives)
            last = edit.end
            continue
        # a lexicon term typed or a phrase quoted is read two ways, as itself and as its
        # words, which share its place in the query
        if edit.quoted:
            all_of(edit.words)
        else:
            for w in edit.words:
                word(w)
        share = ranking.term_share
        concept(edit.chunk, alternatives, part_of=edit.chunk, weight=share, first=edit.quoted)
        # a word is never rarer than the whole it is part of (the texts may write the whole
        # in other words: "Liberal Democrats" for "Lib Dems")
        whole = [
            dataclasses.replace(a, weight=1.0, rarity_only=True)
            for a in alternatives if not a.weak
        ]
        for w in edit.words:
            concept(
                w, parser.concept_alternatives(w) + whole, part_of=edit.chunk,
                weight=(1 - share) / len(edit.words), together=edit.quoted,
            )
        last = edit.end
    for w in text[last:].split():
        word(w)
        concept(w, parser.concept_alternatives(w))
    parser.concepts = tuple(concepts.values())
    if not parts:
        return query.NullQuery
    return parts[0] if len(parts) == 1 else query.Or(parts)


def _quoted_phrases(text: str, analyzer: Any) -> list[_Edit] | None:
    """The double-quoted phrases of ``text`` as word groups, when each is closed, stands
    apart from its neighbours (space or the text's ends either side), has no slop and holds
    no other query syntax; else None (the parser reads such text)."""
    phrases = []
    for start, end in _quoted_regions(text):
        chunk = text[start + 1 : end - 1]
        closed = end - start >= 2 and text[end - 1] == '"'
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if (
            not closed
            or not chunk.strip()
            or _PARSER_CHARS.search(chunk)
            or not (before.isspace() and after.isspace())
        ):
            return None
        phrases.append(_Edit(start, end, chunk, _readable_words(chunk, analyzer), quoted=True))
    return phrases


def _common_compound(
    reader: Any, analyzer: Any, left: re.Match[str], right: re.Match[str], joined: str
) -> bool:
    """Is ``joined`` an established closed-up form of the two words, not a rare accident?

    "turnout" is common next to "turn" and "out"; "blairbrown" (once, in a URL-like string)
    is not a way of writing "Blair Brown".
    """
    freq = reader.doc_frequency("body", joined)
    if not freq:
        return False
    parts = [
        reader.doc_frequency("body", t.text)
        for word in (left.group(), right.group())
        for t in analyzer(word, mode="query")
    ]
    rarest = min((p for p in parts if p), default=0)
    return freq >= COMPOUND_SHARE * rarest


def _quoted_regions(text: str) -> list[tuple[int, int]]:
    regions, start = [], None
    for i, ch in enumerate(text):
        if ch == '"':
            if start is None:
                start = i
            else:
                regions.append((start, i + 1))
                start = None
    if start is not None:
        regions.append((start, len(text)))
    return regions


def build_query(
    index: CorpusIndex,
    text: str,
    *,
    fields: Iterable[str] = TEXT_FIELDS,
    ranking: Ranking = RANKING,
) -> tuple[query.Query, PoliticalQueryParser]:
    """Parse a user's query string into a Whoosh query (and the parser that read it)."""
    if not isinstance(text, str):
        raise QueryError(f"A query must be text, not {type(text).__name__}.")
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    if not cleaned:
        raise QueryError("The query is empty: type one or more words to search for.")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is {len(cleaned):,} characters long; the limit is {MAX_QUERY_CHARS:,}."
        )
    parser = _parser(index, tuple(fields), ranking)
    q = _direct_query(parser, cleaned, index, ranking)
    if q is None:
        try:
            q = parser.parse(_prepare(cleaned, index, ranking))
        except QueryError:  # ours (a pattern too broad): say so
            raise
        except Exception:  # Whoosh's parser can trip on odd syntax: read it as plain words
            q = None
    if q is None or _has_error(q):
        plain = " ".join(_PLAIN_WORD.findall(cleaned))
        try:
            q = parser.parse(_prepare(plain, index, ranking)) if plain else query.NullQuery
        except QueryError:
            raise
        except Exception as exc:
            raise QueryError(f"Could not understand the query {text!r}: {exc}") from None
    q = _exclude_negations(q.normalize())
    if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
        raise QueryError(
            f"The query {text!r} has nothing to search for: its words are all too common "
            "to be indexed (like 'the' or 'of'). Add a more specific word."
        )
    return q, parser


#: parsed queries kept per searcher (see :func:`_parsed_query`); the cache is emptied when full
QUERY_CACHE_SIZE = 512


def _parsed_query(
    index: CorpusIndex,
    searcher: Searcher,
    text: str,
    *,
    fields: tuple[str, ...] = TEXT_FIELDS,
    ranking: Ranking = RANKING,
) -> tuple[query.Query, PoliticalQueryParser]:
    """:func:`build_query`, remembered: a query asked again is not parsed again (nor its
    spelling checked again: :func:`search` keeps that in the same cache).

    Parsing is the largest share of a warm search (word groups, the analyzer, document
    frequencies for compounds). The cache belongs to ``searcher``, the one search uses: a
    searcher reads one generation of the index (its documents and the lexicon it was built
    with), and any change to the index (new documents, a rebuild with another lexicon) opens
    a new searcher with an empty cache, so a parse is never reused across generations. The
    key is the query text as given, the fields and the ranking; the parser's per-query state
    (the concepts the query read) is restored with the query.
    """
    cache = _query_cache(searcher)
    key = (text, fields, ranking)
    found = cache.get(key)
    if found is not None:
        q, concepts = found
        parser = _parser(index, fields, ranking)
        parser.concepts = concepts
        return q, parser
    q, parser = build_query(index, text, fields=fields, ranking=ranking)
    cache[key] = (q, parser.concepts)
    return q, parser


def _query_cache(searcher: Searcher) -> dict[Any, Any]:
    """The parsed queries and spelling checks kept on ``searcher`` (see :func:`_parsed_query`)."""
    cache = searcher.__dict__.get("_corpus_search_queries")
    if cache is None:
        cache = searcher.__dict__["_corpus_search_queries"] = {}
    if len(cache) >= QUERY_CACHE_SIZE:
        cache.clear()
    return cache


def _exclude_negations(q: query.Query) -> query.Query:
    """Read ``a b NOT c`` as "a or b, but not c".

    Words are grouped with OR, so Whoosh's parser makes ``Or([a, b, Not(c)])``: every
    document without c matches. A NOT inside an OR or AND group excludes from the whole
    group (``a AND NOT c`` likewise becomes "a but not c", scored by a alone).
    """
    if q.is_leaf():
        return q
    q = q.apply(_exclude_negations)
    if type(q) not in (query.Or, query.And):
        return q
    negated = [s.query for s in q.subqueries if isinstance(s, query.Not)]
    if not negated:
        return q
    kept = [s for s in q.subqueries if not isinstance(s, query.Not)]
    if not kept:
        return q
    positive = kept[0] if len(kept) == 1 else type(q)(kept, boost=q.boost)
    excluded = negated[0] if len(negated) == 1 else query.Or(negated)
    return query.AndNot(positive, excluded)


def _parser(index: CorpusIndex, fields: tuple[str, ...], ranking: Ranking) -> PoliticalQueryParser:
    """A parser for this index, fields and ranking, built once (building one costs ~1 ms)."""
    cache = index.__dict__.setdefault("_parsers", {})
    parser = cache.get((fields, ranking))
    if parser is None:
        parser = cache[(fields, ranking)] = PoliticalQueryParser(index, fields, ranking)
    parser.readings = []
    parser._group_memo = {}
    parser.concepts = None
    return parser


def _has_error(q: query.Query) -> bool:
    return any(getattr(node, "error", None) for node in _walk(q))


def _walk(q: query.Query) -> Iterable[query.Query]:
    yield q
    if not q.is_leaf():
        for child in q.children():
            yield from _walk(child)


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """Passages of a document around the matched words.

    ``fragments`` is a list of passages, each a list of ``(text, matched)`` pieces; render it
    as :attr:`plain` text (matches in ``**double asterisks**``), :attr:`ansi` (bold yellow on a
    terminal) or :attr:`html` (document text escaped, matches in ``<mark>``).
    """

    fragments: tuple[tuple[tuple[str, bool], ...], ...]
    separator: str = " … "

    def _render(self, text_fn: Callable[[str], str], mark_fn: Callable[[str], str]) -> str:
        return self.separator.join(
            "".join(mark_fn(t) if m else text_fn(t) for t, m in frag) for frag in self.fragments
        )

    @property
    def plain(self) -> str:
        return self._render(_squash, lambda t: f"**{_squash(t)}**")

    @property
    def ansi(self) -> str:
        """For a terminal: matches in bold yellow, and no control character or bidirectional
        override of the document's (see :mod:`corpus_search.terminal`)."""
        def text(t: str) -> str:
            return strip_unprintable(_squash(t))

        return self._render(text, lambda t: f"\x1b[1;33m{text(t)}\x1b[0m")

    @property
    def html(self) -> str:
        return self._render(
            lambda t: html.escape(_squash(t)), lambda t: f"<mark>{html.escape(_squash(t))}</mark>"
        )

    @property
    def matches(self) -> list[str]:
        return [t for frag in self.fragments for t, m in frag if m]

    def __str__(self) -> str:
        return self.plain


_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


class _SegmentFormatter(highlight.Formatter):
    """A Whoosh formatter that returns structured pieces instead of marked-up text."""

    def format_fragment(self, fragment: Any, replace: bool = False) -> tuple[tuple[str, bool], ...]:
        pieces: list[tuple[str, bool]] = []
        index = fragment.startchar
        text = fragment.text
        for tok in sorted(fragment.matches, key=lambda t: (t.startchar, -t.endchar)):
            if tok.startchar is None or tok.startchar < index:
                continue
            if tok.startchar > index:
                pieces.append((text[index : tok.startchar], False))
            pieces.append((text[tok.startchar : tok.endchar], True))
            index = tok.endchar
        if index < fragment.endchar:
            pieces.append((text[index : fragment.endchar], False))
        return tuple(pieces)

    def format(self, fragments: list[Any], replace: bool = False) -> Any:
        return tuple(self.format_fragment(f) for f in fragments)


@dataclass
class Hit:
    """One search result.

    ``score`` is the relevance score (also when sorted by date), or ``None`` when browsing
    with no query (``"*"``), where there is no relevance. ``date_source`` says where the date
    came from (see docs/ingest.md).
    """

    id: str
    title: str
    score: float | None
    rank: int
    date: dt.date | None = None
    source: str | None = None
    parties: list[str] = field(default_factory=list)
    url: str | None = None
    snippet: Snippet | None = None
    date_source: str | None = None

    @classmethod
    def from_stored(
        cls,
        fields: dict[str, Any],
        rank: int = 0,
        score: float | None = None,
        snippet: Snippet | None = None,
    ) -> Hit:
        """The hit for a document's stored fields (one reading of them for search, browsing
        and ``CorpusIndex.describe``)."""
        date = fields.get("date")
        return cls(
            id=fields["id"],
            title=fields.get("title", ""),
            score=float(score) if score is not None else None,
            rank=rank,
            date=date.date() if isinstance(date, dt.datetime) else None,
            source=fields.get("source") or None,
            parties=[p for p in (fields.get("party") or "").split(",") if p],
            url=fields.get("url") or None,
            snippet=snippet,
            date_source=fields.get("date_source") or None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rank": self.rank,
            "title": self.title,
            "score": round(self.score, 4) if self.score is not None else None,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "source": self.source,
            "parties": list(self.parties),
            "url": self.url,
            "snippet": self.snippet.plain if self.snippet else None,
            "snippet_html": self.snippet.html if self.snippet else None,
        }


@dataclass
class SearchResults:
    """The outcome of a search: a page of hits plus totals, facets and a suggestion."""

    query: str
    page: int
    limit: int
    hits: list[Hit]
    #: the query with its misspelled words corrected, in the user's words and case
    suggestion: str | None = None
    #: whether the corrections are searched too (a corrected word was in no document)
    suggestion_applied: bool = False
    #: typed words no document holds and that were not corrected (acronyms among them)
    not_found: list[str] = field(default_factory=list)
    _count: Callable[[], int] | None = field(default=None, repr=False)
    _parsed: Callable[[], str] | None = field(default=None, repr=False)
    _facets: Callable[[], dict[str, dict[str, int]]] | None = field(default=None, repr=False)
    _undated: Callable[[], int] | None = field(default=None, repr=False)
    _phrase_count: Callable[[], int] | None = field(default=None, repr=False)

    @cached_property
    def total(self) -> int:
        """How many documents match (counted on first use: counting costs a second pass)."""
        return self._count() if self._count else len(self.hits)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit)) if self.limit else 1

    @cached_property
    def parsed_query(self) -> str:
        """The query as the engine understood it, after analysis."""
        return self._parsed() if self._parsed else ""

    @cached_property
    def facets(self) -> dict[str, dict[str, int]]:
        """Counts of all matching documents by ``source``, ``party`` and ``year``."""
        return self._facets() if self._facets else {"source": {}, "party": {}, "year": {}}

    @cached_property
    def undated_left_out(self) -> int | None:
        """How many documents matched but were left out by the date range for having no date;
        ``None`` when no date range left any out for that reason (none set, or
        ``include_undated``)."""
        return self._undated() if self._undated else None

    @cached_property
    def phrase_matches(self) -> int | None:
        """How many matches hold every quoted phrase of the query: the first that many in
        the ranking (the documents holding all the words of a phrase, not as the phrase,
        follow them); ``None`` for a query that quotes no phrase of two or more words, or
        whose syntax makes its phrases strict (operators, fields, slop)."""
        return self._phrase_count() if self._phrase_count else None

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Any:
        return iter(self.hits)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON schema (see docs/user-guide.md, "JSON output")."""
        return {
            "schema": "corpus-search/results/v1",
            "query": self.query,
            "parsed_query": self.parsed_query,
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "limit": self.limit,
            "suggestion": self.suggestion,
            "suggestion_applied": self.suggestion_applied,
            "not_found": list(self.not_found),
            "undated_left_out": self.undated_left_out,
            "phrase_matches": self.phrase_matches,
            "facets": self.facets,
            "hits": [h.to_dict() for h in self.hits],
        }

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON; control characters and bidirectional overrides from the
        documents are ``\\uXXXX`` escapes (see :func:`corpus_search.terminal.json_dumps`)."""
        return json_dumps(self.to_dict(), **kwargs)


# -- searching ------------------------------------------------------------------------------


def search(
    index: CorpusIndex,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    filters: SearchFilters | dict[str, Any] | None = None,
    sort: str = "relevance",
    highlight: bool = True,
    ranking: Ranking = RANKING,
    correct: bool = True,
) -> SearchResults:
    """Run ``text`` against ``index`` and return one page of ranked results.

    ``filters`` restricts by party, source or date; ``sort`` is ``"relevance"`` or ``"date"``
    (newest first, undated documents last); ``highlight`` adds snippets with the matched words
    marked. A query Whoosh cannot parse is read as plain words. ``"*"`` (or an empty query with
    filters) browses: every document the filters keep, newest first, with no score. An empty
    query without filters raises :class:`QueryError`.

    A word no document holds is corrected (``results.suggestion``) and, unless ``correct``
    is False, its correction is searched too (``results.suggestion_applied``); words found
    nowhere and not corrected are in ``results.not_found``.
    """
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}, not {limit!r}.")
    if not isinstance(page, int) or page < 1:
        raise QueryError(f"page must be a whole number from 1 up, not {page!r}.")
    if sort not in ("relevance", "date"):
        raise QueryError(f"sort must be 'relevance' or 'date', not {sort!r}.")
    flt = SearchFilters.coerce(filters)
    if _is_browse(text, flt):
        return _browse(index, flt, limit=limit, page=page, highlight=highlight, ranking=ranking)
    with query_budget(QUERY_TIME_LIMIT), index.guard():
        searcher = index.searcher(ranking)
        q, parser = _parsed_query(index, searcher, text, ranking=ranking)
        cache = _query_cache(searcher)  # the spelling check of the same query: kept with it
        spelling = cache.get(("spelling", text, ranking, correct))
        if spelling is None:
            spelling = _check_spelling(searcher, parser, q, text, ranking, apply=correct)
            cache["spelling", text, ranking, correct] = spelling
        q = spelling.rewrite(q)
        filter_q = flt.to_query(index)
        start = (page - 1) * limit
        concepts = _with_corrections(parser.concepts, q)
        fields = ranking.field_boosts(f for f, _ in parser.field_boosts)
        request = _Request(searcher, q, filter_q, sort, start, limit, concepts, fields, ranking)
        try:
            page_hits, count, facets, phrase_count = _search_arrays(request)
        except Unsupported:
            page_hits, count, facets = _search_whoosh(index, request)
            phrase_count = None
        undated = _undated_counter(index, q, flt.undated_query(index), ranking)
        words = _highlight_words(searcher, q, ranking) if highlight else None
        hits = [
            _hit(searcher, docnum, start + n + 1, score, words)
            for n, (docnum, score) in enumerate(page_hits)
        ]

    def parsed() -> str:
        body_q, _ = build_query(index, text, fields=("body",), ranking=ranking)
        return _render(spelling.rewrite(body_q))

    return SearchResults(
        query=text, page=page, limit=limit, hits=hits,
        suggestion=spelling.suggestion, suggestion_applied=spelling.applied,
        not_found=list(spelling.not_found), _count=_budgeted(count), _parsed=_budgeted(parsed),
        _facets=_budgeted(facets), _undated=_budgeted(undated),
        _phrase_count=_budgeted(phrase_count),
    )


_T = TypeVar("_T")


def _budgeted(fn: Callable[[], _T] | None) -> Callable[[], _T] | None:
    """``fn``, run (when a result's total or facets are first asked for) with a time budget
    of its own: :data:`QUERY_TIME_LIMIT`, read then."""
    if fn is None:
        return None

    def run() -> _T:
        with query_budget(QUERY_TIME_LIMIT):
            return fn()

    return run


# -- browsing and the date filter's report --------------------------------------------------


def _is_browse(text: object, flt: SearchFilters) -> bool:
    """``"*"``, or no query but filters: list documents rather than rank them."""
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    return stripped == "*" or (not stripped and not flt.is_empty())


def _browse(
    index: CorpusIndex,
    flt: SearchFilters,
    *,
    limit: int,
    page: int,
    highlight: bool,
    ranking: Ranking,
) -> SearchResults:
    """Every document the filters keep, newest first, undated last (then in index order).

    There is no query, so there is no relevance: hits have no score and snippets show the
    opening of each document."""
    start = (page - 1) * limit
    with index.guard():
        searcher = index.searcher(ranking)
        engine = _engine(searcher, ranking)
        filter_q = flt.to_query(index)
        undated_q = flt.undated_query(index)
        live = engine.docs(query.Every())
        mask = live & engine.docs(filter_q) if filter_q is not None else live
        undated = None if undated_q is None else int((live & engine.docs(undated_q)).sum())
        docs = np.flatnonzero(mask)
        shown = docs[np.lexsort((docs, -engine.sort_key("date")[docs]))][start : start + limit]
        words = frozenset() if highlight else None
        hits = [
            _hit(searcher, docnum, start + n + 1, None, words)
            for n, docnum in enumerate(shown.tolist())
        ]
    total = int(mask.sum())
    return SearchResults(
        query="*", page=page, limit=limit, hits=hits,
        _count=lambda: total, _parsed=lambda: "*",
        _facets=lambda: engine.facet_counts(mask, FACET_FIELDS),
        _undated=(lambda: undated) if undated is not None else None,
    )


def _undated_counter(
    index: CorpusIndex, q: query.Query, undated_q: query.Query | None, ranking: Ranking
) -> Callable[[], int] | None:
    """Counts, on demand, the documents matching ``q`` that the date range left out for
    having no date; ``None`` when it left none out for that reason."""
    if undated_q is None:
        return None

    def count() -> int:
        with index.guard():
            searcher = index.searcher(ranking)
            engine = _engine(searcher, ranking)
            try:
                return int((engine.evaluate(q).mask & engine.docs(undated_q)).sum())
            except Unsupported:
                return len(searcher.search(q, filter=undated_q, limit=1))

    return count


Ranked = list[tuple[int, float]]
#: a page of (document number, score), the total, the facets (the last two computed on use)
Page = tuple[Ranked, Callable[[], int], Callable[[], dict[str, dict[str, int]]]]
#: a Page and how many matches hold every quoted phrase, computed on use (None: no phrase
#: fell back to its words)
PhrasePage = tuple[
    Ranked, Callable[[], int], Callable[[], dict[str, dict[str, int]]], Callable[[], int] | None
]


@dataclass(frozen=True)
class _Request:
    """One page of one parsed query, as both search paths take it."""

    searcher: Searcher
    q: query.Query
    filter_q: query.Query | None
    sort: str
    start: int
    limit: int
    #: the query's concepts when it is plain words (ranked by coverage and proximity), else None
    concepts: tuple[Concept, ...] | None
    #: (field, boost) of the fields searched
    fields: tuple[tuple[str, float], ...]
    ranking: Ranking

    @property
    def reranked(self) -> bool:
        return (
            self.sort == "relevance"
            and self.concepts is not None
            and len(self.concepts) > 1
            and self.ranking.proximity_boost > 0
        )

    @property
    def depth(self) -> int:
        """How many top hits to fetch: the page, or all the proximity bonus re-ranks."""
        end = self.start + self.limit
        return max(end, RERANK_DEPTH) if self.reranked else end


def _search_arrays(req: _Request) -> PhrasePage:
    """One page of hits, the count, the facets and the count of exact phrase matches, from
    :class:`QueryEngine` arrays.

    A plain query is ranked by its concepts (:meth:`QueryEngine.score_concepts`, then the
    proximity bonus on the top :data:`RERANK_DEPTH`); any other by the BM25F of its query
    tree. Raises :class:`Unsupported` for a query it cannot evaluate (Whoosh runs those).
    """
    engine = _engine(req.searcher, req.ranking)
    idf: list[float] = []
    tier = None
    if req.concepts is not None:
        scored = engine.score_concepts(req.concepts, req.fields, req.ranking.coverage)
        match, idf, tier = scored.match, scored.idf, scored.tier
    else:
        match = engine.evaluate(req.q)
    if req.filter_q is not None:
        match.mask &= engine.docs(req.filter_q)
    total = int(match.mask.sum())
    order = engine.sort_key("date") if req.sort == "date" else None
    docs, scores = engine.top(match, req.depth, order=order, tier=tier)
    if req.reranked and len(docs) > 1:
        assert req.concepts is not None
        fields = [(f, boost) for f, boost in req.fields if f in PROXIMITY_FIELDS]
        boost = req.ranking.proximity_boost
        # only documents within the largest possible bonus of the page's last score can
        # move into the page: the bonus is computed for those (at most RERANK_DEPTH; all of
        # those when a quoted phrase orders the documents by tier first)
        end = req.start + req.limit
        n = min(len(docs), RERANK_DEPTH)
        if n > end and tier is None:
            floor = scores[end - 1] - boost * engine.proximity_bound(req.concepts, idf, fields)
            n = max(end, int(np.searchsorted(-scores[:n], -floor, side="right")))
        extra = engine.proximity(req.concepts, idf, docs[:n], fields, req.ranking.proximity_slop)
        tiers = tier[docs[:n]] if tier is not None else None
        docs, scores = _rerank(docs, scores, extra * boost, tiers)
    page = slice(req.start, req.start + req.limit)
    ranked = list(zip(docs[page].tolist(), scores[page].tolist(), strict=True))
    mask = match.mask
    if tier is None:
        return ranked, lambda: total, lambda: engine.facet_counts(mask, FACET_FIELDS), None
    exact = 2 * sum(c.first for c in req.concepts or ())  # the tier of every phrase held

    def phrase_count() -> int:
        return int((mask & (tier == exact)).sum())

    return ranked, lambda: total, lambda: engine.facet_counts(mask, FACET_FIELDS), phrase_count


def _rerank(docs: Any, scores: Any, extra: Any, tiers: Any = None) -> tuple[Any, Any]:
    """Add ``extra`` to the scores of the first ``len(extra)`` hits and re-sort those (ties
    keep their order), within their ``tiers`` when given. The bonus is never negative, so
    they stay above the rest."""
    n = len(extra)
    new = scores[:n] + extra
    keys = (np.arange(n), -new) if tiers is None else (np.arange(n), -new, -tiers)
    order = np.lexsort(keys)
    return (
        np.concatenate([docs[:n][order], docs[n:]]),
        np.concatenate([new[order], scores[n:]]),
    )


def _with_corrections(
    concepts: tuple[Concept, ...] | None, q: query.Query
) -> tuple[Concept, ...] | None:
    """``concepts`` with the text-field terms of ``q`` they lack (spelling corrections):
    each joins the concept of a term beside it in the same ``Or`` (weighted by its boost
    relative to that term's), or else becomes a concept of its own."""
    if concepts is None:
        return None
    singles = [
        (i, a) for i, c in enumerate(concepts) for a in c.alternatives
        if len(a.slots) == 1 and not a.rarity_only
    ]
    owner = {a.slots[0][0]: i for i, a in singles}
    weight_of = {a.slots[0][0]: a.weight for _, a in singles}
    extra: dict[int, list[Alternative]] = {}
    alone: dict[str, float] = {}
    for node in _walk(q):
        if not isinstance(node, query.Or):
            continue
        terms = [
            t for t in node.subqueries
            if isinstance(t, query.Term) and t.fieldname in TEXT_FIELDS
        ]
        known = [t for t in terms if t.text in owner]
        for t in terms:
            if t.text in owner:
                continue
            if known:
                k = known[0]
                weight = weight_of[k.text] * (t.boost / k.boost if k.boost else 1.0)
                extra.setdefault(owner[k.text], []).append(Alternative.term(t.text, weight))
            else:
                alone.setdefault(t.text, 1.0)
            owner.setdefault(t.text, owner[k.text] if known else -1)
    for leaf in q.leaves():
        if (
            isinstance(leaf, query.Term)
            and leaf.fieldname in TEXT_FIELDS
            and leaf.text not in owner
        ):
            alone.setdefault(leaf.text, 1.0)
    if not extra and not alone:
        return concepts
    out = [
        dataclasses.replace(c, alternatives=c.alternatives + tuple(dict.fromkeys(extra.get(i, ()))))
        for i, c in enumerate(concepts)
    ]
    out += [Concept((Alternative.term(text, w),), text) for text, w in alone.items()]
    return tuple(out)


def _search_whoosh(index: CorpusIndex, req: _Request) -> Page:
    """The same through Whoosh's own searcher, for queries the engine does not evaluate,
    ranked by Whoosh's BM25F of the query tree. A plain query (one with concepts) never
    comes here: every node it is built of is one the engine evaluates (the tests check it
    on generated queries)."""
    q, filter_q, ranking = req.q, req.filter_q, req.ranking
    kwargs: dict[str, Any] = {"filter": filter_q}
    # by date: every match with its relevance score, ordered as the engine orders them (Whoosh's
    # sorted search reports the sort key as the score, and puts undated documents first)
    depth = None if req.sort == "date" else req.depth
    results = _whoosh_search(req.searcher, q, limit=depth, **kwargs)
    ranked = [(results[i].docnum, results[i].score or 0.0) for i in range(results.scored_length())]
    if req.sort == "date":
        key = _engine(req.searcher, ranking).sort_key("date")
        ranked.sort(key=lambda pair: (-int(key[pair[0]]), -pair[1], pair[0]))

    def count() -> int:
        with index.guard():
            try:
                return len(results)
            except Exception:  # the index changed and that searcher closed: count afresh
                return len(_whoosh_search(index.searcher(ranking), q, filter=filter_q, limit=1))

    def facets() -> dict[str, dict[str, int]]:
        from corpus_search.index import facet_counts

        with index.guard():
            return facet_counts(index.searcher(ranking), q, filter_q)

    return ranked[req.start : req.start + req.limit], count, facets


#: Whoosh's own searcher checks the time budget once every this many documents it collects
_BUDGET_EVERY = 256


def _whoosh_search(searcher: Searcher, q: query.Query, **kwargs: Any) -> Any:
    """``searcher.search(q, **kwargs)`` within the running query's time budget: the matches
    the innermost collector reads are counted, and the budget checked every
    :data:`_BUDGET_EVERY` (Whoosh's ``TimeLimitCollector`` needs a timer thread or SIGALRM,
    and wrapping the outermost collector would skip the filter's)."""
    collector = searcher.collector(**kwargs)
    inner = collector
    while isinstance(inner, collectors.WrappingCollector):
        inner = inner.child
    matches = inner.matches

    def budgeted() -> Iterator[int]:
        for n, sub_docnum in enumerate(matches()):
            if not n % _BUDGET_EVERY:
                check_budget()
            yield sub_docnum

    inner.matches = budgeted
    searcher.search_with_collector(q, collector)
    return collector.results()


def _engine(searcher: Searcher, ranking: Ranking) -> QueryEngine:
    return engine_for(searcher, ranking.k1, ranking.b, {"title": ranking.title_b})


def _highlight_words(searcher: Searcher, q: query.Query, ranking: Ranking) -> frozenset[str]:
    """The body-field words of ``q`` (wildcards and fuzzy terms expanded) to mark in snippets.

    Multi-term queries expand through the engine, so the marked words are the matched ones
    (Whoosh's fuzzy walk finds others). (Whoosh's own ``Query.existing_terms`` reuses its
    ``fieldname`` argument as a loop variable and so drops every field but the first.)
    """
    reader = searcher.reader()
    field = searcher.schema["body"]
    words = set()
    for leaf in q.leaves():
        if leaf.field() != "body":
            continue
        if isinstance(leaf, query.MultiTerm) and not isinstance(leaf, query.Variations):
            words.update(field.from_bytes(b) for b in _engine(searcher, ranking).expand(leaf))
            continue
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname != "body":
                continue
            btext = text if isinstance(text, bytes) else field.to_bytes(text)
            if (fieldname, btext) in reader:
                words.add(field.from_bytes(btext))
    return frozenset(words)


#: passages of at most 220 characters around the marked words, built from the marks alone
_HIGHLIGHTER = highlight.Highlighter(
    fragmenter=highlight.PinpointFragmenter(maxchars=220, surround=70, autotrim=True),
    formatter=None,
)


def _marks(analyzer: Any, text: str, words: frozenset[str]) -> list[Token]:
    """Tokens of ``text`` whose terms are among ``words``, one per start (the longest),
    as Whoosh's highlighter marks them. The analyzer's ``matching_tokens`` finds them
    without running every word through the token pipeline."""
    if hasattr(analyzer, "matching_tokens"):
        found = analyzer.matching_tokens(text, words)
    else:
        found = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in analyzer(text, positions=True, chars=True, mode="index", removestops=False)
            if t.text in words
        ]
    longest: dict[int, tuple[str, int, int, int]] = {}
    for item in found:
        kept = longest.get(item[2])
        if kept is None or item[3] > kept[3]:
            longest[item[2]] = item
    return [
        Token(text=w, pos=pos, startchar=start, endchar=end, matched=True, boost=1.0)
        for w, pos, start, end in sorted(longest.values(), key=lambda item: item[2])
    ]


def _snippet(searcher: Searcher, text: str, words: frozenset[str]) -> Snippet:
    """Up to two passages of ``text`` around the ``words``, as Whoosh's highlighter picks them.

    Falls back to the opening of the text when no word matches.
    """
    pieces: Any = ()
    if words:
        try:
            marks = _marks(searcher.schema["body"].analyzer, text, words)
            fragments = _HIGHLIGHTER.fragmenter.fragment_matches(text, marks)
            fragments = highlight.top_fragments(
                fragments, 2, _HIGHLIGHTER.scorer, _HIGHLIGHTER.order, minscore=1
            )
            pieces = _SegmentFormatter().format(fragments)
        except Exception:  # a snippet is a nicety: never fail a search over one
            pieces = ()
    if not pieces:
        lead = _squash(text)[:220].rsplit(" ", 1)[0]
        pieces = (((lead, False),),) if lead else ()
    return Snippet(tuple(pieces))


def _hit(
    searcher: Searcher,
    docnum: int,
    rank: int,
    score: float | None,
    words: frozenset[str] | None,
) -> Hit:
    check_budget()
    snippet = (
        _snippet(searcher, document_body(searcher, docnum), words) if words is not None else None
    )
    return Hit.from_stored(searcher.stored_fields(docnum), rank, score, snippet)


@dataclass(frozen=True)
class _Spelling:
    """What spelling help made of a query: the suggestion in the user's words, whether its
    corrections are searched too, the typed words no document holds, and the corrections
    (typed term -> [(replacement term, weight)]) to add to the query."""

    suggestion: str | None = None
    applied: bool = False
    not_found: tuple[str, ...] = ()
    replacements: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def rewrite(self, q: query.Query | None) -> query.Query | None:
        """``q`` with each corrected term also matching its replacements."""
        if q is None or not self.replacements:
            return q
        replacements = self.replacements

        def alternatives(fieldname: str, text: str, boost: float) -> query.Query:
            extra = [
                query.Term(fieldname, t, boost=boost * w) for t, w in replacements[text]
            ]
            return query.Or([query.Term(fieldname, text, boost=boost), *extra])

        def expand(node: query.Query) -> query.Query:
            if isinstance(node, query.Term) and node.fieldname in TEXT_FIELDS:
                if node.text in replacements:
                    return alternatives(node.fieldname, node.text, node.boost)
                return node
            if isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
                if not any(w in replacements for w in node.words):
                    return node
                parts = [
                    alternatives(node.fieldname, w, 1.0) if w in replacements
                    else query.Term(node.fieldname, w)
                    for w in node.words
                ]
                return query.Sequence(parts, slop=node.slop, boost=node.boost)
            return node if node.is_leaf() else node.apply(expand)

        return expand(q)


def _typed_words(
    parser: PoliticalQueryParser, q: query.Query, text: str
) -> list[re.Match[str]]:
    """The words of ``text`` that became terms or phrase words of ``q``, in order: not
    operators, field names, wildcard or fuzzy terms, nor words of a multi-word lexicon term
    ("Lib" of "Lib Dems", which the lexicon knows whatever the index holds)."""
    read = set()
    for node in _walk(q):
        if isinstance(node, query.Term) and node.fieldname in TEXT_FIELDS:
            read.add(node.text)
        elif isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
            read.update(node.words)
    spans = multiword_spans(text, parser.index.lexicon)
    out = []
    for m in WORD_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before in ("*", "?") or after in ("*", "?", "~"):
            continue
        own = {t.text for t in parser.analyzer(m.group(), mode="query")
               if not getattr(t, "expansion", False)}
        if own & read:
            out.append(m)
    return out


def _documents_holding(searcher: Searcher, analyzer: Any, word: str) -> int:
    """How many documents hold the most widely held of ``word``'s own terms (not the
    lexicon's expansions), in any text field."""
    terms = [t.text for t in analyzer(word, mode="query") if not getattr(t, "expansion", False)]
    return max(
        (searcher.doc_frequency(f, t) for f in TEXT_FIELDS for t in terms), default=0
    )


def _check_spelling(
    searcher: Searcher, parser: PoliticalQueryParser, q: query.Query, text: str,
    ranking: Ranking, apply: bool,
) -> _Spelling:
    """Spelling help for the words of ``text`` (see :func:`corpus_search.spelling.correct_word`).

    A word the lexicon knows is left alone; one shaped like an acronym is never corrected,
    only reported when no document holds it. A word no document holds is corrected and,
    with ``apply``, its correction searched too; a rare word with a far likelier spelling
    gets that spelling suggested only.
    """
    vocab = vocabulary(_engine(searcher, ranking))
    analyzer = parser.analyzer
    typed = _typed_words(parser, q, text)
    checked: dict[str, int] = {}  # word -> documents holding it
    questioned: list[str] = []
    not_found: list[str] = []
    for m in typed:
        word = m.group()
        if word in checked or lexicon_knows(word, analyzer):
            continue
        surface, key = normalise_word(word)
        if any(c.isdigit() for c in word):
            # the vocabulary leaves out words with digits ("80m", "2005"): ask the index
            docs = checked[word] = _documents_holding(searcher, analyzer, word)
        else:
            docs = checked[word] = vocab.frequency(key, surface)
        if is_acronym_shaped(word):
            if not docs:
                not_found.append(word)
        elif docs <= vocab.rare_limit:
            questioned.append(word)
    if not questioned:
        return _Spelling(not_found=tuple(not_found))

    corrections: dict[str, Correction] = {}
    for word in questioned:
        check_budget()
        context = None  # the documents holding all the other words the index holds
        for other, n in checked.items():
            if n and other != word:
                docs = vocab.docs(normalise_word(other)[1])
                context = docs if context is None else np.intersect1d(context, docs)
        found = correct_word(vocab, word, context)
        if found is not None:
            corrections[word] = found
        elif not checked[word]:
            not_found.append(word)
    if not corrections:
        return _Spelling(not_found=tuple(not_found))

    out, last = [], 0
    for m in typed:
        if m.group() in corrections:
            out += (text[last : m.start()], corrections[m.group()].replacement)
            last = m.end()
    out.append(text[last:])
    replacements: dict[str, list[tuple[str, float]]] = {}
    for c in corrections.values():
        if not c.missing:
            continue
        not_found.append(c.word)  # searched for its correction, but still in no document
        if not apply:
            continue
        alts = [
            (t.text, ranking.expansion_weight if getattr(t, "expansion", False) else 1.0)
            for t in analyzer(c.replacement, mode="query")
        ]
        for t in analyzer(c.word, mode="query"):
            if not getattr(t, "expansion", False):
                replacements.setdefault(t.text, []).extend(
                    (alt, w * ranking.fuzzy_weight) for alt, w in alts if alt != t.text
                )
    return _Spelling(
        suggestion="".join(out),
        applied=apply and any(c.missing for c in corrections.values()),
        not_found=tuple(not_found),
        replacements=replacements,
    )


def _render(q: query.Query) -> str:
    """A compact, readable form of a body-only query."""
    text = str(q)
    text = text.replace("body:", "")
    return re.sub(r"\^1\.0\b", "", text)


def similar(index: CorpusIndex, doc_id: str, *, limit: int = 10) -> SearchResults:
    """Documents most like ``doc_id``, by the key terms of its title and body."""
    with index.guard():
        searcher = index.searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            raise DocumentNotFoundError(f"No document with id {doc_id!r} in {index.path}.")
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('title', '')}\n{document_body(searcher, docnum)}"
        results = searcher.more_like(
            docnum, "body", text=text, top=limit, numterms=25, normalize=True
        )
        hits = [_hit(searcher, h.docnum, n, h.score or 0.0, None) for n, h in enumerate(results, 1)]
    return SearchResults(query=f"similar:{doc_id}", page=1, limit=limit, hits=hits)
