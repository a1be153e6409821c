"""A lexicon form that begins on the last word of a longer match and goes on past it is named
there too: "the Scottish Conservative Party leader" names a party leader, "council tax rises"
are tax rises, though the text reads the party and the council tax first. So a search, a count
or a concordance of "party leader" or "tax rises" finds them, as grep would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BBC, index_of, needs_shared
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import multiword_spans, parties_in, political_analyzer
from corpus_search.analysis.lexicon import load_lexicon


def index_terms(text: str, lexicon=None) -> set[str]:
    return set(political_analyzer(lexicon or load_lexicon()).index_terms(text))


@pytest.mark.parametrize("text, first, then", [
    ("Scottish Conservative Party leader David McLetchie", "scottish_conservatives",
     "party_leader"),
    ("Anger at council tax rises spilled over", "council_tax", "tax_rises"),
    ("a strong Labour Party member, Mr Prescott said", "labour_party", "party_membership"),
    ("the income tax cuts will have a small effect", "income_tax", "tax_cuts"),
    ("the best general election results we have had", "general_election", "election_result"),
    ("a Speaker of the House of Lords", "commons_speaker", "house_of_lords"),
])
def test_a_form_beginning_on_a_matchs_last_word_is_named_too(text: str, first: str, then: str):
    assert {first, then} <= index_terms(text)


def test_the_overlapping_term_sits_at_the_next_words_place_and_spans_its_own_words():
    text = "Scottish Conservative Party leader David McLetchie"
    tokens = [(t.text, t.pos, text[t.startchar:t.endchar]) for t in political_analyzer()(
        text, mode="index", positions=True, chars=True) if t.kind == "concept"]
    assert ("party_leader", 1, "Party leader") in tokens
    assert ("scottish_conservatives", 0, "Scottish Conservative Party") in tokens


def test_a_query_reads_the_overlapping_term_as_an_alternative_of_the_word_it_adds():
    terms = [(t.text, t.pos) for t in political_analyzer()(
        "council tax rise", mode="query", positions=True)]
    assert ("council_tax", 0) in terms
    assert {("tax_rises", 1), ("rise", 1)} <= set(terms)
    # the text's match is the council tax: the overlapping term makes no group of its own
    assert multiword_spans("council tax rise") == [(0, 11)]


@pytest.mark.parametrize("text, term", [
    # the shared word names a term alone that the match narrows to another thing
    ("after the Shadow Cabinet meeting on Monday", "uk_cabinet"),
    ("a Shadow Cabinet colleague said", "cabinet_minister"),
    # refused in the also column
    ("two London Assembly members defected", "ms_senedd"),
    ("closer European Union links", "union_affiliation"),
    ("the European Union leaders met", "trade_union"),
    ("employee health care costs", "long_term_care"),
])
def test_an_overlapping_term_is_not_added_where_the_match_makes_it_another_thing(
        text: str, term: str):
    assert term not in index_terms(text)


def test_a_query_for_london_assembly_members_names_no_welsh_assembly():
    """A query keeps every ambiguous form, so "Assembly members" reads as Senedd members there,
    which the London Assembly refuses, and so the Welsh Assembly they imply."""
    terms = {t.text for t in political_analyzer()("London Assembly members", mode="query")}
    assert "london_assembly" in terms
    assert not {"ms_senedd", "welsh_assembly"} & terms


def test_the_shadow_secretary_of_state_is_no_secretary_of_state():
    terms = index_terms("The Shadow Secretary of State for the Family, Theresa May")
    assert "shadow_minister" in terms
    assert "secretary_of_state" not in terms


def test_an_overlapping_term_tags_a_party_only_the_match_names_already():
    assert "labour_government" in index_terms("a third New Labour government")
    # a department's "Regulatory Reform UK team" is no Reform UK
    assert parties_in(
        "the Department for Business, Enterprise and Regulatory Reform UK team") == []


def test_a_hyphen_linked_last_word_makes_no_overlap():
    # "council tax-rise" is a compound: the compound stage reads the link
    assert "tax_rises" not in index_terms("a council tax-rise cap") - index_terms("tax-rise")


def test_a_user_lexicon_gets_the_rule_and_can_refuse_it(tmp_path: Path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "[terms]\nwidget_board\twidget board\nboard_meeting\tboard meeting\n"
        "gadget_board\tgadget board\t\t-board_meeting\n",
        encoding="utf-8",
    )
    lexicon = load_lexicon(path)
    assert {"widget_board", "board_meeting"} <= index_terms("the widget board meeting", lexicon)
    assert "board_meeting" not in index_terms("the gadget board meeting", lexicon)


def test_the_lexicon_rule_is_one_function_of_the_two_matches():
    lexicon = load_lexicon()
    assert lexicon.overlapping(("council_tax",), ("tax_rises",)) == ("tax_rises",)
    assert lexicon.overlapping(("shadow_cabinet",), ("uk_cabinet",), ("uk_cabinet",)) == ()
    assert lexicon.overlapping(("london_assembly", "gla"), ("ms_senedd", "welsh_assembly")) == ()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    docs = [
        Document(id="council", title="Council tax",
                 body="Ministers want council tax rises kept below 5% next year. The council "
                      "tax bills go out in March."),
        Document(id="plain", title="Tax rises",
                 body="The Chancellor ruled out tax rises in the Budget."),
        Document(id="leader", title="Leader cleared",
                 body="The Scottish Conservative Party leader was cleared on Monday."),
        Document(id="tory", title="Howard speaks",
                 body="Tory leader Michael Howard spoke in Scotland on Monday. The "
                      "Conservatives cheered."),
        Document(id="other", title="Weather", body="Rain is expected on Monday."),
    ]
    yield from index_of(tmp_path_factory, "overlap-ix", docs)


def test_a_count_of_the_phrase_counts_the_overlapping_mentions(index: CorpusIndex):
    assert index.count('"tax rises"', by="source").total == 2
    assert index.count('"party leader"', by="source").total == 1


def test_a_quoted_phrase_finds_the_overlapping_form(index: CorpusIndex):
    assert {hit.id for hit in index.search('"tax rises"')} == {"council", "plain"}


def test_a_concordance_marks_the_overlapping_forms_own_words(index: CorpusIndex):
    [line] = [line for line in index.concordance('"party leader"').lines]
    assert line.id == "leader"
    assert line.match == "Party leader"
    assert line.left.endswith("Scottish Conservative ")


def test_a_quoted_phrase_holds_the_narrower_term_typed_not_the_broader_one_it_implies(
        index: CorpusIndex):
    # the Scottish Tories imply the Conservatives, but "Tory leader" is no such phrase
    assert index.count('"Scottish Conservative Party leader"', by="source").total == 1
    results = index.search('"Scottish Conservative Party leader"')
    assert results.phrase_matches == 1
    assert results[0].id == "leader"
    assert "tory" not in {hit.id for hit in results}
    # a term alone still finds the broader term's documents, after its own
    assert [hit.id for hit in index.search("Scottish Conservatives")][:1] == ["leader"]


@needs_shared
def test_on_bbc_a_phrase_is_found_wherever_grep_finds_it_inside_overlapping_terms(bbc_index):
    for phrase in ("tax rises", "party leader"):
        pattern = re.compile(r"\b" + phrase.replace(" ", r"[\s-]+") + r"\b", re.I)
        written = {f"{p.parent.name}/{p.stem}" for p in sorted(BBC.rglob("*.txt"))
                   if pattern.search(p.read_bytes().decode("utf-8", "replace"))}
        results = bbc_index.search(f'"{phrase}"', limit=500)
        holders = {hit.id for hit in results[: results.phrase_matches]}
        assert written <= holders, (phrase, sorted(written - holders))
    assert bbc_index.count('"Scottish Conservative Party leader"', by="source").total == 2


def test_a_concordance_of_a_phrase_shows_the_whole_phrase_not_a_term_of_it_alone(
        index: CorpusIndex):
    assert [(line.id, line.match) for line in index.concordance('"council tax rises"').lines] \
        == [("council", "council tax rises")]
    # (the Scottish Conservative Party's leader is a Tory leader: the Scottish Tories imply
    # the Conservatives, in the text as in a count)
    assert sorted((line.id, line.match) for line in index.concordance('"Tory leader"').lines) \
        == [("leader", "Scottish Conservative Party leader"), ("tory", "Tory leader")]
