"""``corpus-search concordance``: each place a query matches, in its context."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    LibraryRange,
    context_widths,
    distinct_option,
    exact_option,
    filter_options,
    indexes_option,
    json_option,
    literal_option,
    match_case_option,
    one_output,
)
from corpus_search.cli.output import err, guarded, out, print_json, print_note, safe
from corpus_search.cli.printing import (
    as_said,
    as_shown,
    listed_date,
    print_csv,
    print_query_notes,
    print_spelling,
    print_undated_note,
    told_on_stderr,
)
from corpus_search.errors import EXIT_NO_RESULTS, EXIT_OK
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    from rich.text import Text

    from corpus_search.search.concordance import Concordance
    from corpus_search.search.filters import SearchFilters


@click.command("concordance")
@click.argument("query", nargs=-1)
@indexes_option
@click.option("--limit", "-n", default=[50], show_default=True, type=click.IntRange(1, 100_000),
              **ONCE,
              help="Lines to show.")
@click.option("--width", "-w", type=LibraryRange(context_widths), **ONCE,
              help="Characters of context each side [default: what fits the terminal; 60 "
                   "when the output is not one].")
@click.option("--sort", type=click.Choice(["relevance", "date", "oldest"]), default=["relevance"],
              **ONCE, show_default=True, help="The documents' order; date: newest first; "
              "oldest: oldest first (undated last either way).")
@exact_option
@literal_option
@match_case_option
@distinct_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (id, title, date, left, match, right, start, end) instead of text.")
@json_option
@guarded
@filter_options
def concordance_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int,
                    width: int | None, sort: str, exact: bool, literal: bool, match_case: bool,
                    distinct: bool, as_csv: bool, filters: SearchFilters, as_json: bool) -> None:
    """Show every place QUERY matches, with the words either side (keyword in context).

    QUERY is read as search reads it, so the places include the other ways the texts write
    it (Lib Dems: "Liberal Democrats", "Lib Dem"); the documents come in search's order,
    the places in text order within each.
    """
    one_output(as_csv, as_json)
    if width is None:
        width = _context_width(sort != "relevance") if not (as_json or as_csv) else DEFAULT_CONTEXT
    with open_for_search(index_paths) as ix:
        result = ix.concordance(" ".join(query), limit=limit, width=width, filters=filters,
                                sort=sort, correct=not exact, literal=literal,
                                distinct=distinct, match_case=match_case)
    if as_json:
        print_json(as_said(result.to_dict()), "concordance")
    elif as_csv:
        told_on_stderr(result, ("Showing places of", "search instead for"), index=ix)
        if result.documents and not result.lines:  # (a header alone said nothing of why)
            print_note(_no_places(result), to=err)
        from corpus_search.ingest.shown_dates import row_at_precision

        print_csv([row_at_precision(line.to_dict()) for line in result.lines],
                   CONCORDANCE_COLUMNS)
    else:
        # (by date, each line dated: unless none is, the BBC's, where a note says the order
        # stayed by relevance and a column of dashes would say nothing more)
        dated = sort != "relevance" and any(line.date for line in result.lines)
        _print_concordance(result, filtered=not filters.is_empty(), dated=dated, index=ix)
    sys.exit(EXIT_OK if result.lines else EXIT_NO_RESULTS)


def _no_places(result: Concordance, shown: str | None = None, filtered: bool = False) -> str:
    """The line that says a concordance has no place (``shown``: the query as printed; the
    rest is :func:`~corpus_search.search.held.no_places_where`, as the web page says it)."""
    from corpus_search.search.held import no_places_where

    return f"No places for {shown or safe(result.query)} in {no_places_where(result, filtered)}."


#: context each side when the output is not a terminal (the library's default)
DEFAULT_CONTEXT = 60


#: the columns of ``concordance --csv``
CONCORDANCE_COLUMNS = ("id", "title", "date", "date_precision", "shown_date", "left", "match",
                       "right", "start", "end")


def _context_width(dated: bool = False) -> int:
    """Context each side that keeps a concordance line on one line of the terminal (an id,
    with its date when ``dated``, the context, a match of about a dozen characters), at
    least 20."""
    if not out.is_terminal:
        return DEFAULT_CONTEXT
    return max(20, min(DEFAULT_CONTEXT, (out.width - 14 - 16 - 12 * dated) // 2))


def _print_concordance(result: Concordance, filtered: bool = False,
                       dated: bool = False, index: Any = None) -> None:
    shown = print_spelling(result, "Showing places of", "search instead for", index=index)
    print_query_notes(result.notes)
    matched = _count(result.documents, "document")
    if not result.lines:
        out.print(_no_places(result, f"[bold]{safe(shown)}[/]", filtered))
        print_undated_note(result.undated_left_out)
        for reason in result.why_empty:
            print_note(reason)
        return
    if result.truncated:
        out.print(f"[dim]The first {_count(len(result.lines), 'place')} of [/][bold]"
                  f"{safe(shown)}[/][dim], from {result.documents_read} of the {matched} it "
                  f"matches (--limit shows more)[/]")
    elif result.documents_read < result.documents:
        # "24 places in 60 documents" read as places in each of them
        other = result.documents - result.documents_read
        from corpus_search.search.held import no_place

        out.print(f"[dim]{_count(len(result.lines), 'place')} of [/][bold]{safe(shown)}[/]"
                  f"[dim] in {result.documents_read} of the {matched} it matches; the other "
                  f"{other} {no_place(other)}[/]")
    else:
        out.print(f"[dim]{_count(len(result.lines), 'place')} of [/][bold]{safe(shown)}[/]"
                  f"[dim] in {matched}[/]")
    print_undated_note(result.undated_left_out)
    _print_concordance_lines(result, dated)


#: how many lines :func:`_print_concordance_lines` gives rich's print at a time
CONCORDANCE_LINES_PER_PRINT = 500


def _print_concordance_lines(result: Concordance, dated: bool = False) -> None:
    """The concordance's lines, the ids in a column (``dated``: each with its date, as
    ``list`` shows it, so that an order by date is seen) and the matches lined up after their
    left context, a batch of lines to a call of rich's print (a call a line measured the
    terminal and wrote out each time: 1.0 s of printing the 7,254 places of "said" in the
    BBC articles). On a terminal a line is cut to it with an ellipsis when its match fits;
    elsewhere (or past a terminal's width) it is printed whole."""
    from rich.cells import cell_len
    from rich.console import Group
    from rich.text import Text

    ids = [as_shown(line.id) for line in result.lines]
    id_width = max(cell_len(shown) for shown in ids)
    if dated:
        ids = [shown + " " * (id_width - cell_len(shown) + 2)
               + listed_date(line.shown_date)
               for shown, line in zip(ids, result.lines, strict=True)]
        id_width += 12
    terminal = out.is_terminal
    columns = out.width if terminal else 0
    batch: list[Text] = []
    for n, (line, shown_id) in enumerate(zip(result.lines, ids, strict=True), 1):
        left = as_shown(line.left)
        while cell_len(left) > result.width:  # (wide characters, escapes)
            left = left[1:]
        left = " " * (result.width - cell_len(left)) + left
        match = as_shown(line.match)
        # bold on a terminal; elsewhere the marks search's snippets have, or where a match of
        # several words ends ("Liberal Democrat leader") is not told
        text = Text.assemble((shown_id, "dim"), " " * (id_width - cell_len(shown_id) + 2),
                             left, (match if terminal else f"**{match}**", "bold yellow"),
                             as_shown(line.right))
        if terminal and id_width + 2 + result.width + cell_len(match) <= columns:
            text.overflow, text.no_wrap = "ellipsis", True
        # (else cut to the terminal, it would lose its match: a --width wider than it; a
        # file or a program gets every character of the context asked for)
        batch.append(text)
        if len(batch) == CONCORDANCE_LINES_PER_PRINT or n == len(result.lines):
            out.print(Group(*batch), soft_wrap=True)
            batch.clear()
