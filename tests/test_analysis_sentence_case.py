"""Specification: a party's name that is also a common noun is the noun where a sentence
starts, in a text that writes the noun in lower case.

``=Labour`` and ``=Conservatives`` are the parties only when capitalised; at a sentence's
start (or a line's, or a quotation's) every word is capitalised, so there the capital says
nothing. A text that also writes "labour" or "conservatives" in lower case uses the common
noun, and its sentence-initial "Labour" or "Conservatives" is that noun too; a text that
never does keeps reading them as the party, as British political reporting writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BBC, needs_shared
from corpus_search.analysis.analyzer import document_parties, parties_in
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.sentence_case import common_noun_reading, sentence_case_party_words
from corpus_search.evaluation.tagging import party_tag_quality

LEX = load_lexicon()


@pytest.mark.parametrize(
    "text",
    [
        # business/092: Iran's parliament, "dominated by religious conservatives"
        "Conservatives in parliament say the stake should be cut. Parliament as a whole - "
        "dominated by religious conservatives - will vote on Tuesday.",
        # business/183: work, not the party, in a text about the labour market
        '"Labour is too costly in Germany, especially for the low skilled labour," he says.',
        "The government is reforming the labour market. Labour is cheaper in Hungary.",
        "Social conservatives back the plan.\nConservatives in Congress oppose it.",
        "Fiscal conservatives were unhappy: Conservatives want lower spending, said the senator.",
    ],
)
def test_a_sentence_initial_party_word_in_a_text_using_the_common_noun_tags_no_party(text):
    assert parties_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "religious conservatives in Iran's parliament won the vote",
        "Iran's conservatives won the vote.",
        "Iranian Conservatives took control of parliament.",
        "hardline conservatives blocked the deal",
        "Helmut Schneider, director of the Institute for the Study of Labour at Bonn University",
        "The cost of labour has risen. Labour costs are high.",
    ],
)
def test_lower_case_foreign_or_institutional_uses_tag_no_party(text):
    assert parties_in(text) == []


@pytest.mark.parametrize(
    ("text", "party"),
    [
        # a text that never writes the word in lower case: the capital is the party's
        ("Labour has pledged to cut class sizes. Mr Blair said so.", "Labour"),
        ('He said: "Labour will win." The Tories disagreed.', "Labour"),
        ("Conservatives say the figures are wrong.", "Conservative"),
        # the party named mid-sentence too: tagged by that mention, whatever else the text says
        ("Labour is cheap in Hungary, as the labour market shows. Ask Labour MPs.", "Labour"),
        ("Religious conservatives met. Later the Conservatives said no.", "Conservative"),
        # a multi-word form is the party at a sentence's start too
        ("Labour Party officials met. Child labour was discussed.", "Labour"),
    ],
)
def test_the_party_still_tags_its_party(text, party):
    assert party in parties_in(text)


def test_a_document_title_and_body_start_sentences():
    body = "Labour is too costly, says the report on the labour market."
    assert document_parties("Labour costs rise", body, LEX) == []
    assert document_parties("Labour wins the vote", "Mr Blair thanked voters.", LEX) == ["Labour"]


def test_the_words_are_the_lexicons_sentence_case_single_word_party_forms():
    words = sentence_case_party_words(LEX)
    assert {"Labour", "Conservative", "Conservatives", "Liberal", "Greens", "Plaid"} <= words
    # multi-word, caseless or all-capital forms carry their sense at a sentence's start too
    assert not {"Tory", "Tories", "Labour Party", "SNP", "NEC", "CLP"} & words


def test_the_reading_changes_only_first_letters():
    text = 'The labour market.  "Labour is dear," he said.\nLabour\'s costs: Labour rises.'
    reading = common_noun_reading(text, LEX)
    assert reading == (
        'The labour market.  "labour is dear," he said.\nlabour\'s costs: labour rises.'
    )
    assert [w.lower() for w in reading.split()] == [w.lower() for w in text.split()]
    assert common_noun_reading("Labour is dear. Labour MPs agree.", LEX) is None


@needs_shared
def test_on_the_labelled_bbc_documents_party_tags_keep_full_recall():
    quality = party_tag_quality(BBC, Path(__file__).parent / "data" / "party_tags.tsv")
    assert quality.recall == 1.0
    wrong = {d.doc_id for d in quality.disagreements if d.wrong}
    assert not {"business/092", "business/183"} & wrong
