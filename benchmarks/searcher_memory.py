"""A searcher's memory on an existing index: open it, search the eval topics and a few more
queries, and print the open time, then ``VmHWM``/``VmRSS`` and their anonymous and file
shares from ``/proc/self/status`` (Linux)::

    python benchmarks/searcher_memory.py INDEX            # segment files read through the map
    python benchmarks/searcher_memory.py INDEX --copies   # as Whoosh reads them: copied

Run the two alternately, one process each (``--copies`` turns off
:func:`corpus_search.store.mapped.use_mapped_segment_files` for its process), e.g. on the
100k index of the scaling benchmark. docs/benchmarks.md, "Segment files read through their
memory map", has the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

EXTRA_QUERIES = ["Labour", "election", "Blair Brown", '"general election"', "NHS waiting lists",
                 "Tories tax"]


def memory() -> dict[str, int]:
    """MB of this process: peak and current resident set, its anonymous and file pages."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
                found[key] = int(value.split()[0]) // 1024
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("--copies", action="store_true", help="read segment files as copies")
    args = parser.parse_args(argv)
    from corpus_search.store import generations

    if args.copies:
        generations.use_mapped_segment_files = lambda: None
    from corpus_search.index import CorpusIndex

    start = time.perf_counter()
    ix = CorpusIndex(args.index)
    opened = time.perf_counter() - start
    at_open = memory()
    start = time.perf_counter()
    for q in [*harness.eval_topics(), *EXTRA_QUERIES]:
        results = ix.search(q)
        results.total  # noqa: B018 (counted on use)
    searched = time.perf_counter() - start
    print(f"{'copies' if args.copies else 'map'}: open {opened:.3f} s {at_open}; "
          f"queries {searched:.2f} s {memory()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
