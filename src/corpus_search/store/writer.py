"""A faster Whoosh segment writer: postings inverted in memory and written in bulk.

Whoosh's :class:`~whoosh.writing.SegmentWriter` puts one Python tuple per posting into a
``PostingPool``, sorts them all at commit and hands them one at a time to the codec's
``W3PostingsWriter``: about 6 µs per posting in pure Python, most of an index build that does
not count the analyzer. :class:`BulkSegmentWriter` writes the same index content:

* ``add_document`` buffers each document's postings in memory: per Positions field, flat
  arrays (``array('I')``) of each posting's term number, document number and frequency and
  of all positions, filled by a few calls in compiled code per document and grouped by term
  (NumPy) when the segment is written; no object per posting. An ``Existence`` field given a
  list of words (the ``words`` field of corpus_search's schema, a document's vocabulary) is
  buffered the same way: word numbers, document numbers and weights, no values.
  Stored fields, field lengths, vectors and columns still go through Whoosh's per-document
  writer, call for call as ``SegmentWriter`` makes them.
* At a flush each term's postings are written at once: the W3 block format
  (``W3PostingsWriter._write_block``: header magic, pickled block info, pickled
  ``(delta ids, weights, values)``, zlib, 128 postings a block), the term statistics and
  the terms table, computed from slices per block rather than per posting. For the default
  codec the files are byte-identical to Whoosh's.
* Memory is bounded: past ``limitmb`` of buffered postings the writer finishes the segment
  and starts another; all of them are committed in one table of contents.
* :meth:`BulkSegmentWriter.add_many` builds on several cores: forked worker processes each
  run a ``BulkSegmentWriter`` over a contiguous share of the documents and hand back their
  segments; the parent (which holds the lock) commits them with its own in one table of
  contents, documents numbered in input order.

Everything else is Whoosh's own code: deletions, ``update_document``, the merge policy
(``add_reader`` of small segments during commit), ``cancel``, locking, compound files.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from itertools import chain, count, pairwise, repeat
from pickle import dumps, loads
from typing import Any

from whoosh import columns, formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter
from whoosh.fields import FieldType
from whoosh.multiproc import SubWriterTask
from whoosh.system import emptybytes, pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from corpus_search.analysis.stemming import (
    add_learned_stems,
    learned_stems,
    save_learned_stems,
)
from corpus_search.errors import WorkerError
from corpus_search.store.parallel import can_fork, report_until_done, split_shares, watch_parent
from corpus_search.store.w3 import (
    FAST_PROTOCOL,
    LONGEST_LENGTH,
    MIN_ZIP,
    TERMINFO,
    by_btext,
    decode_positions,
    exact_length_field,
    generic_term,
    identity,
    position_values,
    positions_term,
    unit_term,
    write_hashes,
    write_terms,
)

__all__ = ["DEFAULT_LIMIT_MB", "BulkSegmentWriter"]


#: Buffered postings (estimated MB) after which a writer finishes its segment and starts
#: another. Whoosh's own default ``limitmb`` is 128 (for its posting pool).
DEFAULT_LIMIT_MB = 128


_MB = 1024 * 1024


#: estimated bytes of a new term's buffers (a tuple of three arrays, a dict slot, the key)
_TERM_COST = 320


#: documents between two gc.freeze() calls of a writer made with freeze_gc=True: a build
#: keeps hundreds of thousands of objects alive (documents, analyzer caches), and every
#: full collection walked all of them again: a tenth of a build's time
_FREEZE_EVERY = 256


#: bytes of posting blocks gathered before they are written out
_WRITE_CHUNK = 4 * _MB

#: about how many postings' values a Positions field's writing makes at a time
_VALUES_BATCH = 1 << 16


class _FieldPlan:
    """How postings of one field are buffered (decided once per field and writer)."""

    __slots__ = ("fb", "field", "index_terms", "name", "positions", "scorable", "words")

    def __init__(self, name: str, field: FieldType) -> None:
        self.name = name
        self.field = field
        self.scorable = bool(field.scorable)
        fmt = field.format
        # the compact path needs Whoosh's own Positions encoding and FieldType.index
        self.positions = (
            type(fmt) is formats.Positions and type(field).index is FieldType.index
        )
        self.fb = float(fmt.field_boost) if fmt is not None else 1.0
        analyzer = getattr(field, "analyzer", None)
        self.index_terms = getattr(analyzer, "index_terms", None) if self.positions else None
        # an Existence field (ID, say) whose value is a list of words: its postings are the
        # distinct words, each of weight field boost x document boosts, no value
        self.words = type(fmt) is formats.Existence and type(field).index is FieldType.index


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
        block = bytearray(4 * _MB)
        del block


class BulkSegmentWriter(SegmentWriter):
    """A :class:`~whoosh.writing.SegmentWriter` that inverts documents in memory and
    writes each term's postings in bulk; see the module documentation.

    Takes SegmentWriter's arguments; ``limitmb`` bounds the buffered postings of one
    segment (the writer then starts another segment in the same commit). With ``exact``
    the segment files are byte for byte those Whoosh's writer makes; by default posting
    blocks are pickled with protocol 4 instead of 2 and blocks under 128 bytes are not
    compressed, which reads back as the same postings and is faster to write and to read.

    ``freeze_gc`` (for a process doing little else meanwhile): while the writer is open,
    ``gc.freeze()`` every few hundred documents, so that the collector's full collections
    no longer walk the objects that already exist (a build keeps hundreds of thousands
    alive); ``gc.unfreeze()`` when it commits or cancels. Nothing is done if something else
    froze objects already.
    """

    def __init__(
        self, ix: Any, *args: Any, limitmb: float = DEFAULT_LIMIT_MB, exact: bool = False,
        freeze_gc: bool = False, **kwargs: Any,
    ):
        super().__init__(ix, *args, limitmb=limitmb, **kwargs)
        #: whether this writer keeps the garbage collector's full collections off the
        #: objects that existed before (gc.freeze, undone when the writer finishes)
        self._gc_frozen = False
        self._since_freeze = 0
        if freeze_gc and gc.isenabled() and not gc.get_freeze_count():
            self._gc_frozen = True
            gc.freeze()
        #: write the very bytes Whoosh writes (else: the same content, block data pickled
        #: with a faster protocol and tiny blocks left uncompressed)
        self.exact = exact
        for name, field in self.schema.items():
            if field.separate_spelling():
                self._close_segment()
                self._finish()
                raise NotImplementedError(
                    f"BulkSegmentWriter does not write separate spelling fields ({name!r})"
                )
        self._compound_arg = kwargs.get("compound", True)
        #: processes add_many uses by default
        self.procs = 1
        self._limitmb = limitmb
        self._limit = limitmb * _MB
        #: segments this writer finished before the current one, in document order
        self._done: list[Any] = []
        self._done_docs = 0
        self._toc_written = False
        self._any_added = False
        self._grouping = 0
        self._plans: dict[str, _FieldPlan] = {}
        self._reset_buffers()

    # -- buffers ---------------------------------------------------------------------------

    def _reset_buffers(self) -> None:
        #: fieldname -> {term (bytes) -> buffer tuple}, for fields without positions
        self._buffers: dict[str, dict[Any, tuple]] = {}
        #: fieldname -> the postings of a Positions field (plan.positions)
        self._positions: dict[str, _PositionPostings] = {}
        #: (fieldname, key) of other terms whose postings arrived out of document order
        self._unsorted: set[tuple[str, Any]] = set()
        #: fieldname -> length byte of each document of the current segment
        self._lbytes: dict[str, bytearray] = {}
        #: fieldname -> postings of documents whose value was a list of words (plan.words),
        #: moved into _buffers when the segment is written
        self._words: dict[str, _WordPostings] = {}
        self._bufsize = 0

    def _plan(self, fieldname: str, field: FieldType) -> _FieldPlan:
        plan = self._plans.get(fieldname)
        if plan is None:
            plan = self._plans[fieldname] = _FieldPlan(fieldname, field)
        return plan

    def _record_lengths(self, lengths: dict[str, int]) -> None:
        """Remember the length byte of the document just added, per field (0: none)."""
        lbytes = self._lbytes
        for name, arr in lbytes.items():
            arr.append(lengths.pop(name, 0))
        for name, lb in lengths.items():
            arr = lbytes[name] = bytearray(self.docnum)
            arr.append(lb)

    # -- adding documents ------------------------------------------------------------------

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        schema = self.schema
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        # 1. everything that can fail on bad input, before anything is written
        pending: list[tuple] = []
        perdoc: list[tuple] = []
        lengths: dict[str, int] = {}
        exact: dict[str, int] = {}
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                plan = self._plan(fieldname, field)
                if plan.positions:
                    terms, weights, total = self._invert_positions(plan, value, fieldboost)
                    pending.append((plan, terms, weights, total))
                    length = total
                elif plan.words and isinstance(value, (list, tuple)):
                    words = set(value)
                    "\n".join(words).encode("utf-8")  # raises now on unencodable text
                    pending.append((plan, words, plan.fb * fieldboost, 0))
                    length = len(words)
                else:
                    items = []
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if plan.scorable:
                            length += freq
                        items.append((tbytes, weight * fieldboost, vbytes))
                    pending.append((plan, items, None, 0))
                if not plan.scorable:
                    length = 0
                if length:
                    lengths[fieldname] = length_to_byte(length)
                if length >= LONGEST_LENGTH:
                    exact[fieldname] = length
            vitems = None
            if field.vector:
                vitems = sorted(
                    (text, weight, vbytes)
                    for text, _, weight, vbytes in field.vector.word_values(
                        value, field.analyzer, mode="index"
                    )
                )
            customval = fields.get(f"_stored_{fieldname}", value)
            stored = customval if field.stored else None
            column = field.column_type
            colval = _NO_COLUMN
            if column and customval is not None:
                colval = field.to_column_value(customval)
            perdoc.append((fieldname, field, stored, length, vitems, column, colval))
        for fieldname, length in exact.items():
            perdoc.extend(self._exact_length(fieldname, length))

        # 2. the per-document writer, in SegmentWriter's order of calls
        pdw = self.perdocwriter
        pdw.start_doc(self.docnum)
        try:
            for fieldname, field, stored, length, vitems, column, colval in perdoc:
                if vitems is not None:
                    pdw.add_vector_items(fieldname, field, vitems)
                pdw.add_field(fieldname, field, stored, length)
                if colval is not _NO_COLUMN:
                    pdw.add_column_value(fieldname, column, colval)
        except Exception:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()

        # 3. the postings
        docnum = self.docnum
        for plan, terms, weights, total in pending:
            if plan.positions:
                self._add_positions(plan, docnum, terms, weights, total)
            elif weights is not None:  # a set of words (see above)
                words = self._words.get(plan.name)
                if words is None:
                    words = self._words[plan.name] = _WordPostings(plan.fb)
                self._bufsize += words.add(docnum, terms, weights)
            else:
                self._add_postings(plan.name, docnum, terms)
        self._record_lengths(lengths)
        self._added = self._any_added = True
        self.docnum += 1
        if self._bufsize > self._limit and not self._grouping:
            self.flush()
        if self._gc_frozen:
            self._since_freeze += 1
            if self._since_freeze >= _FREEZE_EVERY:
                self._since_freeze = 0
                gc.collect(1)  # young garbage first: what is frozen is not collected
                gc.freeze()

    def _invert_positions(
        self, plan: _FieldPlan, value: Any, fieldboost: float
    ) -> tuple[dict[str, Any], dict[str, float] | None, int]:
        """``{term: positions}``, explicit weights (``None``: frequency x format boost),
        and the number of positions, for one value of a Positions field."""
        weights = None
        if plan.index_terms is not None and isinstance(value, str):
            terms = plan.index_terms(value)
            if fieldboost != 1.0:
                fb = plan.fb
                weights = {t: (float(len(p)) * fb) * fieldboost for t, p in terms.items()}
        else:
            terms = {}
            fb = plan.fb
            field = plan.field
            for text, freq, weight, vbytes in field.format.word_values(
                value, field.analyzer, mode="index"
            ):
                terms[text] = decode_positions(vbytes)
                weight = weight * fieldboost
                if weight != float(freq) * fb:
                    if weights is None:
                        weights = {}
                    weights[text] = weight
        return terms, weights, sum(map(len, terms.values()))

    def _add_positions(
        self, plan: _FieldPlan, docnum: int, terms: dict[str, Any],
        weights: dict[str, float] | None, total: int,
    ) -> None:
        postings = self._positions.get(plan.name)
        if postings is None:
            postings = self._positions[plan.name] = _PositionPostings(plan.fb)
        self._bufsize += postings.add(docnum, terms, weights, total)

    def _add_postings(
        self, fieldname: str, docnum: int, items: Iterable[tuple[bytes, float, bytes]]
    ) -> None:
        bufs = self._buffers.get(fieldname)
        if bufs is None:
            bufs = self._buffers[fieldname] = {}
        size = 0
        for tbytes, weight, vbytes in items:
            buf = bufs.get(tbytes)
            if buf is None:
                buf = bufs[tbytes] = (tbytes, array("I"), array("d"), [])
                size += _TERM_COST
            docs = buf[1]
            if docs and docnum <= docs[-1]:
                self._unsorted.add((fieldname, tbytes))
            docs.append(docnum)
            buf[2].append(weight)
            buf[3].append(vbytes or emptybytes)
            size += 40 + len(vbytes or b"")
        self._bufsize += size

    def update_document(self, **fields: Any) -> None:
        if not self.segments:  # nothing committed that could hold this document's key
            self.add_document(**fields)
        else:
            super().update_document(**fields)

    def start_group(self) -> None:
        self._grouping += 1

    def end_group(self) -> None:
        if not self._grouping:
            raise Exception("Unbalanced end_group")
        self._grouping -= 1

    def add_field(self, fieldname: str, fieldspec: Any, **kwargs: Any) -> None:
        if self._any_added:
            raise Exception("Can't modify schema after adding data to writer")
        super().add_field(fieldname, fieldspec, **kwargs)
        self._plans.clear()

    def remove_field(self, fieldname: str) -> None:
        if self._any_added:
            raise Exception("Can't modify schema after adding data to writer")
        super().remove_field(fieldname)
        self._plans.clear()

    def doc_count(self) -> int:
        return self._done_docs + self.docnum - self.docbase

    def _exact_length(self, fieldname: str, length: int) -> list[tuple]:
        """The per-document entry writing ``length`` of ``fieldname``, longer than its
        length byte holds, to the schema's column for it (none if it has none)."""
        name = exact_length_field(fieldname)
        if name not in self.schema:
            return []
        field = self.schema[name]
        return [(name, field, None, 0, None, field.column_type, length)]

    # -- merging (add_reader of existing segments during commit) -----------------------------

    def write_per_doc(self, fieldnames: set[str], reader: Any) -> dict[int, int] | None:
        # SegmentWriter.write_per_doc, also recording the length bytes for the postings
        schema = self.schema
        docmap: dict[int, int] | None = {} if reader.has_deletions() else None
        pdw = self.perdocwriter
        cols = {}
        for fieldname in fieldnames:
            fieldobj = schema[fieldname]
            coltype = fieldobj.column_type
            if coltype and reader.has_column(fieldname):
                creader = reader.column_reader(fieldname, coltype)
                if isinstance(creader, columns.TranslatingColumnReader):
                    creader = creader.raw_column()
                cols[fieldname] = creader

        for docnum, stored in reader.iter_docs():
            if docmap is not None:
                docmap[docnum] = self.docnum
            lengths = {}
            pdw.start_doc(self.docnum)
            for fieldname in fieldnames | {s for s in stored if s in self.schema}:
                fieldobj = schema[fieldname]
                length = reader.doc_field_length(docnum, fieldname)
                if length and length >= LONGEST_LENGTH and exact_length_field(fieldname) in cols:
                    # the exact length, so that the field's total (its average) stays exact
                    length = cols[exact_length_field(fieldname)][docnum] or length
                pdw.add_field(fieldname, fieldobj, stored.get(fieldname), length)
                if length:
                    lengths[fieldname] = length_to_byte(length)
                if fieldobj.vector and reader.has_vector(docnum, fieldname):
                    v = reader.vector(docnum, fieldname, fieldobj.vector)
                    pdw.add_vector_matcher(fieldname, fieldobj, v)
                if fieldname in cols:
                    cv = cols[fieldname][docnum]
                    pdw.add_column_value(fieldname, fieldobj.column_type, cv)
            pdw.finish_doc()
            self._record_lengths(lengths)
            self.docnum += 1
        return docmap

    def add_postings_to_pool(self, reader: Any, startdoc: int, docmap: Any) -> None:
        schema = self.schema
        for fieldname, btext, docnum, weight, vbytes in self._process_posts(
            reader.iter_postings(), startdoc, docmap
        ):
            field = schema[fieldname]
            plan = self._plan(fieldname, field)
            if plan.positions:
                text = btext.decode("utf-8")
                poses = decode_positions(vbytes)
                weights = None if weight == float(len(poses)) * plan.fb else {text: weight}
                self._add_positions(plan, docnum, {text: poses}, weights, len(poses))
            else:
                self._add_postings(fieldname, docnum, [(btext, weight, vbytes)])
        self._any_added = True

    # -- writing segments --------------------------------------------------------------------

    def flush(self) -> None:
        """Finish the current segment now (it is committed with the others) and start a
        new one. Does nothing if the current segment is empty."""
        self._check_state()
        if not self._added:
            return
        self._done.append(self._finalize_segment())
        self._done_docs += self.docnum - self.docbase
        self._new_segment()

    def _new_segment(self) -> None:
        from whoosh.writing import PostingPool

        codec = self.codec
        self.docnum = self.docbase = 0
        newsegment = codec.new_segment(self.storage, self.indexname)
        self.newsegment = newsegment
        self.compound = self._compound_arg and newsegment.should_assemble()
        self._added = False
        self.pool = PostingPool(self._tempstorage, newsegment, limitmb=self._limitmb)
        self.perdocwriter = codec.per_document_writer(self.storage, newsegment)
        self.fieldwriter = codec.field_writer(self.storage, newsegment)
        self._reset_buffers()

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
                if buf[3] is None:  # cannot happen: one _WordPostings per field
                    raise AssertionError(f"two word buffers for {fieldname}:{btext!r}")
                buf[1].extend(docs)
                buf[2].extend(weights if weights is not None else [1.0] * len(docs))
                buf[3].extend([emptybytes] * len(docs))
                self._unsorted.add((fieldname, btext))
        self._words = kept

    def _plain_words(self, fieldname: str, words: _WordPostings) -> bool:
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
        self, words: _WordPostings, blocklimit: int, style: tuple[int, int, int]
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

    # -- commit and cancel -------------------------------------------------------------------

    def _commit_toc(self, segments: list[Any]) -> None:
        # SegmentWriter.commit passes [segments kept by the merge policy] + [current segment
        # if it has documents]; the segments finished earlier go before the current one
        # (Whoosh's own order: new documents, then those merged from old segments).
        # A segment whose every document is deleted holds nothing; Whoosh's merge policy
        # keeps a large one, so its files stayed on disk for good (every file of a folder
        # read again after an upgrade doubled the index). Left out of the table of contents,
        # its files are removed with those of the segments merged away.
        segments = [s for s in segments if s is self.newsegment or s.doc_count() > 0]
        if segments and segments[-1] is self.newsegment and self._added:
            segments[-1:-1] = self._done
        else:
            segments.extend(self._done)
        # SegmentWriter._commit_toc, noting when the new TOC is in place: from then on the
        # new segments are the index, and cancel() after a later failure must keep them
        from whoosh.index import TOC, clean_files

        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)
        self._toc_written = True
        clean_files(self.storage, self.indexname, self.generation, segments)
        # the words stemmed for this commit, kept for the processes that search it (a cache
        # file: nothing fails if it cannot be written)
        save_learned_stems()

    def _finish(self) -> None:
        searcher = self._searcher
        try:
            super()._finish()
        finally:
            if searcher is not None:
                # SegmentWriter.searcher() stores the searcher's own close method on it, a
                # reference cycle that kept its segment files open until a full collection
                searcher.__dict__.pop("_orig_close", None)
            if self._gc_frozen:
                self._gc_frozen = False
                gc.unfreeze()

    @property
    def committed(self) -> bool:
        """Whether this writer's table of contents is in place: from then on its segments
        are the index, whatever fails afterwards."""
        return self._toc_written

    def cancel(self) -> None:
        self._check_state()
        try:
            self._close_segment()  # can fail (closing flushes: a full disk)
        finally:
            try:
                if not self._toc_written:  # after a commit that failed late, the files are live
                    for segment in [*self._done, self.newsegment]:
                        _delete_segment_files(self.storage, segment)
                self._done = []
            finally:
                self._finish()

    # -- parallel building -------------------------------------------------------------------

    def add_many(
        self,
        items: Sequence[Any],
        to_fields: Callable[[Any], dict[str, Any]] | None = None,
        *,
        procs: int | None = None,
        costs: Sequence[int] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Add one document per item, ``to_fields(item)`` giving its fields (default: the
        item is the fields dict); return how many were added.

        With ``procs > 1`` (default: the writer's ``procs``) the items are split into
        ``procs`` contiguous shares (of about equal ``costs``; default: equal counts), each
        indexed by a forked worker process into its own segments; this writer commits them,
        in input order, with its own. Workers leave when this process dies and never hold
        the write lock on their own. Where processes cannot be forked, the items are added
        here. ``progress(done)`` is called now and then with how many items have been added
        so far (workers count in shared memory, read by this process while it waits).
        """
        self._check_state()
        convert = to_fields or identity
        procs = min(self.procs if procs is None else procs, len(items))
        if procs <= 1 or self._grouping or not can_fork():  # a group stays in one segment
            for n, item in enumerate(items, 1):
                self.add_document(**convert(item))
                if progress is not None:
                    progress(n)
            return len(items)
        shares = split_shares(len(items), procs, costs)
        # documents added so far come first; lazy work (lexicon, stemmer) is done once,
        # here, and inherited by every worker
        self.flush()
        self._warm_up(convert(items[0]))
        before = set(self.storage.list())
        tasks = []
        # one slot per worker: how many of its items it has added (inherited by fork)
        counts = multiprocessing.RawArray("q", len(shares)) if progress is not None else None
        try:
            for slot, (start, end) in enumerate(shares):
                tasks.append(_BulkTask(self, items, start, end, convert, counts, slot))
            for task in tasks:
                task.launch()
            if progress is not None:
                report_until_done(tasks, counts, progress)
            results = [task.result() for task in tasks]
        except BaseException:
            for task in tasks:
                task.stop()
            self._remove_worker_files(before)
            raise
        for segments, docs, stems in results:
            self._done.extend(segments)
            self._done_docs += docs
            add_learned_stems(stems)  # saved with ours when this writer commits
        self._any_added = True
        return len(items)

    def _remove_worker_files(self, before: set[str]) -> None:
        """Delete the segment files that appeared since ``before`` (we hold the lock, so
        they are our workers'), except this writer's own."""
        from whoosh.index import TOC

        pattern = TOC._segment_pattern(self.indexname)
        ours = {s.segment_id() for s in [*self._done, self.newsegment]}
        for name in set(self.storage.list()) - before:
            m = pattern.match(name)
            if m and m.group(1) not in ours:
                with contextlib.suppress(OSError):
                    self.storage.delete_file(name)

    def _warm_up(self, fields: dict[str, Any]) -> None:
        """Analyse one document's fields once (results discarded), so lazily loaded data
        is loaded before workers fork rather than in each of them."""
        for fieldname, value in fields.items():
            if fieldname.startswith("_") or fieldname not in self.schema:
                continue
            field = self.schema[fieldname]
            if field.indexed and isinstance(value, str):
                plan = self._plan(fieldname, field)
                if plan.positions:
                    self._invert_positions(plan, value, 1.0)

    def _worker_segments(self) -> tuple[list[Any], int]:
        """In a worker: finish the current segment, return every segment written and the
        number of documents; the temporary folder is shared, so it is left to the parent."""
        if self._added:
            self._done.append(self._finalize_segment())
            self._done_docs += self.docnum - self.docbase
        else:
            self._close_segment()
            _delete_segment_files(self.storage, self.newsegment)
        if self._searcher is not None:
            self._searcher._orig_close()
            self._searcher = None
        self.is_closed = True
        return self._done, self._done_docs


_NO_COLUMN = object()


class _WordPostings:
    """The postings of one field's word lists in a segment, as parallel arrays (word number,
    document number, weight), inverted only when the segment is written: adding a document's
    words is a few calls in compiled code, not a Python loop over them."""

    __slots__ = ("docs", "ids", "weight", "weights", "words")

    def __init__(self, weight: float) -> None:
        #: word -> its number, given in order of first use
        self.words: defaultdict[str, int] = defaultdict(count().__next__)
        self.ids = array("I")
        self.docs = array("I")
        #: the usual weight (the format's field boost) ...
        self.weight = weight
        #: ... and each posting's weight, once one differs from it
        self.weights: array | None = None

    def add(self, docnum: int, words: Collection[str], weight: float) -> int:
        """Add a posting of ``weight`` for each of the distinct ``words``; return the
        estimated bytes this held."""
        known = len(self.words)
        before = len(self.ids)
        self.ids.extend(map(self.words.__getitem__, words))
        n = len(self.ids) - before
        self.docs.extend(repeat(docnum, n))
        if self.weights is None and weight != self.weight:
            self.weights = array("d", repeat(self.weight, before))
        if self.weights is not None:
            self.weights.extend(repeat(weight, n))
        return (8 if self.weights is None else 16) * n + _TERM_COST * (len(self.words) - known)

    def sorted_rows(self) -> Iterable[tuple[bytes, array]]:
        """(btext, document numbers) of each word in term order, documents in order (for
        postings of one weight)."""
        import numpy as np

        if not self.ids:
            return
        ids = np.frombuffer(self.ids, dtype=f"u{self.ids.itemsize}")
        docs = np.frombuffer(self.docs, dtype=f"u{self.docs.itemsize}")
        order = np.lexsort((docs, ids))
        # every word number has postings: word n's are the n-th run of equal numbers
        bounds = [0, *(np.flatnonzero(np.diff(ids[order])) + 1).tolist(), len(ids)]
        all_docs = array("I", docs[order].tobytes())
        names = [(word.encode("utf-8"), n) for word, n in self.words.items()]
        names.sort()
        for btext, n in names:
            yield btext, all_docs[bounds[n] : bounds[n + 1]]

    def rows(self) -> Iterable[tuple[bytes, array, array | None]]:
        """(btext, document numbers, weights) of each word, documents in order; weights
        ``None``: all 1.0."""
        import numpy as np

        if not self.ids:
            return
        ids = np.frombuffer(self.ids, dtype=f"u{self.ids.itemsize}")
        docs = np.frombuffer(self.docs, dtype=f"u{self.docs.itemsize}")
        order = np.lexsort((docs, ids))
        ids = ids[order]
        starts = (np.flatnonzero(np.diff(ids)) + 1).tolist()
        firsts = ids[[0, *starts]].tolist()
        all_docs = array("I", docs[order].tobytes())
        all_weights = None if self.weights is None else array(
            "d", np.frombuffer(self.weights)[order].tobytes()
        )
        one = array("d", [self.weight])
        words = list(self.words)
        for number, (a, b) in zip(firsts, pairwise([0, *starts, len(ids)]), strict=True):
            if all_weights is not None:
                weights: array | None = all_weights[a:b]
            elif self.weight == 1.0:
                weights = None
            else:
                weights = one * (b - a)
            yield words[number].encode("utf-8"), all_docs[a:b], weights


class _PositionPostings:
    """The postings of one Positions field in a segment, as flat arrays: per posting its
    term number, document number and frequency, and every posting's positions one after
    the other. Adding a document's terms is a few calls in compiled code, not a Python loop
    over its terms; the postings are grouped by term (NumPy) only when the segment is
    written."""

    __slots__ = ("counts", "docs", "explicit", "fb", "ids", "poses", "terms", "weights")

    def __init__(self, fb: float) -> None:
        #: the field's format boost: a posting's weight is frequency x fb unless explicit
        self.fb = fb
        #: term -> its number, given in order of first use
        self.terms: defaultdict[str, int] = defaultdict(count().__next__)
        self.ids = array("I")
        self.docs = array("I")
        self.counts = array("I")
        self.poses = array("I")
        #: each posting's weight, once a posting had an explicit one ...
        self.weights: array | None = None
        #: ... and the numbers of the terms that had one
        self.explicit: set[int] = set()

    def __len__(self) -> int:
        return len(self.ids)

    def add(
        self, docnum: int, terms: dict[str, Any], weights: dict[str, float] | None, total: int
    ) -> int:
        """Add a document's ``{term: positions}`` (``total`` positions in all) and explicit
        ``weights`` (None: frequency x fb); return the estimated bytes this held."""
        "\n".join(terms).encode("utf-8")  # raises on unencodable text, as Whoosh does
        known = len(self.terms)
        before = len(self.ids)
        self.ids.extend(map(self.terms.__getitem__, terms))
        n = len(self.ids) - before
        self.docs.extend(repeat(docnum, n))
        self.counts.extend(map(len, terms.values()))
        self.poses.extend(chain.from_iterable(terms.values()))
        if weights is not None and self.weights is None:
            fb = self.fb
            self.weights = array("d", [float(c) * fb for c in self.counts[:before]])
        if self.weights is not None:
            fb = self.fb
            own = weights or {}
            self.weights.extend(
                [own.get(t, float(len(p)) * fb) for t, p in terms.items()]
            )
            self.explicit.update(map(self.terms.__getitem__, own))
        return 12 * n + 4 * total + _TERM_COST * (len(self.terms) - known)

    def rows(self) -> Iterable[tuple[bytes, array, array, array | None, list[bytes]]]:
        """(btext, document numbers, frequencies, explicit weights or None, the postings'
        ``Positions`` values) of each term in term order, postings in the order they were
        added."""
        import numpy as np

        if not self.ids:
            return
        u = f"u{self.ids.itemsize}"  # array("I")
        names = [(term.encode("utf-8"), t) for term, t in self.terms.items()]
        names.sort()
        # the postings in term order (each term's in the order added), by the terms' ranks
        rank = np.empty(len(names), dtype=np.int64)
        rank[[t for _, t in names]] = np.arange(len(names))
        ranks = rank[np.frombuffer(self.ids, dtype=u)]
        counts = np.frombuffer(self.counts, dtype=u).astype(np.int64)
        order = np.argsort(ranks, kind="stable")
        # the positions of the postings in that order: posting k's run starts where its
        # positions are in `poses` (starts), and goes where the runs before it end (ends)
        ends = np.cumsum(counts)
        sorted_counts = counts[order]
        out_ends = np.cumsum(sorted_counts)
        shift = np.repeat((ends - counts)[order] - (out_ends - sorted_counts), sorted_counts)
        poses = np.frombuffer(self.poses, dtype=u)[np.arange(len(self.poses)) + shift]
        all_docs = array("I", np.frombuffer(self.docs, dtype=u)[order].tobytes())
        all_counts = array("I", sorted_counts.astype(u).tobytes())
        weights = self.weights
        all_weights = None if weights is None else array(
            "d", np.frombuffer(weights)[order].tobytes()
        )
        # every term has postings: the term of rank r has the r-th run of equal ranks
        bounds = [0, *(np.flatnonzero(np.diff(ranks[order])) + 1).tolist(), len(order)]
        explicit = self.explicit
        # the values are made a batch of terms at a time (a list of all of them would take
        # ~56 bytes a posting: ~450 MB for a full segment)
        values: list[bytes] = []
        base = stop = 0
        for r, (btext, t) in enumerate(names):
            a, b = bounds[r], bounds[r + 1]
            if b > stop:
                base = a
                stop = bounds[min(bisect_left(bounds, a + _VALUES_BATCH), len(names))]
                stop = max(stop, b)
                at = out_ends[a - 1] if a else 0
                values = _position_values(
                    sorted_counts[a:stop], out_ends[a:stop] - at, poses[at : out_ends[stop - 1]]
                )
            yield (
                btext, all_docs[a:b], all_counts[a:b],
                all_weights[a:b] if t in explicit else None, values[a - base : b - base],
            )


def _position_values(counts: Any, ends: Any, poses: Any) -> list[bytes]:
    """The ``Positions`` value of each posting (:func:`w3.position_values
    <corpus_search.store.w3.position_values>`), from the NumPy arrays of the postings'
    frequencies, where their positions end, and their positions one after the other."""
    import numpy as np

    starts = ends - counts
    firsts = poses[starts]
    several = np.flatnonzero(counts != 1)
    if not len(several):
        return position_values(firsts.tolist(), ())
    deltas = np.diff(poses.astype(np.int64), prepend=0)
    deltas[starts] = firsts
    dl = deltas.tolist()
    return position_values(firsts.tolist(), (
        (k, dl[a : a + c])
        for k, a, c in zip(several.tolist(), starts[several].tolist(),
                           counts[several].tolist(), strict=True)
    ))


def _delete_segment_files(storage: Any, segment: Any) -> None:
    """Remove every file of an uncommitted segment (they would be cleaned up at the next
    commit anyway)."""
    prefix = segment.make_filename(".")
    for name in list(storage.list()):
        if name.startswith(prefix):
            with contextlib.suppress(OSError):
                storage.delete_file(name)


class _BulkTask(SubWriterTask):  # type: ignore[misc]
    """A forked worker indexing ``items[start:end]`` into its own segments.

    It subclasses Whoosh's ``SubWriterTask`` (the multiprocess writer's helper process) so
    that code watching Whoosh's helper processes sees these too; nothing of its job queue
    protocol is used. The worker inherits the items by fork (nothing is pickled on the way
    in), closes its copy of the write lock's descriptor (the lock dies with the parent) and
    exits as soon as it is orphaned.
    """

    _Popen = staticmethod(multiprocessing.get_context("fork").Process._Popen) if (
        "fork" in multiprocessing.get_all_start_methods()
    ) else None

    def __init__(
        self, parent: BulkSegmentWriter, items: Sequence[Any], start: int, end: int,
        to_fields: Callable[[Any], dict[str, Any]],
        counts: Any = None,
        slot: int = 0,
    ) -> None:
        multiprocessing.Process.__init__(self, daemon=True)
        self._parent_writer = parent
        self._items = items
        self._range = (start, end)
        self._to_fields = to_fields
        self._counts = counts
        self._slot = slot
        self._receiver, self._sender = multiprocessing.Pipe(duplex=False)
        self.segments: list[Any] = []

    def launch(self) -> None:
        self.start()
        self._sender.close()

    def run(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides, and stops us
        self._receiver.close()
        parent = self._parent_writer
        lock = parent.writelock
        if lock is not None and getattr(lock, "fd", None) is not None:
            with contextlib.suppress(OSError):
                os.close(lock.fd)
        watch_parent()
        try:
            ix = _WorkerIndex(parent)
            gc.freeze()  # what we inherited: never walked by our collections, nor copied
            writer = BulkSegmentWriter(
                ix, _lk=False, limitmb=parent._limitmb, codec=parent.codec,
                compound=parent._compound_arg, exact=parent.exact,
            )
            writer._gc_frozen = True  # our own process: freeze as we go
            start, end = self._range
            items = self._items
            convert = self._to_fields
            add = writer.add_document
            counts, slot = self._counts, self._slot
            for i in range(start, end):
                add(**convert(items[i]))
                if counts is not None:
                    counts[slot] = i - start + 1
            segments, docs = writer._worker_segments()
            self._sender.send_bytes(dumps(("ok", (segments, docs, learned_stems())), -1))
        except BaseException as exc:
            described = f"{type(exc).__name__}: {exc}"
            try:
                payload = dumps(exc, -1)
            except Exception:
                payload = None
            self._sender.send_bytes(dumps(("error", (payload, described)), -1))
        finally:
            self._sender.close()

    def result(self) -> tuple[list[Any], int, dict[str, str]]:
        """Wait for the worker; its segments, document count and the stems it computed (see
        :mod:`~corpus_search.analysis.stemming`), or raise its error."""
        try:
            status, payload = loads(self._receiver.recv_bytes())
        except EOFError:
            self.join()
            raise WorkerError(
                f"a writer process died (exit code {self.exitcode})", self.exitcode
            ) from None
        finally:
            self._receiver.close()
        self.join()
        if status != "ok":
            pickled, described = payload
            try:
                exc = loads(pickled) if pickled is not None else None
            except Exception:
                exc = None
            if not isinstance(exc, BaseException):
                exc = WorkerError(described)
            raise exc
        self.segments = payload[0]
        return payload

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            if self.is_alive():
                self.terminate()
            self.join(5)
        with contextlib.suppress(Exception):
            self._receiver.close()


class _WorkerIndex:
    """What SegmentWriter needs of an index, taken from the parent writer: the worker
    writes new segments only, so the committed ones it would read are irrelevant."""

    def __init__(self, parent: BulkSegmentWriter) -> None:
        self.storage = parent.storage
        self.indexname = parent.indexname
        self._info = _TocInfo(parent.generation - 1, parent.schema)

    def _read_toc(self) -> Any:
        return self._info


class _TocInfo:
    def __init__(self, generation: int, schema: Any) -> None:
        self.generation = generation
        self.schema = schema
        self.segments: list[Any] = []
