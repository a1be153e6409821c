"""``corpus-search count`` and ``trends``: matching documents counted by year, month, source
or party."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import replace as dataclass_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    distinct_option,
    exact_option,
    filter_options,
    indexes_option,
    json_option,
    literal_option,
    match_case_option,
    one_output,
)
from corpus_search.cli.output import err, guarded, out, print_json, print_note, print_table, safe
from corpus_search.cli.printing import (
    as_said,
    as_shown,
    not_in_table,
    print_csv,
    print_query_notes,
    print_spelling,
    print_told,
    told_on_stderr,
)
from corpus_search.errors import EXIT_NO_RESULTS, EXIT_OK
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")
from corpus_search.terminal import strip_unprintable, utf8_streams

if TYPE_CHECKING:
    from rich.console import Console

    from corpus_search.search.counting import Counts
    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.trends import Trends


#: ``count --by``'s values: ``search.counting.COUNT_BY``, written out so that ``--help`` does
#: not import NumPy and Whoosh (a test holds the two equal)
COUNT_CHOICES = ["year", "month", "source", "party"]


by_option = click.option("--by", type=click.Choice(COUNT_CHOICES), default=["year"], **ONCE,
                         show_default=True, help="Count per year, month, source or party.")


plot_option = click.option(
    "--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), **ONCE,
    help="Also draw a chart into this file (.png, .svg, .pdf; the plot extra).")


@click.command("count")
@click.argument("query", nargs=-1)
@indexes_option
@by_option
@exact_option
@literal_option
@match_case_option
@distinct_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (value, matching, documents, share), every period included.")
@plot_option
@json_option
@guarded
@filter_options
def count_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], by: str, exact: bool,
              literal: bool, match_case: bool, distinct: bool, as_csv: bool,
              plot_path: Path | None, filters: SearchFilters, as_json: bool) -> None:
    """Count the documents QUERY matches per year, month, source or party, beside all the
    documents of each (QUERY "*": every document).

    The share of each period's documents that match does not rise with the corpus's own
    volume, as the raw count does: the bars draw it. The documents are those search finds
    for QUERY, less those holding only part of it (a quoted phrase's words apart, some words
    of a name or lexicon term, its words only inside another term: Shadow Home Secretary) or
    only a broader term the lexicon relates to it: a note says how many. A narrower term
    counts (foundation hospitals, for NHS): a note names it. As in
    search, several words match any of them: count '"Lib Dems" AND "tuition fees"' counts
    the documents naming both.
    """
    one_output(as_csv, as_json)
    _check_chart(plot_path)
    with open_for_search(index_paths) as ix:
        counts = ix.count(" ".join(query), by=by, filters=filters, correct=not exact,
                          literal=literal, distinct=distinct, match_case=match_case)
        others = counts.otherwise  # (what places its matches in no row: not undated by year)
    if plot_path is not None:
        counts.plot(plot_path)
    if as_json:
        print_json(as_said(counts.to_dict()), "count")
    elif as_csv:
        told_on_stderr(counts, ("Counting", "count instead"), counts.without, counts.by,
                       others, index=ix)
        print_csv([row.to_dict() for row in counts.rows], ("value", "matching", "documents",
                                                             "share"))
    else:
        _print_count_table(counts, filtered=not filters.is_empty(), others=others, index=ix)
        if plot_path is not None:
            err.print(f"chart written to {safe(plot_path)}")
    sys.exit(EXIT_OK if counts.total else EXIT_NO_RESULTS)


def _check_chart(plot_path: Path | None) -> None:
    """Fail before any counting where ``--plot``'s chart could not be drawn (no matplotlib,
    a file that is no chart): counting first wasted the count."""
    if plot_path is not None:
        from corpus_search.search.counting import check_chart

        check_chart(plot_path)


#: the longest bar of ``count``'s table, in characters
COUNT_BAR = 30


def _count_bar_width(counts: Counts, labels: list[str]) -> int:
    """The longest bar that fits beside the other columns of ``count``'s table (at most
    :data:`COUNT_BAR`): a bar cut at the terminal's edge would show 147 and 105 alike."""
    from rich.cells import cell_len

    columns = [max(cell_len(as_shown(text)) for text in [counts.by, *labels]),
               max(len("matching"), len(str(counts.total))),
               max(len("of all"), *(len(str(row.documents)) for row in counts.rows)),
               len("100.0%")]
    return max(1, min(COUNT_BAR, out.width - sum(columns) - 2 * len(columns)))


def _countable(ix: Any, needed: object) -> tuple[str, ...] | None:
    """What the index can be counted by (search.count_by.countable_by), where a count's
    table is empty and its line says what would fill it (``needed``); else None."""
    if not needed:
        return None
    from corpus_search.search.count_by import countable_by

    return countable_by(ix)


def _print_count_table(counts: Counts, filtered: bool,
                       others: tuple[str, ...] | None = None, index: Any = None) -> None:
    from rich.table import Table

    from corpus_search.search.counting import UNDATED_INDEX, lacked_by_all

    undated = others is not None and UNDATED_INDEX in counts.notes  # (no date in the index)
    if undated:  # (its line below says so: the note at length is for --json and the library)
        counts = dataclass_replace(counts, notes=[n for n in counts.notes if n != UNDATED_INDEX])
    shown = print_told(counts, "Counting", "count instead", counts.total, index=index)
    if shown is None:
        return

    verb = "matches" if counts.total == 1 else "match"
    # ("*" counts what the filters keep, as key-terms says: "12 documents match *" reads as
    # a query for "*")
    which = ((" the filters keep" if filtered else "") if shown.strip() == "*" else
             f" {verb}[/] [bold]{safe(shown)}[/][dim]")
    if undated:
        from corpus_search.search.count_by import no_dates_line

        out.print(f"[dim]{_count(counts.total, 'document')}{which}[/]")
        out.print(no_dates_line(counts.by, others or (), "cli"))
        return
    full = counts.full_bar() if counts.without != counts.total else None  # (a table's)
    out.print(f"[dim]{_count(counts.total, 'document')}{which}; by {counts.by}"
              f"{'; ' + full if full else ''}[/]")
    if counts.without == counts.total:  # (no table of zeros)
        lacks, otherwise = lacked_by_all(counts.by, "cli", one=counts.total == 1,
                                         others=others)
        out.print(f"{'It' if counts.total == 1 else 'None of them'} {lacks}"
                  + (f" ({otherwise})." if otherwise else "."))
        return
    table = Table(counts.by, "matching", "of all", "share", "", box=None, pad_edge=False)
    shown = counts.joined()
    longest = _count_bar_width(counts, [label for label, _row in shown])
    block = "\u2588" if utf8_streams() else "#"  # (escaped, a block takes six characters)
    for label, row in shown:
        if row is None:
            table.add_row(f"[dim]{label}[/]", "[dim]-[/]", "[dim]0[/]", "", "[dim](no "
                          "documents)[/]")
            continue
        bar = block * round(longest * counts.bar(row))
        table.add_row(safe(label), str(row.matching), str(row.documents),
                      f"{100 * row.share:.1f}%", f"[cyan]{bar}[/]")
    print_table(table)
    if overlap := counts.overlap():
        out.print(f"[dim]{overlap}[/]")
    if counts.without:
        out.print(f"[dim]{not_in_table(counts.without, counts.by)}[/]")


@click.command("trends")
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...")
@indexes_option
@by_option
@exact_option
@literal_option
@match_case_option
@distinct_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (value, documents, then '<query> matching' and '<query> "
                   "share' for each query), every period included.")
@plot_option
@json_option
@guarded
@filter_options
def trends_cmd(queries: tuple[str, ...], index_paths: tuple[Path, ...], by: str, exact: bool,
               literal: bool, match_case: bool, distinct: bool, as_csv: bool,
               plot_path: Path | None, filters: SearchFilters, as_json: bool) -> None:
    """Compare how often up to 8 queries come up per year, month, source or party: the share
    of each period's documents each matches, side by side.

    Each argument is one query: quote a query of several words (trends NHS immigration
    'tuition fees' compares three). As in search, several words match any of them: quote
    a phrase inside ('"tuition fees"') to count the documents holding it. Each query's
    figures are what count gives for it.
    """
    one_output(as_csv, as_json)
    _check_chart(plot_path)
    with open_for_search(index_paths) as ix:
        found = ix.trends(list(queries), by=by, filters=filters, correct=not exact,
                          literal=literal, distinct=distinct, match_case=match_case)
        others = _countable(ix, found.matched and all(one.without == one.total
                                                      for one in found.counts))
    if plot_path is not None:
        found.plot(plot_path)
    if as_json:
        print_json(as_said(found.to_dict()), "trends")
    elif as_csv:  # (what the text says of the queries, on stderr: the table is alone)
        if _print_trends_told(found, to=err, others=others, index=ix):
            _print_trends_without(found, to=err)
        _print_trends_csv(found)
    else:
        _print_trends_table(found, others, index=ix)
        if plot_path is not None:
            err.print(f"chart written to {safe(plot_path)}")
    sys.exit(EXIT_OK if found.matched else EXIT_NO_RESULTS)


def _print_trends_csv(found: Trends) -> None:
    """One row a value, every period included: its documents, then each query's matching
    documents and share, in columns named after the query (for a spreadsheet's chart)."""
    # (named as counted, the text's table heads: "Blare" typed, the figures are Blair's)
    names = [strip_unprintable(" ".join(query.split())) for query in found.searched]
    columns = ("value", "documents",
               *(f"{name} {figure}" for name in names for figure in ("matching", "share")))
    print_csv([{"value": row.value, "documents": row.documents,
                 **{f"{name} {figure}": one.to_dict()[figure]
                    for name, one in zip(names, row.counts, strict=True)
                    for figure in ("matching", "share")}}
                for row in found.rows], columns)


def _print_trends_told(found: Trends, to: Console | None = None,
                       others: tuple[str, ...] | None = None, index: Any = None) -> bool:
    """What trends print before their table, query by query, on ``to`` (standard output's
    console unless given; standard error's for --csv): the spelling lines, the notes on how
    each was read (named when there are several), the queries matching the same documents
    as another, the undated matches a date range left out, each query that matched nothing
    and why; whether a table follows. ``others``: what the index can be counted by, where
    no row counts any match (_countable); ``index``: as print_spelling's)."""
    from corpus_search.search.counting import UNDATED_INDEX

    console = to or out
    undated = others is not None and UNDATED_INDEX in found.notes  # (no date in the index)
    several = len(found.counts) > 1
    for one in found.counts:
        print_spelling(one, "Counting", "count instead", to=console, index=index)
        # (each note of several queries says which it is of, unless it begins with it)
        print_query_notes([f"{one.query}: {note}" if several and not note.startswith(
            one.query) else note for note in one.notes], to=console)
    print_query_notes([n for n in found.notes if not (undated and n == UNDATED_INDEX)],
                      to=console)
    left_out = [(one.query, one.undated_left_out) for one in found.counts
                if one.undated_left_out]
    if left_out:
        console.print("[yellow]Matching documents with no date, left out: "
                      f"{safe(', '.join(f'{query} {n}' for query, n in left_out))}; "
                      "--include-undated keeps them.[/]")
    for queries, reasons in found.unmatched():
        console.print(f"No documents match "
                      f"{', '.join(f'[bold]{safe(q)}[/]' for q in queries)}.")
        for reason in reasons:
            print_note(reason, to=console)
    if not found.matched:
        return False
    if all(one.without == one.total for one in found.counts):
        from corpus_search.search.counting import lacked_by_all

        # (the documents matched, as count says, exit 0; how many: "None of the matching
        # documents" alone gave no figure, where count gives one. By source or party too:
        # the BBC corpus by source had been an empty table's IndexError)
        totals = f"Matching documents: {safe(_trends_totals(found.searched, found))}"
        if undated:
            from corpus_search.search.count_by import no_dates_line

            console.print(f"{totals}.\n{no_dates_line(found.by, others or (), 'cli')}")
            return False
        lacks, otherwise = lacked_by_all(found.by, "cli", others=others)
        console.print(f"{totals}; none of them {lacks}{f' ({otherwise})' if otherwise else ''}.")
        return False
    return True


def _print_trends_without(found: Trends, to: Console | None = None) -> None:
    """Each query's matches that no row of the table counts (no date, source or party), on
    ``to`` (standard output's console unless given), named as the table's columns are."""
    without = [(name, one.without) for name, one in zip(found.searched, found.counts,
                                                        strict=True) if one.without]
    if without:
        from corpus_search.search.counting import LACKING

        noun = LACKING[found.by]
        (to or out).print(f"[dim]Matching documents without {noun}, not in the table: "
                          f"{safe(', '.join(f'{name} {n}' for name, n in without))}.[/]")


def _trends_totals(names: Sequence[str], found: Trends) -> str:
    """Each query's matching documents, by its name (``Blair 181, Brown 130``)."""
    return ", ".join(f"{name} {one.total}" for name, one in zip(names, found.counts, strict=True))


def _print_trends_table(found: Trends, others: tuple[str, ...] | None = None,
                        index: Any = None) -> None:
    from rich.table import Table

    if not _print_trends_told(found, others=others, index=index):
        return
    names = found.searched
    shown = found.joined()
    cells = [[f"{100 * share:5.1f}% ({n})" for share, n in zip(row.shares, row.matching,
                                                              strict=True)]
             if row is not None else None for _label, row in shown]
    headers = [safe(name) for name in names]
    narrow = out.is_terminal and _trends_width(found.by, headers, shown, cells) > out.width
    if narrow:  # (wrapped, a cell's count fell under its share: the shares are what compare)
        cells = [[cell.split(" (")[0] for cell in row] if row is not None else None
                 for row in cells]
        headers = ["\n".join(_wrapped(header, 6)) for header in headers]
    label_width, documents = _narrow_layout(found.by, headers, shown, cells) if narrow else (
        None, True)
    how_many = "" if narrow else " (and how many)"
    out.print(f"[dim]Matching documents: {safe(_trends_totals(names, found))}; by "
              f"{found.by}, the share of each {found.by}'s documents{how_many}[/]")
    table = Table(box=None, pad_edge=False)
    table.add_column(found.by, width=label_width)
    if documents:
        table.add_column("documents" if not narrow else "docs", justify="right")
    for header in headers:  # (a share cut short says nothing: the others give way first)
        table.add_column(header, no_wrap=True, min_width=len(cells[0][0]) if cells[0] else 6)
    for (label, row), row_cells in zip(shown, cells, strict=True):
        if row is None or row_cells is None:
            table.add_row(f"[dim]{safe(label)}[/]", *(["[dim]0[/]"] if documents else []),
                          *(["[dim]  -[/]"] * len(names)))
            continue
        table.add_row(safe(label), *([str(row.documents)] if documents else []), *row_cells)
    # (a table that cannot fit runs past the edge, to be wrapped by the terminal, rather
    # than rich cutting every column, the years and months first, to "2…")
    needed = _trends_width(found.by, headers, shown, cells, label_width, documents)
    if needed <= out.width:
        print_table(table)
    else:
        from rich.console import Console

        print_table(table, Console(file=out.file, width=needed, color_system=out.color_system,
                                    force_terminal=out.is_terminal, highlight=False,
                                    emoji=False), crop=False)
    _print_trends_without(found)


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of ``width`` characters, or of its longest word if that is longer."""
    import textwrap

    return textwrap.wrap(text, max(width, *(len(word) for word in text.split())),
                         break_on_hyphens=False) or [text]


def _trends_width(by: str, headers: list[str], shown: list[tuple[str, Any]],
                  cells: list[list[str] | None], label_width: int | None = None,
                  documents: bool = True) -> int:
    """How wide the trends table is with these headers and cells (two spaces between
    columns), its first column ``label_width`` wide when given, with or without the column
    of documents."""
    from rich.cells import cell_len

    widths = [label_width or max(cell_len(as_shown(text))
                                 for text in [by, *(label for label, _ in shown)])]
    if documents:
        widths.append(len("documents") if label_width is None else max(
            len("docs"), *(len(str(row.documents)) for _, row in shown if row is not None)))
    for n, header in enumerate(headers):
        widths.append(max([*(cell_len(as_shown(line)) for line in header.split("\n")),
                           *(len(row[n]) for row in cells if row is not None)]))
    return sum(widths) + 2 * (len(widths) - 1)


def _narrow_layout(by: str, headers: list[str], shown: list[tuple[str, Any]],
                   cells: list[list[str] | None]) -> tuple[int, bool]:
    """On a narrow terminal: the first column's width, its labels wrapped between words
    ("2003-10 -" over "2004-11", never cut: a share says nothing without its year), and
    whether the column of documents fits (the shares are what compare: it gives way)."""
    from rich.cells import cell_len

    label_width = max(cell_len(part) for text in [by, *(label for label, _ in shown)]
                      for part in re.split(r" (?!- )", as_shown(text)))
    fits = _trends_width(by, headers, shown, cells, label_width) <= out.width
    return label_width, fits
