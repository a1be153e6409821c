"""Shared pieces of the benchmarks: corpora, engines, query classes, timing and a build worker.

Imported by ``conftest.py`` and the ``bench_*.py`` files, and run as a script in a fresh
subprocess to measure one build's peak memory (see :func:`run_worker`)::

    python benchmarks/harness.py '{"engine": "whoosh", "corpus": "bbc"}'

Engines (names used in every table):

=====================  ======================================================================
``corpus_search``      ``CorpusIndex.add_documents(docs, procs=1)``: our full analyzer, one
                       process
``corpus_search_mp``   ``CorpusIndex.add_documents(docs, procs=2)``: the bulk writer in 2
                       forked worker processes, one commit (``corpus_search.store.bulk_workers``)
``corpus_search_dir``  ``CorpusIndex.index_directory(folder)``: the user's path, reading the
                       files too (procs chosen by the library)
``whoosh``             ``comparison.StockWhooshEngine``: StemmingAnalyzer, one process, BM25F,
                       ``MultifieldParser`` with AND grouping (Whoosh's default)
``whoosh_or``          the same index queried with OR grouping (like ours)
``tantivy``            ``comparison.TantivyEngine``: ``en_stem``, its default writer threads
=====================  ======================================================================
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("CORPUS_SEARCH_SHARED", REPO.parent / "shared"))
BBC = SHARED / "corpora" / "bbc"
TOPICS = SHARED / "eval" / "topics.tsv"
SEEDS = REPO / "seeds"
CACHE = REPO / ".benchmarks" / "cache"

DATE_SEED = 1729  # dates given to BBC articles (which have none) for the date-filter queries
SCALE_SIZES = (10_000, 100_000)

# -- corpora ---------------------------------------------------------------------------------


def read_folder(root: Path) -> list:
    """Documents of a folder as ``index_directory`` would index them (boilerplate stripped)."""
    from corpus_search.ingest.boilerplate import find_boilerplate, strip_boilerplate
    from corpus_search.ingest.files import iter_source_files, read_file

    docs = []
    for path in iter_source_files(root):
        docs.extend(read_file(path, root).documents)
    boilerplate = find_boilerplate(d.body for d in docs)
    if boilerplate:
        docs = [dataclasses.replace(d, body=strip_boilerplate(d.body, boilerplate)) for d in docs]
    return docs


def with_dates(docs: Sequence, seed: int = DATE_SEED) -> list:
    """Give every undated document a date in 2004-2005, deterministically."""
    rng = random.Random(seed)
    day0 = dt.date(2004, 1, 1)
    out = []
    for d in docs:
        date = day0 + dt.timedelta(days=rng.randrange(731))
        out.append(d if d.date else dataclasses.replace(d, date=date))
    return out


def corpus_root(name: str) -> Path | None:
    return {"bbc": BBC, "seeds": SEEDS}.get(name)


def load_corpus(name: str, stream: bool = False) -> Sequence:
    """``seeds``, ``bbc``, ``bbc-dated`` or ``synthetic-N`` (N documents from the BBC text).

    With ``stream``, a synthetic corpus is its :class:`synthetic.DocumentStore` on disk (read
    one document at a time) instead of a list in memory.
    """
    if name == "seeds":
        return read_folder(SEEDS)
    if name == "bbc":
        return read_folder(BBC)
    if name == "bbc-dated":
        return with_dates(read_folder(BBC))
    if name.startswith("synthetic-"):
        import synthetic

        size = int(name.split("-", 1)[1])
        if stream:
            return synthetic.generate_store(read_folder(BBC), size, cache_dir=CACHE)
        return synthetic.generate(read_folder(BBC), size, cache_dir=CACHE)
    raise ValueError(f"unknown corpus {name!r}")


def text_bytes(docs: Sequence) -> int:
    if hasattr(docs, "text_bytes"):  # a synthetic.DocumentStore knows its own
        return docs.text_bytes
    return sum(len(d.title.encode()) + len(d.body.encode()) for d in docs)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# -- engines ---------------------------------------------------------------------------------

BUILD_ENGINES = ("corpus_search", "corpus_search_mp", "corpus_search_dir", "whoosh", "tantivy")


def build_engine(name: str, docs: Sequence, path: Path, corpus: str | None = None) -> Any:
    """Build engine ``name`` over ``docs`` in the empty folder ``path``; return it, searchable."""
    from corpus_search.evaluation import engines as comparison

    if name in ("corpus_search", "corpus_search_mp", "corpus_search_dir"):
        from corpus_search.index import CorpusIndex

        ix = CorpusIndex.create(path, overwrite=True)
        if name == "corpus_search_dir":
            root = corpus_root(corpus or "")
            if root is None:
                raise ValueError(f"corpus_search_dir needs a folder corpus, not {corpus!r}")
            ix.index_directory(root)
        else:
            ix.add_documents(docs, procs=2 if name == "corpus_search_mp" else 1)
        return ix
    if name in ("whoosh", "whoosh_or"):
        engine = comparison.StockWhooshEngine(path, group="or" if name == "whoosh_or" else "and")
    elif name == "tantivy":
        engine = comparison.TantivyEngine(path)
    else:
        raise ValueError(f"unknown engine {name!r}")
    engine.build(docs)
    return engine


def fresh_dir(base: Path, name: str) -> Path:
    target = Path(base) / name
    if target.exists():
        shutil.rmtree(target)
    return target


# -- filtered stock engines: the same setups plus a party keyword and a date field -----------


class FilteredWhoosh:
    """Stock Whoosh with ``party`` (KEYWORD) and ``date`` (DATETIME) fields, filtered search."""

    def __init__(self, docs: Sequence, path: Path, parties: dict[str, list[str]]) -> None:
        from whoosh import fields, qparser, scoring
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.filedb.filestore import FileStorage

        path.mkdir(parents=True, exist_ok=True)
        schema = fields.Schema(
            id=fields.ID(stored=True, unique=True),
            title=fields.TEXT(analyzer=StemmingAnalyzer()),
            body=fields.TEXT(analyzer=StemmingAnalyzer()),
            party=fields.KEYWORD(commas=True),
            date=fields.DATETIME(),
        )
        self.index = FileStorage(str(path)).create_index(schema)
        writer = self.index.writer(limitmb=256)
        for d in docs:
            writer.add_document(
                id=d.id,
                title=d.title,
                body=d.body,
                party=",".join(parties.get(d.id, [])),
                date=dt.datetime.combine(d.date, dt.time.min),
            )
        writer.commit()
        self.parsers = {
            group: qparser.MultifieldParser(
                ["title", "body"], schema, fieldboosts={"title": 2.0}, group=cls
            )
            for group, cls in (("and", qparser.AndGroup), ("or", qparser.OrGroup))
        }
        self.searcher = self.index.searcher(weighting=scoring.BM25F())

    def search(
        self, text: str, k: int, party: str, since: dt.date, group: str = "and"
    ) -> list[str]:
        from whoosh import query

        flt = query.And([query.Term("party", party), query.DateRange("date", _dt(since), None)])
        hits = self.searcher.search(self.parsers[group].parse(text), limit=k, filter=flt)
        return [h["id"] for h in hits]


class FilteredTantivy:
    """tantivy with a raw ``party`` field and a fast ``date`` field, filters as Must clauses."""

    def __init__(self, docs: Sequence, path: Path, parties: dict[str, list[str]]) -> None:
        import tantivy

        self.t = tantivy
        path.mkdir(parents=True, exist_ok=True)
        b = tantivy.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw")
        b.add_text_field("title", tokenizer_name="en_stem")
        b.add_text_field("body", tokenizer_name="en_stem")
        b.add_text_field("party", tokenizer_name="raw")
        b.add_date_field("date", indexed=True, fast=True)
        self.schema = b.build()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=False)
        writer = self.index.writer(heap_size=128_000_000)
        for d in docs:
            writer.add_document(
                tantivy.Document(
                    id=d.id,
                    title=d.title,
                    body=d.body,
                    party=parties.get(d.id, []),
                    date=_dt(d.date),
                )
            )
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, text: str, k: int, party: str, since: dt.date) -> list[str]:
        t = self.t
        q = t.Query.boolean_query(
            [
                (t.Occur.Must, self.index.parse_query(text, ["title", "body"], {"title": 2.0})),
                (t.Occur.Must, t.Query.term_query(self.schema, "party", party)),
                (
                    t.Occur.Must,
                    t.Query.range_query(self.schema, "date", t.FieldType.Date, _dt(since), None),
                ),
            ]
        )
        result = self.searcher.search(q, limit=k)
        return [self.searcher.doc(a)["id"][0] for _s, a in result.hits]


def _dt(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


# -- query classes ---------------------------------------------------------------------------

FILTER = {"party": "Labour", "since": dt.date(2005, 1, 1)}

QUERY_CLASSES: dict[str, list[str]] = {
    "single": [
        "Blair",
        "election",
        "economy",
        "Iraq",
        "film",
        "tax",
        "minister",
        "broadband",
        "Chelsea",
        "immigration",
    ],
    "several": [
        "Labour election campaign",
        "tax rise budget",
        "Iraq war inquiry",
        "mobile phone music",
        "interest rates housing market",
        "Tory immigration policy",
        "world cup football",
        "student tuition fees",
    ],
    "phrase": [
        '"prime minister"',
        '"general election"',
        '"interest rates"',
        '"gordon brown"',
        '"house of lords"',
        '"human rights"',
    ],
    "expansion": [
        "Lib Dems",
        "PMQs",
        "Tories",
        "NHS",
        "Number 10",
        "ECHR",
        "Chancellor of the Exchequer",
        "by-election",
        "UKIP",
        "Labour MPs",
    ],
    "filtered": ["election", "tax", "Iraq", "immigration", "health", "school"],
    "fuzzy": ["blunket~", "goverment~", "parliment~", "labor~", "elction~", "minster~"],
}
#: classes run only on corpus_search
OURS_ONLY = {"topics_highlight", "topics_uncached"}
#: classes the scaling runs measure (no filtered/fuzzy variants of the other engines there)
SCALE_CLASSES = ("single", "several", "phrase", "expansion", "topics")


def eval_topics() -> list[str]:
    """Column 2 (the query) of ../shared/eval/topics.tsv."""
    queries = []
    for line in TOPICS.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 2 and cols[1].strip() and not line.startswith("#"):
            queries.append(cols[1])
    return queries


def queries_for(cls: str) -> list[str]:
    if cls in ("topics", "topics_highlight", "topics_uncached"):
        return eval_topics()
    return QUERY_CLASSES[cls]


def query_runner(engine_name: str, engine: Any, cls: str) -> Callable[[str], Any]:
    """A one-argument callable that answers a query of class ``cls`` (top 10) on ``engine``."""
    k = 10
    if engine_name.startswith("corpus_search"):
        if cls == "filtered":
            return lambda q: engine.search(q, limit=k, filters=FILTER, highlight=False)
        if cls == "topics_highlight":
            return lambda q: engine.search(q, limit=k, highlight=True)
        if cls == "topics_uncached":
            # search() keeps parsed queries per searcher, keyed on the text as given; a
            # different number of trailing spaces (stripped before parsing) each call makes
            # every call parse afresh, as a query asked for the first time does
            calls = iter(range(1, 1 << 30))
            return lambda q: engine.search(q + " " * next(calls), limit=k, highlight=False)
        return lambda q: engine.search(q, limit=k, highlight=False)
    if cls == "filtered" and engine_name == "whoosh_or":  # engine is a FilteredWhoosh
        return lambda q: engine.search(q, k, FILTER["party"], FILTER["since"], group="or")
    if cls == "filtered":  # engine is a FilteredWhoosh / FilteredTantivy
        return lambda q: engine.search(q, k, FILTER["party"], FILTER["since"])
    if cls == "fuzzy" and engine_name == "tantivy":
        fuzzy = {"title": (False, 1, True), "body": (False, 1, True)}

        def tantivy_fuzzy(q: str) -> list[str]:
            parsed = engine._index.parse_query(
                q.rstrip("~"), ["title", "body"], {"title": 2.0}, fuzzy_fields=fuzzy
            )
            result = engine._searcher.search(parsed, limit=k)
            return [engine._searcher.doc(a)["id"][0] for _s, a in result.hits]

        return tantivy_fuzzy
    return lambda q: engine.search(q, k)


def enable_whoosh_fuzzy(engine: Any) -> None:
    """Stock Whoosh's parser has no ``word~`` syntax; a user wanting fuzzy adds this plugin."""
    from whoosh.qparser import FuzzyTermPlugin

    engine._parser.add_plugin(FuzzyTermPlugin())


def time_queries(
    run: Callable[[str], Any], queries: Sequence[str], reps: int, warmup: int = 2
) -> dict[str, list[int]]:
    """Nanosecond timings of ``reps`` calls of each query, after ``warmup`` untimed calls."""
    timings: dict[str, list[int]] = {q: [] for q in queries}
    clock = time.perf_counter_ns
    for q in queries:
        for _ in range(warmup):
            run(q)
    for _ in range(reps):  # interleave queries so noise spreads over all of them
        for q in queries:
            t0 = clock()
            run(q)
            timings[q].append(clock() - t0)
    return timings


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * pct / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency_summary(timings: dict[str, list[int]]) -> dict[str, Any]:
    pooled = [t / 1e6 for ts in timings.values() for t in ts]
    return {
        "queries": len(timings),
        "calls": len(pooled),
        "p50_ms": percentile(pooled, 50),
        "p95_ms": percentile(pooled, 95),
        "mean_ms": sum(pooled) / len(pooled) if pooled else float("nan"),
        "max_ms": max(pooled) if pooled else float("nan"),
        "per_query_p50_ms": {q: percentile([t / 1e6 for t in ts], 50) for q, ts in timings.items()},
    }


# -- machine ---------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for mod in ("whoosh", "tantivy", "pytest_benchmark"):
        try:
            from importlib.metadata import version

            versions[mod] = version(
                {"whoosh": "whoosh-reloaded", "pytest_benchmark": "pytest-benchmark"}.get(mod, mod)
            )
        except Exception:
            versions[mod] = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


# -- the command as users run it -------------------------------------------------------------


def corpus_search_command() -> list[str]:
    """The installed console script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / "corpus-search"
    if script.is_file():
        return [str(script)]
    found = shutil.which("corpus-search")
    if found:
        return [found]
    return [sys.executable, "-c", "from corpus_search.launch import main; main()"]


@contextlib.contextmanager
def search_server(env: dict[str, str]) -> Iterator[Callable[[], float]]:
    """``corpus-search serve`` running with ``env`` (its ``XDG_RUNTIME_DIR`` a folder of the
    run's own), until the block ends; yields a function giving its CPU seconds so far, read
    from ``/proc`` (Linux), so that a served command's cost includes the server's."""
    server = subprocess.Popen([*corpus_search_command(), "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        socket_folder = Path(env["XDG_RUNTIME_DIR"]) / "corpus-search"
        deadline = time.monotonic() + 60
        while not list(socket_folder.glob("*.sock")):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {server.stderr.read().decode()}")
            time.sleep(0.05)
        tick = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

        yield cpu
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- subprocess worker: one build (and optionally queries) in a fresh interpreter -------------


def status_mb(key: str) -> float:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process from /proc, in MB.

    ``VmHWM`` rather than ``ru_maxrss``: after fork + exec Linux carries the parent's peak
    into the child's ``ru_maxrss``, so a worker started from a big pytest process would report
    the pytest process's size. ``VmHWM`` belongs to the new address space only.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mb() -> float:
    return status_mb("VmRSS")


def cpu_seconds() -> float:
    """User + system CPU of this process and of its waited-for children (the build workers)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (a scan of /proc)."""
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")"
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _rss_pss_mb(pid: int) -> tuple[float, float]:
    """(``Rss``, ``Pss``) of process ``pid`` in MB from ``smaps_rollup`` (0, 0 once gone)."""
    rss = pss = 0.0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return rss, pss


class Sampler:
    """While a build or the queries run, a thread samples every ``interval`` seconds the
    1-minute load average (the machine may be shared: the figures are read beside it) and
    the memory of this process and its children together (the writer's forked workers run
    at the same time: the largest worker's own peak is not their sum). ``Rss`` counts pages
    shared by fork once per process; ``Pss`` divides each shared page among its sharers, so
    the sum of ``Pss`` is the memory the build really holds."""

    def __init__(self, interval: float = 0.5, load_every: float = 10.0) -> None:
        import threading

        self.load: list[float] = [os.getloadavg()[0]]
        self.tree_rss = self.tree_pss = 0.0
        self._stop = threading.Event()
        self._interval = interval
        self._load_every = max(1, round(load_every / interval))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._sample_memory()
        self._thread.start()

    def _sample_memory(self) -> None:
        me = os.getpid()
        pairs = [_rss_pss_mb(pid) for pid in (me, *_children(me))]
        self.tree_rss = max(self.tree_rss, sum(r for r, _ in pairs))
        self.tree_pss = max(self.tree_pss, sum(p for _, p in pairs))

    def _run(self) -> None:
        ticks = 0
        while not self._stop.wait(self._interval):
            ticks += 1
            self._sample_memory()
            if ticks % self._load_every == 0:
                self.load.append(os.getloadavg()[0])

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._sample_memory()
        self.load.append(os.getloadavg()[0])
        s = self.load
        return {
            "load_min": min(s),
            "load_mean": sum(s) / len(s),
            "load_max": max(s),
            "load_samples": len(s),
            "tree_peak_rss_mb": self.tree_rss,
            "tree_peak_pss_mb": self.tree_pss,
        }


#: engines whose synthetic corpora are read from disk one document at a time (streamed)
STREAMED = ("corpus_search", "corpus_search_mp")


def _worker(spec: dict[str, Any]) -> dict[str, Any]:
    engine_name, corpus = spec["engine"], spec["corpus"]
    streamed = engine_name in STREAMED and corpus.startswith("synthetic-")
    if engine_name == "corpus_search_dir":
        docs: Sequence = []
    elif streamed and spec.get("store"):  # written by the caller: no BBC text read here
        import synthetic

        docs = synthetic.DocumentStore(Path(spec["store"]))
    else:
        docs = load_corpus(corpus, stream=streamed)
    if engine_name == "corpus_search_dir":
        nbytes, ndocs = None, None
    else:
        nbytes, ndocs = text_bytes(docs), len(docs)
    gc.collect()
    baseline = _rss_now_mb()
    base_peak = status_mb("VmHWM")
    with tempfile.TemporaryDirectory(prefix="cs-bench-", dir=spec.get("tmp")) as tmp:
        path = Path(tmp) / "index"
        sampler = Sampler()
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        engine = build_engine(engine_name, docs, path, corpus)
        seconds = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
        out: dict[str, Any] = {
            "engine": engine_name,
            "corpus": corpus,
            "docs": ndocs,
            "bytes": nbytes,
            "streamed": streamed,
            "build_seconds": seconds,
            "build_cpu_seconds": cpu,
            "build_sampled": sampler.stop(),
            "baseline_rss_mb": baseline,
            "peak_before_build_mb": base_peak,
            "peak_rss_mb": status_mb("VmHWM"),
            "children_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "index_bytes": dir_size(path),
        }
        if spec.get("classes"):
            reps = int(spec.get("reps", 10))
            latency = {}
            sampler = Sampler()
            for cls in spec["classes"]:
                run = query_runner(engine_name, engine, cls)
                latency[cls] = latency_summary(time_queries(run, queries_for(cls), reps))
                latency[cls].pop("per_query_p50_ms")
            out["latency"] = latency
            out["query_sampled"] = sampler.stop()
            # the searcher's caches grow while it answers: the peak of the whole run
            out["peak_rss_after_queries_mb"] = status_mb("VmHWM")
        if hasattr(engine, "close"):
            engine.close()
    return out


def run_worker(spec: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    """Run :func:`_worker` in a fresh interpreter and return its JSON result."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    )
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker failed ({spec}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    print(json.dumps(_worker(json.loads(sys.argv[1]))))
