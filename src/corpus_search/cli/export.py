"""``corpus-search export``: every document a query matches, written to a file."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    exact_option,
    filter_options,
    indexes_option,
    literal_option,
    match_case_option,
    sort_option,
)
from corpus_search.cli.output import err, guarded, print_note, safe
from corpus_search.cli.printing import print_query_notes, print_spelling, print_undated_note
from corpus_search.errors import EXIT_NO_RESULTS, EXIT_OK
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    from corpus_search.search.export import ExportReport
    from corpus_search.search.filters import SearchFilters


#: ``export --format``'s values: ``search.export.FORMATS``, written out so that ``--help`` does
#: not import NumPy and Whoosh (a test holds the two equal)
EXPORT_CHOICES = ["csv", "jsonl", "txt"]


@click.command("export")
@click.argument("query")
@click.argument("target", metavar="OUT")
@indexes_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_CHOICES), **ONCE,
              help="csv, jsonl, or txt: a folder of text files with front matter [default: "
                   "told by OUT: .csv, .jsonl; a folder or a name without a suffix is txt; - "
                   "is csv].")
@sort_option
@exact_option
@literal_option
@match_case_option
@click.option("--force", is_flag=True,
              help="Replace OUT if it exists (a folder only if an export wrote it and it "
                   "holds nothing but .txt files).")
@click.option("--counted", is_flag=True,
              help="Only the documents count counts for QUERY (not those holding only a "
                   "phrase's words apart, part of a name or term, or a related term).")
@click.option("--distinct", is_flag=True,
              help="Each text once: leave out a document repeating the title and body of one "
                   "written before it word for word (its same_as; an article saved twice).")
@guarded
@filter_options
def export_cmd(query: str, target: str, index_paths: tuple[Path, ...], fmt: str | None,
               sort: str, exact: bool, literal: bool, match_case: bool, force: bool,
               counted: bool, distinct: bool, filters: SearchFilters) -> None:
    """Write every document QUERY matches, with its text, to OUT: a CSV or JSON Lines file,
    a folder of text files, or - (standard output). QUERY "*": every document the filters
    keep.

    The documents are those search counts for QUERY, in its order. OUT is written in full
    or not at all, and an existing file or folder that is not empty is replaced only with
    --force.
    """
    with open_for_search(index_paths) as ix, _interrupted_by_sigterm():
        if target == "-":
            with _utf8_stdout() as stream:
                report = ix.export(query, stream, format=fmt, filters=filters, sort=sort,
                                   correct=not exact, overwrite=force, counted=counted,
                                   literal=literal, distinct=distinct,
                                   match_case=match_case)
        else:
            report = ix.export(query, target, format=fmt, filters=filters, sort=sort,
                               correct=not exact, overwrite=force, counted=counted,
                               literal=literal, distinct=distinct, match_case=match_case)
    # (on stderr: standard output may be the export itself)
    print_spelling(report, "Exporting the documents of", "export instead", to=err, index=ix)
    print_query_notes(report.notes, to=err)
    print_undated_note(report.undated_left_out, to=err)
    where = "standard output" if report.path is None else str(report.path)
    err.print(f"Wrote {_count(report.documents, 'document')} to {safe(where)}"
              f"{_uncounted_note(report)}", soft_wrap=True)
    for reason in report.why_empty:
        print_note(reason, to=err)
    sys.exit(EXIT_OK if report.documents else EXIT_NO_RESULTS)


def _uncounted_note(report: ExportReport) -> str:
    """What the export line says of the documents search finds that count leaves out."""
    n = report.uncounted or report.related_only
    if not n:
        return ""
    why = ("only a term the lexicon relates to the query" if n == report.related_only else
           "only part of the query: a quoted phrase's words apart, some words of a name or "
           "lexicon term, or a term the lexicon relates to it")
    if report.counted:
        return f", those count counts (left out: {n} that search finds holding {why})"
    return f" ({n} of them {why}, which count leaves out)"


@contextlib.contextmanager
def _utf8_stdout() -> Iterator[Any]:
    """Standard output as UTF-8 text, whatever the locale: an export is data, written as a
    file of it is, not text for a terminal (no character escaped)."""
    import io

    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()


@contextlib.contextmanager
def _interrupted_by_sigterm() -> Iterator[None]:
    """SIGTERM (``kill``) stops the command as Ctrl-C does, so that what it was writing is
    removed rather than left half written."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
