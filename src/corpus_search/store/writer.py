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

The class is made of mixins, one module each: the buffers and the adding of postings to
them (:mod:`~corpus_search.store.posting_buffers`), the writing of a segment's postings and
term table (:mod:`~corpus_search.store.segment_postings`) and ``add_many``'s forked workers
(:mod:`~corpus_search.store.bulk_workers`); here are the rest (adding a document and its
per-document writing, merging, starting segments, commit and cancel).
"""

from __future__ import annotations

import gc
from typing import Any

from whoosh import columns
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from corpus_search.analysis.stemming import save_learned_stems
from corpus_search.store.bulk_workers import ParallelBuilding, delete_segment_files
from corpus_search.store.posting_buffers import FieldPlan, PostingBuffers, WordPostings
from corpus_search.store.segment_postings import MB, PostingsWriting
from corpus_search.store.w3 import LONGEST_LENGTH, decode_positions, exact_length_field

__all__ = ["DEFAULT_LIMIT_MB", "BulkSegmentWriter"]


#: Buffered postings (estimated MB) after which a writer finishes its segment and starts
#: another. Whoosh's own default ``limitmb`` is 128 (for its posting pool).
DEFAULT_LIMIT_MB = 128


#: documents between two gc.freeze() calls of a writer made with freeze_gc=True: a build
#: keeps hundreds of thousands of objects alive (documents, analyzer caches), and every
#: full collection walked all of them again: a tenth of a build's time
_FREEZE_EVERY = 256


class BulkSegmentWriter(PostingBuffers, PostingsWriting, ParallelBuilding, SegmentWriter):
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
        self._limit = limitmb * MB
        #: segments this writer finished before the current one, in document order
        self._done: list[Any] = []
        self._done_docs = 0
        self._toc_written = False
        self._any_added = False
        self._grouping = 0
        self._plans: dict[str, FieldPlan] = {}
        self._reset_buffers()

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
                    items, length = self._index_items(plan, value, fieldboost)
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
                    words = self._words[plan.name] = WordPostings(plan.fb)
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
                        delete_segment_files(self.storage, segment)
                self._done = []
            finally:
                self._finish()

_NO_COLUMN = object()
