"""Search engines compared with corpus_search in the relevance evaluation and the benchmarks.

Each engine indexes the same :class:`~corpus_search.ingest.model.Document` list and answers the raw
query a user typed, with the setup a typical user of that engine would write:

========================  =================================================================
``whoosh``                stock Whoosh: ``StemmingAnalyzer`` on ``title`` and ``body``, BM25F,
                          ``MultifieldParser`` with ``fieldboosts={"title": 2.0}`` and Whoosh's
                          default AND grouping (``group="or"`` to change it)
``tantivy``               tantivy: ``en_stem`` tokenizer on ``title`` and ``body``,
                          ``Index.parse_query`` over both fields (OR by default), title boost 2;
                          one writer thread (``num_threads=1``) so results are repeatable
``sqlite_fts5``           SQLite FTS5: ``tokenize='porter unicode61'``, the query's words
                          quoted and OR-ed, ranked by ``bm25(fts, title=2.0, body=1.0)``
``bm25s``                 bm25s: PyStemmer English stemmer, English stop words, title and body
                          concatenated
``corpus_search``         this library's :class:`~corpus_search.index.CorpusIndex`
========================  =================================================================

Only the standard library is imported at module load. Whoosh ships with corpus_search; tantivy,
bm25s and PyStemmer come with the ``bench`` extra (``pip install corpus-search[bench]``) and are
imported when an engine is built; a missing one raises :class:`EngineUnavailableError`.

Engines separate :meth:`Engine.build` (index documents) from :meth:`Engine.search` (answer a
query) so benchmarks can time each. Every engine takes ``path``: a directory to keep its index on
disk, or ``None`` for memory (corpus_search, which always writes to disk, then uses a temporary
directory removed by :meth:`Engine.close`).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from corpus_search.errors import EngineUnavailableError

if TYPE_CHECKING:
    from corpus_search.ingest.model import Document


__all__ = [
    "ENGINES",
    "Bm25sEngine",
    "CorpusSearchEngine",
    "Engine",
    "SqliteFts5Engine",
    "StockWhooshEngine",
    "TantivyEngine",
    "comparison_engine_names",
    "make_engine",
]


TITLE_BOOST = 2.0


_BENCH_HINT = "pip install corpus-search[bench]"


_WORD = re.compile(r"\w+", re.UNICODE)


@runtime_checkable
class Engine(Protocol):
    """A search engine under evaluation: build an index once, then answer queries."""

    name: str

    def build(self, documents: Sequence[Document]) -> None:
        """Index ``documents``, replacing anything indexed before."""
        ...

    def search(self, query: str, k: int) -> list[str]:
        """Return the ids of the ``k`` best documents for the raw ``query``, best first."""
        ...

    def close(self) -> None:
        """Release files and memory held by the engine."""
        ...


def _require(module: str, package: str) -> Any:
    """Import an optional module or raise :class:`EngineUnavailableError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise EngineUnavailableError(
            f"the {package!r} package is not installed; {_BENCH_HINT} to compare against it"
        ) from exc


def _words(query: str) -> list[str]:
    """The query's words with every syntax character dropped."""
    return _WORD.findall(query)


def _unique(ids: Iterable[str], k: int) -> list[str]:
    """The first ``k`` distinct ids, order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for doc_id in ids:
        if doc_id not in seen:
            seen.add(doc_id)
            out.append(doc_id)
            if len(out) == k:
                break
    return out


def _fresh_dir(path: str | Path) -> Path:
    """Create ``path`` as an empty directory (removing an earlier index there)."""
    directory = Path(path)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    return directory


class StockWhooshEngine:
    """Whoosh as its documentation sets it up: StemmingAnalyzer, BM25F, title boost.

    The raw query goes to ``MultifieldParser(["title", "body"], fieldboosts={"title": 2})``,
    whose default grouping is AND (every word required); pass ``group="or"`` for OR. A query
    Whoosh cannot parse falls back to its plain words.
    """

    name = "whoosh"

    def __init__(self, path: str | Path | None = None, group: str = "and") -> None:
        if group not in ("and", "or"):
            raise ValueError("group must be 'and' or 'or'")
        self.path = Path(path) if path is not None else None
        self.group = group
        self._index: Any = None
        self._searcher: Any = None
        self._parser: Any = None
        self._tmp: str | None = None

    def build(self, documents: Sequence[Document]) -> None:
        from whoosh import fields, qparser, scoring
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.filedb.filestore import FileStorage

        self.close()
        schema = fields.Schema(
            id=fields.ID(stored=True, unique=True),
            title=fields.TEXT(analyzer=StemmingAnalyzer()),
            body=fields.TEXT(analyzer=StemmingAnalyzer()),
        )
        if self.path is None:
            # Whoosh's writer spills to storage.temp_storage("MAIN.tmp"), which for a
            # RamStorage is one folder shared by every process (/tmp/MAIN.tmp): two runs at
            # once would delete each other's files. This one's temporary files are its own.
            self._tmp = tempfile.mkdtemp(prefix="corpus-search-whoosh-")
            storage = _ram_storage(temp_folder=self._tmp)
        else:
            storage = FileStorage(str(_fresh_dir(self.path)))
        self._index = storage.create_index(schema)
        writer = self._index.writer(limitmb=256)
        for doc in documents:
            writer.add_document(id=doc.id, title=doc.title or "", body=doc.body or "")
        writer.commit()
        group = qparser.OrGroup if self.group == "or" else qparser.AndGroup
        self._parser = qparser.MultifieldParser(
            ["title", "body"], schema, fieldboosts={"title": TITLE_BOOST}, group=group
        )
        self._searcher = self._index.searcher(weighting=scoring.BM25F())

    def _parse(self, query: str) -> Any:
        try:
            return self._parser.parse(query)
        except Exception:
            # Keep only the words, lower-cased so AND/OR/NOT stay words, not operators.
            return self._parser.parse(" ".join(w.lower() for w in _words(query)))

    def search(self, query: str, k: int) -> list[str]:
        if self._searcher is None:
            raise RuntimeError("build() the engine before searching")
        parsed = self._parse(query)
        hits = self._searcher.search(parsed, limit=k)
        return _unique((hit["id"] for hit in hits), k)

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _ram_storage(temp_folder: str) -> Any:
    """A Whoosh ``RamStorage`` whose temporary storages live under ``temp_folder``, not in
    the system temporary folder under a fixed name."""
    from whoosh.filedb.filestore import FileStorage, RamStorage

    class PrivateTempRamStorage(RamStorage):
        def temp_storage(self, name: str | None = None) -> FileStorage:
            return FileStorage(str(Path(temp_folder) / (name or "temp.tmp"))).create()

    return PrivateTempRamStorage()


class TantivyEngine:
    """tantivy with its English stemming tokenizer and its own query parser (OR by default)."""

    name = "tantivy"

    def __init__(
        self, path: str | Path | None = None, heap_size: int = 128_000_000, num_threads: int = 1
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.heap_size = heap_size
        # One writer thread keeps one segment in document order, so ties rank the same each run.
        self.num_threads = num_threads
        self._tantivy: Any = _require("tantivy", "tantivy")
        self._index: Any = None
        self._searcher: Any = None

    def build(self, documents: Sequence[Document]) -> None:
        tantivy = self._tantivy
        self.close()
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", tokenizer_name="en_stem")
        builder.add_text_field("body", tokenizer_name="en_stem")
        schema = builder.build()
        if self.path is None:
            self._index = tantivy.Index(schema)
        else:
            self._index = tantivy.Index(schema, path=str(_fresh_dir(self.path)), reuse=False)
        writer = self._index.writer(heap_size=self.heap_size, num_threads=self.num_threads)
        for doc in documents:
            writer.add_document(
                tantivy.Document(id=doc.id, title=doc.title or "", body=doc.body or "")
            )
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        self._searcher = self._index.searcher()

    def _parse(self, query: str) -> Any:
        fields = ["title", "body"]
        boosts = {"title": TITLE_BOOST}
        try:
            return self._index.parse_query(query, fields, field_boosts=boosts)
        except ValueError:
            words = " ".join(w.lower() for w in _words(query))
            return self._index.parse_query(words, fields, field_boosts=boosts)

    def search(self, query: str, k: int) -> list[str]:
        if self._searcher is None:
            raise RuntimeError("build() the engine before searching")
        if not _words(query):
            return []
        result = self._searcher.search(self._parse(query), limit=k)
        ids = (self._searcher.doc(address)["id"][0] for _score, address in result.hits)
        return _unique(ids, k)

    def close(self) -> None:
        self._searcher = None
        self._index = None


class SqliteFts5Engine:
    """SQLite FTS5 with the Porter stemmer, the query's words OR-ed, bm25 with a title weight."""

    name = "sqlite_fts5"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._db: sqlite3.Connection | None = None

    def build(self, documents: Sequence[Document]) -> None:
        self.close()
        if self.path is None:
            self._db = sqlite3.connect(":memory:")
        else:
            self._db = sqlite3.connect(_fresh_dir(self.path) / "fts5.sqlite3")
        try:
            self._db.execute(
                "CREATE VIRTUAL TABLE fts USING fts5("
                "doc_id UNINDEXED, title, body, tokenize='porter unicode61')"
            )
        except sqlite3.OperationalError as exc:
            raise EngineUnavailableError(f"this SQLite has no FTS5 module: {exc}") from exc
        with self._db:
            self._db.executemany(
                "INSERT INTO fts (doc_id, title, body) VALUES (?, ?, ?)",
                ((doc.id, doc.title or "", doc.body or "") for doc in documents),
            )

    @staticmethod
    def match_expression(query: str) -> str:
        """The FTS5 MATCH text for a raw query: each word double-quoted, joined with OR."""
        return " OR ".join('"' + word.replace('"', '""') + '"' for word in _words(query))

    def search(self, query: str, k: int) -> list[str]:
        if self._db is None:
            raise RuntimeError("build() the engine before searching")
        expression = self.match_expression(query)
        if not expression:
            return []
        rows = self._db.execute(
            "SELECT doc_id FROM fts WHERE fts MATCH ? "
            f"ORDER BY bm25(fts, 0.0, {TITLE_BOOST}, 1.0) LIMIT ?",
            (expression, k),
        )
        return _unique((row[0] for row in rows), k)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class Bm25sEngine:
    """bm25s over title and body concatenated, PyStemmer English, English stop words."""

    name = "bm25s"

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._bm25s: Any = _require("bm25s", "bm25s")
        self._stemmer_module: Any = _require("Stemmer", "PyStemmer")
        self._stemmer: Any = None
        self._retriever: Any = None
        self._ids: list[str] = []

    def build(self, documents: Sequence[Document]) -> None:
        bm25s = self._bm25s
        self.close()
        self._stemmer = self._stemmer_module.Stemmer("english")
        self._ids = [doc.id for doc in documents]
        texts = [f"{doc.title or ''}\n{doc.body or ''}" for doc in documents]
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)
        self._retriever = bm25s.BM25()
        self._retriever.index(tokens, show_progress=False)
        if self.path is not None:
            self._retriever.save(str(_fresh_dir(self.path)))

    def search(self, query: str, k: int) -> list[str]:
        if self._retriever is None:
            raise RuntimeError("build() the engine before searching")
        if not self._ids or k <= 0:
            return []
        tokens = self._bm25s.tokenize(
            [query], stopwords="en", stemmer=self._stemmer, show_progress=False
        )
        found, scores = self._retriever.retrieve(
            tokens, k=min(k, len(self._ids)), show_progress=False
        )
        ranked = (
            self._ids[int(i)]
            for i, score in zip(found[0], scores[0], strict=True)
            if float(score) > 0.0
        )
        return _unique(ranked, k)

    def close(self) -> None:
        self._retriever = None


class CorpusSearchEngine:
    """corpus_search itself, through :class:`~corpus_search.index.CorpusIndex`."""

    name = "corpus_search"

    def __init__(
        self, path: str | Path | None = None, lexicon: Any = None, ranking: Any = None
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.lexicon = lexicon
        #: the :class:`~corpus_search.search.ranking.Ranking` searches use (None: the default);
        #: may be changed between searches, as the cross-validation does
        self.ranking = ranking
        self._tmp: str | None = None
        self._index: Any = None

    def build(self, documents: Sequence[Document]) -> None:
        from corpus_search.index import CorpusIndex

        self.close()
        if self.path is None:
            self._tmp = tempfile.mkdtemp(prefix="corpus-search-eval-")
            directory = Path(self._tmp) / "index"
        else:
            directory = self.path
            if directory.exists():
                shutil.rmtree(directory)
        self._index = CorpusIndex(directory, lexicon=self.lexicon)
        self._index.add_documents(documents)

    def search(self, query: str, k: int) -> list[str]:
        if self._index is None:
            raise RuntimeError("build() the engine before searching")
        if not query.strip():
            return []
        from corpus_search.search.execute import search
        from corpus_search.search.ranking import RANKING

        ranking = self.ranking or RANKING
        results = search(self._index, query, limit=k, highlight=False, ranking=ranking)
        return _unique((hit.id for hit in results.hits), k)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


ENGINES: dict[str, Callable[..., Engine]] = {
    "corpus_search": CorpusSearchEngine,
    "whoosh": StockWhooshEngine,
    "tantivy": TantivyEngine,
    "sqlite_fts5": SqliteFts5Engine,
    "bm25s": Bm25sEngine,
}


def comparison_engine_names() -> list[str]:
    """Names of the engines corpus_search is compared with (all but ``corpus_search``)."""
    return [name for name in ENGINES if name != "corpus_search"]


def make_engine(name: str, path: str | Path | None = None) -> Engine:
    """Create the engine called ``name`` (a key of :data:`ENGINES`)."""
    try:
        factory = ENGINES[name]
    except KeyError:
        known = ", ".join(ENGINES)
        raise ValueError(f"unknown engine {name!r}; choose from {known}") from None
    return factory(path=path)
