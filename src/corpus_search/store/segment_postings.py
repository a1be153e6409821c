"""Writing a segment's postings and term table from the bulk writer's buffers.

:class:`PostingsWriting` is the part of
:class:`~corpus_search.store.writer.BulkSegmentWriter` that, when a segment is finished,
writes every buffered term (:mod:`~corpus_search.store.posting_buffers`): in the W3 block
format directly (the codec's encoding is :mod:`~corpus_search.store.w3`), or sorted through
any other codec's field writer, as Whoosh's posting pool feeds it.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterable
from functools import partial
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter
from whoosh.system import emptybytes, pack_int, pack_ushort

from corpus_search.store.posting_buffers import WordPostings
from corpus_search.store.w3 import (
    FAST_PROTOCOL,
    MIN_ZIP,
    TERMINFO,
    by_btext,
    generic_term,
    positions_term,
    unit_term,
    write_hashes,
    write_terms,
)

__all__ = ["MB", "PostingsWriting"]

#: bytes in a megabyte (the writer's ``limitmb`` counts in them too)
MB = 1024 * 1024


#: bytes of posting blocks gathered before they are written out
_WRITE_CHUNK = 4 * MB


_HEAP_PRIMED = False


def _prime_heap() -> None:
    """Let the C heap keep a few hundred KB it frees, once per process.

    ``zlib.compress`` allocates and frees ~256 KB of state per call; with glibc's default
    trim threshold those pages go back to the kernel each time and the next call faults
    them in again (≈50 µs a call instead of ≈4 µs, for every posting block). Freeing one
    large block raises glibc's dynamic mmap and trim thresholds, after which the heap keeps
    such memory. Harmless elsewhere.
    """
    global _HEAP_PRIMED
    if not _HEAP_PRIMED:
        _HEAP_PRIMED = True
        block = bytearray(4 * MB)
        del block


class PostingsWriting:
    """The writing of the buffered postings into the segment (a part of
    :class:`~corpus_search.store.writer.BulkSegmentWriter`, whose buffers it reads)."""

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment, writing our buffers instead of the posting pool
        self.perdocwriter.close()
        codec = self.codec
        fw = self.fieldwriter
        if isinstance(codec, W3Codec) and type(fw) is W3FieldWriter and codec._inlinelimit <= 1:
            self._write_w3_postings(fw, codec)
        else:
            self._write_generic_postings()
        fw.close()
        self._reset_buffers()

    def _move_words(self, keep_plain: bool = False) -> None:
        """Put the postings of word lists into the term buffers (beside any postings the
        same field got from other values or merged segments). With ``keep_plain``, a field
        whose postings are all word lists of weight 1.0 without lengths (the ``words``
        field) keeps them, for :meth:`_word_rows`."""
        kept = {}
        for fieldname, words in self._words.items():
            if keep_plain and self._plain_words(fieldname, words):
                kept[fieldname] = words
                continue
            bufs = self._buffers.setdefault(fieldname, {})
            for btext, docs, weights in words.rows():
                buf = bufs.get(btext)
                if buf is None:
                    bufs[btext] = (btext, docs, weights, None)
                    continue
                if buf[3] is None:  # cannot happen: one WordPostings per field
                    raise AssertionError(f"two word buffers for {fieldname}:{btext!r}")
                buf[1].extend(docs)
                buf[2].extend(weights if weights is not None else [1.0] * len(docs))
                buf[3].extend([emptybytes] * len(docs))
                self._unsorted.add((fieldname, btext))
        self._words = kept

    def _plain_words(self, fieldname: str, words: WordPostings) -> bool:
        """Whether the postings of ``fieldname`` are ``words`` alone, each of weight 1.0,
        without a value or a length: what :func:`~corpus_search.store.w3.unit_term` writes."""
        plan = self._plans[fieldname]
        return (
            len(words.ids) > 0 and words.weights is None and words.weight == 1.0
            and not self._buffers.get(fieldname) and not self._positions.get(fieldname)
            and plan.field.format.fixed_value_size() == 0 and not plan.scorable
        )

    def _write_generic_postings(self) -> None:
        """Any codec: feed the buffered postings, sorted, to the codec's field writer."""
        self._move_words()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        try:
            self.fieldwriter.add_postings(self.schema, pdr, self._sorted_postings())
        finally:
            if pdr is not None:
                pdr.close()

    def _sorted_postings(self) -> Iterable[tuple]:
        for fieldname in sorted(self._buffers.keys() | self._positions.keys()):
            for btext, docs, weights, values in self._term_rows(fieldname):
                for docnum, weight, value in zip(docs, weights, values, strict=True):
                    yield fieldname, btext, docnum, weight, value

    def _term_rows(self, fieldname: str) -> Iterable[tuple[bytes, Any, Any, list[bytes]]]:
        """(btext, docnums, weights, values) of each buffered term of a field, in term
        order, postings in the order Whoosh's posting pool sorts them."""
        postings = self._positions.get(fieldname)
        if postings is not None:
            fb = postings.fb
            for btext, docs, counts, explicit, values in postings.rows():
                weights = explicit or [float(c) * fb for c in counts]
                yield btext, docs, weights, values
        for key, buf in sorted(self._buffers.get(fieldname, {}).items(), key=by_btext):
            yield self._plain_row(fieldname, key, buf)

    def _plain_row(self, fieldname: str, key: Any, buf: tuple) -> tuple:
        """(btext, docnums, weights, values) of a term of a field without positions."""
        if buf[3] is None:  # a words buffer: empty values, weights None for all 1.0
            n = len(buf[1])
            weights = buf[2] if buf[2] is not None else array("d", [1.0]) * n
            buf = (buf[0], buf[1], weights, [emptybytes] * n)
        if (fieldname, key) in self._unsorted:
            rows = sorted(zip(buf[1], buf[2], buf[3], strict=True))
            return (
                buf[0], array("I", [r[0] for r in rows]), array("d", [r[1] for r in rows]),
                [r[2] for r in rows],
            )
        return buf

    def _write_w3_postings(self, fw: W3FieldWriter, codec: W3Codec) -> None:
        """The postings of every buffered term, in W3PostingsWriter's format."""
        self._move_words(keep_plain=True)
        _prime_heap()
        blocklimit = codec._blocklimit
        if self.exact:
            style = (codec._compression, 2, 0)
        else:
            style = (codec._compression, FAST_PROTOCOL, MIN_ZIP)
        postfile = fw._postfile
        tindex = fw._tindex
        fieldmap = fw._fieldmap
        for fieldname in sorted(self._buffers.keys() | self._positions.keys() | self._words.keys()):
            if not (self._buffers.get(fieldname) or self._positions.get(fieldname)
                    or fieldname in self._words):
                continue  # (a field given no terms has no number in the segment)
            plan = self._plans[fieldname]
            fixedsize = plan.field.format.fixed_value_size()
            if fieldname in fieldmap:
                fieldid = fieldmap[fieldname]
            else:
                fieldid = fieldmap[fieldname] = len(fieldmap)
            prefix = pack_ushort(fieldid)
            lb = self._lbytes.get(fieldname) if plan.scorable else None
            if plan.positions:
                rows: Iterable[tuple] = self._positions_rows(
                    fieldname, plan.fb, lb, blocklimit, style
                )
            elif fieldname in self._words:  # word lists alone (see _move_words)
                rows = self._word_rows(self._words[fieldname], blocklimit, style)
            else:
                rows = self._generic_rows(fieldname, fixedsize, lb, blocklimit, style)
            run: list[tuple[bytes, bytes, bytes]] = []
            pending = 0
            for row in rows:
                run.append(row)
                pending += len(row[1])
                if pending > _WRITE_CHUNK:  # a few MB at a time, not a whole field
                    write_terms(postfile, tindex, prefix, run)
                    run.clear()
                    pending = 0
            if run:
                write_terms(postfile, tindex, prefix, run)
        tindex._write_hashes = partial(write_hashes, tindex)
        fw._infield = False

    def _word_rows(
        self, words: WordPostings, blocklimit: int, style: tuple[int, int, int]
    ) -> Iterable[tuple[bytes, bytes, bytes]]:
        """(btext, posting blocks, term statistics) of each word of a field of word lists
        alone (see :meth:`_plain_words`), in term order. A word of one document (a third of
        them) is written as every other word of that document is: its blocks are made
        once per document."""
        single: dict[int, tuple[bytes, bytes]] = {}
        for btext, docs in words.sorted_rows():
            if len(docs) == 1:
                made = single.get(docs[0])
                if made is None:
                    made = single[docs[0]] = unit_term(docs, blocklimit, style)
                yield btext, *made
            else:
                yield btext, *unit_term(docs, blocklimit, style)

    def _generic_rows(
        self, fieldname: str, fixedsize: int | None, lb: bytearray | None, blocklimit: int,
        style: tuple[int, int, int],
    ) -> Iterable[tuple[bytes, bytes, bytes]]:
        """(btext, posting blocks, term statistics) of each term of any other field."""
        unit = fixedsize == 0 and lb is None
        unsorted = self._unsorted
        for key, buf in sorted(self._buffers[fieldname].items(), key=by_btext):
            if unit and buf[2] is None and (fieldname, key) not in unsorted:
                # from a words buffer: weights all 1, no values, no lengths
                yield (buf[0], *unit_term(buf[1], blocklimit, style))
                continue
            btext, docs, weights, values = self._plain_row(fieldname, key, buf)
            yield (btext, *generic_term(docs, weights, values, fixedsize, lb, blocklimit, style))

    def _positions_rows(
        self, fieldname: str, fb: float, lb: bytearray | None, blocklimit: int,
        style: tuple[int, int, int],
    ) -> Iterable[tuple[bytes, bytes, bytes]]:
        """(btext, posting blocks, term statistics) of each term of a Positions field."""
        level, protocol, minzip = style
        simple = fb == 1.0
        for btext, docs, counts, explicit, values in self._positions[fieldname].rows():
            if len(docs) == 1 and simple and explicit is None:
                # one posting (a third of all terms): positions_term, unrolled
                d = docs[0]
                c = counts[0]
                value = values[0]
                if c == 1:
                    mini: float | None = None
                    weight = 1.0
                else:
                    mini = weight = float(c)
                lbyte = lb[d] if lb is not None else 0
                data = dumps(((d,), mini, (value,)), protocol)
                comp = level if level and len(data) >= minzip else 0
                if comp:
                    data = zlib.compress(data, comp)
                head = dumps((1, d, weight, comp, lbyte, lbyte), 2)
                yield (
                    btext,
                    b"".join((WHOOSH3_HEADER_MAGIC, pack_int(-len(head) - len(data)), head, data)),
                    TERMINFO.pack(0, weight, 1, lbyte, lbyte, weight, d, d),
                )
            else:
                yield (btext, *positions_term(
                    docs, counts, values, explicit, fb, lb, blocklimit, style,
                ))
