"""Specification of the query API: ranking, filters, facets, pages, snippets, bad queries."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO, SEEDS, SMALL_CORPUS
from corpus_search import (
    CorpusIndex,
    Document,
    DocumentNotFoundError,
    MultiIndex,
    QueryError,
    SearchFilters,
)
from corpus_search.errors import Unsupported
from corpus_search.search.engine import QueryEngine
from corpus_search.search.filters import canonical_party


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


def test_a_query_for_plp_finds_the_article_that_says_parliamentary_labour_party(
    small_index: CorpusIndex,
):
    assert ids(small_index.search("PLP"))[0] == "labour/plp"


def test_a_query_for_lib_dems_finds_the_liberal_democrats(small_index: CorpusIndex):
    assert ids(small_index.search("Lib Dems"))[0] == "libdems/brent"
    assert ids(small_index.search("lib dems"))[0] == "libdems/brent"


def test_byelection_finds_by_election_in_any_spelling(small_index: CorpusIndex):
    for query in ("byelection", "by-election", "by election", "by-elections"):
        assert ids(small_index.search(query))[0] == "libdems/brent", query


def test_tories_finds_the_conservatives(small_index: CorpusIndex):
    assert ids(small_index.search("Tories"))[0] == "tories/budget"
    assert "tories/budget" in ids(small_index.search("Conservative Party"))


def test_commons_does_not_match_common(small_index: CorpusIndex):
    found = ids(small_index.search("Commons"))
    assert "economy/common" not in found
    assert {"libdems/brent", "tories/budget"} <= set(found)


def test_labor_finds_labour(small_index: CorpusIndex):
    assert "labour/plp" in ids(small_index.search("labor"))


def test_a_word_in_the_title_outranks_the_same_words_in_the_body(small_index: CorpusIndex):
    found = ids(small_index.search("hospital waiting lists"))
    assert found[:2] == ["misc/title_vs_body", "misc/body_only"]


def test_a_quoted_phrase_matches_the_words_in_order_then_all_its_words(small_index: CorpusIndex):
    in_order = small_index.search('"labour market"')
    assert ids(in_order) == ["economy/jobs"] and in_order.phrase_matches == 1
    # no document has the words in this order: the one with both words follows, not as the phrase
    reversed_words = small_index.search('"market labour"')
    assert ids(reversed_words) == ["economy/jobs"] and reversed_words.phrase_matches == 0


def test_a_phrase_with_a_lexicon_term_matches_either_surface_form(small_index: CorpusIndex):
    assert ids(small_index.search('"the Lib Dems won"')) == ["libdems/brent"]
    assert ids(small_index.search('"Liberal Democrats won"')) == ["libdems/brent"]


def test_boolean_operators_and_field_queries_work(small_index: CorpusIndex):
    assert set(ids(small_index.search("Wales AND powers"))) == {"wales/assembly"}
    assert "wales/assembly" not in ids(small_index.search("Labour NOT Wales"))
    assert ids(small_index.search("title:pensions")) == ["economy/common"]


def test_wildcards_and_fuzzy_terms_work(small_index: CorpusIndex):
    assert "economy/jobs" in ids(small_index.search("unemploy*"))
    assert "labour/plp" in ids(small_index.search("corbin~"))


def test_party_filter_keeps_only_documents_mentioning_that_party(small_index: CorpusIndex):
    found = ids(small_index.search("Commons", filters={"party": "Lib Dems"}))
    assert found == ["libdems/brent"]
    found = ids(small_index.search("Commons", filters=SearchFilters(party="conservative")))
    assert found == ["tories/budget"]


@pytest.mark.parametrize(
    ("typed", "party"),
    [("Labor", "Labour"), ("labor party", "Labour"), ("veritas", "Veritas"),
     ("Lib-Dem", "Liberal Democrat"), ("greens", "Green"), ("social democrats", "SDP"),
     ("the Tory party", "Conservative")],
)
def test_a_party_filter_reads_any_name_or_form_of_the_party(
    small_index: CorpusIndex, typed: str, party: str
):
    # "Veritas" alone is an ambiguous form in running text, but a party filter names a party
    assert canonical_party(typed, small_index) == party
    assert canonical_party("labour market", small_index) == "labour market"  # not a party


@pytest.mark.parametrize(
    ("typed", "named"),
    [("Labour,Conservative", "(Conservative, Labour)"),
     ("Tory Lib Dem coalition", "(Conservative, Liberal Democrat)")],
)
def test_a_party_filter_naming_several_parties_is_refused_naming_them_and_the_query_for_each(
    small_index: CorpusIndex, typed: str, named: str
):
    # it kept the documents of the first in alphabetical order (Conservative), silently
    with pytest.raises(QueryError) as refused:
        small_index.search("Commons", filters={"party": typed})
    message = str(refused.value)
    assert f"{typed!r} names 2 {named}" in message and "\n" not in message
    assert message.endswith("party:Conservative AND party:" + (
        "Labour" if "Labour" in named else '"Liberal Democrat"'))
    with pytest.raises(QueryError, match="names 2"):
        small_index.search(f'Commons party:"{typed}"')


def test_a_party_filter_in_american_spelling_keeps_the_party_documents(
    small_index: CorpusIndex,
):
    assert ids(small_index.search("Commons", filters={"party": "Labor"})) == ids(
        small_index.search("Commons", filters={"party": "Labour"})
    ) != []


def test_date_filters_are_inclusive(small_index: CorpusIndex):
    found = ids(small_index.search("Labour OR unemployment OR Wales",
                                   filters={"since": "2005", "until": "2005-06-15"}))
    assert set(found) == {"economy/jobs", "wales/assembly"}


def test_sorting_by_date_puts_the_newest_first(small_index: CorpusIndex):
    found = small_index.search("Labour OR Conservatives OR unemployment", sort="date")
    dates = [h.date for h in found.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    assert found.hits[0].id == "labour/plp"


def test_facets_count_every_match_not_just_the_page(small_index: CorpusIndex):
    results = small_index.search("Labour OR Commons OR Wales OR pensions", limit=1)
    assert len(results.hits) == 1
    assert results.total >= 4
    assert sum(results.facets["year"].values()) == results.total - 1  # "common ground" is undated
    assert results.facets["party"]["Labour"] >= 2


def use_search_path(monkeypatch: pytest.MonkeyPatch, path: str) -> list[int]:
    """Make searches take one of their two paths: the engine's arrays, or Whoosh's own
    searcher (taken for queries the engine cannot evaluate). Returns a list that grows each
    time the engine evaluates a query."""
    evaluated: list[int] = []
    evaluate = QueryEngine.evaluate

    def evaluate_or_decline(self: QueryEngine, *args: object, **kwargs: object):
        if path == "whoosh":
            raise Unsupported("this test takes the Whoosh path")
        evaluated.append(1)
        return evaluate(self, *args, **kwargs)

    monkeypatch.setattr(QueryEngine, "evaluate", evaluate_or_decline)
    return evaluated


#: (labour in lower case is the word in any sense: the labour market's too, 8 documents in all)
FACETED_QUERY = "labour OR Commons OR Wales OR pensions OR ministers"


@pytest.mark.parametrize("path", ["arrays", "whoosh"])
@pytest.mark.parametrize("filters", [{"party": "Labour"}, {"since": "2005"}])
def test_facets_count_only_the_documents_the_filters_keep(
    small_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch, path: str, filters: dict
):
    evaluated = use_search_path(monkeypatch, path)
    kept = small_index.search(FACETED_QUERY, filters=filters, limit=100).hits
    results = small_index.search(FACETED_QUERY, filters=filters, limit=1)
    assert results.total == len(kept)
    assert results.facets == {
        "source": dict(Counter(h.source for h in kept if h.source)),
        "party": dict(Counter(p for h in kept for p in h.parties)),
        "year": dict(Counter(str(h.date.year) for h in kept if h.date)),
    }
    assert results.facets != small_index.search(FACETED_QUERY, limit=1).facets
    assert bool(evaluated) == (path == "arrays")


@pytest.mark.parametrize("path", ["arrays", "whoosh"])
@pytest.mark.parametrize("filters", [{}, {"since": "2005"}])
def test_the_matches_that_name_no_party_are_counted_beside_the_party_facet(
    small_index: CorpusIndex, monkeypatch: pytest.MonkeyPatch, path: str, filters: dict
):
    # (the party counts add up to no total: a document names any number of parties, or none,
    # and the matches naming none had no count at all)
    use_search_path(monkeypatch, path)
    kept = small_index.search(FACETED_QUERY, filters=filters, limit=100).hits
    results = small_index.search(FACETED_QUERY, filters=filters, limit=1)
    assert results.without_party == sum(1 for h in kept if not h.parties) > 0
    assert results.to_dict()["without_party"] == results.without_party


def test_a_listing_and_the_documents_like_one_count_those_naming_no_party_too(
    small_index: CorpusIndex,
):
    every = small_index.search("*", limit=1000).hits
    assert small_index.search("*", limit=1).without_party == sum(not h.parties for h in every)
    alike = small_index.similar("wales/assembly", limit=1000)
    assert alike.without_party == sum(not h.parties for h in alike.hits) == 3


@pytest.mark.parametrize(("limit", "pages"), [(2, 4), (3, 3), (5, 2), (6, 2), (8, 1), (100, 1)])
def test_the_page_count_rounds_up_so_the_last_hits_have_a_page(
    small_index: CorpusIndex, limit: int, pages: int
):
    results = small_index.search(FACETED_QUERY, limit=limit)
    assert results.total == 8
    assert results.pages == pages
    assert json.loads(results.to_json())["pages"] == pages
    last = small_index.search(FACETED_QUERY, limit=limit, page=pages)
    assert 1 <= len(last.hits) <= limit
    assert small_index.search(FACETED_QUERY, limit=limit, page=pages + 1).hits == []


def test_a_search_with_no_hits_has_one_empty_page(small_index: CorpusIndex):
    results = small_index.search("zebrafish")
    assert (results.total, results.pages, results.hits) == (0, 1, [])


def test_pages_step_through_the_same_ranking(small_index: CorpusIndex):
    everything = ids(small_index.search("ministers OR Labour", limit=20))
    page2 = small_index.search("ministers OR Labour", limit=2, page=2)
    assert ids(page2) == everything[2:4]
    assert page2.total == len(everything)
    assert page2.pages == (len(everything) + 1) // 2
    assert small_index.search("ministers OR Labour", limit=2, page=99).hits == []


def test_snippets_mark_the_matched_words_in_three_renderings(small_index: CorpusIndex):
    hit = small_index.search("unemployment").hits[0]
    assert "**unemployment**" in hit.snippet.plain
    assert "\x1b[1;33munemployment\x1b[0m" in hit.snippet.ansi
    assert "<mark>unemployment</mark>" in hit.snippet.html


def test_a_snippet_highlights_the_whole_expanded_phrase(small_index: CorpusIndex):
    hit = small_index.search("PLP").hits[0]
    assert "Parliamentary Labour Party" in " ".join(hit.snippet.matches)


def test_html_snippets_escape_the_document_text(small_index: CorpusIndex):
    hit = small_index.search("markup ampersands").hits[0]
    assert hit.id == "misc/markup"
    html = hit.snippet.html
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert "<mark>" in html


def test_a_misspelled_name_gets_a_suggestion_and_still_finds_it(small_index: CorpusIndex):
    results = small_index.search("Corbin")
    assert results.suggestion and "corbyn" in results.suggestion.lower()
    assert ids(results)[0] == "labour/plp"


def test_results_report_the_query_as_understood(small_index: CorpusIndex):
    results = small_index.search("Lib Dems")
    assert "lib_dem" in results.parsed_query


def test_results_serialise_to_the_documented_json_schema(small_index: CorpusIndex):
    results = small_index.search("Labour")
    data = json.loads(results.to_json())
    assert data["schema"] == "corpus-search/results/v1"
    assert set(data) == {"schema", "query", "parsed_query", "total", "page", "pages", "limit",
                         "suggestion", "suggestion_applied", "not_found", "partly_found",
                         "boilerplate_words",
                         "notes", "why_empty", "undated_left_out", "phrase_matches",
                         "phrase_inside", "phrase_inside_terms", "phrase_apart",
                         "related_only", "as_characters", "facets", "without_party", "hits"}
    assert (data["query"], data["total"], data["page"], data["limit"]) == (
        "Labour", results.total, 1, results.limit)
    assert (data["suggestion"], data["suggestion_applied"], data["not_found"]) == (None, False, [])
    assert data["notes"] == []
    assert data["undated_left_out"] is None  # no date range
    assert data["facets"] == results.facets
    assert data["without_party"] == results.without_party == 0  # (every match names Labour)
    hit, first = data["hits"][0], results.hits[0]
    assert hit == {
        "id": "labour/plp", "rank": 1, "title": "Labour MPs turn on leadership",
        "score": round(first.score, 4), "date": "2017-03-13", "date_source": "dateline",
        "date_precision": "day", "shown_date": "2017-03-13", "source": "PoliticsHome",
        "parties": ["Labour"], "url": None,
        "snippet": first.snippet.plain, "snippet_html": first.snippet.html, "same_as": None,
    }
    assert "**Parliamentary Labour Party**" in hit["snippet"]
    assert "<mark>Parliamentary Labour Party</mark>" in hit["snippet_html"]


#: A malformed query is read as the well-formed query on the right (the same documents, the
#: same parsed form), or refused (None) with a QueryError saying it has nothing to search for.
#: (Not always in the same order: plain words are ranked by concepts, see test_ranking.py,
#: and a query with stray syntax is not plain.)
MALFORMED_QUERIES = [
    ('"unbalanced quote', "unbalanced quote"),  # the quote is dropped, the words kept
    ("Labour)))", "Labour"),
    ("title:", "title"),  # a field name with no value is a word
    ("a~~~", "a~"),
    ("[2004 TO", "2004"),
    ("Labour^^2", "Labour^2"),
    ('Lib Dems"', "Lib Dems"),
    ("date:[2005 TO", "date 2005"),  # an unclosed range: its words (a value that is no
    # date is refused: see test_query_syntax.py)
    ("(((", None),
    ("AND", None),  # an operator alone: nothing to search for
    ("NOT", None),
    ("OR OR", None),
    (":", None),
    ("~", None),
    ("^", None),
    ("\\", None),
    ("'", None),
    ("{}", None),
]


@pytest.mark.parametrize(("query", "read_as"), MALFORMED_QUERIES)
def test_a_malformed_query_is_read_as_its_words_or_refused_for_having_none(
    small_index: CorpusIndex, query: str, read_as: str | None
):
    if read_as is None:
        with pytest.raises(QueryError, match="has nothing to search for"):
            small_index.search(query)
        return
    results, expected = small_index.search(query), small_index.search(read_as)
    assert sorted(ids(results)) == sorted(ids(expected))
    assert results.parsed_query == expected.parsed_query


def test_a_lone_star_matches_every_document(small_index: CorpusIndex):
    results = small_index.search("*", limit=100)
    assert sorted(ids(results)) == sorted(name.removesuffix(".txt") for name in SMALL_CORPUS)


def test_the_words_of_a_malformed_query_still_find_documents(small_index: CorpusIndex):
    for query in ('"unbalanced Commons', "(((Commons", "Commons)))", "Commons^^2"):
        assert set(ids(small_index.search(query))) == {"libdems/brent", "tories/budget"}, query


@pytest.mark.parametrize("query", ["", "   ", "\x00"])
def test_an_empty_query_is_a_query_error_with_a_readable_message(small_index, query):
    with pytest.raises(QueryError, match="empty"):
        small_index.search(query)


def test_a_list_of_queries_given_to_search_is_a_query_error_naming_trends(small_index):
    """``search(["Blair"])`` raised ``TypeError: unhashable type: 'list'`` from a cache, and
    ``count(["Blair"])`` said that counting "needs a query"."""
    for method in (small_index.search, lambda q: small_index.marks(q, "Blair"),
                   small_index.count, small_index.concordance, small_index.key_terms,
                   lambda q: small_index.export_text(q)):
        with pytest.raises(QueryError, match=r"^A query must be text, not list \(several "
                                             r"queries side by side: trends\(\[\.\.\.\]\)\)\.$"):
            method(["Labour", "Tories"])
    with pytest.raises(QueryError, match=r"^A query must be text, not int\.$"):
        small_index.search(5)


def test_a_query_of_only_stop_words_is_explained(small_index: CorpusIndex):
    with pytest.raises(QueryError, match="too common"):
        small_index.search("the of and")


@pytest.mark.parametrize("query", ["\U0001f642", ":", '"', "()", "~"])
def test_a_query_of_only_symbols_says_it_has_no_words_not_that_they_are_common(
    small_index: CorpusIndex, query: str
):
    with pytest.raises(QueryError, match="no words, only symbols") as raised:
        small_index.search(query)
    assert "too common" not in str(raised.value)


@pytest.mark.parametrize("query", ["AND", "OR OR"])
def test_a_query_of_only_operators_says_so(small_index: CorpusIndex, query: str):
    with pytest.raises(QueryError, match="only operators"):
        small_index.search(query)


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"page": 0}, {"sort": "name"},
                                    {"filters": {"colour": "red"}},
                                    {"filters": {"since": "last week"}}])
def test_bad_arguments_are_query_errors(small_index: CorpusIndex, kwargs):
    with pytest.raises(QueryError):
        small_index.search("Labour", **kwargs)


def test_similar_finds_documents_about_the_same_thing(small_index: CorpusIndex):
    found = ids(small_index.similar("economy/jobs"))
    assert "economy/jobs" not in found
    with pytest.raises(DocumentNotFoundError):
        small_index.similar("no/such/doc")


#: a document about a harbour: its first eight words are held by the harbour story, one of
#: them by the storm story, its last two by no other document
HARBOUR = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry granite"


#: a document each of whose words one other document holds, none two of them
SCATTERED = ["orchard", "vineyard", "meadow", "pasture", "hedgerow", "barley", "cider"]


@pytest.fixture(scope="module")
def alike_index(tmp_path_factory: pytest.TempPathFactory):
    from corpus_search import Document

    words = HARBOUR.split()
    others = {
        "harbour/copy": " ".join(words[:8]) + " tourists summer",
        "weather/storm": "lighthouse rain wind forecast umbrella",
        # each word of the scattered story is held by one other document
        **{f"scattered/{n}": f"{w} election ballot" for n, w in enumerate(SCATTERED)},
        "scattered/source": " ".join(SCATTERED),
        "filler/a": "parliament vote minister debate",
        "filler/b": "football match goal referee",
    }
    docs = [Document(id="harbour/source", title="Harbour life", body=HARBOUR)]
    docs += [Document(id=i, title=i, body=body) for i, body in others.items()]
    index = CorpusIndex(tmp_path_factory.mktemp("alike") / "ix")
    index.add_documents(docs)
    yield index
    index.close()


def test_a_document_is_summed_up_by_the_key_terms_another_document_could_share(
    alike_index: CorpusIndex,
):
    from corpus_search.search.alike import key_terms

    terms = {term for term, _ in key_terms(alike_index.searcher(), HARBOUR)}
    assert {"quarri", "granit"}.isdisjoint(terms)  # held by no other document
    assert len(terms) == 8


def test_a_document_s_terms_are_counted_as_the_token_stream_whoosh_indexes_counts_them(
    small_index: CorpusIndex,
):
    from corpus_search.search import alike
    from corpus_search.store.columns import document_body

    searcher = small_index.searcher()
    field = searcher.schema["body"]
    texts = [document_body(searcher, n) for n in searcher.reader().all_doc_ids()]
    texts.append("\n".join(texts) * 3)  # a long one: the token stream took 20 s for 12 MB
    for text in texts:
        assert alike.term_counts(searcher, text) == {
            field.from_bytes(term): count for term, count, _w, _v in field.index(text)}


def test_a_word_held_by_more_than_half_the_documents_is_never_a_key_term(tmp_path: Path):
    # ("said" and "Labour", in 6 and 7 of the 9 articles, were key terms of most of them,
    # and made every article like the others)
    from corpus_search.search.alike import MAX_HELD, key_terms

    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(REPO / "tests" / "fixtures" / "articles")
        searcher = ix.searcher()
        reader = searcher.reader()
        documents = reader.doc_count_all()
        for _docnum, fields in reader.iter_docs():
            text = f"{fields['title']}\n{ix.get(fields['id']).body}"
            terms = key_terms(searcher, text)
            assert terms, fields["id"]
            assert [weight for _t, weight in terms] == sorted(
                (weight for _t, weight in terms), reverse=True) and terms[0][1] == 1.0
            for term, _weight in terms:
                assert 1 < reader.doc_frequency("body", term) <= MAX_HELD * documents
            assert {"said", "labour"}.isdisjoint(term for term, _ in terms)


def test_the_seed_articles_are_alike_by_what_sets_them_apart_not_by_labour(tmp_path: Path):
    # (each of the five was like all four others, through the words all five hold: Labour,
    # MPs, Corbyn, and "said", "say", "go", "take" among their key terms)
    from corpus_search.search.alike import key_terms

    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(SEEDS)
        searcher = ix.searcher()
        for _docnum, fields in searcher.reader().iter_docs():
            terms = {t for t, _ in key_terms(searcher, ix.get(fields["id"]).body)}
            assert {"labour", "labour_party", "corbyn", "mp", "said", "say", "go"}.isdisjoint(
                terms), fields["id"]
            assert len(terms) == 25
            assert 1 <= ix.similar(fields["id"]).total < len(ix) - 1


def test_a_document_is_like_one_only_if_it_shares_30_percent_of_its_key_terms(
    alike_index: CorpusIndex,
):
    from corpus_search.search.alike import MIN_SHARED, shared_needed

    assert MIN_SHARED == 0.3  # Elasticsearch's more_like_this minimum_should_match
    assert (shared_needed(25), shared_needed(8), shared_needed(3)) == (7, 2, 1)
    results = alike_index.similar("harbour/source")
    assert ids(results) == ["harbour/copy"] and results.total == 1  # not the storm story
    assert results.notes == [
        "Alike: the documents sharing 2 or more of the 8 key terms of harbour/source (the "
        "words most telling of it), most alike first; 1 more share fewer."
    ]


def test_a_document_no_other_is_like_has_no_similar_documents_and_says_how_close_they_come(
    alike_index: CorpusIndex,
):
    results = alike_index.similar("scattered/source")
    assert results.hits == [] and results.total == 0
    assert results.why_empty == [
        "No document shares 2 or more of the 7 key terms of scattered/source; the closest "
        "shares 1."
    ]


#: a story quoting an interview: its most frequent words are a question's
INTERVIEW = ("What did you tell him? You told him what you saw, and why. What you saw, you "
             "said, was the lighthouse keeper rowing out of the harbour.")


@pytest.fixture(scope="module")
def interview_index(tmp_path_factory: pytest.TempPathFactory):
    from corpus_search import Document

    docs = [
        Document(id="interview/source", title="Harbour interview", body=INTERVIEW),
        # alike only in words that carry no topic
        Document(id="interview/other", title="Questions",
                 body="What would you say to him? You know what you want, and why."),
        Document(id="harbour/copy", title="Harbour", body="A lighthouse keeper rowing out "
                 "of the harbour at dawn."),
        Document(id="filler/a", title="Vote", body="parliament vote minister debate"),
        Document(id="filler/b", title="Match", body="football match goal referee"),
    ]
    index = CorpusIndex(tmp_path_factory.mktemp("interview") / "ix")
    index.add_documents(docs)
    yield index
    index.close()


def test_words_that_carry_no_topic_are_never_key_terms(interview_index: CorpusIndex):
    # BBC politics/223 "Kennedy questions trust of Blair" had "what" and "you" among its
    # 25 key terms, politics/353 "you" and "him": every document quoting someone shared them
    from corpus_search.search.alike import NO_TOPIC, key_terms

    assert {"what", "you", "him", "why", "we", "your", "should"} <= NO_TOPIC
    terms = [term for term, _ in key_terms(interview_index.searcher(), INTERVIEW)]
    assert {"what", "you", "him", "whi", "why"}.isdisjoint(terms)
    assert {"lighthous", "keeper", "harbour"} <= set(terms)


def test_forms_of_address_are_never_key_terms_but_titles_that_name_a_house_are(tmp_path):
    # "Mr" was a key term of 19 of 445 BBC articles sampled: every story about a man has it
    from corpus_search import Document
    from corpus_search.search.alike import key_terms

    story = ("Mr Straw met Mr Hoon and Ms Jowell. Mr Straw told Mr Hoon that Lord Irvine "
             "would speak in the Lords. Mr Hoon said Mrs Beckett agreed with Dr Reid.")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="Cabinet", body=story),
                          Document(id="b", title="Other", body="Mr and Mrs Ms Dr Lord Straw "
                                   "Hoon Irvine Beckett Reid Jowell")])
        terms = [term for term, _ in key_terms(ix.searcher(), story)]
    assert {"mr", "mrs", "ms", "dr"}.isdisjoint(terms)
    assert {"straw", "hoon", "lord"} <= set(terms)


def test_a_document_with_no_key_terms_is_like_none_and_says_why(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="odd", title="Zebra", body="quokka axolotl"),
                          Document(id="a", title="Vote", body="ballot count"),
                          Document(id="b", title="Vote", body="ballot count")])
        results = ix.similar("odd")
        assert results.total == 0 and results.why_empty == [
            "odd has no key terms to be like another by: no other document holds its words, or "
            "more than half of all documents hold each."]
        assert ids(ix.similar("a")) == ["b"]  # (one other document holds them: telling)


def test_a_document_sharing_only_words_that_carry_no_topic_is_not_alike(
    interview_index: CorpusIndex,
):
    assert ids(interview_index.similar("interview/source")) == ["harbour/copy"]


def test_the_seeds_can_be_searched(seeds_index: CorpusIndex):
    results = seeds_index.search("Corbyn")
    assert results.total >= 3


def test_a_lexicon_term_the_corpus_never_uses_is_not_corrected(seeds_index):
    # the seeds never mention the Lib Dems: "Lib" and "Dems" are not typos of "laid", "do"
    results = seeds_index.search("Lib Dems")
    assert results.suggestion is None
    assert results.total == 0


def test_short_unknown_words_are_corrected_by_one_edit_only(small_index):
    assert small_index.search("Brentt").suggestion == "Brent"
    assert small_index.search("xqzt").suggestion is None


def test_a_fuzzy_query_marks_the_words_it_matched(small_index):
    hit = small_index.search("corbin~").hits[0]
    assert hit.id == "labour/plp"
    assert "**Corbyn's**" in hit.snippet.plain


def test_a_snippet_keeps_the_first_and_last_words_of_a_short_text(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "b.txt").write_text("Budget day\n\nBody text about the budget.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        assert ix.search("budget").hits[0].snippet.plain == "Body text about the **budget**."


def test_a_snippet_passage_cut_from_a_long_text_starts_and_ends_on_whole_words(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    filler = " ".join(f"word{n}" for n in range(60))
    (corpus / "a.txt").write_text(f"Budget\n\n{filler} budget {filler}\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        (passage,) = ix.search("budget").hits[0].snippet.fragments
    text = "".join(piece for piece, _ in passage)
    words = set(filler.split())
    assert text.split()[0] in words and text.split()[-1] in words  # no part of a word
    assert " budget " in text and len(text) < len(filler)


def test_two_matches_a_sentence_apart_make_one_passage_not_two_that_repeat_words(tmp_path):
    # (each passage reaches 70 characters either side of its matches: two that overlapped
    # showed "... the general election. … general election. Shadow ...", about one snippet
    # in ten on the BBC corpus)
    body = ("Labour has pledged to cut NHS waiting lists within five years if it wins the "
            "general election.\n\nShadow health secretary Wes Streeting said: \"The NHS is on "
            "its knees after fourteen years of Tory government, and patients are paying.\"")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("d", "Pledge", body)])
        (hit,) = ix.search("NHS").hits
    assert " … " not in hit.snippet.plain
    assert hit.snippet.plain.count("general election") == 1
    assert "the general election. Shadow health secretary" in hit.snippet.plain


def test_two_matches_far_apart_are_two_passages_with_what_lies_between_left_out(tmp_path):
    filler = " ".join(f"word{n}" for n in range(80))
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("d", "Budget", f"The budget. {filler} The budget again.")])
        (hit,) = ix.search("budget").hits
    first, second = ("".join(text for text, _ in passage) for passage in hit.snippet.fragments)
    assert "word40" not in first + second and first.startswith("The budget")


def _long_speech(words: int) -> str:
    """A body of ``words`` words about nothing, a line of twelve words at a time."""
    line = "The honourable member spoke at length about the matters before the House"
    return "\n".join([line] * (words // 12))


def test_a_match_far_into_a_long_body_is_marked_in_its_snippet(tmp_path):
    body = _long_speech(20_000) + "\nHe then raised the windfall tax on oil companies.\n"
    assert body.index("windfall") > 100_000  # Whoosh's highlighter looks at 32,768
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("hansard", "Debate", body)])
        (hit,) = ix.search("windfall").hits
    assert "the **windfall** tax" in hit.snippet.plain


def test_a_long_body_is_read_for_its_snippet_only_as_far_as_its_first_match(
    tmp_path, monkeypatch
):
    import corpus_search.search.highlight as highlight

    read: list[int] = []
    marked = highlight.marked_tokens
    monkeypatch.setattr(highlight, "marked_tokens",
                        lambda analyzer, text, words: read.append(len(text)) or marked(
                            analyzer, text, words))
    speech = _long_speech(200_000)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("early", "Debate", "The windfall tax.\n" + speech),
                          Document("title", "Windfall tax debate", speech)])
        hits = {hit.id: hit for hit in ix.search("windfall").hits}
    assert "**windfall**" in hits["early"].snippet.plain.lower()
    assert "**" not in hits["title"].snippet.plain  # its body never says it
    assert hits["title"].snippet.plain.startswith("The honourable member spoke")
    assert sum(read) <= highlight.SNIPPET_WINDOW + 100 < len(speech) // 10


def _sourced_index(path) -> CorpusIndex:
    from corpus_search import Document

    ix = CorpusIndex(path)
    ix.add_documents([
        Document("a", "Budget day", "The Chancellor set out the budget.", source="BBC News"),
        Document("b", "Budget reply", "The Tories attacked the budget.",
                 source="Press Association"),
        Document("c", "Labour in Wales", "Labour ministers in Wales.", source="BBC Wales"),
    ])
    return ix


def test_a_source_filter_may_name_one_word_of_the_source_when_one_source_has_it(tmp_path):
    with _sourced_index(tmp_path / "ix") as ix:
        assert ids(ix.search("budget", filters=SearchFilters(source="bbc news"))) == ["a"]
        assert ids(ix.search("budget", filters=SearchFilters(source="press"))) == ["b"]
        assert ix.search("budget", filters=SearchFilters(source="bbc")).hits == []  # two have it
        assert SearchFilters(source="press").describe(ix) == (
            "is from the source Press Association")


def test_a_document_like_one_that_is_its_copy_is_marked_as_such(tmp_path):
    """similar of a BBC article saved twice listed its copy first, as the most alike, with a
    snippet and nothing to say it was the same article (business/214 for business/240)."""
    from click.testing import CliRunner

    from corpus_search.cli import cli

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("news/1", "Harbour day", f"{words} granite."),
            Document("news/2", "Harbour  day", f"{words}   granite."),  # spacing aside
            Document("news/3", "Harbour day", f"{words} tourists."),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow {n}")
              for n in range(6)),
        ])
        alike = {hit.id: hit.same_as for hit in ix.similar("news/1").hits}
        assert alike == {"news/2": "news/1", "news/3": None}
    shown = CliRunner().invoke(cli, ["similar", "news/1", "--index", str(tmp_path / "ix")])
    assert "   The same text as news/1, the document given.\n" in shown.stdout


def test_a_hit_repeating_one_above_it_word_for_word_is_marked_as_its_copy(tmp_path):
    story = "The Chancellor   set out the budget.\nTaxes rise."
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("news/1", "Budget day", story),
            Document("news/2", "Budget day", story.replace("   ", " ")),  # spacing aside
            Document("news/3", "Budget day", story + " Labour replied."),
        ])
        results = ix.search("budget")
        copies = {h.id: h.same_as for h in results.hits}
        first = results.hits[0].id
        assert first in ("news/1", "news/2") and copies[first] is None
        assert copies == {first: None, ({"news/1", "news/2"} - {first}).pop(): first,
                          "news/3": None}
        assert [h["same_as"] for h in results.to_dict()["hits"]] == list(copies.values())
        assert [h.same_as for h in ix.search("budget", highlight=False).hits] == list(
            copies.values())  # without snippets too
        assert "same_as" not in ix.describe("news/2")
        assert [h.same_as for h in ix.search("budget", limit=1, page=2).hits] == [None]


def test_a_word_several_sources_share_says_which_they_are(tmp_path):
    with _sourced_index(tmp_path / "ix") as ix:
        results = ix.search("budget", filters=SearchFilters(source="bbc"))
        assert results.total == 0
        assert results.why_empty == [
            "The source 'bbc' is a word of several sources (BBC News or BBC Wales): name the "
            "one meant."]
        assert not any("No document is from" in why for why in results.why_empty)


def test_a_search_that_finds_nothing_says_why_in_its_results(tmp_path):
    with _sourced_index(tmp_path / "ix") as ix:
        wales = ix.search("budget", filters=SearchFilters(source="bbc wales"))
        assert wales.why_empty == [
            "2 documents match budget with no filter, but not one that is from the source "
            "BBC Wales."]
        assert wales.to_dict()["notes"] == wales.why_empty
        whig = ix.search("budget", filters=SearchFilters(party="Whig"))
        assert whig.why_empty[0].startswith("No document mentions the party 'Whig'")
        past = ix.search("budget", limit=1, page=5)
        assert past.why_empty == ["Page 5 is past the end: 2 results fill 2 pages of 1."]
        assert ix.list_documents(SearchFilters(source="bbc wales", party="Conservative"),
                                 ).why_empty == [
            "Each filter keeps some documents, but no document mentions the party "
            "Conservative and is from the source BBC Wales."]
        assert ix.search("budget").why_empty == []  # hits: nothing to explain
        assert ix.search("hedgehogs").why_empty == []  # no filter: the words are the reason


def test_searching_an_index_that_holds_no_documents_says_so_and_asks_if_it_is_the_one_meant(
    tmp_path,
):
    """``CorpusIndex(path)`` makes an empty index at a mistyped path; its searches, counts
    and listings said only that no document holds the words, as of a real index."""
    path = tmp_path / "bbc-idnex"
    told = [f"The index at {path} holds no documents: nothing has been indexed into it "
            "(index_directory(FOLDER)). Is it the index you meant?"]
    with CorpusIndex(path) as ix:
        assert ix.search("Blair").why_empty == told
        assert ix.search("Blair").why_empty[0].cli_message == told[0].replace(
            "index_directory(FOLDER)", f"corpus-search index FOLDER --index {path}")
        assert ix.list_documents().why_empty == told
        assert ix.count("Blair", by="party").why_empty == told
        assert ix.search("Blair", filters={"party": "Labour"}).why_empty == told
        other = tmp_path / "other"
        CorpusIndex(other).close()
        with MultiIndex([path, other]) as both:
            assert both.search("Blair").why_empty == [
                f"None of the indexes at {path}, {other} holds a document: nothing has been "
                "indexed into them. Are they the indexes you meant?"]
        ix.add_documents([Document("a", "Budget", "The budget.")])
        assert ix.search("Blair").why_empty == []  # (words no document holds: not_found)


def test_sorting_by_date_an_index_with_no_dates_keeps_relevance_order_and_says_so(tmp_path):
    with _sourced_index(tmp_path / "ix") as ix:  # no document has a date
        by_date = ix.search("budget Tories", sort="date")
        assert ids(by_date) == ids(ix.search("budget Tories"))
        assert by_date.notes == [
            "No document in this index has a date, so sorting by date left the results in "
            "order of relevance."]
        assert ix.search("budget Tories").notes == []


def test_filters_are_described_as_the_end_of_a_sentence():
    assert SearchFilters(party="Labour", source="BBC", since="2005", until="2005").describe() == (
        "mentions the party Labour, is from the source BBC and is dated from 2005-01-01 to "
        "2005-12-31")
    assert SearchFilters(since="2005-03").describe() == "is dated on or after 2005-03-01"


def test_a_search_for_a_document_s_id_that_finds_nothing_says_it_is_an_id_and_how_to_show_it(
    tmp_path,
):
    # a pasted id is read as its words ("politics" and "223"), which no document may hold
    from click.testing import CliRunner

    from corpus_search.cli import cli
    from corpus_search.web import create_app

    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("politics/223", "Trust", "Voters and trust.")])
        results = ix.search("politics/223")
        assert results.total == 0
        # (the library's way to get it; the command and its web page, the command's: a
        # library user was told only of the command)
        assert results.why_empty == [
            "politics/223 is the id of a document: get it with get('politics/223'), or search "
            "for it with id:politics/223."]
        said = ("politics/223 is the id of a document: show it with corpus-search show "
                "politics/223, or search for it with id:politics/223.")
        assert results.why_empty[0].cli_message == said
        assert ids(ix.search("id:politics/223")) == ["politics/223"]
        assert ix.search("politics/999").why_empty == []
        page = create_app(ix).test_client().get("/?q=politics/223").get_data(as_text=True)
        assert f'<p class="note">{said}</p>' in page
    for json_option in ([], ["--json"]):
        shown = CliRunner().invoke(cli, ["search", "politics/223", "--index",
                                         str(tmp_path / "ix"), *json_option])
        assert shown.exit_code == 1 and said in " ".join(shown.stdout.split())
        assert "get(" not in shown.stdout


def test_similar_counts_its_facets_over_every_alike_document_as_a_search_does(tmp_path: Path):
    """similar --json gave empty facets ({"source": {}, "party": {}, "year": {}}) for any
    document; they count the alike documents, not only the page shown."""
    import datetime as dt

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    docs = [Document("base", "Harbour", f"{words} Labour granite"),
            *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {party}",
                       date=dt.date(2004 + n % 2, 5, 1), source=source)
              for n, (party, source) in enumerate([("Labour", "BBC News"), ("Tories", "BBC News"),
                                                   ("Labour", "Sky News")])),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
              for n in range(6))]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(docs)
        every = ix.similar("base", limit=100)
        assert sorted(hit.id for hit in every.hits) == ["alike/0", "alike/1", "alike/2"]
        page = ix.similar("base", limit=1)
        assert page.facets == every.facets == {
            "source": {"BBC News": 2, "Sky News": 1},
            "party": {"Labour": 2, "Conservative": 1},
            "year": {"2004": 2, "2005": 1},
        }
        assert json.loads(page.to_json())["facets"] == page.facets


@pytest.mark.parametrize(("filters", "keywords"), [
    ({"party": "Labour"}, {}),
    ({"source": "BBC News"}, {}),
    ({"party": "Labour", "source": "Sky News"}, {}),
    ({}, {"since": "2005"}),
    ({}, {"until": "2004-12-31", "include_undated": True}),
    ({"party": "Tories"}, {"since": "2004", "until": "2005"}),
])
def test_similar_takes_the_filters_of_search_and_keeps_the_alike_documents_they_keep(
    tmp_path: Path, filters: dict[str, str], keywords: dict[str, object]
):
    """similar took no filters ("like this story, from Labour's side, in 2005" could not be
    asked): with search's, it gives the documents alike without them that search keeps with
    them, counted, with the undated alike a date range left out."""
    import datetime as dt

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    kinds = [("Labour", "BBC News", dt.date(2004, 5, 1)), ("Tories", "BBC News", None),
             ("Labour", "Sky News", dt.date(2005, 5, 1)), ("Tories", "Sky News",
                                                          dt.date(2005, 6, 1))]
    docs = [Document("base", "Harbour", f"{words} Labour granite"),
            *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {party}", date=date,
                       source=source) for n, (party, source, date) in enumerate(kinds)),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
              for n in range(6))]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(docs)
        every = {hit.id for hit in ix.similar("base", limit=100).hits}
        assert len(every) == len(kinds)
        kept = {hit.id for hit in ix.list_documents(filters, limit=100, **keywords).hits}
        alike = ix.similar("base", limit=100, filters=filters, **keywords)
        assert {hit.id for hit in alike.hits} == every & kept and alike.total == len(every & kept)
        searched = ix.search("harbour", filters=filters, **keywords)
        assert alike.undated_left_out == (1 if searched.undated_left_out else None)
        assert sum(alike.facets["source"].values()) == alike.total


def test_similar_within_filters_that_keep_none_alike_says_why(tmp_path: Path):
    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("base", "Harbour", words),
                          Document("alike", "Harbour too", f"{words} Labour"),
                          *(Document(f"other/{n}", "Other", f"orchard vineyard meadow {n} Tories")
                            for n in range(4))])
        assert ix.similar("base", filters={"party": "Whig"}).why_empty[0].startswith(
            "No document mentions the party 'Whig'; parties in this index: Conservative")
        assert ix.similar("base", filters={"source": "BBC News"}).why_empty[0].startswith(
            "No document is from the source 'BBC News'")
        nothing = ix.similar("base", filters={"party": "Conservative"})
        assert nothing.total == 0 and nothing.why_empty == [
            "No document that mentions the party Conservative shares 2 or more of the 9 key "
            "terms of base; the closest shares 0."]


def test_similar_sorted_by_date_gives_the_alike_newest_first_and_undated_last_as_search_does(
    tmp_path: Path,
):
    """similar had no sort: "the stories like this one, the latest first" could not be
    asked. sort="date" orders the same alike documents as search orders its matches by
    date, and pages through them so."""
    import datetime as dt

    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    dates = [dt.date(2003, 1, 1), None, dt.date(2005, 1, 1), dt.date(2004, 1, 1)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document("base", "Harbour", f"{words} granite"),
            *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {'gull ' * n}", date=date)
              for n, date in enumerate(dates)),
            *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
              for n in range(6))])
        by_date = ix.similar("base", sort="date")
        assert [hit.id for hit in by_date.hits] == ["alike/2", "alike/3", "alike/0", "alike/1"]
        assert [hit.id for hit in by_date.hits] == [
            hit.id for hit in ix.search("lighthouse", sort="date").hits if hit.id != "base"]
        assert {hit.id for hit in by_date.hits} == {hit.id for hit in ix.similar("base").hits}
        assert by_date.notes[0].startswith("Alike: the documents sharing") and \
            "(the words most telling of it), newest first;" in by_date.notes[0]
        second = ix.similar("base", sort="date", limit=2, page=2)
        assert [(hit.rank, hit.id) for hit in second.hits] == [(3, "alike/0"), (4, "alike/1")]
        with pytest.raises(QueryError, match=r"'oldest' \(oldest first\), not 'new'"):
            ix.similar("base", sort="new")


def test_similar_sorted_by_date_in_an_index_with_no_date_says_it_kept_the_order_of_likeness(
    tmp_path: Path,
):
    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("base", "Harbour", words),
                          *(Document(f"alike/{n}", "Harbour", f"{words} {'gull ' * n}")
                            for n in range(3)),
                          *(Document(f"other/{n}", "Other", f"orchard meadow {n}")
                            for n in range(4))])
        by_date, by_likeness = ix.similar("base", sort="date"), ix.similar("base")
    assert [hit.id for hit in by_date.hits] == [hit.id for hit in by_likeness.hits]
    assert by_date.notes == [by_likeness.notes[0], (
        "No document in this index has a date, so sorting by date left the results in order "
        "of relevance.")]


def _liberal_index(path) -> CorpusIndex:
    """Tuition fees in Liberal Democrat stories, and one story of the old Liberal Party."""
    ix = CorpusIndex(path)
    ix.add_documents([
        Document("fees", "Fees vote", "The Liberal Democrats would scrap tuition fees."),
        Document("fees2", "Students", "Lib Dems courted students angry at tuition fees."),
        Document("gladstone", "Gladstone", "The Liberal Party of Gladstone won in 1880."),
        Document("tory", "Tory fees", "The Conservatives kept tuition fees."),
    ])
    return ix


def test_a_party_filter_naming_a_word_of_another_party_that_keeps_matches_suggests_it(
        tmp_path):
    # (search "tuition fees" --party Liberal on BBC found nothing: Liberal is the old
    # Liberal Party, the user meant the Liberal Democrats, and the message did not say so)
    with _liberal_index(tmp_path / "ix") as ix:
        results = ix.search("tuition fees", filters=SearchFilters(party="Liberal"))
        assert results.total == 0
        assert results.why_empty == [
            "3 documents match tuition fees with no filter, but not one that mentions the "
            "party Liberal; Liberal is the Liberal Party: did you mean Liberal Democrat (2 of "
            "them)?"]
        assert ix.count("tuition fees", filters=SearchFilters(party="liberal")).why_empty == (
            results.why_empty)
        # (a party that keeps none of the matches is not suggested: no "did you mean")
        assert ix.search("Gladstone", filters=SearchFilters(party="Conservative")).why_empty == [
            "1 document matches Gladstone with no filter, but not one that mentions the party "
            "Conservative."]


def test_the_parties_a_party_filter_may_have_meant_have_its_words_as_their_own(tmp_path):
    from corpus_search.search.filters import parties_meant, party_known_as

    with _liberal_index(tmp_path / "ix") as ix:
        assert parties_meant("Liberal", ix) == ["Liberal Democrat"]
        assert parties_meant("liberal", ix) == ["Liberal Democrat"]
        assert parties_meant("Liberal Democrat", ix) == []  # (the party it names is no other)
        assert parties_meant("Conservative", ix) == []
        assert party_known_as("Liberal", ix) == "Liberal Party"


@pytest.mark.parametrize("command", [["concordance"], ["count", "--by", "party"],
                                     ["key-terms"], ["trends", "--by", "party"]])
def test_the_json_of_every_research_command_gives_its_notes_in_the_command_s_words(
        tmp_path: Path, command: list[str]):
    """concordance, count, key-terms and trends --json gave the library's wording of the
    empty-index and id notes (index_directory(FOLDER), get('politics/223')) where search
    --json gives the command's: each now gives the command's, as search --json does."""
    from click.testing import CliRunner

    from corpus_search.cli import cli

    empty, held = tmp_path / "empty", tmp_path / "ix"
    CorpusIndex(empty).close()
    with CorpusIndex(held) as ix:
        ix.add_documents([Document("politics/223", "Trust", "Voters and trust.")])
    for path, query, said in [
        (empty, "Blair", f"corpus-search index FOLDER --index {empty}"),
        (held, "politics/223", "show it with corpus-search show politics/223"),
    ]:
        shown = CliRunner().invoke(cli, [*command, query, "--index", str(path), "--json"])
        data = json.loads(shown.stdout)
        notes = data["notes"] + [n for one in data.get("queries", []) for n in one["notes"]]
        assert any(said in note for note in notes), notes
        assert not any("index_directory(" in note or "get(" in note for note in notes), notes
