"""Counts of the documents a query matches per year, month, source or party, beside all the
documents of each: in the library (``CorpusIndex.count``) and from the CLI
(``corpus-search count``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import corpus_search_command, drawn_in_a_process, index_of, plp_stories
from corpus_search import CorpusIndex, Document, PlotError, QueryError
from corpus_search.cli import cli
from corpus_search.cli.counting import COUNT_BAR, COUNT_CHOICES
from corpus_search.search.count_by import countable_by, no_dates_line
from corpus_search.search.counting import (
    COUNT_BY,
    UNDATED_INDEX,
    UNDATED_INDEX_COMMAND,
    CountRow,
    Counts,
    command_note,
    lacked_by_all,
)

DOCUMENTS = [
    Document(id="a", title="Budget row", date=dt.date(2003, 9, 19), source="BBC News",
             body="Labour and the Conservatives clashed over the budget."),
    Document(id="b", title="Budget day", date=dt.date(2003, 11, 2), source="BBC News",
             body="The Chancellor's budget was welcomed by Labour MPs."),
    Document(id="c", title="Hospital waits", date=dt.date(2003, 11, 20), source="The Guardian",
             body="NHS waiting times fell, the Liberal Democrats said."),
    Document(id="d", title="Budget again", date=dt.date(2005, 3, 16), source="The Guardian",
             body="A pre-election budget from Gordon Brown."),
    Document(id="e", title="Undated budget note", body="Notes on the budget, no date given."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "counting-ix", DOCUMENTS)


def rows(counts) -> list[tuple[str, int, int]]:
    return [(row.value, row.matching, row.documents) for row in counts.rows]


def test_counts_by_year_give_each_year_from_the_first_to_the_last_beside_all_its_documents(
        index):
    counts = index.count("budget")
    assert rows(counts) == [("2003", 2, 3), ("2004", 0, 0), ("2005", 1, 1)]
    assert counts.total == 4 and counts.without == 1  # the undated note
    assert counts.rows[0].share == pytest.approx(2 / 3)


def test_counts_by_month_fill_the_months_between(index):
    counts = index.count("budget", by="month")
    assert [r.value for r in counts.rows][:4] == ["2003-09", "2003-10", "2003-11", "2003-12"]
    assert len(counts.rows) == 19  # 2003-09 .. 2005-03
    assert rows(counts)[2] == ("2003-11", 1, 2)
    # a month with no document at all has no share (a share of nothing is no 0%), one whose
    # documents the query does not match has 0
    assert counts.rows[1].share is None
    assert index.count("NHS", by="month").rows[0].share == 0.0  # (2003-09: a, no NHS)


def test_a_reader_is_shown_each_run_of_periods_without_documents_as_one_line(index):
    joined = [(label, row and row.matching) for label, row in
              index.count("budget", by="month").joined()]
    assert joined == [("2003-09", 1), ("2003-10", None), ("2003-11", 1),
                      ("2003-12 - 2005-02", None), ("2005-03", 1)]


def test_counts_by_party_count_a_document_under_each_party_it_names(index):
    counts = index.count("budget", by="party")
    assert rows(counts) == [("Labour", 2, 2), ("Conservative", 1, 1), ("Liberal Democrat", 0, 1)]
    assert counts.without == 2  # d and e name no party


def test_a_count_by_party_says_its_rows_add_up_to_more_than_the_matching_documents(index):
    # (Labour 2 and Conservative 1 of budget's 2 documents naming a party: read as a
    # breakdown, the rows' 3 was more documents than matched)
    counts = index.count("budget", by="party")
    # (d and e name no party, so the rows are compared with the 2 that name one, and the
    # sentence names those 2, not all 4 matches)
    said = ("The rows add up to 3, more than the 2 matching documents that name a party: a "
            "document naming several parties counts under each.")
    assert counts.overlap() == said
    assert said in " ".join(run(index, "budget", "--by", "party").output.split())
    assert index.count("budget", by="source").overlap() is None  # (one source a document)


def test_counts_by_source_and_the_documents_without_one(index):
    counts = index.count("budget", by="source")
    assert rows(counts) == [("BBC News", 2, 2), ("The Guardian", 1, 2)]
    assert counts.without == 1


def test_a_star_counts_every_document_the_filters_keep(index):
    counts = index.count("*", by="year", filters={"source": "The Guardian"})
    assert rows(counts) == [("2003", 1, 1), ("2004", 0, 0), ("2005", 1, 1)]
    assert counts.total == 2


def test_filters_narrow_the_matches_and_the_documents_they_are_counted_against(index):
    counts = index.count("budget", filters={"since": "2003-11-01"})
    assert rows(counts) == [("2003", 1, 2), ("2004", 0, 0), ("2005", 1, 1)]


@pytest.mark.parametrize("filters", [{"since": "2003-11-01"}, {"until": "2003"},
                                     {"since": "2004", "source": "The Guardian"},
                                     {"since": "2003", "include_undated": True}, {}])
@pytest.mark.parametrize("query", ["budget", "*", "budg*"])
def test_the_undated_matches_a_date_range_left_out_are_those_search_reports(
        index, query, filters):
    counts = index.count(query, filters=filters)
    assert counts.undated_left_out == index.search(query, filters=filters).undated_left_out
    assert counts.to_dict()["undated_left_out"] == counts.undated_left_out


def test_the_command_says_how_many_undated_matches_a_date_range_left_out(index):
    result = run(index, "budget", "--since", "2003-11-01")
    assert result.output.splitlines()[0] == (
        "1 matching document has no date and was left out; --include-undated keeps it.")


@pytest.mark.parametrize("query", ["budget", "Lib Dems", "Labour OR NHS", "budget AND NOT Labour",
                                   "budg*", '"pre-election budget"', "title:budget"])
def test_the_total_is_what_a_search_for_the_same_query_counts(index, query):
    assert index.count(query).total == index.search(query).total


def test_a_misspelt_word_is_counted_as_its_correction_and_says_so(index):
    counts = index.count("budgte")
    assert counts.suggestion == "budget" and counts.suggestion_applied
    assert counts.total == 4
    assert index.count("budgte", correct=False).total == 0


@pytest.mark.parametrize("query, filters", [
    ("budget", {"party": "Whig"}),  # a filter that keeps no document
    ("NHS", {"source": "BBC News"}),  # filters that keep none of the query's matches
    ("*", {"source": "BBC News", "party": "Liberal Democrats"}),
])
def test_a_count_of_nothing_says_why_as_search_does(index, query, filters):
    counts = index.count(query, filters=filters)
    assert counts.total == 0
    assert counts.why_empty == index.search(query, filters=filters).why_empty != []
    assert counts.to_dict()["notes"] == counts.why_empty


def test_the_notes_on_how_the_query_was_read_are_search_s(index):
    counts = index.count('"budget')  # (an unpaired quote, left out)
    assert counts.notes == index.search('"budget').notes != []
    assert counts.to_dict()["notes"] == counts.notes and counts.total == 4


def test_the_command_prints_why_nothing_matched_and_how_the_query_was_read(index):
    result = run(index, "budget", "--party", "Whig")
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == index.search(
        "budget", filters={"party": "Whig"}).why_empty
    note = index.search('"budget').notes[0]
    assert run(index, '"budget').output.splitlines()[0] == f"note {note}"


@pytest.mark.parametrize("args, message", [
    (("budget",), "by must be one of year, month, source, party"),
    (("",), "needs a query"),
])
def test_a_bad_by_or_no_query_is_a_query_error(index, args, message):
    with pytest.raises(QueryError, match=message):
        index.count(*args, by="week" if "by" in message else "year")


def test_filters_and_no_query_count_every_document_they_keep_as_a_search_lists_them(index):
    # (count --source "BBC News" was an error, "Counting needs a query", where search
    # --source "BBC News" and the web's /count?source=BBC+News take every document kept)
    kept = {"source": "BBC News"}
    assert index.count("", filters=kept).to_dict() == index.count("*", filters=kept).to_dict()
    assert index.count("", filters=kept).total == index.search("", filters=kept).total == 2
    result = run(index, "--source", "BBC News", "--by", "source", "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["BBC News,2,2,1.0"]


def test_the_commands_choices_are_the_librarys():
    assert tuple(COUNT_CHOICES) == COUNT_BY


# -- the command --------------------------------------------------------------------------------


def run(index: CorpusIndex, *args: str):
    return CliRunner().invoke(cli, ["count", *args, "--index", str(index.path)])


def test_the_command_prints_a_row_a_year_and_joins_years_without_documents(index):
    result = run(index, "budget", "--since", "2003-01-01", "--include-undated")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[0] == ("4 documents match budget; by year; a full bar is 100% of a year's "
                        "documents")
    assert lines[2].split()[:4] == ["2003", "2", "3", "66.7%"]
    assert lines[3].split() == ["2004", "-", "0", "(no", "documents)"]
    assert lines[-1] == "1 matching document without a date is not in the table."


def test_an_index_without_dates_says_so_rather_than_print_an_empty_table(index):
    one = run(index, "Notes")
    assert one.exit_code == 0
    assert one.output.splitlines() == [
        "1 document matches Notes; by year",
        "It has no date."]  # (nor a source or party: no count would place it)
    several = run(index, "budget", "--by", "source", "--until", "2002")
    assert several.exit_code == 1  # (the date filter leaves the undated out)


def test_a_count_by_date_of_an_index_with_no_date_at_all_says_where_dates_come_from(
    index, tmp_path_factory: pytest.TempPathFactory
):
    # (the BBC corpus: "how did coverage change over 2005?" was answered "None of them has a
    # date", with no word that dates can be given)
    undated = [Document(id=d.id, title=d.title, body=d.body, source=d.source)
               for d in DOCUMENTS]
    for bare in index_of(tmp_path_factory, "undated-ix", undated):
        for by in ("year", "month"):
            assert UNDATED_INDEX in bare.count("budget", by=by).notes
            assert UNDATED_INDEX in bare.trends(["budget", "Labour"], by=by).notes
        assert UNDATED_INDEX not in bare.count("budget", by="party").notes
        assert UNDATED_INDEX not in bare.trends(["budget"], by="source").notes
        assert UNDATED_INDEX not in bare.count("nothingatall", by="year").notes
        shown = CliRunner().invoke(cli, ["count", "budget", "--index", str(bare.path)])
        # the command says it in one line, naming the counts this index can give; the note
        # at length is the library's and --json's (test_the_first_count_of_an_undated_...)
        assert shown.output.splitlines()[-1] == (
            "No document in this index has a date, so there is no table by year (dates: "
            "ingest.md, Dates); --by source or --by party counts them otherwise.")
        # (the library's note names the arguments that date a folder, the command's its
        # options: a library user was told to run a command)
        assert "index_directory(FOLDER, dates='dates.csv')" in UNDATED_INDEX
        assert "corpus-search" not in UNDATED_INDEX
        assert "corpus-search index FOLDER --dates dates.csv" in UNDATED_INDEX_COMMAND
        assert command_note(f"budget: {UNDATED_INDEX}") == f"budget: {UNDATED_INDEX_COMMAND}"
        # trends by year, as count by year: the documents matched (exit 0), how many, the
        # note saying where dates come from; no table ("None of the matching documents has a
        # date" gave no figure, where count gives one)
        compared = CliRunner().invoke(cli, ["trends", "budget", "Labour", "--by", "year",
                                            "--index", str(bare.path)])
        assert compared.exit_code == shown.exit_code == 0
        budget, labour = (bare.count(query).total for query in ("budget", "Labour"))
        assert compared.output.splitlines()[-2:] == [
            f"Matching documents: budget {budget}, Labour {labour}.",
            "No document in this index has a date, so there is no table by year (dates: "
            "ingest.md, Dates); --by source or --by party counts them otherwise."]
    # an index with dated documents counts its undated matches apart, as before
    assert UNDATED_INDEX not in index.count("Notes", by="year").notes


def test_csv_keeps_standard_output_for_the_table_and_says_on_stderr_what_it_leaves_out(
    index,
):
    # (a collection without dates gave a header line and nothing else, exit 0, where the
    # text said "None of them has a date": a file of nothing, with no reason)
    result = run(index, "Notes", "--csv")
    assert {row["matching"] for row in csv.DictReader(io.StringIO(result.stdout))} == {"0"}
    assert result.stderr == "1 matching document without a date is not in the table.\n"
    dated_only = run(index, "budget", "--until", "2002", "--csv")
    assert "no date and was left out; --include-undated keeps it" in dated_only.stderr
    assert "No document is dated on or before 2002-12-31" in dated_only.stderr
    assert run(index, "budget", "--by", "party", "--csv").stderr == (
        "2 matching documents without a party are not in the table (--by year or --by source "
        "counts them otherwise).\n")  # (as the text says; they have a date and a source)


def test_csv_by_source_or_party_says_on_stderr_how_many_matches_no_row_counts(tmp_path):
    # (count --csv --by party wrote the table alone, where the text and trends --csv say how
    # many matches name no party: on BBC, 2 of the 17 of "tuition fees")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="l", title="Fees", body="Labour's tuition fees.", source="BBC News"),
            Document(id="n", title="Fees", body="Students and tuition fees."),
            Document(id="m", title="Fees", body="More tuition fees."),
        ])
        by_party, by_source = (run(ix, "tuition fees", "--by", by, "--csv") for by in
                               ("party", "source"))
    # (the line the text prints under its table)
    assert by_party.stderr == "2 matching documents without a party are not in the table.\n"
    assert by_source.stderr == "2 matching documents without a source are not in the table.\n"
    assert by_party.stdout.splitlines() == ["value,matching,documents,share", "Labour,1,1,1.0"]


def test_csv_and_json_keep_every_period(index):
    table = list(csv.DictReader(io.StringIO(run(index, "budget", "--csv").stdout)))
    assert [r["value"] for r in table] == ["2003", "2004", "2005"]
    # 2004 holds no document: its share is an empty cell, JSON's null, not 0
    assert table[1] == {"value": "2004", "matching": "0", "documents": "0", "share": ""}
    assert json.loads(run(index, "budget", "--json").output)["rows"][1] == {
        "value": "2004", "matching": 0, "documents": 0, "share": None}
    data = json.loads(run(index, "budget", "--by", "party", "--json").output)
    assert data["total"] == 4 and data["without"] == 2
    assert data["rows"][0] == {"value": "Labour", "matching": 2, "documents": 2, "share": 1.0}


def bars(output: str) -> dict[str, str]:
    """Each row of the table printed (its colours taken out) by its label: its bar."""
    lines = [re.sub("\x1b\\[[0-9;]*m", "", line) for line in output.splitlines()]
    return {line.split()[0]: line.split()[-1] for line in lines[2:] if line.split()}


def test_on_a_narrow_terminal_the_bars_fit_beside_the_figures_and_keep_their_proportions(
        index, cli_env: dict[str, str]):
    # (cut at the edge, the bars of 2 and 1 matches had looked alike)
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "50"}
    env.pop("NO_COLOR", None)
    done = subprocess.run([*corpus_search_command(), "count", "budget", "--index",
                           str(index.path)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert all(len(re.sub("\x1b\\[[0-9;]*m", "", line)) <= 50
               for line in done.stdout.splitlines())
    shown = bars(done.stdout)  # (2005: 1 of 1, 100%; 2003: 2 of 3, 66.7%)
    assert set(shown["2005"]) == {"\u2588"}
    assert len(shown["2003"]) == round(len(shown["2005"]) * 2 / 3)


def test_each_bar_draws_the_share_beside_it_not_the_count_of_matches(index):
    # (by matches, 2003's 2 of 3 had drawn twice as long as 2005's 1 of 1, beside 66.7% and
    # 100%)
    shown = bars(run(index, "budget").output)
    assert len(shown["2005"]) == COUNT_BAR  # 1 of 1: the largest share, the longest bar
    assert len(shown["2003"]) == COUNT_BAR * 2 // 3  # 2 of 3


@given(st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=12))
@example([(1, 200)])  # (a full bar under 1%: the test had read 0.5%'s first digit as 0)
def test_the_bars_are_in_proportion_to_the_shares_on_a_round_scale_the_table_states(
        pairs: list[tuple[int, int]]):
    rows = [CountRow(str(n), min(a, b), max(a, b)) for n, (a, b) in enumerate(pairs)]
    counts = Counts("q", "year", rows=rows)
    shares = [row.share or 0.0 for row in rows]
    drawn = [counts.bar(row) for row in rows]
    assert all(0.0 <= length <= 1.0 for length in drawn)
    if not any(shares):
        assert counts.scale == 0.0 and set(drawn) == {0.0} and counts.full_bar() is None
        return
    # (a full bar: 1, 2 or 5 times a power of ten, at or above the largest share, 100% at
    # most, and said in words)
    percent = round(100 * counts.scale, 10)
    assert f"{percent:.10f}".lstrip("0.")[0] in "125"  # (its first digit: 0.5% is 5)
    assert max(shares) <= counts.scale <= 1.0
    assert counts.full_bar() == (f"a full bar is {percent:g}% of a year's documents")
    for share, length in zip(shares, drawn, strict=True):
        assert length == pytest.approx(share / counts.scale)
    # (never so large a scale that the longest bar is too short to compare the others by)
    assert max(drawn) > 0.4


def test_a_rare_query_s_longest_bar_is_no_full_bar_reading_as_every_document():
    # (3 of 210 and 2 of 233: on the largest share's own scale the 1.4% was a full bar)
    counts = Counts("Respect", "party", rows=[CountRow("Labour", 3, 210),
                                              CountRow("Conservative", 2, 233)])
    assert counts.scale == 0.02
    assert counts.full_bar() == "a full bar is 2% of a party's documents"
    assert counts.bar(counts.rows[0]) == pytest.approx(0.714, abs=0.001)
    assert counts.bar(counts.rows[1]) == pytest.approx(0.429, abs=0.001)


def test_a_table_holding_a_share_over_half_is_drawn_on_the_whole_of_the_documents():
    counts = Counts("q", "month", rows=[CountRow("2005-01", 3, 5), CountRow("2005-02", 1, 4)])
    assert counts.scale == 1.0 and counts.bar(counts.rows[1]) == 0.25
    assert counts.full_bar() == "a full bar is 100% of a month's documents"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_that_cannot_write_a_block_draws_the_bars_in_hashes(
        index, cli_env: dict[str, str], encoding: str):
    # (each block escaped as \\u2588 took six characters: a bar of 30 was 180 wide)
    done = subprocess.run([*corpus_search_command(), "count", "budget", "--index",
                           str(index.path)],
                          env={**cli_env, "PYTHONIOENCODING": encoding}, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    shown = bars(done.stdout.decode(encoding))
    assert shown["2005"] == "#" * COUNT_BAR and shown["2003"] == "#" * (COUNT_BAR * 2 // 3)


def test_a_star_reads_as_the_documents_the_filters_keep_not_as_a_query(index):
    assert run(index, "*", "--source", "The Guardian").output.splitlines()[0].startswith(
        "2 documents the filters keep; by year;")
    assert run(index, "*").output.splitlines()[0].startswith("5 documents; by year;")
    assert run(index, "budget").output.splitlines()[0].startswith(
        "4 documents match budget; by year;")


def test_no_match_exits_1(index):
    result = run(index, "zzqqxx")
    assert result.exit_code == 1 and "No documents match zzqqxx." in result.output


def run_process(index: CorpusIndex, env: dict[str, str], *args: str):
    """The command as a process of its own: matplotlib keeps its fonts open to the end of
    the process that draws."""
    return subprocess.run([*corpus_search_command(), "count", *args, "--index", str(index.path)],
                          env=env, capture_output=True, text=True, timeout=120)


def test_plot_draws_the_chart_into_the_file_named(index, tmp_path: Path,
                                                  cli_env: dict[str, str]):
    pytest.importorskip("matplotlib")
    for name in ("trend.png", "trend.svg"):
        done = run_process(index, cli_env, "budget", "--by", "month", "--plot",
                           str(tmp_path / name))
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"chart written to {tmp_path / name}\n"
    assert (tmp_path / "trend.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (tmp_path / "trend.svg").read_bytes()[:500]


def test_a_chart_that_cannot_be_written_is_one_line_and_exit_2(index, tmp_path: Path,
                                                               cli_env: dict[str, str]):
    pytest.importorskip("matplotlib")
    done = run_process(index, cli_env, "budget", "--plot", str(tmp_path / "nowhere" / "x.png"))
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"error: Cannot write the chart to {tmp_path / 'nowhere'}")


def test_a_chart_replaces_a_chart_but_never_a_file_of_yours(index, tmp_path: Path,
                                                            cli_env: dict[str, str]):
    """count --plot thesis.pdf (a slip for thesis.png) wrote the chart over the thesis."""
    pytest.importorskip("matplotlib")
    chart = tmp_path / "chart.pdf"
    for by in ("month", "year"):  # (drawn again, as a command is run again)
        done = run_process(index, cli_env, "budget", "--by", by, "--plot", str(chart))
        assert done.returncode == 0, done.stderr
    thesis = tmp_path / "thesis.pdf"
    thesis.write_bytes(b"%PDF-1.7 a year of work")
    done = run_process(index, cli_env, "budget", "--plot", str(thesis))
    assert done.returncode == 2
    assert done.stderr == (f"error: Cannot write the chart to {thesis}: a file of that name is "
                           "there, and it is no chart (a chart is replaced): name another "
                           "file.\n")
    assert thesis.read_bytes() == b"%PDF-1.7 a year of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.pdf", "thesis.pdf"]


def test_without_matplotlib_a_chart_says_which_extra_to_install(index, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    import sys

    from corpus_search import PlotError

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # (import matplotlib fails)
    with pytest.raises(PlotError, match=r"pip install '\.\[plot\]' in a source checkout \(pip "
                                        r"install 'corpus-search\[plot\]' from a package "
                                        r"index\)$"):
        index.count("budget").plot(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("command", ["count", "trends"])
def test_a_chart_asked_for_without_matplotlib_fails_before_anything_is_counted(
        index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str):
    """count --plot without the plot extra counted the whole query, then said the chart
    needed matplotlib: the one-line error now comes first, and nothing is counted."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # (import matplotlib fails)

    def counted(*_args, **_kwargs):
        raise AssertionError("counted before the chart was checked")

    monkeypatch.setattr(CorpusIndex, command, counted)
    args = ["budget"] if command == "count" else ["budget", "Labour"]
    result = CliRunner().invoke(cli, [command, *args, "--plot", str(tmp_path / "x.png"),
                                      "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.stderr == ("error: Drawing a chart needs matplotlib: pip install '.[plot]' "
                             "in a source checkout (pip install 'corpus-search[plot]' from a "
                             "package index)\n")
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("command", ["count", "trends"])
def test_a_chart_named_as_no_chart_is_refused_before_anything_is_counted(
        index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str):
    def counted(*_args, **_kwargs):
        raise AssertionError("counted before the chart was checked")

    monkeypatch.setattr(CorpusIndex, command, counted)
    args = ["budget"] if command == "count" else ["budget", "Labour"]
    result = CliRunner().invoke(cli, [command, *args, "--plot", str(tmp_path / "chart.jpg"),
                                      "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: Cannot write the chart to {tmp_path / 'chart.jpg'}: "
                             "name a .png, .svg or .pdf file.\n")


@pytest.mark.parametrize("command", ["count", "trends"])
@pytest.mark.parametrize(("by", "why"), [
    ("year", "has a date (--by party counts them otherwise)"),
    ("month", "has a month (--by party counts them otherwise)"),
    ("source", "has a source (--by party counts them otherwise)"),
])
def test_a_chart_of_nothing_is_not_written_and_says_why(tmp_path: Path, command, by, why):
    """On an index without dates (the BBC corpus) count --plot drew an empty frame, its axis
    running from -0.05 to 0.05, and said "chart written". The way out it names is one that
    counts the documents: they name Labour, and have no source."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(f"d/{n}", f"Story {n}", "Labour and the NHS.")
                          for n in range(3)])
    target = tmp_path / "nhs.png"
    args = ["NHS"] if command == "count" else ["NHS", "Labour"]
    result = CliRunner().invoke(cli, [command, *args, "--by", by, "--plot", str(target),
                                      "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.stderr == (f"error: No chart written to {target}: no document of the count "
                             f"{why}, so it would be empty.\n")
    assert not target.exists()


@pytest.mark.parametrize("by", ["year", "month"])
def test_a_chart_of_nothing_tells_a_program_the_arguments_that_count_otherwise(
        tmp_path: Path, by: str):
    """From Python, the way out is an argument (``by='source'``), not the command's option
    (``--by source``), which the error keeps for the command."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("d/1", "Story", "Labour and the NHS.")])
        with pytest.raises(PlotError) as caught:
            ix.count("NHS", by=by).plot(tmp_path / "nhs.png")
        with pytest.raises(PlotError) as caught_trends:
            ix.trends(["NHS", "Labour"], by=by).plot(tmp_path / "nhs.png")
    for error in (caught.value, caught_trends.value):
        assert str(error) == (f"No chart written to {tmp_path / 'nhs.png'}: no document of the "
                              f"count has a {by.replace('year', 'date')} (by='party' counts "
                              "them otherwise), so it would be empty.")
        assert "(--by party counts them otherwise)" in error.cli_message


@pytest.mark.parametrize("name", ["chart", "chart.txt", "chart.jpg"])
def test_a_chart_file_not_named_png_svg_or_pdf_is_refused_and_nothing_written(
        index, tmp_path: Path, name: str):
    pytest.importorskip("matplotlib")
    from corpus_search import PlotError

    with pytest.raises(PlotError, match=r"name a \.png, \.svg or \.pdf file"):
        index.count("budget").plot(tmp_path / name)
    assert list(tmp_path.iterdir()) == []  # (not chart.png under another name either)


def test_every_period_s_share_is_a_visible_point_even_between_empty_periods(
        tmp_path: Path, cli_env: dict[str, str]):
    pytest.importorskip("matplotlib")
    rows, marker = drawn_in_a_process(f"""
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id=str(year), title="Budget", date=dt.date(year, 6, 1),
                               body="The budget.") for year in (2000, 2005)])
    counts = ix.count("budget", by="month")
    counts.plot({str(tmp_path / "trend.png")!r})
[share] = drawn[0].axes[1].get_lines()
print(len(counts.rows), repr(share.get_marker()))
""", cli_env).split()
    assert rows == "61"  # (a long series: 2000-06 .. 2005-06, two months holding documents)
    assert marker not in ("None", "'None'", "''", "' '")  # (a marker is drawn)


def test_a_chart_by_source_or_party_names_its_axis_matching_documents(
        tmp_path: Path, cli_env: dict[str, str]):
    # (count --by party --plot drew bars on an axis of bare numbers, beside trends' charts
    # of the same parties whose axis says "% of the party's documents")
    pytest.importorskip("matplotlib")
    assert drawn_in_a_process(f"""
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id="a", title="Budget", body="Labour's budget.")])
    ix.count("budget", by="party").plot({str(tmp_path / "party.png")!r})
print(drawn[0].axes[0].get_xlabel())
""", cli_env).strip() == "matching documents"


def test_a_chart_by_source_grows_down_the_side_with_its_bars_not_across(
        tmp_path: Path, cli_env: dict[str, str]):
    """40 sources' names run down the side, a bar beside each: the chart is as tall as they
    need (an eighth of an inch each and an inch for the title and axis) and no wider than a
    page. It was 15 inches wide and 4 tall, the names written over each other."""
    pytest.importorskip("matplotlib")
    sizes = drawn_in_a_process(f"""
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id=str(n), title="Budget", body="The NHS budget.",
                               source=f"Paper number {{n}}", date=dt.date(2005, 1, 1))
                      for n in range(40)])
    ix.count("budget", by="source").plot({str(tmp_path / "sources.png")!r})
    ix.count("budget", by="year").plot({str(tmp_path / "years.png")!r})
print([[float(inches) for inches in figure.get_size_inches()] for figure in drawn])
""", cli_env)
    (wide, tall), (_, years_tall) = eval(sizes)
    assert tall >= 40 / 8 + 1 and wide <= 10
    assert years_tall == 4  # (years run across: their chart keeps its height)


def test_a_chart_to_a_path_starting_with_a_tilde_goes_to_the_home_folder(
        tmp_path: Path, cli_env: dict[str, str]):
    """(a chart of "~/count.png" was refused, or written under a folder named "~")"""
    pytest.importorskip("matplotlib")
    script = f"""
import datetime as dt
from corpus_search import CorpusIndex, Document
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id="a", title="Budget", date=dt.date(2005, 6, 1),
                               body="The budget.")])
    print(ix.count("budget").plot("~/count.png"), ix.trends(["budget"]).plot("~/trends.svg"))
"""
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run([sys.executable, "-c", script], env={**cli_env, "HOME": str(home)},
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(home / "count.png"), str(home / "trends.svg")]
    assert (home / "count.png").is_file() and (home / "trends.svg").is_file()
    assert not (tmp_path / "~").exists()



@pytest.fixture(scope="module")
def party(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "counting-party", plp_stories())


def test_a_count_of_plp_counts_the_documents_naming_the_plp_not_every_labour_story(party):
    # (search ranks the Labour stories after the PLP's; count PLP on BBC counted 211, all
    # Labour's, where 6 name the PLP)
    assert party.search("PLP").total == 2 and party.search("PLP").related_only == 1
    counts = party.count("PLP")
    assert counts.total == 1 and counts.related_only == 1
    assert counts.notes == ["1 document that holds only Labour (a term the lexicon relates to "
                            "PLP), not PLP itself, is left out; search ranks it after the rest"]
    assert party.count("PLP Labour").total == 2 and party.count("PLP Labour").related_only is None


def test_trends_and_key_terms_leave_out_what_count_leaves_out(party):
    trends = party.trends(["PLP", "Labour"])
    assert [one.total for one in trends.counts] == [1, 2]
    assert trends.counts[0].related_only == 1
    assert party.key_terms("PLP", min_documents=1).matching == 1


def test_the_count_command_says_what_it_left_out_and_json_counts_it(party):
    result = CliRunner().invoke(cli, ["count", "PLP", "--index", str(party.path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "note 1 document that holds only Labour (a term the lexicon relates to PLP), not PLP "
        "itself, is left out; search ranks it after the rest",
        "1 document matches PLP; by year; a full bar is 50% of a year's documents"]
    data = json.loads(CliRunner().invoke(
        cli, ["count", "PLP", "--json", "--index", str(party.path)]).stdout)
    assert data["total"] == 1 and data["related_only"] == 1


def test_the_note_on_what_count_left_out_names_the_term_the_lexicon_relates_to_the_query(
        tmp_path):
    # (a user's lexicon line `civil_service_cuts<TAB>civil service jobs`: its form began
    # with Whitehall's "civil service", so the documents naming only the civil service were
    # left out, and the note did not say what term they held; "civil service" now counts
    # only in context, so the line here begins with Downing Street's form)
    terms = tmp_path / "staff.tsv"
    terms.write_text("no10_staff\tDowning Street staff\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix", lexicon=terms) as ix:
        ix.add_documents([
            Document(id="staff", title="Staff", body="Ministers cut 100 Downing Street staff."),
            Document(id="number10", title="Number 10", body="Number 10 said no."),
            Document(id="no10", title="Officials", body="Officials at No 10 were unhappy."),
        ])
        counts = ix.count("Downing Street staff")
    assert (counts.total, counts.related_only) == (1, 2)
    assert counts.notes[0] == (
        "2 documents that hold only Downing Street (a term the lexicon relates to Downing "
        "Street staff), not Downing Street staff itself, are left out; search ranks them "
        "after the rest")


def test_the_note_names_each_related_term_the_left_out_documents_hold_most_held_first(
        tmp_path):
    # (Blair for Blairites, Brown for Brownites: one note, both named)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="b1", title="Blair", body="Tony Blair spoke."),
            Document(id="b2", title="Blair again", body="Mr Blair spoke again."),
            Document(id="g", title="Brown", body="Gordon Brown spoke."),
            Document(id="both", title="Factions", body="Blairites and Brownites argued."),
        ])
        counts = ix.count("Blairites Brownites")
    assert counts.related_only == 3
    assert counts.notes[0].startswith(
        "3 documents that hold only Blair or Brown (terms the lexicon relates to Blairites "
        "Brownites), not Blairites Brownites itself, are left out")


def test_related_names_are_how_a_reader_knows_the_lexicon_s_terms(party):
    # (a party's display name, else the first form of the term's lexicon line, else the word
    # as the texts write it: Blair, whose followers imply him, has no line of his own)
    from corpus_search.search.concept_names import related_names
    from corpus_search.search.engine import engine_for_ranking
    from corpus_search.search.ranking import RANKING

    with party.guard():  # (the index's own searcher: closing it would close it for all)
        engine = engine_for_ranking(party.searcher(), RANKING)
        names = related_names(party.lexicon, engine,
                              ["labour_party", "whitehall", "european_union", "lib_dem", "monday",
                               "labour_party"])
    assert names == ["Labour", "Whitehall", "EU", "Liberal Democrat", "Monday"]


NAMES = [
    Document(id="howard", title="Tories launch", date=dt.date(2005, 4, 11),
             body="Michael Howard launched the manifesto. Mr Howard said taxes would fall."),
    Document(id="owen", title="Owen scores", date=dt.date(2005, 4, 12),
             body="Michael Owen scored twice for Real Madrid."),
    Document(id="flight", title="Flight sacked", date=dt.date(2005, 3, 25),
             body="Howard Flight was sacked as a candidate by the party leader."),
    Document(id="thatcher", title="Lady Thatcher at 80", date=dt.date(2005, 10, 13),
             body="Mrs Thatcher celebrated her birthday; a lady from Grantham sent a card."),
]


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "counting-names", NAMES)


def test_a_count_of_a_name_counts_the_documents_holding_all_its_words_not_any_michael(names):
    assert names.search("Michael Howard").total == 3  # (search ranks the other two lower)
    counts = names.count("Michael Howard")
    assert counts.total == 1
    assert counts.notes == ["2 more documents hold words of the name Michael Howard but "
                            "not the name written whole: left out (search ranks them lower; "
                            "a query of Howard alone counts every Howard)"]
    assert names.count("Howard").total == 2 and names.count("Michael").total == 2


def test_a_name_counts_where_it_is_written_whole_not_where_its_words_stand_apart(tmp_path):
    # (count "Michael Howard" on BBC counted 103 documents where grep finds 100: a film story
    # of Michael Keaton and Howard Hughes, a match report's Michael Duff and Howard Webb)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="tory", title="Launch", body="Michael Howard spoke in Kent."),
            Document(id="film", title="Film", body="Michael Keaton plays Howard Hughes."),
            Document(id="cook", title="Cook", body="Robin Cook resigned."),
            Document(id="again", title="Cook", body="Robin Cook spoke."),
            Document(id="middle", title="Cook", body="Robin F Cook resigned. Mr Cook spoke."),
            Document(id="apart", title="Cooks", body="Robin Hood met a cook."),
        ])
        counts = ix.count("Michael Howard")
        assert counts.total == 1
        assert counts.notes[0].startswith("1 more document holds words of the name Michael "
                                          "Howard but not the name written whole: left out")
        assert ix.search("Michael Howard").total == 2  # (search ranks the film lower)
        # (a middle name or initial between the words is the name written whole)
        assert ix.count("Robin Cook").total == 3  # ("Robin F Cook", not Robin Hood's cook)


def test_a_name_s_honorific_is_not_needed_and_other_words_still_count_alone(names):
    assert names.count("Lady Thatcher").total == 1  # (Mrs Thatcher; not the lady from Grantham)
    assert names.count("Michael Howard Madrid").total == 2  # (the name, or Madrid)
    assert names.count("Howard Michael").total == 3  # (no name: any of the two words)


def test_trends_and_key_terms_count_a_name_as_count_does(names):
    trends = names.trends(["Michael Howard", "Howard"], by="party")
    assert [one.total for one in trends.counts] == [1, 2]
    assert names.key_terms("Michael Howard", min_documents=1).matching == 1


TERMS = [
    Document(id="libdem", title="Kennedy", date=dt.date(2005, 4, 1),
             body="The Liberal Democrats launched their manifesto."),
    Document(id="libdems", title="Tour", date=dt.date(2005, 4, 2),
             body="The Lib Dems toured Somerset."),
    Document(id="us", title="Washington", date=dt.date(2005, 4, 3),
             body="The Democrats in Congress attacked liberal judges."),
    Document(id="pmqs", title="Commons", date=dt.date(2005, 4, 4),
             body="At Prime Minister's Questions, Mr Howard attacked Mr Blair."),
    Document(id="asked", title="Asked", date=dt.date(2005, 4, 5),
             body="The prime suspect's questions went to the minister."),
]


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "counting-terms", TERMS)


def test_a_lexicon_term_counts_where_the_term_is_in_any_of_its_forms_not_its_words_apart(
        terms):
    # (count "Liberal Democrats" counted the US Democrats; "Prime Minister's Questions" every
    # question a minister was asked: 189 and 47 BBC documents, against 147 and 12)
    assert terms.count("Liberal Democrats").total == terms.count("Lib Dems").total == 2
    assert terms.search("Liberal Democrats").total == 3  # (search ranks the US story lower)
    assert terms.count("Prime Minister's Questions").total == terms.count("PMQs").total == 1
    assert terms.count("Liberal Democrats").notes == [
        "1 more document holds words of Liberal Democrats but not the term in a form the "
        "lexicon lists: left out (search ranks it lower)"]
    assert terms.count("Democrats").total == 2  # (a word alone is a word)



PHRASES = [
    Document(id="rates", title="Bank holds", date=dt.date(2005, 2, 10),
             body="The Bank of England left interest rates on hold."),
    Document(id="apart", title="Loans", date=dt.date(2005, 2, 11),
             body="The interest on student loans rates a mention in the manifesto."),
    Document(id="new", title="Blair's party", date=dt.date(2005, 2, 12),
             body="New Labour has changed, Tony Blair said."),
    Document(id="old", title="Manifesto", date=dt.date(2005, 2, 13),
             body="Labour launched a new manifesto on health."),
    Document(id="plain", title="Labour rally", date=dt.date(2005, 2, 14),
             body="Labour held a rally in Gateshead."),
]


@pytest.fixture(scope="module")
def phrases(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "counting-phrases", PHRASES)


def test_a_quoted_phrase_counts_the_documents_holding_the_phrase_not_its_words_apart(phrases):
    # (quoting made a count broader: on BBC, count "New Labour" counted 22 and count
    # '"New Labour"' 231, every Labour story; '"interest rates"' 91 where 69 say it)
    assert phrases.search('"interest rates"').total == 2  # (search ranks the words apart after)
    counts = phrases.count('"interest rates"')
    assert counts.total == phrases.search('"interest rates"').phrase_matches == 1
    assert counts.notes == ['1 more document holds the words of "interest rates" apart, not '
                            'the phrase: left out (search ranks it after those holding it)']
    assert phrases.count('"New Labour"').total == phrases.count("New Labour").total == 1


def test_quoting_a_phrase_never_counts_more_than_leaving_it_unquoted(phrases):
    for words in ("interest rates", "New Labour", "Tony Blair"):
        assert phrases.count(f'"{words}"').total <= phrases.count(words).total, words


def test_other_words_beside_a_quoted_phrase_still_count_alone(phrases):
    assert phrases.count('"interest rates" Gateshead').total == 2  # (the phrase, or Gateshead)
    assert phrases.count('"interest rates" AND loans').total == 0  # (syntax: strict already)


def test_a_query_of_several_quoted_phrases_counts_a_document_holding_any_of_them(phrases):
    counts = phrases.count('"interest rates" "New Labour"')
    assert counts.total == 2  # (the one saying interest rates, the one saying New Labour)
    assert counts.notes[0] == (
        '2 more documents hold the words of a quoted phrase apart ("interest rates", "New '
        'Labour"), none of the phrases: left out (search ranks them after those holding one)')


def test_trends_and_key_terms_count_a_quoted_phrase_as_count_does(phrases):
    trends = phrases.trends(['"New Labour"', '"interest rates"'], by="party")
    assert [one.total for one in trends.counts] == [1, 1]
    assert phrases.key_terms('"New Labour"', min_documents=1).matching == 1


def test_a_quoted_phrase_s_note_tells_words_apart_from_a_broader_term_the_lexicon_relates(
        phrases):
    # ("New Labour" finds, last, the documents naming only Labour; count left them out
    # saying they held the words apart)
    assert phrases.count('"New Labour"').notes == [
        '1 more document holds the words of "New Labour" apart, not the phrase: left out '
        '(search ranks it after those holding it)',
        '1 more document holds only Labour (a term the lexicon relates to "New Labour"), not '
        'the phrase: left out (search ranks it after those holding it)']


@pytest.mark.parametrize("command", ["count", "key-terms"])
def test_the_help_says_which_of_search_s_documents_are_counted(command):
    # (it said "the documents are those search counts for QUERY": count PLP counts 6 of the
    # 211 BBC documents a search of PLP lists, the others holding only Labour)
    help_text = " ".join(CliRunner().invoke(cli, [command, "--help"]).output.split())
    assert "those search counts for QUERY" not in help_text
    assert "only part of it" in help_text
    assert "term the lexicon relates to it: a note says how many" in help_text
    if command == "count":  # (count NHS counts the BBC stories naming only foundation
        # hospitals, and count '"home secretary"' leaves out the Shadow Home Secretary's)
        assert "A narrower term counts (foundation hospitals, for NHS)" in help_text
        assert "its words only inside another term" in help_text


def test_several_words_count_any_of_them_and_and_counts_those_naming_both_as_help_says(index):
    """(count "Lib Dems tuition fees" counted the 152 BBC documents naming either, which a
    reporter asking how often the Lib Dems came up with tuition fees read as both: the help
    now says so, with the query that counts both)"""
    assert index.count("NHS Labour", by="source").total == 3  # (a, b: Labour; c: NHS)
    assert index.count('"Liberal Democrats" AND NHS', by="source").total == 1
    help_text = " ".join(run(index, "--help").output.split())
    assert "several words match any of them" in help_text
    assert """count '"Lib Dems" AND "tuition fees"' counts the documents naming both""" in (
        help_text)


def test_the_first_count_of_an_undated_index_gives_its_total_and_names_the_counts_it_can_give(
    tmp_path: Path,
):
    # (the BBC corpus: the first `count` gave the dates note at length and "None of them has
    # a date (--by source or --by party ...)", and --by source "None of them has a source":
    # a new user had to guess --by party, the one count that makes it a table)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id=f"d{n}", title="Story", body=body) for n, body in
                          enumerate(["Labour pledged more on the NHS.", "The NHS waits.",
                                     "Rain on Monday."])])
        assert countable_by(ix) == ("party",)
        assert UNDATED_INDEX in ix.count("NHS").notes  # (the library keeps the note)
    first = CliRunner().invoke(cli, ["count", "NHS", "--index", str(tmp_path / "ix")])
    assert first.exit_code == 0
    assert first.output.splitlines() == [
        "2 documents match NHS",
        "No document in this index has a date, so there is no table by year (dates: "
        "ingest.md, Dates); --by party counts them otherwise."]
    by_source = CliRunner().invoke(cli, ["count", "NHS", "--by", "source", "--index",
                                         str(tmp_path / "ix")])
    assert by_source.output.splitlines()[-1] == (
        "None of them has a source (--by party counts them otherwise).")
    by_party = CliRunner().invoke(cli, ["count", "NHS", "--by", "party", "--index",
                                        str(tmp_path / "ix")])
    assert by_party.output.splitlines()[1].split() == ["party", "matching", "of", "all",
                                                       "share"]


def test_the_counts_named_for_matches_in_no_row_are_those_that_count_them(tmp_path: Path):
    # an undated document is in no month and in no year either: --by year, named, then said
    # "It has no date"; one dated to a year alone is in no month, and --by year counts it
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="dated", title="Vote", body="The election was held.",
                     date=dt.date(2005, 3, 1)),
            Document(id="undated", title="Visit", body="Zorblat came to town."),
            Document(id="year", title="Review", body="A Zorbleck story.",
                     date=dt.date(2005, 1, 1), date_precision="year"),
        ])

    def said(*args: str) -> str:
        result = CliRunner().invoke(cli, ["count", *args, "--index", str(tmp_path / "ix")])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[-1]

    assert said("Zorblat", "--by", "month") == "It has no month."
    assert said("Zorblat", "--by", "year") == "It has no date."
    assert said("Zorblat", "--by", "party") == "It has no party."
    assert said("Zorbleck", "--by", "month") == "It has no month (--by year counts it otherwise)."
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.count("Zorblat", by="month").otherwise == ()
        assert ix.count("Zorbleck", by="month").otherwise == ("year",)


def test_an_index_with_nothing_to_count_by_names_no_other_count(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="d", title="Weather", body="Rain on Monday.")])
        assert countable_by(ix) == ()
        assert no_dates_line("year", countable_by(ix), "cli") == (
            "No document in this index has a date, so there is no table by year (dates: "
            "ingest.md, Dates).")
        assert lacked_by_all("source", "library", others=()) == ("has a source", "")
    # a dated index counts by year and month too, and names them
    with CorpusIndex(tmp_path / "dated") as ix:
        ix.add_documents([Document(id="d", title="Weather", body="Rain on Monday.",
                                   date=dt.date(2005, 3, 1), source="BBC News")])
        assert countable_by(ix) == ("year", "month", "source")
        assert lacked_by_all("party", "cli", others=countable_by(ix))[1] == (
            "--by year or --by source counts them otherwise")
