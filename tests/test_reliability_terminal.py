"""Text from documents and paths cannot drive the user's terminal: C1 controls (U+009B is a
one-character CSI), escape sequences and bidirectional overrides never reach stdout or stderr
raw. Text output drops them, JSON writes them as ``\\uXXXX`` escapes (parsing gives the text
back exactly), ``Snippet.ansi`` keeps only its own colour codes. One rule decides which
characters, :data:`corpus_search.terminal.UNPRINTABLE`, in all three.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_search import CorpusIndex, Document, Snippet
from corpus_search.cli import cli
from corpus_search.cli.output import safe
from corpus_search.terminal import UNPRINTABLE, json_dumps, strip_unprintable

#: characters a document may use against a terminal
HOSTILE = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x85", "\x90", "\x9d", "\u202e",
           "\u2066", "\x7f", "\x00", "\x08"]
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), max_size=12).map("".join)

BOLD, RESET = "\x1b[1;33m", "\x1b[0m"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_inert(output: str) -> None:
    """No character of the rule in ``output`` (newlines and tabs are fine)."""
    found = UNPRINTABLE.findall(output)
    assert not found, f"raw control or bidi characters reach the terminal: {found!r}"


@settings(max_examples=500, deadline=None)
@given(data=st.recursive(
    st.none() | st.integers() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
))
def test_json_escapes_every_unprintable_character_and_parses_back_the_same(data: object):
    text = json_dumps(data, indent=2)
    assert_inert(text)
    assert json.loads(text) == data


@settings(max_examples=500, deadline=None)
@given(fragments=st.lists(
    st.lists(st.tuples(hostile_text, st.booleans()), max_size=5).map(tuple), max_size=4,
).map(tuple))
def test_snippet_ansi_carries_only_its_own_colour_codes(fragments: tuple):
    ansi = Snippet(fragments).ansi
    assert_inert(ansi.replace(BOLD, "").replace(RESET, ""))
    assert ansi.count(BOLD) == ansi.count(RESET) == sum(m for f in fragments for _, m in f)


def test_text_json_and_ansi_output_follow_one_rule():
    """The characters dropped from text output and from ``Snippet.ansi`` are exactly those
    escaped in JSON: every code point of the Basic Multilingual Plane is checked. (JSON
    escapes all of U+0000-U+001F anyway; a snippet turns whitespace into spaces.)"""
    space = re.compile(r"\s")
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        ruled = bool(UNPRINTABLE.fullmatch(char))
        assert (safe(f"a{char}b") == "ab") == ruled, hex(code)
        ansi = Snippet(((("a" + char + "b", False),),)).ansi
        assert ansi == "a b" if space.fullmatch(char) else (ansi == "ab") == ruled, hex(code)
        if code >= 0x20:
            assert (json_dumps(char) == f'"\\u{code:04x}"') == ruled, hex(code)
        else:
            assert char not in json_dumps(char), hex(code)
    assert strip_unprintable("a\u202eb\x9bc") == "abc"


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusIndex]:
    path = tmp_path_factory.mktemp("hostile") / "ix\x1b]0;owned\x07\u202e"
    ix = CorpusIndex(path)
    ix.add_documents([
        Document(id="evil\x9b2J", title="Labour \x1b[2J\u202eheadline\x85",
                 body="The Labour party\x9b31m met \u2066in Westminster\x1b]0;x\x07 today.",
                 source="BBC\u202e", url="http://example.org/\x9d"),
    ])
    yield ix  # open for the library's own search; closed before the module's open-files check
    ix.close()


@pytest.mark.parametrize("command", [["search", "labour"], ["list"], ["show", "evil\x9b2J"],
                                     ["similar", "evil\x9b2J"], ["stats"]])
def test_json_output_escapes_what_documents_and_paths_hold(
    hostile_index: CorpusIndex, command: list[str]
):
    result = invoke(*command, "--index", str(hostile_index.path), "--json")
    assert result.exit_code in (0, 1), result.output
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    data = json.loads(result.stdout)
    if command[0] in ("search", "list"):
        hit = data["hits"][0]
        assert hit["title"] == "Labour \x1b[2J\u202eheadline\x85"  # the data, unchanged
        assert hit["id"] == "evil\x9b2J"
    assert "\\u202e" in result.stdout or command[0] == "similar"


@pytest.mark.parametrize("command", [["search", "labour"], ["list"], ["show", "evil\x9b2J"],
                                     ["stats"], ["check"]])
def test_text_output_drops_what_documents_and_paths_hold(
    hostile_index: CorpusIndex, command: list[str]
):
    result = invoke(*command, "--index", str(hostile_index.path))
    assert result.exit_code in (0, 1), result.output
    assert_inert(result.stdout)
    assert_inert(result.stderr)


def test_the_results_json_of_the_library_is_escaped_too(hostile_index: CorpusIndex):
    results = hostile_index.search("labour")
    text = results.to_json()
    assert_inert(text)
    assert json.loads(text)["hits"][0]["title"] == "Labour \x1b[2J\u202eheadline\x85"


def test_the_index_path_the_index_command_prints_is_inert(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Labour\n\nThe Labour party met.", encoding="utf-8")
    index = tmp_path / "ix\x9b2J\u202e[/red]"
    result = invoke("index", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.output
    assert_inert(result.stdout + result.stderr)
    assert f"index: {strip_unprintable(str(index))} (1 document)" in result.stderr
    result = invoke("index", str(corpus), "--index", str(index), "--json")
    assert_inert(result.stdout + result.stderr)
    assert json.loads(result.stdout)["index"] == str(index)
    missing = tmp_path / "none\x1b[2J"
    result = invoke("search", "labour", "--index", str(missing))
    assert result.exit_code == 2
    assert_inert(result.stdout + result.stderr)


# -- output that cannot write UTF-8 -------------------------------------------------------------

CURLY = "Kennedy\u2019s \u00a3102 pledge \u2013 \U0001f5f3 ballot"


@pytest.fixture(scope="module")
def curly_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("curly") / "ix"
    with CorpusIndex(path) as ix:
        ix.add_documents([Document(id="curly", title=CURLY,
                                   body=f"{CURLY}. The Liberal Democrats costed it.")])
    return path


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_output_that_cannot_write_utf8_escapes_what_it_lacks_instead_of_failing(
        curly_index: Path, cli_env: dict[str, str], encoding: str):
    """PYTHONIOENCODING=ascii (or a Latin-1 locale) is no reason to lose the results: the
    characters the output cannot carry come out as backslash escapes, and --json as JSON's."""
    import subprocess

    from conftest import corpus_search_command

    env = {**cli_env, "PYTHONIOENCODING": encoding}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*corpus_search_command(), *args, "--index", str(curly_index)],
                              env=env, capture_output=True, timeout=120)

    for args in (("search", "Kennedy"), ("show", "curly"), ("list",)):
        done = run(*args)
        assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode(errors="replace")
        assert b"Kennedy\\u2019s" in done.stdout
    done = run("search", "Kennedy", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.isascii()
    assert json.loads(done.stdout)["hits"][0]["title"] == CURLY
