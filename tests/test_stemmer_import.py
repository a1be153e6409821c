"""Specification: the stemmer loads fast and leaves NLTK whole."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_stemming_does_not_import_scipy():
    out = _run(
        "import sys\n"
        "from corpus_search.analysis.analyzer import political_analyzer\n"
        "print([t.text for t in political_analyzer()('elections')])\n"
        "print('scipy' in sys.modules)\n"
    )
    assert out.splitlines() == ["['elect']", "False"]


def test_nltk_association_measures_still_reach_scipy_afterwards():
    import importlib.util

    if importlib.util.find_spec("scipy") is None:
        pytest.skip("SciPy is not installed: NLTK keeps its own fallback, as without us")
    out = _run(
        "from corpus_search.analysis.analyzer import political_analyzer\n"
        "list(political_analyzer()('elections'))\n"
        "from nltk.metrics.association import BigramAssocMeasures\n"
        "print(round(BigramAssocMeasures.fisher(1, (2, 3), 10), 4))\n"
    )
    # Fisher's exact test on [[1, 1], [2, 6]], one-sided: 14/15 (SciPy's answer; NLTK has
    # no fallback of its own and raises without SciPy)
    assert out == "0.9333"
