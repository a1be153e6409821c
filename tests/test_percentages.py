"""Percentages: "2.5%", "2.5pc", "2.5 per cent" and "2.5 percent" are one amount, the
token 2.5%, which a document holds with its bare number (2.5) beside it, as a currency
amount holds its own. Before, the analyzer dropped the sign: a search for "2.5%" was a
search for 2.5, finding "2.5 million" and "2.5 years" (20 BBC documents, 11 of them
percentages), and "2.5 per cent" was 2.5 and the words per cent."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer

ANALYZER = political_analyzer()

PERCENTAGES = {
    "sign": "Inflation rose 2.5% last month, the figures showed.",
    "words": "Inflation rose 2.5 per cent last month, the figures showed.",
    "percent": "Growth of 2.5 percent is forecast for next year.",
    "pc": "Shares in the bank fell 2.5pc on Monday.",
    "wrapped": "Wages rose by 2.5 per\ncent in the year to March.",
}
TEXTS = PERCENTAGES | {
    "million": "The scheme helps 2.5 million people into work.",
    "years": "He served 2.5 years of his sentence.",
    "points": "Turnout rose 2.5 percentage points on the last election.",
    "other": "Unemployment was 12.5% in the region.",
    "range": "Pay rises of 2-3% are expected this year.",
    "ended": "The score was 2.5. Per cent of what, nobody said.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of_texts(tmp_path_factory, "percentages-ix", TEXTS, "Rates")


def found(index: CorpusIndex, query: str) -> set[str]:
    return {hit.id for hit in index.search(query, limit=50)}


@pytest.mark.parametrize("query", [
    "2.5%", '"2.5%"', "2.5 per cent", '"2.5 per cent"', "2.5 percent", '"2.5 percent"',
    "2.5pc", "2.5 PER CENT",
])
def test_a_percentage_finds_every_way_of_writing_it_and_nothing_else(index, query):
    assert found(index, query) == set(PERCENTAGES)


def test_a_bare_number_still_finds_the_percentages_that_write_it(index):
    # as a bare 1bn finds £1bn and $1bn: the number is findable, the sign is what narrows
    assert found(index, "2.5") == set(PERCENTAGES) | {"million", "years", "points", "ended"}


def test_percentage_points_and_a_number_ending_a_sentence_are_no_percentage(index):
    # "2.5 percentage points" is a difference of percentages; "2.5. Per cent" two sentences
    assert not found(index, "2.5%") & {"points", "ended", "million", "years", "other"}


def test_a_range_s_last_number_is_the_percentage(index):
    # "2-3%" writes its sign once, after the range's last number
    assert found(index, "3%") == {"range"}


def test_count_and_concordance_agree_with_search(index):
    for query in ("2.5%", "2.5 per cent", '"2.5 percent"'):
        assert index.count(query).total == len(PERCENTAGES)
        result = index.concordance(query)
        assert {line.id for line in result.lines} == set(PERCENTAGES)
    # the concordance shows the whole percentage, however written
    matches = {line.id: line.match for line in index.concordance("2.5%").lines}
    assert matches == {"sign": "2.5%", "words": "2.5 per cent", "percent": "2.5 percent",
                       "pc": "2.5pc", "wrapped": "2.5 per cent"}


def test_an_unquoted_percentage_in_words_counts_as_one_unit(index):
    # no "counts the documents holding any of its words" note: it is one thing typed
    assert not [n for n in index.count("2.5 per cent").notes if "any of its words" in n]
    # beside another word it is one of the words the note reads (its % no syntax)
    [note] = [n for n in index.count("Inflation 2.5%").notes if "any of its words" in n]
    assert "Inflation AND 2.5% all of them (2)" in note


def test_a_document_holds_the_percentage_and_its_bare_number_at_the_number_s_place():
    assert ANALYZER.index_terms("rose 2.5% in May") == {
        "rose": [0], "2.5%": [1], "2.5": [1], "may": [3]}
    # "per cent" joins the number's place (a search for "percent" still finds it there)
    assert ANALYZER.index_terms("rose 2.5 per cent in May") == {
        "rose": [0], "2.5%": [1], "2.5": [1], "per_cent": [1], "per": [1], "cent": [1],
        "may": [3]}
    assert [t.text for t in ANALYZER("rose 2.5 per cent in May", mode="query")] == [
        "rose", "2.5%", "may"]
    # a currency amount before "per cent" stays the amount
    assert "£5%" not in ANALYZER.index_terms("£5 per cent")


NUMBERS = st.tuples(
    st.integers(0, 99_999).map(str),
    st.sampled_from(["", ".5", ".25", ",000"]),
).map("".join)
FORMS = st.sampled_from(["%", "\uff05", "pc", " per cent", " percent", " per-cent",
                         " Per Cent", " per\ncent", " per  cent"])


def stream_terms(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for t in ANALYZER(text, positions=True):
        out[t.text].append(t.pos)
    return dict(out)


@settings(max_examples=200, deadline=None)
@given(NUMBERS, FORMS, FORMS)
@example("1,000", " per cent", "%")
def test_every_way_of_writing_a_percentage_is_the_same_term_and_never_the_number_alone(
        number: str, form: str, other: str):
    typed = [t.text for t in ANALYZER(f"{number}{form}", mode="query")]
    assert typed == [t.text for t in ANALYZER(f"{number}{other}", mode="query")]
    [percentage] = typed
    bare = percentage[:-1]
    assert percentage == bare + "%" and bare == number.replace(",", "")
    text = f"Rates rose {number}{form} in May"
    terms = ANALYZER.index_terms(text)
    assert terms == stream_terms(text)  # (the fast path reads it as the filters do)
    assert terms[percentage] == terms[bare] == [2]
    assert terms["may"] == [4]  # (the words after it one place on, however written)
    for plain in (f"Rates rose {number} million in May", f"Rates rose {number}. Per cent"):
        assert percentage not in ANALYZER.index_terms(plain)
        assert ANALYZER.index_terms(plain) == stream_terms(plain)
