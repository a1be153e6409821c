"""A page of search results is printed a hundred hits to a call of rich's print, and a line
that fits the terminal is not measured word by word again, yet the output is what printing
it line by line gave, byte for byte: piped (no styles, no wrapping) and on terminals of
several widths (styles, wrapping, cropping), for hits with awkward titles and snippets.

(Printing ``search '*' --limit 1000`` line by line took 3,000 calls of rich's print, each
measuring the terminal and writing out, and then wrapped each snippet line twice.)
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

from corpus_search import CorpusIndex, Document
from corpus_search.cli import output, printing
from corpus_search.cli import results as results_cli
from corpus_search.consoles import LazyConsole, piped_layout
from corpus_search.terminal import counted

AWKWARD_TITLES = [
    "Budget [bold]row[/] deepens",  # rich markup in a title
    "Plain title",
    "",  # no title
    "A title with\tits tab",
    "Caf\u00e9 owners e\u0301lan and cafe\u0301 combining marks " * 2,
    "\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b wide characters \u65e5\u672c\u8a9e " * 3,
    "Control \x1b[31mred\x1b[0m and \u202eoverride",
    "x" * 130,  # one word longer than any terminal here
    "Trailing spaces   ",
    "An exactly forty-one character long title",
]


def _documents() -> list[Document]:
    docs = []
    for n, title in enumerate(AWKWARD_TITLES):
        body = (f"Labour said the budget {n} would pass. " * (n + 1)
                + "https://example.org/" + "a" * (20 * n) + " and the \u65e5\u672c budget. "
                + "Tories\tsaid  no.\n\nA second paragraph on the budget.")
        docs.append(Document(id=f"doc{n}", title=title, body=body,
                             date=dt.date(2005, 1, 1 + n) if n % 2 else None,
                             source="BBC" if n % 3 else None))
    # two copies of one text: the second is shown as the same text as the first
    docs += [Document(id=f"copy{n}", title="Copied story", body="The budget passed, MPs said.")
             for n in range(2)]
    return docs


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):
    index = CorpusIndex(tmp_path_factory.mktemp("printing") / "ix")
    index.add_documents(_documents())
    yield index
    index.close()


def printed_line_by_line(results, facets: bool = False) -> None:
    """results_cli._print_results as it was: one call of rich's print a line."""
    out = results_cli.out
    shown = printing.print_spelling(results, "Showing results for", "search instead for")
    for note in results.notes:
        out.print(f"[yellow]note[/] {output.safe(note)}", soft_wrap=True)
    if not results.total:
        read_as = results.parsed_query
        if set(shown.split()) <= set(results.not_found):
            read_as = ""
        understood = f" (understood as: {output.safe(read_as)})" if read_as else ""
        out.print(f"No results for [bold]{output.safe(shown)}[/]{understood}.")
        printing.print_undated_note(results.undated_left_out)
        return
    if not results.hits:
        return
    first = (results.page - 1) * results.limit + 1
    found = (counted(results.total, "document") if results.parsed_query == "*" else
             f"{counted(results.total, 'result')} for[/] [bold]{output.safe(shown)}[/][dim]")
    out.print(f"[dim]{found}, showing {first}-{first + len(results.hits) - 1} (page "
              f"{results.page} of {results.pages})[/]")
    printing.print_undated_note(results.undated_left_out)
    results_cli._print_held_notes(results)
    if facets:
        results_cli._print_facets(results)
    out.print()
    for hit in results.hits:
        meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.source or "",
                                      ", ".join(hit.parties)) if x)
        score = f" · score {hit.score:.2f}" if hit.score is not None else ""
        out.print(f"[bold cyan]{hit.rank}.[/] [bold]{output.shown_title(hit.title)}[/]  "
                  f"[dim]{output.safe(hit.id)}{score}[/]")
        if meta:
            out.print(f"   [green]{output.safe(meta)}[/]")
        if hit.same_as:
            where = "the document given" if results.query == f"similar:{hit.same_as}" \
                else "above"
            out.print(f"   [dim]The same text as {output.safe(hit.same_as)}, {where}.[/]")
        elif hit.snippet and hit.snippet.fragments:
            out.print(_old_snippet_line(hit.snippet))
        out.print()


def _old_snippet_line(snippet):
    """The snippet as it was printed: each of its lines wrapped again by rich."""
    terminal = results_cli.out.is_terminal
    line = results_cli._snippet_line(snippet, results_cli.out.width if terminal else None)
    for part in line.renderables if terminal else ():
        part.no_wrap = None
    return line


def use_console(monkeypatch: pytest.MonkeyPatch, console: Console) -> None:
    """Make ``console`` standard output's for every module of the CLI that prints to it."""
    shared = output.out
    for name, module in list(sys.modules.items()):
        if name.split(".")[:2] == ["corpus_search", "cli"] and getattr(
                module, "out", None) is shared:
            monkeypatch.setattr(module, "out", console)


def _printed(monkeypatch: pytest.MonkeyPatch, width: int | None, print_results, results,
             **options) -> str:
    """What ``print_results`` writes to a console like the CLI's (``width`` None: piped)."""
    buffer = io.StringIO()
    terminal = {"force_terminal": True, "width": width, "color_system": "truecolor"} \
        if width else {"force_terminal": False}
    console = Console(file=buffer, highlight=False, soft_wrap=False, emoji=False, **terminal)
    piped_layout(console, output.PIPED_WIDTH)
    use_console(monkeypatch, console)
    print_results(results, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [None, 400, 100, 41, 40, 23, 22, 12])
@pytest.mark.parametrize("query", ["*", "budget", "Labour Tories", "budgte", "nothingatall",
                                   "budg*", "* *", "**"])
def test_results_print_as_they_did_line_by_line(
    ix: CorpusIndex, monkeypatch: pytest.MonkeyPatch, width, query
):
    results = ix.search(query, limit=50)
    assert query == "nothingatall" or len(results.hits) >= 10
    new = _printed(monkeypatch, width, results_cli._print_results, results)
    old = _printed(monkeypatch, width, printed_line_by_line, results)
    assert new == old


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture(scope="module")
def untabbed(tmp_path_factory: pytest.TempPathFactory):
    """The index of the same documents with no tab in them (rich prints a line that holds
    one: it expands it by the cells before it)."""
    index = CorpusIndex(tmp_path_factory.mktemp("untabbed") / "ix")
    index.add_documents([Document(id=d.id, title=d.title.replace("\t", " "),
                                  body=d.body.replace("\t", " "), date=d.date, source=d.source)
                         for d in _documents()])
    yield index
    index.close()


@pytest.mark.parametrize("tabs", [True, False])
@pytest.mark.parametrize("facets", [False, True])
@pytest.mark.parametrize("query", ["*", "budget", "Labour Tories", "budgte", "nothingatall",
                                   "budg*", "**", "Budget [bold]row"])
def test_a_page_printed_piped_without_rich_is_what_rich_printed(
    ix: CorpusIndex, untabbed: CorpusIndex, monkeypatch: pytest.MonkeyPatch, query, facets,
    tabs
):
    # the command's own console writes piped lines itself (corpus_search.consoles), until a
    # line holds a tab (a title here): rich prints that, and what follows
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    results = (ix if tabs else untabbed).search(query, limit=50)
    pipe = _Pipe()
    console = LazyConsole(output.PIPED_WIDTH, file=pipe, highlight=False, soft_wrap=False,
                          emoji=False)
    use_console(monkeypatch, console)
    results_cli._print_results(results, facets=facets)
    assert console.piped() is not (tabs and bool(results.total))
    assert pipe.getvalue() == _printed(monkeypatch, None, results_cli._print_results, results,
                                       facets=facets)


def test_printing_a_ranked_page_does_not_parse_its_query_again(
    ix: CorpusIndex, monkeypatch: pytest.MonkeyPatch
):
    # telling a ranked page from a listing of documents took a second parse of the query
    # (for the body alone, as parsed_query renders it): ~2 ms of a search
    from corpus_search.search import parsing

    results = ix.search("Labour Tories", limit=5)
    parsed: list[object] = []
    monkeypatch.setattr(parsing, "_parser", lambda *args: parsed.append(args))  # (every parse)
    assert "results for Labour Tories" in _printed(monkeypatch, None, results_cli._print_results,
                                                   results)
    assert parsed == []


def test_a_long_page_is_printed_a_batch_of_hits_at_a_time_as_it_was_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(results_cli, "HITS_PER_PRINT", 4)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(_documents())
        results = ix.search("*", limit=len(AWKWARD_TITLES) + 2)
        for width in (None, 80):
            new = _printed(monkeypatch, width, results_cli._print_results, results, facets=True)
            assert new == _printed(monkeypatch, width, printed_line_by_line, results,
                                   facets=True)
            assert "Copied story" in new and "The same text as copy0, above." in new
