"""The note on a count of several words typed with nothing between them: as in search, they
match any of them, which a researcher counting ``interest rates`` did not expect (449 BBC
documents hold interest or rates; 69 the phrase, 91 both words), and nothing said so.

The note gives the two other readings with their figures, counted as the query was (same
filters, same documents): the phrase quoted (where a document holds it), and every word
(each lexicon term typed, such as Lib Dems, one of them) joined by AND. It is said only
where the query counts more than all of its words do: a name (``Michael Howard``) or a
single term counts where all its words are already, and says nothing. The two counts cost
a cold ``count 'interest rates'`` on the BBC corpus ~30 ms.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from corpus_search.search.lexicon_spans import query_percent_spans, query_term_spans
from corpus_search.search.matching import Matches, each_text_once, matching_documents
from corpus_search.search.operators import OPERATORS
from corpus_search.search.ranking import MAX_QUERY_CHARS

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.state import SearchSource

__all__ = ["tell_any_words"]

#: a word typed plainly: no quote, bracket, field, wildcard, fuzzy mark or sign
_PLAIN = re.compile(r"[^\W_][\w'\u2019.&%-]*\Z")  # (a percentage too: 2.5%)


def tell_any_words(index: SearchSource, searcher: Searcher, found: Matches,
                   filters: SearchFilters, ranking: Ranking, distinct: bool) -> None:
    """Tell in ``found``, the matches of a query of several plain words (as searched,
    spelling corrections in), when they count more than all its words do: the note, and
    its figures as ``any_words`` (how many documents ``any`` of the words, the ``phrase``
    and ``all`` of them match). Nothing for other matches, or none. Run it under the
    index's guard and a query budget."""
    units = _units(index, found.searched) if found.matching.any() else None
    if units is None:
        return
    total = int(found.matching.sum())
    text = " ".join(found.searched.split())
    every = " AND ".join(units)
    if len(every) > MAX_QUERY_CHARS:  # (refused as too long; the quoted phrase is shorter)
        return
    every_count = _count(index, searcher, every, filters, ranking, distinct)
    if every_count >= total:
        return
    phrase = f'"{text}"'
    phrase_count = _count(index, searcher, phrase, filters, ranking, distinct)
    # (a phrase nothing holds, "Blair Brown Howard", is no reading to offer)
    quoted = f"{phrase} counts the phrase ({phrase_count}), " if phrase_count else ""
    counted = _counted(text, units, found.titles, total)
    found.tell(f"{counted}: {quoted}{every} all of them ({every_count})",
               any_words={"any": total, "phrase": phrase_count, "all": every_count})


def _counted(text: str, units: list[str], titles: tuple[str, ...], total: int) -> str:
    """What the query ``text`` counts (``total`` documents): any of its ``units``, or, with a
    title before a name (Ms of "Ms Hewitt", one of ``titles``), what the rest counts, the
    title needed nowhere (every Hewitt: 26 BBC documents; 132 hold Ms or Hewitt)."""
    rest = [unit for unit in units if unit not in titles]
    if len(rest) == len(units):
        return (f"{text} counts the documents holding any of its words ({total}), as search "
                "finds them")
    named, title = " ".join(rest), " ".join(unit for unit in units if unit in titles)
    return (f"{text} counts the documents {named} counts ({total}), with the title {title} or "
            "without it")


def _units(index: SearchSource, text: str) -> list[str] | None:
    """``text``'s words, each multi-word lexicon term (``Lib Dems``) or percentage
    (``2.5 per cent``) it types one of them,
    if it is two or more of them typed plainly (no operator, quote, bracket, field, wildcard
    or sign); else ``None``."""
    words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    # (an operator's word in any case: in capitals an operator, else noted as a word)
    if len(words) < 2 or any(not _PLAIN.match(word) or word.upper() in OPERATORS
                             for word, _start, _end in words):
        return None
    spans = query_term_spans(text, index.lexicon)
    spans += query_percent_spans(text, index.schema["body"].analyzer)  # ("2.5 per cent")
    units: list[str] = []
    for word, start, end in words:
        inside = [(s, e) for s, e in spans if s <= start and end <= e]
        if inside and units and start > min(inside)[0]:
            units[-1] = f"{units[-1]} {word}"  # (a later word of the term typed before)
        else:
            units.append(word)
    return units if len(units) > 1 else None


def _count(index: SearchSource, searcher: Searcher, text: str, filters: SearchFilters,
           ranking: Ranking, distinct: bool) -> int:
    """How many documents ``text`` matches, counted as the query was."""
    found = matching_documents(index, searcher, text, filters, ranking, correct=False)
    if distinct:
        each_text_once(searcher, found)
    return int(np.count_nonzero(found.matching))
