"""What a dates file states of each id or path, row by row, and where its rows disagree.

A merged spreadsheet can give one document two dates (``003,2005-01-01`` and, further down,
``003,2004-06-06``); taking either would be a wrong date said nowhere, so a document given
different dates is dated by none of them, and a warning names the rows to settle. The same
date twice (``2005-02-15`` and ``15/02/2005``) is no disagreement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from corpus_search.ingest.date_forms import DateSpan
from corpus_search.ingest.month_first import LINES_SHOWN, line_list

__all__ = ["Stated", "agreed", "disagreement", "disputes"]


@dataclass(frozen=True)
class Stated:
    """One row's date for an id or a path: its line, the date as written, the date read."""

    line: int
    written: str
    date: DateSpan




def agreed(rows: Mapping[str, Sequence[Stated]]) -> dict[str, DateSpan]:
    """The date of each key whose rows all give one date (the keys whose rows disagree date
    nothing: :func:`disputes` names them)."""
    return {key: stated[0].date for key, stated in rows.items()
            if len({s.date for s in stated}) == 1}


def disputes(name: str, rows: Mapping[str, Sequence[Stated]], written: Mapping[str, str]
             ) -> list[str]:
    """The warnings on the keys of the dates file ``name`` whose rows give different dates:
    a line each for up to :data:`~corpus_search.ingest.month_first.LINES_SHOWN` of them,
    else one line counting them (``written``: a key as the file writes it, if not as is)."""
    split = [(written.get(key, key), stated) for key, stated in rows.items()
             if len({s.date for s in stated}) > 1]
    if len(split) <= LINES_SHOWN:
        return [f"{name}: {key} is given {_dates(stated)}, so it is dated by "
                f"{_neither(stated)}" for key, stated in split]
    shown = ", ".join(key for key, _ in split[:LINES_SHOWN])
    lines = sorted(s.line for _, stated in split for s in stated)
    return [f"{name}: {len(split)} ids or paths are given different dates on different rows, "
            f"so none of them is dated ({shown} and {len(split) - LINES_SHOWN} more; lines "
            f"{line_list(lines)}): keep one date for each"]


def disagreement(name: str, whom: str, found: Sequence[tuple[str, Sequence[Stated]]]
                 ) -> str | None:
    """The warning on a document the rows ``found`` name (``(how, rows)``: ``"id 003"``,
    ``"path tech/003.txt"``) under more than one id or path, when they give it different
    dates (it is then dated by none of them); ``None`` when they agree, or when one id or
    path alone disagrees with itself (:func:`disputes` says so, once for the file)."""
    if len(found) < 2 or len({s.date for _, stated in found for s in stated}) < 2:
        return None
    listed = sorted(((s, how) for how, stated in found for s in stated),
                    key=lambda pair: pair[0].line)
    return (f"{name} gives {whom} {_dates([s for s, _ in listed], [how for _, how in listed])}, "
            f"so it is dated by {_neither(listed)}")


def _neither(rows: Sequence[object]) -> str:
    """Whom the document is dated by, and what to do (``rows``: those that disagree)."""
    if len(rows) == 2:
        return "neither: keep the right date and delete the other row"
    return "none of them: keep the right date and delete the other rows"


def _dates(stated: Sequence[Stated], hows: Sequence[str] | None = None) -> str:
    """``different dates, '2005-01-01' (line 2) and '2004-06-06' (line 3)``."""
    each = [f"{s.written!r} (line {s.line}{f', {how}' if hows else ''})"
            for s, how in zip(stated, hows or [""] * len(stated), strict=True)]
    return f"different dates, {', '.join(each[:-1])} and {each[-1]}"
