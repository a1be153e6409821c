"""A lexicon concept's forms are one thing under other names: distinct things the lists had
merged are concepts of their own (the poll tax is not the council tax, pension credit not
the state pension, disability living allowance not incapacity benefit, the living wage not
the minimum wage), or narrower ones where one is part of the other (the Director of Public
Prosecutions heads the CPS). And a party's name typed in American spelling says what it
finds and what it leaves out."""

from __future__ import annotations

import pytest

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.tokens import CONCEPT

ANALYZER = political_analyzer()


def concepts(text: str) -> set[str]:
    """The concepts the analyzer reads in ``text`` (a concept named as its one word, G20,
    is that word's token)."""
    return {t.text for t in ANALYZER(text) if t.kind is CONCEPT or "_" not in t.text}


@pytest.mark.parametrize(("text", "concept", "not_concept"), [
    ("The poll tax riots of 1990 helped bring down Mrs Thatcher.", "poll_tax", "council_tax"),
    ("The community charge was replaced in 1993.", "poll_tax", "council_tax"),
    ("Pensioners on pension credit will get the extra £200.", "pension_credit",
     "state_pension"),
    ("Claimants of disability living allowance fear the new tests.",
     "disability_living_allowance", "incapacity_benefit"),
    ("Campaigners want a living wage for London's cleaners.", "living_wage", "minimum_wage"),
    ("Tax evasion is a crime, the Chancellor said.", "tax_evasion", "tax_avoidance"),
    ("The Convention of Scottish Local Authorities backed the plan.", "cosla",
     "local_government_association"),
    ("EU foreign ministers met at the Council of Ministers in Brussels.",
     "council_of_ministers", "european_council"),
    ("Mr Howard read from a letter about the government's own plans at the European Council "
     "of Ministers for processing asylum seekers.", "council_of_ministers", "european_council"),
    ("The G20 finance ministers meet in Berlin.", "g20", "g8"),
    ("The Probation Service is to be merged with prisons.", "probation_service",
     "prison_service"),
    # a claim for asylum is neither a failed asylum seeker nor an asylum seeker a reader
    # could quote ("asylum claims were down 40%" had been counted as "asylum seekers")
    ("Trevor Phillips said asylum applications were down 40%.", "asylum_claims",
     "asylum_seeker"),
    ("The Home Office will process asylum claims abroad.", "asylum_claims",
     "failed_asylum_seekers"),
    ("Failed asylum seekers will be removed faster.", "failed_asylum_seekers",
     "asylum_claims"),
    # foreign prisoners are prisoners: a text is about deportation where it says so
    ("The number of foreign prisoners has doubled.", "foreign_national_prisoners",
     "deportation"),
])
def test_distinct_things_are_concepts_of_their_own(text: str, concept: str, not_concept: str):
    found = concepts(text)
    assert concept in found
    assert not_concept not in found


@pytest.mark.parametrize(("text", "concept"), [
    ("The council tax will rise by 5%, the minister said.", "council_tax"),
    ("The basic state pension rises in April.", "state_pension"),
    ("Incapacity benefit claimants face new interviews.", "incapacity_benefit"),
    ("The national minimum wage rises to £4.85.", "minimum_wage"),
    # the "national living wage" (2016) is the statutory minimum by another name
    ("The national living wage rose to £7.20 an hour.", "minimum_wage"),
])
def test_each_keeps_its_own_names(text: str, concept: str):
    assert concept in concepts(text)


def test_a_head_of_a_body_is_narrower_than_the_body():
    """(A query for the CPS finds the Director of Public Prosecutions' stories too, weakly;
    one for the DPP does not find every CPS story.)"""
    implied = load_lexicon().implied
    assert "crown_prosecution_service" in implied["director_of_public_prosecutions"]
    assert "national_audit_office" in implied["comptroller_and_auditor_general"]
    assert "pension_link_to_earnings" in implied["triple_lock"]


@pytest.fixture(scope="module")
def taxes(tmp_path_factory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("distinct") / "ix")
    ix.add_documents([
        Document(id="poll", title="Thatcher",
                 body="The poll tax was the most unpopular tax of the Thatcher years."),
        Document(id="council", title="Bills",
                 body="Council tax bills will rise by 4% in April, councils said."),
        Document(id="labor", title="Fees",
                 body="Labor said top-up fees were fair, the senator told reporters."),
        Document(id="labour", title="Fees",
                 body="Labour said top-up fees were fair, the minister told MPs."),
    ])
    yield ix
    ix.close()


def test_a_count_of_the_poll_tax_counts_the_poll_tax_alone(taxes: CorpusIndex):
    assert taxes.count('"poll tax"').total == 1
    assert [hit.id for hit in taxes.search('"poll tax"')] == ["poll"]
    assert taxes.count("council tax").total == 1


def test_labor_typed_so_is_the_party_and_a_note_says_what_it_leaves_out(taxes: CorpusIndex):
    """Capitalised, Labor is read as the party Labour, in British spelling (a researcher
    typing it counts the party's stories); the texts write "Labor" of the US and Australia,
    so the document writing it is not the party's, and a note says so and how to find it."""
    results = taxes.search("Labor")
    assert [hit.id for hit in results] == ["labour"]
    assert any("a text writing Labor" in note and "labor, in lower case" in note
               for note in results.notes)
    assert {hit.id for hit in taxes.search("labor")} == {"labor", "labour"}
    assert not any("a text writing" in note for note in taxes.search("Labour").notes)
