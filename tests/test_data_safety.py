"""Never lose a user's files or index.

* The library deletes only files it wrote: removing or rebuilding an index leaves everything
  else in its folder, an index is not created among other files, and an index never lives
  inside a folder being indexed (nor the reverse).
* ``--rebuild`` checks every argument before it touches the old index.
* A bad record or document is skipped or refused, never reported as damage.
* The index remembers its user lexicon files: rebuilds keep them, the rebuild command in a
  message names them (and every folder and id prefix), and a moved file gets a message that
  says what to do.
"""

from __future__ import annotations

import errno
import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from conftest import SMALL_CORPUS, corpus_search_command, write_corpus
from corpus_search import (
    CorpusIndex,
    Document,
    DocumentIndexError,
    IndexCorruptError,
    IndexLocationError,
    IndexVersionError,
    IngestError,
    LexiconError,
    LexiconMissingError,
    SourceFolderError,
    rebuild_index,
    remove_index,
)
from corpus_search.ingest.files import read_file
from corpus_search.store.check import check_index
from corpus_search.store.files import (
    META_FILENAME,
    folder_contents,
    is_own_file,
    remove_uncommitted,
    write_failure_message,
)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> content), the lock file aside."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "MAIN_WRITELOCK"
    }


def _ids(path: Path) -> set[str]:
    with CorpusIndex.open(path) as ix:
        return {f["id"] for f in ix.searcher().all_stored_fields()}


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*corpus_search_command(), *args], env=env, capture_output=True,
                          text=True, timeout=120)


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "Traceback" not in result.stderr
    return lines[0]


# -- only the index's own files ----------------------------------------------------------------


def test_the_index_files_are_recognised_by_name_and_nothing_else_is(tmp_path: Path):
    """Every file an index folder holds after indexing, committing and failing is one of the
    index's own names; a user's files never are."""
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(write_corpus(tmp_path / "corpus"))
    assert all(is_own_file(p.name) for p in (tmp_path / "ix").iterdir())
    for name in ("_MAIN_3.toc", "_MAIN_3.toc.1700000000.25", "MAIN_0a1b2c3d4e5f6g7h.seg",
                 "MAIN_0a1b2c3d.trm", "MAIN_WRITELOCK", "MAIN.tmp", META_FILENAME,
                 f".{META_FILENAME}.123.tmp"):
        assert is_own_file(name), name
    for name in ("notes.txt", "MAIN_README", "main_abc.seg", "corpus_search.json.bak",
                 "_MAIN_x.toc", "thesis.docx", "MAIN", ".corpus_search.json.tmp"):
        assert not is_own_file(name), name


def test_rebuilding_an_index_keeps_every_file_the_user_put_in_its_folder(
    tmp_path: Path, cli_env: dict[str, str]
):
    """Notes and subfolders a user keeps in the index folder survive --rebuild (which used
    to delete the whole folder) and remove_index; only the index's own files go."""
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    assert _cli("index", str(corpus), "--index", str(index), env=cli_env).returncode == 0
    (index / "notes.txt").write_text("my notes on the index", encoding="utf-8")
    (index / "exports").mkdir()
    (index / "exports" / "hits.csv").write_text("id,score\n", encoding="utf-8")
    mine = {k: v for k, v in _files(index).items() if not is_own_file(k.split("/")[0])}
    result = _cli("index", str(corpus), "--index", str(index), "--rebuild", env=cli_env)
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in _files(index).items() if k in mine} == mine
    assert _ids(index) == {rel.removesuffix(".txt") for rel in SMALL_CORPUS}
    remove_index(index)
    assert _files(index) == mine, "remove_index removed a file the library did not write"
    assert folder_contents(index).own == []


def test_remove_index_removes_the_folder_when_only_index_files_were_in_it(tmp_path: Path):
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(write_corpus(tmp_path / "corpus"))
    remove_index(tmp_path / "ix")
    assert not (tmp_path / "ix").exists()


def test_remove_index_refuses_a_folder_of_other_files_and_a_file(tmp_path: Path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.txt").write_text("do not delete", encoding="utf-8")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    for target in (tmp_path / "precious", tmp_path / "a-file"):
        with pytest.raises(IndexLocationError, match="Refusing"):
            remove_index(target)
    assert (tmp_path / "precious" / "thesis.txt").read_text() == "do not delete"
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_an_index_is_not_created_in_a_folder_that_holds_other_files(tmp_path: Path):
    """CorpusIndex(path) on a folder of someone's files refuses, saying which files, and
    writes nothing there; a folder holding only system litter (.DS_Store) is fine."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("Dear MP", encoding="utf-8")
    with pytest.raises(IndexLocationError, match=r"letter\.txt"):
        CorpusIndex(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]
    litter = tmp_path / "mac"
    litter.mkdir()
    (litter / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    CorpusIndex(litter).close()
    assert (litter / META_FILENAME).exists()


def test_an_index_is_not_created_where_a_file_is(tmp_path: Path):
    (tmp_path / "ix").write_text("a file", encoding="utf-8")
    with pytest.raises(IndexLocationError, match="is a file"):
        CorpusIndex(tmp_path / "ix")
    assert (tmp_path / "ix").read_text() == "a file"


@pytest.mark.parametrize("rebuild", [False, True], ids=["index", "rebuild"])
def test_indexing_a_folder_into_itself_is_refused_in_one_line_and_loses_nothing(
    tmp_path: Path, cli_env: dict[str, str], rebuild: bool
):
    """``corpus-search index corpus --index corpus [--rebuild]`` used to delete every source
    file and exit 0 with "0 documents"; now it exits 2 with one line and every file stays."""
    corpus = write_corpus(tmp_path / "corpus")
    before = _files(corpus)
    result = _cli("index", str(corpus), "--index", str(corpus),
                  *(["--rebuild"] if rebuild else []), env=cli_env)
    line = _one_line_error(result)
    assert str(corpus) in line
    if not rebuild:  # (it said the index folder was "inside the folder being indexed")
        assert f"{corpus} is the folder being indexed" in line
    assert _files(corpus) == before


def test_an_index_folder_inside_the_folder_being_indexed_is_refused_before_anything_is_written(
    tmp_path: Path, cli_env: dict[str, str]
):
    corpus = write_corpus(tmp_path / "corpus")
    before = _files(corpus)
    for args in (["--index", str(corpus / "search-index")],
                 ["--index", str(corpus / "search-index"), "--rebuild"]):
        line = _one_line_error(_cli("index", str(corpus), *args, env=cli_env))
        assert "inside the folder being indexed" in line
    assert _files(corpus) == before
    with CorpusIndex(tmp_path / "ix") as ix, pytest.raises(IndexLocationError):
        ix.index_directory(tmp_path)  # the folder holding the index


def test_a_folder_inside_the_index_folder_is_refused(tmp_path: Path, cli_env: dict[str, str]):
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(write_corpus(tmp_path / "corpus"))
    inner = write_corpus(index / "more")
    line = _one_line_error(_cli("index", str(inner), "--index", str(index), env=cli_env))
    assert "inside the index folder" in line
    assert len(_ids(index)) == len(SMALL_CORPUS)


def test_an_index_in_a_hidden_subfolder_of_the_indexed_folder_is_allowed(tmp_path: Path):
    """Ingest skips hidden folders, so ``~/.local/share/corpus-search/index`` may index ``~``."""
    home = write_corpus(tmp_path / "home")
    with CorpusIndex(home / ".local" / "share" / "ix") as ix:
        report = ix.index_directory(home)
        assert report.indexed == len(SMALL_CORPUS)


# -- --rebuild checks first --------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus")
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.index_directory(corpus)
    return index, corpus


@pytest.mark.parametrize("bad", ["missing folder", "a file", "bad lexicon", "missing lexicon"])
def test_a_rebuild_with_a_bad_argument_changes_nothing(
    built: tuple[Path, Path], cli_env: dict[str, str], bad: str
):
    """A mistyped folder used to leave an empty index; now every argument is checked first:
    exit 2, one line, and the index (files and documents) exactly as it was."""
    index, corpus = built
    tmp = index.parent
    (tmp / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    (tmp / "bad.tsv").write_text("[terms]\nNot A Concept\tbroken\n", encoding="utf-8")
    args = {
        "missing folder": [str(corpus), str(tmp / "corpuss")],
        "a file": [str(corpus), str(tmp / "notes.txt")],
        "bad lexicon": [str(corpus), "--lexicon", str(tmp / "bad.tsv")],
        "missing lexicon": [str(corpus), "--lexicon", str(tmp / "nowhere.tsv")],
    }[bad]
    before = _files(index)
    result = _cli("index", *args, "--index", str(index), "--rebuild", env=cli_env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert _files(index) == before
    assert _ids(index) == {rel.removesuffix(".txt") for rel in SMALL_CORPUS}


def test_rebuild_index_checks_folders_and_lexicon_before_touching_the_index(
    built: tuple[Path, Path]
):
    index, corpus = built
    before = _files(index)
    with pytest.raises(IngestError, match="does not exist"):
        rebuild_index(index, [corpus, index.parent / "nowhere"])
    (index.parent / "bad.tsv").write_text("[terms]\nNot A Concept\tx\n", encoding="utf-8")
    with pytest.raises(LexiconError):
        rebuild_index(index, [corpus], lexicon=[index.parent / "bad.tsv"])
    assert _files(index) == before


def test_rebuild_index_given_no_folders_rebuilds_from_those_the_index_records(
    built: tuple[Path, Path]
):
    # (an empty list, a glob that matched nothing, replaced the index with an empty one)
    index, _corpus = built
    ids = _ids(index)
    assert ids
    rebuild_index(index, [])
    assert _ids(index) == ids


def test_rebuild_index_given_no_folders_of_an_index_made_by_a_program_changes_nothing(
    tmp_path: Path,
):
    index = tmp_path / "ix"
    with CorpusIndex(index) as ix:
        ix.add_documents([Document(id="a", title="Budget", body="The budget was read.")])
    before = _files(index)
    with pytest.raises(SourceFolderError, match=r"^No folders to rebuild from: the index at "
                                                r".*records none .*rebuild_index\(path, "):
        rebuild_index(index, [])
    assert _files(index) == before
    assert _ids(index) == {"a"}


def test_a_rebuild_of_several_folders_is_one_commit_and_replaces_what_was_there(
    tmp_path: Path, built: tuple[Path, Path]
):
    """All folders of a rebuild arrive in one generation; folders not named are gone."""
    index, _corpus = built
    a = write_corpus(tmp_path / "a", {"x.txt": "Alpha\n\nLabour in Wales.\n"})
    b = write_corpus(tmp_path / "b", {"y.txt": "Beta\n\nTories in Kent.\n"})
    generation = check_index(index).generation
    reports = rebuild_index(index, [a, b], id_prefix="p/")
    assert [r.indexed for r in reports] == [1, 1]
    assert check_index(index).generation == generation + 1
    assert _ids(index) == {"p/x", "p/y"}


def test_a_rebuild_repairs_an_index_whose_files_are_damaged(built: tuple[Path, Path]):
    """The old generation is never read, so a rebuild works on any damage."""
    index, corpus = built
    for seg in index.glob("*.seg"):
        seg.write_bytes(b"garbage")
    (index / META_FILENAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorruptError):
        CorpusIndex(index)
    rebuild_index(index, [corpus])
    assert check_index(index).healthy
    assert len(_ids(index)) == len(SMALL_CORPUS)


def test_create_with_overwrite_replaces_the_index_but_not_the_users_files(
    built: tuple[Path, Path]
):
    index, _corpus = built
    (index / "keep.md").write_text("mine", encoding="utf-8")
    with CorpusIndex.create(index, overwrite=True) as ix:
        assert len(ix) == 0
    assert (index / "keep.md").read_text() == "mine"


# -- bad records and documents -------------------------------------------------------------------


def test_a_jsonl_record_with_an_escaped_lone_surrogate_is_repaired_with_a_line_numbered_warning(
    tmp_path: Path,
):
    """One record with ``"\\udc80"`` in its body or id used to abort the whole run as "index
    damaged"; it is now indexed with U+FFFD in place of the surrogate, and the line named."""
    folder = tmp_path / "feed"
    folder.mkdir()
    lines = [
        json.dumps({"id": "one", "title": "Fine", "body": "Labour won."}),
        '{"id": "two\\udc80", "title": "Odd", "body": "The \\udc80 Tories \\ud83d\\ude00"}',
        json.dumps({"id": "three", "title": "Fine too", "body": "Lib Dems won."}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_file(folder / "feed.jsonl", folder)
    assert [d.id for d in result.documents] == ["one", "two\ufffd", "three"]
    assert result.documents[1].body == "The \ufffd Tories \U0001F600"
    assert result.warnings == [
        "feed.jsonl line 2: body, id held an escaped lone surrogate (not Unicode text), "
        "replaced with U+FFFD"
    ]


def test_a_folder_with_such_a_record_is_indexed_whole_and_the_index_stays_healthy(
    tmp_path: Path, cli_env: dict[str, str]
):
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "feed.jsonl").write_text(
        '{"id": "bad\\udc80", "title": "Broken", "body": "A lone \\udc80 in Parliament"}\n',
        encoding="utf-8",
    )
    index = tmp_path / "ix"
    result = _cli("index", str(corpus), "--index", str(index), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "feed.jsonl line 1" in result.stdout
    assert len(_ids(index)) == len(SMALL_CORPUS) + 1
    assert check_index(index).healthy


@pytest.mark.parametrize("field", ["id", "title", "body", "source"])
def test_adding_a_document_that_is_not_unicode_text_is_refused_and_commits_nothing(
    built: tuple[Path, Path], field: str
):
    """add_documents with a lone surrogate in any text field raises DocumentIndexError naming
    the document and the field (never IndexCorruptError), and nothing of the batch lands."""
    from corpus_search import Document

    index, _corpus = built
    values = {"id": "bad", "title": "Bad", "body": "Body", "source": "BBC"}
    values[field] = values[field] + "\udc80"
    before = _files(index)
    with CorpusIndex(index) as ix:
        with pytest.raises(DocumentIndexError, match=f"its {field} is not valid Unicode"):
            ix.add_documents([Document(id="good", title="Good", body="Fine"),
                              Document(**values)])
        assert ix.get("good") is None
    assert _files(index) == before


def test_an_error_while_adding_a_document_is_never_reported_as_damage(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
):
    """A failure inside analysis (here a ValueError, one of the errors damaged files raise)
    propagates as itself: a check finds the index intact, and the index is unchanged."""
    from corpus_search import Document
    from corpus_search import indexing as indexing_module

    index, _corpus = built

    def broken(title: str, body: str, lexicon: object, **_: object) -> list[str]:
        raise ValueError("analysis went wrong")

    monkeypatch.setattr(indexing_module, "document_parties", broken)
    before = _files(index)
    with CorpusIndex(index) as ix, pytest.raises(ValueError, match="analysis went wrong"):
        ix.add_documents([Document(id="x", title="X", body="Labour")])
    assert _files(index) == before


# -- the user's lexicon files --------------------------------------------------------------------

LEXICON = "[terms]\nreform_club\tReform Club | Blue Lodge\n"


@pytest.fixture
def with_lexicon(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """An index of two folders with different id prefixes, built with a user lexicon."""
    a = write_corpus(tmp_path / "a", {"club.txt": "Club news\n\nThe Reform Club met.\n"})
    b = write_corpus(tmp_path / "b", {"other.txt": "Other\n\nLabour met.\n"})
    lexicon = tmp_path / "terms.tsv"
    lexicon.write_text(LEXICON, encoding="utf-8")
    index = tmp_path / "ix"
    with CorpusIndex(index, lexicon=lexicon) as ix:
        ix.index_directory(a, id_prefix="a/")
        ix.index_directory(b, id_prefix="b/")
    return index, a, b, lexicon


def test_the_index_records_its_lexicon_files_with_a_digest_of_their_content(
    with_lexicon: tuple[Path, Path, Path, Path]
):
    import hashlib

    index, _a, _b, lexicon = with_lexicon
    meta = json.loads((index / META_FILENAME).read_text(encoding="utf-8"))
    digest = hashlib.sha256(lexicon.read_bytes()).hexdigest()[:16]
    assert meta["lexicon_files"] == [{"path": str(lexicon.resolve()), "sha256": digest}]


def test_a_rebuild_without_lexicon_options_keeps_the_recorded_files_and_no_lexicon_drops_them(
    with_lexicon: tuple[Path, Path, Path, Path], cli_env: dict[str, str]
):
    index, a, _b, _lexicon = with_lexicon
    for args, expected in (([], 1), (["--no-lexicon"], 0)):
        result = _cli("index", str(a), "--index", str(index), "--rebuild", *args, env=cli_env)
        assert result.returncode == 0, result.stderr
        with CorpusIndex.open(index) as ix:
            assert len(ix.lexicon.extra_paths) == expected
            found = ix.search('"Blue Lodge"').total
        assert found == expected, "the user lexicon's term finds the club note only with it"


def test_the_rebuild_command_after_a_lexicon_change_keeps_every_folder_prefix_and_lexicon(
    with_lexicon: tuple[Path, Path, Path, Path], cli_env: dict[str, str]
):
    """Editing the lexicon file makes the index refuse to open with the rebuild command; the
    command names the changed file, every folder with its --id-prefix, and --lexicon; run as
    printed it restores an index with the same ids that opens with the edited lexicon."""
    index, a, b, lexicon = with_lexicon
    ids = _ids(index)
    lexicon.write_text(LEXICON + "liberal_club\tNational Liberal Club\n", encoding="utf-8")
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(index)
    message = str(info.value)
    assert f"{lexicon.resolve()} changed since" in message
    command = info.value.rebuild_command
    for part in (str(a), str(b), "--id-prefix a/", "--id-prefix b/",
                 f"--lexicon {lexicon.resolve()}", "--rebuild"):
        assert part in command, (part, command)
    for single in command.split(" && "):
        argv = shlex.split(single)
        assert argv[0] == "corpus-search"
        result = _cli(*argv[1:], env=cli_env)
        assert result.returncode == 0, result.stderr
    assert _ids(index) == ids
    with CorpusIndex.open(index) as ix:
        assert ix.search('"National Liberal Club"').total == 0  # opens with the new lexicon


def test_a_moved_lexicon_file_gets_a_message_that_says_what_to_do_and_following_it_works(
    with_lexicon: tuple[Path, Path, Path, Path], cli_env: dict[str, str]
):
    """Searching after the lexicon file moved: exit 2 and one line naming the missing file
    and the command that records its new place; running that command with the new place
    keeps the index as it is (nothing re-indexed) and searching works again."""
    index, _a, _b, lexicon = with_lexicon
    moved = lexicon.with_name("moved-terms.tsv")
    lexicon.rename(moved)
    with pytest.raises(LexiconMissingError, match="is missing"):
        CorpusIndex(index)
    line = _one_line_error(_cli("search", "Lodge", "--index", str(index), env=cli_env))
    assert str(lexicon.resolve()) in line and "NEW-PLACE" in line
    command = line.split("record its new place with: ", 1)[1].split(" (", 1)[0]
    argv = shlex.split(command.replace("NEW-PLACE", shlex.quote(str(moved))))
    result = _cli(*argv[1:], "--json", env=cli_env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)["reports"][0]
    assert report["unchanged"] == 1 and report["documents"] == 0
    search = _cli("search", '"Blue Lodge"', "--index", str(index), env=cli_env)
    assert search.returncode == 0, search.stderr
    meta = json.loads((index / META_FILENAME).read_text(encoding="utf-8"))
    assert meta["lexicon_extra"] == [str(moved.resolve())]


def test_a_moved_lexicon_file_tells_a_library_user_the_call_that_records_its_new_place(
    with_lexicon: tuple[Path, Path, Path, Path]
):
    """The library's error gave only the corpus-search command line; it names the
    CorpusIndex call (the command's line is its cli_message), and making that call with the
    new place keeps the index as it is and searches again."""
    index, a, _b, lexicon = with_lexicon
    moved = lexicon.with_name("moved-terms.tsv")
    lexicon.rename(moved)
    with pytest.raises(LexiconMissingError) as caught:
        CorpusIndex(index)
    said = str(caught.value)
    assert "corpus-search" not in said and "--" not in said
    assert said.endswith("to drop the file instead, rebuild with lexicon=[]).")
    assert "record its new place with: corpus-search index " in caught.value.cli_message
    call = said.split("record its new place with: ", 1)[1].split(" (the same", 1)[0]
    assert call == (f"CorpusIndex({str(index.resolve())!r}, lexicon=[NEW_PLACE])"
                    f".index_directory({str(a.resolve())!r}, id_prefix='a/')")
    report = eval(call, {"CorpusIndex": CorpusIndex, "NEW_PLACE": str(moved)})
    assert report.unchanged == 1 and report.indexed == 0
    with CorpusIndex.open(index) as ix:
        assert ix.search('"Blue Lodge"').total == 1


def test_a_rebuild_whose_recorded_lexicon_file_is_missing_says_what_to_do(
    with_lexicon: tuple[Path, Path, Path, Path], cli_env: dict[str, str]
):
    index, a, _b, lexicon = with_lexicon
    lexicon.unlink()
    before = _files(index)
    line = _one_line_error(_cli("index", str(a), "--index", str(index), "--rebuild",
                                env=cli_env))
    assert "--lexicon" in line and "--no-lexicon" in line and str(lexicon.resolve()) in line
    assert _files(index) == before
    # from Python, the same in its arguments' terms
    with pytest.raises(LexiconMissingError) as caught:
        rebuild_index(index, [a])
    assert str(caught.value).endswith(
        "give its new place with lexicon=[...], or rebuild without it with lexicon=[].")
    assert _files(index) == before



def test_check_gives_the_rebuild_command_with_the_user_lexicon_the_index_was_built_with(
    with_lexicon: tuple[Path, Path, Path, Path]
):
    index, a, b, lexicon = with_lexicon
    command = shlex.split(check_index(index).rebuild_command)
    assert command[command.index("--lexicon") + 1] == str(lexicon)
    assert str(a) in command and str(b) in command


# -- what an unfinished write leaves, and a write the disk refused ------------------------------


def test_a_folder_with_nothing_unfinished_frees_nothing(tmp_path: Path):
    (tmp_path / "MAIN_abc.seg").write_bytes(b"x" * 10)
    (tmp_path / "notes.txt").write_bytes(b"y" * 7)
    assert remove_uncommitted(tmp_path, {"MAIN_abc"}) == 0
    assert sorted(os.listdir(tmp_path)) == ["MAIN_abc.seg", "notes.txt"]


def test_the_bytes_freed_are_those_of_every_file_removed_including_the_scratch_folder(
    tmp_path: Path,
):
    (tmp_path / "MAIN_old.seg").write_bytes(b"k" * 11)
    (tmp_path / "MAIN_new.seg").write_bytes(b"u" * 13)
    (tmp_path / "_MAIN_3.toc.123.45").write_bytes(b"t" * 5)
    scratch = tmp_path / "MAIN.tmp" / "deeper"
    scratch.mkdir(parents=True)
    (scratch / "a").write_bytes(b"s" * 17)
    (tmp_path / "MAIN.tmp" / "b").write_bytes(b"s" * 19)
    freed = remove_uncommitted(tmp_path, {"MAIN_old"})
    assert freed == 13 + 5 + 17 + 19
    assert sorted(os.listdir(tmp_path)) == ["MAIN_old.seg"]


def test_unreadable_table_of_contents_leaves_segments_alone(tmp_path: Path):
    (tmp_path / "MAIN_new.seg").write_bytes(b"u" * 13)
    assert remove_uncommitted(tmp_path, None) == 0
    assert os.listdir(tmp_path) == ["MAIN_new.seg"]


def test_a_full_disk_is_named_by_the_file_system_it_is_mounted_at(tmp_path: Path):
    exc = OSError(errno.ENOSPC, "No space left on device")
    message = write_failure_message(exc, tmp_path / "ix", freed=2048)
    mount = message.split("file system mounted at ")[1].split(",")[0].split(")")[0]
    assert os.path.ismount(mount)
    assert Path(os.path.realpath(tmp_path)).is_relative_to(mount)
    assert message.startswith(f"Could not write to the index at {tmp_path / 'ix'}: the disk")
    assert "free now" in message
    assert "the unfinished files of this write (2.0 KB) were removed" in message
    assert message.endswith("free some space there and run the same command again.")


def test_a_read_only_file_system_is_named_too(tmp_path: Path):
    exc = OSError(errno.EROFS, "Read-only file system")
    message = write_failure_message(exc, tmp_path / "ix", creating=True)
    mount = message.split("(mounted at ")[1].split(")")[0]
    assert os.path.ismount(mount)
    assert message == (
        f"Could not create an index at {tmp_path / 'ix'}: {tmp_path / 'ix'} is on a read-only "
        f"file system (mounted at {mount}); make it writable or choose another folder for the "
        "index."
    )
