"""A query word typed with a hyphen finds the texts that write the same word hyphenated,
closed up or as two words side by side: the mirror of what a word typed closed up finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import closed_after_the_test
from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search.parsing import build_query

FILLER = (
    "Ministers met officials in the morning and discussed budgets, schools, transport, "
    "hospitals and the weather before a long lunch with councillors from several towns."
)


def _doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, "News", f"{text} {FILLER}")


@pytest.fixture(scope="module")
def hyphens(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("hyphens") / "ix")
    ix.add_documents([
        _doc("ids/spaced", "Former Conservative leader Iain Duncan Smith condemned the plans."),
        _doc("ids/other", "Delia Smith cooked; Duncan Ferguson scored."),
        _doc("kilroy/hyphen", "Robert Kilroy-Silk left UKIP."),
        _doc("kilroy/spaced", "Robert Kilroy Silk launched Veritas with UKIP defectors."),
        _doc("kilroy/alone", "Kilroy was a talk show; silk ties were sold."),
        _doc("email/hyphen", "She sent an e-mail to the minister."),
        _doc("email/closed", "Voters emailed their MP."),
        _doc("email/hyphen-ed", "He e-mailed the council."),
        _doc("women/hyphen", "Labour kept its all-women shortlist."),
        _doc("women/spaced", "He called all women by one name."),
        *(_doc(f"women/{n}", f"Women in {town} all voted early.")
          for n, town in enumerate(["Leeds", "York", "Bath", "Hull", "Ely", "Derby", "Wells",
                                    "Ripon", "Truro", "Exeter", "Bury", "Sale", "Looe",
                                    "Diss", "Eye", "Rye", "Deal", "Ware", "Holt", "Wem",
                                    "Usk", "Bude", "Mold", "Ross", "Alton", "Ayr", "Fife",
                                    "Kew", "Lydd", "Ilford", "Ongar", "Acle", "Brigg"])),
        _doc("by/hyphen", "Hartlepool holds a by-election."),
        _doc("by/spaced", "He was criticised by election officials."),
    ])
    yield ix
    ix.close()


def ids(ix: CorpusIndex, text: str) -> list[str]:
    return sorted(h.id for h in ix.search(text, limit=50, highlight=False).hits)


def test_a_query_for_duncan_smith_finds_the_article_that_says_duncan_smith(hyphens):
    # no text writes "Duncan-Smith": it found nothing, read only as "duncansmith"
    assert ids(hyphens, "Duncan-Smith") == ["ids/spaced"]


def test_a_hyphenated_name_finds_it_hyphenated_and_written_apart_not_its_parts_alone(hyphens):
    assert ids(hyphens, "Kilroy-Silk") == ["kilroy/hyphen", "kilroy/spaced"]


def test_a_hyphenated_name_after_an_honorific_finds_it_written_apart(hyphens):
    assert ids(hyphens, "Mr Duncan-Smith") == ["ids/spaced"]


def test_a_hyphenated_word_with_operators_finds_it_written_apart(hyphens):
    assert ids(hyphens, "Duncan-Smith AND condemned") == ["ids/spaced"]
    assert ids(hyphens, "Kilroy-Silk AND Veritas") == ["kilroy/spaced"]
    assert ids(hyphens, "Kilroy-Silk NOT Veritas") == ["kilroy/hyphen"]


def test_e_mail_finds_what_email_finds(hyphens):
    # the lexicon's forms of e-mail have no "-ed": "emailed" and "e-mailed" were missed
    assert ids(hyphens, "e-mail") == ids(hyphens, "email") == [
        "email/closed", "email/hyphen", "email/hyphen-ed"]


def test_a_word_apart_in_few_of_the_texts_holding_its_parts_is_not_read_apart(hyphens):
    # "all women" stands in 1 of the 34 texts saying all: not a way of writing all-women
    assert ids(hyphens, "all-women") == ["women/hyphen"]


def test_a_lexicon_compound_is_read_as_the_lexicon_reads_it(hyphens):
    # "by election" written apart is a preposition and a noun (the lexicon says so)
    assert ids(hyphens, "by-election") == ["by/hyphen"]
    assert str(build_query(hyphens, "by-election").query) == str(
        build_query(hyphens, '"by-election"').query)


def test_the_two_words_rank_as_the_word_they_spell(hyphens):
    # the hyphenated and the spaced writings weigh alike, as closed-up and spaced ones do
    hits = hyphens.search("Kilroy-Silk", highlight=False).hits
    assert hits[0].score == pytest.approx(hits[1].score, rel=0.2)


def test_a_concordance_of_a_hyphenated_name_shows_it_written_apart_not_its_parts_alone(
    hyphens,
):
    lines = hyphens.concordance("Kilroy-Silk")
    assert sorted(line.match for line in lines) == ["Kilroy Silk", "Kilroy-Silk"]
    assert [line.match for line in hyphens.concordance("Duncan-Smith")] == ["Duncan Smith"]
    assert [line.match for line in hyphens.concordance("Mr Duncan-Smith")] == ["Duncan Smith"]


def test_a_concordance_of_a_word_read_as_two_shows_the_two_not_either_alone(tmp_path: Path):
    ix = closed_after_the_test(CorpusIndex(tmp_path / "ix"))
    ix.add_documents([
        _doc("heads", "The head teachers met. Teachers want pay. A head injury."),
        _doc("heads2", "Head teachers of York met."),
    ])
    assert sorted(line.match for line in ix.concordance("headteachers")) == [
        "Head teachers", "head teachers"]
