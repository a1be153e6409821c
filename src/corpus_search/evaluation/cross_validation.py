"""Cross-validation of corpus_search's ranking parameters on one judged collection.

:func:`cross_validate` chooses corpus_search's query-time ranking parameters
(:class:`~corpus_search.search.ranking.Ranking`) by a grid search scored by k-fold
cross-validation: the index is built once, every point of the grid is run on every topic, and
each topic's held-out value is the one it gets with the point that is best on the other folds.
The held-out mean is the honest estimate of the ranking on unseen topics; the in-sample mean
(the point best on all topics, which is what ``Ranking``'s defaults should be) is optimistic.
The held-out mean of 20 further splits into folds (repeated k-fold cross-validation) shows how
much of it is the split's.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from corpus_search.evaluation.collection import Progress, Qrels, Topic
from corpus_search.evaluation.engines import CorpusSearchEngine
from corpus_search.evaluation.scoring import average, parse_measures, ranking_depth, score_runs

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document
    from corpus_search.search.ranking import Ranking


__all__ = [
    "ABLATIONS",
    "DEFAULT_GRID",
    "CrossValidation",
    "cross_validate",
    "stratified_folds",
]


#: The grid :func:`cross_validate` searches:
#: :class:`~corpus_search.search.ranking.Ranking` fields and
#: the values tried (all query-time: the index is built once). Coverage and proximity stay
#: positive: documents holding more of the query's concepts, and concepts standing together,
#: must rank higher (issue 9), so the grid only sets how much; :data:`ABLATIONS` measures what
#: they cost or bring. ``title_b``, ``proximity_slop`` and ``surface_weight`` are left out:
#: varied alone around the chosen point they moved the public mean by at most 0.002. 648
#: points; on the public collection (36 topics, 2,230 documents) the run takes about a minute.
#: Tried at the chosen point and dropped, as none raised both the public and the dev mean: a
#: coverage exponent growing with the number of places, an unsaturated title bonus, a
#: multi-word term's place held only by all its words, flatter place weights (idf ** 0.5,
#: uniform), adjacency-only proximity (slop 1, boost up to 0.5), a searched spelling correction
#: weighted 0.6 (the correction is now searched as the corrected query typed).
#: Tried later (issue 9, in-sample public / dev nDCG@10 from 0.879 / 0.888) and dropped:
#: filling a quoted phrase's short list (under a page) with documents holding some of its
#: words (both unchanged: "marginal seats" has 9 matches and the 10th place went to a sports
#: story on a "victory margin"; only that topic's R@100 rose, 0.50 -> 1.00); a tier for
#: documents holding a phrase's words within 4 positions, between the phrase and the words
#: apart (both unchanged: the proximity bonus already ranks those first); every concept held
#: ranked first (0.870 / 0.886); duplicate articles shown once (0.872 / 0.860: the judges
#: grade both copies); a two-word name's whole as a phrase concept sharing its place (dev
#: propernoun 0.938 -> 0.920 at a share of 0.25: texts write "Mr Straw" after the first
#: mention); a name's words counted in full only where written capitalised (public +0.0003,
#: dev unchanged); proximity in titles too (within 0.001); a bonus for each concept in the
#: body's first 30 or 50 positions, the lead (public 0.871-0.877, dev synonym down to 0.759);
#: documents naming a party raised 5-40% (public at most +0.0004, a dev category
#: down by up to 0.034); ``b`` 0.35 and ``k1`` 3 in the grid (held-out 0.874 -> 0.875, dev
#: synonym -0.009); re-ranking the top 100 towards the
#: top five's terms (pseudo-relevance feedback: public +0.003, dev +0.01 but dev topic or
#: hyphen down by 0.05, and a ranking no reader can explain). The topics still lost (C12,
#: C20, the dev party topics) are lost to documents that name every concept but are judged
#: off the need, and to relevant ones in other words ("step down", "Mr Cable", a "Labour
#: donor"): no ranking rule of these words reaches them. Tried on 2026-12-04 (held-out /
#: dev from 0.874 / 0.889) and dropped: ``surface_weight`` 0.3 beside 0.1 in the grid
#: (chosen; 0.872 / 0.871); BM25+'s lower bound on a held concept's saturated frequency
#: (Lv and Zhai 2011), delta 0.5 and 1 (0.872 / 0.873, 0.868 / 0.872); ``proximity_slop`` 10
#: and ``title_b`` 0.9 beside the defaults (never chosen). Tried on 2026-12-05 (held-out /
#: in-sample / dev from 0.874 / 0.879 / 0.888) and dropped: ``title_b`` 0 (0.876 / 0.880 /
#: 0.885, dev party 0.636 -> 0.606), 0.25 or 0.75 (0.874, 0.875 held-out), or 0 and 0.5 in the
#: grid (0.875); coverage places weighted by idf ** 1.5 or idf ** 2 (0.874 / 0.878, 0.865 /
#: 0.878); the proximity bonus only between neighbouring places of the query (unchanged); a
#: name's place held by the square of its words' share (in-sample 0.879); a quoted phrase's
#: own words, in order, ranked above its other lexicon forms (public unchanged: "marginal
#: seats" swaps two documents judged 0; dev phrase 0.922 -> 0.911); the top 100 re-ranked
#: towards documents holding the concepts the lexicon's [context] lines file with the
#: query's (in-sample 0.875: "tuition fees" 0.928 -> 0.830).
#: Tried later on 2026-12-05 (held-out / in-sample from 0.8773 / 0.8823): the proximity
#: window one sentence (99) with closeness 1 / sqrt(d) kept (0.8796 / 0.8829; chosen on these
#: figures, so the held-out mean is a little optimistic); with 1 / d (in-sample 0.8820), flat
#: (0.8798), or 1 / sqrt(d) within 4 or 10 (0.8818) dropped. With 1 / d ** 2 and dropped:
#: proximity only between different places of the query (0.8775 / 0.8826; with the sentence
#: window in-sample unchanged), weak alternatives' positions counted (A13 0.575 -> 0.517),
#: pairs weighted by the geometric mean of their idfs (0.8772 / 0.8824), saturation constant
#: 1 instead of ``k1`` (0.8776 / 0.8827), Rasolofo and Savoy's length-normalised
#: saturation (in-sample 0.8819), ``proximity_boost`` 0.5 or 1 (in-sample 0.881, 0.880).
#: Tried on 2026-12-05 (rank20; held-out / in-sample / dev from 0.8796 / 0.8829 / 0.889) and
#: dropped. Other rules for a fold's choice, each applied to every fold and to the shipped
#: point, chosen after seeing fold 2 pick title boost 8 for C12 (held-out over 20 other fold
#: seeds in brackets; the best-mean rule's is 0.8810): a point scored by the mean over itself
#: and its grid neighbours, one step in one field (0.8769 / 0.8804 / 0.888 [0.8741]), or by
#: their minimum (0.8777 / 0.8786 / 0.882 [0.8753]); the one-standard-error rule (Hastie et
#: al., ESL 7.10), the points within one paired standard error of the best taken with the
#: least coverage plus proximity as the simplest (0.8773 / 0.8804 / 0.880 [0.8726]). Ranking:
#: a concept's frequency counting each mention once, at its heaviest form's weight (the typed
#: word's, plus ``expansion_weight`` times the concept's other mentions, the forms' mentions
#: taken as nested) instead of the largest form's (0.8787 / 0.8829 / 0.888, dev party 0.651
#: -> 0.643); a place's coverage credit its saturated frequency, so a passing mention holds a
#: third of it (0.8729 / 0.8806 / 0.869). The estimate's own spread: over 100 random stratified
#: 6-fold splits of the same grid values the held-out mean is 0.8811 (sd 0.0025, 0.8722 to
#: 0.8829; 64 of 100 at 0.88 or above), leave-one-out 0.8829, so seed 2005's 0.8796 is a low
#: draw and a difference of a few thousandths between variants is no evidence: the report now
#: prints the spread over 20 further splits (``CrossValidation.repeated``), added after
#: seeing these figures; the target is still checked on seed 2005's split. C20's relevant
#: documents the phrase misses (politics/213, 335, 416) never write "marginal": only "seats"
#: reaches them, which a quoted phrase rightly does not rank first.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {
    "title_boost": (2.0, 4.0, 8.0),
    "k1": (1.2, 2.0),
    "b": (0.5, 0.75),
    "coverage": (0.1, 0.25, 0.5),
    "proximity_boost": (0.05, 0.1, 0.25),
    "term_share": (0.25, 0.5, 0.75),
    "expansion_weight": (0.6, 1.0),
}


#: Variants of the chosen point run in-sample by :func:`cross_validate`: label -> overrides.
ABLATIONS: dict[str, dict[str, float]] = {
    "no coverage": {"coverage": 0.0},
    "no proximity": {"proximity_boost": 0.0},
    "neither": {"coverage": 0.0, "proximity_boost": 0.0},
}


@dataclass
class CrossValidation:
    """k-fold cross-validation of corpus_search's ranking parameters on one topic set.

    ``held_out`` holds each topic's value under the grid point chosen without its fold;
    ``in_sample`` under the point chosen on all topics (``chosen``); ``baseline`` under the
    ranking the run started from (by default the shipped ``RANKING``); ``ablations`` under
    variants of the chosen point (:data:`ABLATIONS`); ``repeated`` the held-out means of
    further splits of the topics into folds. Values are of ``measure``.
    """

    measure: str
    grid: dict[str, tuple[float, ...]]
    seed: int
    folds: list[list[str]]
    categories: dict[str, str]
    fold_choices: list[dict[str, float]]
    chosen: dict[str, float]
    held_out: dict[str, float]
    in_sample: dict[str, float]
    baseline: dict[str, float]
    ablations: dict[str, dict[str, float]] = field(default_factory=dict)
    #: the held-out means of further splits (seeds after ``seed``), the same grid values
    repeated: list[float] = field(default_factory=list)

    def mean(self, values: dict[str, float], category: str | None = None) -> float:
        """Mean of ``values`` over all topics, or over one category's."""
        return average(v for q, v in values.items() if category in (None, self.categories[q]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "grid": {k: list(v) for k, v in self.grid.items()},
            "seed": self.seed,
            "folds": self.folds,
            "fold_choices": self.fold_choices,
            "chosen": self.chosen,
            "held_out": self.held_out,
            "in_sample": self.in_sample,
            "baseline": self.baseline,
            "ablations": self.ablations,
            "repeated": self.repeated,
            "mean": {
                "held_out": self.mean(self.held_out),
                "in_sample": self.mean(self.in_sample),
                "baseline": self.mean(self.baseline),
                **{label: self.mean(v) for label, v in self.ablations.items()},
            },
        }


def stratified_folds(topics: Sequence[Topic], k: int, seed: int) -> list[list[str]]:
    """``k`` folds of topic ids, each category's topics shuffled (seeded) and dealt in turn,
    continuing across categories, so every fold has a share of each category."""
    rng = random.Random(seed)
    folds: list[list[str]] = [[] for _ in range(k)]
    turn = 0
    categories = dict.fromkeys(t.category for t in topics)
    for category in categories:
        qids = [t.qid for t in topics if t.category == category]
        rng.shuffle(qids)
        for qid in qids:
            folds[turn % k].append(qid)
            turn += 1
    return [f for f in folds if f]


def cross_validate(
    documents: Sequence[Document],
    topics: Sequence[Topic],
    qrels: Qrels,
    grid: dict[str, Sequence[float]] | None = None,
    folds: int = 6,
    seed: int = 2005,
    measure: str = "nDCG@10",
    base: Ranking | None = None,
    progress: Progress | None = None,
    ablations: dict[str, dict[str, float]] | None = None,
    repeats: int = 20,
) -> CrossValidation:
    """Choose corpus_search's ranking parameters by grid search and k-fold cross-validation.

    ``documents`` are indexed once; each point of ``grid`` (``Ranking`` field -> values, every
    combination tried, other fields as in ``base``, by default the shipped ``RANKING``) is run
    on every judged topic. Folds are stratified by category (:func:`stratified_folds`, fixed
    ``seed``). For each fold the point with the best mean ``measure`` on the other folds is
    chosen, ties going to the earliest point in grid order, and the fold's topics are scored
    with it: the held-out values. The point best on all topics gives the in-sample values;
    ``ablations`` (default :data:`ABLATIONS`) are run at that point too. The held-out mean
    is also taken over ``repeats`` further splits (seeds ``seed + 1`` on, from the same
    values: no search more), as repeated k-fold cross-validation does: one split's mean
    moves with the split alone by more than many a change it is asked to judge.
    """
    from corpus_search.search.ranking import RANKING

    base = base or RANKING
    grid = {name: tuple(values) for name, values in (grid or DEFAULT_GRID).items()}
    say = progress or (lambda message: None)
    parsed = parse_measures([measure])
    depth = ranking_depth(parsed)
    judged = [t for t in topics if any(g > 0 for g in qrels.get(t.qid, {}).values())]
    names = list(grid)
    points = [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]

    def run(engine: CorpusSearchEngine, ranking: Ranking) -> dict[str, float]:
        engine.ranking = ranking
        runs = {t.qid: engine.search(t.query, depth) for t in judged}
        scores = score_runs(runs, qrels, judged, parsed)
        return {qid: values[str(parsed[0])] for qid, values in scores.items()}

    engine = CorpusSearchEngine()
    try:
        say(f"cross-validation: indexing {len(documents)} documents")
        engine.build(documents)
        baseline = run(engine, base)
        values = []
        for n, point in enumerate(points, start=1):
            if n % 20 == 1:
                say(f"cross-validation: grid point {n} of {len(points)}")
            values.append(run(engine, dataclasses.replace(base, **point)))

        fold_ids = stratified_folds(judged, folds, seed)
        held_out, picks = _held_out(values, judged, fold_ids)
        choices = [points[pick] for pick in picks]
        repeated = [
            average(_held_out(values, judged, stratified_folds(judged, folds, other))[0].values())
            for other in range(seed + 1, seed + 1 + repeats)
        ]
        chosen = _best(values, [t.qid for t in judged])
        variants = {
            label: run(engine, dataclasses.replace(base, **{**points[chosen], **overrides}))
            for label, overrides in (ABLATIONS if ablations is None else ablations).items()
        }
    finally:
        engine.close()
    return CrossValidation(
        measure=str(parsed[0]),
        grid=grid,
        seed=seed,
        folds=fold_ids,
        categories={t.qid: t.category for t in judged},
        fold_choices=choices,
        chosen=points[chosen],
        held_out={t.qid: held_out[t.qid] for t in judged},
        in_sample=values[chosen],
        baseline=baseline,
        ablations=variants,
        repeated=repeated,
    )


def _best(values: Sequence[dict[str, float]], qids: Sequence[str]) -> int:
    """The grid point (index into ``values``) with the best mean over ``qids``, ties going
    to the earliest."""
    means = [sum(v[q] for q in qids) / len(qids) for v in values]
    return max(range(len(values)), key=lambda i: (means[i], -i))


def _held_out(
    values: Sequence[dict[str, float]], judged: Sequence[Topic], fold_ids: list[list[str]]
) -> tuple[dict[str, float], list[int]]:
    """Each topic's value under the point best on the other folds, and each fold's point."""
    held_out: dict[str, float] = {}
    picks = []
    for fold in fold_ids:
        pick = _best(values, [t.qid for t in judged if t.qid not in fold])
        picks.append(pick)
        held_out.update({qid: values[pick][qid] for qid in fold})
    return held_out, picks
