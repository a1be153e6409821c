"""The web page's "as written" box (``literal=1`` in the address, as ``--literal`` on the
command line): every page with a query reads its words exactly as written, as the library's
``literal=True`` does, and the address carries it, so a result can be shared."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from conftest import index_of, page_html, page_text
from corpus_search import Document
from corpus_search.web import create_app

DOCUMENTS = [
    Document(id="voting", title="Polls open", source="BBC News",
             body="Voting began at seven. The Tory party's candidate voted early by ballot."),
    Document(id="vote", title="A close vote", source="BBC News",
             body="The vote was counted overnight; the Conservative Party won it."),
    Document(id="votes", title="Recount", source="The Guardian",
             body="Votes were counted again, and voting stopped at ten: a ballot too close."),
    Document(id="other", title="Budget", source="The Guardian",
             body="The budget * was welcomed."),
    # (others enough for a word that only the two saying "voting" hold to be a key term)
    *(Document(id=f"weather/{n}", title="Weather", body=f"Rain on day {n}.") for n in range(20)),
]

#: the pages that read a query, each with its address for one
PAGES = {"search": "/?q={}", "concordance": "/concordance?q={}", "count": "/count?q={}",
         "trends": "/trends?q={}", "key terms": "/terms?q={}"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "web-literal", DOCUMENTS)


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()




def document_links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="(/doc/[^"]+)"', html)]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_a_query_has_the_as_written_box_ticked_as_its_address_says(client,
                                                                                    page):
    box = re.compile(r'<input type="checkbox" name="literal" value="1" (checked)?>')
    ticked = box.search(page_html(client, PAGES[page].format("voting") + "&literal=1"))
    unticked = box.search(page_html(client, PAGES[page].format("voting")))
    assert ticked and ticked.group(1) == "checked"
    assert unticked and unticked.group(1) is None


def test_a_search_as_written_finds_only_the_documents_saying_the_word_as_written(client,
                                                                                 index):
    as_written = page_html(client, "/?q=voting&literal=1")
    ids = re.findall(r'<div class="meta">([a-z]+) ', as_written)
    assert sorted(ids) == sorted(hit.id for hit in index.search("voting", literal=True))
    assert sorted(ids) == ["votes", "voting"]
    assert "vote" in re.findall(r'<div class="meta">([a-z]+) ', page_html(client, "/?q=voting"))


def test_a_result_s_link_opens_its_document_with_only_the_words_as_written_marked(client):
    links = document_links(page_html(client, "/?q=voting&literal=1"))
    assert links and all("literal=1" in link for link in links)
    page = page_html(client, next(link for link in links if link.startswith("/doc/votes?")))
    assert re.findall(r"<mark[^>]*>([^<]+)</mark>", page) == ["voting"]  # (not "Votes")
    stemmed = page_html(client, "/doc/votes?q=voting")
    assert len(re.findall(r"<mark[^>]*>", stemmed)) == 2


def test_a_concordance_as_written_shows_only_the_places_as_written_and_links_them_so(client):
    page = page_html(client, "/concordance?q=voting&literal=1")
    assert sorted(re.findall(r'<td class="match">([^<]+)</td>', page)) == ["Voting", "voting"]
    assert all("literal=1" in link for link in document_links(page))


def test_the_count_and_trends_pages_count_what_the_library_counts_as_written(client, index):
    count = page_html(client, "/count?q=voting&by=source&literal=1")
    total = index.count("voting", by="source", literal=True).total
    assert total == 2 and f"{total} documents match" in count
    trends = page_html(client, "/trends?q=voting&q=%27Tory+party%27&by=source&literal=1")
    assert "Matching documents: voting 2, 'Tory party' 1;" in page_text(trends)


def test_the_downloads_of_a_page_as_written_hold_what_it_counts(client, index):
    rows = client.get("/count.csv?q=voting&by=source&literal=1").get_data(as_text=True)
    assert rows.splitlines()[1:] == ["BBC News,1,2,0.5", "The Guardian,1,2,0.5"]
    export = client.get("/export.jsonl?q=voting&literal=1&counted=1").get_data(as_text=True)
    assert len(export.splitlines()) == 2
    trends = client.get("/trends.csv?q=voting&q=vote&by=source&literal=1").get_data(
        as_text=True)
    assert trends.splitlines()[1:] == ["BBC News,2,1,0.5,1,0.5",
                                       "The Guardian,2,1,0.5,0,0.0"]


def test_a_count_row_s_search_reads_the_query_as_written_as_the_count_did(client):
    count = page_html(client, "/count?q=voting&by=source&literal=1")
    row = next(urllib.parse.unquote(link.replace("&amp;", "&"))
               for link in re.findall(r'href="(/\?[^"]+)"', count) if "counted=1" in link)
    assert "literal=1" in row
    assert "1 document, page 1 of 1" in page_text(page_html(client, row.replace("+", " ")))


def test_key_terms_as_written_are_those_of_the_documents_holding_the_words_as_written(
        client, index):
    page = page_html(client, "/terms?q=voting&literal=1")
    matching = index.key_terms("voting", literal=True).matching
    assert matching == 2 and f"{matching} documents match" in page
    # (a word's link: the documents holding the query and the word, both as written)
    words = [urllib.parse.parse_qs(urllib.parse.urlparse(link.replace("&amp;", "&")).query)
             for link in re.findall(r'<tr><td><a href="([^"]+)"', page)]
    assert words and all(word["literal"] == ["1"] and word["q"][0].startswith('voting "')
                         for word in words)
    ballot = next(word for word in words if word["q"] == ['voting "ballot"'])
    found = page_html(client, "/?" + urllib.parse.urlencode(ballot, doseq=True))
    assert "2 documents, page 1 of 1" in page_text(found)


def test_filters_alone_with_the_box_ticked_ask_for_every_document_they_keep(client):
    """A page of filters alone asks for "*", every document they keep: as written it would be
    the documents holding an asterisk (one here), which nobody ticking the box meant."""
    page = page_html(client, "/count?source=The+Guardian&by=source&literal=1")
    assert "2 documents match the filters" in page_text(page)
