"""Specification of how a typed query becomes a Whoosh query.

Plain words are built into a query directly (Whoosh's parser took a third of a search's
time); the result must be exactly what the parser makes of the same words.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh import query as Q

from corpus_search import CorpusIndex, QueryError
from corpus_search.search.engine import engine_for
from corpus_search.search.parsing import _direct_query, _parser, _prepare, build_query
from corpus_search.search.ranking import RANKING

VOCABULARY_TEXT = """
Lib Dems Labour labour PMQs by-election byelection turn out Number 10 the of
Tories Corbyn's MPs' U.S. 3.5 prime minister Prime Minister spin doctor
tuition top-up fees no-confidence NHS green belt Green Party House Lords
super casino Sinn Féin a and or not co-op 2005 £5 % it's O'Brien
Chancellor Exchequer anti-terror - -- a- ’ Commons Wales pre-Budget
Parliamentary Labour Party PLP market Plaid Cymru hospital waiting lists
"""
VOCABULARY = [
    *VOCABULARY_TEXT.split(),
    '"Lib Dems"', '"labour market"', '"turn out"', '"the by-election"', '"PLP"', '""',
    '"', 'a"b', '"tax~2"', '"tax',
]  # fmt: skip

plain_queries = st.lists(
    st.one_of(st.sampled_from(VOCABULARY), st.text(alphabet="abcxyzé-'.,0", max_size=6)),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=plain_queries)
@example(text=".'0 Party .'-")  # a closed-up pair glued to the next word's dash
def test_plain_words_make_the_same_query_as_whooshs_parser(small_index: CorpusIndex, text: str):
    text = text.strip()
    parser = _parser(small_index, ("title", "body"), RANKING)
    direct = _direct_query(parser, text, small_index, RANKING)
    if direct is None:  # single quotes and the like: left to the parser
        return
    reader = _parser(small_index, ("title", "body"), RANKING)  # a fresh one: its own readings
    parsed = reader.parse(_prepare(text, small_index, RANKING, phrase_fallback=True))
    assert direct[0].normalize() == parsed.normalize()
    assert parser.readings == reader.readings  # each word read as the same terms


def test_query_syntax_goes_through_whooshs_parser(small_index: CorpusIndex):
    parser = _parser(small_index, ("title", "body"), RANKING)
    for text in (
        '"labour market"~2',
        'x"labour market"',
        '"labour market',
        "title:pensions",
        "unemploy*",
        "corbin~",
        "Wales AND powers",
        "'Labour'",
        "(a OR b)",
        "tax^2",
    ):
        assert _direct_query(parser, text, small_index, RANKING) is None, text


def test_not_inside_a_group_of_words_excludes_from_the_whole_group(small_index: CorpusIndex):
    q = build_query(small_index, "Commons NOT Brent").query
    assert isinstance(q, Q.AndNot)
    found = {h.id for h in small_index.search("Commons NOT Brent").hits}
    assert found and "libdems/brent" not in found
    assert {h.id for h in small_index.search("Commons AND NOT Brent").hits} == found


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=plain_queries)
def test_plain_words_are_ranked_by_concepts_that_match_exactly_what_the_query_matches(
    small_index: CorpusIndex, text: str
):
    text = text.strip()
    try:
        parsed = build_query(small_index, text)
    except QueryError:
        return  # nothing to search for
    if parsed.concepts is None:  # not plain: Whoosh's parser built it
        return
    searcher = small_index.searcher()
    engine = engine_for(searcher, RANKING.k1, RANKING.b, {"title": RANKING.title_b})
    fields = RANKING.field_boosts(["title", "body"])
    match = engine.score_concepts(parsed.concepts, fields, RANKING.coverage).match
    assert set(match.docs.tolist()) == set(searcher.docs_for_query(parsed.query))


def test_every_plain_query_is_ranked_by_the_engine_not_whooshs_fallback(
    small_index: CorpusIndex, monkeypatch
):
    def refuse(*args):
        raise AssertionError("a plain query reached Whoosh's searcher")

    monkeypatch.setattr("corpus_search.search.execute._search_whoosh", refuse)
    for text in ["Lib Dems by-election", '"labour market" Wales', "turn out PLP", "Corbin"]:
        small_index.search(text)
