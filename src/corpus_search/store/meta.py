"""Index metadata (``corpus_search.json``): the format, analyzer and lexicon that built an
index, its folders and ids, per generation; atomic writes; the rebuild command.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_search.analysis.analyzer import ANALYZER_VERSION
from corpus_search.analysis.lexicon import Lexicon
from corpus_search.digests import sha256
from corpus_search.ingest.columns import columns_argument, recorded_columns
from corpus_search.ingest.files import READING_VERSION
from corpus_search.store.files import META_FILENAME, latest_generation

if TYPE_CHECKING:
    from corpus_search.ingest.dates import DateOptions, DateRules


__all__ = [
    "INDEX_FORMAT",
    "gone_folders",
    "gone_folders_message",
    "gone_roots",
    "meta_for_generation",
    "rebuild_call",
    "rebuild_call_without",
    "rebuild_command",
    "rebuild_without",
    "recorded_date_options",
    "recorded_folders",
    "update_command",
]


#: Version of the schema and metadata layout; bumped when they change incompatibly. (The
#: ``generation``, ``previous`` and ``lexicon_files`` keys are additions older indexes lack.)
#: 3: documents record where their date came from (``date_source``).
#: 4: the ``words`` field (the words of each document as written, for spelling and wildcards).
#: 5: a date known only to the month or year says so (``date_precision``): an index of 4 holds
#: ``Feb 2005`` as 1 February 2005, which a citation would state as that day.
INDEX_FORMAT = 5


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def atomic_write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON over ``path`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file, fsync it and rename it over ``path``; a failed
    write (a full disk) removes the temporary file and leaves ``path`` as it was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def meta_for_generation(meta: Any, generation: int) -> dict[str, Any] | None:
    """The metadata that describes table-of-contents ``generation`` of an index, from the
    contents of its metadata file; ``None`` if none does.

    Each metadata record names the first generation it describes (``generation``; 0 when
    absent, as in indexes made before rebuilds kept records). A rebuild keeps the record of
    the generations before it as ``previous`` until its own generation is committed.
    """
    entry = meta
    while isinstance(entry, dict):
        start = entry.get("generation", 0)
        if generation < 0 or not isinstance(start, int) or start <= generation:
            return {k: v for k, v in entry.items() if k != "previous"}
        entry = entry.get("previous")
    return None


def identity_of(meta: dict[str, Any]) -> tuple[Any, ...]:
    """What decides how documents were analysed: a reader or writer must use the same."""
    return (meta.get("format"), meta.get("analyzer_version"), meta.get("lexicon_fingerprint"))


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return sha256(fh.read()).hexdigest()[:16]
    except OSError:
        return None


def fresh_meta(
    lexicon: Lexicon, roots: dict[str, Any], generation: int, now: str | None = None
) -> dict[str, Any]:
    """The record of a generation written from nothing (a new index, a rebuild): this
    version's format and analyzer, ``lexicon``, the folders' ``roots`` records, created and
    modified ``now``, describing ``generation`` onwards."""
    now = now or utc_now()
    return {
        "format": INDEX_FORMAT,
        "analyzer_version": ANALYZER_VERSION,
        **lexicon_record(lexicon),
        "created": now,
        "modified": now,
        "roots": roots,
        "generation": generation,
    }


def lexicon_record(lexicon: Lexicon) -> dict[str, Any]:
    """How the metadata records a lexicon: its fingerprint and each user file, with a digest of
    its content (so a moved file can be recognised and a changed one named)."""
    return {
        "lexicon_fingerprint": lexicon.fingerprint,
        "lexicon_extra": list(lexicon.extra_paths),
        "lexicon_files": [{"path": p, "sha256": _file_digest(p)} for p in lexicon.extra_paths],
    }


def recorded_lexicon(meta: dict[str, Any] | None) -> list[str]:
    extra = (meta or {}).get("lexicon_extra")
    return [p for p in extra if isinstance(p, str)] if isinstance(extra, list) else []


def changed_lexicon_files(meta: dict[str, Any], lexicon: Lexicon) -> list[str]:
    """User lexicon files whose content differs from what the index was built with."""
    records = meta.get("lexicon_files")
    if not isinstance(records, list):
        return []
    changed = []
    for record in records:
        if not isinstance(record, dict) or record.get("path") not in lexicon.extra_paths:
            continue
        if record.get("sha256") and _file_digest(record["path"]) != record["sha256"]:
            changed.append(record["path"])
    return changed


def version_problems(meta: dict[str, Any], lexicon: Lexicon) -> list[str]:
    """What in the record ``meta`` this version cannot search with ``lexicon`` (the format,
    the analyzer version, the lexicon's fingerprint), a phrase each; none: it can."""
    problems = []
    if meta.get("format") != INDEX_FORMAT:
        problems.append(f"index format {meta.get('format')} (this version uses {INDEX_FORMAT})")
    if meta.get("analyzer_version") != ANALYZER_VERSION:
        problems.append(
            f"analyzer version {meta.get('analyzer_version')} "
            f"(this version uses {ANALYZER_VERSION})"
        )
    if meta.get("lexicon_fingerprint") != lexicon.fingerprint:
        built = str(meta.get("lexicon_fingerprint"))[:12]
        changed = changed_lexicon_files(meta, lexicon)
        since = f"; {', '.join(changed)} changed since" if changed else ""
        if _same_user_files(meta, lexicon):
            yours = "; your lexicon files are as they were" if lexicon.extra_paths else ""
            problems.append(
                f"the lexicon of another version of corpus_search ({built}; this version's "
                f"is {lexicon.fingerprint[:12]}{yours})"
            )
        else:
            problems.append(
                f"lexicon {built} (the current lexicon is {lexicon.fingerprint[:12]}{since})"
            )
    return problems


def _same_user_files(meta: dict[str, Any], lexicon: Lexicon) -> bool:
    """Whether the index of ``meta`` was built with the user lexicon files of ``lexicon``,
    each as it is now (by its recorded digest): then a lexicon that differs is the one
    corpus_search comes with, changed by an upgrade (or a downgrade), not the user's."""
    records = meta.get("lexicon_files", [])
    if recorded_lexicon(meta) != list(lexicon.extra_paths) or not isinstance(records, list):
        return False
    digests = {r.get("path"): r.get("sha256") for r in records if isinstance(r, dict)}
    return all(
        digests.get(p) is not None and digests[p] == _file_digest(p) for p in lexicon.extra_paths
    )


def rebuild_command(
    path: str | os.PathLike[str],
    meta: dict[str, Any] | None,
    lexicon: Sequence[str] | None = None, rebuild: bool = True,
) -> str:
    """The shell command that rebuilds the index at ``path`` as its record ``meta`` says it was
    built (``rebuild`` false: adds its folders to the index as it is): every folder with its
    ``--id-prefix``, ``--source``, ``--columns`` and date options, and every user lexicon file
    (``lexicon`` overrides those recorded; an empty one drops them: ``--no-lexicon``). Folders
    with other options need one run each: the first rebuilds, the others add their folder."""
    from corpus_search.ingest.dates import DateOptions  # (a search never asks: see below)

    roots = (meta or {}).get("roots")
    date_options = date_options_of(meta)
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for root, record in (roots.items() if isinstance(roots, dict) else []):
        prefix = record.get("id_prefix", "") if isinstance(record, dict) else ""
        publisher = record.get("source", "") if isinstance(record, dict) else ""
        dating = _date_arguments(date_options.get(str(root), DateOptions()))
        if publisher and isinstance(publisher, str):
            dating = ("--source", publisher, *dating)
        if columns := recorded_columns(record):
            dating = ("--columns", columns_argument(columns), *dating)
        groups.setdefault((prefix if isinstance(prefix, str) else "", dating), []).append(root)
    lexicon_paths = list(lexicon) if lexicon is not None else recorded_lexicon(meta)
    commands = []
    for n, ((prefix, dating), folders) in enumerate(groups.items() or [(("", ()), [])]):
        parts = ["corpus-search", "index", *(map(_shell_quote, folders) if folders else ["DIR"]),
                 "--index", _shell_quote(os.path.abspath(path))]
        if prefix:
            parts += ["--id-prefix", _shell_quote(prefix)]
        parts += map(_shell_quote, dating)
        if n == 0 and rebuild:
            for p in lexicon_paths:
                parts += ["--lexicon", _shell_quote(p)]
            if not lexicon_paths and recorded_lexicon(meta):
                parts.append("--no-lexicon")  # --rebuild alone keeps the recorded files
            parts.append("--rebuild")
        commands.append(" ".join(parts))
    return " && ".join(commands)


def rebuild_call(
    path: str | os.PathLike[str],
    meta: dict[str, Any] | None,
    lexicon: Sequence[str] | None = None,
    folders: Sequence[str] | None = None,
) -> str:
    """The :func:`corpus_search.rebuild_index` call that rebuilds the index at ``path`` as
    :func:`rebuild_command`'s command line does: from the folders its record ``meta`` holds
    (an empty list: each with its recorded options), or ``folders`` (each with its recorded
    options too; a placeholder when there are none), with the lexicon files ``lexicon``
    (``None``: those recorded)."""
    roots = (meta or {}).get("roots")
    if folders is None:
        named = "[]" if isinstance(roots, dict) and roots else "[FOLDER, ...]"
    else:
        named = repr([str(folder) for folder in folders]) if folders else "[FOLDER, ...]"
    files = "" if lexicon is None else f", lexicon={[str(p) for p in lexicon]!r}"
    return f"rebuild_index({os.path.abspath(path)!r}, {named}{files})"


def update_command(path: str | os.PathLike[str], folders: Iterable[str]) -> str:
    """The shell command that brings ``folders`` of the index at ``path`` up to date (their
    recorded options are used again: none need repeating)."""
    return " ".join([
        "corpus-search", "index", *map(_shell_quote, sorted(folders)),
        "--index", _shell_quote(os.path.abspath(path)),
    ])


def _date_arguments(options: DateOptions) -> tuple[str, ...]:
    """The ``corpus-search index`` options that date a folder as ``options`` do (none for the
    defaults)."""
    from corpus_search.ingest.dates import DateOptions

    arguments: list[str] = []
    if options.sidecar:
        arguments += ["--dates", options.sidecar]
    if options.path_pattern:
        arguments += ["--date-from-path", options.path_pattern]
    if options.guesses != DateOptions().guesses:
        arguments += ["--date-from", ",".join(options.guesses) or "none"]
    return tuple(arguments)


def current_meta(path: Path) -> dict[str, Any] | None:
    """The metadata of the newest generation at ``path``, or ``None`` if it cannot be read."""
    try:
        return meta_for_generation(read_json(path / META_FILENAME), latest_generation(path))
    except (OSError, ValueError):
        return None


def source_record(publisher: str) -> dict[str, Any]:
    """How a folder's record keeps its publisher (``corpus-search index --source``; "": the
    documents' own, or the one their text suggests)."""
    return {"source": publisher}


def reading_record(now: str) -> dict[str, Any]:
    """How a folder's record keeps the version of the readers its files were read with, and
    when (``now``: the run's ``indexed`` time, which it also sets). A version from before
    reading versions that updates the folder keeps these keys but sets ``indexed``: the files
    it read are then known to have been read by older readers."""
    return {"reading_version": READING_VERSION, "read_by_version": now, "indexed": now}


def read_by_older_readers(record: dict[str, Any]) -> bool:
    """Were some of a folder's files read (``record``: its record) by readers that made other
    documents of the same bytes (:data:`~corpus_search.ingest.files.READING_VERSION`; a
    record without one is from version 1), or by a version that knew no reading versions
    since this one read them (``indexed`` moved without ``read_by_version``)?"""
    return record.get("reading_version", 1) != READING_VERSION or (
        record.get("read_by_version") != record.get("indexed")
    )


def date_record(date_rules: DateRules) -> dict[str, Any]:
    """How a folder's record in the metadata keeps its date options (and what they gave)."""
    return {"dates": date_rules.options.to_dict(), "dates_fingerprint": date_rules.fingerprint}


def date_options_of(meta: dict[str, Any] | None) -> dict[str, DateOptions]:
    """The date options recorded for each folder in ``meta``."""
    # (the date rules are imported by what writes or rebuilds: opening an index and searching
    # it import none of the date forms)
    from corpus_search.ingest.dates import DateOptions

    roots = (meta or {}).get("roots")
    return {
        str(root): DateOptions.from_dict(info.get("dates"))
        for root, info in (roots.items() if isinstance(roots, dict) else [])
        if isinstance(info, dict) and info.get("dates")
    }


def root_record(meta: dict[str, Any] | None, root_key: str) -> dict[str, Any]:
    """What ``meta`` records of the folder ``root_key`` (empty if nothing)."""
    roots = (meta or {}).get("roots")
    record = roots.get(root_key) if isinstance(roots, dict) else None
    return record if isinstance(record, dict) else {}


def recorded_ids(record: dict[str, Any]) -> dict[str, str]:
    """The ids a folder's record says its documents were given instead of their natural ids."""
    ids = record.get("ids")
    if not isinstance(ids, dict):
        return {}
    return {n: i for n, i in ids.items() if isinstance(n, str) and isinstance(i, str)}


def set_recorded_ids(record: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """Record ``ids`` in a folder's ``record`` (no key when there are none); return it."""
    if ids:
        record["ids"] = dict(sorted(ids.items()))
    else:
        record.pop("ids", None)
    return record


def recorded_touched(record: dict[str, Any]) -> dict[str, str]:
    """The signatures a folder's record keeps of its files found touched but unchanged in
    content (their documents keep the signature they were written with)."""
    touched = record.get("touched")
    if not isinstance(touched, dict):
        return {}
    return {f: s for f, s in touched.items() if isinstance(f, str) and isinstance(s, str)}


def set_recorded_touched(record: dict[str, Any], touched: dict[str, str]) -> dict[str, Any]:
    """Record ``touched`` (file -> signature) in a folder's ``record`` (no key when there are
    none); return it."""
    if touched:
        record["touched"] = dict(sorted(touched.items()))
    else:
        record.pop("touched", None)
    return record


def as_path_list(
    value: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None,
) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [str(Path(value).expanduser().resolve())]
    return [str(Path(v).expanduser().resolve()) for v in value]


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def recorded_folders(path: str | os.PathLike[str]) -> list[Path]:
    """The folders the index at ``path`` was built from, in the order it records them (empty
    when there is no readable index, or its documents were added by a program, not read from
    folders): what :func:`corpus_search.rebuild_index` builds it from again as before."""
    roots = (current_meta(Path(path).expanduser()) or {}).get("roots")
    return [Path(root) for root in roots] if isinstance(roots, dict) else []


def recorded_lexicon_files(path: str | os.PathLike[str]) -> list[str]:
    """The extra lexicon files the index at ``path`` was built with, which its searches read
    queries with (empty when it was built without any, or there is no readable index)."""
    return recorded_lexicon(current_meta(Path(path).expanduser()))


def recorded_date_options(path: str | os.PathLike[str]) -> dict[str, DateOptions]:
    """The date options each folder of the index at ``path`` was last indexed with (empty when
    there is no readable index), so that a rebuild can date the folders as before."""
    return date_options_of(current_meta(Path(path).expanduser()))


# -- folders the index records that are gone ------------------------------------------------


def gone_roots(roots: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The folders of ``roots`` (folders an index records) that are no folder any more: moved,
    renamed or deleted. The one rule for it: their documents stay in the index and are
    searched with the rest, until a rebuild without it, or until the folder is indexed at
    its new place, which takes them up under the same ids (:mod:`corpus_search.moving`)."""
    return [str(root) for root in roots if _no_folder(root)]


def _no_folder(root: str | os.PathLike[str]) -> bool:
    """Whether ``root`` is no folder; not known (``False``) when this user may not look
    where it stands (a folder under another user's)."""
    try:
        return not Path(root).is_dir()
    except OSError:
        return False


def gone_folders(path: str | os.PathLike[str]) -> list[str]:
    """The folders the index at ``path`` was built from that are no folder any more
    (:func:`gone_roots`)."""
    return gone_roots(recorded_folders(path))


def rebuild_without(
    path: str | os.PathLike[str], folders: Sequence[str], meta: dict[str, Any] | None = None
) -> str:
    """The command that rebuilds the index at ``path`` from the folders its record ``meta``
    (by default the one on disk) holds but ``folders``, each as it was indexed (a placeholder
    DIR when none is left)."""
    meta, kept = _kept_roots(path, folders, meta)
    return rebuild_command(path, {**meta, "roots": kept})


def rebuild_call_without(
    path: str | os.PathLike[str], folders: Sequence[str], meta: dict[str, Any] | None = None
) -> str:
    """:func:`rebuild_without` as the :func:`corpus_search.rebuild_index` call."""
    meta, kept = _kept_roots(path, folders, meta)
    return rebuild_call(path, meta, folders=list(kept))


def _kept_roots(
    path: str | os.PathLike[str], folders: Sequence[str], meta: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record ``meta`` of the index at ``path`` (by default the one on disk) and the
    folders it holds but ``folders``, each with its recorded options."""
    if meta is None:
        meta = current_meta(Path(path).expanduser()) or {}
    roots = meta.get("roots") if isinstance(meta.get("roots"), dict) else {}
    return meta, {k: v for k, v in roots.items() if k not in set(folders)}


def gone_folders_message(
    path: str | os.PathLike[str], gone: Sequence[str], *, command: bool = True
) -> str:
    """Why the index at ``path`` cannot be rebuilt from the folders it records, ``gone``
    being no folders any more, and how to rebuild it from the others: the command line
    (:func:`rebuild_without`), or (``command`` false) the :func:`corpus_search.rebuild_index`
    call."""
    named = ", ".join(folder for folder in gone)
    verb = "is no folder" if len(gone) == 1 else "are no folders"
    how = rebuild_without(path, gone) if command else rebuild_call_without(path, gone)
    return (
        f"{named}, which the index at {path} was built from, {verb} any more "
        "(moved, renamed or deleted?): rebuild from the other folders, and name a folder "
        f"moved at its new place: {how}"
    )
