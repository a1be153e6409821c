"""An evaluation collection: topics (TSV), TREC qrels, and the corpus folders read once
into documents whose ids the qrels name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_search.evaluation.measures import ir_measures
from corpus_search.terminal import counted

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document



__all__ = [
    "LoadedCorpus",
    "Topic",
    "load_corpus",
    "load_qrels",
    "load_topics",
    "parse_corpus_arg",
]


Qrels = dict[str, dict[str, int]]


Progress = Callable[[str], None]


@dataclass(frozen=True)
class Topic:
    """One judged information need."""

    qid: str
    query: str
    category: str = ""
    narrative: str = ""


def load_topics(path: str | Path) -> list[Topic]:
    """Read a topics TSV (``qid``, ``query``, ``category``, ``narrative``) in file order."""
    topics: list[Topic] = []
    seen: set[str] = set()
    text = Path(path).read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if not seen and parts[0].lower() == "qid":
            continue  # header row
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{path}:{number}: expected 'qid<TAB>query[<TAB>category...]'")
        qid = parts[0]
        if qid in seen:
            raise ValueError(f"{path}:{number}: duplicate topic id {qid!r}")
        seen.add(qid)
        category = parts[2] if len(parts) > 2 and parts[2] else "(none)"
        narrative = parts[3] if len(parts) > 3 else ""
        topics.append(Topic(qid, parts[1], category, narrative))
    return topics


def load_qrels(path: str | Path) -> Qrels:
    """Read TREC qrels into ``{qid: {docid: grade}}`` (via ``ir_measures.read_trec_qrels``)."""
    qrels: Qrels = {}
    for qrel in ir_measures.read_trec_qrels(str(path)):
        qrels.setdefault(qrel.query_id, {})[qrel.doc_id] = int(qrel.relevance)
    return qrels


@dataclass
class LoadedCorpus:
    """Documents read from the corpus folders, with the id prefix chosen for each folder."""

    documents: list[Document]
    prefixes: dict[str, str]
    notes: list[str] = field(default_factory=list)


def parse_corpus_arg(arg: str | Path) -> tuple[str | None, Path]:
    """Split ``PREFIX=DIR`` into ``(prefix, dir)``; a plain folder gives ``(None, dir)``."""
    text = str(arg)
    if isinstance(arg, str) and "=" in text and not Path(text).exists():
        prefix, _, directory = text.partition("=")
        if "/" not in prefix and "\\" not in prefix:
            return prefix.strip("/"), Path(directory)
    return None, Path(text)


def _read_folder(root: Path, notes: list[str]) -> list[Document]:
    from corpus_search.ingest.boilerplate import find_boilerplate
    from corpus_search.ingest.files import iter_source_files, read_file
    from corpus_search.repeated import folder_reading, min_documents

    documents: list[Document] = []
    warnings: list[str] = []
    for path in iter_source_files(root):
        result = read_file(path, root)
        if result.skipped_reason:
            notes.append(f"skipped {path}: {result.skipped_reason}")
        warnings += result.warnings  # each names its file (relative to root) already
        documents.extend(result.documents)
    if warnings:
        shown = "; ".join(warnings[:3])
        notes.append(f"{counted(len(warnings), 'warning')} reading {root}, e.g. {shown}")
    # Lines repeated across the folder's documents are dropped, as CorpusIndex.index_directory
    # does, so every engine sees the bodies a user's index would hold.
    boilerplate = find_boilerplate(
        (doc.body for doc in documents), min_docs=min_documents(len(documents))
    )
    read = [folder_reading(doc, boilerplate) for doc in documents]
    documents = [
        dataclasses.replace(doc, title=title, body=body, menu_reading=None)
        if (title, body) != (doc.title, doc.body) or doc.menu_reading else doc
        for doc, (title, body) in zip(documents, read, strict=True)
    ]
    if boilerplate:
        notes.append(f"{counted(len(boilerplate), 'repeated line')} stripped from bodies "
                     f"under {root}")
    return documents


def load_corpus(corpus_dirs: Iterable[str | Path], qrels: Qrels | None = None) -> LoadedCorpus:
    """Read every corpus folder once and give each document its evaluation id.

    See the module docstring for the id rule; ``qrels`` drives the automatic prefix.
    """
    judged = {doc_id for judgments in (qrels or {}).values() for doc_id in judgments}
    documents: list[Document] = []
    prefixes: dict[str, str] = {}
    notes: list[str] = []
    seen: set[str] = set()
    for arg in corpus_dirs:
        prefix, root = parse_corpus_arg(arg)
        if not root.is_dir():
            raise FileNotFoundError(f"corpus folder not found: {root}")
        docs = _read_folder(root, notes)
        if prefix is None:
            name = root.resolve().name
            bare = sum(doc.id in judged for doc in docs)
            prefixed = sum(f"{name}/{doc.id}" in judged for doc in docs)
            prefix = name if prefixed > bare else ""
        prefixes[str(root)] = prefix
        duplicates = 0
        for doc in docs:
            final = f"{prefix}/{doc.id}" if prefix else doc.id
            if final in seen:
                duplicates += 1
                continue
            seen.add(final)
            documents.append(doc if final == doc.id else dataclasses.replace(doc, id=final))
        if duplicates:
            notes.append(
                f"{counted(duplicates, 'document')} under {root} "
                + ("repeats an id already read and was" if duplicates == 1 else
                   "repeat ids already read and were")
                + " dropped; give the folder a prefix with PREFIX=DIR"
            )
    return LoadedCorpus(documents, prefixes, notes)
