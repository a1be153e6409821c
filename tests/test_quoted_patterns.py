"""A wildcard inside a quoted phrase matches any word the pattern matches at that word's place:
the phrase ``"interest rat*"`` is "interest rate" or "interest rates" (the BBC corpus: 69
documents, as grep finds "interest rat"). The analyzer had dropped the ``*`` and searched the
phrase "interest rat", no document, with no note."""

from __future__ import annotations

import pytest

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.errors import QueryError
from corpus_search.search import quoted_patterns

DOCUMENTS = [
    Document(id="q/1", title="Bank", body="The Bank of England raised interest rates again."),
    Document(id="q/2", title="Loans", body="A rise in the interest rate hurts borrowers."),
    Document(id="q/3", title="Apart", body="Her interest in the rate of growth is plain."),
    Document(id="q/4", title="Poll", body="The general election is due in May."),
    Document(id="q/5", title="Firms", body="General Electric posted higher sales."),
    Document(id="q/6", title="Army", body="A general said the elections were fair."),
    Document(id="q/7", title="Court", body="Asylum seekers lost their appeal."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "quoted-patterns-ix", DOCUMENTS)


def ids(index: CorpusIndex, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50).hits}


def test_a_wildcard_in_a_quoted_phrase_matches_the_phrase_with_any_word_it_matches(index):
    counts = index.count('"interest rat*"', by="source")
    assert counts.total == 2  # (q/1 "interest rates", q/2 "interest rate"; not q/3's words apart)
    assert counts.total == index.count('"interest rates"', by="source").total
    assert index.count('"general elect*"', by="source").total == 2  # (election, Electric)
    assert ids(index, '"general elect*"') == {"q/4", "q/5"}


def test_a_note_says_which_phrases_the_wildcard_made(index):
    notes = index.count('"general elect*"', by="source").notes
    assert ('"general elect*": its wildcard reads the words of the texts, so this searched the '
            '2 phrases "general election", "general electric".') in notes
    assert any("so this searched the phrase" in n for n in index.search('"interest rat*"').notes)


def test_the_phrase_keeps_its_place_among_operators_and_its_distance(index):
    assert index.count('"interest rat*" AND Bank', by="source").total == 1
    assert index.count('"general elect*" OR "asylum seek*"', by="source").total == 3
    assert index.count('"general elect*"~2', by="source").total == 2


def test_a_concordance_shows_the_phrases_the_pattern_made(index):
    result = index.concordance('"general elect*"')
    assert sorted((line.id, line.match) for line in result.lines) == [
        ("q/4", "general election"), ("q/5", "General Electric")]


def test_a_pattern_no_word_of_the_texts_matches_is_refused_with_a_clear_error(index):
    with pytest.raises(QueryError, match=r'No word of the texts matches zzq\*, so the phrase '
                                         r'"interest zzq\*" can match nothing'):
        index.count('"interest zzq*"', by="source")


def test_too_many_phrases_are_refused_rather_than_searched(index, monkeypatch):
    monkeypatch.setattr(quoted_patterns, "MAX_PATTERN_PHRASES", 1)
    with pytest.raises(QueryError, match=r"phrases, more than the 1 a phrase may stand for"):
        index.count('"general e*"', by="source")


def test_a_question_mark_ending_a_quoted_word_is_no_wildcard(index):
    parsed = index.search('"interest rates?"')
    assert not [n for n in parsed.notes if "wildcard" in n]
    assert parsed.total == 2
