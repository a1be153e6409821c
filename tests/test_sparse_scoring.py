"""Specification of concept scoring's sparse evaluation: it ranks exactly as the dense one.

:meth:`QueryEngine.score_concepts` scores only the candidate documents (those holding a
strong or weak alternative of some concept), on arrays of their length. Here a plain dense
reference, one value per document of the index as the engine once computed it, scores
generated concepts (phrases, weak and rarity-only alternatives, verbatim forms, multi-word
terms with their words, quoted phrases, coverage) over small indexes of several segments with
deleted documents: the same documents match, with the same scores, tiers and direct flags.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as Q

from corpus_search import CorpusIndex
from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.ingest.model import Document
from corpus_search.search import engine as engine_module
from corpus_search.search.concepts import (
    Alternative,
    Concept,
    bm25_idf,
    concept_places,
    shares,
)
from corpus_search.search.engine import QueryEngine, engine_for
from corpus_search.search.ranking import RANKING

WORDS = [
    "budget", "tax", "labour", "election", "minister", "party", "vote", "campaign", "health",
    "school", "council", "reform", "crisis", "report", "inquiry", "leader", "policy", "benefit",
    "pension", "wales", "scotland", "europe", "trade", "deal",
]

FIELDS = RANKING.field_boosts(["title", "body"])


def _documents(n: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        # a narrow vocabulary per document, so that rare words stay rare
        vocab = rng.sample(WORDS, rng.randint(3, 12))
        title = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 4)))
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 40)))
        date = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(700))
        docs.append(Document(f"gen/{seed}/{i}", title.capitalize(), body, date, "BBC"))
    return docs


@pytest.fixture(scope="module", params=[11, 12])
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CorpusIndex]:
    """Two segments, some documents deleted."""
    seed = request.param
    ix = CorpusIndex(tmp_path_factory.mktemp(f"sparse-{seed}") / "ix")
    ix.add_documents(_documents(90, seed))
    writer = ix.whoosh_index.writer()
    for doc in _documents(60, seed + 100):
        writer.add_document(**ix.document_fields(doc))
    writer.commit(merge=False)
    ix.delete([f"gen/{seed}/{i}" for i in (0, 7, 30)])
    yield ix
    ix.close()


def _engine(ix: CorpusIndex) -> QueryEngine:
    """The index's engine, kept (and its files) only while its searcher is open."""
    return engine_for(ix.searcher(), RANKING.k1, RANKING.b, {"title": RANKING.title_b})


# -- the dense reference ---------------------------------------------------------------------


def _dense_bm25f(engine: QueryEngine, idf: float, tf: dict[str, np.ndarray]) -> np.ndarray:
    acc = np.zeros(engine.size)
    for name, boost in FIELDS:
        acc += boost * tf[name] / engine._length_norm(name)
    return idf * acc * (engine.k1 + 1) / (acc + engine.k1)


def _dense_written(engine: QueryEngine, forms: Sequence[Sequence[Sequence[str]]]) -> np.ndarray:
    mask = np.zeros(engine.size, dtype=bool)
    for form in forms:
        held = np.ones(engine.size, dtype=bool)
        for probes in form:
            word = np.zeros(engine.size, dtype=bool)
            for probe in probes:
                word[engine.term(WORDS_FIELD, probe).docs] = True
            held &= word
        mask |= held
    return mask


def _dense_concept(engine: QueryEngine, concept: Concept) -> tuple[tuple, float]:
    """One concept's (score, credit, strong) per document of the index, and its idf."""
    size, n_docs = engine.size, int(engine.live.sum())
    tf = {name: np.zeros(size) for name, _ in FIELDS}
    strong = np.zeros(size, dtype=bool)
    weak_score, credit = np.zeros(size), np.zeros(size)
    widened = np.zeros(size, dtype=bool)
    weak_docs = 0
    for alt in concept.alternatives:
        if alt.rarity_only:
            for name, _ in FIELDS:
                widened[engine._occurrences(name, alt)[0]] = True
            continue
        if alt.weak:
            alt_tf = {name: np.zeros(size) for name, _ in FIELDS}
            present = np.zeros(size, dtype=bool)
            for name, _ in FIELDS:
                docs, freq = engine._occurrences(name, alt)
                alt_tf[name][docs] = freq
                present[docs] = True
            if n := int(present.sum()):
                weak_score += alt.weight * _dense_bm25f(engine, bm25_idf(n_docs, n), alt_tf)
                credit[present] = np.maximum(credit[present], alt.weight)
                weak_docs = max(weak_docs, n)
            continue
        written = _dense_written(engine, alt.verbatim) if alt.verbatim else None
        for name, _ in FIELDS:
            docs, freq = engine._occurrences(name, alt)
            weight = alt.weight
            if written is not None:
                weight = np.where(written[docs], alt.weight, alt.others * alt.weight)
            tf[name][docs] = np.maximum(tf[name][docs], weight * freq)
            strong[docs] = True
    n = int(strong.sum())
    if not (n or weak_docs):
        return (np.zeros(size), credit, strong), 0.0
    idf = bm25_idf(n_docs, int((strong | widened).sum()) if n else weak_docs)
    score = _dense_bm25f(engine, idf, tf) if n else weak_score
    credit[strong] = 1.0
    return (np.maximum(score, weak_score), credit, strong), idf


def _dense_scores(engine: QueryEngine, concepts: list[Concept], coverage: float) -> dict:
    scored, idfs = [], []
    for concept in concepts:
        part, idf = _dense_concept(engine, concept)
        scored.append(part)
        idfs.append(idf)
    tier = engine._tiers(concepts, scored)
    parts = shares(concepts, idfs)
    total = np.zeros(engine.size)
    matched = np.zeros(engine.size, dtype=bool)
    direct = np.zeros(engine.size, dtype=bool)
    for (score, credit, strong), idf, share in zip(scored, idfs, parts, strict=True):
        if idf:
            total += share * score
            matched |= credit > 0
            direct |= strong
    if coverage:
        held, weight = np.zeros(engine.size), 0.0
        for members in concept_places(concepts, idfs):
            place = sum(parts[i] * idfs[i] for i in members)
            held += place * engine._place_credit(concepts, idfs, scored, members)
            weight += place
        if weight:
            total *= (held / weight) ** coverage
    docs = np.flatnonzero(matched)
    return {
        "docs": docs, "scores": total[docs], "idf": idfs, "shares": parts,
        "tier": None if tier is None else tier[docs],
        "direct": direct[docs] if (matched & ~direct).any() else None,
    }


# -- generated concepts ----------------------------------------------------------------------


#: terms as the analyzer indexes the words of WORDS (stems, lexicon terms), and one no
#: document holds
TERMS = [
    "benefit", "budget", "campaign", "council", "council_leader", "crisi", "deal", "elect",
    "europ", "health", "health_minister", "inquiri", "labour", "labour_party", "leader",
    "minist", "parti", "pension", "polici", "reform", "report", "school", "scotland", "tax",
    "trade", "vote", "wales", "absent",
]


@st.composite
def alternatives(draw: st.DrawFn) -> Alternative:
    slots = tuple(
        tuple(draw(st.lists(st.sampled_from(TERMS), min_size=1, max_size=2, unique=True)))
        for _ in range(draw(st.integers(1, 2)))
    )
    kind = draw(st.sampled_from(["strong", "strong", "weak", "rarity_only"]))
    weight = draw(st.sampled_from([1.0, 0.8, 0.5]))
    verbatim: tuple = ()
    if kind == "strong" and draw(st.booleans()):
        verbatim = tuple(
            tuple((w,) for w in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2)))
            for _ in range(draw(st.integers(1, 2)))
        )
    return Alternative(
        slots, weight, weak=kind == "weak", rarity_only=kind == "rarity_only",
        verbatim=verbatim, others=draw(st.sampled_from([1.0, 0.3])),
    )


@st.composite
def concept_lists(draw: st.DrawFn) -> list[Concept]:
    def alts() -> tuple[Alternative, ...]:
        return tuple(draw(st.lists(alternatives(), min_size=1, max_size=3)))

    concepts = []
    if draw(st.booleans()):  # a multi-word term or quoted phrase and its words
        quoted = draw(st.booleans())
        whole = draw(st.sampled_from([0.5, 0.7]))
        concepts.append(Concept(alts(), "g", part_of="g", weight=whole, first=quoted))
        for i in range(draw(st.integers(1, 2))):
            concepts.append(
                Concept(alts(), f"w{i}", part_of="g", weight=(1 - whole) / 2, together=quoted)
            )
    for i in range(draw(st.integers(0 if concepts else 1, 3))):
        concepts.append(Concept(alts(), f"c{i}"))
    return concepts


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(concepts=concept_lists(), coverage=st.sampled_from([0.0, 0.5, 1.0, 2.0]))
def test_sparse_concept_scores_equal_the_dense_reference(
    index: CorpusIndex, concepts: list[Concept], coverage: float
):
    engine = _engine(index)
    sparse = engine.score_concepts(concepts, FIELDS, coverage)
    dense = _dense_scores(engine, concepts, coverage)
    assert sparse.match.docs.tolist() == dense["docs"].tolist()
    np.testing.assert_allclose(sparse.match.scores, dense["scores"], rtol=1e-12, atol=0)
    assert sparse.idf == dense["idf"]
    assert sparse.shares == dense["shares"]
    for name in ("tier", "direct"):
        mine, theirs = getattr(sparse, name), dense[name]
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            assert mine.tolist() == theirs.tolist(), name


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(concepts=concept_lists(), coverage=st.sampled_from([0.0, 1.0]), first=st.integers(0, 3))
def test_concept_scores_kept_from_another_query_score_as_the_dense_reference(
    index: CorpusIndex, concepts: list[Concept], coverage: float, first: int
):
    # the engine keeps each concept's scores on its own documents; a query asking for it again
    # spreads them over its own candidates, and changes (the words of a quoted phrase) stay
    # its own
    engine = _engine(index)
    engine.score_concepts(concepts[first:first + 1], FIELDS, coverage)
    dense = _dense_scores(engine, concepts, coverage)
    for _ in range(2):
        kept = engine.score_concepts(concepts, FIELDS, coverage)
        assert kept.match.docs.tolist() == dense["docs"].tolist()
        np.testing.assert_allclose(kept.match.scores, dense["scores"], rtol=1e-12, atol=0)
        assert kept.idf == dense["idf"]
        for name in ("tier", "direct"):
            mine, theirs = getattr(kept, name), dense[name]
            assert (mine is None) == (theirs is None), name
            if mine is not None:
                assert mine.tolist() == theirs.tolist(), name


def test_an_engine_keeping_no_concepts_scores_and_ranks_as_one_keeping_them(
    index: CorpusIndex,
):
    searcher = index.searcher()
    keeping = _engine(index)
    forgetting = QueryEngine(
        searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b}, concept_cache_bytes=0
    )
    words = [Concept((Alternative.term(t),), t) for t in ("tax", "budget", "vote", "parti")]
    phrase = Concept((Alternative((("labour",), ("parti",))),), "labour party")
    # a quoted phrase: its words match only together (the scores kept for the query asked
    # first are cleared for the second asking's documents lacking one, never in place)
    quoted = [Concept((Alternative((("labour",), ("parti",))),), "labour party",
                      "labour party", first=True)] + [
        Concept((Alternative.term(t),), t, "labour party", 0.5, together=True)
        for t in ("labour", "parti")]
    for concepts in (words, [phrase, *words[:2]], words[::-1], [*quoted, words[0]]):
        for _ in range(3):  # (the first asking makes what the others find kept)
            a = keeping.score_concepts(concepts, FIELDS, 0.25)
            b = forgetting.score_concepts(concepts, FIELDS, 0.25)
            assert a.match.docs.tolist() == b.match.docs.tolist()
            assert a.match.scores.tolist() == b.match.scores.tolist()
            docs = a.match.docs[:50]
            assert keeping.proximity(concepts, a.idf, docs, [("body", 1.0)], 4).tolist() == (
                forgetting.proximity(concepts, b.idf, docs, [("body", 1.0)], 4).tolist()
            )


# -- only the documents that can reach the best asked for ------------------------------------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    concepts=concept_lists(),
    coverage=st.sampled_from([0.0, 0.25, 1.0, 2.0]),
    depth=st.sampled_from([1, 3, 10, 40]),
)
def test_the_best_documents_scored_alone_rank_as_when_every_match_is_scored(
    index: CorpusIndex, concepts: list[Concept], coverage: float, depth: int
):
    engine = _engine(index)
    every = engine.score_concepts(concepts, FIELDS, coverage)
    best = engine.score_concepts(concepts, FIELDS, coverage, depth=depth)
    docs, scores = engine.top(best.match, depth)
    want_docs, want_scores = engine.top(every.match, depth)
    assert docs.tolist() == want_docs.tolist()
    np.testing.assert_allclose(scores, want_scores, rtol=1e-12, atol=0)
    assert best.all_docs().tolist() == every.match.docs.tolist()
    assert best.related_only() == every.related_only()
    assert best.idf == every.idf and best.shares == every.shares


@settings(max_examples=200, deadline=None)
@given(
    lists=st.lists(st.sets(st.integers(0, 299), max_size=300), min_size=1, max_size=5),
    size=st.sampled_from([300, 1_000_000]),
)
def test_the_documents_holding_every_concept_are_found_alike_by_searching_and_by_counting(
    lists: list[set[int]], size: int
):
    # a few documents in a large index are searched for, many are counted per document
    arrays = [np.array(sorted(docs), dtype=np.int32) for docs in lists]
    want = sorted(set.intersection(*lists))
    assert engine_module._common(arrays, size).tolist() == want


def _skewed_index(path: Path) -> CorpusIndex:
    """Every document says tax; one in twenty also says budget, some of them often."""
    ix = CorpusIndex(path)
    docs = []
    for i in range(400):
        budget = "budget " * (1 + i % 4) if i % 20 == 0 else ""
        body = "tax " * (1 + i % 5) + "report " * (i % 3) + budget
        docs.append(Document(f"skew/{i}", "Notes", body, dt.date(2005, 1, 1), "BBC"))
    ix.add_documents(docs)
    return ix


def test_a_query_with_a_rare_word_scores_only_documents_that_can_reach_the_page(
    tmp_path: Path,
):
    # a document with tax alone scores below the tenth of those with budget too, so those
    # are the only ones scored; the count is still every match
    ix = _skewed_index(tmp_path / "ix")
    engine = _engine(ix)
    concepts = [Concept((Alternative.term(t),), t) for t in ("tax", "budget")]
    every = engine.score_concepts(concepts, FIELDS, 0.25)
    best = engine.score_concepts(concepts, FIELDS, 0.25, depth=10)
    assert len(every.match.docs) == 400
    assert len(best.match.docs) == 20
    assert len(best.all_docs()) == 400
    assert engine.top(best.match, 10)[0].tolist() == engine.top(every.match, 10)[0].tolist()
    ix.close()


def test_a_search_pages_counts_and_facets_as_when_every_match_is_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    ix = _skewed_index(tmp_path / "ix")

    def page(n: int) -> tuple:
        r = ix.search("tax budget", limit=10, page=n, highlight=False)
        return [h.id for h in r.hits], [h.score for h in r.hits], r.total, r.facets

    pruned = [page(1), page(3)]
    monkeypatch.setattr(QueryEngine, "_pruned", lambda *args: None)
    ix.close()
    ix = CorpusIndex.open(tmp_path / "ix")
    assert [page(1), page(3)] == pruned
    assert pruned[0][2] == 400
    ix.close()


# -- the proximity bonus, against positions read one by one ----------------------------------


def _positions(index: CorpusIndex, term: str) -> dict[int, set[int]]:
    """Each live document's positions of ``term`` in the body, from Whoosh's own matcher."""
    reader = index.searcher().reader()
    found: dict[int, set[int]] = {}
    if ("body", term) not in reader:
        return found
    m = reader.postings("body", term)
    while m.is_active():
        if not reader.is_deleted(m.id()):
            found[m.id()] = set(m.value_as("positions"))
        m.next()
    return found


def _concept_positions(index: CorpusIndex, concept: Concept, doc: int) -> set[int]:
    """Where ``concept``'s strong alternatives stand in ``doc``: a term at its position, a
    phrase (consecutive slots) at its last word's."""
    found: set[int] = set()
    for alt in concept.alternatives:
        if alt.weak or alt.rarity_only:
            continue
        slots = [
            set().union(*(_positions(index, t).get(doc, set()) for t in slot))
            for slot in alt.slots
        ]
        last = len(slots) - 1
        found |= {
            p for p in slots[-1] if all(p - (last - k) in slots[k] for k in range(last))
        }
    return found


def _reference_proximity(
    index: CorpusIndex, concepts: list[Concept], idf: list[float], docs: list[int], window: int
) -> list[float]:
    part, k1 = shares(concepts, idf), RANKING.k1
    live = [i for i, value in enumerate(idf) if value > 0]

    def closeness(a: set[int], b: set[int]) -> float:
        dists = [max(min(abs(p - q) for q in b), 1) for p in a] if b else []
        return sum(1 / d**0.5 for d in dists if d <= window)

    bonus = []
    for doc in docs:
        at = {i: _concept_positions(index, concepts[i], doc) for i in live}
        total = 0.0
        for n, a in enumerate(live):
            for b in live[n + 1:]:
                acc = (closeness(at[a], at[b]) + closeness(at[b], at[a])) / 2
                weight = min(idf[a], idf[b]) * part[a] * part[b]
                total += weight * acc * (k1 + 1) / (acc + k1)
        bonus.append(total)
    return bonus


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    concepts=concept_lists(),
    picks=st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=30), min_size=1,
                   max_size=3),
    window=st.sampled_from([1, 4, 99]),
)
def test_the_proximity_bonus_is_that_of_the_positions_pair_by_pair(
    index: CorpusIndex, concepts: list[Concept], picks: list[list[int]], window: int
):
    # every pair of concepts is scored at once, from position keys kept per concept: each
    # set of documents (in any order) gets what each pair's positions give it
    engine = _engine(index)
    idf = engine.score_concepts(concepts, FIELDS).idf
    for pick in picks:
        docs = list(dict.fromkeys(d % engine.size for d in pick))
        bonus = engine.proximity(concepts, idf, np.array(docs), [("body", 1.0)], window)
        expected = _reference_proximity(index, concepts, idf, docs, window)
        np.testing.assert_allclose(bonus, expected, rtol=1e-12, atol=1e-300)


def test_the_bonus_for_a_few_documents_decodes_their_positions_alone(index: CorpusIndex):
    # decoding a frequent word's positions in every document took seconds on a million
    # documents, for a bonus that re-ranks at most a hundred of them
    engine = QueryEngine(index.searcher(), RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    concepts = [Concept((Alternative.term(t),), t) for t in ("tax", "budget", "vote")]
    idf = engine.score_concepts(concepts, FIELDS).idf
    docs = engine.term("body", "tax").docs[:3]
    bonus = engine.proximity(concepts, idf, docs, [("body", 1.0)], 4)
    assert [engine.term("body", t).positions for t in ("tax", "budget", "vote")] == [None] * 3
    expected = _reference_proximity(index, concepts, idf, docs.tolist(), 4)
    np.testing.assert_allclose(bonus, expected, rtol=1e-12, atol=1e-300)


def test_a_few_documents_positions_are_those_of_the_whole_postings_list(tmp_path: Path):
    # a word in every document spans several posting blocks per segment; the positions of a
    # few documents come from the blocks holding them alone, and are the ones all give
    rng = random.Random(5)
    ix = CorpusIndex(tmp_path / "ix")
    docs = [
        Document(f"d/{i}", "Tax", " ".join(rng.choice(["tax", "vote", "poll"]) for _ in
                                            range(rng.randint(3, 30))), None, "BBC")
        for i in range(700)
    ]
    ix.add_documents(docs[:400])
    writer = ix.whoosh_index.writer()
    for doc in docs[400:]:
        writer.add_document(**ix.document_fields(doc))
    writer.commit(merge=False)
    ix.delete([f"d/{i}" for i in (3, 150, 401, 650)])
    reading = QueryEngine(ix.searcher(), RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    whole = QueryEngine(ix.searcher(), RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    term = whole.term("body", "tax")
    whole.positions("body", term)  # decoded in full: _keys reads those
    for n in (1, 5, 40):
        cands = np.sort(rng.sample(term.docs.tolist(), n)).astype(np.int32)
        few = reading._keys("body", reading.term("body", "tax"), cands)
        assert few.tolist() == whole._keys("body", term, cands).tolist()
    assert reading.term("body", "tax").positions is None
    ix.close()


def test_the_engine_lexicon_is_whooshs(index: CorpusIndex):
    # read from each segment's term dictionary at once, for spelling and wildcards
    engine = _engine(index)
    for fieldname in ("body", "title", WORDS_FIELD, "id"):
        assert engine.lexicon(fieldname) == list(engine.reader.lexicon(fieldname))
    assert engine.lexicon("no such field") == []


def test_the_generated_terms_are_those_the_index_holds(index: CorpusIndex):
    engine = _engine(index)
    # the reference is only a check where the concepts match something
    held = [t for t in TERMS if len(engine.term("body", t))]
    assert len(held) >= len(TERMS) - 5, held
    assert all(len(engine.term(WORDS_FIELD, w)) for w in WORDS)


def test_a_sparse_match_is_the_dense_one_it_stands_for(tmp_path: Path):
    ix = CorpusIndex(tmp_path / "ix")
    ix.add_documents(_documents(20, 5))
    match = _engine(ix).score_concepts([Concept((Alternative.term("tax"),), "tax")], FIELDS).match
    assert len(match.docs)
    dense = match.dense()
    assert np.flatnonzero(dense.mask).tolist() == match.docs.tolist()
    assert dense.scores[match.docs].tolist() == match.scores.tolist()
    again = dense.sparse()
    assert again.docs.tolist() == match.docs.tolist()
    assert again.scores.tolist() == match.scores.tolist()
    ix.close()


def filter_trees() -> st.SearchStrategy[Q.Query]:
    day = st.dates(dt.date(2003, 12, 1), dt.date(2006, 1, 31)).map(
        lambda d: dt.datetime.combine(d, dt.time.min)
    )
    leaves = st.one_of(
        st.sampled_from(TERMS).map(lambda t: Q.Term("body", t)),
        st.sampled_from(["BBC", "bbc", "Guardian"]).map(lambda s: Q.Term("source", s)),
        st.tuples(st.none() | day, st.none() | day).map(lambda r: Q.DateRange("date", *r)),
        st.just(Q.Every()),
    )
    return st.recursive(
        leaves,
        lambda sub: st.one_of(
            st.lists(sub, min_size=1, max_size=3).map(Q.And),
            st.lists(sub, min_size=1, max_size=3).map(Q.Or),
            sub.map(Q.Not),
            sub.map(lambda q: Q.ConstantScoreQuery(q, 2.0)),
        ),
        max_leaves=6,
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=filter_trees(), picks=st.lists(st.integers(0, 10_000), max_size=60))
def test_a_filter_over_some_documents_is_the_filter_over_all_at_those(
    index: CorpusIndex, q: Q.Query, picks: list[int]
):
    engine = _engine(index)
    docs = np.unique(np.array(picks, dtype=np.int64) % engine.size).astype(np.int32)
    assert engine.docs_among(q, docs).tolist() == engine.docs(q)[docs].tolist()


def test_a_query_asked_again_after_an_update_ranks_as_on_an_index_built_with_it(tmp_path: Path):
    # a query's candidates, spread scores and position keys are kept per searcher: the
    # searcher after a commit keeps none of the old ones, so the new document is found and
    # every score is the one an index built with it from the start gives
    rng = random.Random(11)
    words = ["tax", "budget", "vote", "poll", "labour", "party", "spending", "cuts"]
    docs = [Document(f"u/{i}", "Notes", " ".join(rng.choice(words) for _ in range(40)))
            for i in range(30)]
    docs.append(Document("u/new", "Tax budget", "The tax budget vote: tax budget vote."))
    updated = CorpusIndex(tmp_path / "updated")
    updated.add_documents(docs[:-1])
    for _ in range(2):
        before = updated.search("tax budget vote", limit=50, highlight=False)
    assert "u/new" not in [h.id for h in before.hits]
    updated.add_documents(docs[-1:])
    built = CorpusIndex(tmp_path / "built")
    built.add_documents(docs)
    got = updated.search("tax budget vote", limit=50, highlight=False)
    expected = built.search("tax budget vote", limit=50, highlight=False)
    assert "u/new" in [h.id for h in got.hits]
    assert [h.id for h in got.hits] == [h.id for h in expected.hits]
    np.testing.assert_allclose([h.score for h in got.hits], [h.score for h in expected.hits],
                               rtol=1e-12)
