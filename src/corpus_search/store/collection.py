"""The folders of articles an index is built from, as other commands meet them: a folder
``--index`` names by mistake for the index (:func:`articles_advice`: opened, or made an index
in, :func:`check_index_place`), a place an export must not write over
(:func:`export_place_note`), the warnings of its files a folder's record keeps
(:func:`record_warnings`)."""

from __future__ import annotations

import itertools
import os
import shlex
from collections.abc import Collection
from pathlib import Path
from typing import Any

from corpus_search.errors import ExportError, IndexLocationError, IndexNotFoundError, Note
from corpus_search.store.files import check_location, location_problem
from corpus_search.store.meta import recorded_folders

__all__ = ["articles_advice", "check_index_place", "export_place_note", "indexes_within",
           "record_warnings", "with_articles_advice", "with_warnings"]

#: folders looked into at most for an article, to tell a folder of articles from other files
_ARTICLE_FOLDERS_LOOKED_INTO = 50


def indexes_within(index: Any) -> list[Any]:
    """The single indexes ``index`` stands for: a :class:`~corpus_search.multi_index.MultiIndex`'s
    (its ``indexes``), else ``index`` itself; what a command walks to reach every folder,
    lexicon file or path an index is made of."""
    return list(getattr(index, "indexes", None) or [index])


def articles_advice(path: Path) -> Note | None:
    """For ``--index`` naming a folder of articles rather than an index (``search NHS --index
    ~/articles``, where "None can be made there: the folder holds other files" told a reader
    nothing of the mistake): what ``--index`` names, and how to index the folder or search
    the index that holds it already; in the library's words (a
    :class:`~corpus_search.CorpusIndex`'s path, its calls), the command's as ``cli_message``.
    ``None`` when ``path`` holds no article."""
    from corpus_search.ingest.model import DOCUMENT_EXTENSIONS, SUPPORTED_EXTENSIONS
    from corpus_search.store.generations import default_index_path

    kinds = SUPPORTED_EXTENSIONS | set(DOCUMENT_EXTENSIONS)
    walked = itertools.islice(os.walk(path), _ARTICLE_FOLDERS_LOOKED_INTO)
    if not any(os.path.splitext(name)[1].lower() in kinds
               for _folder, _dirs, files in walked for name in files):
        return None
    said = f"{path} holds articles, not an index: "
    call = "a CorpusIndex's path names the folder of an index (made by index_directory)."
    command = "--index names the folder of an index (made by corpus-search index)."
    default = default_index_path()
    if any(folder.resolve() == path.resolve() for folder in recorded_folders(default)):
        held = f" Your index at {default} holds them: "
        return Note(f"{said}{call}{held}CorpusIndex() opens it.",
                    f"{said}{command}{held}leave --index out.")
    return Note(
        f"{said}{call} Index them with: CorpusIndex('NEW_FOLDER').index_directory("
        f"{str(path)!r}), then open that.",
        f"{said}{command} Index them with: corpus-search index {shlex.quote(str(path))} "
        "--index NEW-FOLDER, then give that --index.")


def with_articles_advice(error: IndexNotFoundError, path: Path) -> IndexNotFoundError:
    """``error`` (no index at ``path``) or, when ``path`` holds articles, the error saying
    what an index's path names (:func:`articles_advice`), in the library's words and the
    command's."""
    advice = articles_advice(path)
    if advice is None:
        return error
    missing = f"No corpus_search index at {path}."
    return IndexNotFoundError(f"{missing} {advice}", error.path).for_cli(
        f"{missing} {advice.cli_message}")


def check_index_place(path: Path) -> None:
    """Refuse to make an index at ``path`` where it cannot be made without risking the
    user's files (:func:`~corpus_search.store.files.check_location`: a file, a folder of
    other files); a folder of articles (``CorpusIndex("~/articles")``, the folder to search
    given for the index's) with what an index's path names and how to index them
    (:func:`articles_advice`, as opening it says), nothing written."""
    try:
        check_location(path)
    except IndexLocationError:
        advice = articles_advice(path) if path.is_dir() else None
        if advice is None:
            raise
        refused = f"Refusing to create an index in {path}: {location_problem(path)}."
        raise IndexLocationError(f"{refused} {advice}", path).for_cli(
            f"{refused} {advice.cli_message}") from None


def export_place_note(target: Path, index: Any) -> list[str]:
    """Where an export to ``target`` stands to the folders ``index`` (an index, or a
    :class:`~corpus_search.multi_index.MultiIndex` of several) is built from: refused in one
    of them if something is there already (``--force`` replaced a file of the collection
    with the export: ``items.csv``, a file of records, written over) or if it is one of
    them; a new file there is written, with the note returned (a
    :class:`~corpus_search.errors.Note`): the next ``index_directory`` of the folder reads
    the export as articles of its own: every match twice, but for the records that have the
    id of one of the folder's documents, which are skipped.
    (Refused too, an index of one's home folder left no place to export to.)"""
    where = target.parent.resolve() / target.name
    for one in indexes_within(index):
        for folder in recorded_folders(one.path):
            folder = folder.resolve()
            if where == folder:
                raise ExportError(f"Will not write {target}: it is a folder this index is "
                                  "built from, of articles an export must not replace. Choose "
                                  "a place outside it.")
            if folder not in where.parents:
                continue
            if os.path.lexists(where):
                raise ExportError(
                    f"Will not replace {target}: it is in {folder}, a folder this index is "
                    "built from, and may be one of its articles. Choose a place outside it.")
            said = f"{target} is in {folder}, a folder this index is built from: the next "
            twice = (" of it reads the export as articles: every match twice (a record with "
                     "the id of a document of the folder is skipped). Move it out, or export "
                     "elsewhere.")
            return [Note(f"{said}index_directory{twice}", f"{said}corpus-search index{twice}")]
    return []


def with_warnings(record: dict[str, Any], warned: dict[str, list[str]]) -> dict[str, Any]:
    """A folder's ``record`` keeping ``warned`` (file -> its warnings, as said when it was
    read; no key when none has any)."""
    warned = {rel: said for rel, said in warned.items() if said}
    if warned:
        record["warnings"] = dict(sorted(warned.items()))
    else:
        record.pop("warnings", None)
    return record


def record_warnings(record: dict[str, Any], before: dict[str, Any], known: Collection[str],
                    rewritten: Collection[str], warned: dict[str, list[str]]) -> list[str]:
    """Keep in a folder's ``record`` the warnings of its files: those of the files written
    now (``warned``), and those its record ``before`` kept of the files indexed (``known``)
    and not written again nor gone now (``rewritten``), which are returned: they still hold,
    and a run that finds the file unchanged says them again (a JSON Lines line not read had
    been said once, and never again while it stayed unread)."""
    kept = before.get("warnings")
    still = {rel: [w for w in ws if isinstance(w, str)] for rel, ws in kept.items()
             if rel in known and rel not in rewritten and rel not in warned  # (read anew)
             and isinstance(ws, list)} if isinstance(kept, dict) else {}
    with_warnings(record, still | warned)
    return [w for rel in sorted(still) for w in still[rel]]
