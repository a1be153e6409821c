"""A wildcard matching no word of the texts matches the lexicon's forms of one word: a
term the texts write otherwise (PMQs, written "Prime Minister's Questions") or a word with a
hyphen, which the texts' words hold as two (by-election)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import index_of_texts


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of_texts(tmp_path_factory, "lexicon_patterns", {
        "questions": "At Prime Minister's Questions the Tories attacked the Budget.",
        "election": "The Liberal Democrats won the Brent East by-election.",
        "byelection": "A byelection is due in Hartlepool.",
        "electric": "Electricity prices rose.",
    }, "News")


def ids(index: Any, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50, correct=False)}


def test_a_pattern_of_a_lexicon_form_the_texts_never_write_finds_the_term(terms: Any):
    # (the texts write no word starting "PMQ": the pattern had found nothing)
    assert ids(terms, "PMQ*") == ids(terms, "PMQs") == {"questions"}


def test_a_hyphenated_pattern_finds_the_lexicon_term_it_completes(terms: Any):
    # (the words of the texts hold "by" and "election" apart: by-elec* had found nothing)
    assert ids(terms, "by-elec*") == ids(terms, "by-election") == {"election", "byelection"}
    assert ids(terms, "by-elec* AND Hartlepool") == {"byelection"}


def test_a_pattern_matching_words_of_the_texts_is_those_words_alone(terms: Any):
    # a pattern that matches words of the texts is never widened to the lexicon's forms
    assert ids(terms, "elec*") == {"election", "electric"}


def test_a_pattern_matching_neither_words_nor_forms_matches_nothing(terms: Any):
    assert terms.search("xyzzy*").total == 0
