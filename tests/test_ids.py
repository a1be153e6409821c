"""An unknown id names the ids that were probably meant: the file name, the file's path, other
capitals, the id without its folder's prefix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex, Document, DocumentNotFoundError, MultiIndex, QueryError
from corpus_search.cli import cli
from corpus_search.search.ids import meant_ids

IDS = ["politics/001", "politics/111", "sport/111", "tech/111", "news/politics/200",
       "records.jsonl#2", "Budget-Notes", "feeds/items.csv#10", "feeds/items.csv#2",
       "news/feeds/items.csv#3"]


@pytest.mark.parametrize(("given", "meant"), [
    ("politics/111.txt", ["politics/111"]),  # the file name
    ("politics/111.MD", ["politics/111"]),
    ("./politics/111.txt", ["politics/111"]),
    ("politics\\111.txt", ["politics/111"]),  # a Windows path
    ("/home/me/articles/politics/111.txt", ["politics/111"]),  # the file's full path
    ("articles/politics/001.txt", ["politics/001"]),
    ("POLITICS/111", ["politics/111"]),  # other capitals
    ("budget-notes", ["Budget-Notes"]),
    ("politics/200", ["news/politics/200"]),  # without its folder's prefix
    ("111", ["tech/111", "sport/111", "politics/111"]),  # the shortest first
    ("politics/1", ["politics/001"]),  # its number without the leading zeros
    ("Politics/01", ["politics/001"]),
    # a file of records: its records' ids, by line ("show feed.jsonl" named none of them)
    ("records.jsonl", ["records.jsonl#2"]),
    ("feeds/items.csv", ["feeds/items.csv#2", "feeds/items.csv#10", "news/feeds/items.csv#3"]),
    ("/home/me/news/feeds/items.csv", ["news/feeds/items.csv#3", "feeds/items.csv#2",
                                       "feeds/items.csv#10"]),
])
def test_an_unknown_id_stands_for_the_ids_a_person_probably_meant(given: str, meant: list[str]):
    assert meant_ids(given, IDS) == meant


@pytest.mark.parametrize("given", [
    "business/111",  # another folder's 111: a path only stands for an id when it is a file's
    "politics/11",  # no guessing at near misses
    "politics/111/extra",
    ".txt",
    "",
])
def test_an_id_that_stands_for_no_id_suggests_none(given: str):
    assert meant_ids(given, IDS) == []


@pytest.fixture
def index(tmp_path: Path) -> Iterator[CorpusIndex]:
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(f"{folder}/{n:03}", f"{folder} story {n}", "Labour won.")
                          for folder in ("politics", "sport", "tech", "business", "world")
                          for n in (1, 111)])
        yield ix


def test_similar_of_a_file_name_names_its_id_in_the_error(index: CorpusIndex):
    with pytest.raises(DocumentNotFoundError) as caught:
        index.similar("politics/111.txt")
    assert str(caught.value) == (
        f"No document with id 'politics/111.txt' in {index.path}; did you mean politics/111?")


def test_an_error_names_three_ids_and_counts_the_others(index: CorpusIndex):
    assert str(index.unknown_id("Politics/1")) == (
        f"No document with id 'Politics/1' in {index.path}; did you mean politics/001?")
    assert str(index.unknown_id("00")) == f"No document with id '00' in {index.path}."
    many = [Document(f"politics/{n}", "a story", "Labour won.") for n in ("01", "0001", "1")]
    index.add_documents(many)
    assert str(index.unknown_id("politics/00001")) == (
        f"No document with id 'politics/00001' in {index.path}; did you mean politics/0001, "
        "politics/001, politics/01 or 1 more?")


def test_the_ids_ending_in_a_number_given_are_every_one_of_them_not_a_guess(
    index: CorpusIndex,
):
    """show 047, after politics/047 was deleted, said "did you mean business/047?", as if
    that were the document asked for: the ids ending in it are listed, all of them, as
    such."""
    assert str(index.unknown_id("111")) == (
        f"No document with id '111' in {index.path}; the ids ending in /111 are tech/111, "
        "sport/111, world/111, business/111 and politics/111.")
    index.delete([f"{folder}/111" for folder in ("politics", "sport", "tech", "world")])
    assert str(index.unknown_id("111")) == (
        f"No document with id '111' in {index.path}; the only id ending in /111 is "
        "business/111.")
    shown = CliRunner().invoke(cli, ["show", "111", "--index", str(index.path)])
    assert shown.exit_code == 2
    assert shown.output == (
        f"error: No document with id '111' in {index.path}; the only id ending in /111 is "
        f"business/111. Search for it, or list ids with: corpus-search list --index "
        f"{index.path}\n")


def test_an_id_deleted_from_the_index_is_not_suggested(index: CorpusIndex):
    index.delete(["politics/111"])
    assert str(index.unknown_id("politics/111.txt")) == (
        f"No document with id 'politics/111.txt' in {index.path}.")


def test_an_id_that_two_indexes_hold_is_suggested_once_for_each(tmp_path: Path):
    for name in ("news", "statements"):
        with CorpusIndex(tmp_path / name) as ix:
            ix.add_documents([Document("politics/111", f"{name} story", "Labour won.")])
    with MultiIndex([tmp_path / "news", tmp_path / "statements"]) as both:
        assert str(both.unknown_id("Politics/111")).endswith("did you mean politics/111?")


@pytest.mark.parametrize("command", ["show", "similar"])
def test_show_and_similar_of_a_file_name_say_which_id_to_type_and_how_to_find_one(
        index: CorpusIndex, command: str):
    """similar ended at the suggestion, without the way to find a document that show gives."""
    result = CliRunner().invoke(cli, [command, "sport/111.txt", "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: No document with id 'sport/111.txt' in {index.path}; did you mean sport/111? "
        f"Search for it, or list ids with: corpus-search list --index {index.path}\n")


@pytest.mark.parametrize("given", ["sub/speeches.csv", "speeches.csv", "./sub/speeches.csv",
                                   "{root}/sub/speeches.csv"])
def test_a_file_whose_records_have_ids_of_their_own_names_them_for_its_name(
        tmp_path: Path, given: str):
    # (the ids a CSV's id column gives name no file: "No document with id 'speeches.csv'"
    # said nothing of the ids 1 and 2 it holds)
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "speeches.csv").write_text(
        "id,title,body\ns-1,Kennedy speech,Charles Kennedy spoke.\n"
        "s-2,Blair speech,Tony Blair spoke.\n", encoding="utf-8")
    (root / "note.txt").write_text("Note\n\nA note on Labour.\n", encoding="utf-8")
    given = given.format(root=root)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        assert str(ix.unknown_id(given)) == (
            f"No document with id {given!r} in {ix.path}; did you mean s-1 or s-2?")
        result = CliRunner().invoke(cli, ["show", given, "--index", str(ix.path)])
        assert "did you mean s-1 or s-2?" in result.output


#: an id typed with bytes that are no UTF-8 (a Latin-1 terminal's "é"), as Python holds them
UNDECODABLE = "politics/\udce9"


def test_an_id_that_is_no_text_is_no_documents_id(index: CorpusIndex, tmp_path: Path):
    assert index.get(UNDECODABLE) is None and index.describe(UNDECODABLE) is None
    with pytest.raises(DocumentNotFoundError):
        index.similar(UNDECODABLE)
    with CorpusIndex(tmp_path / "other") as other:
        other.add_documents([Document("politics/001", "Other", "Labour won.")])
    with MultiIndex([index.path, tmp_path / "other"]) as both:
        assert both.get(UNDECODABLE) is None and both.get(f"other:{UNDECODABLE}") is None


@pytest.mark.parametrize("command", ["show", "similar"])
def test_show_and_similar_of_an_id_that_is_no_text_fail_in_one_line(index: CorpusIndex,
                                                                     command: str):
    result = CliRunner().invoke(cli, [command, UNDECODABLE, "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: No document with id 'politics/\\udce9'")
    assert len(result.output.splitlines()) == 1


def test_a_row_deleted_above_others_says_their_line_ids_now_name_other_records(tmp_path: Path):
    # (a citation of coverage.csv#3 showed another article afterwards, with no word of it)
    folder = tmp_path / "export"
    folder.mkdir()
    rows = ["Labour wins seat,The Labour candidate won.",
            "Tories pick new leader,The Conservatives chose a leader.",
            "Lib Dems win seat,The Liberal Democrats won a seat."]
    table = folder / "coverage.csv"
    table.write_text("title,body\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        table.write_text("title,body\n" + "\n".join(rows[1:]) + "\n", encoding="utf-8")
        report = ix.index_directory(folder)
        (warning,) = report.warnings
        assert warning == (
            "coverage.csv: 2 records without an id moved to other lines, so their ids (their "
            "lines) named other records before (coverage.csv#2 was 'Labour wins seat', now "
            "'Tories pick new leader'): give the file an id column to keep each record's id "
            "(--columns id=COLUMN)")
        # a row edited, and one added below, move nothing
        table.write_text("title,body\n" + "\n".join([rows[1] + " Again.", rows[2],
                                                      "New story,Text."]) + "\n",
                         encoding="utf-8")
        assert ix.index_directory(folder).warnings == []


def test_a_moved_record_without_a_title_is_named_by_its_first_words(tmp_path: Path):
    """(the warning said "now ''" for an untitled JSON Lines record)"""
    folder = tmp_path / "export"
    folder.mkdir()
    lines = ['{"body": "The Labour candidate won the seat by a wide margin on Thursday."}',
             '{"body": "The Conservatives chose a leader."}']
    table = folder / "coverage.jsonl"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        table.write_text(lines[1] + "\n", encoding="utf-8")
        (warning,) = ix.index_directory(folder).warnings
    assert ("(coverage.jsonl#1 was 'The Labour candidate won the seat …' (no title), now "
            "'The Conservatives chose a leader.' (no title))") in warning


def test_a_run_strips_each_record_of_its_folders_boilerplate_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The scan takes the folder's repeated lines (boilerplate) out of each record it read,
    once, finding the lines it reports as it strips them: the check of which records moved
    and the writing read the records as written, stripping nothing again, and name them so."""
    import json

    from corpus_search import repeated

    masthead = "THE WESTMINSTER GAZETTE DAILY EDITION ONLINE"
    folder = tmp_path / "export"
    folder.mkdir()
    table = folder / "coverage.jsonl"
    rows = [json.dumps({"body": f"{masthead}\nStory {n}: the council met about its budget."})
            for n in range(4)]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        stripped: list[str] = []
        original = repeated.without_boilerplate
        monkeypatch.setattr(repeated, "without_boilerplate",
                            lambda body, lines: stripped.append(body) or original(body, lines))
        table.write_text("\n".join(rows[1:]) + "\n", encoding="utf-8")
        report = ix.index_directory(folder)
        assert ix.get("coverage.jsonl#1").body == "Story 1: the council met about its budget."
    # (a record without a title is named by its text as written, before and now)
    assert ("was 'Story 0: the council met about …' (no title), now 'Story 1: the council met "
            "about …' (no title)") in report.warnings[0]
    assert report.boilerplate == [(masthead.casefold(), 3)]
    assert sorted(stripped) == [f"{masthead}\nStory {n}: the council met about its budget."
                                for n in (1, 2, 3)]


def test_in_says_whether_the_index_holds_a_document_of_that_id(index: CorpusIndex,
                                                                tmp_path: Path):
    """``"politics/281" in ix`` raised TypeError (the index is no container of its ids);
    it asks what ``get`` asks, so both agree on every id."""
    assert "politics/111" in index and index.get("politics/111") is not None
    for absent in ("politics/999", "politics/111.txt", "POLITICS/111", UNDECODABLE):
        assert absent not in index and index.get(absent) is None
    index.delete(["politics/111"])
    assert "politics/111" not in index
    with pytest.raises(QueryError, match="A document's id is text"):
        _ = 111 in index  # (as index.get(111) says)
    with CorpusIndex(tmp_path / "other") as other:
        other.add_documents([Document("politics/001", "Other", "Labour won.")])
    with MultiIndex([index.path, tmp_path / "other"]) as both:
        # (an id both hold: get asks which one is meant; both hold it)
        assert "politics/001" in both and "other:politics/001" in both
        assert "other:politics/111" not in both
