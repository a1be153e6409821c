"""Long runs of letters: the analyzer drops a word longer than ``MAX_WORD_LENGTH`` (255
characters, Lucene's ``maxTokenLength``) and leaves its position empty, the index report
counts them, and spelling a word
British costs time linear in its length. (A 1,000,000-letter token took 137 s to analyse:
``Lexicon.respell`` sliced every tail of it.) Speed is measured in
``benchmarks/bench_long_words.py``, not here."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import _IZE_RE, load_lexicon
from corpus_search.analysis.text import LONG_CHUNK, MAX_WORD_LENGTH, long_words

LEX = load_lexicon()
ANALYZER = political_analyzer(LEX)


def terms(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in ANALYZER(text, mode="index", positions=True)]


def test_the_longest_word_indexed_is_255_characters_as_in_lucene():
    assert MAX_WORD_LENGTH == 255
    kept, dropped = "k" * 255, "k" * 256
    assert terms(f"Tuesday {kept}") == [("tuesday", 0), (kept, 1)]
    assert terms(f"Tuesday {dropped}") == [("tuesday", 0)]
    assert ANALYZER.index_terms(f"Tuesday {dropped}") == {"tuesday": [0]}


def test_a_dropped_over_long_word_leaves_a_gap_as_a_stop_word_does():
    # (Lucene's StandardTokenizer counts a skipped over-long token in the next position)
    assert terms("Tuesday " + "z" * 1000 + " budget") == [("tuesday", 0), ("budget", 2)]
    assert terms("Tuesday the budget") == [("tuesday", 0), ("budget", 2)]
    for text in ("Tuesday " + "z" * 300 + " budget", "Tuesday " + "z" * 300 + ", budget",
                 "z" * 300 + " Tuesday budget"):
        assert ANALYZER.index_terms(text) == {t: [p for u, p in terms(text) if u == t]
                                              for t, _ in terms(text)}


def test_a_quoted_phrase_does_not_join_the_words_around_a_dropped_word(tmp_path: Path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "long.txt").write_text("Long\n\nThe Tuesday " + "z" * 300 + " budget was late.\n")
    (root / "plain.txt").write_text("Plain\n\nThe Tuesday budget was late.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        found = ix.search('"Tuesday budget"')
        # the phrase in one document; the other holds its words apart, ranked after it
        assert found.phrase_matches == 1 and [h.id for h in found] == ["plain", "long"]


def test_no_lexicon_term_is_read_across_a_dropped_word():
    long = "q" * 300
    assert "prime_minister" not in ANALYZER.index_terms(f"the Prime {long} Minister")
    assert "prime_minister" in ANALYZER.index_terms("the Prime Minister")
    assert [t.text for t in ANALYZER(f"Prime {long} Minister", mode="query")] == [
        "prime", "minist"]


def test_a_word_hyphen_linked_to_a_dropped_word_stands_alone():
    long = "q" * 300
    assert terms(f"cross-{long} budget") == terms("cross the budget")
    assert terms(f"{long}-party budget") == terms("the party budget")
    assert ANALYZER.index_terms(f"cross-{long}") == ANALYZER.index_terms("cross")


def test_a_million_letter_token_is_dropped_and_the_rest_is_read():
    text = "Labour said " + "a" * 1_000_000 + " on Tuesday."
    assert [t for t, _ in terms(text)] == ["labour", "labour_party", "said", "tuesday"]
    assert long_words(text) == 1


def test_long_words_counts_what_the_analyzer_drops():
    assert long_words("short words only") == 0
    assert long_words("a" * 255) == 0
    assert long_words("a" * 256) == 1
    assert long_words("x-" + "a" * 256 + "-" + "b" * 300 + " " + "c" * 400) == 3
    assert long_words("1" * 100 + " " * 300) == 0  # a long gap is no word


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from(" \n\t\u00a0\u2003\x1c")),
                max_size=6))
def test_a_text_holds_a_word_too_long_exactly_where_a_run_of_256_non_spaces_stands(runs):
    text = "".join("w" * n + space for n, space in runs)
    assert (long_words(text) > 0) == (LONG_CHUNK.search(text) is not None)


def test_the_index_report_counts_dropped_words_and_names_the_file(tmp_path: Path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "long.txt").write_text(
        "Long word\n\nLabour said " + "a" * 1_000_000 + " and " + "b" * 300 + ".\n"
    )
    (root / "plain.txt").write_text("Plain\n\nAn ordinary article.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(root)
        assert ix.search("Labour").total == 1
    assert report.long_words == 2 and report.to_dict()["long_words"] == 2
    assert "long.txt: 2 words longer than 255 characters not indexed" in report.warnings
    assert report.indexed == 2 and report.skipped == []


def _respell_as_before(word: str) -> str:
    """Lexicon.respell as it was (every tail sliced: quadratic), for comparison."""
    keep = LEX.spelling_keep
    if word in keep:
        return word
    r = LEX.spelling.get(word)
    if r is not None:
        return r
    for i in range(1, len(word) - 4):
        r = LEX._prefix_spelling.get(word[i:])
        if r is not None:
            return word[:i] + r
    m = _IZE_RE.match(word)
    if m:
        base, vowel, suffix = m.groups()
        if base + vowel + "ze" in keep or base + vowel + "z" + suffix in keep:
            return word
        return f"{base}{vowel}s{suffix}"
    return word


AMERICAN_TAILS = sorted(LEX._prefix_spelling)


@settings(max_examples=500, deadline=None)
@given(
    st.tuples(
        st.text(alphabet="abcdeilnorsuz", max_size=8),
        st.sampled_from([*AMERICAN_TAILS, ""]),
        st.text(alphabet="abcdeilnorsuz", max_size=4),
    ).map("".join)
)
def test_respell_gives_what_the_former_tail_loop_gave(word: str):
    assert LEX.respell(word) == _respell_as_before(word)


def test_respell_reads_a_prefixed_american_spelling_and_a_million_letters():
    assert LEX.respell("reorganize") == "reorganise"
    assert LEX.respell("a" * 1_000_000) == "a" * 1_000_000
