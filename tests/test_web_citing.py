"""The web page's document: its reference to copy, and a paragraph quoted with it (the
journalist's path from a search to a quotation that can be cited)."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from corpus_search import CorpusIndex, Document
from corpus_search.web import create_app

BODY = ("Labour has pledged to cut NHS waiting lists.\n\nWes Streeting said: \"The NHS is on its "
        "knees.\"\n\nThe Tories said it was <b>uncosted</b>.")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    ix = CorpusIndex(tmp_path_factory.mktemp("web-citing") / "ix")
    ix.add_documents([Document(id="guardian/nhs", title="Labour pledges to cut waiting lists",
                               source="The Guardian", date=dt.date(2024, 3, 14), body=BODY,
                               url="https://www.theguardian.com/nhs")])
    yield create_app(ix).test_client()
    ix.close()


def textarea(html: str, name: str) -> str:
    """The text of the box with this id, as the browser shows it (entities decoded)."""
    found = re.search(rf'<textarea id="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no textarea #{name}"
    return htmllib.unescape(found.group(1))


def test_a_document_page_has_its_reference_in_a_labelled_box_to_copy(client):
    html = client.get("/doc/guardian/nhs").get_data(as_text=True)
    assert textarea(html, "cite") == ('"Labour pledges to cut waiting lists", The Guardian, '
                                      "14 March 2024, https://www.theguardian.com/nhs "
                                      "[id guardian/nhs]")
    assert '<label for="cite">' in html


def test_each_paragraph_links_its_quotation_keeping_the_query_s_marks(client):
    html = client.get("/doc/guardian/nhs?q=NHS").get_data(as_text=True)
    start = BODY.index("Wes")
    # (no #quote: a browser skips autofocus on a page opened at a fragment, which left the
    # keyboard outside the quotation's box; the box takes it, and scrolls into view)
    assert (f'<a class="quote" href="/doc/guardian/nhs?q=NHS&amp;quote={start}" '
            'aria-label="quote paragraph 2">quote</a>') in html


def test_a_quoted_paragraph_is_shown_with_its_reference_focused_for_copying(client):
    start = BODY.index("Wes")
    page = client.get(f"/doc/guardian/nhs?q=NHS&quote={start + 5}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert textarea(html, "quote-text") == (
        '\u201cWes Streeting said: "The NHS is on its knees."\u201d\n\u2014 "Labour pledges to '
        'cut waiting lists", The Guardian, 14 March 2024, https://www.theguardian.com/nhs '
        "[id guardian/nhs]")
    assert re.search(r'<textarea id="quote-text"[^>]*autofocus', html)
    assert f'<p id="p{start}" class="quoted">' in html  # (the paragraph quoted, marked)
    assert "<mark" in html  # (the query's marks kept)


def test_a_quotation_keeps_a_document_s_markup_as_text(client):
    at = BODY.index("uncosted")
    html = client.get(f"/doc/guardian/nhs?quote={at}").get_data(as_text=True)
    assert "&lt;b&gt;uncosted&lt;/b&gt;" in html and "<b>uncosted" not in html
    assert "The Tories said it was <b>uncosted</b>." in textarea(html, "quote-text")


@pytest.mark.parametrize(("quote", "message"), [
    ("abc", "The place to quote must be a whole number, a character of the text counted "
            "from 0, not 'abc'."),
    ("99999", f"No paragraph of guardian/nhs is at character 99999: its text has {len(BODY)} "
              "characters in 3 paragraphs."),
])
def test_a_place_to_quote_that_is_not_in_the_text_is_the_one_line_message(client, quote,
                                                                           message):
    page = client.get(f"/doc/guardian/nhs?quote={quote}")
    assert page.status_code == 400
    assert htmllib.unescape(re.search(r'class="error"[^>]*>(.*?)<', page.get_data(
        as_text=True)).group(1)) == message


def test_the_tabs_of_a_quoted_document_do_not_carry_the_quote_to_other_pages(client):
    html = client.get("/doc/guardian/nhs?q=NHS&quote=0").get_data(as_text=True)
    assert '<a href="/?q=NHS"' in html and '<a href="/count?q=NHS"' in html


def test_a_paragraph_s_quote_link_is_left_out_of_text_selected_by_hand(client):
    # (selecting a document's paragraphs to copy them took the word "quote" after each)
    css = client.get("/static/style.css").get_data(as_text=True)
    assert re.search(r"a\.quote \{[^}]*user-select: none;", css)


def test_a_concordance_place_links_the_quotation_of_its_paragraph(client):
    # (from the line a reporter spots among the places to the quotation to copy, one click)
    html = client.get("/concordance?q=Streeting").get_data(as_text=True)
    at = BODY.index("Streeting")
    assert (f'<a class="quote" href="/doc/guardian/nhs?q=Streeting&amp;quote={at}" '
            'aria-label="quote the paragraph of guardian/nhs at this place">quote</a>') in html
    quoted = client.get(f"/doc/guardian/nhs?q=Streeting&quote={at}").get_data(as_text=True)
    assert textarea(quoted, "quote-text").startswith('\u201cWes Streeting said: "The NHS')


def test_a_quotation_s_page_says_so_in_its_title(client):
    # (what a tab, the history list and a screen reader name first)
    html = client.get("/doc/guardian/nhs?quote=0").get_data(as_text=True)
    assert "<title>Quotation from Labour pledges to cut waiting lists - corpus-search</title>" \
        in html
    assert "<title>Labour pledges to cut waiting lists - corpus-search</title>" in client.get(
        "/doc/guardian/nhs").get_data(as_text=True)
