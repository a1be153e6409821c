"""Specification: a line printed where the output is not a terminal is what rich prints,
byte for byte, whether rich prints it or :mod:`corpus_search.consoles` writes it without
importing rich (a piped search: ~65M instructions of ~730M); rich prints what it alone can.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.errors import MarkupError
from rich.markup import escape as rich_escape
from rich.markup import render

from corpus_search.consoles import LazyConsole, escape, piped_layout, plain

#: the pieces markup is made of here: tags, brackets, backslashes, tabs, control codes
PIECES = st.sampled_from([
    "[bold]", "[/]", "[/bold]", "[dim]", "[bold cyan]", "[@click]", "[#ff0000]", "[", "]",
    "\\", "\\\\", "\\[", "[x", "a=b]", "\t", "\r", "\x07", "\x1b", " ", "Blair", "é", "日本",
])
MARKUP = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join)


def rich_plain(markup: str) -> str | type[MarkupError]:
    try:
        return render(markup, emoji=False).plain
    except MarkupError:
        return MarkupError


@given(st.text())
def test_text_is_escaped_as_rich_escapes_it(text):
    assert escape(text) == rich_escape(text)


@given(MARKUP)
def test_escaped_text_reads_back_as_itself_as_rich_reads_it(text):
    assert plain(escape(text)) == rich_plain(rich_escape(text))


@given(MARKUP)
def test_markup_reads_as_rich_reads_it_or_fails_as_rich_fails(markup):
    expected = rich_plain(markup)
    if expected is MarkupError:
        with pytest.raises(MarkupError):
            plain(markup)
    else:
        assert plain(markup) == expected


class _Pipe(io.StringIO):
    """An output that is not a terminal."""

    def isatty(self) -> bool:
        return False


def _rich_printed(markup: str | None, **options) -> str:
    pipe = _Pipe()
    console = Console(file=pipe, highlight=False, soft_wrap=False, emoji=False)
    piped_layout(console, 1_000)
    console.print(*(() if markup is None else (markup,)), **options)
    return pipe.getvalue()


@pytest.fixture(scope="module", autouse=True)
def no_forced_terminal():
    with pytest.MonkeyPatch.context() as patch:
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
            patch.delenv(name, raising=False)
        yield


@given(st.one_of(st.none(), MARKUP.map(escape), MARKUP.filter(
    lambda m: rich_plain(m) is not MarkupError)))
def test_a_line_printed_piped_is_what_rich_prints(markup):
    pipe = _Pipe()
    console = LazyConsole(1_000, file=pipe, highlight=False, soft_wrap=False, emoji=False)
    console.print(*(() if markup is None else (markup,)))
    assert pipe.getvalue() == _rich_printed(markup)


def test_a_piped_line_is_written_without_making_rich_s_console_unless_it_holds_a_tab():
    pipe = _Pipe()
    console = LazyConsole(1_000, file=pipe, highlight=False, soft_wrap=False, emoji=False)
    console.print("[bold]1.[/] Blair \\[wins]")
    assert console.piped()  # rich's console was not made
    assert pipe.getvalue() == "1. Blair [wins]\n"
    assert not console.print_lines(["a\ttab"])  # rich expands a tab by the cells before it
    console.print("[dim]a\ttab[/]")
    assert not console.piped()  # rich printed it, and prints from now on
    assert pipe.getvalue() == "1. Blair [wins]\n" + _rich_printed("[dim]a\ttab[/]")


@pytest.mark.parametrize("setting", ["FORCE_COLOR", "TTY_COMPATIBLE"])
def test_output_forced_to_pass_for_a_terminal_is_printed_in_colour(monkeypatch, setting):
    monkeypatch.setenv(setting, "1")
    pipe = _Pipe()
    console = LazyConsole(1_000, file=pipe, highlight=False, soft_wrap=False, emoji=False)
    assert not console.piped()
    console.print("[bold]Blair[/]")
    assert "\x1b[" in pipe.getvalue()  # taken for a terminal, as rich takes it: bold


def test_a_line_that_rich_would_wrap_is_printed_by_rich():
    # (a console without soft wrapping wraps a long line at its width, piped or not)
    pipe = _Pipe()
    console = LazyConsole(file=pipe, highlight=False, soft_wrap=False, emoji=False)
    console.print("word " * 30)
    assert not console.piped()
    assert pipe.getvalue().count("\n") > 1
