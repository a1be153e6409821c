"""Exports: every document a query matches, with its text and metadata, written to a CSV or
JSON Lines file or a folder of text files, in the library (``CorpusIndex.export``) and from
the CLI (``corpus-search export``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_search_command, plp_stories
from corpus_search import (
    CorpusIndex,
    CorpusSearchError,
    Document,
    ExportError,
    MultiIndex,
    QueryError,
)
from corpus_search.cli import READING_COMMANDS, cli
from corpus_search.cli.export import EXPORT_CHOICES
from corpus_search.search import export as export_module
from corpus_search.search.export import COLUMNS, EXPORT_MARK, FORMATS

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """The fixture articles (dated political news items, a folder per subject)."""
    ix = CorpusIndex(tmp_path_factory.mktemp("export") / "ix")
    ix.index_directory(ARTICLES)
    yield ix
    ix.close()


def search_ids(index, query: str, **kwargs) -> list[str]:
    """Every id a search finds, page by page, in its order."""
    ids, page = [], 1
    while True:
        results = index.search(query, limit=3, page=page, highlight=False, **kwargs)
        ids += [hit.id for hit in results.hits]
        if page >= results.pages:
            return ids
        page += 1


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


# -- which documents, in which order ------------------------------------------------------------


@pytest.mark.parametrize("query", ["Labour", "Lib Dems", "Labour OR NHS",
                                   "election AND NOT Labour", "elect*", '"by-election"',
                                   "title:Labour", "*"])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_documents_are_those_search_counts_in_its_order(index, tmp_path, query, sort):
    report = index.export(query, tmp_path / "out.jsonl", sort=sort)
    exported = [row["id"] for row in read_jsonl(tmp_path / "out.jsonl")]
    assert exported == search_ids(index, query, sort=sort)
    assert report.documents == len(exported) == index.search(query).total
    assert len(set(exported)) == len(exported)


@pytest.mark.parametrize("filters", [{"since": "2005"}, {"party": "Labour"},
                                     {"until": "2004", "include_undated": True}])
def test_filters_keep_what_they_keep_in_a_search(index, tmp_path, filters):
    index.export("*", tmp_path / "out.csv", filters=filters)
    assert [row["id"] for row in read_csv(tmp_path / "out.csv")] == search_ids(
        index, "*", filters=filters)


def test_pages_follow_one_another_and_a_commit_meanwhile_changes_nothing(
        index, tmp_path, monkeypatch):
    """Read a page of two at a time, with a document added by another writer after the
    first: the export is the search as it was when it began."""
    monkeypatch.setattr(export_module, "MAX_PAGE_SIZE", 2)
    before = search_ids(index, "Labour")
    real_body, added = export_module.document_body, []

    def body_then_commit(searcher, docnum):
        if not added:
            with CorpusIndex(index.path) as other:
                other.add_documents([Document(id="late", title="Late Labour news",
                                              body="Labour", date=dt.date(2030, 1, 1))])
            added.append(True)
        return real_body(searcher, docnum)

    monkeypatch.setattr(export_module, "document_body", body_then_commit)
    try:
        report = index.export("Labour", tmp_path / "out.csv")
        assert [row["id"] for row in read_csv(tmp_path / "out.csv")] == before
        assert report.documents == len(before) == 6
        # the index's own searches see it (none was handed the export's searcher)
        assert "late" in search_ids(index, "Labour")
    finally:
        index.delete(["late"])


def test_the_index_s_own_searches_are_never_handed_the_export_s_searcher(index, tmp_path):
    """The query parsers an index keeps hold the source they were made for: the export's
    must not be kept there (they held its searcher, and its files, open for good)."""
    index.search_state.parsers.clear()
    index.export("Labour OR hospital", tmp_path / "out.csv")
    index.search("Labour OR election")  # (a query parsed afresh: no parse is cached for it)
    assert index.search_state.parsers
    assert all(parser.index is index for parser in index.search_state.parsers.values())


def test_a_misspelt_query_exports_its_correction_and_says_so(index, tmp_path):
    report = index.export("Labur", tmp_path / "out.csv")
    assert report.suggestion == "Labour" and report.suggestion_applied
    assert report.to_dict() == {
        "query": "Labur", "format": "csv", "path": str(tmp_path / "out.csv"),
        "documents": 6, "matching": 6, "suggestion": "Labour", "suggestion_applied": True,
        "not_found": report.not_found, "notes": [], "undated_left_out": None,
        "related_only": None, "uncounted": None, "counted": False}
    assert report.documents == index.search("Labour").total
    assert index.export("Labur", tmp_path / "none.csv", correct=False).documents == 0
    assert read_csv(tmp_path / "none.csv") == []  # (the header alone)


def test_an_export_writes_what_search_finds_and_says_how_many_hold_only_a_related_term(
        tmp_path):
    # (count PLP leaves the Labour story out; the export has it, as search, and says so)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(plp_stories())
        report = ix.export("PLP", tmp_path / "plp.csv")
        assert (report.documents, report.related_only) == (2, 1)
        result = CliRunner().invoke(cli, ["export", "PLP", str(tmp_path / "cli.csv"),
                                          "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "Wrote 2 documents to " + str(tmp_path / "cli.csv") + " (1 of them only a term the "
        "lexicon relates to the query, which count leaves out)\n")


def test_an_export_says_how_many_of_its_documents_count_leaves_out_for_holding_part_of_the_query(
        tmp_path):
    # (export '"interest rates"' wrote 91 BBC documents, 22 of them holding "interest" and
    # "rates" apart, and said only "Wrote 91 documents": count counts 69)
    stories = [
        Document(id="rates", title="Bank holds", body="The Bank left interest rates on hold."),
        Document(id="apart", title="Loans", body="The interest on loans rates a mention."),
        Document(id="howard", title="Launch", body="Michael Howard launched the manifesto."),
        Document(id="owen", title="Owen", body="Michael Owen scored twice."),
    ]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories)
        report = ix.export('"interest rates"', tmp_path / "rates.csv")
        assert (report.documents, report.uncounted) == (2, 1)
        assert report.documents - report.uncounted == ix.count('"interest rates"').total
        assert report.to_dict()["uncounted"] == 1
        assert ix.export("Michael Howard", tmp_path / "mh.csv").uncounted == 1
        assert ix.export("Bank", tmp_path / "bank.csv").uncounted is None
        assert ix.export("*", tmp_path / "all.csv").uncounted is None
        result = CliRunner().invoke(cli, ["export", '"interest rates"', str(tmp_path / "c.csv"),
                                          "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "Wrote 2 documents to " + str(tmp_path / "c.csv") + " (1 of them only part of the "
        "query: a quoted phrase's words apart, some words of a name or lexicon term, or a term "
        "the lexicon relates to it, which count leaves out)\n")


def test_each_exported_row_says_whether_count_counts_it(tmp_path):
    # (export "Lib Dems" wrote 149 BBC rows, 2 of them "ad-libbed" and "fi di man dem", and
    # only a line on stderr said so: a reader of the file could not tell which rows they were)
    stories = [
        Document(id="rates", title="Bank holds", body="The Bank left interest rates on hold."),
        Document(id="apart", title="Loans", body="The interest on loans rates a mention."),
    ]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories)
        ix.export('"interest rates"', tmp_path / "rates.csv")
        ix.export('"interest rates"', tmp_path / "rates.jsonl")
        ix.export("*", tmp_path / "all.csv")
    rows = read_csv(tmp_path / "rates.csv")
    assert [(row["id"], row["counted"]) for row in rows] == [("rates", "True"), ("apart", "False")]
    lines = (tmp_path / "rates.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["counted"] for line in lines] == [True, False]
    assert {row["counted"] for row in read_csv(tmp_path / "all.csv")} == {"True"}


def test_an_export_of_what_count_counts_writes_those_documents_alone_with_search_s_ranks(
        tmp_path):
    # (a researcher counting 6 PLP stories exported 211: every Labour story came with them)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            *plp_stories(),
            Document(id="rates", title="Bank holds", body="The Bank left interest rates on hold."),
            Document(id="apart", title="Loans", body="The interest on loans rates a mention."),
        ])
        for query, counted in (("PLP", ["meeting"]), ('"interest rates"', ["rates"])):
            report = ix.export(query, tmp_path / "out.csv", counted=True, overwrite=True)
            rows = read_csv(tmp_path / "out.csv")
            assert [row["id"] for row in rows] == counted
            assert report.documents == ix.count(query).total == 1
            assert (report.counted, report.uncounted) == (True, 1)
            assert rows[0]["rank"] == "1"  # (search ranks the whole match first)
        assert ix.export("*", tmp_path / "all.csv", counted=True).documents == 4
        _report, pieces = ix.export_text("PLP", counted=True)
        assert len(list(pieces)) == 1 + 1  # (the header, and the PLP story)
        result = CliRunner().invoke(cli, ["export", "PLP", str(tmp_path / "c.csv"), "--counted",
                                          "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "Wrote 1 document to " + str(tmp_path / "c.csv") + ", those count counts (left out: 1 "
        "that search finds holding only a term the lexicon relates to the query)\n")


def test_an_empty_query_is_a_query_error(index, tmp_path):
    with pytest.raises(QueryError, match=r"needs a query, or \* for every document"):
        index.export(" ", tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "name"), [("csv", "out.csv"), ("jsonl", "out.jsonl")])
def test_export_text_is_the_file_export_writes_a_document_at_a_time(index, tmp_path, fmt,
                                                                    name):
    # (what the web page sends as it reads, without holding the whole file)
    written = index.export("Labour", tmp_path / name, sort="date")
    report, pieces = index.export_text("Labour", format=fmt, sort="date", bom=fmt == "csv")
    assert report.documents == 0  # (nothing read yet: the pieces are made as they are taken)
    taken = list(pieces)
    assert "".join(taken).encode("utf-8") == (tmp_path / name).read_bytes()
    assert len(taken) == written.documents + (fmt == "csv") == report.documents + (fmt == "csv")


@pytest.mark.parametrize(("query", "options", "error"), [
    (" ", {}, QueryError), ("AND", {}, QueryError),
    ("Labour", {"filters": {"since": "soon"}}, CorpusSearchError),
    ("Labour", {"format": "txt"}, ExportError), ("Labour", {"format": "xlsx"}, ExportError)])
def test_export_text_refuses_a_bad_query_filter_or_format_before_it_gives_any_text(
        index, query, options, error):
    with pytest.raises(error):
        index.export_text(query, **options)


def test_several_indexes_export_as_one_with_the_ids_they_show(tmp_path):
    for name, title in (("one", "Labour wins"), ("two", "Labour loses")):
        with CorpusIndex(tmp_path / name) as ix:
            ix.add_documents([Document(id="shared", title=title, body="Labour news."),
                              Document(id=f"only-{name}", title="Labour", body="Labour.")])
    with MultiIndex([tmp_path / "one", tmp_path / "two"]) as both:
        report = both.export("Labour", tmp_path / "out.csv")
        rows = read_csv(tmp_path / "out.csv")
        assert [row["id"] for row in rows] == search_ids(both, "Labour")
        assert report.documents == 4
        assert {row["id"] for row in rows} >= {"one:shared", "two:shared"}
        assert {row["title"] for row in rows if row["id"].endswith("shared")} == {
            "Labour wins", "Labour loses"}


# -- what each format holds ---------------------------------------------------------------------


def test_a_csv_row_holds_what_show_json_prints_with_the_rank_and_score(index, tmp_path):
    index.export("Labour", tmp_path / "out.csv")
    rows = read_csv(tmp_path / "out.csv")
    hits = index.search("Labour", limit=100).hits
    assert list(rows[0]) == list(COLUMNS)
    for row, hit in zip(rows, hits, strict=True):
        described = index.describe(hit.id)
        expected = {key: "" if value is None else str(value) for key, value in described.items()}
        expected["parties"] = "; ".join(described["parties"])
        assert row == {"rank": str(hit.rank), "score": str(round(hit.score, 4)), **expected,
                       "same_as": "", "counted": "True"}
    assert any("\n" in row["body"] for row in rows)  # the full text, line breaks and all


def test_a_csv_file_opens_as_utf8_in_excel_and_a_stream_has_no_byte_order_mark(index, tmp_path):
    index.export("Labour", tmp_path / "out.csv")
    data = (tmp_path / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrank,score,id,")  # the BOM Excel reads UTF-8 by
    assert data.split(b"\r\n")[0].endswith(b",body")  # rows end in CRLF (RFC 4180)
    stream = io.StringIO(newline="")
    report = index.export("Labour", stream)
    assert report.path is None and report.format == "csv"
    assert stream.getvalue().encode("utf-8") == data[3:]


def test_a_json_lines_object_holds_the_same_fields_parties_a_list(index, tmp_path):
    index.export("Labour", tmp_path / "out.jsonl")
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [list(row) for row in rows] == [list(COLUMNS)] * len(rows)
    for row in rows:
        described = index.describe(row["id"])
        assert {key: row[key] for key in described} == described
        assert isinstance(row["parties"], list) and isinstance(row["score"], float)


def test_a_copy_of_a_document_before_it_names_that_one_whatever_the_page(
        tmp_path, monkeypatch):
    """An archive holds some articles twice (100 pairs in the BBC corpus): the second is
    marked, so that a count made from the export can leave it out."""
    monkeypatch.setattr(export_module, "MAX_PAGE_SIZE", 2)  # (the copies on other pages)
    story = {"title": "Budget  day", "body": "The Chancellor's budget.\n\nLabour MPs cheered."}
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="a", date=dt.date(2005, 3, 16), **story),
            Document(id="b", title="Budget day", body="Labour's budget, other words."),
            Document(id="c", title="Another", body="No budget here, nor Labour."),
            Document(id="d", title="Budget day",
                     body="The Chancellor's  budget. Labour MPs cheered."),
        ])
        ix.export("*", tmp_path / "out.jsonl")  # (newest first, the undated in index order)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [(row["id"], row["same_as"]) for row in rows] == [
        ("a", None), ("b", None), ("c", None), ("d", "a")]


def test_browsing_has_no_score(index, tmp_path):
    index.export("*", tmp_path / "out.jsonl")
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [row["rank"] for row in rows] == list(range(1, 10))
    assert {row["score"] for row in rows} == {None}


#: text an index may hold: any character but a lone surrogate (not Unicode text)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("scratch") / "ix")
    yield ix
    ix.close()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, body=TEXT, source=st.one_of(st.none(), TEXT))
def test_any_text_comes_back_from_csv_and_json_lines_as_the_index_holds_it(
        scratch, tmp_path_factory, title, body, source):
    scratch.add_documents([Document(id="doc", title=title, body=body, source=source,
                                    url="http://x/\u2028")])
    held = scratch.describe("doc")
    out = tmp_path_factory.mktemp("out")
    scratch.export("*", out / "doc.csv")
    scratch.export("*", out / "doc.jsonl")
    [row] = read_csv(out / "doc.csv")
    assert (row["title"], row["body"], row["source"] or None, row["url"]) == (
        held["title"], held["body"], held["source"], held["url"])
    # one object a line, however a reader splits lines (str.splitlines breaks at U+2028)
    [line] = (out / "doc.jsonl").read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert {key: data[key] for key in held} == held


# -- corpus-search index reads an export back ---------------------------------------------------


def same_documents(index, back, ids) -> None:
    for doc_id in ids:
        a, b = index.get(doc_id), back.get(doc_id)
        assert b is not None, doc_id
        assert (b.title, b.body, b.date, b.source, b.url) == (
            a.title, a.body, a.date, a.source, a.url), doc_id


@pytest.mark.parametrize("name", ["texts", "out.csv", "out.jsonl"])
def test_indexing_an_export_gives_the_same_documents_back_under_the_same_ids(
        index, tmp_path, name):
    folder = tmp_path / "export"
    folder.mkdir()
    report = index.export("*", folder / name)
    with CorpusIndex(tmp_path / "back") as back:
        back.index_directory(folder / name if name == "texts" else folder)
        ids = search_ids(index, "*")
        assert sorted(search_ids(back, "*")) == sorted(ids) and report.documents == 9
        same_documents(index, back, ids)
        assert back.search("Lib Dems").total == index.search("Lib Dems").total


def test_a_text_file_has_front_matter_then_the_title_then_the_body(index, tmp_path):
    index.export("*", tmp_path / "texts")
    text = (tmp_path / "texts" / "politics" / "001.txt").read_text(encoding="utf-8")
    assert text.startswith("---\nid: politics/001\n"
                           "title: Lib Dems take Brent East in by-election upset\n"
                           "date: 2003-09-19\n---\n"
                           "Lib Dems take Brent East in by-election upset\n\n")
    assert text.endswith(index.get("politics/001").body + "\n")


IDS = ["../up", ".hidden", "a:b?c", "Case", "case", "x" * 300, "deep/er/id", "name.txt",
       "/rooted", "trailing "]


def test_every_id_is_a_file_inside_the_folder_and_its_title_comes_back(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id=doc_id, title=f"Title {n}", body=f"Body {n}",
                                   source='"quoted"', url="line\nbreak")
                          for n, doc_id in enumerate(IDS)])
        ix.export("*", tmp_path / "texts")
        files = sorted((tmp_path / "texts").rglob("*.txt"))
        assert len(files) == len(IDS)
        assert all(not part.startswith(".") for f in files for part in f.parts[-3:])
        assert all(len(f.name.encode()) <= 255 for f in files)
        with CorpusIndex(tmp_path / "back") as back:
            back.index_directory(tmp_path / "texts")
            assert sorted(hit.title for hit in back.search("*", limit=100).hits) == sorted(
                f"Title {n}" for n in range(len(IDS)))
            # the ids a file can be named by come back as they were
            assert {"Case", "deep/er/id", "name.txt"} <= {
                hit.id for hit in back.search("*", limit=100).hits}


def test_a_title_front_matter_cannot_hold_comes_back_from_the_title_line(tmp_path):
    title = '"Quoted," he said \''
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="q", title=title, body="Text.")])
        ix.export("*", tmp_path / "texts")
        with CorpusIndex(tmp_path / "back") as back:
            back.index_directory(tmp_path / "texts")
            assert back.get("q").title == title


def test_values_with_quotes_at_their_ends_come_back_from_the_front_matter(tmp_path):
    title, source = "'Errors' doomed first Dome 'sale'", "'The Spectator'"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="q", title=title, body="Text.", source=source)])
        ix.export("*", tmp_path / "texts")
        text = (tmp_path / "texts" / "q.txt").read_text(encoding="utf-8")
        assert f"title: {title}\n" in text
        assert "source: '''The Spectator'''\n" in text
        with CorpusIndex(tmp_path / "back") as back:
            back.index_directory(tmp_path / "texts")
            assert (back.get("q").title, back.get("q").source) == (title, source)


# -- the format --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("a.csv", "csv"), ("A.CSV", "csv"),
                                            ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"),
                                            ("texts", "txt")])
def test_the_format_is_told_by_the_name(index, tmp_path, name, fmt):
    assert index.export("Labour", tmp_path / name).format == fmt


@pytest.mark.parametrize(("name", "fmt"), [("a.json", "jsonl"), ("A.CSV", "csv"),
                                            ("texts", "csv"), ("a.txt", "txt")])
def test_a_format_given_names_what_the_name_does_not_contradict(index, tmp_path, name, fmt):
    """--format reads a name that tells no format of its own (a .json file as JSON Lines)
    or tells the same one."""
    assert index.export("Labour", tmp_path / name, format=fmt).format == fmt


def test_an_existing_empty_folder_is_written_as_text_files(index, tmp_path):
    (tmp_path / "texts.d").mkdir()
    assert index.export("Labour", tmp_path / "texts.d").format == "txt"
    assert len(list((tmp_path / "texts.d").rglob("*.txt"))) == 6


@pytest.mark.parametrize(("out", "fmt", "message"), [
    ("a.json", None, r"Cannot tell the format of .*a\.json from its name: name a \.csv or "
                     r"\.jsonl file \(JSON is written as JSON Lines, an object a line: "
                     r"a\.jsonl\), or a folder"),
    ("a.xlsx", None, r"name a \.csv or \.jsonl file, or a folder"),
    (".csv", None, r"\.csv has a format's suffix but no name: name the file, e\.g\. export\.csv"),
    (".JSONL", None, r"no name: name the file, e\.g\. export\.jsonl"),
    (".json", None, r"\.json is a file's suffix with no name, and not one export writes: name "
                    r"a \.csv or \.jsonl file \(export\.csv\), or a folder"),
    (".txt", None, r"\.txt is a file's suffix with no name"),
    ("a.csv", "xlsx", r"Unknown export format 'xlsx': use csv, jsonl or txt"),
    # a format the name contradicts: text files made a folder named a.csv, JSON Lines a
    # "CSV" file a spreadsheet opened as one column of JSON
    ("a.csv", "txt", r"Cannot write text files to .*a\.csv: its name says CSV\. Name a folder "
                     r"\(a\) for text files, or leave the format to the name\."),
    ("a.csv", "jsonl", r"Cannot write JSON Lines to .*a\.csv: its name says CSV\. Name a "
                       r"\.jsonl file \(a\.jsonl\), or leave the format to the name\."),
    ("a.ndjson", "csv", r"Cannot write CSV to .*a\.ndjson: its name says JSON Lines\. Name a "
                        r"\.csv file \(a\.csv\)"),
    (None, "txt", r"A folder of text files cannot be written to a stream"),
    ("missing/a.csv", None, r"Cannot write .*a\.csv: the folder .*missing does not exist"),
])
def test_what_cannot_be_written_is_one_line_and_nothing_is_written(
        index, tmp_path, out, fmt, message):
    target = io.StringIO() if out is None else tmp_path / out
    with pytest.raises(ExportError, match=message):
        index.export("Labour", target, format=fmt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("out", "message"), [
    # (each had raised AttributeError: "'NoneType' object has no attribute 'writelines'")
    (None, r"Cannot export to None: OUT is a path \(a \.csv or \.jsonl file, or a folder\) "
           r"or a text stream, not NoneType\."),
    (5, r"Cannot export to 5: OUT is a path .* not int\."),
    (["a.csv"], r"not list\."),
    (b"a.csv", r"not bytes\."),
    # (a TypeError from deep in the writing: "a bytes-like object is required, not 'str'")
    (io.BytesIO(), r"A binary stream cannot take an export: open it for text \(open\(path, "
                   r"'w', newline=''\)\), or give the path\."),
])
def test_an_export_to_what_is_no_path_nor_text_stream_is_one_line_saying_what_out_may_be(
        index, tmp_path, out, message):
    with pytest.raises(ExportError, match=message):
        index.export("Labour", out)


def test_an_export_to_a_binary_file_is_refused_before_a_byte_is_written(index, tmp_path):
    with open(tmp_path / "out.csv", "wb") as stream, pytest.raises(
            ExportError, match="A binary stream cannot take an export"):
        index.export("Labour", stream)
    assert (tmp_path / "out.csv").read_bytes() == b""


def test_an_export_to_a_closed_stream_is_one_line(index):
    stream = io.StringIO()
    stream.close()
    with pytest.raises(ExportError, match=r"The stream to export to is closed\."):
        index.export("Labour", stream)


def test_formats_are_the_commands_choices():
    assert tuple(EXPORT_CHOICES) == FORMATS


# -- nothing lost -------------------------------------------------------------------------------


def test_an_existing_file_is_kept_unless_overwrite(index, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match=r"out\.csv exists: .*replace it with overwrite=True"):
        index.export("Labour", target)  # (the argument; the command names --force)
    assert target.read_text(encoding="utf-8") == "mine"
    index.export("Labour", target, overwrite=True)
    assert len(read_csv(target)) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # nothing hidden left


def test_a_folder_is_replaced_only_with_overwrite_and_only_if_it_holds_only_text_files(
        index, tmp_path):
    texts = tmp_path / "texts"
    index.export("Labour", texts)
    with pytest.raises(ExportError, match=r"texts is a folder that is not empty"):
        index.export("Lib Dems", texts)
    index.export("Lib Dems", texts, overwrite=True)
    assert len(list(texts.rglob("*.txt"))) == index.search("Lib Dems").total
    (texts / "politics" / "notes.docx").write_bytes(b"mine")
    with pytest.raises(ExportError, match=r"Will not replace .*texts: it holds files an "
                                          r"export does not write \(.*notes\.docx\)"):
        index.export("Labour", texts, overwrite=True)
    assert (texts / "politics" / "notes.docx").read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["texts"]


def test_overwrite_never_replaces_a_folder_of_ones_own_text_files(index, tmp_path):
    """A folder of the user's own articles as .txt files (the corpus they indexed) holds
    nothing an export would not write; --force must still not delete the articles the query
    does not match."""
    mine = tmp_path / "articles"
    shutil.copytree(ARTICLES, mine)
    before = sorted(p.relative_to(mine) for p in mine.rglob("*"))
    with pytest.raises(ExportError, match=r"Will not replace .*articles: an export did not "
                                          r"write it \(it has no \.corpus-search-export\)"):
        index.export("Labour", mine, overwrite=True)
    assert sorted(p.relative_to(mine) for p in mine.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles"]  # nothing hidden left


@pytest.fixture(scope="module")
def own_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[CorpusIndex, Path]:
    """An index of a folder of one's own: a copy of the fixture articles, records in a CSV
    file among them."""
    folder = tmp_path_factory.mktemp("own") / "articles"
    shutil.copytree(ARTICLES, folder)
    (folder / "records.csv").write_text("title,body\nBudget row,The Labour budget.\n",
                                        encoding="utf-8")
    ix = CorpusIndex(tmp_path_factory.mktemp("own-index") / "ix")
    ix.index_directory(folder)
    yield ix, folder
    ix.close()


@pytest.mark.parametrize(("name", "refusal"), [
    ("records.csv", "Will not replace .*records.csv: it is in .*, a folder this index is built "
                    "from, and may be one of its articles. Choose a place outside it."),
    ("politics", "Will not replace .*politics: it is in .*, a folder this index is built from"),
    (".", "Will not write .*articles: it is a folder this index is built from, of articles an "
          "export must not replace. Choose a place outside it."),
])
@pytest.mark.parametrize("overwrite", [False, True])
def test_an_export_never_replaces_what_is_in_a_folder_the_index_is_built_from(
        own_folder, name, refusal, overwrite):
    """With --force, an export named as a file of the collection (records.csv, the user's
    own records) replaced it. Refused before any work, --force or not, and the folder is as
    it was."""
    ix, folder = own_folder
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(ExportError, match=f"^{refusal}"):
        ix.export("Labour", folder / name, overwrite=overwrite)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("name", ["labour.jsonl", "politics/labour.csv", "labour"])
def test_a_new_export_in_a_folder_the_index_is_built_from_is_written_with_a_note(
        own_folder, name):
    """The next index run of the folder reads it as articles, every match twice (but for a
    record with the id of one of the folder's documents, skipped): said. (Not
    refused: an index of one's home folder would leave no place to export to.)"""
    ix, folder = own_folder
    target = folder / name
    try:
        report = ix.export("Labour", target)
        assert report.notes == [
            f"{target} is in {folder}, a folder this index is built from: the next "
            "index_directory of it reads the export as articles: every match twice (a record "
            "with the id of a document of the folder is skipped). Move it out, or export "
            "elsewhere."]
    finally:
        shutil.rmtree(target) if target.is_dir() else target.unlink()


def test_the_export_command_says_its_note_on_a_folder_the_index_is_built_from_in_commands(
        own_folder):
    """A library user's note names index_directory (it named corpus-search index, another
    program's command to them); the export command's note names its own command."""
    ix, folder = own_folder
    target = folder / "labour.csv"
    try:
        result = CliRunner().invoke(cli, ["export", "Labour", str(target), "--index",
                                          str(ix.path)])
        assert result.exit_code == 0, result.stderr
        assert "the next corpus-search index of it reads the export" in result.stderr
        assert "index_directory" not in result.stderr
    finally:
        target.unlink()


def test_the_mark_of_a_folder_export_says_how_a_library_user_and_a_command_user_replace_it(
        index, tmp_path):
    """The mark named the command's export --force only; a folder a script exported is
    replaced with overwrite=True."""
    index.export("Labour", tmp_path / "texts")
    said = (tmp_path / "texts" / EXPORT_MARK).read_text(encoding="utf-8")
    assert "overwrite=True" in said and "corpus-search export --force" in said


def test_replacing_a_file_of_the_collection_is_one_line_that_says_so(own_folder):
    ix, folder = own_folder
    result = CliRunner().invoke(cli, ["export", "Labour", str(folder / "records.csv"),
                                      "--force", "--index", str(ix.path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: Will not replace {folder / 'records.csv'}: it is in {folder}, a folder this "
        "index is built from, and may be one of its articles. Choose a place outside it.\n")


def test_a_folder_beside_the_collection_is_written(own_folder):
    ix, folder = own_folder
    beside = folder.parent / "articles-labour.csv"
    assert ix.export("Labour", beside).documents == ix.search("Labour").total


def test_a_folder_an_export_left_empty_is_replaced_without_overwrite(index, tmp_path):
    """Nothing matched: the folder holds only the mark, and is empty as an empty folder is."""
    texts = tmp_path / "texts"
    assert index.export("zzqqxx", texts, correct=False).documents == 0
    assert [p.name for p in texts.iterdir()] == [EXPORT_MARK]
    assert index.export("Labour", texts).documents == index.search("Labour").total


def test_a_folder_export_is_marked_and_indexing_it_skips_the_mark(index, tmp_path):
    texts = tmp_path / "texts"
    index.export("Labour", texts)
    assert (texts / EXPORT_MARK).is_file()
    with CorpusIndex(tmp_path / "again") as again:
        report = again.index_directory(texts)
    assert (report.indexed, report.skipped) == (index.search("Labour").total, [])


@pytest.mark.parametrize(("out", "message"), [("texts", "it is a file"),
                                              ("out.csv", "it is a folder")])
def test_a_file_for_a_folder_or_a_folder_for_a_file_is_refused(index, tmp_path, out, message):
    target = tmp_path / out
    if out == "texts":
        target.write_text("mine", encoding="utf-8")
        fmt = "txt"
    else:
        target.mkdir()
        fmt = None
    with pytest.raises(ExportError, match=message):
        index.export("Labour", target, format=fmt, overwrite=True)


def files_of(target: Path) -> dict[Path, bytes] | bytes:
    if target.is_dir():
        return {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    return target.read_bytes()


def disk_full(*_args, **_kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("name", ["out.csv", "out.jsonl", "texts"])
@pytest.mark.parametrize("failure", ["interrupt", "read error", "disk full"])
def test_an_interrupt_or_an_error_midway_leaves_what_was_there_and_no_part_file(
        index, tmp_path, monkeypatch, name, failure):
    target = tmp_path / name
    index.export("Lib Dems", target)
    before = files_of(target)
    real_body, read = export_module.document_body, []

    def fails_on_the_third(searcher, docnum):
        read.append(docnum)
        if len(read) == 3:
            raise KeyboardInterrupt if failure == "interrupt" else OSError(5, "I/O error")
        return real_body(searcher, docnum)

    if failure == "disk full":  # (as the file is flushed to disk, or the third file written)
        monkeypatch.setattr(os, "fsync", disk_full)
        monkeypatch.setattr(export_module, "text_file", disk_full)
        expected, message = ExportError, f"Cannot write {target}: No space left on device"
    else:
        monkeypatch.setattr(export_module, "document_body", fails_on_the_third)
        expected = KeyboardInterrupt if failure == "interrupt" else CorpusSearchError
        message = "I/O error" if failure == "read error" else None
    with pytest.raises(expected, match=message):
        index.export("*", target, overwrite=True)
    assert files_of(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("name", ["out.csv", "texts"])
def test_a_folder_that_cannot_be_written_in_is_one_line(index, tmp_path, monkeypatch, name):
    real_open, real_mkdir = os.open, os.mkdir

    def refused(real):
        def call(path, *args, **kwargs):
            if ".part" in str(path):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "open", refused(real_open))
    monkeypatch.setattr(os, "mkdir", refused(real_mkdir))
    with pytest.raises(ExportError, match=rf"^Cannot write {tmp_path / name}: Permission "
                                          r"denied\.$"):
        index.export("Labour", tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_file_gets_the_permissions_of_a_new_file(index, tmp_path):
    index.export("Labour", tmp_path / "out.csv")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o666 & ~umask


# -- the command --------------------------------------------------------------------------------


def run(index: CorpusIndex, *args: str):
    return CliRunner().invoke(cli, ["export", *args, "--index", str(index.path)])


def test_the_command_writes_the_file_and_says_so_on_stderr(index, tmp_path):
    result = run(index, "Labour", str(tmp_path / "labour.csv"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Wrote 6 documents to {tmp_path / 'labour.csv'}\n"
    assert len(read_csv(tmp_path / "labour.csv")) == 6


def test_a_dash_writes_to_standard_output_and_the_lines_about_it_to_stderr(index):
    result = run(index, "Labur", "-", "--format", "jsonl", "--sort", "date")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == search_ids(index, "Labour", sort="date")
    assert result.stderr.splitlines()[0] == (
        "Exporting the documents of Labour; export instead Labur with --exact.")
    assert result.stderr.splitlines()[-1] == "Wrote 6 documents to standard output"
    csv_out = run(index, "Labour", "-", "--party", "Conservative")
    assert not csv_out.stdout.startswith("\ufeff")
    assert [r["id"] for r in csv.DictReader(io.StringIO(csv_out.stdout))] == search_ids(
        index, "Labour", filters={"party": "Conservative"})


def test_an_existing_file_is_an_error_unless_force(index, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("mine\n", encoding="utf-8")
    refused = run(index, "Labour", str(target))
    assert refused.exit_code == 2
    assert refused.stderr == (f"error: {target} exists: choose another name, or replace it "
                              "with --force.\n")
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert run(index, "Labour", str(target), "--force").exit_code == 0
    assert len(read_jsonl(target)) == 6


@pytest.mark.parametrize(("args", "message"), [
    (("Labour", "out.json"), "error: Cannot tell the format of out.json from its name"),
    (("Labour", ".csv"), "error: .csv has a format's suffix but no name"),
    (("Labour", "-", "--format", "txt"), "error: A folder of text files cannot be written"),
    (("Labour", "out.csv", "--format", "xlsx"), "error: Invalid value for '--format'"),
    (("Labour", "out.csv", "--format", "txt"), "error: Cannot write text files to out.csv"),
])
def test_usage_and_format_errors_are_one_line_and_exit_2(index, tmp_path, monkeypatch,
                                                          args, message):
    monkeypatch.chdir(tmp_path)
    result = run(index, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", [[], ["--format", "txt"], ["--format", "csv"]])
def test_an_empty_out_is_refused_rather_than_read_as_the_current_folder(
        index, tmp_path, monkeypatch, fmt):
    """An empty OUT (an unset shell variable: export Labour "$OUT") names no file; read as
    the current folder it said ". is a folder that is not empty"."""
    monkeypatch.chdir(tmp_path)
    result = run(index, "Labour", "", *fmt)
    assert (result.exit_code, result.stderr) == (
        2, "error: The file or folder to write (OUT) is empty: name a .csv or .jsonl file or "
           "a folder (or - : standard output).\n")
    with pytest.raises(ExportError, match="is empty"):
        index.export("Labour", "")
    assert list(tmp_path.iterdir()) == []


def test_nothing_matched_writes_the_header_and_exits_1(index, tmp_path):
    result = run(index, "zzqqxx", str(tmp_path / "none.csv"), "--exact")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Wrote 0 documents to {tmp_path / 'none.csv'}"
    assert (tmp_path / "none.csv").read_text(encoding="utf-8-sig").startswith("rank,score,id")


def test_the_user_guide_names_the_columns_and_their_number():
    """The guide's list of the CSV's columns, and the count it quotes for pandas, are the
    columns written (it said 12 once same_as made them 13)."""
    guide = (Path(__file__).parents[1] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    section = guide.split("## Every matching document, to a file")[1].split("\n## ")[0]
    assert f"`{','.join(COLUMNS)}`" in section
    assert re.findall(r"rows of (\d+) columns", section) == [str(len(COLUMNS))]


def test_export_is_not_served_warm():
    """A served command would write its files with the server's umask rather than the
    shell's, and hold the server, which runs one command at a time, for a whole export
    (docs/user-guide.md, "Every matching document, to a file")."""
    assert "export" not in READING_COMMANDS


def test_a_real_process_writes_a_folder_and_leaves_nothing_else(index, tmp_path, cli_env):
    done = subprocess.run([*corpus_search_command(), "export", "Lib Dems", "texts",
                           "--index", str(index.path)], cwd=tmp_path, env=cli_env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    total = index.search("Lib Dems").total
    assert done.stderr == f"Wrote {total} documents to texts\n"
    assert len(list((tmp_path / "texts").rglob("*.txt"))) == total
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg-data") == ["texts"]
    shutil.rmtree(tmp_path / "texts")


def test_sigterm_midway_stops_the_command_as_ctrl_c_does_and_leaves_nothing(
        index, tmp_path, cli_env):
    """``kill`` while the third document is read: exit 130, and no part of the export."""
    script = f"""
import os, signal, sys
from corpus_search.search import export
real, read = export.document_body, []
def body(searcher, docnum):
    read.append(docnum)
    if len(read) == 3:
        os.kill(os.getpid(), signal.SIGTERM)
    return real(searcher, docnum)
export.document_body = body
from corpus_search.cli import main
sys.argv = ["corpus-search", "export", "*", "out.csv", "--index", {str(index.path)!r}]
main()
"""
    cli_env["CORPUS_SEARCH_SERVER"] = "off"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=cli_env,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (130, "interrupted\n")
    assert [p.name for p in tmp_path.iterdir() if p.name != "xdg-data"] == []
