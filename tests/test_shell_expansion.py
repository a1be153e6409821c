"""An unquoted wildcard in a query (``corpus-search search *``) reaches the command as the
names of the files the shell put in its place: every command that takes a query refuses
such names in one line that says to quote it, as ``index`` refuses files for folders; a
query that only looks like file names, or names some of them, is searched as ever."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.cli.output import shell_expansion


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ix") / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(SEEDS)
    return path


@pytest.fixture
def corpus_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder as the BBC corpus's is, a folder of articles per topic, made the current one."""
    folder = tmp_path / "bbc"
    for topic in ("business", "politics", "sport"):
        (folder / topic).mkdir(parents=True)
        for n in (1, 2, 3):
            (folder / topic / f"00{n}.txt").write_text("A story\n\nLabour won.\n")
    (folder / ".hidden").write_text("")
    monkeypatch.chdir(folder)
    return folder


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="corpus-search")


def one_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and not result.stdout, result.output
    return lines[0]


@pytest.mark.parametrize("command", ["search", "count", "trends", "concordance"])
def test_search_star_unquoted_is_refused_saying_to_quote_it(
        corpus_folder: Path, seeds_index: Path, command: str):
    line = one_error(invoke(command, "business", "politics", "sport",
                            "--index", str(seeds_index)))
    assert line.startswith("error: The query is the names of files and folders here "
                           "(business, politics, sport): the shell put them in place of the "
                           "unquoted *. Quote the query to search for it: "
                           f"corpus-search {command} '*'")


def test_export_star_unquoted_is_refused_saying_to_quote_it(
        corpus_folder: Path, seeds_index: Path, tmp_path: Path):
    out = str(tmp_path / "out.csv")
    line = one_error(invoke("export", "business", "politics", "sport", out,
                            "--index", str(seeds_index)))
    assert (f"the unquoted *. Quote the query to search for it: corpus-search export '*' {out} "
            f"--index {seeds_index}") in line
    os.chdir("sport")  # export 00* out.csv, the shell's 001.txt 002.txt 003.txt out.csv
    line = one_error(invoke("export", "001.txt", out, "--index", str(seeds_index)))
    assert "The query is the name of a file here (001.txt)" in line
    assert not Path(out).exists()


def test_a_wildcard_of_files_in_a_subfolder_is_refused_with_that_wildcard(
        corpus_folder: Path, seeds_index: Path):
    line = one_error(invoke("search", "sport/001.txt", "sport/002.txt", "sport/003.txt",
                            "--index", str(seeds_index)))
    assert "in place of the unquoted sport/00*.txt" in line


@pytest.mark.parametrize("query", [
    ["politics"],  # one folder's name: a word worth searching for
    ["politics", "sport"],  # two of the folder's three entries: not what * gives
    ["sport", "politics", "business", "Labour"],  # a word that names nothing here
    ["*"],  # quoted, as the error says
    ["Labour", "won"],
])
def test_a_query_that_only_looks_like_the_folders_names_is_searched(
        corpus_folder: Path, seeds_index: Path, query: list[str]):
    result = invoke("search", *query, "--index", str(seeds_index))
    assert result.exit_code in (0, 1) and "The query is" not in result.output, result.output


names = st.lists(st.text("abcXYZ._-", min_size=1, max_size=6).filter(
    lambda n: n not in (".", "..")), min_size=1, max_size=6, unique=True)


def globbed(folder: Path, pattern: str) -> list[str]:
    """What the shell puts in place of ``pattern`` in ``folder``: hidden names only for a
    pattern that begins with a dot."""
    return sorted(p.name for p in folder.glob(pattern)
                  if not p.name.startswith(".") or pattern.startswith("."))


@settings(max_examples=150, deadline=None)
@given(names, st.data())
def test_names_taken_for_a_wildcard_are_exactly_what_that_wildcard_gives(tmp_path_factory,
                                                                         entries, data):
    """The names of all the entries of a folder that are not hidden (the shell's ``*``) are
    refused, with a wildcard that gives them again; names left when one is dropped are
    refused only when some narrower wildcard gives exactly them (``*.txt`` of a.txt, b.txt
    and c.md)."""
    folder = tmp_path_factory.mktemp("f")
    for name in entries:
        (folder / name).write_text("")
    shown = globbed(folder, "*")
    os.chdir(folder)
    try:
        if len(shown) > 1:
            pattern = shell_expansion(shown)
            assert pattern is not None and globbed(folder, pattern) == shown
            dropped = data.draw(st.sampled_from(shown))
            fewer = [name for name in shown if name != dropped]
            narrower = shell_expansion(fewer)
            assert not narrower or globbed(folder, narrower) == fewer  # ("": one file)
    finally:
        os.chdir(tmp_path_factory.getbasetemp())
