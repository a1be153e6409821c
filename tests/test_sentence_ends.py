"""A sentence's end leaves positions empty (``SENTENCE_GAP`` of them, as Elasticsearch's
``position_increment_gap`` leaves between a field's values), in the index and in a query
alike: a quoted phrase, a phrase's ``~`` distance, the proximity bonus, a count, a concordance
and a lexicon term never join the last word of one sentence to the first of the next. Before,
'"marginal seats"' found "... was marginal. Seats were ...". What ends a sentence is
:func:`corpus_search.analysis.text.sentence_cuts` (docs/analyzer.md)."""

from __future__ import annotations

import bisect
import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of, index_of_texts, phrase_holders
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import multiword_spans, political_analyzer
from corpus_search.analysis.text import ABBREVIATIONS, SENTENCE_GAP, sentence_cuts
from corpus_search.search.phrases_gapped import GappedPhrase
from corpus_search.search.ranking import RANKING

ANALYZER = political_analyzer()

TEXTS = {
    "across": "The seat was marginal. Seats were lost across the north.",
    "together": "Labour held its marginal seats in the north.",
    "paragraph": "The seat was marginal\n\nSeats were lost, a heading said.",
    "line": "The seat was marginal.\nseats were lost, it said.",
    "honorific": "They met Mr. Blair at St. Ives with J. K. Rowling in the U.S. Senate.",
    "lower": "The seat was marginal. seats were lost, it said.",
    "storm": "The storm was heavy. Rain fell across the north.",
    "rain": "Heavy rain fell across the north.",
    "list": "The budget pledged:\n - Help for flood victims\n - Increased spending on health",
    "heading": "## Flood victims\nIncreased spending was pledged.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of_texts(tmp_path_factory, "sentence-ends-ix", TEXTS, "Report")


def positions(text: str) -> dict[str, list[int]]:
    return ANALYZER.index_terms(text)


def test_a_quoted_phrase_does_not_match_across_a_sentence_end(index: CorpusIndex):
    # a full stop before a capital, a paragraph's end, a full stop before a line break; a
    # full stop before a lower-case word ends nothing (an abbreviation the list lacks)
    assert phrase_holders(index, '"marginal seats"') == {"together", "lower"}


def test_a_phrase_with_a_distance_does_not_reach_across_one_either(index: CorpusIndex):
    assert phrase_holders(index, '"marginal seats"~10') == {"together", "lower"}


def test_a_count_and_a_concordance_of_a_phrase_stay_inside_sentences(index: CorpusIndex):
    assert index.count('"marginal seats"', by="source").total == 2
    assert {line.id for line in index.concordance('"marginal seats"').lines} == {
        "together", "lower"}


def test_a_quoted_phrase_written_across_a_sentence_end_finds_that_text(index: CorpusIndex):
    # a passage pasted whole: the query's end leaves the same gap as the text's
    assert phrase_holders(index, '"was heavy. Rain fell"') == {"storm"}
    assert phrase_holders(index, '"heavy rain fell"') == {"rain"}


def test_abbreviations_initials_and_decimals_end_no_sentence(index: CorpusIndex):
    assert phrase_holders(index, '"Mr Blair"') == {"honorific"}
    assert phrase_holders(index, '"St Ives"') == {"honorific"}
    assert phrase_holders(index, '"Rowling in the"') == {"honorific"}
    for text in ("Mr. Blair", "Dr. Reid", "St. Ives", "J. K. Rowling", "the U.S. Senate",
                 "No. 10", "rose 1.5 points", "Gov. Schwarzenegger", "e.g. This"):
        assert sentence_cuts(text) == [], text


@pytest.mark.parametrize(("text", "after"), [
    ("He won. Labour lost.", "Labour"),
    ('He said." The end.', "The"),
    ("Was it over? (Yes, it was.)", "(Yes"),
    ("It worked! The end.", "The"),
    ("It was 2005. The end.", "The"),
    ("And then\u2026 Nothing.", "Nothing"),
    ("It was over.\nthe end", "the"),
    ("A heading\n\nThe text", "The"),
    ("A heading\r\n\r\nThe text", "The"),
    ("Mr Blair's Labour. Party members", "Party"),
    ("I don't. The end.", "The"),
    ("It was Blair's. Then it ended.", "Then"),
])
def test_a_sentence_ends_at_its_mark_before_a_capital_a_line_break_or_a_blank_line(
        text: str, after: str):
    assert [text[cut:cut + len(after)] for cut in sentence_cuts(text)] == [after]
    before = text.partition(after)[0]
    last = list(ANALYZER(before, mode="index", removestops=False))[-1].text
    terms = ANALYZER(text, mode="index", positions=True, removestops=False)
    pos = {t.text: t.pos for t in terms}
    first = next(t.text for t in ANALYZER(after, mode="index", removestops=False))
    assert pos[first] - pos[last] == SENTENCE_GAP + 1, text


def test_a_list_item_or_a_heading_ends_at_its_line_break(index: CorpusIndex):
    # a line that starts a block (a bullet, a heading's "#"s, a rule or a heading's
    # underline) is no wrapped line of the sentence before it: CommonMark's block starts
    assert phrase_holders(index, '"flood victims"') == {"list", "heading"}
    assert phrase_holders(index, '"victims increased"') == set()
    for text, after in [("It pledged:\n - Help\n - Cash", ["- Help", "- Cash"]),
                        ("Aid\n\u2022 Cash", ["\u2022 Cash"]), ("Aid\r\n* Cash", ["* Cash"]),
                        ("# Results\nLabour won", ["Labour"]),
                        ("Results\n=======\nLabour won", ["======="]),
                        ("Results\n---\nLabour won", ["---"])]:
        assert [text[cut:cut + len(after[0])] for cut in sentence_cuts(text)] == after, text


@pytest.mark.parametrize("text", [
    "He won. labour lost", '"Go!" he said', "a single\nline break", "a\r\nb",
    "A heading with no mark\nThe text", "the party\n-- and its leader", "#hashtag\nand",
    "rose by\n5 points", "a\n-5 degrees",
    "Mr. Blair", "Plan B. The", "the U.K. Government",
])
def test_no_sentence_ends_there(text: str):
    assert sentence_cuts(text) == []


def test_no_lexicon_term_is_read_across_a_sentence_end():
    assert "prime_minister" not in positions("He was prime. Minister Blair said so.")
    assert "prime_minister" in positions("The Prime Minister. He said so.")
    assert multiword_spans("They voted Lib. Dems said so. The Lib Dems did") == [(34, 42)]


def test_the_proximity_bonus_and_a_phrase_distance_never_reach_a_sentence_gap():
    assert RANKING.proximity_slop < SENTENCE_GAP
    assert SENTENCE_GAP == 100  # as Elasticsearch's position_increment_gap


def test_unquoted_words_rank_higher_in_one_sentence_than_in_two(
        tmp_path_factory: pytest.TempPathFactory):
    # the same words, lengths and distances: only the proximity bonus tells them apart, and
    # it does not reach across the sentence's end (the text with the end is indexed first)
    docs = [Document(id="apart", title="One", body="alpha election. Widely beta gamma"),
            Document(id="close", title="Two", body="alpha election, widely beta gamma")]
    for ix in index_of(tmp_path_factory, "sentence-ends-proximity", docs):
        assert [hit.id for hit in ix.search("election widely")] == ["close", "apart"]


WORD = st.sampled_from(["Labour", "seats", "Mr", "the", "won", "U.S", "J", "1.5", "PM", "its"])
SEPARATOR = st.sampled_from([" ", ". ", ".", "! ", "? ", ", ", "\n", "\n\n", '." ', " (", ".\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORD, SEPARATOR), max_size=20).map(
    lambda parts: "".join(w + s for w, s in parts)))
def test_a_cut_lies_between_words_after_an_end_and_moves_every_later_word_on(text: str):
    cuts = sentence_cuts(text)
    assert cuts == sorted(set(cuts))
    for cut in cuts:
        assert text[cut - 1].isspace(), "a cut comes after whitespace, never inside a word"
        word, sep = re.search(r"([^\W_]*)([\W_]*)$", text[:cut]).groups()
        mark = re.match(r"[\"')\]\u2019\u201d\u00bb]*([.!?\u2026]+)", sep)
        assert mark or re.search(r"\n[^\S\n]*\n", sep), repr(text)
        if mark and mark.group(1) == "." and not re.search(r"\n[^\S\n]*\n", sep):
            assert not (len(word) == 1 and word.isalpha()), repr(text)
            assert word.lower() not in ABBREVIATIONS, repr(text)
    # each word's position is its place among the words kept, plus a gap per cut before it
    tokens = [t for t in ANALYZER(text, mode="index", positions=True, chars=True,
                                  removestops=False) if t.kind == "word"]
    for a, b in itertools.pairwise(tokens):
        ends = bisect.bisect_right(cuts, b.startchar) - bisect.bisect_right(cuts, a.startchar)
        if b.pos != a.pos:
            assert b.pos - a.pos == 1 + SENTENCE_GAP * ends, (text, a.text, b.text)


def test_a_phrase_typed_across_a_sentence_end_reads_as_typed_with_its_full_stop(
        index: CorpusIndex):
    # the end's empty positions are no holes a word may fill: shown as the end they are,
    # not as a hundred "?" (a stop word's hole beside it is still one "?")
    assert index.search('"was heavy. Rain fell"').parsed_query.startswith('("heavi. rain fell"')
    assert str(GappedPhrase("body", ["elect", "labour"], offsets=(0, SENTENCE_GAP + 1))) == (
        'body:"elect. labour"')
    assert str(GappedPhrase("body", ["elect", "labour"], offsets=(0, SENTENCE_GAP + 2))) == (
        'body:"elect. ? labour"')
    assert str(GappedPhrase("body", ["elect", "wide"], offsets=(0, 2))) == 'body:"elect ? wide"'
