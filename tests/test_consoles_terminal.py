"""Specification: a search's lines printed on a terminal are what rich prints there, byte for
byte (its colours' SGR sequences, its word wrapping at the terminal's width), whether rich
prints them or :mod:`corpus_search.consoles` writes them without importing rich's console (a
cold search on a terminal: ~60M instructions of ~710M); rich prints what it alone can.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from corpus_search.cli import output, printing
from corpus_search.cli import results as cli_results
from corpus_search.consoles import LazyConsole, escape, sgr_lines
from corpus_search.search.hits import Hit, Snippet
from corpus_search.search.results import SearchResults

#: words as a search prints them: curly quotes, ellipses, brackets, accents, wide characters
WORDS = st.sampled_from([
    "Blair", "Lib", "Dems", "“quoted”", "‘it’s’", "…", "[x]", "\\", "café", "日本", "a",
    "Brown's", "supercalifragilisticexpialidocious-and-longer-than-twenty", "-", "—",
])
TEXT = st.lists(st.one_of(WORDS, st.text(" \u00a0\t", min_size=1, max_size=3)),
                max_size=30).map(" ".join)
TAGS = st.sampled_from(["bold", "dim", "green", "yellow", "bold cyan", "bold yellow", "red"])
MARKUP = st.lists(st.one_of(TEXT.map(escape), st.tuples(TAGS, TEXT).map(
    lambda t: f"[{t[0]}]{escape(t[1])}[/]")), max_size=5).map("".join)
WIDTHS = st.integers(20, 200)


class _Tty(io.StringIO):
    """An output that is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def a_colour_terminal(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def _console() -> tuple[LazyConsole, _Tty]:
    """A console as the command line's standard output has it, printing to a terminal."""
    terminal = _Tty()
    return LazyConsole(file=terminal, highlight=False, soft_wrap=False, emoji=False), terminal


@given(st.one_of(st.none(), MARKUP), WIDTHS, st.sampled_from([None, True, False]))
def test_a_line_printed_on_a_terminal_is_what_rich_prints(markup, width, soft_wrap):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        options = {} if soft_wrap is None else {"soft_wrap": soft_wrap}
        printed = () if markup is None else (markup,)
        ours, terminal = _console()
        ours.print(*printed, **options)
        rich = Console(file=_Tty(), highlight=False, soft_wrap=False, emoji=False)
        rich.print(*printed, **options)
    assert terminal.getvalue() == rich.file.getvalue()


def test_a_simple_line_is_written_without_rich_s_console_and_others_by_rich(monkeypatch):
    monkeypatch.setenv("COLUMNS", "30")
    console, terminal = _console()
    console.print("[bold cyan]1.[/] [bold]Blair \\[wins][/]  [dim]id[/]")
    assert console.terminal_width() == 30  # rich's console was not made
    assert terminal.getvalue() == "\x1b[1;36m1.\x1b[0m \x1b[1mBlair [wins]\x1b[0m  " \
                                          "\x1b[2mid\x1b[0m\n"
    console.print("[red]a style of its own[/]")
    assert console.terminal_width() is None  # rich printed it, and prints from now on


@pytest.mark.parametrize("setting", [("NO_COLOR", "1"), ("TERM", "dumb"), ("COLUMNS", "0"),
                                     ("TTY_COMPATIBLE", "1"), ("FORCE_COLOR", "")])
def test_a_terminal_rich_reads_otherwise_is_left_to_rich(monkeypatch, setting):
    monkeypatch.setenv(*setting)
    assert _console()[0].terminal_width() is None


SNIPPETS = st.lists(st.lists(st.tuples(TEXT, st.booleans()), min_size=1, max_size=6).map(
    tuple), min_size=1, max_size=3).map(lambda f: Snippet(fragments=tuple(f)))
HITS = st.lists(st.builds(Hit, id=st.text("abc/.0123", min_size=1, max_size=12), title=TEXT,
                          score=st.one_of(st.none(), st.floats(0, 99)),
                          rank=st.integers(1, 300), source=st.one_of(st.none(), TEXT),
                          parties=st.lists(st.sampled_from(["Labour", "Lib Dems"]), max_size=2),
                          snippet=st.one_of(st.none(), SNIPPETS)), min_size=1, max_size=4)


@given(HITS, WIDTHS)
def test_a_page_of_hits_on_a_terminal_is_what_rich_prints(hits, width):
    page = SearchResults(query="blair", page=1, limit=10, hits=hits, _count=lambda: len(hits),
                         _parsed=lambda: "blair")
    printed = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        for by in ("rich", "ours"):
            console, terminal = _console()
            if by == "rich":
                console.made()
            for module in (output, printing, cli_results):
                patch.setattr(module, "out", console)
            cli_results._print_results(page)
            printed[by] = terminal.getvalue()
    assert printed["ours"] == printed["rich"]


def test_a_page_of_simple_hits_is_written_without_rich_s_console(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    hits = [Hit(id="bbc/1", title="Blair wins", score=1.5, rank=1, source="BBC",
                snippet=Snippet(fragments=((("Mr ", False), ("Blair", True),
                                            (" said “it’s” a long day for all", False)),)))]
    console, terminal = _console()
    for module in (output, printing, cli_results):
        monkeypatch.setattr(module, "out", console)
    cli_results._print_results(SearchResults(query="blair", page=1, limit=10, hits=hits,
                                             _count=lambda: 1, _parsed=lambda: "blair"))
    assert console.terminal_width() == 40  # rich's console was not made
    assert "   Mr \x1b[1;33mBlair\x1b[0m said “it’s” a long day for\n   all\n" \
        in terminal.getvalue()


def test_a_wrapped_line_s_spaces_past_the_width_are_cropped_as_rich_crops_them():
    assert sgr_lines([("abc      x", "")], 4) == ["abc ", "x"]
