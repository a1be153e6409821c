"""Relevance evaluation of corpus_search and the comparison engines on one judged collection.

:func:`evaluate` reads the documents of one or more corpus folders once (through
:mod:`corpus_search.documents`), indexes the same list with every engine, runs every topic's raw
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
    corpus_search's query-time ranking parameters (:class:`~corpus_search.search.Ranking`) are
    chosen by a grid search scored by k-fold cross-validation: the index is built once, every
    point of the grid is run on every topic, and each topic's held-out value is the one it gets
    with the point that is best on the other folds. The held-out mean is the honest estimate of
    the ranking on unseen topics; the in-sample mean (the point best on all topics, which is
    what ``Ranking``'s defaults should be) is optimistic.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import ir_measures
except ModuleNotFoundError as exc:  # the base install leaves evaluation out
    raise ModuleNotFoundError(
        f"Relevance evaluation needs the eval extra ({exc.name} is not installed): "
        "pip install 'corpus-search[eval]'",
        name=exc.name,
    ) from exc

from corpus_search.comparison import (
    CorpusSearchEngine,
    Engine,
    EngineUnavailableError,
    comparison_engine_names,
    make_engine,
)

if TYPE_CHECKING:
    from corpus_search.documents import Document
    from corpus_search.search import Ranking

#: the report's command needs its collection, so the test of the docs' examples leaves it out
_NOT_IN_DOCS_TEST = (
    "<!-- docs-test: skip: regenerates this report from its judged collection (../shared) -->"
)

__all__ = [
    "ABLATIONS",
    "DEFAULT_GRID",
    "DEFAULT_MEASURES",
    "OURS",
    "SCHEMA",
    "CrossValidation",
    "EvaluationReport",
    "LoadedCorpus",
    "Topic",
    "WorstQuery",
    "cross_validate",
    "evaluate",
    "evaluate_documents",
    "format_table",
    "load_corpus",
    "load_qrels",
    "load_topics",
    "parse_corpus_arg",
    "write_markdown_report",
]

OURS = "corpus_search"
"""Name of our own engine in reports."""

DEFAULT_MEASURES: tuple[str, ...] = ("nDCG@10", "RR@10", "R@100")
SCHEMA = "corpus_search.evaluation/1"
"""Identifier of the JSON layout written by :meth:`EvaluationReport.to_json`."""

Qrels = dict[str, dict[str, int]]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Topic:
    """One judged information need."""

    qid: str
    query: str
    category: str = ""
    narrative: str = ""


def load_topics(path: str | Path) -> list[Topic]:
    """Read a topics TSV (``qid``, ``query``, ``category``, ``narrative``) in file order."""
    topics: list[Topic] = []
    seen: set[str] = set()
    text = Path(path).read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if not seen and parts[0].lower() == "qid":
            continue  # header row
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path}:{number}: expected 'qid<TAB>query[<TAB>category...]'")
        qid = parts[0]
        if qid in seen:
            raise ValueError(f"{path}:{number}: duplicate topic id {qid!r}")
        seen.add(qid)
        category = parts[2] if len(parts) > 2 and parts[2] else "(none)"
        narrative = parts[3] if len(parts) > 3 else ""
        topics.append(Topic(qid, parts[1], category, narrative))
    return topics


def load_qrels(path: str | Path) -> Qrels:
    """Read TREC qrels into ``{qid: {docid: grade}}`` (via ``ir_measures.read_trec_qrels``)."""
    qrels: Qrels = {}
    for qrel in ir_measures.read_trec_qrels(str(path)):
        qrels.setdefault(qrel.query_id, {})[qrel.doc_id] = int(qrel.relevance)
    return qrels


# --- documents -------------------------------------------------------------------------------


@dataclass
class LoadedCorpus:
    """Documents read from the corpus folders, with the id prefix chosen for each folder."""

    documents: list[Document]
    prefixes: dict[str, str]
    notes: list[str] = field(default_factory=list)


def parse_corpus_arg(arg: str | Path) -> tuple[str | None, Path]:
    """Split ``PREFIX=DIR`` into ``(prefix, dir)``; a plain folder gives ``(None, dir)``."""
    text = str(arg)
    if isinstance(arg, str) and "=" in text and not Path(text).exists():
        prefix, _, directory = text.partition("=")
        if "/" not in prefix and "\\" not in prefix:
            return prefix.strip("/"), Path(directory)
    return None, Path(text)


def _read_folder(root: Path, notes: list[str]) -> list[Document]:
    from corpus_search.documents import (
        find_boilerplate,
        iter_source_files,
        read_file,
        strip_boilerplate,
    )

    documents: list[Document] = []
    warnings: list[str] = []
    for path in iter_source_files(root):
        result = read_file(path, root)
        if result.skipped_reason:
            notes.append(f"skipped {path}: {result.skipped_reason}")
        warnings += [f"{path}: {warning}" for warning in result.warnings]
        documents.extend(result.documents)
    if warnings:
        shown = "; ".join(warnings[:3])
        notes.append(f"{len(warnings)} warning(s) reading {root}, e.g. {shown}")
    # Lines repeated across the folder's documents are dropped, as CorpusIndex.index_directory
    # does, so every engine sees the bodies a user's index would hold.
    boilerplate = find_boilerplate(
        (doc.body for doc in documents), min_docs=max(3, len(documents) // 200)
    )
    if boilerplate:
        stripped = [strip_boilerplate(doc.body, boilerplate) for doc in documents]
        documents = [
            doc if body == doc.body else dataclasses.replace(doc, body=body)
            for doc, body in zip(documents, stripped, strict=True)
        ]
        notes.append(f"{len(boilerplate)} repeated line(s) stripped from bodies under {root}")
    return documents


def load_corpus(corpus_dirs: Iterable[str | Path], qrels: Qrels | None = None) -> LoadedCorpus:
    """Read every corpus folder once and give each document its evaluation id.

    See the module docstring for the id rule; ``qrels`` drives the automatic prefix.
    """
    judged = {doc_id for judgments in (qrels or {}).values() for doc_id in judgments}
    documents: list[Document] = []
    prefixes: dict[str, str] = {}
    notes: list[str] = []
    seen: set[str] = set()
    for arg in corpus_dirs:
        prefix, root = parse_corpus_arg(arg)
        if not root.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {root}")
        docs = _read_folder(root, notes)
        if prefix is None:
            name = root.resolve().name
            bare = sum(doc.id in judged for doc in docs)
            prefixed = sum(f"{name}/{doc.id}" in judged for doc in docs)
            prefix = name if prefixed > bare else ""
        prefixes[str(root)] = prefix
        duplicates = 0
        for doc in docs:
            final = f"{prefix}/{doc.id}" if prefix else doc.id
            if final in seen:
                duplicates += 1
                continue
            seen.add(final)
            documents.append(doc if final == doc.id else dataclasses.replace(doc, id=final))
        if duplicates:
            notes.append(
                f"{duplicates} document(s) under {root} repeat an id already read and were "
                "dropped; give the folder a prefix with PREFIX=DIR"
            )
    return LoadedCorpus(documents, prefixes, notes)


# --- report ----------------------------------------------------------------------------------


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


# --- running ---------------------------------------------------------------------------------


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

    ``engines`` are names (see :data:`corpus_search.comparison.ENGINES`) or :class:`Engine`
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

    Reads the folders once with :mod:`corpus_search.documents`, so every engine indexes the
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
            f"{len(missing)} relevant judged document(s) are not in the corpus "
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


# --- cross-validation ------------------------------------------------------------------------

#: The grid :func:`cross_validate` searches: :class:`~corpus_search.search.Ranking` fields and
#: the values tried (all query-time: the index is built once; ``title_b`` is left out, titles
#: being of much the same length). Coverage and proximity stay positive: documents holding more
#: of the query's concepts, and concepts standing together, must rank higher (issue 9), so the
#: grid only sets how much; :data:`ABLATIONS` measures what they cost or bring. 432 points; on
#: the public collection (36 topics, 2,230 documents) the run takes about two minutes.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {
    "title_boost": (2.0, 4.0, 8.0),
    "b": (0.5, 0.75),
    "coverage": (0.25, 0.5, 1.0),
    "proximity_boost": (0.1, 0.25, 0.5),
    "proximity_slop": (4, 8),
    "expansion_weight": (0.6, 1.0),
    "surface_weight": (0.1, 0.3),
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
    variants of the chosen point (:data:`ABLATIONS`). Values are of ``measure``.
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
) -> CrossValidation:
    """Choose corpus_search's ranking parameters by grid search and k-fold cross-validation.

    ``documents`` are indexed once; each point of ``grid`` (``Ranking`` field -> values, every
    combination tried, other fields as in ``base``, by default the shipped ``RANKING``) is run
    on every judged topic. Folds are stratified by category (:func:`stratified_folds`, fixed
    ``seed``). For each fold the point with the best mean ``measure`` on the other folds is
    chosen, ties going to the earliest point in grid order, and the fold's topics are scored
    with it: the held-out values. The point best on all topics gives the in-sample values;
    ``ablations`` (default :data:`ABLATIONS`) are run at that point too.
    """
    from corpus_search.search import RANKING

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

        def best(qids: Sequence[str]) -> int:
            means = [sum(v[q] for q in qids) / len(qids) for v in values]
            return max(range(len(points)), key=lambda i: (means[i], -i))

        fold_ids = stratified_folds(judged, folds, seed)
        held_out: dict[str, float] = {}
        choices = []
        for fold in fold_ids:
            train = [t.qid for t in judged if t.qid not in fold]
            pick = best(train)
            choices.append(points[pick])
            held_out.update({qid: values[pick][qid] for qid in fold})
        chosen = best([t.qid for t in judged])
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
    )


# --- output ----------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def format_table(report: EvaluationReport) -> str:
    """Plain-text tables for a terminal: overall scores, then the main measure by category."""
    overall = report.overall
    header = ["engine", *report.measures, "build s", "query ms"]
    rows = [
        [
            engine,
            *(_fmt(overall[engine][m]) for m in report.measures),
            f"{report.timings[engine]['build_seconds']:.1f}",
            f"{report.timings[engine]['query_ms_mean']:.1f}",
        ]
        for engine in report.engines
    ]
    parts = [
        f"{len(report.topics)} topics, {report.collection.get('documents', '?')} documents",
        _text_table(header, rows),
    ]
    by_category = report.by_category
    main = report.main_measure
    counts = {c: sum(t.category == c for t in report.topics) for c in report.categories}
    cat_rows = [
        [f"{c} ({counts[c]})", *(_fmt(by_category[e][c][main]) for e in report.engines)]
        for c in report.categories
    ]
    parts += ["", f"{main} by category", _text_table(["category", *report.engines], cat_rows)]
    cv = report.cross_validation
    if cv is not None:
        parts += [
            "",
            f"{cv.measure} of {report.reference}, {len(cv.folds)}-fold cross-validation: "
            f"held-out {_fmt(cv.mean(cv.held_out))}, in-sample {_fmt(cv.mean(cv.in_sample))}, "
            f"defaults {_fmt(cv.mean(cv.baseline))}",
            "chosen on all topics: " + ", ".join(f"{k}={v:g}" for k, v in cv.chosen.items()),
        ]
    if report.skipped:
        parts += ["", *(f"skipped {name}: {why}" for name, why in report.skipped.items())]
    if report.notes:
        parts += ["", *(f"note: {note}" for note in report.notes)]
    return "\n".join(parts)


def _md_table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> list[str]:
    """A markdown table: the first ``text_columns`` columns left-aligned, numbers right."""
    rule = ["---" if i < text_columns else "---:" for i in range(len(header))]
    return ["| " + " | ".join(cells) + " |" for cells in [header, rule, *rows]]


def _bold_best(values: list[float]) -> list[str]:
    finite = [v for v in values if not math.isnan(v)]
    best = max(finite) if finite else math.nan
    return [f"**{_fmt(v)}**" if v == best else _fmt(v) for v in values]


def _top(report: EvaluationReport, engine: str, qid: str, n: int = 5) -> str:
    grades = report.relevant.get(qid, {})
    ids = report.runs.get(engine, {}).get(qid, [])[:n]
    return ", ".join(f"{doc_id} ({grades.get(doc_id, '?')})" for doc_id in ids) or "(nothing)"


def _targets(report: EvaluationReport, margin: float, held_out_target: float) -> list[str]:
    ref, main = report.reference, report.main_measure
    others = [e for e in report.engines if e != ref]
    if ref not in report.engines or not others:
        return []
    overall = report.overall
    best_other = max(others, key=lambda e: overall[e][main])
    gain = overall[ref][main] - overall[best_other][main]
    ok = "met" if gain >= margin else "not met"
    lines = [
        f"- Overall {main}: {ref} {_fmt(overall[ref][main])} vs best other engine "
        f"{best_other} {_fmt(overall[best_other][main])}: gain {gain:+.3f} "
        f"(target >= +{margin:.2f}: **{ok}**).",
    ]
    cv = report.cross_validation
    if cv is not None:
        held_out = cv.mean(cv.held_out)
        ok = "met" if held_out >= held_out_target else "not met"
        lines.append(
            f"- Cross-validated held-out {cv.measure} of {ref}: {_fmt(held_out)} "
            f"(target >= {held_out_target:.2f}: **{ok}**)."
        )
    behind = []
    by_category = report.by_category
    for category in report.categories:
        ours = by_category[ref][category][main]
        leader = max(others, key=lambda e: by_category[e][category][main])
        theirs = by_category[leader][category][main]
        if ours < theirs:
            behind.append(f"{category} ({leader} {_fmt(theirs)} vs {_fmt(ours)})")
    if behind:
        lines.append(
            f"- Categories where {ref} is below the best other engine: " + "; ".join(behind) + "."
        )
    else:
        lines.append(f"- {ref} is not below the best other engine in any category.")
    return lines


_ENGINE_SETUP = [
    "- `corpus_search`: this library (`CorpusIndex`, default analyzer and lexicon, "
    "relevance order).",
    "- `whoosh`: stock Whoosh, `StemmingAnalyzer` on title and body, BM25F, `MultifieldParser` "
    "with title boost 2 and Whoosh's default AND grouping.",
    "- `tantivy`: `en_stem` tokenizer, `parse_query` over title and body (OR), title boost 2.",
    "- `sqlite_fts5`: `tokenize='porter unicode61'`, the query's words quoted and OR-ed, "
    "`bm25(fts, title 2, body 1)`.",
    "- `bm25s`: PyStemmer English, English stop words, title and body concatenated.",
]


def _cross_validation_section(cv: CrossValidation, engine: str) -> list[str]:
    """The report's cross-validation section: held-out and in-sample means, overall and by
    category, the ablations, and the parameters chosen."""
    k = len(cv.folds)
    out = [
        "## Cross-validated ranking parameters",
        "",
        f"`{engine}`'s query-time ranking parameters are chosen by grid search scored by {k}-fold"
        f" cross-validation over these topics (folds stratified by category, seed {cv.seed}):"
        " the index is built once, every grid point is run on every topic, and each topic's"
        " held-out value comes from the point that is best on the other folds (ties to the"
        " earliest point). **The held-out mean is the estimate for unseen topics.** The"
        " in-sample mean uses the point best on all topics, which is what `Ranking` ships with;"
        " the tables above are in-sample figures. The next columns rerun that point without the"
        " coverage factor, without the proximity bonus, and without either (plain BM25F over"
        " concepts); the last runs the defaults the report was made with.",
        "",
    ]
    labels = list(cv.ablations)

    def row(name: str, category: str | None) -> list[str]:
        return [
            name,
            _fmt(cv.mean(cv.held_out, category)),
            _fmt(cv.mean(cv.in_sample, category)),
            *(_fmt(cv.mean(cv.ablations[label], category)) for label in labels),
            _fmt(cv.mean(cv.baseline, category)),
        ]

    categories = list(dict.fromkeys(cv.categories.values()))
    counts = {c: sum(v == c for v in cv.categories.values()) for c in categories}
    rows = [row("**all topics**", None), *(row(f"{c} ({counts[c]})", c) for c in categories)]
    out += _md_table(["topics", "held-out", "in-sample", *labels, "defaults"], rows)
    names = list(cv.grid)
    out += [
        "",
        f"All figures are {cv.measure}. Grid (`Ranking` field: values tried): "
        + "; ".join(f"`{n}` {', '.join(f'{v:g}' for v in cv.grid[n])}" for n in names)
        + ".",
        "",
    ]
    choice_rows = [
        [f"fold {i} ({len(fold)} topics)", *(f"{cv.fold_choices[i - 1][n]:g}" for n in names)]
        for i, fold in enumerate(cv.folds, start=1)
    ]
    choice_rows.append(["**all topics (shipped)**", *(f"**{cv.chosen[n]:g}**" for n in names)])
    out += _md_table(["chosen on", *(f"`{n}`" for n in names)], choice_rows)
    return out


def write_markdown_report(
    report: EvaluationReport,
    path: str | Path,
    command: str | None = None,
    worst: int = 10,
    target_margin: float = 0.10,
    party_tags: str | None = None,
    held_out_target: float = 0.88,
) -> None:
    """Write the markdown report: setup, overall and per-category tables, the
    cross-validation of the ranking parameters (when the report has one), worst queries.

    ``party_tags`` is markdown for a "Party tags" section: the measured precision of the
    ``party`` field (how it was labelled and the figure); the section is left out without it.
    """
    main, ref = report.main_measure, report.reference
    overall, by_category = report.overall, report.by_category
    coll = report.collection
    out = [
        "# Relevance evaluation",
        "",
        "<!-- Generated by corpus_search.evaluation.write_markdown_report; do not edit by hand."
        " -->",
        "",
        "How well corpus_search ranks, measured against the engines a user would pick instead,"
        " on the same documents and the same judged queries in one run. Every engine indexes"
        " the identical document list (read once by `corpus_search.documents`) and receives the"
        " query exactly as a user typed it. Measures come from `ir-measures` on TREC qrels"
        " (grade >= 1 relevant; unjudged documents count as not relevant): nDCG@10 (main,"
        " graded), RR@10 (reciprocal rank of the first relevant document in the top 10; its"
        " mean is MRR@10) and R@100 (share of the relevant documents found in the top 100).",
        "",
        "Engines, each with its usual English setup:",
        "",
        *_ENGINE_SETUP,
        "",
    ]
    if command:
        out += ["Regenerate from the repository root with:", "", _NOT_IN_DOCS_TEST, "```sh",
                command, "```", ""]
    if coll:
        out += [
            f"Collection: {coll.get('documents', '?')} documents from "
            + ", ".join(f"`{d}`" for d in coll.get("corpus_dirs", []))
            + f"; {len(report.topics)} topics (`{coll.get('topics_path', '')}`), qrels "
            f"`{coll.get('qrels_path', '')}`.",
            "",
        ]

    out += ["## Overall", ""]
    columns = {m: _bold_best([overall[e][m] for e in report.engines]) for m in report.measures}
    rows = [
        [
            f"`{e}`",
            *(columns[m][i] for m in report.measures),
            f"{report.timings[e]['build_seconds']:.1f}",
            f"{report.timings[e]['query_ms_mean']:.1f}",
        ]
        for i, e in enumerate(report.engines)
    ]
    out += _md_table(["engine", *report.measures, "index s", "query ms"], rows)
    out += [
        "",
        "Best value per measure in bold. Times are wall-clock on the machine that ran it; "
        "query ms is the mean of one run per topic fetching the top 100, on a searcher just "
        "opened (cold caches), so it is not the warm latency measured in "
        "[benchmarks.md](benchmarks.md).",
    ]
    targets = _targets(report, target_margin, held_out_target)
    if targets:
        out += ["", "### Targets", "", *targets]

    if report.cross_validation is not None:
        out += ["", *_cross_validation_section(report.cross_validation, ref)]

    out += ["", "## By category", ""]
    counts = {c: sum(t.category == c for t in report.topics) for c in report.categories}
    for measure in report.measures:
        out += [f"### {measure}", ""]
        rows = [
            [
                f"{c} ({counts[c]})",
                *_bold_best([by_category[e][c][measure] for e in report.engines]),
            ]
            for c in report.categories
        ]
        out += _md_table(["category (topics)", *(f"`{e}`" for e in report.engines)], rows)
        out.append("")

    if party_tags:
        out += ["## Party tags", "", party_tags.strip(), ""]

    out += [f"## Worst queries of `{ref}`", ""]
    worst_list = report.worst_queries(worst)
    if ref not in report.engines:
        out += [f"`{ref}` was not evaluated in this run.", ""]
    elif not worst_list:
        out += [f"`{ref}` is not behind another engine on any topic by {main}.", ""]
    else:
        out += [
            f"Topics where `{ref}` trails the best other engine most by {main} (negative Δ)."
            f' "first rel" is the rank of `{ref}`\'s first relevant result (– if none in its'
            " top 100).",
            "",
        ]
        rows = []
        for w in worst_list:
            first = report.first_relevant_rank(ref, w.topic.qid)
            rows.append(
                [
                    w.topic.qid,
                    f"`{w.topic.query}`",
                    w.topic.category,
                    *_bold_best([w.values[e] for e in report.engines]),
                    f"{w.delta:+.3f}",
                    "–" if first is None else str(first),
                ]
            )
        out += _md_table(
            ["qid", "query", "category", *(f"`{e}`" for e in report.engines), "Δ", "first rel"],
            rows,
            text_columns=3,
        )
        out += [
            "",
            "Top five of each side, as `doc id (grade)`; `?` marks an unjudged document:",
            "",
        ]
        for w in worst_list:
            out.append(f"- {w.topic.qid} `{w.topic.query}`")
            for engine in (ref, w.best_engine):
                out.append(f"  - `{engine}`: {_top(report, engine, w.topic.qid)}")
        out.append("")

    out += ["## All topics", "", f"{main} per topic.", ""]
    rows = [
        [
            t.qid,
            f"`{t.query}`",
            t.category,
            *_bold_best([report.per_topic[e][t.qid][main] for e in report.engines]),
        ]
        for t in report.topics
    ]
    header = ["qid", "query", "category", *(f"`{e}`" for e in report.engines)]
    out += _md_table(header, rows, text_columns=3)
    if report.skipped or report.notes:
        out += ["", "## Notes", ""]
        out += [f"- skipped `{name}`: {why}" for name, why in report.skipped.items()]
        out += [f"- {note}" for note in report.notes]
    Path(path).write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")


def _main(argv: Sequence[str] | None = None) -> int:
    """``python -m corpus_search.evaluation``: the same run as ``corpus-search eval``."""
    parser = argparse.ArgumentParser(prog="python -m corpus_search.evaluation")
    parser.add_argument("corpus_dirs", nargs="+", metavar="[PREFIX=]DIR")
    parser.add_argument("--topics", required=True)
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--engine", action="append", dest="engines", metavar="NAME")
    parser.add_argument("--json", action="store_true", help="print the JSON report")
    parser.add_argument("--report", metavar="PATH", help="write the markdown report here")
    parser.add_argument(
        "--cross-validate", action="store_true", help="also cross-validate the ranking parameters"
    )
    parser.add_argument("--party-tags", metavar="PATH", help="markdown for the party-tag section")
    args = parser.parse_args(argv)
    report = evaluate(
        args.corpus_dirs,
        args.topics,
        args.qrels,
        engines=args.engines,
        progress=lambda message: print(message, file=sys.stderr),
        cross_validation=args.cross_validate,
    )
    print(report.to_json() if args.json else format_table(report))
    if args.report:
        command = "python -m corpus_search.evaluation " + " ".join(
            sys.argv[1:] if argv is None else argv
        )
        tags = Path(args.party_tags).read_text(encoding="utf-8") if args.party_tags else None
        write_markdown_report(report, args.report, command=command, party_tags=tags)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
