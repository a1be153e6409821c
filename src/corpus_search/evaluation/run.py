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

Cross-validation
    With ``cross_validation``, :func:`evaluate` also chooses corpus_search's ranking parameters
    on the same documents (:mod:`corpus_search.evaluation.cross_validation`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
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
from corpus_search.evaluation.cross_validation import CrossValidation, cross_validate
from corpus_search.evaluation.engines import (
    Engine,
    EngineUnavailableError,
    comparison_engine_names,
    make_engine,
)
from corpus_search.evaluation.scoring import (
    average,
    parse_measures,
    ranking_depth,
    score_runs,
)
from corpus_search.terminal import counted

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document


__all__ = [
    "DEFAULT_MEASURES",
    "OURS",
    "SCHEMA",
    "EvaluationReport",
    "WorstQuery",
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
                m: average(self.per_topic[engine][t.qid][m] for t in self.topics)
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
                    m: average(self.per_topic[engine][q][m] for q in qids) for m in self.measures
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
    parsed = parse_measures(measures)
    depth = ranking_depth(parsed)
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
        report.per_topic[label] = score_runs(runs, qrels, judged, parsed)
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
    :data:`~corpus_search.evaluation.cross_validation.DEFAULT_GRID`) on the same documents,
    scored by the first measure.
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
