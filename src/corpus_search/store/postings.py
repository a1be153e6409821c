"""W3 postings and field lengths read into NumPy arrays, for the array engine
(:mod:`corpus_search.search.engine`): each block of a term's postings
(:func:`segment_postings`), and each document's field length (:func:`length_codes`,
:func:`exact_lengths`), straight from a segment's files, without Whoosh's matchers. The
format itself, and what reads it without NumPy, is :mod:`corpus_search.store.w3`.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections.abc import Iterable
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound

from corpus_search.store.w3 import LONGEST_LENGTH, exact_length_field, length_bytes

__all__ = ["exact_lengths", "length_codes", "segment_postings"]

_BLOCK_LENGTH = struct.Struct("!i")


def block_weights(ws: Any, n: int) -> np.ndarray:
    if ws is None:
        return np.ones(n, dtype=np.float64)
    if isinstance(ws, float | int):
        return np.full(n, float(ws))
    return np.asarray(ws, dtype=np.float64)


def read_blocks(
    raw: bytes, wanted: np.ndarray | None = None
) -> list[tuple[np.ndarray, np.ndarray, Any]]:
    """Decode a W3 posting list (see ``W3PostingsWriter._write_block``) block by block; with
    ``wanted`` (ascending segment document numbers), only the blocks that may hold one of
    them: a block's header gives its last document, so the others are never decompressed."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting list has a bad header {raw[:4]!r}")
    out = []
    stream = io.BytesIO(raw)
    pos = 4
    end = len(raw)
    first = 0  # the first of wanted not in an earlier block
    while pos < end:
        (length,) = _BLOCK_LENGTH.unpack_from(raw, pos)
        last = length < 0
        block_end = pos + 4 + abs(length)
        stream.seek(pos + 4)
        count, maxid, _maxweight, compression, _mn, _mx = pickle.load(stream)
        if wanted is not None:
            upto = int(wanted.searchsorted(maxid, side="right"))
            if upto == first:  # none of wanted up to this block's last document
                pos = block_end
                if last or first == len(wanted):
                    break
                continue
            first = upto
        data = raw[stream.tell() : block_end]
        if compression:
            data = zlib.decompress(data)
        ids, ws, vs = pickle.loads(data)
        out.append((np.cumsum(np.asarray(ids, dtype=np.int64)), block_weights(ws, count), vs))
        pos = block_end
        if last or (wanted is not None and first == len(wanted)):
            break
    return out


def segment_postings(
    leaf: Any, fieldname: str, btext: bytes, wanted: np.ndarray | None = None
) -> Iterable[tuple[np.ndarray, np.ndarray, Any]]:
    """Each posting block of a term in one segment (``leaf``, a segment reader): segment
    document numbers (int64, deleted documents included), weights and encoded values; with
    ``wanted`` (ascending segment document numbers), at least the blocks holding those
    (:func:`read_blocks`)."""
    try:
        info = leaf._terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError):
        return
    if info.is_inlined():
        ids, ws, vs = info.inlined_postings()
        yield np.asarray(ids, dtype=np.int64), block_weights(ws, len(ids)), vs
        return
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct's tuple
        length = length[0]
    yield from read_blocks(leaf._terms._postfile.get(offset, length), wanted)


def exact_lengths(leaf: Any, fieldname: str, lengths: np.ndarray) -> np.ndarray:
    """``lengths`` (one segment's decoded lengths of ``fieldname``) with the exact length of
    each document recorded at :data:`LONGEST_LENGTH` where the segment holds it (an index
    written before the column was added holds none: those lengths stay as recorded)."""
    capped = (lengths >= LONGEST_LENGTH).nonzero()[0]
    name = exact_length_field(fieldname)
    if not len(capped) or not leaf.has_column(name):
        return lengths
    column = leaf.column_reader(name)
    exact = np.array([column[int(d)] for d in capped], dtype=np.float64)
    lengths = lengths.copy()
    lengths[capped] = np.where(exact > 0, exact, lengths[capped])
    return lengths


def length_codes(leaf: Any, fieldname: str) -> np.ndarray:
    """The one-byte encoded length of ``fieldname`` in each document of one segment
    (read-only: an array over the bytes :func:`~corpus_search.store.w3.length_bytes` read)."""
    return np.frombuffer(length_bytes(leaf, fieldname), dtype=np.uint8)
