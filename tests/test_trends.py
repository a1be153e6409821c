"""Several queries counted side by side per year, month, source or party: in the library
(``CorpusIndex.trends``) and from the CLI (``corpus-search trends``). Each query's column is
what ``count`` counts for it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_search_command, drawn_in_a_process
from corpus_search import CorpusIndex, Document, MultiIndex, QueryError
from corpus_search.cli import READING_COMMANDS, cli
from corpus_search.search.bars import bar_scale
from corpus_search.search.counting import COUNT_BY, CountRow, Counts
from corpus_search.search.trends import MAX_QUERIES, TrendRow, Trends

DOCUMENTS = [
    Document(id="a", title="Budget row", date=dt.date(2003, 9, 19), source="BBC News",
             body="Labour and the Conservatives clashed over the budget."),
    Document(id="b", title="Budget day", date=dt.date(2003, 11, 2), source="BBC News",
             body="The Chancellor's budget was welcomed by Labour MPs."),
    Document(id="c", title="Hospital waits", date=dt.date(2003, 11, 20), source="The Guardian",
             body="NHS waiting times fell, the Liberal Democrats said."),
    Document(id="d", title="Budget again", date=dt.date(2005, 3, 16), source="The Guardian",
             body="A pre-election budget from Gordon Brown, and money for the NHS."),
    Document(id="e", title="Undated budget note", body="Notes on the budget, no date given."),
]

#: queries of every kind count reads: words, a misspelling, a phrase, syntax, none matching
QUERIES = ["budget", "NHS", "Labour", "budgte", '"pre-election budget"', "budget AND NOT Labour",
           "*", "zzqqxx", "title:budget"]
FILTERS = [{}, {"since": "2003-11-01"}, {"source": "The Guardian"},
           {"since": "2003", "include_undated": True}, {"party": "Whig"}]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("trends") / "ix")
    ix.add_documents(DOCUMENTS)
    yield ix
    ix.close()


def column(trends, n: int) -> list[tuple[str, int, int]]:
    """The query ``n``'s column of ``trends``, as (value, matching, documents) by value."""
    return sorted((row.value, row.matching[n], row.documents) for row in trends.rows)


def count_rows(counts) -> list[tuple[str, int, int]]:
    return sorted((row.value, row.matching, row.documents) for row in counts.rows)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(queries=st.lists(st.sampled_from(QUERIES), min_size=1, max_size=4, unique=True),
       by=st.sampled_from(COUNT_BY), filters=st.sampled_from(FILTERS),
       correct=st.booleans())
def test_each_query_s_column_of_trends_equals_that_query_s_own_count(
        index, queries, by, filters, correct):
    readings = [index.count(query, filters=filters, correct=correct) for query in queries]
    as_read = [one.suggestion if one.suggestion_applied else one.query for one in readings]
    if len(set(as_read)) < len(as_read):  # (budget, and budgte counted as budget)
        with pytest.raises(QueryError, match="is the same query as"):
            index.trends(queries, by=by, filters=filters, correct=correct)
        return
    trends = index.trends(queries, by=by, filters=filters, correct=correct)
    assert trends.queries == queries
    for n, query in enumerate(queries):
        counts = index.count(query, by=by, filters=filters, correct=correct)
        assert column(trends, n) == count_rows(counts)
        assert trends.counts[n].to_dict() == counts.to_dict()  # (spelling, notes, why empty)


@pytest.mark.parametrize("by", COUNT_BY)
def test_one_query_gives_what_count_gives_in_count_s_order(index, by):
    trends = index.trends(["budget"], by=by)
    counts = index.count("budget", by=by)
    assert [(r.value, r.matching[0], r.documents) for r in trends.rows] == [
        (r.value, r.matching, r.documents) for r in counts.rows]


def test_the_rows_are_each_period_from_the_first_to_the_last_for_every_query(index):
    trends = index.trends(["budget", "NHS"], by="month")
    assert len(trends.rows) == 19  # 2003-09 .. 2005-03, as count gives them
    assert trends.rows[2].value == "2003-11"
    assert trends.rows[2].matching == (1, 1) and trends.rows[2].documents == 2
    assert trends.rows[2].shares == (0.5, 0.5)


def test_a_run_of_periods_with_no_documents_is_one_joined_row(index):
    joined = [(label, row and row.matching) for label, row in
              index.trends(["budget", "NHS"], by="month").joined()]
    assert joined == [("2003-09", (1, 0)), ("2003-10", None), ("2003-11", (1, 1)),
                      ("2003-12 - 2005-02", None), ("2005-03", (1, 1))]


@pytest.mark.parametrize("by", ["year", "month", "source"])
def test_every_query_s_bars_are_drawn_on_one_scale_by_count_s_rule(index, by):
    """Every bar is its share of the one full bar the table states (the largest share of any
    query, rounded up: 1, 2 or 5 times a power of ten): a query twice as common has bars
    twice as long, which bars scaled each to its own query's largest would hide. One query's
    bars are its count's (Counts.bar)."""
    found = index.trends(["budget", "NHS"], by=by)
    cells = [one for row in found.rows for one in row.counts]
    assert found.scale == bar_scale(max(one.share or 0.0 for one in cells))
    for one in cells:
        assert found.bar(one) == pytest.approx((one.share or 0.0) / found.scale)
    alone, counts = index.trends(["NHS"], by=by), index.count("NHS", by=by)
    assert [alone.bar(row.counts[0]) for row in alone.rows] == [counts.bar(row)
                                                                for row in counts.rows]
    assert alone.full_bar() == counts.full_bar()


def test_a_rare_query_s_bars_are_drawn_on_a_scale_the_comparison_states():
    # (3 of 210: beside a query of 2 of 233, the 1.4% had been a full bar, "every document")
    rows = [CountRow("Labour", 3, 210), CountRow("Conservative", 2, 233)]
    found = Trends("party", counts=[Counts("Respect", "party", rows=rows)],
                   rows=[TrendRow(row.value, row.documents, (row,)) for row in rows])
    assert found.full_bar() == "a full bar is 2% of a party's documents"
    assert [round(found.bar(row), 3) for row in rows] == [0.714, 0.429]


def test_a_comparison_that_matches_nothing_draws_no_bar(index):
    found = index.trends(["zzqqxx", "qqzzyy"], by="year")
    assert found.rows and {found.bar(one) for row in found.rows for one in row.counts} == {0.0}


def test_sources_and_parties_come_most_matches_of_all_the_queries_first(index):
    trends = index.trends(["NHS", "Labour"], by="party")
    assert [(r.value, r.matching) for r in trends.rows] == [
        ("Labour", (0, 2)), ("Conservative", (0, 1)), ("Liberal Democrat", (1, 0))]
    # (NHS alone puts the Liberal Democrats first; the two together, Labour)
    assert index.count("NHS", by="party").rows[0].value == "Liberal Democrat"


def test_several_indexes_give_each_query_what_their_count_gives(index, tmp_path: Path):
    with CorpusIndex(tmp_path / "other") as other:
        other.add_documents([Document(id="z", title="NHS budget", date=dt.date(2004, 1, 5),
                                      body="The NHS budget rose.")])
    with MultiIndex([index.path, tmp_path / "other"]) as both:
        trends = both.trends(["budget", "NHS"])
        for n, query in enumerate(["budget", "NHS"]):
            assert column(trends, n) == count_rows(both.count(query))
        assert trends.rows[1].value == "2004" and trends.rows[1].matching == (1, 1)


@pytest.mark.parametrize("queries, message", [
    (["budget", "budget"], "budget is given twice: each query is one column"),
    (["Lib Dems", " Lib   Dems "], "Lib Dems is given twice"),
    (["budget", "  "], "Query 2 of 2 is empty: each query needs words, or \\* for every"),
    ([], "Trends need a query"),
    ([f"q{n}" for n in range(MAX_QUERIES + 1)], f"at most {MAX_QUERIES} queries at once, not "
                                                   f"{MAX_QUERIES + 1}"),
    ("budget", r"queries must be a list of queries \(one query: \['budget'\]\)"),
    (["budget", 3], "Each query must be text, not 3"),
])
def test_duplicate_empty_or_too_many_queries_are_one_line_errors(index, queries, message):
    with pytest.raises(QueryError, match=message) as raised:
        index.trends(queries)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("queries", "message"), [
    (["Labor", "Labour"], "Labour is the same query as Labor: each query is one column, so "
                          "give it once."),
    (["Labour", "LABOUR"], "LABOUR is the same query as Labour: "),
    (["budget", "budgte"], r"budgte \(counted as budget\) is the same query as budget: "),
])
def test_two_queries_read_as_the_same_query_are_one_line_errors_naming_both(
        index, queries, message):
    with pytest.raises(QueryError, match=message):
        index.trends(queries)


def test_a_misspelling_counted_as_typed_is_not_the_query_it_would_be_corrected_to(index):
    found = index.trends(["budget", "budgte"], correct=False)
    assert [one.total for one in found.counts] == [4, 0]


def test_queries_read_differently_that_match_the_same_documents_are_counted_with_a_note(index):
    # (Labour is the party, labour the word in any sense: here, the same documents)
    found = index.trends(["Labour", "NHS", "labour"], by="source")
    assert found.notes == ["labour matches the same 2 documents as Labour: their columns are "
                           "the same."]
    assert found.to_dict()["notes"] == found.notes
    assert found.counts[2].to_dict() == index.count("labour", by="source").to_dict()
    assert CliRunner().invoke(cli, ["trends", "Labour", "NHS", "labour", "--index",
                                    str(index.path)]).output.splitlines()[:2] == [
        "note labour, in lower case, is the word in any sense; Labour, capitalised, "
        "names the party Labour.",
        "note labour matches the same 2 documents as Labour: their columns are the same."]


def test_a_bad_by_is_count_s_error(index):
    with pytest.raises(QueryError, match="by must be one of year, month, source, party"):
        index.trends(["budget", "NHS"], by="week")


def test_the_json_form_keys_each_row_s_figures_by_query(index):
    data = index.trends(["Labour", "budgte"], by="source").to_dict()
    assert data["by"] == "source"
    assert data["queries"][1]["query"] == "budgte"
    assert data["queries"][1]["suggestion"] == "budget"  # (each query's spelling help)
    assert {k: v for k, v in index.count("budgte", by="source").to_dict().items()
            if k not in ("by", "rows")} == data["queries"][1]
    assert data["rows"][0] == {"value": "BBC News", "documents": 2,
                               "matching": {"Labour": 2, "budgte": 2},
                               "share": {"Labour": 1.0, "budgte": 1.0}}
    assert data["notes"] == []


# -- the command --------------------------------------------------------------------------------


def run(index: CorpusIndex, *args: str):
    return CliRunner().invoke(cli, ["trends", *args, "--index", str(index.path)])


def test_the_command_prints_a_row_a_period_with_each_query_s_share_and_matches(index):
    result = run(index, "budget", "NHS")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[0] == ("Matching documents: budget 4, NHS 2; by year, the share of each "
                        "year's documents (and how many)")
    assert lines[1].split() == ["year", "documents", "budget", "NHS"]
    assert lines[2].split() == ["2003", "3", "66.7%", "(2)", "33.3%", "(1)"]
    assert lines[3].split() == ["2004", "0", "-", "-"]
    assert lines[-1] == "Matching documents without a date, not in the table: budget 1."


@pytest.mark.parametrize("args", [["trends", "budget", "NHS"],
                                  ["trends", "budget", "Labour", "--by", "source"],
                                  ["count", "budget", "--by", "party"]])
def test_a_table_printed_to_a_pipe_has_no_line_ending_in_spaces(index, args):
    # (rich pads the last column's cells: the header "NHS   " and short cells ended in spaces)
    result = CliRunner().invoke(cli, [*args, "--index", str(index.path)])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) > 2
    assert [line for line in result.output.splitlines() if line != line.rstrip()] == []


def test_each_argument_is_one_query(index):
    result = run(index, "Gordon Brown", "NHS", "--by", "source")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split() == ["source", "documents", "Gordon", "Brown",
                                                     "NHS"]
    help_text = CliRunner().invoke(cli, ["trends", "--help"]).output
    assert "Each argument is one query: quote a query of several words" in help_text


@pytest.mark.parametrize(("queries", "term"), [
    (["Liberal", "Democrats", "NHS"], "Liberal Democrats"),
    (["budget", "Gordon", "Brown", "Liberal", "Democrats"], "Liberal Democrats")])
def test_queries_given_apart_that_together_type_a_lexicon_term_get_a_note_saying_so(
    index, queries, term
):
    # (trends Lib Dems Labour, typed unquoted, compared Lib, Dems and Labour: nothing said so)
    first, second = term.split()
    note = (f"{first} and {second} are counted as 2 queries; together they are the term "
            f"{term}: to count it as one, give it as one query (quoted: '{term}').")
    notes = index.trends(queries).notes
    assert notes[0] == note
    assert not any("are counted as" in n for n in notes[1:])  # (Gordon Brown: a name)
    assert f"note {note}" in run(index, *queries).output.splitlines()
    quoted = [term if q == first else q for q in queries if q != second]
    assert not any("are counted as" in n for n in index.trends(quoted).notes)


def test_a_query_that_matches_nothing_says_so_and_why_and_the_others_are_shown(index):
    result = run(index, "budget", "zzqqxx", "--by", "party")
    assert result.exit_code == 0
    assert "No documents match zzqqxx." in result.output.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()}
    assert rows["Labour"] == ["2", "100.0%", "(2)", "0.0%", "(0)"]


def test_the_command_exits_1_when_no_query_matches_and_says_why_once_for_a_filter(index):
    result = run(index, "budget", "NHS", "--party", "Whig")
    assert result.exit_code == 1
    why = index.count("budget", filters={"party": "Whig"}).why_empty
    assert why
    assert result.output.splitlines() == ["No documents match budget, NHS.", *why]


def test_queries_that_match_nothing_for_the_same_reasons_are_told_together(index):
    found = index.trends(["budget", "zzqqxx", "NHS", "qqxxzz"], filters={"party": "Whig"})
    why = tuple(index.count("budget", filters={"party": "Whig"}).why_empty)
    assert found.unmatched() == [(["budget", "zzqqxx", "NHS", "qqxxzz"], why)]
    found = index.trends(["budget", "zzqqxx"])
    assert found.unmatched() == [(["zzqqxx"], tuple(found.counts[1].why_empty))]


def test_the_command_s_errors_are_one_line_and_exit_2(index):
    for args, message in [(("budget", "budget"), "budget is given twice"),
                          (("budget", ""), "Query 2 of 2 is empty")]:
        result = run(index, *args)
        assert result.exit_code == 2
        assert message in result.output and len(result.output.splitlines()) == 1


def test_csv_has_a_matching_and_a_share_column_for_each_query_and_every_period(index):
    text = run(index, "budget", "Gordon Brown", "--csv").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ("value,documents,budget matching,budget share,"
                                    "Gordon Brown matching,Gordon Brown share")
    assert [r["value"] for r in table] == ["2003", "2004", "2005"]
    assert table[2] == {"value": "2005", "documents": "1", "budget matching": "1",
                        "budget share": "1.0", "Gordon Brown matching": "1",
                        "Gordon Brown share": "1.0"}


def test_csv_says_on_stderr_what_the_text_says_of_the_queries_as_the_command_says_it(index):
    # (it printed the library's note, "index_directory(FOLDER, dates=...)" where the
    # command's options were meant, and an undated count a line per query, naming none)
    told = run(index, "budget", "Labour", "--csv").stderr.splitlines()
    assert told == ["Matching documents without a date, not in the table: budget 1."]
    with CorpusIndex(index.path.parent / "undated") as undated:
        undated.add_documents([Document(id="u", title="t", body="Labour's budget.")])
        told = run(undated, "budget", "Labour", "--csv").stderr
    assert "index_directory" not in told
    # (no document of the index has a date: one line says so, naming the counts it can give)
    assert ("Matching documents: budget 1, Labour 1. No document in this index has a date, so "
            "there is no table by year (dates: ingest.md, Dates); --by party counts them "
            "otherwise.") in " ".join(told.split())


@pytest.mark.parametrize("by", ["source", "party"])
def test_by_a_field_no_match_holds_the_command_says_so_as_count_does_not_an_empty_table(
        tmp_path, by):
    """trends --by source on the BBC corpus (no sources) failed with an IndexError on the
    empty table; as count does, it says the matches lack one."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="u", title="t", body="The budget, the NHS.")])
    result = CliRunner().invoke(cli, ["trends", "budget", "NHS", "--by", by,
                                      "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"Matching documents: budget 1, NHS 1; none of them has a {by}.")


def test_a_period_with_no_document_has_no_share_in_csv_and_json_as_in_count(index):
    """2004 holds no document: each query's share there is None (an empty cell, JSON's
    null), as count gives it, not 0% (which a chart or a mean would read as a fall)."""
    found = index.trends(["budget", "NHS"])
    assert [one.share for one in found.rows[1].counts] == [None, None]
    assert found.rows[1].shares == (0.0, 0.0)  # (for a chart's scale)
    assert found.to_dict()["rows"][1]["share"] == {"budget": None, "NHS": None}
    assert index.count("NHS").to_dict()["rows"][1]["share"] is None
    table = list(csv.DictReader(io.StringIO(run(index, "budget", "NHS", "--csv").stdout)))
    assert (table[1]["budget share"], table[1]["NHS share"]) == ("", "")
    assert table[0]["NHS share"] == "0.333333"  # (2003: one of three; 0 would be "0.0")


def test_json_is_the_library_s_after_its_schema(index):
    data = json.loads(run(index, "budget", "NHS", "--by", "party", "--json").output)
    assert data == {"schema": "corpus-search/trends/v1",
                    **index.trends(["budget", "NHS"], by="party").to_dict()}


def test_trends_run_warm_in_a_serve_process():
    assert "trends" in READING_COMMANDS


def _visible(text: str) -> list[str]:
    return [re.sub("\x1b\\[[0-9;]*m", "", line) for line in text.splitlines()]


def test_on_a_narrow_terminal_the_shares_stay_whole_and_the_counts_give_way(
        index, cli_env: dict[str, str]):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "50"}
    env.pop("NO_COLOR", None)
    done = subprocess.run([*corpus_search_command(), "trends", "budget", "NHS", "Labour",
                           "Gordon Brown", "--index", str(index.path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = _visible(done.stdout)
    assert all(len(line) <= 50 for line in lines)
    [row] = [line.split() for line in lines if line.startswith("2003")]
    assert row == ["2003", "3", "66.7%", "33.3%", "66.7%", "0.0%"]
    assert "(" not in "".join(lines[2:])  # (no count in brackets: they gave way)


def test_on_a_terminal_too_narrow_for_every_share_the_months_stay_whole_and_nothing_is_cut(
        index, cli_env: dict[str, str]):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "40"}
    env.pop("NO_COLOR", None)
    done = subprocess.run([*corpus_search_command(), "trends", "budget", "NHS", "Labour",
                           "Gordon Brown", "--by", "month", "--index", str(index.path)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = _visible(done.stdout)
    assert "…" not in done.stdout
    [row] = [line.split() for line in lines if line.startswith("2003-09")]
    assert row[0] == "2003-09" and all(cell.endswith("%") for cell in row[-4:])
    assert "documents" not in lines[3] and "docs" not in lines[3]  # (the documents gave way)


def test_piped_output_that_cannot_write_utf8_is_ascii(index, cli_env: dict[str, str]):
    done = subprocess.run([*corpus_search_command(), "trends", "budget", "Sinn Féin",
                           "--by", "party", "--index", str(index.path)],
                          env={**cli_env, "PYTHONIOENCODING": "ascii"}, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii() and b"Labour" in done.stdout


def run_process(index: CorpusIndex, env: dict[str, str], *args: str):
    """The command as a process of its own: matplotlib keeps its fonts open to the end of
    the process that draws."""
    return subprocess.run([*corpus_search_command(), "trends", *args, "--index",
                           str(index.path)], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("by", ["month", "party"])
def test_plot_draws_the_chart_into_the_file_named(index, tmp_path: Path,
                                                  cli_env: dict[str, str], by: str):
    pytest.importorskip("matplotlib")
    done = run_process(index, cli_env, "budget", "NHS", "--by", by, "--plot",
                       str(tmp_path / "trends.png"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"chart written to {tmp_path / 'trends.png'}\n"
    assert (tmp_path / "trends.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_chart_not_named_png_svg_or_pdf_is_one_line_and_exit_2(index, tmp_path: Path,
                                                                 cli_env: dict[str, str]):
    pytest.importorskip("matplotlib")
    done = run_process(index, cli_env, "budget", "NHS", "--plot", str(tmp_path / "chart.txt"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: Cannot write the chart to {tmp_path / 'chart.txt'}: name a .png, .svg or "
        ".pdf file."]
    assert list(tmp_path.iterdir()) == []


def test_without_matplotlib_a_chart_says_which_extra_to_install(index, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch):
    import sys

    from corpus_search import PlotError

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # (import matplotlib fails)
    with pytest.raises(PlotError, match=r"pip install 'corpus-search\[plot\]'"):
        index.trends(["budget", "NHS"]).plot(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_the_chart_has_a_line_per_query_with_a_gap_where_a_period_has_no_documents(
        tmp_path: Path, cli_env: dict[str, str]):
    pytest.importorskip("matplotlib")
    labels, shares = drawn_in_a_process(f"""
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id=str(year), title="Budget", date=dt.date(year, 6, 1),
                               body="The NHS budget." if year == 2000 else "The budget.")
                      for year in (2000, 2002)])
    ix.trends(["budget", "NHS"]).plot({str(tmp_path / "trends.png")!r})
lines = drawn[0].axes[0].get_lines()
print([line.get_label() for line in lines])
print([[None if math.isnan(y) else float(y) for y in line.get_ydata()] for line in lines])
""", cli_env).splitlines()
    assert labels == "['budget', 'NHS']"
    assert shares == "[[100.0, None, 100.0], [100.0, None, 0.0]]"


def test_a_query_of_several_words_counts_any_of_them_and_one_in_double_quotes_the_phrase(
        index):
    """(what the user guide and --help tell a reader who quoted 'tuition fees' for the
    shell: the shell's quotes make one query, not a phrase)"""
    found = index.trends(["NHS Labour", '"NHS Labour"'], by="source")
    assert [one.total for one in found.counts] == [4, 0]
    assert "quote a phrase inside" in run(index, "--help").output


def test_a_chart_by_party_grows_down_the_side_with_its_bars_not_across(
        tmp_path: Path, cli_env: dict[str, str]):
    """The parties' names run down the side, a bar per query beside each: 8 parties by 4
    queries is 32 bars, which need a chart as tall as they are (an eighth of an inch each, and an
    inch for the title and the axis) and no wider than count's chart of the same 8 parties (it
    was 12.6 inches wide and 4 tall, the bars a few pixels thick)."""
    pytest.importorskip("matplotlib")
    parties = ["Labour", "Conservatives", "Lib Dems", "UKIP", "SNP", "Greens", "Plaid Cymru",
               "BNP"]
    sizes = drawn_in_a_process(f"""
with CorpusIndex({str(tmp_path / "ix")!r}) as ix:
    ix.add_documents([Document(id=str(n), title="Budget", body=f"The {{party}} budget, NHS, "
                               "schools and Iraq.") for n, party in enumerate({parties!r})])
    queries = ["budget", "NHS", "schools", "Iraq"]
    ix.trends(queries, by="party").plot({str(tmp_path / "trends.png")!r})
    ix.count("budget", by="party").plot({str(tmp_path / "count.png")!r})
with CorpusIndex({str(tmp_path / "sources")!r}) as ix:
    ix.add_documents([Document(id=str(n), title="Budget", body="The NHS budget.",
                               source=f"Paper number {{n}}") for n in range(40)])
    ix.trends(["budget", "NHS"], by="source").plot({str(tmp_path / "sources.png")!r})
print([[float(inches) for inches in figure.get_size_inches()] for figure in drawn])
""", cli_env)
    (trends_wide, trends_tall), (count_wide, _), (sources_wide, sources_tall) = eval(sizes)
    assert trends_tall >= 32 / 8 + 1
    assert trends_wide <= count_wide
    assert sources_tall >= 80 / 8 + 1 and sources_wide <= 10  # (40 sources: 15 wide before)


def test_a_note_that_names_its_query_is_not_prefixed_with_it_again(index):
    # ("note party:xyz: party:xyz matched nothing: ...": the prefix says which of several
    # queries a note is of, which this one says itself)
    printed = run(index, "Labour", "party:xyz").output
    assert "party:xyz matched nothing" in printed
    assert "party:xyz: party:xyz" not in printed


def test_trends_by_source_of_documents_with_no_source_say_so_as_by_year(index):
    # (on the BBC articles, which name no source, `trends QUERY --by source` raised IndexError)
    with CorpusIndex(index.path.parent / "sourceless") as sourceless:
        sourceless.add_documents([Document(id="s", title="t", body="Labour's budget.")])
        printed = run(sourceless, "budget", "--by", "source")
    assert printed.exit_code == 0, printed.output
    assert ("Matching documents: budget 1; none of them has a source (--by party counts them "
            "otherwise).") in printed.stdout
