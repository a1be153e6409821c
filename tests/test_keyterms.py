"""Key terms: the words that set the documents a query matches apart from the rest of the
index, in the library (``CorpusIndex.key_terms``) and from the CLI (``corpus-search
key-terms``)."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from conftest import corpus_search_command, needs_shared
from corpus_search import CorpusIndex, Document, MultiIndex, QueryError
from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.cli import cli
from corpus_search.search.engine import engine_for_ranking
from corpus_search.search.filters import SearchFilters
from corpus_search.search.keyterm_tables import concept_forms
from corpus_search.search.keyterms import MIN_LOG_LIKELIHOOD, log_likelihood
from corpus_search.search.matching import matching_documents
from corpus_search.search.ranking import RANKING

TOPICS = ["the railways", "the weather", "farming", "the arts", "football", "the theatre",
          "banking", "fishing", "the budget", "the census", "schools", "housing"]


def documents() -> list[Document]:
    """Eight stories on the Liberal Democrats (a party, its leader, the NHS) among forty on
    other things; "government" stands in every one of them."""
    extras = ["the NHS and a hospital"] * 3 + ["tuition"] * 2 + ["the economy"] * 3
    lib_dem = [
        Document(id=f"ld{n}", title=f"Lib Dem story {n}", source="Party Press",
                 body=f"The Liberal Democrats and Mr Kennedy spoke to the government on {extra}."
                 + (" pension" * 40 if n == 4 else ""))
        for n, extra in enumerate(extras, 1)
    ]
    others = [Document(id=f"o{n}", title=f"Other story {n}", source="Wire",
                       body=f"The government spoke on {TOPICS[n % len(TOPICS)]}. Mr Smith agreed.")
              for n in range(1, 41)]
    return lib_dem + others


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("keyterms") / "ix")
    ix.add_documents(documents())
    yield ix
    ix.close()


def words(found) -> list[str]:
    return [term.word for term in found.terms]


def test_the_words_most_matches_hold_and_few_others_lead(index):
    found = index.key_terms("Liberal Democrats")
    assert found.matching == 8 and found.others == 40
    assert {"Liberal Democrat", "Kennedy"} <= set(words(found)[:5])  # (in all 8, no other)
    kennedy = next(term for term in found.terms if term.word == "Kennedy")
    assert (kennedy.matching, kennedy.others) == (8, 0)
    assert kennedy.matching_share == 1.0 and kennedy.others_share == 0.0


def test_a_party_s_concept_is_one_row_named_as_a_count_by_party_names_the_party(index):
    # "Liberal Democrats" had been two rows, Liberal and Democrats (on BBC, "Lib Dems" five:
    # Dem, Lib, Dems, Democrats and Liberal); its row counts the documents naming the party
    # in any form the lexicon lists, and is named by the party's display name, as the party
    # facet and a count by party name it (it had been named by the form the matches wrote
    # most: "Lib Dem" here, "Liberal Democrats" or "Liberal Democrat" elsewhere, and lists
    # exported to a spreadsheet could not be joined on it)
    found = index.key_terms("Liberal Democrats")
    assert not {"Liberal", "Democrats", "Lib", "Dem", "Lib Dem"} & set(words(found))
    row = next(term for term in found.terms if term.word == "Liberal Democrat")
    assert (row.matching, row.others) == (8, 0)
    assert "Liberal Democrat" in {row.value for row in index.count("*", by="party").rows}


@needs_shared
def test_on_bbc_the_lib_dems_are_one_row_of_the_key_terms_of_tuition_fees(bbc_index):
    found = words(bbc_index.key_terms("tuition fees", limit=30))
    assert "top-up fees" in found and "Liberal Democrat" in found
    assert not {"Lib", "Dem", "Dems", "Democrats", "Liberal", "tuition"} & set(found)
    assert "fees" in found  # (18 other documents hold it: speaking fees, licence fee)


@needs_shared
def test_on_bbc_the_tories_are_one_row_of_the_lib_dems_key_terms_and_democrat_none(bbc_index):
    # Tories, Tory, Conservatives and Conservative had been four rows, and "Democrat", 60 of
    # whose 61 matches say it only in "Liberal Democrat", a fifth row for the party
    found = bbc_index.key_terms("Lib Dems", limit=40)
    assert words(found)[:2] == ["Liberal Democrat", "Conservative"]
    assert not {"Tory", "Tories", "Conservatives", "Democrat", "Democrats"} & set(
        words(found))
    assert "party" in words(found)  # (a word of "Tory Party" that most texts use alone)


@pytest.fixture(scope="module")
def tory_index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    """Nine budget stories naming the Conservatives in their three ways, and the Liberal
    Democrats in every one, among thirty on other things; one of those names a Democrat
    senator, another the Labour Party."""
    names = ["the Tories", "a Tory MP", "the Conservatives"] * 3
    budget = [Document(id=f"b{n}", title=f"Budget story {n}",
                       body=f"The budget was attacked by {name} and the Liberal Democrat leader.")
              for n, name in enumerate(names)]
    others = [Document(id=f"o{n}", title=f"Other story {n}",
                       body=f"The weather was wet on {TOPICS[n % len(TOPICS)]}.")
              for n in range(30)]
    others[0] = Document(id="o0", title="US story", body="A Democrat senator spoke.")
    others[1] = Document(id="o1", title="Party story", body="The Labour Party met.")
    ix = CorpusIndex(tmp_path_factory.mktemp("tories") / "ix")
    ix.add_documents(budget + others)
    yield ix
    ix.close()


def test_a_concept_several_words_name_is_one_row_named_as_the_party(tory_index):
    found = tory_index.key_terms("budget")
    tories = [t for t in found.terms
              if t.word in {"Tories", "Tory", "Conservatives", "Conservative"}]
    # (each written by three)
    assert [(t.word, t.matching, t.others) for t in tories] == [("Conservative", 9, 0)]


def test_a_word_of_a_concepts_name_nearly_only_its_documents_hold_is_part_of_its_row(
    tory_index,
):
    # "Democrat" stands in the nine matches only in "Liberal Democrat", and in one other
    # document (a US senator's): it is the party's row, not one of its own
    found = words(tory_index.key_terms("budget"))
    assert "Liberal Democrat" in found
    assert not {"Democrat", "Liberal"} & set(found)


def test_a_word_standing_only_inside_a_concept_is_no_row_when_the_concept_is_not_telling(
        tmp_path: Path):
    # Six fee stories quote "the Lib Dem spokesman"; twenty others name "the Lib Dems". The
    # party is about as common on both sides (no row), but its word "Dem", as written, only
    # in the six: it had been a row of its own (BBC, "tuition fees" among Labour's stories:
    # "Dem", 7 of the 12), a word that says only what the concept says, which says nothing
    fees = [Document(id=f"f{n}", title=f"Fees {n}",
                     body="Tuition fees will rise, said the Lib Dem spokesman.")
            for n in range(6)]
    others = [Document(id=f"o{n}", title=f"Other {n}",
                       body=f"The Lib Dems spoke on {TOPICS[n % len(TOPICS)]}.")
              for n in range(20)]
    others += [Document(id=f"w{n}", title=f"Weather {n}", body=f"Rain fell on day {n}.")
               for n in range(10)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(fees + others)
        found = ix.key_terms("fees", against="*", min_documents=2, limit=100)
    assert found.matching == 6 and "spokesman" in words(found)
    assert not {"Dem", "Lib", "Liberal Democrat"} & set(words(found))


@needs_shared
def test_on_bbc_the_tuition_fee_stories_among_labour_s_have_no_row_dem(bbc_index):
    found = words(bbc_index.key_terms("tuition fees", filters={"party": "Labour"},
                                      against="*"))
    assert "university" in found and "Dem" not in found


def test_words_are_counted_in_documents_not_in_occurrences(index):
    # "pension" forty times in one story is one document: fewer than the three a key term
    # stands in; "hospital" once in each of three stories is a key term
    found = index.key_terms("Liberal Democrats")
    assert "pension" not in words(found)
    assert "hospital" in words(found)
    # (nor is it with no least number of documents: one document is weak evidence)
    assert "pension" not in words(index.key_terms("Liberal Democrats", min_documents=1))


def test_a_word_as_common_elsewhere_is_no_key_term(index):
    assert "government" not in words(index.key_terms("Liberal Democrats"))


def test_forms_of_address_and_stop_words_are_never_key_terms(index):
    found = index.key_terms("Liberal Democrats", min_documents=1, limit=100)
    assert not {"Mr", "mr", "the", "The", "and", "on"} & set(words(found))


def test_a_word_is_shown_as_the_matching_documents_write_it(index):
    assert "NHS" in words(index.key_terms("Liberal Democrats"))


def test_each_key_term_reaches_the_keyness_bar_and_they_come_most_telling_first(index):
    found = index.key_terms("Liberal Democrats", min_documents=1, limit=100)
    scores = [term.log_likelihood for term in found.terms]
    assert scores == sorted(scores, reverse=True)
    assert min(scores) >= MIN_LOG_LIKELIHOOD
    assert all(term.matching / 8 > term.others / 40 for term in found.terms)


def test_the_limit_keeps_the_first_terms(index):
    every = words(index.key_terms("Liberal Democrats", limit=100))
    assert words(index.key_terms("Liberal Democrats", limit=2)) == every[:2]


def test_the_log_ratio_is_how_many_times_more_common_as_a_binary_log(index):
    found = index.key_terms("Liberal Democrats")
    for term in found.terms:
        others = max(term.others, 0.5)  # (none elsewhere counts as half a document)
        assert term.log_ratio == pytest.approx(math.log2((term.matching / 8) / (others / 40)))


def test_the_log_likelihood_is_dunnings_g2_of_the_two_by_two_table():
    # G2 = 2 (sum O ln O - sum rows R ln R - sum columns C ln C + N ln N), another way to write
    # it: a word in 10 of 20 matches and 5 of 80 others
    cells, rows, columns, total = [10, 5, 10, 75], [15, 85], [20, 80], 100

    def xlogx(values):
        return sum(v * math.log(v) for v in values if v)

    expected = 2 * (xlogx(cells) - xlogx(rows) - xlogx(columns) + xlogx([total]))
    assert log_likelihood(10, 20, 5, 80) == pytest.approx(expected)


@given(st.integers(1, 500), st.integers(1, 500), st.data())
def test_the_log_likelihood_is_never_negative_and_zero_when_both_sets_hold_a_word_alike(
        n1, n2, data):
    a = data.draw(st.integers(0, n1))
    b = data.draw(st.integers(0, n2))
    g2 = log_likelihood(a, n1, b, n2)
    assert g2 >= -1e-9
    assert log_likelihood(b, n2, a, n1) == pytest.approx(g2)  # the two sets swapped
    assert log_likelihood(a, n1, a * n2 // n1 if a * n2 % n1 == 0 else b, n2) >= -1e-9
    assert log_likelihood(a, n1, a, n1) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("query", ["Liberal Democrats", "Lib Dems", "NHS OR tuition",
                                   "government AND NOT tuition", "hosp*", "Kenedy"])
def test_the_matching_documents_are_those_a_search_counts(index, query):
    assert index.key_terms(query).matching == index.search(query).total


def test_filters_narrow_the_matches_and_a_star_takes_every_document_they_keep(index):
    found = index.key_terms("*", filters={"source": "Party Press"})
    assert (found.matching, found.others) == (8, 40)
    assert words(found)[:3] == words(index.key_terms("Liberal Democrats"))[:3]
    assert index.key_terms("NHS", filters={"source": "Wire"}).matching == 0


def test_filters_and_no_query_take_every_document_they_keep_as_a_star_does(index):
    # (key-terms --party ... alone was an error, where search lists what the filters keep)
    kept = {"source": "Party Press"}
    assert index.key_terms("", filters=kept).to_dict() == index.key_terms(
        "*", filters=kept).to_dict()


def test_a_query_matching_every_document_or_none_given_is_a_query_error(index):
    with pytest.raises(QueryError, match="no others to compare them with"):
        index.key_terms("*")
    with pytest.raises(QueryError, match="need a query"):
        index.key_terms("  ")
    with pytest.raises(QueryError, match="limit"):
        index.key_terms("NHS", limit=0)


def test_against_a_query_compares_with_the_documents_it_matches_and_the_query_does_not(index):
    rest = index.key_terms("NHS")
    assert (rest.matching, rest.others) == (3, 45) and "Kennedy" in words(rest)
    party = index.key_terms("NHS", against="Liberal Democrats")
    assert (party.matching, party.others) == (3, 5)
    assert "Kennedy" not in words(party)  # (every Lib Dem story names him)
    assert party.to_dict()["against"] == "Liberal Democrats"


def test_against_star_compares_with_the_other_documents_the_filters_keep(index):
    found = index.key_terms("NHS", against="*", filters={"source": "Party Press"})
    assert (found.matching, found.others) == (3, 5)


def test_an_against_query_with_nothing_besides_the_matches_is_a_query_error(index):
    with pytest.raises(QueryError, match="hospital matches no document the query does not"):
        index.key_terms("NHS", against="hospital")
    with pytest.raises(QueryError, match="against needs a query"):
        index.key_terms("NHS", against=" ")


@pytest.mark.parametrize("query, filters", [
    ("NHS", {"party": "Whig"}),  # a filter that keeps no document
    ("NHS", {"source": "Wire"}),  # filters that keep none of the query's matches
])
def test_key_terms_of_nothing_say_why_as_search_does(index, query, filters):
    found = index.key_terms(query, filters=filters)
    assert found.matching == 0
    assert found.why_empty == index.search(query, filters=filters).why_empty != []
    assert found.to_dict()["notes"] == found.why_empty


def test_the_notes_on_how_the_query_was_read_are_search_s(index):
    found = index.key_terms('"Liberal Democrats')  # (an unpaired quote, left out)
    assert found.notes == index.search('"Liberal Democrats').notes != []
    assert found.to_dict()["notes"] == found.notes and found.matching == 8


def test_an_against_query_of_a_word_no_document_holds_says_so_and_what_was_meant(index):
    # (searched as typed: a misspelling matches nothing, and the error says why)
    with pytest.raises(QueryError, match=r"so there are none to compare with: no document "
                                         r"holds Kenedy \(did you mean Kennedy\?\)\.$"):
        index.key_terms("NHS", against="Kenedy")
    with pytest.raises(QueryError, match=r"none to compare with\.$"):
        index.key_terms("NHS", against="hospital")  # (every word held: nothing to add)


def test_a_misspelt_word_is_searched_as_its_correction_and_says_so(index):
    found = index.key_terms("Kenedy")
    assert found.suggestion == "Kennedy" and found.suggestion_applied
    assert found.matching == 8
    assert index.key_terms("Kenedy", correct=False).matching == 0


def test_a_deleted_document_counts_nowhere(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(documents())
        ix.delete(["ld1", "o1"])
        found = ix.key_terms("Liberal Democrats")
        assert (found.matching, found.others) == (7, 39)
        kennedy = next(term for term in found.terms if term.word == "Kennedy")
        assert (kennedy.matching, kennedy.others) == (7, 0)


def held_by(ix: CorpusIndex, word: str) -> set[int]:
    """The live documents whose ``words`` field holds ``word`` in any form, or, for a
    lexicon concept's row ("Liberal Democrats"), whose title or body holds its concept, from
    postings."""
    engine = engine_for_ranking(ix.searcher(), RANKING)
    concepts = [c for c, forms in concept_forms(ix.lexicon).items()
                if tuple(word.split()) in forms]
    if concepts:
        return {int(d) for f in ("title", "body") for d in engine.term(f, concepts[0]).docs}
    return {int(d) for form in engine.lexicon(WORDS_FIELD)
            if form.decode().lower() == word.lower()
            for d in engine.term(WORDS_FIELD, form).docs}


@pytest.mark.parametrize("deleted", [[], ["ld1", "o1", "o2"]])
def test_every_count_is_what_the_index_holds(tmp_path: Path, deleted):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(documents())
        ix.add_documents([Document(id="ld9", title="LIBERAL NEWS", body="LABOUR and KENNEDY")])
        if deleted:
            ix.delete(deleted)
        found = ix.key_terms("Liberal Democrats", min_documents=1, limit=1000)
        # (the documents count counts: search's, less ld9, which holds "Liberal" alone)
        with ix.guard():
            matching = set(np.flatnonzero(matching_documents(
                ix, ix.searcher(), "Liberal Democrats", SearchFilters(), RANKING).matching))
        assert found.matching == len(matching) == ix.search("Liberal Democrats").total - 1
        assert found.terms
        for term in found.terms:
            holding = held_by(ix, term.word)
            assert (term.matching, term.others) == (len(holding & matching),
                                                    len(holding - matching)), term.word


@pytest.mark.parametrize("deleted", [[], ["ld1", "o1", "o2"]])
@pytest.mark.parametrize("query", ["Smith", "Liberal Democrats"])
def test_only_the_texts_of_the_fewer_side_are_read_and_the_counts_are_what_the_index_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deleted, query
):
    """The term dictionary counts the documents holding each word, so the texts read are
    those of the matches or of the others, whichever are fewer (and the deleted documents',
    which it still counts): "Smith" matches 40 of the 48 stories, and its key terms read the
    8 others. (Key terms of "said" read 1,888 of the 2,225 BBC articles: 0.4 s of 0.5.)"""
    from corpus_search.search import keyterms

    read: list[int] = []
    body = keyterms.document_body
    monkeypatch.setattr(keyterms, "document_body",
                        lambda searcher, docnum: read.append(docnum) or body(searcher, docnum))
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(documents())
        if deleted:
            ix.delete(deleted)
        found = ix.key_terms(query, min_documents=1, limit=1000)
        with ix.guard():
            matching = set(np.flatnonzero(matching_documents(
                ix, ix.searcher(), query, SearchFilters(), RANKING).matching))
        assert len(read) == min(found.matching, found.others) + len(deleted)
        assert found.terms
        for term in found.terms:
            holding = held_by(ix, term.word)
            assert (term.matching, term.others) == (len(holding & matching),
                                                    len(holding - matching)), term.word


def test_several_indexes_give_the_key_terms_of_one_holding_them_all(tmp_path: Path):
    docs = documents()
    with CorpusIndex(tmp_path / "one") as one, CorpusIndex(tmp_path / "two") as two, \
            CorpusIndex(tmp_path / "both") as both:
        one.add_documents(docs[::2])
        two.add_documents(docs[1::2])
        both.add_documents(docs)
    with MultiIndex([tmp_path / "one", tmp_path / "two"]) as merged, \
            CorpusIndex.open(tmp_path / "both") as single:
        assert merged.key_terms("Liberal Democrats").to_dict() == \
            single.key_terms("Liberal Democrats").to_dict()


# -- the command --------------------------------------------------------------------------------


def run(index: CorpusIndex, *args: str):
    return CliRunner().invoke(cli, ["key-terms", *args, "--index", str(index.path)])


def test_the_command_prints_a_table_of_the_key_terms(index):
    result = run(index, "Liberal", "Democrats", "-n", "3")
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[0] == "8 documents match Liberal Democrats, against the 40 others of the index"
    assert lines[1].split() == ["word", "matching", "others", "log", "ratio", "keyness"]
    assert len(lines) == 5
    kennedy = next(line.split() for line in lines if line.startswith("Kennedy"))
    assert kennedy[1:5] == ["8", "100.0%", "0", "0.0%"]


def test_the_command_names_what_the_matches_are_compared_with(index):
    assert run(index, "NHS", "--against", "Liberal Democrats").output.splitlines()[0] == (
        "3 documents match NHS, against the 5 matching Liberal Democrats (and not the query)")
    assert run(index, "NHS", "--against", "*", "--source", "Party Press").output.splitlines()[
        0] == "3 documents match NHS, against the 5 others the filters keep"
    # (with no filter, "*" keeps every document: the rest of the index, and said so)
    assert run(index, "NHS", "--against", "*").output.splitlines()[0] == (
        "3 documents match NHS, against the 45 others of the index")


def test_csv_and_json_give_every_figure(index):
    table = list(csv.DictReader(io.StringIO(run(index, "Liberal Democrats", "--csv").stdout)))
    assert list(table[0]) == ["word", "matching", "matching_share", "others", "others_share",
                              "log_likelihood", "log_ratio"]
    data = json.loads(run(index, "Liberal Democrats", "--json").output)
    assert data["matching"] == 8 and data["others"] == 40
    assert [t["word"] for t in data["terms"]] == [row["word"] for row in table]


def test_no_match_exits_1_and_says_so(index):
    result = run(index, "zzqqxx", "--exact")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "No documents match zzqqxx."


def test_the_command_prints_why_nothing_matched_and_how_the_query_was_read(index):
    result = run(index, "NHS", "--source", "Wire")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "No documents match NHS.",
        *index.search("NHS", filters={"source": "Wire"}).why_empty]
    note = index.search('"Liberal Democrats').notes[0]
    assert run(index, '"Liberal Democrats').output.splitlines()[0] == f"note {note}"


def test_matches_without_a_key_term_say_so_and_exit_1(index):
    # (seven stories, on farming or on fishing: no word stands in all of them)
    result = run(index, "farming OR fishing", "--min-documents", "40")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "No word is clearly more common among them than elsewhere (in at least 7 of them).")


def test_a_query_matching_everything_is_one_line_and_exit_2(index):
    result = subprocess.run([*corpus_search_command(), "key-terms", "*", "--index",
                             str(index.path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: The query matches every document of the index, so there are no others to "
        "compare them with: narrow it, or filter."]
    assert result.stdout == ""


def test_several_indexes_are_named_as_such(tmp_path: Path):
    docs = documents()
    for name, part in (("one", docs[::2]), ("two", docs[1::2])):
        with CorpusIndex(tmp_path / name) as ix:
            ix.add_documents(part)
    result = CliRunner().invoke(cli, ["key-terms", "Liberal Democrats", "--index",
                                      str(tmp_path / "one"), "--index", str(tmp_path / "two")])
    assert result.output.splitlines()[0] == (
        "8 documents match Liberal Democrats, against the 40 others of the indexes")


def test_a_concept_row_is_never_named_like_the_word_row_beside_it(tmp_path: Path):
    # "Chancellor" (capitalised) is a form of the Chancellor of the Exchequer; the word
    # "chancellor", which a university's chancellor holds too, stays a row of its own: the
    # concept's row had been named "Chancellor", under the word row "chancellor". Now that
    # "Exchequer" alone is no form of his, one word alone names the concept, which is that
    # word's row (keyterm_tables.concept_forms), as Labour is
    budget = [Document(id=f"c{n}", title=f"Budget {n}", body="The Chancellor set the budget.")
              for n in range(4)]
    budget += [Document(id=f"u{n}", title=f"University {n}",
                        body="the university's chancellor spoke on the budget and the chancellor "
                             "of another university did too.") for n in range(8)]
    others = [Document(id=f"o{n}", title=f"Other {n}", body=f"Rain fell on day {n}.")
              for n in range(30)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(budget + others)
        found = words(ix.key_terms("budget", min_documents=2))
    assert "chancellor" in found
    assert "Chancellor" not in found and "Chancellor of the Exchequer" not in found


def test_a_concept_row_named_by_a_word_with_a_row_of_its_own_takes_the_lexicons_full_name(
        tmp_path: Path):
    # LCD (cased) is a form of the Ministry of Justice (the Lord Chancellor's Department);
    # the word "lcd" of lcd screens, which more of the matches hold, is a row of its own. The
    # form the matches hold most is then no name for the concept's row: the lexicon's first
    # form is, its full name
    budget = [Document(id=f"c{n}", title=f"Budget {n}", body="The LCD set the budget.")
              for n in range(6)]
    budget += [Document(id=f"u{n}", title=f"Screen {n}", body="the lcd screen showed the budget.")
               for n in range(8)]
    others = [Document(id=f"o{n}", title=f"Other {n}", body=f"Rain fell on day {n}.")
              for n in range(30)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(budget + others)
        found = {term.word: term for term in ix.key_terms("budget", min_documents=2).terms}
    assert found["lcd"].matching == 14
    assert found["Ministry of Justice"].matching == 6
    assert "LCD" not in found


def test_the_json_of_key_terms_names_the_query_its_comparison_and_each_figure_to_6_places(
        index):
    data = index.key_terms("Liberal Democrats", against="government").to_dict()
    assert {k: data[k] for k in ("query", "against", "matching", "others", "distinct")} == {
        "query": "Liberal Democrats", "against": "government", "matching": 8, "others": 40,
        "distinct": False}
    for term in data["terms"]:
        for name in ("matching_share", "others_share", "log_likelihood", "log_ratio"):
            assert term[name] == round(term[name], 6)
    share = next(t for t in data["terms"] if t["word"] == "Kennedy")["matching_share"]
    assert share == 1.0
    ratio = [t for t in index.key_terms("Liberal Democrats").terms if t.word == "NHS"]
    assert [t.to_dict()["log_ratio"] for t in ratio] == [round(t.log_ratio, 6) for t in ratio]
    assert ratio and ratio[0].log_ratio != round(ratio[0].log_ratio, 6)


def test_an_against_query_of_several_words_no_document_holds_names_them_all(index):
    with pytest.raises(QueryError, match=r"no document holds zzyzx, qwxv\.$"):
        index.key_terms("NHS", against="zzyzx qwxv")


def test_key_terms_shown_in_a_python_session_read_as_the_command_prints_them(index):
    assert repr(index.key_terms("Kennedy", against="government", limit=1)).splitlines() == [
        "KeyTerms('Kennedy': 8 matching documents against 40 others, those of 'government')",
        "  Kennedy: 8 matching (100.0%), 0 others (0.0%), keyness 43.3"]
    assert ("  Kennedy: 3 matching (100.0%), 5 others (11.1%), keyness 11.9"
            in repr(index.key_terms("NHS")).splitlines())
    assert repr(index.key_terms("pension", limit=1)).splitlines() == [
        "KeyTerms('pension': 1 matching document against 47 others, the rest)",
        "  (No word is clearly more common among them than elsewhere.)"]
