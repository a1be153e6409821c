"""The command line's consoles and the printing every command shares: text made inert,
one-line errors and their exit codes (:data:`EXIT_CODES`), notes, tables and JSON."""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from corpus_search.consoles import LazyConsole, escape
from corpus_search.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    CorpusSearchError,
    command_message,
)
from corpus_search.terminal import json_dumps, strip_unprintable, utf8_streams

if TYPE_CHECKING:
    from rich.console import Console


#: the width tables are laid out in when the output is not a terminal: wide enough that no
#: cell is cut short (a table takes only the width its cells need)
PIPED_WIDTH = 1_000


#: the consoles of standard output and error: rich's, made when first used (lines printed
#: piped are written without it: corpus_search.consoles)
out: Console = LazyConsole(PIPED_WIDTH, highlight=False, soft_wrap=False, emoji=False)  # type: ignore[assignment]


err: Console = LazyConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # type: ignore[assignment]


def safe(text: object) -> str:
    """Text from a document or file name, made inert for printing with rich: rich markup
    escaped, control characters and bidirectional overrides dropped (a document must not be
    able to retitle, clear or reorder the user's terminal; :mod:`corpus_search.terminal`)."""
    return escape(strip_unprintable(str(text)))


def shown_title(title: str) -> str:
    """A document's title made safe, or ``(no title)`` for a record that has only a body (a
    JSONL or CSV row may), whose result line otherwise starts with a blank."""
    shown = safe(title)
    return shown if shown.strip() else "[dim](no title)[/]"


def one_line(text: object) -> str:
    """``text`` on one line: its runs of white space (newlines too) one space each."""
    return " ".join(str(text).split())


def fail(message: str, code: int = EXIT_ERROR) -> None:
    """Say ``message`` on stderr in one line, as every error is said, and exit with ``code``."""
    err.print(f"[bold red]error:[/] {safe(one_line(message))}", soft_wrap=True)
    sys.exit(code)


def print_table(table: Any, console: Console | None = None, crop: bool = True) -> None:
    """A rich table on ``console`` (standard output's unless given; ``crop`` as rich's).
    Piped or to a file, without the spaces rich pads the last column's cells with: lines
    ending in spaces trouble diff, grep and whoever reads the file."""
    console = console or out
    if console.is_terminal:
        console.print(table, crop=crop)
        return
    with console.capture() as captured:
        console.print(table, crop=crop)
    console.out("".join(f"{line.rstrip()}\n" for line in captured.get().splitlines()),
                end="", highlight=False)


def print_note(message: str, to: Console | None = None) -> None:
    """A line about the results (why there are none), after them (JSON keeps them in its
    ``notes``), on ``to`` (standard output's console unless given); a
    :class:`~corpus_search.errors.Note` as the command says it."""
    (to or out).print(f"[yellow]{safe(one_line(command_message(message)))}[/]",
                      soft_wrap=True)


#: The exit code of each failure, by class (the first that matches): the one place that maps
#: errors to exit codes (the module notes say what the codes mean).
EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (CorpusSearchError, EXIT_ERROR),  # the library's errors: a one-line message
    (BrokenPipeError, EXIT_BROKEN_PIPE),  # the reader went away (| head): stop quietly
    (OSError, EXIT_ERROR),  # the system's, about files: a one-line message
    (KeyboardInterrupt, EXIT_INTERRUPTED),
)


def _exit_code(exc: BaseException) -> int:
    return next(code for cls, code in EXIT_CODES if isinstance(exc, cls))


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors, and the system's about files, into a one-line message and
    the exit code :data:`EXIT_CODES` gives them."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name in QUERY_ARGUMENTS:
            if isinstance(kwargs.get(name), tuple):
                _check_query_words(kwargs[name])
            if isinstance(kwargs.get(name), (tuple, str)):
                _refuse_file_names(kwargs[name])
        try:
            return fn(*args, **kwargs)
        except tuple(cls for cls, _ in EXIT_CODES) as exc:
            code = _exit_code(exc)
            if isinstance(exc, BrokenPipeError):
                _drop_output()
            elif isinstance(exc, KeyboardInterrupt):
                err.print("interrupted")
            elif isinstance(exc, OSError) and not isinstance(exc, CorpusSearchError):
                try:  # (standard output's disk is full: what it holds cannot be written)
                    sys.stdout.flush()
                except (OSError, ValueError):
                    _drop_output()
                where = f"{exc.filename}: " if exc.filename else ""
                fail(f"{where}{exc.strerror or exc}", code)
            else:  # (the library's advice, or the command's where it differs)
                fail(command_message(exc), code)
            sys.exit(code)

    return wrapper


def _drop_output() -> None:
    """Send what standard output has not written yet, and writes to it from here on, to
    nowhere: its reader went away, or its disk is full, and the command ends with the error
    it said (not Python's "Exception ignored" and exit 120 when it flushes them at exit)."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)  # (a serve process goes on: keep no descriptor)


#: the layout each command's ``--json`` prints, named by its first key, ``"schema"``, as
#: ``search --json`` names ``"corpus-search/results/v1"`` (:meth:`SearchResults.to_dict`):
#: the version changes when a key goes or changes meaning (docs/user-guide.md, JSON output)
JSON_SCHEMAS = {kind: f"corpus-search/{kind}/v1" for kind in (
    "index", "concordance", "count", "trends", "key-terms", "document", "citation", "stats",
    "check", "tokens")}


def print_json(data: dict[str, Any] | list[dict[str, Any]], kind: str) -> None:
    """``data`` as JSON, its first key the ``"schema"`` of ``kind`` (:data:`JSON_SCHEMAS`;
    ``results``: the one :meth:`SearchResults.to_dict` gives; a list: each of its objects'
    first key: ``stats`` of several indexes), control characters and bidirectional overrides
    escaped (and all that is not ASCII, when the output cannot write UTF-8)."""
    if kind != "results":
        schema = JSON_SCHEMAS[kind]
        data = ([{"schema": schema, **one} for one in data] if isinstance(data, list)
                else {"schema": schema, **data})
    click.echo(json_dumps(data, indent=2, default=str, ensure_ascii=not utf8_streams()))


#: the names of the arguments that are queries (search, concordance, count, trends, key-terms,
#: export): a query's ``-word`` (NOT word) is taken for an option unless it comes after --
QUERY_ARGUMENTS = ("query", "queries")


def _check_query_words(query: Sequence[str]) -> None:
    """Refuse a command's QUERY words that are an option of the command, long or short: it
    was typed after ``--``, which makes every later word the query's (``search -- '-war
    Iraq' --index X`` searched the default index for "index", "tmp", ...; ``search --
    '-war Iraq' -n 1`` searched for "n" and "1", 228 BBC documents where the query finds
    31). The usage error says where options go. (A query's own ``-word`` is NOT word: a
    letter alone, ``-n``, is no word to leave out.)"""
    ctx = click.get_current_context()
    names = {name for param in ctx.command.params if isinstance(param, click.Option)
             for name in (*param.opts, *param.secondary_opts)}
    stray = next((word for word in query if word in names), None)
    if stray is not None:
        raise click.UsageError(
            f"{stray} after -- is a word of the query: options go before --, as in "
            f"{ctx.command_path} {stray} ... -- {shlex.quote('-war Iraq')}.", ctx)


def shell_expansion(words: Sequence[str]) -> str | None:
    """The unquoted wildcard the shell put the query ``words`` in place of (``*``, ``*.txt``,
    ``articles/Blair*``), or ``""`` when it cannot be told, if they are the names the shell's
    expansion gives: paths in one folder that are every entry of it (hidden ones only for a
    name beginning with a dot) beginning and ending as they all do, two or more of them, or
    one file with a suffix (``notes.txt``: no query). Else ``None``: a query for ``politics``
    in the BBC corpus's folder is a query."""
    if not words or len(set(words)) < len(words) or not all(map(os.path.lexists, words)):
        return None
    folder = os.path.dirname(words[0])
    names = [os.path.basename(word) for word in words]
    if not all(names) or any(os.path.dirname(word) != folder for word in words):
        return None
    if len(names) == 1:
        return "" if os.path.isfile(words[0]) and "." in names[0].lstrip(".") else None
    prefix = _common_start(names)
    suffix = _common_start([name[::-1] for name in names])[::-1]
    suffix = suffix[max(0, len(prefix) + len(suffix) - min(map(len, names))):]
    try:
        entries = os.listdir(folder or ".")
    except OSError:
        return None
    given = {name for name in entries if name.startswith(prefix) and name.endswith(suffix)
             and (prefix.startswith(".") or not name.startswith("."))}
    return os.path.join(folder, f"{prefix}*{suffix}") if given == set(names) else None


def _common_start(names: Sequence[str]) -> str:
    """The characters all ``names`` begin with (of the first and last in order: the rest
    fall between)."""
    first, last = min(names), max(names)
    pairs = enumerate(zip(first, last, strict=False))
    same = next((i for i, (a, b) in pairs if a != b), len(first))
    return first[:same]


def _refuse_file_names(query: Sequence[str] | str) -> None:
    """Refuse a query that is the names of files the shell put in place of an unquoted
    wildcard (``search *`` searched for, and corrected, the names of the folder's files):
    the usage error says to quote it."""
    words = (query,) if isinstance(query, str) else tuple(query)
    pattern = shell_expansion(words)
    if pattern is None:
        return
    ctx = click.get_current_context()
    after = [str(ctx.params[param.name]) for param in ctx.command.params  # (export's OUT)
             if isinstance(param, click.Argument) and param.name not in QUERY_ARGUMENTS
             and param.name in ctx.params]
    raise click.UsageError(expanded_message(ctx.command_path, words, pattern, after), ctx)


def expanded_message(command: str, words: Sequence[str], pattern: str,
                     after: Sequence[str] = ()) -> str:
    """What to say of the query ``words`` the shell made of the wildcard ``pattern`` (""
    when it cannot be told; :func:`shell_expansion`): the line to type, quoted."""
    typed = shlex.join([*command.split(), pattern or "*", *after])
    if len(words) == 1:
        return (f"The query is the name of a file here ({words[0]}): the shell put it in "
                f"place of an unquoted wildcard. Quote the query to search for it: {typed}")
    shown = ", ".join(words[:3]) + (f" and {len(words) - 3} more" if len(words) > 3 else "")
    return (f"The query is the names of files and folders here ({shown}): the shell put them "
            f"in place of the unquoted {pattern}. Quote the query to search for it: {typed}")
