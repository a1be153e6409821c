"""Specification of how plain queries are ranked: by concepts, coverage and proximity.

A plain query (words and quoted phrases) is read as concepts: a word, or a lexicon term with
all its forms. Each concept is scored as one BM25F pseudo-term; the share of the concepts a
document holds (weighted by idf) multiplies the score; concepts standing close together add
a bonus. Small hand-made corpora state each behaviour; the BBC corpus checks the reader's
examples from issue 9.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from conftest import BBC, SEEDS, closed_after_the_test, needs_shared
from corpus_search import CorpusIndex
from corpus_search.documents import Document
from corpus_search.search import RANKING, Ranking, _engine, build_query

FILLER = (
    "Ministers met officials in the morning and discussed budgets, schools, transport, "
    "hospitals and the weather before a long lunch with councillors from several towns."
)


def _index(tmp_path: Path, docs: list[Document]) -> CorpusIndex:
    ix = closed_after_the_test(CorpusIndex(tmp_path / "ix"))
    ix.add_documents(docs)
    return ix


def ids(ix: CorpusIndex, text: str, ranking: Ranking = RANKING, limit: int = 20) -> list[str]:
    from corpus_search.search import search

    return [h.id for h in search(ix, text, limit=limit, highlight=False, ranking=ranking).hits]


@pytest.fixture
def lib_dem_corpus(tmp_path: Path) -> CorpusIndex:
    lib_dem_news = [
        Document(
            f"libdem/{n}",
            "Party news",
            f"The Liberal Democrats set out plans on {topic}. {FILLER}",
        )
        for n, topic in enumerate(["pensions", "schools", "railways", "police", "tax"])
    ]
    return _index(
        tmp_path,
        [
            Document(
                "many",
                "Lib Dems rally",
                "The Lib Dems said the Lib Dems would win. Lib Dems leader Charles Kennedy told "
                "the Lib Dems conference that the Lib Dems were the real opposition. "
                + FILLER,
            ),
            Document(
                "both",
                "Campaign diary",
                f"The Lib Dems campaigned in the north. {FILLER} Hartlepool holds a by-election "
                "on Monday.",
            ),
            *(
                Document(f"byelection/{n}", "Vote set", f"A by-election in {town}. " + FILLER)
                for n, town in enumerate(["Leicester", "Hartlepool", "Brent"])
            ),
            *lib_dem_news,
            *(Document(f"other/{n}", "Other news", FILLER) for n in range(5)),
        ],
    )


def test_a_document_with_both_lib_dems_and_by_election_ranks_above_one_that_only_names_the_lib_dems_many_times(  # noqa: E501
    lib_dem_corpus: CorpusIndex,
):
    found = ids(lib_dem_corpus, "Lib Dems by-election")
    assert found[0] == "both"
    assert found.index("both") < found.index("many")


def test_the_coverage_factor_multiplies_by_the_idf_weighted_share_of_concepts_held(
    lib_dem_corpus: CorpusIndex,
):
    _, parser = build_query(lib_dem_corpus, "Lib Dems by-election")
    engine = _engine(lib_dem_corpus.searcher(), RANKING)
    fields = RANKING.field_boosts(["title", "body"])
    plain = engine.score_concepts(parser.concepts, fields, coverage=0.0)
    covered = engine.score_concepts(parser.concepts, fields, coverage=2.0)
    lib_dem, by_election = plain.idf
    number = lib_dem_corpus.searcher().document_number
    many, both, other = number(id="many"), number(id="both"), number(id="byelection/0")
    assert covered.match.scores[both] == pytest.approx(plain.match.scores[both])
    share = lib_dem / (lib_dem + by_election)
    assert covered.match.scores[many] == pytest.approx(plain.match.scores[many] * share**2)
    share = by_election / (lib_dem + by_election)
    assert covered.match.scores[other] == pytest.approx(plain.match.scores[other] * share**2)
    assert np.array_equal(covered.match.mask, plain.match.mask)


def test_a_concept_rarer_than_the_rest_can_outweigh_them_without_them(tmp_path: Path):
    # "unless rarity says otherwise": a document holding only the rare concept beats one
    # holding only the common one, however often it repeats it
    ix = _index(
        tmp_path,
        [
            Document("rare", "Notes", "The filibuster went on. " + FILLER),
            Document("common", "Notes", "Schools, schools and schools again. " + FILLER),
            *(Document(f"s/{n}", "Schools", f"Schools item {n}. " + FILLER) for n in range(8)),
        ],
    )
    found = ids(ix, "filibuster schools")
    assert found.index("rare") < found.index("common")


@pytest.fixture
def ferry_corpus(tmp_path: Path) -> CorpusIndex:
    apart = (
        "The ferry company said timetables would change while unions weighed a strike "
        "ballot, and passengers were told to check before they travel. " + FILLER
    )
    together = (
        "The ferry strike ballot company said timetables would change while unions weighed "
        "a, and passengers were told to check before they travel. " + FILLER
    )
    return _index(
        tmp_path,
        [
            Document("apart", "Port news", apart),  # first: it wins ties on document number
            Document("together", "Port news", together),
            Document("ferry-only", "Port news", "The ferry left late. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )


def test_words_standing_together_rank_above_the_same_words_far_apart(
    ferry_corpus: CorpusIndex,
):
    assert ids(ferry_corpus, "ferry strike")[:2] == ["together", "apart"]
    # the two share every word and length: without the bonus they tie, in document order
    no_bonus = dataclasses.replace(RANKING, proximity_boost=0.0)
    assert ids(ferry_corpus, "ferry strike", no_bonus)[:2] == ["apart", "together"]


def test_proximity_is_a_bonus_never_a_filter(ferry_corpus: CorpusIndex):
    assert "ferry-only" in ids(ferry_corpus, "ferry strike")


@pytest.fixture
def labour_corpus(tmp_path: Path) -> CorpusIndex:
    loud = " ".join(["Labour said Labour would govern for Labour voters."] * 4)
    return _index(
        tmp_path,
        [
            Document("loud", "Labour news", loud + " " + FILLER),
            Document(
                "rebellion",
                "Commons vote",
                "Labour MPs staged a rebellion over the bill. " + FILLER,
            ),
            *(
                Document(f"labour/{n}", "Labour news", f"Labour on {w}. Labour again. " + FILLER)
                for n, w in enumerate(["pensions", "schools", "jobs", "rail", "police", "tax"])
            ),
        ],
    )


def test_a_rare_word_the_query_names_decides_between_documents_that_all_mention_labour(
    labour_corpus: CorpusIndex,
):
    found = ids(labour_corpus, "Labour backbench rebellion")
    assert found[0] == "rebellion"


def test_the_forms_of_a_concept_count_as_one_mention_not_several(labour_corpus: CorpusIndex):
    # capitalised "Labour" is indexed as the word and as the party: one concept, scored once
    _, parser = build_query(labour_corpus, "Labour")
    (labour,) = parser.concepts
    assert {a.slots[0][0] for a in labour.alternatives} >= {"labour", "labour_party"}
    engine = _engine(labour_corpus.searcher(), RANKING)
    fields = RANKING.field_boosts(["title", "body"])
    scored = engine.score_concepts(parser.concepts, fields)
    own_only = dataclasses.replace(labour, alternatives=labour.alternatives[:1])
    alone = engine.score_concepts([own_only], fields)
    assert np.allclose(scored.match.scores, alone.match.scores)


def test_a_rare_spelling_of_a_common_concept_weighs_as_the_common_concept(tmp_path: Path):
    # "Tories" is written in one document only, but the concept (with "Conservatives") is in
    # most: its rarity is the concept's, so it does not outweigh the rarer word "windfall"
    conservative = [
        Document(f"con/{n}", "Politics", f"The Conservatives spoke on {w}. " + FILLER)
        for n, w in enumerate(["schools", "jobs", "rail", "police", "tax", "health", "roads"])
    ]
    windfall = [
        Document(f"windfall/{n}", "Energy", f"A windfall levy on {w}. " + FILLER)
        for n, w in enumerate(["oil", "gas"])
    ]
    ix = _index(
        tmp_path,
        [
            Document("tories", "Politics", "The Tories spoke. " + FILLER),
            Document("both", "Politics", "The Conservatives back a windfall tax. " + FILLER),
            *conservative,
            *windfall,
        ],
    )
    found = ids(ix, "Tories windfall")
    assert found[0] == "both"
    assert found.index("windfall/0") < found.index("tories")


def test_a_broader_concept_the_lexicon_implies_is_a_weak_form(small_index: CorpusIndex):
    # "PLP" implies the Labour party; a document about Labour in general is not about the PLP
    _, parser = build_query(small_index, "PLP")
    weak = {a.slots[0][0] for c in parser.concepts for a in c.alternatives if a.weak}
    assert "labour_party" in weak


def test_a_corrected_word_joins_the_concept_of_the_word_it_corrects(small_index: CorpusIndex):
    from corpus_search.search import search

    results = search(small_index, "Corbin heartlands", highlight=False)
    assert results.hits[0].id == "labour/plp"


@needs_shared
class TestBBC:
    """The reader's examples of issue 9 on the BBC corpus."""

    @pytest.fixture(scope="class")
    @classmethod
    def bbc(cls, tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
        ix = CorpusIndex(tmp_path_factory.mktemp("bbc") / "ix")
        ix.index_directory(BBC)
        ix.index_directory(SEEDS)
        yield ix
        ix.close()

    def test_general_election_date_ranks_blair_naming_the_poll_date_first(
        self, bbc: CorpusIndex
    ):
        hits = bbc.search("general election date", highlight=False).hits
        assert hits[0].title == "Blair prepares to name poll date"

    def test_lib_dems_by_election_ranks_the_documents_with_both_above_the_lib_dems_alone(
        self, bbc: CorpusIndex
    ):
        lib_dems = set(ids(bbc, '"Lib Dems"', limit=1000))
        by_elections = set(ids(bbc, '"by-election"', limit=1000))
        both = lib_dems & by_elections
        assert len(both) >= 4
        ranked = ids(bbc, "Lib Dems by-election", limit=1000)
        last_with_both = max(ranked.index(d) for d in both)
        first_lib_dems_alone = min(ranked.index(d) for d in lib_dems - by_elections)
        assert last_with_both < first_lib_dems_alone
