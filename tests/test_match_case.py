"""Counting a person whose name is also a word: ``May`` counts the documents saying "may" (470
BBC documents, where grep -lw May finds 135), ``Hunt`` fox hunting, ``Cleverly`` the adverb.
A count now says so in a note, with the figures from the words as written, and
``match_case=True`` (``--match-case``) counts the words as written in the case typed, as
literal mode does otherwise (one rule: :func:`~corpus_search.search.literal.literal_pattern`)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.search.literal import literal_pattern

DOCUMENTS = [
    Document(id="c/1", title="Chair", body="Theresa May chaired the meeting.", source="BBC"),
    Document(id="c/2", title="Vote", body="The party may lose seats, it may not.", source="BBC"),
    Document(id="c/3", title="Date", body="The election may be held in May.", source="BBC"),
    Document(id="c/4", title="Fox", body="The hunting ban came into force.", source="BBC"),
    Document(id="c/5", title="Rural", body="A hunt met at dawn.", source="BBC"),
    Document(id="c/6", title="Tories", body="Jeremy Hunt spoke for the party.", source="BBC"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "match-case-ix", DOCUMENTS)


def test_match_case_counts_the_name_as_written_not_the_verb(index):
    assert index.count("May", by="source").total == 3  # (the verb too, as search reads it)
    assert index.count("May", by="source", literal=True).total == 3  # (literal: any case)
    assert index.count("May", by="source", match_case=True).total == 2  # c/1, c/3
    assert index.count("Hunt", by="source", match_case=True).total == 1  # c/6 only
    assert index.count("may", by="source", match_case=True).total == 2  # c/2, c/3
    assert index.count('"Theresa May"', by="source", match_case=True).total == 1


def test_a_count_of_a_capitalised_word_mostly_written_otherwise_says_so(index):
    [note] = [n for n in index.count("Hunt", by="source").notes if n.startswith("Hunt:")]
    assert note == ('Hunt: of the 3 documents counted holding it, 1 write it only capitalised '
                    '("Hunt"), 2 in lower case ("hunt" or "hunting"): a count reads a word in '
                    'any case and form, as search does; to count "Hunt" as written, use '
                    "--match-case (Python: match_case=True)")
    capitalised = int(re.search(r"holding it, (\d+) write", note).group(1))
    assert capitalised == index.count("Hunt", by="source", match_case=True).total


def test_no_such_note_for_a_word_typed_in_lower_case_or_counted_as_written(index):
    assert not [n for n in index.count("hunt", by="source").notes if "match-case" in n]
    assert not [n for n in index.count("Hunt", by="source", match_case=True).notes
                if "match-case" in n]


TERMS = [
    Document(id="t/1", title="Asylum", body="The Home Office sent asylum seekers home."),
    Document(id="t/2", title="Prisons", body="The Home Secretary defended the prison plans."),
    Document(id="t/3", title="Party", body="She went home to Leeds after the office party."),
    Document(id="t/4", title="Seat", body="The Lib Dems won the seat in Leeds."),
    Document(id="t/5", title="Vote", body="A Lib Dem spokesman said they would vote against."),
    Document(id="t/6", title="Poll", body="The Liberal Democrats gained ground in the poll."),
]


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "match-case-terms", TERMS)


def test_no_case_note_on_the_words_of_a_lexicon_term_the_query_types(terms):
    # "Home Office" is the lexicon's term, counted in its own forms (and through the Home
    # Secretary), not the word "home"; the note would send the user to --match-case for a
    # figure it does not give
    for text in ("Home Office", "Lib Dems"):
        counts = terms.count(text, by="source")
        assert counts.total == (2 if text == "Home Office" else 3)
        assert not [n for n in counts.notes if "match-case" in n], counts.notes


def test_no_case_note_on_a_word_no_counted_document_writes_in_lower_case(terms):
    # "Dems" matches "Lib Dem" through its stem: another form, capitalised, never "dems"
    counts = terms.count("Dems", by="source")
    assert counts.total == 2
    assert not [n for n in counts.notes if n.startswith("Dems:")], counts.notes


def test_a_count_of_a_lexicon_term_as_written_says_what_the_term_counted_and_it_does_not(
        terms):
    read = terms.count("Home Office", by="source")
    written = terms.count("Home Office", by="source", match_case=True)
    assert (read.total, written.total) == (2, 1)  # t/3's "home" and "office" are lower case
    assert written.notes[0] == (
        "Home Office: match_case=True counts its words as written, in the case typed, not the "
        "term the lexicon reads them as: a count without it finds 2 documents, 1 of them not "
        "counted here (1 names Home Office only through a narrower term the lexicon counts as "
        "part of it: Home Secretary)")
    lib = terms.count("Lib Dems", by="source", match_case=True)
    assert lib.total == 1 and lib.notes[0].endswith(
        "a count without it finds 3 documents, 2 of them not counted here")
    # nothing to say where the count as written counts all the plain count does
    assert not index_notes(terms, "Leeds")


def index_notes(ix: CorpusIndex, text: str) -> list[str]:
    return list(ix.count(text, by="source", match_case=True).notes)


def test_the_cli_says_what_a_count_with_match_case_leaves_of_a_lexicon_term(terms):
    result = CliRunner().invoke(cli, ["count", "--match-case", "Home Office", "--index",
                                      str(terms.path), "--by", "source"])
    assert result.exit_code == 0, result.output
    assert ("Home Office: --match-case counts its words as written, in the case typed, not "
            "the term the lexicon reads them as: a count without it finds 2 documents") in (
        " ".join(result.output.split()))
    literal = CliRunner().invoke(cli, ["count", "--literal", "Home Office", "--index",
                                       str(terms.path), "--by", "source"])
    assert "Home Office: --literal counts its words as written, not the term" in (
        " ".join(literal.output.split()))


def test_search_and_concordance_match_the_case_as_the_count_does(index):
    results = index.search("May", match_case=True)
    assert {hit.id for hit in results.hits} == {"c/1", "c/3"} and results.total == 2
    lines = index.concordance("May", match_case=True).lines
    assert [(line.id, line.match) for line in lines] == [("c/1", "May"), ("c/3", "May")]
    assert index.concordance("May", match_case=True).documents == 2


def test_the_cli_counts_with_match_case(index):
    result = CliRunner().invoke(cli, ["count", "--match-case", "May", "--index",
                                      str(index.path), "--by", "source"])
    assert result.exit_code == 0, result.output
    assert "2 documents match May" in result.output


# -- the other research tools, each checked against grep -rlw on the files indexed -------------

#: files as a folder holds them (title, a blank line, body): "May" the name (c, e: also
#: "May's", "May, May!"), "may" the verb (b, c), shouted (d), inside longer words (f)
FILES = {
    "a.txt": "Chair\n\nTheresa May chaired the meeting.\n",
    "b.txt": "Vote\n\nThe party may lose seats, it may not.\n",
    "c.txt": "Date\n\nThe election may be held in May.\n",
    "d.txt": "Rural\n\nA hunt met at dawn. MAY DAY came.\n",
    "e.txt": "Tories\n\nJeremy Hunt spoke for May's party. May, May!\n",
    "f.txt": "Mayday\n\nMayhem in the Maydays.\n",
}

needs_grep = pytest.mark.skipif(shutil.which("grep") is None, reason="grep checks the figures")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("match-case-files") / "texts"
    where.mkdir()
    for name, text in FILES.items():
        (where / name).write_text(text, encoding="utf-8")
    return where


@pytest.fixture(scope="module")
def files_index(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("match-case-files-ix") / "ix")
    ix.index_directory(folder)
    yield ix
    ix.close()


def grep_ids(folder: Path, word: str) -> list[str]:
    """The ids of the files ``grep -rlw word`` finds (a file's id is its name's stem)."""
    found = subprocess.run(["grep", "-rlw", word, str(folder)], capture_output=True, text=True)
    return sorted(Path(line).stem for line in found.stdout.splitlines())


@needs_grep
@pytest.mark.parametrize("word", ["May", "may", "MAY", "Hunt"])
def test_trends_with_match_case_count_each_query_as_grep_finds_it(files_index, folder, word):
    found = files_index.trends([word, "Mayhem"], by="source", match_case=True)
    assert found.counts[0].total == len(grep_ids(folder, word))
    assert found.counts[1].total == len(grep_ids(folder, "Mayhem")) == 1


@needs_grep
def test_trends_tell_the_name_from_the_verb_with_match_case(files_index, folder):
    # (without it "May" and "may" are the same query, which trends refuses)
    found = files_index.trends(["May", "may"], by="source", match_case=True)
    assert [one.total for one in found.counts] == [3, 2] == [
        len(grep_ids(folder, "May")), len(grep_ids(folder, "may"))]


@needs_grep
def test_key_terms_with_match_case_are_of_the_documents_grep_finds(files_index, folder):
    found = files_index.key_terms("May", min_documents=1, match_case=True)
    assert found.matching == len(grep_ids(folder, "May")) == 3
    assert found.others == len(FILES) - 3
    against = files_index.key_terms("May", min_documents=1, against="may", match_case=True)
    # (against "may" as written: b and c; c writes both, so only b is compared)
    assert against.others == len(set(grep_ids(folder, "may")) - set(grep_ids(folder, "May")))


@needs_grep
@pytest.mark.parametrize("word", ["May", "may", "Hunt"])
def test_an_export_with_match_case_writes_the_documents_grep_finds(files_index, folder, word):
    out = io.StringIO()
    report = files_index.export(word, out, format="jsonl", match_case=True)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(row["id"] for row in rows) == grep_ids(folder, word)
    assert report.documents == report.matching == len(rows)
    report, text = files_index.export_text(word, match_case=True)
    assert report.matching == len(grep_ids(folder, word)) == len(list(csv.DictReader(
        "".join(text).splitlines())))


@needs_grep
def test_marks_with_match_case_are_the_places_grep_finds(files_index, folder):
    body = files_index.get("e").body
    places = files_index.marks("May", body, match_case=True).places
    found = subprocess.run(["grep", "-ow", "May", str(folder / "e.txt")], capture_output=True,
                           text=True).stdout.split()
    assert [body[a:b] for a, b in places] == found == ["May", "May", "May"]
    assert files_index.marks("may", body, match_case=True).places == []
    assert len(files_index.marks("may", body, literal=True).places) == 3  # (any case)


def test_the_cli_gives_match_case_to_trends_key_terms_export_and_show(files_index, tmp_path):
    where = ["--index", str(files_index.path)]
    runner = CliRunner()
    trends = runner.invoke(cli, ["trends", "May", "may", "--match-case", "--by", "source",
                                 "--json", *where])
    assert trends.exit_code == 0, trends.output
    assert [q["total"] for q in json.loads(trends.output)["queries"]] == [3, 2]
    terms = runner.invoke(cli, ["key-terms", "May", "--match-case", "--min-documents", "1",
                                "--json", *where])
    assert terms.exit_code in (0, 1), terms.output  # (1: no word of six files stands out)
    assert json.loads(terms.output)["matching"] == 3
    exported = runner.invoke(cli, ["export", "May", str(tmp_path / "may.csv"), "--match-case",
                                   *where])
    assert exported.exit_code == 0, exported.output
    assert "Wrote 3 documents" in exported.output
    shown = runner.invoke(cli, ["show", "e", "--mark", "May", "--match-case", "--json", *where])
    assert shown.exit_code == 0, shown.output
    assert len(json.loads(shown.output)["places"]) == 3
    alone = runner.invoke(cli, ["show", "e", "--match-case", *where])
    assert alone.exit_code == 2 and "give --mark too" in alone.output


@needs_grep
def test_the_web_page_s_match_case_box_reads_every_tool_s_query_as_grep_does(files_index,
                                                                             folder):
    pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")
    from conftest import page_html, page_text
    from corpus_search.web import create_app

    client = create_app(files_index).test_client()
    may = len(grep_ids(folder, "May"))
    assert 'name="match_case" value="1" checked' in page_html(client, "/count?q=May&match_case=1")
    assert f"{may} documents match" in page_html(client, "/count?q=May&by=source&match_case=1")
    assert "Matching documents: May 3, may 2" in page_text(page_html(
        client, "/trends?q=May&q=may&by=source&match_case=1"))
    assert f"{may} documents match" in page_html(client, "/terms?q=May&match_case=1")
    rows = client.get("/export.jsonl?q=May&match_case=1").get_data(as_text=True).splitlines()
    assert sorted(json.loads(row)["id"] for row in rows) == grep_ids(folder, "May")
    # (a result's link marks the places as written, in the case typed: e's three "May")
    found = page_html(client, "/?q=May&match_case=1")
    link = next(link.replace("&amp;", "&") for link in re.findall(r'href="(/doc/e\?[^"]+)"',
                                                                   found))
    assert "match_case=1" in link
    assert re.findall(r"<mark[^>]*>([^<]+)</mark>", page_html(client, link)) == ["May"] * 3
    places = page_html(client, "/concordance?q=May&match_case=1")
    assert sorted(re.findall(r'<td class="match">([^<]+)</td>', places)) == ["May"] * 5


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z]{1,6}", fullmatch=True), st.lists(st.integers(0, 6), max_size=12))
def test_a_case_matched_phrase_matches_exactly_where_the_case_blind_one_does_in_that_case(
        word, picks):
    pieces = [word, word.lower(), word.upper(), word.swapcase(), " ", ". ", "x"]
    text = "".join(pieces[i] for i in picks)
    blind = {m.span() for m in literal_pattern(word).finditer(text)}
    cased = {m.span() for m in literal_pattern(word, match_case=True).finditer(text)}
    assert cased == {span for span in blind if text[span[0]:span[1]] == word}
