"""How a search's matches hold its query, in sentences: how many hold every quoted phrase
(the others, ranked after them, hold its words apart), and how many hold only a term the
lexicon relates to the query's words (Labour, for PLP). A count, a concordance and key terms
leave the latter out, so a search's total is larger than a count's: these sentences say by
how much and why, on the command line and on the web's search page alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus_search.search.concordance import Concordance
    from corpus_search.search.counting import Counts
    from corpus_search.search.results import SearchResults

__all__ = ["how_counted", "how_held", "no_place", "no_places_where"]


def how_held(results: SearchResults) -> list[str]:
    """The sentences that say how ``results``' matches hold its query (none when every match
    holds it as typed): the quoted phrases' line, then the related terms' line."""
    return [line for line in (_phrase_line(results), _related_line(results)) if line]


def _phrase_line(results: SearchResults) -> str | None:
    """How many results hold the quoted phrases, when some hold only their words (those rank
    after them). A phrase is held in any of its lexicon forms (quoted "Lib Dems" is held by
    a document that says Liberal Democrats), so the line does not say "as written". The
    results that only name a broader term the lexicon relates to the phrase (Labour, for
    "New Labour") rank after those holding its words, and the related terms' line counts
    them."""
    exact = results.phrase_matches
    if exact is None or exact >= results.total:
        return None
    phrase = "every quoted phrase" if results.query.count('"') > 3 else "the quoted phrase"
    # (words outside the quotes: the rest may hold those alone)
    others = " or only the query's other words" if "".join(
        results.query.split('"')[0::2]).strip() else ""
    if not exact:
        return (f"None holds {phrase} (or a lexicon form of it); these hold its words "
                f"apart{others}.")
    verb = "holds" if exact == 1 else "hold"
    below = results.total - exact - (results.related_only or 0)
    inside = below - (results.phrase_apart or 0)  # (only inside another lexicon term)
    if below == results.total - exact:
        rest = f"the rest, ranked after them{_how_below(below, inside, others, 'hold')}"
    elif below:
        rest = (f"the next {below:,}, ranked after them"
                f"{_how_below(below, inside, others, 'holds' if below == 1 else 'hold')}")
    else:
        rest = "none holds its words apart"
    return f"{exact} of them {verb} {phrase} (or a lexicon form of it); {rest}."


def _how_below(below: int, inside: int, others: str, verb: str) -> str:
    """How the ``below`` results ranked after those holding the phrase hold it: its words
    apart, or (``inside`` of them) its words in a row only inside another lexicon term
    ("home secretary" only in "Shadow Home Secretary"), which is no words apart: the words
    that follow "ranked after them"."""
    if not inside:
        return f", {verb} its words apart{others}"
    written = "writes" if inside == 1 else "write"
    if inside == below:
        return f", {written} it only inside another lexicon term{others}"
    apart = below - inside
    return (f": {inside:,} {written} it only inside another lexicon term, {apart:,} "
            f"{'holds' if apart == 1 else 'hold'} its words apart{others}")


def _related_line(results: SearchResults) -> str | None:
    """How many results only name a term the lexicon relates to the query's words."""
    related = results.related_only
    if not related:
        return None
    direct = results.total - related
    verb = "holds" if direct == 1 else "hold"
    return (f"{direct} of them {verb} the query's words or their forms; the other {related} "
            "only a term the lexicon relates to them.")


def how_counted(results: SearchResults, counts: Counts) -> list[str]:
    """What a search says beside the count of the same query and filters (``counts``: the
    web's count and trends rows link to such searches) when it finds more documents than
    the count counted: how many of them the count counts, then the count's notes on those it
    leaves out (only part of a name, a quoted phrase's words apart, only a term the lexicon
    relates to the query), those the search does not say itself. None when they agree."""
    if counts.total >= results.total:
        return []
    rest = results.total - counts.total
    why = [note for note in counts.notes if note not in results.notes]
    said = f"A count of this query counts {counts.total:,} of these {results.total:,} documents"
    if why:
        return [f"{said}, not the other {rest:,}:", *why]
    return [f"{said}: the other {rest:,}, ranked lower, hold only part of it."]


def no_place(documents: int) -> str:
    """Why ``documents`` a count of the query counts give no concordance line (the
    predicate). (Those a search finds for holding only a quoted phrase's words apart, part
    of a name or a term, or a term the lexicon only relates to the query, are not counted:
    the count's notes say so.)"""
    verb = "holds" if documents == 1 else "hold"
    return (f"{verb} it only in a title or another field, or only part of a quoted phrase, "
            "a name or a term")


def no_places_where(result: Concordance, filtered: bool = False) -> str:
    """Where a concordance with no line found no place, and why, to follow "No places for
    QUERY in ": in the documents the filters keep, when they were ``filtered`` and kept no
    match (not "in any document's text", which a date range that left every match out
    belies); else in any document's text, with why its matches give none."""
    if not result.documents:
        return "the documents the filters keep" if filtered else "any document's text"
    matched = f"{result.documents} document{'' if result.documents == 1 else 's'}"
    return f"any document's text: the {matched} it matches {no_place(result.documents)}"
