"""The cost of one query is bounded: ``*`` is match-all with no expansion, a wildcard or fuzzy
term expands to at most ``MAX_PATTERN_WORDS`` words, and a whole query stops with
``QueryBudgetError`` once it has run ``QUERY_TIME_LIMIT`` seconds, on both search paths (the
engine's arrays and Whoosh's own searcher).

``CORPUS_SEARCH_BUDGET_EXAMPLES`` scales the fuzzed queries (300 by default).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import collectors

import corpus_search.search.execute as search_module
import corpus_search.search.parser as parser_module
import corpus_search.search.spelling as spelling_module
from corpus_search import CorpusIndex, QueryBudgetError, QueryError
from corpus_search.cli import cli
from corpus_search.errors import PatternTooBroad, Unsupported
from corpus_search.search.engine import QueryEngine
from reliability_helpers import assert_readable, env_int

EXAMPLES = env_int("CORPUS_SEARCH_BUDGET_EXAMPLES", 300)
FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
#: the time limit the tests set, and how far past it a query may still be running: the
#: budget is checked between steps (a term read, a query node, 256 vocabulary words, 256
#: collected documents, a snippet), and the machine may be busy
LIMIT = 0.5
SLACK = 1.5


@pytest.mark.parametrize("query", ["*", "**", "***", "title:*", "body:**", "labour OR *"])
def test_wildcards_alone_match_every_document_without_expanding(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch, query: str
):
    def refuse(*args: object, **kwargs: object) -> list[str]:
        raise AssertionError("a match-all pattern was expanded over the vocabulary")

    monkeypatch.setattr(parser_module, "expand_pattern", refuse)
    assert seeds_index.search(query).total == len(seeds_index)


def test_a_pattern_matching_more_words_than_the_cap_is_refused_readably(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(spelling_module, "MAX_PATTERN_WORDS", 5)
    with pytest.raises(PatternTooBroad) as caught:
        seeds_index.search("*e*")
    assert isinstance(caught.value, QueryError)
    assert "at most 5 can be searched" in str(caught.value)
    assert_readable(str(caught.value))


def test_the_cap_on_a_pattern_s_words_holds_for_a_pattern_searched_before_it_changed(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    # (the parse and the pattern's words were kept from the first search: a cap a program
    # lowered later refused nothing, and the test above passed or failed by test order)
    found = seeds_index.search("*a*").total
    monkeypatch.setattr(spelling_module, "MAX_PATTERN_WORDS", 5)
    with pytest.raises(PatternTooBroad, match="at most 5 can be searched"):
        seeds_index.search("*a*")
    monkeypatch.undo()
    assert seeds_index.search("*a*").total == found


def test_a_range_of_words_holding_more_than_the_cap_is_refused_as_a_wildcard_is(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    # (Whoosh searched every word of a range: [a TO z], the whole vocabulary, took 6 s on BBC)
    monkeypatch.setattr(spelling_module, "MAX_PATTERN_WORDS", 5)
    for query in ("[a TO z]", "body:{a TO z}", "title:[a TO ]"):
        with pytest.raises(PatternTooBroad, match="at most 5 can be searched") as caught:
            seeds_index.search(query)
        assert "Make the range narrower." in str(caught.value)
        assert_readable(str(caught.value))


def test_a_range_within_the_cap_searches_its_words_and_an_id_range_is_not_capped(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    narrow = seeds_index.search("body:[labour TO labour]")
    assert narrow.total == seeds_index.search("body:labour").total > 0
    monkeypatch.setattr(spelling_module, "MAX_PATTERN_WORDS", 1)
    ids = sorted(hit.id for hit in seeds_index.list_documents())
    assert seeds_index.search(f"id:[{ids[0]} TO {ids[-1]}]").total == len(ids) > 1


def _slow_term_reads(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make every postings lookup of the engine take ``seconds`` (a big index's cost)."""
    term = QueryEngine.term

    def slow(self: QueryEngine, *args: object, **kwargs: object):
        time.sleep(seconds)
        return term(self, *args, **kwargs)

    monkeypatch.setattr(QueryEngine, "term", slow)


#: 40 words of the seed articles, OR-ed: about 80 postings lookups
MANY_WORDS = ("labour party mps members leader election government minister vote scotland "
              "campaign parliament council independent group momentum referendum brexit "
              "policy public tory conservative seat constituency deputy former shadow "
              "secretary union meeting local national week year people said told news "
              "support plans")


@pytest.fixture
def cold_index(seeds_index: CorpusIndex) -> Iterator[CorpusIndex]:
    """The seeds index opened afresh: a new searcher, so no postings or concept scores are
    kept from the other tests' queries (a warm searcher answers a query it has seen
    without reading postings again)."""
    with CorpusIndex(seeds_index.path) as cold:
        yield cold


def test_a_query_past_its_time_limit_stops_with_a_query_budget_error(
    cold_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    """On the engine's path: 40 words whose postings take 0.05 s each to read would run
    for seconds; the query stops soon after its 0.5 s and says why, in one sentence."""
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", LIMIT)
    _slow_term_reads(monkeypatch, 0.05)
    started = time.monotonic()
    with pytest.raises(QueryBudgetError) as caught:
        cold_index.search(MANY_WORDS)
    elapsed = time.monotonic() - started
    assert LIMIT <= elapsed < LIMIT + SLACK
    assert caught.value.seconds == LIMIT
    message = str(caught.value)
    assert "stopped after 0.5 s" in message and "Make it narrower" in message
    assert_readable(message)


def test_whooshs_own_searcher_stops_at_the_time_limit_too(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    """A query the engine declines runs in Whoosh's searcher, whose collection checks the
    budget: with each collected document taking 0.3 s, the search stops at the limit."""
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", LIMIT)
    monkeypatch.setattr(search_module, "_BUDGET_EVERY", 1)

    def decline(self: QueryEngine, *args: object, **kwargs: object):
        raise Unsupported("this test takes the Whoosh path")

    monkeypatch.setattr(QueryEngine, "evaluate", decline)
    collect = collectors.ScoredCollector.collect

    def slow_collect(self: object, sub_docnum: int):
        time.sleep(0.3)
        return collect(self, sub_docnum)

    monkeypatch.setattr(collectors.ScoredCollector, "collect", slow_collect)
    started = time.monotonic()
    with pytest.raises(QueryBudgetError):
        seeds_index.search("labour AND NOT zzzz", highlight=False)
    assert time.monotonic() - started < LIMIT + SLACK


def test_no_time_limit_lets_a_slow_query_finish(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", None)
    _slow_term_reads(monkeypatch, 0.01)
    assert seeds_index.search(MANY_WORDS).total == len(seeds_index)


def test_the_time_limit_is_per_query_not_per_process(
    seeds_index: CorpusIndex, cold_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    """A stopped query leaves no budget behind: the next one runs, and a result's total and
    facets, counted later, get a budget of their own."""
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", LIMIT)
    with monkeypatch.context() as slow:
        _slow_term_reads(slow, 0.05)
        with pytest.raises(QueryBudgetError):
            cold_index.search(MANY_WORDS)
    results = seeds_index.search("labour")
    time.sleep(LIMIT + 0.1)  # longer than the query's budget: the counts still work
    assert results.total and results.facets["party"]


def test_the_cli_prints_the_budget_error_in_one_line_and_exits_2(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", 0.0)
    result = CliRunner().invoke(cli, ["search", "labour", "--index", str(seeds_index.path)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: The query was stopped after 0 s")


# -- fuzzed queries --------------------------------------------------------------------------

_PIECES = ["*", "?", "~", "~2", "~9", '"', "(", ")", " ", " OR ", " AND ", " NOT ", "title:",
           "body:", "party:", "^2", "-", "a", "e", "s", "la", "lab", "labour", "party", "mps",
           "[", "]", " TO ", "2005", "\u202e", "é"]
_queries = st.lists(st.sampled_from(_PIECES) | st.text(max_size=4), max_size=30).map(
    lambda parts: "".join(parts)[:60]
) | st.text(max_size=60)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=FIXTURE_OK)
@given(query=_queries)
def test_any_query_up_to_60_characters_ends_within_its_time_limit(
    seeds_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch, query: str
):
    """Random queries of wildcards, fuzzy marks, phrases, operators and fields: each gives
    results or a readable QueryError, and none runs much past the (lowered) time limit."""
    monkeypatch.setattr(search_module, "QUERY_TIME_LIMIT", LIMIT)
    started = time.monotonic()
    try:
        results = seeds_index.search(query, limit=5)
        results.total, results.facets  # noqa: B018 (counted on use, within their budget)
    except QueryError as exc:
        assert_readable(str(exc))
    assert time.monotonic() - started < LIMIT + SLACK
