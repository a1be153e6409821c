"""Specification: PDF and Word (.docx) files are read with the ``documents`` extra (pypdf,
python-docx), and counted with a word on how to read them without it.

The files are made here, small (tests/document_files.py). Tests that read them are skipped,
saying why, where the extra is not installed; those of a machine without it run everywhere
(the libraries hidden from the import system).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.ingest.dates import DateOptions
from corpus_search.ingest.documents import join_broken_words, meaningful_title, running_lines
from corpus_search.ingest.files import iter_source_files, read_file
from corpus_search.ingest.model import FileResult
from document_files import docx_bytes, needs_documents_extra, pdf_bytes

TODAY = dt.date.today()

#: how the documents extra is installed, as the reports say it
EXTRA = ("pip install '.[documents]' in a source checkout (pip install "
         "'corpus-search[documents]' from a package index)")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def read(tmp_path: Path, name: str, data: bytes, **options) -> FileResult:
    (tmp_path / name).write_bytes(data)
    return read_file(tmp_path / name, tmp_path, **options)


def only_document(tmp_path: Path, name: str, data: bytes, **options):
    result = read(tmp_path, name, data, **options)
    assert result.skipped_reason is None, result.skipped_reason
    (doc,) = result.documents
    return doc


# --------------------------------------------------------------------------------------------
# PDF


@needs_documents_extra
def test_a_pdf_is_a_document_titled_by_its_first_line_its_lines_kept(tmp_path: Path):
    (tmp_path / "reports").mkdir()
    doc = only_document(tmp_path, "reports/standards.pdf", pdf_bytes([
        ["Committee on Standards", "The committee met on Tuesday.", "It heard three MPs."],
        ["The report is published today."],
    ]))
    assert doc.id == "reports/standards"
    assert doc.title == "Committee on Standards"
    assert doc.body == ("The committee met on Tuesday.\nIt heard three MPs.\n"
                        "The report is published today.")
    assert doc.path == "reports/standards.pdf"


@needs_documents_extra
@pytest.mark.parametrize(("title", "expected"), [
    ("Review of MPs' second jobs", "Review of MPs' second jobs"),
    ("Microsoft Word - standards_report_v3.docx", "Committee on Standards"),
    ("Untitled", "Committee on Standards"),
    ("Document1", "Committee on Standards"),
    ("standards_report_final", "Committee on Standards"),
    ("   ", "Committee on Standards"),
])
def test_a_pdf_s_title_property_titles_it_when_it_is_a_title_not_a_file_name(
    tmp_path: Path, title: str, expected: str
):
    doc = only_document(tmp_path, "a.pdf", pdf_bytes(
        [["Committee on Standards", "The committee met on Tuesday."]], title=title))
    assert doc.title == expected
    # the first line is the body's when the property gave the title, and not repeated
    first_in_body = doc.body.splitlines()[0] == "Committee on Standards"
    assert first_in_body == (expected != "Committee on Standards")


@needs_documents_extra
def test_a_word_broken_by_a_hyphen_at_a_line_s_end_is_whole_again_and_found(tmp_path: Path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "paper.pdf").write_bytes(pdf_bytes([[
        "Brexit and the constitution",
        "The role of Parlia-",
        "ment was disputed, a well-",
        "known problem for the Anglo-",
        "Irish agreement.",
    ]]))
    (doc,) = read_file(folder / "paper.pdf", folder).documents
    assert doc.body.splitlines() == [
        "The role of Parliament",
        "was disputed, a well-known",
        "problem for the Anglo-Irish",
        "agreement.",
    ]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert [hit.id for hit in ix.search("Parliament").hits] == ["paper"]


def test_a_hyphen_is_kept_or_dropped_by_what_the_rest_of_the_text_writes():
    assert join_broken_words(["the deci-", "sion was made; a decision"]) == [
        "the decision", "was made; a decision"]
    assert join_broken_words(["a cross-", "party group of cross-party MPs"]) == [
        "a cross-party", "group of cross-party MPs"]
    # both parts are words of the text and the joined word is not: a compound
    assert join_broken_words(["the front-", "bench, the front of the bench"]) == [
        "the front-bench,", "the front of the bench"]
    # neither is a word: a typesetter's break
    assert join_broken_words(["negoti-", "ations"]) == ["negotiations"]
    # a dash after a space, a number, a bullet: no broken word
    for lines in (["costs -", "rose"], ["in 2019-", "20 prices"], ["-", "item"]):
        assert join_broken_words(lines) == lines


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab -\u2010\u00adéZ1'", max_size=12), max_size=8))
def test_joining_broken_words_moves_text_between_lines_and_drops_only_hyphens(lines):
    joined = join_broken_words(lines)

    def letters(some: list[str]) -> str:
        return "".join(c for line in some for c in line if c not in " -\u2010")

    assert letters(joined) == letters(lines)
    assert len(joined) <= len(lines)
    # a line goes only when a join took all it held
    assert sum(not line for line in joined) >= sum(not line for line in lines)


@needs_documents_extra
def test_running_headers_footers_and_page_numbers_on_every_page_are_left_out(tmp_path: Path):
    text = ["The committee met.", "It heard evidence.", "It wrote a report.", "MPs read it."]
    pages = [["OFFICIAL", "Annual report 2019", line, "In the middle of every page",
              "The committee's findings", line.upper(), line.lower(), f"Page {n} of 4"]
             for n, line in enumerate(text, 1)]
    doc = only_document(tmp_path, "a.pdf", pdf_bytes(pages))
    assert doc.title == "The committee met."
    # a line in the middle of a page is never furniture, however often it recurs
    assert doc.body.splitlines()[:4] == [
        "In the middle of every page", "The committee's findings", "THE COMMITTEE MET.",
        "the committee met."]
    assert doc.body.count("In the middle of every page") == 4
    for furniture in ("OFFICIAL", "Annual report", "Page "):
        assert furniture not in doc.body


def test_furniture_is_what_tops_or_ends_half_the_pages_and_three_of_them():
    two = [["Header", "one"], ["Header", "two"]]
    assert running_lines(two) == two  # too few pages to tell furniture from text
    pages = [["Header", "text a", "1"], ["Header", "text b", "2"], ["text c", "3"],
             ["Header", "text d", "4"]]
    assert running_lines(pages) == [["text a"], ["text b"], ["text c"], ["text d"]]
    # on fewer than half the pages: kept
    rare = [["Header", "a"], ["b"], ["c"], ["d"], ["Header", "e"], ["f"], ["g"]]
    assert running_lines(rare) == rare


@needs_documents_extra
def test_a_short_paper_marked_official_is_titled_by_its_heading_not_its_marking(
    tmp_path: Path,
):
    """Two pages are too few to tell a running header from text, but a security marking
    atop or at the foot of a page is never the paper's words: it was its title."""
    pages = [["OFFICIAL", "Standards in public life", "The committee met."],
             ["OFFICIAL-SENSITIVE: COMMERCIAL", "It wrote a report.", "OFFICIAL"]]
    doc = only_document(tmp_path, "paper.pdf", pdf_bytes(pages))
    assert doc.title == "Standards in public life"
    assert "OFFICIAL" not in doc.body
    assert doc.body.splitlines() == ["The committee met.", "It wrote a report."]


def test_a_marking_is_furniture_only_in_capitals_alone_atop_or_at_the_foot_of_a_page():
    page = ["SECRET", "Official figures", "a", "b", "OFFICIAL", "c", "d", "e", "TOP SECRET"]
    assert running_lines([page]) == [["Official figures", "a", "b", "OFFICIAL", "c", "d", "e"]]
    # (a sentence that starts with one is text)
    assert running_lines([["SECRET talks were held."]]) == [["SECRET talks were held."]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["OFFICIAL", "Page 1", "Page 2", "7", "Text.",
                                          "More text."]), max_size=9), max_size=8))
def test_leaving_furniture_out_keeps_every_page_its_order_and_its_middle(pages):
    kept = running_lines(pages)
    assert len(kept) == len(pages)
    for page, left in zip(pages, kept, strict=True):
        rest = iter(page)
        assert all(line in rest for line in left)  # in order, nothing new
        assert len(page) - len(left) <= 6  # from the three lines at the top and the foot
        assert Counter(left) >= Counter(page[3:-3])  # the middle stays


@needs_documents_extra
def test_a_running_header_that_is_the_first_line_titles_the_document(tmp_path: Path):
    text = ["Programs use MIME types.", "The database is shared.", "Files are read in order."]
    pages = [["Shared MIME-info Database", line] for line in text]
    doc = only_document(tmp_path, "spec.pdf", pdf_bytes(pages))
    assert doc.title == "Shared MIME-info Database"
    assert doc.body.splitlines() == text
    # below a marking, or a number; never a marking itself
    marked = [["OFFICIAL", "Standards in public life", f"{n}", line] for n, line in
              enumerate(text, 1)]
    doc = only_document(tmp_path, "marked.pdf", pdf_bytes(marked))
    assert (doc.title, doc.body.splitlines()) == ("Standards in public life", text)
    only_marked = [["OFFICIAL SENSITIVE", line] for line in text]
    doc = only_document(tmp_path, "only-marked.pdf", pdf_bytes(only_marked))
    assert (doc.title, doc.body.splitlines()) == (text[0], text[1:])


@needs_documents_extra
def test_pages_alike_from_top_to_foot_are_text_not_furniture(tmp_path: Path):
    form = ["Application for a licence", "Name:", "Address:"]
    doc = only_document(tmp_path, "forms.pdf", pdf_bytes([form] * 3))
    assert doc.title == "Application for a licence"
    assert doc.body.count("Name:") == 3


@needs_documents_extra
def test_a_scanned_pdf_with_no_text_layer_is_skipped_with_a_reason(tmp_path: Path):
    result = read(tmp_path, "scan.pdf", pdf_bytes([[], [], []]))
    assert result.skipped_reason == "no text: a scanned PDF? (OCR it first)"
    assert result.documents == []


@needs_documents_extra
def test_a_pdf_mostly_of_pages_without_text_is_indexed_with_a_warning(tmp_path: Path):
    result = read(tmp_path, "mixed.pdf", pdf_bytes([["Cover note", "typed text"], [], []]))
    assert [doc.title for doc in result.documents] == ["Cover note"]
    assert result.warnings == ["mixed.pdf: 2 of 3 pages have no text (scanned? OCR them "
                               "first); the text of the rest is indexed"]


@needs_documents_extra
def test_a_pdf_locked_with_a_password_is_skipped_and_one_only_locked_against_copying_read(
    tmp_path: Path,
):
    locked = read(tmp_path, "locked.pdf", pdf_bytes([["Secret", "text"]], password="pw"))
    assert locked.skipped_reason == "encrypted PDF: it needs a password (save a copy without one)"
    doc = only_document(tmp_path, "open.pdf", pdf_bytes([["Published", "text"]], password=""))
    assert (doc.title, doc.body) == ("Published", "text")


@needs_documents_extra
@pytest.mark.parametrize("damage", ["truncated", "garbage", "header only"])
def test_a_damaged_pdf_is_skipped_in_one_line(tmp_path: Path, damage: str):
    good = pdf_bytes([["Title", "text"]])
    data = {"truncated": good[: len(good) // 2], "garbage": b"%PDF-1.7\n" + bytes(range(256)),
            "header only": b"%PDF-1.4\n"}[damage]
    reason = read(tmp_path, "bad.pdf", data).skipped_reason
    assert reason is not None and reason.startswith("damaged PDF: ")
    assert "\n" not in reason and len(reason) < 150


@needs_documents_extra
def test_a_pdf_whose_pages_cannot_be_read_is_damaged_not_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A page pypdf gives up on (a stream over its limits, a broken object) is left out with
    a warning; a PDF with no page to read is damaged."""
    from pypdf import PageObject

    extract = PageObject.extract_text

    def failing(page, *args, **kwargs):
        text = extract(page, *args, **kwargs)
        if "broken" in text:
            raise ValueError("a stream over pypdf's limits")
        return text

    monkeypatch.setattr(PageObject, "extract_text", failing)
    result = read(tmp_path, "a.pdf", pdf_bytes([["Title"], ["broken page"]]))
    assert [doc.title for doc in result.documents] == ["Title"]
    assert result.warnings == ["a.pdf: 1 of 2 pages could not be read (damaged), left out"]
    all_bad = read(tmp_path, "b.pdf", pdf_bytes([["broken"], ["broken too"]]))
    assert all_bad.skipped_reason == "damaged PDF: no page could be read"


@needs_documents_extra
def test_a_word_file_that_unpacks_to_more_than_256_mib_is_not_unpacked(tmp_path: Path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(300):
            z.writestr(f"word/media/{n}.bin", bytes(2**20))
    assert len(out.getvalue()) < 2**20
    assert read(tmp_path, "bomb.docx", out.getvalue()).skipped_reason == (
        "unpacks to more than 256 MiB: too large to read")


@needs_documents_extra
def test_one_bad_file_among_many_loses_nothing_else(tmp_path: Path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes([["Budget statement", "The Chancellor rose."]]))
    (folder / "b.pdf").write_bytes(b"%PDF-1.4\nnot really")
    (folder / "c.pdf").write_bytes(pdf_bytes([["x"]], password="pw"))
    (folder / "d.pdf").write_bytes(pdf_bytes([[]]))
    (folder / "e.docx").write_bytes(b"PK\x03\x04 not a zip")
    (folder / "f.docx").write_bytes(docx_bytes(["Press release", "The minister spoke."]))
    (folder / "g.txt").write_text("Notes\nOn the budget.\n")
    result = invoke("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{folder}: 3 indexed, 0 updated, 0 unchanged, 0 deleted, "
                               "4 skipped")
    assert lines[1:5] == [
        "  skipped b.pdf: damaged PDF: " + lines[1].split("damaged PDF: ")[1],
        "  skipped c.pdf: encrypted PDF: it needs a password (save a copy without one)",
        "  skipped d.pdf: no text: a scanned PDF? (OCR it first)",
        "  skipped e.docx: damaged Word file: not a .docx (zip) file",
    ]
    assert "Traceback" not in result.stdout + (result.stderr if result.stderr_bytes else "")


@needs_documents_extra
def test_a_pdf_pypdf_repairs_is_read_without_its_repairs_printed_on_stderr(tmp_path: Path):
    """In a process of its own, as the command runs: Python prints a library's warnings on
    stderr when nothing configures logging (under pytest, its own handler takes them)."""
    good = pdf_bytes([["Title", "text"]])
    # every object's offset in the cross-reference table off by three bytes: pypdf warns
    # "Ignoring wrong pointing object 1 0 (offset 18)" for each, and finds them itself
    damaged = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 3), good)
    (tmp_path / "a.pdf").write_bytes(damaged)
    code = (
        "import sys\n"
        "from corpus_search.ingest.files import read_file\n"
        f"(doc,) = read_file({str(tmp_path / 'a.pdf')!r}, {str(tmp_path)!r}).documents\n"
        "print(doc.title, doc.body, sep='|')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert (out.stdout, out.stderr) == ("Title|text\n", "")


# --------------------------------------------------------------------------------------------
# Dates


@needs_documents_extra
def test_a_pdf_is_dated_by_its_creation_date_only_when_nothing_else_dates_it(tmp_path: Path):
    made = "D:20190221103000+00'00'"
    plain = only_document(tmp_path, "a.pdf", pdf_bytes([["Title", "text"]], created=made))
    assert (plain.date, plain.date_source) == (dt.date(2019, 2, 21), "properties")
    lined = only_document(tmp_path, "b.pdf", pdf_bytes(
        [["Title", "Published: 3 March 2017", "text"]], created=made))
    assert (lined.date, lined.date_source) == (dt.date(2017, 3, 3), "dateline")
    named = only_document(tmp_path, "2018-05-01-c.pdf", pdf_bytes([["Title"]], created=made))
    assert (named.date, named.date_source) == (dt.date(2018, 5, 1), "path")
    # what --no-date-guess keeps is what documents state: a file's making is not that
    rules = DateOptions(guesses=()).rules()
    bare = only_document(tmp_path, "a.pdf", pdf_bytes([["Title"]], created=made), dates=rules)
    assert (bare.date, bare.date_source) == (None, None)
    (tmp_path / "dates.csv").write_text("path,date\nd.pdf,2005-03-21\n")
    rules = DateOptions(sidecar=str(tmp_path / "dates.csv")).rules()
    given_ = only_document(tmp_path, "d.pdf", pdf_bytes([["T"]], created=made), dates=rules)
    assert (given_.date, given_.date_source) == (dt.date(2005, 3, 21), "sidecar")


@needs_documents_extra
@pytest.mark.parametrize("made", ["D:19700101000000Z", "D:16010101", "D:20191341", "yesterday",
                                  f"D:{TODAY.year + 1}0101"])
def test_a_creation_date_no_pdf_could_have_dates_nothing(tmp_path: Path, made: str):
    doc = only_document(tmp_path, "a.pdf", pdf_bytes([["Title"]], created=made))
    assert doc.date is None


@needs_documents_extra
def test_a_pdf_s_date_source_is_shown_and_filters_by_it(tmp_path: Path):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes([["Budget", "the budget"]], created="D:20190221"))
    index = str(tmp_path / "ix")
    invoke("index", str(folder), "--index", index)
    shown = invoke("show", "a", "--index", index).stdout
    assert "date: 2019-02-21 (from the file's properties: when it was made)" in shown
    hits = json.loads(invoke("search", "budget", "--since", "2019", "--json", "--index",
                             index).stdout)["hits"]
    assert [(h["id"], h["date_source"]) for h in hits] == [("a", "properties")]


# --------------------------------------------------------------------------------------------
# Word


@needs_documents_extra
def test_a_word_file_is_its_paragraphs_a_line_each_and_its_tables_a_cell_a_line(tmp_path: Path):
    doc = only_document(tmp_path, "release.docx", docx_bytes(
        ["NHS waiting times", "Figures out today.", "", "More to follow."],
        table=[["Region", "Weeks"], ["London", "18"]], merged_row="Source: NHS England"))
    assert doc.title == "NHS waiting times"
    assert doc.body == ("Figures out today.\n\nMore to follow.\nRegion\nWeeks\nLondon\n18\n"
                        "Source: NHS England")  # a merged cell once


@needs_documents_extra
def test_a_word_file_is_titled_by_its_title_property_else_its_heading_near_the_top(
    tmp_path: Path,
):
    paragraphs = ["PRESS RELEASE", "For immediate release", ("Heading 1", "Minister orders review"),
                  "The minister said..."]
    headed = only_document(tmp_path, "a.docx", docx_bytes(paragraphs))
    assert headed.title == "Minister orders review"
    assert headed.body == "PRESS RELEASE\nFor immediate release\nThe minister said..."
    titled = only_document(tmp_path, "b.docx", docx_bytes(paragraphs, title="Review ordered"))
    assert titled.title == "Review ordered"
    assert titled.body.splitlines()[:3] == ["PRESS RELEASE", "For immediate release",
                                            "Minister orders review"]
    placeholder = only_document(tmp_path, "c.docx", docx_bytes(["First line", "x"],
                                                               title="Document2"))
    assert placeholder.title == "First line"


@needs_documents_extra
def test_a_word_file_is_dated_by_its_dateline_else_its_creation(tmp_path: Path):
    made = dt.datetime(2019, 2, 21, 9, 0, tzinfo=dt.timezone.utc)
    release = only_document(tmp_path, "a.docx", docx_bytes(
        ["Press release", "12 March 2019", "Text."], created=made))
    assert (release.date, release.date_source) == (dt.date(2019, 3, 12), "dateline")
    note = only_document(tmp_path, "b.docx", docx_bytes(["Note", "Text."], created=made))
    assert (note.date, note.date_source) == (dt.date(2019, 2, 21), "properties")
    # python-docx's own template's date is no date of the file's
    made_by_a_script = only_document(tmp_path, "c.docx", docx_bytes(["Note", "Text."]))
    assert made_by_a_script.date is None


def _zip(**members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


@needs_documents_extra
@pytest.mark.parametrize(("data", "reason"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected, or an old Word "
     "(.doc) file named .docx: save it as .docx without a password"),
    (b"PK\x03\x04 cut short", "damaged Word file: not a .docx (zip) file"),
    (_zip(**{"a.txt": "x"}), "damaged Word file: \"There is no item named "
     "'[Content_Types].xml' in the archive\""),
    (b"Plain text saved as .docx\n", "damaged Word file: not a .docx (zip) file"),
])
def test_a_word_file_that_cannot_be_read_is_skipped_in_one_line(tmp_path, data, reason):
    assert read(tmp_path, "a.docx", data).skipped_reason == reason


@needs_documents_extra
def test_a_word_file_without_text_is_skipped(tmp_path: Path):
    assert read(tmp_path, "a.docx", docx_bytes([])).skipped_reason == (
        "no text (empty, or only pictures)")


# --------------------------------------------------------------------------------------------
# Titles


@pytest.mark.parametrize(("value", "title"), [
    ("Review of MPs' second jobs", "Review of MPs' second jobs"),
    ("  Budget\n2019 ", "Budget 2019"),
    ("Microsoft Word - Budget brief.doc", None),
    ("C:\\Users\\clerk\\report.pdf", None),
    ("report.indd", None),
    ("untitled", None),
    ("Presentation1", None),
    ("final_v3", None),
    ("2019", None),
    ("", None),
    (None, None),
    ("x" * 301, None),
])
def test_a_title_property_is_a_title_unless_it_names_a_file_or_nothing(value, title):
    assert meaningful_title(value) == title


@given(st.text(max_size=80))
def test_a_title_from_a_property_is_one_trimmed_line_with_a_letter_or_none(value: str):
    title = meaningful_title(value)
    assert title is None or (title == " ".join(title.split()) and title
                             and any(c.isalpha() for c in title))


# --------------------------------------------------------------------------------------------
# Fuzzing: damaged files of every shape are one line, never an exception


@needs_documents_extra
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_pdf_or_word_file_is_a_document_or_one_line(tmp_path, data):
    kind = data.draw(st.sampled_from(["pdf", "docx"]))
    good = _GOOD[kind]()
    start = data.draw(st.integers(0, len(good) - 1))
    cut = data.draw(st.integers(start, len(good)))
    noise = data.draw(st.binary(max_size=16))
    damaged = good[:start] + noise + good[cut:]
    result = read(tmp_path, f"x.{kind}", damaged)
    assert result.documents or "\n" not in (result.skipped_reason or "\n")


_GOOD = {
    "pdf": lambda: pdf_bytes([["Title", "Parlia-", "ment"], ["page two"]], title="T",
                             created="D:20190221"),
    "docx": lambda: docx_bytes(["Title", "text"], table=[["a", "b"]]),
}


# --------------------------------------------------------------------------------------------
# Without the extra


def test_without_the_extra_pdf_and_word_files_are_counted_with_a_word_on_reading_them(
    tmp_path: Path, without_the_extra
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Budget day\n\nThe Chancellor spoke.\n")
    for n in range(3):
        (folder / f"r{n}.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "letter.docx").write_bytes(b"PK\x03\x04")
    (folder / "data.xml").write_text("<x/>")
    result = invoke("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0
    notes = [line for line in result.stdout.splitlines() if "note" in line]
    assert notes == [
        "  note 5 files of other kinds not read: 3 .pdf, 1 .docx and 1 .xml (read: .csv, "
        ".htm, .html, .jsonl, .md, .txt); the documents extra reads the .docx and .pdf files: "
        f"{EXTRA}"]


def test_without_the_extra_a_folder_of_pdfs_says_how_to_read_them(
    tmp_path: Path, without_the_extra
):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    result = invoke("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        f"  warning {folder} holds no file that can be indexed (supported: .csv, .htm, .html, "
        f".jsonl, .md, .txt); it holds 1 .pdf; nothing to index; the documents extra reads "
        f"the .pdf files: {EXTRA}")


def test_without_the_extra_a_pdf_given_to_read_file_says_what_reads_it(
    tmp_path: Path, without_the_extra
):
    assert read(tmp_path, "a.pdf", b"%PDF-1.4\n").skipped_reason == (
        f"reading .pdf files needs the documents extra: {EXTRA}")
    assert list(iter_source_files(tmp_path)) == []


@needs_documents_extra
def test_with_the_extra_pdf_and_word_files_are_read_and_none_counted(tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "b.DOCX").write_bytes(b"PK")
    (tmp_path / "c.doc").write_bytes(b"old Word")
    others: Counter[str] = Counter()
    assert [p.name for p in iter_source_files(tmp_path, others=others)] == ["a.pdf", "b.DOCX"]
    assert others == {".doc": 1}


@needs_documents_extra
def test_what_was_indexed_from_pdfs_is_kept_when_the_extra_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes([["Budget statement", "The Chancellor rose."]]))
    (folder / "b.txt").write_text("Notes\nOn the budget.\n")
    index = str(tmp_path / "ix")
    invoke("index", str(folder), "--index", index)
    monkeypatch.setitem(sys.modules, "pypdf", None)
    result = invoke("index", str(folder), "--index", index, "--json")
    (report,) = json.loads(result.stdout)["reports"]
    assert (report["deleted"], report["kept"], report["unchanged"]) == (0, 1, 1)
    assert report["warnings"] == [
        "1 PDF or Word file indexed before cannot be read without the documents extra: what "
        f"was indexed from it is kept; to read it: {EXTRA}"]
    with CorpusIndex.open(index) as ix:
        assert [hit.id for hit in ix.search("Chancellor").hits] == ["a"]


@needs_documents_extra
def test_installing_the_extra_reads_the_pdfs_and_leaves_the_files_read_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Why reading PDF and Word files did not raise READING_VERSION: no file read before
    gives other documents now; the PDF and Word files, never read before, are new files to
    the index."""
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes([["Budget statement", "The Chancellor rose."]]))
    (folder / "b.txt").write_text("Notes\nOn the budget.\n")
    index = str(tmp_path / "ix")
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "pypdf", None)
        invoke("index", str(folder), "--index", index)
    (report,) = json.loads(invoke("index", str(folder), "--index", index, "--json")
                           .stdout)["reports"]
    assert (report["indexed"], report["unchanged"], report["other_files"]) == (1, 1, {})
    assert report["read_by_older_readers"] is False
