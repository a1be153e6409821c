"""The W3 posting format, both ways: written by the bulk writer (blocks of delta-coded document
numbers, weights and positions, term info and hash tables, byte for byte Whoosh's own with
``exact=True``) and read straight from a segment's files, without Whoosh's matchers: a
field's terms and their frequencies, its length bytes. It imports no NumPy: the postings and
lengths read into arrays, for the array engine, are :mod:`corpus_search.store.postings`.
"""

from __future__ import annotations

import re
import struct
import zlib
from array import array
from collections.abc import Iterable
from functools import partial
from itertools import accumulate, chain, islice, pairwise, repeat
from operator import add, gt, methodcaller, sub
from pickle import dumps, loads
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.filedb.filetables import _pointer as _HASH_POINTER
from whoosh.system import emptybytes, pack_int, pack_uint
from whoosh.util.numeric import byte_to_length

from corpus_search.digests import md5

TERMINFO = W3TermInfo._struct


#: pickle protocol of block data when not ``exact`` (protocol 2, Whoosh's, pickles each
#: bytes value as a call of codecs.encode: 10x slower to write, 4x to read, 2x the size)
FAST_PROTOCOL = 4


#: block data shorter than this is not compressed: zlib adds 6 bytes of framing and, per call,
#: ~10 us (its 256 KB state allocated, its 64 KB hash table cleared); under 128 bytes it saves
#: ~20 bytes a block (BBC: 6,400 of 17,600 calls, 0.8% more index)
MIN_ZIP = 128


ONE = pack_uint(1)


COUNTS = [pack_uint(c) for c in range(256)]


def decode_positions(vbytes: bytes) -> list[int]:
    """Positions of a Whoosh ``Positions`` value (the inverse of ``Positions.encode``)."""
    position = 0
    out = []
    for delta in loads(vbytes[4:]):
        position += delta
        out.append(position)
    return out


#: ``dumps([p], 2)`` by p: the pickled positions of a posting at the one position p, for p
#: under :data:`ONE_POSITIONS_KEPT`
_ONE_POSITION: list[bytes] = []

#: the positions :data:`_ONE_POSITION` keeps: a long text's first positions run far beyond
#: (every sentence leaves 100), and a table up to them, kept for the process, would hold
#: millions of pickles for one 2 MB PDF
ONE_POSITIONS_KEPT = 1 << 16


def position_values(firsts: list[int], several: Iterable[tuple[int, list[int]]]) -> list[bytes]:
    """``Positions.encode`` of each of a field's postings (frequency, then the pickled
    position deltas), given each posting's first position (``firsts``) and, for the
    postings of several positions, their index and deltas (the first one the position
    itself).

    The postings of one position (most of them) are made in one pass in compiled code, not
    one by one. Every value is a new object (a concatenation), as Whoosh makes them: the
    block pickle memoizes an object met twice, which would change the block's bytes.
    """
    table = _ONE_POSITION
    top = max(firsts, default=0)
    if top >= len(table) < ONE_POSITIONS_KEPT:
        table.extend(dumps([p], 2) for p in range(
            len(table), min(ONE_POSITIONS_KEPT, max(top + 1, 2 * len(table)))))
    if top < ONE_POSITIONS_KEPT:
        out = list(map(ONE.__add__, map(table.__getitem__, firsts)))
    else:  # (a long text's: those beyond the table pickled one by one)
        out = [ONE + (table[p] if p < ONE_POSITIONS_KEPT else dumps([p], 2)) for p in firsts]
    for k, deltas in several:
        c = len(deltas)
        out[k] = (COUNTS[c] if c < 256 else pack_uint(c)) + dumps(deltas, 2)
    return out


def write_hashes(hw: Any) -> None:
    """``HashWriter._write_hashes`` (its 256 hash tables of the terms file), the same bytes
    in one write instead of one per slot."""
    dbfile = hw.dbfile
    pack = _HASH_POINTER.pack
    null = pack(0, 0)
    pos = dbfile.tell()
    parts = []
    for entries in hw.buckets:
        numslots = 2 * len(entries)
        hw.directory.append((pos, numslots))
        table: list[Any] = [None] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while table[slot] is not None:
                slot = (slot + 1) % numslots
            table[slot] = (hashval, position)
        parts.append(b"".join([null if e is None else pack(*e) for e in table]))
        pos += numslots * _HASH_POINTER.size
    dbfile.write(b"".join(parts))


#: a term info's extent in the postings file (``pack_long(offset) + pack_int(length)``)
_EXTENT = struct.Struct("!qi")

#: a term dictionary entry's key and value lengths (``filetables._lengths``)
_ENTRY = struct.Struct("!ii")


def write_terms(
    postfile: Any, tindex: Any, prefix: bytes, rows: list[tuple[bytes, bytes, bytes]],
) -> None:
    """Write a run of one field's terms, in order: each term's posting blocks to
    ``postfile`` and its entry (key, statistics and extent in the postings file) to the
    term dictionary ``tindex`` (an ``OrderedHashWriter``), as W3FieldWriter and
    ``OrderedHashWriter.add`` do term by term; ``rows`` are (btext, posting blocks, term
    statistics). The entries, their places and their hashes are made a run at a time in
    compiled code."""
    btexts, chunks, infos = zip(*rows, strict=True)
    keys = list(map(prefix.__add__, btexts))
    if not (keys[0] > tindex.lastkey and all(map(gt, islice(keys, 1, None), keys))):
        bad = next(k for k, (a, b) in enumerate(pairwise([tindex.lastkey, *keys])) if b <= a)
        raise ValueError(f"Keys must increase: {[tindex.lastkey, *keys][bad]!r}..{keys[bad]!r}")
    offset = postfile.tell()
    postfile.write(b"".join(chunks))
    lengths = list(map(len, chunks))
    values = list(map(add, infos, map(_EXTENT.pack, accumulate(lengths, initial=offset), lengths)))
    size = len(values[0])  # (every term info is as long)
    tfile = tindex.dbfile
    places = list(accumulate(map((_ENTRY.size + size).__add__, map(len, keys)),
                             initial=tfile.tell()))
    del places[-1]
    _extend_index(tindex.index, places)
    if tindex.hashtype == 0:  # md5_hash of each key, from one run of digests
        digests = b"".join(map(_digest, map(_md5, keys)))
        hashes = struct.unpack(f"!{4 * len(keys)}I", digests)[3::4]
    else:
        hashes = tuple(map(tindex.hashfn, keys))
    buckets = tindex.buckets
    for h, place in zip(hashes, places, strict=True):
        buckets[h & 255].append((h, place))
    tfile.write(b"".join(chain.from_iterable(
        zip(map(_ENTRY.pack, map(len, keys), repeat(size)), keys, values, strict=True)
    )))
    tindex.lastkey = keys[-1]


_md5 = partial(md5, usedforsecurity=False)
_digest = methodcaller("digest")


def _extend_index(index: Any, places: list[int]) -> None:
    """``index.extend(places)`` of Whoosh's ``GrowableArray`` (which appends one at a time,
    retyping its array when a number outgrows it), in one call when they fit."""
    arr = index.array
    if isinstance(arr, array):
        try:
            more = array(arr.typecode, places)
        except OverflowError:
            pass
        else:
            arr.extend(more)
            return
    index.extend(places)


def by_btext(item: tuple[Any, tuple]) -> bytes:
    return item[1][0]


def _block_lengths(lb: bytearray | None, ids: Any) -> tuple[int, int]:
    """(min, max) length byte of the documents ``ids`` that have a length (0: none)."""
    if lb is None:
        return 0, 0
    bl = bytes(map(lb.__getitem__, ids))
    mn = min(bl)
    if not mn:
        bl = bl.replace(b"\x00", b"")
        if not bl:
            return 0, 0
        mn = min(bl)
    return mn, max(bl)


def positions_term(
    docs: array, counts: array, values: list[bytes], explicit: array | None, fb: float,
    lb: bytearray | None, blocklimit: int, style: tuple[int, int, int],
) -> tuple[bytes, bytes]:
    """A Positions term's posting blocks (with the header) and its W3TermInfo statistics."""
    n = len(docs)
    parts = [WHOOSH3_HEADER_MAGIC]
    stats: list[tuple[float, float, int, int]] = []
    for start in range(0, n, blocklimit):
        end = min(start + blocklimit, n)
        if end - start == n:
            ids, cnt, vals = docs, counts, values
        else:
            ids, cnt, vals = docs[start:end], counts[start:end], values[start:end]
        size = end - start
        if explicit is None and fb == 1.0:
            # the weights are the frequencies (floats in Whoosh): minify as it does
            if cnt.count(1) == size:
                mini: Any = None
                wsum: float = float(size)
                maxw: float = 1.0
            else:
                first = cnt[0]
                mini = float(first) if cnt.count(first) == size else tuple(array("f", cnt))
                wsum = float(sum(cnt))
                maxw = float(max(cnt))
        else:
            wd = explicit[start:end] if explicit is not None else array(
                "d", [float(c) * fb for c in cnt]
            )
            mini, wsum, maxw = _mini_weights(wd)
        mn, mx = _block_lengths(lb, ids)
        parts.append(_block(ids, mini, tuple(vals), size, maxw, style, mn, mx, end == n))
        stats.append((wsum, maxw, mn, mx))
    return b"".join(parts), _term_info(stats, docs)


def generic_term(
    docs: array, weights: array, values: list[bytes], fixedsize: int | None,
    lb: bytearray | None, blocklimit: int, style: tuple[int, int, int],
) -> tuple[bytes, bytes]:
    """Any other term's posting blocks (with the header) and its W3TermInfo statistics."""
    n = len(docs)
    parts = [WHOOSH3_HEADER_MAGIC]
    stats: list[tuple[float, float, int, int]] = []
    for start in range(0, n, blocklimit):
        end = min(start + blocklimit, n)
        ids = docs[start:end]
        mini, wsum, maxw = _mini_weights(weights[start:end])
        vals = [v for v in values[start:end] if v]  # W3PostingsWriter keeps non-empty ones
        if fixedsize is None or fixedsize < 0:
            vs: Any = tuple(vals)
        elif fixedsize == 0:
            vs = None
        else:
            vs = emptybytes.join(vals)
        mn, mx = _block_lengths(lb, ids)
        parts.append(_block(ids, mini, vs, end - start, maxw, style, mn, mx, end == n))
        stats.append((wsum, maxw, mn, mx))
    return b"".join(parts), _term_info(stats, docs)


def unit_term(docs: array, blocklimit: int, style: tuple[int, int, int]) -> tuple[bytes, bytes]:
    """:func:`generic_term` of a term whose postings all weigh 1.0 and have no value and
    no length (a field of words): the same bytes, without the per-block bookkeeping."""
    level, protocol, minzip = style
    n = len(docs)
    parts = [WHOOSH3_HEADER_MAGIC]
    for start in range(0, n, blocklimit):
        end = min(start + blocklimit, n)
        ids = docs if end - start == n else docs[start:end]
        data = dumps((tuple(map(sub, ids, chain((0,), ids))), None, None), protocol)
        comp = level if level and len(data) >= minzip else 0
        if comp:
            data = zlib.compress(data, comp)
        head = dumps((end - start, ids[-1], 1.0, comp, 0, 0), 2)
        length = len(head) + len(data)
        parts += (pack_int(-length if end == n else length), head, data)
    return b"".join(parts), TERMINFO.pack(0, float(n), n, 0, 0, 1.0, docs[0], docs[-1])


def _term_info(stats: list[tuple[float, float, int, int]], docs: array) -> bytes:
    """A term's W3TermInfo from its blocks' (weight sum, max weight, min and max length
    byte): what ``W3TermInfo.add_block`` accumulates block by block."""
    if len(stats) == 1:  # (one block: nearly every term)
        wsum, maxw, mn, mx = stats[0]
        return TERMINFO.pack(
            0, 0 + wsum, len(docs), mn, max(mx, 0), max(maxw, 0), docs[0], docs[-1]
        )
    tweight: float = 0
    for wsum, _, _, _ in stats:
        tweight += wsum
    tmaxweight = max((maxw for _, maxw, _, _ in stats), default=0)
    tmaxweight = max(tmaxweight, 0)
    tminlb = min((mn for _, _, mn, _ in stats if mn), default=0)
    tmaxlb = max((mx for _, _, _, mx in stats), default=0)
    tmaxlb = max(tmaxlb, 0)
    return TERMINFO.pack(0, tweight, len(docs), tminlb, tmaxlb, tmaxweight, docs[0], docs[-1])


def identity(item: Any) -> Any:
    return item


def md5_hash(key: bytes) -> int:
    # whoosh.filedb.filetables.md5_hash: the low 32 bits of the MD5 digest
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


def _mini_weights(wd: Any) -> tuple[Any, float, float]:
    """W3PostingsWriter's minified weights of a block, their float32 sum, the max weight."""
    w32 = array("f", wd)
    size = len(w32)
    if w32.count(1.0) == size:
        mini: Any = None
    elif w32.count(w32[0]) == size:
        mini = w32[0]
    else:
        mini = tuple(w32)
    m = max(wd)
    return mini, sum(w32), (m if m > 0 else 0)


def _block(
    ids: Any, mini: Any, values: Any, size: int, maxw: float, style: tuple[int, int, int],
    mn: int, mx: int, last: bool,
) -> bytes:
    """One posting block as ``W3PostingsWriter._write_block`` writes it.

    ``style`` is (zlib level, pickle protocol of the data, smallest data to compress): with
    Whoosh's own (level, 2, 0) the bytes are Whoosh's; see ``BulkSegmentWriter(exact=...)``.
    """
    comp, protocol, minzip = style
    data = dumps((tuple(map(sub, ids, chain((0,), ids))), mini, values), protocol)
    if comp and len(data) >= minzip:
        data = zlib.compress(data, comp)
    else:
        comp = 0
    info = dumps((size, ids[-1], maxw, comp, mn, mx), 2)
    length = len(info) + len(data)
    return pack_int(-length if last else length) + info + data


# -- reading ---------------------------------------------------------------------------------

#: a term dictionary entry's key and value lengths (Whoosh's ``filetables._lengths``)
_KEY_LENGTHS = struct.Struct("!ii")

#: how much of the term dictionary :func:`field_terms` reads at a time
_TERMS_CHUNK = 1 << 20


def field_terms(leaf: Any, fieldname: str, prefix: bytes = b"") -> list[bytes]:
    """Every term of ``fieldname`` in one segment (``leaf``, a segment reader), in order;
    with ``prefix``, only the terms starting with it (found by the dictionary's index, the
    others never read).

    Read straight from the term dictionary, a chunk at a time: its entries (key length,
    value length, key, value) follow one another in key order, each key the field's number
    then the term. Whoosh's ``lexicon`` goes through several Python layers per term, and a
    multi-segment reader merges the segments' terms through a heap besides: reading a million
    documents' three million words took 26 s."""
    return [term for term, _chunk, _at in _field_entries(leaf, fieldname, prefix)]


#: where a term info's document frequency stands (after its flags byte and total weight)
_DF_AT = struct.calcsize("!Bf")
_DF = struct.Struct("!I")


def field_frequencies(leaf: Any, fieldname: str) -> list[tuple[bytes, int]]:
    """Every term of ``fieldname`` in one segment with the number of its documents, deleted
    ones included (the term info's), read as :func:`field_terms` reads the terms."""
    unpack = _DF.unpack_from
    return [(term, unpack(chunk, at + _DF_AT)[0])
            for term, chunk, at in _field_entries(leaf, fieldname)]


def _field_entries(
    leaf: Any, fieldname: str, start: bytes = b""
) -> Iterable[tuple[bytes, bytes, int]]:
    """Each entry of ``fieldname`` in ``leaf``'s term dictionary whose term starts with
    ``start``, in key order: its term, and a piece of the file holding its value and where
    the value starts in it."""
    terms = leaf._terms
    fieldnum = terms._fieldmap.get(fieldname)
    if fieldnum is None:
        return
    table = terms._tindex
    prefix = struct.pack("!H", fieldnum) + start
    width = len(prefix)
    pos = table.closest_key_pos(prefix)
    end = table.endofdata
    unpack = _KEY_LENGTHS.unpack_from
    head = _KEY_LENGTHS.size
    while pos is not None and pos < end:
        chunk = table.dbfile.get(pos, min(_TERMS_CHUNK, end - pos))
        at, size = 0, len(chunk)
        while at + head <= size:
            keylen, datalen = unpack(chunk, at)
            if at + head + keylen + datalen > size:
                break  # the entry runs past the chunk: read it with the next one
            key = chunk[at + head : at + head + keylen]
            if key[:width] != prefix:
                return
            yield key[2:], chunk, at + head + keylen
            at += head + keylen + datalen
        if at == 0:  # one entry larger than a chunk
            keylen, datalen = unpack(table.dbfile.get(pos, head), 0)
            entry = table.dbfile.get(pos, head + keylen + datalen)
            key = entry[head : head + keylen]
            if key[:width] != prefix:
                return
            yield key[2:], entry, head + keylen
            at = head + keylen + datalen
        pos += at


#: the longest length Whoosh's one-byte field length holds (``length_to_byte``): a longer
#: field is recorded as this long, so a corpus_search schema keeps the exact length of a
#: longer body in a column of its own (:func:`exact_length_field`)
LONGEST_LENGTH = byte_to_length(255)


def exact_length_field(fieldname: str) -> str:
    """The name of the column holding ``fieldname``'s exact length in the documents where it
    passes :data:`LONGEST_LENGTH` (0 in the others), when the schema has such a column."""
    return f"{fieldname}_length"


#: a length byte at its largest (:data:`LONGEST_LENGTH` or more)
_FULL_BYTE = re.compile(b"\xff")


def unmeasured_lengths(leaf: Any, fieldname: str) -> list[int]:
    """The live documents of one segment (its own numbers) whose ``fieldname`` is longer than
    its length byte holds and has no exact length recorded (a segment written before the
    column was)."""
    if not leaf.doc_count_all():  # (an empty generation's reader has no length columns)
        return []
    codes = length_bytes(leaf, fieldname)
    capped = [m.start() for m in _FULL_BYTE.finditer(codes)]
    if not capped:
        return []
    name = exact_length_field(fieldname)
    column = leaf.column_reader(name) if leaf.has_column(name) else None
    return [
        d for d in capped if not leaf.is_deleted(d) and (column is None or not column[d])
    ]


def length_bytes(leaf: Any, fieldname: str) -> bytes:
    """The one-byte encoded length of ``fieldname`` in each document of one segment, as
    bytes (0 for a document past the stored column, as Whoosh reads it)."""
    count = leaf.doc_count_all()
    column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    raw = column._dbfile.get(column._basepos, column._count)[:count]
    return bytes(raw) + bytes(count - len(raw))
