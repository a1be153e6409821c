"""A damaged index, or one built by another analyzer or lexicon version, is refused with a
message that names the index and gives the command that rebuilds it: IndexCorruptError or
IndexVersionError from the library, exit code 2 and that message (no traceback) from the CLI.
Following the command in the message really does rebuild the index."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, SMALL_CORPUS, corpus_search_command
from corpus_search import CorpusIndex, CorpusSearchError, IndexCorruptError, IndexVersionError
from corpus_search.errors import IndexStateError
from corpus_search.store.files import META_FILENAME
from reliability_helpers import assert_readable


def _files(path: Path, pattern: str) -> list[Path]:
    found = sorted(path.glob(pattern))
    assert found, f"no {pattern} in {path}"
    return found


def _truncate(fraction: float) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        for seg in _files(path, "*.seg"):
            data = seg.read_bytes()
            seg.write_bytes(data[: int(len(data) * fraction)])

    return damage


def _delete(pattern: str) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        for item in _files(path, pattern):
            item.unlink()

    return damage


def _overwrite(pattern: str, data: bytes) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        for item in _files(path, pattern):
            item.write_bytes(data)

    return damage


def _zero_middle(path: Path) -> None:
    for seg in _files(path, "*.seg"):
        data = bytearray(seg.read_bytes())
        data[len(data) // 4 : len(data) // 2] = bytes(len(data) // 2 - len(data) // 4)
        seg.write_bytes(bytes(data))


DAMAGE = {
    "segment deleted": _delete("*.seg"),
    "segment truncated to nothing": _truncate(0.0),
    "segment truncated to a tenth": _truncate(0.1),
    "segment truncated by half": _truncate(0.5),
    "segment missing its last byte": _truncate(0.999),
    "segment overwritten with garbage": _overwrite("*.seg", b"\x00\xff garbage " * 50),
    "segment with zeroed middle": _zero_middle,
    "table of contents deleted": _delete("*.toc"),
    "table of contents truncated": _overwrite("*.toc", b"\x04\x08"),
    "metadata deleted": _delete(META_FILENAME),
    "metadata not JSON": _overwrite(META_FILENAME, b"{not json"),
    "metadata a JSON list": _overwrite(META_FILENAME, b"[]"),
}


@pytest.fixture
def built(tmp_path: Path, fresh_corpus: Path) -> tuple[Path, Path]:
    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(fresh_corpus)
    return path, fresh_corpus


def _use(path: Path) -> None:
    """Everything a user might do with the index, reading every document."""
    with CorpusIndex(path) as ix:
        ix.search("Labour")
        ix.search("Liberal Democrats by-election", filters={"party": "Labour"}, sort="date")
        ix.stats()
        for rel in SMALL_CORPUS:
            ix.get(rel.removesuffix(".txt"))
        ix.similar("labour/plp")
        assert sum(1 for _ in ix.searcher().all_stored_fields()) == len(SMALL_CORPUS)


def _assert_rebuild_message(exc: IndexStateError, path: Path, corpus: Path | None) -> None:
    """The library's message names the index and the rebuild_index call that rebuilds it
    (no command line: a program's user was told to type one); the error carries the command
    line, which ends the command's own message."""
    message = str(exc)
    assert_readable(message)
    assert str(path) in message
    assert f"Rebuild it with: rebuild_index({str(path)!r}, " in message
    assert "corpus-search" not in message
    command = exc.rebuild_command
    assert command is not None and command.endswith("--rebuild")
    assert exc.cli_message is not None and exc.cli_message.endswith(command)
    if corpus is not None and META_FILENAME not in message:
        assert str(corpus.resolve()) in command


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_refused_with_the_command_that_rebuilds_it(
    built: tuple[Path, Path], damage: str
):
    """Every kind of damage: using the index raises IndexCorruptError (never another
    exception) whose message names the index and the rebuild command, or, for damage Whoosh
    cannot detect, keeps working."""
    path, _ = built
    DAMAGE[damage](path)
    try:
        _use(path)
    except IndexCorruptError as exc:
        _assert_rebuild_message(exc, path, None)
        assert "is damaged: " in str(exc)
        assert f"See what is damaged with: check_index({str(path)!r})." in str(exc)
        assert (f"See what is damaged with: corpus-search check --index {path}."
                in str(exc.cli_message))
    except CorpusSearchError as exc:
        # Whoosh keeps no checksums: zeros inside a segment can read as valid, smaller data
        # (documents go missing). Undetectable, but still only the library's own errors.
        assert damage == "segment with zeroed middle", f"{damage}: {exc}"
        assert_readable(str(exc))
    else:
        assert damage == "segment with zeroed middle", f"{damage} went unnoticed"


def _index_files(path: Path) -> dict[str, bytes]:
    return {item.name: item.read_bytes() for item in path.iterdir() if item.is_file()}


@pytest.mark.parametrize("damage", ["segment deleted", "segment truncated by half",
                                    "segment missing its last byte",
                                    "table of contents deleted", "metadata not JSON"])
def test_the_cli_reports_damage_in_one_line_and_its_rebuild_command_works(
    built: tuple[Path, Path], cli_env: dict[str, str], damage: str
):
    """Every command that opens a damaged index (index included, with a changed folder to
    write) exits 2 with one line naming the index, ``corpus-search check`` and the rebuild
    command, no traceback, and changes nothing of the index or the folder; running the
    rebuild command it names makes the index whole again."""
    path, corpus = built
    DAMAGE[damage](path)
    (corpus / "labour" / "new.txt").write_text("Labour conference\n\nA new speech.\n")
    before = _index_files(path)
    base = corpus_search_command()
    for args in (["index", str(corpus)], ["search", "Labour"], ["list"], ["stats"],
                 ["show", "labour/plp"], ["similar", "labour/plp"]):
        result = subprocess.run([*base, *args, "--index", str(path)], env=cli_env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert result.stderr.startswith(f"error: The index at {path} is damaged: ")
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        line = result.stderr.replace("\n", "")
        assert f"corpus-search check --index {path}" in line and "--rebuild" in line
        assert _index_files(path) == before, args
    (corpus / "labour" / "new.txt").unlink()  # (the folder as the index was built from)
    rebuild = subprocess.run([*base, "index", str(corpus), "--index", str(path), "--rebuild"],
                             env=cli_env, capture_output=True, text=True, timeout=120)
    assert rebuild.returncode == 0, rebuild.stderr
    _use(path)


def _zero_posting_list(path: Path, fieldname: str) -> str:
    """Zeros over the first block of the first posting list of ``fieldname`` in the index's
    segment that is stored apart from its term (not inlined); return the term. Opening the
    segment reads nothing of it: only a search for that term does."""
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    (seg,) = _files(path, "*.seg")
    with CorpusIndex(path) as ix:
        (leaf, _), *_ = ix.searcher().reader().leaf_readers()
        text, info = next((text, info) for text, info in leaf._terms.items()
                          if text[0] == fieldname and not info.is_inlined())
        offset, _length = info.extent()
    parts = CompoundStorage(FileStorage(str(path)).open_file(seg.name), use_mmap=False)
    start = next(v["offset"] for k, v in parts._dir.items() if k.endswith(".pst"))
    parts.close()
    data = bytearray(seg.read_bytes())
    block = start + offset + 8  # after the list's header and the block's length
    data[block : block + 16] = bytes(16)
    seg.write_bytes(bytes(data))
    return text[1].decode()


def test_a_search_reading_a_zeroed_posting_list_is_refused_as_damage(tmp_path: Path):
    """Zeros inside a posting list spare opening the index (Whoosh keeps no checksums) but
    not a search that reads the list: it raises IndexCorruptError naming the index and
    ``corpus-search check``, never the unpickling error beneath (posting blocks are
    pickled), and the search after it is refused the same way."""
    from corpus_search.analysis.surface import WORDS_FIELD

    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(SEEDS)  # articles long enough for posting lists of their own
    word = _zero_posting_list(path, WORDS_FIELD)  # (each word searched is looked up there)
    with CorpusIndex(path) as ix:
        for _ in range(2):
            with pytest.raises(IndexCorruptError,
                               match=re.escape(f"See what is damaged with: check_index("
                                               f"{str(path)!r})")) as info:
                ix.search(word)
            assert f"corpus-search check --index {path}" in str(info.value.cli_message)


VERSION_CHANGES = {
    "analyzer version": ("analyzer_version", "0-old"),
    "lexicon fingerprint": ("lexicon_fingerprint", "feedface" * 8),
    "index format": ("format", 0),
}


def _change_meta(path: Path, key: str, value: object) -> None:
    meta_path = path / META_FILENAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[key] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize("change", list(VERSION_CHANGES))
def test_an_index_from_another_version_is_refused_and_the_command_in_the_message_rebuilds_it(
    built: tuple[Path, Path], cli_env: dict[str, str], change: str
):
    """Library: IndexVersionError naming what differs and the exact rebuild command.
    CLI: exit 2 with that message. Running the command from the message (as a user would
    copy it) rebuilds the index, which then opens."""
    path, corpus = built
    key, value = VERSION_CHANGES[change]
    _change_meta(path, key, value)
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(path)
    message = str(info.value)
    _assert_rebuild_message(info.value, path, corpus)
    assert str(value)[:12] in message
    result = subprocess.run([*corpus_search_command(), "search", "Labour", "--index", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "--rebuild" in result.stderr
    assert result.stderr.rstrip().endswith(info.value.rebuild_command)
    command = shlex.split(info.value.rebuild_command)
    assert command[0] == "corpus-search"
    rebuilt = subprocess.run([*corpus_search_command(), *command[1:]], env=cli_env,
                             capture_output=True, text=True, timeout=120)
    assert rebuilt.returncode == 0, rebuilt.stderr
    _use(path)


def test_rebuild_refuses_to_delete_a_folder_that_is_not_an_index(
    tmp_path: Path, cli_env: dict[str, str]
):
    """``--rebuild`` pointed at a folder of someone's files deletes nothing."""
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("Four years of work.", encoding="utf-8")
    result = subprocess.run(
        [*corpus_search_command(), "index", str(tmp_path), "--index", str(precious),
         "--rebuild"], env=cli_env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and "Refusing" in result.stderr
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "Four years of work."
    shutil.rmtree(precious)


def test_a_library_error_never_leaks_as_another_exception_type():
    """The documented hierarchy: every index-state error is a CorpusSearchError."""
    assert issubclass(IndexCorruptError, CorpusSearchError)
    assert issubclass(IndexVersionError, CorpusSearchError)


# -- check_index: damage is confirmed before it is reported ---------------------------------


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_check_finds_every_kind_of_damage_and_says_what_is_recoverable(
    built: tuple[Path, Path], damage: str
):
    """check_index reports each damage (except zeros Whoosh cannot tell from data) as
    "damaged", with readable problems, what survives (the folders are still there) and a
    rebuild command that names the folder even when the metadata is lost."""
    from corpus_search.store.check import check_index

    path, corpus = built
    assert check_index(path).healthy
    DAMAGE[damage](path)
    report = check_index(path)
    if damage == "segment with zeroed middle" and report.healthy:
        return  # undetectable without checksums (see docs/reliability.md)
    assert report.status == "damaged", report
    for problem in report.all_problems():
        assert_readable(problem)
    assert any("a rebuild restores everything" in line for line in report.recoverable)
    assert str(corpus.resolve()) in report.rebuild_command  # from the metadata or documents


def test_check_looks_each_term_up_once_and_reads_its_postings_a_block_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A healthy index's terms are each looked up in the term dictionary once, and no
    posting is read one at a time: checking the BBC index looked each term up twice and read
    its 776,000 postings one by one (1.6 s, now 1.1 s). A term whose postings are amiss is
    read again posting by posting, which says what is wrong (tests/test_research_pinned.py
    holds those reports as they were)."""
    from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader

    from corpus_search.store.check import check_index

    path = tmp_path / "ix"
    with CorpusIndex(path) as ix:
        ix.index_directory(SEEDS)
    looked_up: list[tuple[str, bytes]] = []
    term_info = W3TermsReader.term_info
    monkeypatch.setattr(W3TermsReader, "term_info", lambda self, fieldname, btext: (
        looked_up.append((fieldname, btext)) or term_info(self, fieldname, btext)))

    def one_at_a_time(self: Any) -> None:
        raise AssertionError("a posting read one at a time")

    monkeypatch.setattr(W3LeafMatcher, "next", one_at_a_time)
    report = check_index(path)
    assert report.healthy, report
    assert len(looked_up) == len(set(looked_up)) == sum(seg.terms for seg in report.segments)


def test_check_rebuild_command_recovers_the_folders_from_the_documents_when_metadata_is_lost(
    built: tuple[Path, Path],
):
    from corpus_search.store.check import check_index

    path, corpus = built
    (path / META_FILENAME).unlink()
    report = check_index(path)
    assert report.status == "damaged"
    assert f"corpus-search index {corpus.resolve()} --index {path}" in report.rebuild_command
    assert f"{len(SMALL_CORPUS)} of {len(SMALL_CORPUS)} documents can still be read" in \
        report.recoverable[0]


@pytest.mark.parametrize("damage", ["segment truncated by half", "table of contents deleted",
                                    "metadata not JSON"])
def test_the_check_command_exits_1_on_damage_and_0_once_rebuilt(
    built: tuple[Path, Path], cli_env: dict[str, str], damage: str
):
    path, _corpus = built
    base = corpus_search_command()
    healthy = subprocess.run([*base, "check", "--index", str(path)], env=cli_env,
                             capture_output=True, text=True, timeout=120)
    assert healthy.returncode == 0 and "healthy" in healthy.stdout, healthy.stdout
    DAMAGE[damage](path)
    damaged = subprocess.run([*base, "check", "--index", str(path), "--json"], env=cli_env,
                             capture_output=True, text=True, timeout=120)
    assert damaged.returncode == 1, damaged.stderr
    report = json.loads(damaged.stdout)
    assert report["status"] == "damaged" and not report["healthy"]
    command = shlex.split(report["rebuild_command"])
    rebuilt = subprocess.run([*base, *command[1:]], env=cli_env, capture_output=True,
                             text=True, timeout=120)
    assert rebuilt.returncode == 0, rebuilt.stderr
    again = subprocess.run([*base, "check", "--index", str(path)], env=cli_env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout


def test_check_notes_leftovers_of_interrupted_writes_but_calls_the_index_healthy(
    built: tuple[Path, Path],
):
    from corpus_search.store.check import check_index

    path, _ = built
    (path / "MAIN_zzzzzzzzzzzz.seg").write_bytes(b"orphan segment never committed")
    (path / "_MAIN_99.toc.1700000000.5").write_bytes(b"half a table of contents")
    report = check_index(path)
    assert report.healthy
    assert any("2 files" in note and "interrupted writes" in note for note in report.notes)


def test_check_counts_the_files_inside_a_writers_scratch_folder_and_their_size(
    built: tuple[Path, Path],
):
    from corpus_search.store.check import check_index

    path, _ = built
    scratch = path / "MAIN.tmp"
    (scratch / "deeper").mkdir(parents=True)
    (scratch / "a.seg").write_bytes(b"x" * 5000)
    (scratch / "deeper" / "b.seg").write_bytes(b"y" * 7000)
    report = check_index(path)
    assert report.healthy
    (note,) = [n for n in report.notes if "interrupted writes" in n]
    assert note.startswith("2 files (12,000 bytes)")
    assert "next indexing run that changes the index" in note


@pytest.mark.parametrize("change", ["analyzer version", "lexicon fingerprint"])
def test_stats_of_an_index_to_rebuild_says_what_it_holds_and_the_rebuild_command_writing_nothing(
    built: tuple[Path, Path], cli_env: dict[str, str], change: str
):
    # ("what is in this index" was refused outright; only check described it)
    path, _ = built
    with CorpusIndex(path) as ix:
        before = ix.stats().to_dict()
    _change_meta(path, *VERSION_CHANGES[change])
    files = {p.name: p.read_bytes() for p in path.iterdir()}
    with pytest.raises(IndexVersionError) as info:
        CorpusIndex(path)
    result = subprocess.run([*corpus_search_command(), "stats", "--json", "--index", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    # (why, and the command that rebuilds it: the command's own words)
    assert stats["notes"][0] == info.value.cli_message
    for same in ("documents", "files", "folders", "roots", "sources", "parties", "years"):
        assert stats[same] == before[same], same
    text = subprocess.run([*corpus_search_command(), "stats", "--index", str(path)],
                          env=cli_env, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0 and "Rebuild it with: corpus-search index" in text.stdout
    assert {p.name: p.read_bytes() for p in path.iterdir()} == files


def test_stats_of_an_index_of_another_format_is_still_the_refusal(
    built: tuple[Path, Path], cli_env: dict[str, str]
):
    # (another format may store its columns otherwise: nothing is read from it)
    path, _ = built
    _change_meta(path, *VERSION_CHANGES["index format"])
    result = subprocess.run([*corpus_search_command(), "stats", "--index", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert "index format 0" in result.stderr and "--rebuild" in result.stderr


def test_check_calls_an_index_of_another_version_outdated_not_damaged(
    built: tuple[Path, Path], cli_env: dict[str, str]
):
    from corpus_search.store.check import check_index

    path, _ = built
    _change_meta(path, "analyzer_version", "0-old")
    report = check_index(path)
    assert report.status == "outdated" and not report.problems
    assert any("analyzer version 0-old" in note for note in report.notes)
    result = subprocess.run([*corpus_search_command(), "check", "--index", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "outdated" in result.stdout


def test_the_check_command_on_a_folder_with_no_index_exits_2(
    tmp_path: Path, cli_env: dict[str, str]
):
    result = subprocess.run([*corpus_search_command(), "check", "--index",
                             str(tmp_path / "nothing")], env=cli_env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "No corpus_search index" in result.stderr


@pytest.mark.parametrize("error", ["OSError", "zlib.error"])
def test_a_read_error_that_a_check_does_not_confirm_is_not_called_damage(
    built: tuple[Path, Path], error: str
):
    """A failure while reading a healthy index (a passing I/O error, a bug) is never
    IndexCorruptError: the check finds the index intact. An OS error becomes IndexReadError
    ("try again"); anything else propagates as itself."""
    import errno
    import zlib

    from whoosh.reading import SegmentReader

    from corpus_search import IndexReadError

    path, _ = built
    original = SegmentReader.stored_fields
    failures = [1]

    def flaky(self: SegmentReader, docnum: int) -> dict:
        if failures:
            failures.pop()
            raise OSError(errno.EIO, "I/O error") if error == "OSError" else zlib.error("x")
        return original(self, docnum)

    expected = IndexReadError if error == "OSError" else zlib.error
    SegmentReader.stored_fields = flaky
    try:
        with CorpusIndex(path) as ix, pytest.raises(expected) as info:
            ix.get("labour/plp")
    finally:
        SegmentReader.stored_fields = original
    assert not isinstance(info.value, IndexCorruptError)
    if error == "OSError":
        assert "finds no damage" in str(info.value)


def test_check_quotes_the_error_that_made_a_part_unreadable(built: tuple[Path, Path]):
    from corpus_search.store.check import check_index

    path, _ = built
    _truncate(0.5)(path)
    [problem] = check_index(path).all_problems()
    # the exception's type and the first line of its message, in brackets
    assert re.fullmatch(r"segment MAIN_\w+: it cannot be opened \(EOFError: .+\)", problem)


@pytest.mark.parametrize("damage", [b"garbage" * 10, b"\x04\x08", b"", bytes(100)],
                         ids=["garbage", "cut short", "empty", "zeros"])
def test_a_damaged_table_of_contents_is_called_so_not_an_index_of_another_architecture(
    built: tuple[Path, Path], cli_env: dict[str, str], damage: bytes,
):
    # Whoosh's own words for garbage ("Index was created on different architecture: saved
    # int = 103") sent the reader after the wrong cause
    path, corpus = built
    _overwrite("*.toc", damage)(path)
    result = subprocess.run([*corpus_search_command(), "search", "Labour", "--index", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == (
        f"error: The index at {path} is damaged: the table of contents _MAIN_1.toc is "
        "garbled or cut short (its bytes do not read as one). See what is damaged with: "
        f"corpus-search check --index {path}. Rebuild it with: corpus-search index "
        f"{corpus.resolve()} --index {path} --rebuild\n")


def test_check_speaks_to_a_library_user_in_functions_and_to_the_command_user_in_commands(
    built: tuple[Path, Path], tmp_path: Path
):
    """check_index's note on leftovers of interrupted writes and its word on a folder that
    is gone name the library's calls (rebuild_index, get); check and check --json give the
    command lines (a Python user was told of corpus-search index --rebuild and
    corpus-search show ID, commands of another program to them)."""
    from click.testing import CliRunner

    from corpus_search.cli import cli
    from corpus_search.store.check import check_index

    path, corpus = built
    (path / "MAIN_zzzzzzzzzzzz.seg").write_bytes(b"orphan segment never committed")
    corpus.rename(tmp_path / "moved")
    report = check_index(path)
    (leftovers,) = [n for n in report.notes if "interrupted writes" in n]
    (gone,) = [line for line in report.recoverable if "is gone" in line]
    assert f"rebuild_index({str(path.absolute())!r}, [])" in leftovers
    assert "get(ID) returns one" in gone
    assert "corpus-search" not in leftovers + gone
    for argv in (["check"], ["check", "--json"]):
        said = CliRunner().invoke(cli, [*argv, "--index", str(path)]).output
        assert "`corpus-search index --rebuild`" in said and "rebuild_index" not in said
        assert "corpus-search show ID prints one" in said and "get(ID)" not in said
