"""Literal mode: a query's words and phrases matched exactly as written (any case, any white
space between words, typographic apostrophes, quotes and dashes read as the tokenizer reads
them), with no stemming, lexicon forms or stop-word gaps: what a quote check or a wording
study counts, as grep counts the files."""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.analysis.analyzer import political_analyzer
from corpus_search.analysis.lexicon import load_lexicon
from corpus_search.analysis.surface import surface_terms
from corpus_search.errors import QueryError
from corpus_search.search.literal import (
    candidate_terms,
    idiom_holds,
    literal_query,
    written_keys,
)

# -- an oracle written apart from the implementation: texts as tokens and the gaps between --

#: what the tokenizer reads as one character for another (and nothing else)
_ORACLE_FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-",
                "\u2011": "-", "\u2014": "\u2013"}
#: a word: letters or digits, joined by an apostrophe, point or comma with no space
_TOKEN = re.compile(r"[^\W_]+(?:['.,][^\W_]+)*")


def _tokens_and_gaps(text: str) -> tuple[list[str], list[str]]:
    text = "".join(_ORACLE_FOLD.get(c, c) for c in text)
    spans = [m.span() for m in _TOKEN.finditer(text)]
    tokens = [text[a:b].casefold() for a, b in spans]
    gaps = [" ".join(text[b:a].split()) if text[b:a].strip() else " "
            for (_, b), (a, _) in itertools.pairwise(spans)]
    return tokens, gaps


def oracle_holds(text: str, phrase: str) -> bool:
    """Does ``text`` hold ``phrase`` (plain words and compounds, space-separated): the same
    tokens in a row, with the same gaps between them, white space read as one space, the
    last written with a possessive 's or without?"""
    want, want_gaps = _tokens_and_gaps(phrase)
    have, have_gaps = _tokens_and_gaps(text)
    n = len(want)
    return any(have[i:i + n - 1] == want[:-1] and have[i + n - 1] in (want[-1], want[-1] + "'s")
               and have_gaps[i:i + n - 1] == want_gaps for i in range(len(have) - n + 1))


#: words a literal query is tried on: stop words, lexicon forms, compounds, possessives, names
VOCABULARY = ["make", "their", "his", "mark", "Tory", "party", "Conservative", "Party",
              "Labour", "Labour's", "Labour’s", "the", "of", "one", "best", "in", "to",
              "back", "basics", "back-to-basics", "back‐to‐basics", "Lib", "Dems",
              "e-mail", "email", "don't", "don’t", "O'Brien", "Brien", "U.S.", "US",
              "national", "interest", "fees", "fee", "tuition", "makes", "marks", "café"]
#: what stands between two words of a generated text
SEPARATORS = [" ", " ", " ", " ", "  ", "\n", ", ", ". ", " - ", " — ", "-", "'s ", "’ ", "\""]


def generated_text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(VOCABULARY) + rng.choice(SEPARATORS) for _ in range(words))


texts = st.builds(generated_text, st.randoms(use_true_random=False), st.integers(1, 40))
phrases = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join)


@given(texts, phrases)
@example("Labour's's make make ", "Labour")  # (a possessive's 's joined to another: one word)
@settings(max_examples=300, deadline=None)
def test_a_literal_phrase_stands_where_the_oracle_finds_its_words_and_gaps(text, phrase):
    assert literal_query(f'"{phrase}"').holds(text) == oracle_holds(text, phrase)


@given(texts, phrases)
@settings(max_examples=300, deadline=None)
def test_each_marked_place_reads_as_the_phrase(text, phrase):
    for start, end in literal_query(f'"{phrase}"').places(text):
        assert oracle_holds(text[start:end], phrase)


_LEXICON = load_lexicon()
_ANALYZER = political_analyzer(_LEXICON)


@given(st.randoms(use_true_random=False), st.integers(2, 40), st.data())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_text_holding_a_phrase_holds_the_index_terms_or_words_its_candidates_need(rng, n, data):
    """The candidates come from the index: every term the phrase's words make is one the
    analyzer makes of any text holding it (stop words, hyphens, lexicon forms and sentence
    starts notwithstanding), so confirming candidates against the text loses no match."""
    words = [rng.choice(VOCABULARY) for _ in range(n)]
    text = "".join((w.capitalize() if rng.random() < 0.2 else w) + rng.choice(SEPARATORS)
                   for w in words)
    start = data.draw(st.integers(0, n - 1))
    phrase = " ".join(words[start:start + data.draw(st.integers(1, 4))])
    assume(literal_query(f'"{phrase}"').holds(text))
    written = {w.lower() for w in surface_terms(text, _LEXICON.stopwords)}
    keys = written_keys(phrase, _LEXICON.stopwords)
    if keys and keys <= written:
        return  # (the words field holds every word as written: "eat" in "dog-eat-dog")
    held = {t.text for t in _ANALYZER(text, mode="index")}
    for term in candidate_terms(_ANALYZER, phrase):  # (or a reduplicated compound holds it)
        assert term in held or any(idiom_holds(term, joined) for joined in held), term



# -- an index: counts equal the documents the oracle finds --------------------------------

STORIES = {
    "quote": ("Lib Dems target the student vote",
              'Mr Kennedy urged students to "make their\nmark". The Tory party\'s plan.'),
    "sport": ("Henman decides to quit", "It is a chance for them to make their mark."),
    "his": ("Owen's start", "He will make his mark at Real. The Conservative Party met."),
    "oscar": ("Moreno debut makes Oscar mark", "The film makes its mark."),
    "tory": ("Tory Party conference", "The Tory Party’s conference, one of the best."),
    "basics": ("Major's back-to-basics", "The back-to-basics campaign failed."),
}


def _generated() -> dict[str, tuple[str, str]]:
    rng = random.Random(24)
    return {**STORIES, **{f"gen{n}": ("Generated", generated_text(rng, 60)) for n in range(40)}}


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "literal",
                        [Document(id=k, title=t, body=b) for k, (t, b) in STORIES.items()])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "generated", [
        Document(id=k, title=t, body=b) for k, (t, b) in _generated().items()])


def holders(phrase: str, texts: dict[str, tuple[str, str]] = STORIES) -> set[str]:
    return {k for k, (t, b) in texts.items() if oracle_holds(t, phrase) or oracle_holds(b, phrase)}


@given(phrase=phrases)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_literal_count_is_the_documents_whose_title_or_body_holds_the_phrase(generated,
                                                                              phrase):
    held = holders(phrase, _generated())
    assert generated.count(f'"{phrase}"', by="source", literal=True).total == len(held)
    found = generated.search(f'"{phrase}"', limit=100, literal=True, highlight=False)
    assert {hit.id for hit in found.hits} == held


def test_make_their_mark_counts_the_quote_not_his_mark_nor_a_title_s_makes_mark(stories):
    assert {h.id for h in stories.search('"make their mark"', literal=True)} == {"quote", "sport"}
    assert stories.count('"make their mark"', literal=True).total == 2


def test_tory_party_counts_where_it_is_written_not_every_conservative_story(stories):
    found = stories.search("'Tory party'", literal=True)
    assert {h.id for h in found} == {"quote", "tory"}  # (the Tory party's, the Tory Party’s)
    # the title's place ranks its document first; snippets mark the phrase alone
    assert found.hits[0].id == "tory"
    assert [m.casefold() for h in found for m in h.snippet.matches] == ["tory party"] * 2


def test_a_hyphen_is_no_space_and_a_stop_word_no_gap(stories):
    assert stories.count('"back to basics"', literal=True).total == 0
    assert stories.count("back-to-basics", literal=True).total == 1
    assert stories.count('"one of the best"', literal=True).total == 1
    assert stories.count("the", literal=True).total == len(holders("the"))


def test_a_word_as_written_inside_a_reduplicated_compound_is_found(tmp_path):
    # (the index holds "peer-to-peer" as "peertopeer" alone, an idiom; literal "peer" had
    # missed it, as a generated "make mark-mark" had missed "make mark")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="p2p", title="Networks", body="A peer-to-peer network."),
                          Document(id="lords", title="Lords", body="A peer spoke."),
                          Document(id="mark", title="Marks", body="Make mark-mark here.")])
        assert {h.id for h in ix.search("peer", literal=True)} == {"p2p", "lords"}
        assert ix.count('"make mark"', literal=True).total == 1
        assert ix.count("peer").total == 1  # (a search's "peer" is still not the idiom)


def test_a_word_inside_a_longer_reduplicated_compound_is_found_as_written(tmp_path):
    # (the index holds "dog-eat-dog" as "dogeatdog" alone, which begins with "dog", not
    # "eat": literal "eat" had missed it; the words as written are the candidates too)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="dog", title="Markets", body="A dog-eat-dog world of trade."),
            Document(id="basics", title="Major", body="Labour's back-to-basics-back plan."),
            Document(id="other", title="Other", body="They eat at home; basics matter.")])
        assert {h.id for h in ix.search("eat", literal=True)} == {"dog", "other"}
        assert ix.count('"eat-dog"', literal=True).total == 1
        assert {h.id for h in ix.search('"Labour\'s back-to-basics"', literal=True)} == {
            "basics"}
        assert ix.count("eat").total == 1  # (a search's "eat" is still not the idiom)


def test_several_phrases_must_all_stand_in_the_document(stories):
    assert {h.id for h in stories.search("'Tory party' \"make their mark\"",
                                         literal=True)} == {"quote"}


def test_a_literal_concordance_shows_only_the_places_as_written(stories):
    lines = stories.concordance('"make their mark"', literal=True, width=20)
    assert sorted(line.id for line in lines) == ["quote", "sport"]
    assert {line.match for line in lines} == {"make their mark"}


def test_trends_and_export_read_literally_too(stories, tmp_path):
    trends = stories.trends(['"make their mark"', "'Tory party'"], by="source", literal=True)
    assert [one.total for one in trends.counts] == [2, 2]
    report = stories.export('"make their mark"', tmp_path / "out.jsonl", literal=True)
    assert report.documents == 2


def test_a_literal_query_of_no_words_is_a_one_line_error(stories):
    with pytest.raises(QueryError, match="needs words"):
        stories.count('""', literal=True)


def test_literal_is_a_flag(stories):
    with pytest.raises(QueryError, match="literal"):
        stories.count("mark", literal="yes")


def test_count_literal_on_the_command_line(stories):
    from corpus_search.cli import cli

    args = ["count", "--by", "source", "--index", str(stories.path)]
    quoted = CliRunner().invoke(cli, [*args, '"make their mark"'])
    literal = CliRunner().invoke(cli, [*args, "--literal", '"make their mark"'])
    assert literal.exit_code == 0, literal.output
    assert "2 documents match" in literal.output
    assert "2 documents match" not in quoted.output


def test_key_terms_read_literally_are_those_of_the_documents_holding_the_words_as_written(
        stories):
    literal = stories.key_terms("'Tory party'", literal=True)
    assert literal.matching == stories.count("'Tory party'", literal=True).total == 2
    assert stories.key_terms("'Tory party'").matching > 2  # (every Conservative story)


def test_key_terms_against_a_query_read_it_literally_too_but_star_is_every_other_document(
        stories):
    against = stories.key_terms("'Tory party'", against='"make their mark"', literal=True)
    # (the sport story says "make their mark"; the quote says it too, but it is a match)
    assert (against.matching, against.others) == (2, 1)
    assert stories.key_terms("'Tory party'", against='"make their mark"').others != 1
    rest = stories.key_terms("'Tory party'", against="*", literal=True)
    assert rest.others == len(STORIES) - 2  # (no document holds an asterisk)


def test_key_terms_of_star_read_literally_are_still_those_of_every_document_kept(tmp_path):
    """``"*"`` is no words but every document the filters keep, for the query as for
    ``against``: as written it would be the documents holding an asterisk."""
    ix = CorpusIndex(tmp_path / "ix")
    ix.add_documents([Document(id=f"{n}", title="Budget", source="BBC News" if n % 2 else "ITV",
                               body=f"The budget {n} {'*' if n < 2 else ''} was set.")
                      for n in range(6)]
                     + [Document(id="plain", title="Plain", body="No asterisk.")])
    kept = ix.key_terms("*", filters={"source": "BBC News"}, literal=True)
    assert kept.matching == ix.key_terms("*", filters={"source": "BBC News"}).matching == 3
    assert ix.key_terms("", filters={"source": "BBC News"}, literal=True).matching == 3
    assert ix.key_terms("budget", against="*", literal=True).others == 1
    ix.close()


def test_key_terms_literal_is_a_flag(stories):
    with pytest.raises(QueryError, match="literal"):
        stories.key_terms("mark", literal=1)


def test_key_terms_literal_on_the_command_line(stories):
    from corpus_search.cli import cli

    args = ["key-terms", "--index", str(stories.path), "--json", "'Tory party'"]
    literal = CliRunner().invoke(cli, [*args, "--literal"])
    assert literal.exit_code in (0, 1), literal.output
    assert '"matching": 2' in literal.output
    assert '"matching": 2' not in CliRunner().invoke(cli, args).output


def test_marks_read_literally_are_the_places_a_literal_concordance_shows(stories):
    body = STORIES["quote"][1]
    marks = stories.marks("'Tory party' students", body, literal=True)
    assert [body[a:b] for a, b in marks.places] == ["students", "Tory party"]
    assert marks.suggestion is None and marks.not_found == ()
    conservative = STORIES["his"][1]
    assert stories.marks("'Tory party'", conservative).places  # (the lexicon's form)
    assert stories.marks("'Tory party'", conservative, literal=True).places == []
