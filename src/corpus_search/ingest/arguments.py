"""The arguments of an indexing run (:meth:`CorpusIndex.index_directory`,
:func:`rebuild_index`, :meth:`CorpusIndex.add_documents`) checked before anything is read or
written: ``procs=0`` had run one process without a word, ``procs="2"`` raised TypeError from
deep in the writer, and ``dates=5`` or ``date_from=5`` a TypeError from the date readers.
Each is refused in one line naming the argument and what it may be."""

from __future__ import annotations

import os
from collections.abc import Sequence

from corpus_search.errors import DateOptionsError, DatesFileError, DocumentIndexError
from corpus_search.ingest.model import type_name

__all__ = ["MAX_PROCS", "check_procs", "check_run_arguments"]

#: the most writer processes a run may use (``corpus-search index --procs`` takes 1 to this)
MAX_PROCS = 64


def check_procs(procs: object) -> None:
    """Refuse a ``procs`` that is not ``None`` (chosen for the run) or a whole number from 1
    to :data:`MAX_PROCS`, as the command refuses ``--procs 0``."""
    if procs is None or (type(procs) is int and 1 <= procs <= MAX_PROCS):
        return
    got = procs if type(procs) is int else type_name(procs)
    raise DocumentIndexError(f"procs must be a whole number from 1 to {MAX_PROCS} (None: "
                             f"chosen for the run), not {got}; nothing was written.")


def check_run_arguments(procs: object, dates: object, date_from_path: object,
                        date_from: object) -> None:
    """Refuse, in one line, a ``procs`` (:func:`check_procs`), ``dates``, ``date_from_path``
    or ``date_from`` of the wrong type; ``None`` is each one's default."""
    check_procs(procs)
    if dates is not None and not isinstance(dates, (str, os.PathLike)):
        raise DatesFileError(f"dates is a dates file's path (text or a pathlib.Path; '' for "
                             f"none), not {type_name(dates)}; nothing was written.")
    if date_from_path is not None and not isinstance(date_from_path, str):
        raise DateOptionsError(f"date_from_path is a pattern like '%Y/%m/%d' ('' for none), "
                               f"not {type_name(date_from_path)}; nothing was written.")
    if date_from is not None and not isinstance(date_from, str) and not (
            isinstance(date_from, Sequence) and all(isinstance(s, str) for s in date_from)):
        raise DateOptionsError("date_from is the date sources to try, 'dateline', 'path', "
                               "'mtime' (text, or a list of them; 'none' for none), not "
                               f"{type_name(date_from)}; nothing was written.")
