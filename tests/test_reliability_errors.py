"""Every failure a user can cause or suffer ends in one readable line and exit code 2, never a
traceback: a parallel-build worker killed (as the out-of-memory killer does), an index that
may not be written, a home folder that cannot hold one, an index path with Rich markup,
documents whose fields have the wrong types, and filters of the wrong type.

The CLI runs in-process through click's runner, which captures stderr apart from stdout; as
root, a user without permission is played by a forked child that drops to ``nobody``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import SEEDS, index_seeds_with
from corpus_search import (
    ColumnsError,
    CorpusIndex,
    Document,
    DocumentIndexError,
    IndexBuildError,
    IndexLocationError,
    IndexNotFoundError,
    IndexWriteError,
    QueryError,
    SearchFilters,
    check_index,
    rebuild_index,
)
from corpus_search.cli import cli
from corpus_search.store.bulk_workers import BulkTask
from reliability_helpers import assert_readable, become_nobody, fork_child


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """Exit code 2, nothing on stdout, one line on stderr that says ``error:`` and holds each
    fragment; no traceback. Returns the line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception, result.output)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.output
    assert_readable(lines[0])
    return lines[0]


def _files(path: Path) -> set[str]:
    return {p.name for p in path.iterdir()} - {"MAIN_WRITELOCK"}


# -- a parallel-build worker killed -----------------------------------------------------------


@pytest.fixture
def kill_first_worker(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """SIGKILL the first worker process of the next parallel build as soon as it has started
    (what the out-of-memory killer does to the largest process); returns its pid."""
    killed: list[int] = []
    launch = BulkTask.launch

    def launch_and_kill(self: BulkTask) -> None:
        launch(self)
        if not killed:
            os.kill(self.pid, signal.SIGKILL)
            killed.append(self.pid)

    monkeypatch.setattr(BulkTask, "launch", launch_and_kill)
    return killed


def _many_documents(n: int, prefix: str) -> list[Document]:
    text = (SEEDS / sorted(os.listdir(SEEDS))[0]).read_text(encoding="utf-8")[:2000]
    return [Document(id=f"{prefix}{i}", title=f"Labour item {i}", body=text) for i in range(n)]


def test_a_killed_build_worker_is_one_error_and_the_index_keeps_its_last_commit(
    tmp_path: Path, kill_first_worker: list[int]
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(_many_documents(5, "old"))
        before = _files(ix.path)
        with pytest.raises(IndexBuildError) as caught:
            ix.add_documents(_many_documents(60, "new"), procs=2)
        assert kill_first_worker, "no worker was started"
        message = str(caught.value)
        assert isinstance(caught.value, IndexWriteError)
        assert message.startswith(f"Indexing into {ix.path} stopped: a process building the "
                                  "index was killed (SIGKILL")
        assert "the index keeps its last commit" in message
        # the library's advice is its argument; the command's, its option
        assert message.endswith("Run it again with procs=1 to use less memory.")
        assert caught.value.cli_message == message.replace(
            "Run it again with procs=1", "Run the command again with --procs 1")
        assert "\n" not in message
        assert_readable(message)
        assert len(ix) == 5 and ix.get("old0") is not None and ix.get("new0") is None
        assert _files(ix.path) == before  # the other worker's segments are gone
        assert ix.add_documents(_many_documents(60, "new"), procs=1) == 60  # lock released
    assert check_index(tmp_path / "ix").healthy


def test_the_cli_reports_a_killed_build_worker_in_one_line(
    tmp_path: Path, kill_first_worker: list[int]
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in _many_documents(40, "d"):
        (corpus / f"{doc.id}.txt").write_text(f"{doc.title}\n\n{doc.body}", encoding="utf-8")
    index = tmp_path / "ix"
    result = invoke("index", str(corpus), "--index", str(index), "--procs", "2")
    assert kill_first_worker
    assert_one_line_error(result, f"Indexing into {index} stopped", "killed (SIGKILL",
                          "the index keeps its last commit")
    result = invoke("index", str(corpus), "--index", str(index), "--procs", "1")
    assert result.exit_code == 0, result.output


# -- folders that may not be written (as the user nobody) -------------------------------------


@pytest.fixture
def shared_base() -> Iterator[Path]:
    """A folder outside pytest's root-only temporary folders, readable by everyone."""
    base = Path(tempfile.mkdtemp(prefix="cs-errors-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base)


def _cli_as_nobody(args: list[str], env: dict[str, str] | None = None) -> list[str]:
    """Run the CLI in a forked child as ``nobody``; its exit code, then stderr's lines."""
    warm = Path(tempfile.mkdtemp(prefix="cs-warm-"))
    try:  # lazy imports and data, loaded while still root
        CliRunner().invoke(cli, ["index", str(SEEDS), "--index", str(warm / "ix")])
        CliRunner().invoke(cli, ["search", "labour", "--index", str(warm / "ix")])
    finally:
        shutil.rmtree(warm)

    def target(report: Callable[[str], None]) -> None:
        become_nobody()
        result = CliRunner().invoke(cli, args, env=env)
        report(str(result.exit_code))
        report(repr(result.exception))
        for line in result.stderr.splitlines():
            report(line)

    child = fork_child(target)
    assert child.join() == 0, child.lines
    return child.lines


def _assert_one_line(lines: list[str], *fragments: str) -> None:
    code, exception, *stderr = lines
    assert (code, exception) == ("2", "SystemExit(2)"), lines
    assert len(stderr) == 1 and stderr[0].startswith("error: "), stderr
    for fragment in fragments:
        assert fragment in stderr[0], (fragment, stderr[0])


def test_rebuilding_an_index_the_user_may_not_write_is_one_line(
    seeds_index: CorpusIndex, shared_base: Path
):
    index = shutil.copytree(seeds_index.path, shared_base / "ix")
    for path in [index, *index.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (index / "MAIN_WRITELOCK").unlink(missing_ok=True)
    before = {p.name: p.read_bytes() for p in index.iterdir()}
    lines = _cli_as_nobody(["index", str(SEEDS), "--index", str(index), "--rebuild"])
    _assert_one_line(lines, f"Could not write to the index at {index}", "no permission",
                     "keeps its last completed commit")
    assert {p.name: p.read_bytes() for p in index.iterdir()} == before


def test_creating_an_index_where_the_user_may_not_write_is_one_line(shared_base: Path):
    lines = _cli_as_nobody(["index", str(SEEDS), "--index", str(shared_base / "new" / "ix")])
    _assert_one_line(lines, f"Could not create an index at {shared_base / 'new' / 'ix'}",
                     "no permission to write")
    assert list(shared_base.iterdir()) == []


@pytest.mark.parametrize("command", [["search", "labour"], ["index", str(SEEDS)], ["stats"]])
def test_a_home_folder_that_cannot_hold_an_index_is_one_line(
    shared_base: Path, command: list[str]
):
    """HOME is a folder that does not exist and cannot be made, with no XDG_DATA_HOME: the
    default index (or the demo index search falls back to) cannot be created."""
    env = {"HOME": str(shared_base / "nonexistent"), "XDG_DATA_HOME": None,
           "CORPUS_SEARCH_INDEX": None}
    lines = _cli_as_nobody(command, env=env)
    code, exception, *stderr = lines
    assert code in ("1", "2") and exception in ("None", f"SystemExit({code})"), lines
    errors = [line for line in stderr if line.startswith("error: ")]
    assert len(errors) == 1, stderr
    assert str(shared_base / "nonexistent") in errors[0]
    assert not (shared_base / "nonexistent").exists()


def test_a_home_that_is_a_file_is_one_line(tmp_path: Path):
    home = tmp_path / "home"
    home.write_text("not a folder")
    env = {"HOME": str(home), "XDG_DATA_HOME": None, "CORPUS_SEARCH_INDEX": None}
    assert_one_line_error(invoke("index", str(SEEDS), env=env), f"{home} is a file")


# -- Rich markup in paths ---------------------------------------------------------------------


def test_an_index_path_with_rich_markup_is_printed_as_it_is(tmp_path: Path):
    index = tmp_path / "ix[/red][bold]"
    result = invoke("index", str(SEEDS), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert f"index: {index} (" in result.stderr
    result = invoke("stats", "--index", str(index))
    assert result.exit_code == 0 and str(index) in result.stdout
    result = invoke("check", "--index", str(index))
    assert result.exit_code == 0 and f"{index}: healthy" in result.stdout
    missing = tmp_path / "none[/]"
    assert_one_line_error(invoke("search", "labour", "--index", str(missing)),
                          f"No corpus_search index at {missing}")
    corpus = tmp_path / "c[/red]"
    assert_one_line_error(invoke("index", str(corpus), "--index", str(tmp_path / "ix2[b]")),
                          f"{corpus} is not a folder that can be indexed")



def test_files_given_to_index_are_one_line_giving_the_command_for_their_folder(tmp_path: Path):
    # (`corpus-search index articles/*.txt`, the shell's list of files, named the first file
    # alone: "index the folder that holds it", and no command)
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in (1, 2, 3):
        (articles / f"00{n}.txt").write_text(f"Story {n}\n\nThe Chancellor spoke.\n")
    index = tmp_path / "ix"
    one = assert_one_line_error(invoke("index", str(articles / "001.txt"), "--index", str(index)))
    assert one == (f"error: {articles / '001.txt'} is a file, not a folder: corpus-search index "
                   "reads every file of a folder, so index the folder that holds it: "
                   f"corpus-search index {articles} --index {index}")
    several = assert_one_line_error(invoke("index", *map(str, sorted(articles.iterdir())),
                                           "--index", str(index)))
    assert several.startswith(f"error: {articles / '001.txt'} is a file (and 2 more files), "
                              "not a folder")
    assert several.endswith(f"the folder that holds them: corpus-search index {articles} "
                            f"--index {index}")
    assert not index.exists()


def test_files_of_a_subfolder_of_an_indexed_folder_give_the_command_that_is_accepted(tmp_path):
    # (`index bbc/politics/*.txt` after `index bbc` suggested `index bbc/politics`, which is
    # refused: its files would be indexed twice)
    articles = tmp_path / "articles"
    (articles / "politics").mkdir(parents=True)
    for n in (1, 2):
        (articles / "politics" / f"00{n}.txt").write_text(f"Story {n}\n\nThe Chancellor spoke.\n")
    index = tmp_path / "ix"
    assert invoke("index", str(articles), "--index", str(index)).exit_code == 0
    files = sorted(map(str, (articles / "politics").iterdir()))
    line = assert_one_line_error(invoke("index", *files, "--index", str(index)))
    command = f"corpus-search index {articles} --index {index}"
    assert line.endswith(f"the folder that holds them: {command}")
    assert invoke(*command.split()[1:]).exit_code == 0

# -- documents whose fields have the wrong types ----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"id": 5}, "its id is an int (5), not text"),
        ({"title": 7}, "its title is an int (7), not text"),
        ({"body": ["a", "list"]}, "its body is a list (['a', 'list']), not text"),
        ({"title": None}, "its title is None, not text"),
        ({"source": 3.5}, "its source is a float (3.5), not text"),
        ({"url": {"a": 1}}, "its url is a dict ({'a': 1}), not text"),
        ({"date": "2005-01-01"}, "its date is a str ('2005-01-01'), not a datetime.date"),
        ({"date": 2005}, "its date is an int (2005), not a datetime.date"),
        # (indexed: a document no command could name, listed as a blank id)
        ({"id": ""}, "its id is empty: get, delete and show find a document by its id"),
        ({"id": " \t"}, "its id is empty"),
    ],
)
def test_a_document_with_fields_of_the_wrong_type_is_a_document_index_error(
    tmp_path: Path, fields: dict, problem: str
):
    """``add_documents`` names the document and the field; nothing of the batch is written
    (these raised TypeError, ValueError or AttributeError)."""
    values = {"id": "doc", "title": "A title", "body": "Labour won the vote.", **fields}
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="kept", title="Kept", body="Kept text.")])
        with pytest.raises(DocumentIndexError) as caught:
            ix.add_documents([Document(id="first", title="First", body="Text."),
                              Document(**values)])
        assert problem in str(caught.value)
        assert "the index keeps its last commit" in str(caught.value)
        assert_readable(str(caught.value))
        assert [h.id for h in ix.list_documents(limit=10)] == ["kept"]


@pytest.mark.parametrize(("options", "error", "message"), [
    # (each file was skipped, "could not be parsed: TypeError: unsupported operand type(s)
    # for +: 'int' and 'str'", and the run reported 0 indexed with no error)
    ({"id_prefix": 5}, DocumentIndexError,
     r"^id_prefix is an int \(5\), not text \(a prefix like 'news/', '' for none\); "
     r"nothing was indexed\.$"),
    # (AttributeError: 'int' object has no attribute 'strip')
    ({"source": 5}, DocumentIndexError,
     r"^source is an int \(5\), not text \(a publisher like 'The Guardian', '' for none\)"),
    # (AttributeError: 'list' object has no attribute 'items')
    ({"columns": ["title=headline"]}, ColumnsError,
     r"^The column mapping is a list \(\['title=headline'\]\), not a dict \(\{'title': "
     r"'headline'\}\) or text \('title=headline,text=story'\)\.$"),
])
@pytest.mark.parametrize("rebuild", [False, True])
def test_a_folder_option_of_the_wrong_type_is_one_error_and_nothing_is_indexed(
        tmp_path: Path, options: dict, error: type, message: str, rebuild: bool):
    with pytest.raises(error, match=message):
        index_seeds_with(tmp_path / "ix", rebuild, **options)
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("procs", [1, 2])
def test_a_record_given_as_a_dict_is_a_document_index_error_saying_how_to_make_a_document(
    tmp_path: Path, procs: int
):
    """(it raised AttributeError: 'dict' object has no attribute 'id')"""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="kept", title="Kept", body="Kept text.")])
        with pytest.raises(DocumentIndexError, match=r"Document\(\*\*record\)") as caught:
            ix.add_documents([Document(id="first", title="First", body="Text."),
                              {"id": "r1", "title": "A record", "body": "Text."}], procs=procs)
        assert "the index keeps its last commit" in str(caught.value)
        assert_readable(str(caught.value))
        assert [h.id for h in ix.list_documents(limit=10)] == ["kept"]


@pytest.mark.parametrize("given", [None, "a/1", {"id": "a/1"}, 5])
def test_documents_to_add_that_are_no_collection_of_documents_are_a_document_index_error(
    tmp_path: Path, given: object
):
    with CorpusIndex(tmp_path / "ix") as ix, pytest.raises(DocumentIndexError,
                                                           match="Document objects"):
        ix.add_documents(given)  # type: ignore[arg-type]


def test_one_document_is_added_as_one_id_is_deleted(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.add_documents(Document(id="a/1", title="One", body="Labour text.")) == 1
        assert ix.get("a/1").title == "One"
        assert ix.delete("a/1") == 1 and len(ix) == 0


@pytest.mark.parametrize("method", ["get", "describe", "stored_fields", "similar", "delete"])
def test_a_number_given_for_an_id_is_a_query_error_naming_the_id_as_text(
    tmp_path: Path, method: str
):
    """A CSV record's id 5 is the text "5"; a number raised AttributeError from Whoosh."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.csv").write_text("id,title,body\n5,Five,Labour text.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        with pytest.raises(QueryError, match=r"^A document's id is text: '5', not the number 5\.$"):
            getattr(ix, method)(5)
        with pytest.raises(QueryError, match=r"^A document's id is text, not None\.$"):
            getattr(ix, method)(None)
        assert ix.get("5").title == "Five"
        hit = ix.search("Labour")[0]
        with pytest.raises(QueryError, match=r"^A document's id is text, not a Hit: give its "
                                             r"\.id \('5'\)\.$"):
            getattr(ix, method)(hit)


def test_jsonl_and_csv_fields_of_the_wrong_type_are_warnings_not_tracebacks(tmp_path: Path):
    """Numbers, lists, objects and null where text is expected: each record is indexed with
    what can be read, or skipped with a line-numbered warning; the run exits 0."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"id": 5, "title": 7, "body": "Labour won the vote in the Commons", "date": 2005,
         "source": ["BBC"], "url": None},
        {"id": [1], "title": ["x"], "body": "Tories in the Commons", "date": {"y": 1},
         "source": 1.5, "url": 3},
        {"id": None, "title": None, "body": 12345, "date": None, "source": None},
        {"id": True, "title": False, "body": ["Labour"], "date": True, "source": {"a": 1}},
    ]
    (corpus / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (corpus / "b.csv").write_text("id,title,body,date,source\n1,2,3,4,5\n,,Labour body,,\n")
    result = invoke("index", str(corpus), "--index", str(tmp_path / "ix"), "--json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)["reports"][0]
    assert report["indexed"] == 2
    result = invoke("search", "commons", "--index", str(tmp_path / "ix"), "--json")
    assert result.exit_code == 0, result.output
    assert {h["id"] for h in json.loads(result.stdout)["hits"]} == {"5", "a.jsonl#2"}


# -- queries whose text was lost in decoding ---------------------------------------------------


@pytest.mark.parametrize("call", ["search", "count", "concordance", "key_terms", "export_text"])
def test_a_query_holding_bytes_that_are_not_utf8_is_refused_naming_the_bytes(
    seeds_index: CorpusIndex, call: str
):
    """A terminal in Latin-1 hands ``Corbyn\\xe9`` to Python as ``Corbyn`` and a lone
    surrogate, which had been searched as a space: 5 documents "matched" a word no one typed."""
    with pytest.raises(QueryError) as caught:
        getattr(seeds_index, call)("Corbyn\udce9")
    assert str(caught.value).startswith(
        "The query 'Corbyn\\xe9' holds bytes that are not UTF-8 text (\\xe9)")


def test_a_query_holding_the_replacement_character_is_refused(seeds_index: CorpusIndex):
    """U+FFFD marks a character a decoder could not read: "Corb\ufffdyn" had been searched as
    Corb and yn."""
    with pytest.raises(QueryError) as caught:
        seeds_index.search("Corb\ufffdyn")
    assert str(caught.value).startswith("The query 'Corb\ufffdyn' holds U+FFFD")


@pytest.mark.parametrize("command", [["search"], ["count"], ["trends", "Labour"]])
def test_the_cli_refuses_a_query_typed_in_another_encoding_in_one_line(
    seeds_index: CorpusIndex, command: list[str]
):
    result = invoke(*command, "Corbyn\udce9", "--index", str(seeds_index.path))
    assert_one_line_error(result, "Corbyn\\xe9", "not UTF-8", "set the terminal")


def test_a_query_of_accented_words_is_still_searched(seeds_index: CorpusIndex):
    assert seeds_index.search("Corbyn café").total == seeds_index.search("Corbyn").total


# -- filters of the wrong type ----------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [{"party": 2005}, {"party": ["Labour"]}, {"source": 3}, {"source": {"BBC": 1}},
     {"party": b"Labour"}],
)
def test_filters_of_the_wrong_type_raise_query_error(seeds_index: CorpusIndex, filters: dict):
    """``search(filters={"party": 2005})`` raised AttributeError."""
    with pytest.raises(QueryError) as caught:
        seeds_index.search("labour", filters=filters)
    name = next(iter(filters))
    assert str(caught.value).startswith(f"The {name} filter must be text")
    assert_readable(str(caught.value))


@pytest.mark.parametrize(("filters", "meant"), [
    ({"parties": "Labour"}, "(a party: party='Labour')."),
    ({"year": 2005}, "(a year: since='2005', until='2005')."),
    ({"date": "2005"}, "(dates: since=..., until=...)."),
    ({"colour": "red"}, "include_undated."),
    ({5: "x"}, "include_undated."),
])
def test_an_unknown_filter_names_the_filters_and_the_one_probably_meant(
    seeds_index: CorpusIndex, filters: dict, meant: str
):
    """(a hit's field is "parties", the filter "party"; a key that is no text raised
    TypeError from sorting the names)"""
    with pytest.raises(QueryError, match=r"^Unknown filter ") as caught:
        seeds_index.search("labour", filters=filters)
    assert str(caught.value).endswith(meant)


def test_include_undated_is_true_or_false_not_text(seeds_index: CorpusIndex):
    """(bool("false") is True: a filter read from a config file kept the undated)"""
    with pytest.raises(QueryError, match=r"^include_undated must be True or False, not a str "
                       r"\('false'\)\.$"):
        seeds_index.search("labour", filters={"since": "2018", "include_undated": "false"})
    with pytest.raises(QueryError, match=r"^include_undated must be True or False, not a str"):
        SearchFilters(since="2018", include_undated="no")
    # (a flag is a bool, as every flag of the API is: 1 and 0 are refused too)
    with pytest.raises(QueryError, match=r"not an int \(1\)\.$"):
        SearchFilters(include_undated=1)
    kept = seeds_index.search("labour", filters={"since": "2018", "include_undated": False})
    assert kept.total == seeds_index.search("labour", filters={"since": "2018"}).total


def test_well_typed_filters_still_work(seeds_index: CorpusIndex):
    assert seeds_index.search("labour", filters={"party": "labour", "since": 2005}).total


# -- numbers of other integer types ------------------------------------------------------------


def test_numpy_integers_are_whole_numbers_for_limits_pages_and_widths(small_index: CorpusIndex):
    """A count read from a data frame is a NumPy int64: it was refused as "not a whole number"
    (limit must be a whole number from 1 to 1000, not np.int64(5))."""
    np = pytest.importorskip("numpy")
    ix, one, two = small_index, np.int64(1), np.int32(2)
    paged = ix.search("Labour", limit=one, page=two)
    assert paged.hits and paged.hits == ix.search("Labour", limit=1, page=2).hits
    assert ix.list_documents(limit=two).limit == 2
    lines = ix.concordance("Labour", limit=two, width=np.int16(30))
    assert lines.lines and lines.lines == ix.concordance("Labour", limit=2, width=30).lines
    # (labour: the word in any sense; the two documents naming the party hold no word that
    # sets them apart from the seven others)
    terms = ix.key_terms("labour", limit=two, min_documents=one)
    assert terms.terms and terms.terms == ix.key_terms("labour", limit=2, min_documents=1).terms
    assert ix.similar("labour/plp", limit=one).limit == 1


@pytest.mark.parametrize("call", [
    lambda ix: ix.search("Labour", limit=True), lambda ix: ix.search("Labour", page=True),
    lambda ix: ix.concordance("Labour", width=True), lambda ix: ix.search("Labour", limit=5.0),
    lambda ix: ix.key_terms("Labour", limit=False),
])
def test_true_false_and_floats_are_no_whole_numbers(seeds_index: CorpusIndex, call):
    with pytest.raises(QueryError, match="must be a whole number"):
        call(seeds_index)


def test_a_missing_index_is_told_in_the_library_s_terms_and_the_command_s(tmp_path: Path):
    """From Python, a missing index is made by a method, not a command line; the command
    says its own command (the library's message carried the CLI's advice into notebooks)."""
    missing = tmp_path / "ix"
    with pytest.raises(IndexNotFoundError) as caught:
        CorpusIndex.open(missing)
    assert str(caught.value) == (
        f"No corpus_search index at {missing}. Make one by indexing a folder into it: "
        f"CorpusIndex({str(missing)!r}).index_directory(FOLDER).")
    assert "corpus-search" not in str(caught.value) and "--" not in str(caught.value)
    shown = CliRunner().invoke(cli, ["list", "--index", str(missing)])
    assert (shown.exit_code, shown.stderr) == (2, (
        f"error: No corpus_search index at {missing}. Create one with: corpus-search index "
        f"DIR --index {missing}\n"))


def test_opening_a_folder_of_articles_as_an_index_tells_a_library_user_how_to_index_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """CorpusIndex.open(~/articles) said only "None can be made there: the folder holds other
    files" (the command's advice, with its --index, was kept for the command): it now says
    what the path names and the call that indexes them, or opens the index holding them."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    articles = tmp_path / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "001.txt").write_text("Budget\n\nThe NHS.\n", encoding="utf-8")
    with pytest.raises(IndexNotFoundError) as caught:
        CorpusIndex.open(articles)
    assert str(caught.value) == (
        f"No corpus_search index at {articles}. {articles} holds articles, not an index: a "
        "CorpusIndex's path names the folder of an index (made by index_directory). Index "
        f"them with: CorpusIndex('NEW_FOLDER').index_directory({str(articles)!r}), then open "
        "that.")
    with CorpusIndex() as default:
        default.index_directory(articles)
    with pytest.raises(IndexNotFoundError) as caught:
        CorpusIndex.open(articles)
    assert str(caught.value).endswith(
        f" Your index at {default.path} holds them: CorpusIndex() opens it.")
    assert "--index" in caught.value.cli_message and "--" not in str(caught.value)


def _snapshot(folder: Path) -> list[tuple[str, int, int]]:
    """Every entry under ``folder`` with its size and modification time."""
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in [folder, *folder.rglob("*")])


@pytest.mark.parametrize("make", [
    lambda path: CorpusIndex(path),
    lambda path: CorpusIndex(path, create="on_write"),
    lambda path: CorpusIndex.create(path),
    lambda path: CorpusIndex.create(path, overwrite=True),
    lambda path: rebuild_index(path, [SEEDS]),
], ids=["CorpusIndex", "on_write", "create", "create-overwrite", "rebuild_index"])
def test_making_an_index_in_a_folder_of_articles_says_what_opening_it_says_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], object]):
    """CorpusIndex(~/articles) said only "Refusing to create an index in ...: the folder
    holds other files (politics)", where opening it says what an index's path names and how
    to index the articles: the same advice now, from the one function that words it."""
    from corpus_search.store.collection import articles_advice

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    articles = tmp_path / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "001.txt").write_text("Budget\n\nThe NHS.\n", encoding="utf-8")
    before = _snapshot(articles)
    with pytest.raises(IndexLocationError) as caught:
        make(articles)
    advice = articles_advice(articles)
    refused = f"Refusing to create an index in {articles}: the folder holds other files (politics)."
    assert str(caught.value) == f"{refused} {advice}"
    assert caught.value.cli_message == f"{refused} {advice.cli_message}"
    assert str(advice).startswith(f"{articles} holds articles, not an index: a CorpusIndex's ")
    with pytest.raises(IndexNotFoundError) as opened:
        CorpusIndex.open(articles)
    assert str(opened.value).endswith(str(advice))
    assert _snapshot(articles) == before


def test_indexing_into_a_folder_of_articles_gives_the_command_s_advice_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    articles = tmp_path / "articles"
    (articles / "politics").mkdir(parents=True)
    (articles / "politics" / "001.txt").write_text("Budget\n\nThe NHS.\n", encoding="utf-8")
    before = _snapshot(articles)
    for rebuild in ([], ["--rebuild"]):
        result = CliRunner().invoke(cli, ["index", str(SEEDS), "--index", str(articles),
                                          *rebuild])
        assert (result.exit_code, result.stderr) == (2, (
            f"error: Refusing to create an index in {articles}: the folder holds other files "
            f"(politics). {articles} holds articles, not an index: --index names the folder "
            "of an index (made by corpus-search index). Index them with: corpus-search index "
            f"{articles} --index NEW-FOLDER, then give that --index.\n"))
    assert _snapshot(articles) == before
