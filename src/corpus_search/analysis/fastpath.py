"""The analyzer's fast paths: index terms, matching spans and party detection computed per
whitespace-separated chunk, with the same output as the token pipeline (docs/analyzer.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from itertools import compress

from corpus_search.analysis.ambiguous_places import open_ambiguous, tap_covers, whole_forms
from corpus_search.analysis.amounts import PER_CENT
from corpus_search.analysis.lexicon import CASED, LOWER, OUTPUT, Lexicon, word_nodes
from corpus_search.analysis.sentence_case import (
    common_noun_reading,
    shouted_reading,
    shouted_words,
)
from corpus_search.analysis.text import (
    MAX_WORD_LENGTH,
    PERCENT,
    SENTENCE_GAP,
    TOKEN_RE,
    bare_amount,
    clock_reading,
    is_number,
    normalise_word,
    sentence_cuts,
)
from corpus_search.analysis.tokens import CONCEPT, WORD, PoliticalToken

#: TOKEN_RE plus the hyphen joining a word to the next (captured, else ""), so one ``findall``
#: gives each word and its ``hyphen_next`` as PoliticalTokenizer computes them: a hyphen
#: between two alphanumeric characters. (A hyphen never starts a word, so consuming it
#: leaves the words unchanged.)
_WORD_LINK_RE = re.compile("(" + TOKEN_RE.pattern + r")((?<=[^\W_])[-\u2010\u2011](?=[^\W_]))?")


_CACHE_MAX = 200_000  # chunks per fast-path cache; cleared when full


_WINDOW_CACHE_MAX = 50_000


_READERS_MAX = 128  # analyzers of resolved lexicons kept per analyzer; cleared when full


_READER_CACHE_SHARE = 16  # each of those has caches this many times smaller


_NO_CONCEPTS: frozenset[str] = frozenset()


#: Fast-path value of a chunk that needs a closer look. Never a term: terms are word
#: characters (and "_" or "." in concepts and decimals).
_COMPLEX = "\x00"


#: Fast-path value of a stop word: one position holding no term (the gap a removed stop
#: word leaves, as StopFilter leaves it). Never a term either: a chunk valued with an int
#: takes that many positions and gives no term (a sentence's end takes SENTENCE_GAP).
_GAP = 1


#: Among a chunk's words, a word too long to index (longer than MAX_WORD_LENGTH): a position
#: without a term, where the tokenizer leaves one (a hole). Never a word: words are word
#: characters.
_HOLE = "\x02"


class _ChunkCache(dict):
    """chunk -> a fast path's value for it; an unknown chunk is classified (and kept) on lookup.

    It holds at most about ``limit`` chunks: :meth:`read` clears it when it holds more, and
    with it ``details``, the fast path's dict of what it keeps per chunk it values _COMPLEX.
    """

    __slots__ = ("classify", "details", "limit")

    def __init__(self, classify: Callable[[str], object], limit: int, details: dict) -> None:
        super().__init__()
        self.classify = classify
        self.limit = limit
        self.details = details

    def __missing__(self, chunk: str) -> object:
        v = self[chunk] = self.classify(chunk)
        return v

    def read(self, chunks: list[str]) -> Iterator:
        """The values of ``chunks``, in order (lazily: unknown chunks are classified as read)."""
        if len(self) > self.limit:
            self.clear()
            self.details.clear()
        return map(self.__getitem__, chunks)


class _Fixed:
    """A piece's output: ``((term, relative position), ...)`` and its number of positions.

    ``words`` are the piece's words; ``concepts`` the concepts of the lexicon stage on them
    (the context rule needs them; the stem filter may drop one equal to a word's stem);
    ``spans`` its :class:`_Spans` (the output with stop words kept), computed the first time
    :meth:`PoliticalAnalyzer.matching_tokens` needs it.
    """

    __slots__ = ("ambiguous", "concepts", "npos", "spans", "terms", "words")

    def __init__(
        self,
        terms: tuple[tuple[str, int], ...],
        npos: int,
        words: tuple[str, ...] = (),
        concepts: frozenset[str] = frozenset(),
    ) -> None:
        self.terms = terms
        self.npos = npos
        self.words = words
        self.concepts = concepts  # what the lexicon stage finds (some may not be terms)
        self.spans: _Spans | None = None
        self.ambiguous = _NO_CONCEPTS  # (plain reader) where ambiguous forms may take a place


class _Spans:
    """A piece's tokens with stop words kept (``removestops=False``), for matching_tokens.

    ``tokens`` are ``(text, relative position, first word, last word)``: the token's
    character span runs from the start of the piece's word ``first`` to the end of its word
    ``last``. ``npos`` counts the piece's positions, ``texts`` is the set of token texts.
    """

    __slots__ = ("npos", "texts", "tokens")

    def __init__(self, tokens: tuple[tuple[str, int, int, int], ...], npos: int) -> None:
        self.tokens = tokens
        self.npos = npos
        self.texts = frozenset(t[0] for t in tokens)


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_WINDOW = _Marker("WINDOW")  # analyse the window of words starting at this chunk


_MISSING = _Marker("MISSING")


_NOTHING = _Fixed((), 0)  # a chunk without words


_NOTHING.spans = _Spans((), 0)


#: The chunk standing for a sentence's end among a text's chunks (:func:`text_chunks`):
#: SENTENCE_GAP positions without a term (its value in index_terms, _END_PIECE in
#: matching_tokens), which no window, lexicon read-ahead or term crosses. Never a chunk of
#: the text: chunks hold no whitespace.
_END = " "


_END_PIECE = _Fixed((), SENTENCE_GAP)


_END_PIECE.spans = _Spans((), SENTENCE_GAP)


def text_chunks(text: str, cuts: list[int] | None = None) -> list[str]:
    """The chunks the fast paths read ``text`` as: ``text.split()``, with _END (a space,
    which no chunk of text is) where a sentence ends (at ``cuts``, :func:`sentence_cuts` of
    the text unless given: a reading of it that changes no chunk's length keeps its cuts)."""
    if cuts is None:
        cuts = sentence_cuts(text)
    if not cuts:
        return text.split()
    out: list[str] = []
    a = 0
    for c in cuts:
        out += text[a:c].split()
        out.append(_END)
        a = c
    out += text[a:].split()
    return out


class _Trigger:
    """A chunk with the first word of an ambiguous form, as the plain reader sees it: the
    text needs its context resolved first (a probe stops), else it reads as ``detail``."""

    __slots__ = ("ambiguous", "detail")

    def __init__(self, detail: object, ambiguous: frozenset[str]) -> None:
        self.detail = detail
        self.ambiguous = ambiguous  # the ambiguous concepts whose forms may start here


class _Start:
    """A lone word starting a lexicon term that may go on: its output if the term doesn't."""

    __slots__ = ("alone", "next_keys")

    def __init__(self, alone: object, next_lower: frozenset, next_cased: frozenset) -> None:
        self.alone = alone
        self.next_keys = (next_lower, next_cased)  # word keys that continue it

    @classmethod
    def of(cls, lexicon: Lexicon, word: str, alone: object) -> object:
        """A _Start for a lone ``word``; ``alone`` itself if no term can go on from it.

        Only keys without a leading "-" can follow a lone word (it is hyphen-linked to
        nothing), so a word whose terms all go on after a hyphen ("e-mail") is context-free.
        A word that normalises to nothing gets _WINDOW.
        """
        surf, low = normalise_word(word)
        if not low:
            return _WINDOW
        nodes = [x for x in word_nodes(lexicon.trie, surf, low) if x is not None]
        lower = frozenset(k for x in nodes for k in x[LOWER] if k[0] != "-")
        cased = frozenset(k for x in nodes for k in x[CASED] if k[0] != "-")
        if is_number(low):  # a percentage if "per cent" follows (AmountFilter)
            more_lower, more_cased = percent_starts(lexicon)
            lower, cased = lower | more_lower, cased | more_cased
        if not lower and not cased:
            return alone
        return cls(alone, lower, cased)

    def continues(self, chunks: list[str], j: int) -> bool:
        """Does LexiconFilter's walk go on from chunk ``j``'s word to the next word?

        Its exact depth-2 test for a word not followed by a hyphen ("-" keys cannot match).
        A next word that normalises to nothing (invisible to the lexicon) answers True.
        """
        n = len(chunks)
        j += 1
        while j < n:
            if chunks[j] == _END:  # (no term goes on past a sentence's end)
                return False
            norm = _first_norm(chunks[j])
            if norm is not None:
                surf, low = norm
                return not low or _keyed(self.next_keys, surf, low)
            j += 1
        return False


_PERCENT_STARTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def percent_starts(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The caseless and case-sensitive first words of the lexicon's forms of PER_CENT ("per",
    "percent"): a number before one may be a percentage, read with the words after it."""
    r = _PERCENT_STARTS.get(lexicon.fingerprint)
    if r is None:
        keys = []
        for kind in (LOWER, CASED):
            found = []
            for key, node in lexicon.trie[kind].items():
                out: set[str] = set()
                _trie_outputs(node, out)
                if PER_CENT in out:
                    found.append(key)
            keys.append(frozenset(found))
        r = _PERCENT_STARTS[lexicon.fingerprint] = (keys[0], keys[1])
    return r


class _PerChunk(dict):
    """chunk -> ``compute(chunk)``, computed on first lookup: a plain dict (cheaper than
    lru_cache, and as large as the chunk caches, so a corpus's working set fits), cleared when
    full. What it keeps depends on no lexicon."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[str], object]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, chunk: str) -> object:
        if len(self) >= _CACHE_MAX:
            self.clear()
        r = self[chunk] = self.compute(chunk)
        return r


def _split_words(chunk: str) -> tuple[str, ...]:
    """The words of a whitespace-free chunk; a word hyphen-linked to the next ends in "-",
    a word too long to index is _HOLE."""
    if chunk.isalnum():  # one word, all of it (TOKEN_RE then WORD_RE start with [^\W_]+)
        return (chunk,) if len(chunk) <= MAX_WORD_LENGTH else (_HOLE,)
    r = tuple(w + "-" if h else w for w, h in _WORD_LINK_RE.findall(chunk))
    return _without_long_words(r) if len(chunk) > MAX_WORD_LENGTH else r


#: The words of a chunk (:func:`_split_words`), kept.
_chunk_words: Callable[[str], tuple[str, ...]] = _PerChunk(_split_words).__getitem__


def _without_long_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` (as :func:`_chunk_words` gives them) with _HOLE for each the tokenizer drops
    for its length; a word hyphen-linked to a dropped word is linked to nothing."""
    out: list[str] = []
    for w in words:
        if len(_bare(w)) > MAX_WORD_LENGTH:
            if out and out[-1][-1] == "-":
                out[-1] = out[-1][:-1]
            out.append(_HOLE)
            continue
        out.append(w)
    return tuple(out)


def _keyed(keys: tuple[Collection[str], Collection[str]], surf: str, low: str) -> bool:
    """Is the word ``normalise_word`` gives as ``(surf, low)`` a key of ``keys``, a pair of
    collections of caseless and case-sensitive word keys (as the lexicon trie's nodes have)?"""
    return low in keys[0] or (surf is not low and surf in keys[1])


def _norms(words: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """``normalise_word`` of each of ``words`` (as :func:`_chunk_words` gives them)."""
    return (normalise_word(_bare(w)) for w in words)


def _norm_first(chunk: str) -> tuple[str, str] | None:
    """``normalise_word`` of the chunk's first word (None: the chunk has no word)."""
    words = _chunk_words(chunk)
    return normalise_word(_bare(words[0])) if words else None


def _word_spans(chunk: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` in the chunk of each of its words (those of :func:`_chunk_words`, a
    _HOLE's too)."""
    return tuple(m.span() for m in TOKEN_RE.finditer(chunk))


#: :func:`_norm_first` and :func:`_word_spans` of a chunk, kept.
_first_norm: Callable[[str], tuple[str, str] | None] = _PerChunk(_norm_first).__getitem__
_spans_of: Callable[[str], tuple[tuple[int, int], ...]] = _PerChunk(_word_spans).__getitem__


def _trie_outputs(node: list, out: set[str]) -> None:
    """Add every concept of the lexicon trie below ``node`` (and at it) to ``out``."""
    stack = [node]
    seen = set()
    while stack:
        x = stack.pop()
        if id(x) in seen:  # (an upper-case key shares its node with the cased one)
            continue
        seen.add(id(x))
        if x[OUTPUT]:
            out.update(x[OUTPUT])
        stack.extend(x[LOWER].values())
        stack.extend(x[CASED].values())


_LOCATE_STEPS = 64  # steps a text's chunk search may take beyond half its chunk count


#: A chunk, as ``str.split()`` finds them: ``\s`` is ``str.isspace()``, code point by code point.
_CHUNK_RE = re.compile(r"\S+")


class _Offsets:
    """Where the chunks (``text.split()``) of a text start, found on demand in chunk order.

    Only whitespace separates chunks and a chunk starts with a non-space, so once chunk ``l``
    is known to start at ``o``, every later chunk starts at or after ``o + len(chunks[l]) + 1``
    and chunk ``i`` is the ``(k + 1)``-th occurrence there of its text with whitespace (or
    nothing) on both sides, ``k`` being the number of chunks equal to it in between. If ``k``
    is 0 the search starts later, where chunk ``i`` would be if single spaces separated the
    chunks in between: no chunk in between can be found from there. Should a search take many
    steps (many matching chunks, or their text inside many other chunks), every chunk start
    is listed at once by a regex pass instead.
    """

    __slots__ = ("budget", "chunks", "last", "offsets", "text", "work")

    def __init__(self, text: str, chunks: list[str]) -> None:
        self.text = text
        self.chunks = chunks
        self.offsets: list[int] | None = None
        self.last = (-1, 0)  # (chunk located last, its offset)
        self.work = 0
        self.budget = _LOCATE_STEPS + len(chunks) // 2

    def at(self, i: int, unique: bool = False) -> int:
        """The offset of ``chunks[i]`` in the text (``i`` never below the last one asked).

        ``unique``: the caller knows no chunk since the last one located equals this one.
        """
        li, p = self.last
        if li == i:
            return p
        offsets = self.offsets
        if offsets is not None:
            p = offsets[i]
            self.last = (i, p)
            return p
        chunks = self.chunks
        if li >= 0:
            p += len(chunks[li]) + 1
        between = chunks[li + 1 : i]
        c = chunks[i]
        k = 0 if unique else between.count(c)  # equal chunks to pass over
        if not k:  # (a sentence's end, _END, stands for no text)
            p += sum(map(len, between)) + len(between) - 2 * between.count(_END)
        self.work += 2 + (len(between) >> 5)
        text = self.text
        size = len(c)
        end = len(text)
        while True:
            p = text.find(c, p)
            if p < 0 or self.work > self.budget:
                p = self._all()[i]
                self.last = (i, p)
                return p
            self.work += 1
            q = p + size
            if (p == 0 or text[p - 1].isspace()) and (q == end or text[q].isspace()):
                if not k:
                    self.last = (i, p)
                    return p
                k -= 1
                p = q
            else:
                p += 1

    def words(self, j: int, nxt: int) -> tuple[list[int], list[int]]:
        """Start and end offsets in the text of the words of ``chunks[j:nxt]``."""
        offset = self.at(j)
        text = self.text
        chunks = self.chunks
        starts: list[int] = []
        ends: list[int] = []
        for q in range(j, nxt):
            c = chunks[q]
            if q > j:  # the first occurrence after the chunk before (only spaces between)
                offset = text.find(c, offset)
            for s, e in _spans_of(c):
                starts.append(offset + s)
                ends.append(offset + e)
            offset += len(c)
        self.last = (nxt - 1, offset - len(chunks[nxt - 1]))  # (the window's chunks are behind)
        return starts, ends

    def _all(self) -> list[int]:
        offsets = [m.start() for m in _CHUNK_RE.finditer(self.text)]
        chunks = self.chunks
        ends = chunks.count(_END)
        if len(offsets) != len(chunks) - ends:  # (never: \s is str.isspace())
            raise AssertionError("chunk offsets do not match str.split()")
        if ends:  # (a sentence's end is never located: -1)
            at = iter(offsets)
            offsets = [-1 if c == _END else next(at) for c in chunks]
        self.offsets = offsets
        return offsets


def _bare(word: str) -> str:
    return word[:-1] if word[-1] == "-" else word  # a word itself never contains "-"


class _Words:
    """The words of ``chunks[i:]``, split lazily a whole chunk at a time, up to the first
    sentence's end (_END), which counts as a chunk read.

    ``ran_out`` records whether anyone asked for a word past the end of the text.
    """

    __slots__ = ("chunks", "ci", "ended", "ends", "ran_out", "words")

    def __init__(self, chunks: list[str], i: int, first: tuple[str, ...] | None = None) -> None:
        self.chunks = chunks
        self.ci = i
        self.words: list[str] = []
        self.ends: list[tuple[int, int]] = []  # (word count, next chunk) after each chunk
        self.ran_out = False
        self.ended = False  # met a sentence's end
        if first is not None:  # chunks[i], already split
            self.words.extend(first)
            self.ends.append((len(first), i + 1))
            self.ci = i + 1

    def get(self, m: int) -> str | None:
        words = self.words
        while m >= len(words):
            if self.ended:
                return None
            if self.ci >= len(self.chunks):
                self.ran_out = True
                return None
            chunk = self.chunks[self.ci]
            self.ci += 1
            if chunk == _END:
                self.ended = True
                return None
            split = _chunk_words(chunk)
            if split:
                words.extend(split)
                self.ends.append((len(words), self.ci))
        return words[m]


def _going_on(nodes) -> list:
    """The trie nodes of ``nodes`` (None: no node) that some longer form goes on from."""
    return [x for x in nodes if x is not None and (x[LOWER] or x[CASED])]


def _walk_end(src: _Words, m: int, states: list, max_words: int) -> int:
    """One past the last word a lexicon match starting at word ``m`` could take in.

    A superset of LexiconFilter's walk (hyphen keys are always tried), so its read-ahead
    never depends on a word at or after the returned index.
    """
    end = i = m + 1
    depth = 1
    while depth < max_words:
        w = src.get(i)
        if w is None:
            break
        i += 1
        surf, low = normalise_word(_bare(w))
        if not low:  # dropped before the lexicon sees it
            continue
        new = []
        for s in states:
            lo, ca = s[LOWER], s[CASED]
            for children, key in ((lo, low), (lo, "-" + low), (ca, surf), (ca, "-" + surf)):
                c = children.get(key)
                if c is not None:
                    new.append(c)
        if not new:
            break
        end = i
        depth += 1
        states = _going_on(new)
        if not states:
            break
    return end


def _window_end(lexicon: Lexicon, src: _Words, compounds: bool) -> tuple[int, int]:
    """``(k, next chunk)``: words ``src.words[:k]`` are a window analysable on its own.

    It ends at a chunk end, and grows until no lexicon match or read-ahead from a word in it
    reaches past its end and, with ``compounds``, its last word is neither hyphen-linked to
    the next nor empty after normalisation (an empty word is dropped, so a hyphen before it
    would link the words around it).
    """
    lower, cased = lexicon.trie[LOWER], lexicon.trie[CASED]
    max_words = lexicon.max_words
    reach = 1
    m = e = 0
    while m < reach:
        w = src.get(m)
        if w is None:
            break
        ends = src.ends
        while ends[e][0] <= m:
            e += 1
        reach = max(reach, ends[e][0])
        linked = w[-1] == "-"
        surf, low = normalise_word(w[:-1] if linked else w)
        if (compounds and (linked or not low)) or is_number(low):  # (a number: "per cent"?)
            reach = max(reach, m + 2)
        if low:
            states = _going_on((lower.get(low), cased.get(surf) if surf is not low else None))
            if states:
                reach = max(reach, _walk_end(src, m, states, max_words))
        m += 1
    return m, src.ends[e][1]


def _amount(words: tuple[str, ...]) -> _Fixed | None:
    """The output of a chunk that is one currency amount or percentage ("£1bn,", "2.5%"),
    None for any other: the amount and its bare amount (AmountFilter) at one position,
    whatever surrounds it (no lexicon form holds a currency symbol or a percent sign, and
    stemming leaves a word with digits as it is), without running the filters over it."""
    if len(words) == 1:
        low = normalise_word(words[0])[1]
        bare = bare_amount(low) if low else None
        if bare is not None and words[0][-1] != "-":
            return _Fixed(((low, 0), (bare, 0)), 1, words)
    return None


def _tap_concepts(tokens, into: set[str]):
    """Pass ``tokens`` on, adding the text of each concept token to ``into``."""
    for t in tokens:
        if t.kind is CONCEPT:
            into.add(t.text)
        yield t


def _tap_last(tokens, last: list[int]):
    """Pass ``tokens`` on, keeping the largest position seen in ``last[0]`` and the last word
    any token comes from in ``last[1]`` (a window's tokens have word numbers as offsets)."""
    for t in tokens:
        if t.pos > last[0]:
            last[0] = t.pos
        if t.endchar > last[1]:
            last[1] = t.endchar
        yield t


def _positions(words: tuple[str, ...], last: list[int]) -> int:
    """How many positions a window of ``words`` takes, ``last`` as :func:`_tap_last` left it:
    to its last token's, and one more for each _HOLE after that token's word (a hole is a
    position; a word that normalises to nothing is none)."""
    return last[0] + 1 + words[last[1] + 1 :].count(_HOLE)


def _window_tokens(words: tuple[str, ...], removestops: bool = True):
    """PoliticalTokenizer's stream (index mode, positions from 0) for ``words``.

    A word's ``startchar`` and ``endchar`` are both its index in ``words``: no filter's term
    text or position depends on offsets, and every token's offsets are the start of one word
    and the end of another, so this tells matching_tokens which words a token covers.
    """
    t = PoliticalToken(True, True, removestops=removestops, mode="index")
    t.surface = None
    t.original = None
    t.group = 1
    t.boost = 1.0
    pos = 0
    for i, w in enumerate(words):
        if w == _HOLE:  # (the tokenizer drops the word and leaves its position empty)
            pos += 1
            continue
        linked = w[-1] == "-"
        t.text = w[:-1] if linked else w
        t.pos = pos
        pos += 1
        t.startchar = t.endchar = i
        t.hyphen_next = linked
        t.kind = WORD
        t.expansion = False
        yield t


class FastPaths:
    """The analyzer's fast paths (mixed into :class:`PoliticalAnalyzer`): the same output as
    the token pipeline, computed per whitespace-separated chunk with cached results."""

    def _init_fast_paths(
        self, triggers: tuple | None, cache_share: int, parent: FastPaths | None
    ) -> None:
        """Set up the fast paths' caches (called by the analyzer's ``__init__``)."""
        # Set only in the reader of a lexicon's unambiguous forms (see _reader): the first
        # words of the ambiguous forms, whose chunks it reads as _Trigger details, and the
        # whole lexicon's trie (every ambiguous form in it: see open_ambiguous).
        self._triggers = triggers
        self._shouted = shouted_words(self.lexicon)  # (read_as)
        self._full_trie = None if triggers is None or parent is None else parent.lexicon.trie
        # Cache bounds: readers for confirmed ambiguous forms (few texts each) get a share.
        self._cache_max = _CACHE_MAX // cache_share
        self._window_cache_max = _WINDOW_CACHE_MAX // cache_share
        shared = parent._plain_reader if parent is not None and triggers is None else None
        # Fast-path caches (see index_terms / parties_in). They belong to this analyzer, hence
        # to its lexicon, are bounded, and are not pickled (__reduce__ rebuilds from paths).
        self._complex: dict[str, object] = {}  # chunk -> detail, for chunks valued _COMPLEX
        self._chunk_cache = _ChunkCache(self._classify_chunk, self._cache_max, self._complex)
        self._shared = shared
        if shared is not None:
            # A reader for confirmed ambiguous forms reads every chunk as the plain reader
            # does (the same values; trigger chunks are _COMPLEX there) and every complex
            # chunk too, except _Trigger ones: no lexicon walk from another word differs.
            self._chunk_cache = shared._chunk_cache
            self._complex = shared._complex
        self._details: dict[tuple[str, ...], object] = {}  # the same per words tuple
        self._window_cache: dict[tuple, _Fixed] = {}
        # first chunk -> {chunks read}, and chunks read -> (window output, chunks it spans)
        self._window_seen: dict[object, object] = {}
        # matching_tokens: chunk -> its term when plain (stop words too) or _COMPLEX, and
        # complex chunk -> (detail, its spans or None)
        self._span_complex: dict[str, tuple] = {}
        self._span_cache = _ChunkCache(
            self._classify_span_chunk, self._cache_max, self._span_complex
        )
        self._possible_cache: dict[tuple[str, ...], frozenset[str] | None] = {}
        # The context rule (see reading()): the analyzers of the lexicon resolved per set of
        # confirmed ambiguous concepts; the one for none ("plain") reads most text; and
        # chunk -> does a word of it start an ambiguous form (for the pipeline's choice).
        self._trigger_cache = _ChunkCache(self._classify_trigger_chunk, self._cache_max, {})
        self._plain_reader: FastPaths | None = None
        self._readers: dict[frozenset[str], FastPaths] = {}
        # index_terms of a document's title and body, read by _document_parties just before
        # the writer asks for them (text -> terms; each handed out once)
        self._premade: dict[str, dict[str, list[int]]] = {}

    # -- fast index path ---------------------------------------------------------------------
    #
    # The pipeline is a chain of six generators, several µs per token. Most of the text,
    # though, is context-free: a whitespace-separated chunk holding one word that starts no
    # lexicon term, normalises to something and (alone in its chunk) is hyphen-linked to
    # nothing has a fixed output (its stem; a gap for a stop word) at the next position,
    # cached per chunk. Every other chunk is analysed by the real filters, run on a *window*
    # of words that no lexicon match, lexicon read-ahead or hyphen chain crosses (often the
    # chunk alone: "cross-party"); the output for the whole text is the concatenation of the
    # pieces' outputs, positions continued. docs/analyzer.md gives the argument and
    # tests/test_analysis_fastpath.py checks it.

    def read_as(self, text: str) -> str:
        """``text`` as every path reads it: a clock time written with a space ("5 pm") as
        one word ("5:pm": text.clock_reading), and the acronyms that shouted text loses
        written as at a sentence's start (sentence_case.shouted_reading). Both keep the
        text's length, offsets and sentences; a clock time's two chunks become one."""
        text = clock_reading(text) or text
        return (shouted_reading(text, self._shouted) or text) if self._shouted else text

    def read_document(self, text: str) -> str:
        """``text`` as a document is read (index mode): :meth:`read_as`, with each party's
        name that is a common noun lowered where a sentence starts, if the text writes it in
        lower case and names that party nowhere else (sentence_case.common_noun_reading):
        "Labour is too costly in Germany" in a report on the labour market is work, and
        "Labour has pledged ..." in one that names Labour MPs is the party."""
        text = self.read_as(text)
        reading = common_noun_reading(text, self.lexicon)
        if reading is None:
            return text
        named = self._named_parties(text)
        lost = set(named).difference(self._named_parties(reading, sentence_cuts(text)))
        if not lost:
            return text
        return common_noun_reading(text, self.lexicon, lost) or text

    def _chunks(self, text: str, chunks: list[str] | None = None) -> list[str]:
        """text_chunks of ``text`` as a document is read (read_document); ``chunks``, if
        given, are the text's own, kept when the reading changes nothing."""
        reading = self.read_document(text)
        if chunks is not None and reading is text:
            return chunks
        return text_chunks(reading)

    def index_terms(self, text: str) -> dict[str, list[int]]:
        """Each index term of ``text`` mapped to its positions, in emission order.

        Exactly what gathering ``t.text -> [t.pos, ...]`` over ``self(text, mode="index",
        positions=True)`` gives (what Whoosh's ``Positions.word_values`` indexes: index mode
        never marks a token ``stopped``), several times faster than the token pipeline.
        """
        premade = self._premade
        if premade:  # read already, by _document_parties
            out = premade.pop(text, None)
            if out is not None:
                return out
        chunks = self._chunks(text)
        if not self.lexicon.context:
            return self._index_terms(chunks)
        return self._resolved_terms(chunks, set(), set())

    def _resolved_terms(
        self, chunks: list[str], found: set[str], triggered: set[str],
        resolved: set[str] | None = None,
    ) -> dict[str, list[int]]:
        """index_terms of the text of ``chunks`` under the context rule (the lexicon has
        ambiguous forms); the plain reading's concepts are added to ``found``, the
        ambiguous concepts whose forms may start in the text to ``triggered`` and, if given,
        the concepts of the reading the terms come from (the plain one, or that of the
        forms the text confirms) to ``resolved``.

        The plain reader reads the text once, noting what the rule needs as it goes: most
        text has no first word of an ambiguous form, and its plain reading is the answer.
        Text that confirms an ambiguous form is read once more, by the reader of the forms
        it confirms. (A probe that stops at the first such word would read such text from the
        start again: parties_in probes, as it reads no terms.)
        """
        out = self._reader(_NO_CONCEPTS)._index_terms(chunks, found=found, triggered=triggered)
        confirmed = self.lexicon.confirmed_by(found, triggered) if triggered else _NO_CONCEPTS
        if confirmed:
            out = self._reader(confirmed)._index_terms(chunks, found=resolved)
        elif resolved is not None:
            resolved |= found
        return out  # type: ignore[return-value]  # (never None: no probe)

    def _index_terms(
        self,
        chunks: list[str],
        probe: bool = False,
        found: set[str] | None = None,
        triggered: set[str] | None = None,
        terms: bool = True,
    ) -> dict[str, list[int]] | None:
        """index_terms of the text of ``chunks``; with ``probe``, None if a chunk has a first
        word of an ambiguous form (only the reader with ``_triggers`` sees them).

        The concepts of the lexicon stage are added to ``found`` and the ambiguous concepts
        of the chunks that may start an ambiguous form to ``triggered``, if given. A window
        is analysable on its own by every filter, the lexicon stage included, so the pieces'
        concepts are the text's. Without ``terms`` no term is gathered (an empty result).
        """
        complex_ = self._complex
        vals = list(self._chunk_cache.read(chunks))
        n = len(vals)
        vals.append(_COMPLEX)  # a stop for index()
        index = vals.index
        out: dict[str, list[int]] = {}
        get = out.get
        pos = start = 0
        while True:
            j = index(_COMPLEX, start)
            if j != start and terms:
                for term in filter(None, vals[start:j]):  # "": no word, no position
                    if term.__class__ is int:  # a stop word or a sentence's end: no term
                        pos += term
                        continue
                    lst = get(term)
                    if lst is None:
                        out[term] = [pos]
                    else:
                        lst.append(pos)
                    pos += 1
            if j == n:
                return out
            d = complex_.get(chunks[j]) or self._detail_of(chunks[j])
            start = j + 1
            if d.__class__ is _Trigger:
                if probe:
                    return None
                if triggered is not None:
                    triggered |= d.ambiguous
                d = self._trigger_detail(d, chunks[j], self._chunk_detail)
            if d.__class__ is _Start:  # most often the term does not go on
                d = _WINDOW if d.continues(chunks, j) else d.alone
            if d is _WINDOW:
                d, start = self._index_window(chunks, j)
                if d.ambiguous and (probe or triggered is not None):
                    if probe:
                        return None
                    triggered |= d.ambiguous
            if found is not None:
                found |= d.concepts
            if terms:
                for term, p in d.terms:
                    lst = get(term)
                    if lst is None:
                        out[term] = [pos + p]
                    else:
                        lst.append(pos + p)
                pos += d.npos

    def _index_window(self, chunks: list[str], j: int) -> tuple[_Fixed, int]:
        """The output of the window starting at chunk ``j``, and the chunk after it.

        Finding a window's end reads ``chunks[j:c]`` for some ``c`` and nothing else, so its
        outcome is remembered under that tuple of chunks (unless it met the end of the text).
        """
        found = self._remembered_window(chunks, j)
        if found is not None:
            return found[0], j + found[1]
        shared = self._shared
        if shared is not None:  # the plain reader's window, if no chunk of it is a trigger
            found = shared._seen_window(chunks, j)
            if found is not None:
                return found
        seen = self._window_seen
        src = _Words(chunks, j)
        k, nxt = _window_end(self.lexicon, src, compounds=True)
        key = tuple(src.words[:k])
        wcache = self._window_cache
        d = wcache.get(key)
        if d is None:
            if len(wcache) > self._window_cache_max:
                wcache.clear()
            d = wcache[key] = self._run_window(key)
        if not src.ran_out:
            if len(seen) > self._window_cache_max:
                seen.clear()
            c = src.ci - j
            seen[tuple(chunks[j : j + c])] = (d, nxt - j)
            seen[chunks[j]] = seen.get(chunks[j], frozenset()) | {c}  # never mutated: threads
        return d, nxt

    def _remembered_window(self, chunks: list[str], j: int) -> tuple[_Fixed, int, int] | None:
        """The window remembered at chunk ``j``: its output, its chunk count and the chunks
        its end was found from (see _index_window)."""
        seen = self._window_seen
        lengths = seen.get(chunks[j])
        if lengths is not None:
            for c in lengths:
                r = seen.get(tuple(chunks[j : j + c]))
                if r is not None:
                    return r[0], r[1], c
        return None

    def _seen_window(self, chunks: list[str], j: int) -> tuple[_Fixed, int] | None:
        """The remembered window at chunk ``j``, if it has no _Trigger chunk (the plain
        reader's, for a reader of confirmed forms: it reads such a window the same)."""
        found = self._remembered_window(chunks, j)
        if found is None:
            return None
        d, size, c = found
        cache, complex_ = self._chunk_cache, self._complex
        for chunk in chunks[j : j + c]:
            if cache.get(chunk) is _COMPLEX and complex_.get(chunk).__class__ is _Trigger:
                return None
        return d, j + size

    def _classify_chunk(self, chunk: str) -> str:
        """The fast-path value of a chunk: its stem, _GAP (a stop word), SENTENCE_GAP (a
        sentence's end), "" (nothing) or _COMPLEX."""
        if chunk == _END:
            return SENTENCE_GAP
        words = _chunk_words(chunk)
        if not words:
            return ""
        v = self._free_value(words, True)
        if v is not None:  # a stop word (_GAP) or its stem
            return v
        d = _amount(words) or self._chunk_detail(chunk, words)
        if d.__class__ is _Fixed and d.npos <= 1 and len(d.terms) <= d.npos and not d.concepts:
            # Whatever surrounds it, one term at one position (or a gap, or nothing) and no
            # concept: as plain as a word that starts no lexicon term ("in": only "in-out ..."
            # goes on).
            return d.terms[0][0] if d.terms else _GAP if d.npos else ""
        self._complex[chunk] = d
        return _COMPLEX

    def _free_value(self, words: tuple[str, ...], index: bool) -> str | None:
        """The value of a chunk that is one word starting no lexicon term (in ``index`` mode,
        nor an ambiguous form this reader probes for) and no currency amount: its stem, or
        in ``index`` mode _GAP (a position without a term) for a stop word, whatever
        surrounds it. None for any other chunk."""
        if len(words) == 1 and words[0] != _HOLE:
            surf, low = normalise_word(words[0])
            trie = self.lexicon.trie
            if (
                low
                and trie[LOWER].get(low) is None
                and (surf is low or trie[CASED].get(surf) is None)
                and not (index and self._is_trigger(surf, low))
                and bare_amount(low) is None  # (an amount: its bare amount too)
                and not is_number(low)  # (a percentage if "per cent" follows)
            ):
                v = self.stemmer.stem(low)  # a stop word's too: snippets stem them
                if index and low in self.stopper.stopwords:
                    return _GAP
                if v and v != _COMPLEX:  # (always: stems are non-empty word text)
                    return v
        return None

    def _detail_of(self, chunk: str, words: tuple[str, ...] | None = None) -> object:
        """The detail of a complex chunk (kept by the chunk cache, unless another thread
        cleared it meanwhile: then found again)."""
        d = self._complex.get(chunk)
        if d is None:
            d = self._chunk_detail(chunk, _chunk_words(chunk) if words is None else words)
        return d

    def _chunk_detail(self, chunk: str, words: tuple[str, ...]) -> object:
        """How to emit a complex chunk: _Fixed output, _Start or _WINDOW.

        It depends on the chunk's words only ("Labour," is "Labour"), so it is shared per
        words tuple.
        """
        return self._detail(self._details, chunk, words, True, self._run_window)

    def _detail(
        self,
        details: dict,
        chunk: str,
        words: tuple[str, ...],
        compounds: bool,
        run: Callable[[tuple[str, ...]], object],
    ) -> object:
        """A complex chunk's cached reading: ``run(words)`` when its window is itself, a
        _Start when it is one word that may begin a longer match, else _WINDOW."""
        d = details.get(words)
        if d is not None:
            return d
        src = _Words([chunk], 0, words)
        _window_end(self.lexicon, src, compounds=compounds)
        if not src.ran_out:  # its window is itself, whatever surrounds it
            d = run(words)
        elif len(words) == 1:
            d = _Start.of(self.lexicon, words[0], self._alone(words) or run(words))
        else:
            d = _WINDOW
        if self._triggers is not None:
            ambiguous = self._trigger_concepts(words)
            if ambiguous:
                d = _Trigger(d, ambiguous)
        if len(details) > self._cache_max:
            details.clear()
        details[words] = d
        return d

    def _alone(self, words: tuple[str, ...]) -> _Fixed | None:
        """What the filters give for a lone word that starts terms but is none itself (no
        trie node of it ends a form): what they give for any word, its stem or, for a stop
        word, a position without a term. None when the word is a term, or normalises to
        nothing."""
        surf, low = normalise_word(words[0])
        if not low:
            return None
        for node in word_nodes(self.lexicon.trie, surf, low):
            if node is not None and node[OUTPUT] is not None:
                return None
        if low in self.stopper.stopwords:
            return _Fixed((), 1, words)
        return _Fixed(((self.stemmer.stem(low), 0),), 1, words)

    def _trigger_detail(self, d: _Trigger, chunk: str, own: Callable) -> object:
        """The detail of a _Trigger chunk for this reader: the plain reading it wraps, or, in
        a reader for confirmed ambiguous forms (which shares the plain reader's chunk
        caches), its own ``own(chunk, words)``."""
        if self._triggers is not None:
            return d.detail
        return own(chunk, _chunk_words(chunk))

    def _is_trigger(self, surf: str, low: str) -> bool:
        """Is this word (normalised) the first word of an ambiguous form? (See _triggers.)"""
        return self._triggers is not None and _keyed(self._triggers, surf, low)

    def _trigger_concepts(self, words: tuple[str, ...]) -> frozenset[str]:
        """The ambiguous concepts whose forms may start at one of ``words``."""
        lower, cased = self._triggers
        out: frozenset[str] = _NO_CONCEPTS
        for surf, low in _norms(words):
            found = lower.get(low)
            if found:
                out = out | found
            if surf is not low:
                found = cased.get(surf)
                if found:
                    out = out | found
        return out

    def _filtered(
        self, words: tuple[str, ...], removestops: bool, concepts: set[str] | None,
        last: list[int] | None = None, covers: list[tuple[int, int]] | None = None,
    ):
        """The analyzer's filters on the tokens of ``words`` (see _window_tokens), in index
        mode; the lexicon stage's concepts are added to ``concepts`` and its multi-word
        matches' spans to ``covers`` (tap_covers), and the last position before stop words
        are removed and the last word a token comes from kept in ``last``, if given."""
        stream = self.lexicon_stage(self.normaliser(_window_tokens(words, removestops)))
        if concepts is not None:
            stream = _tap_concepts(stream, concepts)
        if covers is not None:
            stream = tap_covers(stream, covers)
        stream = self.amounts(self.compounder(stream))
        if last is not None:
            stream = _tap_last(stream, last)
        for f in (self.stopper, self.stemmer):
            stream = f(stream)
        return stream

    def _run_window(self, words: tuple[str, ...]) -> _Fixed:
        """The real filters (index mode) on ``words``: their terms and positions, and how
        many positions they take (a stop word at the end takes one: it leaves a gap)."""
        concepts: set[str] = set()
        terms = []
        last = [-1, -1]
        covers: list[tuple[int, int]] | None = [] if self._triggers is not None else None
        for t in self._filtered(words, True, concepts, last, covers):
            if not t.stopped:  # what Whoosh's formats.tokens() keeps
                terms.append((t.text, t.pos))
        out = _Fixed(tuple(terms), _positions(words, last), words, frozenset(concepts))
        if covers is not None:
            out.ambiguous = open_ambiguous(words, covers, self._triggers, self._full_trie)
        return out

    # -- matching tokens (snippets) -----------------------------------------------------------
    #
    # The highlighter needs the tokens of ``self(text, positions=True, chars=True,
    # mode="index", removestops=False)`` whose text is a query term. That stream is the index
    # stream with the stop words kept (marked ``stopped``, each at its own position), so the
    # same pieces work: a plain chunk (one word starting no lexicon term) is one token at the
    # next position, its stem (a stop word's too), and every other chunk is read through the
    # windows of index_terms, whose outputs are re-run once with stop words kept. Only tokens
    # with a matching text need character offsets, so only their chunks are located.

    def matching_tokens(self, text: str, terms: Collection[str]) -> list[tuple[str, int, int, int]]:
        """``(text, pos, startchar, endchar)`` of each token whose text is in ``terms``.

        Exactly ``[(t.text, t.pos, t.startchar, t.endchar) for t in self(text,
        positions=True, chars=True, mode="index", removestops=False) if t.text in terms]``
        (what the highlighter marks as matched), in the same order, many times faster: only
        the pieces of text that produce one of the terms are analysed in any detail.
        """
        if isinstance(terms, str):  # ("in" would mean "is a substring of")
            raise TypeError("terms must be a collection of terms, not a string")
        if not terms:
            return []
        text = self.read_document(text)
        chunks = text_chunks(text)
        return self._reading(chunks)._matching_tokens(text, chunks, terms)

    def _matching_tokens(
        self, text: str, chunks: list[str], terms: Collection[str]
    ) -> list[tuple[str, int, int, int]]:
        if not isinstance(terms, (set, frozenset)):
            terms = frozenset(terms)
        spc = self._span_complex
        if _COMPLEX in terms:  # (no token's text: see _COMPLEX)
            terms = terms - {_COMPLEX}
        vals = list(self._span_cache.read(chunks))
        n = len(vals)
        # the plain chunks giving a term, in order
        hits = list(compress(range(n), map(terms.__contains__, vals)))
        vals.append(_COMPLEX)  # a stop for index()
        index = vals.index
        j = index(_COMPLEX)
        if not hits:  # can any complex chunk give one of the terms?
            k = j
            while k < n:
                possible = self._possible(_chunk_words(chunks[k]))
                if possible is None or not terms.isdisjoint(possible):
                    break
                k = index(_COMPLEX, k + 1)
            else:
                return []
        hits.append(n)
        h = hits[0]
        hp = 0
        out: list[tuple[str, int, int, int]] = []
        append = out.append
        offsets = _Offsets(text, chunks)
        locate = offsets.at
        find = text.find
        size = len(text)
        delta = 0  # a plain chunk i (outside windows) is at position i + delta
        while True:
            while h < j:
                # No chunk between this one and the last located equals it: it would be a
                # hit too, located in turn, or inside a window, which then gives the term
                # too (a plain chunk's token is the same in a window) and is located. So it
                # is most often the first occurrence from where single spaces would put it
                # (_Offsets.at, inlined), if that has whitespace on both sides.
                c = chunks[h]
                li, off = offsets.last
                if li >= 0:
                    off += len(chunks[li]) + 1
                if h - li > 1:
                    between = chunks[li + 1 : h]
                    off += sum(map(len, between)) + len(between) - 2 * between.count(_END)
                off = find(c, off)
                e = off + len(c)
                if off > 0 and text[off - 1].isspace() and (e == size or text[e].isspace()):
                    offsets.last = (h, off)
                else:
                    off = locate(h, True)
                s, e = _spans_of(c)[0]
                append((vals[h], h + delta, off + s, off + e))
                hp += 1
                h = hits[hp]
            if j == n:
                return out
            d, sp = spc.get(chunks[j]) or self._span_record(chunks[j])
            nxt = j + 1
            if d.__class__ is _Start:  # as in index_terms
                if d.continues(chunks, j):
                    sp = None
                elif sp.npos == 1 and terms.isdisjoint(sp.texts):  # the most common case
                    j = index(_COMPLEX, nxt)
                    continue
            if sp is None:
                d, nxt = self._index_window(chunks, j)
                while h < nxt:  # plain chunks inside the window: the window gives their tokens
                    hp += 1
                    h = hits[hp]
                sp = d.spans
                if sp is None:
                    sp = d.spans = self._run_spans(d.words)
            if not terms.isdisjoint(sp.texts):
                starts, ends = offsets.words(j, nxt)
                pos = j + delta
                for term, p, a, b in sp.tokens:
                    if term in terms:
                        append((term, pos + p, starts[a], ends[b]))
            delta += sp.npos - (nxt - j)
            j = index(_COMPLEX, nxt)

    def _run_spans(self, words: tuple[str, ...]) -> _Spans:
        """The real filters on ``words``, stop words kept: tokens with word-index offsets."""
        tokens = []
        last = [-1, -1]
        for t in self._filtered(words, False, None, last):
            tokens.append((t.text, t.pos, t.startchar, t.endchar))
        return _Spans(tuple(tokens), _positions(words, last))

    def _classify_span_chunk(self, chunk: str) -> str:
        """A chunk's matching_tokens value: the term of a plain chunk, else _COMPLEX.

        Plain: one word giving one token at one position whatever surrounds it, which is a
        word that starts no lexicon term (its stem; a stop word is kept) or one whose terms
        cannot go on from it ("on": only "on-line") that gives no concept.
        """
        words = _chunk_words(chunk)
        v = self._free_value(words, False)
        if v is not None:
            return v
        d, sp = self._span_record(chunk, words)
        if (
            len(words) == 1
            and d.__class__ is _Fixed
            and sp.npos == 1
            and len(sp.tokens) == 1
            and sp.tokens[0][0] != _COMPLEX
        ):
            return sp.tokens[0][0]
        return _COMPLEX

    def _span_record(
        self, chunk: str, words: tuple[str, ...] | None = None
    ) -> tuple[object, _Spans | None]:
        """A complex chunk's (detail, spans), kept for matching_tokens.

        The detail is index_terms' (_Fixed, _Start or _WINDOW; a chunk without words gives
        nothing at no position), the spans those of the _Fixed or of the _Start alone. (The
        terms the chunk could give, :meth:`_possible`, are worked out only for a text in
        which no plain chunk gives a term: walking the lexicon trie below each word was a
        third of the first snippets' time.)
        """
        if chunk == _END:
            rec = self._span_complex[chunk] = (_END_PIECE, _END_PIECE.spans)
            return rec
        if words is None:
            words = _chunk_words(chunk)
        d = self._detail_of(chunk, words) if words else _NOTHING
        if d.__class__ is _Trigger:  # (matching_tokens reads text already resolved)
            d = self._trigger_detail(d, chunk, self._chunk_detail)
        fixed = d.alone if d.__class__ is _Start else None if d is _WINDOW else d
        if fixed is not None and fixed.spans is None:
            fixed.spans = self._run_spans(fixed.words)
        rec = (d, fixed.spans if fixed is not None else None)
        self._span_complex[chunk] = rec
        return rec

    def _possible(self, words: tuple[str, ...]) -> frozenset[str] | None:
        """Every term a chunk of ``words`` could give in any context, or None if unknown.

        The tokens a window gives each come from one of its words: a word's own stem, the
        concepts of a lexicon term starting at the word (all those its trie nodes lead to)
        or the joined form of a hyphen-linked run of words starting at it, which lies inside
        its chunk unless a word dropped by normalisation carries the link further: such a
        chunk is unknown (None).
        """
        cache = self._possible_cache
        r = cache.get(words, _MISSING)
        if r is not _MISSING:
            return r
        stem = self.stemmer.stem
        trie = self.lexicon.trie
        out: set[str] = set()
        runs: list[list[str]] = [[]]  # hyphen-linked runs of lower-case words
        r = None
        for w in words:
            if w == _HOLE:  # (no term, and no joined form across it)
                runs.append([])
                continue
            surf, low = normalise_word(_bare(w))
            if not low:
                break
            out.add(stem(low))
            bare = bare_amount(low)  # (an amount's bare amount, AmountFilter)
            if bare is not None:
                out.add(bare)
            elif is_number(low):  # (a percentage, if "per cent" follows)
                out.add(low + PERCENT)
            for node in word_nodes(trie, surf, low):
                if node is not None:
                    _trie_outputs(node, out)
            runs[-1].append(low)
            if w[-1] != "-":
                runs.append([])
        else:
            for run in runs:
                if len(run) > 12:  # (a long chain of hyphens: don't list its sub-runs)
                    break
                for a in range(len(run) - 1):
                    for b in range(a + 2, len(run) + 1):
                        out.add(stem("".join(run[a:b])))
            else:
                r = frozenset(out)
        if len(cache) > self._cache_max:
            cache.clear()
        cache[words] = r
        return r

    def _document_parties(
        self, title: str, body: str, chunks: tuple[list[str], list[str]] | None = None
    ) -> list[str]:
        """``_parties(title + "\n" + body)``, found on the way as the title and the body are
        read for index_terms (whose results are kept for it: see ``_premade``).

        The chunks of that text are the title's then the body's. Reading it, the plain reader
        starts each piece from nothing but the chunk it starts at, so if a piece ends where the
        body starts (no lexicon match, read-ahead or window crosses from title to body: see
        _ends_at) the pieces before are those of the title read alone and the pieces after
        those of the body read alone, and the concepts the text's reading finds (and the
        ambiguous concepts it notes for the context rule) are the union of theirs: the
        ambiguous forms the text confirms are those of that union, and only a text that
        confirms some is read once more, whole, by their reader. Otherwise it is read whole.
        Each field's own index_terms are kept either way.
        """
        tchunks, bchunks = chunks if chunks is not None else (None, None)
        tchunks, bchunks = self._chunks(title, tchunks), self._chunks(body, bchunks)
        found: set[str] = set()  # the title's, then the text's
        triggered: set[str] = set()  # likewise
        if self.lexicon.context:
            plain = self._reader(_NO_CONCEPTS)
            title_terms = self._resolved_terms(tchunks, found, triggered)
            title_triggered = bool(triggered)
            found_title = set(found)
            found_body: set[str] = set()
            triggered_body: set[str] = set()
            resolved_body: set[str] = set()
            body_terms = self._resolved_terms(bchunks, found_body, triggered_body, resolved_body)
            found |= found_body
            triggered |= triggered_body
        else:
            plain = self
            title_terms = self._index_terms(tchunks, found=found)
            body_terms = self._index_terms(bchunks, found=found)
        self._premade = {title: title_terms, body: body_terms}  # type: ignore[dict-item]
        if not plain._ends_at(tchunks + bchunks, len(tchunks)):
            return self._parties(f"{title}\n{body}")
        confirmed = self.lexicon.confirmed_by(found, triggered) if triggered else _NO_CONCEPTS
        if confirmed and not title_triggered and confirmed == self.lexicon.confirmed_by(
            found_body, triggered_body
        ):
            # The body was read by this very reader; the title, without a first word of an
            # ambiguous form, reads the same in every reader, and so does the seam (no
            # lexicon walk from a word of the title differs between them).
            found = found_title | resolved_body
        elif confirmed:
            found = set()
            self._reader(confirmed)._index_terms(tchunks + bchunks, found=found, terms=False)
        parties = self.lexicon.parties
        named = sorted({parties[c] for c in found if c in parties})
        return self._common_nouns_apart(f"{title}\n{body}", named) if named else named

    def _ends_at(self, chunks: list[str], b: int) -> bool:
        """Does a piece of the plain reading of ``chunks`` end at chunk ``b``? (The pieces
        are found as _index_terms finds them; a trigger chunk before ``b`` answers False.)"""
        vals = list(self._chunk_cache.read(chunks[:b]))
        index = vals.index
        start = 0
        while start < b:
            try:
                j = index(_COMPLEX, start)
            except ValueError:  # plain chunks up to b
                return True
            d = self._complex.get(chunks[j]) or self._detail_of(chunks[j])
            if d.__class__ is _Trigger:
                return False
            start = j + 1
            if d.__class__ is _Start:
                d = _WINDOW if d.continues(chunks, j) else d.alone
            if d is _WINDOW:
                start = self._index_window(chunks, j)[1]
        return start == b

    def _parties(self, text: str) -> list[str]:
        """:func:`parties_in` for this analyzer's lexicon: the party concepts of the lexicon
        stage, as the pieces of index_terms give them (without their terms), of the text's
        reading with party names that are common nouns at a sentence's start apart."""
        named = self._named_parties(text)
        return self._common_nouns_apart(text, named) if named else named

    def _common_nouns_apart(self, text: str, named: list[str]) -> list[str]:
        """``named``, the parties of ``text``, or those of its reading with the party words
        it writes as common nouns lowered where a sentence starts (sentence_case)."""
        reading = common_noun_reading(text, self.lexicon)
        if reading is None:
            return named
        return self._named_parties(reading, sentence_cuts(text))  # (the text's sentences)

    def _named_parties(self, text: str, cuts: list[int] | None = None) -> list[str]:
        """The party concepts of the lexicon stage of ``text`` (as the text is written; its
        sentences end at ``cuts`` if given)."""
        chunks = text_chunks(self.read_as(text), cuts)
        found: set[str] = set()
        if not self.lexicon.context:
            self._index_terms(chunks, found=found, terms=False)
        elif self._reader(_NO_CONCEPTS)._index_terms(chunks, True, found, terms=False) is None:
            reader, found = self._resolve(chunks, triggered=True)
            if reader.lexicon.confirmed:
                found = set()
                reader._index_terms(chunks, found=found, terms=False)
        parties = self.lexicon.parties
        return sorted({parties[c] for c in found if c in parties})

    # -- the context rule ---------------------------------------------------------------------
    #
    # An ambiguous lexicon form ("?=NEC") stands for its concept only in a text that confirms
    # it: a text in which the lexicon without any ambiguous form (the plain reader's) finds
    # the concept itself or a concept of its [context] line. The text is then read with the
    # lexicon resolved for the ambiguous concepts so confirmed whose forms' first words occur
    # in it (Lexicon.resolved; the others' forms cannot match, so leaving them out changes
    # nothing and keeps the resolved lexicons few): the pipeline in index mode and every fast
    # path alike, so they stay equal. Most text has no first word of an ambiguous form: the
    # plain reader's probes find that out on their way and read it at once.

    def reading(self, text: str) -> FastPaths:
        """The analyzer that reads ``text`` in index mode: this one, if its lexicon has no
        ambiguous forms, else one whose lexicon has the ambiguous forms ``text`` confirms."""
        return self._resolve(self._chunks(text))[0]

    def ambiguous_in(self, text: str) -> frozenset[str]:
        """The ambiguous concepts with a form whole in ``text`` read alone (whole_forms) that
        may take a place (not "Democrats" of "Liberal Democrats"): only they change its reading."""
        chunks = self._chunks(text)
        if not self.lexicon.context or not any(self._trigger_cache.read(chunks)):
            return _NO_CONCEPTS
        triggered: set[str] = set()
        self._reader(_NO_CONCEPTS)._index_terms(chunks, triggered=triggered, terms=False)
        return whole_forms(chunks, frozenset(triggered), self.lexicon.trie)

    def confirmed(self, text: str) -> frozenset[str]:
        """The ambiguous concepts whose forms count in ``text`` (see :meth:`reading`)."""
        return self._resolve(self._chunks(text))[0].lexicon.confirmed or frozenset()

    def _resolve(
        self, chunks: list[str], triggered: bool = False
    ) -> tuple[FastPaths, set[str] | None]:
        """The reader for the text of ``chunks`` and, when they were needed to choose it, the
        plain reader's concepts of the text. ``triggered``: a probe already met a trigger."""
        if not self.lexicon.context:
            return self, None
        plain = self._reader(_NO_CONCEPTS)
        if not triggered and not any(self._trigger_cache.read(chunks)):
            return plain, None
        found: set[str] = set()
        ambiguous: set[str] = set()
        plain._index_terms(chunks, found=found, triggered=ambiguous, terms=False)
        return self._reader(self.lexicon.confirmed_by(found, ambiguous)), found

    def _reading(self, chunks: list[str]) -> FastPaths:
        return self._resolve(chunks)[0]

    def _classify_trigger_chunk(self, chunk: str) -> bool:
        """Does a word of ``chunk`` start an ambiguous form? (As the plain reader marks it.)"""
        starts = self.lexicon.ambiguous_starts
        return any(_keyed(starts, surf, low) for surf, low in _norms(_chunk_words(chunk)))

    def _reader(self, confirmed: frozenset[str]) -> FastPaths:
        """The analyzer of the lexicon resolved for ``confirmed`` (cached). The one for no
        confirmed concept reads most text: it is kept for good, with full-size caches, and
        knows the ambiguous forms' first words, for the probes."""
        if not confirmed:
            r = self._plain_reader
            if r is None:
                lex = self.lexicon.resolved(confirmed)
                triggers = self.lexicon.ambiguous_starts
                r = self._plain_reader = type(self)(lex, triggers, parent=self)
            return r
        readers = self._readers
        r = readers.get(confirmed)
        if r is None:
            if len(readers) >= _READERS_MAX:
                readers.clear()
            self._reader(_NO_CONCEPTS)  # (whose caches it shares)
            lex = self.lexicon.resolved(confirmed)
            r = type(self)(lex, cache_share=_READER_CACHE_SHARE, parent=self)
            readers[confirmed] = r
        return r
