"""Writing an export's file or folder in full or not at all: written under a hidden name
beside its place, then put there by a rename; never over a file the user did not say to
replace, and never over a folder an export did not write."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO

from corpus_search.errors import ExportError

__all__ = ["EXPORT_MARK", "check_target", "publish_file", "publish_folder"]

#: the hidden file an export puts in a folder of text files: ``overwrite`` replaces only a
#: folder holding it, since a folder of the user's own ``.txt`` articles (the corpus itself)
#: holds nothing else an export would not write. Indexing skips it, as it skips hidden files.
EXPORT_MARK = ".corpus-search-export"


def check_target(target: Path, fmt: str, overwrite: bool) -> None:
    """Refuse, before any work, a target that would be replaced without ``overwrite``, one of
    the other kind (a folder for a file, a file for a folder) and a missing folder to write
    in."""
    parent = target.parent
    if not parent.is_dir():
        raise ExportError(f"Cannot write {target}: the folder {parent} does not exist.")
    if fmt == "txt":
        if target.exists() and not target.is_dir():
            raise ExportError(f"Cannot write text files into {target}: it is a file.")
        if not overwrite and _holds_files(target):
            raise _taken(target)
    elif target.is_dir():
        raise ExportError(f"Cannot write {target}: it is a folder.")
    elif not overwrite and os.path.lexists(target):
        raise _taken(target)


def _holds_files(target: Path) -> bool:
    """Is ``target`` a folder with something in it besides :data:`EXPORT_MARK`? (An export
    that matched nothing leaves only the mark: empty, as the folder it replaced was.)"""
    return target.is_dir() and any(entry.name != EXPORT_MARK for entry in target.iterdir())


def _hidden_beside(target: Path) -> Path:
    """A new hidden name in the target's folder, for the export while it is written."""
    return target.parent / f".{target.name}.{os.urandom(4).hex()}.part"


def _taken(target: Path) -> ExportError:
    """The error for a target there already (a file, or a folder that is not empty)."""
    what = "is a folder that is not empty" if target.is_dir() else "exists"
    taken = f"{target} {what}: choose another name, or replace it with"
    return ExportError(f"{taken} overwrite=True.").for_cli(f"{taken} --force.")


def _unwritable(target: Path, exc: OSError) -> ExportError:
    return ExportError(f"Cannot write {target}: {exc.strerror or exc}.")


def publish_file(target: Path, write: Callable[[IO[str]], None], overwrite: bool) -> None:
    """``write`` into a hidden file beside ``target``, then put it in its place; on any error
    or interrupt, remove it."""
    part = _hidden_beside(target)
    try:
        # (the permissions a new file gets, as the user's umask says)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    try:
        try:
            with open(fd, "w", encoding="utf-8", newline="") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:
            raise _unwritable(target, exc) from None
        _put_in_place(part, target, overwrite)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def _put_in_place(part: Path, target: Path, overwrite: bool) -> None:
    """Rename the file ``part`` to ``target``; without ``overwrite`` never over a file that
    came meanwhile (a hard link fails where the name is taken; a file system without them is
    checked first)."""
    try:
        if overwrite:
            os.replace(part, target)
            return
        try:
            os.link(part, target)
        except FileExistsError:
            raise _taken(target) from None
        except OSError:  # no hard links here
            if os.path.lexists(target):
                raise _taken(target) from None
            os.rename(part, target)
    except OSError as exc:
        raise _unwritable(target, exc) from None


def publish_folder(target: Path, write: Callable[[Path], None], overwrite: bool) -> None:
    """``write`` into a hidden folder beside ``target``, then put it in its place (an empty
    folder there is replaced; one with files only with ``overwrite``, and only if it holds
    nothing an export does not write); on any error or interrupt, remove it."""
    part = _hidden_beside(target)
    try:
        part.mkdir()
    except OSError as exc:
        raise _unwritable(target, exc) from None
    old: Path | None = None
    try:
        try:
            write(part)
        except OSError as exc:
            raise _unwritable(target, exc) from None
        if target.is_dir() and any(target.iterdir()):  # (not replaced by a rename)
            if _holds_files(target):
                if not overwrite:
                    raise _taken(target)
                _check_replaceable(target)
            old = _hidden_beside(target)
            os.rename(target, old)
        try:
            os.rename(part, target)  # (over an empty folder, on POSIX)
        except OSError as exc:
            if old is not None:
                os.rename(old, target)
                old = None
            raise _unwritable(target, exc) from None
    finally:
        if part.exists():
            shutil.rmtree(part, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _check_replaceable(folder: Path) -> None:
    """Refuse to replace a folder an export did not write (no :data:`EXPORT_MARK`), or one
    that holds anything but ``.txt`` files and folders of them besides: ``--force`` given a
    folder of the user's own, their articles as ``.txt`` files included, must not delete it."""
    if not (folder / EXPORT_MARK).is_file():
        raise ExportError(f"Will not replace {folder}: an export did not write it (it has no "
                          f"{EXPORT_MARK}). Choose another folder.")
    for root, _dirs, files in os.walk(folder):
        other = next((name for name in files
                      if not name.endswith(".txt") and Path(root, name) != folder / EXPORT_MARK),
                     None)
        if other is not None:
            raise ExportError(f"Will not replace {folder}: it holds files an export does not "
                              f"write ({Path(root, other)}). Choose another folder.")
