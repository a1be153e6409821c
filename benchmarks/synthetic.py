"""Deterministic synthetic corpora generated from the BBC text, for the scaling benchmarks.

Each synthetic document is drawn from a word-bigram Markov chain trained on the BBC articles
(whitespace tokens, so capitalisation, punctuation and phrases such as "Lib Dems" or "Prime
Minister" survive), with its title and body lengths (in words) copied from a BBC article picked
at random, so the length distribution is the BBC's. A small share of tokens (``NAME_RATE``) are
invented proper names from a pool that grows with the corpus, so the vocabulary keeps growing
with size as real text does (Heaps' law) instead of stopping at the BBC's ~30k words.
Dates are spread uniformly over 2004-2005 so date filters have something to select.

Everything comes from one ``random.Random(seed)``: the same source text, size and seed give the
same corpus, byte for byte. ``generate`` caches its output as a pickle next to the benchmark
JSON (``.benchmarks/cache``), keyed on the source text's digest, size, seed and
``GENERATOR_VERSION``.

Run as a script to write a corpus to a folder of ``.txt`` files::

    python benchmarks/synthetic.py 10000 /tmp/synthetic-10k
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
import random
import sys
from collections.abc import Sequence
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


def generate_documents(source: Sequence, n: int, seed: int = DEFAULT_SEED) -> list:
    """``n`` synthetic :class:`~corpus_search.ingest.model.Document` s drawn from ``source``."""
    from corpus_search.ingest.model import Document

    rng = random.Random(seed)
    lengths = [(len(d.title.split()), len(d.body.split())) for d in source]
    titles = MarkovText([d.title for d in source])
    bodies = MarkovText([d.body for d in source])
    out = []
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
        out.append(
            Document(
                id=f"syn/{i:06d}",
                title=title,
                body=body,
                date=date,
                source="Synthetic BBC",
                path=f"syn/{i:06d}.txt",
            )
        )
    return out


def generate(
    source: Sequence, n: int, seed: int = DEFAULT_SEED, cache_dir: Path | None = None
) -> list:
    """Like :func:`generate_documents`, reading and writing a pickle cache in ``cache_dir``."""
    if cache_dir is None:
        return generate_documents(source, n, seed)
    path = cache_path(source, n, seed, Path(cache_dir))
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    docs = generate_documents(source, n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return docs


def cache_path(source: Sequence, n: int, seed: int, cache_dir: Path) -> Path:
    key = f"synthetic-v{GENERATOR_VERSION}-{source_digest(source)}-{n}-{seed}.pickle"
    return Path(cache_dir) / key


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
