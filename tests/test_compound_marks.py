"""A mark shows where the query's words are written, not a part of a hyphenated compound the
lexicon reads whole as a term of its own: "election" in "by-election" (``by_election``),
"operation" in "co-operation". Before, a search, a concordance and ``similar`` marked
"by-**election**" for "election": 54 of the 781 places of election in the BBC articles were
such parts (pre-, re-, post- and by-elections). The index still holds the part there, so the
document matches and ranks as before; a part that names a term itself keeps its mark
("Labour" in "ex-Labour" is the party), and so does a part of a compound the lexicon has no
term for ("largely-elected")."""

from __future__ import annotations

import pytest

from conftest import index_of_texts
from corpus_search import CorpusIndex

TEXTS = {
    "by": "The Lib Dems won the Brent East by-election in a close count.",
    "both": "The general election came a year after the Brent East by-election.",
    "ex": "Two ex-Labour MPs and a largely-elected chamber were in the news.",
    "co": "Police co-operation was the subject of the operation review.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of_texts(tmp_path_factory, "compound-marks-ix", TEXTS, "Report")


def marked(index: CorpusIndex, query: str) -> dict[str, list[str]]:
    return {hit.id: [text for piece in hit.snippet.fragments for text, mark in piece if mark]
            for hit in index.search(query, limit=50)}


def test_a_word_inside_a_compound_that_is_its_own_term_is_not_marked(index: CorpusIndex):
    found = marked(index, "election")
    assert set(found) >= {"by", "both"}  # (the part still matches: the index holds it)
    assert found["by"] == [] and found["both"] == ["election"]
    assert marked(index, "operation")["co"] == ["operation"]


def test_the_compound_typed_is_marked_whole(index: CorpusIndex):
    assert marked(index, "by-election") == {"by": ["by-election"], "both": ["by-election"]}


def test_a_part_that_is_a_term_itself_or_of_a_compound_with_no_term_keeps_its_mark(
        index: CorpusIndex):
    assert marked(index, "Labour")["ex"] == ["Labour"]
    assert marked(index, "elected")["ex"] == ["elected"]


def test_a_concordance_lists_no_part_of_such_a_compound_as_a_place(index: CorpusIndex):
    result = index.concordance("election")
    # (largely-elected: a compound with no term of its own, its part a place)
    assert {(line.id, line.match) for line in result.lines} == {("both", "election"),
                                                                ("ex", "elected")}
