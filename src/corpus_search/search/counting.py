"""How many documents a query matches, by year, month, source or party, beside how many
documents each of those holds in all: how often a subject comes up, and whether its share
grows.

Raw counts follow the corpus's own volume (a month with twice the articles has twice the
matches of anything); the share of each period's documents that match does not, so both are
given. The matches are exactly those a search for the same query counts (``total``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
from whoosh.util.times import long_to_datetime

from corpus_search.errors import PlotError, QueryError, command_message, install_extra
from corpus_search.search import execute
from corpus_search.search.any_words import tell_any_words
from corpus_search.search.as_written import tell_as_written
from corpus_search.search.bars import bar_length, bar_scale, full_bar_note
from corpus_search.search.budget import query_budget
from corpus_search.search.count_by import COUNT_BY, LACKING, OTHERWISE, lacked_by_all, placing
from corpus_search.search.engine import distinct
from corpus_search.search.filters import SearchFilters, dated_years
from corpus_search.search.matching import Matches, each_text_once, matching_documents, reported
from corpus_search.search.name_case import tell_lower_case
from corpus_search.search.ranking import RANKING, Ranking, check_query_text
from corpus_search.search.results import ListLike, QueryTold, listed
from corpus_search.search.state import SearchSource
from corpus_search.search.word_forms import tell_other_forms
from corpus_search.terminal import counted as in_words  # (counted: the counts below)

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.search.engine import QueryEngine

__all__ = ["COUNT_BY", "LACKING", "OTHERWISE", "UNDATED_INDEX", "UNDATED_INDEX_COMMAND", "CountRow",
           "Counts", "chart", "check_by", "check_chart", "command_note", "count_matches",
           "counted", "joined", "lacked_by_all", "period_ticks", "row_line", "undated_notes"]

#: the note of a count by year or month of an index none of whose documents has a date (the
#: BBC corpus): where dates come from, for a researcher asking how coverage changed over time
UNDATED_INDEX = ("No document in this index has a date, so none is counted by year or month: "
                 "dates come from the documents (a date field, front matter, a dateline) or "
                 "from you: index the folder again with index_directory(FOLDER, "
                 "dates='dates.csv') or date_from_path=PATTERN (ingest.md, Dates).")
#: :data:`UNDATED_INDEX` as the ``corpus-search`` command (and its web page) says it: its
#: options, not the library's arguments
UNDATED_INDEX_COMMAND = (
    UNDATED_INDEX.split(": index the folder", 1)[0] + ": corpus-search index FOLDER --dates "
    "dates.csv, or --date-from-path PATTERN (ingest.md, Dates).")


def command_note(note: str) -> str:
    """``note`` (one of a result's ``notes``) as the ``corpus-search`` command and its web
    page say it: where the library's note names a function's arguments, the command's
    names its options (a :class:`~corpus_search.errors.Note`'s ``cli_message``)."""
    return command_message(note).replace(UNDATED_INDEX, UNDATED_INDEX_COMMAND)


#: a chart's bars running down the side (sources, parties): the inches of height each bar
#: takes (more bars make the chart taller, not wider), the most inches tall, and its width
BAR_INCHES, MOST_INCHES, BARS_WIDE = 0.16, 30.0, 8.0

#: the files :meth:`Counts.plot` draws, by suffix
PLOT_FORMATS = (".png", ".svg", ".pdf")


class _Row(Protocol):
    """A row of a table by year, month, source or party: its value and all its documents."""

    @property
    def value(self) -> str: ...

    @property
    def documents(self) -> int: ...


_R = TypeVar("_R", bound=_Row)


@dataclass(frozen=True)
class CountRow:
    """One year (``2005``), month (``2005-03``), source or party: the documents of it the
    query matches, and all its documents (those the filters keep)."""

    value: str
    matching: int
    documents: int

    @property
    def share(self) -> float | None:
        """The share of the value's documents that match; ``None`` for a period that holds
        no document at all (a share of nothing is no 0%: a chart or a mean over the periods
        would read it as a fall). A source or party row always holds documents."""
        return self.matching / self.documents if self.documents else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``share`` rounded to 6 places, ``None`` (JSON ``null``, an empty CSV
        cell) where the period holds no document."""
        share = self.share
        return {"value": self.value, "matching": self.matching, "documents": self.documents,
                "share": None if share is None else round(share, 6)}


@dataclass
class Counts(QueryTold, ListLike[CountRow]):
    """The query's matches counted by ``by``.

    Years and months come in date order, every one from the first to the last that holds a
    document (a month with none of the matches is a row with ``matching`` 0, so a chart shows
    the gap); sources and parties most matches first. ``total`` counts the matching
    documents, ``without`` those with no date, no source or no party (a document may name
    several parties, so the party rows can add up to more than ``total``). ``notes`` (how the
    query was read) and ``why_empty`` (why no document matched) are a search's
    (:class:`~.results.SearchResults`), so a count of nothing says why as a search would.
    """

    query: str
    by: str
    rows: list[CountRow] = field(default_factory=list)
    total: int = 0
    without: int = 0
    #: each text counted once (``distinct``): a document repeating another's is not counted
    distinct: bool = False
    #: what else places one of the ``without`` in a row (:func:`~.count_by.placing`)
    otherwise: tuple[str, ...] = ()

    def plot(self, path: str | Path) -> Path:
        """Draw the counts into ``path`` (PNG, SVG or PDF, by its suffix) with matplotlib
        (the ``plot`` extra): bars of matching documents, and for years and months the share
        of each period's documents as a line on a second axis."""
        if not self.rows:
            raise nothing_to_draw(path, self.by, self.otherwise)
        labels = [row.value for row in self.rows]
        down = 0 if self.by in ("year", "month") else len(labels)
        with chart(path, len(labels), f"{self.query} by {self.by}", bars_down=down) as axes:
            from matplotlib.ticker import MaxNLocator

            if self.by in ("year", "month"):
                axes.bar(labels, [row.matching for row in self.rows], color="#4c72b0")
                share = axes.twinx()
                # (no share where a period holds no document: a gap in the line, not a 0)
                share.plot(labels, [100 * row.share if row.share is not None else math.nan
                                    for row in self.rows], color="#dd8452",
                           # (a marker on every point: a period between two empty
                           # ones is a point the line never reaches)
                           marker="o", markersize=6 if len(labels) < 40 else 3)
                share.set_ylabel("% of the period's documents")
                share.set_ylim(bottom=0)
                period_ticks(axes, labels)
            else:
                axes.barh(labels[::-1], [row.matching for row in self.rows][::-1],
                          color="#4c72b0")
                # (the bars are counts, where trends' are shares: the axis says which)
                axes.set_xlabel("matching documents")
            axes.set_ylabel("matching documents" if self.by in ("year", "month") else "")
            whole = axes.yaxis if self.by in ("year", "month") else axes.xaxis
            whole.set_major_locator(MaxNLocator(integer=True))
        return Path(path).expanduser()

    def bar(self, row: CountRow) -> float:
        """How long ``row``'s bar is in a table (``count``'s, the web page's), as a part of a
        full bar (0 to 1): its share, the figure beside it and the one the count is for (a
        party of 233 documents matching 67 had the longest bar beside 28.8%, one of 2
        matching 2 the shortest beside 100%), on the table's :attr:`scale`. No share, no
        bar."""
        return bar_length(row.share, self.scale)

    @cached_property
    def scale(self) -> float:
        """The share a full bar stands for (:func:`~.bars.bar_scale` of the largest: 0.02
        where it is 1.4%), which the table states (:meth:`full_bar`)."""
        return bar_scale(max((one.share or 0.0 for one in self.rows), default=0.0))

    def full_bar(self) -> str | None:
        """The table's scale in words (``a full bar is 2% of a year's documents``)."""
        return full_bar_note(self.scale, self.by)

    def overlap(self) -> str | None:
        """By party, when documents naming several parties make the rows add up to more than
        the matches naming a party (the rest are in no row), a sentence saying so; else None."""
        summed, naming = sum(row.matching for row in self.rows), self.total - self.without
        if self.by != "party" or summed <= naming:
            return None
        those = in_words(naming, "matching document") + (
            "" if not self.without else f" that name{'s' if naming == 1 else ''} a party")
        return (f"The rows add up to {summed}, more than the {those}: a document naming "
                "several parties counts under each.")

    def joined(self) -> list[tuple[str, CountRow | None]]:
        """The rows to show a reader: a run of periods holding no document at all is one
        ``("2006 - 2016", None)`` (a table of zeros, and a share of nothing, say less);
        :attr:`rows`, CSV and JSON keep every period."""
        return joined(self.rows)

    def _listed(self) -> list[CountRow]:
        return self.rows

    def __repr__(self) -> str:
        head = (f"Counts({self.query!r} by {self.by}: "
                f"{in_words(self.total, 'matching document')}, {self.without} without "
                f"{LACKING[self.by]})")
        shown = listed(head, self.joined(), lambda joined: row_line(*joined), self)
        if self.total and self.without == self.total:  # (the BBC corpus by year: no row)
            lacks, otherwise = lacked_by_all(self.by, "library", others=self.otherwise)
            shown += f"\n  (None of them {lacks}{': ' + otherwise if otherwise else ''}.)"
        return shown

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``count --json`` prints it: the totals, the spelling help and notes,
        and ``rows`` (each :meth:`CountRow.to_dict`)."""
        return {
            "query": self.query, "by": self.by, "total": self.total, "without": self.without,
            "distinct": self.distinct, **self.told(), **self.left_out(),
            "rows": [row.to_dict() for row in self.rows],
        }


def row_line(value: str, row: CountRow | None) -> str:
    """A row as a repr shows it: ``2005: 12 of 40 (30.0%)``; a run of empty periods as
    ``2006 - 2016: no documents``."""
    if row is None:
        return f"{value}: no documents"
    return f"{value}: {row.matching} of {row.documents} ({100 * row.share:.1f}%)"


def count_matches(
    index: SearchSource,
    text: str,
    *,
    by: str = "year",
    filters: SearchFilters | dict[str, Any] | None = None,
    correct: bool = True,
    ranking: Ranking = RANKING,
    literal: bool = False,
    distinct: bool = False,
    match_case: bool = False,
) -> Counts:
    """Count the documents the query ``text`` matches by ``by`` (one of :data:`COUNT_BY`).
    ``"*"`` counts every document the filters keep, and so does no query with filters, as a
    search of filters alone lists them; ``filters`` and ``correct`` are those of
    :func:`~.execute.search`. ``distinct`` counts each text once: a text saved twice is one
    document, in the matches and in all the documents of its row
    (:func:`~.matching.each_text_once`). ``match_case``: literal, each word in its case."""
    check_by(by)
    check_query_text(text)
    flt = SearchFilters.coerce(filters)
    if not text.strip():
        if flt.is_empty():
            raise QueryError("Counting needs a query, or * for every document.")
        text = "*"
    with index.guard():
        counts = counted(index, index.searcher(ranking), text, by, flt, ranking, correct,
                         literal or match_case, distinct, match_case)[0]
        counts.notes.extend(undated_notes(index, by, counts.total))
        counts.undated_index = UNDATED_INDEX in counts.notes
        return counts


def undated_notes(index: SearchSource, by: str, matching: int) -> list[str]:
    """:data:`UNDATED_INDEX` when ``matching`` documents (some) are counted by year or month
    in an index none of whose documents has a date (call it inside the index's guard)."""
    if matching and by in ("year", "month") and not dated_years(index):
        return [UNDATED_INDEX]
    return []


def check_by(by: object) -> None:
    """Refuse what documents cannot be counted by (not one of :data:`COUNT_BY`)."""
    if by not in COUNT_BY:
        raise QueryError(f"by must be one of {', '.join(COUNT_BY)}, not {by!r}.")


def counted(index: SearchSource, searcher: Searcher, text: str, by: str,
            filters: SearchFilters, ranking: Ranking, correct: bool,
            literal: bool = False, distinct: bool = False,
            match_case: bool = False) -> tuple[Counts, Matches]:
    """The counts of ``text`` (checked) over ``searcher``, in a query budget of their own,
    and the matches counted: what :func:`count_matches` returns, for a caller counting
    several queries over one searcher (under the index's guard) so that their rows are of
    the same documents, and able to tell queries matching the same documents apart. A plain
    query of several words, which counts any of them, says so (:func:`~.tell_any_words`)."""
    with query_budget(execute.QUERY_TIME_LIMIT):
        found = matching_documents(index, searcher, text, filters, ranking, correct, literal,
                                   match_case)
        if distinct:
            each_text_once(searcher, found)
        count = _by_date if by in ("year", "month") else _by_field
        rows, without = count(found.engine, by, found.matching, found.kept)  # (in no row)
        if literal:  # (--match-case "Home Office" counting no Home Secretary says so)
            tell_as_written(index, searcher, found, filters, ranking, match_case)
        else:  # (and "count May" counting the verb "may" too says so)
            tell_any_words(index, searcher, found, filters, ranking, distinct)
            tell_lower_case(index, found)
            tell_other_forms(index, found)
        counts = Counts(query=text, by=by, rows=rows, total=int(found.matching.sum()),
                        without=int(without.sum()), distinct=distinct,
                        otherwise=placing(found.engine, without, by),
                        **reported(index, filters, found))
        return counts, found


def joined(rows: Sequence[_R]) -> list[tuple[str, _R | None]]:
    """``rows`` (each with a ``value`` and its ``documents``) as a reader is shown them: each
    run of rows holding no document at all as one ``("2006 - 2016", None)``."""
    shown: list[tuple[str, _R | None]] = []
    run: list[str] = []
    for row in [*rows, None]:
        if row is not None and row.documents == 0:
            run.append(row.value)
            continue
        if run:
            shown.append((run[0] if len(run) == 1 else f"{run[0]} - {run[-1]}", None))
            run = []
        if row is not None:
            shown.append((row.value, row))
    return shown


def nothing_to_draw(path: str | Path, by: str,
                    others: Sequence[str] | None = None) -> PlotError:
    """The error for a chart of no row at all (a count by year of an index without dates):
    an empty frame, with axes running below 0, had been written and announced. The message
    names the library's arguments (``by='source'``), the command's its options."""
    def message(way: str) -> str:
        lacks, otherwise = lacked_by_all(by, way, others=others)
        why = f"{lacks} ({otherwise})" if otherwise else lacks
        return f"No chart written to {path}: no document of the count {why}, so it would be empty."

    return PlotError(message("library")).for_cli(message("cli"))


@contextlib.contextmanager
def chart(path: str | Path, points: int, title: str, bars_down: int = 0) -> Iterator[Any]:
    """The axes of a matplotlib figure (sized for ``points`` labels across, or for
    ``bars_down`` bars running down the side: as tall as they need, as wide as ever) to draw
    on in the block, saved to ``path`` (PNG, SVG or PDF, by its suffix) when the block ends. No
    matplotlib (the ``plot`` extra), another suffix, or a file that cannot be written is a
    :class:`PlotError`, and nothing is written."""
    path = check_chart(path)
    try:
        import matplotlib

        matplotlib.use("Agg")  # a file, never a window
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotError(_NEEDS_MATPLOTLIB) from None
    figure, axes = plt.subplots(figsize=(
        (BARS_WIDE, min(MOST_INCHES, max(4.0, 1.5 + BAR_INCHES * bars_down))) if bars_down
        else (max(6.0, min(24.0, 0.3 * points + 3)), 4)))
    try:
        yield axes
        axes.set_title(title)
        figure.tight_layout()
        # (drawn beside it and renamed over it: a failure leaves the chart there was)
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        try:
            figure.savefig(part, format=path.suffix.lower()[1:])
            os.replace(part, path)
        except (OSError, ValueError) as exc:
            part.unlink(missing_ok=True)
            raise PlotError(f"Cannot write the chart to {path}: {exc}") from None
    finally:
        plt.close(figure)


def check_chart(path: str | Path) -> Path:
    """``path`` (expanded) if a chart can be drawn into it, else the :class:`PlotError`
    :func:`chart` would raise: no matplotlib (the ``plot`` extra), a suffix not of
    :data:`PLOT_FORMATS`, a file there that no chart drew. Call it before the work the chart
    is of: ``count --plot`` without matplotlib counted, then failed."""
    try:
        missing = importlib.util.find_spec("matplotlib") is None
    except (ImportError, ValueError):  # (a broken install: importing it says why)
        missing = False
    if missing:
        raise PlotError(_NEEDS_MATPLOTLIB)
    path = Path(path).expanduser()
    if path.suffix.lower() not in PLOT_FORMATS:
        # (matplotlib would write "chart" as chart.png, and name formats not documented)
        raise PlotError(f"Cannot write the chart to {path}: name a .png, .svg or .pdf "
                        "file.")
    if _not_a_chart(path):
        raise PlotError(f"Cannot write the chart to {path}: a file of that name is there, "
                        "and it is no chart (a chart is replaced): name another file.")
    return path


_NEEDS_MATPLOTLIB = f"Drawing a chart needs matplotlib: {install_extra('plot')}"


def _not_a_chart(path: Path) -> bool:
    """Whether ``path`` is a file that no chart drew (matplotlib names itself at the start of
    the PNG and SVG files it writes, and at the end of its PDF files): a thesis.pdf given as
    the chart's name by a slip, which is never replaced. An empty file holds nothing to lose."""
    try:
        with path.open("rb") as file:
            head = file.read(8192)
            file.seek(max(len(head), path.stat().st_size - 8192))
            tail = file.read()
    except FileNotFoundError:
        return False
    except OSError:  # (a folder, a file not to be read: savefig says why)
        return False
    return bool(head) and b"matplotlib" not in (head + tail).lower()


def period_ticks(axes: Any, labels: list[str]) -> None:
    """Label the x axis with ``labels`` (years or months), at most about 24 of them."""
    step = max(1, len(labels) // 24)
    axes.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")


def _by_date(engine: QueryEngine, by: str, matching: np.ndarray,
             kept: np.ndarray) -> tuple[list[CountRow], np.ndarray]:
    """Rows per year or month, the gaps between the first and the last filled in; by month,
    a date known only to the year is in none (it is held as 1 January)."""
    key = engine.sort_key("date")
    dated = key >= 0
    if by == "month":
        for precision, docs in engine.values("date_precision"):
            if precision == "year":
                dated[docs] = False
    periods: dict[str, list[int]] = {}
    for value in distinct(key[kept & dated]).tolist():
        when = long_to_datetime(int(value))
        label = f"{when.year:04d}" if by == "year" else f"{when.year:04d}-{when.month:02d}"
        periods.setdefault(label, []).append(value)
    rows = []
    for label in _every_period(sorted(periods), by):
        values = np.array(periods.get(label, []), dtype=np.int64)
        inside = dated & np.isin(key, values)
        rows.append(CountRow(label, int((matching & inside).sum()),
                             int((kept & inside).sum())))
    return rows, matching & ~dated


def _every_period(labels: list[str], by: str) -> list[str]:
    """``labels`` (sorted years or months) with the ones between them that are missing."""
    if not labels:
        return []
    if by == "year":
        return [f"{y:04d}" for y in range(int(labels[0]), int(labels[-1]) + 1)]
    first = dt.date.fromisoformat(f"{labels[0]}-01")
    last = dt.date.fromisoformat(f"{labels[-1]}-01")
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _by_field(engine: QueryEngine, by: str, matching: np.ndarray,
              kept: np.ndarray) -> tuple[list[CountRow], np.ndarray]:
    """Rows per source or party, most matches first (then most documents, then by name)."""
    has_value = np.zeros(engine.size, dtype=bool)
    rows = []
    for value, docs in engine.values(by):
        has_value[docs] = True
        documents = int(kept[docs].sum())
        if value and documents:
            rows.append(CountRow(str(value), int(matching[docs].sum()), documents))
    rows.sort(key=lambda r: (-r.matching, -r.documents, r.value))
    return rows, matching & ~has_value
