"""Which files of an index folder are the index's own, and tidying them safely.

An index folder holds Whoosh's files (tables of contents ``_MAIN_<n>.toc``, segment files
``MAIN_<id>.<ext>``, the lock ``MAIN_WRITELOCK``, the scratch folder ``MAIN.tmp``), the
metadata file ``corpus_search.json`` and the temporary files of both. These name rules are the
one place that says what the library wrote: removing, rebuilding or cleaning up after a failed
write touches those names only, never anything else a user keeps in the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for

from corpus_search.errors import (
    IndexLocationError,
    IndexLockedError,
    IndexNotFoundError,
    IndexReadError,
    IndexWriteError,
)
from corpus_search.ingest.files import printable

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "INDEX_NAME",
    "LINES_FILENAME",
    "META_FILENAME",
    "FolderContents",
    "acquire_write_lock",
    "check_location",
    "committed_segment_names",
    "folder_contents",
    "folder_stamp",
    "holds_index",
    "is_own_file",
    "is_write_failure",
    "latest_generation",
    "make_index_folder",
    "missing_folders",
    "no_index_error",
    "release_lock",
    "remove_index",
    "remove_index_files",
    "remove_uncommitted",
    "tree_usage",
    "uncreatable",
    "write_failure_message",
]


INDEX_NAME = "MAIN"


META_FILENAME = "corpus_search.json"


#: the folders' files' repeated lines, apart from the metadata (:mod:`.lines_file`)
LINES_FILENAME = "corpus_search_lines.json"


#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_LOCK_TIMEOUT = 10.0


_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")


#: a table of contents being written (Whoosh renames it into place at the commit)
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc\.[0-9.]+$")


#: Whoosh's segment file names (``TOC._segment_pattern``), anchored at both ends
_SEGMENT = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")


_META_TEMP = re.compile(
    rf"^\.({re.escape(META_FILENAME)}|{re.escape(LINES_FILENAME)})\.[0-9]+\.tmp$")


_LOCK = f"{INDEX_NAME}_WRITELOCK"


_SCRATCH = f"{INDEX_NAME}.tmp"


#: files an operating system drops into any folder it shows; never a reason to refuse one
_SYSTEM_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def is_own_file(name: str) -> bool:
    """Whether ``name`` (a file or folder directly in an index folder) is one the library
    writes."""
    return bool(
        name in (META_FILENAME, LINES_FILENAME, _LOCK, _SCRATCH)
        or _TOC.match(name)
        or _TOC_TEMP.match(name)
        or _SEGMENT.match(name)
        or _META_TEMP.match(name)
    )


@dataclass
class FolderContents:
    """The entries of a folder, sorted into the index's own and everything else."""

    own: list[str]
    foreign: list[str]

    @property
    def holds_index(self) -> bool:
        """Whether an index (or what a crash left of one) lives here."""
        return any(
            name == META_FILENAME or _TOC.match(name) or _SEGMENT.match(name)
            for name in self.own
        )


def folder_contents(path: Path) -> FolderContents:
    """Sort the entries of ``path`` (raises OSError if it cannot be listed)."""
    own, foreign = [], []
    for name in sorted(os.listdir(path)):
        if is_own_file(name):
            own.append(name)
        elif name not in _SYSTEM_LITTER:
            foreign.append(name)
    return FolderContents(own, foreign)


def holds_index(path: Path) -> bool:
    """Whether ``path`` is a folder holding an index (or what a crash left of one)."""
    try:
        return path.is_dir() and folder_contents(path).holds_index
    except OSError:
        return False


def check_location(path: Path) -> None:
    """Refuse an index path that is a file, or a folder of other files with no index."""
    problem = location_problem(path)
    if problem is None:
        return
    if not path.is_dir():
        raise IndexLocationError(f"{problem}: choose another place for the index.", path)
    raise IndexLocationError(
        f"Refusing to create an index in {path}: {problem}. Choose an empty or new folder for "
        "the index.",
        path,
    )


def location_problem(path: Path) -> str | None:
    """Why no index can be made at ``path`` ("... is a file, not a folder", "the folder holds
    other files (a.txt)"), or None if one can."""
    if path.exists() and not path.is_dir():
        return f"{path} is a file, not a folder"
    if not path.is_dir():
        return None
    try:
        contents = folder_contents(path)
    except OSError as exc:
        raise IndexReadError(
            f"Cannot read the folder {path} ({exc.strerror or exc}).", path
        ) from None
    if contents.foreign and not contents.holds_index:
        shown = ", ".join(printable(name) for name in contents.foreign[:3])
        more = f" and {len(contents.foreign) - 3} more" if len(contents.foreign) > 3 else ""
        return f"the folder holds other files ({shown}{more})"
    return None


def no_index_error(path: Path) -> IndexNotFoundError:
    """The error for opening ``path``, which holds no index: how to make one there (in the
    library's terms, and the command's), or why none can be made there."""
    missing = f"No corpus_search index at {path}."
    problem = location_problem(path)
    if problem is not None:
        return IndexNotFoundError(f"{missing} None can be made there: {problem}. Choose an "
                                  "empty or new folder for the index.", path)
    return IndexNotFoundError(
        f"{missing} Make one by indexing a folder into it: "
        f"CorpusIndex({str(path)!r}).index_directory(FOLDER).", path,
    ).for_cli(f"{missing} Create one with: corpus-search index DIR --index {path}")


def missing_folders(path: Path) -> list[Path]:
    """``path`` and those of its parents that do not exist (yet), deepest first: what
    creating an index there makes."""
    missing = []
    for folder in (path.absolute(), *path.absolute().parents):
        if folder.exists():
            break
        missing.append(folder)
    return missing


def make_index_folder(path: Path) -> None:
    """Make the folder ``path`` (and its parents) for an index: a system that refuses the
    write (no permission, read-only, full) is an :class:`IndexWriteError`, a place where no
    folder can be (under a file) an :class:`IndexLocationError`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_write_failure(exc):
            raise IndexWriteError(
                write_failure_message(exc, path, creating=True), path
            ) from None
        raise IndexLocationError(uncreatable(path, exc), path) from None


def uncreatable(path: Path, exc: OSError) -> str:
    """Why the index folder ``path`` cannot be made, in one line."""
    parent = path
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent != path and not parent.is_dir():
        return f"Cannot create the index folder {path}: {parent} is a file, not a folder."
    return f"Cannot create the index folder {path}: {exc.strerror or exc}."


#: how old (ns) a folder's modification time must be before it is trusted to change with the
#: next entry added or removed: file systems stamp it by their clock tick (a few ms on Linux)
#: or by the second or two (FAT, old ext3), so a second change within one tick can leave it
#: as the first set it
SETTLED_NS = 3_000_000_000


def folder_stamp(path: Path) -> int | None:
    """The modification time (ns) of the folder ``path``, which changes whenever an entry is
    added to, removed from or renamed in it (a new generation adds a table of contents), or
    ``None`` when it cannot be read."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def latest_generation(path: Path) -> int:
    """The newest table of contents' generation in ``path`` (-1: none)."""
    try:
        names = os.listdir(path)
    except OSError:
        return -1
    return max((int(m.group(1)) for m in map(_TOC.match, names) if m), default=-1)


def remove_index_files(path: Path, *, remove_folder: bool = True) -> list[str]:
    """Delete the index's own files in ``path`` and (``remove_folder``) the folder itself if
    nothing else is left; return the names of the entries kept (the user's)."""
    contents = folder_contents(path)
    for name in contents.own:
        item = path / name
        if item.is_dir() and not item.is_symlink():
            import shutil  # (only here: a search imports none of shutil's archive modules)

            shutil.rmtree(item)
        else:
            with contextlib.suppress(FileNotFoundError):
                item.unlink()
    kept = sorted(os.listdir(path))
    if not kept and remove_folder:
        path.rmdir()
    return kept


def acquire_write_lock(path: Path, timeout: float) -> Any | None:
    """The write lock of the index folder ``path`` (Whoosh's ``MAIN_WRITELOCK``, which every
    writer of the folder takes, in any process), acquired within ``timeout`` seconds; ``None``
    if another process still holds it then. An ``OSError`` means the lock file cannot be
    made (a read-only folder, a full disk)."""
    lock = FileStorage(str(path)).lock(_LOCK)
    return lock if try_for(lock.acquire, timeout=timeout, delay=0.05) else None


def release_lock(lock: Any) -> None:
    """Release a lock from :func:`acquire_write_lock`, whatever fails (the lock dies with
    the process anyway)."""
    with contextlib.suppress(Exception):
        lock.release()


def remove_index(path: str | os.PathLike[str]) -> None:
    """Delete the index at ``path``: its own files only, and the folder if nothing else is
    left in it. Refuses a folder that holds other files but no index, and waits for the write
    lock like any writer."""
    target = Path(path).expanduser()
    if not target.exists():
        return
    if not target.is_dir():
        raise IndexLocationError(f"Refusing to delete {target}: it is a file, not an index.")
    try:
        contents = folder_contents(target)
    except OSError as exc:
        raise IndexReadError(f"Cannot read the folder {target} ({exc.strerror}).") from None
    if contents.foreign and not contents.holds_index:
        raise IndexLocationError(
            f"Refusing to delete {target}: it is not empty and does not look like an index.",
            target,
        )
    lock = None
    try:
        lock = acquire_write_lock(target, DEFAULT_LOCK_TIMEOUT)
        if lock is None:
            raise IndexLockedError(
                f"The index at {target} is being written by another process. Try again when "
                "it has finished.",
                target,
            )
        remove_index_files(target)
    except OSError as exc:
        raise IndexWriteError(write_failure_message(exc, target), target) from None
    finally:
        if lock is not None:
            release_lock(lock)


def remove_uncommitted(path: Path, committed_segments: set[str] | None) -> int:
    """Delete what an unfinished write left in ``path``: segment files no committed table of
    contents refers to, temporary tables of contents and metadata files, the scratch
    folder. Return the bytes freed.

    ``committed_segments`` are the segment names (``MAIN_<id>``) of the newest table of
    contents; ``None`` when it could not be read, in which case segments are left alone (a
    damaged index is not made worse). Call only while holding the write lock: another
    writer's segments are uncommitted too until its commit.
    """
    freed = 0
    try:
        names = os.listdir(path)
    except OSError:
        return 0
    for name in names:
        m = _SEGMENT.match(name)
        doomed = (
            (m is not None and committed_segments is not None
             and m.group(1) not in committed_segments)
            or _TOC_TEMP.match(name) is not None
            or _META_TEMP.match(name) is not None
        )
        item = path / name
        if name == _SCRATCH and item.is_dir() and not item.is_symlink():
            freed += tree_usage(item)[1]
            import shutil

            shutil.rmtree(item, ignore_errors=True)
        elif doomed:
            with contextlib.suppress(OSError):
                size = item.stat().st_size
                item.unlink()
                freed += size
    return freed


def tree_usage(path: Path) -> tuple[int, int]:
    """How many files lie under the folder ``path``, and their bytes (an unreadable file
    counts with no bytes)."""
    count = total = 0
    for root, _dirs, files in os.walk(path):
        count += len(files)
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return count, total


#: errors that mean the disk is full (or the user's quota is)
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


_FORBIDDEN = {errno.EACCES, errno.EPERM}


def write_failure_message(
    exc: OSError, path: Path, *, freed: int = 0, creating: bool = False
) -> str:
    """A one-line account of a failed write to the index at ``path`` (``creating``: a new
    index): the cause, the disk or folder it concerns, and what to do."""
    folder = _existing_ancestor(path)
    if exc.errno in _FULL:
        mount = _mount_point(folder)
        free = _free_bytes(folder)
        cause = (
            f"the disk holding {path} is full ({exc.strerror or 'no space left'}; file "
            f"system mounted at {mount}"
            + (f", {_human(free)} free now" if free is not None else "")
            + ")"
        )
        advice = "free some space there and run the same command again"
    elif exc.errno == errno.EROFS:
        cause = f"{path} is on a read-only file system (mounted at {_mount_point(folder)})"
        advice = "make it writable or choose another folder for the index"
    elif exc.errno in _FORBIDDEN:
        where = exc.filename or folder
        cause = f"no permission to write in {Path(where).parent if exc.filename else where}"
        advice = "fix the folder's permissions or choose another folder for the index"
    else:
        cause = f"{exc.strerror or type(exc).__name__}"
        if exc.filename:
            cause += f" ({exc.filename})"
        advice = "fix the cause and run the same command again"
    tidied = f" and the unfinished files of this write ({_human(freed)}) were removed" if freed \
        else ""
    if creating:
        return f"Could not create an index at {path}: {cause}; {advice}."
    return (
        f"Could not write to the index at {path}: {cause}. The index keeps its last "
        f"completed commit{tidied}; {advice}."
    )


def is_write_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is the operating system refusing a write (full, read-only,
    forbidden, too large), as opposed to damage or a bug."""
    return isinstance(exc, OSError) and exc.errno in (
        _FULL | _FORBIDDEN | {errno.EROFS, errno.EFBIG, errno.EIO, errno.ENAMETOOLONG}
    )


def _existing_ancestor(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _mount_point(path: Path) -> Path:
    path = Path(os.path.realpath(path))
    while not os.path.ismount(path) and path.parent != path:
        path = path.parent
    return path


def _free_bytes(path: Path) -> int | None:
    import shutil

    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def _human(n: int) -> str:
    size: float = n
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} bytes"  # pragma: no cover


def committed_segment_names(toc: Any) -> set[str]:
    """The segment names (``MAIN_<id>``) a table of contents refers to."""
    return {segment.segment_id() for segment in toc.segments}
