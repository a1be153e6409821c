"""A date range given to the Python API as keywords, in text as the command line takes it:
``ix.search("Labour", since="2005")`` (and ``count``, ``trends``, ``concordance``,
``key_terms``, ``export``, ``list_documents``), read by the one parser ``--since`` and
``filters={"since": ...}`` use, with the same one-line error."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document, QueryError, SearchFilters
from corpus_search.cli import cli

#: (id, what the title and body say, date)
DATED = [("a", "budget", dt.date(2003, 9, 19)), ("b", "wins", dt.date(2005, 5, 6)),
         ("c", "plans", dt.date(2010, 3, 2)), ("d", "note", None)]
DOCUMENTS = [Document(id=i, title=f"Labour {what}", body=f"Labour and its {what}.", date=date)
             for i, what, date in DATED]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    with CorpusIndex(tmp_path_factory.mktemp("dates") / "ix") as ix:
        ix.add_documents(DOCUMENTS)
        yield ix


def ids(results) -> list[str]:
    return sorted(hit.id for hit in results.hits)


@pytest.mark.parametrize(("since", "until", "expected"), [
    ("2005", None, ["b", "c"]),
    ("2005-01-01", None, ["b", "c"]),
    ("May 2005", "2005", ["b"]),
    (None, "2005-05-05", ["a"]),
    (dt.date(2005, 5, 6), dt.datetime(2010, 3, 2, 12), ["b", "c"]),
])
def test_search_takes_since_and_until_as_dates_or_as_the_command_line_writes_them(
    index, since, until, expected
):
    assert ids(index.search("Labour", since=since, until=until)) == expected
    assert ids(index.list_documents(since=since, until=until)) == expected
    # the same as the filters say it
    assert ids(index.search("Labour", filters={"since": since, "until": until})) == expected


def test_count_trends_and_the_other_methods_take_them_too(index):
    by_keyword = index.count("Labour", since="2005", until="2010")
    by_filters = index.count("Labour", filters=SearchFilters(since="2005", until="2010"))
    assert by_keyword.rows == by_filters.rows and by_keyword.rows[0].value == "2005"
    trends = index.trends(["Labour", "budget"], since="2004")
    assert trends.rows == index.trends(["Labour", "budget"], filters={"since": "2004"}).rows
    assert [line.id for line in index.concordance("Labour", since="2010").lines] == ["c"]
    out = io.StringIO()
    assert index.export("Labour", out, format="jsonl", until="2003").documents == 1
    report, pieces = index.export_text("Labour", format="jsonl", since="2010")
    assert '"id": "c"' in "".join(pieces) and report.documents == 1  # (counted as written)
    assert index.key_terms("Labour", since="2005", min_documents=1).matching == 2
    # with the other filters, and include_undated
    assert ids(index.search("Labour", filters={"include_undated": True}, since="2010")) == [
        "c", "d"]


def test_a_date_that_cannot_be_read_is_one_line_naming_the_argument_or_the_option(index):
    forms = "write it like 2005-03-21, 21/03/2005, 21 March 2005, March 2005 or 2005."
    for bad, line, option_line in [
        ("yesterday", f"Cannot read since='yesterday' as a date; {forms}",
         f"Cannot read --since 'yesterday' as a date; {forms}"),
        ("2005-13-01", "since='2005-13-01' is no date: there is no month 13.",
         "--since '2005-13-01' is no date: there is no month 13."),
    ]:
        with pytest.raises(QueryError) as caught:
            index.search("Labour", since=bad)
        assert str(caught.value) == line
        with pytest.raises(QueryError, match="^" + line.replace("(", r"\(")[:30]):
            index.count("Labour", since=bad)
        shown = CliRunner().invoke(cli, ["search", "Labour", "--since", bad,
                                         "--index", str(index.path)])
        assert shown.exit_code == 2 and shown.output == f"error: {option_line}\n"


def test_include_undated_is_a_keyword_beside_since_and_until_of_every_method(index):
    """A date range given as keywords keeps the undated documents with a keyword too, as
    ``--include-undated`` does, without building filters for it (it was a TypeError)."""
    assert ids(index.search("Labour", since="2010", include_undated=True)) == ["c", "d"]
    assert ids(index.list_documents(since="2010", include_undated=True)) == ["c", "d"]
    assert index.search("Labour", since="2010", include_undated=True).undated_left_out is None
    assert index.search("Labour", since="2010").undated_left_out == 1
    counts = index.count("Labour", since="2010", include_undated=True)
    assert (counts.total, counts.without) == (2, 1)
    assert index.trends(["Labour"], since="2010", include_undated=True).counts[0].total == 2
    assert {line.id for line in index.concordance("Labour", until="2003",
                                                  include_undated=True)} == {"a", "d"}
    assert index.key_terms("Labour", since="2005", include_undated=True,
                           min_documents=1).matching == 3
    out = io.StringIO()
    assert index.export("Labour", out, format="jsonl", since="2010",
                        include_undated=True).documents == 2
    report, pieces = index.export_text("Labour", format="jsonl", since="2010",
                                       include_undated=True)
    assert "".join(pieces).count("\n") == report.documents == 2
    # the same as the filters say it; False is the filters' own default
    assert ids(index.search("Labour", filters={"since": "2010"}, include_undated=True)) == [
        "c", "d"]
    assert ids(index.search("Labour", since="2010", include_undated=False)) == ["c"]


def test_include_undated_given_both_ways_differently_is_an_error(index):
    with pytest.raises(QueryError, match=r"^include_undated is given twice"):
        index.search("Labour", filters={"since": "2010", "include_undated": True},
                     include_undated=False)
    with pytest.raises(QueryError, match=r"^include_undated must be True or False"):
        index.search("Labour", since="2010", include_undated="yes")
    both = index.search("Labour", filters=SearchFilters(since="2010", include_undated=True),
                        include_undated=True)
    assert ids(both) == ["c", "d"]


def test_a_bound_given_both_ways_is_an_error_not_a_silent_choice(index):
    with pytest.raises(QueryError, match=r"^since is given twice, as since= and in filters"):
        index.search("Labour", filters={"since": "2003"}, since="2005")
    with pytest.raises(QueryError, match="after until"):
        index.search("Labour", since="2010", until="2005")


@settings(max_examples=80, deadline=None)
@given(text=st.one_of(st.text(max_size=20), st.from_regex(r"\d{1,4}(-\d{1,2}){0,2}",
                                                           fullmatch=True)))
def test_any_text_reads_as_the_filters_read_it_or_is_their_one_line_error(index, text):
    try:
        expected = ids(index.search("Labour", filters={"since": text}))
    except QueryError as exc:
        with pytest.raises(QueryError) as caught:
            index.search("Labour", since=text)
        assert str(caught.value) == str(exc) and "\n" not in str(exc)
    else:
        assert ids(index.search("Labour", since=text)) == expected


def test_a_date_field_value_that_is_no_date_points_to_the_filters_by_both_their_names(index):
    """The error is the library's, the command's and the web page's alike: it names the
    filters as each spells them (it said only --since and --until, to a Python caller)."""
    with pytest.raises(QueryError) as caught:
        index.search("date:yesterday")
    assert str(caught.value).endswith(
        "the since and until filters (--since, --until) read dates in more forms.")
