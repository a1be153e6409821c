"""What a count says of the documents grep finds and it does not, or it finds and grep does
not: a multi-word term or quoted phrase written only inside another concept's term (the
Shadow Home Secretary is not the Home Secretary), told apart from its words written apart;
and a concept held only through a narrower concept the lexicon counts as part of it
(foundation hospitals, for the NHS), counted and named."""

from __future__ import annotations

import pytest

from conftest import home_secretaries
from corpus_search import CorpusIndex, Document


@pytest.fixture(scope="module")
def terms(tmp_path_factory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("inside") / "ix")
    ix.add_documents([
        *home_secretaries(),
        Document(id="odpm", title="Planning",
                 body="The Office of the Deputy Prime Minister set new planning rules."),
        Document(id="pm", title="Speech",
                 body="The Prime Minister spoke at the conference."),
        Document(id="nhs", title="Waiting",
                 body="The NHS cut waiting lists, the minister said in Cardiff."),
        Document(id="hospitals", title="Trusts",
                 body="More foundation hospitals will open next year, Labour said in Leeds."),
        Document(id="health_service", title="Reform",
                 body="Reform of the health service divides Labour and the Conservatives."),
        Document(id="blairite", title="Rebels",
                 body="Blairite MPs backed the plans in the Commons."),
        Document(id="blair", title="Visit",
                 body="Tony Blair visited Leeds on Monday."),
    ])
    yield ix
    ix.close()


def _notes(ix: CorpusIndex, text: str) -> tuple[int, list[str]]:
    counts = ix.count(text)
    return counts.total, list(counts.notes)


def test_a_quoted_term_written_only_inside_a_longer_term_is_said_so_not_words_apart(
    terms: CorpusIndex,
):
    total, notes = _notes(terms, '"home secretary"')
    assert total == 1
    assert ('1 document writes "home secretary" only inside another term the lexicon reads as '
            'a concept of its own (Shadow Home Secretary): left out (search ranks it after '
            'those holding it)') in notes
    # only the story that really holds the words apart is said to
    assert ('1 more document holds the words of "home secretary" apart, not the phrase: left '
            'out (search ranks it after those holding it)') in notes


def test_a_typed_term_written_only_inside_a_longer_term_is_said_so(terms: CorpusIndex):
    total, notes = _notes(terms, "Home Secretary")
    assert total == 1
    assert ("1 document writes Home Secretary only inside another term the lexicon reads as a "
            "concept of its own (Shadow Home Secretary): left out (search ranks it lower)"
            ) in notes
    assert not any("Shadow Home Secretary" in note for note in notes if "words of" in note)


def test_the_longer_term_is_named_in_the_form_that_holds_the_words(terms: CorpusIndex):
    total, notes = _notes(terms, '"Prime Minister"')
    assert total == 1
    assert any(note.startswith('1 document writes "Prime Minister" only inside another term')
               and "(Office of the Deputy Prime Minister)" in note for note in notes)
    assert not any("apart" in note for note in notes)


def test_a_search_says_how_many_write_the_phrase_only_inside_another_term(
    terms: CorpusIndex,
):
    from corpus_search.search.held import how_held

    results = terms.search('"home secretary"')
    assert results.phrase_inside == 1
    assert how_held(results)[0] == (
        "1 of them holds the quoted phrase (or a lexicon form of it); the rest, ranked after "
        "them: 1 writes it only inside another lexicon term, 1 holds its words apart.")


def test_a_concept_held_only_through_a_narrower_one_is_counted_and_named(terms: CorpusIndex):
    total, notes = _notes(terms, "NHS")
    # "health service" is a form of the NHS itself (British usage): counted, not noted
    assert total == 3
    assert ("1 document names NHS only through a narrower term the lexicon counts as part of "
            "it (foundation hospitals), in none of its own forms: counted (search ranks it "
            "lower)") in notes


def test_a_leaders_name_held_only_through_his_followers_is_counted_and_named(
    terms: CorpusIndex,
):
    total, notes = _notes(terms, "Blair")
    assert total == 2
    assert any(note.startswith("1 document names Blair only through a narrower term")
               and "(Blairite)" in note for note in notes)


def test_a_concept_whose_name_holds_a_stop_word_is_found_in_its_own_form(tmp_path):
    # "of" is no word the index keeps as written: a document naming "the Governor of the Bank
    # of England" names the Bank in its own form (grep finds it), not only through the
    # governor; only the one saying "Monetary Policy Committee" alone names it through that
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="governor", title="Rates",
                     body="The Governor of the Bank of England said rates would rise."),
            Document(id="mpc", title="Rates",
                     body="The Monetary Policy Committee held rates in London."),
        ])
        counts = ix.count("Bank of England")
        assert counts.total == 2
        assert counts.narrower_only == 1
        assert counts.narrower_terms == ["Monetary Policy Committee"]


def test_the_web_pages_say_it_as_the_command_does(terms: CorpusIndex):
    pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")
    import html
    import re

    from corpus_search.web import create_app

    client = create_app(terms).test_client()

    def text(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())

    assert ("the rest, ranked after them: 1 writes it only inside another lexicon term, 1 "
            "holds its words apart.") in text("/?q=%22home+secretary%22")
    assert ('1 document writes "home secretary" only inside another term the lexicon reads '
            "as a concept of its own (Shadow Home Secretary)") in text(
        "/count?q=%22home+secretary%22")
    assert ("1 document names NHS only through a narrower term the lexicon counts as part of "
            "it (foundation hospitals)") in text("/count?q=NHS")
