"""A wildcard inside a quoted phrase (``"interest rat*"``): the phrase with that word's place
matching any word the pattern matches.

Whoosh's parser reads a quoted phrase through the analyzer, which dropped the ``*``: ``"interest
rat*"`` was the phrase "interest rat", no BBC document (grep finds "interest rat" in 69), and
nothing said so; ``"prime minist*"`` 0 (169), ``"asylum seek*"`` 1 (12). Lucene's classic
parser does the same; its ``ComplexPhraseQueryParser`` and Elasticsearch's
``match_phrase_prefix`` read the pattern as users mean it. Here the pattern's words are those a
wildcard outside quotes matches (:func:`~corpus_search.search.spelling.expand_pattern`: the
words of the texts, folded as whole words are), and the phrase is each phrase they make, as
their OR, read as a quoted phrase is (stems and lexicon forms; phrases that read alike, "interest
rate" and "interest rates", once). A note says what was searched. A pattern matching no word of
the texts, or phrases past :data:`MAX_PATTERN_PHRASES`, is refused with a one-line error rather
than searched as something else.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from whoosh import query

from corpus_search.analysis.text import in_typed_case
from corpus_search.errors import QueryError
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.ranking import TEXT_FIELDS
from corpus_search.search.spelling import expand_pattern
from corpus_search.search.vocabulary import vocabulary

if TYPE_CHECKING:
    from corpus_search.search.engine import QueryEngine
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.state import SearchSource

__all__ = ["MAX_PATTERN_PHRASES", "has_quoted_pattern", "pattern_word", "quoted_patterns"]

#: the most phrases one quoted phrase's wildcards may make (the product of their words' readings)
MAX_PATTERN_PHRASES = 200

#: a quoted phrase and the distance after it (as :data:`~.modifiers.PHRASE_EXPR` reads one)
_QUOTED = re.compile(r'"(?P<text>[^"]*)"(?P<slop>~[^\s()^~]*)?')

#: a word of a phrase holding a wildcard: a ``*`` anywhere, or a ``?`` before its end (a
#: ``?`` ending a word is a question mark, as outside quotes), and a letter or digit
_PATTERN = re.compile(r"(?=\S*[^\W_])(?:\S*\*\S*|\S*\?\S*[^\s?]\S*)")


def pattern_word(word: str) -> bool:
    """Is ``word`` (no white space) a wildcard pattern as a search reads one: a ``*``
    anywhere, or a ``?`` before its end, with a letter or digit (``rat*``, ``ele?tion``; not
    ``Iraq?``, a question, nor a lone ``*``)? What literal mode, which reads them as
    characters, says it did not search as a wildcard (:func:`~.literal.as_characters`)."""
    return _PATTERN.fullmatch(word) is not None


def has_quoted_pattern(text: str) -> bool:
    """Does ``text`` quote a phrase holding a wildcard? (Cheap: read before anything else.)"""
    return "*" in text or ("?" in text and any(
        pattern_word(w) for m in _QUOTED.finditer(text) for w in m.group("text").split()))


def quoted_patterns(text: str, index: SearchSource, ranking: Ranking) -> tuple[str, list[str]]:
    """``text`` with each quoted phrase holding a wildcard written as the phrases its
    patterns make (``("interest rate" OR "interest rather" OR ...)``, the distance typed after
    it kept on each), and a note on each; ``text`` itself, and no note, when none does."""
    if not has_quoted_pattern(text):
        return text, []
    out, notes, last = [], [], 0
    for m in _QUOTED.finditer(text):
        words = m.group("text").split()
        if not any(pattern_word(word) for word in words):
            continue
        phrases = _phrases(words, index, ranking)
        slop = m.group("slop") or ""
        out.append(text[last:m.start()])
        # one phrase is a quoted phrase as typed (a plain query's, with its notes); several
        # their OR, as a search would otherwise rank those holding all of them first
        joined = " OR ".join(p + slop for p in phrases)
        out.append(joined if len(phrases) == 1 else f"({joined})")
        last = m.end()
        notes.append(_note(m.group(), phrases))
    out.append(text[last:])
    return "".join(out), notes


def _phrases(words: list[str], index: SearchSource, ranking: Ranking) -> list[str]:
    """The quoted phrases ``words`` make, each pattern replaced by each word it matches (in
    the case it was typed in), one of those the analyzer reads alike."""
    engine = engine_for_ranking(index.searcher(), ranking)
    vocab = vocabulary(engine)
    choices = []
    for word in words:
        if not pattern_word(word):
            choices.append([word])
            continue
        # (raises PatternTooBroad, a QueryError, past MAX_PATTERN_WORDS words)
        matched = expand_pattern(vocab, word.replace("\u2019", "'"), index.lexicon)
        if not matched:
            raise QueryError(f"No word of the texts matches {word}, so the phrase "
                             f'"{" ".join(words)}" can match nothing: shorten the pattern '
                             "or drop the wildcard.")
        letters = word.replace("*", "").replace("?", "")
        choices.append([in_typed_case(w, letters) for w in matched])
    size = 1
    for words_at in choices:
        size *= len(words_at)
    if size > MAX_PATTERN_PHRASES:
        raise QueryError(f'The wildcards of "{" ".join(words)}" make {size:,} phrases, more '
                         f"than the {MAX_PATTERN_PHRASES} a phrase may stand for: make the "
                         "patterns longer.")
    analyzer = index.schema["body"].analyzer
    found: dict[tuple[tuple[int, str], ...], str] = {}
    for made in itertools.product(*choices):
        phrase = " ".join(made)
        key = tuple(sorted((t.pos, t.text) for t in analyzer(phrase, mode="query",
                                                               positions=True)))
        found.setdefault(key, f'"{phrase}"')
    held = [phrase for key, phrase in found.items() if _may_be_held(engine, key)]
    return held or list(found.values())


def _may_be_held(engine: QueryEngine, key: tuple[tuple[int, str], ...]) -> bool:
    """May a document hold the phrase whose analyzed terms (at their positions) are ``key``?
    No, for a phrase of plain words in a row that no title or body holds ("interest
    ratified"), which would only lengthen the query and its notes; yes for any other (a
    lexicon term's forms, a stop word's gap), which the search itself reads."""
    positions = [pos for pos, _text in key]
    if len(set(positions)) != len(key) or positions != list(range(positions[0],
                                                                     positions[0] + len(key))):
        return True
    words = [text for _pos, text in key]
    phrase = query.Or([query.Phrase(field, words) for field in TEXT_FIELDS])
    return bool((engine.docs(phrase) & engine.live).any())


def _note(typed: str, phrases: list[str]) -> str:
    """The note saying what the quoted ``typed`` searched."""
    shown = ", ".join(phrases[:6]) + (f" and {len(phrases) - 6} more" if len(phrases) > 6
                                      else "")
    what = "the phrase" if len(phrases) == 1 else f"the {len(phrases)} phrases"
    return f"{typed}: its wildcard reads the words of the texts, so this searched {what} {shown}."
