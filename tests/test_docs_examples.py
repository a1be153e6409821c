"""Every example in README.md and docs/*.md runs verbatim, in the order a reader meets it.

Each page runs in a sandbox of its own, set up like a new user's machine: a home folder whose
``~/articles`` is tests/fixtures/articles (a few dated political news items laid out like the
BBC corpus, ``politics/001.txt``), ``~/statements`` is tests/fixtures/statements and
``~/exports`` tests/fixtures/exports (a spreadsheet export, its own column names); a working
folder holding ``articles/`` and ``exports/`` too; a private ``XDG_DATA_HOME``, so the default
index starts empty and a search before any indexing builds it from the bundled seeds, as it
would for a new user (``CORPUS_SEARCH_INDEX`` is unset for the same reason).

How blocks are read:

- ``bash``/``sh``/``shell`` blocks: every command line runs in bash in the working folder and
  must exit 0, so a documented search must find something. Setting up the environment
  (``python3 -m venv``, activating it, ``pip install``) is taken as done: the tests run where
  the package and every extra are installed. The extras such a step names must exist.
- ``python`` blocks of a page run in one namespace, in order. An expression followed by a
  comment that reads as a Python literal (``parties_in("...")  # ['Conservative']``) must
  equal it; a block that prints must print something.
- ``json`` blocks must parse; one that shows the results schema must have its keys.
- Other blocks are text; a text block must not hold commands (say its language instead).

Markers, an HTML comment on the lines just before a block:

- ``<!-- docs-test: file NAME -->``: the block is a file the examples use; it is written as
  NAME into every sandbox's working folder before anything runs.
- ``<!-- docs-test: skip: REASON -->``: the block cannot run in a test (it needs ../shared,
  runs the benchmarks or the test suite itself). Few are allowed, each with its reason.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FIXTURES = Path(__file__).parent / "fixtures"

#: At most this many blocks may be skipped; a new one must displace another or raise this.
MAX_SKIPS = 5

SHELL = {"bash", "sh", "shell"}
COMMAND_WORDS = ("corpus-search", "pytest", "python", "python3", "pip")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")
_MARKER = re.compile(r"<!--\s*docs-test:\s*(?P<kind>[a-z-]+)\s*:?\s*(?P<arg>.*?)\s*-->")
_SETUP_STEP = re.compile(r"^(python3?\s+-m\s+venv\b|\.\s+\S*activate$|source\s+\S*activate$)")
_PIP_INSTALL = re.compile(r"^pip3?\s+install\b")


@dataclass(frozen=True)
class Block:
    page: str
    line: int  # of the first line inside the fence
    language: str
    text: str
    marker: tuple[str, str] | None  # (kind, argument)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def read_blocks(path: Path) -> tuple[list[Block], list[str]]:
    """The fenced blocks of a markdown page, and problems with its markers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page = path.relative_to(REPO).as_posix()
    blocks: list[Block] = []
    problems: list[str] = []
    marker: tuple[str, str, int] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        found = _MARKER.search(line)
        fence = _FENCE.match(line)
        if found:
            if marker:
                problems.append(f"{page}:{marker[2]}: marker not followed by a code block")
            if found["kind"] not in ("skip", "file") or not found["arg"]:
                problems.append(f"{page}:{i + 1}: unknown or empty marker {found[0]!r}")
            marker = (found["kind"], found["arg"], i + 1)
        elif fence:
            indent, close = len(fence["indent"]), fence["fence"]
            body: list[str] = []
            i += 1
            while i < len(lines) and not (lines[i].strip().startswith(close)
                                          and not lines[i].strip().strip(close[0])):
                body.append(lines[i][indent:] if not lines[i][:indent].strip() else lines[i])
                i += 1
            blocks.append(Block(page, i - len(body) + 1, fence["info"].lower(),
                                "\n".join(body) + "\n", marker[:2] if marker else None))
            marker = None
        elif line.strip() and marker:
            problems.append(f"{page}:{marker[2]}: marker not followed by a code block")
            marker = None
        i += 1
    if marker:
        problems.append(f"{page}:{marker[2]}: marker not followed by a code block")
    return blocks, problems


ALL_BLOCKS = {path.name: read_blocks(path)[0] for path in PAGES}


def blocks_of(language: set[str] | None = None) -> list[Block]:
    return [b for blocks in ALL_BLOCKS.values() for b in blocks
            if language is None or b.language in language]


def shell_commands(block: Block) -> list[tuple[int, str]]:
    """(line, command) for each command of a shell block; ``\\`` continues a line."""
    commands: list[tuple[int, str]] = []
    pending, start = "", 0
    for n, line in enumerate(block.text.splitlines()):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if not pending:
            start = block.line + n
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        commands.append((start, pending + stripped))
        pending = ""
    return commands


def without_setup(command: str) -> tuple[str, list[str]]:
    """The command without its environment set-up steps, and the ``pip install`` targets
    those steps named."""
    kept, installs = [], []
    for step in (s.strip() for s in command.split("&&")):
        plain = step.split(" #")[0].strip()
        if _PIP_INSTALL.match(plain):
            installs.append(plain)
        elif not _SETUP_STEP.match(plain):
            kept.append(step)
    return " && ".join(kept), installs


# -- the markers and the page structure -------------------------------------------------------


def test_markers_precede_a_block_and_skips_are_few_and_give_their_reason():
    problems = [p for path in PAGES for p in read_blocks(path)[1]]
    assert not problems, "\n".join(problems)
    skipped = [b for b in blocks_of() if b.marker and b.marker[0] == "skip"]
    assert len(skipped) <= MAX_SKIPS, [b.where for b in skipped]
    for block in skipped:
        assert len(block.marker[1].split()) >= 3, f"{block.where}: say why it cannot run"
        assert block.language in SHELL | {"python"}, f"{block.where}: only code is skipped"


def test_a_block_holding_commands_says_its_language():
    for block in blocks_of():
        if block.language in SHELL | {"python", "json"} or block.marker:
            continue
        commands = [line for line in block.text.splitlines()
                    if line.split(" ", 1)[0] in COMMAND_WORDS]
        assert not commands, f"{block.where}: mark the block as bash: {commands}"


def test_the_readme_opens_with_the_install_and_search_command_then_the_test_command():
    first, second = [b.text.strip() for b in ALL_BLOCKS["README.md"][:2]]
    assert first == ('python3 -m venv .venv && . .venv/bin/activate && pip install . && '
                     'corpus-search search "by-election"')
    assert second == ('python3 -m venv .venv && . .venv/bin/activate && '
                      'pip install -q -e ".[test]" && pytest -q')


def test_the_extras_the_install_commands_name_exist():
    extras = set(importlib.metadata.metadata("corpus-search").get_all("Provides-Extra") or [])
    named = []
    for block in blocks_of(SHELL):
        for _, command in shell_commands(block):
            for install in without_setup(command)[1]:
                for group in re.findall(r"\[([\w,-]+)\]", install):
                    named += [(block.where, extra) for extra in group.split(",")]
    assert named, "the docs show how to install extras"
    assert [(where, x) for where, x in named if x not in extras] == []


def test_the_documented_results_schema_has_the_keys_real_results_have(tmp_path: Path):
    from corpus_search import CorpusIndex

    shown = [json.loads(b.text) for b in blocks_of({"json"})]
    schemas = [d for d in shown if isinstance(d, dict) and d.get("schema")]
    assert schemas, "the user guide shows the JSON results schema"
    with CorpusIndex(tmp_path / "ix") as ix:
        ix.index_directory(FIXTURES / "articles")
        real = ix.search("NHS").to_dict()
        # (count --json: its notes' figures beside the notes, keys of their own)
        counted = {"schema": "corpus-search/count/v1", **ix.count("NHS").to_dict()}
    assert {d["schema"] for d in schemas} == {real["schema"], counted["schema"]}
    for doc in schemas:
        if doc["schema"] == counted["schema"]:
            assert list(doc) == list(counted)
            continue
        assert set(doc) == set(real)
        for hit in doc["hits"]:
            assert set(hit) == set(real["hits"][0])


# -- running the examples ---------------------------------------------------------------------


def file_blocks() -> dict[str, str]:
    files = {b.marker[1]: b.text for b in blocks_of() if b.marker and b.marker[0] == "file"}
    assert all("/" not in name and not name.startswith(".") for name in files), files
    return files


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            request: pytest.FixtureRequest) -> tuple[Path, dict[str, str]]:
    """A new user's machine: the working folder and the environment commands run with."""
    home, work = tmp_path / "home", tmp_path / "work"
    shutil.copytree(FIXTURES / "articles", home / "articles")
    shutil.copytree(FIXTURES / "statements", home / "statements")
    shutil.copytree(FIXTURES / "exports", home / "exports")
    shutil.copytree(FIXTURES / "articles", work / "articles")
    shutil.copytree(FIXTURES / "exports", work / "exports")
    for name, text in file_blocks().items():
        (work / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("CORPUS_SEARCH_INDEX", "FORCE_COLOR", "TTY_COMPATIBLE",
                        "CORPUS_SEARCH_SERVER")}
    # a server a page starts (corpus-search serve) is the page's own, stopped after it; a
    # short folder, as a socket's path may not be much over 100 bytes
    runtime = Path(tempfile.mkdtemp(prefix="cs-docs-", dir="/tmp"))
    env.update(HOME=str(home), XDG_DATA_HOME=str(tmp_path / "data"), NO_COLOR="1",
               COLUMNS="100", PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
               XDG_RUNTIME_DIR=str(runtime))
    request.addfinalizer(lambda: _stop_server(env, runtime))
    for key in ("CORPUS_SEARCH_INDEX", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(key, raising=False)
    for key in ("HOME", "XDG_DATA_HOME", "NO_COLOR", "PATH"):  # (python blocks run commands)
        monkeypatch.setenv(key, env[key])
    monkeypatch.chdir(work)
    return work, env


def _stop_server(env: dict[str, str], runtime: Path) -> None:
    subprocess.run(["corpus-search", "serve", "--stop"], env=env, capture_output=True,
                   timeout=60, check=False)
    shutil.rmtree(runtime, ignore_errors=True)


def run_shell(block: Block, work: Path, env: dict[str, str]) -> None:
    for line, command in shell_commands(block):
        command, _ = without_setup(command)
        if not command:
            continue
        done = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True,
                              text=True, timeout=600, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (
            f"{block.page}:{line}: `{command}` exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )


_NOTHING = object()


def expected_value(lines: list[str], comments: dict[int, str], stmt: ast.stmt) -> Any:
    """The literal in the comment after an expression (on its line, then on the comment
    lines below it), or _NOTHING when there is none."""
    end = stmt.end_lineno or stmt.lineno
    inline = comments.get(end) if not lines[end - 1].lstrip().startswith("#") else None
    below = []
    n = end + 1
    while n in comments and lines[n - 1].lstrip().startswith("#"):
        below.append(comments[n])
        n += 1
    for text in (" ".join([inline or "", *below]), inline):
        if text and text.strip():
            try:
                return ast.literal_eval(text.strip())
            except (ValueError, SyntaxError):
                continue
    return _NOTHING


def run_python(block: Block, namespace: dict[str, Any]) -> None:
    lines = block.text.splitlines()
    comments = {tok.start[0]: tok.string[1:].strip()
                for tok in tokenize.generate_tokens(io.StringIO(block.text).readline)
                if tok.type == tokenize.COMMENT}
    tree = ast.parse(block.text)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for stmt in tree.body:
            where = f"{block.page}:{block.line + stmt.lineno - 1}"
            if isinstance(stmt, ast.Expr):
                value = eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
                expected = expected_value(lines, comments, stmt)
                assert expected is _NOTHING or value == expected, (
                    f"{where}: {ast.unparse(stmt)} is {value!r}, the page says {expected!r}")
            else:
                exec(compile(ast.Module([stmt], type_ignores=[]), where, "exec"), namespace)
    if "print(" in block.text:
        assert printed.getvalue().strip(), f"{block.where}: the example prints nothing"


@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_the_examples_of_each_page_run_verbatim(page: str, sandbox: tuple[Path, dict[str, str]]):
    work, env = sandbox
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in ALL_BLOCKS[page]:
        if block.marker:  # a file (already written) or a skip
            continue
        if block.language in SHELL:
            run_shell(block, work, env)
        elif block.language == "python":
            run_python(block, namespace)
