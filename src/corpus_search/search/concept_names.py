"""How a reader knows a lexicon concept, one name wherever it is shown: a key-terms row,
a note naming the terms a count left out, a party's row of a count or a comparison.

A party's own concept is named by the party's display name, as the ``party`` facet, a
count by party and the exports' ``parties`` column name it ("Liberal Democrat"); any other
concept by the first form its lexicon lines list ("tuition fees", "Chancellor of the
Exchequer"). Key terms had named a concept by its form whose words the matches held most,
so the Lib Dems' row was "Liberal Democrats" in one list, "Lib Dem" in another and
"Liberal Democrat" in a count by party: exported lists could not be joined on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_search.analysis.lexicon import bare_form
from corpus_search.search.vocabulary import vocabulary

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from corpus_search.analysis.lexicon import Lexicon
    from corpus_search.search.engine import QueryEngine

__all__ = ["concept_name", "concept_names", "related_names"]


def concept_name(lexicon: Lexicon, concept: str) -> str | None:
    """The name of ``concept`` (an index term of the lexicon: ``lib_dem``,
    ``tuition_fees``): the display name of the party it is ("Liberal Democrat"; not of one
    it only tags, New Labour, Scottish Labour, which imply the party's own concept), else
    the first form its lexicon lines list, markers left out ("tuition fees"); None for a
    term that is no concept of the lexicon."""
    return concept_names(lexicon).get(concept)


def concept_names(lexicon: Lexicon) -> Mapping[str, str]:
    """Each concept of ``lexicon`` and its name (:func:`concept_name`), worked out once per
    lexicon."""
    found = _NAMES.get(lexicon.fingerprint)
    if found is None:
        found = {}
        for entry in lexicon.entries:
            if entry.concept != "-" and entry.concept not in found and entry.forms:
                found[entry.concept] = bare_form(entry.forms[0])
        for concept, party in lexicon.parties.items():
            if not any(lexicon.parties.get(other) == party
                       for other in lexicon.implied.get(concept, ())):
                found[concept] = party
        _NAMES[lexicon.fingerprint] = found
    return found


def related_names(lexicon: Lexicon, engine: QueryEngine, terms: Iterable[str]) -> list[str]:
    """How a reader knows each of the lexicon's ``terms`` (index terms such as
    ``labour_party``, ``whitehall``, ``blair``), once each: its :func:`concept_name`
    ("Labour", "Whitehall"), else the word as the texts of ``engine``'s index write it
    ("Blair")."""
    names: list[str] = []
    for term in terms:
        name = concept_name(lexicon, term) or vocabulary(engine).written(term)
        if name not in names:
            names.append(name)
    return names


#: lexicon fingerprint -> each concept's name
_NAMES: dict[str, dict[str, str]] = {}
