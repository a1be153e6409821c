"""``corpus-search key-terms``: the words that set a query's documents apart."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corpus_search.cli.opening import open_for_search
from corpus_search.cli.options import (
    distinct_option,
    exact_option,
    filter_options,
    indexes_option,
    json_option,
    literal_option,
    match_case_option,
    one_output,
)
from corpus_search.cli.output import err, guarded, out, print_json, print_note, print_table, safe
from corpus_search.cli.printing import as_said, print_csv, print_told, told_on_stderr
from corpus_search.errors import EXIT_NO_RESULTS, EXIT_OK
from corpus_search.single_options import ONCE
from corpus_search.terminal import counted as _count  # (export has an option "counted")

if TYPE_CHECKING:
    from corpus_search.search.filters import SearchFilters
    from corpus_search.search.keyterms import KeyTerms


@click.command("key-terms")
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
@literal_option
@match_case_option
@distinct_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print CSV (word, matching, matching_share, others, others_share, "
                   "log_likelihood, log_ratio).")
@json_option
@guarded
@filter_options
def key_terms_cmd(query: tuple[str, ...], index_paths: tuple[Path, ...], limit: int,
                  min_documents: int, against: str | None, exact: bool, literal: bool,
                  match_case: bool, distinct: bool,
                  as_csv: bool, filters: SearchFilters, as_json: bool) -> None:
    """Show the words that set the documents QUERY matches apart from the rest of the index
    (QUERY "*" with filters: the documents they keep), most telling first.

    Words are counted in documents and ranked by log-likelihood (keyness); the log ratio
    says how many times more common a word is among the matches (1: twice, 3: eight times).
    The documents are those count counts for QUERY (not those search also finds holding
    only part of it or a term the lexicon relates to it: a note says how many); with
    --literal, those holding its words as written (--against's too; * is still every
    document the filters keep), with --match-case in the case typed.
    """
    one_output(as_csv, as_json)
    with open_for_search(index_paths) as ix:
        found = ix.key_terms(" ".join(query), limit=limit, filters=filters,
                             min_documents=min_documents, against=against, correct=not exact,
                             literal=literal, distinct=distinct, match_case=match_case)
    if as_json:
        print_json(as_said(found.to_dict()), "key-terms")
    elif as_csv:
        told_on_stderr(found, ("Showing key terms for", "see them instead for"), index=ix)
        if found.matching and not found.terms:  # (a header alone said nothing of why)
            print_note(_no_key_terms(found, min_documents), to=err)
        print_csv([term.to_dict() for term in found.terms],
                   ("word", "matching", "matching_share", "others", "others_share",
                    "log_likelihood", "log_ratio"))
    else:
        _print_key_terms(found, min_documents, filtered=not filters.is_empty(),
                         several=len(set(index_paths)) > 1, index=ix)
    sys.exit(EXIT_OK if found.terms else EXIT_NO_RESULTS)


def _print_key_terms(found: KeyTerms, min_documents: int, filtered: bool,
                     several: bool = False, index: Any = None) -> None:
    from rich.table import Table

    shown = print_told(found, "Showing key terms for", "see them instead for", found.matching,
                       index=index)
    if shown is None:
        return
    verb = "matches" if found.matching == 1 else "match"
    # ("*" matches what the filters keep: "12 documents match *" reads as a query for "*")
    which = ("the filters keep" if shown.strip() == "*" else
             f"{verb}[/] [bold]{safe(shown)}[/][dim]")
    # (--against "*" with no filter compares with the rest of the index, as no --against does)
    rest = "of the indexes" if several else "of the index"
    compared = (f"the {_count(found.others, 'other')} {rest}[/]" if found.against is None
                or (found.against.strip() == "*" and not filtered)
                else f"the {_count(found.others, 'other')} the filters keep[/]"
                if found.against.strip() == "*" else
                f"the {found.others} matching[/] [bold]{safe(found.against)}[/][dim] (and not "
                "the query)[/]")
    out.print(f"[dim]{_count(found.matching, 'document')} {which}, against {compared}")
    if not found.terms:
        out.print(_no_key_terms(found, min_documents))
        return
    table = Table("word", box=None, pad_edge=False)
    for heading in ("matching", "", "others", "", "log ratio", "keyness"):
        table.add_column(heading, justify="right")
    for term in found.terms:
        table.add_row(safe(term.word), str(term.matching), f"{100 * term.matching_share:.1f}%",
                      str(term.others), f"{100 * term.others_share:.1f}%",
                      f"{term.log_ratio:.1f}", f"{term.log_likelihood:.1f}")
    print_table(table)


def _no_key_terms(found: KeyTerms, min_documents: int) -> str:
    """Why documents matched but no key term came of them."""
    least = min(min_documents, found.matching)
    return ("No word is clearly more common among them than elsewhere"
            + (f" (in at least {least} of them)." if least > 1 else "."))
