"""What a count's notes say of the documents it leaves out that a search finds: holding
only a quoted phrase's words apart, part of a name or a multi-word term, or only what a
fuzzy query's unmarked words find (:func:`~corpus_search.search.matching.matching_documents`
says each, and gives its figures as fields beside the sentence: ``count --json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from corpus_search.search.concepts import Concept

__all__ = ["apart_notes", "part_only_note", "part_only_of", "quoted", "unvaried_note"]


def unvaried_note(left_out: int, unmarked: str) -> str:
    """The note on the ``left_out`` documents a search of a fuzzy query finds through its
    words ``unmarked`` that neither a count of those nor the fuzzy words count."""
    which = "document holds" if left_out == 1 else "documents hold"
    them = "it" if left_out == 1 else "them"
    return (f"{left_out} more {which} only what a count of {unmarked} leaves out (part of a "
            f"name, a phrase's words apart, a related term), and no variant the ~ adds: left "
            f"out (search ranks {them} lower)")


def quoted(phrases: Sequence[Sequence[Concept]]) -> str:
    """The quoted ``phrases`` as a note names them: "New Labour", "interest rates"."""
    return ", ".join(f'"{group[0].part_of}"' for group in phrases)


def apart_notes(apart: int, related: int, phrases: Sequence[Sequence[Concept]],
                related_to: str) -> list[str]:
    """The notes on the documents left out of a count for holding only the words of the
    query's quoted ``phrases`` apart (``apart`` of them), or only a broader term the
    lexicon relates to a phrase (``related``: Labour for "New Labour", ``related_to``
    saying which: :func:`~.matching.related_held`)."""
    named = quoted(phrases)
    if len(phrases) == 1:
        held_apart, phrase = f"the words of {named} apart", "not the phrase"
    else:
        held_apart, phrase = (f"the words of a quoted phrase apart ({named})",
                              "none of the phrases")
    related_to = f"only {related_to}"
    holding = "it" if len(phrases) == 1 else "one"
    notes = []
    for left_out, held in ((apart, held_apart), (related, related_to)):
        if left_out:
            which = "document holds" if left_out == 1 else "documents hold"
            them = "it" if left_out == 1 else "them"
            notes.append(f"{left_out} more {which} {held}, {phrase}: left out (search "
                         f"ranks {them} after those holding {holding})")
    return notes


def part_only_note(left_out: int, names: Sequence[Sequence[Concept]],
                   terms: Sequence[tuple[Concept, Sequence[Concept]]]) -> str:
    """The note on the ``left_out`` documents holding only part of the query's ``names``
    or typed multi-word ``terms``."""
    which = "document holds" if left_out == 1 else "documents hold"
    them = "it" if left_out == 1 else "them"
    typed = " and ".join(part_only_of(names, terms))
    if not terms:
        surname = names[0][-1].label
        return (f"{left_out} more {which} words of the name {typed} but not the name written "
                f"whole: left out (search ranks {them} lower; a query of {surname} alone "
                f"counts every {surname})")
    whole = ("the term in a form the lexicon lists" if not names
             else "the whole (a term in a form the lexicon lists, a name written whole)")
    return (f"{left_out} more {which} words of {typed} but not {whole}: left out (search "
            f"ranks {them} lower)")


def part_only_of(names: Sequence[Sequence[Concept]],
                 terms: Sequence[tuple[Concept, Sequence[Concept]]]) -> list[str]:
    """The query's names and typed multi-word terms a count counts only whole, as its note
    and ``part_only_of`` name them ("Michael Howard", "home secretary")."""
    return [words[0].part_of for words in names] + [whole.label for whole, _words in terms]
