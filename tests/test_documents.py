"""Specification of the documents/ingest module: formats, ids, metadata, encodings, skips."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import pickle
import re
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corpus_search.ingest.boilerplate import (
    KNOWN_BLURBS,
    LineCounts,
    body_lines,
    find_boilerplate,
    strip_boilerplate,
)
from corpus_search.ingest.files import (
    bundled_seeds_path,
    iter_source_files,
    read_directory,
    read_file,
)
from corpus_search.ingest.model import Document, FileResult
from corpus_search.ingest.signatures import (
    content_digest,
    file_signature,
    same_content,
    same_stat,
)
from corpus_search.ingest.sources import (
    SOURCE_PATTERNS,
    compile_pattern,
    detect_source,
    known_publisher,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(
    os.environ.get("CORPUS_SEARCH_SHARED", Path(__file__).resolve().parents[2] / "shared")
)
BBC = SHARED / "corpora" / "bbc"


def read_one(path: Path, root: Path, **kwargs) -> FileResult:
    return read_file(path, root, **kwargs)


def seeds() -> dict[str, Document]:
    root = bundled_seeds_path()
    docs = {}
    for result in read_directory(root, id_prefix="seeds/"):
        assert result.skipped_reason is None, result
        for doc in result.documents:
            docs[doc.id] = doc
    return docs


# --------------------------------------------------------------------------------------------
# The seed articles: real shapes of dates, publishers and blurbs


def test_the_bundled_seeds_folder_holds_the_five_seed_articles():
    assert sorted(p.name for p in iter_source_files(bundled_seeds_path())) == [
        "000_e1ffd6853301c33a.txt",
        "001_15000ecfd68f1c3a.txt",
        "002_21f4887b1655b219.txt",
        "003_1fc4576d440fb9c0.txt",
        "004_5d8bb84a538f28b6.txt",
    ]


def test_seed_ids_are_the_prefixed_relative_path_without_extension():
    assert sorted(seeds()) == [
        "seeds/000_e1ffd6853301c33a",
        "seeds/001_15000ecfd68f1c3a",
        "seeds/002_21f4887b1655b219",
        "seeds/003_1fc4576d440fb9c0",
        "seeds/004_5d8bb84a538f28b6",
    ]


def test_seed_dates_come_from_the_dateline_and_the_byline():
    docs = seeds()
    assert docs["seeds/000_e1ffd6853301c33a"].date == datetime.date(2017, 3, 13)  # Posted On:
    assert docs["seeds/001_15000ecfd68f1c3a"].date == datetime.date(2019, 2, 21)  # Thursday 21...
    # a tweet's date 56 lines down is not the article's date
    assert docs["seeds/002_21f4887b1655b219"].date is None


def test_seed_publishers_are_recognised():
    sources = {doc_id.split("_")[0]: doc.source for doc_id, doc in seeds().items()}
    assert sources == {
        "seeds/000": "PoliticsHome",
        "seeds/001": "The Independent",
        "seeds/002": "HuffPost",
        "seeds/003": "The Independent",
        "seeds/004": "LabourList",
    }


def test_a_newsletter_blurb_before_the_headline_is_not_the_title():
    doc = seeds()["seeds/001_15000ecfd68f1c3a"]
    assert doc.title.startswith("Momentum launches campaigning drive")


def test_donation_blurbs_are_kept_out_of_a_single_documents_body():
    for doc in seeds().values():
        assert "Your support helps us to tell the story" not in doc.body
        assert "The Independent is trusted by Americans" not in doc.body
        assert "follow other Independent readers" not in doc.body
        assert "More from LabourList" not in doc.body


def test_a_blurb_glued_to_the_article_loses_the_blurb_but_keeps_the_article():
    body = seeds()["seeds/003_1fc4576d440fb9c0"].body
    assert "Your support makes all the difference" not in body
    assert "Jeremy Corbyn has refused to intervene to stop the threatened deselection" in body


def test_documents_pickle():
    doc = seeds()["seeds/000_e1ffd6853301c33a"]
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert doc.path == "000_e1ffd6853301c33a.txt"


# --------------------------------------------------------------------------------------------
# Formats


def test_a_text_file_has_its_first_non_empty_line_as_title(tmp_path):
    (tmp_path / "politics").mkdir()
    f = tmp_path / "politics" / "001.txt"
    f.write_text("\n\n  Labour plans maternity pay rise  \n\nMaternity pay is to rise.\n")
    result = read_one(f, tmp_path)
    assert result.documents == [
        Document(
            id="politics/001",
            title="Labour plans maternity pay rise",
            body="Maternity pay is to rise.",
            path="politics/001.txt",
        )
    ]


def test_a_markdown_title_loses_its_hashes():
    result = read_one(FIXTURES / "notes" / "briefing.md", FIXTURES)
    (doc,) = result.documents
    assert doc.id == "notes/briefing"
    assert doc.title == "Briefing: the Lib Dems and tuition fees"
    assert doc.date == datetime.date(2019, 2, 21)


def test_markdown_front_matter_supplies_metadata(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\ntitle: Front title\ndate: 2020-01-31\nsource: ConservativeHome\n---\n"
                 "# Heading\nText.\n")  # fmt: skip
    (doc,) = read_one(f, tmp_path).documents
    assert (doc.title, doc.date, doc.source) == (
        "Front title",
        datetime.date(2020, 1, 31),
        "ConservativeHome",
    )
    assert doc.body == "# Heading\nText."  # a heading that is not the title is the text's


@pytest.mark.parametrize("name", ["a.md", "b.txt"])
def test_a_file_whose_front_matter_names_its_title_keeps_its_first_line_as_text(
    tmp_path, name
):
    f = tmp_path / name
    f.write_text("---\ntitle: SNP wins Holyrood majority\ndate: 2011-05-06\n---\n"
                 "Alex Salmond's SNP won an outright majority at Holyrood.\n", encoding="utf-8")
    (doc,) = read_one(f, tmp_path).documents
    assert (doc.title, doc.body) == (
        "SNP wins Holyrood majority", "Alex Salmond's SNP won an outright majority at Holyrood.")


@pytest.mark.parametrize(("name", "first_line"), [
    ("a.md", "# SNP wins  Holyrood majority"),
    ("b.txt", "SNP wins Holyrood majority"),
    ("c.txt", "snp wins holyrood majority"),
])
def test_a_first_line_that_repeats_the_front_matter_title_is_not_body_text(
    tmp_path, name, first_line
):
    f = tmp_path / name
    f.write_text(f"---\ntitle: SNP wins Holyrood majority\n---\n{first_line}\n\nText.\n",
                 encoding="utf-8")
    (doc,) = read_one(f, tmp_path).documents
    assert (doc.title, doc.body) == ("SNP wins Holyrood majority", "Text.")


@pytest.mark.parametrize("name", ["a.md", "b.txt"])
def test_a_front_matter_title_leaves_the_story_s_first_paragraph_in_its_body(tmp_path, name):
    # (the first line was taken for a title line and dropped: a journalist's file with its
    # title in front matter lost its lede)
    f = tmp_path / name
    f.write_text("---\ntitle: Labour pledges to cut waiting lists\ndate: 2024-03-14\n---\n"
                 "Labour has pledged to cut NHS waiting lists.\n\nThe Tories said it was "
                 "uncosted.\n", encoding="utf-8")  # fmt: skip
    (doc,) = read_one(f, tmp_path).documents
    assert doc.title == "Labour pledges to cut waiting lists"
    assert doc.body == ("Labour has pledged to cut NHS waiting lists.\n\n"
                        "The Tories said it was uncosted.")  # fmt: skip


@pytest.mark.parametrize(("name", "first"), [("a.md", "# Labour pledges  to cut waiting lists"),
                                             ("b.txt", "LABOUR PLEDGES TO CUT WAITING LISTS")])
def test_a_first_line_repeating_the_front_matter_title_is_not_repeated_in_the_body(
    tmp_path, name, first
):
    f = tmp_path / name
    f.write_text(f"---\ntitle: Labour pledges to cut waiting lists\n---\n{first}\n\n"
                 "Labour has pledged to cut NHS waiting lists.\n", encoding="utf-8")  # fmt: skip
    (doc,) = read_one(f, tmp_path).documents
    assert doc.title == "Labour pledges to cut waiting lists"
    assert doc.body == "Labour has pledged to cut NHS waiting lists."


@pytest.mark.parametrize(("text", "body"), [
    ("The Chancellor set out the Budget.\n", "The Chancellor set out the Budget."),
    ("The Chancellor spoke.\n\nMPs cheered.\n", "The Chancellor spoke.\n\nMPs cheered."),
    ("## Background\nMPs cheered.\n", "## Background\nMPs cheered."),
    ("# Budget day\n\nMPs cheered.\n", "MPs cheered."),
    ("Budget  DAY\n\nMPs cheered.\n", "MPs cheered."),
])
def test_the_text_under_a_front_matter_title_is_body_unless_its_first_line_repeats_the_title(
    tmp_path, text, body
):
    """A post with its title in the front matter and one paragraph under it was indexed with
    an empty body: the first line was taken for a title and dropped for the front matter's."""
    for name in ("a.md", "b.txt"):
        f = tmp_path / name
        f.write_text(f"---\ntitle: Budget day\ndate: 2005-03-16\n---\n{text}", encoding="utf-8")
        (doc,) = read_one(f, tmp_path).documents
        # (a '#' line is a heading in Markdown only)
        heading = name == "b.txt" and text.startswith("# ")
        assert (doc.title, doc.body) == ("Budget day", text.strip() if heading else body)


@pytest.mark.parametrize(("written", "title"), [
    ("Crisis 'ahead in social sciences'", "Crisis 'ahead in social sciences'"),
    ("'Errors' doomed first Dome 'sale'", "'Errors' doomed first Dome 'sale'"),
    ('Blair: "We will win"', 'Blair: "We will win"'),
    ("'Blair''s speech'", "Blair's speech"),
    ('"Budget: \\"no surprises\\""', 'Budget: "no surprises"'),
])
def test_a_front_matter_title_keeps_the_quotes_that_end_it_and_loses_those_that_wrap_it(
    tmp_path, written, title
):
    for name in ("a.md", "b.txt"):
        f = tmp_path / name
        f.write_text(f"---\ntitle: {written}\ndate: 2005-02-10\n---\nText.\n", encoding="utf-8")
        (doc,) = read_one(f, tmp_path).documents
        assert doc.title == title


def test_jsonl_records_keep_their_ids_and_fields():
    result = read_one(FIXTURES / "records" / "speeches.jsonl", FIXTURES, id_prefix="x/")
    docs = {d.id: d for d in result.documents}
    assert sorted(docs) == ["x/7", "x/records/speeches.jsonl#2", "x/speech-1"]
    speech = docs["x/speech-1"]
    assert speech.date == datetime.date(2019, 3, 13)
    assert speech.source == "HM Treasury"
    assert speech.url == "https://www.gov.uk/speech-1"
    assert docs["x/7"].date == datetime.date(2017, 3, 13)
    assert docs["x/records/speeches.jsonl#2"].date == datetime.date(2019, 2, 21)  # day first


def test_record_field_names_are_read_in_any_capitals_in_jsonl_as_in_csv(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"ID": "x1", "Title": "Cap row", "Body": "Text.", "Date": "2005-01-01"}\n'
        '{"id": "x2", "title": "lower wins", "Title": "upper", "BODY": "Text."}\n',
        encoding="utf-8")
    (tmp_path / "b.csv").write_text("ID,Title,Body,Date\nx3,Cap row,Text.,2005-01-01\n",
                                    encoding="utf-8")
    docs = {d.id: d for name in ("a.jsonl", "b.csv")
            for d in read_one(tmp_path / name, tmp_path).documents}
    assert (docs["x1"].title, docs["x1"].body, docs["x1"].date) == (
        "Cap row", "Text.", datetime.date(2005, 1, 1))
    assert (docs["x3"].title, docs["x3"].date) == ("Cap row", datetime.date(2005, 1, 1))
    assert docs["x2"].title == "lower wins"


def test_malformed_jsonl_lines_are_skipped_with_a_warning_naming_file_and_line():
    result = read_one(FIXTURES / "records" / "speeches.jsonl", FIXTURES)
    assert result.skipped_reason is None
    assert result.warnings == [
        "records/speeches.jsonl line 3: invalid JSON (Expecting value: column 1), skipped",
        "records/speeches.jsonl line 4: not a JSON object, skipped",
    ]


def test_csv_rows_become_documents_and_rows_without_id_get_their_line_number():
    result = read_one(FIXTURES / "records" / "questions.csv", FIXTURES)
    docs = {d.id: d for d in result.documents}
    assert sorted(docs) == ["q1", "records/questions.csv#4"]
    assert docs["q1"].body == "The Prime Minister answered questions.\nA second line of the body."
    assert docs["q1"].date == datetime.date(2017, 3, 13)
    assert docs["records/questions.csv#4"].source == "LabourList"
    assert result.warnings == [
        "records/questions.csv line 5: 7 fields but the header has 6, skipped"
    ]


def test_a_csv_without_title_or_body_column_is_skipped_naming_its_columns_and_the_mapping(
        tmp_path):
    # (the reason named the columns but not how to read them: --columns)
    f = tmp_path / "export.csv"
    f.write_text("Headline,story,published\nBlair wins,Tony Blair won,2005-05-06\n")
    assert read_one(f, tmp_path).skipped_reason == (
        "CSV header has no title or body column (its columns: headline, story, published; the "
        "text is read from title and body (or text): --columns title=headline,text=story, or "
        "columns= in Python, names the ones that hold it)")
    mapped = read_one(f, tmp_path, columns={"title": "headline", "text": "story"})
    assert [(d.title, d.body) for d in mapped.documents] == [("Blair wins", "Tony Blair won")]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_is_read_as_one_separated_by_commas(
    tmp_path, separator: str
):
    # a spreadsheet where the comma is the decimal mark writes semicolons: its header was
    # read as one column, "id;title;body", and the file skipped
    f = tmp_path / "export.csv"
    f.write_text(separator.join(["id", "title", "body", "date"]) + "\n"
                 + separator.join(["s1", "Blair wins, again", "Tony Blair won", "2005-05-06"])
                 + "\n")
    [doc] = read_one(f, tmp_path).documents
    assert (doc.id, doc.title, doc.body) == ("s1", "Blair wins, again", "Tony Blair won")
    assert doc.date == datetime.date(2005, 5, 6)


@pytest.mark.parametrize("sep_line", ["sep=;", '"sep=;"', "SEP=;", "\ufeffsep=;"])
def test_a_csv_whose_first_line_names_its_delimiter_as_excel_writes_it_is_read_by_it(
    tmp_path, sep_line: str
):
    # Excel's "sep=;" above the header had been read as the header: the file was skipped for
    # having no title or body column ("its columns: sep="), with advice no mapping could follow
    f = tmp_path / "export.csv"
    f.write_text(f"{sep_line}\r\ntitle;body;date\r\nBlair wins, again;Tony Blair won;06/05/2005\r\n"
                 "Howard;Michael Howard conceded;2005-05-07\r\n", encoding="utf-8")
    result = read_one(f, tmp_path)
    assert (result.skipped_reason, result.warnings) == (None, [])
    assert [(d.id, d.title, d.body, d.date) for d in result.documents] == [
        # (the ids keep counting the file's lines, the sep= line among them)
        ("export.csv#3", "Blair wins, again", "Tony Blair won", datetime.date(2005, 5, 6)),
        ("export.csv#4", "Howard", "Michael Howard conceded", datetime.date(2005, 5, 7)),
    ]


def test_a_csv_whose_header_holds_as_many_commas_as_semicolons_is_read_with_commas(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text('title,"body; notes"\nBlair wins,"He won; twice"\n')
    [doc] = read_one(f, tmp_path).documents
    assert (doc.title, doc.body) == ("Blair wins", "")


def test_records_without_title_or_body_are_one_warning_naming_their_fields(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_text("".join(json.dumps({"headline": f"Story {n}", "story": "Blair spoke"}) + "\n"
                         for n in range(5000)))
    result = read_one(f, tmp_path)
    assert result.documents == []
    # (it did not say how to read them, as the same file as CSV did: --columns)
    assert result.warnings == [
        "export.jsonl: 5000 records have no title or body, skipped (lines 1, 2, 3 and 4997 "
        "more; their fields: headline, story; the text is read from title and body (or text): "
        "--columns title=headline,text=story, or columns= in Python, names the ones that hold "
        "it)"]


def test_a_file_none_of_whose_records_is_read_names_likely_columns_or_a_placeholder(
        tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"Headline": "Poll", "Content": "Blair named the day."}) + "\n")
    assert read_one(f, tmp_path).warnings == [
        "feed.jsonl line 1: no title or body, skipped (its fields: headline, content; the "
        "text is read from title and body (or text): --columns title=headline,text=content, "
        "or columns= in Python, names the ones that hold it)"]
    g = tmp_path / "odd.csv"
    g.write_text("ref,words\n1,Blair named the day.\n")
    assert read_one(g, tmp_path).skipped_reason.endswith(
        "--columns title=COLUMN,text=COLUMN, or columns= in Python, names the ones that hold it)")


def test_one_record_without_title_or_body_is_named_by_its_line(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text("id,title,body,note\na,Budget,The budget,\nb,,," + ",".join([]) + "x\n")
    result = read_one(f, tmp_path)
    assert [d.id for d in result.documents] == ["a"]
    assert result.warnings == [
        "mixed.csv line 3: no title or body, skipped (its fields: id, title, body, note; the "
        "text is read from title and body (or text))"]


def test_records_with_a_title_whose_text_is_in_a_column_not_read_are_one_warning(tmp_path):
    # (a CSV of title,story columns was indexed with its titles alone and said nothing: a
    # search for any word of its stories found none)
    f = tmp_path / "news.csv"
    f.write_text("title,story,date\nBudget row,Labour and the Tories clashed.,2005-03-16\n"
                 "Poll day,Blair named the day.,2005-04-05\n")
    result = read_one(f, tmp_path)
    assert [(d.title, d.body) for d in result.documents] == [("Budget row", ""), ("Poll day", "")]
    assert result.warnings == [
        "news.csv: 2 records have a title but no text, indexed with their titles alone "
        "(lines 2, 3; their fields: title, story, date; the text is read from body (or text): "
        "--columns text=story, or columns= in Python, names the one that holds it)"]
    mapped = read_one(f, tmp_path, columns={"text": "story"})
    assert mapped.warnings == [] and mapped.documents[1].body == "Blair named the day."


def test_records_whose_title_date_or_source_is_in_a_column_not_read_are_one_warning(tmp_path):
    # (a Nexis CSV of Headline,Publication,Published,Body columns was indexed with every
    # record "(no title)", undated and of no source, and said nothing: a count by year or
    # source held none of them)
    f = tmp_path / "nexis.csv"
    f.write_text("Headline,Publication,Published,Body\nBudget row,The Times,2005-03-16,Labour "
                 "and the Tories clashed.\nPoll day,The Times,2005-04-05,Blair named the day.\n")
    result = read_one(f, tmp_path)
    assert [(d.title, d.date, d.source) for d in result.documents] == [("", None, None)] * 2
    assert result.warnings == [
        "nexis.csv: 2 records have no title, date or source: read without them (lines 2, 3; "
        "their fields: headline, publication, published, body; they are read from title, "
        "date and source: --columns title=headline,date=published,source=publication, or "
        "columns= in Python, names the ones that hold it)"]
    mapped = read_one(f, tmp_path, columns="title=headline,date=published,source=publication")
    assert mapped.warnings == []
    assert (mapped.documents[1].title, mapped.documents[1].date.isoformat(),
            mapped.documents[1].source) == ("Poll day", "2005-04-05", "The Times")
    # a folder's --source names the publisher: only the title is said to be elsewhere
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"Subject": "Poll", "text": "Blair named the day.",
                                "outlet": "The Bugle"}) + "\n")
    assert read_one(feed, tmp_path, source="The Bugle").warnings == [
        "feed.jsonl line 1: no title: read without it (its fields: subject, text, outlet; it "
        "is read from title: --columns title=subject, or columns= in Python, names the one "
        "that holds it)"]
    # a file of texts alone, with no such column, is read without a word
    bare = tmp_path / "bare.csv"
    bare.write_text("id,author,body\nb1,Jane Smith,Blair named the day.\n")
    assert read_one(bare, tmp_path).warnings == []


def test_a_csv_or_json_lines_file_without_a_body_column_has_its_text_read_from_text(tmp_path):
    # (a CSV of title,text columns, as many exports are, was indexed with its titles alone,
    # and one of text alone was skipped: a warning named --columns text=text)
    (tmp_path / "news.csv").write_text(
        "title,text,date\nBudget row,Labour and the Tories clashed.,2005-03-16\n")
    (tmp_path / "bare.csv").write_text("id,text\nb1,Blair named the day.\n")
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"title": "Poll", "text": "Blair named the day."}) + "\n"
        + json.dumps({"title": "Both", "body": "The body.", "text": "Not this."}) + "\n")
    read = {name: read_one(tmp_path / name, tmp_path) for name in
            ("news.csv", "bare.csv", "feed.jsonl")}
    assert {name: [(d.title, d.body) for d in r.documents] for name, r in read.items()} == {
        "news.csv": [("Budget row", "Labour and the Tories clashed.")],
        "bare.csv": [("", "Blair named the day.")],
        # (a record with a body column reads it, not its text)
        "feed.jsonl": [("Poll", "Blair named the day."), ("Both", "The body.")]}
    assert [r.warnings for r in read.values()] == [[], [], []]


def test_a_file_with_body_and_text_columns_reads_body_and_a_mapping_wins_over_the_fallback(
        tmp_path):
    f = tmp_path / "both.csv"
    f.write_text("title,body,text,summary\nBudget,The body.,The text.,The summary.\n")
    [doc] = read_one(f, tmp_path).documents
    assert doc.body == "The body."
    assert read_one(f, tmp_path, columns={"text": "summary"}).documents[0].body == "The summary."
    assert read_one(f, tmp_path, columns={"text": "text"}).documents[0].body == "The text."
    # (a text column mapped to another field is not read as the body as well)
    g = tmp_path / "titled.csv"
    g.write_text("text,story\nBudget,The budget was set.\n")
    [doc] = read_one(g, tmp_path, columns={"title": "text"}).documents
    assert (doc.title, doc.body) == ("Budget", "")


def test_one_json_record_with_a_title_and_its_text_in_another_field_is_named_by_its_line(
        tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"title": "Budget", "body": "The budget."}) + "\n"
                 + json.dumps({"title": "Poll", "content": "Blair named the day."}) + "\n")
    assert read_one(f, tmp_path).warnings == [
        "feed.jsonl line 2: a title but no text, indexed with its title alone (its fields: "
        "title, content; the text is read from body (or text): --columns text=content, or "
        "columns= in Python, names the one that holds it)"]


def test_a_record_with_an_empty_text_or_no_other_field_is_no_such_warning(tmp_path):
    (tmp_path / "empty.csv").write_text("title,body,note\nBudget,,\n")
    (tmp_path / "titles.csv").write_text("title,date,url\nBudget,2005-03-16,https://x.uk/1\n")
    for name in ("empty.csv", "titles.csv"):
        result = read_one(tmp_path / name, tmp_path)
        assert len(result.documents) == 1 and result.warnings == [], name


def test_records_whose_dates_are_not_read_are_one_warning_with_examples(tmp_path):
    f = tmp_path / "feed.csv"
    f.write_text("id,title,date\n" + "".join(f"{n},Story {n},{1115384400 + n}\n"
                                              for n in range(300)))
    result = read_one(f, tmp_path)
    assert len(result.documents) == 300 and all(d.date is None for d in result.documents)
    assert result.warnings == [
        "feed.csv: 300 records have an unrecognised date, indexed undated (lines 2, 3, 4 and "
        "297 more: '1115384400', '1115384401', '1115384402')"]


def test_a_warning_names_at_most_ten_fields(tmp_path):
    f = tmp_path / "wide.jsonl"
    f.write_text(json.dumps({f"field{n}": "x" for n in range(25)}) + "\n")
    (warning,) = read_one(f, tmp_path).warnings
    assert "field9 and 15 more;" in warning and "field10" not in warning


def test_a_record_field_holding_no_text_is_a_warning_and_a_list_of_texts_is_read(tmp_path):
    """A title that was a list (or an object) was left out without a word, and a record
    with nothing else was dropped silently: a list of texts is read as one text, anything
    else left out, and each kind said once for the file, by line."""
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in [
        {"title": ["Budget", "row deepens"], "text": "The Chancellor spoke."},
        {"title": ["Tax", "rises"]},
        {"title": {"en": "Pensions"}, "text": "Pensioners get a refund."},
        {"title": "Two parts", "text": ["Part one.", "Part two."], "date": [2005, 3]},
    ]) + "\n")
    result = read_one(f, tmp_path)
    assert [(d.title, d.body, d.date) for d in result.documents] == [
        ("Budget row deepens", "The Chancellor spoke.", None), ("Tax rises", "", None),
        ("", "Pensioners get a refund.", None), ("Two parts", "Part one.\nPart two.", None)]
    assert result.warnings == [
        "feed.jsonl: 2 records have a title field that holds a list, not text: their items "
        "read as one text (lines 1, 2)",
        "feed.jsonl line 3: the title field holds an object, not text: left out",
        "feed.jsonl line 4: the text field holds a list, not text: its items read as one text",
        "feed.jsonl line 4: the date field holds a list, not text: left out",
    ]


def test_a_csv_row_with_fewer_fields_than_the_header_is_read_with_a_warning(tmp_path):
    f = tmp_path / "feed.csv"
    f.write_text("title,text,date,url\nBudget,The Chancellor spoke.\n"
                 "Pensions,A refund,2005-03-16,https://x.uk/1\n")
    result = read_one(f, tmp_path)
    assert [(d.title, d.body) for d in result.documents] == [
        ("Budget", "The Chancellor spoke."), ("Pensions", "A refund")]
    assert result.warnings == [
        "feed.csv line 2: 2 fields but the header has 4, read without date, url"]
    f.write_text("title,text,date\n" + "".join(f"Story {n},Text {n}\n" for n in range(5)))
    result = read_one(f, tmp_path)
    assert len(result.documents) == 5
    assert result.warnings == [
        "feed.csv: 5 rows have fewer fields than the header, read without the columns they "
        "lack (lines 2, 3, 4 and 2 more; line 2 has 2 of 3)"]


def test_those_warnings_are_in_the_index_report_and_the_records_text_is_searchable(tmp_path):
    from corpus_search import CorpusIndex

    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "feed.jsonl").write_text(json.dumps({"title": ["Budget", "row"]}) + "\n")
    (folder / "feed.csv").write_text("title,text,date\nPensions,A refund\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert report.warnings == [
            "feed.csv line 2: 2 fields but the header has 3, read without date",
            "feed.jsonl line 1: the title field holds a list, not text: its items read as one "
            "text"]
        assert ix.search("budget row").total == 1 and ix.search("refund").total == 1


def test_duplicate_record_ids_in_one_file_keep_the_first(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text('{"id": "a", "body": "one"}\n{"id": "a", "body": "two"}\n')
    result = read_one(f, tmp_path)
    assert [d.body for d in result.documents] == ["one"]
    assert result.warnings == ["d.jsonl line 2: duplicate id 'a', skipped"]


def test_an_unparseable_record_date_is_a_warning(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text('{"id": "a", "body": "one", "date": "sometime"}\n')
    result = read_one(f, tmp_path)
    assert result.documents[0].date is None
    assert result.warnings == ["d.jsonl line 1: unrecognised date 'sometime'"]


def test_a_date_that_is_no_day_says_why_in_a_record_and_in_front_matter(tmp_path):
    (tmp_path / "d.csv").write_text("id,body,date\na,one,2005-02-30\n")
    (tmp_path / "a.md").write_text("---\ndate: 31/04/2005\n---\nBudget\n\nText.\n")
    assert read_one(tmp_path / "d.csv", tmp_path).warnings == [
        "d.csv line 2: unrecognised date '2005-02-30': February 2005 has no day 30"]
    assert read_one(tmp_path / "a.md", tmp_path).warnings == [
        "a.md: unrecognised date '31/04/2005': April 2005 has no day 31"]


def test_a_file_that_writes_a_date_month_first_warns_of_the_dates_read_day_first(tmp_path):
    """An export from an American tool writes 03/21/2005 for 21 March, which is no date day
    first, and 03/04/2005 for 4 March, which was read as 3 April without a word: the dates of
    a count by month moved, and only the one no date was warned of."""
    f = tmp_path / "us.csv"
    f.write_text("id,title,date\na,One,03/04/2005\nb,Two,03/21/2005\nc,Three,12/01/2005\n"
                 "d,Four,2005-06-01\ne,Five,13/01/2005\n")
    result = read_one(f, tmp_path)
    assert [str(d.date) for d in result.documents] == [
        "2005-04-03", "None", "2005-01-12", "2005-06-01", "2005-01-13"]  # (as they are read)
    assert result.warnings == [
        "us.csv line 3: unrecognised date '03/21/2005': there is no month 21 (the day comes "
        "first, as in 21/03/2005)",
        "us.csv: a date is written month first (line 3: '03/21/2005'), so the 2 dates read day "
        "first, as in Britain, may be wrong (lines 2, 4: '03/04/2005' read as 3 April 2005): "
        "write the dates year first (2005-03-21)"]


def test_short_dates_written_month_first_warn_as_long_ones_do(tmp_path):
    f = tmp_path / "us.csv"
    f.write_text("id,title,date\na,One,3/4/05\nb,Two,3/21/05\n")
    result = read_one(f, tmp_path)
    assert [str(d.date) for d in result.documents] == ["2005-04-03", "None"]
    assert result.warnings[1] == (
        "us.csv: a date is written month first (line 3: '3/21/05'), so the date read day "
        "first, as in Britain, may be wrong (line 2: '3/4/05' read as 3 April 2005): "
        "write the dates year first (2005-03-21)")


def test_dates_read_day_first_are_no_warning_when_none_is_written_month_first(tmp_path):
    f = tmp_path / "uk.csv"
    f.write_text("id,title,date\na,One,03/04/2005\nb,Two,21/03/2005\n")
    result = read_one(f, tmp_path)
    assert [str(d.date) for d in result.documents] == ["2005-04-03", "2005-03-21"]
    assert result.warnings == []


# --------------------------------------------------------------------------------------------
# Walking a folder


def test_the_walk_is_recursive_sorted_and_ignores_other_extensions(tmp_path):
    for name in ["b/z.txt", "b/a.md", "a.jsonl", "c.csv", "d.odt", "e.rtf", "UPPER.TXT"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("hidden\n")
    rels = [p.relative_to(tmp_path).as_posix() for p in iter_source_files(tmp_path)]
    assert rels == ["UPPER.TXT", "a.jsonl", "b/a.md", "b/z.txt", "c.csv"]


def test_symlinked_folders_are_not_followed_so_loops_and_escapes_are_impossible(tmp_path):
    root = tmp_path / "root"
    (root / "real").mkdir(parents=True)
    (root / "real" / "a.txt").write_text("A\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret\n")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "escape").symlink_to(outside, target_is_directory=True)
    rels = [p.relative_to(root).as_posix() for p in iter_source_files(root)]
    assert rels == ["real/a.txt"]


def test_a_file_symlink_leading_outside_the_folder_is_skipped(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret\n")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (result,) = read_directory(root)
    assert result.path == "link.txt"
    assert result.skipped_reason == "outside the indexed folder"
    assert result.documents == []


def test_a_path_outside_the_root_is_never_read(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "x.txt").write_text("x\n")
    result = read_one(tmp_path / "root" / ".." / "x.txt", tmp_path / "root")
    assert result.skipped_reason == "outside the indexed folder"


def test_a_file_symlink_inside_the_folder_is_read_under_its_own_name(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nbody\n")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    ids = [d.id for r in read_directory(tmp_path) for d in r.documents]
    assert ids == ["a", "b"]


def test_a_broken_symlink_is_skipped(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (result,) = read_directory(tmp_path)
    assert result.skipped_reason == "broken symbolic link"


def test_a_broken_symlink_to_a_place_outside_the_folder_is_called_broken(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "gone.txt").symlink_to("/nowhere/at/all.txt")
    (result,) = read_directory(tmp_path / "root")
    assert result.skipped_reason == "broken symbolic link"


def test_a_symlink_loop_is_skipped(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    reasons = {r.path: r.skipped_reason for r in read_directory(tmp_path)}
    assert reasons == {"a.txt": "symbolic link loop", "b.txt": "symbolic link loop"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\r\n ", "empty file"),
        (b"\xef\xbb\xbf \n", "empty file"),
        (b"PK\x03\x04\x00\x00binary\x00data", "binary file (a zip archive (or .docx, .xlsx, ...))"),
        (bytes(range(1, 32)) * 10, "binary file"),
    ],
    ids=["empty", "whitespace", "bom-only", "nul-bytes", "control-chars"],
)
def test_files_without_text_are_skipped(tmp_path, content, reason):
    f = tmp_path / "f.txt"
    f.write_bytes(content)
    assert read_one(f, tmp_path).skipped_reason == reason


def test_a_file_larger_than_the_limit_is_skipped(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("Title\n" + "word " * 1000)
    assert read_one(f, tmp_path, max_bytes=2**10).skipped_reason == "larger than 1 KiB"
    assert read_one(f, tmp_path).skipped_reason is None


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_skipped(tmp_path):
    limit = 2**10
    exact = tmp_path / "exact.txt"
    exact.write_bytes(b"Title\n" + b"x" * (limit - len(b"Title\nEND")) + b"END")
    assert exact.stat().st_size == limit
    result = read_one(exact, tmp_path, max_bytes=limit)
    assert result.skipped_reason is None
    assert result.documents[0].body.endswith("xEND")
    over = tmp_path / "over.txt"
    over.write_bytes(exact.read_bytes() + b"!")
    assert read_one(over, tmp_path, max_bytes=limit).skipped_reason == "larger than 1 KiB"


def test_a_file_that_grows_past_the_limit_after_its_size_was_checked_is_skipped(
    tmp_path, monkeypatch
):
    """The size of the opened file is checked, and the bytes read are checked again: a
    file still being written is never read past the limit."""
    f = tmp_path / "growing.txt"
    f.write_bytes(b"Title\n" + b"x" * 2000)
    real_fstat = os.fstat

    def fstat_before_it_grew(fd):
        fields = list(real_fstat(fd))
        fields[6] = 100  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat_before_it_grew)
    assert read_one(f, tmp_path, max_bytes=2**10).skipped_reason == "larger than 1 KiB"


def test_the_default_limit_is_32_mib(tmp_path):
    f = tmp_path / "big.txt"
    with open(f, "wb") as fh:
        fh.truncate(32 * 2**20 + 1)  # sparse: no disk used
    assert read_one(f, tmp_path).skipped_reason == "larger than 32 MiB"


def test_an_unreadable_file_is_skipped_as_permission_denied(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("Title\nbody\n")
    real_open = os.open

    def deny(path, *args, **kwargs):
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = read_one(f, tmp_path)
    assert result.skipped_reason == "permission denied"
    assert result.unreadable  # it may still hold what was indexed from it


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_skipped_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (result,) = read_directory(tmp_path)
    assert result.skipped_reason == "not a regular file"


def test_an_unsupported_extension_given_directly_is_skipped(tmp_path):
    f = tmp_path / "doc.odt"
    f.write_bytes(b"PK\x03\x04")
    assert read_one(f, tmp_path).skipped_reason == "unsupported file type (.odt)"


@pytest.mark.parametrize(
    "name", ["with space.txt", "Ünïcödé – £.txt", "new\nline.txt", "dots.in.name.txt"]
)
def test_odd_file_names_work(tmp_path, name):
    (tmp_path / name).write_text("Title\nbody\n")
    (result,) = read_directory(tmp_path)
    assert result.skipped_reason is None
    assert result.documents[0].id == name.removesuffix(".txt")


@pytest.mark.skipif(sys.platform != "linux", reason="bytes file names are a Linux thing")
def test_a_file_name_that_is_not_utf8_is_read_under_its_bytes_written_as_escapes(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("Title\nbody\n")
    (result,) = read_directory(tmp_path)
    assert (result.skipped_reason, result.path) == (None, "caf\\xe9.txt")
    assert [(d.id, d.path) for d in result.documents] == [("caf\\xe9", "caf\\xe9.txt")]
    assert result.warnings[0].startswith("caf\\xe9.txt: file name is not valid UTF-8")


def test_one_bad_file_never_stops_a_folder_walk(tmp_path):
    (tmp_path / "good.txt").write_text("Good\nbody\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "broken.jsonl").write_text("{\n[\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "nowhere")
    results = {r.path: r for r in read_directory(tmp_path)}
    assert [d.id for r in results.values() for d in r.documents] == ["good"]
    assert results["empty.txt"].skipped_reason == "empty file"
    assert results["bin.md"].skipped_reason == "binary file"
    assert results["link.csv"].skipped_reason == "broken symbolic link"
    assert len(results["broken.jsonl"].warnings) == 2


def test_the_signature_changes_when_the_file_does(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("one\n")
    before = file_signature(f)
    f.write_text("one two\n")
    assert file_signature(f) != before
    assert file_signature(tmp_path / "missing.txt") == "missing"


def test_a_file_read_records_its_size_time_and_content_digest(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Title\n\nBody text.\n")
    signature = read_file(f, tmp_path).signature
    assert same_stat(signature, file_signature(f))
    assert content_digest(signature) is not None
    assert content_digest(file_signature(f)) is None  # the cheap signature reads nothing


def test_a_touched_file_has_another_signature_but_the_same_content(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Title\n\nBody text.\n")
    first = read_file(f, tmp_path)
    os.utime(f, ns=(10**18, 10**18))
    touched = read_file(f, tmp_path)
    assert not same_stat(first.signature, touched.signature)
    assert same_content(first.signature, touched)
    f.write_text("Title\n\nBody test.\n")  # same size, another text
    assert not same_content(first.signature, read_file(f, tmp_path))


def test_a_file_holding_the_content_indexed_from_it_is_not_read_into_documents(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Title\n\nBody text.\n")
    indexed = content_digest(read_file(f, tmp_path).signature)
    same = read_file(f, tmp_path, indexed_digest=indexed)
    assert same.same_as_indexed and same.documents == [] and same.skipped_reason is None
    assert content_digest(same.signature) == indexed
    other = read_file(f, tmp_path, indexed_digest="0" * 32)
    assert not other.same_as_indexed and [d.title for d in other.documents] == ["Title"]


def test_a_signature_without_a_digest_never_vouches_for_the_content(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Title\n\nBody text.\n")
    old = file_signature(f)  # as versions before content digests recorded it
    assert not same_content(old, read_file(f, tmp_path))


# --------------------------------------------------------------------------------------------
# Encodings


def test_a_latin1_file_is_indexed_with_a_warning_not_skipped(tmp_path):
    f = tmp_path / "sport.txt"
    f.write_bytes("Transfer fee\nThe fee was £3m for Señor Núñez.\n".encode("latin-1"))
    result = read_one(f, tmp_path)
    assert result.skipped_reason is None
    assert result.warnings == ["sport.txt: not UTF-8: decoded as cp1252"]
    assert "£3m for Señor Núñez" in result.documents[0].body


def test_cp1252_smart_quotes_are_decoded(tmp_path):
    f = tmp_path / "q.txt"
    f.write_bytes(b"\x93Quoted\x94 title\nbody\n")
    assert read_one(f, tmp_path).documents[0].title == "“Quoted” title"


@pytest.mark.parametrize("undefined", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_a_byte_cp1252_leaves_undefined_costs_nothing_else_in_the_file(tmp_path, undefined):
    """Windows-1252 gives five bytes no character; one of them in a file must not undo the
    decoding of the rest (curly quotes, apostrophes, the pound sign), nor skip the file."""
    f = tmp_path / "stray.txt"
    f.write_bytes(b"\x93Labour\x92s\x94 \xa33m plan\nThe caf\xe9 byte %c.\n" % undefined)
    result = read_one(f, tmp_path)
    assert result.skipped_reason is None
    assert result.warnings == ["stray.txt: not UTF-8: decoded as cp1252"]
    assert result.documents[0].title == "“Labour’s” £3m plan"
    assert result.documents[0].body == f"The café byte {chr(undefined)}."


def test_a_utf8_byte_order_mark_is_stripped(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffTitle\nbody\n".encode())
    result = read_one(f, tmp_path)
    assert (result.documents[0].title, result.warnings) == ("Title", [])


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    f = tmp_path / "wide.txt"
    f.write_bytes("Title\nbody\n".encode("utf-16"))
    assert read_one(f, tmp_path).documents[0].title == "Title"


# --------------------------------------------------------------------------------------------
# Sources


def test_a_record_or_front_matter_naming_a_known_publisher_otherwise_is_named_as_pages_are(
        tmp_path):
    """"the Guardian" in a CSV, "HuffPost UK" in front matter are The Guardian and HuffPost,
    as a saved page naming itself so is (a count by source split the Guardian's stories in
    two); a publisher the table does not know is named as given."""
    (tmp_path / "rows.csv").write_text(
        "title,body,source\nA,Blair spoke.,the Guardian\nB,Brown spoke., Financial Times \n")
    (tmp_path / "note.md").write_text("---\ntitle: C\nsource: HuffPost UK\n---\nHoward spoke.\n")
    sources = [d.source for name in ("rows.csv", "note.md")
               for d in read_one(tmp_path / name, tmp_path).documents]
    assert sources == ["The Guardian", "Financial Times", "HuffPost"]


def test_a_record_naming_a_known_publisher_by_the_name_it_also_goes_by_is_that_publisher(
        tmp_path):
    """A spreadsheet's "BBC", "Daily Telegraph" and "Huffington Post" had been three sources of
    their own beside the BBC News, The Telegraph and HuffPost of saved pages: a count by
    source split each outlet's stories in two. The Sunday Times is a paper of its own."""
    (tmp_path / "rows.csv").write_text(
        "title,body,source\nA,Blair spoke.,BBC\nB,Brown spoke.,The Daily Telegraph\n"
        "C,Howard spoke.,Huffington Post\nD,Kennedy spoke.,BBC News Online\n"
        "E,Straw spoke.,The Sunday Times\n")
    assert [d.source for d in read_one(tmp_path / "rows.csv", tmp_path).documents] == [
        "BBC News", "The Telegraph", "HuffPost", "BBC News", "The Sunday Times"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\nPosted On:\n13th March 2017\nBody", "PoliticsHome"),
        ("Stay up to date with notifications from The\xa0Independent", "The Independent"),
        ("Story.\nMore from LabourList", "LabourList"),
        ("Story.\nhttps://www.theguardian.com/politics/x", "The Guardian"),
        ("Story.\nRead more at https://www.bbc.co.uk/news/uk-politics-1", "BBC News"),
        # what a story says of an outlet is not the outlet's furniture
        ("The minister told the Daily Telegraph that he would resign.", None),
        ("The minister told the BBC News website he would resign.", None),
        ("He told the BBC News website: see bbc.co.uk/news/uk-1", None),
        ("one MP told HuffPost UK.", None),
        ("one MP told the Huffington Post.\nWhat's Hot", "HuffPost"),
        ("Story.\nWhat's Hot", None),  # (many sites' furniture)
        ("Nothing to see here.", None),
        ("", None),
    ],
)
def test_publishers_are_recognised_from_their_furniture_not_from_quotes(text, expected):
    assert detect_source(text) == expected


def test_the_publisher_with_more_signs_wins_over_another_s():
    text = ("Posted On:\n13th March 2017\nhttps://www.politicshome.com/news/1\n"
            "Story.\nhttps://www.huffpost.com/entry/1\n")
    assert detect_source(text) == "PoliticsHome"


# --------------------------------------------------------------------------------------------
# Boilerplate

BLURB = "Sign up for the weekly digest and never miss a story from us"


def test_lines_repeated_across_documents_are_boilerplate():
    bodies = [f"Story {i} about the Budget.\n{BLURB}\nPA Images" for i in range(3)]
    found = find_boilerplate(bodies)
    assert found == frozenset({BLURB.casefold()})  # "PA Images" is too short to count
    assert strip_boilerplate(bodies[0], found) == "Story 0 about the Budget.\nPA Images"


def test_a_line_in_fewer_than_min_docs_documents_is_not_boilerplate():
    bodies = [f"Story {i}.\n{BLURB}" for i in range(2)]
    assert find_boilerplate(bodies) == frozenset()
    assert find_boilerplate(bodies, min_docs=2) == frozenset({BLURB.casefold()})


def test_exact_duplicate_documents_count_once():
    article = "The Chancellor announced a freeze on fuel duty this afternoon."
    assert find_boilerplate([article] * 5) == frozenset()


def test_casefolding_makes_no_whitespace_and_takes_none_away():
    """``body_lines`` counts a line's words before it casefolds them (a line of fewer than
    four words is left out unnormalised): that holds because no character casefolds to
    whitespace nor from it."""
    import sys

    assert not [c for c in range(sys.maxunicode + 1)
                if chr(c).isspace() != any(f.isspace() for f in chr(c).casefold())]


def test_boilerplate_counts_the_lines_of_each_body_as_its_file_comes_in():
    """The lines of each body that could be boilerplate (``body_lines``), counted a body at
    a time (``LineCounts``), find what ``find_boilerplate`` of all the bodies finds, a copy
    counted once."""
    bodies = [f"Story {i} about the Budget.\n{BLURB}\nPA Images" for i in range(3)]
    bodies.append(bodies[0])
    assert body_lines(bodies[0]) == {"story 0 about the budget.", BLURB.casefold()}
    counts = LineCounts()
    for body in bodies:
        counts.add(body, body_lines(body))
    assert counts.common(3) == find_boilerplate(bodies) == frozenset({BLURB.casefold()})
    assert counts.common(4) == frozenset()  # (the copy counted once)


def test_boilerplate_lines_match_despite_case_and_spacing():
    found = find_boilerplate([f"Story {i}\n{BLURB}" for i in range(3)])
    assert strip_boilerplate("Story\n  " + BLURB.upper().replace(" ", "\xa0 ") + "  ", found) == (
        "Story"
    )


def test_known_blurbs_are_stripped_even_without_a_corpus():
    body = "Article text.\nYour support helps us to tell the story\nMore text."
    assert strip_boilerplate(body, frozenset()) == "Article text.\nMore text."


_SOURCE_WORDS = st.sampled_from([
    "told", "TOLD", "the", "The", "Independent", "follow", "FOLLOW", "other", "readers",
    "notifications", "from", "Posted", "On:", "More", "LabourList", "support", "\u017fupport",
    "\u212a", "\u0131", "\u0130", "\n", "Guardian", "GUARDIAN", "\u00a0", "follo\u0175",
    "What's", "Hot", "HuffPost", "Huffington", "Post",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SOURCE_WORDS, max_size=30).map(" ".join))
def test_the_furniture_is_found_as_by_trying_every_pattern_on_the_whole_text(text: str):
    """The keyword and literal looked for before a pattern is tried never hide a match."""
    found = {name for name, _, pattern, named in SOURCE_PATTERNS
             if compile_pattern(pattern, re.MULTILINE | re.IGNORECASE).search(text)
             and (not named or compile_pattern(named, re.IGNORECASE).search(text))}
    assume(not any(map(known_publisher, text.splitlines())))  # (a masthead is another sign)
    if len(found) > 1:
        assert detect_source(text) in found
    else:
        assert detect_source(text) == next(iter(found), None)


_BLURB_WORDS = st.sampled_from([
    "Your", "support", "SUPPORT", "\u017fupport", "helps", "us", "to", "tell", "the", "story",
    "makes", "all", "difference.", "Independent", "journalism", "reg\u0130stering",
    "reg\u0131stering", "registering", "Thank", "you", "for", "Join", "our", "commenting",
    "forum", "Sign", "up", "newsletter", "\n", "\n\n\n", ".", "Labour",
    "Your support helps us to tell the story", "Your \u017fupport makes all the difference.",
    "Thank you for reg\u0130stering", "Thank you for reg\u0131stering",
    "Please support independent journalism", "Sign up to our daily newsletter",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_BLURB_WORDS, max_size=40).map(" ".join))
def test_blurbs_are_stripped_as_by_the_whole_blurb_pattern_on_every_line(body: str):
    # the reference: every line of a body whose lower-case text holds a blurb's word tried
    # with the whole alternation of the known blurbs
    whole = compile_pattern("|".join(f"(?:{p})" for p in KNOWN_BLURBS), re.IGNORECASE)
    words = ("support", "independent", "notifications", "commenting", "refresh", "registering",
             "labourlist", "newsletter", "journalism")
    tried = any(word in body.lower() for word in words)
    out = []
    for line in body.splitlines():
        if tried and whole.search(line):
            line = whole.sub("", line)
            if re.match(r"^[\W_]*$", line):
                continue
        out.append(line)
    expected = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
    assert strip_boilerplate(body, frozenset()) == expected


@pytest.mark.parametrize("line", [
    "Your support helps us to tell the story",
    "YOUR SUPPORT MAKES ALL THE DIFFERENCE.",
    "Thank you for reg\u0130stering",  # İ: an ignore-case "i", casefolded to "i\u0307"
    "Thank you for reg\u0131stering",  # ı: an ignore-case "i" too
    "Your \u017fupport helps us to tell the story",  # ſ: an ignore-case "s", casefolded to "s"
    "Please support independent journalism with a donation",
    "Sign up to our daily newsletter for the week's news",
    "Stay up to date with notifications from The Independent",
])
def test_a_blurb_is_stripped_from_any_line_of_a_body_of_many(line: str):
    # the lines tried for a blurb are those holding one of the blurb words, whichever line
    # of the body holds it and whatever the other lines hold
    before = [f"Paragraph {i} of an article about independent schools." for i in range(5)]
    body = "\n".join([*before, line, "The last paragraph."])
    expected = "\n".join([*before, "The last paragraph."])
    assert strip_boilerplate(body, frozenset()) == expected


# --------------------------------------------------------------------------------------------
# The BBC corpus (../shared)


@pytest.mark.shared
@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC}")
def test_the_bbc_corpus_reads_completely_with_one_encoding_warning():
    results = list(read_directory(BBC))
    assert len(results) == 2225
    assert [r.path for r in results if r.skipped_reason] == []
    warnings = [w for r in results for w in r.warnings]
    assert warnings == ["sport/199.txt: not UTF-8: decoded as cp1252"]
    docs = {d.id: d for r in results for d in r.documents}
    assert len(docs) == 2225
    assert docs["politics/001"].title == "Labour plans maternity pay rise"
    assert "£" in docs["sport/199"].body


@pytest.mark.parametrize(
    "module", ["model", "files", "formats", "sources", "boilerplate", "dates"]
)
def test_a_star_import_gives_exactly_the_public_names_and_each_says_what_it_does(module: str):
    namespace: dict[str, object] = {}
    exec(f"from corpus_search.ingest.{module} import *", namespace)
    public = importlib.import_module(f"corpus_search.ingest.{module}").__all__
    assert set(namespace) - {"__builtins__"} == set(public)
    undocumented = [
        name for name in public
        if callable(namespace[name]) and not (namespace[name].__doc__ or "").strip()
    ]
    assert undocumented == []
