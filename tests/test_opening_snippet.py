"""Specification of the snippet shown when a document's body holds no match (the title alone
matched): the body's opening, whole words only, and the whole body when it is short."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.search.highlight import opening_snippet


def test_a_short_body_is_shown_whole_with_its_last_word() -> None:
    assert opening_snippet("MPs debated the motion on 5 May.").plain == (
        "MPs debated the motion on 5 May."
    )


def test_a_long_body_is_cut_between_words() -> None:
    body = "word " * 100
    lead = opening_snippet(body).plain
    assert len(lead) <= 220 and lead.endswith("word") and "wor " not in lead + " "


def test_an_empty_body_gives_no_snippet() -> None:
    assert opening_snippet("  \n ").fragments == ()


@given(st.lists(st.text("abc£.", min_size=1, max_size=12), min_size=1, max_size=60))
def test_the_opening_is_whole_words_of_the_body_from_its_start(words: list[str]) -> None:
    body = " ".join(words)
    lead = opening_snippet(body).plain
    assert len(lead) <= 220
    assert body.startswith(lead)
    assert lead == body or body[len(lead)] == " "


def test_a_search_matching_the_title_alone_shows_the_short_body_whole(tmp_path) -> None:
    index = CorpusIndex.create(tmp_path / "ix")
    index.add_documents([Document(id="b", title="Fidget motion", body="MPs debated it on 5 May.")])
    for literal in (False, True):
        hit = index.search("Fidget", literal=literal).hits[0]
        assert hit.snippet.plain == "MPs debated it on 5 May."
