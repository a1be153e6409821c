"""The web page's count and trends bars read truthfully: a rare query's longest bar is drawn
on a round scale the page states, not as a full bar that reads as every document; each bar
is beside its figures in text (a screen reader is read those, not the bar), and the figures
are the command's for the same query."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from click.testing import CliRunner

pytest.importorskip("flask", reason="the web page needs the web extra (Flask)")

from corpus_search import CorpusIndex, Document
from corpus_search.cli import cli
from corpus_search.web import create_app

#: 30 documents a year in 2004 and 2005; the Respect party named in one of 2004's (3.3%)
DOCUMENTS = [
    Document(id=f"{year}/{n:02d}", title=f"Story {n}", date=dt.date(year, 1 + n % 12, 1),
             body=("George Galloway's Respect party stood in Bethnal Green." if (year, n) ==
                   (2004, 7) else "The Conservatives and Labour argued about the NHS."))
    for year in (2004, 2005) for n in range(30)]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CorpusIndex:
    ix = CorpusIndex(tmp_path_factory.mktemp("web-bars") / "ix")
    ix.add_documents(DOCUMENTS)
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def client(index: CorpusIndex):
    return create_app(index).test_client()


def page_text(html: str) -> str:
    """The page's text as a reader sees it (tags dropped, entities read)."""
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def widths(html: str) -> list[float]:
    return [float(w) for w in re.findall(r'class="bar" style="width: ([\d.]+)%"', html)]


def test_a_rare_query_compared_by_year_is_no_full_bar_and_the_page_states_the_scale(client):
    html = client.get("/trends?q=Respect&by=year").get_data(as_text=True)
    assert widths(html) == [66.7, 0.0]  # (3.3% of a full bar of 5%)
    assert "a full bar is 5% of a year's documents" in page_text(html)


def test_a_rare_query_counted_by_year_is_no_full_bar_and_the_page_states_the_scale(client):
    html = client.get("/count?q=Respect&by=year").get_data(as_text=True)
    assert widths(html) == [66.7, 0.0]
    assert "1 document matches; by year; a full bar is 5% of a year's documents" in (
        page_text(html))


def test_every_bar_stands_beside_its_share_and_count_in_text_and_is_hidden_from_readers(
        client):
    html = client.get("/trends?q=Respect&q=NHS&by=year").get_data(as_text=True)
    cells = re.findall(r"<td>((?:(?!</td>).)*class=\"track\"(?:(?!</td>).)*)</td>", html)
    assert len(cells) == 4
    for cell in cells:
        assert re.fullmatch(r"\d+\.\d% \(\d+\)", page_text(cell))
        assert '<span class="track" aria-hidden="true">' in cell
    count = client.get("/count?q=Respect").get_data(as_text=True)
    assert count.count('<span class="meter" aria-hidden="true">') == 2


def test_the_trends_page_gives_the_command_s_figures_for_the_same_query(client, index):
    page = page_text(client.get("/trends?q=Respect&q=NHS&by=year").get_data(as_text=True))
    said = CliRunner().invoke(cli, ["trends", "Respect", "NHS", "--index", str(index.path)])
    assert said.exit_code == 0, said.output
    lines = [" ".join(line.split()) for line in said.output.splitlines()]
    assert lines[0] in page  # (the totals: "Matching documents: Respect 1, NHS 59; ...")
    for line in lines[2:]:  # ("2004 30 3.3% (1) 96.7% (29)": each row's figures, as shown)
        assert line in page


def test_a_count_by_party_says_its_rows_add_up_to_more_than_its_matches(client, index):
    counted = index.count("NHS", by="party")
    assert counted.overlap()  # (each document names the Conservatives and Labour)
    assert counted.overlap() in page_text(client.get("/count?q=NHS&by=party").get_data(
        as_text=True))
