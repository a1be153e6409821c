"""Specification: the command starts without loading what it does not use.

Each ``corpus-search`` command imports the parts of the library it needs when it runs, so
``--help`` and a usage error answer at once (docs/benchmarks.md times them as whole
processes). Checked in a fresh interpreter, through ``sys.modules``; nothing here is timed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import corpus_search
from conftest import loaded_after

HEAVY = (
    "numpy",
    "rich",
    "whoosh",
    "nltk",
    "rapidfuzz",
    "corpus_search.analysis",
    "corpus_search.index",
    "corpus_search.search",
    "corpus_search.evaluation",
    "corpus_search.store",
    "corpus_search.ingest",
    "corpus_search.ingesting",
    "corpus_search.multi_index",
)


def _loaded_after(code: str) -> list[str]:
    return loaded_after(code, HEAVY)


def test_importing_the_cli_loads_no_numpy_rich_whoosh_or_library_modules():
    assert _loaded_after("import corpus_search.cli") == []


def test_help_loads_none_of_them_either():
    code = (
        "import sys\n"
        "from corpus_search.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='corpus-search')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert _loaded_after(code) == []


def test_every_public_name_is_still_importable_from_the_package():
    for name in corpus_search.__all__:
        assert getattr(corpus_search, name) is not None, name
    from corpus_search import CorpusIndex, SearchFilters, check_index

    assert CorpusIndex.__module__ == "corpus_search.index"
    assert SearchFilters.__module__ == "corpus_search.search.filters"
    assert callable(check_index)


def test_dir_lists_the_public_names_and_submodules_not_the_lazy_loading():
    listed = dir(corpus_search)
    assert set(corpus_search.__all__) <= set(listed)
    assert "errors" in listed and "__version__" in listed
    assert not {"importlib", "TYPE_CHECKING", "_HOME", "annotations"} & set(listed)


def test_the_version_is_the_installed_distribution_s(monkeypatch):
    """__version__ had been a constant, 0.1.0 whatever was installed; it is read from the
    installed metadata (pyproject.toml's version, when it was installed)."""
    import importlib.metadata

    seen = []
    monkeypatch.delitem(vars(corpus_search), "__version__", raising=False)
    monkeypatch.setattr(importlib.metadata, "version", lambda name: seen.append(name) or "2.3.4")
    assert corpus_search.__version__ == "2.3.4" and seen == ["corpus-search"]
    monkeypatch.delitem(vars(corpus_search), "__version__")
    from corpus_search.cli import cli

    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, "corpus-search, version 2.3.4\n")


def test_a_package_run_from_a_folder_never_installed_says_its_version_is_unknown(monkeypatch):
    import importlib.metadata

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.delitem(vars(corpus_search), "__version__", raising=False)
    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert corpus_search.__version__ == "0+unknown"


def test_the_version_is_read_only_when_asked_for():
    """importlib.metadata costs a command's start-up some 50 ms: neither the CLI's import,
    its help, nor a served command's client reads the version."""
    code = ("import sys\nfrom corpus_search.cli import cli\nimport corpus_search.launch\n"
            "try:\n    cli(['--help'], prog_name='corpus-search')\nexcept SystemExit:\n"
            "    pass\n")
    assert loaded_after(code, ["importlib.metadata"]) == []
    version = "import corpus_search\nprint(corpus_search.__version__)\n"
    assert loaded_after(version, ["importlib.metadata"]) == ["importlib.metadata"]


def test_an_unknown_name_is_an_attribute_error():
    try:
        corpus_search.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("corpus_search.no_such_thing did not raise")


@pytest.mark.parametrize(("given", "kept"), [(None, "1"), ("4", "4")])
def test_the_command_keeps_openblas_to_one_thread_unless_the_user_says_otherwise(
    given: str | None, kept: str
):
    """NumPy's OpenBLAS starts and spins a thread per core at import, CPU a search never
    uses (the array engine is element-wise); the user's own setting wins."""
    code = (
        "import os, sys\n"
        "from corpus_search.cli import main\n"
        "sys.argv = ['corpus-search', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == kept


#: what a search never needs: the write side (indexing, the ingest pipeline that feeds it,
#: the segment writer and its transaction, Whoosh's writer and worker processes) and the
#: index check, which runs only when reading an index failed
WRITE_SIDE = (
    "corpus_search.indexing",
    "corpus_search.rebuilding",
    "corpus_search.ingesting",
    "corpus_search.store.writer",
    "corpus_search.store.posting_buffers",
    "corpus_search.store.segment_postings",
    "corpus_search.store.bulk_workers",
    "corpus_search.store.writing",
    "corpus_search.store.check",
    "whoosh.writing",
    "whoosh.multiproc",
    "multiprocessing",
)


#: what Whoosh's own imports would load for names no search calls: urllib.request for
#: whoosh.compat's urlretrieve (with the web client under it), the PyPI cached_property for
#: whoosh.reading (with asyncio under it), the morphology tables for the Variations query
WHOOSH_UNUSED = (
    "urllib.request",
    "http.client",
    "ssl",
    "asyncio",
    "concurrent.futures",
    "cached_property",
    "whoosh.lang.morph_en",
)


def _search_loads(code: str, env: dict[str, str | None] | None = None
                  ) -> tuple[str, set[str]]:
    """What ``code`` printed last (besides the module list) and the modules it loaded
    (``env``: set in its environment too, None: taken out of it)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True,
        env={k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None},
    ).stdout.strip().splitlines()
    return out[-2], set(json.loads(out[-1]))


@pytest.fixture(scope="module")
def searched_index(small_index):
    """The small index after a search of "Labour MPs" and a count of "Tories" on the command
    line. A word a command stems that no document of the index held is stemmed by NLTK
    (which imports much of what is checked here) once, then read from the session's cache
    folder: "mps" of the search; "tories" (the documents hold it only as the Conservatives'
    concept) and every one-word lexicon form, which a count stems to learn what else its
    query's word may be read as (``other_terms``). Without the count, the first of the
    checks below to query Tories ran cold and loaded NLTK."""
    for argv in (["search", "Labour MPs"], ["count", "Tories"]):
        code = (
            "import sys\n"
            "from corpus_search.cli import main\n"
            f"sys.argv = ['corpus-search', *{argv!r}, '--index', {str(small_index.path)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
        )
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    return small_index



def _cli_search_code(index: corpus_search.CorpusIndex, *options: str) -> str:
    """A program running ``corpus-search search 'Labour MPs' [options] --index INDEX`` as the
    command line does, printing ``exit CODE`` last."""
    argv = ["corpus-search", "search", "Labour MPs", *options, "--index", str(index.path)]
    return (
        "import sys\n"
        "from corpus_search.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('exit', code)\n"
    )

def test_a_search_on_the_command_line_loads_no_part_of_the_write_side(searched_index):
    small_index = searched_index
    code = _cli_search_code(small_index, "--json")
    last, loaded = _search_loads(code)
    assert last == "exit 0"  # it searched, and found the PLP story
    assert "corpus_search.search.execute" in loaded
    assert sorted(loaded.intersection(WRITE_SIDE)) == []
    # nor the file readers (ingest.files is imported for printable, its readers when it reads)
    assert "corpus_search.ingest.formats" not in loaded
    # nor the date forms and rules, which only a date typed or a folder dated needs (~2 ms)
    assert "corpus_search.ingest.date_forms" not in loaded
    assert "corpus_search.ingest.dates" not in loaded
    # nor NumPy's masked arrays, which np.unique imports to ask whether an array is masked
    # (the engine's proximity bonus, for a query of two words, is where it was first used)
    assert "numpy.ma" not in loaded
    # and JSON is printed without rich (the console is made when first printed with)
    assert "rich" not in loaded
    # nor what Whoosh imports for names a search never calls (corpus_search.lean_whoosh), nor
    # NLTK, which imports some of it (every word's stem was read from the cache folder)
    assert "nltk" not in loaded
    assert sorted(loaded.intersection(WHOOSH_UNUSED)) == []


def test_opening_an_index_and_searching_it_loads_no_part_of_the_write_side(small_index):
    code = (
        "from corpus_search import CorpusIndex\n"
        f"with CorpusIndex.open({str(small_index.path)!r}) as ix:\n"
        "    hits = ix.search('Liberal Democrats').hits\n"
        "print(hits[0].id)\n"
    )
    last, loaded = _search_loads(code)
    assert last == "libdems/brent"
    assert sorted(loaded.intersection(WRITE_SIDE)) == []
    assert "corpus_search.ingest.date_forms" not in loaded
    assert "corpus_search.ingest.dates" not in loaded
    # nor the research tools, which its class offers as methods
    assert sorted(loaded.intersection(RESEARCH_TOOLS)) == []


#: what only a count, a trend, key terms, a concordance (or marked places) or a citation needs
RESEARCH_TOOLS = (
    "corpus_search.search.citing",
    "corpus_search.search.concordance",
    "corpus_search.search.counting",
    "corpus_search.search.keyterm_tables",
    "corpus_search.search.keyterms",
    "corpus_search.search.trends",
)


def test_a_count_loads_the_counting_it_needs(small_index):
    code = (
        "from corpus_search import CorpusIndex\n"
        f"with CorpusIndex.open({str(small_index.path)!r}) as ix:\n"
        "    print(ix.count('Liberal Democrats').total)\n"
    )
    last, loaded = _search_loads(code)
    assert int(last) > 0
    assert "corpus_search.search.counting" in loaded


def _indexing_loads(tmp_path: Path, small_corpus: Path) -> set[str]:
    """The modules a process loads to index ``small_corpus`` (it indexes some documents)."""
    code = (
        "from corpus_search import CorpusIndex\n"
        f"with CorpusIndex({str(tmp_path / 'ix')!r}) as ix:\n"
        f"    print(ix.index_directory({str(small_corpus)!r}).indexed)\n"
    )
    last, loaded = _search_loads(code)
    assert int(last) > 0
    return loaded


def test_the_write_side_still_loads_when_an_index_is_written(tmp_path, small_corpus):
    """The counterpart, so the check above cannot pass by naming modules that never load."""
    loaded = _indexing_loads(tmp_path, small_corpus)
    assert {"corpus_search.indexing", "corpus_search.store.writer",
            "corpus_search.ingest.formats"} <= loaded


def test_indexing_a_folder_without_pdf_or_word_files_loads_none_of_their_readers(
    tmp_path, small_corpus
):
    """pypdf and python-docx are imported when the first such file is read, so a folder of
    text files is read as fast with the documents extra as without it."""
    loaded = _indexing_loads(tmp_path, small_corpus)
    assert sorted(loaded & {"pypdf", "docx", "lxml", "corpus_search.ingest.documents"}) == []


#: what only searching needs: the query parser, the array engine and the postings it reads
#: into arrays (NumPy)
SEARCHING = (
    "corpus_search.search.execute",
    "corpus_search.search.parsing",
    "corpus_search.search.parser",
    "corpus_search.search.engine",
    "corpus_search.store.postings",
)


def _command_loads(argv: list[str]) -> tuple[str, set[str]]:
    """How ``corpus-search ARGV`` exited (``exit N``) and the modules it loaded, run as the
    program runs it (``main``) in a fresh interpreter."""
    code = (
        "import sys\n"
        "from corpus_search.cli import main\n"
        f"sys.argv = ['corpus-search', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('exit', code)\n"
    )
    return _search_loads(code)


def test_the_index_command_imports_no_part_of_searching(tmp_path, small_corpus):
    """``corpus-search index`` writes, counts what the index holds and notes what a reader
    should know of it; it never searches, so it imports neither the query parser nor the
    engine. Indexing a folder again with nothing changed writes nothing either: it imports no
    NumPy at all (the writer uses it to sort what it writes)."""
    argv = ["index", str(small_corpus), "--index", str(tmp_path / "ix"), "--json"]
    last, first = _command_loads(argv)
    assert last == "exit 0"
    assert "corpus_search.store.writer" in first  # it did write
    assert sorted(first.intersection(SEARCHING)) == []
    last, again = _command_loads(argv)
    assert last == "exit 0"
    assert sorted(again.intersection(SEARCHING)) == []
    assert "numpy" not in again


def test_showing_a_document_imports_no_part_of_searching(small_index):
    last, loaded = _command_loads(["show", "libdems/brent", "--index", str(small_index.path)])
    assert last == "exit 0"
    assert sorted(loaded.intersection(SEARCHING)) == []
    assert "numpy" not in loaded


def test_a_search_still_imports_what_searching_needs(searched_index):
    """The counterpart, so the checks above cannot pass by naming modules that never load."""
    last, loaded = _command_loads(["search", "Labour MPs", "--index", str(searched_index.path)])
    assert last == "exit 0"
    assert set(SEARCHING) <= loaded and "numpy" in loaded


def test_a_count_by_year_on_the_command_line_imports_no_masked_arrays(searched_index):
    """NumPy's masked arrays, which ``np.unique`` imports to ask whether an array is masked,
    are no part of counting the documents a query matches each year."""
    last, loaded = _command_loads(["count", "Labour", "--index", str(searched_index.path)])
    assert last == "exit 0"
    assert "corpus_search.search.counting" in loaded
    assert "numpy.ma" not in loaded


def test_the_command_runs_with_fewer_garbage_collections_than_pythons_default():
    """A command keeps what it builds to its end; ``main`` raises the young generation's
    threshold before any command's imports (Python's default is 700 new containers)."""
    code = (
        "import gc, sys\n"
        "from corpus_search.cli import main\n"
        "sys.argv = ['corpus-search', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_threshold()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert int(out.stdout.strip().splitlines()[-1]) >= 10_000


def test_a_search_printed_for_a_person_loads_none_of_whooshs_unused_imports(searched_index):
    small_index = searched_index
    code = _cli_search_code(small_index)
    # (FORCE_COLOR: rich takes the pipe for a terminal, as a person's is)
    last, loaded = _search_loads(code, env={"FORCE_COLOR": "1"})
    assert last == "exit 0"
    assert "rich" in loaded  # the results were printed, through rich
    assert "nltk" not in loaded  # every word's stem was read from the cache folder
    assert sorted(loaded.intersection(WHOOSH_UNUSED)) == []


def test_a_search_printed_as_text_to_a_pipe_loads_no_part_of_rich(searched_index):
    # piped, rich prints each line as its text: corpus_search.consoles writes it so
    last, loaded = _search_loads(_cli_search_code(searched_index),
                                 env={"FORCE_COLOR": None, "TTY_COMPATIBLE": None})
    assert last == "exit 0"
    assert "corpus_search.search.execute" in loaded  # it searched, and printed its hits
    assert sorted(name for name in loaded if name.split(".")[0] == "rich") == []


def test_whichever_module_of_the_library_is_imported_first_whoosh_comes_in_lean():
    """Every module, imported first in a fresh process (forked from one that has imported
    nothing of the library), leaves out what Whoosh's own imports would bring: the packages
    that use Whoosh import it through corpus_search.lean_whoosh before their modules can."""
    probe = (
        "import importlib, json, os, pathlib, sys\n"
        "import importlib.util\n"
        "src = pathlib.Path(importlib.util.find_spec('corpus_search').origin).parent\n"
        "names = sorted('.'.join(('corpus_search', *p.relative_to(src).with_suffix('').parts))\n"
        "               .removesuffix('.__init__') for p in src.rglob('*.py'))\n"
        f"watch = {WHOOSH_UNUSED!r}\n"
        "found = {}\n"
        "for name in names:\n"
        "    r, w = os.pipe()\n"
        "    if os.fork() == 0:\n"
        "        importlib.import_module(name)\n"
        "        os.write(w, json.dumps([m for m in watch if m in sys.modules]).encode())\n"
        "        os._exit(0)\n"
        "    os.close(w)\n"
        "    with os.fdopen(r, 'rb') as f:\n"
        "        found[name] = json.loads(f.read() or b'null')\n"
        "    os.wait()\n"
        "print(json.dumps(found))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    found = json.loads(out.strip().splitlines()[-1])
    assert "corpus_search.search.execute" in found and "corpus_search.multi_index" in found
    # (the web page is a server: Flask brings the HTTP and TLS modules it needs)
    assert {name: loaded for name, loaded in found.items()
            if loaded != [] and not name.startswith("corpus_search.web")} == {}


def test_a_command_that_reads_an_index_runs_with_the_collector_off_then_restores_it(
    searched_index, monkeypatch
):
    """What a reading command builds is kept to its end and the cycles it drops are few, so
    it runs without the cyclic collector, which is on again when it ends (for a process that
    goes on: a test, a program running the command in-process)."""
    import gc

    from corpus_search.cli import results

    assert gc.isenabled()
    seen = _collector_seen_by(monkeypatch, results, "open_for_search",
                              ["search", "Labour MPs", "--index", str(searched_index.path)])
    assert seen == [False]
    assert gc.isenabled()


def test_a_search_run_as_the_program_ends_with_the_collector_off_and_all_it_kept_frozen(
    searched_index
):
    """Run as ``corpus-search`` (``main``), the process ends with the command: the collector
    is not switched back on, and what the search kept is frozen, out of the full collections
    Python's exit would run over it."""
    code = (
        "import gc, sys\n"
        "from corpus_search.cli import main\n"
        f"sys.argv = ['corpus-search', 'search', 'Labour MPs',"
        f" '--index', {str(searched_index.path)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('exit', code, gc.isenabled(), gc.get_freeze_count() > 10_000,\n"
        "      gc.get_count()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().splitlines()[-1] == "exit 0 False True 0"


def test_a_command_that_checks_an_index_keeps_the_collector(searched_index, monkeypatch):
    """The counterpart: check (and index, whose writer manages generations through the
    collector) runs with it."""
    from corpus_search.store import check

    seen = _collector_seen_by(monkeypatch, check, "check_index",
                              ["check", "--index", str(searched_index.path)])
    assert seen == [True]


def _collector_seen_by(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, argv: list[str]
) -> list[bool]:
    """Whether the cyclic collector was on each time ``module.name`` was called while the
    command ``argv`` ran in-process (it must succeed)."""
    import gc

    from click.testing import CliRunner

    from corpus_search import cli

    seen: list[bool] = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    result = CliRunner().invoke(cli.cli, argv)
    assert result.exit_code == 0, result.output
    return seen


def test_every_error_the_user_guide_names_is_a_public_name():
    """(PatternTooBroad, SourceFolderError, IndexExistsError... were only in
    corpus_search.errors: ``except corpus_search.PatternTooBroad`` raised AttributeError)"""
    import re

    from conftest import REPO

    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `(\w+Error|PatternTooBroad)`", guide, re.MULTILINE))
    named |= set(re.findall(r"^\| `\w+Error`, `(\w+Error)`", guide, re.MULTILINE))
    assert {"PatternTooBroad", "SourceFolderError", "DateOptionsError"} <= named
    assert named <= set(corpus_search.__all__)
    for name in named:
        assert issubclass(getattr(corpus_search, name), corpus_search.CorpusSearchError)


def _after_a_search(tmp_path: Path, then: str) -> subprocess.CompletedProcess:
    """Run ``then`` in a process that has run ``corpus-search search budget`` (no index there:
    the command fails after loading NumPy)."""
    code = (
        "import sys\n"
        "from corpus_search.cli import main\n"
        f"sys.argv = ['corpus-search', 'search', 'budget', '--index', {str(tmp_path / 'ix')!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "import numpy\n"
        "assert 'numpy' in sys.modules\n"
    ) + then
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "CORPUS_SEARCH_SERVER": "off"})


def test_a_command_loads_numpy_without_the_modules_that_write_its_docstrings(tmp_path):
    # NumPy attaches the docstrings of its compiled functions one call at a time as it loads
    # (~6 ms of a cold search, for text only help() shows); a command's NumPy is left without
    result = _after_a_search(tmp_path, (
        "from corpus_search.lean_numpy import NUMPY_DOCSTRING_MODULES\n"
        "stand_ins = [type(sys.modules[name]).__name__ for name in NUMPY_DOCSTRING_MODULES]\n"
        "assert stand_ins == ['StandIn'] * 2, stand_ins\n"
        "assert not numpy.array.__doc__\n"
        "# a name asked of one is the real module's, loaded then (and the docstrings with it)\n"
        "assert callable(numpy._core._add_newdocs.add_newdoc)\n"
        "assert numpy.array.__doc__ and float(numpy.arange(4).sum()) == 6.0\n"
    ))
    assert result.returncode == 0, result.stderr


def test_a_command_loads_numpy_without_its_linear_algebra_which_loads_when_used(tmp_path):
    """NumPy's own modules import numpy.linalg (and with it numpy._typing) for four
    functions; a command's NumPy loads it only when one of them, or any of its names, is
    used: numpy.linalg is still numpy.linalg, and the matrix power, the polynomial fit and
    the norm give NumPy's answers."""
    result = _after_a_search(tmp_path, (
        "assert type(numpy.linalg).__name__ == 'StandIn'\n"
        "assert not any(name.startswith('numpy._typing') for name in sys.modules)\n"
        "assert (numpy.matrix([[1, 2], [3, 4]]) ** 2).tolist() == [[7, 10], [15, 22]]\n"
        "assert type(sys.modules['numpy.linalg']).__name__ == 'module'\n"
        "assert numpy.polyfit([0, 1, 2], [1, 3, 5], 1).round(9).tolist() == [2.0, 1.0]\n"
        "import numpy.linalg as linalg\n"
        "assert linalg is numpy.linalg and linalg.norm([3.0, 4.0]) == 5.0\n"
    ))
    assert result.returncode == 0, result.stderr


def test_a_command_loads_numpy_without_ctypes_which_loads_when_read(tmp_path):
    """NumPy imports ctypes as it loads (an array's ``ctypes`` attribute, its C integer
    type); a command's NumPy has a stand-in, out of sys.modules once NumPy has loaded, so
    that any other importer (a submodule too) gets the real module, and NumPy's reads it."""
    result = _after_a_search(tmp_path, (
        "assert 'ctypes' not in sys.modules\n"
        "assert type(numpy._core._internal.ctypes).__name__ == 'StandIn'\n"
        "import ctypes.util\n"
        "assert type(sys.modules['ctypes']).__name__ == 'module'\n"
        "array = numpy.arange(3)\n"
        "assert array.ctypes.data == array.__array_interface__['data'][0]\n"
        "assert array.ctypes.shape[0] == 3\n"
    ))
    assert result.returncode == 0, result.stderr


def test_a_command_loads_numpy_without_the_file_io_padding_and_nan_modules_it_never_uses(
        tmp_path):
    """NumPy's ``__init__`` imports every module of numpy.lib (its file reading and writing
    among them, with numpy.lib.format and the text-file tools); a command's NumPy holds
    stand-ins for those no command uses, and every name NumPy takes from one still gives
    NumPy's answer, the real module loaded then."""
    result = _after_a_search(tmp_path, (
        "from corpus_search.lean_numpy import NUMPY_LIB_UNUSED\n"
        "kinds = {name: type(sys.modules[name]).__name__ for name in NUMPY_LIB_UNUSED}\n"
        "assert set(kinds.values()) == {'StandIn'}, kinds\n"
        "assert 'numpy.lib._iotools' not in sys.modules\n"
        "assert 'numpy.lib._format_impl' not in sys.modules\n"
        "import io, math\n"
        "saved = io.BytesIO()\n"
        "numpy.save(saved, numpy.arange(4))\n"
        "saved.seek(0)\n"
        "assert numpy.load(saved).tolist() == [0, 1, 2, 3]\n"
        "assert numpy.loadtxt(io.StringIO('1 2\\n3 4')).sum() == 10.0\n"
        "assert numpy.pad([1, 2], 1).tolist() == [0, 1, 2, 0]\n"
        "assert numpy.nanmax([1.0, math.nan, 3.0]) == 3.0\n"
        "assert numpy.emath.sqrt(-4) == 2j\n"
        "assert numpy.histogram([1, 2, 2, 3], bins=3)[0].tolist() == [1, 2, 1]\n"
        "assert numpy.median([3.0, math.nan, 1.0]) != numpy.median([3.0, math.nan, 1.0])\n"
        "assert numpy.median([3, 1, 2]) == 2 and numpy.get_include().endswith('include')\n"
        "assert numpy.lib.format.MAGIC_PREFIX == b'\\x93NUMPY'\n"
        "assert numpy.lib.npyio.NpzFile.__name__ == 'NpzFile'\n"
        "assert issubclass(numpy.lib.mixins.NDArrayOperatorsMixin, object)\n"
        "import numpy.lib.format as fmt\n"
        "assert fmt.read_magic(io.BytesIO(b'\\x93NUMPY\\x01\\x00')) == (1, 0)\n"
        "# the names NumPy's __init__ takes from each are the real module's __all__\n"
        "from corpus_search.stand_ins import real_module\n"
        "for name, names in NUMPY_LIB_UNUSED.items():\n"
        "    assert not names or sorted(real_module(name).__all__) == sorted(names), name\n"
    ))
    assert result.returncode == 0, result.stderr


def test_numpy_imported_by_a_program_keeps_its_docstrings():
    code = "import numpy, corpus_search.search.engine\nassert numpy.array.__doc__\n"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_date_typed_loads_the_date_forms_to_read_it(small_index):
    code = (
        "from corpus_search import CorpusIndex\n"
        f"with CorpusIndex.open({str(small_index.path)!r}) as ix:\n"
        "    print(ix.search('Labour', filters={'since': 'March 2005'}).total)\n"
    )
    last, loaded = _search_loads(code)
    assert int(last) >= 0 and "corpus_search.ingest.date_forms" in loaded


def test_a_search_printed_as_text_loads_no_html_module(searched_index):
    # html imports its table of entities (~1 ms); only JSON and the web page write HTML
    code = _cli_search_code(searched_index)
    last, loaded = _search_loads(code)
    assert last == "exit 0"
    assert "html" not in loaded and "html.entities" not in loaded


def test_a_search_loads_no_archive_module_nor_tempfile(searched_index):
    # shutil imports bz2 and lzma for its archives; only removing an index's files uses it,
    # and Whoosh's temporary storage tempfile
    code = _cli_search_code(searched_index)
    last, loaded = _search_loads(code)
    assert last == "exit 0"
    assert not {"shutil", "bz2", "lzma", "tempfile"} & set(loaded)


def test_a_search_loads_no_hashlib_nor_random(searched_index):
    # hashlib loads OpenSSL's library (~11M instructions of a cold search's ~604M); a search's
    # digests (cache keys, the term table's MD5, copies' BLAKE2b) are the standard library's.
    # random names new segments and files, which a search never makes
    code = _cli_search_code(searched_index)
    last, loaded = _search_loads(code)
    assert last == "exit 0"
    assert not {"hashlib", "_hashlib", "random"} & set(loaded)


def test_the_digests_a_search_computes_are_hashlib_s():
    import hashlib

    from corpus_search import digests

    for name in ("blake2b", "md5", "sha256"):
        assert getattr(digests, name)(b"Lib Dems").digest() == \
            getattr(hashlib, name)(b"Lib Dems").digest()


def test_a_command_run_with_no_server_listening_loads_no_socket_module(searched_index, tmp_path):
    # the entry point asks a running `corpus-search serve` first; with none there (no socket
    # file), it runs the command without importing socket (~2.5 ms of a cold search)
    code = (
        "import atexit, json, sys\n"
        "from corpus_search.launch import main\n"
        "atexit.register(lambda: print('socket', json.dumps('socket' in sys.modules)))\n"
        f"sys.argv = ['corpus-search', 'search', 'Labour MPs', '--index',"
        f" {str(searched_index.path)!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CORPUS_SEARCH_SERVER"}
    for switch in ({}, {"CORPUS_SEARCH_SERVER": "off"}):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env={**env, **switch, "XDG_RUNTIME_DIR": str(tmp_path),
                                              "TMPDIR": str(tmp_path)})
        assert out.stdout.strip().splitlines()[-1] == "socket false"


def test_a_search_run_as_the_program_loads_no_url_parsing_and_a_path_s_uri_still_works(
        searched_index, tmp_path):
    # pathlib imports urllib.parse (which imports ipaddress) for Path.as_uri alone: the entry
    # point gives it a stand-in while the command's modules load, and takes it out after
    code = (
        "import atexit, json, sys\n"
        "from corpus_search.launch import main\n"
        "def report():\n"
        "    held = sorted({'urllib.parse', 'ipaddress'} & set(sys.modules))\n"
        "    from pathlib import Path\n"
        "    import urllib.parse\n"
        "    print('url', json.dumps([held, Path('/a b').as_uri(), urllib.parse.quote('a b')]))\n"
        "atexit.register(report)\n"
        f"sys.argv = ['corpus-search', 'search', 'Labour MPs', '--index',"
        f" {str(searched_index.path)!r}]\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "CORPUS_SEARCH_SERVER": "off",
                                          "XDG_RUNTIME_DIR": str(tmp_path)})
    assert out.stdout.strip().splitlines()[-1] == (
        'url [[], "file:///a%20b", "a%20b"]')


_ENDING = (
    "import atexit, sys\n"
    "from pathlib import Path\n"
    "from corpus_search.launch import main\n"
    "marks = Path(sys.argv.pop(1))\n"
    "atexit.register(lambda: (marks / 'atexit').write_text('ran'))\n"
    "import os\n"
    "fd = os.open(marks / 'teardown', os.O_WRONLY | os.O_CREAT)\n"
    "def teardown(event, _args, fd=fd, write=os.write):  # (Python's teardown, if it runs)\n"
    "    if event == 'cpython.PyInterpreterState_Clear':\n"
    "        write(fd, b'ran')\n"
    "sys.addaudithook(teardown)\n"
    "sys.argv[0] = 'corpus-search'\n"
    "main()\n"
)


@pytest.mark.parametrize("query, code", [("Labour MPs", 0), ("zzqxv", 1)])
def test_a_reading_command_ends_without_pythons_teardown_its_output_and_atexit_kept(
        searched_index, tmp_path, query, code):
    # Python's teardown frees every module and object the command kept, ~6 ms of a search
    # that the system does at no cost; what a process must do at its end is still done
    out = subprocess.run(
        [sys.executable, "-c", _ENDING, str(tmp_path), "search", query, "--index",
         str(searched_index.path)], capture_output=True, text=True,
        env={**os.environ, "CORPUS_SEARCH_SERVER": "off"})
    assert out.returncode == code, out.stderr
    assert out.stdout.rstrip().endswith("." if code else "")  # all of it written
    assert ("results for Labour MPs" in out.stdout) == (code == 0)
    assert (tmp_path / "atexit").read_text() == "ran"
    assert (tmp_path / "teardown").read_text() == ""


def test_a_command_that_is_not_a_reading_one_ends_as_python_does(tmp_path):
    out = subprocess.run([sys.executable, "-c", _ENDING, str(tmp_path), "--help"],
                         capture_output=True, text=True,
                         env={**os.environ, "CORPUS_SEARCH_SERVER": "off"})
    assert out.returncode == 0 and "Usage:" in out.stdout
    assert (tmp_path / "atexit").read_text() == "ran"
    assert (tmp_path / "teardown").read_text() == "ran"


#: what no research command needs to print its results: tempfile and shutil (with bz2 and
#: lzma for its archives) write files, importlib.resources (with zipfile) reads a package's
#: data from an archive, NumPy's masked arrays ask whether an array is masked
NOT_FOR_RESEARCH = ("shutil", "bz2", "lzma", "tempfile", "zipfile", "importlib.resources",
                    "numpy.ma")


@pytest.mark.parametrize("argv", [
    ["count", "Labour", "--by", "party"],
    ["trends", "Labour", "Tories", "--by", "party", "--json"],
    ["concordance", "Labour", "-n", "100"],
    ["key-terms", "Labour", "--min-documents", "1"],
    ["key-terms", "Labour", "--json", "--against", "Tories"],
    ["stats"],
    ["stats", "--json"],
], ids=" ".join)
def test_a_research_command_loads_no_file_writing_archive_nor_masked_array_module(
        searched_index, argv):
    # key-terms joined two arrays with np.union1d, whose np.unique imports numpy.ma (~6 ms,
    # and the patterns it compiles had the regex cache written again, with tempfile); stats
    # found the bundled seed articles through importlib.resources
    last, loaded = _command_loads([*argv, "--index", str(searched_index.path)])
    # (the small index's few documents hold no word clearly more common where Labour is)
    assert last == ("exit 1" if argv[0] == "key-terms" else "exit 0")
    assert sorted(loaded.intersection(NOT_FOR_RESEARCH)) == []
