"""Properties of the political analyzer on arbitrary text (hypothesis).

Whatever the text, the analyzer never raises, positions never decrease, and every token's
startchar/endchar slice is real text: for a word token the slice analyses back to the token.
"""

from __future__ import annotations

import bisect

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus_search.analysis.analyzer import (
    multiword_spans,
    ordinary_spans,
    parties_in,
    political_analyzer,
)
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.text import SENTENCE_GAP, normalise_word, sentence_cuts

ANALYZER = political_analyzer()
LEXICON = load_lexicon()
STEM = ANALYZER.items[-1]

PIECES = [
    "Lib", "Dems", "Labour", "labour", "market", "Parliamentary", "Party", "PLP", "MPs", "MPs'",
    "by", "election", "No", "10", "No.", "House", "of", "Commons", "the", "Sinn", "Féin",
    "Corbyn’s", "U.S.", "3.5", "1,400", "Tories", "top", "up", "fees", "anti", "terror", "_",
    "Green", "Greens", "PM", "pm", "organization", "ＬＡＢＯＵＲ", "ﬁ", "İ", "ß", "é", "\u0301",
    "£1bn", "$1.13bn", "US$5m",
]  # fmt: skip
SEPARATORS = [" ", "-", "--", " - ", "–", "'", "’", ".", ",", "\n", "_", "", ". ", "?\n", "\n\n"]

political_text = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=25
).map(lambda parts: "".join(p + s for p, s in parts))
any_text = st.one_of(st.text(max_size=80), political_text)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _word_readings(word: str, mode: str) -> set[str]:
    """What a word token of ``word`` may be: its stem; and in a query, for the plural of a
    case-sensitive acronym of the lexicon typed in lower case or capitalised ("mps", "Pqs"),
    that acronym, as the texts' "MPs" and "PQs" are indexed (TypedAcronymFilter)."""
    stem = STEM.stem(word)
    readings = {stem}
    if mode == "query" and stem.endswith("s") and stem[:-1].upper() in LEXICON.cased_acronyms:
        readings.add(stem[:-1])
    return readings


def _check(text: str, mode: str) -> None:
    last = None
    for t in ANALYZER(text, mode=mode, positions=True, chars=True):
        assert t.text, "no empty tokens"
        assert last is None or t.pos >= last, "positions never decrease"
        last = t.pos
        assert 0 <= t.startchar < t.endchar <= len(text)
        source = text[t.startchar : t.endchar]
        assert any(c.isalnum() for c in source)
        if t.kind == "word":
            assert t.expansion is False
            assert t.text in _word_readings(normalise_word(source)[1], mode)
        else:
            assert t.expansion is True


@SETTINGS
@given(any_text)
def test_index_mode_never_raises_and_every_token_points_at_its_source(text):
    _check(text, "index")


@SETTINGS
@given(any_text)
@example("Pqs")  # (the plural of the acronym PQ typed capitalised: read as PQs are)
def test_query_mode_never_raises_and_every_token_points_at_its_source(text):
    _check(text, "query")


@SETTINGS
@given(any_text)
def test_tokens_never_contain_underscores_unless_they_are_concepts(text):
    for t in ANALYZER(text, mode="index"):
        assert "_" not in t.text or t.kind == "concept"


@SETTINGS
@given(any_text)
def test_multiword_spans_and_parties_in_never_raise_and_spans_lie_in_the_text(text):
    for start, end in multiword_spans(text) + ordinary_spans(text):
        assert 0 <= start < end <= len(text)
    assert parties_in(text) == sorted(set(parties_in(text)))


@SETTINGS
@given(any_text)
@example("It was marginal. Seats were lost")
def test_positions_start_at_zero_have_no_gaps_with_stop_words_kept_and_stay_without_them(text):
    """... but where a sentence ends: each end before a word moves it SENTENCE_GAP on."""
    kept = [(t.text, t.pos, t.stopped, t.startchar) for t in ANALYZER(
        text, mode="index", positions=True, chars=True, removestops=False)]
    cuts = sentence_cuts(text)
    first = {}  # position -> where its first word starts
    for _text, pos, _stopped, start in kept:
        first[pos] = min(start, first.get(pos, start))
    positions = sorted(pos - SENTENCE_GAP * bisect.bisect_right(cuts, start)
                       for pos, start in first.items())
    assert positions == list(range(len(positions)))
    kept = [(text_, pos, stopped) for text_, pos, stopped, _start in kept]
    # removing the stop words leaves their positions empty, renumbering nothing
    index = [(t.text, t.pos) for t in ANALYZER(text, mode="index", positions=True)]
    assert index == [(text_, pos) for text_, pos, stopped in kept if not stopped]
