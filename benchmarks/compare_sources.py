"""Query latency of two versions of the library on one index, alternating, in one run.

A change to the query path is measured here against the code it replaces: the same index
(built once, by either version: the format is theirs in common), the same query classes as
the scaling benchmark plus the filtered class, each version in fresh interpreters whose
``PYTHONPATH`` puts its ``src`` first. The versions take turns (A B, then B A, ...), each
turn a new process that opens the index, answers every query twice untimed, then times
``--reps`` calls of each (``harness.time_queries``); timings are pooled over the turns, and
the 1-minute load average is recorded before and after each.
Each turn also records every query's top ``--depth`` (document ids and scores), total,
phrase and related counts and facets, and the run fails if two versions disagree on any of
them (scores to a relative 1e-12).

::

    python benchmarks/compare_sources.py build synthetic-100000 /tmp/ix-100k
    git archive main src | tar -x -C /tmp/main-src      # the version to compare with
    nice -n 10 python benchmarks/compare_sources.py time /tmp/ix-100k \\
        main=/tmp/main-src/src branch=src --turns 4 --reps 5 --json .benchmarks/cmp.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CLASSES = (*harness.SCALE_CLASSES, "filtered")


def build(corpus: str, path: Path) -> None:
    """Index ``corpus`` (``synthetic-N``, ``bbc-dated``: see ``harness.load_corpus``) at
    ``path`` with two writer processes."""
    from corpus_search.index import CorpusIndex

    docs = harness.load_corpus(corpus, stream=True)
    t0 = time.perf_counter()
    ix = CorpusIndex.create(path, overwrite=True)
    ix.add_documents(docs, procs=2)
    ix.close()
    print(f"built {corpus} at {path} in {time.perf_counter() - t0:.0f} s")


def worker(
    path: Path, reps: int, depth: int, classes: tuple[str, ...] = CLASSES
) -> dict[str, Any]:
    """One turn: the timings and answers (the top ``depth``) of every class of ``classes`` on
    the index at ``path``."""
    import corpus_search
    from corpus_search.index import CorpusIndex

    ix = CorpusIndex(path)
    timings, answers = {}, {}
    filters = {"filtered": harness.FILTER}
    for cls in classes:
        run = harness.query_runner("corpus_search", ix, cls)
        queries = harness.queries_for(cls)
        timings[cls] = harness.time_queries(run, queries, reps)
        for q in queries:
            r = ix.search(q, limit=depth, highlight=False, filters=filters.get(cls))
            answers[f"{cls}\t{q}"] = {
                "hits": [(h.id, h.score) for h in r.hits],
                "total": r.total,
                "phrase_matches": r.phrase_matches,
                "related_only": r.related_only,
                "facets": r.facets,
            }
    ix.close()
    return {"module": corpus_search.__file__, "timings": timings, "answers": answers}


def _turn(src: str, path: Path, reps: int, depth: int, classes: tuple[str, ...]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(Path(src).resolve()))
    out = subprocess.run(
        [sys.executable, __file__, "_worker", str(path), str(reps), str(depth), ",".join(classes)],
        env=env, capture_output=True, text=True,
    )
    if out.returncode:
        last = out.stderr.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"the turn of {src} failed: {last[0]}")
    return json.loads(out.stdout)


def _same(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Where two turns' answers differ (scores to a relative 1e-12)."""
    diffs = []
    for key, x in a.items():
        y = b[key]
        ids_x, ids_y = [i for i, _ in x["hits"]], [i for i, _ in y["hits"]]
        close = all(
            math.isclose(s, t, rel_tol=1e-12)
            for (_, s), (_, t) in zip(x["hits"], y["hits"], strict=False)
        )
        rest = [x[k] == y[k] for k in ("total", "phrase_matches", "related_only", "facets")]
        if ids_x != ids_y or not close or not all(rest):
            diffs.append(key)
    return diffs


def compare(
    path: Path,
    sources: dict[str, str],
    turns: int,
    reps: int,
    depth: int = 10,
    classes: tuple[str, ...] = CLASSES,
) -> dict[str, Any]:
    pooled: dict[str, dict[str, dict[str, list[int]]]] = {name: {} for name in sources}
    answers: dict[str, dict[str, Any]] = {}
    names = list(sources)
    load = [os.getloadavg()[0]]
    for turn in range(turns):
        for name in names if turn % 2 == 0 else names[::-1]:
            got = _turn(sources[name], path, reps, depth, classes)
            print(f"turn {turn + 1} {name}: {got['module']}", file=sys.stderr)
            for cls, timings in got["timings"].items():
                mine = pooled[name].setdefault(cls, {})
                for q, ts in timings.items():
                    mine.setdefault(q, []).extend(ts)
            answers.setdefault(name, got["answers"])
            load.append(os.getloadavg()[0])
    first = answers[names[0]]
    differ = {name: _same(first, answers[name]) for name in names[1:]}
    summary = {
        name: {cls: harness.latency_summary(t) for cls, t in classes.items()}
        for name, classes in pooled.items()
    }
    return {"index": str(path), "sources": sources, "turns": turns, "reps": reps,
            "classes": list(classes),
            "machine": harness.machine_info(), "load": load, "summary": summary,
            "differ": differ}


def _table(result: dict[str, Any]) -> str:
    names = list(result["sources"])
    head = "| class | " + " | ".join(f"{n} p50 ms | {n} p95 ms" for n in names) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(names))]
    for cls in result.get("classes", CLASSES):
        cells = []
        for n in names:
            s = result["summary"][n][cls]
            cells += [f"{s['p50_ms']:.2f}", f"{s['p95_ms']:.2f}"]
        lines.append(f"| {cls} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    b = sub.add_parser("build", help="index a corpus: synthetic-N or bbc-dated")
    b.add_argument("corpus")
    b.add_argument("path", type=Path)
    t = sub.add_parser("time", help="time the versions NAME=SRC on the index at PATH")
    t.add_argument("path", type=Path)
    t.add_argument("sources", nargs="+", metavar="NAME=SRC")
    t.add_argument("--turns", type=int, default=4, help="processes per version, alternating")
    t.add_argument("--reps", type=int, default=5, help="timed calls of each query per turn")
    t.add_argument("--depth", type=int, default=10, help="hits compared per query")
    t.add_argument(
        "--classes", default=",".join(CLASSES),
        help="query classes, comma-separated (also topics_uncached, topics_highlight)",
    )
    t.add_argument("--json", type=Path, help="write the result here")
    w = sub.add_parser("_worker")
    w.add_argument("path", type=Path)
    w.add_argument("reps", type=int)
    w.add_argument("depth", type=int)
    w.add_argument("classes")
    args = parser.parse_args(argv)
    if args.what == "build":
        build(args.corpus, args.path)
        return 0
    if args.what == "_worker":
        classes = tuple(args.classes.split(","))
        json.dump(worker(args.path, args.reps, args.depth, classes), sys.stdout)
        return 0
    sources = dict(s.split("=", 1) for s in args.sources)
    classes = tuple(args.classes.split(","))
    result = compare(args.path, sources, args.turns, args.reps, args.depth, classes)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    print(_table(result))
    print(f"1-minute load average, start and after each turn: {result['load']}")
    for name, keys in result["differ"].items():
        print(f"{name}: {'same answers' if not keys else f'{len(keys)} queries differ: {keys}'}")
    return 1 if any(result["differ"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
