"""Upgrading and downgrading corpus_search over indexes an earlier (or later) version built.

An "old" index is made by writing what an earlier version would have left: its record
(``corpus_search.json``) edited back to what that version wrote, or segments written with
Whoosh's own writer, which keeps no ``body_length`` column. The user's files and index come
first: an index this version cannot use is refused in one line that says why and gives the
command that rebuilds it; one it can use is brought up to date by ``index`` without a rebuild.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

from conftest import SMALL_CORPUS, writer_holding_the_lock
from corpus_search import CorpusIndex
from corpus_search.errors import IndexVersionError
from corpus_search.indexing import document_fields
from corpus_search.store.check import check_index
from corpus_search.store.files import META_FILENAME
from corpus_search.store.generations import committed_segments
from corpus_search.store.w3 import LONGEST_LENGTH


def _edit_meta(path: Path, **changes: object) -> None:
    meta_path = path / META_FILENAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(changes)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


@pytest.fixture
def terms(tmp_path: Path) -> Path:
    path = tmp_path / "my_terms.tsv"
    path.write_text("[terms]\nreform_club\tReform Club\n", encoding="utf-8")
    return path


def test_an_index_built_with_the_lexicon_of_another_version_says_so_not_that_yours_changed(
    tmp_path: Path, fresh_corpus: Path, terms: Path
):
    """After an upgrade whose bundled lexicon changed, the refusal says the index was built
    by another version of corpus_search and the user's lexicon files are as they were (a bare
    'built with lexicon X, the current lexicon is Y' left users looking for what they had
    changed), and gives the rebuild command with the user's files."""
    with CorpusIndex(tmp_path / "ix", lexicon=str(terms)) as ix:
        ix.index_directory(fresh_corpus)
    _edit_meta(tmp_path / "ix", lexicon_fingerprint="0ld0ld0ld0ld0ld0")
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix")
    message = str(info.value)
    assert "the lexicon of another version of corpus_search (0ld0ld0ld0ld" in message
    assert "your lexicon files are as they were" in message
    assert f"--lexicon {terms} --rebuild" in str(info.value.rebuild_command)
    assert str(info.value.cli_message).endswith(str(info.value.rebuild_command))
    assert message.endswith("', [])") and "\n" not in message  # (the recorded files kept)


def test_a_lexicon_file_of_yours_that_changed_is_named_not_put_on_another_version(
    tmp_path: Path, fresh_corpus: Path, terms: Path
):
    with CorpusIndex(tmp_path / "ix", lexicon=str(terms)) as ix:
        ix.index_directory(fresh_corpus)
    terms.write_text("[terms]\nreform_club\tReform Club | the Reform\n", encoding="utf-8")
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix")
    message = str(info.value)
    assert f"{terms} changed since" in message and "another version" not in message


def _forget_reading_version(path: Path) -> None:
    """Make the index at ``path`` look read by the readers before they had a version."""
    meta_path = path / META_FILENAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for record in meta["roots"].values():
        del record["reading_version"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _as_older_readers_made_it(path: Path, doc_id: str, body: str) -> None:
    """Write document ``doc_id`` of the index at ``path`` again with ``body``, the record of
    its file kept: what a version whose readers read the file otherwise left."""
    with CorpusIndex(path) as ix:
        fields = ix.stored_fields(doc_id)
        doc = ix.get(doc_id)
        lexicon = ix.lexicon
    assert fields is not None and doc is not None
    writer = writer_holding_the_lock(path)
    writer.update_document(
        **document_fields(replace(doc, body=body), lexicon, fields["root"], fields["file_sig"])
    )
    writer.commit()


def _index_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def test_a_folder_whose_every_file_changed_leaves_no_segment_of_deleted_documents_behind(
    tmp_path: Path, fresh_corpus: Path
):
    """Every file written anew deletes every document of the old segments; such segments are
    left out of the commit and their files removed, so the index does not double in size
    (the BBC index read again after an upgrade went from 18 to 36 MB, two segments of
    nothing but deleted documents kept for good)."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    before = committed_segments(tmp_path / "ix")
    size = _index_size(tmp_path / "ix")
    for path in fresh_corpus.rglob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(fresh_corpus)
        assert again.updated == len(SMALL_CORPUS) and len(ix) == len(SMALL_CORPUS)
        assert ix.search("Labour").total
    after = committed_segments(tmp_path / "ix")
    assert len(after) == len(before) and not after & before
    assert not any(name in f.name for f in (tmp_path / "ix").iterdir() for name in before)
    assert _index_size(tmp_path / "ix") < 1.5 * size
    assert check_index(tmp_path / "ix").healthy


def test_files_read_again_after_an_upgrade_are_written_only_where_they_read_otherwise(
    tmp_path: Path, fresh_corpus: Path
):
    """After an upgrade whose readers read files differently, every file is read again once;
    those whose documents come out as the index holds them are left as they are (written
    anew, the 2,225 BBC files took 10 s, what a rebuild takes, for the same index), and the
    one that reads otherwise is written: here a post whose first line the older readers
    dropped under its front matter title."""
    post = fresh_corpus / "post.md"
    post.write_text("---\ntitle: Budget day\n---\nThe Chancellor spoke.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    first = committed_segments(tmp_path / "ix")  # (every document as read today)
    _as_older_readers_made_it(tmp_path / "ix", "post", body="")
    _forget_reading_version(tmp_path / "ix")
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(fresh_corpus)
        # (the post, unchanged but read otherwise, is re-read: written again, not updated)
        assert (again.reread, again.updated, again.read_the_same) == (1, 0, len(SMALL_CORPUS))
        assert "came out as indexed" in again.reread_note
        assert ix.get("post").body == "The Chancellor spoke."
        assert "post" in {hit.id for hit in ix.search("Chancellor").hits}
    assert first <= committed_segments(tmp_path / "ix")  # (not written again)


def test_a_long_document_an_earlier_version_measured_short_is_measured_by_the_next_index_run(
    tmp_path: Path,
):
    """An index written before ``body_length`` ranks a body longer than Whoosh's length
    byte (a file of many articles) at a fraction of its length. Its note says to index its
    folder again (not to rebuild the whole index), and that run writes the file again with
    its exact length, saying why an unchanged file was written."""
    folder = tmp_path / "articles"
    folder.mkdir()
    article = "Tony Blair named the election date. Gordon Brown spoke about schools.\n"
    (folder / "short.txt").write_text(f"Election date\n\n{article}", encoding="utf-8")
    copies = 1 + 2 * LONGEST_LENGTH // len(article.split())
    (folder / "dump.txt").write_text("Collected\n\n" + article * copies, encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(folder)
        fields = ix.stored_fields("dump")
        doc = ix.get("dump")
        assert fields is not None and doc is not None
        writer = SegmentWriter(ix.whoosh_index)  # writes no exact lengths, as before
        writer.update_document(**ix.document_fields(doc, fields["root"], fields["file_sig"]))
        writer.commit()
        (note,) = [n for n in ix.notes() if "longer than this index recorded" in n]
        assert note.endswith(
            f"index its folder again to rank it by its length: index_directory({str(folder)!r})")
        assert note.cli_message.endswith(
            f"index its folder again to rank it by its length: corpus-search index {folder} "
            f"--index {tmp_path / 'ix'}"
        )
        report = ix.index_directory(folder)
        assert (report.updated, report.unchanged, report.measured) == (1, 1, 1)
        assert report.measured_note and "longer than the index recorded" in report.measured_note
        assert not [n for n in ix.notes() if "longer than this index recorded" in n]
        again = ix.index_directory(folder)
        assert (again.updated, again.unchanged, again.measured) == (0, 2, 0)


def test_files_an_older_version_indexed_after_a_downgrade_are_read_again_after_the_upgrade(
    tmp_path: Path, fresh_corpus: Path
):
    """A version from before reading versions keeps the folder record's keys it does not
    know (the reading version among them) and sets its time: a post it added meanwhile,
    read by its readers, kept what they made of it for good after the upgrade back, as the
    record claimed today's readers had read the folder. The moved time says otherwise: the
    next run reads the folder again and writes the post as today's readers read it."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    post = fresh_corpus / "post.md"
    post.write_text("---\ntitle: Budget day\n---\nThe Chancellor spoke.\n", encoding="utf-8")
    with CorpusIndex(tmp_path / "ix") as ix:  # the older version adds it ...
        ix.index_directory(fresh_corpus)
    _as_older_readers_made_it(tmp_path / "ix", "post", body="")  # ... as its readers read it
    meta = json.loads((tmp_path / "ix" / META_FILENAME).read_text(encoding="utf-8"))
    [(root, record)] = meta["roots"].items()
    _edit_meta(tmp_path / "ix", roots={root: {**record, "indexed": "2027-01-01T00:00:00+00:00"}})
    with CorpusIndex(tmp_path / "ix") as ix:
        again = ix.index_directory(fresh_corpus)
        assert again.read_by_older_readers and again.reread == 1
        assert ix.get("post").body == "The Chancellor spoke."
        once = ix.index_directory(fresh_corpus)
        assert not once.read_by_older_readers and once.unchanged == len(SMALL_CORPUS) + 1


@pytest.mark.parametrize(("key", "later"), [("analyzer_version", "99"), ("format", 99)])
def test_an_index_from_a_newer_version_says_so_and_that_a_rebuild_is_not_the_only_way(
    tmp_path: Path, fresh_corpus: Path, key: str, later: object
):
    """After a downgrade, an index a later version built or updated is refused as built by a
    newer version, to be searched with it; the rebuild command comes with a warning that
    the newer version would then rebuild it again (not simply 'Rebuild it with')."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(fresh_corpus)
    _edit_meta(tmp_path / "ix", **{key: later})
    files = {f.name: f.read_bytes() for f in (tmp_path / "ix").iterdir()}
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(tmp_path / "ix")
    message = str(info.value)
    assert "built by a newer version of corpus_search" in message
    assert "Search it with that version, as it is" in message
    assert message.endswith(f"rebuild_index({str(tmp_path / 'ix')!r}, [])")
    assert "\n" not in message
    assert str(info.value.rebuild_command).endswith(f"--index {tmp_path / 'ix'} --rebuild")
    assert {f.name: f.read_bytes() for f in (tmp_path / "ix").iterdir()} == files
