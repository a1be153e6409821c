"""Concordance (keyword in context): every place a query matches, with the words either side,
in the library (``CorpusIndex.concordance``) and from the CLI (``corpus-search concordance``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_search_command, index_of, plp_stories
from corpus_search import Concordance, CorpusIndex, Document, QueryError
from corpus_search.cli import cli
from corpus_search.cli import concordance as concordance_cli

DOCUMENTS = [
    Document(id="kennedy", title="Kennedy on tour", date=dt.date(2005, 4, 2),
             body="The Liberal Democrats began a tour on Monday. A Lib Dem spokesman said "
                  "the party had won the Leicester South by-election last year.\n\nThe Lib "
                  "Dems say the general   election\nis a three-way race."),
    Document(id="privat", title="Sell-offs", date=dt.date(2004, 11, 5),
             body="The privatisation of the railways was debated. Ministers ruled out "
                  "privatising the Post Office before the general election."),
    Document(id="words", title="Election night", date=dt.date(2005, 5, 6),
             body="A general mood of gloom: the election went badly, and the general "
                  "secretary spoke. The Conservatives held the seat."),
    Document(id="blair", title="Blair's third term", date=dt.date(2005, 5, 7),
             body="Tony Blair won a third term. Mr Blair said the term ahead would be his "
                  "last; a third of voters backed Labour."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "concordance-ix", DOCUMENTS)


def flat(text: str) -> str:
    """``text`` with each run of white space one space, as concordance lines show it."""
    return re.sub(r"\s+", " ", text)


def matches(result: Concordance) -> list[tuple[str, str]]:
    return [(line.id, line.match) for line in result.lines]


def test_a_concordance_of_lib_dems_shows_each_way_the_texts_write_the_party(index):
    result = index.concordance("Lib Dems")
    assert matches(result) == [("kennedy", "Liberal Democrats"), ("kennedy", "Lib Dem"),
                               ("kennedy", "Lib Dems")]
    first = result.lines[0]
    assert (first.left, first.right[:24]) == ("The ", " began a tour on Monday.")
    assert result.documents == result.documents_read == 1 and not result.truncated


def test_each_line_is_the_body_around_its_match_with_white_space_shown_as_one_space(index):
    bodies = {d.id: d.body for d in DOCUMENTS}
    for line in index.concordance("election", width=30).lines:
        body = bodies[line.id]
        assert line.match == " ".join(body[line.start:line.end].split())
        assert len(line.left) <= 30 and len(line.right) <= 30
        assert "\n" not in line.left + line.match + line.right
    [spread] = [line for line in index.concordance('"general election"').lines
                if line.id == "kennedy"]
    assert spread.match == "general election"  # (three spaces in the text)


def test_context_is_cut_at_a_word_boundary(index):
    [line] = index.concordance("Leicester", width=20).lines
    assert line.left == "party had won the "
    assert line.right == " South by-election"


def test_a_quoted_phrase_shows_where_the_phrase_stands_not_its_words_alone(index):
    found = matches(index.concordance('"general election"'))
    assert ("kennedy", "general election") in found and ("privat", "general election") in found
    assert all(match == "general election" for _id, match in found)


def test_a_phrase_s_words_within_n_of_each_other_are_each_a_place(index):
    """"privatisation election"~12 matches the document holding "privatising ... election"
    7 words apart, and a concordance shows each of the words there (it showed no place: they
    never stand side by side, as a quoted phrase's places had to), in the documents the
    proximity keeps."""
    near = index.concordance('"privatisation election"~12')
    assert near.documents == 1
    assert matches(near) == [("privat", "privatisation"), ("privat", "privatising"),
                             ("privat", "election")]
    assert index.concordance('"privatisation election"').lines == []


def test_words_of_a_phrase_the_query_also_has_unquoted_are_places_too(index):
    found = matches(index.concordance('Blair "third term"'))
    assert ("blair", "third term") in found and ("blair", "Blair") in found
    assert ("blair", "term") not in found and ("blair", "third") not in found


PEOPLE = [
    Document(id="won", title="Victory", date=dt.date(2005, 5, 6),
             body="Tony Blair won. Later Mr Blair thanked the party, and New Labour "
                  "celebrated in the life of the nation."),
    Document(id="dinner", title="Dinner", date=dt.date(2005, 5, 9),
             body="Tony Blair dined with the Labour Party's officers."),
    Document(id="radio", title="Radio", date=dt.date(2005, 5, 8),
             body="Tony Blackburn played records; life went on for the nation's listeners."),
    Document(id="may", title="Family policy", date=dt.date(2005, 5, 7),
             body="Theresa May said the plans may cost firms dear. Mrs May, who may stand "
                  "again, spoke in May."),
]


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "concordance-people", PEOPLE)


def test_a_name_shows_where_its_surname_stands_not_another_name_sharing_its_first(people):
    found = matches(people.concordance("Tony Blair"))
    assert found == [("won", "Tony Blair"), ("won", "Blair"), ("dinner", "Tony Blair")]
    # ("Tony Blackburn" in radio gave a line "Tony", as if it were a place of Tony Blair)


def test_a_name_s_places_are_in_the_documents_naming_it_in_full_as_count_counts_them(
        tmp_path):
    # (a concordance of Michael Howard on BBC showed the film director Ron Howard's lines)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="tory", title="Launch", body="Michael Howard spoke. Mr Howard left."),
            Document(id="tax", title="Tax", body="Michael Howard promised tax cuts."),
            Document(id="film", title="Film", body="Ron Howard directs the film."),
        ])
        result = ix.concordance("Michael Howard")
        assert matches(result) == [("tory", "Michael Howard"), ("tory", "Howard"),
                                   ("tax", "Michael Howard")]
        # (its documents are the count's: the film's is told in the count's note)
        assert (result.documents, result.documents_read) == (2, 2)
        assert ix.count("Michael Howard").total == 2
        [note] = result.notes  # (the count's: "1 more document holds words of the name ...")
        assert "but not the name written whole" in note and note in ix.count("Michael Howard").notes


def test_a_lexicon_term_s_places_are_in_the_documents_holding_the_term(tmp_path):
    # (the US Democrats gave lines to a concordance of the Liberal Democrats)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="ld", title="Tour", body="The Liberal Democrats toured Somerset."),
            Document(id="us", title="Congress", body="The Democrats in Congress objected."),
        ])
        result = ix.concordance("Liberal Democrats")
        assert matches(result) == [("ld", "Liberal Democrats")]
        assert (result.documents, result.documents_read) == (1, 1)
        assert ix.count("Liberal Democrats").total == 1


def test_a_lexicon_term_typed_unquoted_is_placed_where_it_stands_as_count_counts_it(tmp_path):
    # (a concordance of council tax on BBC opened with "Welsh councils" and "their taxes")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="bills", title="Bills", body="Council tax bills rose. The councils met "
                                                     "and said the tax was fair."),
            Document(id="fuel", title="Fuel", body="The council cut the tax on fuel."),
        ])
        result = ix.concordance("council tax")
        assert matches(result) == [("bills", "Council tax")]
        assert (result.documents, result.documents_read) == (1, 1)
        assert ix.count("council tax").total == 1
        assert ix.places("council tax", ix.get("bills").body) == [(0, 11)]


def test_a_phrase_written_as_a_compound_round_a_dropped_word_is_a_place_where_count_counts_it(
        tmp_path):
    """"back-to-basics" is one place in the index, holding back and basic ("to" dropped), so a
    count of "back to basics" counts the BBC game review writing it; the concordance found no
    place there (the joiners between words do not cross "-to-") and said the 22 documents a
    search finds held the phrase only in a title or in part, where the count says 1."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="game", title="Battlefront", body="Its back-to-basics approach works."),
            Document(id="apart", title="Apart", body="He came back to learn the basics."),
        ])
        result = ix.concordance('"back to basics"')
        counts = ix.count('"back to basics"')
        assert matches(result) == [("game", "back-to-basics")]
        assert (counts.total, result.documents, result.documents_read) == (1, 1, 1)
        # (the document holding the words apart is told of as the count tells of it)
        [apart] = [note for note in counts.notes if "apart" in note]
        assert apart in result.notes
        body = ix.get("game").body
        assert [body[s:e] for s, e in ix.places('"back to basics"', body)] == ["back-to-basics"]


def test_a_concordance_says_what_a_count_says_of_a_phrase_held_only_apart(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="apart", title="Apart", body="Basics first, then back.")])
        result = run(ix, '"back to basics"')
        counted = ix.count('"back to basics"')
    assert result.exit_code == 1 and counted.total == 0
    assert result.stdout.splitlines() == [
        *(f"note {note}" for note in counted.notes if "apart" in note),
        'No places for "back to basics" in any document\'s text.']


def test_a_name_whose_surname_is_a_common_word_is_found_where_it_is_written_as_a_name(people):
    # ("Theresa May" marked the verb in "the plans may cost" and "who may stand")
    body = PEOPLE[3].body
    assert matches(people.concordance("Theresa May")) == [
        ("may", "Theresa May"), ("may", "May"), ("may", "May")]
    assert [body[s:e] for s, e in people.places("Theresa May", body)] == [
        "Theresa May", "May", "May"]  # (show --mark: the same places)
    assert "may" in [body[s:e] for s, e in people.places("may", body)]  # (the word, asked)


def test_a_quoted_phrase_is_found_where_words_the_analyzer_drops_stand_inside_it(people):
    assert matches(people.concordance('"life of the nation"')) == [
        ("won", "life of the nation")]


def test_a_quoted_lexicon_term_shows_its_own_forms_not_the_broader_term_it_implies(people):
    # the lexicon says New Labour implies the Labour party: the Labour Party is not New Labour
    assert matches(people.concordance('"New Labour"')) == [("won", "New Labour")]



@pytest.fixture(scope="module")
def party(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    yield from index_of(tmp_path_factory, "concordance-party", plp_stories())


def test_a_concordance_of_plp_shows_the_plp_not_labour_which_the_lexicon_only_relates(party):
    # (every "Labour's" was a place of PLP, and the campaign story gave lines of PLP)
    result = party.concordance("PLP")
    assert matches(result) == [("meeting", "Parliamentary Labour Party"), ("meeting", "PLP")]
    # (the campaign story, which search ranks below, is left out as a count leaves it out)
    assert (result.documents, result.documents_read, result.related_only) == (1, 1, 1)
    assert party.search("PLP").related_only == 1 and party.count("PLP").total == 1
    body = plp_stories()[0].body
    assert [body[s:e] for s, e in party.places("PLP", body)] == [
        "Parliamentary Labour Party", "PLP"]  # (show --mark: the same places)


def test_a_query_naming_labour_itself_shows_labour_s_places(party):
    found = matches(party.concordance("PLP Labour"))
    assert ("meeting", "Labour's") in found and ("campaign", "Labour Party") in found


def test_the_command_says_as_count_does_which_documents_hold_only_a_related_term(party):
    """The concordance counted the story saying only Labour among the documents PLP matches
    ("in 1 of the 2 documents it matches"), where a count of PLP counts 1: its documents and
    its note on those left out are now the count's."""
    result = run(party, "PLP")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        *(f"note {note}" for note in party.count("PLP").notes), "2 places of PLP in 1 document"]
    data = json.loads(run(party, "PLP", "--json").stdout)
    assert data["related_only"] == 1 and data["documents"] == data["documents_read"] == 1


def test_a_wildcard_shows_the_words_as_the_texts_write_them(index):
    found = {match for _id, match in matches(index.concordance("privatiz*"))}
    assert found == {"privatisation", "privatising"}


def test_documents_come_in_the_searchs_order_and_places_in_text_order(index):
    result = index.concordance("election", sort="date")
    order = [line.id for line in result.lines]
    assert order == sorted(order, key=[d.id for d in sorted(
        DOCUMENTS, key=lambda d: d.date, reverse=True)].index)
    for doc in set(order):
        starts = [line.start for line in result.lines if line.id == doc]
        assert starts == sorted(starts)


def test_the_limit_cuts_the_lines_and_says_so(index):
    everything = index.concordance("election")
    some = index.concordance("election", limit=2)
    assert some.lines == everything.lines[:2] and some.truncated
    assert len(everything.lines) > 2 and not everything.truncated


def test_filters_keep_the_documents_they_name(index):
    result = index.concordance("election", filters={"since": "2005-05-01"})
    assert {line.id for line in result.lines} == {"words"}


def test_a_misspelt_word_shows_the_places_of_its_correction_and_says_so(index):
    result = index.concordance("Liecester")
    assert result.suggestion == "Leicester" and result.suggestion_applied
    assert matches(result) == [("kennedy", "Leicester")]
    assert not index.concordance("Liecester", correct=False).lines


def test_a_date_range_says_how_many_undated_matches_it_left_out(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([*DOCUMENTS, Document(id="undated", title="Undated",
                                               body="Tony Blair spoke on the election.")])
        result = ix.concordance("Blair", filters={"since": "2005-01-01"})
        assert {line.id for line in result.lines} == {"blair"}
        assert result.undated_left_out == 1
        assert result.to_dict()["undated_left_out"] == 1


def test_a_concordance_that_finds_nothing_says_why_as_a_search_would(index):
    result = index.concordance("Blair", filters={"since": "2030-01-01"})
    assert not result.lines
    assert result.why_empty == index.search("Blair", filters={"since": "2030-01-01"}).why_empty
    assert result.why_empty and result.to_dict()["notes"] == result.why_empty


def test_a_concordance_carries_the_searchs_notes_on_how_the_query_was_read(index):
    result = index.concordance("Blair~9")
    assert result.notes == index.search("Blair~9").notes and result.notes


@pytest.mark.parametrize("query", ["", "   ", "*"])
def test_a_concordance_needs_words(index, query):
    with pytest.raises(QueryError, match="needs a query"):
        index.concordance(query)


@pytest.mark.parametrize("query", ["NOT Labour", "-Labour", "NOT Labour NOT Blair"])
def test_a_query_that_only_leaves_documents_out_has_no_places_to_show(index, query):
    assert index.search(query).total  # it matches documents, but names no word to show
    with pytest.raises(QueryError, match="only leaves documents out"):
        index.concordance(query)


def test_a_query_with_words_and_an_exclusion_shows_the_words_places(index):
    result = index.concordance("election NOT Conservatives")
    assert {line.id for line in result.lines} == {"kennedy", "privat"}


def test_the_places_of_a_query_in_a_text_are_the_spans_its_concordance_shows(index):
    body = DOCUMENTS[0].body
    assert [body[start:end] for start, end in index.places("Lib Dems", body)] == [
        "Liberal Democrats", "Lib Dem", "Lib Dems"]
    for query in ("election", '"general election"', "Lib Dems by-election"):
        lines = [line for line in index.concordance(query).lines if line.id == "kennedy"]
        assert index.places(query, body) == [(line.start, line.end) for line in lines]


def test_places_read_the_query_as_written_without_correcting_its_spelling(index):
    body = DOCUMENTS[3].body
    assert "Blair" not in [body[s:e] for s, e in index.places("Tony Blare", body)]
    assert [body[s:e] for s, e in index.places("Tony Blair", body)] == ["Tony Blair", "Blair"]


@pytest.mark.parametrize(("text", "what"), [
    (None, "NoneType"), (5, "int"), (b"Lib Dems", "bytes"),
    # (the Document itself, not its body: the slip a reader of get() makes first)
    (DOCUMENTS[0], "Document: its text is .body"),
])
@pytest.mark.parametrize("method", ["places", "marks"])
def test_places_and_marks_in_what_is_not_text_are_one_query_error_naming_it(
        index, text, what, method):
    # (each had raised TypeError "expected string or bytes-like object" from a regex)
    with pytest.raises(QueryError, match=rf"The text to mark .* is text \(a document's body: "
                                         rf"ix\.get\(id\)\.body\), not {re.escape(what)}"):
        getattr(index, method)("Lib Dems", text)


def test_a_word_the_query_excludes_is_neither_a_place_nor_marked_in_snippets(index):
    query = 'Blair NOT "third ahead"'  # the blair document holds both words, not the phrase
    body = DOCUMENTS[3].body
    assert {body[s:e] for s, e in index.places(query, body)} == {"Blair"}
    [hit] = index.search(query).hits
    marked = {text for fragment in hit.snippet.fragments for text, on in fragment if on}
    assert "Blair" in marked and "third" not in marked


def test_a_text_without_the_query_has_no_places(index):
    assert index.places("Conservatives", DOCUMENTS[0].body) == []
    assert index.places("Lib Dems", "") == []


@pytest.mark.parametrize("query", ["NOT Labour", "-Labour -Blair"])
def test_a_query_that_only_excludes_has_no_words_to_mark_and_says_so_as_concordance_does(
        index, query):
    # (show --mark 'NOT Labour' marked nothing and said nothing of why)
    with pytest.raises(QueryError, match=r"Marking needs words to mark: .* only leaves "
                                         r"documents out\. Add the words whose places to mark"):
        index.marks(query, DOCUMENTS[3].body)
    with pytest.raises(QueryError, match=r"A concordance needs words to show: .* only leaves "
                                         r"documents out"):
        index.concordance(query)


def test_marks_give_the_correction_a_search_would_make_of_a_word_no_document_holds(index):
    body = DOCUMENTS[3].body
    found = index.marks("Tony Blare", body)
    assert found.suggestion == "Tony Blair" and found.not_found == ("Blare",)
    assert "Blair" not in [body[s:e] for s, e in found.places]  # (marked as written)
    assert index.marks("Tony Blair", body).suggestion is None


@pytest.mark.parametrize("option", [{"limit": 0}, {"width": 0}, {"limit": "9"}])
def test_a_limit_or_width_out_of_range_is_a_query_error(index, option):
    with pytest.raises(QueryError, match="whole number"):
        index.concordance("Blair", **option)


@pytest.mark.parametrize(("width", "taken"), [(9, False), (10, True), (1_000, True),
                                              (1_001, False)])
def test_the_library_and_the_command_take_the_same_widths(index, width, taken):
    """At least 10 characters a side (fewer are a word or two, too little to tell one use
    from another), at most 1,000: the library took 1, the command 10."""
    if taken:
        assert index.concordance("Blair", width=width).width == width
    else:
        with pytest.raises(QueryError, match="from 10 to 1,000"):
            index.concordance("Blair", width=width)
    result = CliRunner().invoke(cli, ["concordance", "Blair", "-w", str(width), "--index",
                                      str(index.path)])
    assert (result.exit_code == 0) == taken, result.output
    if not taken:
        assert "not in the range 10<=x<=1000" in result.output


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(10, 120), query=st.sampled_from(
    ["election", "Lib Dems", "Blair", "Tony", '"third term"', "general", "Conservatives"]))
def test_any_line_is_its_match_with_at_most_width_characters_each_side(index, width, query):
    bodies = {d.id: d.body for d in DOCUMENTS}
    for line in index.concordance(query, width=width).lines:
        body = bodies[line.id]
        assert line.match == " ".join(body[line.start:line.end].split())
        assert len(line.left) <= width and len(line.right) <= width
        assert flat(body[:line.start]).endswith(line.left)
        assert flat(body[line.end:]).startswith(line.right)


def test_each_document_is_found_by_its_id_once_and_only_its_body_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path
):
    """The hits of the search already hold what a line shows of a document but its body:
    reading all its stored fields again (``get``) and finding it by its id twice (once to
    ask whether a count counts it) took 0.2 s of a concordance of the 1,888 BBC articles
    saying "said"."""
    from corpus_search.search import concordance as module

    looked_up: list[str] = []
    number = module.document_number
    monkeypatch.setattr(module, "document_number", lambda searcher, doc_id: (
        looked_up.append(doc_id), number(searcher, doc_id))[1])
    monkeypatch.setattr(CorpusIndex, "stored_fields", lambda self, doc_id: pytest.fail(
        f"the stored fields of {doc_id} read again"))
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([*DOCUMENTS, Document(id="ron", title="Film", body=(
            "Ron Howard directed the film. Howard said it was long.")), Document(
            id="tory", title="Tories", body="Michael Howard spoke. Mr Howard left.")])
        result = ix.concordance("Michael Howard")  # (a count counts only one of its hits)
        assert result.documents == 1 and matches(result) == [("tory", "Michael Howard"),
                                                             ("tory", "Howard")]
        assert sorted(looked_up) == ["ron", "tory"]
        looked_up.clear()
        # (kennedy's "by-election" is its own term, no place of "election")
        assert len(ix.concordance("election").lines) == 3
        assert sorted(looked_up) == ["kennedy", "privat", "words"]


# -- the command --------------------------------------------------------------------------------


def run(index: CorpusIndex, *args: str):
    return CliRunner().invoke(cli, ["concordance", *args, "--index", str(index.path)])


def test_the_command_prints_a_line_per_place_with_its_document(index):
    result = run(index, "Lib", "Dems", "--width", "20")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "3 places of Lib Dems in 1 document"
    assert lines[1] == "kennedy                  The **Liberal Democrats** began a tour on"
    assert all(line.startswith("kennedy  ") for line in lines[1:])


def test_sorted_by_date_each_line_shows_its_documents_date_so_the_order_is_seen(tmp_path):
    # (--sort date printed the same columns as relevance: the order it asked for was not seen)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([*DOCUMENTS, Document(id="undated", title="Undated",
                                               body="The election was called.")])
        by_date = run(ix, "election", "--sort", "date", "--width", "20")
        by_relevance = run(ix, "election", "--width", "20")
        none_dated = run(ix, "called", "--sort", "date", "--width", "20")
    assert by_date.exit_code == 0, by_date.output
    assert [line.split()[:2] for line in by_date.output.splitlines()[1:]] == [
        ["words", "2005-05-06"], ["kennedy", "2005-04-02"], ["privat", "2004-11-05"],
        ["undated", "----------"]]  # (the dashes list shows for no date, undated last)
    assert by_date.output.splitlines()[1] == (
        "words    2005-05-06   mood of gloom: the **election** went badly, and")
    assert "2005-05-06" not in by_relevance.output  # (by relevance, the lines are as they were)
    # (no line dated, as on the BBC corpus, where the order stays by relevance: no dashes)
    assert none_dated.output.splitlines()[1] == "undated     The election was **called**."


def test_output_that_is_no_terminal_marks_each_match_as_search_marks_its_snippets(index):
    # where "Liberal Democrat" ends in "... Liberal Democrat leader Charles ..." is not told
    # by the column it starts at
    lines = run(index, "Lib Dems").output.splitlines()[1:]
    assert [line.split("**")[1] for line in lines] == [
        "Liberal Democrats", "Lib Dem", "Lib Dems"]
    assert len({line.index("**") for line in lines}) == 1


def test_output_that_is_no_terminal_keeps_the_whole_of_a_wide_context(tmp_path):
    # (a --width of 600 each side had been cut at 1,000 characters with an ellipsis, in a file)
    filler = " ".join(f"word{n}" for n in range(150))
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="long", title="Long",
                                   body=f"{filler} the Lib Dems said {filler}")])
        line = ix.concordance("Lib Dems", width=600).lines[0]
        result = run(ix, "Lib Dems", "--width", "600")
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()[1]
    assert printed.endswith(f"**Lib Dems**{line.right}") and "\u2026" not in printed


def test_the_lines_are_printed_a_batch_at_a_time(index, monkeypatch: pytest.MonkeyPatch):
    """A call of rich's print measures the terminal and writes out: printing the 7,254
    places of "said" in the BBC articles a line to a call took 1.0 s of the command's 2.8.
    (tests/test_research_pinned.py holds the output as it was, on terminals and piped.)"""
    import rich.console

    calls: list[int] = []
    printed = rich.console.Console.print
    monkeypatch.setattr(rich.console.Console, "print", lambda self, *objects, **options: (
        calls.append(1), printed(self, *objects, **options))[1])
    monkeypatch.setattr(concordance_cli, "CONCORDANCE_LINES_PER_PRINT", 2)
    result = run(index, "election")
    lines = result.output.splitlines()
    # (a head, three places: "by-election" is its own term, no place of "election")
    assert result.exit_code == 0 and len(lines) == 4, result.output
    assert len(calls) == 1 + 2


def test_the_command_says_when_the_limit_left_places_out(index):
    result = run(index, "election", "-n", "1")
    assert result.exit_code == 0
    assert result.output.startswith("The first 1 place of election, from 1 of the 3 documents "
                                    "it matches (--limit shows more)")


def test_the_first_line_counts_the_documents_the_places_come_from(index):
    # "Sell-offs" is in the title of privat only: the documents matched are 2, the places in 1
    result = run(index, "Leicester OR Sell-offs")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "1 place of Leicester OR Sell-offs in 1 of the 2 documents it matches; the other 1 "
        "holds it only in a title or another field, or only part of a quoted phrase, a name or "
        "a term")


def test_no_place_in_a_matching_document_says_where_the_query_matched_instead(index):
    result = run(index, "title:Sell-offs")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "No places for title:Sell-offs in any document's text: the 1 document it matches "
        "holds it only in a title or another field, or only part of a quoted phrase, a name or "
        "a term.")


def test_the_command_says_why_a_filter_left_no_place(index):
    """Blair is in the texts: the filters kept none of them, which is what the first line
    says (not "in any document's text", which the reason after it contradicted)."""
    result = run(index, "Blair", "--since", "2030")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "No places for Blair in the documents the filters keep."
    assert lines[1:] == index.search("Blair", filters={"since": "2030"}).why_empty
    unfiltered = run(index, "zzzqqq")
    assert "No places for zzzqqq in any document's text." in unfiltered.output


def test_json_and_csv_carry_every_field_of_each_line(index):
    as_json = json.loads(run(index, "Leicester", "--json").output)
    assert as_json["documents"] == 1 and not as_json["truncated"]
    [line] = as_json["lines"]
    assert line["match"] == "Leicester" and line["date"] == "2005-04-02"
    rows = list(csv.DictReader(io.StringIO(run(index, "Leicester", "--csv").stdout)))
    assert rows == [{k: "" if v is None else str(v) for k, v in line.items()}]


def test_no_place_exits_1_and_a_bad_query_exits_2_in_one_line(index):
    nothing = run(index, "zzzqqq")
    assert nothing.exit_code == 1
    assert "No places for zzzqqq in any document's text." in nothing.output
    star = CliRunner().invoke(cli, ["concordance", "*", "--index", str(index.path)])
    assert star.exit_code == 2
    assert star.output.strip().splitlines() == [
        "error: A concordance needs a query: the words whose places it shows."]


def test_the_command_runs_whole_as_a_process(index, cli_env: dict[str, str]):
    done = subprocess.run([*corpus_search_command(), "concordance", "by-election", "--index",
                           str(index.path), "--csv"], env=cli_env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["id"], row["match"]) == ("kennedy", "by-election")


WIDE = Document(id="wide", title="Wide", body="He said \u201cthe Lib Dems\u201d would win. "
                "\u9078\u6319\u3067\u306f Lib Dems gained. Voters \u00a3 Lib Dems.")


def match_columns(output: str, matches: list[str], column: int) -> list[bool]:
    """For each line after the first, whether its match (``**marked**``: the output is no
    terminal) starts ``column`` cells in."""
    from rich.cells import cell_len

    found = []
    for line, match in zip(output.splitlines()[1:], matches, strict=True):
        starts = [i for i in range(len(line)) if cell_len(line[:i]) == column]
        found.append(bool(starts) and line[starts[0]:].startswith(f"**{match}**"))
    return found


@pytest.fixture(scope="module")
def wide_index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("concordance") / "wide")
    ix.add_documents([WIDE])
    yield ix
    ix.close()


def test_matches_line_up_in_terminal_cells_whatever_the_context_holds(wide_index):
    matched = [line.match for line in wide_index.concordance("Lib Dems", width=20).lines]
    result = run(wide_index, "Lib Dems", "--width", "20")
    assert result.exit_code == 0, result.output
    assert match_columns(result.output, matched, len("wide  ") + 20) == [True] * 3


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_matches_line_up_when_the_output_escapes_what_it_cannot_write(
        wide_index, cli_env: dict[str, str], encoding: str):
    # the escapes (\u201c, six characters for one) are what the reader sees: they are
    # measured, as the wide characters are (a column shifted by five per escape before)
    done = subprocess.run([*corpus_search_command(), "concordance", "Lib", "Dems", "--width",
                           "20", "--index", str(wide_index.path)],
                          env={**cli_env, "PYTHONIOENCODING": encoding}, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    output = done.stdout.decode(encoding)
    assert "\\u201c" in output
    matched = [line.match for line in wide_index.concordance("Lib Dems", width=20).lines]
    assert match_columns(output, matched, len("wide  ") + 20) == [True] * 3


def test_on_a_terminal_a_width_wider_than_it_still_shows_every_match(index, cli_env):
    env = {**cli_env, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "60"}
    env.pop("NO_COLOR", None)

    def lines(*args: str) -> list[str]:
        done = subprocess.run([*corpus_search_command(), "concordance", "Lib Dems", *args,
                               "--index", str(index.path)], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[1:]

    for line in lines("--width", "100"):  # (cut at 60 columns, each was the id and spaces)
        assert "\x1b[1;33mLib" in line or "\x1b[1;33mLiberal" in line
    assert all(len(re.sub("\x1b\\[[0-9;]*m", "", line)) <= 60 for line in lines())


def test_the_command_says_what_it_shows_in_its_help():
    result = CliRunner().invoke(cli, ["concordance", "--help"])
    assert result.exit_code == 0 and "(keyword in context)" in " ".join(result.output.split())
