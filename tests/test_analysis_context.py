"""Specification of the context rule: an ambiguous form counts only where its context does.

A lexicon form written ``?FORM`` (NEC, PM, MP, CPS, FSA, ICC ...) stands for its concept only
in a text whose plain reading (the lexicon without ambiguous forms) has the concept itself or
a concept of its ``[context]`` line. A query keeps every ambiguous form beside the word. Party
tags come from party senses only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import parties_in, political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.errors import LexiconError

ANALYZER = political_analyzer()


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


def query_terms(text: str) -> set[str]:
    return {t.text for t in ANALYZER(text, mode="query")}


# --------------------------------------------------------------------------------------------
# NEC and the party facet
# --------------------------------------------------------------------------------------------

ELECTRONICS = (
    "Toshiba and NEC back HD-DVD. The previous top supercomputer, Japan's NEC Earth "
    "Simulator, was overtaken by IBM."
)
LABOUR_NEC = "Labour's ruling NEC agreed the all-women shortlists. The NEC meets again in May."


def test_nec_in_an_article_about_electronics_tags_no_party():
    assert parties_in(ELECTRONICS) == []
    assert "national_executive_committee" not in terms(ELECTRONICS)
    assert "nec" in terms(ELECTRONICS)  # the word itself is still there to find


def test_nec_in_an_article_about_labour_is_the_national_executive_committee():
    found = terms(LABOUR_NEC)
    assert {"nec", "national_executive_committee", "labour_party"} <= found
    assert parties_in(LABOUR_NEC) == ["Labour"]


def test_birminghams_nec_is_the_exhibition_centre_even_beside_labour():
    text = "Labour's spring conference opened at Birmingham's NEC."
    assert "national_exhibition_centre" in terms(text)
    assert "national_executive_committee" not in terms(text)



def test_creative_commons_is_not_the_house_of_commons():
    tech = "A Creative Commons licence lets anyone copy it."
    assert "house_of_commons" not in terms(tech) and "commons" in terms(tech)
    assert "house_of_commons" not in query_terms("Creative Commons")
    assert "house_of_commons" in terms("Blair told the Commons that he would not resign.")


def test_london_assembly_members_are_no_members_of_the_senedd():
    london = "Two London Assembly members defected to Veritas, the GLA said."
    assert "ms_senedd" not in terms(london) and "gla" in terms(london)
    assert "ms_senedd" in terms("Plaid Cymru said Assembly Members in Cardiff Bay voted.")


def test_a_title_is_read_with_its_own_context():
    # The index reads a title and a body as separate texts; the party facet reads both.
    assert "national_executive_committee" not in terms("NEC backs shortlists")
    assert parties_in("NEC backs shortlists\nLabour's NEC met.") == ["Labour"]


@pytest.fixture(scope="module")
def nec_index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("nec-corpus")
    docs = {
        "labour/nec.txt": "Party rules changed\n\nLabour's National Executive Committee met "
        "on Tuesday and approved the new rules for selecting candidates.",
        "tech/nec.txt": "Chip maker results\n\nToshiba and NEC reported higher profits from "
        "flat screens and mobile handsets.",
        "misc/other.txt": "Weather\n\nRain is expected across the south on Tuesday.",
    }
    for rel, text in docs.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    ix = CorpusIndex(tmp_path_factory.mktemp("nec-index") / "ix")
    ix.index_directory(root)
    yield ix
    ix.close()


def test_a_query_for_nec_finds_the_national_executive_committee_and_the_bare_word(nec_index):
    found = [h.id for h in nec_index.search("NEC").hits]
    assert "labour/nec" in found  # the concept, where the index has it
    assert "tech/nec" in found  # the word, elsewhere
    assert "misc/other" not in found


def test_only_the_article_about_labour_is_tagged_labour(nec_index):
    assert [h.id for h in nec_index.search("NEC", filters={"party": "Labour"}).hits] == [
        "labour/nec"
    ]


def test_a_query_keeps_the_ambiguous_forms_beside_the_word():
    assert {"nec", "national_executive_committee", "labour_party"} <= query_terms("NEC")
    assert {"cps", "crown_prosecution_service", "cps_think_tank"} <= query_terms("CPS")
    assert {"mp", "member_of_parliament"} <= query_terms("MP")


# --------------------------------------------------------------------------------------------
# Other ambiguous acronyms
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The PM told the Commons he would not resign.", {"prime_minister"}, set()),
        ("The show starts at 8 PM on Saturday.", set(), {"prime_minister"}),
        ("Labour MP Diane Abbott spoke.", {"member_of_parliament"}, set()),
        ("The camera has a 5 MP sensor and a zoom lens.", set(), {"member_of_parliament"}),
        ("Police said the CPS would decide on charges.", {"crown_prosecution_service"},
         {"cps_think_tank"}),
        ("The think tank CPS published a report on tax.", {"cps_think_tank"},
         {"crown_prosecution_service"}),
        ("Carrier Pre-Selection (CPS) services cut phone bills.", set(),
         {"crown_prosecution_service", "cps_think_tank"}),
        ("The Financial Services Authority fined the bank; the FSA said more would follow.",
         {"financial_services_authority"}, {"food_standards_agency"}),
        ("Defra and the FSA warned about BSE in beef.", {"food_standards_agency"},
         {"financial_services_authority"}),
        ("The ICC chief executive praised the cricket board.", set(),
         {"international_criminal_court"}),
        ("The International Criminal Court said the ICC would try him.",
         {"international_criminal_court"}, {"international_cricket_council"}),
        ("The CSA was criticised by the Department for Work and Pensions.",
         {"child_support_agency"}, set()),
        ("The CSA hearing into the sprinter's doping case was delayed.", set(),
         {"child_support_agency"}),
        ("Shares in NAO Robotics rose.", set(), {"national_audit_office"}),
        ("The NAO told the Commons public spending was wasted.", {"national_audit_office"},
         set()),
        ("The Met said police had arrested two men.", {"met_police"}, set()),
        ("A new production opened at the Met in New York.", set(), {"met_police"}),
    ],
)  # fmt: skip
def test_an_ambiguous_acronym_stands_for_its_concept_only_in_its_context(text, present, absent):
    found = terms(text)
    assert present <= found, text
    assert not absent & found, text


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Reforms of the health service angered Labour backbenchers.", {"nhs"}, set()),
        ("Mr Chidambaram pledged billions for health services for the poor.", set(), {"nhs"}),
        ("The Tories would scrap the strategic health authorities and the health authorities"
         " with them.", {"strategic_health_authority", "nhs"}, set()),
        ("Health authorities, government agencies and the big e-commerce sites are targeted.",
         set(), {"strategic_health_authority", "nhs"}),
        ("Tory MPs in the lower house voted against it.", {"house_of_commons"}, set()),
        ("India's lower house of parliament passed the budget.", set(), {"house_of_commons"}),
        ("The Bank of England's rate-setting committee voted to hold rates.", {"threadneedle"},
         set()),
        ("The Federal Reserve's rate-setting committee raised rates.", set(), {"threadneedle"}),
        ("Civil servants at the Department for Work and Pensions lost data.", {"whitehall"},
         set()),
        ("Civil servants in Cameroon who arrived late were locked out.", set(), {"whitehall"}),
    ],
)  # fmt: skip
def test_a_generic_phrase_names_a_british_institution_only_in_its_context(text, present, absent):
    # (the BBC report on India's budget and a story on bank fraud had counted as NHS ones)
    found = terms(text)
    assert present <= found, text
    assert not absent & found, text


def test_peers_are_lords_only_among_politics():
    assert "house_of_lords" in terms("Tory peers voted against the Bill.")
    assert "house_of_lords" not in terms("The bank performed better than its peers.")


# --------------------------------------------------------------------------------------------
# Where an ambiguous form can take a place
# --------------------------------------------------------------------------------------------


def test_the_democrats_of_liberal_democrats_are_no_place_for_the_us_party_in_any_context():
    # "Democrats" alone is the US party's in a text about the US, but the longer form takes
    # it inside "Liberal Democrats": such a text reads the same in every context, so its
    # context is never worked out (a search's snippets then read no whole body for it)
    assert ANALYZER.ambiguous_in("The Liberal Democrats said") == frozenset()
    assert ANALYZER.ambiguous_in("But Democrats have accused the president") == {"us_parties"}
    beside_the_us = "The Liberal Democrats wrote to the US Congress."
    assert ANALYZER.ambiguous_in(beside_the_us) == frozenset()
    assert ANALYZER.confirmed(beside_the_us) == frozenset()
    assert "us_parties" not in terms(beside_the_us)
    assert "lib_dem" in terms(beside_the_us)
    in_washington = "The Liberal Democrats wrote to the US Congress. Democrats replied."
    assert ANALYZER.confirmed(in_washington) == {"us_parties"}
    assert "us_parties" in terms(in_washington)


def test_a_word_beginning_an_ambiguous_form_the_text_does_not_go_on_to_is_no_place():
    # "rate" begins "?rate-setting committee" (the Bank of England's, in a text about it);
    # "interest rate" never goes on to the form, so it reads the same in every context
    # (a search's snippets then read no whole body for it)
    assert ANALYZER.ambiguous_in("The interest rate rose") == frozenset()
    assert ANALYZER.ambiguous_in("The rate-setting body met") == frozenset()
    assert ANALYZER.ambiguous_in("The rate-setting committee met") == {"threadneedle"}
    at_the_bank = "The Bank of England's rate-setting committee held the interest rate."
    assert "threadneedle" in terms(at_the_bank)
    assert "threadneedle" not in terms("The Bank of England held the interest rate.")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["rate", "rate-setting", "setting", "committee", "Met",
                                 "Democrats", "Liberal", "the", "interest", "-", "Police"]),
                max_size=6))
def test_a_text_with_no_ambiguous_place_reads_as_its_confirmed_context_reads_it(words):
    # with the Bank of England and the US named first, the text's context confirms every
    # ambiguous form it could hold: where ambiguous_in finds none, the text's own reading is it
    text = " ".join(words)
    if ANALYZER.ambiguous_in(text) == frozenset():
        body = "The Bank of England, the US Congress and the police. " + text
        assert ANALYZER.reading(body).index_terms(text) == ANALYZER.index_terms(text)


OVERLAP_TSV = """\
[terms]
green_party\tGreen Party\tGreen
party_house\t?=Party House
[context]
party_house\tgreen_party
"""


def test_a_form_beginning_on_a_longer_forms_last_word_still_has_its_place(tmp_path: Path):
    # a form that begins on the last word of a longer match and goes on past it adds its
    # concept there (LexiconFilter's overlap), so that word is a place the context decides
    path = tmp_path / "overlap.tsv"
    path.write_text(OVERLAP_TSV, encoding="utf-8")
    ana = political_analyzer(load_lexicon(path))
    assert ana.ambiguous_in("the Green Party House said") == {"party_house"}
    assert "party_house" in ana.index_terms("the Green Party House said")


# --------------------------------------------------------------------------------------------
# Party tags come from party senses only
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The International Labour Organisation (ILO) said a million jobs were lost.",
        "Economy and Labour Minister Wolfgang Clement called the dip temporary.",
        "The local Arab News said Labour Minister Ghazi al-Gosaibi caused uproar.",
        "The German Federal Labour Agency said unemployment rose.",
        "Israel's Labour Party joined Ariel Sharon's coalition.",
        "Australian Labor Party leader Mark Latham conceded defeat.",
        "Norway's Labour Party won the most seats.",
        "Analyst Nick Van den Brul of BNP Paribas described the results.",
        "John Howard, of Australia's Liberal Party, won a fourth term.",
        "French Green MEP Alain Lipietz warned the Commission.",
        "Germany's Social Democrats are recovering in the polls.",
        "the labour market tightened; child labour; Conservative estimates",
        "Laboratory tests at the Los Alamos National Laboratory.",
        "Symantec bought Veritas, the storage software maker.",
    ],
)
def test_a_foreign_or_ordinary_sense_tags_no_party(text):
    assert parties_in(text) == []


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Green MEP Caroline Lucas welcomed the move.", "Green"),
        ("A Labour minister said the plan would go ahead.", "Labour"),
        ("Former Labour minister Tony Banks said", "Labour"),
        ("The Parliamentary Labour Party met.", "Labour"),
        ("Tory peers voted against the Bill.", "Conservative"),
        ("Kilroy-Silk, who quit UKIP, launched Veritas.", "Veritas"),
        ("The Respect Party's candidate George Galloway", "Respect"),
    ],
)
def test_the_party_sense_still_tags_its_party(text, party):
    assert party in parties_in(text)


# --------------------------------------------------------------------------------------------
# The rule as data: [context] lines and ?forms in a user lexicon
# --------------------------------------------------------------------------------------------

USER_TSV = """\
[terms]
yellow_party\tYellow Party | ?=YP\tYellow
yellow_hq\t?=Canary House | Yellow Party headquarters\t\tyellow_party
press_office\tpress office
[context]
politics_here\tyellow_party, press_office
yellow_hq\tpolitics_here
"""


@pytest.fixture(scope="module")
def user_lexicon(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("context-lexicon") / "mine.tsv"
    path.write_text(USER_TSV, encoding="utf-8")
    return load_lexicon(path)


def test_a_context_line_lists_concepts_and_groups(user_lexicon):
    assert user_lexicon.context["yellow_hq"] == {"yellow_hq", "yellow_party", "press_office"}


def test_without_a_context_line_a_form_is_confirmed_by_its_own_concept_only(user_lexicon):
    ana = political_analyzer(user_lexicon)
    assert "yellow_party" not in ana.index_terms("the YP said")
    assert "yellow_party" in ana.index_terms("the YP, the Yellow Party, said")


def test_a_confirmed_multiword_form_is_read_as_one_term(user_lexicon):
    ana = political_analyzer(user_lexicon)
    assert "yellow_hq" not in ana.index_terms("lunch at Canary House")
    found = ana.index_terms("The press office at Canary House said")
    assert found["yellow_hq"] == found["canari"]
    assert parties_in("The press office at Canary House said", user_lexicon) == ["Yellow"]
    assert ana.confirmed("The press office at Canary House said") == {"yellow_hq"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("x_y\t?=XY\n[context]\nx_y\tno_such_thing\n", "neither a concept nor a group"),
        ("x_y\tXY\n[context]\nx_y\tx_y\n", "without ambiguous"),
        ("-\t?=XY\n", "cannot be ambiguous"),
        ("x_y\t?=XY\n[context]\nx_y\n", "name<TAB>concept"),
        ("x_y\t?=XY\n[context]\nx_y\t-no_such_thing\n", "neither a concept nor a group"),
        ("x_y\t?=XY\nz\tZed\n[context]\ngroup\tx_y, -z\n", "rule a sense out"),
    ],
)
def test_a_malformed_context_raises_a_lexicon_error(tmp_path: Path, content: str, message: str):
    path = tmp_path / "broken.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon(path)


# --------------------------------------------------------------------------------------------
# Another country's parliament and parties: a "-" item of a [context] line rules a sense out
# --------------------------------------------------------------------------------------------

CANADA = ("Canada's Conservatives made gains. The Conservatives now hold 99 seats in the "
          "Canadian parliament.")
IRAN = "Iranian MPs threaten mobile deal. Conservatives in parliament say the stake is too high."


@pytest.mark.parametrize("text", [CANADA, IRAN])
def test_conservatives_in_a_text_about_another_countrys_parliament_are_not_the_tories(text):
    assert "conservative_party" not in terms(text)
    assert "conservatives_abroad" in terms(text)
    assert parties_in(text) == []
    assert "conservat" in terms(text)  # the word itself is still there to find


def test_conservatives_beside_britains_own_parties_stay_the_british_party():
    text = CANADA + " Labour and the Lib Dems said they would watch closely."
    assert "conservative_party" in terms(text)
    assert parties_in(text) == ["Conservative", "Labour", "Liberal Democrat"]


def test_conservatives_with_no_other_country_named_are_the_british_party():
    assert "conservative_party" in terms("The Conservatives said they would cut taxes.")
    assert parties_in("The Conservatives said they would cut taxes.") == ["Conservative"]


def test_a_query_for_conservatives_still_asks_for_the_british_party():
    assert "conservative_party" in query_terms("Conservatives")


def test_the_lower_house_of_another_countrys_parliament_is_not_the_commons():
    text = "The bill passed the lower house of the Japanese parliament; the upper house votes next."
    assert "house_of_commons" not in terms(text)
    assert "house_of_lords" not in terms(text)
    assert "foreign_parliaments" in terms(text)


def test_the_lower_house_is_the_commons_in_british_politics_or_beside_the_commons_named():
    assert "house_of_commons" in terms("Labour MPs lost the vote in the lower house.")
    text = "Unlike the Japanese parliament, the House of Commons, the lower house, votes by lobby."
    assert "house_of_commons" in terms(text)  # the concept itself named confirms its forms


def test_another_countrys_parliament_is_not_westminster():
    assert "uk_parliament" not in terms("He urged the Georgian Parliament to approve it.")
    assert "uk_parliament" in terms("He urged Parliament to approve it.")
