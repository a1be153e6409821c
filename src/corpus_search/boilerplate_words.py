"""The typed words no document holds that stand in a line removed as boilerplate.

A folder's repeated lines (a masthead, "Click here to subscribe to the Gazette") are removed
from the start and end of its documents (docs/ingest.md, "Boilerplate"), so a word that
``grep`` finds in the files may be in no document: "Not found in any document" is then a
puzzle. The folder's record keeps those lines, and each file's lines
(:mod:`corpus_search.repeated`), so a search can say where the word went instead
(:func:`removed_words`, :func:`removed_word_line`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus_search.store.collection import indexes_within
from corpus_search.store.lines_file import with_kept_lines
from corpus_search.store.meta import current_meta

__all__ = ["RemovedWord", "folder_records", "removed_word_line", "removed_words"]


@dataclass(frozen=True)
class RemovedWord:
    """A typed ``word`` that stands in ``line``, a folder's repeated line (normalised: in
    lower case) removed as boilerplate from ``documents`` of its documents; ``more``: the
    other such lines holding it."""

    word: str
    line: str
    documents: int
    more: int = 0


def removed_words(index: Any, words: Sequence[str]) -> list[RemovedWord]:
    """Of ``words`` (a search's ``not_found``), those standing in a line that the folders of
    ``index`` (a :class:`~corpus_search.index.CorpusIndex`, or a
    :class:`~corpus_search.multi_index.MultiIndex` of them) removed as boilerplate, each with
    the line removed from the most documents."""
    records = [(path, record) for path, _root, record in folder_records(index)
               if record.get("boilerplate")]
    found = []
    for word in words:
        holding = re.compile(rf"(?<!\w){re.escape(word.casefold())}(?!\w)")
        lines = sorted((documents, line) for path, record in records
                       for line, documents in _line_counts(record, path, holding).items())
        if lines:
            documents, line = lines[-1]
            found.append(RemovedWord(word, line, documents, len(lines) - 1))
    return found


def folder_records(index: Any) -> list[tuple[Path, str, dict[str, Any]]]:
    """The record of each folder ``index`` (a :class:`~corpus_search.index.CorpusIndex`, or
    a :class:`~corpus_search.multi_index.MultiIndex` of them) is built from, with the path of
    the index holding it and the folder's key among its roots."""
    paths = [Path(one.path) for one in indexes_within(index)]
    return [(path, root, record) for path in paths
            for root, record in ((current_meta(path) or {}).get("roots") or {}).items()
            if isinstance(record, dict)]


def _line_counts(record: dict[str, Any], path: Path, holding: re.Pattern[str]
                 ) -> dict[str, int]:
    """The repeated lines of a folder's ``record`` (in the index at ``path``) that
    ``holding`` finds, and in how many of its documents each stands (counted from the
    record's lines of its files)."""
    lines = [line for line in record["boilerplate"]
             if isinstance(line, str) and holding.search(line)]
    if not lines:
        return {}
    from corpus_search.repeated import FolderLines, recorded_lines  # (the index's files, then)

    counted = FolderLines()
    for rel, entry in recorded_lines(with_kept_lines(path, record)).items():
        counted.add_entry(rel, entry.partition(" ")[0], entry)
    digests = counted.learn("", lines)
    return {line: counted.counts[digest] for line, digest in zip(lines, digests, strict=True)}


def removed_word_line(found: RemovedWord) -> str:
    """The sentence saying, in place of "Not found in any document", where ``found``'s word
    went: the line as the record keeps it, lower-cased, and said to be (the files may write
    it in capitals, and a user grepping for it as quoted would miss it)."""
    from corpus_search.ingest.report import shortened

    more = f" (and {found.more} more such lines)" if found.more else ""
    documents = "" if not found.documents else (
        f", which {found.documents} documents had" if found.documents > 1
        else ", which 1 document had")
    return (f"{found.word} stands only in a line removed as repeated boilerplate: "
            f"{shortened(found.line)!r} (lower-cased){documents}{more} (see Boilerplate in "
            "docs/ingest.md)")
