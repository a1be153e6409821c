"""Turn pytest-benchmark JSON files into ``docs/benchmarks.md`` and PNG plots in ``docs/img/``.

Usage::

    python benchmarks/report.py .benchmarks/run.json [.benchmarks/scaling.json ...]
        [--out docs/benchmarks.md] [--img docs/img] [--notes benchmarks/notes.md]

``--section targets|cli|build|query|scaling|other`` prints that section alone to standard
output (nothing written), to update one part of the page from a partial run, e.g. the
whole-process table from ``pytest benchmarks/bench_cli.py --benchmark-json=...``.

Several JSON files are merged (e.g. the default run and the slow scaling run); benchmarks
are recognised by ``extra_info["kind"]`` (``build``, ``query``, ``scaling``); anything else
(e.g. the analyzer throughput benchmarks) is listed in a generic table with its extra info.
``--notes`` appends a hand-written Markdown file (profiles, recommendations) to the page.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OURS = "corpus_search"
#: scaling targets per corpus size: build minutes, peak memory MB, worst class p95 ms
SCALE_TARGETS = {100_000: (10, 1536, 50), 1_000_000: (10, 4096, 100)}
BUILD_ORDER = ["corpus_search", "corpus_search_mp", "corpus_search_dir", "whoosh", "tantivy"]
QUERY_ENGINES = ["corpus_search", "whoosh", "whoosh_or", "tantivy"]
CLASS_ORDER = [
    "single",
    "several",
    "phrase",
    "expansion",
    "filtered",
    "fuzzy",
    "topics",
    "topics_uncached",
    "topics_highlight",
]
CLASS_LABEL = {
    "single": "single word",
    "several": "several words",
    "phrase": "phrase",
    "expansion": "acronym / synonym",
    "filtered": "filtered (party + date)",
    "fuzzy": "fuzzy (`word~`)",
    "topics": "eval topics (mix)",
    "topics_uncached": "eval topics, each parsed afresh",
    "topics_highlight": "eval topics + snippets",
}
COLORS = {
    "corpus_search": "#1f77b4",
    "corpus_search_mp": "#17becf",
    "corpus_search_dir": "#9edae5",
    "whoosh": "#ff7f0e",
    "whoosh_or": "#ffbb78",
    "tantivy": "#2ca02c",
}


def load(paths: list[Path]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    benches, runs = [], []
    for path in paths:
        data = json.loads(Path(path).read_text())
        runs.append({k: data.get(k) for k in ("machine_info", "commit_info", "datetime")})
        runs[-1]["file"] = Path(path).name
        for b in data.get("benchmarks", []):
            b["_file"] = str(path)
            benches.append(b)
    return benches, runs


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|",
    ]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


# -- sections --------------------------------------------------------------------------------


def machine_section(runs: list[dict[str, Any]]) -> list[str]:
    lines = ["## Machine and run", ""]
    for run in runs:
        m = run.get("machine_info") or {}
        cs = m.get("corpus_search") or {}
        commit = run.get("commit_info") or {}
        cpu = cs.get("cpu") or m.get("cpu", {}).get("brand_raw", "?")
        python = m.get("python_version", cs.get("python", "?"))
        system = cs.get("platform", m.get("system", ""))
        lines.append(
            f"- `{run['file']}`, {run.get('datetime', '?')[:19]} UTC: {cpu}, "
            f"{cs.get('cores', '?')} cores, {cs.get('memory', '?')} RAM, "
            f"Python {python}, {system}; "
            f"whoosh-reloaded {cs.get('whoosh', '?')}, tantivy {cs.get('tantivy', '?')}, "
            f"pytest-benchmark {cs.get('pytest_benchmark', '?')}; commit "
            f"`{(commit.get('id') or '?')[:8]}`{' (dirty)' if commit.get('dirty') else ''}"
        )
    lines += [
        "",
        "The machine is shared and noisy: read ratios measured in the same run, not absolute "
        "times. Times are medians.",
        "",
    ]
    return lines


def build_rows(benches: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for b in benches:
        e = b.get("extra_info", {})
        if e.get("kind") != "build":
            continue
        median = b["stats"]["median"]
        out.setdefault(e["corpus"], {})[e["engine"]] = {
            "seconds": median,
            "docs_s": e["docs"] / median,
            "mb_s": e["bytes"] / 1e6 / median,
            **e,
        }
    return out


def build_section(builds: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    lines = [
        "## Index build",
        "",
        "Median of the `benchmark.pedantic` rounds (seeds 10, BBC 3), documents already in "
        "memory except `corpus_search_dir`, which reads the files as `index_directory` does. "
        "MB = UTF-8 megabytes of title + body. **Peak RSS** is `VmHWM` of a separate "
        "build in a fresh interpreter (whole process: interpreter, documents, build); *before* "
        "is its RSS just before the build started; *workers* is the largest "
        "build worker's peak (`RUSAGE_CHILDREN`; it counts pages shared with the "
        "parent by fork, so parent + workers over-counts). Ratios are throughput relative to "
        "the engine named, in the same run.",
        "",
    ]
    for corpus in ("seeds", "bbc"):
        rows_by_engine = builds.get(corpus)
        if not rows_by_engine:
            continue
        any_row = next(iter(rows_by_engine.values()))
        lines += [
            f"### {corpus} ({any_row['docs']:,} documents, {any_row['bytes'] / 1e6:.2f} MB)",
            "",
        ]
        whoosh = rows_by_engine.get("whoosh", {}).get("docs_s")
        tantivy = rows_by_engine.get("tantivy", {}).get("docs_s")
        rows = []
        for name in BUILD_ORDER:
            r = rows_by_engine.get(name)
            if not r:
                continue
            rows.append(
                [
                    f"`{name}`",
                    fmt(r["seconds"], 3),
                    fmt(r["docs_s"]),
                    fmt(r["mb_s"]),
                    fmt(r["peak_rss_mb"], 0),
                    fmt(r["baseline_rss_mb"], 0),
                    fmt(r["children_peak_rss_mb"], 0) if r["children_peak_rss_mb"] > 1 else "–",
                    fmt(r["index_bytes"] / 1e6),
                    ratio(r["docs_s"], whoosh),
                    ratio(r["docs_s"], tantivy),
                ]
            )
        lines += table(
            [
                "engine",
                "seconds",
                "docs/s",
                "MB/s",
                "peak RSS MB",
                "before MB",
                "workers MB",
                "index MB",
                "vs whoosh",
                "vs tantivy",
            ],
            rows,
        )
        lines.append("")
    lines += ["![Build throughput per engine](img/build_throughput.png)", ""]
    return lines


def query_rows(benches: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for b in benches:
        e = b.get("extra_info", {})
        if e.get("kind") == "query":
            out.setdefault(e["query_class"], {})[e["engine"]] = e
    return out


def query_section(queries: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    if not queries:
        return []
    lines = [
        "## Query latency on the BBC index (warm searcher, top 10)",
        "",
        "p50 / p95 in milliseconds over every timed call of the class's queries (each query "
        "timed alone with `perf_counter_ns`, after two warm-up calls). corpus_search without "
        "snippets (`highlight=False`) unless stated. `whoosh` is stock Whoosh with its default "
        "AND grouping (as in the relevance evaluation) plus `FuzzyTermPlugin`; `whoosh_or` groups "
        "words with OR like ours. Ratio = corpus_search p50 / other p50 (below 1 means we are "
        "faster).",
        "",
    ]
    header = ["class", "queries"]
    for name in QUERY_ENGINES:
        header += [f"{name} p50", f"{name} p95"]
    header += ["ours/whoosh", "ours/whoosh_or", "ours/tantivy"]
    rows = []
    for cls in CLASS_ORDER:
        by = queries.get(cls)
        if not by:
            continue
        any_e = next(iter(by.values()))
        row = [CLASS_LABEL.get(cls, cls), str(any_e["queries"])]
        for name in QUERY_ENGINES:
            e = by.get(name)
            row += [fmt(e["p50_ms"], 3), fmt(e["p95_ms"], 3)] if e else ["–", "–"]
        ours = by.get(OURS, {}).get("p50_ms")
        for other in ("whoosh", "whoosh_or", "tantivy"):
            row.append(ratio(ours, by.get(other, {}).get("p50_ms")))
        rows.append(row)
    lines += table(header, rows)
    lines += ["", "![Query latency per class](img/query_latency.png)", ""]
    topics = queries.get("topics", {}).get(OURS)
    if topics:
        slow = sorted(topics["per_query_p50_ms"].items(), key=lambda kv: -kv[1])[:8]
        lines += ["Slowest eval topics for corpus_search (p50 ms):", ""]
        others = queries.get("topics", {})
        rows = [
            [
                f"`{q}`",
                fmt(v, 3),
                *[
                    fmt(others.get(n, {}).get("per_query_p50_ms", {}).get(q), 3)
                    for n in QUERY_ENGINES[1:]
                ],
            ]
            for q, v in slow
        ]
        lines += table(["query", "corpus_search", *QUERY_ENGINES[1:]], rows)
        lines.append("")
    return lines


def cli_rows(benches: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The whole-process cases of ``bench_cli.py`` by case name (``index:whoosh``, ...)."""
    out: dict[str, dict[str, Any]] = {}
    for b in benches:
        e = b.get("extra_info", {})
        if e.get("kind") == "cli":
            out[e["case"]] = {**e, "rounds": len(e.get("wall_rounds", []))}
    return out


#: the order of the whole-process cases in the table, by the first part of their names
CLI_ORDER = ("index", "search", "terminal", "served", "wildcard", "listing", "concordance",
             "count", "help", "python")


def cli_section(cli: dict[str, dict[str, Any]]) -> list[str]:
    if not cli:
        return []
    lines = [
        "## What users feel: the command as a whole process",
        "",
        "`benchmarks/bench_cli.py`: each round is one fresh process, timed from outside, so "
        "interpreter start-up, imports, reading the files and committing all count. *CPU s* is "
        "user + system of the process and every worker it forked "
        "(`getrusage(RUSAGE_CHILDREN)` before and after); *wall s* is elapsed time; both are "
        "medians of the rounds. `index` builds the BBC corpus into a fresh folder each round "
        "with the writer processes the library chooses, its rounds sharing one user cache "
        "folder as a user's builds do (`first build`: the cache folder emptied before each "
        "round, as on a new machine); the baseline is "
        "`benchmarks/stock_whoosh_cli.py`, a plain stock-Whoosh script (StemmingAnalyzer, one "
        "process, the same files) run in the same session. The *served* searches run while "
        "`corpus-search serve` runs (the imports done once); their CPU adds the server's. "
        "*load* is the 1-minute load "
        "average when the case started and ended (the machine is shared; 2 cores).",
        "",
    ]
    base = cli.get("index:stock_whoosh")
    order = sorted(
        cli,
        key=lambda c: (
            CLI_ORDER.index(c.split(":")[0]) if c.split(":")[0] in CLI_ORDER
            else 9,
            c,
        ),
    )
    rows = []
    for case in order:
        e = cli[case]
        vs_cpu = vs_wall = "–"
        if case.startswith("index:") and base:
            vs_cpu = f"{base['cpu_s'] / e['cpu_s']:.2f}×"
            vs_wall = f"{base['wall_s'] / e['wall_s']:.2f}×"
        rows.append(
            [
                f"`{e['command']}`",
                str(e["rounds"]),
                fmt(e["cpu_s"], 3),
                fmt(e["wall_s"], 3),
                vs_cpu,
                vs_wall,
                f"{e.get('load_before', 0):.1f} → {e.get('load_after', 0):.1f}",
            ]
        )
    lines += table(
        [
            "command",
            "rounds",
            "CPU s",
            "wall s",
            "stock Whoosh CPU / this",
            "stock Whoosh wall / this",
            "load",
        ],
        rows,
    )
    lines.append("")
    return lines


def scaling_rows(benches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (engine, size): a later file (or later run in a file) replaces an earlier."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for b in benches:
        e = b.get("extra_info", {})
        if e.get("kind") == "scaling":
            rows[(e["engine"], e["size"])] = e
    return list(rows.values())


def scaling_section(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return [
            "## Scaling",
            "",
            "No scaling run in these JSON files (`pytest benchmarks -m slow`).",
            "",
        ]
    lines = [
        "## Scaling: synthetic corpora from the BBC text",
        "",
        "Seeded word-bigram corpora with the BBC length distribution (`benchmarks/synthetic.py`). "
        "Each engine builds in a fresh interpreter, then answers the query classes on a warm "
        "searcher. *CPU s* is user + system of the build process and its writer workers "
        "(`getrusage`); *load* the mean 1-minute load average sampled during the build (2 "
        "cores, shared). Peak RSS is the build process (`VmHWM`, read right after the build); "
        "*before* = its RSS when the build started: rows marked *streamed* read their "
        "documents one at a time from the generator's store on disk, the others hold them all "
        "in memory (~2.3 KB each). *workers* = the largest writer worker's own peak "
        "(`RUSAGE_CHILDREN`, pages shared with the parent included); *all PSS* = the largest "
        "sum over the build process and its workers of `Pss` (shared pages counted once), "
        "sampled every 0.5 s; *after queries* = `VmHWM` once every query class has run (the "
        "searcher's caches included).",
        "",
    ]
    rows = sorted(rows, key=lambda e: (e["size"], BUILD_ORDER.index(e["engine"])))
    table_rows = []
    for e in rows:
        lat = e.get("latency", {})
        topics = lat.get("topics", {})
        sampled = e.get("build_sampled", {})
        streamed = " (streamed)" if e.get("streamed") else ""
        table_rows.append(
            [
                f"{e['size']:,}",
                f"`{e['engine']}`{streamed}",
                fmt(e["build_seconds"], 1),
                fmt(e.get("build_cpu_seconds"), 1),
                fmt(sampled.get("load_mean"), 1),
                fmt(e["docs"] / e["build_seconds"]),
                fmt(e["bytes"] / 1e6 / e["build_seconds"]),
                fmt(e["index_bytes"] / 1e6),
                fmt(e["peak_rss_mb"], 0),
                fmt(e["baseline_rss_mb"], 0),
                fmt(e["children_peak_rss_mb"], 0) if e["children_peak_rss_mb"] > 1 else "–",
                fmt(sampled.get("tree_peak_pss_mb"), 0),
                fmt(e.get("peak_rss_after_queries_mb"), 0),
                fmt(topics.get("p50_ms"), 3),
                fmt(topics.get("p95_ms"), 3),
                fmt(max((v["p95_ms"] for v in lat.values()), default=None), 3),
            ]
        )
    lines += table(
        [
            "docs",
            "engine",
            "build s",
            "CPU s",
            "load",
            "docs/s",
            "MB/s",
            "index MB",
            "peak RSS MB",
            "before MB",
            "workers MB",
            "all PSS MB",
            "after queries MB",
            "topics p50 ms",
            "topics p95 ms",
            "worst class p95 ms",
        ],
        table_rows,
    )
    lines += ["", "Query p50 / p95 (ms) per class:", ""]
    classes = [c for c in CLASS_ORDER if any(c in e.get("latency", {}) for e in rows)]
    header = ["docs", "engine", *[CLASS_LABEL[c] for c in classes]]
    lrows = []
    for e in rows:
        lat = e.get("latency", {})
        lrows.append(
            [
                f"{e['size']:,}",
                f"`{e['engine']}`",
                *[
                    f"{fmt(lat[c]['p50_ms'], 3)} / {fmt(lat[c]['p95_ms'], 3)}" if c in lat else "–"
                    for c in classes
                ],
            ]
        )
    lines += table(header, lrows)
    lines += ["", "![Query latency vs corpus size](img/latency_vs_size.png)", ""]
    return lines


def other_section(benches: list[dict[str, Any]]) -> list[str]:
    others = [
        b
        for b in benches
        if b.get("extra_info", {}).get("kind") not in ("build", "query", "scaling", "cli")
    ]
    if not others:
        return [
            "## Analyzer throughput",
            "",
            "No analyzer benchmarks in these JSON files (`benchmarks/bench_analyzer.py`).",
            "",
        ]
    lines = [
        "## Analyzer throughput and other benchmarks",
        "",
        "From `benchmarks/bench_analyzer.py` and any other benchmark without a known kind: "
        "median time per call and the extra information each recorded.",
        "",
    ]
    rows = []
    for b in sorted(others, key=lambda b: (b.get("group") or "", b["name"])):
        extra = ", ".join(
            f"{k}={fmt(v) if isinstance(v, float) else v}"
            for k, v in b.get("extra_info", {}).items()
            if not isinstance(v, (dict, list))
        )
        rows.append(
            [f"`{b['name']}`", b.get("group") or "", fmt(b["stats"]["median"] * 1e3, 3), extra]
        )
    lines += table(["benchmark", "group", "median ms", "extra"], rows)
    lines.append("")
    return lines


def targets_section(builds, queries, scaling, cli=None) -> list[str]:
    lines = ["## Targets", "", "| target | measured | met |", "|---|---|:-:|"]

    def row(name: str, measured: str, ok: bool | None) -> None:
        mark = "–" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {name} | {measured} | {mark} |")

    cli = cli or {}
    base = cli.get("index:stock_whoosh")
    for case, which in (("index:corpus_search", ", the cache folder kept between rounds"),
                        ("index:corpus_search-first", ", first build: empty cache folder")):
        ours = cli.get(case)
        if not (ours and base):
            continue
        for what, key in (("CPU", "cpu_s"), ("wall", "wall_s")):
            r = base[key] / ours[key]
            row(
                f"CLI `index` BBC: ≥ 3× less {what} than the stock-Whoosh script "
                f"(whole process{which})",
                f"{r:.2f}× ({fmt(ours[key], 3)} vs {fmt(base[key], 3)} s)",
                r >= 3,
            )
    for kind, how in (("search", ""), ("served", ", `corpus-search serve` running")):
        searches = [e for c, e in cli.items() if c.startswith(f"{kind}:")]
        if searches:
            worst = max(searches, key=lambda e: e["wall_s"])
            row(
                f"one CLI search on the BBC index ≤ 0.15 s wall (whole process{how})",
                f"slowest query `{worst['query']}` {fmt(worst['wall_s'], 3)} s "
                f"(CPU {fmt(worst['cpu_s'], 3)} s)",
                worst["wall_s"] <= 0.15,
            )
    if "help" in cli:
        e = cli["help"]
        row(
            "`corpus-search --help` ≤ 0.1 s wall",
            f"{fmt(e['wall_s'], 3)} s (CPU {fmt(e['cpu_s'], 3)} s)",
            e["wall_s"] <= 0.1,
        )

    bbc = builds.get("bbc", {})
    w = bbc.get("whoosh", {}).get("docs_s")
    ours_bbc = [
        (bbc[n]["docs_s"], n)
        for n in ("corpus_search", "corpus_search_mp", "corpus_search_dir")
        if n in bbc
    ]
    best = max(ours_bbc) if ours_bbc else None
    if w and best:
        row(
            "BBC build ≥ 3× stock Whoosh (same run)",
            f"best ours `{best[1]}` {best[0] / w:.2f}× ({fmt(best[0])} vs {fmt(w)} docs/s)",
            best[0] / w >= 3,
        )
        # the same builds once more, each in a fresh interpreter (the memory measurement):
        # no analyzer caches warmed by earlier rounds, the stemmer imported during the build
        ws = bbc.get("whoosh", {}).get("subprocess_build_seconds")
        fresh = [
            (ws / bbc[n]["subprocess_build_seconds"], n)
            for n in ("corpus_search", "corpus_search_mp", "corpus_search_dir")
            if n in bbc and bbc[n].get("subprocess_build_seconds") and ws
        ]
        if fresh:
            ratio, name = max(fresh)
            row(
                "BBC build ≥ 3× stock Whoosh, each in a fresh process",
                f"best ours `{name}` {ratio:.2f}× "
                f"({fmt(bbc[name]['subprocess_build_seconds'], 3)} vs {fmt(ws, 3)} s)",
                ratio >= 3,
            )
    topics = queries.get("topics", {})
    if OURS in topics:
        p50 = topics[OURS]["p50_ms"]
        row("eval-topics p50 ≤ 1 ms on BBC", f"{fmt(p50, 3)} ms", p50 <= 1.0)
        tantivy = topics.get("tantivy", {}).get("p50_ms")
        if tantivy:
            row(
                "eval-topics p50 ≤ 10× tantivy's (same run; repeated queries)",
                f"{p50 / tantivy:.1f}× ({fmt(p50, 3)} vs {fmt(tantivy, 3)} ms)",
                p50 / tantivy <= 10,
            )
            fresh = queries.get("topics_uncached", {}).get(OURS, {}).get("p50_ms")
            if fresh:
                row(
                    "eval-topics p50 ≤ 10× tantivy's (same run; each query parsed afresh)",
                    f"{fresh / tantivy:.1f}× ({fmt(fresh, 3)} vs {fmt(tantivy, 3)} ms)",
                    fresh / tantivy <= 10,
                )
    slower = []
    for cls, by in queries.items():
        if OURS in by and "whoosh" in by and by[OURS]["p50_ms"] >= by["whoosh"]["p50_ms"]:
            slower.append(
                f"{CLASS_LABEL.get(cls, cls)} {by[OURS]['p50_ms'] / by['whoosh']['p50_ms']:.1f}×"
            )
    if queries:
        row(
            "p50 below stock Whoosh on every class",
            "slower on: " + ", ".join(slower) if slower else "faster on all",
            not slower,
        )
    big = [e for e in scaling if e["size"] in SCALE_TARGETS and e["engine"].startswith(OURS)]
    for e in sorted(big, key=lambda e: e["size"]):
        minutes, rss_mb, p95_ms = SCALE_TARGETS[e["size"]]
        label = f"{e['size'] // 1000:,}k" if e["size"] < 1_000_000 else "1M"
        cpu = e.get("build_cpu_seconds")
        load = e.get("build_sampled", {}).get("load_mean")
        row(
            f"{label} build ≤ {minutes} min (2 cores)",
            f"{e['build_seconds'] / 60:.1f} min"
            + (f" ({cpu / 60:.1f} min CPU" if cpu else "")
            + (f", load {load:.1f})" if cpu and load else (")" if cpu else "")),
            e["build_seconds"] <= minutes * 60,
        )
        pss = e.get("build_sampled", {}).get("tree_peak_pss_mb")
        # without the sampled sum, the main process plus the largest worker (an estimate)
        total = pss if pss else e["peak_rss_mb"] + e.get("children_peak_rss_mb", 0)
        after = e.get("peak_rss_after_queries_mb")
        row(
            f"{label} peak RSS ≤ {rss_mb / 1024:g} GB",
            f"main {fmt(e['peak_rss_mb'], 0)} MB"
            f" (+ worker peak {fmt(e['children_peak_rss_mb'], 0)} MB"
            + (f"; all processes {fmt(pss, 0)} MB PSS" if pss else "")
            + ")"
            + (f"; {fmt(after, 0)} MB after all queries" if after else ""),
            total <= rss_mb and (after is None or after <= rss_mb),
        )
        worst = max((v["p95_ms"] for v in e.get("latency", {}).values()), default=float("nan"))
        row(
            f"{label} query p95 ≤ {p95_ms} ms",
            f"worst class p95 {fmt(worst, 3)} ms",
            worst <= p95_ms,
        )
    if not big:
        row("100k / 1M targets", "no 100k or 1M scaling run in these files", None)
    lines.append("")
    return lines


def compare_section(
    before: list[list[dict[str, Any]]], after: list[list[dict[str, Any]]]
) -> list[str]:
    """Before/after of the same benchmarks, each side run several times, alternately.

    ``before[i]`` and ``after[i]`` are the benchmarks of run ``i`` of each side (one JSON
    file each, run one after the other so the machine's load falls on both). Builds are
    compared on each run's median round, queries on each run's p50; a side's figure is the
    median over its runs, and the ratio's range is over the pairs (after ``i`` / before
    ``i``): the noise to read it against.
    """
    from statistics import median

    def figures(run: list[dict[str, Any]]) -> dict[str, tuple[float, dict[str, Any]]]:
        out = {}
        for b in run:
            e = b.get("extra_info", {})
            if e.get("kind") == "build" and e.get("corpus") == "bbc":
                out[f"build `{e['engine']}`"] = (b["stats"]["median"], e)
            elif e.get("kind") == "query":
                cls = CLASS_LABEL.get(e["query_class"], e["query_class"])
                out[f"query p50 `{e['engine']}` {cls}"] = (e["p50_ms"], e)
        return out

    bf, af = [figures(r) for r in before], [figures(r) for r in after]
    names = [n for n in bf[0] if all(n in f for f in bf + af)] if bf and af else []
    rows = []
    for name in names:
        b_vals, a_vals = [f[name][0] for f in bf], [f[name][0] for f in af]
        b, a = median(b_vals), median(a_vals)
        pairs = [y / x for x, y in zip(b_vals, a_vals, strict=False)]
        unit = "s" if name.startswith("build") else "ms"
        extra = ""
        if name.startswith("build"):
            docs = bf[0][name][1]["docs"]
            extra = f" ({fmt(docs / b)} → {fmt(docs / a)} docs/s)"
        rows.append(
            [
                name + extra,
                " / ".join(fmt(v, 3) for v in b_vals) + f" {unit}",
                " / ".join(fmt(v, 3) for v in a_vals) + f" {unit}",
                fmt(b, 3),
                fmt(a, 3),
                f"{a / b:.2f}× ({min(pairs):.2f}-{max(pairs):.2f})",
            ]
        )
    return table(
        ["benchmark", "before, each run", "after, each run", "before", "after", "after / before"],
        rows,
    )


# -- plots -----------------------------------------------------------------------------------


def plots(builds, queries, scaling, img: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    img.mkdir(parents=True, exist_ok=True)
    written = []

    if builds:
        corpora = [c for c in ("seeds", "bbc") if c in builds]
        fig, axes = plt.subplots(1, len(corpora), figsize=(5.5 * len(corpora), 4), squeeze=False)
        for ax, corpus in zip(axes[0], corpora, strict=True):
            names = [n for n in BUILD_ORDER if n in builds[corpus]]
            vals = [builds[corpus][n]["docs_s"] for n in names]
            bars = ax.bar(names, vals, color=[COLORS.get(n, "grey") for n in names])
            ax.bar_label(bars, labels=[fmt(v) for v in vals], fontsize=8)
            ax.set_yscale("log")
            ax.set_ylabel("documents / second (log)")
            ax.set_title(f"Index build throughput: {corpus}")
            ax.tick_params(axis="x", rotation=30, labelsize=8)
        fig.tight_layout()
        fig.savefig(img / "build_throughput.png", dpi=110)
        plt.close(fig)
        written.append("build_throughput.png")

    if queries:
        classes = [c for c in CLASS_ORDER if c in queries]
        fig, ax = plt.subplots(figsize=(10, 4.5))
        width = 0.8 / len(QUERY_ENGINES)
        for i, name in enumerate(QUERY_ENGINES):
            xs, p50s, p95s = [], [], []
            for j, cls in enumerate(classes):
                e = queries[cls].get(name)
                if e:
                    xs.append(j + (i - (len(QUERY_ENGINES) - 1) / 2) * width)
                    p50s.append(e["p50_ms"])
                    p95s.append(e["p95_ms"])
            ax.bar(xs, p50s, width, color=COLORS.get(name), label=f"{name} p50")
            ax.scatter(xs, p95s, marker="_", color="black", s=60, zorder=3)
        ax.scatter([], [], marker="_", color="black", label="p95")
        ax.set_xticks(
            range(len(classes)), [CLASS_LABEL[c] for c in classes], rotation=20, fontsize=8
        )
        ax.set_yscale("log")
        ax.set_ylabel("latency ms (log)")
        ax.axhline(1.0, color="red", lw=0.8, ls="--", label="1 ms target")
        ax.set_title("Query latency per class, BBC index, warm searcher (bar p50, tick p95)")
        ax.legend(fontsize=8, ncol=3)
        fig.tight_layout()
        fig.savefig(img / "query_latency.png", dpi=110)
        plt.close(fig)
        written.append("query_latency.png")

    if scaling or queries:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
        engines = sorted({e["engine"] for e in scaling}, key=BUILD_ORDER.index) or ["corpus_search"]
        for name in engines:
            label_name = OURS if name.startswith(OURS) else name
            points = []
            bbc = queries.get("topics", {}).get(label_name)
            if bbc:
                points.append((2225, bbc["p50_ms"], bbc["p95_ms"]))
            for e in scaling:
                t = e.get("latency", {}).get("topics")
                if e["engine"] == name and t:
                    points.append((e["size"], t["p50_ms"], t["p95_ms"]))
            points.sort()
            if not points:
                continue
            xs = [p[0] for p in points]
            axes[0].plot(xs, [p[1] for p in points], "o-", color=COLORS.get(name), label=name)
            axes[0].plot(xs, [p[2] for p in points], "o--", color=COLORS.get(name), alpha=0.6)
            bpts = sorted((e["size"], e["build_seconds"]) for e in scaling if e["engine"] == name)
            if bpts:
                axes[1].plot(*zip(*bpts, strict=True), "o-", color=COLORS.get(name), label=name)
        for ax in axes:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("documents (log)")
            ax.legend(fontsize=8)
        axes[0].set_ylabel("eval-topics latency ms (log)")
        axes[0].set_title("Query latency vs corpus size (solid p50, dashed p95)")
        axes[1].set_ylabel("build seconds (log)")
        axes[1].set_title("Build time vs corpus size")
        fig.tight_layout()
        fig.savefig(img / "latency_vs_size.png", dpi=110)
        plt.close(fig)
        written.append("latency_vs_size.png")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    parser.add_argument("--img", type=Path, default=REPO / "docs" / "img")
    parser.add_argument("--notes", type=Path, default=None)
    parser.add_argument(
        "--section",
        choices=["targets", "cli", "build", "query", "scaling", "other", "compare"],
        help="print this section alone (with the machine lines) instead of writing the page",
    )
    parser.add_argument(
        "--against",
        nargs="+",
        type=Path,
        default=[],
        help="with --section compare: the runs of the 'after' side (the JSON arguments are "
        "the 'before' runs, in the same order)",
    )
    args = parser.parse_args(argv)

    benches, runs = load(args.json)
    builds, queries, scaling = build_rows(benches), query_rows(benches), scaling_rows(benches)
    cli = cli_rows(benches)
    if args.section == "compare":
        before = [load([p])[0] for p in args.json]
        after = [load([p])[0] for p in args.against]
        runs = load([*args.json, *args.against])[1]
        print("\n".join([*machine_section(runs)[2:-3], "", *compare_section(before, after)]))
        return 0
    if args.section:
        section = {
            "targets": lambda: targets_section(builds, queries, scaling, cli),
            "cli": lambda: cli_section(cli),
            "build": lambda: build_section(builds),
            "query": lambda: query_section(queries),
            "scaling": lambda: scaling_section(scaling),
            "other": lambda: other_section(benches),
        }[args.section]()
        print("\n".join([*machine_section(runs)[2:-3], "", *section]))
        return 0
    lines = [
        "# Benchmarks",
        "",
        "corpus_search against stock Whoosh (StemmingAnalyzer) and tantivy, measured with "
        "pytest-benchmark in the same run. Generated by `benchmarks/report.py` from "
        + ", ".join(f"`{p.name}`" for p in args.json)
        + ". Reproduce:",
        "",
        "<!-- docs-test: skip: runs the benchmarks (minutes) on the BBC corpus in ../shared -->",
        "```sh",
        "pytest benchmarks --benchmark-json=.benchmarks/run.json            # ~10 min",
        "pytest benchmarks -m slow --benchmark-json=.benchmarks/scaling.json # 10k + 100k, long",
        "python benchmarks/report.py .benchmarks/run.json .benchmarks/scaling.json",
        "```",
        "",
        "Needs `../shared` next to the repository (or `CORPUS_SEARCH_SHARED`).",
        "",
    ]
    lines += machine_section(runs)
    lines += targets_section(builds, queries, scaling, cli)
    lines += cli_section(cli)
    lines += build_section(builds)
    lines += other_section(benches)
    lines += query_section(queries)
    lines += scaling_section(scaling)
    plots(builds, queries, scaling, args.img)
    if args.notes and args.notes.is_file():
        lines += [args.notes.read_text(encoding="utf-8").rstrip(), ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out} and plots in {args.img}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
