"""The ``corpus-search`` entry point: a running ``corpus-search serve`` runs a reading
command warm (:mod:`corpus_search.warm`); any other command, or any command when no server
runs, runs here (:mod:`corpus_search.cli`). Only the standard library is imported before the
server has answered."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from corpus_search.errors import EXIT_INTERRUPTED

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType


def main() -> None:
    """Console-script entry point."""
    # Imports make many objects and free few: at the collector's default pace (a young
    # collection each 700 new containers) a search's ~450 modules were scanned again and
    # again as they loaded, then all once more as the command began. The collector is off
    # while they load, what they made is left out of its scans (frozen, as the command's own
    # objects are when it ends), and the command sets its own pace (cli.main). Callgrind,
    # "search Blair" on the BBC index: 801.8M -> 791.1M instructions.
    gc.disable()
    from corpus_search.warm import ask_server

    try:
        code = ask_server(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    if code is not None:
        sys.exit(code)
    from corpus_search.stand_ins import standing_in

    with standing_in(start_stand_ins()):
        # each module found where it was found before (~300, ~4 ms of a cold search)
        from corpus_search import module_places

        module_places.install()
        # the regular expressions the command's modules compile as they load, compiled once
        # and kept (~120 patterns, ~8 ms of a cold search: corpus_search.regex_cache), json's
        # and corpus_search.terminal's among them (warm imports them once a server may be there)
        from corpus_search import regex_cache

        regex_cache.install()
        from corpus_search.cli import main as run_here

    gc.freeze()
    gc.enable()
    try:
        run_here()
    except SystemExit as done:
        end_now(done.code)
        raise


def start_stand_ins() -> dict[str, Callable[[], ModuleType]]:
    """The standard-library modules that modules every command loads import as they load,
    for a name no reading command calls, each with what makes its stand-in
    (:mod:`corpus_search.stand_ins`), in ``sys.modules`` while a command's modules load:
    ``pathlib`` takes ``urllib.parse``'s ``quote_from_bytes`` for ``Path.as_uri`` alone, and
    ``urllib.parse`` imports ``ipaddress`` (callgrind, "search Blair" on the BBC index: 6.3M
    instructions of 644M). Click's ``types`` reads ``uuid.UUID`` as it loads: no stand-in
    there."""
    from corpus_search.stand_ins import StandIn, when_called

    return {
        "urllib.parse": lambda: StandIn(
            "urllib.parse", quote_from_bytes=when_called("urllib.parse", "quote_from_bytes")
        ),
    }


def end_now(code: object) -> None:
    """End the process with exit status ``code`` at once after a reading command: its
    ``atexit`` functions run (the caches it learned are saved) and its output is flushed, but
    Python's teardown of every module and object the command kept (NumPy, the lexicon's trie,
    the index's tables: ~6 ms of a cold search) is left to the system, as for a process that
    is killed. Nothing is done (the caller ends the process as Python does) unless the command
    was a reading one, which leaves the collector off (:func:`corpus_search.cli.cli`), no other
    thread runs and ``code`` is a number; nor when the output cannot be flushed (a full disk,
    a reader gone): Python's own exit then reports it, as without this."""
    import gc

    if gc.isenabled() or not (code is None or type(code) is int):
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    import atexit
    import os

    atexit._run_exitfuncs()  # (each runs once: the list is emptied)
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code or 0)
