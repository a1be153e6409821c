"""Shared fixtures: a small hand-written corpus, an index of it, and where ../shared lives."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = Path(os.environ.get("CORPUS_SEARCH_SHARED", REPO.parent / "shared"))
BBC = SHARED / "corpora" / "bbc"
EVAL = SHARED / "eval"

needs_shared = pytest.mark.skipif(
    not BBC.is_dir(),
    reason=f"needs the BBC corpus and eval collection in {SHARED} (absent on this checkout)",
)

#: A tiny corpus whose expected rankings can be checked by hand.
SMALL_CORPUS = {
    "labour/plp.txt": (
        "Labour MPs turn on leadership\n\n"
        "Posted On:\n13th March 2017\n\n"
        "Members of the Parliamentary Labour Party met on Monday night and criticised Jeremy "
        "Corbyn's handling of the campaign. Several backbenchers said the party had neglected "
        "its heartlands.\n"
    ),
    "libdems/brent.txt": (
        "Liberal Democrats win Brent East\n\n"
        "21 September 2003\n\n"
        "The Liberal Democrats won the Brent East by-election, overturning a large Labour "
        "majority. Sarah Teather becomes the youngest MP in the Commons.\n"
    ),
    "tories/budget.txt": (
        "Tories attack pre-Budget report\n\n"
        "2 December 2004\n\n"
        "The Conservatives said the Chancellor of the Exchequer had broken his golden rule. "
        "Michael Howard told the House of Commons that taxes would rise.\n"
    ),
    "economy/jobs.txt": (
        "Jobs market tightens\n\n"
        "15 June 2005\n\n"
        "The labour market tightened again as unemployment fell to its lowest level for thirty "
        "years, official figures showed. Wages rose faster than prices.\n"
    ),
    "economy/common.txt": (
        "Finding common ground on pensions\n\n"
        "Employers and unions found common ground on pensions reform, but the details of the "
        "common approach remain to be settled.\n"
    ),
    "wales/assembly.txt": (
        "Assembly powers debated in Wales\n\n"
        "2005-03-01\n\n"
        "Plaid Cymru called for the Welsh Assembly to gain law-making powers. Ministers in Wales "
        "said the Government of Wales Act would be reviewed.\n"
    ),
    "misc/markup.txt": (
        "Escaping <script>alert('x')</script> in titles\n\n"
        "A document that mentions <b>markup</b> & ampersands, to prove snippets are escaped "
        "before they are shown in a browser: escaping matters.\n"
    ),
    "misc/title_vs_body.txt": (
        "Hospital waiting lists\n\n"
        "Ministers discussed many subjects, including schools, transport and the railways.\n"
    ),
    "misc/body_only.txt": (
        "Ministers discuss transport\n\n"
        "Ministers discussed transport and, at the very end, hospital waiting in some regions "
        "while reviewing lists of railway projects.\n"
    ),
}


def write_corpus(root: Path, files: dict[str, str] = SMALL_CORPUS) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path):
    from corpus_search import CorpusIndex

    ix = CorpusIndex(tmp_path_factory.mktemp("index") / "ix")
    ix.index_directory(small_corpus)
    yield ix
    ix.close()


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory):
    from corpus_search import CorpusIndex

    ix = CorpusIndex(tmp_path_factory.mktemp("seeds-index") / "ix")
    ix.index_directory(SEEDS)
    yield ix
    ix.close()


@pytest.fixture
def fresh_corpus(tmp_path: Path) -> Path:
    """A private, writable copy of the small corpus (for incremental-indexing tests)."""
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the CLI as a subprocess with a private data folder."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env.pop("CORPUS_SEARCH_INDEX", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    return env


def corpus_search_command() -> list[str]:
    exe = shutil.which("corpus-search", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "corpus_search.cli"]
