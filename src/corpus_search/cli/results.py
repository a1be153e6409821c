"""The commands that print documents: search, list, show and similar."""

from __future__ import annotations

import functools
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    doc_id_argument,
    exact_option,
    facets_option,
    filter_options,
    indexes_option,
    json_option,
    literal_option,
    match_case_option,
    paging_options,
    sort_option,
)
from corpus_search.cli.output import (
    err,
    fail,
    guarded,
    out,
    print_json,
    print_note,
    safe,
    shown_title,
)
from corpus_search.cli.printing import (
    as_said,
    listed_date,
    print_breakdown,
    print_query_notes,
    print_spelling,
    print_undated_note,
)
from corpus_search.consoles import SGR, LazyConsole, plain, runs, sgr_lines, wrapped
from corpus_search.consoles import written as written_runs
from corpus_search.errors import EXIT_NO_RESULTS, EXIT_OK, DocumentNotFoundError
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")
from corpus_search.terminal import strip_unprintable

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.hits import Hit, Snippet
    from corpus_search.search.results import SearchResults


@click.command("search")
@click.argument("query", nargs=-1)
@indexes_option
@paging_options(10, "results")
@sort_option
@exact_option
@literal_option
@match_case_option
@facets_option
@json_option
@guarded
@filter_options
def search_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int, page: int,
               filters: SearchFilters, sort: str, exact: bool, literal: bool, match_case: bool,
               facets: bool, as_json: bool) -> None:
    """Search for QUERY (Whoosh syntax: AND OR NOT, "phrases", title:word, wild*, fuzzy~).

    QUERY may be one argument or several words (search Tony Blair is search 'Tony Blair');
    quote a phrase for the shell too: '"general election"'. A query that starts with - goes
    after --: search -- '-war Iraq'. QUERY "*" lists every document (the filters keep),
    newest first; so does no QUERY with filters. A word no document holds is corrected and
    its correction searched too (--exact: only suggested); wildcards match the words as the
    texts write them (privatiz* finds privatisation).
    """
    with open_for_search(index_paths) as ix:
        # the words the shell split (an unquoted Tony Blair) are one query, as typed
        results = ix.search(" ".join(query), limit=limit, page=page, filters=filters,
                            sort=sort, correct=not exact, literal=literal,
                            match_case=match_case)
        _show(results, as_json, functools.partial(_print_results, facets=facets, index=ix))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _print_results(results: SearchResults, facets: bool = False, index: Any = None) -> None:
    shown = print_spelling(results, "Showing results for", "search instead for", index=index)
    print_query_notes(results.notes)  # (as the command says them: its options)
    if not results.total:
        read_as = results.parsed_query  # (none for similar: no query was typed)
        if set(shown.split()) <= set(results.not_found):
            read_as = ""  # (words no document holds, said above: their stems say no more)
        understood = f" (understood as: {safe(read_as)})" if read_as else ""
        out.print(f"No results for [bold]{safe(shown)}[/]{understood}.")
        print_undated_note(results.undated_left_out)
        return
    if not results.hits:  # the page is past the end: results.why_empty says so
        return
    first = (results.page - 1) * results.limit + 1
    # browsing ("*", or filters and no query) ranks nothing: its count is of documents, as
    # list's is, not "17 results for *" after a command that typed no *
    found = (_count(results.total, "document") if _browsing(results) else
             f"{_count(results.total, 'result')} for[/] [bold]{safe(shown)}[/][dim]")
    out.print(f"[dim]{found}, showing {first}-{first + len(results.hits) - 1} (page "
              f"{results.page} of {results.pages})[/]")
    print_undated_note(results.undated_left_out)
    _print_held_notes(results)
    if facets:
        _print_facets(results)
    out.print()
    if isinstance(out, LazyConsole) and out.piped():  # (no terminal: printed without rich)
        for start in range(0, len(results.hits), HITS_PER_PRINT):
            lines = [line for hit in results.hits[start:start + HITS_PER_PRINT]
                     for line in _hit_text(hit, results)]
            if not out.print_lines(lines):  # (a tab: rich expands it)
                out.print("\n".join(lines), markup=False)
        return
    if _wrote_on_terminal(results):
        return
    from rich.console import Group

    # printed a batch of hits at a time: rich's print measures the terminal and writes out
    # at each call, which cost more than drawing the lines (3,000 calls for 1,000 hits)
    width = out.width if out.is_terminal else None
    batch: list[RenderableType] = []
    for n, hit in enumerate(results.hits, 1):
        batch.extend(_hit_lines(hit, results, width))
        if not n % HITS_PER_PRINT or n == len(results.hits):
            out.print(Group(*batch))
            batch.clear()


def _wrote_on_terminal(results: SearchResults) -> bool:
    """Write the hits on a terminal as rich prints them, without rich (its console took
    ~60M instructions of a cold search's ~700M to import); False (nothing written) where
    rich must print them (:meth:`LazyConsole.terminal_width`, :func:`_hit_sgr`)."""
    width = out.terminal_width() if isinstance(out, LazyConsole) else None
    if width is None:
        return False
    lines: list[str] = []
    for hit in results.hits:
        written = _hit_sgr(hit, results, width)
        if written is None:
            return False
        lines.extend(written)
    out.write("".join(f"{line}\n" for line in lines))
    return True


def _hit_sgr(hit: Hit, results: SearchResults, width: int) -> list[str] | None:
    """One hit's lines as :func:`_hit_lines` has rich write them on a terminal ``width``
    wide, and a blank line; None where only rich can (see :func:`sgr_lines`)."""
    markup, snippet = _hit_markup(hit, results)
    lines: list[str] = []
    for line in markup:
        pieces = runs(line)
        written = None if pieces is None else sgr_lines(pieces, width)
        if written is None:
            return None
        lines.extend(written)
    if snippet is not None:
        pieces = [(text, SGR[style] if style else "") for text, style in _snippet_runs(snippet)]
        whole = "".join(text for text, _ in pieces)
        bounds = wrapped(whole, max(width - SNIPPET_INDENT, 20))
        if bounds is None:
            return None
        for start, end in bounds:
            end = start + len(whole[start:end].rstrip())  # (as _snippet_line's rstrip)
            if SNIPPET_INDENT + end - start > width:  # (rich would wrap it again)
                return None
            lines.append(" " * SNIPPET_INDENT + written_runs(pieces, start, end))
    return [*lines, ""]


def _browsing(results: SearchResults) -> bool:
    """Whether ``results`` list documents rather than rank them (browsing: ``*``, or filters
    and no query): the query as understood is ``*``. Only a query with a ``*`` in it reads
    so (every document, a wildcard of nothing), so another's is not rendered to tell."""
    typed = results.query + (results.suggestion or "")
    return "*" in typed and results.parsed_query == "*"


#: how many hits :func:`_print_results` gives rich's print at a time
HITS_PER_PRINT = 100


def _hit_markup(hit: Hit, results: SearchResults) -> tuple[list[str], Snippet | None]:
    """One hit of a results page: the markup of its lines (title, where it is from, the text
    it copies) and the snippet shown under them (None: none)."""
    shown = hit.shown_date or ""
    meta = " · ".join(x for x in (shown, hit.source or "", ", ".join(hit.parties)) if x)
    score = f" · score {hit.score:.2f}" if hit.score is not None else ""
    lines = [f"[bold cyan]{hit.rank}.[/] [bold]{shown_title(hit.title)}[/]  "
             f"[dim]{safe(hit.id)}{score}[/]"]
    if meta:
        lines.append(f"   [green]{safe(meta)}[/]")
    if hit.same_as:
        # (similar's hit that copies the document given, not one above it)
        where = "the document given" if results.query == f"similar:{hit.same_as}" \
            else "above"
        lines.append(f"   [dim]The same text as {safe(hit.same_as)}, {where}.[/]")
    elif hit.snippet and hit.snippet.fragments:  # a one-line file is all title, no body
        return lines, hit.snippet
    return lines, None


def _hit_text(hit: Hit, results: SearchResults) -> list[str]:
    """One hit of a results page as its lines read where the output is not a terminal, and
    a blank line after."""
    markup, snippet = _hit_markup(hit, results)
    lines = [plain(line) for line in markup]
    if snippet is not None:
        lines.append(_piped_snippet(snippet))
    return [*lines, ""]


def _hit_lines(hit: Hit, results: SearchResults, width: int | None) -> list[RenderableType]:
    """One hit of a results page as it is printed, line by line, and a blank line after;
    ``width``: the terminal's, None when the output is not one."""
    from rich.console import NewLine

    def render(markup: str) -> Text:  # (as print renders a string: markup, no highlighting)
        line = out.render_str(markup)
        return line if width is None else _unwrapped(line, width)

    markup, snippet = _hit_markup(hit, results)
    lines: list[RenderableType] = [render(line) for line in markup]
    if snippet is not None:
        lines.append(_snippet_line(snippet, width))
    lines.append(NewLine())
    return lines


#: the snippet's indent under its hit's title
SNIPPET_INDENT = 3


def _snippet_line(snippet: Snippet, width: int | None) -> RenderableType:
    """The snippet, indented under its title, with its matches in bold yellow on a terminal
    ``width`` wide (wrapped to the width left by the indent, each line indented, none ending
    in spaces: a padded block left trailing spaces in what is copied from the terminal);
    elsewhere (``width`` None: a pipe, a file), where styles are dropped and lines are not
    wrapped, matches keep the ``**marks**`` of ``Snippet.plain``."""
    from rich.console import Group
    from rich.text import Text

    if width is None:
        return Text(_piped_snippet(snippet))
    line = Text()
    for text, style in _snippet_runs(snippet):
        line.append(text, style=style or None)
    wrapped = line.wrap(out, max(width - SNIPPET_INDENT, 20))
    for part in wrapped:
        part.rstrip()
    return Group(*(_unwrapped(Text(" " * SNIPPET_INDENT) + part, width) for part in wrapped))


def _snippet_runs(snippet: Snippet) -> list[tuple[str, str]]:
    """The snippet's text on a terminal, in runs with their style ("" none): its fragments
    joined by a dim " … ", its matches bold yellow, each run of whitespace one space, what
    is not printable left out. One rule for rich's drawing and the lines written without
    it (:func:`_hit_sgr`)."""
    runs: list[tuple[str, str]] = []
    for n, frag in enumerate(snippet.fragments):
        if n:
            runs.append((" … ", "dim"))
        runs.extend((strip_unprintable(re.sub(r"\s+", " ", piece)),
                     "bold yellow" if matched else "") for piece, matched in frag)
    return runs


def _piped_snippet(snippet: Snippet) -> str:
    """The snippet's line where the output is not a terminal (its matches in ``**marks**``)."""
    return " " * SNIPPET_INDENT + strip_unprintable(snippet.plain)


def _unwrapped(text: Text, width: int) -> Text:
    """``text`` marked to be printed as it is when it is one line that fits ``width``: rich
    would find no place to wrap it, but only after measuring it word by word (for 1,000
    hits on a terminal, most of the time their printing took)."""
    from rich.cells import cell_len

    plain = text.plain
    if len(plain) <= width and "\n" not in plain and "\t" not in plain \
            and cell_len(plain) <= width:
        text.no_wrap = True
    return text


def _print_facets(results: SearchResults) -> None:
    """Every match counted by source, party and year (--facets)."""
    found = results.facets
    print_breakdown(found["source"], found["party"], found["year"], results.total, "--json",
                     results.without_party)


def _print_held_notes(results: SearchResults) -> None:
    """How many results hold the quoted phrases and how many only a term the lexicon relates
    to the query's words (:func:`corpus_search.search.held.how_held`, which the web's search
    page says too)."""
    from corpus_search.search.held import how_held

    for line in how_held(results):
        out.print(f"[yellow]{line}[/]")


def _show(results: SearchResults, as_json: bool,
          print_text: Callable[[SearchResults], None]) -> None:
    """The results as JSON (the reasons a page is empty among its ``notes``) or as text with
    the reasons after it; each as the command says it."""
    if as_json:
        print_json(as_said(results.to_dict()), "results")
        return
    print_text(results)
    for reason in results.why_empty:
        print_note(reason)


@click.command("list")
@indexes_option
@paging_options(100, "documents")
@click.option("--sort", type=click.Choice(["date", "oldest"]), default=["date"], **ONCE,
              show_default=True, help="date: newest first; oldest: oldest first (undated "
              "last either way).")
@facets_option
@json_option
@guarded
@filter_options
def list_cmd(index_paths: tuple[Path, ...], limit: int, page: int, sort: str,
             filters: SearchFilters, facets: bool, as_json: bool) -> None:
    """List the documents (ids, dates, titles) the filters keep, newest first (or oldest
    first), undated last."""
    with open_for_search(index_paths) as ix:
        results = ix.list_documents(filters, limit=limit, page=page, sort=sort)
        _show(results, as_json, functools.partial(_print_listing, facets=facets))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _print_listing(results: SearchResults, facets: bool = False) -> None:
    """One line a document: id, date (or dashes), title; ids padded to line up."""
    if not results.hits:
        if not results.total:
            out.print("No documents.")
        print_undated_note(results.undated_left_out)
        return
    first = (results.page - 1) * results.limit + 1
    out.print(f"[dim]{_count(results.total, 'document')}, showing "
              f"{first}-{first + len(results.hits) - 1}"
              f" (page {results.page} of {results.pages})[/]")
    print_undated_note(results.undated_left_out)
    if facets:
        _print_facets(results)
        out.print()
    width = max(len(safe(hit.id)) for hit in results.hits)
    for hit in results.hits:
        shown = listed_date(hit.shown_date)
        out.print(f"{safe(hit.id):<{width}}  [green]{shown}[/]  {shown_title(hit.title)}")


@click.command("show")
@doc_id_argument
@indexes_option
@click.option("--mark", metavar="QUERY", **ONCE,
              help="Mark the places of QUERY in the text, as concordance finds them (--json: "
                   "their character spans, as places).")
@click.option("--match-case", is_flag=True,
              help="With --mark: mark QUERY's words as written, in the case typed, as "
                   "concordance --match-case finds them (May the name, not the verb may).")
@click.option("--cite", "cite_it", is_flag=True,
              help="Print its reference instead (title, source, date, address, id, file), to "
                   "go under a quotation (--json: the citation's fields).")
@click.option("--at", type=int, metavar="N", **ONCE,
              help="With --cite: quote the paragraph holding character N of its text (a "
                   "place's start, as concordance --json gives it) above the reference.")
@json_option
@guarded
def show_cmd(doc_id: str, index_paths: tuple[Path, ...], mark: str | None, match_case: bool,
             cite_it: bool, at: int | None, as_json: bool) -> None:
    """Print the document with id DOC_ID (--json: the fields of a search hit, file and body;
    --cite: how to cite it)."""
    if at is not None and not cite_it:
        raise click.UsageError("--at N quotes a paragraph with its reference: give --cite too.")
    if match_case and mark is None:
        raise click.UsageError("--match-case is how --mark reads its QUERY: give --mark too.")
    if cite_it and mark is not None:
        raise click.UsageError("--cite prints a reference, not the text to mark: give --mark "
                               "or --cite, not both.")
    with open_for_search(index_paths) as ix:
        record = ix.describe(doc_id)
        if record is None:
            _no_document(ix.unknown_id(doc_id), index_paths)
        # (a text quoted or cited from the index where the file says otherwise now)
        if note := ix.file_note(doc_id):
            err.print(f"[yellow]note[/] {safe(note)}", soft_wrap=True)
        from corpus_search.boilerplate_removed import removed_lines, removed_note

        if note := removed_note(removed_lines(ix, doc_id, record["body"])):  # (the file's more)
            err.print(f"[yellow]note[/] {safe(note)}", soft_wrap=True)
        if cite_it:
            citation = ix.cite(doc_id, at)
            if as_json:
                print_json(citation.to_dict(), "citation")
            else:
                out.print(safe(citation.text), soft_wrap=True)
            return
        marks = (ix.marks(mark, record["body"], match_case=match_case) if mark is not None
                 else None)
    places = marks.places if marks is not None else None
    if as_json:
        print_json(record if places is None else {**record, "places": places}, "document")
        return
    out.print(f"[bold]{shown_title(record['title'])}[/]")
    meta = [f"id: {record['id']}"]
    if record["shown_date"]:
        from corpus_search.ingest.shown_dates import DATE_ORIGINS  # (--help imports no ingest)

        origin = DATE_ORIGINS.get(record["date_source"] or "user")  # (as the web page says it)
        meta.append(f"date: {record['shown_date']}" + (f" ({origin})" if origin else ""))
    for key in ("source", "parties", "url", "path" if record["path"] else "file"):
        value = record[key]  # (the full path, named as --json names it; --cite's is "file")
        if value:
            meta.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    out.print(f"[dim]{safe(' · '.join(meta))}[/]\n")
    if marks is None:
        out.print(safe(record["body"]))
        return
    shown = _count(len(marks.places), "place") if marks.places else "No place"
    err.print(f"[dim]{shown} of [/][bold]{safe(marks.query)}[/][dim] marked in its text[/]")
    if marks.suggestion:  # (as search would read it: a word no document holds, corrected)
        err.print(f"Did you mean: [bold]--mark {safe(shlex.quote(marks.suggestion))}[/]?")
    if marks.not_found:
        from corpus_search.terminal import not_found_line

        err.print(f"[yellow]{safe(not_found_line(marks.not_found, marks.partly_found))}[/]")
    out.print(_marked(record["body"], marks.places))


def _marked(text: str, places: Sequence[tuple[int, int]]) -> Any:
    """``text`` with ``places`` (character spans, in order) in bold yellow, as a search's
    snippets mark their matches; without styles when the output is not a terminal."""
    from rich.text import Text

    marked, at = Text(), 0
    for start, end in places:
        marked.append(strip_unprintable(text[at:start]))
        marked.append(strip_unprintable(text[start:end]), style="bold yellow")
        at = end
    marked.append(strip_unprintable(text[at:]))
    return marked


@click.command("similar")
@doc_id_argument
@indexes_option
@paging_options(10, "results")
@sort_option
@facets_option
@json_option
@guarded
@filter_options
def similar_cmd(doc_id: str, index_paths: tuple[Path, ...], limit: int, page: int,
                filters: SearchFilters, sort: str, facets: bool, as_json: bool) -> None:
    """List documents like DOC_ID, most alike first (those the filters keep: the alike from
    one party, source or period; --facets counts them all by source, party and year)."""
    with open_for_search(index_paths) as ix:
        try:
            results = ix.similar(doc_id, limit=limit, page=page, filters=filters, sort=sort)
        except DocumentNotFoundError as exc:
            _no_document(exc, index_paths)
        _show(results, as_json, functools.partial(_print_results, facets=facets, index=ix))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _no_document(exc: DocumentNotFoundError, index_paths: tuple[Path, ...]) -> None:
    """Stop with ``exc`` (no document has the id given to show or similar) and the way to
    find the document meant."""
    where = "".join(f" --index {shlex.quote(str(p))}" for p in index_paths)
    fail(f"{exc} Search for it, or list ids with: corpus-search list{where}")
