"""The Prime Minister (``?=PM``, "Prime Minister") is Britain's. BBC Radio 4's news programme
"PM" is no Prime Minister at all, and another country's head of government named with the
country ("Australia's PM, John Howard", "Italian Prime Minister Silvio Berlusconi") is that
country's, as the lexicon already reads "Irish Prime Minister" (the Taoiseach) and "German
Chancellor": a concept of its own, ``foreign_prime_minister``. The sentences are the BBC
corpus's (politics/191, 408, 212, 035; business/345, 146)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer

ANALYZER = political_analyzer()
POLITICS = "Labour MPs met in the Commons. "


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


@pytest.mark.parametrize("text", [
    POLITICS + "\"Only really the UN can do that job,\" she told BBC Radio Four's PM programme.",
    POLITICS + "Margaret Beckett rejected Mr Howard's comment, telling Radio 4's PM programme "
    "that Labour was not \"rattled\".",
    POLITICS + "She was speaking on Radio 4's PM.",
])
def test_radio_fours_pm_programme_is_no_prime_minister_however_political_the_text(text):
    assert "prime_minister" not in terms(text)


@pytest.mark.parametrize("text", [
    POLITICS + "The strategist helped Australia's PM, John Howard, win four elections.",
    "Italian Prime Minister Silvio Berlusconi will unveil the plan.",
    "Thailand's Prime Minister Thaksin Shinawatra has estimated the cost.",
    "The report is by the former Dutch prime minister Wim Kok.",
    "He met the Prime Minister of Canada.",
])
def test_another_countrys_prime_minister_is_that_countrys_not_britains(text):
    found = terms(text)
    assert "foreign_prime_minister" in found
    assert "prime_minister" not in found


def test_the_irish_pm_is_the_taoiseach_as_the_irish_prime_minister_is():
    assert "taoiseach" in terms(POLITICS + "Irish PM Bertie Ahern met Mr Blair.")
    assert "prime_minister" not in terms(POLITICS + "Irish PM Bertie Ahern met Mr Blair.")


@pytest.mark.parametrize("text", [
    POLITICS + "The PM insisted nothing would derail Labour's campaign.",
    "Tony Blair has met Italian Prime Minister Silvio Berlusconi. \"The prime minister has "
    "regular meetings with both,\" his spokesman said.",
    "Blair Labour's longest-serving PM. He is the British Prime Minister.",
    "Ex-PM Lord Callaghan dies aged 92",
])
def test_britains_prime_minister_is_still_the_prime_minister(text):
    assert "prime_minister" in terms(text)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    ix = CorpusIndex(tmp_path_factory.mktemp("pm") / "ix")
    ix.add_documents([
        Document(id="blair", title="PM apology over jailings",
                 body="The PM said he was sorry. Labour MPs welcomed it."),
        Document(id="radio", title="UN role",
                 body="Labour MPs spoke. She told BBC Radio Four's PM programme the UN must act."),
        Document(id="howard", title="Tory expert",
                 body="Labour MPs said so. The strategist helped Australia's PM, John Howard."),
    ])
    yield ix
    ix.close()


def test_a_search_for_the_prime_minister_finds_britains_alone(index: CorpusIndex):
    assert index.count("Prime Minister").total == 1
    assert {h.id for h in index.search("Prime Minister")} == {"blair"}


def test_a_query_for_another_countrys_prime_minister_finds_it(index: CorpusIndex):
    assert [h.id for h in index.search("Australian Prime Minister")][:1] == ["howard"]
