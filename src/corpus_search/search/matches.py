"""What a query matched within filters, per document (:class:`Matches`): the record
:func:`~corpus_search.search.matching.matching_documents` fills in and counting, key terms,
trends and exports read, with the notes and their figures on what was left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from whoosh import query

    from corpus_search.search.engine import QueryEngine

__all__ = ["Matches"]


@dataclass
class Matches:
    """Per document number of the searcher's index: ``matching`` (the query matches it and
    the filters keep it) and ``kept`` (the filters keep it; every live document when there
    are none), with the spelling help given, the matches a date range left out for having
    no date (``None`` when no date range could: none set, or undated ones included), the
    notes on how the query was read (search's), the query as searched (with the corrections
    searched), the Whoosh query that was (``None`` for ``"*"``) and how many documents it
    matches with no filter; ``related_only`` the matches within the filters left out for
    holding only a broader term the lexicon relates to the query (``None``: none)."""

    engine: QueryEngine
    matching: np.ndarray
    kept: np.ndarray
    suggestion: str | None = None
    suggestion_applied: bool = False
    not_found: tuple[str, ...] = ()
    undated_left_out: int | None = None
    notes: tuple[str, ...] = ()
    #: :attr:`~.corrections.Spelling.partly_found`, by term
    partly_found: dict[str, list[str]] = field(default_factory=dict)
    searched: str = ""
    query: query.Query | None = None
    unfiltered: int = 0
    related_only: int | None = None
    #: per document: does the query match it, whatever the filters (``None``: unknown)
    unfiltered_matching: np.ndarray | None = None
    #: the figures of the notes, by :class:`~.results.QueryTold`'s field (``phrase_apart``)
    told: dict[str, Any] = field(default_factory=dict)
    #: per document: counted for naming a concept only through narrower terms (``None``: none)
    narrower_docs: np.ndarray | None = None

    def tell(self, note: str | None, **figures: int | list[str] | dict[str, int]) -> None:
        """Add ``note`` (if any) to the notes, and its ``figures`` to :attr:`told`: a count
        to the count a note before gave that field, names after its names (a mapping is
        the field's)."""
        self.notes = (*self.notes, note) if note else self.notes
        for name, value in figures.items():
            had = self.told.get(name)
            if isinstance(value, list):
                value = list(dict.fromkeys([*(had or []), *value]))
            elif isinstance(value, int):
                value += had or 0
            self.told[name] = value
    #: the honorifics typed before a name (Ms of "Ms Hewitt"): no match held alone
    titles: tuple[str, ...] = ()
