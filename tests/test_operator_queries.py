"""Specification of queries with operators (AND, OR, NOT, brackets, ``+word``): a count must
count what was typed, as it does for plain words.

A plain query's count counts a lexicon term typed as the term, in any form the lexicon lists,
not its words apart, and a name as all its words; a query with operators is read by Whoosh's
parser and has no concepts to count by, so its terms and names are built whole: "Lib Dems AND
tuition fees" counts the documents "Lib Dems" AND "tuition fees" counts, not those saying
"speaking fees". Search, concordance and highlights read the same query tree.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_search_command, index_of
from corpus_search import CorpusIndex, Document

DOCUMENTS = {
    "fees": "The Lib Dems would scrap tuition fees, and cut the licence fee.",
    "liberal": "The Liberal Democrats promised to abolish top-up fees at universities.",
    "speaking": "The Lib Dems leader earned speaking fees in America.",
    "licence": "Lib Dem peers criticised the licence fee and university tuition.",
    "howard": "Michael Howard attacked Tony Blair over Iraq.",
    "owen": "Michael Owen scored as Tony Blair watched.",
    "plp": "The PLP met Tony Blair on Monday.",
    "labour": "The Labour Party met Tony Blair on Monday.",
    "brown": "Gordon Brown and Tony Blair spoke about the Budget.",
    "nick": "Nick Brown spoke about farming.",
    "demand": "Voters demand lower taxes.",
}

#: lexicon terms the documents write, typed as a researcher would
TERMS = ["Lib Dems", "tuition fees", "Liberal Democrats", "top-up fees", "Labour Party",
         "Tony Blair", "Michael Howard", "PLP", "Budget", "Iraq"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    yield from index_of(tmp_path_factory, "operators", [
        Document(id=key, title=key, body=text) for key, text in DOCUMENTS.items()])


def found(index: CorpusIndex, text: str) -> set[str]:
    """The ids of the documents a search of ``text`` finds."""
    return {hit.id for hit in index.search(text, limit=50, correct=False).hits}


def counted(index: CorpusIndex, text: str) -> int:
    return index.count(text, correct=False).total


# -- lexicon terms, names and related terms inside a query with operators -------------------


def test_a_lexicon_term_typed_in_a_query_with_operators_is_the_term_not_its_words(index):
    typed = found(index, "Lib Dems AND tuition fees")
    assert typed == {"fees", "liberal"}  # not "speaking fees", nor the licence fee
    assert typed == found(index, '"Lib Dems" AND "tuition fees"')
    assert counted(index, "Lib Dems AND tuition fees") == 2


@pytest.mark.parametrize("query", ["Lib Dems^2 AND tuition fees", "Lib Dems AND tuition fees^3",
                                   "Lib Dem* AND tuition fees", "lib dem* AND tuition fee*",
                                   "(Lib Dem*) AND tuition fees"])
def test_a_term_whose_last_word_carries_a_boost_or_wildcard_is_still_the_term(index, query):
    # read as its words apart, "Lib Dems^2 AND tuition fees" counted 77 BBC documents
    # (Lib OR (Dems^2 AND tuition) OR fees) and "Lib Dem* AND tuition fees" 78, where the
    # term reading counts 12: a boost weighs a term, a wildcard completes it
    assert found(index, query) == {"fees", "liberal"}
    assert counted(index, query) == 2


def test_a_wildcard_completing_a_term_finds_the_term_in_every_form_the_lexicon_lists(index):
    # Lib Dem* is Lib Dem, Lib Dems: the Liberal Democrats too, not Lib or any Dem- word
    # (it found 490 BBC documents, "demand" and "democracy" among them, where Lib Dems 147)
    assert found(index, "Lib Dem*") == found(index, "Lib Dems") == {
        "fees", "liberal", "speaking", "licence"}
    assert index.search("Lib Dems^2", correct=False).hits[0].score > \
        index.search("Lib Dems", correct=False).hits[0].score


@pytest.fixture(scope="module")
def democracy(tmp_path_factory: pytest.TempPathFactory):
    """The documents, and one saying "democracy" (a word starting "Dem")."""
    yield from index_of(tmp_path_factory, "democracy", [
        Document(id=key, title=key, body=text) for key, text in
        {**DOCUMENTS, "democracy": "Democracy was restored."}.items()])


@pytest.mark.parametrize("query", ["(Lib Dem* OR demand)", "body:(Lib Dem* OR demand)",
                                   "(Lib Dem* demand)"])
def test_a_wildcard_completing_a_term_that_opens_a_group_or_field_completes_the_term(
    democracy, query
):
    # the bracket or field glued to "Lib" had kept the term from being seen: the pattern
    # was Lib or any word starting "Dem" ("(Lib Dem* OR Tories)": 585 BBC documents, 256 now)
    assert found(democracy, query) == {"fees", "liberal", "speaking", "licence", "demand"}


def test_a_party_typed_with_a_wildcard_completing_its_name_is_the_party(democracy):
    # party:Lib Dem* was party:Lib, which holds nothing, or any word starting "Dem" (489
    # BBC documents); as party:Lib Dems, it is the Liberal Democrats (147)
    assert found(democracy, "party:Lib Dem*") == found(democracy, "party:Lib Dems") == {
        "fees", "liberal", "speaking", "licence"}
    notes = democracy.search("party:Lib Dem* Iraq").notes
    assert any(n.endswith("party:Lib Dem* AND Iraq finds those matching both.") for n in notes)


@pytest.mark.parametrize(("query", "term"), [
    ("Lib Dems~", "Lib Dems"), ("Lib Dems~2", "Lib Dems"), ("lib dems~1/2", "lib dems"),
    ("(Lib Dems~)", "(Lib Dems)")])
def test_a_fuzzy_mark_after_a_term_searches_the_term_and_says_so(index, query, term):
    # a term is already matched in every form the lexicon lists; the mark made its last
    # word alone fuzzy ("Lib Dems~" found the 104 BBC documents saying Lib or a word an edit
    # from Dems, where Lib Dems finds 147)
    results = index.search(query, correct=False)
    plain = index.search(term, correct=False)
    assert found(index, query) == {"fees", "liberal", "speaking", "licence"}
    assert [(h.id, h.score) for h in results.hits] == [(h.id, h.score) for h in plain.hits]
    assert any("is a lexicon term, already matched in every form" in n for n in results.notes)
    assert counted(index, f"{query} AND tuition fees~") == 2  # (tuition fees: a term too)


@pytest.mark.parametrize("query", ['"Lib Dems"~2', "Dems~", "Lib~ Dems", "tuition~ fees"])
def test_a_fuzzy_mark_on_a_word_or_a_phrase_is_not_a_terms(index, query):
    # a phrase's distance, a single word's fuzziness and a mark inside a term stay as typed
    notes = index.search(query, correct=False).notes
    assert not any("is a lexicon term" in n for n in notes)


@pytest.mark.parametrize(("query", "pattern"), [
    ("Blai*~", "Blai*"), ("Bl?ir~2", "Bl?ir"), ("(Mich*~1/2 OR Gordon)", "(Mich* OR Gordon)")])
def test_a_word_both_a_wildcard_pattern_and_fuzzy_is_the_pattern_with_a_note(
    index, query, pattern
):
    # as Lucene reads it; the literal pattern "blair*~" had been searched (0 BBC documents)
    results = index.search(query, correct=False)
    assert found(index, query) == found(index, pattern) != set()
    word, mark = re.match(r"\(?([^~]*)(~\S*?)\)?(?: |$)", query).groups()
    assert results.notes == [f"{word}{mark}: a word is a wildcard pattern or fuzzy, not both, "
                             f"so this searched the pattern {word}."]


def test_a_term_in_a_query_with_operators_counts_the_documents_its_plain_query_counts(index):
    for term in ["tuition fees", "Lib Dems", "Labour Party"]:
        assert counted(index, f"({term})") == counted(index, term) == counted(index, f'"{term}"')
        assert counted(index, f"{term} NOT zzzz") == counted(index, term)


def test_a_name_in_a_query_with_operators_is_all_its_words(index):
    # Whoosh's precedence had read Michael OR (Howard AND Blair): Michael Owen too
    assert found(index, "Michael Howard AND Blair") == {"howard"}
    assert found(index, "Blair AND Gordon Brown") == {"brown"}  # not Nick Brown
    assert found(index, "Mr Howard AND Blair") == {"howard"}


def test_a_narrower_term_with_operators_does_not_match_the_broader_term_it_implies(index):
    # a plain query's count leaves out the documents holding only a related term (Labour
    # for PLP): so does a query with operators, which has no concepts to say which they are
    assert found(index, "PLP AND Blair") == {"plp"}
    assert "labour" in found(index, "Labour AND Blair")  # the broader finds the narrower
    assert "plp" in found(index, "Labour AND Blair")


def test_concordance_and_highlights_of_a_query_with_operators_show_the_term_alone(index):
    places = index.concordance("Lib Dems AND tuition fees").lines
    assert places and not any(line.match.lower().startswith("fee") for line in places)
    assert {line.match for line in places if line.id == "fees"} == {"Lib Dems", "tuition fees"}
    hit = index.search("Lib Dems AND tuition fees", correct=False).hits
    marked = {text for h in hit if h.id == "fees"
              for fragment in h.snippet.fragments for text, mark in fragment if mark}
    assert "fee" not in {m.lower() for m in marked}


joined = st.lists(st.sampled_from(TERMS), min_size=2, max_size=4).flatmap(
    lambda terms: st.tuples(st.just(terms), st.lists(
        st.sampled_from(["AND", "OR", "AND NOT", "OR NOT"]),
        min_size=len(terms) - 1, max_size=len(terms) - 1)))


def _written(terms: list[str], operators: list[str], quoted: bool) -> str:
    parts = [f'"{terms[0]}"' if quoted else terms[0]]
    for op, term in zip(operators, terms[1:], strict=True):
        parts += [op, f'"{term}"' if quoted else term]
    return " ".join(parts)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=joined, bracketed=st.booleans())
def test_any_query_of_terms_and_operators_counts_what_it_counts_with_its_terms_quoted(
    index, query, bracketed
):
    terms, operators = query
    typed = _written(terms, operators, quoted=False)
    quoted = _written(terms, operators, quoted=True)
    if bracketed:
        typed, quoted = f"({typed}) OR zzzz", f"({quoted}) OR zzzz"
    assert found(index, typed) == found(index, quoted)
    # search and count read the same query: the count is the search's total
    assert counted(index, typed) == index.search(typed, correct=False).total


# -- +word: required -----------------------------------------------------------------------

WORDS = ["Blair", "Howard", "Brown", "Iraq", "Monday", "fees", "zzzz"]


def test_a_plus_sign_makes_a_word_required(index):
    both = found(index, "Blair AND Howard")
    assert found(index, "+Blair +Howard") == both == {"howard"}
    assert found(index, "Blair Howard") > both  # without the signs, either word


def test_a_plus_sign_requires_its_word_and_the_others_rank_the_matches(index):
    results = index.search("+Blair Howard", correct=False)
    assert {h.id for h in results.hits} == found(index, "Blair")
    assert results.hits[0].id == "howard"  # the one naming Howard too ranks first
    assert results.parsed_query == "(blair ANDMAYBE howard)"


def test_a_plus_sign_requires_a_phrase_a_group_or_a_lexicon_term(index):
    assert found(index, '+"Gordon Brown" Blair') == {"brown"}
    assert found(index, "+(Howard OR Owen) Blair") == {"howard", "owen"}
    assert found(index, "+Lib Dems tuition") == found(index, '"Lib Dems"')
    # brackets keep their required word to themselves: an OR beside them joins them whole
    assert found(index, "(+Blair Howard) OR farming") == found(index, "Blair OR farming")


def test_a_plus_sign_with_exclusion_requires_and_excludes(index):
    assert found(index, "+Blair -Monday farming") == found(index, "Blair NOT Monday")


def test_a_plus_inside_a_word_or_standing_alone_is_text(index):
    assert found(index, "Blair + Howard") == found(index, "Blair Howard")
    assert index.search("C++ Howard", correct=False).parsed_query == "(c OR howard)"


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.tuples(st.sampled_from(WORDS), st.booleans()), min_size=1,
                      max_size=4, unique_by=lambda w: w[0]))
def test_any_words_with_plus_signs_find_the_documents_holding_every_required_word(
    index, words
):
    text = " ".join(f"+{w}" if plus else w for w, plus in words)
    required = [found(index, w) for w, plus in words if plus]
    expected = (set.intersection(*required) if required
                else set.union(*(found(index, w) for w, _ in words)))
    assert found(index, text) == expected
    assert counted(index, text) == len(expected)


# -- the query as understood ---------------------------------------------------------------


def test_a_phrase_searched_with_a_distance_is_understood_with_it(index):
    assert index.search('"Tony Blair"~3', correct=False).parsed_query == '"toni blair"~3'
    assert index.search('"Tony Blair"~3 AND Iraq', correct=False).parsed_query == (
        '("toni blair"~3 AND iraq)')
    assert "~" not in index.search('"Tony Blair" AND Iraq', correct=False).parsed_query


@pytest.mark.parametrize(("typed", "understood", "note"), [
    ("Blair and Howard", "(blair OR howard)", "and, in lower case, is a word (too common to be "
     "searched), not the operator AND: operators are written in capitals (Blair AND Howard)."),
    ("Blair not Monday", "(blair OR not OR monday)", "not, in lower case, is a word (searched "
     "as one), not the operator NOT: operators are written in capitals (Blair NOT Monday)."),
])
def test_a_lower_case_operator_is_a_word_and_a_note_says_so(index, typed, understood, note):
    results = index.search(typed, correct=False)
    assert results.parsed_query == understood
    assert note in results.notes
    assert found(index, typed) != found(index, typed.upper().replace("BLAIR", "Blair")
                                        .replace("HOWARD", "Howard").replace("MONDAY", "Monday"))


def test_a_lower_case_operator_beside_operators_is_a_word_and_a_note_says_how_it_reads(index):
    # "Blair AND Brown and Howard" is (Blair AND Brown) OR Howard, as Whoosh joins words
    # typed apart: 177 BBC documents where Blair AND Brown AND Howard finds 18, and no note
    results = index.search("Blair AND Tony and Howard", correct=False)
    assert results.notes == [
        "and, in lower case, is a word (too common to be searched), not the operator AND: "
        "operators are written in capitals (Tony AND Howard); words with no operator between "
        "them are either/or."]
    assert found(index, "Blair AND Tony and Howard") == found(
        index, "(Blair AND Tony) OR Howard")
    assert found(index, "Blair AND Tony AND Howard") == {"howard"}


@pytest.mark.parametrize(("typed", "items", "both"), [
    ("party:Labour Budget", "party:Labour or Budget", "party:Labour AND Budget"),
    ("party:Labour  Gordon Brown", "party:Labour or (Gordon Brown)",
     "party:Labour AND (Gordon Brown)"),
])
def test_a_metadata_field_typed_beside_words_finds_either_and_a_note_gives_the_query_for_both(
        index, typed: str, items: str, both: str):
    # party:Labour NHS found the 223 BBC documents naming Labour or the NHS, where
    # party:Labour AND NHS finds the 16 doing both, and nothing said so
    results = index.search(typed, correct=False)
    assert results.notes == [
        f"{' '.join(typed.split())} finds the documents matching {items} (with no operator "
        f"between them, either is enough); {both} finds those matching both."]
    assert found(index, both) < found(index, typed)  # (the note says what each finds)


def test_three_metadata_terms_and_words_typed_apart_are_any_one_of_them():
    from corpus_search.search.operators import field_either_note

    assert field_either_note('source:"BBC News" year:2005 Iraq war') == (
        'source:"BBC News" year:2005 Iraq war finds the documents matching source:"BBC News" '
        "or year:2005 or (Iraq war) (with no operator between them, any one is enough); "
        'source:"BBC News" AND year:2005 AND (Iraq war) finds those matching all.')


@pytest.mark.parametrize("typed", ["party:Labour AND Budget", "party:Labour -Budget",
                                   "date:[2005 TO", "date:{2005 Budget",
                                   "party:Labour +Budget", "(party:Labour) Budget",
                                   "party:Labour", "title:Labour Budget", "Budget"])
def test_a_metadata_field_joined_by_an_operator_sign_or_bracket_or_alone_has_no_such_note(
        index, typed: str):
    assert not any("either is enough" in note
                   for note in index.search(typed, correct=False).notes)


@pytest.mark.parametrize(("typed", "meant", "operator"), [
    ("+NOT Monday", "NOT Monday", "NOT"), ("Blair +AND Brown", "Blair AND Brown", "AND"),
    ("Blair +OR Iraq", "Blair OR Iraq", "OR")])
def test_a_plus_sign_before_an_operator_is_left_out_and_a_note_says_so(
        index, typed, meant, operator):
    # +NOT Blair had required the word "not": 1,367 BBC documents, where NOT Blair finds 2,044
    results = index.search(typed, limit=50, correct=False)
    assert {h.id for h in results.hits} == found(index, meant)
    assert results.notes == [f"+{operator}: a plus sign requires a word, and {operator} is an "
                             "operator, so the plus sign was left out."]
    # in lower case "not" is a word, which the sign requires
    assert index.search("+not Monday", correct=False).parsed_query == "(not ANDMAYBE monday)"


@pytest.mark.parametrize("typed", [
    "Blair AND and Iraq",  # beside an operator: it joins nothing
    '"Blair and Howard"',  # in a phrase
    "and Blair",  # no word before it
])
def test_no_lower_case_operator_note_where_the_word_joins_nothing(index, typed):
    assert not any("in lower case, is a word" in n for n in index.search(typed).notes)


# -- the command line's hint for a query starting with a minus -----------------------------


def _error(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run([*corpus_search_command(), *args], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL).stderr


def test_an_option_a_command_lacks_gets_no_hint_about_queries_starting_with_a_minus(
    index, cli_env
):
    where = ["--index", str(index.path)]
    hint = "A query that starts with - goes after --"
    assert hint not in _error(["count", "-n", "3", "Blair", *where], cli_env)
    assert hint not in _error(["search", "-x", "Blair", *where], cli_env)
    assert hint in _error(["count", "-Monday Blair", *where], cli_env)
    assert hint in _error(["count", '-"Tony Blair" Iraq', *where], cli_env)
    assert re.search(r"No such option '-n'\. \(see: corpus-search count --help\)",
                     _error(["count", "-n", "3", "Blair", *where], cli_env))


def test_a_party_field_whose_value_starts_a_lexicon_term_is_noted_as_the_term():
    # (party:Lib Dems is the party Liberal Democrat: the note had said "party:Lib or Dems")
    from corpus_search.search.operators import field_either_note

    text = "party:Lib Dems NHS"
    assert field_either_note(text, [(6, 14)]) == (
        "party:Lib Dems NHS finds the documents matching party:Lib Dems or NHS (with no "
        "operator between them, either is enough); party:Lib Dems AND NHS finds those "
        "matching both.")
    assert field_either_note("party:Lib Dems", [(6, 14)]) is None


def test_lucenes_double_ampersand_and_double_bar_are_and_and_or(index):
    # (read as punctuation, "Iraq && Blair" found every document naming either)
    assert found(index, "Iraq && Blair") == found(index, "Iraq AND Blair") == {"howard"}
    assert found(index, "Iraq || farming") == {"howard", "nick"}
    assert found(index, "(Iraq || farming) && Michael") == {"howard"}
    assert index.search('"Iraq && Blair"', correct=False).parsed_query == \
        index.search('"Iraq Blair"', correct=False).parsed_query  # quoted: text


def test_lucenes_exclamation_mark_before_a_word_is_not(index):
    # (read as punctuation, "Iraq !Blair" found every document naming either)
    assert found(index, "Iraq !Blair") == found(index, "Iraq ! Blair") == \
        found(index, "Iraq NOT Blair") != found(index, "Iraq OR Blair")
    assert found(index, "Iraq !(Blair OR farming)") == found(index, "Iraq NOT (Blair OR farming)")
    assert found(index, 'Iraq !"Blair"') == found(index, "Iraq NOT Blair")
    # an exclamation mark ending a word, or inside quotes, is text
    assert index.search("Iraq!", correct=False).parsed_query == \
        index.search("Iraq", correct=False).parsed_query
    assert index.search('"Iraq !Blair"', correct=False).parsed_query == \
        index.search('"Iraq Blair"', correct=False).parsed_query
