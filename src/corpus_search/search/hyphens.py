"""A query word typed with a hyphen (Duncan-Smith, e-mail): the other ways the texts may
write it. The index holds a hyphenated word's parts and their closed-up term at one place,
so the closed-up term finds it hyphenated and closed up; its words written apart ("Duncan
Smith") and, for a lexicon term, the closed-up word's own endings ("emailed") are read
here (see :func:`~.groups.word_groups`).
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import query

from corpus_search.analysis.text import HYPHENS
from corpus_search.analysis.tokens import JOINED
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.phrases_gapped import phrase_at
from corpus_search.search.ranking import COMPOUND_SHARE, Ranking
from corpus_search.search.state import SearchSource

__all__ = ["HYPHENATED", "closed_up", "written_apart"]

_CHARS = "".join(sorted(HYPHENS))

#: a query word of two or more parts joined by hyphens (Duncan-Smith, e-mail), standing
#: alone: a space, an opening bracket or the query's start before it, a space, a closing
#: bracket or the query's end after it
HYPHENATED = re.compile(
    rf"(?<![^\s(])[^\W_]+(?:['\u2019][^\W_]+)*"
    rf"(?:[{_CHARS}][^\W_]+(?:['\u2019][^\W_]+)*)+(?=[\s)]|$)"
)
_HYPHEN = re.compile(f"[{_CHARS}]")


def written_apart(chunk: str, index: SearchSource, ranking: Ranking,
                  analyzer: Any) -> str | None:
    """The hyphenated word ``chunk`` with its words written apart ("Duncan Smith" for
    Duncan-Smith), when the analyzer reads it as a compound (not a lexicon term: its forms
    say how the texts write it) and the texts show that spelling established (see
    :func:`_side_by_side`); else None."""
    if not any(t.kind is JOINED for t in analyzer(chunk, mode="query")):
        return None
    parts = _HYPHEN.split(chunk)
    return " ".join(parts) if _side_by_side(parts, index, ranking, analyzer) else None


def _side_by_side(parts: list[str], index: SearchSource, ranking: Ranking,
                  analyzer: Any) -> bool:
    """Do the texts write the ``parts`` of a hyphenated word apart, side by side, in at
    least :data:`COMPOUND_SHARE` of the documents holding the rarest of them ("Duncan Smith":
    2 of the 11 BBC documents saying Duncan; "all women": 2 of 107 saying women), the share
    a closed-up word's two-word spelling needs (:func:`~.groups.spaced_spelling`)? A part
    the analyzer drops (a stop word) may stand inside, as any word, not first or last: the
    phrase of the rest would hold beside any word."""
    terms, offsets = [], []
    for n, part in enumerate(parts):
        own = [t.text for t in analyzer(part, mode="query") if not getattr(t, "expansion", False)]
        if len(own) > 1 or (not own and n in (0, len(parts) - 1)):
            return False
        if own:
            terms.append(own[0])
            offsets.append(n)
    engine = engine_for_ranking(index.searcher(), ranking)
    rarest = min(len(engine.term("body", t)) for t in terms)
    together = int(engine.docs(phrase_at("body", terms, 1, 1.0, offsets)).sum())
    return together > 0 and together >= COMPOUND_SHARE * rarest


def closed_up(chunk: str, index: SearchSource, ranking: Ranking, analyzer: Any) -> str | None:
    """The hyphenated lexicon term ``chunk`` (e-mail) written closed up (email), when the
    texts hold that word where they hold none of the term's forms ("emailed", "e-mailed":
    the forms have no such ending); else None. The closed-up word is read as it is typed
    (email, and the term as its expansion), so "e-mail" finds what "email" finds; a term
    whose forms hold every text of the closed-up word (by-election) is left as it is."""
    if not _HYPHEN.search(chunk) or any(c.isspace() for c in chunk):
        return None
    closed = _HYPHEN.sub("", chunk)
    own = {t.text for t in analyzer(closed, mode="query")
           if not getattr(t, "expansion", False)}
    term = {t.text for t in analyzer(chunk, mode="query")}
    if not own or own <= term:
        return None
    engine = engine_for_ranking(index.searcher(), ranking)
    held = engine.docs(query.Or([query.Term("body", t) for t in term]))
    if (engine.docs(query.Or([query.Term("body", t) for t in own])) & ~held).any():
        return closed
    return None
