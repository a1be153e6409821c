"""Specification of the results as Python objects: what each prints as in a REPL or a notebook
(a line saying what it is, then its first hits, lines, rows or terms a line each, and what the
query's reading told), and that each is a sequence of those, as a search's results are of
their hits."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import write_corpus
from corpus_search import CorpusIndex, check_index
from corpus_search.search.counting import UNDATED_INDEX
from corpus_search.search.results import REPR_ITEMS, ListLike


def test_search_results_print_their_query_total_page_and_one_line_a_hit(small_index):
    results = small_index.search("Labour", limit=1)
    assert results.total > 1
    shown = repr(results).splitlines()
    assert (
        shown[0] == f"SearchResults('Labour': {results.total} documents, page 1 of {results.pages})"
    )
    hit = results.hits[0]
    assert shown[1] == f"  1. {hit.id} {hit.date.isoformat()} {hit.title!r} ({hit.score:.2f})"
    assert len(shown) == 2


def test_a_hit_prints_its_snippet_as_text_with_the_matches_marked(small_index):
    hit = small_index.search("Brent", limit=1).hits[0]
    assert "Snippet('" in repr(hit) and "**Brent**" in repr(hit)
    assert "False)" not in repr(hit)  # not the snippet's (text, matched) pieces


def test_results_that_found_nothing_print_why(small_index):
    assert repr(small_index.search("Whigs")).splitlines()[1:] == [
        "  (Not found in any document: Whigs)"
    ]
    past = small_index.search("Labour", page=50)
    assert repr(past).splitlines()[1] == f"  ({past.why_empty[0]})"


def test_results_print_how_many_undated_matches_a_date_range_left_out(small_index):
    # (a notebook printed "0 documents" and why, not the matches left out for having no
    # date, which the command line and results.undated_left_out say)
    results = small_index.search("pensions transport", since="2019")
    left_out = results.undated_left_out
    assert left_out and left_out > 1
    shown = repr(results).splitlines()
    assert shown[1 + len(results.hits)] == (
        f"  ({left_out} matching documents have no date and were left out; "
        "include_undated=True keeps them)")
    assert "no date" not in repr(small_index.search("pensions transport", since="2019",
                                                    include_undated=True))


def test_a_long_result_prints_its_first_items_and_how_many_more(tmp_path: Path):
    many = {f"n/{i:02}.txt": f"Note {i}\n\nThe Labour party met again.\n" for i in range(15)}
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(write_corpus(tmp_path / "notes", many))
        shown = repr(ix.search("Labour", limit=15)).splitlines()
        assert len(shown) == 1 + REPR_ITEMS + 1
        assert shown[-1] == f"  ... and {15 - REPR_ITEMS} more"
        lines = repr(ix.concordance("Labour", width=10)).splitlines()
        assert lines[0] == "Concordance('Labour': 15 lines from 15 of the 15 documents it matches)"
        assert lines[1] == "  n/00  The **Labour party** met again"


def test_counts_print_a_row_a_period_runs_of_empty_ones_joined(small_index):
    counts = small_index.count("Labour")
    shown = repr(counts).splitlines()
    assert shown[0] == (
        f"Counts('Labour' by year: {counts.total} matching documents, "
        f"{counts.without} without a date)"
    )
    for (value, row), line in zip(counts.joined(), shown[1:], strict=False):
        assert line.startswith(f"  {value}: ")
        assert line.endswith("no documents" if row is None else f"({100 * row.share:.1f}%)")


def test_trends_print_each_query_share_per_row(small_index):
    trends = small_index.trends(["Labour", "Tories"], by="party")
    shown = repr(trends).splitlines()
    assert shown[0].startswith("Trends(by party: matching documents 'Labour' ")
    row = trends.rows[0]
    assert shown[1].startswith(f"  {row.value} ({row.documents} document")
    assert f"Labour {row.matching[0]} ({100 * row.shares[0]:.1f}%)" in shown[1]


def test_key_terms_print_each_word_with_its_counts_and_keyness(small_index):
    # (labour: the word in any sense; the two documents naming the party hold no word that
    # sets them apart from the seven others)
    terms = small_index.key_terms("labour", min_documents=1)
    term = terms.terms[0]
    assert repr(terms).splitlines()[:2] == [
        f"KeyTerms('labour': {terms.matching} matching documents against {terms.others} "
        "others, the rest)",
        f"  {term.word}: {term.matching} matching ({100 * term.matching_share:.1f}%), "
        f"{term.others} others ({100 * term.others_share:.1f}%), keyness "
        f"{term.log_likelihood:.1f}",
    ]


def test_an_index_report_prints_its_counts_in_one_line_not_every_file(tmp_path: Path):
    many = {f"n/{i:02}.txt": "Same\n\nThe same text.\n" for i in range(30)}
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(write_corpus(tmp_path / "notes", many))
    assert len(report.duplicates) == 29
    shown = repr(report)
    assert "\n" not in shown and "n/29" not in shown
    assert shown.startswith(
        f"IndexReport({report.root!r}: 30 indexed, 0 updated, 0 unchanged, "
        "0 deleted, 0 skipped, 0 warnings, 29 duplicates; 30 documents "
        "written in "
    )


@pytest.mark.parametrize("kind", ["Concordance", "Counts", "KeyTerms"])
def test_a_result_of_a_query_that_matches_nothing_prints_the_word_no_document_holds(
    small_index, kind
):
    result = {
        "Concordance": small_index.concordance,
        "Counts": small_index.count,
        "KeyTerms": small_index.key_terms,
    }[kind]("Whigs")
    assert repr(result).startswith(f"{kind}('Whigs'")
    assert "  (Not found in any document: Whigs)" in repr(result).splitlines()


@pytest.mark.parametrize(
    ("method", "items"),
    [
        ("search", "hits"),
        ("concordance", "lines"),
        ("count", "rows"),
        ("key_terms", "terms"),
    ],
)
def test_each_result_iterates_counts_and_indexes_its_items_as_a_list_of_them_would(
    small_index, method, items
):
    result = getattr(small_index, method)(  # (labour: the word in any sense, 3 documents)
        "labour", **({"min_documents": 1} if method == "key_terms" else {})
    )
    held = getattr(result, items)
    assert held and list(result) == held and len(result) == len(held)
    assert result[0] == held[0] and result[-1] == held[-1] and result[:2] == held[:2]


def test_trends_iterate_count_and_index_their_rows(small_index):
    trends = small_index.trends(["Labour", "Tories"], by="party")
    assert trends.rows and list(trends) == trends.rows and len(trends) == len(trends.rows)
    assert trends[0] == trends.rows[0] and trends[1:] == trends.rows[1:]


def test_a_result_with_nothing_in_it_is_false_as_an_empty_list_is(small_index):
    assert not small_index.concordance("Whigs") and not small_index.key_terms("Whigs")


def test_an_export_report_prints_how_many_it_wrote_where_and_what_the_query_told(
    small_index, tmp_path: Path
):
    report = small_index.export("Labour Whigs", tmp_path / "out.csv")
    assert repr(report).splitlines() == [
        f"ExportReport('Labour Whigs': {report.documents} documents to {tmp_path / 'out.csv'} "
        "as csv)",
        "  (Not found in any document: Whigs)",
    ]


@pytest.mark.parametrize("query", ["Labour", "Whigs", '"Parliamentary Labour Party"'])
def test_search_results_pickle_with_everything_they_count(small_index, query):
    """(for a worker process or a cache: the counting held the searcher, and raised
    "Can't pickle local object '_budgeted.<locals>.run'")"""
    results = small_index.search(query, limit=1)
    copy = pickle.loads(pickle.dumps(results))
    assert copy.to_dict() == results.to_dict()
    assert repr(copy) == repr(results)


def test_every_result_pickles(small_index, tmp_path: Path):
    for result in (
        small_index.concordance("Labour"),
        small_index.count("Labour"),
        small_index.trends(["Labour", "Tories"]),
        small_index.key_terms("Labour"),
        small_index.export("Labour", tmp_path / "out.csv"),
        small_index.stats(),
        small_index.get(small_index.search("Labour").hits[0].id),
        check_index(small_index.path),
    ):
        assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()


def test_every_result_and_every_item_it_lists_is_plain_data_through_to_dict(
    small_index, tmp_path: Path
):
    """``json.dumps(x.to_dict())`` works for whatever a method returns and for each item
    of it a loop gives: a trends row and the places ``marks`` finds had no ``to_dict``."""
    import json

    hit = small_index.search("Labour").hits[0]
    body = small_index.get(hit.id).body
    results = (
        small_index.search("Labour"),
        small_index.similar(hit.id),
        small_index.concordance("Labour"),
        small_index.count("Labour"),
        small_index.trends(["Labour", "Tories"]),
        small_index.key_terms("Labour"),
        small_index.marks("Labour", body),
        small_index.cite(hit.id),
        small_index.export("Labour", tmp_path / "out.csv"),
        small_index.stats(),
        small_index.get(hit.id),  # (a Document had no to_dict)
        check_index(small_index.path),
    )
    for result in results:
        json.dumps(result.to_dict())
        for item in result if isinstance(result, ListLike) else ():
            json.dumps(item.to_dict())
    trends = results[4]
    row = trends.rows[0]
    assert row.to_dict() == {"value": row.value, "documents": row.documents,
                             "matching": list(row.matching),
                             "share": [one.to_dict()["share"] for one in row.counts]}
    assert trends.to_dict()["rows"][0]["matching"] == dict(zip(trends.queries, row.matching,
                                                                strict=True))
    marks = results[6]
    assert marks.places and marks.to_dict()["places"] == [list(p) for p in marks.places]
    document = results[10]
    data = document.to_dict()
    assert data == {**{name: getattr(document, name) for name in data},
                    "date": document.date.isoformat() if document.date else None,
                    "date_precision": (document.date_precision or "day") if document.date
                    else None, "shown_date": document.shown_date}
    assert list(data) == ["id", "title", "body", "date", "source", "url", "path", "date_source",
                          "date_precision", "shown_date"]


def test_the_year_facet_is_in_date_order_as_the_index_stats_years_are(small_index):
    """(by count, a chart of a search's years put 2005 before 2003)"""
    for results in (small_index.search("Labour OR Tories OR Wales"), small_index.search("*")):
        years = list(results.facets["year"])
        assert len(years) > 1 and years == sorted(years)
    assert small_index.search("*").facets["year"] == small_index.stats().years


def test_counts_by_year_of_undated_matches_print_how_to_count_them_otherwise(tmp_path: Path):
    """(the BBC corpus has no dates: its count by year printed a head and nothing under it)"""
    undated = {"a.txt": "One\n\nLabour won.\n", "b.txt": "Two\n\nThe Labour party lost.\n"}
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(write_corpus(tmp_path / "notes", undated))
        assert repr(ix.count("Labour")).splitlines() == [
            "Counts('Labour' by year: 2 matching documents, 2 without a date)",
            f"  ({UNDATED_INDEX})",  # (no document of the index has one: where dates come from)
            # (by party alone: they have no source)
            "  (None of them has a date: by='party' counts them otherwise.)",
        ]
        assert (
            repr(ix.count("Labour", by="source")).splitlines()[1]
            == "  (None of them has a source: by='party' counts them otherwise.)"
        )


def test_a_document_prints_the_start_of_a_long_body_and_its_length(tmp_path: Path):
    """(ix.get(id) at a prompt printed the whole article)"""
    from corpus_search import Document
    from corpus_search.ingest.model import REPR_BODY_CHARS

    long = Document(id="a", title="Long", body="Labour. " * 1000)
    shown = repr(long)
    assert shown.startswith("Document(id='a', title='Long', body='Labour. Labour.")
    assert f"'… ({len(long.body):,} characters), date=None" in shown
    assert len(shown) < REPR_BODY_CHARS + 200
    short = Document(id="b", title="Short", body="Labour.")
    assert repr(short) == (
        "Document(id='b', title='Short', body='Labour.', date=None, "
        "source=None, url=None, path=None, date_source=None, date_precision=None)"
    )


def test_key_terms_that_found_no_word_print_that_none_is_clearly_more_common(small_index):
    terms = small_index.key_terms("Commons")  # (2 matches: too few for a word to stand out)
    assert terms.matching and not terms.terms
    assert repr(terms).splitlines()[1:] == [
        "  (No word is clearly more common among them than elsewhere.)"
    ]


def test_trends_print_the_queries_that_match_nothing_with_why(small_index):
    trends = small_index.trends(["Labour", "Whigs"], filters={"party": "Whig"})
    shown = repr(trends).splitlines()
    assert shown[-1].startswith(
        "  (No documents match Labour, Whigs: No document mentions the party 'Whig'"
    )


#: what the search side of the library hands a user (help() on each says what it gives)
_SEARCH_SIDE = ("CorpusIndex", "MultiIndex", "SearchFilters", "Ranking", "SearchResults", "Hit",
                "Snippet", "Concordance", "ConcordanceLine", "Marks", "Counts", "CountRow",
                "Trends", "TrendRow", "KeyTerms", "KeyTerm", "Citation", "ExportReport",
                # (and what the index hands back of itself: CheckReport.all_problems,
                # IndexStats.to_dict had no word)
                "Document", "CheckReport", "IndexStats", "IndexReport")


@pytest.mark.parametrize("name", _SEARCH_SIDE)
def test_every_public_method_and_property_says_in_help_what_it_gives(name: str):
    """``help(results.hits[0])``, ``help(Snippet)``... tell what each method and property
    gives: ``Hit.to_dict``, ``Snippet.plain`` and ``SearchResults.pages`` had no word."""
    import inspect

    import corpus_search

    cls = getattr(corpus_search, name)
    silent = []
    for attr in dir(cls):
        if attr.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, attr)
        code = raw.fget if isinstance(raw, property) else getattr(raw, "__func__", raw)
        code = getattr(code, "func", code)  # (a cached_property)
        if not callable(code) or not getattr(code, "__module__", "").startswith("corpus_search"):
            continue  # (a field, or what Python or Whoosh defines)
        if not inspect.getdoc(code):
            silent.append(attr)
    assert not silent, f"{name}: {silent}"


def test_a_hit_changed_by_its_reader_leaves_the_next_search_s_hits_as_they_were(small_index):
    # (a search keeps each document's parts of a hit per searcher: each hit's parties must
    # still be a list of its own)
    first = small_index.search("Labour", limit=1, highlight=False).hits[0]
    parties = list(first.parties)
    first.parties.append("Monster Raving Loony")
    first.title = "changed"
    again = small_index.search("Labour", limit=1, highlight=False).hits[0]
    assert (again.id, again.title, again.parties) == (first.id, again.title, parties)
    assert again.title != "changed"
