"""From query text to a Whoosh query tree (:func:`build_query`): plain words and quoted
phrases built directly, with their concepts; other syntax through the parser.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from whoosh import query
from whoosh.searching import Searcher

from corpus_search.errors import QueryError
from corpus_search.search import spelling
from corpus_search.search.concepts import Alternative, Concept
from corpus_search.search.groups import (
    OPERATOR,
    PARSER_CHARS,
    PLAIN_WORD,
    Group,
    quoted_phrases,
    word_groups,
)
from corpus_search.search.lexicon_spans import query_term_spans, quoted_regions, range_regions
from corpus_search.search.operators import (
    OPERATORS,
    field_either_note,
    lower_case_operator_notes,
    minus_as_not,
    symbols_as_operators,
    tidy_operators,
)
from corpus_search.search.parser import PoliticalQueryParser
from corpus_search.search.phrases import common_words_note
from corpus_search.search.plain_reading import same_as_plain
from corpus_search.search.ranking import (
    RANKING,
    TEXT_FIELDS,
    Ranking,
    check_query_text,
)
from corpus_search.search.refusals import excludes_everything, why_empty
from corpus_search.search.required import REQUIRED
from corpus_search.search.state import SearchSource
from corpus_search.search.term_patterns import (
    fuzzy_names,
    term_patterns,
    unfuzzed,
)
from corpus_search.search.tidying import tidied_query
from corpus_search.search.typed_parties import lower_case_notes, respelt_notes
from corpus_search.store.memo import PerSearcher

__all__ = ["ParsedQuery", "build_query"]


#: how each word or group of a query was read: (the text, the terms it was read as)
Readings = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class ParsedQuery:
    """A query text as searching uses it, built by :func:`build_query`."""

    #: the Whoosh query tree
    query: query.Query
    #: the query's concepts when it is plain words and quoted phrases (ranked by coverage
    #: and proximity, see :meth:`~corpus_search.search.engine.QueryEngine.score_concepts`);
    #: None when Whoosh's parser read it (its tree is scored as it is)
    concepts: tuple[Concept, ...] | None
    #: what each typed word or group was read as, in the order read
    readings: Readings
    #: the fields searched, in the order each word's clauses are
    fields: tuple[str, ...]
    #: what the user should know of how the query was read (a fuzzy term's edits lowered)
    notes: tuple[str, ...] = ()
    #: a query with fuzzy marks on its words read without what its words find unmarked
    #: (``query`` is both): a count adds what a count of the unmarked words counts
    fuzzy_alone: query.Query | None = None


def _prepare(
    text: str, index: SearchSource, ranking: Ranking, notes: list[str] | None = None,
    phrase_fallback: bool = False,
) -> str:
    """The query with its word groups (see :func:`~corpus_search.search.groups.word_groups`)
    written in Whoosh's syntax, each whole (a lexicon term as the term, a name as all its
    words: :meth:`~corpus_search.search.groups.Group.render`), as a query the parser reads
    has no concepts to count them by; with ``phrase_fallback``, as a plain query is built
    (see :func:`_direct_query`): a term or name also as its words, and each quoted phrase
    ``("a b" OR (a AND b))``. What the user should know of how it was read (a fuzzy name's
    mark on each word) is added to ``notes``."""
    # a lexicon term typed with a wildcard in its last word ("Lib Dem*") is the terms it
    # completes, not its words apart (its words then belong to no other group); a name typed
    # with a fuzzy mark (Gordon Brown~) is each of its words fuzzy, the name whole
    fuzzy = fuzzy_names(text, index, ranking)
    if notes is not None:
        notes.extend(n.note for n in fuzzy if len(n.words) > 1 and n.note not in notes)
    patterned: list[Any] = [*term_patterns(text, index, ranking, quoted_regions(text)), *fuzzy]
    edits: list[Any] = [g for g in word_groups(text, index, ranking)
                        if not any(p.start < g.end and g.start < p.end for p in patterned)]
    ranges = range_regions(text)  # (a range's ends are compared as typed: never grouped)
    edits = sorted([e for e in edits + patterned
                    if not any(s < e.end and e.start < r for s, r in ranges)],
                   key=lambda e: e.start)
    if phrase_fallback:
        analyzer = index.schema["body"].analyzer
        edits = sorted(edits + (quoted_phrases(text, analyzer) or []), key=lambda e: e.start)
    out, last = [], 0
    for edit in edits:
        out.append(text[last : edit.start])
        out.append(edit.render(whole=not phrase_fallback))
        last = edit.end
    out.append(text[last:])
    return "".join(out)


def _direct_query(
    parser: PoliticalQueryParser, text: str, index: SearchSource, ranking: Ranking
) -> tuple[query.Query, tuple[Concept, ...]] | None:
    """The query Whoosh's parser would make of plain ``text`` (words and quoted phrases)
    and its word groups, built directly from the parser's own term and phrase methods, with
    the query's concepts; None if ``text`` is not plain enough to be sure of that (the
    tests compare the two on generated queries).

    A quoted phrase of two or more words also matches the documents holding all its words
    (anywhere): its concept ranks the documents holding the phrase first (see
    :attr:`~corpus_search.search.concepts.Concept.first`), then those holding all its words."""
    quoted = quoted_phrases(text, parser.analyzer)
    if quoted is None:
        return None
    unquoted = list(text)
    for edit in quoted:
        unquoted[edit.start : edit.end] = " " * (edit.end - edit.start)
    tokens = "".join(unquoted).split()
    if (
        not text.split()
        or PARSER_CHARS.search("".join(unquoted))
        or REQUIRED.search("".join(unquoted))
        or OPERATOR.search(text)
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

    edits = sorted(word_groups(text, index, ranking) + quoted, key=lambda e: e.start)
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
        if edit.name:
            # the words of one name hold one place of the query together; an honorific
            # before it only a small part of it
            for n, (w, weight) in enumerate(
                    zip(edit.words, _name_weights(edit, ranking), strict=True)):
                honorific = n == 0 and edit.honorific
                word(w)
                alternatives = parser.concept_alternatives(
                    w, name=() if honorific else edit.words[edit.honorific:])
                if edit.spaced is not None and n == len(edit.words) - 1:
                    # its last word as typed or as the two words the texts write
                    phrase(edit.spaced)
                    alternatives += parser.concept_alternatives(edit.spaced)
                concept(w, alternatives, part_of=edit.chunk, weight=weight,
                        name_word=not honorific, honorific=honorific)
            last = edit.end
            continue
        if edit.spaced is not None:
            # the word as typed or as the two words the texts write: one place
            word(edit.chunk)
            phrase(edit.spaced)
            concept(edit.chunk, parser.concept_alternatives(edit.chunk)
                    + parser.concept_alternatives(edit.spaced))
            last = edit.end
            continue
        phrase(edit.chunk)
        alternatives = parser.concept_alternatives(edit.chunk, quoted=edit.quoted)
        if edit.joined is not None:
            word(edit.joined)
            alternatives += parser.concept_alternatives(edit.joined)
        if not edit.words:
            note = common_words_note(edit.chunk, parser.analyzer) if edit.quoted else None
            if note and note not in parser.notes:
                parser.notes.append(note)
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
    if not parts:
        return query.NullQuery, tuple(concepts.values())
    return parts[0] if len(parts) == 1 else query.Or(parts), tuple(concepts.values())


def _name_weights(name: Group, ranking: Ranking) -> list[float]:
    """The nominal parts of a name's place held by its words: equal, but for an honorific
    first (Lady in "Lady Thatcher"), which holds ``ranking.honorific_share``."""
    if not name.honorific:
        return [1 / len(name.words)] * len(name.words)
    rest = (1 - ranking.honorific_share) / (len(name.words) - 1)
    return [ranking.honorific_share] + [rest] * (len(name.words) - 1)


def build_query(
    index: SearchSource,
    text: str,
    *,
    fields: Iterable[str] = TEXT_FIELDS,
    ranking: Ranking = RANKING,
) -> ParsedQuery:
    """Parse a user's query string into a Whoosh query, with its concepts when it is plain
    words (see :class:`ParsedQuery`)."""
    cleaned, tidied = tidied_query(text, index, ranking)
    if not cleaned:
        raise QueryError(f"The query {text!r} has nothing to search for: {why_empty([])}")
    fields = tuple(fields)
    parser = _parser(index, fields, ranking)
    parser.notes.extend(tidied)
    parser.check_fields(cleaned)
    # (tidied before && and || are written AND and OR, so that a note names what was typed)
    cleaned, left_out = tidy_operators(minus_as_not(cleaned))
    cleaned = symbols_as_operators(cleaned)
    if not cleaned:  # nothing but operators
        reason = why_empty(sorted(OPERATORS))  # the reason a query of operators alone gets
        raise QueryError(f"The query {text!r} has nothing to search for: {reason}")
    parser.notes.extend(left_out)
    concepts: tuple[Concept, ...] | None = None
    fuzzy_alone = None
    direct = _direct_query(parser, cleaned, index, ranking)
    if direct is not None:
        q, concepts = direct
    else:
        try:
            q = parser.parse_whole(_prepare(cleaned, index, ranking, parser.notes))
        except QueryError:  # ours (a pattern too broad): say so
            raise
        except Exception:  # Whoosh's parser can trip on odd syntax: read it as plain words
            q = None
        if q is not None and not _has_error(q):
            widened = _or_unfuzzed(q, cleaned, index, fields, ranking)
            fuzzy_alone, q = (q if widened is not q else None), widened
            q, concepts = same_as_plain(q, cleaned, lambda words: _direct_query(
                _parser(index, fields, ranking), words, index, ranking)) or (q, None)
    if q is None or _has_error(q):
        q, concepts = _as_words(parser, cleaned, text, index, ranking)
    q = _exclude_negations(q.normalize())
    if excludes_everything(q):
        raise QueryError(
            f"The query {text!r} excludes every document (NOT *): nothing can match. Name "
            "what to leave out instead, as in: Iraq NOT war."
        )
    if q is query.NullQuery or isinstance(q, type(query.NullQuery)):
        raise QueryError(
            f"The query {text!r} has nothing to search for: "
            f"{why_empty(PLAIN_WORD.findall(cleaned))}"
        )
    notes = (*_lower_case_notes(parser, cleaned, index), field_either_note(
        text, query_term_spans(text, index.lexicon) if ":" in text else ()))
    parser.notes.extend(n for n in notes if n and n not in parser.notes)
    readings = tuple((source, tuple(terms)) for source, terms in parser.readings)
    if fuzzy_alone is not None:
        fuzzy_alone = _exclude_negations(fuzzy_alone.normalize())
    return ParsedQuery(q, concepts, readings, fields, tuple(parser.notes), fuzzy_alone)


def _or_unfuzzed(q: query.Query, text: str, index: SearchSource, fields: tuple[str, ...],
                 ranking: Ranking) -> query.Query:
    """``q``, read from ``text`` with fuzzy marks on its words, or what ``text`` finds without
    them: a fuzzy query finds at least what its words find. "Gordon Brown~" had been
    Gordon~ AND Brown~ (89 BBC documents) where Gordon Brown also finds "Mr Brown" (159),
    and "Tory~" lost the lexicon's Conservative Party (19 documents)."""
    exact = unfuzzed(text)
    if exact is None:
        return q
    reader = _parser(index, fields, ranking)  # (a parser of its own: its notes are not said)
    try:
        # (plain words as a plain query matches them, a name also as its words: its direct
        # query needs its concepts to leave out what holds only an honorific, "Mr")
        plain = _direct_query(reader, exact, index, ranking) is not None
        found = reader.parse_whole(_prepare(exact, index, ranking, phrase_fallback=plain))
    except Exception:  # (what the exact words cannot be read as adds nothing)
        return q
    if found is None or _has_error(found):
        return q
    reader = index.searcher().reader()  # (a word no document holds adds nothing: Kenedy)
    found = found.accept(lambda node: query.NullQuery if type(node) is query.Term
                         and not reader.doc_frequency(node.fieldname, node.text)
                         else node).normalize()
    return q if found is query.NullQuery else query.Or([q, found])


def _lower_case_notes(parser: PoliticalQueryParser, text: str, index: SearchSource) -> list[str]:
    """What words typed in lower case are: "labour" the word, in any sense, not the party
    "Labour" names; "not" a word, not the operator NOT. And what "Labor" typed so is: the
    party, not the word the texts write so."""
    def indexed(word: str) -> bool:
        return any(True for _ in parser.analyzer(word, mode="query"))

    return [*lower_case_notes(text, parser.analyzer), *respelt_notes(text, parser.analyzer),
            *lower_case_operator_notes(
                text, lambda: query_term_spans(text, index.lexicon), indexed)]


def _as_words(
    parser: PoliticalQueryParser, cleaned: str, text: str, index: SearchSource, ranking: Ranking
) -> tuple[query.Query, tuple[Concept, ...] | None]:
    """The query ``cleaned`` (typed as ``text``), whose syntax Whoosh's parser cannot read,
    read as its words, with a note saying so; plain words are built, with their concepts,
    as any plain query is."""
    # the brackets and quotes gone, operators may now have nothing to join or come
    # doubled (NOT (NOT (lab reads NOT NOT lab): tidied as typed ones are
    plain, left_out = tidy_operators(" ".join(PLAIN_WORD.findall(cleaned)))
    if plain:
        parser.notes.append(f"The syntax of {text.strip()!r} could not be read, so it was "
                            f"searched as the words {plain}.")
    parser.notes.extend(n for n in left_out if n not in parser.notes)
    if not plain:
        return query.NullQuery, None
    direct = _direct_query(parser, plain, index, ranking)
    if direct is not None:
        return direct
    try:
        return parser.parse_whole(_prepare(plain, index, ranking, parser.notes)), None
    except QueryError:
        raise
    except Exception as exc:
        raise QueryError(f"Could not understand the query {text!r}: {exc}") from None


#: parsed queries kept per searcher (see :func:`parsed_query`); the cache is emptied when full
QUERY_CACHE_SIZE = 512

#: searcher -> its parsed queries and spelling checks (kept here, not on Whoosh's searcher)
_QUERIES: PerSearcher[Searcher, dict[Any, Any]] = PerSearcher(lambda _: {})


def parsed_query(
    index: SearchSource,
    searcher: Searcher,
    text: str,
    *,
    fields: tuple[str, ...] = TEXT_FIELDS,
    ranking: Ranking = RANKING,
) -> ParsedQuery:
    """:func:`build_query`, remembered: a query asked again is not parsed again (nor its
    spelling checked again: :func:`~corpus_search.search.execute.search` keeps that in the
    same cache).

    Parsing is the largest share of a warm search (word groups, the analyzer, document
    frequencies for compounds). The cache belongs to ``searcher``, the one search uses: a
    searcher reads one generation of the index (its documents and the lexicon it was built
    with), and any change to the index (new documents, a rebuild with another lexicon) opens
    a new searcher with an empty cache, so a parse is never reused across generations. The
    key is the query text as given, the fields, the ranking and the cap on a pattern's words
    (:data:`~corpus_search.search.spelling.MAX_PATTERN_WORDS`, which a program may change).
    """
    check_query_text(text)  # (before the cache: a list as key raised "unhashable type: 'list'")
    cache = query_cache(searcher)
    key = (text, fields, ranking, spelling.MAX_PATTERN_WORDS)
    found = cache.get(key)
    if found is None:
        found = cache[key] = build_query(index, text, fields=fields, ranking=ranking)
    return found


def query_cache(searcher: Searcher) -> dict[Any, Any]:
    """The parsed queries and spelling checks kept for ``searcher`` (see
    :func:`parsed_query`), as long as it lives."""
    cache = _QUERIES(searcher)
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


def _parser(index: SearchSource, fields: tuple[str, ...], ranking: Ranking) -> PoliticalQueryParser:
    """A parser for one query over this index, fields and ranking: a fresh copy of the one
    built once for them (building one costs ~1 ms)."""
    cache = index.search_state.parsers
    parser = cache.get((fields, ranking))
    if parser is None:
        parser = cache[(fields, ranking)] = PoliticalQueryParser(index, fields, ranking)
    return parser.for_query()


def _has_error(q: query.Query) -> bool:
    return any(getattr(node, "error", None) for node in walk(q))


def walk(q: query.Query) -> Iterable[query.Query]:
    yield q
    if not q.is_leaf():
        for child in q.children():
            yield from walk(child)
