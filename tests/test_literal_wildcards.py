"""A ``*`` or ``?`` in a literal query is a character, not a wildcard (a quote check looks for
what the text writes), and every tool now says so: ``count 'rat*' --literal`` had counted
the string "rat*" (none of the documents saying "rate" or "rates") without a word. The note
names the words read so and how to search the wildcard; ``as_characters`` gives them as a
field (``--json`` too), as the other notes' figures are given."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import index_of, page_html, page_text
from corpus_search import Document
from corpus_search.cli import cli
from corpus_search.errors import command_message
from corpus_search.search.literal import as_characters

DOCUMENTS = [
    Document(id="footnote", title="Rates", body="The interest rat* footnote was a typo."),
    Document(id="rate", title="Bank", body="The interest rate rose again."),
    Document(id="rates", title="Bank", body="Interest rates held, the Bank said."),
    Document(id="women", title="Vote", body="Women voted; a wom?n wrote in."),
]

#: how a note on rat* begins, in every tool and on every surface
SAID = "rat* is looked for as written: literal mode reads * and ? as characters, not wildcards"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "literal-wildcards", DOCUMENTS)


def test_a_literal_count_of_rat_star_counts_the_string_and_says_so(index):
    counted = index.count("rat*", by="source", literal=True)
    assert counted.total == 1  # (the footnote writing "rat*"; not "rate", "rates")
    assert [note for note in counted.notes if note.startswith(SAID)] == [
        SAID + "; for the wildcard, search without literal=True or match_case=True."]
    assert counted.as_characters == ["rat*"] == counted.to_dict()["as_characters"]
    wildcard = index.count("rat*", by="source")
    assert wildcard.total == 3 and wildcard.as_characters == []  # (the wildcard: rat*, rate, rates)
    assert not [note for note in wildcard.notes if "as characters" in note]


def test_the_note_names_each_such_word_once_and_says_how_to_search_the_wildcard(index):
    [note] = index.count("'interest rat*' wom?n rat*", by="source", literal=True).notes
    assert note.startswith("rat* and wom?n are looked for as written")
    assert command_message(note).endswith(
        "for the wildcard, search without --literal or --match-case (on the web page, \"as "
        "written\" or \"match case\").")


@pytest.mark.parametrize("text", ["*", "budget *", "Iraq?", "'what now?'", "interest rate",
                                  "Maidstone"])
def test_no_note_where_no_word_is_a_wildcard_search_would_read(text):
    # (* alone is every document; a lone * no word's pattern; a ? ending a word a question)
    assert as_characters(text) == []


def test_every_tool_reading_literally_says_it_once(index):
    found = index.search("rat*", literal=True)
    assert [n for n in found.notes if n.startswith(SAID)] and found.as_characters == ["rat*"]
    assert found.to_dict()["as_characters"] == ["rat*"]
    assert [n.startswith(SAID) for n in index.concordance("rat*", literal=True).notes] == [True]
    assert [n for n in index.key_terms("rat*", literal=True).notes if n.startswith(SAID)]
    trends = index.trends(["rat*", "rate"], by="source", literal=True)
    assert trends.counts[0].as_characters == ["rat*"] and trends.counts[1].as_characters == []
    report = index.export("rat*", io.StringIO(), format="jsonl", literal=True)
    assert report.as_characters == ["rat*"] and [n for n in report.notes if n.startswith(SAID)]
    cased = index.count("rat*", by="source", match_case=True)  # (literal too)
    assert cased.as_characters == ["rat*"] and cased.total == 1


def test_the_command_line_prints_it_and_its_json_holds_it(index):
    args = ["count", "rat*", "--literal", "--by", "source", "--index", str(index.path)]
    printed = CliRunner().invoke(cli, args)
    assert printed.exit_code == 0, printed.output
    assert "note " + SAID in " ".join(printed.output.split())
    data = json.loads(CliRunner().invoke(cli, [*args, "--json"]).output)
    assert data["as_characters"] == ["rat*"]
    assert [n for n in data["notes"] if n.startswith(SAID) and "--literal" in n]
    search = CliRunner().invoke(cli, ["search", "rat*", "--literal", "--index", str(index.path)])
    assert "search without --literal" in " ".join(search.output.split())


@pytest.mark.parametrize("page", ["/?q=rat*&literal=1", "/count?q=rat*&literal=1&by=source",
                                  "/concordance?q=rat*&literal=1", "/terms?q=rat*&literal=1",
                                  "/trends?q=rat*&literal=1&by=source"])
def test_the_web_page_says_it_in_the_command_s_words(index, page):
    pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")
    from corpus_search.web import create_app

    text = page_text(page_html(create_app(index).test_client(), page))
    assert SAID in text and 'on the web page, "as written" or "match case"' in text, page
