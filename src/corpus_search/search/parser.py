"""The query parser: Whoosh's query language read through the political analyzer, with
bounded fuzzy terms and lexicon-aware phrases.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from whoosh import query
from whoosh.qparser import (
    BoostPlugin,
    FieldsPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    OrGroup,
    PhrasePlugin,
    QueryParser,
    RangePlugin,
)
from whoosh.qparser import syntax as qsyntax

from corpus_search.analysis.stemming import misspelt_names
from corpus_search.errors import QueryError
from corpus_search.search.concepts import Alternative
from corpus_search.search.date_values import check_date_values
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.expansions import expansion_query, fuzzy_similarity, osa_distance
from corpus_search.search.field_held import fields_held
from corpus_search.search.field_values import VALUE_FIELDS, fuzzy_value_query, value_query
from corpus_search.search.modifiers import (
    MAX_FUZZY_EDITS,
    PHRASE_EXPR,
    BoostKeepingOperatorsPlugin,
    BoundedBoostPlugin,
    BoundedFuzzyTermPlugin,
    FieldRangeSignPlugin,
    fuzzy_edits_allowed,
    phrase_slop,
)
from corpus_search.search.other_terms import inside_terms
from corpus_search.search.phrases import (
    Place,
    Reading,
    Way,
    implied_by,
    read,
    readings,
    written_forms,
)
from corpus_search.search.phrases_gapped import phrase_at, sequence_at
from corpus_search.search.ranges import DateRangesPlugin, OpenRangePlugin
from corpus_search.search.ranking import TEXT_FIELDS, Ranking
from corpus_search.search.refusals import empty_value
from corpus_search.search.required import RequiredPlugin
from corpus_search.search.spelling import (
    Vocabulary,
    expand_fuzzy,
    expand_pattern,
    fold_pattern,
    vocabulary,
)
from corpus_search.search.state import SearchSource
from corpus_search.search.term_patterns import forms_matching
from corpus_search.terminal import counted

#: The fields a query may name (``title:budget``), as the user guide lists them. The index's
#: other indexed fields are read as before; a name that is no field is refused.
QUERY_FIELDS = ("title", "body", "party", "source", "id", "year", "date")


class _KnownFieldsPlugin(FieldsPlugin):
    """``field:value`` read as Whoosh reads it, except that a name that is no searchable
    field (``author:Marr``, ``Title:Blair``, ``url:bbc``) is refused with a
    :class:`QueryError` instead of silently becoming words.

    Only a name the parser would apply to what follows it counts: a word that starts with
    a letter, right before a value (not a space: ``Labour: the`` is words). A name starting
    with a digit (``10:30``, ``2:1``), a web address's scheme (``http://``) and a colon in a
    field's value (``id:news:x``) stay text."""

    def do_fieldnames(self, parser: Any, group: Any) -> Any:
        schema = parser.schema
        nodes = list(group)
        for before, node, after in zip([None, *nodes], nodes, nodes[1:], strict=False):
            name = getattr(node, "fieldname", None)
            if (
                isinstance(node, qsyntax.FieldnameNode)
                and not isinstance(before, qsyntax.FieldnameNode)
                and not (name in schema and schema[name].indexed)
                and name[:1].isalpha()
                and not after.is_ws()
                and not str(getattr(after, "text", "")).startswith("//")
            ):
                raise QueryError(unknown_field_message(name))
        return fields_held(super().do_fieldnames(parser, group))  # (title:*: a title)


#: a field's name with a space after its colon (``title: Blair``) or nothing (``title:`` at
#: the end): read as the word itself
_SPACED_FIELD = re.compile(r"(?<![\w:])(" + "|".join(QUERY_FIELDS) + r"):(?:\s+(\S+)|$)")


def unknown_field_message(name: str) -> str:
    """The one-line error for a query naming ``name:``, which is no field it can search."""
    lower = name.lower()
    cased = lower != name and lower in QUERY_FIELDS
    hint = f" (field names are lower case: {lower}:)" if cased else ""
    return (
        f"There is no field {name!r} to search ({name}:): the fields are "
        f"{', '.join(QUERY_FIELDS)}{hint}. To search for the word itself, leave a space "
        "after the colon."
    )


class _ConceptPhrasePlugin(PhrasePlugin):
    """Quoted phrases analyzed with positions, so lexicon alternatives stay one phrase slot."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: Any) -> query.Query | None:
            fieldname = self.fieldname or parser.fieldname
            q = parser.phrase_query(fieldname, self.text, self.slop, self.boost)
            return qsyntax.attach(q, self) if q is not None else None

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: Any, match: re.Match[str]) -> Any:
            slop = phrase_slop(parser, match)
            return _ConceptPhrasePlugin.PhraseNode(match.group("text"), match.start("text"), slop)


class PoliticalQueryParser(QueryParser):
    """Whoosh's multifield parser, taught to build queries from the analyzer's alternatives.

    A parser is built once per index, fields and ranking and kept; each query is read by a
    copy of it (:meth:`for_query`) that records what that query's words were read as
    (:attr:`readings`)."""

    def __init__(self, index: SearchSource, fields: Iterable[str], ranking: Ranking) -> None:
        fields = list(fields)
        boosts = ranking.syntax_boosts()
        super().__init__(None, index.schema, group=OrGroup)
        self.plugins = [  # in its place: taggers of one priority run in the order of the list
            _KnownFieldsPlugin() if type(p) is FieldsPlugin
            else OpenRangePlugin() if type(p) is RangePlugin
            else BoundedBoostPlugin() if type(p) is BoostPlugin
            else BoostKeepingOperatorsPlugin() if type(p) is OperatorsPlugin
            else p
            for p in self.plugins
        ]
        self.add_plugin(MultifieldPlugin(fields, {f: boosts.get(f, 1.0) for f in fields}))
        #: (field, boost) in the order the multifield plugin expands a word
        self.field_boosts = [(f, boosts.get(f, 1.0)) for f in fields]
        self.remove_plugin_class(PhrasePlugin)
        self.add_plugin(_ConceptPhrasePlugin(PHRASE_EXPR))
        self.add_plugin(BoundedFuzzyTermPlugin())
        self.add_plugin(FieldRangeSignPlugin())
        self.add_plugin(DateRangesPlugin())
        self.add_plugin(RequiredPlugin())
        self.index = index
        self.ranking = ranking
        self.analyzer = index.schema["body"].analyzer
        #: (the words the user typed, the terms they were read as), in the order read
        self.readings: list[tuple[str, list[str]]] = []
        #: what the user should know of how the query was read (a fuzzy term's edits lowered)
        self.notes: list[str] = []
        #: reading as a query with operators is (:meth:`parse_whole`): a word or phrase
        #: matches no broader concept it implies (see :meth:`_alternatives`)
        self.whole = False
        self._group_memo: dict[str, Reading] = {}
        #: concept -> the broader concepts the lexicon says it implies (plp -> labour_party;
        #: election_campaign -> general_election, which "general election campaign" begins with)
        self.implied = index.lexicon.implied
        broader = {c for also in self.implied.values() for c in also}
        forms: dict[str, list[str]] = {}
        for entry in index.lexicon.entries:
            if entry.concept in broader:
                forms.setdefault(entry.concept, []).extend(entry.forms)
        #: concept -> its forms, for the concepts some other concept implies (nhs: "NHS",
        #: "National Health Service", ...): the index holds the narrower concepts' mentions
        #: under the broader one's term
        self.implied_forms = {c: forms[c] for c in broader if c in forms}
        self._verbatim_memo: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {}
        self._concepts = index.lexicon.concepts

    def for_query(self) -> PoliticalQueryParser:
        """A parser for one query: this one's configuration (shared, never changed by
        parsing), with readings and a memo of its own, so the kept parser holds no query's
        state."""
        reader = copy.copy(self)
        reader.readings = []
        reader.notes = []
        reader.whole = False
        reader._group_memo = {}
        return reader

    def parse_whole(self, text: str) -> query.Query:
        """``text`` parsed as a query with operators is read (:attr:`whole`): its words
        match what a count counts, for it has no concepts to count them by."""
        self.whole = True
        try:
            return self.parse(text)
        finally:
            self.whole = False

    def check_fields(self, text: str) -> None:
        """Raise :class:`QueryError` if ``text``, as typed, names a field it cannot search
        (see :class:`_KnownFieldsPlugin`), a date it cannot read or an empty value
        (:func:`~corpus_search.search.refusals.empty_value`): checked before word groups are
        rewritten into Whoosh's syntax, which could part a name from its colon."""
        if ":" not in text:
            return
        self._note_spaced_fields(text)
        try:
            self.process(text)
        except QueryError:
            raise
        except Exception:  # other odd syntax: left to parsing, which reads it as words
            pass
        check_date_values(text, self.schema["date"])
        empty = empty_value(text)
        if empty:
            raise QueryError(empty)

    def _note_spaced_fields(self, text: str) -> None:
        """Say that ``title: Blair`` (or ``title:`` at the end) searched the word "title" (a
        space after the colon keeps a word such as "Labour:" a word), and how to search the
        field instead. Quoted phrases are left out: a colon there is text."""
        unquoted = re.sub(r'"[^"]*"', '""', text)  # a quoted value stays a value
        for match in _SPACED_FIELD.finditer(unquoted):
            name, value = match.group(1), match.group(2)
            after = "a space after the colon" if value else "nothing after it"
            note = (
                f"{name}: with {after} searches for the word {name!r}; "
                f"to search the {name} field, write {name}:{value or 'WORD'}."
            )
            if note not in self.notes:
                self.notes.append(note)

    def _groups(self, text: str) -> list[Place]:
        """The analyzer's query-mode reading of ``text``: alternatives per place (see
        :func:`~corpus_search.search.phrases.read`).

        Remembered for the query being parsed (each word is read once per field)."""
        return self._reading(text).places

    def _reading(self, text: str) -> Reading:
        found = self._group_memo.get(text)
        if found is None:
            found = self._group_memo[text] = read(self.analyzer, self.implied, text)
        return found

    def _phrase_readings(self, fieldname: str, text: str) -> list[Way]:
        """The ways the texts may write the phrase ``text`` in ``fieldname``: as typed, and
        with neighbouring words closed up where that field holds them so ("file-sharing")."""
        reader = self.index.searcher().reader()
        return readings(self._reading(text), lambda term: reader.doc_frequency(fieldname, term) > 0)

    def _alternatives(
        self, fieldname: str, alts: list[tuple[str, bool]], boost: float, source: str
    ) -> query.Query:
        """One query slot: the word's own term at full weight, lexicon expansions lighter.

        A slot with only expansions (a multi-word term the user typed, read as its concept)
        is the user's own meaning, so it keeps full weight. Read :attr:`whole`, a slot holds
        no broader concept another of its terms implies, as a plain query's count counts
        (:func:`~corpus_search.search.concepts.related_terms`): "PLP AND Blair" is not
        every Labour story naming Blair, nor "(Deputy Prime Minister)" every Prime Minister.
        """
        if self.whole:
            broader = implied_by((text for text, _ in alts), self.implied)
            alts = [alt for alt in alts if alt[0] not in broader] or alts
        self.readings.append((source, [text for text, _ in alts]))
        own = any(not expansion for _, expansion in alts)
        terms = []
        for text, expansion in alts:
            weight = boost * (self.ranking.expansion_weight if expansion and own else 1.0)
            terms.append(query.Term(fieldname, text, boost=weight))
        return terms[0] if len(terms) == 1 else query.Or(terms)

    def concept_alternatives(
        self, text: str, quoted: bool = False, name: tuple[str, ...] = ()
    ) -> list[Alternative]:
        """The alternatives of ``text`` (a word, or a multi-word term read as one), weighted as
        :meth:`_alternatives` weights the terms; a broader concept that another alternative
        implies ("PLP" also yields ``labour_party``) is weak, at ``surface_weight``, and so is
        the leader's name read beside a name misspelt as it (Browne's brown). A phrase
        holds as each of its readings does (:func:`~.phrases.readings`) and, ``quoted``, as
        its plain words at one place. ``name``: the words of the name ``text`` is a word of
        (see :meth:`_case_forms`)."""
        groups = self._groups(text)
        if not groups:
            return []
        if len(groups) > 1:
            ways = [Alternative(tuple(tuple(t for t, _ in g) for g in way.places),
                                offsets=way.offsets if way.gapped else ())
                    for way in self._phrase_readings("body", text)]
            plain = [w for g in groups for w, expansion in g[:1] if not expansion]
            if quoted and len(plain) == len(groups) == len(set(plain)):
                # plain words may stand inside a longer lexicon term, at its one place
                ways.append(Alternative(ways[0].slots, within_terms=True, inside=inside_terms(
                    self.index.lexicon, self.analyzer, text), offsets=ways[0].offsets))
            return ways
        alts = groups[0]
        own = any(not expansion for _, expansion in alts)
        broader = implied_by((t for t, _ in alts), self.implied)
        # typed capitalised as the texts almost always write it ("Commons"), unless the word
        # is a concept itself, whose case the lexicon says ("=Whitehall", "civil service")
        plain = own and not any(t in self._concepts for t, e in alts if not e)
        cased = self._case_forms(text, name) if plain else ()
        slips = {misspelt_names(self.index.lexicon).get(t) for t, e in alts if not e}
        out = []
        for text_, expansion in alts:
            if text_ in broader:
                out.append(Alternative.term(text_, self.ranking.surface_weight, weak=True))
            elif not expansion and text_ in self.implied_forms:
                # the word is itself a lexicon concept that narrower ones imply ("NHS", and
                # "strategic health authority"): the index holds them all under its term
                out.append(Alternative(((text_,),), 1.0, verbatim=self._verbatim(text_),
                                       others=self.ranking.expansion_weight))
            elif not expansion and cased:  # "an online commons", "a power cable" count less
                others = self.ranking.name_case_weight if name else self.ranking.expansion_weight
                out.append(Alternative(((text_,),), 1.0, verbatim=cased, others=others))
            else:  # (the leader's name beside a name misspelt as it, brown of Browne: weak)
                weight = self.ranking.expansion_weight if expansion and own else 1.0
                out.append(Alternative.term(text_, weight, weak=expansion and text_ in slips))
        return out

    def _case_forms(self, word: str, name: tuple[str, ...]) -> tuple[Any, ...]:
        """The forms (as :func:`~.phrases.written_forms` gives them) that show a document
        writes ``word`` as typed capitalised: the word only capitalised, where the texts
        almost always write it so ("Commons"; elsewhere it counts ``expansion_weight``). A
        word of a name (``name``, its words but an honorific: Vince Cable, Mr Cable) is the
        name however the texts write it: only capitalised ("Mr Cable said") or beside the
        name's other words; elsewhere ("a power cable") it counts ``name_case_weight``."""
        vocabulary = self._vocabulary()
        if not name:
            capitalised = vocabulary.capitalised_form(word)
            return (((capitalised,),),) if capitalised else ()
        capitalised = vocabulary.capitalised_form(word[:1].upper() + word[1:], share=0.0)
        forms = (((capitalised,),),) if capitalised else ()
        return forms + (written_forms([" ".join(name)]) if len(name) > 1 else ())

    def _verbatim(self, concept: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
        found = self._verbatim_memo.get(concept)
        if found is None:
            found = self._verbatim_memo[concept] = written_forms(self.implied_forms[concept])
        return found

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> query.Query | None:
        if fieldname in VALUE_FIELDS:  # (party:Con*: the values the pattern matches)
            return value_query(self.index, self.ranking, fieldname, text, termclass, boost,
                               self.notes)
        if fieldname not in TEXT_FIELDS:
            return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        if termclass is query.Prefix:
            return self.pattern_query(fieldname, text + "*", boost)
        if termclass is query.Wildcard:
            return self.pattern_query(fieldname, text, boost)
        if termclass is not query.Term:
            return self.fuzzy_query(fieldname, text, 1, 0, boost)
        reading = self._reading(text)
        if not reading.places:
            return None
        parts = [self._alternatives(fieldname, g, boost, text) for g in reading.places]
        if len(parts) == 1:
            return parts[0]
        # ("Labour/the/Tories": a stop word leaves a gap between two of its words)
        return sequence_at(parts, 1, 1.0, reading.way().offsets)

    # -- wildcards and fuzzy terms: over the words of the texts as written -------------------

    def _vocabulary(self) -> Vocabulary:
        return vocabulary(engine_for_ranking(self.index.searcher(), self.ranking))

    def pattern_query(self, fieldname: str, pattern: str, boost: float) -> query.Query:
        """A wildcard pattern (``privatiz*``, ``ele?tion``): the indexed terms of the words
        of the texts it matches, folded as whole words are (see
        :func:`corpus_search.search.spelling.expand_pattern`). A pattern of wildcards only (``*``)
        matches every document; one with a digit matches the indexed terms directly (the
        words field holds no numbers, which the index keeps as written). One matching no
        word of the texts is the lexicon's forms it matches, each read as typed: the texts
        write no "PMQs", and a word with a hyphen is two words there (``by-elec*``)."""
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
        forms = [] if words else forms_matching(pattern, self.index.lexicon)
        if forms:  # no word of the texts, but forms of the lexicon's terms (PMQ*, by-elec*)
            found = {str(q): q for f in forms
                     if (q := self.term_query(fieldname, f, query.Term, boost)) is not None}
            return query.Or(list(found.values())) if len(found) > 1 else next(iter(found.values()))
        return self._words_query(fieldname, words, boost, fold_pattern(pattern))

    def fuzzy_query(
        self, fieldname: str, text: str, maxdist: int, prefix: int, boost: float, mark: str = "~"
    ) -> query.Query:
        """``word~N/P`` (``mark``: ``~N/P`` as typed): the indexed terms of the words of the
        texts within N edits of ``word`` (respelled British, as the analyzer would) sharing its
        first P letters. An N above :data:`MAX_FUZZY_EDITS` is lowered to it, with a note."""
        letters = sum(ch.isalnum() for ch in text)
        if not letters:  # "~~": no word to be near
            return query.NullQuery
        allowed = fuzzy_edits_allowed(letters)
        if maxdist > allowed:
            if maxdist > MAX_FUZZY_EDITS and allowed == MAX_FUZZY_EDITS:
                why = f"a fuzzy term allows at most {MAX_FUZZY_EDITS} edits"
            else:
                why = (f"a word of {counted(letters, 'letter')} allows "
                       f"{counted(allowed, 'edit') if allowed else 'no edits'}")
            note = f"{text}~{maxdist}: {why}, so this searched {text}~{allowed}."
            if note not in self.notes:
                self.notes.append(note)
            maxdist = allowed
        if fieldname in VALUE_FIELDS:  # (party:Labur~: the values named near it)
            return fuzzy_value_query(self.index, self.ranking, fieldname, text, maxdist,
                                     prefix, boost, self.notes, mark)
        if fieldname not in TEXT_FIELDS:
            q = self.term_query(fieldname, text, query.FuzzyTerm, boost)
            if isinstance(q, query.FuzzyTerm):
                return query.FuzzyTerm(
                    q.fieldname, q.text, q.boost, maxdist, prefix, q.constantscore
                )
            return q
        words = expand_fuzzy(self._vocabulary(), text, maxdist, prefix, self.index.lexicon)
        if not words:
            return query.NullQuery
        key = words[0]
        similarity = {w: fuzzy_similarity(key, w, osa_distance(key, w)) for w in words}
        return self._words_query(fieldname, words, boost, f"{key}~{maxdist}", similarity)

    def _words_query(
        self,
        fieldname: str,
        words: list[str],
        boost: float,
        label: str,
        similarity: dict[str, float] | None = None,
    ) -> query.Query:
        """The own indexed terms of ``words`` (unexpanded, or the leader's name beside a name
        misspelt as it: brown of Browne), scored as one word (one shared idf), each at
        ``boost`` times the ``similarity`` of its word (the largest, for a term several give).

        Words found only in deleted documents are left out; no word at all gives a term
        that can match nothing, shown as ``label``."""
        vocab = self._vocabulary()
        terms: dict[str, float] = {}
        shown: dict[str, list[str]] = {}  # each term's words, as the texts write them
        for word in words:
            if vocab.has_deletions and not vocab.frequency(word):
                continue
            weight = similarity[word] if similarity else 1.0
            for tok in self.analyzer(word, mode="query"):
                if not getattr(tok, "expansion", False) or tok.kind == "word":
                    terms[tok.text] = max(terms.get(tok.text, 0.0), weight)
                    shown.setdefault(tok.text, []).append(word)
        if not terms:
            return query.Term(fieldname, label, boost=boost)
        return expansion_query(fieldname, terms, boost, shown)

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
        ways = [self._sequence(fieldname, way, slop, boost, text)
                for way in self._phrase_readings(fieldname, text)]
        return ways[0] if len(ways) == 1 else query.Or(ways)

    def _sequence(self, fieldname: str, way: Way, slop: int, boost: float,
                  text: str) -> query.Query:
        """One way of writing a phrase, its places in order, at their offsets when a stop
        word leaves a gap between two (:mod:`~corpus_search.search.phrases_gapped`)."""
        places = way.places
        if len(places) == 1:
            return self._alternatives(fieldname, places[0], boost, text)
        if all(len(g) == 1 for g in places):
            return phrase_at(fieldname, [g[0][0] for g in places], slop, boost, way.offsets)
        parts = [self._alternatives(fieldname, g, 1.0, text) for g in places]
        return sequence_at(parts, slop, boost, way.offsets)
