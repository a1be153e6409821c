"""A ``party:`` or ``source:`` value typed in a query, as the index holds it: a name in any
form (``party:tory``, ``source:bbc``) or a wildcard pattern (``party:Con*``, ``source:bbc*``).

Whoosh's parser hands a field's wildcard to the field as a prefix or pattern, and the names
were matched without it: ``Labour party:Con*`` searched ``party:Con``, which keeps no
document, and said nothing. Lucene applies a wildcard inside a field to that field's terms;
here, to the values the index holds (:func:`~corpus_search.search.filters.values_matching`),
each read as that value typed whole would be. A pattern that matches none is searched as
typed (it matches nothing), with a note naming the values there are.
"""

from __future__ import annotations

from whoosh import query

from corpus_search.search.filters import canonical_party, canonical_source, values_matching
from corpus_search.search.ranking import Ranking
from corpus_search.search.state import SearchSource

__all__ = ["VALUE_FIELDS", "party_query", "value_query"]

#: the fields whose values are names matched to those the index holds
VALUE_FIELDS = ("party", "source")


def value_query(
    index: SearchSource, ranking: Ranking, fieldname: str, text: str, termclass: type,
    boost: float, notes: list[str],
) -> query.Query:
    """``fieldname:text`` (one of :data:`VALUE_FIELDS`), read by Whoosh's parser as a
    ``termclass`` (a prefix's ``text`` without its ``*``); a note for a pattern matching
    no value is added to ``notes``."""
    if termclass not in (query.Prefix, query.Wildcard):
        if fieldname == "party":
            return party_query(index, ranking, canonical_party(text, index), boost)
        return query.Term(fieldname, canonical_source(text, index), boost=boost)
    pattern = text + "*" if termclass is query.Prefix else text
    values = values_matching(fieldname, pattern, index)
    if not values:
        held = values_matching(fieldname, "*", index)
        kind = "parties" if fieldname == "party" else "sources"
        note = (f"{fieldname}:{pattern} matches none of the {kind} this index holds "
                f"({', '.join(held) or 'none'}), so it matched nothing.")
        if note not in notes:
            notes.append(note)
        return query.Term(fieldname, pattern, boost=boost)
    if fieldname == "party":
        found = [party_query(index, ranking, v, boost) for v in values]
    else:
        found = [query.Term(fieldname, v, boost=boost) for v in values]
    return found[0] if len(found) == 1 else query.Or(found)


def party_query(index: SearchSource, ranking: Ranking, party: str, boost: float = 1.0
                ) -> query.Query:
    """``party:NAME``: the documents the party facet tags ``party``, ranked by how much
    their titles and bodies say about it (BM25F of its concepts' mentions), not in index
    order: a story about the Tories comes before one that names "Conservatives" once."""
    tagged = query.Term("party", party, boost=boost)
    concepts = sorted(c for c, name in index.lexicon.parties.items() if name == party)
    boosts = ranking.syntax_boosts()
    mentions = [query.Term(f, c, boost=boost * fb) for c in concepts for f, fb in boosts.items()]
    if not mentions:
        return tagged
    return query.AndMaybe(tagged, query.Or(mentions))
