"""What one run of ``corpus-search index`` did with a folder (:class:`IndexReport`), the
files it left unread named by kind, and why documents were kept or left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus_search.ingest.encodings import name_on_disk
from corpus_search.ingest.files import printable
from corpus_search.ingest.model import DOCUMENT_EXTENSIONS, DOCUMENTS_EXTRA, readable_extensions
from corpus_search.terminal import counted

__all__ = ["KEPT_CAUSES", "KINDS_SHOWN", "NOW_EMPTY", "NOW_GONE", "REBUILD_STOPS", "IndexReport",
           "documents_hint", "emptied_for_good", "emptied_subfolders", "file_kinds", "ids_taken",
           "nothing_to_read", "shortened"]


#: how many kinds of file a report names before it counts the rest
KINDS_SHOWN = 5


#: why the documents of files indexed before are kept though this run could not read them
#: from the files: each cause's key (``IndexReport.kept_for``, ``index --json``) -> (what the
#: files are, what becomes of their documents), the report's line for it (:meth:`kept_lines`).
#: A file that may still hold its text stops a rebuild (:data:`REBUILD_STOPS`); the others
#: are what a rebuild is for dropping, and its report says it dropped them
KEPT_CAUSES: dict[str, tuple[str, str]] = {
    "unreadable": ("cannot be read now (no permission, an I/O error)",
                   "what was indexed from them stays until they can be read"),
    "folder_unreadable": ("lie in a folder that cannot be read now",
                          "what was indexed from them stays until the folder can be read"),
    "unclosed_quote": ("are CSV files with a quote never closed (it would read the rows after "
                       "it into one field)", "what was indexed from them stays until the quote "
                       "is closed"),
    "needs_extra": ("are PDF or Word files, read only with the documents extra",
                    "what was indexed from them stays"),
    "written_over": ("were written over with binary data (by mistake?)",
                     "what was indexed from them stays until they are deleted (or the index "
                     "rebuilt)"),
    "folder_emptied": ("lie in a folder now empty or gone (a drive not mounted, a sync not "
                       "finished?)", "what was indexed from them stays until the folder is "
                       "back (a rebuild drops it)"),
}

#: the causes whose files may still hold what was indexed from them: a rebuild, which reads
#: only what files hold now, stops rather than drop their documents
REBUILD_STOPS = ("unreadable", "folder_unreadable", "unclosed_quote", "needs_extra")


def file_kinds(counts: dict[str, int]) -> str:
    """``40 .html, 2 .pdf and 3 files of 2 other kinds``: files counted by extension (``""``:
    none), the most frequent first."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    named = [f"{n} {kind}" if kind else f"{counted(n, 'file')} without extension"
             for kind, n in ranked[:KINDS_SHOWN]]
    rest = ranked[KINDS_SHOWN:]
    if rest:
        n = sum(count for _, count in rest)
        named.append(f"{counted(n, 'file')} of {len(rest)} other "
                     f"kind{'s' if len(rest) != 1 else ''}")
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"


def documents_hint(counts: dict[str, int]) -> str | None:
    """``the documents extra reads the .pdf files: pip install ...``, when ``counts`` (the
    files left unread, by extension) holds PDF or Word files, which that extra reads."""
    kinds = sorted(kind for kind in DOCUMENT_EXTENSIONS if counts.get(kind))
    if not kinds:
        return None
    return f"the documents extra reads the {' and '.join(kinds)} files: {DOCUMENTS_EXTRA}"


@dataclass
class IndexReport:
    """What one ingest run did: counts of files by outcome, skips and warnings with reasons."""

    root: str
    indexed: int = 0
    updated: int = 0
    #: files unchanged since they were indexed, read and written again because the run reads
    #: the folder anew (its date rules, id prefix or publisher changed, or this version's
    #: readers differ from those that read it): neither ``updated`` nor ``unchanged``
    reread: int = 0
    unchanged: int = 0
    #: of the ``unchanged`` files, those whose size or modification time changed but not
    #: their content (copied, synced, checked out): read, found the same, not written again
    touched: int = 0
    deleted: int = 0
    #: files indexed before whose documents are kept though they could not be read from the
    #: files now (they cannot be read, a CSV quote is never closed, written over, a folder
    #: emptied: ``kept_for``), and ``skipped`` says why of each
    kept: int = 0
    #: :attr:`kept` by cause (a key of :data:`KEPT_CAUSES`) -> how many files
    kept_for: dict[str, int] = field(default_factory=dict)
    #: files indexed before that are empty now (no bytes, or only whitespace): emptied by
    #: mistake, their text may be left only in the index, so their documents are kept until
    #: the file is deleted (or the index rebuilt), and ``skipped`` says so
    emptied: list[str] = field(default_factory=list)
    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the warnings given when files that did not change since were read (an earlier run):
    #: a line of a JSON Lines file not read stays unread, said each run, not only the first
    earlier_warnings: list[str] = field(default_factory=list)
    #: each file written in this run -> its warnings (of :attr:`warnings`), which the
    #: folder's record keeps to say again (:attr:`earlier_warnings`)
    warned: dict[str, list[str]] = field(default_factory=dict)
    #: the folder's repeated lines (boilerplate, docs/ingest.md), and of them each line
    #: removed from the documents written in this run (normalised) and from how many
    boilerplate_lines: int = 0
    boilerplate: list[tuple[str, int]] = field(default_factory=list)
    #: words longer than :data:`~corpus_search.analysis.text.MAX_WORD_LENGTH` characters, which
    #: the analyzer drops (each file holding some gets a warning)
    long_words: int = 0
    #: ``(id, id of the first)`` of the documents read from this folder in this run whose
    #: text is that of one read before it, word for word, by the ids the index gives them:
    #: both are indexed (see :func:`exact_copies`; copies in other folders, or in files not
    #: read again, are not looked for)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    #: the files of the folder of no kind that is read (``.html``, ``.pdf``), counted by
    #: extension (``""``: none), the most frequent first: left out, and said so
    other_files: dict[str, int] = field(default_factory=dict)
    #: whether the folder's unchanged files were read again, having been read by readers
    #: that made other documents of the same bytes (an older version)
    read_by_older_readers: bool = False
    #: of the ``unchanged`` files, those read again (read by older readers, or dated under
    #: other rules) whose documents came out as the index holds them: not written again (not
    #: counted in ``reread``)
    read_the_same: int = 0
    #: of the ``updated`` files, those unchanged but holding a document longer than the index
    #: recorded (written by a version before it kept exact lengths): written with its length
    measured: int = 0
    #: the folder's old place, when the index held it there (moved or renamed since: see
    #: :mod:`corpus_search.moving`): its documents keep their ids here ("": it did not)
    moved_from: str = ""
    #: the files of the old place found here as they were indexed: written again with their
    #: new place, under the same ids (those changed since are ``updated``)
    moved: int = 0
    #: the ids of the copies of those files' documents that an earlier version indexed here,
    #: as a new folder's, beside the old place's: removed
    copies: list[str] = field(default_factory=list)
    #: a rebuild's files, by cause (:data:`KEPT_CAUSES`: written over, in a folder emptied or
    #: gone; and "emptied" files) -> how many, whose documents the old index held and the
    #: rebuilt one does not: what a rebuild is for dropping, said so
    dropped_for: dict[str, int] = field(default_factory=dict)
    #: a rebuild's documents added by a program (read from no folder), written again from
    #: what the index stored of them: counted in the first folder's report
    carried: int = 0
    seconds: float = 0.0

    def keep(self, cause: str, files: int = 1) -> None:
        """Count ``files`` kept for ``cause`` (a key of :data:`KEPT_CAUSES`)."""
        if files:
            self.kept += files
            self.kept_for[cause] = self.kept_for.get(cause, 0) + files

    @property
    def kept_lines(self) -> list[str]:
        """One line per cause of :attr:`kept_for`, counted: what the files are and what
        becomes of their documents (``kept 2 files that cannot be read now (...): ...``)."""
        lines = []
        for cause, (what, fate) in KEPT_CAUSES.items():
            if n := self.kept_for.get(cause):
                what = what if n != 1 else _singular(what)
                fate = fate if n != 1 else _singular(fate)
                lines.append(f"kept {counted(n, 'file')} that {what}: {fate}")
        return lines

    @property
    def dropped_lines(self) -> list[str]:
        """One line per cause of :attr:`dropped_for` (a rebuild's), counted."""
        lines = []
        for cause, n in self.dropped_for.items():
            what = "were emptied" if cause == "emptied" else KEPT_CAUSES[cause][0]
            what = what if n != 1 else _singular(what)
            lines.append(f"dropped the documents of {counted(n, 'file')} that {what}: the "
                         "rebuild keeps only what the files hold now")
        return lines

    def note_boilerplate(self, lines: frozenset[str], removed: list[tuple[str, int]],
                         reread: dict[str, list[str]]) -> None:
        """Say the folder's repeated ``lines``, those ``removed`` from the documents written
        (with how many), and the unchanged files written again as they change their text
        (``reread``: name -> the file's warnings)."""
        self.boilerplate_lines, self.boilerplate = len(lines), removed
        self.unchanged -= len(reread)
        self.reread += len(reread)
        for rel, warnings in reread.items():
            self.warned[rel] = warnings
            self.warnings.extend(warnings)

    @property
    def boilerplate_note(self) -> str | None:
        """The line naming the repeated lines removed from the documents written (each
        shortened, with how many documents it was removed from), if any were: search finds
        no word of them (docs/ingest.md, "Boilerplate")."""
        if not self.boilerplate:
            return None
        shown = "; ".join(f"{shortened(line)!r} ({counted(n, 'document')})"
                          for line, n in self.boilerplate[:3])
        more = f"; and {len(self.boilerplate) - 3} more" if len(self.boilerplate) > 3 else ""
        return (f"{counted(len(self.boilerplate), 'repeated line')} removed as boilerplate "
                f"from the start or end of documents (not searched): {shown}{more}")

    @property
    def reread_note(self) -> str | None:
        """The line that says why unchanged files were read again, if they were."""
        if not self.read_by_older_readers:
            return None
        same = (f"; {self.read_the_same} came out as indexed and were left as they were"
                if self.read_the_same else "")
        return ("the unchanged files were read again (re-read): this version reads files in "
                "ways the one that indexed them did not (front matter, datelines, JSON Lines "
                f"field names, a text column of CSV and JSON Lines files, repeated lines){same}")

    @property
    def files(self) -> int:
        """The files of a kind it reads the run found in the folder: indexed, updated,
        re-read, moved, unchanged or skipped (none: most likely the wrong folder)."""
        return (self.indexed + self.updated + self.reread + self.moved + self.unchanged
                + len(self.skipped))

    @property
    def moved_note(self) -> str | None:
        """The line that says the folder is one the index held elsewhere, and that its
        documents keep their ids."""
        if not self.moved_from:
            return None
        copies = ""
        if self.copies:
            n = len(self.copies)
            copies = (f"; the index held them twice, an earlier version having indexed this "
                      f"folder as a new one: {n} cop{'ies' if n != 1 else 'y'} under other ids "
                      f"removed ({', '.join(self.copies[:3])}{', ...' if n > 3 else ''})")
        if not self.moved:  # (a rebuild: every file read, none counted as moved)
            return (f"moved here from {self.moved_from}, which is no folder any more: its "
                    f"documents keep their ids{copies}")
        files = counted(self.moved, "file")
        changed = (f" ({self.updated} changed since, and read again)" if self.updated else "")
        return (f"{files} moved here from {self.moved_from}, which is no folder any more"
                f"{changed}: their documents keep their ids{copies}")

    @property
    def carried_note(self) -> str | None:
        """The line that says a rebuild kept the documents a program added."""
        if not self.carried:
            return None
        return (f"{counted(self.carried, 'document')} added by a program (read from no "
                "folder) carried into the rebuilt index from what it stored, analysed anew; to "
                f"drop {'it' if self.carried == 1 else 'them'}, delete by id (CorpusIndex.delete)")

    @property
    def measured_note(self) -> str | None:
        """The line that says why unchanged files were written again for their length."""
        if not self.measured:
            return None
        n = self.measured
        return (f"{counted(n, 'unchanged file')} written again: "
                f"{'its' if n == 1 else 'their'} documents are longer than the index recorded "
                "(an earlier version built it) and now rank by their length")

    @property
    def other_files_note(self) -> str | None:
        """The line that says which files were not read for their kind, if any were (a
        folder with none to read says it in its warning instead)."""
        read = self.files + self.kept
        if not self.other_files or not read:
            return None
        n = sum(self.other_files.values())
        kinds = ", ".join(sorted(readable_extensions()))
        hint = documents_hint(self.other_files)
        return (f"{counted(n, 'file')} of other kinds not read: "
                f"{file_kinds(self.other_files)} (read: {kinds})"
                + (f"; {hint}" if hint else ""))

    def __repr__(self) -> str:
        # (the counts the command's report line gives; every file listed was a wall of text)
        touched = f" ({self.touched} touched, same content)" if self.touched else ""
        kept = f", {self.kept} kept" if self.kept else ""
        told = [counted(len(self.warnings), "warning"),
                counted(len(self.duplicates), "duplicate")]
        reread = f"{self.reread} re-read, " if self.reread else ""
        moved = f"{self.moved} moved, " if self.moved else ""
        return (f"IndexReport({self.root!r}: {self.indexed} indexed, {self.updated} updated, "
                f"{reread}{moved}{self.unchanged} unchanged{touched}, {self.deleted} deleted"
                f"{kept}, "
                f"{len(self.skipped)} skipped, {', '.join(told)}; "
                f"{counted(self.documents, 'document')} written in {self.seconds:.1f} s)")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``index --json`` prints each folder's report."""
        return {
            "root": self.root,
            "indexed": self.indexed,
            "updated": self.updated,
            "reread": self.reread,
            "unchanged": self.unchanged,
            "touched": self.touched,
            "deleted": self.deleted,
            "kept": self.kept,
            "kept_for": dict(self.kept_for),
            "dropped_for": dict(self.dropped_for),
            "emptied": list(self.emptied),
            "documents": self.documents,
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
            "warnings": list(self.warnings),
            "earlier_warnings": list(self.earlier_warnings),
            "boilerplate_lines": self.boilerplate_lines,
            "boilerplate": [{"line": line, "documents": n} for line, n in self.boilerplate],
            "long_words": self.long_words,
            "duplicates": [{"id": i, "same_as": first} for i, first in self.duplicates],
            "other_files": dict(self.other_files),
            "read_by_older_readers": self.read_by_older_readers,
            "read_the_same": self.read_the_same,
            "measured": self.measured,
            "moved_from": self.moved_from or None,
            "moved": self.moved,
            "copies": list(self.copies),
            "carried": self.carried,
            "seconds": round(self.seconds, 3),
        }


def _singular(words: str) -> str:
    """A :data:`KEPT_CAUSES` phrase said of one file."""
    for many, one in (("are CSV files", "is a CSV file"),
                      ("are PDF or Word files", "is a PDF or Word file"), ("were ", "was "),
                      ("lie ", "lies "), ("from them", "from it"), ("they can", "it can"),
                      ("they are", "it is")):
        words = words.replace(many, one)
    return words


def shortened(line: str, most: int = 60) -> str:
    """``line`` cut to ``most`` characters at a word, "…" marking the cut."""
    return line if len(line) <= most else line[:most].rsplit(" ", 1)[0] + " …"


def ids_taken(taken: Sequence[tuple[str, str]], kept: int) -> str:
    """Why a file's documents with ids that other files of its folder hold (``taken``: (id,
    that file)) were left out: the reason the file is skipped when it ``kept`` none of its
    documents, else what a warning about the file says."""
    doc_id, owner = taken[0]
    n = len(taken)
    more = f", and {n - 1} more" if n > 1 else ""
    where = f"{printable(doc_id)!r} of {printable(owner)}{more}"
    if kept:
        records = f"{n} records skipped: their ids are" if n > 1 else "1 record skipped: its id is"
        return (f"{records} the id of a document of another file of this folder ({where}): "
                "ids must differ within a folder")
    if n == 1:
        return (f"its id {printable(doc_id)!r} is the id of the document of "
                f"{printable(owner)}, another file of this folder: rename one of them")
    return (f"the ids of its {n} records are those of documents of other files of this "
            f"folder ({where}): ids must differ within a folder")


#: why the documents of a folder indexed before that holds no file to read now are kept (a
#: run of the index adds how to drop them if it was emptied for good: :func:`emptied_for_good`)
NOW_EMPTY = ("it holds no file that can be indexed now (a drive not mounted, a sync not "
             "finished?)")


#: why the documents of a subfolder indexed before that is no longer there are kept (as a
#: folder of the index that is gone is refused, not emptied)
NOW_GONE = "it is no longer there (a drive not mounted, moved, renamed or deleted?)"


def emptied_subfolders(
    root: Path, known: Iterable[str], present: Iterable[str], unread: Sequence[str],
) -> list[tuple[str, str]]:
    """``("sub/", why)`` for each outermost subfolder of ``root`` that held indexed files
    (``known``) and holds no file to read now (``present``: those found; ``unread``: the
    folders not read, said already): empty (:data:`NOW_EMPTY`) or gone (:data:`NOW_GONE`).
    Its documents are kept as an emptied folder's are: a subfolder emptied all at once (a
    mount point, a sync not finished) had its documents deleted with no word said."""
    def folders(rels: Iterable[str]) -> set[str]:
        return {"/".join(parts[:n]) + "/" for parts in (rel.split("/")[:-1] for rel in rels)
                for n in range(1, len(parts) + 1)}

    empty = sorted(folders(known) - folders(present))
    empty = [sub for sub in empty if not any(sub.startswith(other) for other in unread)]
    outermost = [sub for sub in empty if not any(
        sub != other and sub.startswith(other) for other in empty)]
    return [(sub, NOW_EMPTY if (root / name_on_disk(sub)).is_dir() else NOW_GONE)
            for sub in outermost]


def emptied_for_good(skipped: Sequence[tuple[str, str]], command: str,
                     sub_command: str = "") -> list[tuple[str, str]]:
    """A report's ``skipped`` folders, the reason for keeping the documents of a folder that
    holds no file now (:data:`NOW_EMPTY`), or of a subfolder gone (:data:`NOW_GONE`), telling
    the command that drops them if it was emptied (or removed) for good: ``command`` for the
    folder itself, ``sub_command`` (a rebuild of it) for a subfolder."""
    def dropping(where: str, why: str) -> str:
        if not why.startswith((NOW_EMPTY, NOW_GONE)) or (where != "./" and not sub_command):
            return why
        how = "emptied" if why.startswith(NOW_EMPTY) else "removed"
        return (f"{why}; if it was {how} for good, drop them with: "
                f"{command if where == './' else sub_command}")

    return [(where, dropping(where, why)) for where, why in skipped]


def nothing_to_read(root: Path, others: dict[str, int]) -> str:
    """The warning for a folder ``root`` with no file to read, holding files of other kinds
    (``others``: counted by extension)."""
    kinds = ", ".join(sorted(readable_extensions()))
    held = f"; it holds {file_kinds(others)}" if others else ""
    hint = documents_hint(others)
    return (f"{root} holds no file that can be indexed (supported: {kinds}){held}; nothing "
            "to index" + (f"; {hint}" if hint else "."))
