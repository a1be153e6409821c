"""The local web page (``corpus-search web``): search, a document, every place in context and
counts in a browser, over the index's public methods; document text is never markup."""

from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import json
import re
import signal
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from click.testing import CliRunner

from conftest import corpus_search_command, plp_stories
from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.ingest.dates import DATE_SOURCES
from corpus_search.ingest.shown_dates import DATE_ORIGINS
from corpus_search.search.counting import UNDATED_INDEX_COMMAND, command_note
from corpus_search.search.export import COLUMNS
from corpus_search.web import create_app
from corpus_search.web.files import WHY_EMPTY_HEADER, attachment

DOCUMENTS = [
    Document(id="politics/001", title="Lib Dems take Brent East", date=dt.date(2003, 9, 19),
             source="BBC News",
             body="The Liberal Democrats won the Brent East by-election.\n\nLabour came "
                  "second; the Conservatives third."),
    Document(id="politics/002", title="Tories promise NHS cash", date=dt.date(2005, 3, 21),
             body="The Conservatives promised more NHS spending before the general election."),
    Document(id="hostile/1", title="<script>alert(1)</script> Labour",
             body="Labour <img src=x onerror=alert(2)> said the <b>budget</b> was fair."),
    Document(id="hostile/2", title="Front matter", url="javascript:alert(document.cookie)",
             body="A url: line in front matter or a JSON record is stored as written."),
    Document(id="linked/1", title="Linked", url="https://www.bbc.co.uk/news/1",
             body="An article with its address."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("web") / "ix")
    ix.add_documents(DOCUMENTS)
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()


def text_of(response) -> str:
    """The page's text, tags dropped and white space squashed, as a reader sees it."""
    return text_of_html(response.get_data(as_text=True))


def text_of_html(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_first_page_is_a_search_form_that_says_how_to_ask(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="q"' in page.get_data(as_text=True)
    assert "Lib Dems finds the Liberal Democrats" in text_of(page)
    assert '<a href="/?q=Lib+Dems"><em>Lib Dems</em></a>' in page.get_data(as_text=True)


def test_a_search_lists_the_hits_with_their_matches_marked(client):
    page = client.get("/?q=Lib+Dems+byelection")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 document, page 1 of 1" in text_of(page)
    assert ('<a class="title" href="/doc/politics/001?q=Lib+Dems+byelection">Lib Dems take '
            'Brent East</a>') in html
    assert "<mark>Liberal Democrats</mark>" in html and "<mark>by-election</mark>" in html


def test_filters_and_facets_narrow_the_search(client):
    assert "politics/002" not in client.get("/?q=Conservatives&party=Labour").get_data(
        as_text=True)
    page = client.get("/?q=Conservatives").get_data(as_text=True)
    assert 'href="/?q=Conservatives&amp;party=Labour"' in page  # the party facet's link


def test_document_text_is_shown_as_text_never_as_markup(client):
    for url in ("/?q=Labour", "/doc/hostile/1", "/concordance?q=Labour"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>budget" not in html
        assert "&lt;script&gt;" in html or "&lt;img" in html


def test_a_document_s_web_address_is_a_link_only_when_it_is_http_or_https(client):
    html = client.get("/doc/hostile/2").get_data(as_text=True)
    assert 'href="javascript:' not in html.lower()
    assert "javascript:alert(document.cookie)" in html  # (shown, as text)
    assert '<a href="https://www.bbc.co.uk/news/1"' in client.get("/doc/linked/1").get_data(
        as_text=True)


def test_a_document_page_shows_its_paragraphs_and_metadata(client):
    page = client.get("/doc/politics/001")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Lib Dems take Brent East</h1>" in html
    assert re.search(r'<p id="p\d+">Labour came second; the Conservatives third\. <a class="quote"',
                     html)
    assert "Date 2003-09-19 (given when it was added) Source BBC News Parties" in text_of(page)


def test_a_document_page_says_which_document_like_it_is_its_copy(tmp_path):
    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document("news/1", "Harbour day", f"{words} granite."),
                          Document("news/2", "Harbour day", f"{words} granite."),
                          Document("news/3", "Harbour day", f"{words} tourists."),
                          *(Document(f"other/{n}", f"Other {n}", f"orchard meadow {n}")
                            for n in range(6))])
        html = create_app(ix).test_client().get("/doc/news/1").get_data(as_text=True)
    alike = html[html.index("<h2>Like it</h2>"):]
    assert ('<a href="/doc/news/2">Harbour day</a> <span class="how">(the same text as this '
            'one)</span></li>') in alike
    assert alike.count("the same text") == 1


@pytest.fixture
def harbours(tmp_path) -> CorpusIndex:
    """A story and four like it, of two parties, two sources and two years (one undated)."""
    words = "lighthouse keeper harbour rowboat trawler seagull coastline breakwater quarry"
    kinds = [("Labour", "BBC News", dt.date(2004, 5, 1)), ("Tories", "BBC News", None),
             ("Labour", "Sky News", dt.date(2005, 5, 1)), ("Tories", "Sky News",
                                                          dt.date(2005, 6, 1))]
    ix = CorpusIndex(tmp_path / "ix")
    ix.add_documents([
        Document("base", "Harbour day", f"{words} Labour granite"),
        *(Document(f"alike/{n}", f"Harbour {n}", f"{words} {party} {'gull ' * n}", date=date,
                   source=source) for n, (party, source, date) in enumerate(kinds)),
        Document("other/lib", "Orchard", "orchard vineyard meadow Liberal Democrats"),
        *(Document(f"other/{n}", f"Other {n}", f"orchard vineyard meadow pasture {n}")
          for n in range(12))])
    yield ix
    ix.close()


def test_the_documents_like_one_have_a_page_with_the_filters_order_and_facets_of_a_search(
    harbours,
):
    """The web's "documents like it" were five titles beside a document, with no way to
    narrow them to a party, source or period, to order them by date, to count them or to
    see the rest; their page lists them as the search page lists a search's results, over
    the library's similar()."""
    client = create_app(harbours).test_client()
    page = client.get("/like/base")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ('<h1>Documents like <a href="/doc/base">Harbour day</a></h1>') in html
    assert "4 documents like it, page 1 of 1" in text_of(page)
    assert [m for m in re.findall(r'href="/doc/([^"?]+)"', html) if m != "base"] == [
        hit.id for hit in harbours.similar("base").hits]
    # the facets count every alike, each a link that narrows them on this page
    assert 'href="/like/base?party=Labour">Labour</a> 2' in html
    assert 'href="/like/base?source=Sky+News">Sky News</a> 2' in html
    assert 'href="/like/base?since=2005&amp;until=2005">2005</a> 2' in html
    narrowed = client.get("/like/base?party=Labour&sort=date")
    expected = harbours.similar("base", filters={"party": "Labour"}, sort="date")
    assert [m for m in re.findall(r'class="title" href="/doc/([^"?]+)"',
                                  narrowed.get_data(as_text=True))] == [
        hit.id for hit in expected.hits] == ["alike/2", "alike/0"]
    assert "2 documents like it, page 1 of 1" in text_of(narrowed)
    # the form narrows this page: its filters, order, and no query of its own
    assert '<form method="get" action="/like/base">' in narrowed.get_data(as_text=True)
    dated = text_of(client.get("/like/base?since=2005"))
    assert "The date range left out 1 alike document with no date" in dated
    paged = client.get("/like/base?limit=3&page=2")
    assert "4 documents like it, page 2 of 2" in text_of(paged)
    assert 'href="/like/base?limit=3&amp;page=1">previous</a>' in paged.get_data(as_text=True)


def test_the_like_page_says_why_none_is_alike_and_refuses_what_a_search_refuses(harbours):
    client = create_app(harbours).test_client()
    whig = client.get("/like/base?party=Whig")
    assert whig.status_code == 200
    assert "No document mentions the party &#39;Whig&#39;" in whig.get_data(as_text=True)
    none = text_of(client.get("/like/base?party=Liberal+Democrat"))
    assert ("No document that mentions the party Liberal Democrat shares 3 or more of the 11 "
            "key terms of base; the closest shares 0.") in none
    bad = client.get("/like/base?sort=newest")
    assert bad.status_code == 400
    assert ("sort must be &#39;relevance&#39;, &#39;date&#39; (newest first) or &#39;oldest&#39; "
            "(oldest first), not &#39;newest&#39;.") in bad.get_data(as_text=True)
    unknown = client.get("/like/bse")
    assert unknown.status_code == 404 and "No document with id" in text_of(unknown)
    # a query typed in the like page's form is a search, with the filters given
    typed = client.get("/like/base?q=harbour&party=Labour")
    assert typed.status_code == 302 and typed.headers["Location"] == "/?q=harbour&party=Labour"


def test_a_document_page_links_to_every_document_like_it(harbours):
    client = create_app(harbours).test_client()
    html = client.get("/doc/base").get_data(as_text=True)
    alike = html[html.index("<h2>Like it</h2>"):]
    assert '<a href="/like/base">Narrow them by party, source or date</a>' in alike
    with CorpusIndex(harbours.path) as ix:
        ix.add_documents([Document(f"more/{n}", "Harbour", harbours.get("base").body + f" {n}")
                          for n in range(3)])
        html = create_app(ix).test_client().get("/doc/base").get_data(as_text=True)
    assert '<a href="/like/base">All 7 like it, to narrow by party, source or date</a>' in html


def test_a_document_page_says_what_it_lacks_and_where_its_date_came_from(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="Undated", body="Nothing here."),
                          Document(id="b", title="Guessed", body="Labour won.",
                                   date=dt.date(2005, 5, 6), date_source="dateline")])
        client = create_app(ix).test_client()
        bare, guessed = text_of(client.get("/doc/a")), text_of(client.get("/doc/b"))
    assert "Date none found Source not known Parties none named Id a" in bare
    assert "Date 2005-05-06 (guessed from its dateline)" in guessed


@pytest.mark.parametrize("source", DATE_SOURCES)
def test_the_document_page_and_show_say_where_a_date_came_from_in_the_same_words(
    tmp_path, source
):
    # (show had said "(sidecar)" of a date the page said came "from a dates file")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="b", title="Dated", body="Labour won.",
                                   date=dt.date(2005, 5, 6), date_source=source)])
        page = text_of(create_app(ix).test_client().get("/doc/b"))
    shown = CliRunner().invoke(cli, ["show", "b", "--index", str(tmp_path / "ix")]).output
    words = DATE_ORIGINS[source]
    assert f"Date 2005-05-06 ({words})" in page
    assert f"date: 2005-05-06 ({words})" in shown


def test_a_search_s_link_opens_the_document_with_the_places_of_the_query_marked(client):
    html = client.get("/?q=Lib+Dems").get_data(as_text=True)
    link = re.search(r'<a class="title" href="([^"]+)">Lib Dems take', html).group(1)
    page = client.get(link.replace("&amp;", "&"))
    html = page.get_data(as_text=True)
    assert re.findall(r"<mark[^>]*>([^<]*)</mark>", html) == ["Liberal Democrats"]
    assert "1 place of Lib Dems marked in its text · without marks" in text_of(page)
    assert '<a href="/doc/politics/001">without marks</a>' in html


def test_a_corrected_search_links_its_documents_with_the_correction_marked(client):
    html = client.get("/?q=Conservtives").get_data(as_text=True)
    assert "Showing results for" in text_of_html(html)
    assert 'href="/doc/politics/002?q=Conservatives"' in html


def test_a_search_of_filters_alone_links_its_documents_without_marks(client):
    assert 'href="/doc/politics/001">' in client.get("/?party=Labour").get_data(as_text=True)


def test_a_concordance_line_links_its_place_in_the_marked_document(client):
    html = client.get("/concordance?q=Tories").get_data(as_text=True)
    links = re.findall(r'<td class="doc"><a href="([^"]+)"', html)
    assert links and all("?q=Tories#at" in link for link in links)
    for link in links:
        doc, anchor = link.split("#")
        marked = client.get(doc).get_data(as_text=True)
        assert re.search(rf'<mark id="{anchor}">Conservatives</mark>', marked)


def test_a_document_page_says_when_the_query_is_not_in_its_text(client):
    page = text_of(client.get("/doc/politics/002?q=Lib+Dems"))
    assert "No place of Lib Dems in its text" in page


def test_a_document_page_asked_to_mark_a_query_that_only_excludes_says_it_has_no_words(client):
    page = client.get("/doc/politics/001?q=NOT+Labour")
    assert page.status_code == 200
    assert re.search("Marking needs words to mark: (&#39;|')NOT Labour(&#39;|') only leaves "
                     "documents out.", text_of(page))


def test_a_document_page_offers_the_correction_of_a_misspelt_query_to_mark(client):
    html = client.get("/doc/politics/002?q=Toriez").get_data(as_text=True)
    assert ('Did you mean <a href="/doc/politics/002?q=Tories"><strong>Tories</strong></a>?'
            in html)
    assert "Not found in any document: Toriez" in html


def test_a_query_that_cannot_be_read_leaves_the_document_unmarked_and_says_why(client):
    page = client.get("/doc/politics/001?q=the")
    assert page.status_code == 200 and "<mark" not in page.get_data(as_text=True)
    assert "too common to be indexed" in text_of(page)


@pytest.mark.parametrize("query", ["Lib Dems", "Labour OR Conservatives", "by-election third",
                                   '"Brent East"', "Labour came second"])
def test_marking_a_document_changes_none_of_its_paragraphs_text(client, query):
    def paragraphs(url: str) -> list[str]:
        html = client.get(url).get_data(as_text=True)
        found = re.findall(r'<p id="p\d+">(.*?) <a class="quote"', re.sub(r"</?mark[^>]*>", "",
                                                                         html), re.S)
        assert found  # (a pattern that found no paragraph would compare nothing)
        return found

    assert paragraphs(f"/doc/politics/001?q={query}") == paragraphs("/doc/politics/001")


def test_marks_keep_the_document_text_as_text(client):
    html = client.get("/doc/hostile/1?q=budget").get_data(as_text=True)
    assert '<mark id="at' in html and "<b>budget" not in html and "&lt;b&gt;" in html


def test_a_document_s_parties_link_to_the_documents_that_name_them(client):
    html = client.get("/doc/politics/001").get_data(as_text=True)
    assert re.search(r'<a href="/\?party=Labour"[^>]*>Labour</a>', html)


def test_an_unknown_document_is_a_404_that_names_what_was_probably_meant(client):
    page = client.get("/doc/politics/001.txt")
    assert page.status_code == 404
    assert "did you mean politics/001?" in text_of(page)


@pytest.mark.parametrize("url", ["/?q=Labour&since=not+a+date", "/count?q=Labour&by=year&"
                                                                  "until=sometime"])
def test_a_bad_filter_is_the_page_again_with_a_one_line_message(client, url):
    page = client.get(url)
    assert page.status_code == 400
    assert re.search(r'<p class="error" role="alert">[^<]*date[^<]*</p>',
                     page.get_data(as_text=True))
    assert "Traceback" not in page.get_data(as_text=True)


@pytest.mark.parametrize(("url", "said"), [
    ("/?q=Labour&since=not+a+date", "Cannot read the since field, 'not a date', as a date;"),
    ("/concordance?q=Labour&until=2005-13-01",
     "The until field, '2005-13-01', is no date: there is no month 13."),
    ("/count?q=Labour&since=2006&until=2004", "The since field, '2006' (2006-01-01), is after "
                                              "the until field, '2004' (2004-12-31)"),
    ("/trends?q=Labour&q=NHS&since=yesterday", "Cannot read the since field, 'yesterday'"),
    ("/terms?q=Labour&until=sometime", "Cannot read the until field, 'sometime'"),
    ("/count.csv?q=Labour&since=2004-02-30", "The since field, '2004-02-30', is no date"),
    ("/export.csv?q=Labour&since=x", "Cannot read the since field, 'x'"),
])
def test_an_error_on_the_web_page_names_the_form_s_field_never_a_command_line_option(
    client, url, said
):
    """The command's errors name its options (``--since``); the page has fields, which its
    errors name instead, on every page and download."""
    answer = client.get(url)
    assert answer.status_code == 400
    text = htmllib.unescape(answer.get_data(as_text=True))
    assert said in text
    assert "--" not in text_of_html(text)


#: a control character of each kind the terminal rule covers: NUL, ESC, DEL, C1 CSI, RLO
CONTROL_CHARACTERS = ["\x00", "\x1b", "\x7f", "\x9b", "\u202e"]


@pytest.mark.parametrize("char", CONTROL_CHARACTERS)
@pytest.mark.parametrize("url", ["/?q=Blair{}x", "/concordance?q=Blair{}x", "/count?q=Blair{}x",
                                 "/trends?q=NHS&q=Blair{}x", "/terms?q=Blair&against=x{}",
                                 "/?q=Blair&party=Lab{}our", "/doc/politics/001?q=Tor{}ies",
                                 "/?q=Blair&page=1{}"])
def test_a_control_character_in_a_query_or_filter_is_one_message_and_is_echoed_nowhere(
        client, url, char):
    page = client.get(url.format(urllib.parse.quote(char)))
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert re.findall(r'<p class="error" role="alert">([^<]*)</p>', html) == [
        re.search(r"The (query|\w+ filter|value of \w+) holds a control character "
                  rf"\(U\+{ord(char):04X}\), which cannot be searched for: type it again "
                  "without it.", html).group()]
    assert char not in html


@pytest.mark.parametrize("url", ["/export.csv?q=Blair%00x", "/count.csv?q=Blair%1b",
                                 "/trends.csv?q=Blair%00"])
def test_a_control_character_asked_of_a_download_is_a_plain_text_error(client, url):
    answer = client.get(url)
    assert answer.status_code == 400 and answer.mimetype == "text/plain"
    assert answer.get_data(as_text=True).startswith("The query holds a control character")


def test_tabs_and_line_breaks_in_a_query_are_spaces_not_refused(client):
    assert client.get("/?q=Tories%09by-election%0A").status_code == 200


def test_the_concordance_page_shows_each_place_in_its_context(client):
    page = client.get("/concordance?q=Tories")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<td class="match">Conservatives</td>' in html
    assert "2 places in 2 documents" in text_of(page)


def test_the_concordance_page_sorted_by_date_shows_each_places_date(client):
    # (sorted by date, the page showed the same columns as by relevance: the order unseen)
    by_date = re.findall(r'<td class="doc"><a [^>]+>([^<]+)</a> <span class="date">([^<]+)'
                         r"</span></td>", client.get("/concordance?q=Tories&sort=date")
                         .get_data(as_text=True))
    assert by_date == [("politics/002", "2005-03-21"), ("politics/001", "2003-09-19")]
    assert 'class="date"' not in client.get("/concordance?q=Tories").get_data(as_text=True)


def test_the_concordance_page_says_which_documents_give_no_place_and_why(tmp_path):
    """("11 places in 211 documents" read as places in each.) The documents are those a count
    counts, and the one holding only Labour, which the lexicon relates to PLP, is told in the
    count's note, as the command tells it."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="meeting", title="MPs meet", body="The PLP met on Monday."),
            Document(id="campaign", title="Campaign", body="Labour's campaign began."),
            Document(id="titled", title="PLP rebels", body="Backbenchers met."),
        ])
        page = htmllib.unescape(text_of(create_app(ix).test_client().get("/concordance?q=PLP")))
        note = ix.count("PLP").notes[0]
    assert "1 place in 1 of the 2 matching documents; the other 1 holds it only in a title or " \
           "another field, or only part of a quoted phrase, a name or a term" in page
    assert note in page and "holds only Labour" in note


def test_the_match_column_is_as_wide_as_the_longest_match(client):
    # (a fixed share of the table cut "Liberal Democrats" to "Liberal Democr...")
    html = client.get("/concordance?q=Lib+Dems+OR+Tories").get_data(as_text=True)
    matches = re.findall(r'<td class="match">([^<]*)</td>', html)
    width = float(re.search(r'<col class="match" style="width: ([\d.]+)ch">', html).group(1))
    assert "Liberal Democrats" in matches and width >= max(map(len, matches)) + 2


def test_a_concordance_cut_short_links_a_page_of_more_places(client):
    page = client.get("/concordance?q=Labour+OR+Conservatives&limit=2")
    html = page.get_data(as_text=True)
    # (Labour OR Conservatives ranks as its words: the story naming both first, with both places)
    assert "The first 2 places, from 1 of the 3 matching documents: show the first 10" in \
        text_of(page)
    assert '<a href="/concordance?q=Labour+OR+Conservatives&amp;limit=10">' in html
    whole = text_of(client.get("/concordance?q=Labour+OR+Conservatives&limit=10"))
    assert re.search(r"\b\d+ places in 3 documents", whole) and "show the first" not in whole


def test_the_concordance_page_goes_page_by_page_as_the_search_page_does(client):
    """/concordance?page=2 showed the first page again: the pages now follow each other,
    together every place of the whole concordance once, in its order."""
    def places(url: str) -> tuple[list[tuple[str, str]], str]:
        html = client.get(url).get_data(as_text=True)
        found = re.findall(r'<a href="/doc/([^"?]+)\?q=[^"]*#at(\d+)"', html)
        return found, html

    whole, _ = places("/concordance?q=Labour+OR+Conservatives&limit=50")
    assert len(whole) >= 3
    paged = []
    for page in range(1, len(whole) + 1):
        found, html = places(f"/concordance?q=Labour+OR+Conservatives&limit=1&page={page}")
        assert len(found) == 1
        paged += found
        query = "q=Labour+OR+Conservatives&amp;limit=1"
        assert (f'<a href="/concordance?{query}&amp;page={page - 1}">previous</a>' in html) == (
            page > 1)
        assert (f'<a href="/concordance?{query}&amp;page={page + 1}">next</a>' in html) == (
            page < len(whole))
    assert paged == whole
    second = text_of(client.get("/concordance?q=Labour+OR+Conservatives&limit=1&page=2"))
    assert "Place 2 of" in second or "Place 2, page 2" in second
    past = client.get(f"/concordance?q=Labour+OR+Conservatives&limit=1&page={len(whole) + 5}")
    assert past.status_code == 200
    assert (f"No places on page {len(whole) + 5}: the {len(whole)} places are on pages 1 to "
            f"{len(whole)}") in text_of(past)
    refused = client.get("/concordance?q=Labour&page=0")
    assert refused.status_code == 400
    assert "page must be a whole number from 1 up, not 0." in text_of(refused)


@pytest.mark.parametrize(("query", "named"), [
    # (a search that finds nothing downloaded as export--zzqqx.csv)
    ("-zzqqx", 'filename="export-not-zzqqx.csv"'),
    ('"Lib Dems" -Tories', 'filename="export-Lib-Dems-not-Tories.csv"'),
    ("by-election", 'filename="export-by-election.csv"'),
    ("*", 'filename="export-all.csv"'),
    ("Sinn Féin", "filename=\"export-Sinn-Fein.csv\"; filename*=UTF-8''export-Sinn-F%C3%A9in.csv"),
    ("日本", "filename=\"export.csv\"; filename*=UTF-8''export-%E6%97%A5%E6%9C%AC.csv"),
])
def test_a_download_is_named_after_the_words_of_its_query(client, query: str, named: str):
    """Words joined by one dash, no punctuation; ASCII for every browser, the name as
    typed beside it (RFC 6266) when it holds more: an HTTP header holds no other script."""
    got = client.get("/export.csv", query_string={"q": query})
    assert got.status_code == 200
    assert got.headers["Content-Disposition"] == f"attachment; {named}"
    got.headers["Content-Disposition"].encode("latin-1")  # (what a server can send)


def test_a_download_of_a_long_query_is_named_in_whole_words_up_to_80_characters(client):
    got = client.get("/count.csv", query_string={"q": " ".join(["Conservatives"] * 30)})
    name = re.search(r'filename="([^"]+)"', got.headers["Content-Disposition"]).group(1)
    assert name.startswith("count-Conservatives-") and name.endswith("-Conservatives-by-year.csv")
    assert len(name) <= 80 + len(".csv")
    assert attachment("export", ["?!"], "csv") == 'attachment; filename="export.csv"'


@pytest.mark.parametrize(("address", "named"), [
    ("/export.csv?q=Lib+Dems&party=Labour", "export-Lib-Dems-party-Labour.csv"),
    ("/export.jsonl?q=Lib+Dems&source=BBC", "export-Lib-Dems-source-BBC.jsonl"),
    ("/count.csv?q=Lib+Dems&party=Labour&since=2004-01-01&until=2005&by=month",
     "count-Lib-Dems-party-Labour-since-2004-01-01-until-2005-by-month.csv"),
    ("/trends.csv?q=Labour&q=NHS&party=Conservative",
     "trends-Labour-NHS-party-Conservative-by-year.csv"),
    ("/export.csv?party=UKIP&since=2004", "export-party-UKIP-since-2004.csv"),
    ("/count.csv?q=*&party=Labour", "count-party-Labour-by-year.csv"),
])
def test_a_download_is_named_after_its_query_and_its_filters(client, address: str,
                                                              named: str):
    """Two downloads of one query under other filters are two files (saved, a second
    export-Lib-Dems.csv had become export-Lib-Dems(1).csv, and nothing told them apart); a
    date's dashes stay, and a filter's value is no query ("-" is no NOT in it)."""
    got = client.get(address)
    assert f'filename="{named}"' in got.headers["Content-Disposition"]


def test_the_count_page_gives_a_row_a_year_with_its_share(client):
    page = client.get("/count?q=Labour&by=year")
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>(?:<a [^>]+>)?(\d{4})(?:</a>)?</td><td>(\d+)</td><td>(\d+)</td>",
                      page.get_data(as_text=True))
    assert rows == [("2003", "1", "1"), ("2005", "0", "1")]
    assert "2004 - 0 (no documents)" in text_of(page)  # (no share of nothing)
    assert "1 matching document without a date." in text_of(page)


@pytest.mark.parametrize("by", ["year", "party", "source"])
def test_a_count_s_bars_draw_the_shares_as_the_command_s_do(client, index, by):
    html = client.get(f"/count?q=Labour+OR+Conservatives&by={by}").get_data(as_text=True)
    shares = [float(share) for share in re.findall(
        r"<td>([\d.]+)%</td><td><span class=\"meter\"", html)]
    widths = [float(width) for width in re.findall(r'class="bar" style="width: ([\d.]+)%"',
                                                    html)]
    counts = index.count("Labour OR Conservatives", by=by)
    assert widths and widths == [round(100 * counts.bar(row), 1) for row in counts.rows
                                 if row.documents]
    assert widths.index(max(widths)) == shares.index(max(shares))
    assert f"; {counts.full_bar()}" in htmllib.unescape(text_of_html(html))  # (their scale)


@pytest.mark.parametrize("by", ["year", "month", "party", "source"])
def test_a_count_s_row_links_the_search_for_the_documents_it_counts(client, by):
    html = client.get(f"/count?q=Labour+OR+Conservatives&by={by}&undated=1").get_data(
        as_text=True)
    rows = re.findall(r'<tr><td><a href="([^"]+)"[^>]*>([^<]+)</a></td><td>(\d+)</td>', html)
    assert rows
    for url, _value, matching in rows:
        found = text_of(client.get(url.replace("&amp;", "&")))
        assert re.search(rf"\b{matching} documents?, page 1 of", found), (url, found)


def test_a_search_from_a_count_s_row_says_how_many_of_its_documents_the_count_counted(
    tmp_path,
):
    """A count of a name counts the documents holding all of it; the search its row links
    to also finds, ranked lower, those holding part of it (BBC: 103 counted of "Michael
    Howard", 262 found). The search page says so, and why, rather than another number."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            *(Document(id=f"whole/{n}", title=f"Speech {n}", source="BBC News",
                       body=f"Michael Howard spoke in Bristol on day {n}.") for n in range(2)),
            Document(id="part/1", title="Reply", source="BBC News",
                     body="Mr Howard did not reply to the question."),
        ])
        client = create_app(ix).test_client()
        html = client.get("/count?q=Michael+Howard&by=source").get_data(as_text=True)
        link = re.search(r'<a href="([^"]+)" title="the 2 matching">BBC News</a>', html)
        assert link is not None
        found = text_of(client.get(htmllib.unescape(link.group(1))))
        assert "3 documents, page 1 of 1" in found
        assert ("A count of this query counts 2 of these 3 documents, not the other 1: 1 more "
                "document holds words of the name Michael Howard but not the name written whole"
                in found), found
        # (a search asked for itself counts nothing more, and says nothing of a count)
        assert "A count of" not in text_of(client.get("/?q=Michael+Howard&source=BBC+News"))
        # (a search whose count counts every document it finds says nothing either)
        assert "A count of" not in text_of(client.get("/?q=Bristol&counted=1"))


def test_counting_an_undated_collection_by_year_offers_the_counts_it_can_give(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour won.")])
        html = create_app(ix).test_client().get("/count?q=Labour&by=year").get_data(
            as_text=True)
    # (by party alone: it has no source either, and "by source" was a table as empty, as the
    # BBC corpus's is; the command names --by party alone)
    assert re.search(r"1 matching document without a date: count them by party ?\.",
                     text_of_html(html))
    assert '<a href="/count?q=Labour&amp;by=party">by party</a>' in html
    # where dates come from, in the words of the command that started the page (the
    # library's note names index_directory's arguments)
    assert htmllib.escape(UNDATED_INDEX_COMMAND) in html and "index_directory" not in html


def test_the_count_page_downloads_its_rows_as_csv_for_a_spreadsheet(client):
    html = client.get("/count?q=Labour&by=month").get_data(as_text=True)
    assert '<a href="/count.csv?q=Labour&amp;by=month" download>' in html
    got = client.get("/count.csv?q=Labour&by=month")
    assert got.mimetype == "text/csv"
    assert 'filename="count-Labour-by-month.csv"' in got.headers["Content-Disposition"]
    lines = got.get_data(as_text=True).removeprefix("\ufeff").splitlines()
    assert lines[:2] == ["value,matching,documents,share", "2003-09,1,1,1.0"]
    assert len(lines) == 1 + 19  # (every month, 2003-09 to 2005-03: none joined)
    assert client.get("/count.csv?q=Labour&by=decade").status_code == 400


def test_a_download_that_holds_nothing_says_why_in_its_headers_as_the_command_does(
    client, index,
):
    # count --csv says on standard error why its table is empty; the page's CSV held its
    # header row alone and no reason
    why = [command_note(reason) for reason in index.count("Labour", since="2050").why_empty]
    assert why and why[0].startswith("No document is dated on or after 2050-01-01")
    for url in ("/count.csv?q=Labour&since=2050", "/export.csv?q=Labour&since=2050"):
        got = client.get(url)
        assert got.status_code == 200
        assert got.get_data(as_text=True).count("\n") == 1  # (the header row alone)
        assert got.headers.getlist(WHY_EMPTY_HEADER) == why, url
    for url in ("/count.csv?q=zzqqx", "/export.csv?q=zzqqx", "/export.jsonl?q=zzqqx"):
        # (the export of a word no document holds had said nothing of why: the search page
        # and export on the command line say it)
        assert client.get(url).headers.getlist(WHY_EMPTY_HEADER) == [
            "Not found in any document: zzqqx"], url
    assert client.get("/trends.csv?q=Labour&q=zzqqx").headers.getlist(WHY_EMPTY_HEADER) == [
        "zzqqx: Not found in any document: zzqqx"]  # (the query that matches nothing)
    # (a header holds ASCII: the rest in UTF-8, percent-encoded as in an address)
    [said] = client.get("/count.csv?q=Fianna+F%C3%A1il").headers.getlist(WHY_EMPTY_HEADER)
    assert said.isascii() and urllib.parse.unquote(said) == (
        "Not found in any document: Fianna Fáil")


def test_a_download_that_holds_something_has_no_reason_to_be_empty(client):
    for url in ("/count.csv?q=Labour", "/trends.csv?q=Labour&q=NHS", "/export.csv?q=Labour"):
        assert WHY_EMPTY_HEADER not in client.get(url).headers, url


def test_the_count_page_downloads_the_documents_it_counts_and_no_others(tmp_path):
    # (the search page's download of PLP gave every Labour story; the count counts one)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(plp_stories())
        client = create_app(ix).test_client()
        html = client.get("/count?q=PLP&by=party").get_data(as_text=True)
        assert "Download the 1 document counted, text and metadata" in text_of_html(html)
        link = re.search(r'<a href="(/export\.csv\?[^"]+)" download>CSV</a> or', html)
        assert link is not None and "counted=1" in link.group(1) and "by=" not in link.group(1)
        rows = list(csv.DictReader(io.StringIO(
            client.get(htmllib.unescape(link.group(1))).get_data(as_text=True).lstrip("\ufeff"))))
        assert [row["id"] for row in rows] == ["meeting"]
        # (the count page's links to the search do not carry it: the search exports all)
        search = client.get("/search?q=PLP").get_data(as_text=True)
        assert "counted=1" not in search


def test_a_search_downloads_every_document_it_found_as_the_export_command_writes_them(
    client, index, tmp_path
):
    # (a journalist's "export what was found": the page showed ten at a time and no way out)
    html = client.get("/?q=Conservatives&party=Labour&limit=1&page=1").get_data(as_text=True)
    assert ('<a href="/export.csv?q=Conservatives&amp;party=Labour" download>CSV</a>'
            in html)  # (the search's filters kept; its page and page size not)
    got = client.get("/export.csv?q=Conservatives&party=Labour")
    assert got.mimetype == "text/csv"
    assert ('filename="export-Conservatives-party-Labour.csv"'
            in got.headers["Content-Disposition"])
    index.export("Conservatives", tmp_path / "same.csv", filters={"party": "Labour"})
    assert got.get_data() == (tmp_path / "same.csv").read_bytes()  # (its byte order mark too)
    lines = client.get("/export.jsonl?q=Conservatives").get_data(as_text=True).splitlines()
    assert len(lines) == index.search("Conservatives").total
    assert json.loads(lines[0])["body"]


def test_a_download_is_sent_as_it_is_read_on_an_index_lent_to_it_until_it_is_closed(index):
    # (a whole corpus's export was built in memory before its first byte was sent)
    app = create_app(index)
    copies = app.extensions["corpus_search.copies"]
    try:
        got = app.test_client().get("/export.csv?q=*", buffered=False)
        pieces = iter(got.response)
        assert next(pieces) == f"\ufeff{','.join(COLUMNS)}\r\n".encode()
        assert next(pieces).startswith(b"1,")  # (a document's row, the rest still unread)
        with copies.borrowed() as other:  # (another request meanwhile reads another copy)
            assert other is not copies.first
        got.close()
        with copies.borrowed() as again:
            assert again is copies.first
        refused = app.test_client().get("/export.csv?q=AND")
        assert refused.status_code == 400
        with copies.borrowed() as again:  # (given back by an export refused, too)
            assert again is copies.first
    finally:
        copies.close()


@pytest.mark.parametrize(("url", "status"), [("/export.csv?q=AND", 400), ("/export.csv", 400),
                                              ("/export.xlsx?q=Labour", 404)])
def test_an_export_the_page_cannot_make_is_a_one_line_answer(client, url, status):
    got = client.get(url)
    assert got.status_code == status
    if status == 400:
        assert got.mimetype == "text/plain" and got.get_data(as_text=True).count("\n") == 1


@pytest.mark.parametrize(("url", "said"), [
    ("/count?q=Labour&source=Nope", ["No documents match Labour",
                                     "No document is from the source 'Nope'; sources in this "
                                     "index: BBC News."]),
    ("/count?source=Nope", ["No documents match the filters.", "No document is from the "
                                                                 "source 'Nope'"]),
    ("/count?q=Labour%5E500", ["Labour^500: a boost is at most 100, so this searched "
                               "Labour^100."]),
])
def test_the_count_page_says_why_nothing_matched_and_how_the_query_was_read(client, url,
                                                                            said):
    # (it said "0 documents match; by year" and nothing more, where search and the command
    # name the source that no document has; and it showed none of the query's notes)
    shown = htmllib.unescape(text_of(client.get(url)))
    for sentence in said:
        assert sentence in shown


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour won.",
                                   source='=HYPERLINK("http://example.invalid","x")')])
        got = create_app(ix).test_client().get("/count.csv?q=Labour&by=source")
    assert got.get_data(as_text=True).splitlines()[1].startswith("\"'=HYPERLINK(")


@pytest.mark.parametrize(("url", "header"), [
    ("/count.csv?q=Labour&by=source", "matching"),
    ("/trends.csv?q=Labour&q=Sinn+F%C3%A9in&by=source", "Sinn Féin matching"),
])
def test_a_counts_csv_download_starts_with_the_byte_order_mark_excel_needs(tmp_path, url,
                                                                           header):
    # (without it Excel read the UTF-8 file as its Windows code page: "Sinn FÃ©in", "PÃºblico")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour and Sinn Féin won.",
                                   source="Público")])
        got = create_app(ix).test_client().get(url).get_data()
    assert got.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(got.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "value" and header in rows[0]
    assert rows[1][0] == "Público"


def test_the_count_page_joins_a_run_of_months_without_documents_into_one_row(client):
    text = text_of(client.get("/count?q=Labour&by=month"))
    assert "2003-09 1 1 100.0%" in text
    assert "2003-10 - 2005-02 - 0 (no documents) 2005-03 0 1 0.0%" in text


# -- trends -------------------------------------------------------------------------------------


def trend_cells(html: str) -> dict[str, list[str]]:
    """Each row of the trends table by its value: its documents, then each query's cell text."""
    rows = {}
    for row in re.findall(r"<tr(?: class=\"empty\")?><td>(.*?)</tr>", html, re.S):
        cells = [text_of_html(cell) for cell in re.split(r"</td><td>", row)]
        rows[cells[0]] = [cell.strip() for cell in cells[1:]]
    return rows


@pytest.mark.parametrize("by", ["year", "month", "party", "source"])
def test_the_trends_page_gives_each_query_the_figures_of_its_count_page(client, by):
    html = client.get(f"/trends?q=Labour&q=Conservatives&by={by}&undated=1").get_data(
        as_text=True)
    rows = trend_cells(html)
    count_row = r"<tr><td>(?:<a [^>]+>)?([^<]+)(?:</a>)?</td><td>(\d+)</td><td>(\d+)</td>"
    for n, query in enumerate(["Labour", "Conservatives"]):
        counted = re.findall(count_row, client.get(f"/count?q={query}&by={by}&undated=1")
                             .get_data(as_text=True))
        assert counted
        for value, matching, documents in counted:
            assert rows[value][0] == documents
            assert rows[value][1 + n].split()[1] == f"({matching})"


@pytest.mark.parametrize("by", ["year", "party", "source"])
def test_a_comparison_s_bars_are_the_library_s_on_one_scale_for_every_query(client, index, by):
    html = client.get(f"/trends?q=Labour&q=NHS&by={by}").get_data(as_text=True)
    widths = [float(width) for width in re.findall(r'class="bar" style="width: ([\d.]+)%"',
                                                    html)]
    found = index.trends(["Labour", "NHS"], by=by)
    assert widths and widths == [round(100 * found.bar(one), 1) for row in found.rows
                                 if row.documents for one in row.counts]
    assert f"; {found.full_bar()}" in htmllib.unescape(text_of_html(html))  # (their scale)


def test_the_trends_page_joins_a_run_of_months_without_documents_into_one_row(client):
    rows = trend_cells(client.get("/trends?q=Labour&q=NHS&by=month").get_data(as_text=True))
    assert rows["2003-10 - 2005-02"] == ["0", "-", "-"]
    assert rows["2003-09"] == ["1", "100.0% (1)", "0.0% (0)"]


def test_the_trends_page_shows_a_box_a_query_and_ignores_empty_ones(client):
    html = client.get("/trends?q=Labour&q=&q=NHS", follow_redirects=True).get_data(as_text=True)
    boxes = re.findall(r'<input type="search" name="q" value="([^"]*)"', html)
    assert boxes == ["Labour", "NHS", "", ""]
    assert "<th>Labour</th><th>NHS</th>" in html
    assert '<a href="/trends?q=Labour&amp;q=NHS" class="on" aria-current="page">Trends</a>' \
        in html  # (the tab beside Count keeps every query)


def test_the_trends_page_notes_queries_read_differently_that_match_the_same_documents(client):
    page = client.get("/trends?q=Labour&q=labour&by=source")
    assert page.status_code == 200
    assert re.search(r"labour matches the same \d+ documents as Labour: their columns are the "
                     "same.", text_of(page))


def test_the_trends_page_introduces_itself_until_it_has_a_query(client):
    page = client.get("/trends?party=Labour")
    assert page.status_code == 200 and "Compare how often several queries" in text_of(page)


@pytest.mark.parametrize("url, message", [
    ("/trends?q=NHS&q=NHS", "NHS is given twice: each query is one column, so give it once."),
    ("/trends?q=Labor&q=Labour", "Labour is the same query as Labor: each query is one column"),
    ("/trends?q=NHS&q=Labour&by=decade", "by must be one of year, month, source, party"),
    ("/trends?q=NHS&since=sometime", "date"),
])
def test_a_bad_trends_request_is_the_page_with_the_one_line_message(client, url, message):
    page = client.get(url)
    assert page.status_code == 400
    error = re.search(r'<p class="error" role="alert">([^<]*)</p>', page.get_data(as_text=True))
    assert message in error.group(1).replace("&#39;", "'")


def test_a_trends_cell_links_the_search_for_the_documents_it_counts(client):
    html = client.get("/trends?q=Labour&q=Conservatives&by=party").get_data(as_text=True)
    links = re.findall(r'<a href="(/\?[^"]+)" title="the (\d+) matching', html)
    assert len(links) >= 2
    for url, matching in links:
        found = text_of(client.get(url.replace("&amp;", "&")))
        assert re.search(rf"\b{matching} documents?, page 1 of", found), (url, found)


def test_comparing_an_undated_collection_by_year_offers_the_comparisons_it_can_give(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour won.")])
        html = create_app(ix).test_client().get("/trends?q=Labour&q=won&by=year").get_data(
            as_text=True)
    assert re.search(r"Matching documents without a date, not in the table: Labour 1, won 1: "
                     r"compare them by party ?\.", text_of_html(html))  # (nor a source)
    assert '<a href="/trends?q=Labour&amp;q=won&amp;by=party">by party</a>' in html


@pytest.mark.parametrize(("page", "verb"), [("count", "count"), ("trends", "compare")])
def test_a_count_with_no_table_offers_the_counts_the_index_can_give_and_no_other(tmp_path,
                                                                                  page, verb):
    # (the BBC corpus, no dates and no sources, was sent from by year to by source, a table
    # as empty, and from by source to nothing; the command says "--by party counts them
    # otherwise")
    with CorpusIndex(tmp_path / "sourced") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour won.", source="BBC News")])
        by_year = text_of(create_app(ix).test_client().get(f"/{page}?q=Labour&by=year"))
    with CorpusIndex(tmp_path / "bbc") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour won.")])
        by_source = create_app(ix).test_client().get(f"/{page}?q=Labour&by=source")
    assert re.search(rf"without a date.*: {verb} them by source or by party ?\.", by_year)
    assert re.search(rf"without a source.*: {verb} them by party ?\.", text_of(by_source))
    assert f'<a href="/{page}?q=Labour&amp;by=party">by party</a>' in by_source.get_data(
        as_text=True)


def test_the_trends_page_says_once_why_a_filter_leaves_every_query_nothing(client):
    text = text_of_html(client.get("/trends?q=Labour&q=NHS&party=Whig").get_data(as_text=True))
    assert text.count("No document mentions the party") == 1
    assert "No documents match Labour, NHS: No document mentions the party" in text
    assert "Matching documents:" not in text  # (no table's heading, as no table follows)


def test_an_empty_search_for_a_party_that_is_a_word_of_another_suggests_that_party(tmp_path):
    # (the page printed the library's reason, which did not name the Liberal Democrats)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="fees", title="Fees", body="Lib Dems would scrap tuition fees."),
            Document(id="old", title="Gladstone", body="The Liberal Party of Gladstone."),
        ])
        client = create_app(ix).test_client()
        for page in ("/", "/count"):
            text = text_of(client.get(f"{page}?q=tuition+fees&party=Liberal"))
            assert ("Liberal is the Liberal Party: did you mean Liberal Democrat (1 of them)?"
                    in text), page


def test_the_trends_page_names_a_corrected_query_by_its_correction_in_every_line(tmp_path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="a", body="Labour and the budget."),
                          Document(id="b", title="b", body="The budget was set.")])
        html = create_app(ix).test_client().get("/trends?q=Labour&q=budgte&by=year").get_data(
            as_text=True)
    text = text_of_html(html)
    assert "Matching documents: Labour 1, budget 2;" in text
    assert "Matching documents without a date, not in the table: Labour 1, budget 2" in text


def test_a_trends_table_wider_than_the_page_scrolls_in_its_own_box_its_values_in_view(client):
    html = client.get("/trends?q=Labour&q=NHS&by=party").get_data(as_text=True)
    assert '<div class="scrolls"><table class="counts trends">' in html
    css = client.get("/static/style.css").get_data(as_text=True)
    assert ".scrolls { overflow-x: auto; }" in css
    assert ".trends td:first-child, .trends th:first-child { position: sticky; left: 0;" in css


def test_the_trends_page_spreads_to_a_wide_screen_so_a_wide_comparison_shows_whole(client):
    # (eight queries by party are about 1,500 px: on a 2,560 px screen the table scrolled in
    # a 70rem box with four columns out of sight beside a thousand empty pixels)
    assert '<main id="main" tabindex="-1" class="wide">' in client.get(
        "/trends?q=Labour&q=NHS").get_data(as_text=True)
    assert '<main id="main" tabindex="-1">' in client.get("/?q=Labour").get_data(as_text=True)
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "main.wide { max-width: 120rem; }" in css


def test_the_trends_page_downloads_the_command_s_csv(client, index):
    from click.testing import CliRunner

    from corpus_search.cli import cli

    html = client.get("/trends?q=Labour&q=NHS&by=month").get_data(as_text=True)
    assert '<a href="/trends.csv?q=Labour&amp;q=NHS&amp;by=month" download>' in html
    got = client.get("/trends.csv?q=Labour&q=NHS&by=month")
    assert got.mimetype == "text/csv"
    assert 'filename="trends-Labour-NHS-by-month.csv"' in got.headers["Content-Disposition"]
    command = CliRunner().invoke(cli, ["trends", "Labour", "NHS", "--by", "month", "--csv",
                                       "--index", str(index.path)])
    assert got.get_data(as_text=True).removeprefix("\ufeff").splitlines() == (
        command.stdout.splitlines())
    assert client.get("/trends.csv?q=NHS&q=NHS").status_code == 400


def test_counting_by_something_unknown_is_the_page_with_the_one_line_message(client):
    page = client.get("/count?q=Labour&by=decade")
    assert page.status_code == 400
    assert "by must be one of year, month, source, party, not &#39;decade&#39;." in \
        page.get_data(as_text=True)


def test_the_count_page_says_how_many_undated_matches_a_date_range_left_out(client):
    assert ("The date range left out 1 matching document with no date"
            in text_of(client.get("/count?q=Labour&since=2003")))


def test_a_year_facet_s_link_finds_the_documents_its_count_counts(client):
    html = client.get("/?q=Labour&undated=1").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">2003</a> (\d+)</li>', html)
    assert link, html
    url, count = link.group(1).replace("&amp;", "&"), link.group(2)
    assert "undated" not in url  # (with "undated too", the year would count the undated)
    assert f"{count} document, page 1 of 1" in text_of(client.get(url))


def test_a_page_past_the_end_says_so_and_links_the_last_page(client):
    page = client.get("/?q=Labour&party=Labour&page=9")
    html = page.get_data(as_text=True)
    assert "Page 9 is past the end" in text_of(page)
    assert "page 9 of" not in text_of(page)
    assert '<a href="/?q=Labour&amp;party=Labour&amp;page=1">last page</a>' in html


@pytest.mark.parametrize("page", ["/", "/count"])
def test_filters_without_words_ask_about_every_document_the_filters_keep(client, page):
    # (the search and count pages ask for "*" then; an empty form is the introduction)
    def shown(url: str) -> str:  # (the page but its title and its heading, which say it)
        page = client.get(url, follow_redirects=True)  # (the form's empty q dropped)
        return text_of_html(page.get_data(as_text=True).split("</h1>", 1)[1])

    assert shown(f"{page}?q=&source=BBC+News") == shown(f"{page}?q=*&source=BBC+News")
    assert "1 document" in text_of(client.get(f"{page}?q=&source=BBC+News", follow_redirects=True))


def test_a_search_and_its_count_agree_on_a_filters_only_search(client):
    search = text_of(client.get("/?q=&source=BBC+News", follow_redirects=True))
    count = text_of(client.get("/count?q=&source=BBC+News&by=source", follow_redirects=True))
    assert "1 document, page 1 of 1" in search
    assert "1 document matches the filters; by source" in count
    assert "BBC News 1 1 100.0%" in count


def test_the_concordance_asks_for_words_when_only_filters_are_given(client):
    page = client.get("/concordance?q=&source=BBC+News", follow_redirects=True)
    assert page.status_code == 200
    assert "Every place a query matches" in text_of(page)  # (its introduction, no error)
    starred = client.get("/concordance?q=*&source=BBC+News")  # (typed: the library's word)
    assert starred.status_code == 400
    assert "A concordance needs a query" in text_of(starred)


def test_a_filters_only_search_that_finds_nothing_says_what_was_asked_in_words(client):
    text = text_of(client.get("/?q=&source=BBC+News&since=2005-01-01", follow_redirects=True))
    # (once: the page's own "No document is from ..." came before the reason saying it whole)
    asked = "no document is from the source BBC News and is dated on or after 2005-01-01."
    assert text.lower().count(asked.lower()) == 1
    assert "match *" not in text
    # (a filter that finds nothing at all: the reason alone, naming what it is)
    text = text_of(client.get("/?source=Guardian"))
    assert text.count("No document is from the source") == 1 and "Guardian" in text


@pytest.mark.parametrize("url", ["/?q=Labour&source=Guardian", "/count?q=Labour&source=Guardian",
                                 "/terms?q=Labour&source=Guardian"])
def test_a_query_that_matches_none_of_the_documents_the_filters_keep_is_not_said_to_match_none(
        client, url):
    # (Labour matches documents: "No documents match Labour." above why the source kept none
    # said what was not so)
    text = text_of(client.get(url))
    assert "No documents match Labour among those the filters keep." in text
    assert "No document is from the source" in text
    assert "No documents match Labour among" not in text_of(client.get("/?q=Labour"))


def test_the_trends_page_s_examples_fill_only_an_empty_form(client):
    # (beside NHS and Iraq asked, the fourth box's example "Iraq" read as a query asked twice)
    def placeholders(url: str) -> list[str]:
        html = client.get(url).get_data(as_text=True)
        return re.findall(r'name="q" value="" class="trend" placeholder="([^"]*)"', html)

    assert placeholders("/trends") == ["NHS", "immigration", "tuition fees", "Iraq"]
    assert placeholders("/trends?q=NHS&q=Iraq") == ["another query"] * 2


def test_the_trends_page_with_filters_alone_is_its_introduction_by_its_own_name(client):
    # (it was titled "party Labour compared by year" over a page that compared nothing)
    html = client.get("/trends?party=Labour").get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", html).group(1) == "corpus-search"
    assert '<h1 class="visually-hidden">Trends</h1>' in html
    assert "Compare how often several queries come up" in text_of_html(html)


#: the start of the message on a sort the library does not take
SORT_MUST = "sort must be 'relevance', 'date' (newest first) or 'oldest' (oldest first),"


@pytest.mark.parametrize(("url", "message"), [
    ("/?q=Labour&page=two", "page must be a whole number from 1 up, not 'two'."),
    ("/?q=Labour&page=0", "page must be a whole number from 1 up, not 0."),
    ("/?q=Labour&sort=newest", f"{SORT_MUST} not 'newest'."),
    ("/?q=Labour&limit=lots", "limit must be a whole number from 1 to 1000, not 'lots'."),
    ("/concordance?q=Labour&sort=newest", f"{SORT_MUST} not 'newest'."),
    ("/concordance?q=Labour&limit=0", "limit must be a whole number from 1 to 100,000, not 0."),
])
def test_a_typed_page_sort_or_limit_the_page_cannot_use_is_its_one_line_message(client, url,
                                                                              message):
    # (the page's own links never make one: it was typed, and page 1 would hide the typo)
    page = client.get(url)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True).replace("&#39;", "'")


def test_limit_sets_the_results_a_page_and_page_links_keep_it(client):
    page = client.get("/?q=Labour+OR+Conservatives&limit=1")
    html = page.get_data(as_text=True)
    assert "3 documents, page 1 of 3" in text_of(page) and html.count('<a class="title"') == 1
    assert 'href="/?q=Labour+OR+Conservatives&amp;limit=1&amp;page=2">next</a>' in html
    # (another page counts something else by limit: the tabs leave it behind)
    assert 'href="/concordance?q=Labour+OR+Conservatives"' in html


@pytest.mark.parametrize(("url", "title"), [
    ("/", "corpus-search"),
    ("/?q=Labour", "Labour - corpus-search"),
    ("/?q=Labour+OR+Conservatives&limit=1&page=2", "Labour OR Conservatives, page 2 - "
                                                   "corpus-search"),
    ("/?source=BBC+News&since=2003", "source BBC News, since 2003 - corpus-search"),
    ("/concordance?q=Tories", "Tories in context - corpus-search"),
    ("/count?q=Tories", "Tories counted - corpus-search"),
    ("/trends?q=Tories&q=NHS", "Tories, NHS compared - corpus-search"),
    ("/doc/politics/001", "Lib Dems take Brent East - corpus-search"),
])
def test_each_page_s_title_says_what_it_shows(client, url, title):
    # (the title is what a tab, a bookmark and the browser's history list show)
    html = client.get(url).get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", html).group(1) == title


@pytest.mark.parametrize(("values", "folded"), [(17, 5), (16, 4), (15, 0), (3, 0)])
def test_a_facet_lists_a_dozen_values_and_folds_the_rest_under_more(tmp_path, values, folded):
    # (a fold of fewer than 4 takes about the room of the values it would hide: all shown)
    sources = [f"Paper {n:02}" for n in range(1, values + 1)]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id=f"d{n}", title="t", body="The budget.", source=source)
                          for n, source in enumerate(sources)])
        html = create_app(ix).test_client().get("/?q=budget").get_data(as_text=True)
    facet = html[html.index("<h2>source</h2>"):html.index("</aside>")]
    shown, _, rest = facet.partition("<details>")
    assert len(re.findall(r"<li><a ", shown)) == values - folded
    assert len(re.findall(r"<li><a ", rest)) == folded
    assert (f"<summary>{folded} more</summary>" in rest) is bool(folded)
    assert sorted(re.findall(r">(Paper \d+)</a>", facet)) == sources  # (every one a link)


@pytest.fixture
def serving(index):
    """The page over ``index``, served from a thread; its base URL."""
    import threading

    from corpus_search.web import make_server

    server = make_server(create_app(index), "127.0.0.1", 0)
    loop = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    loop.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        loop.join(30)
        server.server_close()


def _read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def test_a_slow_request_does_not_hold_a_fast_one(serving, monkeypatch):
    import threading

    release, counting = threading.Event(), threading.Event()
    count = CorpusIndex.count

    def slow_count(self, query, *args, **kwargs):
        if query == "Labour":  # (this count takes until the test lets it go)
            counting.set()
            release.wait(30)
        return count(self, query, *args, **kwargs)

    monkeypatch.setattr(CorpusIndex, "count", slow_count)
    slow: list[str] = []
    asker = threading.Thread(target=lambda: slow.append(_read(f"{serving}/count?q=Labour")))
    asker.start()
    try:
        assert counting.wait(30)
        started = dt.datetime.now()
        assert "Lib Dems take Brent East" in _read(f"{serving}/?q=Brent")  # (meanwhile)
        assert "Lib Dems take Brent East" in _read(f"{serving}/doc/politics/001")
        assert not slow and (dt.datetime.now() - started).total_seconds() < 20
    finally:
        release.set()
        asker.join(30)
    assert "2 documents match; by year" in text_of_html(slow[0])


def test_requests_at_the_same_time_each_read_an_index_of_their_own(serving):
    """A Whoosh reader seeks and reads through one shared position: two requests on one
    opened index read each other's bytes (garbage postings, "Block tag error")."""
    import sys
    import threading
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"{serving}{path}" for path in (
        "/?q=Labour+OR+Conservatives", "/count?q=Conservatives&by=month",
        "/concordance?q=Tories", "/doc/politics/001", "/?q=budget&sort=date")] * 20
    alone = {url: _read(url) for url in set(urls)}
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # (threads take turns as often as they can: races show)
    try:
        with ThreadPoolExecutor(8) as pool:
            together = list(pool.map(_read, urls))
    finally:
        sys.setswitchinterval(switching)
    assert together == [alone[url] for url in urls]
    assert threading.active_count() < 20  # (each request's thread ended with it)


def test_a_stopped_page_closes_the_indexes_it_opened_but_not_the_one_it_was_given(index):
    from corpus_search.web import IndexCopies

    copies = IndexCopies(index, most=3)
    with copies.borrowed() as first, copies.borrowed() as second, copies.borrowed() as third:
        assert first is index and len({id(first), id(second), id(third)}) == 3
        assert second.path == third.path == index.path
    copies.close(wait=1)
    assert second.search("Brent").total == 1  # (a closed index opens its searcher anew)
    with copies.borrowed() as again:
        assert again is index and index.search("Brent").total == 1  # (lent again)


def test_several_indexes_searched_as_one_are_lent_as_copies_too(index, tmp_path):
    from corpus_search import MultiIndex
    from corpus_search.web import IndexCopies

    with CorpusIndex(tmp_path / "other") as other:
        other.add_documents([Document(id="x/1", title="Other", body="Labour again.")])
    with MultiIndex([index.path, tmp_path / "other"]) as both:
        copies = IndexCopies(both, most=2)
        with copies.borrowed() as first, copies.borrowed() as second:
            assert first is both and second is not both and second.path == both.path
            assert second.search("Labour").total == both.search("Labour").total == 3
        copies.close(wait=1)


def test_a_stop_does_not_wait_for_ever_on_a_request_that_never_ends(index):
    """The request threads are daemons, and the indexes in use are left to the process's
    end once :data:`STOP_WAIT` has gone: a stuck request cannot keep the page running."""
    import threading
    import time

    from corpus_search.web import IndexCopies

    copies = IndexCopies(index, most=2)
    stuck = threading.Event()

    def hold() -> None:
        with copies.borrowed():
            stuck.wait(30)

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    time.sleep(0.1)
    started = time.monotonic()
    copies.close(wait=0.5)
    assert time.monotonic() - started < 5
    stuck.set()
    holder.join(30)


def _as_from_a_terminal() -> None:
    # (a test run started in the background, `pytest &`, ignores SIGINT, and its children
    # inherit that: Ctrl-C in a terminal always reaches the command)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_web_command_serves_the_page_until_it_is_stopped(index, cli_env: dict[str, str],
                                                             stop: signal.Signals):
    proc = subprocess.Popen([*corpus_search_command(), "web", "--index", str(index.path),
                             "--port", "0"], env=cli_env, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_from_a_terminal)
    try:
        line = proc.stderr.readline()
        url = re.search(r"at (http://\S+/) \(Ctrl-C stops it\)", line)
        assert url, line
        with urllib.request.urlopen(url.group(1) + "?q=Brent", timeout=30) as response:
            assert b"Lib Dems take Brent East" in response.read()
    finally:
        proc.send_signal(stop)
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == 0  # (Ctrl-C, or kill's SIGTERM, is how it is stopped)


def test_a_port_in_use_is_one_line_and_exit_2(index, cli_env: dict[str, str], tmp_path: Path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([*corpus_search_command(), "web", "--index", str(index.path),
                               "--port", str(port)], env=cli_env, capture_output=True,
                              text=True, timeout=60)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line == (f"error: Port {port} of 127.0.0.1 is in use (another corpus-search web?): "
                    "choose another with --port, or --port 0 for any free one.")


def test_without_flask_the_command_says_which_extra_to_install(index, monkeypatch):
    import sys

    from click.testing import CliRunner

    from corpus_search.cli import cli

    for name in ("flask", "corpus_search.web"):  # (import them and fail, as without Flask)
        monkeypatch.setitem(sys.modules, name, None)
    result = CliRunner().invoke(cli, ["web", "--index", str(index.path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: corpus-search web needs the web extra (")
    # (as the README installs it, from a source checkout; a package index's name besides)
    assert result.output.endswith("): pip install '.[web]' in a source checkout (pip install "
                                  "'corpus-search[web]' from a package index)\n")


@pytest.mark.parametrize(("url", "focused"), [
    ("/", True), ("/count", True), ("/?q=Labour", False), ("/doc/politics/001", False),
    ("/concordance?q=Tories", False)])
def test_the_query_box_takes_the_keyboard_only_on_an_empty_form(client, url, focused):
    # (focused on a page of results or a document, Space and Page Down typed into the box
    # instead of scrolling the page)
    assert ("autofocus" in client.get(url).get_data(as_text=True)) is focused


def test_the_pages_work_without_javascript_and_mark_the_tab_they_are_on(client):
    html = client.get("/count?q=Labour").get_data(as_text=True)
    assert not re.search(r"<script|\bon[a-z]+=", html, re.I)  # (no script, no handlers)
    assert '<a href="/count?q=Labour" class="on" aria-current="page">Count</a>' in html


def test_page_links_look_like_links_not_like_the_header_s_tabs():
    # (an unscoped "nav a" rule greyed and un-underlined previous/next, in <nav class="pages">)
    css = (Path(create_app.__code__.co_filename).parent / "static" / "style.css").read_text()
    rules = [rule.split("{")[0].strip() for rule in css.splitlines() if "{" in rule]
    assert [r for r in rules if r.startswith("nav")] == []
    assert "header nav a" in rules


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_a_stop_signal_that_arrives_during_a_request_still_stops_the_page(stop):
    """The standard library's handler logs any error of a request and serves on: a Ctrl-C
    raised inside one was swallowed and the page never stopped (the suite's flaky hang)."""
    import os
    import threading

    from corpus_search.web import make_server, serve_until_stopped

    def app(environ, start_response):  # the signal comes while the request is handled
        os.kill(os.getpid(), stop)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"answered"]

    server = make_server(app, "127.0.0.1", 0)
    answers: list[bytes] = []

    def ask() -> None:
        url = f"http://127.0.0.1:{server.server_port}/"
        with urllib.request.urlopen(url, timeout=30) as response:
            answers.append(response.read())

    client = threading.Thread(target=ask)
    client.start()
    stuck = threading.Timer(15, server.shutdown)  # (a failure, not a hung suite)
    stuck.start()
    try:
        with server:
            serve_until_stopped(server)
        assert stuck.is_alive(), "the page went on serving after the signal"
    finally:
        stuck.cancel()
        client.join(30)
    assert answers == [b"answered"]


# -- key terms ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def terms_client(tmp_path_factory: pytest.TempPathFactory):
    from test_keyterms import documents  # (eight Lib Dem stories among forty others)

    ix = CorpusIndex(tmp_path_factory.mktemp("web-terms") / "ix")
    ix.add_documents(documents())
    yield create_app(ix).test_client()
    ix.close()


def test_a_key_term_s_share_columns_are_read_under_the_heading_of_their_figure(terms_client):
    # (they had empty headings: a screen reader read "100.0%" with nothing to say what it was
    # a share of; the command prints "matching" and "others" over both columns too)
    html = terms_client.get("/terms?q=Liberal+Democrats").get_data(as_text=True)
    assert ('<tr><th>word</th><th colspan="2">matching</th><th colspan="2">others</th>'
            "<th>log ratio</th><th>keyness</th></tr>") in html
    assert re.findall(r"<th\b[^>]*>\s*</th>", html) == []


def test_the_key_terms_page_lists_the_words_that_set_the_matches_apart(terms_client):
    response = terms_client.get("/terms?q=Liberal+Democrats")
    assert response.status_code == 200
    text = text_of(response)
    assert "8 documents match, against the 40 others of the index" in text
    assert re.search(r"Kennedy 8 100\.0% 0 0\.0% [\d.]+ [\d.]+", text)
    assert "<title>Key terms of Liberal Democrats - corpus-search</title>" in (
        response.get_data(as_text=True))
    # (its seven columns, 648 px at a phone's 400, scroll in a box, not the whole page)
    assert '<div class="scrolls"><table class="counts keyterms">' in (
        response.get_data(as_text=True))


def test_a_key_term_links_the_matching_documents_that_hold_it(terms_client):
    html = terms_client.get("/terms?q=Liberal+Democrats&source=Party+Press").get_data(
        as_text=True)
    link = re.search(r'<a href="(/\?[^"]+)"[^>]*>hospital</a>', html).group(1)
    found = text_of(terms_client.get(link.replace("&amp;", "&")))
    assert "3 documents, page 1 of 1" in found  # (the three stories on a hospital)
    assert "source=Party+Press" in link  # (the filters kept)


def test_against_compares_with_another_query_s_documents_and_other_tabs_drop_it(terms_client):
    html = terms_client.get("/terms?q=NHS&against=Liberal+Democrats").get_data(as_text=True)
    assert "3 documents match, against the 5 matching Liberal Democrats (and not the query)" \
        in text_of_html(html)
    assert 'name="against" value="Liberal Democrats"' in html
    tabs = re.findall(r'<a href="([^"]+)"[^>]*>(?:Search|In context|Count)</a>', html)
    assert len(tabs) == 3 and not any("against" in tab for tab in tabs)


def test_against_without_a_query_says_the_query_is_missing(terms_client):
    page = terms_client.get("/terms?against=Tories")
    assert page.status_code == 400
    assert "Key terms need a query too: the documents whose words to compare with those " \
        "matching Tories." in text_of(page)


def test_key_terms_of_every_document_is_the_page_with_the_one_line_message(terms_client):
    response = terms_client.get("/terms?q=*")
    assert response.status_code == 400
    assert "no others to compare them with" in text_of(response)
    assert "the rest of the index" in text_of(terms_client.get("/terms"))  # (the intro)


@pytest.mark.parametrize(("host", "open_to"), [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("[::1]", False),
    ("127.0.0.2", False), ("0.0.0.0", True), ("::", True), ("192.168.1.20", True),
    ("mybox.local", True)])
def test_a_page_listening_beyond_this_computer_says_others_can_read_it(host, open_to):
    # (--host 0.0.0.0 served every document's text and file path to the network, and said
    # only "Serving ... at http://0.0.0.0:8000/")
    from corpus_search.web import open_to_others

    note = open_to_others(host)
    assert (note is not None) is open_to
    if open_to:
        assert note == (f"the page listens on {host}, so other computers that can reach this "
                        "one can read it too: the documents' text and the paths of their "
                        "files, with no password asked.")


def test_the_web_command_notes_a_host_open_to_other_computers(index, cli_env: dict[str, str]):
    proc = subprocess.Popen([*corpus_search_command(), "web", "--index", str(index.path),
                             "--host", "0.0.0.0", "--port", "0"], env=cli_env,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_as_from_a_terminal)
    try:
        assert "Serving" in proc.stderr.readline()
        assert proc.stderr.readline().startswith(
            "note the page listens on 0.0.0.0, so other computers that can reach this one")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        proc.stderr.close()



def page_over(tmp_path: Path, documents: list[Document], url: str) -> str:
    """The text of the page at ``url`` over an index of ``documents``, as a reader sees it."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(documents)
        return htmllib.unescape(text_of(create_app(ix).test_client().get(url)))


def test_a_search_says_how_many_of_its_matches_hold_only_a_related_term_as_the_command_does(
    tmp_path,
):
    # (a count's row of PLP links the search of PLP, which also lists the stories naming
    # only Labour: the page said "2 documents" under a count of 1, and never why)
    assert ("2 documents, page 1 of 1 1 of them holds the query's words or their forms; the "
            "other 1 only a term the lexicon relates to them.") in page_over(
        tmp_path, plp_stories(), "/?q=PLP")


def test_a_search_of_a_quoted_phrase_says_how_many_matches_hold_the_phrase(tmp_path):
    found = page_over(tmp_path, [
        Document(id="held", title="Rates", body="The Bank held interest rates at 4.75%."),
        Document(id="apart", title="Loans", body="Interest on loans rose; rates fell."),
    ], "/?q=%22interest+rates%22")
    assert ("1 of them holds the quoted phrase (or a lexicon form of it); the rest, ranked "
            "after them, hold its words apart.") in found


def test_the_year_facet_counts_the_undated_matches_as_search_facets_does(tmp_path):
    # (the years of a partly dated search added up to fewer than its matches, and a search of
    # an undated collection, the BBC's, showed no year at all; search --facets says "no date")
    dated = [Document(id="d", title="t", body="The budget.", date=dt.date(2005, 3, 1),
                      source="BBC News")]
    undated = [Document(id=f"u{n}", title="t", body="The budget.") for n in range(2)]
    found = page_over(tmp_path, dated + undated, "/?q=budget")
    assert "year 2005 1 no date 2" in found
    assert "source BBC News 1 no source 2" in found


def test_the_party_facet_counts_the_matches_naming_no_party_as_search_facets_does(tmp_path):
    # (the parties of 3 matches read "Labour 1 Conservative 1": the third, naming none, unseen)
    documents = [Document(id="l", title="t", body="Labour's budget."),
                 Document(id="c", title="t", body="The Tories' budget."),
                 Document(id="n", title="t", body="The budget.")]
    assert "party Conservative 1 Labour 1 no party 1" in page_over(tmp_path, documents,
                                                                   "/?q=budget")


def test_an_undated_collection_s_search_shows_its_matches_under_no_date(tmp_path):
    found = page_over(tmp_path, [Document(id="u", title="t", body="The budget.")], "/?q=budget")
    assert "year no date 1" in found
    assert "no source" not in found  # (no match has a source: no heading, as the command)


def test_a_concordance_page_with_no_place_says_where_and_why_as_the_command_does(tmp_path):
    """The page said "in any document's text" whatever the filters did, and that matches held
    the query "only in a title or another field" when they held only a related term: its
    sentence is now the command's (corpus_search.search.held.no_places_where)."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="dated", title="Budget", body="Mr Blair spoke.", date=dt.date(2005, 2, 1)),
            Document(id="related", title="Campaign", body="Labour's campaign began."),
        ])
        client = create_app(ix).test_client()
        filtered = htmllib.unescape(text_of(client.get("/concordance?q=Blair&since=2030-01-01")))
        related = htmllib.unescape(text_of(client.get("/concordance?q=PLP")))
    assert "No places for Blair in the documents the filters keep." in filtered
    assert "No places for PLP in any document's text." in related
    assert "1 document that holds only Labour (a term the lexicon relates to PLP)" in related
