"""The folders to index, checked before anything is written: each a folder that can be read,
apart from the index folder, and overlapping neither another folder of the run nor one the
index holds.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable
from pathlib import Path

from corpus_search.errors import FolderOverlapError, IndexLocationError, SourceFolderError

__all__ = ["check_sources"]


def check_sources(
    folders: Iterable[str | os.PathLike[str]],
    index_path: str | os.PathLike[str] | None = None,
    held: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """The folders to index, resolved (each once), once each is known to be a folder that can
    be read, none holds the index folder or lies inside it, and none lies inside or holds
    another of them or of ``held`` (those the index holds): it would index files twice.

    An index inside a folder being indexed would be read by ingest, and a folder inside the
    index folder would share it with the index's own files. An index inside a hidden
    subfolder (``~/.local/share/...`` of ``~``) is allowed: ingest skips hidden folders.
    """
    index_real = (
        Path(os.path.realpath(Path(index_path).expanduser())) if index_path is not None else None
    )
    resolved = []
    for folder in folders:
        if not isinstance(folder, (str, os.PathLike)):
            # (a list of folders given to index_directory raised "TypeError: expected str,
            # bytes or os.PathLike object, not list")
            several = " (index them one at a time)" if isinstance(folder, (list, tuple)) else ""
            given_as = "None" if folder is None else f"a {type(folder).__name__}"
            raise SourceFolderError(f"A folder to index is a path, not {given_as}{several}.")
        given = Path(folder).expanduser()
        if not given.is_dir():
            why = (
                "it is a file: index the folder that holds it" if given.exists()
                else "it is a broken link" if given.is_symlink()
                else "it does not exist"
            )
            raise SourceFolderError(f"{given} is not a folder that can be indexed ({why}).")
        try:
            with os.scandir(given) as entries:
                next(entries, None)
        except OSError as exc:
            raise SourceFolderError(
                f"{given} is not a folder that can be indexed (cannot read it: "
                f"{exc.strerror or exc})."
            ) from None
        real = given.resolve()
        if index_real is not None:
            if index_real == real or real in index_real.parents:
                inside = index_real.relative_to(real).parts
                if not any(part.startswith(".") for part in inside):
                    where = "is" if index_real == real else "is inside"  # (not "inside" itself)
                    raise IndexLocationError(
                        f"The index folder {index_real} {where} the folder being indexed "
                        f"({given}): choose an --index folder outside it.",
                        index_real,
                    )
            elif index_real in real.parents:
                raise IndexLocationError(
                    f"The folder {given} lies inside the index folder {index_real}: keep the "
                    "documents and the index in separate folders.",
                    index_real,
                )
        if real not in resolved:
            resolved.append(real)
    _check_overlaps(resolved, [Path(h) for h in held], index_real)
    return resolved


def _check_overlaps(folders: list[Path], held: list[Path], index_path: Path | None) -> None:
    """Raise :class:`FolderOverlapError` if one of ``folders`` (resolved) lies inside or holds
    another of them, or one of ``held`` (the folders the index at ``index_path`` holds)."""
    index = f"the index at {index_path}" if index_path is not None else "the index"
    option = f" --index {shlex.quote(str(index_path))}" if index_path is not None else ""
    for folder in folders:
        for other in (o for o in folders if o in folder.parents):
            raise FolderOverlapError(f"{folder} lies inside {other}, also to be indexed: its "
                                     "files would be indexed twice. Index only one of them.")
        for other in (h for h in held if h in folder.parents or folder in h.parents):
            inside = other in folder.parents
            where = repr(str(index_path)) if index_path is not None else "None"
            if inside:
                fix = f"To update them, index {other} again: "
                call = f"CorpusIndex({where}).index_directory({str(other)!r})"
                command = f"corpus-search index {shlex.quote(str(other))}{option}"
            else:
                fix = f"Rebuild the index from {folder} alone: "
                call = f"rebuild_index({where}, [{str(folder)!r}])"
                command = f"corpus-search index {shlex.quote(str(folder))}{option} --rebuild"
            refused = (f"{folder} {'lies inside' if inside else 'holds'} {other}, which "
                       f"{index} already holds: its files would be indexed twice. {fix}")
            raise FolderOverlapError(
                refused + call, rebuild_command=None if inside else command
            ).for_cli(refused + command)
