"""Scaling: synthetic corpora of 10k and 100k documents from the BBC text (slow; ``-m slow``).

The corpora come from ``synthetic.py`` (seeded word-bigram chain, BBC length distribution,
growing vocabulary, dates over 2004-2005), generated once and cached under
``.benchmarks/cache``. Each (engine, size) runs in a fresh interpreter (``harness.run_worker``)
that loads the cached documents, builds the index, then times the query classes on a warm
searcher (``REPS`` timed calls of every query). Reported: build seconds, docs/s, index size on
disk, whole-process peak RSS (``VmHWM``, documents included: the RSS before the build is
recorded too) and the largest writer worker's peak, query p50/p95 per class.

Run::

    pytest benchmarks -m slow --benchmark-json=.benchmarks/scaling.json
    CS_BENCH_SCALE_SIZES=10000 pytest benchmarks -m slow ...   # only the 10k corpus
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
