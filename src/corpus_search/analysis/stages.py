"""The pipeline stages: the tokenizer and each filter (normalise, a query's lower-case
acronyms, compounds, stop words, stemming), each a Whoosh ``Tokenizer``/``Filter`` usable
and testable alone; the lexicon stage is :mod:`corpus_search.analysis.lexicon_stage`, the
amounts' :mod:`corpus_search.analysis.amounts`.
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token

from corpus_search.analysis.lexicon import Lexicon
from corpus_search.analysis.stemming import misspelt_names, stem_word
from corpus_search.analysis.text import (
    LONG_CHUNK,
    MAX_WORD_LENGTH,
    SENTENCE_GAP,
    TOKEN_RE,
    normalise_word,
    sentence_cuts,
)
from corpus_search.analysis.tokens import (
    CONCEPT,
    JOINED,
    WORD,
    PoliticalToken,
    load,
    snap,
)

__all__ = [
    "CompoundFilter",
    "NormaliseFilter",
    "PoliticalTokenizer",
    "StemFilter",
    "StopFilter",
    "TypedAcronymFilter",
]


_HYPHEN = re.compile(r"[-\u2010\u2011]")


class PoliticalTokenizer(Tokenizer):
    """Split text into words (see :data:`corpus_search.analysis.text.TOKEN_RE`: a currency
    symbol before a number is part of the amount, "£1bn").

    Every token gets ``pos``, ``startchar``/``endchar`` (offsets into the raw text),
    ``hyphen_next`` (the word is joined to the next one by a hyphen), ``kind="word"`` and
    ``expansion=False``. Hyphens, dashes, underscores and punctuation separate words.
    A word longer than :data:`~corpus_search.analysis.text.MAX_WORD_LENGTH` characters is
    dropped: its position stays empty, as a removed stop word's does (Lucene's
    ``StandardTokenizer`` counts a skipped over-long token in the next one's position
    increment), so the words either side of it are no phrase; a hyphen joining it to a
    neighbour joins nothing. Where a sentence ends
    (:func:`~corpus_search.analysis.text.sentence_cuts`) the next word's position is
    :data:`~corpus_search.analysis.text.SENTENCE_GAP` further on, so neither a phrase, a
    lexicon term nor the proximity bonus joins the words of two sentences.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        t = PoliticalToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.surface = None
        t.original = None
        t.group = 1
        t.boost = 1.0
        if not tokenize:
            t.text = t.original = value
            t.pos, t.startchar, t.endchar = start_pos, start_char, start_char + len(value)
            t.hyphen_next, t.kind, t.expansion = False, WORD, False
            yield t
            return
        # Offsets where a hyphen joins two words: one regex pass per text, a set test per word.
        links = set()
        for h in _HYPHEN.finditer(value):
            i = h.start()
            if 0 < i < len(value) - 1 and value[i - 1].isalnum() and value[i + 1].isalnum():
                links.add(i)
        long = LONG_CHUNK.search(value) is not None and _unlink_long_words(value, links)
        pos = start_pos
        cuts = sentence_cuts(value)  # (each leaves SENTENCE_GAP positions empty)
        cuts.append(len(value))
        c = 0
        cut = cuts[0]
        for m in TOKEN_RE.finditer(value):
            s, e = m.span()
            while s >= cut:
                pos += SENTENCE_GAP
                c += 1
                cut = cuts[c]
            if long and e - s > MAX_WORD_LENGTH:
                pos += 1  # (a hole: its place, empty)
                continue
            t.text = text = m.group()
            if keeporiginal:
                t.original = text
            t.pos = pos
            pos += 1
            t.startchar = start_char + s
            t.endchar = start_char + e
            t.hyphen_next = e in links
            t.kind = WORD
            t.expansion = False
            yield t


def _unlink_long_words(value: str, links: set[int]) -> bool:
    """Drop from ``links`` the hyphens that join a word to a word too long to index (so the
    word before it is not hyphen-linked to nothing); whether there is such a word."""
    found = False
    for m in TOKEN_RE.finditer(value):
        s, e = m.span()
        if e - s > MAX_WORD_LENGTH:
            links.discard(s - 1)
            found = True
    return found


class NormaliseFilter(Filter):
    """Normalise each word: sets ``token.surface`` (case kept) and ``token.text`` (lower case).

    Unicode NFKC, accents folded (Féin -> Fein), curly apostrophes unified, possessives
    dropped (Corbyn's -> corbyn), acronym plurals singular (MPs -> MP). Words that normalise to
    nothing are dropped and later positions renumbered.
    """

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str]] = {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._cache = {}

    def __call__(self, tokens):
        cache = self._cache
        if len(cache) > 500_000:
            cache.clear()
        shift = 0
        for t in tokens:
            raw = t.text
            r = cache.get(raw)
            if r is None:
                r = cache[raw] = normalise_word(raw)
            t.surface, low = r
            if not low:
                shift += 1
                continue
            t.text = low
            if shift:
                t.pos -= shift
            yield t


class TypedAcronymFilter(Filter):
    """In a query, read a plural typed in lower case as the capitals of the lexicon's
    case-sensitive acronym it is the plural of ("mps" or "Mps" as MPs, "gps" as GPs).

    A searcher types in lower case, and stemming leaves such a word as it is (Snowball
    keeps the s of "mps"), so it named nothing and was "corrected" to another word. Left
    alone: a word stemming brings back to the acronym's letters ("mods" is mod, not the
    MoD), a word whose own capitals are an acronym of the lexicon ("sis", the SIS, not
    statutory instruments), a stop word, and every word of a document.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.lexicon == self.lexicon

    def __hash__(self) -> int:
        return hash((type(self), self.lexicon))

    def __call__(self, tokens):
        lexicon = self.lexicon
        tokens = iter(tokens)
        for t in tokens:
            if t.mode != "query":  # (a document's stream: every token of it passes as it is)
                yield t
                yield from tokens
                return
            word = t.text
            if (
                t.surface in (word, word.capitalize())  # typed in lower case
                and len(word) >= 3
                and word[-1] == "s"
                and word[:-1].upper() in lexicon.cased_acronyms
                and word.upper() not in lexicon.cased_acronyms
                and word not in lexicon.stopwords
                and stem_word(word, lexicon) != word[:-1]
            ):
                t.surface, t.text = word[:-1].upper(), word[:-1]  # as "MPs" normalises
            yield t


class CompoundFilter(Filter):
    """Give a hyphenated compound ("cross-party") one position and its joined form.

    In index mode the parts, any concept tokens and the joined form ("crossparty",
    ``expansion=True``) all share the first part's position. In query mode a chain of two or
    more words yields only its joined form (plus concept tokens). A reduplicated compound
    (its first and last words the same: "peer-to-peer", "year-on-year") is an idiom whose
    words are not what it means: in both modes it yields its joined form and the concepts
    of the whole compound only, so "peers" does not find peer-to-peer networks, nor
    "peer-to-peer" the Lords.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        shift = 0
        chain: list[tuple] | None = None
        start = last = 0
        expect = False
        t = None
        for t in tokens:
            if chain is None:
                if t.hyphen_next and t.kind is WORD:
                    chain = [snap(t)]
                    start = last = t.pos
                    expect = True
                    continue
                if shift:
                    t.pos -= shift
                yield t
                continue
            p = t.pos
            if p == last or (expect and p == last + 1):
                chain.append(snap(t))
                last = p
                if t.kind is WORD:
                    expect = t.hyphen_next
                continue
            current = snap(t)
            yield from self._flush(t, chain, start - shift)
            shift += last - start
            chain = None
            load(t, current)
            if t.hyphen_next and t.kind is WORD:
                chain = [current]
                start = last = t.pos
                expect = True
                continue
            if shift:
                t.pos -= shift
            yield t
        if chain is not None:
            yield from self._flush(t, chain, start - shift)

    @staticmethod
    def _flush(t: Token, chain: list[tuple], pos: int):
        # The joined form covers the hyphen-linked run of words the chain starts with.
        run: list[tuple] = []
        for s in chain:
            if s[6] is WORD:
                if run and not run[-1][5]:
                    break
                run.append(s)
        joined = "".join(s[0] for s in run) if len(run) > 1 else None
        if joined:  # first, so start offsets never decrease
            load(t, run[0])
            t.text = t.surface = joined
            t.kind = JOINED
            t.expansion = True
            t.hyphen_next = False
            t.pos = pos
            t.endchar = run[-1][4]
            yield t
        alone = joined is not None and t.mode == "query"
        # a reduplicated compound ("peer-to-peer", "year-on-year", "face-to-face") is an
        # idiom: in either mode its joined form, never its words nor their concepts (the
        # Lords for "peer"); a concept of the whole compound stays
        idiom = joined is not None and run[0][0] == run[-1][0]
        for s in chain:
            if (alone or idiom) and s[6] is WORD:
                continue
            if idiom and (s[3] > run[0][3] or s[4] < run[-1][4]):
                continue
            load(t, s)
            t.pos = pos
            yield t


class StopFilter(Filter):
    """Remove stop words (lexicon ``[stopwords]``, compared before stemming) from the words.

    A removed stop word leaves a gap: later positions keep their numbers (Lucene's
    ``StopFilter`` with position increments), so "election is widely" holds its two words
    two positions apart, and a quoted "election widely" does not match it. A stop word inside
    a multi-word lexicon term ("Chancellor of the Exchequer") shares the term's one position
    and leaves none. With ``removestops=False`` the stop words stay, marked
    ``token.stopped = True``, at the same positions.
    """

    def __init__(self, stopwords: frozenset[str]) -> None:
        self.stopwords = frozenset(stopwords)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.stopwords == self.stopwords

    def __hash__(self) -> int:
        return hash((type(self), self.stopwords))

    def __call__(self, tokens):
        stops = self.stopwords
        marked = False
        for t in tokens:
            if t.text in stops and t.kind is WORD:
                if t.removestops:
                    continue
                t.stopped = marked = True
            elif marked:
                t.stopped = marked = False
            yield t


class StemFilter(Filter):
    """Stem words and joined compounds; concept tokens pass unchanged.

    A word is respelled British (:meth:`Lexicon.respell`), left alone if protected (Commons,
    Wales) or not purely alphabetic, else Snowball-stemmed. Results are cached per word. A
    concept token identical to the stem just emitted at the same position is dropped. In a
    query, a name kept apart from a leader's (:func:`misspelt_names`: Browne) is read as
    itself, with the leader's name (brown, as stemming read it) beside it as an expansion,
    which the ranking weighs as a forgiven slip (``parser``: a weak alternative).
    """

    is_morph = True

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._cache: dict[str, str] = {}
        self._folds = misspelt_names(lexicon)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.lexicon == self.lexicon

    def __hash__(self) -> int:
        return hash((type(self), self.lexicon.fingerprint))

    def __getstate__(self) -> dict:
        return {"lexicon": self.lexicon}

    def __setstate__(self, state: dict) -> None:
        self.lexicon = state["lexicon"]
        self._cache = {}
        self._folds = misspelt_names(self.lexicon)

    def stem(self, word: str) -> str:
        """The index form of one lower-case word."""
        r = self._cache.get(word)
        if r is None:
            r = self._cache[word] = stem_word(word, self.lexicon)
        return r

    def __call__(self, tokens):
        cache = self._cache
        if len(cache) > 500_000:
            cache.clear()
        lex = self.lexicon
        last_pos = -1
        last_text = None
        for t in tokens:
            if t.kind is CONCEPT:
                if t.pos == last_pos and t.text == last_text:
                    continue
                yield t
                continue
            w = t.text
            r = cache.get(w)
            if r is None:
                r = cache[w] = stem_word(w, lex)
            fold = self._folds.get(r) if t.mode == "query" else None
            if fold is not None:
                t.text = r
                yield t
                expansion = t.expansion
                t.text, t.expansion = fold, True
                yield t
                t.text, t.expansion = r, expansion  # (the stream's own token)
                last_pos, last_text = t.pos, fold
                continue
            t.text = r
            last_pos = t.pos
            last_text = r
            yield t
