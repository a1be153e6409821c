"""Reading files into :class:`Document` objects.

Formats: ``.txt`` and ``.md`` (first non-empty line is the title), ``.jsonl`` (one JSON object
per line) and ``.csv`` (header row), with fields ``id``, ``title``, ``body`` and optional
``date``, ``source``, ``url``, and saved web pages (``.html``, ``.htm``: see
:mod:`corpus_search.ingest.webpages`). Publishers are recognised from the text when a file does not
state them; dates follow the rules of :mod:`corpus_search.ingest.dates` (publication dates only);
newsletter and donation blurbs are kept out of bodies.

Nothing here raises because of one bad file: :func:`read_file` returns a :class:`FileResult`
whose ``skipped_reason`` or ``warnings`` say, in a short human sentence, what went wrong.
Nothing is ever read outside the folder being indexed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_search.ingest.columns import column_mapping
from corpus_search.ingest.encodings import NOT_UTF8, decode, stored_name
from corpus_search.ingest.model import (
    DEFAULT_MAX_BYTES,
    DOCUMENT_EXTENSIONS,
    DOCUMENTS_EXTRA,
    EMPTY_FILE,
    SUPPORTED_EXTENSIONS,
    WEB_PAGE_EXTENSIONS,
    FileResult,
    readable_extensions,
)
from corpus_search.ingest.signatures import content_digest, read_signature

if TYPE_CHECKING:
    from corpus_search.ingest.dates import DateRules

__all__ = [
    "READING_VERSION",
    "bundled_seeds_path",
    "disambiguated_ids",
    "folder_label",
    "is_bundled_seeds",
    "iter_source_files",
    "printable",
    "read_directory",
    "read_file",
]


#: the version of what the readers make of a file's bytes: raised when the same file would
#: give other documents (2: quotes ending a front matter value kept, datelines in Markdown
#: emphasis, JSON Lines field names in any capitals; 3: a front matter title keeps the first
#: line in the body unless it repeats the title; 4: a record without a ``body`` column or a
#: mapping for the text has it read from a ``text`` column; 5: a saved web page is published
#: by the site it names itself, its ``og:site_name``; 6: a page's first ``<h1>`` in a
#: ``<header>`` is in its body unless the title holds it, a record's title or text that is a
#: list of texts is read as one text; 7: "BBC" is BBC News, PUBLISHER_ALIASES; 8: a column a
#: mapping names that a file lacks reads the field's own, record_columns; 9: UTF-8 with a few
#: stray Windows bytes is read as UTF-8, only those bytes as cp1252, encodings.decode; 10: a
#: folder's repeated lines are removed only at a body's edges, never a line quoting someone,
#: counted over the whole folder, docs/ingest.md "Boilerplate"; 11: a page's furniture in
#: <div>s left out, ingest.furniture; 12: a table in a page's <article> or <main> is kept
#: however much of it is links, ingest.furniture; 13: a repeated menu line is no title,
#: ingest.menus), so an index's next update reads unchanged files again, not an old reading
READING_VERSION = 13

def _is_hidden(name: str) -> bool:
    return name.startswith(".")


#: the longest path the system opens (folders whose path is longer are reported, not read)
_PATH_LIMIT = 4096
with contextlib.suppress(OSError, ValueError, AttributeError):
    _PATH_LIMIT = os.pathconf("/", "PC_PATH_MAX")
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_MAX_LINKS = 40  # links followed to reach one file, as the kernel allows


def iter_source_files(
    root: Path, *, problems: list[tuple[str, str]] | None = None,
    others: Counter[str] | None = None,
) -> Iterator[Path]:
    """Yield candidate files (supported extensions) under ``root``, sorted, never leaving it.

    Hidden entries (names starting with ``.``) are ignored, and so is the folder of a saved
    web page's resources (``X_files`` beside ``X.html``). Symbolic links to folders are never
    followed (a link inside the folder is indexed under its real path; one leading outside is
    left out), so there are no loops. Symbolic links to *files* are yielded, so that
    :func:`read_file` can report broken links and links leading outside the folder.

    Every folder is opened from ``root`` one name at a time without following links, so a
    folder swapped for a link during the walk is never listed. Folders that cannot be read,
    or whose path is longer than the system's limit (4,096 bytes on Linux), are not
    listed: each is added to ``problems``, if given, as ``(relative path + "/", reason)``.
    Files of other kinds (``.xml``; ``.pdf`` and ``.docx`` without the ``documents`` extra)
    are counted in ``others``, if given, by their extension in lower case (``""`` for none).
    """
    root = Path(root)
    readable = readable_extensions()
    found: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [()]
    root_bytes = len(os.fsencode(os.path.abspath(root)))
    while stack:
        parts = stack.pop()
        if parts and root_bytes + len(os.fsencode("/" + "/".join(parts))) >= _PATH_LIMIT:
            _problem(problems, parts, f"path longer than the system limit ({_PATH_LIMIT} bytes)")
            continue
        try:
            fd = _open_folder(root, parts)
        except OSError as exc:
            _problem(problems, parts, _folder_error(exc))
            continue
        try:
            with os.scandir(fd) as it:
                entries = list(it)
            resources = _page_resources(entry.name for entry in entries)
            for entry in entries:
                if _is_hidden(entry.name):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in resources:
                            stack.append((*parts, entry.name))
                        continue
                    if entry.is_symlink() and _links_to_folder(entry.name, fd):
                        continue  # folder links are not followed
                except OSError:
                    continue
                kind = os.path.splitext(entry.name)[1].lower()
                if kind in readable:
                    found.append((*parts, entry.name))
                elif others is not None:
                    others[kind] += 1
        except OSError as exc:
            _problem(problems, parts, _folder_error(exc))
        finally:
            os.close(fd)
    # by folder, then name less extension: "speech-copy.txt" after "speech.txt" ("-" < ".")
    found.sort(key=lambda parts: (*parts[:-1], *os.path.splitext(parts[-1])))
    for parts in found:
        yield root.joinpath(*parts)


def _page_resources(names: Iterable[str]) -> set[str]:
    """The folders of ``names`` that hold a saved web page's resources: ``X_files`` beside
    ``X.html`` (what a browser's *Save Page As* writes: scripts, styles, images, and the
    page's frames and advertisements as pages of their own, which are no documents)."""
    names = list(names)
    pages = {stem for stem, ext in map(os.path.splitext, names)
             if ext.lower() in WEB_PAGE_EXTENSIONS}
    return {name for name in names if name.endswith("_files") and name[:-6] in pages}


def _problem(problems: list[tuple[str, str]] | None, parts: tuple[str, ...], reason: str) -> None:
    if problems is not None:
        problems.append(("/".join(parts) + "/" if parts else "./", reason))


def _folder_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "folder cannot be read: permission denied"
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return "folder changed while it was read (it is no longer a folder)"
    if exc.errno == errno.ENOENT:
        return "folder disappeared while it was read"
    return f"folder cannot be read: {exc.strerror or exc}"


def _open_folder(root: Path, parts: Sequence[str]) -> int:
    """A descriptor of the folder ``root/parts...``, each name opened without following links."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for name in parts:
            sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = sub
    except BaseException:
        os.close(fd)
        raise
    return fd


def _links_to_folder(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd).st_mode)
    except OSError:  # loops and the like: let read_file report them
        return False


def bundled_seeds_path() -> Path:
    """The folder of seed articles shipped with corpus_search (wheel or source checkout),
    found beside this module: importlib.resources, which names the same folder, imports
    tempfile, shutil and zipfile (~4 ms of a cold ``stats``)."""
    bundled = Path(__file__).parents[1] / "seeds"
    return bundled if bundled.is_dir() else Path(__file__).resolve().parents[3] / "seeds"


def is_bundled_seeds(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` is the bundled seed articles: this installation's, or another
    installation's (an installed package's ``corpus_search/seeds``, a source checkout's
    ``seeds`` beside ``src/corpus_search``)."""
    path = Path(folder)
    with contextlib.suppress(OSError):
        if path.resolve() == bundled_seeds_path().resolve():
            return True
    if path.parts[-2:] == ("corpus_search", "seeds"):
        return True
    return path.name == "seeds" and (path.parent / "src" / "corpus_search").is_dir()


def printable(rel: str) -> str:
    """A file name fit for reports: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become U+FFFD, so the report can be printed and written as JSON."""
    try:
        return os.fsencode(rel).decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no file name decoding makes (a JSON escape)
        return rel.encode("utf-8", "replace").decode("utf-8")


def folder_label(root: str | os.PathLike[str]) -> str:
    """The label that tells a folder's documents apart from another folder's that would have
    the same ids: the folder's own name (``collB`` for ``~/collB``)."""
    return Path(root).name or "folder"


def disambiguated_ids(doc_id: str, label: str) -> Iterator[str]:
    """The ids a document takes, in order, when ``doc_id`` is already held by a document of
    another folder (see docs/ingest.md, "Ids"): ``<label>/<doc_id>``, then
    ``<label>~2/<doc_id>``, ``<label>~3/<doc_id>``, ... (the rare case of two folders with the
    same name and the same files)."""
    yield f"{label}/{doc_id}"
    n = 2
    while True:
        yield f"{label}~{n}/{doc_id}"
        n += 1


def _os_error_reason(exc: OSError) -> str:
    """The skip reason for a file the operating system would not let us read."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"unreadable: {exc.strerror or exc}"


def _human_size(n: int) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _relative(path: Path, root: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return rel.replace(os.sep, "/")


def read_file(
    path: Path,
    root: Path,
    *,
    id_prefix: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    dates: DateRules | None = None,
    source: str | None = None,
    indexed_digest: str | None = None,
    columns: Mapping[str, str] | str | None = None,
) -> FileResult:
    """Read one file under ``root`` into documents; never raises because of the file.

    Whole-file problems set ``skipped_reason``; problems with single records (a malformed
    JSONL line or CSV row, a non-UTF-8 file) become ``warnings`` that name the file.
    Documents are dated by ``dates`` (default: :class:`~corpus_search.ingest.dates.DateRules()`).
    ``source`` is the folder's publisher, for the documents that name none themselves (a
    record's ``source`` field, front matter); it goes before the one the text suggests.
    ``columns`` says which columns of a CSV file or fields of a JSON Lines file hold what
    (:func:`~corpus_search.ingest.columns.column_mapping`, which raises for a mapping that
    names an unknown field). A file whose content digest is
    ``indexed_digest`` (that of what was indexed from it) is not read into documents: the
    result says ``same_as_indexed``.
    """
    path, root = Path(path), Path(root)
    mapping = column_mapping(columns) if columns else None
    on_disk = _relative(path, root)
    rel = stored_name(on_disk)  # (a name of bytes that are not UTF-8: \xNN, and a warning)
    result = FileResult(path=rel)
    if rel != on_disk:
        result.warnings.append(f"{rel}: file name is not valid UTF-8: indexed under this "
                               "name, its bytes that are not UTF-8 written \\xNN")
    ext = os.path.splitext(path.name)[1].lower()
    if ext in DOCUMENT_EXTENSIONS and ext not in readable_extensions():
        result.skipped_reason = f"reading {ext} files needs the documents extra: {DOCUMENTS_EXTRA}"
        return result
    if ext not in SUPPORTED_EXTENSIONS and ext not in DOCUMENT_EXTENSIONS:
        result.skipped_reason = f"unsupported file type ({ext or 'no extension'})"
        return result
    if rel == ".." or rel.startswith("../"):
        result.skipped_reason = "outside the indexed folder"
        return result

    # Open the file one name at a time from the root, never through a link leading out of
    # it, and check what was opened: what is checked is what is read.
    try:
        fd = _open_beneath(root, on_disk.split("/"))
    except _Refused as refused:
        result.skipped_reason = str(refused)
        return result
    except FileNotFoundError:
        result.skipped_reason = "file not found"
        return result
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            result.skipped_reason = "symbolic link loop"
        else:
            result.skipped_reason = _os_error_reason(exc)
            result.unreadable = True
        return result
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                result.skipped_reason = "not a regular file"
                return result
            if st.st_size > max_bytes:
                result.skipped_reason = f"larger than {_human_size(max_bytes)}"
                return result
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            result.skipped_reason = _os_error_reason(exc)
            result.unreadable = True
            return result
    if len(data) > max_bytes:
        result.signature = f"{st.st_size}:{st.st_mtime_ns}"
        result.skipped_reason = f"larger than {_human_size(max_bytes)}"
        return result
    result.signature = read_signature(st, data)
    if indexed_digest is not None and content_digest(result.signature) == indexed_digest:
        result.same_as_indexed = True  # touched, not changed: nothing to read into documents
        return result
    if not data.strip():
        result.skipped_reason = EMPTY_FILE
        return result
    if ext in DOCUMENT_EXTENSIONS:  # a PDF or Word file: its reader only when one is read
        from corpus_search.ingest.documents import read_document

        read_document(data, ext, rel, id_prefix, result, source)
        return _dated(result, rel, dates, id_prefix, whole_file=True, mtime=st.st_mtime)
    text, warning = decode(data)
    if text is not None and warning == NOT_UTF8 and ext in WEB_PAGE_EXTENSIONS:
        from corpus_search.ingest.webpages import page_text  # its declared character set

        text, warning = page_text(data, text, warning)
    if text is None:
        result.skipped_reason = warning or "binary file"
        return result
    if warning:
        result.warnings.append(f"{rel}: {warning}")
    if not text.strip():
        result.skipped_reason = EMPTY_FILE
        return result

    # the readers (csv, front matter, boilerplate, publishers) only when a file is read: a
    # search imports this module for printable and the seeds' path
    from corpus_search.ingest.formats import read_csv, read_jsonl, text_document
    from corpus_search.ingest.webpages import page_document

    try:
        if ext in (".txt", ".md"):
            doc = text_document(text, rel, id_prefix, markdown=ext == ".md", result=result,
                                source=source)
            if doc is None:
                result.skipped_reason = EMPTY_FILE
            else:
                result.documents.append(doc)
        elif ext in WEB_PAGE_EXTENSIONS:
            doc = page_document(text, rel, id_prefix, result, source)
            if doc is None:
                result.skipped_reason = "no text: only markup, scripts or navigation"
            else:
                result.documents.append(doc)
        elif ext == ".jsonl":
            read_jsonl(text, rel, id_prefix, result, source, mapping)
        else:
            read_csv(text, rel, id_prefix, result, max_bytes, source, mapping)
    except Exception as exc:  # pragma: no cover - last line of defence, never leak
        result.documents.clear()
        result.skipped_reason = f"could not be parsed: {type(exc).__name__}: {exc}"
    whole_file = ext in (".txt", ".md", *WEB_PAGE_EXTENSIONS)
    return _dated(result, rel, dates, id_prefix, whole_file=whole_file, mtime=st.st_mtime)


def _dated(
    result: FileResult, rel: str, dates: DateRules | None, id_prefix: str, *,
    whole_file: bool, mtime: float,
) -> FileResult:
    """``result`` with its documents dated by ``dates`` (``whole_file``: one document is
    the whole file, so the file's name and modification time may date it)."""
    return (dates or _default_date_rules()).dated(result, rel, id_prefix=id_prefix,
                                                  whole_file=whole_file, mtime=mtime)


@functools.cache
def _default_date_rules() -> DateRules:
    """The default DateRules, made when a file is first dated (a search imports no dates)."""
    from corpus_search.ingest.dates import DateRules

    return DateRules()


class _Refused(Exception):
    """A file that is not read; the message is the skip reason."""


def _open_beneath(root: Path, parts: Sequence[str]) -> int:
    """A read-only descriptor of the regular file ``root/parts...``, never outside ``root``.

    Each name is opened relative to its folder's descriptor without following links
    (``O_NOFOLLOW``), so a folder swapped for a link meanwhile is never entered. A link met
    on the way is followed only if its target, resolved, lies inside ``root``; the descent
    then starts again from ``root`` along the resolved path, still one name at a time.
    Raises :class:`_Refused` (with the skip reason) or ``OSError``.
    """
    real_root = os.path.realpath(root)
    inside = real_root.rstrip("/") + "/"
    names = [p for p in parts if p not in ("", ".")]
    links = 0
    while True:
        try:
            got = _descend(real_root, names)
        except FileNotFoundError:
            if links:
                raise _Refused("broken symbolic link") from None
            raise
        if isinstance(got, int):
            return got
        done, target, rest = got
        links += 1
        if links > _MAX_LINKS:
            raise _Refused("symbolic link loop")
        resolved = os.path.realpath(os.path.join(real_root, *done, target))
        if resolved != real_root and not resolved.startswith(inside):
            # (a link to nothing is broken wherever it points: said so, as inside)
            raise _Refused("outside the indexed folder" if os.path.lexists(resolved)
                           else "broken symbolic link")
        names = [p for p in resolved[len(inside):].split("/") if p] + rest


def _descend(real_root: str, names: list[str]) -> int | tuple[list[str], str, list[str]]:
    """Open ``names`` one by one from ``real_root`` without following links: the file's
    descriptor, or, at a link, ``(names before it, its target, names after it)``."""
    fd = os.open(real_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for i, name in enumerate(names):
            if name == "..":  # (resolved paths hold none, and a given path is checked first)
                raise _Refused("outside the indexed folder")
            try:
                if i == len(names) - 1:
                    st = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    if stat.S_ISLNK(st.st_mode):
                        return names[:i], os.readlink(name, dir_fd=fd), names[i + 1 :]
                    if not stat.S_ISREG(st.st_mode):
                        raise _Refused("not a regular file")  # never opened: a FIFO would block
                    return os.open(name, _FILE_FLAGS, dir_fd=fd)
                sub = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                try:  # a link (or a file made a link meanwhile)
                    return names[:i], os.readlink(name, dir_fd=fd), names[i + 1 :]
                except OSError:
                    raise exc from None
            old, fd = fd, sub
            os.close(old)
        raise _Refused("not a regular file")  # the folder itself
    finally:
        os.close(fd)


def read_directory(
    root: Path,
    *,
    id_prefix: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    dates: DateRules | None = None,
) -> Iterator[FileResult]:
    """Read every candidate file under ``root`` (convenience over the two functions above)."""
    for path in iter_source_files(root):
        yield read_file(path, root, id_prefix=id_prefix, max_bytes=max_bytes, dates=dates)
