"""Specification of the query syntax a person types: which ``name:`` prefixes are fields, what
a name that is no field does, and how a fuzzy term's edit distance is bounded.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.query import Every

from corpus_search import CorpusIndex, QueryError
from corpus_search.ingest.model import Document
from corpus_search.search.modifiers import MAX_BOOST
from corpus_search.search.parser import MAX_FUZZY_EDITS, QUERY_FIELDS, fuzzy_edits_allowed
from corpus_search.search.parsing import build_query, walk


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def searchable_fields(ix: CorpusIndex) -> set[str]:
    return {name for name in ix.schema.names() if ix.schema[name].indexed}


# -- field names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["author:Marr", 'author:"Andrew Marr"', "author:(Marr OR Blair)", "Commons NOT author:Marr",
     "Commons author:Marr*", "(author:Marr)"],
)
def test_a_name_that_is_no_field_is_refused_naming_it_and_listing_the_fields(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError) as refused:
        small_index.search(query)
    message = str(refused.value)
    assert "no field 'author'" in message and "\n" not in message
    assert all(field in message for field in QUERY_FIELDS)


def test_a_field_that_holds_nothing_searchable_is_refused_too(small_index: CorpusIndex):
    with pytest.raises(QueryError, match="no field 'url'"):  # stored with a hit, not indexed
        small_index.search("url:bbc")


def test_a_field_name_typed_in_capitals_is_refused_with_its_lower_case_name(
    small_index: CorpusIndex,
):
    with pytest.raises(QueryError, match="field names are lower case: title:"):
        small_index.search("Title:pensions")


@pytest.mark.parametrize(
    ("query", "found"),
    [("title:pensions", ["economy/common"]),
     ("body:unemployment", ["economy/jobs"]),
     ("id:economy/jobs", ["economy/jobs"]),
     ("party:Labour AND title:MPs", ["labour/plp"]),
     ("source:PoliticsHome", ["labour/plp"]),
     ("year:2005 AND powers", ["wales/assembly"]),
     ("date:2003", ["libdems/brent"])],
)
def test_the_fields_a_person_can_name_find_what_they_hold(
    small_index: CorpusIndex, query: str, found: list[str]
):
    assert ids(small_index.search(query)) == found


@pytest.mark.parametrize(
    ("query", "same_as"),
    [("Labour: Commons", "Labour Commons"),  # a colon and a space: prose, not a field
     ("Commons 10:30", "Commons 10 30"),  # a number before the colon: a time
     ("Commons 2:1", "Commons 2 1"),  # a score
     ("title:", "title"),  # a name with no value: a word
     ("Commons:", "Commons")],
)
def test_text_that_only_looks_like_a_field_is_searched_as_words(
    small_index: CorpusIndex, query: str, same_as: str
):
    assert sorted(ids(small_index.search(query))) == sorted(ids(small_index.search(same_as)))


@pytest.mark.parametrize(
    "query", ['"author:Marr"', "http://www.bbc.co.uk/news Commons", "id:news:economy/jobs"]
)
def test_a_quoted_colon_a_web_address_or_a_colon_in_a_value_is_searched_as_text(
    small_index: CorpusIndex, query: str
):
    small_index.search(query)  # not refused


names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)
values = st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, value=values)
def test_any_word_shaped_name_before_a_value_is_a_field_or_refused(
    small_index: CorpusIndex, name: str, value: str
):
    query = f"Commons {name}:{value}"
    if name in searchable_fields(small_index):
        small_index.search(query)  # a field: searched
        return
    with pytest.raises(QueryError, match=f"no field '{name}'"):
        small_index.search(query)


prose = st.lists(
    st.one_of(
        st.sampled_from(["Labour", "Commons", "the", "Blair", "10", "2005", "vote", "NHS"]),
        st.builds(lambda w: f"{w}:", st.sampled_from(["Labour", "author", "Note", "re"])),
        st.builds(lambda h, m: f"{h}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
        st.builds(lambda w: f'"{w}:Commons"', st.sampled_from(["author", "Labour"])),
    ),
    min_size=1, max_size=6,
).map(" ".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=prose)
def test_colons_in_prose_times_and_quotes_never_count_as_a_field(
    small_index: CorpusIndex, query: str
):
    try:
        small_index.search(query, highlight=False)
    except QueryError as exc:  # only ever for having nothing to search for ("the:")
        assert "nothing to search for" in str(exc)


# -- fuzzy edit distance -----------------------------------------------------------------------


def test_a_fuzzy_term_allows_at_most_two_edits():
    assert MAX_FUZZY_EDITS == 2  # as Lucene's query parsers and Elasticsearch's fuzziness


def test_a_fuzzy_term_asking_for_more_edits_searches_with_two_and_says_so(
    small_index: CorpusIndex,
):
    asked, bounded = small_index.search("corbin~9"), small_index.search("corbin~2")
    assert ids(asked) == ids(bounded) and "labour/plp" in ids(asked)
    assert asked.parsed_query == bounded.parsed_query
    assert asked.notes == [
        "corbin~9: a fuzzy term allows at most 2 edits, so this searched corbin~2."
    ]
    assert bounded.notes == []
    assert json.loads(asked.to_json())["notes"] == asked.notes


@pytest.mark.parametrize(("letters", "edits"), [(1, 0), (2, 0), (3, 1), (5, 1), (6, 2), (12, 2)])
def test_a_short_word_allows_fewer_edits_as_elasticsearch_s_auto_fuzziness(
    letters: int, edits: int
):
    assert fuzzy_edits_allowed(letters) == edits


def test_a_fuzzy_short_word_asking_for_more_edits_than_its_length_allows_says_so(
    small_index: CorpusIndex,
):
    asked, bounded = small_index.search("Labor~2"), small_index.search("Labor~1")
    assert ids(asked) == ids(bounded) and asked.parsed_query == bounded.parsed_query
    assert asked.notes == ["Labor~2: a word of 5 letters allows 1 edit, so this searched Labor~1."]
    # (a word naming no concept: MP~ is the Member of Parliament in every form, test_fuzzy_terms)
    two_letters = small_index.search("Ed~ Commons")
    assert two_letters.notes == [
        "Ed~1: a word of 2 letters allows no edits, so this searched Ed~0."
    ]
    exact = small_index.search("Ed~0 Commons")
    assert ids(two_letters) == ids(exact) and two_letters.parsed_query == exact.parsed_query


@pytest.mark.parametrize("query", ["~~", "~", "(~~)"])
def test_a_fuzzy_term_of_symbols_alone_has_nothing_to_search_for(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError, match="has nothing to search for: it has no words"):
        small_index.search(query)


def test_each_fuzzy_term_over_the_bound_gets_one_note(small_index: CorpusIndex):
    results = small_index.search("corbin~9 AND Labor~5/2 AND corbin~9")
    assert [note.split(":")[0] for note in results.notes] == ["corbin~9", "Labor~5"]


def test_a_query_asked_again_keeps_its_notes(small_index: CorpusIndex):
    first = small_index.search("Commons~7", highlight=False)
    again = small_index.search("Commons~7", highlight=False)  # from the parsed-query cache
    assert first.notes == again.notes and len(first.notes) == 1


# -- boosts and the distances after ~ ----------------------------------------------------------


def test_a_boost_is_at_most_a_hundred():
    assert MAX_BOOST == 100


@pytest.mark.parametrize("huge", ["999999999999", "1e308", "inf", "101"])
def test_a_boost_over_a_hundred_searches_with_a_hundred_and_says_so(
    small_index: CorpusIndex, huge: str
):
    asked, bounded = small_index.search(f"Commons^{huge}"), small_index.search("Commons^100")
    assert [(h.id, h.score) for h in asked.hits] == [(h.id, h.score) for h in bounded.hits]
    assert asked.notes == [
        f"Commons^{huge}: a boost is at most 100, so this searched Commons^100."
    ]
    assert bounded.notes == []
    assert max(h.score for h in asked.hits) < 10_000  # no absurd scores


@pytest.mark.parametrize("bad", ["0", "0.0", "-1", "-0.5", "abc", "nan", "2x"])
def test_a_boost_that_is_no_number_above_zero_is_left_out_and_a_note_says_so(
    small_index: CorpusIndex, bad: str
):
    asked = small_index.search(f"Commons^{bad} pensions")
    plain = small_index.search("Commons^1 pensions")  # (read by the parser too)
    assert [(h.id, h.score) for h in asked.hits] == [(h.id, h.score) for h in plain.hits]
    assert asked.notes == [
        f"Commons^{bad}: a boost is a number above 0 and at most 100 (as in Commons^2), so "
        "this searched Commons."
    ]


@pytest.mark.parametrize("good", ["2", "0.5", "100", "1.5"])
def test_a_boost_in_range_is_applied_without_a_note(small_index: CorpusIndex, good: str):
    results = small_index.search(f"Commons^{good} pensions")
    assert results.notes == []
    assert results.hits


def test_a_caret_with_no_word_before_it_or_nothing_after_it_is_no_boost_and_no_note(
    small_index: CorpusIndex,
):
    for query in ("^5 Commons", "Commons ^", "Commons^"):
        assert small_index.search(query).notes == [], query


def searched_as(index: CorpusIndex, asked: str, meant: str) -> list[str]:
    """The notes of searching ``asked``, which must find what ``meant`` finds, read the same."""
    results, same = index.search(asked), index.search(meant)
    assert ids(results) == ids(same) and results.parsed_query == same.parsed_query
    return results.notes


@pytest.mark.parametrize("bad", ["-1", "x", "1.5", "-"])
def test_a_fuzzy_distance_that_is_no_number_searches_the_default_and_says_so(
    small_index: CorpusIndex, bad: str
):
    assert searched_as(small_index, f"corbin~{bad}", "corbin~") == [
        f"corbin~{bad}: the number after ~ is how many edits a word may differ by (as in "
        "corbin~2), so this searched corbin~ (1 edit)."
    ]


def test_a_fuzzy_distance_of_several_digits_is_one_number_lowered_to_the_bound(
    small_index: CorpusIndex,
):
    assert searched_as(small_index, "corbin~10", "corbin~2") == [
        "corbin~10: a fuzzy term allows at most 2 edits, so this searched corbin~2."
    ]


def test_a_fuzzy_prefix_that_is_no_number_is_left_out_and_a_note_says_so(
    small_index: CorpusIndex,
):
    assert searched_as(small_index, "corbin~2/x", "corbin~2") == [
        "corbin~2/x: the number after / is how many first letters must match (as in "
        "corbin~2/1), so this searched corbin~2."
    ]


@pytest.mark.parametrize("bad", ["-1", "0", "x"])
def test_a_phrase_distance_that_is_no_number_from_one_searches_the_phrase_and_says_so(
    small_index: CorpusIndex, bad: str
):
    asked = small_index.search(f'"Brent East"~{bad}')
    exact = small_index.search('"Brent East"~1')  # the default distance
    assert ids(asked) == ids(exact) and asked.parsed_query == exact.parsed_query
    assert asked.notes == [
        f'"Brent East"~{bad}: the number after a phrase\'s ~ is how many words apart its '
        'words may be (as in "Brent East"~3), so this searched "Brent East".'
    ]


def test_distances_and_boosts_as_the_guide_writes_them_have_no_note(small_index: CorpusIndex):
    for query in ("corbin~", "corbin~1", "corbin~2/1", "corbin~/2", '"Brent East"~3',
                  "corbin~2^3", '"Brent East"^2', "(corbin OR Teather)^2"):
        assert small_index.search(query).notes == [], query


@pytest.mark.parametrize(
    "query", ["date:notadate", 'date:"March 2005"', "date:2005-13-45", "date:[abc TO 2005]",
              "year:abc", "Labour date:soon"],
)
def test_a_date_or_year_value_that_is_no_date_is_refused_with_the_forms_to_write(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError, match=r"is not a (date|year)") as raised:
        small_index.search(query)
    assert "date:2005" in str(raised.value) or "year:2005" in str(raised.value)


@pytest.mark.parametrize(
    "query", ["date:2005", "date:2005-03", "date:200503", "date:2005-03-14",
              "date:[2005-01 TO 2005-06]", "date:[2005 TO]", "date:[TO 2005]", "date:>2005",
              "year:2005", "year:200*", "year:[2004 TO 2005]", "Labour date: soon",
              "title:date"],
)
def test_the_date_and_year_forms_the_guide_lists_are_searched(
    small_index: CorpusIndex, query: str
):
    small_index.search(query)  # no error; what they find is tested with the date filters


@pytest.mark.parametrize("value", ["date:2005", "date:2005-03", 'date:"2005-03-01"', "year:2005",
                                   "date:[2004 TO 2005]", "(date:2005)"])
def test_a_boost_after_a_date_or_year_weighs_its_documents_as_after_a_word(
    small_index: CorpusIndex, value: str
):
    # (date:2005^2 was refused as "not a date": the ^2 was read as part of the date)
    plain, boosted = small_index.search(value), small_index.search(f"{value}^2")
    assert ids(boosted) == ids(plain) != []
    assert [h.score for h in boosted.hits] == [2 * h.score for h in plain.hits]


def test_a_value_that_is_no_date_is_refused_with_a_boost_after_it_too(small_index: CorpusIndex):
    with pytest.raises(QueryError, match=r"date:notadate\^2 is not a date"):
        small_index.search("date:notadate^2")


@pytest.mark.parametrize("query", ["NOT *", "Labour NOT *", "0:0 X NOT *", "Labour NOT (war OR *)"])
def test_a_query_that_excludes_every_document_is_refused_saying_so(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError, match=r"excludes every document \(NOT \*\)"):
        small_index.search(query)


@pytest.mark.parametrize(
    ("spaced", "closed"),
    [("date:[2003 TO ]", "date:[2003 TO]"), ("date:[ TO 2003]", "date:[TO 2003]"),
     ("year:[2003 TO ]", "year:[2003 TO]"), ("date:{ TO 2004-01 }", "date:{TO 2004-01}")],
)
def test_a_range_end_left_open_with_a_space_is_open_as_without_the_space(
    small_index: CorpusIndex, spaced: str, closed: str
):
    found = ids(small_index.search(spaced))
    assert found == ids(small_index.search(closed)) and "libdems/brent" in found


def test_understood_as_shows_a_date_range_in_dates_not_in_stored_numbers(
    small_index: CorpusIndex,
):
    understood = small_index.search("date:2003 Commons").parsed_query
    assert "date:[2003-01-01 TO 2003-12-31]" in understood
    assert "date:[2003-03-01 TO ]" in small_index.search("date:>=2003-03 Commons").parsed_query



_DAYS = ["2004-12-31", "2005-01-01", "2005-02-28", "2005-03-15", "2005-03-31", "2005-04-01",
         "2006-01-01"]


@pytest.mark.parametrize(
    ("query", "days"),
    [("date:>2005", ["2006-01-01"]),
     ("date:>=2005", _DAYS[1:]),
     ("date:<2005-03", _DAYS[:3]),
     ("date:<=2005-03", _DAYS[:5]),
     ("date:>2005-03", ["2005-04-01", "2006-01-01"]),
     ("date:<2005-03-31", _DAYS[:4]),
     ("date:{2005-01 TO 2005-03}", ["2005-02-28"]),
     ("date:{2005-01 TO 2005-03]", _DAYS[2:5]),
     ("date:[2005-01 TO 2005-03}", _DAYS[1:3])],
)
def test_greater_or_less_than_a_date_leaves_that_year_month_or_day_out(
    tmp_path: Path, query: str, days: list[str]
):
    """`date:>2005` starts after 2005 and `date:<2005-03` ends before March (as `year:>2004`
    leaves 2004 out); `>=`, `<=` and square brackets keep the period in."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id=day, title=f"Budget {day}", body="The budget was debated.",
                     date=datetime.date.fromisoformat(day))
            for day in _DAYS
        ])
        assert sorted(ids(ix.search(f"budget AND {query}", limit=20))) == days


def test_a_field_name_with_a_space_before_its_value_searches_the_word_and_a_note_says_how(
    small_index: CorpusIndex,
):
    results = small_index.search("title: pensions")
    assert ids(results) == ids(small_index.search("title pensions"))
    assert results.notes == [
        "title: with a space after the colon searches for the word 'title'; "
        "to search the title field, write title:pensions."
    ]
    assert small_index.search('"title: pensions" Commons').notes == []  # quoted: text
    for quoted_value in ('party:"Liberal Democrat" Commons', 'title:"Lib Dems" OR Commons'):
        # no space after the colon (the field beside a word is either/or, and a note says so)
        assert not any("space after the colon" in note
                       for note in small_index.search(quoted_value).notes)
    assert small_index.search("Labour: Commons").notes == []  # no field's name


@pytest.mark.parametrize("query", ["title:", "pensions title:", "pensions AND title:"])
def test_a_field_name_with_nothing_after_it_searches_the_word_and_a_note_says_how(
    small_index: CorpusIndex, query: str
):
    results = small_index.search(query)
    assert sorted(ids(results)) == sorted(ids(small_index.search(query.replace(":", ""))))
    assert results.notes == [
        "title: with nothing after it searches for the word 'title'; to search the title "
        "field, write title:WORD."
    ]


# -- operators with nothing to join ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "same_as", "note"),
    [("Commons NOT", "Commons", "NOT has no word after it, so it was left out."),
     ("Commons AND", "Commons", "AND has no word after it, so it was left out."),
     ("AND Commons", "Commons", "AND has no word before it to join, so it was left out."),
     ("NOT NOT Commons", "Commons",
      "NOT NOT: two NOTs in a row cancel out, so both were left out."),
     ("Commons NOT NOT pensions", "Commons pensions",
      "NOT NOT: two NOTs in a row cancel out, so both were left out."),
     ("Commons AND OR pensions", "Commons AND pensions",
      "OR has no word before it to join, so it was left out."),
     # the note names the symbol typed, not the word it stands for
     ("Commons &&", "Commons", "&& has no word after it, so it was left out."),
     ("|| Commons", "Commons", "|| has no word before it to join, so it was left out."),
     ("Commons && || pensions", "Commons AND pensions",
      "|| has no word before it to join, so it was left out.")],
)
def test_an_operator_with_nothing_to_join_is_left_out_and_a_note_says_so(
    small_index: CorpusIndex, typed: str, same_as: str, note: str
):
    results = small_index.search(typed)
    assert ids(results) == ids(small_index.search(same_as))
    assert results.notes == [note]


@pytest.mark.parametrize("query", ["Commons NOT pensions", "Commons AND NOT pensions",
                                   '"Commons NOT" pensions', "Commons OR NOT pensions"])
def test_operators_that_join_words_are_left_as_typed(small_index: CorpusIndex, query: str):
    assert small_index.search(query).notes == []


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [("Commons -pensions", "Commons NOT pensions"),
     ("-pensions Commons", "NOT pensions Commons"),
     ('Commons -"state pension"', 'Commons NOT "state pension"'),
     ("Commons -(pensions OR Labour)", "Commons NOT (pensions OR Labour)")],
)
def test_a_minus_sign_before_a_word_excludes_it_as_not_does(
    small_index: CorpusIndex, typed: str, same_as: str
):
    results = small_index.search(typed)
    assert ids(results) == ids(small_index.search(same_as))
    assert results.parsed_query == small_index.search(same_as).parsed_query
    assert "ANDNOT" in results.parsed_query


@pytest.mark.parametrize(
    "query", ["by-election", "Commons - pensions", '"Commons -pensions"', "Lib Dem-led"]
)
def test_a_hyphen_inside_a_word_a_dash_alone_or_a_minus_in_quotes_excludes_nothing(
    small_index: CorpusIndex, query: str
):
    assert "ANDNOT" not in small_index.search(query).parsed_query


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(["Commons", "pensions", "AND", "OR", "NOT", "ANDNOT",
                                       "ANDMAYBE", "Labour", "-pensions", "-", "-NOT"]),
                      min_size=1, max_size=7))
def test_any_sequence_of_words_and_operators_searches_or_is_refused_in_plain_words(
    small_index: CorpusIndex, words: list[str]
):
    try:
        small_index.search(" ".join(words))
    except QueryError as refused:
        assert "nothing to search for" in str(refused) or "excludes every" in str(refused)
        assert "index out of range" not in str(refused)


@pytest.mark.parametrize(("typed", "query", "marks"), [
    ('title:""', 'title:""', "quotes"), ("party:()", "party:()", "brackets"),
    ("title:( )", "title:( )", "brackets"),
    # (beside other words the empty field was dropped without a word: Blair alone searched)
    ("party:()", "Blair party:()", "brackets"), ('title:""', 'Blair AND title:""', "quotes"),
    ("party:( )", "Blair NOT party:( )", "brackets"), ("source:()", "(source:() OR Blair)",
                                                       "brackets"),
])
def test_a_field_given_an_empty_value_is_refused_saying_so_alone_or_beside_other_words(
    small_index: CorpusIndex, typed: str, query: str, marks: str
):
    with pytest.raises(QueryError) as refused:
        small_index.search(query)
    assert str(refused.value) == (
        f"{typed} has an empty value: put the words to search for between the {marks}.")


@pytest.mark.parametrize("query", ['"party:()"', 'Blair "title:"""', 'title:"Blair"'])
def test_an_empty_value_inside_a_quoted_phrase_is_text_and_searched(
    small_index: CorpusIndex, query: str
):
    small_index.search(query)  # no error


@pytest.mark.parametrize("query", ["date:[2005 TO 2004]", "date:[2005-03 TO 2005-01-31]",
                                   "year:[2005 TO 2004]", "Labour date:{2004-02 TO 2004-01}"])
def test_a_date_or_year_range_that_ends_before_it_starts_is_refused(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError, match=r"ends before it starts: no (date|year) is in between"):
        small_index.search(query)


@pytest.mark.parametrize("query", ["date:[2003 TO 2003]", "date:[2003-09-21 TO 2003-09]",
                                   "year:[2003 TO 2003]"])
def test_a_range_of_one_year_or_day_is_searched(small_index: CorpusIndex, query: str):
    assert ids(small_index.search(query)) == ["libdems/brent"]


# -- quotes and brackets that do not pair ----------------------------------------------------

UNPAIRED = [
    ('"Lib Dems', "Lib Dems",
     "The quote before Lib has no closing quote, so it was left out: searched as Lib Dems."),
    ('Lib Dems"', "Lib Dems",
     "The quote after Dems has no opening quote, so it was left out: searched as Lib Dems."),
    ("(Commons OR budget", "Commons OR budget",
     "The bracket before Commons has no closing bracket, so it was left out: searched as "
     "Commons OR budget."),
    ("Labour)))", "Labour",
     "3 brackets after Labour have no opening bracket, so they were left out: searched as "
     "Labour."),
    ('Commons AND (Labour OR "Lib Dems', "Commons AND Labour OR Lib Dems",
     "The bracket before Labour has no closing bracket and the quote before Lib has no "
     "closing quote, so they were left out: searched as Commons AND Labour OR Lib Dems."),
]


@pytest.mark.parametrize(("asked", "meant", "note"), UNPAIRED)
def test_a_quote_or_bracket_that_pairs_with_none_is_left_out_and_a_note_says_where(
    small_index: CorpusIndex, asked: str, meant: str, note: str
):
    assert searched_as(small_index, asked, meant) == [note]


def test_what_an_unpaired_quote_leaves_as_plain_words_is_ranked_by_its_concepts(
    small_index: CorpusIndex,
):
    asked, plain = build_query(small_index, '"Lib Dems Commons'), build_query(
        small_index, "Lib Dems Commons")
    assert asked.concepts is not None and asked.concepts == plain.concepts
    assert asked.query == plain.query


@pytest.mark.parametrize("query", ['"Lib Dems" (Commons)', '"Labour (Party"', "(Lib Dems)"])
def test_quotes_and_brackets_that_pair_and_brackets_inside_a_phrase_have_no_note(
    small_index: CorpusIndex, query: str
):
    assert small_index.search(query).notes == []


def test_syntax_the_parser_cannot_read_is_searched_as_its_words_and_a_note_says_so(
    small_index: CorpusIndex,
):
    assert small_index.search("date:[2005 TO").notes == [
        "The syntax of 'date:[2005 TO' could not be read, so it was searched as the words "
        "date 2005 TO."
    ]



# -- wildcards, fuzzy marks and boosts on the word of a lexicon term -------------------------


@pytest.mark.parametrize(
    "query", ["Lib Dem*", "Lib Dems*", "labour market*", "Lib Dems~", "*Lib Dems", "Lib Dem?",
              "Tories Lib Dem*"],
)
def test_a_wildcard_or_fuzzy_mark_on_a_lexicon_term_s_word_never_matches_every_document(
    small_index: CorpusIndex, query: str
):
    # the term's span was rendered as a group with the mark after it, ("Lib Dem" OR Lib OR
    # Dem)*, whose bare * matched all 2,225 BBC documents at one score
    parsed = build_query(small_index, query).query
    assert not any(isinstance(node, Every) for node in walk(parsed))
    assert small_index.search(query).total < len(small_index)
    assert "misc/markup" not in ids(small_index.search(query, limit=100))


@pytest.mark.parametrize("query", ["Lib Dems^2", "Lib Dems~2", "labour market^3",
                                   "(corbin OR Teather)^2", "title:(corbin OR Teather)^2"])
def test_a_boost_or_distance_after_a_lexicon_term_or_group_is_never_searched_as_a_word(
    small_index: CorpusIndex, query: str
):
    # ((corbin OR Teather)^2 had searched the word "2": its caret followed no word)
    number = query[-1]
    assert not any(getattr(node, "text", None) == number
                   for node in walk(build_query(small_index, query).query))


@pytest.mark.parametrize(("boosted", "plain"), [
    ("corbin~^2", "corbin~"), ("corbin~2^3", "corbin~2"), ("corbin~1/1^2", "corbin~1/1")])
def test_a_boost_after_a_fuzzy_mark_boosts_the_fuzzy_term_and_is_never_searched_as_a_word(
    small_index: CorpusIndex, boosted: str, plain: str
):
    # ("Blair~2^3" had searched the word "3" too: 348 BBC documents, where Blair~ finds 191)
    number = boosted[-1]
    assert not any(getattr(node, "text", None) == number
                   for node in walk(build_query(small_index, boosted).query))
    assert ids(small_index.search(boosted)) == ids(small_index.search(plain))


def test_two_boosts_in_a_row_are_no_number_and_are_left_out_with_a_note(small_index: CorpusIndex):
    # ("Blair^2^3" had searched "Blair" next to "2": no BBC document)
    assert searched_as(small_index, "Commons^2^3", "Commons") == [
        "Commons^2^3: a boost is a number above 0 and at most 100 (as in Commons^2), so this "
        "searched Commons."]


def _weights(index: CorpusIndex, query: str) -> set[tuple[str, str, float]]:
    return {(leaf.fieldname, leaf.text, leaf.boost)
            for leaf in walk(build_query(index, query).query) if leaf.is_leaf()}


@pytest.mark.parametrize(("boosted", "plain"), [
    ("Commons^2 OR pensions", "Commons^2 pensions"),
    ("Commons^2 OR pensions OR wages", "Commons^2 pensions wages"),
    ("(Commons OR Teather)^2 OR pensions", "(Commons OR Teather)^2 pensions"),
])
def test_a_boost_weighs_only_what_it_was_typed_after_whatever_operator_follows(
    small_index: CorpusIndex, boosted: str, plain: str
):
    # Whoosh's OR merged the next word into the boosted word's group of fields: "Blair^2 OR
    # Brown" weighed Brown twice too, as "Blair^2 Brown" never did
    assert _weights(small_index, boosted) == _weights(small_index, plain)


# -- question marks ending a word ----------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "meant", "words"),
    [("Commons?", "Commons", "Commons"),
     ("What did the Lib Dems win?", "What did the Lib Dems win", "win"),
     ("Lib Dems?", "Lib Dems", "Dems"),
     ("(Labour OR Commons?)", "(Labour OR Commons)", "Commons"),
     ("budget?? pensions?", "budget pensions", "budget and pensions")],
)
def test_a_question_mark_ending_a_word_is_punctuation_and_a_note_says_so(
    small_index: CorpusIndex, asked: str, meant: str, words: str
):
    # read as a one-letter wildcard, "Iraq?" matched "Iraqi" and never "Iraq" (BBC: 12
    # documents, an Iraqi story first, for the 88 about Iraq), and "Lib Dems?" lost the term
    results, plain = small_index.search(asked, limit=20), small_index.search(meant, limit=20)
    assert [(h.id, h.score) for h in results.hits] == [(h.id, h.score) for h in plain.hits]
    marks = "The ? after" if " and " not in words else "Each ? after"
    assert results.notes == [
        f"{marks} {words} is read as a question mark, not a wildcard (for any ending, write "
        f"{words.split(' and ')[0]}*; ? stands for one letter inside a word, as in ele?tion)."
    ]


@pytest.mark.parametrize("query", ["?", "??", " ? ", "!?", "?!,.", "(?)", "-?", "? ?", "¿?"])
def test_a_query_of_question_marks_alone_has_nothing_to_search_for_as_punctuation_alone(
    small_index: CorpusIndex, query: str
):
    # "?" was a wildcard for every one-letter word: 365 BBC documents, a rugby team sheet
    # first; "??" every two-letter word (2,184)
    with pytest.raises(QueryError) as refused:
        small_index.search(query)
    assert str(refused.value) == (
        f"The query {query!r} has nothing to search for: it has no words, only symbols or "
        "punctuation. Type a word to search for.")
    with pytest.raises(QueryError) as punctuation:
        small_index.search("...")
    assert str(punctuation.value).split(": ", 1)[1] == str(refused.value).split(": ", 1)[1]


@pytest.mark.parametrize(
    ("asked", "meant"),
    [("Commons ?", "Commons"), ("? Commons", "Commons"), ("(Labour OR Commons ?)",
     "(Labour OR Commons)"), ("Commons !?", "Commons")],
)
def test_a_question_mark_ending_no_word_is_left_out_without_a_note(
    small_index: CorpusIndex, asked: str, meant: str
):
    results, plain = small_index.search(asked, limit=20), small_index.search(meant, limit=20)
    assert [(h.id, h.score) for h in results.hits] == [(h.id, h.score) for h in plain.hits]
    assert results.total == plain.total and results.notes == []


@pytest.mark.parametrize("query", ["ele?tion", "unemploy?ent", "Comm?n?", '"Commons?"'])
def test_a_question_mark_inside_a_word_with_another_wildcard_or_in_quotes_has_no_note(
    small_index: CorpusIndex, query: str
):
    assert small_index.search(query).notes == []


# -- quoted phrases of common words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "note"),
    [('"to be or not to be"',
      "\"to be or not to be\" is searched as not: 'to', 'be' and 'or' are too common to be "
      "indexed."),
     ('"the Commons"', "\"the Commons\" is searched as Commons: 'the' is too common to be "
      "indexed."),
     ('"to be" Commons', "\"to be\" is left out: 'to' and 'be' are too common to be indexed.")],
)
def test_a_quoted_phrase_searched_as_one_word_or_none_says_which_words_are_too_common(
    small_index: CorpusIndex, query: str, note: str
):
    # '"to be or not to be"' found the 1,366 BBC documents saying "not", and nothing said why
    assert small_index.search(query).notes == [note]


@pytest.mark.parametrize("query", ['"House of Commons"', '"Lib Dems"', '"labour market"'])
def test_a_quoted_phrase_of_two_or_more_indexed_words_has_no_such_note(
    small_index: CorpusIndex, query: str
):
    assert small_index.search(query).notes == []


# -- other quotes --------------------------------------------------------------------------


@pytest.mark.parametrize("quotes", ["\u201c\u201d", "\u201e\u201c", "\u00ab\u00bb", "\u201d\u201d"])
def test_a_phrase_in_typographic_double_quotes_is_a_quoted_phrase(
    small_index: CorpusIndex, quotes: str
):
    # pasted from a word processor, “general election” was its two words (401 BBC documents
    # for the 114 holding the phrase)
    typed = small_index.search(f"{quotes[0]}labour market{quotes[1]} Commons", limit=20)
    plain = small_index.search('"labour market" Commons', limit=20)
    assert typed.phrase_matches == plain.phrase_matches == 1
    assert [(h.id, h.score) for h in typed.hits] == [(h.id, h.score) for h in plain.hits]


@pytest.mark.parametrize(
    ("query", "found"),
    [("'labour market'", ["economy/jobs"]), ("'Lib Dems'", ["libdems/brent"]),
     ("'Lib Dems' AND Commons", ["libdems/brent"])],
)
def test_a_lexicon_term_in_single_quotes_finds_what_it_names(
    small_index: CorpusIndex, query: str, found: list[str]
):
    # read as one literal term holding its own word groups, it matched nothing
    assert ids(small_index.search(query)) == found


# -- angle brackets ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "meant"), [
    ("<Labour>", "Labour"),
    ("(<Labour)", "Labour"),
    ("<Labour> <Tories>", "Labour Tories"),
    ("Tories OR <Labour>", "Tories OR Labour"),
])
def test_a_query_typed_in_angle_brackets_as_html_is_searched_for_its_words(
    small_index: CorpusIndex, typed: str, meant: str
):
    # (a < opening a group has no field before it to make a range of: Whoosh's parser
    # failed on it with "list index out of range", shown as the query's error)
    found = small_index.search(typed, limit=100)
    assert found.total > 0
    assert sorted(ids(found)) == sorted(ids(small_index.search(meant, limit=100)))


def test_a_range_after_a_field_name_is_still_a_range(small_index: CorpusIndex):
    assert small_index.search("date:>2100").total == 0
    assert small_index.search("date:<2100").total == small_index.search("date:[1000 TO 2100]").total


def test_words_joined_by_a_slash_and_an_exclusion_count_only_the_documents_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """"Blair/Brown NOT Iraq" is the phrase of the two words without what names Iraq. Its
    title words, boosted (title:blair^1.25 NEAR title:brown^1.25), once sent it to Whoosh's
    own matchers, whose ANDNOT counted a document it left out: "2 results" over one hit on
    the BBC corpus. The engine evaluates it now, as Whoosh scores it (test_engine.py)."""
    from corpus_search.search import execute

    def whoosh_path(*args: object) -> None:
        raise AssertionError("searched through Whoosh's own matchers")

    monkeypatch.setattr(execute, "_search_whoosh", whoosh_path)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("a", "Blair/Brown rift", "The Blair/Brown rift over the Budget."),
            Document("b", "Blair/Brown and Iraq", "The Blair/Brown rift over Iraq."),
            Document("c", "Brown and Blair", "Brown spoke, then Blair."),
        ])
        results = ix.search("Blair/Brown NOT Iraq")
        assert [hit.id for hit in results.hits] == ["a"]
        assert results.total == 1
        assert ix.count("Blair/Brown NOT Iraq").total == 1


# -- commas between two words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant", "note"),
    [("Labour,Conservative", "Labour Conservative",
      "Labour,Conservative is read as Labour Conservative: a comma"),
     ("Labour;Tories", "Labour Tories", "Labour;Tories is read as Labour Tories: a semicolon"),
     ("budget,Labour,Tories", "budget Labour Tories",
      "budget,Labour,Tories is read as budget Labour Tories: a comma")],
)
def test_words_joined_by_a_comma_are_searched_as_words_apart_and_a_note_says_so(
    small_index: CorpusIndex, typed: str, meant: str, note: str
):
    # (one run of characters to Whoosh's parser, "Iraq,Kennedy" had to stand side by side:
    # no BBC document, where "Iraq Kennedy" finds 128)
    results, plain = small_index.search(typed, limit=20), small_index.search(meant, limit=20)
    assert plain.total > 0
    assert [(h.id, h.score) for h in results.hits] == [(h.id, h.score) for h in plain.hits]
    assert results.notes == [
        f"{note} between two words is a space here (to search words side by side, quote them)."]


@pytest.mark.parametrize("typed", ["3,000", '"Labour, Conservative"', "title:Labour,Tories"])
def test_a_comma_in_a_number_a_quoted_phrase_or_a_field_term_is_no_list(
    small_index: CorpusIndex, typed: str
):
    assert not any("is read as" in note for note in small_index.search(typed).notes)
