"""What users feel: the ``corpus-search`` command timed as a whole process.

Every round runs one fresh process (``subprocess.run``), so start-up, imports, reading the
files and committing are all counted, as they are when a user types the command:

- ``index``: ``corpus-search index BBC --index DIR`` into a fresh folder each round (the
  library chooses the writer processes, as for a user), against the plain stock-Whoosh script
  ``benchmarks/stock_whoosh_cli.py`` on the same files in the same run (the baseline). The
  rounds share one user cache folder, as a user's builds do (the compiled lexicon, the stems
  and the chunk values a build keeps there are read by the next); ``index:corpus_search-first``
  empties it before each round: the first build on a machine, which reads nothing kept;
- ``search``: ``corpus-search search QUERY --index DIR`` of single queries on a BBC index
  built once for the module by the CLI;
- ``wildcard`` and ``listing``: ``search 'Brit*'`` (a pattern expanded over the words of the
  texts) and ``search '*' --limit 1000`` (a thousand hits printed), on the same index;
  ``list`` and ``show``: the first page of its documents, and one document;
- ``served``: the same searches while ``corpus-search serve`` runs (started once for the
  module, its first command not timed apart: each query's rounds are all counted); their CPU
  seconds add the server's (from ``/proc/<pid>/stat``) to the client's;
- ``reindex``: ``corpus-search index BBC --index DIR`` again on that index, nothing changed
  (the files compared with what the index holds, nothing written); ``index-seeds``: the five
  seed articles indexed into a fresh folder each round (a small folder: start-up and commit);
- ``--help``, and ``python -c pass`` (the interpreter's own start-up, for scale).

Wall time is pytest-benchmark's own (``perf_counter`` around the process). CPU seconds are
user + system of the process and everything it forked, from
``resource.getrusage(RUSAGE_CHILDREN)`` before and after each round; both go to
``extra_info`` with their medians (``cpu_s``, ``wall_s``), and the 1-minute load average at
the start and the end of the case (``load_before`` / ``load_after``), since the machine is
shared. ``report.py`` turns them into the "what users feel" table.
"""

from __future__ import annotations

import atexit
import functools
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import harness
from conftest import needs_bbc

ROUNDS = {
    "index": int(os.environ.get("CS_BENCH_CLI_INDEX_ROUNDS", "3")),
    "search": int(os.environ.get("CS_BENCH_CLI_ROUNDS", "10")),
}
SEARCH_QUERIES = ("Blair", "Lib Dems", "interest rates")
STOCK_SCRIPT = harness.HERE / "stock_whoosh_cli.py"


corpus_search_command = harness.corpus_search_command


@pytest.fixture(scope="module", autouse=True)
def compiled_package() -> None:
    """The package's bytecode written once, as ``pip install`` writes it for an installed
    package: an editable checkout run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise
    compile every module from source in every process (~0.12 s of CPU a command), which no
    user's install pays."""
    import compileall

    import corpus_search

    compileall.compile_dir(Path(corpus_search.__file__).parent, quiet=1)


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # never a server the user left running: only the served cases start one, in this folder
    # (short: a socket's path may not be much over 100 bytes)
    env["XDG_RUNTIME_DIR"] = _runtime_folder()
    env.pop("CORPUS_SEARCH_SERVER", None)
    data = tmp / "xdg-data"
    data.mkdir(parents=True, exist_ok=True)
    env["XDG_DATA_HOME"] = str(data)  # never the user's own index
    env["XDG_CACHE_HOME"] = str(tmp / "xdg-cache")  # the user cache folder, this run's own
    env.pop("CORPUS_SEARCH_INDEX", None)
    env.pop("CORPUS_SEARCH_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode is read as an install has it
    return env


@functools.cache
def _runtime_folder() -> str:
    folder = tempfile.mkdtemp(prefix="cs-bench-", dir="/tmp")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_case(
    benchmark,
    *,
    group: str,
    name: str,
    argv: list[str],
    shown: str,
    env: dict[str, str],
    rounds: int,
    fresh: Path | None = None,
    emptied: Path | None = None,
    ok_codes: tuple[int, ...] = (0,),
    other_cpu=None,
    **extra,
) -> None:
    """Time ``argv`` as a whole process ``rounds`` times (``fresh``: removed before each;
    ``other_cpu``: the CPU seconds so far of a process that works for it, a server;
    ``emptied``: a folder removed before each round too, the user cache folder)."""
    cpu: list[float] = []
    wall: list[float] = []

    def setup():
        for folder in (fresh, emptied):
            if folder is not None and folder.exists():
                shutil.rmtree(folder)
        return (), {}

    def once():
        before = _children_cpu() + (other_cpu() if other_cpu else 0.0)
        t0 = time.perf_counter()
        proc = subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        wall.append(time.perf_counter() - t0)
        cpu.append(_children_cpu() + (other_cpu() if other_cpu else 0.0) - before)
        if proc.returncode not in ok_codes:
            raise RuntimeError(
                f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode()[-2000:]}"
            )

    load_before = os.getloadavg()[0]
    benchmark.group = group
    benchmark.pedantic(once, setup=setup, rounds=rounds, iterations=1, warmup_rounds=0)
    benchmark.extra_info.update(
        kind="cli",
        case=name,
        command=shown,
        cpu_s=statistics.median(cpu),
        wall_s=statistics.median(wall),
        cpu_rounds=cpu,
        wall_rounds=wall,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        cores=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        **extra,
    )


@needs_bbc
@pytest.mark.parametrize("engine", ["corpus_search", "corpus_search-first", "stock_whoosh"])
def test_cli_index_bbc(benchmark, engine, bench_tmp):
    target = bench_tmp / f"cli-index-{engine}"
    env, emptied = _env(bench_tmp), None
    if engine.startswith("corpus_search"):
        argv = [*corpus_search_command(), "index", str(harness.BBC), "--index", str(target)]
        shown = "corpus-search index BBC --index DIR"
        if engine.endswith("-first"):
            emptied = bench_tmp / "xdg-cache-first"
            env["XDG_CACHE_HOME"] = str(emptied)
            shown += " (first build: empty cache folder)"
    else:
        argv = [sys.executable, str(STOCK_SCRIPT), str(harness.BBC), str(target)]
        shown = "python benchmarks/stock_whoosh_cli.py BBC DIR"
    _run_case(
        benchmark,
        group="cli index bbc",
        name=f"index:{engine}",
        argv=argv,
        shown=shown,
        env=env,
        rounds=ROUNDS["index"],
        fresh=target,
        emptied=emptied,
        engine=engine,
        corpus="bbc",
    )


@pytest.fixture(scope="module")
def cli_bbc_index(bench_tmp) -> Path:
    if not harness.BBC.is_dir():
        pytest.skip(f"needs the BBC corpus in {harness.BBC}")
    target = bench_tmp / "cli-search-index"
    if target.exists():
        shutil.rmtree(target)
    subprocess.run(
        [*corpus_search_command(), "index", str(harness.BBC), "--index", str(target)],
        env=_env(bench_tmp),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return target


@pytest.fixture(scope="module")
def search_server(cli_bbc_index, bench_tmp):
    """``corpus-search serve`` for the served cases, with its CPU seconds read from /proc."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the served cases read the server's CPU time from /proc (Linux)")
    with harness.search_server(_env(bench_tmp)) as cpu:
        yield cpu


@needs_bbc
@pytest.mark.parametrize("served", [False, True], ids=["alone", "served"])
@pytest.mark.parametrize("query", SEARCH_QUERIES)
def test_cli_search_bbc(benchmark, query, served, cli_bbc_index, bench_tmp, request):
    case, how = ("served", " (corpus-search serve running)") if served else ("search", "")
    _run_case(
        benchmark,
        group=f"cli {case} bbc",
        name=f"{case}:{query}",
        argv=[*corpus_search_command(), "search", query, "--index", str(cli_bbc_index)],
        shown=f"corpus-search search '{query}' --index DIR{how}",
        # (alone: on its own even when the module's server already runs)
        env={**_env(bench_tmp), **({} if served else {"CORPUS_SEARCH_SERVER": "off"})},
        rounds=ROUNDS["search"],
        ok_codes=(0, 1),
        other_cpu=request.getfixturevalue("search_server") if served else None,
        engine="corpus_search",
        query=query,
    )


#: searches slower than a plain word's for reasons of their own: a wildcard expanded over the
#: words of the texts (spelling.expand_pattern), and a long page of results printed; and the
#: reading commands that search nothing: a page of the documents, one document
#: (name, arguments, what the case names)
SEARCH_PATHS = (
    ("wildcard", ["search", "Brit*"], "Brit*"),
    ("listing", ["search", "*", "--limit", "1000"], "*"),
    ("list", ["list"], "page 1"),
    ("show", ["show", "business/001"], "business/001"),
    ("terminal", ["search", "Blair"], "Blair"),
)

#: what a case's process has beside the bench's environment: ``terminal`` prints as to a
#: person's terminal (rich, its colours), which a piped search does without (consoles.py)
SEARCH_PATH_ENV = {"terminal": {"FORCE_COLOR": "1"}}


@needs_bbc
@pytest.mark.parametrize("path", SEARCH_PATHS, ids=[p[0] for p in SEARCH_PATHS])
def test_cli_search_paths_bbc(benchmark, path, cli_bbc_index, bench_tmp):
    name, args, label = path
    _run_case(
        benchmark,
        group=f"cli {name} bbc",
        name=f"{name}:{label}",
        argv=[*corpus_search_command(), *args, "--index", str(cli_bbc_index)],
        shown=" ".join(
            [f"{k}={v}" for k, v in SEARCH_PATH_ENV.get(name, {}).items()]
            + [f"corpus-search {' '.join(shlex.quote(a) for a in args)} --index DIR"]
        ),
        env={**_env(bench_tmp), "CORPUS_SEARCH_SERVER": "off", **SEARCH_PATH_ENV.get(name, {})},
        rounds=ROUNDS["search"],
        engine="corpus_search",
        query=label,
    )


#: the research commands as a user runs them: every place of a concept, its counts, three
#: parties' counts side by side, the words that set its documents apart
RESEARCH_COMMANDS = (
    ("concordance", ["concordance", "Lib Dems", "-n", "100"]),
    ("count", ["count", "Lib Dems", "--by", "party"]),
    ("trends", ["trends", "Lib Dems", "Tories", "Labour", "--by", "party"]),
    ("key-terms", ["key-terms", "Lib Dems"]),
)


@needs_bbc
@pytest.mark.parametrize("served", [False, True], ids=["alone", "served"])
@pytest.mark.parametrize("command", RESEARCH_COMMANDS, ids=[c[0] for c in RESEARCH_COMMANDS])
def test_cli_research_bbc(benchmark, command, served, cli_bbc_index, bench_tmp, request):
    name, args = command
    how = " (corpus-search serve running)" if served else ""
    _run_case(
        benchmark,
        group=f"cli {name} bbc",
        name=f"{name}{':served' if served else ''}:Lib Dems",
        argv=[*corpus_search_command(), *args, "--index", str(cli_bbc_index)],
        shown=f"corpus-search {' '.join(repr(a) if ' ' in a else a for a in args)} --index "
              f"DIR{how}",
        env={**_env(bench_tmp), **({} if served else {"CORPUS_SEARCH_SERVER": "off"})},
        rounds=ROUNDS["search"],
        other_cpu=request.getfixturevalue("search_server") if served else None,
        engine="corpus_search",
        query="Lib Dems",
    )


#: indexing as users run it besides a first build: the BBC index again with nothing changed
#: (the files compared with what it holds, nothing written), and a small folder (the seed
#: articles) into a fresh folder each round (start-up and the commit)
INDEX_PATHS = ("reindex", "index-seeds")


@pytest.mark.parametrize("path", INDEX_PATHS)
def test_cli_index_paths(benchmark, path, bench_tmp, request):
    if path == "reindex":  # (skipped without the BBC corpus)
        folder, target, fresh = harness.BBC, request.getfixturevalue("cli_bbc_index"), None
        name, shown = "reindex:bbc", "corpus-search index BBC --index DIR (nothing changed)"
    else:
        folder = harness.SEEDS
        target = fresh = bench_tmp / "cli-index-seeds"
        name, shown = "index-seeds:corpus_search", "corpus-search index seeds --index DIR"
    _run_case(
        benchmark,
        group=f"cli {path}",
        name=name,
        argv=[*corpus_search_command(), "index", str(folder), "--index", str(target)],
        shown=shown,
        env=_env(bench_tmp),
        rounds=ROUNDS["search"],
        fresh=fresh,
        engine="corpus_search",
        corpus=folder.name,
    )


def test_cli_help(benchmark, bench_tmp):
    _run_case(
        benchmark,
        group="cli start-up",
        name="help",
        argv=[*corpus_search_command(), "--help"],
        shown="corpus-search --help",
        env=_env(bench_tmp),
        rounds=ROUNDS["search"],
        engine="corpus_search",
    )


def test_python_startup(benchmark, bench_tmp):
    _run_case(
        benchmark,
        group="cli start-up",
        name="python",
        argv=[sys.executable, "-c", "pass"],
        shown="python -c pass",
        env=_env(bench_tmp),
        rounds=ROUNDS["search"],
        engine="python",
    )


#: the research commands at their heaviest on BBC: every place of a word most articles hold,
#: a full read of the index, and the key terms of a word most articles hold (the others read)
HEAVY_RESEARCH_COMMANDS = (
    ("concordance-all", ["concordance", "said", "--limit", "100000"], (0,)),
    ("check", ["check"], (0,)),
    ("key-terms-most", ["key-terms", "said"], (0,)),
)


@needs_bbc
@pytest.mark.parametrize("command", HEAVY_RESEARCH_COMMANDS,
                         ids=[c[0] for c in HEAVY_RESEARCH_COMMANDS])
def test_cli_heavy_research_bbc(benchmark, command, cli_bbc_index, bench_tmp):
    name, args, ok = command
    _run_case(
        benchmark,
        group=f"cli {name} bbc",
        name=f"{name}:said" if name != "check" else name,
        argv=[*corpus_search_command(), *args, "--index", str(cli_bbc_index)],
        shown=f"corpus-search {' '.join(args)} --index DIR",
        env={**_env(bench_tmp), "CORPUS_SEARCH_SERVER": "off"},
        rounds=ROUNDS["search"],
        ok_codes=ok,
        engine="corpus_search",
    )
