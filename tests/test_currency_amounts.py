"""Currency amounts: a symbol written before a number is part of the amount ("£1bn"), and a
document also holds the bare amount ("1bn"). Before, the analyzer dropped the symbol, so a
search for £1bn found every $1bn, and "$1.13bn" was the two words "1" and "13bn". Now £1bn
finds the pounds, $1bn the dollars, and a bare 1bn both; a decimal amount is one word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.text import CURRENCY

ANALYZER = political_analyzer()

TEXTS = {
    "pounds": "The scheme costs £1bn a year, the Treasury said.",
    "dollars": "The deal was worth $1bn in cash.",
    "us-dollars": "Aid of US$1bn was pledged.",
    "bare": "Sales reached 1bn units.",
    "decimal": "Profits rose to $1.13bn (£600m) in the quarter.",
    "spelt": "The new hospital will cost £1 billion over ten years.",
    "euros": "Brussels set aside €1bn for farmers.",
    "yearly": "Sponsors pay the club a £5m-a-year fee.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of_texts(tmp_path_factory, "currency-amounts-ix", TEXTS, "Money")


def found(index: CorpusIndex, query: str) -> set[str]:
    return {hit.id for hit in index.search(query, limit=50)}


def test_pounds_do_not_find_dollars(index: CorpusIndex):
    assert found(index, "£1bn") == {"pounds"}


def test_dollars_find_dollars_however_written(index: CorpusIndex):
    assert found(index, "$1bn") == {"dollars", "us-dollars"}
    assert found(index, "€1bn") == {"euros"}


def test_a_bare_amount_finds_every_currency_and_none(index: CorpusIndex):
    assert found(index, "1bn") == {"pounds", "dollars", "us-dollars", "bare", "euros"}


def test_a_decimal_amount_is_one_word(index: CorpusIndex):
    assert found(index, "$1.13bn") == {"decimal"}
    assert found(index, "1.13bn") == {"decimal"}
    assert found(index, "13bn") == set()  # (was found: "1" and "13bn")
    assert found(index, "£600m") == {"decimal"}
    assert found(index, "$600m") == set()


def test_an_amount_joined_to_words_by_hyphens_is_found_by_the_amount(index: CorpusIndex):
    # the compound "£5m-a-year" is its closed-up word and each of its parts, the amount's
    # bare number too, at one place
    assert found(index, "£5m") == found(index, "5m") == {"yearly"}
    assert found(index, "$5m") == set()
    assert found(index, "£5m-a-year") == found(index, '"£5m a year fee"') == {"yearly"}


def test_an_amount_written_out_is_found_by_its_words_and_currency(index: CorpusIndex):
    # "£1 billion" is "£1" then "billion": not the word 1bn (the analyzer has no rule
    # relating the two, for amounts in pounds or without a currency)
    assert found(index, '"£1 billion"') == {"spelt"}
    assert found(index, '"$1 billion"') == set()


def test_a_currency_amount_holds_its_bare_amount_at_its_place_and_a_query_keeps_the_symbol():
    assert ANALYZER.index_terms("costs £1bn a year") == {
        "cost": [0], "£1bn": [1], "1bn": [1], "year": [3]}
    assert [t.text for t in ANALYZER("£1bn", mode="query")] == ["£1bn"]
    assert [t.text for t in ANALYZER("US$5m", mode="query")] == ["us", "united_states", "$5m"]
    # a full-width symbol is its NFKC form
    assert [t.text for t in ANALYZER("\uffe15m", mode="query")] == ["£5m"]
    # a symbol apart from the number is no part of it; a pence sign after it is none
    assert [t.text for t in ANALYZER("£ 5m 50p", mode="query")] == ["5m", "50p"]


AMOUNTS = st.tuples(
    st.integers(0, 99_999).map(str),
    st.sampled_from(["", ".5", ".13", ",000"]),
    st.sampled_from(["", "m", "bn", "tn", "k"]),
).map("".join)


@settings(max_examples=200, deadline=None)
@given(AMOUNTS, st.sampled_from(CURRENCY), st.sampled_from(CURRENCY))
def test_an_amount_in_one_currency_never_finds_another_and_a_bare_one_finds_all(
        amount: str, mine: str, other: str):
    mine_text, other_text = f"cost {mine}{amount} now", f"cost {other}{amount} now"
    typed = {t.text for t in ANALYZER(f"{mine}{amount}", mode="query")}
    bare = {t.text for t in ANALYZER(amount, mode="query")}
    assert len(typed) == 1 and len(bare) == 1
    assert typed <= set(ANALYZER.index_terms(mine_text))
    assert (typed <= set(ANALYZER.index_terms(other_text))) == (mine == other)
    for text in (mine_text, other_text, f"cost {amount} now"):
        assert bare <= set(ANALYZER.index_terms(text))
