"""Each built-in lexicon list does its job: a representative entry of every data file works.

"A query for X finds a document saying Y" (tokens at one position are alternatives; the
query's positions must line up with the document's, as in a phrase search), plus the
spelling table for spelling.tsv and the context rule for context.tsv.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from corpus_search.analysis.analyzer import parties_in, political_analyzer
from corpus_search.analysis.lexicon import load_lexicon

ANALYZER = political_analyzer()


def _slots(text: str, mode: str) -> list[set[str]]:
    by_pos: dict[int, set[str]] = defaultdict(set)
    for t in ANALYZER(text, mode=mode, positions=True):
        by_pos[t.pos].add(t.text)
    return [by_pos[p] for p in sorted(by_pos)]


def finds(query: str, doc: str) -> bool:
    q, d = _slots(query, "query"), _slots(doc, "index")
    return bool(q) and any(
        all(q[i] & d[s + i] for i in range(len(q))) for s in range(len(d) - len(q) + 1)
    )


#: data file -> (query, document that says it another way)
REPRESENTATIVES = {
    "compounds.tsv": [
        ("cell phone", "her mobile phone rang"), ("per cent", "5 percent"),
        ("peer to peer", "P2P networks"),
    ],
    "departments.tsv": [
        ("Chief Secretary to the Treasury", "the Treasury Chief Secretary said"),
        ("Department for Business", "the Department of Trade and Industry"),
    ],
    "devolution.tsv": [("Barnett formula", "the Barnett consequentials for Wales")],
    "elections.tsv": [
        ("tactical voting", "voters who vote tactically"),
        ("hustings", "the televised debates between the leaders"),
        ("grey vote", "all three parties have been wooing older voters"),
        ("grey vote", "the pensioners' vote decides marginal seats"),
    ],
    "environment.tsv": [("global warming", "the threat of climate change")],
    "government.tsv": [("CPS", "the Crown Prosecution Service told police")],
    "international.tsv": [("ILO", "the International Labour Organisation")],
    "legislation.tsv": [("FOI", "a Freedom of Information request")],
    "local_government.tsv": [("councillors", "a local councilor")],
    "nicknames.tsv": [
        ("sofa government", "sofa-style government"),
        ("resignation", "the home secretary quits"), ("resigned", "why she quit the cabinet"),
    ],
    "organisations.tsv": [("TUC", "the Trades Union Congress")],
    "parliament.tsv": [
        ("by-election", "the byelection"),
        ("Number 10 spin doctor", "ex-Downing Street media chief Alastair Campbell"),
        ("spin doctor", "Labour's director of communications"),
    ],
    "parties.tsv": [("Tories", "the Conservative Party")],
    "party_bodies.tsv": [("Tory conference", "the Conservative Party conference")],
    "procedure.tsv": [("prorogation", "ministers prorogued Parliament")],
    "public_bodies.tsv": [("CQC", "the Care Quality Commission")],
    "unions_campaigns.tsv": [("Usdaw", "the Union of Shop, Distributive and Allied Workers")],
    "welfare.tsv": [("bedroom tax", "the removal of the spare room subsidy")],
    "words.tsv": [("Commons", "the House of Commons")],
}


@pytest.mark.parametrize(
    ("query", "doc"), [pair for pairs in REPRESENTATIVES.values() for pair in pairs]
)
def test_a_query_finds_a_document_that_says_it_another_way(query: str, doc: str):
    assert finds(query, doc)


def test_every_built_in_list_has_a_representative_here():
    files = {src.rsplit("/", 1)[-1] for src in load_lexicon().sources}
    assert files - set(REPRESENTATIVES) == {"spelling.tsv", "context.tsv"}  # tested below


def test_spelling_tsv_maps_american_spellings_to_british_ones():
    lex = load_lexicon()
    assert lex.respell("canceled") == "cancelled"
    assert lex.respell("pedophiles") == "paedophiles"
    assert lex.respell("defenseless") == "defenceless"
    assert finds("traveling", "travelling ministers")


def test_context_tsv_decides_where_an_ambiguous_form_counts():
    assert parties_in("Labour's NEC met") == ["Labour"]
    assert parties_in("NEC makes screens") == []


def test_a_body_of_one_party_tags_that_party():
    assert parties_in("at the Tory conference in Blackpool") == ["Conservative"]
    assert parties_in("the National Policy Forum met at Warwick") == ["Labour"]
    assert parties_in("an Orange Book liberal") == ["Liberal Democrat"]


def test_the_lexicon_has_more_than_a_thousand_concepts():
    # 336 before the lists of departments, bodies, procedure ... were added
    assert len(load_lexicon().concepts) > 1000


@pytest.mark.parametrize(
    ("follower", "leader"),
    [("Blairites", "Blair"), ("Brownite", "Brown"), ("Thatcherites", "Thatcher"),
     ("Corbynistas", "Corbyn"), ("Bennite", "Benn"), ("Blairism", "Blair")],
)
def test_a_leaders_followers_imply_the_leader_as_the_analyzer_reads_the_name(
    follower: str, leader: str
):
    analyzer = political_analyzer()
    (name,) = [t.text for t in analyzer(leader, mode="query")]
    assert name in {t.text for t in analyzer(follower, mode="index")}



@pytest.mark.parametrize(
    ("narrower", "party"),
    [("New Labour", "Labour"), ("Old Labour", "Labour"), ("Labour Government", "Labour"),
     ("Scottish Labour", "Labour"), ("Welsh Labour", "Labour"),
     ("Scottish Tories", "Conservative"), ("Welsh Conservatives", "Conservative"),
     ("Scottish Greens", "Green")],
)
def test_a_narrower_part_of_a_party_is_a_concept_of_its_own_that_still_tags_the_party(
    narrower: str, party: str
):
    # "New Labour" is not every mention of Labour: a text naming only the party lacks the
    # concept the query reads it as (the party is its broader concept, a weak form), but a
    # text naming it is about the party all the same
    lexicon = load_lexicon()
    (own, broader) = [t.text for t in ANALYZER(narrower, mode="query")]
    assert own not in ANALYZER.index_terms("the Labour Party, the Conservative Party, the Greens")
    assert lexicon.parties[broader] == party  # the party itself, implied
    assert parties_in(f"the {narrower} said") == [party]
    assert lexicon.party_named(narrower) == party  # --party "New Labour" is Labour



@pytest.mark.parametrize(
    ("narrower", "broader", "other"),
    [
        ("Holyrood inquiry", "scottish_parliament", "MSPs at Holyrood held an inquiry"),
        ("Real IRA", "ira", "the IRA is real"),
        ("Continuity IRA", "ira", "the IRA"),
        ("Home Office minister", "home_office", "the Home Office said a minister"),
        # a minister is narrower than the department they head (the Home Office is not the
        # Home Secretary: a count of the minister does not count the department's stories)
        ("Home Secretary", "home_office", "the Home Office said"),
        ("Foreign Secretary", "fco", "the Foreign Office said"),
        ("Health Secretary", "dh", "the Department of Health said"),
        ("Defence Secretary", "ministry_of_defence", "the Ministry of Defence said"),
        ("Cabinet Office minister", "cabinet_office", "the Cabinet Office said a minister"),
        ("Monetary Policy Committee", "bank_of_england", "the Bank of England's policy"),
        ("Bank of England governor", "bank_of_england", "the Bank of England raised rates"),
        ("BSE inquiry", "mad_cow_disease", "mad cow disease: an inquiry into beef"),
        ("direct rule minister", "direct_rule", "under direct rule, the minister said"),
        ("Transport Select Committee", "select_committee", "a select committee on transport"),
        ("top rate of income tax", "income_tax", "income tax at its top rate"),
        ("local income tax", "income_tax", "income tax, local councils said"),
        ("Labour MEPs", "european_parliament", "the European Parliament voted"),
        ("MI6 chief", "intelligence_agencies", "the intelligence services said"),
        ("Scottish independence referendum", "scottish_independence", "Scottish independence"),
        ("Scottish independence referendum", "referendum", "a referendum on the euro"),
    ],
)
def test_a_narrower_thing_is_a_concept_of_its_own_that_implies_the_broader(
    narrower: str, broader: str, other: str
):
    # a query for the Real IRA must not hold every text naming the IRA as the phrase, but a
    # text about it is about the IRA too (its "also")
    (own, *rest) = [t.text for t in ANALYZER(narrower, mode="query")]
    assert broader in rest and own != broader
    assert broader in ANALYZER.index_terms(other) and own not in ANALYZER.index_terms(other)
    assert broader in ANALYZER.index_terms(f"the {narrower} met")


@pytest.mark.parametrize(
    ("text", "scottish"),
    [
        ("The SNP wants a second independence referendum.", True),
        ("MSPs voted for an independence referendum.", True),
        ("Montenegro will hold an independence referendum in May.", False),
        ("Quebec's independence referendum was lost narrowly in 1995.", False),
    ],
)
def test_an_independence_referendum_is_scotlands_only_in_a_scottish_context(text, scottish):
    # other nations hold independence referendums too: the bare phrase is Scottish
    # independence only beside Scotland's institutions or parties; a referendum either way
    terms = ANALYZER.index_terms(text)
    assert ("scottish_independence" in terms) is scottish
    assert ("scottish_independence_referendum" in terms) is scottish
    assert "referendum" in terms
