"""Where a synthetic-corpus build or its queries spend their time: cProfile, printed.

The scaling benchmark (``bench_scaling.py``) says how long; this says on what. It builds a
synthetic corpus (the same documents as the benchmark's, read one at a time from the store
in ``.benchmarks/cache``, written first if missing) into a temporary index and prints the
profile's top functions by cumulative and by own time::

    python benchmarks/profile_scaling.py build 20000            # add_documents, one process
    python benchmarks/profile_scaling.py query 100000 --reps 5  # eval topics, warm searcher

``build`` profiles ``CorpusIndex.add_documents(store, procs=1)`` (a profile cannot follow
the forked workers of ``procs=2``; each of them runs this same per-document code on its
share). ``query`` builds with ``procs=2`` unprofiled, then profiles ``reps`` passes over the
eval topics (``highlight=False``) on a searcher warmed by one pass. The profiler inflates
absolute times: read the shares.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["build", "query"])
    parser.add_argument("size", type=int, help="documents of the synthetic corpus")
    parser.add_argument("--reps", type=int, default=5, help="passes over the topics (query)")
    parser.add_argument("--top", type=int, default=30, help="functions listed per ordering")
    args = parser.parse_args(argv)

    from corpus_search.index import CorpusIndex

    docs = harness.load_corpus(f"synthetic-{args.size}", stream=True)
    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="cs-profile-") as tmp:
        ix = CorpusIndex.create(Path(tmp) / "index", overwrite=True)
        t0 = time.perf_counter()
        if args.what == "build":
            profile.runcall(ix.add_documents, docs, procs=1)
        else:
            ix.add_documents(docs, procs=2)
            queries = harness.eval_topics()
            for q in queries:
                ix.search(q, limit=10, highlight=False)

            def passes() -> None:
                for _ in range(args.reps):
                    for q in queries:
                        ix.search(q, limit=10, highlight=False)

            t0 = time.perf_counter()
            profile.runcall(passes)
        seconds = time.perf_counter() - t0
        ix.close()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(f"{args.what} synthetic-{args.size}: {seconds:.1f} s under the profiler")
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
