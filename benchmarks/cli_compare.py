"""One ``corpus-search`` command as a whole process, two versions of the library alternated
round by round, so the load of a shared machine falls on both: medians and their ratio.

The other version is a source tree (``git archive REV src | tar -x -C /tmp/before``), put
first on ``PYTHONPATH`` for its rounds; this checkout's installed package runs the others.
Both run the same console script and interpreter, so only the library differs::

    python benchmarks/cli_compare.py /tmp/before/src 20 search "Lib Dems" --index IX

Each round is ``subprocess.run`` of the command, output discarded: wall seconds from
``perf_counter``, CPU seconds (user + system of it and its children) from
``getrusage(RUSAGE_CHILDREN)``. Compile both trees' bytecode first (``python -m compileall``)
when ``PYTHONDONTWRITEBYTECODE`` is set, as ``bench_cli.py`` does for this one. A search needs
an index both versions can open: when their lexicons differ, each refuses the other's index,
so compare such versions by alternating by hand, each with its own index.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def command() -> list[str]:
    """The console script beside this interpreter (``python -c`` of the CLI without one)."""
    script = Path(sys.executable).parent / "corpus-search"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from corpus_search.cli import main; main()"]


def one_round(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*command(), *args], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def compare(before_src: str, rounds: int, args: list[str]) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds of ``before`` (``before_src`` first on ``PYTHONPATH``) and
    ``this`` (the installed package), alternating which goes first each round.

    Each version has a cache folder of its own, filled by one untimed round: sharing one, a
    version whose lexicon code or stems differ rewrote the other's compiled lexicon and stems
    cache, and each then paid for recompiling them (NLTK's import, ~0.5 s) in its rounds."""
    this_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as before_cache, tempfile.TemporaryDirectory() as cache:
        envs = {
            "before": {**this_env, "PYTHONPATH": before_src, "XDG_CACHE_HOME": before_cache},
            "this": {**this_env, "XDG_CACHE_HOME": cache},
        }
        for env in envs.values():
            one_round(args, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in envs}
        for i in range(rounds):
            for name in ("before", "this") if i % 2 == 0 else ("this", "before"):
                times[name].append(one_round(args, envs[name]))
    return {
        name: {
            "wall": statistics.median(w for w, _ in runs),
            "cpu": statistics.median(c for _, c in runs),
        }
        for name, runs in times.items()
    }


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    before_src, rounds, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    load = os.getloadavg()[0]
    got = compare(before_src, rounds, args)
    b, t = got["before"], got["this"]
    print(f"corpus-search {' '.join(args)}: {rounds} rounds each, load {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}\n"
          f"  before: wall {b['wall']:.3f} s, CPU {b['cpu']:.3f} s\n"
          f"  this:   wall {t['wall']:.3f} s, CPU {t['cpu']:.3f} s\n"
          f"  before / this: wall {b['wall'] / t['wall']:.2f}x, CPU {b['cpu'] / t['cpu']:.2f}x")


if __name__ == "__main__":
    main()
