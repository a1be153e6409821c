"""Where a command's modules lie is kept in the cache folder, and used only while the folders
they were found in hold the same files (corpus_search.module_places)."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from corpus_search.cache_folder import write_cached

PROGRAM = """
import json, sys
sys.path[:0] = {path!r}
from corpus_search import module_places
module_places.install()
import first.second, alone
print(json.dumps([module_places._Finder in sys.meta_path, first.second.WHERE, alone.WHERE,
                  first.__path__]))
"""


def _run(cache: Path, path: list[str]) -> tuple[bool, str, str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(path=path)], capture_output=True, text=True,
        check=True, env={**os.environ, "CORPUS_SEARCH_CACHE": str(cache)},
        cwd=cache.parent / "early",  # (sys.path[0], the working folder: one of the test's)
    )
    kept, second, alone, package_path = json.loads(out.stdout.strip().splitlines()[-1])
    return kept, second, alone, package_path


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path, Path]:
    early, late = tmp_path / "early", tmp_path / "late"
    (late / "first").mkdir(parents=True)
    early.mkdir()
    (late / "first" / "__init__.py").write_text("")
    (late / "first" / "second.py").write_text("WHERE = 'late second'\n")
    (late / "alone.py").write_text("WHERE = 'late alone'\n")
    return tmp_path / "cache", early, late


def test_the_next_process_finds_its_modules_at_the_places_the_last_one_kept(folders):
    cache, early, late = folders
    path = [str(early), str(late)]
    assert _run(cache, path) == (False, "late second", "late alone", [str(late / "first")])
    assert (cache / "module-places").exists()
    assert _run(cache, path) == (True, "late second", "late alone", [str(late / "first")])


def test_a_module_placed_earlier_on_the_path_since_is_found_there(folders):
    cache, early, late = folders
    path = [str(early), str(late)]
    _run(cache, path)
    (early / "alone.py").write_text("WHERE = 'early alone'\n")
    assert _run(cache, path)[1:3] == ("late second", "early alone")


def test_a_module_added_beside_a_package_s_others_is_found(folders):
    # a package folder whose files changed: none of the kept places is used
    cache, early, late = folders
    path = [str(early), str(late)]
    _run(cache, path)
    (late / "first" / "second.py").unlink()
    (late / "first" / "second").mkdir()
    (late / "first" / "second" / "__init__.py").write_text("WHERE = 'second as a package'\n")
    assert _run(cache, path)[:2] == (False, "second as a package")


def test_another_path_uses_none_of_the_places(folders):
    cache, early, late = folders
    _run(cache, [str(early), str(late)])
    assert _run(cache, [str(late)])[0] is False


def test_a_damaged_places_file_is_ignored(folders):
    cache, early, late = folders
    path = [str(early), str(late)]
    _run(cache, path)
    data = (cache / "module-places").read_bytes()
    (cache / "module-places").write_bytes(data[:-7])
    assert _run(cache, path) == (False, "late second", "late alone", [str(late / "first")])


EXTENSION_PROGRAM = """
import json, sys
from corpus_search import module_places
module_places.install()
import cmath
print(json.dumps([module_places._Finder in sys.meta_path, type(cmath.__spec__.loader).__name__,
                  cmath.__spec__.origin, str(cmath.sqrt(-4))]))
"""


def test_a_compiled_extension_module_is_loaded_from_its_kept_place_as_python_loads_it(
        tmp_path: Path):
    import cmath

    if not str(getattr(cmath.__spec__, "origin", "")).endswith(tuple(EXTENSION_SUFFIXES)):
        pytest.skip("this Python has cmath built in, not as an extension file")

    def run() -> list:
        out = subprocess.run([sys.executable, "-c", EXTENSION_PROGRAM], capture_output=True,
                             text=True, check=True,
                             env={**os.environ, "CORPUS_SEARCH_CACHE": str(tmp_path)})
        return json.loads(out.stdout.strip().splitlines()[-1])

    first = run()
    assert first == [False, "ExtensionFileLoader", cmath.__spec__.origin, "2j"]
    assert run() == [True, *first[1:]]


@pytest.mark.parametrize("payload", [
    b"\x00 no marshal data", b"\xe9", marshal.dumps("a string"), marshal.dumps((1, 2)),
    marshal.dumps([[], {}, {}]),
], ids=["garbage", "cut", "string", "pair", "list"])
def test_a_places_file_of_another_shape_is_ignored(folders, payload, monkeypatch):
    """A file whose checksum holds (written whole) but whose contents are no places as this
    module writes them (another release's, a bug's) is ignored like a damaged one."""
    cache, early, late = folders
    path = [str(early), str(late)]
    _run(cache, path)
    key = (cache / "module-places").read_bytes().split(b"\n", 1)[0].split(b" ")[-2]
    monkeypatch.setenv("CORPUS_SEARCH_CACHE", str(cache))
    assert write_cached("module-places", key.decode(), payload)
    assert _run(cache, path) == (False, "late second", "late alone", [str(late / "first")])


def test_places_kept_as_anything_but_a_table_are_ignored(folders, monkeypatch):
    cache, early, late = folders
    path = [str(early), str(late)]
    _run(cache, path)
    head, payload = (cache / "module-places").read_bytes().split(b"\n", 1)
    sys_path, stamps, places = marshal.loads(payload)
    monkeypatch.setenv("CORPUS_SEARCH_CACHE", str(cache))
    assert write_cached("module-places", head.split(b" ")[-2].decode(),
                        marshal.dumps((sys_path, stamps, sorted(places))))
    assert _run(cache, path) == (False, "late second", "late alone", [str(late / "first")])
