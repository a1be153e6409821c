"""The web page's "each text once" box (``distinct=1`` in the address, as ``--distinct`` on
the command line): the pages that count documents (count, trends, key terms, in context, and
a count's download) count each text once, as the library's ``distinct=True`` does, and the
address carries it from page to page."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from conftest import index_of, page_html, page_text
from corpus_search import Document
from corpus_search.web import create_app

BUDGET = "Labour and the Conservatives clashed over the budget."
DOCUMENTS = [
    # (the budget story saved three times, the schools story once)
    *(Document(id=f"a/{n}", title="Budget row", body=BUDGET, source="BBC News")
      for n in range(3)),
    Document(id="a/9", title="School funding", body="The budget gives schools more.",
             source="The Guardian"),
    *(Document(id=f"c/{n}", title=f"Match report {n}", body=f"The club won {n} games.")
      for n in range(12)),
]

#: the pages that count documents, each with its address for a query
PAGES = {"count": "/count?q={}&by=source", "trends": "/trends?q={}&by=source",
         "key terms": "/terms?q={}&limit=5", "in context": "/concordance?q={}"}
BOX = 'name="distinct" value="1"'


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield from index_of(tmp_path_factory, "web-distinct", DOCUMENTS)


@pytest.fixture(scope="module")
def client(index):
    return create_app(index).test_client()




@pytest.mark.parametrize("page", PAGES)
def test_each_page_that_counts_documents_has_the_box_ticked_as_the_address_says(client, page):
    plain = page_html(client, PAGES[page].format("budget"))
    once = page_html(client, PAGES[page].format("budget") + "&distinct=1")
    assert BOX in plain and f"{BOX} checked" not in plain
    assert f"{BOX} checked" in once


def test_the_search_page_has_no_such_box(client):
    assert BOX not in page_html(client, "/?q=budget")


def test_each_page_counts_each_text_once_as_the_library_does(client, index):
    note = "2 more documents repeat the text of a match word for word"
    for page in PAGES:
        plain = page_text(page_html(client, PAGES[page].format("budget")))
        once = page_text(page_html(client, PAGES[page].format("budget") + "&distinct=1"))
        assert note not in plain and note in once, page
    assert index.count("budget", by="source", distinct=True).total == 2
    assert "2 documents match; by source" in page_text(
        page_html(client, "/count?q=budget&by=source&distinct=1"))
    assert "2 documents match, against the 12 others" in page_text(
        page_html(client, "/terms?q=budget&distinct=1&limit=5"))
    context = page_html(client, "/concordance?q=budget&distinct=1")
    assert sorted(set(re.findall(r'href="/doc/([^"?#]+)', context))) == ["a/0", "a/9"]


def test_the_count_csv_and_the_trends_csv_count_each_text_once(client):
    counted = client.get("/count.csv?q=budget&by=source&distinct=1").get_data(as_text=True)
    assert ["BBC News", "1", "1", "1.0"] in list(csv.reader(io.StringIO(counted)))
    compared = client.get("/trends.csv?q=budget&by=source&distinct=1").get_data(as_text=True)
    assert ["BBC News", "1", "1", "1.0"] in list(csv.reader(io.StringIO(compared)))


def test_the_download_of_the_documents_counted_has_a_row_for_each_text_counted(client):
    page = page_html(client, "/count?q=budget&by=source&distinct=1")
    [link] = {link.replace("&amp;", "&") for link in
              re.findall(r'href="(/export\.jsonl[^"]*)"', page)}
    assert "distinct=1" in link and "counted=1" in link
    rows = client.get(link).get_data(as_text=True).splitlines()
    assert len(rows) == 2


def test_the_search_page_s_download_is_every_document_found_whatever_the_box(client):
    """A count's row links a search (the box's value along, for the next count): the search
    lists every document found, copies marked, and so does its download."""
    page = page_html(client, "/?q=budget&distinct=1")
    links = {link.replace("&amp;", "&") for link in
             re.findall(r'href="(/export\.jsonl[^"]*)"', page)}
    assert links and not [link for link in links if "distinct" in link]


def test_a_count_row_s_search_says_the_count_counted_each_text_once(client):
    page = page_text(page_html(client, "/?q=budget&source=BBC+News&counted=1&distinct=1"))
    assert "A count of this query counts 1 of these 3 documents" in page
    assert "2 more documents repeat the text of a match word for word" in page
