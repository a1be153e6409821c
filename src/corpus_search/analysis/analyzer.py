"""The British political analyzer: a Whoosh tokenizer composed with small filters.

Pipeline (each stage is a Whoosh ``Tokenizer``/``Filter`` usable and testable alone)::

    PoliticalTokenizer   words with char offsets; "by-election" -> by, election (hyphen_next)
    NormaliseFilter      NFKC, accents, apostrophes, possessives, acronym plurals, lower case
    TypedAcronymFilter   a query's acronym plural typed in lower case ("mps") as its capitals
    LexiconFilter        lexicon terms: concept tokens, multi-word groups, case-aware senses
    CompoundFilter       hyphen chains share one position and gain their joined form
    AmountFilter         amounts: "£1bn", "2.5%" (also "2.5 per cent") hold their bare number too
    StopFilter           drops stop words, leaving a gap in the positions
    StemFilter           British spelling, protected proper nouns, cached Snowball stemming

Tokens that share a position are alternatives. ``token.expansion`` is True for tokens the
analyzer added (concepts, joined compounds) and False for the word's own stem. See
``docs/analyzer.md`` for the full description and the lexicon format.
"""

from __future__ import annotations

from whoosh.analysis.analyzers import CompositeAnalyzer

from corpus_search.analysis.amounts import AmountFilter
from corpus_search.analysis.fastpath import FastPaths, text_chunks
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.analysis.lexicon_stage import LexiconFilter
from corpus_search.analysis.stages import (
    CompoundFilter,
    NormaliseFilter,
    PoliticalTokenizer,
    StemFilter,
    StopFilter,
    TypedAcronymFilter,
)
from corpus_search.analysis.tokens import CONCEPT, WORD

__all__ = [
    "ANALYZER_VERSION",
    "PoliticalAnalyzer",
    "document_parties",
    "multiword_spans",
    "ordinary_spans",
    "parties_in",
    "political_analyzer",
    "text_chunks",
]


#: Bumped whenever the token stream for some text changes (the index records it).
ANALYZER_VERSION = "30"


class PoliticalAnalyzer(FastPaths, CompositeAnalyzer):
    """The composed analyzer; pickles as its lexicon's user file paths only."""

    def __init__(
        self,
        lexicon: Lexicon,
        triggers: tuple | None = None,
        cache_share: int = 1,
        parent: PoliticalAnalyzer | None = None,
    ) -> None:
        self.lexicon = lexicon
        # A reader for one text's resolved lexicon (see FastPaths._reader) shares its parent's
        # normalising and stemming caches: they depend on no ambiguous form.
        super().__init__(
            PoliticalTokenizer(),
            parent.normaliser if parent is not None else NormaliseFilter(),
            TypedAcronymFilter(lexicon),
            LexiconFilter(lexicon),
            CompoundFilter(),
            AmountFilter(),
            StopFilter(lexicon.stopwords),
            parent.stemmer if parent is not None else StemFilter(lexicon),
        )
        #: the stages by name (Whoosh keeps them as the list ``items``, in this order)
        (
            self.tokenizer,
            self.normaliser,
            self.acronyms,
            self.lexicon_stage,
            self.compounder,
            self.amounts,
            self.stopper,
            self.stemmer,
        ) = self.items
        self._init_fast_paths(triggers, cache_share, parent)

    def __reduce__(self) -> tuple:
        return (_rebuild, (self.lexicon.extra_paths, ANALYZER_VERSION))

    def __call__(self, value, no_morph: bool = False, **kwargs):
        """The token stream. Document text (any mode but ``"query"``) is read with the
        ambiguous forms its context confirms (:meth:`reading`); a query keeps them all, each
        beside the word itself, since a query has no context to judge by."""
        if isinstance(value, str) and kwargs.get("tokenize", True):
            query = kwargs.get("mode") == "query"
            value = self.read_as(value) if query else self.read_document(value)
        if (
            self.lexicon.context
            and kwargs.get("mode") != "query"
            and kwargs.get("tokenize", True)
            and isinstance(value, str)
        ):
            reader = self._reading(text_chunks(value))
            return CompositeAnalyzer.__call__(reader, value, no_morph=no_morph, **kwargs)
        return super().__call__(value, no_morph=no_morph, **kwargs)

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and other.lexicon.fingerprint == self.lexicon.fingerprint
            and other.items == self.items
        )

    def __hash__(self) -> int:
        return hash((type(self), self.lexicon.fingerprint))

    def __repr__(self) -> str:
        return (
            f"PoliticalAnalyzer(version={ANALYZER_VERSION!r}, lexicon={self.lexicon.fingerprint!r})"
        )


def _rebuild(extra_paths: tuple[str, ...], version: str = ANALYZER_VERSION) -> PoliticalAnalyzer:
    return political_analyzer(load_lexicon(list(extra_paths) or None))


_ANALYZERS: dict[tuple[str, tuple[str, ...]], PoliticalAnalyzer] = {}


def political_analyzer(lexicon: Lexicon | None = None) -> PoliticalAnalyzer:
    """The analyzer for ``title``/``body`` fields (default: the built-in lexicon)."""
    lex = lexicon if lexicon is not None else load_lexicon()
    key = (lex.fingerprint, lex.extra_paths)  # the paths are what a pickle records
    a = _ANALYZERS.get(key)
    if a is None or a.lexicon is not lex:
        a = _ANALYZERS[key] = PoliticalAnalyzer(lex)
    return a


def _lexicon_tokens(text: str, lexicon: Lexicon | None):
    lex = lexicon if lexicon is not None else load_lexicon()
    stream = PoliticalTokenizer()(text, positions=True, chars=True, mode="index")
    return LexiconFilter(lex)(NormaliseFilter()(stream)), lex


def multiword_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of multi-word lexicon matches in raw ``text``: each
    whole match, not the shorter term it begins with ("general election campaign", not its
    "general election": see :class:`~corpus_search.analysis.lexicon.BegunTerm`)."""
    tokens, _lex = _lexicon_tokens(text, lexicon)
    spans = {
        (t.startchar, t.endchar) for t in tokens if t.kind is CONCEPT and getattr(t, "group", 1) > 1
    }
    return sorted((s, e) for s, e in spans if not any(a <= s and e < b for a, b in spans))


def ordinary_spans(text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the lexicon's ordinary uses of words that would
    otherwise name a concept (its ``-`` lines: "labour market", "conservative estimate") in
    raw ``text``."""
    tokens, _lex = _lexicon_tokens(text, lexicon)
    words = [(t.startchar, t.endchar, getattr(t, "group", 1)) for t in tokens if t.kind is WORD]
    return sorted(
        {(start, words[i + group - 1][1])
         for i, (start, _end, group) in enumerate(words)
         if group > 1 and i + group <= len(words)}
    )


def document_parties(
    title: str, body: str, lexicon: Lexicon | None = None, *,
    chunks: tuple[list[str], list[str]] | None = None,
) -> list[str]:
    """The parties a document names, for its party facet: :func:`parties_in` of its title
    and body read as one text (one context for the ambiguous forms).

    Found, when it can be, as the title and the body are read for their index terms, which
    the analyzer keeps for the writer that indexes them next (one reading less per document).
    ``chunks``, if given, are ``(text_chunks(title), text_chunks(body))`` (split once by a
    caller that needs them too: ``str.split()``'s chunks, and a chunk that is a space where a
    sentence ends).
    """
    return political_analyzer(lexicon)._document_parties(title, body, chunks)


def parties_in(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Sorted display names of the parties ``text`` mentions (case-aware; a party's name
    that is a common noun the text writes in lower case is that noun where a sentence starts:
    see :mod:`corpus_search.analysis.sentence_case`).

    The same as collecting the party concepts of the tokenizer, normalise and lexicon stages
    over ``text``, but only words that start a lexicon term (and the words a match starting
    there could take in) are analysed.
    """
    return political_analyzer(lexicon)._parties(text)
