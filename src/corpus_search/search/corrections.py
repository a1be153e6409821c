"""Spelling corrections applied to a query: unknown words, suggestions, and the query as
corrected, which is searched when a typed word is in no document.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh import query

from corpus_search.analysis.text import WORD_RE, normalise_word, with_typed_apostrophes
from corpus_search.search.budget import check_budget
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.expansions import osa_distance
from corpus_search.search.groups import spaced_spelling
from corpus_search.search.lexicon_spans import query_term_spans
from corpus_search.search.parsing import ParsedQuery, parsed_query, query_cache, walk
from corpus_search.search.ranking import TEXT_FIELDS, Ranking
from corpus_search.search.spelling import (
    Correction,
    OtherForms,
    correct_word,
    is_acronym_shaped,
    lexicon_knows,
    lexicon_spells,
    vocabulary,
)
from corpus_search.search.state import SearchSource
from corpus_search.search.vocabulary import starting_with

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.concepts import Concept
    from corpus_search.search.engine import QueryEngine
    from corpus_search.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class Spelling:
    """What spelling help made of a query: the suggestion in the user's words, whether its
    corrections are searched, the typed words no document holds, and ``searched``: the
    query as typed with the corrections that are searched in place of the words (None when
    none is).

    A correction is searched only for a word no document holds, so searching ``searched``
    finds what the typed query and its corrections would; read whole, the corrected query is
    the one "Showing results for" names, ranked as it would be typed: its names, lexicon
    terms and quoted phrases are read as such ("Gordan Brown Africa" had ranked "Profile:
    Gordon Brown" third, as two words and not a name; '"genral election"' held no phrase)."""

    suggestion: str | None = None
    applied: bool = False
    not_found: tuple[str, ...] = ()
    searched: str | None = None
    #: of ``not_found``, the lexicon terms some of whose words documents hold, each with
    #: those words as typed (Sinn Féin: Sinn, in an economist's name): what a search of the
    #: term then matches instead
    partly_found: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _typed_words(
    index: SearchSource, q: query.Query, text: str, spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """The words of ``text`` that became terms or phrase words of ``q``, in order: not
    operators, field names, wildcard or fuzzy terms, nor words of a multi-word lexicon term
    at ``spans`` ("Lib" of "Lib Dems", which the lexicon knows whatever the index holds)."""
    read = set()
    for node in walk(q):
        if isinstance(node, query.Term) and node.fieldname in TEXT_FIELDS:
            read.add(node.text)
        elif isinstance(node, query.Phrase) and node.fieldname in TEXT_FIELDS:
            read.update(node.words)
    analyzer = index.schema["body"].analyzer
    out = []
    for m in WORD_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if before in ("*", "?") or after in ("*", "?", "~"):
            continue
        own = {t.text for t in analyzer(m.group(), mode="query")
               if not getattr(t, "expansion", False)}
        if own & read:
            out.append(m)
    return out


def _absent_lexicon_terms(
    searcher: Searcher, index: SearchSource, text: str, spans: list[tuple[int, int]]
) -> list[str]:
    """The multi-word lexicon terms typed in ``text`` at ``spans`` (Sinn Fein) that no
    document names in any of their forms: their words may still match ("Sinn", an
    economist), so the reader is told the term itself is nowhere."""
    analyzer = index.schema["body"].analyzer
    absent = []
    for start, end in spans:
        typed = text[start:end]
        terms = {t.text for t in analyzer(typed, mode="query")}
        if terms and not any(
            searcher.doc_frequency(f, t) for f in TEXT_FIELDS for t in terms
        ) and typed not in absent:
            absent.append(typed)
    return absent


def _partly_found(searcher: Searcher, index: SearchSource,
                  absent: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Of the ``absent`` lexicon terms, those some of whose words (as typed) documents hold
    in a form of their own: ``(("Sinn Féin", ("Sinn",)),)`` (:attr:`Spelling.partly_found`)."""
    analyzer = index.schema["body"].analyzer
    found = []
    for term in absent:
        words = WORD_RE.findall(term)
        held = tuple(dict.fromkeys(
            word for word in words if len(words) > 1 and any(
                searcher.doc_frequency(f, t) for f in TEXT_FIELDS
                for t in _own_terms(analyzer, word))))
        if held:
            found.append((term, held))
    return tuple(found)


def _own_terms(analyzer: Any, word: str) -> set[str]:
    """The index terms of ``word`` itself (its stem), not the lexicon's expansions."""
    return {t.text for t in analyzer(word, mode="query") if not getattr(t, "expansion", False)}


def _documents_holding(engine: QueryEngine, analyzer: Any, word: str, enough: int) -> int:
    """How many live documents hold the most widely held of ``word``'s own terms (not the
    lexicon's expansions), in any text field: exactly up to ``enough``, beyond it some
    number above it.

    Whoosh's document frequencies count deleted documents until their segment is merged,
    so a term's postings are read to count the live ones only when its frequency, less the
    deleted documents, is not above ``enough``: reading a common term's postings for this
    (every word of every query) took seconds on a million documents, and a loaded machine's
    eval-topic queries past their time budget."""
    reader = engine.reader
    deleted = reader.doc_count_all() - reader.doc_count()
    terms = _own_terms(analyzer, word)
    most = 0
    for fieldname in TEXT_FIELDS:
        for term in terms:
            frequency = reader.doc_frequency(fieldname, term)
            if frequency - deleted > enough:
                return frequency - deleted
            if frequency:
                most = max(most, len(engine.term(fieldname, term)))
    return most


#: The endings English adds to a word (its plural, tenses, common derivations), one of
#: them in place of its final e or y (privatise: privatising, specify: specified)
_ENDINGS = frozenset((
    "", "e", "y", "s", "es", "ed", "d", "ing", "ings", "er", "ers", "est", "ion", "ions",
    "ation", "ations", "ly", "ment", "ments", "able", "ity", "ities", "ive", "ness", "al",
    "ism", "ist", "ists", "ies", "ied", "ier", "iest", "ily",
))

#: Of :data:`_ENDINGS`, those that make another word of the same stem (government,
#: governess): two words that differ by two of these are two words, not one word's forms
_DERIVING = frozenset((
    "ion", "ions", "ation", "ations", "ment", "ments", "able", "ity", "ities", "ive", "ness",
    "al", "ism", "ist", "ists",
))

#: The longest of :data:`_ENDINGS`, and a letter doubled before it (tan: tanned)
_LONGEST_ENDING = max(map(len, _ENDINGS)) + 1


def _ending(base: str, word: str) -> str | None:
    """The one of :data:`_ENDINGS` that ``word`` adds to ``base``, maybe after its last
    letter doubled (tanned: tan, "ed"); ``None`` if it adds none."""
    ending = word[len(base):]
    if ending in _ENDINGS:
        return ending
    return ending[1:] if ending[:1] == base[-1:] and ending[1:] in _ENDINGS else None


def _another_form(key: str, other: str) -> bool:
    """Whether the folded words ``key`` and ``other`` are one word with two of the endings
    English adds (:data:`_ENDINGS`) after the letters they share, not both of them endings
    that derive another word (:data:`_DERIVING`): lobbyist and lobbyists, tweaks and
    tweaking, privatise and privatising; not define and definately ("ately"), nor goverment
    and governess ("ment", "ness": the typo "goverment" was read as governess's form, so
    its correction was only suggested, and its search found an obituary's governess)."""
    n = 0
    while n < min(len(key), len(other)) and key[n] == other[n]:
        n += 1
    endings = _ending(key[:n], key), _ending(key[:n], other)
    return None not in endings and not all(e in _DERIVING for e in endings)


def _held_in_another_form(vocab: Vocabulary, analyzer: Any, key: str, own: set[str]) -> bool:
    """Whether the texts write another form of ``key`` (a folded word no document writes,
    whose stem is ``own``): a word of the same stem that differs from it by its endings
    (:func:`_another_form`: "lobbyists", "taxings", "handset" for handsets). Not
    "definately": its stem is define's, but "ately" is no ending of define."""
    start = key[:max(3, len(key) - _LONGEST_ENDING)]
    return any(
        w != key and _another_form(key, w) and vocab.frequency(w)
        and _own_terms(analyzer, w) == own
        for w in starting_with(vocab.keys_starting(key[0]), start)
    )


def _in_typed_spelling(found: Correction, vocab: Vocabulary, lexicon: Any) -> Correction:
    """``found`` in the spelling the user typed, where the texts also write it so: the word
    of the vocabulary nearest the typed one that the lexicon respells as the correction
    ("organizaton" is shown as organization, as typed but for the slip, not organisation,
    which the texts write more often; both search the same)."""
    key = normalise_word(found.word)[1]
    best = normalise_word(found.replacement)[1]
    british = lexicon.respell(best)
    nearer = [(osa_distance(key, k), k) for k in vocab.keys_within(key, found.distance - 1, 1)
              if k not in (best, key) and lexicon.respell(k) == british]
    if not nearer:
        return found
    distance, typed_so = min(nearer)
    shown = vocab.written(typed_so) if found.word[:1].isupper() else typed_so
    return dataclasses.replace(found, replacement=with_typed_apostrophes(shown, found.word),
                               distance=distance)


def check_spelling(
    searcher: Searcher, index: SearchSource, q: query.Query, text: str,
    ranking: Ranking, apply: bool,
) -> Spelling:
    """Spelling help for the words of ``text``, which ``index`` read as ``q`` (see
    :func:`corpus_search.search.spelling.correct_word`).

    A word the lexicon knows is left alone; one shaped like an acronym or spelt as the
    lexicon spells a word (:func:`~corpus_search.search.spelling.lexicon_spells`) is never
    corrected, only reported when no document holds it. A word no document holds is
    corrected and, with ``apply``, its correction searched too; so is a word no document
    writes in any of its forms whose stem is another word's ("definately": define). A rare
    word with a far likelier spelling gets that spelling suggested only.
    """
    engine = engine_for_ranking(searcher, ranking)
    vocab = vocabulary(engine)
    analyzer = index.schema["body"].analyzer
    spans = query_term_spans(text, index.lexicon)  # "Lib Dems": one lexicon term
    typed = _typed_words(index, q, text, spans)
    checked: dict[str, int] = {}  # word -> documents holding it, in any form its stem finds
    # word -> documents holding it as typed or in another of its forms (none for a word
    # whose stem is only another word's: see below)
    own_docs: dict[str, int] = {}
    questioned: list[str] = []
    not_found = _absent_lexicon_terms(searcher, index, text, spans)
    partly = _partly_found(searcher, index, not_found)
    for m in typed:
        word = m.group()
        if word in checked or lexicon_knows(word, analyzer):
            continue
        surface, key = normalise_word(word)
        # the vocabulary leaves out words with digits ("80m", "2005"), and holds words as
        # written: "lobbyists" is in no text, yet its stem finds the one saying "lobbyist"
        digits = any(c.isdigit() for c in word)
        surfaced = 0 if digits else vocab.frequency(key, surface)
        stems = surfaced if surfaced > vocab.rare_limit else _documents_holding(
            engine, analyzer, word, vocab.rare_limit)
        docs = max(stems, surfaced)
        if not docs and spaced_spelling(word, index, ranking):
            continue  # the texts write it as two words ("head teachers"), which it finds
        checked[word] = own_docs[word] = docs
        if stems and not surfaced and not digits and not _held_in_another_form(
                vocab, analyzer, key, _own_terms(analyzer, word)):
            # no text writes it nor another form of it: its stem is another word's
            # ("definately": define), and it is questioned as a word no document holds
            # (see correct_word's other_forms)
            own_docs[word] = 0
        if docs and own_docs[word] > vocab.rare_limit:
            continue  # neither reported nor questioned, however the lexicon spells it (its
            # table of spellings is built on first use: ~2 ms of a cold search)
        if is_acronym_shaped(word) or lexicon_spells(word, index.lexicon):
            if not docs:
                not_found.append(word)
        else:
            questioned.append(word)
    if not questioned:
        return Spelling(not_found=tuple(not_found), partly_found=partly)

    corrections: dict[str, Correction] = {}
    for word in questioned:
        check_budget()
        context = None  # the documents holding all the other words the index holds
        for other, n in checked.items():
            if n and other != word:
                docs = vocab.docs(normalise_word(other)[1])
                context = docs if context is None else np.intersect1d(context, docs)
        own = _own_terms(analyzer, word)
        other_forms = None
        if checked[word] > own_docs[word]:  # its stem is another word's ("definately")
            reader = engine.reader  # (the stem's documents: a count of its postings, for
            # a rare stem, or its document frequency, deleted documents less, for a common one)
            stem_docs = max([checked[word], *(
                reader.doc_frequency(f, t) - reader.doc_count_all() + reader.doc_count()
                for f in TEXT_FIELDS for t in own)])
            other_forms = OtherForms(stem_docs,
                                     lambda k, own=own: _own_terms(analyzer, k) == own)
        found = correct_word(vocab, word, context, other_forms)
        if found is not None:
            found = _in_typed_spelling(found, vocab, index.lexicon)
        if found is not None and own_docs[word]:
            # the index holds the word, maybe in another form ("lobbyists": "lobbyist"):
            # a better spelling is only suggested, never searched too; one of the same
            # stem finds nothing new, so it is offered only for a name ("Blaire": Blair)
            if _own_terms(analyzer, found.replacement) == own and not word[:1].isupper():
                found = None
            elif found.missing:
                found = dataclasses.replace(found, missing=False, searched=False)
        elif found is not None and checked[word]:
            # its stem finds documents, but only another word's ("definately": define):
            # the correction is searched, and the word is not reported as in no document
            found = dataclasses.replace(found, missing=False)
        if found is not None:
            corrections[word] = found
        elif not checked[word]:
            not_found.append(word)
    if not corrections:
        return Spelling(not_found=tuple(not_found), partly_found=partly)

    def corrected(which: dict[str, Correction]) -> str:
        out, last = [], 0
        for m in typed:
            if m.group() in which:
                out += (text[last : m.start()], which[m.group()].replacement)
                last = m.end()
        out.append(text[last:])
        return "".join(out)

    # its correction may be searched, but the word is in no document
    not_found += [c.word for c in corrections.values() if c.missing]
    searched = {w: c for w, c in corrections.items() if apply and c.searched}
    return Spelling(
        suggestion=corrected(corrections),
        applied=bool(searched),
        not_found=tuple(not_found),
        searched=corrected(searched) if searched else None,
        partly_found=partly,
    )


def checked_query(
    index: SearchSource, searcher: Searcher, parsed: ParsedQuery, text: str,
    ranking: Ranking, correct: bool,
) -> tuple[Spelling, query.Query, list[Concept]]:
    """The spelling check of the query ``text`` (parsed as ``parsed``), and the query and
    concepts searched after it (its correction's, when one is searched), kept with the
    parsed query: search and concordance ask for the same ones."""
    cache = query_cache(searcher)
    checked = cache.get(("spelling", text, ranking, correct))
    if checked is None:
        spelling = check_spelling(searcher, index, parsed.query, text, ranking, apply=correct)
        found = parsed if spelling.searched is None else parsed_query(
            index, searcher, spelling.searched, ranking=ranking)
        checked = spelling, found.query, found.concepts
        cache["spelling", text, ranking, correct] = checked
    return checked
