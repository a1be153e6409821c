"""Benchmarks of corpus_search against stock Whoosh and tantivy (pytest-benchmark).

Not part of the default ``pytest`` run (``testpaths = tests``). Run them with::

    pytest benchmarks --benchmark-json=.benchmarks/run.json
    pytest benchmarks -m slow --benchmark-json=.benchmarks/scaling.json   # 10k/100k scaling
    python benchmarks/report.py .benchmarks/run.json .benchmarks/scaling.json

Files named ``bench_*.py`` in this folder are collected (see :func:`pytest_collect_file`).
The BBC corpus and eval topics come from ``../shared`` next to the repository (override with
``CORPUS_SEARCH_SHARED``); benchmarks that need them are skipped with a reason when absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Benchmarks run in one process: the test suite's ``-n`` (pyproject's addopts) would
    split them over processes, which pytest-benchmark answers by timing nothing, and
    would time each against the others."""
    if config.pluginmanager.has_plugin("xdist"):
        config.option.numprocesses = 0
        config.option.dist = "no"


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if (
        file_path.suffix == ".py"
        and file_path.name.startswith("bench_")
        and not parent.session.isinitpath(file_path)  # named on the command line: pytest has it
    ):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


needs_bbc = pytest.mark.skipif(
    not harness.BBC.is_dir(),
    reason=f"needs the BBC corpus in {harness.BBC} (set CORPUS_SEARCH_SHARED to ../shared)",
)
needs_topics = pytest.mark.skipif(
    not harness.TOPICS.is_file(),
    reason=f"needs the eval topics in {harness.TOPICS} (set CORPUS_SEARCH_SHARED to ../shared)",
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not harness.SHARED.is_dir():
        pytest.skip(f"../shared not found at {harness.SHARED}; set CORPUS_SEARCH_SHARED")
    return harness.SHARED


@pytest.fixture(scope="session")
def seed_documents() -> list:
    return harness.load_corpus("seeds")


@pytest.fixture(scope="session")
def bbc_documents() -> list:
    if not harness.BBC.is_dir():
        pytest.skip(f"needs the BBC corpus in {harness.BBC}")
    return harness.load_corpus("bbc")


@pytest.fixture(scope="session")
def bbc_dated_documents(bbc_documents: list) -> list:
    """The BBC articles with seeded dates in 2004-2005 (they carry none) for date filters."""
    return harness.with_dates(bbc_documents)


@pytest.fixture(scope="session")
def bench_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict) -> None:
    machine_info["corpus_search"] = harness.machine_info()
