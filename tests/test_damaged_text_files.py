"""A text file damaged by NUL bytes (a bad copy, or a crash that left its last blocks as NULs)
is read without them, with a warning, however many there are: a file is judged binary by
what is left once they are removed. A file indexed as text that now reads as binary (random
bytes written over it) keeps its document, as an emptied file does, with a note."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS
from corpus_search import CorpusIndex
from corpus_search.ingest.encodings import decode

ARTICLE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def _with_nuls(text: str, count: int, seed: int) -> bytes:
    data = bytearray(text.encode("utf-8"))
    rng = random.Random(seed)
    for _ in range(count):
        data.insert(rng.randrange(len(data) + 1), 0)
    return bytes(data)


def test_twenty_nul_bytes_in_a_5_kb_article_are_removed_with_a_warning() -> None:
    article = ARTICLE[:5000]
    assert decode(_with_nuls(article, 20, 1)) == (article, "20 NUL bytes removed")


def test_a_crashs_run_of_nuls_after_a_3_kb_article_is_removed_and_named() -> None:
    article = ARTICLE[:3000]
    assert decode(article.encode() + b"\0" * 2000) == (
        article, "2000 NUL bytes removed (at its end, as a crash leaves a file)")


@settings(max_examples=150, deadline=None)
@given(start=st.integers(0, len(ARTICLE) - 200), length=st.integers(100, 8000),
       scattered=st.integers(0, 400), trailing=st.integers(0, 20_000), seed=st.integers())
def test_an_article_with_any_nul_bytes_reads_back_as_the_article(
        start: int, length: int, scattered: int, trailing: int, seed: int) -> None:
    article = ARTICLE[start:start + length]
    text, warning = decode(_with_nuls(article, scattered, seed) + b"\0" * trailing)
    assert text == article
    assert (warning is None) == (scattered + trailing == 0)


@settings(max_examples=100, deadline=None)
@given(size=st.integers(256, 20_000), seed=st.integers())
def test_random_bytes_are_a_binary_file(size: int, seed: int) -> None:
    assert decode(random.Random(seed).randbytes(size)) == (None, "binary file")


def _indexed(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "news"
    folder.mkdir()
    for n, path in enumerate(sorted(SEEDS.glob("*.txt"))[:3]):
        (folder / f"{n}.txt").write_bytes(path.read_bytes())
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
    return folder, index


@pytest.mark.parametrize(("written", "reason"), [
    (random.Random(2).randbytes(4000), "binary file"),
    (b"PK\x03\x04\x00\x00binary\x00data" * 20,
     "binary file (a zip archive (or .docx, .xlsx, ...))"),
], ids=["random-bytes", "a-zip-archive"])
def test_a_text_file_written_over_with_binary_bytes_keeps_its_document_until_deleted(
        tmp_path: Path, written: bytes, reason: str) -> None:
    folder, index = _indexed(tmp_path)
    with CorpusIndex(index) as ix:
        before = ix.get("1")
    (folder / "1.txt").write_bytes(written)
    with CorpusIndex(index) as ix:
        for _run in range(2):  # (said again each run while the file stays so)
            report = ix.index_directory(folder)
            assert (report.deleted, report.kept) == (0, 1)
            assert report.skipped == [("1.txt", f"{reason}; its document kept (written over "
                                       "by mistake? its text is still in the index); delete "
                                       "the file to drop it (--rebuild drops it too)")]
            assert ix.get("1") == before
        (folder / "1.txt").unlink()
        assert ix.index_directory(folder).deleted == 1 and "1" not in ix


def test_a_file_turned_all_nuls_by_a_crash_keeps_its_document_as_an_emptied_one(
        tmp_path: Path) -> None:
    folder, index = _indexed(tmp_path)
    size = (folder / "0.txt").stat().st_size
    (folder / "0.txt").write_bytes(b"\0" * size)
    with CorpusIndex(index) as ix:
        report = ix.index_directory(folder)
        assert report.deleted == 0 and report.emptied == ["0.txt"]
        assert "0" in ix


def test_a_damaged_article_is_updated_and_found(tmp_path: Path) -> None:
    folder, index = _indexed(tmp_path)
    text = (folder / "2.txt").read_text(encoding="utf-8")
    (folder / "2.txt").write_bytes(_with_nuls(text, 20, 3) + b"\0" * 2000)
    with CorpusIndex(index) as ix:
        report = ix.index_directory(folder)
        assert (report.updated, report.deleted, report.skipped) == (1, 0, [])
        assert report.warnings == ["2.txt: 2020 NUL bytes removed (2000 at its end, as a crash "
                                   "leaves a file)"]
