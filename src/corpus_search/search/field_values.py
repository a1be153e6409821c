"""A ``party:`` or ``source:`` value typed in a query, as the index holds it: a name in any
form (``party:tory``, ``source:bbc``) or a wildcard pattern (``party:Con*``, ``source:bbc*``).

Whoosh's parser hands a field's wildcard to the field as a prefix or pattern, and the names
were matched without it: ``Labour party:Con*`` searched ``party:Con``, which keeps no
document, and said nothing. Lucene applies a wildcard inside a field to that field's terms;
here, to the values the index holds (:func:`~corpus_search.search.filters.values_matching`),
each read as that value typed whole would be. A pattern that matches none is searched as
typed (it matches nothing), with a note naming the values there are; so is a value the index
holds no document of (``party:xyz``: the note the ``--party`` filter gives), which had
matched nothing and said nothing. A fuzzy mark applies to the values' names, as Lucene
applies one inside a field (``party:Labur~`` is Labour): it had been dropped, and
``party:Con~`` searched ``party:Con`` (no document, no note).
"""

from __future__ import annotations

from whoosh import query

from corpus_search.search.filters import (
    canonical_party,
    canonical_source,
    held_values,
    value_not_held,
    values_begun,
    values_matching,
    values_near,
)
from corpus_search.search.ranking import Ranking
from corpus_search.search.state import SearchSource

__all__ = ["VALUE_FIELDS", "fuzzy_value_query", "party_query", "value_query"]

#: the fields whose values are names matched to those the index holds
VALUE_FIELDS = ("party", "source")


def _as_prefix(fieldname: str, text: str, index: SearchSource) -> str:
    """The wildcard form of a value that begins names the index holds ("; party:Cons*
    matches Conservative"), else nothing: the end of a note on a value that matched none
    (``party:Cons`` had listed every party, leaving the reader to guess why Conservative
    did not match it, a name being matched whole; ``party:Con~`` says it likewise)."""
    begun = values_begun(fieldname, text, index)
    return f"; {fieldname}:{text.strip()}* matches {', '.join(begun)}" if begun else ""


def value_query(
    index: SearchSource, ranking: Ranking, fieldname: str, text: str, termclass: type,
    boost: float, notes: list[str],
) -> query.Query:
    """``fieldname:text`` (one of :data:`VALUE_FIELDS`), read by Whoosh's parser as a
    ``termclass`` (a prefix's ``text`` without its ``*``); a note for a value or pattern
    matching no value the index holds is added to ``notes``."""
    if termclass not in (query.Prefix, query.Wildcard):
        why = value_not_held(fieldname, text, index)
        if why:
            begun = _as_prefix(fieldname, text, index)
            _note(notes, f"{fieldname}:{text} matched nothing: {why}{begun}.")
        if fieldname == "party":
            return party_query(index, ranking, canonical_party(text, index), boost)
        return query.Term(fieldname, canonical_source(text, index), boost=boost)
    pattern = text + "*" if termclass is query.Prefix else text
    values = values_matching(fieldname, pattern, index)
    if not values:
        _note(notes, f"{fieldname}:{pattern} matches none of the {_kind(fieldname)} this index "
                     f"holds ({', '.join(held_values(index, fieldname)) or 'none'}), so it "
                     "matched nothing.")
        return query.Term(fieldname, pattern, boost=boost)
    return _values_query(index, ranking, fieldname, values, boost)


def fuzzy_value_query(
    index: SearchSource, ranking: Ranking, fieldname: str, text: str, maxdist: int,
    prefix: int, boost: float, notes: list[str], mark: str = "~",
) -> query.Query:
    """``fieldname:text~maxdist/prefix``: the values of ``fieldname`` (one of
    :data:`VALUE_FIELDS`) named within ``maxdist`` edits of ``text``
    (:func:`~corpus_search.search.filters.values_near`); none, a note naming the values
    there are (naming ``text`` with its fuzzy ``mark`` as typed), and those ``text*`` would
    match (``party:Con~``: party:Con* is Conservative)."""
    values = values_near(fieldname, text, maxdist, prefix, index)
    if values:
        return _values_query(index, ranking, fieldname, values, boost)
    typed = f"{fieldname}:{text}{mark}"
    held = ", ".join(held_values(index, fieldname)) or "none"
    _note(notes, f"{typed} is within {maxdist} edit{'s' * (maxdist != 1)} of none of the "
                 f"{_kind(fieldname)} this index holds ({held}), so it matched nothing"
                 f"{_as_prefix(fieldname, text, index)}.")
    return query.Term(fieldname, f"{text}~{maxdist}", boost=boost)


def _values_query(index: SearchSource, ranking: Ranking, fieldname: str, values: list[str],
                  boost: float) -> query.Query:
    if fieldname == "party":
        found = [party_query(index, ranking, v, boost) for v in values]
    else:
        found = [query.Term(fieldname, v, boost=boost) for v in values]
    return found[0] if len(found) == 1 else query.Or(found)


def _kind(fieldname: str) -> str:
    return "parties" if fieldname == "party" else "sources"


def _note(notes: list[str], note: str) -> None:
    if note not in notes:
        notes.append(note)


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
