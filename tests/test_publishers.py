"""A folder's publisher (``corpus-search index --source``): plain text files rarely say who
published them, and a researcher who keeps one folder per outlet can say it once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import corpus_search_command, run_as_printed, write_corpus
from corpus_search import CorpusIndex
from corpus_search.index import rebuild_index, remove_index

FILES = {
    "plain.txt": "Cabinet split over tax\n\nMinisters argued over the plans.\n",
    # a publisher the text detector reads (the address of the page, on a line of its own)
    "hint.txt": "Poll row\nhttps://www.bbc.co.uk/news/uk-politics-1\n\nThe minister said "
                "that polls lie.\n",
    "stated.txt": "---\nsource: Evening Herald\n---\nCouncil vote\n\nThe council voted.\n",
    "records.jsonl": json.dumps({"id": "r1", "title": "Budget", "body": "The budget."}) + "\n"
                     + json.dumps({"id": "r2", "title": "Rates", "body": "Rates rose.",
                                   "source": "Daily Post"}) + "\n",
}


def sources(index: CorpusIndex) -> dict[str, str | None]:
    return {f["id"]: f.get("source") for f in index.searcher().all_stored_fields()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "guardian", FILES)


def test_a_folder_s_publisher_goes_to_the_documents_that_name_none_before_the_text_s_hints(
    tmp_path: Path, corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        assert sources(ix) == {"plain": None, "hint": "BBC News", "stated": "Evening Herald",
                               "r1": None, "r2": "Daily Post"}
        report = ix.index_directory(corpus, source="The Guardian")
        assert (report.reread, report.updated) == (4, 0)  # every file read again, none changed
        assert sources(ix) == {"plain": "The Guardian", "hint": "The Guardian",
                               "stated": "Evening Herald", "r1": "The Guardian",
                               "r2": "Daily Post"}
        assert ix.search("*", filters={"source": "The Guardian"}).total == 3


def test_the_publisher_is_remembered_for_the_folder_until_it_is_cleared(
    tmp_path: Path, corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus, source="The Guardian")
        (corpus / "new.txt").write_text("Late news\n\nA late story.\n", encoding="utf-8")
        report = ix.index_directory(corpus)  # nothing said: the recorded publisher
        assert (report.indexed, report.updated, report.unchanged) == (1, 0, 4)
        assert sources(ix)["new"] == "The Guardian"
        ix.index_directory(corpus, source="")
        assert sources(ix)["plain"] is None and sources(ix)["hint"] == "BBC News"


def test_a_rebuild_keeps_each_folder_s_publisher_and_the_rebuild_command_names_it(
    tmp_path: Path, corpus: Path, cli_env: dict[str, str]
):
    other = write_corpus(tmp_path / "mixed", {"a.txt": "Other story\n\nNothing to see.\n"})
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(corpus, source="The Guardian")
        ix.index_directory(other)
        before = sources(ix)
        command = ix.rebuild_command()
    assert before["plain"] == "The Guardian" and before["a"] is None
    rebuild_index(index, [corpus, other])
    with CorpusIndex.open(index) as ix:
        assert sources(ix) == before
    assert "--source 'The Guardian'" in command
    remove_index(index)
    run_as_printed(command, cli_env)  # the index gone, the command gives them again
    with CorpusIndex.open(index) as ix:
        assert sources(ix) == before


def test_index_source_from_the_command_line_shows_in_stats(
    tmp_path: Path, corpus: Path, cli_env: dict[str, str]
):
    index = str(tmp_path / "ix")
    cmd = corpus_search_command()
    done = subprocess.run([*cmd, "index", str(corpus), "--index", index, "--source",
                           "The Guardian"], env=cli_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    stats = subprocess.run([*cmd, "stats", "--index", index, "--json"], env=cli_env,
                           capture_output=True, text=True)
    assert json.loads(stats.stdout)["sources"] == {"The Guardian": 3, "Evening Herald": 1,
                                                   "Daily Post": 1}


# --------------------------------------------------------------------------------------------
# Where a text's publisher comes from: what the publisher prints about itself, never what the
# story says of an outlet


QUOTING_BBC = ('Minister quits over leak\n\nThe minister told BBC News: "I had no choice."\n'
               "Aides said on the BBC News website that he would go, and he told the BBC he "
               "was sorry.\n")


def test_a_story_that_quotes_a_bbc_news_interview_is_not_a_bbc_news_story(
    tmp_path: Path, cli_env: dict[str, str]
):
    corpus = write_corpus(tmp_path / "news", {"leak.txt": QUOTING_BBC})
    index = str(tmp_path / "ix")
    cmd = corpus_search_command()
    subprocess.run([*cmd, "index", str(corpus), "--index", index], env=cli_env, check=True,
                   capture_output=True)
    cite = subprocess.run([*cmd, "show", "leak", "--cite", "--index", index], env=cli_env,
                          capture_output=True, text=True, check=True).stdout
    assert "BBC" not in cite and "Minister quits over leak" in cite


@pytest.mark.parametrize(("head", "publisher"), [
    ("BBC NEWS\nMinister quits over leak", "BBC News"),  # a masthead
    ("Minister quits over leak\nBy Nick Robinson, Political Editor, BBC News", "BBC News"),
    ("Minister quits over leak\nBy Jane Smith | The Guardian", "The Guardian"),
    ("Minister quits over leak\nSource: The Times", "The Times"),
    ("Minister quits over leak\nhttps://www.bbc.co.uk/news/uk-politics-123", "BBC News"),
    ("Minister quits over leak\nURL: http://news.bbc.co.uk/1/hi/uk_politics/4.stm", "BBC News"),
    ("---\nsource: BBC\n---\nMinister quits over leak", "BBC News"),  # front matter
    ("Minister quits over leak", None),  # the quotes alone
    ("Minister quits over leak\nBy Jane Smith", None),
    ("Minister quits over leak\nSee https://www.bbc.co.uk/news/uk-1 for the interview.", None),
])
def test_a_text_s_publisher_is_its_masthead_byline_address_or_metadata(
    tmp_path: Path, head: str, publisher: str | None
):
    from corpus_search.ingest.files import read_file

    path = tmp_path / "leak.txt"
    path.write_text(head + "\n\n" + QUOTING_BBC.split("\n", 2)[2], encoding="utf-8")
    (doc,) = read_file(path, tmp_path).documents
    assert doc.source == publisher


def test_a_masthead_far_down_the_text_is_a_line_of_the_story_not_its_publisher(
        tmp_path: Path):
    from corpus_search.ingest.files import read_file

    path = tmp_path / "list.txt"
    path.write_text("Who said what\n" + "A line of the story.\n" * 12 + "The Guardian\n",
                    encoding="utf-8")
    assert read_file(path, tmp_path).documents[0].source is None
