"""The note on a literal count of a query the lexicon reads as a term: what the count as
search reads the query counts, and this one does not.

``count "Home Office"`` counts 68 BBC documents: those naming it in a form the lexicon lists,
and 30 naming it only through the Home Secretary, a narrower term the lexicon counts as part
of the Home Office. ``--match-case`` (literal mode, each word in the case typed) counts the
words as typed, 36 documents, and said nothing of the 32 it no longer counted, though a note
on the capitalised word had pointed to it. A literal count reads no lexicon term, by design
(a quote check, a name as written); the note says so, with the figures of the count as
search reads the query and how many of its documents named the term only through a
narrower one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_search.errors import Note
from corpus_search.search.matching import Matches, matching_documents
from corpus_search.search.other_terms import listed_names
from corpus_search.search.ranking import every_document

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.ranking import Ranking
    from corpus_search.search.state import SearchSource

__all__ = ["tell_as_written"]


def tell_as_written(index: SearchSource, searcher: Searcher, found: Matches,
                    filters: SearchFilters, ranking: Ranking, match_case: bool) -> None:
    """Tell in ``found`` (a literal count's matches; ``match_case``: in the case typed), when
    the lexicon reads its query as a term, how many documents the count as search reads it
    counts (the term's forms in any case, and the narrower terms it counts as part of it)
    that this one does not, and how many of those name it only through a narrower term.
    Nothing when it drops none. Run it under the index's guard and a query budget."""
    text = found.searched
    analyzer = index.schema["body"].analyzer
    if every_document(text) or not any(getattr(t, "expansion", False)
                                       for t in analyzer(text, mode="query")):
        return
    read = matching_documents(index, searcher, text, filters, ranking, correct=False)
    dropped = read.matching & ~found.matching
    left = int(dropped.sum())
    if not left:
        return
    through = 0 if read.narrower_docs is None else int((read.narrower_docs & dropped).sum())
    named = text.strip()
    verb = "names" if through == 1 else "name"
    narrower = (f" ({through} {verb} {named} only through a narrower term the lexicon counts "
                f"as part of it: {listed_names(read.told['narrower_terms'])})" if through else "")
    total = int(read.matching.sum())
    case = ", in the case typed" if match_case else ""

    def note(option: str) -> str:
        return (f"{named}: {option} counts its words as written{case}, not the term the "
                f"lexicon reads them as: a count without it finds {total} "
                f"document{'' if total == 1 else 's'}, {left} of them not counted here"
                f"{narrower}")

    option = "match_case" if match_case else "literal"
    found.tell(Note(note(f"{option}=True"), note(f"--{option.replace('_', '-')}")))
