"""In shouted text (a heading or title in capitals) capitals say nothing, so an acronym whose
letters are a function word is that word where every word beside it in its clause is in
capitals: "TELL US WHAT YOU THINK" is the pronoun, not the United States; "WHO WAS OSCAR?"
(BBC entertainment/314) asks a question of no World Health Organisation. Even shouted, the
acronym stays where the pronoun cannot stand: after an article ("THE US ELECTION"), joined by
a hyphen ("US-LED"), and for the object pronoun "us", where a clause starts ("US TROOPS
LEAVE IRAQ", a title; "US TV host", BBC entertainment/219). IT is the same rule
(tests/test_it_acronym.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.sentence_case import shouted_reading, shouted_words

ANALYZER = political_analyzer()
WORDS = shouted_words(ANALYZER.lexicon)


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


def test_the_acronyms_shouted_text_loses_are_those_spelling_a_function_word():
    assert {"IT", "US", "WHO", "AM"} <= WORDS
    assert not {"NHS", "MP", "PM", "NICE"} & WORDS  # no function word (nice is a content word)


@pytest.mark.parametrize(("text", "concept"), [
    ("TELL US WHAT YOU THINK", "united_states"),
    ("LET US GO", "united_states"),
    ("WHAT IT MEANS FOR US AND THEM", "united_states"),
    ("Bob Hope as the MC. WHO WAS OSCAR? There is no solid evidence", "who_org"),
    ("a new batch was rushed out. WHO SITS IN JUDGEMENT? The Academy", "who_org"),
    ("to film. THE STARS WHO LEFT EMPTY-HANDED While many", "who_org"),
    ("I AM HERE NOW", "ms_senedd"),
])
def test_a_shouted_acronym_spelling_a_function_word_is_that_word(text, concept):
    assert concept not in terms(text)


@pytest.mark.parametrize(("text", "concept"), [
    ("US TROOPS LEAVE IRAQ", "united_states"),  # "us" begins no clause
    ("IRAQ: US TROOPS LEAVE", "united_states"),
    ("US TV host to front show", "united_states"),
    ("THE US ELECTION RESULT", "united_states"),  # no pronoun after an article
    ("THE IT DEPARTMENT", "information_technology"),
    ("FOR US-LED FORCES", "united_states"),  # nor joined by a hyphen
    ("the UK, US, Germany and South Korea", "united_states"),
    ("The WHO said 700,000 people", "who_org"),
    ("The Welsh Assembly sat. He became AM for Aberavon.", "ms_senedd"),
])
def test_the_acronym_stays_where_its_pronoun_cannot_stand_or_the_text_is_not_shouted(
    text, concept
):
    assert concept in terms(text)


def test_the_reading_writes_the_function_word_as_at_a_sentences_start():
    assert shouted_reading("TELL US WHAT", WORDS) == "TELL Us WHAT"
    assert shouted_reading("US TROOPS LEAVE", WORDS) is None
    assert shouted_reading("out. WHO SITS IN", WORDS) == "out. Who SITS IN"


@given(st.lists(st.sampled_from(["US", "WHO", "AM", "IT", "THE", "TELL", "troops", "It", "."]),
                max_size=8),
       st.sampled_from([" ", "\n", ", ", "-", ": "]))
def test_the_shouted_reading_keeps_every_offset_and_first_letter(words: list[str], sep: str):
    text = sep.join(words)
    reading = shouted_reading(text, WORDS) or text
    assert len(reading) == len(text)
    changed = [i for i, (a, b) in enumerate(zip(text, reading, strict=True)) if a != b]
    assert reading.lower() == text.lower()
    assert all(reading[i].islower() for i in changed)
    # an acronym's first letter stays: the text's sentences and capitals there are the same
    starts = [i - len(text[:i]) + len(text[:i].rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
              for i in changed]
    assert all(reading[j] == text[j] and j not in changed for j in starts)
