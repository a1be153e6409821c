"""Specification: a command's dataclasses have the methods they would have without the cache
of compiled method texts (``corpus_search.method_cache``), and a later command compiles none
of the texts an earlier one did. A damaged cache file is ignored and written again; a program
importing the library is left alone.

Each check runs in a fresh interpreter with a cache folder of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from corpus_search import method_cache

#: dataclasses of every kind the library makes (frozen, ordered, keyword-only, defaults and
#: factories, fields left out of repr, comparison and init, post-init, InitVar, slots)
CLASSES = '''
import dataclasses
from dataclasses import InitVar, dataclass, field

@dataclass(frozen=True)
class Snippet:
    fragments: tuple
    separator: str = " … "

@dataclass(order=True, kw_only=True)
class Told:
    suggestion: str | None = None
    notes: list = field(default_factory=list)
    hidden: int = field(default=3, repr=False, compare=False)

@dataclass(slots=True, eq=False)
class Plain:
    a: int
    b: "list[str]" = field(default_factory=list, init=False)
    scale: InitVar[int] = 2
    def __post_init__(self, scale):
        self.b = [str(self.a * scale)]

def behaviour():
    s = Snippet(("x",))
    t1, t2 = Told(suggestion="a"), Told(suggestion="b", hidden=9)
    p = Plain(4, 3)
    try:
        s.separator = "-"
        frozen = False
    except dataclasses.FrozenInstanceError:
        frozen = True
    return [repr(s), s == Snippet(("x",)), hash(s) == hash(Snippet(("x",))), frozen,
            repr(t1), t1 < t2, t1 == Told(suggestion="a", hidden=0), repr(p), p.b,
            [f.name for f in dataclasses.fields(Told)], Snippet.__init__.__qualname__]

def code_of(cls, name):
    c = getattr(cls, name).__code__
    return (c.co_code, c.co_consts, c.co_names, c.co_varnames, c.co_filename, c.co_flags)

def codes():
    return [code_of(c, n) for c in (Snippet, Told, Plain)
            for n in ("__init__", "__repr__") if n in vars(c)]
'''


def _run(code: str, cache: Path) -> list[str]:
    env = {**os.environ, "CORPUS_SEARCH_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return out.stdout.strip().splitlines()


def _made(install: bool) -> str:
    return (
        "from corpus_search import method_cache\n"
        + ("method_cache.install()\n" if install else "")
        + CLASSES
        + "import hashlib\nprint(behaviour())\n"
        + "print(hashlib.sha256(repr(codes()).encode()).hexdigest())\n"
    )


def test_a_dataclass_made_through_the_cache_has_the_methods_it_has_without(tmp_path):
    without = _run(_made(install=False), tmp_path / "none")
    first = _run(_made(install=True), tmp_path / "cache")  # compiled, then saved
    assert (tmp_path / "cache" / method_cache.CACHE_FILE).is_file()
    again = _run(_made(install=True), tmp_path / "cache")  # read from the cache file
    assert first == without and again == without


def test_a_later_command_compiles_none_of_the_method_texts_an_earlier_one_did(tmp_path):
    cache = tmp_path / "cache"
    counting = (
        "import builtins\n"
        "from corpus_search import method_cache\n"
        "compiled = []\n"
        "method_cache.compile = lambda *a, **k: compiled.append(1) or builtins.compile(*a, **k)\n"
        "method_cache.install()\n"
        "import corpus_search.search.execute, corpus_search.index\n"
        "print(len(compiled))\n"
    )
    assert int(_run(counting, cache)[-1]) >= 100  # the library's dataclasses' methods
    assert _run(counting, cache)[-1] == "0"


def test_a_damaged_cache_file_is_ignored_and_written_again(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    damaged = cache / method_cache.CACHE_FILE
    damaged.write_bytes(b"not a cache file at all")
    assert _run(_made(install=True), cache) == _run(_made(install=False), tmp_path / "none")
    assert damaged.read_bytes().startswith(b"corpus-search-cache 2 ")


def test_a_search_on_the_command_line_writes_the_cache_file(tmp_path, small_index):
    code = (
        "import sys\n"
        "from corpus_search.cli import main\n"
        f"sys.argv = ['corpus-search', 'search', 'budget', '--index', "
        f"{str(small_index.path)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
    )
    _run(code, tmp_path / "cache")
    assert (tmp_path / "cache" / method_cache.CACHE_FILE).is_file()


def test_a_program_importing_the_library_keeps_dataclasses_as_it_is(tmp_path):
    code = (
        "import dataclasses, corpus_search.search.execute, corpus_search.index\n"
        "print('exec' in vars(dataclasses))\n"
    )
    assert _run(code, tmp_path / "cache") == ["False"]
    assert not (tmp_path / "cache").exists()


def test_a_module_over_the_limit_keeps_only_the_texts_its_last_process_used(tmp_path):
    # (an upgrade's old texts go: a module's texts are not kept past the limit)
    cache = tmp_path / "cache"

    def compiled_for(fields: str, limit: int = 500) -> int:
        code = (
            "import builtins, sys, types\n"
            "from corpus_search import method_cache\n"
            f"method_cache._MAX_TEXTS = {limit}\n"
            "done = []\n"
            "method_cache.compile = lambda *a, **k: done.append(1) or builtins.compile(*a, **k)\n"
            "method_cache.install()\n"
            "module = types.ModuleType('an_upgraded_module')\n"
            "sys.modules[module.__name__] = module\n"
            "exec('from dataclasses import dataclass\\n@dataclass\\nclass A:\\n'\n"
            f"     '    {fields}\\n', vars(module))\n"
            "print(len(done))\n"
        )
        return int(_run(code, cache)[-1])

    assert compiled_for("a: int") == 3  # __init__, __repr__, __eq__
    assert compiled_for("a: int") == 0
    assert compiled_for("b: str", limit=4) == 3  # over the limit of 4 with a's: a's go
    assert compiled_for("b: str") == 0
    assert compiled_for("a: int") == 3
