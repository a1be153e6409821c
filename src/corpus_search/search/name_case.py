"""The note on a count of a capitalised word the texts mostly write otherwise: ``count May``.

A count reads a word as search does, in any case and through its stem: ``May`` counts 470 BBC
documents, where 114 write only "May" (grep -lw finds 135: a document writing both is kept
as "may" in the words field) and 356 the verb "may"; ``Hunt`` counts fox "hunting",
``Cleverly`` the adverb, ``Truss`` "trusses". A researcher counting a person (Theresa May,
the Conservative party chair in 2004-05) read those figures as the name's, and nothing said
otherwise. The note gives the figures from the words field (each document's words as written,
a word kept capitalised only where the document never writes it in lower case:
:mod:`~corpus_search.search.vocabulary`) and the way to count the word as written. The
count itself is left as search reads the word: its analyzer and ranking are tuned and
evaluated, and a capital starting a sentence is no name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query

from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.analysis.text import normalise_word
from corpus_search.search.operators import OPERATORS
from corpus_search.search.ranking import TEXT_FIELDS
from corpus_search.search.vocabulary import vocabulary

if TYPE_CHECKING:
    from corpus_search.search.matching import Matches
    from corpus_search.search.state import SearchSource

__all__ = ["OTHER_CASE_SHARE", "tell_lower_case"]

#: the share of a count's documents not writing the word capitalised alone from which the
#: note is given: "Green" (15 of 58 BBC documents), not "Brown" (2 of 126)
OTHER_CASE_SHARE = 0.1

#: a capitalised word (a capital, then lower-case letters), standing alone in a query
_CAPITALISED = re.compile(r"(?<![\w\"'*?~:^-])[A-Z][a-z]+(?![\w\"'*?~:^-])")


def tell_lower_case(index: SearchSource, found: Matches) -> None:
    """Tell in ``found``, for each capitalised word of its query (plain words, quotes aside)
    that is no term of the lexicon nor an honorific, and that at least
    :data:`OTHER_CASE_SHARE` of the matches holding it hold in lower case or another form
    only: how many write it each way, and how to count it as written."""
    text = found.searched
    if '"' in text or found.query is None or not found.matching.any():
        return
    analyzer = index.schema["body"].analyzer
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        tokens = list(analyzer(word, mode="query"))
        if word.upper() in OPERATORS or any(getattr(t, "expansion", False) for t in tokens) \
                or word.lower() in index.lexicon.honorifics:
            continue  # (a term of the lexicon, Labour or Budget, is read by its case)
        # (the matches holding the word in some form: all of them but in a query of several)
        terms = [query.Term(field, t.text) for field in TEXT_FIELDS for t in tokens]
        holding = found.matching & found.engine.docs(query.Or(terms)) if terms else None
        total = int(holding.sum()) if holding is not None else 0
        if not total:
            continue
        key = normalise_word(word)[1]
        capitalised = _holding(found, holding, [form for form in
                                                vocabulary(found.engine).forms(key)
                                                if form != key])
        lower = _holding(found, holding, [key])
        if total - capitalised < max(1, OTHER_CASE_SHARE * total):
            continue
        other = total - capitalised - lower
        others = f", {other} another form of it" if other > 0 else ""
        documents = "document" if total == 1 else "documents"
        found.tell(
            f"{word}: of the {total} {documents} counted holding it, {capitalised} write it "
            f'only capitalised ("{word}"), {lower} "{key}" in lower case{others}: a count reads a '
            f'word in any case and form, as search does; to count "{word}" as written, use '
            "--match-case (Python: match_case=True)")


def _holding(found: Matches, among: np.ndarray, forms: list[str]) -> int:
    """How many of the documents ``among`` hold one of ``forms`` in the words field."""
    held = np.zeros(found.engine.size, dtype=bool)
    for form in forms:
        held[found.engine.term(WORDS_FIELD, form).docs] = True
    return int((held & among).sum())
