"""The ``corpus-search`` entry point: a running ``corpus-search serve`` runs a reading
command warm (:mod:`corpus_search.warm`); any other command, or any command when no server
runs, runs here (:mod:`corpus_search.cli`). Only the standard library is imported before the
server has answered."""

from __future__ import annotations

import sys

from corpus_search.errors import EXIT_INTERRUPTED


def main() -> None:
    """Console-script entry point."""
    from corpus_search.warm import ask_server

    try:
        code = ask_server(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    if code is not None:
        sys.exit(code)
    # the regular expressions the command's modules compile as they load, compiled once and
    # kept (~120 patterns, ~8 ms of a cold search: corpus_search.regex_cache)
    from corpus_search import regex_cache

    regex_cache.install()
    from corpus_search.cli import main as run_here

    run_here()
