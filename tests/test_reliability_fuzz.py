"""Bad queries: whatever a user types, ``search()`` and ``corpus-search search`` either answer or
explain, in one readable sentence, why they cannot; nothing else escapes.

Property-based (hypothesis): arbitrary Unicode, unbalanced quotes and parentheses, stray
operators, field names that do not exist, ranges, wildcards, fuzzy marks and huge inputs.
``CORPUS_SEARCH_FUZZ_EXAMPLES`` scales the 2,000-example run of ``search()``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_search_command
from corpus_search import CorpusIndex, QueryError, SearchResults
from corpus_search.cli import cli
from reliability_helpers import FUZZ_EXAMPLES_ENV, assert_readable, env_int

EXAMPLES = env_int(FUZZ_EXAMPLES_ENV, 2000)
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
              HealthCheck.data_too_large]

PIECES = [
    '"', "'", "(", ")", "[", "]", "{", "}", ":", "^", "~", "*", "?", "+", "-", "!", "\\", "/",
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "and", "or", "not", "<", ">", "<=", ">=",
    "=", "title:", "body:", "party:", "source:", "date:", "year:", "id:", "url:", "file:",
    "nosuchfield:", "x:y:z", "Lib Dems", "Labour", "Parliamentary Labour Party", "by-election",
    "SNP", "Westminster", "£300", "20%", "2005", "[2004 TO 2005]", "date:>2004", "date:[a TO]",
    "wild*", "*", "?", "fuzzy~", "fuzzy~9", '"a phrase"~3', "^2", "^-1", "^1e309", "(((",
    ")))", '"""', "Ł", "ß", "İ", "ﬁ", "\u200b", "\u202e", "\ufeff", "\x00", "\x1b[2J", "\t",
    "\n", "🙂", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "中文", "العربية", " ", "  ",
]
pieces = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=25).map(" ".join)
glued = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
# Long queries: a few hundred characters (parsed), or past the 1,000-character limit
# (refused).
huge = st.builds(
    lambda piece, n: ((piece or "x") * n)[:n], st.sampled_from(PIECES) | st.text(max_size=5),
    st.integers(min_value=100, max_value=600) | st.integers(1_001, 200_000),
)
queries = st.text() | pieces | glued | huge


def check_search(ix: CorpusIndex, query: str, **kwargs: object) -> SearchResults | None:
    """Run a search: it must return results (serialisable, facets and parsed form included)
    or raise QueryError with a readable message. Any other exception fails the test.

    The page holds the hits the total promises it: full up to the last page, ranked from
    the first place of the page on."""
    try:
        results = ix.search(query, **kwargs)
    except QueryError as exc:
        assert_readable(str(exc))
        return None
    data = json.loads(results.to_json())
    start = (results.page - 1) * results.limit
    assert len(results.hits) == max(0, min(results.limit, results.total - start))
    assert [h.rank for h in results.hits] == list(range(start + 1, start + 1 + len(results.hits)))
    assert (data["total"], len(data["hits"])) == (results.total, len(results.hits))
    for hit in results.hits:
        assert hit.snippet is None or isinstance(hit.snippet.html, str)
    return results


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=queries)
def test_search_answers_any_query_or_raises_a_readable_query_error(
    small_index: CorpusIndex, query: str
):
    """Any string at all: results, or QueryError with a readable message."""
    check_search(small_index, query, limit=5)


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    query=pieces,
    limit=st.integers(min_value=-5, max_value=2000) | st.sampled_from([None, 1.5, "10"]),
    page=st.integers(min_value=-2, max_value=10**6) | st.sampled_from([None, 0, "2"]),
    sort=st.sampled_from(["relevance", "date", "DATE", "", "random"]),
    filters=st.none()
    | st.fixed_dictionaries(
        {},
        optional={
            "party": st.text(max_size=15) | st.sampled_from(["Lib Dems", "labour", "SNP"]),
            "source": st.text(max_size=15),
            "since": st.text(max_size=12) | st.sampled_from(["2004", "2005-02", "2004-13-45"]),
            "until": st.text(max_size=12) | st.sampled_from(["2005", "1899", "9999-12-31"]),
            "nonsense": st.text(max_size=5),
        },
    ),
)
def test_search_options_of_any_value_give_results_or_a_readable_query_error(
    small_index: CorpusIndex, query: str, limit: object, page: object, sort: str,
    filters: dict | None,
):
    """Limits, pages, sort orders and filters of any value are checked, not trusted."""
    check_search(small_index, query, limit=limit, page=page, sort=sort, filters=filters)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\x00", "the of and", '"', "(", ")", "title:", "nosuchfield:word", "*",
     "AND OR NOT", "x" * 10_001, "fuzzy~9 " * 1_100, "Labour~9", "(a" * 4_000,
     "(" * 5000, '"' * 9999, "date:[2005 TO", "Labour" * 2000,
     "\ud800", "a" * 1_000_000],
    ids=lambda q: repr(q[:20]) + (f"...({len(q)})" if len(q) > 20 else ""),
)
def test_known_awkward_queries_are_answered_or_refused_readably(
    small_index: CorpusIndex, query: str
):
    """Empty, stop-word-only, syntax-only, unknown-field, lone-surrogate and megabyte queries."""
    check_search(small_index, query)


def test_a_query_just_under_the_length_limit_is_answered(small_index: CorpusIndex):
    """499 operators in a row (998 characters) are parsed and answered."""
    check_search(small_index, "OR" * 499)


def test_a_query_error_names_the_problem_in_plain_words(small_index: CorpusIndex):
    """The documented messages: empty queries and over-long queries say what to do."""
    with pytest.raises(QueryError, match="empty"):
        small_index.search("   ")
    with pytest.raises(QueryError, match="limit"):
        small_index.search("x" * 20_000)


# -- the command line -----------------------------------------------------------------------

CLI_IN_PROCESS = 200
CLI_SUBPROCESS = 15


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path) -> Path:
    path = tmp_path_factory.mktemp("cli-fuzz") / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(small_corpus)
    return path


argv_text = queries.filter(lambda q: "\x00" not in q).map(
    lambda q: q.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if len(q) < 100_000 else q[:100_000]
).filter(lambda q: "\x00" not in q)
extra_options = st.lists(
    st.sampled_from([
        ["--json"], ["--limit", "0"], ["--limit", "3"], ["--page", "99"], ["--party", "Lib Dems"],
        ["--party", "Nobody"], ["--since", "2004"], ["--since", "not-a-date"], ["--until", "1"],
        ["--sort", "date"], ["--source", "x"], ["--sort", "nonsense"],
    ]),
    max_size=3,
).map(lambda groups: [arg for group in groups for arg in group])


def _check_cli_outcome(code: int, stdout: str, stderr: str, options: list[str]) -> None:
    """Exit 0 with a page of results, 1 with none (saying why), 2 with a readable error;
    never a traceback."""
    assert code in (0, 1, 2), f"exit code {code}: {stderr[-500:]}"
    assert "Traceback" not in stdout + stderr
    if code == 2:
        assert_readable(stderr)
        assert "error" in stderr.lower() or "usage" in stderr.lower()
    elif "--json" in options:
        assert (len(json.loads(stdout)["hits"]) > 0) == (code == 0)
    elif code == 1:
        assert stdout.strip(), "an empty page of results says why"


@settings(max_examples=CLI_IN_PROCESS, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=argv_text, options=extra_options)
def test_the_search_command_never_crashes_in_process(
    cli_index: Path, query: str, options: list[str]
):
    """``corpus-search search`` through click's runner: exit 0, 1 or 2, never an exception."""
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "--index", str(cli_index), *options, "--", query])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    _check_cli_outcome(result.exit_code, result.stdout, result.stderr, options)


#: Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN) before the program runs: a
#: query of 50,000 four-byte characters is one (the fuzzer once drew it)
MAX_ARGUMENT_BYTES = 128 * 1024 - 1


@settings(max_examples=CLI_SUBPROCESS, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=argv_text.filter(lambda q: len(os.fsencode(q)) < MAX_ARGUMENT_BYTES),
       options=extra_options)
def test_the_search_command_never_prints_a_traceback(
    cli_index: Path, cli_env: dict[str, str], query: str, options: list[str]
):
    """The real ``corpus-search search`` process, with arbitrary text as the query argument
    (including text starting with ``-``): exit 0, 1 or 2 and no traceback."""
    result = subprocess.run(
        [*corpus_search_command(), "search", query, "--index", str(cli_index), *options],
        env=cli_env, capture_output=True, text=True, errors="replace", timeout=60,
        stdin=subprocess.DEVNULL,
    )
    _check_cli_outcome(result.returncode, result.stdout, result.stderr, options)
