"""Specification of the note on a count of a word that counts other words of its stem.

A count reads a word through its stem, as search does: ``government`` counts governing and
governance too. A reader who took the figure for the word's (the guide had said every match
holds the query's word) is told how many of the matches hold only other forms, and which;
the word's plural (or singular) is the word itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.ingest.model import Document
from corpus_search.search.word_forms import NAMED_FORMS, other_forms_note

BODIES = (["The government said no."] * 3 + ["Two governments met today."] * 2
          + ["Governing is hard, he said."] * 2 + ["Governance reform was promised."]
          + ["Tuition fees will rise, the minister said."] * 2
          + ["Rain fell on the hills."] * 10)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("forms") / "ix")
    ix.add_documents([Document(id=f"d{n}", title=f"Story {n}", body=body)
                      for n, body in enumerate(BODIES)])
    yield ix
    ix.close()


def test_a_count_of_a_word_says_how_many_matches_hold_only_other_forms_of_it(index):
    counts = index.count("government")
    assert counts.total == 8  # (government 3, governments 2, governing 2, governance 1)
    assert (counts.other_forms_only, counts.other_forms) == (3, ["governing", "governance"])
    assert ("3 of the 8 documents counted hold government only in other forms of the word "
            "(governing, governance): a count reads a word through its stem, as search does; "
            'to count "government" as written, use --literal (Python: literal=True)'
            ) in counts.notes
    data = counts.to_dict()
    assert (data["other_forms_only"], data["other_forms"]) == (3, ["governing", "governance"])


def test_the_plural_of_the_word_typed_is_the_word_itself(index):
    # ("governments" typed: the three saying "government" write the word, in the singular)
    assert index.count("governments").other_forms_only == 3


def test_key_terms_give_the_count_s_note_so_the_word_s_row_below_100_percent_is_explained(
        index):
    found = index.key_terms("government", min_documents=1)
    assert (found.other_forms_only, found.other_forms) == (3, ["governing", "governance"])
    assert any(note.startswith("3 of the 8 documents counted hold government only")
               for note in found.notes)


@pytest.mark.parametrize("query", ["tuition fees", '"the government"', "Rain"])
def test_a_lexicon_term_a_quoted_phrase_and_a_word_of_one_form_have_no_such_note(index, query):
    counts = index.count(query)
    assert counts.total and counts.other_forms_only is None and counts.other_forms == []


def test_a_literal_count_reads_the_word_as_written_and_has_no_such_note(index):
    counts = index.count("government", literal=True)
    assert counts.total == 3 and counts.other_forms_only is None


@given(st.lists(st.from_regex(r"[a-z]{3,9}", fullmatch=True), min_size=1, max_size=8,
                unique=True), st.integers(min_value=1, max_value=500))
def test_the_note_names_at_most_a_few_forms_and_says_how_many_more(forms, only):
    note = other_forms_note("word", only, only + 10, forms)
    named = note.split("(", 1)[1].split(")", 1)[0]
    assert named.split(" and ")[0].split(", ") == forms[:NAMED_FORMS]
    assert (f" and {len(forms) - NAMED_FORMS} more" in named) == (len(forms) > NAMED_FORMS)
    assert note.startswith(f"{only} of the {only + 10} documents counted ")


def test_one_document_counted_is_said_in_the_singular(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="A", body="Governing is hard.")])
        assert ix.count("government").notes[0].startswith(
            "1 of the 1 document counted holds government only in other forms of the word "
            "(governing)")


def test_a_word_of_a_lexicon_term_the_query_types_gets_no_note_of_its_other_forms(tmp_path):
    # (count "Home Office" on BBC said 5 of its 68 hold Office only as officers or officer:
    # the documents are counted through the term, in the forms the lexicon lists)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="Home", body="The Home Office said no."),
                          Document(id="b", title="Police",
                                   body="The Home Secretary's officers met.")])
        counts = ix.count("Home Office")
        assert counts.total == 2  # (b through the Home Secretary, a narrower term)
        assert counts.other_forms_only is None
        assert not [note for note in counts.notes if "other forms of the word" in note]
        assert ix.count("office").other_forms_only == 1  # (the word alone: b's officers)
