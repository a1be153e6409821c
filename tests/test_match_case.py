"""Counting a person whose name is also a word: ``May`` counts the documents saying "may" (470
BBC documents, where grep -lw May finds 135), ``Hunt`` fox hunting, ``Cleverly`` the adverb.
A count now says so in a note, with the figures from the words as written, and
``match_case=True`` (``--match-case``) counts the words as written in the case typed, as
literal mode does otherwise (one rule: :func:`~corpus_search.search.literal.literal_pattern`)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.search.literal import literal_pattern

DOCUMENTS = [
    Document(id="c/1", title="Chair", body="Theresa May chaired the meeting.", source="BBC"),
    Document(id="c/2", title="Vote", body="The party may lose seats, it may not.", source="BBC"),
    Document(id="c/3", title="Date", body="The election may be held in May.", source="BBC"),
    Document(id="c/4", title="Fox", body="The hunting ban came into force.", source="BBC"),
    Document(id="c/5", title="Rural", body="A hunt met at dawn.", source="BBC"),
    Document(id="c/6", title="Tories", body="Jeremy Hunt spoke for the party.", source="BBC"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "match-case-ix", DOCUMENTS)


def test_match_case_counts_the_name_as_written_not_the_verb(index):
    assert index.count("May", by="source").total == 3  # (the verb too, as search reads it)
    assert index.count("May", by="source", literal=True).total == 3  # (literal: any case)
    assert index.count("May", by="source", match_case=True).total == 2  # c/1, c/3
    assert index.count("Hunt", by="source", match_case=True).total == 1  # c/6 only
    assert index.count("may", by="source", match_case=True).total == 2  # c/2, c/3
    assert index.count('"Theresa May"', by="source", match_case=True).total == 1


def test_a_count_of_a_capitalised_word_mostly_written_otherwise_says_so(index):
    [note] = [n for n in index.count("Hunt", by="source").notes if n.startswith("Hunt:")]
    assert note == ('Hunt: of the 3 documents counted holding it, 1 write it only capitalised '
                    '("Hunt"), 2 in lower case ("hunt" or "hunting"): a count reads a word in '
                    'any case and form, as search does; to count "Hunt" as written, use '
                    "--match-case (Python: match_case=True)")
    capitalised = int(re.search(r"holding it, (\d+) write", note).group(1))
    assert capitalised == index.count("Hunt", by="source", match_case=True).total


def test_no_such_note_for_a_word_typed_in_lower_case_or_counted_as_written(index):
    assert not [n for n in index.count("hunt", by="source").notes if "match-case" in n]
    assert not [n for n in index.count("Hunt", by="source", match_case=True).notes
                if "match-case" in n]


TERMS = [
    Document(id="t/1", title="Asylum", body="The Home Office sent asylum seekers home."),
    Document(id="t/2", title="Prisons", body="The Home Secretary defended the prison plans."),
    Document(id="t/3", title="Party", body="She went home to Leeds after the office party."),
    Document(id="t/4", title="Seat", body="The Lib Dems won the seat in Leeds."),
    Document(id="t/5", title="Vote", body="A Lib Dem spokesman said they would vote against."),
    Document(id="t/6", title="Poll", body="The Liberal Democrats gained ground in the poll."),
]


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "match-case-terms", TERMS)


def test_no_case_note_on_the_words_of_a_lexicon_term_the_query_types(terms):
    # "Home Office" is the lexicon's term, counted in its own forms (and through the Home
    # Secretary), not the word "home"; the note would send the user to --match-case for a
    # figure it does not give
    for text in ("Home Office", "Lib Dems"):
        counts = terms.count(text, by="source")
        assert counts.total == (2 if text == "Home Office" else 3)
        assert not [n for n in counts.notes if "match-case" in n], counts.notes


def test_no_case_note_on_a_word_no_counted_document_writes_in_lower_case(terms):
    # "Dems" matches "Lib Dem" through its stem: another form, capitalised, never "dems"
    counts = terms.count("Dems", by="source")
    assert counts.total == 2
    assert not [n for n in counts.notes if n.startswith("Dems:")], counts.notes


def test_a_count_of_a_lexicon_term_as_written_says_what_the_term_counted_and_it_does_not(
        terms):
    read = terms.count("Home Office", by="source")
    written = terms.count("Home Office", by="source", match_case=True)
    assert (read.total, written.total) == (2, 1)  # t/3's "home" and "office" are lower case
    assert written.notes[0] == (
        "Home Office: match_case=True counts its words as written, in the case typed, not the "
        "term the lexicon reads them as: a count without it finds 2 documents, 1 of them not "
        "counted here (1 names Home Office only through a narrower term the lexicon counts as "
        "part of it: Home Secretary)")
    lib = terms.count("Lib Dems", by="source", match_case=True)
    assert lib.total == 1 and lib.notes[0].endswith(
        "a count without it finds 3 documents, 2 of them not counted here")
    # nothing to say where the count as written counts all the plain count does
    assert not index_notes(terms, "Leeds")


def index_notes(ix: CorpusIndex, text: str) -> list[str]:
    return list(ix.count(text, by="source", match_case=True).notes)


def test_the_cli_says_what_a_count_with_match_case_leaves_of_a_lexicon_term(terms):
    result = CliRunner().invoke(cli, ["count", "--match-case", "Home Office", "--index",
                                      str(terms.path), "--by", "source"])
    assert result.exit_code == 0, result.output
    assert ("Home Office: --match-case counts its words as written, in the case typed, not "
            "the term the lexicon reads them as: a count without it finds 2 documents") in (
        " ".join(result.output.split()))
    literal = CliRunner().invoke(cli, ["count", "--literal", "Home Office", "--index",
                                       str(terms.path), "--by", "source"])
    assert "Home Office: --literal counts its words as written, not the term" in (
        " ".join(literal.output.split()))


def test_search_and_concordance_match_the_case_as_the_count_does(index):
    results = index.search("May", match_case=True)
    assert {hit.id for hit in results.hits} == {"c/1", "c/3"} and results.total == 2
    lines = index.concordance("May", match_case=True).lines
    assert [(line.id, line.match) for line in lines] == [("c/1", "May"), ("c/3", "May")]
    assert index.concordance("May", match_case=True).documents == 2


def test_the_cli_counts_with_match_case(index):
    result = CliRunner().invoke(cli, ["count", "--match-case", "May", "--index",
                                      str(index.path), "--by", "source"])
    assert result.exit_code == 0, result.output
    assert "2 documents match May" in result.output


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[A-Za-z]{1,6}", fullmatch=True), st.lists(st.integers(0, 6), max_size=12))
def test_a_case_matched_phrase_matches_exactly_where_the_case_blind_one_does_in_that_case(
        word, picks):
    pieces = [word, word.lower(), word.upper(), word.swapcase(), " ", ". ", "x"]
    text = "".join(pieces[i] for i in picks)
    blind = {m.span() for m in literal_pattern(word).finditer(text)}
    cased = {m.span() for m in literal_pattern(word, match_case=True).finditer(text)}
    assert cased == {span for span in blind if text[span[0]:span[1]] == word}
