"""The web page by keyboard, screen reader and small screen: a skip link first, a label in
sight for every filter, one heading to start each page and no level skipped, a title that
says when a page is an error, text colours that read, and a header that a phone's screen can
scroll away."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from corpus_search.web import create_app

CSS = (Path(create_app.__code__.co_filename).parent / "static" / "style.css").read_text()

PAGES = ["/", "/?q=Labour", "/?q=Labour&party=Nope", "/concordance?q=Labour", "/count?q=Labour",
         "/trends?q=Labour&q=Tories", "/terms?q=Labour", "/doc/politics/001",
         "/doc/politics/001?quote=0", "/doc/nope", "/?q=AND"]


def test_on_a_phone_s_width_the_header_scrolls_away_with_the_page():
    # (its form wraps to three or four rows there: held at the top it took a third of the
    # screen, and hid the place a concordance line links to)
    narrow = re.search(r"@media \(max-width: 50rem\) \{ header \{ position: static; \}", CSS)
    assert narrow and "position: sticky" in CSS
