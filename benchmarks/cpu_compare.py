"""CPU and wall time of the BBC build and queries for one source tree: before/after checks.

On a shared machine wall times swing with the load (the same build took 12 s in one run and
23 s in the next); the CPU a build or a query uses moves far less. This measures both, for
comparing two versions of the library in one session: check the other version out in a
worktree with its own virtual environment, then run this script with each tree's Python,
alternately, so the load falls on both::

    git worktree add /tmp/before REV && (cd /tmp/before && python3 -m venv .venv &&
        .venv/bin/pip install -e ".[test]")
    /tmp/before/.venv/bin/python benchmarks/cpu_compare.py /tmp/before before-1.json
    .venv/bin/python benchmarks/cpu_compare.py . after-1.json        # then before-2, after-2
    python benchmarks/cpu_compare.py --report before-*.json -- after-*.json

Each tree's own ``benchmarks/harness.py`` reads the corpus and builds the engines, so both
sides run the code of their version. Builds: ``ROUNDS`` builds of the BBC articles per
engine (``corpus_search`` one process, ``corpus_search_mp`` two workers), each into a fresh
folder; CPU = user + system of this process and its waited-for workers (``getrusage``).
Queries: per class, every query timed ``REPS`` times after two warm-up calls, wall
(``perf_counter_ns``) and CPU of this process (``process_time_ns``; queries run in one
thread). Figures are medians.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROUNDS = int(os.environ.get("CS_CPU_ROUNDS", "5"))
REPS = int(os.environ.get("CS_CPU_REPS", "20"))
ENGINES = ("corpus_search", "corpus_search_mp")
CLASSES = ("single", "several", "phrase", "expansion", "topics", "topics_uncached")


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(tree: Path) -> dict[str, Any]:
    sys.path.insert(0, str(tree / "benchmarks"))
    import corpus_search
    import harness

    source = Path(corpus_search.__file__).resolve()
    if tree.resolve() not in source.parents:
        raise SystemExit(f"corpus_search comes from {source}, not from {tree}: use its venv")
    docs = harness.with_dates(harness.load_corpus("bbc"))
    out: dict[str, Any] = {"tree": str(tree), "load": [os.getloadavg()[0]], "build": {}}
    with tempfile.TemporaryDirectory(prefix="cs-cpu-") as tmp:
        for engine in ENGINES:
            rounds = []
            for r in range(ROUNDS):
                path = harness.fresh_dir(Path(tmp), f"{engine}-{r}")
                cpu0, t0 = _cpu(), time.perf_counter()
                built = harness.build_engine(engine, docs, path)
                wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
                built.close()
                rounds.append({"wall_s": wall, "cpu_s": cpu})
            out["build"][engine] = rounds
        out["load"].append(os.getloadavg()[0])
        ix = harness.build_engine("corpus_search_mp", docs, harness.fresh_dir(Path(tmp), "q"))
        out["query"] = {}
        for cls in CLASSES:
            run = harness.query_runner("corpus_search", ix, cls)
            queries = harness.queries_for(cls)
            for q in queries:
                run(q)
                run(q)
            wall, cpu = [], []
            for _ in range(REPS):
                for q in queries:
                    c0, t0 = time.process_time_ns(), time.perf_counter_ns()
                    run(q)
                    wall.append((time.perf_counter_ns() - t0) / 1e6)
                    cpu.append((time.process_time_ns() - c0) / 1e6)
            out["query"][cls] = {
                "wall_p50_ms": statistics.median(wall),
                "cpu_p50_ms": statistics.median(cpu),
                "calls": len(wall),
            }
        ix.close()
    out["load"].append(os.getloadavg()[0])
    out["docs"] = len(docs)
    return out


def report(before: list[Path], after: list[Path]) -> str:
    """A markdown table: medians per side over all its runs, ratio after / before with the
    range of the per-run ratios (run ``i`` of each side paired)."""
    b_runs = [json.loads(p.read_text()) for p in before]
    a_runs = [json.loads(p.read_text()) for p in after]

    def build(run: dict[str, Any], engine: str, key: str) -> float:
        return statistics.median(r[key] for r in run["build"][engine])

    rows = []

    def row(name: str, get: Any, unit: str) -> None:
        bv, av = [get(r) for r in b_runs], [get(r) for r in a_runs]
        b, a = statistics.median(bv), statistics.median(av)
        pairs = [y / x for x, y in zip(bv, av, strict=False)]
        rows.append(
            f"| {name} | {b:.3f} {unit} | {a:.3f} {unit} | "
            f"{a / b:.2f}× ({min(pairs):.2f}-{max(pairs):.2f}) |"
        )

    for engine in ENGINES:
        for key, label in (("cpu_s", "CPU"), ("wall_s", "wall")):
            row(f"build `{engine}` {label}", lambda r, e=engine, k=key: build(r, e, k), "s")
    for cls in CLASSES:
        for key, label in (("cpu_p50_ms", "CPU"), ("wall_p50_ms", "wall")):
            row(f"query `{cls}` p50 {label}", lambda r, c=cls, k=key: r["query"][c][k], "ms")
    loads = [x for r in b_runs + a_runs for x in r["load"]]
    head = [
        f"{len(b_runs)} + {len(a_runs)} runs, 1-minute load {min(loads):.1f}-{max(loads):.1f}",
        "",
        "| measure | before | after | after / before (per-run range) |",
        "|---|--:|--:|--:|",
    ]
    return "\n".join(head + rows)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--report":
        split = argv.index("--")
        print(report([Path(p) for p in argv[1:split]], [Path(p) for p in argv[split + 1 :]]))
        return 0
    tree, target = Path(argv[0]).resolve(), Path(argv[1])
    target.write_text(json.dumps(measure(tree), indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
