"""Specification of reading segment files through their memory map
(:mod:`corpus_search.store.mapped`): the same bytes as Whoosh's copies, without the copies."""

from __future__ import annotations

import io
import pickle
from array import array
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from whoosh.filedb import compound
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from corpus_search import CorpusIndex
from corpus_search.store.mapped import MappedFile, ViewStream

operations = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(-5, 60), st.sampled_from([0, 1])),
        st.tuples(st.just("seek_end"), st.integers(-50, 5)),
        st.tuples(st.just("tell"),),
    ),
    max_size=30,
)


def apply(stream, op):
    name, *args = op
    try:
        if name == "seek_end":
            return stream.seek(args[0], 2)
        return getattr(stream, name)(*args)
    except ValueError:  # a negative absolute position
        return "refused"


@given(data=st.binary(max_size=300).map(lambda b: b.replace(b"x", b"\n")), ops=operations)
def test_a_view_stream_reads_seeks_and_tells_exactly_as_a_bytes_file_does(data: bytes, ops):
    copy, view = io.BytesIO(data), ViewStream(memoryview(data))
    for op in ops:
        assert apply(view, op) == apply(copy, op), op


@given(values=st.lists(st.integers(-(2**31), 2**31 - 1), max_size=50), head=st.binary(max_size=20))
def test_a_mapped_file_gives_what_whoosh_s_buffer_file_gives(values: list[int], head: bytes):
    raw = head + array("i", values).tobytes() + pickle.dumps({"fieldmap": values}, 2)
    mapped, whoosh = MappedFile(memoryview(raw)), BufferFile(raw)
    start = len(head)
    assert list(mapped.get_array(start, "i", len(values))) == list(
        whoosh.get_array(start, "i", len(values)))
    assert mapped.get(0, len(raw)) == whoosh.get(0, len(raw))
    for f in (mapped, whoosh):
        f.seek(start + 4 * len(values))
    assert mapped.read_pickle() == whoosh.read_pickle() == {"fieldmap": values}
    part, whole = mapped.subset(start, 4 * len(values)), whoosh.subset(start, 4 * len(values))
    assert part.read() == whole.read()


def test_an_opened_index_reads_every_part_of_its_segments_through_the_map(
    tmp_path: Path, small_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(small_corpus)
        assert ix.search("Labour").total  # a searcher is open
        assert compound.BufferFile is MappedFile  # what Whoosh's compound storage builds
        storage = FileStorage(str(tmp_path / "ix"))
        for segment in sorted((tmp_path / "ix").glob("*.seg")):
            raw = segment.read_bytes()
            parts = CompoundStorage(storage.open_file(segment.name), use_mmap=True)
            try:
                for name in parts.list():
                    offset, length = parts.range(name)
                    part = parts.open_file(name)
                    assert isinstance(part, MappedFile)
                    assert isinstance(part._buf, memoryview)  # a view of the map, no copy
                    assert part.get(0, length) == raw[offset : offset + length]
                    part.close()
            finally:
                parts.close()
