"""Deterministic synthetic corpora generated from the BBC text, for the scaling benchmarks.

Each synthetic document is drawn from a word-bigram Markov chain trained on the BBC articles
(whitespace tokens, so capitalisation, punctuation and phrases such as "Lib Dems" or "Prime
Minister" survive), with its title and body lengths (in words) copied from a BBC article picked
at random, so the length distribution is the BBC's. A small share of tokens (``NAME_RATE``) are
invented proper names from a pool that grows with the corpus, so the vocabulary keeps growing
with size as real text does (Heaps' law) instead of stopping at the BBC's ~30k words.
Dates are spread uniformly over 2004-2005 so date filters have something to select.

Everything comes from one ``random.Random(seed)``: the same source text, size and seed give the
same corpus, byte for byte. ``generate_store`` writes it once, one document at a time, to a
:class:`DocumentStore` next to the benchmark JSON (``.benchmarks/cache``), keyed on the
source text's digest, size, seed and ``GENERATOR_VERSION``; the scaling benchmark's
corpus_search builds read their documents from there one by one, so their peak memory is the
library's, not a million documents' (~2.3 GB of text).

Run as a script to write a corpus to a folder of ``.txt`` files::

    python benchmarks/synthetic.py 10000 /tmp/synthetic-10k
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import pickle
import random
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_SEED = 20240605
NAME_RATE = 0.004  # share of body tokens replaced by an invented proper name
_SYLLABLES = tuple(
    "ab ack al an ar ash bar ben bor bry cal car chel dun ed el en far ford gar ham har hol ing "  # noqa: SIM905
    "kel ker lan ley lin mar mer mor nel ney or per ral ren rid rod sam sel shaw ston tan ter "
    "thorn ton val ver wick win wood worth".split()
)
_START = "\x02"  # pseudo-token before the first word of a title or body
_DAY0 = dt.date(2004, 1, 1)
_DAYS = (dt.date(2005, 12, 31) - _DAY0).days + 1


def _invented_name(number: int) -> str:
    """A pronounceable, capitalised surname for ``number`` (a bijection onto syllable strings)."""
    parts = []
    n = number + len(_SYLLABLES)  # at least two syllables
    while n:
        n, r = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts).capitalize()


class MarkovText:
    """A word-bigram chain over whitespace tokens: follower lists keep repeats (frequency)."""

    def __init__(self, texts: Sequence[str]) -> None:
        followers: dict[str, list[str]] = {}
        for text in texts:
            prev = _START
            for word in text.split():
                followers.setdefault(prev, []).append(word)
                prev = word
        self.followers = followers

    def words(self, rng: random.Random, count: int) -> list[str]:
        followers = self.followers
        starts = followers[_START]
        choice = rng.choice
        out: list[str] = []
        word = choice(starts)
        while len(out) < count:
            out.append(word)
            nxt = followers.get(word)
            word = choice(nxt) if nxt else choice(starts)
        return out


def source_digest(documents: Sequence) -> str:
    h = hashlib.sha256()
    for doc in documents:
        h.update(doc.id.encode())
        h.update(doc.title.encode())
        h.update(doc.body.encode())
    return h.hexdigest()[:16]


def _paragraphs(words: list[str], rng: random.Random) -> str:
    """Join words, breaking into paragraphs after a sentence end every 2-4 sentences."""
    lines, current, sentences = [], [], 0
    target = rng.randint(2, 4)
    for word in words:
        current.append(word)
        if word.endswith((".", "?", '."')):
            sentences += 1
            if sentences >= target:
                lines.append(" ".join(current))
                current, sentences, target = [], 0, rng.randint(2, 4)
    if current:
        lines.append(" ".join(current))
    return "\n\n".join(lines)


def iter_documents(source: Sequence, n: int, seed: int = DEFAULT_SEED) -> Iterator:
    """Yield ``n`` synthetic :class:`~corpus_search.ingest.model.Document` s drawn from
    ``source``, one at a time (nothing but the chain is held in memory)."""
    from corpus_search.ingest.model import Document

    rng = random.Random(seed)
    lengths = [(len(d.title.split()), len(d.body.split())) for d in source]
    titles = MarkovText([d.title for d in source])
    bodies = MarkovText([d.body for d in source])
    for i in range(n):
        title_len, body_len = lengths[rng.randrange(len(lengths))]
        title = " ".join(titles.words(rng, max(1, title_len)))
        words = bodies.words(rng, max(1, body_len))
        pool = 1 + i // 2  # invented names: about one new name per two documents
        for j in range(len(words)):
            if rng.random() < NAME_RATE:
                words[j] = _invented_name(rng.randrange(pool))
        body = _paragraphs(words, rng)
        date = _DAY0 + dt.timedelta(days=rng.randrange(_DAYS))
        yield Document(
            id=f"syn/{i:06d}",
            title=title,
            body=body,
            date=date,
            source="Synthetic BBC",
            path=f"syn/{i:06d}.txt",
        )


def generate_documents(source: Sequence, n: int, seed: int = DEFAULT_SEED) -> list:
    """``n`` synthetic :class:`~corpus_search.ingest.model.Document` s drawn from ``source``."""
    return list(iter_documents(source, n, seed))


class DocumentStore(Sequence):
    """A synthetic corpus on disk, read one document at a time: a read-only sequence.

    Three files share a stem: ``.docs`` (one pickled ``(id, title, body, date ordinal,
    source, path)`` tuple after another), ``.offsets`` (``n + 1`` byte offsets, 8 bytes each)
    and ``.json`` (the count and the UTF-8 bytes of title + body). Only the offsets are held
    in memory (8 MB for a million documents), so a build that takes its documents from here
    measures the library's memory, not the corpus's. Reads use ``os.pread`` on one
    descriptor, which keeps no file position: processes forked while it is open (the bulk
    writer's workers, which index ``store[i]`` for their share) read it independently.
    """

    def __init__(self, stem: Path) -> None:
        self.stem = Path(stem)
        info = json.loads(self.stem.with_suffix(".json").read_text(encoding="utf-8"))
        self.text_bytes: int = info["text_bytes"]
        self._offsets = array("Q")
        self._offsets.frombytes(self.stem.with_suffix(".offsets").read_bytes())
        if len(self._offsets) != info["count"] + 1:
            raise ValueError(f"{self.stem}: offsets do not match the count; delete and rebuild")
        self._fd = os.open(self.stem.with_suffix(".docs"), os.O_RDONLY)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self._offsets[index], self._offsets[index + 1]
        return _document(pickle.loads(os.pread(self._fd, end - start, start)))

    def __iter__(self) -> Iterator:
        # sequential reads in large blocks: one system call per ~1 MB, not per document
        with open(self.stem.with_suffix(".docs"), "rb", buffering=1 << 20) as fh:
            offsets = self._offsets
            for i in range(len(self)):
                yield _document(pickle.loads(fh.read(offsets[i + 1] - offsets[i])))

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


def _document(row: tuple):
    from corpus_search.ingest.model import Document

    doc_id, title, body, ordinal, source, path = row
    date = dt.date.fromordinal(ordinal) if ordinal else None
    return Document(id=doc_id, title=title, body=body, date=date, source=source, path=path)


def write_store(documents: Iterable, stem: Path) -> DocumentStore:
    """Write ``documents`` (any iterable, consumed once) as a :class:`DocumentStore`."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    offsets = array("Q", [0])
    nbytes = 0
    tmp = stem.with_suffix(".docs.tmp")
    with open(tmp, "wb") as fh:
        for d in documents:
            row = (d.id, d.title, d.body, d.date.toordinal() if d.date else 0, d.source, d.path)
            fh.write(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
            offsets.append(fh.tell())
            nbytes += len(d.title.encode()) + len(d.body.encode())
    tmp.replace(stem.with_suffix(".docs"))
    stem.with_suffix(".offsets").write_bytes(offsets.tobytes())
    # written last: a store without its .json is unfinished and is written again
    info = {"count": len(offsets) - 1, "text_bytes": nbytes}
    stem.with_suffix(".json").write_text(json.dumps(info), encoding="utf-8")
    return DocumentStore(stem)


def generate_store(
    source: Sequence, n: int, seed: int = DEFAULT_SEED, cache_dir: Path | None = None
) -> DocumentStore:
    """The corpus of :func:`generate_documents` as a :class:`DocumentStore` in ``cache_dir``
    (``.benchmarks/cache`` by default), generated and written one document at a time the
    first time it is asked for."""
    stem = cache_stem(source, n, seed, Path(cache_dir) if cache_dir else _default_cache())
    if stem.with_suffix(".json").exists():
        return DocumentStore(stem)
    # the generator draws one document after another from one stream, so the corpus of n is
    # the first n documents of any larger one with the same source and seed: cut it from a
    # cached one rather than generate again (~0.35 ms of CPU per document)
    prefix = stem.name.rsplit("-", 2)[0]
    for info in sorted(stem.parent.glob(f"{prefix}-*-{seed}.json")):
        bigger = info.with_suffix("")
        if int(bigger.name.rsplit("-", 2)[1]) > n:
            return write_store(itertools.islice(DocumentStore(bigger), n), stem)
    return write_store(iter_documents(source, n, seed), stem)


def generate(
    source: Sequence, n: int, seed: int = DEFAULT_SEED, cache_dir: Path | None = None
) -> list:
    """Like :func:`generate_documents`, read from (and first written to) the cached store in
    ``cache_dir``; without ``cache_dir``, generated in memory."""
    if cache_dir is None:
        return generate_documents(source, n, seed)
    return list(generate_store(source, n, seed, cache_dir))


def cache_stem(source: Sequence, n: int, seed: int, cache_dir: Path) -> Path:
    key = f"synthetic-v{GENERATOR_VERSION}-{source_digest(source)}-{n}-{seed}"
    return Path(cache_dir) / key


def _default_cache() -> Path:
    return Path(__file__).resolve().parent.parent / ".benchmarks" / "cache"


def write_files(documents: Sequence, folder: Path) -> None:
    """Write documents as ``.txt`` files (title line, date line, body) under ``folder``."""
    for doc in documents:
        target = folder / f"{doc.id}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        date = doc.date.isoformat() if doc.date else ""
        target.write_text(f"{doc.title}\n\n{date}\n\n{doc.body}\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - manual use
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import harness

    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    write_files(generate_documents(harness.load_corpus("bbc"), count), folder)
    print(f"wrote {count} documents under {folder}")
