"""A fuzzy mark after a name the query groups as one (Gordon Brown~) makes each of its words
fuzzy, the name held whole (all its words), as a query with operators holds a name; and a
fuzzy query finds at least what its words find without the marks (Gordon Brown also finds
"Mr Brown", and so does Gordon Brown~)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import index_of_texts
from corpus_search.errors import QueryError

TEXTS = {
    "budget": "Gordon Brown presented the Budget to the Commons.",
    "tax": "Gordon Brown spoke on tax and spending.",
    "namesake": "Gordon Browne, a namesake of the Chancellor, spoke.",
    "brown": "Mr Brown left the meeting early.",
    "gordon": "Flash Gordon returned to the cinema.",
}


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of_texts(tmp_path_factory, "fuzzy_names", TEXTS, "News")


def ids(index: Any, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50)}


def fuzzy_queries(test: Any) -> Any:
    """``test`` given queries of up to four of the fixtures' words and operators (``words``)
    and which of them to mark fuzzy (``marked``: see :func:`marked_words`)."""
    return settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])(
        given(words=st.lists(st.sampled_from(["Gordon", "Brown", "Mr", "Flash", "Budget", "tax",
                                              "Browne", "spoke", "AND", "NOT"]),
                             min_size=1, max_size=4),
              marked=st.lists(st.booleans(), min_size=4, max_size=4))(test))


def marked_words(words: list[str], marked: list[bool]) -> str:
    """The ``words`` with a fuzzy mark where ``marked``, but on no operator and no word
    after a NOT: a fuzzy word left out leaves out more (NOT Mr~ also what says "my")."""
    negated = [i > words.index("NOT") if "NOT" in words else False for i in range(len(words))]
    return " ".join(w + ("~" if mark and w not in ("AND", "NOT") and not after_not else "")
                    for w, mark, after_not in zip(words, marked, negated, strict=False))


def test_a_fuzzy_name_finds_what_the_name_finds_the_whole_name_first(names: Any):
    # (it had been Gordon~ AND Brown~ alone: 89 BBC documents where Gordon Brown finds 159,
    # those saying "Mr Brown" among them)
    ranked = [hit.id for hit in names.search("Gordon Brown~", limit=50)]
    assert set(ranked) == ids(names, "Gordon Brown") == set(TEXTS)
    assert set(ranked[:3]) == {"budget", "tax", "namesake"}  # (Browne: an edit from Brown)


@fuzzy_queries
def test_a_fuzzy_query_never_finds_less_than_its_words_without_the_marks(
        names: Any, words: list[str], marked: list[bool]):
    typed = marked_words(words, marked)
    exact = " ".join(words)
    try:
        found = ids(names, exact)
    except QueryError:  # (operators alone: no query to compare)
        return
    assert ids(names, typed) >= found, (typed, exact)


def test_an_honorific_before_an_operator_titles_no_one(names: Any):
    # ("Mr NOT Gordon" had been the name "Mr Not", or Gordon: it found the Gordon Browns)
    assert ids(names, "Mr NOT Gordon") == {"brown"}
    assert ids(names, "Mr OR Gordon") == {"brown", "budget", "tax", "namesake", "gordon"}


def test_a_fuzzy_name_beside_an_operator_stays_one_name(names: Any):
    # (read Gordon OR (Brown~ AND Budget), it found the story of Flash Gordon too)
    assert ids(names, "Gordon Brown~ AND Budget") == {"budget"}
    assert ids(names, "Gordon Brown~ NOT tax") == {"budget", "namesake"}


def test_a_note_says_the_mark_applies_to_each_word_of_the_name(names: Any):
    results = names.search("Gordon Brown~2")
    assert ("Gordon Brown~2: the ~2 applies to each word of the name Gordon Brown, so this "
            "searched Gordon~2 AND Brown~2, besides what Gordon Brown finds.") in results.notes


def test_an_honorific_before_a_fuzzy_name_stays_a_weak_part_of_it(names: Any):
    # (the name whole, each word fuzzy; and what Mr Gordon Brown finds: Mr Brown among them)
    assert ids(names, "Mr Gordon Brown~ AND spoke") == {"tax", "namesake"}
    assert ids(names, "Mr Gordon Brown~") == ids(names, "Mr Gordon Brown")


def test_a_fuzzy_mark_after_words_that_are_no_name_is_the_last_words_alone(names: Any):
    # "Flash Brown" is no name the texts write: Flash, or a word an edit from Brown
    assert ids(names, "Flash Brown~") == {"budget", "tax", "namesake", "brown", "gordon"}
    assert not any("applies to each word" in n for n in names.search("Flash Brown~").notes)


def test_a_fuzzy_mark_inside_quotes_is_text(names: Any):
    results = names.search('"Gordon Brown~"')
    assert {hit.id for hit in results} == ids(names, '"Gordon Brown"')
    assert not any("applies to each word" in n for n in results.notes)


@pytest.fixture(scope="module")
def typos(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of_texts(tmp_path_factory, "fuzzy_counts", {
        "budget": "Gordon Brown presented the Budget to the Commons.",
        "typo": "Gordon Brwon spoke on tax and spending.",
        "brown": "Mr Brown left the meeting early.",
    }, "News")


def test_a_count_of_a_fuzzy_name_counts_the_name_and_its_variants_not_its_parts_alone(
        typos: Any):
    # (a count of Gordon Brown counts only documents holding the whole name; Gordon Brown~
    # had counted every "Mr Brown" its search finds: 159 BBC documents against 87)
    assert typos.count("Gordon Brown").total == 1
    counted = typos.count("Gordon Brown~")
    assert counted.total == 2  # (and Gordon Brwon)
    assert any("1 more document holds only what a count of Gordon Brown leaves out" in note
               for note in counted.notes)
    assert {hit.id for hit in typos.search("Gordon Brown~")} == {"budget", "typo", "brown"}


@fuzzy_queries
def test_a_fuzzy_count_never_counts_less_than_its_words_without_the_marks(
        names: Any, words: list[str], marked: list[bool]):
    typed = marked_words(words, marked)
    try:
        exact = names.count(" ".join(words)).total
    except QueryError:  # (operators alone: no query to compare)
        return
    assert names.count(typed).total >= exact, typed
