"""Query latency per query class on the BBC index, warm searcher, top 10, no highlighting.

One index per engine is built once for the module from the BBC articles (given seeded dates,
since the articles carry none, so date filters select something). For each (engine, class),
every query of the class is answered twice untimed (warm-up), then the class is run
``REPS`` times, each query timed alone with ``time.perf_counter_ns``; p50/p95 are over all those
calls pooled and go to ``benchmark.extra_info`` with per-query medians. pytest-benchmark's own
statistics are for one pass over the class (its ``rounds``), a coarse cross-check.

Engines: ``corpus_search`` (``CorpusIndex.search(..., highlight=False)``), ``whoosh``
(``StockWhooshEngine``: AND grouping, Whoosh's default, plus ``FuzzyTermPlugin`` so ``word~``
means fuzzy as in ours), ``whoosh_or`` (the same with OR grouping, as ours groups words) and
``tantivy`` (fuzzy class: ``fuzzy_fields`` distance 1). The filtered class uses the same stock
setups plus a ``party`` keyword field and a ``date`` field (``harness.FilteredWhoosh`` /
``FilteredTantivy``) holding the parties corpus_search finds in each article.
``topics_highlight`` (the eval topics with snippets) and ``topics_uncached`` (each call parsed
afresh, as a query asked for the first time; ``topics`` repeats each query, so from the
second call on it is answered from the parsed-query cache) are measured on corpus_search only.
"""

from __future__ import annotations

import os

import pytest

import harness
from conftest import needs_bbc, needs_topics

REPS = int(os.environ.get("CS_BENCH_QUERY_REPS", "30"))
ENGINES = ("corpus_search", "whoosh", "whoosh_or", "tantivy")
CLASSES = ("single", "several", "phrase", "expansion", "filtered", "fuzzy", "topics")


@pytest.fixture(scope="module")
def bbc_engines(bbc_dated_documents, bench_tmp):
    from corpus_search.analysis.analyzer import parties_in

    docs = bbc_dated_documents
    built = {}
    built["corpus_search"] = harness.build_engine(
        "corpus_search_mp", docs, harness.fresh_dir(bench_tmp, "q-ours")
    )
    for name in ("whoosh", "whoosh_or", "tantivy"):
        built[name] = harness.build_engine(name, docs, harness.fresh_dir(bench_tmp, f"q-{name}"))
    harness.enable_whoosh_fuzzy(built["whoosh"])
    harness.enable_whoosh_fuzzy(built["whoosh_or"])
    parties = {d.id: parties_in(f"{d.title}\n{d.body}") for d in docs}
    whoosh_f = harness.FilteredWhoosh(docs, harness.fresh_dir(bench_tmp, "q-whoosh-f"), parties)
    filtered = {
        "whoosh": whoosh_f,
        "whoosh_or": whoosh_f,
        "tantivy": harness.FilteredTantivy(
            docs, harness.fresh_dir(bench_tmp, "q-tantivy-f"), parties
        ),
    }
    yield built, filtered
    for engine in built.values():
        engine.close()


def _latency_case(benchmark, engine_name, cls, bbc_engines):
    built, filtered = bbc_engines
    engine = (
        filtered[engine_name]
        if cls == "filtered" and engine_name in filtered
        else built[engine_name]
    )
    run = harness.query_runner(engine_name, engine, cls)
    queries = harness.queries_for(cls)
    timings = harness.time_queries(run, queries, REPS)

    def one_pass():
        for q in queries:
            run(q)

    benchmark.group = f"query {cls}"
    benchmark.pedantic(one_pass, rounds=3, iterations=1)
    summary = harness.latency_summary(timings)
    hits = {q: len(_ids(run(q))) for q in queries}
    benchmark.extra_info.update(
        kind="query",
        corpus="bbc",
        engine=engine_name,
        query_class=cls,
        reps=REPS,
        hits_per_query=hits,
        **summary,
    )


def _ids(result):
    hits = getattr(result, "hits", result)
    return list(hits)


@needs_bbc
@needs_topics
@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("engine_name", ENGINES)
def test_query_latency(benchmark, engine_name, cls, bbc_engines):
    _latency_case(benchmark, engine_name, cls, bbc_engines)


@needs_bbc
@needs_topics
def test_query_latency_highlight(benchmark, bbc_engines):
    _latency_case(benchmark, "corpus_search", "topics_highlight", bbc_engines)


@needs_bbc
@needs_topics
def test_query_latency_uncached(benchmark, bbc_engines):
    _latency_case(benchmark, "corpus_search", "topics_uncached", bbc_engines)
