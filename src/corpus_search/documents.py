"""Reading files into :class:`Document` objects.

Formats: ``.txt`` and ``.md`` (first non-empty line is the title), ``.jsonl`` (one JSON object
per line) and ``.csv`` (header row), with fields ``id``, ``title``, ``body`` and optional
``date``, ``source``, ``url``. Publishers are recognised from the text when a file does not
state them; dates follow the rules of :mod:`corpus_search.dates` (publication dates only);
newsletter and donation blurbs are kept out of bodies.

Nothing here raises because of one bad file: :func:`read_file` returns a :class:`FileResult`
whose ``skipped_reason`` or ``warnings`` say, in a short human sentence, what went wrong.
Nothing is ever read outside the folder being indexed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import importlib.resources
import io
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus_search.dates import DateRules, parse_date

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KNOWN_BLURBS",
    "SOURCE_PATTERNS",
    "SUPPORTED_EXTENSIONS",
    "Document",
    "FileResult",
    "bundled_seeds_path",
    "detect_source",
    "disambiguated_ids",
    "file_signature",
    "find_boilerplate",
    "folder_label",
    "is_bundled_seeds",
    "iter_source_files",
    "normalise_line",
    "parse_date",
    "read_directory",
    "read_file",
    "strip_boilerplate",
]

SUPPORTED_EXTENSIONS = frozenset({".txt", ".md", ".jsonl", ".csv"})
DEFAULT_MAX_BYTES = 32 * 2**20
HEAD_LINES = 40  # a URL line is looked for in this many lines at the top of a document
_HEAD_CHARS = 8000  # and in at most this many characters of them
_SNIFF_BYTES = 8192  # bytes examined to decide whether a file is binary


@dataclass(frozen=True)
class Document:
    """One searchable document. ``path`` is the source file relative to the indexed root."""

    id: str
    title: str
    body: str
    date: datetime.date | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    #: where ``date`` came from: one of :data:`corpus_search.dates.DATE_SOURCES`
    date_source: str | None = None


@dataclass
class FileResult:
    """What reading one file produced: documents, warnings, or why the whole file was skipped."""

    path: str
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_reason: str | None = None
    #: the file exists but could not be read now (no permission, an I/O error): unlike a file
    #: that became empty or binary, it may still hold what was indexed from it
    unreadable: bool = False
    #: :func:`file_signature` of the file as it was read (from the opened file)
    signature: str | None = None


# --------------------------------------------------------------------------------------------
# Walking a folder


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
    root: Path, *, problems: list[tuple[str, str]] | None = None
) -> Iterator[Path]:
    """Yield candidate files (supported extensions) under ``root``, sorted, never leaving it.

    Hidden entries (names starting with ``.``) are ignored. Symbolic links to folders are never
    followed (a link inside the folder is indexed under its real path; one leading outside is
    left out), so there are no loops. Symbolic links to *files* are yielded, so that
    :func:`read_file` can report broken links and links leading outside the folder.

    Every folder is opened from ``root`` one name at a time without following links, so a
    folder swapped for a link during the walk is never listed. Folders that cannot be read,
    or whose path is longer than the system's limit (4,096 bytes on Linux), are not
    listed: each is added to ``problems``, if given, as ``(relative path + "/", reason)``.
    """
    root = Path(root)
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
            for entry in entries:
                if _is_hidden(entry.name):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((*parts, entry.name))
                        continue
                    if entry.is_symlink() and _links_to_folder(entry.name, fd):
                        continue  # folder links are not followed
                except OSError:
                    continue
                if os.path.splitext(entry.name)[1].lower() in SUPPORTED_EXTENSIONS:
                    found.append((*parts, entry.name))
        except OSError as exc:
            _problem(problems, parts, _folder_error(exc))
        finally:
            os.close(fd)
    found.sort()
    for parts in found:
        yield root.joinpath(*parts)


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


def file_signature(path: Path) -> str:
    """A cheap change detector for incremental indexing: ``"<size>:<mtime_ns>"``.

    Follows symbolic links; returns ``"missing"`` when the file cannot be stat'ed.
    """
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


def bundled_seeds_path() -> Path:
    """The folder of seed articles shipped with corpus_search (wheel or source checkout)."""
    try:
        bundled = importlib.resources.files("corpus_search") / "seeds"
        if bundled.is_dir():
            return Path(str(bundled))
    except (ModuleNotFoundError, OSError, TypeError):  # pragma: no cover - defensive
        pass
    return Path(__file__).resolve().parents[2] / "seeds"


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


# --------------------------------------------------------------------------------------------
# Ids of documents from several folders


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


# --------------------------------------------------------------------------------------------
# Reading one file


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


_PRINTABLE_BYTES = bytes([9, 10, 12, 13, *range(32, 256)])  # what is *not* a control byte


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = len(sample.translate(None, _PRINTABLE_BYTES))
    return controls / len(sample) > 0.1


_CP1252_UNDEFINED = {0xDC00 + b: b for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """Decode file bytes. Returns ``(text, warning)``; text is ``None`` for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, None
    if _looks_binary(data):
        return None, None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the code
    # points of the same number, as Windows decodes them; the rest of the file stays cp1252
    text = data.decode("cp1252", "surrogateescape").translate(_CP1252_UNDEFINED)
    return text, "not UTF-8: decoded as cp1252"


def read_file(
    path: Path,
    root: Path,
    *,
    id_prefix: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    dates: DateRules | None = None,
) -> FileResult:
    """Read one file under ``root`` into documents; never raises because of the file.

    Whole-file problems set ``skipped_reason``; problems with single records (a malformed
    JSONL line or CSV row, a non-UTF-8 file) become ``warnings`` that name the file.
    Documents are dated by ``dates`` (default: :class:`~corpus_search.dates.DateRules()`).
    """
    path, root = Path(path), Path(root)
    rel = _relative(path, root)
    result = FileResult(path=rel)
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        result.path = rel.encode("utf-8", "replace").decode("utf-8")
        result.skipped_reason = "file name is not valid UTF-8"
        return result
    ext = os.path.splitext(path.name)[1].lower()
    if ext not in SUPPORTED_EXTENSIONS:
        result.skipped_reason = f"unsupported file type ({ext or 'no extension'})"
        return result
    if rel == ".." or rel.startswith("../"):
        result.skipped_reason = "outside the indexed folder"
        return result

    # Open the file one name at a time from the root, never through a link leading out of
    # it, and check what was opened: what is checked is what is read.
    try:
        fd = _open_beneath(root, rel.split("/"))
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
    result.signature = f"{st.st_size}:{st.st_mtime_ns}"
    if len(data) > max_bytes:
        result.skipped_reason = f"larger than {_human_size(max_bytes)}"
        return result
    if not data.strip():
        result.skipped_reason = "empty file"
        return result
    text, warning = _decode(data)
    if text is None:
        result.skipped_reason = "binary file"
        return result
    if warning:
        result.warnings.append(f"{rel}: {warning}")
    if not text.strip():
        result.skipped_reason = "empty file"
        return result

    try:
        if ext in (".txt", ".md"):
            doc = _text_document(text, rel, id_prefix, markdown=ext == ".md", result=result)
            if doc is None:
                result.skipped_reason = "empty file"
            else:
                result.documents.append(doc)
        elif ext == ".jsonl":
            _read_jsonl(text, rel, id_prefix, result)
        else:
            _read_csv(text, rel, id_prefix, result, max_bytes)
    except Exception as exc:  # pragma: no cover - last line of defence, never leak
        result.documents.clear()
        result.skipped_reason = f"could not be parsed: {type(exc).__name__}: {exc}"
    rules = dates or _DEFAULT_DATE_RULES
    whole_file = ext in (".txt", ".md")
    result.documents = [
        rules.date(doc, rel, id_prefix=id_prefix, whole_file=whole_file, mtime=st.st_mtime)
        for doc in result.documents
    ]
    return result


_DEFAULT_DATE_RULES = DateRules()


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
            raise _Refused("outside the indexed folder")
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


# --------------------------------------------------------------------------------------------
# Formats

_URL_LINE = re.compile(r"^\s*(?:(?:url|link|source)\s*:\s*)?(https?://\S+)\s*$", re.IGNORECASE)
_FRONT_KEY = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$")


def _head(text: str, lines: int = HEAD_LINES) -> str:
    return "\n".join(text[: _HEAD_CHARS * 2].splitlines()[:lines])[:_HEAD_CHARS]


def _find_url(text: str) -> str | None:
    for line in _head(text).splitlines():
        m = _URL_LINE.match(line)
        if m:
            return m.group(1)
    return None


_FRONT_KEYS = frozenset({"title", "date", "source", "url"})


def _front_matter(text: str, *, strict: bool = False) -> tuple[dict[str, str], str]:
    """Split YAML-ish front matter (``---`` ... ``---``) off a Markdown or text file.

    ``strict`` (text files, where a leading ``---`` may be a plain rule): only a block whose
    every line is ``key: value`` and that names ``title``, ``date``, ``source`` or ``url``.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for i in range(1, min(len(lines), 60)):
        if lines[i].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:i]:
                m = _FRONT_KEY.match(line)
                if m:
                    meta[m.group(1).lower()] = m.group(2).strip().strip("\"'")
                elif strict and line.strip():
                    return {}, text
            if strict and not _FRONT_KEYS & set(meta):
                return {}, text
            return meta, "\n".join(lines[i + 1 :])
    return {}, text


def _text_document(
    text: str, rel: str, id_prefix: str, *, markdown: bool, result: FileResult
) -> Document | None:
    meta, text = _front_matter(text, strict=not markdown)
    cleaned = strip_boilerplate(text, frozenset())
    lines = cleaned.splitlines()
    title = ""
    rest: list[str] = []
    for i, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            rest = lines[i + 1 :]
            break
    if markdown:
        title = re.sub(r"^#+\s*", "", title).rstrip("#").strip()
    if meta.get("title"):
        title = meta["title"]
    body = "\n".join(rest).strip()
    if not title and not body:
        return None
    doc_id = id_prefix + os.path.splitext(rel)[0]
    date = parse_date(meta["date"]) if meta.get("date") else None
    if meta.get("date") and date is None:
        result.warnings.append(f"{rel}: unrecognised date {meta['date'][:40]!r}")
    return Document(
        id=doc_id,
        title=title,
        body=body,
        date=date,
        source=meta.get("source") or detect_source(text, rel),
        url=meta.get("url") or _find_url(text),
        path=rel,
        date_source="front-matter" if date else None,
    )


def _str_field(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = str(value).strip()
        return value or None
    return None


def _record_document(
    record: dict, rel: str, line: int, id_prefix: str, result: FileResult, seen: set[str]
) -> None:
    where = f"{rel} line {line}"
    title = _str_field(record, "title") or ""
    body = _str_field(record, "body") or ""
    if not title and not body:
        result.warnings.append(f"{where}: no title or body, skipped")
        return
    rid = _str_field(record, "id") or f"{rel}#{line}"
    doc_id = id_prefix + rid
    if doc_id in seen:
        result.warnings.append(f"{where}: duplicate id {rid!r}, skipped")
        return
    seen.add(doc_id)
    body = strip_boilerplate(body, frozenset())
    raw_date = _str_field(record, "date")
    date = parse_date(raw_date) if raw_date else None
    if raw_date and date is None:
        result.warnings.append(f"{where}: unrecognised date {raw_date[:40]!r}")
    url = _str_field(record, "url")
    source = _str_field(record, "source") or detect_source(
        "\n".join(filter(None, (title, body, url))), rel
    )
    result.documents.append(
        Document(
            id=doc_id, title=title, body=body, date=date, source=source, url=url, path=rel,
            date_source="metadata" if date else None,
        )
    )


def _read_jsonl(text: str, rel: str, id_prefix: str, result: FileResult) -> None:
    seen: set[str] = set()
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            result.warnings.append(f"{rel} line {lineno}: invalid JSON ({msg}), skipped")
            continue
        if not isinstance(record, dict):
            result.warnings.append(f"{rel} line {lineno}: not a JSON object, skipped")
            continue
        repaired = _repair_lone_surrogates(record)
        if repaired:
            result.warnings.append(
                f"{rel} line {lineno}: {', '.join(repaired)} held an escaped lone surrogate "
                "(not Unicode text), replaced with U+FFFD"
            )
        _record_document(record, rel, lineno, id_prefix, result, seen)


#: UTF-16 surrogates; after json.loads only lone ones remain (escaped pairs become one
#: character), and they cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")


def _repair_lone_surrogates(record: dict) -> list[str]:
    """Replace lone surrogates (``"\\udc80"`` escapes) in the record's text values with
    U+FFFD, in place; return the names of the fields repaired."""
    repaired = []
    for name, value in record.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            record[name] = _SURROGATE.sub("\ufffd", value)
            repaired.append(_SURROGATE.sub("\ufffd", str(name)))
    return sorted(repaired)


def _read_csv(text: str, rel: str, id_prefix: str, result: FileResult, max_bytes: int) -> None:
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.skipped_reason = "CSV file has no header row"
        return
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if "title" not in names and "body" not in names:
        result.skipped_reason = "CSV header has no title or body column"
        return
    seen: set[str] = set()
    start = reader.line_num + 1
    records = 0  # rows that are not blank, well-formed or not
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.warnings.append(f"{rel} line {start}: malformed CSV row ({exc}), skipped")
            start = reader.line_num + 1
            records += 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        records += 1
        if len(row) > len(names):
            result.warnings.append(
                f"{rel} line {line}: {len(row)} fields but the header has {len(names)}, skipped"
            )
            continue
        record = dict(zip(names, row, strict=False))
        _record_document(record, rel, line, id_prefix, result, seen)
    if not records:
        result.skipped_reason = "CSV file has a header row but no records"


# --------------------------------------------------------------------------------------------
# Sources (publishers)

# (publisher, keyword, pattern, weight). A pattern is tried only when its keyword (a lowercase
# literal, cheap to look for) occurs in the text. A publisher is recognised when the weights of
# its distinct matching patterns add up to at least _SOURCE_THRESHOLD; the highest total wins,
# ties go to the earlier row. Weight 3: the publisher's own furniture (self-promotion blurbs,
# URLs, the "Posted On:" dateline); weight 1: hints such as "told LabourList", which a
# publisher writes about itself but also about a rival it quotes, so a hint alone never decides.
SOURCE_PATTERNS: tuple[tuple[str, str, str, int], ...] = (
    ("PoliticsHome", "posted", r"^Posted On:\s*$", 3),
    ("PoliticsHome", "politicshome", r"politicshome\.com", 3),
    ("PoliticsHome", "politicshome", r"\btold PoliticsHome\b", 1),
    ("PoliticsHome", "politicshome", r"\bPoliticsHome\b", 1),
    ("The Independent", "independent", r"notifications from The Independent", 3),
    ("The Independent", "independent", r"follow other Independent readers", 3),
    ("The Independent", "independent", r"The Independent is on the ground", 3),
    ("The Independent", "independent", r"independent\.co\.uk", 3),
    ("The Independent", "independent", r"\btold The Independent\b", 1),
    ("HuffPost", "huff", r"huffingtonpost\.co\.uk|huffpost\.com", 3),
    ("HuffPost", "huff", r"\btold (?:HuffPost( UK)?|the Huffington Post( UK)?)\b", 1),
    ("HuffPost", "hot", r"^What's Hot\s*$", 1),
    ("LabourList", "labourlist", r"^More from LabourList", 3),
    ("LabourList", "labourlist", r"labourlist\.org", 3),
    ("LabourList", "labourlist", r"\btold LabourList\b", 1),
    ("The Guardian", "guardian", r"theguardian\.com|guardian\.co\.uk", 3),
    ("The Guardian", "guardian", r"\bsupport the Guardian\b", 3),
    ("The Guardian", "guardian", r"\btold the Guardian\b", 1),
    ("BBC News", "bbc", r"bbc\.co\.uk/news|bbc\.com/news", 3),
    ("BBC News", "bbc", r"\bBBC News website\b", 2),
    ("BBC News", "bbc", r"\btold (?:the )?BBC\b", 1),
    ("The Telegraph", "telegraph", r"telegraph\.co\.uk", 3),
    ("The Telegraph", "telegraph", r"\btold the (?:Daily )?Telegraph\b", 1),
    ("The Times", "times", r"thetimes\.co\.uk", 3),
    ("The Times", "times", r"\btold The Times\b", 1),
    ("New Statesman", "statesman", r"newstatesman\.com", 3),
    ("New Statesman", "statesman", r"\btold the New Statesman\b", 1),
    ("The Spectator", "spectator", r"spectator\.co\.uk", 3),
    ("The Spectator", "spectator", r"\btold The Spectator\b", 1),
    ("Sky News", "sky", r"news\.sky\.com", 3),
    ("Sky News", "sky", r"\btold Sky News\b", 1),
    ("ConservativeHome", "conservativehome", r"conservativehome\.com", 3),
    ("ConservativeHome", "conservativehome", r"\btold ConservativeHome\b", 1),
)
_SOURCE_THRESHOLD = 2


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a data pattern; its spaces match any run of spaces (scraped text has NBSPs)."""
    return re.compile(pattern.replace(" ", r"\s+"), flags)


_SOURCE_RES = tuple(
    (name, keyword, _compile(pattern, re.MULTILINE | re.IGNORECASE), weight)
    for name, keyword, pattern, weight in SOURCE_PATTERNS
)
_SOURCE_KEYWORDS = tuple(dict.fromkeys(keyword for _, keyword, _, _ in SOURCE_PATTERNS))
#: publisher -> its first row (ties go to the earlier row)
_SOURCE_ORDER: dict[str, int] = {}
for _i, (_name, *_rest) in enumerate(SOURCE_PATTERNS):
    _SOURCE_ORDER.setdefault(_name, _i)


def detect_source(text: str, path: str | None = None) -> str | None:
    """The publisher a text comes from, recognised from its bylines, blurbs and URLs.

    ``path`` is accepted for future path-based rules and currently unused.
    """
    if not isinstance(text, str) or not text:
        return None
    text = text[:200_000]
    lowered = text.lower()
    present = {keyword for keyword in _SOURCE_KEYWORDS if keyword in lowered}
    if not present:
        return None
    scores: Counter[str] = Counter()
    for name, keyword, regex, weight in _SOURCE_RES:
        if keyword in present and regex.search(text):
            scores[name] += weight
    best = [(score, -_SOURCE_ORDER[name], name) for name, score in scores.items()]
    if not best:
        return None
    score, _, name = max(best)
    return name if score >= _SOURCE_THRESHOLD else None


# --------------------------------------------------------------------------------------------
# Boilerplate

# Blurbs always removed, even from a single document. Each pattern is removed wherever it
# matches inside a line; a line left with nothing but punctuation is dropped.
KNOWN_BLURBS: tuple[str, ...] = (
    r"Your support helps us to tell the story\.?",
    r"From reproductive rights to climate change to Big Tech, The Independent is on the ground"
    r"[^\n]*?from the messaging\.",
    r"At such a critical moment in US history, we need reporters on the ground\.[^\n]*?"
    r"both sides of the story\.",
    r"The Independent is trusted by Americans across the entire political spectrum\.[^\n]*?"
    r"those who can afford it\.",
    r"Your support makes all the difference\.",
    r"Stay up to date with notifications from The Independent\.?",
    r"Notifications can be managed in browser preferences\.?",
    r"Join thought-provoking conversations, follow other Independent readers and see their"
    r" replies\.?",
    r"Join our commenting forum",
    r"Please refresh the page or navigate to another page on the site to be automatically"
    r" logged in\.?",
    r"Please refresh your browser to be logged in\.?",
    r"Thank you for registering",
    r"More from LabourList(?:\.\.\.|…)?",
    r"Sign up (?:to|for) (?:our|the) [\w'\s-]{0,40}newsletter[^\n]{0,120}",
    r"Subscribe to (?:our|the) [\w'\s-]{0,40}newsletter[^\n]{0,120}",
    r"(?:Please )?(?:consider )?support(?:ing)? (?:our|independent) journalism[^\n]{0,120}",
)
# Every blurb above contains one of these words; bodies without any are not scanned further.
_BLURB_KEYWORDS = (
    "support", "independent", "notifications", "commenting", "refresh", "registering",
    "labourlist", "newsletter", "journalism",
)  # fmt: skip
_BLURB_RE = _compile("|".join(f"(?:{p})" for p in KNOWN_BLURBS), re.IGNORECASE)
#: a line can hold a blurb only if its casefolded text holds one of these words (every blurb
#: has one; "reporters" is the Independent's US appeal's), or one of the two characters that
#: an ignore-case "i" also matches but casefolds to something else (İ, ı): the blurb pattern,
#: a long alternation, is tried only on such lines
_LINE_KEYS_RE = re.compile("|".join((*_BLURB_KEYWORDS, "reporters", "\u0131", "\u0307")))
_LEFTOVER = re.compile(r"^[\W_]*$")


def normalise_line(line: str) -> str:
    """The form lines are compared in: whitespace collapsed, trimmed, casefolded."""
    return " ".join(line.split()).casefold()  # (str.split's whitespace is re's \s)


def find_boilerplate(
    bodies: Iterable[str], min_docs: int = 3, *, min_chars: int = 25, min_words: int = 4
) -> frozenset[str]:
    """Normalised lines that occur in at least ``min_docs`` distinct documents.

    Identical bodies count once (so exact duplicates do not turn an article into
    boilerplate), and only lines of at least ``min_chars`` characters and ``min_words`` words
    qualify, so short common lines ("PA Images", "Comments") stay.
    """
    counts: Counter[str] = Counter()
    seen_bodies: set[int] = set()
    for body in bodies:
        key = hash(body)
        if key in seen_bodies:
            continue
        seen_bodies.add(key)
        lines = {normalise_line(line) for line in body.splitlines()}
        counts.update(
            line for line in lines if len(line) >= min_chars and len(line.split()) >= min_words
        )
    return frozenset(line for line, n in counts.items() if n >= min_docs)


def strip_boilerplate(body: str, lines: frozenset[str]) -> str:
    """``body`` without lines in ``lines`` (compared normalised) and without known blurbs."""
    lowered = body.lower()
    blurbs = any(keyword in lowered for keyword in _BLURB_KEYWORDS)
    out: list[str] = []
    for line in body.splitlines():
        if lines and normalise_line(line) in lines:
            continue
        if blurbs and _LINE_KEYS_RE.search(line.casefold()) and _BLURB_RE.search(line):
            line = _BLURB_RE.sub("", line)
            if _LEFTOVER.match(line):
                continue
        out.append(line)
    # collapse the blank runs left behind
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
