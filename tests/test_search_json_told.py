"""What `search --json` tells a program beside the hits: each thing the command line says of a
query as a field of its own (docs/user-guide.md, "JSON output"), under stable names, the
schema's earlier keys all kept: how the matches after those holding a quoted phrase hold it
(only inside a longer lexicon term, which one, or its words apart), the typed words that
stand only in a line removed as boilerplate, and why a page is empty."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import home_secretaries
from corpus_search import CorpusIndex, Document, MultiIndex
from corpus_search.cli import cli
from corpus_search.search.held import how_held

#: the keys of corpus-search/results/v1 as first documented, in their order: a program
#: reading them keeps working (keys are only ever added to a schema of the same name)
V1_KEYS = ["schema", "query", "parsed_query", "total", "page", "pages", "limit", "suggestion",
           "suggestion_applied", "not_found", "notes", "undated_left_out", "phrase_matches",
           "related_only", "facets", "without_party", "hits"]

#: what the JSON adds, each a thing the command line says
TOLD_KEYS = ["boilerplate_words", "why_empty", "phrase_inside", "phrase_inside_terms",
             "phrase_apart", "partly_found", "as_characters"]

SUBSCRIBE = "Click here to subscribe to the Gazette for daily updates"


@pytest.fixture(scope="module")
def secretaries(tmp_path_factory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("secretaries") / "ix")
    ix.add_documents([
        *home_secretaries(),
        Document(id="office", title="Passports",
                 body="The Home Office will issue new passports in Leeds."),
        Document(id="budget", title="Budget",
                 body="The Chancellor set out his budget plans for the home market."),
    ])
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def gazette(tmp_path_factory) -> Path:
    """An index of a folder whose site's subscribe line, repeated in four of its five
    articles, was removed from them as boilerplate."""
    root = tmp_path_factory.mktemp("gazette")
    folder = root / "gazette"
    folder.mkdir()
    for n in range(5):
        foot = f"\n\n{SUBSCRIBE}\n" if n < 4 else "\n"
        (folder / f"g{n}.txt").write_text(
            f"Story number {n}\n\nThe council met on day {n} to discuss the budget for its "
            f"schools.\n\nA last paragraph on libraries, number {n}.{foot}", encoding="utf-8")
    with CorpusIndex(root / "ix") as ix:
        ix.index_directory(folder)
    return root / "ix"


def _search_json(index: Path, *args: str) -> dict:
    out = CliRunner().invoke(cli, ["search", *args, "--index", str(index), "--json"])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)


def _search_text(index: Path, *args: str) -> str:
    return " ".join(CliRunner().invoke(cli, ["search", *args, "--index", str(index)]).output
                    .split())


def test_the_json_keeps_every_key_of_its_schema_in_order_and_adds_what_the_text_says(
    secretaries: CorpusIndex,
):
    data = _search_json(secretaries.path, "Leeds")
    assert data["schema"] == "corpus-search/results/v1"
    assert [key for key in data if key in V1_KEYS] == V1_KEYS
    assert set(data) == {*V1_KEYS, *TOLD_KEYS}


def test_the_json_says_how_many_write_the_phrase_only_inside_a_longer_term_and_which(
    secretaries: CorpusIndex,
):
    data = _search_json(secretaries.path, '"home secretary"')
    told = {key: data[key] for key in ("total", "phrase_matches", "phrase_inside",
                                       "phrase_inside_terms", "phrase_apart", "related_only")}
    # the minister holds the phrase; the Shadow Home Secretary only inside a longer term; the
    # club's secretary and home apart; the Home Office only a term the lexicon relates to it
    assert told == {"total": 4, "phrase_matches": 1, "phrase_inside": 1,
                    "phrase_inside_terms": ["Shadow Home Secretary"], "phrase_apart": 1,
                    "related_only": 1}
    assert ("the next 2, ranked after them: 1 writes it only inside another lexicon term, 1 "
            "holds its words apart.") in _search_text(secretaries.path, '"home secretary"')


def test_a_query_quoting_no_phrase_has_no_phrase_counts(secretaries: CorpusIndex):
    data = _search_json(secretaries.path, "home secretary")
    assert (data["phrase_matches"], data["phrase_inside"], data["phrase_apart"],
            data["phrase_inside_terms"]) == (None, None, None, [])


WORDS = ["home", "secretary", "shadow", "office", "budget", "plans", "new", "Leeds", "club"]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(phrase=st.lists(st.sampled_from(WORDS), min_size=2, max_size=3),
       rest=st.lists(st.sampled_from(WORDS), max_size=1))
def test_the_phrase_counts_add_up_to_the_total_and_agree_with_the_line_said(
    secretaries: CorpusIndex, phrase: list[str], rest: list[str],
):
    results = secretaries.search(" ".join([f'"{" ".join(phrase)}"', *rest]))
    data = results.to_dict()
    if data["phrase_matches"] is None:
        assert data["phrase_inside"] is data["phrase_apart"] is None
        return
    assert (data["phrase_matches"] + data["phrase_inside"] + data["phrase_apart"]
            + (data["related_only"] or 0)) == data["total"]
    assert bool(data["phrase_inside"]) == bool(data["phrase_inside_terms"])
    line = next(iter(how_held(results)), "")
    if data["phrase_inside"] and data["phrase_matches"]:
        assert f"{data['phrase_inside']} write" in line  # (the line says the same number)


def test_the_json_names_the_boilerplate_line_a_word_not_found_stands_in(gazette: Path):
    data = _search_json(gazette, "subscribe")
    assert data["not_found"] == ["subscribe"]  # (as before: no document holds it)
    assert data["boilerplate_words"] == [{
        "word": "subscribe", "line": SUBSCRIBE.casefold(), "documents": 4, "more": 0}]
    assert "stands only in a line removed as repeated boilerplate" in _search_text(
        gazette, "subscribe")


def test_a_word_no_file_holds_is_in_no_boilerplate_line(gazette: Path):
    data = _search_json(gazette, "subscribe", "Zanzibar")
    assert data["not_found"] == ["subscribe", "Zanzibar"]
    assert [found["word"] for found in data["boilerplate_words"]] == ["subscribe"]
    assert _search_json(gazette, "budget")["boilerplate_words"] == []


def test_the_library_gives_the_boilerplate_words_of_one_index_or_several(gazette: Path):
    with CorpusIndex.open(gazette) as ix:
        (found,) = ix.search("subscribe").boilerplate_words
        assert (found.word, found.documents) == ("subscribe", 4)
    with MultiIndex([gazette]) as both:
        assert [w.word for w in both.search("subscribe").boilerplate_words] == ["subscribe"]


def test_results_pickled_keep_what_they_tell(secretaries: CorpusIndex, gazette: Path):
    """Results sent from a worker process or kept by a cache are pickled without the
    searcher that counts on first use: what they tell is counted before."""
    results = pickle.loads(pickle.dumps(secretaries.search('"home secretary"')))
    assert (results.phrase_inside, results.phrase_inside_terms, results.phrase_apart) == (
        1, ["Shadow Home Secretary"], 1)
    with CorpusIndex.open(gazette) as ix:
        again = pickle.loads(pickle.dumps(ix.search("subscribe")))
    assert [found.word for found in again.boilerplate_words] == ["subscribe"]


def test_the_json_says_why_a_page_is_empty_apart_from_the_notes(secretaries: CorpusIndex):
    data = _search_json(secretaries.path, "Leeds", "--page", "9")
    assert data["hits"] == [] and len(data["why_empty"]) == 1
    assert data["why_empty"][0].startswith("Page 9 is past the end")
    assert data["notes"] == data["why_empty"]  # (among the notes too, as before)
    assert _search_json(secretaries.path, "Leeds")["why_empty"] == []
