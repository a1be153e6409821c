"""The index a reading command opens, and the indexes a ``serve`` process keeps open from one
command to the next."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.cli.output import err, safe
from corpus_search.errors import command_message

if TYPE_CHECKING:
    from corpus_search.index import CorpusIndex
    from corpus_search.multi_index import MultiIndex


def open_for_search(
    index_paths: tuple[Path, ...],
) -> contextlib.AbstractContextManager[CorpusIndex | MultiIndex]:
    """The indexes given; else your default index; else the demo index of the bundled seed
    articles (built on first use), and a line on stderr saying that it is the demo. The
    command closes it when done, unless a ``serve`` process keeps it (:data:`_KEPT`)."""
    from corpus_search.index import CorpusIndex

    ix = _kept(index_paths) if _KEPT is not None else None
    held = ix is not None
    if ix is None:
        from corpus_search.multi_index import open_for_search as open_indexes

        ix = open_indexes(index_paths, notify=lambda message: err.print(
            safe(command_message(message)), soft_wrap=True))
        held = _keep(index_paths, ix)
    if isinstance(ix, CorpusIndex) and ix.is_demo:
        # a user who indexed with --index elsewhere is most likely here by mistake
        err.print(f"[dim]This is the demo index of the bundled seed articles ({safe(ix.path)}); "
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
    from corpus_search.store.collection import indexes_within  # (not for --help: the store)

    stamp: list[Any] = []
    for one in indexes_within(ix):
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


def forget_kept() -> None:
    """Close the indexes a ``serve`` process keeps (:data:`_KEPT`)."""
    for _stamp, ix in (_KEPT or {}).values():
        ix.close()
    if _KEPT:
        _KEPT.clear()


def keep_open(keep: bool) -> None:
    """From here on keep the indexes commands open (``serve``), or no longer (its end): a
    process of its own closes its index with the command."""
    global _KEPT
    _KEPT = {} if keep else None
