"""``corpus-search serve``: the warm process that runs the reading commands (corpus_search.warm)."""

from __future__ import annotations

import gc

import click

from corpus_search.cli import READING_COMMANDS, cli
from corpus_search.cli.opening import forget_kept, keep_open
from corpus_search.cli.output import err, fail, guarded, out, safe
from corpus_search.errors import EXIT_INTERRUPTED, EXIT_NO_RESULTS, EXIT_OK
from corpus_search.single_options import ONCE

#: how long a server started with ``serve --background`` waits for a command before it stops
BACKGROUND_IDLE_MINUTES = 60


@click.command("serve")
@click.option("--background", is_flag=True,
              help="Start the server in the background and return once it serves.")
@click.option("--stop", is_flag=True, help="Stop the server that is running.")
@click.option("--idle-minutes", type=click.FloatRange(min=0), **ONCE,
              help="Stop after this many minutes without a command (0: never; default: "
                   "never, or 60 with --background).")
@guarded
def serve_cmd(background: bool, stop: bool, idle_minutes: float | None) -> None:
    """Keep the reading commands warm: while the server runs, search, concordance, count,
    trends, key-terms, list, show, similar and stats (from any terminal of yours) run in it,
    without their ~0.25 s of start-up. Their output, exit codes and errors are unchanged.
    Stop it with Ctrl-C or serve --stop; CORPUS_SEARCH_SERVER=off runs a command on its own."""
    from corpus_search import warm, warm_server

    if stop:
        if not warm.stop_server():
            fail("no server is running", EXIT_NO_RESULTS)
        err.print("stopped the server")
        return
    if background:
        idle = BACKGROUND_IDLE_MINUTES if idle_minutes is None else idle_minutes
        pid, log = warm_server.serve_in_background(idle)
        until = f"after {idle:g} idle minutes or " if idle else ""
        err.print(f"serving in the background (process {pid}, log {safe(log)}); it stops "
                  f"{until}with corpus-search serve --stop")
        return
    _warm_up()
    keep_open(True)
    try:
        warm_server.serve(_run_served, READING_COMMANDS, idle_minutes=idle_minutes or 0,
                   log=lambda line: click.echo(f"corpus-search serve: {line}", err=True))
    finally:
        forget_kept()
        keep_open(False)


def _warm_up() -> None:
    """Import what the reading commands use, and leave it out of the collector's scans."""
    import importlib

    from corpus_search.analysis.stemming import prepare

    for name in ("rich.console", "rich.markup", "rich.text", "corpus_search.index",
                 "corpus_search.multi_index", "corpus_search.search.filters",
                 "rapidfuzz.process", "rapidfuzz.distance.OSA"):  # (spelling corrections)
        importlib.import_module(name)
    prepare()  # a query's word no index holds is stemmed without importing NLTK then
    gc.collect()
    gc.freeze()


def _run_served(argv: list[str]) -> int:
    """One command in the ``serve`` process, as :func:`main` runs one in a process of its own
    (the server restores the process after it)."""
    for console in (out, err):
        console.renew()  # type: ignore[attr-defined]
    try:
        cli.main(args=argv, prog_name="corpus-search")
    except (SystemExit, KeyboardInterrupt) as exc:
        if isinstance(exc, KeyboardInterrupt) or exc.code == EXIT_INTERRUPTED:
            forget_kept()  # stopped midway, it may have left an index's caches half made
        raise
    return EXIT_OK
