"""Specification: the regular expressions a command's modules compile as they load are compiled
once and kept in the cache folder (corpus_search.regex_cache); a pattern given from the file
is the pattern ``re`` compiles, and a file that cannot be trusted is not used. Each case runs
in a process of its own, as a command does: installing replaces ``re``'s compile for the
whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: a module that compiles its patterns as it loads, as the library's and Whoosh's do
MODULE = '''
import re
NAMED = re.compile(r"(?P<word>[^\\W\\d_]+)(?:-(?P<tail>\\w+))?", re.IGNORECASE)
BYTES = re.compile(rb"[\\x80-\\xff]+")
'''

#: install, import the module, and say what the patterns are and where they came from
PROGRAM = '''
import json, re, sys
from corpus_search import regex_cache
regex_cache.install()
import loads_patterns as m
later = re.compile(sys.argv[1])  # (a pattern a function builds: a query's)
from corpus_search.regex_cache import _learned, _learned_later, _programs
key = (m.NAMED.pattern, int(re.IGNORECASE))
print(json.dumps({
    "named": [m.NAMED.flags, m.NAMED.groups, dict(m.NAMED.groupindex),
              m.NAMED.match("Blair-ite rules").groupdict(),
              m.NAMED.fullmatch("élan") is not None],
    "bytes": [m.BYTES.flags, m.BYTES.findall("a\\u00e9b".encode()) == [b"\\xc3\\xa9"]],
    "later": later.pattern,
    "kept": key in _programs,
    "learned": _learned, "learned_later": _learned_later,
}))
'''


def _run(tmp_path: Path, later: str = "x+") -> dict:
    env = {**os.environ, "CORPUS_SEARCH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run([sys.executable, "-c", PROGRAM, later], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


@pytest.fixture
def module(tmp_path: Path) -> Path:
    (tmp_path / "loads_patterns.py").write_text(MODULE)
    return tmp_path


def _without_news(found: dict) -> dict:
    return {k: v for k, v in found.items() if k not in ("learned", "learned_later")}


def test_a_pattern_a_module_compiles_as_it_loads_comes_from_the_file_next_time(module: Path):
    first = _run(module)
    assert first["learned"] and first["kept"]
    assert (module / "cache" / "regex-programs").is_file()
    again = _run(module)
    assert not again["learned"] and again["learned_later"] == 0  # all of them from the file
    assert _without_news(again) == _without_news(first)
    # and what re gives without the cache
    plain = subprocess.run(
        [sys.executable, "-c", PROGRAM.replace("regex_cache.install()", ""), "x+"],
        env={**os.environ, "CORPUS_SEARCH_CACHE": "",
             "PYTHONPATH": os.pathsep.join([str(module), *sys.path])},
        capture_output=True, text=True, check=True).stdout
    assert _without_news(json.loads(plain))["named"] == first["named"]


def test_a_query_s_pattern_alone_does_not_write_the_file_again(module: Path):
    _run(module)
    stamp = (module / "cache" / "regex-programs").stat().st_mtime_ns
    found = _run(module, later="Blair|Brown")
    assert found["learned_later"] == 1 and not found["learned"]
    assert (module / "cache" / "regex-programs").stat().st_mtime_ns == stamp


def test_a_program_the_engine_refuses_is_compiled_afresh(module: Path):
    first = _run(module)
    code = (
        "import marshal, re, sys\n"
        "from corpus_search import regex_cache\n"
        "from corpus_search.cache_folder import read_cached, write_cached\n"
        "regex_cache._sre = re._compiler._sre\n"
        "programs = marshal.loads(read_cached('regex-programs', regex_cache._key()))\n"
        "for k, v in programs.items():\n"
        "    v = marshal.loads(v)\n"
        "    programs[k] = marshal.dumps((v[0], [999999] * 3, *v[2:]))\n"
        "write_cached('regex-programs', regex_cache._key(), marshal.dumps(programs))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={**os.environ, "CORPUS_SEARCH_CACHE": str(module / "cache")})
    again = _run(module)
    assert again["learned"]  # compiled afresh, and kept again
    assert _without_news(again) == _without_news(first)


def test_a_command_installs_it_and_a_program_importing_the_library_does_not():
    code = (
        "import re._compiler as c, corpus_search, corpus_search.cli\n"
        "print(c.compile.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "re._compiler"


def test_a_python_whose_re_has_no_compiler_module_is_left_alone(tmp_path: Path) -> None:
    """Python 3.10's ``re`` compiles in ``sre_compile``, not ``re._compiler``: installing does
    nothing there, and patterns compile as ever (the package supports 3.10)."""
    program = '''
import re, sys
from corpus_search import regex_cache
kept = re._compiler  # (as on Python 3.10, where importing it fails, while installing)
del re._compiler
sys.modules["re._compiler"] = None
regex_cache.install()
re._compiler = sys.modules["re._compiler"] = kept
print(regex_cache._installed, bool(re.compile(r"(?P<a>x+)y").match("xxy")))
'''
    env = {**os.environ, "CORPUS_SEARCH_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["False", "True"]


def test_the_patterns_of_other_commands_are_kept_in_the_file_and_never_decoded(module: Path):
    # the file holds every command's patterns (an index's beside a search's): a process
    # reads the program of a pattern only when it compiles it, and saves the others as read
    (module / "other_patterns.py").write_text('import re\nOTHER = re.compile(r"[A-Z]{2,}s?")\n')
    env = {**os.environ, "CORPUS_SEARCH_CACHE": str(module / "cache"),
           "PYTHONPATH": os.pathsep.join([str(module), *sys.path])}
    other = "from corpus_search import regex_cache\nregex_cache.install()\nimport other_patterns\n"
    subprocess.run([sys.executable, "-c", other], env=env, check=True)
    first = _run(module)
    assert first["learned"]  # the file had the other module's pattern only
    check = (
        "import re\nfrom corpus_search import regex_cache\nregex_cache.install()\n"
        "import loads_patterns\n"
        "kept = regex_cache._programs\n"
        "assert type(kept[(r'[A-Z]{2,}s?', 0)]) is bytes\n"
        "assert type(kept[(loads_patterns.NAMED.pattern, int(re.IGNORECASE))]) is tuple\n"
    )
    subprocess.run([sys.executable, "-c", check], env=env, check=True)
    again = _run(module)
    assert not again["learned"] and _without_news(again) == _without_news(first)
    found = subprocess.run([sys.executable, "-c", "import json\n" + other + "from corpus_search"
                            ".regex_cache import _learned\nprint(json.dumps(_learned))\n"],
                           env=env, check=True, capture_output=True, text=True).stdout
    assert json.loads(found) is False  # the other module's pattern is still in the file
