"""Rankings scored against qrels with ``ir-measures``: the one model of scoring that a run of
every engine (:mod:`~corpus_search.evaluation.run`) and the cross-validation of our ranking
parameters (:mod:`~corpus_search.evaluation.cross_validation`) share, so both score alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from corpus_search.evaluation.collection import Qrels, Topic
from corpus_search.evaluation.measures import ir_measures

__all__ = ["average", "parse_measures", "ranking_depth", "score_runs"]


def average(values: Iterable[float]) -> float:
    """The plain mean of ``values``, NaN when there are none (a category without topics)."""
    values = list(values)
    return sum(values) / len(values) if values else math.nan


def parse_measures(measures: Sequence[Any]) -> list[Any]:
    """``ir-measures`` measures, from their names (``"nDCG@10"``) or as given."""
    return [ir_measures.parse_measure(m) if isinstance(m, str) else m for m in measures]


def ranking_depth(measures: Sequence[Any]) -> int:
    """How many documents a run must rank for ``measures``: their deepest cutoff, else 1000."""
    cutoffs = [m.params.get("cutoff") for m in measures]
    return max((c for c in cutoffs if c), default=1000)


def score_runs(
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
