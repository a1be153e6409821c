"""Specification: a document's parties, found as its title and body are read for indexing.

``document_parties(title, body)`` is ``parties_in`` of the title and the body read as one text
(one context for the ambiguous forms). The analyzer finds it, when it can, on the way as it
reads the title and the body for their index terms, and keeps those for the writer that asks
next: the parties must be exactly the one text's, and the terms exactly each field's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given

from conftest import BBC, needs_shared
from corpus_search.analysis.analyzer import document_parties, parties_in, political_analyzer
from corpus_search.analysis.sentence_case import shouted_reading, shouted_words
from test_analysis_fastpath import (
    LEX,
    SETTINGS,
    pipeline_terms,
    political_text,
    reference_parties,
)


def analyzer():
    """The analyzer document_parties reads with: political_analyzer(LEX) at this moment (a
    test that loads another copy of the lexicon replaces the one cached at import, so a
    module-level analyzer would not be the one that kept the readings)."""
    return political_analyzer(LEX)


def fields_read(title: str, body: str) -> str:
    """The title and body as one text, each read as the product reads a field: a field written
    all in capitals is shouted on its own (the AM of a headline "GREEN AM" is the word am, not
    an Assembly Member making Green a party, though the body below it is not shouted)."""
    shouted = shouted_words(LEX)
    return "\n".join(shouted_reading(field, shouted) or field for field in (title, body))


def assert_document(title: str, body: str) -> None:
    text = fields_read(title, body)
    assert document_parties(title, body, LEX) == reference_parties(text, LEX), (title, body)
    assert analyzer().index_terms(title) == pipeline_terms(analyzer(), title), title
    assert analyzer().index_terms(body) == pipeline_terms(analyzer(), body), body
    assert analyzer()._premade == {}, "each reading is handed out once"


@SETTINGS
@given(political_text(), political_text())
@example("GREEN AM ", "!by election ")  # (a shouted title over a body that is not)
def test_document_parties_are_the_parties_of_title_and_body_as_one_text(title, body):
    assert_document(title, body)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Vote for the Lib", "Dems leader speaks"),  # a form across the two
        ("Blair backs Labour", "The Lib Dems and the Tories"),
        ("", "Labour's NEC met"),
        ("NEC backs shortlists", "Labour's NEC met."),  # context from the other field
        ("NEC backs shortlists", "Electronics firm NEC"),
        ("Shortlists row", "Labour's NEC met."),  # the body alone confirms the form
        ("Labour rows", "The NEC met."),  # the title's context confirms the body's form
        ("NEC row", "Labour's NEC met. The NEC agreed."),  # both fields have the form
        ("The Prime", "Minister spoke"),
        ("by-", "election in Brent"),
        ("Same text", "Same text"),
        ("Lib Dems", ""),
    ],
)
def test_document_parties_on_named_documents(title: str, body: str):
    assert_document(title, body)


def test_the_readings_kept_for_the_writer_are_used_once():
    title, body = "Labour and the Tories", "Michael Howard told the House of Commons."
    document_parties(title, body, LEX)
    assert set(analyzer()._premade) == {title, body}  # a piece ends where the body starts
    expected = pipeline_terms(analyzer(), body)
    assert analyzer().index_terms(body) == expected
    assert analyzer().index_terms(body) == expected  # read again: the reading was handed out
    assert analyzer().index_terms(title) == pipeline_terms(analyzer(), title)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("NEC backs shortlists", "Labour's NEC met."),  # an ambiguous form the body confirms
        ("Electronics firm NEC", "NEC backs shortlists"),  # one nothing confirms
        ("Vote for the Lib", "Dems leader speaks"),  # a form across the two: read as one
    ],
)
def test_each_fields_reading_is_kept_whatever_the_parties_needed(title: str, body: str):
    """The fields are read once each (the context rule applied to each on its own) even
    when the text has ambiguous forms or is read again as one text for its parties."""
    assert document_parties(title, body, LEX) == reference_parties(f"{title}\n{body}", LEX)
    assert set(analyzer()._premade) == {title, body}
    assert analyzer().index_terms(title) == pipeline_terms(analyzer(), title)
    assert analyzer().index_terms(body) == pipeline_terms(analyzer(), body)
    assert analyzer()._premade == {}


@needs_shared
def test_document_parties_on_the_bbc_corpus():
    if not BBC.is_dir():
        pytest.skip(f"needs the BBC corpus in {BBC}")
    for path in sorted(Path(BBC).rglob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        assert document_parties(title, body, LEX) == parties_in(f"{title}\n{body}", LEX), path
        assert analyzer().index_terms(title) == pipeline_terms(analyzer(), title), path
