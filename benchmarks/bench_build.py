"""Index build: corpus_search vs stock Whoosh vs tantivy on the seeds and the BBC corpus.

Time: ``benchmark.pedantic`` over a few rounds, in this process, each round into a fresh
folder; the documents are read beforehand (``corpus_search_dir`` excepted: it reads the files
as part of its job, as a user's ``index_directory`` does). Throughput = documents (or UTF-8 MB
of title + body) / median round time.

Memory: one more build of each engine in a fresh interpreter (``harness.run_worker``), reading
``VmHWM`` (peak RSS of its own address space: interpreter, the
documents and the build) and ``RUSAGE_CHILDREN`` (the largest multiprocess-writer worker, pages
shared with the parent by fork included, so parent + workers over-counts).
The RSS before the build starts is recorded too, so the build's own share is the difference.
"""

from __future__ import annotations

import pytest

import harness
from conftest import needs_bbc

ROUNDS = {"seeds": 10, "bbc": 3}


def _build_case(benchmark, corpus: str, engine: str, docs: list, tmp) -> None:
    def setup():
        path = harness.fresh_dir(tmp, f"{corpus}-{engine}")  # removes the last round's index
        return (engine, docs, path, corpus), {}

    def build(name, documents, path, corpus_name):
        built = harness.build_engine(name, documents, path, corpus_name)
        if hasattr(built, "close"):
            built.close()
        return path

    benchmark.group = f"build {corpus}"
    benchmark.pedantic(build, setup=setup, rounds=ROUNDS[corpus], iterations=1)
    memory = harness.run_worker({"engine": engine, "corpus": corpus})
    benchmark.extra_info.update(
        kind="build",
        corpus=corpus,
        engine=engine,
        docs=len(docs),
        bytes=harness.text_bytes(docs),
        peak_rss_mb=memory["peak_rss_mb"],
        children_peak_rss_mb=memory["children_peak_rss_mb"],
        baseline_rss_mb=memory["baseline_rss_mb"],
        subprocess_build_seconds=memory["build_seconds"],
        index_bytes=memory["index_bytes"],
    )


@pytest.mark.parametrize("engine", harness.BUILD_ENGINES)
def test_build_seeds(benchmark, engine, seed_documents, bench_tmp):
    _build_case(benchmark, "seeds", engine, seed_documents, bench_tmp)


@needs_bbc
@pytest.mark.parametrize("engine", harness.BUILD_ENGINES)
def test_build_bbc(benchmark, engine, bbc_documents, bench_tmp):
    _build_case(benchmark, "bbc", engine, bbc_documents, bench_tmp)
