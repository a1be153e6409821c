"""A lexicon term no document names, some of whose words documents hold: the tools say that
the term is nowhere and which of its words the results hold instead. On the BBC corpus
``search 'Sinn Féin'`` printed "Not found in any document: Sinn Féin" over one result (an
article on the economist Hans-Werner Sinn): true, but it read as a contradiction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.terminal import not_found_line, partly_found_line

#: what every tool says of Sinn Féin on the BBC corpus
SAID = ("No document names Sinn Féin; only its word Sinn is found, so a search result for it "
        "holds that word, not the term.")


def test_a_term_whose_words_some_documents_hold_is_said_to_be_nowhere_but_those_words():
    assert partly_found_line("Sinn Féin", ["Sinn"]) == SAID
    assert partly_found_line("Plaid Cymru", ["Plaid", "Cymru"]) == (
        "No document names Plaid Cymru; only its words Plaid and Cymru are found, so a search "
        "result for it holds those words, not the term.")


def test_the_words_wholly_not_found_keep_their_line_and_a_partly_found_term_gets_its_own():
    assert not_found_line(["Blare"]) == "Not found in any document: Blare"
    assert not_found_line(["Sinn Féin", "Blare"], {"Sinn Féin": ["Sinn"]}) == (
        f"Not found in any document: Blare {SAID}")
    assert not_found_line(["Sinn Féin"], {"Sinn Féin": ["Sinn"]}) == SAID


@pytest.mark.parametrize("query", ["Sinn Féin", '"Sinn Féin"', "Sinn Féin AND Sinn",
                                   "Sinn Féin OR Veritas", "Sinn Féin Blair", "sinn féin"])
def test_every_shape_of_query_naming_the_term_says_which_word_is_found(
    bbc_index: CorpusIndex, query: str
):
    results = bbc_index.search(query)
    assert results.not_found == ["Sinn Féin" if query[0] != "s" else "sinn féin"]
    assert list(results.partly_found.values()) == [["Sinn" if query[0] != "s" else "sinn"]]
    assert results.to_dict()["partly_found"] == results.partly_found


def test_a_term_none_of_whose_words_is_held_is_simply_not_found(bbc_index: CorpusIndex):
    results = bbc_index.search("Blare")
    assert results.not_found == ["Blare"] and results.partly_found == {}
    assert bbc_index.search("Lib Dems").partly_found == {}  # (named: found)


def _said(args: list[str]) -> str:
    """What the command prints, standard output and error, its lines unwrapped."""
    return " ".join(CliRunner().invoke(cli, args).output.split())


@pytest.mark.parametrize("command", [
    ["search", "Sinn Féin"], ["search", '"Sinn Féin"'], ["search", "Sinn Féin OR Veritas"],
    ["count", "Sinn Féin"], ["concordance", "Sinn Féin"], ["key-terms", "Sinn Féin"],
    ["export", "Sinn Féin", "-"], ["show", "business/066", "--mark", "Sinn Féin"],
])
def test_no_tool_says_the_term_is_not_found_over_results_holding_its_word(
    bbc_index: CorpusIndex, command: list[str]
):
    said = _said([*command, "--index", str(Path(bbc_index.path))])
    assert SAID in said
    assert not re.search(r"Not found in any document: [^.]*Sinn", said)


def test_the_search_lists_the_result_holding_the_word_under_the_sentence(
    bbc_index: CorpusIndex,
):
    said = _said(["search", "Sinn Féin", "--index", str(Path(bbc_index.path))])
    assert said.index(SAID) < said.index("1 result for Sinn Féin") < said.index("Hans-Werner")


def test_a_result_s_repr_says_it_too(bbc_index: CorpusIndex):
    assert f"({SAID})" in repr(bbc_index.search("Sinn Féin"))
    assert f"({SAID})" in repr(bbc_index.count("Sinn Féin", by="party"))
