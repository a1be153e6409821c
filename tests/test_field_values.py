"""A party: or source: value typed with a wildcard is matched to the values the index holds,
as Lucene applies a wildcard inside a field to that field's terms."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import index_of
from corpus_search import Document


@pytest.fixture(scope="module")
def parties(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "field_values", [
        Document(id="tory", title="Budget", source="BBC News",
                 body="The Conservatives attacked the Budget."),
        Document(id="labour", title="Budget", source="Sky News",
                 body="The Labour Party defended the Budget."),
        Document(id="libdem", title="Fees", source="The Guardian",
                 body="The Liberal Democrats opposed tuition fees."),
        Document(id="none", title="Weather", source="BBC News",
                 body="Rain is expected in the west."),
    ])


def ids(index: Any, text: str) -> set[str]:
    return {hit.id for hit in index.search(text, limit=50)}


def test_a_party_typed_with_a_wildcard_is_the_parties_whose_names_it_matches(parties: Any):
    # (Whoosh's parser had dropped the *: party:Con kept no document, and nothing said so)
    assert ids(parties, "party:Con*") == {"tory"}
    assert ids(parties, "party:con*") == ids(parties, "party:Conservative")
    assert ids(parties, "party:L*") == {"labour", "libdem"}
    assert ids(parties, "party:Con?ervative") == {"tory"}


def test_a_party_pattern_matches_the_names_the_lexicon_gives_a_party(parties: Any):
    # as party:Tory names the Conservatives, so does party:Tor*
    assert ids(parties, "party:Tor*") == {"tory"}


def test_a_bare_wildcard_in_the_party_field_is_every_document_tagged_with_a_party(parties: Any):
    assert ids(parties, "party:*") == {"tory", "labour", "libdem"}


def test_a_party_pattern_beside_words_keeps_its_field(parties: Any):
    # "Labour party:Con*" is Labour or the Conservatives, not the term "Labour Party"
    assert ids(parties, "Labour party:Con*") == {"tory", "labour"}
    assert ids(parties, "party:Con* AND Budget") == {"tory"}


def test_a_source_typed_with_a_wildcard_is_the_sources_it_matches_by_name_or_word(parties: Any):
    assert ids(parties, "source:bbc*") == {"tory", "none"}
    assert ids(parties, "source:*news") == {"tory", "labour", "none"}
    assert ids(parties, "source:Gu?rdian") == {"libdem"}


def test_a_pattern_matching_no_value_matches_nothing_and_a_note_names_the_values(parties: Any):
    results = parties.search("party:Xyz* OR Budget")
    assert {hit.id for hit in results} == {"tory", "labour"}
    held = "(Conservative, Labour, Liberal Democrat)"
    assert any(note.startswith(f"party:Xyz* matches none of the parties this index holds {held}")
               for note in results.notes)
    results = parties.search("source:xyz*")
    assert results.total == 0
    assert any("matches none of the sources this index holds (BBC News, Sky News, The Guardian)"
               in note for note in results.notes)


def test_a_pattern_in_a_text_field_still_matches_its_words(parties: Any):
    assert ids(parties, "title:Budg*") == {"tory", "labour"}


@pytest.mark.parametrize(("typed", "why"), [
    ("party:xyz", "no document mentions the party 'xyz'; parties in this index: "),
    ("party:Lbour", "no document mentions the party 'Lbour'; did you mean Labour? Parties in "
                    "this index: "),
    ("source:xyz", "no document is from the source 'xyz'; sources in this index: ")])
def test_a_value_the_index_holds_no_document_of_matches_nothing_and_a_note_names_those_held(
    parties: Any, typed: str, why: str
):
    # (party:xyz matched nothing and said nothing; the note is the --party filter's)
    results = parties.search(f"{typed} OR Budget")
    assert {hit.id for hit in results} == {"tory", "labour"}
    held = ("BBC News, Sky News, The Guardian" if typed.startswith("source")
            else "Conservative, Labour, Liberal Democrat")
    assert f"{typed} matched nothing: {why}{held}." in results.notes


@pytest.mark.parametrize("typed", ["sinn féin", "SINN FEIN", "Sinn Féin", "sinn fein"])
def test_a_party_the_lexicon_knows_and_no_document_mentions_is_named_as_the_lexicon_names_it(
    parties: Any, typed: str
):
    # the user's typing, folded or accented, is the party Sinn Fein, and the note names the
    # party as the party tables do; a name the lexicon does not know stays as typed (above)
    why = parties.search("Budget", filters={"party": typed}).why_empty
    assert why[0].startswith("No document mentions the party Sinn Fein; parties in this index:")
    results = parties.search(f'party:"{typed}" OR Budget')
    assert any("matched nothing: no document mentions the party Sinn Fein;" in note
               for note in results.notes), results.notes


@pytest.mark.parametrize(("typed", "begun"), [
    ("party:Cons", "party:Cons* matches Conservative"),
    ("party:Lib", "party:Lib* matches Liberal Democrat"),
    ("source:Sk", "source:Sk* matches Sky News")])
def test_a_value_that_begins_a_name_is_answered_with_the_wildcard_that_matches_it(
        parties: Any, typed: str, begun: str):
    # (party:Cons listed every party, and never said that a name is matched whole)
    results = parties.search(typed)
    assert results.total == 0
    assert any(note.startswith(f"{typed} matched nothing: ") and note.endswith(f"; {begun}.")
               for note in results.notes), results.notes
    assert not any("matches" in note for note in parties.search("party:xyz").notes)


@pytest.mark.parametrize(("option", "typed", "begun"), [
    ("party", "Cons", "'Cons' begins Conservative, a name the filter takes whole"),
    ("source", "Sk", "'Sk' begins Sky News, a name the filter takes whole")])
def test_a_filter_value_that_begins_a_name_says_which_and_that_it_is_taken_whole(
        parties: Any, option: str, typed: str, begun: str):
    # (--party Cons listed every party and left the reader to guess why Conservative failed)
    from corpus_search.search.filters import SearchFilters

    reasons = SearchFilters(**{option: typed}).unmatched(parties)
    assert len(reasons) == 1 and reasons[0].endswith(f"; {begun}."), reasons
    assert not any("begins" in reason for reason in SearchFilters(party="xyz").unmatched(parties))


@pytest.mark.parametrize("typed", ["party:Labour", "party:tories", 'party:"Lib Dems"',
                                   "source:bbc", "party:Labour~"])
def test_a_value_the_index_holds_gets_no_note(parties: Any, typed: str):
    assert parties.search(typed).notes == []


@pytest.mark.parametrize(("typed", "found"), [
    ("party:Labur~", {"labour"}), ("party:Consrvative~2", {"tory"}),
    ("party:Torys~", {"tory"}),  # a name the lexicon gives the party
    ("source:Gardian~", {"libdem"}), ("party:Lbour~1/1", {"labour"})])
def test_a_fuzzy_party_or_source_is_the_values_named_within_its_edits(
    parties: Any, typed: str, found: set[str]
):
    # as Lucene applies a fuzzy term inside a field to its terms; the mark had been dropped
    assert ids(parties, typed) == found


def test_a_fuzzy_value_near_no_value_matches_nothing_and_a_note_names_those_held(parties: Any):
    # party:Con~ had searched party:Con: no document, no note
    results = parties.search("party:Con~ OR Budget")
    assert {hit.id for hit in results} == {"tory", "labour"}
    assert results.notes == [
        "party:Con~ is within 1 edit of none of the parties this index holds (Conservative, "
        "Labour, Liberal Democrat), so it matched nothing; party:Con* matches Conservative."]
    assert ids(parties, "party:Lbour~1/2") == set()  # its first two letters are no party's


@pytest.mark.parametrize("typed", ["party:Con~", "party:Con~1", "(party:Con~/1)",
                                   "party:Greens~2/1 OR Budget", "source:Wire~"])
def test_the_note_on_a_fuzzy_value_near_none_names_it_as_typed(parties: Any, typed: str):
    # (party:Con~ was named party:Con~1 in its note, which the user had not typed)
    shown = typed.strip("()").split()[0]
    assert [n for n in parties.search(typed).notes if n.startswith(f"{shown} is within ")]


@pytest.fixture(scope="module")
def sprinter(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A party document, and one that writes "Ato" (a TO closed up: a compound to group)."""
    yield from index_of(tmp_path_factory, "field_ranges", [
        Document(id="labour", title="Budget", body="The Labour Party defended the Budget."),
        Document(id="ato", title="Sprint", body="Ato Boldon won. Ato ran again, and Ato won.")])


@pytest.mark.parametrize(("typed", "found"), [
    ("party:[a TO z]", set()),  # (the values are capitalised: compared as typed, as in Lucene)
    ("party:[A TO M]", {"labour"}), ("title:[a TO c]", {"labour"}),
    ("title:{a TO z}", {"labour", "ato"})])
def test_a_range_on_a_text_or_value_field_is_its_terms_between_the_ends_as_typed(
    sprinter: Any, typed: str, found: set[str]
):
    # its ends had been grouped as words: party:[a TO z] read party:[("a TO " OR aTO) z]
    results = sprinter.search(typed)
    assert {hit.id for hit in results} == found
    assert results.parsed_query == typed
