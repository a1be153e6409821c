"""A seeded random sample of mutmut's mutants per core package, and its kill rate.

Testing every mutant of the core packages takes days on two cores; a random sample of each
package's mutants estimates its kill rate with a stated interval. Run from the project root
after `mutmut run` has generated the mutants (docs/testing.md, "Mutation testing"):

    python tools/mutation_sample.py names ingest        # the sampled mutant names, one a line
    python tools/mutation_sample.py report              # kill rate per package, 95% interval
    python tools/mutation_sample.py check NAME... -- tests/test_x.py   # re-test survivors

``check`` runs each named mutant against the given tests in a fresh process (the mutant
switched on by MUTANT_UNDER_TEST, mutants/src first on PYTHONPATH, so the CLI run as a
subprocess and writer worker processes run the mutant too), after copying tests/ into
mutants/; it prints killed or survived for each and records nothing in mutmut's results.

The sample depends only on the seed, the sample size and the generated mutants, so the same
names come out until the source changes. Equivalent mutants (changes that cannot alter
behaviour) are listed with their reasons in tools/mutation_equivalent.txt and left out of the
rate.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

#: the modules of each core package, as paths under src/corpus_search (the samples recorded
#: in mutation_equivalent.txt and mutation_rechecked.txt name the flat modules of before the
#: restructure: documents, dates, index_files; index, writer, check; search, engine,
#: spelling; analysis, lexicon; cli, one module before it became a package)
PACKAGES = {
    "ingest": [
        "ingest/model", "ingest/files", "ingest/formats", "ingest/sources",
        "ingest/boilerplate", "ingest/dates", "ingest/date_forms", "ingest/datelines",
        "ingest/path_dates", "ingest/dates_file", "store/files",
    ],
    "index": [
        "index", "multi_index", "ingesting", "store/schema", "store/meta", "store/generations",
        "store/columns", "store/w3", "store/writer", "store/posting_buffers",
        "store/segment_postings", "store/bulk_workers", "store/parallel", "store/check",
    ],
    "search": [
        "search/state", "search/ranking", "search/concepts", "search/parser", "search/parsing",
        "search/filters", "search/engine", "search/execute", "search/highlight",
        "search/spelling", "search/corrections", "search/budget", "search/results",
    ],
    "analysis": [
        "analysis/text", "analysis/lexicon", "analysis/lexicon_model", "analysis/lexicon_parse",
        "analysis/lexicon_compile", "analysis/tokens", "analysis/stages", "analysis/stemming",
        "analysis/analyzer", "analysis/fastpath", "analysis/surface",
    ],
    "cli": [
        "cli/__init__", "cli/output", "cli/options", "cli/printing", "cli/opening",
        "cli/indexing", "cli/results", "cli/concordance", "cli/counting", "cli/terms",
        "cli/export", "cli/admin", "cli/serving", "terminal",
    ],
}
MUTANTS = Path("mutants/src/corpus_search")
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")
#: ``check`` output for the survivors re-tested against the new tests ("killed: NAME" lines;
#: "exit 2" is a mutant that breaks importing the module, which fails every test)
RECHECKED = Path(__file__).with_name("mutation_rechecked.txt")
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests",
          36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout",
          None: "not checked"}


def outcomes(package: str) -> dict[str, int | None]:
    """Every generated mutant of the package's modules, with mutmut's exit code."""
    found: dict[str, int | None] = {}
    for module in PACKAGES[package]:
        meta = json.loads((MUTANTS / f"{module}.py.meta").read_text(encoding="utf-8"))
        found.update(meta["exit_code_by_key"])
    return found


def sample(package: str, size: int, seed: int) -> list[str]:
    names = sorted(outcomes(package))
    return sorted(random.Random(f"{seed}:{package}").sample(names, min(size, len(names))))


def equivalent() -> dict[str, str]:
    listed: dict[str, str] = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                listed[name] = reason.strip()
    return listed


def killed_later() -> set[str]:
    if not RECHECKED.exists():
        return set()
    lines = RECHECKED.read_text(encoding="utf-8").splitlines()
    return {line.split(": ", 1)[1] for line in lines if line.startswith(("killed: ", "exit 2: "))}


def wilson(killed: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score 95% interval of a proportion."""
    if total == 0:
        return (0.0, 1.0)
    p = killed / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def report(size: int, seed: int) -> None:
    same, later = equivalent(), killed_later()
    print(f"sample of {size} mutants per package, seed {seed}; before: mutmut's results; after:"
          f" also the survivors the new tests kill ({RECHECKED.name})")
    print(f"{'package':9} {'mutants':>7} {'run':>4} {'equiv':>5} {'killed':>6} {'surv':>4}"
          f" {'notest':>6} {'before':>21} {'after':>21}")
    for package in PACKAGES:
        codes = outcomes(package)
        names = sample(package, size, seed)
        status = {n: STATUS.get(codes[n], "suspicious") for n in names if n not in same}
        eq = sum(1 for n in names if n in same and codes[n] is not None)
        judged = {n: s for n, s in status.items() if s != "not checked"}
        killed = [n for n, s in judged.items() if s in ("killed", "timeout")]
        survived = [n for n, s in judged.items() if s == "survived"]
        untested = [n for n, s in judged.items() if s == "no tests"]
        # Mutants no in-process test reaches count as not killed: a behaviour no test states.
        after = len(killed) + sum(1 for n in survived + untested if n in later)
        print(f"{package:9} {len(codes):7} {len(judged) + eq:4} {eq:5} {len(killed):6}"
              f" {len(survived):4} {len(untested):6} {_rate(len(killed), len(judged)):>21}"
              f" {_rate(after, len(judged)):>21}")
        for name in survived + untested:
            print(f"    {STATUS.get(codes[name])}{' (killed later)' if name in later else ''}:"
                  f" {name}")


def _rate(killed: int, total: int) -> str:
    low, high = wilson(killed, total)
    return f"{killed}/{total} {killed / total if total else 0:4.0%} ({low:.0%}-{high:.0%})"


def check(names: list[str], tests: list[str]) -> None:
    shutil.copytree("tests", "mutants/tests", dirs_exist_ok=True)
    for name in names:
        env = dict(os.environ, MUTANT_UNDER_TEST=name, PYTHONPATH="src")
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly",
             "-p", "no:cacheprovider", *tests],
            cwd="mutants", env=env, capture_output=True, text=True,
        )
        outcome = {0: "survived", 1: "killed"}.get(done.returncode, f"exit {done.returncode}")
        print(f"{outcome}: {name}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    if sys.argv[1:2] == ["check"]:
        rest = sys.argv[2:]
        split = rest.index("--") if "--" in rest else len(rest)
        check(rest[:split], rest[split + 1:])
        return
    parser.add_argument("command", choices=["names", "report", "check"])
    parser.add_argument("package", nargs="?", choices=[*PACKAGES, "all"], default="all")
    parser.add_argument("--size", type=int, default=60, help="mutants per package (60)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (14)")
    args = parser.parse_args()
    if args.command == "names":
        for package in PACKAGES if args.package == "all" else [args.package]:
            print("\n".join(sample(package, args.size, args.seed)))
    else:
        report(args.size, args.seed)


if __name__ == "__main__":
    main()
