"""The bulk writer (``corpus_search.writer``) writes the index Whoosh's writer writes.

Every test builds the same documents twice, once with Whoosh's own ``SegmentWriter`` and
once with :class:`BulkSegmentWriter`, and compares what Whoosh reads back: every field's
terms, each term's postings (document, weight, encoded value: the positions phrase
queries use) and statistics, posting blocks, field lengths, stored fields, columns and BM25F
search results.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields as wf
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.qparser import MultifieldParser
from whoosh.query import Phrase, Term
from whoosh.scoring import BM25F
from whoosh.writing import SegmentWriter

from conftest import BBC, REPO, SEEDS, closed_after_the_test, needs_shared, write_corpus
from corpus_search import ingesting
from corpus_search.errors import WorkerError
from corpus_search.index import CorpusIndex
from corpus_search.ingest.files import iter_source_files, read_file
from corpus_search.ingest.model import Document
from corpus_search.store import bulk_workers, parallel
from corpus_search.store.writer import BulkSegmentWriter

FIXTURES = REPO / "tests" / "fixtures"

QUERIES = [
    "labour party",
    '"prime minister"',
    "lib dems",
    "tax OR economy OR budget",
    "by-election",
    "conservatives -labour",
    "title:minister",
]

# -- corpora ---------------------------------------------------------------------------------


def folder_documents(root: Path) -> list[Document]:
    docs: list[Document] = []
    for path in iter_source_files(root):
        docs.extend(read_file(path, root).documents)
    return docs


_VOCABULARY = (
    "the government said labour would raise taxes on the economy while conservatives and "
    "liberal democrats argued about schools hospitals and the budget chancellor prime "
    "minister tony blair gordon brown michael howard charles kennedy election campaign "
    "voters polls parliament commons lords minister secretary policy reform pensions "
    "immigration asylum iraq war europe referendum council tax jobs unemployment wages "
    "prices growth interest rates bank england city markets shares profits"
)
_WORDS = _VOCABULARY.split()
_PHRASES = [
    "Lib Dems", "Liberal Democrats", "Prime Minister", "Parliamentary Labour Party",
    "by-election", "Chancellor of the Exchequer", "House of Commons", "Plaid Cymru",
    "pre-Budget report", "Tories", "SNP", "New Labour", "Downing Street", "MPs'",
    "café society", "naïve", "Œuvre", "rôle", "2005", "1,000", "e-mail", "co-operation",
]


def generated_documents(n: int = 420, seed: int = 7) -> list[Document]:
    """Documents from a seeded mix of common words and lexicon phrases: some terms occur in
    more than 128 documents (several posting blocks), some once; a few titles or bodies
    are empty."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        def text(lo: int, hi: int) -> str:
            out = []
            for _ in range(rng.randint(lo, hi)):
                pick = rng.random()
                if pick < 0.12:
                    out.append(rng.choice(_PHRASES))
                elif pick < 0.14:
                    out.append(f"word{rng.randint(0, 5000)}")
                else:
                    out.append(rng.choice(_WORDS))
            sentence = " ".join(out)
            return sentence[:1].upper() + sentence[1:] + ("." if out else "")

        title = "" if i % 97 == 5 else text(2, 9)
        body = "" if i % 89 == 3 else "\n\n".join(text(5, 60) for _ in range(rng.randint(1, 6)))
        date = dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(700)) if i % 3 else None
        docs.append(
            Document(
                id=f"gen-{i:04d}", title=title, body=body, date=date,
                source=rng.choice([None, "bbc", "hansard"]),
                url=f"https://example.org/{i}" if i % 2 else None,
                path=f"folder{i % 7}/doc{i}.txt",
            )
        )
    return docs


CORPORA: dict[str, Callable[[], list[Document]]] = {
    "seeds": lambda: folder_documents(SEEDS),
    "fixtures": lambda: folder_documents(FIXTURES / "eval" / "docs")
    + folder_documents(FIXTURES / "ingest"),
    "generated": generated_documents,
}


@pytest.fixture(scope="module")
def corpora() -> dict[str, list[Document]]:
    return {name: make() for name, make in CORPORA.items()}


# -- building --------------------------------------------------------------------------------


def new_index(path: Path) -> CorpusIndex:
    return closed_after_the_test(CorpusIndex(path))


def build(
    path: Path,
    docs: Sequence[Document],
    writer_class: type = BulkSegmentWriter,
    *,
    batches: int = 1,
    **kwargs: Any,
) -> CorpusIndex:
    """Index ``docs`` at ``path`` with ``writer_class``, committing ``batches`` times."""
    ix = new_index(path)
    size = -(-len(docs) // batches)
    for start in range(0, len(docs), size):
        writer = writer_class(ix.whoosh_index, **kwargs)
        for doc in docs[start : start + size]:
            writer.update_document(**ix.document_fields(doc))
        writer.commit()
    return ix


def segment_count(ix: CorpusIndex) -> int:
    return len(ix.whoosh_index._segments())


# -- what Whoosh reads back --------------------------------------------------------------------


def _postings(matcher: Any) -> list[tuple[int, float, bytes | None]]:
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return out


def _blocks(matcher: Any) -> list[tuple]:
    while not hasattr(matcher, "block_min_id"):  # a filter leaving out deleted documents
        matcher = matcher.child
    out = []
    while matcher.is_active():
        out.append((
            matcher.block_min_id(), matcher.block_max_id(), matcher.block_max_weight(),
            matcher.block_min_length(), matcher.block_max_length(),
        ))
        matcher.skip_to(matcher.block_max_id() + 1)
    return out


def content(ix: Any, *, blocks: bool = True) -> dict[str, Any]:
    """Everything a reader of the index sees (``ix``: a CorpusIndex or a Whoosh index)."""
    whoosh_ix = getattr(ix, "whoosh_index", ix)
    schema = whoosh_ix.schema
    out: dict[str, Any] = {}
    with whoosh_ix.reader() as r:
        total = r.doc_count_all()
        live = [d for d in range(total) if not r.is_deleted(d)]
        out["counts"] = (total, r.doc_count(), [d for d in range(total) if r.is_deleted(d)])
        out["stored"] = [r.stored_fields(d) for d in live]
        for name in sorted(r.indexed_field_names()):
            field = schema[name]
            terms = {}
            for text in r.lexicon(name):
                info = r.term_info(name, text)
                terms[text] = {
                    "postings": _postings(r.postings(name, text)),
                    "doc_frequency": r.doc_frequency(name, text),
                    "frequency": r.frequency(name, text),
                    "info": (
                        info.weight(), info.doc_frequency(), info.min_length(),
                        info.max_length(), info.max_weight(), info.min_id(), info.max_id(),
                    ),
                }
                if blocks:  # per segment
                    terms[text]["blocks"] = [
                        (offset, _blocks(sub.postings(name, text)))
                        for sub, offset in r.leaf_readers()
                        if (name, text) in sub
                    ]
                if field.format.supports("positions"):
                    m = r.postings(name, text)
                    terms[text]["positions"] = []
                    while m.is_active():
                        terms[text]["positions"].append(m.value_as("positions"))
                        m.next()
            out[f"terms:{name}"] = terms
            if field.scorable:
                out[f"lengths:{name}"] = (
                    r.field_length(name), r.min_field_length(name), r.max_field_length(name),
                    [r.doc_field_length(d, name) for d in range(total)],
                )
        for name in sorted(schema.names()):
            # per segment: Whoosh's MultiReader.column_reader leaves out segments without
            # the column and then misnumbers (or overruns) the rest
            if schema[name].column_type:
                values = out[f"column:{name}"] = []
                for sub, _offset in r.leaf_readers():
                    column = sub.column_reader(name, translate=False)
                    values.extend(column[d] for d in range(sub.doc_count_all()))
    return out


def search_results(ix: Any, queries: Iterable[str] = QUERIES, *, top: bool = True) -> dict:
    """The hits (document id, BM25F score) of each query: all of them, ranked, and with
    ``top`` the top 25 as Whoosh's block-skipping collector finds them.

    Whoosh's top-N search over several segments can miss a document of the true top N
    (its quality skipping starts each segment with the previous ones' threshold); an
    index written by Whoosh's own writer in the same segments misses the same ones, so
    compare ``top`` results only between indexes segmented alike.
    """
    whoosh_ix = getattr(ix, "whoosh_index", ix)
    parser = MultifieldParser(["title", "body"], whoosh_ix.schema)
    out = {}
    direct = [Term("body", "labour"), Phrase("body", ["prime", "minist"]), Term("party", "Labour")]
    with whoosh_ix.searcher(weighting=BM25F()) as s:
        for q in [parser.parse(text) for text in queries] + direct:
            out[f"all {q!r}"] = [(h["id"], h.score) for h in s.search(q, limit=None)]
            if top:
                out[f"top {q!r}"] = [(h["id"], h.score) for h in s.search(q, limit=25)]
    return out


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert a[key] == b[key], f"{key} differs"


def segment_files(path: Path) -> dict[str, bytes]:
    """The bytes of each file of a single-segment index, by extension (ids differ)."""
    out = {}
    for p in path.iterdir():
        if p.name.startswith("MAIN_") and "." in p.name:
            out[p.name.split(".", 1)[1]] = p.read_bytes()
    return out


# -- same content as Whoosh's writer -----------------------------------------------------------


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_an_index_built_by_the_bulk_writer_holds_what_whoosh_s_writer_writes(
    tmp_path: Path, corpora: dict[str, list[Document]], corpus: str
):
    """Terms, postings (documents, weights, positions), term statistics, posting blocks,
    field lengths, stored fields, columns and BM25F results equal those of an index built
    by Whoosh's SegmentWriter from the same documents."""
    docs = corpora[corpus]
    stock = build(tmp_path / "stock", docs, SegmentWriter)
    bulk = build(tmp_path / "bulk", docs)
    assert_same(content(stock), content(bulk))
    assert search_results(stock) == search_results(bulk)
    assert len(bulk) == len(docs)


@pytest.mark.parametrize("corpus", ["seeds", "generated"])
def test_in_exact_mode_the_segment_files_are_byte_identical(
    tmp_path: Path, corpora: dict[str, list[Document]], corpus: str
):
    """With ``exact=True`` every file of the segment has Whoosh's very bytes (the default
    pickles posting blocks with a faster protocol: same content, other bytes)."""
    docs = corpora[corpus]
    build(tmp_path / "stock", docs, SegmentWriter, compound=False)
    build(tmp_path / "exact", docs, exact=True, compound=False)
    build(tmp_path / "fast", docs, compound=False)
    stock, exact, fast = (segment_files(tmp_path / n) for n in ("stock", "exact", "fast"))
    assert stock.keys() == exact.keys() == fast.keys()
    for ext in stock:
        assert stock[ext] == exact[ext], ext
    assert len(fast["pst"]) < len(stock["pst"])


def test_the_fallback_without_index_terms_writes_the_same_content(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """An analyzer without ``index_terms`` goes through ``Positions.word_values``, as
    Whoosh does; the index is the same."""
    docs = corpora["generated"][:150]
    stock = build(tmp_path / "stock", docs, SegmentWriter)
    ix = new_index(tmp_path / "fallback")
    writer = BulkSegmentWriter(ix.whoosh_index, exact=True)
    for name in ("title", "body"):
        writer._plan(name, writer.schema[name]).index_terms = None
    for doc in docs:
        writer.add_document(**ix.document_fields(doc))
    writer.commit()
    assert_same(content(stock), content(ix))


def _plain_schema() -> wf.Schema:
    return wf.Schema(
        key=wf.ID(stored=True, unique=True),
        text=wf.TEXT(analyzer=StemmingAnalyzer(), stored=True, phrase=True),
        nophrase=wf.TEXT(phrase=False),
        chars=wf.TEXT(chars=True),
        vec=wf.TEXT(vector=True),
        tags=wf.KEYWORD(commas=True, scorable=True, lowercase=True),
        num=wf.NUMERIC(stored=True, sortable=True),
        nums=wf.NUMERIC(int),
        flag=wf.BOOLEAN(),
        when=wf.DATETIME(sortable=True),
        note=wf.STORED,
        words=wf.ID(),  # given a list of words, as corpus_search's own ``words`` field
        code=wf.ID(field_boost=1.5),  # a boosted ID field, its term made by the bulk writer
    )


def _plain_docs(n: int, boosts: bool = True) -> list[dict[str, Any]]:
    rng = random.Random(3)
    docs = []
    for i in range(n):
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 40)))
        doc: dict[str, Any] = {
            "key": f"k{i}", "text": words, "nophrase": words, "chars": words, "vec": words,
            "tags": ",".join(rng.sample(["a", "b", "Cc", "d"], rng.randint(0, 3))),
            "num": rng.randint(-5, 50), "nums": [rng.randint(0, 3) for _ in range(3)],
            "flag": bool(i % 2), "when": dt.datetime(2000 + i % 20, 1 + i % 12, 1),
            "note": {"i": i},
            # a list with repeats (indexed once each), now and then a plain string
            "words": (
                rng.choice(_WORDS) if i % 13 == 0
                else [rng.choice([*_WORDS, "Blair", "Café"]) for _ in range(rng.randint(0, 30))]
            ),
        }
        if i % 4:
            doc["code"] = f"C{i % 17}" if i % 9 else ""
        if i % 3 == 0 and boosts:
            doc["_code_boost"] = 3.0
        if i % 5 == 0 and boosts:
            doc["_text_boost"] = 2.5
        if i % 7 == 0 and boosts:
            doc["_boost"] = 0.5
        if i % 11 == 0:
            doc["_stored_text"] = "custom stored value"
        docs.append(doc)
    return docs


@pytest.mark.parametrize("boosts", [True, False])
def test_any_whoosh_schema_and_boosts_give_whoosh_s_bytes(tmp_path: Path, boosts: bool):
    """Beyond our schema: fields with frequencies only, characters, vectors, keywords,
    numbers (several terms per value, lists), booleans, lists of words in an ID field
    (some documents giving a string instead), a boosted ID field, document and field boosts
    and custom stored values; in exact mode the files are Whoosh's, byte for byte."""
    docs = _plain_docs(300, boosts)
    built = {}
    for name, cls, kwargs in (
        ("stock", SegmentWriter, {}), ("exact", BulkSegmentWriter, {"exact": True}),
        ("fast", BulkSegmentWriter, {}),
    ):
        path = tmp_path / name
        path.mkdir()
        ix = whoosh_index.create_in(str(path), _plain_schema())
        writer = cls(ix, compound=False, **kwargs)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        built[name] = ix
    stock, exact = segment_files(tmp_path / "stock"), segment_files(tmp_path / "exact")
    assert stock.keys() == exact.keys()
    for ext in stock:
        assert stock[ext] == exact[ext], ext
    assert_same(content(built["stock"]), content(built["fast"]))


@pytest.mark.parametrize("lists", ["varied", "all empty", "one word each"])
def test_a_field_of_word_lists_alone_gives_whoosh_s_bytes(tmp_path: Path, lists: str):
    """A field given only lists of words (corpus_search's ``words`` field: each
    document's distinct words) is written straight from its lists, in term order, a word of
    one document as every other word of that document: the files are Whoosh's, byte for
    byte in exact mode, whether the words occur in one document or many, no document gives
    a word (the field then has no number in the segment), or every word is in one
    document."""
    rng = random.Random(5)
    vocabulary = [*_WORDS, "Blair", "Café", "naïve", "MPs"]
    docs: list[dict[str, Any]] = []
    for i in range(400):
        if lists == "all empty":
            words: list[str] = []
        elif lists == "one word each":
            words = [f"word{i}"]
        else:  # repeats, empty lists, words of one document, words of most documents
            words = [rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 5, 30, 200]))]
            words += [f"only{i}-{k}" for k in range(i % 4)]
        docs.append({"key": f"k{i}", "words": words})
    schema = wf.Schema(key=wf.ID(stored=True, unique=True), words=wf.ID())
    for name, cls, kwargs in (
        ("stock", SegmentWriter, {}), ("exact", BulkSegmentWriter, {"exact": True}),
    ):
        (tmp_path / name).mkdir()
        ix = whoosh_index.create_in(str(tmp_path / name), schema)
        writer = cls(ix, compound=False, **kwargs)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
    stock, exact = segment_files(tmp_path / "stock"), segment_files(tmp_path / "exact")
    assert stock.keys() == exact.keys()
    for ext in stock:
        assert stock[ext] == exact[ext], ext


# -- segments, commits, merges -----------------------------------------------------------------


def test_flushing_several_segments_gives_the_same_content(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """Past ``limitmb`` of buffered postings the writer finishes a segment and starts
    another; all are committed together, documents in input order, same content."""
    docs = corpora["generated"]
    stock = build(tmp_path / "stock", docs, SegmentWriter)
    bulk = build(tmp_path / "bulk", docs, limitmb=0.6)
    assert 3 <= segment_count(bulk) <= 12
    assert_same(content(stock, blocks=False), content(bulk, blocks=False))
    assert search_results(stock, top=False) == search_results(bulk, top=False)
    # Whoosh's writer committing the same documents in the same segments: same blocks,
    # same top-N results
    alike = new_index(tmp_path / "alike")
    start = 0
    for segment in bulk.whoosh_index._segments():
        writer = SegmentWriter(alike.whoosh_index)
        for doc in docs[start : start + segment.doc_count_all()]:
            writer.add_document(**alike.document_fields(doc))
        writer.commit(merge=False)
        start += segment.doc_count_all()
    assert_same(content(alike), content(bulk))
    assert search_results(alike) == search_results(bulk)


def test_updates_deletions_and_merges_across_commits_match_whoosh(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """The same sequence of commits (new documents, replaced ones, deletions, Whoosh's
    merge policy folding small segments into new ones, an optimize) leaves the same index."""
    docs = corpora["generated"][:240]
    changed = [
        Document(id=d.id, title=d.title + " revised", body=d.body[::-1], date=d.date)
        for d in docs[::9]
    ]
    indexes = {}
    for name, cls in (("stock", SegmentWriter), ("bulk", BulkSegmentWriter)):
        ix = new_index(tmp_path / name)
        states = []
        for k in range(8):  # eight small commits: Whoosh's policy merges segments
            w = cls(ix.whoosh_index)
            for doc in docs[k * 25 : (k + 1) * 25]:
                w.update_document(**ix.document_fields(doc))
            if k == 5:
                for doc in changed:
                    w.update_document(**ix.document_fields(doc))
                for doc in docs[1::13]:
                    w.delete_by_term("id", doc.id)
            w.commit()
            states.append((segment_count(ix), content(ix)))
        w = cls(ix.whoosh_index)
        w.commit(optimize=True)
        states.append((segment_count(ix), content(ix)))
        indexes[name] = ix, states
    (stock, stock_states), (bulk, bulk_states) = indexes["stock"], indexes["bulk"]
    assert any(a[0] < b[0] for a, b in itertools.pairwise(stock_states))
    for (n_stock, c_stock), (n_bulk, c_bulk) in zip(stock_states, bulk_states, strict=True):
        assert n_stock == n_bulk
        assert_same(c_stock, c_bulk)
    assert search_results(stock) == search_results(bulk)


def test_cancel_leaves_the_index_unchanged_and_unlocked(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """Cancelling after adding (even after flushing segments) changes nothing, removes the
    files it wrote and releases the lock."""
    docs = corpora["generated"]
    ix = build(tmp_path / "ix", docs[:50])
    before = content(ix)
    files = set(os.listdir(tmp_path / "ix"))
    writer = BulkSegmentWriter(ix.whoosh_index, limitmb=0.05)
    for doc in docs[50:200]:
        writer.add_document(**ix.document_fields(doc))
    writer.delete_by_term("id", docs[0].id)
    assert writer._done, "the tiny limit flushed segments"
    writer.cancel()
    assert_same(before, content(ix))
    assert set(os.listdir(tmp_path / "ix")) == files
    BulkSegmentWriter(ix.whoosh_index, timeout=0).cancel()  # the lock is free


def test_a_segment_is_flushed_once_its_buffers_pass_the_limit(
    corpora: dict[str, list[Document]], tmp_path: Path
):
    """Buffered postings stay within the limit plus one document."""
    ix = new_index(tmp_path / "ix")
    writer = BulkSegmentWriter(ix.whoosh_index, limitmb=0.2)
    peak = 0
    for doc in corpora["generated"]:
        writer.add_document(**ix.document_fields(doc))
        peak = max(peak, writer._bufsize)
    assert len(writer._done) >= 2
    assert peak <= 0.2 * 1024 * 1024
    writer.cancel()


def test_documents_of_a_group_stay_in_one_segment(tmp_path: Path, corpora):
    ix = new_index(tmp_path / "ix")
    writer = BulkSegmentWriter(ix.whoosh_index, limitmb=0.01)
    with writer.group():
        for doc in corpora["generated"][:40]:
            writer.add_document(**ix.document_fields(doc))
    writer.commit()
    assert segment_count(ix) == 1


def test_a_bad_document_is_not_half_added(tmp_path: Path, corpora):
    """A document whose fields fail (an undatable date) raises and leaves no postings."""
    docs = corpora["generated"][:20]
    stock = build(tmp_path / "stock", docs, SegmentWriter)
    ix = new_index(tmp_path / "bulk")
    writer = BulkSegmentWriter(ix.whoosh_index)
    for k, doc in enumerate(docs):
        writer.add_document(**ix.document_fields(doc))
        if k == 10:
            with pytest.raises((ValueError, TypeError)):
                writer.add_document(**{**ix.document_fields(doc), "date": "not a date"})
    writer.commit()
    assert_same(content(stock), content(ix))


# -- parallel building -------------------------------------------------------------------------


def test_a_parallel_build_gives_the_same_documents_and_search_results(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """With two processes each worker writes the segments of its share; the documents are
    numbered in input order, so the index reads as the one-process build does."""
    docs = corpora["generated"]
    with CorpusIndex(tmp_path / "one") as one, CorpusIndex(tmp_path / "two") as two:
        one.add_documents(docs, procs=1)
        two.add_documents(iter(docs), procs=2)
        assert segment_count(one) == 1
        assert segment_count(two) == 2
        assert_same(content(one, blocks=False), content(two, blocks=False))
        assert search_results(one) == search_results(two)
        for q in ("labour", "prime minister", "lib dems"):
            a, b = one.search(q, limit=20), two.search(q, limit=20)
            assert [h.id for h in a.hits] == [h.id for h in b.hits]


def test_a_parallel_update_replaces_committed_documents(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    docs = corpora["generated"][:120]
    changed = [Document(id=d.id, title="Replaced", body="A replaced document.") for d in docs[:30]]
    with CorpusIndex(tmp_path / "one") as one, CorpusIndex(tmp_path / "two") as two:
        for ix, procs in ((one, 1), (two, 2)):
            ix.add_documents(docs, procs=procs)
            ix.add_documents(changed, procs=procs)
        assert len(two) == len(docs)
        assert two.get(docs[0].id).title == "Replaced"
        assert sorted(f["id"] for f in content(one)["stored"]) == sorted(
            f["id"] for f in content(two)["stored"]
        )
        assert search_results(one) == search_results(two)


@pytest.mark.parametrize("forked_reading", [False, True])
def test_a_parallel_directory_ingest_matches_the_one_process_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked_reading: bool
):
    if forked_reading:  # a forked process reads half of the files, even of this small folder
        monkeypatch.setattr(ingesting, "_FORKED_READ_MIN", 2)
    corpus = write_corpus(tmp_path / "corpus")
    # what is checked of each document read, its file read here or in a forked process: a
    # line repeated across documents (boilerplate), too long a word, a word-for-word copy
    blurb = "Follow our live coverage of every vote in the Commons tonight."
    for n in range(4):
        (corpus / "extra" / f"story{n}.txt").parent.mkdir(exist_ok=True)
        (corpus / "extra" / f"story{n}.txt").write_text(
            f"Story {n}\n\nThe council met on day {n} to discuss the budget.\n{blurb}\n"
            + ("A" * 300 + "\n" if n == 1 else ""))
    (corpus / "extra" / "copy.txt").write_text((corpus / "extra" / "story2.txt").read_text())
    with CorpusIndex(tmp_path / "one") as one, CorpusIndex(tmp_path / "two") as two:
        a = one.index_directory(corpus, procs=1)
        b = two.index_directory(corpus, procs=2)
        assert (a.indexed, a.documents) == (b.indexed, b.documents)
        assert (a.boilerplate_lines, a.long_words, a.duplicates) == (1, 1, [
            ("extra/story2", "extra/copy")])
        assert (a.boilerplate_lines, a.long_words, a.duplicates, a.warnings) == (
            b.boilerplate_lines, b.long_words, b.duplicates, b.warnings)
        assert_same(content(one, blocks=False), content(two, blocks=False))
        (corpus / "labour" / "plp.txt").write_text("Changed\n\nNew text about Labour.\n")
        (corpus / "misc" / "markup.txt").unlink()
        a = one.index_directory(corpus, procs=1)
        b = two.index_directory(corpus, procs=2)
        assert (a.updated, a.deleted) == (b.updated, b.deleted) == (1, 1)
        assert search_results(one) == search_results(two)


class _Boom(Exception):
    pass


def test_a_failing_worker_fails_the_write_and_releases_the_lock(
    tmp_path: Path, corpora: dict[str, list[Document]]
):
    """An error in a worker (here: in converting a document) is raised by the parent's
    write; nothing is committed, no worker files are left and the index is writable."""
    docs = corpora["generated"][:60]
    ix = build(tmp_path / "ix", docs[:10])
    before = content(ix)
    files = set(os.listdir(tmp_path / "ix"))

    def to_fields(doc: Document) -> dict[str, Any]:
        if doc.id == docs[45].id:
            raise _Boom("bad document")
        return ix.document_fields(doc)

    writer = BulkSegmentWriter(ix.whoosh_index)
    with pytest.raises(_Boom, match="bad document"):
        try:
            writer.add_many(docs[10:], to_fields, procs=2)
        except BaseException:
            writer.cancel()
            raise
    assert_same(before, content(ix))
    assert set(os.listdir(tmp_path / "ix")) == files
    ix.add_documents(docs[10:], procs=2)
    assert len(ix) == len(docs)


def test_a_worker_that_dies_fails_the_write(tmp_path: Path, corpora):
    docs = corpora["generated"][:40]
    ix = new_index(tmp_path / "ix")

    def to_fields(doc: Document) -> dict[str, Any]:
        if doc.id == docs[30].id:
            os._exit(3)
        return ix.document_fields(doc)

    writer = BulkSegmentWriter(ix.whoosh_index)
    with pytest.raises(WorkerError, match="died"):
        writer.add_many(docs, to_fields, procs=2)
    writer.cancel()
    assert len(ix) == 0


def test_workers_share_the_work_by_cost_and_keep_input_order():
    split = parallel.split_shares
    assert split(10, 2, None) == [(0, 5), (5, 10)]
    assert split(4, 2, [100, 1, 1, 1]) == [(0, 1), (1, 4)]
    assert split(3, 3, [1, 1, 1]) == [(0, 1), (1, 2), (2, 3)]
    assert split(2, 4, None) == [(0, 1), (1, 2)]


def test_a_document_costs_a_writer_its_length_and_the_mean_length():
    """Shares are split by length and by count alike: a process pays per character and
    per document (its fields, the per-document writer, words new to its caches)."""
    from corpus_search.store.writing import share_costs

    assert share_costs([100, 100, 400]) == [300, 300, 600]
    assert share_costs([]) == []
    # by length alone the two long documents would make a share, the eight short ones the
    # other; counted as documents too, the first share takes a short one besides
    lengths = [400, 400] + [100] * 8
    assert parallel.split_shares(10, 2, lengths) == [(0, 2), (2, 10)]
    assert parallel.split_shares(10, 2, share_costs(lengths)) == [(0, 3), (3, 10)]


def test_a_forked_map_gives_each_result_in_order_and_computes_a_failed_share_itself():
    items = list(range(25))
    assert list(parallel.map_forked(lambda x: x * x, items, 3)) == [x * x for x in items]
    parent = os.getpid()

    def square_here(x: int) -> int:  # fails in any other process
        if os.getpid() != parent:
            raise RuntimeError("not here")
        return x * x

    assert list(parallel.map_forked(square_here, items, 2)) == [x * x for x in items]
    assert list(parallel.map_forked(square_here, [], 2)) == []


def test_workers_leave_when_their_parent_dies(tmp_path: Path, corpora):
    """A worker whose parent was SIGKILLed exits on its own (and never held the lock)."""
    import signal

    from reliability_helpers import fork_child

    docs = corpora["generated"][:200]

    def target(report: Callable[[str], None]) -> None:
        ix = new_index(tmp_path / "ix")

        def slow(doc: Document) -> dict[str, Any]:
            time.sleep(0.05)
            return ix.document_fields(doc)

        class Reporting(bulk_workers.BulkTask):
            def launch(self) -> None:
                super().launch()
                report(f"worker {self.pid}")

        bulk_workers.BulkTask = Reporting  # type: ignore[misc]
        writer = BulkSegmentWriter(ix.whoosh_index)
        writer.add_many(docs, slow, procs=2)

    child = fork_child(target)
    deadline = time.monotonic() + 30
    while len([x for x in child.lines if x.startswith("worker")]) < 2:
        assert time.monotonic() < deadline, child.lines
        child.read_lines(0.05)
    workers = [int(x.split()[1]) for x in child.lines if x.startswith("worker")]
    child.kill()
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [pid for pid in workers if _alive(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive
    BulkSegmentWriter(whoosh_index.open_dir(str(tmp_path / "ix"), "MAIN"), timeout=0).cancel()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too (the reaper is our killed child, gone; init reaps it)
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_a_writer_freezing_the_collector_unfreezes_it_when_done(tmp_path: Path, corpora):
    """``freeze_gc`` keeps full collections off existing objects while the writer is open,
    and only then; a writer does not touch objects frozen by someone else."""
    import gc

    ix = new_index(tmp_path / "ix")
    for finish in ("commit", "cancel"):
        writer = BulkSegmentWriter(ix.whoosh_index, freeze_gc=True)
        assert gc.get_freeze_count() > 0
        for doc in corpora["generated"][:300]:
            writer.add_document(**ix.document_fields(doc))
        getattr(writer, finish)()
        assert gc.get_freeze_count() == 0
    del writer
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        writer = BulkSegmentWriter(ix.whoosh_index, freeze_gc=True)
        writer.cancel()
        # neither unfrozen nor frozen again (frozen objects freed meanwhile lower the count)
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def test_a_commit_failing_after_its_table_of_contents_keeps_the_new_segments(
    tmp_path: Path, corpora, monkeypatch: pytest.MonkeyPatch
):
    """Once the new table of contents is in place its segments are the index: a failure
    after that (cleaning up old files, say) must not make cancel() delete them."""
    import errno

    import whoosh.index

    from corpus_search import CorpusSearchError

    docs = corpora["generated"][:30]
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents(docs[:10])

        def failing_clean(*args: object) -> None:
            raise OSError(errno.EIO, "I/O error")

        monkeypatch.setattr(whoosh.index, "clean_files", failing_clean)
        with pytest.raises(CorpusSearchError, match="Could not write"):
            ix.add_documents(docs[10:])
        monkeypatch.undo()
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert len(ix) == 30
        assert content(ix)["counts"][0] == 30
        ix.add_documents(docs[:1])


@pytest.mark.slow
@needs_shared
def test_on_the_bbc_corpus_the_bulk_writer_matches_whoosh_and_parallel_matches_serial(
    tmp_path: Path,
):
    """The BBC corpus (2,225 articles): Whoosh's bytes in exact mode, Whoosh's content by
    default, and the same content and results from a two-process build."""
    docs = folder_documents(BBC)
    stock = build(tmp_path / "stock", docs, SegmentWriter, compound=False)
    build(tmp_path / "exact", docs, exact=True, compound=False)
    assert segment_files(tmp_path / "stock") == segment_files(tmp_path / "exact")
    bulk = build(tmp_path / "bulk", docs)
    expected = content(stock)
    assert_same(expected, content(bulk))
    assert search_results(stock) == search_results(bulk)
    with CorpusIndex(tmp_path / "two") as two:
        two.add_documents(docs, procs=2)
        assert segment_count(two) == 2
        assert_same(content(stock, blocks=False), content(two, blocks=False))
        assert search_results(stock, top=False) == search_results(two, top=False)


def test_through_whoosh_s_own_field_writer_the_buffers_give_whoosh_s_bytes(
    tmp_path: Path, corpora, monkeypatch: pytest.MonkeyPatch
):
    """The path for other codecs (sorted postings fed to the codec's FieldWriter, as
    Whoosh's writer feeds its posting pool) writes exactly what Whoosh writes."""
    docs = corpora["generated"][:200]
    build(tmp_path / "stock", docs, SegmentWriter, compound=False)
    monkeypatch.setattr(
        BulkSegmentWriter, "_write_w3_postings",
        lambda self, fw, codec: self._write_generic_postings(),
    )
    build(tmp_path / "generic", docs, compound=False)
    assert segment_files(tmp_path / "stock") == segment_files(tmp_path / "generic")
