"""What this version cannot read of an index, said to its user: why an index built by another
version or lexicon is refused and the rebuild that fixes it (the library's
:func:`corpus_search.rebuild_index` call, the command's command line), and how to put back a
lexicon file an index was built with."""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus_search.analysis.analyzer import ANALYZER_VERSION
from corpus_search.analysis.lexicon import Lexicon, load_lexicon
from corpus_search.errors import CorpusSearchError, IndexVersionError, LexiconMissingError
from corpus_search.store.meta import (
    INDEX_FORMAT,
    rebuild_call,
    rebuild_command,
    recorded_lexicon,
    version_problems,
)

__all__ = ["built_by_a_newer_version", "missing_lexicon_error", "version_error",
           "version_message"]


def version_message(
    path: Path, meta: dict[str, Any], lexicon: Lexicon, command: str, *, asked: bool
) -> str:
    """Why this version cannot read the index at ``path`` with ``lexicon``, and ``command``,
    which rebuilds it. When the lexicon files were ``asked`` for (``index --lexicon`` without
    ``--rebuild``) and are all that stands in the way (with the files the index records it
    reads), the index is not outdated: the message says it is as it was, still searched."""
    return _version_problem(path, meta, lexicon, asked=asked) + command


def version_error(
    path: Path, meta: dict[str, Any], lexicon: Lexicon, requested: Sequence[str] | None, *,
    asked: bool,
) -> IndexVersionError:
    """The :class:`IndexVersionError` of :func:`version_message`: the library's message
    names the :func:`corpus_search.rebuild_index` call that rebuilds the index (with the
    lexicon files ``requested``, ``None``: those it records), the command's the command line,
    which the error also carries (``rebuild_command``)."""
    problem = _version_problem(path, meta, lexicon, asked=asked)
    command = rebuild_command(path, meta, requested)
    return IndexVersionError(
        problem + rebuild_call(path, meta, requested), path, rebuild_command=command
    ).for_cli(problem + command)


def _version_problem(
    path: Path, meta: dict[str, Any], lexicon: Lexicon, *, asked: bool
) -> str:
    """:func:`version_message` up to the rebuild that it ends with."""
    recorded = recorded_lexicon(meta)
    try:
        own = asked and all(map(os.path.isfile, recorded)) and load_lexicon(recorded or None)
    except CorpusSearchError:
        own = None
    if own and not version_problems(meta, own):
        built = (f"the lexicon files {', '.join(recorded)}" if recorded
                 else "no lexicon files of yours")
        return (
            f"The index at {path} was built with {built} (lexicon "
            f"{str(meta.get('lexicon_fingerprint'))[:12]}), not with the lexicon files given "
            f"(lexicon {lexicon.fingerprint[:12]}). It is as it was, and searched with its own; "
            "to build it with the files given: "
        )
    problems = "; ".join(version_problems(meta, lexicon))
    if built_by_a_newer_version(meta):
        return (
            f"The index at {path} was built by a newer version of corpus_search, with "
            f"{problems}. Search it with that version, as it is; or rebuild it for this one "
            "(the newer version would then have to rebuild it again): "
        )
    return (
        f"The index at {path} was built with {problems}. "
        "Until it is rebuilt it can be neither searched nor added to. Rebuild it with: "
    )


def built_by_a_newer_version(meta: dict[str, Any]) -> bool:
    """Whether the record ``meta`` names an index format or analyzer version later than
    this version's (a downgrade): an upgrade, not a rebuild, is what the user wants."""
    def later(value: Any, ours: int | str) -> bool:
        return str(value).isdigit() and str(ours).isdigit() and int(value) > int(ours)

    return later(meta.get("format"), INDEX_FORMAT) or later(
        meta.get("analyzer_version"), ANALYZER_VERSION
    )


def missing_lexicon_error(path: Path, meta: dict[str, Any], missing: str) -> LexiconMissingError:
    """The :class:`LexiconMissingError` of the index at ``path`` (record ``meta``) whose
    lexicon file ``missing`` is gone: put it back, or record its new place by indexing a
    folder of it with the lexicon files at their places (the library's
    :class:`~corpus_search.CorpusIndex` call; the command's command line), or rebuild
    without it."""
    recorded = recorded_lexicon(meta)
    roots = meta.get("roots")
    first = next(iter(roots.items()), None) if isinstance(roots, dict) else None
    prefix = first[1].get("id_prefix") if first and isinstance(first[1], dict) else ""
    lexicons = " ".join(
        f"--lexicon {'NEW-PLACE' if p == missing else shlex.quote(p)}" for p in recorded
    )
    command = " ".join(filter(None, [
        f"corpus-search index {shlex.quote(first[0]) if first else 'DIR'} --index "
        f"{shlex.quote(os.path.abspath(path))}",
        f"--id-prefix {shlex.quote(prefix)}" if prefix else "",
        lexicons,
    ]))
    files = ", ".join("NEW_PLACE" if p == missing else repr(p) for p in recorded)
    call = (f"CorpusIndex({os.path.abspath(path)!r}, lexicon=[{files}]).index_directory("
            f"{repr(first[0]) if first else 'FOLDER'}"
            f"{f', id_prefix={prefix!r}' if prefix else ''})")
    said = (f"The index at {path} was built with the lexicon file {missing}, which is missing "
            "(moved or deleted). Put it back, or record its new place with: ")
    kept = " (the same content keeps the index as it is; to drop the file instead, rebuild "
    return LexiconMissingError(f"{said}{call}{kept}with lexicon=[]).", path).for_cli(
        f"{said}{command}{kept}with --no-lexicon).")
