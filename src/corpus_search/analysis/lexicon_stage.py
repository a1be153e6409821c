"""The lexicon stage of the pipeline: :class:`LexiconFilter`, which finds lexicon terms in the
token stream and adds their concept tokens (the rules are in docs/analyzer.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter
from whoosh.analysis.acore import Token

from corpus_search.analysis.lexicon import (
    CASED,
    LOWER,
    OUTPUT,
    Lexicon,
    word_nodes,
)
from corpus_search.analysis.tokens import CONCEPT, load, snap

__all__ = ["LexiconFilter"]


class LexiconFilter(Filter):
    """Recognise lexicon terms and add their concept tokens.

    A single-word match ("Tories", "PLP", capitalised "Labour") keeps the word and adds its
    concept token(s) at the same position, in both modes. A multi-word match ("Parliamentary
    Labour Party", "Lib Dems") occupies ONE position: in index mode its words and concepts all
    sit there; in query mode only the concepts. Longest match wins; a ``-`` (sense-blocking)
    entry ("labour market") keeps its words as they are and stops shorter senses. A form that
    begins on a multi-word match's last word and goes on past it ("Conservative Party
    leader") adds the concepts :meth:`Lexicon.overlapping` allows at the next position.
    No form is matched across an empty position (a word dropped for its length, a sentence's
    end): its words are not written together. A query typing a case-sensitive acronym as the
    lexicon writes it (``NICE``, ``MoD``: :attr:`Lexicon.typed_acronyms`) is the acronym's concepts
    alone, not the word its letters spell ("nice", a game "mod").
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # (compiled with the lexicon: a search's snippets make one stage per context)
        self.acronyms = lexicon.typed_acronyms

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.lexicon == self.lexicon

    def __hash__(self) -> int:
        return hash((type(self), self.lexicon.fingerprint))

    def __call__(self, tokens):
        trie = self.lexicon.trie
        lget, cget = trie[LOWER].get, trie[CASED].get
        state = [0, None]  # [position shift, query mode?]
        pending: list[tuple] = []  # snapshots read ahead, not yet processed
        it = iter(tokens)
        for t in it:
            surf = t.surface
            if lget(t.text) is None and (surf is t.text or cget(surf) is None):
                if state[0]:
                    t.pos -= state[0]
                yield t
                continue
            if state[1] is None:
                state[1] = t.mode == "query"
            yield from self._match(t, it, pending, state)

    def _match(self, t: Token, it, pending: list[tuple], state: list):
        """Slow path: ``t`` starts some lexicon form; also works off read-ahead tokens."""
        trie = self.lexicon.trie
        query = state[1]
        while True:
            n1, n2 = word_nodes(trie, t.surface, t.text)
            shift = state[0]
            if n1 is None and n2 is None:
                t.pos -= shift
                yield t
                if not pending:
                    return
                load(t, pending.pop(0))
                continue

            first = snap(t)
            best_len, best_out = self._longest(n1, n2, first, it, pending)
            load(t, first)
            gpos = first[2] - shift
            if best_len <= 1:
                t.pos = gpos
                if not (query and best_out and t.surface in self.acronyms
                        and t.text not in best_out):
                    yield t
                if best_len == 1 and best_out:
                    yield from _concepts(t, best_out, gpos, first[3], first[4])
            else:
                group = [first, *pending[: best_len - 1]]
                del pending[: best_len - 1]
                if not best_out:  # sense blocker: the words stay as they are
                    for i, s in enumerate(group):
                        load(t, s)
                        t.pos = gpos + i
                        # its first word says how many words the ordinary phrase holds
                        t.group = best_len if i == 0 else 1
                        yield t
                    t.group = 1
                else:
                    # Concepts first: start offsets then never decrease (highlighters rely on
                    # it). In query mode the concepts stand for the words.
                    t.group = best_len
                    yield from _concepts(t, best_out, gpos, group[0][3], group[-1][4], group)
                    t.group = 1
                    if not query:
                        for s in group:
                            load(t, s)
                            t.pos = gpos
                            yield t
                    state[0] = shift + best_len - 1
                    yield from self._overlap(t, group[-1], best_out, it, pending, gpos + 1)
            if not pending:
                return
            load(t, pending.pop(0))

    def _longest(self, n1: list | None, n2: list | None, first: tuple, it,
                 pending: list[tuple]) -> tuple[int, tuple | None]:
        """The longest form starting at the token ``first`` (whose trie nodes are ``n1``
        and ``n2``) and going on with the tokens after it, ``pending`` then ``it`` (read
        ahead into ``pending`` as far as some form is still alive): ``(its word count, its
        concepts)``, ``(0, None)`` if none ends at all."""
        maxw = self.lexicon.max_words
        states = [n for n in (n1, n2) if n is not None]
        best_len, best_out = 0, None
        for n in states:
            if n[OUTPUT] is not None:
                best_len, best_out = 1, _merge(best_out, n[OUTPUT], best_len == 1)
        prev_h = first[5]
        prev_pos = first[2]
        depth = 1
        while depth < maxw:
            states = [n for n in states if n[LOWER] or n[CASED]]
            if not states:
                break
            if depth - 1 < len(pending):
                s = pending[depth - 1]
            else:
                nt = next(it, None)
                if nt is None:
                    break
                s = snap(nt)
                pending.append(s)
            if s[2] != prev_pos + 1:  # a hole between: a dropped word or a sentence's end
                break
            prev_pos = s[2]
            slow, ssurf = s[0], s[1]
            new: list = []
            for n in states:
                _follow(n[LOWER], slow, prev_h, new)
                if ssurf is not slow:
                    _follow(n[CASED], ssurf, prev_h, new)
            states = new
            depth += 1
            prev_h = s[5]
            for n in states:
                if n[OUTPUT] is not None:
                    if best_len != depth:
                        best_len, best_out = depth, None
                    best_out = _merge(best_out, n[OUTPUT], True)
        return best_len, best_out

    def _overlap(self, t: Token, last: tuple, matched: tuple, it, pending: list[tuple],
                 pos: int) -> Iterator[Token]:
        """The concept tokens of the longest form that begins on ``last``, the last word of
        a match that gave ``matched``, and goes on past it, at ``pos`` (the next word's
        place), spanning the form's words. None if ``last`` is hyphen-linked to the next
        word (the compound stage reads that link)."""
        if last[5]:
            return
        lexicon = self.lexicon
        n1, n2 = word_nodes(lexicon.trie, last[1], last[0])
        if n1 is None and n2 is None:
            return
        length, out = self._longest(n1, n2, last, it, pending)
        if length < 2 or not out:
            return
        own = tuple(sorted({c for n in (n1, n2) if n is not None and n[OUTPUT] for c in n[OUTPUT]}))
        out = lexicon.overlapping(tuple(matched), tuple(out), own)
        if out:
            form = [last, *pending[: length - 1]]
            t.group = 1  # the text reads the match before it: this is no match of its own
            yield from _concepts(t, out, pos, last[3], form[-1][4], form)


def _follow(children: dict, key: str, linked: bool, into: list) -> None:
    """Add to ``into`` the trie nodes below ``children`` that the word ``key`` leads to: its
    own and, when a hyphen links it to the word before (``linked``), its hyphen key's."""
    c = children.get(key)
    if c is not None:
        into.append(c)
    if linked:
        c = children.get("-" + key)
        if c is not None:
            into.append(c)


def _merge(current: tuple | None, more: tuple, keep: bool) -> tuple:
    if not keep or current is None:
        return tuple(more)
    return current + tuple(c for c in more if c not in current)


def _concepts(t: Token, concepts: tuple, pos: int, start: int, end: int,
              group: list[tuple] | None = None):
    """A form's concept tokens; one its ``group`` of words begins with spans its own words."""
    for c in concepts:
        t.text = t.surface = c
        t.kind = CONCEPT
        t.expansion = True
        t.hyphen_next = False
        t.pos = pos
        t.startchar = start
        t.endchar = end if group is None or c.__class__ is str else group[c.words - 1][4]
        yield t
