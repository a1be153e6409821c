"""A name the stemmer would fold onto a leader's (Browne onto Brown) is a person of its own:
a search for Browne lists the stories naming Lord Browne or Des Browne first, and finds
Gordon Brown's only as a forgiven slip, after them and outside its count; yet beside a word
the texts write before the leader's name ("Gordon Browne") it is the slip, read as the
leader's name (``stemming.misspelt_names``, ``groups._name``)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import index_of_texts

TEXTS = {
    "bp": "Lord Browne of BP said oil prices had lifted profits.",
    "minister": "Des Browne, the Home Office minister, said the checks would go ahead.",
    "budget": "Gordon Brown presented the Budget. Mr Brown said Brown's plans would hold, "
              "and Brown praised the Treasury.",
    "africa": "Gordon Brown toured Africa. Mr Brown promised debt relief for Africa.",
    "feud": "Gordon Brown and Tony Blair met. Mr Brown denied a rift with Mr Blair.",
    "flash": "Flash Gordon returned to the cinema in Africa.",
}


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of_texts(tmp_path_factory, "misspelt_names", TEXTS, "News")


def ranked(index: Any, text: str) -> list[str]:
    return [hit.id for hit in index.search(text, limit=50)]


@pytest.mark.parametrize("query", ["Browne", "Lord Browne", "Mr Browne", "Des Browne"])
def test_a_search_for_browne_ranks_the_brownes_before_gordon_brown(names: Any, query: str):
    found = ranked(names, query)
    brownes = {"bp", "minister"} if query != "Lord Browne" else {"bp"}
    assert set(found[: len(brownes)]) == brownes, found
    # Gordon Brown's stories are still found, the slip forgiven, but after them
    assert {"budget", "africa", "feud"} <= set(found)


def test_lord_browne_ranks_the_lord_first(names: Any):
    assert ranked(names, "Lord Browne")[0] == "bp"


def test_a_count_of_browne_counts_the_brownes_not_the_slip(names: Any):
    assert names.count("Browne").total == 2
    assert names.count("Brown").total == 3


def test_a_count_of_browne_says_the_brown_stories_it_leaves_out_are_a_likely_slip(names: Any):
    # (not "a term the lexicon relates to Browne": no lexicon line relates them)
    [note] = [n for n in names.count("Browne").notes if "Brown (" in n]
    assert "3 documents that hold only Brown (a name Browne may be a slip for)" in note


@pytest.mark.parametrize(("slip", "name"), [("Gordon Browne", "Gordon Brown"),
                                            ("Gordon Browne Africa", "Gordon Brown Africa")])
def test_a_first_name_the_texts_write_before_the_leaders_reads_the_slip_as_the_leader(
        names: Any, slip: str, name: str):
    found = ranked(names, slip)
    assert found == ranked(names, name)
    assert "bp" not in found and "minister" not in found


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory: pytest.TempPathFactory) -> Any:
    texts = {**TEXTS, "namesake": "Gordon Browne, a namesake of the Chancellor, spoke.",
             "namesake2": "Gordon Browne later spoke again; Mr Browne was brief."}
    yield from index_of_texts(tmp_path_factory, "browne_namesakes", texts, "News")


def test_a_name_the_texts_write_as_typed_is_read_as_typed(namesakes: Any):
    assert set(ranked(namesakes, "Gordon Browne")[:2]) == {"namesake", "namesake2"}
