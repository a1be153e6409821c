"""Specification of saved web pages (``.html``, ``.htm``) as documents: title, text, date,
address and character set, and the rules every reader keeps for bad files (never raise)."""

from __future__ import annotations

import datetime
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex
from corpus_search.cli import cli
from corpus_search.ingest.dates import DateOptions, DateRules
from corpus_search.ingest.files import iter_source_files, read_file
from corpus_search.ingest.furniture import is_furniture_named, link_dense
from corpus_search.ingest.model import FileResult
from corpus_search.ingest.webpages import linked_data_date, read_page

PAGES = Path(__file__).parent / "fixtures" / "ingest" / "pages"
#: pages saved with the furniture sites write as <div>s and lists: menus, share buttons,
#: related links, most-read boxes, cookie notices
FURNISHED = Path(__file__).parent / "fixtures" / "ingest" / "furniture"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def read_page_file(tmp_path: Path, html: str | bytes, name: str = "page.html",
                   **kwargs) -> FileResult:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    return read_file(path, tmp_path, **kwargs)


# -- a saved page ----------------------------------------------------------------------------


def test_a_saved_page_is_one_document_titled_by_its_headline():
    result = read_file(PAGES / "budget.html", PAGES.parent)
    assert (result.skipped_reason, result.warnings) == (None, [])
    (doc,) = result.documents
    assert doc.id == "pages/budget" and doc.path == "pages/budget.html"
    # its og:title: the <title> adds the site's name, "... - BBC News", as a browser tab does
    assert doc.title == "Brown & Blair at odds over the Budget"


@pytest.mark.parametrize(("head", "h1", "headline"), [
    # the site's name the page states is left out of the title
    ('<title>Blair wins vote | The Guardian</title><meta property="og:site_name" '
     'content="The Guardian">', "", "Blair wins vote"),
    # as is what follows the page's own headline
    ("<title>Blair wins vote \u2013 Evening Herald</title>", "Blair wins vote",
     "Blair wins vote"),
    # a title that is all headline stays whole, dash and all
    ("<title>Labour - the next ten years</title>", "Manifesto", "Labour - the next ten years"),
    # no title: the headline on the page
    ("", "Blair wins vote", "Blair wins vote"),
])
def test_a_page_s_title_is_its_headline_without_the_site_s_name(head, h1, headline):
    page = read_page(f"<html><head>{head}</head><body><h1>{h1}</h1><p>Text.</p></body></html>")
    assert page.headline == headline


@pytest.mark.parametrize(("title", "headline", "source"), [
    # a page with no og: tags and no headline on it: a known publisher at either end of its
    # <title> is its site (such pages were titled "Kennedy on fees | The Guardian", no source)
    ("Kennedy on fees | The Guardian", "Kennedy on fees", "The Guardian"),
    ("Budget day - BBC News", "Budget day", "BBC News"),
    # as the BBC's pages of 2005 wrote it: the site, its sections, the headline
    ("BBC NEWS | UK | Politics | Howard rebuts asylum criticisms",
     "Howard rebuts asylum criticisms", "BBC News"),
    ("BBC NEWS | Politics | Blair - the interview", "Blair - the interview", "BBC News"),
    ("Sky News - Blair - the interview", "Blair - the interview", "Sky News"),
    # a name that is no publisher's, or one written short at the start, is part of the title
    ("Labour - the next ten years", "Labour - the next ten years", None),
    ("Independent - the new group", "Independent - the new group", None),
    ("Guardian - a history | Press Gazette", "Guardian - a history | Press Gazette", None),
])
def test_a_known_publisher_a_title_names_at_one_end_is_the_site_not_the_headline(
        tmp_path: Path, title, headline, source):
    page = f"<html><head><title>{title}</title></head><body><p>Tony Blair won.</p></body></html>"
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.title, doc.source) == (headline, source)


def test_a_page_s_body_is_the_story_a_paragraph_a_line_with_its_characters_decoded():
    (doc,) = read_file(PAGES / "budget.html", PAGES.parent).documents
    assert doc.body.splitlines() == [
        "The Chancellor, Gordon Brown, set out a £2bn package for pensioners in his Budget on "
        "Wednesday.",
        "Tony Blair told MPs the “economy” was strong – but the Tories said taxes had risen 66 "
        "times.",
        "Council tax",
        "A £200 refund for pensioner households",
        "Stamp duty threshold raised to £120,000",
    ]


@pytest.mark.parametrize("left_out", [
    "window.bbcpage",  # script
    "font-family",  # style
    "Weather",  # the site's navigation
    "BBC Homepage",  # the site's header
    "Related stories",  # an aside
    "local income tax",
    "Copyright",  # the footer
    "Enable JavaScript",  # noscript
    "Advertisement",
    "16 March 2005",  # the story's header: its headline and date, which the fields hold
])
def test_scripts_styles_and_the_site_s_furniture_are_no_part_of_the_body(left_out: str):
    (doc,) = read_file(PAGES / "budget.html", PAGES.parent).documents
    assert left_out not in doc.body


# -- the site's furniture in <div>s and lists ---------------------------------------------------


def test_a_guardian_page_keeps_its_article_whole_and_none_of_its_menus_shares_or_links():
    (doc,) = read_file(FURNISHED / "guardian.html", FURNISHED.parent).documents
    assert doc.title == "Kennedy sets out tax plans"
    assert doc.body.splitlines() == [  # every paragraph, a link inside one and all
        "Charles Kennedy today promised to replace the council tax with a local income tax, "
        "as the Liberal Democrats set out how they would pay for free personal care for the "
        "elderly.",
        "The party leader told a press conference in London that pensioners on modest "
        "incomes would be better off, and that a new top rate of 50p on incomes above "
        "£100,000 would fund the pledge to scrap university tuition fees.",
        "Gordon Brown said the sums did not add up, and Michael Howard called the plans a "
        "tax on aspiration.",
        "Mr Kennedy replied that the Liberal Democrats were the only party to say where each "
        "penny would come from.",
    ]
    assert (doc.source, doc.date) == ("The Guardian", datetime.date(2005, 4, 20))


@pytest.mark.parametrize("furniture", [
    "cookies", "UK edition", "Opinion", "SNP", "Election 2005", "Share on", "Related:",
    "Topics", "More on this story", "Blair promises", "Most viewed", "Galloway", "Comments",
    "Sign up", "All rights reserved",
])
def test_a_guardian_page_s_furniture_is_no_part_of_its_body(furniture: str):
    (doc,) = read_file(FURNISHED / "guardian.html", FURNISHED.parent).documents
    assert furniture not in doc.body


def test_a_bbc_page_of_2005_keeps_its_story_and_drops_its_columns_of_links(tmp_path: Path):
    """The BBC's pages of 2005 were tables: a column of sections, the story, a column of
    "SEE ALSO" and related sites; a "Related:" line in the story names a Lib Dem pledge."""
    (doc,) = read_file(FURNISHED / "bbc2005.html", FURNISHED.parent).documents
    assert (doc.title, doc.source) == ("Blair and Howard clash on NHS", "BBC News")
    assert doc.body.splitlines()[1:] == [
        "Tony Blair and Michael Howard have clashed over hospital waiting lists on the first "
        "day of the general election campaign.",
        "The prime minister said Labour had cut waiting times to their lowest since records "
        "began, while the Conservative leader said patients were being let down.",
        "Mr Howard, speaking in Putney, promised to give every patient the right to choose a "
        "hospital.",
        "The election will be held on 5 May.",
    ]
    for furniture in ("News Front Page", "E-mail this", "SEE ALSO", "Kennedy", "Lib Dems",
                      "Liberal Democrats", "not responsible", "Veritas", "News feeds"):
        assert furniture not in doc.body
    folder = tmp_path / "saved"
    shutil.copytree(FURNISHED, folder)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        # the related link tagged the story with a party it does not name
        assert ix.search("NHS", filters={"party": "Liberal Democrat"}).total == 0
        assert ix.search("NHS", filters={"party": "Labour"}).total == 1


def test_a_block_named_as_furniture_that_holds_the_story_is_kept(tmp_path: Path):
    page = ('<body><div class="layout sidebar-left"><h1>Blair wins</h1><p>Tony Blair won a '
            'third term.</p></div><div class="sidebar"><p>Weather</p></div></body>')
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.title, doc.body) == ("Blair wins", "Tony Blair won a third term.")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.sampled_from("abc xyz,."), min_size=1).filter(str.strip),
                min_size=1, max_size=8),
       st.sampled_from(["story-body", "content__article-body", "has-sidebar", "layout"]),
       st.integers(0, 3))
def test_paragraphs_linking_a_few_words_are_all_kept(paragraphs, name, linked_words):
    """However many paragraphs, in whatever block not named as furniture, a story's text
    that links a few words of each paragraph loses none of it."""
    def paragraph(text: str) -> str:
        words = f"{text} and the rest of a sentence of the story".split()
        linked = " ".join(words[:linked_words])
        return f"<p><a href='/x'>{linked}</a> {' '.join(words[linked_words:])}</p>"

    page = read_page(f"<body><div class='{name}'>{''.join(map(paragraph, paragraphs))}"
                     "</div></body>")
    assert page.lines == [" ".join(f"{text} and the rest of a sentence of the story".split())
                          for text in paragraphs]


def test_furniture_in_paragraphs_and_items_left_open_is_dropped_and_nothing_after_it():
    page = read_page('<div><p>Related: <a href="/1">Lib Dems pledge to scrap fees</a>'
                     '<div class="menu"><p>Menu items here</div><p>Story text, all of it.'
                     '<ul><li><a href="/2">Politics</a><li><a href="/3">Sport</a></ul>'
                     '<p>And this too.</div>')
    assert page.lines == ["Story text, all of it.", "And this too."]


#: an election result as a table whose every cell is a link (its party, its candidate)
RESULTS = ("<table><tr><th>Party</th><th>Candidate</th></tr>" + "".join(
    f'<tr><td><a href="/party/{n}">{party}</a></td><td><p><a href="/mp/{n}">{mp}</a></p></td>'
    "</tr>" for n, (party, mp) in enumerate([("Labour", "Jim Knight"),
                                              ("Conservative", "Ian Bruce"),
                                              ("Liberal Democrat", "Ann Smith")])) + "</table>")
RESULT_LINES = ["Party", "Candidate", "Labour", "Jim Knight", "Conservative", "Ian Bruce",
                "Liberal Democrat", "Ann Smith"]


@pytest.mark.parametrize("story", ["article", "main", 'div role="main"'])
def test_a_table_of_links_in_the_article_is_its_data_and_kept(story: str):
    """A results table whose parties and candidates are links is the story's, however much
    of it is links, and so is a block around it (the links of its cells make no menu)."""
    page = read_page(f"<body><{story}><h1>Dorset South</h1><p>Labour held the seat by 153 "
                     f"votes.</p><div>{RESULTS}</div><p>Turnout was 68%.</p>"
                     f"</{story.split()[0]}></body>")
    assert page.lines == ["Dorset South", "Labour held the seat by 153 votes.",
                          *RESULT_LINES, "Turnout was 68%."]


def test_a_table_of_links_outside_an_article_or_named_as_furniture_is_still_dropped():
    """Outside an <article> or <main>, a table of links is a layout's column of them (the
    BBC's pages of 2005, bbc2005.html); in one, a table named as furniture is furniture."""
    for page in (f"<body><h1>Dorset South</h1><p>Labour held it.</p>{RESULTS}</body>",
                 f'<body><article><h1>Dorset South</h1><p>Labour held it.</p><div class='
                 f'"related">{RESULTS}</div></article></body>'):
        assert read_page(page).lines == ["Dorset South", "Labour held it."]


@pytest.mark.parametrize(("attributes", "furniture"), [
    ({"class": "site-menu"}, True),
    ({"id": "navBar"}, True),
    ({"class": "story-related"}, True),
    ({"class": "meta__social"}, True),
    ({"class": "share_tools"}, True),
    ({"class": "breadcrumbs"}, True),
    ({"class": "promo-newsletter"}, True),
    ({"id": "cookie-banner"}, True),
    ({"id": "comments"}, True),
    ({"role": "navigation"}, True),
    # a class saying what the page has, or a word that only starts as furniture does
    ({"class": "has-sidebar with-comments"}, False),
    ({"class": "tonal__main--tone-comment"}, False),
    ({"class": "commentisfree navy canvas"}, False),
    ({"class": "story-body"}, False),
    ({"role": "main"}, False),
])
def test_a_block_s_class_id_or_role_names_it_furniture(attributes, furniture):
    assert is_furniture_named(attributes) is furniture


@pytest.mark.parametrize(("text", "linked", "links", "dense"), [
    (46, 37, 1, True),  # "Related: Lib Dems pledge to scrap tuition fees"
    (60, 60, 5, True),  # a menu
    (400, 300, 6, True),  # a list of headlines
    (600, 40, 2, False),  # an article's paragraph linking a few words
    (150, 60, 1, False),  # a sentence that links its subject
    (80, 0, 0, False),
])
def test_a_block_mostly_of_link_text_is_link_dense(text, linked, links, dense):
    assert link_dense(text, linked, links) is dense


def test_a_page_states_its_publication_date_and_its_address():
    (doc,) = read_file(PAGES / "budget.html", PAGES.parent).documents
    # the published_time meta tag, not the day the page was saved (the site's header) nor a
    # related story's (an aside)
    assert (doc.date, doc.date_source) == (datetime.date(2005, 3, 16), "metadata")
    assert doc.url == "https://www.bbc.co.uk/news/uk-politics-4351234"  # "saved from url"
    assert doc.source == "BBC News"  # recognised from the address, as in any text


@pytest.mark.parametrize(("site", "source"), [
    # a publisher outside the table of those recognised from the text had none: a page saved
    # from the FT or Reuters was counted among "no source"
    ("Financial Times", "Financial Times"),
    ("Reuters", "Reuters"),
    # one of the table by the name it gives itself is named as the table names it
    ("the Guardian", "The Guardian"),
    ("HuffPost UK", "HuffPost"),
    ("BBC News", "BBC News"),
])
def test_a_saved_page_is_published_by_the_site_it_names_itself(tmp_path: Path, site, source):
    page = (f'<html><head><title>Blair wins vote | {site}</title><meta property="og:site_name" '
            f'content="{site}"></head><body><h1>Blair wins vote</h1><p>Tony Blair won the '
            "vote, told the BBC.</p></body></html>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.title, doc.source) == ("Blair wins vote", source)
    # (before a folder's publisher, as a record's own source field is)
    (doc,) = read_page_file(tmp_path, page, source="Press office").documents
    assert doc.source == source


def test_a_page_naming_no_site_gets_its_folder_s_publisher_or_the_one_its_text_shows(
        tmp_path: Path):
    page = ("<html><head><title>Blair wins vote</title></head><body><p>Tony Blair won.</p>"
            "<p>https://www.theguardian.com/politics/1</p></body></html>")
    assert read_page_file(tmp_path, page).documents[0].source == "The Guardian"
    # (a link inside a sentence is a story's mention of a site, not the page's address)
    quoting = page.replace("won.</p><p>", "won, as ")
    assert read_page_file(tmp_path, quoting).documents[0].source is None
    assert read_page_file(tmp_path, page, source="Press office").documents[0].source == (
        "Press office")


def test_a_page_without_a_title_element_is_titled_by_its_first_heading_said_once():
    (doc,) = read_file(PAGES / "speech.htm", PAGES.parent).documents
    assert doc.title == "Kennedy speech on Iraq"
    assert doc.body.splitlines() == [
        "By our political correspondent 21 February 2005",
        "Charles Kennedy said the war in Iraq had been a mistake.",
        "He spoke at the Liberal Democrat spring conference in Harrogate.",
    ]


def test_the_story_s_time_element_dates_it_and_the_site_header_s_does_not():
    (doc,) = read_file(PAGES / "speech.htm", PAGES.parent).documents
    assert (doc.date, doc.date_source) == (datetime.date(2005, 2, 21), "metadata")


def test_a_page_with_neither_title_nor_heading_is_titled_by_its_first_line(tmp_path: Path):
    (doc,) = read_page_file(tmp_path, "<p>Budget day</p><p>The Chancellor spoke.</p>").documents
    assert (doc.title, doc.body) == ("Budget day", "The Chancellor spoke.")


def test_a_headline_that_the_title_holds_is_not_repeated_in_the_body(tmp_path: Path):
    page = ("<title>Budget day | The Guardian</title><h1>Budget day</h1>"
            "<p>The Chancellor spoke.</p>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.title, doc.body) == ("Budget day", "The Chancellor spoke.")


@pytest.mark.parametrize("header", [("", ""), ("<header>", "</header>"),
                                    ("<article><header>", "</header>")])
def test_a_heading_that_says_more_than_the_title_stays_in_the_body(tmp_path: Path, header):
    # (the story's header is left out of the body, its headline with it: a heading that
    # differs from the <title> was text no field held, and no search found)
    start, end = header
    page = (f"<title>Budget row deepens</title>{start}<h1>Chancellor under fire over "
            f"pensions</h1>{end}<p>The Chancellor spoke.</p>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert doc.title == "Budget row deepens"
    assert doc.body.splitlines() == ["Chancellor under fire over pensions",
                                     "The Chancellor spoke."]


def test_a_heading_in_a_header_that_repeats_the_title_is_not_repeated_in_the_body(
        tmp_path: Path):
    page = ("<title>Budget day - The Bugle</title><p>Home</p><header><h1>Budget day</h1>"
            "</header><p>The Chancellor spoke.</p>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.title, doc.body) == ("Budget day", "Home\nThe Chancellor spoke.")


def test_line_breaks_list_items_table_cells_and_preformatted_lines_are_lines(tmp_path: Path):
    page = ("<title>T</title><p>one<br>two<br/>three</p><table><tr><td>a</td><td>b</td></tr>"
            "</table><pre>x  y\nz</pre><p>in <b>one</b> <a href=x>line</a></p>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert doc.body.splitlines() == ["one", "two", "three", "a", "b", "x y", "z", "in one line"]


def test_a_head_left_open_ends_where_the_body_begins(tmp_path: Path):
    # HTML lets </head> and even </title> out
    (doc,) = read_page_file(tmp_path, "<html><head><title>Budget day<body><p>Spoke.").documents
    assert (doc.title, doc.body) == ("Budget day", "Spoke.")


# -- dates -----------------------------------------------------------------------------------


#: a page's JSON-LD (schema.org structured data), its JSON in the braces
LD = '<script type="application/ld+json">{}</script>'


@pytest.mark.parametrize(("head", "body", "date"), [
    ('<meta property="article:published_time" content="2005-03-16T09:12:00Z">'
     '<meta name="date" content="2005-03-17">', '<time datetime="2005-03-18">', "2005-03-16"),
    ('<meta name="date" content="2005-03-17">', '<time datetime="2005-03-18">', "2005-03-17"),
    ('<META NAME="Date" CONTENT="17/03/2005">', "", "2005-03-17"),  # day first, as in Britain
    # a BBC News page of 2005, which has no og: tags (it was undated)
    ('<meta name="OriginalPublicationDate" content="2005/03/16 12:05:11" />'
     '<meta name="Date" content="2005-03-17">', "", "2005-03-16"),
    ("", '<article><time datetime="2005-03-18T10:00+01:00">Friday</time></article>',
     "2005-03-18"),
    # the JSON-LD a publisher writes for search engines (it was undated): after the Open
    # Graph tag, before the others
    (LD.format('{"@type": "NewsArticle", "datePublished": "2005-03-15T18:00:00+00:00"}'),
     '<time datetime="2005-03-18">', "2005-03-15"),
    ('<meta name="OriginalPublicationDate" content="2005/03/16 12:05:11" /><meta name="date" '
     'content="2005-03-17">' + LD.format('{"@type": "Article", "datePublished": "2005-03-15"}'),
     "", "2005-03-15"),
    ('<meta property="article:published_time" content="2005-03-16T09:12:00Z">'
     + LD.format('{"@type": "NewsArticle", "datePublished": "2005-03-15"}'), "", "2005-03-16"),
    ("", '<nav><time datetime="2026-12-03"></time></nav><aside><time datetime="2004-01-01">'
     "</time></aside><footer><time datetime='2026-01-01'></time></footer>"
     '<p><time datetime="2005-03-18">18 March</time></p>', "2005-03-18"),
])
def test_a_page_s_date_is_the_first_it_states_of_its_publication(
    tmp_path: Path, head: str, body: str, date: str
):
    page = f"<html><head><title>Budget</title>{head}</head><body>{body}<p>Text.</p></body>"
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.date, doc.date_source) == (datetime.date.fromisoformat(date), "metadata")


@pytest.mark.parametrize("linked", [
    # the site's and the page's items, then the story's: its date, not theirs
    '[{"@type": "WebSite", "datePublished": "1997-11-01"}, '
    '{"@type": ["ReportageNewsArticle"], "datePublished": "2005-03-15"}]',
    '{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "datePublished": '
    '"2005-03-20"}, {"@type": "NewsArticle", "datePublished": "2005-03-15"}]}',
    '{"@type": "WebPage", "datePublished": "2005-03-20", "mainEntity": {"@type": '
    '"BlogPosting", "datePublished": "2005-03-15"}}',
])
def test_a_page_s_json_ld_dates_it_by_its_story_not_by_the_site_around_it(
    tmp_path: Path, linked: str
):
    page = f"<title>Budget</title>{LD.format(linked)}<p>Text.</p>"
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.date, doc.date_source) == (datetime.date(2005, 3, 15), "metadata")
    assert "datePublished" not in doc.body  # (a script is no part of the story)


def test_json_ld_of_no_article_dates_the_page_by_its_first_item_that_states_one(
    tmp_path: Path,
):
    page = ("<title>Budget</title>" + LD.format('{"@type": "BreadcrumbList"}')
            + LD.format('<!-- {"@type": "WebPage", "datePublished": "2005-03-15"} -->')
            + "<p>Text.</p>")
    (doc,) = read_page_file(tmp_path, page).documents
    assert doc.date == datetime.date(2005, 3, 15)


@pytest.mark.parametrize("linked", [
    '{"@type": "NewsArticle", "datePublished": ', "[[[[" * 5000, '{"datePublished": 2005}',
    '{"@type": "NewsArticle", "datePublished": " "}', '"2005-03-15"',
])
def test_json_ld_that_states_no_date_leaves_the_other_rules_to_date_the_page(
    tmp_path: Path, linked: str
):
    page = f"<title>Budget</title>{LD.format(linked)}<p>Text.</p>"
    result = read_page_file(tmp_path, page, name="2005/03/16/budget.html")
    (doc,) = result.documents
    assert (doc.date, doc.date_source, result.warnings) == (
        datetime.date(2005, 3, 16), "path", [])


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_in_a_json_ld_script_is_read_without_an_exception(text: str):
    assert linked_data_date(text) is None or isinstance(linked_data_date(text)[1], str)


def test_a_date_the_page_states_that_cannot_be_read_is_a_warning_and_the_rules_go_on(
    tmp_path: Path,
):
    page = '<meta name="date" content="soon"><title>Budget</title><p>Text.</p>'
    result = read_page_file(tmp_path, page, name="2005/03/16/budget.html")
    assert result.warnings == ["2005/03/16/budget.html: unrecognised date 'soon'"]
    (doc,) = result.documents
    assert (doc.date, doc.date_source) == (datetime.date(2005, 3, 16), "path")


def test_a_page_that_states_no_date_is_dated_as_a_text_file_is(tmp_path: Path):
    page = "<title>Budget</title><p>Published: 16 March 2005</p><p>The Chancellor spoke.</p>"
    (doc,) = read_page_file(tmp_path, page).documents
    assert (doc.date, doc.date_source) == (datetime.date(2005, 3, 16), "dateline")
    rules = DateRules(DateOptions(guesses=("mtime",)))
    (doc,) = read_page_file(tmp_path, "<title>Budget</title><p>Text.</p>", dates=rules).documents
    assert doc.date_source == "mtime"  # a page is a whole file: its time dates it


def test_a_dates_file_goes_before_the_date_the_page_states(tmp_path: Path):
    (tmp_path / "dates.csv").write_text("path,date\npage.html,2001-01-01\n")
    rules = DateRules(DateOptions(sidecar=str(tmp_path / "dates.csv")))
    page = '<meta name="date" content="2005-03-17"><title>Budget</title><p>Text.</p>'
    (doc,) = read_page_file(tmp_path, page, dates=rules).documents
    assert (doc.date, doc.date_source) == (datetime.date(2001, 1, 1), "sidecar")


# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "url"), [
    ('<link rel="canonical" href="https://example.org/a"><meta property="og:url" '
     'content="https://example.org/b">', "https://example.org/a"),
    ('<meta property="og:url" content="https://example.org/b">', "https://example.org/b"),
    ('<link rel="canonical" href="/relative">', None),  # no address of its own
    ("", None),
])
def test_a_page_s_address_is_its_canonical_link_else_its_og_url(
    tmp_path: Path, head: str, url: str | None
):
    (doc,) = read_page_file(tmp_path, f"<head>{head}<title>T</title></head><p>x</p>").documents
    assert doc.url == url


# -- character sets --------------------------------------------------------------------------


def test_a_page_in_the_character_set_it_declares_is_read_in_it_without_a_warning(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
            "<title>Новости</title></head><body><p>Привет, мир</p></body></html>")
    result = read_page_file(tmp_path, page.encode("koi8-r"))
    assert result.warnings == []
    assert [(d.title, d.body) for d in result.documents] == [("Новости", "Привет, мир")]


def test_a_latin1_page_is_read_as_browsers_read_it(tmp_path: Path):
    page = '<meta charset="iso-8859-1"><title>Café</title><p>“£300”</p>'
    result = read_page_file(tmp_path, page.encode("cp1252"))
    assert result.warnings == []
    assert [(d.title, d.body) for d in result.documents] == [("Café", "“£300”")]


def test_a_page_not_in_utf8_that_declares_nothing_is_read_as_any_file_is(tmp_path: Path):
    result = read_page_file(tmp_path, "<title>Café</title><p>£300</p>".encode("cp1252"))
    assert result.warnings == ["page.html: not UTF-8: decoded as cp1252"]
    assert result.documents[0].title == "Café"


@pytest.mark.parametrize("declared", ["", "utf-8", "windows-1252", "koi8-r"])
def test_a_utf8_page_with_a_stray_windows_byte_is_read_as_utf8_but_that_byte(tmp_path, declared):
    """Its UTF-8 characters outweigh the one byte, and belie any other character set the
    page declares."""
    meta = f'<meta charset="{declared}">' if declared else ""
    page = f"{meta}<title>Sinn Féin’s £5bn</title><p>Caf\u00e9</p>".encode()
    result = read_page_file(tmp_path, page.replace("’".encode(), b"\x92"))
    assert result.warnings == ["page.html: UTF-8 with 1 stray byte read as cp1252"]
    assert result.documents[0].title == "Sinn Féin’s £5bn"


# -- bad pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"\x00\x01\x02\x03" * 100, "binary file"),
    (b"<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>",
     "no text: only markup, scripts or navigation"),
])
def test_a_page_with_no_text_is_skipped_with_a_reason(tmp_path: Path, content, reason):
    result = read_page_file(tmp_path, content)
    assert (result.documents, result.skipped_reason) == ([], reason)


def test_a_page_larger_than_the_limit_is_skipped_as_any_file_is(tmp_path: Path):
    result = read_page_file(tmp_path, "<p>" + "Labour " * 200 + "</p>", max_bytes=1000)
    assert result.skipped_reason == "larger than 1000 bytes"


@pytest.mark.parametrize("page", [
    "<![if-]><p>Text.</p>",  # the standard library's parser raised on it
    "<![if !IE]><p>Text.</p><![endif]>",
    "<p>Text.</p><![CDATA[",
    "<p a='<b'>Text.</p>",
    "<<<p>Text.</p>",
])
def test_malformed_markup_never_stops_a_page_being_read(tmp_path: Path, page: str):
    (doc,) = read_page_file(tmp_path, page).documents
    assert "Text." in doc.title + doc.body


def test_a_page_of_unclosed_tags_is_read_in_time_proportional_to_its_length(tmp_path: Path):
    # the parser looked for each tag's end to the end of the text: 250,000 bytes of
    # "<p<p<p…" took 70 s, 500,000 bytes 261 s
    started = time.perf_counter()
    result = read_page_file(tmp_path, "<p" * 125_000)
    assert time.perf_counter() - started < 10
    assert result.skipped_reason is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([
    "<", ">", "/", "!", "-", "?", "[", "]", '"', "'", "=", "&", "#", ";", "p", "x", " ", "\n",
    "<p>", "</p>", "<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<title>",
    "<h1>", "<nav>", "</nav>", "<pre>", "<time datetime='2005'>", "<meta name=date content=",
    "&amp;", "&#x", "&#99999999999;", "<![if", "<!DOCTYPE", "<?xml", "<br/>", "<body>",
    "<div class='menu'>", "<div>", "</div>", "<a href=x>", "</a>", "<ul>", "<li>", "</ul>",
    "<article>", "<h1>", "</h1>",
]), max_size=60).map("".join))
def test_any_markup_is_read_without_an_exception(text: str):
    page = read_page(text)
    assert all(line.strip() == line and line for line in page.lines)


# -- folders and the command line ------------------------------------------------------------


def test_a_folder_s_saved_pages_are_read_in_any_capitals(tmp_path: Path):
    for name in ["a.html", "b.HTM", "c.Html", "d.xhtml", "e.txt"]:
        (tmp_path / name).write_text("x")
    names = [p.name for p in iter_source_files(tmp_path)]
    assert names == ["a.html", "b.HTM", "c.Html", "e.txt"]


def test_the_folder_of_a_saved_page_s_resources_is_neither_read_nor_counted(tmp_path: Path):
    # Save Page As writes X.html and X_files/ (scripts, styles, images, and the page's frames
    # and advertisements as pages of their own)
    (tmp_path / "Budget day.html").write_text("<title>Budget day</title><p>Spoke.</p>")
    for name in ["ad-frame.html", "app.js", "logo.png", "style.css"]:
        (tmp_path / "Budget day_files" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "Budget day_files" / name).write_text("<p>Buy now</p>")
    (tmp_path / "research_files").mkdir()  # no research.html beside it: a folder as any other
    (tmp_path / "research_files" / "notes.htm").write_text("<p>Notes</p>")
    others: Counter[str] = Counter()
    names = [p.relative_to(tmp_path).as_posix() for p in iter_source_files(tmp_path,
                                                                           others=others)]
    assert names == ["Budget day.html", "research_files/notes.htm"]
    assert others == Counter()


def test_a_folder_of_saved_pages_is_indexed_and_searched_from_the_command_line(tmp_path: Path):
    folder = tmp_path / "saved"
    shutil.copytree(PAGES, folder)
    index = str(tmp_path / "ix")
    indexed = invoke("index", str(folder), "--index", index, "--json")
    assert indexed.exit_code == 0, indexed.output
    report = json.loads(indexed.stdout)["reports"][0]
    assert (report["indexed"], report["skipped"], report["other_files"]) == (2, [], {})
    found = json.loads(invoke("search", "pensioners", "--index", index, "--json").stdout)
    assert [hit["id"] for hit in found["hits"]] == ["budget"]
    assert found["hits"][0]["date"] == "2005-03-16"
    assert invoke("search", "Weather", "--index", index).exit_code == 1  # the navigation's
    shown = json.loads(invoke("show", "speech", "--index", index, "--json").stdout)
    assert (shown["title"], shown["date"], shown["path"]) == (
        "Kennedy speech on Iraq", "2005-02-21", str(folder / "speech.htm"))
    years = invoke("search", "Kennedy", "--index", index, "--since", "2005-02-01").stdout
    assert "Kennedy speech on Iraq" in years


def test_a_long_paragraph_half_linked_is_a_list_of_links_only_with_three_links_or_more():
    """Over 100 characters, 60% of them linked: a paragraph of two links is the story's
    (one that names two reports), one of three a list of links (other stories' headlines)."""
    plain = "The report says so, the minister said on Monday in London."
    two = ('<p><a href="/1">Lib Dems pledge to scrap tuition fees in Wales</a> and '
           f'<a href="/2">Labour replies on fees and loans</a>. {plain}</p>')
    three = ('<p><a href="/1">Lib Dems pledge to scrap tuition fees</a> and '
             '<a href="/2">Labour replies on fees</a> and <a href="/3">Tories on loans</a>. '
             f'{plain}</p>')
    story = "<p>The story itself, all of it.</p>"
    assert read_page(f"<body><div>{story}{two}</div></body>").lines[1].endswith(plain)
    assert read_page(f"<body><div>{story}{three}</div></body>").lines == [
        "The story itself, all of it."]


@pytest.mark.parametrize("page", [
    # furniture closed by its end tag: the story after it stays
    '<div class="site-menu">Home Politics Sport</div><p>{story}</p>',
    # furniture of nested blocks of one tag: its end tag is the outer one's
    '<div class="site-menu"><div>Home</div><div>Politics</div></div><p>{story}</p>',
    # an item left open is closed by the next item: a share button is no story
    '<ul><li class="share">Share on Facebook<li>{story}</ul>',
    # role="main" holds the story, whatever its class says and in any capitals
    '<div role="Main" class="layout-sidebar">{story}</div>',
], ids=["end-tag", "nested", "open-items", "role-main"])
def test_the_story_beside_or_inside_furniture_blocks_is_kept(page):
    story = "Labour pledged to cut class sizes in every primary school by 2008."
    assert read_page(f"<body>{page.format(story=story)}</body>").lines == [story]


@pytest.mark.parametrize(("text", "linked", "links", "dense"), [
    (99, 60, 1, True),  # under 100 characters: 60% linked is enough
    (100, 60, 1, False),  # 100 or more: it is not
    (50, 30, 1, True),  # 60% exactly
    (100, 80, 1, True),  # 80% exactly
    (200, 100, 3, True),  # half exactly, in 3 links
    (200, 100, 2, False),  # half, in 2
], ids=["short-60", "long-60", "exactly-60", "exactly-80", "half-in-3", "half-in-2"])
def test_link_density_bars_hold_at_their_exact_values(text, linked, links, dense):
    assert link_dense(text, linked, links) is dense
