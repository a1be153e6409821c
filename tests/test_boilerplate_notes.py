"""What the tools say of repeated lines removed as boilerplate (docs/ingest.md, Boilerplate):
a word only such a line held is said to stand there by every tool that looks for it, not
merely "not found", and ``show`` says that a text lost lines its file holds."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_corpus
from corpus_search import CorpusIndex
from corpus_search.boilerplate_removed import (
    RemovedLines,
    removed_from,
    removed_lines,
    removed_note,
)
from corpus_search.boilerplate_words import RemovedWord, removed_word_line, removed_words
from corpus_search.cli import cli
from corpus_search.errors import QueryError
from test_boilerplate import MASTHEAD, SUBSCRIBE, _story

#: what every tool says of "subscribe", which only the removed footer line held
SAID = ("subscribe stands only in a line removed as repeated boilerplate: 'click here to "
        "subscribe to the gazette for daily updates' (lower-cased), which 4 documents had "
        "(see Boilerplate in docs/ingest.md)")


@pytest.fixture(scope="module")
def gazette(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a folder of four articles under a masthead, with a subscribe line at the
    foot, and one article without them; the index's path."""
    root = tmp_path_factory.mktemp("notes")
    files = {f"g{n}.txt": _story(n, chrome=True) for n in range(4)}
    files["other.txt"] = _story(9)
    folder = write_corpus(root / "gazette", files, afresh=True)
    with CorpusIndex(root / "ix") as ix:
        ix.index_directory(folder)
    return root / "ix"


def _said(args: list[str]) -> str:
    """What the command prints (standard output and error), its lines unwrapped."""
    return " ".join(CliRunner().invoke(cli, args).output.split())


@pytest.mark.parametrize("command", [
    ["count", "subscribe"], ["count", "subscribe", "--csv"],
    ["concordance", "subscribe"], ["concordance", "subscribe", "--csv"],
    ["key-terms", "subscribe"], ["trends", "subscribe", "libraries"],
    ["trends", "subscribe", "--csv"], ["export", "subscribe", "-"],
])
def test_every_tool_says_where_a_word_went_that_only_a_removed_line_held(
        gazette: Path, command: list[str]):
    said = _said([*command, "--index", str(gazette)])
    assert SAID in said
    assert "Not found in any document" not in said


@pytest.mark.parametrize("command", [["count"], ["concordance"], ["export", "-"]])
def test_a_word_no_file_holds_is_still_not_found(gazette: Path, command: list[str]):
    said = _said([command[0], "Zanzibar", *command[1:], "--index", str(gazette)])
    assert "Not found in any document: Zanzibar" in said
    assert "boilerplate" not in said


def test_the_library_names_the_line_for_a_count_a_concordance_and_an_export(gazette: Path):
    """Each tool's result keeps the word among its ``not_found``, and ``removed_words``
    says where it went, as for a search: one rule, whichever tool asked."""
    with CorpusIndex.open(gazette) as ix:
        results = [ix.count("subscribe"), ix.concordance("subscribe"),
                   ix.export("subscribe", gazette.parent / "out.csv")]
        for result in results:
            (found,) = removed_words(ix, result.not_found)
            assert removed_word_line(found) == SAID


def test_the_quoted_line_is_said_to_be_lower_cased_not_as_the_files_write_it():
    """The record keeps the line as lines are compared, in lower case: a user grepping the
    files for it as quoted would miss THE WESTMINSTER GAZETTE, so the note says so."""
    said = removed_word_line(RemovedWord("Gazette", MASTHEAD.casefold(), 3))
    assert f"'{MASTHEAD.casefold()}' (lower-cased)," in said


def test_show_says_that_the_text_lost_the_lines_its_file_holds(gazette: Path):
    with CorpusIndex.open(gazette) as ix:
        lost = removed_from(ix, "g1")
        assert sorted(lost) == sorted([MASTHEAD.casefold(), SUBSCRIBE.casefold()])
        assert removed_from(ix, "other") == []  # (no masthead, no footer)
        assert removed_from(ix, "nothing-has-this-id") == []
    note = ("2 repeated lines of the file were removed as boilerplate, 1 from the start of "
            "this text and 1 from its end (not searched; see Boilerplate in docs/ingest.md).")
    with CorpusIndex.open(gazette) as ix:
        assert removed_note(removed_lines(ix, "g1")) == note
    assert removed_note([]) is None
    out = CliRunner().invoke(cli, ["show", "g1", "--index", str(gazette)])
    assert note in " ".join(out.output.split())
    assert "Click here to subscribe" not in out.stdout  # (the text, as indexed)
    out = CliRunner().invoke(cli, ["show", "other", "--index", str(gazette)])
    assert "boilerplate" not in out.output


def test_show_json_is_the_document_alone_with_the_note_on_standard_error(gazette: Path):
    out = CliRunner().invoke(cli, ["show", "g1", "--json", "--index", str(gazette)])
    assert "boilerplate" not in out.stdout
    assert "2 repeated lines of the file were removed" in out.stderr


def test_a_repeated_line_kept_inside_the_text_is_not_said_to_be_removed(tmp_path: Path):
    """The masthead stands at the top of three articles (removed) and inside a fourth's
    text (kept): show says nothing of it for the fourth."""
    files = {f"g{n}.txt": _story(n, chrome=True) for n in range(3)}
    files["inside.txt"] = _story(7, MASTHEAD)
    folder = write_corpus(tmp_path / "gazette", files, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert MASTHEAD in ix.get("inside").body
        assert removed_from(ix, "inside") == []
        assert MASTHEAD.casefold() in removed_from(ix, "g0")


def test_show_says_which_end_of_the_text_each_removed_line_stood_at(tmp_path: Path):
    """The masthead stood above the text and the subscribe line below it: the note says
    where, as the rule removes them (from the start and end, never from inside)."""
    top = {f"t{n}.txt": _story(n).replace("Story number", f"Story {n} of the day\n\n"
                                          f"{MASTHEAD}\n\nNumber") for n in range(3)}
    foot = {f"f{n}.txt": _story(n) + f"\n{SUBSCRIBE}\n" for n in range(3)}
    folder = write_corpus(tmp_path / "gazette", {**top, **foot}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert removed_lines(ix, "t0") == RemovedLines((MASTHEAD.casefold(),), ("start",))
        assert removed_lines(ix, "f0") == RemovedLines((SUBSCRIBE.casefold(),), ("end",))
        assert removed_note(removed_lines(ix, "f0")) == (
            "1 repeated line of the file was removed from the end of this text as "
            "boilerplate (not searched; see Boilerplate in docs/ingest.md).")


def test_a_file_changed_since_it_was_indexed_is_said_to_have_lost_lines_at_start_or_end(
        tmp_path: Path):
    """Where the lines stood is read from the file as it was indexed: changed since, the
    note still says which lines it lost, and "the start or end"."""
    folder = write_corpus(tmp_path / "gazette", {f"g{n}.txt": _story(n, chrome=True)
                                            for n in range(3)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        (folder / "g1.txt").write_text("Rewritten since.\n", encoding="utf-8")
        lost = removed_lines(ix, "g1")
    assert (len(lost.lines), lost.places) == (2, ())
    assert "were removed from the start or end of this text" in removed_note(lost)


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_a_record_of_a_csv_or_json_lines_file_is_said_to_have_lost_its_own_lines(
        tmp_path: Path, kind: str):
    """Repeated lines are removed from a CSV's rows and a JSON Lines file's records as from
    a text file: show says so of each record that lost one (not of one that did not, though
    its file held the line), and where it stood."""
    texts = [f"{MASTHEAD}\n\nThe council met on day {n} to discuss the budget."
             for n in range(3)] + ["The council met again to discuss the libraries budget."]
    if kind == "jsonl":
        rows = "".join(json.dumps({"id": f"r{n}", "title": f"Row {n}", "text": text}) + "\n"
                       for n, text in enumerate(texts))
    else:
        out = io.StringIO()
        csv.writer(out).writerows([["id", "title", "text"], *(
            [f"r{n}", f"Row {n}", text] for n, text in enumerate(texts))])
        rows = out.getvalue()
    folder = write_corpus(tmp_path / "rows", {f"rows.{kind}": rows}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert MASTHEAD not in ix.get("r0").body  # (removed: it repeats in three rows)
        assert removed_lines(ix, "r0") == RemovedLines((MASTHEAD.casefold(),), ("start",),
                                                       in_record=True)
        assert removed_lines(ix, "r3") == RemovedLines()  # (the file's line, not its)
    said = " ".join(CliRunner().invoke(cli, ["show", "r1", "--index", str(tmp_path / "ix")])
                    .output.split())
    assert ("1 repeated line of this record in the file was removed from the start of this "
            "text as boilerplate") in said


def test_a_note_names_each_place_its_lines_stood_at_in_order():
    lines = RemovedLines(("a", "b", "c"), ("end", "within", "start"))
    assert removed_note(lines) == (
        "3 repeated lines of the file were removed as boilerplate, 1 from the start of this "
        "text, 1 from its end and 1 from within it (not searched; see Boilerplate in "
        "docs/ingest.md).")


def test_a_document_s_fields_come_without_its_body_when_show_has_read_it(gazette: Path):
    """show reads a text once: the note's fields (its folder and file) come without it."""
    with CorpusIndex.open(gazette) as ix:
        fields = ix.stored_fields("g1", body=False)
        assert fields is not None and "body" not in fields
        assert (fields["file"], "body" in ix.stored_fields("g1")) == ("g1.txt", True)
        body = ix.get("g1").body
        assert removed_from(ix, "g1", body) == removed_from(ix, "g1")
        with pytest.raises(QueryError, match="body must be True or False"):
            ix.stored_fields("g1", body="no")


def test_a_document_s_web_page_says_what_show_says_of_the_lines_its_text_lost(gazette: Path):
    pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")
    from corpus_search.web import create_app

    with CorpusIndex.open(gazette) as ix:
        client = create_app(ix).test_client()
        page = client.get("/doc/g1").get_data(as_text=True)
        other = client.get("/doc/other").get_data(as_text=True)
        note = removed_note(removed_lines(ix, "g1"))
    assert note and note in html.unescape(page)
    assert "boilerplate" not in other
