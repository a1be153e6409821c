"""What every searchable index offers (:class:`ReadableIndex`): search, browse, fetch and
compare documents, built on what a :class:`~corpus_search.search.state.SearchSource` provides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh.searching import Searcher

from corpus_search.analysis.lexicon import Lexicon
from corpus_search.errors import DocumentNotFoundError, QueryError
from corpus_search.ingest.model import Document, true_or_false
from corpus_search.search import ids
from corpus_search.search.defaults import (
    CONTEXT_WIDTH,
    KEY_TERMS_LIMIT,
    KEY_TERMS_MIN_DOCUMENTS,
)
from corpus_search.search.exporting import ExportingIndex
from corpus_search.search.filters import SearchFilters
from corpus_search.search.ranking import RANKING, Ranking
from corpus_search.search.records import document_record
from corpus_search.search.results import QueryTold, SearchResults
from corpus_search.search.state import SearchState
from corpus_search.store.columns import document_body
from corpus_search.store.schema import document_from_fields

if TYPE_CHECKING:  # (searching (execute: the parser, the engine, NumPy) and the research
    # tools are imported by the methods that use them: an index opened to be written, or a
    # document shown, imports none of them, a search or a listing none of the tools)
    from collections.abc import Callable, Sequence

    from corpus_search.search.citing import Citation
    from corpus_search.search.concordance import Concordance, Marks
    from corpus_search.search.counting import Counts
    from corpus_search.search.keyterms import KeyTerms
    from corpus_search.search.trends import Trends

__all__ = ["ReadableIndex"]

_Told = TypeVar("_Told", bound=QueryTold)


class ReadableIndex(ExportingIndex):
    """What every searchable index offers: search, browse, fetch and compare documents.

    :class:`CorpusIndex` (one index) and :class:`MultiIndex` (several searched as one) provide
    ``searcher()`` (a Whoosh searcher on the current documents), ``keep_open()`` (one kept open
    past the guard it was handed out in), ``guard()`` (turning damage into the library's
    errors), ``lexicon``, ``schema`` and ``path``; everything below is built on them.

    Each method taking ``filters`` takes ``since``, ``until`` and ``include_undated`` too, as
    keywords: the date range of the filters, a date or text read as ``--since`` reads it
    (``"2005"``, ``"March 2005"``, ``"2005-03-21"``), and whether it keeps the documents that
    have no date: ``ix.search("Labour", since="2005", include_undated=True)``.
    """

    lexicon: Lexicon
    path: Any

    def searcher(self, ranking: Ranking | None = None) -> Searcher:
        raise NotImplementedError

    def keep_open(self, searcher: Searcher) -> Callable[[], None]:
        raise NotImplementedError

    def guard(self) -> contextlib.AbstractContextManager[None]:
        raise NotImplementedError

    @property
    def search_state(self) -> SearchState:
        """The caches searches keep for this index (query parsers); a reload drops them."""
        state = self.__dict__.get("_search_state")
        if state is None:
            state = self._search_state = SearchState()
        return state

    def removed_words(self, words: Sequence[str]) -> list[Any]:
        """Of ``words`` (a search's ``not_found``), those standing in a line the index's
        folders removed from their documents as repeated boilerplate, each with the line
        (:func:`corpus_search.boilerplate_words.removed_words`, which :class:`CorpusIndex`
        and :class:`MultiIndex` are given as this method): none here, for an index that
        records no folder."""
        return []

    def _removed_told(self, result: _Told) -> _Told:
        """``result`` (a concordance's, count's or key terms') with its ``boilerplate_words``,
        the :meth:`removed_words` of its ``not_found``, as :meth:`search` tells its own."""
        if result.not_found:
            result.boilerplate_words = self.removed_words(result.not_found)
        return result

    def _drop_search_state(self) -> None:
        """Forget the search state: for an index that reloads (another lexicon), whose query
        parsers hold the old analyzer."""
        self.__dict__.pop("_search_state", None)

    def __len__(self) -> int:
        with self.guard():
            return self.searcher().doc_count()

    def __contains__(self, doc_id: object) -> bool:
        """Whether a document has this id (``"politics/281" in ix``): whether :meth:`get`
        finds one, or (several indexes searched as one) would, named by its index. An id is
        text: another value is a :class:`~corpus_search.errors.QueryError` saying so, as
        :meth:`get` raises."""
        with self.guard():
            return ids.holds(self.searcher(), doc_id)

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or ``None``."""
        fields = self.stored_fields(doc_id)
        return document_from_fields(fields) if fields else None

    def stored_fields(self, doc_id: str, *, body: bool = True) -> dict[str, Any] | None:
        """All stored fields of a document (including ``body``, ``party`` and ``file``), or
        ``None``; without ``body`` (the costly part, read from its own column) if not
        ``body``."""
        true_or_false(QueryError, body=body)
        return self._fields(doc_id, body=body)

    def _fields(self, doc_id: str, *, body: bool) -> dict[str, Any] | None:
        """The stored fields of a document, with its ``body`` (read from its own column, the
        costly part) only if asked, or ``None``."""
        with self.guard():
            searcher = self.searcher()
            docnum = ids.document_number(searcher, doc_id)
            if docnum is None:
                return None
            fields = dict(searcher.stored_fields(docnum))
            if body:
                fields["body"] = document_body(searcher, docnum)
            return fields

    def describe(self, doc_id: str) -> dict[str, Any] | None:
        """A document as JSON-ready data, or ``None`` when there is no such id: the fields of
        a search hit that describe a document (``id``, ``title``, ``date``, ``date_source``,
        ``source``, ``parties``, ``url``, as :meth:`Hit.to_dict` writes them), then ``file``
        (relative to its folder), ``path`` (the file's full path, ``None`` for a document a
        program added) and ``body``."""
        fields = self.stored_fields(doc_id)
        return document_record(fields, fields.get("body", "")) if fields is not None else None

    def file_note(self, doc_id: str) -> str | None:
        """A sentence saying that the file the document ``doc_id`` was read from has changed
        or is gone since it was indexed, so that its text (what :meth:`describe` and
        :meth:`cite` give) is not what the file now holds; ``None`` if the file is as it was
        indexed, or the document has no file (or no such id)."""
        from corpus_search.ingest.signatures import file_since_indexed

        fields = self._fields(doc_id, body=False)  # (the file's path and signature)
        if fields is None:
            return None
        path = document_record(fields, "")["path"]
        state = file_since_indexed(fields.get("file_sig") or "", path) if path else None
        if state == "gone":
            return (f"The file {path} is no longer there: this is its text as indexed (indexing "
                    "its folder again removes it).")
        if state == "changed":
            return (f"The file {path} has changed since it was indexed: this is its text as "
                    "indexed (indexing its folder again reads it anew).")
        return None

    def cite(self, doc_id: str, at: int | str | None = None) -> Citation:
        """How to cite a document (title, source, date, address, id and file), and with
        ``at`` (a character offset of its body, a marked place's) the paragraph holding it,
        quoted: :attr:`Citation.text` is ready to paste. An unknown id is a
        :class:`DocumentNotFoundError` naming the ids meant; an ``at`` in no paragraph a
        :class:`PassageError`. See :func:`corpus_search.search.citing.cite`."""
        from corpus_search.search.citing import cite

        record = self.describe(doc_id)
        if record is None:
            raise self.unknown_id(doc_id)
        return cite(record, at)

    def unknown_id(self, doc_id: str) -> DocumentNotFoundError:
        """The error for ``doc_id`` when no document has it (what :meth:`get` and
        :meth:`describe` answer with ``None``), naming the ids it probably stands for: a
        file's name or path given for its id, other capitals (``search.ids.meant_ids``)."""
        with self.guard():
            return ids.unknown_id(self.searcher(), doc_id, self.path)

    def list_documents(
        self,
        filters: SearchFilters | dict[str, Any] | None = None,
        limit: int = 100,
        page: int = 1,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        sort: str = "date",
    ) -> SearchResults:
        """The documents ``filters`` keep, one page at a time, newest first (``sort="oldest"``:
        oldest first), undated last.

        This is browsing (``search("*")``) without snippets: hits carry ids, titles, dates,
        sources and parties and no score; ``total`` counts every document kept, and a date
        range reports in ``undated_left_out`` how many it left out for having no date.
        """
        from corpus_search.search.date_order import DATE_SORTS  # (it loads NumPy)

        if sort not in DATE_SORTS:
            raise QueryError(f"A list's sort is one of {', '.join(map(repr, DATE_SORTS))}, "
                             f"not {sort!r}.")
        return self.search("*", limit=limit, page=page, filters=filters, highlight=False,
                           since=since, until=until, include_undated=include_undated,
                           sort=sort)

    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        filters: SearchFilters | dict[str, Any] | None = None,
        sort: str = "relevance",
        highlight: bool = True,
        correct: bool = True,
        ranking: Ranking = RANKING,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        literal: bool = False,
        match_case: bool = False,
    ) -> SearchResults:
        """One page of the documents ``query`` matches, most relevant first.

        ``limit`` hits a page (1 to 1,000), ``page`` from 1; ``filters`` a
        :class:`SearchFilters` or a dict of its keys (``party``, ``source``, ``since``,
        ``until``, ``include_undated``); ``sort`` ``"relevance"``, ``"date"`` (newest
        first) or ``"oldest"`` (oldest first; undated last either way); ``highlight`` adds
        each hit's snippet; ``correct=False`` searches the words only as typed; ``ranking``
        weighs the scores (:class:`Ranking`). ``"*"`` lists every document the filters keep.
        ``literal``: the words and phrases as written, no stemming, lexicon forms nor stop-word
        gaps (:mod:`corpus_search.search.literal`); ``match_case``: so, each word in the case
        typed. The
        :class:`SearchResults` hold the page's hits, ``total``, ``facets``, the spelling help
        and ``why_empty``; see :func:`corpus_search.search.execute.search` for the details."""
        from corpus_search.search import execute

        true_or_false(QueryError, highlight=highlight, correct=correct, literal=literal,
                      match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        if literal or match_case:
            from corpus_search.search.literal_search import literal_search

            results = literal_search(self, query, limit=limit, page=page, filters=filters,
                                     sort=sort, highlight=highlight, ranking=ranking,
                                     match_case=match_case)
        else:
            results = execute.search(self, query, limit=limit, page=page, filters=filters,
                                     sort=sort, highlight=highlight, correct=correct,
                                     ranking=ranking)
        # (the words no document holds that its folders' boilerplate holds, asked on use)
        return replace(results, _removed=self.removed_words)

    def concordance(
        self,
        query: str,
        limit: int = 100,
        width: int = CONTEXT_WIDTH,
        filters: SearchFilters | dict[str, Any] | None = None,
        sort: str = "relevance",
        correct: bool = True,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> Concordance:
        """Every place ``query`` matches in the documents' bodies, with ``width`` characters
        of context each side (keyword in context; ``literal``: its words as written, as
        :meth:`search` reads them, in the case typed with ``match_case``; ``distinct``: from
        each text once, as :meth:`count` counts them); see
        :func:`corpus_search.search.concordance.concordance`."""
        from corpus_search.search.concordance import concordance

        true_or_false(QueryError, correct=correct, literal=literal, distinct=distinct,
                      match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        if literal or match_case:
            from corpus_search.search.literal_search import literal_concordance

            return self._removed_told(literal_concordance(
                self, query, limit=limit, width=width, filters=filters, sort=sort,
                distinct=distinct, match_case=match_case))
        return self._removed_told(concordance(self, query, limit=limit, width=width,
                                              filters=filters, sort=sort, correct=correct,
                                              distinct=distinct))

    def places(self, query: str, text: str) -> list[tuple[int, int]]:
        """The ``(start, end)`` character spans of ``text`` (a document's body) that are
        places of ``query``, as :meth:`concordance` finds them: for marking the query in
        the text. The query is read as written (no spelling correction). See
        :func:`corpus_search.search.concordance.places`."""
        from corpus_search.search.concordance import places

        return places(self, query, text)

    def marks(self, query: str, text: str, *, literal: bool = False,
              match_case: bool = False) -> Marks:
        """The places of ``query`` in ``text`` (as :meth:`places` finds them; ``literal``: its
        words as written, as a literal concordance finds them, in the case typed with
        ``match_case``), with the spelling help a search would give the query (what ``show
        --mark`` and the web's document page say when a misspelt query marks nothing). See
        :func:`corpus_search.search.concordance.marks`."""
        from corpus_search.search.concordance import marks

        true_or_false(QueryError, literal=literal, match_case=match_case)
        return marks(self, query, text, literal=literal, match_case=match_case)

    def count(
        self,
        query: str,
        by: str = "year",
        filters: SearchFilters | dict[str, Any] | None = None,
        correct: bool = True,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> Counts:
        """How many documents ``query`` matches per year, month, source or party (``by``),
        beside how many each holds in all; ``"*"`` counts every document; ``literal``: those
        holding its words as written (:mod:`corpus_search.search.literal`), in the case typed
        with ``match_case`` (literal then: ``May`` the name, not the verb); ``distinct``:
        each text once, a text saved twice one document. See
        :func:`corpus_search.search.counting.count_matches`."""
        from corpus_search.search.counting import count_matches

        true_or_false(QueryError, correct=correct, literal=literal, distinct=distinct,
                      match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        return self._removed_told(count_matches(self, query, by=by, filters=filters,
                                                correct=correct, literal=literal,
                                                distinct=distinct, match_case=match_case))

    def trends(
        self,
        queries: list[str] | tuple[str, ...],
        by: str = "year",
        filters: SearchFilters | dict[str, Any] | None = None,
        correct: bool = True,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> Trends:
        """Several queries (up to 8, each once) counted per year, month, source or party
        (``by``), lined up on the same rows: each query's column is what :meth:`count`
        counts for it (``literal``, ``distinct`` and ``match_case`` as there). See
        :func:`corpus_search.search.trends.trends`."""
        from corpus_search.search.trends import trends

        true_or_false(QueryError, correct=correct, literal=literal, distinct=distinct,
                      match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        return trends(self, queries, by=by, filters=filters, correct=correct, literal=literal,
                      distinct=distinct, match_case=match_case)

    def key_terms(
        self,
        query: str,
        limit: int = KEY_TERMS_LIMIT,
        filters: SearchFilters | dict[str, Any] | None = None,
        min_documents: int = KEY_TERMS_MIN_DOCUMENTS,
        against: str | None = None,
        correct: bool = True,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        literal: bool = False,
        distinct: bool = False,
        match_case: bool = False,
    ) -> KeyTerms:
        """The words that set the documents ``query`` matches (within ``filters``; ``"*"``:
        every document they keep) apart from the rest of the index, or from the documents
        the query ``against`` matches, most telling first: keyness by log-likelihood over
        document counts; ``literal``: of the documents holding its words as written
        (:mod:`corpus_search.search.literal`), in the case typed with ``match_case`` (both
        queries); ``distinct``: each text once, on both sides. See
        :func:`corpus_search.search.keyterms.key_terms`."""
        from corpus_search.search.keyterms import key_terms

        true_or_false(QueryError, correct=correct, literal=literal, distinct=distinct,
                      match_case=match_case)
        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        return self._removed_told(key_terms(
            self, query, limit=limit, filters=filters, min_documents=min_documents,
            against=against, correct=correct, literal=literal, distinct=distinct,
            match_case=match_case))

    def similar(
        self,
        doc_id: str,
        limit: int = 10,
        page: int = 1,
        filters: SearchFilters | dict[str, Any] | None = None,
        *,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        include_undated: bool | None = None,
        sort: str = "relevance",
    ) -> SearchResults:
        """Documents most like the document ``doc_id`` (those sharing most of its telling
        words), one page at a time, as :class:`SearchResults` whose query is
        ``"similar:<id>"``; the document itself is not among them. ``filters``, ``since``,
        ``until``, ``include_undated`` and ``sort`` are :meth:`search`'s: the alike from one
        party, source or period, counted in ``total`` and ``facets``; by date, newest first.
        An unknown id is a :class:`DocumentNotFoundError` naming the ids probably meant."""
        from corpus_search.search import alike

        filters = SearchFilters.coerce(filters, since=since, until=until,
                                     include_undated=include_undated)
        return alike.similar(self, doc_id, limit=limit, page=page, filters=filters, sort=sort)
