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
    # a hint the text detector reads (a quote of another outlet's own website)
    "hint.txt": "Poll row\n\nThe minister told the BBC News website that polls lie; see "
                "bbc.co.uk/news for more.\n",
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
