"""Specification of the index folder's housekeeping: what an unfinished write leaves and
how much removing it frees, and the one-line account of a write the disk refused."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from corpus_search.index_files import remove_uncommitted, write_failure_message


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
        f"file system (mounted at {mount}); make it writable or choose another --index folder."
    )
