"""Specification of CorpusIndex: creating, ingesting folders incrementally, deleting, stats."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import SEEDS, SMALL_CORPUS, write_corpus, writer_holding_the_lock
from corpus_search import (
    CorpusIndex,
    CorpusSearchError,
    Document,
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    check_index,
    rebuild_index,
)
from corpus_search.errors import FolderOverlapError, LexiconError, SourceFolderError
from corpus_search.index import (
    gone_folders,
    gone_folders_note,
    rebuild_without,
    remove_index,
)
from corpus_search.ingest.files import READING_VERSION
from corpus_search.store.files import META_FILENAME
from corpus_search.store.meta import recorded_folders


def test_indexing_a_folder_reports_every_file_as_indexed(tmp_path: Path, fresh_corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(fresh_corpus)
        assert report.indexed == len(SMALL_CORPUS)
        assert (report.updated, report.unchanged, report.deleted) == (0, 0, 0)
        assert report.skipped == []
        assert len(ix) == len(SMALL_CORPUS)


def test_document_ids_are_relative_paths_without_extension(small_index: CorpusIndex):
    doc = small_index.get("labour/plp")
    assert doc is not None
    assert doc.title == "Labour MPs turn on leadership"
    assert doc.path == "labour/plp.txt"
    assert small_index.get("labour/plp.txt") is None


def test_an_id_prefix_is_put_before_every_id(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(SEEDS, id_prefix="seeds/")
        ids = {f["id"] for f in ix.searcher().all_stored_fields()}
    assert ids and all(i.startswith("seeds/") for i in ids)


def test_a_date_stated_in_the_text_becomes_the_document_date(small_index: CorpusIndex):
    assert str(small_index.get("labour/plp").date) == "2017-03-13"
    assert str(small_index.get("wales/assembly").date) == "2005-03-01"
    assert small_index.get("economy/common").date is None


def test_parties_mentioned_are_recorded_as_a_facet_field(small_index: CorpusIndex):
    fields = small_index.stored_fields("libdems/brent")
    parties = fields["party"].split(",")
    assert "Liberal Democrat" in parties
    assert "Labour" in parties


def test_the_labour_market_is_not_the_labour_party(small_index: CorpusIndex):
    fields = small_index.stored_fields("economy/jobs")
    assert "Labour" not in (fields.get("party") or "").split(",")


def test_reindexing_an_unchanged_folder_changes_nothing(tmp_path: Path, fresh_corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        again = ix.index_directory(fresh_corpus)
    assert again.unchanged == len(SMALL_CORPUS)
    assert (again.indexed, again.updated, again.deleted, again.documents) == (0, 0, 0, 0)


def _indexed_by_older_readers(index: Path, corpus: Path, version: int | None) -> dict:
    """Index ``corpus`` at ``index``, then record its folder as read by the readers of
    ``version`` (None: before the readers had a version); the record written."""
    with CorpusIndex(index) as ix:
        ix.index_directory(corpus)
    meta_path = index / META_FILENAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    [record] = meta["roots"].values()
    assert record["reading_version"] == READING_VERSION
    if version is None:
        del record["reading_version"]
    else:
        record["reading_version"] = version
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return meta


def test_a_folder_read_by_older_readers_is_read_again_once_and_the_report_says_why(
    tmp_path: Path, fresh_corpus: Path
):
    _indexed_by_older_readers(tmp_path / "ix", fresh_corpus, None)
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(fresh_corpus)
        assert again.read_by_older_readers and "read again" in again.reread_note
        # (what they make of these files is what older readers made: nothing is written)
        assert (again.reread, again.updated) == (0, 0)
        assert again.read_the_same == again.unchanged == len(SMALL_CORPUS)
        assert f"{len(SMALL_CORPUS)} came out as indexed" in again.reread_note
        assert len(ix) == len(SMALL_CORPUS)
        once = ix.index_directory(fresh_corpus)
    assert once.unchanged == len(SMALL_CORPUS) and once.reread_note is None


def test_after_an_upgrade_the_files_read_again_unchanged_are_not_counted_updated(
    tmp_path: Path, fresh_corpus: Path
):
    # (an upgrade's run said "0 indexed, 9 updated" of a folder where no file had changed)
    from click.testing import CliRunner

    from corpus_search.cli import cli

    meta = _indexed_by_older_readers(tmp_path / "ix", fresh_corpus, READING_VERSION - 1)
    meta_path = tmp_path / "ix" / META_FILENAME
    (fresh_corpus / "labour" / "plp.txt").write_text("Labour MPs meet\n\nThey met again.\n")
    result = CliRunner().invoke(cli, ["index", str(fresh_corpus), "--index",
                                      str(tmp_path / "ix"), "--json"])
    [report] = json.loads(result.output)["reports"]
    # (the unchanged files read the same as before: left as they are, counted unchanged)
    assert (report["indexed"], report["updated"], report["reread"], report["unchanged"]) == (
        0, 1, 0, len(SMALL_CORPUS) - 1)
    assert report["read_the_same"] == len(SMALL_CORPUS) - 1
    meta_path.write_text(json.dumps(meta), encoding="utf-8")  # (older readers again)
    line = CliRunner().invoke(cli, ["index", str(fresh_corpus), "--index",
                                    str(tmp_path / "ix")]).output.splitlines()[0]
    assert f": 0 indexed, 0 updated, {len(SMALL_CORPUS)} unchanged, 0 deleted" in line


def test_reindexing_picks_up_new_changed_and_deleted_files(tmp_path: Path, fresh_corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        (fresh_corpus / "economy" / "jobs.txt").write_text(
            "Jobs market loosens\n\nUnemployment rose sharply in the spring.\n", encoding="utf-8"
        )
        os.utime(fresh_corpus / "economy" / "jobs.txt", ns=(1, 1))
        (fresh_corpus / "misc" / "markup.txt").unlink()
        (fresh_corpus / "new.md").write_text("# Brand new\n\nA fresh article about ferries.\n")
        report = ix.index_directory(fresh_corpus)
        assert (report.indexed, report.updated, report.deleted) == (1, 1, 1)
        assert report.unchanged == len(SMALL_CORPUS) - 2
        assert ix.get("misc/markup") is None
        assert ix.get("economy/jobs").title == "Jobs market loosens"
        assert ix.get("new").title == "Brand new"
        assert len(ix) == len(SMALL_CORPUS)
        assert ix.search("ferries").hits[0].id == "new"
        assert ix.search("unemployment").hits[0].id == "economy/jobs"


def test_a_folder_that_holds_no_file_now_keeps_its_documents_until_a_rebuild(
    tmp_path: Path, fresh_corpus: Path
):
    # (a drive not mounted, or a sync not finished, emptied the index of the folder)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        away = tmp_path / "away"
        fresh_corpus.rename(away)
        fresh_corpus.mkdir()
        (fresh_corpus / "picture.png").write_bytes(b"\x89PNG")  # (nothing it can read)
        report = ix.index_directory(fresh_corpus)
        assert (report.deleted, report.kept) == (0, len(SMALL_CORPUS))
        ((where, why),) = report.skipped
        assert where == "./" and why.startswith("it holds no file that can be indexed now")
        assert why.endswith("if it was emptied for good, drop them with: corpus-search index "
                            f"{fresh_corpus} --index {tmp_path / 'ix'} --rebuild")
        assert len(ix) == len(SMALL_CORPUS)
        (fresh_corpus / "new.md").write_text("# Brand new\n\nA fresh article about ferries.\n")
        report = ix.index_directory(fresh_corpus)
        # (its subfolders are gone, as the folder itself was not there: their documents kept)
        assert (report.indexed, report.deleted, report.kept) == (1, 0, len(SMALL_CORPUS))
        assert all(why.startswith("it is no longer there") and why.endswith(
            f"if it was removed for good, drop them with: corpus-search index {fresh_corpus} "
            f"--index {tmp_path / 'ix'} --rebuild") for _where, why in report.skipped)
    (fresh_corpus / "new.md").unlink()
    rebuild_index(tmp_path / "ix", [fresh_corpus])
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert len(ix) == 0


def _touch(path: Path, seconds: int = 2_000_000_000) -> None:
    """Give ``path`` another modification time, its content unchanged (as a copy, a sync or
    a checkout does)."""
    os.utime(path, ns=(seconds * 10**9, seconds * 10**9))


def _folder_record(index: Path) -> dict:
    (record,) = json.loads((index / META_FILENAME).read_text())["roots"].values()
    return record


def test_a_touched_file_holding_the_same_text_is_not_indexed_again(
    tmp_path: Path, fresh_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        _touch(fresh_corpus / "economy" / "jobs.txt")
        report = ix.index_directory(fresh_corpus)
        assert (report.indexed, report.updated, report.deleted, report.documents) == (0, 0, 0, 0)
        assert report.unchanged == len(SMALL_CORPUS) and report.touched == 1
        assert report.to_dict()["touched"] == 1
        # the new modification time is recorded: the next run does not read the file
        assert set(_folder_record(tmp_path / "ix")["touched"]) == {"economy/jobs.txt"}
        again = ix.index_directory(fresh_corpus)
        assert (again.unchanged, again.touched, again.updated) == (len(SMALL_CORPUS), 0, 0)
        assert ix.search("unemployment").total >= 1


def test_a_whole_folder_touched_is_read_but_nothing_written(tmp_path: Path, fresh_corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        for path in fresh_corpus.rglob("*.*"):
            _touch(path)
        report = ix.index_directory(fresh_corpus)
    assert report.touched == report.unchanged == len(SMALL_CORPUS)
    assert report.documents == 0


def test_a_touched_file_holding_what_was_indexed_is_not_read_into_documents_again(
    tmp_path: Path, fresh_corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    import corpus_search.ingest.formats as formats

    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        for path in fresh_corpus.rglob("*.*"):
            _touch(path)
        parsed: list[str] = []
        read_text = formats.text_document

        def counted(text: str, rel: str, *args, **kwargs):
            parsed.append(rel)
            return read_text(text, rel, *args, **kwargs)

        monkeypatch.setattr(formats, "text_document", counted)
        assert ix.index_directory(fresh_corpus).touched == len(SMALL_CORPUS)
    assert parsed == []


def test_a_touched_file_whose_text_changed_is_indexed_again_and_its_record_dropped(
    tmp_path: Path, fresh_corpus: Path
):
    jobs = fresh_corpus / "economy" / "jobs.txt"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        _touch(jobs)
        ix.index_directory(fresh_corpus)
        text = jobs.read_text(encoding="utf-8")
        jobs.write_text(text.replace("e", "a", 1), encoding="utf-8")  # same size
        _touch(jobs, 2_000_000_100)
        report = ix.index_directory(fresh_corpus)
        assert (report.updated, report.touched) == (1, 0)
        assert "touched" not in _folder_record(tmp_path / "ix")


def test_an_index_whose_signatures_hold_no_digest_indexes_a_touched_file_again_once(
    tmp_path: Path, fresh_corpus: Path, monkeypatch: pytest.MonkeyPatch
):
    import corpus_search.ingest.files as files

    # as versions before content digests wrote them: "<size>:<mtime_ns>"
    monkeypatch.setattr(files, "read_signature", lambda st, data: f"{st.st_size}:{st.st_mtime_ns}")
    jobs = fresh_corpus / "economy" / "jobs.txt"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
        monkeypatch.undo()
        assert ix.index_directory(fresh_corpus).unchanged == len(SMALL_CORPUS)
        _touch(jobs)
        first = ix.index_directory(fresh_corpus)
        assert (first.updated, first.touched) == (1, 0)
        _touch(jobs, 2_000_000_100)
        then = ix.index_directory(fresh_corpus)
        assert (then.updated, then.touched) == (0, 1)


def test_a_touched_file_dated_by_its_modification_time_is_dated_again(
    tmp_path: Path, fresh_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus, date_from="mtime")
        _touch(fresh_corpus / "economy" / "jobs.txt")  # 2033-05-18
        report = ix.index_directory(fresh_corpus)
        assert (report.updated, report.touched) == (1, 0)
        assert ix.get("economy/jobs").date.year == 2033


RECORD_FILES = {
    "jsonl": (
        '{"id": "a", "title": "Ferry fares", "body": "Ferry fares rise again."}\n'
        '{"id": "b", "title": "Lighthouse keepers", "body": "The lighthouse keepers strike."}\n'
        '{"id": "c", "title": "Harbour dues", "body": "Harbour dues are cut."}\n',
        '{"id": "a", "title": "Ferry fares frozen", "body": "Ferry fares are frozen."}\n'
        '{"id": "c", "title": "Harbour dues", "body": "Harbour dues are cut."}\n',
    ),
    "csv": (
        "id,title,body\n"
        "a,Ferry fares,Ferry fares rise again.\n"
        "b,Lighthouse keepers,The lighthouse keepers strike.\n"
        "c,Harbour dues,Harbour dues are cut.\n",
        "id,title,body\n"
        "a,Ferry fares frozen,Ferry fares are frozen.\n"
        "c,Harbour dues,Harbour dues are cut.\n",
    ),
}


@pytest.mark.parametrize("ext", sorted(RECORD_FILES))
def test_reindexing_a_changed_record_file_deletes_the_records_it_no_longer_holds(
    tmp_path: Path, ext: str
):
    before, after = RECORD_FILES[ext]
    corpus = write_corpus(tmp_path / "c", {f"records.{ext}": before})
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(corpus)
        assert ix.search("lighthouse").total == 1
        (corpus / f"records.{ext}").write_text(after, encoding="utf-8")
        os.utime(corpus / f"records.{ext}", ns=(1, 1))
        report = ix.index_directory(corpus)
        assert (report.updated, report.deleted, report.documents) == (1, 0, 2)
        assert ix.get("b") is None
        assert ix.search("lighthouse").total == 0
        assert ix.get("a").title == "Ferry fares frozen"
        assert len(ix) == 2


def test_a_bad_file_is_skipped_with_a_reason_and_the_run_goes_on(tmp_path: Path):
    corpus = write_corpus(tmp_path / "c", {"good.txt": "Good\n\nA readable article.\n"})
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "latin1.txt").write_bytes("Prices\n\nIt cost \xa3300.\n".encode("cp1252"))
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(corpus)
        reasons = dict(report.skipped)
        assert set(reasons) == {"empty.txt", "binary.txt"}
        assert all(reasons.values())
        assert any("latin1.txt" in w for w in report.warnings)
        assert "£300" in ix.get("latin1").body


def test_indexing_a_missing_folder_is_a_clear_error(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix, pytest.raises(CorpusSearchError, match="not a folder"):
        ix.index_directory(tmp_path / "nowhere")


def test_indexing_a_file_says_to_index_the_folder_that_holds_it(tmp_path: Path):
    (tmp_path / "records.csv").write_text("id,title,body\n1,One,Text.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix, pytest.raises(
        CorpusSearchError, match="it is a file: index the folder that holds it"
    ):
        ix.index_directory(tmp_path / "records.csv")


@pytest.mark.parametrize(("given", "said"), [
    (["a", "b"], r"not a list \(index them one at a time\)"),
    (None, "not None"),
    (5, "not an? int"),
])
def test_indexing_what_is_not_a_path_is_a_one_line_error_naming_it(
    tmp_path: Path, given: object, said: str
):
    """(a list of folders raised TypeError: expected str, bytes or os.PathLike object)"""
    with CorpusIndex(tmp_path / "ix") as ix, pytest.raises(
        CorpusSearchError, match=f"^A folder to index is a path, {said}"
    ):
        ix.index_directory(given)  # type: ignore[arg-type]


def test_a_rebuild_from_one_folder_given_alone_reads_that_folder(tmp_path: Path):
    """(a str was a sequence of folders: one a letter)"""
    corpus = write_corpus(tmp_path / "corpus", {"a.txt": "One\n\nLabour text.\n"})
    (report,) = rebuild_index(tmp_path / "ix", str(corpus))
    assert report.indexed == 1


def test_add_get_and_delete_documents(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id="a", title="Alpha", body="The SNP gained seats.")])
        assert ix.get("a").title == "Alpha"
        assert ix.stored_fields("a")["party"] == "SNP"
        ix.add_documents([Document(id="a", title="Alpha two", body="Revised.")])
        assert len(ix) == 1 and ix.get("a").title == "Alpha two"
        assert ix.delete("a") == 1
        assert ix.get("a") is None and len(ix) == 0


def test_documents_a_program_added_count_as_documents_of_no_file_and_no_folder(
    tmp_path: Path, small_corpus: Path
):
    """(they counted as one file "" of a folder "": "12 documents from 10 files" of 9)"""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([Document(id=f"n/{i}", title="Note", body="Labour.") for i in range(3)])
        assert (ix.stats().documents, ix.stats().files, ix.stats().folders) == (3, 0, {})
        ix.index_directory(small_corpus)
        stats = ix.stats()
        assert (stats.documents, stats.files) == (len(SMALL_CORPUS) + 3, len(SMALL_CORPUS))
        assert list(stats.folders) == [str(small_corpus.resolve())]


def test_stats_count_documents_sources_parties_and_years(small_index: CorpusIndex):
    stats = small_index.stats()
    assert stats.documents == len(SMALL_CORPUS)
    assert stats.files == len(SMALL_CORPUS)
    assert stats.parties["Labour"] >= 2
    assert stats.years["2005"] == 2
    assert stats.size_bytes > 0
    assert json.dumps(stats.to_dict())


def test_stats_count_the_documents_naming_no_party_and_show_them_under_the_parties(
    tmp_path: Path,
):
    """A document names any number of parties, so the party counts need not add up to the
    documents: stats says how many name none, as search --facets does (deleted ones not)."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.add_documents([
            Document(id="a", title="Fees", body="The Lib Dems and Labour argued over fees."),
            Document(id="b", title="Fees", body="The Tories attacked tuition fees."),
            Document(id="c", title="Fees", body="Students protested about fees."),
            Document(id="d", title="Rain", body="It rained all week."),
            Document(id="e", title="Vote", body="The SNP voted against."),
        ])
        ix.delete(["d", "e"])
        stats = ix.stats()
    assert (stats.documents, stats.without_party) == (3, 1)
    assert "SNP" not in stats.parties
    assert stats.to_dict()["without_party"] == 1


def test_open_requires_an_existing_index(tmp_path: Path):
    with pytest.raises(IndexNotFoundError, match=r"index_directory\(FOLDER\)") as info:
        CorpusIndex.open(tmp_path / "none")
    assert info.value.path == tmp_path / "none"  # the error says which index it is about


def test_create_refuses_to_overwrite_unless_asked(tmp_path: Path):
    CorpusIndex(tmp_path / "ix").close()
    with pytest.raises(CorpusSearchError, match="already exists"):
        CorpusIndex.create(tmp_path / "ix")
    CorpusIndex.create(tmp_path / "ix", overwrite=True).close()


# -- an index made for what is written ------------------------------------------------------


def test_an_index_opened_to_be_made_on_write_is_not_made_by_indexing_an_empty_folder(
    tmp_path: Path,
):
    (tmp_path / "empty").mkdir()
    with CorpusIndex(tmp_path / "data" / "ix", create="on_write") as ix:
        report = ix.index_directory(tmp_path / "empty")
        assert report.indexed == 0
        assert not ix.exists
    assert not (tmp_path / "data").exists()  # neither the index nor its parent folders


def test_an_index_made_on_write_is_made_by_the_first_folder_with_a_document(
    tmp_path: Path, fresh_corpus: Path
):
    (tmp_path / "empty").mkdir()
    with CorpusIndex(tmp_path / "ix", create="on_write") as ix:
        ix.index_directory(tmp_path / "empty")
        ix.index_directory(fresh_corpus)
        assert ix.exists and len(ix) == len(SMALL_CORPUS)
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert len(ix) == len(SMALL_CORPUS)


def test_a_run_interrupted_while_reading_leaves_no_index_made_on_write(
    tmp_path: Path, fresh_corpus: Path
):
    def interrupt(phase: str, done: int, total: int, item: str) -> None:
        raise KeyboardInterrupt

    with CorpusIndex(tmp_path / "ix", create="on_write") as ix, \
            pytest.raises(KeyboardInterrupt):
        ix.index_directory(fresh_corpus, progress=interrupt, procs=1)
    assert not (tmp_path / "ix").exists()


@pytest.mark.parametrize("folder_before", [False, True], ids=["new folder", "empty folder"])
def test_a_first_write_interrupted_takes_away_the_index_it_made_but_not_the_users_folder(
    tmp_path: Path, fresh_corpus: Path, folder_before: bool
):
    path = tmp_path / "data" / "ix"
    if folder_before:
        path.mkdir(parents=True)

    def interrupt(phase: str, done: int, total: int, item: str) -> None:
        if phase == "committing":
            raise KeyboardInterrupt

    with CorpusIndex(path, create="on_write") as ix, pytest.raises(KeyboardInterrupt):
        ix.index_directory(fresh_corpus, progress=interrupt, procs=1)
    assert ix.exists is False
    if folder_before:
        assert list(path.iterdir()) == []
    else:
        assert not (tmp_path / "data").exists()


def test_indexing_an_empty_folder_leaves_an_index_made_on_write_that_existed_as_it_was(
    tmp_path: Path, fresh_corpus: Path
):
    (tmp_path / "empty").mkdir()
    CorpusIndex.create(tmp_path / "ix").close()
    before = {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()}
    with CorpusIndex(tmp_path / "ix", create="on_write") as ix:
        ix.index_directory(tmp_path / "empty")
        assert ix.exists
    assert {p.name: p.read_bytes() for p in (tmp_path / "ix").iterdir()} == before


def test_an_index_made_on_write_is_made_when_it_is_read(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix", create="on_write") as ix:
        assert len(ix) == 0
        assert ix.exists
    CorpusIndex.open(tmp_path / "ix").close()


def test_an_index_made_on_write_refuses_a_folder_of_other_files_at_once(tmp_path: Path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("do not delete")
    with pytest.raises(CorpusSearchError, match="holds other files"):
        CorpusIndex(tmp_path / "mine", create="on_write")


def test_remove_index_refuses_a_folder_that_is_not_an_index(tmp_path: Path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.txt").write_text("do not delete")
    with pytest.raises(CorpusSearchError, match="Refusing"):
        remove_index(tmp_path / "precious")
    assert (tmp_path / "precious" / "thesis.txt").exists()


def test_a_run_that_finds_a_file_unchanged_says_its_warnings_again(tmp_path: Path):
    """A line of a JSON Lines file that could not be read was said once, on the run that read
    the file; every later run, the file unchanged, said nothing of it, and the record stayed
    unread. Each run says it, until the file changes or goes."""
    from click.testing import CliRunner

    from corpus_search.cli import cli

    folder = write_corpus(tmp_path / "articles", {
        "feed.jsonl": '{"title": "One", "body": "Labour won."}\nnot json\n',
        "story.txt": "Story\n\nThe Tories lost.\n",
    })
    said = "feed.jsonl line 2: invalid JSON (Expecting value: column 1), skipped"
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.index_directory(folder).warnings == [said]
        again = ix.index_directory(folder)
        assert (again.unchanged, again.warnings, again.earlier_warnings) == (2, [], [said])
        assert again.to_dict()["earlier_warnings"] == [said]
    shown = CliRunner().invoke(cli, ["index", str(folder), "--index", str(tmp_path / "ix")])
    assert f"  warning {said} (from an earlier run; unchanged since)\n" in shown.stdout
    assert rebuild_index(tmp_path / "ix", str(folder))[0].warnings == [said]  # (recorded too)
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.index_directory(folder).earlier_warnings == [said]
        (folder / "story.txt").write_text("Story\n\nThe Tories won.\n", encoding="utf-8")
        assert ix.index_directory(folder).earlier_warnings == [said]  # (another file changed)
        (folder / "feed.jsonl").write_text('{"title": "One", "body": "Labour won."}\n',
                                           encoding="utf-8")
        fixed = ix.index_directory(folder)
        assert (fixed.updated, fixed.warnings, fixed.earlier_warnings) == (1, [], [])
        assert ix.index_directory(folder).earlier_warnings == []


def outdated_index(path: Path, folder: Path) -> Path:
    """An index of ``folder`` at ``path`` that says an older analyzer built it."""
    with CorpusIndex(path) as ix:
        ix.index_directory(folder)
    meta_path = path / META_FILENAME
    meta = json.loads(meta_path.read_text())
    meta["analyzer_version"] = "0-old"
    meta_path.write_text(json.dumps(meta))
    return path


def test_an_index_from_another_analyzer_version_is_refused_with_the_rebuild_command(
    tmp_path: Path, fresh_corpus: Path
):
    """A library user is told the rebuild_index call that rebuilds it (not a command to
    type into a terminal), and the error carries the command line too; the call, run as
    the message gives it, rebuilds the index, which then opens."""
    outdated_index(tmp_path / "ix", fresh_corpus)
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix")
    message = str(info.value)
    assert "0-old" in message
    assert "corpus-search" not in message
    call = message.split("Rebuild it with: ", 1)[1]
    assert call == f"rebuild_index({str((tmp_path / 'ix').resolve())!r}, [])"
    assert info.value.rebuild_command is not None
    assert info.value.rebuild_command.startswith(f"corpus-search index {fresh_corpus.resolve()}")
    assert info.value.rebuild_command.endswith(" --rebuild")
    assert info.value.cli_message.endswith(info.value.rebuild_command)
    eval(call, {"rebuild_index": rebuild_index})
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.search("Labour").total


@pytest.mark.parametrize("command", ["index", "search"])
def test_an_outdated_index_says_it_can_be_neither_searched_nor_added_to(
    tmp_path: Path, fresh_corpus: Path, command: str
):
    """index on an outdated index said it "cannot be searched": true, but not what stopped
    the files being added."""
    from click.testing import CliRunner

    from corpus_search.cli import cli

    outdated_index(tmp_path / "ix", fresh_corpus)
    args = [str(fresh_corpus)] if command == "index" else ["Labour"]
    result = CliRunner().invoke(cli, [command, *args, "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert ("Until it is rebuilt it can be neither searched nor added to. Rebuild it with: "
            f"corpus-search index {fresh_corpus.resolve()} --index ") in result.stderr
    assert "--rebuild\n" in result.stderr.replace(" \n", "\n")


def test_other_lexicon_files_than_an_index_was_built_with_are_refused_as_a_rebuild_to_ask_for(
    tmp_path: Path, fresh_corpus: Path
):
    terms = tmp_path / "terms.tsv"
    terms.write_text("low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n",
                     encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix", lexicon=terms)
    message = str(info.value)
    assert "built with no lexicon files of yours" in message
    assert "cannot be searched" not in message and "searched with its own" in message
    assert message.endswith(f", lexicon=[{str(terms)!r}])")  # (rebuild_index's argument)
    assert f"--lexicon {terms} --rebuild" in str(info.value.rebuild_command)
    with CorpusIndex.open(tmp_path / "ix") as ix:  # as it was, and searched
        assert ix.search("Labour").total


def test_a_comment_edited_in_a_user_lexicon_file_leaves_the_index_searchable(
    tmp_path: Path, fresh_corpus: Path
):
    terms = tmp_path / "terms.tsv"
    terms.write_text("low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n",
                     encoding="utf-8")
    with CorpusIndex(tmp_path / "ix", lexicon=terms) as ix:
        ix.index_directory(fresh_corpus)
    terms.write_text("# from the council's glossary, 2026\n"
                     "low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n",
                     encoding="utf-8")
    with CorpusIndex.open(tmp_path / "ix") as ix:  # no rebuild asked for
        assert ix.search("Labour").total


def test_a_lexicon_file_broken_while_extending_it_says_it_stops_the_index_which_is_unchanged(
    tmp_path: Path, fresh_corpus: Path
):
    terms = tmp_path / "terms.tsv"
    terms.write_text("low_traffic_neighbourhood\tlow traffic neighbourhood | =LTN\n"
                     "[protected]\nkennedy\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix", lexicon=terms) as ix:
        ix.index_directory(fresh_corpus)
    meta = (tmp_path / "ix" / META_FILENAME).read_bytes()
    # a term added under [protected] (the section the file ends in), not under [terms]
    with terms.open("a", encoding="utf-8") as file:
        file.write("school_streets\tschool street\n")
    with pytest.raises(LexiconError) as info:
        CorpusIndex.open(tmp_path / "ix")
    assert str(info.value) == (
        f"{terms}, line 4: expected one word per line in [protected] (a tab-separated "
        "concept line belongs under a [terms] header). The index at "
        f"{tmp_path / 'ix'} was built with this file, so it cannot be opened until the file "
        "loads again; the index is unchanged.")
    assert (tmp_path / "ix" / META_FILENAME).read_bytes() == meta


def test_an_index_from_another_lexicon_is_refused(tmp_path: Path):
    CorpusIndex(tmp_path / "ix").close()
    meta_path = tmp_path / "ix" / META_FILENAME
    meta = json.loads(meta_path.read_text())
    meta["lexicon_fingerprint"] = "feedface" * 8
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(IndexVersionError, match="lexicon"):
        CorpusIndex(tmp_path / "ix")


def test_a_deleted_segment_file_gives_a_clear_error_not_a_traceback(
    tmp_path: Path, fresh_corpus: Path
):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    for seg in (tmp_path / "ix").glob("*.seg"):
        seg.unlink()
    with pytest.raises(IndexCorruptError, match="rebuild_index") as info, \
            CorpusIndex(tmp_path / "ix") as ix:
        ix.search("Labour")
    assert str(info.value.rebuild_command).endswith("--rebuild")


def test_a_truncated_segment_file_gives_a_clear_error(tmp_path: Path, fresh_corpus: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    for seg in (tmp_path / "ix").glob("*.seg"):
        seg.write_bytes(seg.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match=str(tmp_path / "ix")):
        ix = CorpusIndex(tmp_path / "ix")
        ix.search("Labour")
        ix.search("budget")


def test_a_second_writer_gets_a_clear_locked_error(tmp_path: Path):
    first = CorpusIndex(tmp_path / "ix")
    writer = writer_holding_the_lock(tmp_path / "ix")
    try:
        second = CorpusIndex(tmp_path / "ix", lock_timeout=0.2)
        with pytest.raises(IndexLockedError, match="another process"):
            second.add_documents([Document(id="x", title="x", body="y")])
    finally:
        writer.cancel()
    second.add_documents([Document(id="x", title="x", body="y")])
    assert len(second) == 1
    first.close()
    second.close()


def test_the_body_is_kept_apart_from_the_small_stored_fields(tmp_path: Path):
    from corpus_search.ingest.model import Document

    ix = CorpusIndex(tmp_path / "ix")
    ix.add_documents([Document("empty", "Nothing said", "")])
    writer = ix.whoosh_index.writer()
    writer.add_document(**ix.document_fields(Document("full", "Budget", "The Chancellor spoke.")))
    writer.commit(merge=False)
    searcher = ix.searcher()
    assert all("body" not in f for f in searcher.all_stored_fields())
    assert ix.stored_fields("full")["body"] == "The Chancellor spoke."
    assert ix.get("empty").body == ""
    hit = ix.search("Chancellor").hits[0]
    assert hit.id == "full" and "**Chancellor**" in hit.snippet.plain
    ix.close()


def test_a_fetched_document_keeps_every_field_of_its_record(tmp_path: Path):
    import datetime as dt

    root = tmp_path / "c"
    root.mkdir()
    (root / "feed.jsonl").write_text(json.dumps({
        "id": "r1", "title": "Budget row", "body": "The Chancellor spoke.",
        "source": "The Times", "url": "https://example.org/r1", "date": "2005-03-01",
    }) + "\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(root)
        doc = ix.get("r1")
    assert (doc.id, doc.title, doc.body) == ("r1", "Budget row", "The Chancellor spoke.")
    assert (doc.date, doc.date_source) == (dt.date(2005, 3, 1), "metadata")
    assert (doc.source, doc.url, doc.path) == ("The Times", "https://example.org/r1", "feed.jsonl")


def test_a_creation_that_died_before_its_table_of_contents_is_created_afresh(tmp_path: Path):
    path = tmp_path / "ix"
    CorpusIndex.create(path).close()
    for toc in path.glob("_MAIN_*.toc"):
        toc.unlink()
    with CorpusIndex(path) as ix:
        assert len(ix) == 0
    assert list(path.glob("_MAIN_*.toc"))


def test_metadata_of_an_index_written_to_without_a_table_of_contents_is_damage(tmp_path: Path):
    path = tmp_path / "ix"
    CorpusIndex.create(path).close()
    for toc in path.glob("_MAIN_*.toc"):
        toc.unlink()
    meta = json.loads((path / META_FILENAME).read_text(encoding="utf-8"))
    meta["modified"] = "2001-01-01T00:00:00+00:00"
    (path / META_FILENAME).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="no table of contents"):
        CorpusIndex(path)


def test_metadata_without_folder_records_still_indexes_a_folder_and_records_it(tmp_path: Path):
    path = tmp_path / "ix"
    root = write_corpus(tmp_path / "c")
    CorpusIndex.create(path).close()
    meta = json.loads((path / META_FILENAME).read_text(encoding="utf-8"))
    del meta["roots"]
    (path / META_FILENAME).write_text(json.dumps(meta), encoding="utf-8")
    with CorpusIndex(path) as ix:
        assert ix.index_directory(root).documents == len(SMALL_CORPUS) == len(ix)
    meta = json.loads((path / META_FILENAME).read_text(encoding="utf-8"))
    assert list(meta["roots"]) == [str(root)]


def test_folders_are_checked_and_resolved_without_an_index_to_compare_with(tmp_path: Path):
    from corpus_search.ingest.folders import check_sources

    root = write_corpus(tmp_path / "c")
    assert check_sources([tmp_path / "." / "c"]) == [root.resolve()]


def test_a_file_repeating_another_word_for_word_is_indexed_and_reported_as_a_copy(
    tmp_path: Path,
):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Budget day\n\nThe Chancellor set out the budget.\n", "utf-8")
    (corpus / "b.txt").write_text("Budget day\n\nThe Chancellor  set out\nthe budget.\n", "utf-8")
    (corpus / "c.txt").write_text("Budget day\n\nThe Chancellor set out a budget.\n", "utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        report = ix.index_directory(corpus)
        assert report.duplicates == [("b", "a")]  # spacing aside; c differs by a word
        assert report.to_dict()["duplicates"] == [{"id": "b", "same_as": "a"}]
        assert ix.search("budget").total == 3  # both copies are indexed


@pytest.mark.parametrize("copy", ["speech-copy.txt", "speech - Copy.txt", "speech (1).txt",
                                  "speech copy.md"])
def test_a_copy_named_after_its_original_is_the_one_called_the_copy(tmp_path: Path, copy: str):
    # (by whole names "speech-copy.txt" sorted first, "-" before ".": the index called the
    # original the copy, search listed the copy first and export --distinct kept it)
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "speech.txt").write_text("Budget day\n\nThe Chancellor set out the budget.\n")
    (corpus / copy).write_text("Budget day\n\nThe Chancellor set out the budget.\n")
    with CorpusIndex(tmp_path / "ix") as ix:
        copy_id = copy.rsplit(".", 1)[0]
        assert ix.index_directory(corpus).duplicates == [(copy_id, "speech")]
        assert [hit.id for hit in ix.search("budget").hits] == ["speech", copy_id]


def _two_folders_with_the_same_file_names(tmp_path: Path) -> tuple[Path, Path]:
    """``politics`` and ``tech`` both hold a.txt, b.txt and c.txt; in ``tech`` b repeats a."""
    politics, tech = tmp_path / "politics", tmp_path / "tech"
    for folder in (politics, tech):
        folder.mkdir()
    for name, text in (("a", "Budget day"), ("b", "Election day"), ("c", "Polling day")):
        (politics / f"{name}.txt").write_text(f"{text}\n\nThe {name} story.\n", "utf-8")
    (tech / "a.txt").write_text("Chips\n\nA faster chip.\n", "utf-8")
    (tech / "b.txt").write_text("Chips\n\nA faster  chip.\n", "utf-8")
    (tech / "c.txt").write_text("Phones\n\nA new phone.\n", "utf-8")
    return politics, tech


def test_a_copy_in_a_folder_whose_ids_were_renamed_is_reported_by_the_ids_it_was_given(
    tmp_path: Path,
):
    politics, tech = _two_folders_with_the_same_file_names(tmp_path)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(politics)
        report = ix.index_directory(tech)
        assert report.duplicates == [("tech/b", "tech/a")]  # not b = a: those are politics'
        assert ix.get("tech/b").title == ix.get("tech/a").title == "Chips"


def test_a_rebuild_reports_copies_by_the_ids_it_gives(tmp_path: Path):
    politics, tech = _two_folders_with_the_same_file_names(tmp_path)
    reports = rebuild_index(tmp_path / "ix", [politics, tech])
    assert [r.duplicates for r in reports] == [[], [("tech/b", "tech/a")]]


def test_copies_are_looked_for_among_the_files_one_run_reads_of_one_folder(tmp_path: Path):
    politics, tech = _two_folders_with_the_same_file_names(tmp_path)
    (tech / "d.txt").write_text("Budget day\n\nThe a story.\n", "utf-8")  # politics' a
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(politics)
        assert ix.index_directory(tech).duplicates == [("tech/b", "tech/a")]
        (tech / "e.txt").write_text("Chips\n\nA faster chip.\n", "utf-8")
        # a copy of a file indexed on an earlier run (and unchanged since) is not named
        assert ix.index_directory(tech).duplicates == []


def _nested_corpus(tmp_path: Path) -> Path:
    """``bbc`` holding ``bbc/politics/001.txt`` and ``bbc/tech/001.txt``."""
    for folder, title in (("politics", "Maternity pay"), ("tech", "Chips")):
        (tmp_path / "bbc" / folder).mkdir(parents=True)
        (tmp_path / "bbc" / folder / "001.txt").write_text(f"{title}\n\nText.\n", "utf-8")
    return tmp_path / "bbc"


@pytest.mark.parametrize(("first", "then", "says"), [
    ("bbc", "bbc/politics", "lies inside"),
    ("bbc/politics", "bbc", "holds"),
])
def test_a_folder_overlapping_one_the_index_holds_is_refused_and_nothing_is_written(
    tmp_path: Path, first: str, then: str, says: str
):
    _nested_corpus(tmp_path)
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(tmp_path / first)
        before = (ix.path / META_FILENAME).read_bytes(), len(ix)
        pattern = f"{says} {re.escape(str(tmp_path / first))}, which the index at .* holds"
        with pytest.raises(FolderOverlapError, match=pattern) as info:
            ix.index_directory(tmp_path / then)
        assert ((ix.path / META_FILENAME).read_bytes(), len(ix)) == before
    # the fix in library terms (a program's user was told to run a command), the command's
    # in its own
    where, folder = str(ix.path), str(tmp_path / ("bbc" if then == "bbc" else first))
    fixes = {"lies inside": (f"CorpusIndex({where!r}).index_directory({folder!r})",
                             f"corpus-search index {folder} --index {where}"),
             "holds": (f"rebuild_index({where!r}, [{folder!r}])",
                       f"corpus-search index {folder} --index {where} --rebuild")}
    assert str(info.value).endswith(fixes[says][0])
    assert str(info.value.cli_message).endswith(fixes[says][1])
    assert info.value.rebuild_command == (fixes[says][1] if says == "holds" else None)


def test_a_rebuild_from_folders_that_overlap_is_refused_and_a_folder_given_twice_read_once(
    tmp_path: Path,
):
    bbc = _nested_corpus(tmp_path)
    with pytest.raises(FolderOverlapError, match=r"lies inside .*bbc, also to be indexed"):
        rebuild_index(tmp_path / "ix", [bbc, bbc / "politics"])
    assert not (tmp_path / "ix").exists()
    rebuild_index(tmp_path / "ix", [bbc, tmp_path / "." / "bbc"])
    with CorpusIndex.open(tmp_path / "ix") as ix:
        assert sorted(h.id for h in ix.list_documents(limit=10).hits) == [
            "politics/001", "tech/001"]


def test_a_folder_with_nothing_to_index_is_not_recorded_so_a_rebuild_does_not_read_it(
    tmp_path: Path,
):
    (tmp_path / "empty").mkdir()
    with CorpusIndex(tmp_path / "ix") as ix:
        assert ix.index_directory(tmp_path / "empty").documents == 0
    assert recorded_folders(tmp_path / "ix") == []


def test_a_folder_the_index_was_built_from_that_is_gone_is_listed_with_a_rebuild_without_it(
    tmp_path: Path,
):
    kept, moved = write_corpus(tmp_path / "kept"), write_corpus(tmp_path / "old")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(kept)
        ix.index_directory(moved, id_prefix="old/")
        assert gone_folders(ix.path) == []
        moved.rename(tmp_path / "new")
        assert gone_folders(ix.path) == [str(moved)]
        assert rebuild_without(ix.path, [str(moved)]) == (
            f"corpus-search index {kept} --index {ix.path} --rebuild")
        note = gone_folders_note(ix.path, [str(moved)], ix.stats().folders)
    assert note.startswith(f"the index holds 9 documents of {moved}, which is no folder any ")


def test_a_rebuild_from_the_recorded_folders_one_of_which_is_gone_gives_the_call_without_it(
    tmp_path: Path,
):
    """rebuild_index(path, []) refuses a gone folder with the rebuild_index call that
    rebuilds from the others (it told a program's user to run a command); the error carries
    the command line, and the call, run as given, rebuilds the index from the folder left."""
    kept, moved = write_corpus(tmp_path / "kept"), write_corpus(tmp_path / "old")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(kept)
        ix.index_directory(moved, id_prefix="old/")
    moved.rename(tmp_path / "new")
    with pytest.raises(SourceFolderError, match=f"^{re.escape(str(moved))}, which") as info:
        rebuild_index(tmp_path / "ix", [])
    call = f"rebuild_index({str(tmp_path / 'ix')!r}, [{str(kept)!r}])"
    assert str(info.value).endswith(f"at its new place: {call}")
    assert info.value.rebuild_command == (
        f"corpus-search index {kept} --index {tmp_path / 'ix'} --rebuild")
    assert str(info.value.cli_message).endswith(info.value.rebuild_command)
    eval(call, {"rebuild_index": rebuild_index})
    assert recorded_folders(tmp_path / "ix") == [kept]


def test_the_stats_of_an_index_note_a_folder_it_was_built_from_that_is_gone(tmp_path: Path):
    # one rule, in the stats: stats --json, stats and index all say what the library says,
    # the command with its command line where the library names the rebuild_index call (it
    # gave a library user the command line alone)
    kept, moved = write_corpus(tmp_path / "kept"), write_corpus(tmp_path / "old")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(kept)
        ix.index_directory(moved, id_prefix="old/")
        assert ix.stats().notes == ix.notes() == []
        moved.rename(tmp_path / "new")
        said = (f"the index holds 9 documents of {moved}, which is no folder any more (moved, "
                "renamed or deleted?): they are searched with the rest until the index is "
                "rebuilt without it: ")
        call = f"rebuild_index({str(ix.path)!r}, {[str(kept)]!r})"
        note = said + call
        assert ix.stats().notes == [note]
        assert ix.stats().to_dict()["notes"] == [note]
        assert ix.notes() == [note]
        assert ix.notes()[0].cli_message == (
            f"{said}corpus-search index {kept} --index {ix.path} --rebuild")
    eval(call, {"rebuild_index": rebuild_index})
    assert recorded_folders(tmp_path / "ix") == [kept]


def test_the_notes_of_an_index_whose_folders_are_all_there_count_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # what index says after every run: counting a large index's folders costs seconds
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(write_corpus(tmp_path / "kept"))

        def counted(searcher: object) -> None:
            raise AssertionError("counted the folders")

        monkeypatch.setattr("corpus_search.index.count_folders", counted)
        assert ix.notes() == []


def test_a_path_starting_with_a_tilde_is_in_the_home_folder_as_a_folder_to_index_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """(CorpusIndex("~/ix") made a folder named "~" in the working folder, where removing it
    with the shell's rm -r ~ would remove the home folder)"""
    home, elsewhere = tmp_path / "home", tmp_path / "work"
    home.mkdir(), elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    with CorpusIndex("~/ix") as ix:
        assert ix.path == home / "ix"
        ix.add_documents([Document(id="a", title="A", body="Labour text.")])
    with CorpusIndex.open("~/ix") as ix:
        assert len(ix) == 1
    assert check_index("~/ix").status == "healthy"
    assert not (elsewhere / "~").exists()
    remove_index("~/ix")
    assert not (home / "ix").exists()


def test_an_export_to_a_path_starting_with_a_tilde_goes_to_the_home_folder(
    small_index: CorpusIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """(export("Labour", "~/out.csv") said "the folder ~ does not exist")"""
    monkeypatch.setenv("HOME", str(tmp_path))
    assert small_index.export("Labour", "~/out.csv").path == tmp_path / "out.csv"
    assert (tmp_path / "out.csv").is_file()
