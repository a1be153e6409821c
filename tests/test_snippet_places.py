"""Specification of the snippet's marks found in the places of a body that can hold one
(:mod:`corpus_search.search.snippet_places`).

``marks_of_places(analyzer, body, words, counts)`` must give what
``analyzer.matching_tokens(body, words)`` gives (positions apart), or None, never a mark more
or less: stretches read between seams read as the whole body reads there, the places found
hold every token of the words (lexicon alternatives, US spellings, hyphenated forms, acronyms,
a party's name starting a sentence, an ambiguous form the body confirms), and the index's
counts catch a place the regex did not find. A search's snippets are those of the whole body.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import corpus_search.search.highlight as highlight
from conftest import needs_shared
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.search import snippet_places
from corpus_search.search.snippet_places import marks_of_places
from test_analysis_fastpath import SETTINGS, political_text

ANALYZER = political_analyzer(load_lexicon())


def whole(text: str, words: frozenset[str]) -> list[tuple[str, int, int]]:
    """The reference: the whole body read, positions apart."""
    return [(t, s, e) for t, _pos, s, e in ANALYZER.matching_tokens(text, words)]


def counted(text: str, words: frozenset[str]) -> dict[str, int]:
    """What the index counts of each word for ``text``: its tokens, stop words left out."""
    terms = ANALYZER.index_terms(text)
    return {w: len(terms.get(w, ())) for w in words}


def in_places(text: str, words: frozenset[str]) -> list[tuple[str, int, int]] | None:
    found = marks_of_places(ANALYZER, text, words, counted(text, words))
    return None if found is None else [(t, s, e) for t, _pos, s, e in found]


def query_terms(query: str) -> frozenset[str]:
    """The terms of ``query`` as the analyzer reads a query (what a snippet marks)."""
    return frozenset(t.text for t in ANALYZER(query, mode="query"))


#: (body, query, pieces of the body a snippet of it marks for the query)
FIXTURES = [
    # lexicon alternatives, one a form of a concept implying the query's (Young Liberals)
    ("The Liberal Democrats and the Lib Dems; a Lib-Dem, LibDem and Lib\nDem vote. The Young "
     "Liberals met the Federal Executive of the Liberal Democrats.", "Lib Dems",
     ["Liberal Democrats", "Lib Dems", "Lib-Dem", "LibDem", "Lib\nDem", "Young Liberals",
      "Federal Executive of the Liberal Democrats"]),
    # US spellings read as British ones
    ("The labor party will organize its defense of the program and the color of favor.",
     "Labour party organise defence programme colour favour",
     ["organize", "defense", "program", "color", "favor"]),
    # hyphenated forms and their joined forms
    ("A by-election, a byelection and a by election; e-mail and email; anti-terror laws.",
     "by-election email anti-terror",
     ["by-election", "byelection", "e-mail", "email", "anti-terror laws"]),
    # acronyms, their plurals, dotted initials, an ambiguous form the body confirms
    ("MPs and an MP asked at PMQs; the U.S. and the US; the NEC of the Labour Party met.",
     "MPs PMQs US NEC", ["MPs", "MP", "PMQs", "U.S.", "US", "NEC", "Labour Party"]),
    # party words starting a sentence, a quotation, a line
    ("Labour is too costly. Conservatives in parliament say so.\n\"Greens\" said: Labour won.",
     "Labour Conservatives Greens", ["Labour", "Conservatives", "Greens"]),
    # an ambiguous form confirmed far from it, stems Snowball rewrites
    ("The NEC met on Monday.\n\nLater the Labour Party conference heard the policy of the "
     "company: trying, dying, using, skies.", "NEC policy company try die use sky",
     ["NEC", "policy", "company", "trying", "dying", "using", "skies"]),
    # a multi-word form around a place that is not its first word (Exchequer, a word of
    # the Chancellor's title, which the form holds at its place)
    ("He is the Chancellor of the Exchequer and the shadow home secretary spoke.",
     "Exchequer home secretary", ["Exchequer"]),
    # accents folded, full-width letters, ligatures
    ("Sinn Féin and Sinn Fein; ＬＡＢＯＵＲ and the ﬁnance of Plaid Cymru.",
     "Sinn Fein Labour finance Plaid Cymru",
     ["Sinn Féin", "Sinn Fein", "ＬＡＢＯＵＲ", "ﬁnance", "Plaid Cymru"]),
]


@pytest.mark.parametrize(("text", "query", "marked"), FIXTURES)
def test_the_places_of_a_body_hold_every_mark_the_whole_body_gives(text, query, marked):
    words = query_terms(query)
    expected = whole(text, words)
    assert set(marked) <= {text[s:e] for _t, s, e in expected}
    assert in_places(text, words) == expected


@pytest.mark.parametrize(("text", "query", "marked"), FIXTURES)
def test_every_stretch_read_alone_gives_the_tokens_the_whole_body_gives_there(
    text, query, marked
):
    # whatever the places, a stretch between seams reads as the whole body does there (no
    # form of the lexicon spans a seam)
    words = query_terms(query)
    for every in (1, 2, 3):
        assert stretch_tokens(text, words, every) == whole(text, words)


def stretch_tokens(text: str, words: frozenset[str], every: int) -> list[tuple[str, int, int]]:
    """The tokens of the stretches around every ``every``-th chunk, and of the whole body's
    reading in between (the stretches must not change what is read there)."""
    import re

    reading = snippet_places._Reading(ANALYZER, text)
    chunks = list(re.finditer(r"\S+", text))
    stretches = reading._stretches(iter(chunks[::every]))
    out: list[tuple[str, int, int]] = []
    read_to = 0
    for a, b in stretches:
        first = chunks[a].start()
        out += [x for x in whole(text, words) if read_to <= x[1] < first]
        piece = text[first : chunks[b - 1].end()]
        reader = reading._reader() if reading._ambiguous(a, b, piece) else ANALYZER
        out += [(t, s + first, e + first) for t, _p, s, e in reader.matching_tokens(piece, words)]
        read_to = chunks[b - 1].end()
    out += [x for x in whole(text, words) if x[1] >= read_to]
    return out


@SETTINGS
@given(political_text(), st.integers(1, 4), st.data())
def test_stretches_between_seams_read_as_the_whole_body_on_lexicon_text(text, every, data):
    terms = sorted(ANALYZER.index_terms(text)) or ["x"]
    drawn = data.draw(st.lists(st.sampled_from(terms), max_size=4))
    words = frozenset([*drawn, "lib_dem", "labour_party"])
    assert stretch_tokens(text, words, every) == whole(text, words)
    found = in_places(text, words)
    assert found is None or found == whole(text, words)


def test_a_place_the_regex_misses_is_caught_by_the_index_counts():
    text = "The Lib Dems said so."
    words = frozenset({"lib_dem"})
    found = marks_of_places(ANALYZER, text, words, {"lib_dem": 2})  # one more than it holds
    assert found is None  # the caller then reads the body whole


def test_a_body_with_no_place_of_the_words_is_not_read(monkeypatch):
    monkeypatch.setattr(snippet_places._Reading, "_is_seam", None)  # reading would fail
    monkeypatch.setattr(ANALYZER, "matching_tokens", None)
    assert marks_of_places(ANALYZER, "Budget day.", frozenset({"blair"}), {"blair": 0}) == []


def test_a_body_naming_only_the_liberal_democrats_is_marked_without_its_context(monkeypatch):
    # "Democrats" starts the US parties' ambiguous form, but inside "Liberal Democrats" the
    # longer form takes it in every context: the body's context is not worked out
    text = "Washington said so. The Liberal Democrats and the US Congress met in Washington."
    words = query_terms("Liberal Democrats")
    expected = whole(text, words)
    monkeypatch.setattr(ANALYZER, "reading", None)  # reading the whole body would fail
    assert in_places(text, words) == expected
    assert {text[s:e] for _t, s, e in expected} == {"Liberal Democrats"}


def test_a_body_on_interest_rates_at_the_bank_is_marked_without_its_context(monkeypatch):
    # "rate" begins the Bank of England's ambiguous "rate-setting committee", which this body,
    # about the Bank, never goes on to: its context is not worked out
    text = "The Bank of England held interest rates. The rate rose in May, the Bank said."
    words = query_terms("interest rates")
    expected = whole(text, words)
    monkeypatch.setattr(ANALYZER, "reading", None)  # reading the whole body would fail
    assert in_places(text, words) == expected
    assert [text[s:e] for _t, s, e in expected] == ["interest", "rates", "rate"]


def test_a_stop_word_marked_but_not_counted_has_the_body_read_whole():
    # "having" is indexed as "have", the stop word "have" is marked but not counted
    text = "They have been having talks."
    words = frozenset({"have"})
    assert len(whole(text, words)) == 2
    assert counted(text, words) == {"have": 1}
    assert marks_of_places(ANALYZER, text, words, counted(text, words)) is None
    # a body without the stop word is read in places
    assert in_places("They are having talks.", words) == whole("They are having talks.", words)


@pytest.mark.parametrize("stop_word", sorted(load_lexicon().stopwords))
def test_every_stop_word_is_a_place_of_its_stem(stop_word):
    # what makes the counts differ for a body holding a stop word a query marks
    stem = ANALYZER.stemmer.stem(stop_word)
    finder = snippet_places.place_finder(ANALYZER, frozenset({stem}))
    for written in (stop_word, stop_word.upper(), stop_word.capitalize()):
        assert finder.search(f"and so {written} too") is not None, (stop_word, stem)


SNIPPET_DOCUMENTS = [
    Document("a", "Lib Dem plans",
             "The Liberal Democrats set out plans. Lib Dem leader Charles Kennedy said the "
             "Lib-Dems would win. The labor party would organize a defense of its program."),
    Document("b", "By-election",
             "Labour is confident. A by-election in Hartlepool, the byelection of the year: "
             "MPs and the PM at PMQs asked about the NEC of the Labour Party."),
    Document("c", "Title only: Lib Dems", "A story about the weather in Wales."),
]


@pytest.mark.parametrize("query", ["Lib Dems", "labour party", "by-election", "PMQs", "NEC",
                                   "organise defence", "weather", "Kennedy"])
def test_search_snippets_are_those_of_the_whole_body(tmp_path, monkeypatch, query):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(SNIPPET_DOCUMENTS)
        fast = [(h.id, h.snippet) for h in ix.search(query).hits]
        monkeypatch.setattr(highlight, "_marks_in_places", lambda *args: None)
        ix._forget_searches()
        read_whole = [(h.id, h.snippet) for h in ix.search(query).hits]
    assert fast == read_whole
    assert fast


def test_a_short_body_is_read_in_places_not_whole(tmp_path, monkeypatch):
    read: list[int] = []
    monkeypatch.setattr(highlight, "marked_tokens",
                        lambda analyzer, text, words: read.append(len(text)) or [])
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(SNIPPET_DOCUMENTS)
        hits = ix.search("Lib Dems").hits
    assert "**Liberal Democrats**" in hits[0].snippet.plain
    assert read == []


@needs_shared
def test_the_snippets_of_bbc_searches_are_those_of_the_whole_bodies(bbc_index, monkeypatch):
    queries = ["Lib Dems", "Blair", "interest rates", "NEC", "by-election", "Tories", "PMQs",
               "labor", "elect*", "Blare~"]
    fast = {q: [(h.id, h.snippet) for h in bbc_index.search(q, limit=40).hits] for q in queries}
    monkeypatch.setattr(highlight, "_marks_in_places", lambda *args: None)
    bbc_index._forget_searches()
    for q in queries:
        assert fast[q] == [(h.id, h.snippet) for h in bbc_index.search(q, limit=40).hits], q
