"""The commands about an index or the tool rather than a query's results: web, stats, check,
analyze and eval."""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    NeedsExtra,
    index_option,
    indexes_option,
    json_option,
    one_index,
)
from corpus_search.cli.output import (
    err,
    fail,
    guarded,
    one_line,
    out,
    print_json,
    print_table,
    safe,
)
from corpus_search.cli.printing import STATS_SHOWN, print_breakdown
from corpus_search.errors import (
    EXIT_NO_RESULTS,
    EXIT_OK,
    IndexVersionError,
    MissingExtraError,
    command_message,
    install_extra,
)
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    from corpus_search.index import IndexStats
    from corpus_search.store.check import CheckReport


def _web_extra_missing() -> str | None:
    """Why ``web`` cannot run in this install (Flask, the web extra, missing), or ``None``."""
    try:
        import corpus_search.web  # noqa: F401
    except ImportError as exc:
        return (f"corpus-search web needs the web extra ({exc.name or exc} is not installed):"
                f" {install_extra('web')}")
    return None


@click.command("web", cls=NeedsExtra, missing_extra=_web_extra_missing)
@indexes_option
@click.option("--host", default=["127.0.0.1"], show_default=True, **ONCE,
              help="The address to listen on (the default: this computer only).")
@click.option("--port", default=[8000], show_default=True, type=click.IntRange(0, 65535), **ONCE,
              help="The port to listen on (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your browser.")
@guarded
def web_cmd(index_paths: tuple[Path, ...], host: str, port: int, open_browser: bool) -> None:
    """Serve a local web page to search the index, read its documents, see every place a
    query matches, count them and list their key terms (the web extra: pip install '.[web]'
    in a source checkout, pip install 'corpus-search[web]' from a package index)."""
    if (missing := _web_extra_missing()) is not None:
        raise MissingExtraError(missing)
    from corpus_search.web import create_app, make_server, open_to_others, serve_until_stopped

    with open_for_search(index_paths) as ix:
        try:
            server = make_server(create_app(ix), host, port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            # (it said only "Address already in use": not which, nor what to do)
            fail(f"Port {port} of {host} is in use (another corpus-search web?): choose "
                  "another with --port, or --port 0 for any free one.")
        with server:
            url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}/"
            err.print(f"Serving {safe(ix.path)} at {url} (Ctrl-C stops it)")
            if exposed := open_to_others(host):
                err.print(f"[yellow]note[/] {safe(exposed)}", soft_wrap=True)
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            serve_until_stopped(server)  # (Ctrl-C or kill's SIGTERM: the index closed)
            err.print("stopped")


@click.command("stats")
@indexes_option
@click.option("--all", "show_all", is_flag=True,
              help=f"List every source and party (default: the {STATS_SHOWN} most frequent).")
@json_option
@guarded
def stats_cmd(index_paths: tuple[Path, ...], show_all: bool, as_json: bool) -> None:
    """Summarise the index: documents, files and folders, size, sources, parties, years
    (several --index: each in turn; --json: a list). An index to rebuild for this version
    is described as it was built, with the command that rebuilds it."""
    try:
        with open_for_search(index_paths) as ix:
            stats = ix.stats()
    except IndexVersionError as exc:
        stats = _stats_as_built(exc, index_paths)
    if as_json:
        print_json([_stats_dict(s) for s in stats] if isinstance(stats, list)
                    else _stats_dict(stats), "stats")
        return
    for n, one in enumerate(stats if isinstance(stats, list) else [stats]):
        if n:
            out.print()
        _print_stats(one, show_all)


def _stats_as_built(exc: IndexVersionError, index_paths: tuple[Path, ...]) -> IndexStats:
    """What ``stats`` says of the one index ``exc`` refused as built by another analyzer or
    lexicon version: its stats as built, read without writing, the refusal their first note;
    else (several indexes, another index format, ...) the refusal itself."""
    from corpus_search.store.stats import stats_as_built

    stats = stats_as_built(Path(exc.path)) if len(set(index_paths)) <= 1 and exc.path else None
    if stats is None:
        raise exc
    return stats


def _stats_dict(stats: IndexStats) -> dict[str, Any]:
    """``stats --json`` of one index: its fields, the notes as the command says them (the
    command lines, where the library's name :func:`corpus_search.rebuild_index` calls)."""
    return {**stats.to_dict(), "notes": [command_message(note) for note in stats.notes]}


def _print_stats(stats: IndexStats, show_all: bool) -> None:
    out.print(f"[bold]{safe(stats.path)}[/]")
    out.print(f"{_count(stats.documents, 'document')} from {_count(stats.files, 'file')}, "
              f"{stats.size_bytes / 2**20:.1f} MiB; analyzer {stats.analyzer_version}, "
              f"lexicon {stats.lexicon_fingerprint[:12]}; updated {stats.last_modified}")
    for root in stats.roots:
        counts = stats.folders.get(root, {})
        out.print(f"  folder: {safe(root)} ({_count(counts.get('documents', 0), 'document')} "
                  f"from {_count(counts.get('files', 0), 'file')})")
    for file in stats.lexicon_files:  # (the vocabulary searches read it with)
        out.print(f"  lexicon file: {safe(file)}")
    for note in map(command_message, stats.notes):
        out.print(f"  [yellow]note[/] {safe(note)}", soft_wrap=True)
    print_breakdown(stats.sources, stats.parties, stats.years, stats.documents,
                     None if show_all else "--all", stats.without_party)


@click.command("check")
@index_option
@json_option
@guarded
def check_cmd(index_paths: tuple[Path, ...], as_json: bool) -> None:
    """Check the index for damage (reads every segment, changes nothing). Exit 0 healthy,
    1 damaged or built by another version, 2 no index there."""
    from corpus_search.store.check import check_index

    report = check_index(one_index(index_paths, "check"))
    if as_json:
        print_json(_check_dict(report), "check")
    else:
        _print_check(report)
    sys.exit(EXIT_OK if report.healthy else EXIT_NO_RESULTS)


def _check_dict(report: CheckReport) -> dict[str, Any]:
    """``check --json``: the report's fields, its notes and what is recoverable as the
    command says them (its command lines, where the library's name its functions)."""
    return {**report.to_dict(), "notes": [command_message(n) for n in report.notes],
            "recoverable": [command_message(line) for line in report.recoverable]}


def _print_check(report: CheckReport) -> None:
    colour = {"healthy": "green", "damaged": "bold red", "outdated": "yellow"}[report.status]
    out.print(f"[bold]{safe(report.path)}[/]: [{colour}]{report.status}[/] "
              f"(generation {report.generation}, {_count(report.documents, 'document')}, "
              f"{_count(len(report.segments), 'segment')})", soft_wrap=True)
    for seg in report.segments:
        state = "ok" if not seg.problems else f"{len(seg.problems) + seg.unlisted_problems} " \
                                              "problems"
        out.print(f"  segment {safe(seg.name)}: {_count(seg.documents, 'document')}, "
                  f"{seg.deleted} deleted, {_count(seg.terms, 'term')}, "
                  f"{_count(seg.postings, 'posting')}: {state}", soft_wrap=True)
    for problem in report.all_problems():
        out.print(f"  [red]problem[/] {safe(problem)}", soft_wrap=True)
    for note in map(command_message, report.notes):
        out.print(f"  [yellow]note[/] {safe(note)}", soft_wrap=True)
    for line in map(command_message, report.recoverable):
        out.print(f"  recoverable: {safe(line)}", soft_wrap=True)
    if not report.healthy:
        out.print(f"  rebuild with: {safe(report.rebuild_command)}", soft_wrap=True)


@click.command("analyze")
@click.argument("text")
@click.option("--mode", type=click.Choice(["index", "query"]), default=["index"], show_default=True,
              **ONCE,
              help="Analyze as a document is indexed, or as a query is read.")
@click.option("--lexicon", "lexicon", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra lexicon file (repeatable); default: those the index was built with.")
@index_option
@json_option
@guarded
def analyze_cmd(text: str, mode: str, lexicon: tuple[str, ...], index_paths: tuple[Path, ...],
                as_json: bool) -> None:
    """Show the tokens the analyzer makes of TEXT, expansions included, with the lexicon
    files of the index searches read (--index, else your index) unless --lexicon names
    others."""
    from rich.table import Table

    from corpus_search.analysis.analyzer import political_analyzer
    from corpus_search.analysis.lexicon import load_lexicon
    from corpus_search.errors import IndexNotFoundError
    from corpus_search.store.files import holds_index
    from corpus_search.store.generations import default_index_path
    from corpus_search.store.meta import recorded_lexicon_files

    files = list(lexicon)
    path = one_index(index_paths, "analyze") or default_index_path()
    if not files and index_paths and not holds_index(path):
        raise IndexNotFoundError(f"No corpus_search index at {path}, whose lexicon files "
                                 "analyze would read.", path)
    if not files:
        files = recorded_lexicon_files(path)
        if files:
            err.print(f"with the lexicon files the index at {safe(path)} was built with: "
                      f"{safe(', '.join(files))} (--lexicon names others)")
    analyzer = political_analyzer(load_lexicon(files or None))
    tokens = [
        {"pos": t.pos, "text": t.text, "source": text[t.startchar:t.endchar],
         "start": t.startchar, "end": t.endchar, "expansion": bool(getattr(t, "expansion", False))}
        for t in analyzer(text, mode=mode, positions=True, chars=True)
    ]
    if as_json:
        print_json({"text": text, "mode": mode, "tokens": tokens}, "tokens")
        return
    if not tokens:  # rather than a table with no rows
        shown = one_line(text)
        out.print("No tokens: the text is empty." if not shown else
                  f"No tokens: '{safe(shown)}' holds no word that is indexed (stop words such "
                  "as 'the' and 'of', symbols and punctuation are not).")
        return
    table = Table("pos", "token", "from text", "kind")
    for tok in tokens:
        table.add_row(str(tok["pos"]), safe(tok["text"]), safe(tok["source"]),
                      "[magenta]expansion[/]" if tok["expansion"] else "word")
    print_table(table)


def _eval_extra_missing() -> str | None:
    """Why ``eval`` cannot run in this install (the eval extra missing), or ``None``."""
    try:  # imported here: the base install has no evaluation dependencies
        import corpus_search.evaluation.report
        import corpus_search.evaluation.run  # noqa: F401
    except ModuleNotFoundError as exc:
        return (f"corpus-search eval needs the eval extra ({exc.name} is not installed): "
                f"{install_extra('eval')}")
    return None


@click.command("eval", cls=NeedsExtra, missing_extra=_eval_extra_missing)
@click.argument("corpus_dirs", nargs=-1, required=True, metavar="[PREFIX=]DIR...")
@click.option("--topics", required=True, type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Topics TSV: qid, query, category, narrative.")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Judgments in TREC qrels format.")
@click.option("--engine", "engines", multiple=True,
              help="Engine to run (repeatable): corpus_search, whoosh, tantivy, sqlite_fts5, "
                   "bm25s. Default: all that are installed.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), **ONCE,
              help="Also write a markdown report here (e.g. relevance.md).")
@click.option("--cross-validate", "cross_validation", is_flag=True,
              help="Also choose corpus_search's ranking parameters by k-fold cross-validation "
                   "and report the held-out and in-sample scores (a few minutes).")
@click.option("--folds", default=[6], show_default=True, type=click.IntRange(2, None), **ONCE,
              help="Folds of the cross-validation.")
@click.option("--party-tags", "party_tags", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), **ONCE,
              help="Documents labelled with their parties (TSV: id, the tags given, the "
                   "correct tags, '|' between parties; the repository's "
                   "tests/data/party_tags.tsv is one): the report's 'Party tags' section "
                   "measures the party facet on them.")
@click.option("--dev-topics", type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Topics of a held-out collection of your own over the same documents "
                   "(as --topics; the repository's eval/dev/topics.tsv is one), shown in the "
                   "tables and the report's section of its own (not in --json) and never "
                   "used by the cross-validation.")
@click.option("--dev-qrels", type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Judgments of the held-out collection (with --dev-topics).")
@json_option
@guarded
def eval_cmd(corpus_dirs: tuple[str, ...], topics: str, qrels: str, engines: tuple[str, ...],
             report_path: Path | None, cross_validation: bool, folds: int,
             party_tags: Path | None, dev_topics: str | None, dev_qrels: str | None,
             as_json: bool) -> None:
    """Measure ranking quality (nDCG@10, RR@10, R@100) against judged topics, per engine.

    Needs the eval extra: pip install '.[eval]' in a source checkout
    (pip install 'corpus-search[eval]' from a package index)."""
    missing = _eval_extra_missing()
    if missing is not None:
        fail(missing)
    from corpus_search.evaluation.report import (
        format_table,
        measure_party_tags,
        write_markdown_report,
    )
    from corpus_search.evaluation.run import evaluate

    if bool(dev_topics) != bool(dev_qrels):
        fail("--dev-topics and --dev-qrels go together: give both or neither.")

    tags = None
    if party_tags:  # measured first: a bad labels file fails before the long run
        try:
            tags = measure_party_tags(party_tags, corpus_dirs)
        except ValueError as exc:
            fail(str(exc))

    def progress(message: str) -> None:
        err.print(safe(message), style="dim")

    report = evaluate(list(corpus_dirs), topics, qrels, engines=list(engines) or None,
                      progress=progress, cross_validation=cross_validation, folds=folds)
    dev = None
    if dev_topics and dev_qrels:
        dev = evaluate(list(corpus_dirs), dev_topics, dev_qrels, engines=list(engines) or None,
                       progress=progress)
    click.echo(report.to_json() if as_json else format_table(report))
    if dev is not None and not as_json:
        click.echo(f"\nheld-out collection ({dev_topics})\n{format_table(dev)}")
    if report_path:
        command = "corpus-search eval " + " ".join(sys.argv[2:])
        write_markdown_report(report, report_path, command=command, party_tags=tags,
                              dev_report=dev)
        err.print(f"report written to {safe(report_path)}")
