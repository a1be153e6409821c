"""Shared fixtures: a small hand-written corpus, an index of it, where ../shared lives, and
a check that every test module closes the files and child processes it opens."""

from __future__ import annotations

import gc
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = Path(os.environ.get("CORPUS_SEARCH_SHARED", REPO.parent / "shared"))
BBC = SHARED / "corpora" / "bbc"
EVAL = SHARED / "eval"

#: marks a test that reads ../shared; such tests are skipped, with a reason, when it is absent
#: (see pytest_collection_modifyitems), so ``-m shared`` selects exactly them
needs_shared = pytest.mark.shared


def pytest_configure(config: pytest.Config) -> None:
    """The session's own cache folder (corpus_search.analysis.cachefiles), for this process and
    every command the tests run: never the user's, and empty at the start."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="corpus-search-test-cache-")
    config._corpus_search_cache = (os.environ.get("CORPUS_SEARCH_CACHE"), folder)
    os.environ["CORPUS_SEARCH_CACHE"] = folder
    # every command a test runs runs itself, never in a `corpus-search serve` the developer
    # left running (tests/test_warm.py starts its own)
    os.environ["CORPUS_SEARCH_SERVER"] = "off"


def pytest_unconfigure(config: pytest.Config) -> None:
    saved = getattr(config, "_corpus_search_cache", None)
    if saved is None:
        return
    before, folder = saved
    # "" (no cache) rather than unset: what the process saves as it exits must not go to the
    # user's own cache folder
    os.environ["CORPUS_SEARCH_CACHE"] = before if before is not None else ""
    shutil.rmtree(folder, ignore_errors=True)


#: the fixtures of this file that read ../shared: a test using one reads it, marked or not
SHARED_FIXTURES = frozenset({"bbc_index", "bbc_folder"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # (a BBC test that forgot its mark failed on a checkout without it)
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(needs_shared)
    if BBC.is_dir():
        return
    skip = pytest.mark.skip(
        reason=f"needs the BBC corpus and eval collection in {SHARED} (absent on this "
        "checkout; set CORPUS_SEARCH_SHARED to the folder that holds corpora/bbc and eval)"
    )
    for item in items:
        if item.get_closest_marker("shared"):
            item.add_marker(skip)

#: A tiny corpus whose expected rankings can be checked by hand.
SMALL_CORPUS = {
    "labour/plp.txt": (
        "Labour MPs turn on leadership\n\n"
        "Posted On:\n13th March 2017\n\n"
        "Members of the Parliamentary Labour Party met on Monday night and criticised Jeremy "
        "Corbyn's handling of the campaign. Several backbenchers said the party had neglected "
        "its heartlands.\n"
    ),
    "libdems/brent.txt": (
        "Liberal Democrats win Brent East\n\n"
        "21 September 2003\n\n"
        "The Liberal Democrats won the Brent East by-election, overturning a large Labour "
        "majority. Sarah Teather becomes the youngest MP in the Commons.\n"
    ),
    "tories/budget.txt": (
        "Tories attack pre-Budget report\n\n"
        "2 December 2004\n\n"
        "The Conservatives said the Chancellor of the Exchequer had broken his golden rule. "
        "Michael Howard told the House of Commons that taxes would rise.\n"
    ),
    "economy/jobs.txt": (
        "Jobs market tightens\n\n"
        "15 June 2005\n\n"
        "The labour market tightened again as unemployment fell to its lowest level for thirty "
        "years, official figures showed. Wages rose faster than prices.\n"
    ),
    "economy/common.txt": (
        "Finding common ground on pensions\n\n"
        "Employers and unions found common ground on pensions reform, but the details of the "
        "common approach remain to be settled.\n"
    ),
    "wales/assembly.txt": (
        "Assembly powers debated in Wales\n\n"
        "2005-03-01\n\n"
        "Plaid Cymru called for the Welsh Assembly to gain law-making powers. Ministers in Wales "
        "said the Government of Wales Act would be reviewed.\n"
    ),
    "misc/markup.txt": (
        "Escaping <script>alert('x')</script> in titles\n\n"
        "A document that mentions <b>markup</b> & ampersands, to prove snippets are escaped "
        "before they are shown in a browser: escaping matters.\n"
    ),
    "misc/title_vs_body.txt": (
        "Hospital waiting lists\n\n"
        "Ministers discussed many subjects, including schools, transport and the railways.\n"
    ),
    "misc/body_only.txt": (
        "Ministers discuss transport\n\n"
        "Ministers discussed transport and, at the very end, hospital waiting in some regions "
        "while reviewing lists of railway projects.\n"
    ),
}


def writer_holding_the_lock(path: Path) -> Any:
    """A bulk writer on the index at ``path`` that holds its write lock, as another process's
    write holds it, until it is committed or cancelled: what
    :func:`corpus_search.store.writing.open_writer` gives a writer of the index."""
    from corpus_search.store.files import DEFAULT_LOCK_TIMEOUT
    from corpus_search.store.handle import IndexHandle
    from corpus_search.store.writing import open_writer

    store = IndexHandle(path, None, DEFAULT_LOCK_TIMEOUT)
    store.open(create=False)
    return open_writer(store)


def loaded_after(code: str, watch: Iterable[str]) -> list[str]:
    """Which of the modules ``watch`` a fresh interpreter has loaded once it has run ``code``
    (start-up tests: what a command or an import pulls in)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    modules = set(json.loads(out.strip().splitlines()[-1]))
    return [name for name in watch if name in modules]


def write_corpus(root: Path, files: dict[str, str] = SMALL_CORPUS, *,
                 afresh: bool = False) -> Path:
    """``root`` holding ``files`` (relative path -> UTF-8 text); ``afresh``: nothing else
    (whatever it held before is removed first)."""
    if afresh:
        shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def bbc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BBC corpus indexed once per test process, by one process (the same segments on any
    machine), for tests that only read it: a test that changes an index copies this folder.
    (Nine modules once each indexed the corpus themselves, the largest setup of the suite.)"""
    from corpus_search import CorpusIndex

    path = tmp_path_factory.mktemp("bbc") / "ix"
    with CorpusIndex(path) as index:
        index.index_directory(BBC, procs=1)
    return path


@pytest.fixture(scope="module")
def bbc_index(bbc_folder: Path):
    """The session's BBC index (:func:`bbc_folder`), opened for a test module, for its tests
    marked ``needs_shared`` that only read it (none may add to it or delete from it)."""
    from corpus_search import CorpusIndex

    index = CorpusIndex(bbc_folder)
    yield index
    index.close()


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def plp_stories() -> list[Any]:
    """One story naming the Parliamentary Labour Party (twice: in full and as the PLP), and one
    naming only Labour, which the lexicon relates to the PLP: a search for PLP ranks the
    second after the first; a concordance or a count of PLP leaves it out."""
    import datetime as dt

    from corpus_search import Document

    return [
        Document(id="meeting", title="MPs meet", date=dt.date(2005, 2, 7),
                 body="A meeting of the Parliamentary Labour Party heard Labour's leader. "
                      "The PLP met again on Monday."),
        Document(id="campaign", title="Campaign", date=dt.date(2005, 2, 8),
                 body="Labour's campaign began; the Labour Party said it would win."),
    ]


def index_of(tmp_path_factory: pytest.TempPathFactory, name: str,
             documents: Iterable[Any]) -> Iterator[Any]:
    """A module fixture's body: an index of ``documents`` in a fresh folder named after
    ``name``, closed when the fixture ends (``yield from index_of(...)``)."""
    from corpus_search import CorpusIndex

    ix = CorpusIndex(tmp_path_factory.mktemp(name) / "ix")
    ix.add_documents(documents)
    yield ix
    ix.close()


def index_of_texts(tmp_path_factory: pytest.TempPathFactory, name: str,
                   texts: dict[str, str], title: str) -> Iterator[Any]:
    """:func:`index_of` documents whose ids and bodies are the items of ``texts``, each
    titled ``title``."""
    from corpus_search import Document

    yield from index_of(tmp_path_factory, name,
                        [Document(id=key, title=title, body=text) for key, text in texts.items()])


def index_seeds_with(folder: Path, rebuild: bool, **options: Any) -> None:
    """Index the seed articles into ``folder`` with ``options``: by ``rebuild_index``, or by
    ``index_directory`` on an index made when first written (so a refusal leaves no folder)."""
    from corpus_search import CorpusIndex, rebuild_index

    if rebuild:
        rebuild_index(folder, [SEEDS], **options)
    else:
        with CorpusIndex(folder, create="on_write") as ix:
            ix.index_directory(SEEDS, **options)


def phrase_holders(index: Any, text: str) -> set[str]:
    """The ids of the documents a search of ``text`` ranks first as holding its quoted
    phrase (``results.phrase_matches`` of them)."""
    results = index.search(text, limit=50)
    return {hit.id for hit in list(results)[: results.phrase_matches]}


#: indexes shared by the whole session; their warm searchers are closed after each module
#: (the next search opens a new one), so that the open-files check counts only the module's
_SESSION_INDEXES: list = []


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory, small_corpus: Path):
    from corpus_search import CorpusIndex

    ix = CorpusIndex(tmp_path_factory.mktemp("index") / "ix")
    ix.index_directory(small_corpus)
    _SESSION_INDEXES.append(ix)
    yield ix
    ix.close()


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory):
    from corpus_search import CorpusIndex

    ix = CorpusIndex(tmp_path_factory.mktemp("seeds-index") / "ix")
    ix.index_directory(SEEDS)
    _SESSION_INDEXES.append(ix)
    yield ix
    ix.close()


# -- no test touches the user's own data folder ---------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _a_data_folder_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default and demo indexes (``CorpusIndex(None)``, the CLI without ``--index``) are
    in a folder of the test session, never the data folder of whoever runs the suite: a test
    once wrote four documents into their default index."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
        yield


# -- every module closes what it opens --------------------------------------------------------

_CLOSE_AFTER_TEST: list = []


def closed_after_the_test(index: Any) -> Any:
    """``index``, to be closed when the current test ends (for helpers and fixtures that
    hand out an index rather than use it in a ``with`` block)."""
    _CLOSE_AFTER_TEST.append(index)
    return index


@pytest.fixture(autouse=True)
def _close_the_indexes_handed_out() -> Iterator[None]:
    yield
    while _CLOSE_AFTER_TEST:
        _CLOSE_AFTER_TEST.pop().close()


_FD_FOLDER = next((d for d in ("/proc/self/fd", "/dev/fd") if os.path.isdir(d)), None)


def open_descriptors() -> int:
    """How many file descriptors this process has open."""
    if _FD_FOLDER is None:
        pytest.skip("cannot list open file descriptors on this platform")
    return len(os.listdir(_FD_FOLDER)) - 1  # less the one listing the folder


def _descriptor_targets() -> dict[int, str]:
    """Open descriptor -> what it is (a path, pipe:[...], socket:[...]), where /proc says."""
    targets = {}
    for name in os.listdir(_FD_FOLDER or "."):
        try:
            targets[int(name)] = os.readlink(os.path.join(_FD_FOLDER or ".", name))
        except OSError:  # the listing's own descriptor, closed by now; or no readlink here
            continue
    return targets


def child_processes() -> set[int]:
    """Ids of this process's children, exited-but-unreaped ones included (Linux only: else
    the empty set)."""
    me, children = os.getpid(), set()
    if not os.path.isdir("/proc/self/task"):
        return children
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:  # field 4, after "(command)"
            children.add(int(entry.name))
    return children


#: descriptors a module may leave to the garbage collector to close (unreachable objects in
#: reference cycles: the hypothesis test of hostile snippets leaves up to ~80 depending on
#: when the collector last ran); far more means something closes its files only when
#: collected, as the writer and the query engines once did (1,475 after the crash tests)
GARBAGE_HELD_LIMIT = 256


#: files a process keeps open for its whole life, once first used: multiprocessing's shared
#: memory heap (the bulk writer's progress counters, a RawArray, come from it) keeps its
#: first arena for reuse
_PROCESS_LIFETIME = ("/dev/shm/pym-",)


def _close_session_searchers() -> None:
    for ix in _SESSION_INDEXES:
        ix.close()


@pytest.fixture(scope="module", autouse=True)
def closes_what_it_opens(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test module that leaves file descriptors or child processes behind, or that
    leaves many descriptors for the garbage collector to close.

    Leaked descriptors pile up over a run (once ~1,500 of them, held by reference cycles,
    after which any ``select()`` failed with "filedescriptor out of range"); a leaked child
    keeps running or is a zombie.
    """
    if _FD_FOLDER is None:
        yield
        return
    _close_session_searchers()
    gc.collect()
    fds, children = _descriptor_targets(), child_processes()
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed > failed:
        return  # a failure's traceback keeps its test's objects, and their files, alive
    _close_session_searchers()
    held_by_garbage = open_descriptors()
    gc.collect()
    held_by_garbage -= open_descriptors()
    leaked = {
        fd: target for fd, target in _descriptor_targets().items()
        if fd not in fds and not target.startswith(_PROCESS_LIFETIME)
    }
    left = child_processes() - children
    problems = []
    if leaked:
        shown = ", ".join(sorted(set(leaked.values()))[:5])
        problems.append(f"{len(leaked)} open file descriptor(s) ({shown})")
    if held_by_garbage > GARBAGE_HELD_LIMIT:
        problems.append(
            f"{held_by_garbage} file descriptors that only the garbage collector closed "
            "(objects in reference cycles holding files: close them explicitly)"
        )
    if left:
        problems.append(f"child process(es) {sorted(left)}")
    if problems:
        pytest.fail(
            f"{request.module.__name__} left behind " + " and ".join(problems), pytrace=False
        )


@pytest.fixture
def fresh_corpus(tmp_path: Path) -> Path:
    """A private, writable copy of the small corpus (for incremental-indexing tests)."""
    return write_corpus(tmp_path / "corpus")


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the CLI as a subprocess with a private data folder."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env.pop("CORPUS_SEARCH_INDEX", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    return env


def corpus_search_command() -> list[str]:
    exe = shutil.which("corpus-search", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "corpus_search.cli"]


def drawn_in_a_process(script: str, env: dict[str, str]) -> str:
    """What ``script`` prints, run in a Python process of its own (matplotlib keeps its font
    files open for a process's life) with matplotlib's pyplot imported and every figure a
    chart draws kept in ``drawn`` (in place of being closed), to look at."""
    prelude = ("import datetime as dt, math\nimport matplotlib.pyplot as plt\n"
               "from corpus_search import CorpusIndex, Document\n"
               "drawn = []\nplt.close = drawn.append\n")
    done = subprocess.run([sys.executable, "-c", prelude + script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_as_printed(command: str, env: dict[str, str]) -> None:
    """Run a command line the library prints (``corpus-search ... && corpus-search ...``, a
    rebuild command) as a user pastes it, with this installation's corpus-search; each
    part must succeed."""
    for single in command.split(" && "):
        argv = shlex.split(single)
        done = subprocess.run([*corpus_search_command(), *argv[1:]], env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Say which random order the tests ran in (``pytest -q`` hides pytest-randomly's
    header line), so that a failure that depends on the order can be repeated."""
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        terminalreporter.write_line(
            f"Tests ran in random order: repeat it with pytest -q --randomly-seed={seed}"
        )


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without the documents extra: pypdf and python-docx cannot be imported (nor
    found: ``importlib.util.find_spec`` answers ``None`` for a module set to ``None``)."""
    monkeypatch.setitem(sys.modules, "pypdf", None)
    monkeypatch.setitem(sys.modules, "docx", None)


def page_html(client: Any, url: str) -> str:
    """The web page at ``url`` of a test client, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def page_text(html: str) -> str:
    """A page's text, as a reader sees it: tags dropped, entities read, spacing squashed."""
    import html as htmllib
    import re

    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def home_secretaries() -> list[Any]:
    """Three documents on "home secretary": the office, the shadow office (the phrase only
    inside a longer term) and the words apart."""
    from corpus_search import Document

    return [
        Document(id="minister", title="Asylum",
                 body="The Home Secretary announced new asylum rules on Monday."),
        Document(id="shadow", title="Prisons",
                 body="The Shadow Home Secretary David Davis attacked the prison plans."),
        Document(id="apart", title="Housing",
                 body="The secretary of the club bought a home in Leeds."),
    ]


def files_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the index runs read from now on, in order."""
    from corpus_search import ingesting

    names: list[str] = []
    read_file = ingesting.read_file

    def reading(path: Path, **options: object) -> Any:
        names.append(path.name)
        return read_file(path, **options)

    monkeypatch.setattr(ingesting, "read_file", reading)
    return names
