"""A count of several words typed plainly counts the documents holding any of them, as search
finds them: documented, but a researcher counting ``interest rates`` on the BBC corpus read
449 as the phrase's figure (69; 91 hold both words). Count and trends now say so in a note,
with the phrase's figure and all the words', and so do key terms and a concordance, whose
documents are the count's."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from conftest import index_of
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli

DOCUMENTS = [
    Document(id="n/1", title="Rates rise", body="Interest rates rose again.", source="BBC"),
    Document(id="n/2", title="Bank move", body="The bank raised its rates.", source="BBC"),
    Document(id="n/3", title="Pay", body="An interest in the rates of pay.", source="FT"),
    Document(id="n/4", title="Inquiry", body="It is in the public interest.", source="FT"),
    Document(id="n/5", title="Tories", body="Michael Howard spoke on interest rates.",
             source="FT"),
    Document(id="n/6", title="Football", body="Michael Owen scored; Howard Webb refereed.",
             source="BBC"),
    Document(id="n/7", title="Lib Dems", body="The Lib Dems want lower taxes.", source="BBC"),
]

NOTE = ("interest rates counts the documents holding any of its words (5), as search finds "
        'them: "interest rates" counts the phrase (2), interest AND rates all of them (3)')


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "any-words-ix", DOCUMENTS)


def test_a_count_of_two_words_says_it_counts_either_and_gives_the_phrase_and_both(index):
    counts = index.count("interest rates", by="source")
    assert counts.total == 5
    assert NOTE in counts.notes


def test_the_figures_the_note_gives_are_what_count_gives_for_those_queries(index):
    for query, filters in [("interest rates", None), ("interest rates", {"source": "FT"}),
                           ("rates rose", None)]:
        [note] = [n for n in index.count(query, by="source", filters=filters).notes
                  if "any of its words" in n]
        phrase, every = re.search(r': (".*") counts the phrase \((\d+)\), (.*) all of them '
                                  r"\((\d+)\)$", note).group(1, 3)
        figures = [int(n) for n in re.findall(r"\((\d+)\)", note)]
        assert figures == [index.count(q, by="source", filters=filters).total
                           for q in (query, phrase, every)]


def test_a_term_of_the_lexicon_typed_beside_a_word_is_one_of_the_words_joined(index):
    [note] = [n for n in index.count("Lib Dems interest", by="source").notes
              if "any of its words" in n]
    assert note.endswith("Lib Dems AND interest all of them (0)")


@pytest.mark.parametrize("query", [
    "interest",                 # one word
    '"interest rates"',         # the phrase
    "interest AND rates",       # every word, said so
    "interest OR rates",        # either, said so
    "Michael Howard",           # a name counts where all its words are
    "Lib Dems",                 # a term of the lexicon is one
    "interest -rates",          # an operator
    "source:FT rates",          # a field (its own note)
])
def test_no_note_where_the_query_says_how_its_words_go_together_or_counts_them_all(
        index, query):
    assert not [note for note in index.count(query, by="source").notes
                if "any of its words" in note]


def test_a_phrase_no_document_holds_is_not_offered(index):
    [note] = [n for n in index.count("rates Howard", by="source").notes
              if "any of its words" in n]
    assert note == ("rates Howard counts the documents holding any of its words (5), as "
                    "search finds them: rates AND Howard all of them (1)")


def test_the_commands_print_the_note_and_trends_name_its_query(index):
    counted = CliRunner().invoke(cli, ["count", "interest rates", "--by", "source",
                                       "--index", str(index.path)])
    assert counted.exit_code == 0
    assert f"note {NOTE}" in " ".join(counted.output.split())
    compared = CliRunner().invoke(cli, ["trends", "interest rates", "pay", "--by", "source",
                                        "--index", str(index.path)])
    assert compared.exit_code == 0
    assert "note interest rates counts the documents holding any of its words (5)" in " ".join(
        compared.output.split())
    assert index.trends(["interest rates", "pay"], by="source").counts[0].notes == [NOTE]


def test_counted_with_each_text_once_the_figures_are_each_text_once(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([*DOCUMENTS, Document(id="n/8", title="Rates rise",
                                               body="Interest rates rose again.")])
        assert ix.count("interest rates", by="source").notes[-1].endswith(
            '"interest rates" counts the phrase (3), interest AND rates all of them (4)')
        assert ix.count("interest rates", by="source", distinct=True).notes[-1] == NOTE


def test_key_terms_and_a_concordance_of_the_same_documents_give_the_same_note(index):
    """Their documents are those a count counts: the note is the count's, word for word."""
    assert NOTE in index.key_terms("interest rates", min_documents=1).notes
    assert NOTE in index.concordance("interest rates").notes
    filtered = index.count("interest rates", by="source", filters={"source": "FT"}).notes
    assert [n for n in index.key_terms("interest rates", filters={"source": "FT"},
                                       min_documents=1).notes if "any of its words" in n] == [
        n for n in filtered if "any of its words" in n]


@pytest.mark.parametrize("query", ["interest", '"interest rates"', "Michael Howard"])
def test_key_terms_and_a_concordance_say_nothing_where_a_count_says_nothing(index, query):
    for notes in (index.key_terms(query, min_documents=1).notes,
                  index.concordance(query).notes):
        assert not [note for note in notes if "any of its words" in note]


def test_read_as_written_nothing_is_counted_as_any_of_the_words_and_nothing_is_said(index):
    for notes in (index.key_terms("interest rates", min_documents=1, literal=True).notes,
                  index.concordance("interest rates", literal=True).notes,
                  index.count("interest rates", by="source", literal=True).notes):
        assert not [note for note in notes if "any of its words" in note]


@pytest.mark.parametrize("command", [["key-terms", "--min-documents", "1"], ["concordance"]])
def test_the_key_terms_and_concordance_commands_print_the_note(index, command):
    result = CliRunner().invoke(cli, [command[0], "interest rates", *command[1:],
                                      "--index", str(index.path)])
    assert result.exit_code in (0, 1), result.output  # (1: no word telling enough, here)
    assert f"note {NOTE}" in " ".join(result.output.split())


def test_a_query_near_the_length_limit_is_counted_without_the_note_s_longer_readings(index):
    # (its words joined by AND ran past the 1,000 characters a query may have: count, trends,
    # key-terms and concordance refused 120 words of 839 characters that search took)
    words = " ".join(["interest", "rates", "pay", "bank"] * 40)
    assert len(words) < 1_000 < len(" AND ".join(words.split()))
    counts = index.count(words)
    assert counts.total == index.search(words).total == 5
    assert not any("counts the documents holding any of its words" in n for n in counts.notes)
