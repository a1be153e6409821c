"""The comparison engines: each finds the obvious document first and survives odd queries."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from corpus_search.evaluation.engines import (
    ENGINES,
    Engine,
    EngineUnavailableError,
    SqliteFts5Engine,
    comparison_engine_names,
    make_engine,
)
from corpus_search.ingest.model import Document as Doc

DOCS = [
    Doc("fees", "Tuition fees vote looms", "MPs vote on university tuition fees next week."),
    Doc("banks", "Banks raise charges", "Banks put up account fees again, consumer groups say."),
    Doc("ashes", "England win the Ashes", "The cricketers beat Australia at the Oval."),
    Doc("veritas", "Kilroy-Silk launches Veritas", "He quit the UK Independence Party."),
    Doc("cards", "Identity cards bill passes", "MPs back the identity cards scheme."),
    Doc("budget", "Chancellor's Budget", "The Budget raised spending; fees were not mentioned."),
]

QUERIES = [
    ("tuition fees", "fees"),
    ("England cricket Ashes", "ashes"),
    ("Kilroy-Silk Veritas", "veritas"),
    ("identity cards", "cards"),
    ("Budget", "budget"),  # title match beats a body-only mention
]

ODD_QUERIES = ["", "   ", "title:(", '"unbalanced', "AND OR NOT", "*", "-", "fees^", "a:b:c", "(("]


def _engine(name: str, path: object = None) -> Engine:
    try:
        return make_engine(name, path=path)  # type: ignore[arg-type]
    except EngineUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(params=comparison_engine_names())
def built(request: pytest.FixtureRequest):
    engine = _engine(request.param)
    engine.build(DOCS)
    yield engine
    engine.close()


def test_engines_follow_the_protocol(built: Engine) -> None:
    assert isinstance(built, Engine)
    assert built.name in ENGINES


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_expected_document_first(built: Engine, query: str, expected: str) -> None:
    assert built.search(query, 10)[0] == expected


def test_results_are_distinct_ids_within_k(built: Engine) -> None:
    hits = built.search("fees", 2)
    assert len(hits) <= 2
    assert len(set(hits)) == len(hits)
    assert set(built.search("fees", 10)) <= {d.id for d in DOCS}


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_malformed_query_syntax_gives_a_ranked_list_of_known_ids(
    built: Engine, query: str
) -> None:
    hits = built.search(query, 5)
    assert type(hits) is list and len(hits) <= 5
    assert len(set(hits)) == len(hits)
    assert set(hits) <= {d.id for d in DOCS}


def test_no_match_returns_empty(built: Engine) -> None:
    assert built.search("zzyzx", 10) == []


@pytest.mark.parametrize("name", comparison_engine_names())
def test_on_disk_index_and_rebuild_replaces_content(name: str, tmp_path) -> None:
    engine = _engine(name, path=tmp_path / "index")
    try:
        engine.build(DOCS)
        assert engine.search("cricket Ashes", 5)[0] == "ashes"
        assert (tmp_path / "index").is_dir()
        engine.build(DOCS[:2])
        assert engine.search("cricket Ashes", 5) == []
        assert engine.search("tuition", 5) == ["fees"]
    finally:
        engine.close()


def test_the_in_memory_whoosh_index_keeps_its_scratch_files_to_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Whoosh's in-memory index writes its scratch files under <temp>/MAIN.tmp, a folder
    every process on the machine shares: two evaluations at once deleted each other's."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    (tmp_path / "MAIN.tmp").write_text("another process's", encoding="utf-8")
    engine = _engine("whoosh")
    try:
        engine.build(DOCS)
        assert engine.search("cricket Ashes", 5)[0] == "ashes"
    finally:
        engine.close()
    assert (tmp_path / "MAIN.tmp").read_text(encoding="utf-8") == "another process's"
    assert [p.name for p in tmp_path.iterdir()] == ["MAIN.tmp"]  # its own scratch is gone


def test_search_before_build_is_an_error() -> None:
    engine = _engine("sqlite_fts5")
    with pytest.raises(RuntimeError):
        engine.search("fees", 5)


@pytest.mark.parametrize(
    ("name", "module"), [("tantivy", "tantivy"), ("bm25s", "bm25s"), ("bm25s", "Stemmer")]
)
def test_missing_optional_package_names_the_extra(monkeypatch, name: str, module: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail
    with pytest.raises(EngineUnavailableError, match=r"pip install corpus-search\[bench\]"):
        make_engine(name)


def test_unknown_engine_name() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("lucene")


def test_fts5_match_expression_quotes_every_word() -> None:
    expression = SqliteFts5Engine.match_expression('say "NEAR" OR title:x* -y')
    assert expression == '"say" OR "NEAR" OR "OR" OR "title" OR "x" OR "y"'
    assert SqliteFts5Engine.match_expression("---") == ""


def test_whoosh_default_is_and_grouping() -> None:
    and_engine = _engine("whoosh")
    or_engine = ENGINES["whoosh"](group="or")
    try:
        and_engine.build(DOCS)
        or_engine.build(DOCS)
        assert and_engine.search("tuition cricket", 10) == []
        assert set(or_engine.search("tuition cricket", 10)) == {"fees", "ashes"}
    finally:
        and_engine.close()
        or_engine.close()


def test_corpus_search_adapter(tmp_path) -> None:
    pytest.importorskip("corpus_search.index", reason="corpus_search.index not written yet")
    engine = make_engine("corpus_search", path=tmp_path / "ours")
    try:
        engine.build(DOCS)
        assert engine.search("tuition fees", 10)[0] == "fees"
        assert engine.search("", 10) == []
    finally:
        engine.close()


def test_stock_whoosh_in_memory_keeps_its_temporary_files_in_a_folder_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    # Whoosh's RamStorage spills to <system temp>/MAIN.tmp, a folder every process shares:
    # two evaluations at once deleted each other's files
    from whoosh.filedb import filestore

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    created: list[str] = []
    original = filestore.FileStorage.create

    def create(self: filestore.FileStorage) -> filestore.FileStorage:
        created.append(self.folder)
        return original(self)

    monkeypatch.setattr(filestore.FileStorage, "create", create)
    first, second = _engine("whoosh"), _engine("whoosh")
    try:
        first.build(DOCS)
        second.build(DOCS)
        assert first.search("tuition fees", 10)[0] == "fees"
        assert second.search("tuition fees", 10)[0] == "fees"
    finally:
        first.close()
        second.close()
    assert len(created) >= 2
    assert str(tmp_path / "MAIN.tmp") not in created
    assert len(set(created)) >= 2  # one each
    assert list(tmp_path.iterdir()) == []  # closing removes them
