"""Counting each text once (``distinct=True``, ``--distinct``): a corpus often holds the same
article saved twice (100 pairs in the BBC corpus), and count, trends and key-terms count
documents, so a story saved twice weighed twice. With ``distinct`` a text is one document,
by the rule of the index's duplicate report (the title and body word for word, spacing
aside)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli

BUDGET = ("Budget row", "Labour and the Conservatives clashed over the budget.")
NHS = ("Hospital waits", "NHS waiting times fell, the Liberal Democrats said.")
SCHOOLS = ("School funding", "The budget gives schools more, Labour said.")
FARMING = ("Farm subsidies", "Farmers protested against the subsidy cuts.")

#: (id, source, year, text): the budget story saved three times (once in another
#: source, spaced differently), the NHS story twice, the others once
SAVED = [
    ("a/1", "BBC News", 2003, BUDGET),
    ("a/2", "BBC News", 2003, BUDGET),
    ("b/1", "The Guardian", 2004, (BUDGET[0], BUDGET[1].replace(" ", "  \n"))),
    ("a/3", "BBC News", 2003, NHS),
    ("b/2", "The Guardian", 2004, NHS),
    ("a/4", "BBC News", 2004, SCHOOLS),
    ("b/3", "The Guardian", 2004, FARMING),
]


#: twelve football reports, each its own text, with no source or date: the rest of the
#: index key terms compare the matches with
REPORTS = [Document(id=f"c/{n}", title=f"Match report {n}",
                    body=f"The club won {n} games in the league this season.")
           for n in range(12)]


def saved(docs=SAVED) -> list[Document]:
    return [Document(id=doc_id, title=title, body=body, source=source,
                     date=dt.date(year, 6, 1)) for doc_id, source, year, (title, body) in docs]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "distinct-ix", saved() + REPORTS)


def rows(counts) -> list[tuple[str, int, int]]:
    return [(row.value, row.matching, row.documents) for row in counts.rows]


def test_a_story_saved_three_times_counts_three_times_and_once_with_distinct(index):
    assert index.count("budget", by="source").total == 4  # (three copies and schools)
    counts = index.count("budget", by="source", distinct=True)
    assert counts.total == 2
    assert counts.notes == ["2 more documents repeat the text of a match word for word: left "
                            "out (each text counted once)"]


def test_each_text_is_counted_at_its_first_copy_in_the_matches_and_in_all_documents(index):
    """The budget story's first copy is BBC's of 2003; its Guardian copy of 2004 is left out
    of the Guardian's and 2004's documents too, so a share stays of the same documents."""
    assert rows(index.count("budget", by="source", distinct=True)) == [
        ("BBC News", 2, 3), ("The Guardian", 0, 1)]
    assert rows(index.count("budget", by="year", distinct=True)) == [
        ("2003", 1, 2), ("2004", 1, 2)]
    assert rows(index.count("*", by="year", distinct=True)) == [("2003", 2, 2),
                                                                ("2004", 2, 2)]


def test_a_text_whose_first_copy_a_filter_leaves_out_counts_at_the_copy_it_keeps(index):
    counts = index.count("budget", by="source", filters={"source": "The Guardian"},
                         distinct=True)
    assert rows(counts) == [("The Guardian", 1, 3)]


def test_a_text_counts_where_the_filters_keep_its_first_copy_whichever_copy_matches(index):
    """A query of the source field matches the Guardian's copy of the NHS story alone: the
    story counts once, at its first copy the filters keep, the BBC's (the filters, not the
    query, say where a text is counted)."""
    query = "NHS AND source:Guardian"
    assert rows(index.count(query, by="source")) == [("The Guardian", 1, 3), ("BBC News", 0, 4)]
    assert rows(index.count(query, by="source", distinct=True)) == [
        ("BBC News", 1, 3), ("The Guardian", 0, 1)]


def test_without_copies_distinct_changes_nothing_and_says_nothing(index):
    plain = index.count("farmers", by="source")
    once = index.count("farmers", by="source", distinct=True)
    assert rows(plain) == [("The Guardian", 1, 3), ("BBC News", 0, 4)]
    assert rows(once) == [("The Guardian", 1, 1), ("BBC News", 0, 3)]  # (texts, not files)
    assert once.total == plain.total == 1 and once.notes == []


def test_trends_count_each_query_as_count_does(index):
    found = index.trends(["budget", "NHS"], by="source", distinct=True)
    for query, one in zip(["budget", "NHS"], found.counts, strict=True):
        assert rows(one) == rows(index.count(query, by="source", distinct=True))
    assert [(row.value, row.documents, row.matching) for row in found.rows] == [
        ("BBC News", 3, (2, 1)), ("The Guardian", 1, (0, 0))]


def test_key_terms_weigh_each_text_once_and_no_copy_of_a_match_is_among_the_others(index):
    """Saved three times, one story's words (clashed, row) stood in 3 of the 4 matches and
    looked key to the budget; counted once, they are one text's words of 2."""
    plain = index.key_terms("budget", min_documents=1)
    once = index.key_terms("budget", min_documents=1, distinct=True)
    assert (plain.matching, plain.others) == (4, 15)
    assert (once.matching, once.others) == (2, 14)  # (the NHS story once, farming, reports)
    assert {"clashed", "row"} <= {term.word for term in plain}
    assert [(term.word, term.matching, term.others) for term in once] == [
        ("budget", 2, 0), ("Labour", 2, 0)]


def test_key_terms_against_a_query_leave_out_its_copies_of_the_matches(index):
    """Against the budget and the NHS, the Conservatives' story (the budget's, saved three
    times) is compared with the NHS story (saved twice) and the schools story, once each."""
    plain = index.key_terms("Conservatives", against="budget OR NHS", min_documents=1)
    once = index.key_terms("Conservatives", against="budget OR NHS", min_documents=1,
                           distinct=True)
    assert (plain.matching, plain.others) == (3, 3)
    assert (once.matching, once.others) == (1, 2)


@pytest.mark.parametrize("command", [["count", "budget", "--by", "source"],
                                     ["trends", "budget", "NHS", "--by", "source"],
                                     ["key-terms", "budget", "--min-documents", "1"]])
def test_the_commands_count_each_text_once_with_distinct_and_say_how_many_copies_they_left_out(
        index, command):
    plain = CliRunner().invoke(cli, [*command, "--index", str(index.path)])
    once = CliRunner().invoke(cli, [*command, "--distinct", "--index", str(index.path)])
    assert plain.exit_code == once.exit_code == 0
    assert "repeat the text of a match" not in plain.output
    assert "2 more documents repeat the text of a match word for word" in once.output
    assert once.output != plain.output


STORIES = [BUDGET, NHS, SCHOOLS, FARMING]


#: a corpus of up to 8 of the STORIES, each saved from one of two sources (some twice)
SAVED_STORIES = st.lists(st.tuples(st.sampled_from(STORIES), st.sampled_from(["BBC", "Guardian"])),
                         min_size=1, max_size=8)


def saved_documents(stories: list[tuple[tuple[str, str], str]]) -> list[Document]:
    return [Document(id=f"d/{n}", title=title, body=body, source=where)
            for n, ((title, body), where) in enumerate(stories)]


@settings(max_examples=15, deadline=None)
@given(SAVED_STORIES,
       st.sampled_from(["budget", "Labour", "NHS OR farmers", "*"]),
       st.sampled_from([None, "BBC", "Guardian"]))
def test_a_distinct_count_is_the_number_of_different_texts_matching(
        tmp_path_factory, stories, query, source):
    documents = saved_documents(stories)
    with CorpusIndex(tmp_path_factory.mktemp("distinct") / "ix") as ix:
        ix.add_documents(documents)
        filters = {"source": source} if source else None
        matched = {doc.id for doc in documents} if query == "*" else {
            hit.id for hit in ix.search(query, filters=filters, limit=100).hits}
        kept = [doc for doc in documents if source in (None, doc.source)]
        texts = {(doc.title, doc.body) for doc in kept if doc.id in matched}
        counts = ix.count(query, by="source", filters=filters, distinct=True)
        assert counts.total == len(texts)
        assert sum(row.documents for row in counts.rows) == len(
            {(doc.title, doc.body) for doc in kept})



def test_a_concordance_shows_each_text_once_from_the_documents_a_distinct_count_counts(index):
    """The budget story saved three times gave its line three times; with ``distinct`` it
    gives the lines of its first copy, and the concordance's documents are the count's."""
    plain = index.concordance("budget")
    once = index.concordance("budget", distinct=True)
    assert sorted(line.id for line in plain) == ["a/1", "a/2", "a/4", "b/1"]
    assert sorted(line.id for line in once) == ["a/1", "a/4"]
    assert once.documents == index.count("budget", by="source", distinct=True).total == 2
    assert once.notes == ["2 more documents repeat the text of a match word for word: left "
                          "out (each text counted once)"]


def test_a_literal_concordance_shows_each_text_once_too(index):
    once = index.concordance("budget", literal=True, distinct=True)
    assert sorted(line.id for line in once) == ["a/1", "a/4"]
    assert once.documents == index.count("budget", by="source", literal=True,
                                         distinct=True).total == 2


def exported(index, query: str, **options) -> tuple[object, list[dict]]:
    report, text = index.export_text(query, format="jsonl", **options)
    return report, [json.loads(line) for line in "".join(text).splitlines()]


def test_an_export_each_text_once_leaves_out_the_rows_that_repeat_one_before_them(index):
    """Without ``distinct`` a copy's row names the row it repeats (``same_as``); with it,
    those rows are left out, a note says how many, and the rest are as they were."""
    _, plain = exported(index, "budget")
    report, once = exported(index, "budget", distinct=True)
    assert len(plain) == 4
    assert [row for row in plain if row["same_as"] is None] == once
    assert [row["id"] for row in once] in (["a/1", "a/4"], ["a/4", "a/1"])
    assert report.documents == 2
    assert report.notes == ["2 more documents repeat the text of a document written before "
                            "it word for word: left out (each text written once)"]


def test_an_export_of_what_count_counts_each_text_once_has_the_rows_a_distinct_count_counts(
        index):
    for query, filters in [("budget", None), ("NHS AND source:Guardian", None),
                           ("budget", {"source": "The Guardian"}), ("*", None)]:
        counts = index.count(query, by="source", filters=filters, distinct=True)
        report, rows = exported(index, query, filters=filters, counted=True, distinct=True)
        assert len(rows) == report.documents == counts.total, query


def test_export_distinct_is_a_flag(index):
    from corpus_search.errors import ExportError

    with pytest.raises(ExportError, match="distinct"):
        index.export_text("budget", distinct="yes")


def test_the_concordance_and_export_commands_take_distinct(index, tmp_path):
    run = CliRunner().invoke
    once = run(cli, ["concordance", "budget", "--distinct", "--json", "--index",
                     str(index.path)])
    assert once.exit_code == 0, once.output
    assert sorted(line["id"] for line in json.loads(once.output)["lines"]) == ["a/1", "a/4"]
    written = run(cli, ["export", "budget", str(tmp_path / "once.jsonl"), "--distinct",
                        "--index", str(index.path)])
    assert written.exit_code == 0, written.output
    assert "Wrote 2 documents" in written.output
    assert "2 more documents repeat the text of a document written before it" in " ".join(
        written.output.split())
    assert len((tmp_path / "once.jsonl").read_text(encoding="utf-8").splitlines()) == 2


@settings(max_examples=10, deadline=None)
@given(SAVED_STORIES,
       st.sampled_from(["budget", "Labour", "NHS OR farmers"]),
       st.sampled_from([None, "BBC", "Guardian"]))
def test_concordance_and_export_each_text_once_agree_with_the_distinct_count(
        tmp_path_factory, stories, query, source):
    documents = saved_documents(stories)
    with CorpusIndex(tmp_path_factory.mktemp("distinct-tools") / "ix") as ix:
        ix.add_documents(documents)
        filters = {"source": source} if source else None
        total = ix.count(query, by="source", filters=filters, distinct=True).total
        assert ix.concordance(query, filters=filters, distinct=True).documents == total
        assert len(exported(ix, query, filters=filters, counted=True, distinct=True)[1]) == total
        found = {hit.id for hit in ix.search(query, filters=filters, limit=100).hits}
        texts = {(doc.title, doc.body) for doc in documents if doc.id in found}
        assert len(exported(ix, query, filters=filters, distinct=True)[1]) == len(texts)


RESEARCH = {"concordance": "concordance", "count": "count", "trends": "trends",
            "key-terms": "key_terms", "export": "export"}


@pytest.mark.parametrize("command", RESEARCH)
def test_each_research_tool_takes_distinct_and_literal_in_the_library_and_the_command(command):
    """The research tools agree on what they offer: each counts each text once, and reads
    its query as written, when asked, by the same names."""
    import inspect

    from corpus_search import MultiIndex

    for kind in (CorpusIndex, MultiIndex):
        taken = inspect.signature(getattr(kind, RESEARCH[command])).parameters
        assert {"distinct", "literal"} <= taken.keys()
    shown = CliRunner().invoke(cli, [command, "--help"])
    assert shown.exit_code == 0
    assert {"--distinct", "--literal"} <= set(shown.output.split())


def test_one_copy_left_out_is_noted_in_the_singular(index):
    # the NHS story is saved twice: its second copy, one document, is left out
    counts = index.count("NHS", by="source", distinct=True)
    assert counts.total == 1
    assert counts.notes == ["1 more document repeats the text of a match word for word: left "
                            "out (each text counted once)"]


def test_two_stories_with_one_body_under_other_titles_are_two_texts(tmp_path):
    # (the titles as long as each other, so the title is what tells them apart)
    body = "Labour and the Conservatives clashed over the budget."
    docs = [Document(id="a", title="Budget row", body=body),
            Document(id="b", title="Budget day", body=body),
            Document(id="c", title="Budget row", body=body)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(docs)
        assert ix.count("budget", distinct=True).total == 2
