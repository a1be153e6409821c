"""An index's metadata file is parsed once while it stays the same file, and every reader
gets a copy of its own (corpus_search.store.meta_file)."""

from __future__ import annotations

import json
import os

from hypothesis import given
from hypothesis import strategies as st

from corpus_search.store import meta_file
from corpus_search.store.meta import atomic_write_json
from corpus_search.store.meta_file import json_copy, read_kept

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _parses(monkeypatch) -> list[int]:
    calls: list[int] = []
    loads = json.loads
    monkeypatch.setattr(meta_file.json, "loads", lambda text: calls.append(1) or loads(text))
    return calls


def test_a_file_read_twice_unchanged_is_parsed_once(tmp_path, monkeypatch):
    path = tmp_path / "corpus_search.json"
    meta = {"generation": 1, "roots": {"/a": {"boilerplate": []}}}
    atomic_write_json(path, meta)
    calls = _parses(monkeypatch)
    assert read_kept(path) == read_kept(path) == meta
    assert len(calls) == 1


def test_a_file_written_again_is_read_anew(tmp_path, monkeypatch):
    # every write replaces the file (atomic_write_json renames a new one over it)
    path = tmp_path / "corpus_search.json"
    atomic_write_json(path, {"generation": 1})
    assert read_kept(path) == {"generation": 1}
    atomic_write_json(path, {"generation": 2})
    assert read_kept(path) == {"generation": 2}


def test_a_reader_changing_what_it_got_changes_no_other_readers_copy(tmp_path):
    path = tmp_path / "corpus_search.json"
    atomic_write_json(path, {"roots": {"/a": {"boilerplate": ["x"]}}})
    first = read_kept(path)
    first["roots"]["/a"]["boilerplate"].append("y")
    first["roots"]["/b"] = {}
    assert read_kept(path) == {"roots": {"/a": {"boilerplate": ["x"]}}}


def test_a_missing_or_malformed_file_fails_as_json_load_does(tmp_path):
    path = tmp_path / "corpus_search.json"
    for make, error in ((lambda: None, FileNotFoundError),
                        (lambda: path.write_text("{no"), ValueError),
                        (lambda: path.write_bytes(b'{"a": "\xff"}'), ValueError)):
        make()
        try:
            read_kept(path)
        except error:
            pass
        else:
            raise AssertionError(f"no {error.__name__}")


@given(JSON)
def test_a_copy_of_parsed_json_equals_it_and_shares_no_container_with_it(value):
    copy = json_copy(value)
    assert copy == value

    def containers(v):
        if isinstance(v, dict):
            yield v
            for x in v.values():
                yield from containers(x)
        elif isinstance(v, list):
            yield v
            for x in v:
                yield from containers(x)

    assert not {id(c) for c in containers(value)} & {id(c) for c in containers(copy)}


def _stamp(path, mtime_ns: int) -> None:
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_a_file_changed_in_place_to_the_same_size_is_read_anew_by_its_time(tmp_path):
    # the same inode and size: only the modification time tells the files apart
    path = tmp_path / "corpus_search.json"
    path.write_text('{"generation": 1}')
    _stamp(path, 1_000_000_000_000_000_000)
    assert read_kept(path) == {"generation": 1}
    with open(path, "r+") as fh:
        fh.write('{"generation": 2}')
    _stamp(path, 1_000_000_000_000_000_001)
    assert read_kept(path) == {"generation": 2}


def test_a_file_changed_in_place_at_the_same_time_is_read_anew_by_its_size(tmp_path):
    path = tmp_path / "corpus_search.json"
    path.write_text('{"generation": 1}')
    _stamp(path, 1_000_000_000_000_000_000)
    assert read_kept(path) == {"generation": 1}
    with open(path, "r+") as fh:
        fh.write('{"generation": 10}')
    _stamp(path, 1_000_000_000_000_000_000)
    assert read_kept(path) == {"generation": 10}


def test_another_file_of_the_same_size_and_time_is_read_anew_by_its_inode(tmp_path):
    path, other = tmp_path / "corpus_search.json", tmp_path / "new.json"
    path.write_text('{"generation": 1}')
    _stamp(path, 1_000_000_000_000_000_000)
    assert read_kept(path) == {"generation": 1}
    other.write_text('{"generation": 2}')
    _stamp(other, 1_000_000_000_000_000_000)
    os.replace(other, path)
    assert read_kept(path) == {"generation": 2}


def test_each_file_is_kept_apart_by_its_path(tmp_path):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    atomic_write_json(one, {"generation": 1})
    atomic_write_json(two, {"generation": 2})
    assert [read_kept(one), read_kept(two), read_kept(one)] == [
        {"generation": 1}, {"generation": 2}, {"generation": 1}]
