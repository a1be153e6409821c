"""A quoted phrase is marked where it stands, in a search's snippets as in a concordance, the
web's document page and ``show --mark``: one rule (``corpus_search.search.query_places``).
A search for "fee refugees" on the BBC articles marked the phrase in politics/047 and, in the
same snippet, a lone "fees" further on: a document holding the phrase now has its places
marked, not the phrase's words elsewhere; a document holding only the words apart (ranked
after those holding the phrase) still has its words marked."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.web.app import create_app

TEXTS = {
    "phrase": 'A flood of "fee refugees" would try to avoid top-up fees of up to 3,000 pounds.',
    "apart": "He told refugees to go home, and his tuition fees were not popular.",
    "compound": "Its back-to-basics approach is back, and the basics are sound.",
    "dash": "The general election - widely tipped for May - drew near.",
    "comma": "The main contender will be Gordon Brown, who is a man of great experience.",
    "slogan": 'The campaign ran under the slogan "Britain is Working" all spring.',
    "list": "On the stall were apples, pears, apples and pears again.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of_texts(tmp_path_factory, "phrase-marks-ix", TEXTS, "Report")


def marked(index: CorpusIndex, query: str) -> dict[str, list[str]]:
    return {hit.id: [text for piece in hit.snippet.fragments for text, mark in piece if mark]
            for hit in index.search(query, limit=50)}


def test_a_document_holding_the_quoted_phrase_has_the_phrase_marked_not_its_words_elsewhere(
        index: CorpusIndex):
    found = marked(index, '"fee refugees"')
    assert found["phrase"] == ["fee refugees"]  # (not "fees" further on)
    body = index.get("phrase").body
    assert [body[s:e] for s, e in index.places('"fee refugees"', body)] == found["phrase"]


def test_a_document_holding_only_the_words_apart_has_the_words_marked(index: CorpusIndex):
    assert marked(index, '"fee refugees"')["apart"] == ["refugees", "fees"]


def test_words_apart_that_only_look_like_the_phrase_are_marked_as_words(index: CorpusIndex):
    # ("election - widely" holds no place for the dropped "is": a count does not count it)
    assert index.count('"election is widely"').total == 0
    assert marked(index, '"election is widely"')["dash"] == ["election", "widely"]


def test_a_phrase_written_as_one_compound_is_marked_whole(index: CorpusIndex):
    # ("back-to-basics": the index holds its words at one place, "to" dropped)
    assert marked(index, '"back to basics"')["compound"] == ["back-to-basics"]


@pytest.mark.parametrize(("query", "document", "place"), [
    ('"Gordon Brown, who"', "comma", "Gordon Brown, who"),
    ('"slogan Britain is working"', "slogan", 'slogan "Britain is Working'),
])
def test_a_quoted_phrase_running_across_punctuation_has_its_place_where_a_count_counts_it(
        index: CorpusIndex, query: str, document: str, place: str):
    # (the index passes over the comma and the quotation mark, so the count counts these
    # documents; their concordance lines and marks had said none held the phrase)
    assert index.count(query).total == 1
    body = index.get(document).body
    assert [body[s:e] for s, e in index.places(query, body)] == [place]
    assert marked(index, query)[document] == [place]


def test_punctuation_joins_only_the_words_of_one_quoted_phrase_and_only_until_it_is_whole(
        index: CorpusIndex):
    body = index.get("list").body
    assert [body[s:e] for s, e in index.places('"apples pears"', body)] == ["apples, pears"]
    assert [body[s:e] for s, e in index.places("apples pears", body)] == [
        "apples", "pears", "apples", "pears"]


def test_the_query_s_other_words_are_marked_beside_the_phrase(index: CorpusIndex):
    assert marked(index, '"fee refugees" flood')["phrase"] == ["flood", "fee refugees"]


def test_a_query_with_no_quoted_phrase_marks_its_words_as_before(index: CorpusIndex):
    assert marked(index, "fee refugees")["phrase"] == ["fee", "refugees", "fees"]


def test_the_web_search_page_and_the_command_mark_the_same(index: CorpusIndex):
    page = create_app(index).test_client().get('/?q="fee+refugees"').get_data(as_text=True)
    assert re.search(r"<mark>fee refugees</mark>[^<]*would try to avoid top-up fees of", page)
    printed = CliRunner().invoke(cli, ["search", '"fee refugees"', "--index", str(index.path)])
    assert '"**fee refugees**" would try to avoid top-up fees' in printed.output
