"""The query text tidied before it is read (:func:`tidied_query`): each step rewrites what
Whoosh's parser would drop or misread silently, and says so in a note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_search.search.commas import commas_as_spaces
from corpus_search.search.questions import without_question_marks
from corpus_search.search.ranking import printable_query
from corpus_search.search.term_patterns import without_fuzzy_terms
from corpus_search.search.unpaired import without_unpaired
from corpus_search.search.us_terms import british_terms

if TYPE_CHECKING:
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.state import SearchSource

__all__ = ["tidied_query"]

#: the typographic double quotes, each read as ``"``: “general election” had been its two
#: words, 401 BBC documents where the phrase finds 114
_DOUBLE_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'))


def tidied_query(text: str, index: SearchSource, ranking: Ranking) -> tuple[str, list[str]]:
    """``text`` as the parser is to read it, and the notes on what was changed."""
    cleaned = printable_query(text)
    cleaned = cleaned.translate(_DOUBLE_QUOTES)  # (pasted “quotes” quote a phrase too)
    # a quote or bracket left open (or closing nothing) is left out, and the notes say so:
    # Whoosh's parser dropped it silently, and what remained was not read as plain words
    cleaned, unpaired = without_unpaired(cleaned)
    cleaned, questions = without_question_marks(cleaned)  # "Iraq?" asks about Iraq
    cleaned, commas = commas_as_spaces(cleaned)  # "Iraq,Kennedy": two words
    cleaned = british_terms(cleaned, index.lexicon)  # "defense secretary": the lexicon term
    patterned: list[str] = []
    if '"' in cleaned and ("*" in cleaned or "?" in cleaned):  # ("interest rat*")
        from corpus_search.search.quoted_patterns import quoted_patterns  # (rare: lazily)

        cleaned, patterned = quoted_patterns(cleaned, index, ranking)
    cleaned, fuzzy_terms = without_fuzzy_terms(  # "Lib Dems~", "Tories~": the term
        cleaned, index.lexicon, index.schema["body"].analyzer)
    notes = [note for note in (unpaired, questions, commas, *fuzzy_terms, *patterned) if note]
    return cleaned, notes
