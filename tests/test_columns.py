"""Column names (``index_directory(columns=...)``, ``corpus-search index --columns``): a
spreadsheet export or a JSON Lines dump rarely names its columns title and body, and a
researcher can say once which columns hold the text, title, date, source, id and url."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_as_printed, write_corpus
from corpus_search import ColumnsError, CorpusIndex
from corpus_search.cli import cli
from corpus_search.index import rebuild_index, remove_index
from corpus_search.ingest.columns import column_mapping
from corpus_search.ingest.files import read_file
from corpus_search.ingest.formats import read_csv, read_jsonl
from corpus_search.ingest.model import FileResult

EXPORT = ("Headline,Content,Published,Outlet,Ref\n"
          "Labour wins seat,The Labour candidate won the by-election.,2005-05-06,BBC,a1\n"
          "Tories lose,The Conservatives lost two seats.,2010-05-07,ITV,a2\n")
DUMP = json.dumps({"headline": "NHS plan", "content": "The NHS plan was announced.",
                   "published": "2019-01-02", "ref": "j1"}) + "\n"
MAPPING = {"text": "content", "title": "headline", "date": "published", "source": "outlet",
           "id": "ref"}


def documents(index: CorpusIndex) -> dict[str, tuple[str, str, str | None, str | None]]:
    """id -> (title, body, date, source) of every document."""
    return {f["id"]: (f["title"], index.get(f["id"]).body, f.get("date") and str(f["date"])[:10],
                      f.get("source"))
            for f in index.searcher().all_stored_fields()}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "export", {"news.csv": EXPORT, "more.jsonl": DUMP})


def test_the_mapped_columns_give_each_document_its_text_title_date_source_and_id(
    tmp_path: Path, export: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(export, columns=MAPPING)
        assert (report.indexed, report.skipped) == (2, [])
        assert documents(ix) == {
            "a1": ("Labour wins seat", "The Labour candidate won the by-election.",
                   "2005-05-06", "BBC News"),  # (its outlet column's "BBC")
            "a2": ("Tories lose", "The Conservatives lost two seats.", "2010-05-07", "ITV"),
            "j1": ("NHS plan", "The NHS plan was announced.", "2019-01-02", None),
        }
        # the JSON Lines file has no outlet: read without it, and said so
        assert report.warnings == [
            "more.jsonl: no field for source=outlet of the column mapping (its fields: "
            "headline, content, published, ref); read without it"]
        assert ix.search("Labour", filters={"since": dt.date(2005, 1, 1)}).total == 1


def test_a_file_of_the_folder_with_its_own_title_and_body_columns_is_read_by_them(
    tmp_path: Path, export: Path
):
    # a folder of exports of two shapes: the mapping for the Headline,Content files had
    # skipped the title,body one ("CSV header has no title or body column (its columns: id,
    # title, body, date; ...)"), and a new mapping was refused for emptying it
    (export / "own.csv").write_text("id,Title,Body,date\no1,Kennedy speech,Charles Kennedy "
                                    "spoke.,2005-02-01\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(export)  # (own.csv alone is read without a mapping)
        assert documents(ix)["o1"] == ("Kennedy speech", "Charles Kennedy spoke.",
                                       "2005-02-01", None)
        report = ix.index_directory(export, columns=MAPPING)
        assert (report.skipped, report.indexed, report.reread) == ([], 2, 1)
        assert documents(ix)["o1"] == ("Kennedy speech", "Charles Kennedy spoke.",
                                       "2005-02-01", None)
        assert documents(ix)["a1"][0] == "Labour wins seat"
        assert [w for w in report.warnings if w.startswith("own.csv")] == [
            "own.csv: no column for date=published, id=ref, source=outlet, text=content, "
            "title=headline of the column mapping (its columns: id, title, body, date); read "
            "by its own columns instead: date=date, id=id, text=body, title=title; without "
            "source=outlet"]


def test_a_record_with_its_own_title_and_body_fields_is_read_by_them_under_a_mapping():
    dump = "".join(json.dumps(record) + "\n" for record in [
        {"headline": "NHS plan", "content": "The NHS plan was announced."},
        {"title": "Kennedy speech", "body": "Charles Kennedy spoke."},
        {"headline": "Budget", "title": "Budget day"},
    ])
    result = FileResult("feed.jsonl")
    read_jsonl(dump, "feed.jsonl", "", result,
               columns=column_mapping({"title": "headline", "text": "content"}))
    assert [(d.title, d.body) for d in result.documents] == [
        ("NHS plan", "The NHS plan was announced."), ("Kennedy speech", "Charles Kennedy spoke."),
        ("Budget", "")]
    # (a column the mapping reads for another field is not taken for a field's own)
    result = FileResult("feed.jsonl")
    read_jsonl(json.dumps({"title": "Kennedy", "body": "Kennedy spoke."}), "feed.jsonl", "",
               result, columns=column_mapping({"title": "body", "text": "content"}))
    assert [(d.title, d.body) for d in result.documents] == [("Kennedy spoke.", "")]


def test_without_a_mapping_such_files_are_skipped_saying_which_columns_they_have(
    tmp_path: Path, export: Path
):
    with CorpusIndex(tmp_path / "ix", create="on_write") as ix:
        report = ix.index_directory(export)
    assert dict(report.skipped)["news.csv"] == (
        "CSV header has no title or body column (its columns: headline, content, published, "
        "outlet, ref; the text is read from title and body (or text): --columns "
        "title=headline,text=content, or columns= in Python, names the ones that hold it)")


def test_the_mapping_is_remembered_for_the_folder_and_a_new_one_reads_every_file_again(
    tmp_path: Path, export: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(export, columns=MAPPING)
        (export / "late.csv").write_text("headline,content,ref\nLate news,A late story.,z9\n",
                                         encoding="utf-8")
        report = ix.index_directory(export)  # nothing said: the recorded mapping
        assert (report.indexed, report.unchanged) == (1, 2)
        assert documents(ix)["z9"][:2] == ("Late news", "A late story.")
        # a new mapping (the same one as a string, less the id) reads every file again
        report = ix.index_directory(
            export, columns="text=content,title=headline,date=published,source=outlet")
        assert (report.reread, report.unchanged) == (3, 0)
        assert "a1" not in documents(ix) and documents(ix)["news.csv#2"][0] == "Labour wins seat"
        with pytest.raises(ColumnsError):  # cleared, the files could not be read: refused
            ix.index_directory(export, columns={})
        assert len(ix) == 4


@pytest.mark.parametrize(("columns", "message"), [
    ({"text": "content", "title": "heading"},
     # (the first file, in the order files are read; then no other has it either)
     "more.jsonl: no field for title=heading of the column mapping (its fields: headline, "
     "content, published, ref); nor has any other CSV or JSON Lines file of the folder"),
    ({"headline": "title"},
     "Unknown field 'headline' in the column mapping: the fields are text, title, date, "
     "source, id, url (e.g. text=content,title=headline,date=published)."),
    ("text=content,title", "'title' in the column mapping is not field=column (e.g. "
                           "text=content,title=headline,date=published)."),
    ({"text": " "}, "The field 'text' is given no column name in the column mapping (e.g. "
                    "text=content,title=headline,date=published)."),
])
def test_a_wrong_mapping_is_one_line_naming_the_columns_and_writes_nothing(
    tmp_path: Path, export: Path, columns: object, message: str
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(export, columns=MAPPING)
        before = (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes())
        with pytest.raises(ColumnsError) as caught:
            ix.index_directory(export, columns=columns)  # type: ignore[arg-type]
        assert str(caught.value) == message
        assert (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes()) == before
    with pytest.raises(ColumnsError, match=re.escape(message)):  # a rebuild: the same
        rebuild_index(tmp_path / "ix", [export], columns=columns)  # type: ignore[arg-type]
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes()) == before
    with CorpusIndex(tmp_path / "new", create="on_write") as ix, pytest.raises(ColumnsError):
        ix.index_directory(export, columns=columns)  # type: ignore[arg-type]
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("columns", [{}, "", "text=body"])
def test_a_new_mapping_that_leaves_an_indexed_file_nothing_to_read_removes_none_of_it(
    tmp_path: Path, export: Path, columns: object
):
    # (dropping the mapping, or mapping text to body, the default, read news.csv as having
    # no title or body column and removed its documents from the index)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(export, columns=MAPPING)
        before = (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes())
        with pytest.raises(ColumnsError, match=r"^The new column mapping leaves nothing to "
                                               r"read in (news\.csv|more\.jsonl): .*the index "
                                               r"is unchanged"):
            ix.index_directory(export, columns=columns)  # type: ignore[arg-type]
        assert (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes()) == before
    # a rebuild refuses it too (it wrote a new index without the file's documents)
    with pytest.raises(ColumnsError, match=r"^The new column mapping leaves nothing to read"):
        rebuild_index(tmp_path / "ix", [export], columns=columns)  # type: ignore[arg-type]
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert (documents(ix), (tmp_path / "ix" / "corpus_search.json").read_bytes()) == before


def test_a_rebuild_with_the_recorded_mapping_follows_a_file_emptied_of_its_text(
    tmp_path: Path, export: Path
):
    # only a new mapping is checked against what the index held: a file whose text the
    # researcher took out is read as it now is
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(export, columns=MAPPING)
    for table in export.glob("*.csv"):
        table.write_text("Headline,Content,Published,Outlet,Ref\n", encoding="utf-8")
    rebuild_index(tmp_path / "ix", [export])
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert set(documents(ix)) == {"j1"}  # (a1 and a2 were news.csv's)


def test_the_field_names_and_columns_are_read_as_headers_are_spaces_and_capitals_aside():
    assert column_mapping(" Text = Content , TITLE=Headline,url=url") == {
        "text": "content", "title": "headline"}
    assert column_mapping({"text": "body", "title": "title"}) == {} == column_mapping("")
    # body, a record's own name for the text, names the same field
    assert column_mapping("body=story") == {"text": "story"} == column_mapping({"Body": "Story"})
    with pytest.raises(ColumnsError, match="'text' is given two columns"):
        column_mapping("text=a,body=b")


def test_a_rebuild_keeps_the_mapping_and_the_rebuild_command_names_it(
    tmp_path: Path, export: Path, cli_env: dict[str, str]
):
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(export, columns=MAPPING)
        before = documents(ix)
        command = ix.rebuild_command()
    assert "--columns date=published,id=ref,source=outlet,text=content,title=headline" in command
    rebuild_index(index, [export])
    with CorpusIndex.open(index) as ix:
        assert documents(ix) == before
    remove_index(index)
    run_as_printed(command, cli_env)  # the index gone, the command gives them again
    with CorpusIndex.open(index) as ix:
        assert documents(ix) == before


def test_index_columns_on_the_command_line_and_its_one_line_error(
    tmp_path: Path, export: Path
):
    index = str(tmp_path / "ix")
    runner = CliRunner()
    done = runner.invoke(cli, ["index", str(export), "--index", index, "--columns",
                               "text=content,title=headline,date=published,id=ref"])
    assert done.exit_code == 0, done.output
    with CorpusIndex.open(index) as ix:
        assert sorted(documents(ix)) == ["a1", "a2", "j1"]
    wrong = runner.invoke(cli, ["index", str(export), "--index", index, "--columns",
                                "text=contents"])
    assert wrong.exit_code == 2
    assert wrong.output.strip().splitlines() == [
        "error: more.jsonl: no field for text=contents of the column mapping (its fields: "
        "headline, content, published, ref); nor has any other CSV or JSON Lines file of the "
        "folder"]
    with CorpusIndex.open(index) as ix:
        assert sorted(documents(ix)) == ["a1", "a2", "j1"]


# -- any column names, any values ------------------------------------------------------------

#: header names a spreadsheet may write: any printable text but the delimiters and line
#: breaks (which would make another file: see csv_rows.delimiter)
_NAME = st.text(string.ascii_letters + string.digits + " _-.()/éü£'\"", min_size=1,
                max_size=20).filter(lambda s: s.strip() and s.strip().lower() not in (
                    "title", "body", "date", "source", "id", "url"))
_VALUE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAME, min_size=3, max_size=3,
                      unique_by=lambda s: s.strip().lower()),
       title=_VALUE.filter(bool), ref=_VALUE.filter(bool), jsonl=st.booleans())
def test_any_column_names_hold_the_fields_they_are_mapped_to(
    names: list[str], title: str, ref: str, jsonl: bool
):
    """Whatever a file's columns are called, and whatever they hold, the mapped ones give the
    document its title, text and id; the mapping's names match whatever their capitals and
    spaces."""
    title_col, text_col, id_col = names
    mapping = {"title": f" {title_col.upper()} ", "text": text_col, "id": id_col.lower()}
    result = FileResult("f")
    if jsonl:
        record = {title_col: title, text_col: "The text.", id_col: ref}
        read_jsonl(json.dumps(record) + "\n", "f", "", result, columns=column_mapping(mapping))
    else:
        out = io.StringIO()
        csv.writer(out).writerows([[title_col, text_col, id_col], [title, "The text.", ref]])
        read_csv(out.getvalue(), "f", "", result, 2**20, columns=column_mapping(mapping))
    assert result.skipped_reason is None and result.columns_missing == []
    [doc] = result.documents
    assert (doc.title, doc.body, doc.id) == (title, "The text.", ref)


@settings(max_examples=40, deadline=None)
@given(header=st.lists(_NAME, min_size=1, max_size=5, unique_by=lambda s: s.strip().lower()),
       wanted=_NAME)
def test_a_column_a_file_lacks_is_noted_with_the_columns_it_has(header: list[str], wanted: str):
    if wanted.strip().lower() in {h.strip().lower() for h in header}:
        return
    out = io.StringIO()
    csv.writer(out).writerows([header, ["x"] * len(header)])
    result = FileResult("f.csv")
    read_csv(out.getvalue(), "f.csv", "", result, 2**20,
             columns=column_mapping({"title": wanted}))
    assert result.columns_missing == [f"title={wanted.strip().lower()}"]
    assert result.columns_error is not None
    assert result.columns_error.startswith(f"f.csv: no column for title={wanted.strip().lower()} ")
    assert "\n" not in result.columns_error
    for name in header:
        assert name.strip().lower() in result.columns_error


def test_read_file_takes_the_mapping_as_index_directory_does(export: Path):
    """Without an index, read_file reads a file by a mapping in any of its forms."""
    for columns in ("Text=Content,Title=Headline,id=Ref", {"TEXT": " Content ", "title": "HEADLINE",
                                                         "id": "ref"}):
        result = read_file(export / "news.csv", export, columns=columns)
        assert [(d.id, d.title) for d in result.documents] == [("a1", "Labour wins seat"),
                                                                ("a2", "Tories lose")]
    with pytest.raises(ColumnsError, match="Unknown field 'headline'"):
        read_file(export / "news.csv", export, columns={"headline": "title"})


def test_an_index_made_before_text_columns_were_read_reads_them_on_its_next_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # (an index built when a CSV of title,text columns was read with empty bodies, and a
    # record of a text alone skipped, kept them so on every update: its files had not
    # changed; now the next run reads them again, once, each document under its own id)
    import corpus_search.ingest.columns as columns_module

    folder = write_corpus(tmp_path / "export", {
        "news.csv": "id,title,text\nn1,Budget row,Labour and the Tories clashed.\n"
                    "n2,Poll day,Blair named the day.\n",
        "feed.jsonl": json.dumps({"title": "NHS plan", "text": "Waiting lists fell."}) + "\n"
                      + json.dumps({"text": "A story without a headline."}) + "\n",
        "note.txt": "Hospital note\n\nThe ward reopened.\n"})
    with monkeypatch.context() as older:  # (the readers before version 4)
        older.setattr(columns_module, "FALLBACK_COLUMNS", {})
        with CorpusIndex(tmp_path / "ix") as ix:
            ix.index_directory(folder, procs=1)
            assert ix.search("Tories").total == 0 and len(ix) == 4
    meta_path = tmp_path / "ix" / "corpus_search.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    [record] = meta["roots"].values()
    record["reading_version"] = 3
    meta_path.write_text(json.dumps(meta), encoding="utf-8")

    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert report.read_by_older_readers
        # (the CSV and JSON Lines files come out otherwise; the text file as indexed)
        assert (report.indexed, report.reread, report.read_the_same) == (0, 2, 1)
        assert sorted(documents(ix)) == ["feed.jsonl#1", "feed.jsonl#2", "n1", "n2", "note"]
        assert documents(ix)["n1"][:2] == ("Budget row", "Labour and the Tories clashed.")
        assert [h.id for h in ix.search("headline").hits] == ["feed.jsonl#2"]
        assert ix.search("Tories").total == 1
        again = ix.index_directory(folder)
    assert (again.unchanged, again.reread, again.read_by_older_readers) == (3, 0, False)


def test_index_help_says_what_is_read_without_a_mapping():
    shown = " ".join(CliRunner().invoke(cli, ["index", "--help"]).stdout.split())
    assert "a field not mapped is read from its own column, the text from body, else text" in (
        shown)
