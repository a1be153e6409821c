"""Specification of citing a document: the reference under a quotation (title, source, date,
address, id and file) and a paragraph of its text quoted with it, ready to paste."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document, DocumentNotFoundError, PassageError
from corpus_search.search.citing import cite, cited_file, paragraphs, reference
from corpus_search.search.records import indexed_file

#: a blank line: what separates paragraphs
BLANK_LINE = re.compile(r"\n[ \t]*\n")

STORY = Document(
    id="guardian/nhs", title="Labour pledges to cut NHS waiting lists", source="The Guardian",
    date=dt.date(2024, 3, 14), url="https://www.theguardian.com/politics/nhs",
    body="Labour has pledged to cut NHS waiting lists.\n\nWes Streeting said: \"The NHS is on "
         "its knees\nafter fourteen years.\"\n\nThe Tories said it was uncosted.")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("citing") / "ix")
    ix.add_documents([STORY, Document(id="bbc/1", title="", body="Text without metadata.")])
    yield ix
    ix.close()


def test_a_reference_names_title_source_date_address_and_the_id_that_finds_it_again(index):
    assert index.cite("guardian/nhs").text == (
        '"Labour pledges to cut NHS waiting lists", The Guardian, 14 March 2024, '
        "https://www.theguardian.com/politics/nhs [id guardian/nhs]")


def test_a_reference_says_what_the_index_does_not_know_rather_than_leave_it_out(index):
    assert index.cite("bbc/1").reference == "(no title), source not known, undated [id bbc/1]"


def test_a_guessed_date_is_said_to_be_a_guess_and_a_stated_one_is_not():
    record = {"id": "x", "title": "T", "source": "S", "date": "2022-10-12"}
    assert "12 October 2022 (date guessed from its dateline)" in reference(
        {**record, "date_source": "dateline"})
    assert "12 October 2022 [" in reference({**record, "date_source": "front-matter"})


def test_a_reference_names_the_file_the_document_was_read_from_under_its_folder_s_name():
    # (it named the full path, /home/me/..., putting the user's home folder into every
    # quotation pasted into a story)
    record = {"id": "politics/001", "title": "T", "file": "bbc/politics/001.txt",
              "path": "/home/me/corpora/bbc/politics/001.txt"}
    assert reference(record).endswith("[id politics/001; file bbc/politics/001.txt]")
    assert cited_file({"path": "/home/me/notes.txt"}) == "notes.txt"
    assert cited_file({"path": "/notes.txt", "file": "notes.txt"}) == "notes.txt"
    assert indexed_file("/home/me/corpora/bbc/", "politics/001.txt") == "bbc/politics/001.txt"
    assert indexed_file("/home/me/corpora/bbc", None) is None
    assert cited_file({"id": "added", "path": None}) is None


def test_the_full_path_of_a_cited_file_is_in_the_citation_s_data_not_its_reference(tmp_path):
    from click.testing import CliRunner

    from corpus_search.cli import cli
    from corpus_search.web import create_app

    folder = tmp_path / "home" / "me" / "bbc"
    (folder / "politics").mkdir(parents=True)
    (folder / "politics" / "213.txt").write_text("Student vote\n\nLib Dems target it.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        cited = ix.cite("politics/213", at=14)
        assert cited.reference == ('"Student vote", source not known, undated '
                                   "[id politics/213; file bbc/politics/213.txt]")
        assert (cited.file, cited.path) == ("bbc/politics/213.txt",
                                            str(folder / "politics" / "213.txt"))
        assert cited.to_dict()["path"] == cited.path and str(tmp_path) not in cited.text
        page = create_app(ix).test_client().get("/doc/politics/213?quote=14")
        shown = page.get_data(as_text=True)
        assert "file bbc/politics/213.txt]</textarea>" in shown
        assert f"file {folder}" not in shown
    shown = CliRunner().invoke(cli, ["show", "politics/213", "--cite", "--index",
                                     str(tmp_path / "ix")])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.endswith("[id politics/213; file bbc/politics/213.txt]\n")


def test_an_export_show_json_and_a_citation_name_a_document_s_file_and_path_alike(tmp_path):
    """One rule for ``file``: an export wrote ``politics/213.txt`` where the citation of the
    same document named ``bbc/politics/213.txt``."""
    import csv
    import json

    folder = tmp_path / "bbc"
    (folder / "politics").mkdir(parents=True)
    (folder / "politics" / "213.txt").write_text("Student vote\n\nLib Dems target it.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        cited = ix.cite("politics/213")
        ix.export("Lib Dems", tmp_path / "out.csv")
        ix.export("Lib Dems", tmp_path / "out.jsonl")
        described = ix.describe("politics/213")
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as rows:
        row = next(csv.DictReader(rows))
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    expected = ("bbc/politics/213.txt", str(folder / "politics" / "213.txt"))
    for named in (row, line, described, cited.to_dict()):
        assert (named["file"], named["path"]) == expected, named
    assert cited.reference.endswith(f"file {expected[0]}]")


def test_a_place_of_the_text_quotes_its_whole_paragraph_on_one_line_above_the_reference(index):
    body = STORY.body
    at = body.index("NHS is on")
    quoted = index.cite("guardian/nhs", at=at)
    assert quoted.passage == 'Wes Streeting said: "The NHS is on its knees\nafter fourteen years."'
    assert body[quoted.start:quoted.end] == quoted.passage
    assert quoted.text == ('\u201cWes Streeting said: "The NHS is on its knees after fourteen '
                           'years."\u201d\n\u2014 ' + quoted.reference)


def test_the_first_and_last_characters_of_a_paragraph_quote_it(index):
    first = index.cite("guardian/nhs", at=0)
    assert first.passage == "Labour has pledged to cut NHS waiting lists."
    last = index.cite("guardian/nhs", at=len(STORY.body) - 1)
    assert last.passage == "The Tories said it was uncosted."


def test_a_place_read_from_a_data_frame_quotes_as_the_same_int_does(index):
    """A concordance line's ``start`` kept in a data frame comes back a NumPy ``int64``:
    "must be a whole number ... not np.int64(5)" refused it."""
    np = pytest.importorskip("numpy")
    at = STORY.body.index("NHS is on")
    assert index.cite("guardian/nhs", at=np.int64(at)) == index.cite("guardian/nhs", at=at)
    assert index.cite("guardian/nhs", at=np.int32(0)).start == 0


@pytest.mark.parametrize("at", [-1, 10_000, "12a", "", True])
def test_a_place_in_no_paragraph_or_not_a_number_is_a_one_line_error(index, at):
    with pytest.raises(PassageError) as refused:
        index.cite("guardian/nhs", at=at)
    assert "\n" not in str(refused.value)
    assert ("No paragraph of guardian/nhs" if isinstance(at, int) and not isinstance(at, bool)
            else "must be a whole number") in str(refused.value)


def test_a_place_past_a_one_paragraph_text_says_it_has_one_paragraph(tmp_path):
    # ("its text has 107 characters in 1 paragraphs")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(Document(id="note", title="Note", body="Blair spoke."))
        with pytest.raises(PassageError) as refused:
            ix.cite("note", at=500)
    assert str(refused.value) == (
        "No paragraph of note is at character 500: its text has 12 characters in 1 paragraph.")


def test_a_blank_line_between_paragraphs_is_no_place_to_quote(index):
    gap = STORY.body.index("\n\n") + 1
    with pytest.raises(PassageError, match="No paragraph of guardian/nhs is at character"):
        index.cite("guardian/nhs", at=gap)


def test_an_unknown_id_is_the_error_that_names_the_ids_meant(index):
    with pytest.raises(DocumentNotFoundError, match="No document with id 'guardian/NHS'"):
        index.cite("guardian/NHS")


@given(st.text(alphabet="ab \n\t", max_size=40))
def test_paragraphs_are_the_text_between_blank_lines_without_the_space_around_them(body):
    spans = paragraphs(body)
    for s, e in spans:
        assert body[s:e] and body[s:e] == body[s:e].strip()
        assert not BLANK_LINE.search(body[s:e])
        assert cite({"id": "x", "body": body}, at=s).passage == body[s:e]
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert BLANK_LINE.search(body[end:start])  # (two paragraphs, not one cut in two)
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, c in enumerate(body) if not c.isspace())


def test_a_document_whose_file_changed_or_went_is_shown_and_cited_with_a_note_saying_so(
    tmp_path,
):
    # (show, show --cite and the web page gave the text as indexed, and a reference naming
    # its file, without a word that the file now says otherwise or is gone)
    from click.testing import CliRunner

    from corpus_search.cli import cli
    from corpus_search.web import create_app

    folder = tmp_path / "notes"
    folder.mkdir()
    for name in ("kept", "touched", "edited", "deleted"):
        (folder / f"{name}.txt").write_text(f"{name.title()} note\n\nLabour met.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
    (folder / "touched.txt").touch()  # (a time, not the text: as a sync or a copy leaves it)
    (folder / "edited.txt").write_text("Edited note\n\nLabour met again.\n")
    (folder / "deleted.txt").unlink()
    with CorpusIndex(tmp_path / "ix") as ix:
        assert [ix.file_note(i) for i in ("kept", "touched", "nope")] == [None, None, None]
        assert ix.file_note("edited") == (
            f"The file {folder / 'edited.txt'} has changed since it was indexed: this is its "
            "text as indexed (indexing its folder again reads it anew).")
        assert ix.file_note("deleted") == (
            f"The file {folder / 'deleted.txt'} is no longer there: this is its text as "
            "indexed (indexing its folder again removes it).")
        page = create_app(ix).test_client().get("/doc/deleted").get_data(as_text=True)
        assert f'<p class="note">The file {folder / "deleted.txt"} is no longer there' in page
        assert 'class="note">The file' not in create_app(ix).test_client().get(
            "/doc/kept").get_data(as_text=True)
    for args in (["show", "edited"], ["show", "edited", "--cite"]):
        shown = CliRunner().invoke(cli, [*args, "--index", str(tmp_path / "ix")])
        assert shown.exit_code == 0
        assert shown.stderr.startswith(f"note The file {folder / 'edited.txt'} has changed")
    kept = CliRunner().invoke(cli, ["show", "kept", "--index", str(tmp_path / "ix")])
    assert kept.exit_code == 0 and kept.stderr == ""
