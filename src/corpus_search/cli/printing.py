"""Printing several commands share: spelling lines, notes on how a query was read and on the
undated matches left out, CSV, and the counts of stats and search --facets."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from corpus_search.cli.output import err, out, print_note, safe
from corpus_search.terminal import as_written, strip_unprintable
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:

    from rich.console import Console

    from corpus_search.search.concordance import Concordance
    from corpus_search.search.counting import Counts
    from corpus_search.search.export import ExportReport
    from corpus_search.search.keyterms import KeyTerms
    from corpus_search.search.results import SearchResults


def print_spelling(result: SearchResults | Concordance | Counts | KeyTerms | ExportReport,
                    showing: str, instead: str, to: Console | None = None,
                    index: Any = None) -> str:
    """The spelling lines of a search's, concordance's, count's, key terms' or export's result
    (the correction searched, else suggested; the words no document holds, or, of ``index``,
    the line removed as boilerplate a word stands in), on ``to`` (standard output's console
    unless given); returns the query as searched."""
    console = to or out
    if result.suggestion and result.suggestion_applied:
        console.print(f"{showing} [bold]{safe(result.suggestion)}[/]; {instead} "
                      f"{safe(result.query)} with --exact.")
    elif result.suggestion:
        console.print(f"Did you mean: [bold]{safe(result.suggestion)}[/]?")
    if result.not_found:
        from corpus_search.terminal import NOT_FOUND

        removed = []
        if index is not None:
            from corpus_search.boilerplate_words import removed_word_line, removed_words

            removed = removed_words(index, result.not_found)
        partly = getattr(result, "partly_found", {})  # (a search's, a count's: not an export's)
        missing = [word for word in result.not_found
                   if word not in {r.word for r in removed} and not partly.get(word)]
        if missing:
            console.print(f"[yellow]{NOT_FOUND}[/] {safe(', '.join(missing))}")
        for term in result.not_found:
            if partly.get(term):
                from corpus_search.terminal import partly_found_line

                console.print(f"[yellow]{safe(partly_found_line(term, partly[term]))}[/]")
        for found in removed:
            console.print(f"[yellow]{safe(removed_word_line(found))}[/]", soft_wrap=True)
    return result.suggestion if result.suggestion_applied else result.query


def print_undated_note(left_out: int | None, to: Console | None = None) -> None:
    """Say how many matches a date range left out for having no date (search, concordance,
    count, key terms, export)."""
    if left_out:
        documents = "document has" if left_out == 1 else "documents have"
        (to or out).print(f"[yellow]{left_out} matching {documents} no date and "
                  f"{'was' if left_out == 1 else 'were'} left out; --include-undated keeps "
                  f"{'it' if left_out == 1 else 'them'}.[/]")


def print_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """``rows`` as CSV with a header, each field made safe for a terminal as text output is."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else strip_unprintable(str(row[c]))
                         for c in columns])


def as_said(data: dict[str, Any]) -> dict[str, Any]:
    """A result's JSON (search, similar, concordance, count, trends, key-terms) with its
    ``notes`` and ``why_empty`` (and each query's of trends) as the command says them: the
    command's options, where the library's name a function's arguments."""
    from corpus_search.search.counting import command_note

    said = {**data, "notes": [command_note(note) for note in data["notes"]]}
    if "why_empty" in data:  # (a search's: also among its notes)
        said["why_empty"] = [command_note(reason) for reason in data["why_empty"]]
    if "queries" in data:
        said["queries"] = [as_said(query) for query in data["queries"]]
    return said


def print_query_notes(notes: Sequence[str], to: Console | None = None) -> None:
    """How the query was read (an unpaired quote left out, a boost capped), before the
    output of a command that searches it (each as the command says it: its options, where
    the library's names a function's arguments)."""
    from corpus_search.search.counting import command_note

    for note in notes:
        (to or out).print(f"[yellow]note[/] {safe(command_note(note))}", soft_wrap=True)


def told_on_stderr(result: Concordance | Counts | KeyTerms, spelling: tuple[str, str],
                    without: int = 0, by: str = "",
                    others: tuple[str, ...] | None = None, index: Any = None) -> None:
    """With ``--csv`` standard output is the table alone (for a file or a spreadsheet): what
    the text would say of the query goes to standard error, so that a table holding nothing
    says why (the ``spelling`` lines, as :func:`print_spelling` words them: the correction
    counted instead of the query typed, the words no document holds; how the query was read,
    the matches a date range left out, why none matched, and the matches a count ``by`` a
    year, month, source or party places in no row, ``without`` one: the line the text prints
    under its table, naming the counts the index can give, ``others``, if known; ``index``:
    as :func:`print_spelling`'s)."""
    print_spelling(result, *spelling, to=err, index=index)
    print_query_notes(result.notes, to=err)
    print_undated_note(result.undated_left_out, to=err)
    for reason in result.why_empty:
        print_note(reason, to=err)
    if without:
        from corpus_search.search.counting import lacked_by_all

        otherwise = lacked_by_all(by, "cli", one=without == 1, others=others)[1]
        print_note(not_in_table(without, by, otherwise), to=err)


def not_in_table(without: int, by: str, otherwise: str = "") -> str:
    """The line under a count's table (and, with ``--csv``, on standard error, with
    ``otherwise``: the counts that place them) on the ``without`` matches it places in no
    row: "1 matching document without a month is not in the table" (a year-only date is a
    date, not a month's)."""
    from corpus_search.search.counting import LACKING

    return (f"{_count(without, 'matching document')} without {LACKING[by]} "
            f"{'is' if without == 1 else 'are'} not in the table"
            + (f" ({otherwise})." if otherwise else "."))


def as_shown(text: str) -> str:
    """Document text as the terminal will show it, for measuring: control characters
    dropped, and what a non-UTF-8 output lacks escaped (a concordance's columns line up in
    cells: ``\\u2019`` takes six, a CJK character two)."""
    return as_written(strip_unprintable(text))


def print_told(result: Counts | KeyTerms, showing: str, instead: str,
                matching: int, index: Any = None) -> str | None:
    """What count and key terms print before their table: the spelling lines (``index``: as
    :func:`print_spelling`'s), the notes on how the query was read and the undated matches
    left out; then, when no document matches, that and why (and ``None``), else the query as
    searched."""
    shown = print_spelling(result, showing, instead, index=index)
    print_query_notes(result.notes)
    print_undated_note(result.undated_left_out)
    if matching:
        return shown
    out.print(f"No documents match [bold]{safe(shown)}[/].")
    for reason in result.why_empty:
        print_note(reason)
    return None


def listed_date(shown: str | None) -> str:
    """A shown date (``Hit.shown_date``, ``ConcordanceLine.shown_date``) in a column of them
    (list, concordance --sort date): ``2005-02  `` for a month, or dashes as wide."""
    return shown.ljust(10) if shown else "-" * 10


#: how many sources and parties ``stats`` lists before it says how many more there are
STATS_SHOWN = 20


def print_breakdown(sources: dict[str, int], parties: dict[str, int], years: dict[str, int],
                     documents: int, more: str | None, without_party: int | None = None) -> None:
    """Counts of ``documents`` by source and party (the most frequent first, the first
    :data:`STATS_SHOWN` unless ``more`` is None; ``more`` names the option that lists the
    rest; ``without_party`` of them name none) and by year (every one, in date order, then
    the undated): what stats says of an index and search --facets of a query's matches."""
    from corpus_search.search.results import facet_rest

    limit = None if more is None else STATS_SHOWN
    for name, plural, counts, shown in (
        ("source", "sources", sources, limit),
        ("party", "parties", parties, limit),
        ("year", "years", dict(sorted(years.items())), None),
    ):
        rest = facet_rest(name, counts, documents, without_party)
        if not counts and not rest:
            continue
        out.print(f"by {name}")
        _print_counts(list(counts.items())[:shown] + ([rest] if rest else []))
        if shown is not None and len(counts) > shown:
            out.print(f"  … and {len(counts) - shown} more {plural} ({more} lists them)")


def _print_counts(rows: list[tuple[str, int]]) -> None:
    """``rows`` as two columns, names padded to the longest (in terminal cells) and counts
    aligned right, nothing after them: a line's end is its count, piped or not."""
    from rich.cells import cell_len

    names = [strip_unprintable(str(name)) for name, _ in rows]
    width = max(map(cell_len, names), default=0)
    digits = max((len(str(count)) for _, count in rows), default=0)
    for name, (_, count) in zip(names, rows, strict=True):
        padding = " " * (width - cell_len(name))
        out.print(f"  {safe(name)}{padding}    {count:>{digits}}", soft_wrap=True)
