"""The command line as a user meets it: output that survives a pipe, errors on one line, empty
results that say why, listing documents, progress by phase, and an install without evaluation.

Most tests run the command in-process with click's CliRunner (its output is not a terminal,
like a pipe); those about what a real pipe or a real process shows run it as a subprocess.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import SEEDS, corpus_search_command
from corpus_search import CorpusIndex, Document, rebuild_index
from corpus_search.cli import READING_COMMANDS, cli
from corpus_search.index import gone_folders, unnamed_folders
from corpus_search.ingest.report import file_kinds
from corpus_search.ingesting import PROGRESS_PHASES

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
EVAL_FIXTURE = Path(__file__).parent / "fixtures" / "eval"


@pytest.fixture(scope="module")
def articles_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of tests/fixtures/articles: nine dated and undated political news items."""
    path = tmp_path_factory.mktemp("articles") / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(ARTICLES)
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*corpus_search_command(), *args], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def piped_env(cli_env: dict[str, str]) -> dict[str, str]:
    """A process environment whose output is a pipe and nothing pretends otherwise."""
    env = {k: v for k, v in cli_env.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "80"
    return env


# -- output through a pipe ------------------------------------------------------------------


def test_piped_search_results_mark_the_matched_words(articles_index: Path, piped_env):
    result = run(["search", "NHS", "--index", str(articles_index)], piped_env)
    assert result.returncode == 0, result.stderr
    assert "**NHS**" in result.stdout
    assert "\x1b[" not in result.stdout


def test_piped_output_keeps_each_result_line_whole(articles_index: Path, piped_env):
    result = run(["search", "marginal seats", "--index", str(articles_index)], piped_env)
    lines = result.stdout.splitlines()
    assert "1. Election night: marginal seats decide the result  politics/005" in lines[2]
    snippet = next(line for line in lines if "**marginal seats**" in line)
    assert len(snippet) > 80  # one line, however long: not wrapped at the pipe's 80 columns


def test_an_error_is_one_line_when_piped(tmp_path: Path, piped_env):
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "index"
    result = run(["search", "NHS", "--index", str(deep)], piped_env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert str(deep) in result.stderr


def test_a_bad_index_from_the_environment_says_the_environment_gave_it(
    tmp_path: Path, piped_env
):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    given = run(["search", "NHS", "--index", str(a_file)], piped_env)
    from_env = run(["search", "NHS"], {**piped_env, "CORPUS_SEARCH_INDEX": str(a_file)})
    assert given.returncode == from_env.returncode == 2
    assert "environment" not in given.stderr
    assert from_env.stderr.count("\n") == 1
    assert "It comes from the environment variable CORPUS_SEARCH_INDEX" in from_env.stderr


@pytest.mark.parametrize("where", ["under a file", "in /proc"])
def test_an_index_folder_that_cannot_be_created_is_a_one_line_error(
    where: str, tmp_path: Path, piped_env
):
    if where == "in /proc":
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc on this system")
        target = Path("/proc/corpus-search-index")
    else:
        (tmp_path / "a-file").write_text("not a folder\n")
        target = tmp_path / "a-file" / "index"
    result = run(["index", str(ARTICLES), "--index", str(target)], piped_env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"Cannot create the index folder {target}" in result.stderr
    if where == "under a file":
        assert "a-file is a file, not a folder" in result.stderr


def test_a_folder_with_no_supported_files_says_so_and_exits_1(tmp_path: Path, without_the_extra):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "letter.docx").write_bytes(b"PK\x03\x04")
    result = invoke("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert "holds no file that can be indexed" in result.stdout
    assert ("(supported: .csv, .htm, .html, .jsonl, .md, .txt); it holds 1 .docx and 1 .pdf;"
            in result.stdout)
    assert "note" not in result.stdout  # the warning says it: no second line


def test_a_copy_of_a_hit_above_it_says_so_under_its_title(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(f"news/{n}", "Budget day", "The Chancellor spoke.")
                          for n in (1, 2)])
    lines = invoke("search", "budget", "--index", str(tmp_path / "ix")).stdout.splitlines()
    second = lines.index(next(line for line in lines if line.startswith("2. ")))
    first_id = lines[2].split()[-4]
    assert lines[second + 1] == f"   The same text as {first_id}, above."  # not its snippet
    assert not any("same text" in line for line in lines[:second])
    assert sum("Chancellor" in line for line in lines) == 1


def test_files_of_other_kinds_beside_those_read_are_counted_in_a_note(
    tmp_path: Path, without_the_extra
):
    folder = tmp_path / "articles"
    (folder / "saved").mkdir(parents=True)
    (folder / "a.txt").write_text("Budget day\n\nThe Chancellor spoke.\n", encoding="utf-8")
    for n in range(4):
        (folder / "saved" / f"page{n}.DOCX").write_bytes(b"PK\x03\x04")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "README").write_text("notes\n")
    (folder / ".hidden.docx").write_text("x\n")  # hidden: neither read nor counted
    result = invoke("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == (
        "  note 6 files of other kinds not read: 4 .docx, 1 file without extension and 1 .pdf "
        "(read: .csv, .htm, .html, .jsonl, .md, .txt); the documents extra reads the .docx and "
        ".pdf files: pip install '.[documents]' in a source checkout (pip install "
        "'corpus-search[documents]' from a package index)")
    report = json.loads(invoke("index", str(folder), "--index", str(tmp_path / "ix"),
                               "--json").stdout)["reports"][0]
    assert report["other_files"] == {".docx": 4, "": 1, ".pdf": 1}


def test_a_report_names_five_kinds_of_file_and_counts_the_rest():
    counts = {".html": 9, ".pdf": 8, ".docx": 7, ".xml": 6, ".rtf": 5, ".doc": 2, ".odt": 1}
    assert file_kinds(counts) == (
        "9 .html, 8 .pdf, 7 .docx, 6 .xml, 5 .rtf and 3 files of 2 other kinds")
    assert file_kinds({".pdf": 1}) == "1 .pdf"


def test_indexing_a_folder_inside_one_the_index_holds_is_a_one_line_error_and_changes_nothing(
    tmp_path: Path,
):
    (tmp_path / "bbc" / "politics").mkdir(parents=True)
    (tmp_path / "bbc" / "politics" / "001.txt").write_text("Maternity pay\n\nPay.\n", "utf-8")
    ix = str(tmp_path / "ix")
    assert invoke("index", str(tmp_path / "bbc"), "--index", ix).exit_code == 0
    result = invoke("index", str(tmp_path / "bbc" / "politics"), "--index", ix)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'bbc' / 'politics'} lies inside "
                                    f"{tmp_path / 'bbc'}, which the index at")
    assert len(result.stderr.splitlines()) == 1
    assert json.loads(invoke("search", "maternity pay", "--index", ix, "--json").stdout)[
        "total"] == 1


def test_a_folder_named_twice_or_through_a_link_is_read_and_reported_once(tmp_path: Path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Budget day\n\nThe Chancellor spoke.\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(corpus)
    result = invoke("index", str(corpus), str(tmp_path / "link"), "--index",
                    str(tmp_path / "ix"), "--json")
    assert result.exit_code == 0
    assert [(r["root"], r["indexed"]) for r in json.loads(result.stdout)["reports"]] == [
        (str(corpus), 1)]


def test_indexing_an_empty_folder_into_a_new_index_makes_no_index_and_no_folder(
    tmp_path: Path,
):
    (tmp_path / "empty").mkdir()
    index = tmp_path / "data" / "corpus-search" / "index"
    result = invoke("index", str(tmp_path / "empty"), "--index", str(index))
    assert result.exit_code == 1
    assert "nothing to index" in result.stdout
    assert result.stderr == f"index: nothing indexed, so no index was made at {index}\n"
    assert not (tmp_path / "data").exists()


def test_indexing_an_empty_folder_into_an_index_of_your_own_folder_keeps_the_folder(
    tmp_path: Path,
):
    (tmp_path / "empty").mkdir()
    (tmp_path / "ix").mkdir()
    assert invoke("index", str(tmp_path / "empty"), "--index", str(tmp_path / "ix")).exit_code == 1
    assert list((tmp_path / "ix").iterdir()) == []


def test_indexing_an_empty_folder_into_an_index_leaves_the_index_as_it_was(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    ix = tmp_path / "ix"
    invoke("index", str(ARTICLES), "--index", str(ix))
    before = {f.name: f.read_bytes() for f in ix.iterdir() if f.is_file()}
    assert invoke("index", str(tmp_path / "empty"), "--index", str(ix)).exit_code == 1
    assert {f.name: f.read_bytes() for f in ix.iterdir() if f.is_file()} == before


def test_a_folder_whose_every_file_is_skipped_exits_1_and_one_all_unchanged_exits_0(
    tmp_path: Path,
):
    # (into an index that exists, "0 documents written" of a folder holding only a CSV with no
    # text column exited 0, as if it had indexed it)
    ix = tmp_path / "ix"
    assert invoke("index", str(ARTICLES), "--index", str(ix)).exit_code == 0
    (tmp_path / "sheet").mkdir()
    (tmp_path / "sheet" / "table.csv").write_text("a,b\n1,2\n")
    result = invoke("index", str(tmp_path / "sheet"), "--index", str(ix))
    assert result.exit_code == 1
    assert "0 documents written" in result.stdout and "skipped table.csv" in result.stdout
    # nothing new, nothing skipped: success, as before
    assert invoke("index", str(ARTICLES), "--index", str(ix)).exit_code == 0


# -- stats, show ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_sources_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """25 sources, the first with the most documents; years 1999-2012, out of order."""
    folder = tmp_path_factory.mktemp("sources")
    records = []
    for n in range(25):
        for copy in range(2 if n == 0 else 1):
            year = 1999 + (n * 5) % 14
            records.append({"id": f"s{n}-{copy}", "title": f"Report {n}", "body": "Labour.",
                            "source": f"Source {n:02d}", "date": f"{year}-05-01"})
    records.append({"id": "undated", "title": "No date", "body": "Conservatives."})
    (folder / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    path = tmp_path_factory.mktemp("sources-index") / "ix"  # not inside the folder it indexes
    with CorpusIndex(path) as ix:
        ix.index_directory(folder)
    return path


def test_stats_says_how_many_sources_it_left_out_and_all_lists_them(many_sources_index: Path):
    result = invoke("stats", "--index", str(many_sources_index))
    assert result.exit_code == 0
    assert "Source 00" in result.stdout  # the most frequent comes first
    assert sum(f"Source {n:02d}" in result.stdout for n in range(25)) == 20
    assert "… and 5 more sources (--all lists them)" in result.stdout
    every = invoke("stats", "--all", "--index", str(many_sources_index))
    assert all(f"Source {n:02d}" in every.stdout for n in range(25))
    assert "more sources" not in every.stdout


def test_stats_counts_under_the_parties_the_documents_naming_none(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="a", title="Fees", body="The Lib Dems and Labour argued over fees."),
            Document(id="c", title="Fees", body="Students protested about fees."),
        ])
    shown = invoke("stats", "--index", str(tmp_path / "ix")).stdout
    assert "by party\n  Labour              1\n  Liberal Democrat    1\n" \
           "  no party            1\nby year\n" in shown


def test_stats_lists_every_year_in_date_order_and_the_undated(many_sources_index: Path):
    result = invoke("stats", "--index", str(many_sources_index))
    years = [line.split()[0] for line in result.stdout.split("by year")[1].splitlines()
             if line.strip()[:2] in ("19", "20")]
    assert years == sorted(years) and len(years) == 14
    assert result.stdout.split("by year")[1].splitlines()[-1].split() == ["no", "date", "1"]
    data = json.loads(invoke("stats", "--json", "--index", str(many_sources_index)).stdout)
    assert list(data["years"]) == sorted(data["years"])


def test_show_json_uses_the_search_hit_schema(articles_index: Path):
    shown = json.loads(invoke("show", "politics/007", "--json", "--index",
                              str(articles_index)).stdout)
    found = json.loads(invoke("search", "id:politics/007", "--json", "--index",
                              str(articles_index)).stdout)["hits"][0]
    ranking_only = {"rank", "score", "snippet", "snippet_html", "same_as"}
    assert set(shown) == set(found) - ranking_only | {"schema", "file", "path", "body"}
    assert {k: shown[k] for k in set(found) - ranking_only} == {
        k: found[k] for k in set(found) - ranking_only}
    assert shown["parties"] == ["Conservative", "Labour", "Liberal Democrat"]
    assert shown["url"] is None and shown["date"] == "2017-03-13"
    assert shown["source"] == "PoliticsHome"
    assert shown["file"] == "articles/politics/007.txt"  # (as its citation names it)
    assert shown["path"] == str(ARTICLES.resolve() / "politics" / "007.txt")
    assert shown["body"].startswith("Posted On:")


@pytest.mark.parametrize("command", ["show", "similar"])
def test_an_id_with_spaces_typed_unquoted_is_that_id_as_a_query_s_words_are_one_query(
        tmp_path: Path, command: str):
    # (a file named "Budget speech 2024.txt", its id copied from search's output: "Got
    # unexpected extra argument (speech)")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "Budget speech 2024.txt").write_text(
        "Budget speech\n\nThe Chancellor spoke of the NHS and of Labour's plans.\n",
        encoding="utf-8")
    (folder / "other.txt").write_text("Other\n\nThe NHS and Labour's plans again.\n",
                                      encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
    result = invoke(command, "Budget", "speech", "2024", "--json", "--index",
                    str(tmp_path / "ix"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["id"] if command == "show" else data["query"]) in (
        "Budget speech 2024", "similar:Budget speech 2024")
    assert invoke(command, "--index", str(tmp_path / "ix")).exit_code == 2  # (an id is needed)


def test_show_prints_the_parties_as_a_list_and_the_date_with_its_source(articles_index: Path):
    result = invoke("show", "politics/007", "--index", str(articles_index))
    assert "date: 2017-03-13 (guessed from its dateline)" in result.stdout
    assert "parties: Conservative, Labour, Liberal Democrat" in result.stdout


# -- results that are not there -------------------------------------------------------------


def test_paging_past_the_end_says_so_and_exits_1(articles_index: Path):
    result = invoke("search", "NHS", "--limit", "2", "--page", "3", "--index",
                    str(articles_index))
    assert result.exit_code == 1
    assert "Page 3 is past the end: 3 results fill 2 pages of 2." in result.stdout
    as_json = invoke("search", "NHS", "--limit", "2", "--page", "3", "--json", "--index",
                     str(articles_index))
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["total"] == 3 and data["hits"] == []
    assert data["notes"] == ["Page 3 is past the end: 3 results fill 2 pages of 2."]
    assert as_json.stderr == ""  # the JSON says it
    assert invoke("search", "NHS", "--limit", "2", "--page", "2", "--index",
                  str(articles_index)).exit_code == 0


@pytest.mark.parametrize(("command", "option", "values"), [
    ("search", "--party", ["Conservative", "Labour"]),
    ("list", "--source", ["BBC", "Guardian"]),
    ("search", "--since", ["2004", "2005"]),
    ("list", "--until", ["2004", "2005"]),
    # (click kept the last: count by year where by party was asked too, key terms against
    # UKIP's stories alone where the Tories' were asked for too, each without a word)
    ("count", "--by", ["party", "year"]),
    ("trends", "--by", ["source", "month"]),
    ("key-terms", "--against", ["Tories", "UKIP"]),
])
def test_an_option_of_one_value_given_twice_is_a_one_line_usage_error(
    articles_index: Path, command: str, option: str, values: list[str]
):
    query = {"search": ["Blair"], "list": [], "trends": ["Blair", "NHS"]}.get(command, ["Blair"])
    result = invoke(command, *query, option, values[0], option, values[1],
                    "--index", str(articles_index))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option} was given 2 times ('{values[0]}', "
                                    f"'{values[1]}'); it takes one ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("command", "option", "values"), [
    # (click kept the last: fifty results where five were asked for, a page, an order, a
    # width, a format, a chart's file, a place or a query to mark other than one typed)
    ("search", "--sort", ["date", "relevance"]), ("search", "--limit", ["5", "50"]),
    ("list", "--page", ["1", "2"]), ("concordance", "--width", ["20", "40"]),
    ("concordance", "--sort", ["date", "relevance"]), ("concordance", "--limit", ["1", "2"]),
    ("similar", "--limit", ["1", "2"]), ("key-terms", "--limit", ["1", "2"]),
    ("key-terms", "--min-documents", ["1", "2"]), ("export", "--format", ["csv", "jsonl"]),
    ("count", "--plot", ["a.png", "b.png"]), ("trends", "--plot", ["a.png", "b.png"]),
    ("show", "--mark", ["Blair", "NHS"]), ("show", "--at", ["0", "10"]),
])
def test_a_single_value_option_given_twice_is_a_usage_error_and_nothing_is_written(
        articles_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str,
        option: str, values: list[str]):
    monkeypatch.chdir(tmp_path)  # (where a chart or an export would be written)
    query = {"list": [], "trends": ["Blair", "NHS"], "export": ["Blair", "out.csv"],
             "show": ["politics/001"], "similar": ["politics/001"]}.get(command, ["Blair"])
    result = invoke(command, *query, option, values[0], option, values[1],
                    "--index", str(articles_index))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option} was given 2 times (")
    assert "; it takes one " in result.stderr and len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("option", "values"), [
    ("--source", ["The Guardian", "BBC News"]), ("--id-prefix", ["a/", "b/"]),
    ("--dates", ["one.csv", "two.csv"]), ("--date-from-path", ["%Y", "%Y%m%d"]),
])
def test_an_index_option_it_remembers_given_twice_is_one_line_and_nothing_is_indexed(
        tmp_path: Path, option: str, values: list[str]):
    # (click kept the last, and the index recorded it for the folder without a word)
    result = invoke("index", str(ARTICLES), option, values[0], option, values[1],
                    "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option} was given 2 times ('{values[0]}', "
                                    f"'{values[1]}'); it takes one ")
    assert not (tmp_path / "ix").exists()


TOPICS, QRELS = str(EVAL_FIXTURE / "topics.tsv"), str(EVAL_FIXTURE / "qrels.txt")


@pytest.mark.parametrize(("args", "option", "values"), [
    # (click kept the last without a word: an index written by other processes, dates guessed
    # otherwise, another analysis, server, address, port, collection or report than typed;
    # each command's other arguments make it fail at once should a repeat get through)
    (["index", str(ARTICLES), "--index", "ix"], "--procs", ["1", "2"]),
    (["index", str(ARTICLES), "--index", "ix"], "--date-from", ["dateline", "none"]),
    (["analyze", "the PLP", "--index", "ix"], "--mode", ["index", "query"]),
    (["serve", "--stop"], "--idle-minutes", ["1.5", "2.5"]),
    (["web", "--index", "ix"], "--host", ["127.0.0.1", "localhost"]),
    (["web", "--index", "ix"], "--port", ["0", "8080"]),
    *[(["eval", str(EVAL_FIXTURE / "docs"), "--topics", TOPICS, "--qrels", QRELS,
        "--dev-topics", TOPICS], option, values)
      for option, values in [("--report", ["a.md", "b.md"]), ("--folds", ["2", "3"]),
                             ("--party-tags", [QRELS, TOPICS])]],
    (["eval", str(EVAL_FIXTURE / "docs"), "--qrels", QRELS, "--dev-topics", TOPICS],
     "--topics", [TOPICS, QRELS]),
    (["eval", str(EVAL_FIXTURE / "docs"), "--topics", TOPICS, "--dev-topics", TOPICS],
     "--qrels", [QRELS, TOPICS]),
    (["eval", str(EVAL_FIXTURE / "docs"), "--topics", TOPICS, "--qrels", QRELS],
     "--dev-topics", [TOPICS, QRELS]),
    (["eval", str(EVAL_FIXTURE / "docs"), "--topics", TOPICS, "--qrels", QRELS],
     "--dev-qrels", [QRELS, TOPICS]),
])
def test_an_index_web_serve_analyze_or_eval_option_of_one_value_given_twice_is_a_usage_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], option: str,
        values: list[str]):
    monkeypatch.chdir(tmp_path)  # (where a report would be written)
    result = invoke(*args, option, values[0], option, values[1])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option} was given 2 times ('{values[0]}', "
                                    f"'{values[1]}'); it takes one ")
    assert len(result.stderr.splitlines()) == 1 and list(tmp_path.iterdir()) == []


def test_columns_given_twice_map_every_column_they_name(tmp_path: Path):
    # (click kept the last: the title column mapped first was read as no title, with a
    # warning advising the very --columns title=headline that had been given)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "x.csv").write_text("Headline,Story\nBudget row,The Chancellor spoke.\n",
                                  encoding="utf-8")
    result = invoke("index", str(folder), "--columns", "title=headline", "--columns",
                    "text=story", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0 and "warning" not in result.stderr
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert [(hit.title, ix.get(hit.id).body) for hit in ix.list_documents()] == [
            ("Budget row", "The Chancellor spoke.")]
    both = invoke("index", str(folder), "--columns", "", "--columns", "text=story",
                  "--index", str(tmp_path / "ix"))
    assert both.exit_code == 2 and "--columns '' (the usual column names) goes alone" in (
        both.stderr)


@pytest.mark.parametrize("command", [["concordance", "Labour"], ["count", "Labour"],
                                     ["trends", "Labour", "NHS"], ["key-terms", "Labour"]])
def test_csv_and_json_together_are_a_one_line_usage_error_not_json_alone(
    articles_index: Path, command: list[str]
):
    # (JSON was printed, exit 0, and the CSV asked for dropped without a word)
    result = invoke(*command, "--csv", "--json", "--index", str(articles_index))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: --csv and --json each choose the output: give "
                                    "one, not both.")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(("typed", "hint"), [
    # (a query of several words typed unquoted, as search takes it: "Got unexpected extra
    # argument (ld.csv)" alone)
    (["Lib", "Dems", "ld.csv", "--since", "2005"],
     ". A query of several words is one argument, quoted: corpus-search export 'Lib Dems' "
     "ld.csv --since 2005"),
    # (the file alone, after filters: it was read as the query, "Missing argument 'OUT'")
    (["--party", "UKIP", "ukip.csv"],
     " ukip.csv was read as the query; every document the filters keep: corpus-search "
     "export '*' ukip.csv --party UKIP"),
    (["NHS"], " The file to write comes after the query: corpus-search export NHS out.csv"),
])
def test_export_s_query_and_file_typed_otherwise_are_one_line_with_the_line_to_type(
    articles_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: list[str],
    hint: str
):
    monkeypatch.chdir(tmp_path)
    result = invoke("export", *typed, "--index", str(articles_index))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert f"{hint} --index {articles_index} (see: " in result.stderr
    assert list(tmp_path.iterdir()) == []  # (nothing written)


@pytest.mark.parametrize("option", ["--party", "--source", "--since", "--until"])
def test_an_empty_filter_value_is_a_usage_error_not_no_filter(articles_index: Path, option: str):
    result = invoke("search", "Labour", option, "", "--index", str(articles_index))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option} '' names no ")


@pytest.mark.parametrize("command", [["index", str(ARTICLES)], ["search", "Labour"],
                                     ["stats"], ["check"]])
def test_an_empty_index_option_is_a_usage_error_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
):
    """``--index "$INDEX"`` with INDEX unset: ``--index ''`` was the current folder, where
    ``index`` made an index of its own among whatever files were there to come (an empty
    CORPUS_SEARCH_INDEX means the default index)."""
    monkeypatch.chdir(tmp_path)
    result = invoke(*command, "--index", "")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --index '' names no index folder: give one, or "
                                    "leave --index out for your default index.")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_since_after_the_until_is_one_line_in_the_commands_own_words(articles_index: Path):
    """The command names its options, as its other date errors do (``--since '2019-13' is
    no date``), not the library's keywords: "since (2020-01-01) is after until"."""
    result = invoke("search", "Labour", "--since", "2020", "--until", "March 2018",
                    "--index", str(articles_index))
    assert result.exit_code == 2
    assert result.stderr == ("error: --since '2020' (2020-01-01) is after --until 'March 2018' "
                             "(2018-03-31): no date is in between.\n")


def test_a_filter_option_given_once_still_filters(articles_index: Path):
    everything = json.loads(invoke("list", "--index", str(articles_index), "--json").stdout)
    labour = json.loads(invoke("list", "--party", "Labour", "--index", str(articles_index),
                               "--json").stdout)
    assert 0 < labour["total"] < everything["total"]


def test_a_party_no_document_mentions_names_the_parties_there_are(articles_index: Path):
    result = invoke("search", "NHS", "--party", "Whig", "--index", str(articles_index))
    assert result.exit_code == 1
    note = next(line for line in result.stdout.splitlines() if "'Whig'" in line)
    assert note.startswith("No document mentions the party 'Whig'; parties in this index: ")
    assert {"Labour", "Conservative", "Liberal Democrat", "DUP"} <= set(
        note.split(": ", 1)[1].rstrip(".").split(", "))


def test_a_party_option_naming_two_parties_is_one_line_naming_them_exit_2(articles_index: Path):
    result = invoke("search", "NHS", "--party", "Labour,Conservative", "--index",
                    str(articles_index))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: A party filter names one party, and "
                                    "'Labour,Conservative' names 2 (Conservative, Labour)")
    assert len(result.stderr.splitlines()) == 1


def test_a_source_no_document_has_names_the_sources_there_are(articles_index: Path):
    result = invoke("list", "--source", "The Guardian", "--index", str(articles_index))
    assert result.exit_code == 1
    assert ("No document is from the source 'The Guardian'; sources in this index: "
            "PoliticsHome.") in result.stdout


@pytest.mark.parametrize(("option", "typed", "said"), [
    ("--party", "Lbour", "No document mentions the party 'Lbour'; did you mean Labour? "
                         "Parties in this index: "),
    ("--party", "conservatve", "did you mean Conservative? Parties in this index: "),
    ("--source", "Politics Home", "No document is from the source 'Politics Home'; did you mean "
                                  "PoliticsHome? Sources in this index: PoliticsHome."),
])
def test_a_filter_a_letter_or_two_from_a_name_of_the_index_asks_whether_that_was_meant(
    articles_index: Path, option: str, typed: str, said: str
):
    """A typo had been told only the list of every party, the one meant somewhere in it."""
    result = invoke("search", "NHS", option, typed, "--index", str(articles_index))
    assert result.exit_code == 1
    assert said in " ".join(result.stdout.split())


def test_a_date_range_with_no_dated_document_names_the_years_that_have_some(
    articles_index: Path,
):
    result = invoke("search", "NHS", "--since", "2010", "--until", "2016", "--index",
                    str(articles_index))
    assert result.exit_code == 1
    assert ("No document is dated from 2010-01-01 to 2016-12-31: the nearest dated documents "
            "are from 2005-06-15, before it, and 2017-03-13, after it (dated documents are from "
            "2003, 2004, 2005, 2017, 2018 and 2019).") in result.stdout


@pytest.mark.parametrize(("dates", "said"), [
    (["--since", "2019-02"], ": the newest dated document is from 2019-01-16 ("),
    (["--since", "2005-06-16", "--until", "2005-06-30"],
     ": the nearest dated documents are from 2005-06-15, before it, and 2017-03-13, after it ("),
    (["--until", "2003-06"], ": the oldest dated document is from 2003-09-19 ("),
])
def test_a_date_range_inside_the_years_that_have_documents_names_the_nearest_dates(
    articles_index: Path, dates: list[str], said: str
):
    """A range a day past the last document (a typo, or a guess at how far a collection runs)
    had been told "dated documents are from ... 2019", a year the range is in."""
    result = invoke("list", *dates, "--index", str(articles_index))
    assert result.exit_code == 1
    assert said in result.stdout.replace("\n", " ")


def test_filters_that_each_keep_something_are_not_blamed(articles_index: Path):
    result = invoke("search", "Blunkett", "--party", "DUP", "--index", str(articles_index))
    assert result.exit_code == 1
    assert "No results for" in result.stdout and "No document" not in result.stdout


# -- list -----------------------------------------------------------------------------------


def test_list_prints_ids_dates_and_titles_newest_first_undated_last(articles_index: Path):
    result = invoke("list", "--index", str(articles_index))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "9 documents, showing 1-9 (page 1 of 1)"
    assert lines[1].split() == ["politics/006", "2019-01-16", "MPs", "prepare", "for", "no",
                                "confidence", "vote"]
    assert lines[-1].split()[:2] == ["tech/001", "-" * 10]
    dates = [line.split()[1] for line in lines[1:-1]]
    assert dates == sorted(dates, reverse=True)


def test_list_takes_the_filters_paging_and_json_of_search(articles_index: Path):
    labour_2005 = invoke("list", "--party", "Lib Dems", "--since", "2005", "--json",
                         "--index", str(articles_index))
    data = json.loads(labour_2005.stdout)
    assert [h["id"] for h in data["hits"]] == ["politics/007", "politics/005"]
    assert data["undated_left_out"] == 0 and data["total"] == 2
    assert all(h["score"] is None and h["snippet"] is None for h in data["hits"])
    page = invoke("list", "--limit", "4", "--page", "3", "--index", str(articles_index))
    assert page.exit_code == 0
    assert page.stdout.splitlines()[0] == "9 documents, showing 9-9 (page 3 of 3)"
    assert invoke("list", "--limit", "4", "--page", "4", "--index",
                  str(articles_index)).exit_code == 1


def test_search_facets_count_every_match_not_only_the_page(articles_index: Path):
    args = ["Labour", "--limit", "1", "--index", str(articles_index)]
    data = json.loads(invoke("search", *args, "--json").stdout)
    lines = invoke("search", *args, "--facets").stdout.splitlines()
    blank = lines.index("")
    assert lines[0].startswith(f"{data['total']} results for Labour, showing 1-1")
    counted = {}
    for line in lines[1:blank]:
        if line.startswith("by "):
            heading = line[3:]
        else:
            name, count = line.strip().rsplit(None, 1)
            counted.setdefault(heading, {})[name] = int(count)
    undated = data["total"] - sum(data["facets"]["year"].values())
    unsourced = data["total"] - sum(data["facets"]["source"].values())
    assert counted == {
        "source": {**data["facets"]["source"], **({"no source": unsourced} if unsourced else {})},
        "party": {**data["facets"]["party"],
                  **({"no party": data["without_party"]} if data["without_party"] else {})},
        "year": {**dict(sorted(data["facets"]["year"].items())),
                 **({"no date": undated} if undated else {})},
    }
    assert sum(counted["year"].values()) == data["total"] > 1
    assert lines[blank + 1].startswith("1. ")
    assert "by party" not in invoke("search", *args).stdout


def test_search_facets_count_the_matches_that_name_no_party_so_the_parties_add_up(
    tmp_path: Path,
):
    # (4 results counted "Labour 2, Conservative 1, Liberal Democrat 1": the fourth, naming no
    # party, was in no line, and the parties seemed to be all of them)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="a", title="Fees", body="The Lib Dems and Labour argued over fees."),
            Document(id="b", title="Fees", body="The Tories attacked tuition fees."),
            Document(id="d", title="Fees", body="Labour rebels opposed the fees."),
            Document(id="c", title="Fees", body="Students protested about fees."),
        ])
    lines = invoke("search", "fees", "--facets", "--index", str(tmp_path / "ix")).stdout
    assert "\nby party\n  Labour              2\n  Conservative        1\n" \
           "  Liberal Democrat    1\n  no party            1\nby year\n" in lines
    listed = invoke("list", "--facets", "--index", str(tmp_path / "ix")).stdout
    assert "  no party            1\n" in listed


def test_list_facets_count_the_documents_the_filters_keep(articles_index: Path):
    lines = invoke("list", "--party", "Labour", "--limit", "1", "--facets", "--index",
                   str(articles_index)).stdout.splitlines()
    total = int(lines[0].split()[0])
    assert lines[1] == "by source" and "by party" in lines and "by year" in lines
    labour = next(line for line in lines if line.strip().startswith("Labour "))
    assert int(labour.split()[-1]) == total
    assert lines[-2] == "" and lines[-1].startswith("politics/")  # then the one listed


def test_list_documents_is_the_library_function_behind_list(articles_index: Path):
    with CorpusIndex.open(articles_index) as ix:
        listed = ix.list_documents({"since": "2005", "until": "2005"}, limit=10)
        assert [h.id for h in listed.hits] == ["business/001", "politics/005", "politics/003"]
        assert listed.undated_left_out == 1
        data = json.loads(invoke("list", "--since", "2005", "--until", "2005", "--limit", "10",
                                 "--json", "--index", str(articles_index)).stdout)
        assert data == listed.to_dict()


# -- query fields ---------------------------------------------------------------------------


def test_an_id_query_finds_that_document_and_a_prefix_finds_its_folder(articles_index: Path):
    one = json.loads(invoke("search", "id:politics/001", "--json", "--index",
                            str(articles_index)).stdout)
    assert [h["id"] for h in one["hits"]] == ["politics/001"]
    folder = json.loads(invoke("search", "id:politics/*", "--json", "--index",
                               str(articles_index)).stdout)
    assert folder["total"] == 7


def test_a_year_query_finds_the_documents_dated_that_year(articles_index: Path):
    year = json.loads(invoke("search", "year:2005", "--json", "--index",
                             str(articles_index)).stdout)
    assert sorted(h["id"] for h in year["hits"]) == ["business/001", "politics/003",
                                                     "politics/005"]
    nhs = json.loads(invoke("search", "year:2005 AND NHS", "--json", "--index",
                            str(articles_index)).stdout)
    assert [h["id"] for h in nhs["hits"]] == ["politics/003"]


# -- progress -------------------------------------------------------------------------------


@pytest.mark.parametrize("procs", [1, 2])
def test_indexing_reports_reading_writing_and_committing_in_order(procs: int, tmp_path: Path):
    events: list[tuple[str, int, int, str]] = []
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(ARTICLES, procs=procs, progress=lambda *e: events.append(e))
    phases = [e[0] for e in events]
    assert sorted(set(phases), key=phases.index) == list(PROGRESS_PHASES)
    assert phases == sorted(phases, key=PROGRESS_PHASES.index)
    reading = [e for e in events if e[0] == "reading"]
    assert [e[1] for e in reading] == list(range(1, 10)) and reading[-1][2] == 9
    assert reading[0][3] == "business/001.txt"
    writing = [e for e in events if e[0] == "writing"]
    assert writing[-1][1:3] == (9, 9)
    assert [e[1] for e in writing] == sorted(e[1] for e in writing)
    # committing is said once, and has no count of its own: 0 of 0, no item
    assert [e for e in events if e[0] == "committing"] == [("committing", 0, 0, "")]


@pytest.mark.parametrize("procs", [1, 2])
def test_a_rebuild_reports_reading_writing_and_committing_in_order(procs: int, tmp_path: Path):
    """A rebuild reads every folder, then writes the documents of all of them as one count."""
    events: list[tuple[str, int, int, str]] = []
    rebuild_index(tmp_path / "ix", [ARTICLES, SEEDS], procs=procs,
                  progress=lambda *e: events.append(e))
    phases = [e[0] for e in events]
    assert sorted(set(phases), key=phases.index) == list(PROGRESS_PHASES)
    assert phases == sorted(phases, key=PROGRESS_PHASES.index)
    reading = [e for e in events if e[0] == "reading"]
    assert [(e[1], e[2]) for e in reading] == [(n, 9) for n in range(1, 10)] + [
        (n, 5) for n in range(1, 6)
    ]
    writing = [e for e in events if e[0] == "writing"]
    assert writing[0][1:3] == (0, 14) and writing[-1][1:3] == (14, 14)
    assert [e[1] for e in writing] == sorted(e[1] for e in writing)
    assert [e for e in events if e[0] == "committing"] == [("committing", 0, 0, "")]


def test_a_run_that_writes_no_document_still_says_it_is_committing(tmp_path: Path):
    """A file removed since, the other unchanged: nothing to write, but a document to delete
    and the index to commit."""
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("Labour plans\n\nThe Labour party plans a rise.\n")
    (folder / "b.txt").write_text("Tory plans\n\nThe Tory party plans a cut.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        (folder / "a.txt").unlink()
        events: list[tuple[str, int, int, str]] = []
        ix.index_directory(folder, progress=lambda *e: events.append(e))
    assert [e for e in events if e[0] == "committing"] == [("committing", 0, 0, "")]


@pytest.mark.parametrize("rebuild", [[], ["--rebuild"]], ids=["index", "rebuild"])
def test_the_progress_bar_shows_each_phase(rebuild: list[str], tmp_path: Path, cli_env):
    env = {**cli_env, "FORCE_COLOR": "1"}  # stderr counts as a terminal
    result = run(["index", str(ARTICLES), "--index", str(tmp_path / "ix"), *rebuild], env)
    assert result.returncode == 0, result.stderr
    for phase in PROGRESS_PHASES:
        assert f"{phase} {ARTICLES}" in result.stderr


def test_no_progress_bar_is_drawn_into_a_pipe(tmp_path: Path, piped_env):
    result = run(["index", str(ARTICLES), "--index", str(tmp_path / "ix")], piped_env)
    assert "reading" not in result.stderr and "\x1b[" not in result.stderr


# -- evaluation is an extra -----------------------------------------------------------------


def without_module(module: str, args: list[str], env: dict[str, str],
                   cwd: Path) -> subprocess.CompletedProcess:
    """``corpus-search ARGS`` in a process where ``module`` cannot be imported, as when the
    extra that brings it is not installed."""
    program = (f"import sys\nsys.modules[{module!r}] = None\n"
               "from corpus_search.cli import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", program, *args], env=env,
                          capture_output=True, text=True, timeout=120, cwd=cwd)


EVAL_EXTRA = ("corpus-search eval needs the eval extra (ir_measures is not installed): pip "
              "install '.[eval]' in a source checkout (pip install 'corpus-search[eval]' "
              "from a package index)")


def test_eval_without_the_eval_extra_says_how_to_install_it_in_one_line(cli_env, tmp_path):
    result = without_module("ir_measures", [
        "eval", str(EVAL_FIXTURE / "docs"), "--topics", str(EVAL_FIXTURE / "topics.tsv"),
        "--qrels", str(EVAL_FIXTURE / "qrels.txt")], cli_env, tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"error: {EVAL_EXTRA}\n"


@pytest.mark.parametrize(("args", "usage_error"), [
    (["--bogus"], "No such option '--bogus'."),
    (["articles"], "Missing option '--topics'."),
    (["--topics"], "Option '--topics' requires an argument."),
    # (the guide's line, its files not made yet: the extra said only once they were made)
    (["articles", "--topics", "topics.tsv", "--qrels", "qrels.txt"],
     "Invalid value for '--topics': File 'topics.tsv' does not exist."),
])
def test_a_usage_error_of_eval_comes_first_and_the_missing_extra_after_it_in_one_line(
    cli_env, tmp_path, args, usage_error
):
    result = without_module("ir_measures", ["eval", *args], cli_env, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"error: {usage_error} (see: corpus-search eval --help); and "
                             f"{EVAL_EXTRA}\n")


def test_a_usage_error_of_web_without_flask_comes_before_the_missing_extra(cli_env, tmp_path):
    result = without_module("flask", ["web", "--bogus"], cli_env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: No such option '--bogus'. Did you mean '--host'? "
                                    "(see: corpus-search web --help); and corpus-search web "
                                    "needs the web extra (flask is not installed): ")


@pytest.mark.parametrize("command", ["eval", "web"])
def test_with_its_extra_installed_a_usage_error_says_nothing_of_extras(command):
    result = invoke(command, "--bogus")
    assert result.exit_code == 2
    assert result.output.startswith("error: No such option '--bogus'.")
    assert "extra" not in result.output


def test_eval_help_needs_no_eval_extra(cli_env):
    program = ("import sys\nsys.modules['ir_measures'] = None\n"
               "from corpus_search.cli import main\nmain()\n")
    result = subprocess.run([sys.executable, "-c", program, "eval", "--help"], env=cli_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "--topics" in result.stdout


def test_eval_help_names_the_repository_s_files_as_the_repository_s_not_as_the_user_s():
    """A user who installed the package has no tests/ or eval/ folder: an example naming
    tests/data/party_tags.tsv as if it were theirs sent them looking for it."""
    shown = " ".join(invoke("eval", "--help").output.split())
    named = re.findall(r"(\S+)\s(\S*/\S*\.(?:tsv|txt))", shown)
    assert named  # (the repository's examples are still there, said to be its own)
    assert all(before == "repository's" for before, _path in named), named


def test_searching_never_imports_the_evaluation_modules(articles_index: Path, cli_env):
    program = (
        "import sys\n"
        "from corpus_search.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('ir_measures', 'scipy', 'corpus_search.evaluation')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    for args in (["search", "NHS"], ["list"], ["show", "politics/001"], ["stats"]):
        result = subprocess.run(
            [sys.executable, "-c", program, *args, "--index", str(articles_index)],
            env=cli_env, capture_output=True, text=True, timeout=120,
        )
        assert result.stdout.splitlines()[-1] == "[]", (args, result.stderr)


def test_the_eval_extra_carries_the_evaluation_dependencies():
    from importlib.metadata import requires

    needs = [r.replace('"', "'") for r in requires("corpus-search") or []]
    base = [r for r in needs if "extra ==" not in r]
    assert base and not any(r.startswith("ir-measures") for r in base)
    assert any(r.startswith("ir-measures") and "extra == 'eval'" in r for r in needs)


# -- stats and check, line by line ------------------------------------------------------------


def test_stats_prints_the_index_its_folders_and_each_count_on_its_own_line(articles_index: Path):
    lines = [line.rstrip() for line in invoke("stats", "--index", str(articles_index))
             .stdout.splitlines()]
    assert lines[0] == str(articles_index)
    assert lines[1].startswith("9 documents from 9 files, 0.1 MiB; analyzer ")
    assert lines[2] == f"  folder: {ARTICLES} (9 documents from 9 files)"
    assert lines[3:12] == [  # those with no source or no party counted too, once some have one
        "by source", "  PoliticsHome    1", "  no source       8", "by party",
        "  Conservative        6", "  Labour              6", "  Liberal Democrat    3",
        "  DUP                 1", "  no party            3",
    ]
    assert lines[12:14] == ["by year", "  2003       1"]
    assert lines[-1].split()[:2] == ["no", "date"]  # the undated, last under the years


def test_one_document_is_counted_in_the_singular_and_no_stats_line_ends_in_spaces(
    tmp_path: Path,
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Labour wins\n\nLabour won in Leeds.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    indexed = invoke("index", str(corpus), "--index", str(ix))
    assert indexed.stderr == f"index: {ix} (1 document); search it with --index {ix}\n"
    stats = invoke("stats", "--index", str(ix)).stdout.splitlines()
    assert stats[1].startswith("1 document from 1 file, ")
    assert stats[2] == f"  folder: {corpus} (1 document from 1 file)"
    assert [line for line in stats if line != line.rstrip()] == []
    assert "  Labour    1" in stats
    check = invoke("check", "--index", str(ix)).stdout.splitlines()
    assert check[0].endswith(": healthy (generation 1, 1 document, 1 segment)")
    assert ": 1 document, 0 deleted, " in check[1]


def test_check_prints_the_verdict_each_segment_and_what_a_rebuild_recovers(tmp_path: Path):
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(ARTICLES)
    healthy = invoke("check", "--index", str(path))
    lines = healthy.stdout.splitlines()
    assert healthy.exit_code == 0
    assert lines[0] == f"{path}: healthy (generation 1, 9 documents, 1 segment)"
    assert lines[1].startswith("  segment MAIN_") and lines[1].endswith(
        ": 9 documents, 0 deleted, 551 terms, 737 postings: ok")
    assert lines[2].startswith("  recoverable: every folder the index was built from")
    for segment in path.glob("MAIN_*.seg"):
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 2])
    (path / "notes.txt").write_text("mine\n")
    damaged = invoke("check", "--index", str(path))
    lines = damaged.stdout.splitlines()
    assert damaged.exit_code == 1
    assert lines[0].startswith(f"{path}: damaged (generation 1, ")
    assert lines[1].startswith("  segment MAIN_") and lines[1].endswith(" problems")
    assert any(line.startswith("  problem ") for line in lines)
    assert "  note 1 other files in the folder are not the index's and are left alone: " \
        "notes.txt" in lines
    assert any(line.startswith("  recoverable: ") for line in lines)


# -- search and list output, line by line -----------------------------------------------------


def test_a_hit_is_a_title_line_a_line_of_date_and_parties_and_a_snippet(articles_index: Path):
    # (labour in lower case is the word in any sense: the labour market's too, with a note)
    note, *lines = invoke("search", "labour", "--limit", "2", "--index", str(articles_index)
                          ).stdout.splitlines()
    assert note.startswith("note labour, in lower case, is the word in any sense")
    assert lines[0] == "7 results for labour, showing 1-2 (page 1 of 4)"
    assert lines[2] == "1. Labour market tightens as unemployment falls  business/001 · score 0.65"
    assert lines[3] == "   2005-06-15"
    assert lines[4].startswith("   15 June 2005 The **labour** market tightened again as ")
    assert lines[7] == "   2018-06-20 · Conservative, Labour"
    # the snippet's fragments are joined by an ellipsis, its spaces collapsed to one
    assert " grow. The … Conservatives had given " in lines[8] and "  " not in lines[8].strip()


def test_browsing_shows_no_score(articles_index: Path):
    lines = invoke("search", "*", "--limit", "1", "--index", str(articles_index)
                   ).stdout.splitlines()
    assert lines[2] == "1. MPs prepare for no confidence vote  politics/006"
    assert lines[3] == "   2019-01-16 · Conservative, DUP, Labour"


@pytest.mark.parametrize("browse", [["*"], ["--party", "Labour"]])
def test_browsing_counts_documents_not_results_for_a_star_nobody_typed(
    articles_index: Path, browse: list[str]
):
    lines = invoke("search", *browse, "--limit", "1", "--index", str(articles_index)
                   ).stdout.splitlines()
    filters = [] if browse == ["*"] else browse
    total = invoke("list", *filters, "--index", str(articles_index)).stdout.split()[0]
    assert lines[0] == f"{total} documents, showing 1-1 (page 1 of {total})"


def test_no_results_names_the_query_and_how_it_was_understood(articles_index: Path):
    result = invoke("search", "budget AND zzzqqq", "--index", str(articles_index))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Not found in any document: zzzqqq",
        "No results for budget AND zzzqqq (understood as: (budget AND zzzqqq)).",
    ]


def test_words_no_document_holds_are_not_shown_again_as_their_stems(articles_index: Path):
    # ("No results for Huhne (understood as: huhn)": the stem said nothing the line above
    # had not, in a form no reader typed)
    result = invoke("search", "Huhnes zzzqqq", "--index", str(articles_index))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Not found in any document: Huhnes, zzzqqq", "No results for Huhnes zzzqqq.",
    ]


def test_a_listing_with_nothing_to_list_says_no_documents(articles_index: Path):
    result = invoke("list", "--party", "Green", "--index", str(articles_index))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "No documents."
    listed = invoke("list", "--since", "2019", "--index", str(articles_index))
    assert "No documents." not in listed.stdout


def test_the_undated_note_counts_one_document_in_the_singular_and_more_in_the_plural(
    articles_index: Path, small_index
):
    one = invoke("list", "--since", "2019", "--index", str(articles_index)).stdout
    assert "\n1 matching document has no date and was left out; --include-undated keeps it.\n" \
        in one
    many = invoke("list", "--since", "2000", "--index", str(small_index.path)).stdout
    assert "\n4 matching documents have no date and were left out; --include-undated keeps " \
        "them.\n" in many


def test_json_output_is_indented_by_two_spaces(articles_index: Path):
    lines = invoke("search", "Labour", "--json", "--limit", "1", "--index", str(articles_index)
                   ).stdout.splitlines()
    assert lines[:2] == ["{", '  "schema": "corpus-search/results/v1",']


def test_a_long_error_stays_on_one_line_and_says_what_is_wrong(tmp_path: Path):
    missing = tmp_path / ("long" * 40) / "ix"
    result = CliRunner().invoke(cli, ["search", "x", "--index", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: No corpus_search index at {missing}. Create one with: corpus-search index DIR "
        f"--index {missing}",
    ]


def test_a_one_index_command_without_index_uses_the_default_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CORPUS_SEARCH_INDEX", raising=False)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    default = tmp_path / "data" / "corpus-search" / "index"
    assert result.stderr.startswith(f"error: No corpus_search index at {default}")


def test_indexing_into_an_index_named_with_index_ends_saying_to_search_it_with_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # a search without --index opened the demo index of the seeds instead, which looked like
    # the user's articles had not been indexed
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CORPUS_SEARCH_INDEX", raising=False)
    index = tmp_path / "my index"
    result = invoke("index", str(ARTICLES), "--index", str(index))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == (
        f"index: {index} (9 documents); search it with --index '{index}'")


@pytest.mark.parametrize("how", ["default", "environment", "default named", "named in both"])
def test_indexing_into_the_index_a_search_opens_without_index_adds_no_such_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("CORPUS_SEARCH_INDEX", raising=False)
    args = ["index", str(ARTICLES)]
    if how in ("environment", "named in both"):
        monkeypatch.setenv("CORPUS_SEARCH_INDEX", str(tmp_path / "ix"))
    if how == "default named":
        args += ["--index", str(tmp_path / "data" / "corpus-search" / "index")]
    elif how == "named in both":
        args += ["--index", str(tmp_path / "ix")]
    result = invoke(*args)
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1].endswith("(9 documents)")


def test_search_and_list_help_describe_every_filter():
    described = {
        "--party TEXT": "Only documents mentioning this party (e.g. Labour, 'Lib Dems').",
        "--source TEXT": "Only documents from this source/publisher.",
        "--since TEXT": "Only documents dated on or after this date (2005, March 2005, "
                        "2005-03-21, 21/03/2005, 21 March 2005).",
        "--until TEXT": "Only documents dated on or before this date (a month or year means "
                        "its end).",
        "--include-undated": "With --since/--until, keep documents that have no date.",
    }
    for command in ("search", "list"):
        text = " ".join(invoke(command, "--help").stdout.split())
        for option, help_text in described.items():
            assert f"{option} {help_text}" in text, (command, option)


# -- query syntax, paging similar documents, rebuilding from the recorded folders ---------------


def test_a_query_naming_no_field_is_a_one_line_error_listing_the_fields(articles_index: Path):
    result = invoke("search", "author:Marr", "--index", str(articles_index))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: There is no field 'author' to search")
    assert "title, body, party, source, id, year, date" in line


def test_a_fuzzy_term_over_two_edits_is_searched_with_two_and_a_note_says_so(
    articles_index: Path,
):
    asked = invoke("search", "hospital~5", "--index", str(articles_index))
    assert asked.exit_code == 0
    assert "note hospital~5: a fuzzy term allows at most 2 edits, so this searched " \
           "hospital~2." in asked.stdout
    data = json.loads(invoke("search", "hospital~5", "--json", "--index",
                             str(articles_index)).stdout)
    bounded = json.loads(invoke("search", "hospital~2", "--json", "--index",
                                str(articles_index)).stdout)
    assert data["hits"] == bounded["hits"] and len(data["notes"]) == 1


def test_a_quote_left_open_is_left_out_and_the_note_printed_and_in_the_json(
    articles_index: Path,
):
    note = ("The quote before marginal has no closing quote, so it was left out: searched as "
            "marginal seats.")
    asked = invoke("search", '"marginal seats', "--index", str(articles_index))
    assert asked.exit_code == 0
    assert f"note {note}" in asked.stdout
    data = json.loads(invoke("search", '"marginal seats', "--json", "--index",
                             str(articles_index)).stdout)
    plain = json.loads(invoke("search", "marginal seats", "--json", "--index",
                              str(articles_index)).stdout)
    assert data["notes"] == [note] and data["hits"] == plain["hits"]


def test_similar_pages_through_the_documents_like_one_as_search_does(articles_index: Path):
    def similar(*options: str) -> dict:
        result = invoke("similar", "politics/001", "--json", "--index", str(articles_index),
                        *options)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    first, second = similar("--limit", "1"), similar("--limit", "1", "--page", "2")
    both = similar("--limit", "2")
    assert [h["id"] for h in first["hits"] + second["hits"]] == [h["id"] for h in both["hits"]]
    assert [h["rank"] for h in second["hits"]] == [2]
    assert (second["page"], second["pages"]) == (2, 2) and second["total"] == both["total"] == 2
    past = invoke("similar", "politics/001", "--page", "9", "--index", str(articles_index))
    assert past.exit_code == 1
    assert "Page 9 is past the end: 2 results fill 1 page of 10." in past.stdout


def test_similar_is_the_library_function_behind_the_command(articles_index: Path):
    with CorpusIndex.open(articles_index) as ix:
        page = ix.similar("politics/001", limit=1, page=2)
    assert [h.rank for h in page.hits] == [2] and page.total == 2


def test_similar_takes_the_filters_of_search_and_gives_what_the_library_gives_with_them(
    tmp_path: Path,
):
    """similar took no --party, --source, --since, --until or --include-undated (the library's
    similar() did): "like this story, from Labour's side, in 2005" could not be asked."""
    import datetime as dt

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    kinds = [("Labour", "BBC News", dt.date(2004, 5, 1)), ("Tories", "BBC News", None),
             ("Labour", "Sky News", dt.date(2005, 5, 1)), ("Tories", "Sky News",
                                                          dt.date(2005, 6, 1))]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("base", "Harbour", f"{words} Labour granite"),
            *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {party}", date=date,
                       source=source) for n, (party, source, date) in enumerate(kinds)),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
              for n in range(6))])

    def similar(*options: str) -> dict:
        result = invoke("similar", "base", "--json", "--index", str(tmp_path / "ix"), *options)
        assert result.exit_code in (0, 1), result.output
        return json.loads(result.stdout)

    asked = [(["--party", "Labour"], {"filters": {"party": "Labour"}}),
             (["--source", "Sky News"], {"filters": {"source": "Sky News"}}),
             (["--since", "2005"], {"since": "2005"}),
             (["--until", "2004", "--include-undated"],
              {"until": "2004", "include_undated": True}),
             (["--party", "Tories", "--since", "2005", "--until", "2005-05-31"],
              {"filters": {"party": "Tories"}, "since": "2005", "until": "2005-05-31"})]
    with CorpusIndex.open(tmp_path / "ix") as ix:
        for options, keywords in asked:
            alike = ix.similar("base", **keywords)
            data = similar(*options)
            assert [h["id"] for h in data["hits"]] == [h.id for h in alike.hits], options
            assert (data["total"], data["undated_left_out"]) == (alike.total,
                                                                 alike.undated_left_out)
    assert [h["id"] for h in similar("--party", "Labour")["hits"]] == ["alike/0", "alike/2"]
    assert similar("--since", "2005")["undated_left_out"] == 1
    text = invoke("similar", "base", "--party", "Whig", "--index", str(tmp_path / "ix"))
    assert text.exit_code == 1
    assert "No document mentions the party 'Whig'" in text.stdout
    twice = invoke("similar", "base", "--party", "Labour", "--party", "Tories", "--index",
                   str(tmp_path / "ix"))
    assert twice.exit_code == 2 and "--party was given 2 times" in twice.stderr


def test_similar_takes_facets_and_sort_as_search_does_and_gives_what_the_library_gives(
    tmp_path: Path,
):
    """similar had no --facets (search's count of every match by source, party and year) nor
    --sort: the alike of a story could be filtered by party or year, but not counted by
    them first to see which to ask for, nor listed the latest first."""
    import datetime as dt

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    kinds = [("Labour", "BBC News", dt.date(2004, 5, 1)), ("Tories", "BBC News", None),
             ("Labour", "Sky News", dt.date(2005, 5, 1))]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("base", "Harbour", f"{words} Labour granite"),
            *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {party}", date=date,
                       source=source) for n, (party, source, date) in enumerate(kinds)),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
              for n in range(6))])
        by_date = [hit.id for hit in ix.similar("base", sort="date").hits]
    index = str(tmp_path / "ix")
    counted = invoke("similar", "base", "--facets", "--limit", "1", "--index", index)
    assert counted.exit_code == 0, counted.output
    lines = counted.stdout.splitlines()
    assert lines[1] == "3 results for similar:base, showing 1-1 (page 1 of 3)"
    assert lines[2:13] == [
        "by source", "  BBC News    2", "  Sky News    1",
        "by party", "  Labour          2", "  Conservative    1",
        "by year", "  2004       1", "  2005       1", "  no date    1", ""]
    searched = invoke("search", "harbour", "--facets", "--index", index).stdout.splitlines()
    assert "by source" in searched  # (the same breakdown search --facets prints)
    assert "by source" not in invoke("similar", "base", "--index", index).stdout.splitlines()
    data = json.loads(invoke("similar", "base", "--sort", "date", "--json", "--index",
                             index).stdout)
    assert [hit["id"] for hit in data["hits"]] == by_date == ["alike/2", "alike/0", "alike/1"]
    assert data["facets"]["party"] == {"Labour": 2, "Conservative": 1}
    narrowed = invoke("similar", "base", "--facets", "--party", "Labour", "--index", index)
    assert narrowed.stdout.splitlines()[2:5] == ["by source", "  BBC News    1",
                                                 "  Sky News    1"]


def test_similar_says_what_alike_means_and_how_close_others_come_when_none_is(
    tmp_path: Path,
):
    from corpus_search import Document

    farm = ["orchard", "vineyard", "meadow", "pasture", "hedgerow", "barley", "cider"]
    sea = ["lighthouse", "harbour", "rowboat", "trawler", "seagull", "coastline", "breakwater"]
    docs = [Document(id="farm", title="Farm", body=" ".join(farm)),
            Document(id="farm-again", title="Farm again", body=" ".join(farm)),
            Document(id="orchard", title="Orchard", body="orchard election"),
            Document(id="sea", title="Sea", body=" ".join(sea)),
            # each word of "sea" is held by one other document, none holds two
            *(Document(id=f"one/{w}", title=w, body=f"{w} ballot") for w in sea)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(docs)
    alike = invoke("similar", "farm", "--index", str(tmp_path / "ix"))
    assert alike.exit_code == 0
    assert alike.stdout.splitlines()[:2] == [
        "note Alike: the documents sharing 2 or more of the 7 key terms of farm (the words "
        "most telling of it), most alike first; 1 more share fewer.",
        "1 result for similar:farm, showing 1-1 (page 1 of 1)",
    ]
    none = invoke("similar", "sea", "--index", str(tmp_path / "ix"))
    assert none.exit_code == 1
    assert none.stdout.splitlines() == [
        "No results for similar:sea.",
        "No document shares 2 or more of the 7 key terms of sea; the closest shares 1.",
    ]


def test_a_similar_document_s_snippet_marks_the_words_it_shares_with_the_first(
    articles_index: Path,
):
    with CorpusIndex.open(articles_index) as ix:
        source = ix.get("politics/001")
        page = ix.similar("politics/001")
        analyzer = ix.schema["body"].analyzer
    def terms(text: str) -> set[str]:
        return {t.text for t in analyzer(text)}

    first = terms(f"{source.title}\n{source.body}")
    assert page.hits
    for hit in page.hits:
        marked = [piece for frag in hit.snippet.fragments for piece, on in frag if on]
        assert marked, hit.id
        for word in marked:  # each marked word is a word of the first document
            assert terms(word) & first, (hit.id, word)


def test_rebuild_without_folders_rebuilds_from_the_folders_the_index_records(tmp_path: Path):
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(ARTICLES, id_prefix="news/")
        before = sorted(h.id for h in ix.search("*", limit=100).hits)
    result = invoke("index", "--rebuild", "--index", str(index), "--json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)["reports"]
    assert report["root"] == str(ARTICLES.resolve())
    with CorpusIndex.open(index) as ix:  # the folder's recorded prefix is kept
        assert sorted(h.id for h in ix.search("*", limit=100).hits) == before


def test_rebuild_without_folders_of_an_index_that_records_none_is_a_one_line_error(
    tmp_path: Path,
):
    made_by_a_program = tmp_path / "ix"
    with CorpusIndex(made_by_a_program) as ix:
        ix.add_documents([Document(id="a", title="Budget", body="The budget was read.")])
    for index in (made_by_a_program, tmp_path / "none"):
        result = invoke("index", "--rebuild", "--index", str(index))
        assert result.exit_code == 2
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: No folders to rebuild from: the index at {index}")


def test_index_without_folders_or_rebuild_says_the_folders_are_missing(tmp_path: Path):
    result = invoke("index", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 2
    assert "Missing argument 'FOLDERS...'" in result.output
    assert not (tmp_path / "ix").exists()


def test_index_without_folders_of_an_index_with_folders_gives_the_command_that_updates_them(
    tmp_path: Path,
):
    # (a researcher who edited files and typed "corpus-search index --index ix" to bring the
    # index up to date was told only that FOLDERS is missing)
    index = tmp_path / "ix"
    assert invoke("index", str(ARTICLES), "--index", str(index)).exit_code == 0
    before = (index / "corpus_search.json").read_bytes()
    result = invoke("index", "--index", str(index))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: Missing argument 'FOLDERS...'")
    command = line.split("To bring the folders this index records up to date: ")[1]
    assert command.startswith(f"corpus-search index {ARTICLES.resolve()} --index {index}")
    assert (index / "corpus_search.json").read_bytes() == before
    updated = invoke(*shlex.split(command.split(" (see:")[0])[1:])
    assert updated.exit_code == 0 and "9 unchanged" in updated.stdout


def test_show_of_an_unknown_id_names_the_index_in_the_list_command_it_suggests(
    articles_index: Path,
):
    result = invoke("show", "politics/nope", "--index", str(articles_index))
    assert result.exit_code == 2
    assert f"corpus-search list --index {articles_index}" in result.output


def test_a_one_line_file_prints_its_title_and_no_empty_snippet_line(tmp_path: Path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Brown announces a pensions policy for all workers", "utf-8")
    assert invoke("index", str(corpus), "--index", str(tmp_path / "ix")).exit_code == 0
    lines = invoke("search", "pensions", "--index", str(tmp_path / "ix")).stdout.splitlines()
    assert lines[2].startswith("1. Brown announces a pensions policy for all workers  a")
    assert lines[3:] == [""]


def test_show_names_the_file_by_its_full_path_and_a_program_s_document_by_none(
    articles_index: Path, tmp_path: Path
):
    # (labelled path, as --json labels it: "file" is the indexed folder's name and the file
    # under it, as --cite and export give it)
    shown = invoke("show", "politics/007", "--index", str(articles_index)).stdout.splitlines()
    assert shown[1].endswith(f" · path: {ARTICLES.resolve() / 'politics' / '007.txt'}")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("notes/1", "Budget notes", "The Chancellor spoke.")])
        assert ix.describe("notes/1")["path"] is None and ix.describe("notes/1")["file"] is None
    assert invoke("show", "notes/1", "--index", str(tmp_path / "ix")).stdout.splitlines()[1] == (
        "id: notes/1")


def test_a_record_without_a_title_is_shown_as_having_none_and_its_json_title_stays_empty(
    tmp_path: Path,
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "posts.jsonl").write_text(
        '{"id": "p1", "body": "The Lib Dems won the seat."}\n', encoding="utf-8")
    index = str(tmp_path / "ix")
    assert invoke("index", str(corpus), "--index", index).exit_code == 0
    assert invoke("search", "Lib Dems", "--index", index).stdout.splitlines()[2].startswith(
        "1. (no title)  p1 · score ")
    assert invoke("list", "--index", index).stdout.splitlines()[1] == "p1  ----------  (no title)"
    assert invoke("show", "p1", "--index", index).stdout.splitlines()[0] == "(no title)"
    hit = json.loads(invoke("search", "Lib Dems", "--json", "--index", index).stdout)["hits"][0]
    assert hit["title"] == ""


def test_check_and_stats_name_an_index_given_by_a_relative_path_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(ARTICLES)
    monkeypatch.chdir(tmp_path)
    for command in ("check", "stats"):
        data = json.loads(invoke(command, "--json", "--index", "ix").stdout)
        assert data["path"] == str(tmp_path / "ix")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["search", "x", "--limit", "0"], "error: Invalid value for '--limit' / '-n': 0 is not "
      "in the range 1<=x<=1000. (see: corpus-search search --help)"),
     (["serch", "x"], "error: No such command 'serch'. (Did you mean one of: 'search', 'serve'?) "
      "(see: corpus-search --help)"),
     (["search", "x", "--sort", "foo"], "error: Invalid value for '--sort': 'foo' is not one "
      "of 'relevance', 'date', 'oldest'. (see: corpus-search search --help)"),
     # an option missing its value: click gives no context, and the help named was the list
     # of commands
     (["search", "x", "--party"], "error: Option '--party' requires an argument. (see: "
      "corpus-search search --help)"),
     (["list", "--since"], "error: Option '--since' requires an argument. (see: "
      "corpus-search list --help)"),
     (["--bogus"], "error: No such option '--bogus'. (see: corpus-search --help)"),
     # words where the command goes, none like a command: a search that left out "search"
     (["Lib Dems", "--party", "Labour"], "error: No such command 'Lib Dems'. To search for "
      "it: corpus-search search 'Lib Dems' --party Labour (see: corpus-search --help)"),
     # a command's option before any command: that command first, search when none is named
     (["--index", "ix", "Labour"], "error: No such option '--index'. To search for it: "
      "corpus-search search --index ix Labour (see: corpus-search --help)"),
     (["--party", "Labour", "list"], "error: No such option '--party'. Options go after the "
      "command: corpus-search list --party Labour (see: corpus-search --help)"),
     (["--index", "ix"], "error: No such option '--index'. (see: corpus-search --help)")],
)
def test_a_usage_error_is_one_line_on_stderr_naming_the_help_to_read(
    piped_env, args: list[str], message: str
):
    result = run(args, piped_env)
    assert result.returncode == 2
    assert result.stderr == message + "\n" and result.stdout == ""


def test_corpus_search_alone_is_a_usage_error_whose_message_lists_the_commands(piped_env):
    # (as git alone: a script that lost its command must not read the help as done)
    result = run([], piped_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Usage: corpus-search [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\nCommands:\n" in result.stderr and "  search " in result.stderr


def test_the_help_asked_for_is_no_error(piped_env):
    result = run(["--help"], piped_env)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: corpus-search [OPTIONS] COMMAND [ARGS]...\n\n")
    assert "\nCommands:\n" in result.stdout


def test_a_query_typed_as_several_words_is_searched_as_the_one_query_they_make(
    articles_index: Path
):
    quoted = invoke("search", "marginal seats", "--json", "--index", str(articles_index))
    unquoted = invoke("search", "marginal", "seats", "--json", "--index", str(articles_index))
    assert unquoted.exit_code == 0
    assert json.loads(unquoted.stdout) == json.loads(quoted.stdout)


def test_a_query_that_starts_with_a_minus_is_an_error_that_says_to_put_it_after_dashes(
    articles_index: Path, piped_env
):
    result = run(["search", "-budget NHS", "--index", str(articles_index)], piped_env)
    assert result.returncode == 2
    assert result.stderr == (
        "error: No such option '-b'. A query that starts with - goes after --: corpus-search "
        "search -- '-war Iraq'. (see: corpus-search search --help)\n")
    after = invoke("search", "--json", "--index", str(articles_index), "--", "-budget", "NHS")
    without = invoke("search", "NHS NOT budget", "--json", "--index", str(articles_index))
    assert after.exit_code == 0
    assert [h["id"] for h in json.loads(after.stdout)["hits"]] == [
        h["id"] for h in json.loads(without.stdout)["hits"]]
    assert json.loads(after.stdout)["total"] < json.loads(
        invoke("search", "NHS", "--json", "--index", str(articles_index)).stdout)["total"]


@pytest.mark.parametrize(("command", "after"), [
    ("concordance", ""), ("count", ""), ("trends", ""), ("key-terms", ""), ("export", " OUT")])
def test_every_command_taking_a_query_says_to_put_one_starting_with_a_minus_after_dashes(
    articles_index: Path, piped_env, command: str, after: str
):
    # (concordance '-Labour' said only "No such option '-L'", as search did before its hint)
    result = run([command, "-Labour", "--index", str(articles_index)], piped_env)
    assert result.returncode == 2
    assert result.stderr == (
        "error: No such option '-L'. A query that starts with - goes after --: corpus-search "
        f"{command} -- '-war Iraq'{after}. (see: corpus-search {command} --help)\n")
    similar = run(["similar", "-Labour", "--index", str(articles_index)], piped_env)
    assert "goes after --" not in similar.stderr  # (a document's id, not a query)


@pytest.mark.parametrize("command", ["search", "concordance", "count", "trends", "key-terms"])
def test_an_option_typed_after_dashes_is_an_error_saying_options_go_before_them(
    articles_index: Path, piped_env, command: str
):
    # (search -- '-war Iraq' --index X searched the default index for "index", "tmp"... and
    # corrected the lot: "Showing results for -way Iraq --index /tmp/...")
    result = run([command, "--", "-war Iraq", "--index", str(articles_index)], piped_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: --index after -- is a word of the query: options go before --, as in "
        f"corpus-search {command} --index ... -- '-war Iraq'. (see: corpus-search {command} "
        "--help)\n")
    before = run([command, "--index", str(articles_index), "--", "-war Iraq"], piped_env)
    assert before.returncode in (0, 1) and "error" not in before.stderr


@pytest.mark.parametrize(("command", "option"), [("search", "-n"), ("concordance", "-w")])
def test_a_short_option_typed_after_dashes_is_an_error_too(
    articles_index: Path, piped_env, command: str, option: str
):
    # (search --index X -- '-war Iraq' -n 1 searched "n" and "1" too: 228 BBC documents where
    # the query finds 31)
    result = run([command, "--index", str(articles_index), "--", "-war Iraq", option, "1"],
                 piped_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {option} after -- is a word of the query")


@pytest.mark.parametrize(("argv", "meant"), [
    (["search", "Iraq", "-party", "Labour"], "--party"),
    (["count", "Iraq", "-since=2004"], "--since"),
    (["search", "Iraq", "-sort", "date"], "--sort"),
])
def test_a_long_option_typed_with_one_hyphen_is_named_with_two(
    articles_index: Path, piped_env, argv: list[str], meant: str
):
    # (search Iraq -party Labour was told a query starting with - goes after --)
    result = run([*argv, "--index", str(articles_index)], piped_env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"error: No such option '{meant[1:3]}'. Did you mean {meant}? (a long option takes "
        f"two hyphens) (see: corpus-search {argv[0]} --help)\n")


def test_a_mistyped_long_option_is_not_taken_for_a_query(articles_index: Path, piped_env):
    result = run(["search", "NHS", "--paty", "Labour"], piped_env)
    assert result.returncode == 2
    assert "Did you mean" in result.stderr and "goes after --" not in result.stderr


@pytest.mark.parametrize("command", ["index", "check"])
def test_a_one_index_command_says_when_the_environment_named_several(
    command: str, tmp_path: Path, piped_env
):
    piped_env["CORPUS_SEARCH_INDEX"] = f"{tmp_path / 'a'}:{tmp_path / 'b'}"
    result = run([command, str(tmp_path)] if command == "index" else [command], piped_env)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: corpus-search {command} works on one index: CORPUS_SEARCH_INDEX names 2; "
        "choose one with --index (search, concordance, count, trends, key-terms, list, show, "
        "similar, stats and web take several). "
        f"(see: corpus-search {command} --help)\n")
    chosen = run([command, "--index", str(tmp_path / "a")], piped_env)
    assert "works on one index" not in chosen.stderr


@pytest.mark.parametrize(("text", "said"), [
    ("the of", "No tokens: 'the of' holds no word that is indexed (stop words such as 'the' and "
               "'of', symbols and punctuation are not)."),
    ("[!]", "No tokens: '[!]' holds no word that is indexed (stop words such as 'the' and "
            "'of', symbols and punctuation are not)."),
    ("  ", "No tokens: the text is empty."),
])
def test_analyze_of_a_text_with_no_indexed_word_says_so_rather_than_an_empty_table(
    text: str, said: str
):
    result = invoke("analyze", text)
    assert result.exit_code == 0
    assert result.stdout == said + "\n"
    assert json.loads(invoke("analyze", text, "--json").stdout)["tokens"] == []


def test_a_reader_that_stops_reading_gets_the_broken_pipe_exit_code_not_no_results(
    tmp_path: Path, piped_env
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    filler = " ".join(["ministers debated the budget at length"] * 12)
    for n in range(400):  # far more output than a pipe holds
        (corpus / f"{n:03}.txt").write_text(f"Budget day {n}\n\n{filler}\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
    reader = subprocess.Popen(
        [*corpus_search_command(), "search", "budget", "--limit", "400", "--index",
         str(tmp_path / "ix")],
        env=piped_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.readline().startswith(b"400 results for budget")
    reader.stdout.close()  # as `| head -1` does
    assert reader.wait(timeout=120) == 141
    assert reader.stderr.read() == b""  # stopped quietly
    reader.stderr.close()


def test_an_empty_filtered_search_says_how_many_match_without_the_filters(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("a", "Budget day", "The Chancellor set out the budget.", source="BBC News"),
            Document("c", "Labour in Wales", "Labour ministers in Wales.", source="BBC Wales"),
        ])
    text = invoke("search", "budget", "--source", "bbc wales", "--index", str(tmp_path / "ix"))
    assert text.exit_code == 1
    assert text.stdout.splitlines()[-1] == (
        "1 document matches budget with no filter, but not one that is from the source BBC "
        "Wales.")
    data = json.loads(invoke("search", "budget", "--source", "bbc wales", "--party", "Whig",
                             "--json", "--index", str(tmp_path / "ix")).stdout)
    assert data["total"] == 0 and data["notes"][0].startswith(
        "No document mentions the party 'Whig'; parties in this index:")


def test_an_empty_search_for_a_party_that_is_a_word_of_another_suggests_that_party(
        tmp_path: Path):
    # (search "tuition fees" --party Liberal: the old Liberal Party, not the Lib Dems)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("fees", "Fees vote", "The Liberal Democrats would scrap tuition fees."),
            Document("gladstone", "Gladstone", "The Liberal Party of Gladstone won in 1880."),
        ])
    for command in ("search", "count"):
        text = invoke(command, "tuition fees", "--party", "Liberal", "--index",
                      str(tmp_path / "ix"))
        assert text.exit_code == 1
        assert text.stdout.splitlines()[-1] == (
            "1 document matches tuition fees with no filter, but not one that mentions the "
            "party Liberal; Liberal is the Liberal Party: did you mean Liberal Democrat (1 of "
            "them)?")


def test_a_folder_emptied_for_good_is_told_the_command_that_drops_its_documents(tmp_path: Path):
    # (its files moved away, the next run said "a rebuild drops its documents" and no more:
    # which rebuild, from which folders, was left to the user)
    ix, kept, emptied = tmp_path / "ix", tmp_path / "kept", tmp_path / "emptied"
    for folder, name in ((kept, "budget"), (emptied, "fees")):
        folder.mkdir()
        (folder / f"{name}.txt").write_text(f"{name.title()}\n\nA story on {name}.\n",
                                            encoding="utf-8")
    assert invoke("index", str(kept), str(emptied), "--index", str(ix)).exit_code == 0
    (emptied / "fees.txt").rename(tmp_path / "fees.txt")
    text = invoke("index", str(emptied), "--index", str(ix))
    command = f"corpus-search index {kept} --index {ix} --rebuild"
    assert text.stdout.splitlines()[1].startswith("  kept 1 file that lies in a folder now empty")
    assert text.stdout.splitlines()[2] == (
        "  skipped ./: it holds no file that can be indexed now (a drive not mounted, a sync "
        "not finished?); the documents of its 1 indexed file are kept; if it was emptied for "
        f"good, drop them with: {command}")
    assert invoke(*shlex.split(command)[1:]).exit_code == 0  # (it does what it says)
    with CorpusIndex.open(ix) as index:
        assert [doc.id for doc in index.list_documents()] == ["budget"]
    # (the only folder of an index: a rebuild from it, which leaves the index empty)
    (emptied / "fees.txt").write_text("Fees\n\nA story on fees.\n", encoding="utf-8")
    alone = tmp_path / "alone"
    assert invoke("index", str(emptied), "--index", str(alone)).exit_code == 0
    (emptied / "fees.txt").unlink()
    text = invoke("index", str(emptied), "--index", str(alone))
    assert text.stdout.splitlines()[2].endswith(
        f"if it was emptied for good, drop them with: corpus-search index {emptied} --index "
        f"{alone} --rebuild")


def test_a_folder_of_other_files_is_no_index_and_no_advice_to_create_one_there(tmp_path: Path):
    (tmp_path / "notes.rtf").write_text("mine\n", encoding="utf-8")  # (no article: below)
    result = CliRunner().invoke(cli, ["stats", "--index", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: No corpus_search index at {tmp_path}. None can be made there: the folder "
        "holds other files (notes.rtf). Choose an empty or new folder for the index.",
    ]
    assert (tmp_path / "notes.rtf").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("command", [["search", "NHS"], ["stats"], ["list"]])
def test_index_naming_a_folder_of_articles_says_what_index_names_and_how_to_index_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]):
    """search NHS --index ~/articles (the folder to search, as a new user reads --index)
    said "None can be made there: the folder holds other files", of no help."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    articles = tmp_path / "my articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "001.txt").write_text("Budget\n\nThe NHS.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*command, "--index", str(articles)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: No corpus_search index at {articles}. {articles} holds articles, not an "
        "index: --index names the folder of an index (made by corpus-search index). Index "
        f"them with: corpus-search index '{articles}' --index NEW-FOLDER, then give that "
        "--index.\n")
    assert CliRunner().invoke(cli, ["index", str(articles)]).exit_code == 0  # the default
    result = CliRunner().invoke(cli, [*command, "--index", str(articles)])
    default = tmp_path / "data" / "corpus-search" / "index"
    assert result.stderr.endswith(f" Your index at {default} holds them: leave --index out.\n")
    assert result.stderr.count("\n") == 1


def test_a_piped_table_keeps_its_cells_whole_however_narrow_the_columns(piped_env):
    narrow = {**piped_env, "COLUMNS": "40"}
    result = run(["analyze", "The Parliamentary Labour Party expansion"], narrow)
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert "Parliamentary Labour Party" in result.stdout and "labour_party" in result.stdout


def test_indexing_names_the_files_that_repeat_another_word_for_word(tmp_path: Path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text("Budget day\n\nThe budget.\n", encoding="utf-8")
    result = invoke("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    assert ("  note 2 documents repeat the text of another word for word, both indexed: "
            "b = a, c = a") in result.stdout.splitlines()


def test_a_date_query_on_an_index_with_no_dates_says_no_document_has_one(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("a", "Budget day", "The Chancellor set out the budget.")])
    for query in ("year:2005", "date:2005-03"):
        result = invoke("search", query, "--index", str(tmp_path / "ix"))
        assert result.exit_code == 1
        assert result.stdout.splitlines()[-1] == (
            "No document in this index has a date, so date: and year: match none (ingest.md "
            "says where dates come from).")


# -- a folder the index records that is gone (moved, renamed, deleted) -------------------------


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An index of a folder since moved: (the index, the old place, the new place)."""
    old, new, index = tmp_path / "articles", tmp_path / "moved", tmp_path / "ix"
    shutil.copytree(ARTICLES, old)
    with CorpusIndex(index) as ix:
        ix.index_directory(old)
    old.rename(new)
    return index, old, new


def test_indexing_another_folder_says_the_gone_folder_s_documents_are_still_searched(moved):
    # its documents stayed, and nothing said so (a folder that is the gone one moved takes
    # up its documents and their ids: tests/test_moved_folders.py)
    index, old, new = moved
    shutil.rmtree(new)
    other = new.parent / "seeds"
    shutil.copytree(SEEDS, other)
    result = invoke("index", str(other), "--index", str(index))
    assert result.exit_code == 0
    note = (f"  note the index holds 9 documents of {old}, which is no folder any more (moved, "
            "renamed or deleted?): they are searched with the rest until the index is rebuilt "
            f"without it: corpus-search index {other} --index {index} --rebuild")
    assert note in result.stdout.splitlines()
    data = json.loads(invoke("index", str(other), "--index", str(index), "--json").stdout)
    assert data["notes"] == [note.removeprefix("  note ")]
    assert note in invoke("stats", "--index", str(index)).stdout.splitlines()
    stats = json.loads(invoke("stats", "--index", str(index), "--json").stdout)
    assert stats["notes"] == [note.removeprefix("  note ")]


def test_rebuilding_from_recorded_folders_one_of_which_is_gone_names_it_and_changes_nothing(
    moved,
):
    index, old, _ = moved
    before = sorted(p.name for p in index.iterdir())
    result = invoke("index", "--rebuild", "--index", str(index))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {old}, which the index at {index} was built from, is no folder any more "
        "(moved, renamed or deleted?): rebuild from the other folders, and name a folder moved "
        f"at its new place: corpus-search index DIR --index {index} --rebuild\n")
    assert sorted(p.name for p in index.iterdir()) == before


def test_a_rebuild_from_some_of_the_index_s_folders_says_which_it_no_longer_holds(
    tmp_path: Path,
):
    # (the user guide's "index ~/articles --rebuild" dropped every other folder's documents
    # from the index and said nothing of it)
    articles, seeds, index = tmp_path / "articles", tmp_path / "seeds", tmp_path / "ix"
    shutil.copytree(ARTICLES, articles)
    shutil.copytree(SEEDS, seeds)
    assert invoke("index", str(articles), "--index", str(index)).exit_code == 0
    assert invoke("index", str(seeds), "--index", str(index), "--source", "Press office",
                  "--id-prefix", "seeds/").exit_code == 0
    assert unnamed_folders(index, [articles]) == [str(seeds)]
    result = invoke("index", str(articles), "--index", str(index), "--rebuild")
    assert result.exit_code == 0
    note = (f"the rebuilt index no longer holds the documents of {seeds}, which it held: "
            "--rebuild builds it from the folders named only. To add them back as they were "
            f"indexed: corpus-search index {seeds} --index {index} --id-prefix seeds/ "
            "--source 'Press office'")
    assert f"  note {note}" in result.stdout.splitlines()
    with CorpusIndex.open(index) as ix:
        assert len(ix) == 9  # (the articles' only, as asked)
    command = shlex.split(note.rsplit("indexed: ", 1)[1])
    assert command[0] == "corpus-search"
    assert invoke(*command[1:]).exit_code == 0  # (following it gives the seeds back)
    with CorpusIndex.open(index) as ix:
        assert len(ix) == 14 and ix.get("seeds/001_15000ecfd68f1c3a").source == "Press office"
    assert "no longer holds" not in invoke(  # (every folder named, or none: nothing dropped)
        "index", "--index", str(index), "--rebuild").stdout
    data = json.loads(invoke("index", str(seeds), "--index", str(index), "--rebuild",
                             "--json").stdout)
    assert [n for n in data["notes"] if "no longer holds" in n] == [
        f"the rebuilt index no longer holds the documents of {articles}, which it held: "
        "--rebuild builds it from the folders named only. To add them back as they were "
        f"indexed: corpus-search index {articles} --index {index}"]


def test_an_index_whose_folders_are_all_there_has_no_such_note(articles_index: Path):
    assert "no folder any more" not in invoke("stats", "--index", str(articles_index)).stdout
    assert gone_folders(articles_index) == []


def test_every_option_of_every_command_says_in_its_help_what_it_does():
    # (search, list and similar listed "-n, --limit INTEGER RANGE [default: 10; 1<=x<=1000]"
    # and "--page" with no word of what they do)
    import click

    silent = [f"{name} {param.opts[0]}" for name, command in sorted(cli.commands.items())
              for param in command.params if isinstance(param, click.Option) and not param.help]
    assert silent == []
    shown = invoke("search", "--help").stdout
    assert "How many results a page shows." in shown and "Which page of results" in shown
    assert "How many documents a page shows." in invoke("list", "--help").stdout


def test_an_option_the_command_lacks_but_others_take_names_the_commands_that_take_it(
    articles_index: Path, piped_env
):
    # (export --limit 2 was told "A query that starts with - goes after --: corpus-search
    # export -- '-war Iraq' OUT", of a query it was never given)
    result = run(["export", "Labour", "out.csv", "--limit", "2", "--index",
                  str(articles_index)], piped_env)
    assert result.returncode == 2
    assert result.stderr == (
        "error: No such option '--limit'. --limit is an option of concordance, key-terms, "
        "list, search and similar, not of export. (see: corpus-search export --help)\n")
    count = invoke("count", "Labour", "--width", "30", "--index", str(articles_index))
    assert "--width is an option of concordance, not of count." in count.stderr
    # (in place of click's guess among the command's own: "Did you mean '--source'?")
    similar = invoke("similar", "x", "--exact", "--index", str(articles_index))
    assert similar.stderr.startswith(
        "error: No such option '--exact'. --exact is an option of concordance, count, export, "
        "key-terms, search and trends, not of similar. (see: ")
    # (an option no command takes is click's error alone; a query's -word keeps its hint)
    unknown = invoke("count", "Labour", "--nosuchthing", "--index", str(articles_index))
    assert unknown.stderr.startswith("error: No such option '--nosuchthing'. (see: ")


def test_a_listing_past_its_last_page_counts_documents_not_results(articles_index: Path):
    past = invoke("list", "--page", "999", "--index", str(articles_index))
    assert past.exit_code == 1
    assert re.search(r"Page 999 is past the end: \d+ documents fill \d+ pages? of 100\.",
                     past.stdout), past.stdout


#: each command with --json, as a user runs it on an index of tests/fixtures/articles
JSON_COMMANDS = {
    "index": ["index", str(ARTICLES)],
    "search": ["search", "Labour"],
    "list": ["list"],
    "similar": ["similar", "politics/001"],
    "show": ["show", "politics/001"],
    "show --cite": ["show", "politics/001", "--cite"],
    "concordance": ["concordance", "Labour"],
    "count": ["count", "Labour"],
    "trends": ["trends", "Labour", "Conservatives"],
    "key-terms": ["key-terms", "Labour", "--min-documents", "1"],
    "stats": ["stats"],
    "check": ["check"],
    "analyze": ["analyze", "The PLP met"],
}


def test_every_command_s_json_says_its_schema_first_as_search_does(tmp_path: Path):
    """A program reading ``--json`` learns which layout it reads, and its version, from the
    first key, ``"schema"``, whatever the command: only ``search --json`` had one."""
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(ARTICLES)
    with_json = sorted(name for name, command in cli.commands.items()
                       if any(param.name == "as_json" for param in command.params))
    assert sorted({args[0] for args in JSON_COMMANDS.values()}) == sorted(
        set(with_json) - {"eval"})  # (eval's report has its own: corpus_search.evaluation/1)
    schemas = {}
    for name, args in JSON_COMMANDS.items():
        result = invoke(*args, "--index", str(index), "--json")
        data = json.loads(result.stdout)
        assert next(iter(data)) == "schema", name
        schemas[name] = data["schema"]
    assert schemas == {
        "index": "corpus-search/index/v1", "search": "corpus-search/results/v1",
        "list": "corpus-search/results/v1", "similar": "corpus-search/results/v1",
        "show": "corpus-search/document/v1", "show --cite": "corpus-search/citation/v1",
        "concordance": "corpus-search/concordance/v1", "count": "corpus-search/count/v1",
        "trends": "corpus-search/trends/v1", "key-terms": "corpus-search/key-terms/v1",
        "stats": "corpus-search/stats/v1", "check": "corpus-search/check/v1",
        "analyze": "corpus-search/tokens/v1",
    }
    guide = (Path(__file__).parents[1] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert all(f"`{schema}`" in guide for schema in schemas.values())  # (its table of them)
    other = tmp_path / "other"
    with CorpusIndex(other) as ix:
        ix.index_directory(SEEDS)
    several = json.loads(invoke("stats", "--index", str(index), "--index", str(other),
                                "--json").stdout)
    assert [one["schema"] for one in several] == ["corpus-search/stats/v1"] * 2


def test_serve_help_names_every_command_it_runs_warm_and_no_other():
    # (its help listed all but trends, which it serves: a user timing trends took it to run cold)
    help_text = " ".join(CliRunner().invoke(cli, ["serve", "--help"]).output.split())
    first = help_text.split("run in it")[0]
    named = set(re.findall(r"[a-z]+(?:-[a-z]+)?", first.split("while the server runs,")[1]))
    assert named - {"and", "from", "any", "terminal", "of", "yours"} == set(READING_COMMANDS)
