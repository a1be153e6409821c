"""Specification of ``PoliticalAnalyzer.matching_tokens``: the highlighter's matched tokens.

``matching_tokens(text, terms)`` must give exactly the ``(text, pos, startchar, endchar)`` of
every token of ``analyzer(text, positions=True, chars=True, mode="index",
removestops=False)`` whose text is in ``terms``, in stream order (the reference below): stop
words kept at their own positions, multi-word concepts and joined compounds with the spans
the pipeline gives them. Checked with term sets drawn from the pipeline's own output (plus
concepts and absent terms) on arbitrary Unicode, dense punctuation, text built from the
lexicon's forms, text whose chunks repeat and occur inside one another between odd
whitespace, a user lexicon, the seeds, the test fixtures and, when ../shared is present, the
whole BBC corpus; with warm and cold caches, tiny caches and the fallback chunk search.
"""

from __future__ import annotations

import pickle
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus_search.analysis.fastpath as fastpath
from conftest import BBC, REPO, SEEDS, needs_shared
from corpus_search.analysis.analyzer import PoliticalAnalyzer, political_analyzer
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from test_analysis_fastpath import (
    AMBIGUOUS_FORMS,
    AMBIGUOUS_TSV,
    AMBIGUOUS_WORDS,
    EXAMPLES,
    FORM_WORDS,
    FORMS,
    USER_FORMS,
    USER_TSV,
    USER_WORDS,
    political_text,
)

LEX = load_lexicon()
ANALYZER = political_analyzer(LEX)

#: Concepts a query often brings, present in the text or not.
CONCEPTS = [
    "labour_party", "prime_minister", "conservative_party", "lib_dem", "house_of_commons",
    "by_election", "member_of_parliament", "downing_street", "plp", "crossparti",
]  # fmt: skip
ABSENT = ["zzzq", "qqqz_concept", "\x00", ""]

# --------------------------------------------------------------------------------------------
# The reference: the token pipeline as the highlighter runs it
# --------------------------------------------------------------------------------------------


def pipeline_tokens(analyzer: PoliticalAnalyzer, text: str) -> list[tuple[str, int, int, int]]:
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    ]


def pipeline_matches(analyzer: PoliticalAnalyzer, text: str, terms) -> list[tuple]:
    return [t for t in pipeline_tokens(analyzer, text) if t[0] in terms]


def assert_same(analyzer: PoliticalAnalyzer, text: str, terms) -> list[tuple]:
    expected = pipeline_matches(analyzer, text, terms)
    assert analyzer.matching_tokens(text, terms) == expected, (text, terms)
    assert analyzer.matching_tokens(text, terms) == expected, "the same again, from the caches"
    fresh = PoliticalAnalyzer(analyzer.lexicon)  # empty caches: the classification path
    assert fresh.matching_tokens(text, terms) == expected, (text, terms)
    return expected


# --------------------------------------------------------------------------------------------
# Term sets and texts
# --------------------------------------------------------------------------------------------


@st.composite
def text_and_terms(draw, texts, analyzer: PoliticalAnalyzer = ANALYZER):
    """A text and a term set drawn from its own tokens, plus some concepts and absent terms."""
    text = draw(texts)
    own = sorted({t[0] for t in pipeline_tokens(analyzer, text)})
    terms = set(draw(st.lists(st.sampled_from(own), max_size=10))) if own else set()
    terms |= draw(st.sets(st.sampled_from(CONCEPTS + ABSENT), max_size=3))
    kind = draw(st.sampled_from([set, frozenset, list, tuple]))
    return text, kind(sorted(terms))


#: Chunks that repeat and occur inside one another ("a" in "aa" and "Labour's"), joined by
#: whitespace runs of every kind, with whitespace before and after.
NESTED_CHUNKS = [
    "a", "aa", "a-a", "A", "a.", "the", "The", "there", "other", "Labour", "Labour's",
    "xLabour", "Labour-led", "(Labour)", "Party", "Parliamentary", "Prime", "Minister",
    "cross-party", "cross-ʼ", "party", "—", "-", "ʼ", "10", "No", "No.", "Lib", "Dems",
]  # fmt: skip
WHITESPACE = [
    " ", " ", " ", "  ", "\n", "\n\n", "\t", " \n ", "\u00a0", "\u3000", "\x85", "\x1c",
    " " * 12, "\n" * 30, "\t \u2028 " * 5,
]  # fmt: skip
nested_text = st.tuples(
    st.sampled_from(["", " ", "\n\n  "]),
    st.lists(st.tuples(st.sampled_from(NESTED_CHUNKS), st.sampled_from(WHITESPACE)), max_size=40),
).map(lambda p: p[0] + "".join(c + w for c, w in p[1]))

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(text_and_terms(st.text(max_size=200)))
def test_matching_tokens_gives_the_same_spans_as_the_token_pipeline_for_any_unicode(case):
    assert_same(ANALYZER, *case)


@SETTINGS
@given(
    text_and_terms(
        st.text(alphabet=st.sampled_from("aB1 -\u2010–'’._,\n\u00a0ʼ\u037aé\u0301"), max_size=120)
    )
)
def test_matching_tokens_gives_the_same_spans_on_dense_punctuation_hyphens_and_odd_letters(case):
    assert_same(ANALYZER, *case)


@SETTINGS
@given(text_and_terms(political_text()))
def test_matching_tokens_gives_the_same_spans_as_the_token_pipeline_for_lexicon_text(case):
    assert_same(ANALYZER, *case)


@SETTINGS
@given(text_and_terms(nested_text))
def test_matching_tokens_gives_the_same_spans_for_repeated_and_nested_chunks_and_odd_spaces(
    case,
):
    assert_same(ANALYZER, *case)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_and_terms(st.one_of(political_text(), nested_text)))
def test_matching_tokens_gives_the_same_spans_with_tiny_caches_and_the_fallback_search(case):
    text, terms = case
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fastpath, "_CACHE_MAX", 3)
        mp.setattr(fastpath, "_WINDOW_CACHE_MAX", 2)
        mp.setattr(fastpath, "_LOCATE_STEPS", -(10**9))  # list every chunk start at once
        ana = PoliticalAnalyzer(LEX)
        expected = pipeline_matches(ana, text, terms)
        for _ in range(2):
            assert ana.matching_tokens(text, terms) == expected, (text, terms)


@SETTINGS
@given(st.one_of(st.text(max_size=120), political_text(), nested_text))
def test_every_token_comes_from_a_chunk_that_can_give_it_so_the_early_exit_is_safe(text):
    # matching_tokens returns [] at once when no chunk can give a term: a plain chunk gives
    # its value, a complex one any of its possible terms (None: unknown).
    ana = ANALYZER.reading(text)
    can_give: set[str] = set()
    for chunk in text.split():
        value = ana._span_cache[chunk]
        if value != fastpath._COMPLEX:
            can_give.add(value)
            continue
        possible = ana._possible(fastpath._chunk_words(chunk))
        if possible is None:
            return
        can_give |= possible
    assert {t[0] for t in pipeline_tokens(ana, text)} <= can_give, text


@SETTINGS
@given(text_and_terms(political_text()))
def test_the_matching_tokens_are_the_stream_tokens_the_highlighter_marks(case):
    # What search.py's snippets do today: set_matched_filter marks t.text in terms.
    from whoosh import highlight

    text, terms = case
    stream = ANALYZER(text, positions=True, chars=True, mode="index", removestops=False)
    marked = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in highlight.set_matched_filter(stream, frozenset(terms))
        if t.matched
    ]
    assert ANALYZER.matching_tokens(text, terms) == marked


def test_chunk_starts_found_by_regex_are_those_of_str_split_for_every_code_point():
    # The fallback lists chunk starts with r"\S+"; the fast search relies on str.isspace().
    space = re.compile(r"\s")
    bad = [hex(i) for i in range(0x110000) if chr(i).isspace() != bool(space.match(chr(i)))]
    assert bad == []


# --------------------------------------------------------------------------------------------
# Examples worth naming
# --------------------------------------------------------------------------------------------

NAMED = [
    ("the cat and the hat", {"the"}),  # stop words kept, each at its own position
    ("The Prime Minister met the PM", {"prime_minister"}),  # only complex chunks give it
    ("Lib Dems won the by-election", {"lib_dem", "lib", "by_election", "elect", "the"}),
    ("a cross-party group, cross-ʼ party talks", {"crossparti", "cross", "parti"}),
    ("Parliamentary Labour Party and the PLP", {"labour_party", "plp", "parti", "labour"}),
    ("  Labour's Labour Labour-led xLabour  ", {"labour", "labour_party", "labourl"}),
    ("a aa a a-a aa a", {"a", "aa"}),
    # an equal chunk, after a long space, lies beyond where single spaces would put this one
    ("x" + " " * 20 + "Labour Labour Party", {"parti"}),
    ("x" + "\n" * 30 + "Prime Prime Minister and Prime", {"prime_minister"}),
    # a chunk inside a window, far from its start, equals a later one
    ("Lib" + " " * 30 + "Dems Dems", {"dem"}),
    ("Prime" + "\n" * 30 + "Minister said Minister", {"minist"}),
    ("no term here", {"labour_party", "zzzq"}),
    ("", {"labour"}),
    ("Labour", set()),
    ("House of Commons\n\nthe House of\u3000Lords\x85Commons", {"house_of_commons", "common"}),
]


@pytest.mark.parametrize(("text", "terms"), NAMED)
def test_matching_tokens_gives_the_same_spans_on_named_examples(text, terms):
    assert_same(ANALYZER, text, terms)


@pytest.mark.parametrize(("text", "terms"), NAMED)
def test_matching_tokens_gives_the_same_spans_on_named_examples_with_the_fallback_search(
    text, terms, monkeypatch
):
    monkeypatch.setattr(fastpath, "_LOCATE_STEPS", -(10**9))  # list every chunk start at once
    expected = pipeline_matches(ANALYZER, text, terms)
    assert PoliticalAnalyzer(LEX).matching_tokens(text, terms) == expected
    monkeypatch.setattr(fastpath, "_LOCATE_STEPS", 0)  # after a step or two
    assert PoliticalAnalyzer(LEX).matching_tokens(text, terms) == expected


def test_matching_tokens_keeps_stop_words_at_their_own_positions():
    assert ANALYZER.matching_tokens("the cat and the hat", {"the", "hat"}) == [
        ("the", 0, 0, 3),
        ("the", 3, 12, 15),
        ("hat", 4, 16, 19),
    ]


def test_a_multiword_concept_spans_the_whole_match_and_shares_its_position():
    text = "Yesterday the Parliamentary Labour Party met"
    got = ANALYZER.matching_tokens(text, {"labour_party", "met"})
    start = text.index("Parliamentary")
    assert got == [("labour_party", 2, start, start + len("Parliamentary Labour Party")),
                   ("met", 3, text.index("met"), len(text))]  # fmt: skip


@pytest.mark.parametrize("text", EXAMPLES)
def test_matching_tokens_matches_the_pipeline_on_the_fast_path_examples(text):
    own = sorted({t[0] for t in pipeline_tokens(ANALYZER, text)})
    for terms in (set(own), set(own[::2]), set(own[1::3]) | set(CONCEPTS)):
        assert_same(ANALYZER, text, terms)


def test_terms_may_be_any_collection_but_not_one_string():
    text = "Labour MPs and the labour market"
    expected = pipeline_matches(ANALYZER, text, {"labour", "labour_party"})
    for terms in (
        ["labour", "labour_party"],
        ("labour_party", "labour"),
        {"labour": 1, "labour_party": 2}.keys(),
        frozenset({"labour", "labour_party"}),
    ):
        assert ANALYZER.matching_tokens(text, terms) == expected
    assert ANALYZER.matching_tokens(text, []) == []
    with pytest.raises(TypeError):
        ANALYZER.matching_tokens(text, "labour")


def _text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _term_sets(analyzer: PoliticalAnalyzer, text: str, rng: random.Random) -> list[set[str]]:
    """All of the text's own terms, a few random ones with concepts, and none of them."""
    own = sorted({t[0] for t in pipeline_tokens(analyzer, text)})
    some = set(rng.sample(own, min(len(own), rng.randint(2, 10))))
    return [set(own), some | set(rng.sample(CONCEPTS, 3)), {"zzzq", "qqqz_concept"}]


@pytest.mark.parametrize("path", _text_files(SEEDS), ids=lambda p: p.name)
def test_matching_tokens_matches_the_pipeline_on_every_seed_file(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    for terms in _term_sets(ANALYZER, text, random.Random(path.name)):
        assert_same(ANALYZER, text, terms)


def test_matching_tokens_matches_the_pipeline_on_every_test_fixture():
    files = _text_files(REPO / "tests" / "fixtures")
    assert files
    rng = random.Random(7)
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for terms in _term_sets(ANALYZER, text, rng):
            expected = pipeline_matches(ANALYZER, text, terms)
            assert ANALYZER.matching_tokens(text, terms) == expected, path


@needs_shared
def test_matching_tokens_matches_the_pipeline_on_the_whole_bbc_corpus():
    from corpus_search.ingest.files import read_directory

    docs = [d for r in read_directory(BBC) for d in r.documents]
    assert len(docs) > 2000
    fresh = PoliticalAnalyzer(LEX)
    rng = random.Random(2005)
    for d in docs:
        for text in (d.title, d.body):
            words = text.split()
            picked = rng.sample(words, min(len(words), rng.randint(1, 6)))
            terms = {t.text for w in picked for t in ANALYZER(w, mode="index")}
            terms |= set(rng.sample(CONCEPTS, 2))
            expected = pipeline_matches(ANALYZER, text, terms)
            assert fresh.matching_tokens(text, terms) == expected, d.id
            assert ANALYZER.matching_tokens(text, terms) == expected, d.id


# --------------------------------------------------------------------------------------------
# A user lexicon
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def user_lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    path = tmp_path_factory.mktemp("lexicon") / "mine.tsv"
    path.write_text(USER_TSV, encoding="utf-8")
    return load_lexicon(path)


def test_matching_tokens_follows_the_user_lexicon(user_lexicon):
    user = political_analyzer(user_lexicon)
    text = "The Reform Club innit, the Yellow Party and yellow fever in the north-east"
    terms = {"reform_club", "yellow_party", "north_east", "innit", "labour_party"}
    got = assert_same(user, text, terms)
    assert {t[0] for t in got} == {"reform_club", "yellow_party", "north_east", "innit"}
    assert ANALYZER.matching_tokens(text, terms) == pipeline_matches(ANALYZER, text, terms)
    assert "reform_club" not in {t[0] for t in ANALYZER.matching_tokens(text, terms)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_matching_tokens_gives_the_same_spans_with_a_user_lexicon(user_lexicon, data):
    user = political_analyzer(user_lexicon)
    texts = political_text(FORM_WORDS[::7] + USER_WORDS * 20, FORMS[::7] + USER_FORMS * 20)
    assert_same(user, *data.draw(text_and_terms(texts, user)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_matching_tokens_gives_the_same_spans_with_ambiguous_forms(tmp_path_factory, data):
    path = tmp_path_factory.getbasetemp() / "ambiguous-matching.tsv"
    if not path.exists():
        path.write_text(AMBIGUOUS_TSV, encoding="utf-8")
    user = political_analyzer(load_lexicon(path))
    texts = political_text(
        FORM_WORDS[::11] + AMBIGUOUS_WORDS * 20, FORMS[::11] + AMBIGUOUS_FORMS * 20
    )
    assert_same(user, *data.draw(text_and_terms(texts, user)))


def test_a_used_analyzer_still_pickles_small_without_its_matching_caches(user_lexicon):
    for ana in (ANALYZER, political_analyzer(user_lexicon)):
        ana.matching_tokens("The Reform Club and the Lib Dems", {"lib_dem", "reform_club"})
        assert ana.reading("The Reform Club and the Lib Dems")._span_cache
        data = pickle.dumps(ana)
        assert len(data) < 400
        clone = pickle.loads(data)
        assert clone == ana
        text = "The Reform Club and the Lib Dems"
        assert clone.matching_tokens(text, {"lib_dem"}) == pipeline_matches(ana, text, {"lib_dem"})
