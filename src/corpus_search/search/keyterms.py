"""Key terms (keyness): the words that set the documents a query matches apart from the rest
of the index, such as "Kennedy", "Ming" and "Cable" for the Liberal Democrats' coverage, or
from the documents another query matches (``against``: the Conservatives' coverage beside
Labour's, or ``"*"`` for the other documents the filters keep).

Each word is counted in documents, not occurrences, so one speech repeating a word forty
times weighs what any other document holding it once does. For a word held by ``a`` of the
``n1`` matching documents and ``b`` of the ``n2`` others, the words are ranked by Dunning's
log-likelihood ratio (G2) of that two-by-two table, the keyness statistic of corpus
linguistics (Dunning 1993; Rayson and Garside 2000), among the words more common among the
matches than elsewhere (``a/n1 > b/n2``). A word must stand in :data:`MIN_DOCUMENTS` of the
matches and reach :data:`MIN_LOG_LIKELIHOOD` (p < 0.001: thousands of words are tested at
once, so the usual 3.84 of p < 0.05 lets chance through). Beside it is its log ratio
(Hardie 2014), the effect size: the binary log of how many times more common it is among the
matches (a word in no other document counts as if in half of one).

The words are those the ``words`` field holds (:mod:`corpus_search.analysis.surface`): as
written, folded as the analyzer folds them, without stop words, numbers, or words that carry
no topic (:data:`~corpus_search.search.alike.NO_TOPIC`: "him", "Mr"). Each is shown in its
commonest form among the matches ("Blair", "NHS", "tuition"). A lexicon concept whose
forms are all of several words, or that several words name, is one row of its own, counted
by the index's terms for it and named as everywhere else
(:func:`~.concept_names.concept_name`), its words left out where they stand nearly only
inside its terms, whether or not it is a row (:func:`_concept_rows`): "Liberal Democrat",
not Lib, Dem, Dems, Democrats, Democrat and Liberal; "Conservative", not Tories, Tory and
Conservatives too. Against another query, the
matching documents' and ``against``'s titles and bodies are read for the words they hold, as
the ``words`` field was made of them. Against the rest of the index, the index's term
dictionary says how many documents hold each form of a word (deleted documents not yet merged
away included; summed by word once per generation of the index and kept in the cache folder
with each concept's documents, :mod:`~.keyterm_tables`), so only the texts of the fewer side
are read, with the deleted documents': the matches' (the others' counts are what the matches
and the deleted leave), or, when most documents match, the others' (the matches' counts are
what the others and the deleted leave).
Reading each word's postings instead took 24 s for the 4,418 matches of "tuition fees" among
100,000 documents (27,000 words, eleven segments); reading the texts of the 1,888 BBC
articles "said" matches rather than of the 337 others took 0.4 s of its 0.5.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from corpus_search.analysis.surface import surface_terms
from corpus_search.analysis.tokens import WORD
from corpus_search.errors import QueryError
from corpus_search.search import execute
from corpus_search.search.alike import NO_TOPIC
from corpus_search.search.any_words import tell_any_words
from corpus_search.search.budget import query_budget
from corpus_search.search.concept_names import concept_name
from corpus_search.search.copies import first_copies, same_texts
from corpus_search.search.defaults import KEY_TERMS_LIMIT, KEY_TERMS_MIN_DOCUMENTS
from corpus_search.search.engine import QueryEngine
from corpus_search.search.filters import SearchFilters
from corpus_search.search.keyterm_tables import key_tables, word_forms
from corpus_search.search.matching import (
    Matches,
    each_text_once,
    matching_documents,
    reported,
)
from corpus_search.search.ranking import (
    RANKING,
    TEXT_FIELDS,
    Ranking,
    check_query_text,
    whole,
)
from corpus_search.search.results import ListLike, QueryTold, listed
from corpus_search.search.state import SearchSource
from corpus_search.search.vocabulary import vocabulary
from corpus_search.search.word_forms import tell_other_forms
from corpus_search.store.columns import document_body, stored_fields
from corpus_search.terminal import counted

__all__ = ["MIN_DOCUMENTS", "MIN_LOG_LIKELIHOOD", "KeyTerm", "KeyTerms", "key_terms"]

#: the fewest matching documents a key term stands in (fewer when fewer match)
MIN_DOCUMENTS = KEY_TERMS_MIN_DOCUMENTS
#: the least log-likelihood a key term reaches: the chi-squared value of p < 0.001 at one
#: degree of freedom
MIN_LOG_LIKELIHOOD = 10.83
#: how many key terms are given unless asked otherwise
DEFAULT_LIMIT = KEY_TERMS_LIMIT


@dataclass(frozen=True)
class KeyTerm:
    """One word: the matching documents holding it and the share of them, the other
    documents holding it and their share, its log-likelihood (the keyness rank) and its
    log ratio (how many times more common among the matches, as a binary log)."""

    word: str
    matching: int
    matching_share: float
    others: int
    others_share: float
    log_likelihood: float
    log_ratio: float

    def to_dict(self) -> dict[str, Any]:
        """The key term as plain data, as ``--json`` and ``--csv`` print it."""
        data = asdict(self)
        for name in ("matching_share", "others_share", "log_likelihood", "log_ratio"):
            data[name] = round(data[name], 6)
        return data


@dataclass
class KeyTerms(QueryTold, ListLike[KeyTerm]):
    """The key terms of the documents ``query`` matches (``matching`` of them, within the
    filters) against the ``others`` documents (the rest of the index, or those ``against``
    matches), most telling first. The spelling help, the undated matches a date range
    left out, ``notes`` (how the query was read) and ``why_empty`` (why no document matched)
    are those of a search for ``query``."""

    query: str
    against: str | None = None
    terms: list[KeyTerm] = field(default_factory=list)
    matching: int = 0
    others: int = 0
    #: each text counted once (``distinct``): a document repeating another's is not counted
    distinct: bool = False

    def _listed(self) -> list[KeyTerm]:
        return self.terms

    def __repr__(self) -> str:
        against = f"those of {self.against!r}" if self.against else "the rest"
        head = (f"KeyTerms({self.query!r}: "
                f"{counted(self.matching, 'matching document')} against {self.others} others, "
                f"{against})")
        shown = listed(head, self.terms, lambda term: (
            f"{term.word}: {term.matching} matching ({100 * term.matching_share:.1f}%), "
            f"{term.others} others ({100 * term.others_share:.1f}%), keyness "
            f"{term.log_likelihood:.1f}"), self)
        if self.matching and not self.terms:  # (as the command says it: not a bare head)
            shown += "\n  (No word is clearly more common among them than elsewhere.)"
        return shown

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``key-terms --json`` prints it: the document counts, the spelling
        help and notes, and ``terms`` (each :meth:`KeyTerm.to_dict`)."""
        return {
            "query": self.query, "against": self.against, "matching": self.matching,
            "others": self.others, "distinct": self.distinct, **self.told(),
            **self.left_out(),
            "terms": [term.to_dict() for term in self.terms],
        }


def key_terms(
    index: SearchSource,
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    filters: SearchFilters | dict[str, Any] | None = None,
    min_documents: int = MIN_DOCUMENTS,
    against: str | None = None,
    correct: bool = True,
    ranking: Ranking = RANKING,
    literal: bool = False,
    distinct: bool = False,
    match_case: bool = False,
) -> KeyTerms:
    """The ``limit`` words most telling of the documents the query ``text`` matches within
    ``filters`` (``"*"``: every document the filters keep), against every other document of
    the index, or, given ``against`` (a query, searched as typed), against the documents it
    matches within the same filters and ``text`` does not (``"*"``: the other documents the
    filters keep). Each stands in at least ``min_documents`` of the matches (see the module
    notes). ``filters`` and ``correct`` are those of :func:`~.execute.search`; ``literal``:
    the documents holding the query's words as written (:mod:`~.literal`), and ``against``'s
    too (``match_case``: literal, each word in the case typed, as
    :func:`~.counting.count_matches` reads it); ``"*"`` is no words, but every document the
    filters keep, either way. ``distinct``
    counts each text once on both sides (:func:`~.matching.each_text_once`): a text saved
    twice is one document, and none is among the others that is among the matches."""
    check_query_text(text)
    flt = SearchFilters.coerce(filters)
    if not text.strip():  # (filters alone: the documents they keep, as "*" with them)
        if flt.is_empty():
            raise QueryError("Key terms need a query, or * with filters for the documents "
                             "they keep.")
        text = "*"
    if (terms := whole(limit)) is None or terms < 1:
        raise QueryError(f"limit must be a whole number of at least 1, not {limit!r}.")
    if (least := whole(min_documents)) is None or least < 1:
        raise QueryError("min_documents must be a whole number of at least 1, not "
                         f"{min_documents!r}.")
    limit, min_documents = terms, least
    if against is not None and (not isinstance(against, str) or not against.strip()):
        raise QueryError("against needs a query, or * for the other documents the filters "
                         "keep.")
    with index.guard():
        searcher = index.searcher(ranking)
        with query_budget(execute.QUERY_TIME_LIMIT):
            found, other, compared = _sides(index, searcher, (text, against), flt, ranking,
                                            (correct, literal or match_case, match_case),
                                            distinct)
        result = KeyTerms(query=text, against=against, distinct=distinct,
                          **reported(index, flt, found))
        engine = found.engine
        matching = found.matching
        result.matching = n1 = int(matching.sum())
        result.others = n2 = int(compared.sum())
        if not n1:
            return result
        if not n2:
            raise QueryError(
                "The query matches every document of the index, so there are no others to "
                "compare them with: narrow it, or filter." if against is None else
                f"{against} matches no document the query does not (within the filters), so "
                f"there are none to compare with{_unheld(other)}.")
        # (the texts are read outside the query's budget: their cost is the matches', and
        # running out after reading them would waste it all)
        words = _WordsHeld(searcher, index.lexicon.stopwords)
        if against is not None:
            held = _by_word(words.forms(matching))
            others = _documents_by_word(words.forms(compared))
        else:
            held, others = _against_the_rest(engine, words, matching, compared)
        least = min(min_documents, n1)
        words = _telling(held, others, n1, n2, least)
        rows, parts = _concept_rows(engine, index.schema["body"].analyzer,
                                    (matching, compared), held, least,
                                    {term.word.lower() for term in words})
        terms = [term for term in words if term.word.lower() not in parts] + rows
        terms.sort(key=lambda t: (-t.log_likelihood, -t.matching, t.word.lower()))
    result.terms = terms[:limit]
    return result


def _sides(index: SearchSource, searcher: Any, texts: tuple[str, str | None],
           flt: SearchFilters, ranking: Ranking, how: tuple[bool, bool, bool],
           distinct: bool) -> tuple[Matches, Matches | None, np.ndarray]:
    """The query's matches, ``against``'s (``None`` without it), and the documents compared
    with the matches: ``against``'s matches the query's are not, or every other live
    document; with ``distinct``, each text once and none a copy of a match. A query of
    several plain words notes that it counts any of them, as a count does
    (:func:`~.any_words.tell_any_words`). ``how``:
    (correct, literal, match_case), the query read as written with ``literal``, in the case
    typed with ``match_case`` (``against`` too; ``"*"`` every document kept, as
    :func:`~.matching.matching_documents` reads it)."""
    text, against = texts
    correct, literal, match_case = how
    found = matching_documents(index, searcher, text, flt, ranking, correct, literal,
                               match_case)
    other = None if against is None else matching_documents(
        index, searcher, against, flt, ranking, correct=False, literal=literal,
        match_case=match_case)
    if distinct:
        for one in (found, other):
            if one is not None:
                each_text_once(searcher, one)
    if not literal:  # (and a word counting other words of its stem says so)
        tell_any_words(index, searcher, found, flt, ranking, distinct)
        tell_other_forms(index, found)
    engine = found.engine
    rest = (engine.live if not distinct else first_copies(searcher, engine, engine.live)
            ) if other is None else other.matching
    return found, other, rest & ~(same_texts(searcher, engine, found.matching) if distinct
                                  else found.matching)


def _concept_rows(
    engine: QueryEngine, analyzer: Any, sides: tuple[np.ndarray, np.ndarray],
    held: dict[str, dict[str, int]], least: int, telling: set[str],
) -> tuple[list[KeyTerm], set[str]]:
    """A row for each lexicon concept of several forms
    (:func:`~.keyterm_tables.concept_forms`: Lib Dems, tuition fees, the Tories) as telling
    as a word must be, counted by the documents the index holds it in (in any form the
    lexicon lists; :func:`~.keyterm_tables.key_tables`), named as everywhere else
    (:func:`~.concept_names.concept_name`: "Liberal Democrat", "tuition fees"); and the
    ``telling`` words (those with rows of their own) that are parts of a concept ``least``
    of the matches hold (:func:`_parts`), whether the concept's row is telling enough to
    be listed or not: a word that stands nearly only inside a concept tells what the
    concept does, or nothing. "Lib Dems" had been five rows, Dem, Lib, Dems, Democrats and
    Liberal, and the Tories three, Tories, Tory and Conservatives; and "tuition fees" among
    Labour's stories gave a row "Dem" (7 of the 12, "the Lib Dem spokesman"), the word of
    a party whose row was no more common there than in Labour's other stories."""
    matching, compared = sides
    n1, n2 = int(matching.sum()), int(compared.sum())
    tables = key_tables(engine)
    concepts, docs, starts = tables.concepts, tables.docs, tables.starts
    if not concepts:
        return [], set()
    # one sum over every concept's documents, not one per concept
    a_all = np.add.reduceat(matching[docs].astype(np.int64), starts)
    b_all = np.add.reduceat(compared[docs].astype(np.int64), starts)
    rows: list[KeyTerm] = []
    parts: set[str] = set()
    for i in np.flatnonzero(a_all >= least).tolist():
        a, b = int(a_all[i]), int(b_all[i])
        words = {w.lower() for ws in tables.forms[i] for w in ws} & telling - parts
        if words:
            parts |= _parts(engine, analyzer, concepts[i],
                            {w: sum(held[w].values()) for w in words}, matching | compared, a)
        if a * n2 > b * n1 and (g2 := log_likelihood(a, n1, b, n2)) >= MIN_LOG_LIKELIHOOD:
            name = concept_name(analyzer.lexicon, concepts[i]) or " ".join(tables.forms[i][0])
            rows.append(KeyTerm(name, a, a / n1, b, b / n2, g2,
                                math.log2((a / n1) / (max(b, 0.5) / n2))))
    return rows, parts


#: a word of a concept's forms is a part of it when at most this many documents hold it
#: outside the concept's terms for each that holds it only inside them: on BBC, over the
#: whole index, the forms' own words ("Dem" 0.02, "Democrat" 0.14, "Liberal" 0.11,
#: "tuition" 0.15, "Downing" 0.17, "Tories" none) are below it, the words a concept
#: shares with others ("fees" 1.9 for tuition fees, "party" 44 for the Tories) above
PART_OUTSIDE = 0.25


def _parts(engine: QueryEngine, analyzer: Any, concept: str, words: dict[str, int],
           live: np.ndarray, a: int) -> set[str]:
    """The ``words`` of ``concept``'s forms (each with how many matches hold it) that are
    parts of it: no more matches hold one than the concept (``a``), and, in the ``live``
    documents (the matches and those compared), it stands nearly only inside the concept's
    terms (:data:`PART_OUTSIDE`): a word's place inside a multi-word term is the term's,
    and a document writing it only there holds the concept, not a word of its own.
    "Democrat" (of "Liberal Democrat") stood in 60 of the 147 BBC documents on the Lib
    Dems, every one of them naming the party, and in 7 others (the US Democrats): a row of
    its own, where the rule was "others beyond the concept's, a tenth of its matches" (6).
    "fees" (of "tuition fees"), which other documents hold (speaking fees, the licence fee)
    and most of those naming tuition fees write alone too ("the fees"), stays a row; and so
    does "party" (of "Tory Party"), which nearly every story naming the Tories holds, but
    alone ("the party")."""
    parts = set()
    for word, held_by in words.items():
        stems = [t.text for t in analyzer(word, mode="query") if t.kind is WORD]
        if held_by > a or len(stems) != 1:
            continue
        docs = vocabulary(engine).holding(key_tables(engine).concept_word_forms.get(word, ()))
        docs &= live
        outside = docs & _held_outside(engine, stems[0], concept)
        if int(outside.sum()) <= PART_OUTSIDE * int((docs & ~outside).sum()):
            parts.add(word)
    return parts


def _held_outside(engine: QueryEngine, stem: str, concept: str) -> np.ndarray:
    """Per document: does its title or body hold ``stem`` at a place ``concept``'s term is
    not (the index holds a multi-word term's words at the term's one place)?"""
    outside = np.zeros(engine.size, dtype=bool)
    for fieldname in TEXT_FIELDS:
        word = engine.term(fieldname, stem)
        if not len(word.docs):
            continue
        places = _placed(engine, fieldname, word)
        term = engine.term(fieldname, concept)
        inside = (np.isin(places, _placed(engine, fieldname, term)) if len(term.docs)
                  else np.zeros(len(places), dtype=bool))
        outside[(places[~inside] >> 32).astype(np.int64)] = True
    return outside


def _placed(engine: QueryEngine, fieldname: str, term: Any) -> np.ndarray:
    """Each place of ``term`` in ``fieldname`` as one number: its document, then its
    position (``doc << 32 | position``)."""
    flat, starts = engine.positions(fieldname, term)
    docs = np.repeat(term.docs.astype(np.int64), np.diff(starts))
    return docs << 32 | flat.astype(np.int64)


def _unheld(against: Matches) -> str:
    """The words of an ``against`` query no document holds, and the spelling suggested, as
    the end of the sentence saying it compares with nothing: it is searched as typed, so a
    misspelling ("Torries") matches nothing and says nothing else."""
    if not against.not_found:
        return ""
    words = ", ".join(against.not_found)
    meant = f" (did you mean {against.suggestion}?)" if against.suggestion else ""
    return f": no document holds {words}{meant}"


def _telling(held: dict[str, dict[str, int]], others: dict[str, int], n1: int, n2: int,
             least: int) -> list[KeyTerm]:
    """The words of ``held`` (each with the matches holding each of its forms) that ``least``
    of the ``n1`` matches hold and that are more common among them than among the ``n2``
    others (``others``: how many hold each word) at p < 0.001, most telling first."""
    terms = []
    for key, seen in held.items():
        a = sum(seen.values())
        b = max(others.get(key, 0), 0)
        if a < least or a * n2 <= b * n1:  # (too few, or no more common among matches)
            continue
        g2 = log_likelihood(a, n1, b, n2)
        if g2 < MIN_LOG_LIKELIHOOD:
            continue
        word = min(seen, key=lambda form: (-seen[form], sum(map(str.isupper, form)), form))
        terms.append(KeyTerm(word, a, a / n1, b, b / n2, g2,
                             math.log2((a / n1) / (max(b, 0.5) / n2))))
    return terms


def log_likelihood(a: int, n1: int, b: int, n2: int) -> float:
    """Dunning's G2 for a word held by ``a`` of ``n1`` documents and ``b`` of ``n2`` others:
    twice the sum, over the four cells of the table (holding it or not, in either set), of
    observed times the log of observed over expected (a cell observed 0 adds nothing)."""
    total = n1 + n2
    holding = a + b
    g2 = 0.0
    for observed, row, column in ((a, holding, n1), (b, holding, n2),
                                  (n1 - a, total - holding, n1),
                                  (n2 - b, total - holding, n2)):
        if observed:
            g2 += observed * math.log(observed * total / (row * column))
    return 2 * g2


class _WordsHeld:
    """The words documents hold, read from their titles and bodies as the ``words`` field
    was made (:func:`~corpus_search.analysis.surface.surface_terms`)."""

    def __init__(self, searcher: Any, stopwords: Collection[str]) -> None:
        self._searcher = searcher
        self._stored = stored_fields(searcher)
        self._stopwords = stopwords

    def forms(self, docs: np.ndarray) -> Counter[str]:
        """Each form of a word the documents ``docs`` (a mask by document number) write, and
        how many of them write it."""
        forms: Counter[str] = Counter()
        for docnum in np.flatnonzero(docs).tolist():
            title = self._stored[docnum].get("title") or ""
            forms.update(surface_terms(f"{title}\n{document_body(self._searcher, docnum)}",
                                       self._stopwords))
        return forms


def _by_word(forms: Mapping[str, int]) -> dict[str, dict[str, int]]:
    """For each word (lower case) other than :data:`NO_TOPIC` ones, its ``forms`` held by
    some document, and how many documents hold each."""
    held: dict[str, dict[str, int]] = {}
    for form, documents in forms.items():
        if documents > 0:
            key = form.lower()
            seen = held.get(key)
            if seen is None:
                if key in NO_TOPIC:
                    continue
                seen = held[key] = {}
            seen[form] = documents
    return held


def _documents_by_word(forms: Mapping[str, int]) -> dict[str, int]:
    """How many documents hold each word (lower case) in any of its ``forms`` (a document
    holds one form of a word)."""
    return {key: sum(seen.values()) for key, seen in _by_word(forms).items()}


def _against_the_rest(engine: QueryEngine, words: _WordsHeld, matching: np.ndarray,
                      compared: np.ndarray) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """The words the ``matching`` documents hold (each form, and how many of them hold it),
    and how many of the ``compared`` ones (every other live document) hold each.

    The term dictionary counts the documents holding each form (and
    :func:`~.keyterm_tables.key_tables` each word), the deleted ones included, so only the
    texts of the fewer of the two sides are read (and the deleted documents'): the
    matches', the others' counts being what the rest of the documents holding a word leave;
    or, when most documents match, the others', the matches' counts being what those leave.
    ("said" matches 1,888 of the 2,225 BBC articles: reading them all was most of the time
    key terms took.)"""
    gone = ~(matching | compared)  # (deleted; with distinct, copies of texts counted)
    deleted = words.forms(gone)
    if int(matching.sum()) <= int(compared.sum()):
        held = _by_word(words.forms(matching))
        holding, gone_by = key_tables(engine).holding, _documents_by_word(deleted)
        return held, {key: holding.get(key, 0) - sum(seen.values()) - gone_by.get(key, 0)
                      for key, seen in held.items()}
    rest = words.forms(compared)
    held = _by_word({form: documents - rest.get(form, 0) - deleted.get(form, 0)
                     for form, documents in word_forms(engine).items()})
    return held, _documents_by_word(rest)
