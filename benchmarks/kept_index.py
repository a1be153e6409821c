"""The scaling benchmark's two phases apart, on an index kept between runs.

A million-document build takes 30-40 minutes of this machine; when the query phase of
``bench_scaling`` fails (the 10 s query budget) or a query change needs measuring again, this
builds the synthetic index once and reruns the worker's query phase on it as often as needed::

    python benchmarks/kept_index.py build 1000000 /tmp/kept1m     # prints the build figures
    python benchmarks/kept_index.py query /tmp/kept1m             # first calls and p50/p95
    python benchmarks/kept_index.py query /tmp/kept1m --each      # each query's median
    python benchmarks/kept_index.py cli /tmp/kept1m               # the search command, whole

``build`` uses the synthetic store the scaling benchmark caches in ``.benchmarks/cache`` (run
the benchmark at that size once first) and the worker's own ``build_engine`` and
:class:`harness.Sampler`. ``query`` runs the worker's classes in its order: two warm-up calls
per query, the first of them timed with the query budget off (to show which first calls would
pass it), then ``--reps`` timed repetitions through ``harness.time_queries`` and
``latency_summary``. The index must have been built by the same analyzer version.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import harness
import synthetic

#: the scaling worker's query classes, in its order
CLASSES = ("single", "several", "phrase", "expansion", "topics")

CACHE = Path(__file__).resolve().parent.parent / ".benchmarks" / "cache"


def build(size: int, folder: Path) -> dict:
    """Build the ``size``-document synthetic index in ``folder`` (made empty first)."""
    stores = sorted(CACHE.glob(f"*-{size}-*.docs"))
    if not stores:
        raise SystemExit(f"no cached synthetic store of {size} documents in {CACHE}")
    docs = synthetic.DocumentStore(stores[0].with_suffix(""))
    path = harness.fresh_dir(folder, "index")
    sampler = harness.Sampler()
    cpu0, t0 = harness.cpu_seconds(), time.perf_counter()
    engine = harness.build_engine("corpus_search_mp", docs, path, f"synthetic-{size}")
    out = {
        "docs": size,
        "build_seconds": time.perf_counter() - t0,
        "build_cpu_seconds": harness.cpu_seconds() - cpu0,
        "build_sampled": sampler.stop(),
        "index_bytes": harness.dir_size(path),
        "segments": len(list(engine.searcher().reader().leaf_readers())),
    }
    engine.close()
    return out


def _open(folder: Path, concept_cache_mb: int | None) -> Any:
    """The kept index, its queries without a time budget; its engines keep
    ``concept_cache_mb`` of concept scores if given (else the library's own size)."""
    from corpus_search.index import CorpusIndex
    from corpus_search.search import execute
    from corpus_search.search.engine import QueryEngine

    execute.QUERY_TIME_LIMIT = None
    if concept_cache_mb is not None:
        defaults = list(QueryEngine.__init__.__defaults__ or ())
        defaults[-1] = concept_cache_mb * 2**20  # (concept_cache_bytes is the last argument)
        QueryEngine.__init__.__defaults__ = tuple(defaults)
    return CorpusIndex.open(folder / "index")


def each(folder: Path, reps: int, concept_cache_mb: int | None = None) -> dict:
    """Each query's median over ``reps`` calls of the classes' queries in turn (after two
    warm-up calls each), per class."""
    engine = _open(folder, concept_cache_mb)
    out: dict[str, dict[str, float]] = {}
    for cls in CLASSES:
        run = harness.query_runner("corpus_search_mp", engine, cls)
        times = harness.time_queries(run, harness.queries_for(cls), reps)
        out[cls] = {q: round(statistics.median(t) / 1e6, 2) for q, t in times.items()}
    return out


def query(folder: Path, reps: int, concept_cache_mb: int | None = None) -> dict:
    """The worker's query phase on the index in ``folder``."""
    engine = _open(folder, concept_cache_mb)
    first: list[tuple[float, str, str]] = []
    latency = {}
    for cls in CLASSES:
        run = harness.query_runner("corpus_search_mp", engine, cls)
        queries = harness.queries_for(cls)
        for q in queries:
            t0 = time.perf_counter()
            run(q)
            first.append((time.perf_counter() - t0, cls, q))
            run(q)
        summary = harness.latency_summary(harness.time_queries(run, queries, reps, warmup=0))
        latency[cls] = {
            k: round(v, 2) for k, v in summary.items() if isinstance(v, float | int)
        }
    first.sort(reverse=True)
    return {
        "latency_ms": latency,
        "slowest_first_calls_s": [(round(t, 2), cls, q) for t, cls, q in first[:10]],
        "peak_rss_after_queries_mb": harness.status_mb("VmHWM"),
    }


#: the classes whose queries ``cli`` runs as commands (a command's own cost is start-up)
CLI_CLASSES = ("single", "several", "topics")


def cli(folder: Path, reps: int) -> dict:
    """``corpus-search search QUERY --index DIR`` as whole processes, as users run it: each
    query of :data:`CLI_CLASSES` ``reps`` times on its own (``CORPUS_SEARCH_SERVER=off``),
    then with ``corpus-search serve`` running (its first command of each query apart: the
    first opens the index and fills its caches). Wall ms per class: median and p95; served
    CPU includes the server's."""
    import tempfile

    runtime = tempfile.mkdtemp(prefix="cs-kept-", dir="/tmp")  # (a socket's path is short)
    env = {**os.environ, "XDG_RUNTIME_DIR": runtime}
    env.pop("CORPUS_SEARCH_SERVER", None)
    command = [*harness.corpus_search_command(), "search"]
    target = ["--index", str(folder / "index")]

    def wall(q: str, env: dict[str, str]) -> float:
        t0 = time.perf_counter()
        subprocess.run([*command, q, *target], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        return (time.perf_counter() - t0) * 1000

    def summary(times: list[float]) -> dict[str, float]:
        return {"p50": round(statistics.median(times), 1),
                "p95": round(harness.percentile(times, 95), 1), "n": len(times)}

    out: dict[str, Any] = {"alone": {}, "served": {}, "served_first": {}}
    alone_env = {**env, "CORPUS_SEARCH_SERVER": "off"}
    for cls in CLI_CLASSES:
        queries = harness.queries_for(cls)
        out["alone"][cls] = summary([wall(q, alone_env) for q in queries for _ in range(reps)])
    with harness.search_server(env) as server_cpu:
        cpu0 = server_cpu()
        for cls in CLI_CLASSES:
            queries = harness.queries_for(cls)
            out["served_first"][cls] = summary([wall(q, env) for q in queries])
            out["served"][cls] = summary([wall(q, env) for q in queries for _ in range(reps)])
        out["server_cpu_s"] = round(server_cpu() - cpu0, 2)
    shutil.rmtree(runtime, ignore_errors=True)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    building = commands.add_parser("build", help="build the synthetic index, kept")
    building.add_argument("size", type=int)
    building.add_argument("folder", type=Path)
    querying = commands.add_parser("query", help="the query phase on a kept index")
    querying.add_argument("folder", type=Path)
    querying.add_argument("--reps", type=int, default=10)
    querying.add_argument(
        "--concept-cache-mb", type=int, help="the engines' concept cache (default: the library's)"
    )
    querying.add_argument(
        "--each", action="store_true", help="print each query's median instead"
    )
    commanding = commands.add_parser("cli", help="the search command as users run it, "
                                     "on its own and with corpus-search serve")
    commanding.add_argument("folder", type=Path)
    commanding.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    if args.command == "build":
        out = build(args.size, args.folder)
    elif args.command == "cli":
        out = cli(args.folder, args.reps)
    elif args.each:
        out = each(args.folder, args.reps, args.concept_cache_mb)
    else:
        out = query(args.folder, args.reps, args.concept_cache_mb)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
