"""What ``corpus-search search`` prints stays what it was, byte for byte, whatever is done to
make a cold search faster: on a terminal (rich, its colours and wrapping: ``FORCE_COLOR``,
80 columns) and piped (plain lines, written without rich: ``corpus_search.consoles``), its
standard output and error and its exit code, for queries on an index of the bundled seeds
(hits with snippets of several fragments, parties, a correction, no results), each run as a
whole process, as a user runs it (the index's folder written ``IX``). Pinned in
``tests/data/research_pinned.json`` (group ``search``) as the code printed it before.

Set ``CORPUS_SEARCH_PIN_RECORD=1`` to record the pins anew (only ever from code whose output
is known right): the test then writes them and passes.
"""

from __future__ import annotations

import subprocess

from conftest import corpus_search_command
from test_research_pinned import _assert_pinned

#: the queries, each printed on a terminal and piped
QUERIES = ("by-election", "Lib Dems", "PLP", "labor party", "zzyzx quux")


def _printed(query: str, index: str, env: dict[str, str]) -> str:
    done = subprocess.run([*corpus_search_command(), "search", query, "--index", index],
                          env=env, capture_output=True, text=True, encoding="utf-8")
    printed = f"{done.stdout}[stderr]\n{done.stderr}[exit {done.returncode}]\n"
    return printed.replace(index, "IX")


def test_a_search_prints_what_it_printed_on_a_terminal_and_piped(cli_env, seeds_index):
    index = str(seeds_index.path)
    piped = {**cli_env, "CORPUS_SEARCH_SERVER": "off"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR"):
        piped.pop(name, None)
    terminal = {**piped, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    outputs = {}
    for query in QUERIES:
        outputs[f"piped {query}"] = _printed(query, index, piped)
        outputs[f"terminal {query}"] = _printed(query, index, terminal)
    assert "\x1b[1;33m" in outputs["terminal by-election"]  # (the colours are there)
    assert "\x1b[" not in outputs["piped by-election"]
    _assert_pinned("search", outputs)
