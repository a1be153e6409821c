"""Specification of how plain queries are ranked: by concepts, coverage and proximity.

A plain query (words and quoted phrases) is read as concepts: a word, or a lexicon term with
all its forms. Each concept is scored as one BM25F pseudo-term; the share of the concepts a
document holds (weighted by idf) multiplies the score; concepts standing close together add
a bonus. Small hand-made corpora state each behaviour; the BBC corpus checks the reader's
examples from issue 9.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import SEEDS, closed_after_the_test, needs_shared
from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search.execute import engine_for_ranking as _engine
from corpus_search.search.parsing import build_query
from corpus_search.search.ranking import RANKING, Ranking

FILLER = (
    "Ministers met officials in the morning and discussed budgets, schools, transport, "
    "hospitals and the weather before a long lunch with councillors from several towns."
)


def _index(tmp_path: Path, docs: list[Document]) -> CorpusIndex:
    ix = closed_after_the_test(CorpusIndex(tmp_path / "ix"))
    ix.add_documents(docs)
    return ix


def ids(ix: CorpusIndex, text: str, ranking: Ranking = RANKING, limit: int = 20) -> list[str]:
    from corpus_search.search.execute import search

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
    parsed = build_query(lib_dem_corpus, "Lib Dems by-election")
    engine = _engine(lib_dem_corpus.searcher(), RANKING)
    fields = RANKING.field_boosts(["title", "body"])
    plain = engine.score_concepts(parsed.concepts, fields, coverage=0.0)
    covered = engine.score_concepts(parsed.concepts, fields, coverage=2.0)
    before, after = plain.match.dense().scores, covered.match.dense().scores
    # "Lib Dems" is read as the term and as its words, which share the term's one place
    assert [c.label for c in parsed.concepts] == ["Lib Dems", "Lib", "Dems", "by-election"]
    assert plain.shares == [0.5, 0.25, 0.25, 1.0]
    weights = [share * idf for share, idf in zip(plain.shares, plain.idf, strict=True)]
    lib_dem, by_election = sum(weights[:3]), weights[3]
    number = lib_dem_corpus.searcher().document_number
    many, both, other = number(id="many"), number(id="both"), number(id="byelection/0")
    assert after[both] == pytest.approx(before[both])
    share = lib_dem / (lib_dem + by_election)
    assert after[many] == pytest.approx(before[many] * share**2)
    share = by_election / (lib_dem + by_election)
    assert after[other] == pytest.approx(before[other] * share**2)
    assert np.array_equal(covered.match.docs, plain.match.docs)


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


def test_the_forms_of_a_concept_count_as_one_mention_not_several(tmp_path: Path):
    # "Tories" is indexed as the word and as the party: one concept, scored once
    loud = " ".join(["The Tories said the Tories would govern for Tory voters."] * 4)
    tories = _index(tmp_path, [
        Document("loud", "Tories news", loud + " " + FILLER),
        *(Document(f"tories/{n}", "Tory news", f"Tories on {w}. Tories again. " + FILLER)
          for n, w in enumerate(["pensions", "schools", "jobs", "rail", "police", "tax"])),
    ])
    parsed = build_query(tories, "Tories")
    (tory,) = parsed.concepts
    assert {a.slots[0][0] for a in tory.alternatives} >= {"tori", "conservative_party"}
    engine = _engine(tories.searcher(), RANKING)
    fields = RANKING.field_boosts(["title", "body"])
    scored = engine.score_concepts(parsed.concepts, fields)
    own_only = dataclasses.replace(tory, alternatives=tory.alternatives[:1])
    alone = engine.score_concepts([own_only], fields)
    assert np.allclose(scored.match.dense().scores, alone.match.dense().scores)


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
    parsed = build_query(small_index, "PLP")
    weak = {a.slots[0][0] for c in parsed.concepts for a in c.alternatives if a.weak}
    assert "labour_party" in weak


def test_a_corrected_word_joins_the_concept_of_the_word_it_corrects(small_index: CorpusIndex):
    from corpus_search.search.execute import search

    results = search(small_index, "Corbin heartlands", highlight=False)
    assert results.hits[0].id == "labour/plp"


@needs_shared
class TestBBC:
    """The reader's examples of issue 9 on the BBC corpus."""

    @pytest.fixture(scope="class")
    @classmethod
    def bbc(cls, tmp_path_factory: pytest.TempPathFactory, bbc_folder: Path) -> CorpusIndex:
        path = tmp_path_factory.mktemp("bbc") / "ix"
        shutil.copytree(bbc_folder, path)  # the session's BBC index, copied: seeds are added
        ix = CorpusIndex(path)
        ix.index_directory(SEEDS)
        yield ix
        ix.close()

    def test_general_election_date_ranks_blair_naming_the_poll_date_first(
        self, bbc: CorpusIndex
    ):
        hits = bbc.search("general election date", highlight=False).hits
        assert hits[0].title == "Blair prepares to name poll date"

    def _text(self, bbc: CorpusIndex, doc_id: str) -> str:
        found = bbc.describe(doc_id)
        return f"{found['title']}\n{found['body']}"

    def test_quoted_new_labour_ranks_the_documents_saying_new_labour_first(
        self, bbc: CorpusIndex
    ):
        from corpus_search.search.execute import search

        def says(doc_id: str) -> bool:  # (one writes '"New" Labour')
            return re.search(r"\bnew\W+labour\b", self._text(bbc, doc_id), re.I) is not None

        results = search(bbc, '"New Labour"', limit=1000, highlight=False)
        saying = [h.id for h in results.hits if says(h.id)]
        # every document that says it, and only those, hold the phrase (211 did: any Labour)
        assert results.phrase_matches == len(saying) == 22
        assert [h.id for h in results.hits[: len(saying)]] == saying
        # holding "new" and the party apart (98 when Labour was also the labour market's word,
        # 78 while business/183's "Labour is too costly in Germany" was the party)
        assert results.total - results.phrase_matches - results.related_only == 77
        assert results.related_only >= 111  # naming only Labour (111 in the BBC corpus): last
        assert all(says(d) for d in ids(bbc, "New Labour", limit=10))

    def test_lady_thatcher_ranks_the_documents_naming_thatcher_first(self, bbc: CorpusIndex):
        # a report on the Essex Ladies athletes ranked first, never naming Thatcher
        thatcher = set(ids(bbc, "Thatcher", limit=100))
        assert set(ids(bbc, "Lady Thatcher", limit=len(thatcher))) == thatcher

    def test_mr_kilroy_silk_finds_as_many_documents_as_kilroy_silk(self, bbc: CorpusIndex):
        # (791: the hyphen sent it through Whoosh's parser, where Mr was an ordinary word)
        assert bbc.search("Mr Kilroy-Silk").total == bbc.search("Kilroy-Silk").total == 13
        assert bbc.search("Mr Blair AND Iraq").total == bbc.search("Blair AND Iraq").total

    def test_peers_ranks_the_lords_not_peer_to_peer_networks(self, bbc: CorpusIndex):
        titles = [h.title for h in bbc.search("peers", limit=5, highlight=False).hits]
        assert not any("peer-to-peer" in t.lower() for t in titles), titles
        hits = bbc.search("peer-to-peer", limit=5, highlight=False).hits
        assert all(h.id.startswith("tech/") for h in hits)

    def test_capitalised_commons_ranks_a_report_on_the_house_first(self, bbc: CorpusIndex):
        first = bbc.search("Commons", limit=1, highlight=False).hits[0]
        assert first.title != "Online commons to spark debate"
        assert "Commons" in self._text(bbc, first.id)

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


# -- a multi-word lexicon term the user typed: the term, or its words --------------------


def test_a_typed_lexicon_term_is_read_as_the_term_and_as_its_words_sharing_one_place(
    labour_corpus: CorpusIndex,
):
    parsed = build_query(labour_corpus, "Labour backbench rebellion")
    concepts = {c.label: c for c in parsed.concepts}
    assert list(concepts) == ["Labour", "backbench rebellion", "backbench", "rebellion"]
    term = concepts["backbench rebellion"]
    assert {a.slots[0][0] for a in term.alternatives if not a.weak} == {"backbench_rebellion"}
    # the words count as themselves, at full weight, not as weak forms of the term
    for word in ("backbench", "rebellion"):
        assert not any(a.weak for a in concepts[word].alternatives)
        assert concepts[word].part_of == "backbench rebellion"
    assert concepts["Labour"].part_of == ""


@pytest.fixture
def donations_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            # the lexicon term "party donations" (a form of party funding), once
            Document("term", "Funding", "Ministers looked at party donations again. " + FILLER),
            # the words the user typed, not as the term
            Document(
                "words", "Funding", "Donations to the party rose, the party said. " + FILLER
            ),
            # one of the words, many times, in another sense
            Document(
                "charity",
                "Appeal",
                "Donations poured in; donations of food and donations of money. " + FILLER,
            ),
            *(Document(f"party/{n}", "Party", f"The party met on {w}. " + FILLER)
              for n, w in enumerate(["Monday", "Tuesday", "Friday"])),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(6)),
        ],
    )


def test_a_document_with_the_typed_words_but_not_the_term_is_not_buried(
    donations_corpus: CorpusIndex,
):
    found = ids(donations_corpus, "party donations")
    assert found[:2] == ["term", "words"]
    assert found.index("words") < found.index("charity")


def test_a_terms_place_is_held_by_the_term_or_by_all_its_words(donations_corpus: CorpusIndex):
    parsed = build_query(donations_corpus, "party donations")
    engine = _engine(donations_corpus.searcher(), RANKING)
    fields = RANKING.field_boosts(["title", "body"])
    plain = engine.score_concepts(parsed.concepts, fields, coverage=0.0)
    covered = engine.score_concepts(parsed.concepts, fields, coverage=1.0)
    number = donations_corpus.searcher().document_number
    for held_in_full in ("term", "words"):
        doc = number(id=held_in_full)
        assert covered.match.dense().scores[doc] == pytest.approx(plain.match.dense().scores[doc])
    charity = number(id="charity")
    assert covered.match.dense().scores[charity] < plain.match.dense().scores[charity]


def test_concepts_of_one_sentence_are_close_however_far_apart_in_it(tmp_path: Path):
    # the window is the sentence; closeness decays as 1 / sqrt(distance): words nine apart
    # count a third of adjacent ones (the 1 / distance**2 of Rasolofo and Savoy gave 1/81)
    ix = _index(
        tmp_path,
        [
            Document("adjacent", "Port", "The ferry strike began. " + FILLER),
            Document("nine", "Port", "The ferry alpha bravo charlie delta echo foxtrot golf hotel "
                     "strike began. " + FILLER),
            Document("sentences", "Port", "The ferry sailed. The strike began. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    concepts = build_query(ix, "ferry strike").concepts
    engine = _engine(ix.searcher(), RANKING)
    number = ix.searcher().document_number
    docs = np.array([number(id=d) for d in ("adjacent", "nine", "sentences")])
    bonus = engine.proximity(concepts, [1.0, 1.0], docs, [("body", 1.0)],
                             window=RANKING.proximity_slop)
    k1 = RANKING.k1
    assert bonus[0] == pytest.approx(1.0)  # saturated: 1 (k1 + 1) / (1 + k1)
    assert bonus[1] == pytest.approx((1 / 3) * (k1 + 1) / (1 / 3 + k1))
    assert bonus[2] == 0.0


def test_the_words_of_a_term_the_text_writes_together_count_as_adjacent(tmp_path: Path):
    # the index puts a lexicon term's words at one position: that is as close as they get
    ix = _index(
        tmp_path,
        [
            Document("together", "Commons", "A backbench rebellion grew. " + FILLER),
            Document("apart", "Commons", f"A rebellion grew. {FILLER} Backbench anger. "),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    parsed = build_query(ix, "backbench rebellion")
    words = [c for c in parsed.concepts if c.label in ("backbench", "rebellion")]
    engine = _engine(ix.searcher(), RANKING)
    number = ix.searcher().document_number
    docs = np.array([number(id="together"), number(id="apart")])
    bonus = engine.proximity(words, [1.0, 1.0], docs, [("body", 1.0)], window=4)
    # one adjacent pair (saturated: 1 (k1 + 1) / (1 + k1) = 1), weighted by the words' shares
    # of the term's place, a half each
    assert bonus[0] == pytest.approx(0.5 * 0.5)
    assert bonus[1] == 0.0


# -- quoted phrases: exact matches first, then all the words ----------------------------


@pytest.fixture
def strike_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            Document("phrase", "Port news", f"{FILLER} A ferry strike was called. {FILLER}"),
            Document(
                "words-often",
                "Strike fears on the ferry",
                "The ferry company and the ferry unions: a strike, another strike, a ferry. "
                + FILLER,
            ),
            Document("one-word", "Ferry news", "The ferry, the ferry, the ferry. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )


def test_a_document_with_the_quoted_phrase_ranks_above_any_with_the_words_apart(
    strike_corpus: CorpusIndex,
):
    from corpus_search.search.execute import search

    results = search(strike_corpus, '"ferry strike"', highlight=False)
    assert [h.id for h in results.hits] == ["phrase", "words-often"]
    assert results.phrase_matches == 1
    assert results.total == 2
    by_date = search(strike_corpus, '"ferry strike"', highlight=False, sort="date")
    assert [h.id for h in by_date.hits] == ["phrase", "words-often"]


def test_a_quoted_phrase_never_brings_a_document_lacking_one_of_its_words(
    strike_corpus: CorpusIndex,
):
    assert "one-word" not in ids(strike_corpus, '"ferry strike"')
    # unquoted, the words are any of them
    assert "one-word" in ids(strike_corpus, "ferry strike")


def test_a_quoted_phrase_in_a_query_with_operators_stays_strict(strike_corpus: CorpusIndex):
    from corpus_search.search.execute import search

    results = search(strike_corpus, '"ferry strike" AND called', highlight=False)
    assert [h.id for h in results.hits] == ["phrase"]
    assert results.phrase_matches is None
    assert ids(strike_corpus, '"ferry strike" OR ballot') == ["phrase"]


def test_among_exact_matches_the_phrase_as_typed_ranks_above_another_of_its_forms(
    tmp_path: Path,
):
    # "key seats" is a lexicon form of "marginal seats": both hold the quoted phrase
    ix = _index(
        tmp_path,
        [
            Document("other-form", "Campaign", "Parties toured the key seats. " + FILLER),
            Document("as-typed", "Campaign", "Parties toured the marginal seats. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    from corpus_search.search.execute import search

    results = search(ix, '"marginal seats"', highlight=False)
    assert [h.id for h in results.hits] == ["as-typed", "other-form"]
    assert results.phrase_matches == 2


def test_a_text_writing_a_quoted_phrase_in_another_form_still_counts_the_words_it_repeats(
    tmp_path: Path,
):
    # both write "swing seats", a lexicon form of "marginal seats", and neither writes
    # "marginal": the story that keeps coming back to the seats is the one about them,
    # as it is for an unquoted query (the seats had counted for nothing once quoted)
    ix = _index(
        tmp_path,
        [
            Document("in-passing", "Campaign", "Parties toured the swing seats. " + FILLER),
            Document(
                "about-them",
                "Campaign",
                "Parties toured the swing seats. They will target those seats, and the seats "
                "will decide it. " + FILLER,
            ),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    from corpus_search.search.execute import search

    results = search(ix, '"marginal seats"', highlight=False)
    assert [h.id for h in results.hits] == ["about-them", "in-passing"]
    assert results.phrase_matches == 2
    assert ids(ix, "marginal seats")[:2] == ["about-them", "in-passing"]


def test_a_query_for_blairites_ranks_a_report_naming_blair_above_one_naming_neither(
    tmp_path: Path,
):
    # the leader's followers imply the leader: the reports of a feud between Blair's and
    # Brown's camps name the two men far more often than "Blairites"
    ix = _index(
        tmp_path,
        [
            Document("pop", "Rap feud", "Two rappers ended their feud on stage. " + FILLER),
            Document(
                "westminster",
                "Labour feud",
                "Tony Blair and Gordon Brown deny a feud. Mr Blair praised Mr Brown. " + FILLER,
            ),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    assert ids(ix, "Blairites Brownites feud")[:2] == ["westminster", "pop"]
    assert "westminster" in ids(ix, "Blairites")


@pytest.fixture
def new_labour_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            Document("new-labour", "Party history", f"{FILLER} Under New Labour, it changed."),
            Document(
                "labour-often",
                "Labour posters",
                "Labour unveiled new posters. Labour MPs liked the new posters, Labour said. "
                + FILLER,
            ),
            Document("labour-once", "Labour news", "Labour MPs met. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )


def test_a_quoted_narrower_concept_ranks_the_texts_naming_it_first_and_its_party_weakly(
    new_labour_corpus: CorpusIndex,
):
    # "New Labour" is a concept of its own whose broader concept is Labour (the lexicon's
    # "also"): a text saying "Labour" often does not hold the phrase; the texts holding
    # its words apart come next, and a text naming only Labour is still found, last
    from corpus_search.search.execute import search

    results = search(new_labour_corpus, '"New Labour"', highlight=False)
    assert [h.id for h in results.hits] == ["new-labour", "labour-often", "labour-once"]
    assert results.phrase_matches == 1
    assert results.related_only == 1


def test_a_narrower_concept_typed_ranks_the_texts_naming_it_first(
    new_labour_corpus: CorpusIndex,
):
    assert ids(new_labour_corpus, "New Labour")[0] == "new-labour"
    # and a query for the party finds the texts naming a part of it
    assert "new-labour" in ids(new_labour_corpus, "Labour")


# -- the word as typed: a term that is a lexicon concept holds its narrower terms too --------


@pytest.mark.parametrize("written", ["The NHS", "The National Health Service"])
def test_nhs_ranks_a_document_that_names_the_nhs_above_one_that_only_names_its_bodies(
    tmp_path: Path, written: str
):
    # the index holds "strategic health authority" as NHS too (the lexicon says it implies
    # the NHS): a document that writes none of the NHS's own forms counts those mentions at
    # expansion weight
    ix = _index(
        tmp_path,
        [
            Document("bodies", "Health", "The strategic health authority met. " + FILLER),
            # twice as long: by BM25 alone, the shorter document would rank first
            Document("as-typed", "Health", f"{written} met. {FILLER} {FILLER}"),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    assert ids(ix, "NHS") == ["as-typed", "bodies"]


def test_a_search_says_how_many_matches_only_name_a_term_the_lexicon_relates_to_its_words(
    tmp_path: Path,
):
    # "Blairites" implies Blair, so reports naming only Blair match too, ranked by it
    ix = _index(
        tmp_path,
        [
            Document("camp", "Labour", "The Blairites met. " + FILLER),
            *(Document(f"blair/{n}", "Labour", f"Tony Blair spoke. {FILLER}") for n in range(3)),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    from corpus_search.search.execute import search

    results = search(ix, "Blairites", highlight=False)
    assert (results.total, results.related_only) == (4, 3)
    assert results.hits[0].id == "camp"
    assert search(ix, "Blair", highlight=False).related_only is None


def test_a_term_that_is_also_ordinary_english_keeps_its_words_in_a_query(tmp_path: Path):
    # "by elections" may be a by-election or "criticised by elections watchdog": the query
    # reads it both ways, the term and its word sharing its place
    ix = _index(
        tmp_path,
        [
            Document("byelection", "Brent", "A by-election in Brent was called. " + FILLER),
            Document("watchdog", "Polls", "The elections watchdog criticised parties. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    assert ids(ix, "by elections") == ["byelection", "watchdog"]
    assert ids(ix, "by elections watchdog") == ["watchdog", "byelection"]


def test_a_party_field_query_ranks_the_stories_about_the_party_first(tmp_path: Path):
    # party: keeps the documents the facet tags the party; among them, those saying most
    # about it come first, not the index's order
    ix = _index(
        tmp_path,
        [
            Document("aside", "Iran deal", "Conservatives in parliament opposed it. " + FILLER),
            Document(
                "about",
                "Tory plans",
                "The Tories set out plans. Tory leader Michael Howard said the Conservative "
                "Party would cut taxes. " + FILLER,
            ),
            Document("labour", "Labour plans", "Labour set out plans. " + FILLER),
        ],
    )
    assert ids(ix, "party:tories") == ["about", "aside"]
    assert ids(ix, "party:Conservative") == ["about", "aside"]


def test_an_ordinary_use_the_lexicon_lists_is_read_as_one_phrase_not_as_the_party(
    tmp_path: Path,
):
    # "labour market" is the economy: a story about the Labour party, which says "Labour"
    # (the word as well as the party) many times, does not outrank one about the market
    ix = _index(
        tmp_path,
        [
            Document(
                "party",
                "Labour plans",
                "Labour said Labour would win. Labour campaigners and Labour MPs backed the "
                "party's marketing plan. " + FILLER,
            ),
            Document(
                "economy",
                "Jobs figures",
                "The labour market tightened as unemployment fell. " + FILLER + " " + FILLER,
            ),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    assert ids(ix, "labour market")[0] == "economy"
    assert ids(ix, "labour market") == ids(ix, "Labour market")
    # the words still count on their own: the party story is found, after
    assert "party" in ids(ix, "labour market")


@pytest.fixture
def gordon_brown_corpus(tmp_path: Path) -> CorpusIndex:
    profile = (
        "Gordon Brown is the chancellor. Gordon Brown grew up in Fife, and Mr Brown's budgets "
        "made Gordon Brown the longest-serving chancellor. "
    )
    return _index(
        tmp_path,
        [
            Document("africa", "Chancellor's trip", "Gordon Brown toured Africa. " + FILLER
                     + " Mr Brown said Africa needed debt relief, and aid to Africa."),
            *(Document(f"profile/{n}", "Profile", profile + FILLER + " He once visited Africa.")
              for n in range(2)),
            Document("blair", "Tony Blair", "Tony Blair met Mr Brown. " + FILLER),
            *(Document(f"other/{n}", "Other", FILLER + " Kenya") for n in range(3)),
            *(Document(f"filler/{n}", "Other", FILLER) for n in range(6)),
        ],
    )


def test_two_capitalised_words_the_texts_write_together_are_one_name_holding_one_place(
    gordon_brown_corpus: CorpusIndex,
):
    # "Gordon" and "Brown" are one person: the report on him in Africa ranks above the
    # profiles that name him often and Africa once, as the query has two places, not three
    assert ids(gordon_brown_corpus, "Gordon Brown Africa")[0] == "africa"
    # the typed words still count on their own
    assert set(ids(gordon_brown_corpus, "Gordon Brown Africa")) >= {"blair", "profile/0"}


def test_capitalised_words_the_texts_do_not_write_together_stay_two_places(
    gordon_brown_corpus: CorpusIndex,
):
    from corpus_search.search.parsing import build_query

    concepts = build_query(gordon_brown_corpus, "Tony Brown Africa").concepts
    assert concepts is not None and not any(c.part_of for c in concepts)
    concepts = build_query(gordon_brown_corpus, "Gordon Brown Africa").concepts
    assert concepts is not None
    assert [c.label for c in concepts if c.part_of == "Gordon Brown"] == ["Gordon", "Brown"]
    # lower case is not a name
    assert not any(c.part_of for c in build_query(gordon_brown_corpus, "gordon brown").concepts)


# -- an honorific before a name: the name decides ---------------------------------------------


@pytest.fixture
def thatcher_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            Document("ladies", "Athletics", "Essex Ladies won the relay; the ladies' hurdles and "
                     "the ladies' mile went to Essex Ladies too."),
            Document("thatcher", "Tories", f"{FILLER} Margaret Thatcher led the Tories. {FILLER}"),
            Document("lady-thatcher", "Tories", f"{FILLER} Lady Thatcher led the Tories. {FILLER}"),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )


def test_an_honorific_cannot_carry_a_document_without_the_name_after_it(
    thatcher_corpus: CorpusIndex,
):
    # "Lady Thatcher" as two equal places ranked a sports report on the Essex Ladies, which
    # never names Thatcher, first: the honorific holds only a small part of the name's place,
    # and a document holding it alone is no match ("818 results for Mr Blair" counted every
    # BBC article saying "Mr": 181 name Blair)
    ranked = ids(thatcher_corpus, "Lady Thatcher")
    assert ranked == ["lady-thatcher", "thatcher"]
    assert thatcher_corpus.search("Lady Thatcher").total == 2
    # typed alone, it is the word
    assert ids(thatcher_corpus, "Lady") == ["ladies", "lady-thatcher"]


def test_an_honorific_and_the_name_after_it_hold_one_place_the_honorific_a_small_part(
    thatcher_corpus: CorpusIndex, gordon_brown_corpus: CorpusIndex,
):
    def parts(ix: CorpusIndex, text: str) -> list[tuple[str, str, float]]:
        concepts = build_query(ix, text).concepts or ()
        return [(c.label, c.part_of, round(c.weight, 2)) for c in concepts]

    share = RANKING.honorific_share
    assert parts(thatcher_corpus, "Lady Thatcher") == [
        ("Lady", "Lady Thatcher", share), ("Thatcher", "Lady Thatcher", 1 - share)
    ]
    # before a two-word name, the name's words share the rest
    assert parts(gordon_brown_corpus, "Mr Gordon Brown Africa") == [
        ("Mr", "Mr Gordon Brown", share),
        ("Gordon", "Mr Gordon Brown", round((1 - share) / 2, 2)),
        ("Brown", "Mr Gordon Brown", round((1 - share) / 2, 2)),
        ("Africa", "", 1.0),
    ]
    # typed in lower case, or with no capitalised word after it, it is a word of its own
    assert all(not part for _, part, _ in parts(thatcher_corpus, "lady thatcher"))
    assert all(not part for _, part, _ in parts(thatcher_corpus, "Lady relay"))


@pytest.fixture
def titled_corpus(tmp_path: Path) -> CorpusIndex:
    """Double-barrelled and titled names beside documents that only say "Mr", "Lord" or
    "Dr" of someone else, as every news story about a man says "Mr"."""
    return _index(
        tmp_path,
        [
            Document("kilroy", "UKIP", "Mr Kilroy-Silk quit UKIP on Europe."),
            Document("robert", "Veritas", "Robert Kilroy-Silk launched Veritas."),
            Document("blair", "Iraq", "Mr Blair spoke on Iraq."),
            Document("blair-home", "Schools", "Mr Blair spoke on schools."),
            Document("falconer", "Courts", "Lord Falconer reformed the courts."),
            Document("reid", "Health", "Dr Reid opened a hospital."),
            Document("straw", "Iraq", "Mr Straw spoke on Iraq in Europe."),
            Document("howard", "Tories", "Mr Howard and Mrs Howard campaigned."),
            Document("lords", "Lords", "Lord Irvine and Lord Bach sat in the Lords."),
            Document("doctor", "Surgery", "Dr Smith and Dr Jones ran the surgery."),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )


@pytest.mark.parametrize(("typed", "name"), [
    # through Whoosh's parser (a hyphen, an operator, a bracket, a wildcard), the honorific
    # was an ordinary word: "Mr Kilroy-Silk" found 791 BBC documents, every one saying "Mr",
    # where Kilroy-Silk alone finds 13
    ("Mr Kilroy-Silk", "Kilroy-Silk"),
    ("Mrs Beckett-Smith", "Beckett-Smith"),  # (no one of that name)
    ("Mr Kilroy-Silk Europe", "Kilroy-Silk Europe"),
    ("Mr Kilroy-Silk -Europe", "Kilroy-Silk -Europe"),
    ("Mr Blair AND Iraq", "Blair AND Iraq"),
    ("Mr Blair OR Mr Howard", "Blair OR Howard"),
    ("Mr Blair NOT Iraq", "Blair NOT Iraq"),
    ("(Mr Blair OR Mr Straw) AND Iraq", "(Blair OR Straw) AND Iraq"),
    ("(Mr Blair)", "Blair"),
    ("Mr Blair*", "Blair*"),
    ("Lord Falconer", "Falconer"),
    ("Dr Reid", "Reid"),
])
def test_an_honorific_is_no_match_alone_however_the_query_is_read(
    titled_corpus: CorpusIndex, typed: str, name: str
):
    found = titled_corpus.search(typed)
    assert sorted(ids(titled_corpus, typed)) == sorted(ids(titled_corpus, name)), typed
    assert found.total == titled_corpus.search(name).total
    assert titled_corpus.count(typed).total == titled_corpus.count(name).total


@pytest.mark.parametrize(("typed", "name"), [
    # a searcher types in lower case: "mr blair" counted every BBC document saying "mr"
    # (818), where "Mr Blair" counts the 181 naming Blair
    ("mr blair", "blair"),
    ("mrs howard", "howard"),
    ("dr reid", "reid"),
    ("Mr blair", "blair"),
    ("mr kilroy-silk", "kilroy-silk"),
    ("mr blair iraq", "blair iraq"),
])
def test_an_abbreviated_honorific_titles_a_name_typed_in_lower_case(
    titled_corpus: CorpusIndex, typed: str, name: str
):
    assert sorted(ids(titled_corpus, typed)) == sorted(ids(titled_corpus, name)), typed
    assert titled_corpus.count(typed).total == titled_corpus.count(name).total


def test_a_lower_case_honorific_that_is_also_a_word_stays_the_word(
    titled_corpus: CorpusIndex,
):
    # "lord" and "lady" are words too (the lord of the manor): typed in lower case they are
    # a place of their own, as is "mr" before a stop word or alone
    assert set(ids(titled_corpus, "lord falconer")) > set(ids(titled_corpus, "falconer"))
    assert set(ids(titled_corpus, "mr and")) == set(ids(titled_corpus, "mr"))
    assert len(ids(titled_corpus, "mr")) > len(ids(titled_corpus, "mr blair"))


def test_an_honorific_before_a_double_barrelled_name_joins_the_whole_name(
    titled_corpus: CorpusIndex,
):
    share = RANKING.honorific_share
    assert [(c.label, c.part_of, round(c.weight, 2))
            for c in build_query(titled_corpus, "Mr Kilroy-Silk").concepts or ()] == [
        ("Mr", "Mr Kilroy-Silk", share), ("Kilroy-Silk", "Mr Kilroy-Silk", 1 - share)]
    # quoted, it is the phrase
    assert ids(titled_corpus, '"Mr Kilroy-Silk"') == ["kilroy"]
    # its places are where the whole surname stands, with the honorific or without it
    lines = titled_corpus.concordance("Mr Kilroy-Silk").lines
    assert sorted((line.id, line.match) for line in lines) == [
        ("kilroy", "Mr Kilroy-Silk"), ("robert", "Kilroy-Silk")]


def test_a_word_inside_a_reduplicated_compound_does_not_count_as_the_word(tmp_path: Path):
    # "peers" ranked peer-to-peer file-sharing stories above the Lords: a compound whose
    # first and last words are the same is an idiom, not its words
    ix = _index(
        tmp_path,
        [
            Document("p2p", "Peer-to-peer nets", "Peer-to-peer networks and peer-to-peer "
                     "file-sharing grew, peer-to-peer firms said. " + FILLER),
            Document("lords", "Lords", f"{FILLER} Peers voted against the bill. {FILLER}"),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(4)),
        ],
    )
    assert ids(ix, "peers") == ["lords"]
    assert ids(ix, "peer-to-peer") == ["p2p"]


# -- a word typed capitalised, as the texts almost always write it -----------------------------


@pytest.fixture
def commons_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            Document("house", "Debate", "The Commons voted; the Commons rose; the Commons sat. "
                     + FILLER),
            Document("online", "Debate", "An online commons; a digital commons; the commons "
                     "grew. " + FILLER),
            *(Document(f"sat/{n}", "Sitting", f"{FILLER} The Commons sat.") for n in range(9)),
            Document("budget", "Budget", "The Budget and the budget. " + FILLER),
            *(Document(f"budgets/{n}", "Budgets", f"{FILLER} A budget.") for n in range(3)),
        ],
    )


def _scores(ix: CorpusIndex, text: str) -> dict[str, float]:
    from corpus_search.search.execute import search

    return {h.id: h.score for h in search(ix, text, limit=50, highlight=False).hits}


def test_a_capitalised_word_the_texts_almost_always_capitalise_prefers_the_capitalised_texts(
    commons_corpus: CorpusIndex,
):
    # "Commons" is written capitalised in 10 of the 11 documents holding it (the House):
    # typed so, a text that writes only "commons" (a digital commons) counts it
    # expansion_weight of itself; typed in lower case, the word is the word
    typed = _scores(commons_corpus, "Commons")
    assert typed["house"] > typed["online"]
    lower = _scores(commons_corpus, "commons")
    assert lower["online"] == pytest.approx(lower["house"], rel=0.1)
    assert typed["online"] < lower["online"] and typed["house"] == lower["house"]


def test_a_capitalised_word_the_texts_often_write_in_lower_case_is_the_word(
    commons_corpus: CorpusIndex,
):
    # "Budget" is capitalised in one of the four documents holding it: no preference
    assert _scores(commons_corpus, "Budget") == _scores(commons_corpus, "budget")


def test_a_capitalised_word_that_is_a_lexicon_concept_keeps_its_other_forms_in_full(
    tmp_path: Path,
):
    # "Whitehall" is a concept whose forms include "civil service" (all indexed under its
    # term): the lexicon says its case ("=Whitehall"), so a text saying "civil service" is
    # not counted as one writing "whitehall" in lower case
    ix = _index(
        tmp_path,
        [
            Document("service", "Jobs", f"The civil service cut jobs. {FILLER}"),
            *(Document(f"wh/{n}", "Jobs", f"{FILLER} Whitehall cut jobs.") for n in range(9)),
            *(Document(f"other/{n}", "Other", FILLER) for n in range(3)),
        ],
    )
    assert _scores(ix, "Whitehall") == _scores(ix, "whitehall")


@pytest.fixture
def teachers_corpus(tmp_path: Path) -> CorpusIndex:
    return _index(
        tmp_path,
        [
            *(
                Document(f"heads/{n}", "Schools", f"The head teachers of {town} met. {FILLER}")
                for n, town in enumerate(["Leeds", "York", "Bath"])
            ),
            Document("teachers", "Pay", f"Teachers want more pay. {FILLER}"),
            Document("head", "Injury", f"A head injury kept him out. {FILLER}"),
            *(
                Document(f"everyone/{n}", "Notice", f"Everyone is welcome. {FILLER}")
                for n in range(4)
            ),
            Document("every-one", "Notice", f"Every one of them came. {FILLER}"),
            Document("other", "Other", FILLER),
        ],
    )


def test_a_query_word_the_texts_write_as_two_words_finds_them(teachers_corpus: CorpusIndex):
    # no text says "headteachers"; three say "head teachers": the reader meant them
    assert sorted(ids(teachers_corpus, "headteachers")) == ["heads/0", "heads/1", "heads/2"]


def test_a_word_the_texts_write_closed_up_more_often_is_not_split(
    teachers_corpus: CorpusIndex,
):
    # "everyone" (4 texts) is not "every one" (1 text): the texts' spelling stands
    assert sorted(ids(teachers_corpus, "everyone")) == [f"everyone/{n}" for n in range(4)]


def test_two_words_the_texts_write_closed_up_find_either_spelling_and_nothing_else(
    tmp_path: Path,
):
    ix = _index(tmp_path, [
        Document("closed", "Vote", f"Turnout was low. {FILLER}"),
        Document("spaced", "Vote", f"Few voters will turn out today. {FILLER}"),
        Document("apart", "Road", f"Turn left and get out. {FILLER}"),
    ])
    assert sorted(ids(ix, "turn out")) == ["closed", "spaced"]


def test_a_low_emission_zone_is_air_pollution_but_air_quality_is_no_emission_zone(
    tmp_path: Path,
):
    ix = _index(tmp_path, [
        Document("ulez", "Charge", f"The Ultra Low Emission Zone was extended. {FILLER}"),
        Document("caz", "Charge", f"Birmingham opened its clean air zone. {FILLER}"),
        Document("air", "Smog", f"Air quality in London is poor. {FILLER}"),
    ])
    quoted = ix.search('"Ultra Low Emission Zone"')
    assert quoted.phrase_matches == 2  # it was a form of air pollution: "air quality" held it
    assert [h.id for h in quoted.hits][-1] == "air"  # the broader concept, after the zones
    assert ids(ix, "ULEZ")[-1] == "air"
    assert ix.search('"air pollution"').phrase_matches == 3


def test_a_hyphenated_pair_of_names_does_not_make_the_names_one_word(tmp_path: Path):
    # "Blair-Brown" is indexed closed up too; read as a compound, "Blair Brown" had found
    # only the rivalry story, the phrase or the closed-up form, not the others naming either
    ix = _index(tmp_path, [
        Document("rivalry", "Rivalry", f"The Blair-Brown rivalry goes on. {FILLER}"),
        Document("blair", "Blair", f"Tony Blair spoke today. {FILLER}"),
        Document("brown", "Brown", f"Gordon Brown spoke today. {FILLER}"),
    ])
    for query in ("Blair Brown", "blair brown"):
        found = ids(ix, query)
        assert found[0] == "rivalry" and sorted(found) == ["blair", "brown", "rivalry"]


def test_a_word_the_lexicon_reads_keeps_the_lexicons_forms_and_is_not_split(tmp_path: Path):
    from corpus_search.search.groups import spaced_spelling

    ix = _index(tmp_path, [
        Document("hunt", "Hunting", f"The fox hunting ban starts. {FILLER}"),
        Document("fox", "Fox", f"A fox was seen. {FILLER}"),
    ])
    assert spaced_spelling("foxhunting", ix, RANKING) is None  # hunting_ban's own form
    assert ids(ix, "foxhunting") == ["hunt"]


def test_a_split_needs_both_words_side_by_side_in_enough_texts(teachers_corpus: CorpusIndex):
    from corpus_search.search.groups import spaced_spelling

    assert spaced_spelling("headteachers", teachers_corpus, RANKING) == "head teachers"
    assert spaced_spelling("teacherhead", teachers_corpus, RANKING) is None  # never together
    assert spaced_spelling("headx", teachers_corpus, RANKING) is None  # a part under 3 letters


def test_a_word_found_as_its_two_word_spelling_is_neither_corrected_nor_reported_missing(
    teachers_corpus: CorpusIndex,
):
    from corpus_search.search.execute import search

    results = search(teachers_corpus, "headteachers", highlight=False)
    assert results.total == 3
    assert not results.not_found and results.suggestion is None


def test_an_index_searches_with_the_ranking_it_is_given_as_the_guide_says(small_index):
    """("pass ranking= to search()": ix.search(ranking=...) raised TypeError, only
    corpus_search.search.execute.search took it)"""
    from corpus_search.search.execute import search

    other = Ranking(k1=0.4, b=0.95, title_boost=9.0)
    ranked = small_index.search("hospital waiting", ranking=other, limit=5)
    assert [h.score for h in ranked.hits] == [
        h.score for h in search(small_index, "hospital waiting", ranking=other, limit=5).hits]
    assert [h.score for h in ranked.hits] != [
        h.score for h in small_index.search("hospital waiting", limit=5).hits]
