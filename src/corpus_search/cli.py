"""The ``corpus-search`` command: a thin layer over the library.

Exit codes: 0 when a search found something (or a command succeeded), 1 when a search or
listing found nothing (or its page is past the end), when a folder to index holds no file
that can be read, and when ``check`` found the index damaged or outdated, 2 for usage or input
errors (bad options, unreadable folders, damaged indexes, bad queries, a write the system
refused), 130 when interrupted and 141 when the program reading the output stopped reading
(``| head``), as for a program stopped by SIGPIPE.

Output piped to another program or a file keeps what colour showed: matched words are marked
``**like this**`` (as in JSON snippets), and lines are not wrapped.

Each command imports the parts of the library it uses when it runs (rich, the index, the
search, NumPy through them), so ``--help`` and a mistyped option answer at once and one
command never pays for another's imports (docs/benchmarks.md, "what users feel").
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search import lean_numpy, method_cache
from corpus_search.consoles import LazyConsole, escape, plain
from corpus_search.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_NO_RESULTS,
    EXIT_OK,
    CorpusSearchError,
    DocumentNotFoundError,
    IndexVersionError,
    MissingExtraError,
    command_message,
    install_extra,
)
from corpus_search.single_options import ONCE, SINGLE_FILTERS, SINGLE_VALUES
from corpus_search.terminal import (
    as_written,
    json_dumps,
    strip_unprintable,
    tolerant_streams,
    utf8_streams,
    whole_writes,
)
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    import datetime as dt

    from rich.console import Console, RenderableType
    from rich.text import Text

    from corpus_search.index import CorpusIndex, IndexStats
    from corpus_search.ingesting import IndexReport, ProgressCallback
    from corpus_search.multi_index import MultiIndex
    from corpus_search.search.concordance import Concordance
    from corpus_search.search.counting import Counts
    from corpus_search.search.export import ExportReport
    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.keyterms import KeyTerms
    from corpus_search.search.results import Hit, SearchResults, Snippet
    from corpus_search.search.trends import Trends
    from corpus_search.store.check import CheckReport


#: the collector's thresholds in a ``corpus-search`` process (Python's are 700, 10, 10)
GC_THRESHOLDS = (10_000, 50, 100)

#: the commands that read an index, print and end: they run with the cyclic collector off.
#: What they build (modules, the lexicon's trie, the index's tables) is kept to the end, and
#: the cycles they drop are few (a BBC search leaves ~2,000 objects, and the same peak
#: memory), so each collection only re-scanned what was kept: ~3% of a search's instructions
#: (callgrind: 1290M -> 1247M for "Lib Dems" on the BBC index).
READING_COMMANDS = frozenset({"search", "concordance", "count", "trends", "key-terms", "list",
                              "show", "similar", "stats"})

#: how long a server started with ``serve --background`` waits for a command before it stops
BACKGROUND_IDLE_MINUTES = 60

#: the width tables are laid out in when the output is not a terminal: wide enough that no
#: cell is cut short (a table takes only the width its cells need)
PIPED_WIDTH = 1_000

#: ``main``'s context object: the process ends with the command (see :func:`main`)
_PROCESS_ENDS = object()


#: the consoles of standard output and error: rich's, made when first used (lines printed
#: piped are written without it: corpus_search.consoles)
out: Console = LazyConsole(PIPED_WIDTH, highlight=False, soft_wrap=False, emoji=False)  # type: ignore[assignment]
err: Console = LazyConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # type: ignore[assignment]


def _safe(text: object) -> str:
    """Text from a document or file name, made inert for printing with rich: rich markup
    escaped, control characters and bidirectional overrides dropped (a document must not be
    able to retitle, clear or reorder the user's terminal; :mod:`corpus_search.terminal`)."""
    return escape(strip_unprintable(str(text)))


def _title(title: str) -> str:
    """A document's title made safe, or ``(no title)`` for a record that has only a body (a
    JSONL or CSV row may), whose result line otherwise starts with a blank."""
    shown = _safe(title)
    return shown if shown.strip() else "[dim](no title)[/]"


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"[bold red]error:[/] {_safe(_one_line(message))}", soft_wrap=True)
    sys.exit(code)


def _print_table(table: Any, console: Console | None = None, crop: bool = True) -> None:
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


def _note(message: str, to: Console | None = None) -> None:
    """A line about the results (why there are none), after them (JSON keeps them in its
    ``notes``), on ``to`` (standard output's console unless given); a
    :class:`~corpus_search.errors.Note` as the command says it."""
    (to or out).print(f"[yellow]{_safe(_one_line(command_message(message)))}[/]",
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


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's errors, and the system's about files, into a one-line message and
    the exit code :data:`EXIT_CODES` gives them."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        for name in QUERY_ARGUMENTS:
            if isinstance(kwargs.get(name), tuple):
                _check_query_words(kwargs[name])
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
                _fail(f"{where}{exc.strerror or exc}", code)
            else:  # (the library's advice, or the command's where it differs)
                _fail(command_message(exc), code)
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


def _print_json(data: dict[str, Any] | list[dict[str, Any]], kind: str) -> None:
    """``data`` as JSON, its first key the ``"schema"`` of ``kind`` (:data:`JSON_SCHEMAS`;
    ``results``: the one :meth:`SearchResults.to_dict` gives; a list: each of its objects'
    first key: ``stats`` of several indexes), control characters and bidirectional overrides
    escaped (and all that is not ASCII, when the output cannot write UTF-8)."""
    if kind != "results":
        schema = JSON_SCHEMAS[kind]
        data = ([{"schema": schema, **one} for one in data] if isinstance(data, list)
                else {"schema": schema, **data})
    click.echo(json_dumps(data, indent=2, default=str, ensure_ascii=not utf8_streams()))


class _IndexFolder(click.Path):
    """An index's folder, never an empty value: ``--index "$INDEX"`` with INDEX unset gave
    ``--index ''``, which a path reads as the current folder (``index`` made an index there,
    among whatever files were to come; an empty CORPUS_SEARCH_INDEX is no index given)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            raise click.UsageError(f"--index {value!r} names no index folder: give one, or "
                                   "leave --index out for your default index.", ctx)
        return super().convert(value, param, ctx)


index_option = click.option(
    "--index",
    "index_paths",
    multiple=True,
    type=_IndexFolder(file_okay=False, path_type=Path),
    envvar="CORPUS_SEARCH_INDEX",
    help="Index folder (default: the user data folder; env CORPUS_SEARCH_INDEX).",
)
indexes_option = click.option(
    "--index",
    "index_paths",
    multiple=True,
    type=_IndexFolder(file_okay=False, path_type=Path),
    envvar="CORPUS_SEARCH_INDEX",
    help="Index folder; repeat it for several indexes (searched as one; stats describes "
         "each) (default: your index in "
         "the user data folder, else the demo index of the bundled seed articles; env "
         "CORPUS_SEARCH_INDEX).",
)


def _one_index(index_paths: tuple[Path, ...], command: str) -> Path | None:
    """The single index a command that writes or checks an index works on."""
    if len(set(index_paths)) > 1:
        source = click.get_current_context().get_parameter_source("index_paths")
        given = (f"CORPUS_SEARCH_INDEX names {len(set(index_paths))}; choose one with --index"
                 if source is click.core.ParameterSource.ENVIRONMENT else "give --index once")
        raise click.UsageError(f"corpus-search {command} works on one index: {given} "
                               "(search, concordance, count, trends, key-terms, list, show, "
                               "similar, stats and web take several).")
    return index_paths[0] if index_paths else None
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _one_output(as_csv: bool, as_json: bool) -> None:
    """Refuse --csv with --json (concordance, count, trends, key-terms): one of the two was
    printed and the other dropped without a word, a script asking for CSV reading JSON."""
    if as_csv and as_json:
        raise click.UsageError("--csv and --json each choose the output: give one, not both.")


class _LibraryRange(click.IntRange):
    """An option's range that is the library's (``bounds()``: its least and greatest value),
    read when the option is checked or its help shown, not as the command loads (the CLI
    imports no library module until a command runs): one rule for the option and the
    library call it is handed to."""

    def __init__(self, bounds: Callable[[], tuple[int, int]]) -> None:
        self._bounds = bounds
        super().__init__()

    min = property(lambda self: self._bounds()[0], lambda self, _value: None)
    max = property(lambda self: self._bounds()[1], lambda self, _value: None)


def _context_widths() -> tuple[int, int]:
    from corpus_search.search.defaults import MAX_CONTEXT_WIDTH, MIN_CONTEXT_WIDTH

    return MIN_CONTEXT_WIDTH, MAX_CONTEXT_WIDTH


exact_option = click.option(
    "--exact", is_flag=True,
    help="Search only the words as typed: suggest spellings, never search them.")


def paging_options(per_page: int, what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--limit`` (``per_page`` of ``what`` a page, at most 1000) and ``--page``, for a
    command that lists ``what`` a page at a time (search, list, similar)."""
    limit = click.option("--limit", "-n", default=[per_page], show_default=True, **ONCE,
                         type=click.IntRange(1, 1000), help=f"How many {what} a page shows.")
    page = click.option("--page", default=[1], show_default=True, type=click.IntRange(1, None),
                        **ONCE,
                        help=f"Which page of {what} to show (the output says how many there "
                             "are).")
    return lambda fn: limit(page(fn))


sort_option = click.option(
    "--sort", type=click.Choice(["relevance", "date", "oldest"]), default=["relevance"], **ONCE,
    show_default=True,
    help="date: newest first; oldest: oldest first (undated last either way).")
facets_option = click.option(
    "--facets", is_flag=True,
    help="Also count every match (not only this page) by source, party and year.")


#: DOC_ID of show and similar: words typed unquoted are one id, as a query's are one query
#: (a file "Budget speech 2024.txt", its id copied from search: "unexpected extra argument")
doc_id_argument = click.argument("doc_id", nargs=-1, required=True,
                                 callback=lambda _ctx, _param, words: " ".join(words))


def joined_values(_ctx: click.Context, param: click.Parameter,
                  values: tuple[str, ...]) -> str | None:
    """A comma list given whole or an item an option (``--columns title=headline --columns
    text=story``): click kept the last, and the title mapped first was read as none."""
    if len(values) > 1 and not all(value.strip() for value in values):
        raise click.UsageError(f"{param.opts[0]} '' (the usual column names) goes alone, not "
                               "with a mapping.")
    return ",".join(values) if values else None


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of ``search`` (and list, similar, count...), passed on as ``filters`` (a
    SearchFilters): each once (:func:`~corpus_search.single_options.one_value`)."""
    options = [
        click.option("--party", **ONCE,
                     help="Only documents mentioning this party (e.g. Labour, 'Lib Dems')."),
        click.option("--source", **ONCE,
                     help="Only documents from this source/publisher."),
        click.option("--since", **ONCE,
                     help="Only documents dated on or after this date (2005, March 2005, "
                          "2005-03-21, 21/03/2005, 21 March 2005)."),
        click.option("--until", **ONCE,
                     help="Only documents dated on or before this date (a month or year means "
                          "its end)."),
        click.option("--include-undated", is_flag=True,
                     help="With --since/--until, keep documents that have no date."),
    ]

    @functools.wraps(fn)
    def with_filters(*args: Any, include_undated: bool, **kwargs: Any) -> Any:
        from corpus_search.search.filters import SearchFilters

        given = {name: kwargs.pop(name) for name in SINGLE_FILTERS}
        for name, value in given.items():
            if value is not None and not value.strip():
                raise click.UsageError(f"--{name} {value!r} names no {SINGLE_VALUES[name]}: "
                                       f"give one, or leave --{name} out.")
        filters = SearchFilters.coerce({**given, "include_undated": include_undated})
        return fn(*args, filters=filters, **kwargs)

    for option in reversed(options):
        with_filters = option(with_filters)
    return with_filters


#: the names of the arguments that are queries (search, concordance, count, trends, key-terms,
#: export): a query's ``-word`` (NOT word) is taken for an option unless it comes after --
QUERY_ARGUMENTS = ("query", "queries")


def _query_hint(exc: click.UsageError, argv: Sequence[str]) -> str:
    """For ``search -war Iraq`` (or any command taking a query): the shell hands the query's
    ``-war`` (NOT war) to click as an option, and "No such option '-w'" alone does not say
    how to search for it. Only for an argument that reads as such a query (:func:`_minus_query`),
    not an option the command lacks (``count -n 3 Blair``)."""
    if not (isinstance(exc, click.NoSuchOption) and not exc.possibilities
            and exc.ctx is not None):
        return ""
    if exc.option_name.startswith("--"):  # (an option, not a query's -word: export --limit)
        return ""
    if not any(_minus_query(arg) and arg.startswith(exc.option_name) for arg in argv):
        return ""
    arguments = [param for param in exc.ctx.command.params
                 if isinstance(param, click.Argument)]
    if not any(param.name in QUERY_ARGUMENTS for param in arguments):
        return ""
    after = [param.human_readable_name for param in arguments
             if param.name not in QUERY_ARGUMENTS]  # (export's OUT)
    return (f" A query that starts with - goes after --: "
            f"{' '.join([exc.ctx.command_path, '--', repr('-war Iraq'), *after])}.")


def _minus_query(arg: str) -> bool:
    """Does the argument ``arg`` read as a query that starts with a minus (``-war``,
    ``-"Gordon Brown"``, ``-budget NHS``), not a short option (``-n``, ``-n3``, ``-5``): two
    letters after the minus, or a quote or bracket?"""
    second = arg[1:2]
    return arg[:1] == "-" and bool(second) and (
        (len(arg) > 2 and arg[1:3].isalpha()) or second in "\"'(")


def _other_commands_hint(exc: click.UsageError) -> str:
    """For a long option a command does not take: the commands that take it, in place of
    click's guess among its own (``export --limit`` was told that a query starting with -
    goes after --, ``similar --party`` "Did you mean '--page'?")."""
    if not (isinstance(exc, click.NoSuchOption) and exc.option_name.startswith("--")
            and exc.ctx is not None and exc.ctx.command is not cli):
        return ""
    option, command = exc.option_name, exc.ctx.command.name
    takers = [name for name, other in sorted(cli.commands.items())
              for param in other.params if option in param.opts]
    if not takers:
        return ""
    listed = ", ".join(takers[:-1]) + " and " + takers[-1] if len(takers) > 1 else takers[0]
    return f" {option} is an option of {listed}, not of {command}."


def _check_query_words(query: Sequence[str]) -> None:
    """Refuse a command's QUERY words that hold a long option of the command: it was typed
    after ``--``, which makes every later word the query's (``search -- '-war Iraq' --index
    X`` searched the default index for "index", "tmp", ...). The usage error says where
    options go."""
    ctx = click.get_current_context()
    names = {name for param in ctx.command.params if isinstance(param, click.Option)
             for name in (*param.opts, *param.secondary_opts) if name.startswith("--")}
    stray = next((word for word in query if word in names), None)
    if stray is not None:
        raise click.UsageError(
            f"{stray} after -- is a word of the query: options go before --, as in "
            f"{ctx.command_path} {stray} ... -- {shlex.quote('-war Iraq')}.", ctx)


def _no_arguments(exc: click.UsageError) -> bool:
    """Is ``exc`` click's answer to a group run with no arguments (its help, as an error)?"""
    no_args = getattr(click.exceptions, "NoArgsIsHelpError", None)
    return no_args is not None and isinstance(exc, no_args) and exc.ctx is not None


def _from_environment(exc: click.UsageError) -> str:
    """For a bad value an environment variable gave (``CORPUS_SEARCH_INDEX`` naming a file):
    click names the option, ``--index``, which the command line does not hold."""
    if (isinstance(exc, click.BadParameter) and exc.ctx is not None and exc.param is not None
            and exc.param.name is not None and exc.ctx.get_parameter_source(exc.param.name)
            is click.core.ParameterSource.ENVIRONMENT):
        return f" It comes from the environment variable {exc.param.envvar}, not the command line."
    return ""


class _OneLineErrors(click.Group):
    """Click's group, whose usage errors (a bad option or value) are one line on stderr, as
    every other error is, instead of click's usage block, blank line and message."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            if _no_arguments(exc):  # (click 8.2 on; before, the help was printed, exit 0)
                click.echo(exc.ctx.get_help())
                sys.exit(EXIT_OK)
            where = exc.ctx.command_path if exc.ctx is not None else self._named(args, kwargs)
            elsewhere = _other_commands_hint(exc)
            message = exc.message if elsewhere else exc.format_message()
            hint = (elsewhere or _query_hint(exc, self._argv(args, kwargs))
                    or self._search_hint(exc, args, kwargs)
                    or self._command_first_hint(exc, args, kwargs)
                    or self._export_hint(exc, args, kwargs))
            _fail(f"{message}{hint}{_from_environment(exc)} (see: {where} --help)",
                  exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            err.print("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def _search_hint(self, exc: click.UsageError, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> str:
        """For ``corpus-search Blair``: words where a command goes, none close to a command's
        name, are most likely a search that left out ``search``."""
        if not exc.format_message().startswith("No such command") or "Did you mean" in \
                exc.format_message():
            return ""
        typed = shlex.join(["corpus-search", "search", *self._argv(args, kwargs)])
        return f" To search for it: {typed}"

    def _command_first_hint(self, exc: click.UsageError, args: tuple[Any, ...],
                            kwargs: dict[str, Any]) -> str:
        """For ``corpus-search --index X Blair`` (or ``--index X stats``): a command's option
        before the command, which click reads as the group's and knows nothing of. The same
        line with the command first, ``search`` when none is named and words are left to
        search for."""
        if not (isinstance(exc, click.NoSuchOption) and exc.ctx is not None
                and exc.ctx.command is self):
            return ""
        argv = self._argv(args, kwargs)
        named = next((a for a in argv if a in self.commands), None)
        command = self.commands[named or "search"]
        if exc.option_name not in {opt for param in command.params for opt in param.opts}:
            return ""
        rest = list(argv)
        if named is not None:
            rest.remove(named)
        else:
            try:
                words = command.make_context("search", list(rest), resilient_parsing=True)
            except click.ClickException:
                return ""
            if not words.params.get("query"):
                return ""
        typed = shlex.join(["corpus-search", named or "search", *rest])
        return f" {'Options go after the command' if named else 'To search for it'}: {typed}"

    def _export_hint(self, exc: click.UsageError, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> str:
        """For export's QUERY and OUT typed otherwise: a query of several words unquoted
        (``export Lib Dems out.csv``: "Got unexpected extra argument (out.csv)"), or the file
        alone (``export --party UKIP ukip.csv`` read ukip.csv as the query: "Missing argument
        'OUT'"). The line to type, the options as given."""
        if exc.ctx is None or exc.ctx.command.name != "export" or "export" not in (
                argv := self._argv(args, kwargs)):
            return ""
        valued = {opt for param in exc.ctx.command.params if isinstance(param, click.Option)
                  and not param.is_flag for opt in param.opts}
        words: list[str] = []
        options: list[str] = []
        rest = iter(argv[argv.index("export") + 1:])
        for word in rest:
            if word == "--":
                words.extend(rest)
            elif word.startswith("-") and word != "-":
                options.append(word)
                if word in valued and (value := next(rest, None)) is not None:
                    options.append(value)
            else:
                words.append(word)
        if isinstance(exc, click.MissingParameter) and len(words) == 1:
            if words[0] != "-" and Path(words[0]).suffix.lower() not in (".csv", ".jsonl",
                                                                         ".ndjson"):
                return (" The file to write comes after the query: "
                        f"{shlex.join(['corpus-search', 'export', words[0], 'out.csv', *options])}")
            kept = "the filters keep" if options else "of the index"
            typed = shlex.join(["corpus-search", "export", "*", words[0], *options])
            return f" {words[0]} was read as the query; every document {kept}: {typed}"
        if len(words) > 2 and "unexpected extra argument" in exc.message:
            typed = shlex.join(["corpus-search", "export", " ".join(words[:-1]), words[-1],
                                *options])
            return f". A query of several words is one argument, quoted: {typed}"
        return ""

    @staticmethod
    def _argv(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
        argv = args[0] if args else kwargs.get("args")
        return list(sys.argv[1:] if argv is None else argv)

    def _named(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        """The command path the arguments name: click gives an option missing its value
        (search Blair --party) no context, and "see: corpus-search --help" sent the user to
        the list of commands rather than the options of the one typed."""
        name = next((a for a in self._argv(args, kwargs) if a in self.commands), None)
        return f"corpus-search {name}" if name else "corpus-search"


def _print_version(ctx: click.Context) -> None:
    """``--version``: the installed version (:func:`corpus_search._installed_version`), read
    only when asked for."""
    import corpus_search

    click.echo(f"corpus-search, version {corpus_search.__version__}")
    ctx.exit()


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
              help="Show the version and exit.")
def cli() -> None:
    """Search British political text: index folders of articles, then search them."""
    ctx = click.get_current_context()
    if ctx.invoked_subcommand in READING_COMMANDS and gc.isenabled():
        gc.disable()
        if ctx.obj is not _PROCESS_ENDS:  # a process that goes on (a test, an embedding program)
            ctx.call_on_close(gc.enable)


# -- index ----------------------------------------------------------------------------------


@cli.command("index")
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
@_guarded
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

    path = _one_index(index_paths, "index") or default_index_path()
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
    # a folder with no file to read is most likely the wrong folder: say so in the exit code
    sys.exit(EXIT_OK if all(r.files for r in reports) else EXIT_NO_RESULTS)


def _no_files_to_index(folders: Sequence[Path], path: Path) -> None:
    """Stop, in one line with the command that indexes their folder, if some of ``folders``
    are files: ``corpus-search index articles/*.txt`` (the shell's list of files) named the
    first file alone, "index the folder that holds it", and no command."""
    from corpus_search.store.meta import update_command

    files = [f for f in folders if f.expanduser().is_file()]
    if not files:
        return
    holding = dict.fromkeys(str(f.expanduser().resolve().parent) for f in files)
    more = f" (and {_count(len(files) - 1, 'more file')})" if len(files) > 1 else ""
    them = "them" if len(files) > 1 else "it"
    which = "the folder that holds" if len(holding) == 1 else "the folders that hold"
    _fail(f"{files[0]} is a file{more}, not a folder: corpus-search index reads every file of a "
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
        where = _safe(str(path))
        if rebuild:
            state = (f"the rebuild stopped before it replaced the index, so the index at {where} "
                     "is as it was")
        elif not made:
            state = f"nothing was indexed, so no index was made at {where}"
        elif done:
            state = (f"the index at {where} holds what this run indexed of "
                     f"{', '.join(_safe(str(d)) for d in done)}, and of "
                     f"{_safe(str(folder))} what it held before")
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
        _print_json({"index": path, "reports": [r.to_dict() for r in reports],
                     "notes": notes}, "index")
        return
    for report in reports:
        _print_report(report)
    for note in notes:
        out.print(f"  [yellow]note[/] {_safe(note)}")
    if documents is None:
        err.print(f"index: nothing indexed, so no index was made at {_safe(path)}")
    else:
        err.print(f"index: {_safe(path)} ({_count(documents, 'document')}){_safe(searched_with)}")


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
        task = bar.add_task(f"reading {_safe(folder)}", total=None, count="", item="")
        shown = ["reading"]

        def progress(phase: str, done: int, total: int, item: str) -> None:
            bar.update(task, description=f"{phase} {_safe(folder)}", completed=done,
                       total=total or None, count=f"{done}/{total}" if total else "",
                       item=_safe(item[-40:]))
            if phase != shown[-1]:  # show each phase, however short
                shown.append(phase)
                bar.refresh()

        yield progress


def _print_report(report: IndexReport) -> None:
    kept = f"{report.kept} kept (cannot be read now), " if report.kept else ""
    touched = f" ({report.touched} touched, same content)" if report.touched else ""
    out.print(f"[bold]{_safe(report.root)}[/]: {report.indexed} indexed, "
              f"{report.updated} updated, "
              f"{f'{report.reread} re-read, ' if report.reread else ''}"
              f"{f'{report.moved} moved, ' if report.moved else ''}"
              f"{report.unchanged} unchanged{touched}, {report.deleted} deleted, {kept}"
              f"{len(report.skipped)} skipped ({_count(report.documents, 'document')} written "
              f"in {report.seconds:.1f} s)")
    for rel, reason in report.skipped:
        out.print(f"  [yellow]skipped[/] {_safe(rel)}: {_safe(reason)}")
    for warning in report.warnings:
        out.print(f"  [yellow]warning[/] {_safe(warning)}")
    for warning in report.earlier_warnings:
        out.print(f"  [yellow]warning[/] {_safe(warning)} [dim](from an earlier run; unchanged "
                  "since)[/]")
    for note in (report.moved_note, report.other_files_note, report.reread_note,
                 report.measured_note):
        if note:
            out.print(f"  [yellow]note[/] {_safe(note)}")
    if report.duplicates:
        shown = ", ".join(f"{copy} = {first}" for copy, first in report.duplicates[:3])
        more = f" and {len(report.duplicates) - 3} more" if len(report.duplicates) > 3 else ""
        out.print(f"  [yellow]note[/] {_count(len(report.duplicates), 'document')} repeat"
                  f"{'s' if len(report.duplicates) == 1 else ''} the text of another word for "
                  f"word, both indexed: {_safe(shown)}{more}")


# -- search ---------------------------------------------------------------------------------


def _open_for_search(
    index_paths: tuple[Path, ...],
) -> contextlib.AbstractContextManager[CorpusIndex | MultiIndex]:
    """The indexes given; else your default index; else the demo index of the bundled seed
    articles (built on first use), and a line on stderr saying that it is the demo. The
    command closes it when done, unless a ``serve`` process keeps it (:data:`_KEPT`)."""
    from corpus_search.index import CorpusIndex

    ix = _kept(index_paths) if _KEPT is not None else None
    held = ix is not None
    if ix is None:
        from corpus_search.multi_index import open_for_search

        ix = open_for_search(index_paths, notify=lambda message: err.print(
            _safe(command_message(message)), soft_wrap=True))
        held = _keep(index_paths, ix)
    if isinstance(ix, CorpusIndex) and ix.is_demo:
        # a user who indexed with --index elsewhere is most likely here by mistake
        err.print(f"[dim]This is the demo index of the bundled seed articles ({_safe(ix.path)}); "
                  "corpus-search index FOLDER builds your own, and an index made with "
                  "--index PATH is searched with --index PATH.[/]", soft_wrap=True)
    return contextlib.nullcontext(ix) if held else ix


#: The indexes a ``serve`` process keeps open from one command to the next (None in a process
#: of its own, which closes its index with the command): key -> (stamp, index). Kept warm,
#: an index keeps its searcher and what it caches (parsed queries, postings, concept scores);
#: one whose folder or lexicon files changed since (a rebuild, an update, a deletion) is
#: closed and opened afresh, so a command sees what a process of its own would.
_KEPT: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] | None = None
#: how many indexes (or sets of indexes searched together) a ``serve`` process keeps open
KEPT_MAX = 4


def _kept_key(index_paths: tuple[Path, ...]) -> tuple[Any, ...]:
    """Which index ``index_paths`` name, for :data:`_KEPT`: the folders, or the default
    index's path and whether it exists yet (else the demo is searched)."""
    from corpus_search.store.files import holds_index
    from corpus_search.store.generations import default_index_path, nothing_committed

    if index_paths:
        return tuple(str(p.expanduser().absolute()) for p in index_paths)
    default = default_index_path()
    return ("default", str(default), holds_index(default) and not nothing_committed(default))


def _kept_stamp(ix: Any) -> tuple[Any, ...]:
    """What changes when the index is written or its lexicon files edited: each folder's
    identity and modification time (new segments, a new table of contents and record all
    come by rename) and each lexicon file's size and time."""
    stamp: list[Any] = []
    for one in getattr(ix, "indexes", [ix]):
        for path in (one.path, *one.lexicon.extra_paths):
            try:
                st = os.stat(path)
                stamp.append((st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append(None)
    return tuple(stamp)


def _kept(index_paths: tuple[Path, ...]) -> CorpusIndex | MultiIndex | None:
    """The index a ``serve`` process kept for ``index_paths``, if nothing changed since."""
    assert _KEPT is not None
    key = _kept_key(index_paths)
    found = _KEPT.get(key)
    if found is None:
        return None
    stamp, ix = found
    if _kept_stamp(ix) == stamp:
        return ix
    del _KEPT[key]
    ix.close()
    return None


def _keep(index_paths: tuple[Path, ...], ix: Any) -> bool:
    """Keep ``ix`` open for the next commands, in a ``serve`` process; whether it is kept."""
    if _KEPT is None:
        return False
    if len(_KEPT) >= KEPT_MAX:  # the one opened longest ago goes
        _KEPT.pop(next(iter(_KEPT)))[1].close()
    _KEPT[_kept_key(index_paths)] = (_kept_stamp(ix), ix)
    return True


@cli.command("search")
@click.argument("query", nargs=-1)
@indexes_option
@paging_options(10, "results")
@sort_option
@exact_option
@facets_option
@json_option
@_guarded
@filter_options
def search_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int, page: int,
               filters: SearchFilters, sort: str, exact: bool, facets: bool,
               as_json: bool) -> None:
    """Search for QUERY (Whoosh syntax: AND OR NOT, "phrases", title:word, wild*, fuzzy~).

    QUERY may be one argument or several words (search Tony Blair is search 'Tony Blair');
    quote a phrase for the shell too: '"general election"'. A query that starts with - goes
    after --: search -- '-war Iraq'. QUERY "*" lists every document (the filters keep),
    newest first; so does no QUERY with filters. A word no document holds is corrected and
    its correction searched too (--exact: only suggested); wildcards match the words as the
    texts write them (privatiz* finds privatisation).
    """
    with _open_for_search(index_paths) as ix:
        # the words the shell split (an unquoted Tony Blair) are one query, as typed
        results = ix.search(" ".join(query), limit=limit, page=page, filters=filters,
                            sort=sort, correct=not exact)
        _show(results, as_json, functools.partial(_print_results, facets=facets))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _print_spelling(result: SearchResults | Concordance | Counts | KeyTerms | ExportReport,
                    showing: str, instead: str, to: Console | None = None) -> str:
    """The spelling lines of a search's, concordance's, count's, key terms' or export's result
    (the correction searched, else suggested; the words no document holds), on ``to``
    (standard output's console unless given); returns the query as searched."""
    console = to or out
    if result.suggestion and result.suggestion_applied:
        console.print(f"{showing} [bold]{_safe(result.suggestion)}[/]; {instead} "
                      f"{_safe(result.query)} with --exact.")
    elif result.suggestion:
        console.print(f"Did you mean: [bold]{_safe(result.suggestion)}[/]?")
    if result.not_found:
        from corpus_search.terminal import NOT_FOUND
        console.print(f"[yellow]{NOT_FOUND}[/] {_safe(', '.join(result.not_found))}")
    return result.suggestion if result.suggestion_applied else result.query


def _print_results(results: SearchResults, facets: bool = False) -> None:
    shown = _print_spelling(results, "Showing results for", "search instead for")
    for note in results.notes:
        out.print(f"[yellow]note[/] {_safe(note)}", soft_wrap=True)
    if not results.total:
        read_as = results.parsed_query  # (none for similar: no query was typed)
        understood = f" (understood as: {_safe(read_as)})" if read_as else ""
        out.print(f"No results for [bold]{_safe(shown)}[/]{understood}.")
        _print_undated_note(results.undated_left_out)
        return
    if not results.hits:  # the page is past the end: results.why_empty says so
        return
    first = (results.page - 1) * results.limit + 1
    # browsing ("*", or filters and no query) ranks nothing: its count is of documents, as
    # list's is, not "17 results for *" after a command that typed no *
    found = (_count(results.total, "document") if _browsing(results) else
             f"{_count(results.total, 'result')} for[/] [bold]{_safe(shown)}[/][dim]")
    out.print(f"[dim]{found}, showing {first}-{first + len(results.hits) - 1} (page "
              f"{results.page} of {results.pages})[/]")
    _print_undated_note(results.undated_left_out)
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
    from corpus_search.search.shown_dates import iso_at_precision

    shown = iso_at_precision(hit.date, hit.date_precision) if hit.date else ""
    meta = " · ".join(x for x in (shown, hit.source or "", ", ".join(hit.parties)) if x)
    score = f" · score {hit.score:.2f}" if hit.score is not None else ""
    lines = [f"[bold cyan]{hit.rank}.[/] [bold]{_title(hit.title)}[/]  "
             f"[dim]{_safe(hit.id)}{score}[/]"]
    if meta:
        lines.append(f"   [green]{_safe(meta)}[/]")
    if hit.same_as:
        # (similar's hit that copies the document given, not one above it)
        where = "the document given" if results.query == f"similar:{hit.same_as}" \
            else "above"
        lines.append(f"   [dim]The same text as {_safe(hit.same_as)}, {where}.[/]")
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
    for n, frag in enumerate(snippet.fragments):
        if n:
            line.append(" … ", style="dim")
        for piece, matched in frag:
            line.append(strip_unprintable(re.sub(r"\s+", " ", piece)),
                        style="bold yellow" if matched else None)
    wrapped = line.wrap(out, max(width - SNIPPET_INDENT, 20))
    for part in wrapped:
        part.rstrip()
    return Group(*(_unwrapped(Text(" " * SNIPPET_INDENT) + part, width) for part in wrapped))


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
    _print_breakdown(found["source"], found["party"], found["year"], results.total, "--json",
                     results.without_party)


def _print_held_notes(results: SearchResults) -> None:
    """How many results hold the quoted phrases and how many only a term the lexicon relates
    to the query's words (:func:`corpus_search.search.held.how_held`, which the web's search
    page says too)."""
    from corpus_search.search.held import how_held

    for line in how_held(results):
        out.print(f"[yellow]{line}[/]")


def _print_undated_note(left_out: int | None, to: Console | None = None) -> None:
    """Say how many matches a date range left out for having no date (search, concordance,
    count, key terms, export)."""
    if left_out:
        documents = "document has" if left_out == 1 else "documents have"
        (to or out).print(f"[yellow]{left_out} matching {documents} no date and "
                  f"{'was' if left_out == 1 else 'were'} left out; --include-undated keeps "
                  f"{'it' if left_out == 1 else 'them'}.[/]")


def _show(results: SearchResults, as_json: bool,
          print_text: Callable[[SearchResults], None]) -> None:
    """The results as JSON (the reasons a page is empty among its ``notes``) or as text with
    the reasons after it; each as the command says it."""
    if as_json:
        _print_json(_said(results.to_dict()), "results")
        return
    print_text(results)
    for reason in results.why_empty:
        _note(reason)


# -- concordance ------------------------------------------------------------------------------


@cli.command("concordance")
@click.argument("query", nargs=-1)
@indexes_option
@click.option("--limit", "-n", default=[50], show_default=True, type=click.IntRange(1, 100_000),
              **ONCE,
              help="Lines to show.")
@click.option("--width", "-w", type=_LibraryRange(_context_widths), **ONCE,
              help="Characters of context each side [default: what fits the terminal; 60 "
                   "when the output is not one].")
@click.option("--sort", type=click.Choice(["relevance", "date", "oldest"]), default=["relevance"],
              **ONCE, show_default=True, help="The documents' order; date: newest first; "
              "oldest: oldest first (undated last either way).")
@exact_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (id, title, date, left, match, right, start, end) instead of text.")
@json_option
@_guarded
@filter_options
def concordance_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int,
                    width: int | None, sort: str, exact: bool, as_csv: bool,
                    filters: SearchFilters, as_json: bool) -> None:
    """Show every place QUERY matches, with the words either side (keyword in context).

    QUERY is read as search reads it, so the places include the other ways the texts write
    it (Lib Dems: "Liberal Democrats", "Lib Dem"); the documents come in search's order,
    the places in text order within each.
    """
    _one_output(as_csv, as_json)
    if width is None:
        width = _context_width(sort != "relevance") if not (as_json or as_csv) else DEFAULT_CONTEXT
    with _open_for_search(index_paths) as ix:
        result = ix.concordance(" ".join(query), limit=limit, width=width, filters=filters,
                                sort=sort, correct=not exact)
    if as_json:
        _print_json(_said(result.to_dict()), "concordance")
    elif as_csv:
        _told_on_stderr(result, ("Showing places of", "search instead for"))
        if result.documents and not result.lines:  # (a header alone said nothing of why)
            _note(_no_places(result), to=err)
        from corpus_search.search.shown_dates import row_at_precision

        _print_csv([row_at_precision(line.to_dict()) for line in result.lines],
                   CONCORDANCE_COLUMNS)
    else:
        # (by date, each line dated: unless none is, the BBC's, where a note says the order
        # stayed by relevance and a column of dashes would say nothing more)
        dated = sort != "relevance" and any(line.date for line in result.lines)
        _print_concordance(result, filtered=not filters.is_empty(), dated=dated)
    sys.exit(EXIT_OK if result.lines else EXIT_NO_RESULTS)


def _no_places(result: Concordance, shown: str | None = None, filtered: bool = False) -> str:
    """The line that says a concordance has no place (``shown``: the query as printed; the
    rest is :func:`~corpus_search.search.held.no_places_where`, as the web page says it)."""
    from corpus_search.search.held import no_places_where

    return f"No places for {shown or _safe(result.query)} in {no_places_where(result, filtered)}."


#: context each side when the output is not a terminal (the library's default)
DEFAULT_CONTEXT = 60
#: the columns of ``concordance --csv``
CONCORDANCE_COLUMNS = ("id", "title", "date", "date_precision", "left", "match", "right",
                       "start", "end")


def _context_width(dated: bool = False) -> int:
    """Context each side that keeps a concordance line on one line of the terminal (an id,
    with its date when ``dated``, the context, a match of about a dozen characters), at
    least 20."""
    if not out.is_terminal:
        return DEFAULT_CONTEXT
    return max(20, min(DEFAULT_CONTEXT, (out.width - 14 - 16 - 12 * dated) // 2))


def _print_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    """``rows`` as CSV with a header, each field made safe for a terminal as text output is."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else strip_unprintable(str(row[c]))
                         for c in columns])


def _said(data: dict[str, Any]) -> dict[str, Any]:
    """A result's JSON (search, similar, concordance, count, trends, key-terms) with its
    ``notes`` (and each query's of trends) as the command says them: the command's options,
    where the library's name a function's arguments."""
    from corpus_search.search.counting import command_note

    said = {**data, "notes": [command_note(note) for note in data["notes"]]}
    if "queries" in data:
        said["queries"] = [_said(query) for query in data["queries"]]
    return said


def _print_query_notes(notes: Sequence[str], to: Console | None = None) -> None:
    """How the query was read (an unpaired quote left out, a boost capped), before the
    output of a command that searches it (each as the command says it: its options, where
    the library's names a function's arguments)."""
    from corpus_search.search.counting import command_note

    for note in notes:
        (to or out).print(f"[yellow]note[/] {_safe(command_note(note))}", soft_wrap=True)


def _told_on_stderr(result: Concordance | Counts | KeyTerms, spelling: tuple[str, str],
                    without: int = 0, by: str = "") -> None:
    """With ``--csv`` standard output is the table alone (for a file or a spreadsheet): what
    the text would say of the query goes to standard error, so that a table holding nothing
    says why (the ``spelling`` lines, as :func:`_print_spelling` words them: the correction
    counted instead of the query typed, the words no document holds; how the query was read,
    the matches a date range left out, why none matched, and the matches a count ``by`` a
    year, month, source or party places in no row, ``without`` one: the line the text prints
    under its table)."""
    _print_spelling(result, *spelling, to=err)
    _print_query_notes(result.notes, to=err)
    _print_undated_note(result.undated_left_out, to=err)
    for reason in result.why_empty:
        _note(reason, to=err)
    if without:
        from corpus_search.search.counting import lacked_by_all

        otherwise = lacked_by_all(by, "cli", one=without == 1)[1]
        _note(_not_in_table(without, by, otherwise), to=err)


def _not_in_table(without: int, by: str, otherwise: str = "") -> str:
    """The line under a count's table (and, with ``--csv``, on standard error, with
    ``otherwise``: the counts that place them) on the ``without`` matches it places in no
    row: "1 matching document without a month is not in the table" (a year-only date is a
    date, not a month's)."""
    from corpus_search.search.counting import LACKING

    return (f"{_count(without, 'matching document')} without {LACKING[by]} "
            f"{'is' if without == 1 else 'are'} not in the table"
            + (f" ({otherwise})." if otherwise else "."))


def _print_concordance(result: Concordance, filtered: bool = False,
                       dated: bool = False) -> None:
    shown = _print_spelling(result, "Showing places of", "search instead for")
    _print_query_notes(result.notes)
    matched = _count(result.documents, "document")
    if not result.lines:
        out.print(_no_places(result, f"[bold]{_safe(shown)}[/]", filtered))
        _print_undated_note(result.undated_left_out)
        for reason in result.why_empty:
            _note(reason)
        return
    if result.truncated:
        out.print(f"[dim]The first {_count(len(result.lines), 'place')} of [/][bold]"
                  f"{_safe(shown)}[/][dim], from {result.documents_read} of the {matched} it "
                  f"matches (--limit shows more)[/]")
    elif result.documents_read < result.documents:
        # "24 places in 60 documents" read as places in each of them
        other = result.documents - result.documents_read
        from corpus_search.search.held import no_place

        out.print(f"[dim]{_count(len(result.lines), 'place')} of [/][bold]{_safe(shown)}[/]"
                  f"[dim] in {result.documents_read} of the {matched} it matches; the other "
                  f"{other} {no_place(other, result.related_only)}[/]")
    else:
        out.print(f"[dim]{_count(len(result.lines), 'place')} of [/][bold]{_safe(shown)}[/]"
                  f"[dim] in {matched}[/]")
    _print_undated_note(result.undated_left_out)
    _print_concordance_lines(result, dated)


#: how many lines :func:`_print_concordance_lines` gives rich's print at a time
CONCORDANCE_LINES_PER_PRINT = 500


def _print_concordance_lines(result: Concordance, dated: bool = False) -> None:
    """The concordance's lines, the ids in a column (``dated``: each with its date, as
    ``list`` shows it, so that an order by date is seen) and the matches lined up after their
    left context, a batch of lines to a call of rich's print (a call a line measured the
    terminal and wrote out each time: 1.0 s of printing the 7,254 places of "said" in the
    BBC articles). On a terminal a line is cut to it with an ellipsis when its match fits;
    elsewhere (or past a terminal's width) it is printed whole."""
    from rich.cells import cell_len
    from rich.console import Group
    from rich.text import Text

    ids = [_shown(line.id) for line in result.lines]
    id_width = max(cell_len(shown) for shown in ids)
    if dated:
        ids = [shown + " " * (id_width - cell_len(shown) + 2)
               + _listed_date(line.date, line.date_precision)
               for shown, line in zip(ids, result.lines, strict=True)]
        id_width += 12
    terminal = out.is_terminal
    columns = out.width if terminal else 0
    batch: list[Text] = []
    for n, (line, shown_id) in enumerate(zip(result.lines, ids, strict=True), 1):
        left = _shown(line.left)
        while cell_len(left) > result.width:  # (wide characters, escapes)
            left = left[1:]
        left = " " * (result.width - cell_len(left)) + left
        match = _shown(line.match)
        # bold on a terminal; elsewhere the marks search's snippets have, or where a match of
        # several words ends ("Liberal Democrat leader") is not told
        text = Text.assemble((shown_id, "dim"), " " * (id_width - cell_len(shown_id) + 2),
                             left, (match if terminal else f"**{match}**", "bold yellow"),
                             _shown(line.right))
        if terminal and id_width + 2 + result.width + cell_len(match) <= columns:
            text.overflow, text.no_wrap = "ellipsis", True
        # (else cut to the terminal, it would lose its match: a --width wider than it; a
        # file or a program gets every character of the context asked for)
        batch.append(text)
        if len(batch) == CONCORDANCE_LINES_PER_PRINT or n == len(result.lines):
            out.print(Group(*batch), soft_wrap=True)
            batch.clear()


def _shown(text: str) -> str:
    """Document text as the terminal will show it, for measuring: control characters
    dropped, and what a non-UTF-8 output lacks escaped (a concordance's columns line up in
    cells: ``\\u2019`` takes six, a CJK character two)."""
    return as_written(strip_unprintable(text))


# -- count ------------------------------------------------------------------------------------


#: ``count --by``'s values: ``search.counting.COUNT_BY``, written out so that ``--help`` does
#: not import NumPy and Whoosh (a test holds the two equal)
COUNT_CHOICES = ["year", "month", "source", "party"]
by_option = click.option("--by", type=click.Choice(COUNT_CHOICES), default=["year"], **ONCE,
                         show_default=True, help="Count per year, month, source or party.")
plot_option = click.option(
    "--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), **ONCE,
    help="Also draw a chart into this file (.png, .svg, .pdf; the plot extra).")


@cli.command("count")
@click.argument("query", nargs=-1)
@indexes_option
@by_option
@exact_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (value, matching, documents, share), every period included.")
@plot_option
@json_option
@_guarded
@filter_options
def count_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], by: str, exact: bool,
              as_csv: bool, plot_path: Path | None, filters: SearchFilters,
              as_json: bool) -> None:
    """Count the documents QUERY matches per year, month, source or party, beside all the
    documents of each (QUERY "*": every document).

    The share of each period's documents that match does not rise with the corpus's own
    volume, as the raw count does. The documents are those search finds for QUERY, less
    those holding only part of it (a quoted phrase's words apart, some words of a name or
    lexicon term) or only a term the lexicon relates to it: a note says how many. As in
    search, several words match any of them: count '"Lib Dems" AND "tuition fees"' counts
    the documents naming both.
    """
    _one_output(as_csv, as_json)
    with _open_for_search(index_paths) as ix:
        counts = ix.count(" ".join(query), by=by, filters=filters, correct=not exact)
    if plot_path is not None:
        counts.plot(plot_path)
    if as_json:
        _print_json(_said(counts.to_dict()), "count")
    elif as_csv:
        _told_on_stderr(counts, ("Counting", "count instead"), counts.without, counts.by)
        _print_csv([row.to_dict() for row in counts.rows], ("value", "matching", "documents",
                                                             "share"))
    else:
        _print_count_table(counts, filtered=not filters.is_empty())
        if plot_path is not None:
            err.print(f"chart written to {_safe(plot_path)}")
    sys.exit(EXIT_OK if counts.total else EXIT_NO_RESULTS)


#: the longest bar of ``count``'s table, in characters
COUNT_BAR = 30


def _count_bar_width(counts: Counts, labels: list[str]) -> int:
    """The longest bar that fits beside the other columns of ``count``'s table (at most
    :data:`COUNT_BAR`): a bar cut at the terminal's edge would show 147 and 105 alike."""
    from rich.cells import cell_len

    columns = [max(cell_len(_shown(text)) for text in [counts.by, *labels]),
               max(len("matching"), len(str(counts.total))),
               max(len("of all"), *(len(str(row.documents)) for row in counts.rows)),
               len("100.0%")]
    return max(1, min(COUNT_BAR, out.width - sum(columns) - 2 * len(columns)))


def _print_told(result: Counts | KeyTerms, showing: str, instead: str,
                matching: int) -> str | None:
    """What count and key terms print before their table: the spelling lines, the notes on
    how the query was read and the undated matches left out; then, when no document
    matches, that and why (and ``None``), else the query as searched."""
    shown = _print_spelling(result, showing, instead)
    _print_query_notes(result.notes)
    _print_undated_note(result.undated_left_out)
    if matching:
        return shown
    out.print(f"No documents match [bold]{_safe(shown)}[/].")
    for reason in result.why_empty:
        _note(reason)
    return None


def _print_count_table(counts: Counts, filtered: bool) -> None:
    from rich.table import Table

    shown = _print_told(counts, "Counting", "count instead", counts.total)
    if shown is None:
        return
    from corpus_search.search.counting import lacked_by_all

    verb = "matches" if counts.total == 1 else "match"
    # ("*" counts what the filters keep, as key-terms says: "12 documents match *" reads as
    # a query for "*")
    which = ((" the filters keep" if filtered else "") if shown.strip() == "*" else
             f" {verb}[/] [bold]{_safe(shown)}[/][dim]")
    out.print(f"[dim]{_count(counts.total, 'document')}{which}; by {counts.by}[/]")
    if counts.without == counts.total:  # (no table of zeros)
        lacks, otherwise = lacked_by_all(counts.by, "cli", one=counts.total == 1)
        out.print(f"{'It' if counts.total == 1 else 'None of them'} {lacks}"
                  + (f" ({otherwise})." if otherwise else "."))
        return
    table = Table(counts.by, "matching", "of all", "share", "", box=None, pad_edge=False)
    most = max((row.matching for row in counts.rows), default=0) or 1
    shown = counts.joined()
    longest = _count_bar_width(counts, [label for label, _row in shown])
    block = "\u2588" if utf8_streams() else "#"  # (escaped, a block takes six characters)
    for label, row in shown:
        if row is None:
            table.add_row(f"[dim]{label}[/]", "[dim]-[/]", "[dim]0[/]", "", "[dim](no "
                          "documents)[/]")
            continue
        bar = block * round(longest * row.matching / most)
        table.add_row(_safe(label), str(row.matching), str(row.documents),
                      f"{100 * row.share:.1f}%", f"[cyan]{bar}[/]")
    _print_table(table)
    if counts.without:
        out.print(f"[dim]{_not_in_table(counts.without, counts.by)}[/]")


# -- trends -----------------------------------------------------------------------------------


@cli.command("trends")
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...")
@indexes_option
@by_option
@exact_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (value, documents, then '<query> matching' and '<query> "
                   "share' for each query), every period included.")
@plot_option
@json_option
@_guarded
@filter_options
def trends_cmd(queries: tuple[str, ...], index_paths: tuple[Path, ...], by: str, exact: bool,
               as_csv: bool, plot_path: Path | None, filters: SearchFilters,
               as_json: bool) -> None:
    """Compare how often up to 8 queries come up per year, month, source or party: the share
    of each period's documents each matches, side by side.

    Each argument is one query: quote a query of several words (trends NHS immigration
    'tuition fees' compares three). As in search, several words match any of them: quote
    a phrase inside ('"tuition fees"') to count the documents holding it. Each query's
    figures are what count gives for it.
    """
    _one_output(as_csv, as_json)
    with _open_for_search(index_paths) as ix:
        found = ix.trends(list(queries), by=by, filters=filters, correct=not exact)
    if plot_path is not None:
        found.plot(plot_path)
    if as_json:
        _print_json(_said(found.to_dict()), "trends")
    elif as_csv:  # (what the text says of the queries, on stderr: the table is alone)
        if _print_trends_told(found, to=err):
            _print_trends_without(found, to=err)
        _print_trends_csv(found)
    else:
        _print_trends_table(found)
        if plot_path is not None:
            err.print(f"chart written to {_safe(plot_path)}")
    sys.exit(EXIT_OK if found.matched else EXIT_NO_RESULTS)


def _print_trends_csv(found: Trends) -> None:
    """One row a value, every period included: its documents, then each query's matching
    documents and share, in columns named after the query (for a spreadsheet's chart)."""
    # (named as counted, the text's table heads: "Blare" typed, the figures are Blair's)
    names = [strip_unprintable(" ".join(query.split())) for query in found.searched]
    columns = ("value", "documents",
               *(f"{name} {figure}" for name in names for figure in ("matching", "share")))
    _print_csv([{"value": row.value, "documents": row.documents,
                 **{f"{name} {figure}": one.to_dict()[figure]
                    for name, one in zip(names, row.counts, strict=True)
                    for figure in ("matching", "share")}}
                for row in found.rows], columns)


def _print_trends_told(found: Trends, to: Console | None = None) -> bool:
    """What trends print before their table, query by query, on ``to`` (standard output's
    console unless given; standard error's for --csv): the spelling lines, the notes on how
    each was read (named when there are several), the queries matching the same documents
    as another, the undated matches a date range left out, each query that matched nothing
    and why; whether a table follows."""
    console = to or out
    several = len(found.counts) > 1
    for one in found.counts:
        _print_spelling(one, "Counting", "count instead", to=console)
        _print_query_notes([f"{one.query}: {note}" if several else note for note in one.notes],
                           to=console)
    _print_query_notes(found.notes, to=console)
    left_out = [(one.query, one.undated_left_out) for one in found.counts
                if one.undated_left_out]
    if left_out:
        console.print("[yellow]Matching documents with no date, left out: "
                      f"{_safe(', '.join(f'{query} {n}' for query, n in left_out))}; "
                      "--include-undated keeps them.[/]")
    for queries, reasons in found.unmatched():
        console.print(f"No documents match "
                      f"{', '.join(f'[bold]{_safe(q)}[/]' for q in queries)}.")
        for reason in reasons:
            _note(reason, to=console)
    if not found.matched:
        return False
    if found.by in ("year", "month") and all(one.without == one.total for one in found.counts):
        from corpus_search.search.counting import lacked_by_all

        # (the documents matched, as count says, exit 0; how many: "None of the matching
        # documents" alone gave no figure, where count gives one)
        lacks, otherwise = lacked_by_all(found.by, "cli")
        console.print(f"Matching documents: {_safe(_trends_totals(found.searched, found))}; "
                      f"none of them {lacks} ({otherwise}).")
        return False
    return True


def _print_trends_without(found: Trends, to: Console | None = None) -> None:
    """Each query's matches that no row of the table counts (no date, source or party), on
    ``to`` (standard output's console unless given), named as the table's columns are."""
    without = [(name, one.without) for name, one in zip(found.searched, found.counts,
                                                        strict=True) if one.without]
    if without:
        from corpus_search.search.counting import LACKING

        noun = LACKING[found.by]
        (to or out).print(f"[dim]Matching documents without {noun}, not in the table: "
                          f"{_safe(', '.join(f'{name} {n}' for name, n in without))}.[/]")


def _trends_totals(names: Sequence[str], found: Trends) -> str:
    """Each query's matching documents, by its name (``Blair 181, Brown 130``)."""
    return ", ".join(f"{name} {one.total}" for name, one in zip(names, found.counts, strict=True))


def _print_trends_table(found: Trends) -> None:
    from rich.table import Table

    if not _print_trends_told(found):
        return
    names = found.searched
    shown = found.joined()
    cells = [[f"{100 * share:5.1f}% ({n})" for share, n in zip(row.shares, row.matching,
                                                              strict=True)]
             if row is not None else None for _label, row in shown]
    headers = [_safe(name) for name in names]
    narrow = out.is_terminal and _trends_width(found.by, headers, shown, cells) > out.width
    if narrow:  # (wrapped, a cell's count fell under its share: the shares are what compare)
        cells = [[cell.split(" (")[0] for cell in row] if row is not None else None
                 for row in cells]
        headers = ["\n".join(_wrapped(header, 6)) for header in headers]
    label_width, documents = _narrow_layout(found.by, headers, shown, cells) if narrow else (
        None, True)
    how_many = "" if narrow else " (and how many)"
    out.print(f"[dim]Matching documents: {_safe(_trends_totals(names, found))}; by "
              f"{found.by}, the share of each {found.by}'s documents{how_many}[/]")
    table = Table(box=None, pad_edge=False)
    table.add_column(found.by, width=label_width)
    if documents:
        table.add_column("documents" if not narrow else "docs", justify="right")
    for header in headers:  # (a share cut short says nothing: the others give way first)
        table.add_column(header, no_wrap=True, min_width=len(cells[0][0]) if cells[0] else 6)
    for (label, row), row_cells in zip(shown, cells, strict=True):
        if row is None or row_cells is None:
            table.add_row(f"[dim]{_safe(label)}[/]", *(["[dim]0[/]"] if documents else []),
                          *(["[dim]  -[/]"] * len(names)))
            continue
        table.add_row(_safe(label), *([str(row.documents)] if documents else []), *row_cells)
    # (a table that cannot fit runs past the edge, to be wrapped by the terminal, rather
    # than rich cutting every column, the years and months first, to "2…")
    needed = _trends_width(found.by, headers, shown, cells, label_width, documents)
    if needed <= out.width:
        _print_table(table)
    else:
        from rich.console import Console

        _print_table(table, Console(file=out.file, width=needed, color_system=out.color_system,
                                    force_terminal=out.is_terminal, highlight=False,
                                    emoji=False), crop=False)
    _print_trends_without(found)


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of ``width`` characters, or of its longest word if that is longer."""
    import textwrap

    return textwrap.wrap(text, max(width, *(len(word) for word in text.split())),
                         break_on_hyphens=False) or [text]


def _trends_width(by: str, headers: list[str], shown: list[tuple[str, Any]],
                  cells: list[list[str] | None], label_width: int | None = None,
                  documents: bool = True) -> int:
    """How wide the trends table is with these headers and cells (two spaces between
    columns), its first column ``label_width`` wide when given, with or without the column
    of documents."""
    from rich.cells import cell_len

    widths = [label_width or max(cell_len(_shown(text))
                                 for text in [by, *(label for label, _ in shown)])]
    if documents:
        widths.append(len("documents") if label_width is None else max(
            len("docs"), *(len(str(row.documents)) for _, row in shown if row is not None)))
    for n, header in enumerate(headers):
        widths.append(max([*(cell_len(_shown(line)) for line in header.split("\n")),
                           *(len(row[n]) for row in cells if row is not None)]))
    return sum(widths) + 2 * (len(widths) - 1)


def _narrow_layout(by: str, headers: list[str], shown: list[tuple[str, Any]],
                   cells: list[list[str] | None]) -> tuple[int, bool]:
    """On a narrow terminal: the first column's width, its labels wrapped between words
    ("2003-10 -" over "2004-11", never cut: a share says nothing without its year), and
    whether the column of documents fits (the shares are what compare: it gives way)."""
    from rich.cells import cell_len

    label_width = max(cell_len(part) for text in [by, *(label for label, _ in shown)]
                      for part in re.split(r" (?!- )", _shown(text)))
    fits = _trends_width(by, headers, shown, cells, label_width) <= out.width
    return label_width, fits


# -- key terms --------------------------------------------------------------------------------


@cli.command("key-terms")
@click.argument("query", nargs=-1)
@indexes_option
@click.option("-n", "--limit", default=[30], show_default=True, type=click.IntRange(min=1),
              **ONCE,
              help="How many key terms to show.")
@click.option("--min-documents", default=[3], show_default=True, type=click.IntRange(min=1),
              **ONCE,
              help="The fewest matching documents a key term stands in.")
@click.option("--against", metavar="QUERY", **ONCE,
              help="Compare with the documents this query matches (as typed, within the "
                   "filters; * for the others the filters keep), not the rest of the index.")
@exact_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (word, matching, matching_share, others, others_share, "
                   "log_likelihood, log_ratio).")
@json_option
@_guarded
@filter_options
def key_terms_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int,
                  min_documents: int, against: str | None, exact: bool, as_csv: bool,
                  filters: SearchFilters, as_json: bool) -> None:
    """Show the words that set the documents QUERY matches apart from the rest of the index
    (QUERY "*" with filters: the documents they keep), most telling first.

    Words are counted in documents and ranked by log-likelihood (keyness); the log ratio
    says how many times more common a word is among the matches (1: twice, 3: eight times).
    The documents are those count counts for QUERY (not those search also finds holding
    only part of it or a term the lexicon relates to it: a note says how many).
    """
    _one_output(as_csv, as_json)
    with _open_for_search(index_paths) as ix:
        found = ix.key_terms(" ".join(query), limit=limit, filters=filters,
                             min_documents=min_documents, against=against, correct=not exact)
    if as_json:
        _print_json(_said(found.to_dict()), "key-terms")
    elif as_csv:
        _told_on_stderr(found, ("Showing key terms for", "see them instead for"))
        if found.matching and not found.terms:  # (a header alone said nothing of why)
            _note(_no_key_terms(found, min_documents), to=err)
        _print_csv([term.to_dict() for term in found.terms],
                   ("word", "matching", "matching_share", "others", "others_share",
                    "log_likelihood", "log_ratio"))
    else:
        _print_key_terms(found, min_documents, filtered=not filters.is_empty(),
                         several=len(set(index_paths)) > 1)
    sys.exit(EXIT_OK if found.terms else EXIT_NO_RESULTS)


def _print_key_terms(found: KeyTerms, min_documents: int, filtered: bool,
                     several: bool = False) -> None:
    from rich.table import Table

    shown = _print_told(found, "Showing key terms for", "see them instead for", found.matching)
    if shown is None:
        return
    verb = "matches" if found.matching == 1 else "match"
    # ("*" matches what the filters keep: "12 documents match *" reads as a query for "*")
    which = ("the filters keep" if shown.strip() == "*" else
             f"{verb}[/] [bold]{_safe(shown)}[/][dim]")
    # (--against "*" with no filter compares with the rest of the index, as no --against does)
    rest = "of the indexes" if several else "of the index"
    compared = (f"the {_count(found.others, 'other')} {rest}[/]" if found.against is None
                or (found.against.strip() == "*" and not filtered)
                else f"the {_count(found.others, 'other')} the filters keep[/]"
                if found.against.strip() == "*" else
                f"the {found.others} matching[/] [bold]{_safe(found.against)}[/][dim] (and not "
                "the query)[/]")
    out.print(f"[dim]{_count(found.matching, 'document')} {which}, against {compared}")
    if not found.terms:
        out.print(_no_key_terms(found, min_documents))
        return
    table = Table("word", box=None, pad_edge=False)
    for heading in ("matching", "", "others", "", "log ratio", "keyness"):
        table.add_column(heading, justify="right")
    for term in found.terms:
        table.add_row(_safe(term.word), str(term.matching), f"{100 * term.matching_share:.1f}%",
                      str(term.others), f"{100 * term.others_share:.1f}%",
                      f"{term.log_ratio:.1f}", f"{term.log_likelihood:.1f}")
    _print_table(table)


def _no_key_terms(found: KeyTerms, min_documents: int) -> str:
    """Why documents matched but no key term came of them."""
    least = min(min_documents, found.matching)
    return ("No word is clearly more common among them than elsewhere"
            + (f" (in at least {least} of them)." if least > 1 else "."))


# -- export -----------------------------------------------------------------------------------


#: ``export --format``'s values: ``search.export.FORMATS``, written out so that ``--help`` does
#: not import NumPy and Whoosh (a test holds the two equal)
EXPORT_CHOICES = ["csv", "jsonl", "txt"]


@cli.command("export")
@click.argument("query")
@click.argument("target", metavar="OUT")
@indexes_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_CHOICES), **ONCE,
              help="csv, jsonl, or txt: a folder of text files with front matter [default: "
                   "told by OUT: .csv, .jsonl; a folder or a name without a suffix is txt; - "
                   "is csv].")
@sort_option
@exact_option
@click.option("--force", is_flag=True,
              help="Replace OUT if it exists (a folder only if an export wrote it and it "
                   "holds nothing but .txt files).")
@click.option("--counted", is_flag=True,
              help="Only the documents count counts for QUERY (not those holding only a "
                   "phrase's words apart, part of a name or term, or a related term).")
@_guarded
@filter_options
def export_cmd(query: str, target: str, index_paths: tuple[Path, ...], fmt: str | None,
               sort: str, exact: bool, force: bool, counted: bool,
               filters: SearchFilters) -> None:
    """Write every document QUERY matches, with its text, to OUT: a CSV or JSON Lines file,
    a folder of text files, or - (standard output). QUERY "*": every document the filters
    keep.

    The documents are those search counts for QUERY, in its order. OUT is written in full
    or not at all, and an existing file or folder that is not empty is replaced only with
    --force.
    """
    with _open_for_search(index_paths) as ix, _interrupted_by_sigterm():
        if target == "-":
            with _utf8_stdout() as stream:
                report = ix.export(query, stream, format=fmt, filters=filters, sort=sort,
                                   correct=not exact, overwrite=force, counted=counted)
        else:
            report = ix.export(query, target, format=fmt, filters=filters, sort=sort,
                               correct=not exact, overwrite=force, counted=counted)
    # (on stderr: standard output may be the export itself)
    _print_spelling(report, "Exporting the documents of", "export instead", to=err)
    _print_query_notes(report.notes, to=err)
    _print_undated_note(report.undated_left_out, to=err)
    where = "standard output" if report.path is None else str(report.path)
    err.print(f"Wrote {_count(report.documents, 'document')} to {_safe(where)}"
              f"{_uncounted_note(report)}", soft_wrap=True)
    for reason in report.why_empty:
        _note(reason, to=err)
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


# -- web --------------------------------------------------------------------------------------


@cli.command("web")
@indexes_option
@click.option("--host", default=["127.0.0.1"], show_default=True, **ONCE,
              help="The address to listen on (the default: this computer only).")
@click.option("--port", default=[8000], show_default=True, type=click.IntRange(0, 65535), **ONCE,
              help="The port to listen on (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your browser.")
@_guarded
def web_cmd(index_paths: tuple[Path, ...], host: str, port: int, open_browser: bool) -> None:
    """Serve a local web page to search the index, read its documents, see every place a
    query matches, count them and list their key terms (the web extra: pip install '.[web]'
    in a source checkout, pip install 'corpus-search[web]' from a package index)."""
    try:
        from corpus_search.web import (
            create_app,
            make_server,
            open_to_others,
            serve_until_stopped,
        )
    except ImportError as exc:
        raise MissingExtraError(f"The web page needs Flask ({exc}): "
                                f"{install_extra('web')}") from None
    with _open_for_search(index_paths) as ix:
        try:
            server = make_server(create_app(ix), host, port)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            # (it said only "Address already in use": not which, nor what to do)
            _fail(f"Port {port} of {host} is in use (another corpus-search web?): choose "
                  "another with --port, or --port 0 for any free one.")
        with server:
            url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}/"
            err.print(f"Serving {_safe(ix.path)} at {url} (Ctrl-C stops it)")
            if exposed := open_to_others(host):
                err.print(f"[yellow]note[/] {_safe(exposed)}", soft_wrap=True)
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            serve_until_stopped(server)  # (Ctrl-C or kill's SIGTERM: the index closed)
            err.print("stopped")


# -- list, show, similar, stats, analyze ------------------------------------------------------


@cli.command("list")
@indexes_option
@paging_options(100, "documents")
@facets_option
@json_option
@_guarded
@filter_options
def list_cmd(index_paths: tuple[Path, ...], limit: int, page: int, filters: SearchFilters,
             facets: bool, as_json: bool) -> None:
    """List the documents (ids, dates, titles) the filters keep, newest first, undated last."""
    with _open_for_search(index_paths) as ix:
        results = ix.list_documents(filters, limit=limit, page=page)
        _show(results, as_json, functools.partial(_print_listing, facets=facets))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _print_listing(results: SearchResults, facets: bool = False) -> None:
    """One line a document: id, date (or dashes), title; ids padded to line up."""
    if not results.hits:
        if not results.total:
            out.print("No documents.")
        _print_undated_note(results.undated_left_out)
        return
    first = (results.page - 1) * results.limit + 1
    out.print(f"[dim]{_count(results.total, 'document')}, showing "
              f"{first}-{first + len(results.hits) - 1}"
              f" (page {results.page} of {results.pages})[/]")
    _print_undated_note(results.undated_left_out)
    if facets:
        _print_facets(results)
        out.print()
    width = max(len(_safe(hit.id)) for hit in results.hits)
    for hit in results.hits:
        shown = _listed_date(hit.date, hit.date_precision)
        out.print(f"{_safe(hit.id):<{width}}  [green]{shown}[/]  {_title(hit.title)}")


def _listed_date(date: dt.date | None, precision: str | None) -> str:
    """A date in a column of them (list, concordance --sort date): ISO no more precisely than
    it is known (``2005-02  `` for a month), or dashes as wide."""
    from corpus_search.search.shown_dates import iso_at_precision

    return iso_at_precision(date, precision).ljust(10) if date else "-" * 10


@cli.command("show")
@doc_id_argument
@indexes_option
@click.option("--mark", metavar="QUERY", **ONCE,
              help="Mark the places of QUERY in the text, as concordance finds them (--json: "
                   "their character spans, as places).")
@click.option("--cite", "cite_it", is_flag=True,
              help="Print its reference instead (title, source, date, address, id, file), to "
                   "go under a quotation (--json: the citation's fields).")
@click.option("--at", type=int, metavar="N", **ONCE,
              help="With --cite: quote the paragraph holding character N of its text (a "
                   "place's start, as concordance --json gives it) above the reference.")
@json_option
@_guarded
def show_cmd(doc_id: str, index_paths: tuple[Path, ...], mark: str | None, cite_it: bool,
             at: int | None, as_json: bool) -> None:
    """Print the document with id DOC_ID (--json: the fields of a search hit, file and body;
    --cite: how to cite it)."""
    if at is not None and not cite_it:
        raise click.UsageError("--at N quotes a paragraph with its reference: give --cite too.")
    if cite_it and mark is not None:
        raise click.UsageError("--cite prints a reference, not the text to mark: give --mark "
                               "or --cite, not both.")
    with _open_for_search(index_paths) as ix:
        record = ix.describe(doc_id)
        if record is None:
            _no_document(ix.unknown_id(doc_id), index_paths)
        # (a text quoted or cited from the index where the file says otherwise now)
        if note := ix.file_note(doc_id):
            err.print(f"[yellow]note[/] {_safe(note)}", soft_wrap=True)
        if cite_it:
            citation = ix.cite(doc_id, at)
            if as_json:
                _print_json(citation.to_dict(), "citation")
            else:
                out.print(_safe(citation.text), soft_wrap=True)
            return
        marks = ix.marks(mark, record["body"]) if mark is not None else None
    places = marks.places if marks is not None else None
    if as_json:
        _print_json(record if places is None else {**record, "places": places}, "document")
        return
    out.print(f"[bold]{_title(record['title'])}[/]")
    meta = [f"id: {record['id']}"]
    if record["date"]:
        from corpus_search.search.shown_dates import iso_at_precision

        shown = iso_at_precision(record["date"], record["date_precision"])
        meta.append(f"date: {shown} ({record['date_source'] or 'user'})")
    for key in ("source", "parties", "url", "file"):
        value = record["path"] if key == "file" and record["path"] else record[key]
        if value:
            meta.append(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    out.print(f"[dim]{_safe(' · '.join(meta))}[/]\n")
    if marks is None:
        out.print(_safe(record["body"]))
        return
    shown = _count(len(marks.places), "place") if marks.places else "No place"
    err.print(f"[dim]{shown} of [/][bold]{_safe(marks.query)}[/][dim] marked in its text[/]")
    if marks.suggestion:  # (as search would read it: a word no document holds, corrected)
        err.print(f"Did you mean: [bold]--mark {_safe(shlex.quote(marks.suggestion))}[/]?")
    if marks.not_found:
        from corpus_search.terminal import NOT_FOUND
        err.print(f"[yellow]{NOT_FOUND}[/] {_safe(', '.join(marks.not_found))}")
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


@cli.command("similar")
@doc_id_argument
@indexes_option
@paging_options(10, "results")
@sort_option
@facets_option
@json_option
@_guarded
@filter_options
def similar_cmd(doc_id: str, index_paths: tuple[Path, ...], limit: int, page: int,
                filters: SearchFilters, sort: str, facets: bool, as_json: bool) -> None:
    """List documents like DOC_ID, most alike first (those the filters keep: the alike from
    one party, source or period; --facets counts them all by source, party and year)."""
    with _open_for_search(index_paths) as ix:
        try:
            results = ix.similar(doc_id, limit=limit, page=page, filters=filters, sort=sort)
        except DocumentNotFoundError as exc:
            _no_document(exc, index_paths)
        _show(results, as_json, functools.partial(_print_results, facets=facets))
    sys.exit(EXIT_OK if results.hits else EXIT_NO_RESULTS)


def _no_document(exc: DocumentNotFoundError, index_paths: tuple[Path, ...]) -> None:
    """Stop with ``exc`` (no document has the id given to show or similar) and the way to
    find the document meant."""
    where = "".join(f" --index {shlex.quote(str(p))}" for p in index_paths)
    _fail(f"{exc} Search for it, or list ids with: corpus-search list{where}")


#: how many sources and parties ``stats`` lists before it says how many more there are
STATS_SHOWN = 20


@cli.command("stats")
@indexes_option
@click.option("--all", "show_all", is_flag=True,
              help=f"List every source and party (default: the {STATS_SHOWN} most frequent).")
@json_option
@_guarded
def stats_cmd(index_paths: tuple[Path, ...], show_all: bool, as_json: bool) -> None:
    """Summarise the index: documents, files and folders, size, sources, parties, years
    (several --index: each in turn; --json: a list). An index to rebuild for this version
    is described as it was built, with the command that rebuilds it."""
    try:
        with _open_for_search(index_paths) as ix:
            stats = ix.stats()
    except IndexVersionError as exc:
        stats = _stats_as_built(exc, index_paths)
    if as_json:
        _print_json([_stats_dict(s) for s in stats] if isinstance(stats, list)
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
    out.print(f"[bold]{_safe(stats.path)}[/]")
    out.print(f"{_count(stats.documents, 'document')} from {_count(stats.files, 'file')}, "
              f"{stats.size_bytes / 2**20:.1f} MiB; analyzer {stats.analyzer_version}, "
              f"lexicon {stats.lexicon_fingerprint[:12]}; updated {stats.last_modified}")
    for root in stats.roots:
        counts = stats.folders.get(root, {})
        out.print(f"  folder: {_safe(root)} ({_count(counts.get('documents', 0), 'document')} "
                  f"from {_count(counts.get('files', 0), 'file')})")
    for file in stats.lexicon_files:  # (the vocabulary searches read it with)
        out.print(f"  lexicon file: {_safe(file)}")
    for note in map(command_message, stats.notes):
        out.print(f"  [yellow]note[/] {_safe(note)}", soft_wrap=True)
    _print_breakdown(stats.sources, stats.parties, stats.years, stats.documents,
                     None if show_all else "--all", stats.without_party)


def _print_breakdown(sources: dict[str, int], parties: dict[str, int], years: dict[str, int],
                     documents: int, more: str | None, without_party: int | None = None) -> None:
    """Counts of ``documents`` by source and party (the most frequent first, the first
    :data:`STATS_SHOWN` unless ``more`` is None; ``more`` names the option that lists the
    rest; ``without_party`` of them name none) and by year (every one, in date order, then
    the undated): what stats says of an index and search --facets of a query's matches."""
    from corpus_search.search.results import facet_rest

    limit = None if more is None else STATS_SHOWN
    for name, plural, counts, shown in (
        ("source", "sources", sources, limit),
        ("party", "parties", parties, limit),
        ("year", "years", dict(sorted(years.items())), None),
    ):
        rest = facet_rest(name, counts, documents, without_party)
        if not counts and not rest:
            continue
        out.print(f"by {name}")
        _print_counts(list(counts.items())[:shown] + ([rest] if rest else []))
        if shown is not None and len(counts) > shown:
            out.print(f"  … and {len(counts) - shown} more {plural} ({more} lists them)")


def _print_counts(rows: list[tuple[str, int]]) -> None:
    """``rows`` as two columns, names padded to the longest (in terminal cells) and counts
    aligned right, nothing after them: a line's end is its count, piped or not."""
    from rich.cells import cell_len

    names = [strip_unprintable(str(name)) for name, _ in rows]
    width = max(map(cell_len, names), default=0)
    digits = max((len(str(count)) for _, count in rows), default=0)
    for name, (_, count) in zip(names, rows, strict=True):
        padding = " " * (width - cell_len(name))
        out.print(f"  {_safe(name)}{padding}    {count:>{digits}}", soft_wrap=True)


@cli.command("check")
@index_option
@json_option
@_guarded
def check_cmd(index_paths: tuple[Path, ...], as_json: bool) -> None:
    """Check the index for damage (reads every segment, changes nothing). Exit 0 healthy,
    1 damaged or built by another version, 2 no index there."""
    from corpus_search.store.check import check_index

    report = check_index(_one_index(index_paths, "check"))
    if as_json:
        _print_json(_check_dict(report), "check")
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
    out.print(f"[bold]{_safe(report.path)}[/]: [{colour}]{report.status}[/] "
              f"(generation {report.generation}, {_count(report.documents, 'document')}, "
              f"{_count(len(report.segments), 'segment')})", soft_wrap=True)
    for seg in report.segments:
        state = "ok" if not seg.problems else f"{len(seg.problems) + seg.unlisted_problems} " \
                                              "problems"
        out.print(f"  segment {_safe(seg.name)}: {_count(seg.documents, 'document')}, "
                  f"{seg.deleted} deleted, {_count(seg.terms, 'term')}, "
                  f"{_count(seg.postings, 'posting')}: {state}", soft_wrap=True)
    for problem in report.all_problems():
        out.print(f"  [red]problem[/] {_safe(problem)}", soft_wrap=True)
    for note in map(command_message, report.notes):
        out.print(f"  [yellow]note[/] {_safe(note)}", soft_wrap=True)
    for line in map(command_message, report.recoverable):
        out.print(f"  recoverable: {_safe(line)}", soft_wrap=True)
    if not report.healthy:
        out.print(f"  rebuild with: {_safe(report.rebuild_command)}", soft_wrap=True)


@cli.command("serve")
@click.option("--background", is_flag=True,
              help="Start the server in the background and return once it serves.")
@click.option("--stop", is_flag=True, help="Stop the server that is running.")
@click.option("--idle-minutes", type=click.FloatRange(min=0), **ONCE,
              help="Stop after this many minutes without a command (0: never; default: "
                   "never, or 60 with --background).")
@_guarded
def serve_cmd(background: bool, stop: bool, idle_minutes: float | None) -> None:
    """Keep the reading commands warm: while the server runs, search, concordance, count,
    trends, key-terms, list, show, similar and stats (from any terminal of yours) run in it,
    without their ~0.25 s of start-up. Their output, exit codes and errors are unchanged.
    Stop it with Ctrl-C or serve --stop; CORPUS_SEARCH_SERVER=off runs a command on its own."""
    from corpus_search import warm

    if stop:
        if not warm.stop_server():
            _fail("no server is running", EXIT_NO_RESULTS)
        err.print("stopped the server")
        return
    if background:
        idle = BACKGROUND_IDLE_MINUTES if idle_minutes is None else idle_minutes
        pid, log = warm.serve_in_background(idle)
        until = f"after {idle:g} idle minutes or " if idle else ""
        err.print(f"serving in the background (process {pid}, log {_safe(log)}); it stops "
                  f"{until}with corpus-search serve --stop")
        return
    global _KEPT
    _warm_up()
    _KEPT = {}
    try:
        warm.serve(_run_served, READING_COMMANDS, idle_minutes=idle_minutes or 0,
                   log=lambda line: click.echo(f"corpus-search serve: {line}", err=True))
    finally:
        _forget_kept()
        _KEPT = None


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
            _forget_kept()  # stopped midway, it may have left an index's caches half made
        raise
    return EXIT_OK


def _forget_kept() -> None:
    """Close the indexes a ``serve`` process keeps (:data:`_KEPT`)."""
    for _stamp, ix in (_KEPT or {}).values():
        ix.close()
    if _KEPT:
        _KEPT.clear()


@cli.command("analyze")
@click.argument("text")
@click.option("--mode", type=click.Choice(["index", "query"]), default=["index"], show_default=True,
              **ONCE,
              help="Analyze as a document is indexed, or as a query is read.")
@click.option("--lexicon", "lexicon", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Extra lexicon file (repeatable); default: those the index was built with.")
@index_option
@json_option
@_guarded
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
    path = _one_index(index_paths, "analyze") or default_index_path()
    if not files and index_paths and not holds_index(path):
        raise IndexNotFoundError(f"No corpus_search index at {path}, whose lexicon files "
                                 "analyze would read.", path)
    if not files:
        files = recorded_lexicon_files(path)
        if files:
            err.print(f"with the lexicon files the index at {_safe(path)} was built with: "
                      f"{_safe(', '.join(files))} (--lexicon names others)")
    analyzer = political_analyzer(load_lexicon(files or None))
    tokens = [
        {"pos": t.pos, "text": t.text, "source": text[t.startchar:t.endchar],
         "start": t.startchar, "end": t.endchar, "expansion": bool(getattr(t, "expansion", False))}
        for t in analyzer(text, mode=mode, positions=True, chars=True)
    ]
    if as_json:
        _print_json({"text": text, "mode": mode, "tokens": tokens}, "tokens")
        return
    if not tokens:  # rather than a table with no rows
        shown = _one_line(text)
        out.print("No tokens: the text is empty." if not shown else
                  f"No tokens: '{_safe(shown)}' holds no word that is indexed (stop words such "
                  "as 'the' and 'of', symbols and punctuation are not).")
        return
    table = Table("pos", "token", "from text", "kind")
    for tok in tokens:
        table.add_row(str(tok["pos"]), _safe(tok["text"]), _safe(tok["source"]),
                      "[magenta]expansion[/]" if tok["expansion"] else "word")
    _print_table(table)


def _eval_extra_missing() -> str | None:
    """Why ``eval`` cannot run in this install (the eval extra missing), or ``None``."""
    try:  # imported here: the base install has no evaluation dependencies
        import corpus_search.evaluation.report
        import corpus_search.evaluation.run  # noqa: F401
    except ModuleNotFoundError as exc:
        return (f"corpus-search eval needs the eval extra ({exc.name} is not installed): "
                f"{install_extra('eval')}")
    return None


class _EvalCommand(click.Command):
    """``eval``, whose arguments are checked after the eval extra: without it, the README's
    line with a topics file not yet made said "Path 'topics.tsv' does not exist", and only
    once that was fixed that nothing could run it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError:
            missing = _eval_extra_missing()
            if missing is not None:
                _fail(missing)
            raise


@cli.command("eval", cls=_EvalCommand)
@click.argument("corpus_dirs", nargs=-1, required=True, metavar="[PREFIX=]DIR...")
@click.option("--topics", required=True, type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Topics TSV: qid, query, category, narrative.")
@click.option("--qrels", required=True, type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Judgments in TREC qrels format.")
@click.option("--engine", "engines", multiple=True,
              help="Engine to run (repeatable): corpus_search, whoosh, tantivy, sqlite_fts5, "
                   "bm25s. Default: all that are installed.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), **ONCE,
              help="Also write a markdown report here (e.g. docs/relevance.md).")
@click.option("--cross-validate", "cross_validation", is_flag=True,
              help="Also choose corpus_search's ranking parameters by k-fold cross-validation "
                   "and report the held-out and in-sample scores (a few minutes).")
@click.option("--folds", default=[6], show_default=True, type=click.IntRange(2, None), **ONCE,
              help="Folds of the cross-validation.")
@click.option("--party-tags", "party_tags", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), **ONCE,
              help="Documents labelled with their parties (TSV, e.g. tests/data/party_tags.tsv):"
                   " the report's 'Party tags' section measures the party facet on them.")
@click.option("--dev-topics", type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Topics of a held-out collection of your own over the same documents "
                   "(e.g. eval/dev/topics.tsv), shown in the tables and the report's section "
                   "of its own (not in --json) and never used by the cross-validation.")
@click.option("--dev-qrels", type=click.Path(dir_okay=False, exists=True), **ONCE,
              help="Judgments of the held-out collection (with --dev-topics).")
@json_option
@_guarded
def eval_cmd(corpus_dirs: tuple[str, ...], topics: str, qrels: str, engines: tuple[str, ...],
             report_path: Path | None, cross_validation: bool, folds: int,
             party_tags: Path | None, dev_topics: str | None, dev_qrels: str | None,
             as_json: bool) -> None:
    """Measure ranking quality (nDCG@10, RR@10, R@100) against judged topics, per engine.

    Needs the eval extra: pip install '.[eval]' in a source checkout
    (pip install 'corpus-search[eval]' from a package index)."""
    missing = _eval_extra_missing()
    if missing is not None:
        _fail(missing)
    from corpus_search.evaluation.report import (
        format_table,
        measure_party_tags,
        write_markdown_report,
    )
    from corpus_search.evaluation.run import evaluate

    if bool(dev_topics) != bool(dev_qrels):
        _fail("--dev-topics and --dev-qrels go together: give both or neither.")

    tags = None
    if party_tags:  # measured first: a bad labels file fails before the long run
        try:
            tags = measure_party_tags(party_tags, corpus_dirs)
        except ValueError as exc:
            _fail(str(exc))

    def progress(message: str) -> None:
        err.print(_safe(message), style="dim")

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
        err.print(f"report written to {_safe(report_path)}")


def main() -> None:
    """Console-script entry point."""
    # The array engine does element-wise work only; NumPy's OpenBLAS would start a thread per
    # core at import and spin them (~0.1 s of CPU a search). Set before NumPy loads; the
    # user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # NumPy, when the command loads it, without its docstrings and linear algebra
    lean_numpy.install()
    # the library's dataclasses' methods, compiled once and kept (~10 ms of a cold search)
    method_cache.install()
    # A command is one short process that keeps what it builds (modules, the lexicon's trie,
    # the index's tables) to its end. At the collector's default pace (a collection every 700
    # new containers) a search spent ~30 ms of its ~0.23 s re-scanning them, ~130 collections;
    # fewer, larger young collections still free what a command drops.
    gc.set_threshold(*GC_THRESHOLDS)
    whole_writes()
    tolerant_streams()
    try:
        cli(prog_name="corpus-search", obj=_PROCESS_ENDS)
    finally:
        # The process ends with the command, and Python's exit runs full collections over
        # all it kept (the lexicon's trie, the stems, the index's tables: ~30 ms each on the
        # BBC index) to free it a moment before the system does. Frozen objects are left out
        # of them; atexit functions and finalizers still run. A reading command also leaves
        # the collector off to the end (its cycles are few), where switching it back on made
        # it re-scan everything once more. Callgrind, "Blair" on the BBC index: 1,307M ->
        # 1,201M instructions.
        gc.freeze()


if __name__ == "__main__":
    main()
