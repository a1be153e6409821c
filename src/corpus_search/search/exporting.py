"""What every searchable index offers for writing its documents out (:class:`ExportingIndex`,
a base of :class:`~corpus_search.search.readable.ReadableIndex`): :meth:`export` to a file,
folder or stream, :meth:`export_text` as text made while the documents are read."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from corpus_search.errors import ExportError
from corpus_search.ingest.model import true_or_false
from corpus_search.search.filters import SearchFilters

if TYPE_CHECKING:  # (the export itself imports the ingest file formats, which no search
    # loads: the methods import it when used)
    from collections.abc import Iterator

    from corpus_search.search.export import ExportReport, Output

__all__ = ["ExportingIndex"]


class ExportingIndex:
    """The export methods of an index: each hands the index (a
    :class:`~corpus_search.search.state.SearchSource`) to :mod:`corpus_search.search.export`
    with its filters read as every method reads them (``since``, ``until``,
    ``include_undated`` as keywords)."""

    def export(
        self,
        query: str,
        out: Output,
        format: str | None = None,
        filters: SearchFilters | dict[str, Any] | None = None,
        sort: str = "relevance",
        correct: bool = True,
        overwrite: bool = False,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        counted: bool = False,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> ExportReport:
        """Write every document ``query`` matches (``"*"``: every document the filters keep;
        ``counted``: only those :meth:`count` counts; ``literal``: those holding its words as
        written, in the case typed with ``match_case``, as :meth:`count` counts them;
        ``distinct``: each text once, no row repeating an earlier one's), text and
        metadata, to ``out``: a CSV or JSON Lines file, a folder of text files, or a text
        stream. See :func:`corpus_search.search.export.export`."""
        true_or_false(ExportError, correct=correct, overwrite=overwrite, counted=counted,
                      literal=literal, distinct=distinct, match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        from corpus_search.search.export import export

        return export(self, query, out, format=format, filters=filters, sort=sort,
                      correct=correct, overwrite=overwrite, counted=counted, literal=literal,
                      distinct=distinct, match_case=match_case)

    def export_text(
        self,
        query: str,
        format: str = "csv",
        filters: SearchFilters | dict[str, Any] | None = None,
        sort: str = "relevance",
        correct: bool = True,
        bom: bool = False,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        counted: bool = False,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> tuple[ExportReport, Iterator[str]]:
        """What :meth:`export` writes as a CSV (``bom``: with a byte order mark, as a file
        gets) or JSON Lines file, as an iterator of its text made as the documents are read,
        and the report; a bad query or filter is raised before this returns. See
        :func:`corpus_search.search.export.export_text`."""
        true_or_false(ExportError, correct=correct, bom=bom, counted=counted, literal=literal,
                      distinct=distinct, match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        from corpus_search.search.export import export_text

        return export_text(self, query, format=format, filters=filters, sort=sort,
                           correct=correct, bom=bom, counted=counted, literal=literal,
                           distinct=distinct, match_case=match_case)
