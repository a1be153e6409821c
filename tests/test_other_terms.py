"""A count of a word the lexicon reads as a concept leaves out the documents that write it
only inside other concepts' terms, and its note names those terms, most held first
(corpus_search.search.other_terms)."""

from __future__ import annotations

from corpus_search import CorpusIndex, Document


def test_a_story_writing_the_word_only_inside_two_other_terms_is_left_out_and_they_named(
        tmp_path):
    stories = [
        Document(id="brown", title="Budget", body="Chancellor Gordon Brown set his Budget."),
        Document(id="both", title="Summit",
                 body="German Chancellor Gerhard Schroeder met the Lord Chancellor."),
        Document(id="lord1", title="Judges", body="The Lord Chancellor appointed judges."),
        Document(id="lord2", title="Courts", body="The Lord Chancellor closed two courts."),
    ]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(stories)
        counts = ix.count("Chancellor")
    assert counts.total == 1
    # the Lord Chancellor, in three of the stories left out, is named before the German
    # Chancellor, in one
    assert any(note.startswith("3 documents write Chancellor only inside another term the "
                               "lexicon reads as a concept of its own (Lord Chancellor or "
                               "German Chancellor): left out") for note in counts.notes), \
        counts.notes
