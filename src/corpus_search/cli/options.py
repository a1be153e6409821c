"""The options several commands share: the index folders, paging, sorting, filters, JSON."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from corpus_search.single_options import ONCE, SINGLE_FILTERS, SINGLE_VALUES


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


def one_index(index_paths: tuple[Path, ...], command: str) -> Path | None:
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


def one_output(as_csv: bool, as_json: bool) -> None:
    """Refuse --csv with --json (concordance, count, trends, key-terms): one of the two was
    printed and the other dropped without a word, a script asking for CSV reading JSON."""
    if as_csv and as_json:
        raise click.UsageError("--csv and --json each choose the output: give one, not both.")


class LibraryRange(click.IntRange):
    """An option's range that is the library's (``bounds()``: its least and greatest value),
    read when the option is checked or its help shown, not as the command loads (the CLI
    imports no library module until a command runs): one rule for the option and the
    library call it is handed to."""

    def __init__(self, bounds: Callable[[], tuple[int, int]]) -> None:
        self._bounds = bounds
        super().__init__()

    min = property(lambda self: self._bounds()[0], lambda self, _value: None)
    max = property(lambda self: self._bounds()[1], lambda self, _value: None)


def context_widths() -> tuple[int, int]:
    """The library's least and greatest context width (concordance --width)."""
    from corpus_search.search.defaults import MAX_CONTEXT_WIDTH, MIN_CONTEXT_WIDTH

    return MIN_CONTEXT_WIDTH, MAX_CONTEXT_WIDTH


exact_option = click.option(
    "--exact", is_flag=True,
    help="Search only the words as typed: suggest spellings, never search them.")

literal_option = click.option(
    "--literal", is_flag=True,
    help="Match QUERY's words and quoted phrases exactly as written (in any case): no "
         "stemming, lexicon forms, stop-word gaps or spelling correction.")

match_case_option = click.option(
    "--match-case", is_flag=True,
    help="Match QUERY as --literal does, each word in the case typed: May the name, not the "
         "verb may; Hunt, not hunt (implies --literal).")

distinct_option = click.option(
    "--distinct", is_flag=True,
    help="Count each text once: a document repeating another's title and body word for "
         "word (an article saved twice) is not counted again.")


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


class NeedsExtra(click.Command):
    """A command that needs an optional extra (eval, web): ``missing_extra()`` says why this
    install cannot run it, or ``None``. Its command line is read first, as every command's
    is: a usage error (``eval --bogus``) comes first, ending with the missing extra when it
    is missing too, so that neither is learnt only once the other is fixed (the guide's eval
    line with its topics file not yet made said "File 'topics.tsv' does not exist", and only
    once it was made that nothing could run it). The command calls ``missing_extra`` first."""

    def __init__(self, *args: Any, missing_extra: Callable[[], str | None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing_extra = missing_extra
