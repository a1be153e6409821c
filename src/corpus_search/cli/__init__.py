"""The ``corpus-search`` command: a thin layer over the library.

Exit codes: 0 when a search found something (or a command succeeded), 1 when a search or
listing found nothing (or its page is past the end), when a folder to index holds no file
that can be read (none of a kind it reads, or every one skipped), and when ``check`` found
the index damaged or outdated, 2 for usage or input errors (bad options, unreadable folders,
damaged indexes, bad queries, a write the system refused; ``corpus-search`` alone, its help on
stderr), 130 when interrupted and 141 when the program reading the output stopped reading
(``| head``), as for a program stopped by SIGPIPE.

Output piped to another program or a file keeps what colour showed: matched words are marked
``**like this**`` (as in JSON snippets), and lines are not wrapped.

Each command imports the parts of the library it uses when it runs (rich, the index, the
search, NumPy through them), so ``--help`` and a mistyped option answer at once and one
command never pays for another's imports (docs/benchmarks.md, "what users feel"). Each
command is a module of this package, imported when the command runs (:data:`COMMANDS`):
the group here, its one-line errors and ``main``; the shared options (:mod:`.options`),
printing (:mod:`.output`, :mod:`.printing`) and opening of indexes (:mod:`.opening`).
"""

from __future__ import annotations

import gc
import importlib
import os
import shlex
import sys
from collections.abc import Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import click

from corpus_search import lean_numpy, method_cache
from corpus_search.cli.options import NeedsExtra
from corpus_search.cli.output import (
    QUERY_ARGUMENTS,
    err,
    expanded_message,
    fail,
    shell_expansion,
)
from corpus_search.errors import EXIT_INTERRUPTED, EXIT_OK
from corpus_search.terminal import tolerant_streams, whole_writes

#: the collector's thresholds in a ``corpus-search`` process (Python's are 700, 10, 10)
GC_THRESHOLDS = (10_000, 50, 100)


#: the commands that read an index, print and end: they run with the cyclic collector off.
#: What they build (modules, the lexicon's trie, the index's tables) is kept to the end, and
#: the cycles they drop are few (a BBC search leaves ~2,000 objects, and the same peak
#: memory), so each collection only re-scanned what was kept: ~3% of a search's instructions
#: (callgrind: 1290M -> 1247M for "Lib Dems" on the BBC index).
READING_COMMANDS = frozenset({"search", "concordance", "count", "trends", "key-terms", "list",
                              "show", "similar", "stats"})


#: ``main``'s context object: the process ends with the command (see :func:`main`)
_PROCESS_ENDS = object()

#: each command's module in this package and its function: a command's module is imported
#: when the command runs (or its help is shown), so that a search imports neither the
#: research commands nor index, web or eval (issue 11: start-up)
COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("indexing", "index_cmd"),
    "search": ("results", "search_cmd"),
    "concordance": ("concordance", "concordance_cmd"),
    "count": ("counting", "count_cmd"),
    "trends": ("counting", "trends_cmd"),
    "key-terms": ("terms", "key_terms_cmd"),
    "export": ("export", "export_cmd"),
    "web": ("admin", "web_cmd"),
    "list": ("results", "list_cmd"),
    "show": ("results", "show_cmd"),
    "similar": ("results", "similar_cmd"),
    "stats": ("admin", "stats_cmd"),
    "check": ("admin", "check_cmd"),
    "serve": ("serving", "serve_cmd"),
    "analyze": ("admin", "analyze_cmd"),
    "eval": ("admin", "eval_cmd"),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name (click's ``Group.commands``), each command's module
    imported when the command is first looked up: every name is listed (``in`` and listing
    import nothing), and only the command run is loaded."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._commands: dict[str, click.Command | tuple[str, str]] = dict(table)

    def __getitem__(self, name: str) -> click.Command:
        command = self._commands[name]
        if isinstance(command, tuple):
            module, function = command
            command = getattr(importlib.import_module(f"{__name__}.{module}"), function)
            self._commands[name] = command
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __contains__(self, name: object) -> bool:
        return name in self._commands

    def __iter__(self) -> Iterator[str]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)


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


def _one_hyphen_hint(exc: click.UsageError, argv: Sequence[str]) -> str:
    """For ``search Iraq -party Labour``: a long option typed with one hyphen, which click
    reads as ``-p`` and a query's ``-war`` alike; the option meant, not how to write such a
    query."""
    if not (isinstance(exc, click.NoSuchOption) and exc.ctx is not None
            and not exc.option_name.startswith("--")):
        return ""
    options = {opt for param in exc.ctx.command.params for opt in param.opts}
    meant = next((f"-{arg.split('=')[0]}" for arg in argv if arg.startswith(exc.option_name)
                  and f"-{arg.split('=')[0]}" in options), None)
    return f" Did you mean {meant}? (a long option takes two hyphens)" if meant else ""


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


def _from_environment(exc: click.UsageError) -> str:
    """For a bad value an environment variable gave (``CORPUS_SEARCH_INDEX`` naming a file):
    click names the option, ``--index``, which the command line does not hold."""
    if (isinstance(exc, click.BadParameter) and exc.ctx is not None and exc.param is not None
            and exc.param.name is not None and exc.ctx.get_parameter_source(exc.param.name)
            is click.core.ParameterSource.ENVIRONMENT):
        return f" It comes from the environment variable {exc.param.envvar}, not the command line."
    return ""


def _extra_missing_too(exc: click.UsageError, named: str) -> str:
    """After a usage error of a command that needs an extra this install lacks (``eval
    --bogus`` without the eval extra): that too, in the same line (:class:`.NeedsExtra`).
    The command is the error's, or the one ``named`` (click gives ``eval --topics``, an
    option missing its value, no context)."""
    command = exc.ctx.command if exc.ctx is not None else cli.commands.get(named)
    missing = command.missing_extra() if isinstance(command, NeedsExtra) else None
    return f"; and {missing}" if missing else ""


class _OneLineErrors(click.Group):
    """Click's group, whose usage errors (a bad option or value) are one line on stderr, as
    every other error is, instead of click's usage block, blank line and message."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``corpus-search`` alone names nothing to do: a usage error, as ``git`` alone is,
        whose message is the help with its list of commands, on stderr with exit code 2 (a
        script that lost its command does not read it as done; ``--help`` is 0). Click 8.2
        does the same; 8.1 printed the help with 0."""
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), err=True)
            ctx.exit(click.UsageError.exit_code)
        return super().parse_args(ctx, args)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else self._named(args, kwargs)
            elsewhere = _other_commands_hint(exc)
            message = exc.message if elsewhere else exc.format_message()
            hint = (elsewhere or _one_hyphen_hint(exc, self._argv(args, kwargs))
                    or _query_hint(exc, self._argv(args, kwargs))
                    or self._search_hint(exc, args, kwargs)
                    or self._command_first_hint(exc, args, kwargs)
                    or self._export_hint(exc, args, kwargs))
            fail(f"{message}{hint}{_from_environment(exc)} (see: {where} --help)"
                 f"{_extra_missing_too(exc, where.removeprefix('corpus-search '))}",
                 exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
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
            if (pattern := shell_expansion(words[:-1])) is not None:
                said = expanded_message("corpus-search export", words[:-1], pattern,
                                        [words[-1], *options])
                return f". {said}"
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


@click.group(cls=_OneLineErrors, commands=LazyCommands(COMMANDS),
             context_settings={"help_option_names": ["-h", "--help"]})
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
