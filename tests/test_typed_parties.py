"""A party's name typed in a query (``search.typed_parties``): ``Labour``, with its capital, is
the party, the documents that name it, not the labour market; ``labour``, in lower case, is the
word in any sense, with a note saying so. A name that begins another party's (``Liberal``) is
either party; a name in any case (``Tories``) and a word that is no party's name alone
(``Green``) read as they did."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from conftest import index_of_texts, needs_shared
from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.cli import cli
from corpus_search.search.typed_parties import TypedParties, lower_case_notes

STORIES = {
    "party": "Labour MPs backed the budget. The Labour leader spoke to the unions.",
    "plp": "The Parliamentary Labour Party met on Monday.",
    "market": "The labour market tightened as unemployment fell, and the unions welcomed it.",
    "ilo": "The International Labour Organisation published a report on child workers.",
    "usdol": "According to Labor Department figures, US firms added jobs in March.",
    "tories": "The Tories attacked the budget.",
    "estimate": "By conservative estimates the cost has doubled.",
    "libdem": "The Liberal Democrats opposed the war.",
    "libdems": "The Lib Dems opposed the war.",
    "liberals": "In 1974 Edward Heath failed to build a coalition with the Liberals.",
    "liberal": "A liberal attitude to licensing hours was welcomed.",
    "greens": "The Greens won a seat on the council.",
    "green": "Damian Green spoke about the green belt.",
    "respect": "The Respect party stood a candidate in Tower Hamlets.",
    "law": "Respect the law, the judge told the court.",
}


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    yield from index_of_texts(tmp_path_factory, "parties", STORIES, "Story")


def found(ix: CorpusIndex, query: str) -> set[str]:
    return {hit.id for hit in ix.search(query, limit=500, highlight=False).hits}


@pytest.mark.parametrize("query", ["Labour", "LABOUR", "Labour's", "Labor", '"Labour"'])
def test_count_labour_counts_the_documents_that_name_the_party_not_the_labour_market(
        stories, query):
    # (not the labour market, the US Labor Department nor the International Labour
    # Organisation, which the word "labour" also finds; the PLP is the party)
    assert found(stories, query) == {"party", "plp"}
    assert stories.count(query).total == 2


def test_labour_in_lower_case_is_the_word_in_any_sense_and_a_note_names_the_party(stories):
    results = stories.search("labour", highlight=False)
    assert {hit.id for hit in results.hits} == {"party", "plp", "market", "ilo", "usdol"}
    assert results.notes == ["labour, in lower case, is the word in any sense; Labour, "
                             "capitalised, names the party Labour."]
    assert stories.search("Labour", highlight=False).notes == []


@pytest.mark.parametrize("query", ["labour market", "party:labour", "labour*", "title:Labour",
                                   '"Labour Party"', "Tories"])
def test_no_note_where_a_lower_case_word_says_which_it_means_or_none_is_typed(stories, query):
    assert not any("in lower case" in note for note in stories.search(query).notes)


def test_a_party_name_typed_as_part_of_an_ordinary_use_is_that_use(stories):
    # "Labour market", capitalised as a sentence would start, is the labour market, its
    # words the words (a search ranks the documents holding one of them after it)
    assert found(stories, "Labour market") == found(stories, "labour market")
    assert stories.search("Labour market", highlight=False).hits[0].id == "market"
    assert stories.count("Labour market").total == stories.count("labour market").total == 1
    assert "ilo" in found(stories, "International Labour Organisation")


@pytest.mark.parametrize("query", ["Respect the", '"Respect the"', "respect the", "respect"])
def test_an_ordinary_use_of_one_readable_word_is_that_word_typed_or_quoted(stories, query):
    # the lexicon lists "Respect the" as no party: typed plain it had been the party (3 BBC
    # documents) while the phrase found the word (109): a phrase found more than its words
    # (the word respect is written in the party's name too)
    assert found(stories, query) == {"law", "respect"}
    assert found(stories, "Respect") == {"respect"}


def test_the_note_on_a_quoted_ordinary_use_names_the_word_it_searches_not_the_party(stories):
    # '"Respect the"' had been said to be "searched as Respect", the party's name
    assert "\"Respect the\" is searched as respect: 'the' is too common to be indexed." in (
        stories.search('"Respect the"').notes)


def test_a_quoted_phrase_missing_reads_its_words_apart_as_the_phrase_reads_them(stories):
    # "Respect the judge" is the word respect and judge: apart, only "law" holds both (it
    # had read Respect as the party: no document held the party and judge, no note)
    assert stories.count('"Respect the judge"').total == 0
    assert "1 more document holds the words" in " ".join(stories.count('"Respect the judge"').notes)
    assert found(stories, '"Respect party"') == {"respect"}


@pytest.mark.parametrize(("query", "ids"), [
    ("Labour AND unions", {"party"}),
    ("labour AND unions", {"party", "market"}),
    ('"Labour leader"', {"party"}),
    ("unions NOT Labour", {"market"}),
])
def test_a_phrase_and_operators_read_a_party_name_as_a_word_alone_does(stories, query, ids):
    assert found(stories, query) == ids


def test_liberal_is_the_liberal_party_or_the_liberal_democrats_liberals_the_party_liberal_the_word(
        stories):
    # (read as the Liberal Party alone, Liberal found 2 BBC documents, not the 147 naming the
    # Liberal Democrats; "Liberal" begins their name)
    assert found(stories, "Liberal") == {"libdem", "libdems", "liberals"}
    assert found(stories, "Liberals") == {"liberals"}
    assert found(stories, "liberal") == {"libdem", "liberals", "liberal"}
    # its own party first: the Liberal Democrats are the lighter reading of it
    assert stories.search("Liberal", highlight=False).hits[0].id == "liberals"


def test_a_party_name_in_any_case_and_a_word_that_is_no_party_name_read_as_before(stories):
    assert found(stories, "Tories") == found(stories, "tories") == {"tories"}
    assert found(stories, "Conservative") == {"tories"}
    assert found(stories, "conservative") == {"estimate"}
    assert found(stories, "Green") == found(stories, "green") == {"greens", "green"}
    assert found(stories, "Greens") == {"greens"}


def test_trends_reads_labor_and_labour_as_one_query_and_labour_in_lower_case_as_another(
        stories):
    result = CliRunner().invoke(cli, ["trends", "Labour", "labour", "--by", "source",
                                      "--index", str(stories.path)])
    assert "Matching documents: Labour 2, labour 5" in result.output
    result = CliRunner().invoke(cli, ["trends", "Labor", "Labour", "--index",
                                      str(stories.path)])
    assert result.exit_code == 2 and "Labour is the same query as Labor" in result.output


def test_a_concordance_of_labour_shows_the_party_not_the_labour_market(stories):
    lines = stories.concordance("Labour").lines
    assert {line.id for line in lines} == {"party", "plp"}
    assert "market" in {line.id for line in stories.concordance("labour").lines}


@pytest.mark.parametrize(("word", "parties"), [
    ("Labour", ("labour_party",)), ("LABOUR", ("labour_party",)), ("Labor", ("labour_party",)),
    ("Conservatives", ("conservative_party",)), ("Greens", ("green_party",)),
    ("Plaid", ("plaid_cymru",)), ("Liberal", ("liberal_party", "lib_dem")),
    ("Liberals", ("liberal_party",)),
    # no party's name to part from the word: in lower case, in any case, or none alone
    ("labour", ()), ("Tories", ()), ("SNP", ()), ("Green", ()), ("Scottish", ()),
    ("Democrat", ()), ("LaBour", ()),
    # a group (or a body) implying a party is no party's name (Momentum, the NEC)
    ("Momentum", ()), ("NEC", ()), ("PLP", ()),
])
def test_the_parties_a_typed_word_names_are_read_from_the_lexicon(word, parties):
    assert TypedParties(political_analyzer()).parties(word) == parties


def test_the_note_names_each_party_a_lower_case_word_names_capitalised():
    ana = political_analyzer()
    assert lower_case_notes("liberal attitudes", ana) == [
        "liberal, in lower case, is the word in any sense; Liberal, capitalised, names the "
        "parties Liberal and Liberal Democrat."]
    assert lower_case_notes("labor", ana) == [
        "labor, in lower case, is the word in any sense; Labor, capitalised, names the party "
        "Labour."]
    assert lower_case_notes("liberal democracy labour market tories green", ana) == []


@needs_shared
@pytest.mark.parametrize(("query", "total"), [
    # tagged: Labour 210, Conservative 233, Liberal 2, Liberal Democrat 147, Green 6
    ("Labour", 210), ("Labor", 210), ("labour", 246), ("Conservative", 233),
    ("Conservatives", 233), ("Tories", 233), ("Liberal", 149), ("Liberals", 2),
    ("liberal", 128), ("Greens", 6), ("Green", 58),
])
def test_on_bbc_a_party_name_counts_the_documents_naming_the_party(bbc_index, query, total):
    # before, Labour counted 247 (the labour market, the US Labor Department, the ILO) and
    # Conservative 249 ("conservative estimates", Iran's religious conservatives); the word
    # labour counted 247 and liberal 136 while labourers and liberation shared their stems
    assert bbc_index.count(query).total == total


@needs_shared
def test_on_bbc_count_labour_is_the_documents_tagged_labour(bbc_index):
    # business/183 opens a sentence with "Labour is too costly in Germany" and names the party
    # nowhere else: the index reads it as work, as the party facet does (docs/analyzer.md);
    # it had held the party's term there, and count Labour had counted it
    assert found(bbc_index, "Labour") == found(bbc_index, "party:Labour")


def test_the_words_read_are_kept_within_a_bound(monkeypatch):
    # a server reads whatever words it is sent: their readings are not kept without end
    from corpus_search.search import typed_parties

    monkeypatch.setattr(typed_parties, "_MEMO_SIZE", 8)
    typed = TypedParties(political_analyzer())
    for n in range(50):
        typed.parties(f"Word{n}")
    assert len(typed._memo) <= 8 and typed.parties("Labour") == ("labour_party",)
