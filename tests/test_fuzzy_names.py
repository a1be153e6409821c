"""A fuzzy mark after a name the query groups as one (Gordon Brown~) makes each of its words
fuzzy, the name held whole (all its words), as a query with operators holds a name."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import index_of_texts


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of_texts(tmp_path_factory, "fuzzy_names", {
        "budget": "Gordon Brown presented the Budget to the Commons.",
        "tax": "Gordon Brown spoke on tax and spending.",
        "namesake": "Gordon Browne, a namesake of the Chancellor, spoke.",
        "brown": "Mr Brown left the meeting early.",
        "gordon": "Flash Gordon returned to the cinema.",
    }, "News")


def ids(index: Any, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50)}


def test_a_fuzzy_mark_after_a_name_makes_each_word_fuzzy_and_holds_the_name_whole(names: Any):
    # (it had made Brown alone fuzzy: Gordon OR Brown~, every one of the five)
    assert ids(names, "Gordon Brown~") == {"budget", "tax", "namesake"}


def test_a_fuzzy_name_beside_an_operator_stays_one_name(names: Any):
    # (read Gordon OR (Brown~ AND Budget), it found the story of Flash Gordon too)
    assert ids(names, "Gordon Brown~ AND Budget") == {"budget"}
    assert ids(names, "Gordon Brown~ NOT tax") == {"budget", "namesake"}


def test_a_note_says_the_mark_applies_to_each_word_of_the_name(names: Any):
    results = names.search("Gordon Brown~2")
    assert ("Gordon Brown~2: the ~2 applies to each word of the name Gordon Brown, so this "
            "searched Gordon~2 AND Brown~2.") in results.notes


def test_an_honorific_before_a_fuzzy_name_stays_a_weak_part_of_it(names: Any):
    assert ids(names, "Mr Gordon Brown~") == {"budget", "tax", "namesake"}


def test_a_fuzzy_mark_after_words_that_are_no_name_is_the_last_words_alone(names: Any):
    # "Flash Brown" is no name the texts write: Flash, or a word an edit from Brown
    assert ids(names, "Flash Brown~") == {"budget", "tax", "namesake", "brown", "gordon"}
    assert not any("applies to each word" in n for n in names.search("Flash Brown~").notes)


def test_a_fuzzy_mark_inside_quotes_is_text(names: Any):
    results = names.search('"Gordon Brown~"')
    assert {hit.id for hit in results} == ids(names, '"Gordon Brown"')
    assert not any("applies to each word" in n for n in results.notes)
