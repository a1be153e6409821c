"""Dates known only to the month or year: a document dated ``Feb 2005`` is never shown, cited
or exported as 1 February 2005, the day it is held as, and a date range or a count places it
in its month (docs/user-guide.md, Dates known only to the month or year)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.errors import DocumentIndexError, IndexVersionError, QueryError
from corpus_search.ingest.date_forms import parse_date_span
from corpus_search.ingest.dates import DateOptions
from corpus_search.ingest.shown_dates import date_at_precision, iso_at_precision
from corpus_search.search.hits import Hit
from corpus_search.store.files import META_FILENAME
from corpus_search.store.schema import period_start

#: a CSV file of records whose dates are a month, a year, a day and a month written as ISO
SPEECHES = (
    "id,title,body,date,source\n"
    "s1,Budget speech,The Chancellor spoke about the NHS budget.,Feb 2005,Hansard\n"
    "s2,Election pledge,Labour pledged more money for the NHS.,2005,Hansard\n"
    "s3,Health debate,The NHS debate saw Labour and the Conservatives clash.,"
    "14 February 2005,Hansard\n"
    "s4,Spring statement,The NHS waiting lists were raised.,2005-03,Hansard\n"
)


@pytest.fixture
def speeches(tmp_path: Path) -> CorpusIndex:
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "speeches.csv").write_text(SPEECHES, encoding="utf-8")
    ix = CorpusIndex(tmp_path / "ix")
    ix.index_directory(folder)
    return ix


def _ids(results) -> set[str]:
    return {hit.id for hit in results}


def test_a_document_dated_feb_2005_is_cited_as_february_2005_not_1_february(speeches):
    with speeches as ix:
        assert ix.cite("s1").reference.startswith('"Budget speech", Hansard, February 2005 [')
        assert "1 February" not in ix.cite("s1").reference
        assert ix.cite("s2").reference.startswith('"Election pledge", Hansard, 2005 [')
        assert ix.cite("s3").reference.startswith('"Health debate", Hansard, 14 February 2005 [')


def test_json_keeps_the_iso_day_and_says_the_precision_beside_it(speeches):
    """The results' schema stays v1: ``date`` is read as before, ``date_precision`` is added."""
    with speeches as ix:
        hits = {hit["id"]: hit for hit in ix.search("NHS").to_dict()["hits"]}
        record = ix.describe("s4")
    assert (hits["s1"]["date"], hits["s1"]["date_precision"]) == ("2005-02-01", "month")
    assert (hits["s2"]["date"], hits["s2"]["date_precision"]) == ("2005-01-01", "year")
    assert (hits["s3"]["date"], hits["s3"]["date_precision"]) == ("2005-02-14", "day")
    assert (record["date"], record["date_precision"]) == ("2005-03-01", "month")


def test_a_document_and_its_hit_name_a_day_s_precision_alike_and_an_undated_one_none(speeches):
    """One vocabulary: ``Document.date_precision`` had been ``None`` for the day its hit and
    the JSON called ``"day"``."""
    with speeches as ix:
        hits = {hit.id: hit for hit in ix.search("NHS")}
        for doc_id in ("s1", "s2", "s3"):
            document = ix.get(doc_id)
            assert document.date_precision == hits[doc_id].date_precision
            assert document.to_dict()["date_precision"] == document.date_precision
    assert hits["s3"].date_precision == "day"
    assert Document("d", "t", "b", date=dt.date(2005, 2, 14)).date_precision == "day"
    assert Document("u", "t", "b").date_precision is None


def test_a_hit_and_a_listing_show_the_date_no_more_precisely_than_it_is_known(speeches):
    with speeches as ix:
        hits = list(ix.search("NHS"))
    shown = {hit.id: iso_at_precision(hit.date, hit.date_precision) for hit in hits}
    assert shown == {"s1": "2005-02", "s2": "2005", "s3": "2005-02-14", "s4": "2005-03"}
    assert {hit.id: hit.shown_date for hit in hits} == shown  # (README's example prints it)
    assert Hit("u", "undated", None, 1).shown_date is None
    runner = CliRunner()
    listing = runner.invoke(cli, ["list", "--index", str(speeches.path)]).output
    assert "s1  2005-02     Budget speech" in listing
    assert "2005-02-01" not in listing and "2005-01-01" not in listing
    show = runner.invoke(cli, ["show", "s1", "--index", str(speeches.path)]).output
    assert "date: 2005-02 (as the file states it)" in show
    cited = runner.invoke(cli, ["show", "s2", "--cite", "--index", str(speeches.path)]).output
    assert cited.startswith('"Election pledge", Hansard, 2005 [id s2;')


#: each speech's date as a person is shown it
SHOWN = {"s1": "2005-02", "s2": "2005", "s3": "2005-02-14", "s4": "2005-03"}


def test_every_object_and_record_of_a_document_shows_its_date_at_the_one_precision(
    speeches, tmp_path: Path
):
    """Document, Hit, ConcordanceLine and every record (search, show, concordance --json and
    --csv, export CSV and JSON Lines) give one ``shown_date`` for a document."""
    with speeches as ix:
        hits = list(ix.search("NHS"))
        lines = ix.concordance("NHS").lines
        ix.export("NHS", tmp_path / "out.jsonl")
        ix.export("NHS", tmp_path / "out.csv")
        seen = {
            "Document": {i: ix.get(i).shown_date for i in SHOWN},
            "Document.to_dict": {i: ix.get(i).to_dict()["shown_date"] for i in SHOWN},
            "describe": {i: ix.describe(i)["shown_date"] for i in SHOWN},
            "Hit": {hit.id: hit.shown_date for hit in hits},
            "Hit.to_dict": {hit.id: hit.to_dict()["shown_date"] for hit in hits},
            "ConcordanceLine": {line.id: line.shown_date for line in lines},
            "ConcordanceLine.to_dict": {line.id: line.to_dict()["shown_date"] for line in lines},
        }
    runner = CliRunner()
    at = ["--index", str(speeches.path)]
    searched = json.loads(runner.invoke(cli, ["search", "NHS", "--json", *at]).output)
    seen["search --json"] = {hit["id"]: hit["shown_date"] for hit in searched["hits"]}
    seen["show --json"] = {i: json.loads(runner.invoke(cli, ["show", i, "--json", *at]).output)[
        "shown_date"] for i in SHOWN}
    lined = json.loads(runner.invoke(cli, ["concordance", "NHS", "--json", *at]).output)
    seen["concordance --json"] = {line["id"]: line["shown_date"] for line in lined["lines"]}
    rows = csv.DictReader(io.StringIO(runner.invoke(cli, ["concordance", "NHS", "--csv", *at])
                                      .stdout))
    seen["concordance --csv"] = {row["id"]: row["shown_date"] for row in rows}
    exported = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    seen["export jsonl"] = {record["id"]: record["shown_date"] for record in exported}
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as file:
        seen["export csv"] = {row["id"]: row["shown_date"] for row in csv.DictReader(file)}
    assert {name: SHOWN for name in seen} == seen
    assert Document("u", "undated", "b").shown_date is None
    assert Document("u", "undated", "b").to_dict()["shown_date"] is None


def test_a_csv_export_writes_the_month_and_indexing_it_reads_the_month_back(
    speeches, tmp_path: Path
):
    with speeches as ix:
        out = io.StringIO()
        ix.export("NHS", out, format="csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["s1"]["date"], rows["s1"]["date_precision"]) == ("2005-02", "month")
    assert (rows["s2"]["date"], rows["s2"]["date_precision"]) == ("2005", "year")
    assert (rows["s3"]["date"], rows["s3"]["date_precision"]) == ("2005-02-14", "day")
    again = tmp_path / "again"
    again.mkdir()
    (again / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    with CorpusIndex(tmp_path / "ix2") as ix2:
        ix2.index_directory(again)
        assert ix2.cite("s1").reference.startswith('"Budget speech", Hansard, February 2005')


def test_a_text_files_export_writes_the_month_in_front_matter_and_reads_it_back(
    speeches, tmp_path: Path
):
    with speeches as ix:
        ix.export("NHS", tmp_path / "texts", format="txt")
    assert "date: 2005-02\n" in (tmp_path / "texts" / "s1.txt").read_text(encoding="utf-8")
    with CorpusIndex(tmp_path / "ix3") as ix3:
        ix3.index_directory(tmp_path / "texts")
        assert ix3.describe("s1")["date_precision"] == "month"


@pytest.mark.parametrize(("since", "until", "kept"), [
    ("2005-02-15", None, {"s1", "s2", "s4"}),  # February 2005 may be of the 20th
    ("2005-03-02", None, {"s2", "s4"}),        # March is kept on its 2nd; February is past
    (None, "2005-02-10", {"s1", "s2"}),        # February may be of the 5th; 14 Feb is after
    ("2005-02-15", "2005-02-20", {"s1", "s2"}),
    ("2006-01-01", None, set()),               # a year is not kept past its end
])
def test_a_date_range_keeps_a_month_or_year_that_holds_any_day_of_it(
    speeches, since, until, kept
):
    """A day-level bound keeps a document dated only to the month when any day of its month
    is in the range: never leaves out a document that may be in it (and its date is shown
    as the month, so the reader sees how sure that is)."""
    with speeches as ix:
        assert _ids(ix.search("", filters={"since": since, "until": until}, limit=10)) == kept


@pytest.mark.parametrize(("typed", "since", "until", "kept"), [
    ("date:2005-02-15", "2005-02-15", "2005-02-15", {"s1", "s2"}),  # not the 14th
    ("date:[2005-02-10 TO 2005-02-20]", "2005-02-10", "2005-02-20", {"s1", "s2", "s3"}),
    ("date:>2005-02-15", "2005-02-16", None, {"s1", "s2", "s4"}),
    ("date:<2005-02-10", None, "2005-02-09", {"s1", "s2"}),
    ("date:2005-02", "2005-02", "2005-02", {"s1", "s2", "s3"}),   # 2005 holds February
    ("date:{2005-02-14 TO 2005-03}", "2005-02-15", "2005-02-28", {"s1", "s2"}),
    ("date:[2005-03-02 TO]", "2005-03-02", None, {"s2", "s4"}),   # February is past
    ("year:2005", "2005", "2005", {"s1", "s2", "s3", "s4"}),
])
def test_the_date_field_keeps_a_month_holding_any_day_of_it_as_since_and_until_do(
    speeches, typed, since, until, kept
):
    """``date:2005-02-15`` finds the document dated Feb 2005, as ``--since 2005-02-15
    --until 2005-02-15`` does: one rule for a date typed in the query and in the filters."""
    with speeches as ix:
        assert _ids(ix.search(typed, limit=10)) == kept
        assert _ids(ix.search("", filters={"since": since, "until": until}, limit=10)) == kept


@pytest.fixture(scope="module")
def speeches_once(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    folder = tmp_path_factory.mktemp("speeches")
    (folder / "speeches.csv").write_text(SPEECHES, encoding="utf-8")
    ix = CorpusIndex(tmp_path_factory.mktemp("ix"))
    ix.index_directory(folder)
    return ix


@settings(deadline=None)  # (the first search opens the index)
@given(st.dates(dt.date(2004, 12, 1), dt.date(2005, 4, 30)),
       st.dates(dt.date(2004, 12, 1), dt.date(2005, 4, 30)))
def test_any_range_of_days_typed_as_date_keeps_what_since_and_until_keep(
    speeches_once, first, last
):
    first, last = min(first, last), max(first, last)
    with speeches_once as ix:
        typed = _ids(ix.search(f"date:[{first} TO {last}]", limit=10))
        assert typed == _ids(ix.search("", filters={"since": first, "until": last}, limit=10))


def test_a_date_typed_in_a_query_is_understood_as_its_days_and_scores_as_a_range(speeches):
    """The clauses that keep a month or year score as the one range of days did: the
    document of 2005 adds as much to ``NHS date:2005-02-15`` (its year holds the day) as to
    ``NHS date:2005-01-01``, a range of the day it is held as."""
    with speeches as ix:
        results = ix.search("date:2005-02-15", limit=10)
        held_day = {hit.id: hit.score for hit in ix.search("NHS date:2005-01-01", limit=10)}
        a_day_of = {hit.id: hit.score for hit in ix.search("NHS date:2005-02-15", limit=10)}
    assert results.parsed_query == "date:[2005-02-15 TO 2005-02-15]"
    assert {hit.id: hit.score for hit in results} == {"s1": 1.0, "s2": 1.0}
    assert a_day_of["s2"] == pytest.approx(held_day["s2"])


def test_newest_first_puts_a_month_after_its_days_and_a_year_after_its_months(tmp_path: Path):
    """A date without a day sorts as day 0 of its month, as Zotero and CSL processors sort it:
    newest first, February 2005 follows 1 February 2005 (the day it is held as), and 2005
    follows 1 January and January 2005, whatever their scores or the order of indexing."""
    text = "NHS hospital waiting lists and the health budget were debated by ministers. "
    dated = [("2005", "year", (2005, 1, 1), 1), ("Feb", "month", (2005, 2, 1), 1),
             ("Jan", "month", (2005, 1, 1), 1), ("1 Feb", None, (2005, 2, 1), 3),
             ("1 Jan", None, (2005, 1, 1), 1), ("31 Dec", None, (2004, 12, 31), 2)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(doc, doc, text * times, date=dt.date(*day),
                                   date_precision=precision)
                          for doc, precision, day, times in dated]
                         + [Document("undated", "undated", text * 4)]
                         + [Document(f"other {n}", "Other", f"Football scores {n} and rain.")
                            for n in range(10)])  # (the NHS's words are in few: telling)
        newest_first = ["1 Feb", "Feb", "1 Jan", "Jan", "2005", "31 Dec", "undated"]
        assert [hit.id for hit in ix.search("NHS", sort="date")] == newest_first
        assert [hit.id for hit in ix.search("", filters={"since": "2004"})] == newest_first[:-1]
        assert [hit.id for hit in ix.similar("31 Dec", sort="date")] == [
            doc for doc in newest_first if doc != "31 Dec"]
        # oldest first: the same rule read the other way, a year before its months, a month
        # before its days (day 0 of it), and the undated last still
        oldest_first = ["31 Dec", "2005", "Jan", "1 Jan", "Feb", "1 Feb", "undated"]
        assert [hit.id for hit in ix.search("NHS", sort="oldest")] == oldest_first
        assert [hit.id for hit in ix.search("", filters={"since": "2004"}, sort="oldest")] == \
            oldest_first[:-1]
        assert [hit.id for hit in ix.similar("31 Dec", sort="oldest")] == oldest_first[1:]


def test_the_command_offers_every_order_the_library_sorts_by():
    from corpus_search.cli import cli as command
    from corpus_search.search.date_order import SORTS
    from corpus_search.search.paging import check_sort

    for name in ("search", "concordance", "export", "similar"):
        sort = next(p for p in command.commands[name].params if p.name == "sort")
        assert tuple(sort.type.choices) == SORTS, name
    with pytest.raises(QueryError, match=r"'oldest' \(oldest first\)"):
        check_sort("newest")


def test_a_concordance_for_a_spreadsheet_writes_the_month_as_an_export_does(speeches):
    """(``concordance --csv`` wrote ``2005-02-01``: a spreadsheet reads the 1st of the month)"""
    result = CliRunner().invoke(cli, ["concordance", "NHS", "--csv", "--index",
                                      str(speeches.path)])
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.output))}
    assert {doc: (row["date"], row["date_precision"]) for doc, row in rows.items()} == {
        "s1": ("2005-02", "month"), "s2": ("2005", "year"), "s3": ("2005-02-14", "day"),
        "s4": ("2005-03", "month")}


def test_a_count_by_month_puts_a_year_only_date_in_no_month_and_says_so(speeches):
    with speeches as ix:
        by_month = ix.count("NHS", by="month")
        by_year = ix.count("NHS", by="year")
    assert {row.value: row.matching for row in by_month.rows} == {"2005-02": 2, "2005-03": 1}
    assert by_month.without == 1  # the document of 2005, which January would have claimed
    assert "1 without a month" in repr(by_month)
    assert {row.value: row.matching for row in by_year.rows} == {"2005": 4}
    assert by_year.without == 0
    # (with --csv the line on standard error said the year-only document "has no date")
    result = CliRunner().invoke(cli, ["count", "NHS", "--by", "month", "--csv", "--index",
                                      str(speeches.path)])
    assert result.stderr == ("1 matching document without a month is not in the table (--by "
                             "year or --by source or --by party counts it otherwise).\n")


def test_a_dates_file_a_path_pattern_and_month_folders_date_the_month(tmp_path: Path):
    folder = tmp_path / "articles"
    (folder / "2005" / "03").mkdir(parents=True)
    (folder / "2005" / "03" / "a.txt").write_text("Budget\n\nThe Budget was read.\n")
    (folder / "b.txt").write_text("Pledge\n\nLabour pledged more.\n")
    (folder / "c.txt").write_text("Debate\n\nLONDON, 14 March 2005\n\nThe debate was long.\n")
    dates = tmp_path / "dates.csv"
    dates.write_text("id,date\nb,2004\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder, dates=str(dates))
        precisions = {doc: ix.describe(doc)["date_precision"] for doc in ("2005/03/a", "b", "c")}
    assert precisions == {"2005/03/a": "month", "b": "year", "c": "day"}
    rules = DateOptions(path_pattern="%Y-%m").rules()
    dated = rules.date(Document("x", "T", "body"), "2005-03/x.txt")
    assert (dated.date, dated.date_precision) == (dt.date(2005, 3, 1), "month")


def test_front_matter_dated_to_the_year_is_dated_to_the_year(tmp_path: Path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "n.md").write_text("---\ntitle: A note\ndate: 2005\n---\nLabour won.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert ix.cite("n").reference.startswith('"A note", source not known, 2005 [')


def test_a_program_s_document_dated_to_the_month_is_held_as_its_first_day(tmp_path: Path):
    """A ``date(2005, 2, 14)`` said to be known only to the month is February 2005: held as
    its first day, so a range or a count places it in its month."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("p", "Pledge", "Labour pledged.", date=dt.date(2005, 2, 14),
                                   date_precision="month")])
        record = ix.describe("p")
        assert (record["date"], record["date_precision"]) == ("2005-02-01", "month")
        with pytest.raises(DocumentIndexError, match=r"date_precision is a str \('week'\)"):
            ix.add_documents([Document("q", "Q", "Text.", date=dt.date(2005, 1, 1),
                                       date_precision="week")])


def test_an_index_built_before_dates_kept_their_precision_is_refused_with_the_rebuild(
    speeches, tmp_path: Path
):
    """An index of format 4 held ``Feb 2005`` as 1 February 2005 and cannot tell it from that
    day: searching it would cite the wrong date, so it is refused with the line that rebuilds
    it, as every index of an older format is."""
    speeches.close()
    meta_path = tmp_path / "ix" / META_FILENAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["format"] = 4
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix")
    assert "index format 4 (this version uses 5)" in str(info.value)
    assert "--rebuild" in str(info.value.rebuild_command)


@given(st.dates(dt.date(1000, 1, 1), dt.date(2999, 12, 31)),
       st.sampled_from(["day", "month", "year"]))
def test_a_date_written_at_its_precision_reads_back_as_that_day_month_or_year(day, precision):
    """What a citation or an export writes is read back (by indexing an export, by a filter)
    as the same span of days, and a month or year is never written with a day."""
    span = parse_date_span(iso_at_precision(day, precision))
    assert span is not None and span.precision == precision
    assert span.first == period_start(day, precision)
    assert parse_date_span(date_at_precision(day, precision)) == span


def test_the_web_page_shows_and_quotes_a_month_as_the_month(speeches):
    from corpus_search.web.app import create_app

    with speeches as ix:
        client = create_app(ix).test_client()
        page = client.get("/doc/s1").get_data(as_text=True)
        hits = client.get("/?q=NHS").get_data(as_text=True)
        quoted = client.get("/doc/s1?quote=0").get_data(as_text=True)
    assert "<dt>Date</dt><dd>2005-02 " in page and "2005-02-01" not in page
    assert "s2 · 2005 · Hansard" in hits and "2005-01-01" not in hits
    assert "Hansard, February 2005 [id s1" in quoted


def test_a_range_past_every_date_names_the_nearest_as_the_month_it_is(speeches):
    with speeches as ix:
        results = ix.search("NHS", filters={"since": "2006-06"})
        assert results.total == 0
        said = results.why_empty
    assert any("the newest dated document is from 2005-03 " in note and "2005-03-01" not in note
               for note in said), said


@pytest.mark.parametrize("typed", ["(date:2005-02-15 OR Conservatives)^3",
                                   "(date:2005-02 OR Conservatives)^3"])
def test_a_boosted_group_holding_a_date_keeps_the_date_a_date(speeches, typed: str):
    """A group's boost is pushed down onto its clauses, and a date's clause (its days, and
    the month and year holding them, scored as one) had none to take: the whole query was
    read as words, "date" and "2005" among them, and found nothing dated February 2005."""
    with speeches as ix:
        results = ix.search(typed, limit=10)
    assert _ids(results) == {"s1", "s2", "s3"}
    assert "date:[" in results.parsed_query


def test_a_listing_runs_newest_first_or_oldest_first_a_year_before_its_months(speeches):
    with speeches as ix:
        newest = [hit.id for hit in ix.list_documents()]
        oldest = [hit.id for hit in ix.list_documents(sort="oldest")]
        with pytest.raises(QueryError, match="A list's sort is one of 'date', 'oldest'"):
            ix.list_documents(sort="relevance")
    assert newest == ["s4", "s3", "s1", "s2"]
    assert oldest == ["s2", "s1", "s3", "s4"]
    listed = CliRunner().invoke(cli, ["list", "--sort", "oldest", "--index", str(ix.path)])
    assert listed.exit_code == 0, listed.output
    assert [line.split()[0] for line in listed.output.splitlines()
            if line.split() and line.split()[0] in oldest] == oldest
