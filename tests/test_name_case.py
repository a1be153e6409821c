"""Specification of how a name the query types is told from the ordinary word that spells it.

"Vince Cable" is one name (two capitalised words the texts write together); "cable" is also
a word, and stemming makes "a power cable" the same term as "Mr Cable". A word of a name
counts in full in a document that writes it only capitalised ("Mr Cable said") or beside the
name's other words ("Vince Cable ... a cable firm"); elsewhere it counts
``Ranking.name_case_weight`` of itself, however often the texts write it in lower case.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import closed_after_the_test
from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search.execute import search
from corpus_search.search.ranking import RANKING, Ranking

FILLER = (
    "Ministers met officials in the morning and discussed budgets, schools, transport, "
    "hospitals and the weather before a long lunch with councillors from several towns."
)


def _scores(ix: CorpusIndex, text: str, ranking: Ranking = RANKING) -> dict[str, float]:
    return {h.id: h.score for h in search(ix, text, limit=50, highlight=False,
                                          ranking=ranking).hits}


def _ids(ix: CorpusIndex, text: str, ranking: Ranking = RANKING) -> list[str]:
    scores = _scores(ix, text, ranking)
    return sorted(scores, key=lambda k: -scores[k])


@pytest.fixture
def cable_corpus(tmp_path: Path) -> CorpusIndex:
    ix = closed_after_the_test(CorpusIndex(tmp_path / "ix"))
    ix.add_documents([
        Document("power-cable", "Console recall", "A faulty power cable overheated. The cable "
                 "maker will send a new cable, and cable buyers may ask for refunds."),
        Document("cable-tv", "Cable television", "Cable firms offer films on demand: the "
                 "cable service reaches cable homes. " + FILLER),
        Document("mr-cable", "Debt warning", f"Mr Cable said the debt was too high. {FILLER}"),
        Document("vince-and-cable", "Budget", f"Vince Cable attacked the Budget. {FILLER} He "
                 "said a cable firm had paid too little tax. A cable and a cable."),
        *(Document(f"vince/{n}", "Treasury", f"Vince Cable spoke on tax. {FILLER}")
          for n in range(3)),
        *(Document(f"filler/{n}", "Other", FILLER) for n in range(6)),
    ])
    return ix


def test_a_query_for_vince_cable_ranks_mr_cable_said_above_a_story_about_a_power_cable(
    cable_corpus: CorpusIndex,
):
    ranked = _ids(cable_corpus, "Vince Cable")
    assert ranked.index("mr-cable") < ranked.index("power-cable")
    assert ranked.index("mr-cable") < ranked.index("cable-tv")
    # with the lower-case word counted in full (the rule undone), the cable stories won
    undone = dataclasses.replace(RANKING, name_case_weight=1.0)
    assert _ids(cable_corpus, "Vince Cable", undone).index("power-cable") < \
        _ids(cable_corpus, "Vince Cable", undone).index("mr-cable")


def test_a_titled_surname_alone_is_the_name_too(cable_corpus: CorpusIndex):
    ranked = _ids(cable_corpus, "Mr Cable")
    assert ranked.index("mr-cable") < ranked.index("power-cable")


def test_a_story_naming_the_whole_name_counts_its_lower_case_word_in_full(
    cable_corpus: CorpusIndex,
):
    # "vince-and-cable" writes "cable" in lower case too, so the words field does not mark
    # it as writing Cable only capitalised; it names Vince Cable, so every "cable" counts
    scores = _scores(cable_corpus, "Vince Cable")
    undone = _scores(cable_corpus, "Vince Cable",
                     dataclasses.replace(RANKING, name_case_weight=1.0))
    assert scores["vince-and-cable"] == pytest.approx(undone["vince-and-cable"])
    assert scores["power-cable"] < undone["power-cable"]


def test_typed_in_lower_case_cable_is_the_word(cable_corpus: CorpusIndex):
    # no name is typed: every document saying cable counts it alike
    scores = _scores(cable_corpus, "cable")
    undone = _scores(cable_corpus, "cable", dataclasses.replace(RANKING, name_case_weight=1.0))
    assert scores == undone
    assert _ids(cable_corpus, "cable")[0] in {"power-cable", "cable-tv", "vince-and-cable"}


def test_the_rule_only_reweights_it_finds_the_same_documents(cable_corpus: CorpusIndex):
    undone = dataclasses.replace(RANKING, name_case_weight=1.0)
    assert set(_scores(cable_corpus, "Vince Cable")) == set(
        _scores(cable_corpus, "Vince Cable", undone))
    assert cable_corpus.search("Vince Cable").total == \
        search(cable_corpus, "Vince Cable", ranking=undone).total



@pytest.fixture
def cook_corpus(tmp_path: Path) -> CorpusIndex:
    ix = closed_after_the_test(CorpusIndex(tmp_path / "ix"))
    ix.add_documents([
        *(Document(f"robin-cook/{n}", "Iraq", f"Robin Cook resigned over Iraq. {FILLER}")
          for n in range(2)),
        Document("mr-cook", "Iraq", f"Mr Cook spoke against the war. {FILLER}"),
        *(Document(f"cooking/{n}", "Food", f"Chefs were cooking; the cooks cooked. {FILLER}")
          for n in range(4)),
        Document("cook", "Food", f"A cook made the cook's favourite soup for the cook. {FILLER}"),
        *(Document(f"robin-hood/{n}", "Film", f"Robin Hood returns. {FILLER}") for n in range(6)),
        *(Document(f"filler/{n}", "Other", FILLER) for n in range(4)),
    ])
    return ix


def test_robin_cook_is_one_name_though_cooking_and_cooks_stem_as_cook(cook_corpus: CorpusIndex):
    # the words stand side by side in 2 of the 4 documents holding "cook" as a word (Cook,
    # cook, cook's), the rarer word, though in only 2 of the 8 holding its stem or Robin
    from corpus_search.search.parsing import build_query

    concepts = build_query(cook_corpus, "Robin Cook").concepts or ()
    assert [c.part_of for c in concepts] == ["Robin Cook", "Robin Cook"]
    ranked = _ids(cook_corpus, "Robin Cook")
    assert ranked.index("mr-cook") < ranked.index("cook")
