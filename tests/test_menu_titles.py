"""A site's menu saved as every file's first line (docs/ingest.md, "Titles and menus") is no
title, no text and no party's mention: the title is the next line. A genuine title that
several files share stays their title, and so does a title shaped like a menu that the
folder does not repeat."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from corpus_search import CorpusIndex
from corpus_search.boilerplate_removed import removed_from
from corpus_search.cli import cli
from corpus_search.ingest.boilerplate import normalise_line, settled, strip_boilerplate
from corpus_search.ingest.formats import text_document
from corpus_search.ingest.menus import looks_like_menu
from corpus_search.ingest.model import FileResult

MENU = "Skip to content | Home | News | Politics | Sport | Tories | Labour"
HEADLINES = ["Council votes to keep the libraries open",
             "New bus routes for the valley towns",
             "School meals budget rises by a tenth",
             "Flood defences finished before winter"]


def _page(n: int, first: str | None = MENU) -> str:
    """A saved page's text: ``first`` (the site's menu) above the headline and the story."""
    top = f"{first}\n\n" if first else ""
    return (f"{top}{HEADLINES[n]}\n\nThe council met on day {n} and spoke of the town's "
            f"needs for the coming year.\n\nA last paragraph, number {n}.\n")


def _index(tmp_path: Path, files: dict[str, str]) -> CorpusIndex:
    folder = write_corpus(tmp_path / "site", files, afresh=True)
    ix = CorpusIndex(tmp_path / "ix")
    ix.index_directory(folder)
    return ix


@pytest.mark.parametrize("line", [
    MENU,
    "Home > News > Politics",
    "Home • News • Sport • Weather",
    "News / UK / Politics / Brexit",
    "| Home | World | Business | Culture, Media & Sport |",
    "Skip to main content",
    "Jump to navigation",
])
def test_a_line_of_short_items_parted_alike_or_a_skip_link_looks_like_a_menu(line: str):
    assert looks_like_menu(line)


@pytest.mark.parametrize("line", [
    "Prime Minister's Questions",
    "Home | News",  # (two items: a title's "Budget day | The Guardian" has as many)
    "Budget: what the Chancellor's statement means for you | Politics | Guardian",
    "9/11 and/or 7/7: the lessons for the security services",
    "https://www.example.com/news/politics/budget",
    "Labour wins. | Tories lose. | Lib Dems hold on.",
    "2019 | 2020 | 2021",
    "",
])
def test_a_title_a_sentence_or_an_address_does_not(line: str):
    assert not looks_like_menu(line)


def test_a_menu_atop_every_file_is_no_title_and_no_text(tmp_path: Path):
    with _index(tmp_path, {f"p{n}.txt": _page(n) for n in range(3)}) as ix:
        for n in range(3):
            doc = ix.get(f"p{n}")
            assert doc.title == HEADLINES[n]
            assert doc.body.startswith(f"The council met on day {n}")
            assert "Skip to content" not in doc.body and HEADLINES[n] not in doc.body
        assert ix.search("Tories").total == 0


def test_the_parties_of_a_menu_tag_no_document(tmp_path: Path):
    """The menu names the Tories and Labour; no page does."""
    with _index(tmp_path, {f"p{n}.txt": _page(n) for n in range(3)}) as ix:
        assert [ix.stored_fields(f"p{n}").get("party") for n in range(3)] == [None] * 3


def test_show_and_the_report_say_the_menu_was_removed(tmp_path: Path):
    folder = write_corpus(tmp_path / "site", {f"p{n}.txt": _page(n) for n in range(3)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(folder)
        assert report.boilerplate == [(normalise_line(MENU), 3)]
        assert removed_from(ix, "p0") == [normalise_line(MENU)]
    out = CliRunner().invoke(cli, ["show", "p0", "--index", str(tmp_path / "ix")])
    assert "1 repeated line of the file was removed" in " ".join(out.output.split())
    assert out.stdout.startswith(HEADLINES[0])


def test_a_genuine_title_three_files_share_stays_their_title(tmp_path: Path):
    """Prime Minister's Questions, three weeks of it: repeated, but no menu."""
    files = {f"pmq{n}.txt": _page(n, None).replace(HEADLINES[n], "Prime Minister's Questions")
             for n in range(3)}
    with _index(tmp_path, files) as ix:
        assert [ix.get(f"pmq{n}").title for n in range(3)] == ["Prime Minister's Questions"] * 3
        assert ix.get("pmq0").body.startswith("The council met on day 0")


def test_a_menu_shaped_title_the_folder_does_not_repeat_stays_the_title(tmp_path: Path):
    """A page's own title written as sites write them, in one file of the folder: it is the
    title, and the next line the body's first, as for any first line."""
    own = "Budget day | Politics | The Guardian"
    files = {"p0.txt": _page(0, own), "p1.txt": _page(1, None), "p2.txt": _page(2, None)}
    with _index(tmp_path, files) as ix:
        doc = ix.get("p0")
        assert (doc.title, doc.body.splitlines()[0]) == (own, HEADLINES[0])


def test_a_short_menu_and_a_skip_link_repeated_are_both_passed_over(tmp_path: Path):
    """Lines under 4 words or 25 characters are not counted as repeated lines, unless they
    are shaped like a menu: Home | News | Sport is one."""
    files = {f"p{n}.txt": _page(n, "Skip to main content\nHome | News | Sport") for n in range(3)}
    with _index(tmp_path, files) as ix:
        doc = ix.get("p1")
        assert doc.title == HEADLINES[1]
        assert "Home" not in doc.body and "Skip" not in doc.body


def test_a_markdown_headline_under_the_menu_is_the_title(tmp_path: Path):
    files = {f"p{n}.md": _page(n).replace(HEADLINES[n], f"# {HEADLINES[n]}") for n in range(3)}
    with _index(tmp_path, files) as ix:
        assert ix.get("p2").title == HEADLINES[2]


def test_the_menu_becomes_boilerplate_when_a_third_file_repeats_it_and_back(tmp_path: Path):
    """The same files give the same titles however they were added: two pages keep their
    menu as the title (it is not repeated enough), a third makes it a menu for all three,
    and a page deleted gives it back."""
    folder = write_corpus(tmp_path / "site", {f"p{n}.txt": _page(n) for n in range(2)}, afresh=True)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        assert ix.get("p0").title == MENU
        (folder / "p2.txt").write_text(_page(2), encoding="utf-8")
        ix.index_directory(folder)
        assert [ix.get(f"p{n}").title for n in range(3)] == HEADLINES[:3]
        (folder / "p2.txt").unlink()
        ix.index_directory(folder)
        doc = ix.get("p1")
        assert (doc.title, doc.body.splitlines()[0]) == (MENU, HEADLINES[1])


_WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
_MENUS = st.lists(_WORD, min_size=3, max_size=6).map(" | ".join)
_PROSE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_LINES = st.lists(st.one_of(_MENUS, _PROSE, st.just("")), min_size=1, max_size=8)


def _read(text: str):
    return text_document(text, "page.txt", "", markdown=False, result=FileResult("page.txt"))


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_a_menu_the_folder_does_not_repeat_leaves_the_first_line_the_title(lines: list[str]):
    """Whatever the lines, a reading its folder repeats nothing of is the plain one: the
    first line the title, the rest the body."""
    text = "\n".join(lines)
    doc = _read(text)
    plain = strip_boilerplate(text, frozenset()).splitlines()
    first = next((i for i, line in enumerate(plain) if line.strip()), None)
    if first is None:
        assert doc is None
        return
    read = settled(doc, frozenset())
    assert (read.title, read.body) == (plain[first].strip(),
                                       "\n".join(plain[first + 1:]).strip())
    assert read.menu_reading is None


@settings(max_examples=200, deadline=None)
@given(_LINES)
def test_menus_the_folder_repeats_give_the_title_to_the_first_other_line(lines: list[str]):
    text = "\n".join(lines)
    doc = _read(text)
    if doc is None:
        return
    menus = frozenset(normalise_line(line) for line in lines if looks_like_menu(line))
    read = settled(doc, menus)
    kept = [line for line in lines if line.strip()]
    own = next((line for line in kept if not looks_like_menu(line)), kept[0])
    assert read.title == own.strip()
    body = strip_boilerplate(read.body, menus).splitlines()
    assert not body or not looks_like_menu(body[0])  # (a menu line left atop, removed)
