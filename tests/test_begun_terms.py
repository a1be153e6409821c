"""A lexicon form that begins with another term's form also holds that term: "the general
election campaign" is a mention of the general election, so a search for the quoted phrase
"general election" finds it and a count counts it, as grep would."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import multiword_spans, parties_in, political_analyzer
from corpus_search.analysis.lexicon import load_lexicon


def index_terms(text: str, lexicon=None) -> set[str]:
    return set(political_analyzer(lexicon or load_lexicon()).index_terms(text))


def test_a_form_beginning_with_another_terms_form_holds_both_terms():
    terms = index_terms("the general election campaign began")
    assert {"election_campaign", "general_election"} <= terms


@pytest.mark.parametrize("text, term", [
    ("Mental Health Act", "mental_health"),
    ("the Secretary of State for Wales", "secretary_of_state"),
    ("the climate change levy", "climate_change"),
])
def test_the_term_a_form_begins_with_is_named_by_it(text: str, term: str):
    assert term in index_terms(text)


@pytest.mark.parametrize("text, term", [
    ("shadow home secretary David Davis", "home_secretary"),
    ("Ireland's deputy first minister", "first_minister"),
    ("the Office of the Deputy Prime Minister", "prime_minister"),
])
def test_a_term_a_form_ends_with_is_not_added_it_narrows_it_to_another_thing(
        text: str, term: str):
    assert term not in index_terms(text)


def test_a_foreign_party_whose_name_begins_with_labour_party_tags_no_party():
    assert "labour_party" not in index_terms("the Labour Party of Israel")
    assert parties_in("the Labour Party of Israel said") == []


def test_a_partys_own_name_holds_no_other_term():
    assert "united_kingdom" not in index_terms("the United Kingdom Independence Party")


def test_the_also_column_refuses_a_begun_term_with_a_minus():
    # free school meals are meals, not free schools (welfare.tsv: -free_schools)
    assert "free_schools" not in index_terms("free school meals for every child")
    assert "school_meals" in index_terms("free school meals for every child")


def test_a_user_lexicon_gets_the_rule_and_can_refuse_it(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "[terms]\nwidget_tax\twidget tax\nwidget_tax_rebate\twidget tax rebate\n"
        "widget_tax_office\twidget tax office\t\t-widget_tax\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon(path)
    assert "widget_tax" in index_terms("a widget tax rebate", lexicon)
    assert "widget_tax" not in index_terms("the widget tax office", lexicon)
    assert lexicon.implied["widget_tax_rebate"] == {"widget_tax"}


def test_the_lexicon_says_which_terms_a_concept_implies_also_and_begun():
    implied = load_lexicon().implied
    assert implied["plp"] >= {"labour_party"}  # its also column
    assert "general_election" in implied["election_campaign"]  # a form begins with it


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    docs = [
        Document(id="campaign", title="Campaign opens",
                 body="The parties opened their general election campaign on Monday."),
        Document(id="poll", title="Poll date",
                 body="The general election will be held in May, the general election "
                      "being near."),
        Document(id="meals", title="Meals",
                 body="Free school meals for every child, the council said."),
        Document(id="other", title="Weather", body="Rain is expected on Monday."),
    ]
    yield from index_of(tmp_path_factory, "begun-ix", docs)


def test_a_quoted_phrase_finds_the_longer_form_that_writes_it(index: CorpusIndex):
    results = index.search('"general election"')
    assert {hit.id for hit in results} == {"campaign", "poll"}
    assert results.phrase_matches == 2  # both hold the phrase, not only its words


def test_a_count_of_the_phrase_counts_the_longer_form_too(index: CorpusIndex):
    assert index.count('"general election"', by="source").total == 2


def test_a_query_typing_the_longer_form_ranks_it_above_the_shorter_terms_mentions(
        index: CorpusIndex):
    assert index.search("general election campaign")[0].id == "campaign"


def test_a_refused_begun_term_is_not_counted(index: CorpusIndex):
    # (a search still finds the meals, after any phrase holder, for holding the words apart)
    assert index.count('"free schools"', by="source").total == 0
    assert index.count('"school meals"', by="source").total == 1


def test_a_concordance_of_the_phrase_marks_its_words_not_the_whole_longer_form(
        index: CorpusIndex):
    [line] = [line for line in index.concordance('"general election"').lines
              if line.id == "campaign"]
    assert line.match == "general election"
    assert line.right.startswith(" campaign")


def test_the_begun_terms_token_spans_its_own_words_and_the_longer_forms_the_whole():
    text = "They undermined the general election campaign."
    spans = {term: text[start:end] for term, _pos, start, end in
             political_analyzer(load_lexicon()).matching_tokens(
                 text, {"general_election", "election_campaign"})}
    assert spans == {"general_election": "general election",
                     "election_campaign": "general election campaign"}


def test_a_query_typing_the_longer_form_reads_it_whole_and_counts_only_its_documents(
        index: CorpusIndex):
    # the general election is a broader term of the query, whose documents a count leaves out
    assert index.count("general election campaign", by="source").total == 1
    assert multiword_spans("the general election campaign") == [(4, 29)]
