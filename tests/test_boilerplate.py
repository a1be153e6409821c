"""Repeated lines (boilerplate, docs/ingest.md): what a site repeats around its articles is
removed, a sentence of the articles is not, and the same files give the same index however
they were added."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import files_read, write_corpus
from corpus_search import CorpusIndex, MultiIndex, rebuild_index
from corpus_search.boilerplate_words import RemovedWord, removed_word_line, removed_words
from corpus_search.cli import cli
from corpus_search.ingest.boilerplate import find_boilerplate, removed_lines, strip_boilerplate
from corpus_search.ingest.files import read_directory
from corpus_search.store.lines_file import kept_lines

MCCONNELL = ('"We will never introduce tuition fees for Scottish students," said First '
             "Minister Jack McConnell.")
MASTHEAD = "THE WESTMINSTER GAZETTE DAILY EDITION ONLINE"
SUBSCRIBE = "Click here to subscribe to the Gazette for daily updates"
SHARED = Path(
    os.environ.get("CORPUS_SEARCH_SHARED", Path(__file__).resolve().parents[2] / "shared")
)
BBC = SHARED / "corpora" / "bbc"


def _story(n: int, middle: str = "", *, chrome: bool = False) -> str:
    """An article's file: title, text (``middle`` inside it) and, with ``chrome``, a
    site's masthead above and share and subscribe lines below."""
    head = f"{MASTHEAD}\n\n" if chrome else ""
    foot = f"\n\nShare this\n\n{SUBSCRIBE}\n" if chrome else "\n"
    return (f"Story number {n}\n\n{head}The council met on day {n} to discuss the budget for "
            f"its schools.\n\n{middle}\n\nA last paragraph on libraries, number {n}.{foot}")


def _body(n: int, middle: str = "", *, chrome: bool = False) -> str:
    return _story(n, middle, chrome=chrome).split("\n", 2)[2]


def test_a_quote_three_articles_share_stays_in_each_of_them():
    bodies = [_body(n, MCCONNELL) for n in range(3)]
    found = find_boilerplate(bodies)
    assert found == frozenset()
    assert all(MCCONNELL in strip_boilerplate(body, found) for body in bodies)


def test_a_quote_three_articles_end_on_stays_too():
    bodies = [f"Article {n} on student fees in Scotland and England.\n\n{MCCONNELL}"
              for n in range(3)]
    assert find_boilerplate(bodies) == frozenset()


def test_a_sentence_three_articles_share_inside_their_text_stays():
    line = "The report will be published by the Scottish Executive next month."
    bodies = [_body(n, line) for n in range(3)]
    found = find_boilerplate(bodies)
    assert found == {line.casefold()}  # (repeated: but not at an edge of any of them)
    assert all(strip_boilerplate(body, found) == body.strip() for body in bodies)
    assert removed_lines(bodies[0], found) == frozenset()


def test_a_sites_masthead_and_footer_are_removed_from_the_edges():
    """Short lines ("Share this") neither end the run of repeated lines at an edge nor are
    removed; the first line of the article's own text ends it."""
    bodies = [_body(n, chrome=True) for n in range(3)]
    found = find_boilerplate(bodies)
    assert found == {MASTHEAD.casefold(), SUBSCRIBE.casefold()}
    assert strip_boilerplate(bodies[0], found) == (
        "The council met on day 0 to discuss the budget for its schools.\n\n"
        "A last paragraph on libraries, number 0.\n\nShare this")
    assert removed_lines(bodies[0], found) == found


def test_search_finds_the_quote_three_indexed_articles_share(tmp_path: Path):
    folder = write_corpus(tmp_path / "fees", {f"s{n}.txt": _story(n, MCCONNELL)
                                              for n in range(3)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert (report.boilerplate_lines, report.boilerplate) == (0, [])
        assert ix.search("McConnell").total == 3
        assert MCCONNELL in ix.get("s0").body


def test_the_report_names_each_line_removed_and_from_how_many_documents(tmp_path: Path):
    files = {f"g{n}.txt": _story(n, chrome=True) for n in range(4)}
    files["other.txt"] = _story(9)
    folder = write_corpus(tmp_path / "gazette", files, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
    assert report.boilerplate == [(SUBSCRIBE.casefold(), 4), (MASTHEAD.casefold(), 4)]
    assert report.to_dict()["boilerplate"][0] == {"line": SUBSCRIBE.casefold(), "documents": 4}
    assert report.boilerplate_note == (
        "2 repeated lines removed as boilerplate from the start or end of documents (not "
        "searched): 'click here to subscribe to the gazette for daily updates' (4 documents); "
        "'the westminster gazette daily edition online' (4 documents)")


def test_index_prints_the_lines_removed_as_boilerplate(tmp_path: Path):
    folder = write_corpus(tmp_path / "gazette", {f"g{n}.txt": _story(n, chrome=True)
                                            for n in range(3)}, afresh=True)
    ix = str(tmp_path / "ix")
    out = CliRunner().invoke(cli, ["index", str(folder), "--index", ix])
    assert out.exit_code == 0, out.output
    assert "2 repeated lines removed as boilerplate" in out.output
    assert "'the westminster gazette daily edition online' (3 documents)" in out.output
    out = CliRunner().invoke(cli, ["index", str(folder), "--index", ix, "--rebuild", "--json"])
    (folder_report,) = json.loads(out.stdout)["reports"]
    assert folder_report["boilerplate"][1] == {
        "line": MASTHEAD.casefold(), "documents": 3}


def test_a_word_only_in_lines_removed_as_boilerplate_is_said_to_stand_there(tmp_path: Path):
    """grep finds "subscribe" in the files, and no document holds it: the search says where
    it went, not "Not found in any document"."""
    files = {f"g{n}.txt": _story(n, chrome=True) for n in range(4)}
    files["other.txt"] = _story(9)
    folder = write_corpus(tmp_path / "gazette", files, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert ix.search("subscribe").not_found == ["subscribe"]
        assert removed_words(ix, ["subscribe", "Zanzibar", "libraries"]) == [
            RemovedWord("subscribe", SUBSCRIBE.casefold(), 4)]
        # a word of both lines: the one removed from the most documents, and the others
        (gazette,) = removed_words(ix, ["Gazette"])
        assert (gazette.documents, gazette.more) == (4, 1)
    said = ("subscribe stands only in a line removed as repeated boilerplate: 'click here to "
            "subscribe to the gazette for daily updates' (lower-cased), which 4 documents had (see "
            "Boilerplate in docs/ingest.md)")
    assert removed_word_line(RemovedWord("subscribe", SUBSCRIBE.casefold(), 4)) == said
    out = CliRunner().invoke(cli, ["search", "subscribe", "--index", str(tmp_path / "ix")])
    assert said in " ".join(out.output.split())
    assert "Not found in any document" not in out.output
    out = CliRunner().invoke(cli, ["search", "subscribe", "Zanzibar", "--index",
                                   str(tmp_path / "ix")])
    assert "Not found in any document: Zanzibar" in out.output  # (the other word, as before)


def _texts(ix: CorpusIndex) -> dict[str, str]:
    return {hit.id: ix.get(hit.id).body for hit in ix.search("*", limit=100).hits}


#: files of a folder: three quoting McConnell, three under a site's masthead and footer
_FILES = {**{f"q{n}.txt": _story(n, MCCONNELL) for n in range(3)},
          **{f"g{n}.txt": _story(10 + n, chrome=True) for n in range(3)}}


def _built_at_once(root: Path, names: list[str]) -> dict[str, str]:
    folder = write_corpus(root / "once", {name: _FILES[name] for name in names}, afresh=True)
    with CorpusIndex(root / "once-ix") as ix:
        ix.index_directory(folder)
        return _texts(ix)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(sorted(_FILES)), st.integers(1, 5), st.integers(0, 2))
def test_the_same_files_give_the_same_index_however_they_were_added(
    tmp_path_factory: pytest.TempPathFactory, order: list[str], batch: int, dropped: int
):
    """Files added a few at a time (incremental runs), then some deleted, give the texts
    that indexing the files left all at once gives, and that --rebuild gives."""
    root = tmp_path_factory.mktemp("orders")
    folder = write_corpus(root / "folder", {}, afresh=True)
    with CorpusIndex(root / "ix") as ix:
        for start in range(0, len(order), batch):
            for name in order[start:start + batch]:
                (folder / name).write_text(_FILES[name], encoding="utf-8")
            ix.index_directory(folder)
        for name in order[:dropped]:
            (folder / name).unlink()
        ix.index_directory(folder)
        texts = _texts(ix)
    expected = _built_at_once(root, order[dropped:])
    assert texts == expected
    rebuild_index(root / "ix", [folder])
    with CorpusIndex(root / "ix") as ix:
        assert _texts(ix) == expected
    kept = set(order[dropped:])
    assert sum(MCCONNELL in body for body in texts.values()) == len(kept & {"q0.txt", "q1.txt",
                                                                           "q2.txt"})
    chrome = kept & {"g0.txt", "g1.txt", "g2.txt"}
    # the masthead is removed where three documents hold it, and given back when one went
    assert sum(MASTHEAD in body for body in texts.values()) == (0 if len(chrome) == 3
                                                                 else len(chrome))


def test_an_article_added_third_removes_the_footer_from_the_first_two(tmp_path: Path):
    folder = write_corpus(tmp_path / "gazette", {f"g{n}.txt": _story(n, chrome=True)
                                            for n in range(2)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert ix.search("subscribe").total == 2
        (folder / "g2.txt").write_text(_story(2, chrome=True), encoding="utf-8")
        report = ix.index_directory(folder)
        assert (report.indexed, report.reread, report.unchanged) == (1, 2, 0)
        assert ix.search("subscribe").total == 0
        (folder / "g2.txt").unlink()
        ix.index_directory(folder)
        assert ix.search("subscribe").total == 2


@pytest.mark.shared
@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC}")
def test_bbc_contributor_lines_are_edges_and_team_sheets_are_text():
    """Counted in as few as 3 BBC articles (a small folder's minimum), the lines removed are
    the contributors' notes that end columns; the team sheets inside match reports stay."""
    docs = [doc for result in read_directory(BBC) for doc in result.documents]
    found = find_boilerplate([doc.body for doc in docs], 3)
    removed = {line for doc in docs for line in removed_lines(doc.body, found)}
    assert removed and all("bbc world service" in line for line in removed)
    assert any(line.startswith("f sheahan, m horan") for line in found - removed)


def test_a_run_reads_only_the_files_whose_repeated_lines_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The folder's record keeps each file's lines: a run counts the unchanged files from
    it, and reads again only those holding a line that became, or ceased to be, boilerplate
    (the texts are those of test_the_same_files_give_the_same_index_however_they_were_added)."""
    files = {f"g{n}.txt": _story(n, chrome=True) for n in range(2)}
    files.update({f"p{n}.txt": _story(20 + n) for n in range(3)})
    folder = write_corpus(tmp_path / "gazette", files, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        read = files_read(monkeypatch)
        (folder / "p3.txt").write_text(_story(23), encoding="utf-8")
        ix.index_directory(folder)
        assert read == ["p3.txt"]  # (no line crossed the threshold)
        read.clear()
        (folder / "g2.txt").write_text(_story(2, chrome=True), encoding="utf-8")
        report = ix.index_directory(folder)
        assert sorted(read) == ["g0.txt", "g1.txt", "g2.txt"]  # (the masthead is now one)
        assert (report.indexed, report.reread) == (1, 2)
        assert ix.search("subscribe").total == 0
        read.clear()
        (folder / "g1.txt").unlink()
        ix.index_directory(folder)
        assert sorted(read) == ["g0.txt", "g2.txt"]  # (given back their masthead)
        assert ix.search("subscribe").total == 2


def test_an_index_whose_record_keeps_no_lines_reads_its_files_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """An index made before the folder's record kept its files' lines (as this one is made
    to look) reads its unchanged files for their lines on its next update, and keeps them."""
    folder = write_corpus(tmp_path / "fees", {f"q{n}.txt": _story(n, MCCONNELL)
                                              for n in range(3)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
    meta_path = tmp_path / "ix" / "corpus_search.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for record in meta["roots"].values():
        kept = kept_lines(tmp_path / "ix", record.pop("repeated_lines"))
        assert kept.keys() == {"q0.txt", "q1.txt", "q2.txt"}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "ix" / "corpus_search_lines.json").unlink()
    read = files_read(monkeypatch)
    with CorpusIndex(tmp_path / "ix") as ix:
        (folder / "q3.txt").write_text(_story(3, MCCONNELL), encoding="utf-8")
        ix.index_directory(folder)
        assert sorted(read) == ["q0.txt", "q1.txt", "q2.txt", "q3.txt"]
        read.clear()
        (folder / "q4.txt").write_text(_story(4, MCCONNELL), encoding="utf-8")
        ix.index_directory(folder)
        assert read == ["q4.txt"]
        assert ix.search("McConnell").total == 5


def test_a_file_touched_but_unchanged_is_counted_from_the_record_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = write_corpus(tmp_path / "gazette", {f"g{n}.txt": _story(n, chrome=True)
                                            for n in range(3)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        read = files_read(monkeypatch)
        os.utime(folder / "g0.txt", ns=(10**18, 10**18))  # (the same text, a new time)
        (folder / "p0.txt").write_text(_story(20), encoding="utf-8")
        report = ix.index_directory(folder)
        assert (sorted(read), report.touched) == (["g0.txt", "p0.txt"], 1)
        read.clear()
        (folder / "p1.txt").write_text(_story(21), encoding="utf-8")
        ix.index_directory(folder)
        assert read == ["p1.txt"]


HERALD = "Read the Gazette on your phone with the Herald app every morning"


def _herald_story(n: int) -> str:
    return (f"Herald story {n}\n\nThe mayor opened a bridge on day {n} in the town centre."
            f"\n\nTraffic was light, number {n}.\n\n{HERALD}\n")


def test_a_word_of_lines_removed_from_unlike_numbers_of_documents_names_the_most_removed(
        tmp_path: Path):
    """"Gazette" stands in the Gazette's two lines (3 documents each) and in the Herald's
    footer (5 documents, another folder, another index): the footer is named, with the
    two others as more such lines; a word is found whole, never inside another word."""
    gazette = write_corpus(tmp_path / "gazette", {f"g{n}.txt": _story(n, chrome=True)
                                             for n in range(3)}, afresh=True)
    herald = write_corpus(tmp_path / "herald", {f"h{n}.txt": _herald_story(n)
                                                for n in range(5)}, afresh=True)
    with CorpusIndex(tmp_path / "one") as one, CorpusIndex(tmp_path / "two") as two:
        one.index_directory(gazette)
        two.index_directory(herald)
        (alone,) = removed_words(one, ["Gazette"])
        assert (alone.documents, alone.more) == (3, 1)
        assert removed_words(one, ["subscrib", "scribe", "gazettes", "daily updates"]) == [
            RemovedWord("daily updates", SUBSCRIBE.casefold(), 3)]
    with MultiIndex([tmp_path / "one", tmp_path / "two"]) as both:
        assert removed_words(both, ["Gazette"]) == [
            RemovedWord("Gazette", HERALD.casefold(), 5, 2)]


def test_the_sentence_on_a_removed_word_says_how_many_documents_and_other_lines():
    line = SUBSCRIBE.casefold()
    assert removed_word_line(RemovedWord("Gazette", line, 1, 2)) == (
        "Gazette stands only in a line removed as repeated boilerplate: 'click here to "
        "subscribe to the gazette for daily updates' (lower-cased), which 1 document had (and 2 "
        "more such lines) (see Boilerplate in docs/ingest.md)")
    assert ", which 2 documents had (see" in removed_word_line(RemovedWord("Gazette", line, 2))
    assert removed_word_line(RemovedWord("Gazette", line, 0)) == (
        "Gazette stands only in a line removed as repeated boilerplate: 'click here to "
        "subscribe to the gazette for daily updates' (lower-cased) (see Boilerplate in "
        "docs/ingest.md)")
