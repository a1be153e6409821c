"""Analysis cost of a long run of letters grows linearly with its length.

A run of letters longer than ``MAX_WORD_LENGTH`` (255) is dropped by the tokenizer, and
``Lexicon.respell`` looks up only the tails as long as a key of its table, so analysing a
run of n letters costs O(n). (It was O(n^2): ``respell`` sliced every tail; a
1,000,000-letter token took 137 s.)

The benchmarks time, for runs of 10,000 and 100,000 letters inside a sentence: the token
pipeline, the fast index path ``index_terms``, and ``respell`` on the bare run. The
comparison test times both lengths in the same process (CPU time, best of several rounds)
and asserts that ten times the letters cost less than ``MAX_RATIO`` times as much (linear:
about 10; quadratic: about 100).

Run with::

    pytest benchmarks/bench_long_words.py -s --benchmark-columns=median,rounds
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon

SHORT, LONG = 10_000, 100_000
MAX_RATIO = 20.0
ROUNDS = 7


def _text(n: int, i: int) -> str:
    """A sentence around a run of ``n`` letters that no earlier call saw (no cache helps)."""
    return f"Labour said {i}" + "a" * n + " on Tuesday."


def _analyse(n: int) -> Callable[[], object]:
    analyzer = political_analyzer()
    calls = itertools.count()
    return lambda: [t.text for t in analyzer(_text(n, next(calls)), mode="index")]


def _index_terms(n: int) -> Callable[[], object]:
    analyzer = political_analyzer()
    calls = itertools.count()
    return lambda: analyzer.index_terms(_text(n, next(calls)))


def _respell(n: int) -> Callable[[], object]:
    lexicon = load_lexicon()
    word = "a" * n
    return lambda: lexicon.respell(word)


KINDS = {"pipeline": _analyse, "index_terms": _index_terms, "respell": _respell}


@pytest.mark.parametrize("letters", [SHORT, LONG])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_long_run_of_letters(benchmark, kind: str, letters: int):
    call = KINDS[kind](letters)
    call()  # warm: the stemmer and lexicon load once
    benchmark.group = f"long word: {kind}"
    benchmark.extra_info["letters"] = letters
    benchmark.pedantic(call, rounds=ROUNDS, iterations=1)


def _best(call: Callable[[], object], rounds: int = ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_ten_times_the_letters_cost_about_ten_times_as_much(kind: str):
    short, long = KINDS[kind](SHORT), KINDS[kind](LONG)
    short()
    long()
    # repeat the cheap calls so that each timing is well above the clock's resolution
    repeat = 50

    def many(call: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            for _ in range(repeat):
                call()

        return run

    t_short, t_long = _best(many(short)), _best(many(long))
    ratio = t_long / t_short
    print(f"\n{kind}: {SHORT:,} letters {t_short / repeat * 1e6:.0f} µs, "
          f"{LONG:,} letters {t_long / repeat * 1e6:.0f} µs, ratio {ratio:.1f}")
    assert ratio < MAX_RATIO, f"{kind}: 10x the letters cost {ratio:.1f}x (quadratic?)"
