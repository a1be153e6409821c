"""IT, information technology, is a word of its own: written in capitals it is the acronym
(``=IT`` in the lexicon, with "information technology" its equivalent), while "it", the
pronoun, stays a stop word. Search, count, literal mode and snippets find the acronym alone.
In shouted text ("HOW IT ALL STARTED", "IT IS TIME") the capitals say nothing and IT is the
pronoun (sentence_case.shouted_reading). Before, "search IT" refused the query as too common,
and literal IT found every "it" (1,909 BBC documents for the 14 that write "IT")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.sentence_case import shouted_reading
from corpus_search.errors import QueryError

ANALYZER = political_analyzer()
IT = frozenset({"IT"})

DOCUMENTS = [
    Document(id="nhs", title="Delays", body="The NHS IT system was delayed again."),
    Document(id="giant", title="Contract", body="American IT giant EDS built it for them."),
    Document(id="spelt", title="Spending", body="Spending on information technology rose."),
    Document(id="pronoun", title="Weather", body="It was cold and it rained all day."),
    Document(id="heading", title="Awards",
             body="HOW IT ALL STARTED The first awards were held in 1929."),
    Document(id="shouted", title="IT IS TIME FOR CHANGE", body="The minister spoke."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    ix = CorpusIndex(tmp_path_factory.mktemp("it-acronym") / "ix")
    ix.add_documents(DOCUMENTS)
    yield ix
    ix.close()


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


def test_it_in_capitals_is_information_technology_and_it_in_lower_case_is_no_term():
    assert "information_technology" in terms("the IT system")
    assert "information_technology" in terms("IT is changing how we work")  # (a sentence's start)
    assert terms("It was cold and it rained") == {"cold", "rain"}


def test_it_in_shouted_text_is_the_pronoun():
    # every word beside it in capitals: a heading, a shouted title
    assert "information_technology" not in terms("IT IS TIME FOR CHANGE")
    assert "information_technology" not in terms("HOW IT ALL STARTED The first awards")
    assert "information_technology" not in terms("IT'S TIME")
    # one word beside it not in capitals: the acronym, after another acronym too
    assert "information_technology" in terms("the NHS IT system")
    assert "information_technology" in terms("IT-literate staff")


def test_the_shouted_reading_changes_only_the_case_of_the_shouted_acronym():
    assert shouted_reading("WHO WAS OSCAR? IT IS here", IT) == "WHO WAS OSCAR? It IS here"
    assert shouted_reading("the NHS IT system", IT) is None
    assert shouted_reading("ITV and IT", IT) is None  # (a word of its own only)


@given(st.lists(st.sampled_from(["IT", "IS", "NHS", "system", "It", "the", ".", "-", "2005"]),
                max_size=8),
       st.sampled_from([" ", "  ", "\n", ", "]))
def test_the_shouted_reading_keeps_every_offset(words: list[str], sep: str):
    text = sep.join(words)
    reading = shouted_reading(text, IT) or text
    assert len(reading) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, reading, strict=True)) if a != b]
    # only an IT's second letter, lowered: its first, and so the sentences, stay
    assert all(text[i - 1 : i + 1] == "IT" and reading[i] == "t" for i in changed)


def test_a_search_for_it_finds_the_acronym_and_information_technology(index: CorpusIndex):
    assert {h.id for h in index.search("IT")} == {"nhs", "giant", "spelt"}
    assert index.count("IT").total == 3
    found = index.search('"IT system"')
    assert found.hits[0].id == "nhs"


def test_the_pronoun_typed_in_lower_case_is_still_too_common_to_search(index: CorpusIndex):
    with pytest.raises(QueryError, match="too common"):
        index.search("it")


def test_a_snippet_marks_it_where_the_text_writes_it(index: CorpusIndex):
    hit = next(h for h in index.search("IT") if h.id == "giant")
    assert list(hit.snippet.matches) == ["IT"]


def test_literal_it_finds_it_as_written_in_capitals_not_the_pronoun(index: CorpusIndex):
    found = index.search("IT", literal=True)
    assert {h.id for h in found} == {"nhs", "giant"}
    assert [m for h in found for m in h.snippet.matches] == ["IT", "IT"]
    assert index.count("IT", literal=True).total == 2
    # a phrase typed in capitals is read as shouted text, in any case: the heading's words
    assert {h.id for h in index.search('"HOW IT ALL"', literal=True)} == {"heading"}


def test_literal_us_is_the_country_and_literal_us_in_lower_case_any_us(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="country", title="Trade", body="The US economy grew."),
                          Document(id="pronoun", title="Talk", body="He told us so.")])
        assert {h.id for h in ix.search("US", literal=True)} == {"country"}
        assert {h.id for h in ix.search("us", literal=True)} == {"country", "pronoun"}
