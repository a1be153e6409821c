"""Specification: an ambiguous acronym's other sense is left out only where the text decides
it, and a party's name at a sentence's start is the party unless the text decides otherwise.

A clock time decides it: "5 pm", "5:pm", "5.30 PM" and "11 p.m." are times, one word as
"5pm" always was, never the Prime Minister's acronym, however political the text. Where no
context decides either way the acronym keeps its word, so a short text "Tony Blair told MPs
that ..." is still found by ``MPs``. "Labour is too costly in Germany" in a text that writes
"labour" in lower case and names the party nowhere else is work: ``Labour`` does not find it,
``labour`` does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import document_parties, political_analyzer
from corpus_search.analysis.text import clock_reading, sentence_cuts

ANALYZER = political_analyzer()
POLITICS = "Labour MPs met in the Commons. "
GERMANY = '"Labour is too costly in Germany, especially for the low skilled labour," he says.'


def terms(text: str) -> set[str]:
    return set(ANALYZER.index_terms(text))


@pytest.mark.parametrize(("text", "time"), [
    ("The vote is at 5pm.", "5pm"),
    ("I played EverQuest from 7:30am till 5:pm. When she came home", "5pm"),
    ("The vote is at 5 PM, the whips said.", "5pm"),
    ("The vote is at 5.30 PM, the whips said.", "5.30pm"),
    ("The vote is at 5:30PM, the whips said.", "5.30pm"),
    ("Polls close at 10 p.m. tonight.", "10pm"),
])
def test_a_clock_time_is_one_word_and_never_the_prime_minister(text: str, time: str):
    found = terms(POLITICS + text)
    assert time in found
    assert "pm" not in found and "prime_minister" not in found


@given(
    hour=st.integers(1, 12),
    minutes=st.none() | st.integers(0, 59),
    colon=st.sampled_from([":", "."]),
    space=st.sampled_from(["", " ", ":", "\u00a0"]),
    half=st.sampled_from(["pm", "PM", "Pm", "p.m.", "P.M.", "am", "AM", "a.m."]),
)
def test_every_way_of_writing_a_clock_time_is_the_same_word(hour, minutes, colon, space, half):
    if space == "" and minutes is None and "." in half:
        half = half.replace(".", "")  # ("5p.m." is the words "5p" and "m", as before)
    written = f"{hour}" + (f"{colon}{minutes:02d}" if minutes is not None else "") + space + half
    time = f"{hour}" + (f".{minutes:02d}" if minutes is not None else "") + half[0].lower() + "m"
    found = ANALYZER.index_terms(f"{POLITICS}The debate began at {written} in the House.")
    assert time in found
    assert not {"pm", "prime_minister", "am", "ms_senedd"} & set(found)
    # the same time in the text and in a query: ``5pm`` finds "5 pm", "5:pm" and "5 p.m."
    assert [t.text for t in ANALYZER(written, mode="query")] == [time]


def test_a_number_that_is_no_hour_leaves_the_acronym_alone():
    # a year or an amount before PM is no time: the acronym there is the PM's
    assert "prime_minister" in terms(POLITICS + "In 2005 PM Tony Blair won a third term.")
    assert "prime_minister" in terms(POLITICS + "Spending rose by 1,500 PM Tony Blair said.")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    ix = CorpusIndex(tmp_path_factory.mktemp("senses") / "ix")
    ix.add_documents([
        Document(id="pm", title="Apology",
                 body="MPs met in the Commons. The PM said he was sorry."),
        Document(id="clock", title="Game diary",
                 body="I played EverQuest from 7:30am till 5:pm. Then I slept till 7 PM."),
        Document(id="blair", title="Schools",
                 body="Tony Blair told MPs that schools would come first."),
        Document(id="nec", title="NEC chips",
                 body="Japanese electronics firm NEC has built a faster chip for PCs."),
        Document(id="germany", title="German jobs", body=GERMANY),
        Document(id="pledge", title="Pledge", body="Labour has pledged to cut class sizes."),
        Document(id="hungary", title="Costs",
                 body="Labour is cheap in Hungary, as the labour market shows. Ask Labour MPs."),
    ])
    yield ix
    ix.close()


def test_a_clock_time_does_not_count_as_pm(index: CorpusIndex):
    assert {h.id for h in index.search("PM")} == {"pm"}
    assert {h.id for h in index.search("5pm")} == {"clock"}
    assert {h.id for h in index.search("7pm")} == {"clock"}


def test_tony_blair_told_mps_that_is_found_by_mps_though_nothing_confirms_the_sense(
        index: CorpusIndex):
    assert "blair" in {h.id for h in index.search("MPs")}
    assert "blair" in {h.id for h in index.search("mps")}


def test_nec_in_an_article_about_electronics_tags_no_party(index: CorpusIndex):
    body = "Japanese electronics firm NEC has built a faster chip for PCs."
    assert document_parties("NEC chips", body) == []
    assert not {"labour_party", "national_executive_committee"} & terms(body)
    assert "nec" in {h.id for h in index.search("nec")}


def test_a_sentence_initial_labour_meaning_work_does_not_count_as_the_party(index: CorpusIndex):
    assert "labour_party" not in terms(GERMANY)
    assert {h.id for h in index.search("Labour")} == {"pledge", "hungary"}
    assert "germany" in {h.id for h in index.search("labour")}
    assert index.count("Labour").total == 2


def test_a_sentence_initial_labour_is_the_party_where_the_text_names_the_party_elsewhere():
    text = "Labour is cheap in Hungary, as the labour market shows. Ask Labour MPs."
    assert ANALYZER.index_terms(text)["labour_party"] == [0, 111]  # (a sentence: 100 apart)


@given(st.text(alphabet=st.sampled_from("0123456789 :.apmAPM\u00a0\t\nx,£"), max_size=40))
def test_the_clock_reading_changes_only_a_time_s_space_into_its_colon(text: str):
    reading = clock_reading(text)
    if reading is None:
        return
    assert len(reading) == len(text) and reading != text
    changed = [(a, b) for a, b in zip(text, reading, strict=True) if a != b]
    assert all(a in " \t\u00a0" and b == ":" for a, b in changed)
    assert sentence_cuts(reading) == sentence_cuts(text)
