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
from typing import TYPE_CHECKING, Any

from whoosh import query

from corpus_search.analysis.text import normalise_word
from corpus_search.search.lexicon_spans import query_lexicon_spans
from corpus_search.search.operators import OPERATORS
from corpus_search.search.other_terms import listed_names
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
    that is no term of the lexicon nor an honorific, nor a word of a lexicon term or listed
    ordinary use the query types ("Home Office", "Lib Dems": the term is counted, in its own
    forms, not the word), and that at least :data:`OTHER_CASE_SHARE` of the matches holding
    it write only in lower case (as "may", "hunting"; never for none): how many write it each
    way, and how to count it as written."""
    text = found.searched
    if '"' in text or found.query is None or not found.matching.any():
        return
    analyzer = index.schema["body"].analyzer
    within = query_lexicon_spans(text, index.lexicon)
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        tokens = list(analyzer(word, mode="query"))
        if word.upper() in OPERATORS or any(getattr(t, "expansion", False) for t in tokens) \
                or word.lower() in index.lexicon.honorifics \
                or any(start <= m.start() < end for start, end in within):
            continue  # (a term of the lexicon, Labour or Budget, is read by its case)
        # (the matches holding the word in some form: all of them but in a query of several)
        terms = [query.Term(field, t.text) for field in TEXT_FIELDS for t in tokens]
        holding = found.matching & found.engine.docs(query.Or(terms)) if terms else None
        total = int(holding.sum()) if holding is not None else 0
        if not total:
            continue
        assert holding is not None  # (total is of it)
        key = normalise_word(word)[1]
        lower_forms, capitalised_forms = _written_forms(found, analyzer, key, tokens)
        written = vocabulary(found.engine).holding
        capitalised = int((written(capitalised_forms) & holding).sum())
        lower = int((written(lower_forms) & holding & ~written(capitalised_forms)).sum())
        if lower < max(1, OTHER_CASE_SHARE * total):
            continue
        other = total - capitalised - lower
        others = f", {other} another form of it" if other > 0 else ""
        documents = "document" if total == 1 else "documents"
        found.tell(
            f"{word}: of the {total} {documents} counted holding it, {capitalised} write it "
            f'only capitalised ("{word}"), {lower} in lower case ({_quoted(lower_forms)})'
            f"{others}: a count reads a word in any case and form, as search does; to count "
            f'"{word}" as written, use --match-case (Python: match_case=True)')


def _written_forms(found: Matches, analyzer: Any, key: str,
                   tokens: list[Any]) -> tuple[list[str], list[str]]:
    """The forms of the words field that the analyzer reads as ``tokens`` (the word typed,
    whose key is ``key``) in lower case ("hunt", "hunting"), the key first, then most
    documents first; and the key's capitalised forms ("Hunt"; "Hunts" is another form): of
    the words of the vocabulary sharing the key's first three letters, each read as a
    query's word is."""
    vocab = vocabulary(found.engine)
    reading = sorted(t.text for t in tokens)
    keys = [k for k in vocab.keys_starting(key[:1]) if k[:3] == key[:3] and (
        k == key or sorted(t.text for t in analyzer(k, mode="query")) == reading)]
    forms = {form: n for k in keys for form, n in vocab.forms(k).items()}
    ordered = sorted(forms, key=lambda f: (f.lower() != key, -forms[f], f))
    return [f for f in ordered if f.islower()], [f for f in ordered if f.lower() == key != f]


def _quoted(forms: list[str]) -> str:
    """``forms`` as a note quotes them: '"hunt", "hunting" or 2 more'."""
    return listed_names([f'"{form}"' for form in forms])

