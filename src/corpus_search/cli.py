"""The ``corpus-search`` command: a thin layer over the library.

Exit codes: 0 when a search found something (or a command succeeded), 1 when a search found
nothing (or ``check`` found the index damaged or outdated), 2 for usage or input errors (bad
options, unreadable folders, damaged indexes, bad queries, a write the system refused).
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from corpus_search import __version__
from corpus_search.analysis import political_analyzer
from corpus_search.check import CheckReport, check_index
from corpus_search.documents import bundled_seeds_path
from corpus_search.errors import CorpusSearchError, IndexVersionError
from corpus_search.index import (
    META_FILENAME,
    CorpusIndex,
    IndexReport,
    ProgressCallback,
    check_sources,
    default_index_path,
    rebuild_index,
    remove_index,
)
from corpus_search.lexicon import load_lexicon
from corpus_search.search import SearchFilters, SearchResults

EXIT_OK, EXIT_NO_RESULTS, EXIT_ERROR = 0, 1, 2

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


#: control characters (terminal escape sequences) and bidirectional overrides: a document must
#: not be able to retitle, clear or reorder the user's terminal
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _safe(text: object) -> str:
    """Text from a document or file name, made inert for printing with rich."""
    return escape(_UNPRINTABLE.sub("", str(text)))


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {_safe(message)}", soft_wrap=True)  # one line, unwrapped
    sys.exit(EXIT_ERROR)


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors into a one-line message and exit code 2."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CorpusSearchError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            err.print("interrupted")
            sys.exit(130)

    return wrapper


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


index_option = click.option(
    "--index",
    "index_path",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CORPUS_SEARCH_INDEX",
    help="Index folder (default: the user data folder; env CORPUS_SEARCH_INDEX).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="corpus-search")
def cli() -> None:
    """Search British political text: index folders of articles, then search them."""


# -- index ----------------------------------------------------------------------------------


@cli.command("index")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@click.option("--id-prefix", default="", help="Prefix for these documents' ids (e.g. seeds/).")
@click.option("--rebuild", is_flag=True,
              help="Build the index again from FOLDERS beside the old one, which stays "
                   "searchable until the new one is committed.")
@click.option("--lexicon", "lexicon", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra lexicon file (repeatable); recorded in the index.")
@click.option("--no-lexicon", is_flag=True,
              help="With --rebuild: drop the extra lexicon files the index records.")
@click.option("--procs", type=click.IntRange(1, 64), help="Writer processes (default: automatic).")
@json_option
@_guarded
def index_cmd(folders: tuple[Path, ...], index_path: Path | None, id_prefix: str, rebuild: bool,
              lexicon: tuple[str, ...], no_lexicon: bool, procs: int | None,
              as_json: bool) -> None:
    """Index FOLDERS (recursively); re-running only re-indexes what changed."""
    path = index_path or default_index_path()
    if no_lexicon and (lexicon or not rebuild):
        raise click.UsageError("--no-lexicon goes with --rebuild and without --lexicon.")
    if rebuild:
        chosen = list(lexicon) if lexicon else [] if no_lexicon else None
        with _progress(f"rebuilding {path}", quiet=as_json) as progress:
            reports = rebuild_index(path, folders, id_prefix=id_prefix, lexicon=chosen,
                                    procs=procs, progress=progress)
        ix = CorpusIndex.open(path)
    else:
        check_sources(folders, path)  # every folder, before the index is created or touched
        ix = CorpusIndex(path, lexicon=list(lexicon) or None)
        reports = []
        for folder in folders:
            with _progress(f"reading {folder}", quiet=as_json) as progress:
                reports.append(ix.index_directory(folder, id_prefix=id_prefix, procs=procs,
                                                  progress=progress))
    with ix:
        if as_json:
            _print_json({"index": str(ix.path), "reports": [r.to_dict() for r in reports]})
        else:
            for report in reports:
                _print_report(report)
            err.print(f"index: {_safe(ix.path)} ({len(ix)} documents)")


@contextlib.contextmanager
def _progress(description: str, quiet: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on a terminal (its callback), else nothing."""
    if quiet or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[file]}"))
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(_safe(description), total=None, file="")

        def progress(done: int, total: int, rel: str) -> None:
            bar.update(task, completed=done, total=total, file=_safe(rel[-40:]))

        yield progress


def _print_report(report: IndexReport) -> None:
    out.print(f"[bold]{_safe(report.root)}[/]: {report.indexed} indexed, "
              f"{report.updated} updated, "
              f"{report.unchanged} unchanged, {report.deleted} deleted, "
              f"{len(report.skipped)} skipped ({report.documents} documents written "
              f"in {report.seconds:.1f} s)")
    for rel, reason in report.skipped:
        out.print(f"  [yellow]skipped[/] {_safe(rel)}: {_safe(reason)}")
    for warning in report.warnings:
        out.print(f"  [yellow]warning[/] {_safe(warning)}")


# -- search ---------------------------------------------------------------------------------


def _open_for_search(index_path: Path | None) -> CorpusIndex:
    """Open the index; with no index anywhere yet, build the default one from the seeds."""
    if index_path is not None:
        return CorpusIndex.open(index_path)
    path = default_index_path()
    seeds = bundled_seeds_path()
    try:
        return CorpusIndex.open(path)
    except IndexVersionError:
        # the automatic seeds index is ours to rebuild; an index of the user's folders is not
        if _indexed_folders(path) != [str(seeds.resolve())]:
            raise
        err.print(f"The seed index at {path} is from another version: rebuilding it.")
        remove_index(path)
    except CorpusSearchError as exc:
        if path.exists() and any(path.iterdir()):
            raise exc from None
        err.print(f"No index yet: indexing the bundled seed articles into {path} first.")
    ix = CorpusIndex(path)
    ix.index_directory(seeds)
    return ix


def _indexed_folders(path: Path) -> list[str]:
    try:
        meta = json.loads((path / META_FILENAME).read_text(encoding="utf-8"))
        return sorted(meta.get("roots", {}))
    except (OSError, ValueError, AttributeError):
        return []


@cli.command("search")
@click.argument("query")
@index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, None))
@click.option("--party", help="Only documents mentioning this party (e.g. Labour, 'Lib Dems').")
@click.option("--source", help="Only documents from this source/publisher.")
@click.option("--since", help="Only documents dated on or after (YYYY[-MM[-DD]]).")
@click.option("--until", help="Only documents dated on or before (YYYY[-MM[-DD]]).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)
@json_option
@_guarded
def search_cmd(query: str, index_path: Path | None, limit: int, page: int, party: str | None,
               source: str | None, since: str | None, until: str | None, sort: str,
               as_json: bool) -> None:
    """Search for QUERY (Whoosh syntax: AND OR NOT, "phrases", title:word, wild*, fuzzy~)."""
    filters = SearchFilters.coerce({"party": party, "source": source, "since": since,
                                    "until": until})
    with _open_for_search(index_path) as ix:
        results = ix.search(query, limit=limit, page=page, filters=filters, sort=sort)
        if as_json:
            _print_json(results.to_dict())
        else:
            _print_results(results)
    sys.exit(EXIT_OK if results.total else EXIT_NO_RESULTS)


def _print_results(results: SearchResults) -> None:
    if results.suggestion:
        out.print(f"Did you mean: [bold]{_safe(results.suggestion)}[/]?")
    if not results.total:
        out.print(f"No results for [bold]{_safe(results.query)}[/] "
                  f"(understood as: {_safe(results.parsed_query)}).")
        return
    first = (results.page - 1) * results.limit + 1
    out.print(f"[dim]{results.total} results for[/] [bold]{_safe(results.query)}[/][dim], "
              f"showing {first}-{first + len(results.hits) - 1} (page {results.page} of "
              f"{results.pages})[/]\n")
    for hit in results.hits:
        meta = " · ".join(x for x in (hit.date.isoformat() if hit.date else "", hit.source or "",
                                      ", ".join(hit.parties)) if x)
        out.print(f"[bold cyan]{hit.rank}.[/] [bold]{_safe(hit.title)}[/]  "
                  f"[dim]{_safe(hit.id)} · score {hit.score:.2f}[/]")
        if meta:
            out.print(f"   [green]{_safe(meta)}[/]")
        if hit.snippet:
            line = Text("   ")
            for n, frag in enumerate(hit.snippet.fragments):
                if n:
                    line.append(" … ", style="dim")
                for piece, matched in frag:
                    line.append(_UNPRINTABLE.sub("", re.sub(r"\s+", " ", piece)),
                                style="bold yellow" if matched else None)
            out.print(line)
        out.print()


# -- show, similar, stats, analyze ------------------------------------------------------------


@cli.command("show")
@click.argument("doc_id")
@index_option
@json_option
@_guarded
def show_cmd(doc_id: str, index_path: Path | None, as_json: bool) -> None:
    """Print the document with id DOC_ID."""
    with _open_for_search(index_path) as ix:
        fields = ix.stored_fields(doc_id)
    if fields is None:
        _fail(f"No document with id {doc_id!r}. Search for it, or list ids with --json search.")
    fields = {k: v for k, v in fields.items() if k not in ("file_sig",)}
    if as_json:
        _print_json(fields)
        return
    out.print(f"[bold]{_safe(fields.get('title', ''))}[/]")
    meta = [f"id: {fields['id']}"]
    for key in ("date", "source", "party", "url", "file"):
        if fields.get(key):
            meta.append(f"{key}: {fields[key]}")
    out.print(f"[dim]{_safe(' · '.join(str(m) for m in meta))}[/]\n")
    out.print(_safe(fields.get("body", "")))


@cli.command("similar")
@click.argument("doc_id")
@index_option
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 1000))
@json_option
@_guarded
def similar_cmd(doc_id: str, index_path: Path | None, limit: int, as_json: bool) -> None:
    """List documents like DOC_ID."""
    with _open_for_search(index_path) as ix:
        results = ix.similar(doc_id, limit=limit)
        if as_json:
            _print_json(results.to_dict())
        else:
            _print_results(results)
    sys.exit(EXIT_OK if results.total else EXIT_NO_RESULTS)


@cli.command("stats")
@index_option
@json_option
@_guarded
def stats_cmd(index_path: Path | None, as_json: bool) -> None:
    """Summarise the index: documents, size, sources, parties, years."""
    with CorpusIndex.open(index_path) as ix:
        stats = ix.stats()
    if as_json:
        _print_json(stats.to_dict())
        return
    out.print(f"[bold]{_safe(stats.path)}[/]")
    out.print(f"{stats.documents} documents from {stats.files} files, "
              f"{stats.size_bytes / 2**20:.1f} MiB; analyzer {stats.analyzer_version}, "
              f"lexicon {stats.lexicon_fingerprint[:12]}; updated {stats.last_modified}")
    for root in stats.roots:
        out.print(f"  folder: {_safe(root)}")
    for name, counts in (("source", stats.sources), ("party", stats.parties),
                         ("year", stats.years)):
        if counts:
            table = Table(title=f"by {name}", show_header=False, box=None, padding=(0, 2))
            for key, count in list(counts.items())[:15]:
                table.add_row(_safe(key), str(count))
            out.print(table)


@cli.command("check")
@index_option
@json_option
@_guarded
def check_cmd(index_path: Path | None, as_json: bool) -> None:
    """Check the index for damage (reads every segment, changes nothing). Exit 0 healthy,
    1 damaged or built by another version."""
    report = check_index(index_path)
    if as_json:
        _print_json(report.to_dict())
    else:
        _print_check(report)
    sys.exit(EXIT_OK if report.healthy else EXIT_NO_RESULTS)


def _print_check(report: CheckReport) -> None:
    colour = {"healthy": "green", "damaged": "bold red", "outdated": "yellow"}[report.status]
    out.print(f"[bold]{_safe(report.path)}[/]: [{colour}]{report.status}[/] "
              f"(generation {report.generation}, {report.documents} documents, "
              f"{len(report.segments)} segments)", soft_wrap=True)
    for seg in report.segments:
        state = "ok" if not seg.problems else f"{len(seg.problems) + seg.unlisted_problems} " \
                                              "problems"
        out.print(f"  segment {_safe(seg.name)}: {seg.documents} documents, {seg.deleted} "
                  f"deleted, {seg.terms} terms, {seg.postings} postings: {state}", soft_wrap=True)
    for problem in report.all_problems():
        out.print(f"  [red]problem[/] {_safe(problem)}", soft_wrap=True)
    for note in report.notes:
        out.print(f"  [yellow]note[/] {_safe(note)}", soft_wrap=True)
    for line in report.recoverable:
        out.print(f"  recoverable: {_safe(line)}", soft_wrap=True)
    if not report.healthy:
        out.print(f"  rebuild with: {_safe(report.rebuild_command)}", soft_wrap=True)


@cli.command("analyze")
@click.argument("text")
@click.option("--mode", type=click.Choice(["index", "query"]), default="index", show_default=True,
              help="Analyze as a document is indexed, or as a query is read.")
@click.option("--lexicon", "lexicon", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra lexicon file (repeatable).")
@json_option
@_guarded
def analyze_cmd(text: str, mode: str, lexicon: tuple[str, ...], as_json: bool) -> None:
    """Show the tokens the analyzer makes of TEXT, expansions included."""
    analyzer = political_analyzer(load_lexicon(list(lexicon) or None))
    tokens = [
        {"pos": t.pos, "text": t.text, "source": text[t.startchar:t.endchar],
         "start": t.startchar, "end": t.endchar, "expansion": bool(getattr(t, "expansion", False))}
        for t in analyzer(text, mode=mode, positions=True, chars=True)
    ]
    if as_json:
        _print_json(tokens)
        return
    table = Table("pos", "token", "from text", "kind")
    for tok in tokens:
        table.add_row(str(tok["pos"]), _safe(tok["text"]), _safe(tok["source"]),
                      "[magenta]expansion[/]" if tok["expansion"] else "word")
    out.print(table)


@cli.command("eval")
@click.argument("corpus_dirs", nargs=-1, required=True, metavar="[PREFIX=]DIR...")
@click.option("--topics", required=True, type=click.Path(dir_okay=False, exists=True),
              help="Topics TSV: qid, query, category, narrative.")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False, exists=True),
              help="Judgments in TREC qrels format.")
@click.option("--engine", "engines", multiple=True,
              help="Engine to run (repeatable): corpus_search, whoosh, tantivy, sqlite_fts5, "
                   "bm25s. Default: all that are installed.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a markdown report here (e.g. docs/relevance.md).")
@json_option
@_guarded
def eval_cmd(corpus_dirs: tuple[str, ...], topics: str, qrels: str, engines: tuple[str, ...],
             report_path: Path | None, as_json: bool) -> None:
    """Measure ranking quality (nDCG@10, RR@10, R@100) against judged topics, per engine."""
    from corpus_search.evaluation import evaluate, format_table, write_markdown_report

    report = evaluate(list(corpus_dirs), topics, qrels, engines=list(engines) or None,
                      progress=lambda message: err.print(_safe(message), style="dim"))
    click.echo(report.to_json() if as_json else format_table(report))
    if report_path:
        command = "corpus-search eval " + " ".join(sys.argv[2:])
        write_markdown_report(report, report_path, command=command)
        err.print(f"report written to {report_path}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="corpus-search")


if __name__ == "__main__":
    main()
