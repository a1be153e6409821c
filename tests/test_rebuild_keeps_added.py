"""A rebuild rebuilds the same collection: the documents a program added to an index built
from a folder (read from no folder: the index may hold their only copy) are carried into the
new index from what it stored of them, analysed anew, and the report says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_corpus
from corpus_search import CorpusIndex, rebuild_index
from corpus_search.cli import cli
from corpus_search.errors import ColumnsError, DocumentIndexError
from corpus_search.ingest.model import Document

_FILES = {"a.txt": "Budget row\n\nThe Chancellor set out the Budget.",
          "b.txt": "Election\n\nThe Lib Dems campaigned in the by-election."}
_NOTE = Document(id="notes/interview-1", title="Interview one",
                 body="The minister said the Zorblax Party would win the by-election.",
                 date=dt.date(2005, 3, 1), date_precision="month", source="Notes",
                 url="https://example.org/i1")


def _index_with_a_note(tmp_path: Path) -> tuple[Path, Path]:
    folder, index = write_corpus(tmp_path / "corpus", _FILES), tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
        ix.add_documents([_NOTE])
    return folder, index


def test_a_rebuild_from_the_recorded_folders_keeps_a_document_added_by_a_program(
        tmp_path: Path) -> None:
    _folder, index = _index_with_a_note(tmp_path)
    reports = rebuild_index(index, [])
    assert reports[0].carried == 1
    with CorpusIndex(index) as ix:
        assert len(ix) == 3
        assert ix.get(_NOTE.id) == _NOTE.__class__(**{**_NOTE.__dict__, "date_source": "user"})


def test_the_command_names_the_documents_carried_over_and_how_to_drop_them(
        tmp_path: Path) -> None:
    folder, index = _index_with_a_note(tmp_path)
    result = CliRunner().invoke(cli, ["index", str(folder), "--rebuild", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert ("1 document added by a program (read from no folder) carried into the rebuilt "
            "index") in result.output
    assert "delete by id (CorpusIndex.delete)" in result.output
    with CorpusIndex(index) as ix:
        assert _NOTE.id in ix


def test_a_carried_document_is_analysed_with_the_new_lexicon(tmp_path: Path) -> None:
    _folder, index = _index_with_a_note(tmp_path)
    lexicon = tmp_path / "zorblax.tsv"
    lexicon.write_text("[terms]\nzorblax_party\tZorblax Party | Zorblaxers\n", encoding="utf-8")
    rebuild_index(index, [], lexicon=[lexicon])
    with CorpusIndex(index) as ix:
        assert [hit.id for hit in ix.search('"Zorblaxers"').hits] == [_NOTE.id]


def test_a_document_deleted_before_the_rebuild_is_not_carried(tmp_path: Path) -> None:
    _folder, index = _index_with_a_note(tmp_path)
    with CorpusIndex(index) as ix:
        ix.delete(_NOTE.id)
    assert rebuild_index(index, [])[0].carried == 0
    with CorpusIndex(index) as ix:
        assert len(ix) == 2


def test_an_added_document_under_a_files_id_stops_the_rebuild_and_loses_nothing(
        tmp_path: Path) -> None:
    _folder, index = _index_with_a_note(tmp_path)
    with CorpusIndex(index) as ix:
        first = ix.get("a")
        assert first is not None  # (a file's document's id: its name)
        ix.add_documents([Document(id="a", title="Edited", body="Edited by hand.")])
    with pytest.raises(DocumentIndexError, match=r"'a'.*added by a program.*unchanged"):
        rebuild_index(index, [])
    with CorpusIndex(index) as ix:
        assert len(ix) == 3 and ix.get("a").title == "Edited"  # type: ignore[union-attr]


def test_replacing_an_index_with_an_empty_one_drops_what_a_program_added(
        tmp_path: Path) -> None:
    _folder, index = _index_with_a_note(tmp_path)
    with CorpusIndex.create(index, overwrite=True) as ix:
        assert len(ix) == 0


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXT, body=_TEXT, source=st.one_of(st.none(), st.sampled_from(["BBC", "Notes"])),
       date=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))))
def test_every_field_of_a_document_a_program_added_survives_a_rebuild(
        tmp_path_factory: pytest.TempPathFactory, title: str, body: str, source: str | None,
        date: dt.date | None) -> None:
    tmp_path = tmp_path_factory.mktemp("carried")
    folder, index = write_corpus(tmp_path / "corpus", _FILES), tmp_path / "ix"
    doc = Document(id="added/1", title=title, body=body, source=source, date=date)
    with CorpusIndex(index) as ix:
        ix.index_directory(folder)
        try:
            ix.add_documents([doc])
        except DocumentIndexError:  # (text that cannot be indexed is refused at once)
            return
        before = ix.get(doc.id)
    rebuild_index(index, [])
    with CorpusIndex(index) as ix:
        assert ix.get(doc.id) == before


def test_a_rebuild_reads_the_index_it_replaces_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (what a program added, and what each folder's files gave, come from one read of the
    # old index; it was opened twice, once through a writer's handle)
    from corpus_search import rebuilding
    from corpus_search.store import handle

    folder, index = _index_with_a_note(tmp_path)
    (folder / "c.csv").write_text("id,headline,story\nc1,Row,The Greens won.\n")
    with CorpusIndex(index) as ix:
        ix.index_directory(folder, columns={"title": "headline", "body": "story"})
    reads: list[Path] = []
    real = rebuilding.read_only_searcher
    monkeypatch.setattr(rebuilding, "read_only_searcher",
                        lambda path, schema: reads.append(path) or real(path, schema))
    monkeypatch.setattr(handle.IndexHandle, "open", lambda *a, **k: pytest.fail("opened again"))
    (folder / "c.csv").write_text("id,headline,story\nc1,Row,The Greens won again.\n")
    with pytest.raises(ColumnsError, match=r"leaves nothing to read in c\.csv"):
        rebuild_index(index, [folder], columns="")  # (no mapping: c.csv has no title)
    (report,) = rebuild_index(index, [folder], columns={"title": "headline", "body": "story"})
    assert (reads, report.carried) == ([index, index], 1)
