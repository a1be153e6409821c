"""Opening index generations: the Whoosh ``FileIndex`` subclass, stable reads of a table of
contents, the storage the writer uses, where indexes live by default, and what a creation cut
short leaves.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.codec import base as whoosh_codec_base
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import EmptyReader
from whoosh.util import random_name

from corpus_search.errors import IndexLocationError
from corpus_search.ingest.model import type_name
from corpus_search.store.files import (
    INDEX_NAME,
    META_FILENAME,
    acquire_write_lock,
    committed_segment_names,
    latest_generation,
    release_lock,
    remove_index_files,
)
from corpus_search.store.mapped import use_mapped_segment_files
from corpus_search.store.meta import read_json
from corpus_search.store.schema import structural_schema

if TYPE_CHECKING:
    from whoosh.searching import Searcher

    from corpus_search.store.writer import BulkSegmentWriter


__all__ = [
    "DEMO_INDEX_NAME", "default_index_path", "demo_index_path", "index_location",
    "is_demo_index", "nothing_committed", "read_only_searcher",
]


#: the demo index's folder name, beside the default index's folder
DEMO_INDEX_NAME = "demo-index"


def default_index_path() -> Path:
    """The index location used when none is given: the user data folder of corpus-search."""
    import platformdirs  # (only here: it imports tempfile, which a search given --index lacks)

    return Path(platformdirs.user_data_dir("corpus-search", appauthor=False)) / "index"


def index_location(path: str | os.PathLike[str] | None) -> Path:
    """The index folder ``path`` names, ``~`` expanded as the folders to index are (else
    ``CorpusIndex("~/ix")`` made a folder named ``~`` in the working folder), or the default
    index's when ``path`` is None; anything else (a number) is refused in one line."""
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise IndexLocationError("The index path must be text or a path (a pathlib.Path; None "
                                 f"for the default index), not {type_name(path)}.")
    return Path(path).expanduser() if path is not None else default_index_path()


def demo_index_path() -> Path:
    """The demo index's location, beside the default index: the bundled seed articles, which
    ``corpus-search search`` shows before you have indexed anything."""
    return default_index_path().with_name(DEMO_INDEX_NAME)


def is_demo_index(path: Path) -> bool:
    """Whether ``path`` is the demo index's folder: its name first, as finding that folder
    imports platformdirs (~2 ms of a cold search of another index)."""
    return path.name == DEMO_INDEX_NAME and path.absolute() == demo_index_path().absolute()


def read_toc(path: Path, generation: int | None = None) -> TOC:
    """A table of contents of the index at ``path`` (default: the newest), read without
    unpickling its schema (which would re-read the user lexicon files)."""
    return TOC.read(FileStorage(str(path)), INDEX_NAME, generation, schema=structural_schema())


def committed_segments(path: Path) -> set[str] | None:
    """The segments of the newest committed generation; ``None`` if it cannot be read."""
    if latest_generation(path) < 0:
        return set()
    try:
        return committed_segment_names(read_toc(path))
    except Exception:
        return None


def segment_id(cls: type, size: int = 16) -> str:
    """A segment id from the operating system's randomness.

    Whoosh draws segment ids from the ``random`` module's shared generator, so a program that
    calls ``random.seed()`` (a reproducible experiment, a property-based test) before each
    run draws the same ids again: the new segment's files collide with a live segment's and
    the commit fails in ``create_compound_file``. (``random`` imported here: a search makes
    no segment, and Whoosh's modules take a stand-in for it: :mod:`corpus_search.lean_whoosh`.)
    """
    import random

    choice = random.SystemRandom().choice
    return "".join(choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(size))


def use_system_random_segment_ids() -> None:
    """Make Whoosh draw new segment ids with :func:`segment_id`. Whoosh has no setting for
    it, so this rebinds ``Segment._random_id`` for the process; it is done when an index is
    opened (:class:`CorpusFileIndex`), before any of its writers makes a segment, never on
    import. Doing it again changes nothing."""
    whoosh_codec_base.Segment._random_id = classmethod(segment_id)


class CorpusFileIndex(whoosh_index.FileIndex):
    """Whoosh's on-disk index with two reliability fixes: a pinned schema, and helper writer
    processes that cannot outlive their parent; its segment files are read through their
    memory map, not copied (:mod:`corpus_search.store.mapped`).

    Whoosh's ``FileIndex.schema`` re-reads the newest table of contents on every access (the
    query parser asks for it on every search) without the retry its ``reader()`` has, so a
    search racing another process's commit failed when that commit deleted the file just
    listed. The schema of a corpus_search index never changes (the metadata's version check
    guarantees it), so reading it once is exact, and it spares unpickling it every search.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        use_system_random_segment_ids()
        use_mapped_segment_files()
        super().__init__(*args, **kwargs)

    def _current_schema(self) -> Schema:
        return self._schema

    def writer(self, procs: int = 1, **kwargs: Any) -> BulkSegmentWriter:
        """A :class:`~corpus_search.store.writer.BulkSegmentWriter` (the same index content as
        Whoosh's writer, built faster); with ``procs > 1`` its ``add_many`` forks workers
        (which leave when this process dies) instead of Whoosh's multiprocess writer."""
        from corpus_search.store.writer import BulkSegmentWriter  # (only writers load it)

        writer = BulkSegmentWriter(self, **kwargs)
        writer.procs = procs
        return writer

    @classmethod
    def _reader(
        cls, storage: Any, schema: Schema, segments: list[Any], generation: int,
        reuse: Any = None,
    ) -> Any:
        if not segments:  # Whoosh's EmptyReader forgets the generation: never up to date
            return _EmptyGenerationReader(schema, generation)
        return super()._reader(storage, schema, segments, generation, reuse=reuse)


@contextlib.contextmanager
def read_only_searcher(path: Path, schema: Schema) -> Iterator[Searcher]:
    """A searcher of the index at ``path``, its fields read by ``schema``, opened without
    writing anything (no lock taken, no recovery): to read an index this version will not
    search (its stats), or the one a rebuild replaces (the documents a program added)."""
    storage = FileStorage(str(path), readonly=True)
    with CorpusFileIndex(storage, schema, INDEX_NAME).searcher() as searcher:
        yield searcher


class WriterStorage(FileStorage):
    """Whoosh's file storage, noting the files it opens while ``created`` is a list (during a
    write, see :func:`corpus_search.store.writing.transaction`) so that a failed write can
    close them all: Whoosh leaves files open when a write fails (assembling a compound
    segment, for one), and a deleted file that is still open keeps its space on a full disk."""

    created: list[Any] | None = None

    def create_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().create_file(name, **kwargs)
        if self.created is not None:
            self.created.append(handle)
        return handle

    def open_file(self, name: str, **kwargs: Any) -> Any:
        handle = super().open_file(name, **kwargs)
        if self.created is not None:
            self.created.append(handle)
        return handle

    def temp_storage(self, name: str | None = None) -> FileStorage:
        """A scratch folder (column data, posting runs) in the index folder, made if it is
        not there. (Not through Whoosh's ``FileStorage.create``, which keeps the "already
        exists" error it ignores in a local variable: a reference cycle through every frame
        that led to the write, and the files they held, until a full garbage collection. A
        commit makes its scratch folder twice.)"""
        folder = os.path.join(self.folder, name or f"{random_name()}.tmp")
        os.makedirs(folder, exist_ok=True)
        tracked = WriterStorage(folder)
        tracked.created = self.created
        return tracked


def close_all(handles: Iterable[Any]) -> None:
    """Close Whoosh files (StructFile) that are still open, whatever fails."""
    for handle in handles:
        if not handle.is_closed:
            with contextlib.suppress(Exception):
                handle.close()
            with contextlib.suppress(Exception):
                handle.file.close()  # StructFile.close stops if its callback fails


class _EmptyGenerationReader(EmptyReader):
    """The reader of a generation with no segments, knowing which generation it is."""

    def __init__(self, schema: Schema, generation: int) -> None:
        super().__init__(schema)
        self._generation = generation

    def generation(self) -> int:
        return self._generation


class NextGeneration(CorpusFileIndex):
    """The index folder seen as if it held no segments: a writer on it commits a table of
    contents that holds only the writer's own segments, as the next generation, whatever the
    current generation holds (even if it is damaged: it is never read). Its schema is the new
    generation's."""

    def __init__(self, storage: FileStorage, schema: Schema) -> None:  # no TOC to read
        use_system_random_segment_ids()
        self.storage = storage
        self._schema = schema
        self.indexname = INDEX_NAME

    def _read_toc(self) -> TOC:
        return TOC(self._schema, [], latest_generation(Path(self.storage.folder)))


def interrupted_creation(path: Path) -> bool:
    """Whether a process died while creating the index at ``path``, before anything was
    indexed.

    Creating writes the empty Whoosh index, then the metadata file; a crash in between
    leaves one without the other. With no segment written nothing can be lost, so such a
    folder is treated as no index at all (and created afresh) rather than as damage.
    """
    try:
        names = [p.name for p in path.iterdir()]
    except OSError:
        return False
    if any(name.endswith(".seg") for name in names):
        return False
    prefix = f"_{INDEX_NAME}_"
    has_toc = any(name.startswith(prefix) and name.endswith(".toc") for name in names)
    if META_FILENAME in names:
        if has_toc:
            return False
        try:
            meta = read_json(path / META_FILENAME)
        except (OSError, ValueError):
            return False
        return (
            isinstance(meta, dict)
            and not meta.get("roots")
            and meta.get("modified") == meta.get("created")
        )
    if not has_toc:
        return False
    try:
        return not read_toc(path).segments
    except Exception:  # unreadable: not an interrupted creation but damage, reported later
        return False


def nothing_committed(path: Path) -> bool:
    """Whether the index at ``path`` was made but nothing was ever committed to it: its first
    table of contents holds no segment (a first indexing run killed before its first commit,
    or one still writing it). Such an index holds nothing to lose, and nothing to search."""
    return latest_generation(path) == 0 and committed_segments(path) == set()


def remove_empty_creation(path: Path, made_folders: list[Path]) -> bool:
    """Remove the index at ``path`` if nothing was ever committed to it (its first table of
    contents holds no segment), under the write lock, with ``made_folders`` (the folders
    made for it, deepest first: the index folder itself is kept unless it is one); return
    whether it did. Never raises: an index that cannot be removed stays a valid empty one."""
    lock = None
    try:
        lock = acquire_write_lock(path, 1.0)
        if lock is None or not nothing_committed(path):
            return False
        remove_index_files(path, remove_folder=path.absolute() in made_folders)
    except OSError:
        return False
    finally:
        if lock is not None:
            release_lock(lock)
    for folder in made_folders[1:]:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty
    return True


def stable_read(read: Callable[[], Any], attempts: int = 50) -> Any:
    """``read()``, retried while a concurrent commit removes the files it was opening.

    A commit renames a new table of contents into place and then deletes the previous one; a
    reader that listed the folder just before can find its file gone. The next attempt reads
    the newer generation. A file that stays missing is real damage and is raised.
    """
    for attempt in range(attempts):
        try:
            return read()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.02)
    raise AssertionError("unreachable")  # pragma: no cover
