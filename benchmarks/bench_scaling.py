"""Scaling: synthetic corpora of 10k and 100k (or any) documents from the BBC text (slow).

The corpora come from ``synthetic.py`` (seeded word-bigram chain, BBC length distribution,
growing vocabulary, dates over 2004-2005), written once per size to a
``synthetic.DocumentStore`` under ``.benchmarks/cache`` before any timing starts. Each
(engine, size) runs in a fresh interpreter (``harness.run_worker``) that builds the index,
then times the query classes on a warm searcher (``REPS`` timed calls of every query). The
corpus_search engines read their documents one at a time from the store (streamed: the
peak memory is the library's); stock Whoosh and tantivy get them as a list in memory.
Reported: build seconds, CPU seconds of the build process and its writer workers, the
1-minute load average during the build, docs/s, index size on disk, the build process's peak
RSS (``VmHWM``; the RSS before the build is recorded too), the largest writer worker's peak,
the largest summed PSS of the process and its workers, query p50/p95 per class.

Run (one size per run keeps each JSON small; 1M takes hours on a shared machine)::

    pytest benchmarks -m slow --benchmark-json=.benchmarks/scaling.json
    CS_BENCH_SCALE_SIZES=300000 CS_BENCH_SCALE_ENGINES=corpus_search_mp \\
        nice -n 10 pytest benchmarks -m slow -k scaling --benchmark-json=.benchmarks/s.json
"""

from __future__ import annotations

import os

import pytest

import harness
from conftest import needs_bbc, needs_topics

REPS = int(os.environ.get("CS_BENCH_SCALE_REPS", "10"))
ENGINES = ("corpus_search_mp", "whoosh", "tantivy")
SIZES = tuple(
    int(s) for s in os.environ.get("CS_BENCH_SCALE_SIZES", "10000,100000").split(",") if s
)
ENGINES_ENV = os.environ.get("CS_BENCH_SCALE_ENGINES")
if ENGINES_ENV:
    ENGINES = tuple(e for e in ENGINES_ENV.split(",") if e)


@pytest.fixture(scope="module")
def synthetic_cache(bbc_documents):
    """Generate (or find cached) every synthetic corpus before any timing starts; the file
    stem of each size's :class:`synthetic.DocumentStore`."""
    import synthetic

    return {
        n: str(synthetic.generate_store(bbc_documents, n, cache_dir=harness.CACHE).stem)
        for n in SIZES
    }


@pytest.mark.slow
@needs_bbc
@needs_topics
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("engine", ENGINES)
def test_scaling(benchmark, engine, size, synthetic_cache, bench_tmp):
    result: dict = {}

    def run():
        result.update(
            harness.run_worker(
                {
                    "engine": engine,
                    "corpus": f"synthetic-{size}",
                    "store": synthetic_cache[size],
                    "classes": list(harness.SCALE_CLASSES),
                    "reps": REPS,
                    "tmp": str(bench_tmp),
                },
                timeout=4 * 3600,
            )
        )

    benchmark.group = f"scaling {size}"
    benchmark.pedantic(run, rounds=1, iterations=1)
    result.pop("engine", None)
    benchmark.extra_info.update(kind="scaling", engine=engine, size=size, **result)
