"""The ``corpus-search`` command's options that take one value: given twice, a usage error.

click keeps the last value of a repeated option without a word (one party of two asked for, a
count by year of ``--by party --by year``, ``--limit 5 --limit 50`` showing fifty), so each
such option is declared with :data:`ONCE`: click collects every value, and :func:`one_value`
refuses more than one. (Imports click only.)
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["ONCE", "SINGLE_FILTERS", "SINGLE_VALUES", "one_value"]

#: the options taking one value each (:data:`ONCE`), and what it is; the first four are
#: filters, which an empty value is no filter of (``--party ''``)
SINGLE_VALUES = {"party": "party", "source": "source", "since": "date", "until": "date",
                 "by": "way to count: a run each", "against": "query: a run each",
                 "id_prefix": "prefix", "dates_file": "file", "date_pattern": "pattern",
                 "sort": "order", "limit": "number", "page": "page number", "width": "width",
                 "fmt": "format", "plot_path": "file", "min_documents": "number",
                 "mark": "query", "at": "place", "procs": "number",
                 "date_from": "list of guesses (dateline,path)", "host": "address", "port": "port",
                 "idle_minutes": "number", "mode": "mode",
                 "topics": "file", "qrels": "file", "report_path": "file", "folds": "number",
                 "party_tags": "file", "dev_topics": "file", "dev_qrels": "file"}
SINGLE_FILTERS = tuple(SINGLE_VALUES)[:4]


def one_value(_ctx: click.Context, param: click.Parameter, values: tuple[Any, ...]) -> Any:
    """The value of ``param`` (:data:`SINGLE_VALUES`), given once (its default when not
    given, declared as a list of one: ``default=[10]``); a repeat is a usage error naming the
    option by its long name and the values given (as text: a file's ``'a.png'``, not
    ``PosixPath('a.png')``; a number's ``'2'``, not ``2``)."""
    if len(values) > 1:
        raise click.UsageError(f"{max(param.opts, key=len)} was given {len(values)} times ("
                               f"{', '.join(repr(str(v)) for v in values)}); it takes one "
                               f"{SINGLE_VALUES[str(param.name)]}.")
    return values[0] if values else None


#: the keywords of an option taking one value (:func:`one_value`)
ONCE: dict[str, Any] = {"multiple": True, "callback": one_value}
