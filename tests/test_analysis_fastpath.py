"""Specification of the analyzer's fast index path: ``PoliticalAnalyzer.index_terms`` and
``parties_in``.

Both are shortcuts. ``index_terms(text)`` must give exactly the terms and positions the token
pipeline gives in index mode (what Whoosh's ``Positions.word_values`` indexes), and
``parties_in`` exactly what collecting party concepts over the tokenizer, normalise and
lexicon stages gives (the reference implementations below; both read party names that are
common nouns at a sentence's start as those nouns, by the same rule). Both apply the context
rule for ambiguous forms; the references apply it the slow, obvious way (every ambiguous concept the
text's context confirms, no shortcut), so the shortcut is checked too. Checked on arbitrary
Unicode, on text built from lexicon-heavy vocabulary, with a user lexicon, on the seeds, the
test fixtures and, when ../shared is present, the whole BBC corpus.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

import corpus_search.analysis.fastpath as fastpath
from conftest import BBC, REPO, SEEDS, needs_shared
from corpus_search.analysis.analyzer import PoliticalAnalyzer, parties_in, political_analyzer
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.analysis.lexicon_stage import LexiconFilter
from corpus_search.analysis.sentence_case import (
    common_noun_reading,
    shouted_reading,
    shouted_words,
)
from corpus_search.analysis.stages import NormaliseFilter, PoliticalTokenizer
from corpus_search.analysis.text import HYPHENS, MAX_WORD_LENGTH, WORD_RE, clock_reading
from corpus_search.analysis.tokens import CONCEPT

LEX = load_lexicon()
ANALYZER = political_analyzer(LEX)

# --------------------------------------------------------------------------------------------
# References: the slow, obviously right implementations
# --------------------------------------------------------------------------------------------


def _read_as(text: str, lex: Lexicon) -> str:
    # the text as every path reads it: a clock time with a space ("5 PM") as one word
    # (text.clock_reading), an acronym shouted text loses, AM of "GREEN AM", as its word
    # (sentence_case.shouted_reading)
    read = clock_reading(text) or text
    return shouted_reading(read, shouted_words(lex)) or read


def reference_document(text: str, lexicon: Lexicon | None = None) -> str:
    """The text as a document is read: a party's name that is a common noun the text writes
    in lower case is that noun where a sentence starts, if the party is named nowhere else
    (the parties of the common-noun reading lack it)."""
    lex = lexicon if lexicon is not None else load_lexicon()
    read = _read_as(text, lex)
    reading = common_noun_reading(read, lex)
    if reading is None:
        return read
    lost = set(_reference_named(read, lex)) - set(_reference_named(reading, lex))
    return (common_noun_reading(read, lex, lost) or read) if lost else read


def _lexicon_concepts(text: str, lex: Lexicon) -> set[str]:
    read = _read_as(text, lex)
    stream = PoliticalTokenizer()(read, positions=True, chars=True, mode="index")
    return {
        t.text for t in LexiconFilter(lex)(NormaliseFilter()(stream)) if t.kind is CONCEPT
    }


def reference_lexicon(
    text: str, lexicon: Lexicon | None = None, document: bool = True
) -> Lexicon:
    """The lexicon that reads ``text`` (as a document is read, unless ``document`` is
    False): every ambiguous concept the text confirms (names it, or has its context and none
    of what rules it out: Lexicon.confirmed_by), the concepts found by the lexicon stages
    with no ambiguous form."""
    lex = lexicon if lexicon is not None else load_lexicon()
    if not lex.context:
        return lex
    found = _lexicon_concepts(reference_document(text, lex) if document else text,
                              lex.resolved(frozenset()))
    return lex.resolved(lex.confirmed_by(found, lex.context))


def pipeline_terms(analyzer: PoliticalAnalyzer, text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for t in analyzer(text, mode="index", positions=True):
        out.setdefault(t.text, []).append(t.pos)
    return out


def reference_terms(analyzer: PoliticalAnalyzer, text: str) -> dict[str, list[int]]:
    """The plain pipeline of the reference lexicon (which has nothing ambiguous left)."""
    reader = PoliticalAnalyzer(reference_lexicon(text, analyzer.lexicon))
    assert not reader.lexicon.context
    return pipeline_terms(reader, reference_document(text, analyzer.lexicon))


def whoosh_terms(analyzer: PoliticalAnalyzer, text: str) -> dict[str, list[int]]:
    """What Whoosh indexes for a phrase-searchable TEXT field (Positions format)."""
    fmt = Positions()
    return {
        w: fmt.decode_positions(value)
        for w, _freq, _weight, value in fmt.word_values(text, analyzer, mode="index")
    }


def reference_parties(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """parties_in as it was: every token through tokenizer, normalise and lexicon filters (of
    the reference lexicon for the text); of the text's common-noun reading (sentence_case)
    when the text names a party and that reading differs."""
    named = _reference_named(text, lexicon)
    reading = common_noun_reading(text, lexicon if lexicon is not None else load_lexicon())
    return _reference_named(reading, lexicon) if named and reading is not None else named


def _reference_named(text: str, lexicon: Lexicon | None) -> list[str]:
    lex = reference_lexicon(text, lexicon, document=False)
    parties = lex.parties
    return sorted({parties[c] for c in _lexicon_concepts(text, lex) if c in parties})


def assert_same(analyzer: PoliticalAnalyzer, text: str, lexicon: Lexicon | None = None) -> None:
    expected = pipeline_terms(analyzer, text)
    assert expected == reference_terms(analyzer, text), text
    got = analyzer.index_terms(text)
    assert got == expected, text
    assert list(got) == list(expected), "terms in first-emission order"
    assert analyzer.index_terms(text) == expected, "the same again, from the caches"
    fresh = PoliticalAnalyzer(analyzer.lexicon)  # empty caches: the classification path
    assert fresh.index_terms(text) == expected, text
    assert parties_in(text, lexicon) == reference_parties(text, lexicon), text


# --------------------------------------------------------------------------------------------
# Text generators
# --------------------------------------------------------------------------------------------


def _form_pieces(lex: Lexicon) -> tuple[list[str], list[str], list[str]]:
    """(whole forms, single words, case-sensitive multi-word forms) of the lexicon terms."""
    forms, words, cased = set(), set(), set()
    for e in lex.entries:
        for f in e.forms:
            if f.lstrip("?").startswith("=") and " " in f:
                cased.add(f.lstrip("?=").strip())
            f = f.lstrip("?=").strip()
            forms.add(f)
            words.update(re.split(r"[\s\-\u2010\u2011]+", f))
    return sorted(forms), sorted(w for w in words if w), sorted(cased)


FORMS, FORM_WORDS, CASED_FORMS = _form_pieces(LEX)
STOPWORDS = sorted(LEX.stopwords)
ACRONYMS = sorted({w for w in FORM_WORDS if w.isupper() and len(w) > 1})
OTHER = [
    "10", "No", "No.", "3.5", "1,400", "2005", "£10m", "3pm", "U.S.", "U.K.", "e", "mail",
    "$1.13bn", "US$5m", "\uffe15m", "€3", "1.5x2",
    "Corbyn", "Blair", "Brown", "said", "market", "party", "cross", "well", "being", "x",
    "Féin", "ＬＡＢＯＵＲ", "ﬁ", "İ", "ß", "é", "\u0301", "ʼ", "\u037a", "\uff9e", "_", "'",
    # words that normalise to nothing, after a hyphen: the hyphen links the words around them
    "cross-ʼ", "well-\u037a", "Lib-ʼ", "pro-ʼ-", "by-\uff9e",
]  # fmt: skip
CASES = [str, str.lower, str.upper, str.title, str.capitalize, str.swapcase]
SUFFIXES = ["", "", "", "s", "'s", "’s", "s'", "'", ".", ",", ":", ")"]
QUOTES = [("", ""), ("", ""), ("“", "”"), ("‘", "’"), ('"', '"'), ("(", ")")]
SEPARATORS = [
    " ", " ", " ", "-", "-", "\u2010", "\u2011", "–", "—", " - ", "--", "-\n", "\n", "\n\n",
    ", ", ". ", "/", "_", "", "\u00a0", "\t", "\u3000", "\x1c", "\u2028", "'", "’", ".", ",",
    # sentence ends (each leaves positions empty: no window crosses one)
    '." ', "? (", "!\n", ".\r\n", "\r\n\r\n", "\u2026 ", ". \u2029",
]  # fmt: skip


def _word(lexicon_words: list[str], lexicon_forms: list[str]):
    piece = st.one_of(
        st.sampled_from(lexicon_forms),
        st.sampled_from(lexicon_words),
        st.sampled_from(CASED_FORMS),
        # a word invisible to the lexicon inside a multi-word form ("Labour ʼ Party")
        st.sampled_from([f for f in lexicon_forms if " " in f]).map(
            lambda f: f.replace(" ", " ʼ ", 1)
        ),
        st.sampled_from(STOPWORDS),
        st.sampled_from(ACRONYMS).map(lambda a: a + "s"),
        st.sampled_from(OTHER),
        st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    )
    return st.tuples(
        piece, st.sampled_from(CASES), st.sampled_from(SUFFIXES), st.sampled_from(QUOTES)
    ).map(lambda p: p[3][0] + p[1](p[0]) + p[2] + p[3][1])


def political_text(lexicon_words: list[str] = FORM_WORDS, lexicon_forms: list[str] = FORMS):
    return st.lists(
        st.tuples(_word(lexicon_words, lexicon_forms), st.sampled_from(SEPARATORS)), max_size=40
    ).map(lambda parts: "".join(w + s for w, s in parts))


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=200))
def test_index_terms_gives_the_same_terms_and_positions_as_the_pipeline_for_any_unicode(text):
    assert_same(ANALYZER, text)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("aB1 -\u2010–'’._,\n\u00a0ʼ\u037aé\u0301"), max_size=120))
def test_index_terms_matches_the_pipeline_on_dense_punctuation_hyphens_and_odd_letters(text):
    assert_same(ANALYZER, text)


@SETTINGS
@given(political_text())
def test_index_terms_gives_the_same_terms_and_positions_as_the_pipeline_for_lexicon_text(text):
    assert_same(ANALYZER, text)


@SETTINGS
@given(political_text())
def test_index_terms_is_what_whoosh_indexes_for_a_positions_field(text):
    assert ANALYZER.index_terms(text) == whoosh_terms(ANALYZER, text)


#: runs of letters around the longest word the analyzer indexes (longer ones are dropped)
LONG_RUNS = st.tuples(
    st.sampled_from(["a", "Labour", "é", "1", "a'b", "a.b."]),
    st.integers(MAX_WORD_LENGTH - 3, MAX_WORD_LENGTH + 3),
).map(lambda p: (p[0] * (p[1] // len(p[0]) + 1))[: p[1]])


@SETTINGS
@given(st.lists(st.tuples(st.one_of(political_text(), LONG_RUNS), st.sampled_from(SEPARATORS)),
                max_size=8).map(lambda parts: "".join(w + s for w, s in parts)))
def test_index_terms_matches_the_pipeline_around_words_too_long_to_index(text):
    """Words longer than MAX_WORD_LENGTH are dropped alike by both paths, hyphens joining
    them to a neighbour included."""
    assert_same(ANALYZER, text)


@SETTINGS
@given(st.one_of(st.text(max_size=120), political_text()))
# (the Lords, which the Bench of Bishops implies, rules out the Belgian Greens' foreign context)
@example("Belgian Green Bench of Bishops Conservative ")
def test_parties_in_gives_the_same_parties_as_the_old_implementation(text):
    assert parties_in(text) == reference_parties(text)
    assert parties_in(text, LEX) == reference_parties(text, LEX)


@SETTINGS
@given(political_text())
def test_index_mode_never_marks_tokens_stopped_so_whoosh_drops_none(text):
    # Whoosh's formats.tokens() wraps the analyzer in unstopped(); it must have no effect.
    assert not any(t.stopped for t in ANALYZER(text, mode="index", positions=True))


def test_whitespace_is_never_part_of_a_word_so_splitting_on_it_first_is_safe():
    # index_terms splits text on str.split() whitespace before finding words with WORD_RE.
    word_chars = set("'\u2019\u2018\u02bc\u0060\u00b4\u2032.,") | HYPHENS
    bad = [
        hex(i)
        for i in range(0x110000)
        if chr(i).isspace() and (chr(i).isalnum() or chr(i) in word_chars or chr(i) == "_")
    ]
    assert bad == []
    text = "Lib\u00a0Dems\u2009by-election\x1cU.S.\u3000Parliamentary\u2028Labour\x85Party"
    assert [m.group() for m in WORD_RE.finditer(text)] == [
        w for chunk in text.split() for w in WORD_RE.findall(chunk)
    ]
    assert_same(ANALYZER, text)


# --------------------------------------------------------------------------------------------
# Examples worth naming
# --------------------------------------------------------------------------------------------

EXAMPLES = [
    "",
    "   \n\t ",
    "Lib Dems won the by-election",
    "The Parliamentary Labour Party met the PLP and the Prime Minister's Questions",
    "Labour MPs and the labour market; Labour market reforms",
    "House of Commons-style cross-party Blair-Brown-Prescott talks",
    "pre-Budget report: the Chancellor of the Exchequer",
    "Sinn Féin and Sinn Fein, the SNP's MSPs",
    "Lib-ʼ Dems, pro-ʼ-Europe, ʼ-led, Labour ʼ Party",
    "on line, on-line, online; by election by- election",
    "US-UK relations at 3pm with the PM and NEC",
    "the House of ʼ Commons — the House of Lords – the Lords",
    "No 10 and No. 10 Downing Street",
    "Prime",
    "Prime Minister",
    "the the the of of",
    "Parliamentary Labour",
    "\u037a\u037a Labour",
    "cross-ʼ party talks, foo-\u037a bar, x-ʼ-y z",
    "the National Front and the national front; NATIONAL FRONT",
    "Number Ten, No Ten, No 10, number ten",
    "the PR system and PR systems",
    # IT, the acronym, and IT in shouted text, the pronoun (sentence_case.shouted_reading)
    "HOW IT ALL STARTED The first. WHO WAS OSCAR? IT IS here",
    "the NHS IT system, IT-literate staff; IT'S TIME; spending on NHS IT",
    "TELL US WHAT YOU THINK. US TROOPS LEAVE; THE US ELECTION, US-LED FORCES. WHO WAS OSCAR?",
    # Radio 4's PM programme and another country's PM are no Prime Minister of Britain's
    "Labour MPs. She told BBC Radio Four's PM programme that Australia's PM and the PM agree",
]


@pytest.mark.parametrize("text", EXAMPLES)
def test_index_terms_matches_the_pipeline_on_named_examples(text):
    assert_same(ANALYZER, text)


def test_a_remembered_window_is_reused_only_where_the_same_chunks_follow():
    ana = PoliticalAnalyzer(LEX)
    texts = [
        "the Prime Minister said", "the Prime Minister", "Prime Minister's Questions today",
        "the Prime Minister's", "Prime Minister", "Prime Minister said", "Prime Minister-led",
        "Lib Dems said", "Lib Dems", "Lib Dem-led", "the Lib Dems' leader said",
        "the Prime Minister said",
    ]  # fmt: skip
    for text in texts * 2:
        assert ana.index_terms(text) == pipeline_terms(ana, text), text
    assert ana.reading("the Prime Minister said")._window_seen


def test_index_terms_lists_positions_in_emission_order_with_multiword_groups_sharing_one():
    terms = ANALYZER.index_terms("Lib Dems won the by-election")
    assert terms["lib_dem"] == [0] and terms["lib"] == [0] and terms["dem"] == [0]
    assert terms["won"] == [1]
    assert terms["by_election"] == [3] and terms["elect"] == [3]  # "the" left position 2 empty
    assert "the" not in terms


@pytest.mark.parametrize("text", [
    "election is widely", "the", "the the of", "Lib Dems and", "of the by-election of the",
    "cross-party of the group", "in-out of it", "Chancellor of the Exchequer of the day",
    "vote of no confidence in the", "said the. The end", "The Lib Dems' the",
])
def test_index_terms_leaves_the_gaps_of_stop_words_as_the_pipeline_does(text):
    assert_same(ANALYZER, text)


@SETTINGS
@given(st.lists(st.tuples(st.one_of(st.sampled_from(STOPWORDS), st.sampled_from(STOPWORDS),
                                    _word(FORM_WORDS, FORMS)),
                          st.sampled_from([" ", " ", "-", ". ", "\n"])), max_size=30)
       .map(lambda parts: "".join(w + s for w, s in parts)))
@example("GREEN AM ")  # (shouted: AM the word, so no Assembly Member makes Green the party)
def test_index_terms_matches_the_pipeline_on_text_thick_with_stop_words(text):
    """Stop words leave gaps (a window ending in one takes its position too)."""
    assert_same(ANALYZER, text)


def _text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", _text_files(SEEDS), ids=lambda p: p.name)
def test_index_terms_and_parties_in_match_on_every_seed_file(path):
    assert_same(ANALYZER, path.read_text(encoding="utf-8", errors="replace"))


def test_index_terms_and_parties_in_match_on_every_test_fixture():
    files = _text_files(REPO / "tests" / "fixtures")
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert ANALYZER.index_terms(text) == pipeline_terms(ANALYZER, text), path
        assert parties_in(text) == reference_parties(text), path


@needs_shared
def test_index_terms_and_parties_in_match_on_the_whole_bbc_corpus():
    from corpus_search.ingest.files import read_directory

    docs = [d for r in read_directory(BBC) for d in r.documents]
    assert len(docs) > 2000
    fresh = PoliticalAnalyzer(LEX)
    for d in docs:
        for text in (d.title, d.body):
            assert fresh.index_terms(text) == pipeline_terms(ANALYZER, text), d.id
        both = f"{d.title}\n{d.body}"
        assert parties_in(both) == reference_parties(both), d.id


# --------------------------------------------------------------------------------------------
# A user lexicon
# --------------------------------------------------------------------------------------------

USER_TSV = """\
[terms]
reform_club\tReform Club | the Reform
labour_party\tthe People's Party
big_society\tbig society | big-society project
pasty_tax\tpasty-tax
yellow_party\t=Yellow | Yellow Party | YP\tYellow
-\tyellow fever | Yellow Fever
north_east\tnorth east England | north-east
old_labour\t=Old Labour
[protected]
blairs
[stopwords]
innit
"""
USER_WORDS = [
    "the", "Reform", "Club", "People's", "Party", "big", "society", "project", "pasty", "tax",
    "Yellow", "yellow", "fever", "YPs", "north", "east", "England", "Old", "Labour", "blairs",
    "innit", "Blairs",
]  # fmt: skip
USER_FORMS = [
    "the Reform Club", "big-society project", "north-east England", "Yellow Party", "Old Labour",
]  # fmt: skip


@pytest.fixture(scope="module")
def user_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    path = tmp_path_factory.mktemp("lexicon") / "mine.tsv"
    path.write_text(USER_TSV, encoding="utf-8")
    return load_lexicon(path)


def test_the_fast_path_respects_user_lexicon_entries(user_lexicon):
    user = political_analyzer(user_lexicon)
    text = (
        "The Reform Club innit, the Yellow Party and yellow fever in the north-east; "
        "Old Labour, old Labour"
    )
    assert_same(user, text, user_lexicon)
    terms = user.index_terms(text)
    assert {"reform_club", "yellow_party", "north_east", "old_labour"} <= set(terms)
    assert "innit" not in terms
    assert "reform_club" not in ANALYZER.index_terms(text)
    assert parties_in(text, user_lexicon) == ["Labour", "Yellow"]  # "old Labour": Labour
    assert "Yellow" not in parties_in(text)


@SETTINGS
@given(text=political_text(FORM_WORDS[::7] + USER_WORDS * 20, FORMS[::7] + USER_FORMS * 20))
def test_index_terms_and_parties_in_match_the_pipeline_with_a_user_lexicon(user_lexicon, text):
    assert_same(political_analyzer(user_lexicon), text, user_lexicon)


def test_fast_path_caches_belong_to_one_analyzer_and_so_to_one_lexicon(user_lexicon):
    user = political_analyzer(user_lexicon)
    user.index_terms("the Reform Club")
    ANALYZER.index_terms("the Reform Club")
    mine, theirs = user.reading("the Reform Club"), ANALYZER.reading("the Reform Club")
    assert mine._chunk_cache is not theirs._chunk_cache
    assert mine._window_cache is not theirs._window_cache
    assert user.index_terms("the Reform Club") != ANALYZER.index_terms("the Reform Club")


# --------------------------------------------------------------------------------------------
# A user lexicon with ambiguous forms: the context rule on the fast path
# --------------------------------------------------------------------------------------------

AMBIGUOUS_TSV = """\
[terms]
yellow_party\tYellow Party | ?=YP | ?YP rally\tYellow
canary_house\t?=Canary House | ?canary | Yellow Party headquarters\t\tyellow_party
press_office\tpress office | ?=PO
lemon_group\t?lemon-yellow | ?=Lemon
yellow_club\tYellow YP club | press PO box
-\tcanary yellow
[context]
here\tyellow_party, press_office
canary_house\there
lemon_group\tcanary_house, here
"""
AMBIGUOUS_WORDS = [
    "Yellow", "Party", "YP", "yp", "rally", "Canary", "canary", "House", "headquarters",
    "press", "office", "PO", "po", "lemon", "Lemon", "LEMON", "yellow", "the", "said",
]  # fmt: skip
AMBIGUOUS_FORMS = [
    "Yellow Party", "YP rally", "Canary House", "press office", "lemon-yellow", "canary yellow",
    "Yellow Party headquarters", "Yellow YP club", "Yellow YP", "press PO box",
]  # fmt: skip


@pytest.fixture(scope="module")
def ambiguous_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    path = tmp_path_factory.mktemp("ambiguous") / "ambiguous.tsv"
    path.write_text(AMBIGUOUS_TSV, encoding="utf-8")
    return load_lexicon(path)


@pytest.mark.parametrize(
    "text",
    [
        "the YP said",
        "the YP said, and the Yellow Party agreed",
        "YP rally at Canary House; the press office said",
        "Canary House press office",
        "a canary-yellow lemon-yellow Lemon; Yellow Party",
        "Canary yellow paint, the canary sang, the press office",
        "PO box; the press office",
        "the Yellow YP said, and the Yellow Party agreed",  # a window reads into "YP"
        "the press PO said; the press office",
    ],
)
def test_the_fast_path_applies_the_context_rule_of_a_user_lexicon(ambiguous_lexicon, text):
    assert_same(political_analyzer(ambiguous_lexicon), text, ambiguous_lexicon)


@SETTINGS
@given(
    text=political_text(FORM_WORDS[::11] + AMBIGUOUS_WORDS * 20, FORMS[::11] + AMBIGUOUS_FORMS * 20)
)
def test_index_terms_and_parties_in_match_the_pipeline_with_ambiguous_forms(
    ambiguous_lexicon, text
):
    assert_same(political_analyzer(ambiguous_lexicon), text, ambiguous_lexicon)


# --------------------------------------------------------------------------------------------
# Caches: bounded, and never pickled
# --------------------------------------------------------------------------------------------


def test_the_caches_are_bounded_and_results_stay_right_when_they_are_cleared(monkeypatch):
    monkeypatch.setattr(fastpath, "_CACHE_MAX", 20)
    monkeypatch.setattr(fastpath, "_WINDOW_CACHE_MAX", 5)
    ana = PoliticalAnalyzer(LEX)
    texts = [*EXAMPLES, *(p.read_text(encoding="utf-8") for p in _text_files(SEEDS))]
    for text in texts * 2:
        assert ana.index_terms(text) == pipeline_terms(ana, text)
        assert ana._parties(text) == reference_parties(text)
        for reader in [ana, ana._plain_reader, *ana._readers.values()]:
            assert len(reader._window_cache) <= 5 + 1  # cleared before an insert over the limit
            assert len(reader._window_seen) <= 5 + 2
    ana.index_terms("x")
    reader = ana.reading("x")
    assert len(reader._chunk_cache) <= 20 + 1
    assert len(reader._complex) <= len(reader._chunk_cache)


def test_a_used_analyzer_still_pickles_small_without_its_caches(user_lexicon):
    for ana in (ANALYZER, political_analyzer(user_lexicon)):
        ana.index_terms(SEEDS.joinpath(sorted(p.name for p in SEEDS.iterdir())[0]).read_text())
        data = pickle.dumps(ana)
        assert len(data) < 400
        clone = pickle.loads(data)
        assert clone == ana
        text = "The Reform Club and the Lib Dems"
        assert clone.index_terms(text) == pipeline_terms(ana, text)
