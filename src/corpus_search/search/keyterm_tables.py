"""What key terms read of the whole index whatever the query (:class:`KeyTables`): how many
documents hold each word of the ``words`` field, the forms of the words of the lexicon's
concepts, and the documents holding each concept of several forms. Worked out once per
generation of the index and kept in the user's cache folder (:mod:`~.cachefiles`), keyed by
the generation's segments, their deletions and the lexicon's fingerprint: a segment's files
never change, so the tables of a generation never go stale.

Worked out afresh, they were most of what a cold ``key-terms Blair`` did beyond a search:
the term dictionary's 43,000 entries read and folded to lower case, the postings of the
1,015 concepts in two fields looked up one by one, and the lexicon's concepts read for their
forms (callgrind, BBC, ``key-terms Blair -n 5``: 2,000M instructions, a search 616M; with
the tables read back, 1,195M; the run that works them out and writes them, 2,018M).
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import numpy as np

from corpus_search.analysis import cachefiles
from corpus_search.analysis.lexicon import form_markers
from corpus_search.analysis.surface import WORDS_FIELD
from corpus_search.search.engine import QueryEngine, distinct
from corpus_search.store.memo import PerSearcher

__all__ = ["KeyTables", "concept_forms", "key_tables", "word_forms"]

#: the form of the tables as the cache file holds them (a change of form changes the key)
TABLES_VERSION = 2
#: the cache files of key tables kept, the most lately written (one per generation of an
#: index searched for key terms: an older one is worked out again if it is searched again)
KEPT_FILES = 8
_FILE_PREFIX = "key-terms-"


@dataclass(frozen=True)
class KeyTables:
    """One generation's tables: ``holding``, each word of the ``words`` field (lower case)
    and how many documents hold it in any form, deleted ones included ("labour" and
    "Labour": a document holds one of them); ``concept_word_forms``, each word of a concept's
    forms (lower case) the field holds and its forms there; ``concepts``, each concept of
    several forms the index holds, ``forms``, the words of each's forms
    (:func:`concept_forms`), ``docs``, the live documents whose title or body holds each, one
    after another, and ``starts``, where each concept's begin in ``docs``."""

    holding: dict[str, int]
    concept_word_forms: dict[str, list[str]]
    concepts: list[str]
    forms: list[list[tuple[str, ...]]]
    docs: np.ndarray
    starts: np.ndarray


def key_tables(engine: QueryEngine) -> KeyTables:
    """The tables of ``engine``'s generation: those worked out for the engine before, else
    the cache file's, else worked out (and the cache file written)."""
    return _TABLES(engine)


def word_forms(engine: QueryEngine) -> dict[str, int]:
    """Each form of the ``words`` field and how many documents hold it, deleted ones
    included."""
    return _FORMS(engine)


def _read_or_make(engine: QueryEngine) -> KeyTables:
    lexicon = engine.searcher.schema["body"].analyzer.lexicon
    key = _cache_key(engine, lexicon.fingerprint)
    name = f"{_FILE_PREFIX}{zlib.crc32(key.encode()):08x}"
    payload = cachefiles.read_cached(name, key)
    if payload is not None:
        with suppress(ValueError, TypeError, EOFError):
            return _decoded(payload)
    tables = _made(engine, concept_forms(lexicon))
    if cachefiles.write_cached(name, key, _encoded(tables)):
        _forget_old(name)
    return tables


def _cache_key(engine: QueryEngine, fingerprint: str) -> str:
    """The tables' cache key: their form, the lexicon's fingerprint, and each segment of the
    generation in order (its id, its documents, how many of them are deleted: a segment's
    deletions only grow, so their number says which they are)."""
    segments = ",".join(
        f"{leaf.segment().segment_id()}.{leaf.doc_count_all()}."
        f"{leaf.doc_count_all() - leaf.doc_count()}"
        for leaf, _base in engine.reader.leaf_readers() if leaf.doc_count_all())
    return f"{TABLES_VERSION}:{fingerprint}:{segments}".replace(" ", "_")


def _made(engine: QueryEngine, forms_of: dict[str, list[tuple[str, ...]]]) -> KeyTables:
    holding: dict[str, int] = {}
    key_forms: dict[str, list[str]] = {}
    for form, documents in _FORMS(engine).items():
        key = form.lower()
        holding[key] = holding.get(key, 0) + documents
        key_forms.setdefault(key, []).append(form)
    words = {w.lower() for forms in forms_of.values() for ws in forms for w in ws}
    concept_word_forms = {w: key_forms[w] for w in sorted(words & key_forms.keys())}
    concepts, docs, starts = _concept_docs(engine, forms_of)
    return KeyTables(holding, concept_word_forms, concepts, [forms_of[c] for c in concepts],
                     docs, starts)


def _concept_docs(engine: QueryEngine, concepts_of_forms: Iterable[str]
                  ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Each concept of ``concepts_of_forms`` the index holds, the live documents whose title or
    body holds each, one after another, and where each's start."""
    concepts, held = [], []
    for concept in concepts_of_forms:
        title, body = engine.term("title", concept).docs, engine.term("body", concept).docs
        if len(title) or len(body):
            concepts.append(concept)
            # (np.union1d is np.unique of both, which imports numpy.ma: ~6 ms of a cold
            # key-terms, and the regex cache written again for the patterns it compiles)
            held.append(distinct(np.concatenate((title, body))) if len(title) else body)
    starts = np.cumsum([0] + [len(h) for h in held[:-1]]).astype(np.int64)
    docs = np.concatenate(held).astype(np.int64) if held else np.zeros(0, dtype=np.int64)
    return concepts, docs, starts


def _encoded(tables: KeyTables) -> bytes:
    counts = np.fromiter(tables.holding.values(), dtype=np.int64, count=len(tables.holding))
    return marshal.dumps((
        "\n".join(tables.holding), counts.tobytes(), tables.concept_word_forms,
        tables.concepts, tables.forms, tables.docs.astype(np.int64).tobytes(),
        tables.starts.astype(np.int64).tobytes(),
    ))


def _decoded(payload: bytes) -> KeyTables:
    words, counts, concept_word_forms, concepts, forms, docs, starts = marshal.loads(payload)
    numbers = np.frombuffer(counts, dtype=np.int64).tolist()
    keys = words.split("\n") if numbers else []
    if len(keys) != len(numbers):
        raise ValueError("the cache file's words and counts differ in number")
    if len(forms) != len(concepts):
        raise ValueError("the cache file's concepts and forms differ in number")
    return KeyTables(dict(zip(keys, numbers, strict=True)), concept_word_forms, concepts,
                     forms, np.frombuffer(docs, dtype=np.int64),
                     np.frombuffer(starts, dtype=np.int64))


def _forget_old(written: str) -> None:
    """Remove the key tables' cache files beyond the :data:`KEPT_FILES` most lately
    written (``written`` among them)."""
    folder = cachefiles.cache_dir()
    if folder is None:
        return
    with suppress(OSError):
        files = [(p.stat().st_mtime, p.name != written, p) for p in folder.iterdir()
                 if p.name.startswith(_FILE_PREFIX)]
        files.sort(key=lambda f: (f[1], -f[0]))
        for _mtime, _other, path in files[KEPT_FILES:]:
            with suppress(OSError):
                path.unlink()


def _forms(engine: QueryEngine) -> dict[str, int]:
    return {btext.decode("utf-8"): documents
            for btext, documents in engine.frequencies(WORDS_FIELD).items()}


#: engine -> each form of a word and how many documents hold it
_FORMS: PerSearcher[QueryEngine, dict[str, int]] = PerSearcher(_forms)


#: engine -> its generation's tables
_TABLES: PerSearcher[QueryEngine, KeyTables] = PerSearcher(_read_or_make)


def concept_forms(lexicon: Any) -> dict[str, list[tuple[str, ...]]]:
    """Each concept of several forms (a multi-word one, or one that several words a text
    confirms alone name: Tories, Tory, Conservatives) and its forms' words, in the
    lexicon's order; forms a text cannot confirm alone (``?``, ``!``) left out. A concept
    that one word alone names (Labour; Prime Minister, whose PM is ``?``) is that word's row
    already, or its words'."""
    found = _CONCEPT_FORMS.get(lexicon.fingerprint)
    if found is None:
        by_concept: dict[str, list[tuple[str, str]]] = {}
        for e in lexicon.entries:
            by_concept.setdefault(e.concept, []).extend(map(form_markers, e.forms))
        found = {}
        for concept, forms in by_concept.items():
            sure = [w for m, w in forms if not {"?", "!"} & set(m)]
            closed = {w.replace(" ", "").lower() for _m, w in forms if " " in w}
            words = {w.replace("-", "").lower() for _m, w in forms if " " not in w}
            named = [tuple(w.split()) for w in sure]
            if concept != "-" and named and (
                    not words - closed or len({w.lower() for w in sure if " " not in w}) > 1):
                found[concept] = named
        _CONCEPT_FORMS[lexicon.fingerprint] = found
    return found


#: lexicon fingerprint -> its concepts of several forms (see :func:`concept_forms`)
_CONCEPT_FORMS: dict[str, dict[str, list[tuple[str, ...]]]] = {}
