"""``corpus-search index``: index folders, with a progress bar and each folder's report."""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from corpus_search.cli.options import index_option, joined_values, json_option, one_index
from corpus_search.cli.output import err, fail, guarded, out, print_json, safe
from corpus_search.errors import EXIT_INTERRUPTED, EXIT_NO_RESULTS, EXIT_OK, command_message
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    from corpus_search.ingesting import IndexReport, ProgressCallback


@click.command("index")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--id-prefix", **ONCE,
              help="Prefix for these folders' ids (e.g. news/); remembered for each folder, a "
                   "new one renames its documents ('' removes it).")
@click.option("--rebuild", is_flag=True,
              help="Build the index again from FOLDERS (none: the folders it records) beside "
                   "the old one, which stays searchable until the new one is committed.")
@click.option("--lexicon", "lexicon", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra lexicon file (repeatable); recorded in the index.")
@click.option("--no-lexicon", is_flag=True,
              help="With --rebuild: drop the extra lexicon files the index records.")
@click.option("--procs", type=click.IntRange(1, 64), **ONCE,  # (ingest.arguments.MAX_PROCS)
              help="Writer processes (default: automatic).")
@click.option("--dates", "dates_file", type=click.Path(dir_okay=False), **ONCE,
              help="CSV/TSV file with a date column and an id or path column: these documents' "
                   "dates ('' stops using it).")
@click.option("--date-from-path", "date_pattern", metavar="PATTERN", **ONCE,
              help="Dates in file or folder names, e.g. '%Y/%m/%d' or '%Y%m%d' ('' stops).")
@click.option("--date-from", "date_from", metavar="SOURCES", **ONCE,
              help="Guesses allowed when a document states no date, in order: dateline, path, "
                   "mtime, or none (default: dateline,path).")
@click.option("--no-date-guess", is_flag=True, help="Same as --date-from none.")
@click.option("--source", "source", metavar="PUBLISHER", **ONCE,
              help="Publisher of these folders' documents that name none themselves (e.g. 'The "
                   "Guardian'), instead of the one their text suggests ('' stops).")
@click.option("--columns", "columns", metavar="FIELD=COL,...", multiple=True,
              callback=joined_values,
              help="The CSV columns (JSON Lines fields) that hold text, title, date, source, "
                   "id or url, e.g. 'text=content,title=headline,date=published' (or repeated; "
                   "'' stops); a "
                   "field not mapped is read from its own column, the text from body, else "
                   "text.")
@json_option
@guarded
def index_cmd(folders: tuple[Path, ...], index_paths: tuple[Path, ...], id_prefix: str | None,
              rebuild: bool, lexicon: tuple[str, ...], no_lexicon: bool, procs: int | None,
              dates_file: str | None, date_pattern: str | None, date_from: str | None,
              no_date_guess: bool, source: str | None, columns: str | None,
              as_json: bool) -> None:
    """Index FOLDERS (recursively); re-running only re-indexes what changed.

    Date options, --id-prefix, --source and --columns are remembered for each folder and
    used again by later runs (--rebuild included; --rebuild with no FOLDERS rebuilds from
    the folders the index records)."""
    from corpus_search.index import CorpusIndex, rebuild_index
    from corpus_search.ingest.folders import check_sources
    from corpus_search.moving import unnamed_folders
    from corpus_search.store.generations import default_index_path
    from corpus_search.store.meta import current_meta, recorded_folders, update_command
    from corpus_search.store.stats import unnamed_folders_note

    path = one_index(index_paths, "index") or default_index_path()
    if not folders and not rebuild:
        # (an index given no folder, to bring up to date after editing files, got no word of
        # the command that does)
        held = recorded_folders(path)
        update = (f" To bring the folders this index records up to date: "
                  f"{update_command(path, map(str, held))}" if held else "")
        raise click.UsageError("Missing argument 'FOLDERS...': the folders to index (with "
                               f"--rebuild, none means the folders the index records).{update}")
    if no_lexicon and (lexicon or not rebuild):
        raise click.UsageError("--no-lexicon goes with --rebuild and without --lexicon.")
    _no_files_to_index(folders, path)
    if no_date_guess:
        date_from = "none"
    folder_options = {"dates": dates_file, "date_from_path": date_pattern,
                      "date_from": date_from, "source": source, "columns": columns}
    dropped: list[str] = []  # (the notes on the folders a rebuild left out)
    if rebuild:
        chosen = list(lexicon) if lexicon else [] if no_lexicon else None
        # (no FOLDERS: rebuild_index rebuilds from those the index records)
        unnamed, before = unnamed_folders(path, folders), current_meta(path.expanduser())
        with _index_interrupted(path, rebuild=True), \
                _progress(", ".join(map(str, folders or recorded_folders(path))),
                          quiet=as_json) as progress:
            reports = rebuild_index(path, folders, id_prefix=id_prefix, lexicon=chosen,
                                    procs=procs, progress=progress, **folder_options)
        if unnamed:  # (a folder moved to one named is not among them: taken up there)
            dropped.append(unnamed_folders_note(path, unnamed, before))
        ix = CorpusIndex.open(path)
    else:
        # every folder, before the index is created or touched; each once (a folder named
        # twice, or by a link, was read and reported twice)
        folders = tuple(check_sources(folders, path, held=recorded_folders(path)))
        # made only for a document to write: a mistyped or empty folder leaves no index
        ix = CorpusIndex(path, lexicon=list(lexicon) or None, create="on_write")
        reports = []
        for folder in folders:
            with _index_interrupted(path, made=ix.exists, done=folders[:len(reports)],
                                    folder=folder), \
                    _progress(str(folder), quiet=as_json) as progress:
                reports.append(ix.index_directory(folder, id_prefix=id_prefix, procs=procs,
                                                  progress=progress, **folder_options))
        if not ix.exists:  # nothing to index, so no index was made
            _print_reports(reports, str(path), None, as_json)
            sys.exit(EXIT_NO_RESULTS)
    with ix:
        _print_reports(reports, str(ix.path), len(ix), as_json, _searched_with(path),
                       [*dropped, *ix.notes()])
    # a folder with no file to read is most likely the wrong folder, and one whose every file
    # was skipped gave nothing: say so in the exit code (all unchanged is success)
    sys.exit(EXIT_OK if all(r.files > len(r.skipped) for r in reports) else EXIT_NO_RESULTS)


def _no_files_to_index(folders: Sequence[Path], path: Path) -> None:
    """Stop, in one line with the command that indexes their folder, if some of ``folders``
    are files: ``corpus-search index articles/*.txt`` (the shell's list of files) named the
    first file alone, "index the folder that holds it", and no command."""
    from corpus_search.store.meta import recorded_folders, update_command

    files = [f for f in folders if f.expanduser().is_file()]
    if not files:
        return
    held = recorded_folders(path)
    # (a file of a folder the index holds is taken up by indexing that folder again: naming
    # the file's own folder, inside it, would be refused as indexing its files twice)
    holding = dict.fromkeys(
        str(next((h for h in held if h == parent or h in parent.parents), parent))
        for parent in (f.expanduser().resolve().parent for f in files)
    )
    more = f" (and {_count(len(files) - 1, 'more file')})" if len(files) > 1 else ""
    them = "them" if len(files) > 1 else "it"
    which = "the folder that holds" if len(holding) == 1 else "the folders that hold"
    fail(f"{files[0]} is a file{more}, not a folder: corpus-search index reads every file of a "
          f"folder, so index {which} {them}: {update_command(path, holding)}")


@contextlib.contextmanager
def _index_interrupted(path: Path, rebuild: bool = False, made: bool = True,
                       done: Sequence[Path] = (), folder: Path | None = None) -> Iterator[None]:
    """Ctrl-C while indexing ``folder`` (or rebuilding) into the index at ``path``: one line
    saying what the index holds now (``made``: it existed before; ``done``: the folders of
    the command indexed and committed before), and exit 130. A bare "interrupted" left a
    user to wonder whether the index was damaged or half written: a run of a folder is
    committed whole or not at all, and a rebuild replaces the index only when complete."""
    try:
        yield
    except KeyboardInterrupt:
        where = safe(str(path))
        if rebuild:
            state = (f"the rebuild stopped before it replaced the index, so the index at {where} "
                     "is as it was")
        elif not made:
            state = f"nothing was indexed, so no index was made at {where}"
        elif done:
            state = (f"the index at {where} holds what this run indexed of "
                     f"{', '.join(safe(str(d)) for d in done)}, and of "
                     f"{safe(str(folder))} what it held before")
        else:
            state = f"the index at {where} is as it was before this run"
        err.print(f"interrupted: {state}; run the same command again to finish.")
        sys.exit(EXIT_INTERRUPTED)


def _searched_with(path: Path) -> str:
    """How to search the index at ``path``: nothing to add when a search without --index
    opens it (the default index, or the one CORPUS_SEARCH_INDEX names), else the --index
    option; a search without it opened the demo index, or another index, instead."""
    from corpus_search.store.generations import default_index_path

    source = click.get_current_context().get_parameter_source("index_paths")
    opened = [default_index_path(), *map(Path, filter(None, os.environ.get(
        "CORPUS_SEARCH_INDEX", "").split(os.pathsep)))]
    if (source is not click.core.ParameterSource.COMMANDLINE
            or path.resolve() in {p.expanduser().resolve() for p in opened}):
        return ""
    return f"; search it with --index {shlex.quote(str(path))}"


def _print_reports(reports: list[IndexReport], path: str, documents: int | None,
                   as_json: bool, searched_with: str = "", notes: Sequence[str] = ()) -> None:
    """Each folder's report and the ``notes`` on the whole index, then the index and how
    many documents it holds (``None``: no index was made, as nothing was indexed) and
    ``searched_with`` (see :func:`_searched_with`). Each note as the command says it
    (:func:`command_message`: indexing imports no part of searching)."""
    notes = [command_message(note) for note in notes]
    if as_json:
        print_json({"index": path, "reports": [r.to_dict() for r in reports],
                     "notes": notes}, "index")
        return
    for report in reports:
        _print_report(report)
    for note in notes:
        out.print(f"  [yellow]note[/] {safe(note)}")
    if documents is None:
        err.print(f"index: nothing indexed, so no index was made at {safe(path)}")
    else:
        err.print(f"index: {safe(path)} ({_count(documents, 'document')}){safe(searched_with)}")


@contextlib.contextmanager
def _progress(folder: str, quiet: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on a terminal (its callback), else nothing. It names the phase:
    reading files, writing documents (analysing them into segments), committing."""
    if quiet or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
               TextColumn("{task.fields[item]}"))
    console = err.made()  # type: ignore[attr-defined]  # the Console itself, for rich's Live
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"reading {safe(folder)}", total=None, count="", item="")
        shown = ["reading"]

        def progress(phase: str, done: int, total: int, item: str) -> None:
            bar.update(task, description=f"{phase} {safe(folder)}", completed=done,
                       total=total or None, count=f"{done}/{total}" if total else "",
                       item=safe(item[-40:]))
            if phase != shown[-1]:  # show each phase, however short
                shown.append(phase)
                bar.refresh()

        yield progress


def _print_report(report: IndexReport) -> None:
    kept = f"{report.kept} kept, " if report.kept else ""
    touched = f" ({report.touched} touched, same content)" if report.touched else ""
    out.print(f"[bold]{safe(report.root)}[/]: {report.indexed} indexed, "
              f"{report.updated} updated, "
              f"{f'{report.reread} re-read, ' if report.reread else ''}"
              f"{f'{report.moved} moved, ' if report.moved else ''}"
              f"{report.unchanged} unchanged{touched}, {report.deleted} deleted, {kept}"
              f"{len(report.skipped)} skipped ({_count(report.documents, 'document')} written "
              f"in {report.seconds:.1f} s)")
    for line in report.kept_lines:
        out.print(f"  [yellow]kept[/] {safe(line.removeprefix('kept '))}")
    for line in report.dropped_lines:
        out.print(f"  [yellow]dropped[/] {safe(line.removeprefix('dropped '))}")
    for rel, reason in report.skipped:
        out.print(f"  [yellow]skipped[/] {safe(rel)}: {safe(reason)}")
    for warning in report.warnings:
        out.print(f"  [yellow]warning[/] {safe(warning)}")
    for warning in report.earlier_warnings:
        out.print(f"  [yellow]warning[/] {safe(warning)} [dim](from an earlier run; unchanged "
                  "since)[/]")
    for note in (report.moved_note, report.other_files_note, report.reread_note,
                 report.measured_note, report.carried_note, report.boilerplate_note):
        if note:
            out.print(f"  [yellow]note[/] {safe(note)}")
    if report.duplicates:
        shown = ", ".join(f"{copy} = {first}" for copy, first in report.duplicates[:3])
        more = f" and {len(report.duplicates) - 3} more" if len(report.duplicates) > 3 else ""
        out.print(f"  [yellow]note[/] {_count(len(report.duplicates), 'document')} repeat"
                  f"{'s' if len(report.duplicates) == 1 else ''} the text of another word for "
                  f"word, both indexed: {safe(shown)}{more}")
