"""A fuzzy mark on a word the lexicon reads as a concept (``Tories~``, ``Commons~``) is left
out, with a note, as after a multi-word term (``Lib Dems~``): the concept is matched in every
form the lexicon lists already (Tory, Conservatives, Conservative Party), and the mark had
added the words an edit or two away, whose stems reach further still: on the BBC corpus
``Tories~`` found 669 documents, marking "stories", "tries" and, through the stem of "tries",
"trying" in the snippets, where ``Tories`` finds 233. Another word keeps its mark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.search.term_patterns import names_concept

TEXTS = {
    "tories": "The Tories promised lower taxes.",
    "conservatives": "The Conservative Party met in Blackpool.",
    "commons": "MPs in the House of Commons voted again.",
    "stories": "Two stories ran on the front page.",
    "trying": "He is trying to sell the house.",
    "blunkett": "David Blunkett resigned as home secretary.",
}

#: words the lexicon reads as a concept (a party, a house of Parliament)
CONCEPT_WORDS = ["Tories", "Tory", "Conservatives", "Commons", "Labour", "PMQs"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of_texts(tmp_path_factory, "fuzzy-terms-ix", TEXTS, "Story")


def ranked(index: CorpusIndex, query: str) -> list[tuple[str, float]]:
    return [(hit.id, round(hit.score, 9)) for hit in index.search(query, correct=False)]


def test_a_fuzzy_concept_word_finds_the_concept_not_its_edit_neighbours(index: CorpusIndex):
    results = index.search("Tories~", correct=False)
    assert {hit.id for hit in results} == {"tories", "conservatives"}
    assert results.notes == ["Tories~: Tories is a lexicon term, already matched in every "
                             "form the lexicon lists (a ~ makes another word fuzzy), so this "
                             "searched Tories."]
    assert index.count("Tories~", by="source").total == 2


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(CONCEPT_WORDS), st.sampled_from(["~", "~1", "~2"]))
def test_any_fuzzy_concept_word_ranks_as_the_word(index: CorpusIndex, word: str, mark: str):
    assert ranked(index, word + mark) == ranked(index, word)


def test_a_word_that_names_no_concept_keeps_its_fuzziness(index: CorpusIndex):
    assert "blunkett" in {hit.id for hit in index.search("Blunket~", correct=False)}
    assert not names_concept("Blunket", political_analyzer())
    assert not names_concept("Tories*", political_analyzer())  # (a pattern: no word)


@pytest.mark.parametrize("field", ["body", "title"])
def test_a_fuzzy_concept_word_in_a_field_is_the_word_in_the_field(index: CorpusIndex, field: str):
    # (title:Tories~ had stayed fuzzy on BBC, finding "stories", "torres" and "tries" in titles)
    results = index.search(f"{field}:Tories~", correct=False)
    assert ranked(index, f"{field}:Tories~") == ranked(index, f"{field}:Tories")
    assert results.notes == index.search("Tories~", correct=False).notes
    assert "stories" not in {hit.id for hit in results}
