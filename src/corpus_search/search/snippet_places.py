"""A snippet's marks found by analysing only the places of a body that can hold one.

A snippet marks the tokens of a body whose terms are the query's:
``analyzer.matching_tokens(body, words)``. Read whole, a body of 450 words costs ~1.5 ms cold
(each distinct word classified, stemmed, looked up in the lexicon), ten times over for a page
of hits, though a few dozen of its words at most give a marked token. :func:`marks_of_places`
reads the body in stretches instead:

* **Where a term can come from.** Every token of the body starts where one of its words
  starts (the tokenizer's words: letters and digits, with apostrophes, dots and commas inside
  them), and its term begins with that word's letters: a word's stem keeps the word's start
  (Snowball rewrites the end of a word; the British spelling of one rewrites its tail), a
  hyphenated compound's joined form begins with its first word, and a concept token starts
  at the first word of one of the lexicon's forms of that concept (or of a concept that
  implies it: its ``also`` column). So a regex finds the words beginning with the first
  letters of a term or of such a form's first word (apostrophes, dots and hyphens may stand
  between them, as in "U.S." and "e-mail"), and every word with a letter outside ASCII,
  whose folded form (accents, ligatures) the regex cannot see.
* **Seams.** Each such word is analysed within the stretch of text between the nearest seams
  around it: places between two words that no lexicon form can span (no walk of the lexicon's
  trie, from any of the words before, goes on to the word after, the forms of every reading
  of the text included), and where neither word is one the analyzer drops (a hyphen would
  then link past it). Only lexicon forms carry anything from one word to the next, so the
  analyzer reads a stretch between seams alone as it reads it in the body: the same terms,
  at the same characters.
* **Context.** An ambiguous form ("?=NEC") counts only in a text whose context confirms it,
  which the whole body decides: a stretch holding the first word of one, where the form may
  take the place (``analyzer.ambiguous_in``: not "Democrats" in "Liberal Democrats"), is
  analysed by the reader the whole body is read with (``analyzer.reading(body)``); elsewhere
  the readers read alike.

What the stretches give is then checked against the index: for each term, the body's number
of tokens of it (its posting's weight, with positions one per token) must be the number the
stretches gave, else the caller analyses the body whole. A word the regex misses (one Snowball
stems to other first letters: "dying" -> "die") therefore costs time, never a mark. A stop
word is marked (as its stem: "have" of "having") but not counted; every stop word begins
with the first letters of its stem, so a place holds each, and one found makes the counts
differ: a body with "have" is read whole for a query of "having", one without is not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from corpus_search.analysis.lexicon import CASED, LOWER, Lexicon, bare_form
from corpus_search.analysis.text import MAX_WORD_LENGTH, WORD_RE, normalise_word

__all__ = ["Found", "marks_of_places", "place_finder"]

#: ``(term, position, start, end)``, as ``matching_tokens`` gives a token
Found = tuple[str, int, int, int]

#: what may stand between two letters of a word as written and not in its normalised form:
#: apostrophes, dots, commas, and the hyphen of a compound whose joined form is the term
_BETWEEN = r"[^\w\s]*"

_FINDERS_MAX = 256


#: (lexicon, terms) -> the regex of their places
_FINDERS: dict[tuple[str, frozenset[str]], re.Pattern[str]] = {}


def place_finder(analyzer: Any, words: frozenset[str]) -> re.Pattern[str]:
    """The regex of the places of ``words`` for ``analyzer`` (cached per lexicon and words)."""
    lexicon: Lexicon = analyzer.lexicon
    key = (lexicon.fingerprint, words)
    found = _FINDERS.get(key)
    if found is None:
        if len(_FINDERS) >= _FINDERS_MAX:
            _FINDERS.clear()
        found = _FINDERS[key] = _pattern(lexicon, words)
    return found


def _pattern(lexicon: Lexicon, words: frozenset[str]) -> re.Pattern[str]:
    """A word beginning as a term or the first word of a form of a concept among ``words``
    (:func:`_term_start`, :func:`_form_start`), or any word with a non-ASCII letter.

    Written to begin with the set of characters a place can begin with (those letters in
    either case, and all but ASCII), which the regex engine scans for in compiled code; the
    rest of a place is then tried only there."""
    starts = {_term_start(w) for w in words}
    for e in lexicon.entries:
        if e.concept in words or not words.isdisjoint(e.also):
            for form in e.forms:
                start = _form_start(form)
                if start:
                    starts.add(start)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for start in sorted(starts, key=len):  # a start another begins with holds its places
        if not any(start[: len(shorter)] == shorter for shorter in by_first.get(start[0], ())):
            by_first.setdefault(start[0], []).append(start)
    firsts = {c for first in by_first for letter in first for c in (letter, letter.upper())}
    branches = "|".join(
        f"(?<={_letters(first)})(?:{'|'.join(_rest(s) for s in found)})"
        for first, found in by_first.items()
    )
    others = _ascii_ranges(i for i in range(128) if chr(i) not in firsts)
    # a place's first character, then: no word character before it, and the rest of a
    # start beginning with it; or it is a non-ASCII word character
    return re.compile(rf"[^{others}](?:(?<![^\W_].)(?:{branches})|(?<=[^\W\x00-\x7f]))")


def _letters(options: str) -> str:
    """A class of the characters ``options`` in either case."""
    return "[" + "".join(_escaped(c) + (_escaped(c.upper()) if c.upper() != c else "")
                         for c in options) + "]"


def _rest(start: tuple[str, ...]) -> str:
    """The letters of ``start`` after its first, with what may stand between them."""
    return "".join(_BETWEEN + _letters(options) for options in start[1:])


def _ascii_ranges(codes: Iterable[int]) -> str:
    """The ASCII character ``codes`` (ascending) as the ranges of a regex class."""
    out: list[str] = []
    start = last = -2
    for code in [*codes, -1]:
        if code == last + 1:
            last = code
            continue
        if start >= 0:
            out.append(_escaped(chr(start)) + (f"-{_escaped(chr(last))}" if last > start else ""))
        start = last = code
    return "".join(out)


def _escaped(c: str) -> str:
    """``c`` as written in a regex class: a letter or digit itself, other ASCII as a code."""
    return c if c.isalnum() or ord(c) > 127 else f"\\x{ord(c):02x}"


def _term_start(term: str) -> tuple[str, ...]:
    """The letters a word giving ``term`` begins with (each a string of the letters that
    may stand there): a stem's first three or four (its end may be rewritten: "polici" of
    "policy", "colour" of "color"), of a three-letter stem its first two and a third that
    Snowball does not write itself ("tri" of "try", "use" of "using", "die" of "dying")."""
    if len(term) >= 4:
        return tuple(term[: min(4, len(term) - 1)])
    if len(term) == 3:
        second = "iy" if term[1] in "iy" else term[1]
        return (term[0], second) if term[2] in "eiy" else (term[0], second, term[2])
    return tuple(term)


def _form_start(form: str) -> tuple[str, ...]:
    """The letters a word beginning the lexicon form ``form`` begins with: its first word's
    key (a joined hyphenated form's begins with it too), but the "y" a plural rewrites
    ("Tory", "Tories"); empty for a form whose first word normalises to nothing."""
    m = WORD_RE.search(bare_form(form))
    key = normalise_word(m.group())[1] if m else ""
    return tuple(key[:-1] if key.endswith("y") else key)


def marks_of_places(
    analyzer: Any, text: str, words: frozenset[str], counts: Mapping[str, int]
) -> list[Found] | None:
    """``analyzer.matching_tokens(text, words)`` (positions apart: each stretch counts its
    own), found by analysing only the stretches of ``text`` that can hold one of the ``words``;
    ``counts``, how many tokens of each word the index holds for ``text``, checks that none
    was missed. None when that cannot be shown: the caller analyses ``text`` whole."""
    return _Reading(analyzer, text).marks(place_finder(analyzer, words), words, counts)


class _Chunk:
    """What a seam needs of one chunk (``str.split()``'s): its words as the lexicon sees them
    (normalised, those normalising to nothing left out), which of them begin a lexicon form
    that goes on past them, whether it has words at all and whether its first and last word
    are dropped ones, and whether a word of it begins an ambiguous form."""

    __slots__ = ("ambiguous", "first_dropped", "has_words", "last_dropped", "starters", "words")

    def __init__(self, chunk: str, lexicon: Lexicon) -> None:
        if chunk.isalpha() and chunk.isascii() and len(chunk) <= MAX_WORD_LENGTH:
            normalised = [normalise_word(chunk)]  # one word, all of it (most chunks)
        else:
            normalised = [
                normalise_word(w) for w in WORD_RE.findall(chunk) if len(w) <= MAX_WORD_LENGTH
            ]
        self.has_words = bool(normalised)
        self.first_dropped = bool(normalised) and not normalised[0][1]
        self.last_dropped = bool(normalised) and not normalised[-1][1]
        self.words = tuple(w for w in normalised if w[1])
        lower, cased = lexicon.trie[LOWER], lexicon.trie[CASED]
        a_lower, a_cased = lexicon.ambiguous_starts
        starters = []
        ambiguous = False
        linked = len(self.words) - 1 if not self.last_dropped else len(self.words)
        for i, (surf, low) in enumerate(self.words):
            for x in (lower.get(low), cased.get(surf)):
                # a form goes on from it to a word after a space, or (its keys "-...")
                # to a word it is hyphen-linked to: one of its chunk's, as the chunk's
                # words before its last are (or, after a dropped one, any)
                if x is not None and ((i < linked and (x[LOWER] or x[CASED])) or _spaced(x)):
                    starters.append(i)
                    break
            if low in a_lower or surf in a_cased:
                ambiguous = True
        self.starters = tuple(starters)
        self.ambiguous = ambiguous


_CHUNKS_MAX = 200_000

#: chunks between two stretches that are read rather than sought a seam in
_NEAR = 3

#: what _Reading._before gives for words of which none begins a lexicon form going on
_QUIET = ([], [])

#: lexicon fingerprint -> chunk -> its _Chunk
_CHUNK_INFO: dict[str, dict[str, _Chunk]] = {}


class _Reading:
    """One body: its chunks (``str.split()``), where those it reads start, their seams."""

    def __init__(self, analyzer: Any, text: str) -> None:
        self.analyzer = analyzer
        lexicon: Lexicon = analyzer.lexicon
        self.lexicon = lexicon
        self.text = text
        self.chunks = text.split()
        known = _CHUNK_INFO.get(lexicon.fingerprint)
        if known is None or len(known) > _CHUNKS_MAX:
            known = _CHUNK_INFO[lexicon.fingerprint] = {}
        self._known = known
        self._starts: dict[int, int] = {}
        self._seams: dict[int, bool] = {}
        #: the chunks before which no word within a form's reach begins a form going on
        self._quiet: dict[int, bool] = {}
        self._whole: Any = None

    def marks(
        self, finder: re.Pattern[str], words: frozenset[str], counts: Mapping[str, int]
    ) -> list[Found] | None:
        out: list[Found] = []
        chunks, text = self.chunks, self.text
        # (a body with no place holds no token of the words: a stop word's among them too)
        for a, b in self._stretches(finder.finditer(text)):
            first = self._start(a)
            piece = text[first : self._start(b - 1) + len(chunks[b - 1])]
            reader = self._reader() if self._ambiguous(a, b, piece) else self.analyzer
            out.extend(
                (term, pos, s + first, e + first)
                for term, pos, s, e in reader.matching_tokens(piece, words)
            )
        got = Counter(item[0] for item in out)
        if any(got[w] != counts.get(w, 0) for w in words):
            return None
        return out

    def _stretches(self, places: Any) -> list[tuple[int, int]]:
        """The chunk ranges ``[a, b)`` between seams around the chunks holding ``places``
        (regex matches, in text order), those that touch or are :data:`_NEAR` joined (a
        few chunks more to read cost less than finding a seam)."""
        text, chunks, n = self.text, self.chunks, len(self.chunks)
        out: list[tuple[int, int]] = []
        at = c = 0  # the last place, its chunk
        for m in places:
            p = m.start()
            if p:  # the chunks begun after ``at`` up to p (p begins one if a space is before it)
                c += len(text[at:p].split()) - (not text[p - 1].isspace())
            at = p
            if c not in self._starts:
                self._starts[c] = text.find(chunks[c], max(0, p - len(chunks[c]) + 1))
            if out and c < out[-1][1]:
                continue  # in the last stretch
            if out and c - out[-1][1] <= _NEAR:
                a = out.pop()[0]  # the last stretch goes on to it
            else:
                a = c
                while not self._seam(a):
                    a -= 1
                if out and a <= out[-1][1]:
                    a = out.pop()[0]
            b = c + 1
            while not self._seam(b):
                b += 1
            out.append((a, b))
            if b >= n:
                break
        return out

    def _start(self, i: int) -> int:
        """Where chunk ``i`` starts, found from the nearest chunk located (only whitespace
        stands between two chunks, so the occurrence of a chunk's text next to its
        neighbour's is the chunk)."""
        starts = self._starts
        found = starts.get(i)
        if found is not None:
            return found
        text, chunks = self.text, self.chunks
        d = 1
        while i + d not in starts and i - d not in starts:
            d += 1
        if i + d in starts:
            k, p = i + d, starts[i + d]
            while k > i:
                k -= 1
                p = starts[k] = text.rfind(chunks[k], 0, p)
        else:
            k, p = i - d, starts[i - d]
            while k < i:
                p = text.find(chunks[k + 1], p + len(chunks[k]))
                k += 1
                starts[k] = p
        return p

    def _info(self, i: int) -> _Chunk:
        chunk = self.chunks[i]
        found = self._known.get(chunk)
        if found is None:
            found = self._known[chunk] = _Chunk(chunk, self.lexicon)
        return found

    def _seam(self, b: int) -> bool:
        """Whether the place before chunk ``b`` is a seam (see the module notes)."""
        found = self._seams.get(b)
        if found is None:
            found = self._seams[b] = self._is_seam(b)
        return found

    def _is_seam(self, b: int) -> bool:
        n = len(self.chunks)
        if b <= 0 or b >= n:
            return True
        info = self._info(b)
        k = b + 1
        while not info.has_words:
            if k >= n:
                return True  # no word after it
            info = self._info(k)
            k += 1
        if info.first_dropped:
            return False
        found = self._before(b)
        if found is None or found is _QUIET:
            return found is _QUIET
        before, starters = found
        after = info.words[0]
        lower, cased = self.lexicon.trie[LOWER], self.lexicon.trie[CASED]
        for i in starters:
            surf, low = before[i]
            states = [x for x in (lower.get(low), cased.get(surf)) if x is not None]
            for word in before[i + 1 :]:
                states = _below(states, word)
                if not states:
                    break
            if states and _below(states, after):
                return False
        return True

    def _before(self, b: int) -> Any:
        """The words before chunk ``b`` a lexicon form reaching past them may start at (as
        many as a form's words but one) and the places among them of those that begin a
        form going on (:attr:`_Chunk.starters`); :data:`_QUIET` when there is none, None
        when the word just before is one the analyzer drops."""
        quiet, known, chunks = self._quiet, self._known, self.chunks
        k = b - 1
        info = known.get(chunks[k]) or self._info(k)
        if k in quiet and (
            not info.has_words or (not info.last_dropped and not info.starters)
        ):  # the words before b are those before k and k's own, none a starter
            quiet[b] = True
            return _QUIET
        room = need = self.lexicon.max_words - 1
        starting = False
        last = True
        while k >= 0 and need > 0:
            info = known.get(chunks[k]) or self._info(k)
            k -= 1
            if not info.has_words:
                continue
            if last:
                if info.last_dropped:
                    return None
                last = False
            n = len(info.words)
            if info.starters and info.starters[-1] >= n - need:
                starting = True
            need -= n
        if not starting:
            quiet[b] = True
            return _QUIET
        before: list[tuple[str, str]] = []  # (read again forwards: rare)
        starters: list[int] = []
        for j in range(k + 1, b):
            info = known[chunks[j]]
            starters += [len(before) + i for i in info.starters]
            before += info.words
        cut = max(0, len(before) - room)
        return before[cut:], [i - cut for i in starters if i >= cut]

    def _ambiguous(self, a: int, b: int, piece: str) -> bool:
        """Whether chunks ``a`` to ``b``, the text ``piece``, hold the first word of an
        ambiguous form where the form may take the place (not "Democrats" in "Liberal
        Democrats": ``analyzer.ambiguous_in``), so that the body's context decides them."""
        return any(self._info(k).ambiguous for k in range(a, b)) and bool(
            self.analyzer.ambiguous_in(piece)
        )

    def _reader(self) -> Any:
        """The analyzer reading the whole body (its context decides its ambiguous forms)."""
        if self._whole is None:
            self._whole = self.analyzer.reading(self.text)
        return self._whole


def _spaced(node: list) -> bool:
    """Whether a lexicon form goes on from trie ``node`` with a word after a space (a key
    not beginning with "-", which only a hyphen-linked word follows)."""
    return any(k[0] != "-" for k in node[LOWER]) or any(k[0] != "-" for k in node[CASED])


def _below(states: list, word: tuple[str, str]) -> list:
    """The trie nodes below ``states`` that ``word`` leads to, with or without a hyphen
    before it (more than a reading follows: a seam is then only where none can go on)."""
    surf, low = word
    out = []
    for x in states:
        for children, key in ((x[LOWER], low), (x[CASED], surf)):
            if children:
                for k in (key, "-" + key):
                    child = children.get(k)
                    if child is not None:
                        out.append(child)
    return out
