"""A count's, a concordance's and key terms' notes come with their figures as fields
(``count --json``): how many documents were left out for each reason, and which terms,
beside the sentence saying it, as a search's JSON gives ``phrase_inside`` and
``phrase_apart``. A program reading the JSON had to parse English for them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.search.matching import Matches
from test_boilerplate_notes import gazette  # noqa: F401 (a fixture: its index)

#: what a search's JSON and a count's both give, the same figure under the same name
SHARED = ("phrase_inside", "phrase_inside_terms", "phrase_apart", "related_only")


@pytest.mark.parametrize("query", ['"home secretary"', '"New Labour"', '"Prime Minister"'])
def test_a_count_leaves_out_of_a_quoted_phrase_what_search_ranks_below_it_and_says_so_alike(
    bbc_index: CorpusIndex, query: str
):
    searched, counted = bbc_index.search(query).to_dict(), bbc_index.count(query).to_dict()
    assert {name: counted[name] for name in SHARED} == {name: searched[name] for name in SHARED}
    left_out = sum(counted[name] or 0 for name in ("phrase_inside", "phrase_apart",
                                                    "related_only"))
    assert counted["total"] + left_out == searched["total"]


def test_the_home_secretary_s_figures_are_those_its_notes_say(bbc_index: CorpusIndex):
    counted = bbc_index.count('"home secretary"')
    assert (counted.related_only, counted.related_terms) == (10, ["Home Office"])
    assert (counted.phrase_inside, counted.phrase_inside_terms) == (6, ["Shadow Home Secretary"])
    assert counted.phrase_apart == 18
    said = " ".join(counted.notes)
    assert "10 documents that hold only Home Office" in said
    assert "6 documents write \"home secretary\" only inside" in said
    assert "18 more documents hold the words of \"home secretary\" apart" in said


@pytest.mark.parametrize("query", ["Chancellor", "Michael Howard", "NHS", "Blairites",
                                   "interest rates", "Gordon Brown~", "home secretary"])
def test_a_concordance_and_key_terms_give_the_figures_a_count_gives(
    bbc_index: CorpusIndex, query: str
):
    counted = bbc_index.count(query, by="party").to_dict()
    figures = {name: counted[name] for name in counted
               if name not in ("query", "by", "total", "without", "distinct", "rows",
                               "undated_index")}
    assert any(value not in (None, [], False) for value in figures.values())
    for result in (bbc_index.concordance(query, limit=1), bbc_index.key_terms(query, limit=1)):
        given = result.to_dict()
        assert {name: given[name] for name in figures} == figures


def test_a_query_with_no_phrase_has_no_phrase_figures_and_no_reason_none_left_out(
    bbc_index: CorpusIndex,
):
    counted = bbc_index.count("Blair", by="party")
    assert counted.phrase_inside is counted.phrase_apart is None
    assert counted.part_only is counted.word_inside is counted.fuzzy_left_out is None
    assert counted.related_terms == counted.part_only_of == []
    assert counted.any_words is None


def test_each_text_once_counts_the_copies_it_left_out(bbc_index: CorpusIndex):
    plain, distinct = bbc_index.count("Blair"), bbc_index.count("Blair", distinct=True)
    assert plain.copies_left_out is None
    assert distinct.copies_left_out == plain.total - distinct.total == 7


def test_an_index_without_dates_says_so_when_counted_by_year_not_by_party(
    bbc_index: CorpusIndex,
):
    assert bbc_index.count("Blair", by="year").undated_index
    assert not bbc_index.count("Blair", by="party").undated_index
    assert bbc_index.concordance("Blair", limit=1, sort="date").undated_index
    assert not bbc_index.concordance("Blair", limit=1).undated_index


def test_a_word_only_a_removed_line_held_is_named_with_its_line_in_every_tool_s_json(
    gazette: Path,  # noqa: F811 (the fixture)
):
    with CorpusIndex.open(gazette) as ix:
        searched = ix.search("subscribe").to_dict()["boilerplate_words"]
        assert searched
        for result in (ix.count("subscribe"), ix.concordance("subscribe"),
                       ix.key_terms("subscribe")):
            assert result.to_dict()["boilerplate_words"] == searched


def test_count_json_prints_the_figures_and_the_notes_still_say_them(gazette: Path):  # noqa: F811
    printed = CliRunner().invoke(cli, ["count", "subscribe", "--json", "--index", str(gazette)])
    data = json.loads(printed.stdout)
    assert [found["word"] for found in data["boilerplate_words"]] == ["subscribe"]
    assert "subscribe" in " ".join(data["not_found"])


def test_why_nothing_was_counted_is_a_field_of_its_own_and_still_a_note(bbc_index: CorpusIndex):
    given = bbc_index.count("Blair", filters={"party": "Veritas"}).to_dict()
    assert given["why_empty"] == ["181 documents match Blair with no filter, but not one that "
                                  "mentions the party Veritas."]
    assert given["notes"][-1:] == given["why_empty"]


def test_a_note_s_figures_add_up_and_its_names_come_once_in_order():
    found = Matches(engine=None, matching=np.zeros(1, bool), kept=np.zeros(1, bool))  # type: ignore[arg-type]
    found.tell("2 more documents ...", part_only=2, part_only_of=["Michael Howard"])
    found.tell("3 more documents ...", part_only=3, part_only_of=["Lib Dems", "Michael Howard"])
    found.tell(None, any_words={"any": 5, "phrase": 1, "all": 2})
    assert found.notes == ("2 more documents ...", "3 more documents ...")
    assert found.told == {"part_only": 5, "part_only_of": ["Michael Howard", "Lib Dems"],
                          "any_words": {"any": 5, "phrase": 1, "all": 2}}
