"""The bulk writer's Positions postings against Whoosh's own writer, for random postings:
the values (frequency, pickled position deltas) are made for a whole field at once, a batch
of terms at a time, and must give Whoosh's bytes in exact mode and the same postings in the
fast one."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import fields as wf
from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.codec import default_codec
from whoosh.filedb.filestore import RamStorage
from whoosh.writing import SegmentWriter

from corpus_search.store import posting_buffers, w3
from corpus_search.store.writer import BulkSegmentWriter
from test_writer import segment_files

_WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]

#: a document's text (Whoosh's analyzer keeps these words as they are): words of a small
#: vocabulary (so terms recur within and across documents), now and then one word repeated
#: past 255 times (a frequency of two bytes)
_TEXTS = st.one_of(
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
    st.integers(255, 300).map(lambda n: " ".join(["many"] * n + ["once"])),
)


def _build(path: Path, texts: list[str], cls: Any, **kwargs: Any) -> Any:
    path.mkdir()
    schema = wf.Schema(key=wf.ID(stored=True), text=wf.TEXT(phrase=True))
    ix = whoosh_index.create_in(str(path), schema)
    writer = cls(ix, compound=False, **kwargs)
    for i, text in enumerate(texts):
        writer.add_document(key=f"k{i}", text=text)
    writer.commit()
    return ix


@pytest.mark.parametrize("batch", [1, 3, 1 << 16])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(_TEXTS, min_size=1, max_size=12))
def test_random_positions_postings_are_written_as_whoosh_writes_them(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    batch: int, texts: list[str],
):
    """Whatever the documents (terms of one position and of several, of one document and of
    many, frequencies past 255) and however many postings' values are made at a time, the
    exact mode's segment files are Whoosh's byte for byte, and the fast mode's postings read
    back the same (documents, weights and positions of every term)."""
    monkeypatch.setattr(posting_buffers, "_VALUES_BATCH", batch)
    root = tmp_path_factory.mktemp("positions")
    stock = _build(root / "stock", texts, SegmentWriter)
    _build(root / "exact", texts, BulkSegmentWriter, exact=True)
    fast = _build(root / "fast", texts, BulkSegmentWriter)
    assert segment_files(root / "exact") == segment_files(root / "stock")
    assert _postings(fast) == _postings(stock)


def test_a_posting_s_value_is_its_frequency_and_pickled_deltas():
    """``position_values`` gives what Whoosh's ``Positions`` format encodes for each posting,
    every value a new object (the block pickle would memoize a shared one)."""
    fmt = formats.Positions()
    postings = [[7], [0, 3, 4], [7], list(range(0, 600, 2)), [70000]]
    firsts = [p[0] for p in postings]
    several = [(k, [p[0], *(b - a for a, b in itertools.pairwise(p))])
               for k, p in enumerate(postings) if len(p) > 1]
    values = w3.position_values(firsts, several)
    assert values == [fmt.encode(p) for p in postings]
    assert values[0] is not values[2]


def test_a_long_text_s_positions_are_encoded_alike_and_grow_no_table_to_them():
    """A 2 MB text's first positions run into millions (100 between sentences): they are
    encoded as Whoosh encodes them, and the table of one-position values stays bounded."""
    fmt = formats.Positions()
    firsts = [3, w3.ONE_POSITIONS_KEPT - 1, w3.ONE_POSITIONS_KEPT, 2_400_000, 3]
    values = w3.position_values(firsts, ())
    assert values == [fmt.encode([p]) for p in firsts]
    assert values[0] is not values[-1]
    assert len(w3._ONE_POSITION) <= w3.ONE_POSITIONS_KEPT


def _postings(ix: Any) -> dict[bytes, list[tuple[int, float, list[int]]]]:
    """Every term of the text field with its postings: document, weight, positions."""
    out = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for term in reader.lexicon("text"):
            m = reader.postings("text", term)
            out[term] = []
            while m.is_active():
                out[term].append((m.id(), m.weight(), list(m.value_as("positions"))))
                m.next()
    return out


def test_terms_out_of_order_are_refused_as_whoosh_refuses_them():
    """A run of terms must go on from the term dictionary's last key in increasing order
    (``OrderedHashWriter.add``): a repeat or a step back is a ValueError naming both keys,
    and nothing of that run's entries is written."""
    storage = RamStorage()
    codec = default_codec()
    fw = codec.field_writer(storage, codec.new_segment(storage, "x"))
    block = (b"blocks", w3.TERMINFO.pack(0, 1.0, 1, 0, 0, 1.0, 0, 0))
    w3.write_terms(fw._postfile, fw._tindex, b"\x00\x00", [(b"alpha", *block)])
    with pytest.raises(ValueError, match=r"Keys must increase.*beta.*alpha"):
        w3.write_terms(
            fw._postfile, fw._tindex, b"\x00\x00", [(b"beta", *block), (b"alpha", *block)]
        )
    with pytest.raises(ValueError, match="Keys must increase"):
        w3.write_terms(fw._postfile, fw._tindex, b"\x00\x00", [(b"alpha", *block)])
    assert fw._tindex.lastkey == b"\x00\x00alpha"
    assert len(fw._tindex.index) == 1
    assert fw._postfile.tell() == len(b"blocks")
