"""The set of documents a query matches within filters, as one array over the index: what
counting and key terms work from (a search ranks a page of it; they need all of it).

The matches are those a search for the same query counts in ``total``, with the same
spelling help (a word no document holds is searched as corrected unless ``correct`` is off),
less the documents holding only a broader term the lexicon relates to a word of the query
(Labour for "PLP"): a search ranks those after the rest, but a count of the PLP's mentions
must not count every Labour story. How many were left out is told (``related_only``). A name
counts where it is written whole: a search for Michael Howard ranks every Michael lower, but
a count of his mentions must not count Michael Owen's, nor Michael Keaton's beside Howard
Hughes; and a multi-word term of the lexicon
where the term is, in any form the lexicon lists ("Liberal Democrats" as "Lib Dems" counts,
not the US Democrats). A note says how many were left out.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query

from corpus_search.analysis.stemming import misspelt_names
from corpus_search.search.concept_names import related_names
from corpus_search.search.concepts import (
    name_words,
    quoted_phrases,
    related_terms,
    strong_terms,
    typed_terms,
)
from corpus_search.search.copies import copies_note, first_copies, same_texts
from corpus_search.search.corrections import checked_query
from corpus_search.search.empty import why_nothing_matched
from corpus_search.search.engine import Unsupported, engine_for_ranking
from corpus_search.search.filters import SearchFilters
from corpus_search.search.left_out import (
    apart_notes,
    part_only_note,
    part_only_of,
    quoted,
    unvaried_note,
)
from corpus_search.search.literal import as_characters, characters_note, literal_found, literal_tree
from corpus_search.search.matches import Matches
from corpus_search.search.other_terms import (
    in_other_terms_only,
    inside_note,
    inside_wholes,
    listed_names,
    narrower_note,
    narrower_only,
    phrase_wholes,
)
from corpus_search.search.parsing import parsed_query, walk
from corpus_search.search.ranking import Ranking, every_document
from corpus_search.search.state import SearchSource
from corpus_search.search.term_patterns import unfuzzed

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from whoosh.searching import Searcher

    from corpus_search.search.concepts import Concept
    from corpus_search.search.engine import QueryEngine

__all__ = ["Matches", "each_text_once", "matching_documents", "reported"]


def matching_documents(
    index: SearchSource,
    searcher: Searcher,
    text: str,
    filters: SearchFilters,
    ranking: Ranking,
    correct: bool = True,
    literal: bool = False,
    match_case: bool = False,
) -> Matches:
    """The documents of ``searcher`` the query ``text`` matches within ``filters`` (``"*"``
    matches every document, literal or not: :func:`~.ranking.every_document`; ``literal``:
    those holding its words as written, in the case typed with ``match_case``: see
    :mod:`~corpus_search.search.literal`). Run it under the index's guard and a query budget."""
    engine = engine_for_ranking(searcher, ranking)
    filter_q = filters.to_query(index)
    live = engine.docs(query.Every())
    kept = live & engine.docs(filter_q) if filter_q is not None else live
    found = live
    result = Matches(engine, found, kept, searched=text)
    if every_document(text):
        pass  # (every document: as written too, no asterisk is looked for)
    elif literal:
        found = literal_found(index, searcher, ranking, text, match_case)
        result.query = literal_tree(text, match_case)
        if characters := as_characters(text):  # ("rat*": the string, which it says)
            result.tell(characters_note(characters), as_characters=characters)
    else:
        parsed = parsed_query(index, searcher, text, ranking=ranking)
        spelling, q, concepts = checked_query(index, searcher, parsed, text, ranking, correct)
        result.suggestion, result.suggestion_applied = spelling.suggestion, spelling.applied
        result.not_found = spelling.not_found
        result.partly_found = {term: list(words) for term, words in spelling.partly_found}
        result.notes, result.searched = parsed.notes, spelling.searched or text
        result.query = q
        found = _matching(searcher, engine, q)
        if parsed.fuzzy_alone is not None and q is parsed.query:  # (no correction searched)
            widest, found = found, _fuzzy_counted(index, searcher, engine, parsed.fuzzy_alone,
                                                  text, filters, ranking)
            left_out = int((widest & ~found & kept).sum())
            if left_out:
                result.tell(unvaried_note(left_out, unfuzzed(text) or text),
                            fuzzy_left_out=left_out)
        q, found = _without_related(index, searcher, engine, q, concepts, found, result)
        found = _without_other_terms(index, engine, concepts, found, result)
        found = _with_names(index, searcher, engine, q, concepts, found, result)
        phrases = quoted_phrases(concepts)
        if phrases:
            fields = ranking.field_boosts(parsed.fields)
            found = _with_phrases(index, searcher, engine, q, phrases, concepts, fields,
                                  found, result)
        _narrower_notes(index, engine, concepts, found & kept, result)
    result.matching = found & kept
    result.unfiltered_matching = found & live
    result.unfiltered = int(result.unfiltered_matching.sum())
    undated_q = filters.undated_query(index)
    if undated_q is not None:  # (said, so that a date range hides no match unsaid)
        result.undated_left_out = int((found & engine.docs(undated_q)).sum())
    return result


def each_text_once(searcher: Searcher, found: Matches) -> None:
    """``found`` with each text counted once (``distinct``): a text saved twice (100 pairs
    in the BBC corpus, :mod:`~.copies`) is one document, matching where a copy of it does,
    at its first copy the filters keep, in ``matching`` and ``kept`` alike (so a share
    stays of the same documents); a note says how many copies of matches were left out."""
    before = int(found.matching.sum())
    found.kept = first_copies(searcher, found.engine, found.kept)
    found.matching = found.kept & same_texts(searcher, found.engine, found.matching)
    copies = before - int(found.matching.sum())
    if copies:
        found.tell(copies_note(copies, "a match", "counted"), copies_left_out=copies)


def reported(index: SearchSource, filters: SearchFilters, found: Matches) -> dict[str, Any]:
    """What a result built on ``found`` tells of its query, as a search's results do: the
    spelling help (``suggestion``, ``suggestion_applied``, ``not_found``), the ``notes`` on
    how it was read, the ``undated_left_out`` matches, and ``why_empty``: why nothing
    matched, in search's sentences (:func:`~corpus_search.search.empty.why_nothing_matched`:
    a filter that keeps nothing, filters that keep none of the query's matches), empty when
    something did; and the figures of the notes (``phrase_apart``: see
    :class:`~.results.QueryTold`). Counting and key terms take these fields as they are."""
    def count_within(within: SearchFilters) -> int:  # (the query's matches it keeps)
        if found.unfiltered_matching is None:
            return 0
        within_q = within.to_query(index)
        return int(found.unfiltered_matching.sum() if within_q is None else
                   (found.unfiltered_matching & found.engine.docs(within_q)).sum())

    why_empty = [] if found.matching.any() else why_nothing_matched(
        index, found.searched, filters, lambda: found.unfiltered, count_within)
    return {"suggestion": found.suggestion, "suggestion_applied": found.suggestion_applied,
            "not_found": list(found.not_found), "partly_found": dict(found.partly_found),
            "notes": list(found.notes),
            "undated_left_out": found.undated_left_out, "why_empty": why_empty,
            "related_only": found.related_only, **found.told}


def _without_related(index: SearchSource, searcher: Searcher, engine: QueryEngine,
                     q: query.Query, concepts: Sequence[Concept] | None, found: np.ndarray,
                     result: Matches) -> tuple[query.Query, np.ndarray]:
    """``q`` and its matches ``found`` without the terms the lexicon only relates to the
    query's concepts ("PLP" counts no document saying only "Labour"), saying in
    ``result`` how many that leaves out."""
    related = related_terms(concepts)
    if not related:
        return q, found
    direct_q = _without_terms(q, related)
    direct = _matching(searcher, engine, direct_q)
    left_out_docs = found & ~direct & result.kept
    result.related_only = left_out = int(left_out_docs.sum()) or None
    if left_out:
        which = "document that holds" if left_out == 1 else "documents that hold"
        searched = result.searched.strip()
        held, names = _related_held(index, searcher, engine, q, related, left_out_docs,
                                    searched)
        result.tell(f"{left_out} {which} only {held}, not {searched} itself, "
                    f"{'is' if left_out == 1 else 'are'} left out; search ranks "
                    f"{'it' if left_out == 1 else 'them'} after the rest", related_terms=names)
    return direct_q, direct


def _without_other_terms(index: SearchSource, engine: QueryEngine,
                         concepts: Sequence[Concept] | None, found: np.ndarray,
                         result: Matches) -> np.ndarray:
    """``found`` without the documents holding a word the lexicon reads as a concept only
    inside other concepts' terms (``Chancellor`` only in "German Chancellor": see
    :mod:`~corpus_search.search.other_terms`), saying in ``result`` how many it left out."""
    other = in_other_terms_only(index.lexicon, engine, concepts, found)
    left_out = other.docs & result.kept
    note = inside_note(other, left_out, "search lists {them}")
    if note:
        result.tell(note, word_inside=int(left_out.sum()), word_inside_terms=other.named)
    return found & ~other.docs


def _inside_wholes(index: SearchSource, engine: QueryEngine,
                   groups: Sequence[tuple[Concept, Sequence[Concept]]], left_out: np.ndarray,
                   result: Matches, ranked: str, in_quotes: bool = False) -> np.ndarray:
    """The documents of ``left_out`` (holding words of the query's multi-word terms or
    quoted phrases, ``groups`` of a whole and its words, but not the whole) that write a
    whole's words in a row only inside other concepts' terms ("home secretary" only in
    "Shadow Home Secretary"), saying in ``result`` how many: these do not hold the words
    apart (:func:`~corpus_search.search.other_terms.inside_other_terms`); a phrase
    ``in_quotes`` named in its quotes. Its figures are ``phrase_inside`` and
    ``phrase_inside_terms`` for a phrase, else ``word_inside`` and ``word_inside_terms``."""
    inside = np.zeros(engine.size, dtype=bool)
    field = "phrase" if in_quotes else "word"
    for (whole, _words), other in zip(groups, inside_wholes(index.lexicon, engine, groups,
                                                            left_out), strict=True):
        if in_quotes:
            other.words = [f'"{whole.part_of}"']
        held = other.docs & result.kept
        note = inside_note(other, held, ranked)
        if note:
            result.tell(note, **{f"{field}_inside": int(held.sum()),
                                 f"{field}_inside_terms": other.named})
        inside |= other.docs
    return inside


def _narrower_notes(index: SearchSource, engine: QueryEngine,
                    concepts: Sequence[Concept] | None, found: np.ndarray,
                    result: Matches) -> None:
    """The note (and its figures, ``narrower_only`` and ``narrower_terms``) on the documents
    of ``found`` counted for holding a concept of the query only through narrower concepts
    the lexicon counts as part of it (see
    :func:`~corpus_search.search.other_terms.narrower_only`)."""
    other = narrower_only(index.lexicon, engine, concepts, found)
    note = narrower_note(other)
    if note:
        result.narrower_docs = other.docs
        result.tell(note, narrower_only=int(other.docs.sum()), narrower_terms=other.named)


def _fuzzy_counted(index: SearchSource, searcher: Searcher, engine: QueryEngine,
                   fuzzy_alone: query.Query, text: str, filters: SearchFilters,
                   ranking: Ranking) -> np.ndarray:
    """Per document: does the fuzzy query ``text`` count it? Its fuzzy words match it, or
    a count of the words unmarked counts it: a fuzzy count is never below the unmarked
    words' count, and counts no more of what that count leaves out ("Gordon Brown~" no
    document holding only "Brown") than its variants match. (Search ranks them all.)"""
    exact = matching_documents(index, searcher, unfuzzed(text) or text, filters, ranking,
                               correct=False)
    assert exact.unfiltered_matching is not None  # (always set by matching_documents)
    return _matching(searcher, engine, fuzzy_alone) | exact.unfiltered_matching


def _matching(searcher: Searcher, engine: QueryEngine, q: query.Query) -> np.ndarray:
    """Per document: does it match ``q``? (Whoosh answers what the array engine cannot.)"""
    try:
        return engine.docs(q)
    except Unsupported:
        mask = np.zeros(engine.size, dtype=bool)
        mask[list(searcher.search(q, limit=None).docs())] = True
        return mask


def _without_terms(q: query.Query, terms: frozenset[str]) -> query.Query:
    """``q`` without its term leaves of ``terms`` (``NullQuery`` when none is left)."""

    def drop(node: query.Query) -> query.Query:
        if isinstance(node, query.Term) and node.text in terms:
            return query.NullQuery
        return node

    return q.accept(drop).normalize()


def _related_held(index: SearchSource, searcher: Searcher, engine: QueryEngine,
                  q: query.Query, related: Iterable[str], docs: np.ndarray,
                  of: str) -> tuple[str, list[str]]:
    """What the documents of ``docs`` hold of the ``related`` terms of ``q`` (the broader
    terms the lexicon relates to ``of``), as a note says it: "Labour (a term the lexicon
    relates to PLP)", the terms most held first, or "a term the lexicon relates to PLP" when
    none of them is found there; and those terms' names (``related_terms``)."""
    held: dict[str, int] = {}
    fields = {}
    for fieldname, text in q.iter_all_terms():
        fields.setdefault(text, []).append(fieldname)
    for term in related:
        if term in fields:
            holding = _matching(searcher, engine, query.Or(
                [query.Term(fieldname, term) for fieldname in fields[term]]))
            count = int((holding & docs).sum())
            if count:
                held[term] = count
    names = related_names(index.lexicon, engine, sorted(held, key=lambda t: (-held[t], t)))
    if not names:
        return f"a term the lexicon relates to {of}", names
    listed = listed_names(names)
    if set(held) == {misspelt_names(index.lexicon).get(of.lower())}:  # (Browne: Brown)
        return f"{listed} (a name {of} may be a slip for)", names
    which = "a term" if len(names) == 1 else "terms"
    return f"{listed} ({which} the lexicon relates to {of})", names


def _grouped_terms(concepts: Sequence[Concept], grouped: set[str]) -> frozenset[str]:
    """The terms of the concepts of the ``grouped`` places (names, typed terms, quoted
    phrases: their ``part_of``) that no other concept holds as a form of its own: what a
    query without those places' terms leaves out."""
    kept = frozenset().union(*(strong_terms(c) for c in concepts if c.part_of not in grouped))
    return frozenset(
        term for c in concepts if c.part_of in grouped
        for alt in c.alternatives for slot in alt.slots for term in slot) - kept


def _holding_phrases(searcher: Searcher, engine: QueryEngine, q: query.Query,
                     phrases: list[list[Concept]], concepts: Sequence[Concept],
                     fields: Sequence[tuple[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Per document: does ``q`` match it, each quoted phrase of ``phrases`` (its whole and
    its words) matching only where the document holds the phrase, in any of its lexicon
    forms (the top tier of a search), not its words apart nor a broader term the lexicon
    relates to it? And per document: does it hold the words of a phrase apart?"""
    dropped = _grouped_terms(concepts, {group[0].part_of for group in phrases})

    def drop(node: query.Query) -> query.Query:
        if isinstance(node, query.Phrase) and set(node.words) <= dropped:
            return query.NullQuery
        return node

    rest = _without_terms(q.accept(drop).normalize(), dropped)
    found = (np.zeros(engine.size, dtype=bool) if rest is query.NullQuery
             else _matching(searcher, engine, rest))
    apart = np.zeros(engine.size, dtype=bool)
    for group in phrases:
        scored = engine.score_concepts(group, fields)
        if scored.tier is not None:  # (2: the phrase held; 1: its words apart)
            docs = scored.all_docs()
            found[docs[scored.tier == 2]] = True
            apart[docs[scored.tier == 1]] = True
    return found, apart


def _with_phrases(index: SearchSource, searcher: Searcher, engine: QueryEngine,
                  q: query.Query, phrases: list[list[Concept]], concepts: Sequence[Concept],
                  fields: Sequence[tuple[str, float]], found: np.ndarray,
                  result: Matches) -> np.ndarray:
    """``found`` less the documents that do not hold the quoted ``phrases``, saying in
    ``result`` how many hold a phrase's words only inside other terms, how many its words
    apart, and how many only a broader term the lexicon relates to it."""
    whole, apart = _holding_phrases(searcher, engine, q, phrases, concepts, fields)
    left_out = found & ~whole & result.kept
    inside = _inside_wholes(index, engine, phrase_wholes(phrases), left_out & apart, result,
                            "search ranks {them} after those holding it", in_quotes=True)
    apart, left_out = apart & ~inside, left_out & ~inside
    named = quoted(phrases)
    of = named if len(phrases) == 1 else f"one of {named}"
    wholes = related_terms([c for group in phrases for c in group if c.first])
    related_to, names = _related_held(index, searcher, engine, q, wholes, left_out & ~apart,
                                      of)
    held_apart, related = int((left_out & apart).sum()), int((left_out & ~apart).sum())
    result.notes = (*result.notes, *apart_notes(held_apart, related, phrases, related_to))
    # (a search's figures: its phrase_inside 0 and phrase_apart 0 where none is left out)
    result.told = {"phrase_inside": 0, "phrase_inside_terms": [], **result.told}
    result.tell(None, phrase_apart=held_apart)
    if related:
        result.related_only = (result.related_only or 0) + related
        result.tell(None, related_terms=names)
    return found & whole


def _with_names(index: SearchSource, searcher: Searcher, engine: QueryEngine,
                q: query.Query, concepts: Sequence[Concept], found: np.ndarray,
                result: Matches) -> np.ndarray:
    """``found`` less the documents holding only part of a name the query types, or only
    words of a lexicon term it types, saying in ``result`` how many and which honorifics it
    types before a name (``titles``): one holding only the title is no match, as in search."""
    names, terms = name_words(concepts), typed_terms(concepts)
    if not (names or terms):
        return found
    titles = [c for c in concepts if c.honorific]
    result.titles = tuple(c.label for c in titles)
    if titles:  # (the documents holding another word of the query than a title)
        rest = _without_terms(q, frozenset().union(*map(strong_terms, titles)))
        found = found & (_matching(searcher, engine, rest) if rest is not query.NullQuery
                         else np.zeros(engine.size, dtype=bool))
    places = [(None, words) for words in names] + terms
    whole = _with_whole_places(searcher, engine, q, places, concepts)
    inside = _inside_wholes(index, engine, terms, found & ~whole, result,
                            "search ranks {them} lower")
    left_out = int((found & ~whole & ~inside & result.kept).sum())
    if left_out:
        result.tell(part_only_note(left_out, names, terms), part_only=left_out,
                    part_only_of=part_only_of(names, terms))
    return whole


def _with_whole_places(searcher: Searcher, engine: QueryEngine, q: query.Query,
                       places: list[tuple[Concept | None, list[Concept]]],
                       concepts: Sequence[Concept]) -> np.ndarray:
    """Per document: does ``q`` match it, each of its ``places`` (a name's words, or a
    typed multi-word term and its words) only where the document holds the name written
    whole or the term (Michael Howard, not any Michael; the Liberal Democrats, not the US
    Democrats; an honorific before a name, the Lady of "Lady Thatcher", is not needed)?"""
    dropped = _grouped_terms(concepts, {words[0].part_of for _whole, words in places})
    rest = _without_terms(q, dropped)
    none = np.zeros(engine.size, dtype=bool)
    found = none.copy() if rest is query.NullQuery else _matching(searcher, engine, rest)
    leaves = [leaf for leaf in walk(q) if isinstance(leaf, query.Term)]

    def holding(concept: Concept) -> np.ndarray:
        terms = strong_terms(concept)
        held = [leaf for leaf in leaves if leaf.text in terms]
        return _matching(searcher, engine, query.Or(held)) if held else none

    for whole, words in places:
        if whole is not None:  # (the term in any form the lexicon lists; not its words apart)
            found |= holding(whole)
            continue
        found |= (_side_by_side(searcher, engine, leaves, words) if len(words) > 1
                  else holding(words[0]))
    return found


def _side_by_side(searcher: Searcher, engine: QueryEngine, leaves: list[query.Term],
                  words: list[Concept]) -> np.ndarray:
    """Per document: does it write the name's ``words`` together, in order (a middle name
    between allowed)? Michael and Howard apart are as often two people (Keaton, Hughes)."""
    each = [[leaf for leaf in leaves if leaf.text in strong_terms(word)] for word in words]
    ways = [query.Phrase(field, [leaf.text for leaf in combination], slop=2)
            for field in dict.fromkeys(leaf.fieldname for own in each for leaf in own)
            for combination in itertools.product(
                *([leaf for leaf in own if leaf.fieldname == field] for own in each))]
    return _matching(searcher, engine, query.Or(ways)) if ways else np.zeros(engine.size, bool)
