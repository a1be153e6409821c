"""Wildcards, prefixes and fuzzy terms rank like the word a reader meant.

The terms a pattern or fuzzy word stands for share one document frequency, the largest of
theirs (Lucene's blended frequencies), so a rare near miss no longer outranks the common word;
a fuzzy word's terms are weighted by their similarity to it, ``1 - edits / min(lengths)``
(Lucene's ``FuzzyQuery``), so the word itself counts most. Which documents match is unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import query as Q
from whoosh.scoring import bm25

from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search import expansions
from corpus_search.search.engine import QueryEngine
from corpus_search.search.expansions import (
    MIN_SIMILARITY,
    ExpandedTerm,
    fuzzy_similarity,
    osa_distance,
)
from corpus_search.search.ranking import RANKING

_FILLER = [
    "The council met to discuss the new bus timetable and the price of parking.",
    "Farmers said the weather had ruined the spring planting season.",
    "The school opened a new library with money raised by parents.",
    "Rail passengers faced delays after a signal failure near the station.",
    "The museum will show paintings lent by a private collector.",
]


def _documents() -> list[Document]:
    """Howard in eight documents, "hard" (two edits away) in one; Britain named twice in each
    of eight, Britannia once in one; a hundred others, so that rarity counts."""
    docs = [
        Document(
            f"howard/{i}",
            f"Conservative plans {i}",
            "Michael Howard set out Conservative plans for the economy this week.",
        )
        for i in range(8)
    ]
    docs.append(Document("hard", "Winter", "It was a hard winter for the farmers of the dales."))
    docs += [
        Document(
            f"britain/{i}",
            f"Jobs news {i}",
            "Unemployment in Britain fell again, and exporters in Britain had more orders.",
        )
        for i in range(8)
    ]
    docs.append(
        Document("britannia", "Building society", "Britannia reported profits for its members.")
    )
    docs += [Document(f"filler/{i}", f"Local news {i}", _FILLER[i % 5]) for i in range(100)]
    return docs


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    index = CorpusIndex(tmp_path_factory.mktemp("expansions") / "ix")
    index.add_documents(_documents())
    yield index
    index.close()


def _ranks(ix: CorpusIndex, text: str) -> list[str]:
    return [h.id for h in ix.search(text, limit=100).hits]


def test_a_fuzzy_search_for_howard_ranks_the_documents_with_howard_above_those_with_hard(
    ix: CorpusIndex,
):
    ranked = _ranks(ix, "Howard~2")
    assert "hard" in ranked  # "hard" is two edits from "howard": it still matches
    assert ranked.index("hard") > max(ranked.index(f"howard/{i}") for i in range(8))


def test_brit_star_ranks_a_document_about_britain_above_one_naming_britannia_once(
    ix: CorpusIndex,
):
    ranked = _ranks(ix, "Brit*")
    assert "britannia" in ranked
    assert ranked.index("britannia") > max(ranked.index(f"britain/{i}") for i in range(8))


def test_a_fuzzy_words_terms_count_their_similarity_times_the_shared_idf(ix: CorpusIndex):
    searcher = ix.searcher()
    engine = QueryEngine(searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    match = engine.evaluate(Q.FuzzyTerm("body", "howard", maxdist=2))
    hard = searcher.document_number(id="hard")
    shared = searcher.idf("body", "howard")  # in eight documents, "hard" in one
    length = searcher.reader().doc_field_length(hard, "body")
    plain = bm25(shared, 1, length, searcher.avg_field_length("body"), RANKING.b, RANKING.k1)
    assert math.isclose(match.scores[hard], 0.5 * plain, rel_tol=1e-6)  # 1 - 2 edits / 4


def test_wildcards_and_fuzzy_terms_match_the_same_documents_as_the_words_they_stand_for(
    ix: CorpusIndex,
):
    words = ix.search("howard OR hard OR heard OR ward OR award", limit=100)
    assert set(_ranks(ix, "Howard~2")) == {h.id for h in words.hits}
    assert set(_ranks(ix, "Brit*")) == {h.id for h in ix.search("Britain OR Britannia").hits}


@pytest.mark.parametrize(
    ("typed", "word", "edits", "weight"),
    [
        ("howard", "howard", 0, 1.0),
        ("howard", "coward", 1, 1 - 1 / 6),
        ("howard", "hard", 2, 1 - 2 / 4),  # the shorter word's length
        ("blunket", "blunkett", 1, 1 - 1 / 7),
        ("ab", "b", 2, 0.1),  # never below 0.1: the match stays, as Whoosh finds it
    ],
)
def test_a_fuzzy_words_weight_is_one_minus_its_edits_over_the_shorter_length(
    typed: str, word: str, edits: int, weight: float
):
    assert fuzzy_similarity(typed, word, edits) == pytest.approx(weight)


def test_the_terms_of_an_expansion_share_the_idf_of_the_most_frequent(ix: CorpusIndex):
    searcher = ix.searcher()
    engine = QueryEngine(searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    q = Q.Prefix("body", "brit")
    expansion = engine.expansion(q)
    terms = {t.text: t for t in expansion.subqueries}
    assert set(terms) == {b"britain", b"britannia"}
    assert all(isinstance(t, ExpandedTerm) for t in terms.values())
    shared = min(searcher.idf("body", t) for t in terms)
    assert shared == searcher.idf("body", "britain")  # the more frequent term's
    avgfl = searcher.avg_field_length("body")
    match = engine.evaluate(q)
    reader = searcher.reader()
    for text in terms:
        for docnum, tf in reader.postings("body", text).items_as("weight"):
            length = reader.doc_field_length(docnum, "body")
            expected = bm25(shared, tf, length, avgfl, RANKING.b, RANKING.k1)
            assert math.isclose(match.scores[docnum], expected, rel_tol=1e-6)


def test_a_query_left_to_whoosh_scores_expansions_the_same_way(ix: CorpusIndex):
    # Whoosh runs the queries the engine cannot; ExpandedTerm's matcher gives it the same
    # blended scores.
    searcher = ix.searcher()
    engine = QueryEngine(searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    q = engine.expansion(Q.FuzzyTerm("body", "howard", maxdist=2))
    ours = engine.evaluate(q)
    for hit in searcher.search(q, limit=None):
        assert math.isclose(ours.scores[hit.docnum], hit.score, rel_tol=1e-9)


def test_whoosh_works_out_an_expansions_shared_idf_once_not_once_for_each_of_its_terms(
    ix: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    # Whoosh asks each term of an expansion for its matcher; each working out the idf of the
    # whole group made a wildcard of thousands of terms take n^2 look-ups (11 s, past the
    # query's time budget).
    searcher = ix.searcher()
    engine = QueryEngine(searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    q = engine.expansion(Q.Wildcard("body", "*a*"))
    terms = len(q.subqueries)
    assert terms > 20
    calls = 0
    counted = expansions._idf

    def counting(*args: object) -> float | None:
        nonlocal calls
        calls += 1
        return counted(*args)

    monkeypatch.setattr(expansions, "_idf", counting)
    segments = len(searcher.leaf_searchers())
    hits = searcher.search(q, limit=None)
    assert len(hits) == engine.evaluate(q).mask.sum()
    # its own idf each time Whoosh asks a term for its matcher (twice a term here), the
    # group's once: a few look-ups a term, where working the group out each time took 2n^2
    assert calls <= 3 * terms * segments


@given(
    typed=st.text(alphabet="abcdehor", min_size=1, max_size=9),
    word=st.text(alphabet="abcdehor", min_size=1, max_size=9),
)
def test_a_fuzzy_weight_is_one_for_the_typed_word_and_less_for_any_other(typed: str, word: str):
    weight = fuzzy_similarity(typed, word, osa_distance(typed, word))
    assert MIN_SIMILARITY <= weight <= 1.0
    assert (weight == 1.0) == (typed == word)



class _CountedText(str):
    """A term text that counts how often it is hashed."""

    hashed = 0

    def __hash__(self) -> int:
        _CountedText.hashed += 1
        return str.__hash__(self)


def test_an_expanded_term_is_copied_and_hashed_without_walking_its_group_again():
    """Whoosh deep-copies and hashes query trees as it normalises them: copying or hashing each
    term's group made an expansion of n terms cost n^2 (the fuzzed query `*?` took seconds)."""
    import copy

    group = tuple(_CountedText(f"word{i}") for i in range(100))
    term = ExpandedTerm("body", "word1", boost=0.5, group=group)
    twin = copy.deepcopy(term)
    assert twin == term and twin is not term and twin.boost == 0.5
    assert twin.group is term.group  # a deep copy of the texts would make a new tuple
    _CountedText.hashed = 0
    for _ in range(10):
        assert hash(twin) == hash(term)
    assert _CountedText.hashed == 0
    boosted = Q.Or([term, ExpandedTerm("body", "word2", group=group)], boost=2.0).normalize()
    assert all(sub.group is group for sub in boosted.children())
    assert term != ExpandedTerm("body", "word1", boost=0.5, group=group[:10])
