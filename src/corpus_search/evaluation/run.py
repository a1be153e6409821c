"""Relevance evaluation of corpus_search and the comparison engines on one judged collection.

:func:`evaluate` reads the documents of one or more corpus folders once (through
:mod:`corpus_search.ingest`), indexes the same list with every engine, runs every topic's raw
query and scores the rankings against TREC qrels with ``ir-measures``: nDCG@10, RR@10 (MRR@10
as a mean) and R@100 by default, per topic, overall and per topic category.

Inputs
    *Topics* (:func:`load_topics`): a tab-separated file, one topic a line: ``qid``, ``query``
    (as a user types it), ``category``, ``narrative``; category and narrative may be absent. A
    first line whose first field is ``qid`` is a header; blank lines and ``#`` lines are skipped.
    *Qrels* (:func:`load_qrels`): TREC format, ``qid 0 docid grade``; grade >= 1 is relevant.

Document ids (:func:`load_corpus`)
    Each document's id is its id relative to the corpus folder it came from (``politics/001``
    for ``bbc/politics/001.txt``). With several folders, a folder's ids are prefixed with
    ``<folder name>/`` when more of the prefixed ids than the bare ids occur in the qrels (so
    ``../seeds`` gives ``seeds/000_...``); otherwise they are left bare. Write ``PREFIX=DIR`` to
    choose the prefix yourself (``=DIR`` for none). Two documents with the same final id keep the
    first and add a note. As in ``CorpusIndex.index_directory``, lines repeated across a
    folder's documents (``find_boilerplate``) are stripped from bodies before indexing.

Scoring
    Topics without any relevant judged document are left out (and named in the notes). A topic
    an engine returns nothing for scores 0. Rankings are passed to ``ir-measures`` with strictly
    decreasing scores, so ties never reorder them. Means are plain averages over topics.

Cross-validation (:func:`cross_validate`)
    corpus_search's query-time ranking parameters
    (:class:`~corpus_search.search.ranking.Ranking`) are chosen by a grid search scored by
    k-fold cross-validation: the index is built once, every
    point of the grid is run on every topic, and each topic's held-out value is the one it gets
    with the point that is best on the other folds. The held-out mean is the honest estimate of
    the ranking on unseen topics; the in-sample mean (the point best on all topics, which is
    what ``Ranking``'s defaults should be) is optimistic. The held-out mean of 20 further
    splits into folds (repeated k-fold cross-validation) shows how much of it is the split's.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.evaluation.collection import (
    Progress,
    Qrels,
    Topic,
    load_corpus,
    load_qrels,
    load_topics,
)
from corpus_search.evaluation.engines import (
    CorpusSearchEngine,
    Engine,
    EngineUnavailableError,
    comparison_engine_names,
    make_engine,
)
from corpus_search.evaluation.measures import ir_measures
from corpus_search.terminal import counted

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document
    from corpus_search.search.ranking import Ranking


__all__ = [
    "ABLATIONS",
    "DEFAULT_GRID",
    "DEFAULT_MEASURES",
    "OURS",
    "SCHEMA",
    "CrossValidation",
    "EvaluationReport",
    "WorstQuery",
    "cross_validate",
    "evaluate",
    "evaluate_documents",
]


#: the report's command needs its collection, so the test of the docs' examples leaves it out
NOT_IN_DOCS_TEST = (
    "<!-- docs-test: skip: regenerates this report from its judged collection (../shared) -->"
)


OURS = "corpus_search"


DEFAULT_MEASURES: tuple[str, ...] = ("nDCG@10", "RR@10", "R@100")


#: the party facet's precision the report checks (issue 9: at least 98%)
PARTY_TAG_TARGET = 0.98


SCHEMA = "corpus_search.evaluation/1"


@dataclass(frozen=True)
class WorstQuery:
    """A topic where our engine trails the best other engine."""

    topic: Topic
    ours: float
    best_engine: str
    best: float
    values: dict[str, float]

    @property
    def delta(self) -> float:
        """Our value minus the best other engine's (negative: we lose)."""
        return self.ours - self.best


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else math.nan


@dataclass
class EvaluationReport:
    """Scores of every engine on one collection; build it with :func:`evaluate`."""

    measures: list[str]
    engines: list[str]
    topics: list[Topic]
    per_topic: dict[str, dict[str, dict[str, float]]]
    runs: dict[str, dict[str, list[str]]]
    relevant: dict[str, dict[str, int]]
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    collection: dict[str, Any] = field(default_factory=dict)
    reference: str = OURS
    #: the cross-validation of corpus_search's ranking parameters, when it was run
    cross_validation: CrossValidation | None = None

    @property
    def main_measure(self) -> str:
        """The first measure (nDCG@10 by default): the one worst queries are ranked by."""
        return self.measures[0]

    @property
    def categories(self) -> list[str]:
        """Topic categories in order of first appearance."""
        return list(dict.fromkeys(topic.category for topic in self.topics))

    @property
    def overall(self) -> dict[str, dict[str, float]]:
        """``{engine: {measure: mean over topics}}``."""
        return {
            engine: {
                m: _mean(self.per_topic[engine][t.qid][m] for t in self.topics)
                for m in self.measures
            }
            for engine in self.engines
        }

    @property
    def by_category(self) -> dict[str, dict[str, dict[str, float]]]:
        """``{engine: {category: {measure: mean over the category's topics}}}``."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for engine in self.engines:
            out[engine] = {}
            for category in self.categories:
                qids = [t.qid for t in self.topics if t.category == category]
                out[engine][category] = {
                    m: _mean(self.per_topic[engine][q][m] for q in qids) for m in self.measures
                }
        return out

    def first_relevant_rank(self, engine: str, qid: str) -> int | None:
        """1-based rank of the first relevant document in ``engine``'s run, if any."""
        grades = self.relevant.get(qid, {})
        for rank, doc_id in enumerate(self.runs.get(engine, {}).get(qid, []), start=1):
            if grades.get(doc_id, 0) > 0:
                return rank
        return None

    def worst_queries(self, n: int = 10, measure: str | None = None) -> list[WorstQuery]:
        """Topics where :attr:`reference` trails the best other engine most, worst first."""
        measure = measure or self.main_measure
        others = [e for e in self.engines if e != self.reference]
        if self.reference not in self.engines or not others:
            return []
        worst: list[WorstQuery] = []
        for topic in self.topics:
            values = {e: self.per_topic[e][topic.qid][measure] for e in self.engines}
            best_engine = max(others, key=lambda e: values[e])
            if values[self.reference] < values[best_engine]:
                worst.append(
                    WorstQuery(
                        topic, values[self.reference], best_engine, values[best_engine], values
                    )
                )
        worst.sort(key=lambda w: (w.delta, w.topic.qid))
        return worst[:n]

    def to_dict(self, run_depth: int = 10) -> dict[str, Any]:
        """The report as plain data (the :data:`SCHEMA` layout; see :meth:`to_json`)."""
        return {
            "schema": SCHEMA,
            "collection": self.collection,
            "measures": self.measures,
            "engines": self.engines,
            "reference": self.reference,
            "skipped": self.skipped,
            "overall": self.overall,
            "by_category": self.by_category,
            "topics": [
                {
                    "qid": t.qid,
                    "query": t.query,
                    "category": t.category,
                    "narrative": t.narrative,
                    "relevant": sum(g > 0 for g in self.relevant.get(t.qid, {}).values()),
                }
                for t in self.topics
            ],
            "per_topic": self.per_topic,
            "runs": {
                engine: {qid: ids[:run_depth] for qid, ids in runs.items()}
                for engine, runs in self.runs.items()
            },
            "timings": self.timings,
            "notes": self.notes,
            **(
                {"cross_validation": self.cross_validation.to_dict()}
                if self.cross_validation
                else {}
            ),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """JSON of :meth:`to_dict`. Layout (``"schema": "corpus_search.evaluation/1"``):

        ``collection`` (corpus folders, id prefixes, counts, file paths), ``measures``,
        ``engines`` (evaluated, in order), ``reference``, ``skipped`` ``{engine: reason}``,
        ``overall`` ``{engine: {measure: mean}}``, ``by_category``
        ``{engine: {category: {measure: mean}}}``, ``topics`` ``[{qid, query, category,
        narrative, relevant}]``, ``per_topic`` ``{engine: {qid: {measure: value}}}``, ``runs``
        ``{engine: {qid: [top 10 doc ids]}}``, ``timings`` ``{engine: {build_seconds,
        query_seconds, query_ms_mean}}``, ``notes`` ``[str]``. NaN (no topics) is ``null``.
        """
        return json.dumps(_nan_to_none(self.to_dict()), indent=indent, ensure_ascii=False)


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return value


def _measures(measures: Sequence[Any]) -> list[Any]:
    return [ir_measures.parse_measure(m) if isinstance(m, str) else m for m in measures]


def _depth(measures: Sequence[Any]) -> int:
    cutoffs = [m.params.get("cutoff") for m in measures]
    return max((c for c in cutoffs if c), default=1000)


def _score(
    runs: dict[str, list[str]], qrels: Qrels, topics: Sequence[Topic], measures: Sequence[Any]
) -> dict[str, dict[str, float]]:
    """Per-topic values; rankings get strictly decreasing scores so no tie reorders them."""
    scores: dict[str, dict[str, float]] = {t.qid: {str(m): 0.0 for m in measures} for t in topics}
    run = {
        qid: {doc_id: float(len(ids) - rank) for rank, doc_id in enumerate(ids)}
        for qid, ids in runs.items()
        if ids
    }
    subset = {t.qid: qrels[t.qid] for t in topics}
    if run:
        for metric in ir_measures.iter_calc(list(measures), subset, run):
            if metric.query_id in scores:
                scores[metric.query_id][str(metric.measure)] = float(metric.value)
    return scores


def _engine_label(engine: Engine | str) -> str:
    return engine if isinstance(engine, str) else engine.name


def evaluate_documents(
    documents: Sequence[Document],
    topics: Sequence[Topic],
    qrels: Qrels,
    engines: Sequence[Engine | str] | None = None,
    measures: Sequence[Any] = DEFAULT_MEASURES,
    progress: Progress | None = None,
) -> EvaluationReport:
    """Index ``documents`` with each engine, run ``topics`` and score them against ``qrels``.

    ``engines`` are names (see :data:`corpus_search.evaluation.engines.ENGINES`) or :class:`Engine`
    objects; the default is corpus_search plus every comparison engine. Each engine is built,
    queried and closed in turn; one whose optional package is missing is skipped with its reason
    in :attr:`EvaluationReport.skipped`.
    """
    say = progress or (lambda message: None)
    parsed = _measures(measures)
    depth = _depth(parsed)
    notes: list[str] = []
    judged = [t for t in topics if any(g > 0 for g in qrels.get(t.qid, {}).values())]
    left_out = [t.qid for t in topics if t not in judged]
    if left_out:
        notes.append(f"topics without a relevant judged document, left out: {', '.join(left_out)}")
    if engines is None:
        engines = [OURS, *comparison_engine_names()]

    report = EvaluationReport(
        measures=[str(m) for m in parsed],
        engines=[],
        topics=list(judged),
        per_topic={},
        runs={},
        relevant={t.qid: dict(qrels[t.qid]) for t in judged},
        notes=notes,
    )
    for spec in engines:
        label = _engine_label(spec)
        try:
            engine = make_engine(spec) if isinstance(spec, str) else spec
        except EngineUnavailableError as exc:
            report.skipped[label] = str(exc)
            say(f"{label}: skipped ({exc})")
            continue
        try:
            say(f"{label}: indexing {len(documents)} documents")
            started = time.perf_counter()
            try:
                engine.build(documents)
            except EngineUnavailableError as exc:
                report.skipped[label] = str(exc)
                say(f"{label}: skipped ({exc})")
                continue
            built = time.perf_counter() - started
            say(f"{label}: running {len(judged)} topics")
            runs: dict[str, list[str]] = {}
            started = time.perf_counter()
            for topic in judged:
                try:
                    ranked = dict.fromkeys(engine.search(topic.query, depth))  # dedupe
                    runs[topic.qid] = list(ranked)[:depth]
                except Exception as exc:  # one bad query must not end the evaluation
                    runs[topic.qid] = []
                    notes.append(f"{label} failed on {topic.qid} ({topic.query!r}): {exc}")
            queried = time.perf_counter() - started
        finally:
            engine.close()
        report.engines.append(label)
        report.runs[label] = runs
        report.per_topic[label] = _score(runs, qrels, judged, parsed)
        report.timings[label] = {
            "build_seconds": built,
            "query_seconds": queried,
            "query_ms_mean": 1000 * queried / len(judged) if judged else 0.0,
        }
    return report


def evaluate(
    corpus_dirs: Sequence[str | Path],
    topics_path: str | Path,
    qrels_path: str | Path,
    engines: Sequence[Engine | str] | None = None,
    measures: Sequence[Any] = DEFAULT_MEASURES,
    progress: Progress | None = None,
    cross_validation: bool = False,
    folds: int = 6,
    seed: int = 2005,
) -> EvaluationReport:
    """Evaluate the engines on the documents of ``corpus_dirs`` (``DIR`` or ``PREFIX=DIR``).

    Reads the folders once with :mod:`corpus_search.ingest`, so every engine indexes the
    same documents; see :func:`evaluate_documents` for ``engines``, ``measures``, ``progress``.
    With ``cross_validation``, also runs :func:`cross_validate` (``folds``, ``seed``, the
    :data:`DEFAULT_GRID`) on the same documents, scored by the first measure.
    """
    topics = load_topics(topics_path)
    qrels = load_qrels(qrels_path)
    say = progress or (lambda message: None)
    say("reading documents")
    corpus = load_corpus(corpus_dirs, qrels)
    report = evaluate_documents(corpus.documents, topics, qrels, engines, measures, progress)
    if cross_validation:
        report.cross_validation = cross_validate(
            corpus.documents, topics, qrels, folds=folds, seed=seed,
            measure=report.measures[0], progress=progress,
        )
    ids = {doc.id for doc in corpus.documents}
    judged = {d for t in report.topics for d, g in qrels[t.qid].items() if g > 0}
    missing = sorted(judged - ids)
    if missing:
        report.notes.append(
            f"{counted(len(missing), 'relevant judged document')} "
            f"{'is' if len(missing) == 1 else 'are'} not in the corpus "
            f"(e.g. {', '.join(missing[:3])}); check the folders and the PREFIX=DIR rule"
        )
    report.notes[:0] = corpus.notes
    report.collection = {
        "corpus_dirs": [str(d) for d in corpus_dirs],
        "id_prefixes": corpus.prefixes,
        "documents": len(corpus.documents),
        "topics_path": str(topics_path),
        "qrels_path": str(qrels_path),
        "topics": len(report.topics),
    }
    return report


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
        return _mean(v for q, v in values.items() if category in (None, self.categories[q]))

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
    parsed = _measures([measure])
    depth = _depth(parsed)
    judged = [t for t in topics if any(g > 0 for g in qrels.get(t.qid, {}).values())]
    names = list(grid)
    points = [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]

    def run(engine: CorpusSearchEngine, ranking: Ranking) -> dict[str, float]:
        engine.ranking = ranking
        runs = {t.qid: engine.search(t.query, depth) for t in judged}
        scores = _score(runs, qrels, judged, parsed)
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
            _mean(_held_out(values, judged, stratified_folds(judged, folds, other))[0].values())
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
