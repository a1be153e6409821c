"""Specification of document dates: a date is the publication date or nothing, and says where it
came from; users can supply dates; filters, sorting and browsing treat undated documents openly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BBC, SEEDS, corpus_search_command, needs_shared, write_corpus
from corpus_search import (
    CorpusIndex,
    CorpusSearchError,
    Document,
    QueryError,
    SearchFilters,
    check_index,
    rebuild_index,
    remove_index,
)
from corpus_search.errors import Unsupported
from corpus_search.ingest.date_forms import parse_date, parse_date_span, why_no_such_date
from corpus_search.ingest.datelines import find_dateline
from corpus_search.ingest.dates import DateOptions, DateRules
from corpus_search.ingest.dates_file import read_sidecar
from corpus_search.ingest.files import read_directory, read_file
from corpus_search.ingest.path_dates import path_date
from corpus_search.search import execute as search_module
from corpus_search.store.meta import recorded_date_options

D = dt.date

#: A corpus with every way a document can (and must not) get a date.
DATED_CORPUS = {
    # datelines and bylines near the top
    "news/byline.txt": (
        "Brown sets out pre-election Budget\n\n"
        "By Jane Smith | 16 March 2005\n\n"
        "The Chancellor said security had been the first duty of government since the attacks "
        "of 11 September 2001 changed the world.\n"
    ),
    "news/posted.txt": (
        "Labour MPs hit back at Kate Osamor\n\nPosted On:\n13th March 2017\n\n"
        "Angry Labour MPs condemned the Shadow International Development Secretary.\n"
    ),
    "news/independent.txt": (
        "Momentum launches campaigning drive\n\n"
        "The combative response comes as both parties remain braced for further walkouts\n\n"
        "Ashley Cowburn\nPolitical Correspondent\nThursday 21 February 2019 10:30 EST\n"
        "Comments\n\nLeft-wing campaign group Momentum has launched a canvassing drive.\n"
    ),
    # dates mentioned in the story
    "obituaries/meyer.txt": (
        "Tory 'stalking horse' Meyer dies\n\n"
        "Sir Anthony Meyer, the Tory backbencher who challenged Margaret Thatcher for the party "
        "leadership in 1989, has died.\n\n"
        "Sir Anthony John Charles Meyer was born on 27 October, 1920. He served in the Scots "
        "Guards from 1941 to 1945.\n"
    ),
    "profiles/brown.txt": (
        "Profile: Gordon Brown\n\n"
        "Gordon Brown was born on 20 February 1951 in Glasgow, the son of a minister.\n\n"
        "He became chancellor on 2 May 1997.\n"
    ),
    "news/late.txt": (
        "A date-shaped line too far down is not a dateline\n\n"
        + "".join(f"Paragraph {n} of the story.\n\n" for n in range(12))
        + "21 March 2005\n"
    ),
    # dates in file and folder names
    "archive/2019-02-21-momentum.txt": "Momentum canvass\n\nCanvassing began.\n",
    "archive/20050321_budget.txt": "Budget day\n\nThe Chancellor rose.\n",
    "archive/2005/03/21/story.txt": "A day folder\n\nText.\n",
    "archive/2004/11/story.txt": "A month folder\n\nText.\n",
    # stated by the file itself
    "notes/front.md": (
        "---\ntitle: Front matter wins\ndate: March 2005\n---\n"
        "# Heading\n\n21 February 2019\n\n"
        "The dateline is not used when front matter states a date.\n"
    ),
    "notes/front.txt": "---\ndate: 2004-06-10\n---\nText front matter\n\nBody.\n",
    "notes/rule.txt": "---\nA ruled note: not front matter\n---\nThe lines stay.\n",
    "2005-03-21-export.jsonl": (
        '{"id": "r-field", "title": "Record", "body": "Text.", "date": "05/03/2005"}\n'
        '{"id": "r-dateline", "title": "Record", "body": "Posted On:\\n21/02/2019\\nText."}\n'
        '{"id": "r-none", "title": "Record", "body": "It happened on 5 May 2005."}\n'
        '{"id": "r-bad", "title": "Record", "body": "Posted On:\\n1 June 2004\\nText.", '
        '"date": "sometime"}\n'
    ),
    "undated/plain.txt": "Nothing dated here\n\nJust a note.\n",
}

EXPECTED = {
    "news/byline": (D(2005, 3, 16), "dateline"),
    "news/posted": (D(2017, 3, 13), "dateline"),
    "news/independent": (D(2019, 2, 21), "dateline"),
    "obituaries/meyer": (None, None),
    "profiles/brown": (None, None),
    "news/late": (None, None),
    "archive/2019-02-21-momentum": (D(2019, 2, 21), "path"),
    "archive/20050321_budget": (D(2005, 3, 21), "path"),
    "archive/2005/03/21/story": (D(2005, 3, 21), "path"),
    "archive/2004/11/story": (D(2004, 11, 1), "path"),
    "notes/front": (D(2005, 3, 1), "front-matter"),  # the .md and the .txt share an id
    "notes/rule": (None, None),
    "r-field": (D(2005, 3, 5), "metadata"),
    "r-dateline": (D(2019, 2, 21), "dateline"),
    "r-none": (None, None),
    "r-bad": (D(2004, 6, 1), "dateline"),
    "undated/plain": (None, None),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "corpus", DATED_CORPUS)
    noon = time.mktime((2006, 7, 1, 12, 0, 0, 0, 0, -1))
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (noon, noon))
    return root


def dated(root: Path, rules: DateRules | None = None, **kwargs) -> dict[str, tuple]:
    found = {}
    for result in read_directory(root, dates=rules, **kwargs):
        for doc in result.documents:
            if result.path != "notes/front.txt":  # same id as notes/front.md
                found[doc.id] = (doc.date, doc.date_source)
    return found


# --------------------------------------------------------------------------------------------
# Where a document's date comes from



def firsts(spans: dict) -> dict:
    """A dates file's spans by key as their first days (a month's is its 1st)."""
    return {key: span.first for key, span in spans.items()}

def test_every_document_of_the_fixture_gets_its_publication_date_or_none(corpus: Path):
    assert dated(corpus) == EXPECTED


def test_a_dateline_or_byline_near_the_top_is_the_publication_date():
    assert find_dateline("Title\n\nBy Jane Smith | 16 March 2005\n\nText.") == D(2005, 3, 16)
    assert find_dateline("Title\nPosted On:\n13th March 2017\nText.") == D(2017, 3, 13)
    assert find_dateline("Title\nLONDON, March 21, 2005\nText.") == D(2005, 3, 21)
    assert find_dateline("Title\nPublished: 2019-02-21T10:30:00Z") == D(2019, 2, 21)
    assert find_dateline("Title\nLast updated: 10:30am, Thu 21 Feb 2019") == D(2019, 2, 21)
    assert find_dateline("Title\n21 March 2005 By Jane Smith") == D(2005, 3, 21)


def test_a_dateline_set_in_markdown_italics_or_bold_is_a_dateline():
    assert find_dateline("# Title\n\n*By Jane Smith | 16 March 2005*\n\nText.") == D(2005, 3, 16)
    assert find_dateline("# Title\n\n**Posted On:** 13th March 2017\n") == D(2017, 3, 13)
    assert find_dateline("# Title\n\n_Published 21 March 2005_\n") == D(2005, 3, 21)
    assert find_dateline("# Title\n\nHe was *born* on 20 February 1951.\n") is None
    assert find_dateline("# Title\n\n*20 February 1951 was the day*\n") is None


def test_a_date_mentioned_in_a_sentence_is_never_a_dateline():
    assert find_dateline("Profile\n\nGordon Brown was born on 20 February 1951.") is None
    assert find_dateline("Obituary\n\nHe was born on 27 October, 1920.") is None
    assert find_dateline("Attacks\n\nThe attacks of 11 September 2001 changed it.") is None
    assert find_dateline("Title\n\nThe 2005-03-21 meeting was cancelled.") is None


def test_a_month_or_a_year_alone_is_not_a_dateline():
    assert find_dateline("Title\nMarch 2005\nText") is None
    assert find_dateline("Title\n2005\nText") is None


def test_only_the_first_few_lines_are_looked_at_for_a_dateline():
    text = "Title\n" + "A line.\n" * 20 + "21 March 2005\n"
    assert find_dateline(text) is None
    assert find_dateline("Title\n" + "A line.\n" * 5 + "21 March 2005\n") == D(2005, 3, 21)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
    st.lists(st.sampled_from(["the", "vote", "was", "held", "on", "before", "Labour", "said"]),
             min_size=2, max_size=8),
    st.sampled_from(["{d.day} {d:%B} {d.year}", "{d:%d/%m/%Y}", "{d:%B} {d.day}, {d.year}",
                     "{d:%Y-%m-%d}"]),
)
def test_a_date_inside_any_sentence_is_not_a_dateline(date, words, form):
    written = form.format(d=date)
    sentence = f"{' '.join(words)} {written} {' '.join(reversed(words))}."
    assert find_dateline(f"Title\n{sentence}") is None
    assert find_dateline(f"Title\n{written}") == date


def test_dates_in_file_and_folder_names():
    assert path_date("2019-02-21-title.txt") == D(2019, 2, 21)
    assert path_date("title-2019-02-21.md") == D(2019, 2, 21)
    assert path_date("20050321_x.txt") == D(2005, 3, 21)
    assert path_date("2005/03/21/x.txt") == D(2005, 3, 21)
    assert path_date("news/2005_03_21.txt") == D(2005, 3, 21)
    assert path_date("2005/03/x.txt") == D(2005, 3, 1)  # a month folder: its first day
    assert path_date("2005/03/2005-03-21-x.txt") == D(2005, 3, 21)  # the innermost, most exact


def test_numbers_in_names_that_are_not_dates_give_no_date():
    assert path_date("business/004.txt") is None
    assert path_date("000_e1ffd6853301c33a.txt") is None  # a hash, not a date
    assert path_date("a20050321b.txt") is None
    assert path_date("reports/1999-2004/x.txt") is None
    assert path_date("2005/x.txt") is None  # a year folder alone is too vague to guess from
    assert path_date("2005/13/x.txt") is None


def test_path_dates_never_date_the_records_of_a_jsonl_or_csv_file(corpus: Path):
    found = dated(corpus)
    assert found["r-none"] == (None, None)  # in 2005-03-21-export.jsonl, but not dated by it


def test_front_matter_wins_over_a_dateline_and_text_files_may_have_it_too(corpus: Path):
    result = read_file(corpus / "notes" / "front.txt", corpus)
    (doc,) = result.documents
    assert (doc.title, doc.date, doc.date_source) == (
        "Text front matter", D(2004, 6, 10), "front-matter")
    assert dated(corpus)["notes/front"] == (D(2005, 3, 1), "front-matter")


def test_a_text_file_opening_with_a_rule_keeps_its_lines(corpus: Path):
    (doc,) = read_file(corpus / "notes" / "rule.txt", corpus).documents
    assert doc.title == "---" and "A ruled note" in doc.body


def test_an_unreadable_date_field_is_a_warning_and_the_record_is_dated_as_if_it_had_none(
    corpus: Path,
):
    result = read_file(corpus / "2005-03-21-export.jsonl", corpus)
    assert result.warnings == ["2005-03-21-export.jsonl line 4: unrecognised date 'sometime'"]
    assert {d.id: d.date_source for d in result.documents}["r-bad"] == "dateline"


def test_an_unreadable_front_matter_date_is_a_warning(tmp_path: Path):
    f = tmp_path / "a.md"
    f.write_text("---\ndate: soon\n---\n# Title\nText.\n")
    result = read_file(f, tmp_path)
    assert result.warnings == ["a.md: unrecognised date 'soon'"]
    assert result.documents[0].date is None


# --------------------------------------------------------------------------------------------
# Dates users supply


def test_guessing_can_be_switched_off_leaving_what_documents_state(corpus: Path):
    found = dated(corpus, DateRules(DateOptions(guesses=())))
    assert {k: v for k, v in found.items() if v[0]} == {
        "notes/front": (D(2005, 3, 1), "front-matter"),
        "r-field": (D(2005, 3, 5), "metadata"),
    }


def test_the_modification_time_dates_files_when_asked(corpus: Path):
    found = dated(corpus, DateRules(DateOptions(guesses=("mtime",))))
    assert found["undated/plain"] == (D(2006, 7, 1), "mtime")
    assert found["news/byline"] == (D(2006, 7, 1), "mtime")  # only what was asked for
    assert found["r-none"] == (None, None)  # a file's time says nothing about its records
    assert found["r-field"] == (D(2005, 3, 5), "metadata")
    # guesses are tried in the order given
    found = dated(corpus, DateRules(DateOptions(guesses=("dateline", "mtime"))))
    assert found["news/byline"] == (D(2005, 3, 16), "dateline")
    assert found["undated/plain"] == (D(2006, 7, 1), "mtime")


def test_a_path_pattern_reads_dates_the_way_the_user_says(tmp_path: Path):
    root = write_corpus(tmp_path / "c", {
        "21-03-2005/a.txt": "A\n\nText.\n",
        "2005/March/b.txt": "B\n\nText.\n",
        "misc/c.txt": "C\n\nText.\n",
    })
    found = dated(root, DateRules(DateOptions(path_pattern="%d-%m-%Y")))
    assert found["21-03-2005/a"] == (D(2005, 3, 21), "path")
    assert found["misc/c"] == (None, None)
    assert dated(root, DateRules(DateOptions(path_pattern="%Y/%B")))["2005/March/b"] == (
        D(2005, 3, 1), "path")


@pytest.mark.parametrize("pattern", ["%m/%d", "%Y/%H", "%d/%Y", "%Y/%m/%m", "%"])
def test_a_path_pattern_that_cannot_work_is_refused_with_a_reason(pattern: str):
    with pytest.raises(CorpusSearchError, match="pattern"):
        DateOptions(path_pattern=pattern)


def test_a_path_pattern_with_an_unknown_code_names_the_codes_it_understands():
    with pytest.raises(CorpusSearchError) as raised:
        DateOptions(path_pattern="%Y/%H")
    assert "%H" in str(raised.value)
    assert "%Y (year), %m (month), %d (day), %b (month name)" in str(raised.value)


def test_a_sidecar_file_dates_documents_by_id_or_path_and_wins(corpus: Path, tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text(
        "id,path,date\n"
        "undated/plain,,2004-06-01\n"
        ",news/byline.txt,17/03/2005\n"
        "r-field,,June 2004\n"
        "obituaries/meyer,,some day\n"
        "obituaries/other,,31/04/2005\n"
    )
    rules = DateRules(DateOptions(sidecar=str(sidecar)))
    assert rules.warnings == ["dates.csv line 5: unrecognised date 'some day'",  # and why, if
                              "dates.csv line 6: unrecognised date '31/04/2005': April 2005 "
                              "has no day 31"]  # it is written as a date, as records' say
    found = dated(corpus, rules)
    assert found["undated/plain"] == (D(2004, 6, 1), "sidecar")
    assert found["news/byline"] == (D(2005, 3, 17), "sidecar")  # over its dateline
    assert found["r-field"] == (D(2004, 6, 1), "sidecar")  # over its date field
    assert found["obituaries/meyer"] == (None, None)


def test_a_sidecar_may_be_tab_separated_and_name_ids_with_or_without_the_prefix(
    corpus: Path, tmp_path: Path
):
    sidecar = tmp_path / "dates.tsv"
    sidecar.write_text("id\tdate\nundated/plain\t2004-06-01\nx/profiles/brown\t2005-03-15\n")
    found = dated(corpus, DateRules(DateOptions(sidecar=str(sidecar))), id_prefix="x/")
    assert found["x/undated/plain"] == (D(2004, 6, 1), "sidecar")
    assert found["x/profiles/brown"] == (D(2005, 3, 15), "sidecar")


@pytest.mark.parametrize(("text", "held"), [
    ("", "(it has no header row)"), ("name,when\na,2005\n", "(its first row holds: name, when)"),
    ("date\n2005\n", "(its first row holds: date)"),
    ("File;Published\n001.txt;3 March 2005\n", "(its first row holds: file, published)")])
def test_a_sidecar_without_the_columns_it_needs_is_a_one_line_error_naming_those_it_has(
        tmp_path: Path, text: str, held: str):
    # (the error did not say which columns it had found, so a file of file;published columns
    # gave no clue that the names, not the semicolons, were wrong)
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text(text)
    with pytest.raises(CorpusSearchError) as caught:
        DateRules(DateOptions(sidecar=str(sidecar)))
    assert str(caught.value) == (
        f"The dates file {sidecar} needs a header row naming a date column and an id or path "
        f"column, such as: id,date {held}")


def test_a_missing_sidecar_is_a_one_line_error(tmp_path: Path):
    with pytest.raises(CorpusSearchError, match="Cannot read the dates file") as caught:
        DateRules(DateOptions(sidecar=str(tmp_path / "nope.csv")))
    # the library's advice is its argument; the command's, its option
    assert str(caught.value).endswith("Give another (dates=FILE), or index without one "
                                      "(dates='').")
    assert caught.value.cli_message.endswith(
        "Give another with --dates FILE, or index without one with --dates ''.")


def test_unknown_date_sources_are_refused():
    with pytest.raises(CorpusSearchError, match="Unknown date source 'filename'"):
        DateOptions(guesses=DateOptions.guesses_from("dateline,filename"))
    assert DateOptions.guesses_from("none") == ()
    assert DateOptions.guesses_from(" mtime ") == ("mtime",)


# --------------------------------------------------------------------------------------------
# The index records dates, their sources and the folder's options


def test_the_index_stores_where_each_date_came_from(corpus: Path, tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        assert ix.get("news/posted").date_source == "dateline"
        assert ix.stored_fields("archive/20050321_budget")["date_source"] == "path"
        assert ix.get("profiles/brown").date is None
        assert ix.get("profiles/brown").date_source is None
        hit = ix.search("Momentum canvassing").hits[0]
        assert (hit.date_source, hit.to_dict()["date_source"]) == ("path", "path")


def test_a_document_added_with_a_date_and_no_source_is_recorded_as_dated_by_the_user(
    tmp_path: Path,
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("a", "Title", "Text", D(2005, 3, 1))])
        assert ix.get("a").date_source == "user"


def test_a_folders_date_options_are_remembered_and_a_change_redates_it(
    corpus: Path, tmp_path: Path
):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\nundated/plain,2004-06-01\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus, dates=sidecar, date_from="mtime")
        assert ix.get("undated/plain").date_source == "sidecar"
        assert ix.get("news/byline").date_source == "mtime"
        again = ix.index_directory(corpus)  # the same options, remembered
        assert again.unchanged == again.indexed + again.unchanged + again.updated
        assert ix.get("news/byline").date_source == "mtime"
        sidecar.write_text("id,date\nundated/plain,2004-07-01\n")  # a new sidecar: re-dated
        # every file read again; those whose documents come out as indexed are not written
        # (notes/front.txt is skipped: notes/front.md holds the id both make)
        changed = ix.index_directory(corpus)
        assert changed.updated == 0 and changed.reread == 1
        assert [rel for rel, _ in changed.skipped] == ["notes/front.txt"]
        assert changed.read_the_same == changed.unchanged > 2
        assert ix.get("undated/plain").date == D(2004, 7, 1)
        ix.index_directory(corpus, dates="", date_from="none")  # options cleared
        assert ix.get("undated/plain").date is None
        assert ix.get("news/byline").date is None
        assert ix.get("notes/front").date_source == "front-matter"


#: A second folder, dated by a dates file and a path pattern, with guessing switched off.
OTHER_CORPUS = {
    "2005/03/21/budget.txt": "Budget day\n\nThe Chancellor rose.\n",
    "loose/note.txt": "A note\n\nNothing dated here.\n",
    "loose/byline.txt": "Brown on tour\n\nBy Jane Smith | 16 March 2005\n\nText.\n",
}


@pytest.fixture
def two_dated_folders(corpus: Path, tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """An index of ``corpus`` dated by modification time and of another folder dated by a
    dates file and a path pattern with no guessing: (index, corpus, other, dates file)."""
    other = write_corpus(tmp_path / "other", OTHER_CORPUS)
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("path,date\nloose/note.txt,2004-06-01\n")
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(corpus, date_from="mtime")
        ix.index_directory(other, dates=sidecar, date_from_path="%Y/%m/%d", date_from="none")
    return index, corpus, other, sidecar


def dates_in(index: Path) -> dict[str, tuple]:
    with CorpusIndex.open(index) as ix:
        return {
            fields["id"]: (fields.get("date"), fields.get("date_source"))
            for fields in ix.searcher().all_stored_fields()
        }


def test_a_rebuild_keeps_each_folders_date_options(
    two_dated_folders: tuple[Path, Path, Path, Path],
):
    index, corpus, other, sidecar = two_dated_folders
    before = dates_in(index)
    assert before["news/byline"][1] == "mtime"
    assert before["loose/note"][1] == "sidecar"
    assert before["2005/03/21/budget"][1] == "path"
    assert before["loose/byline"] == (None, None)  # no guessing in this folder
    rebuild_index(index, [corpus, other])
    assert dates_in(index) == before
    assert recorded_date_options(index) == {
        str(corpus.resolve()): DateOptions(guesses=("mtime",)),
        str(other.resolve()): DateOptions(
            sidecar=str(sidecar.resolve()), path_pattern="%Y/%m/%d", guesses=()
        ),
    }
    rebuild_index(index, [corpus, other], date_from="dateline")  # given options replace them
    after = dates_in(index)
    assert after["news/byline"] == (dt.datetime(2005, 3, 16), "dateline")
    assert after["loose/byline"] == (dt.datetime(2005, 3, 16), "dateline")
    assert after["loose/note"][1] == "sidecar"  # what was not given is kept


def test_the_printed_rebuild_command_keeps_each_folders_date_options(
    two_dated_folders: tuple[Path, Path, Path, Path], cli_env
):
    """The command in rebuild messages and in ``check`` gives each folder its date options, so
    run as printed, even once the index is gone, it dates every document as before."""
    index, _corpus, _other, sidecar = two_dated_folders
    before = dates_in(index)
    with CorpusIndex.open(index) as ix:
        command = ix.rebuild_command()
    assert check_index(index).rebuild_command == command
    first, second = command.split(" && ")
    assert "--date-from mtime" in first and "--rebuild" in first
    for part in (f"--dates {sidecar.resolve()}", "--date-from-path %Y/%m/%d",
                 "--date-from none"):
        assert part in second, (part, second)
    remove_index(index)
    for single in (first, second):
        argv = shlex.split(single)
        assert argv[0] == "corpus-search"
        result = run(argv[1:], cli_env)
        assert result.returncode == 0, result.stderr
    assert dates_in(index) == before


# --------------------------------------------------------------------------------------------
# One reader of dates for documents and filters


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2005-03-21", D(2005, 3, 21), D(2005, 3, 21)),
        ("2005/03/21", D(2005, 3, 21), D(2005, 3, 21)),
        ("2019-02-21T10:30:00Z", D(2019, 2, 21), D(2019, 2, 21)),
        ("20050321", D(2005, 3, 21), D(2005, 3, 21)),
        ("05/03/2005", D(2005, 3, 5), D(2005, 3, 5)),  # day first, as in Britain
        ("05.03.2005", D(2005, 3, 5), D(2005, 3, 5)),
        ("5 March 2005", D(2005, 3, 5), D(2005, 3, 5)),
        ("13th March 2017", D(2017, 3, 13), D(2017, 3, 13)),
        ("1st of May 2020", D(2020, 5, 1), D(2020, 5, 1)),
        ("Thursday 21 February 2019 10:30 EST", D(2019, 2, 21), D(2019, 2, 21)),
        ("March 13, 2017", D(2017, 3, 13), D(2017, 3, 13)),
        ("Sept 2, 2001", D(2001, 9, 2), D(2001, 9, 2)),
        # the weekday after the day, as LexisNexis exports write it
        ("March 14, 2005 Monday", D(2005, 3, 14), D(2005, 3, 14)),
        ("January 5, 2005 Wednesday 10:32 PM GMT", D(2005, 1, 5), D(2005, 1, 5)),
        ("14 March 2005, Monday", D(2005, 3, 14), D(2005, 3, 14)),
        ("March 2005", D(2005, 3, 1), D(2005, 3, 31)),
        ("2005-02", D(2005, 2, 1), D(2005, 2, 28)),
        ("03/2005", D(2005, 3, 1), D(2005, 3, 31)),
        ("2004", D(2004, 1, 1), D(2004, 12, 31)),
        ("1832", D(1832, 1, 1), D(1832, 12, 31)),  # Hansard is old
        # as Excel writes dates: a month's short name between hyphens, a two-digit year
        ("4-Mar-2005", D(2005, 3, 4), D(2005, 3, 4)),
        ("04-Mar-05", D(2005, 3, 4), D(2005, 3, 4)),
        ("4 Mar 05", D(2005, 3, 4), D(2005, 3, 4)),
        ("3/4/05", D(2005, 4, 3), D(2005, 4, 3)),  # day first, as the longer forms
        ("03/04/05", D(2005, 4, 3), D(2005, 4, 3)),
        ("21-02-19", D(2019, 2, 21), D(2019, 2, 21)),
    ],
)
def test_the_date_forms_documents_and_filters_accept(text: str, first: D, last: D):
    span = parse_date_span(text)
    assert span is not None and (span.first, span.last) == (first, last)
    assert parse_date(text) == first  # a document stating a month or year: its first day
    flt = SearchFilters(since=text, until=text)  # a filter: from the first to the last day
    assert (flt.since, flt.until) == (first, last)


@pytest.mark.parametrize(
    "text",
    ["", "sometime", "the budget of 21 March 2005", "21 Smarch 2005", "12345",
     "March 2005 Monday", "2005 Monday", "March 14, 2005 Mondays"],  # (a weekday of no day)
)
def test_text_that_is_not_a_date_is_refused_by_documents_and_filters(text: str):
    assert parse_date(text) is None
    assert why_no_such_date(text) is None  # not written as a date: the forms say how
    if text:
        with pytest.raises(QueryError, match="as a date; write it like 2005-03-21"):
            SearchFilters(since=text)


@pytest.mark.parametrize(("text", "why"), [
    ("31/02/2019", "February 2019 has no day 31"),
    ("29 February 2005", "February 2005 has no day 29"),
    ("2005-02-30", "February 2005 has no day 30"),
    ("2005-13", "there is no month 13"),
    ("00/2005", "there is no month 0"),
    ("05/13/2005", "there is no month 13 (the day comes first, as in 13/05/2005)"),
    ("31/13/2005", "there is no month 13"),
    ("3005", "years run from 1000 to 2999"),
])
def test_a_date_written_in_a_right_form_that_names_no_day_says_why(text: str, why: str):
    assert parse_date(text) is None
    assert why_no_such_date(text) == why
    with pytest.raises(QueryError) as refused:
        SearchFilters(until=text)
    assert str(refused.value) == f"until={text!r} is no date: {why}."


@pytest.mark.parametrize(("text", "year"), [
    ("1/1/00", 2000), ("1/1/68", 2068), ("1/1/69", 1969), ("1/1/99", 1999),
    ("4-Mar-68", 2068), ("4 Mar 69", 1969),
])
def test_a_two_digit_year_is_read_as_pythons_strptime_reads_it(text: str, year: int):
    # 69 to 99 are in the 1900s, 00 to 68 in the 2000s
    assert parse_date(text) == dt.datetime.strptime(text.replace("-", " "),
                                                    "%d/%m/%y" if "/" in text
                                                    else "%d %b %y").date()
    assert parse_date(text).year == year


def test_a_short_date_written_month_first_says_why_as_a_long_one_does():
    assert parse_date("03/21/05") is None
    assert why_no_such_date("03/21/05") == (
        "there is no month 21 (the day comes first, as in 21/03/05)")


def test_excels_dates_date_records_front_matter_and_dates_files(tmp_path: Path):
    root = write_corpus(tmp_path / "in", {
        "export.csv": "id,title,text,date\nr1,Budget,The Chancellor spoke.,04-Mar-05\n",
        "note.md": "---\ndate: 4 Mar 05\n---\n# Poll\nVoters went to the polls.\n",
        "plain.txt": "Speech\n\nThe Prime Minister spoke.\n",
    })
    (tmp_path / "dates.csv").write_text("path,date\nplain.txt,3/4/05\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root, dates=tmp_path / "dates.csv")
        assert report.warnings == []
        assert {hit.id: (hit.date, hit.date_source) for hit in ix.list_documents()} == {
            "r1": (D(2005, 3, 4), "metadata"),
            "note": (D(2005, 3, 4), "front-matter"),
            "plain": (D(2005, 4, 3), "sidecar"),
        }


def test_a_real_date_has_no_reason_to_be_refused():
    assert why_no_such_date("29/02/2004") is None and parse_date("29/02/2004") == D(2004, 2, 29)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31)))
def test_every_written_out_date_round_trips(date: D):
    for written in (date.isoformat(), f"{date:%d/%m/%Y}", f"{date.day} {date:%B} {date.year}",
                    f"{date:%b} {date.day}, {date.year}", f"{date:%A %d %B %Y %H:%M} GMT"):
        assert parse_date(written) == date, written


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1969, 1, 1), max_value=D(2068, 12, 31)))
def test_every_date_excel_writes_with_a_two_digit_year_round_trips(date: D):
    for written in (f"{date:%d-%b-%y}", f"{date.day}-{date:%b-%y}", f"{date:%d %b %y}",
                    f"{date.day}/{date.month}/{date:%y}", f"{date:%d/%m/%y}",
                    f"{date:%d-%b-%Y}"):
        assert parse_date(written) == date, written


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_reading_dates_never_raises(text: str):
    span = parse_date_span(text)
    assert span is None or span.first <= span.last
    find_dateline(text)
    path_date(text)
    assert why_no_such_date(text) is None or span is None


def test_an_until_before_since_is_refused():
    with pytest.raises(QueryError, match="is after until"):
        SearchFilters.coerce({"since": "2006", "until": "2005"})


# --------------------------------------------------------------------------------------------
# Filters, sorting and browsing


@pytest.fixture
def dated_index(tmp_path: Path, corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        yield ix


def test_a_date_filter_says_how_many_undated_matches_it_left_out(dated_index: CorpusIndex):
    results = dated_index.search("Chancellor OR born OR text", filters={"since": "2004"})
    undated = {"obituaries/meyer", "profiles/brown", "undated/plain", "notes/rule", "r-none"}
    matching = dated_index.search("Chancellor OR born OR text", limit=100)
    assert results.undated_left_out == len([h for h in matching.hits if h.id in undated]) > 0
    assert results.to_dict()["undated_left_out"] == results.undated_left_out
    assert all(h.date for h in results.hits)


def test_include_undated_keeps_the_documents_without_a_date(dated_index: CorpusIndex):
    kept = dated_index.search(
        "Chancellor OR born OR text", filters={"since": "2004", "include_undated": True}
    )
    everything = dated_index.search("Chancellor OR born OR text")
    assert kept.undated_left_out is None
    assert {h.id for h in kept.hits if h.date is None} == {
        h.id for h in everything.hits if h.date is None
    }
    assert kept.total == everything.total  # every dated match here is from 2004 on


def test_without_a_date_filter_nothing_is_reported_left_out(dated_index: CorpusIndex):
    assert dated_index.search("Chancellor").undated_left_out is None
    assert dated_index.search("Momentum", filters={"since": "2004"}).undated_left_out == 0


def test_sorting_by_date_puts_undated_documents_last_and_keeps_relevance_scores(
    dated_index: CorpusIndex,
):
    by_relevance = dated_index.search("Chancellor OR born OR text", limit=100)
    by_date = dated_index.search("Chancellor OR born OR text", limit=100, sort="date")
    dates = [h.date for h in by_date.hits]
    first_undated = dates.index(None)
    assert all(d is None for d in dates[first_undated:])
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)
    assert {h.id: h.score for h in by_date.hits} == {h.id: h.score for h in by_relevance.hits}
    assert max(h.score for h in by_date.hits) < 1000  # a score, never a sort key


def test_whooshs_own_search_sorts_by_date_the_same_way(
    dated_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    # (a boost keeps the query a tree both paths score alike: words joined by OR alone are
    # ranked as the plain words, by their concepts, which Whoosh's own search cannot)
    query = "Chancellor OR born OR text^2"
    expected = [(h.id, round(h.score, 6)) for h in
                dated_index.search(query, limit=100, sort="date").hits]

    def unsupported(request):
        raise Unsupported("test")

    monkeypatch.setattr(search_module, "_search_arrays", unsupported)
    found = [(h.id, round(h.score, 6)) for h in
             dated_index.search(query, limit=100, sort="date").hits]
    assert found == expected


def test_star_browses_every_document_newest_first_without_scores(dated_index: CorpusIndex):
    results = dated_index.search("*", limit=100)
    assert results.total == len(dated_index)
    assert all(h.score is None for h in results.hits)
    assert results.hits[0].to_dict()["score"] is None
    dates = [h.date for h in results.hits]
    first_undated = dates.index(None)
    assert dates[:first_undated] == sorted(dates[:first_undated], reverse=True)
    assert all(d is None for d in dates[first_undated:])
    assert [h.id for h in results.hits] == [
        h.id for h in dated_index.search("*", limit=100, sort="date").hits
    ]


def test_filters_alone_browse_and_report_what_they_left_out(dated_index: CorpusIndex):
    results = dated_index.search("", filters={"since": "March 2005", "until": "2005"}, limit=100)
    assert [h.date for h in results.hits] == sorted(
        (h.date for h in results.hits), reverse=True
    )
    assert {h.id for h in results.hits} == {
        "news/byline", "archive/20050321_budget", "archive/2005/03/21/story", "notes/front",
        "r-field",
    }
    assert results.undated_left_out == sum(1 for v in EXPECTED.values() if v[0] is None)
    with pytest.raises(QueryError):
        dated_index.search("")  # no query and no filter is still a mistake


# --------------------------------------------------------------------------------------------
# The command line


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*corpus_search_command(), *args], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_the_cli_passes_date_options_and_a_rebuild_keeps_them(
    corpus: Path, tmp_path: Path, cli_env
):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("path,date\nundated/plain.txt,2004-06-01\n")
    index = str(tmp_path / "ix")
    first = run(["index", str(corpus), "--index", index, "--dates", str(sidecar),
                 "--date-from-path", "%Y/%m/%d", "--no-date-guess"], cli_env)
    assert first.returncode == 0, first.stderr
    for args in ([], ["--rebuild"]):
        again = run(["index", str(corpus), "--index", index, *args], cli_env)
        assert again.returncode == 0, again.stderr
        with CorpusIndex.open(index) as ix:
            assert ix.get("undated/plain").date_source == "sidecar"
            assert ix.get("archive/2005/03/21/story").date_source == "path"
            assert ix.get("archive/20050321_budget").date is None  # not the pattern's shape
            assert ix.get("news/byline").date is None  # no guessing
    bad = run(["index", str(corpus), "--index", index, "--date-from", "moon"], cli_env)
    assert bad.returncode == 2 and "Unknown date source 'moon'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_the_cli_says_what_a_date_filter_left_out_and_browses_without_scores(
    corpus: Path, tmp_path: Path, cli_env
):
    index = str(tmp_path / "ix")
    assert run(["index", str(corpus), "--index", index], cli_env).returncode == 0
    found = run(["search", "Chancellor OR born", "--index", index, "--since", "05/03/2005"],
                cli_env)
    assert found.returncode == 0, found.stderr
    assert "have no date and were left out; --include-undated keeps them" in found.stdout
    kept = run(["search", "Chancellor OR born", "--index", index, "--since", "05/03/2005",
                "--include-undated", "--json"], cli_env)
    data = json.loads(kept.stdout)
    assert data["undated_left_out"] is None
    assert {h["id"] for h in data["hits"]} >= {"profiles/brown", "obituaries/meyer"}
    browse = run(["search", "*", "--index", index, "--sort", "date"], cli_env)
    assert browse.returncode == 0, browse.stderr
    assert "score" not in browse.stdout
    assert browse.stdout.index("news/posted") < browse.stdout.index("news/byline")
    alone = run(["search", "--index", index, "--until", "March 2005", "--json"], cli_env)
    assert {h["id"] for h in json.loads(alone.stdout)["hits"]} >= {"archive/2004/11/story"}
    show = run(["show", "news/posted", "--index", index], cli_env)
    assert "date: 2017-03-13 (guessed from its dateline)" in show.stdout


# --------------------------------------------------------------------------------------------
# The shared corpus


@needs_shared
def test_no_bbc_document_gets_a_date_from_its_story_and_the_seeds_from_their_datelines():
    sources: Counter[str | None] = Counter()
    dates = {}
    for root in (BBC, SEEDS):
        for result in read_directory(root, id_prefix=f"{root.name}/"):
            for doc in result.documents:
                sources[doc.date_source] += 1
                if doc.date:
                    dates[doc.id] = doc.date
    assert dates == {
        "seeds/000_e1ffd6853301c33a": D(2017, 3, 13),
        "seeds/001_15000ecfd68f1c3a": D(2019, 2, 21),
    }
    assert sources == {None: 2228, "dateline": 2}


def test_date_options_as_arguments_index_a_folder_with_exactly_those_options(tmp_path: Path):
    root = write_corpus(tmp_path / "c", {
        "21-03-2005/a.txt": "A\n\n2 May 2004\n\nText.\n",
        "misc/b.txt": "B\n\n2 May 2004\n\nText.\n",
    })
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("path,date\nmisc/b.txt,2001-01-09\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        options = DateOptions(path_pattern="%d-%m-%Y", guesses=())
        ix.index_directory(root, **options.as_arguments())
        assert ix.get("21-03-2005/a").date == dt.date(2005, 3, 21)
        assert ix.get("misc/b").date is None  # no guess from the dateline: none were asked for
        ix.index_directory(root, **options.updated(sidecar=sidecar, path_pattern="").as_arguments())
        assert ix.get("21-03-2005/a").date is None  # the pattern cleared, still no guesses
        assert ix.get("misc/b").date == dt.date(2001, 1, 9)


def test_a_sidecar_row_with_an_id_but_no_date_is_a_warning_and_blank_rows_are_not(
    tmp_path: Path,
):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,path,date\nsome/doc,,\n,,\n,other/doc.txt,\nthird,,2005\n")
    read = read_sidecar(sidecar)
    assert read.warnings == ("dates.csv: 2 rows have no date, dating nothing (lines 2, 4)",)
    assert firsts(read.by_id) == {"third": dt.date(2005, 1, 1)}


def test_a_dates_file_row_with_no_date_is_said_to_have_none_not_an_unrecognised_one(
    tmp_path: Path,
):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\nsome/doc,\nthird,2005\n")
    assert read_sidecar(sidecar).warnings == ("dates.csv line 2: no date, dating nothing",)


def test_a_dates_file_with_many_rows_undated_is_one_warning_apart_from_misread_ones(
    tmp_path: Path,
):
    # (a spreadsheet of every document, a few of them dated so far, was a warning a row:
    # 414 lines of "unrecognised date ''" for the BBC's politics folder, at every run)
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n" + "".join(f"doc{n},\n" for n in range(2, 8))
                       + "dated,2005-03-01\nmistyped,2005-13-01\n")
    read = read_sidecar(sidecar)
    assert read.warnings == (
        "dates.csv: 6 rows have no date, dating nothing (lines 2, 3, 4 and 3 more)",
        "dates.csv line 9: unrecognised date '2005-13-01': there is no month 13",)
    assert firsts(read.by_id) == {"dated": dt.date(2005, 3, 1)}


def test_recorded_date_options_without_guesses_keep_the_rest_and_the_default_guesses():
    options = DateOptions.from_dict({"path_pattern": "%Y/%m"})
    assert options == DateOptions(path_pattern="%Y/%m")
    assert DateOptions.from_dict(DateOptions(path_pattern="%Y", guesses=()).to_dict()) == (
        DateOptions(path_pattern="%Y", guesses=()))


# -- dates file rows that name no document ---------------------------------------------------

_FOLDER = {
    "001.txt": "Budget day\n\nThe Chancellor spoke.\n",
    "002.txt": "Poll day\n\nVoters went to the polls.\n",
    "notes/003.txt": "Notes\n\nA short note.\n",
}


def _index_with_dates(tmp_path: Path, rows: str) -> list[str]:
    root = write_corpus(tmp_path / "articles", _FOLDER)
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text(rows)
    with CorpusIndex(tmp_path / "ix") as ix:
        return ix.index_directory(root, dates=str(sidecar)).warnings


def test_a_dates_file_naming_no_document_of_the_folder_says_so_and_how_its_ids_are_written(
    tmp_path: Path,
):
    # written for another layout (politics/001 for a folder whose ids are 001), it left every
    # document undated and the report said nothing
    warnings = _index_with_dates(
        tmp_path, "id,path,date\npolitics/001,,2005-03-01\n,politics/002.txt,12/04/2005\n")
    assert warnings == [
        "dates.csv: none of its 2 dated rows names a document of this folder, so the file "
        "dates nothing (politics/001, politics/002.txt); ids are written as in 001, paths "
        "relative to the folder as in 001.txt"
    ]


def test_the_rows_of_a_dates_file_that_name_no_document_are_named_beside_those_that_do(
    tmp_path: Path,
):
    warnings = _index_with_dates(
        tmp_path, "id,path,date\n001,,2005-03-01\n,notes/003.txt,2005\nspeech-7,,2004\n")
    assert warnings == [
        "dates.csv: 1 of its 3 dated rows names no document of this folder, so it dates "
        "nothing (speech-7); ids are written as in 001, paths relative to the folder as in "
        "001.txt"
    ]


def test_a_dates_file_whose_rows_all_name_documents_adds_no_warning(tmp_path: Path):
    assert _index_with_dates(tmp_path, "id,path,date\n001,,2005-03-01\n,002.txt,2005\n") == []


def test_a_run_that_reads_only_the_changed_files_finds_the_other_rows_dating_documents(
    tmp_path: Path,
):
    _index_with_dates(tmp_path, "id,date\n001,2005-03-01\n002,2005\n")
    (tmp_path / "articles" / "002.txt").write_text("Poll day\n\nVoters stayed at home.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(tmp_path / "articles")
        assert (report.updated, report.warnings) == (1, [])
        assert ix.get("001").date == dt.date(2005, 3, 1)


def test_a_dates_file_that_writes_a_date_month_first_warns_of_the_dates_read_day_first(
    tmp_path: Path,
):
    # as a CSV of records does: 03/04/2005 was read as 3 April without a word
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n001,03/04/2005\n002,03/21/2005\n003,2005-06-01\n"
                       "004,12/01/2005\n")
    read = read_sidecar(sidecar)
    assert firsts(read.by_id) == {"001": D(2005, 4, 3), "003": D(2005, 6, 1), "004": D(2005, 1, 12)}
    assert read.warnings == (
        "dates.csv line 3: unrecognised date '03/21/2005': there is no month 21 (the day comes "
        "first, as in 21/03/2005)",
        "dates.csv: a date is written month first (line 3: '03/21/2005'), so the 2 dates read "
        "day first, as in Britain, may be wrong (lines 2, 5: '03/04/2005' read as 3 April "
        "2005): write the dates year first (2005-03-21)",
    )


def test_a_dates_file_of_dates_read_day_first_alone_is_no_warning(tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id,date\n001,03/04/2005\n002,21/03/2005\n")
    assert read_sidecar(sidecar).warnings == ()


def test_a_dates_file_separated_by_semicolons_is_read(tmp_path: Path):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("id;date\nundated/plain;01/06/2004\n")
    assert firsts(read_sidecar(sidecar).by_id) == {"undated/plain": dt.date(2004, 6, 1)}


def test_a_dates_file_whose_first_line_names_its_delimiter_as_excel_writes_it_is_read(
    tmp_path: Path,
):
    sidecar = tmp_path / "dates.csv"
    sidecar.write_text("sep=;\nid;date\nundated/plain;01/06/2004\n")
    assert firsts(read_sidecar(sidecar).by_id) == {"undated/plain": dt.date(2004, 6, 1)}


@pytest.mark.parametrize("header", ["id,date", "id,title,date"])
def test_a_dates_file_kept_in_the_folder_it_dates_dates_it_and_is_no_article(
    tmp_path: Path, header: str,
):
    # kept beside the articles, it was read as one of them: skipped with advice to map its
    # columns (--columns title=...), or, with a title column, indexed as a document a row
    root = write_corpus(tmp_path / "articles", _FOLDER)
    title = ",Budget day" if "title" in header else ""
    (root / "dates.csv").write_text(f"{header}\n001{title},2005-03-01\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root, dates=root / "dates.csv")
        assert (report.indexed, report.skipped, report.warnings) == (3, [], [])
        assert sorted(hit.id for hit in ix.list_documents()) == ["001", "002", "notes/003"]
        assert ix.get("001").date == dt.date(2005, 3, 1)
        again = ix.index_directory(root)  # (the dates file is remembered)
        assert (again.unchanged, again.indexed, again.skipped) == (3, 0, [])
