"""Analyzer throughput: political_analyzer vs Whoosh's StemmingAnalyzer on the BBC corpus.

Each throughput benchmark runs over all 2,225 BBC articles in index mode and records tokens
and tokens/s in ``extra_info``: the token pipeline with positions and chars, Whoosh's
``StemmingAnalyzer``, and the fast index path ``PoliticalAnalyzer.index_terms`` (term ->
positions, what indexing needs; its "tokens" are the positions it returns, the same count
as the pipeline's tokens). The comparison tests time the contenders in the same process
(CPU time), interleaved, best of several rounds each, and assert what the project promises:

- the pipeline is at most 1.5x slower than ``StemmingAnalyzer``;
- ``index_terms`` is at least 4x faster than the pipeline gathering the same terms and
  positions (what Whoosh's ``Positions.word_values`` does), over each article's title and
  body as indexing analyses them;
- ``parties_in`` is at least 3x faster than its old implementation (every token through the
  tokenizer, normalise and lexicon stages).

Run with::

    pytest benchmarks -k analyzer -s --benchmark-columns=median,rounds

The corpus is read from ``../shared/corpora/bbc`` next to the repository (override with
``CORPUS_SEARCH_SHARED``); the benchmarks are skipped with a reason when it is absent.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh.analysis import StemmingAnalyzer

from corpus_search.analysis.analyzer import parties_in, political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.lexicon_stage import LexiconFilter
from corpus_search.analysis.stages import NormaliseFilter, PoliticalTokenizer

SHARED = Path(
    os.environ.get("CORPUS_SEARCH_SHARED") or Path(__file__).resolve().parents[1].parent / "shared"
)
BBC = SHARED / "corpora" / "bbc"
MAX_RATIO = 1.5
MIN_INDEX_TERMS_SPEEDUP = 4.0
MIN_PARTIES_SPEEDUP = 3.0
ROUNDS = 5

pytestmark = pytest.mark.skipif(
    not BBC.is_dir(), reason=f"needs the BBC corpus in {BBC} (set CORPUS_SEARCH_SHARED)"
)


@pytest.fixture(scope="module")
def bbc_texts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(BBC.glob("*/*.txt"))]


@pytest.fixture(scope="module")
def bbc_documents() -> list:
    from corpus_search.ingest.files import read_directory

    return [d for r in read_directory(BBC) for d in r.documents]


def _run(analyzer: Callable, texts: list[str]) -> int:
    n = 0
    for text in texts:
        for _ in analyzer(text, mode="index", positions=True, chars=True):
            n += 1
    return n


def _gather(analyzer: Callable, texts: list[str]) -> int:
    """What Whoosh's Positions.word_values does with a token stream: term -> positions."""
    n = 0
    for text in texts:
        out: dict[str, list[int]] = {}
        for t in analyzer(text, mode="index", positions=True):
            out.setdefault(t.text, []).append(t.pos)
        n += sum(map(len, out.values()))
    return n


def _index_terms(analyzer, texts: list[str]) -> int:
    n = 0
    index_terms = analyzer.index_terms
    for text in texts:
        n += sum(map(len, index_terms(text).values()))
    return n


def _old_parties_in(text: str, lexicon=None) -> list[str]:
    """parties_in before the fast path: every token through three stages."""
    lex = lexicon if lexicon is not None else load_lexicon()
    stream = PoliticalTokenizer()(text, positions=True, chars=True, mode="index")
    tokens = LexiconFilter(lex)(NormaliseFilter()(stream))
    parties = lex.parties
    return sorted({parties[t.text] for t in tokens if t.kind == "concept" and t.text in parties})


def _cpu(fn: Callable, *args) -> tuple[float, int]:
    # CPU time of this process: steadier than wall time on a machine shared with other jobs.
    start = time.process_time()
    n = fn(*args)
    return time.process_time() - start, n


def _best_interleaved(contenders: dict[str, tuple[Callable, tuple]]) -> dict[str, tuple]:
    """Best CPU time of each contender over ROUNDS interleaved rounds (noise hits all alike)."""
    best = {name: (float("inf"), 0) for name in contenders}
    for _ in range(ROUNDS):
        for name, (fn, args) in contenders.items():
            t, n = _cpu(fn, *args)
            if t < best[name][0]:
                best[name] = (t, n)
    return best


@pytest.mark.parametrize("name", ["political_analyzer", "StemmingAnalyzer", "index_terms"])
def test_analyzer_throughput_on_bbc(benchmark, bbc_texts, name):
    benchmark.group = "analyzer bbc"
    if name == "index_terms":
        analyzer = political_analyzer()
        run: Callable = _index_terms
    else:
        analyzer = political_analyzer() if name == "political_analyzer" else StemmingAnalyzer()
        run = _run
    run(analyzer, bbc_texts[:50])  # warm caches (stems, normalised words)
    tokens = benchmark.pedantic(run, args=(analyzer, bbc_texts), rounds=ROUNDS, iterations=1)
    median = benchmark.stats.stats.median
    benchmark.extra_info.update(tokens=tokens, tokens_per_s=round(tokens / median))


def test_political_analyzer_is_at_most_1_5x_slower_than_stemming_analyzer(bbc_texts):
    ours, stock = political_analyzer(), StemmingAnalyzer()
    _run(ours, bbc_texts[:50])
    _run(stock, bbc_texts[:50])
    best = _best_interleaved(
        {"stock": (_run, (stock, bbc_texts)), "ours": (_run, (ours, bbc_texts))}
    )
    (t_ours, n_ours), (t_stock, n_stock) = best["ours"], best["stock"]
    ratio = t_ours / t_stock
    print(
        f"\npolitical_analyzer: {n_ours} tokens in {t_ours:.3f}s ({n_ours / t_ours:,.0f} tokens/s)"
        f"\nStemmingAnalyzer:   {n_stock} tokens in {t_stock:.3f}s "
        f"({n_stock / t_stock:,.0f} tokens/s)\ntime ratio: {ratio:.2f}x (limit {MAX_RATIO}x)"
    )
    assert ratio <= MAX_RATIO


def test_index_terms_is_at_least_4x_faster_than_the_token_pipeline(bbc_documents):
    fields = [text for d in bbc_documents for text in (d.title, d.body)]
    ours, stock = political_analyzer(), StemmingAnalyzer()
    for text in fields[:100]:  # the same answer, and warm caches
        out: dict[str, list[int]] = {}
        for t in ours(text, mode="index", positions=True):
            out.setdefault(t.text, []).append(t.pos)
        assert ours.index_terms(text) == out
    _gather(stock, fields[:100])
    best = _best_interleaved(
        {
            "pipeline": (_gather, (ours, fields)),
            "index_terms": (_index_terms, (ours, fields)),
            "StemmingAnalyzer": (_gather, (stock, fields)),
        }
    )
    for name, (t, n) in best.items():
        print(f"\n{name + ':':18s} {n} positions in {t:.3f}s ({n / t:,.0f} tokens/s)", end="")
    t_pipe, n_pipe = best["pipeline"]
    t_fast, n_fast = best["index_terms"]
    t_stock = best["StemmingAnalyzer"][0]
    speedup = t_pipe / t_fast
    print(
        f"\nindex_terms: {speedup:.1f}x faster than the pipeline "
        f"(limit {MIN_INDEX_TERMS_SPEEDUP}x), {t_stock / t_fast:.1f}x faster than StemmingAnalyzer"
    )
    assert n_fast == n_pipe
    assert speedup >= MIN_INDEX_TERMS_SPEEDUP


def test_parties_in_is_at_least_3x_faster_than_its_old_implementation(bbc_documents):
    texts = [f"{d.title}\n{d.body}" for d in bbc_documents]  # what indexing asks about
    # the lexicon each text is read with (the context rule's choice of ambiguous forms)
    lexicons = {text: political_analyzer().reading(text).lexicon for text in texts}
    for text in texts[:100]:
        # the old reading tagged every party concept; parties_in keeps party senses only
        # (issue 9: an Iranian "conservative" MP or a "Labour minister" abroad tags no
        # party), so it may give fewer, never others
        assert set(parties_in(text)) <= set(_old_parties_in(text, lexicons[text]))

    def run(fn: Callable) -> int:
        return sum(len(fn(text)) for text in texts)

    def old(text: str) -> list[str]:
        return _old_parties_in(text, lexicons[text])

    best = _best_interleaved({"old": (run, (old,)), "new": (run, (parties_in,))})
    (t_old, n_old), (t_new, n_new) = best["old"], best["new"]
    speedup = t_old / t_new
    print(
        f"\nparties_in old: {t_old:.3f}s, new: {t_new:.3f}s for {len(texts)} articles "
        f"({speedup:.1f}x faster; limit {MIN_PARTIES_SPEEDUP}x)"
    )
    assert n_old - 5 <= n_new <= n_old  # (the same work: a few party-sense tags fewer)
    assert speedup >= MIN_PARTIES_SPEEDUP
